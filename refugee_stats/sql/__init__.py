"""The records in a database, asked with Ibis: one set of expressions for DuckDB and PostgreSQL.

A database holds the validated records in ``incidents``, ``status`` and ``timeline`` (the
columns of the loaded frames, plus ``record``: the position in file order). From them
:func:`derived_tables` builds small tables once, when the records are loaded: ``incident_cells``
and ``status_cells`` (the records grouped by everything a filter or a chart reads, dates to the
month, with their counts), and what the status pipeline and the distinct incidents need
(``multi_incidents``, ``linked_detentions``, ``revocations``, ``outcomes``). A view is then a
handful of queries over the cells, whatever the number of records: :class:`SqlBackend` answers
the questions of :class:`refugee_stats.compute.Backend` with them and hands the counts
(:class:`refugee_stats.compute.Tally`) to the same rules as the pandas backend, so every backend
gives the same numbers.

Nothing here knows which engine runs it: :mod:`refugee_stats.sql.duck` opens DuckDB over
Parquet files, :mod:`refugee_stats.sql.postgres` a PostgreSQL server.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from ibis import _

from refugee_stats import aggregate, dates
from refugee_stats.compute import Aggregates, Selection, Tally, aggregates
from refugee_stats.fields import GRANULARITIES
from refugee_stats.filters import Filters

#: The tables a database holds the records in (the loaded frames' columns, plus ``record``).
BASE_TABLES = ("incidents", "status", "timeline")
#: The tables built from them when they are loaded (:func:`derived_tables`).
DERIVED_TABLES = (
    "incident_cells",
    "status_cells",
    "multi_incidents",
    "linked_detentions",
    "revocations",
    "outcomes",
)
#: Ibis's truncation unit of each chart period.
UNIT = {"month": "M", "quarter": "Q", "year": "Y"}
#: The columns an incident's rows usually share (they differ by nationality): when its rows share
#: them all, every filter but the nationality keeps all of them or none.
UNIFORM_OVER = ("type", "host_country", "date_start", "date_end", "illustrative")
#: What a cell of the incidents is told apart by: every column a filter or a chart reads.
INCIDENT_CELL = [
    "type",
    "host_country",
    "nationality",
    "date_start",
    "date_end",
    "date_precision",
    "illustrative",
]
STATUS_CELL = [
    "host_country",
    "nationality",
    "authority",
    "decision",
    "unit",
    "date_start",
    "date_end",
    "date_precision",
    "illustrative",
]


def _months(t: Any) -> dict[str, Any]:
    """A record's dates to the month: what a filter (whole months) and a chart period need of them."""
    return {"date_start": t.date_start.truncate("M"), "date_end": t.date_end.truncate("M")}


