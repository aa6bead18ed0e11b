"""Figure builders, checked on traces, values and annotations (never on pixels or whole JSON)."""

from __future__ import annotations

import pytest

from refugee_stats import charts
from refugee_stats.filters import Filters
from refugee_stats.view import build_view, figures

INCIDENTS = """
    incident_id,date,host_country,type,nationality,people,unhcr_refugees,source,illustrative
    A,2010-06,KAZ,detention,UZB,29,17,IWPR,false
    B,2010-06-20,KAZ,detention,TJK,4,,Illustrative,true
    B,2010-06-20,KAZ,detention,AFG,2,1,Illustrative,true
    C,2010-Q3,KGZ,detention,UZB,5,0,HRW,false
    D,2010,KAZ,detention,UZB,3,3,HRW,false
    E,2010-07-02,KAZ,deportation,UZB,6,,HRW,false
"""
STATUS = """
    record_id,date,host_country,nationality,authority,decision,people,incident_id,source
    S1,2010-06,KAZ,UZB,national,revoked,17,A,IWPR
    S2,2010-08-05,KAZ,UZB,unhcr,recognized,3,,UNHCR
    S3,2010-07,KGZ,UZB,national,rejected,2,C,HRW
"""
TIMELINE = """
    date,end_date,host_country,label,label_ru,source
    2010,,KAZ,Procedure moves to national authorities,Процедура переходит к национальным органам,IWPR
    2010-09-01,,KAZ,One-day event,,IWPR
    2010-10-04,2010-10-08,,A period,,IWPR
"""


@pytest.fixture
def data(dataset_from):
    return dataset_from(incidents=INCIDENTS, status=STATUS, timeline=TIMELINE)


def annotation(fig, name):
    found = [a for a in fig.layout.annotations if a.name == name]
    return found[0] if found else None


def test_detentions_traces_and_values(data):
    fig = figures(build_view(data, Filters()))["detentions"]
    bars = [t for t in fig.data if t.type == "bar"]
    assert [t.name for t in bars] == ["Uzbekistan", "Tajikistan", "Afghanistan"]
    assert [list(t.y) for t in bars] == [[29], [4], [2]]
    assert {t.xperiod for t in bars} == {"M1"} and {t.xperiodalignment for t in bars} == {"middle"}
    (line,) = [t for t in fig.data if t.type == "scatter"]
    assert list(line.y) == [18]  # UZB 17 + AFG 1; TJK unknown
    assert list(line.customdata[0][1:]) == ["35", "4", "18"]  # of 35 detained, unknown for 4, 18 refugees
    assert fig.layout.xaxis.title.text == "Period"
    assert fig.layout.yaxis.title.text == "People detained"
    assert fig.layout.barmode == "stack"


@pytest.mark.parametrize(
    ("lang", "public", "label", "count", "separators"),
    [
        ("en", False, "Jun 2010", "%{y:,}", ".,"),
        ("ru", False, "июнь 2010", "%{y:,}", ",\u00a0"),
        ("en", True, "Jun 2010", "%{customdata[1]}", ".,"),
    ],
)
def test_bar_hover_reads_the_period_and_the_count(data, lang, public, label, count, separators):
    view = build_view(data, Filters(), locale=lang, public=public)
    fig = figures(view)["detentions"]
    uzbek = fig.data[0]
    assert list(uzbek.x) == ["2010-06"]  # the period's first day, as plotly reads it; drawn mid-period
    assert list(uzbek.customdata) == ([[label, "29"]] if public else [label])
    period = "%{customdata[0]}" if public else "%{customdata}"
    assert uzbek.hovertemplate.startswith(period + "<br>") and count in uzbek.hovertemplate
    assert fig.layout.separators == separators
    assert uzbek.marker.pattern.shape == ""  # 29 is not small: no hatch, one blank for the trace
    decisions = figures(view)["decisions"]
    assert all(count in t.hovertemplate for t in decisions.data)
    shares = figures(view)["nationalities"]
    # the count beside the share, the share as text: 29 of the month's 35 people
    assert [list(c) for c in shares.data[0].customdata] == [
        [label, "29", "83%" if lang == "en" else "83\u00a0%"]
    ]


def test_titles_state_the_filter(data):
    view = build_view(
        data, Filters(host_countries=("KAZ",), nationalities=("UZB",), date_from="2009-01", date_to="2011-12")
    )
    for fig in figures(view).values():
        assert fig.layout.title.subtitle.text == "Kazakhstan - Uzbekistan - 2009-2011"
        assert fig.layout.title.text


