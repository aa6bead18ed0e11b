"""Importers: publishers' files -> the project's records (incidents, status, stocks).

::

    result = read_publisher("population.csv")           # format detected from the header row
    result.tables["stocks"]                               # all-text frame, our column names, index "row"
    result.problems, result.summary                       # what was left out and why; what was mapped

The format is recognised from the header row (searched among the first lines, below any notes a
publisher puts above it) or forced with ``format=``; see :data:`FORMATS`. Every record keeps the
publisher's precision of date, names the publisher and table in ``source``, and is
``illustrative=false``. Nationalities that are not one country (the Home Office's "Other and
unknown", UNHCR's ``UNK``, ICE's ``USSR``) are imported under explicit codes (see
:mod:`refugee_stats.importers.places`); values that cannot be mapped at all are reported in
``problems``, never dropped silently: one problem per bad cell, as the loader reports them (its
file row, header = 1; the column as written in the file; the value as written in the cell).

To validate and type the frames as the loader does, use :func:`validated` (or
:func:`load_publisher` for a path): it works with the row numbers shared by several records.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Collection
from pathlib import Path

import pandas as pd

from refugee_stats.importers.base import (
    PROBLEM_KEYS,
    Format,
    Header,
    ImportResult,
    Progress,
    ReadError,
    Source,
    problem,
)
from refugee_stats.importers.hxl import HXL_COLUMNS, HXL_FORMAT, hxl_tags, with_hxl_row
from refugee_stats.importers.uk_home_office import ENTERING_FORMAT, LEAVING_FORMAT, STOCK_FORMAT
from refugee_stats.importers.unhcr import DECISIONS_FORMAT, POPULATION_FORMAT
from refugee_stats.importers.us_ice import BOOKINS_FORMAT
from refugee_stats.ingest.files import MemoryFile
from refugee_stats.ingest.personal import personal_kind, personal_problem
from refugee_stats.ingest.problems import Phrase, Problem, phrase
from refugee_stats.ingest.validate import validate

__all__ = [
    "FORMATS",
    "HXL_COLUMNS",
    "PROBLEM_KEYS",
    "ImportResult",
    "detect",
    "hxl_tags",
    "load_publisher",
    "read_publisher",
    "validated",
    "with_hxl_row",
]

#: Every layout, in detection order (HXL first: its hashtag row overrides the column names).
_ORDER: tuple[Format, ...] = (
    HXL_FORMAT,
    DECISIONS_FORMAT,
    POPULATION_FORMAT,
    ENTERING_FORMAT,
    LEAVING_FORMAT,
    STOCK_FORMAT,
    BOOKINS_FORMAT,
)
_BY_NAME = {f.name: f for f in _ORDER}

#: Format name -> one-line description.
FORMATS: dict[str, str] = {f.name: f.description for f in _ORDER}

#: Headers we recognise but cannot import, with the reason (its catalog key).
_UNSUPPORTED = (
    (
        ("date", "entering_detention", "leaving_detention", "in_detention_at_end_of_period"),
        "problem_home_office_summary",
    ),
)


def _match(source: Source) -> tuple[Format, Header] | None:
    for header in source.headers():
        for fmt in _ORDER:
            if fmt.matches(header):
                return fmt, header
    return None


def detect(path: str | Path | MemoryFile) -> str | None:
    """The format of a publisher file, from its header row, or None when it is not one we read."""
    try:
        source = Source.open(path, head=True)
        found = _match(source)
    except (ReadError, csv.Error, ValueError, UnicodeError):
        # Not readable as a publisher's table: the ordinary loader reads it and reports what is wrong.
        return None
    return found[0].name if found else None


def _unsupported(source: Source) -> Phrase | None:
    for header in source.headers():
        for keys, why in _UNSUPPORTED:
            if all(k in header.keys for k in keys):
                return phrase(why)
    return None


#: A cell redacted under FOIA exemptions: ``(b)(6)``, ``(b)(6),(b)(7)c)``, ``(b)(7)(C)``.
_REDACTED = re.compile(r"(?:\(b\)\s*\(\d+\)\s*\(?[a-z]?\)?[\s,;/]*)+")


def _redacted(value: str) -> bool:
    return not value or value.casefold() == "na" or _REDACTED.fullmatch(value.casefold()) is not None


def _personal(source: Source, header: Header, allow_personal: bool) -> tuple[list[Problem], list[str]]:
    """Problems for the header's columns that look like personal identifiers, as the loader reports
    them (at the header's row; errors, or warnings when ``allow_personal``), and summary lines.

    A column whose every cell is blank or a FOIA redaction code (ICE's dates of birth) holds
    nothing about anyone: it is named in the summary, not refused. The importers never read
    any such column into their records.
    """
    suspects = [
        (i, name, kind) for i, name in enumerate(header.names) if name and (kind := personal_kind(name))
    ]
    if not suspects:
        return [], []
    cells = source.read(header, {str(i): i for i, _, _ in suspects})
    problems, lines = [], []
    for i, name, kind in suspects:
        if all(_redacted(v) for v in pd.unique(cells[str(i)])):
            lines.append(
                f"column {name} looks like personal data ({kind}) but holds only redaction codes; not read"
            )
            continue
        problems.append(personal_problem(source.file, kind, allow_personal, row=header.line + 1, column=name))
    return problems, lines


def read_publisher(
    path: str | Path | MemoryFile,
    format: str | None = None,
    progress: Progress | None = None,
    *,
    file: str | None = None,
    allow_personal: bool = False,
) -> ImportResult:
    """Read one publisher file into the project's tables.

    ``format`` forces a layout (a key of :data:`FORMATS`) instead of detecting it. ``progress``
    is called as ``progress(done_rows, total_rows)`` while rows are read. ``file`` is the name
    used in problems (default: the path as given). A column that looks like a personal
    identifier (see :mod:`refugee_stats.personal`) refuses the file, as the loader does, unless
    ``allow_personal``: then it is reported as dropped (it is never read into any record).
    """
    if format is not None and format not in _BY_NAME:
        raise ValueError(f"unknown format {format!r}; expected one of {', '.join(FORMATS)}")
    label = file if file is not None else str(path)
    try:
        source = Source.open(path, label)
    except ReadError as exc:
        return ImportResult(format or "unknown", {}, [problem(label, exc.phrase, severity="error")], [])
    warnings = [problem(label, n.message, row=n.row, severity=n.severity) for n in source.warnings]
    if format is None:
        found = _match(source)
        if found is None:
            why = _unsupported(source) or phrase("problem_not_a_publisher_format", formats=", ".join(FORMATS))
            return ImportResult("unknown", {}, [*warnings, problem(label, why, severity="error")], [])
        fmt, header = found
    else:
        fmt = _BY_NAME[format]
        candidates = list(source.headers())
        header = next((h for h in candidates if fmt.matches(h)), None)
        if header is None:
            best = min(candidates, key=lambda h: len(fmt.missing(h)), default=None)
            if fmt.hxl:
                message = phrase("problem_wrong_layout_hxl", format=fmt.name)
            elif best is None:
                message = phrase("problem_wrong_layout_no_header", format=fmt.name)
            else:
                message = phrase(
                    "problem_wrong_layout", format=fmt.name, columns=", ".join(fmt.missing(best))
                )
            return ImportResult(fmt.name, {}, [*warnings, problem(label, message, severity="error")], [])
    try:
        personal, redacted = _personal(source, header, allow_personal)
        if any(p.severity == "error" for p in personal):
            return ImportResult(fmt.name, {}, [*warnings, *personal], ["nothing imported: personal data"])
        result = fmt.read(source, header, progress)
    except ReadError as exc:
        return ImportResult(fmt.name, {}, [*warnings, problem(label, exc.phrase, severity="error")], [])
    return ImportResult(
        result.format, result.tables, [*warnings, *personal, *result.problems], [*result.summary, *redacted]
    )


def validated(
    tables: dict[str, pd.DataFrame] | ImportResult,
    file: str,
    *,
    incident_ids: Collection[str] | None = None,
    today: pd.Timestamp | None = None,
) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """Validate and type imported frames with :func:`refugee_stats.ingest.validate.validate`.

    Returns one typed frame per table (``source_row`` = the publisher row) and the validation
    problems (rows = publisher rows). Frames are validated by position, so records that share a
    publisher row (UNHCR: one per decision column) are neither merged nor multiplied.
    """

    if isinstance(tables, ImportResult):
        tables = tables.tables
    typed: dict[str, pd.DataFrame] = {}
    problems: list[Problem] = []
    for table, frame in tables.items():
        rows = frame.index.to_numpy(dtype="int64")
        valid, found = validate(
            table,
            frame.reset_index(drop=True),
            file,
            incident_ids=incident_ids if table == "status" else None,
            today=today,
        )
        found = [p if p.row is None else p.replace(row=int(rows[p.row])) for p in found]
        if len(valid):
            valid["source_row"] = rows[valid["source_row"].to_numpy()].astype("int64")
        typed[table] = valid
        problems += found
    return typed, problems


def load_publisher(
    path: str | Path | MemoryFile,
    file: str | None = None,
    *,
    format: str | None = None,
    incident_ids: Collection[str] | None = None,
    today: pd.Timestamp | None = None,
    progress: Progress | None = None,
    allow_personal: bool = False,
) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """Import a publisher file and validate it: typed frames per table, and every problem found.

    This is the loader's hook: the frames are what ``refugee_stats.ingest.validate.validate`` returns
    (``source_file`` = ``file``, ``source_row`` = the publisher's row). ``allow_personal`` as
    for :func:`read_publisher`.
    """
    label = file if file is not None else str(path)
    result = read_publisher(path, format, progress, file=label, allow_personal=allow_personal)
    typed, found = validated(result, label, incident_ids=incident_ids, today=today)
    return typed, [*result.problems, *found]
