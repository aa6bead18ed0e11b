"""Long chart descriptions (a figcaption): what is plotted, the range, the largest values, the trend
and what is unknown, for every registered chart and both maps, protected as the charts are.

Expectations are written by hand from the rows of each small dataset. The property test checks,
on generated data, that no description shows a count from 1 to 4 in public mode and that every
number it shows is one the view shows (no derived number). The real publishers' files in
``../shared/data`` are described too (skipped when that folder is absent).
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from refugee_stats import cli, countries, describe, i18n, protect, registry
from refugee_stats.compute import compute
from refugee_stats.describe import Description
from refugee_stats.filters import Filters
from refugee_stats.ingest.dataset import load
from refugee_stats.view import Display, View, build_view, render
from tests.conftest import FOUNDING_CASE, ROOT, TODAY
from tests.test_protect_properties import NATIONALITIES, decision, incident, write_dataset

SMALL, HIDDEN, SHOWN = protect.SMALL, protect.HIDDEN, protect.SHOWN


def everything(view: View) -> dict[str, Description]:
    """Every chart and map of a view in words."""
    return {**registry.described(view), **describe.map_descriptions(view)}


# -- what a description may say of the order of counts -----------------------------------------


def frame(people: list[int], statuses: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "key": list(range(len(people))),
            "people": people,
            "people_small": [s == SMALL for s in statuses],
            "people_hidden": [s != SHOWN for s in statuses],
        }
    )


@pytest.mark.parametrize(
    ("people", "statuses", "n", "rows", "complete"),
    [
        # All shown: the largest, most first, ties in key order; 0 is never "the most".
        ([5, 30, 12, 30, 0], [SHOWN] * 5, 3, [1, 3, 2], True),
        ([0, 0], [SHOWN, SHOWN], 3, [], True),
        # <5 below every count named: still the largest of all.
        ([3, 30, 12], [SMALL, SHOWN, SHOWN], 3, [1, 2], True),
        # A withheld count could be larger than any shown: "among the counts shown".
        ([6, 30, 12], [HIDDEN, SHOWN, SHOWN], 2, [1, 2], False),
        # Two <5 beside a total of 7 would be pinned (4 and 3) by "the first is larger": never ranked.
        ([4, 3], [SMALL, SMALL], 3, [], False),
        # A shown 0 with a <5 beside it: the <5 is larger, so the 0 is not "the most".
        ([0, 2], [SHOWN, SMALL], 1, [], False),
    ],
)
def test_largest_claims_no_more_than_what_is_shown(people, statuses, n, rows, complete):
    ranked = describe.largest(frame(people, statuses), ["key"], n)
    assert ranked.rows["key"].tolist() == rows
    assert ranked.complete is complete


@pytest.mark.parametrize(
    ("first", "last", "way"),
    [
        ((12, SHOWN), (30, SHOWN), "up"),
        ((30, SHOWN), (12, SHOWN), "down"),
        ((7, SHOWN), (7, SHOWN), "same"),
        ((3, SMALL), (10, SHOWN), "up"),  # <5 is below 10 whatever it is
        ((10, SHOWN), (6, HIDDEN), None),  # x is at least 5: above or below 10
        ((3, SMALL), (6, HIDDEN), "up"),  # x is at least 5, above any <5
        ((6, HIDDEN), (2, SMALL), "down"),
        ((2, SMALL), (3, SMALL), None),  # two <5: the order would tell more than "<5"
        ((4, SMALL), (4, SMALL), None),
        ((6, HIDDEN), (9, HIDDEN), None),
    ],
)
def test_direction_only_from_what_is_shown(first, last, way):
    assert describe.direction(first, last) == way


# -- small datasets, by hand -------------------------------------------------------------------

THREE_MONTHS = """
incident_id,date,host_country,type,nationality,people,unhcr_refugees,source
A,2011-01,KGZ,detention,AFG,12,5,Monitor
B,2011-02,KGZ,detention,AFG,3,0,Monitor
C,2011-03,KGZ,detention,AFG,30,10,Monitor
"""
#: In public mode the total of February (3) is <5, and the total of January (12) is withheld (x):
#: with the key figure (45) and March (30) it would give February's 3 back.
THREE_MONTHS_PUBLIC = {"2011-01-01": "x", "2011-02-01": "<5", "2011-03-01": "30"}


def test_three_months_open(dataset_from):
    view = build_view(dataset_from(incidents=THREE_MONTHS), Filters())
    assert registry.described(view)["detentions"] == Description(
        "Bar chart of the people detained per month, Jan 2011 – Mar 2011, stacked by nationality (1 shown); "
        "most in March 2011 (30).",
        "Stacked bar chart of the people detained per month, Jan 2011 – Mar 2011, one colour per nationality: "
        "Afghanistan. A dashed line shows how many of them held UNHCR refugee status. "
        "Most people detained: March 2011 (30), January 2011 (12), and February 2011 (3). "
        "First period with records: January 2011 (12); last: March 2011 (30). "
        "More people were detained in the last period than in the first.",
    )


def test_three_months_public(dataset_from):
    view = build_view(dataset_from(incidents=THREE_MONTHS), Filters(), public=True)
    totals = view.charts["detentions"]["totals"]
    assert (
        dict(zip(totals["period_start"].astype(str), totals["people_text"], strict=True))
        == THREE_MONTHS_PUBLIC
    )
    assert registry.described(view)["detentions"] == Description(
        "Bar chart of the people detained per month, Jan 2011 – Mar 2011, stacked by nationality (1 shown); "
        "most among the counts shown: March 2011 (30).",
        "Stacked bar chart of the people detained per month, Jan 2011 – Mar 2011, one colour per nationality: "
        "Afghanistan. A dashed line shows how many of them held UNHCR refugee status. "
        "Most people detained, among the counts shown: March 2011 (30). "
        # x (January) may be above or below 30: no "more" or "fewer".
        "First period with records: January 2011 (x); last: March 2011 (30). "
        "“<5” stands for a count from one to four; “x” for a count withheld so that none under five "
        "can be worked out.",
    )


TWO_NATIONALITIES = """
incident_id,date,host_country,type,nationality,people,unhcr_refugees,source
A,2011-01,KGZ,detention,AFG,12,3,Monitor
B,2011-02,KGZ,detention,AFG,8,1,Monitor
C,2011-02,KGZ,detention,UZB,20,,Monitor
D,2011-04,KAZ,detention,UZB,7,7,Monitor
E,2011-Q2,KAZ,detention,UZB,6,,Monitor
F,2011-04,KAZ,release,UZB,7,,Monitor
"""
STATUS = """
record_id,date,host_country,nationality,authority,decision,people,unit,source
S1,2011-02,KAZ,UZB,national,revoked,9,persons,Monitor
S2,2011-02,KAZ,UZB,unhcr,recognized,15,persons,Monitor
S3,2011-04,KAZ,UZB,national,rejected,6,persons,Monitor
S4,2011-04,KAZ,UZB,national,rejected,2,cases,Monitor
"""


@pytest.fixture
def two_nationalities(dataset_from):
    return dataset_from(incidents=TWO_NATIONALITIES, status=STATUS)


@pytest.mark.parametrize(
    ("chart", "text"),
    [
        (
            "detentions",
            # Uzbekistan first: 27 people in bars (20 + 7), Afghanistan 20. E is dated to a quarter only.
            "Stacked bar chart of the people detained per month, Jan 2011 – Jun 2011, one colour per nationality: "
            "Uzbekistan and Afghanistan. A dashed line shows how many of them held UNHCR refugee status. "
            "Most people detained: February 2011 (28), January 2011 (12), and April 2011 (7). "
            "First period with records: January 2011 (12); last: April 2011 (7). "
            "Fewer people were detained in the last period than in the first. "
            "UNHCR status is not recorded for 26 people. "  # C (20) and E (6)
            "Not drawn per month: 6 people dated only to the quarter.",
        ),
        (
            "decisions",
            "Stacked bar chart of the people decided on per month, Jan 2011 – Jun 2011: one panel per authority "
            "(UNHCR and National authority), one colour per decision (recognized, rejected, and revoked). "
            "Most people with one decision of one authority in one period: February 2011, UNHCR: recognized (15); "
            "February 2011, National authority: revoked (9); April 2011, National authority: rejected (6). "
            "In all, people decided on: 30; people whose refugee status was revoked: 9. "
            "Not drawn: 1 decision counted in cases, not persons.",
        ),
        (
            "nationalities",
            "Bars of 100%: each nationality's share of the people detained per month, Jan 2011 – Jun 2011, one "
            "colour per nationality: Uzbekistan and Afghanistan. "
            "Most detained overall: Uzbekistan (33) and Afghanistan (20). "  # the map counts E too
            "Largest group in the first period with records, January 2011: Afghanistan (100%); in the last, "
            "April 2011: Uzbekistan (100%). "
            "Not drawn per month: 6 people dated only to the quarter.",
        ),
        (
            "pipeline",
            # 53 detained: 11 refugees (3 + 1 + 7), 16 others (9 + 7), 26 of unknown status; no
            # revocation names a detention; the release (F) names none either.
            "Flow diagram of the people detained, Jan 2011-Jun 2011, from left to right: Detained → UNHCR "
            "refugees: 11, Other asylum-seekers: 16, Status not recorded: 26; UNHCR refugees → No revocation "
            "recorded: 11. No record in view names what happened to them next.",
        ),
        (
            "host_country",
            "Map of the people detained by host country, Jan 2011-Jun 2011: each country shaded by the number "
            "of people detained there. Most people were detained in Kyrgyzstan (40) and Kazakhstan (13).",
        ),
    ],
)
def test_long_descriptions_by_hand(two_nationalities, chart, text):
    view = build_view(two_nationalities, Filters())
    assert everything(view)[chart].long == text


def test_a_description_says_what_a_period_cannot_place_in_public_mode(two_nationalities):
    """The unknown stays in words: status not recorded and records the month cannot place, with
    their counts as shown (6 is shown: it is 5 or more and nothing gives it away)."""
    view = build_view(two_nationalities, Filters(), public=True)
    text = registry.described(view)["detentions"].long
    assert "Not drawn per month: 6 people dated only to the quarter." in text
    assert "UNHCR status is not recorded for 26 people." in text
    # The case-counted decisions (one record) are a count under 5 too.
    assert (
        "Not drawn: <5 decisions counted in cases, not persons." in registry.described(view)["decisions"].long
    )


def test_a_quarter_needs_three_periods_for_a_trend(two_nationalities):
    """Per quarter, Q1 and Q2 2011 only: too few periods to speak of a trend; Q2 places E."""
    view = build_view(two_nationalities, Filters(granularity="quarter"))
    text = registry.described(view)["detentions"].long
    assert text == (
        "Stacked bar chart of the people detained per quarter, Q1 2011 – Q2 2011, one colour per nationality: "
        "Uzbekistan and Afghanistan. A dashed line shows how many of them held UNHCR refugee status. "
        "Most people detained: Q1 2011 (40) and Q2 2011 (13). UNHCR status is not recorded for 26 people."
    )


NO_STATUS = """
incident_id,date,host_country,type,nationality,people,unhcr_refugees,source
Q1,2015-Q1,GBR,detention,ALB,120,,Home Office
Q2,2015-Q2,GBR,detention,ALB,90,,Home Office
Q3,2015-Q3,GBR,detention,ALB,150,,Home Office
Q4,2015-Q4,GBR,detention,XXA,4,,Home Office
"""


@pytest.mark.parametrize(
    ("lang", "detentions", "pipeline"),
    [
        (
            "en",
            "Stacked bar chart of the people detained per quarter, Q1 2015 – Q4 2015, one colour per nationality: "
            "Albania and Stateless. UNHCR status is not recorded in these records: no refugee line is drawn. "
            # Q4's 4 is <5, and the key figure (364) less Q1-Q3 would give it back: Q2 (the next
            # smallest) is withheld, so the largest are named among the counts shown.
            "Most people detained, among the counts shown: Q3 2015 (150) and Q1 2015 (120). "
            "First period with records: Q1 2015 (120); last: Q4 2015 (<5). "
            "Fewer people were detained in the last period than in the first. "
            "“<5” stands for a count from one to four; “x” for a count withheld so that none under five "
            "can be worked out.",
            "Flow diagram of the people detained, 2015, from left to right: Detained → Status not recorded: 364. "
            "Flow diagram: 364 people detained; no record states whether they held UNHCR refugee status. "
            "No record in view names what happened to them next.",
        ),
        (
            "ru",
            "Столбчатая диаграмма с накоплением: задержанные по кварталам, 1-й кв. 2015 – 4-й кв. 2015, по цвету "
            "на каждое гражданство: Албания и Лица без гражданства. Статус УВКБ ООН в этих записях не указан: "
            "линия беженцев не показана. Больше всего задержанных среди показанных чисел: 3-й кв. 2015 (150) "
            "и 1-й кв. 2015 (120). Первый период с записями — 1-й кв. 2015 (120), последний — 4-й кв. 2015 (<5). "
            "В последнем периоде задержано меньше людей, чем в первом. «<5» означает число от одного до "
            "четырёх; «x» — число, скрытое, чтобы меньшее пяти нельзя было вычислить.",
            "Диаграмма потоков задержанных, 2015, слева направо: Задержаны → Статус не указан: 364. "
            "Диаграмма потоков: задержано 364; ни в одной записи не указано, был ли у них статус беженца УВКБ ООН. "
            "Ни одна запись не сообщает, что с ними было дальше.",
        ),
    ],
)
def test_status_never_recorded_is_said_not_drawn_as_zero(dataset_from, lang, detentions, pipeline):
    """Official statistics state no UNHCR status: the long descriptions say so, never "0 refugees"."""
    view = build_view(
        dataset_from(incidents=NO_STATUS), Filters(granularity="quarter"), locale=lang, public=True
    )
    described = registry.described(view)
    assert described["detentions"].long == detentions
    assert described["pipeline"].long == pipeline
    # Albania's 360 is withheld (the key figure less it would give Stateless's 4 back): no country
    # is named the largest; Stateless has no shape on the map, and is said to.
    nationality = describe.map_descriptions(view)["nationality"].long
    assert {
        "en": "Map of the people detained by nationality, 2015: each country shaded by the number of its "
        "nationals detained. Not on the map: Stateless (<5 people). “<5” stands",
        "ru": "Карта задержанных по гражданству, 2015: каждая страна окрашена по числу задержанных граждан этой "
        "страны. Нет на карте: Лица без гражданства (<5 человек). «<5» означает",
    }[lang] in nationality


def test_a_chart_that_draws_nothing_has_no_description(dataset_from):
    """Records dated to a quarter on a monthly chart: the chart says which period draws them."""
    data = dataset_from(
        incidents="""
        incident_id,date,host_country,type,nationality,people,unhcr_refugees,source
        Q1,2015-Q1,GBR,detention,ALB,120,,Home Office
        """
    )
    described = everything(build_view(data, Filters(granularity="month")))
    for chart in ("detentions", "nationalities", "decisions"):
        assert described[chart] == Description("", "")
    assert described["pipeline"].long.startswith("Flow diagram of the people detained, Jan 2015-Mar 2015")
    assert (
        described["host_country"].short
        == "Map of the people detained by host country, Jan 2015-Mar 2015; most in United Kingdom (120)."
    )


# -- the founding case -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample():
    return load(ROOT / "data", today=TODAY)


FOUNDING_EN = {
    "detentions": "Stacked bar chart of the people detained per month, Jan 2010 – Dec 2010, one colour per "
    "nationality: Uzbekistan. A dashed line shows how many of them held UNHCR refugee status. "
    "Most people detained: June 2010 (29).",
    "decisions": "Stacked bar chart of the people decided on per month, Jan 2010 – Dec 2010: one panel per "
    "authority (National authority), one colour per decision (revoked). Most people with one decision of one "
    "authority in one period: June 2010, National authority: revoked (17). In all, people decided on: 17; "
    "people whose refugee status was revoked: 17.",
    "nationalities": "Bars of 100%: each nationality's share of the people detained per month, Jan 2010 – "
    "Dec 2010, one colour per nationality: Uzbekistan. Most detained overall: Uzbekistan (29).",
    "pipeline": "Flow diagram of the people detained, 2010, from left to right: Detained → UNHCR refugees: 17, "
    "Other asylum-seekers: 12; UNHCR refugees → Status revoked: 17. No record in view names what happened "
    "to them next.",
    "host_country": "Map of the people detained by host country, 2010: each country shaded by the number of "
    "people detained there. Most people were detained in Kazakhstan (29).",
    "nationality": "Map of the people detained by nationality, 2010: each country shaded by the number of its "
    "nationals detained. Most people detained were nationals of Uzbekistan (29).",
}


@pytest.mark.parametrize("public", [True, False])
def test_founding_case_in_english(sample, public):
    """Kazakhstan, Uzbek nationals, 2010: 29 detained in June, 17 of them UNHCR refugees, all 17
    stripped of that status. No count under 5 in it: public mode says the same."""
    view = build_view(sample, FOUNDING_CASE, public=public)
    assert {key: words.long for key, words in everything(view).items()} == FOUNDING_EN
    assert (
        everything(view)["host_country"].short
        == "Map of the people detained by host country, 2010; most in Kazakhstan (29)."
    )


@pytest.mark.parametrize(
    ("lang", "chart", "text"),
    [
        (
            "ru",
            "detentions",
            "Столбчатая диаграмма с накоплением: задержанные по месяцам, янв. 2010 – дек. 2010, по цвету на каждое "
            "гражданство: Узбекистан. Пунктирная линия показывает, сколько из них имели статус беженца УВКБ ООН. "
            "Больше всего задержанных: июнь 2010 (29).",
        ),
        (
            "ru",
            "pipeline",
            "Диаграмма потоков задержанных, 2010, слева направо: Задержаны → Беженцы УВКБ ООН: 17, Другие лица, "
            "ищущие убежища: 12; Беженцы УВКБ ООН → Статус отозван: 17. Ни одна запись не сообщает, что с ними "
            "было дальше.",
        ),
        (
            "kk",
            "detentions",
            "Жинақталған бағанды диаграмма: ұсталған адамдар (ай сайын), 2010\u202fж. қаң. – 2010\u202fж. жел., "
            "әр азаматтыққа бір түс: Өзбекстан. Үзік сызық олардың қаншасының БЖКБ босқыны мәртебесі болғанын "
            "көрсетеді. Ең көп ұсталғандар: 2010\u202fж. маусым (29).",
        ),
        (
            "kk",
            "host_country",
            "Ұсталған адамдардың қабылдаушы елдер бойынша картасы, 2010: әр ел онда ұсталғандар санына қарай "
            "боялған. Ең көп адам ұсталған елдер: Қазақстан (29).",
        ),
    ],
)
def test_founding_case_in_russian_and_kazakh(sample, lang, chart, text):
    view = build_view(sample, FOUNDING_CASE, locale=lang, public=True)
    assert everything(view)[chart].long == text


def test_every_registered_chart_and_map_is_described(sample):
    view = build_view(sample, FOUNDING_CASE)
    assert set(registry.described(view)) == set(registry.BY_KEY)
    assert set(describe.map_descriptions(view)) == {"host_country", "nationality"}
    assert {k: d.short for k, d in registry.described(view).items()} == registry.descriptions(view)


# -- no count from 1 to 4, no derived number ---------------------------------------------------


def date_labels(view: View) -> list[str]:
    """Every label a description may give a period or a span of the view (longest first)."""
    if view.data.x_range is None:
        return []
    start, end = view.data.x_range
    months = pd.period_range(start, end, freq="M").to_timestamp()
    labels = {i18n.span_label(start, end, view.lang)}
    for g in ("month", "quarter", "year"):
        for stamp in months:
            for long, heading in ((False, True), (True, True), (True, False)):
                labels.add(i18n.period_label(stamp, g, view.lang, long=long, heading=heading))
    return sorted(labels, key=len, reverse=True)


#: A number as a description writes it (grouped in the locale's way), not a share (``62%``, ``62 %``),
#: not the 5 of ``<5``.
NUMBER = re.compile(r"(?<![\w<.,])\d+(?:[,\u00a0\u202f ]\d{3})*(?![\d%]|[\u00a0 ]%)")
#: What a short description says of the groups it stacks: ``(9 shown)``, ``(групп: 9)``, ``(9 топ)``.
GROUPS = re.compile(r"\((?:\d+ shown|групп: \d+|\d+ топ)\)")


def shown_numbers(view: View) -> set[str]:
    """Every count the view shows: the key figures and each frame's display texts."""
    out = set(view.key_figure_text.values())
    for chart in view.charts.values():
        for data in chart.frames.values():
            for column in data.columns:
                if column.endswith("_text") and column != "share_text":
                    out |= {str(v) for v in data[column] if v}
    cases = view.charts["decisions"].counts.get("cases", 0)
    out.add(protect.text(cases, view.lang, view.public))
    return out


