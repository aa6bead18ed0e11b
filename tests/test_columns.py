"""Columns handled one distinct value at a time (refugee_stats.columns), and the code-based
aggregations and filters built on them: hand-computed expectations, and the same answers
whether a column's codes are remembered or computed afresh."""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest

from refugee_stats import aggregate, columns, dates
from refugee_stats.filters import Filters


def text(values: list[str | None]) -> pd.Series:
    return pd.Series(values, dtype="string")


def test_whitespace_is_exactly_what_str_strip_removes():
    sample = "".join(chr(c) for c in range(0x3100))
    assert {ch for ch in sample if ch.isspace()} == {ch for ch in columns.WHITESPACE if ord(ch) < 0x3100}
    assert "\u00a0x\u3000".strip(columns.WHITESPACE) == "\u00a0x\u3000".strip() == "x"


@pytest.mark.parametrize(
    ("n", "dtype"), [(0, np.int8), (126, np.int8), (127, np.int16), (40_000, np.int32), (2**31, np.int64)]
)
def test_compact_codes_take_the_smallest_type(n, dtype):
    assert columns.compact(np.array([-1, 0]), n).dtype == dtype


def test_factorize_text_codes_in_order_of_appearance_with_missing_as_minus_one():
    found, uniques = columns.factorize(text(["KAZ", "UZB", None, "KAZ"]))
    assert found.tolist() == [0, 1, -1, 0]
    assert list(uniques) == ["KAZ", "UZB"]


def test_factorize_categorical_keeps_only_categories_in_use():
    cat = pd.Series(pd.Categorical(["b", None, "b"], categories=["a", "b", "c"]))
    found, uniques = columns.factorize(cat)
    assert found.tolist() == [0, -1, 0]
    assert list(uniques) == ["b"]


def test_per_value_calls_the_function_once_per_distinct_value():
    calls: list[str] = []

    def shout(value: str) -> str:
        calls.append(value)
        return value.upper()

    out = columns.per_value(text(["a", "b", "a", None, "a"]), shout, dtype=object, missing="?")
    assert out.tolist() == ["A", "B", "A", "?", "A"]
    assert calls == ["a", "b"]
    with pytest.raises(ValueError, match="missing"):
        columns.per_value(text(["a", None]), shout)


def test_isin_and_equals_by_codes_never_match_missing():
    s = text(["KAZ", None, "UZB", "KGZ"])
    assert columns.isin(s, ["KAZ", "KGZ"]).tolist() == [True, False, False, True]
    assert columns.equals(s, "UZB").tolist() == [False, False, True, False]
    assert columns.isin(s, []).tolist() == [False] * 4


def test_codes_are_remembered_while_the_column_lives_and_follow_selected_rows():
    frame = pd.DataFrame({"host": text(["KAZ", "UZB", "KAZ", "TJK"]), "people": [1, 2, 3, 4]})
    assert not columns.remembered(frame["host"])
    found, uniques = columns.codes(frame["host"])
    assert (found.tolist(), list(uniques)) == ([0, 1, 0, 2], ["KAZ", "UZB", "TJK"])
    assert columns.remembered(frame["host"])
    kept = columns.select(frame, np.array([False, True, True, False]))
    pd.testing.assert_frame_equal(kept, frame.iloc[[1, 2]])
    assert columns.remembered(kept["host"])
    assert columns.codes(kept["host"])[0].tolist() == [1, 0]  # the parent's codes, rows 1 and 2
    # A changed column is a new array: its codes are worked out again, never reused.
    changed = kept.assign(host=text(["TJK", "TJK"]).set_axis(kept.index))
    assert not columns.remembered(changed["host"])
    assert columns.codes(changed["host"])[0].tolist() == [0, 0]


def test_snapshot_and_restore_carry_codes_through_pickling():
    frame = pd.DataFrame({"host": text(["KAZ", "UZB"])})
    columns.codes(frame["host"])
    saved = columns.snapshot(frame)
    copy = pickle.loads(pickle.dumps(frame))
    assert not columns.remembered(copy["host"])
    columns.restore(copy, saved)
    assert columns.remembered(copy["host"])
    assert columns.codes(copy["host"])[0].tolist() == [0, 1]


