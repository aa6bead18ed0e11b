"""Reading files into raw text tables, one per table a file holds (a workbook: one per sheet).

Reading is lenient (any text, comma or semicolon, UTF-8 with or without BOM, XLSX,
Parquet); validation is strict and lazy (pandera collects every failure at once). Rows
with errors are left out and reported; a broken file never takes the other files down.

Large files are read by Arrow's CSV reader straight into columns; a file it cannot be
sure to read exactly as Python's csv module would (other encodings, ragged rows, a quote
in the header) is read by the csv module instead. Either way each column becomes a
categorical: every distinct value is trimmed, normalised, checked and converted once,
and the result reaches the rows through integer codes.
"""

from __future__ import annotations

import csv
import difflib
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pyarrow
import pyarrow.compute as _compute
import pyarrow.csv as pcsv
import pyarrow.parquet as pq

from refugee_stats import columns, countries
from refugee_stats.fields import TABLE_SPECS, TABLES, field_names, fields
from refugee_stats.ingest import bounded, textfile
from refugee_stats.ingest.files import MemoryFile, file_size, opened, unpacked
from refugee_stats.ingest.personal import personal_kind, personal_problem
from refugee_stats.ingest.problems import FileProblem, Problem, phrase, plural, problem

#: ``pyarrow.compute`` makes most of its functions (``utf8_trim``, ``equal``, ...) at import time from
#: Arrow's C++ function registry, so a type checker sees none of them.
pc: Any = _compute


def _cell_text(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass
class Sheet:
    """One table's worth of rows as read: cells as text, each row's spreadsheet number (header = 1),
    what reading noticed, and the sheet's name when a workbook holds several."""

    rows: list[list[str]]
    numbers: list[int]
    notes: list[textfile.Note] = field(default_factory=list)
    name: str | None = None
    delimiter: str | None = None


#: A workbook saved with a password is an OLE container holding this stream (its name in UTF-16).
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _read_xlsx(path: Path | MemoryFile) -> list[Sheet]:
    """Every sheet of a workbook that holds any text, in workbook order."""
    with path.open("rb") as handle:
        head = handle.read(8)
    if head == _OLE:
        data = path.read_bytes()
        if _ENCRYPTED in data:
            raise FileProblem("problem_xlsx_encrypted")
        raise FileProblem("problem_xls_named_xlsx")
    if not zipfile.is_zipfile(opened(path)):
        raise FileProblem("problem_xlsx_not_zip")
    try:
        # A workbook is a zip archive: its parts are inflated (and counted) within limits first.
        with zipfile.ZipFile(opened(path)) as archive:
            bounded.drain_zip(archive, file_size(path), path.name)
    except bounded.TooLarge as exc:
        raise FileProblem(exc.phrase) from exc
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError):
        pass  # damaged: openpyxl says so below
    try:
        books = pd.read_excel(opened(path), header=None, dtype=object, sheet_name=None, engine="openpyxl")
    except Exception as exc:  # openpyxl raises many kinds for damaged workbooks
        raise FileProblem("problem_xlsx_unreadable", error=type(exc).__name__) from exc
    sheets = []
    for name, frame in books.items():
        rows = [[_cell_text(v) for v in row] for row in frame.itertuples(index=False)]
        if any(cell.strip() for row in rows for cell in row):
            sheets.append(Sheet(rows, list(range(1, len(rows) + 1)), name=str(name)))
    if len(sheets) == 1:
        sheets[0].name = None  # one sheet of data: the workbook is the table, as a CSV file would be
    return sheets or [Sheet([], [])]


def _read_text(path: Path | MemoryFile) -> Sheet:
    data = path.read_bytes()
    if not data.strip():
        raise FileProblem("problem_file_empty")
    try:
        found = textfile.read_rows(data)
    except textfile.NotText as exc:
        raise FileProblem(exc.phrase) from exc
    return Sheet(found.rows, found.numbers, found.notes, delimiter=found.delimiter)


#: Bytes Arrow's CSV reader parses at a time (a record longer than this is read by the csv module).
CSV_BLOCK_BYTES = 16 << 20


@dataclass(frozen=True)
class CsvHead:
    """What the first line of a CSV file tells Arrow's reader: the separator and the header's cells."""

    delimiter: str
    cells: list[str]

    @property
    def width(self) -> int:
        return len(self.cells)


