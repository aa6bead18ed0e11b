-- The dashboard's own database role: it may read the records, nothing else.
--
--   psql "postgresql://postgres@db.example.org/cases" \
--        -v reader=dashboard_reader -v password='...' -v loader=editor \
--        -f deploy/readonly-role.sql
--
-- reader: the role the replicas log in as (REFUGEE_STATS_DATABASE);
-- loader: the role that runs `refugee-stats db load` (it owns the tables).
-- Run it as a superuser or as the loader, connected to the records' database.
-- tests/test_deploy.py runs this file on a real server.

\set ON_ERROR_STOP on

CREATE ROLE :"reader" LOGIN PASSWORD :'password';
-- However it connects, the reader's transactions are read-only and a runaway query is stopped.
ALTER ROLE :"reader" SET default_transaction_read_only = on;
ALTER ROLE :"reader" SET statement_timeout = '60s';

GRANT CONNECT ON DATABASE :"DBNAME" TO :"reader";
GRANT USAGE ON SCHEMA public TO :"reader";
GRANT SELECT ON ALL TABLES IN SCHEMA public TO :"reader";
-- PostgreSQL 14 and older also let every role create tables in public; there, run once
-- (if the loader owns the schema or is granted CREATE itself):
--   REVOKE CREATE ON SCHEMA public FROM PUBLIC;

-- `db load` builds the derived tables (incident_cells, status_cells, ...) anew on every load:
-- new tables that the GRANT above does not cover. Without this line the dashboard can read
-- the records until the next load, then fails with "permission denied for table incident_cells".
ALTER DEFAULT PRIVILEGES FOR ROLE :"loader" IN SCHEMA public GRANT SELECT ON TABLES TO :"reader";
