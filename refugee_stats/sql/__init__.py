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

    ``incident_cells``: one row per distinct (:data:`INCIDENT_CELL`, ``known``: whether the record
    states a UNHCR status, ``multi``: whether its incident has several rows): ``records``, ``people``,
    ``refugees``. ``status_cells``: one row per distinct :data:`STATUS_CELL`: ``records``,
    ``people``. ``multi_incidents``: the rows of incidents with several rows (their id and what a
    filter reads), for counting distinct incidents. ``linked_detentions``: the detentions a
    revocation or an outcome names, with their counts. ``revocations``: people revoked (persons)
    per detention named. ``outcomes``: every outcome naming a detention, with its date and position.
    """
    import ibis

    repeated = incidents.group_by("incident_id").aggregate(rows=_.count()).filter(_.rows > 1)
    marked = incidents.mutate(
        multi=incidents.incident_id.isin(repeated.incident_id).fill_null(False),
        known=incidents.unhcr_refugees.notnull(),
        **_months(incidents),
    )
    incident_cells = marked.group_by([*INCIDENT_CELL, "known", "multi"]).aggregate(
        records=marked.count(),
        people=marked.people.sum(),
        refugees=marked.unhcr_refugees.fill_null(0).sum(),
    )
    status_months = status.mutate(**_months(status))
    status_cells = status_months.group_by(STATUS_CELL).aggregate(
        records=status_months.count(), people=status_months.people.sum()
    )
    multi = marked.filter(marked.multi).select(
        "incident_id", "type", "host_country", "nationality", "date_start", "date_end", "illustrative"
    )
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
    """The records a view keeps in a database: how many, and a way to fetch them."""

    backend: SqlBackend = field(repr=False)
    filters: Filters
    incident_count: int
    status_count: int
    illustrative_count: int

    @property
    def count(self) -> int:
        """How many records (incident and status rows) are kept."""
        return self.incident_count + self.status_count

    @property
    def empty(self) -> bool:
        """Whether no incident or status record is kept."""
        return self.count == 0

    def records(self, limit: int | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The kept incident rows, then the kept status rows (file order): all, or the first ``limit``."""
        return self.backend.records(self.filters, limit)


def _frame(result: Any) -> pd.DataFrame:
    """A query's result as a pandas frame with a fresh index."""
    return result.reset_index(drop=True) if isinstance(result, pd.DataFrame) else pd.DataFrame(result)


def _int(value: object) -> int:
    return 0 if value is None or pd.isna(value) else int(value)  # type: ignore[arg-type]


