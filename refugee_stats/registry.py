"""Every chart, declared once: its figure, title, takeaway, download and presentation scene.

A chart is one :class:`ChartSpec` in :data:`CHARTS`. The dashboard's charts
(:func:`figures`), their descriptions (:func:`descriptions`), the presentation scenes
(:data:`SCENES`, :data:`TAKEAWAYS`), the CSV downloads (:func:`chart_data`) and their titles
are all read off it, so adding a chart is one entry here plus its aggregate
(:func:`refugee_stats.compute.aggregates`), figure builder, takeaway and descriptions (a short
one naming it, a long one describing it: :func:`described`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from refugee_stats import charts, describe, downloads, story
from refugee_stats.view import View


@dataclass(frozen=True)
class ChartSpec:
    """One chart: how to draw it from a :class:`View`, say what it shows, and download its data.

    Its numbers are ``view.charts[key]`` (:class:`refugee_stats.compute.ChartData`); a chart
    drawn over periods has an ``"unplaced"`` frame of the records its period cannot place.
    """

    key: str
    title: str  # i18n key of its title (and of its download's)
    scene_title: str  # i18n key of its presentation scene's title
    figure: Callable[[View], go.Figure]
    takeaway: Callable[[View, str], str]
    description: Callable[[View], str]
    data: Callable[[View, str], pd.DataFrame]
    #: What is plotted, the range, the largest values, the trend and what is unknown, in words.
    long_description: Callable[[View], str]


def _detentions_figure(view: View) -> go.Figure:
    chart = view.charts["detentions"]
    return charts.detentions_figure(
        chart["by_period"], totals=chart["totals"], context=view.context, unplaced=chart["unplaced"]
    )


def _decisions_figure(view: View) -> go.Figure:
    chart = view.charts["decisions"]
    return charts.decisions_figure(
        chart["by_period"], context=view.context, unplaced=chart["unplaced"], cases=chart.counts["cases"]
    )


def _nationalities_figure(view: View) -> go.Figure:
    chart = view.charts["nationalities"]
    return charts.nationalities_figure(chart["shares"], context=view.context, unplaced=chart["unplaced"])


def _pipeline_figure(view: View) -> go.Figure:
    chart = view.charts["pipeline"]
    return charts.pipeline_figure(chart["flows"], nodes=chart["nodes"], context=view.context)


CHARTS: tuple[ChartSpec, ...] = (
    ChartSpec(
        "detentions",
        "chart_detentions",
        "scene_detentions",
        _detentions_figure,
        story.detentions,
        describe.detentions,
        downloads.detentions_data,
        describe.detentions_long,
    ),
    ChartSpec(
        "decisions",
        "chart_decisions",
        "scene_decisions",
        _decisions_figure,
        story.decisions,
        describe.decisions,
        downloads.decisions_data,
        describe.decisions_long,
    ),
    ChartSpec(
        "nationalities",
        "chart_nationalities",
        "scene_nationalities",
        _nationalities_figure,
        story.nationalities,
        describe.nationalities,
        downloads.nationalities_data,
        describe.nationalities_long,
    ),
    ChartSpec(
        "pipeline",
        "chart_pipeline",
        "scene_pipeline",
        _pipeline_figure,
        story.pipeline,
        describe.pipeline,
        downloads.pipeline_data,
        describe.pipeline_long,
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


def descriptions(view: View) -> dict[str, str]:
    """A short description of each chart in the view's language (what it plots, over which range,
    its largest value), protected as the chart is; keyed as :data:`CHARTS`; "" for a chart that
    draws nothing."""
    return {spec.key: spec.description(view) for spec in CHARTS}


def described(view: View) -> dict[str, describe.Description]:
    """Each chart in words, keyed as :data:`CHARTS`: its short description (an accessible name, a
    caption) and its long one (a figcaption), in the view's language, protected as the chart is;
    both "" for a chart that draws nothing."""
    return {
        spec.key: describe.Description(spec.description(view), spec.long_description(view)) for spec in CHARTS
    }


def chart_data(view: View, lang: str = "en", kinds: tuple[str, ...] = KINDS) -> dict[str, pd.DataFrame]:
    """The data behind each chart (as its ``data`` builder gives it) and the records in view, with
    codes beside display names; public mode shows counts as on screen."""
    build = {**{spec.key: spec.data for spec in CHARTS}, "records": downloads.records_data}
    return {kind: build[kind](view, lang) for kind in KINDS if kind in kinds}
