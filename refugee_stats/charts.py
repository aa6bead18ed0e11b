"""Plotly figure builders: pure, keyword-only, one aggregated frame in, one ``go.Figure`` out.

Every figure carries a title and a subtitle stating the filter, labelled axes, a
source line, the timeline's events (markers for dated events, shaded bands for
periods and for events known only to a month, quarter or year), and a visible
"ILLUSTRATIVE DATA" watermark whenever made-up records are in view.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from refugee_stats import countries, dates
from refugee_stats.aggregate import OTHER
from refugee_stats.fields import AUTHORITIES, DECISIONS
from refugee_stats.fields import labels as default_labels

#: Paul Tol's "muted" scheme: distinguishable with the common colour-vision deficiencies.
PALETTE = ("#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677", "#882255", "#AA4499")
OTHER_COLOUR = "#BBBBBB"
#: Revocations stand out; other decisions are drawn in quiet tones.
DECISION_COLOURS = {
    "revoked": "#CC3311",
    "rejected": "#EE9988",
    "closed": "#BBBBBB",
    "applied": "#DDDDDD",
    "recognized": "#77AADD",
    "complementary": "#AADDEE",
}
UNHCR_LINE = "#000000"
WATERMARK = "ILLUSTRATIVE DATA"
XPERIOD = {"month": "M1", "quarter": "M3", "year": "M12"}
PRECISION_WORDS = {"month": "month", "quarter": "quarter", "year": "year"}
AUTHORITY_NAMES = {"unhcr": "UNHCR", "national": "National authority", "joint": "Joint procedure"}


@dataclass(frozen=True, eq=False)
class ChartContext:
    """What every chart of one view shares: the filter sentence, sources, timeline and labels."""

    subtitle: str
    sources: tuple[str, ...] = ()
    timeline: pd.DataFrame | None = None
    illustrative: bool = False
    granularity: str = "month"
    x_range: tuple[pd.Timestamp, pd.Timestamp] | None = None
    locale: str = "en"
    labels: Mapping[str, str] = field(default_factory=default_labels)


def country_label(code: str, locale: str = "en") -> str:
    """Display name of a nationality code, with :data:`OTHER` as "Other"."""
    return "Other" if code == OTHER else countries.name(code, locale)


def nationality_colours(codes: list[str]) -> dict[str, str]:
    """A stable colour per nationality code in display order; "Other" is grey."""
    palette = [c for c in codes if c != OTHER]
    out = {code: PALETTE[i % len(PALETTE)] for i, code in enumerate(palette)}
    out[OTHER] = OTHER_COLOUR
    return out


def _period_labels(starts: pd.Series, granularity: str) -> list[str]:
    return [dates.format_period(s, granularity) for s in starts]


def _wrap(text: str, width: int = 28) -> str:
    return "<br>".join(textwrap.wrap(text, width)) or text


def _short(text: str, width: int = 34) -> str:
    return textwrap.shorten(text, width, placeholder="…")


def _source_line(sources: tuple[str, ...], limit: int = 2) -> str:
    if not sources:
        return ""
    shown = [_short(s, 80) for s in sources[:limit]]
    more = len(sources) - limit
    tail = f"; and {more} more (see the records table)" if more > 0 else ""
    return "Source: " + "; ".join(shown) + tail


def _unplaced_note(unplaced: pd.DataFrame | None, granularity: str) -> str:
    if unplaced is None or unplaced.empty:
        return ""
    parts = [
        f"{int(r.records)} record{'s' if r.records != 1 else ''} ({int(r.people)} people) dated only to the {r.date_precision}"
        for r in unplaced.itertuples()
    ]
    return f"Not drawn per {granularity}: " + "; ".join(parts) + ". Choose a coarser period to include them."


def _timeline_marks(context: ChartContext) -> tuple[list[dict], list[dict]]:
    """Shapes and labels for the timeline's events: a dotted line for a dated day, a band otherwise."""
    shapes: list[dict] = []
    annotations: list[dict] = []
    timeline, locale = context.timeline, context.locale
    if timeline is None or timeline.empty:
        return shapes, annotations
    # Labels of events in the last fifth of the axis hang to the left so they stay inside the plot.
    turn = None
    if context.x_range is not None:
        first, last = context.x_range
        turn = first + (last - first) * 0.8
    label_column = "label_ru" if locale == "ru" else "label"
    for i, event in enumerate(timeline.sort_values("date_start").itertuples()):
        text = getattr(event, label_column)
        text = event.label if pd.isna(text) or not text else text
        start = event.date_start
        day_event = not event.is_period and event.date_precision == "day"
        if day_event:
            shapes.append(
                {
                    "type": "line",
                    "x0": start,
                    "x1": start,
                    "y0": 0,
                    "y1": 1,
                    "xref": "x",
                    "yref": "paper",
                    "line": {"color": "#555555", "width": 1.5, "dash": "dot"},
                    "name": f"timeline-{i}",
                }
            )
        end = start if day_event else event.date_end + pd.Timedelta(days=1)
        if not day_event:
            shapes.append(
                {
                    "type": "rect",
                    "x0": start,
                    "x1": end,
                    "y0": 0,
                    "y1": 1,
                    "xref": "x",
                    "yref": "paper",
                    "fillcolor": "#888888",
                    "opacity": 0.1,
                    "line": {"width": 0},
                    "layer": "below",
                    "name": f"timeline-{i}",
                }
            )
        hang_left = turn is not None and start > turn
        annotations.append(
            {
                "x": end if hang_left else start,
                "y": 1 - 0.09 * (i % 3),
                "xref": "x",
                "yref": "paper",
                "text": _wrap(_short(text, 60), 24),
                "hovertext": text,
                "showarrow": False,
                "xanchor": "right" if hang_left else "left",
                "yanchor": "top",
                "align": "right" if hang_left else "left",
                "font": {"size": 11, "color": "#333333"},
                "bgcolor": "rgba(255,255,255,0.75)",
                "name": f"timeline-{i}",
            }
        )
    return shapes, annotations


