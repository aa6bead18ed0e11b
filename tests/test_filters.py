"""Filters: applying them to frames, describing them as a sentence, refusing bad values."""

from __future__ import annotations

import pytest

from refugee_stats.filters import Filters, data_months

INCIDENTS = """
    incident_id,date,host_country,type,nationality,people,unhcr_refugees,source,illustrative
    A,2010-06,KAZ,detention,UZB,29,17,IWPR,false
    B,2010-06-20,KAZ,detention,TJK,4,,Illustrative,true
    C,2010-Q3,KGZ,detention,UZB,5,0,HRW,false
    D,2010,KAZ,detention,UZB,3,3,HRW,false
    E,2010-07-02,KAZ,deportation,UZB,6,,HRW,false
    F,2011-01-10,TJK,extradition,AFG,1,1,HRW,false
"""
STATUS = """
    record_id,date,host_country,nationality,authority,decision,people,source
    S1,2010-06,KAZ,UZB,national,revoked,17,IWPR
    S2,2011-Q1,KGZ,UZB,unhcr,recognized,3,UNHCR
"""
TIMELINE = """
    date,end_date,host_country,label,source
    2010,,KAZ,Procedure moves to national authorities,IWPR
    2011-03-15,2011-03-16,KAZ,Almaty conference,IWPR
    2009-05-01,,,Everywhere event,X
    2012-01,2012-03,TJK,Tajik period,X
"""


@pytest.fixture
def data(dataset_from):
    return dataset_from(incidents=INCIDENTS, status=STATUS, timeline=TIMELINE)


@pytest.mark.parametrize(
    ("filters", "incident_ids"),
    [
        (Filters(), ["A", "B", "C", "D", "E", "F"]),
        (Filters(host_countries=("KAZ",)), ["A", "B", "D", "E"]),
        (Filters(host_countries=("KAZ", "TJK")), ["A", "B", "D", "E", "F"]),
        (Filters(nationalities=("UZB",)), ["A", "C", "D", "E"]),
        (Filters(types=("deportation", "extradition")), ["E", "F"]),
        (Filters(include_illustrative=False), ["A", "C", "D", "E", "F"]),
        # whole date interval must lie in the range: the year-dated D is not inside Jun-Dec 2010
        (Filters(date_from="2010-06", date_to="2010-12"), ["A", "B", "C", "E"]),
        (Filters(date_from="2010-07", date_to="2010-09"), ["C", "E"]),
        (Filters(date_from="2010-01", date_to="2010-12"), ["A", "B", "C", "D", "E"]),
        (Filters(date_from="2011-01"), ["F"]),
        (Filters(date_to="2010-06"), ["A", "B"]),
        (
            Filters(host_countries=("KAZ",), nationalities=("UZB",), date_from="2010-06", date_to="2010-06"),
            ["A"],
        ),
        (Filters(host_countries=("TKM",)), []),
    ],
)
def test_apply_incidents(data, filters, incident_ids):
    assert filters.apply_incidents(data.incidents)["incident_id"].tolist() == incident_ids


def test_types_do_not_apply_to_status(data):
    assert Filters(types=("release",)).apply_status(data.status)["record_id"].tolist() == ["S1", "S2"]
    assert Filters(date_to="2010-12").apply_status(data.status)["record_id"].tolist() == ["S1"]


@pytest.mark.parametrize(
    ("filters", "labels"),
    [
        (
            Filters(),
            [
                "Everywhere event",
                "Procedure moves to national authorities",
                "Almaty conference",
                "Tajik period",
            ],
        ),
        # events overlapping the range count; blank host means everywhere
        (
            Filters(host_countries=("KAZ",), date_from="2010-06", date_to="2011-12"),
            ["Procedure moves to national authorities", "Almaty conference"],
        ),
        (Filters(host_countries=("TJK",)), ["Everywhere event", "Tajik period"]),
        (Filters(date_from="2012-03"), ["Tajik period"]),
    ],
)
def test_apply_timeline(data, filters, labels):
    assert sorted(filters.apply_timeline(data.timeline)["label"], key=labels.index) == labels
    assert len(filters.apply_timeline(data.timeline)) == len(labels)


@pytest.mark.parametrize(
    ("filters", "sentence"),
    [
        (Filters(), "All host countries - all nationalities - all dates"),
        (
            Filters(host_countries=("KAZ",), nationalities=("UZB",), date_from="2009-01", date_to="2011-12"),
            "Kazakhstan - Uzbekistan - 2009-2011",
        ),
        (
            Filters(host_countries=("KAZ",), nationalities=("UZB",), date_from="2010-06", date_to="2010-06"),
            "Kazakhstan - Uzbekistan - Jun 2010",
        ),
        (
            Filters(date_from="2010-03", date_to="2011-02"),
            "All host countries - all nationalities - Mar 2010-Feb 2011",
        ),
        (Filters(date_from="2010-01", date_to="2010-12"), "All host countries - all nationalities - 2010"),
        (Filters(date_from="2010-06"), "All host countries - all nationalities - from Jun 2010"),
        (Filters(date_to="2010-06"), "All host countries - all nationalities - until Jun 2010"),
        (Filters(host_countries=("UZB", "KGZ")), "Kyrgyzstan, Uzbekistan - all nationalities - all dates"),
        (
            Filters(host_countries=("KAZ", "KGZ", "TJK", "UZB")),
            "4 host countries - all nationalities - all dates",
        ),
        (
            Filters(types=("extradition", "detention"), include_illustrative=False),
            "All host countries - all nationalities - all dates - detention, extradition - real records only",
        ),
        (
            Filters(types=("detention", "release", "extradition", "deportation", "forced_return")),
            "All host countries - all nationalities - all dates",
        ),
    ],
)
def test_describe(filters, sentence):
    assert filters.describe() == sentence


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"date_from": "2011-01", "date_to": "2010-01"}, "after"),
        ({"date_from": "June"}, "not a month"),
        ({"granularity": "week"}, "granularity"),
        ({"types": ("arrest",)}, "unknown incident types"),
    ],
)
def test_bad_filters_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Filters(**kwargs)


def test_filters_are_values():
    assert Filters(host_countries=("KAZ",)) == Filters(host_countries=("KAZ",))
    assert hash(Filters()) == hash(Filters())
    assert Filters().with_(granularity="year").granularity == "year"


def test_data_months(data):
    assert data_months(data.incidents, data.status) == ("2010-01", "2011-03")
    assert data_months(data.incidents.iloc[0:0]) is None