def derived_tables(incidents: Any, status: Any) -> dict[str, Any]:
    """The expressions of :data:`DERIVED_TABLES` over the Ibis tables of the records.

    ``incident_cells``: one row per distinct :data:`INCIDENT_CELL`: ``records``, ``people``,
    ``refugees`` (stated UNHCR refugees), ``stated`` (records stating a status), ``unknown`` (people
    of the records stating none), ``singles`` (records that are a whole incident) and ``leads``
    (first rows of an incident of several rows sharing :data:`UNIFORM_OVER`). ``status_cells``: one row per distinct :data:`STATUS_CELL`: ``records``,
    ``people``. ``multi_incidents``: the rows of incidents with several rows (their incident as a
    number, whether it is uniform, and what a filter reads), for counting distinct incidents. ``linked_detentions``: the detentions a
    revocation or an outcome names, with their counts. ``revocations``: people revoked (persons)
    per detention named. ``outcomes``: every outcome naming a detention, with its date and position.
    """
    import ibis

    # An incident's rows share a column when its least value is its greatest (cheaper than counting
    # distinct values, and spilled to disk by the engine when the incidents outgrow memory); the
    # end follows from the start and the precision.
    shared = [c for c in UNIFORM_OVER if c not in ("date_end", "illustrative")] + ["date_precision"]
    repeated = (
        incidents.group_by("incident_id")
        .aggregate(
            rows=_.count(),
            first=_.record.min(),
            uniform=ibis.and_(
                *(incidents[c].min() == incidents[c].max() for c in shared),
                incidents.illustrative.all() | ~incidents.illustrative.any(),
            ),
        )
        .filter(_.rows > 1)
    )
    joined = incidents.left_join(repeated, "incident_id")
    marked = joined.mutate(
        counted=ibis.cases(
            (joined.rows.isnull(), "single"),
            (joined.uniform & (joined.record == joined.first), "lead"),
            (joined.uniform, "uniform"),
            else_="mixed",
        ),
        known=joined.unhcr_refugees.notnull(),
        **_months(joined),
    )
    incident_cells = marked.group_by(INCIDENT_CELL).aggregate(
        records=marked.count(),
        people=marked.people.sum(),
        refugees=marked.unhcr_refugees.fill_null(0).sum(),
        stated=marked.count(where=marked.known),
        unknown=marked.people.sum(where=~marked.known).fill_null(0),
        singles=marked.count(where=marked.counted == "single"),
        leads=marked.count(where=marked.counted == "lead"),
    )
    status_months = status.mutate(**_months(status))
    status_cells = status_months.group_by(STATUS_CELL).aggregate(
        records=status_months.count(), people=status_months.people.sum()
    )
    several = marked.filter(marked.counted != "single")
    # Each incident of several rows as a number (its first record's): distinct numbers count faster
    # than distinct texts.
    multi = several.select(*INCIDENT_CELL, uniform=several.counted != "mixed", incident=several.first)
    revocations = (
        status.filter(status.unit == "persons", status.decision == "revoked", status.incident_id.notnull())
        .group_by(["incident_id", "nationality"])
        .aggregate(people=_.people.sum())
    )
    outcomes = incidents.filter(
        incidents.follows.notnull(), incidents.type.isin(list(aggregate.OUTCOME_TYPES))
    ).select("follows", "nationality", "type", "people", "unhcr_refugees", "date_start", "record")
    named = revocations.select("incident_id", "nationality").union(
        outcomes.select(incident_id=outcomes.follows, nationality=outcomes.nationality), distinct=True
    )
    detentions = incidents.filter(incidents.type == "detention")
    linked = detentions.semi_join(
        named, [detentions.incident_id == named.incident_id, detentions.nationality == named.nationality]
    )
    linked_detentions = linked.select(
        "incident_id",
        "nationality",
        "type",
        "host_country",
        "illustrative",
        "people",
        refugees=linked.unhcr_refugees.fill_null(0),
        unknown=ibis.ifelse(linked.unhcr_refugees.isnull(), linked.people, 0),
        **_months(linked),
    )
    return {
        "incident_cells": incident_cells,
        "status_cells": status_cells,
        "multi_incidents": multi,
        "linked_detentions": linked_detentions,
        "revocations": revocations,
        "outcomes": outcomes,
    }


