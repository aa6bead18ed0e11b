"""Plotly figure builders: pure, keyword-only, one aggregated frame in, one ``go.Figure`` out.

Every figure carries a title and a subtitle stating the filter, labelled axes, a
source line, the timeline's events (markers for dated events, shaded bands for
periods and for events known only to a month, quarter or year), and a visible
"ILLUSTRATIVE DATA" watermark whenever made-up records are in view. All text comes
from :mod:`refugee_stats.i18n` in the context's language; colours and type sizes
come from one template per theme, used on screen and in exported images alike.
"""

from __future__ import annotations

import textwrap
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from refugee_stats import countries, dates, i18n, protect
from refugee_stats.aggregate import OTHER, granularity_to_place
from refugee_stats.escape import plotly_lines, plotly_text
from refugee_stats.fields import AUTHORITIES, DECISIONS
from refugee_stats.protect import THRESHOLD

#: Mark colours per theme, after Paul Tol's "muted" qualitative scheme (Tol, "Colour Schemes",
#: SRON/EPS/TN/09-002, https://personal.sron.nl/~pault/): the same nine roles in the same order,
#: each colour at least 3:1 (WCAG 1.4.11) against its theme's plot background and still apart
#: from every other one for normal vision and simulated protanopia, deuteranopia and
#: tritanopia (tests/test_contrast.py measures both). On white, the muted colours too light for
#: 3:1 are darkened (cyan -> blue #2277CC, teal, olive, rose) and sand, which darkened would
#: become the olive, is a dark brown; on black, indigo and wine are lightened (#7766DD, #BB3377)
#: and the others are Tol's own.
PALETTES = {
    "light": (
        "#332288",
        "#2277CC",
        "#339988",
        "#117733",
        "#888833",
        "#553300",
        "#CC5566",
        "#882255",
        "#AA4499",
    ),
    "dark": (
        "#7766DD",
        "#88CCEE",
        "#44AA99",
        "#117733",
        "#999933",
        "#DDCC77",
        "#CC6677",
        "#BB3377",
        "#AA4499",
    ),
}
#: "Other" and the unknown parts of the status pipeline: greys that pass 3:1 in each theme.
OTHER_COLOURS = {"light": "#777777", "dark": "#BBBBBB"}
#: Revocations stand out in vermilion with an outline; other decisions in quieter tones. Tol's
#: vibrant red, blue and teal, and greys, each at least 3:1 against its theme's background.
DECISION_COLOURS = {
    "light": {
        "revoked": "#CC3311",
        "rejected": "#DD6655",
        "closed": "#555555",
        "applied": "#888888",
        "recognized": "#3366AA",
        "complementary": "#118899",
    },
    "dark": {
        "revoked": "#FF5533",
        "rejected": "#FFAA99",
        "closed": "#888888",
        "applied": "#CCCCCC",
        "recognized": "#6699DD",
        "complementary": "#99DDFF",
    },
}
XPERIOD = {"month": "M1", "quarter": "M3", "year": "M12"}
#: Share of its period a bar spans: plotly's own width comes from the gap between bars, a hairline for one.
BAR_FILL = 0.8
#: System fonts only: a web font that loads after plotly measured the text would overflow legends.
FONT = "Helvetica Neue, Helvetica, Arial, Liberation Sans, DejaVu Sans, sans-serif"
WATERMARK = i18n.t("watermark", "en")


@dataclass(frozen=True)
class Theme:
    """Colours and type sizes of one projector theme."""

    name: str
    paper: str
    plot: str
    text: str
    muted: str
    grid: str
    band: str
    label_background: str
    line: str
    #: The edge of a timeline period's band: the band's fill stays faint so that every mark drawn
    #: over it keeps 3:1 against it; its edges carry the 3:1 against the background.
    band_edge: str
    #: The "ILLUSTRATIVE DATA" stamp: large text, at least 3:1 against the background.
    watermark: str
    #: The page's widgets (refugee_stats.ui.style): the fill of inputs and buttons; their edges
    #: (borders, a toggle that is off), at least 3:1 against the paper and the fill; the accent of
    #: a selected state (a chosen option, a toggle on, a slider, a chip), at least 3:1 against the
    #: paper with white text on it at 4.5:1 (the same in both themes: it is Streamlit's
    #: ``primaryColor`` in .streamlit/config.toml, which draws the slider's track); links.
    surface: str
    edge: str
    accent: str
    link: str


THEMES = {
    "light": Theme(
        name="light",
        paper="#FFFFFF",
        plot="#FFFFFF",
        text="#111111",
        muted="#333333",
        grid="#D9D9D9",
        band="rgba(0,0,0,0.05)",
        label_background="rgba(255,255,255,0.85)",
        line="#000000",
        band_edge="#767676",
        watermark="rgba(204,51,17,0.72)",
        surface="#FFFFFF",
        edge="#767676",
        accent="#1E73C8",
        link="#1E73C8",
    ),
    "dark": Theme(
        name="dark",
        paper="#000000",
        plot="#000000",
        text="#FFFFFF",
        muted="#E0E0E0",
        grid="#444444",
        band="rgba(255,255,255,0.09)",
        label_background="rgba(0,0,0,0.8)",
        line="#FFFFFF",
        band_edge="#8C8C8C",
        watermark="rgba(238,85,51,0.75)",
        surface="#1E1E1E",
        edge="#8C8C8C",
        accent="#1E73C8",
        link="#88CCEE",
    ),
}


@dataclass(frozen=True)
class Sizes:
    """Type sizes in px: screen mode, and presentation mode readable from the back of a hall."""

    base: int
    title: int
    small: int
    watermark: int
    height: int


