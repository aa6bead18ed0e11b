"""One view of the data: the records a filter keeps, their key figures, chart data and figures.

The dashboard only renders what :func:`build_view` returns, so everything it shows
is computed (and tested) here, without Streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from refugee_stats import aggregate, charts, countries, i18n
from refugee_stats.filters import Filters, data_months
from refugee_stats.load import Dataset


@dataclass(frozen=True, eq=False)
class View:
    """The records in view and everything derived from them."""

    filters: Filters
    incidents: pd.DataFrame
    status: pd.DataFrame
    timeline: pd.DataFrame
    figures: aggregate.KeyFigures
    detentions: pd.DataFrame
    decisions: pd.DataFrame
    shares: pd.DataFrame
    unplaced_detentions: pd.DataFrame
    unplaced_decisions: pd.DataFrame
    context: charts.ChartContext

    @property
    def empty(self) -> bool:
        """Whether no incident or status record matches the filters."""
        return self.incidents.empty and self.status.empty

    @property
    def illustrative(self) -> bool:
        """Whether any record in view is illustrative."""
        return self.context.illustrative


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


def build_view(
    dataset: Dataset, filters: Filters, locale: str = "en", theme: str = "light", presentation: bool = False
) -> View:
    """Apply ``filters`` to ``dataset`` and compute key figures and the data of each chart.

    ``locale``, ``theme`` and ``presentation`` only change how the charts read, never the numbers.
    """
    incidents = filters.apply_incidents(dataset.incidents)
    status = filters.apply_status(dataset.status)
    timeline = filters.apply_timeline(dataset.timeline)
    g = filters.granularity
    keep = aggregate.top_nationalities(incidents)
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
    )
    return View(
        filters=filters,
        incidents=incidents,
        status=status,
        timeline=timeline,
        figures=aggregate.key_figures(incidents, status),
        detentions=aggregate.detentions_by_period(incidents, g, keep),
        decisions=aggregate.decisions_by_period(status, g),
        shares=aggregate.nationality_shares(incidents, g, keep),
        unplaced_detentions=aggregate.unplaced(aggregate.detentions(incidents), g),
        unplaced_decisions=aggregate.unplaced(aggregate.persons(status), g),
        context=context,
    )


def figures(view: View) -> dict[str, go.Figure]:
    """The dashboard's three charts, keyed ``detentions``, ``decisions`` and ``nationalities``."""
    return {
        "detentions": charts.detentions_figure(
            view.detentions, context=view.context, unplaced=view.unplaced_detentions
        ),
        "decisions": charts.decisions_figure(
            view.decisions,
            context=view.context,
            unplaced=view.unplaced_decisions,
            cases=int((view.status["unit"] == "cases").sum()),
        ),
        "nationalities": charts.nationalities_figure(
            view.shares, context=view.context, unplaced=view.unplaced_detentions
        ),
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


def records(view: View, locale: str = "en") -> pd.DataFrame:
    """One row per record in view (incidents, then status decisions), ready to show with its source.

    ``what`` is the incident type or ``authority: decision`` in ``locale``; ``reference`` is ``file:row``.
    """

    def shape(frame: pd.DataFrame, what: pd.Series) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "date": frame["date"],
                "host": frame["host_country"].map(lambda c: countries.name(c, locale)),
                "nationality": frame["nationality"].map(lambda c: countries.name(c, locale)),
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

    status_what = [
        f"{i18n.choice('authority', a, locale)}: {i18n.choice('decision', d, locale)}"
        for a, d in zip(view.status["authority"], view.status["decision"], strict=True)
    ]
    parts = [
        shape(view.incidents, view.incidents["type"].map(lambda v: i18n.choice("type", v, locale))),
        shape(view.status, pd.Series(status_what, index=view.status.index, dtype="string")),
    ]
    out = (
        pd.concat([p for p in parts if len(p)], ignore_index=True) if any(len(p) for p in parts) else parts[0]
    )
    return out.astype({"unhcr_refugees": "Int64"})
