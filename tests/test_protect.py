"""Small-number protection: computed from true counts, shown as "<5" or "x", never recoverable."""

from __future__ import annotations

import dataclasses
import html
import re

import pandas as pd
import pytest

from refugee_stats import describe, i18n, protect, registry, story
from refugee_stats.compute import default_filters
from refugee_stats.filters import Filters
from refugee_stats.ingest.dataset import load
from refugee_stats.ingest.files import bundled_data_dir
from refugee_stats.registry import figures
from refugee_stats.view import build_view, map_figures, records
from tests.conftest import TODAY

SMALL = {1, 2, 3, 4}
INCIDENTS = """
    incident_id,date,host_country,type,nationality,people,unhcr_refugees,source,illustrative
    A,2010-06,KAZ,detention,UZB,2,1,IWPR,false
    B,2010-06-20,KGZ,detention,TJK,1,,HRW,false
    C,2010-07-02,KAZ,deportation,UZB,3,0,HRW,false
"""
STATUS = """
    record_id,date,host_country,nationality,authority,decision,people,incident_id,source
    S1,2010-06,KAZ,UZB,national,revoked,2,A,IWPR
    S2,2010-08-05,KGZ,TJK,unhcr,recognized,4,,UNHCR
"""


@pytest.fixture(scope="module")
def sample():
    return load(bundled_data_dir(), today=TODAY)


@pytest.fixture
def data(dataset_from):
    return dataset_from(incidents=INCIDENTS, status=STATUS)


@pytest.mark.parametrize(
    ("values", "public", "expected"),
    [
        ([0, 1, 4, 5, 17], True, ["0", "<5", "<5", "5", "17"]),
        ([0, 1, 4, 5, 17], False, ["0", "1", "4", "5", "17"]),
        ([None, 2], True, ["", "<5"]),
    ],
)
def test_the_primary_rule_changes_the_text_never_the_number(values, public, expected):
    frame = pd.DataFrame({"people": pd.array(values, dtype="Int64")})
    out = protect.counts(frame, ["people"], public=public)
    assert out["people_text"].tolist() == expected
    assert out["people"].tolist() == frame["people"].tolist()  # true counts kept for every sum


S, L, X = protect.SHOWN, protect.SMALL, protect.HIDDEN


@pytest.mark.parametrize(
    ("parts", "total", "expected_parts", "expected_total"),
    [
        ([10, 12], 22, [S, S], S),  # nothing small
        ([5, 2], 7, [X, L], S),  # 7 - 5 would give 2: the 5 is withheld too
        ([3, 12, 20], 35, [L, X, S], S),  # the next-smallest, not the largest
        ([2, 3, 20], 25, [L, L, S], S),  # two small cells: 25 - 20 = 5 = a + b, not pinned
        ([1, 1, 20], 22, [L, L, X], S),  # 22 - 20 = 2 pins both at 1: withhold the 20 too
        ([4, 4], 8, [L, L], X),  # only 4 + 4 makes 8 with both under 5: the total is withheld
        ([3], 3, [L], L),  # a small total is small itself
        ([0, 7], 7, [S, S], S),  # zero reveals nobody
    ],
)
def test_secondary_suppression_by_hand(parts, total, expected_parts, expected_total):
    values = {("p", i): v for i, v in enumerate(parts)} | {"total": total}
    breakdown = protect.Breakdown(tuple(("p", i) for i in range(len(parts))), ("total",))
    status = protect.suppress(values, [breakdown])
    assert [status[("p", i)] for i in range(len(parts))] == expected_parts
    assert status["total"] == expected_total
    assert not protect.pinned(values, status, breakdown)


def test_a_breakdown_that_does_not_add_up_is_not_subtracted():
    values = {"a": 5, "b": 2, "total": 9}  # 2 more people in the total than in its parts
    status = protect.suppress(values, [protect.Breakdown(("a", "b"), ("total",))])
    assert status == {"a": S, "b": L, "total": S}


def count_values(fig) -> list:
    """Every number and count text a figure carries: drawn values and customdata after the label."""
    found: list = []
    for trace in fig.data:
        if trace.type == "sankey":  # widths drawn, the counts as shown, and the nodes' labels
            found += list(trace.link.value) + [row[-1] for row in trace.link.customdata]
            found += [label.rsplit("<br>", 1)[-1] for label in trace.node.label]
            continue
        drawn = trace.z if trace.type == "choropleth" else trace.y
        found += [v for v in drawn if v is not None] if drawn is not None else []
        for row in trace.customdata if trace.customdata is not None else []:
            found += list(row)[1:]
    return found