SCREEN = Sizes(base=14, title=20, small=12, watermark=54, height=520)
#: On a projector the figure is the scene: its height is what a 1920x1080 screen leaves under the
#: scene's title and takeaway and above its navigation, and it carries no title of its own.
PROJECTOR = Sizes(base=22, title=34, small=18, watermark=80, height=766)


@dataclass(frozen=True, eq=False)
class ChartContext:
    """What every chart of one view shares: the filter sentence, sources, timeline, language and look."""

    subtitle: str
    sources: tuple[str, ...] = ()
    timeline: pd.DataFrame | None = None
    illustrative: bool = False
    granularity: str = "month"
    x_range: tuple[pd.Timestamp, pd.Timestamp] | None = None
    locale: str = "en"
    theme: str = "light"
    presentation: bool = False
    public: bool = False
    labels: dict[str, str] = field(default_factory=dict)

    def label(self, key: str) -> str:
        """A display label, from ``labels`` when given there, else from the catalogue."""
        return self.labels.get(key) or i18n.labels(self.locale)[key]

    def plot_label(self, key: str) -> str:
        """:meth:`label` escaped for a figure (labels may come from a data file's columns)."""
        return plotly_text(self.label(key))

    @property
    def sizes(self) -> Sizes:
        """Type sizes for the mode."""
        return PROJECTOR if self.presentation else SCREEN


def traces(fig: go.Figure) -> tuple[Any, ...]:
    """``fig.data``, typed as what it is to a reader: plotly's trace classes set their properties
    at run time, so a type checker sees neither the traces nor their attributes."""
    return tuple(cast(Any, fig).data)


def layout(fig: go.Figure) -> Any:
    """``fig.layout``, typed as :func:`traces` is, and for the same reason."""
    return cast(Any, fig).layout


def template(theme: str = "light", presentation: bool = False) -> go.layout.Template:
    """The plotly template of a theme: fonts, colours, grid; the same on screen and in exports."""
    colours, sizes = THEMES[theme], (PROJECTOR if presentation else SCREEN)
    axis = {
        "gridcolor": colours.grid,
        "linecolor": colours.muted,
        "zerolinecolor": colours.grid,
        "tickfont": {"size": sizes.base, "color": colours.text},
        "title": {"font": {"size": sizes.base, "color": colours.text}},
    }
    return go.layout.Template(
        layout={
            "paper_bgcolor": colours.paper,
            "plot_bgcolor": colours.plot,
            "font": {
                "family": "Source Sans Pro, Source Sans 3, DejaVu Sans, sans-serif",
                "size": sizes.base,
                "color": colours.text,
            },
            "title": {
                "font": {"size": sizes.title, "color": colours.text},
                "subtitle": {"font": {"color": colours.muted}},
            },
            "legend": {"font": {"size": sizes.base, "color": colours.text}},
            "hoverlabel": {"font": {"size": sizes.base}},
            "xaxis": axis,
            "yaxis": axis,
            "colorway": list(PALETTES[theme]),
        }
    )


def country_label(code: str, locale: str = "en") -> str:
    """Display name of a nationality code, with :data:`OTHER` as "Other"."""
    return i18n.t("other", locale) if code == OTHER else countries.name(code, locale)


def nationality_colours(codes: list[str], theme: str = "light") -> dict[str, str]:
    """A stable colour per nationality code in display order, from the theme's palette; "Other" is grey."""
    palette, colours = [c for c in codes if c != OTHER], PALETTES[theme]
    out = {code: colours[i % len(colours)] for i, code in enumerate(palette)}
    out[OTHER] = OTHER_COLOURS[theme]
    return out


def _texts(frame: pd.DataFrame, column: str) -> list[str]:
    """Display text of a count column: the protected ``<col>_text`` when present."""
    if f"{column}_text" in frame:
        return list(frame[f"{column}_text"])
    return [f"{int(v):,}" for v in frame[column]]


def _withheld(frame: pd.DataFrame, column: str) -> list[bool]:
    """Per row, whether protection withholds the count (``<column>_hidden``; none when absent)."""
    if f"{column}_hidden" not in frame:
        return [False] * len(frame)
    return [bool(h) for h in frame[f"{column}_hidden"]]


def _heights(frame: pd.DataFrame, column: str) -> pd.Series:
    """What a bar draws: ``<column>_drawn`` (withheld counts at a nominal height) when present."""
    return frame[f"{column}_drawn"] if f"{column}_drawn" in frame else frame[column]


def _dates(starts: pd.Series) -> list[str]:
    """Period starts (always a month's first day) as ``YYYY-MM``, a date plotly reads as that day."""
    return list(pd.DatetimeIndex(starts).strftime("%Y-%m"))


def _widths(starts: pd.Series, granularity: str) -> list[int]:
    """Width of each bar in ms (a date axis's unit): :data:`BAR_FILL` of its period."""
    return [round(BAR_FILL * ms) for ms in dates.period_milliseconds(starts, granularity).tolist()]


def _every_period(totals: pd.DataFrame, context: ChartContext) -> pd.DataFrame:
    """Period totals with one row for every period of the x range: periods without detentions
    hold zero (and show "0"), so a line never slopes across months that have no records.
    A period with detentions keeps its values, a blank refugee count (unknown) included."""
    first, last = context.x_range or (totals["period_start"].min(), totals["period_start"].max())
    periods = dates.period_range(first, last, context.granularity)
    periods = periods.union(pd.DatetimeIndex(totals["period_start"]).as_unit("s"))
    added = ~periods.isin(pd.DatetimeIndex(totals["period_start"]).as_unit("s"))
    out = totals.set_index("period_start").reindex(periods)
    for column in out.columns:
        if column.endswith("_text"):
            out.loc[added, column] = i18n.number(0, context.locale)
        elif column.endswith(("_small", "_hidden")):
            out[column] = out[column].fillna(False).astype(bool)
        elif column == "unhcr_refugees":
            out[column] = out[column].astype("Int64").mask(added, 0)
        else:
            out[column] = out[column].fillna(0).astype("int64")
    return out.rename_axis("period_start").reset_index()