# -- dates: periods by month arithmetic --------------------------------------------------------


def test_period_numbers_and_timestamps():
    starts = pd.Series(pd.to_datetime(["1969-12-15", "1970-01-01", "2010-06-20", "2010-11-30", None]))
    months, missing = dates.period_numbers(starts.astype("datetime64[s]"), "month")
    assert months[:4].tolist() == [-1, 0, 485, 490]  # (2010 - 1970) * 12 + 5 = 485
    assert missing.tolist() == [False, False, False, False, True]
    quarters, _ = dates.period_numbers(starts.astype("datetime64[s]"), "quarter")
    assert quarters[:4].tolist() == [-3, 0, 483, 489]
    years, _ = dates.period_numbers(starts.astype("datetime64[s]"), "year")
    assert years[:4].tolist() == [-12, 0, 480, 480]
    assert dates.months_to_timestamps(np.array([485, -3])).astype(str).tolist() == [
        "2010-06-01T00:00:00",
        "1969-10-01T00:00:00",
    ]


@pytest.mark.parametrize("granularity", ["month", "quarter", "year"])
def test_period_start_and_end_match_pandas_periods(granularity):
    days = pd.Series(pd.date_range("1999-11-03", periods=900, freq="37D")).astype("datetime64[s]")
    freq = dates.GRANULARITY_FREQ[granularity]
    expected = days.dt.to_period(freq).dt.start_time.astype("datetime64[s]")
    got = dates.period_start(days, granularity)
    pd.testing.assert_series_equal(got, expected)
    ends = dates.period_end(got, granularity)
    pd.testing.assert_series_equal(
        ends, got.dt.to_period(freq).dt.end_time.dt.normalize().astype("datetime64[s]")
    )


@pytest.mark.parametrize(
    ("text_", "expected"),
    [
        ("2010-06-15", ("2010-06-15", "2010-06-15", "day")),
        ("2012-02", ("2012-02-01", "2012-02-29", "month")),
        ("2010-Q3", ("2010-07-01", "2010-09-30", "quarter")),
        ("2010-q1", ("2010-01-01", "2010-03-31", "quarter")),
        (" 2011 ", ("2011-01-01", "2011-12-31", "year")),
        ("2010-02-30", None),
        ("1899", None),
        ("2010-13", None),
    ],
)
def test_span_agrees_with_parse(text_, expected):
    found = dates.span(text_)
    assert (None if found is None else (str(found[0]), str(found[1]), found[2])) == expected
    period = dates.parse(text_)
    assert (period is None) == (found is None)
    if period is not None:
        assert (period.start_time.date(), period.end_time.date(), dates.precision(period)) == found


# -- aggregations by codes, against the same data with codes worked out afresh -------------------


INCIDENTS = """
    incident_id,date,host_country,type,nationality,people,unhcr_refugees,source,illustrative
    A,2010-06,KAZ,detention,UZB,29,17,IWPR,false
    B,2010-06-20,KAZ,detention,TJK,4,,Illustrative,true
    B,2010-06-20,KAZ,detention,AFG,2,1,Illustrative,true
    C,2010-Q3,KGZ,detention,UZB,5,0,HRW,false
    D,2010,KAZ,detention,UZB,3,3,HRW,false
    E,2010-07-02,KAZ,deportation,UZB,6,,HRW,false
    F,2011-01-10,KAZ,extradition,TJK,1,1,HRW,false
    G,2011-02,TJK,detention,AFG,7,,HRW,false
"""
STATUS = """
    record_id,date,host_country,nationality,authority,decision,people,unit,source
    S1,2010-06,KAZ,UZB,national,revoked,17,,IWPR
    S2,2010-08-05,KAZ,UZB,unhcr,recognized,3,persons,UNHCR
    S3,2010-Q4,KGZ,UZB,national,rejected,2,cases,HRW
    S4,2011,KAZ,TJK,joint,applied,4,,HRW
    S5,2011-02-01,TJK,AFG,national,revoked,5,,HRW
"""


@pytest.fixture
def data(dataset_from):
    return dataset_from(incidents=INCIDENTS, status=STATUS)


def fresh(frame: pd.DataFrame) -> pd.DataFrame:
    """The same rows with new arrays: no codes remembered."""
    return pickle.loads(pickle.dumps(frame))


