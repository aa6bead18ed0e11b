"""The first stage of a view: ``compute(dataset, filters, public) -> ViewData``, numbers only.

A :class:`Backend` answers the queries a view asks of one dataset: which records the filters
keep (:meth:`Backend.select`) and the true counts of every chart, map and key figure
(:meth:`Backend.aggregate`). :class:`PandasBackend` answers them over the loaded frames; a
backend over a database answers the same two questions. :func:`compute` then applies the one
protection rule (:mod:`refugee_stats.protect`) to every count at once and hands out a
:class:`ViewData`: the same in every language and theme, so a switch of either re-renders
(:func:`refugee_stats.view.render`) without computing anything again.

In public mode each count carries what to show: "<5" for counts from 1 to 4 and "x" for
counts withheld so that none of those can be worked out by subtraction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from functools import cached_property
from typing import Protocol, cast

import numpy as np
import pandas as pd

from refugee_stats import aggregate, columns, protect
from refugee_stats.fields import REMOVAL_TYPES
from refugee_stats.filters import Filters, data_months
from refugee_stats.ingest.dataset import Dataset

# What the aggregations read; a filter change copies these columns of the kept rows only.
# The other columns (free text, dates as written, file and row) are taken when a table,
# a download or a takeaway asks for ``Selection.incidents`` / ``Selection.status``.
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

#: The count columns of the detentions chart; every other protected frame counts ``people`` only.
COUNT_COLUMNS = ("people", "unhcr_refugees", "unhcr_unknown")
#: The key figure each detentions count column adds up to.
FIGURE_OF = {
    "people": "people_detained",
    "unhcr_refugees": "unhcr_refugees",
    "unhcr_unknown": "unhcr_unknown",
}


class Selection(Protocol):
    """The records a view's filters keep, as a backend holds them: how many, and the records themselves."""

    @property
    def count(self) -> int:
        """How many records (incident and status rows) are kept."""
        ...

    @property
    def illustrative_count(self) -> int:
        """How many kept records (incident and status rows) are illustrative."""
        ...

    @property
    def empty(self) -> bool:
        """Whether no incident or status record is kept."""
        ...

    def records(self, limit: int | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The kept incident rows, then the kept status rows (every column, in file order): all of
        them, or the first ``limit`` records in all (incidents first)."""
        ...


@dataclass(frozen=True, eq=False)
class RowSelection:
    """The records a view's filters keep of loaded frames: the frames and one boolean per loaded row."""

    all_incidents: pd.DataFrame = field(repr=False)
    incident_rows: np.ndarray = field(repr=False)
    all_status: pd.DataFrame = field(repr=False)
    status_rows: np.ndarray = field(repr=False)

    @cached_property
    def incidents(self) -> pd.DataFrame:
        """The incident rows kept, every column (one row per loaded row kept)."""
        return columns.select(self.all_incidents, self.incident_rows)

    @cached_property
    def status(self) -> pd.DataFrame:
        """The status-decision rows kept, every column (one row per loaded row kept)."""
        return columns.select(self.all_status, self.status_rows)

    @property
    def empty(self) -> bool:
        """Whether no incident or status record is kept."""
        return not self.incident_rows.any() and not self.status_rows.any()

    @property
    def count(self) -> int:
        """How many records (incident and status rows) are kept."""
        return int(self.incident_rows.sum()) + int(self.status_rows.sum())

    @property
    def illustrative_count(self) -> int:
        """How many kept records (incident and status rows) are illustrative."""
        return sum(
            int(frame["illustrative"].to_numpy(dtype=bool)[rows].sum())
            for frame, rows in ((self.all_incidents, self.incident_rows), (self.all_status, self.status_rows))
            if len(frame)
        )

    def records(self, limit: int | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The kept incident rows, then the kept status rows: all, or the first ``limit`` records."""
        if limit is None:
            return self.incidents, self.status
        first = np.flatnonzero(self.incident_rows)[:limit]  # without taking every row in view
        rest = np.flatnonzero(self.status_rows)[: max(limit - len(first), 0)]
        return self.all_incidents.iloc[first], self.all_status.iloc[rest]


@dataclass(frozen=True, eq=False)
class ChartData:
    """The numbers of one chart (or of the maps): its frames by name, and plain counts beside them."""

    frames: Mapping[str, pd.DataFrame]
    counts: Mapping[str, int] = field(default_factory=dict)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.frames[name]


@dataclass(frozen=True, eq=False)
class Aggregates:
    """A backend's answer for one selection: the true counts, before any protection.

    ``charts`` holds one :class:`ChartData` per registered chart key and one for ``"map"``.
    """

    charts: Mapping[str, ChartData]
    key_figures: aggregate.KeyFigures
    sources: tuple[str, ...]
    illustrative: bool
    x_range: tuple[pd.Timestamp, pd.Timestamp] | None
    timeline: pd.DataFrame


@dataclass(frozen=True, eq=False)
class Tally:
    """What a backend counts over the records one view keeps (the *counts* of
    :mod:`refugee_stats.aggregate`), before any rule turns them into charts (:func:`aggregates`).

    ``detentions``: :func:`~refugee_stats.aggregate.detention_cells` at the filters' period;
    ``detention_precisions`` and ``persons_precisions``: :func:`~refugee_stats.aggregate.precisions`
    of the detentions and of the status records counting persons; ``decisions``:
    :func:`~refugee_stats.aggregate.decisions_by_period`; ``types`` and ``statuses``: the summaries
    of the key figures; ``by_host`` and ``by_nationality``: people detained per country
    (:func:`~refugee_stats.aggregate.detained_by`); ``places``: the countries of the peak period
    (:func:`~refugee_stats.aggregate.places` of :func:`~refugee_stats.aggregate.peak_period`); ``incidents``: distinct incidents; ``sources``:
    records per source; ``months``: first and last month of the records; ``illustrative``: whether
    one is made up; ``pipeline``: what the status pipeline follows.
    """

    detentions: pd.DataFrame
    detention_precisions: pd.DataFrame
    persons_precisions: pd.DataFrame
    decisions: pd.DataFrame
    types: pd.DataFrame
    statuses: pd.DataFrame
    by_host: pd.DataFrame
    by_nationality: pd.DataFrame
    places: pd.DataFrame
    incidents: int
    sources: pd.DataFrame
    months: tuple[str, str] | None
    illustrative: bool
    pipeline: aggregate.PipelineInputs


class Backend(Protocol):
    """What the app asks of the data: the records a view keeps and their true counts
    (:meth:`select`, :meth:`aggregate`), and facts about the whole of it (its countries, its months,
    the period a view opens on)."""

    def select(self, filters: Filters) -> Selection:
        """The records ``filters`` keep."""
        ...

    def aggregate(self, selection: Selection, filters: Filters) -> Aggregates:
        """Every chart's, map's and key figure's true counts over ``selection``."""
        ...

    def codes(self, column: str) -> tuple[str, ...]:
        """The distinct codes of ``column`` (``host_country``, ``nationality``) in the incidents and
        the status decisions, sorted."""
        ...

    def months(self) -> tuple[str, str] | None:
        """The first and last month (``YYYY-MM``) of every record, or None without records."""
        ...

    def default_granularity(self, filters: Filters) -> str:
        """The chart period the records ``filters`` keep open on (:func:`~refugee_stats.aggregate.granularity_of`)."""
        ...


def _x_range(filters: Filters, months: tuple[str, str] | None) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The chart's time axis: the filter's range, or the records' span (first and last month) where it is open."""
    if months is None:
        return None
    start = filters.start if filters.start is not None else pd.Period(months[0], "M").start_time
    end = filters.end if filters.end is not None else pd.Period(months[1], "M").end_time.normalize()
    return start, end


def aggregates(tally: Tally, filters: Filters, timeline: pd.DataFrame) -> Aggregates:
    """The true counts of every registered chart, the maps and the key figures from a backend's
    :class:`Tally`: each rule of :mod:`refugee_stats.aggregate` applied once, whoever counted."""
    g = filters.granularity
    keep = aggregate.top_of(tally.by_nationality)
    by_period = aggregate.pool_detentions(tally.detentions, keep)
    totals = by_period.groupby("period_start", as_index=False).agg(
        people=("people", "sum"),
        unhcr_refugees=("unhcr_refugees", lambda v: v.sum(min_count=1)),
        unhcr_unknown=("unhcr_unknown", "sum"),
    )
    totals = totals.astype({"unhcr_refugees": "Int64"})
    statuses = tally.statuses
    cases = int(statuses.loc[statuses["unit"].to_numpy(dtype=object) == "cases", "records"].sum())
    flows = aggregate.pipeline_flows(tally.types, tally.pipeline)
    return Aggregates(
        charts={
            "detentions": ChartData(
                {
                    "by_period": by_period,
                    "totals": totals,
                    "unplaced": aggregate.unplaced_of(tally.detention_precisions, g),
                    "places": tally.places,
                }
            ),
            "decisions": ChartData(
                {
                    "by_period": tally.decisions,
                    "unplaced": aggregate.unplaced_of(tally.persons_precisions, g),
                },
                {"cases": cases},
            ),
            "pipeline": ChartData({"flows": flows, "nodes": aggregate.pipeline_nodes(flows)}),
            "map": ChartData({"host_country": tally.by_host, "nationality": tally.by_nationality}),
        },
        key_figures=aggregate.key_figures_of(tally.types, tally.statuses, tally.incidents),
        sources=tuple(aggregate.sources_of(tally.sources)),
        illustrative=tally.illustrative,
        x_range=_x_range(filters, tally.months),
        timeline=filters.apply_timeline(timeline),
    )


def _working(frame: pd.DataFrame, names: list[str], rows: np.ndarray) -> pd.DataFrame:
    """The kept rows of the columns the aggregations read (those the frame has)."""
    return columns.select(frame[[n for n in names if n in frame.columns]], rows)


@dataclass(frozen=True, eq=False)
class PandasBackend:
    """The loaded dataset in memory: every query answered with pandas over the kept rows."""

    dataset: Dataset

    def select(self, filters: Filters) -> RowSelection:
        """The rows ``filters`` keep of the incidents and the status decisions."""
        data = self.dataset
        return RowSelection(
            data.incidents,
            filters.incident_rows(data.incidents),
            data.status,
            filters.status_rows(data.status),
        )

    def tally(self, selection: RowSelection, filters: Filters) -> Tally:
        """The counts of :class:`Tally` over the kept rows."""
        incidents = _working(selection.all_incidents, INCIDENT_WORKING, selection.incident_rows)
        status = _working(selection.all_status, STATUS_WORKING, selection.status_rows)
        g = filters.granularity
        held = columns.equals(incidents["type"], "detention")
        cells = aggregate.detention_cells(incidents, g)
        return Tally(
            detentions=cells,
            detention_precisions=aggregate.precisions(incidents, held),
            persons_precisions=aggregate.precisions(status, columns.equals(status["unit"], "persons")),
            decisions=aggregate.decisions_by_period(status, g),
            types=aggregate.type_summary(incidents),
            statuses=aggregate.status_summary(status),
            by_host=aggregate.detained_by(incidents, "host_country"),
            by_nationality=aggregate.detained_by(incidents, "nationality"),
            places=aggregate.places(incidents, g, aggregate.peak_period(cells)),
            incidents=aggregate.distinct(incidents["incident_id"]),
            sources=aggregate.source_counts(incidents, status),
            months=data_months(incidents, status),
            illustrative=aggregate.has_illustrative(incidents, status),
            pipeline=aggregate.pipeline_inputs(incidents, selection.all_incidents, selection.all_status),
        )

    def aggregate(self, selection: Selection, filters: Filters) -> Aggregates:
        """Every aggregate of the registered charts, the maps and the key figures, over the kept rows."""
        if not isinstance(selection, RowSelection):
            raise TypeError(f"a pandas backend aggregates its own selection, not {type(selection).__name__}")
        return aggregates(self.tally(selection, filters), filters, self.dataset.timeline)

    def codes(self, column: str) -> tuple[str, ...]:
        """The distinct codes of ``column`` in the incidents and the status decisions, sorted."""
        values: set[str] = set()
        for frame in (self.dataset.incidents, self.dataset.status):
            _, uniques = columns.codes(frame[column])
            values.update(v for v in uniques if isinstance(v, str))
        return tuple(sorted(values))

    def months(self) -> tuple[str, str] | None:
        """The first and last month of every record."""
        return data_months(self.dataset.incidents, self.dataset.status)

    def default_granularity(self, filters: Filters) -> str:
        """The chart period the records ``filters`` keep open on."""
        data = self.dataset
        return aggregate.default_granularity(
            data.incidents,
            data.status,
            filters.incident_rows(data.incidents),
            filters.status_rows(data.status),
        )


def backend_for(dataset: Dataset) -> Backend:
    """The backend answering for ``dataset``: its own (a database's), else pandas over its frames."""
    own = dataset.backend
    return cast(Backend, own) if own is not None else PandasBackend(dataset)


@dataclass(frozen=True, eq=False)
class ViewData:
    """The numbers of one view, the same in every language and theme.

    ``charts`` holds one :class:`ChartData` per registered chart (and ``"map"``): the true
    counts, with what protection withholds in ``<col>_small`` / ``<col>_hidden`` and the heights
    to draw in ``people_drawn``. ``key_figure_status`` says how each key figure shows.
    """

    filters: Filters
    public: bool
    selection: Selection
    key_figures: aggregate.KeyFigures
    key_figure_status: dict[str, str]
    charts: Mapping[str, ChartData]
    sources: tuple[str, ...]
    illustrative: bool
    x_range: tuple[pd.Timestamp, pd.Timestamp] | None
    timeline: pd.DataFrame

    @property
    def empty(self) -> bool:
        """Whether no incident or status record matches the filters."""
        return self.selection.empty


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


#: The protected frames, each as (chart, frame): the audit names a count by (frame, column, row).
PROTECTED = {
    "d": ("detentions", "by_period"),
    "t": ("detentions", "totals"),
    "ud": ("detentions", "unplaced"),
    "c": ("decisions", "by_period"),
    "us": ("decisions", "unplaced"),
    "p": ("pipeline", "flows"),
    "pn": ("pipeline", "nodes"),
    "h": ("map", "host_country"),
    "n": ("map", "nationality"),
}


def _counted(frame: str) -> tuple[str, ...]:
    """The count columns protection marks in one of :data:`PROTECTED`'s frames."""
    return COUNT_COLUMNS if frame in ("d", "t") else ("people",)


def _values(frame: pd.DataFrame, name: str, column: str = "people") -> dict:
    """``(name, column, row) -> count`` for the known counts of a frame."""
    values = frame[column].to_numpy(dtype=np.float64, na_value=np.nan)
    return {(name, column, i): int(v) for i, v in enumerate(values) if not np.isnan(v)}


def _breakdowns(frames: Mapping[str, pd.DataFrame]) -> list[protect.Breakdown]:
    """Every published breakdown of the view, each with the total it is shown beside.

    A period's nationalities (chart bars) against the period's total (hover); the periods
    (and the records no period can place) against the key figure; each nationality's bars
    against its value on the map ("Other" against the map's other countries); each map's
    countries against the key figure; the decisions against the people decided on, and the
    revocations against the key figure.
    """
    detentions, totals, decisions = frames["d"], frames["t"], frames["c"]
    nationalities = frames["n"]
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
            parts += [("ud", "people", i) for i in range(len(frames["ud"]))]
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
    for name in ("h", "n"):
        parts = tuple((name, "people", i) for i in range(len(frames[name])))
        out.append(protect.Breakdown(parts, (("k", "people_detained"),)))
    decided = [("c", "people", i) for i in range(len(decisions))]
    decided += [("us", "people", i) for i in range(len(frames["us"]))]
    out.append(protect.Breakdown(tuple(decided), (("k", "people_decided"),)))
    revoked = np.flatnonzero(decisions["decision"].to_numpy() == "revoked")
    out.append(protect.Breakdown(tuple(("c", "people", i) for i in revoked), (("k", "revocations"),)))
    return out + _pipeline_breakdowns(frames["p"], frames["pn"])


def _pipeline_breakdowns(flows: pd.DataFrame, nodes: pd.DataFrame) -> list[protect.Breakdown]:
    """The status pipeline's breakdowns: each node (its label shows its people) against the flows
    into it and the flows out of it; the detained against the key figure, the refugees and the
    people of unknown status against theirs."""
    node = {n: ("pn", "people", i) for i, n in enumerate(nodes["node"])}
    sources, targets = flows["source"].tolist(), flows["target"].tolist()
    out = [protect.Breakdown((node["detained"],), (("k", "people_detained"),))]
    for name, key in node.items():
        if name == "removed":  # no flow: the three removals added up (below)
            continue
        into = tuple(("p", "people", i) for i, t in enumerate(targets) if t == name)
        out_of = tuple(("p", "people", i) for i, s in enumerate(sources) if s == name)
        out += [protect.Breakdown(part, (key,)) for part in (into, out_of) if part]
    flow = {(s, t): ("p", "people", i) for i, (s, t) in enumerate(zip(sources, targets, strict=True))}
    removals = tuple(node[n] for n in REMOVAL_TYPES)
    out.append(protect.Breakdown(removals, (node["removed"],)))
    out.append(protect.Breakdown((flow[("detained", "unhcr_refugees")],), (("k", "unhcr_refugees"),)))
    out.append(protect.Breakdown((flow[("detained", "status_unknown")],), (("k", "unhcr_unknown"),)))
    return out


def _drawn(frame: pd.DataFrame, total: int, total_hidden: bool) -> pd.Series:
    """The heights to draw of a protected frame's ``people`` beside its shown total."""
    return protect.drawn(frame["people"], frame["people_hidden"], None if total_hidden else total)


def compute(
    dataset: Dataset, filters: Filters, public: bool = False, *, backend: Backend | None = None
) -> ViewData:
    """Apply ``filters`` to ``dataset`` (through ``backend``, pandas by default) and compute the key
    figures and the numbers of every registered chart and the maps.

    Every number is computed from the true counts. ``public`` changes only what is shown:
    counts from 1 to 4 as "<5", and the counts that would let one be worked out by
    subtraction as "x" (:func:`refugee_stats.protect.suppress`).
    """
    backend = backend if backend is not None else backend_for(dataset)
    selection = backend.select(filters)
    agg = backend.aggregate(selection, filters)
    figures = agg.key_figures
    frames = {name: agg.charts[chart][frame] for name, (chart, frame) in PROTECTED.items()}

    status_of: dict = {}
    if public:  # the audit reads every count; without public mode nothing is withheld
        values: dict = {("k", f.name): getattr(figures, f.name) for f in fields(figures)}
        values = {k: int(v) for k, v in values.items() if v is not None}
        for name, frame in frames.items():
            for column in _counted(name):
                values.update(_values(frame, name, column))
        status_of = protect.suppress(values, _breakdowns(frames))

    def marked(name: str, frame: pd.DataFrame) -> pd.DataFrame:
        for column in _counted(name):
            statuses = (
                [status_of.get((name, column, i), protect.SHOWN) for i in range(len(frame))]
                if public
                else None
            )
            frame = protect.mark(frame, column, statuses)
        return frame

    p = {name: marked(name, frame) for name, frame in frames.items()}
    figure_status = {f.name: status_of.get(("k", f.name), protect.SHOWN) for f in fields(figures)}
    detained_hidden = figure_status["people_detained"] != protect.SHOWN

    d, t = p["d"], p["t"]
    period_people = dict(zip(t["period_start"], t["people"], strict=True))
    period_hidden = dict(zip(t["period_start"], t["people_hidden"], strict=True))
    d = d.assign(people_drawn=d["people"].astype("float64"))
    # Only periods with a withheld cell draw anything but the true counts.
    for period in pd.unique(d.loc[d["people_hidden"], "period_start"]):
        part = d[d["period_start"] == period]
        d.loc[part.index, "people_drawn"] = _drawn(
            part, int(period_people[period]), bool(period_hidden[period])
        )
    h = p["h"].assign(people_drawn=_drawn(p["h"], figures.people_detained, detained_hidden))
    n = p["n"].assign(people_drawn=_drawn(p["n"], figures.people_detained, detained_hidden))
    c = p["c"].assign(people_drawn=protect.drawn(p["c"]["people"], p["c"]["people_hidden"], None))
    node_people = dict(
        zip(
            p["pn"]["node"],
            p["pn"]["people"].astype(object).where(p["pn"]["people"].notna(), None),
            strict=True,
        )
    )
    node_hidden = dict(zip(p["pn"]["node"], p["pn"]["people_hidden"].astype(bool), strict=True))
    flows = p["p"].assign(people_drawn=p["p"]["people"].astype("float64"))
    for source, part in flows.groupby("source", sort=False):
        # A node's outflows share what its shown total leaves, as stacked bars do.
        total = node_people[source]
        if total is not None:
            flows.loc[part.index, "people_drawn"] = _drawn(part, int(total), bool(node_hidden[source]))

    charts = {
        "detentions": ChartData(
            {"by_period": d, "totals": t, "unplaced": p["ud"], "places": agg.charts["detentions"]["places"]}
        ),
        "decisions": ChartData({"by_period": c, "unplaced": p["us"]}, agg.charts["decisions"].counts),
        "nationalities": ChartData({"shares": _shares(d, t), "unplaced": p["ud"]}),
        "pipeline": ChartData({"flows": flows, "nodes": p["pn"]}),
        "map": ChartData({"host_country": h, "nationality": n}),
    }
    return ViewData(
        filters=filters,
        public=public,
        selection=selection,
        key_figures=figures,
        key_figure_status=figure_status,
        charts=charts,
        sources=agg.sources,
        illustrative=agg.illustrative,
        x_range=agg.x_range,
        timeline=agg.timeline,
    )


def default_filters(dataset: Dataset) -> Filters:
    """Everything, over the months the data covers."""
    months = backend_for(dataset).months()
    return Filters(date_from=months[0], date_to=months[1]) if months else Filters()