def _refugee_line(totals: pd.DataFrame) -> list[float | None]:
    """The line's value per period: the known UNHCR refugees; None (a gap, never 0) where no record
    states a status; a count protection withholds at the nominal height :data:`THRESHOLD`."""
    return [
        None if pd.isna(v) else (THRESHOLD if h else int(v))
        for v, h in zip(totals["unhcr_refugees"], _withheld(totals, "unhcr_refugees"), strict=True)
    ]


#: Custom-data column that carries each plotted row's position, read back per trace and dropped.
_ROW = "_row"


def _bar_figure(
    frame: pd.DataFrame,
    *,
    value: str,
    y: str,
    names: list[str],
    order: list[str],
    colours: dict[str, str],
    hover: dict[str, list[str]],
    template_text: str,
    context: ChartContext,
    panels: list[str] | None = None,
    panel_order: list[str] | None = None,
) -> go.Figure:
    """Stacked bars drawn by ``px.bar``: one trace per legend name (``names``, escaped, one per row of
    ``frame``; legend in ``order``, coloured by ``colours``), and with ``panels`` one panel per
    name, top to bottom in ``panel_order``.

    x is the period (``YYYY-MM``, drawn across :data:`BAR_FILL` of it), y the drawn ``value``
    (``<value>_drawn`` when protection gives one), hatched where its count is withheld. Axis titles
    come through ``labels=`` (the catalogue key ``y`` names the y axis); the hover reads
    ``template_text`` over the custom-data columns ``hover`` (the period label first), with
    ``{panel}`` for the name of the trace's panel.
    """
    g = context.granularity
    table = pd.DataFrame(
        {
            "period": _dates(frame["period_start"]),
            y: _heights(frame, value).to_numpy(),
            "name": names,
            **hover,
            _ROW: range(len(frame)),
        }
    )
    if panels is not None:
        table["panel"] = panels
    fig = px.bar(
        table,
        x="period",
        y=y,
        color="name",
        custom_data=[*hover, _ROW],
        category_orders={"name": order, "panel": panel_order or []},
        color_discrete_map=colours,
        labels={"period": context.plot_label("period"), y: context.plot_label(y), "name": "", "panel": ""},
        template=template(context.theme, context.presentation),
        # Panels in one column, titled above each (facet_row would title them on the side).
        facet_col="panel" if panels is not None else None,
        facet_col_wrap=1,
        facet_row_spacing=0.08 if panels is not None else None,
    )
    hatched = np.array(_withheld(frame, value))
    widths = np.array(_widths(frame["period_start"], g))
    for trace in traces(fig):
        custom = np.asarray(trace.customdata)
        rows = custom[:, -1].astype(int)
        # A trace lies in one panel: its name goes in the template, not in every point's data.
        text = template_text.replace("{panel}", panels[rows[0]]) if panels is not None else template_text
        trace.update(
            hovertemplate=text + "<extra></extra>",
            customdata=custom[:, :-1],
            width=widths[rows],
            # One blank for the whole trace when nothing in it is withheld.
            marker_pattern_shape=["/" if h else "" for h in hatched[rows]] if hatched[rows].any() else "",
        )
    fig.update_traces(
        xperiod=XPERIOD[g],
        xperiod0="2000-01-01",
        xperiodalignment="middle",
    )
    if panels is not None:
        # Each panel on its own scale, as a small authority's bars stay readable (px matches them,
        # and plotly.js 4 in Streamlit then draws every matched stacked panel from 0 to 4).
        fig.update_yaxes(matches=None)
        # px writes "<label>=<value>" over each panel; the label is blank, so "=<value>".
        titles = sorted(layout(fig).annotations, key=lambda a: -a.y)
        fig.update_layout(annotations=[a.update(text=a.text.removeprefix("=")) for a in titles])
    return fig


def _notes(context: ChartContext, *notes: str) -> list[str]:
    """Notes under a chart, with the small-number footnote in public mode."""
    from refugee_stats.protect import footnote

    return [*notes, footnote(context.locale) if context.public else ""]


def _period_labels(starts: pd.Series, context: ChartContext) -> list[str]:
    """Each period's label in the context's language (text: plotly cannot write Russian months
    offline), formatted once per distinct period."""
    stamps = pd.DatetimeIndex(starts)
    unique = {s: i18n.period_label(s, context.granularity, context.locale) for s in stamps.unique()}
    return [unique[s] for s in stamps]


def _wrap(text: str, width: int = 28) -> str:
    """Plain ``text`` (from data or the catalogue) escaped for plotly, wrapped with ``<br>``."""
    return plotly_lines(text, width)


def _short(text: str, width: int = 34) -> str:
    return textwrap.shorten(text, width, placeholder="…")


def _source_line(context: ChartContext, limit: int = 2) -> str:
    if not context.sources:
        return ""
    shown = [_short(s, 80) for s in context.sources[:limit]]
    more = len(context.sources) - limit
    if more > 0:
        shown.append(i18n.t("source_more", context.locale, n=more))
    return i18n.t("source_line", context.locale, sources="; ".join(shown))


def _unplaced_parts(unplaced: pd.DataFrame, context: ChartContext) -> str:
    """``2 records (12 people) dated only to the quarter; ...``, each count as protection shows it."""
    lang = context.locale
    parts = [
        i18n.t(
            "unplaced_part",
            lang,
            records=protect.records_text(int(r["records"]), lang, context.public),
            people=_people_text(r, lang),
            precision=i18n.t(f"precision_{r['date_precision']}", lang),
        )
        for r in unplaced.to_dict("records")
    ]
    return "; ".join(parts)


