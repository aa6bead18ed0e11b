"""Shared machinery of the publisher importers: opening files, finding the header, reading text
columns with progress, numbers, dates, countries, problems and the output frames."""

from __future__ import annotations

import csv
import gzip
import io
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from refugee_stats import countries, dates
from refugee_stats.fields import field_names
from refugee_stats.importers import places
from refugee_stats.ingest import bounded, textfile
from refugee_stats.ingest.files import MemoryFile
from refugee_stats.ingest.problems import PROBLEM_COLUMNS, Phrase, PhraseError, Problem, phrase, plural
from refugee_stats.ingest.problems import problem as ingest_problem

#: Keys of a problem, as ``refugee_stats.ingest`` reports them.
PROBLEM_KEYS = PROBLEM_COLUMNS

#: ``progress(done_rows, total_rows)``, called while a file is read.
Progress = Callable[[int, int], None]

#: Rows read per chunk (one progress call per chunk).
CHUNK_ROWS = 10_000

#: How many lines from the top are searched for the header row (publishers put notes above it).
HEADER_SEARCH_LINES = 60

#: Bytes read to detect a format without reading the whole file.
HEAD_BYTES = 256 * 1024

#: Count cells that mean "no figure" rather than zero: blank, UNHCR's "-", the Home Office's ":"
#: (suppressed), "*" (redacted small numbers), "..", "NA".
MISSING_COUNTS = frozenset({"", "-", ":", "*", "..", "na", "n/a"})


@dataclass(frozen=True)
class ImportResult:
    """What one publisher file turned into.

    ``tables`` maps a table name (``incidents``, ``status``, ``stocks``) to an all-text frame with
    the project's column names, indexed by ``row``: the line of the publisher file (header of a
    plain CSV = 1) of the first source row that contributed to the record. When one source row
    yields several records of one table (UNHCR: one per decision column or measure) they share
    that row number; use :func:`refugee_stats.importers.validated` to validate such frames.
    """

    format: str
    tables: dict[str, pd.DataFrame]
    problems: list[Problem]
    summary: list[str]

    @property
    def records(self) -> int:
        """Number of records over all tables."""
        return sum(len(frame) for frame in self.tables.values())


def problem(
    file: str,
    message: Phrase | str,
    *,
    row: int | None = None,
    column: str = "",
    value: object = "",
    severity: str = "warning",
) -> Problem:
    """A problem as the loader reports it (:func:`refugee_stats.ingest.problems.problem`); a warning unless told."""
    return ingest_problem(file, message, row=row, column=column, value=value, severity=severity)


def number(n: float) -> str:
    """``12,345``."""
    return f"{int(n):,}"


def many(n: float, word: str) -> str:
    """``1 row``, ``12,345 rows``."""
    return f"{number(n)} {word}{'' if int(n) == 1 else 's'}"


class ReadError(PhraseError):
    """The file cannot be read at all."""


def normalise(name: str) -> str:
    """Matching key of a column name: ``"Country of asylum (ISO)"`` -> ``country_of_asylum_iso``."""
    text = name.strip().lstrip("\ufeff").strip('"').strip().casefold()
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


def _cells(line: str, delimiter: str) -> list[str]:
    return next(csv.reader([line], delimiter=delimiter), [])


@dataclass(frozen=True)
class Header:
    """A candidate header row: its line (0-based), delimiter, names and, for HXL, the hashtag row."""

    line: int
    delimiter: str
    names: tuple[str, ...]
    keys: tuple[str, ...]
    tags: tuple[str, ...] | None = None
    preamble: tuple[str, ...] = ()

    def find(self, *alternatives: str) -> int | None:
        """Position of the first column whose key is one of ``alternatives``."""
        for key in alternatives:
            if key in self.keys:
                return self.keys.index(key)
        return None

    def resolve(self, aliases: Mapping[str, Sequence[str]]) -> dict[str, int]:
        """Canonical name -> position, for the canonical columns present."""
        out = {}
        for canonical, alternatives in aliases.items():
            position = self.find(*alternatives)
            if position is not None:
                out[canonical] = position
        return out


