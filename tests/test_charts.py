"""Figure builders, checked on traces, values and annotations (never on pixels or whole JSON)."""

from __future__ import annotations

import itertools

import pytest

from refugee_stats import charts, i18n
from refugee_stats.filters import Filters
from refugee_stats.registry import figures
from refugee_stats.view import build_view

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
    date,end_date,host_country,label,label_ru,label_kk,source
    2010,,KAZ,Procedure moves to national authorities,Процедура переходит к национальным органам,Рәсім ұлттық органдарға өтеді,IWPR
    2010-09-01,,KAZ,One-day event,,,IWPR
    2010-10-04,2010-10-08,,A period,,,IWPR
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
    # every month of the axis (2010, the year record's span); June: UZB 17 + AFG 1, TJK unknown
    assert list(line.y) == [0, 0, 0, 0, 0, 18, 0, 0, 0, 0, 0, 0]
    assert list(line.customdata[5][1:]) == ["35", "4", "18"]  # of 35 detained, unknown for 4, 18 refugees
    assert list(line.customdata[6][1:]) == ["0", "0", "0"]
    assert fig.layout.xaxis.title.text == "Period"
    assert fig.layout.yaxis.title.text == "People detained"
    assert fig.layout.barmode == "stack"


@pytest.mark.parametrize(
    ("lang", "public", "label", "count", "separators"),
    [
        ("en", False, "Jun 2010", "%{y:,}", ".,"),
        ("ru", False, "июнь 2010", "%{y:,}", ",\u00a0"),
        ("en", True, "Jun 2010", "%{customdata[1]}", ".,"),
        ("kk", False, "2010\u202fж. мау.", "%{y:,}", ",\u00a0"),
    ],
)
def test_bar_hover_reads_the_period_and_the_count(data, lang, public, label, count, separators):
    view = build_view(data, Filters(), locale=lang, public=public)
    fig = figures(view)["detentions"]
    uzbek = fig.data[0]
    assert list(uzbek.x) == ["2010-06"]  # the period's first day, as plotly reads it; drawn mid-period
    # the period label, then the count as shown (the hover reads it in public mode, else y itself)
    assert [list(c) for c in uzbek.customdata] == [[label, "29"]]
    assert uzbek.hovertemplate.startswith("%{customdata[0]}<br>") and count in uzbek.hovertemplate
    assert fig.layout.separators == separators
    assert uzbek.marker.pattern.shape == ""  # 29 is not small: no hatch, one blank for the trace
    decisions = figures(view)["decisions"]
    assert all(count in t.hovertemplate for t in decisions.data)
    shares = figures(view)["nationalities"]
    # the count beside the share, the share as text: 29 of the month's 35 people
    assert [list(c) for c in shares.data[0].customdata] == [
        [label, "29", "83\u00a0%" if lang == "ru" else "83%"]
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


def axis(fig, name):
    """The layout axis a trace names (``y2`` -> ``layout.yaxis2``, ``x`` -> ``layout.xaxis``)."""
    return fig.layout[name[0] + "axis" + name[1:]]


def test_decisions_by_authority_revocations_emphasised(data):
    fig = figures(build_view(data, Filters()))["decisions"]
    # one panel per authority in view, titled top to bottom; px numbers the axes from the bottom
    assert [a.text for a in fig.layout.annotations if a.name is None] == ["UNHCR", "National authority"]
    panels = sorted({t.yaxis for t in fig.data}, key=lambda name: -axis(fig, name).domain[0])
    assert len(panels) == 2
    by_name = {}
    for trace in fig.data:
        by_name.setdefault(trace.name, []).append(trace)
    assert sorted(by_name) == ["Recognized", "Rejected", "Revoked"]
    (revoked,) = by_name["Revoked"]
    assert list(revoked.y) == [17] and revoked.marker.color == charts.DECISION_COLOURS["light"]["revoked"]
    assert revoked.marker.line.width > 0
    (recognized,) = by_name["Recognized"]  # S2, by UNHCR
    assert (recognized.yaxis, revoked.yaxis) == (panels[0], panels[1])  # national panel, the second row
    assert "<br>National authority, %{fullData.name}: " in revoked.hovertemplate
    assert "<br>UNHCR, %{fullData.name}: " in recognized.hovertemplate
    assert [t.showlegend for t in fig.data].count(True) == 3
    # two panels (UNHCR, national): one y-axis title, on the first, not one per panel
    assert [axis(fig, name).title.text for name in panels] == ["People", None]
    # the x axis (shared) titled and labelled once, under the bottom panel
    assert axis(fig, revoked.xaxis).title.text == "Period"
    assert axis(fig, recognized.xaxis).showticklabels is False


def test_nationality_shares(data):
    fig = figures(build_view(data, Filters(granularity="quarter")))["nationalities"]
    values = {t.name: list(t.y) for t in fig.data}
    # Q2 2010: UZB 29, TJK 4, AFG 2 of 35; Q3: UZB 5 of 5
    assert values["Uzbekistan"] == pytest.approx([29 / 35 * 100, 100])
    assert values["Tajikistan"] == pytest.approx([4 / 35 * 100])
    assert fig.layout.yaxis.range == (0, 100)


def test_top_eight_and_other_share_colours():
    for theme, palette in charts.PALETTES.items():
        assert charts.nationality_colours(["UZB", "TJK", "_other"], theme) == {
            "UZB": palette[0],
            "TJK": palette[1],
            "_other": charts.OTHER_COLOURS[theme],
        }


def test_empty_view_says_so_without_axes(data):
    view = build_view(data, Filters(host_countries=("TKM",)))
    assert view.empty
    for fig in figures(view).values():
        assert "match these filters" in annotation(fig, "empty").text
        assert fig.layout.xaxis.visible is False and fig.layout.yaxis.visible is False
        assert len(fig.data) == 0


DAY_MS = 86_400_000


@pytest.mark.parametrize(
    ("granularity", "x", "days"),
    [
        ("month", ["2010-06"], [30]),  # June 2010 alone: the quarter and year records are not placed
        ("quarter", ["2010-04", "2010-07"], [91, 92]),
        ("year", ["2010-01"], [365]),
    ],
)
def test_bars_span_their_period_even_alone(data, granularity, x, days):
    """A period of bars is never a hairline: every bar is 0.8 of its period wide, in ms."""
    view = build_view(data, Filters(include_illustrative=False, granularity=granularity))
    widths = [round(0.8 * d * DAY_MS) for d in days]
    (uzbek,) = [t for t in figures(view)["detentions"].data if t.type == "bar"]
    assert (list(uzbek.x), list(uzbek.width)) == (x, widths)
    (shares,) = figures(view)["nationalities"].data
    assert (list(shares.x), list(shares.width)) == (x, widths)
    (revoked,) = [t for t in figures(view)["decisions"].data if t.name == "Revoked"]
    assert list(revoked.width) == widths[:1]  # June 2010


def test_bar_widths_follow_each_period_length(dataset_from):
    data = dataset_from(
        incidents="""
            incident_id,date,host_country,type,nationality,people,unhcr_refugees,source
            A,2012-02,KAZ,detention,UZB,3,,X
            B,2012-03,KAZ,detention,UZB,4,,X
        """
    )
    (bars,) = [t for t in figures(build_view(data, Filters()))["detentions"].data if t.type == "bar"]
    assert list(bars.width) == [round(0.8 * 29 * DAY_MS), round(0.8 * 31 * DAY_MS)]  # leap February, March


LINE_INCIDENTS = """
    incident_id,date,host_country,type,nationality,people,unhcr_refugees,source
    A,2010-01,KAZ,detention,UZB,10,4,X
    B,2010-03-15,KAZ,detention,TJK,5,,X
    C,2010-04,KAZ,detention,UZB,4,1,X
    C,2010-04,KAZ,detention,AFG,2,,X
"""


@pytest.mark.parametrize(
    ("public", "expected", "people"),
    [
        # Jan 4 of 10; Feb no records: 0; Mar all 5 unknown: a gap; Apr 1 known of 6 (2 unknown)
        (False, [4, 0, None, 1], ["10", "0", "5", "6"]),
        # 4 and 1 are "<5", drawn at 5. The map's Uzbekistan (14) minus January's bar (10) would give
        # April's 4 back, so January is withheld; then March, or 21 - 6 - x would pin January.
        (True, [5, 0, None, 5], ["x", "0", "x", "6"]),
    ],
)
def test_refugee_line_is_zero_without_records_and_a_gap_when_unknown(dataset_from, public, expected, people):
    data = dataset_from(incidents=LINE_INCIDENTS)
    fig = figures(build_view(data, Filters(), public=public))["detentions"]
    (line,) = [t for t in fig.data if t.type == "scatter"]
    assert list(line.x) == ["2010-01", "2010-02", "2010-03", "2010-04"]
    assert list(line.y) == expected
    assert line.connectgaps is False
    assert [c[1] for c in line.customdata] == people  # people detained per period


def test_refugee_line_runs_over_every_quarter_of_the_range(dataset_from):
    data = dataset_from(incidents=LINE_INCIDENTS)
    view = build_view(data, Filters(date_from="2009-11", date_to="2010-12", granularity="quarter"))
    (line,) = [t for t in figures(view)["detentions"].data if t.type == "scatter"]
    # Q4 2009 .. Q4 2010; Q1: 10 people, 4 refugees, TJK's 5 unknown: the known 4 plotted
    assert list(line.x) == ["2009-10", "2010-01", "2010-04", "2010-07", "2010-10"]
    assert list(line.y) == [0, 4, 1, 0, 0]


QUARTERLY = """
    incident_id,date,host_country,type,nationality,people,unhcr_refugees,source
    A,2010-Q1,GBR,detention,AFG,599,,UK Home Office
    B,2010-Q2,GBR,detention,ALB,129,,UK Home Office
"""
YEARLY_STATUS = """
    record_id,date,host_country,nationality,authority,decision,people,source
    S,2010,GBR,AFG,national,recognized,40,UNHCR
"""


@pytest.mark.parametrize(
    ("lang", "detentions", "decisions"),
    [
        (
            "en",
            "Nothing to draw per month: 2 records (728 people) dated only to the quarter. "
            "Switch the period to Quarter to see them.",
            "Nothing to draw per month: 1 record (40 people) dated only to the year. "
            "Switch the period to Year to see them.",
        ),
        (
            "ru",
            "Нечего показать по периоду «месяц»: 2 записи (728 человек) с датой с точностью до квартала. "
            "Выберите период «Квартал», чтобы их увидеть.",
            "Нечего показать по периоду «месяц»: 1 запись (40 человек) с датой с точностью до года. "
            "Выберите период «Год», чтобы их увидеть.",
        ),
    ],
)
def test_empty_chart_names_the_records_its_period_cannot_place(dataset_from, lang, detentions, decisions):
    data = dataset_from(incidents=QUARTERLY, status=YEARLY_STATUS)
    found = figures(build_view(data, Filters(granularity="month"), locale=lang))
    for name, expected in (
        ("detentions", detentions),
        ("nationalities", detentions),
        ("decisions", decisions),
    ):
        assert annotation(found[name], "empty").text.replace("<br>", " ") == expected, name
    quarterly = figures(build_view(data, Filters(granularity="quarter"), locale=lang))
    assert annotation(quarterly["detentions"], "empty") is None
    assert i18n.t("year", lang) in annotation(quarterly["decisions"], "empty").text


def test_a_figure_in_kazakh(data):
    """Titles, axes, legend, timeline labels and source line in Kazakh; months and numbers from CLDR."""
    view = build_view(data, Filters(), locale="kk")
    figs = figures(view)
    fig = figs["detentions"]
    assert fig.layout.title.text == "Ұсталған адамдар, азаматтығы бойынша"
    assert fig.layout.xaxis.title.text == "Кезең"
    assert fig.layout.yaxis.title.text == "Ұсталған адамдар"
    assert [t.name for t in fig.data if t.type == "bar"] == ["Өзбекстан", "Тәжікстан", "Ауғанстан"]
    assert annotation(fig, "sources").text.startswith("Дереккөз: HRW; IWPR; және тағы 2")
    labels = [
        a.text.replace("<br>", " ") for a in fig.layout.annotations if (a.name or "").startswith("timeline")
    ]
    assert "Рәсім ұлттық органдарға өтеді" in labels and "One-day event" in labels  # English when blank
    assert figs["decisions"].layout.title.text.startswith("Босқын мәртебесі туралы шешімдер")
    assert figs["nationalities"].layout.yaxis.title.text == "Ұсталғандардың үлесі (%)"


# -- what plotly.express draws: panels, legend, labels -------------------------------------


def panel_titles(fig):
    """Titles over the decisions chart's panels, top to bottom (annotations without a name)."""
    return [a.text for a in fig.layout.annotations if a.name is None]


def panel_axes(fig):
    """The y axes the traces are drawn on, one per panel."""
    return {t.yaxis for t in fig.data}


JOINT_STATUS = """
    record_id,date,host_country,nationality,authority,decision,people,source
    S1,2010-06,KAZ,UZB,national,revoked,17,IWPR
    S2,2010-06,KAZ,UZB,unhcr,recognized,3,UNHCR
    S3,2010-07,KAZ,AFG,joint,rejected,2,HRW
    S4,2010-07,KAZ,AFG,joint,recognized,6,HRW
"""


@pytest.mark.parametrize(
    ("filters", "titles"),
    [
        (Filters(), ["UNHCR", "National authority", "Joint procedure"]),
        (Filters(nationalities=("AFG",)), ["Joint procedure"]),
        (Filters(nationalities=("UZB",)), ["UNHCR", "National authority"]),
    ],
)
def test_one_panel_per_authority_in_view(dataset_from, filters, titles):
    data = dataset_from(incidents=INCIDENTS, status=JOINT_STATUS)
    fig = figures(build_view(data, filters))["decisions"]
    assert panel_titles(fig) == titles
    assert len(panel_axes(fig)) == len(titles)
    # each decision once in the legend, however many panels show it
    legend = [t.name for t in fig.data if t.showlegend]
    assert len(legend) == len(set(legend)) == len({t.name for t in fig.data})
    # panels stacked without overlap, the first on top, each under its title
    domains = sorted(
        (tuple(fig.layout["yaxis" + a.removeprefix("y")].domain) for a in panel_axes(fig)), reverse=True
    )
    assert all(lower[1] < upper[0] for upper, lower in itertools.pairwise(domains))
    # each panel on its own y scale (the bars of a small authority stay readable), one shared x axis
    assert all(fig.layout["yaxis" + a.removeprefix("y")].matches is None for a in panel_axes(fig))
    assert {fig.layout["xaxis" + t.xaxis.removeprefix("x")].matches for t in fig.data} <= {None, "x"}
    tops = [a.y for a in fig.layout.annotations if a.name is None]
    assert tops == pytest.approx([d[1] for d in domains])


def test_joint_panel_hover_and_counts(dataset_from):
    data = dataset_from(incidents=INCIDENTS, status=JOINT_STATUS)
    fig = figures(build_view(data, Filters()))["decisions"]
    joint = [t for t in fig.data if "Joint procedure," in t.hovertemplate]
    # July 2010, AFG: 6 recognized and 2 rejected by the joint procedure
    assert sorted((t.name, list(t.y)) for t in joint) == [("Recognized", [6]), ("Rejected", [2])]
    assert {t.yaxis for t in joint} == {joint[0].yaxis}


def test_legend_entries_are_the_nationalities_in_view_with_stable_colours(data):
    figs = figures(build_view(data, Filters()))
    expected = ["Uzbekistan", "Tajikistan", "Afghanistan"]  # by people: 29, 4, 2 in June
    colours = list(charts.PALETTES["light"][:3])
    for key in ("detentions", "nationalities"):
        bars = [t for t in figs[key].data if t.type == "bar"]
        assert [t.name for t in bars if t.showlegend is not False] == expected, key
        assert [t.marker.color for t in bars] == colours, key
        assert figs[key].layout.legend.title.text == "", key
        assert figs[key].layout.legend.traceorder == "reversed", key  # top down as the stack
    # one colour per nationality on both charts of the view
    by_name = [
        {t.name: t.marker.color for t in figs[k].data if t.type == "bar"}
        for k in ("detentions", "nationalities")
    ]
    assert by_name[0] == by_name[1]


@pytest.mark.parametrize(
    ("lang", "period", "detained", "people", "share", "panels", "decisions", "hover"),
    [
        (
            "ru",
            "Период",
            "Задержано человек",
            "Человек",
            "Доля задержанных (%)",
            ["УВКБ ООН", "Национальный орган"],
            ["Лишён статуса", "Отказ", "Признан беженцем"],
            "чел.",
        ),
        (
            "kk",
            "Кезең",
            "Ұсталған адамдар",
            "Адам саны",
            "Ұсталғандардың үлесі (%)",
            ["БЖКБ", "Ұлттық орган"],
            ["Босқын деп танылды", "Бас тартылды", "Мәртебесінен айырылды"],
            "адам",
        ),
    ],
)
def test_axis_legend_and_panel_labels_translated(
    data, lang, period, detained, people, share, panels, decisions, hover
):
    figs = figures(build_view(data, Filters(), locale=lang))
    detentions, shares, decided = figs["detentions"], figs["nationalities"], figs["decisions"]
    assert (detentions.layout.xaxis.title.text, detentions.layout.yaxis.title.text) == (period, detained)
    assert (shares.layout.xaxis.title.text, shares.layout.yaxis.title.text) == (period, share)
    assert panel_titles(decided) == panels
    assert [
        decided.layout["yaxis" + a.removeprefix("y")].title.text for a in sorted(panel_axes(decided))
    ].count(people) == 1
    assert sorted({t.name for t in decided.data}) == sorted(decisions)
    assert all(f" {hover}<extra></extra>" in t.hovertemplate for t in decided.data)
    # nothing of plotly's own column=value hover or facet labels survives
    for fig in figs.values():
        for trace in fig.data:
            template = getattr(trace, "hovertemplate", None) or ""
            assert "=" not in template and "panel" not in template
        assert not any("=" in (a.text or "") for a in fig.layout.annotations if a.name is None)


def test_on_a_projector_a_chart_has_no_title_its_events_are_numbers_and_its_footer_is_short():
    from refugee_stats import charts as c
    from refugee_stats.filters import Filters
    from refugee_stats.ingest.dataset import load
    from refugee_stats.registry import figures
    from refugee_stats.view import build_view
    from tests.conftest import TODAY

    data = load(today=TODAY)
    screen = figures(build_view(data, Filters(), public=True))["detentions"]
    stage = figures(build_view(data, Filters(), public=True, presentation=True))["detentions"]
    assert screen.layout.title.text and not stage.layout.title.text
    events = len(data.timeline)
    numbers = [a.text for a in stage.layout.annotations if (a.name or "").startswith("timeline-")]
    assert numbers == [c.marker(i) for i in range(events)] == ["①", "②", "③", "④", "⑤", "⑥", "⑦"]
    footer = [a.text for a in stage.layout.annotations if a.name in ("sources", "note")]
    assert all("<br>" not in line for line in footer)  # each line one line
    assert footer[0].startswith("All host countries - all nationalities - all dates · Source: Illustrative")
    key = [line for line in footer if line.startswith("①")]
    assert key and "⑦" in "".join(footer)  # every event is named, in at most two lines
    assert len([line for line in footer if line[:1] in "①②③④⑤⑥⑦"]) <= 2
    assert footer[-1].startswith("Public mode: &lt;5 is a count from 1 to 4")  # escaped for plotly
    assert stage.layout.height == c.PROJECTOR.height
    assert stage.layout.xaxis.title.text is None and stage.layout.yaxis.title.text
