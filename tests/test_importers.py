"""Publisher importers (refugee_stats.importers) on small fixtures written for these tests.

Every expectation below was worked out by hand from the fixture files in
``tests/fixtures/importers/`` (row numbers count file lines, header of a plain CSV = 1).
"""

from __future__ import annotations

import dataclasses
import gzip
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from refugee_stats import importers
from refugee_stats.fields import TABLES, field_names
from refugee_stats.importers import hxl
from refugee_stats.ingest.dataset import load
from refugee_stats.ingest.problems import PROBLEM_COLUMNS, Problem, problems_frame
from refugee_stats.ingest.validate import validate

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "importers"
TODAY = pd.Timestamp("2026-11-26")

INCIDENT_COLUMNS = ["incident_id", "date", "host_country", "type", "nationality", "people"]
STATUS_COLUMNS = [
    "record_id",
    "date",
    "host_country",
    "nationality",
    "authority",
    "decision",
    "people",
    "unit",
]
STOCK_COLUMNS = ["date", "host_country", "nationality", "measure", "people"]
COLUMNS = {"incidents": INCIDENT_COLUMNS, "status": STATUS_COLUMNS, "stocks": STOCK_COLUMNS}


def records(frame: pd.DataFrame, table: str) -> list[tuple]:
    """(row, key columns...) per record, as text."""
    return [tuple(r) for r in frame.reset_index()[["row", *COLUMNS[table]]].itertuples(index=False)]


def problems_of(result: importers.ImportResult) -> list[tuple]:
    """(row, column, value, severity) per problem."""
    return [(p.row, p.column, p.value, p.severity) for p in result.problems]


# -- expected imports of each fixture ------------------------------------------------------------

