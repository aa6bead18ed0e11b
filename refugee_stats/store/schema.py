"""Each loaded table as Arrow: its schema, derived from the loader's own typed frames, and exact conversions.

The schema of a table is what :func:`~refugee_stats.ingest.validate.empty_table` types, written
plainly for Parquet and SQL engines: text as ``string`` (``date_precision`` too, not a
dictionary), counts ``int64``, flags ``bool``, ``date_start``/``date_end`` ``timestamp[s]``,
``source_file`` ``string`` and ``source_row`` ``int64``. A column is declared not nullable
when the loader never leaves it blank (required fields, flags, fields with a default, and the
columns it adds). :func:`from_arrow` gives back the loader's pandas types exactly.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as _compute

from refugee_stats.fields import TABLES, fields
from refugee_stats.ingest.validate import empty_table

#: ``pyarrow.compute`` makes its functions at import time, so a type checker sees none of them.
pc: Any = _compute


@functools.cache
def _empty(table: str) -> pd.DataFrame:
    if table not in TABLES:
        raise ValueError(f"unknown table {table!r}; expected one of {', '.join(TABLES)}")
    return empty_table(table)


def _plain_type(kind: pa.DataType) -> pa.DataType:
    if pa.types.is_dictionary(kind):
        kind = kind.value_type
    return pa.string() if pa.types.is_large_string(kind) or pa.types.is_string(kind) else kind


@functools.cache
def arrow_schema(table: str) -> pa.Schema:
    """The Arrow schema of a loaded table (``incidents``, ``status``, ``timeline`` or ``stocks``):
    its columns in the loader's order, with the types above."""
    empty = _empty(table)
    inferred = pa.Schema.from_pandas(empty, preserve_index=False)
    blank_allowed = {
        f.name for f in fields(table) if not f.required and f.kind != "flag" and f.default is None
    }
    return pa.schema(
        [pa.field(f.name, _plain_type(f.type), nullable=f.name in blank_allowed) for f in inferred]
    )


def to_arrow(frame: pd.DataFrame, table: str) -> pa.Table:
    """A loaded (typed) frame of ``table`` as an Arrow table of :func:`arrow_schema` (one row per record)."""
    schema = arrow_schema(table)
    if list(frame.columns) != schema.names:
        raise ValueError(f"{table}: expected the columns {schema.names}, got {list(frame.columns)}")
    arrays = []
    for field in schema:
        column = frame[field.name]
        if isinstance(column.dtype, pd.CategoricalDtype):
            column = column.astype(object)
        arrays.append(pa.array(column, type=field.type, from_pandas=True))
    return pa.Table.from_arrays(arrays, schema=schema)


def _text(values: pa.ChunkedArray, dtype: pd.StringDtype) -> pd.api.extensions.ExtensionArray:
    """Arrow text as the pandas string array of ``dtype`` (both kinds hold Arrow data: no copy of the text)."""
    return pd.array(values.cast(pa.large_string()), dtype=dtype)


def from_arrow(table: str, data: pa.Table) -> pd.DataFrame:
    """An Arrow table of :func:`arrow_schema` (as read from Parquet) as the loader's typed frame:
    the same columns and pandas types as :func:`refugee_stats.ingest.dataset.load` gives."""
    schema = arrow_schema(table)
    if sorted(data.column_names) != sorted(schema.names):
        raise ValueError(f"{table}: expected the columns {schema.names}, got {data.column_names}")
    data = data.select(schema.names).cast(schema)
    out: dict[str, object] = {}
    for name, dtype in _empty(table).dtypes.items():
        values = data[str(name)]
        if isinstance(dtype, pd.StringDtype):
            out[str(name)] = _text(values, dtype)
        elif isinstance(dtype, pd.CategoricalDtype):
            codes = pc.index_in(values, value_set=pa.array(dtype.categories.astype(object), pa.string()))
            found = codes.to_numpy(zero_copy_only=False) if len(values) else np.zeros(0, np.int8)
            out[str(name)] = pd.Categorical.from_codes(found.astype(np.int8), dtype=dtype)
        elif isinstance(dtype, pd.Int64Dtype):
            out[str(name)] = pd.array(values.to_pandas(types_mapper={pa.int64(): dtype}.get))
        else:
            out[str(name)] = values.to_numpy().astype(dtype, copy=False)
    return pd.DataFrame(out, columns=list(schema.names))