def csv_head(path: Path | MemoryFile) -> CsvHead | None:
    """The separator and header cells of a UTF-8 CSV file Arrow may read as the csv module would.

    None when it cannot from the start: not UTF-8, a binary or empty start, a lone carriage
    return in the header line, Excel's ``sep=`` line. Arrow's reading can still fail later
    (see :func:`_arrow_csv`); :func:`_read_text` then reads the file, and names what it finds.
    """
    with path.open("rb") as handle:
        head = handle.read(1 << 16)
    if not head.strip() or head[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in head[:8192]:
        return None
    if b"\n" not in head:
        return None
    try:
        first_line = head.split(b"\n", 1)[0].decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    if "\r" in first_line.rstrip("\r") or not first_line.strip():
        return None
    if textfile.EXCEL_SEPARATOR.match(first_line.rstrip("\r")):
        return None
    delimiter = textfile.delimiter(first_line)
    # Cells of the header line; if its record goes on past the line, Arrow finds another width.
    return CsvHead(delimiter, next(csv.reader([first_line.rstrip("\r")], delimiter=delimiter)))


def csv_parse_options(head: CsvHead) -> pcsv.ParseOptions:
    """How Arrow splits a file of this header into records (cells may span lines)."""
    return pcsv.ParseOptions(delimiter=head.delimiter, newlines_in_values=True, ignore_empty_lines=False)


def csv_convert_options(path: Path | MemoryFile, head: CsvHead) -> pcsv.ConvertOptions:
    """Every cell as text, blank cells as empty text. Each reading thread dictionary-encodes its block,
    so distinct values are found in parallel; identifiers (one distinct value per row) are plain text."""
    plain = _plain_positions(path, head.cells)
    return pcsv.ConvertOptions(
        column_types={
            f"f{i}": pyarrow.string() if i in plain else pyarrow.dictionary(pyarrow.int32(), pyarrow.string())
            for i in range(head.width)
        },
        strings_can_be_null=False,
        quoted_strings_can_be_null=False,
    )


def ends_in_open_quote(last: Iterable[object]) -> bool:
    """Whether the cells of a file's last record hold a line break: a quote never closed runs to the
    end of the file, which the csv module's reading tells from a cell meant to span lines."""
    return any("\n" in v or "\r" in v for v in last if isinstance(v, str))


def _arrow_csv(path: Path | MemoryFile) -> list[pyarrow.ChunkedArray] | None:
    """Every record of a UTF-8 CSV file as text columns (the header is record 0), read by Arrow.

    None when Arrow cannot be sure to read the file exactly as the csv module would
    (:func:`_read_text`): not UTF-8, a binary or empty start, a lone carriage return in the
    header line, rows whose number of cells differs from the header's, a NUL byte in a
    cell, or a line break in the last record (a quote never closed). :func:`_read_text`
    then reads it, and names what it finds.
    """
    head = csv_head(path)
    if head is None:
        return None
    width = head.width
    try:
        table = pcsv.read_csv(
            opened(path),
            read_options=pcsv.ReadOptions(autogenerate_column_names=True, block_size=CSV_BLOCK_BYTES),
            parse_options=csv_parse_options(head),
            convert_options=csv_convert_options(path, head),
        )
    except (pyarrow.ArrowException, OSError, ValueError):
        return None
    if table.num_columns != width or table.num_rows == 0 or any(holds_nul(c) for c in table.columns):
        return None
    if ends_in_open_quote(c[-1].as_py() for c in table.columns):
        return None
    return list(table.columns)


def holds_nul(column: pyarrow.ChunkedArray | pyarrow.Array) -> bool:
    """Whether any cell holds a NUL byte (the csv reader names each such cell; Arrow would keep it)."""
    chunks = column.chunks if isinstance(column, pyarrow.ChunkedArray) else [column]
    parts = [c.dictionary if pyarrow.types.is_dictionary(c.type) else c for c in chunks]
    return any(len(p) and pc.any(pc.match_substring(p, "\x00")).as_py() for p in parts)


#: Kinds of column whose values are (nearly) all distinct: kept as plain text, not categorical.
_PLAIN_KINDS = ("id", "ref")


def _plain_kind(table: str | None, name: str) -> bool:
    return table is not None and any(f.name == name and f.kind in _PLAIN_KINDS for f in fields(table))


def _plain_positions(path: Path | MemoryFile, header_cells: list[str]) -> set[int]:
    """Positions of identifier columns in a header line, as far as the header tells the table."""
    header = [normalise_header(c) for c in header_cells]
    table = detect_table(path, header)
    return {i for i, name in enumerate(header) if _plain_kind(table, name)}


def _arrow_text(column: pyarrow.ChunkedArray) -> pyarrow.ChunkedArray:
    """A column of any type as text, each distinct value written as in a spreadsheet cell (blank for null)."""
    if pyarrow.types.is_string(column.type) or pyarrow.types.is_large_string(column.type):
        return pc.fill_null(column, "")
    if pyarrow.types.is_dictionary(column.type):
        column = column.cast(column.type.value_type)
        return _arrow_text(column)
    uniques = pc.unique(column)
    text = pyarrow.array([_cell_text(v) for v in uniques.to_pylist()], pyarrow.string())
    return pc.fill_null(pc.take(text, pc.index_in(column, value_set=uniques)), "")


def _read_parquet(path: Path | MemoryFile) -> list[pyarrow.ChunkedArray]:
    """A Parquet file as text columns, its column names first (like a CSV header record)."""
    try:
        table = pq.read_table(opened(path))
    except Exception as exc:  # pyarrow raises many kinds for damaged files
        raise FileProblem("problem_parquet_unreadable", error=type(exc).__name__) from exc
    return [
        pyarrow.chunked_array(
            [
                pyarrow.array([str(name)], pyarrow.large_string()),
                *_arrow_text(col).cast(pyarrow.large_string()).chunks,
            ]
        )
        for name, col in zip(table.column_names, table.columns, strict=True)
    ]


def _read_columns(path: Path | MemoryFile) -> list[pyarrow.ChunkedArray] | None:
    """Every record of a file as text columns (header first), or None to read it row by row."""
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return _read_parquet(path)
    if suffix == ".xlsx":
        return None
    return _arrow_csv(path)


def read_rows(path: Path | MemoryFile) -> list[Sheet]:
    """Every row of a file as text (header first), per sheet of a workbook; one sheet for other files."""
    if path.suffix.lower() == ".xlsx":
        return _read_xlsx(path)
    if path.suffix.lower() == ".parquet":
        cols = [c.to_pylist() for c in _read_parquet(path)]
        rows = [list(r) for r in zip(*cols, strict=True)]
        return [Sheet(rows, list(range(1, len(rows) + 1)))]
    return [_read_text(path)]


def normalise_header(name: str) -> str:
    return re.sub(r"\s+", "_", name.strip().lstrip("\ufeff").casefold())


def detect_table(
    path: Path | MemoryFile | str | None, header: Iterable[str], sheet: str | None = None
) -> str | None:
    """Which table a file (or a workbook's sheet) holds: from the sheet's name, the file's name
    (``incidents*``, ``status*``, ``stocks*``, ``timeline*``), else its header."""
    stem = Path(path).stem if isinstance(path, str) else path.stem if path is not None else ""
    names = [sheet.strip().casefold() if sheet else "", stem.casefold()]
    for stem in names:
        for table in TABLES:
            if stem and stem.startswith(table):
                return table
    columns = set(header)
    return next((spec.name for spec in TABLE_SPECS.values() if set(spec.detect) <= columns), None)


def kept_columns(
    file: str, table: str, header: list[str], has_data: Callable[[int], bool], allow_personal: bool = False
) -> tuple[list[int], list[Problem]]:
    """The header positions of known columns, and a problem for each unnamed, repeated, unknown or personal one.

    A column that looks like a personal identifier is an error (the caller refuses the file)
    unless ``allow_personal``, when it is dropped with a warning.
    """
    known = field_names(table)
    keep: list[int] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for i, name in enumerate(header):
        if not name:
            if has_data(i):
                problems.append(
                    problem(file, phrase("problem_unnamed_column", position=i + 1), row=1, severity="warning")
                )
            continue
        if name in seen:
            problems.append(
                problem(
                    file,
                    "problem_column_twice",
                    row=1,
                    column=name,
                    severity="warning",
                )
            )
            continue
        seen.add(name)
        kind = personal_kind(name) if name not in known else None
        if kind is not None:
            problems.append(personal_problem(file, kind, allow_personal, row=1, column=name))
            continue
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1, cutoff=0.75)
            message = (
                phrase("problem_unknown_column_did_you_mean", close=close[0])
                if close
                else phrase("problem_unknown_column", known=", ".join(known))
            )
            problems.append(problem(file, message, row=1, column=name, severity="warning"))
            continue
        keep.append(i)
    return keep, problems