# fmt: off
EXPECTED = {
    "unhcr_decisions_api.csv": (
        "unhcr-decisions",
        "status",
        [
            (2, "UNHCR-2019-KAZ-UZB-G-FI-persons-recognized", "2019", "KAZ", "UZB", "national", "recognized", "12", "persons"),
            (2, "UNHCR-2019-KAZ-UZB-G-FI-persons-rejected", "2019", "KAZ", "UZB", "national", "rejected", "30", "persons"),
            (2, "UNHCR-2019-KAZ-UZB-G-FI-persons-closed", "2019", "KAZ", "UZB", "national", "closed", "5", "persons"),
            (3, "UNHCR-2019-KAZ-UZB-G-FI-cases-recognized", "2019", "KAZ", "UZB", "national", "recognized", "4", "cases"),
            (3, "UNHCR-2019-KAZ-UZB-G-FI-cases-rejected", "2019", "KAZ", "UZB", "national", "rejected", "9", "cases"),
            (4, "UNHCR-2019-KAZ-UZB-G-NA-persons-recognized", "2019", "KAZ", "UZB", "national", "recognized", "3", "persons"),
            (4, "UNHCR-2019-KAZ-UZB-G-NA-persons-complementary", "2019", "KAZ", "UZB", "national", "complementary", "1", "persons"),
            (5, "UNHCR-2019-TJK-AFG-U-FI-persons-recognized", "2019", "TJK", "AFG", "unhcr", "recognized", "20", "persons"),
            # UNHCR's UNK (unknown) and TIB (Tibetan): imported under XXX and XTI
            (7, "UNHCR-2020-KAZ-XXX-G-FI-persons-recognized", "2020", "KAZ", "XXX", "national", "recognized", "7", "persons"),
            (8, "UNHCR-2020-KGZ-XTI-U-FI-persons-recognized", "2020", "KGZ", "XTI", "unhcr", "recognized", "2", "persons"),
            (9, "UNHCR-2021-UZB-XXA-G-FI-persons-complementary", "2021", "UZB", "XXA", "national", "complementary", "6", "persons"),
        ],
        [],
    ),
    "unhcr_decisions_website.csv": (
        "unhcr-decisions",
        "status",
        [
            (8, "UNHCR-2022-KAZ-UZB-G-FI-persons-recognized", "2022", "KAZ", "UZB", "national", "recognized", "8", "persons"),
            (8, "UNHCR-2022-KAZ-UZB-G-FI-persons-rejected", "2022", "KAZ", "UZB", "national", "rejected", "15", "persons"),
            (8, "UNHCR-2022-KAZ-UZB-G-FI-persons-closed", "2022", "KAZ", "UZB", "national", "closed", "2", "persons"),
            (9, "UNHCR-2022-KAZ-UZB-G-FI-cases-recognized", "2022", "KAZ", "UZB", "national", "recognized", "3", "cases"),
            (9, "UNHCR-2022-KAZ-UZB-G-FI-cases-rejected", "2022", "KAZ", "UZB", "national", "rejected", "6", "cases"),
        ],
        [],
    ),
    "unhcr_population_api.csv": (
        "unhcr-population",
        "stocks",
        [
            (2, "2019", "TJK", "AFG", "refugees", "1500"),
            (2, "2019", "TJK", "AFG", "asylum_seekers", "320"),
            (3, "2019", "KAZ", "UZB", "asylum_seekers", "41"),
            (4, "2020", "TJK", "AFG", "refugees", "1600"),
            (5, "2020", "KAZ", "XXX", "refugees", "90"),
        ],
        [],
    ),
    "unhcr_population_website.csv": (
        "unhcr-population",
        "stocks",
        [
            (11, "2021", "TJK", "AFG", "refugees", "6307"),
            (11, "2021", "TJK", "AFG", "asylum_seekers", "1098"),
            (12, "2022", "TJK", "AFG", "refugees", "7125"),
            (13, "2022", "RUS", "TJK", "refugees", "1115"),
            (14, "2022", "KGZ", "XXX", "refugees", "3"),
        ],
        [],
    ),
    "uk_entering.csv": (
        "uk-detention-entering",
        "incidents",
        [
            (2, "UKHO-DET-2023-Q1-UZB", "2023-Q1", "GBR", "detention", "UZB", "6"),
            (5, "UKHO-DET-2023-Q1-XKX", "2023-Q1", "GBR", "detention", "XKX", "4"),
            (6, "UKHO-DET-2023-Q1-COD", "2023-Q1", "GBR", "detention", "COD", "1"),
            (7, "UKHO-DET-2023-Q1-XXX", "2023-Q1", "GBR", "detention", "XXX", "2"),
            (8, "UKHO-DET-2023-Q2-UZB", "2023-Q2", "GBR", "detention", "UZB", "5"),
            (9, "UKHO-DET-2023-Q2-XXA", "2023-Q2", "GBR", "detention", "XXA", "1"),
        ],
        [],
    ),
    "uk_leaving.csv": (
        "uk-detention-leaving",
        "incidents",
        [
            (2, "UKHO-LEAVE-2023-Q1-UZB-Returned", "2023-Q1", "GBR", "deportation", "UZB", "3"),
            (4, "UKHO-LEAVE-2023-Q1-UZB-Bailed-SoS", "2023-Q1", "GBR", "release", "UZB", "3"),
            (5, "UKHO-LEAVE-2023-Q1-UZB-Bailed-IJ", "2023-Q1", "GBR", "release", "UZB", "1"),
            (6, "UKHO-LEAVE-2023-Q1-UZB-Granted-LTE-LTR", "2023-Q1", "GBR", "release", "UZB", "1"),
            (7, "UKHO-LEAVE-2023-Q1-UZB-Other", "2023-Q1", "GBR", "release", "UZB", "2"),
            (8, "UKHO-LEAVE-2023-Q1-ALB-Returned", "2023-Q1", "GBR", "deportation", "ALB", "7"),
        ],
        [
            (9, "Reason for leaving detention", "Escaped", "error"),
        ],
    ),
    "uk_in_detention.csv": (
        "uk-detention-stock",
        "stocks",
        [
            (2, "2023-Q4", "GBR", "UZB", "in_detention", "3"),
            (4, "2023-Q4", "GBR", "XXX", "in_detention", "87"),
            (5, "2023-Q3", "GBR", "UZB", "in_detention", "1"),
        ],
        [],
    ),
    "ice_bookins_foia.csv": (
        "ice-bookins",
        "incidents",
        [
            (7, "ICE-BOOKIN-2015-03-02-UZB", "2015-03-02", "USA", "detention", "UZB", "2"),
            (9, "ICE-BOOKIN-2015-03-02-MEX", "2015-03-02", "USA", "detention", "MEX", "1"),
            (10, "ICE-BOOKIN-2015-03-15-UZB", "2015-03-15", "USA", "detention", "UZB", "1"),
            (11, "ICE-BOOKIN-2015-03-15-XKR", "2015-03-15", "USA", "detention", "XKR", "1"),
            (12, "ICE-BOOKIN-2015-03-15-CHN", "2015-03-15", "USA", "detention", "CHN", "1"),
        ],
        [
            (13, "Book In Date", "13/40/2015", "error"),
        ],
    ),
    "ice_bookins_clean.csv": (
        "ice-bookins",
        "incidents",
        [
            (2, "ICE-BOOKIN-2015-03-02-UZB", "2015-03-02", "USA", "detention", "UZB", "2"),
            (4, "ICE-BOOKIN-2015-03-02-MEX", "2015-03-02", "USA", "detention", "MEX", "1"),
            (5, "ICE-BOOKIN-2015-03-15-UZB", "2015-03-15", "USA", "detention", "UZB", "1"),
            (6, "ICE-BOOKIN-2015-03-15-XKR", "2015-03-15", "USA", "detention", "XKR", "1"),
            (7, "ICE-BOOKIN-2015-03-15-CHN", "2015-03-15", "USA", "detention", "CHN", "1"),
        ],
        [],
    ),
    "hxl_incidents.csv": (
        "hxl",
        "incidents",
        [
            (3, "KAZ-2010-06-UZB", "2010-06", "KAZ", "detention", "UZB", "29"),
            (4, "EX-2", "2011-Q2", "KGZ", "forced_return", "UZB", "3"),
        ],
        [],
    ),
    "hxl_events.csv": (
        "hxl",
        "incidents",
        [
            (3, "E1", "2012-03-04", "KAZ", "detention", "UZB", "4"),
            (6, "E4", "2012-04", "KGZ", "release", "XXX", "2"),
        ],
        [
            (5, "When", "2012-13-01", "error"),
        ],
    ),
    "hxl_unhcr_population.csv": (
        "hxl",
        "stocks",
        [
            (3, "2022", "TJK", "AFG", "refugees", "7125"),
            (4, "2022", "KGZ", "XXX", "refugees", "3"),
            (5, "2022", "RUS", "TJK", "refugees", "1115"),
            (5, "2022", "RUS", "TJK", "asylum_seekers", "12"),
        ],
        [
            (None, "source", "", "warning"),
        ],
    ),
}
# fmt: on