def _unplaced_note(unplaced: pd.DataFrame | None, context: ChartContext) -> str:
    if unplaced is None or unplaced.empty:
        return ""
    lang = context.locale
    granularity = i18n.t(context.granularity, lang).lower()
    return i18n.t("unplaced_note", lang, granularity=granularity, parts=_unplaced_parts(unplaced, context))


def empty_message(unplaced: pd.DataFrame | None, context: ChartContext, nothing: str) -> str:
    """What an empty chart says: which records in view its period cannot place and the period
    that shows them, or the message ``nothing`` when there are none (nothing matches)."""
    target = granularity_to_place(unplaced)
    lang = context.locale
    if target is None or unplaced is None:
        return i18n.t(nothing, lang)
    return i18n.t(
        "empty_unplaced",
        lang,
        granularity=i18n.t(context.granularity, lang).lower(),
        parts=_unplaced_parts(unplaced, context),
        target=i18n.t(target, lang),
    )


def _people_text(row: Mapping[Hashable, Any], lang: str) -> str:
    """``12 people``, or ``<5 people`` / ``x people (withheld)`` when the count is protected."""
    if row.get("people_small", False):
        return i18n.t("fewer_than_five", lang)
    if row.get("people_hidden", False):
        return i18n.t("withheld_people", lang)
    return i18n.tn("n_people", int(row["people"]), lang)


def time_ticks(x_range: tuple[pd.Timestamp, pd.Timestamp], lang: str) -> tuple[list[pd.Timestamp], list[str]]:
    """Tick positions and localised labels for a time axis: years, quarters' months, or months."""
    start, end = x_range
    days = (end - start).days
    if days > 3 * 366:
        stamps = pd.date_range(start.to_period("Y").start_time, end, freq="YS")
        return list(stamps), [str(s.year) for s in stamps]
    freq = "QS" if days > 366 else "MS"
    stamps = pd.date_range(start.to_period("M").start_time, end, freq=freq)
    return list(stamps), [i18n.month_label(s, lang) for s in stamps]


def _timeline_marks(context: ChartContext) -> tuple[list[dict], list[dict]]:
    """Shapes and labels for the timeline's events: a dotted line for a dated day, a band otherwise."""
    shapes: list[dict] = []
    annotations: list[dict] = []
    timeline, locale = context.timeline, context.locale
    if timeline is None or timeline.empty:
        return shapes, annotations
    colours, sizes = THEMES[context.theme], context.sizes
    # Labels of events in the last fifth of the axis hang to the left so they stay inside the plot.
    turn = None
    if context.x_range is not None:
        first, last = context.x_range
        turn = first + (last - first) * 0.8
    label_column = i18n.label_column(locale)
    for i, event in enumerate(timeline.sort_values("date_start").to_dict("records")):
        text = event.get(label_column)
        text = event["label"] if pd.isna(text) or not text else text
        start = event["date_start"]
        day_event = not event["is_period"] and event["date_precision"] == "day"
        end = start if day_event else event["date_end"] + pd.Timedelta(days=1)
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
                    "line": {"color": colours.muted, "width": 2, "dash": "dot"},
                    "name": f"timeline-{i}",
                }
            )
        else:
            shapes.append(
                {
                    "type": "rect",
                    "x0": start,
                    "x1": end,
                    "y0": 0,
                    "y1": 1,
                    "xref": "x",
                    "yref": "paper",
                    "fillcolor": colours.band,
                    "line": {"color": colours.band_edge, "width": 1},
                    "layer": "below",
                    "name": f"timeline-{i}",
                }
            )
        hang_left = turn is not None and start > turn
        # On a projector each event is a number over the plot; the key under it names them all.
        wrapped = marker(i) if context.presentation else plotly_lines(text, 28, max_lines=2)
        annotations.append(
            {
                "x": end if hang_left else start,
                "y": 1.0,
                "xref": "x",
                "yref": "paper",
                "text": wrapped,
                "hovertext": plotly_text(text),
                "showarrow": False,
                "xanchor": "right" if hang_left else "left",
                "yanchor": "bottom",
                "align": "right" if hang_left else "left",
                "font": {"size": sizes.small, "color": colours.text},
                "bgcolor": colours.label_background,
                "name": f"timeline-{i}",
            }
        )
    return shapes, annotations


def marker(i: int) -> str:
    """The number of the ``i``-th timeline event (from 0) on a projector: ①, ②, ... (then (21), ...)."""
    return chr(0x2460 + i) if i < 20 else f"({i + 1})"


def timeline_key(context: ChartContext, width: int = 44) -> str:
    """The key to the numbered timeline events of a scene: ``① label  ② label``, each label short."""
    timeline = context.timeline
    if timeline is None or timeline.empty:
        return ""
    column = i18n.label_column(context.locale)
    parts = []
    for i, event in enumerate(timeline.sort_values("date_start").to_dict("records")):
        text = event.get(column)
        text = event["label"] if pd.isna(text) or not text else text
        parts.append(f"{marker(i)} {textwrap.shorten(str(text), width, placeholder='…')}")
    return "  ".join(parts)


def _row_height(context: ChartContext) -> float:
    """Height in px of one row of timeline labels (two lines of small text)."""
    return 2 * context.sizes.small * 1.25 + 6