def _enum_key(value: str) -> str:
    return re.sub(r"[\s-]+", "_", value.casefold())


def _dictionary_codes(values: pyarrow.ChunkedArray) -> tuple[np.ndarray, pyarrow.Array]:
    """Codes and distinct values of a dictionary-encoded column (chunks may have their own dictionaries)."""
    if isinstance(values, pyarrow.Array):
        values = pyarrow.chunked_array([values])
    chunks = [c for c in values.unify_dictionaries().chunks if len(c)]
    if not chunks:
        return np.zeros(0, dtype=np.int32), pyarrow.array([], pyarrow.large_string())
    found = np.concatenate([c.indices.fill_null(-1).to_numpy(zero_copy_only=False) for c in chunks])
    dictionary = chunks[0].dictionary.cast(pyarrow.large_string())
    # A slice keeps its whole dictionary (the header's value too): keep the values in use only.
    used = np.bincount(found.astype(np.intp) + 1, minlength=len(dictionary) + 1)[1:] > 0
    if not used.all():
        renumber = columns.compact(np.append(np.where(used, np.cumsum(used) - 1, -1), -1), int(used.sum()))
        found, dictionary = renumber[found], dictionary.filter(pyarrow.array(used))
    return found, dictionary


def _categorical(
    values: pyarrow.ChunkedArray | pyarrow.Array, normalise: Callable[[str], str] | None = None
) -> pd.Categorical:
    """Text cells as a categorical: trimmed, blank as missing, each distinct value normalised once."""
    if pyarrow.types.is_dictionary(values.type):
        found, raw = _dictionary_codes(values)
    else:
        found, uniques = pd.factorize(pd.array(values, dtype=pd.StringDtype("pyarrow")), use_na_sentinel=True)
        raw = pyarrow.array(uniques, pyarrow.large_string())
    trimmed = pc.utf8_trim(raw, columns.WHITESPACE)
    blank = pc.equal(trimmed, "").to_numpy(zero_copy_only=False)
    changed = pc.any(pc.not_equal(trimmed, raw)).as_py() or normalise is not None
    if not changed:
        categories = pd.Index(pd.array(raw, dtype=pd.StringDtype("pyarrow")))
        if not blank.any():
            return pd.Categorical.from_codes(columns.compact(found, len(raw)), categories, validate=False)
        # Drop the blank value: renumber the others, in order, without hashing them again.
        keep = ~blank
        renumber = columns.compact(np.append(np.where(keep, np.cumsum(keep) - 1, -1), -1), int(keep.sum()))
        return pd.Categorical.from_codes(
            columns.compact(renumber[found], int(keep.sum())), categories[keep], validate=False
        )
    text = trimmed.to_pylist()
    if normalise is not None:
        text = [normalise(v) if v else v for v in text]
    merged, categories = pd.factorize(
        pd.array([v if v else None for v in text], dtype=pd.StringDtype("pyarrow")), use_na_sentinel=True
    )
    renumber = columns.compact(np.append(merged, -1), len(categories))
    return pd.Categorical.from_codes(
        columns.compact(renumber[found], len(categories)),
        pd.Index(pd.array(categories, dtype=pd.StringDtype("pyarrow"))),
        validate=False,
    )


