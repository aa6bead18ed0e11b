"""Dates of known precision: parsing, intervals, chart periods and labels (refugee_stats.dates)."""

from __future__ import annotations

import pandas as pd
import pytest

from refugee_stats import dates, i18n

TODAY = pd.Timestamp("2026-11-26")


# -- parse / is_valid / precision ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected", "precision"),
    [
        pytest.param("2010-06-15", pd.Period("2010-06-15", freq="D"), "day", id="day"),
        pytest.param("2012-02-29", pd.Period("2012-02-29", freq="D"), "day", id="leap-day"),
        pytest.param("1900-01-01", pd.Period("1900-01-01", freq="D"), "day", id="first-year-allowed"),
        pytest.param("2010-06", pd.Period("2010-06", freq="M"), "month", id="month"),
        pytest.param("2010-12", pd.Period("2010-12", freq="M"), "month", id="december"),
        pytest.param("2010-Q2", pd.Period("2010Q2", freq="Q"), "quarter", id="quarter"),
        pytest.param("2010-q4", pd.Period("2010Q4", freq="Q"), "quarter", id="quarter-lowercase-q"),
        pytest.param("2010", pd.Period("2010", freq="Y"), "year", id="year"),
        pytest.param("  2010-06  ", pd.Period("2010-06", freq="M"), "month", id="surrounding-spaces"),
    ],
)
def test_parse_accepted_forms(text, expected, precision):
    period = dates.parse(text)
    assert period == expected
    assert dates.precision(period) == precision
    assert dates.is_valid(text) is True


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("2010-13", id="month-13"),
        pytest.param("2010-00", id="month-00"),
        pytest.param("2010-02-30", id="feb-30"),
        pytest.param("2010-02-29", id="feb-29-not-leap"),
        pytest.param("2010-06-31", id="june-31"),
        pytest.param("2010-Q5", id="quarter-5"),
        pytest.param("2010-Q0", id="quarter-0"),
        pytest.param("June 2010", id="words"),
        pytest.param("15.06.2010", id="dotted-european"),
        pytest.param("06/15/2010", id="slashed-us"),
        pytest.param("2010-6", id="one-digit-month"),
        pytest.param("2010-06-15T10:00", id="with-time"),
        pytest.param("10", id="two-digit-year"),
        pytest.param("1899", id="before-1900"),
        pytest.param("", id="empty"),
        pytest.param("   ", id="blank"),
        pytest.param(None, id="none"),
        pytest.param(2010, id="int-not-text"),
        pytest.param(float("nan"), id="nan"),
    ],
)
def test_parse_rejects(value):
    assert dates.parse(value) is None
    assert dates.is_valid(value) is False


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("2026-11-26", True, id="today"),
        pytest.param("2026-11-25", True, id="yesterday"),
        pytest.param("2026-11-27", False, id="tomorrow"),
        pytest.param("2026-11", True, id="current-month-has-begun"),
        pytest.param("2026-12", False, id="next-month"),
        pytest.param("2026-Q4", True, id="current-quarter-has-begun"),
        pytest.param("2027-Q1", False, id="next-quarter"),
        pytest.param("2026", True, id="current-year"),
        pytest.param("2027", False, id="next-year"),
        pytest.param("9999", False, id="far-future-year"),
        pytest.param("2010-13", True, id="invalid-passes-reported-elsewhere"),
    ],
)
def test_is_not_future(value, expected):
    assert dates.is_not_future(value, TODAY) is expected


# -- intervals ---------------------------------------------------------------------------------


def test_intervals_one_row_per_value_with_start_end_and_precision():
    values = pd.Series(
        ["2010-06-15", "2010-06", "2010-Q2", "2010", "2012-02", "2010-Q4"], index=[2, 3, 5, 6, 7, 9]
    )
    got = dates.intervals(values)
    expected = pd.DataFrame(
        {
            "date_start": pd.to_datetime(
                ["2010-06-15", "2010-06-01", "2010-04-01", "2010-01-01", "2012-02-01", "2010-10-01"]
            ).as_unit("s"),
            "date_end": pd.to_datetime(
                ["2010-06-15", "2010-06-30", "2010-06-30", "2010-12-31", "2012-02-29", "2010-12-31"]
            ).as_unit("s"),
            "date_precision": pd.Categorical(
                ["day", "month", "quarter", "year", "month", "quarter"],
                categories=["day", "month", "quarter", "year"],
            ),
        },
        index=[2, 3, 5, 6, 7, 9],
    )
    pd.testing.assert_frame_equal(got, expected)


def test_intervals_of_no_values_has_the_columns():
    got = dates.intervals(pd.Series([], dtype=object))
    assert list(got.columns) == ["date_start", "date_end", "date_precision"]
    assert len(got) == 0