def _stack_labels(labels: list[dict], context: ChartContext, base: float, rows: int = 4) -> int:
    """Put timeline labels in rows above the plot so that no two overlap; return the rows used.

    Widths are estimated from the text length, so rows are chosen before the browser draws.
    """
    if not labels:
        return 0
    first, last = context.x_range or (pd.Timestamp(0), pd.Timestamp(0))
    span = (last - first).total_seconds()
    plot_width = 1250 if context.presentation else 900  # px of plot area on a 1920-wide screen
    taken: list[list[tuple[float, float]]] = [[] for _ in range(rows)]
    used = 0
    for n, label in enumerate(labels):
        lines = label["text"].split("<br>")
        width = (max(len(x) for x in lines) * context.sizes.small * 0.62 + 16) / plot_width
        x = (pd.Timestamp(label["x"]) - first).total_seconds() / span if span else 0.0
        left, right = (x - width, x) if label["xanchor"] == "right" else (x, x + width)
        free = [r for r in range(rows) if all(right <= a or left >= b for a, b in taken[r])]
        row = free[0] if free else n % rows  # more labels than rows can hold: overlap the least
        taken[row].append((left, right))
        label["yshift"] = base + row * _row_height(context)
        used = max(used, row + 1)
    return used


def watermark_annotation(context: ChartContext, scale: float = 1.0) -> dict:
    """The "ILLUSTRATIVE DATA" stamp across the plot, so no screenshot passes for real statistics.

    ``scale`` shrinks it for narrow figures (half-width maps) so it stays inside them.
    """
    return {
        "text": plotly_text(i18n.t("watermark", context.locale)),
        "name": "watermark",
        "xref": "paper",
        "yref": "paper",
        "x": 0.5,
        "y": 0.5,
        "showarrow": False,
        "textangle": -18,
        "font": {
            "size": round(context.sizes.watermark * scale),
            "color": THEMES[context.theme].watermark,
        },
    }


def base_layout(fig: go.Figure, *, title: str, context: ChartContext, templated: bool = False) -> None:
    """The template (unless ``templated``: px was given it), escaped title and subtitle, the
    language's number separators and the system font."""
    if not templated:
        fig.update_layout(template=template(context.theme, context.presentation))
    if context.presentation:  # the scene's title is the one title; the filters go in the footer
        fig.update_layout(
            title={"text": ""},
            separators=i18n.separators(context.locale),
            font={"family": FONT},
        )
        return
    fig.update_layout(
        title={
            "text": plotly_text(title),
            "subtitle": {"text": plotly_text(context.subtitle)},
            "x": 0,
            "xanchor": "left",
            # At the top of the figure, not centred in the top margin where timeline labels go.
            "yref": "container",
            "y": 1,
            "yanchor": "top",
            "pad": {"t": 12},
        },
        separators=i18n.separators(context.locale),
        font={"family": FONT},
    )


def _axis_room(context: ChartContext) -> float:
    """Px under a plot for its x axis: tick labels and a title, or on a projector tick labels only."""
    return (1.5 if context.presentation else 3.6) * context.sizes.base


def footer_annotations(notes: list[str], context: ChartContext, width: int | None = None) -> list[dict]:
    """The source line and notes under the plot, named ``sources`` and ``note``.

    ``width`` (characters) wraps long lines for narrow figures such as half-width maps.
    """
    sizes, colours = context.sizes, THEMES[context.theme]
    if context.presentation:
        lines = _stage_lines(notes, context, width or STAGE_LINE, narrow=width is not None)
    else:
        lines = [line for line in (_source_line(context), *notes) if line]
    out, shift = [], _axis_room(context) + 10
    for i, line in enumerate(lines):
        text = plotly_text(line) if context.presentation and width is None else _wrap(line, width or 150)
        out.append(
            {
                "text": text,
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": 0,
                "yshift": -shift,
                "xanchor": "left",
                "yanchor": "top",
                "align": "left",
                "showarrow": False,
                "font": {"size": sizes.small, "color": colours.muted},
                "name": "sources" if i == 0 and context.sources else "note",
            }
        )
        shift += (sizes.small + 6) * (text.count("<br>") + 1)
    return out


#: Characters in one footer line of a full-width scene: 18 px text across the 1760 px a 1920-wide
#: screen gives the figure, Cyrillic included (about 10.4 px a character in the system fonts).
STAGE_LINE = 150


def _stage_lines(notes: list[str], context: ChartContext, width: int, narrow: bool = False) -> list[str]:
    """The footer of a scene on a projector: the filters and the sources on one line, then each
    note (the protection note in its short form) shortened to one line of ``width`` characters;
    the timeline's key, and every line of a ``narrow`` figure, in two lines at most."""
    from refugee_stats.protect import footnote

    first = " · ".join(part for part in (context.subtitle, _source_line(context, limit=1)) if part)
    long, key = footnote(context.locale), timeline_key(context)
    out = []
    for line in (
        first,
        *(i18n.t("protection_note_short", context.locale) if n == long else n for n in notes),
    ):
        if line == key or (line and narrow):
            # The timeline's key names every numbered event, and a narrow figure (a half-width
            # map) keeps its sources and protection note whole: two lines each at most.
            wrapped = textwrap.wrap(line, width)
            if len(wrapped) > 2:
                wrapped = [wrapped[0], textwrap.shorten(" ".join(wrapped[1:]), width, placeholder="…")]
            out += wrapped
        elif line:
            out.append(textwrap.shorten(line, width, placeholder="…"))
    return out


def _legend_width(fig: go.Figure, context: ChartContext) -> int:
    """Px the vertical legend needs right of the plot (estimated from its longest entry)."""
    names = [t.name or "" for t in traces(fig) if t.showlegend is not False]
    if not names:
        return 20
    return int(max(map(len, names)) * context.sizes.base * 0.58 + 70)


