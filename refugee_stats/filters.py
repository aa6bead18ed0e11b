"""Filters as one frozen value: applied to frames, and described as a sentence for chart subtitles."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from refugee_stats import columns, countries, dates, i18n
from refugee_stats.fields import GRANULARITIES, INCIDENT_TYPES

#: How many countries a description names before it just counts them.
MAX_NAMED = 3
SEPARATOR = " - "


@dataclass(frozen=True)
class Filters:
    """What the user chose to see. Empty tuples mean "all"; months are ``YYYY-MM`` strings.

    A record is inside the date range when its whole date interval is: a record dated
    ``2010`` (year precision) is not inside a range that starts in ``2010-06``.
    """

    host_countries: tuple[str, ...] = ()
    nationalities: tuple[str, ...] = ()
    date_from: str | None = None
    date_to: str | None = None
    types: tuple[str, ...] = ()
    granularity: str = "month"
    include_illustrative: bool = True

    def __post_init__(self) -> None:
        if self.granularity not in GRANULARITIES:
            raise ValueError(
                f"granularity must be one of {', '.join(GRANULARITIES)}, not {self.granularity!r}"
            )
        unknown = set(self.types) - set(INCIDENT_TYPES)
        if unknown:
            raise ValueError(
                f"unknown incident types {sorted(unknown)}; expected {', '.join(INCIDENT_TYPES)}"
            )
        for value in (self.date_from, self.date_to):
            if value is not None and dates.parse(value) is None:
                raise ValueError(f"not a month: {value!r}; expected YYYY-MM")
        if self.date_from and self.date_to and self.start > self.end:
            raise ValueError(f"date_from {self.date_from} is after date_to {self.date_to}")

    def with_(self, **changes: object) -> Filters:
        """A copy with some fields changed."""
        return replace(self, **changes)

    @property
    def start(self) -> pd.Timestamp | None:
        """First day of the range, or None for no lower bound."""
        return dates.parse(self.date_from).start_time if self.date_from else None

    @property
    def end(self) -> pd.Timestamp | None:
        """Last day of the range, or None for no upper bound."""
        return dates.parse(self.date_to).end_time.normalize() if self.date_to else None

    def _in_range(self, frame: pd.DataFrame) -> np.ndarray:
        keep = np.ones(len(frame), dtype=bool)
        if self.start is not None:
            keep &= frame["date_start"].to_numpy() >= np.datetime64(self.start)
        if self.end is not None:
            keep &= frame["date_end"].to_numpy() <= np.datetime64(self.end)
        return keep

    def _common(self, frame: pd.DataFrame) -> np.ndarray:
        keep = self._in_range(frame)
        if self.host_countries:
            keep &= columns.isin(frame["host_country"], self.host_countries)
        if self.nationalities:
            keep &= columns.isin(frame["nationality"], self.nationalities)
        if not self.include_illustrative:
            keep &= ~frame["illustrative"].to_numpy(dtype=bool)
        return keep

    def incident_rows(self, incidents: pd.DataFrame) -> np.ndarray:
        """One boolean per incident row: whether the filters keep it."""
        keep = self._common(incidents)
        if self.types:
            keep &= columns.isin(incidents["type"], self.types)
        return keep

    def status_rows(self, status: pd.DataFrame) -> np.ndarray:
        """One boolean per status row: whether the filters keep it (incident types do not apply)."""
        return self._common(status)

    def apply_incidents(self, incidents: pd.DataFrame) -> pd.DataFrame:
        """The incident rows in view (same columns, one row per input row kept)."""
        return columns.select(incidents, self.incident_rows(incidents))

    def apply_status(self, status: pd.DataFrame) -> pd.DataFrame:
        """The status-decision rows in view; incident types do not apply to decisions."""
        return columns.select(status, self.status_rows(status))

    def apply_timeline(self, timeline: pd.DataFrame) -> pd.DataFrame:
        """Timeline events that overlap the date range and concern a chosen host country (or all)."""
        keep = pd.Series(True, index=timeline.index)
        if self.start is not None:
            keep &= timeline["date_end"] >= self.start
        if self.end is not None:
            keep &= timeline["date_start"] <= self.end
        if self.host_countries:
            keep &= timeline["host_country"].isna() | timeline["host_country"].isin(self.host_countries)
        return timeline[keep]

    def describe(self, locale: str = "en") -> str:
        """The filter as a short sentence: ``Kazakhstan - Uzbekistan - 2009-2011``."""
        parts = [
            _countries(self.host_countries, locale, "describe_all_hosts", "n_host_countries"),
            _countries(self.nationalities, locale, "describe_all_nationalities", "n_nationalities"),
            _span(self.start, self.end, locale),
        ]
        if self.types and set(self.types) != set(INCIDENT_TYPES):
            parts.append(", ".join(i18n.choice("type", t, locale) for t in INCIDENT_TYPES if t in self.types))
        if not self.include_illustrative:
            parts.append(i18n.t("describe_real_only", locale))
        sentence = SEPARATOR.join(parts)
        return sentence[:1].upper() + sentence[1:]


def _countries(codes: tuple[str, ...], locale: str, everything: str, counted: str) -> str:
    if not codes:
        return i18n.t(everything, locale)
    if len(codes) > MAX_NAMED:
        return i18n.tn(counted, len(codes), locale)
    return ", ".join(sorted(countries.name(c, locale) for c in codes))


def _span(start: pd.Timestamp | None, end: pd.Timestamp | None, locale: str) -> str:
    if start is None and end is None:
        return i18n.t("describe_all_dates", locale)
    if start is None:
        return i18n.t("describe_until", locale, date=i18n.month_label(end, locale))
    if end is None:
        return i18n.t("describe_from", locale, date=i18n.month_label(start, locale))
    return i18n.span_label(start, end, locale)


def data_months(*frames: pd.DataFrame) -> tuple[str, str] | None:
    """First and last month (``YYYY-MM``) covered by the records of some frames, or None if empty."""
    starts = [f["date_start"].min() for f in frames if len(f)]
    ends = [f["date_end"].max() for f in frames if len(f)]
    if not starts:
        return None
    return min(starts).strftime("%Y-%m"), max(ends).strftime("%Y-%m")