def test_loaded_text_columns_have_their_codes_at_hand(data):
    for name in ("host_country", "nationality", "type", "source"):
        assert columns.remembered(data.incidents[name]), name
    for name in ("authority", "decision", "unit"):
        assert columns.remembered(data.status[name]), name
    assert not columns.remembered(data.incidents["incident_id"])  # identifiers: worked out when needed
    again = pickle.loads(pickle.dumps(data))  # as Streamlit's cache does on every rerun
    assert columns.remembered(again.incidents["nationality"])
    assert columns.remembered(again.incidents["incident_id"])
    pd.testing.assert_frame_equal(again.incidents, data.incidents)


def test_key_figures_by_hand(data):
    figures = aggregate.key_figures(data.incidents, data.status)
    assert figures == aggregate.KeyFigures(
        people_detained=50,  # 29 + 4 + 2 + 5 + 3 + 7
        incidents=7,  # A-G; B has two rows
        unhcr_refugees=21,  # 17 + 1 + 0 + 3; B/TJK and G unknown
        unhcr_unknown=11,  # 4 + 7
        revocations=22,  # 17 + 5; persons only
        people_removed=7,  # deportation 6 + extradition 1
        people_decided=29,  # 17 + 3 + 4 + 5; S3 counts cases
    )
    assert aggregate.key_figures(fresh(data.incidents), fresh(data.status)) == figures


def test_detentions_by_period_by_hand(data):
    out = aggregate.detentions_by_period(data.incidents, "quarter", keep=["UZB", "TJK"])
    assert out.astype({"period_start": str}).astype(object).where(out.notna(), None).values.tolist() == [
        ["2010-04-01", "TJK", 4, None, 4],  # status unknown: blank, not 0
        ["2010-04-01", "UZB", 29, 17, 0],
        ["2010-04-01", "_other", 2, 1, 0],  # AFG
        ["2010-07-01", "UZB", 5, 0, 0],
        ["2011-01-01", "_other", 7, None, 7],  # AFG, status unknown
    ]
    assert [str(t) for t in out.dtypes] == ["datetime64[s]", "string", "int64", "Int64", "int64"]


def test_decisions_and_unplaced_by_hand(data):
    out = aggregate.decisions_by_period(data.status, "year")
    assert out.astype({"period_start": str}).values.tolist() == [
        ["2010-01-01", "national", "revoked", 17],
        ["2010-01-01", "unhcr", "recognized", 3],
        ["2011-01-01", "joint", "applied", 4],
        ["2011-01-01", "national", "revoked", 5],
    ]  # S3 counts cases: never added to persons
    unplaced = aggregate.unplaced(data.status, "month")
    assert unplaced.values.tolist() == [["quarter", 1, 2], ["year", 1, 4]]
    assert aggregate.sources(data.incidents, data.status) == ["HRW", "IWPR", "Illustrative", "UNHCR"]
    assert aggregate.top_nationalities(data.incidents, n=2) == ["UZB", "AFG"]  # 37, then 9 over TJK's 4


FILTERS = [
    Filters(),
    Filters(host_countries=("KAZ",), granularity="quarter"),
    Filters(nationalities=("UZB", "AFG"), date_from="2010-06", date_to="2010-12"),
    Filters(types=("detention",), include_illustrative=False, granularity="year"),
    Filters(host_countries=("TKM",)),
]


@pytest.mark.parametrize("filters", FILTERS)
def test_remembered_and_fresh_codes_give_the_same_frames(data, filters):
    pairs = [(data.incidents, data.status), (fresh(data.incidents), fresh(data.status))]
    results = []
    for incidents, status in pairs:
        inc, st = filters.apply_incidents(incidents), filters.apply_status(status)
        g = filters.granularity
        results.append(
            [
                inc,
                st,
                aggregate.detentions_by_period(inc, g),
                aggregate.decisions_by_period(st, g),
                aggregate.unplaced(aggregate.detentions(inc), g),
                aggregate.unplaced(aggregate.persons(st), g),
                aggregate.with_periods(inc, g),
            ]
        )
        assert aggregate.key_figures(inc, st) == aggregate.key_figures(fresh(inc), fresh(st))
    for remembered, computed in zip(*results, strict=True):
        pd.testing.assert_frame_equal(remembered, computed)


