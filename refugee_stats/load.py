"""Load incident, status, stock and timeline files into typed frames plus one table of problems.

Reading is lenient (any text, comma or semicolon, UTF-8 with or without BOM, XLSX);
validation is strict and lazy (pandera collects every failure at once). Rows with
errors are left out and reported; a broken file never takes the other files down.
"""

from __future__ import annotations

import csv
import difflib
import io
import os
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from refugee_stats import countries, dates
from refugee_stats.fields import TABLES, field_names, fields
from refugee_stats.schema import END_BEFORE_START, TRUE_VALUES, UNHCR_OVER_PEOPLE, raw_schema

PROBLEM_COLUMNS = ("file", "row", "column", "value", "message", "severity")
DATA_SUFFIXES = (".csv", ".xlsx", ".tsv", ".txt")
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


def bundled_data_dir() -> Path:
    """The sample data folder shipped with the project."""
    return Path(__file__).resolve().parent.parent / "data"


def default_data_dir() -> Path:
    """``$REFUGEE_STATS_DATA`` when set, else the bundled sample folder."""
    configured = os.environ.get(ENV_VAR, "").strip()
    return Path(configured) if configured else bundled_data_dir()


def data_files(paths: Iterable[str | Path]) -> list[Path]:
    """The data files named by ``paths``: files as given, folders expanded to their data files."""
    out: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            out.extend(sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in DATA_SUFFIXES))
        else:
            out.append(path)
    return out


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


def _read_xlsx(path: Path) -> list[list[str]]:
    if not zipfile.is_zipfile(path):
        raise FileProblem("not an Excel .xlsx file (it is not a zip archive); save it as .xlsx or CSV UTF-8")
    try:
        frame = pd.read_excel(path, header=None, dtype=object, sheet_name=0, engine="openpyxl")
    except Exception as exc:  # openpyxl raises many kinds for damaged workbooks
        raise FileProblem(
            f"cannot read this .xlsx file ({type(exc).__name__}); save it again from a spreadsheet program"
        ) from exc
    return [[_cell_text(v) for v in row] for row in frame.itertuples(index=False)]


def _decode(data: bytes) -> tuple[str, str | None]:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # Excel's "Unicode Text" export
        return data.decode("utf-16"), None
    if b"\x00" in data[:8192]:
        raise FileProblem("not a CSV file: it holds binary data; expected text with a header row")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    try:
        return data.decode(
            "cp1251"
        ), "not UTF-8; read as Windows-1251 (Cyrillic). Save the file as CSV UTF-8 to be sure"
    except UnicodeDecodeError as exc:
        raise FileProblem("not a CSV text file: the bytes are not UTF-8 text; save it as CSV UTF-8") from exc


def _read_csv(path: Path) -> tuple[list[list[str]], str | None]:
    data = path.read_bytes()
    if not data.strip():
        raise FileProblem("file is empty; expected a header row and data rows")
    text, warning = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = (
        "\t"
        if first_line.count("\t") > max(first_line.count(","), first_line.count(";"))
        else (";" if first_line.count(";") > first_line.count(",") else ",")
    )
    csv.field_size_limit(2**31 - 1)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise FileProblem(f"not a readable CSV file ({exc})") from exc
    return rows, warning


def read_rows(path: Path) -> tuple[list[list[str]], list[str]]:
    """All rows of a file as text (header first) and any warnings about its encoding."""
    if path.suffix.lower() == ".xlsx":
        return _read_xlsx(path), []
    rows, warning = _read_csv(path)
    return rows, [warning] if warning else []


def _normalise_header(name: str) -> str:
    return re.sub(r"\s+", "_", name.strip().lstrip("\ufeff").casefold())


def detect_table(path: Path, header: Iterable[str]) -> str | None:
    """Which table a file holds: from its name (``incidents*``, ``status*``, ``stocks*``, ``timeline*``), else its header."""
    stem = path.stem.casefold()
    for table in TABLES:
        if stem.startswith(table):
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


