"""Takeaway sentences for presentation scenes, computed from the data in view."""

from __future__ import annotations

import pytest

from refugee_stats import registry, story
from refugee_stats.filters import Filters
from refugee_stats.ingest.dataset import load
from refugee_stats.ingest.files import bundled_data_dir
from refugee_stats.view import build_view
from tests.conftest import TODAY

FOUNDING_CASE = Filters(
    host_countries=("KAZ",), nationalities=("UZB",), date_from="2010-06", date_to="2010-06"
)


@pytest.fixture(scope="module")
def sample():
    return load(bundled_data_dir(), today=TODAY)


#: The founding case's key figures in public mode: its one incident is "<5".
PUBLIC_KEY_FIGURES = {
    "en": "29 people detained in <5 incidents; 17 people held UNHCR refugee status; 17 people lost refugee status.",
    "kk": "<5 оқиға барысында 29 адам ұсталды; 17 адам БЖКБ берген босқын мәртебесіне ие болды; "
    "17 адам босқын мәртебесінен айырылды.",
}


@pytest.mark.parametrize(
    ("scene", "lang", "sentence"),
    [
        (
            "detentions",
            "en",
            "June 2010: Kazakhstan detained 29 nationals of Uzbekistan; 17 of them were UNHCR refugees.",
        ),
        (
            "detentions",
            "ru",
            "Июнь 2010, Казахстан: задержаны 29 человек (гражданство: Узбекистан); из них беженцы УВКБ ООН — 17.",
        ),
        (
            "key_figures",
            "en",
            "29 people detained in 1 incident; 17 people held UNHCR refugee status; 17 people lost refugee status.",
        ),
        ("decisions", "en", "17 people lost refugee status: 100% of the 17 people decided on in this view."),
        (
            "nationalities",
            "en",
            "Nationals of Uzbekistan were the largest group detained: 100% of 29 people.",
        ),
        ("map", "ru", "Больше всего людей задержано в стране «Казахстан»: 29 человек из 29."),
        (
            "detentions",
            "kk",
            "2010\u202fж. маусым, Қазақстан: 29 адам ұсталды (Өзбекстан азаматтары); оның ішінде БЖКБ босқындары — 17.",
        ),
        (
            "key_figures",
            "kk",
            "1 оқиға барысында 29 адам ұсталды; 17 адам БЖКБ берген босқын мәртебесіне ие болды; "
            "17 адам босқын мәртебесінен айырылды.",
        ),
        (
            "decisions",
            "kk",
            "Босқын мәртебесінен айырылғандар: 17 адам — шешім қабылданған 17 адамның 100%.",
        ),
        ("nationalities", "kk", "Ұсталғандардың ең үлкен тобы — Өзбекстан азаматтары: 29 адамның 100%."),
        ("map", "kk", "Ең көп адам ұсталған ел — Қазақстан: 29 адам, барлығы 29."),
        (
            "nationalities",
            "ru",
            "Крупнейшая группа задержанных — граждане страны «Узбекистан»: 100\u00a0% из 29.",
        ),
        ("map", "en", "Most people were detained in Kazakhstan: 29 people of 29."),
    ],
)
@pytest.mark.parametrize("public", [False, True])
def test_founding_case_takeaways(sample, scene, lang, sentence, public):
    """The founding case reads the same with protection on: 29 and 17 are shown, and its one period,
    host and nationality are the largest by what is shown. Only its one incident is "<5" there."""
    view = build_view(sample, FOUNDING_CASE, locale=lang, public=public)
    if public and scene == "key_figures":
        sentence = PUBLIC_KEY_FIGURES[lang]
    assert registry.TAKEAWAYS[scene](view, lang) == sentence


def test_peak_over_several_groups(dataset_from):
    data = dataset_from(
        incidents="""
        incident_id,date,host_country,type,nationality,people,unhcr_refugees,source
        A,2010-06,KAZ,detention,UZB,29,17,IWPR
        B,2010-06-20,KGZ,detention,TJK,4,1,HRW
        C,2011-02-01,KAZ,detention,UZB,5,0,HRW
        """
    )
    view = build_view(data, Filters())
    assert (
        story.detentions(view, "en")
        == "The most detained in one month: 33 people, in June 2010; 18 of them were UNHCR refugees."
    )
    assert story.detentions(build_view(data, Filters(granularity="year")), "ru") == (
        "Больше всего задержанных за год: 33 человека (2010); из них беженцы УВКБ ООН — 18."
    )
    assert story.detentions(view, "ru") == (  # a month inside a Russian sentence is lower case
        "Больше всего задержанных за месяц: 33 человека (июнь 2010); из них беженцы УВКБ ООН — 18."
    )
    assert (
        story.nationalities(view, "en")
        == "Nationals of Uzbekistan were the largest group detained: 89% of 38 people."
    )