def test_source_line_and_unplaced_note(data):
    fig = figures(build_view(data, Filters()))["detentions"]
    assert annotation(fig, "sources").text == "Source: HRW; IWPR; and 2 more (see the records table)"
    assert annotation(fig, "note").text.replace("<br>", " ") == (
        "Not drawn per month: 1 record (5 people) dated only to the quarter; 1 record (3 people) dated only to "
        "the year. Choose a coarser period to include them."
    )
    yearly = figures(build_view(data, Filters(granularity="year")))["detentions"]
    assert annotation(yearly, "note") is None
    assert [list(t.y) for t in yearly.data if t.type == "bar"] == [[37], [4], [2]]
    assert {t.xperiod for t in yearly.data} == {"M12"}


@pytest.mark.parametrize(
    ("filters", "watermarked"),
    [
        (Filters(), True),  # B is illustrative
        (Filters(include_illustrative=False), False),
        (Filters(nationalities=("UZB",)), False),  # only real records in view
        (Filters(nationalities=("TJK",)), True),
    ],
)
def test_watermark_exactly_when_illustrative_in_view(data, filters, watermarked):
    for name, fig in figures(build_view(data, filters)).items():
        if annotation(fig, "empty"):
            continue
        mark = annotation(fig, "watermark")
        assert (mark is not None) == watermarked, name
        if mark is not None:
            assert mark.text == "ILLUSTRATIVE DATA"


def test_timeline_markers_and_bands(data):
    fig = figures(build_view(data, Filters()))["detentions"]
    shapes = {s.name: s for s in fig.layout.shapes}
    labels = {a.name: a for a in fig.layout.annotations if a.name and a.name.startswith("timeline")}
    # sorted by start: year-precision event (band over 2010), day event (line), period (band)
    assert shapes["timeline-0"].type == "rect"
    assert (str(shapes["timeline-0"].x0)[:10], str(shapes["timeline-0"].x1)[:10]) == (
        "2010-01-01",
        "2011-01-01",
    )
    assert shapes["timeline-1"].type == "line" and str(shapes["timeline-1"].x0)[:10] == "2010-09-01"
    assert shapes["timeline-2"].type == "rect"
    assert (str(shapes["timeline-2"].x0)[:10], str(shapes["timeline-2"].x1)[:10]) == (
        "2010-10-04",
        "2010-10-09",
    )
    assert labels["timeline-0"].hovertext == "Procedure moves to national authorities"
    assert labels["timeline-1"].text == "One-day event"


def test_timeline_in_russian_falls_back_to_english(data):
    view = build_view(data, Filters(), locale="ru")
    fig = figures(view)["detentions"]
    texts = [a.hovertext for a in fig.layout.annotations if a.name and a.name.startswith("timeline")]
    assert texts == ["Процедура переходит к национальным органам", "One-day event", "A period"]


def test_decisions_by_authority_revocations_emphasised(data):
    fig = figures(build_view(data, Filters()))["decisions"]
    assert [a.text for a in fig.layout.annotations if a.name is None][:2] == ["UNHCR", "National authority"]
    by_name = {}
    for trace in fig.data:
        by_name.setdefault(trace.name, []).append(trace)
    assert sorted(by_name) == ["Recognized", "Rejected", "Revoked"]
    (revoked,) = by_name["Revoked"]
    assert list(revoked.y) == [17] and revoked.marker.color == charts.DECISION_COLOURS["revoked"]
    assert revoked.marker.line.width > 0
    assert revoked.xaxis == "x2"  # national panel, the second row
    assert [t.showlegend for t in fig.data].count(True) == 3
    # two panels (UNHCR, national): one y-axis title, on the first, not one per panel
    assert (fig.layout.yaxis.title.text, fig.layout.yaxis2.title.text) == ("People", None)


def test_nationality_shares(data):
    fig = figures(build_view(data, Filters(granularity="quarter")))["nationalities"]
    values = {t.name: list(t.y) for t in fig.data}
    # Q2 2010: UZB 29, TJK 4, AFG 2 of 35; Q3: UZB 5 of 5
    assert values["Uzbekistan"] == pytest.approx([29 / 35 * 100, 100])
    assert values["Tajikistan"] == pytest.approx([4 / 35 * 100])
    assert fig.layout.yaxis.range == (0, 100)


def test_top_eight_and_other_share_colours():
    assert charts.nationality_colours(["UZB", "TJK", "_other"]) == {
        "UZB": charts.PALETTE[0],
        "TJK": charts.PALETTE[1],
        "_other": charts.OTHER_COLOUR,
    }


def test_empty_view_says_so_without_axes(data):
    view = build_view(data, Filters(host_countries=("TKM",)))
    assert view.empty
    for fig in figures(view).values():
        assert "match these filters" in annotation(fig, "empty").text
        assert fig.layout.xaxis.visible is False and fig.layout.yaxis.visible is False
        assert len(fig.data) == 0