@dataclass
class Source:
    """A publisher file decoded to text."""

    path: Path | MemoryFile
    file: str
    text: str
    warnings: list[textfile.Note] = field(default_factory=list)  # rows are file lines

    @classmethod
    def open(cls, path: str | Path | MemoryFile, file: str | None = None, *, head: bool = False) -> Source:
        """Read and decode a file (plain, gzip or a zip holding one CSV); ``head`` reads its start only."""
        # In-memory uploads (refugee_stats.ingest.files.MemoryFile) are read as they are; names become paths.
        path = path if isinstance(path, MemoryFile) else Path(path)
        file = file if file is not None else str(path)
        if path.suffix.lower() in (".xlsx", ".xls", ".ods"):
            raise ReadError("problem_importer_workbook")
        try:
            with path.open("rb") as handle:
                magic = handle.read(4)
            if magic[:2] == b"\x1f\x8b" and head:
                with path.open("rb") as raw, gzip.GzipFile(fileobj=raw, mode="rb") as handle:
                    data = handle.read(HEAD_BYTES)
            elif magic[:2] == b"\x1f\x8b":
                with path.open("rb") as raw:
                    data = bounded.gzip_limited(raw, _size(path), path.name)
            elif magic == b"PK\x03\x04":
                data = _zip_member(path, head)
            else:
                with path.open("rb") as handle:
                    data = handle.read(HEAD_BYTES) if head else handle.read()
        except bounded.TooLarge as exc:
            raise ReadError(exc.phrase) from exc
        except (OSError, EOFError, zlib.error, zipfile.BadZipFile, gzip.BadGzipFile) as exc:
            raise ReadError("problem_read_failed", error=str(exc)) from exc
        if not data.strip():
            raise ReadError("problem_empty")
        if head and len(data) == HEAD_BYTES and b"\n" in data:
            data = data[: data.rindex(b"\n") + 1]  # whole lines only: no character cut at the end
        try:
            decoded = textfile.decode(data)
        except textfile.NotText as exc:
            raise ReadError(exc.phrase) from exc
        text = decoded.text
        warnings = [*decoded.notes, *textfile.odd_line_notes(decoded)]
        return cls(path, file, text, warnings)

    def headers(self) -> Iterator[Header]:
        """Candidate header rows among the first lines, top first."""
        lines = self.text.split("\n", HEADER_SEARCH_LINES + 1)[: HEADER_SEARCH_LINES + 1]
        lines = [line.rstrip("\r") for line in lines]
        for i, line in enumerate(lines[:HEADER_SEARCH_LINES]):
            if not line.strip():
                continue
            delimiter = textfile.delimiter(line)
            names = _cells(line, delimiter)
            if sum(1 for n in names if n.strip()) < 2:
                continue
            tags = None
            if i + 1 < len(lines):
                below = [c.strip() for c in _cells(lines[i + 1], delimiter)]
                filled = [c for c in below if c]
                if filled and all(c.startswith("#") for c in filled):
                    tags = tuple(below + [""] * (len(names) - len(below)))
            yield Header(
                line=i,
                delimiter=delimiter,
                names=tuple(n.strip().lstrip("\ufeff") for n in names),
                keys=tuple(normalise(n) for n in names),
                tags=tags,
                preamble=tuple(lines[:i]),
            )

    def read(
        self, header: Header, columns: Mapping[str, int], progress: Progress | None = None
    ) -> pd.DataFrame:
        """The named columns (name -> position) as text, indexed by file line (``row``, 1-based).

        Only these columns are read: any other column (such as a redacted date of birth) never
        enters memory. Rows whose selected cells are all blank are left out.
        """
        first = header.line + 2 + (1 if header.tags is not None else 0)
        skip = list(range(header.line))
        if header.tags is not None:
            skip.append(header.line + 1)
        total = max(self.text.count("\n") - (first - 1) + (0 if self.text.endswith("\n") else 1), 0)
        positions = sorted(set(columns.values()))
        try:
            reader = pd.read_csv(
                io.StringIO(self.text),
                sep=header.delimiter,
                header=0,
                skiprows=skip,
                usecols=positions,
                dtype=object,
                keep_default_na=False,
                na_filter=False,
                skip_blank_lines=False,
                chunksize=CHUNK_ROWS,
                engine="c",
            )
            chunks = []
            done = 0
            for chunk in reader:
                chunks.append(chunk)
                done += len(chunk)
                if progress is not None:
                    progress(min(done, total), total)
        except (pd.errors.ParserError, ValueError) as exc:
            raise ReadError("problem_rows_unreadable", error=str(exc)) from exc
        if progress is not None:
            progress(total, total)
        frame = pd.concat(chunks) if chunks else pd.DataFrame(columns=range(len(positions)))
        by_position = dict(zip(positions, frame.columns, strict=True))
        out = pd.DataFrame(
            {
                name: _stripped(frame[by_position[pos]].to_numpy(dtype=object))
                for name, pos in columns.items()
            },
            index=pd.RangeIndex(first, first + len(frame), name="row"),
            dtype=object,
        )
        blank = (out == "").all(axis=1)
        return out[~blank]