def test_coarse_detentions_are_said_where_the_chart_cannot_draw_them(dataset_from):
    """Records dated only to the quarter, on a monthly chart: the takeaway says what the chart
    says (which records, and the period that draws them), never that no detention matches."""
    data = dataset_from(
        incidents="""
        incident_id,date,host_country,type,nationality,people,unhcr_refugees,source
        Q1,2015-Q1,GBR,detention,ALB,120,,Home Office
        Q2,2015-Q2,GBR,detention,ALB,80,,Home Office
        """
    )
    view = build_view(data, Filters(granularity="month"))
    assert view.key_figures.people_detained == 200
    assert story.detentions(view, "en") == (
        "Nothing to draw per month: 2 records (200 people) dated only to the quarter."
        " Switch the period to Quarter to see them."
    )
    assert "200" in story.detentions(view, "ru") and "Нет задержаний" not in story.detentions(view, "ru")
    public = build_view(data, Filters(granularity="month"), public=True)
    assert story.detentions(public, "en") == (
        "Nothing to draw per month: <5 records (200 people) dated only to the quarter."
        " Switch the period to Quarter to see them."
    )


def test_nothing_in_view(sample):
    view = build_view(sample, Filters(host_countries=("TKM",), nationalities=("TKM",)))
    assert story.key_figures(view, "en") == "Nothing in this view."
    assert story.detentions(view, "ru") == "Нет задержаний, подходящих под эти фильтры."


# -- what a takeaway may call the largest --------------------------------------------------------

#: The constructed case: 13 = x + <5 + 6 over three months. Naming the "x" month (6, the earliest of
#: two 6s) as the one with most would say x >= 6, so x = 6 and the "<5" = 13 - 6 - 6 = 1.
CONSTRUCTED = """
    incident_id,date,host_country,type,nationality,people,unhcr_refugees,source
    A,2010-01,KAZ,detention,UZB,6,0,HRW
    B,2010-02,KAZ,detention,UZB,1,0,HRW
    C,2010-03,KAZ,detention,UZB,6,0,HRW
"""
#: 17 = 12 + <5 + <5: the two "<5" add up to 5 (1 + 4, 2 + 3...), so nothing is withheld, and both
#: are below the 12, which what is shown makes the largest.
SETTLED = """
    incident_id,date,host_country,type,nationality,people,unhcr_refugees,source
    A,2010-01,KAZ,detention,UZB,12,0,HRW
    B,2010-02,KAZ,detention,UZB,3,0,HRW
    C,2010-03,KAZ,detention,UZB,2,0,HRW
"""
#: One month, four nationalities: 50 = 38 + 7 + <5 + <5 (the two add up to 5: nothing pinned).
GROUPS = """
    incident_id,date,host_country,type,nationality,people,unhcr_refugees,source
    A,2010-06,KAZ,detention,UZB,38,0,HRW
    B,2010-06,KAZ,detention,AFG,7,0,HRW
    C,2010-06,KAZ,detention,TJK,3,0,HRW
    D,2010-06,KAZ,detention,RUS,2,0,HRW
"""
#: 48 = 38 + <5 + 7 over three months and three nationalities: 48 - 38 - 7 would pin the 3, so the
#: 7 (the next smallest) is withheld, on the map and in the chart: an x could be above 38.
WITHHELD_GROUP = """
    incident_id,date,host_country,type,nationality,people,unhcr_refugees,source
    A,2010-06,KAZ,detention,UZB,38,0,HRW
    B,2010-07,KAZ,detention,TJK,3,0,HRW
    C,2010-08,KAZ,detention,AFG,7,0,HRW
"""
#: One month, three host countries: 28 = 20 + 6 + <5 would pin the 2, so the 6 is withheld.
HOSTS = """
    incident_id,date,host_country,type,nationality,people,unhcr_refugees,source
    A,2010-06,KAZ,detention,UZB,20,0,HRW
    B,2010-06,KGZ,detention,UZB,6,0,HRW
    C,2010-06,TKM,detention,UZB,2,0,HRW
"""


#: 8 = <5 + <5 over two months pins both at 4: the key figure is withheld (x), and with it Kazakhstan
#: (8 of x); Uzbekistan's 6 (3 + 3) stays shown beside Tajikistan's <5 (1 + 1).
WITHHELD_TOTAL = """
    incident_id,date,host_country,type,nationality,people,unhcr_refugees,source
    A,2010-01,KAZ,detention,UZB,3,0,HRW
    B,2010-01,KAZ,detention,TJK,1,0,HRW
    C,2010-02,KAZ,detention,UZB,3,0,HRW
    D,2010-02,KAZ,detention,TJK,1,0,HRW
"""
CASES = {
    "constructed": CONSTRUCTED,
    "settled": SETTLED,
    "groups": GROUPS,
    "withheld_group": WITHHELD_GROUP,
    "hosts": HOSTS,
    "withheld_total": WITHHELD_TOTAL,
}


