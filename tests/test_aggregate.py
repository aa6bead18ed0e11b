"""Aggregations on a small hand-checked dataset: inputs and expected outputs side by side."""

from __future__ import annotations

import pandas as pd
import pytest

from refugee_stats import aggregate
from refugee_stats.aggregate import OTHER

INCIDENTS = """
    incident_id,date,host_country,type,nationality,people,unhcr_refugees,source,illustrative
    A,2010-06,KAZ,detention,UZB,29,17,IWPR,false
    B,2010-06-20,KAZ,detention,TJK,4,,Illustrative,true
    B,2010-06-20,KAZ,detention,AFG,2,1,Illustrative,true
    C,2010-Q3,KGZ,detention,UZB,5,0,HRW,false
    D,2010,KAZ,detention,UZB,3,3,HRW,false
    E,2010-07-02,KAZ,deportation,UZB,6,,HRW,false
    F,2011-01-10,KAZ,extradition,TJK,1,1,HRW,false
"""
STATUS = """
    record_id,date,host_country,nationality,authority,decision,people,incident_id,source
    S1,2010-06,KAZ,UZB,national,revoked,17,A,IWPR
    S2,2010-08-05,KAZ,UZB,unhcr,recognized,3,,UNHCR
    S3,2010-Q4,KGZ,UZB,national,rejected,2,C,HRW
    S4,2011,KAZ,TJK,joint,applied,4,,HRW
"""


@pytest.fixture
def data(dataset_from):
    return dataset_from(incidents=INCIDENTS, status=STATUS)


def rows(frame: pd.DataFrame) -> list[tuple]:
    out = frame.astype({"period_start": str}).astype(object)
    return [tuple(None if pd.isna(v) else v for v in r) for r in out.itertuples(index=False)]


@pytest.mark.parametrize(
    ("granularity", "expected"),
    [
        # period, nationality, people, unhcr_refugees (None: no status recorded), unhcr_unknown
        (
            "month",
            [
                ("2010-06-01", "AFG", 2, 1, 0),
                ("2010-06-01", "TJK", 4, None, 4),
                ("2010-06-01", "UZB", 29, 17, 0),
            ],
        ),
        (
            "quarter",
            [
                ("2010-04-01", "AFG", 2, 1, 0),
                ("2010-04-01", "TJK", 4, None, 4),
                ("2010-04-01", "UZB", 29, 17, 0),
                ("2010-07-01", "UZB", 5, 0, 0),
            ],
        ),
        (
            "year",
            [
                ("2010-01-01", "AFG", 2, 1, 0),
                ("2010-01-01", "TJK", 4, None, 4),
                ("2010-01-01", "UZB", 37, 20, 0),
            ],
        ),
    ],
)
def test_detentions_by_period(data, granularity, expected):
    assert rows(aggregate.detentions_by_period(data.incidents, granularity)) == expected


@pytest.mark.parametrize(
    ("granularity", "expected"),
    [
        ("month", [("quarter", 1, 5), ("year", 1, 3)]),
        ("quarter", [("year", 1, 3)]),
        ("year", []),
    ],
)
def test_unplaced_detentions(data, granularity, expected):
    out = aggregate.unplaced(aggregate.detentions(data.incidents), granularity)
    assert [tuple(r) for r in out.itertuples(index=False)] == expected


def test_top_nationalities_and_other(data):
    assert aggregate.top_nationalities(data.incidents) == ["UZB", "TJK", "AFG"]
    assert aggregate.top_nationalities(data.incidents, n=1) == ["UZB"]
    out = aggregate.detentions_by_period(data.incidents, "year", keep=["UZB"])
    assert rows(out) == [("2010-01-01", "UZB", 37, 20, 0), ("2010-01-01", OTHER, 6, 1, 4)]


@pytest.mark.parametrize(
    ("granularity", "expected"),
    [
        ("month", [("2010-06-01", "national", "revoked", 17), ("2010-08-01", "unhcr", "recognized", 3)]),
        (
            "quarter",
            [
                ("2010-04-01", "national", "revoked", 17),
                ("2010-07-01", "unhcr", "recognized", 3),
                ("2010-10-01", "national", "rejected", 2),
            ],
        ),
        (
            "year",
            [
                ("2010-01-01", "national", "rejected", 2),
                ("2010-01-01", "national", "revoked", 17),
                ("2010-01-01", "unhcr", "recognized", 3),
                ("2011-01-01", "joint", "applied", 4),
            ],
        ),
    ],
)
def test_decisions_by_period(data, granularity, expected):
    assert rows(aggregate.decisions_by_period(data.status, granularity)) == expected