#: A count from 1 to 4 standing alone in words: not a digit of a longer number or a year, not in a
#: name (Q1), not a decimal or a share (3%, 3 %), not the "<5" of protection.
SMALL_IN_WORDS = re.compile(r"(?<![\w<.,])[1-4](?![\w.,]|\s?%|\u00a0%)")
#: Numbers in words that are not counts of people or records: quarter names, how many
#: nationalities a chart stacks ("(2 shown)").
NOT_COUNTS = re.compile(r"Q\d|\d-й кв\.|\(\d+ shown\)|\(групп: \d+\)|\(\d+ топ\)")


def small_in_words(text: str) -> list[str]:
    """The counts from 1 to 4 a reader sees in a text (plotly's markup read as text)."""
    return SMALL_IN_WORDS.findall(NOT_COUNTS.sub("", html.unescape(text.replace("<br>", " "))))


def notes_in_words(view, fig) -> list[str]:
    """A figure's notes and its empty message as read, without the protection note (which says
    what "<5" stands for: counts from 1 to 4)."""
    lang = view.lang
    protection = {" ".join(i18n.t(k, lang).split()) for k in ("protection_note", "protection_note_short")}
    texts = [
        " ".join(html.unescape((a.text or "").replace("<br>", " ")).split())
        for a in fig.layout.annotations
        if a.name in ("note", "empty")
    ]
    return [t for t in texts if t not in protection]


def assert_no_small_count(view) -> None:
    """(e) No count from 1 to 4 on any output path in public mode: counts of people, and counts
    of records in notes, descriptions and takeaways (one record can be one group of people)."""
    for name, text in view.key_figure_text.items():
        assert text not in {"1", "2", "3", "4"}, (name, text)
    for name, fig in {**figures(view), **map_figures(view)}.items():
        for value in count_values(fig):
            if isinstance(value, str):
                assert value.strip() not in {"1", "2", "3", "4"}, (name, value)
            else:
                assert float(value) not in SMALL or name == "nationalities", (name, value)
        notes = " ".join(a.text or "" for a in fig.layout.annotations if a.name in ("note", "sources"))
        assert not re.search(r"(?<![\d<.,])[1-4] (people|person|человек)", notes), (name, notes)
        for note in notes_in_words(view, fig):
            assert not small_in_words(note), (name, note)
    for name, words in registry.described(view).items():
        for text in (words.short, words.long):
            assert not small_in_words(text), (name, text)
    for name, words in describe.map_descriptions(view).items():
        for text in (words.short, words.long):
            assert not small_in_words(text), (name, text)
    for kind, frame in registry.chart_data(view, "en").items():
        for column in ("people", "unhcr_refugees", "unhcr_unknown"):
            if column in frame:
                assert not set(frame[column].astype(str)) & {"1", "2", "3", "4"}, (kind, column)
    for scene, takeaway in registry.TAKEAWAYS.items():
        for lang in ("en", "ru"):
            sentence = re.sub(r"Q\d|\d-й кв\.", "", takeaway(view, lang))  # quarter names are not counts
            assert not re.search(r"(?<![\d<.,])[1-4](?![\d%.,\u00a0]*\s?%)(?!\d)", sentence), (
                scene,
                lang,
                sentence,
            )


def test_every_output_path_hides_small_counts(data):
    view = build_view(data, Filters(granularity="month"), public=True)
    assert view.key_figure_text == {
        "people_detained": "<5",  # 2 + 1
        "incidents": "<5",
        "unhcr_refugees": "<5",
        "unhcr_unknown": "<5",
        "revocations": "<5",
        "people_removed": "<5",
        "people_decided": "6",  # 2 + 4: shown; both parts are under 5, so 6 pins neither
    }
    assert_no_small_count(view)
    # share chart: computed from the true counts (2 of 3 and 1 of 3 in June 2010), none shown
    assert sorted(view.charts["nationalities"]["shares"]["share"].round(1)) == [33.3, 66.7]
    assert view.charts["nationalities"]["shares"]["share_hidden"].all() and set(
        view.charts["nationalities"]["shares"]["share_text"]
    ) == {""}
    # records carry no counts in public mode
    assert "people" not in registry.chart_data(view, "en")["records"]