@dataclass(frozen=True, eq=False)
class SqlSelection:
    """The records a view keeps in a database: how many, what :meth:`SqlBackend.select` counted
    of them on the way (``kinds``: the incidents per type, stated status and several-row incident;
    ``statuses``: the status records per unit, decision, authority, date precision and period), and
    a way to fetch them."""

    backend: SqlBackend = field(repr=False)
    filters: Filters
    kinds: pd.DataFrame = field(repr=False)
    statuses: pd.DataFrame = field(repr=False)

    @property
    def count(self) -> int:
        """How many records (incident and status rows) are kept."""
        return int(self.kinds["records"].sum()) + int(self.statuses["records"].sum())

    @property
    def illustrative_count(self) -> int:
        """How many kept records (incident and status rows) are illustrative."""
        return int(self.kinds["illustrative"].sum()) + int(self.statuses["illustrative"].sum())

    @property
    def empty(self) -> bool:
        """Whether no incident or status record is kept."""
        return self.count == 0

    def records(self, limit: int | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The kept incident rows, then the kept status rows (file order): all, or the first ``limit``."""
        return self.backend.records(self.filters, limit)

    @property
    def months(self) -> tuple[str, str] | None:
        """The first and last month of the kept records."""
        firsts = [f["first"].min() for f in (self.kinds, self.statuses) if len(f)]
        lasts = [f["last"].max() for f in (self.kinds, self.statuses) if len(f)]
        if not firsts:
            return None
        return pd.Timestamp(min(firsts)).strftime("%Y-%m"), pd.Timestamp(max(lasts)).strftime("%Y-%m")


def _frame(result: Any) -> pd.DataFrame:
    """A query's result as a pandas frame with a fresh index."""
    return result.reset_index(drop=True) if isinstance(result, pd.DataFrame) else pd.DataFrame(result)


def _int(value: object) -> int:
    return 0 if value is None or pd.isna(value) else int(value)  # type: ignore[arg-type]


@dataclass(eq=False)
class SqlBackend:
    """A database's records answering every question of :class:`refugee_stats.compute.Backend`.

    ``tables`` maps each name of :data:`BASE_TABLES` and :data:`DERIVED_TABLES` to an Ibis table;
    ``convert`` turns fetched record rows into the loaded frames' types. A view takes eight queries
    over the derived tables and one over the records (their sources, both tables in one), whatever
    their number. One
    query runs at a time (a connection is not shared by threads).
    """

    tables: Mapping[str, Any]
    timeline: pd.DataFrame
    convert: Callable[[str, pd.DataFrame], pd.DataFrame]
    name: str = "sql"
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False)
    _links: tuple[pd.DataFrame, pd.DataFrame] | None = field(default=None, repr=False)

    def _run(self, expr: Any) -> pd.DataFrame:
        with self._lock:
            return _frame(expr.execute())

    def _kept(self, name: str, filters: Filters, table: str | None = None) -> Any:
        """The rows of ``table`` (default the cells of ``name``: ``incidents`` or ``status``) ``filters`` keep."""
        found = self.tables[table or f"{'incident' if name == 'incidents' else 'status'}_cells"]
        predicates = filters.predicates(found, name)
        return found.filter(*predicates) if predicates else found

    # -- facts about the whole data ---------------------------------------------------------

    def codes(self, column: str) -> tuple[str, ...]:
        """The distinct codes of ``column`` in the incidents and the status decisions, sorted."""
        values: set[str] = set()
        for name in ("incident_cells", "status_cells"):
            table = self.tables[name]
            values.update(
                v for v in self._run(table.select(table[column]).distinct())[column] if isinstance(v, str)
            )
        return tuple(sorted(values))

    def months(self) -> tuple[str, str] | None:
        """The first and last month of every record."""
        return self.select(Filters()).months

    def default_granularity(self, filters: Filters) -> str:
        """The chart period the records ``filters`` keep open on."""
        selection = self.select(filters)
        return aggregate.granularity_of(
            _detention_precisions(selection.kinds), _persons_precisions(selection.statuses)
        )

    # -- one view ---------------------------------------------------------------------------

    def select(self, filters: Filters) -> SqlSelection:
        """What ``filters`` keep, counted by kind (two queries over the cells)."""
        incidents = self._kept("incidents", filters)
        kinds = self._run(
            incidents.group_by(["type", "date_precision"]).aggregate(
                records=_.records.sum(),
                people=_.people.sum(),
                refugees=_.refugees.sum(),
                stated=_.stated.sum(),
                unknown=_.unknown.sum(),
                singles=_.singles.sum(),
                leads=_.leads.sum(),
                illustrative=_.records.sum(where=_.illustrative),
                first=_.date_start.min(),
                last=_.date_end.max(),
            )
        )
        status = self._kept("status", filters)
        statuses = self._run(
            status.group_by(["unit", "decision", "authority", "date_precision", "date_start"]).aggregate(
                records=_.records.sum(),
                people=_.people.sum(),
                illustrative=_.records.sum(where=_.illustrative),
                last=_.date_end.max(),
            )
        )
        statuses = statuses.rename(columns={"date_start": "first"})
        return SqlSelection(self, filters, kinds, statuses)

    def tally(self, selection: SqlSelection, filters: Filters) -> Tally:
        """The counts of :class:`~refugee_stats.compute.Tally`: what :meth:`select` counted, and six
        queries more."""
        g = filters.granularity
        fitting = list(dates.fitting(g))
        held = self._kept("incidents", filters).filter(_.type == "detention")
        in_period = held.filter(_.date_precision.isin(fitting))
        detentions = _cells_frame(
            self._run(
                in_period.group_by([period_of(in_period, g), "nationality"]).aggregate(
                    people=_.people.sum(),
                    refugees=_.refugees.sum(),
                    unknown=_.unknown.sum(),
                    known=_.stated.sum(),
                )
            )
        )
        by_nationality = self._run(held.group_by("nationality").aggregate(people=_.people.sum()))
        peak = aggregate.peak_period(detentions)
        at_peak = in_period.filter(period_of(in_period, g) == peak) if peak is not None else None
        places = (
            self._run(
                at_peak.group_by(period_of(at_peak, g)).aggregate(
                    hosts=_.host_country.nunique(),
                    host_country=_.host_country.min(),
                    nationalities=_.nationality.nunique(),
                    nationality=_.nationality.min(),
                )
            )
            if at_peak is not None
            else pd.DataFrame(
                columns=["period_start", "hosts", "host_country", "nationalities", "nationality"]
            )
        )
        by_host = self._run(held.group_by("host_country").aggregate(people=_.people.sum()))
        statuses = selection.statuses
        persons = statuses[(statuses["unit"] == "persons") & statuses["date_precision"].isin(fitting)]
        decisions = persons.assign(period_start=_truncate(persons["first"], g))
        decisions = decisions.groupby(["period_start", "authority", "decision"], as_index=False)[
            ["people"]
        ].sum()
        kinds = selection.kinds
        return Tally(
            detentions=detentions,
            detention_precisions=_detention_precisions(kinds),
            persons_precisions=_persons_precisions(statuses),
            decisions=_decisions_frame(decisions),
            types=_types(kinds),
            statuses=aggregate.summary_frame(
                statuses.groupby(aggregate.STATUS_KEYS, as_index=False)[["records", "people"]].sum(),
                aggregate.STATUS_KEYS,
            ),
            by_host=aggregate.most_people_first(by_host, "host_country"),
            by_nationality=aggregate.most_people_first(by_nationality, "nationality"),
            places=aggregate.places_frame(places),
            incidents=self._distinct_incidents(kinds, filters),
            sources=self._sources(filters),
            months=selection.months,
            illustrative=selection.illustrative_count > 0,
            pipeline=self._pipeline(filters),
        )

    def aggregate(self, selection: Selection, filters: Filters) -> Aggregates:
        """Every chart's, map's and key figure's true counts over the records ``filters`` keep."""
        if not isinstance(selection, SqlSelection):
            raise TypeError(
                f"a database backend aggregates its own selection, not {type(selection).__name__}"
            )
        return aggregates(self.tally(selection, filters), filters, self.timeline)

    def _distinct_incidents(self, kinds: pd.DataFrame, filters: Filters) -> int:
        """Distinct incidents: an incident of one row is its row; one of several rows sharing
        :data:`UNIFORM_OVER` is its first row, unless a filter reads another column (the
        nationality): then it is counted by its number, as the others always are."""
        singles = int(kinds["singles"].sum())
        whole = filters.reads("incidents") <= set(UNIFORM_OVER)
        kept = self._kept("incidents", filters, "multi_incidents")
        if whole:
            kept = kept.filter(~_.uniform)
        several = _int(self._run(kept.aggregate(n=_.incident.nunique()))["n"].iloc[0])
        leads = int(kinds["leads"].sum()) if whole else 0
        return singles + leads + several

    def _sources(self, filters: Filters) -> pd.DataFrame:
        """Records per source of both tables (one query over the records)."""
        parts = [
            self._kept(name, filters, name).group_by("source").aggregate(records=_.count())
            for name in ("incidents", "status")
        ]
        return self._run(parts[0].union(parts[1], distinct=False))[["source", "records"]]

    def _pipeline(self, filters: Filters) -> aggregate.PipelineInputs:
        kept = self._kept("incidents", filters, "linked_detentions")
        detained = self._run(kept.select("incident_id", "nationality", "people", "refugees", "unknown"))
        if self._links is None:  # every revocation and outcome, whatever the filters: asked once
            revocations = self._run(self.tables["revocations"])[["incident_id", "nationality", "people"]]
            outcomes = self._run(self.tables["outcomes"].order_by(["date_start", "record"]))
            self._links = (
                revocations,
                outcomes[["follows", "nationality", "type", "people", "unhcr_refugees"]],
            )
        revocations, outcomes = self._links
        return aggregate.PipelineInputs(
            detained.astype({"people": "float64", "refugees": "float64", "unknown": "float64"}),
            revocations,
            outcomes,
        )

    # -- records ----------------------------------------------------------------------------

    def records(self, filters: Filters, limit: int | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The incident rows, then the status rows, ``filters`` keep (file order): all, or the first ``limit``."""
        out = []
        left = limit
        for name in ("incidents", "status"):
            kept = self._kept(name, filters, name).order_by("record")
            if left is not None:
                kept = kept.limit(max(left, 0))
            frame = self.convert(name, self._run(kept))
            out.append(frame)
            if left is not None:
                left -= len(frame)
        return out[0], out[1]


def period_of(table: Any, granularity: str) -> Any:
    """A cell's chart period of ``granularity``: the start of the period its first month falls in."""
    return table.date_start.truncate(UNIT[granularity]).name("period_start")


def _truncate(months: pd.Series, granularity: str) -> np.ndarray:
    """The start of the period of ``granularity`` each month falls in (a row per month, in order)."""
    starts = pd.Series(pd.to_datetime(months).to_numpy(dtype="datetime64[s]"))
    return dates.period_start(starts, granularity).to_numpy()


def _types(kinds: pd.DataFrame) -> pd.DataFrame:
    """:func:`~refugee_stats.aggregate.type_summary` from the incidents counted by kind: per type,
    the records stating a status and those stating none."""
    per = kinds.groupby("type", as_index=False)[["records", "people", "refugees", "stated", "unknown"]].sum()
    stated = pd.DataFrame(
        {
            "type": per["type"],
            "known": True,
            "records": per["stated"],
            "people": per["people"] - per["unknown"],
            "refugees": per["refugees"],
        }
    )
    unstated = pd.DataFrame(
        {
            "type": per["type"],
            "known": False,
            "records": per["records"] - per["stated"],
            "people": per["unknown"],
            "refugees": 0,
        }
    )
    both = pd.concat([stated, unstated], ignore_index=True)
    return aggregate.summary_frame(both[both["records"] > 0], aggregate.TYPE_KEYS)


def _detention_precisions(kinds: pd.DataFrame) -> pd.DataFrame:
    held = kinds[kinds["type"] == "detention"]
    return aggregate.in_precision_order(
        held.groupby("date_precision", as_index=False)[["records", "people"]].sum()
    )


def _persons_precisions(statuses: pd.DataFrame) -> pd.DataFrame:
    persons = statuses[statuses["unit"] == "persons"]
    return aggregate.in_precision_order(
        persons.groupby("date_precision", as_index=False)[["records", "people"]].sum()
    )


def _cells_frame(found: pd.DataFrame) -> pd.DataFrame:
    """Detention cells as :func:`~refugee_stats.aggregate.detention_cells` gives them."""
    return pd.DataFrame(
        {
            "period_start": pd.to_datetime(found["period_start"]).to_numpy(dtype="datetime64[s]"),
            "nationality": found["nationality"].to_numpy(dtype=object),
            **{
                c: found[c].fillna(0).to_numpy(dtype=np.int64)
                for c in ("people", "refugees", "unknown", "known")
            },
        }
    )


def _decisions_frame(found: pd.DataFrame) -> pd.DataFrame:
    """Decisions per period as :func:`~refugee_stats.aggregate.decisions_by_period` gives them."""
    return pd.DataFrame(
        {
            "period_start": pd.to_datetime(found["period_start"]).to_numpy(dtype="datetime64[s]"),
            "authority": pd.array(found["authority"].to_numpy(dtype=object), dtype="string"),
            "decision": pd.array(found["decision"].to_numpy(dtype=object), dtype="string"),
            "people": found["people"].to_numpy(dtype=np.int64),
        }
    )


assert set(UNIT) == set(GRANULARITIES)
