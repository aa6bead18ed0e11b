"""A PostgreSQL server holding the records: the same Ibis expressions as DuckDB, run by the server.

``refugee-stats db init`` creates the tables (:func:`ddl`: the loaded frames' columns, plus
``record``, the position in file order), ``refugee-stats db load FOLDER`` validates a data folder
with the loader and adds its records, then builds the derived tables (:func:`refresh`), and the
dashboard answers every view from the server when ``REFUGEE_STATS_DATABASE`` names it
(:func:`load_database`). The dashboard only reads: give it a role with ``SELECT`` alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from refugee_stats.ingest.dataset import Dataset
from refugee_stats.ingest.problems import problem_table
from refugee_stats.ingest.validate import empty_table
from refugee_stats.sql import BASE_TABLES, DERIVED_TABLES, SqlBackend, derived_tables
from refugee_stats.sql.duck import arrow_table, loaded_types

#: The environment variable naming the server the dashboard reads.
DATABASE_ENV = "REFUGEE_STATS_DATABASE"


def connect(url: str) -> Any:
    """An Ibis connection to the PostgreSQL server at ``url`` (``postgresql://user:password@host:port/db``)."""
    import ibis

    if not re.match(r"^postgres(ql)?://", url):
        raise ValueError(
            f"not a PostgreSQL address: {redacted(url)} (expected postgresql://user@host:port/database)"
        )
    return ibis.connect(url)


def redacted(url: str) -> str:
    """``url`` without its password, to show or log."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{netloc[-1]}"))


def schema(name: str) -> Any:
    """The Ibis schema of base table ``name``: the loaded frame's columns and types, and ``record``."""
    import ibis

    return ibis.Schema.from_pyarrow(arrow_table(empty_table(name)).schema)


#: Each base table's key: a second record with the same key is refused (as the loader refuses it).
KEYS = {"incidents": ("incident_id", "nationality"), "status": ("record_id",), "timeline": ("record",)}
#: Columns the loader always fills beside the required ones (dates worked out, provenance, position).
_FILLED = ("date_start", "date_end", "date_precision", "source_file", "source_row", "record", "is_period")
#: The table of loads: one row per ``db load`` or ``db refresh``, its number the data's version.
LOADS = "loads"


def _not_null(table: str, column: str) -> bool:
    from refugee_stats.fields import fields

    declared = {f.name: f for f in fields(table)}
    found = declared.get(column)
    return column in _FILLED or (
        found is not None and (found.required or found.kind == "flag" or found.default is not None)
    )


def ddl(name: str) -> str:
    """``CREATE TABLE`` of base table ``name`` in PostgreSQL's dialect (documented in data/README.md)."""
    lines = [
        f"  {column} {_pg_type(dtype)}{' NOT NULL' if _not_null(name, column) else ''}"
        for column, dtype in schema(name).items()
    ]
    lines.append(f"  PRIMARY KEY ({', '.join(KEYS[name])})")
    if KEYS[name] != ("record",):
        lines.append("  UNIQUE (record)")
    return f"CREATE TABLE IF NOT EXISTS {name} (\n" + ",\n".join(lines) + "\n);"


def _pg_type(dtype: Any) -> str:
    if dtype.is_string():
        return "TEXT"
    if dtype.is_boolean():
        return "BOOLEAN"
    if dtype.is_timestamp():
        return "TIMESTAMP"
    if dtype.is_integer():
        return "BIGINT"
    raise TypeError(f"no PostgreSQL type for {dtype}")  # pragma: no cover - every loaded column maps


def markdown_database() -> str:
    """The tables ``refugee-stats db init`` creates, as they stand in ``data/README.md``."""
    blocks = [f"```sql\n{ddl(name)}\n```" for name in BASE_TABLES]
    return "\n\n".join(blocks)


def init(con: Any) -> list[str]:
    """Create the base tables (and the table of loads) that do not exist yet; the names of those created."""
    made = []
    existing = set(con.list_tables())
    for name in BASE_TABLES:
        if name not in existing:
            _execute(con, ddl(name))
            made.append(name)
    if LOADS not in existing:
        _execute(
            con,
            f"CREATE TABLE IF NOT EXISTS {LOADS} (version BIGSERIAL PRIMARY KEY, "
            "loaded_at TIMESTAMPTZ NOT NULL DEFAULT now(), what TEXT NOT NULL)",
        )
        made.append(LOADS)
    return made


def _execute(con: Any, sql: str) -> None:
    con.raw_sql(sql).close()


class DuplicateRecords(ValueError):
    """Records already on the server (the same key) were loaded again."""


def load(con: Any, dataset: Dataset, *, replace: bool = False, what: str = "") -> dict[str, int]:
    """Add a loaded (validated) dataset's records to the server's tables (in place of all of them
    when ``replace``) in one transaction, then rebuild the derived tables; the rows added per table.

    A record whose key (``incidents``: ``incident_id`` and ``nationality``; ``status``:
    ``record_id``) is already on the server refuses the whole load (:class:`DuplicateRecords`).
    """
    batches = {name: iter(arrow_table(getattr(dataset, name)).to_batches()) for name in BASE_TABLES}
    return load_batches(con, batches, replace=replace, what=what)


def load_store(con: Any, folder: Path, *, replace: bool = False, what: str = "") -> dict[str, int]:
    """:func:`load` of records already validated into Parquet files (``incidents.parquet``...), read
    in batches: a store of any size, with bounded memory."""
    import pyarrow.parquet as pq

    batches = {}
    for name in BASE_TABLES:
        path = folder / f"{name}.parquet"
        batches[name] = pq.ParquetFile(path).iter_batches(batch_size=200_000) if path.exists() else iter(())
    return load_batches(con, batches, replace=replace, what=what)


def load_batches(
    con: Any, batches: Mapping[str, Iterator[Any]], *, replace: bool = False, what: str = ""
) -> dict[str, int]:
    """Add record batches (Arrow, the loaded frames' columns) per base table, as :func:`load` does:
    copied into staging tables (``COPY``, in CSV), then moved in one transaction."""
    import psycopg

    init(con)
    added = {}
    names = {name: [c for c in schema(name) if c != "record"] for name in BASE_TABLES}
    try:
        for name in BASE_TABLES:
            added[name] = _copy(con, name, f"_load_{name}", names[name], batches[name])
        statements = ["BEGIN"]
        if replace:
            statements.append(f"TRUNCATE TABLE {', '.join(BASE_TABLES)}")
        for name in BASE_TABLES:
            quoted = ", ".join(f'"{c}"' for c in names[name])
            offset = f"(SELECT coalesce(max(record) + 1, 0) FROM {name})"
            statements.append(
                f'INSERT INTO {name} ({quoted}, "record") '
                f"SELECT {quoted}, _position - 1 + {offset} FROM _load_{name} ORDER BY _position"
            )
        statements.append(f"INSERT INTO {LOADS} (what) VALUES ({_literal(what or 'load')})")
        statements.append("COMMIT")
        _execute(con, "; ".join(statements))
    except psycopg.errors.UniqueViolation as exc:
        _execute(con, "ROLLBACK")
        raise DuplicateRecords(str(exc).splitlines()[0] + " " + (exc.diag.message_detail or "")) from exc
    finally:
        for name in BASE_TABLES:
            _execute(con, f"DROP TABLE IF EXISTS _load_{name}")
    refresh(con)
    return added


def _copy(con: Any, name: str, staging: str, columns: list[str], batches: Iterator[Any]) -> int:
    """Copy ``batches`` into a new unlogged ``staging`` table shaped as ``name`` (plus ``_position``):
    CSV through ``COPY FROM STDIN``, the fastest way in; the rows copied."""
    import io

    import pyarrow as pa
    import pyarrow.csv as pcsv

    types = {column: _pg_type(dtype) for column, dtype in schema(name).items()}
    body = ", ".join(f'"{c}" {types[c]}' for c in columns)
    _execute(con, f"DROP TABLE IF EXISTS {staging}")
    _execute(con, f'CREATE UNLOGGED TABLE {staging} ({body}, "_position" BIGSERIAL)')
    quoted = ", ".join(f'"{c}"' for c in columns)
    copied = 0
    with (
        con.con.cursor() as cursor,
        cursor.copy(f"COPY {staging} ({quoted}) FROM STDIN WITH (FORMAT csv)") as copy,
    ):
        for batch in batches:
            table = pa.Table.from_batches([batch]).select(columns)
            table = table.cast(pa.schema([_csv_field(f) for f in table.schema]))
            buffer = io.BytesIO()
            pcsv.write_csv(table, buffer, pcsv.WriteOptions(include_header=False, quoting_style="needed"))
            copy.write(buffer.getvalue())
            copied += table.num_rows
    con.con.commit() if not con.con.autocommit else None
    return copied


def _csv_field(field: Any) -> Any:
    """A column as CSV carries it to the server: dictionary-encoded text as plain text."""
    import pyarrow as pa

    if pa.types.is_dictionary(field.type):
        return pa.field(field.name, field.type.value_type)
    return field


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def refresh(con: Any) -> None:
    """Build the derived tables again from the base tables (after records were added or changed),
    each in place in one transaction: a reader never finds one missing, and what was granted on
    them (``SELECT`` to the dashboard's role) stays. A table whose columns changed (a newer
    version of the code) is made anew: grant it again (see deploy/readonly-role.sql)."""
    import ibis
    import psycopg

    base = {name: con.table(name) for name in ("incidents", "status")}
    existing = set(con.list_tables())
    for name, expr in derived_tables(base["incidents"], base["status"]).items():
        sql = ibis.to_sql(expr, dialect="postgres")
        if name not in existing:
            _execute(con, f'CREATE TABLE "{name}" AS {sql}')
            continue
        try:
            _execute(con, f'BEGIN; TRUNCATE TABLE "{name}"; INSERT INTO "{name}" {sql}; COMMIT')
        except (psycopg.errors.DatatypeMismatch, psycopg.errors.SyntaxError, psycopg.errors.UndefinedColumn):
            _execute(con, "ROLLBACK")
            _execute(con, f'BEGIN; DROP TABLE "{name}"; CREATE TABLE "{name}" AS {sql}; COMMIT')


def version(con: Any) -> int:
    """The number of the last load: it changes whenever the records do (through ``db load``)."""
    if LOADS not in set(con.list_tables()):
        return 0
    return int(con.table(LOADS).version.max().execute() or 0)


def backend(con: Any) -> SqlBackend:
    """The server's records as a backend: every view answered by the server."""
    tables = {name: con.table(name) for name in (*BASE_TABLES, *DERIVED_TABLES)}
    timeline = loaded_types("timeline", tables["timeline"].order_by("record").execute())
    return SqlBackend(tables, timeline, loaded_types, name="postgresql")


def load_database(url: str) -> Dataset:
    """A dataset whose records are on the server at ``url``: empty frames, its timeline, its backend."""
    con = connect(url)
    missing = [name for name in (*BASE_TABLES, *DERIVED_TABLES) if name not in set(con.list_tables())]
    if missing:
        raise LookupError(
            f"{redacted(url)} has no table {', '.join(missing)}: run `refugee-stats db init` and "
            "`refugee-stats db load FOLDER` first"
        )
    found = backend(con)
    return Dataset(
        incidents=empty_table("incidents"),
        status=empty_table("status"),
        timeline=found.timeline,
        problem_table=problem_table([]),
        files=(redacted(url),),
        backend=found,
    )


def rows(con: Any) -> dict[str, int]:
    """How many rows each base table holds."""
    return {name: int(con.table(name).count().execute()) for name in BASE_TABLES}


__all__ = [
    "DATABASE_ENV",
    "backend",
    "connect",
    "ddl",
    "init",
    "load",
    "load_database",
    "redacted",
    "refresh",
]
