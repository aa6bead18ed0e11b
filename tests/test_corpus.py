"""The malformed-input corpus in tests/corpus/: every case is reported exactly, never crashes, never costs other data.

Each entry of ``tests/corpus/`` is one case: a file (its name says which table it is meant
for), or a folder of files loaded together. ``tests/corpus/expected.csv`` lists every
problem each case must give, one row per problem (file, spreadsheet row with the header
as row 1, column, severity, a substring of the message); a case with no row there must
load without any problem. :data:`KEPT` lists the rows each case must load.

Cases the loader gets wrong are marked ``xfail(strict=True)`` with the bug in the reason:
fixing the loader turns them into failures (XPASS) until the mark is removed. Large or
binary-generated inputs (a 100k-row file, a 5 MB cell, damaged workbooks) are written at
test time, not committed.
"""

from __future__ import annotations

import csv
import datetime
import io
import shutil
import time
from collections import defaultdict
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from refugee_stats.fields import TABLES
from refugee_stats.ingest.dataset import Dataset, load
from tests.conftest import ROOT, TODAY

CORPUS = Path(__file__).resolve().parent / "corpus"
MANIFEST = CORPUS / "expected.csv"
SAMPLE = ROOT / "data"
SAMPLE_FILES = tuple(sorted(p.name for p in SAMPLE.glob("*.csv")))
DASHBOARD = str(ROOT / "dashboard.py")
#: Python's default csv field size limit, as in a fresh process (the dashboard's first load).
DEFAULT_CSV_FIELD_LIMIT = 131072

CASES = sorted(p.name for p in CORPUS.iterdir() if p != MANIFEST)

#: Rows each case must load, by table: spreadsheet row numbers (``source_row``). Tables not
#: named load nothing. None: not checked (the right rows depend on how a bug gets fixed).
KEPT: dict[str, dict[str, list[int]] | None] = {
    "incidents_bad_counts.csv": {"incidents": [9]},
    "incidents_bad_dates.csv": {"incidents": [6]},
    "incidents_bad_enums.csv": {},
    "incidents_bad_urls.csv": {"incidents": [5]},
    "incidents_binary.csv": {},
    "incidents_blank_lines.csv": {"incidents": [2]},
    "incidents_cp1251.csv": {"incidents": [2, 3]},
    "incidents_cr_only.csv": {"incidents": [2]},
    "incidents_crlf_bom.csv": {"incidents": [2]},
    "incidents_date_before_1900.csv": {"incidents": [3]},
    "incidents_duplicate_column.csv": {"incidents": [2]},
    "incidents_duplicate_ids.csv": {"incidents": [2, 3]},
    "incidents_empty.csv": {},
    "incidents_empty_required.csv": {},
    "incidents_formula_cells.csv": {"incidents": [2, 3]},
    "incidents_future_dates.csv": {"incidents": [5]},
    "incidents_header_only.csv": {},
    "incidents_huge_counts.csv": {"incidents": [4]},
    "incidents_latin1.csv": {"incidents": [2, 3]},
    "incidents_missing_columns.csv": {},  # a required column is missing: the whole file is left out
    "incidents_misspelt_columns.csv": {},
    "incidents_not_zip.xlsx": {},
    "incidents_personal_column.csv": {},  # refused whole
    "incidents_png.csv": {},
    "incidents_quoted_newline.csv": {"incidents": [2]},
    "incidents_refugees_over_people.csv": {"incidents": [3]},
    "incidents_semicolon_mixed.csv": {"incidents": [2, 4]},
    "incidents_too_many_cells.csv": {"incidents": [3]},
    "incidents_unbalanced_quote.csv": {"incidents": [2, 4, 5]},  # the row after the quote is read alone
    "incidents_unclosed_quote_last_row.csv": {"incidents": [2]},
    "incidents_mixed_encoding.csv": {"incidents": [2, 3, 4]},
    "incidents_cp1252_quotes.csv": {"incidents": [2]},
    "incidents_nul_byte.csv": {"incidents": [2, 3, 4]},
    "incidents_na_country.csv": {"incidents": [2, 3, 4]},
    "incidents_utf16be_nobom.csv": {"incidents": [2]},
    "incidents_comma_row_in_tabs.csv": {"incidents": [2, 4]},
    "incidents_year_1899.csv": {"incidents": [4]},
    "incidents_excel_sep_line.csv": {"incidents": [2]},  # Excel's sep= line is not a row
    "incidents_unknown_countries.csv": {"incidents": [4]},
    "incidents_unnamed_column.csv": {"incidents": [2, 3]},
    "incidents_url_uppercase_scheme.csv": {"incidents": [2]},
    "incidents_utf16_nobom.csv": {"incidents": [2]},
    "incidents_whitespace.csv": {},
    "mystery_table.csv": {},
    "status_bad_enums.csv": {},
    "status_duplicate_ids.csv": {"status": [2, 3]},
    "status_incident_unchecked.csv": {"status": [2]},
    "status_missing_incident": {"incidents": [2], "status": [2, 4]},
    "stocks_bad_counts.csv": {"stocks": [2]},
    "stocks_duplicate_key.csv": {"stocks": [2, 3]},
    "timeline_bad_values.csv": {},
    "timeline_end_before_date.csv": {"timeline": [3, 4]},
}