@pytest.mark.parametrize(
    ("case", "scene", "lang", "public", "sentence"),
    [
        # The constructed case: the true peak is withheld, so no month is named.
        (
            "constructed",
            "detentions",
            "en",
            True,
            "13 people detained, Jan 2010-Mar 2010; the month with most detained is not named, to protect small counts.",
        ),
        (
            "constructed",
            "detentions",
            "ru",
            True,
            "Задержаны: 13 человек (янв. 2010-март 2010); месяц с наибольшим числом задержанных не называется, "
            "чтобы защитить малые числа.",
        ),
        (
            "constructed",
            "detentions",
            "kk",
            True,
            "Ұсталғандар: 13 адам (2010\u202fж. қаң.-2010\u202fж. нау.); шағын сандарды қорғау үшін ең көп адам "
            "ұсталған ай аталмайды.",
        ),
        (
            "constructed",
            "detentions",
            "en",
            False,
            "January 2010: Kazakhstan detained 6 nationals of Uzbekistan; 0 of them were UNHCR refugees.",
        ),
        # One nationality and one host, shown: they are the largest whatever the months show.
        (
            "constructed",
            "nationalities",
            "en",
            True,
            "Nationals of Uzbekistan were the largest group detained: 100% of 13 people.",
        ),
        ("constructed", "map", "en", True, "Most people were detained in Kazakhstan: 13 people of 13."),
        # Every other month is <5, below the shown 12: named in public mode too.
        (
            "settled",
            "detentions",
            "en",
            True,
            "January 2010: Kazakhstan detained 12 nationals of Uzbekistan; 0 of them were UNHCR refugees.",
        ),
        # The other nationalities are shown (7) or <5: Uzbekistan is named, its share from the true
        # counts (38 / 50), in public mode as without it.
        (
            "groups",
            "nationalities",
            "en",
            True,
            "Nationals of Uzbekistan were the largest group detained: 76% of 50 people.",
        ),
        (
            "groups",
            "nationalities",
            "en",
            False,
            "Nationals of Uzbekistan were the largest group detained: 76% of 50 people.",
        ),
        (
            "groups",
            "detentions",
            "en",
            True,
            "The most detained in one month: 50 people, in June 2010; 0 of them were UNHCR refugees.",
        ),
        # Afghanistan's 7 is withheld: it could be above 38 as far as the page says.
        (
            "withheld_group",
            "nationalities",
            "en",
            True,
            "48 people detained, Jun 2010-Aug 2010; the largest group by nationality is not named, to protect small counts.",
        ),
        (
            "withheld_group",
            "nationalities",
            "ru",
            True,
            "Задержаны: 48 человек (июнь 2010-авг. 2010); крупнейшая группа по гражданству не называется, "
            "чтобы защитить малые числа.",
        ),
        (
            "withheld_group",
            "nationalities",
            "kk",
            True,
            "Ұсталғандар: 48 адам (2010\u202fж. мау.-2010\u202fж. там.); шағын сандарды қорғау үшін азаматтығы "
            "бойынша ең үлкен топ аталмайды.",
        ),
        (
            "withheld_group",
            "detentions",
            "en",
            True,
            "48 people detained, Jun 2010-Aug 2010; the month with most detained is not named, to protect small counts.",
        ),
        (
            "withheld_group",
            "detentions",
            "en",
            False,
            "June 2010: Kazakhstan detained 38 nationals of Uzbekistan; 0 of them were UNHCR refugees.",
        ),
        # Kyrgyzstan's 6 is withheld: no host named; the one month is still the largest.
        (
            "hosts",
            "map",
            "en",
            True,
            "28 people detained, Jun 2010; the country where most were detained is not named, to protect small counts.",
        ),
        (
            "hosts",
            "map",
            "ru",
            True,
            "Задержаны: 28 человек (июнь 2010); страна, где задержано больше всего людей, не называется, "
            "чтобы защитить малые числа.",
        ),
        (
            "hosts",
            "map",
            "kk",
            True,
            "Ұсталғандар: 28 адам (2010\u202fж. мау.); шағын сандарды қорғау үшін ең көп адам ұсталған ел аталмайды.",
        ),
        ("hosts", "map", "en", False, "Most people were detained in Kazakhstan: 20 people of 28."),
        (
            "hosts",
            "detentions",
            "en",
            True,
            "The most detained in one month: 28 people, in June 2010; 0 of them were UNHCR refugees.",
        ),
        # Uzbekistan is shown and above the <5: named, without a share of the withheld total.
        (
            "withheld_total",
            "nationalities",
            "en",
            True,
            "Nationals of Uzbekistan were the largest group of the x people (withheld) detained.",
        ),
        (
            "withheld_total",
            "map",
            "en",
            True,
            "x people (withheld) detained, Jan 2010-Feb 2010; the country where most were detained is not "
            "named, to protect small counts.",
        ),
    ],
)
def test_a_takeaway_names_the_largest_only_when_what_is_shown_makes_it_so(
    dataset_from, case, scene, lang, public, sentence
):
    view = build_view(dataset_from(incidents=CASES[case]), Filters(), locale=lang, public=public)
    assert registry.TAKEAWAYS[scene](view, lang) == sentence


def test_the_constructed_case_is_protected_as_described(dataset_from):
    """The screen the constructed case is about: 13 in all, months x, <5 and 6."""
    view = build_view(dataset_from(incidents=CONSTRUCTED), Filters(), public=True)
    assert view.key_figure_text["people_detained"] == "13"
    assert view.charts["detentions"]["totals"]["people_text"].tolist() == ["x", "<5", "6"]
