"""Short chart descriptions: what each registered chart plots, its range and largest value, in words."""

from __future__ import annotations

import re

import pytest

from refugee_stats import registry
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


def test_every_registered_chart_is_described(sample):
    view = build_view(sample, FOUNDING_CASE)
    assert set(registry.descriptions(view)) == set(registry.BY_KEY)


@pytest.mark.parametrize(
    ("lang", "chart", "text"),
    [
        (
            "en",
            "detentions",
            "Bar chart of the people detained per month, Jun 2010, stacked by nationality (1 shown); "
            "most in June 2010 (29).",
        ),
        (
            "en",
            "pipeline",
            "Flow diagram: 29 people detained; 17 of them UNHCR refugees, 0 of unknown status; "
            "17 refugees had their status revoked.",
        ),
        (
            "en",
            "decisions",
            "Bar chart of refugee-status decisions per month, by authority and decision, Jun 2010; "
            "status revocations: 17.",
        ),
        (
            "ru",
            "pipeline",
            "Диаграмма потоков: задержано 29; из них беженцы УВКБ ООН — 17, статус не указан — 0; "
            "лишены статуса беженца — 17.",
        ),
        (
            "ru",
            "nationalities",
            "Столбчатая диаграмма: доля каждого гражданства среди задержанных по месяцам, июнь 2010; "
            "больше всего задержанных за весь срок — Узбекистан (29).",
        ),
        (
            "kk",
            "pipeline",
            "Ағын диаграммасы: ұсталған адамдар — 29; оның ішінде БЖКБ босқындары — 17, "
            "мәртебесі көрсетілмеген — 0; босқын мәртебесінен айырылғандар — 17.",
        ),
    ],
)
def test_founding_case_descriptions(sample, lang, chart, text):
    view = build_view(sample, FOUNDING_CASE, locale=lang, public=True)
    assert registry.descriptions(view)[chart] == text


def test_a_span_of_periods_and_the_peak(sample):
    view = build_view(sample, Filters(granularity="quarter"))
    text = registry.descriptions(view)["detentions"]
    assert "per quarter, Q1 2008 – Q4 2012" in text
    # The sample's largest quarter, as the chart's totals give it.
    totals = view.charts["detentions"]["totals"]
    peak = totals.loc[totals["people"].idxmax()]
    assert text.endswith(f"most in Q2 2010 ({int(peak['people'])}).")


def test_public_descriptions_never_show_a_count_under_five(dataset_from):
    data = dataset_from(
        incidents="""
        incident_id,date,host_country,type,nationality,people,unhcr_refugees,source
        A,2011-03,KGZ,detention,AFG,3,2,Monitor
        B,2011-04,KGZ,detention,AFG,1,1,Monitor
        """
    )
    # Public: both counts are <5, so no month is named the largest (which of two <5 is larger
    # is more than the page shows: beside a total of 7, it would pin both).
    for public, expected in (
        (True, "stacked by nationality (1 shown)."),
        (False, "stacked by nationality (1 shown); most in March 2011 (3)."),
    ):
        view = build_view(data, Filters(), public=public)
        texts = registry.descriptions(view)
        assert texts["detentions"].endswith(expected)
        if public:
            for text in texts.values():
                # No count 1-4 outside a date (years, days) or a count of groups shown.
                counts = re.findall(r"(?<![\w.])([1-4])(?![\w.])", text.replace("(1 shown)", ""))
                assert counts == [], text


def test_a_chart_that_draws_nothing_is_not_described(dataset_from):
    """Quarterly records on a monthly chart: the chart says which period draws them; no
    description claims that nothing matches while the key figures count them."""
    data = dataset_from(
        incidents="""
        incident_id,date,host_country,type,nationality,people,unhcr_refugees,source
        Q1,2015-Q1,GBR,detention,ALB,120,,Home Office
        """
    )
    texts = registry.descriptions(build_view(data, Filters(granularity="month")))
    assert (texts["detentions"], texts["nationalities"], texts["decisions"]) == ("", "", "")
    assert texts["pipeline"].startswith("Flow diagram: 120 people detained")


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Flow diagram: 120 people detained; no record states whether they held UNHCR refugee status."),
        (
            "ru",
            "Диаграмма потоков: задержано 120; ни в одной записи не указано, был ли у них статус беженца УВКБ ООН.",
        ),
    ],
)
def test_unknown_status_is_never_described_as_zero_refugees(dataset_from, lang, text):
    """Official statistics state no UNHCR status: the pipeline's description says so, never "0 of them"."""
    data = dataset_from(
        incidents="""
        incident_id,date,host_country,type,nationality,people,unhcr_refugees,source
        Q1,2015-Q1,GBR,detention,ALB,120,,Home Office
        """
    )
    assert registry.descriptions(build_view(data, Filters(), locale=lang))["pipeline"] == text
