"""DuckDB, embedded: the records of a loaded dataset, in memory or in Parquet files, asked with Ibis."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from refugee_stats.ingest.dataset import Dataset
from refugee_stats.ingest.validate import empty_table
from refugee_stats.sql import BASE_TABLES, SqlBackend, derived_tables

#: DuckDB's worker threads (the machine's cores when None).
THREADS: int | None = None


def arrow_table(frame: pd.DataFrame) -> pa.Table:
    """A loaded frame as an Arrow table a database stores: ``record`` (its position) added, the date
    precision as text."""
    out = frame.assign(record=range(len(frame)))
    if "date_precision" in out:
        out = out.astype({"date_precision": "string"})
    return pa.Table.from_pandas(out, preserve_index=False)


def loaded_types(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Rows fetched from a database in the types of the loaded frame of table ``name`` (its columns, in order)."""
    empty = empty_table(name)
    out = {}
    for column, dtype in empty.dtypes.items():
        values = frame[column] if column in frame else pd.Series([None] * len(frame), dtype=object)
        if isinstance(dtype, pd.CategoricalDtype):
            out[column] = pd.Categorical(values.astype(object), dtype=dtype)
        elif str(dtype).startswith("datetime64"):
            out[column] = pd.to_datetime(values).to_numpy(dtype=dtype)
        else:
            out[column] = pd.Series(values.to_numpy(dtype=object), dtype=dtype)
    return pd.DataFrame(out, columns=list(empty.columns))


def connect(threads: int | None = THREADS) -> Any:
    """A new in-memory DuckDB connection (Ibis)."""
    import ibis

    con = ibis.duckdb.connect()
    if threads is not None:
        con.raw_sql(f"SET threads = {int(threads)}")
    return con


def in_memory(dataset: Dataset) -> SqlBackend:
    """A DuckDB backend over a loaded dataset's records, copied into an in-memory database."""
    con = connect()
    tables = {
        name: con.create_table(name, arrow_table(getattr(dataset, name)), overwrite=True)
        for name in BASE_TABLES
    }
    for name, expr in derived_tables(tables["incidents"], tables["status"]).items():
        tables[name] = con.create_table(name, expr, overwrite=True)
    return SqlBackend(tables, dataset.timeline, loaded_types, name="duckdb")


def on_parquet(folder: Path, timeline: pd.DataFrame, *, memory_limit: str | None = None) -> SqlBackend:
    """A DuckDB backend over the records written to Parquet in ``folder`` (``incidents.parquet``,
    ``status.parquet``: one file each, in file order), read out of core; the derived tables are
    written beside them the first time (under a name of their own, then renamed, so replicas
    sharing the folder never read half a file), then read. ``memory_limit`` (``"3GB"``) bounds
    what DuckDB holds; past it, it works through temporary files in ``folder``."""
    con = connect()
    if memory_limit is not None:
        con.raw_sql(f"SET memory_limit = '{memory_limit}'")
        con.raw_sql(f"SET temp_directory = '{folder / '.duckdb-tmp'}'")
    # Order is asked for where it matters (ORDER BY record): the rest may stream and spill freely.
    con.raw_sql("SET preserve_insertion_order = false")
    tables = {}
    for name in ("incidents", "status"):
        found = con.read_parquet(folder / f"{name}.parquet", table_name=f"{name}_file", file_row_number=True)
        if "record" not in found.columns:  # the position in the file is the record's position
            found = found.rename(record="file_row_number")
        else:
            found = found.drop("file_row_number")
        tables[name] = con.create_view(name, found, overwrite=True)
    for name, expr in derived_tables(tables["incidents"], tables["status"]).items():
        path = folder / f"{name}.parquet"
        if not path.exists():
            partial = folder / f".{name}.{uuid.uuid4().hex}.partial"
            con.to_parquet(expr, partial)
            partial.replace(path)
        # Small enough to hold (a few million cells at most), and scanned by every view: in memory.
        tables[name] = con.create_table(
            name, con.read_parquet(path, table_name=f"{name}_file"), overwrite=True
        )
    return SqlBackend(tables, timeline, loaded_types, name="duckdb")


def write_records(dataset: Dataset, folder: Path) -> Path:
    """A loaded dataset's incidents and status decisions written to ``folder`` as Parquet files, as
    :func:`on_parquet` reads them."""
    folder.mkdir(parents=True, exist_ok=True)
    import pyarrow.parquet as pq

    for name in ("incidents", "status"):
        pq.write_table(arrow_table(getattr(dataset, name)), folder / f"{name}.parquet")
    return folder