def finish(
    fig: go.Figure,
    *,
    title: str,
    context: ChartContext,
    notes: list[str],
    extra: list[dict] | None = None,
    top: float | None = None,
    axis_below: bool = True,
    wrap: int | None = None,
    below: float = 0.0,
    watermark_scale: float = 1.0,
    left: int = 20,
    right: int = 20,
    templated: bool = True,
) -> go.Figure:
    """The finish every figure shares: template, escaped title and subtitle, number separators,
    the source line and ``notes`` under the plot, the watermark when illustrative data is in view,
    ``extra`` annotations (timeline labels) and margins that fit them.

    ``axis_below`` leaves room for an x axis under the plot (none under a map or a flow), ``below``
    px more (a horizontal colour bar); ``wrap`` and ``watermark_scale`` fit the text to narrow figures such as half-width maps;
    ``templated`` says the figure has its template already (px figures are given it when made).
    """
    sizes = context.sizes
    base_layout(fig, title=title, context=context, templated=templated)
    footer = footer_annotations(notes, context, width=wrap)
    axis = (_axis_room(context) if axis_below else 0.0) + below
    for line in footer:  # no axis under the plot: lift the lines into the room its title would take
        line["yshift"] += _axis_room(context) - axis
    annotations = [*layout(fig).annotations, *(extra or []), *footer]
    if context.illustrative:
        annotations.append(watermark_annotation(context, scale=watermark_scale))
    lines = sum(a["text"].count("<br>") + 1 for a in footer)
    fig.update_layout(
        annotations=annotations,
        margin={
            "t": int(
                top
                if top is not None
                else (20 if context.presentation else sizes.title * 2 + sizes.base * 2 + 20)
            ),
            "b": int(axis + 20 + (sizes.small + 6) * (lines if axis_below else max(lines, 1))),
            "l": left,
            "r": right,
        },
    )
    return fig


def _decorate(
    fig: go.Figure, *, title: str, context: ChartContext, notes: list[str], panel_titles: bool = False
) -> go.Figure:
    """:func:`finish` for a chart over time: the period axis and its ticks, the timeline's events
    (labels in rows above the plot), a stacked bar mode and a legend as wide as its longest name."""
    sizes = context.sizes
    fig.update_xaxes(type="date")
    if context.x_range is not None:
        ticks, texts = time_ticks(context.x_range, context.locale)
        fig.update_xaxes(
            range=[context.x_range[0], context.x_range[1] + pd.Timedelta(days=1)],
            tickvals=ticks,
            ticktext=texts,
        )
    fig.update_yaxes(rangemode="tozero")
    shapes, labels = _timeline_marks(context)
    # Timeline labels sit in rows above the plot (and above a first panel title), never over the bars.
    base = 4 + (sizes.base * 1.4 if panel_titles else 0)
    if context.presentation:  # one row of numbers, the key under the plot
        for label in labels:
            label["yshift"] = base
        rows, top = 0, base + sizes.small * 1.3 + 6
        notes = [timeline_key(context), *notes]
        fig.update_xaxes(title_text=None)  # the ticks are years and months: the axis needs no name
    else:
        rows = _stack_labels(labels, context, base)
        top = sizes.title * 2 + sizes.base * 2 + 20 + base + rows * _row_height(context)
    legend = _legend_width(fig, context)
    finish(fig, title=title, context=context, notes=notes, extra=labels, top=top, left=80, right=legend)
    fig.update_layout(
        height=int(sizes.height + rows * _row_height(context)),
        barmode="stack",
        # Entries as wide as the longest name: plotly's own measure clips line-symbol entries.
        legend={
            "orientation": "v",
            "title": {"text": ""},
            "entrywidth": legend - 60,
            "entrywidthmode": "pixels",
        },
        hovermode="closest",
        # One layout update: adding shapes one by one re-validates them all each time.
        shapes=shapes,
    )
    return fig


def empty_figure(*, title: str, context: ChartContext, message: str) -> go.Figure:
    """A figure that says plainly that nothing matches, with no axes."""
    fig = go.Figure()
    base_layout(fig, title=title, context=context)
    fig.update_layout(
        xaxis={"visible": False},
        yaxis={"visible": False},
        height=int(context.sizes.height * 0.6),
        margin={"t": int(context.sizes.title * 2 + context.sizes.base * 2 + 20)},
    )
    fig.add_annotation(
        text=_wrap(message, 60),
        name="empty",
        xref="paper",
        yref="paper",
        x=0.5,
        y=0.5,
        showarrow=False,
        font={"size": context.sizes.title},
    )
    return fig


def _order(data: pd.DataFrame) -> list[str]:
    """Nationality codes, most people first (ties as they come) and "Other" last."""
    totals = (
        data.groupby("nationality", sort=False)["people"].sum().sort_values(ascending=False, kind="stable")
    )
    order = [str(c) for c in totals.index if c != OTHER]
    return order + ([OTHER] if OTHER in totals.index else [])


#: The order a chart stacks and lists nationalities in (its descriptions name them so).
nationality_order = _order


def _nationality_bars(data: pd.DataFrame, value: str, context: ChartContext, template_text: str) -> go.Figure:
    """Stacked bars per nationality, largest first and "Other" last, coloured consistently."""
    order = _order(data)
    shown = {code: plotly_text(country_label(code, context.locale)) for code in order}
    colours = nationality_colours(order, context.theme)
    hover = {"label": _period_labels(data["period_start"], context), "count": _texts(data, "people")}
    if "share_text" in data:
        hover["share_text"] = list(data["share_text"])
    fig = _bar_figure(
        data,
        value=value,
        y="people_detained" if value == "people" else "share",
        names=[shown[c] for c in data["nationality"]],
        order=list(shown.values()),
        colours={shown[c]: colours[c] for c in order},
        hover=hover,
        template_text=template_text,
        context=context,
    )
    # The legend reads as the stack does, top down (px's one legend group per trace would
    # otherwise turn it the other way up).
    fig.update_layout(legend_traceorder="reversed")
    return fig


