"""Every chart, declared once: its figure, title, takeaway, download and presentation scene.

A chart is one :class:`ChartSpec` in :data:`CHARTS`. The dashboard's charts
(:func:`figures`), the presentation scenes (:data:`SCENES`, :data:`TAKEAWAYS`), the CSV
downloads (:func:`chart_data`) and their titles are all read off it, so adding a chart is
one entry here plus its aggregate, figure builder and takeaway.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from refugee_stats import charts, columns, downloads, story
from refugee_stats.view import View


@dataclass(frozen=True)
class ChartSpec:
    """One chart: how to draw it from a :class:`View`, say what it shows, and download its data."""

    key: str
    title: str  # i18n key of its title (and of its download's)
    scene_title: str  # i18n key of its presentation scene's title
    figure: Callable[[View], go.Figure]
    takeaway: Callable[[View, str], str]
    data: Callable[[View, str], pd.DataFrame]
    unplaced: str | None = None  # the View attribute of the records its period cannot place


def _decisions_figure(view: View) -> go.Figure:
    cases = int(columns.equals(view.all_status["unit"], "cases")[view.status_rows].sum())
    return charts.decisions_figure(
        view.decisions, context=view.context, unplaced=view.unplaced_decisions, cases=cases
    )


CHARTS: tuple[ChartSpec, ...] = (
    ChartSpec(
        "detentions",
        "chart_detentions",
        "scene_detentions",
        lambda view: charts.detentions_figure(
            view.detentions,
            totals=view.detention_totals,
            context=view.context,
            unplaced=view.unplaced_detentions,
        ),
        story.detentions,
        downloads.detentions_data,
        "unplaced_detentions",
    ),
    ChartSpec(
        "decisions",
        "chart_decisions",
        "scene_decisions",
        _decisions_figure,
        story.decisions,
        downloads.decisions_data,
        "unplaced_decisions",
    ),
    ChartSpec(
        "nationalities",
        "chart_nationalities",
        "scene_nationalities",
        lambda view: charts.nationalities_figure(
            view.shares, context=view.context, unplaced=view.unplaced_detentions
        ),
        story.nationalities,
        downloads.nationalities_data,
        "unplaced_detentions",
    ),
    ChartSpec(
        "pipeline",
        "chart_pipeline",
        "scene_pipeline",
        lambda view: charts.pipeline_figure(
            view.pipeline, context=view.context, detained_text=view.figure_text["people_detained"]
        ),
        story.pipeline,
        downloads.pipeline_data,
    ),
)
BY_KEY = {spec.key: spec for spec in CHARTS}

#: The presentation scenes, in order: the key figures, one per chart, the maps.
SCENES: tuple[str, ...] = ("key_figures", *BY_KEY, "map")
#: Takeaway of each scene, in :data:`SCENES` order.
TAKEAWAYS: dict[str, Callable[[View, str], str]] = {
    "key_figures": story.key_figures,
    **{spec.key: spec.takeaway for spec in CHARTS},
    "map": story.places,
}
#: Downloads: one per chart, then the records in view.
KINDS: tuple[str, ...] = (*BY_KEY, "records")
DOWNLOAD_TITLES = {**{spec.key: spec.title for spec in CHARTS}, "records": "records_in_view"}


def figures(view: View) -> dict[str, go.Figure]:
    """The dashboard's charts, keyed as :data:`CHARTS`."""
    return {spec.key: spec.figure(view) for spec in CHARTS}


def chart_data(view: View, lang: str = "en", kinds: tuple[str, ...] = KINDS) -> dict[str, pd.DataFrame]:
    """The data behind each chart (as its ``data`` builder gives it) and the records in view, with
    codes beside display names; public mode shows counts as on screen."""
    build = {**{spec.key: spec.data for spec in CHARTS}, "records": downloads.records_data}
    return {kind: build[kind](view, lang) for kind in KINDS if kind in kinds}