#: Cases whose load raises instead of reporting (they fail beside the sample data too).
CRASHES: dict[str, str] = {}

#: Cases the loader reports wrongly (or not at all); see each reason.
BUGS = {
    **CRASHES,
}


@pytest.fixture(autouse=True)
def default_csv_field_limit():
    """Run every load with Python's default csv field limit, as a fresh dashboard process does.

    The loader raises the process-wide limit once it reads any file with the csv module, so
    without this a test's outcome would depend on which tests ran before it.
    """
    before = csv.field_size_limit()
    csv.field_size_limit(DEFAULT_CSV_FIELD_LIMIT)
    yield
    csv.field_size_limit(before)


def read_manifest() -> dict[str, list[dict[str, str]]]:
    rows = list(csv.DictReader(MANIFEST.open(encoding="utf-8", newline="")))
    by_case: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        by_case[row["file"].split("/")[0]].append(row)
    return by_case


EXPECTED = read_manifest()


def case_param(name: str, bugs: dict[str, str]):
    marks = [pytest.mark.xfail(strict=True, reason=bugs[name])] if name in bugs else []
    return pytest.param(name, marks=marks, id=name)


def copy_case(name: str, folder: Path) -> None:
    source = CORPUS / name
    for path in sorted(source.iterdir()) if source.is_dir() else [source]:
        shutil.copy(path, folder / path.name)


def reported(data: Dataset) -> list[dict[str, str]]:
    """The problems as manifest rows (file by name, row as text, blank for a whole-file problem)."""
    p = data.problems
    return [
        {
            "file": Path(file).name,
            "row": "" if pd.isna(row) else str(int(row)),
            "column": column,
            "severity": severity,
            "message": message,
        }
        for file, row, column, severity, message in zip(
            p["file"], p["row"], p["column"], p["severity"], p["message"], strict=True
        )
    ]


def _fits(expected: dict[str, str], actual: dict[str, str]) -> bool:
    return (
        Path(expected["file"]).name == actual["file"]
        and expected["row"] == actual["row"]
        and expected["column"] == actual["column"]
        and expected["severity"] == actual["severity"]
        and expected["message_contains"] in actual["message"]
    )


def unmatched(
    expected: list[dict[str, str]], actual: list[dict[str, str]]
) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """Expected rows with no reported problem and problems with no expected row (a maximum matching)."""
    owner: dict[int, int] = {}  # actual index -> expected index

    def assign(i: int, seen: set[int]) -> bool:
        for j, problem in enumerate(actual):
            if j in seen or not _fits(expected[i], problem):
                continue
            seen.add(j)
            if j not in owner or assign(owner[j], seen):
                owner[j] = i
                return True
        return False

    matched = {i for i in range(len(expected)) if assign(i, set())}
    missing = [e for i, e in enumerate(expected) if i not in matched]
    extra = [a for j, a in enumerate(actual) if j not in owner]
    return missing, extra


def loaded_rows(data: Dataset) -> dict[str, list[int]]:
    out = {}
    for table in TABLES:
        frame = getattr(data, table)
        if len(frame):
            out[table] = sorted(frame["source_row"].tolist())
    return out