def test_without_public_mode_the_true_counts_show(data):
    view = build_view(data, Filters(), public=False)
    assert view.key_figure_text["people_detained"] == "3"
    assert records(view)["people_text"].tolist()[:3] == ["2", "1", "3"]
    detentions = figures(view)["detentions"]
    assert sorted(v for t in detentions.data if t.type == "bar" for v in t.y) == [1, 2]


def test_public_bars_are_hatched(data):
    fig = figures(build_view(data, Filters(), public=True))["detentions"]
    bars = [t for t in fig.data if t.type == "bar"]
    assert all(list(t.marker.pattern.shape) == ["/"] for t in bars)
    assert all(list(t.y) == [5] for t in bars)  # the month's total (3) is small too: nominal heights


# -- the measured defects, by hand ------------------------------------------------------------


def test_takeaways_add_true_counts_not_stand_ins(dataset_from):
    """Revocations of 11 + 2 are 13 on every output; 13 of 43 decided on are 30%, not counted with a 5 for 2."""
    data = dataset_from(
        incidents="""
        incident_id,date,host_country,type,nationality,people,unhcr_refugees,source
        A,2010-06,KAZ,detention,UZB,38,20,IWPR
        B,2010-07,KAZ,detention,TJK,3,0,HRW
        C,2010-08,KAZ,detention,AFG,7,0,HRW
        """,
        status="""
        record_id,date,host_country,nationality,authority,decision,people,incident_id,source
        S1,2010-06,KAZ,UZB,national,revoked,11,A,IWPR
        S2,2010-07,KAZ,TJK,national,revoked,2,B,HRW
        S3,2010-07,KAZ,UZB,national,rejected,30,,HRW
        """,
    )
    view = build_view(data, Filters(), public=True)
    assert view.key_figure_text["revocations"] == "13"
    assert view.key_figure_text["people_detained"] == "48"
    assert story.decisions(view, "en") == (
        "13 people lost refugee status: 30% of the 43 people decided on in this view."  # 13 / 43
    )
    assert story.key_figures(view, "en").endswith("13 people lost refugee status.")
    # AFG is withheld below (x: at least 5, as far as the page says), so what is shown does not make
    # Uzbekistan the largest: no nationality is named. Without public mode: 38 / 48.
    assert story.nationalities(view, "en") == (
        "48 people detained, Jun 2010-Aug 2010; the largest group by nationality is not named, "
        "to protect small counts."
    )
    assert story.nationalities(build_view(data, Filters()), "en") == (
        "Nationals of Uzbekistan were the largest group detained: 79% of 48 people."
    )
    # On the map TJK is <5, so AFG (the next-smallest) is withheld: 48 - 38 leaves 10 for two countries.
    nationalities = dict(
        zip(
            view.charts["map"]["nationality"]["nationality"],
            view.charts["map"]["nationality"]["people_text"],
            strict=True,
        )
    )
    assert nationalities == {"UZB": "38", "AFG": "x", "TJK": "<5"}
    shares = registry.chart_data(view, "en")["nationalities"]
    assert shares["share"].isna().tolist() == [
        False,
        True,
        True,
    ]  # <5 alone in July, so its share is not shown
    assert shares["share"][0] == 100.0


def test_a_small_cell_cannot_be_recovered_by_subtraction(dataset_from):
    """January 2011: 5 Uzbek and 2 Tajik nationals detained in Kazakhstan."""
    data = dataset_from(
        incidents="""
        incident_id,date,host_country,type,nationality,people,unhcr_refugees,source
        A,2011-01-05,KAZ,detention,UZB,5,1,IWPR
        B,2011-01-20,KAZ,detention,TJK,2,0,HRW
        """
    )
    view = build_view(data, Filters(), public=True)
    bars = {t.name: t for t in figures(view)["detentions"].data if t.type == "bar"}
    # as plotly shows them: "&lt;5" is its markup for the text "<5"
    assert (
        bars["Uzbekistan"].customdata[0][1] == "x"
        and html.unescape(bars["Tajikistan"].customdata[0][1]) == "<5"
    )
    # drawn at a nominal 5 each: 7 shared equally would draw 3.5, a height under 5
    assert list(bars["Uzbekistan"].y) == [5] and list(bars["Tajikistan"].y) == [5]
    line = next(t for t in figures(view)["detentions"].data if t.type == "scatter")
    assert line.customdata[0][1] == "7"  # the month's total is shown exactly
    maps = map_figures(view)
    assert [list(c) for c in maps["host_country"].data[0].customdata] == [["Kazakhstan", "7"]]
    assert sorted(html.unescape(c[1]) for c in maps["nationality"].data[0].customdata) == ["<5", "x"]
    assert view.key_figure_text["people_detained"] == "7"
    # the same view without public mode shows every true count
    plain = build_view(data, Filters(), public=False)
    assert sorted(plain.charts["detentions"]["by_period"]["people_text"]) == ["2", "5"]