def _count(context: ChartContext, count_is_y: bool = True) -> str:
    """What a hover template writes for a bar's count: ``y`` itself, grouped by the layout's
    separators, unless it is not the drawn value or may be ``<5`` (public mode): then the
    protected text in ``customdata[1]``."""
    return "%{y:,}" if count_is_y and not context.public else "%{customdata[1]}"


def detentions_figure(
    data: pd.DataFrame,
    *,
    context: ChartContext,
    totals: pd.DataFrame | None = None,
    unplaced: pd.DataFrame | None = None,
    title: str | None = None,
) -> go.Figure:
    """Stacked bars of people detained per period by nationality, and a line for those who held UNHCR status.

    ``data`` is :func:`refugee_stats.aggregate.detentions_by_period` output (with what to show
    from :func:`refugee_stats.protect.annotate` when it carries ``*_text`` columns); ``totals``
    holds one row per period of the true counts (default: summed from ``data``).
    """
    lang = context.locale
    title = title or i18n.t("chart_detentions", lang)
    if data.empty:
        message = empty_message(unplaced, context, "empty_detentions")
        return empty_figure(title=title, context=context, message=message)
    people = i18n.t("hover_people", lang)
    hover = "%{customdata[0]}<br>%{fullData.name}: " + _count(context) + " " + people
    fig = _nationality_bars(data, "people", context, hover)
    if totals is None:
        totals = data.groupby("period_start", as_index=False)[
            ["people", "unhcr_refugees", "unhcr_unknown"]
        ].sum()
    # Records that never state a UNHCR status (official statistics) say so once, instead of a line at 0.
    status_note = i18n.t("no_status_recorded", lang) if totals["unhcr_refugees"].isna().all() else ""
    totals = _every_period(totals, context)
    line = THEMES[context.theme].line
    withheld = _withheld(totals, "unhcr_refugees")
    # One line over the bars: a plain trace (px.line would add nothing but a second figure to merge).
    fig.add_scatter(
        visible=not status_note,
        showlegend=not status_note,
        x=_dates(totals["period_start"]),
        # Unknown stays unknown: a gap, not zero. Withheld counts: hollow markers at a nominal height.
        y=_refugee_line(totals),
        marker_symbol=[("circle-open" if h else "circle") for h in withheld] if any(withheld) else "circle",
        connectgaps=False,
        name=context.plot_label("unhcr_refugees"),
        mode="lines+markers",
        line={"color": line, "width": 3 if context.presentation else 2.5, "dash": "dash"},
        marker={"size": 9 if context.presentation else 7, "color": line},
        xperiod=XPERIOD[context.granularity],
        xperiod0="2000-01-01",
        xperiodalignment="middle",
        customdata=list(
            zip(
                _period_labels(totals["period_start"], context),
                _texts(totals, "people"),
                _texts(totals, "unhcr_unknown"),
                _texts(totals, "unhcr_refugees"),
                strict=True,
            )
        ),
        hovertemplate="%{customdata[0]}<br>" + i18n.t("hover_unhcr", lang) + "<extra></extra>",
    )
    return _decorate(
        fig,
        title=title,
        context=context,
        notes=_notes(context, _unplaced_note(unplaced, context), status_note),
    )


def cases_note(cases: int, lang: str, public: bool) -> str:
    """``Not drawn: 3 decisions counted in cases, not persons.`` (in the plural the count asks for;
    ``<5 decisions`` for 1 to 4 in public mode)."""
    if protect.text(cases, lang, public) == protect.LESS_THAN:
        return i18n.t("cases_note_small", lang)
    return i18n.tn("cases_note", cases, lang)


