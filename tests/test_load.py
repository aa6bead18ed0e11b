"""Loading incident, status and timeline files (refugee_stats.ingest) against the data contract.

Every case writes small files to ``tmp_path`` and checks the exact problem reported (file name,
spreadsheet row with header = 1, column, severity, value) plus a distinctive part of its message,
and which rows made it into the typed frames.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from pathlib import Path
from typing import NamedTuple

import openpyxl
import pandas as pd
import pytest

from refugee_stats.ingest import files as files_module
from refugee_stats.ingest import problems as problems_module
from refugee_stats.ingest.dataset import Dataset, load

TODAY = pd.Timestamp("2026-11-26")

INCIDENTS_HEADER = "incident_id,date,host_country,type,nationality,people,unhcr_refugees,source,source_url"
INCIDENT_OK = "I1,2010-06,KAZ,detention,UZB,5,2,IWPR,https://example.org/a"
STATUS_HEADER = (
    "record_id,date,host_country,nationality,authority,decision,people,incident_id,source,source_url"
)
STATUS_OK = "R1,2010-07,KAZ,UZB,national,revoked,2,I1,IWPR,https://example.org/b"
TIMELINE_HEADER = "date,end_date,host_country,label,label_ru,source"
TIMELINE_OK = "2010,,KAZ,Procedure moves,Процедура меняется,IWPR"

HEADERS = {"incidents": INCIDENTS_HEADER, "status": STATUS_HEADER, "timeline": TIMELINE_HEADER}
VALID_ROWS = {"incidents": INCIDENT_OK, "status": STATUS_OK, "timeline": TIMELINE_OK}

#: Columns of every typed frame, in order (input fields, then derived and trace columns).
TYPED_COLUMNS = {
    "incidents": [
        "incident_id",
        "date",
        "host_country",
        "location",
        "type",
        "nationality",
        "people",
        "unhcr_refugees",
        "follows",
        "source",
        "source_url",
        "illustrative",
        "notes",
        "date_start",
        "date_end",
        "date_precision",
        "source_file",
        "source_row",
    ],
    "status": [
        "record_id",
        "date",
        "host_country",
        "nationality",
        "authority",
        "decision",
        "people",
        "unit",
        "incident_id",
        "source",
        "source_url",
        "illustrative",
        "notes",
        "date_start",
        "date_end",
        "date_precision",
        "source_file",
        "source_row",
    ],
    "timeline": [
        "date",
        "end_date",
        "host_country",
        "label",
        "label_kk",
        "label_ru",
        "source",
        "date_start",
        "date_end",
        "date_precision",
        "is_period",
        "source_file",
        "source_row",
    ],
}


def lines(*rows: str) -> str:
    """CSV text: one line per argument ("" is a blank line that keeps its row number)."""
    return "\n".join(rows) + "\n"


def valid_file(table: str) -> str:
    return lines(HEADERS[table], VALID_ROWS[table])


def make_folder(folder: Path, files: dict[str, str | bytes | None] | None = None) -> Path:
    """One valid row per table, with ``files`` replacing (None: removing) or adding files."""
    content: dict[str, str | bytes | None] = {f"{t}.csv": valid_file(t) for t in HEADERS}
    content.update(files or {})
    for name, text in content.items():
        if text is None:
            continue
        path = folder / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    return folder


def load_folder(folder: Path, files: dict[str, str | bytes | None] | None = None) -> Dataset:
    return load(make_folder(folder, files), today=TODAY)


class Problem(NamedTuple):
    file: str  # file name only
    row: int | None
    column: str
    severity: str
    value: str
    message: str


def problems(data: Dataset) -> list[Problem]:
    return [
        Problem(
            Path(p.file).name,
            None if pd.isna(p.row) else int(p.row),
            p.column,
            p.severity,
            p.value,
            p.message,
        )
        for p in data.problems.itertuples(index=False)
    ]


def only_problem(data: Dataset) -> Problem:
    found = problems(data)
    assert len(found) == 1, data.problems.to_string()
    return found[0]


def assert_problem(found: Problem, expected: tuple, message_part: str) -> None:
    """``expected`` is (file, row, column, severity, value)."""
    assert tuple(found[:5]) == expected
    assert message_part in found.message


def row_counts(data: Dataset) -> dict[str, int]:
    return {"incidents": len(data.incidents), "status": len(data.status), "timeline": len(data.timeline)}


# -- cell-level errors: the bad row (3) is left out, the valid row (2) is kept ---------------


CELL_ERRORS = [
    # incidents: dates
    pytest.param("incidents", "I2,2010-13,KAZ,detention,UZB,5,,IWPR,", "date", "2010-13", "not a date; expected YYYY-MM-DD", id="incidents-date-month-13"),
    pytest.param("incidents", "I2,2010-02-30,KAZ,detention,UZB,5,,IWPR,", "date", "2010-02-30", "not a date", id="incidents-date-feb-30"),
    pytest.param("incidents", "I2,June 2010,KAZ,detention,UZB,5,,IWPR,", "date", "June 2010", "not a date", id="incidents-date-words"),
    pytest.param("incidents", "I2,15.06.2010,KAZ,detention,UZB,5,,IWPR,", "date", "15.06.2010", "not a date", id="incidents-date-dotted"),
    pytest.param("incidents", "I2,2026-11-27,KAZ,detention,UZB,5,,IWPR,", "date", "2026-11-27", "date is in the future", id="incidents-date-tomorrow"),
    pytest.param("incidents", "I2,2026-12,KAZ,detention,UZB,5,,IWPR,", "date", "2026-12", "date is in the future", id="incidents-date-next-month"),
    pytest.param("incidents", "I2,2027,KAZ,detention,UZB,5,,IWPR,", "date", "2027", "date is in the future", id="incidents-date-next-year"),
    pytest.param("incidents", "I2,,KAZ,detention,UZB,5,,IWPR,", "date", "", "required cell is empty", id="incidents-date-empty"),
    # incidents: counts
    pytest.param("incidents", "I2,2010,KAZ,detention,UZB,2.5,,IWPR,", "people", "2.5", "not a whole number; expected a whole number >= 1", id="incidents-people-fraction"),
    pytest.param("incidents", "I2,2010,KAZ,detention,UZB,many,,IWPR,", "people", "many", "not a number; expected a whole number >= 1", id="incidents-people-word"),
    pytest.param("incidents", "I2,2010,KAZ,detention,UZB,-3,,IWPR,", "people", "-3", "must be at least 1", id="incidents-people-negative"),
    pytest.param("incidents", "I2,2010,KAZ,detention,UZB,0,,IWPR,", "people", "0", "must be at least 1", id="incidents-people-zero"),
    pytest.param("incidents", "I2,2010,KAZ,detention,UZB,,,IWPR,", "people", "", "required cell is empty", id="incidents-people-empty"),
    pytest.param("incidents", "I2,2010,KAZ,detention,UZB,5,6,IWPR,", "unhcr_refugees", "6", "more than people; unhcr_refugees must be between 0 and people", id="incidents-unhcr-over-people"),
    pytest.param("incidents", "I2,2010,KAZ,detention,UZB,5,-1,IWPR,", "unhcr_refugees", "-1", "must be at least 0", id="incidents-unhcr-negative"),
    pytest.param("incidents", "I2,2010,KAZ,detention,UZB,5,0.5,IWPR,", "unhcr_refugees", "0.5", "not a whole number; expected a whole number >= 0", id="incidents-unhcr-fraction"),
    pytest.param("incidents", "I2,2010,KAZ,detention,UZB,5,some,IWPR,", "unhcr_refugees", "some", "not a number; expected a whole number >= 0", id="incidents-unhcr-word"),
    # incidents: enums, countries, text, links
    pytest.param("incidents", "I2,2010,KAZ,arrest,UZB,5,,IWPR,", "type", "arrest", "unknown value; expected one of detention, release, extradition, deportation, forced_return", id="incidents-type-unknown"),
    pytest.param("incidents", "I2,2010,KAZ,,UZB,5,,IWPR,", "type", "", "required cell is empty", id="incidents-type-empty"),
    pytest.param("incidents", "I2,2010,Atlantis,detention,UZB,5,,IWPR,", "host_country", "Atlantis", "unknown country; expected an ISO 3166 code", id="incidents-host-country-unknown"),
    pytest.param("incidents", "I2,2010,KAZ,detention,Atlantis,5,,IWPR,", "nationality", "Atlantis", "unknown country", id="incidents-nationality-unknown"),
    pytest.param("incidents", "I2,2010,KAZ,detention,Kyrgystan,5,,IWPR,", "nationality", "Kyrgystan", "unknown country; expected an ISO 3166 code (KAZ, KZ) or an English or Russian name; did you mean Kyrgyzstan?", id="incidents-nationality-misspelt-suggests"),
    pytest.param("incidents", "I2,2010,KAZ,detention,,5,,IWPR,", "nationality", "", "required cell is empty", id="incidents-nationality-empty"),
    pytest.param("incidents", ",2010,KAZ,detention,UZB,5,,IWPR,", "incident_id", "", "required cell is empty", id="incidents-id-empty"),
    pytest.param("incidents", "I2,2010,KAZ,detention,UZB,5,,,", "source", "", "required cell is empty", id="incidents-source-empty"),
    pytest.param("incidents", "I2,2010,KAZ,detention,UZB,5,,   ,", "source", "", "required cell is empty", id="incidents-source-only-spaces"),
    pytest.param("incidents", "I2,2010,KAZ,detention,UZB,5,,IWPR,ftp://example.org/a", "source_url", "ftp://example.org/a", "not an http(s) link", id="incidents-url-ftp"),
    pytest.param("incidents", "I2,2010,KAZ,detention,UZB,5,,IWPR,javascript:alert(1)", "source_url", "javascript:alert(1)", "not an http(s) link", id="incidents-url-javascript"),
    pytest.param("incidents", "I2,2010,KAZ,detention,UZB,5,,IWPR,example.org/a", "source_url", "example.org/a", "not an http(s) link", id="incidents-url-no-scheme"),
    # status
    pytest.param("status", "R2,2010-13,KAZ,UZB,national,revoked,2,I1,IWPR,", "date", "2010-13", "not a date", id="status-date-month-13"),
    pytest.param("status", "R2,2027-01,KAZ,UZB,national,revoked,2,I1,IWPR,", "date", "2027-01", "date is in the future", id="status-date-future"),
    pytest.param("status", "R2,2010,KAZ,UZB,court,revoked,2,I1,IWPR,", "authority", "court", "unknown value; expected one of unhcr, national, joint", id="status-authority-unknown"),
    pytest.param("status", "R2,2010,KAZ,UZB,national,refused,2,I1,IWPR,", "decision", "refused", "unknown value; expected one of applied, recognized, complementary, rejected, revoked, closed", id="status-decision-unknown"),
    pytest.param("status", "R2,2010,KAZ,UZB,national,,2,I1,IWPR,", "decision", "", "required cell is empty", id="status-decision-empty"),
    pytest.param("status", "R2,2010,KAZ,UZB,national,revoked,0,I1,IWPR,", "people", "0", "must be at least 1", id="status-people-zero"),
    pytest.param("status", "R2,2010,KAZ,UZB,national,revoked,many,I1,IWPR,", "people", "many", "not a number", id="status-people-word"),
    pytest.param("status", "R2,2010,KAZ,UZB,national,revoked,2.5,I1,IWPR,", "people", "2.5", "not a whole number", id="status-people-fraction"),
    pytest.param("status", "R2,2010,KAZ,Atlantis,national,revoked,2,I1,IWPR,", "nationality", "Atlantis", "unknown country", id="status-nationality-unknown"),
    pytest.param("status", "R2,2010,KAZ,UZB,national,revoked,2,I404,IWPR,", "incident_id", "I404", "no incident with this incident_id in incidents.csv", id="status-incident-not-in-incidents"),
    pytest.param("status", "R2,2010,KAZ,UZB,national,revoked,2,I1,IWPR,ftp://example.org/b", "source_url", "ftp://example.org/b", "not an http(s) link", id="status-url-ftp"),
    pytest.param("status", ",2010,KAZ,UZB,national,revoked,2,I1,IWPR,", "record_id", "", "required cell is empty", id="status-record-id-empty"),
    # timeline
    pytest.param("timeline", "2010-13,,KAZ,Second,,IWPR", "date", "2010-13", "not a date", id="timeline-date-month-13"),
    pytest.param("timeline", "2011,2010-02-30,KAZ,Second,,IWPR", "end_date", "2010-02-30", "not a date", id="timeline-end-date-feb-30"),
    pytest.param("timeline", "2012,2011,KAZ,Second,,IWPR", "end_date", "2011", "end_date is before date", id="timeline-end-before-start"),
    pytest.param("timeline", "2011,2027,KAZ,Second,,IWPR", "end_date", "2027", "date is in the future", id="timeline-end-date-future"),
    pytest.param("timeline", "2011,,Atlantis,Second,,IWPR", "host_country", "Atlantis", "unknown country", id="timeline-host-country-unknown"),
    pytest.param("timeline", "2011,,KAZ,,,IWPR", "label", "", "required cell is empty", id="timeline-label-empty"),
    pytest.param("timeline", ",,KAZ,Second,,IWPR", "date", "", "required cell is empty", id="timeline-date-empty"),
]  # fmt: skip


@pytest.mark.parametrize(("table", "bad_row", "column", "value", "message"), CELL_ERRORS)
def test_cell_error_reported_and_row_left_out(tmp_path, table, bad_row, column, value, message):
    data = load_folder(tmp_path, {f"{table}.csv": lines(HEADERS[table], VALID_ROWS[table], bad_row)})
    assert_problem(only_problem(data), (f"{table}.csv", 3, column, "error", value), message)
    frame = getattr(data, table)
    assert frame["source_row"].tolist() == [2]
    assert row_counts(data) == {"incidents": 1, "status": 1, "timeline": 1}


def test_row_with_several_errors_reports_each_and_is_left_out_once(tmp_path):
    data = load_folder(
        tmp_path,
        {"incidents.csv": lines(INCIDENTS_HEADER, INCIDENT_OK, "I2,2010-13,Atlantis,arrest,UZB,many,,IWPR,")},
    )
    assert [p[:5] for p in problems(data)] == [
        ("incidents.csv", 3, "date", "error", "2010-13"),
        ("incidents.csv", 3, "host_country", "error", "Atlantis"),
        ("incidents.csv", 3, "type", "error", "arrest"),
        ("incidents.csv", 3, "people", "error", "many"),
    ]
    assert data.incidents["incident_id"].tolist() == ["I1"]


def test_several_bad_rows_among_valid_ones(tmp_path):
    text = lines(
        INCIDENTS_HEADER,
        "I1,2010-06,KAZ,detention,UZB,5,2,IWPR,",
        "I2,2010-13,KAZ,detention,UZB,5,,IWPR,",
        "I3,2010-07,KGZ,release,TJK,3,,IWPR,",
        "I4,2010-08,KAZ,detention,UZB,0,,IWPR,",
        "I5,2010-Q3,TJK,deportation,AFG,1,1,IWPR,",
    )
    data = load_folder(tmp_path, {"incidents.csv": text})
    assert [p[:3] for p in problems(data)] == [("incidents.csv", 3, "date"), ("incidents.csv", 5, "people")]
    assert data.incidents["incident_id"].tolist() == ["I1", "I3", "I5"]
    assert data.incidents["source_row"].tolist() == [2, 4, 6]


# -- columns -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "text", "column"),
    [
        pytest.param("incidents", lines("incident_id,date,type,nationality,people,source", "I1,2010,detention,UZB,5,IWPR"), "host_country", id="incidents-host_country"),
        pytest.param("incidents", lines("incident_id,date,host_country,type,people,source", "I1,2010,KAZ,detention,5,IWPR"), "nationality", id="incidents-nationality"),
        pytest.param("incidents", lines("incident_id,date,host_country,type,nationality,source", "I1,2010,KAZ,detention,UZB,IWPR"), "people", id="incidents-people"),
        pytest.param("incidents", lines("incident_id,host_country,type,nationality,people,source", "I1,KAZ,detention,UZB,5,IWPR"), "date", id="incidents-date"),
        pytest.param("status", lines("record_id,date,host_country,nationality,authority,people,incident_id,source", "R1,2010,KAZ,UZB,national,2,I1,IWPR"), "decision", id="status-decision"),
        pytest.param("status", lines("date,host_country,nationality,authority,decision,people,incident_id,source", "2010,KAZ,UZB,national,revoked,2,I1,IWPR"), "record_id", id="status-record_id"),
        pytest.param("timeline", lines("date,end_date,host_country,source", "2010,,KAZ,IWPR"), "label", id="timeline-label"),
        pytest.param("timeline", lines("end_date,host_country,label,source", "2010,KAZ,Procedure moves,IWPR"), "date", id="timeline-date"),
        pytest.param("timeline", lines("date,label", "2010,Procedure moves"), "source", id="timeline-source"),
    ],
)  # fmt: skip
def test_missing_required_column_leaves_the_file_out(tmp_path, table, text, column):
    data = load_folder(tmp_path, {f"{table}.csv": text})
    assert_problem(
        only_problem(data), (f"{table}.csv", None, column, "error", ""), "required column is missing"
    )
    expected = {"incidents": 1, "status": 1, "timeline": 1} | {table: 0}
    assert row_counts(data) == expected
    assert list(getattr(data, table).columns) == TYPED_COLUMNS[table]


def test_missing_optional_columns_are_fine(tmp_path):
    data = load_folder(
        tmp_path,
        {
            "incidents.csv": lines("incident_id,date,host_country,type,nationality,people,source", "I1,2010,KAZ,detention,UZB,5,IWPR"),
            "status.csv": lines("record_id,date,host_country,nationality,authority,decision,people,source", "R1,2010,KAZ,UZB,national,revoked,2,IWPR"),
            "timeline.csv": lines("date,label,source", "2010,Procedure moves,IWPR"),
        },
    )  # fmt: skip
    assert problems(data) == []
    assert data.incidents["unhcr_refugees"].isna().all()
    assert data.incidents["illustrative"].tolist() == [False]
    assert data.status["incident_id"].isna().all()
    assert data.incidents["follows"].isna().all()
    assert data.timeline["is_period"].tolist() == [False]
    for table in HEADERS:
        assert list(getattr(data, table).columns) == TYPED_COLUMNS[table]


@pytest.mark.parametrize(
    ("table", "header", "row", "column", "hint"),
    [
        pytest.param("incidents", INCIDENTS_HEADER + ",nationalty", INCIDENT_OK + ",UZB", "nationalty", "unknown column, ignored; did you mean nationality?", id="incidents-nationalty"),
        pytest.param("incidents", INCIDENTS_HEADER + ",unhcr_refugee", INCIDENT_OK + ",2", "unhcr_refugee", "did you mean unhcr_refugees?", id="incidents-unhcr_refugee"),
        pytest.param("status", STATUS_HEADER + ",nationalty", STATUS_OK + ",UZB", "nationalty", "did you mean nationality?", id="status-nationalty"),
        pytest.param("status", STATUS_HEADER + ",desicion", STATUS_OK + ",revoked", "desicion", "did you mean decision?", id="status-desicion"),
        pytest.param("timeline", TIMELINE_HEADER + ",lable", TIMELINE_OK + ",x", "lable", "did you mean label?", id="timeline-lable"),
        pytest.param("timeline", TIMELINE_HEADER + ",comment", TIMELINE_OK + ",x", "comment", "unknown column, ignored; known columns: date, end_date, host_country, label, label_kk, label_ru, source", id="timeline-not-close-lists-known"),
    ],
)  # fmt: skip
def test_unknown_column_is_a_warning_and_the_rows_load(tmp_path, table, header, row, column, hint):
    data = load_folder(tmp_path, {f"{table}.csv": lines(header, row)})
    assert_problem(only_problem(data), (f"{table}.csv", 1, column, "warning", ""), hint)
    assert row_counts(data) == {"incidents": 1, "status": 1, "timeline": 1}
    assert data.errors.empty
    assert column not in getattr(data, table).columns


def test_duplicate_and_unnamed_columns_are_warnings(tmp_path):
    text = lines(
        "incident_id,date,host_country,type,nationality,people,source,people,",
        "I1,2010,KAZ,detention,UZB,5,IWPR,7,stray",
    )
    data = load_folder(tmp_path, {"incidents.csv": text})
    found = {p.column: p for p in problems(data)}
    assert sorted(found) == ["", "people"]
    assert_problem(
        found["people"],
        ("incidents.csv", 1, "people", "warning", ""),
        "column appears twice; the second is ignored",
    )
    assert_problem(found[""], ("incidents.csv", 1, "", "warning", ""), "column 9 has no name; it is ignored")
    assert data.incidents["people"].tolist() == [5]


def test_header_names_are_normalised(tmp_path):
    text = lines(
        "Incident ID, Date ,HOST COUNTRY,Type,Nationality,People,UNHCR refugees,Source",
        "I1,2010-06,KAZ,detention,UZB,5,2,IWPR",
    )
    data = load_folder(tmp_path, {"incidents.csv": text})
    assert problems(data) == []
    assert data.incidents.loc[0, ["incident_id", "host_country", "unhcr_refugees"]].tolist() == [
        "I1",
        "KAZ",
        2,
    ]


# -- accepted values and their typed form ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "end", "precision"),
    [
        pytest.param("2010-06-15", "2010-06-15", "2010-06-15", "day", id="day"),
        pytest.param("2012-02-29", "2012-02-29", "2012-02-29", "day", id="leap-day"),
        pytest.param("2010-06", "2010-06-01", "2010-06-30", "month", id="month"),
        pytest.param("2010-Q2", "2010-04-01", "2010-06-30", "quarter", id="quarter"),
        pytest.param("2010-q4", "2010-10-01", "2010-12-31", "quarter", id="quarter-lowercase"),
        pytest.param("2010", "2010-01-01", "2010-12-31", "year", id="year"),
        pytest.param("2026-11-26", "2026-11-26", "2026-11-26", "day", id="today-is-not-future"),
        pytest.param("2026-11", "2026-11-01", "2026-11-30", "month", id="current-month-has-begun"),
        pytest.param(" 2010-06 ", "2010-06-01", "2010-06-30", "month", id="padded"),
    ],
)
def test_accepted_date_forms(tmp_path, text, start, end, precision):
    data = load_folder(
        tmp_path, {"incidents.csv": lines(INCIDENTS_HEADER, f"I1,{text},KAZ,detention,UZB,5,,IWPR,")}
    )
    assert problems(data) == []
    row = data.incidents.iloc[0]
    assert (row["date_start"], row["date_end"], row["date_precision"]) == (
        pd.Timestamp(start),
        pd.Timestamp(end),
        precision,
    )
    assert row["date"] == text.strip()


@pytest.mark.parametrize(
    ("date", "end_date", "start", "end", "is_period"),
    [
        pytest.param("2010", "", "2010-01-01", "2010-12-31", False, id="event-year"),
        pytest.param("2011-03-15", "", "2011-03-15", "2011-03-15", False, id="event-day"),
        pytest.param("2011-03-15", "2011-03-16", "2011-03-15", "2011-03-16", True, id="days"),
        pytest.param("2010-06", "2010-Q3", "2010-06-01", "2010-09-30", True, id="month-to-quarter"),
        pytest.param("2010-06", "2010-06", "2010-06-01", "2010-06-30", True, id="same-month"),
        pytest.param("2009", "2011", "2009-01-01", "2011-12-31", True, id="years"),
        pytest.param("2010", "2010-03", "2010-01-01", "2010-03-31", True, id="end-inside-start-year"),
    ],
)
def test_timeline_periods(tmp_path, date, end_date, start, end, is_period):
    data = load_folder(tmp_path, {"timeline.csv": lines(TIMELINE_HEADER, f"{date},{end_date},,Event,,IWPR")})
    assert problems(data) == []
    row = data.timeline.iloc[0]
    assert (row["date_start"], row["date_end"], row["is_period"]) == (
        pd.Timestamp(start),
        pd.Timestamp(end),
        is_period,
    )
    assert pd.isna(row["host_country"])  # blank means everywhere


@pytest.mark.parametrize(
    ("table", "row", "column", "expected"),
    [
        pytest.param("incidents", "I1,2010,KAZ,Detention,UZB,5,,IWPR,", "type", "detention", id="type-capitalised"),
        pytest.param("incidents", "I1,2010,KAZ,DETENTION,UZB,5,,IWPR,", "type", "detention", id="type-upper"),
        pytest.param("incidents", "I1,2010,KAZ,forced return,UZB,5,,IWPR,", "type", "forced_return", id="type-space"),
        pytest.param("incidents", "I1,2010,KAZ,Forced-Return,UZB,5,,IWPR,", "type", "forced_return", id="type-hyphen"),
        pytest.param("incidents", "I1,2010,KAZ, deportation ,UZB,5,,IWPR,", "type", "deportation", id="type-padded"),
        pytest.param("status", "R1,2010,KAZ,UZB,UNHCR,revoked,2,I1,IWPR,", "authority", "unhcr", id="authority-upper"),
        pytest.param("status", "R1,2010,KAZ,UZB,Joint,Recognized,2,I1,IWPR,", "decision", "recognized", id="decision-capitalised"),
    ],
)  # fmt: skip
def test_enum_values_are_lenient(tmp_path, table, row, column, expected):
    data = load_folder(tmp_path, {f"{table}.csv": lines(HEADERS[table], row)})
    assert problems(data) == []
    assert getattr(data, table)[column].tolist() == [expected]


@pytest.mark.parametrize(
    ("written", "code"),
    [
        pytest.param("Kyrgyzstan", "KGZ", id="Kyrgyzstan"),
        pytest.param("KYRGYZSTAN", "KGZ", id="KYRGYZSTAN"),
        pytest.param("Киргизия", "KGZ", id="Киргизия"),
        pytest.param("KG", "KGZ", id="KG"),
        pytest.param("Turkey", "TUR", id="Turkey"),
        pytest.param("Türkiye", "TUR", id="Türkiye"),
        pytest.param("Russia", "RUS", id="Russia"),
        pytest.param("Kosovo", "XKX", id="Kosovo"),
        pytest.param("kaz", "KAZ", id="kaz-lowercase-alpha-3"),
    ],
)
def test_country_variants_are_normalised(tmp_path, written, code):
    incidents = lines(INCIDENTS_HEADER, f"I1,2010,{written},detention,{written},5,,IWPR,")
    status = lines(STATUS_HEADER, f"R1,2010,{written},{written},national,revoked,2,I1,IWPR,")
    timeline = lines(TIMELINE_HEADER, f"2010,,{written},Event,,IWPR")
    data = load_folder(tmp_path, {"incidents.csv": incidents, "status.csv": status, "timeline.csv": timeline})
    assert problems(data) == []
    assert data.incidents[["host_country", "nationality"]].iloc[0].tolist() == [code, code]
    assert data.status[["host_country", "nationality"]].iloc[0].tolist() == [code, code]
    assert data.timeline["host_country"].tolist() == [code]


def test_counts_are_integers_and_blank_unhcr_refugees_stays_unknown(tmp_path):
    text = lines(
        INCIDENTS_HEADER,
        "I1,2010,KAZ,detention,UZB,5,,IWPR,",
        "I2,2010,KAZ,detention,UZB,5,0,IWPR,",
        "I3,2010,KAZ,detention,UZB,5,5,IWPR,",
        "I4,2010,KAZ,detention,UZB,7.0,3,IWPR,",
    )
    data = load_folder(tmp_path, {"incidents.csv": text})
    assert problems(data) == []
    assert str(data.incidents["people"].dtype) == "int64"
    assert str(data.incidents["unhcr_refugees"].dtype) == "Int64"
    assert data.incidents["people"].tolist() == [5, 5, 5, 7]
    unhcr = data.incidents["unhcr_refugees"]
    assert unhcr.isna().tolist() == [True, False, False, False]  # blank is unknown, not zero
    assert unhcr.iloc[1:].tolist() == [0, 5, 3]


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        pytest.param("", False, id="blank-is-false"),
        pytest.param("true", True, id="true"),
        pytest.param("TRUE", True, id="TRUE"),
        pytest.param("yes", True, id="yes"),
        pytest.param("да", True, id="da"),
        pytest.param("false", False, id="false"),
        pytest.param("0", False, id="zero"),
        pytest.param("нет", False, id="net"),
    ],
)
def test_illustrative_flag(tmp_path, written, expected):
    text = lines(INCIDENTS_HEADER + ",illustrative", INCIDENT_OK + f",{written}")
    data = load_folder(tmp_path, {"incidents.csv": text})
    assert problems(data) == []
    assert data.incidents["illustrative"].tolist() == [expected]


def test_illustrative_flag_rejects_other_words(tmp_path):
    text = lines(
        INCIDENTS_HEADER + ",illustrative", INCIDENT_OK + ",true", "I2,2010,KAZ,detention,UZB,5,,IWPR,,maybe"
    )
    data = load_folder(tmp_path, {"incidents.csv": text})
    assert_problem(
        only_problem(data), ("incidents.csv", 3, "illustrative", "error", "maybe"), "not true or false"
    )
    assert data.incidents["incident_id"].tolist() == ["I1"]


def test_http_and_https_links_are_accepted(tmp_path):
    text = lines(
        INCIDENTS_HEADER,
        "I1,2010,KAZ,detention,UZB,5,,IWPR,http://example.org",
        "I2,2010,KAZ,detention,UZB,5,,IWPR,https://www.example.org/a/b?c=d#e",
    )
    data = load_folder(tmp_path, {"incidents.csv": text})
    assert problems(data) == []
    assert data.incidents["source_url"].tolist() == [
        "http://example.org",
        "https://www.example.org/a/b?c=d#e",
    ]


def test_trace_columns_point_to_file_and_row(tmp_path):
    text = lines(INCIDENTS_HEADER, INCIDENT_OK, "", "I2,2010,KAZ,release,TJK,1,,IWPR,")
    data = load_folder(tmp_path, {"incidents.csv": text})
    assert problems(data) == []
    assert data.incidents["source_file"].tolist() == [str(tmp_path / "incidents.csv")] * 2
    assert data.incidents["source_row"].tolist() == [2, 4]


# -- duplicates and references -----------------------------------------------------------------


def test_duplicate_incident_and_nationality_second_occurrence_reported(tmp_path):
    text = lines(
        INCIDENTS_HEADER,
        "I1,2010,KAZ,detention,UZB,5,,IWPR,",
        "I1,2010,KAZ,detention,TJK,2,,IWPR,",  # same incident, another nationality: fine
        "I1,2011,KAZ,release,UZB,3,,Other,",  # same incident_id and nationality: duplicate
    )
    data = load_folder(tmp_path, {"incidents.csv": text})
    assert_problem(
        only_problem(data),
        ("incidents.csv", 4, "incident_id", "error", "I1"),
        "duplicate row for this incident_id and nationality",
    )
    assert data.incidents[["nationality", "source_row"]].values.tolist() == [["UZB", 2], ["TJK", 3]]


def test_duplicate_incident_and_nationality_spelled_differently(tmp_path):
    text = lines(
        INCIDENTS_HEADER,
        "I1,2010,KAZ,detention,KGZ,5,,IWPR,",
        "I1,2010,KAZ,detention,Kyrgyzstan,5,,IWPR,",
    )
    data = load_folder(tmp_path, {"incidents.csv": text})
    assert_problem(
        only_problem(data),
        ("incidents.csv", 3, "incident_id", "error", "I1"),
        "duplicate row for this incident_id and nationality",
    )
    assert data.incidents["source_row"].tolist() == [2]


def test_duplicate_record_id_in_status_second_occurrence_reported(tmp_path):
    text = lines(
        STATUS_HEADER,
        "R1,2010,KAZ,UZB,national,revoked,2,I1,IWPR,",
        "R2,2010,KAZ,UZB,national,applied,2,,IWPR,",
        "R1,2011,KAZ,TJK,unhcr,recognized,1,,IWPR,",
    )
    data = load_folder(tmp_path, {"status.csv": text})
    assert_problem(
        only_problem(data),
        ("status.csv", 4, "record_id", "error", "R1"),
        "duplicate value; must be unique in the file",
    )
    assert data.status["record_id"].tolist() == ["R1", "R2"]
    assert data.status["decision"].tolist() == ["revoked", "applied"]


def test_duplicate_across_files_second_file_row_left_out(tmp_path):
    second = lines(
        INCIDENTS_HEADER, "I2,2011,KAZ,release,UZB,1,,IWPR,", "I1,2011,KAZ,release,Uzbekistan,1,,IWPR,"
    )
    data = load_folder(tmp_path, {"incidents_2011.csv": second})
    assert_problem(
        only_problem(data),
        ("incidents_2011.csv", 3, "incident_id", "error", "I1"),
        "duplicate of a row in another file",
    )
    assert data.incidents[["incident_id", "source_row"]].values.tolist() == [["I1", 2], ["I2", 2]]
    assert [Path(f).name for f in data.incidents["source_file"]] == ["incidents.csv", "incidents_2011.csv"]


def test_status_incident_id_checked_against_every_incidents_file(tmp_path):
    second = lines(INCIDENTS_HEADER, "I2,2011,KAZ,release,UZB,1,,IWPR,")
    status = lines(
        STATUS_HEADER,
        STATUS_OK,
        "R2,2011,KAZ,UZB,unhcr,applied,1,I2,IWPR,",
        "R3,2011,KAZ,UZB,unhcr,applied,1,,IWPR,",
    )
    data = load_folder(tmp_path, {"incidents_2011.csv": second, "status.csv": status})
    assert problems(data) == []
    assert data.status["incident_id"].isna().tolist() == [False, False, True]


def test_status_incident_id_not_checked_without_incidents_file(tmp_path):
    data = load_folder(tmp_path, {"incidents.csv": None})
    assert_problem(
        only_problem(data),
        ("status.csv", None, "incident_id", "warning", ""),
        "incident_id not checked: no readable incidents file was loaded",
    )
    assert row_counts(data) == {"incidents": 0, "status": 1, "timeline": 1}


# -- whole files ---------------------------------------------------------------------------------


def _zip_without_workbook() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        pytest.param("timeline.csv", b"", "file is empty; expected a header row and data rows", id="empty"),
        pytest.param("timeline.csv", b"\n \n\r\n", "file is empty", id="only-blank-lines"),
        pytest.param("timeline.csv", b"\n" + TIMELINE_HEADER.encode() + b"\n2010,,,E,,S\n", "first row is blank", id="blank-first-row"),
        pytest.param("timeline.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "not a CSV file: it holds binary data", id="binary-png"),
        pytest.param("timeline.csv", _zip_without_workbook(), "holds binary data", id="zip-named-csv"),
        pytest.param("timeline.csv", b"date,label,source\n2010,\x98\x81,S\n", "not a CSV text file: the bytes are not UTF-8 text", id="undecodable-bytes"),
        pytest.param("timeline.xlsx", valid_file("timeline").encode(), "not an Excel .xlsx file (it is not a zip archive)", id="xlsx-not-a-zip"),
        pytest.param("timeline.xlsx", b"", "not an Excel .xlsx file", id="xlsx-empty"),
        pytest.param("timeline.xlsx", _zip_without_workbook(), "cannot read this .xlsx file", id="xlsx-zip-without-workbook"),
        pytest.param("notes.csv", b"a,b\n1,2\n", "cannot tell which table this is; name the file incidents.csv", id="unidentifiable"),
    ],
)  # fmt: skip
def test_broken_file_is_reported_and_does_not_take_the_others_down(tmp_path, name, content, message):
    data = load_folder(tmp_path, {"timeline.csv": None, name: content})
    assert_problem(only_problem(data), (name, None, "", "error", ""), message)
    assert row_counts(data) == {"incidents": 1, "status": 1, "timeline": 0}
    assert data.incidents["incident_id"].tolist() == ["I1"]
    assert data.status["record_id"].tolist() == ["R1"]
    assert list(data.timeline.columns) == TYPED_COLUMNS["timeline"]


def test_broken_incidents_file_keeps_status_and_timeline(tmp_path):
    data = load_folder(tmp_path, {"incidents.csv": b"\x00\x00\x00\x00"})
    found = problems(data)
    assert_problem(found[0], ("incidents.csv", None, "", "error", ""), "holds binary data")
    assert_problem(found[1], ("status.csv", None, "incident_id", "warning", ""), "incident_id not checked")
    assert len(found) == 2
    assert row_counts(data) == {"incidents": 0, "status": 1, "timeline": 1}


def test_missing_file_path(tmp_path):
    data = load([tmp_path / "incidents.csv"], today=TODAY)
    assert_problem(only_problem(data), ("incidents.csv", None, "", "error", ""), "no such file")
    assert row_counts(data) == {"incidents": 0, "status": 0, "timeline": 0}


@pytest.mark.parametrize("table", ["incidents", "status", "timeline"])
def test_header_only_file_gives_zero_rows(tmp_path, table):
    data = load_folder(tmp_path, {f"{table}.csv": lines(HEADERS[table])})
    if table == "incidents":  # status refers to I1, which no longer exists
        assert_problem(
            only_problem(data),
            ("status.csv", 2, "incident_id", "error", "I1"),
            "no incident with this incident_id",
        )
    else:
        assert problems(data) == []
    frame = getattr(data, table)
    assert len(frame) == 0
    assert list(frame.columns) == TYPED_COLUMNS[table]


def test_rows_with_too_many_cells_left_out_and_blank_lines_keep_their_numbers(tmp_path):
    text = lines(
        INCIDENTS_HEADER,  # 1
        INCIDENT_OK,  # 2
        "",  # 3
        "I2,2010,KAZ,detention,UZB,5,,IWPR,,surplus",  # 4
        ",,,,,,,,",  # 5: empty cells only, skipped like a blank line
        "I3,2010-13,KAZ,detention,UZB,5,,IWPR,",  # 6
        "I4,2010,KAZ,detention,TJK,5,,IWPR,,,",  # 7: extra cells, but empty: fine
        "I5,2010,KAZ,detention,UZB,5",  # 8: too few cells, padded with blanks
    )
    data = load_folder(tmp_path, {"incidents.csv": text})
    found = problems(data)
    assert_problem(
        found[0], ("incidents.csv", 4, "", "error", ""), "row has 10 cells but the header has 9; row left out"
    )
    assert_problem(found[1], ("incidents.csv", 6, "date", "error", "2010-13"), "not a date")
    assert_problem(found[2], ("incidents.csv", 8, "source", "error", ""), "required cell is empty")
    assert len(found) == 3
    assert data.incidents[["incident_id", "source_row"]].values.tolist() == [["I1", 2], ["I4", 7]]


def test_quoted_multiline_cell_counts_as_one_row(tmp_path):
    text = lines(
        INCIDENTS_HEADER,
        'I1,2010,KAZ,detention,UZB,5,,"IWPR,\nsecond line",',
        "I2,2010-13,KAZ,detention,UZB,5,,IWPR,",
    )
    data = load_folder(tmp_path, {"incidents.csv": text})
    assert_problem(only_problem(data), ("incidents.csv", 3, "date", "error", "2010-13"), "not a date")
    assert data.incidents["source"].tolist() == ["IWPR,\nsecond line"]


# -- encodings and formats -----------------------------------------------------------------------


def test_cp1251_file_loads_with_a_warning(tmp_path):
    text = lines(
        INCIDENTS_HEADER,
        "I1,2010,Киргизия,detention,Узбекистан,5,,Доклад правозащитников,",
        "I2,2010-13,KAZ,detention,UZB,5,,IWPR,",
    )
    data = load_folder(tmp_path, {"incidents.csv": text.encode("cp1251")})
    found = problems(data)
    assert_problem(found[0], ("incidents.csv", None, "", "warning", ""), "not UTF-8; read as Windows-1251")
    assert_problem(found[1], ("incidents.csv", 3, "date", "error", "2010-13"), "not a date")
    assert len(found) == 2
    assert data.incidents[["host_country", "nationality", "source"]].iloc[0].tolist() == [
        "KGZ",
        "UZB",
        "Доклад правозащитников",
    ]


def test_utf8_with_bom(tmp_path):
    data = load_folder(tmp_path, {"incidents.csv": ("\ufeff" + valid_file("incidents")).encode("utf-8")})
    assert problems(data) == []
    assert data.incidents["incident_id"].tolist() == ["I1"]


def test_semicolon_separated_with_commas_inside_cells(tmp_path):
    text = lines(
        INCIDENTS_HEADER.replace(",", ";"), "I1;2010-06;Киргизия;detention;UZB;5;2;IWPR, Central Asia;"
    )
    data = load_folder(tmp_path, {"incidents.csv": text})
    assert problems(data) == []
    assert data.incidents[["host_country", "source", "unhcr_refugees"]].iloc[0].tolist() == [
        "KGZ",
        "IWPR, Central Asia",
        2,
    ]


def test_tab_separated_tsv(tmp_path):
    text = lines(STATUS_HEADER.replace(",", "\t"), STATUS_OK.replace(",", "\t"))
    data = load_folder(tmp_path, {"status.csv": None, "status.tsv": text})
    assert problems(data) == []
    assert data.status["record_id"].tolist() == ["R1"]
    assert Path(data.status["source_file"].iloc[0]).name == "status.tsv"


def test_windows_line_endings(tmp_path):
    text = f"{INCIDENTS_HEADER}\r\n{INCIDENT_OK}\r\n\r\nI2,2010-13,KAZ,detention,UZB,5,,IWPR,\r\n"
    data = load_folder(tmp_path, {"incidents.csv": text.encode()})
    assert_problem(only_problem(data), ("incidents.csv", 4, "date", "error", "2010-13"), "not a date")
    assert data.incidents["source_url"].tolist() == ["https://example.org/a"]


def test_table_identified_by_header_when_the_name_does_not_say(tmp_path):
    data = load_folder(tmp_path, {"status.csv": None, "export 2010.csv": valid_file("status")})
    assert problems(data) == []
    assert data.status["record_id"].tolist() == ["R1"]


def test_xlsx_written_by_pandas_with_real_excel_dates(tmp_path):
    frame = pd.DataFrame(
        {
            "incident_id": ["X1", "X2", "X3", "X4", "X5"],
            "date": [pd.Timestamp("2010-06-15"), "2010-06", "2010-Q2", 2010, pd.Timestamp("2010-07-01")],
            "host_country": ["KAZ", "Kyrgyzstan", "KGZ", "TJK", "KAZ"],
            "type": ["detention", "Forced return", "release", "deportation", "detention"],
            "nationality": ["UZB", "UZB", "CHN", "AFG", "UZB"],
            "people": [3, 4, 2.5, 1, 6],
            "unhcr_refugees": [1, None, None, 0, None],
            "source": ["IWPR"] * 5,
        }
    )
    frame.to_excel(tmp_path / "incidents.xlsx", index=False)
    sheet = openpyxl.load_workbook(tmp_path / "incidents.xlsx").active
    assert [sheet[c].is_date for c in ("B2", "B3", "B6")] == [True, False, True]  # real Excel dates
    status = lines(STATUS_HEADER, "R1,2010-07,KAZ,UZB,national,revoked,2,X1,IWPR,")
    data = load_folder(tmp_path, {"incidents.csv": None, "status.csv": status})
    assert_problem(only_problem(data), ("incidents.xlsx", 4, "people", "error", "2.5"), "not a whole number")
    got = data.incidents
    assert got["incident_id"].tolist() == ["X1", "X2", "X4", "X5"]
    assert got["source_row"].tolist() == [2, 3, 5, 6]
    assert got["date"].tolist() == ["2010-06-15", "2010-06", "2010", "2010-07-01"]
    assert got["date_precision"].astype(str).tolist() == ["day", "month", "year", "day"]
    assert got["date_end"].tolist() == [
        pd.Timestamp(d) for d in ("2010-06-15", "2010-06-30", "2010-12-31", "2010-07-01")
    ]
    assert got["host_country"].tolist() == ["KAZ", "KGZ", "TJK", "KAZ"]
    assert got["type"].tolist() == ["detention", "forced_return", "deportation", "detention"]
    assert got["people"].tolist() == [3, 4, 1, 6]
    assert got["unhcr_refugees"].isna().tolist() == [False, True, False, True]
    assert data.status["incident_id"].tolist() == ["X1"]  # checked against the ids in incidents.xlsx


def test_xlsx_blank_rows_keep_their_numbers_and_a_sheet_of_no_table_is_named(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(INCIDENTS_HEADER.split(","))  # row 1
    sheet.append(["I1", datetime.date(2010, 6, 15), "KAZ", "detention", "UZB", 5, 2, "IWPR", None])
    sheet.append([])  # row 3: blank
    sheet.append(["I2", "2010-13", "KAZ", "detention", "UZB", 5, None, "IWPR", None])
    sheet.append(["I3", 2010, "KAZ", "release", "UZB", 1.0, 0, "IWPR", "https://example.org/x"])
    other = workbook.create_sheet("notes")
    other.append(["ignored", "sheet"])
    workbook.save(tmp_path / "incidents.xlsx")
    data = load_folder(tmp_path, {"incidents.csv": None})
    notes, date = problems(data)
    assert_problem(notes, ("incidents.xlsx", None, "", "warning", ""), "sheet 'notes' is not read")
    assert_problem(date, ("incidents.xlsx", 4, "date", "error", "2010-13"), "not a date")
    assert data.incidents[["incident_id", "date", "people", "source_row"]].values.tolist() == [
        ["I1", "2010-06-15", 5, 2],
        ["I3", "2010", 1, 5],
    ]


# -- the problems table, default folder ----------------------------------------------------------


def test_problems_frame_columns_and_types(tmp_path):
    data = load_folder(
        tmp_path, {"incidents.csv": lines(INCIDENTS_HEADER, "I1,2010-13,KAZ,detention,UZB,5,,IWPR,")}
    )
    assert list(data.problems.columns) == ["file", "row", "column", "value", "message", "severity"]
    assert list(problems_module.PROBLEM_COLUMNS) == ["file", "row", "column", "value", "message", "severity"]
    assert str(data.problems["row"].dtype) == "Int64"
    (tmp_path / "clean").mkdir()
    clean = load_folder(tmp_path / "clean")
    assert list(clean.problems.columns) == ["file", "row", "column", "value", "message", "severity"]
    assert clean.problems.empty


@pytest.mark.parametrize(
    ("table", "bad_row", "columns"),
    [
        pytest.param("incidents", ",2010,KAZ,detention,Atlantis,many,,,", ["incident_id", "nationality", "people", "source"], id="incidents"),
        pytest.param("status", "R2,2010-13,KAZ,UZB,court,revoked,many,I1,,", ["date", "authority", "people", "source"], id="status"),
    ],
)  # fmt: skip
def test_problems_within_a_row_follow_the_documented_column_order(tmp_path, table, bad_row, columns):
    data = load_folder(tmp_path, {f"{table}.csv": lines(HEADERS[table], VALID_ROWS[table], bad_row)})
    assert [(p.row, p.column) for p in problems(data)] == [(3, c) for c in columns]


def test_problems_sorted_by_file_then_row_whole_file_first_and_errors_exclude_warnings(tmp_path):
    incidents = lines(
        INCIDENTS_HEADER + ",nationalty",
        "I0,2010-13,KAZ,detention,UZB,5,,IWPR,,",
        "I1,2010,KAZ,detention,UZB,5,,Доклад,,",
    )
    status = lines(STATUS_HEADER, "R2,2010,KAZ,UZB,court,revoked,2,,IWPR,", STATUS_OK)
    data = load_folder(tmp_path, {"incidents.csv": incidents.encode("cp1251"), "status.csv": status})
    assert [p[:4] for p in problems(data)] == [
        ("incidents.csv", None, "", "warning"),
        ("incidents.csv", 1, "nationalty", "warning"),
        ("incidents.csv", 2, "date", "error"),
        ("status.csv", 2, "authority", "error"),
    ]
    assert [(Path(f).name, r) for f, r in zip(data.errors["file"], data.errors["row"], strict=True)] == [
        ("incidents.csv", 2),
        ("status.csv", 2),
    ]


def test_env_var_selects_the_default_folder(tmp_path, monkeypatch):
    folder = make_folder(
        tmp_path, {"incidents.csv": lines(INCIDENTS_HEADER, INCIDENT_OK, "I9,2010,KAZ,release,TJK,1,,IWPR,")}
    )
    monkeypatch.setenv("REFUGEE_STATS_DATA", str(folder))
    assert files_module.default_data_dir() == folder
    data = load(today=TODAY)
    assert data.files == tuple(str(folder / f"{t}.csv") for t in ("incidents", "status", "timeline"))
    assert data.incidents["incident_id"].tolist() == ["I1", "I9"]
    assert problems(data) == []


@pytest.mark.parametrize("value", [pytest.param(None, id="unset"), pytest.param("   ", id="blank")])
def test_without_env_var_the_bundled_folder_is_used(monkeypatch, value):
    if value is None:
        monkeypatch.delenv("REFUGEE_STATS_DATA", raising=False)
    else:
        monkeypatch.setenv("REFUGEE_STATS_DATA", value)
    bundled = Path(files_module.__file__).resolve().parent.parent.parent / "data"
    assert files_module.default_data_dir() == bundled


def test_bundled_data_loads_without_problems(monkeypatch):
    monkeypatch.delenv("REFUGEE_STATS_DATA", raising=False)
    data = load(today=TODAY)
    assert data.problems.to_dict("records") == []
    assert {Path(f).name for f in data.files} == {"incidents.csv", "status.csv", "timeline.csv"}
    assert min(row_counts(data).values()) > 0
    for table in HEADERS:
        assert list(getattr(data, table).columns) == TYPED_COLUMNS[table]


def test_single_file_path_as_string(tmp_path):
    path = make_folder(tmp_path) / "incidents.csv"
    data = load(str(path), today=TODAY)
    assert data.files == (str(path),)
    assert row_counts(data) == {"incidents": 1, "status": 0, "timeline": 0}
    assert problems(data) == []


# -- bugs ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "people",
    [
        pytest.param("1_000", id="underscore"),
        pytest.param("３", id="fullwidth-digit"),
        pytest.param("٣", id="arabic-indic-digit"),
    ],
)
def test_people_that_float_accepts_but_pandas_does_not(tmp_path, people):
    data = load_folder(
        tmp_path,
        {"incidents.csv": lines(INCIDENTS_HEADER, INCIDENT_OK, f"I2,2010,KAZ,detention,UZB,{people},,IWPR,")},
    )
    assert_problem(only_problem(data), ("incidents.csv", 3, "people", "error", people), "not a number")
    assert data.incidents["incident_id"].tolist() == ["I1"]


def test_unhcr_refugees_that_float_accepts_but_pandas_does_not(tmp_path):
    data = load_folder(
        tmp_path,
        {"incidents.csv": lines(INCIDENTS_HEADER, INCIDENT_OK, "I2,2010,KAZ,detention,UZB,50,1_0,IWPR,")},
    )
    assert_problem(only_problem(data), ("incidents.csv", 3, "unhcr_refugees", "error", "1_0"), "not a number")
    assert data.incidents["incident_id"].tolist() == ["I1"]