# -- the corpus ------------------------------------------------------------------------------


def test_the_corpus_is_complete_and_small():
    files = [p for p in CORPUS.rglob("*") if p.is_file() and p != MANIFEST]
    assert len(files) >= 30
    assert sum(p.stat().st_size for p in files) < 64 * 1024
    assert set(KEPT) == set(CASES), "every case needs its KEPT rows (None to skip)"
    assert set(EXPECTED) <= set(CASES), "the manifest names a file that is not in the corpus"
    for rows in EXPECTED.values():
        for row in rows:
            assert (CORPUS / row["file"]).is_file(), row
            assert row["severity"] in ("error", "warning"), row
            assert row["message_contains"], row


@pytest.mark.parametrize("name", [case_param(n, BUGS) for n in CASES])
def test_each_case_alone_gives_exactly_its_problems(tmp_path, name):
    copy_case(name, tmp_path)
    data = load(tmp_path, today=TODAY)
    missing, extra = unmatched(EXPECTED.get(name, []), reported(data))
    assert not missing and not extra, f"missing: {missing}\nunexpected: {extra}"
    if KEPT[name] is not None:
        assert loaded_rows(data) == KEPT[name]


@pytest.fixture(scope="module")
def sample() -> Dataset:
    data = load(SAMPLE, today=TODAY)
    assert data.problems.empty, data.problems.to_string()
    assert len(data.incidents) and len(data.status) and len(data.timeline)
    return data


def sample_part(data: Dataset, table: str, folder: Path) -> pd.DataFrame:
    frame = getattr(data, table)
    mine = frame["source_file"].map(lambda f: Path(f).parent == folder and Path(f).name in SAMPLE_FILES)
    return frame[mine.to_numpy(dtype=bool)].drop(columns="source_file").reset_index(drop=True)


@pytest.mark.parametrize("name", [case_param(n, CRASHES) for n in CASES])
def test_each_case_beside_the_sample_keeps_the_sample(tmp_path, sample, name):
    for file in SAMPLE_FILES:
        shutil.copy(SAMPLE / file, tmp_path / file)
    copy_case(name, tmp_path)
    data = load(tmp_path, today=TODAY)
    for table in TABLES:
        kept = sample_part(data, table, tmp_path)
        pd.testing.assert_frame_equal(kept, sample_part(sample, table, SAMPLE), check_dtype=False)
    blamed = {Path(f).name for f in data.problems["file"]}
    assert not blamed & set(SAMPLE_FILES), data.problems.to_string()


# -- cases with more to check than their problems -------------------------------------------


def test_formula_cells_are_plain_text_kept_exactly(tmp_path):
    copy_case("incidents_formula_cells.csv", tmp_path)
    data = load(tmp_path, today=TODAY)
    assert data.problems.empty
    rows = data.incidents.set_index("incident_id")
    assert rows.loc["X1", "source"] == "=cmd|' /C calc'!A0"
    assert rows.loc["X1", "notes"] == "@SUM(1)"
    assert rows.loc["X1", "location"] == "+1+1"
    assert rows.loc["X2", "source"] == '=HYPERLINK("http://evil.example","click")'
    assert rows.loc["X2", "notes"] == "-2+3"


def test_cp1251_text_is_decoded_and_its_countries_recognised(tmp_path):
    copy_case("incidents_cp1251.csv", tmp_path)
    data = load(tmp_path, today=TODAY)
    rows = data.incidents.set_index("incident_id")
    assert rows.loc["C1", "location"] == "Алматы"
    assert rows.loc["C1", "source"] == "Брифинг IWPR, 2011"
    assert rows.loc["C1", "notes"] == "Задержаны просители убежища"
    assert rows["host_country"].tolist() == ["KAZ", "KGZ"]  # Казахстан, Киргизия
    assert rows["nationality"].tolist() == ["UZB", "UZB"]  # Узбекистан


def test_latin1_text_is_not_read_as_cyrillic(tmp_path):
    copy_case("incidents_latin1.csv", tmp_path)
    data = load(tmp_path, today=TODAY)
    rows = data.incidents.set_index("incident_id")
    assert rows.loc["L1", "source"] == "Zürich café report"
    assert rows.loc["L1", "notes"] == "São Paulo"
    assert rows.loc["L2", "host_country"] == "TUR"