def numbers_in(text: str, view: View) -> list[str]:
    for label in date_labels(view):
        text = text.replace(label, " ")
    text = GROUPS.sub(" ", text).replace("100%", " ")
    return NUMBER.findall(text)


def assert_only_shown_numbers(view: View) -> None:
    shown = shown_numbers(view)
    for key, words in everything(view).items():
        for text in (words.short, words.long):
            found = numbers_in(text, view)
            assert set(found) <= shown, (key, view.lang, text, set(found) - shown)
            if view.public:
                assert not {n for n in found if n in {"1", "2", "3", "4"}}, (key, view.lang, text)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    incidents=st.lists(incident, min_size=1, max_size=8),
    decisions=st.lists(decision, max_size=4),
    granularity=st.sampled_from(("month", "quarter")),
    only=st.one_of(st.none(), st.sampled_from(NATIONALITIES)),
)
def test_descriptions_show_no_small_count_and_no_derived_number(incidents, decisions, granularity, only):
    """In public mode no description (short or long, any chart or map, en/ru/kk) shows a count from 1
    to 4; in either mode every number in one is a count the view shows, so none is derived."""
    with tempfile.TemporaryDirectory() as folder:
        data = write_dataset(Path(folder), incidents, decisions)
    filters = Filters(granularity=granularity, nationalities=(only,) if only else ())
    for public in (True, False):
        numbers = compute(data, filters, public=public)
        for lang in ("en", "ru", "kk"):
            assert_only_shown_numbers(render(numbers, Display(lang)))


