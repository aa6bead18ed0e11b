"""The same chart data and key figures as ``build_view``, computed by DuckDB: the yardstick.

DuckDB gets the loaded, typed frames (as Arrow tables, its native input, converted once
outside the timing) and answers every aggregation of one view with SQL. :func:`check`
compares its answers with ours, so the comparison is between two ways to the same numbers.
"""

from __future__ import annotations

import duckdb
import pandas as pd
import pyarrow as pa

from refugee_stats.aggregate import OTHER, TOP_NATIONALITIES
from refugee_stats.fields import REMOVAL_TYPES
from refugee_stats.filters import Filters

INCIDENT_COLUMNS = [
    "incident_id", "host_country", "type", "nationality", "people", "unhcr_refugees", "source",
    "illustrative", "date_start", "date_end", "date_precision",
]  # fmt: skip
STATUS_COLUMNS = [
    "host_country", "nationality", "authority", "decision", "people", "unit", "source",
    "illustrative", "date_start", "date_end", "date_precision",
]  # fmt: skip
RANK = "CASE date_precision WHEN 'day' THEN 0 WHEN 'month' THEN 1 WHEN 'quarter' THEN 2 ELSE 3 END"
LIMIT = {"month": 1, "quarter": 2, "year": 3}


def _arrow(frame: pd.DataFrame, columns: list[str]) -> pa.Table:
    part = frame[columns].astype({"date_precision": str})
    return pa.Table.from_pandas(part, preserve_index=False)


