"""Load incident, status, stock and timeline files into typed frames plus one table of problems.

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
import gzip
import io
import os
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow as pyarrow
import pyarrow.compute as pc
import pyarrow.csv as pcsv
import pyarrow.parquet as pq

from refugee_stats import bounded, columns, countries, dates, textfile
from refugee_stats.fields import TABLES, field_names, fields
from refugee_stats.personal import PERSONAL_DROPPED, PERSONAL_REFUSED, personal_kind
from refugee_stats.schema import END_BEFORE_START, TRUE_VALUES, UNHCR_OVER_PEOPLE, raw_schema

PROBLEM_COLUMNS = ("file", "row", "column", "value", "message", "severity")
DATA_SUFFIXES = (".csv", ".xlsx", ".tsv", ".txt", ".gz", ".zip", ".parquet")
ENV_VAR = "REFUGEE_STATS_DATA"

#: Messages for pandera's built-in checks (custom checks carry their own).
_BUILTIN_MESSAGES = {
    "column_in_dataframe": "required column is missing",
    "not_nullable": "required cell is empty",
    "field_uniqueness": "duplicate value; must be unique in the file",
}


@dataclass(frozen=True)
class Dataset:
    """Everything loaded: one typed frame per table and every problem found."""

    incidents: pd.DataFrame
    status: pd.DataFrame
    timeline: pd.DataFrame
    problems: pd.DataFrame
    stocks: pd.DataFrame = field(default_factory=lambda: empty_table("stocks"))
    files: tuple[str, ...] = field(default=())

    @property
    def errors(self) -> pd.DataFrame:
        """Problems of severity ``error`` (rows or files left out)."""
        return self.problems[self.problems["severity"] == "error"]

    def __reduce__(self) -> tuple:
        # Pickling (Streamlit's cache does, on every rerun) keeps the codes of the text columns,
        # so an unpickled dataset filters and groups as fast as a freshly loaded one.
        if "incident_id" in self.incidents:
            columns.codes(self.incidents["incident_id"])  # worked out once here, not after every unpickling
        codes = {name: columns.snapshot(getattr(self, name)) for name in _TABLE_FIELDS}
        return (_unpickle_dataset, (self.__dict__.copy(), codes))


_TABLE_FIELDS = ("incidents", "status", "timeline", "stocks")


def _unpickle_dataset(state: dict, codes: dict[str, dict]) -> Dataset:
    dataset = Dataset(**state)
    for name, saved in codes.items():
        columns.restore(getattr(dataset, name), saved)
    return dataset


@dataclass(frozen=True)
class MemoryFile:
    """A file held in memory (an upload): read like a path, never written anywhere."""

    name: str
    data: bytes

    @property
    def suffix(self) -> str:
        return Path(self.name).suffix

    @property
    def stem(self) -> str:
        return Path(self.name).stem

    def exists(self) -> bool:
        return True

    def is_dir(self) -> bool:
        return False

    def read_bytes(self) -> bytes:
        return self.data

    def open(self, mode: str = "rb") -> io.BytesIO:
        if mode != "rb":
            raise ValueError("a MemoryFile is read-only")
        return io.BytesIO(self.data)

    def __str__(self) -> str:
        return self.name


def _source(path: Path | MemoryFile) -> Path | io.BytesIO:
    """What readers that take a path or a file object should be given."""
    return path.open("rb") if isinstance(path, MemoryFile) else path


def bundled_data_dir() -> Path:
    """The sample data folder shipped with the project."""
    return Path(__file__).resolve().parent.parent / "data"


def default_data_dir() -> Path:
    """``$REFUGEE_STATS_DATA`` when set, else the bundled sample folder."""
    configured = os.environ.get(ENV_VAR, "").strip()
    return Path(configured) if configured else bundled_data_dir()


def data_files(paths: Iterable[str | Path | MemoryFile]) -> list[Path | MemoryFile]:
    """The data files named by ``paths``: files as given, folders expanded to their data files."""
    return scan(paths)[0]


#: Workbook formats the loader does not read, named when found in a data folder.
_OTHER_SPREADSHEETS = (".xls", ".xlsm", ".xlsb", ".ods", ".numbers")


def scan(paths: Iterable[str | Path | MemoryFile]) -> tuple[list[Path | MemoryFile], list[dict]]:
    """The data files named by ``paths`` (folders expanded, by name), and a problem for each entry of a
    folder that looks like data but is not read: a folder, a broken link, another workbook format."""
    out: list[Path | MemoryFile] = []
    problems: list[dict] = []
    for path in (p if isinstance(p, MemoryFile) else Path(p) for p in paths):
        if not path.is_dir():
            out.append(path)
            continue
        for entry in sorted(path.iterdir()):
            suffix = entry.suffix.lower()
            if entry.name.startswith("."):
                continue  # hidden: .git, .DS_Store
            if entry.is_symlink() and not entry.exists():
                target = os.readlink(entry)
                problems.append(_problem(str(entry), f"a link to {target}, which does not exist; not read"))
            elif entry.is_dir():
                message = "a folder, not a file: its contents are not read; put data files in the data folder itself"
                looks_like_data = suffix in DATA_SUFFIXES
                problems.append(
                    _problem(str(entry), message, severity="error" if looks_like_data else "warning")
                )
            elif suffix in _OTHER_SPREADSHEETS:
                problems.append(
                    _problem(
                        str(entry),
                        f"{suffix} workbooks are not read; save the data sheet as .xlsx or CSV UTF-8",
                        severity="warning",
                    )
                )
            elif suffix in DATA_SUFFIXES and not entry.is_file():
                problems.append(_problem(str(entry), "not a regular file (a device or pipe); not read"))
            elif suffix in DATA_SUFFIXES:
                out.append(entry)
    return out, problems


def problems_frame(rows: Iterable[dict]) -> pd.DataFrame:
    """One row per problem: file, spreadsheet row (header = 1; blank for the whole file), column, value, message, severity."""
    frame = pd.DataFrame(list(rows), columns=list(PROBLEM_COLUMNS))
    frame["row"] = frame["row"].astype("Int64")
    for name in ("file", "column", "value", "message", "severity"):
        frame[name] = frame[name].fillna("").astype(str)
    return frame


def _problem(
    file: str,
    message: str,
    *,
    row: int | None = None,
    column: str = "",
    value: object = "",
    severity: str = "error",
) -> dict:
    return {
        "file": file,
        "row": row,
        "column": column,
        "value": "" if value is None or value is pd.NA else str(value),
        "message": message,
        "severity": severity,
    }


def sort_problems(problems: pd.DataFrame) -> pd.DataFrame:
    """Problems by file, then row (whole-file problems first); within a row, as validation listed them."""
    return problems.sort_values(["file", "row"], na_position="first", kind="stable").reset_index(drop=True)


# -- reading -------------------------------------------------------------------------------


class FileProblem(Exception):
    """A file cannot be read at all."""


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


def _size(path: Path | MemoryFile) -> int:
    return len(path.data) if isinstance(path, MemoryFile) else path.stat().st_size


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
            raise FileProblem(
                "this workbook is encrypted (saved with a password); open it in the spreadsheet program, "
                "remove the password and save it again, or save the data sheet as CSV UTF-8"
            )
        raise FileProblem(
            "an Excel 97-2003 workbook (.xls) named .xlsx; save it as .xlsx (Excel Workbook) or CSV UTF-8"
        )
    if not zipfile.is_zipfile(_source(path)):
        raise FileProblem("not an Excel .xlsx file (it is not a zip archive); save it as .xlsx or CSV UTF-8")
    try:
        # A workbook is a zip archive: its parts are inflated (and counted) within limits first.
        with zipfile.ZipFile(_source(path)) as archive:
            bounded.drain_zip(archive, _size(path), path.name)
    except bounded.TooLarge as exc:
        raise FileProblem(str(exc)) from exc
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError):
        pass  # damaged: openpyxl says so below
    try:
        books = pd.read_excel(_source(path), header=None, dtype=object, sheet_name=None, engine="openpyxl")
    except Exception as exc:  # openpyxl raises many kinds for damaged workbooks
        raise FileProblem(
            f"cannot read this .xlsx file ({type(exc).__name__}); save it again from a spreadsheet program"
        ) from exc
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
        raise FileProblem("file is empty; expected a header row and data rows")
    try:
        found = textfile.read_rows(data)
    except textfile.NotText as exc:
        raise FileProblem(str(exc)) from exc
    return Sheet(found.rows, found.numbers, found.notes, delimiter=found.delimiter)


def _arrow_csv(path: Path) -> list[pyarrow.ChunkedArray] | None:
    """Every record of a UTF-8 CSV file as text columns (the header is record 0), read by Arrow.

    None when Arrow cannot be sure to read the file exactly as the csv module would
    (:func:`_read_text`): not UTF-8, a binary or empty start, a lone carriage return in the
    header line, rows whose number of cells differs from the header's, a NUL byte in a
    cell, or a line break in the last record (a quote never closed). :func:`_read_text`
    then reads it, and names what it finds.
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
    cells = next(csv.reader([first_line.rstrip("\r")], delimiter=delimiter))
    width = len(cells)
    plain = _plain_positions(path, cells)
    try:
        table = pcsv.read_csv(
            _source(path),
            read_options=pcsv.ReadOptions(autogenerate_column_names=True, block_size=16 << 20),
            parse_options=pcsv.ParseOptions(
                delimiter=delimiter, newlines_in_values=True, ignore_empty_lines=False
            ),
            convert_options=pcsv.ConvertOptions(
                # Each reading thread dictionary-encodes its block: distinct values are found in parallel.
                # Identifiers (one distinct value per row) are read as plain text.
                column_types={
                    f"f{i}": pyarrow.string()
                    if i in plain
                    else pyarrow.dictionary(pyarrow.int32(), pyarrow.string())
                    for i in range(width)
                },
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pyarrow.ArrowException, OSError, ValueError):
        return None
    if table.num_columns != width or table.num_rows == 0 or any(_holds_nul(c) for c in table.columns):
        return None
    # A quote never closed runs to the end of the file: its last record then has a line break in a
    # cell. The csv module's reading tells that from a cell that is meant to span lines.
    last = [c[-1].as_py() for c in table.columns]
    if any("\n" in v or "\r" in v for v in last if isinstance(v, str)):
        return None
    return list(table.columns)


def _holds_nul(column: pyarrow.ChunkedArray) -> bool:
    """Whether any cell holds a NUL byte (the csv reader names each such cell; Arrow would keep it)."""
    parts = [c.dictionary if pyarrow.types.is_dictionary(c.type) else c for c in column.chunks]
    return any(len(p) and pc.any(pc.match_substring(p, "\x00")).as_py() for p in parts)


#: Kinds of column whose values are (nearly) all distinct: kept as plain text, not categorical.
_PLAIN_KINDS = ("id", "ref")


def _plain_kind(table: str | None, name: str) -> bool:
    return table is not None and any(f.name == name and f.kind in _PLAIN_KINDS for f in fields(table))


def _plain_positions(path: Path, header_cells: list[str]) -> set[int]:
    """Positions of identifier columns in a header line, as far as the header tells the table."""
    header = [_normalise_header(c) for c in header_cells]
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


def _read_parquet(path: Path) -> list[pyarrow.ChunkedArray]:
    """A Parquet file as text columns, its column names first (like a CSV header record)."""
    try:
        table = pq.read_table(_source(path))
    except Exception as exc:  # pyarrow raises many kinds for damaged files
        raise FileProblem(
            f"cannot read this Parquet file ({type(exc).__name__}); write it again or save it as CSV UTF-8"
        ) from exc
    return [
        pyarrow.chunked_array(
            [
                pyarrow.array([str(name)], pyarrow.large_string()),
                *_arrow_text(col).cast(pyarrow.large_string()).chunks,
            ]
        )
        for name, col in zip(table.column_names, table.columns, strict=True)
    ]


def _read_columns(path: Path) -> list[pyarrow.ChunkedArray] | None:
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


def _normalise_header(name: str) -> str:
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
    if {"incident_id", "type"} <= columns:
        return "incidents"
    if {"record_id", "decision"} <= columns:
        return "status"
    if {"measure", "people"} <= columns:
        return "stocks"
    if {"label", "date"} <= columns:
        return "timeline"
    return None


def _kept_columns(
    file: str, table: str, header: list[str], has_data: Callable[[int], bool], allow_personal: bool = False
) -> tuple[list[int], list[dict]]:
    """The header positions of known columns, and a problem for each unnamed, repeated, unknown or personal one.

    A column that looks like a personal identifier is an error (the caller refuses the file)
    unless ``allow_personal``, when it is dropped with a warning.
    """
    known = field_names(table)
    keep: list[int] = []
    problems: list[dict] = []
    seen: set[str] = set()
    for i, name in enumerate(header):
        if not name:
            if has_data(i):
                problems.append(
                    _problem(file, f"column {i + 1} has no name; it is ignored", row=1, severity="warning")
                )
            continue
        if name in seen:
            problems.append(
                _problem(
                    file,
                    "column appears twice; the second is ignored",
                    row=1,
                    column=name,
                    severity="warning",
                )
            )
            continue
        seen.add(name)
        kind = personal_kind(name) if name not in known else None
        if kind is not None:
            message, severity = (
                (PERSONAL_DROPPED, "warning") if allow_personal else (PERSONAL_REFUSED, "error")
            )
            problems.append(_problem(file, message.format(kind=kind), row=1, column=name, severity=severity))
            continue
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1, cutoff=0.75)
            hint = f"; did you mean {close[0]}?" if close else f"; known columns: {', '.join(known)}"
            problems.append(
                _problem(file, f"unknown column, ignored{hint}", row=1, column=name, severity="warning")
            )
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
NAMIBIA = (
    'read as Namibia ("NA" is its two-letter code); if it means "not available", leave the cell blank, '
    "and write NAM to mean Namibia without this warning"
)


