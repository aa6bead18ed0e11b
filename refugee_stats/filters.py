"""Filters as one frozen value: applied to frames, and described as a sentence for chart subtitles."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, cast

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
        start, end = self.start, self.end
        if start is not None and end is not None and start > end:
            raise ValueError(f"date_from {self.date_from} is after date_to {self.date_to}")

    def with_(self, **changes: object) -> Filters:
        """A copy with some fields changed."""
        return replace(self, **changes)

    @property
    def start(self) -> pd.Timestamp | None:
        """First day of the range, or None for no lower bound."""
        return _month(self.date_from).start_time if self.date_from else None

    @property
    def end(self) -> pd.Timestamp | None:
        """Last day of the range, or None for no upper bound."""
        return _month(self.date_to).end_time.normalize() if self.date_to else None

    def rows(self, frame: pd.DataFrame, table: str) -> np.ndarray:
        """One boolean per row of ``table`` (``incidents`` or ``status``): whether every filter that
        applies to that table keeps it (see :data:`FILTERS`)."""
        keep = np.ones(len(frame), dtype=bool)
        for spec in FILTERS:
            value = getattr(self, spec.name)
            if spec.keeps is not None and table in spec.tables and spec.active(value):
                keep &= spec.keeps(frame, value)
        return keep

    def predicates(self, table: Any, name: str) -> list[Any]:
        """The Ibis predicates (on ``table``, of the table ``name``: ``incidents`` or ``status``) of every
        filter that applies to it: the rows :meth:`rows` keeps, asked of a database."""
        out = []
        for spec in FILTERS:
            value = getattr(self, spec.name)
            if spec.where is not None and name in spec.tables and spec.active(value):
                out.append(spec.where(table, value))
        return out

    def reads(self, table: str) -> set[str]:
        """The record columns the active filters of ``table`` read."""
        return {
            column
            for spec in FILTERS
            if table in spec.tables and spec.keeps is not None and spec.active(getattr(self, spec.name))
            for column in spec.columns
        }

    def incident_rows(self, incidents: pd.DataFrame) -> np.ndarray:
        """One boolean per incident row: whether the filters keep it."""
        return self.rows(incidents, "incidents")

    def status_rows(self, status: pd.DataFrame) -> np.ndarray:
        """One boolean per status row: whether the filters keep it (incident types do not apply)."""
        return self.rows(status, "status")

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
        """The filter as a short sentence: ``Kazakhstan - Uzbekistan - 2009-2011``, one part per filter
        that describes itself (see :data:`FILTERS`)."""
        parts = [part for spec in FILTERS if spec.describe and (part := spec.describe(self, locale))]
        sentence = SEPARATOR.join(parts)
        return sentence[:1].upper() + sentence[1:]


def _countries(codes: tuple[str, ...], locale: str, everything: str, counted: str) -> str:
    if not codes:
        return i18n.t(everything, locale)
    if len(codes) > MAX_NAMED:
        return i18n.tn(counted, len(codes), locale)
    return ", ".join(sorted(countries.name(c, locale) for c in codes))


def _span(start: pd.Timestamp | None, end: pd.Timestamp | None, locale: str) -> str:
    if start is None:
        if end is None:
            return i18n.t("describe_all_dates", locale)
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


# -- each filter, declared once -------------------------------------------------------------


@dataclass(frozen=True)
class FilterSpec:
    """One filter, declared once: the :class:`Filters` field, its key and kind in a link, the
    records it keeps (and of which tables), and its part of the description. The link codec
    (:mod:`refugee_stats.urlstate`), the sidebar's state and :meth:`Filters.describe` are all
    read off :data:`FILTERS`."""

    name: str
    param: str
    kind: str  # countries, month, choices, choice, flag
    help: str  # what the filter does, for docs
    choices: tuple[str, ...] = ()
    keeps: Callable[[pd.DataFrame, object], np.ndarray] | None = None
    #: The same rule as ``keeps``, as a predicate on an Ibis table (a database's table or its cells).
    where: Callable[[Any, object], Any] | None = None
    #: The record columns the rule reads.
    columns: tuple[str, ...] = ()
    tables: tuple[str, ...] = ("incidents", "status")
    describe: Callable[[Filters, str], str | None] | None = None
    known: str = ""  # for countries: which codes of the data it may name (``hosts``, ``nationalities``)
    widget: str = ""  # the sidebar widget's session-state key (both months share the date slider)
    default: object = None

    def to_widget(self, value: object) -> object:
        """The filter's value as its widget holds it (lists; every type ticked for "all types")."""
        if self.kind == "choices":
            return list(value or self.choices)  # type: ignore[arg-type]
        if self.kind == "countries":
            return list(value)  # type: ignore[arg-type]
        return value

    def from_widget(self, held: object) -> object:
        """The filter's value from what its widget holds (the default for nothing)."""
        if self.kind == "countries":
            return tuple(held or ())  # type: ignore[arg-type]
        if self.kind == "choices":
            chosen = tuple(c for c in self.choices if c in (held or ()))  # type: ignore[operator]
            return () if set(chosen) in (set(), set(self.choices)) else chosen
        if self.kind == "flag":
            return self.default if held is None else bool(held)
        return held or self.default

    def active(self, value: object) -> bool:
        """Whether ``value`` restricts anything (empty, None and "every choice" do not)."""
        if self.kind == "flag":
            return value is False
        if self.kind == "choices":
            return bool(value) and set(value) != set(self.choices)  # type: ignore[arg-type]
        return bool(value)


