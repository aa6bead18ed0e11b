"""Seeded synthetic data for the benchmarks: incidents.csv, status.csv and timeline.csv of any size.

Every record is made up (``illustrative=true``, sources say so). Shapes follow the bundled
sample at scale: 10 host countries, 60 nationalities (alpha-3 codes) drawn with host-specific
weights, every incident type, decision and authority, 15 years of daily dates of which some
are known only to the month, quarter or year, and about 30 % blank ``unhcr_refugees``.
Columns are built with numpy and pyarrow and written with pyarrow's CSV writer, so 10 million
rows take seconds, not minutes. A Parquet copy of each file (all columns as text, exactly as
in the CSV) goes to a sibling folder.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv
import pyarrow.parquet as pq

from refugee_stats.fields import AUTHORITIES, DECISIONS, INCIDENT_TYPES

#: Bump when the generator changes, so cached files are made again.
VERSION = 3

HOSTS = ("KAZ", "KGZ", "TJK", "UZB", "TKM", "RUS", "TUR", "UKR", "GEO", "AZE")
NATIONALITIES = (
    "AFG", "UZB", "TJK", "KGZ", "TKM", "KAZ", "RUS", "CHN", "IRN", "PAK",
    "IRQ", "SYR", "AZE", "ARM", "GEO", "UKR", "BLR", "MDA", "TUR", "IND",
    "BGD", "LKA", "NPL", "MMR", "YEM", "SOM", "ERI", "ETH", "SDN", "SSD",
    "COD", "NGA", "CMR", "GIN", "MLI", "LBY", "EGY", "DZA", "MAR", "TUN",
    "PSE", "LBN", "JOR", "KWT", "SAU", "MNG", "PRK", "VNM", "LAO", "KHM",
    "CUB", "VEN", "COL", "HTI", "ALB", "SRB", "BIH", "XKX", "XXA", "PHL",
)  # fmt: skip
FIRST_DAY = np.datetime64("2010-01-01")
DAYS = int((np.datetime64("2025-01-01") - FIRST_DAY).astype(int))  # 15 years
PRECISION_WEIGHTS = {"day": 0.85, "month": 0.09, "quarter": 0.04, "year": 0.02}
TYPE_WEIGHTS = (0.5, 0.2, 0.1, 0.12, 0.08)  # INCIDENT_TYPES order
AUTHORITY_WEIGHTS = (0.3, 0.6, 0.1)
DECISION_WEIGHTS = (0.3, 0.2, 0.05, 0.25, 0.08, 0.12)
CITIES = (
    "Almaty",
    "Astana",
    "Bishkek",
    "Osh",
    "Dushanbe",
    "Khujand",
    "Tashkent",
    "Ashgabat",
    "Moscow",
    "Istanbul",
)
SOURCES = tuple(f"Synthetic benchmark source {i:02d}, not a real report" for i in range(1, 26))
NOTES = tuple(f"Synthetic: note {i}" for i in range(1, 11))
#: Share of rows given one cell error each (a bad date, country or count), as real files have.
BAD_FRACTION = 0.0001


def _choice(rng: np.random.Generator, n: int, weights: tuple[float, ...] | np.ndarray) -> np.ndarray:
    p = np.asarray(weights, dtype=float)
    return rng.choice(len(p), size=n, p=p / p.sum())


def _pick(values: tuple[str, ...], index: np.ndarray, blank: np.ndarray | None = None) -> pa.Array:
    out = pa.array(values, pa.string()).take(pa.array(index))
    if blank is not None:
        out = pc.if_else(pa.array(blank), pa.scalar(None, pa.string()), out)
    return out


def _ids(prefix: str, numbers: np.ndarray) -> pa.Array:
    text = pc.utf8_lpad(pc.cast(pa.array(numbers), pa.string()), 8, "0")
    return pc.binary_join_element_wise(pa.scalar(prefix), text, "")


def _dates(rng: np.random.Generator, n: int) -> pa.Array:
    """Date strings of mixed precision: YYYY-MM-DD, YYYY-MM, YYYY-Qn or YYYY."""
    days = FIRST_DAY + rng.integers(0, DAYS, n).astype("timedelta64[D]")
    stamps = pa.array(days.astype("datetime64[s]"))
    precision = _choice(rng, n, tuple(PRECISION_WEIGHTS.values()))
    month = pc.strftime(stamps, "%Y-%m")
    year = pc.strftime(stamps, "%Y")
    quarter_number = (days.astype("datetime64[M]").astype(int) % 12) // 3 + 1
    quarter = pc.binary_join_element_wise(year, pc.cast(pa.array(quarter_number), pa.string()), "-Q")
    out = pc.strftime(stamps, "%Y-%m-%d")
    for code, values in ((1, month), (2, quarter), (3, year)):
        out = pc.if_else(pa.array(precision == code), values, out)
    return out


def _host_nationality_weights(rng: np.random.Generator) -> np.ndarray:
    """Per host, Zipf-like weights over the 60 nationalities in a host-specific order."""
    out = np.empty((len(HOSTS), len(NATIONALITIES)))
    zipf = 1.0 / np.arange(1, len(NATIONALITIES) + 1) ** 1.1
    for h in range(len(HOSTS)):
        out[h, rng.permutation(len(NATIONALITIES))] = zipf
    return out / out.sum(axis=1, keepdims=True)


def _nationalities(rng: np.random.Generator, hosts: np.ndarray, weights: np.ndarray) -> np.ndarray:
    out = np.empty(len(hosts), dtype=np.int64)
    for h in range(len(HOSTS)):
        rows = np.flatnonzero(hosts == h)
        out[rows] = rng.choice(len(NATIONALITIES), size=len(rows), p=weights[h])
    return out


def _people(rng: np.random.Generator, n: int) -> np.ndarray:
    return np.minimum(rng.geometric(0.15, n), 300)


def _break(rng: np.random.Generator, columns: dict[str, pa.Array], n: int) -> dict[str, pa.Array]:
    """Give a few rows one cell error each: a month 13, an unknown country, a count in words."""
    bad = np.flatnonzero(rng.random(n) < BAD_FRACTION)
    for k, (name, value) in enumerate(
        (("date", "2010-13"), ("host_country", "Atlantis"), ("people", "many"))
    ):
        rows = bad[k::3]
        if len(rows):
            mask = np.zeros(n, dtype=bool)
            mask[rows] = True
            columns[name] = pc.if_else(pa.array(mask), pa.scalar(value), columns[name])
    return columns


def incidents(n: int, seed: int) -> pa.Table:
    """``n`` incident rows; one incident in five spans two or three nationalities (one row each)."""
    rng = np.random.default_rng(seed)
    sizes = rng.choice([1, 2, 3], size=n, p=[0.8, 0.15, 0.05])
    sizes = sizes[: int(np.searchsorted(np.cumsum(sizes), n)) + 1]
    sizes[-1] -= int(sizes.sum()) - n
    incident = np.repeat(np.arange(len(sizes)), sizes)
    position = np.arange(n) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    m = len(sizes)
    host_of_incident = rng.choice(len(HOSTS), size=m)
    host = host_of_incident[incident]
    weights = _host_nationality_weights(rng)
    # One drawn nationality per incident; its other rows take codes 7 and 14 places on, so the
    # nationalities of one incident are distinct.
    nationality = (_nationalities(rng, host_of_incident, weights)[incident] + position * 7) % len(
        NATIONALITIES
    )
    people = _people(rng, n)
    unhcr = rng.binomial(people, 0.4)
    unknown = rng.random(n) < 0.3
    date = _dates(rng, m).take(pa.array(incident))
    kind = _choice(rng, m, TYPE_WEIGHTS)[incident]
    source = rng.integers(0, len(SOURCES), m)[incident]
    columns = {
        "incident_id": _ids("I", incident + 1),
        "date": date,
        "host_country": _pick(HOSTS, host),
        "location": _pick(CITIES, rng.integers(0, len(CITIES), n), rng.random(n) < 0.3),
        "type": _pick(INCIDENT_TYPES, kind),
        "nationality": _pick(NATIONALITIES, nationality),
        "people": pc.cast(pa.array(people), pa.string()),
        "unhcr_refugees": pc.if_else(
            pa.array(unknown), pa.scalar(None, pa.string()), pc.cast(pa.array(unhcr), pa.string())
        ),
        "source": _pick(SOURCES, source),
        "source_url": pc.if_else(
            pa.array(rng.random(m)[incident] < 0.4),
            pa.scalar(None, pa.string()),
            pc.binary_join_element_wise(
                pa.scalar("https://example.org/benchmark/report-"), pc.cast(pa.array(source), pa.string()), ""
            ),
        ),
        "illustrative": pa.array(np.full(n, "true")),
        "notes": _pick(NOTES, rng.integers(0, len(NOTES), n), rng.random(n) < 0.8),
    }
    return pa.table(_break(rng, columns, n))


def status(n: int, seed: int, incident_ids: pa.Array) -> pa.Table:
    """``n`` status-decision rows; one in ten follows from an incident in ``incident_ids``."""
    rng = np.random.default_rng(seed + 1)
    host = rng.choice(len(HOSTS), size=n)
    nationality = _nationalities(rng, host, _host_nationality_weights(np.random.default_rng(seed)))
    unit = rng.choice(3, size=n, p=[0.6, 0.3, 0.1])  # blank (persons), persons, cases
    linked = rng.random(n) < 0.1
    reference = incident_ids.take(pa.array(rng.integers(0, len(incident_ids), n)))
    source = rng.integers(0, len(SOURCES), n)
    columns = {
        "record_id": _ids("S", np.arange(1, n + 1)),
        "date": _dates(rng, n),
        "host_country": _pick(HOSTS, host),
        "nationality": _pick(NATIONALITIES, nationality),
        "authority": _pick(AUTHORITIES, _choice(rng, n, AUTHORITY_WEIGHTS)),
        "decision": _pick(DECISIONS, _choice(rng, n, DECISION_WEIGHTS)),
        "people": pc.cast(pa.array(_people(rng, n)), pa.string()),
        "unit": _pick(("", "persons", "cases"), unit, unit == 0),
        "incident_id": pc.if_else(pa.array(linked), reference, pa.scalar(None, pa.string())),
        "source": _pick(SOURCES, source),
        "source_url": pc.if_else(
            pa.array(rng.random(n) < 0.4),
            pa.scalar(None, pa.string()),
            pc.binary_join_element_wise(
                pa.scalar("https://example.org/benchmark/report-"), pc.cast(pa.array(source), pa.string()), ""
            ),
        ),
        "illustrative": pa.array(np.full(n, "true")),
        "notes": _pick(NOTES, rng.integers(0, len(NOTES), n), rng.random(n) < 0.8),
    }
    return pa.table(_break(rng, columns, n))


TIMELINE = pa.table(
    {
        "date": ["2012", "2015-03-15", "2018-06", "2021-Q2"],
        "end_date": [None, "2015-03-16", "2019-02", None],
        "host_country": ["KAZ", None, "KGZ", "RUS"],
        "label": [
            "Synthetic: procedure changes",
            "Synthetic: regional conference",
            "Synthetic: registration campaign",
            "Synthetic: new detention rules",
        ],
        "label_ru": [None, None, None, None],
        "source": ["Synthetic benchmark source 01, not a real report"] * 4,
    },
    schema=pa.schema(
        [(c, pa.string()) for c in ("date", "end_date", "host_country", "label", "label_ru", "source")]
    ),
)


def _write(table: pa.Table, csv_path: Path, parquet_path: Path) -> None:
    pcsv.write_csv(table, csv_path, write_options=pcsv.WriteOptions(quoting_style="needed"))
    # The Parquet copy holds exactly the CSV's text (blank cells as empty text).
    text = pa.table({name: pc.fill_null(table[name], "") for name in table.column_names})
    pq.write_table(text, parquet_path)


def ensure(rows: int, cache: Path, seed: int = 2010) -> Path:
    """The folder for ``rows`` rows (``csv/`` and ``parquet/`` inside), generated unless cached."""
    folder = cache / f"{rows}"
    marker = folder / "meta.json"
    meta = {"version": VERSION, "rows": rows, "seed": seed, "bad_fraction": BAD_FRACTION}
    if marker.exists() and json.loads(marker.read_text()) == meta:
        return folder
    for sub in ("csv", "parquet"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    inc = incidents(rows, seed)
    ids = pc.unique(inc["incident_id"].combine_chunks())
    _write(inc, folder / "csv" / "incidents.csv", folder / "parquet" / "incidents.parquet")
    del inc
    _write(status(rows, seed, ids), folder / "csv" / "status.csv", folder / "parquet" / "status.parquet")
    _write(TIMELINE, folder / "csv" / "timeline.csv", folder / "parquet" / "timeline.parquet")
    marker.write_text(json.dumps(meta))
    return folder