def test_the_sample_in_public_mode_has_small_counts_and_no_description_shows_one(sample):
    """Not vacuous: the whole sample has counts under 5 on screen (<5), none in a description."""
    for lang in ("en", "ru", "kk"):
        view = build_view(sample, Filters(date_from="2008-01", date_to="2012-12"), locale=lang, public=True)
        assert protect.LESS_THAN in set(view.charts["detentions"]["totals"]["people_text"])
        assert_only_shown_numbers(view)
        assert "<5" in registry.described(view)["detentions"].long  # the first month, as shown
    open_view = build_view(sample, Filters(date_from="2008-01", date_to="2012-12"))
    assert "January 2008 (3)" in registry.described(open_view)["detentions"].long


# -- the real publishers' files ----------------------------------------------------------------

SHARED = ROOT.parent / "shared" / "data"


def need(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not here (the shared data folder sits beside the project)")
    return path


@pytest.fixture(scope="module")
def uk_entering(tmp_path_factory):
    """The Home Office's people entering detention (quarterly), imported as ``refugee-stats import`` does."""
    path = need("uk-home-office", "people_entering_detention.csv")
    out = tmp_path_factory.mktemp("uk")
    assert cli.main(["import", str(path), "--out", str(out)]) == 0
    return pd.read_csv(path), load(out, today=TODAY)


def test_uk_quarters_by_hand_from_the_home_office_file(uk_entering):
    """GBR 2015 per quarter: the largest quarters, the first and the last, from the publisher's file."""
    raw, dataset = uk_entering
    year = raw[raw["Year"] == 2015]
    by_quarter = year.groupby("Quarter")["Entering"].sum().astype(int)
    assert int(by_quarter.sum()) == 32_447  # the Home Office's total (PROVENANCE.md)
    view = build_view(
        dataset,
        Filters(host_countries=("GBR",), date_from="2015-01", date_to="2015-12", granularity="quarter"),
    )
    top = by_quarter.sort_values(ascending=False, kind="stable").head(3)
    items = [f"Q{q} 2015 ({n:,})" for q, n in top.items()]
    first, last = by_quarter.iloc[0], by_quarter.iloc[-1]
    way = "More" if last > first else "Fewer"
    text = registry.described(view)["detentions"].long
    assert text.startswith("Stacked bar chart of the people detained per quarter, Q1 2015 – Q4 2015")
    assert "UNHCR status is not recorded in these records: no refugee line is drawn." in text
    assert f"Most people detained: {items[0]}, {items[1]}, and {items[2]}." in text
    assert f"First period with records: Q1 2015 ({first:,}); last: Q4 2015 ({last:,})." in text
    assert f"{way} people were detained in the last period than in the first." in text
    # The map of nationalities: the three largest, by hand.
    nationals = year.groupby("Nationality")["Entering"].sum().astype(int).sort_values(ascending=False)
    names = [countries.name(countries.to_alpha3(n) or "", "en") for n in nationals.index[:3]]
    expected = ", ".join(f"{name} ({n:,})" for name, n in zip(names[:2], nationals.iloc[:2], strict=True))
    assert (
        f"Most people detained were nationals of {expected}, and {names[2]} ({nationals.iloc[2]:,})."
        in describe.map_descriptions(view)["nationality"].long
    )


def test_uk_uzbek_nationals_in_public_mode(uk_entering):
    """Uzbek nationals entering UK detention, per quarter 2010-2023: many quarters under 5 in the
    file; no description shows one, and every number in them is one the page shows."""
    raw, dataset = uk_entering
    uzbek = raw[raw["Nationality"] == "Uzbekistan"].groupby(["Year", "Quarter"])["Entering"].sum()
    assert ((uzbek >= 1) & (uzbek <= 4)).sum() > 5
    filters = Filters(nationalities=("UZB",), granularity="quarter")
    for lang in ("en", "ru"):
        view = build_view(dataset, filters, locale=lang, public=True)
        assert protect.LESS_THAN in set(view.charts["detentions"]["totals"]["people_text"])
        assert_only_shown_numbers(view)


@pytest.fixture(scope="module")
def unhcr_decisions(tmp_path_factory):
    path = need("unhcr", "asylum_decisions_central_asia.csv")
    out = tmp_path_factory.mktemp("unhcr")
    assert cli.main(["import", str(path), "--out", str(out)]) == 0
    return pd.read_csv(path), load(out, today=TODAY)


def test_unhcr_yearly_decisions_by_hand(unhcr_decisions):
    """Decisions on Uzbek nationals, per year: the three largest cells (year, authority, decision) in
    persons, from UNHCR's file; cases are never added to persons."""
    raw, dataset = unhcr_decisions
    persons = raw[(raw["coo_iso"] == "UZB") & (raw["dec_pc"] == "P")]
    columns = {
        "dec_recognized": "recognized",
        "dec_other": "complementary",
        "dec_rejected": "rejected",
        "dec_closed": "closed",
    }
    authority = {"G": "National authority", "U": "UNHCR", "J": "Joint procedure"}
    cells = (
        persons.melt(
            id_vars=["year", "procedure_type"], value_vars=list(columns), var_name="decision", value_name="n"
        )
        .groupby(["year", "procedure_type", "decision"])["n"]
        .sum()
    )
    cells = cells[cells > 0].astype(int).reset_index()
    cells["order"] = cells["decision"].map(list(columns).index)
    top = cells.sort_values(["n", "year"], ascending=[False, True], kind="stable").head(3)
    view = build_view(dataset, Filters(nationalities=("UZB",), granularity="year"))
    items = "; ".join(
        f"{r.year}, {authority[r.procedure_type]}: {columns[r.decision]} ({r.n:,})" for r in top.itertuples()
    )
    text = registry.described(view)["decisions"].long
    assert f"Most people with one decision of one authority in one period: {items}." in text
    decided = int(persons[list(columns)].sum().sum())
    assert f"In all, people decided on: {decided:,}; people whose refugee status was revoked: 0." in text
    assert re.search(r"Not drawn: [\d,]+ decisions counted in cases, not persons\.", text)
    public = build_view(dataset, Filters(nationalities=("UZB",), granularity="year"), public=True)
    assert_only_shown_numbers(public)