def _ambiguous_countries(
    file: str, table: str, names: list[str], cells: list, rows: np.ndarray
) -> list[dict]:
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
            out.append(_problem(file, NAMIBIA, row=row, column=name, value=value.strip(), severity="warning"))
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
    return pd.arrays.ArrowStringArray(text, dtype=pd.StringDtype("pyarrow"))


def _refused(problems: list[dict]) -> bool:
    """Whether a file's header problems refuse the whole file (personal-data columns)."""
    return any(p["severity"] == "error" and p["row"] == 1 for p in problems)


def _raw_frame_by_rows(
    path: Path | MemoryFile, file: str, allow_personal: bool = False
) -> tuple[str | None, pd.DataFrame | None, list[dict]]:
    """:func:`raw_frame` for files read row by row (CSV files Arrow cannot be sure of; one-sheet workbooks)."""
    [found] = _raw_frames_by_rows(path, file, allow_personal)
    return found[1], found[2], found[3]


def _raw_frames_by_rows(
    path: Path | MemoryFile, file: str, allow_personal: bool = False
) -> list[tuple[str, str | None, pd.DataFrame | None, list[dict]]]:
    """Per sheet (one for a text file): the label its problems name, table, raw frame and problems.

    A workbook with one sheet of data is labelled as its file; with several, each sheet is
    labelled ``file [sheet]`` and found its table by its name or header, and a sheet that
    matches no table is named in a warning.
    """
    try:
        sheets = read_rows(path)
    except FileProblem as exc:
        return [(file, None, None, [_problem(file, str(exc))])]
    except OSError as exc:
        return [(file, None, None, [_problem(file, f"cannot open the file ({exc.strerror or exc})")])]
    found = [
        (sheet, *_sheet_frame(path, file, sheet, allow_personal, path.name if i == 0 else None))
        for i, sheet in enumerate(sheets)
    ]
    several = sum(table is not None for _, table, _, _ in found) > 1
    out = []
    for sheet, table, frame, problems in found:
        if table is None and sheet.name is not None:
            problems = [
                _problem(
                    file,
                    f"sheet {sheet.name!r} is not read: its name and header match no table; name the sheet "
                    "incidents, status, stocks or timeline, or give it that table's header",
                    severity="warning",
                )
            ]
        label = f"{file} [{sheet.name}]" if several and sheet.name is not None else file
        for p in problems:
            p["file"] = label
        out.append((label, table, frame, problems))
    return out