@pytest.mark.parametrize("name", list(EXPECTED))
def test_fixture_imports_as_worked_out_by_hand(name):
    fmt, table, expected, expected_problems = EXPECTED[name]
    result = importers.read_publisher(FIXTURES / name)
    assert result.format == fmt
    assert list(result.tables) == [table]
    assert records(result.tables[table], table) == expected
    assert problems_of(result) == expected_problems
    assert result.summary, "a summary says what was mapped"


@pytest.mark.parametrize("name", list(EXPECTED))
def test_detect_names_the_format_from_the_header(name):
    assert importers.detect(FIXTURES / name) == EXPECTED[name][0]


@pytest.mark.parametrize("name", list(EXPECTED))
def test_imported_frames_pass_the_loader_validation(name):
    """Each frame passes load.validate as is (zero problems), and validated() keeps every record once."""
    result = importers.read_publisher(FIXTURES / name)
    for table, frame in result.tables.items():
        assert list(frame.columns) == field_names(table)
        assert frame.index.name == "row"
        assert all(v is pd.NA or isinstance(v, str) for v in frame.to_numpy().ravel()), "all text"
        _, found = validate(table, frame, name, today=TODAY)
        assert found == []
    typed, found = importers.validated(result, name, today=TODAY)
    assert found == []
    for table, frame in result.tables.items():
        assert typed[table]["source_row"].tolist() == frame.index.tolist()
        assert typed[table]["people"].astype(str).tolist() == frame["people"].tolist()


def unknown_nationality(tmp_path: Path) -> Path:
    """uk_entering.csv with "Other and unknown" (row 7, 2 people) replaced by a name no one knows."""
    path = tmp_path / "uk_entering.csv"
    text = (FIXTURES / "uk_entering.csv").read_text(encoding="utf-8")
    path.write_text(text.replace("Other and unknown", "Atlantis"), encoding="utf-8")
    return path


def test_problems_have_the_loader_keys(tmp_path):
    path = unknown_nationality(tmp_path)
    result = importers.read_publisher(path)
    assert tuple(importers.PROBLEM_KEYS) == tuple(PROBLEM_COLUMNS)
    assert all(isinstance(p, Problem) for p in result.problems)
    assert tuple(problems_frame(result.problems).columns) == PROBLEM_COLUMNS
    [problem] = result.problems
    assert (problem.file, problem.row, problem.value, problem.severity) == (
        str(path),
        7,
        "Atlantis",
        "error",
    )
    assert problem.message() == (
        "unknown country; expected an ISO 3166 code or an English or Russian name; 1 row, 2 people left out"
    )
    assert "1 row (2 people) left out: nationality is not one country (Atlantis)" in result.summary


def test_import_result_is_frozen():
    result = importers.read_publisher(FIXTURES / "uk_entering.csv")
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.format = "other"  # type: ignore[misc]


def test_formats_list_names_and_descriptions():
    assert set(importers.FORMATS) == {
        "unhcr-decisions",
        "unhcr-population",
        "uk-detention-entering",
        "uk-detention-leaving",
        "uk-detention-stock",
        "ice-bookins",
        "hxl",
    }
    assert all("->" in d or d.startswith("HXL") for d in importers.FORMATS.values())