def _decorate(
    fig: go.Figure, *, title: str, context: ChartContext, unplaced: pd.DataFrame | None
) -> go.Figure:
    fig.update_layout(
        title={"text": title, "subtitle": {"text": context.subtitle}, "x": 0, "xanchor": "left"},
        margin={"t": 90, "b": 120, "l": 70, "r": 20},
        height=520,
        barmode="stack",
        legend={"orientation": "v", "title": {"text": ""}},
        hovermode="closest",
        template="plotly_white",
    )
    fig.update_xaxes(type="date")
    if context.x_range is not None:
        fig.update_xaxes(range=[context.x_range[0], context.x_range[1] + pd.Timedelta(days=1)])
    fig.update_yaxes(rangemode="tozero")
    shapes, annotations = _timeline_marks(context)
    footer = [
        line
        for line in (_source_line(context.sources), _unplaced_note(unplaced, context.granularity))
        if line
    ]
    annotations += [
        {
            "text": line,
            "xref": "paper",
            "yref": "paper",
            "x": 0,
            "y": 0,
            "yshift": -62 - 18 * i,
            "xanchor": "left",
            "yanchor": "top",
            "showarrow": False,
            "font": {"size": 11, "color": "#444444"},
            "name": "sources" if line.startswith("Source") else "note",
        }
        for i, line in enumerate(footer)
    ]
    if context.illustrative:
        annotations.append(WATERMARK_ANNOTATION)
    # One layout update: adding shapes and annotations one by one re-validates them all each time.
    fig.update_layout(shapes=shapes, annotations=[*fig.layout.annotations, *annotations])
    return fig


#: Stamped across every chart while illustrative records are in view, so no screenshot passes for real.
WATERMARK_ANNOTATION = {
    "text": WATERMARK,
    "name": "watermark",
    "xref": "paper",
    "yref": "paper",
    "x": 0.5,
    "y": 0.5,
    "showarrow": False,
    "textangle": -18,
    "font": {"size": 54, "color": "rgba(204, 51, 17, 0.22)"},
}


def empty_figure(*, title: str, context: ChartContext, message: str) -> go.Figure:
    """A figure that says plainly that nothing matches, with no axes."""
    fig = go.Figure()
    fig.update_layout(
        title={"text": title, "subtitle": {"text": context.subtitle}, "x": 0, "xanchor": "left"},
        xaxis={"visible": False},
        yaxis={"visible": False},
        height=320,
        template="plotly_white",
        margin={"t": 90},
    )
    fig.add_annotation(
        text=message,
        name="empty",
        xref="paper",
        yref="paper",
        x=0.5,
        y=0.5,
        showarrow=False,
        font={"size": 18},
    )
    return fig


def _nationality_bars(data: pd.DataFrame, value: str, context: ChartContext, hover: str) -> go.Figure:
    """One stacked bar trace per nationality, largest first and "Other" last, coloured consistently."""
    g = context.granularity
    order = list(
        data.groupby("nationality")["people"].sum().sort_values(ascending=False, kind="stable").index
    )
    order = [c for c in order if c != OTHER] + ([OTHER] if OTHER in order else [])
    colours = nationality_colours(order)
    fig = go.Figure()
    for code in order:
        part = data[data["nationality"] == code]
        fig.add_bar(
            x=part["period_start"],
            y=part[value],
            name=country_label(code, context.locale),
            marker_color=colours[code],
            xperiod=XPERIOD[g],
            xperiod0="2000-01-01",
            xperiodalignment="middle",
            customdata=list(zip(_period_labels(part["period_start"], g), part["people"], strict=True)),
            hovertemplate=hover + "<extra></extra>",
        )
    return fig