def _month(value: str) -> pd.Period:
    """The period of a month already checked valid (by :class:`Filters` or the link parser)."""
    return cast(pd.Period, dates.parse(value))


def _since(frame: pd.DataFrame, month: object) -> np.ndarray:
    return frame["date_start"].to_numpy() >= np.datetime64(_month(str(month)).start_time)


def _until(frame: pd.DataFrame, month: object) -> np.ndarray:
    return frame["date_end"].to_numpy() <= np.datetime64(_month(str(month)).end_time.normalize())


def _describe_types(f: Filters, locale: str) -> str | None:
    if not f.types or set(f.types) == set(INCIDENT_TYPES):
        return None
    return ", ".join(i18n.choice("type", t, locale) for t in INCIDENT_TYPES if t in f.types)


#: Every filter, in the order the description names them.
FILTERS: tuple[FilterSpec, ...] = (
    FilterSpec(
        "host_countries",
        "host",
        "countries",
        "countries where it happened (codes); none: all",
        keeps=lambda frame, codes: columns.isin(frame["host_country"], cast(tuple, codes)),
        where=lambda t, codes: t.host_country.isin(list(cast(tuple, codes))),
        columns=("host_country",),
        describe=lambda f, locale: _countries(
            f.host_countries, locale, "describe_all_hosts", "n_host_countries"
        ),
        known="hosts",
        widget="host",
        default=(),
    ),
    FilterSpec(
        "nationalities",
        "nationality",
        "countries",
        "nationalities of the people concerned (codes); none: all",
        keeps=lambda frame, codes: columns.isin(frame["nationality"], cast(tuple, codes)),
        where=lambda t, codes: t.nationality.isin(list(cast(tuple, codes))),
        columns=("nationality",),
        describe=lambda f, locale: _countries(
            f.nationalities, locale, "describe_all_nationalities", "n_nationalities"
        ),
        known="nationalities",
        widget="nationality",
        default=(),
    ),
    FilterSpec(
        "date_from",
        "from",
        "month",
        "first month (YYYY-MM): a record is kept when its whole date interval is in the range",
        keeps=_since,
        where=lambda t, month: t.date_start >= _month(str(month)).start_time.to_pydatetime(),
        columns=("date_start",),
        describe=lambda f, locale: _span(f.start, f.end, locale),
        widget="dates",
        default=None,
    ),
    FilterSpec(
        "date_to",
        "to",
        "month",
        "last month (YYYY-MM)",
        keeps=_until,
        where=lambda t, month: t.date_end <= _month(str(month)).end_time.normalize().to_pydatetime(),
        columns=("date_end",),
        widget="dates",
        default=None,
    ),
    FilterSpec(
        "types",
        "type",
        "choices",
        "incident types; none or all: every type (decisions have no type)",
        choices=INCIDENT_TYPES,
        keeps=lambda frame, types: columns.isin(frame["type"], cast(tuple, types)),
        where=lambda t, types: t.type.isin(list(cast(tuple, types))),
        columns=("type",),
        tables=("incidents",),
        describe=_describe_types,
        widget="types",
        default=(),
    ),
    FilterSpec(
        "include_illustrative",
        "illustrative",
        "flag",
        "0 leaves out the made-up sample records",
        keeps=lambda frame, _: ~frame["illustrative"].to_numpy(dtype=bool),
        where=lambda t, _: ~t.illustrative,
        columns=("illustrative",),
        describe=lambda f, locale: None if f.include_illustrative else i18n.t("describe_real_only", locale),
        widget="illustrative",
        default=True,
    ),
    FilterSpec(
        "granularity",
        "period",
        "choice",
        "chart period: month, quarter or year (a display choice: it keeps every record)",
        choices=GRANULARITIES,
        widget="period",
        default="month",
    ),
)


def markdown_filters() -> str:
    """The table of filters a link can set, as it stands in the README (derived from :data:`FILTERS`)."""
    lines = ["| link key | filter | values |", "|---|---|---|"]
    for spec in FILTERS:
        values = ", ".join(f"`{c}`" for c in spec.choices) if spec.choices else spec.kind
        lines.append(f"| `{spec.param}` | {spec.help} | {values} |")
    return "\n".join(lines)