@dataclass(eq=False)
class SqlBackend:
    """A database's records answering every question of :class:`refugee_stats.compute.Backend`.

    ``tables`` maps each name of :data:`BASE_TABLES` and :data:`DERIVED_TABLES` to an Ibis table;
    ``convert`` turns fetched record rows into the loaded frames' types. One query runs at a time
    (a connection is not shared by threads).
    """

    tables: Mapping[str, Any]
    timeline: pd.DataFrame
    convert: Callable[[str, pd.DataFrame], pd.DataFrame]
    name: str = "sql"
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False)

    def _run(self, expr: Any) -> Any:
        with self._lock:
            return expr.execute()

    def _cells(self, name: str, filters: Filters) -> Any:
        table = self.tables[f"{'incident' if name == 'incidents' else 'status'}_cells"]
        predicates = filters.predicates(table, name)
        return table.filter(*predicates) if predicates else table

    # -- facts about the whole data ---------------------------------------------------------

    def codes(self, column: str) -> tuple[str, ...]:
        """The distinct codes of ``column`` in the incidents and the status decisions, sorted."""
        values: set[str] = set()
        for name in ("incident_cells", "status_cells"):
            table = self.tables[name]
            found = _frame(self._run(table.select(table[column]).distinct()))
            values.update(v for v in found[column] if isinstance(v, str))
        return tuple(sorted(values))

    def months(self) -> tuple[str, str] | None:
        """The first and last month of every record."""
        return self._span(Filters())

    def _span(self, filters: Filters) -> tuple[str, str] | None:
        firsts, lasts = [], []
        for name in ("incidents", "status"):
            cells = self._cells(name, filters)
            found = _frame(
                self._run(cells.aggregate(first=cells.date_start.min(), last=cells.date_end.max()))
            )
            if len(found) and not pd.isna(found["first"].iloc[0]):
                firsts.append(pd.Timestamp(found["first"].iloc[0]))
                lasts.append(pd.Timestamp(found["last"].iloc[0]))
        if not firsts:
            return None
        return min(firsts).strftime("%Y-%m"), max(lasts).strftime("%Y-%m")

    def default_granularity(self, filters: Filters) -> str:
        """The chart period the records ``filters`` keep open on."""
        return aggregate.granularity_of(
            self._precisions("incidents", filters), self._precisions("status", filters)
        )

    # -- one view ---------------------------------------------------------------------------

    def select(self, filters: Filters) -> SqlSelection:
        """How many records ``filters`` keep (and how many of them are illustrative)."""
        counts = []
        for name in ("incidents", "status"):
            cells = self._cells(name, filters)
            found = _frame(
                self._run(
                    cells.aggregate(
                        records=cells.records.sum(), illustrative=cells.records.sum(where=cells.illustrative)
                    )
                )
            )
            counts.append((_int(found["records"].iloc[0]), _int(found["illustrative"].iloc[0])))
        (incidents, ill_incidents), (status, ill_status) = counts
        return SqlSelection(self, filters, incidents, status, ill_incidents + ill_status)

    def _precisions(self, name: str, filters: Filters) -> pd.DataFrame:
        """:func:`~refugee_stats.aggregate.precisions` of the charted records ``filters`` keep: the
        detentions, or the status records counting persons."""
        cells = self._cells(name, filters)
        cells = (
            cells.filter(_.type == "detention") if name == "incidents" else cells.filter(_.unit == "persons")
        )
        found = _frame(
            self._run(
                cells.group_by("date_precision").aggregate(
                    records=cells.records.sum(), people=cells.people.sum()
                )
            )
        )
        return aggregate.in_precision_order(found[["date_precision", "records", "people"]])

    def tally(self, selection: SqlSelection, filters: Filters) -> Tally:
        """The counts of :class:`~refugee_stats.compute.Tally`, each a query over the cells."""
        g = filters.granularity
        fitting = list(dates.fitting(g))
        incidents = self._cells("incidents", filters)
        status = self._cells("status", filters)
        held = incidents.filter(_.type == "detention")
        placed = held.filter(_.date_precision.isin(fitting)).mutate(
            period_start=_.date_start.truncate(UNIT[g])
        )
        detentions = _frame(
            self._run(
                placed.group_by(["period_start", "nationality"]).aggregate(
                    people=placed.people.sum(),
                    refugees=placed.refugees.sum(),
                    unknown=placed.people.sum(where=~placed.known),
                    known=placed.records.sum(where=placed.known),
                )
            )
        )
        detentions = _cells_frame(detentions)
        places = _frame(
            self._run(
                placed.group_by("period_start").aggregate(
                    hosts=placed.host_country.nunique(),
                    host_country=placed.host_country.min(),
                    nationalities=placed.nationality.nunique(),
                    nationality=placed.nationality.min(),
                )
            )
        )
        decided = status.filter(_.unit == "persons", _.date_precision.isin(fitting)).mutate(
            period_start=_.date_start.truncate(UNIT[g])
        )
        decisions = _frame(
            self._run(
                decided.group_by(["period_start", "authority", "decision"])
                .aggregate(people=decided.people.sum())
                .order_by(["period_start", "authority", "decision"])
            )
        )
        types = _frame(
            self._run(
                incidents.group_by(aggregate.TYPE_KEYS).aggregate(
                    records=incidents.records.sum(),
                    people=incidents.people.sum(),
                    refugees=incidents.refugees.sum(),
                )
            )
        )
        statuses = _frame(
            self._run(
                status.group_by(aggregate.STATUS_KEYS).aggregate(
                    records=status.records.sum(), people=status.people.sum()
                )
            )
        )
        by = {
            column: aggregate.most_people_first(
                _frame(self._run(held.group_by(column).aggregate(people=held.people.sum()))), column
            )
            for column in ("host_country", "nationality")
        }
        return Tally(
            detentions=detentions,
            detention_precisions=self._precisions("incidents", filters),
            persons_precisions=self._precisions("status", filters),
            decisions=_decisions_frame(decisions),
            types=aggregate.summary_frame(types, aggregate.TYPE_KEYS),
            statuses=aggregate.summary_frame(statuses, aggregate.STATUS_KEYS),
            by_host=by["host_country"],
            by_nationality=by["nationality"],
            places=aggregate.places_frame(places),
            incidents=self._distinct_incidents(filters),
            sources=self._sources(filters),
            months=self._span(filters),
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

    def _distinct_incidents(self, filters: Filters) -> int:
        """Distinct incidents: each record of an incident with one row is one; the others are counted by id."""
        cells = self._cells("incidents", filters)
        single = _int(
            _frame(self._run(cells.aggregate(n=cells.records.sum(where=~cells.multi))))["n"].iloc[0]
        )
        multi = self.tables["multi_incidents"]
        predicates = filters.predicates(multi, "incidents")
        kept = multi.filter(*predicates) if predicates else multi
        several = _int(_frame(self._run(kept.aggregate(n=kept.incident_id.nunique())))["n"].iloc[0])
        return single + several

    def _sources(self, filters: Filters) -> pd.DataFrame:
        parts = []
        for name in ("incidents", "status"):
            table = self.tables[name]
            predicates = filters.predicates(table, name)
            kept = table.filter(*predicates) if predicates else table
            parts.append(_frame(self._run(kept.group_by("source").aggregate(records=kept.count()))))
        return pd.concat(parts, ignore_index=True)[["source", "records"]]

    def _pipeline(self, filters: Filters) -> aggregate.PipelineInputs:
        linked = self.tables["linked_detentions"]
        predicates = filters.predicates(linked, "incidents")
        kept = linked.filter(*predicates) if predicates else linked
        detained = _frame(
            self._run(kept.select("incident_id", "nationality", "people", "refugees", "unknown"))
        )
        revocations = _frame(self._run(self.tables["revocations"]))
        outcomes = self.tables["outcomes"]
        ordered = _frame(self._run(outcomes.order_by(["date_start", "record"])))
        return aggregate.PipelineInputs(
            detained.astype({"people": "float64", "refugees": "float64", "unknown": "float64"}),
            revocations[["incident_id", "nationality", "people"]],
            ordered[["follows", "nationality", "type", "people", "unhcr_refugees"]],
        )

    # -- records ----------------------------------------------------------------------------

    def records(self, filters: Filters, limit: int | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The incident rows, then the status rows, ``filters`` keep (file order): all, or the first ``limit``."""
        out = []
        left = limit
        for name in ("incidents", "status"):
            table = self.tables[name]
            predicates = filters.predicates(table, name)
            kept = (table.filter(*predicates) if predicates else table).order_by("record")
            if left is not None:
                kept = kept.limit(max(left, 0))
            frame = self.convert(name, _frame(self._run(kept)))
            out.append(frame)
            if left is not None:
                left -= len(frame)
        return out[0], out[1]


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