def detentions_figure(
    data: pd.DataFrame,
    *,
    context: ChartContext,
    unplaced: pd.DataFrame | None = None,
    title: str = "People detained, by nationality",
) -> go.Figure:
    """Stacked bars of people detained per period by nationality, and a line for those who held UNHCR status.

    ``data`` is :func:`refugee_stats.aggregate.detentions_by_period` output.
    """
    if data.empty:
        return empty_figure(title=title, context=context, message="No detentions match these filters.")
    lab, g = context.labels, context.granularity
    fig = _nationality_bars(
        data, "people", context, "%{customdata[0]}<br>%{fullData.name}: %{y:,} " + lab["people"].lower()
    )
    totals = data.groupby("period_start", as_index=False)[["people", "unhcr_refugees", "unhcr_unknown"]].sum()
    fig.add_scatter(
        x=totals["period_start"],
        y=totals["unhcr_refugees"],
        name=lab["unhcr_refugees"] + " (held status)",
        mode="lines+markers",
        line={"color": UNHCR_LINE, "width": 2.5, "dash": "dash"},
        marker={"size": 7},
        xperiod=XPERIOD[g],
        xperiod0="2000-01-01",
        xperiodalignment="middle",
        customdata=list(
            zip(
                _period_labels(totals["period_start"], g),
                totals["people"],
                totals["unhcr_unknown"],
                strict=True,
            )
        ),
        hovertemplate="%{customdata[0]}<br>%{y:,} of %{customdata[1]:,} detained held UNHCR refugee status"
        "<br>status unknown for %{customdata[2]:,}<extra></extra>",
    )
    fig = _decorate(fig, title=title, context=context, unplaced=unplaced)
    fig.update_xaxes(title_text=lab["period"])
    fig.update_yaxes(title_text=f"{lab['people']} detained")
    return fig


def decisions_figure(
    data: pd.DataFrame,
    *,
    context: ChartContext,
    unplaced: pd.DataFrame | None = None,
    title: str = "Refugee-status decisions, revocations emphasised",
) -> go.Figure:
    """Stacked bars of people per period by decision, one panel per authority; revocations in a strong colour.

    ``data`` is :func:`refugee_stats.aggregate.decisions_by_period` output.
    """
    if data.empty:
        return empty_figure(title=title, context=context, message="No status decisions match these filters.")
    lab, g = context.labels, context.granularity
    authorities = [a for a in AUTHORITIES if a in set(data["authority"])]
    fig = make_subplots(
        rows=len(authorities),
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.06,
        subplot_titles=[AUTHORITY_NAMES[a] for a in authorities],
    )
    shown: set[str] = set()
    for row, authority in enumerate(authorities, start=1):
        for decision in DECISIONS:
            part = data[(data["authority"] == authority) & (data["decision"] == decision)]
            if part.empty:
                continue
            revoked = decision == "revoked"
            fig.add_bar(
                x=part["period_start"],
                y=part["people"],
                name=decision.capitalize(),
                legendgroup=decision,
                showlegend=decision not in shown,
                marker={
                    "color": DECISION_COLOURS[decision],
                    "line": {
                        "color": "#661100" if revoked else "rgba(0,0,0,0)",
                        "width": 1.5 if revoked else 0,
                    },
                },
                opacity=1.0 if revoked else 0.85,
                xperiod=XPERIOD[g],
                xperiod0="2000-01-01",
                xperiodalignment="middle",
                customdata=list(zip(_period_labels(part["period_start"], g), strict=True)),
                hovertemplate="%{customdata[0]}<br>"
                + AUTHORITY_NAMES[authority]
                + ", %{fullData.name}: %{y:,} "
                + lab["people"].lower()
                + "<extra></extra>",
                row=row,
                col=1,
            )
            shown.add(decision)
    fig = _decorate(fig, title=title, context=context, unplaced=unplaced)
    fig.update_layout(height=max(520, 200 + 170 * len(authorities)))
    fig.update_xaxes(title_text=lab["period"], row=len(authorities), col=1)
    fig.update_yaxes(title_text=lab["people"])
    return fig


def nationalities_figure(
    data: pd.DataFrame,
    *,
    context: ChartContext,
    unplaced: pd.DataFrame | None = None,
    title: str = "Nationalities of people detained, share per period",
) -> go.Figure:
    """100 % stacked bars: each nationality's share of the people detained per period (top 8 and Other).

    ``data`` is :func:`refugee_stats.aggregate.nationality_shares` output.
    """
    if data.empty:
        return empty_figure(title=title, context=context, message="No detentions match these filters.")
    lab = context.labels
    hover = (
        "%{customdata[0]}<br>%{fullData.name}: %{y:.0f}% (%{customdata[1]:,} " + lab["people"].lower() + ")"
    )
    fig = _nationality_bars(data, "share", context, hover)
    fig = _decorate(fig, title=title, context=context, unplaced=unplaced)
    fig.update_xaxes(title_text=lab["period"])
    fig.update_yaxes(title_text=lab["share"], range=[0, 100], ticksuffix="%")
    return fig
