"""Dates of known precision: ``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY-Qn`` or ``YYYY``.

A record dated ``2010-06`` happened some time in June 2010. It is kept as the
interval [2010-06-01, 2010-06-30] with precision ``month`` and is never placed on
the 1st of the month.
"""

from __future__ import annotations

import datetime
import re

import pandas as pd

_PATTERNS = (
    ("day", re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")),
    ("month", re.compile(r"^(\d{4})-(\d{2})$")),
    ("quarter", re.compile(r"^(\d{4})-[Qq]([1-4])$")),
    ("year", re.compile(r"^(\d{4})$")),
)
_FREQ = {"day": "D", "month": "M", "quarter": "Q", "year": "Y"}
#: Pandas period frequency of each chart granularity.
GRANULARITY_FREQ = {"month": "M", "quarter": "Q", "year": "Y"}
_RANK = {"day": 0, "month": 1, "quarter": 2, "year": 3}


def parse(value: object) -> pd.Period | None:
    """The period a date string denotes (its frequency is its precision), or None if invalid."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    for precision, pattern in _PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        year = int(match[1])
        if year < 1900:
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


def precision(period: pd.Period) -> str:
    """``day``, ``month``, ``quarter`` or ``year``."""
    return {v: k for k, v in _FREQ.items()}[period.freqstr.split("-")[0][0]]


def is_valid(value: object) -> bool:
    """Whether a string is a real date in one of the accepted formats."""
    return parse(value) is not None


def is_not_future(value: object, today: pd.Timestamp | None = None) -> bool:
    """Whether a date's period has begun by today (invalid dates pass: another check reports them)."""
    period = parse(value)
    if period is None:
        return True
    today = today if today is not None else pd.Timestamp.today().normalize()
    return period.start_time <= today


def intervals(values: pd.Series) -> pd.DataFrame:
    """One row per value: ``date_start``, ``date_end`` (last day) and ``date_precision``.

    Values must be valid (see :func:`is_valid`).
    """
    periods = [parse(v) for v in values]
    return pd.DataFrame(
        {
            "date_start": pd.to_datetime([p.start_time for p in periods]).as_unit("s"),
            "date_end": pd.to_datetime([p.end_time.normalize() for p in periods]).as_unit("s"),
            "date_precision": pd.Categorical([precision(p) for p in periods], categories=list(_RANK)),
        },
        index=values.index,
    )


def fits(date_precision: pd.Series, granularity: str) -> pd.Series:
    """Whether records of each precision can be placed in periods of the given granularity."""
    limit = _RANK[granularity]
    return date_precision.astype(str).map(_RANK).le(limit)


def period_start(date_start: pd.Series, granularity: str) -> pd.Series:
    """Start timestamp of the chart period each date falls in."""
    freq = GRANULARITY_FREQ[granularity]
    return date_start.dt.to_period(freq).dt.start_time.astype("datetime64[s]")


def period_end(period_start_: pd.Series, granularity: str) -> pd.Series:
    """Last day of each chart period, given its start."""
    freq = GRANULARITY_FREQ[granularity]
    return period_start_.dt.to_period(freq).dt.end_time.dt.normalize().astype("datetime64[s]")


def format_period(start: pd.Timestamp, granularity: str) -> str:
    """Human label of a period: ``Jun 2010``, ``2010 Q2`` or ``2010``."""
    if granularity == "month":
        return start.strftime("%b %Y")
    if granularity == "quarter":
        return f"{start.year} Q{start.quarter}"
    return str(start.year)


def format_span(start: pd.Timestamp, end: pd.Timestamp) -> str:
    """Compact label of a date range: ``2010``, ``2009-2011``, ``Jun 2010``, ``Jun 2010-Mar 2011``."""
    whole_years = start == start.to_period("Y").start_time and end.normalize() == (
        end.to_period("Y").end_time.normalize()
    )
    if whole_years:
        return str(start.year) if start.year == end.year else f"{start.year}-{end.year}"
    first, last = start.strftime("%b %Y"), end.strftime("%b %Y")
    return first if first == last else f"{first}-{last}"
