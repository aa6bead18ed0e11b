"""Dates of known precision: ``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY-Qn`` or ``YYYY``.

A record dated ``2010-06`` happened some time in June 2010. It is kept as the
interval [2010-06-01, 2010-06-30] with precision ``month`` and is never placed on
the 1st of the month.
"""

from __future__ import annotations

import calendar
import datetime
import functools
import re

import numpy as np
import pandas as pd

from refugee_stats import columns

_PATTERNS = (
    ("day", re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")),
    ("month", re.compile(r"^(\d{4})-(\d{2})$")),
    ("quarter", re.compile(r"^(\d{4})-[Qq]([1-4])$")),
    ("year", re.compile(r"^(\d{4})$")),
)
#: Dates from this year on are read; an earlier one is most often Excel's day zero (1899-12-30),
#: what a blank or zero date cell becomes when a workbook is saved as CSV.
FIRST_YEAR = 1900
_FREQ = {"day": "D", "month": "M", "quarter": "Q", "year": "Y"}
#: Pandas period frequency of each chart granularity.
GRANULARITY_FREQ = {"month": "M", "quarter": "Q", "year": "Y"}
_RANK = {"day": 0, "month": 1, "quarter": 2, "year": 3}


def parse(value: object) -> pd.Period | None:
    """The period a date string denotes (its frequency is its precision), or None if invalid."""
    if not isinstance(value, str):
        return None
    return _parse(value.strip())


@functools.lru_cache(maxsize=1 << 16)
def _parse(text: str) -> pd.Period | None:
    for precision, pattern in _PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        year = int(match[1])
        if year < FIRST_YEAR:
            return None
        if precision == "quarter":
            return pd.Period(year=year, quarter=int(match[2]), freq="Q")
        if precision == "year":
            return pd.Period(year=year, freq="Y")
        month = int(match[2])
        if not 1 <= month <= 12:
            return None
        if precision == "month":
            return pd.Period(year=year, month=month, freq="M")
        try:  # pandas rolls invalid days over; the standard library refuses them
            day = datetime.date(year, month, int(match[3]))
        except ValueError:
            return None
        return pd.Period(day, freq="D")
    return None


def before_first_year(value: object) -> bool:
    """Whether a string is in an accepted format but its year is before :data:`FIRST_YEAR`."""
    if not isinstance(value, str):
        return False
    match = next((m for _, p in _PATTERNS if (m := p.match(value.strip()))), None)
    return match is not None and int(match[1]) < FIRST_YEAR


def precision(period: pd.Period) -> str:
    """``day``, ``month``, ``quarter`` or ``year``."""
    return {v: k for k, v in _FREQ.items()}[period.freqstr.split("-")[0][0]]


def is_valid(value: object) -> bool:
    """Whether a string is a real date in one of the accepted formats."""
    return span(value) is not None


def is_not_future(value: object, today: pd.Timestamp | None = None) -> bool:
    """Whether a date's period has begun by today (invalid dates pass: another check reports them)."""
    found = span(value)
    if found is None:
        return True
    today = today if today is not None else pd.Timestamp.today().normalize()
    return pd.Timestamp(found[0]) <= today


def span(value: object) -> tuple[datetime.date, datetime.date, str] | None:
    """First day, last day and precision of a date string (as :func:`parse` reads it), or None if invalid."""
    if not isinstance(value, str):
        return None
    return _span(value.strip())


@functools.lru_cache(maxsize=1 << 16)
def _span(text: str) -> tuple[datetime.date, datetime.date, str] | None:
    for name, pattern in _PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        year = int(match[1])
        if year < FIRST_YEAR:
            return None
        if name == "year":
            return datetime.date(year, 1, 1), datetime.date(year, 12, 31), name
        if name == "quarter":
            first_month = 3 * int(match[2]) - 2
            last = first_month + 2
            return (
                datetime.date(year, first_month, 1),
                datetime.date(year, last, calendar.monthrange(year, last)[1]),
                name,
            )
        month = int(match[2])
        if not 1 <= month <= 12:
            return None
        if name == "month":
            return (
                datetime.date(year, month, 1),
                datetime.date(year, month, calendar.monthrange(year, month)[1]),
                name,
            )
        try:  # pandas rolls invalid days over; the standard library refuses them
            day = datetime.date(year, month, int(match[3]))
        except ValueError:
            return None
        return day, day, name
    return None


def intervals(values: pd.Series) -> pd.DataFrame:
    """One row per value: ``date_start``, ``date_end`` (last day) and ``date_precision``.

    Values must be valid (see :func:`is_valid`). Each distinct value is parsed once.
    """
    found, uniques = columns.factorize(values)
    if (found < 0).any():
        raise ValueError("intervals: missing dates; every value must be a valid date")
    parsed = [span(v) for v in uniques]
    spans = [s for s in parsed if s is not None]
    if len(spans) != len(parsed):
        raise ValueError("intervals: invalid dates; check them with is_valid first")
    starts = np.array([s[0] for s in spans], dtype="datetime64[D]").astype("datetime64[s]")
    ends = np.array([s[1] for s in spans], dtype="datetime64[D]").astype("datetime64[s]")
    ranks = np.array([_RANK[s[2]] for s in spans], dtype=np.int8)
    return pd.DataFrame(
        {
            "date_start": starts[found],
            "date_end": ends[found],
            "date_precision": pd.Categorical.from_codes(
                ranks[found] if len(ranks) else np.zeros(len(found), np.int8),
                categories=pd.Index(list(_RANK)),
            ),
        },
        index=values.index,
    )


def fitting(granularity: str) -> tuple[str, ...]:
    """The date precisions whose records a chart of ``granularity`` can place (``day`` and ``month``
    for a monthly chart): the one rule, for frames (:func:`fits`) and for SQL alike."""
    limit = _RANK[granularity]
    return tuple(p for p, rank in _RANK.items() if rank <= limit)


def fits(date_precision: pd.Series, granularity: str) -> pd.Series:
    """Whether records of each precision can be placed in periods of the given granularity."""
    fitting_ = fitting(granularity)
    keep = columns.per_value(date_precision, lambda p: str(p) in fitting_, missing=False)
    return pd.Series(keep, index=date_precision.index, name=date_precision.name)


def _month_numbers(days: np.ndarray) -> np.ndarray:
    """Months since January 1970 of days since 1970-01-01 (int64; NaT days give any value)."""
    valid = days != np.iinfo(np.int64).min
    if not valid.any():
        return np.zeros(len(days), dtype=np.int64)
    first, last = days[valid].min(), days[valid].max()
    table = np.arange(first, last + 1, dtype=np.int64).astype("datetime64[D]").astype("datetime64[M]")
    return table.astype(np.int64)[np.clip(days, first, last) - first]


#: Months in one chart period of each granularity.
MONTHS_PER_PERIOD = {"month": 1, "quarter": 3, "year": 12}


def _period_months(date_start: pd.Series, granularity: str) -> tuple[np.ndarray, np.ndarray]:
    """First month (since 1970) of the period of ``granularity`` each date falls in, and which dates are NaT."""
    days = date_start.to_numpy(dtype="datetime64[s]").astype("datetime64[D]").view(np.int64)
    missing = days == np.iinfo(np.int64).min
    months = _month_numbers(days)
    return months - months % MONTHS_PER_PERIOD[granularity], missing


def _from_months(months: np.ndarray, missing: np.ndarray) -> np.ndarray:
    out = months.astype("datetime64[M]").astype("datetime64[s]")
    out[missing] = np.datetime64("NaT")
    return out


def period_numbers(date_start: pd.Series, granularity: str) -> tuple[np.ndarray, np.ndarray]:
    """For each date: the first month of its chart period, as months since January 1970, and
    whether the date is missing (NaT). ``months_to_timestamps`` turns such numbers back."""
    if granularity not in GRANULARITY_FREQ:
        raise KeyError(granularity)
    return _period_months(date_start, granularity)


def months_to_timestamps(months: np.ndarray) -> np.ndarray:
    """Months since January 1970 as ``datetime64[s]`` timestamps of their first day."""
    return np.asarray(months, dtype=np.int64).astype("datetime64[M]").astype("datetime64[s]")


def period_start(date_start: pd.Series, granularity: str) -> pd.Series:
    """Start timestamp of the chart period each date falls in."""
    if granularity not in GRANULARITY_FREQ:
        raise KeyError(granularity)
    months, missing = _period_months(date_start, granularity)
    return pd.Series(_from_months(months, missing), index=date_start.index, name=date_start.name)


def period_end(period_start_: pd.Series, granularity: str) -> pd.Series:
    """Last day of each chart period, given its start."""
    if granularity not in GRANULARITY_FREQ:
        raise KeyError(granularity)
    months, missing = _period_months(period_start_, granularity)
    following = _from_months(months + MONTHS_PER_PERIOD[granularity], missing)
    out = following - np.timedelta64(1, "D").astype("timedelta64[s]")
    out[missing] = np.datetime64("NaT")
    return pd.Series(out.astype("datetime64[s]"), index=period_start_.index, name=period_start_.name)


def period_range(first: pd.Timestamp, last: pd.Timestamp, granularity: str) -> pd.DatetimeIndex:
    """Start (``datetime64[s]``) of every chart period of ``granularity`` from the one holding
    ``first`` to the one holding ``last``: an axis's periods, those without records included."""
    if granularity not in GRANULARITY_FREQ:
        raise KeyError(granularity)
    months, _ = _period_months(pd.Series([first, last], dtype="datetime64[s]"), granularity)
    step = MONTHS_PER_PERIOD[granularity]
    return pd.DatetimeIndex(months_to_timestamps(np.arange(months[0], months[1] + 1, step)))


def period_milliseconds(period_start_: pd.Series, granularity: str) -> np.ndarray:
    """Length in milliseconds of each chart period of ``granularity``, given its start (a plotly
    date axis measures bar widths in ms)."""
    if granularity not in GRANULARITY_FREQ:
        raise KeyError(granularity)
    months, _ = _period_months(period_start_, granularity)
    days = months_to_timestamps(months + MONTHS_PER_PERIOD[granularity]) - months_to_timestamps(months)
    return days.astype("timedelta64[ms]").astype(np.int64)
