"""One view of the data: the records a filter keeps, their key figures, chart data and figures.

The dashboard only renders what :func:`build_view` returns, so everything it shows
is computed (and tested) here, without Streamlit. Every count a View hands out has
passed :func:`refugee_stats.protect.counts`: in public mode counts from 1 to 4 are
"<5" everywhere (key figures, charts, hover labels, maps, tables, downloads).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from functools import cached_property

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from refugee_stats import aggregate, charts, columns, countries, i18n, maps, protect
from refugee_stats.filters import Filters, data_months
from refugee_stats.load import Dataset

DETENTION_COUNTS = ["people", "unhcr_refugees", "unhcr_unknown"]

# What the aggregations read; a filter change copies these columns of the kept rows only.
# The other columns (free text, dates as written, file and row) are taken when a table,
# a download or a test asks for ``View.incidents`` / ``View.status``.
WORKING_COLUMNS = [
    "incident_id",
    "host_country",
    "nationality",
    "people",
    "source",
    "illustrative",
    "date_start",
    "date_end",
    "date_precision",
]
INCIDENT_WORKING = [*WORKING_COLUMNS, "type", "unhcr_refugees"]
STATUS_WORKING = [*WORKING_COLUMNS, "authority", "decision", "unit"]


@dataclass(frozen=True, eq=False)
class View:
    """The records in view and everything derived from them (counts already protected when public)."""

    filters: Filters
    all_incidents: pd.DataFrame = field(repr=False)
    incident_rows: np.ndarray = field(repr=False)
    all_status: pd.DataFrame = field(repr=False)
    status_rows: np.ndarray = field(repr=False)
    timeline: pd.DataFrame
    figures: aggregate.KeyFigures
    figure_text: dict[str, str]
    detentions: pd.DataFrame
    detention_totals: pd.DataFrame
    decisions: pd.DataFrame
    shares: pd.DataFrame
    hosts: pd.DataFrame
    nationalities: pd.DataFrame
    unplaced_detentions: pd.DataFrame
    unplaced_decisions: pd.DataFrame
    context: charts.ChartContext
    public: bool = False

    @cached_property
    def incidents(self) -> pd.DataFrame:
        """The incident rows in view, every column (one row per loaded row kept)."""
        return columns.select(self.all_incidents, self.incident_rows)

    @cached_property
    def status(self) -> pd.DataFrame:
        """The status-decision rows in view, every column (one row per loaded row kept)."""
        return columns.select(self.all_status, self.status_rows)

    @property
    def empty(self) -> bool:
        """Whether no incident or status record matches the filters."""
        return not self.incident_rows.any() and not self.status_rows.any()

    @property
    def illustrative(self) -> bool:
        """Whether any record in view is illustrative."""
        return self.context.illustrative


def _working(frame: pd.DataFrame, names: list[str], rows: np.ndarray) -> pd.DataFrame:
    """The kept rows of the columns the aggregations read (those the frame has)."""
    return columns.select(frame[[n for n in names if n in frame.columns]], rows)


def default_filters(dataset: Dataset) -> Filters:
    """Everything, over the months the data covers."""
    months = data_months(dataset.incidents, dataset.status)
    return Filters(date_from=months[0], date_to=months[1]) if months else Filters()


def _x_range(filters: Filters, *frames: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The chart's time axis: the filter's range, or the records' span where it is open."""
    months = data_months(*frames)
    if months is None:
        return None
    start = filters.start if filters.start is not None else pd.Period(months[0], "M").start_time
    end = filters.end if filters.end is not None else pd.Period(months[1], "M").end_time.normalize()
    return start, end


def _shares(detentions: pd.DataFrame) -> pd.DataFrame:
    """One row per period and nationality: ``people`` and their ``share`` (%) of the period's total."""
    counts = detentions[["period_start", "nationality", "people", "people_text", "people_small"]]
    totals = counts.groupby("period_start")["people"].transform("sum")
    return counts.assign(share=counts["people"] / totals * 100)


