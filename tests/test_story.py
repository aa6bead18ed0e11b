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
    ],
)
def test_founding_case_takeaways(sample, scene, lang, sentence):
    assert registry.TAKEAWAYS[scene](build_view(sample, FOUNDING_CASE), lang) == sentence


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


def test_nothing_in_view(sample):
    view = build_view(sample, Filters(host_countries=("TKM",), nationalities=("TKM",)))
    assert story.key_figures(view, "en") == "Nothing in this view."
    assert story.detentions(view, "ru") == "Нет задержаний, подходящих под эти фильтры."
