"""Validation of raw text tables (pandera, lazy) and their conversion into typed frames."""

from __future__ import annotations

from collections.abc import Callable, Collection

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow as pyarrow
import pyarrow.compute as pc

from refugee_stats import columns, countries, dates
from refugee_stats.fields import TABLE_SPECS, field_names, fields
from refugee_stats.ingest.problems import Phrase, Problem, phrase, problem
from refugee_stats.schema import (
    END_BEFORE_START,
    NO_INCIDENT,
    TRUE_VALUES,
    UNHCR_OVER_PEOPLE,
    UNKNOWN_COUNTRY,
    UNKNOWN_COUNTRY_SUGGESTION,
    check_phrase,
    raw_schema,
)

#: Messages for pandera's built-in checks (custom checks carry their own).
_BUILTIN_MESSAGES = {
    "column_in_dataframe": phrase("problem_required_column"),
    "not_nullable": phrase("problem_required_cell"),
    "field_uniqueness": phrase("problem_duplicate_value"),
}


#: The one column that row-wide checks are reported against.
_WIDE_CHECK_COLUMNS = {
    UNHCR_OVER_PEOPLE: "unhcr_refugees",
    END_BEFORE_START: "end_date",
}


#: Per table keyed by several columns: the column a duplicate key is reported against, and the
#: message (``problem_duplicate_<table>``: the English is the table's ``duplicate``).
_DUPLICATE_KEY = {
    t.name: (t.key[0], phrase(f"problem_duplicate_{t.name}")) for t in TABLE_SPECS.values() if len(t.key) > 1
}


def _check_message(check: str) -> Phrase:
    """The phrase of a failed check: pandera's built-in ones, or the message of one of the schema's."""
    found = _BUILTIN_MESSAGES.get(check) or check_phrase(check)
    return found if found is not None else phrase("problem_check_failed", check=check)


def duplicate_phrase(table: str) -> Phrase:
    """What :func:`validate` tells a row whose key repeats an earlier row's of the same file (at the
    key's first column)."""
    return _DUPLICATE_KEY[table][1] if table in _DUPLICATE_KEY else _BUILTIN_MESSAGES["field_uniqueness"]


def no_incident_phrase() -> Phrase:
    """What :func:`validate` tells a reference (``follows``, a status ``incident_id``) naming no incident."""
    return _check_message(NO_INCIDENT)


def _failure_problems(table: str, file: str, failures: pd.DataFrame) -> list[Problem]:
    out = []
    suggestions: dict[str, str | None] = {}
    cases = zip(
        failures["check"], failures["column"], failures["index"], failures["failure_case"], strict=True
    )
    for found_check, found_column, index, value in cases:
        check = str(found_check)
        target = _WIDE_CHECK_COLUMNS.get(check)
        if check == "multiple_fields_uniqueness":
            target, message = _DUPLICATE_KEY[table]
        else:
            message = _check_message(check)
        column = "" if found_column is None or pd.isna(found_column) else str(found_column)
        # Row-wide checks list every cell of a failing row; keep the cell the check is about.
        if target and column != target:
            continue
        row = None if index is None or pd.isna(index) else int(index)
        if check == "column_in_dataframe":
            column, value = str(value), ""
        if isinstance(value, float) and pd.isna(value):
            value = ""
        if message.key == UNKNOWN_COUNTRY and isinstance(value, str):
            if value not in suggestions:
                suggestions[value] = countries.suggest(value)
            close = suggestions[value]
            message = phrase(UNKNOWN_COUNTRY_SUGGESTION, close=close) if close else message
        out.append(problem(file, message, row=row, column=column, value=value))
    return out


def validate(
    table: str,
    raw: pd.DataFrame,
    file: str,
    *,
    incident_ids: Collection[str] | None = None,
    today: pd.Timestamp | None = None,
) -> tuple[pd.DataFrame, list[Problem]]:
    """Validate one raw table; return its valid rows, typed, and the problems found."""
    schema = raw_schema(table, incident_ids=incident_ids, today=today)
    try:
        schema.validate(raw, lazy=True)
        failures: list[Problem] = []
    except pa.errors.SchemaErrors as exc:
        failures = _failure_problems(table, file, exc.failure_cases)
    failures = list({(p.row, p.column, p.phrase): p for p in failures}.values())
    position = {name: i for i, name in enumerate(field_names(table))}
    failures.sort(key=lambda p: (p.row is not None, p.row or 0, position.get(p.column, -1)))
    if any(p.row is None for p in failures):
        return empty_table(table), failures
    bad_rows = {p.row for p in failures}
    valid = raw[~raw.index.isin(bad_rows)]
    return typed(table, valid, file), failures