def test_filters_keep_the_rows_pandas_would(data):
    f = Filters(host_countries=("KAZ",), nationalities=("UZB",), date_from="2010-06", date_to="2010-12")
    inc = data.incidents
    expected = inc[
        (inc["date_start"] >= f.start)
        & (inc["date_end"] <= f.end)
        & inc["host_country"].isin(f.host_countries)
        & inc["nationality"].isin(f.nationalities)
    ]
    pd.testing.assert_frame_equal(f.apply_incidents(inc), expected)
    assert f.apply_incidents(inc)["incident_id"].tolist() == ["A", "E"]


@pytest.mark.parametrize("filters", FILTERS)
def test_shortcuts_equal_the_frames_they_replace(data, filters):
    from refugee_stats import maps

    inc, st = filters.apply_incidents(data.incidents), filters.apply_status(data.status)
    g = filters.granularity
    pd.testing.assert_frame_equal(
        aggregate.unplaced_detentions(inc, g), aggregate.unplaced(aggregate.detentions(inc), g)
    )
    pd.testing.assert_frame_equal(
        aggregate.unplaced_persons(st, g), aggregate.unplaced(aggregate.persons(st), g)
    )
    for by in ("host_country", "nationality"):
        held = aggregate.detentions(inc)
        pandas_way = held.groupby(by, as_index=False, observed=True)["people"].sum()
        pandas_way = pandas_way.astype({by: "string", "people": "int64"})
        pandas_way = pandas_way.sort_values(["people", by], ascending=[False, True], kind="stable")
        pd.testing.assert_frame_equal(aggregate.detained_by(inc, by), pandas_way.reset_index(drop=True))
        pd.testing.assert_frame_equal(maps.detentions_by_country(inc, by), pandas_way.reset_index(drop=True))


def test_detained_by_hand(data):
    out = aggregate.detained_by(data.incidents, "nationality")
    assert out.values.tolist() == [["UZB", 37], ["AFG", 9], ["TJK", 4]]  # 29 + 5 + 3; 2 + 7; 4
    assert aggregate.unplaced_detentions(data.incidents, "month").values.tolist() == [
        ["quarter", 1, 5],
        ["year", 1, 3],
    ]


@pytest.mark.parametrize("filters", FILTERS)
def test_a_view_takes_its_rows_only_when_asked_and_gives_what_the_filters_keep(data, filters):
    from refugee_stats.view import build_view, records

    view = build_view(data, filters)
    assert "incidents" not in vars(view) and "status" not in vars(view)  # nothing copied yet
    expected_incidents = filters.apply_incidents(data.incidents)
    expected_status = filters.apply_status(data.status)
    assert view.selection.count == len(expected_incidents) + len(expected_status)
    assert "incidents" not in vars(view)
    for limit in (0, 1, 2, len(expected_incidents) + 1, 1000):
        pd.testing.assert_frame_equal(records(view, limit=limit), records(view).head(limit))
    pd.testing.assert_frame_equal(view.selection.incidents, expected_incidents)
    pd.testing.assert_frame_equal(view.selection.status, expected_status)
    assert view.selection.illustrative_count == int(
        expected_incidents["illustrative"].sum() + expected_status["illustrative"].sum()
    )
    assert view.empty == (expected_incidents.empty and expected_status.empty)


def test_every_output_leaves_the_shared_dataset_as_loaded(data):
    """The dashboard shares one loaded Dataset between reruns and sessions (st.cache_resource):
    nothing built from it may change it."""
    from refugee_stats import registry
    from refugee_stats.registry import figures
    from refugee_stats.view import build_view, map_figures, records

    before = {name: getattr(data, name).copy(deep=True) for name in ("incidents", "status", "timeline")}
    for filters in FILTERS:
        for public in (False, True):
            view = build_view(data, filters, locale="ru", public=public)
            figures(view), map_figures(view), records(view), records(view, limit=1)
            registry.chart_data(view, "ru")
            [takeaway(view, "ru") for takeaway in registry.TAKEAWAYS.values()]
    for name, frame in before.items():
        pd.testing.assert_frame_equal(getattr(data, name), frame)