def connect(dataset: object) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with ``incidents`` and ``status`` registered (no copy into DuckDB)."""
    con = duckdb.connect()
    con.register("incidents", _arrow(dataset.incidents, INCIDENT_COLUMNS))
    con.register("status", _arrow(dataset.status, STATUS_COLUMNS))
    return con


def _quote(values: tuple[str, ...] | list[str]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


def _where(filters: Filters, incidents: bool) -> str:
    parts = ["TRUE"]
    if filters.start is not None:
        parts.append(f"date_start >= TIMESTAMP '{filters.start:%Y-%m-%d}'")
    if filters.end is not None:
        parts.append(f"date_end <= TIMESTAMP '{filters.end:%Y-%m-%d}'")
    if filters.host_countries:
        parts.append(f"host_country IN ({_quote(filters.host_countries)})")
    if filters.nationalities:
        parts.append(f"nationality IN ({_quote(filters.nationalities)})")
    if not filters.include_illustrative:
        parts.append("NOT illustrative")
    if incidents and filters.types:
        parts.append(f"type IN ({_quote(filters.types)})")
    return " AND ".join(parts)


def view_data(con: duckdb.DuckDBPyConnection, filters: Filters) -> dict:
    """Key figures, chart data, unplaced counts, sources and flags of one view, by SQL."""
    g = filters.granularity
    inc = f"(SELECT * FROM incidents WHERE {_where(filters, True)})"
    st = f"(SELECT * FROM status WHERE {_where(filters, False)})"
    figures = con.execute(
        f"""SELECT
            coalesce(sum(people) FILTER (WHERE type = 'detention'), 0),
            count(DISTINCT incident_id),
            CASE WHEN count(*) FILTER (WHERE type = 'detention') = 0 THEN 0
                 ELSE sum(unhcr_refugees) FILTER (WHERE type = 'detention') END,  -- NULL: unknown
            coalesce(sum(people) FILTER (WHERE type = 'detention' AND unhcr_refugees IS NULL), 0),
            coalesce(sum(people) FILTER (WHERE type IN ({_quote(REMOVAL_TYPES)})), 0)
        FROM {inc}"""
    ).fetchone()
    revocations = con.execute(
        f"SELECT coalesce(sum(people), 0) FROM {st} WHERE unit = 'persons' AND decision = 'revoked'"
    ).fetchone()[0]
    detentions = con.execute(
        f"""WITH det AS (SELECT * FROM {inc} WHERE type = 'detention'),
        top AS (SELECT nationality FROM det GROUP BY nationality
                ORDER BY sum(people) DESC, nationality LIMIT {TOP_NATIONALITIES}),
        grouped AS (
            SELECT date_trunc('{g}', date_start) AS period_start,
                   CASE WHEN nationality IN (SELECT nationality FROM top) THEN nationality ELSE '{OTHER}' END
                       AS nationality,
                   sum(people) AS people,
                   sum(unhcr_refugees) AS unhcr_refugees,  -- NULL when no row states a status
                   coalesce(sum(people) FILTER (WHERE unhcr_refugees IS NULL), 0) AS unhcr_unknown
            FROM det WHERE {RANK} <= {LIMIT[g]} GROUP BY 1, 2)
        SELECT *, people * 100.0 / sum(people) OVER (PARTITION BY period_start) AS share
        FROM grouped ORDER BY 1, 2"""
    ).df()
    decisions = con.execute(
        f"""SELECT date_trunc('{g}', date_start) AS period_start, authority, decision, sum(people) AS people
        FROM {st} WHERE unit = 'persons' AND {RANK} <= {LIMIT[g]} GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"""
    ).df()
    unplaced = con.execute(
        f"""SELECT 'detentions', date_precision, count(*), sum(people) FROM {inc}
            WHERE type = 'detention' AND {RANK} > {LIMIT[g]} GROUP BY 2
        UNION ALL
        SELECT 'decisions', date_precision, count(*), sum(people) FROM {st}
            WHERE unit = 'persons' AND {RANK} > {LIMIT[g]} GROUP BY 2"""
    ).fetchall()
    sources = con.execute(
        f"""SELECT source, count(*) AS n FROM (SELECT source FROM {inc} UNION ALL SELECT source FROM {st})
        GROUP BY 1 ORDER BY n DESC, source"""
    ).fetchall()
    span = con.execute(
        f"""SELECT bool_or(illustrative), min(date_start), max(date_end)
        FROM (SELECT illustrative, date_start, date_end FROM {inc}
              UNION ALL SELECT illustrative, date_start, date_end FROM {st})"""
    ).fetchone()
    return {
        "figures": (*figures[:4], int(revocations), figures[4]),
        "detentions": detentions,
        "decisions": decisions,
        "unplaced": sorted(unplaced),
        "sources": [s for s, _ in sources],
        "illustrative": bool(span[0]),
        "span": span[1:],
    }


def check(view: object, duck: dict) -> list[str]:
    """Differences between a View and DuckDB's answers for the same filters (empty when they agree)."""
    out = []
    f = view.key_figures
    ours = (
        f.people_detained,
        f.incidents,
        f.unhcr_refugees,
        f.unhcr_unknown,
        f.revocations,
        f.people_removed,
    )
    if tuple(-1 if x is None else int(x) for x in ours) != tuple(
        -1 if x is None else int(x) for x in duck["figures"]
    ):
        out.append(f"key figures {ours} != {duck['figures']}")
    mine = view.charts["detentions"]["by_period"].astype({"nationality": str})
    theirs = duck["detentions"]
    cols = ["people", "unhcr_refugees", "unhcr_unknown"]
    if len(mine) != len(theirs) or (
        mine[cols].astype("Int64").fillna(-1).to_numpy().tolist()
        != theirs[cols].astype("Int64").fillna(-1).to_numpy().tolist()
        or mine["nationality"].tolist() != theirs["nationality"].tolist()
        or list(mine["period_start"]) != list(pd.to_datetime(theirs["period_start"]))
    ):
        out.append("detentions by period differ")
    if len(view.charts["nationalities"]["shares"]) != len(theirs) or not all(
        abs(a - b) < 1e-9
        for a, b in zip(view.charts["nationalities"]["shares"]["share"], theirs["share"], strict=False)
    ):
        out.append("nationality shares differ")
    mine = view.charts["decisions"]["by_period"]
    theirs = duck["decisions"]
    if len(mine) != len(theirs) or mine["people"].tolist() != theirs["people"].astype("int64").tolist():
        out.append("decisions by period differ")
    if view.context.sources and list(view.context.sources) != duck["sources"]:
        out.append("sources differ")
    return out