# -- UNHCR specifics -------------------------------------------------------------------------------


def test_cases_and_persons_are_never_added_together():
    """One origin/asylum/year/level with a P row and a C row: two records each, never one sum."""
    status = importers.read_publisher(FIXTURES / "unhcr_decisions_api.csv").tables["status"]
    fi = status[status["record_id"].str.contains("-2019-KAZ-UZB-G-FI-")]
    recognized = fi[fi["decision"] == "recognized"]
    assert sorted(zip(recognized["unit"], recognized["people"], strict=True)) == [
        ("cases", "4"),
        ("persons", "12"),
    ]
    assert "16" not in set(fi["people"])


def test_decision_level_na_is_a_code_not_missing():
    status = importers.read_publisher(FIXTURES / "unhcr_decisions_api.csv").tables["status"]
    new = status[status["record_id"].str.contains("-G-NA-")]
    assert len(new) == 2
    assert new["notes"].str.contains("decision level NA (new applications)", regex=False).all()


def test_unhcr_records_name_the_publisher():
    status = importers.read_publisher(FIXTURES / "unhcr_decisions_api.csv").tables["status"]
    assert set(status["source"]) == {"UNHCR Refugee Data Finder: asylum decisions"}
    assert set(status["source_url"]) == {"https://www.unhcr.org/refugee-statistics/"}
    assert set(status["illustrative"]) == {"false"}


def test_unhcr_website_download_as_zip(tmp_path):
    """The website serves a zip holding the table and a footnotes file: the table is read."""
    archive = tmp_path / "population.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("footnotes.csv", "Year,Footnote\n2022,Something\n")
        zf.write(FIXTURES / "unhcr_population_website.csv", "population.csv")
    assert importers.detect(archive) == "unhcr-population"
    result = importers.read_publisher(archive)
    assert len(result.tables["stocks"]) == 5


# -- UK specifics ----------------------------------------------------------------------------------


def test_uk_leaving_reason_is_kept_in_notes():
    incidents = importers.read_publisher(FIXTURES / "uk_leaving.csv").tables["incidents"]
    assert incidents.loc[4, "notes"].startswith(
        "left immigration detention, reason as published: Bailed (SoS);"
    )
    assert incidents["incident_id"].is_unique


def test_uk_quarter_from_date_when_year_and_quarter_are_missing(tmp_path):
    text = (FIXTURES / "uk_in_detention.csv").read_text(encoding="utf-8").splitlines()
    rows = [line.split(",", 3) for line in text]
    path = tmp_path / "in_detention.csv"
    path.write_text("\n".join(f"{r[0]},{r[3]}" for r in rows) + "\n", encoding="utf-8")
    result = importers.read_publisher(path)
    assert result.format == "uk-detention-stock"
    assert records(result.tables["stocks"], "stocks") == EXPECTED["uk_in_detention.csv"][2]


def test_uk_entering_summary_counts_what_was_left_out():
    summary = importers.read_publisher(FIXTURES / "uk_entering.csv").summary
    assert (
        "6 incidents (type detention, host GBR, one per quarter and nationality): 19 entries into detention"
        in summary[1]
    )
    assert "skipped 1 quarter-nationality totals of 0 people" in summary
    assert not [line for line in summary if "left out" in line]


# -- ICE specifics ---------------------------------------------------------------------------------


def test_ice_gzip_export_reads_like_the_plain_file(tmp_path):
    packed = tmp_path / "bookins.csv.gz"
    packed.write_bytes(gzip.compress((FIXTURES / "ice_bookins_foia.csv").read_bytes()))
    plain = importers.read_publisher(FIXTURES / "ice_bookins_foia.csv").tables["incidents"]
    result = importers.read_publisher(packed)
    pd.testing.assert_frame_equal(result.tables["incidents"], plain)


def test_ice_location_and_source_from_the_file_notes():
    incidents = importers.read_publisher(FIXTURES / "ice_bookins_foia.csv").tables["incidents"]
    assert set(incidents["location"]) == {"Seattle Area of Responsibility"}
    assert set(incidents["source"]) == {
        "U.S. Immigration and Customs Enforcement (ICE) FOIA release: "
        "FY2015 (03/01/2015 - 03/31/2015) ICE Initial Book Ins for the Seattle Area of Responsibility"
    }
    assert incidents.loc[7, "notes"] == (
        "2 initial book-ins into ICE detention on the day; country of citizenship as published: UZBEKISTAN"
    )