@pytest.mark.parametrize(
    ("unhcr", "lang", "clause"),
    [
        ("", "en", "their UNHCR status is not recorded"),
        ("", "ru", "их статус УВКБ ООН не указан"),
        ("6", "en", "6 of them were UNHCR refugees"),
    ],
)
def test_unknown_status_is_never_zero(dataset_from, unhcr, lang, clause):
    data = dataset_from(
        incidents=f"""
        incident_id,date,host_country,type,nationality,people,unhcr_refugees,source
        A,2010-06,KAZ,detention,UZB,20,{unhcr},IWPR
        """
    )
    for public in (False, True):
        view = build_view(data, Filters(), locale=lang, public=public)
        assert clause in story.detentions(view, lang)
        line = next(t for t in figures(view)["detentions"].data if t.type == "scatter")
        if unhcr:
            assert list(line.y) == [6] and line.visible is not False
        else:
            assert view.key_figures.unhcr_refugees is None and view.key_figure_text["unhcr_refugees"] == ""
            assert line.visible is False  # said once in a note, never drawn along 0
            notes = " ".join(
                a.text for a in figures(view)["detentions"].layout.annotations if a.name == "note"
            )
            assert ("not recorded" if lang == "en" else "не указан") in notes
            table = registry.chart_data(view, lang)["detentions"]
            assert [None if pd.isna(v) or v == "" else v for v in table["unhcr_refugees"]] == [None]


# -- counts of records ------------------------------------------------------------------------

#: One detention per month is charted; one record dated only to the quarter (2 people) and two only
#: to the year (6 + 7 people); a decision dated only to the quarter, one counted in cases, and Tajik
#: nationals (3 people, one record) dated only to a quarter.
RECORDS = """
    incident_id,date,host_country,type,nationality,people,unhcr_refugees,source
    A,2010-01,KAZ,detention,UZB,12,0,HRW
    B,2010-Q1,KAZ,detention,UZB,2,0,HRW
    C,2010,KAZ,detention,UZB,6,0,HRW
    D,2010,KAZ,detention,UZB,7,0,HRW
    E,2010-Q2,KAZ,detention,TJK,3,0,HRW
"""
RECORD_DECISIONS = """
    record_id,date,host_country,nationality,authority,decision,people,unit,source
    S1,2010-02,KAZ,UZB,national,revoked,6,persons,HRW
    S2,2010-02,KAZ,UZB,national,revoked,9,cases,HRW
    S3,2010-Q1,KAZ,UZB,national,rejected,1,persons,HRW
"""


def notes_of(view) -> dict[str, list[str]]:
    return {name: notes_in_words(view, fig) for name, fig in figures(view).items()}