_SEPARATORS = {"\t": "tabs", ",": "commas", ";": "semicolons"}


def _other_separator(row: list[str], sheet: Sheet) -> str | None:
    """The separator a text row's cells hold when it is not the header's (a row pasted from another file)."""
    if sheet.delimiter is None:
        return None
    return next((d for d in _SEPARATORS if d != sheet.delimiter and any(d in cell for cell in row)), None)


def _row_width_problem(file: str, row: list[str], number: int, width: int, sheet: Sheet) -> dict:
    hint = ""
    other = _other_separator(row, sheet)
    if other and len(row) < width:
        hint = f" (its cells seem separated by {_SEPARATORS[other]}, the header's by {_SEPARATORS[sheet.delimiter]})"
    cells = f"{len(row)} cell{'s' * (len(row) != 1)}"
    return _problem(file, f"row has {cells} but the header has {width}{hint}; row left out", row=number)


def _sheet_frame(
    path: Path | MemoryFile, file: str, sheet: Sheet, allow_personal: bool, name: str | None
) -> tuple[str | None, pd.DataFrame | None, list[dict]]:
    rows = sheet.rows
    header = [_normalise_header(c) for c in rows[0]] if rows else []

    def column(cell: int | None) -> str:
        return header[cell] if cell is not None and cell < len(header) else ""

    problems = [
        _problem(file, n.message, row=n.row, column=column(n.cell), value=n.value, severity=n.severity)
        for n in sheet.notes
    ]
    if not rows or not any(cell.strip() for cell in rows[0]):
        return (
            None,
            None,
            [*problems, _problem(file, "file is empty or its first row is blank; expected a header row")],
        )
    table = detect_table(name, header, sheet.name)
    if table is None:
        return None, None, [*problems, _problem(file, _UNKNOWN_TABLE)]
    keep, found = _kept_columns(
        file, table, header, lambda i: any(i < len(r) and r[i].strip() for r in rows[1:]), allow_personal
    )
    problems += found
    if _refused(found):
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