# -- fits / chart periods ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("granularity", "expected"),
    [
        pytest.param("month", [True, True, False, False], id="month"),
        pytest.param("quarter", [True, True, True, False], id="quarter"),
        pytest.param("year", [True, True, True, True], id="year"),
    ],
)
def test_fits(granularity, expected):
    precision = pd.Series(
        pd.Categorical(["day", "month", "quarter", "year"], categories=["day", "month", "quarter", "year"])
    )
    assert dates.fits(precision, granularity).tolist() == expected


def test_fits_accepts_plain_strings():
    assert dates.fits(pd.Series(["quarter", "day"]), "month").tolist() == [False, True]


@pytest.mark.parametrize(
    ("granularity", "starts", "ends"),
    [
        pytest.param(
            "month", ["2010-06-01", "2012-02-01"], ["2010-06-30", "2012-02-29"], id="month-with-leap-feb"
        ),
        pytest.param("quarter", ["2010-04-01", "2012-01-01"], ["2010-06-30", "2012-03-31"], id="quarter"),
        pytest.param("year", ["2010-01-01", "2012-01-01"], ["2010-12-31", "2012-12-31"], id="year"),
    ],
)
def test_period_start_and_end(granularity, starts, ends):
    date_start = pd.Series(pd.to_datetime(["2010-06-15", "2012-02-10"]))
    start = dates.period_start(date_start, granularity)
    assert start.tolist() == list(pd.to_datetime(starts))
    assert dates.period_end(start, granularity).tolist() == list(pd.to_datetime(ends))


@pytest.mark.parametrize(
    ("first", "last", "granularity", "expected"),
    [
        pytest.param("2010-06-01", "2010-06-30", "month", ["2010-06-01"], id="one-month"),
        pytest.param(
            "2010-11-15",
            "2011-02-28",
            "month",
            ["2010-11-01", "2010-12-01", "2011-01-01", "2011-02-01"],
            id="months-across-a-year",
        ),
        pytest.param(
            "2010-02-01",
            "2010-11-30",
            "quarter",
            ["2010-01-01", "2010-04-01", "2010-07-01", "2010-10-01"],
            id="quarters-holding-the-ends",
        ),
        pytest.param(
            "2009-12-31", "2011-01-01", "year", ["2009-01-01", "2010-01-01", "2011-01-01"], id="years"
        ),
    ],
)
def test_period_range_holds_every_period_of_the_axis(first, last, granularity, expected):
    found = dates.period_range(pd.Timestamp(first), pd.Timestamp(last), granularity)
    assert found.tolist() == list(pd.to_datetime(expected))
    assert str(found.dtype) == "datetime64[s]"


@pytest.mark.parametrize(
    ("granularity", "days"),
    [
        pytest.param("month", [30, 29, 31], id="june-leap-february-december"),
        pytest.param("quarter", [91, 91, 92], id="q2-q1-of-a-leap-year-q4"),
        pytest.param("year", [365, 366, 365], id="common-leap-common"),
    ],
)
def test_period_milliseconds(granularity, days):
    starts = dates.period_start(
        pd.Series(pd.to_datetime(["2010-06-01", "2012-02-01", "2013-12-01"])), granularity
    )
    assert dates.period_milliseconds(starts, granularity).tolist() == [d * 86_400_000 for d in days]


# -- labels ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "granularity", "expected"),
    [
        pytest.param("2010-06-01", "month", "Jun 2010", id="month"),
        pytest.param("2010-01-01", "month", "Jan 2010", id="january"),
        pytest.param("2010-04-01", "quarter", "Q2 2010", id="quarter-2"),
        pytest.param("2010-10-01", "quarter", "Q4 2010", id="quarter-4"),
        pytest.param("2010-01-01", "year", "2010", id="year"),
    ],
)
def test_period_label(start, granularity, expected):
    assert i18n.period_label(pd.Timestamp(start), granularity, "en") == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        pytest.param("2010-01-01", "2010-12-31", "2010", id="one-whole-year"),
        pytest.param("2010-01-01", "2010-12-31 23:59:59", "2010", id="whole-year-end-with-time"),
        pytest.param("2009-01-01", "2011-12-31", "2009-2011", id="several-whole-years"),
        pytest.param("2010-06-01", "2010-06-30", "Jun 2010", id="one-month"),
        pytest.param("2010-06-15", "2010-06-15", "Jun 2010", id="one-day"),
        pytest.param("2010-06-01", "2011-03-31", "Jun 2010-Mar 2011", id="months-across-years"),
        pytest.param("2010-01-01", "2010-06-30", "Jan 2010-Jun 2010", id="half-year-not-whole"),
        pytest.param("2010-04-01", "2010-12-31", "Apr 2010-Dec 2010", id="ends-on-year-end-only"),
    ],
)
def test_span_label(start, end, expected):
    assert i18n.span_label(pd.Timestamp(start), pd.Timestamp(end), "en") == expected