def test_key_figures(data):
    figures = aggregate.key_figures(data.incidents, data.status)
    assert figures == aggregate.KeyFigures(
        people_detained=43,  # 29 + 4 + 2 + 5 + 3
        incidents=6,  # A-F; B has two rows
        unhcr_refugees=21,  # 17 + 1 + 0 + 3; B/TJK unknown
        unhcr_unknown=4,
        revocations=17,
        people_removed=7,  # deportation 6 + extradition 1
        people_decided=26,  # 17 + 3 + 2 + 4, all persons
    )


def test_key_figures_with_no_status_recorded_say_unknown_not_zero(data):
    unknown = data.incidents[data.incidents["unhcr_refugees"].isna()]  # B/TJK (4), E (6)
    figures = aggregate.key_figures(unknown, data.status.iloc[0:0])
    assert figures.unhcr_refugees is None
    assert figures.unhcr_unknown == 4  # detentions only: E is a deportation


def test_key_figures_of_nothing(data):
    figures = aggregate.key_figures(data.incidents.iloc[0:0], data.status.iloc[0:0])
    assert figures == aggregate.KeyFigures(0, 0, 0, 0, 0, 0)


def test_sources_most_records_first(data):
    assert aggregate.sources(data.incidents, data.status) == ["HRW", "IWPR", "Illustrative", "UNHCR"]


def test_has_illustrative(data):
    assert aggregate.has_illustrative(data.incidents)
    assert not aggregate.has_illustrative(data.incidents[~data.incidents["illustrative"]], data.status)


@pytest.mark.parametrize(
    ("granularity", "expected"),
    [("month", "quarter"), ("quarter", "year"), ("year", None)],
)
def test_granularity_to_place_is_the_finest_unplaced_precision(data, granularity, expected):
    unplaced = aggregate.unplaced_detentions(data.incidents, granularity)
    assert aggregate.granularity_to_place(unplaced) == expected
    assert aggregate.granularity_to_place(None) is None


HEADER = "incident_id,date,host_country,type,nationality,people,unhcr_refugees,source\n"
STATUS_HEADER = "record_id,date,host_country,nationality,authority,decision,people,unit,source\n"


@pytest.mark.parametrize(
    ("incidents", "status", "expected"),
    [
        pytest.param(
            "A,2010-06,KAZ,detention,UZB,29,17,X\nB,2010-07-02,KAZ,detention,UZB,3,,X\n",
            "",
            "month",
            id="monthly",
        ),
        pytest.param(
            "A,2010-Q1,GBR,detention,AFG,599,,X\nB,2010-Q2,GBR,detention,ALB,129,,X\n",
            "",
            "quarter",
            id="quarterly",
        ),
        pytest.param("", "S,2010,KAZ,UZB,unhcr,recognized,40,persons,X\n", "year", id="yearly-decisions"),
        # month 10 of 40 people: too few; month and quarter 40 of 40
        pytest.param(
            "A,2010-06,KAZ,detention,UZB,10,,X\nB,2010-Q3,KAZ,detention,UZB,30,,X\n",
            "",
            "quarter",
            id="mixed",
        ),
        # month 20 of 40: exactly half is enough
        pytest.param(
            "A,2010-06,KAZ,detention,UZB,20,,X\nB,2010-Q3,KAZ,detention,UZB,20,,X\n",
            "",
            "month",
            id="mixed-half",
        ),
        # detentions 5 a month, 10 a quarter; decisions 20 a year: month 5, quarter 15 of 35
        pytest.param(
            "A,2010-06,KAZ,detention,UZB,5,,X\nB,2010-Q3,KAZ,detention,UZB,10,,X\n",
            "S,2010,KAZ,UZB,unhcr,recognized,20,persons,X\n",
            "year",
            id="mixed-with-decisions",
        ),
        # not charted: deportations and decisions counted in cases
        pytest.param(
            "A,2010-06,KAZ,detention,UZB,5,,X\nB,2010-Q3,KAZ,deportation,UZB,50,,X\n",
            "S,2010,KAZ,UZB,unhcr,recognized,90,cases,X\n",
            "month",
            id="only-charted-rows-count",
        ),
        pytest.param("", "", "month", id="nothing"),
    ],
)
def test_default_granularity(dataset_from, incidents, status, expected):
    data = dataset_from(incidents=HEADER + incidents, status=STATUS_HEADER + status)
    assert aggregate.default_granularity(data.incidents, data.status) == expected


def test_default_granularity_of_the_rows_in_view(data):
    quarterly = (data.incidents["date_precision"] == "quarter").to_numpy()
    nothing = data.status["people"].to_numpy() < 0
    assert aggregate.default_granularity(data.incidents, data.status) == "month"
    assert aggregate.default_granularity(data.incidents, data.status, quarterly, nothing) == "quarter"
