"""Aggregations behind the key figures and charts: pure ``DataFrame -> DataFrame`` functions.

Two kinds. *Counts* group the records a view keeps (``detention_cells``, ``precisions``,
``type_summary``, ``status_summary``, ``detained_by``, ``places``, ``source_counts``,
``pipeline_inputs``): a backend answers them, these over loaded frames, a database backend
(:mod:`refugee_stats.backends.sql`) with SQL. *Rules* turn those small frames into what is
charted (``pool_detentions``, ``unplaced_of``, ``granularity_of``, ``key_figures_of``,
``sources_of``, ``pipeline_flows``): written once, whatever counted.

Records are placed in a chart period only when their date is at least as precise
as the period: a record dated ``2010`` is counted in the year 2010 but never in a
month. :func:`unplaced` tells how many were left out so charts can say so.

Grouping works on integer codes (:mod:`refugee_stats.columns`) and ``numpy.bincount``
rather than on strings: a loaded table's codes are remembered, so a filter change
regroups millions of rows without hashing a string. Results are the same frames, row
for row and type for type, as the plain pandas ``groupby`` they replace.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from pandas.api.extensions import ExtensionArray

from refugee_stats import columns, dates
from refugee_stats.fields import GRANULARITIES, PRECISIONS, REMOVAL_TYPES

OTHER = "_other"
TOP_NATIONALITIES = 8


def _people(frame: pd.DataFrame) -> np.ndarray:
    return frame["people"].to_numpy(dtype=np.float64, na_value=0.0)


def _sums(keys: np.ndarray, size: int, *weights: np.ndarray) -> list[np.ndarray]:
    """Row count and the sum of each weight per key in ``0 .. size - 1`` (sums exact below 2**53)."""
    out = [np.bincount(keys, minlength=size)]
    out += [np.bincount(keys, weights=w, minlength=size) for w in weights]
    return out


def _labels(frame: pd.DataFrame, name: str) -> tuple[np.ndarray, list[str]]:
    """Per row, the index of its value among the sorted distinct values (``-1`` for missing)."""
    found, uniques = columns.codes(frame[name])
    values = [str(v) for v in uniques]
    order = sorted(range(len(values)), key=values.__getitem__)
    rank = np.empty(len(values) + 1, dtype=np.int64)
    rank[order] = np.arange(len(values))
    rank[-1] = -1
    return rank[found], [values[i] for i in order]


def _text(values: list[str], index: np.ndarray) -> ExtensionArray:
    return pd.array(np.asarray(values, dtype=object)[index] if len(index) else [], dtype="string")


def with_periods(frame: pd.DataFrame, granularity: str) -> pd.DataFrame:
    """The rows whose date fits in one period of ``granularity``, with ``period_start`` added."""
    placed = columns.select(frame, dates.fits(frame["date_precision"], granularity).to_numpy())
    return placed.assign(period_start=dates.period_start(placed["date_start"], granularity))


def precisions(frame: pd.DataFrame, rows: np.ndarray | None = None) -> pd.DataFrame:
    """One row per date precision (day, month, quarter, year, in that order) of ``rows`` (default
    all): ``date_precision``, ``records``, ``people``; precisions without a record left out."""
    rows = np.ones(len(frame), dtype=bool) if rows is None else rows
    precision = frame["date_precision"].array
    found = np.asarray(precision.codes)[rows]
    keep = found >= 0
    records, people = _sums(found[keep], len(precision.categories), _people(frame)[rows][keep])
    present = np.flatnonzero(records)
    out = pd.DataFrame(
        {
            "date_precision": [str(precision.categories[i]) for i in present],
            "records": records[present].astype("int64"),
            "people": people[present].astype("int64"),
        }
    )
    return in_precision_order(out)


def in_precision_order(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (one row per ``date_precision``) from the finest precision to the coarsest."""
    rank = frame["date_precision"].map({p: i for i, p in enumerate(PRECISIONS)}).to_numpy()
    ordered = frame.iloc[np.argsort(rank, kind="stable")].reset_index(drop=True)
    return ordered.astype({"date_precision": object, "records": "int64", "people": "int64"})


def unplaced_of(by_precision: pd.DataFrame, granularity: str) -> pd.DataFrame:
    """The rows of :func:`precisions` too coarse for a chart of ``granularity``: the records it leaves out."""
    coarse = ~by_precision["date_precision"].isin(dates.fitting(granularity)).to_numpy()
    return by_precision[coarse].reset_index(drop=True)


