"""A talk as slides: one offline HTML file to present, and a PDF handout to give away.

A :class:`Slide` is everything one presentation scene shows, already in one language: its
title and takeaway, its figure(s) (or the key figures), the chart's data as a table, the
sources, the protection note in public mode, the link that reproduces it in the dashboard and
the speaker's notes. :func:`slide_for` makes one from a :class:`~refugee_stats.view.View` (an
authored talk gives its own title, takeaway, notes and link); :func:`tour_slides` makes the
default tour, one slide per :data:`refugee_stats.registry.SCENES`.

:func:`talk_html` writes the slides as ONE self-contained HTML file: plotly.js once, the map
borders the maps need inlined (plotly.js looks in ``window.PlotlyGeoAssets.topojson`` before it
fetches ``<topojsonURL><scope>_<res>m.json``), no address of any other file or host, so it
plays from a USB stick in any browser. Each chart in it is a ``<figure>`` named and described in
words (:class:`refugee_stats.describe.Description`), with PNG and SVG downloads under the pointer.
:func:`handout_pdf` prints one A4 landscape page per slide, each chart with its long description
under it, with Debian's chromium (Playwright), offline. No streamlit here.
"""

from __future__ import annotations

import asyncio
import dataclasses
import html
import json
import os
import re
import tempfile
import textwrap
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pandas as pd
import plotly.graph_objects as go
import plotly.offline

from refugee_stats import (
    charts,
    describe,
    downloads,
    i18n,
    maps,
    protect,
    registry,
    story,
    urlstate,
)
from refugee_stats import talk as talks
from refugee_stats.compute import backend_for
from refugee_stats.escape import plotly_text
from refugee_stats.filters import Filters
from refugee_stats.ingest.dataset import Dataset
from refugee_stats.talk import Talk
from refugee_stats.view import Display, View, build_view, render

#: The chromium that prints the handout (Debian's); ``$REFUGEE_STATS_CHROMIUM`` overrides it.
CHROMIUM = "/usr/bin/chromium"
#: Rows of a chart's data a handout page shows (a map page, per map) before "… N more rows".
PAGE_ROWS = 16
MAP_PAGE_ROWS = 6  # with each map's description printed under it
#: How many sources a slide names before "and N more".
MAX_SOURCES = 4
#: The plotly.js config of a talk's charts.
#: The player adds the modebar's two buttons (PNG and SVG downloads: they need functions, so
#: they are written in its script), shown when the pointer is over a chart.
TALK_CONFIG: dict[str, object] = {"responsive": True, "displaylogo": False}
#: Columns of a chart's download left out of a slide's table: codes and ISO dates sit beside the
#: names and labels they code (the CSV download keeps them).
_HIDDEN_COLUMNS = ("period_start",)


@dataclass(frozen=True, eq=False)
class SlideTable:
    """A table on a slide: its title and its cells as shown (column names and text in the language)."""

    title: str
    frame: pd.DataFrame


@dataclass(frozen=True, eq=False)
class Slide:
    """Everything one scene shows, in one language.

    ``figures`` are drawn without the source line and the protection note (``sources`` and
    ``protection_note`` carry them as text, shown under every slide); an illustrative figure
    keeps its watermark. The key-figures scene has ``key_figures`` (label, value) instead of a
    figure. ``notes`` are the speaker's: never in the audience's HTML.
    """

    scene: str
    number: int
    lang: str
    theme: str
    title: str
    takeaway: str
    subtitle: str
    figures: tuple[go.Figure, ...] = ()
    key_figures: tuple[tuple[str, str], ...] = ()
    #: (label, note): a line under the key figure of that label ("status unknown for 73 people").
    key_figure_notes: tuple[tuple[str, str], ...] = ()
    tables: tuple[SlideTable, ...] = ()
    sources: str = ""
    protection_note: str = ""
    illustrative: bool = False
    link: str = ""
    notes: str = ""
    public: bool = False
    #: Each figure in words, in the order of ``figures``: its short description (the figure's
    #: ``aria-label``, the PDF image's ``alt``) and its long one (``figcaption``, printed under it).
    descriptions: tuple[describe.Description, ...] = ()


# -- slides ----------------------------------------------------------------------------------


def scene_title(scene: str, lang: str) -> str:
    """The title of a presentation scene, as the dashboard shows it."""
    key = registry.BY_KEY[scene].scene_title if scene in registry.BY_KEY else f"scene_{scene}"
    return i18n.t(key, lang)


def scene_link(view: View, scene: str, base_url: str = "") -> str:
    """The dashboard link that opens ``scene`` of ``view`` in presentation mode: ``base_url`` (the
    dashboard's address, may be "") then the query string of :func:`refugee_stats.urlstate.encode`."""
    state = urlstate.State(
        filters=view.filters,
        lang=view.lang,
        theme=view.display.theme,
        present=True,
        scene=registry.SCENES.index(scene) + 1,
        public=view.public,
    )
    return f"{base_url}?{urlencode(urlstate.encode(state), doseq=True)}"


def source_line(sources: Sequence[str], lang: str, limit: int = MAX_SOURCES) -> str:
    """``Source: A; B and 2 more …`` in ``lang`` ("" without sources)."""
    if not sources:
        return ""
    shown = [textwrap.shorten(s, 160, placeholder="…") for s in sources[:limit]]
    if len(sources) > limit:
        shown.append(i18n.t("source_more", lang, n=len(sources) - limit))
    return i18n.t("source_line", lang, sources="; ".join(shown))


def _cell(value: object, lang: str) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, bool):
        return "✓" if value else ""
    if isinstance(value, int | float) or (hasattr(value, "dtype") and not isinstance(value, str)):
        number = float(value)  # type: ignore[arg-type]
        return i18n.number(int(number), lang) if number.is_integer() else i18n.number(round(number, 1), lang)
    return str(value)