_UNKNOWN_TABLE = (
    "cannot tell which table this is; name the file incidents.csv, status.csv, stocks.csv or timeline.csv"
)

#: Files of these kinds inside a .zip archive are read, each as a file of its own.
_ZIPPED_SUFFIXES = (".csv", ".tsv", ".txt")


def _unpacked(path: Path | MemoryFile) -> tuple[list[tuple[str | None, Path | MemoryFile]], list[str]]:
    """A ``.gz`` or ``.zip`` file inflated (within :mod:`refugee_stats.bounded`'s limits) into memory;
    any other file as it is. Per file inside: its name in the archive (None for a gzip or a plain
    file) and the file, named as inside (``incidents.csv.gz`` -> ``incidents.csv``); and the
    names of archive members that are not read."""
    suffix = path.suffix.lower()
    if suffix not in (".gz", ".zip"):
        return [(None, path)], []
    with path.open("rb") as handle:
        magic = handle.read(4)
    try:
        if suffix == ".gz" and magic[:2] == b"\x1f\x8b":
            with path.open("rb") as raw:
                data = bounded.gzip_limited(raw, _size(path), path.name)
            return [(None, MemoryFile(path.stem, data))], []
        if suffix == ".zip" and magic == b"PK\x03\x04":
            with zipfile.ZipFile(_source(path)) as archive:
                members = [i.filename for i in archive.infolist() if not i.is_dir()]
                names = sorted(n for n in members if n.lower().endswith(_ZIPPED_SUFFIXES))
                if not names:
                    raise FileProblem("the zip archive holds no CSV file")
                bounded.check_zip(archive, _size(path), path.name)
                files = [
                    (
                        name,
                        MemoryFile(
                            Path(name).name, bounded.read_member(archive, name, _size(path), path.name)
                        ),
                    )
                    for name in names
                ]
            return files, sorted(set(members) - set(names))
    except bounded.TooLarge as exc:
        raise FileProblem(str(exc)) from exc
    except (zipfile.BadZipFile, gzip.BadGzipFile, EOFError, zlib.error) as exc:
        raise FileProblem(f"cannot read the compressed file ({exc})") from exc
    return [(None, path)], []