def unplaced(frame: pd.DataFrame, granularity: str) -> pd.DataFrame:
    """One row per date precision too coarse for ``granularity``: ``date_precision``, ``records``, ``people``."""
    return unplaced_of(precisions(frame), granularity)


def unplaced_detentions(incidents: pd.DataFrame, granularity: str) -> pd.DataFrame:
    """``unplaced(detentions(incidents), granularity)``, without copying the detention rows."""
    return unplaced_of(precisions(incidents, columns.equals(incidents["type"], "detention")), granularity)


def unplaced_persons(status: pd.DataFrame, granularity: str) -> pd.DataFrame:
    """``unplaced(persons(status), granularity)``, without copying the rows that count persons."""
    return unplaced_of(precisions(status, columns.equals(status["unit"], "persons")), granularity)


def granularity_to_place(unplaced: pd.DataFrame | None) -> str | None:
    """The finest chart period at which some of the :func:`unplaced` records can be drawn
    (the finest precision among them), or None when there are none."""
    if unplaced is None or unplaced.empty:
        return None
    found = set(unplaced["date_precision"])
    return next((g for g in GRANULARITIES if g in found), None)


def default_granularity(
    incidents: pd.DataFrame,
    status: pd.DataFrame,
    incident_rows: np.ndarray | None = None,
    status_rows: np.ndarray | None = None,
) -> str:
    """The chart period a view opens on (:func:`granularity_of`) for the rows in view (``*_rows``,
    default all)."""
    held = columns.equals(incidents["type"], "detention")
    counted = columns.equals(status["unit"], "persons")
    return granularity_of(
        precisions(incidents, held if incident_rows is None else held & incident_rows),
        precisions(status, counted if status_rows is None else counted & status_rows),
    )


def granularity_of(*charted: pd.DataFrame) -> str:
    """The finest of month, quarter and year at which at least half of the people charted can be
    placed (``month`` when nobody is charted), from :func:`precisions` of the rows the charts draw:
    detentions, and status decisions counted in persons (every record counts at least one person).
    Monthly records open on Month, the UK Home Office's quarterly tables on Quarter, UNHCR's yearly
    decisions on Year."""
    people = pd.concat(charted, ignore_index=True) if charted else pd.DataFrame(columns=["date_precision"])
    total = float(people["people"].sum()) if len(people) else 0.0
    for g in GRANULARITIES:
        placed = float(people.loc[people["date_precision"].isin(dates.fitting(g)), "people"].sum())
        if 2 * placed >= total:
            return g
    return GRANULARITIES[-1]


def detentions(incidents: pd.DataFrame) -> pd.DataFrame:
    """The detention rows of an incidents frame."""
    return columns.select(incidents, columns.equals(incidents["type"], "detention"))


def top_nationalities(incidents: pd.DataFrame, n: int = TOP_NATIONALITIES) -> list[str]:
    """The ``n`` nationalities with most people detained, most first (ties by code)."""
    return top_of(detained_by(incidents, "nationality"), n)


def top_of(by_nationality: pd.DataFrame, n: int = TOP_NATIONALITIES) -> list[str]:
    """The first ``n`` nationalities of :func:`detained_by` ``nationality`` (most people first, ties by code)."""
    return [str(code) for code in by_nationality["nationality"].head(n)]


def detained_by(incidents: pd.DataFrame, by: str) -> pd.DataFrame:
    """People detained per value of column ``by`` (``host_country`` or ``nationality``): columns ``by`` and
    ``people``, most people first, ties by value; without copying the detention rows."""
    held = columns.equals(incidents["type"], "detention")
    found, uniques = columns.codes(incidents[by])
    rows = held & (found >= 0)
    count, total = _sums(found[rows], len(uniques), _people(incidents)[rows])
    present = np.flatnonzero(count)
    out = pd.DataFrame(
        {
            by: np.asarray(uniques, dtype=object)[present] if len(present) else [],
            "people": total[present].astype("int64"),
        }
    )
    return most_people_first(out, by)