def _stripped(values: np.ndarray) -> np.ndarray:
    """Cells without surrounding blanks, as an object array (each distinct value stripped once)."""
    codes, uniques = pd.factorize(values)
    cleaned = np.array([str(u).strip() for u in uniques] + [""], dtype=object)
    return cleaned[codes]  # code -1 (a missing cell) picks the trailing ""


def _size(path: Path | MemoryFile) -> int:
    """Bytes of a file on disk or in memory (an upload)."""
    return len(path.read_bytes()) if not isinstance(path, Path) else path.stat().st_size


def _zip_member(path: Path | MemoryFile, head: bool) -> bytes:
    with zipfile.ZipFile(path if isinstance(path, Path) else path.open("rb")) as archive:
        names = [n for n in archive.namelist() if n.lower().endswith((".csv", ".txt", ".tsv"))]
        if not names:
            raise ReadError("problem_zip_without_csv")
        # UNHCR's download holds the table and a footnotes file: take the table.
        names.sort(key=lambda n: "footnote" in n.lower())
        if head:
            with archive.open(names[0]) as member:
                return member.read(HEAD_BYTES)
        size = _size(path)
        bounded.check_zip(archive, size, path.name)
        return bounded.read_member(archive, names[0], size, path.name)


# -- values ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Counts:
    """Parsed count cells: ``numbers`` (float, NaN unless valid), ``missing`` and ``bad`` masks, and
    the ``cells`` as written."""

    numbers: pd.Series
    missing: pd.Series
    bad: pd.Series
    cells: pd.Series


def counts(cells: pd.Series) -> Counts:
    """Whole numbers >= 0 from text cells (``12``, ``12.0``, ``1,234``); missing markers kept apart."""
    codes, uniques = pd.factorize(cells.to_numpy(dtype=object))
    parsed = [_count(u) for u in uniques] + [(np.nan, True, False)]  # code -1: a missing cell
    numbers, missing, bad = (np.array(part)[codes] for part in zip(*parsed, strict=True))
    index = cells.index
    return Counts(
        pd.Series(numbers.astype(float), index=index),
        pd.Series(missing.astype(bool), index=index),
        pd.Series(bad.astype(bool), index=index),
        cells,
    )


_THOUSANDS = re.compile(r"(?<=\d)[,\u00a0 ](?=\d{3}(?:\D|$))")


def _count(cell: object) -> tuple[float, bool, bool]:
    """(number or NaN, missing, bad) for one cell."""
    text = "" if cell is None or cell is pd.NA else str(cell).strip()
    if text.casefold() in MISSING_COUNTS:
        return np.nan, True, False
    try:
        value = float(_THOUSANDS.sub("", text))
    except ValueError:
        return np.nan, False, True
    if not np.isfinite(value) or value < 0 or not value.is_integer():
        return np.nan, False, True
    return value, False, False


def whole(numbers: pd.Series) -> pd.Series:
    """Float counts as text of whole numbers (``12.0`` -> ``"12"``)."""
    return numbers.round().astype("int64").astype(str)


def valid_date(value: str) -> bool:
    """A date the data contract accepts and that is not in the future."""
    return dates.is_valid(value) and dates.is_not_future(value)


# -- problems, one per bad cell -------------------------------------------------------------