@pytest.mark.parametrize("name", ["ice_bookins_foia.csv", "ice_bookins_clean.csv"])
def test_ice_birth_column_never_appears_in_the_output(name):
    result = importers.read_publisher(FIXTURES / name)
    frame = result.tables["incidents"]
    assert not [c for c in frame.columns if "birth" in c.casefold()]
    cells = " ".join(str(v) for v in frame.to_numpy().ravel())
    assert "(b)(6)" not in cells and "(b)(7)" not in cells
    texts = " ".join(result.summary) + " ".join(str(p) for p in result.problems)
    assert "(b)(6)" not in texts


def test_ice_birth_column_is_never_read(monkeypatch):
    """Only the date and citizenship columns are read into records; the date of birth is read once,
    only to see that every cell is a redaction code (so the file is not refused)."""
    read = importers.base.Source.read
    seen = []

    def spy(self, header, columns, progress=None):
        seen.append(dict(columns))
        return read(self, header, columns, progress)

    monkeypatch.setattr(importers.base.Source, "read", spy)
    result = importers.read_publisher(FIXTURES / "ice_bookins_foia.csv")
    assert seen == [{"1": 1}, {"date": 0, "citizenship": 3}]
    assert (
        "column Date of Birth looks like personal data (date of birth) but holds only redaction codes; not read"
        in result.summary
    )


# -- HXL -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("table", TABLES)
def test_hxl_tags_cover_our_columns_and_read_back(table):
    tags = importers.hxl_tags(table)
    assert list(tags) == field_names(table)
    assert all(tag.startswith("#") for tag in tags.values())
    assert {hxl.column_for(tag) for tag in tags.values()} == set(field_names(table))


def test_hxl_mapping_has_no_conflicting_entries():
    seen: dict[tuple, str] = {}
    for spec, column in importers.HXL_COLUMNS.items():
        key = hxl.parse_tag(spec)[:2]
        assert seen.setdefault(key, column) == column, spec


@pytest.mark.parametrize(
    ("tag", "column"),
    [
        ("#country+code+origin", "nationality"),
        ("#country +name +asylum", "host_country"),
        ("#affected+ind+refugees+unhcr", "unhcr_refugees"),
        ("#affected+refugees+ind", "stock:refugees"),
        ("#affected+i_en", "people"),
        ("#affected+hh", None),
        ("#affected+infected", None),
        ("#date+year", "date"),
        ("not a tag", None),
    ],
)
def test_hxl_tag_matching(tag, column):
    assert hxl.column_for(tag) == column


def test_hxl_export_reads_back_unchanged(tmp_path):
    """A frame written with its hashtag row (with_hxl_row) imports as the same records."""
    original = importers.read_publisher(FIXTURES / "uk_leaving.csv").tables["incidents"]
    path = tmp_path / "export.csv"
    importers.with_hxl_row(original, "incidents").to_csv(path, index=False)
    assert importers.detect(path) == "hxl"
    back = importers.read_publisher(path)
    assert back.problems == []
    pd.testing.assert_frame_equal(
        back.tables["incidents"].reset_index(drop=True), original.reset_index(drop=True)
    )


def test_hxl_without_a_known_table_is_reported(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("Place,Cases\n#adm1+name,#affected+infected\nOsh,3\n", encoding="utf-8")
    result = importers.read_publisher(path)
    assert (result.format, result.tables) == ("hxl", {})
    assert result.problems[0].severity == "error"
    assert "cannot tell which table" in result.problems[0].message()


# -- detection, forcing, progress, errors ----------------------------------------------------------


@pytest.mark.parametrize("name", ["incidents.csv", "status.csv", "timeline.csv"])
def test_our_own_data_files_are_not_publisher_files(name):
    assert importers.detect(Path(__file__).resolve().parent.parent / "data" / name) is None


def test_forced_format_that_does_not_fit_is_reported():
    result = importers.read_publisher(FIXTURES / "uk_entering.csv", format="uk-detention-leaving")
    assert (result.format, result.tables) == ("uk-detention-leaving", {})
    assert result.problems[0].message() == (
        "not the uk-detention-leaving layout: no header row with columns reason_for_leaving_detention, leaving"
    )


def test_forced_format_reads_like_detection():
    forced = importers.read_publisher(FIXTURES / "uk_entering.csv", format="uk-detention-entering")
    detected = importers.read_publisher(FIXTURES / "uk_entering.csv")
    pd.testing.assert_frame_equal(forced.tables["incidents"], detected.tables["incidents"])


def test_unknown_format_name_is_a_value_error():
    with pytest.raises(ValueError, match="unknown format 'unhcr'"):
        importers.read_publisher(FIXTURES / "uk_entering.csv", format="unhcr")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "file is empty"),
        (b"a,b\n1,2\n", "not a publisher format we can read"),
        (b"\x00\x01binary", "holds binary data"),
    ],
)
def test_unreadable_or_unknown_files_are_problems_not_crashes(tmp_path, content, message):
    path = tmp_path / "input.csv"
    path.write_bytes(content)
    assert importers.detect(path) is None
    result = importers.read_publisher(path)
    assert result.tables == {}
    assert message in result.problems[0].message()
    assert result.problems[0].severity == "error"