def raw_frame(
    path: Path, file: str, allow_personal: bool = False
) -> tuple[str | None, pd.DataFrame | None, list[dict]]:
    """Read one file into a frame of text (categorical) columns indexed by spreadsheet row number (header = 1).

    Cells are trimmed, blank cells are missing, rows with no text are left out, countries
    and enum values are normalised. Returns the table name, the frame (None when the
    file cannot be used) and problems.
    """
    _, table, frame, problems = raw_frames(path, file, allow_personal, sheets=False)[0]
    return table, frame, problems


def raw_frames(
    path: Path | MemoryFile, file: str, allow_personal: bool = False, *, sheets: bool = True
) -> list[tuple[str, str | None, pd.DataFrame | None, list[dict]]]:
    """:func:`raw_frame` for every table a file holds (each sheet of a workbook, when ``sheets``):
    per table, the file label its problems name, the table, the raw frame and problems."""
    try:
        inside, skipped = _unpacked(path)
    except FileProblem as exc:
        return [(file, None, None, [_problem(file, str(exc))])]
    except OSError as exc:
        return [(file, None, None, [_problem(file, f"cannot open the file ({exc.strerror or exc})")])]
    out = (
        [
            (
                file,
                None,
                None,
                [_problem(file, f"{', '.join(skipped)}: not read (not CSV files)", severity="warning")],
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
) -> list[tuple[str, str | None, pd.DataFrame | None, list[dict]]]:
    try:
        records = _read_columns(path)
    except FileProblem as exc:
        return [(file, None, None, [_problem(file, str(exc))])]
    except OSError as exc:
        return [(file, None, None, [_problem(file, f"cannot open the file ({exc.strerror or exc})")])]
    if records is None:
        found = _raw_frames_by_rows(path, file, allow_personal)
        return found if sheets else found[:1]
    return [(file, *_columns_frame(path, file, records, allow_personal))]


def _columns_frame(
    path: Path | MemoryFile, file: str, records: list[pyarrow.ChunkedArray], allow_personal: bool
) -> tuple[str | None, pd.DataFrame | None, list[dict]]:
    header_cells = [c[0].as_py() if len(c) else "" for c in records]
    if not any(cell.strip() for cell in header_cells):
        return None, None, [_problem(file, "file is empty or its first row is blank; expected a header row")]
    header = [_normalise_header(c) for c in header_cells]
    table = detect_table(path, header)
    if table is None:
        return None, None, [_problem(file, _UNKNOWN_TABLE)]
    data = [c.slice(1) for c in records]
    del records

    def filled(i: int) -> np.ndarray:
        text = data[i].cast(pyarrow.large_string())
        return pc.not_equal(pc.utf8_trim(text, columns.WHITESPACE), "").to_numpy(zero_copy_only=False)

    keep, problems = _kept_columns(file, table, header, lambda i: bool(filled(i).any()), allow_personal)
    if _refused(problems):
        return table, None, problems
    rows = np.arange(2, len(data[0]) + 2, dtype=np.int64)
    problems += _ambiguous_countries(file, table, [header[i] for i in keep], [data[i] for i in keep], rows)
    frame = _frame(table, [header[i] for i in keep], [data[i] for i in keep], rows)
    # Rows with no text in any cell (of any column, kept or not) are left out, like blank lines.
    any_text = np.zeros(len(rows), dtype=bool)
    for name in frame.columns:
        column = frame[name]
        is_cat = isinstance(column.dtype, pd.CategoricalDtype)
        any_text |= (np.asarray(column.array.codes) >= 0) if is_cat else column.notna().to_numpy()
    for i in sorted(set(range(len(header))) - set(keep)):
        if not any_text.all():
            any_text |= filled(i)
    if not any_text.all():
        frame = frame[any_text]
    return table, frame, problems


# -- validation ----------------------------------------------------------------------------

#: The one column that row-wide checks are reported against.
_WIDE_CHECK_COLUMNS = {
    UNHCR_OVER_PEOPLE: "unhcr_refugees",
    END_BEFORE_START: "end_date",
}


#: Per table: the column a duplicate key is reported against, and the message.
_DUPLICATE_KEY = {
    "incidents": ("incident_id", "duplicate row for this incident_id and nationality"),
    "stocks": (
        "date",
        "duplicate row: another row has the same date, host_country, nationality and measure",
    ),
}


def _failure_problems(table: str, file: str, failures: pd.DataFrame) -> list[dict]:
    out = []
    suggestions: dict[str, str | None] = {}
    for case in failures.itertuples(index=False):
        check = str(case.check)
        message = _BUILTIN_MESSAGES.get(check, check)
        column = "" if case.column is None or pd.isna(case.column) else str(case.column)
        target = _WIDE_CHECK_COLUMNS.get(check)
        if check == "multiple_fields_uniqueness":
            target, message = _DUPLICATE_KEY[table]
        # Row-wide checks list every cell of a failing row; keep the cell the check is about.
        if target and column != target:
            continue
        row = None if case.index is None or pd.isna(case.index) else int(case.index)
        value = case.failure_case
        if check == "column_in_dataframe":
            column, value = str(value), ""
        if isinstance(value, float) and pd.isna(value):
            value = ""
        if message.startswith("unknown country") and isinstance(value, str):
            if value not in suggestions:
                suggestions[value] = countries.suggest(value)
            close = suggestions[value]
            message += f"; did you mean {close}?" if close else ""
        out.append(_problem(file, message, row=row, column=column, value=value))
    return out


def validate(
    table: str,
    raw: pd.DataFrame,
    file: str,
    *,
    incident_ids: Iterable[str] | None = None,
    today: pd.Timestamp | None = None,
) -> tuple[pd.DataFrame, list[dict]]:
    """Validate one raw table; return its valid rows, typed, and the problems found."""
    schema = raw_schema(table, incident_ids=incident_ids, today=today)
    try:
        schema.validate(raw, lazy=True)
        failures: list[dict] = []
    except pa.errors.SchemaErrors as exc:
        failures = _failure_problems(table, file, exc.failure_cases)
    failures = list({(p["row"], p["column"], p["message"]): p for p in failures}.values())
    position = {name: i for i, name in enumerate(field_names(table))}
    failures.sort(key=lambda p: (p["row"] is not None, p["row"] or 0, position.get(p["column"], -1)))
    if any(p["row"] is None for p in failures):
        return empty_table(table), failures
    bad_rows = {p["row"] for p in failures}
    valid = raw[~raw.index.isin(bad_rows)]
    return typed(table, valid, file), failures


def _text(
    series: pd.Series, convert: Callable[[object], object] | None = None, missing: str | None = None
) -> tuple[pd.Series, tuple[np.ndarray, pd.Index] | None]:
    """A column as pandas ``string`` (``convert``-ed first when given; ``missing`` for missing values),
    each distinct value converted once; and the codes of the result when its values are distinct."""
    if convert is None and missing is None and series.dtype == pd.StringDtype("pyarrow"):
        return series.rename(series.name), None  # already text (identifiers): no copy
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
        where = values.get_indexer([missing])[0] if missing in values else len(values)
        if where == len(values):
            values = values.append(pd.Index([missing], dtype=values.dtype))
        found = columns.compact(np.where(found < 0, where, found), len(values))
    taken = pc.take(values.array.__arrow_array__(), pyarrow.array(found, mask=found < 0))
    text = pd.Series(
        pd.arrays.ArrowStringArray(taken, dtype=pd.StringDtype("pyarrow")),
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
    masked = (
        pd.array(values, dtype="Int64") if values.dtype.kind == "i" else pd.array(values, dtype="Float64")
    )
    numbers = pd.Series(masked.take(found, allow_fill=True), index=series.index)
    return numbers.astype("int64") if required else numbers.astype("Int64")


def _repeated_text(value: str, n: int) -> pd.Series:
    """``value`` ``n`` times as pandas ``str`` (what assigning a string scalar gives), built in one go."""
    data = value.encode()
    offsets = np.arange(n + 1, dtype=np.int64) * len(data)
    array = pyarrow.Array.from_buffers(
        pyarrow.large_string(), n, [None, pyarrow.py_buffer(offsets), pyarrow.py_buffer(data * n)]
    )
    return pd.Series(pd.arrays.ArrowStringArray(pyarrow.chunked_array([array]), dtype=_STR), copy=False)


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
            missing = "persons" if f.name == "unit" else None
            out[f.name], text_codes[f.name] = _text(column, convert, missing)
    spans = dates.intervals(frame["date"]) if len(frame) else dates.intervals(pd.Series([], dtype=object))
    out = out.join(spans)
    if table == "timeline":
        ends = columns.per_value(
            frame["end_date"],
            lambda v: np.datetime64(dates.parse(v).end_time.normalize(), "s"),
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


def empty_table(table: str) -> pd.DataFrame:
    """A typed table with no rows."""
    return typed(table, pd.DataFrame(columns=field_names(table), dtype=object), "")


# -- orchestration -------------------------------------------------------------------------

_KEYS = {
    "incidents": ["incident_id", "nationality"],
    "status": ["record_id"],
    "stocks": ["date", "host_country", "nationality", "measure"],
    "timeline": [],
}


def load(
    paths: Iterable[str | Path | MemoryFile] | str | Path | MemoryFile | None = None,
    *,
    today: pd.Timestamp | None = None,
    allow_personal_data: bool = False,
) -> Dataset:
    """Load files, folders and in-memory uploads (default: :func:`default_data_dir`) into a :class:`Dataset`.

    Publishers' files (UNHCR, UK Home Office, US ICE, HXL) are recognised from their header
    and imported. Columns that look like personal identifiers refuse their file unless
    ``allow_personal_data``, when they are dropped and never reach any output.
    """
    from refugee_stats import importers

    if paths is None:
        paths = [default_data_dir()]
    elif isinstance(paths, (str, Path, MemoryFile)):
        paths = [paths]
    files, problems = scan(paths)
    raws: dict[str, list[tuple[str, pd.DataFrame]]] = {t: [] for t in TABLES}
    imported: dict[str, list[pd.DataFrame]] = {t: [] for t in TABLES}
    for path in files:
        file = str(path)
        if isinstance(path, Path) and path.is_symlink() and not path.exists():
            problems.append(_problem(file, f"a link to {os.readlink(path)}, which does not exist"))
            continue
        if not path.exists():
            problems.append(_problem(file, "no such file"))
            continue
        if importers.detect(path) is not None:
            frames_of, found = importers.load_publisher(
                path, file, today=today, allow_personal=allow_personal_data
            )
            problems += found
            for table, frame in frames_of.items():
                imported[table].append(frame)
            continue
        for label, table, raw, found in raw_frames(path, file, allow_personal_data):
            problems += found
            if table is not None and raw is not None:
                raws[table].append((label, raw))

    readable_incidents = [raw for _, raw in raws["incidents"] if "incident_id" in raw]
    incident_ids: pd.Index | None = None
    if readable_incidents:
        # Every id as written (repeats are harmless: the check looks values up in a set).
        ids = [pd.Index(r["incident_id"].dropna().array) for r in readable_incidents]
        incident_ids = ids[0] if len(ids) == 1 else ids[0].append(ids[1:])
    elif any("incident_id" in raw and raw["incident_id"].notna().any() for _, raw in raws["status"]):
        for file, _ in raws["status"]:
            problems.append(
                _problem(
                    file,
                    "incident_id not checked: no readable incidents file was loaded",
                    column="incident_id",
                    severity="warning",
                )
            )

    frames: dict[str, pd.DataFrame] = {}
    for table in TABLES:
        parts = []
        for file, raw in raws[table]:
            valid, found = validate(
                table, raw, file, incident_ids=incident_ids if table == "status" else None, today=today
            )
            problems += found
            parts.append(valid)
        parts += imported[table]
        if len(parts) == 1:
            combined = parts[0]  # keeps the codes remembered for its text columns
        else:
            combined = pd.concat(parts, ignore_index=True) if parts else empty_table(table)
        if len(parts) > 1 and _KEYS[table]:
            duplicated = combined.duplicated(_KEYS[table], keep="first")
            for rec in combined[duplicated].itertuples():
                problems.append(
                    _problem(
                        rec.source_file,
                        "duplicate of a row in another file; row left out",
                        row=rec.source_row,
                        column=_KEYS[table][0],
                        value=getattr(rec, _KEYS[table][0]),
                    )
                )
            combined = combined[~duplicated].reset_index(drop=True)
        frames[table] = combined
    return Dataset(
        incidents=frames["incidents"],
        status=frames["status"],
        timeline=frames["timeline"],
        stocks=frames["stocks"],
        problems=sort_problems(problems_frame(problems)),
        files=tuple(str(p) for p in files),
    )