def most_people_first(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    """``frame`` (``by``, ``people``), most people first, ties by value, ``by`` as text."""
    frame = frame.astype({by: "string", "people": "int64"})
    return frame.sort_values(["people", by], ascending=[False, True], kind="stable").reset_index(drop=True)


def _placed(
    frame: pd.DataFrame, granularity: str, rows: np.ndarray
) -> tuple[np.ndarray, np.ndarray, int, int, int]:
    """Of ``rows``, those a chart of ``granularity`` can place (date known and precise enough):
    the rows, each one's period index counted from the first, the first period (months since
    1970), the months per period, and the number of periods."""
    rows = rows & dates.fits(frame["date_precision"], granularity).to_numpy()
    months, missing = dates.period_numbers(frame["date_start"], granularity)
    rows &= ~missing
    step = dates.MONTHS_PER_PERIOD[granularity]
    months = months[rows]
    first = int(months.min()) if len(months) else 0
    period = (months - first) // step
    return rows, period, first, step, int(period.max()) + 1 if len(period) else 0


def detention_cells(incidents: pd.DataFrame, granularity: str) -> pd.DataFrame:
    """One row per period and nationality of the detentions a chart of ``granularity`` can place:
    ``period_start``, ``nationality``, ``people``, ``refugees`` (of the records stating a UNHCR
    status), ``unknown`` (people of the records stating none) and ``known`` (records stating one)."""
    found, uniques = columns.codes(incidents["nationality"])
    names: list[str | None] = [*(str(v) for v in uniques), None]  # the last: no nationality (pooled as other)
    found = np.where(found >= 0, found, len(names) - 1)
    rows, period, first, step, n_periods = _placed(
        incidents, granularity, columns.equals(incidents["type"], "detention")
    )
    width = len(names)
    key = period * width + found[rows]
    unhcr = incidents["unhcr_refugees"]
    known = unhcr.notna().to_numpy()[rows]
    people = _people(incidents)[rows]
    refugees = unhcr.to_numpy(dtype=np.float64, na_value=0.0)[rows]
    count, total, held, unknown, known_rows = _sums(
        key, n_periods * width, people, refugees, np.where(known, 0.0, people), known.astype(float)
    )
    present = np.flatnonzero(count)
    return pd.DataFrame(
        {
            "period_start": dates.months_to_timestamps(first + (present // width) * step),
            "nationality": np.asarray(names, dtype=object)[present % width] if len(present) else [],
            "people": total[present].astype("int64"),
            "refugees": held[present].astype("int64"),
            "unknown": unknown[present].astype("int64"),
            "known": known_rows[present].astype("int64"),
        }
    )


def pool_detentions(cells: pd.DataFrame, keep: list[str]) -> pd.DataFrame:
    """One row per period and nationality, those outside ``keep`` pooled as :data:`OTHER`, from
    :func:`detention_cells`: ``period_start``, ``nationality``, ``people``, ``unhcr_refugees`` (blank
    when no record of the cell states a status: unknown stays unknown) and ``unhcr_unknown``."""
    kept = set(keep)
    nationality = cells["nationality"].astype(object)
    pooled = cells.assign(nationality=nationality.where(nationality.isin(kept), OTHER))
    sums = pooled.groupby(["period_start", "nationality"], sort=True, as_index=False)[
        ["people", "refugees", "unknown", "known"]
    ].sum()
    refugees = sums["refugees"].to_numpy(dtype=np.float64)
    return pd.DataFrame(
        {
            "period_start": sums["period_start"].to_numpy(dtype="datetime64[s]"),
            "nationality": pd.array(sums["nationality"].to_numpy(dtype=object), dtype="string"),
            "people": sums["people"].to_numpy(dtype=np.int64),
            "unhcr_refugees": pd.array(
                np.where(sums["known"].to_numpy() > 0, refugees, np.nan), dtype="Float64"
            ).astype("Int64"),
            "unhcr_unknown": sums["unknown"].to_numpy(dtype=np.int64),
        }
    )


def detentions_by_period(
    incidents: pd.DataFrame, granularity: str, keep: list[str] | None = None
) -> pd.DataFrame:
    """One row per period and nationality: people detained, of whom known UNHCR refugees and of unknown status.

    Columns: ``period_start``, ``nationality``, ``people``, ``unhcr_refugees`` (blank when no record
    of the cell states a status), ``unhcr_unknown`` (people whose status is not stated).
    Nationalities outside ``keep`` (default: the top 8) are pooled as :data:`OTHER`.
    """
    keep = top_nationalities(incidents) if keep is None else keep
    return pool_detentions(detention_cells(incidents, granularity), keep)


def peak_period(frame: pd.DataFrame) -> pd.Timestamp | None:
    """The period (``period_start``) with most ``people`` in ``frame`` (the earliest of equals), None
    for none: the period a takeaway tells of."""
    if not len(frame):
        return None
    people = frame.groupby("period_start", sort=True)["people"].sum()
    return pd.Timestamp(people.index[int(people.to_numpy().argmax())])


def places(incidents: pd.DataFrame, granularity: str, period: pd.Timestamp | None) -> pd.DataFrame:
    """One row for ``period`` (of ``granularity``), of the detentions placed in it: how many host
    countries and nationalities they concern (``hosts``, ``nationalities``) and the first of each by
    code (``host_country``, ``nationality``: the one when there is one); no row for no period."""
    rows, period_index, first, step, _ = _placed(
        incidents, granularity, columns.equals(incidents["type"], "detention")
    )
    found: dict[str, list[object]] = {name: [] for name in ("period_start", *PLACE_COLUMNS)}
    if period is not None and rows.any():
        target = (
            dates.period_numbers(pd.Series([period], dtype="datetime64[s]"), granularity)[0][0] - first
        ) // step
        at = np.flatnonzero(rows)[period_index == target]
        if len(at):
            found["period_start"].append(period)
            for column, count in (("host_country", "hosts"), ("nationality", "nationalities")):
                codes_, uniques = columns.codes(incidents[column])
                present = np.unique(codes_[at])
                values = sorted(str(uniques[i]) for i in present if i >= 0)
                found[count].append(len(values))
                found[column].append(values[0] if values else None)
    return places_frame(pd.DataFrame(found))


#: What :func:`places` tells of a period, beside its start.
PLACE_COLUMNS = ("hosts", "host_country", "nationalities", "nationality")


def places_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame of :func:`places` in its types and in period order."""
    frame = frame.sort_values("period_start", kind="stable").reset_index(drop=True)
    return pd.DataFrame(
        {
            "period_start": frame["period_start"].to_numpy(dtype="datetime64[s]"),
            "hosts": frame["hosts"].to_numpy(dtype=np.int64),
            "host_country": pd.array(frame["host_country"].to_numpy(dtype=object), dtype="string"),
            "nationalities": frame["nationalities"].to_numpy(dtype=np.int64),
            "nationality": pd.array(frame["nationality"].to_numpy(dtype=object), dtype="string"),
        }
    )


def persons(status: pd.DataFrame) -> pd.DataFrame:
    """Status rows that count persons (not cases): the only ones added up or charted."""
    return columns.select(status, columns.equals(status["unit"], "persons"))


def decisions_by_period(status: pd.DataFrame, granularity: str) -> pd.DataFrame:
    """One row per period, authority and decision: ``people`` concerned (persons only, never cases)."""
    authority, authorities = _labels(status, "authority")
    decision, decisions = _labels(status, "decision")
    rows, period, first, step, n_periods = _placed(
        status,
        granularity,
        columns.equals(status["unit"], "persons") & (authority >= 0) & (decision >= 0),
    )
    width = len(authorities) * len(decisions)
    key = period * width + authority[rows] * len(decisions) + decision[rows]
    count, total = _sums(key, n_periods * width, _people(status)[rows])
    present = np.flatnonzero(count)
    out = pd.DataFrame(
        {
            "period_start": dates.months_to_timestamps(first + (present // width) * step),
            "authority": _text(authorities, (present % width) // max(len(decisions), 1)),
            "decision": _text(decisions, present % max(len(decisions), 1)),
            "people": total[present].astype("int64"),
        }
    )
    return out


@dataclass(frozen=True)
class KeyFigures:
    """Headline numbers for the records in view."""

    people_detained: int
    incidents: int
    #: None when no detained person's status is known.
    unhcr_refugees: int | None
    unhcr_unknown: int
    revocations: int
    people_removed: int
    #: People concerned by status decisions (persons, never cases), placed in a period or not.
    people_decided: int = 0


def distinct(series: pd.Series) -> int:
    """How many distinct values ``series`` holds (missing values not counted)."""
    found, uniques = columns.codes(series)
    seen = np.zeros(len(uniques), dtype=bool)
    seen[found[found >= 0]] = True
    return int(seen.sum())


def type_summary(incidents: pd.DataFrame) -> pd.DataFrame:
    """One row per incident type and whether the records state a UNHCR status (``known``):
    ``records``, ``people`` and ``refugees`` (of the records stating one); none without a record."""
    found, uniques = columns.codes(incidents["type"])
    known = incidents["unhcr_refugees"].notna().to_numpy()
    key = np.where(found >= 0, found, len(uniques)) * 2 + known
    size = (len(uniques) + 1) * 2
    refugees = incidents["unhcr_refugees"].to_numpy(dtype=np.float64, na_value=0.0)
    records, people, held = _sums(key, size, _people(incidents), refugees)
    present = np.flatnonzero(records)
    names = np.asarray([str(v) for v in uniques] + [None], dtype=object)
    return summary_frame(
        pd.DataFrame(
            {
                "type": names[present // 2] if len(present) else [],
                "known": (present % 2).astype(bool),
                "records": records[present],
                "people": people[present],
                "refugees": held[present],
            }
        ),
        TYPE_KEYS,
    )


def status_summary(status: pd.DataFrame) -> pd.DataFrame:
    """One row per unit, decision and date precision of status records: ``records``, ``people``."""
    keys, sizes, names = [], [], []
    for column in STATUS_KEYS:
        found, uniques = columns.codes(
            status[column].astype(object) if column == "date_precision" else status[column]
        )
        values = [str(v) for v in uniques]
        keys.append(np.where(found >= 0, found, len(values)))
        sizes.append(len(values) + 1)
        names.append(np.asarray([*values, None], dtype=object))
    key = np.zeros(len(status), dtype=np.int64)
    for part, size in zip(keys, sizes, strict=True):
        key = key * size + part
    records, people = _sums(key, int(np.prod(sizes)), _people(status))
    present = np.flatnonzero(records)
    out: dict[str, object] = {"records": records[present], "people": people[present]}
    rest = present
    for column, size, values in reversed(list(zip(STATUS_KEYS, sizes, names, strict=True))):
        out[column] = values[rest % size] if len(rest) else []
        rest = rest // size
    return summary_frame(pd.DataFrame(out), STATUS_KEYS)


#: The keys of :func:`type_summary` and :func:`status_summary`; their counts follow them.
TYPE_KEYS = ["type", "known"]
STATUS_KEYS = ["unit", "decision", "date_precision"]


def summary_frame(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """A summary (``keys``, then its counts) in its types and sorted by its keys, whoever counted it."""
    counts = ["records", "people", "refugees"] if keys == TYPE_KEYS else ["records", "people"]
    out = frame.reindex(columns=[*keys, *counts])
    out = out.astype({c: "int64" for c in counts} | {k: (bool if k == "known" else object) for k in keys})
    return out.sort_values(keys, kind="stable").reset_index(drop=True)


def _summed(summary: pd.DataFrame, column: str, **where: object) -> int:
    keep = np.ones(len(summary), dtype=bool)
    for name, value in where.items():
        values = summary[name].to_numpy(dtype=object)
        keep &= np.isin(values, list(value)) if isinstance(value, tuple) else values == value
    return int(summary.loc[keep, column].sum())


def key_figures_of(types: pd.DataFrame, statuses: pd.DataFrame, incidents: int) -> KeyFigures:
    """The key figures from :func:`type_summary`, :func:`status_summary` and the number of distinct
    incidents: of the detained, those known to hold UNHCR status are None when no detention states
    a status (unknown is not zero) and 0 when there is no detention."""
    detained = types[types["type"].to_numpy(dtype=object) == "detention"]
    stated = bool(detained["known"].any())
    return KeyFigures(
        people_detained=_summed(detained, "people"),
        incidents=incidents,
        unhcr_refugees=_summed(detained, "refugees") if stated or not len(detained) else None,
        unhcr_unknown=_summed(detained, "people", known=False),
        revocations=_summed(statuses, "people", unit="persons", decision="revoked"),
        people_removed=_summed(types, "people", type=REMOVAL_TYPES),
        people_decided=_summed(statuses, "people", unit="persons"),
    )


def key_figures(incidents: pd.DataFrame, status: pd.DataFrame) -> KeyFigures:
    """People detained, distinct incidents, of the detained those known to hold UNHCR status (None
    when no detention states a status) and those of unknown status, people whose status was
    revoked, people extradited, deported or forcibly returned, and people decided on."""
    return key_figures_of(type_summary(incidents), status_summary(status), distinct(incidents["incident_id"]))


def source_counts(*frames: pd.DataFrame) -> pd.DataFrame:
    """One row per source of the records of some frames: ``source``, ``records``."""
    counts: dict[str, int] = {}
    for frame in frames:
        if not len(frame):
            continue
        found, uniques = columns.codes(frame["source"])
        tally = np.bincount(found[found >= 0], minlength=len(uniques))
        for i in np.flatnonzero(tally).tolist():
            name = str(uniques[i])
            counts[name] = counts.get(name, 0) + int(tally[i])
    return pd.DataFrame({"source": list(counts), "records": list(counts.values())}, dtype=object)


def sources_of(counts: pd.DataFrame) -> list[str]:
    """The sources of :func:`source_counts` (a source may repeat: its counts add up), most records first."""
    totals = counts.groupby("source", sort=False)["records"].sum()
    return sorted((str(s) for s in totals.index), key=lambda s: (-int(totals[s]), s))


def sources(*frames: pd.DataFrame) -> list[str]:
    """Distinct sources of the records in some frames, most records first."""
    return sources_of(source_counts(*frames))


def has_illustrative(*frames: pd.DataFrame) -> bool:
    """Whether any record in view is illustrative (made up)."""
    return any(bool(f["illustrative"].any()) for f in frames if len(f))


#: The status branches an outcome can follow: refugees by whether their status was revoked, the
#: other detained, and those whose status no record states.
PIPELINE_BRANCHES = ("revoked", "not_revoked", "other_detained", "status_unknown")
#: What happened next, by incident type; ``no_outcome`` is everyone no outcome record names.
PIPELINE_OUTCOMES = ("release", "extradition", "deportation", "forced_return", "no_outcome")
#: The flows of the status pipeline, in order: the people detained by UNHCR status, the refugees
#: among them by whether their status was revoked, then each branch by what happened next.
PIPELINE_FLOWS: tuple[tuple[str, str], ...] = (
    ("detained", "unhcr_refugees"),
    ("detained", "other_detained"),
    ("detained", "status_unknown"),
    ("unhcr_refugees", "revoked"),
    ("unhcr_refugees", "not_revoked"),
    *((branch, outcome) for branch in PIPELINE_BRANCHES for outcome in PIPELINE_OUTCOMES),
)
#: The nodes of the status pipeline, left to right.
PIPELINE_NODES = (
    "detained",
    "unhcr_refugees",
    "other_detained",
    "status_unknown",
    "revoked",
    "not_revoked",
    *PIPELINE_OUTCOMES,
)
#: Where an outcome's people are counted, in order, among the branches of the detention it
#: follows: those it states as UNHCR refugees, the others, and all of them when it does not say.
_REFUGEES_FROM = ("revoked", "not_revoked", "status_unknown")
_OTHERS_FROM = ("other_detained", "status_unknown")
_UNSTATED_FROM = ("status_unknown", "other_detained", "revoked", "not_revoked")


def _take(left: dict[str, int], wanted: int, branches: tuple[str, ...]) -> dict[str, int]:
    """Up to ``wanted`` people from ``branches`` in order, taken out of what ``left`` still holds."""
    taken: dict[str, int] = {}
    for branch in branches:
        n = min(wanted, left[branch])
        if n > 0:
            taken[branch] = n
            left[branch] -= n
            wanted -= n
    return taken


@dataclass(frozen=True, eq=False)
class PipelineInputs:
    """What the status pipeline follows past the detentions' own counts.

    ``detained``: one row per detention in view (``incident_id``, ``nationality``), at least every
    one a revocation or an outcome names: ``people``, ``refugees`` (stated UNHCR refugees),
    ``unknown`` (people of no stated status). ``revocations``: one row per detention a revocation
    (persons) names, whatever its date: ``incident_id``, ``nationality``, ``people``. ``outcomes``:
    one row per release, extradition, deportation or forced return naming a detention in
    ``follows``, whatever its date, in date order (then file order): ``follows``, ``nationality``,
    ``type``, ``people``, ``unhcr_refugees``.
    """

    detained: pd.DataFrame
    revocations: pd.DataFrame
    outcomes: pd.DataFrame


#: The kinds of outcome an incident can record (every pipeline outcome but "no outcome").
OUTCOME_TYPES = tuple(o for o in PIPELINE_OUTCOMES if o != "no_outcome")
PIPELINE_KEY = ["incident_id", "nationality"]


def pipeline_inputs(
    incidents: pd.DataFrame, all_incidents: pd.DataFrame, all_status: pd.DataFrame
) -> PipelineInputs:
    """:class:`PipelineInputs` of the detentions of ``incidents`` (the rows in view), the revocations
    of ``all_status`` and the outcomes of ``all_incidents`` (every record, whatever the filters)."""
    revoking = (
        columns.equals(all_status["unit"], "persons")
        & columns.equals(all_status["decision"], "revoked")
        & all_status["incident_id"].notna().to_numpy()
    )
    revocations = pd.DataFrame(
        {
            "incident_id": all_status["incident_id"].to_numpy(dtype=object)[revoking],
            "nationality": all_status["nationality"].to_numpy(dtype=object)[revoking],
            "people": _people(all_status)[revoking],
        }
    )
    outcome_columns = ["follows", "nationality", "type", "people", "unhcr_refugees"]
    if "follows" in all_incidents:
        linked = all_incidents["follows"].notna().to_numpy() & columns.isin(
            all_incidents["type"], OUTCOME_TYPES
        )
        rows = all_incidents.loc[linked, [*outcome_columns, "date_start"]]
        outcomes = rows.sort_values("date_start", kind="stable")[outcome_columns]
    else:
        outcomes = pd.DataFrame(columns=outcome_columns)
    # Only the detentions a revocation or an outcome names are followed past their own counts.
    named = set(revocations["incident_id"]) | set(outcomes["follows"].astype(object))
    held = columns.equals(incidents["type"], "detention") & columns.isin(incidents["incident_id"], named)
    people = _people(incidents)[held]
    unhcr = incidents["unhcr_refugees"].to_numpy(dtype=np.float64, na_value=np.nan)[held]
    known = ~np.isnan(unhcr)
    detained = pd.DataFrame(
        {
            "incident_id": incidents["incident_id"].to_numpy(dtype=object)[held],
            "nationality": incidents["nationality"].to_numpy(dtype=object)[held],
            "people": people,
            "refugees": np.where(known, unhcr, 0.0),
            "unknown": np.where(known, 0.0, people),
        }
    )
    return PipelineInputs(
        detained.groupby(PIPELINE_KEY, sort=False, as_index=False)[["people", "refugees", "unknown"]].sum(),
        revocations.groupby(PIPELINE_KEY, sort=False, as_index=False)[["people"]].sum(),
        outcomes,
    )


def status_pipeline(
    incidents: pd.DataFrame, all_incidents: pd.DataFrame, all_status: pd.DataFrame
) -> pd.DataFrame:
    """:func:`pipeline_flows` of the detentions of ``incidents`` (the rows in view), followed through
    every revocation of ``all_status`` and every outcome of ``all_incidents``."""
    return pipeline_flows(type_summary(incidents), pipeline_inputs(incidents, all_incidents, all_status))


def pipeline_flows(types: pd.DataFrame, inputs: PipelineInputs) -> pd.DataFrame:
    """One row per flow of :data:`PIPELINE_FLOWS` (``source``, ``target``, ``people``; Int64).

    The detained (the detentions of :func:`type_summary` ``types``, the rows in view) split into
    those who held UNHCR refugee status, the others, and those whose status no record states; the
    refugees into those a revocation stripped of it and the rest; each branch into what happened
    next. The pipeline follows the people detained: a revocation or an outcome (a release,
    extradition, deportation or forced return whose ``follows`` names the detention) counts
    whatever its own date, when it has the detention's nationality, and never for more people
    than the detention's branch still holds. An outcome's ``unhcr_refugees`` are counted against
    the refugees (revoked first), its other people against the others.

    Unknown is not zero: the flows of the refugee and other branches are missing (NA) when no
    detention in view states a status, and the outcome flows when no outcome names one.
    """
    detained = types[types["type"].to_numpy(dtype=object) == "detention"]
    stated = detained["known"].to_numpy(dtype=bool)
    refugee_total = int(detained["refugees"].sum())
    per = inputs.detained.set_index(PIPELINE_KEY)
    revocations = inputs.revocations.groupby(PIPELINE_KEY, sort=False)["people"].sum()
    revoked_each = np.minimum(
        revocations.reindex(per.index, fill_value=0).to_numpy(dtype=np.float64),
        per["refugees"].to_numpy(dtype=np.float64),
    )
    revoked = int(revoked_each.sum())
    branch_total = {
        "revoked": revoked,
        "not_revoked": refugee_total - revoked,
        "other_detained": int(detained.loc[stated, "people"].sum()) - refugee_total,
        "status_unknown": int(detained.loc[~stated, "people"].sum()),
    }
    values: dict[tuple[str, str], int | None] = {
        ("detained", "unhcr_refugees"): refugee_total,
        ("detained", "other_detained"): branch_total["other_detained"],
        ("detained", "status_unknown"): branch_total["status_unknown"],
        ("unhcr_refugees", "revoked"): revoked,
        ("unhcr_refugees", "not_revoked"): branch_total["not_revoked"],
    }
    outcomes = _outcomes(per, revoked_each, inputs.outcomes)
    for branch in PIPELINE_BRANCHES:
        followed = sum(outcomes.get((branch, o), 0) for o in PIPELINE_OUTCOMES)
        outcomes[(branch, "no_outcome")] = branch_total[branch] - followed
    any_outcome = any(n for (_, o), n in outcomes.items() if o != "no_outcome")
    for flow in PIPELINE_FLOWS[5:]:
        values[flow] = outcomes.get(flow, 0) if any_outcome else None
    if not stated.any():  # no detention states a status: refugees and others are unknown, not 0
        for flow in PIPELINE_FLOWS:
            if flow[0] in ("unhcr_refugees", "revoked", "not_revoked", "other_detained") or flow[1] in (
                "unhcr_refugees",
                "other_detained",
            ):
                values[flow] = None
    return pd.DataFrame(
        {
            "source": [s for s, _ in PIPELINE_FLOWS],
            "target": [t for _, t in PIPELINE_FLOWS],
            "people": pd.array([values[f] for f in PIPELINE_FLOWS], dtype="Int64"),
        }
    )


def _outcomes(per: pd.DataFrame, revoked: np.ndarray, rows: pd.DataFrame) -> dict[tuple[str, str], int]:
    """``(branch, outcome) -> people`` for the outcome ``rows`` (in date order) that name a detention
    of ``per`` (indexed by detention and nationality: ``people``, ``refugees``, ``unknown``), each
    detention's branches used up in the order of its outcomes."""
    if not len(per) or not len(rows):
        return {}
    rows = rows.assign(follows=rows["follows"].astype(object), nationality=rows["nationality"].astype(object))
    rows = rows[pd.MultiIndex.from_arrays([rows["follows"], rows["nationality"]]).isin(per.index)]
    out: dict[tuple[str, str], int] = {}
    where = {key: i for i, key in enumerate(per.index)}
    for (follows, nationality), part in rows.groupby(["follows", "nationality"], sort=False):
        i = where[(follows, nationality)]
        refugees, unknown = int(per["refugees"].iloc[i]), int(per["unknown"].iloc[i])
        left = {
            "revoked": int(revoked[i]),
            "not_revoked": refugees - int(revoked[i]),
            "other_detained": int(per["people"].iloc[i]) - refugees - unknown,
            "status_unknown": unknown,
        }
        for outcome, n, stated in zip(part["type"], part["people"], part["unhcr_refugees"], strict=True):
            if pd.isna(stated):
                taken = _take(left, int(n), _UNSTATED_FROM)
            else:
                taken = _take(left, int(stated), _REFUGEES_FROM)
                for branch, m in _take(left, int(n) - int(stated), _OTHERS_FROM).items():
                    taken[branch] = taken.get(branch, 0) + m
            for branch, m in taken.items():
                out[(branch, outcome)] = out.get((branch, outcome), 0) + m
    return out


def pipeline_nodes(flows: pd.DataFrame) -> pd.DataFrame:
    """One row per node of :data:`PIPELINE_NODES` and one for ``removed`` (the extradited, deported
    and forcibly returned together): ``node``, ``people`` (Int64). The detained are what flows
    out of them, every other node what flows in (missing when all of it is)."""
    sums: dict[str, int | None] = {}
    for node in PIPELINE_NODES:
        side = flows["source"] if node == "detained" else flows["target"]
        values = flows.loc[side == node, "people"]
        sums[node] = None if values.isna().all() else int(values.sum())
    removals = [v for v in (sums[n] for n in REMOVAL_TYPES) if v is not None]
    sums["removed"] = sum(removals) if removals else None
    people = pd.Series(list(sums.values()), dtype=pd.Int64Dtype())
    return pd.DataFrame({"node": list(sums), "people": people})


def known(nodes: pd.DataFrame, node: str) -> bool:
    """Whether the pipeline node's count is known (not missing) in a frame of :func:`pipeline_nodes`."""
    return bool(nodes.loc[nodes["node"] == node, "people"].notna().all())