def build_view(
    dataset: Dataset,
    filters: Filters,
    locale: str = "en",
    theme: str = "light",
    presentation: bool = False,
    public: bool = False,
) -> View:
    """Apply ``filters`` to ``dataset`` and compute key figures and the data of each chart.

    ``locale``, ``theme`` and ``presentation`` change how the charts read, never the numbers;
    ``public`` shows counts from 1 to 4 as "<5" in every output.
    """
    incident_rows = filters.incident_rows(dataset.incidents)
    status_rows = filters.status_rows(dataset.status)
    incidents = _working(dataset.incidents, INCIDENT_WORKING, incident_rows)
    status = _working(dataset.status, STATUS_WORKING, status_rows)
    timeline = filters.apply_timeline(dataset.timeline)
    g = filters.granularity
    keep = aggregate.top_nationalities(incidents)

    def protected(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
        return protect.counts(frame, columns, public=public, lang=locale)

    detentions = aggregate.detentions_by_period(incidents, g, keep)
    # Period totals are summed before protection, then protected themselves.
    totals = detentions.groupby("period_start", as_index=False)[DETENTION_COUNTS].sum()
    detentions = protected(detentions, DETENTION_COUNTS)
    figures = aggregate.key_figures(incidents, status)
    context = charts.ChartContext(
        subtitle=filters.describe(locale),
        sources=tuple(aggregate.sources(incidents, status)),
        timeline=timeline,
        illustrative=aggregate.has_illustrative(incidents, status),
        granularity=g,
        x_range=_x_range(filters, incidents, status),
        locale=locale,
        theme=theme,
        presentation=presentation,
        public=public,
    )
    return View(
        filters=filters,
        all_incidents=dataset.incidents,
        incident_rows=incident_rows,
        all_status=dataset.status,
        status_rows=status_rows,
        timeline=timeline,
        figures=figures,
        figure_text={f.name: protect.text(getattr(figures, f.name), locale, public) for f in fields(figures)},
        detentions=detentions,
        detention_totals=protected(totals, DETENTION_COUNTS),
        decisions=protected(aggregate.decisions_by_period(status, g), ["people"]),
        shares=_shares(detentions),
        hosts=protected(maps.detentions_by_country(incidents, "host_country"), ["people"]),
        nationalities=protected(maps.detentions_by_country(incidents, "nationality"), ["people"]),
        unplaced_detentions=protected(aggregate.unplaced_detentions(incidents, g), ["people"]),
        unplaced_decisions=protected(aggregate.unplaced_persons(status, g), ["people"]),
        context=context,
        public=public,
    )


def figures(view: View) -> dict[str, go.Figure]:
    """The dashboard's three charts, keyed ``detentions``, ``decisions`` and ``nationalities``."""
    return {
        "detentions": charts.detentions_figure(
            view.detentions,
            totals=view.detention_totals,
            context=view.context,
            unplaced=view.unplaced_detentions,
        ),
        "decisions": charts.decisions_figure(
            view.decisions,
            context=view.context,
            unplaced=view.unplaced_decisions,
            cases=int(columns.equals(view.all_status["unit"], "cases")[view.status_rows].sum()),
        ),
        "nationalities": charts.nationalities_figure(
            view.shares, context=view.context, unplaced=view.unplaced_detentions
        ),
    }


def map_figures(view: View) -> dict[str, go.Figure]:
    """The two maps: where people were detained (``host_country``) and their nationalities."""
    return {
        "host_country": maps.map_figure(view.hosts, by="host_country", context=view.context),
        "nationality": maps.map_figure(view.nationalities, by="nationality", context=view.context),
    }


RECORD_COLUMNS = [
    "date",
    "host",
    "nationality",
    "what",
    "people",
    "unhcr_refugees",
    "source",
    "source_url",
    "illustrative",
    "reference",
]


def record_count(view: View) -> int:
    """How many records (incident and status rows) are in view."""
    return int(view.incident_rows.sum()) + int(view.status_rows.sum())


def illustrative_count(view: View) -> int:
    """How many records in view (incident and status rows) are illustrative."""
    return sum(
        int(frame["illustrative"].to_numpy(dtype=bool)[rows].sum())
        for frame, rows in ((view.all_incidents, view.incident_rows), (view.all_status, view.status_rows))
        if len(frame)
    )


def records(view: View, locale: str = "en", limit: int | None = None) -> pd.DataFrame:
    """One row per record in view (incidents, then status decisions), ready to show with its source.

    ``what`` is the incident type or ``authority: decision`` in ``locale``; ``reference`` is
    ``file:row``; ``people_text`` and ``unhcr_refugees_text`` are the protected display values.
    ``limit`` keeps the first rows only (incidents first), for a table on screen.
    """
    if limit is None:
        incidents, status = view.incidents, view.status
    else:  # the first rows only, without taking every row in view
        first = np.flatnonzero(view.incident_rows)[:limit]
        incidents = view.all_incidents.iloc[first]
        status = view.all_status.iloc[np.flatnonzero(view.status_rows)[: max(limit - len(first), 0)]]

    def names(codes: pd.Series) -> pd.Series:
        lookup = {c: countries.name(c, locale) for c in pd.unique(codes.dropna())}
        return codes.map(lookup).astype("str")  # the same type when no row is left

    def shape(frame: pd.DataFrame, what: pd.Series) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "date": frame["date"],
                "host": names(frame["host_country"]),
                "nationality": names(frame["nationality"]),
                "what": what,
                "people": frame["people"],
                "unhcr_refugees": frame.get("unhcr_refugees", pd.NA),
                "source": frame["source"],
                "source_url": frame["source_url"],
                "illustrative": frame["illustrative"],
                "reference": frame["source_file"].map(lambda f: f.rsplit("/", 1)[-1])
                + ":"
                + frame["source_row"].astype(str),
            },
            columns=RECORD_COLUMNS,
        )

    status_what = (
        status["authority"].map(lambda a: i18n.choice("authority", a, locale)).astype(str)
        + ": "
        + status["decision"].map(lambda d: i18n.choice("decision", d, locale)).astype(str)
    )
    parts = [
        shape(incidents, incidents["type"].map(lambda v: i18n.choice("type", v, locale))),
        shape(status, status_what.astype("string")),
    ]
    out = (
        pd.concat([p for p in parts if len(p)], ignore_index=True) if any(len(p) for p in parts) else parts[0]
    )
    out = out.astype({"unhcr_refugees": "Int64"})
    return protect.counts(out, ["people", "unhcr_refugees"], public=view.public, lang=locale)