def raw_frame(path: Path, file: str) -> tuple[str | None, pd.DataFrame | None, list[dict]]:
    """Read one file into an all-text frame indexed by spreadsheet row number (header = 1).

    Returns the table name, the frame (None when the file cannot be used) and problems.
    """
    try:
        rows, warnings = read_rows(path)
    except FileProblem as exc:
        return None, None, [_problem(file, str(exc))]
    except OSError as exc:
        return None, None, [_problem(file, f"cannot open the file ({exc.strerror or exc})")]
    problems = [_problem(file, w, severity="warning") for w in warnings]
    if not rows or not any(cell.strip() for cell in rows[0]):
        return (
            None,
            None,
            [*problems, _problem(file, "file is empty or its first row is blank; expected a header row")],
        )
    header = [_normalise_header(c) for c in rows[0]]
    table = detect_table(path, header)
    if table is None:
        return (
            None,
            None,
            [
                *problems,
                _problem(
                    file,
                    "cannot tell which table this is; name the file incidents.csv, status.csv or timeline.csv",
                ),
            ],
        )
    known = field_names(table)
    keep: list[int] = []
    seen: set[str] = set()
    for i, name in enumerate(header):
        if not name:
            if any(i < len(r) and r[i].strip() for r in rows[1:]):
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
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1, cutoff=0.75)
            hint = f"; did you mean {close[0]}?" if close else f"; known columns: {', '.join(known)}"
            problems.append(
                _problem(file, f"unknown column, ignored{hint}", row=1, column=name, severity="warning")
            )
            continue
        keep.append(i)
    width = len(header)
    records: list[list[str]] = []
    index: list[int] = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > width and any(cell.strip() for cell in row[width:]):
            problems.append(
                _problem(
                    file, f"row has {len(row)} cells but the header has {width}; row left out", row=number
                )
            )
            continue
        row = row + [""] * (width - len(row))
        records.append([row[i].strip() for i in keep])
        index.append(number)
    frame = pd.DataFrame(
        records, columns=[header[i] for i in keep], index=pd.Index(index, name="row"), dtype=object
    )
    frame = frame.replace("", pd.NA)
    for f in fields(table):
        if f.kind == "country" and f.name in frame:
            # Lenient parsing: known spellings become alpha-3 codes now, so keys compare equal;
            # unknown ones stay as written for the error message.
            frame[f.name] = frame[f.name].map(lambda v: countries.to_alpha3(v) or v, na_action="ignore")
    for f in fields(table):
        if f.kind == "enum" and f.name in frame:
            frame[f.name] = frame[f.name].map(
                lambda v: v if v is pd.NA else re.sub(r"[\s-]+", "_", v.casefold()), na_action="ignore"
            )
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
            close = countries.suggest(value)
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


def _text(series: pd.Series) -> pd.Series:
    return series.astype("string")


def typed(table: str, raw: pd.DataFrame, file: str) -> pd.DataFrame:
    """Convert validated text rows into typed columns plus ``source_file`` and ``source_row``.

    One row of the result is one row of the input file.
    """
    frame = raw.reindex(columns=field_names(table))
    out = pd.DataFrame(index=frame.index)
    for f in fields(table):
        column = frame[f.name]
        if f.kind == "country":
            out[f.name] = _text(column.map(countries.to_alpha3, na_action="ignore"))
        elif f.kind in ("count", "count0"):
            numbers = pd.to_numeric(column, errors="coerce")
            out[f.name] = numbers.astype("int64") if f.required else numbers.astype("Int64")
        elif f.kind == "flag":
            out[f.name] = column.map(lambda v: isinstance(v, str) and v.casefold() in TRUE_VALUES).astype(
                bool
            )
        elif f.name == "unit":
            out[f.name] = _text(column.astype(object).where(column.notna(), "persons"))
        else:
            out[f.name] = _text(column)
    spans = dates.intervals(frame["date"]) if len(frame) else dates.intervals(pd.Series([], dtype=object))
    out = out.join(spans)
    if table == "timeline":
        ends = frame["end_date"].map(
            lambda v: dates.parse(v).end_time.normalize() if isinstance(v, str) else pd.NaT
        )
        out["date_end"] = pd.to_datetime(ends.where(frame["end_date"].notna(), out["date_end"])).astype(
            "datetime64[s]"
        )
        out["is_period"] = frame["end_date"].notna().to_numpy()
    out["source_file"] = file
    out["source_row"] = out.index.astype("int64")
    return out.reset_index(drop=True)


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
    paths: Iterable[str | Path] | str | Path | None = None, *, today: pd.Timestamp | None = None
) -> Dataset:
    """Load files and folders (default: :func:`default_data_dir`) into a :class:`Dataset`."""
    if paths is None:
        paths = [default_data_dir()]
    elif isinstance(paths, (str, Path)):
        paths = [paths]
    files = data_files(paths)
    problems: list[dict] = []
    raws: dict[str, list[tuple[str, pd.DataFrame]]] = {t: [] for t in TABLES}
    for path in files:
        file = str(path)
        if not path.exists():
            problems.append(_problem(file, "no such file"))
            continue
        table, raw, found = raw_frame(path, file)
        problems += found
        if table is not None and raw is not None:
            raws[table].append((file, raw))

    readable_incidents = [raw for _, raw in raws["incidents"] if "incident_id" in raw]
    incident_ids: set[str] | None = None
    if readable_incidents:
        incident_ids = set(pd.concat([r["incident_id"] for r in readable_incidents]).dropna())
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
        combined = pd.concat(parts, ignore_index=True) if parts else empty_table(table)
        if len(raws[table]) > 1 and _KEYS[table]:
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