def decisions_figure(
    data: pd.DataFrame,
    *,
    context: ChartContext,
    unplaced: pd.DataFrame | None = None,
    cases: int = 0,
    title: str | None = None,
) -> go.Figure:
    """Stacked bars of people per period by decision, one panel per authority; revocations in a strong colour.

    ``data`` is :func:`refugee_stats.aggregate.decisions_by_period` output; ``cases`` counts
    case-counted decisions left out (they are never added to persons).
    """
    lang = context.locale
    title = title or i18n.t("chart_decisions", lang)
    if data.empty:
        message = empty_message(unplaced, context, "empty_decisions")
        return empty_figure(title=title, context=context, message=message)
    authority = {a: plotly_text(i18n.choice("authority", a, lang)) for a in AUTHORITIES}
    decision = {d: plotly_text(i18n.choice("decision", d, lang)) for d in DECISIONS}
    present = set(data["authority"])
    panels = [authority[a] for a in AUTHORITIES if a in present]
    people = i18n.t("hover_people", lang)
    fig = _bar_figure(
        data,
        value="people",
        y="people",
        names=[decision[d] for d in data["decision"]],
        order=list(decision.values()),
        colours={decision[d]: DECISION_COLOURS[context.theme][d] for d in DECISIONS},
        hover={
            "label": _period_labels(data["period_start"], context),
            "count": _texts(data, "people"),
        },
        template_text="%{customdata[0]}<br>{panel}, %{fullData.name}: " + _count(context) + " " + people,
        context=context,
        panels=[authority[a] for a in data["authority"]],
        panel_order=panels,
    )
    outline = THEMES[context.theme].line
    fig.update_traces(
        marker_line={"color": outline, "width": 2}, selector={"legendgroup": decision["revoked"]}
    )
    notes = _notes(
        context,
        _unplaced_note(unplaced, context),
        cases_note(cases, lang, context.public) if cases else "",
    )
    fig = _decorate(fig, title=title, context=context, notes=notes, panel_titles=True)
    if not context.presentation:  # on a projector the scene must fit one screen
        fig.update_layout(height=max(layout(fig).height, 200 + 170 * len(panels)))
    fig.update_annotations(font_size=context.sizes.base, selector={"name": None})
    # One axis title, beside the middle panel: three would overlap on short panels. px counts
    # panels from the bottom.
    fig.update_yaxes(title_text=None)
    fig.update_yaxes(title_text=context.plot_label("people"), row=len(panels) // 2 + 1, col=1)
    return fig


def nationalities_figure(
    data: pd.DataFrame,
    *,
    context: ChartContext,
    unplaced: pd.DataFrame | None = None,
    title: str | None = None,
) -> go.Figure:
    """100 % stacked bars: each nationality's share of the people detained per period (top 8 and Other).

    ``data`` is :func:`refugee_stats.aggregate.detentions_by_period` output with a ``share`` column.
    """
    lang = context.locale
    title = title or i18n.t("chart_nationalities", lang)
    if data.empty:
        message = empty_message(unplaced, context, "empty_detentions")
        return empty_figure(title=title, context=context, message=message)
    # The share as text: a withheld count's share is blank, or it would give the count back.
    share = "%{customdata[2]}" if "share_text" in data else "%{y:.0f}%"
    hover = (
        "%{customdata[0]}<br>%{fullData.name}: "
        + share
        + " (%{customdata[1]} "
        + i18n.t("hover_people", lang)
        + ")"
    )
    fig = _nationality_bars(data, "share", context, hover)
    fig = _decorate(
        fig, title=title, context=context, notes=_notes(context, _unplaced_note(unplaced, context))
    )
    fig.update_yaxes(range=[0, 100], ticksuffix="%")
    return fig


#: The nodes of the status pipeline, left to right, and their colours' places in the theme's
#: palette (unknown status and no outcome grey, revocation rose, removals in the dark tones).
PIPELINE_NODES = {
    "detained": 0,
    "unhcr_refugees": 2,
    "other_detained": 1,
    "status_unknown": None,
    "revoked": 6,
    "not_revoked": 3,
    "release": 5,
    "extradition": 7,
    "deportation": 8,
    "forced_return": 4,
    "no_outcome": None,
}
#: The second grey, for flows that have no outcome: apart from the first, 3:1 on the background.
NO_OUTCOME_COLOURS = {"light": "#8C8C8C", "dark": "#DDDDDD"}


def pipeline_colours(theme: str = "light") -> dict[str, str]:
    """Each pipeline node's colour in ``theme``."""
    palette = PALETTES[theme]
    out = {n: OTHER_COLOURS[theme] if i is None else palette[i] for n, i in PIPELINE_NODES.items()}
    out["no_outcome"] = NO_OUTCOME_COLOURS[theme]
    return out


def _rgba(colour: str, alpha: float) -> str:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{alpha})"


def pipeline_figure(
    data: pd.DataFrame, *, nodes: pd.DataFrame, context: ChartContext, title: str | None = None
) -> go.Figure:
    """A flow (Sankey) from the people detained to whether they held UNHCR refugee status (or it is
    not recorded), from the refugees to whether their status was revoked, and from there to what
    happened next (when any outcome names the detentions).

    ``data`` is one row per flow and ``nodes`` one row per node
    (:func:`refugee_stats.aggregate.status_pipeline`, protected: ``people_text`` is what is shown
    and ``people_drawn`` the width drawn). Flows of 0 or unknown are not drawn.
    """
    lang = context.locale
    title = title or i18n.t("chart_pipeline", lang)
    flows = data[data["people"].fillna(0).to_numpy() > 0] if len(data) else data
    if flows.empty or not (flows["source"] == "detained").any():
        return empty_figure(title=title, context=context, message=i18n.t("empty_detentions", lang))
    node_colours = pipeline_colours(context.theme)
    used = [n for n in node_colours if n in set(flows["source"]) | set(flows["target"])]
    index = {n: i for i, n in enumerate(used)}
    shown = dict(zip(nodes["node"], nodes["people_text"], strict=True))
    # The count under the name: two short lines leave room between the columns' labels.
    labels = [f"{plotly_text(i18n.t(f'pipeline_{n}', lang))}<br>{plotly_text(shown[n])}" for n in used]
    sizes, colours = context.sizes, THEMES[context.theme]
    fig = go.Figure(
        go.Sankey(
            arrangement="snap",
            node={
                "label": labels,
                "align": "left",  # each stage in its own column, also where nothing follows
                "color": [node_colours[n] for n in used],
                "pad": int(sizes.base * 2.2),  # room for two-line labels beside small nodes
                "thickness": 26,
                "line": {"width": 0},
                "hovertemplate": "%{label}<extra></extra>",
            },
            link={
                "source": [index[s] for s in flows["source"]],
                "target": [index[t] for t in flows["target"]],
                "value": flows["people_drawn"].tolist(),
                "color": [_rgba(node_colours[t], 0.45) for t in flows["target"]],
                "customdata": [
                    [
                        plotly_text(i18n.t(f"pipeline_{a}", lang)),
                        plotly_text(i18n.t(f"pipeline_{b}", lang)),
                        plotly_text(t),
                    ]
                    for a, b, t in zip(flows["source"], flows["target"], flows["people_text"], strict=True)
                ],
                "hovertemplate": "%{customdata[0]} → %{customdata[1]}: %{customdata[2]}<extra></extra>",
            },
            textfont={"size": sizes.base, "color": colours.text},
        )
    )
    # Five columns of labels need the room on a screen; on a projector the figure is the scene.
    fig.update_layout(height=int(sizes.height * (0.92 if context.presentation else 1.25)))
    return finish(
        fig,
        title=title,
        context=context,
        notes=_notes(context, i18n.t("pipeline_note", lang)),
        templated=False,
    )