def _text(
    series: pd.Series, convert: Callable[[object], object] | None = None, missing: str | None = None
) -> tuple[pd.Series, tuple[np.ndarray, pd.Index] | None]:
    """A column as pandas ``string`` (``convert``-ed first when given; ``missing`` for missing values),
    each distinct value converted once; and the codes of the result when its values are distinct."""
    if convert is None and missing is None and series.dtype == pd.StringDtype("pyarrow"):
        return series.copy(deep=False), None  # already text (identifiers): no copy
    if convert is None and isinstance(series.dtype, pd.CategoricalDtype):
        # Categories are distinct by construction; unused ones (rows left out) do no harm.
        found, uniques = np.asarray(series.array.codes), series.array.categories
    else:
        found, uniques = columns.factorize(series)
    if convert is None:
        values = pd.Index(uniques).astype("string")
    else:
        values = pd.Index(pd.Series([convert(v) for v in uniques], dtype=object).astype("string"))
    if missing is not None and (found < 0).any():
        where = values.get_indexer(pd.Index([missing]))[0] if missing in values else len(values)
        if where == len(values):
            values = values.append(pd.Index([missing], dtype=values.dtype))
        found = columns.compact(np.where(found < 0, where, found), len(values))
    taken = pc.take(pyarrow.array(values.array), pyarrow.array(found, mask=found < 0))
    text = pd.Series(
        pd.arrays.ArrowStringArray(taken, dtype=pd.StringDtype("pyarrow")),  # pyright: ignore[reportCallIssue]  # pandas 3 takes dtype= (pandas-stubs do not yet)
        index=series.index,
        name=series.name,
    )
    # Distinct text values (as factorize gives them) keep their codes for later grouping.
    distinct = convert is None and missing is None and isinstance(uniques.dtype, pd.StringDtype)
    if distinct or (not values.isna().any() and not values.has_duplicates):
        return text, (found, values)
    return text, None


def _counts(series: pd.Series, required: bool) -> pd.Series:
    found, uniques = columns.factorize(series)
    values = pd.to_numeric(pd.Series(np.asarray(uniques, dtype=object), dtype=object), errors="coerce")
    masked = values.astype("Int64" if values.dtype.kind == "i" else "Float64").array
    numbers = pd.Series(masked.take(found, allow_fill=True), index=series.index)
    return numbers.astype("int64") if required else numbers.astype("Int64")


def _repeated_text(value: str, n: int) -> pd.Series:
    """``value`` ``n`` times as pandas ``str`` (what assigning a string scalar gives), built in one go."""
    data = value.encode()
    offsets = np.arange(n + 1, dtype=np.int64) * len(data)
    array = pyarrow.Array.from_buffers(
        pyarrow.large_string(), n, [None, pyarrow.py_buffer(offsets), pyarrow.py_buffer(data * n)]
    )
    text = pd.arrays.ArrowStringArray(pyarrow.chunked_array([array]), dtype=_STR)  # pyright: ignore[reportCallIssue]  # pandas 3 takes dtype= (pandas-stubs do not yet)
    return pd.Series(text, copy=False)


_STR = pd.StringDtype("pyarrow", na_value=np.nan)


def typed(table: str, raw: pd.DataFrame, file: str) -> pd.DataFrame:
    """Convert validated text rows into typed columns plus ``source_file`` and ``source_row``.

    One row of the result is one row of the input file.
    """
    frame = raw.reindex(columns=field_names(table))
    out = pd.DataFrame(index=frame.index)
    text_codes: dict[str, tuple[np.ndarray, pd.Index] | None] = {}
    for f in fields(table):
        column = frame[f.name]
        if f.kind in ("count", "count0"):
            out[f.name] = _counts(column, f.required)
        elif f.kind == "flag":
            out[f.name] = columns.per_value(
                column, lambda v: isinstance(v, str) and v.casefold() in TRUE_VALUES, missing=False
            )
        else:
            convert = countries.to_alpha3 if f.kind == "country" else None
            missing = f.default
            out[f.name], text_codes[f.name] = _text(column, convert, missing)
    spans = dates.intervals(frame["date"]) if len(frame) else dates.intervals(pd.Series([], dtype=object))
    out = out.join(spans)
    if table == "timeline":
        ends = columns.per_value(
            frame["end_date"],
            lambda v: np.datetime64(_period(v).end_time.normalize(), "s"),
            dtype="datetime64[s]",
            missing=np.datetime64("NaT"),
        )
        out["date_end"] = np.where(frame["end_date"].notna().to_numpy(), ends, out["date_end"].to_numpy())
        out["date_end"] = out["date_end"].astype("datetime64[s]")
        out["is_period"] = frame["end_date"].notna().to_numpy()
    source_file = _repeated_text(file, len(out))
    source_file.index = out.index
    out["source_file"] = source_file
    out["source_row"] = out.index.astype("int64")
    out = out.reset_index(drop=True)
    for name, found in text_codes.items():
        if found is not None:
            columns.remember(out[name], *found)
    return out


def _period(value: object) -> pd.Period:
    """The period of a date that passed validation."""
    period = dates.parse(value)
    if period is None:
        raise ValueError(f"not a valid date: {value!r}")
    return period


def empty_table(table: str) -> pd.DataFrame:
    """A typed table with no rows."""
    return typed(table, pd.DataFrame(columns=field_names(table), dtype=object), "")