def _normaliser(table: str, name: str) -> Callable[[str], str] | None:
    kinds = {f.name: f.kind for f in fields(table)}
    if kinds.get(name) == "country":
        # Lenient parsing: known spellings become alpha-3 codes now, so keys compare equal;
        # unknown ones stay as written for the error message.
        return lambda v: countries.to_alpha3(v) or v
    if kinds.get(name) == "enum":
        return _enum_key
    return None


#: Country cells that read as a country but most often mean "not available".
NAMIBIA = phrase("problem_namibia")


def _ambiguous_countries(
    file: str, table: str, names: list[str], cells: list, rows: np.ndarray
) -> list[Problem]:
    """A warning for every country cell written ``NA`` (any case), which is read as Namibia."""
    kinds = {f.name: f.kind for f in fields(table)}
    out = []
    for name, values in zip(names, cells, strict=True):
        if kinds.get(name) != "country":
            continue
        if pyarrow.types.is_dictionary(values.type):
            found, dictionary = _dictionary_codes(values)
            hits = np.flatnonzero(_is_na_text(dictionary))
            if not len(hits):
                continue
            where = np.flatnonzero(np.isin(found, hits))
            written = dictionary.take(pyarrow.array(found[where])).to_pylist()
        else:
            text = values.cast(pyarrow.large_string())
            where = np.flatnonzero(_is_na_text(text))
            written = text.take(pyarrow.array(where)).to_pylist() if len(where) else []
        for row, value in zip(rows[where].tolist(), written, strict=True):
            out.append(problem(file, NAMIBIA, row=row, column=name, value=value.strip(), severity="warning"))
    return out