def test_missing_file_is_a_problem(tmp_path):
    result = importers.read_publisher(tmp_path / "nope.csv")
    assert result.tables == {} and "cannot read the file" in result.problems[0].message()


def test_progress_reports_rows_up_to_the_total(tmp_path, monkeypatch):
    monkeypatch.setattr(importers.base, "CHUNK_ROWS", 2)
    calls: list[tuple[int, int]] = []
    importers.read_publisher(FIXTURES / "uk_entering.csv", progress=lambda d, t: calls.append((d, t)))
    assert calls[-1] == (9, 9)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
    assert len(calls) >= 5


def test_cp1252_file_is_read_with_a_warning(tmp_path):
    path = tmp_path / "entering.csv"
    text = (FIXTURES / "uk_entering.csv").read_text(encoding="utf-8").replace("Derwentside", "Dérwentside")
    path.write_bytes(text.encode("cp1252"))
    result = importers.read_publisher(path)
    assert len(result.tables["incidents"]) == 6
    assert result.problems[0].message().startswith("not UTF-8; read as Windows-1252")


def test_a_row_pasted_in_another_encoding_is_named_at_its_line(tmp_path):
    lines = (FIXTURES / "uk_entering.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = lines[1].replace("Harmondsworth", "Hármondsworth")  # UTF-8 beyond ASCII: a UTF-8 file
    lines[4] = lines[4].replace("Colnbrook IRC", "Колнбрук")  # line 5, pasted from Windows-1251
    data = b"".join(line.encode("cp1251" if i == 4 else "utf-8") for i, line in enumerate(lines))
    (tmp_path / "entering.csv").write_bytes(data)
    result = importers.read_publisher(tmp_path / "entering.csv")
    notes = [(p.row, p.severity) for p in result.problems if "not UTF-8" in p.message()]
    assert notes == [(5, "warning")]
    assert "read as Windows-1251" in result.problems[0].message()
    assert len(result.tables["incidents"]) == 6


def test_load_publisher_returns_typed_frames_with_publisher_rows():
    typed, problems = importers.load_publisher(FIXTURES / "unhcr_population_api.csv", "pop.csv", today=TODAY)
    stocks = typed["stocks"]
    assert stocks["source_row"].tolist() == [2, 2, 3, 4, 5]
    assert set(stocks["source_file"]) == {"pop.csv"}
    assert stocks["people"].tolist() == [1500, 320, 41, 1600, 90]
    assert stocks["nationality"].tolist() == ["AFG", "AFG", "UZB", "AFG", "XXX"]
    assert problems == []


# -- every bad cell is named, as the loader names it ----------------------------------------------
#
# Small files written by hand. Rows count file lines (a plain CSV's header = 1; below notes, the
# header's own line); columns are as written in the header; values as written in the cell.

UNHCR_API = "year,coo_name,coo,coo_iso,coa_name,coa,coa_iso,procedure_type,dec_level,dec_pc,"
BAD_CELLS = {
    "unhcr decisions": (
        UNHCR_API + "dec_recognized,dec_other,dec_rejected,dec_closed,dec_total\n"
        "2019,Uzbekistan,UZB,UZB,Kazakhstan,KAZ,KAZ,G,FI,P,abc,0,3,0,3\n"  # 2
        "2019,Uzbekistan,UZB,UZB,Kazakhstan,KAZ,KAZ,G,FI,C,-4.0,1,0,0,1\n"  # 3
        "2019,Uzbekistan,UZB,UZB,Kazakhstan,KAZ,KAZ,G,AR,P,2,0,1.5,0,3\n"  # 4
        "2019,Uzbekistan,UZB,UZB,Kazakhstan,KAZ,KAZ,X,FI,P,2,0,0,0,2\n"  # 5
        "2019,Uzbekistan,UZB,UZB,Kazakhstan,KAZ,KAZ,Q,FI,Z,2,0,0,0,2\n"  # 6: two bad cells
        "20x9,Uzbekistan,UZB,UZB,Kazakhstan,KAZ,KAZ,G,FI,P,2,0,0,0,2\n"  # 7
        "2020,Atlantis,ATL,,Kazakhstan,KAZ,KAZ,G,FI,P,2,0,0,0,2\n"  # 8: no ISO code, the name is used
        "2020,Uzbekistan,UZB,UZB,Nowhere,QQ,QQQ,G,FI,P,2,0,0,0,2\n"  # 9
        "2020,Uzbekistan,UZB,UZB,Kazakhstan,KAZ,KAZ,G,FI,P,2,0,0,0,2\n",  # 10: good
        [
            (7, "year", "20x9"),
            (9, "coa_iso", "QQQ"),
            (8, "coo_name", "Atlantis"),
            (5, "procedure_type", "X"),
            (6, "procedure_type", "Q"),
            (6, "dec_pc", "Z"),
            (2, "dec_recognized", "abc"),
            (3, "dec_recognized", "-4.0"),
            (4, "dec_rejected", "1.5"),
        ],
    ),
    "unhcr population": (
        "year,coo_name,coo,coo_iso,coa_name,coa,coa_iso,refugees,asylum_seekers\n"
        "2020,Afghanistan,AFG,AFG,Tajikistan,TAJ,TJK,12x,5\n"  # 2
        "2020,Afghanistan,AFG,AFG,Kyrgyzstan,KGZ,KGZ,-1,n/a\n"  # 3: n/a is no figure, not bad
        "2021,Afghanistan,AFG,AFG,Tajikistan,TAJ,TJK,7,4.5\n"  # 4
        "2030,Afghanistan,AFG,AFG,Tajikistan,TAJ,TJK,3,3\n",  # 5: in the future
        [
            (5, "year", "2030"),
            (2, "refugees", "12x"),
            (3, "refugees", "-1"),
            (4, "asylum_seekers", "4.5"),
        ],
    ),
    "unhcr population website": (
        '"Extracted from UNHCR\'s Refugee Population Statistics Database"\n'
        "\n"
        'Year,"Country of origin","Country of origin (ISO)","Country of asylum","Country of asylum (ISO)",'
        '"Refugees under UNHCR\'s mandate","Asylum-seekers"\n'  # 3
        "2022,Afghanistan,AFG,Tajikistan,TJK,abc,-\n"  # 4
        "2022,Uzbekistan,UZB,Tajikistan,TJK,-4.0,3\n",  # 5
        [
            (4, "Refugees under UNHCR's mandate", "abc"),
            (5, "Refugees under UNHCR's mandate", "-4.0"),
        ],
    ),
    "uk entering": (
        "Date,Year,Quarter,Nationality,Region,Sex,Age,First place of detention,Entering\n"
        "2023-03-31,2023,1,Uzbekistan,Asia Central,Male,18 to 29,Colnbrook,abc\n"  # 2
        "2023-03-31,2023,1,Uzbekistan,Asia Central,Male,30 to 49,Colnbrook,-4.0\n"  # 3
        "2023-03-31,20x3,1,Uzbekistan,Asia Central,Male,18 to 29,Colnbrook,2\n"  # 4
        "2023-03-31,2023,5,Uzbekistan,Asia Central,Male,18 to 29,Colnbrook,2\n"  # 5
        "2023-03-31,2023,1,Atlantis,Asia Central,Male,18 to 29,Colnbrook,1\n"  # 6
        "2023-03-31,2023,Q9,Narnia,Asia Central,Male,18 to 29,Colnbrook,7\n"  # 7: two bad cells
        "2023-03-31,2023,1,Uzbekistan,Asia Central,Male,18 to 29,Colnbrook,1\n",  # 8: good
        [
            (2, "Entering", "abc"),
            (3, "Entering", "-4.0"),
            (4, "Year", "20x3"),
            (5, "Quarter", "5"),
            (7, "Quarter", "Q9"),
            (6, "Nationality", "Atlantis"),
            (7, "Nationality", "Narnia"),
        ],
    ),
    "uk in detention, by date": (
        "Date,Nationality,Current place of detention,People\n"
        "2023-13-31,Uzbekistan,Colnbrook,3\n"  # 2
        "2023-12-31,Uzbekistan,Colnbrook,-1\n"  # 3
        "2023-12-31,Uzbekistan,Harmondsworth,x1\n",  # 4
        [(3, "People", "-1"), (4, "People", "x1"), (2, "Date", "2023-13-31")],
    ),
    "uk leaving": (
        "Date,Year,Quarter,Nationality,Region,Sex,Age,Reason for leaving detention,Length of detention,Leaving\n"
        "2023-03-31,2023,1,Uzbekistan,Asia Central,Male,18 to 29,Escaped,A: 3 days or less,2\n"  # 2
        "2023-03-31,2023,1,Uzbekistan,Asia Central,Male,18 to 29,Vanished,A: 3 days or less,1\n"  # 3
        "2023-03-31,2023,1,Atlantis,Asia Central,Male,18 to 29,Returned,A: 3 days or less,1\n",  # 4
        [
            (4, "Nationality", "Atlantis"),
            (2, "Reason for leaving detention", "Escaped"),
            (3, "Reason for leaving detention", "Vanished"),
        ],
    ),
    "ice clean": (
        "book_in_date,gender,country_of_citizenship\n"
        "2015-03-02,Male,UZBEKISTAN\n"  # 2
        "2015-02-30,Male,UZBEKISTAN\n"  # 3
        "13/40/2015,Male,UZBEKISTAN\n"  # 4
        "2015-03-02,Male,ATLANTIS\n"  # 5
        "2015-02-31,Male,NARNIA\n",  # 6: two bad cells
        [
            (3, "book_in_date", "2015-02-30"),
            (4, "book_in_date", "13/40/2015"),
            (6, "book_in_date", "2015-02-31"),
            (5, "country_of_citizenship", "ATLANTIS"),
            (6, "country_of_citizenship", "NARNIA"),
        ],
    ),
    "ice export": (
        '"ERO-LESA Statistical Tracking Unit"||\n'
        '"FY2015 ICE Initial Book Ins for the Seattle Area of Responsibility"||\n'
        '"Book In Date"|"Gender"|"Country of Citizenship"\n'  # 3
        '3/2/2015|"Male"|"UZBEKISTAN"\n'  # 4
        '2/30/2015|"Male"|"UZBEKISTAN"\n'  # 5
        '3/2/2015|"Male"|"ATLANTIS"\n'  # 6
        '3/2/2015|"Male"|"NARNIA"\n',  # 7
        [
            (5, "Book In Date", "2/30/2015"),
            (6, "Country of Citizenship", "ATLANTIS"),
            (7, "Country of Citizenship", "NARNIA"),
        ],
    ),
    "hxl incidents": (
        "Event,When,Where,What,Citizenship,Persons,Reported by\n"
        "#event+id,#date+occurred,#country+name,#event+type,#country+name+nationality,#affected+ind,#meta+source\n"
        "E1,2012-03-04,Kazakhstan,Detention,Uzbekistan,4,M\n"  # 3: good
        "E2,2012-13-01,Kazakhstan,Detention,Uzbekistan,2,M\n"  # 4
        "E3,2012-03-05,Atlantis,Detention,Uzbekistan,2,M\n"  # 5
        "E4,2012-03-05,Kazakhstan,Forced Return!,Uzbekistan,2,M\n"  # 6: the type as written
        "E5,2012-03-06,Kazakhstan,Kidnap,Uzbekistan,abc,M\n"  # 7: two bad cells
        "E6,2012-02-30,Kazakhstan,Release,Narnia,-4,M\n",  # 8: three bad cells
        [
            (5, "Where", "Atlantis"),
            (8, "Citizenship", "Narnia"),
            (4, "When", "2012-13-01"),
            (6, "What", "Forced Return!"),
            (7, "What", "Kidnap"),
            (7, "Persons", "abc"),
            (8, "When", "2012-02-30"),
            (8, "Persons", "-4"),
        ],
    ),
    "hxl stock columns": (
        "Year,Origin,Asylum,Refugees,Asylum-seekers,Source\n"
        "#date+year,#country+code+origin,#country+code+asylum,#affected+refugees,#affected+asylum_seekers,"
        "#meta+source\n"
        "2022,AFG,TJK,abc,3,UNHCR\n"  # 3
        "2022,UZB,KAZ,-4.0,x,UNHCR\n",  # 4: two bad cells
        [(3, "Refugees", "abc"), (4, "Refugees", "-4.0"), (4, "Asylum-seekers", "x")],
    ),
}


@pytest.mark.parametrize("case", list(BAD_CELLS))
def test_every_bad_cell_is_named_at_its_row_column_and_value(tmp_path, case):
    text, expected = BAD_CELLS[case]
    path = tmp_path / "publisher.csv"
    path.write_text(text, encoding="utf-8")
    result = importers.read_publisher(path)
    assert [(p.row, p.column, p.value) for p in result.problems] == expected
    assert {p.severity for p in result.problems} == {"error"}
    # Through the loader too: the same cells, and nothing else is an error.
    data = load(path, today=TODAY)
    named = data.errors[["row", "column", "value"]].astype(object).values.tolist()
    assert sorted(map(tuple, named)) == sorted(expected)


def test_one_problem_per_cell_says_what_is_left_out(tmp_path):
    path = tmp_path / "publisher.csv"
    path.write_text(BAD_CELLS["unhcr decisions"][0], encoding="utf-8")
    messages = {(p.row, p.column): p.message() for p in importers.read_publisher(path).problems}
    assert messages[(2, "dec_recognized")] == "not a whole number >= 0; 1 cell left out"
    assert (
        messages[(6, "procedure_type")]
        == "unknown procedure type; expected G, J or U; 1 row, 2 people left out"
    )