def test_western_text_and_a_file_of_mixed_encodings_keep_every_character(tmp_path):
    copy_case("incidents_cp1252_quotes.csv", tmp_path)
    copy_case("incidents_mixed_encoding.csv", tmp_path)
    data = load(tmp_path, today=TODAY)
    rows = data.incidents.set_index("incident_id")
    assert rows.loc["W1", "source"] == "\u201cGen\u00e8ve\u201d briefing"
    assert rows.loc["W1", "notes"] == "na\u00efve \u2013 d\u00e9j\u00e0"
    # The UTF-8 rows stay UTF-8; only the Windows-1251 row is decoded on its own.
    assert rows.loc[["M1", "M2", "M3"], "notes"].tolist() == ["Алматы", "Бишкек", "отчёт"]


def test_an_unclosed_quote_names_the_rows_it_would_swallow_and_they_load(tmp_path):
    copy_case("incidents_unbalanced_quote.csv", tmp_path)
    data = load(tmp_path, today=TODAY)
    [problem] = data.problems.itertuples()
    assert (problem.row, problem.column, problem.value) == (3, "source", "IWPR,oops")
    assert "rows 4-5" in problem.message and "never closed" in problem.message
    assert data.incidents["incident_id"].tolist() == ["Q1", "Q3", "Q4"]


def test_a_nul_byte_is_removed_from_its_cell_and_named(tmp_path):
    copy_case("incidents_nul_byte.csv", tmp_path)
    data = load(tmp_path, today=TODAY)
    [problem] = data.problems.itertuples()
    assert (problem.row, problem.column, problem.value) == (3, "source", "IWPR")
    assert data.incidents.set_index("incident_id").loc["N2", "source"] == "IWPR"


def test_a_lone_carriage_return_in_a_cell_does_not_crash(tmp_path, sample):
    for file in SAMPLE_FILES:
        shutil.copy(SAMPLE / file, tmp_path / file)
    (tmp_path / "incidents_lone_cr.csv").write_bytes(
        b"incident_id,date,host_country,type,nationality,people,source,notes\n"
        b"A1,2010-06,KAZ,detention,UZB,3,IWPR,line one\rline two\n"
        b"A2,2010-06,KAZ,detention,TJK,0,IWPR,\n"
    )
    data = load(tmp_path, today=TODAY)
    assert "A1" in set(data.incidents["incident_id"])
    mine = data.problems[data.problems["file"].str.endswith("incidents_lone_cr.csv")]
    assert "must be at least 1" in set(mine["message"])  # A2's people
    assert len(sample_part(data, "incidents", tmp_path)) == len(sample.incidents)


# -- generated at test time -------------------------------------------------------------------

HEADER = "incident_id,date,host_country,type,nationality,people,unhcr_refugees,source,notes"


