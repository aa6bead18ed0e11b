"""CSV downloads: header block with sources and citation, formula injection neutralised, protected counts."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pandas as pd
import pytest

from refugee_stats import downloads, registry
from refugee_stats.filters import Filters
from refugee_stats.view import build_view

WHEN = datetime(2026, 11, 26, 12, 30, tzinfo=UTC)
INCIDENTS = """
    incident_id,date,host_country,type,nationality,people,unhcr_refugees,source,notes
    A,2010-06,KAZ,detention,UZB,29,17,IWPR,=HYPERLINK("http://evil")
    B,2010-06-20,KAZ,detention,TJK,3,,"=cmd|' /C calc'!A0",@SUM(1)
"""
STATUS = """
    record_id,date,host_country,nationality,authority,decision,people,incident_id,source
    S1,2010-06,KAZ,UZB,national,revoked,17,A,IWPR
"""


@pytest.fixture
def view(dataset_from):
    return build_view(
        dataset_from(incidents=INCIDENTS, status=STATUS),
        Filters(host_countries=("KAZ",), date_from="2010-06", date_to="2010-06"),
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+44 20 7946", "'+44 20 7946"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=cmd", "'\t=cmd"),
        ("\r=cmd", "'\r=cmd"),
        ("IWPR report", "IWPR report"),
        ("", ""),
        (-5, -5),
        (3.5, 3.5),
        (None, None),
    ],
)
def test_neutralise(value, expected):
    assert downloads.neutralise(value) == expected


def read_back(data: bytes, skip: int) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", skiprows=skip, keep_default_na=False)


def test_header_block_and_table(view):
    data = registry.chart_data(view, "en")
    csv = downloads.to_csv(data["detentions"], view=view, title="People detained", exported_at=WHEN)
    lines = csv.decode("utf-8-sig").splitlines()
    # Every header line is one cell starting with "#", so text inside it never runs as a formula.
    sources = "IWPR; =cmd|' /C calc'!A0"
    assert downloads.header_block(view, title="People detained", exported_at=WHEN) == [
        "People detained",
        "Filters: Kazakhstan - all nationalities - Jun 2010",
        f"Sources: {sources}",
        "Exported: 2026-11-26 12:30 UTC",
        "Suggested citation: refugee-stats, People detained, Kazakhstan - all nationalities - Jun 2010, "
        f"exported 2026-11-26, from data by {sources}",
    ]
    assert lines[0] == "# People detained"
    assert lines[1] == "# Filters: Kazakhstan - all nationalities - Jun 2010"
    assert lines[2] == f"# Sources: {sources}"
    assert lines[3] == "# Exported: 2026-11-26 12:30 UTC"
    assert lines[4].startswith(  # quoted by the CSV writer: it holds commas
        '"# Suggested citation: refugee-stats, People detained, Kazakhstan - all nationalities - Jun 2010, exported 2026-11-26'
    )
    table = read_back(csv, 5)
    assert list(table.columns) == [
        "Period start",
        "Period",
        "Nationality code",
        "Nationality",
        "People",
        "Of whom UNHCR refugees",
        "Of whom status unknown",
    ]
    assert table[["Period start", "Nationality code", "People"]].values.tolist() == [
        ["2010-06-01", "TJK", 3],
        ["2010-06-01", "UZB", 29],
    ]
    # TJK's status is not recorded: blank, never 0.
    assert table["Of whom UNHCR refugees"].astype(str).tolist() == ["", "17"]


def test_formulas_are_escaped_in_header_and_table(view):
    records = registry.chart_data(view, "en")["records"]
    text = downloads.to_csv(records, view=view, title="Records", exported_at=WHEN).decode("utf-8-sig")
    assert "'=cmd|' /C calc'!A0" in text and "\n=cmd" not in text and ",=cmd" not in text
    assert ",=" not in text and ",@" not in text and ",+" not in text
    table = read_back(
        text.encode("utf-8-sig"), len(downloads.header_block(view, title="Records", exported_at=WHEN))
    )
    assert set(table["Source"]) == {"IWPR", "'=cmd|' /C calc'!A0"}


def test_public_mode_downloads_show_less_than_five(dataset_from):
    view = build_view(dataset_from(incidents=INCIDENTS, status=STATUS), Filters(), public=True)
    data = registry.chart_data(view, "en")
    # TJK 3 is <5; UZB 29 is withheld too, or the month's total 32 would give 32 - 29 = 3 back.
    assert data["detentions"]["people"].tolist() == ["<5", "x"]
    # Records carry no counts in public mode: any one of them beside a total could pin another.
    assert "people" not in data["records"] and "unhcr_refugees" not in data["records"]
    text = downloads.to_csv(data["records"], view=view, title="Records", exported_at=WHEN).decode("utf-8-sig")
    assert "counts from 1 to 4 are shown as <5" in text
    assert ",3," not in text


def test_hxl_row_and_russian_header(view):
    """The column names in the language of the page; the HXL row, for machines, in none."""
    data = registry.chart_data(view, "ru")["detentions"]
    lines = (
        downloads.to_csv(data, view=view, title="Задержанные", lang="ru", hxl=True, exported_at=WHEN)
        .decode("utf-8-sig")
        .splitlines()
    )
    n = len(downloads.header_block(view, title="Задержанные", lang="ru", exported_at=WHEN))
    assert lines[1] == "# Фильтры: Казахстан - все гражданства - июнь 2010"
    assert lines[n] == (
        "Начало периода,Период,Код гражданства,Гражданство,Человек,Из них беженцы УВКБ ООН,Из них статус неизвестен"
    )
    assert (
        lines[n + 1]
        == "#date+start,#date+name,#country+code+nationality,#country+name+nationality,#affected+ind,#affected+ind+refugees+unhcr,#affected+ind+unknown"
    )


def test_filename(view):
    assert downloads.filename("detentions", view) == "refugee-stats_detentions_KAZ_all_2010-06_2010-06.csv"


def test_only_the_asked_data_is_built(view):
    assert list(registry.chart_data(view, "en", kinds=("records",))) == ["records"]
    assert list(registry.chart_data(view, "en")) == [
        "detentions",
        "decisions",
        "nationalities",
        "pipeline",
        "records",
    ]


def test_on_screen_records_can_be_limited(view):
    from refugee_stats.view import records

    assert view.selection.count == 3
    assert records(view, limit=2)["reference"].tolist() == ["incidents.csv:2", "incidents.csv:3"]
    assert records(view, limit=5)["reference"].tolist() == [
        "incidents.csv:2",
        "incidents.csv:3",
        "status.csv:2",
    ]


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_every_download_column_has_a_name_in_every_language(view, lang):
    for kind, frame in registry.chart_data(view, lang).items():
        names = [downloads.column_label(c, lang) for c in frame.columns]
        assert all(names) and len(set(names)) == len(names), kind
        if lang != "en":  # never the English name or the code
            assert not set(names) & {downloads.column_label(c, "en") for c in frame.columns} - {"Орган"}
            assert not set(names) & set(frame.columns), kind
