"""Stores of 10 to 100 million validated records, written as Parquet directly (no CSV to validate).

The shapes are those of :mod:`benchmarks.generate` (10 hosts, 60 nationalities with host-specific
weights, every type, decision and authority, 15 years of dates of which some are known only to the
month, quarter or year, about 30 % blank ``unhcr_refugees``, one incident in five spanning two or
three nationalities), but every column is written already typed, as the loader would have made it
(``date_start``, ``date_end``, ``date_precision``, ``source_file``, ``source_row``), chunk by chunk,
so 100 million rows take minutes and little memory. Every record is made up (``illustrative``).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from benchmarks.generate import (
    AUTHORITIES,
    AUTHORITY_WEIGHTS,
    CITIES,
    DAYS,
    DECISION_WEIGHTS,
    DECISIONS,
    FIRST_DAY,
    HOSTS,
    INCIDENT_TYPES,
    NATIONALITIES,
    NOTES,
    PRECISION_WEIGHTS,
    SOURCES,
    TIMELINE,
    TYPE_WEIGHTS,
    _choice,
    _host_nationality_weights,
    _people,
    _pick,
)

#: Bump when the generator changes, so cached stores are made again.
VERSION = 1
#: Rows written per chunk (bounds the generator's memory).
CHUNK = 2_000_000
PRECISIONS = ("day", "month", "quarter", "year")


def _dates(rng: np.random.Generator, n: int) -> tuple[pa.Array, np.ndarray, np.ndarray, np.ndarray]:
    """Date text as written, first day, last day and precision code of ``n`` dates."""
    days = FIRST_DAY + rng.integers(0, DAYS, n).astype("timedelta64[D]")
    precision = _choice(rng, n, tuple(PRECISION_WEIGHTS.values()))
    month = days.astype("datetime64[M]")
    quarter = (month.astype(np.int64) // 3 * 3).astype("datetime64[M]")
    year = days.astype("datetime64[Y]")
    first = np.select(
        [precision == 0, precision == 1, precision == 2],
        [days, month.astype("datetime64[D]"), quarter.astype("datetime64[D]")],
        year.astype("datetime64[D]"),
    )
    last = np.select(
        [precision == 0, precision == 1, precision == 2],
        [days, (month + 1).astype("datetime64[D]") - 1, (quarter + 3).astype("datetime64[D]") - 1],
        (year + 1).astype("datetime64[D]") - 1,
    )
    stamps = pa.array(days.astype("datetime64[s]"))
    text = pc.strftime(stamps, "%Y-%m-%d")
    quarter_number = (month.astype(np.int64) % 12) // 3 + 1
    quarter_text = pc.binary_join_element_wise(
        pc.strftime(stamps, "%Y"), pc.cast(pa.array(quarter_number), pa.string()), "-Q"
    )
    for code, values in (
        (1, pc.strftime(stamps, "%Y-%m")),
        (2, quarter_text),
        (3, pc.strftime(stamps, "%Y")),
    ):
        text = pc.if_else(pa.array(precision == code), values, text)
    return text, first.astype("datetime64[s]"), last.astype("datetime64[s]"), precision


def _ids(prefix: str, numbers: np.ndarray) -> pa.Array:
    text = pc.utf8_lpad(pc.cast(pa.array(numbers), pa.string()), 9, "0")
    return pc.binary_join_element_wise(pa.scalar(prefix), text, "")


def incident_chunks(rows: int, seed: int = 2010) -> Iterator[pa.Table]:
    """``rows`` typed incident rows, in chunks of about :data:`CHUNK` (whole incidents per chunk)."""
    rng = np.random.default_rng(seed)
    weights = _host_nationality_weights(rng)
    done, incident_base = 0, 0
    while done < rows:
        n = min(CHUNK, rows - done)
        sizes = rng.choice([1, 2, 3], size=n, p=[0.8, 0.15, 0.05])
        sizes = sizes[: int(np.searchsorted(np.cumsum(sizes), n)) + 1]
        sizes[-1] -= int(sizes.sum()) - n
        m = len(sizes)
        incident = np.repeat(np.arange(m), sizes)
        position = np.arange(n) - np.repeat(np.cumsum(sizes) - sizes, sizes)
        host_of = rng.choice(len(HOSTS), size=m)
        first_nationality = np.empty(m, dtype=np.int64)
        for h in range(len(HOSTS)):
            where = np.flatnonzero(host_of == h)
            first_nationality[where] = rng.choice(len(NATIONALITIES), size=len(where), p=weights[h])
        nationality = (first_nationality[incident] + position * 7) % len(NATIONALITIES)
        people = _people(rng, n)
        unknown = rng.random(n) < 0.3
        refugees = rng.binomial(people, 0.4)
        text, first, last, precision = _dates(rng, m)
        kind = _choice(rng, m, TYPE_WEIGHTS)[incident]
        source = rng.integers(0, len(SOURCES), m)[incident]
        rows_index = pa.array(incident)
        table = pa.table(
            {
                "incident_id": _ids("I", incident_base + incident + 1),
                "date": text.take(rows_index),
                "host_country": _pick(HOSTS, host_of[incident]),
                "location": _pick(CITIES, rng.integers(0, len(CITIES), n), rng.random(n) < 0.3),
                "type": _pick(INCIDENT_TYPES, kind),
                "nationality": _pick(NATIONALITIES, nationality),
                "people": pa.array(people.astype(np.int64)),
                "unhcr_refugees": pa.array(refugees.astype(np.int64), mask=unknown),
                "follows": pa.nulls(n, pa.string()),
                "source": _pick(SOURCES, source),
                "source_url": pa.nulls(n, pa.string()),
                "illustrative": pa.array(np.ones(n, dtype=bool)),
                "notes": _pick(NOTES, rng.integers(0, len(NOTES), n), rng.random(n) < 0.8),
                "date_start": pa.array(first[incident]),
                "date_end": pa.array(last[incident]),
                "date_precision": _pick(PRECISIONS, precision[incident]),
                "source_file": pa.array(np.full(n, "incidents.csv", dtype=object), pa.string()),
                "source_row": pa.array(np.arange(done + 2, done + n + 2, dtype=np.int64)),
            }
        )
        yield table
        done += n
        incident_base += m


def status_chunks(rows: int, seed: int = 2010) -> Iterator[pa.Table]:
    """``rows`` typed status-decision rows, in chunks of :data:`CHUNK`."""
    rng = np.random.default_rng(seed + 1)
    weights = _host_nationality_weights(np.random.default_rng(seed))
    done = 0
    while done < rows:
        n = min(CHUNK, rows - done)
        host = rng.choice(len(HOSTS), size=n)
        nationality = np.empty(n, dtype=np.int64)
        for h in range(len(HOSTS)):
            where = np.flatnonzero(host == h)
            nationality[where] = rng.choice(len(NATIONALITIES), size=len(where), p=weights[h])
        text, first, last, precision = _dates(rng, n)
        yield pa.table(
            {
                "record_id": _ids("S", np.arange(done + 1, done + n + 1)),
                "date": text,
                "host_country": _pick(HOSTS, host),
                "nationality": _pick(NATIONALITIES, nationality),
                "authority": _pick(AUTHORITIES, _choice(rng, n, AUTHORITY_WEIGHTS)),
                "decision": _pick(DECISIONS, _choice(rng, n, DECISION_WEIGHTS)),
                "people": pa.array(_people(rng, n).astype(np.int64)),
                "unit": _pick(("persons", "cases"), (rng.random(n) < 0.1).astype(np.int64)),
                "incident_id": pa.nulls(n, pa.string()),
                "source": _pick(SOURCES, rng.integers(0, len(SOURCES), n)),
                "source_url": pa.nulls(n, pa.string()),
                "illustrative": pa.array(np.ones(n, dtype=bool)),
                "notes": _pick(NOTES, rng.integers(0, len(NOTES), n), rng.random(n) < 0.8),
                "date_start": pa.array(first),
                "date_end": pa.array(last),
                "date_precision": _pick(PRECISIONS, precision),
                "source_file": pa.array(np.full(n, "status.csv", dtype=object), pa.string()),
                "source_row": pa.array(np.arange(done + 2, done + n + 2, dtype=np.int64)),
            }
        )
        done += n


def _write(chunks: Iterator[pa.Table], path: Path) -> int:
    written, writer = 0, None
    partial = path.with_suffix(".parquet.partial")
    for table in chunks:
        if writer is None:
            writer = pq.ParquetWriter(partial, table.schema, compression="zstd")
        writer.write_table(table, row_group_size=1_000_000)
        written += table.num_rows
    if writer is not None:
        writer.close()
        partial.replace(path)
    return written


def ensure_store(incidents: int, status: int, cache: Path, seed: int = 2010) -> Path:
    """A store folder (as :mod:`refugee_stats.store.cache` writes one) of that many typed incident and
    status records, with the synthetic timeline and no problems, generated unless cached."""
    from refugee_stats.ingest.dataset import load
    from refugee_stats.ingest.validate import empty_table
    from refugee_stats.store import cache as stores
    from refugee_stats.store.schema import to_arrow

    folder = cache / f"store-{incidents}-{status}"
    marker = folder / "generated.json"
    meta = {"version": VERSION, "incidents": incidents, "status": status, "seed": seed}
    if not (marker.exists() and json.loads(marker.read_text()) == meta):
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.iterdir():
            if old.is_file():
                old.unlink()
        _write(incident_chunks(incidents, seed), folder / "incidents.parquet")
        _write(status_chunks(status, seed), folder / "status.parquet")
        marker.write_text(json.dumps(meta))
    if not stores.is_fresh(folder):  # the store's own summary, small tables and (no) problems
        with tempfile.TemporaryDirectory() as tmp:
            import pyarrow.csv as pcsv

            pcsv.write_csv(TIMELINE, Path(tmp) / "timeline.csv")
            timeline = load(Path(tmp) / "timeline.csv").timeline
        pq.write_table(to_arrow(timeline, "timeline"), folder / "timeline.parquet")
        pq.write_table(to_arrow(empty_table("stocks"), "stocks"), folder / "stocks.parquet")
        pq.write_table(
            pa.Table.from_batches([stores.problem_batch([])], stores.PROBLEMS_SCHEMA),
            folder / stores.PROBLEMS_FILE,
        )
        stores.write_meta(
            folder,
            ["incidents.csv", "status.csv"],
            {"incidents": incidents, "status": status, "timeline": len(timeline)},
            0,
            0,
            None,
        )
    return folder