def test_100k_rows_with_one_bad_row_at_the_very_end(tmp_path):
    lines = [HEADER]
    lines += [
        f"G{i:06d},2010-{i % 12 + 1:02d},KAZ,detention,UZB,{i % 50 + 1},,Generated," for i in range(99_999)
    ]
    lines.append("G-BAD,2010-13,KAZ,detention,UZB,3,,Generated,")  # spreadsheet row 100,001
    (tmp_path / "incidents_100k.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    started = time.perf_counter()
    data = load(tmp_path, today=TODAY)
    seconds = time.perf_counter() - started
    assert reported(data) == [
        {
            "file": "incidents_100k.csv",
            "row": "100001",
            "column": "date",
            "severity": "error",
            "message": "not a date; expected YYYY-MM-DD, YYYY-MM, YYYY-Qn or YYYY",
        }
    ]
    assert len(data.incidents) == 99_999
    assert data.incidents["source_row"].iloc[-1] == 100_000
    assert seconds < 10, f"100k rows took {seconds:.1f} s"


def test_a_5_mb_cell_loads(tmp_path):
    notes = "x" * 5_000_000
    (tmp_path / "incidents_huge_line.csv").write_text(
        f"{HEADER}\nH1,2010,KAZ,detention,UZB,3,,IWPR,{notes}\nH2,2010,KAZ,detention,TJK,0,,IWPR,\n",
        encoding="utf-8",
    )
    data = load(tmp_path, today=TODAY)
    assert [(p["row"], p["column"], p["message"]) for p in reported(data)] == [
        ("3", "people", "must be at least 1")
    ]
    assert data.incidents["notes"].tolist() == [notes]


def workbook(*rows: list) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_workbook_reports_spreadsheet_rows(tmp_path):
    (tmp_path / "incidents_book.xlsx").write_bytes(
        workbook(
            ["X1", datetime.datetime(2010, 6, 15), "KAZ", "detention", "UZB", 29, 17, "IWPR", None],
            ["X2", "2010-06", "KAZ", "detention", "TJK", 2.5, None, "IWPR", None],
            [None] * 9,
            ["X3", "2010-13", "KAZ", "detention", "AFG", 3, None, "IWPR", None],
            ["X4", 2010, "KAZ", "detention", "RUS", "3", None, "IWPR", "@SUM(1)"],
        )
    )
    data = load(tmp_path, today=TODAY)
    assert [(p["row"], p["column"], p["severity"]) for p in reported(data)] == [
        ("3", "people", "error"),
        ("5", "date", "error"),
    ]
    rows = data.incidents.set_index("incident_id")
    assert rows["source_row"].to_dict() == {"X1": 2, "X4": 6}
    assert rows.loc["X1", "date"] == "2010-06-15"
    assert rows.loc["X4", "date"] == "2010"
    assert rows.loc["X4", "notes"] == "@SUM(1)"


@pytest.mark.parametrize("damage", ["first half", "last bytes cut", "bytes zeroed"])
def test_a_damaged_workbook_is_one_clear_problem(tmp_path, sample, damage):
    good = workbook(["X1", "2010", "KAZ", "detention", "UZB", 3, None, "IWPR", None])
    bad = {
        "first half": good[: len(good) // 2],
        "last bytes cut": good[:-10],
        "bytes zeroed": good[:200] + b"\x00" * 50 + good[250:],
    }[damage]
    (tmp_path / "incidents_damaged.xlsx").write_bytes(bad)
    data = load(tmp_path, today=TODAY)
    [problem] = reported(data)
    assert (problem["file"], problem["row"], problem["column"], problem["severity"]) == (
        "incidents_damaged.xlsx",
        "",
        "",
        "error",
    )
    assert ".xlsx" in problem["message"] and "Traceback" not in problem["message"]
    assert data.incidents.empty
    for file in SAMPLE_FILES:
        shutil.copy(SAMPLE / file, tmp_path / file)
    beside = load(tmp_path, today=TODAY)
    assert len(beside.problems) == 1
    assert len(sample_part(beside, "incidents", tmp_path)) == len(sample.incidents)


# -- the dashboard ----------------------------------------------------------------------------


KEY_FIGURES = {
    "People detained",
    "Incidents",
    "Of whom UNHCR refugees",
    "Status revocations",
    "Extradited or deported",
}
#: One broken corpus file per table, beside the valid sample; none adds a valid incident row.
APP_CASES = [
    ("incidents", "incidents_png.csv", None),
    ("status", "status_duplicate_ids.csv", None),
    ("stocks", "stocks_bad_counts.csv", None),
    ("timeline", "timeline_end_before_date.csv", None),
]


@pytest.mark.parametrize(
    ("table", "name"),
    [
        pytest.param(t, n, id=f"{t}-{n}", marks=[pytest.mark.xfail(strict=True, reason=r)] if r else [])
        for t, n, r in APP_CASES
    ],
)
def test_dashboard_shows_the_problems_and_the_rest(tmp_path, monkeypatch, clear_cache, table, name):
    for file in SAMPLE_FILES:
        shutil.copy(SAMPLE / file, tmp_path / file)
    broken = f"{table}_broken{Path(name).suffix}"
    shutil.copy(CORPUS / name, tmp_path / broken)
    monkeypatch.setenv("REFUGEE_STATS_DATA", str(tmp_path))
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    tables = [d.value for d in at.dataframe if {"file", "row", "column", "message"} <= set(d.value.columns)]
    assert tables, "no problems table shown"
    assert broken in set(tables[0]["file"])
    assert any(broken in e.value or "Data problems" in e.value for e in at.error)
    figures = {m.label: m.value for m in at.metric}
    assert set(figures) == KEY_FIGURES
    assert figures["Incidents"] == "134"  # the sample's incidents, untouched


# -- workbooks of several sheets; encrypted workbooks ----------------------------------------


def test_every_sheet_of_a_workbook_is_read_or_named(tmp_path):
    book = openpyxl.Workbook()
    first = book.active
    first.title = "incidents"
    first.append(HEADER.split(","))
    first.append(["X1", "2010-06", "KAZ", "detention", "UZB", 29, 17, "IWPR", None])
    first.append(["X2", "2010-13", "KAZ", "detention", "TJK", 3, None, "IWPR", None])
    status = book.create_sheet("Status decisions")  # found by its header
    status.append(
        ["record_id", "date", "host_country", "nationality", "authority", "decision", "people", "source"]
    )
    status.append(["R1", "2010-07", "KAZ", "UZB", "national", "revoked", 17, "IWPR"])
    notes = book.create_sheet("Read me")
    notes.append(["Compiled by the monitors, 2011"])
    book.create_sheet("empty")
    book.save(tmp_path / "monitoring.xlsx")
    data = load(tmp_path, today=TODAY)
    assert data.incidents["incident_id"].tolist() == ["X1"]
    assert data.status["record_id"].tolist() == ["R1"]
    assert set(data.incidents["source_file"]) == {f"{tmp_path}/monitoring.xlsx [incidents]"}
    assert sorted(reported(data), key=lambda p: p["row"]) == [
        {
            "file": "monitoring.xlsx [Read me]",
            "row": "",
            "column": "",
            "severity": "warning",
            "message": "sheet 'Read me' is not read: its name and header match no table; name the sheet "
            "incidents, status, stocks or timeline, or give it that table's header",
        },
        {
            "file": "monitoring.xlsx [incidents]",
            "row": "3",
            "column": "date",
            "severity": "error",
            "message": "not a date; expected YYYY-MM-DD, YYYY-MM, YYYY-Qn or YYYY",
        },
    ]


def _ole_container(*streams: str) -> bytes:
    """The start of an OLE compound file whose directory names ``streams`` (as an encrypted
    Office file's does: EncryptionInfo and EncryptedPackage, names in UTF-16)."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    directory = b"".join(name.encode("utf-16-le").ljust(64, b"\x00") + b"\x00" * 64 for name in streams)
    return header + directory.ljust(4096, b"\x00")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(
            _ole_container("Root Entry", "EncryptionInfo", "EncryptedPackage"),
            "this workbook is encrypted (saved with a password)",
            id="encrypted",
        ),
        pytest.param(_ole_container("Root Entry", "Workbook"), "an Excel 97-2003 workbook (.xls)", id="xls"),
    ],
)
def test_an_encrypted_or_old_workbook_is_told_what_it_is(tmp_path, sample, data, message):
    for file in SAMPLE_FILES:
        shutil.copy(SAMPLE / file, tmp_path / file)
    (tmp_path / "incidents_2011.xlsx").write_bytes(data)
    beside = load(tmp_path, today=TODAY)
    [problem] = reported(beside)
    assert (problem["file"], problem["row"], problem["severity"]) == ("incidents_2011.xlsx", "", "error")
    assert message in problem["message"]
    assert len(sample_part(beside, "incidents", tmp_path)) == len(sample.incidents)


def test_a_comma_row_in_a_bar_separated_file_is_one_problem(tmp_path):
    (tmp_path / "incidents.csv").write_text(
        "incident_id|date|host_country|type|nationality|people|source\n"
        "P1|2010-06|KAZ|detention|UZB|3|IWPR\n"
        "P2,2010-06,KAZ,detention,TJK,3,IWPR\n",
        encoding="utf-8",
    )
    data = load(tmp_path, today=TODAY)
    [problem] = reported(data)
    assert (problem["row"], problem["column"], problem["severity"]) == ("3", "", "error")
    assert "separated by commas, the header's by bars" in problem["message"]
    assert data.incidents["incident_id"].tolist() == ["P1"]