def _is_na_text(values: pyarrow.Array | pyarrow.ChunkedArray) -> np.ndarray:
    trimmed = pc.utf8_lower(pc.utf8_trim(values.cast(pyarrow.large_string()), columns.WHITESPACE))
    return pc.equal(trimmed, "na").to_numpy(zero_copy_only=False)


def _frame(table: str, names: list[str], cells: list, rows: np.ndarray) -> pd.DataFrame:
    """The raw frame: one categorical column of text per kept column, indexed by spreadsheet row."""
    data = {
        name: _plain(values) if _plain_kind(table, name) else _categorical(values, _normaliser(table, name))
        for name, values in zip(names, cells, strict=True)
    }
    return pd.DataFrame(data, index=pd.Index(rows, name="row", dtype="int64"), columns=names)


def _plain(values: pyarrow.ChunkedArray | pyarrow.Array) -> pd.arrays.ArrowStringArray:
    """Text cells as pandas ``string``: trimmed, blank as missing (for columns of distinct values)."""
    if not isinstance(values, pyarrow.ChunkedArray):
        values = pyarrow.chunked_array([values])
    text = pc.utf8_trim(values.cast(pyarrow.large_string()), columns.WHITESPACE)
    blank = pc.equal(pc.binary_length(text), 0)
    if pc.any(blank).as_py():
        text = pc.if_else(blank, pyarrow.scalar(None, pyarrow.large_string()), text)
    return pd.arrays.ArrowStringArray(text, dtype=pd.StringDtype("pyarrow"))  # pyright: ignore[reportCallIssue]  # pandas 3 takes dtype= (pandas-stubs do not yet)


def refused(problems: list[Problem]) -> bool:
    """Whether a file's header problems refuse the whole file (personal-data columns)."""
    return any(p.severity == "error" and p.row == 1 for p in problems)


def _raw_frame_by_rows(
    path: Path | MemoryFile, file: str, allow_personal: bool = False
) -> tuple[str | None, pd.DataFrame | None, list[Problem]]:
    """:func:`raw_frame` for files read row by row (CSV files Arrow cannot be sure of; one-sheet workbooks)."""
    [found] = _raw_frames_by_rows(path, file, allow_personal)
    return found[1], found[2], found[3]


def _raw_frames_by_rows(
    path: Path | MemoryFile, file: str, allow_personal: bool = False
) -> list[tuple[str, str | None, pd.DataFrame | None, list[Problem]]]:
    """Per sheet (one for a text file): the label its problems name, table, raw frame and problems.

    A workbook with one sheet of data is labelled as its file; with several, each sheet is
    labelled ``file [sheet]`` and found its table by its name or header, and a sheet that
    matches no table is named in a warning.
    """
    try:
        sheets = read_rows(path)
    except FileProblem as exc:
        return [(file, None, None, [problem(file, exc.phrase)])]
    except OSError as exc:
        return [(file, None, None, [_open_failed(file, exc)])]
    found = [
        (sheet, *_sheet_frame(path, file, sheet, allow_personal, path.name if i == 0 else None))
        for i, sheet in enumerate(sheets)
    ]
    several = sum(table is not None for _, table, _, _ in found) > 1
    out = []
    for sheet, table, frame, problems in found:
        if table is None and sheet.name is not None:
            problems = [
                problem(file, phrase("problem_sheet_not_read", sheet=repr(sheet.name)), severity="warning")
            ]
        label = f"{file} [{sheet.name}]" if several and sheet.name is not None else file
        out.append((label, table, frame, [p.replace(file=label) for p in problems]))
    return out