def shown_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A download's frame as a slide shows it: names and labels without their codes, column
    names in ``lang``, every cell as text (numbers in the locale's format, blank when unknown)."""
    kept = [c for c in frame.columns if c not in _HIDDEN_COLUMNS and not str(c).endswith("_code")]
    return pd.DataFrame(
        {downloads.column_label(str(c), lang): [_cell(v, lang) for v in frame[c].tolist()] for c in kept},
        dtype=object,
    )


def _map_table(view: View, by: str, lang: str) -> SlideTable:
    """People detained per country as the map shows them (``<5`` and ``x`` in public mode)."""
    frame = view.charts["map"].frames[by]
    names = [
        i18n.t("other", lang) if c == "_other" else charts.country_label(str(c), lang) for c in frame[by]
    ]
    people = [
        protect.WITHHELD if hidden and not small else protect.LESS_THAN if small else str(int(n))
        for n, small, hidden in zip(
            frame["people"],
            frame.get("people_small", pd.Series(False, index=frame.index)),
            frame.get("people_hidden", pd.Series(False, index=frame.index)),
            strict=True,
        )
    ]
    data = pd.DataFrame({"host" if by == "host_country" else "nationality": names, "people": people})
    if not view.public:
        data["people"] = frame["people"].astype("Int64").to_numpy()
    title = i18n.t("chart_map_host" if by == "host_country" else "chart_map_nationality", lang)
    return SlideTable(title, shown_table(data, lang))


def _squash(text: str) -> str:
    return re.sub(r"<br>|\s", "", text)


def _without_note(fig: go.Figure, note: str, context: charts.ChartContext) -> go.Figure:
    """``fig`` without the annotation that draws ``note`` (a slide shows it as text), its bottom
    margin shrunk by the lines it took."""
    target = _squash(plotly_text(note))
    annotations = list(charts.layout(fig).annotations)
    kept = [a for a in annotations if _squash(a.text or "") != target]
    if len(kept) == len(annotations):
        return fig
    lines = sum((a.text or "").count("<br>") + 1 for a in annotations if a not in kept)
    margin = charts.layout(fig).margin
    bottom = max(int((margin.b or 0) - (context.sizes.small + 6) * lines), 20)
    # Assigned, not updated: ``update_layout(annotations=...)`` merges a list into the old one by index.
    charts.layout(fig).annotations = [a.to_plotly_json() for a in kept]
    fig.update_layout(margin={"b": bottom})
    return fig


def _figures(view: View, scene: str) -> tuple[go.Figure, ...]:
    """The scene's figure(s), drawn without the source line and the protection note."""
    bare = dataclasses.replace(view, context=dataclasses.replace(view.context, sources=()))
    if scene == "map":
        drawn = tuple(
            maps.map_figure(frame, by=by, context=bare.context)
            for by, frame in bare.charts["map"].frames.items()
        )
    elif scene in registry.BY_KEY:
        drawn = (registry.BY_KEY[scene].figure(bare),)
    else:
        return ()
    if not view.public:
        return drawn
    return tuple(_without_note(fig, protect.footnote(view.lang), view.context) for fig in drawn)


def _key_figures(view: View, lang: str) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    """The key figures as the dashboard's scene shows them: (label, value) pairs, and (label, note)
    for the lines under them (a status that is unknown stays unknown: a dash, never 0)."""
    text, figures = view.key_figure_text, view.key_figures
    notes: list[tuple[str, str]] = []
    refugees_label = i18n.t("of_whom_refugees", lang)
    if figures.unhcr_refugees is None:
        refugees = "—"
        notes.append((refugees_label, i18n.t("status_not_recorded", lang)))
    else:
        refugees = text["unhcr_refugees"]
        if figures.unhcr_unknown:
            unknown = story.people_phrase(
                figures.unhcr_unknown, view.key_figure_status["unhcr_unknown"], lang
            )
            notes.append((refugees_label, i18n.t("status_unknown_for", lang, unknown=unknown)))
    pairs = (
        (i18n.t("people_detained", lang), text["people_detained"]),
        (i18n.t("incidents", lang), text["incidents"]),
        (refugees_label, refugees),
        (i18n.t("revocations", lang), text["revocations"]),
        (i18n.t("removed", lang), text["people_removed"]),
    )
    return pairs, tuple(notes)


def slide_for(
    view: View,
    scene: str,
    *,
    lang: str,
    title: str | None = None,
    takeaway: str | None = None,
    notes: str = "",
    link: str = "",
) -> Slide:
    """The slide of one scene (a name in :data:`refugee_stats.registry.SCENES`) of ``view``, in
    ``lang`` and presentation sizes (the view is rendered again if it is in another language or
    mode; no number is computed again). ``title`` and ``takeaway`` override the scene's own;
    ``link`` is the dashboard link that reproduces it (see :func:`scene_link`)."""
    if scene not in registry.SCENES:
        raise ValueError(f"scene must be one of {', '.join(registry.SCENES)}, not {scene!r}")
    if view.lang != lang or not view.display.presentation:
        view = render(view.data, Display(lang, view.display.theme, presentation=True))
    pairs: tuple[tuple[str, str], ...] = ()
    pair_notes: tuple[tuple[str, str], ...] = ()
    tables: tuple[SlideTable, ...] = ()
    words: tuple[describe.Description, ...] = ()
    if scene == "key_figures":
        pairs, pair_notes = _key_figures(view, lang)
    elif scene == "map":
        tables = tuple(_map_table(view, by, lang) for by in view.charts["map"].frames)
        words = tuple(describe.map_descriptions(view).values())
    else:
        frame = registry.chart_data(view, lang, kinds=(scene,))[scene]
        tables = (SlideTable(i18n.t(registry.BY_KEY[scene].title, lang), shown_table(frame, lang)),)
        words = (registry.described(view)[scene],)
    return Slide(
        scene=scene,
        number=registry.SCENES.index(scene) + 1,
        lang=lang,
        theme=view.display.theme,
        title=title if title is not None else scene_title(scene, lang),
        takeaway=takeaway if takeaway is not None else registry.TAKEAWAYS[scene](view, lang),
        subtitle=view.filters.describe(lang),
        figures=_figures(view, scene),
        key_figures=pairs,
        key_figure_notes=pair_notes,
        tables=tables,
        sources=source_line(view.context.sources, lang),
        protection_note=protect.footnote(lang) if view.public else "",
        illustrative=view.illustrative,
        link=link,
        notes=notes,
        public=view.public,
        descriptions=words,
    )


def whole_data_filters(dataset: Dataset) -> Filters:
    """The filters the dashboard opens on: every record, over the data's span, at its default period."""
    backend = backend_for(dataset)
    span = backend.months()
    period = backend.default_granularity(Filters())
    return Filters(date_from=span[0] if span else None, date_to=span[1] if span else None, granularity=period)


def tour_slides(
    dataset: Dataset,
    filters: Filters,
    *,
    lang: str,
    public: bool,
    theme: str = "light",
    base_url: str = "",
) -> list[Slide]:
    """The default tour: one slide per :data:`refugee_stats.registry.SCENES` for one filter, each
    with its link (``base_url`` is the dashboard's address) and, as notes, the chart's description
    in words (:func:`refugee_stats.registry.descriptions`; none for the key figures and the maps)."""
    view = build_view(dataset, filters, locale=lang, theme=theme, presentation=True, public=public)
    described = registry.descriptions(view)
    return [
        slide_for(
            view,
            scene,
            lang=lang,
            notes=described.get(scene, ""),
            link=scene_link(view, scene, base_url),
        )
        for scene in registry.SCENES
    ]


def talk_slides(
    dataset: Dataset, talk: Talk, *, lang: str, theme: str = "light", base_url: str = ""
) -> list[Slide]:
    """An authored talk's slides, in its order: each scene's chart with the filters of its link,
    its title, takeaway and notes in ``lang`` (English, then the scene's own, where a language's
    text is missing), the talk's protection, and the link that opens it on the dashboard."""
    hosts, nationalities, months = talks.data_bounds(dataset)
    out = []
    for number, scene in enumerate(talk.scenes, start=1):
        state = talks.scene_state(
            scene, talk, hosts=hosts, nationalities=nationalities, months=months, lang=lang
        )
        view = build_view(
            dataset, state.filters, locale=lang, theme=theme, presentation=True, public=talk.public
        )
        state = dataclasses.replace(state, theme=theme)
        slide = slide_for(
            view,
            scene.chart,
            lang=lang,
            title=talks.scene_title(scene, lang),
            takeaway=talks.scene_takeaway(scene, view, lang),
            notes=talks.scene_notes(scene, lang),
            link=f"{base_url}?{urlencode(urlstate.encode(state), doseq=True)}",
        )
        out.append(dataclasses.replace(slide, number=number))
    return out


def page_slides(
    dataset: Dataset, talk: Talk | None, state: urlstate.State, *, base_url: str = ""
) -> list[Slide]:
    """What a dashboard page plays, as slides: ``talk`` (the talk presentation mode plays), else the
    standard tour of the page's filters; either in the page's language, theme and protection
    (``state.protected``: public mode as the page shows it, whatever the talk file says)."""
    if talk is not None:
        shown = dataclasses.replace(talk, public=state.protected)
        return talk_slides(dataset, shown, lang=state.lang, theme=state.theme, base_url=base_url)
    return tour_slides(
        dataset, state.filters, lang=state.lang, public=state.protected, theme=state.theme, base_url=base_url
    )


def deck_title(talk: Talk | None, lang: str) -> str:
    """The title of an exported talk: the talk's in ``lang``, else the dashboard's."""
    return (talks.talk_title(talk, lang) if talk is not None else "") or i18n.t("app_title", lang)


# -- HTML ------------------------------------------------------------------------------------


def _e(text: object) -> str:
    """Data text escaped for HTML (element content and quoted attributes)."""
    return html.escape(str(text), quote=True)


def script_json(value: object) -> str:
    """JSON that is safe inside a ``<script>`` element: no ``<``, ``>`` or ``&`` left as such
    (JSON has them only inside strings, where ``\\u003c`` means the same)."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _figure_json(fig: go.Figure, *, width: int | None = None, height: int | None = None) -> str:
    """A figure's JSON for ``Plotly.newPlot``: sized by its box (``width``/``height`` unset), or fixed."""
    sized = go.Figure(fig)
    sized.update_layout(width=width, height=height, autosize=width is None)
    return str(sized.to_json())


def topojson_files(slides: Sequence[Slide]) -> list[str]:
    """The map files (``world_50m.json``...) the slides' figures draw with, each once."""
    names: list[str] = []
    for slide in slides:
        for fig in slide.figures:
            names += [n for n in maps.requested_files(fig) if n not in names]
    return names


def _geo_assets(slides: Sequence[Slide]) -> str:
    """Scripts that hand plotly.js the map files: ``window.PlotlyGeoAssets.topojson[<scope>_<res>m]``,
    which it reads before fetching a file (so it never fetches)."""
    out = []
    for name in topojson_files(slides):
        path = maps.TOPOJSON_DIR / name
        if not path.is_file():
            raise FileNotFoundError(f"{path}: the map borders are missing (see static/topojson/NOTICE.md)")
        key = name.removesuffix(".json")
        out.append(
            f'<script type="application/json" data-topojson="{_e(key)}">'
            f"{script_json(path.read_text(encoding='utf-8'))}</script>"
        )
    return "\n".join(out)


_GEO_SCRIPT = """
window.PlotlyGeoAssets = window.PlotlyGeoAssets || {topojson: {}};
window.PlotlyGeoAssets.topojson = window.PlotlyGeoAssets.topojson || {};
document.querySelectorAll("script[data-topojson]").forEach(function (el) {
  window.PlotlyGeoAssets.topojson[el.dataset.topojson] = JSON.parse(el.textContent);
});
"""


def _texts_html(slide: Slide) -> str:
    """The lines under a slide: sources, then the protection note."""
    parts = []
    if slide.sources:
        parts.append(f'<p class="sources">{_e(slide.sources)}</p>')
    if slide.protection_note:
        parts.append(f'<p class="protection">{_e(slide.protection_note)}</p>')
    return "".join(parts)


def _key_figures_html(slide: Slide) -> str:
    notes = dict(slide.key_figure_notes)
    cards = "".join(
        f'<div class="kf"><div class="kf-value">{_e(value)}</div><div class="kf-label">{_e(label)}</div>'
        + (f'<p class="kf-note">{_e(notes[label])}</p>' if label in notes else "")
        + "</div>"
        for label, value in slide.key_figures
    )
    watermark = (
        f'<div class="watermark">{_e(i18n.t("watermark", slide.lang))}</div>' if slide.illustrative else ""
    )
    return (
        f'<div class="key-figures"><p class="subtitle">{_e(slide.subtitle)}</p>'
        f'<div class="kf-row">{cards}</div>{watermark}</div>'
    )


def _words(slide: Slide, i: int) -> describe.Description:
    """The ``i``-th figure of a slide in words ("" for a slide made without descriptions)."""
    return slide.descriptions[i] if i < len(slide.descriptions) else describe.Description("", "")


def _filename(slide: Slide, i: int) -> str:
    """What a downloaded image of a slide's figure is called: ``refugee-stats-2-detentions-1``."""
    return f"refugee-stats-{slide.number}-{slide.scene}" + (f"-{i + 1}" if len(slide.figures) > 1 else "")


def figure_html(slide: Slide, index: int, i: int) -> str:
    """One figure of a talk's scene: a ``<figure>`` named by its short description
    (``aria-label``) and described by its long one, a ``<figcaption>`` visually hidden on stage
    (the scene's title and takeaway are what the room reads) but read by screen readers."""
    words = _words(slide, i)
    caption_id = f"figcaption-{index + 1}-{i + 1}"
    label = f' aria-label="{_e(words.short)}"' if words.short else ""
    described = f' aria-describedby="{caption_id}"' if words.long else ""
    caption = (
        f'<figcaption id="{caption_id}" class="sr-only">{_e(words.long)}</figcaption>' if words.long else ""
    )
    return (
        f'<figure class="chart"{label}{described}><div class="figure" data-figure="{i}" '
        f'data-filename="{_e(_filename(slide, i))}"></div>{caption}</figure>'
    )


def _scene_html(slide: Slide, index: int, total: int, lang: str) -> str:
    if slide.figures:
        body = (
            f'<div class="figures n{len(slide.figures)}">'
            + "".join(figure_html(slide, index, i) for i in range(len(slide.figures)))
            + "</div>"
        )
    else:
        body = _key_figures_html(slide)
    counter = i18n.t("scene_counter", lang, scene=index + 1, total=total)
    return (
        f'<section class="scene scene-{_e(slide.scene)}" data-index="{index}" data-counter="{_e(counter)}" hidden>'
        f'<header><h1>{_e(slide.title)}</h1><p class="takeaway">{_e(slide.takeaway)}</p></header>'
        f"{body}<footer>{_texts_html(slide)}</footer></section>"
    )


def _theme(slides: Sequence[Slide]) -> charts.Theme:
    return charts.THEMES[slides[0].theme if slides else "light"]


_TALK_CSS = """
*, *::before, *::after { box-sizing: border-box; }
:root { --u: calc(min(100vw, calc(100vh * 16 / 9)) / 1920); }
html, body { margin: 0; height: 100%; overflow: hidden; background: var(--paper); color: var(--text);
  font-family: FONT; }
#deck { position: absolute; inset: 0; margin: auto; overflow: hidden;
  width: min(100vw, calc(100vh * 16 / 9)); height: min(100vh, calc(100vw * 9 / 16)); }
.scene { position: absolute; inset: 0; display: flex; flex-direction: column;
  padding: calc(var(--u) * 28) calc(var(--u) * 48) calc(var(--u) * 72); }
.scene[hidden] { display: none; }
header h1 { font-size: calc(var(--u) * 56); line-height: 1.15; margin: 0; }
.takeaway { font-size: calc(var(--u) * 32); line-height: 1.3; margin: calc(var(--u) * 8) 0 calc(var(--u) * 12); }
.figures { flex: 1 1 auto; min-height: 0; display: flex; gap: calc(var(--u) * 24); }
figure.chart { flex: 1 1 0; min-width: 0; height: 100%; margin: 0; position: relative; }
.figure { width: 100%; height: 100%; }
.sr-only { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden;
  clip-path: inset(50%); white-space: nowrap; border: 0; }
footer { font-size: calc(var(--u) * 20); color: var(--muted); line-height: 1.3; }
footer p { margin: calc(var(--u) * 4) 0 0; }
.key-figures { flex: 1 1 auto; position: relative; display: flex; flex-direction: column;
  justify-content: center; min-height: 0; }
.subtitle { font-size: calc(var(--u) * 26); color: var(--muted); margin: 0 0 calc(var(--u) * 40); }
.kf-row { display: flex; gap: calc(var(--u) * 32); }
.kf { flex: 1 1 0; border-top: calc(var(--u) * 6) solid var(--accent); padding-top: calc(var(--u) * 16); }
.kf-value { font-size: calc(var(--u) * 110); font-weight: 700; line-height: 1.1; }
.kf-label { font-size: calc(var(--u) * 30); line-height: 1.25; }
.kf-note { font-size: calc(var(--u) * 24); color: var(--muted); margin: calc(var(--u) * 12) 0 0; }
.watermark { position: absolute; inset: 0; display: flex; align-items: center; justify-content: center;
  pointer-events: none; font-size: calc(var(--u) * 100); color: var(--watermark); transform: rotate(-18deg); }
nav { position: fixed; right: calc(var(--u) * 24); bottom: calc(var(--u) * 14); display: flex;
  gap: calc(var(--u) * 12); align-items: center; font-size: calc(var(--u) * 22); z-index: 10; }
nav button { font: inherit; color: var(--text); background: transparent; border: 1px solid var(--muted);
  border-radius: calc(var(--u) * 6); padding: calc(var(--u) * 4) calc(var(--u) * 14); cursor: pointer; }
#counter { min-width: 8em; text-align: center; }
.keys { position: fixed; left: calc(var(--u) * 48); bottom: calc(var(--u) * 18); font-size: calc(var(--u) * 16);
  color: var(--muted); opacity: 0.7; }
:fullscreen .keys { display: none; }
"""

_TALK_SCRIPT = """
(function () {
  var figures = JSON.parse(document.getElementById("talk-figures").textContent);
  var config = JSON.parse(document.getElementById("talk-config").textContent);
  var labels = JSON.parse(document.getElementById("talk-labels").textContent);
  // The modebar (on hover): the figure as PNG or as SVG, titled in the talk's language.
  function download(format) {
    return function (gd) {
      Plotly.downloadImage(gd, {format: format, scale: format === "png" ? 2 : 1, filename: gd.dataset.filename});
    };
  }
  config.modeBarButtons = [[
    {name: "download-png", title: labels.png, icon: Plotly.Icons.camera, click: download("png")},
    {name: "download-svg", title: labels.svg, click: download("svg"), icon: {width: 22, height: 22,
      path: "M10 3h2v9.2l3.3-3.3 1.4 1.4-5.7 5.7-5.7-5.7 1.4-1.4 3.3 3.3z M3 16h2v3h12v-3h2v5H3z"}}
  ]];
  var scenes = Array.prototype.slice.call(document.querySelectorAll(".scene"));
  var counter = document.getElementById("counter");
  var current = -1;
  function draw(scene, index) {
    var boxes = scene.querySelectorAll(".figure");
    var pending = [];
    boxes.forEach(function (box, i) {
      if (box.dataset.drawn) { Plotly.Plots.resize(box); return; }
      var fig = figures[index][i];
      box.dataset.drawn = "pending";
      pending.push(Plotly.newPlot(box, fig.data, fig.layout, config).then(function () {
        box.dataset.drawn = "1";
      }));
    });
    return Promise.all(pending);
  }
  function show(index) {
    index = Math.max(0, Math.min(scenes.length - 1, index));
    if (index === current) return;
    if (current >= 0) scenes[current].hidden = true;
    current = index;
    var scene = scenes[index];
    scene.hidden = false;
    counter.textContent = scene.dataset.counter;
    document.getElementById("prev").disabled = index === 0;
    document.getElementById("next").disabled = index === scenes.length - 1;
    try { history.replaceState(null, "", "#" + (index + 1)); } catch (e) { /* some file:// pages refuse */ }
    draw(scene, index);
  }
  function fullscreen() {
    if (document.fullscreenElement) { document.exitFullscreen(); }
    else if (document.documentElement.requestFullscreen) { document.documentElement.requestFullscreen(); }
  }
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.target.closest && event.target.closest(".modebar")) return;  // a download button's own keys
    var key = event.key;
    if (key === "PageDown" || key === "ArrowRight" || key === "ArrowDown" || key === " " || key === "Enter") {
      show(current + 1);
    } else if (key === "PageUp" || key === "ArrowLeft" || key === "ArrowUp" || key === "Backspace") {
      show(current - 1);
    } else if (key === "Home") {
      show(0);
    } else if (key === "End") {
      show(scenes.length - 1);
    } else if (key === "f" || key === "F") {
      fullscreen();
    } else {
      return;
    }
    event.preventDefault();
  });
  document.getElementById("prev").addEventListener("click", function () { show(current - 1); });
  document.getElementById("next").addEventListener("click", function () { show(current + 1); });
  document.getElementById("fullscreen").addEventListener("click", fullscreen);
  window.addEventListener("resize", function () {
    if (current < 0) return;
    scenes[current].querySelectorAll(".figure[data-drawn='1']").forEach(function (box) {
      Plotly.Plots.resize(box);
    });
  });
  var start = parseInt((location.hash || "").replace("#", ""), 10);
  show(isNaN(start) ? 0 : start - 1);
  window.talk = {show: show, current: function () { return current; }, draw: draw};
})();
"""


def _css_vars(theme: charts.Theme) -> str:
    watermark = "rgba(238, 85, 51, 0.4)" if theme.name == "dark" else "rgba(204, 51, 17, 0.28)"
    accent = charts.PALETTES[theme.name][0]
    return (
        f":root {{ --paper: {theme.paper}; --text: {theme.text}; --muted: {theme.muted}; "
        f"--watermark: {watermark}; --accent: {accent}; }}"
    )


def talk_html(slides: Sequence[Slide], *, lang: str, title: str) -> str:
    """The slides as one self-contained HTML file that plays full screen, 16:9, one scene at a
    time (PageDown/PageUp, arrows, Space, Home/End; F or the button for full screen).

    plotly.js is in it once, with the map files the maps use; it names no other file or host
    (no ``src``, ``href`` or ``url()`` anywhere but plotly.js's own code). Each figure is drawn
    when its scene is first shown, in a ``<figure>`` named and described in words
    (:func:`figure_html`); its modebar downloads it as PNG or SVG. Speaker notes are left out."""
    theme = _theme(slides)
    total = len(slides)
    scenes = "\n".join(_scene_html(slide, i, total, lang) for i, slide in enumerate(slides))
    figures = "[" + ",".join("[" + ",".join(_figure_json(f) for f in s.figures) + "]" for s in slides) + "]"
    css = _css_vars(theme) + _TALK_CSS.replace("FONT", charts.FONT)
    return f"""<!DOCTYPE html>
<html lang="{_e(i18n.language(lang))}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="refugee-stats">
<title>{_e(title)}</title>
<style>{css}</style>
</head>
<body>
<main id="deck" aria-live="polite">
{scenes}
</main>
<div class="keys">{_e(i18n.t("handout_keys", lang))}</div>
<nav>
<button type="button" id="prev" aria-label="{_e(i18n.t("previous", lang))}">◀</button>
<span id="counter">{_e(i18n.t("scene_counter", lang, scene=1, total=total))}</span>
<button type="button" id="next" aria-label="{_e(i18n.t("next", lang))}">▶</button>
<button type="button" id="fullscreen">{_e(i18n.t("handout_fullscreen", lang))}</button>
</nav>
<script type="application/json" id="talk-figures">{script_json(figures)}</script>
<script type="application/json" id="talk-config">{script_json(TALK_CONFIG)}</script>
<script type="application/json" id="talk-labels">{script_json({k: i18n.t(f"download_{k}", lang) for k in ("png", "svg")})}</script>
{_geo_assets(slides)}
<script>{plotly.offline.get_plotlyjs()}</script>
<script>{_GEO_SCRIPT}</script>
<script>{_TALK_SCRIPT}</script>
</body>
</html>
"""


# -- PDF -------------------------------------------------------------------------------------

#: A handout chart is drawn at this size (px) with the talk's type sizes, then shown at half size.
PDF_FIGURE = (1240, 800)
PDF_MAP_FIGURE = (1000, 700)
PDF_SCALE = 0.5
#: Pixels of a handout chart's PNG per pixel it is drawn at (1.5: about 290 dpi on the page).
PNG_SCALE = 1.5

_PDF_CSS = """
@page { size: A4 landscape; margin: 0; }
*, *::before, *::after { box-sizing: border-box; }
html, body { margin: 0; padding: 0; font-family: FONT; color: #111111; background: #FFFFFF; }
.page { width: 297mm; height: 210mm; padding: 11mm 12mm 9mm; overflow: hidden; display: flex;
  flex-direction: column; page-break-after: always; break-after: page; position: relative; }
.page:last-of-type { page-break-after: auto; break-after: auto; }
.page h1 { font-size: 20pt; margin: 0; line-height: 1.15; }
.page .takeaway { font-size: 12.5pt; margin: 2mm 0 3mm; line-height: 1.3; }
.page .counter { position: absolute; top: 11mm; right: 12mm; font-size: 9pt; color: #555555; }
.body { flex: 1 1 auto; min-height: 0; display: flex; gap: 6mm; overflow: hidden; }
.body.map { flex-direction: column; gap: 3mm; }
.row { display: flex; gap: 6mm; min-height: 0; }
.chart { flex: none; overflow: hidden; position: relative; }
.chart img { display: block; }
.tables { flex: 1 1 0; min-width: 0; overflow: hidden; }
.row .tables, .row .chart-col { flex: 1 1 0; min-width: 0; }
.chart-col { flex: none; display: flex; flex-direction: column; min-height: 0; }
.description { font-size: 7.5pt; line-height: 1.3; color: #222222; margin: 1.5mm 0 0; }
table { border-collapse: collapse; font-size: 7.5pt; width: 100%; }
caption { text-align: left; font-weight: 700; font-size: 8.5pt; padding-bottom: 1mm; }
th, td { text-align: left; padding: 0.6mm 1.5mm; border-bottom: 0.2mm solid #CCCCCC; vertical-align: top; }
th { border-bottom: 0.4mm solid #333333; }
td:first-child { white-space: nowrap; }
td.n, th.n { text-align: right; }
.more { font-size: 7.5pt; color: #444444; margin: 1mm 0 0; }
.texts { font-size: 8pt; color: #333333; line-height: 1.3; margin-top: 2mm; }
.texts p { margin: 0.6mm 0 0; overflow-wrap: anywhere; }
.notes { font-size: 8.5pt; border-left: 0.8mm solid #999999; padding-left: 2mm; margin-top: 2mm; }
.kf-row { display: flex; gap: 6mm; margin-top: 8mm; }
.kf { flex: 1 1 0; border-top: 1.2mm solid ACCENT; padding-top: 2mm; }
.kf-value { font-size: 34pt; font-weight: 700; line-height: 1.1; }
.kf-label { font-size: 11pt; }
.kf-note { font-size: 9pt; color: #444444; margin: 1.5mm 0 0; }
.subtitle { font-size: 10pt; color: #444444; margin: 0; }
.key-figures { position: relative; }
.watermark { position: absolute; inset: 0; display: flex; align-items: center; justify-content: center;
  font-size: 44pt; color: rgba(204, 51, 17, 0.28); transform: rotate(-18deg); pointer-events: none; }
"""

_PDF_SCRIPT = """
(function () {
  // Each chart is drawn by plotly.js, then replaced by a PNG of itself: printed as vectors, a
  // chart's hatched bars (SVG patterns) take tens of MB of PDF.
  var figures = JSON.parse(document.getElementById("handout-figures").textContent);
  var boxes = document.querySelectorAll("[data-figure]");
  var drawing = [];
  boxes.forEach(function (box) {
    var fig = figures[box.dataset.figure];
    var width = fig.layout.width, height = fig.layout.height;
    drawing.push(
      Plotly.newPlot(box, fig.data, fig.layout, {staticPlot: true, displayModeBar: false})
        .then(function (gd) {
          return Plotly.toImage(gd, {format: "png", width: width, height: height, scale: PNG_SCALE});
        })
        .then(function (url) {
          Plotly.purge(box);
          var img = new Image();
          img.alt = box.dataset.alt || "";
          img.width = Math.round(width * PAGE_SCALE);
          img.height = Math.round(height * PAGE_SCALE);
          return new Promise(function (resolve) {
            img.onload = resolve;
            img.onerror = resolve;
            img.src = url;
            box.replaceWith(img);
          });
        })
    );
  });
  Promise.all(drawing).then(function () { window.handoutDrawn = boxes.length; },
                            function (error) { window.handoutError = String(error); });
})();
"""


def _is_number(text: str) -> bool:
    return bool(re.fullmatch(r"[<x\d\s\u00a0.,%-]+", text)) and text not in ("", "-")


def table_html(table: SlideTable, lang: str, limit: int) -> str:
    """A slide's table as HTML, its first ``limit`` rows, then "… N more rows …" if it has more."""
    frame = table.frame
    numeric = [all(_is_number(v) or v == "" for v in frame[c]) and len(frame) > 0 for c in frame.columns]
    head = "".join(
        f'<th class="n">{_e(c)}</th>' if n else f"<th>{_e(c)}</th>"
        for c, n in zip(frame.columns, numeric, strict=True)
    )
    rows = "".join(
        "<tr>"
        + "".join(
            f'<td class="n">{_e(v)}</td>' if n else f"<td>{_e(v)}</td>"
            for v, n in zip(row, numeric, strict=True)
        )
        + "</tr>"
        for row in frame.head(limit).itertuples(index=False)
    )
    more = len(frame) - limit
    note = f'<p class="more">{_e(i18n.tn("handout_more_rows", more, lang))}</p>' if more > 0 else ""
    return f"<table><caption>{_e(table.title)}</caption><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>{note}"


def citation(slide: Slide, as_of: str) -> str:
    """The suggested citation of a slide: ``refugee-stats, <title>, data as of <date>, <link>``."""
    return i18n.t("handout_citation", slide.lang, title=slide.title, date=as_of, link=slide.link or "-")


def _pdf_chart(slide: Slide, n: int, figure_id: int, size: str) -> str:
    """A handout chart (its image's ``alt`` the short description) with its long description
    printed under it."""
    words = _words(slide, n)
    long = f'<p class="description">{_e(words.long)}</p>' if words.long else ""
    return (
        f'<div class="chart" style="{size}"><div data-figure="{figure_id}" data-alt="{_e(words.short)}">'
        f"</div></div>{long}"
    )


def _page_html(
    slide: Slide, index: int, total: int, *, lang: str, as_of: str, notes: bool, figure_ids: list[int]
) -> str:
    if slide.scene == "map" or len(slide.figures) > 1:
        width, height = (round(v * PDF_SCALE) for v in PDF_MAP_FIGURE)
        charts_row = "".join(
            f'<div class="chart-col">{_pdf_chart(slide, n, i, f"height:{height}px")}</div>'
            for n, i in enumerate(figure_ids)
        )
        tables_row = "".join(
            f'<div class="tables">{table_html(t, lang, MAP_PAGE_ROWS)}</div>' for t in slide.tables
        )
        body = f'<div class="body map"><div class="row">{charts_row}</div><div class="row">{tables_row}</div></div>'
    elif slide.figures:
        width, height = (round(v * PDF_SCALE) for v in PDF_FIGURE)
        tables = "".join(table_html(t, lang, PAGE_ROWS) for t in slide.tables)
        chart = _pdf_chart(slide, 0, figure_ids[0], f"width:{width}px;height:{height}px")
        body = (
            f'<div class="body"><div class="chart-col" style="width:{width}px">{chart}</div>'
            f'<div class="tables">{tables}</div></div>'
        )
    else:
        body = f'<div class="body">{_key_figures_html(slide)}</div>'
    lines = [slide.sources, slide.protection_note, citation(slide, as_of)]
    if slide.link:
        lines.append(i18n.t("handout_link", slide.lang, link=slide.link))
    texts = "".join(f"<p>{_e(line)}</p>" for line in lines if line)
    spoken = (
        f'<div class="notes"><strong>{_e(i18n.t("handout_notes", lang))}</strong>: {_e(slide.notes)}</div>'
        if notes and slide.notes
        else ""
    )
    counter = i18n.t("scene_counter", lang, scene=index + 1, total=total)
    return (
        f'<section class="page page-{_e(slide.scene)}"><div class="counter">{_e(counter)}</div>'
        f'<h1>{_e(slide.title)}</h1><p class="takeaway">{_e(slide.takeaway)}</p>{body}'
        f'<div class="texts">{texts}</div>{spoken}</section>'
    )


def handout_html(
    slides: Sequence[Slide], *, lang: str, title: str, as_of: str | None = None, notes: bool = False
) -> str:
    """The handout as HTML pages (A4 landscape when printed): one per slide, with its chart drawn
    by plotly.js and its long description under it, its data, takeaway, sources, protection note,
    citation and link; the speaker's
    notes only with ``notes``. Self-contained, like :func:`talk_html`."""
    as_of = as_of or datetime.now(UTC).strftime("%Y-%m-%d")
    figures: list[str] = []
    pages = []
    for index, slide in enumerate(slides):
        size = PDF_MAP_FIGURE if slide.scene == "map" or len(slide.figures) > 1 else PDF_FIGURE
        ids = []
        for fig in slide.figures:
            ids.append(len(figures))
            figures.append(_figure_json(fig, width=size[0], height=size[1]))
        pages.append(
            _page_html(slide, index, len(slides), lang=lang, as_of=as_of, notes=notes, figure_ids=ids)
        )
    css = _PDF_CSS.replace("FONT", charts.FONT).replace("ACCENT", charts.PALETTES["light"][0])
    script = _PDF_SCRIPT.replace("PNG_SCALE", str(PNG_SCALE)).replace("PAGE_SCALE", str(PDF_SCALE))
    return f"""<!DOCTYPE html>
<html lang="{_e(i18n.language(lang))}">
<head>
<meta charset="utf-8">
<title>{_e(title)}</title>
<style>{css}</style>
</head>
<body>
{"".join(pages)}
<script type="application/json" id="handout-figures">{script_json("[" + ",".join(figures) + "]")}</script>
{_geo_assets(slides)}
<script>{plotly.offline.get_plotlyjs()}</script>
<script>{_GEO_SCRIPT}</script>
<script>{script}</script>
</body>
</html>
"""


def chromium_path() -> str:
    """The chromium that prints handouts: ``$REFUGEE_STATS_CHROMIUM``, else Debian's."""
    return os.environ.get("REFUGEE_STATS_CHROMIUM", "").strip() or CHROMIUM


def pdf_missing() -> str | None:
    """What printing a handout needs and this machine lacks: ``"chromium"`` (nothing at
    :func:`chromium_path`), ``"playwright"`` (not installed), or None when it can print."""
    if not Path(chromium_path()).exists():
        return "chromium"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:  # pragma: no cover - playwright is a dev dependency
        return "playwright"
    return None


def handout_pdf_bytes(slides: Sequence[Slide], *, lang: str, title: str, notes: bool = False) -> bytes:
    """The handout (see :func:`handout_pdf`) as the bytes of a PDF file, printed in a temporary folder."""
    with tempfile.TemporaryDirectory(prefix="refugee-stats-pdf-") as folder:
        path = handout_pdf(slides, Path(folder) / "handout.pdf", lang=lang, title=title, notes=notes)
        return path.read_bytes()


def handout_pdf(
    slides: Sequence[Slide],
    path: str | Path,
    *,
    lang: str,
    title: str,
    as_of: str | None = None,
    notes: bool = False,
    timeout: float = 120_000,
    browser: Any = None,
) -> Path:
    """The handout as a PDF at ``path``: one A4 landscape page per slide (see :func:`handout_html`),
    printed by chromium (Playwright) from a local file; any request for another address is refused,
    so it renders offline or fails. ``browser`` is a running Playwright chromium to print with
    (else one is started and closed). Returns the path."""
    target = Path(path)
    document = handout_html(slides, lang=lang, title=title, as_of=as_of, notes=notes)
    with tempfile.TemporaryDirectory(prefix="refugee-stats-handout-") as folder:
        page_file = Path(folder) / "handout.html"
        page_file.write_text(document, encoding="utf-8")
        if browser is not None:
            _print(browser, page_file, target, timeout)
            return target
        try:
            from playwright.sync_api import sync_playwright
        except ImportError as error:  # pragma: no cover - playwright is a dev dependency
            raise RuntimeError(
                "the PDF handout needs playwright: run `uv sync` (dev dependencies)"
            ) from error
        executable = chromium_path()
        if not Path(executable).exists():
            raise RuntimeError(f"the PDF handout needs chromium at {executable} (apt-get install chromium)")

        def print_with_own_browser() -> None:
            with sync_playwright() as playwright:
                started = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
                try:
                    _print(started, page_file, target, timeout)
                finally:
                    started.close()

        _outside_event_loop(print_with_own_browser)
    return target


def _outside_event_loop(work: Callable[[], None]) -> None:
    """Run ``work`` here, or in a thread of its own when this thread runs an asyncio event loop
    (a notebook, an async server, another Playwright session): Playwright's sync API refuses to
    start inside one."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        work()
        return
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="refugee-stats-pdf") as pool:
        pool.submit(work).result()


def _print(browser: Any, page_file: Path, target: Path, timeout: float) -> None:
    """Open ``page_file`` in ``browser`` with every request for another address refused, wait for
    its charts, and print it to ``target``."""
    page = browser.new_page()
    try:
        page.route(
            "**/*",
            lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort(),
        )
        page.goto(page_file.as_uri())
        page.wait_for_function(
            "() => window.handoutDrawn !== undefined || window.handoutError !== undefined", timeout=timeout
        )
        error = page.evaluate("() => window.handoutError || ''")
        if error:
            raise RuntimeError(f"a handout chart did not draw: {error}")
        target.parent.mkdir(parents=True, exist_ok=True)
        page.pdf(path=str(target), format="A4", landscape=True, print_background=True)
    finally:
        page.close()