def cell_problems(
    file: str,
    column: str | pd.Series,
    values: pd.Series,
    mask: pd.Series,
    message: Callable[[str], tuple[Phrase, str]],
    people: pd.Series | None = None,
    unit: str = "row",
) -> tuple[list[Problem], int]:
    """One problem per cell in ``mask``, as the loader reports them: at the cell's row (the index
    of ``values``), in its ``column`` as written in the file (one name, or one per row), with the
    value as written.

    ``message(value)`` returns ``(message, severity)`` (asked once per distinct value); the ``unit``
    left out (``row`` or ``cell``; and, with ``people``, how many people) is added. Returns the problems, in row order,
    and the number of cells.
    """
    selected = np.asarray(mask, dtype=bool)
    if not selected.any():
        return [], 0
    rows = values.index.to_numpy()[selected]
    cells = values.to_numpy(dtype=object)[selected]
    names = (
        column.to_numpy(dtype=object)[selected]
        if isinstance(column, pd.Series)
        else np.full(len(rows), column, dtype=object)
    )
    counted = people.fillna(0).to_numpy()[selected] if people is not None else None
    said: dict[str, tuple[Phrase, str]] = {}
    out = []
    for k in np.argsort(rows, kind="stable"):
        value = "" if cells[k] is None or cells[k] is pd.NA else str(cells[k])
        if value not in said:
            said[value] = message(value)
        reason, severity = said[value]
        if counted is None:
            text = phrase(f"problem_left_out_{unit}", reason=reason)
        else:
            people_left = plural("problem_part_people", int(counted[k]))
            text = phrase(f"problem_left_out_{unit}_people", reason=reason, people=people_left)
        out.append(
            problem(
                file,
                text,
                row=int(rows[k]),
                column=str(names[k]),
                value=value,
                severity=severity,
            )
        )
    return out, int(selected.sum())


def country_message(value: str) -> tuple[Phrase, str]:
    """Why a country value is left out: a known non-country (warning) or an unknown name (error)."""
    why = places.reason_key(value)
    if why:
        return phrase("problem_not_a_country", why=phrase(why)), "warning"
    close = countries.suggest(value) if value.strip() else None
    if close:
        return phrase("problem_unknown_country_name_did_you_mean", close=close), "error"
    return phrase("problem_unknown_country_name"), "error"


def country_codes(values: pd.Series) -> pd.Series:
    """Alpha-3 code per value (None when it is not one country), mapping each distinct value once."""
    codes, uniques = pd.factorize(values.to_numpy(dtype=object))
    mapped = np.array([places.alpha3(v) for v in uniques] + [None], dtype=object)
    return pd.Series(mapped[codes], index=values.index, dtype=object)


def published_names(names: pd.Series, codes: pd.Series) -> dict[str, str]:
    """Code -> the publisher's spelling(s) that mapped to it, for notes."""
    pairs = pd.DataFrame({"code": codes, "name": names}).dropna().drop_duplicates()
    return {str(code): " + ".join(group["name"]) for code, group in pairs.groupby("code", sort=False)}


# -- output ----------------------------------------------------------------------------------


def text_frame(
    table: str, rows: Sequence[int] | pd.Index | pd.Series, columns: Mapping[str, object]
) -> pd.DataFrame:
    """An all-text frame of one table (every field, in order; blank = NA) indexed by ``row``."""
    index = pd.Index(list(rows), name="row", dtype="int64")
    data = {}
    for name in field_names(table):
        value = columns.get(name)
        if value is None:
            data[name] = pd.Series(pd.NA, index=index, dtype=object)
        elif isinstance(value, str):
            data[name] = pd.Series(value if value else pd.NA, index=index, dtype=object)
        else:
            values = np.array(value, dtype=object)
            blank = pd.isna(values) | (values == "")
            values[blank] = pd.NA
            data[name] = pd.Series(values, index=index, dtype=object)
    return pd.DataFrame(data, index=index, dtype=object)


def empty_frame(table: str) -> pd.DataFrame:
    """A text frame of one table with no rows."""
    return text_frame(table, [], {})


# -- formats ---------------------------------------------------------------------------------

Reader = Callable[[Source, Header, "Progress | None"], ImportResult]


@dataclass(frozen=True)
class Format:
    """A publisher layout: its name, a one-line description, the columns that identify it, its reader.

    ``needs`` lists, per required column, the normalised names it may have (see :func:`normalise`);
    ``excludes`` names columns whose presence means another layout.
    """

    name: str
    description: str
    needs: tuple[tuple[str, ...], ...]
    read: Reader
    excludes: tuple[str, ...] = ()
    hxl: bool = False

    def missing(self, header: Header) -> list[str]:
        """Required columns this header lacks (first spelling of each)."""
        return [alternatives[0] for alternatives in self.needs if header.find(*alternatives) is None]

    def matches(self, header: Header) -> bool:
        """Whether a header row is this layout's."""
        if self.hxl:
            return header.tags is not None
        return (
            header.tags is None
            and not self.missing(header)
            and not any(key in header.keys for key in self.excludes)
        )