#: Every separator :func:`refugee_stats.ingest.textfile.delimiter` can find, as messages name it
#: (catalog keys: tabs, commas, semicolons, bars).
_SEPARATORS = {
    "\t": "problem_part_sep_tabs",
    ",": "problem_part_sep_commas",
    ";": "problem_part_sep_semicolons",
    "|": "problem_part_sep_bars",
}


def _other_separator(row: list[str], sheet: Sheet) -> str | None:
    """The separator a text row's cells hold when it is not the header's (a row pasted from another file)."""
    if sheet.delimiter is None:
        return None
    return next((d for d in _SEPARATORS if d != sheet.delimiter and any(d in cell for cell in row)), None)


def _row_width_problem(file: str, row: list[str], number: int, width: int, sheet: Sheet) -> Problem:
    other = _other_separator(row, sheet)
    cells = plural("problem_part_cells", len(row))
    if other and sheet.delimiter is not None and len(row) < width:
        message = phrase(
            "problem_row_width_separator",
            cells=cells,
            width=width,
            other=phrase(_SEPARATORS[other]),
            header=phrase(_SEPARATORS[sheet.delimiter]),
        )
    else:
        message = phrase("problem_row_width", cells=cells, width=width)
    return problem(file, message, row=number)


def _sheet_frame(
    path: Path | MemoryFile, file: str, sheet: Sheet, allow_personal: bool, name: str | None
) -> tuple[str | None, pd.DataFrame | None, list[Problem]]:
    rows = sheet.rows
    header = [normalise_header(c) for c in rows[0]] if rows else []

    def column(cell: int | None) -> str:
        return header[cell] if cell is not None and cell < len(header) else ""

    problems = [
        problem(file, n.message, row=n.row, column=column(n.cell), value=n.value, severity=n.severity)
        for n in sheet.notes
    ]
    if not rows or not any(cell.strip() for cell in rows[0]):
        return (
            None,
            None,
            [*problems, problem(file, "problem_no_header")],
        )
    table = detect_table(name, header, sheet.name)
    if table is None:
        return None, None, [*problems, problem(file, _UNKNOWN_TABLE)]
    keep, found = kept_columns(
        file, table, header, lambda i: any(i < len(r) and r[i].strip() for r in rows[1:]), allow_personal
    )
    problems += found
    if refused(found):
        return table, None, problems
    width = len(header)
    required = [i for i, h in enumerate(header) if any(f.name == h and f.required for f in fields(table))]
    records: list[list[str]] = []
    index: list[int] = []
    for number, row in zip(sheet.numbers[1:], rows[1:], strict=True):
        if not any(cell.strip() for cell in row):
            continue
        too_long = len(row) > width and any(cell.strip() for cell in row[width:])
        # A short row is fine when only optional cells at its end are left off, or is told cell by
        # cell; one in another separator than the header's is one problem.
        too_short = len(row) < width and any(i >= len(row) for i in required) and _other_separator(row, sheet)
        if too_long or too_short:
            problems.append(_row_width_problem(file, row, number, width, sheet))
            continue
        row = row + [""] * (width - len(row))
        records.append([row[i].strip() for i in keep])
        index.append(number)
    cells = [pyarrow.array([r[j] for r in records], pyarrow.string()) for j in range(len(keep))]
    names, numbers = [header[i] for i in keep], np.array(index, dtype=np.int64)
    problems += _ambiguous_countries(file, table, names, cells, numbers)
    return table, _frame(table, names, cells, numbers), problems


_UNKNOWN_TABLE = "problem_unknown_table"


def _open_failed(file: str, exc: OSError) -> Problem:
    return problem(file, phrase("problem_open_failed", error=str(exc.strerror or exc)))


def raw_frame(
    path: Path, file: str, allow_personal: bool = False
) -> tuple[str | None, pd.DataFrame | None, list[Problem]]:
    """Read one file into a frame of text (categorical) columns indexed by spreadsheet row number (header = 1).

    Cells are trimmed, blank cells are missing, rows with no text are left out, countries
    and enum values are normalised. Returns the table name, the frame (None when the
    file cannot be used) and problems.
    """
    _, table, frame, problems = raw_frames(path, file, allow_personal, sheets=False)[0]
    return table, frame, problems


