"""Aggregations behind the key figures and charts: pure ``DataFrame -> DataFrame`` functions.

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
from refugee_stats.fields import GRANULARITIES, REMOVAL_TYPES

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


def unplaced(frame: pd.DataFrame, granularity: str) -> pd.DataFrame:
    """One row per date precision too coarse for ``granularity``: ``date_precision``, ``records``, ``people``."""
    return _unplaced(frame, granularity, np.ones(len(frame), dtype=bool))


def unplaced_detentions(incidents: pd.DataFrame, granularity: str) -> pd.DataFrame:
    """``unplaced(detentions(incidents), granularity)``, without copying the detention rows."""
    return _unplaced(incidents, granularity, columns.equals(incidents["type"], "detention"))


def unplaced_persons(status: pd.DataFrame, granularity: str) -> pd.DataFrame:
    """``unplaced(persons(status), granularity)``, without copying the rows that count persons."""
    return _unplaced(status, granularity, columns.equals(status["unit"], "persons"))


def _unplaced(frame: pd.DataFrame, granularity: str, rows: np.ndarray) -> pd.DataFrame:
    coarse = rows & ~dates.fits(frame["date_precision"], granularity).to_numpy()
    precision = frame["date_precision"].array
    found = np.asarray(precision.codes)[coarse]
    n = len(precision.categories)
    keep = found >= 0
    records, people = _sums(found[keep], n, _people(frame)[coarse][keep])
    present = np.flatnonzero(records)
    out = pd.DataFrame(
        {
            "date_precision": pd.Categorical.from_codes(present, dtype=precision.dtype),
            "records": records[present].astype("int64"),
            "people": people[present].astype("int64"),
        }
    )
    return out.astype({"date_precision": str})


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
    """The chart period a view opens on: the finest of month, quarter and year at which at
    least half of the people charted can be placed (``month`` when nobody is charted).

    The people charted are those of the rows in view (``*_rows``, default all) that the
    charts draw: detentions, and status decisions counted in persons (every record counts
    at least one person). Monthly records open on Month, the UK Home Office's quarterly
    tables on Quarter, UNHCR's yearly decisions on Year.
    """
    placed = dict.fromkeys(GRANULARITIES, 0.0)
    total = 0.0
    charted = (
        (incidents, columns.equals(incidents["type"], "detention"), incident_rows),
        (status, columns.equals(status["unit"], "persons"), status_rows),
    )
    for frame, rows, kept in charted:
        rows = rows if kept is None else rows & kept
        people = _people(frame)[rows]
        total += people.sum()
        for g in GRANULARITIES:
            placed[g] += people[dates.fits(frame["date_precision"], g).to_numpy()[rows]].sum()
    return next((g for g in GRANULARITIES if 2 * placed[g] >= total), GRANULARITIES[-1])


def detentions(incidents: pd.DataFrame) -> pd.DataFrame:
    """The detention rows of an incidents frame."""
    return columns.select(incidents, columns.equals(incidents["type"], "detention"))


def top_nationalities(incidents: pd.DataFrame, n: int = TOP_NATIONALITIES) -> list[str]:
    """The ``n`` nationalities with most people detained, most first (ties by code)."""
    held = columns.equals(incidents["type"], "detention")
    found, uniques = columns.codes(incidents["nationality"])
    rows = held & (found >= 0)
    count, total = _sums(found[rows], len(uniques), _people(incidents)[rows])
    totals = [(str(uniques[i]), int(total[i])) for i in np.flatnonzero(count).tolist()]
    ordered = sorted(totals, key=lambda item: (-item[1], item[0]))
    return [code for code, _ in ordered[:n]]


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
            by: pd.array(np.asarray(uniques, dtype=object)[present] if len(present) else [], dtype="string"),
            "people": total[present].astype("int64"),
        }
    )
    return out.sort_values(["people", by], ascending=[False, True], kind="stable").reset_index(drop=True)


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


def detentions_by_period(
    incidents: pd.DataFrame, granularity: str, keep: list[str] | None = None
) -> pd.DataFrame:
    """One row per period and nationality: people detained, of whom known UNHCR refugees and of unknown status.

    Columns: ``period_start``, ``nationality``, ``people``, ``unhcr_refugees`` (blank when no record
    of the cell states a status), ``unhcr_unknown`` (people whose status is not stated).
    Nationalities outside ``keep`` (default: the top 8) are pooled as :data:`OTHER`.
    """
    keep = top_nationalities(incidents) if keep is None else keep
    found, uniques = columns.codes(incidents["nationality"])
    names = [str(v) for v in uniques]
    groups = sorted({v for v in names if v in set(keep)} | {OTHER})
    position = {name: i for i, name in enumerate(groups)}
    label = np.array([position.get(v, position[OTHER]) for v in names] + [position[OTHER]], dtype=np.int64)
    nationality = label[found]
    rows, period, first, step, n_periods = _placed(
        incidents, granularity, columns.equals(incidents["type"], "detention")
    )
    key = period * len(groups) + nationality[rows]
    unhcr = incidents["unhcr_refugees"]
    known = unhcr.notna().to_numpy()[rows]
    people = _people(incidents)[rows]
    refugees = unhcr.to_numpy(dtype=np.float64, na_value=0.0)[rows]
    count, total, held, unknown, known_rows = _sums(
        key, n_periods * len(groups), people, refugees, np.where(known, 0.0, people), known.astype(float)
    )
    present = np.flatnonzero(count)
    out = pd.DataFrame(
        {
            "period_start": dates.months_to_timestamps(first + (present // len(groups)) * step),
            "nationality": _text(groups, present % len(groups)),
            "people": total[present].astype("int64"),
            # Unknown stays unknown: blank where no record of the cell states a UNHCR status.
            "unhcr_refugees": pd.array(
                np.where(known_rows[present] > 0, held[present], np.nan), dtype="Float64"
            ).astype("Int64"),
            "unhcr_unknown": unknown[present].astype("int64"),
        }
    )
    return out


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


def _distinct(series: pd.Series) -> int:
    found, uniques = columns.codes(series)
    seen = np.zeros(len(uniques), dtype=bool)
    seen[found[found >= 0]] = True
    return int(seen.sum())


def key_figures(incidents: pd.DataFrame, status: pd.DataFrame) -> KeyFigures:
    """People detained, distinct incidents, of the detained those known to hold UNHCR status (None
    when no detention states a status) and those of unknown status, people whose status was
    revoked, people extradited, deported or forcibly returned, and people decided on."""
    held = columns.equals(incidents["type"], "detention")
    people = _people(incidents)
    unhcr = incidents["unhcr_refugees"]
    unknown = unhcr.isna().to_numpy()
    revoked = columns.equals(status["unit"], "persons") & columns.equals(status["decision"], "revoked")
    return KeyFigures(
        people_detained=int(people[held].sum()),
        incidents=_distinct(incidents["incident_id"]),
        unhcr_refugees=int(unhcr.to_numpy(dtype=np.float64, na_value=0.0)[held].sum())
        if (held & ~unknown).any() or not held.any()
        else None,
        unhcr_unknown=int(people[held & unknown].sum()),
        revocations=int(_people(status)[revoked].sum()),
        people_removed=int(people[columns.isin(incidents["type"], REMOVAL_TYPES)].sum()),
        people_decided=int(_people(status)[columns.equals(status["unit"], "persons")].sum()),
    )


def sources(*frames: pd.DataFrame) -> list[str]:
    """Distinct sources of the records in some frames, most records first."""
    counts: dict[str, int] = {}
    for frame in frames:
        if not len(frame):
            continue
        found, uniques = columns.codes(frame["source"])
        tally = np.bincount(found[found >= 0], minlength=len(uniques))
        for i in np.flatnonzero(tally).tolist():
            name = str(uniques[i])
            counts[name] = counts.get(name, 0) + int(tally[i])
    return sorted(counts, key=lambda s: (-counts[s], s))


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


def status_pipeline(
    incidents: pd.DataFrame, all_incidents: pd.DataFrame, all_status: pd.DataFrame
) -> pd.DataFrame:
    """One row per flow of :data:`PIPELINE_FLOWS` (``source``, ``target``, ``people``; Int64).

    The detained (the detention incidents of ``incidents``, the rows in view) split into those
    who held UNHCR refugee status, the others, and those whose status no record states; the
    refugees into those a revocation stripped of it and the rest; each branch into what happened
    next. The pipeline follows the people detained: a revocation (``status.incident_id``) or an
    outcome (a release, extradition, deportation or forced return whose ``follows`` names the
    detention) counts whatever its own date, when it has the detention's nationality, and never
    for more people than the detention's branch still holds. An outcome's ``unhcr_refugees``
    are counted against the refugees (revoked first), its other people against the others.

    Unknown is not zero: the flows of the refugee and other branches are missing (NA) when no
    detention in view states a status, and the outcome flows when no outcome names one.
    """
    held = columns.equals(incidents["type"], "detention")
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
    per = detained.groupby(["incident_id", "nationality"], sort=False)[
        ["people", "refugees", "unknown"]
    ].sum()
    revoking = (
        columns.equals(all_status["unit"], "persons")
        & columns.equals(all_status["decision"], "revoked")
        & all_status["incident_id"].notna().to_numpy()
    )
    revocations = (
        pd.DataFrame(
            {
                "incident_id": all_status["incident_id"].to_numpy(dtype=object)[revoking],
                "nationality": all_status["nationality"].to_numpy(dtype=object)[revoking],
                "people": _people(all_status)[revoking],
            }
        )
        .groupby(["incident_id", "nationality"], sort=False)["people"]
        .sum()
    )
    revoked_each = np.minimum(
        revocations.reindex(per.index, fill_value=0).to_numpy(), per["refugees"].to_numpy()
    )
    refugee_total = int(unhcr[known].sum())
    revoked = int(revoked_each.sum())
    branch_total = {
        "revoked": revoked,
        "not_revoked": refugee_total - revoked,
        "other_detained": int(people[known].sum()) - refugee_total,
        "status_unknown": int(people[~known].sum()),
    }
    values: dict[tuple[str, str], int | None] = {
        ("detained", "unhcr_refugees"): refugee_total,
        ("detained", "other_detained"): branch_total["other_detained"],
        ("detained", "status_unknown"): branch_total["status_unknown"],
        ("unhcr_refugees", "revoked"): revoked,
        ("unhcr_refugees", "not_revoked"): branch_total["not_revoked"],
    }
    outcomes = _outcomes(per, revoked_each, all_incidents)
    for branch in PIPELINE_BRANCHES:
        followed = sum(outcomes.get((branch, o), 0) for o in PIPELINE_OUTCOMES)
        outcomes[(branch, "no_outcome")] = branch_total[branch] - followed
    any_outcome = any(n for (_, o), n in outcomes.items() if o != "no_outcome")
    for flow in PIPELINE_FLOWS[5:]:
        values[flow] = outcomes.get(flow, 0) if any_outcome else None
    if not known.any():  # no detention states a status: refugees and others are unknown, not 0
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


def _outcomes(
    per: pd.DataFrame, revoked: np.ndarray, all_incidents: pd.DataFrame
) -> dict[tuple[str, str], int]:
    """``(branch, outcome) -> people`` for the outcomes that name a detention of ``per`` (one row per
    detention and nationality: ``people``, ``refugees``, ``unknown``), each detention's branches
    used up in the order of its outcomes' dates."""
    if "follows" not in all_incidents or not len(per):
        return {}
    linked = all_incidents["follows"].notna().to_numpy() & columns.isin(
        all_incidents["type"], [o for o in PIPELINE_OUTCOMES if o != "no_outcome"]
    )
    if not linked.any():
        return {}
    rows = all_incidents.loc[
        linked, ["follows", "nationality", "type", "people", "unhcr_refugees", "date_start"]
    ]
    rows = rows.assign(follows=rows["follows"].astype(object), nationality=rows["nationality"].astype(object))
    rows = rows[pd.MultiIndex.from_arrays([rows["follows"], rows["nationality"]]).isin(per.index)]
    out: dict[tuple[str, str], int] = {}
    where = {key: i for i, key in enumerate(per.index)}
    for (follows, nationality), part in rows.sort_values("date_start", kind="stable").groupby(
        ["follows", "nationality"], sort=False
    ):
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
