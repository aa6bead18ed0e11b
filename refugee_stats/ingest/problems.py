"""Problems found in data: one per problem, at its file, spreadsheet row and column.

A problem's message is not text but a catalog key and the values it interpolates
(:class:`Phrase`), so one loaded dataset can be shown in every language: ``problem.message("ru")``.
Values that are words themselves (a separator's name, a list of rows, a hint) are phrases of
their own, rendered in the same language; column names, cell values and file names are kept as
written. Exceptions that stop a file (:class:`FileProblem` and the low-level ones that become
it) carry their phrase too; ``str(exc)`` is the English text.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import overload

import numpy as np
import pandas as pd

from refugee_stats import i18n

PROBLEM_COLUMNS = ("file", "row", "column", "value", "message", "severity")
SEVERITIES = ("error", "warning")


@dataclass(frozen=True)
class Number:
    """A number in a message, written with the locale's grouping (``1,024`` / ``1 024``)."""

    value: float

    def render(self, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
        return i18n.number(self.value, lang)


@dataclass(frozen=True)
class Phrase:
    """A message of the catalog: its key (``msgctxt``), the values it interpolates, and for a plural
    entry the count ``n`` that picks the form. A value that is a :class:`Phrase` or :class:`Number`
    is rendered in the same language; any other value is inserted as written."""

    key: str
    params: Mapping[str, object] = field(default_factory=dict)
    n: int | None = None

    def __hash__(self) -> int:
        return hash((self.key, self.n, tuple(self.params.items())))

    def render(self, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
        values = {name: render_value(value, lang) for name, value in self.params.items()}
        if self.n is not None:
            return i18n.tn(self.key, self.n, lang, **values)
        return i18n.t(self.key, lang, **values)

    def __str__(self) -> str:
        return self.render()


def phrase(key: str, /, **params: object) -> Phrase:
    """``Phrase(key, params)``."""
    return Phrase(key, params)


def plural(key: str, n: int, /) -> Phrase:
    """A plural entry for the count ``n`` (its only value)."""
    return Phrase(key, {}, int(n))


def render_value(value: object, lang: str) -> object:
    """A message value in ``lang``: phrases and numbers rendered, anything else as it is."""
    if isinstance(value, Phrase | Number):
        return value.render(lang)
    return value


@dataclass(frozen=True)
class Problem:
    """One problem: file, spreadsheet row (header = 1; None for the whole file), column, the value as
    written, its severity (``error``: the row or file is left out; ``warning``) and its message as a
    catalog ``key`` with ``params`` (and ``n`` for a plural entry)."""

    file: str
    row: int | None
    column: str
    value: str
    severity: str
    key: str
    params: Mapping[str, object] = field(default_factory=dict)
    n: int | None = None

    def __hash__(self) -> int:
        return hash((self.file, self.row, self.column, self.value, self.severity, self.phrase))

    @property
    def phrase(self) -> Phrase:
        return Phrase(self.key, self.params, self.n)

    def message(self, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
        """The message in ``lang`` (English by default)."""
        return self.phrase.render(lang)

    def replace(self, **changes: object) -> Problem:
        """This problem with some fields changed (file, row, column, value...)."""
        return dataclasses.replace(self, **changes)


def problem(
    file: str,
    message: Phrase | str,
    *,
    row: int | None = None,
    column: str = "",
    value: object = "",
    severity: str = "error",
) -> Problem:
    """A :class:`Problem` with the message ``message`` (a phrase, or a key without values); the value
    as text (blank for a missing one)."""
    said = Phrase(message) if isinstance(message, str) else message
    return Problem(
        file=file,
        row=None if row is None else int(row),
        column=column,
        value="" if value is None or value is pd.NA else str(value),
        severity=severity,
        key=said.key,
        params=dict(said.params),
        n=said.n,
    )


#: Columns of a :func:`problem_table`: a problem's place and severity, and its message as a phrase.
TABLE_COLUMNS = ("file", "row", "column", "value", "severity", "phrase")


def problem_table(problems: Iterable[Problem]) -> pd.DataFrame:
    """One row per problem, in the order given: file, row (``Int64``; missing for the whole file),
    column, value, severity and ``phrase``, its message as a :class:`Phrase` (categorical: each
    distinct message is kept, pickled and rendered once, however many cells it is told of)."""
    found = list(problems)
    codes, phrases = pd.factorize(pd.Series([p.phrase for p in found], dtype=object))
    return pd.DataFrame(
        {
            "file": pd.Series([p.file for p in found], dtype=object),
            "row": pd.array([p.row for p in found], dtype="Int64"),
            "column": pd.Series([p.column for p in found], dtype=object),
            "value": pd.Series([p.value for p in found], dtype=object),
            "severity": pd.Series([p.severity for p in found], dtype=object),
            "phrase": pd.Categorical.from_codes(codes, pd.Index(phrases, dtype=object)),
        },
        columns=list(TABLE_COLUMNS),
    )


def problems_of(table: pd.DataFrame) -> list[Problem]:
    """The problems of a :func:`problem_table`, in its order."""
    rows = table["row"].astype(object).where(table["row"].notna(), None)
    return [
        Problem(file, row, column, value, severity, said.key, said.params, said.n)
        for file, row, column, value, severity, said in zip(
            table["file"],
            rows,
            table["column"],
            table["value"],
            table["severity"],
            table["phrase"],
            strict=True,
        )
    ]


def problems_frame(
    problems: Iterable[Problem] | pd.DataFrame, lang: str = i18n.DEFAULT_LANGUAGE
) -> pd.DataFrame:
    """One row per problem: file, spreadsheet row (header = 1; blank for the whole file), column,
    value, the message in ``lang`` and the severity (``error`` or ``warning``).

    Takes problems or their :func:`problem_table`."""
    table = problems if isinstance(problems, pd.DataFrame) else problem_table(problems)
    phrases = table["phrase"].array
    # Each distinct message is rendered once (a message is often told of many cells).
    rendered = np.array([p.render(lang) for p in phrases.categories] + [""], dtype=object)
    frame = pd.DataFrame(
        {
            "file": table["file"].to_numpy(dtype=object),
            "row": table["row"].array,
            "column": table["column"].to_numpy(dtype=object),
            "value": table["value"].to_numpy(dtype=object),
            "message": rendered[np.asarray(phrases.codes)],
            "severity": table["severity"].to_numpy(dtype=object),
        },
        columns=list(PROBLEM_COLUMNS),
    )
    for name in ("file", "column", "value", "message", "severity"):
        frame[name] = frame[name].fillna("").astype(str)
    return frame


@overload
def sort_problems(problems: pd.DataFrame) -> pd.DataFrame: ...
@overload
def sort_problems(problems: Iterable[Problem]) -> list[Problem]: ...
def sort_problems(problems: Iterable[Problem] | pd.DataFrame) -> list[Problem] | pd.DataFrame:
    """Problems by file, then row (whole-file problems first); within a row, as validation listed them.

    Takes problems (a list is returned) or a frame of them (:func:`problems_frame`; a frame is returned)."""
    if isinstance(problems, pd.DataFrame):
        return problems.sort_values(["file", "row"], na_position="first", kind="stable").reset_index(
            drop=True
        )
    return sorted(problems, key=lambda p: (p.file, p.row is not None, p.row or 0))


class PhraseError(Exception):
    """An error whose message is a :class:`Phrase` (``str(exc)`` is its English text)."""

    def __init__(self, message: Phrase | str, /, **params: object) -> None:
        self.phrase = Phrase(message, params) if isinstance(message, str) else message
        super().__init__(self.phrase.render())


class FileProblem(PhraseError):
    """A file cannot be read at all."""
