"""Problems found in data: one row per problem, at its file, spreadsheet row and column."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypedDict

import pandas as pd
import pyarrow as pyarrow

PROBLEM_COLUMNS = ("file", "row", "column", "value", "message", "severity")


def problems_frame(rows: Iterable[dict]) -> pd.DataFrame:
    """One row per problem: file, spreadsheet row (header = 1; blank for the whole file), column, value, message, severity."""
    frame = pd.DataFrame(list(rows), columns=list(PROBLEM_COLUMNS))
    frame["row"] = frame["row"].astype("Int64")
    for name in ("file", "column", "value", "message", "severity"):
        frame[name] = frame[name].fillna("").astype(str)
    return frame


class Problem(TypedDict):
    """One problem: file, spreadsheet row (header = 1; None for the whole file), column, the value as
    written, the message and its severity (``error``: the row or file is left out; ``warning``)."""

    file: str
    row: int | None
    column: str
    value: str
    message: str
    severity: str


def problem(
    file: str,
    message: str,
    *,
    row: int | None = None,
    column: str = "",
    value: object = "",
    severity: str = "error",
) -> Problem:
    """A :class:`Problem`; the value as text (blank for a missing one)."""
    return {
        "file": file,
        "row": None if row is None else int(row),
        "column": column,
        "value": "" if value is None or value is pd.NA else str(value),
        "message": message,
        "severity": severity,
    }


def sort_problems(problems: pd.DataFrame) -> pd.DataFrame:
    """Problems by file, then row (whole-file problems first); within a row, as validation listed them."""
    return problems.sort_values(["file", "row"], na_position="first", kind="stable").reset_index(drop=True)


class FileProblem(Exception):
    """A file cannot be read at all."""
