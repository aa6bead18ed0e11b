"""The second stage of a view: ``render(view_data, display) -> View``, the numbers' text and look.

:func:`refugee_stats.compute.compute` computes a view's numbers, the same in every language
and theme; :func:`render` adds what depends on the :class:`Display` (language, theme,
presentation mode): every count's display text ("<5" and "x" in public mode), the key
figures' text and the charts' context. Figures, takeaways, descriptions and downloads are
read off the registered charts (:mod:`refugee_stats.registry`) from a :class:`View`; nothing
here computes a number again, so a theme or language switch never recomputes one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields

import pandas as pd
import plotly.graph_objects as go

from refugee_stats import aggregate, charts, countries, i18n, maps, protect
from refugee_stats.compute import COUNT_COLUMNS, ChartData, Selection, ViewData, compute
from refugee_stats.filters import Filters
from refugee_stats.ingest.dataset import Dataset


@dataclass(frozen=True)
class Display:
    """How a view is shown: its language, theme and whether it is on stage."""

    lang: str = "en"
    theme: str = "light"
    presentation: bool = False


@dataclass(frozen=True, eq=False)
class View:
    """A :class:`ViewData` rendered for one :class:`Display`.

    ``charts`` holds each chart's frames (and the maps') with the display text of every count
    beside it (``<col>_text``); ``key_figure_text`` the key figures' text.
    """

    data: ViewData
    display: Display
    key_figure_text: dict[str, str]
    charts: Mapping[str, ChartData]
    context: charts.ChartContext

    @property
    def filters(self) -> Filters:
        """The filters of the view."""
        return self.data.filters

    @property
    def public(self) -> bool:
        """Whether small-number protection is on."""
        return self.data.public

    @property
    def lang(self) -> str:
        """The language the view is shown in."""
        return self.display.lang

    @property
    def key_figures(self) -> aggregate.KeyFigures:
        """The true key figures."""
        return self.data.key_figures

    @property
    def key_figure_status(self) -> dict[str, str]:
        """How each key figure shows (:data:`refugee_stats.protect.SHOWN`, ``SMALL`` or ``HIDDEN``)."""
        return self.data.key_figure_status

    @property
    def selection(self) -> Selection:
        """The records in view."""
        return self.data.selection

    @property
    def empty(self) -> bool:
        """Whether no incident or status record matches the filters."""
        return self.data.empty

    @property
    def illustrative(self) -> bool:
        """Whether any record in view is illustrative."""
        return self.data.illustrative


def _labelled(frame: pd.DataFrame, columns_: tuple[str, ...], lang: str) -> pd.DataFrame:
    for column in columns_:
        frame = protect.label(frame, column, lang=lang)
    return frame


def _share_texts(shares: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Shares with ``people_text`` and ``share_text`` in ``lang`` (blank where hidden)."""
    out = protect.label(shares, "people", lang=lang)
    texts = [
        "" if h else i18n.percent(v, lang)
        for h, v in zip(out["share_hidden"].to_numpy(), out["share"].to_numpy(), strict=True)
    ]
    return out.assign(share_text=texts)


def _texts(name: str, frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One frame of a chart with the display text of each of its counts."""
    if name == "shares":
        return _share_texts(frame, lang)
    counted = tuple(c for c in COUNT_COLUMNS if f"{c}_small" in frame.columns)
    return _labelled(frame, counted, lang)


def render(data: ViewData, display: Display = Display()) -> View:
    """The :class:`View` of ``data`` for ``display``: every count's display text, the key figures'
    text and the charts' context (the theme and presentation mode change how charts read). No
    number is computed again."""
    lang = display.lang
    context = charts.ChartContext(
        subtitle=data.filters.describe(lang),
        sources=data.sources,
        timeline=data.timeline,
        illustrative=data.illustrative,
        granularity=data.filters.granularity,
        x_range=data.x_range,
        locale=lang,
        theme=display.theme,
        presentation=display.presentation,
        public=data.public,
    )
    figures = data.key_figures
    return View(
        data=data,
        display=display,
        key_figure_text={
            f.name: protect.text(getattr(figures, f.name), lang, data.public, data.key_figure_status[f.name])
            for f in fields(figures)
        },
        charts={
            key: ChartData(
                {name: _texts(name, frame, lang) for name, frame in chart.frames.items()}, chart.counts
            )
            for key, chart in data.charts.items()
        },
        context=context,
    )


def build_view(
    dataset: Dataset,
    filters: Filters,
    locale: str = "en",
    theme: str = "light",
    presentation: bool = False,
    public: bool = False,
) -> View:
    """Apply ``filters`` to ``dataset``: :func:`~refugee_stats.compute.compute`, then :func:`render`.

    Every number is computed from the true counts; ``public`` changes only what is shown.
    ``locale``, ``theme`` and ``presentation`` change how the charts read, never the numbers.
    """
    return render(compute(dataset, filters, public=public), Display(locale, theme, presentation))


def map_figures(view: View) -> dict[str, go.Figure]:
    """The two maps: where people were detained (``host_country``) and their nationalities."""
    return {
        by: maps.map_figure(frame, by=by, context=view.context)
        for by, frame in view.charts["map"].frames.items()
    }


#: The count columns of :func:`records`: left out in public mode, where one record's count beside
#: the totals could give a count under 5 back by subtraction.
RECORD_COUNTS = ("people", "unhcr_refugees")
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


def records(view: View, locale: str = "en", limit: int | None = None) -> pd.DataFrame:
    """One row per record in view (incidents, then status decisions), ready to show with its source.

    ``what`` is the incident type or ``authority: decision`` in ``locale``; ``reference`` is
    ``file:row``; ``people_text`` and ``unhcr_refugees_text`` are the protected display values.
    ``limit`` keeps the first rows only (incidents first), for a table on screen.
    """
    incidents, status = view.selection.records(limit)

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
                "reference": frame["source_file"].map(lambda f: str(f).rsplit("/", 1)[-1])
                + ":"
                + frame["source_row"].astype(str),
            },
            columns=RECORD_COLUMNS,
        )

    status_what = (
        status["authority"].map(lambda a: i18n.choice("authority", str(a), locale)).astype(str)
        + ": "
        + status["decision"].map(lambda d: i18n.choice("decision", str(d), locale)).astype(str)
    )
    parts = [
        shape(incidents, incidents["type"].map(lambda v: i18n.choice("type", str(v), locale))),
        shape(status, status_what.astype("string")),
    ]
    out = (
        pd.concat([p for p in parts if len(p)], ignore_index=True) if any(len(p) for p in parts) else parts[0]
    )
    out = out.astype({"unhcr_refugees": "Int64"})
    return protect.counts(out, ["people", "unhcr_refugees"], public=view.public, lang=locale)
