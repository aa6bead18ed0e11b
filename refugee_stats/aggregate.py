"""Aggregations behind the key figures and charts: pure ``DataFrame -> DataFrame`` functions.

Records are placed in a chart period only when their date is at least as precise
as the period: a record dated ``2010`` is counted in the year 2010 but never in a
month. :func:`unplaced` tells how many were left out so charts can say so.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from refugee_stats import dates
from refugee_stats.fields import REMOVAL_TYPES

OTHER = "_other"
TOP_NATIONALITIES = 8


def with_periods(frame: pd.DataFrame, granularity: str) -> pd.DataFrame:
    """The rows whose date fits in one period of ``granularity``, with ``period_start`` added."""
    placed = frame[dates.fits(frame["date_precision"], granularity)]
    return placed.assign(period_start=dates.period_start(placed["date_start"], granularity))


def unplaced(frame: pd.DataFrame, granularity: str) -> pd.DataFrame:
    """One row per date precision too coarse for ``granularity``: ``date_precision``, ``records``, ``people``."""
    coarse = frame[~dates.fits(frame["date_precision"], granularity)]
    out = coarse.groupby("date_precision", observed=True).agg(
        records=("people", "size"), people=("people", "sum")
    )
    return out.reset_index().astype({"date_precision": str})


def detentions(incidents: pd.DataFrame) -> pd.DataFrame:
    """The detention rows of an incidents frame."""
    return incidents[incidents["type"] == "detention"]


def top_nationalities(incidents: pd.DataFrame, n: int = TOP_NATIONALITIES) -> list[str]:
    """The ``n`` nationalities with most people detained, most first (ties by code)."""
    totals = detentions(incidents).groupby("nationality")["people"].sum()
    ordered = sorted(totals.items(), key=lambda item: (-item[1], item[0]))
    return [code for code, _ in ordered[:n]]


def group_nationalities(frame: pd.DataFrame, keep: list[str]) -> pd.DataFrame:
    """The frame with every nationality outside ``keep`` replaced by :data:`OTHER`."""
    return frame.assign(nationality=frame["nationality"].where(frame["nationality"].isin(keep), OTHER))


def detentions_by_period(
    incidents: pd.DataFrame, granularity: str, keep: list[str] | None = None
) -> pd.DataFrame:
    """One row per period and nationality: people detained, of whom known UNHCR refugees and of unknown status.

    Columns: ``period_start``, ``nationality``, ``people``, ``unhcr_refugees``, ``unhcr_unknown``.
    Nationalities outside ``keep`` (default: the top 8) are pooled as :data:`OTHER`.
    """
    keep = top_nationalities(incidents) if keep is None else keep
    rows = group_nationalities(with_periods(detentions(incidents), granularity), keep)
    rows = rows.assign(unhcr_unknown=rows["people"].where(rows["unhcr_refugees"].isna(), 0))
    out = rows.groupby(["period_start", "nationality"], as_index=False).agg(
        people=("people", "sum"),
        unhcr_refugees=("unhcr_refugees", lambda s: int(s.sum(skipna=True))),
        unhcr_unknown=("unhcr_unknown", "sum"),
    )
    return out.astype({"people": "int64", "unhcr_refugees": "int64", "unhcr_unknown": "int64"})


def nationality_shares(
    incidents: pd.DataFrame, granularity: str, keep: list[str] | None = None
) -> pd.DataFrame:
    """One row per period and nationality: ``people`` detained and their ``share`` (%) of that period's total."""
    counts = detentions_by_period(incidents, granularity, keep)[["period_start", "nationality", "people"]]
    totals = counts.groupby("period_start")["people"].transform("sum")
    return counts.assign(share=counts["people"] / totals * 100)


def persons(status: pd.DataFrame) -> pd.DataFrame:
    """Status rows that count persons (not cases): the only ones added up or charted."""
    return status[status["unit"] == "persons"]


def decisions_by_period(status: pd.DataFrame, granularity: str) -> pd.DataFrame:
    """One row per period, authority and decision: ``people`` concerned (persons only, never cases)."""
    rows = with_periods(persons(status), granularity)
    out = rows.groupby(["period_start", "authority", "decision"], as_index=False)["people"].sum()
    return out.astype({"people": "int64"})


@dataclass(frozen=True)
class KeyFigures:
    """Headline numbers for the records in view."""

    people_detained: int
    incidents: int
    unhcr_refugees: int
    unhcr_unknown: int
    revocations: int
    people_removed: int


def key_figures(incidents: pd.DataFrame, status: pd.DataFrame) -> KeyFigures:
    """People detained, distinct incidents, of the detained those known to hold UNHCR status (and
    those of unknown status), people whose status was revoked, and people extradited, deported or
    forcibly returned."""
    held = detentions(incidents)
    return KeyFigures(
        people_detained=int(held["people"].sum()),
        incidents=int(incidents["incident_id"].nunique()),
        unhcr_refugees=int(held["unhcr_refugees"].sum(skipna=True)),
        unhcr_unknown=int(held.loc[held["unhcr_refugees"].isna(), "people"].sum()),
        revocations=int(persons(status).loc[lambda s: s["decision"] == "revoked", "people"].sum()),
        people_removed=int(incidents.loc[incidents["type"].isin(REMOVAL_TYPES), "people"].sum()),
    )


def sources(*frames: pd.DataFrame) -> list[str]:
    """Distinct sources of the records in some frames, most records first."""
    column = (
        pd.concat([f["source"] for f in frames if len(f)], ignore_index=True)
        if any(len(f) for f in frames)
        else pd.Series([], dtype="string")
    )
    counts = column.value_counts()
    return sorted(counts.index, key=lambda s: (-counts[s], s))


def has_illustrative(*frames: pd.DataFrame) -> bool:
    """Whether any record in view is illustrative (made up)."""
    return any(bool(f["illustrative"].any()) for f in frames if len(f))
