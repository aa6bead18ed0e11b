"""Where the dashboard's records come from, and which backend answers for them.

- files loaded into memory and answered by pandas (:func:`refugee_stats.ingest.dataset.load`);
- the same files validated once into a Parquet store (a cache keyed by their content) and
  answered by DuckDB, out of core: for data past :data:`DUCKDB_ABOVE_BYTES`, or when
  ``REFUGEE_STATS_BACKEND=duckdb``;
- a PostgreSQL server named by ``REFUGEE_STATS_DATABASE`` (:mod:`refugee_stats.sql.postgres`).

Whatever the source, a :class:`~refugee_stats.ingest.dataset.Dataset` comes out: a database's
has empty frames and its backend (:func:`refugee_stats.compute.backend_for`).
"""

from __future__ import annotations

import os

from refugee_stats.ingest.dataset import Dataset
from refugee_stats.ingest.problems import phrase, problem, problem_table
from refugee_stats.ingest.validate import empty_table

#: The environment variable choosing the backend of files: ``duckdb``, ``pandas`` (default: by size).
BACKEND_ENV = "REFUGEE_STATS_BACKEND"
BACKENDS = ("pandas", "duckdb")


def database_url() -> str | None:
    """The PostgreSQL server the dashboard reads, when ``REFUGEE_STATS_DATABASE`` names one."""
    from refugee_stats.sql.postgres import DATABASE_ENV

    return os.environ.get(DATABASE_ENV) or None


def open_database(url: str) -> Dataset:
    """The records on the server at ``url``; when it cannot be read, no records and one problem
    that names the server (without its password) and what went wrong."""
    from refugee_stats.sql import postgres

    try:
        return postgres.load_database(url)
    except Exception as exc:  # the driver's message (host, password, missing table) is what to fix
        said = phrase(
            "problem_database",
            error=str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__,
        )
        return Dataset(
            incidents=empty_table("incidents"),
            status=empty_table("status"),
            timeline=empty_table("timeline"),
            problem_table=problem_table([problem(postgres.redacted(url), said)]),
            files=(postgres.redacted(url),),
        )


def database_version(url: str) -> int | None:
    """The number of the server's last load (None when it cannot be asked): a view of the records
    is kept until it changes."""
    from refugee_stats.sql import postgres

    try:
        return postgres.version(postgres.connect(url))
    except Exception:  # unreachable now: open_database says so in the problems table
        return None