def raw_frames(
    path: Path | MemoryFile, file: str, allow_personal: bool = False, *, sheets: bool = True
) -> list[tuple[str, str | None, pd.DataFrame | None, list[Problem]]]:
    """:func:`raw_frame` for every table a file holds (each sheet of a workbook, when ``sheets``):
    per table, the file label its problems name, the table, the raw frame and problems."""
    try:
        inside, skipped = unpacked(path)
    except FileProblem as exc:
        return [(file, None, None, [problem(file, exc.phrase)])]
    except OSError as exc:
        return [(file, None, None, [_open_failed(file, exc)])]
    out: list[tuple[str, str | None, pd.DataFrame | None, list[Problem]]] = (
        [
            (
                file,
                None,
                None,
                [
                    problem(
                        file,
                        phrase("problem_members_not_read", members=", ".join(skipped)),
                        severity="warning",
                    )
                ],
            )
        ]
        if skipped
        else []
    )
    for member, one in inside:
        label = file if len(inside) == 1 else f"{file} [{member}]"
        out += _raw_frames_of(one, label, allow_personal, sheets)
    return out


def _raw_frames_of(
    path: Path | MemoryFile, file: str, allow_personal: bool, sheets: bool
) -> list[tuple[str, str | None, pd.DataFrame | None, list[Problem]]]:
    try:
        records = _read_columns(path)
    except FileProblem as exc:
        return [(file, None, None, [problem(file, exc.phrase)])]
    except OSError as exc:
        return [(file, None, None, [_open_failed(file, exc)])]
    if records is None:
        found = _raw_frames_by_rows(path, file, allow_personal)
        return found if sheets else found[:1]
    return [(file, *_columns_frame(path, file, records, allow_personal))]


def _columns_frame(
    path: Path | MemoryFile, file: str, records: list[pyarrow.ChunkedArray], allow_personal: bool
) -> tuple[str | None, pd.DataFrame | None, list[Problem]]:
    header_cells = [c[0].as_py() if len(c) else "" for c in records]
    if not any(cell.strip() for cell in header_cells):
        return None, None, [problem(file, "problem_no_header")]
    header = [normalise_header(c) for c in header_cells]
    table = detect_table(path, header)
    if table is None:
        return None, None, [problem(file, _UNKNOWN_TABLE)]
    data = [c.slice(1) for c in records]
    del records
    keep, problems = kept_columns(file, table, header, lambda i: bool(filled(data[i]).any()), allow_personal)
    if refused(problems):
        return table, None, problems
    frame, found = rows_frame(file, table, header, keep, data, np.arange(2, len(data[0]) + 2, dtype=np.int64))
    return table, frame, problems + found


def filled(cells: pyarrow.ChunkedArray | pyarrow.Array) -> np.ndarray:
    """Which cells hold any text (not only whitespace)."""
    text = cells.cast(pyarrow.large_string())
    return pc.not_equal(pc.utf8_trim(text, columns.WHITESPACE), "").to_numpy(zero_copy_only=False)


def rows_frame(
    file: str,
    table: str,
    header: list[str],
    keep: list[int],
    data: list[pyarrow.ChunkedArray] | list[pyarrow.Array],
    rows: np.ndarray,
) -> tuple[pd.DataFrame, list[Problem]]:
    """The raw frame of records read as text columns (one per header cell, ``rows`` their spreadsheet
    rows), keeping the columns at ``keep``; and the warnings about its cells (``NA`` countries).

    Records with no text in any cell (of any column, kept or not) are left out, like blank lines.
    The whole file at once, or a run of its records at a time (see :mod:`refugee_stats.ingest.stream`).
    """
    names, kept = [header[i] for i in keep], [data[i] for i in keep]
    problems = _ambiguous_countries(file, table, names, kept, rows)
    frame = _frame(table, names, kept, rows)
    any_text = np.zeros(len(rows), dtype=bool)
    for name in frame.columns:
        column = frame[name]
        is_cat = isinstance(column.dtype, pd.CategoricalDtype)
        any_text |= (np.asarray(column.array.codes) >= 0) if is_cat else column.notna().to_numpy()
    for i in sorted(set(range(len(header))) - set(keep)):
        if not any_text.all():
            any_text |= filled(data[i])
    if not any_text.all():
        frame = frame[any_text]
    return frame, problems
