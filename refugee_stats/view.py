"""One view of the data: the records a filter keeps, their key figures, chart data and figures.

The dashboard only renders what :func:`build_view` returns, so everything it shows
is computed (and tested) here, without Streamlit. It comes in two steps: :func:`count_view`
computes the numbers (the same in every language and theme) and :func:`localise` adds their
text and the charts' look, so the dashboard can share one set of numbers across languages.

Every number is computed from the true counts; in public mode each count a View hands out
carries what to show (:func:`refugee_stats.protect.annotate`): "<5" for counts from 1 to 4
and "x" for counts withheld so that none of those can be worked out by subtraction.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from functools import cached_property

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from refugee_stats import aggregate, charts, columns, countries, i18n, maps, protect
from refugee_stats.filters import Filters, data_months
from refugee_stats.ingest.dataset import Dataset

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
    figure_status: dict[str, str]
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
    #: One row per flow of the status pipeline (:func:`refugee_stats.aggregate.status_pipeline`).
    pipeline: pd.DataFrame = field(default_factory=pd.DataFrame)

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


def _shares(detentions: pd.DataFrame, totals: pd.DataFrame) -> pd.DataFrame:
    """One row per period and nationality: ``people`` and their ``share`` (%) of the period's true total.

    ``share_drawn`` is the height drawn (withheld cells share what the shown ones leave);
    ``share_hidden`` marks shares not to show: the cell is withheld, or its period's total is.
    """
    keep = ["period_start", "nationality", "people", "people_small", "people_hidden"]
    counts = detentions[[c for c in keep if c in detentions] + ["people_drawn"]]
    period_total = counts["period_start"].map(totals.set_index("period_start")["people"])
    total_hidden = counts["period_start"].map(totals.set_index("period_start")["people_hidden"]).astype(bool)
    drawn_total = counts.groupby("period_start")["people_drawn"].transform("sum")
    cells = counts.groupby("period_start")["people"].transform("size")
    share = counts["people"] / period_total * 100
    hidden = counts["people_hidden"].to_numpy() | total_hidden.to_numpy()
    drawn = (counts["people_drawn"] / drawn_total * 100).where(~total_hidden, 100 / cells)
    return counts.assign(share=share, share_drawn=drawn, share_hidden=hidden)


def _share_texts(shares: pd.DataFrame, lang: str) -> pd.DataFrame:
    """:func:`_shares` with ``people_text`` and ``share_text`` in ``lang`` (blank where hidden)."""
    out = protect.label(shares, "people", lang=lang)
    texts = [
        "" if h else i18n.percent(v, lang)
        for h, v in zip(out["share_hidden"].to_numpy(), out["share"].to_numpy(), strict=True)
    ]
    return out.assign(share_text=texts)


#: Key figures with a breakdown on the page: each is the total of the parts named in ``_breakdowns``.
COUNT_COLUMNS = ("people", "unhcr_refugees", "unhcr_unknown")
FIGURE_OF = {
    "people": "people_detained",
    "unhcr_refugees": "unhcr_refugees",
    "unhcr_unknown": "unhcr_unknown",
}


def _values(frame: pd.DataFrame, name: str, column: str = "people") -> dict:
    """``(name, column, row) -> count`` for the known counts of a frame."""
    values = frame[column].to_numpy(dtype=np.float64, na_value=np.nan)
    return {(name, column, i): int(v) for i, v in enumerate(values) if not np.isnan(v)}


def _breakdowns(
    detentions: pd.DataFrame,
    totals: pd.DataFrame,
    hosts: pd.DataFrame,
    nationalities: pd.DataFrame,
    decisions: pd.DataFrame,
    unplaced_detentions: pd.DataFrame,
    unplaced_decisions: pd.DataFrame,
) -> list[protect.Breakdown]:
    """Every published breakdown of the view, each with the total it is shown beside.

    A period's nationalities (chart bars) against the period's total (hover); the periods
    (and the records no period can place) against the key figure; each nationality's bars
    against its value on the map ("Other" against the map's other countries); each map's
    countries against the key figure; the decisions against the people decided on, and the
    revocations against the key figure.
    """
    out: list[protect.Breakdown] = []
    period_row = {p: j for j, p in enumerate(totals["period_start"])}
    by_period: dict[int, list[int]] = {}
    for i, p in enumerate(detentions["period_start"]):
        by_period.setdefault(period_row[p], []).append(i)
    for column in COUNT_COLUMNS:
        for j, rows in by_period.items():
            out.append(protect.Breakdown(tuple(("d", column, i) for i in rows), (("t", column, j),)))
        parts = [("t", column, j) for j in range(len(totals))]
        if column == "people":
            parts += [("ud", "people", i) for i in range(len(unplaced_detentions))]
        out.append(protect.Breakdown(tuple(parts), (("k", FIGURE_OF[column]),)))
    # Each nationality's bars over time against its country on the map.
    on_map = {code: i for i, code in enumerate(nationalities["nationality"])}
    charted = set(detentions["nationality"]) - {aggregate.OTHER}
    for code in sorted(set(detentions["nationality"])):
        rows = tuple(("d", "people", i) for i in np.flatnonzero(detentions["nationality"].to_numpy() == code))
        if code == aggregate.OTHER:
            totals_of = tuple(("n", "people", i) for c, i in on_map.items() if c not in charted)
        else:
            totals_of = (("n", "people", on_map[code]),) if code in on_map else ()
        if totals_of:
            out.append(protect.Breakdown(rows, totals_of))
    for name, frame in (("h", hosts), ("n", nationalities)):
        parts = tuple(("h" if name == "h" else "n", "people", i) for i in range(len(frame)))
        out.append(protect.Breakdown(parts, (("k", "people_detained"),)))
    decided = [("c", "people", i) for i in range(len(decisions))]
    decided += [("us", "people", i) for i in range(len(unplaced_decisions))]
    out.append(protect.Breakdown(tuple(decided), (("k", "people_decided"),)))
    revoked = np.flatnonzero(decisions["decision"].to_numpy() == "revoked")
    out.append(protect.Breakdown(tuple(("c", "people", i) for i in revoked), (("k", "revocations"),)))
    return out


def _pipeline_breakdowns(pipeline: pd.DataFrame) -> list[protect.Breakdown]:
    """The status pipeline's breakdowns: the detained (the key figure) into their three flows, the
    UNHCR refugees (the key figure, and the first flow) into revoked and not; the unknown flow
    is the key figure of people of unknown status."""
    row = {(s, t): i for i, (s, t) in enumerate(zip(pipeline["source"], pipeline["target"], strict=True))}

    def key(source: str, target: str) -> tuple:
        return ("p", "people", row[(source, target)])

    detained = tuple(key("detained", t) for t in ("unhcr_refugees", "other_detained", "status_unknown"))
    refugees = key("detained", "unhcr_refugees")
    return [
        protect.Breakdown(detained, (("k", "people_detained"),)),
        protect.Breakdown((refugees,), (("k", "unhcr_refugees"),)),
        protect.Breakdown((key("detained", "status_unknown"),), (("k", "unhcr_unknown"),)),
        protect.Breakdown(
            (key("unhcr_refugees", "revoked"), key("unhcr_refugees", "not_revoked")), (refugees,)
        ),
    ]


@dataclass(frozen=True, eq=False)
class Counts:
    """The numbers of one view, the same in every language and theme: the records the filters
    keep, the chart data with what protection withholds (``<col>_small`` / ``<col>_hidden``) and
    the heights to draw. :func:`localise` turns them into a :class:`View`."""

    filters: Filters
    all_incidents: pd.DataFrame = field(repr=False)
    incident_rows: np.ndarray = field(repr=False)
    all_status: pd.DataFrame = field(repr=False)
    status_rows: np.ndarray = field(repr=False)
    timeline: pd.DataFrame
    figures: aggregate.KeyFigures
    figure_status: dict[str, str]
    detentions: pd.DataFrame
    detention_totals: pd.DataFrame
    decisions: pd.DataFrame
    shares: pd.DataFrame
    hosts: pd.DataFrame
    nationalities: pd.DataFrame
    unplaced_detentions: pd.DataFrame
    unplaced_decisions: pd.DataFrame
    sources: tuple[str, ...]
    illustrative: bool
    x_range: tuple[pd.Timestamp, pd.Timestamp] | None
    public: bool = False
    pipeline: pd.DataFrame = field(default_factory=pd.DataFrame)


def count_view(dataset: Dataset, filters: Filters, public: bool = False) -> Counts:
    """Apply ``filters`` to ``dataset`` and compute key figures and the data of each chart.

    Every number is computed from the true counts. ``public`` changes only what is shown:
    counts from 1 to 4 as "<5", and the counts that would let one be worked out by
    subtraction as "x" (:func:`refugee_stats.protect.suppress`).
    """
    incident_rows = filters.incident_rows(dataset.incidents)
    status_rows = filters.status_rows(dataset.status)
    incidents = _working(dataset.incidents, INCIDENT_WORKING, incident_rows)
    status = _working(dataset.status, STATUS_WORKING, status_rows)
    timeline = filters.apply_timeline(dataset.timeline)
    g = filters.granularity
    keep = aggregate.top_nationalities(incidents)

    detentions = aggregate.detentions_by_period(incidents, g, keep)
    totals = detentions.groupby("period_start", as_index=False).agg(
        people=("people", "sum"),
        unhcr_refugees=("unhcr_refugees", lambda v: v.sum(min_count=1)),
        unhcr_unknown=("unhcr_unknown", "sum"),
    )
    totals = totals.astype({"unhcr_refugees": "Int64"})
    decisions = aggregate.decisions_by_period(status, g)
    hosts = maps.detentions_by_country(incidents, "host_country")
    nationalities = maps.detentions_by_country(incidents, "nationality")
    unplaced_detentions = aggregate.unplaced_detentions(incidents, g)
    unplaced_decisions = aggregate.unplaced_persons(status, g)
    figures = aggregate.key_figures(incidents, status)
    pipeline = aggregate.status_pipeline(incidents, status)

    frames = {
        "p": pipeline,
        "d": detentions,
        "t": totals,
        "c": decisions,
        "h": hosts,
        "n": nationalities,
        "ud": unplaced_detentions,
        "us": unplaced_decisions,
    }
    status_of: dict = {}
    if public:  # the audit reads every count; without public mode nothing is withheld
        values: dict = {("k", f.name): getattr(figures, f.name) for f in fields(figures)}
        values = {k: int(v) for k, v in values.items() if v is not None}
        for name, frame in frames.items():
            for column in _counted(name):
                values.update(_values(frame, name, column))
        status_of = protect.suppress(
            values,
            _breakdowns(
                detentions, totals, hosts, nationalities, decisions, unplaced_detentions, unplaced_decisions
            )
            + _pipeline_breakdowns(pipeline),
        )

    def marked(name: str, frame: pd.DataFrame) -> pd.DataFrame:
        for column in _counted(name):
            statuses = (
                [status_of.get((name, column, i), protect.SHOWN) for i in range(len(frame))]
                if public
                else None
            )
            frame = protect.mark(frame, column, statuses)
        return frame

    protected = {name: marked(name, frame) for name, frame in frames.items()}
    figure_status = {f.name: status_of.get(("k", f.name), protect.SHOWN) for f in fields(figures)}

    def drawn_by_total(frame: pd.DataFrame, total: int, total_hidden: bool) -> pd.Series:
        return protect.drawn(frame["people"], frame["people_hidden"], None if total_hidden else total)

    d, t = protected["d"], protected["t"]
    period_total = t.set_index("period_start")
    d = d.assign(people_drawn=d["people"].astype("float64"))
    # Only periods with a withheld cell draw anything but the true counts.
    for p in pd.unique(d.loc[d["people_hidden"], "period_start"]):
        part = d[d["period_start"] == p]
        d.loc[part.index, "people_drawn"] = drawn_by_total(
            part, int(period_total.loc[p, "people"]), bool(period_total.loc[p, "people_hidden"])
        )
    detained_hidden = figure_status["people_detained"] != protect.SHOWN
    hosts_shown = protected["h"].assign(
        people_drawn=drawn_by_total(protected["h"], figures.people_detained, detained_hidden)
    )
    nationalities_shown = protected["n"].assign(
        people_drawn=drawn_by_total(protected["n"], figures.people_detained, detained_hidden)
    )
    c = protected["c"]
    c = c.assign(people_drawn=protect.drawn(c["people"], c["people_hidden"], None))
    flows = protected["p"]
    flows = flows.assign(people_drawn=flows["people"].astype("float64"))
    for source, part in flows.groupby("source", sort=False):
        # A stage's outflows share what its shown total leaves, as stacked bars do.
        total = figures.people_detained if source == "detained" else int(flows["people"].iloc[0])
        total_hidden = detained_hidden if source == "detained" else bool(flows["people_hidden"].iloc[0])
        flows.loc[part.index, "people_drawn"] = drawn_by_total(part, total, total_hidden)
    return Counts(
        filters=filters,
        all_incidents=dataset.incidents,
        incident_rows=incident_rows,
        all_status=dataset.status,
        status_rows=status_rows,
        timeline=timeline,
        figures=figures,
        figure_status=figure_status,
        detentions=d,
        detention_totals=t,
        decisions=c,
        shares=_shares(d, t),
        hosts=hosts_shown,
        nationalities=nationalities_shown,
        unplaced_detentions=protected["ud"],
        unplaced_decisions=protected["us"],
        sources=tuple(aggregate.sources(incidents, status)),
        illustrative=aggregate.has_illustrative(incidents, status),
        x_range=_x_range(filters, incidents, status),
        public=public,
        pipeline=flows,
    )


def _counted(frame: str) -> tuple[str, ...]:
    """The count columns protection marks in one of :func:`count_view`'s frames."""
    return COUNT_COLUMNS if frame in ("d", "t") else ("people",)


def _labelled(frame: pd.DataFrame, columns_: tuple[str, ...], lang: str) -> pd.DataFrame:
    for column in columns_:
        frame = protect.label(frame, column, lang=lang)
    return frame


def localise(counts: Counts, locale: str = "en", theme: str = "light", presentation: bool = False) -> View:
    """The :class:`View` of ``counts`` in ``locale``: every count's display text, the key figures'
    text and the charts' context (``theme`` and ``presentation`` change how charts read). No
    number is computed again."""
    figures = counts.figures
    context = charts.ChartContext(
        subtitle=counts.filters.describe(locale),
        sources=counts.sources,
        timeline=counts.timeline,
        illustrative=counts.illustrative,
        granularity=counts.filters.granularity,
        x_range=counts.x_range,
        locale=locale,
        theme=theme,
        presentation=presentation,
        public=counts.public,
    )
    return View(
        filters=counts.filters,
        all_incidents=counts.all_incidents,
        incident_rows=counts.incident_rows,
        all_status=counts.all_status,
        status_rows=counts.status_rows,
        timeline=counts.timeline,
        figures=figures,
        figure_text={
            f.name: protect.text(
                getattr(figures, f.name), locale, counts.public, counts.figure_status[f.name]
            )
            for f in fields(figures)
        },
        figure_status=counts.figure_status,
        detentions=_labelled(counts.detentions, COUNT_COLUMNS, locale),
        detention_totals=_labelled(counts.detention_totals, COUNT_COLUMNS, locale),
        decisions=_labelled(counts.decisions, ("people",), locale),
        shares=_share_texts(counts.shares, locale),
        hosts=_labelled(counts.hosts, ("people",), locale),
        nationalities=_labelled(counts.nationalities, ("people",), locale),
        unplaced_detentions=_labelled(counts.unplaced_detentions, ("people",), locale),
        unplaced_decisions=_labelled(counts.unplaced_decisions, ("people",), locale),
        context=context,
        public=counts.public,
        pipeline=_labelled(counts.pipeline, ("people",), locale),
    )


def build_view(
    dataset: Dataset,
    filters: Filters,
    locale: str = "en",
    theme: str = "light",
    presentation: bool = False,
    public: bool = False,
) -> View:
    """Apply ``filters`` to ``dataset``: :func:`count_view`, then :func:`localise`.

    Every number is computed from the true counts; ``public`` changes only what is shown.
    ``locale``, ``theme`` and ``presentation`` change how the charts read, never the numbers.
    """
    return localise(count_view(dataset, filters, public=public), locale, theme, presentation)


def map_figures(view: View) -> dict[str, go.Figure]:
    """The two maps: where people were detained (``host_country``) and their nationalities."""
    return {
        "host_country": maps.map_figure(view.hosts, by="host_country", context=view.context),
        "nationality": maps.map_figure(view.nationalities, by="nationality", context=view.context),
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