@pytest.mark.parametrize(
    ("public", "lang", "detentions", "decisions"),
    [
        (
            True,
            "en",
            "Not drawn per month: <5 records (<5 people) dated only to the quarter; <5 records (13 people) "
            "dated only to the year. Choose a coarser period to include them.",
            [
                "Not drawn per month: <5 records (<5 people) dated only to the quarter. Choose a coarser "
                "period to include them.",
                "Not drawn: <5 decisions counted in cases, not persons.",
            ],
        ),
        (
            True,
            "ru",
            "Не показано по периоду «месяц»: <5 записей (<5 человек) с датой с точностью до квартала; "
            "<5 записей (13 человек) с датой с точностью до года. Выберите более крупный период, чтобы их учесть.",
            [
                "Не показано по периоду «месяц»: <5 записей (<5 человек) с датой с точностью до квартала. "
                "Выберите более крупный период, чтобы их учесть.",
                "Не показаны: <5 решений, учтённых по делам, а не по людям.",
            ],
        ),
        (
            True,
            "kk",
            "Кезең «ай» болғанда көрсетілмеген: <5 жазба (<5 адам), күні тек тоқсан дәлдігімен белгілі; "
            "<5 жазба (13 адам), күні тек жыл дәлдігімен белгілі. Оларды қосу үшін ірірек кезеңді таңдаңыз.",
            [
                "Кезең «ай» болғанда көрсетілмеген: <5 жазба (<5 адам), күні тек тоқсан дәлдігімен белгілі. "
                "Оларды қосу үшін ірірек кезеңді таңдаңыз.",
                "Көрсетілмеген: адам саны емес, іс саны бойынша есептелген <5 шешім.",
            ],
        ),
        (  # without public mode the true counts of records show, as before
            False,
            "en",
            "Not drawn per month: 1 record (2 people) dated only to the quarter; 2 records (13 people) "
            "dated only to the year. Choose a coarser period to include them.",
            [
                "Not drawn per month: 1 record (1 person) dated only to the quarter. Choose a coarser "
                "period to include them.",
                "Not drawn: 1 decision counted in cases, not persons.",
            ],
        ),
    ],
)
def test_counts_of_records_in_notes_are_protected(dataset_from, public, lang, detentions, decisions):
    """One record can be one group of people (one detention): in public mode a count of records from
    1 to 4 in a figure's notes reads "<5" too."""
    data = dataset_from(incidents=RECORDS, status=RECORD_DECISIONS)
    view = build_view(data, Filters(nationalities=("UZB",)), locale=lang, public=public)
    notes = notes_of(view)
    assert notes["detentions"][0] == notes["nationalities"][0] == detentions
    assert notes["decisions"][:2] == decisions
    small = (
        {i18n.t("fewer_than_five_records", lang)}
        if public
        else {i18n.tn("n_records", n, lang) for n in (1, 4)}
    )
    assert {protect.records_text(n, lang, public) for n in (1, 4)} == small
    assert protect.records_text(5, lang, public) == i18n.tn("n_records", 5, lang)  # 5 or more: as counted
    if public:
        assert_no_small_count(view)


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_an_empty_chart_protects_its_count_of_records(dataset_from, lang):
    """The Tajik nationals are dated only to a quarter: the monthly chart draws nothing and says why."""
    data = dataset_from(incidents=RECORDS, status=RECORD_DECISIONS)
    view = build_view(data, Filters(nationalities=("TJK",)), locale=lang, public=True)
    [message] = [t for t in notes_of(view)["detentions"] if t not in notes_of(view)["pipeline"]]
    expected = {
        "en": "Nothing to draw per month: <5 records (<5 people) dated only to the quarter. "
        "Switch the period to Quarter to see them.",
        "ru": "Нечего показать по периоду «месяц»: <5 записей (<5 человек) с датой с точностью до квартала. "
        "Выберите период «Квартал», чтобы их увидеть.",
        "kk": "Кезең «ай» болғанда көрсететін ештеңе жоқ: <5 жазба (<5 адам), күні тек тоқсан дәлдігімен "
        "белгілі. Оларды көру үшін «Тоқсан» кезеңін таңдаңыз.",
    }
    assert message == expected[lang]
    assert_no_small_count(view)
    plain = build_view(data, Filters(nationalities=("TJK",)), public=False)
    assert notes_of(plain)["detentions"][0].startswith("Nothing to draw per month: 1 record (3 people)")


@pytest.mark.parametrize("granularity", ["month", "quarter"])
@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_the_sample_shows_no_small_count_of_records(sample, granularity, lang):
    """The sample's detentions dated only to a year are 2 records (ILL-I-0121: 2 people, ILL-I-0131: 4):
    "<5 records (6 people)" in public mode; its 7 records dated only to a quarter (36 people) show."""
    filters = dataclasses.replace(default_filters(sample), granularity=granularity)
    view = build_view(sample, filters, locale=lang, public=True)
    assert_no_small_count(view)
    if lang == "en":
        quarter = "7 records (36 people) dated only to the quarter; " if granularity == "month" else ""
        assert notes_of(view)["detentions"][0] == (
            f"Not drawn per {granularity}: {quarter}<5 records (6 people) dated only to the year. "
            "Choose a coarser period to include them."
        )
