"""A store folder of Parquet files holding one loaded :class:`~refugee_stats.ingest.dataset.Dataset`,
and the cache of such folders keyed by the content of the data files.

A store folder holds ``incidents.parquet``, ``status.parquet``, ``timeline.parquet`` and
``stocks.parquet`` (the typed tables, :mod:`refugee_stats.store.schema`), ``problems.parquet``
(every problem with its message as a phrase, so it is shown in any language) and
``meta.json`` (the files read, row counts, problem counts, versions). It is written to a
temporary folder beside its place and renamed into place at once: a reader never sees half a
store, and when several processes build the same store the first rename wins and the others
use it.

The cache folder is ``$REFUGEE_STATS_CACHE``, else ``~/.cache/refugee-stats``; a store's name
in it is :func:`content_key` of its files, so changing any byte of a data file, adding or
removing one, the personal-data choice, the loader's code or its libraries' versions gives
another store. Dates in the future are refused as of the day of loading: a store that refused
one is stale from that date on (:func:`is_fresh`).
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from refugee_stats import dates
from refugee_stats.fields import TABLES
from refugee_stats.ingest.dataset import Dataset
from refugee_stats.ingest.files import MemoryFile, scan
from refugee_stats.ingest.problems import Number, Phrase, Problem, problem_table
from refugee_stats.store.schema import from_arrow, to_arrow

#: Where stores are kept unless ``$REFUGEE_STATS_CACHE`` names another folder.
CACHE_ENV = "REFUGEE_STATS_CACHE"

#: Bump when the store's layout changes (the loader's code is part of the key by itself).
STORE_VERSION = 1

META_FILE = "meta.json"
PROBLEMS_FILE = "problems.parquet"
#: Table -> its file in a store folder.
TABLE_FILES = {table: f"{table}.parquet" for table in TABLES}

#: How the store's Parquet files are compressed (fast to write and read, and small).
COMPRESSION = "zstd"

#: Bytes of a data file hashed at a time.
BLOCK_BYTES = 1 << 20

#: The phrase of a date refused as being in the future (a store that holds one goes stale).
FUTURE_DATE = "problem_future_date"

#: Modules and libraries whose changes can change what a load gives: part of every key.
_CODE = ("ingest", "importers", "store", "schema.py", "fields.py", "dates.py", "countries.py", "columns.py")
_LIBRARIES = ("pandas", "pyarrow", "pandera", "pycountry", "babel", "duckdb")


def cache_dir() -> Path:
    """``$REFUGEE_STATS_CACHE`` when set, else ``~/.cache/refugee-stats``."""
    configured = os.environ.get(CACHE_ENV, "").strip()
    return Path(configured).expanduser() if configured else Path.home() / ".cache" / "refugee-stats"


@functools.cache
def code_version() -> str:
    """A digest of the store version, the loader's source files and its libraries' versions."""
    digest = hashlib.sha256(f"store {STORE_VERSION}".encode())
    package = Path(__file__).resolve().parents[1]
    for name in _CODE:
        for path in sorted((package / name).rglob("*.py")) if (package / name).is_dir() else [package / name]:
            _feed(digest, path.relative_to(package).as_posix().encode(), path.read_bytes())
    for library in _LIBRARIES:
        try:
            _feed(digest, library.encode(), metadata.version(library).encode())
        except metadata.PackageNotFoundError:  # pragma: no cover - every one is a dependency
            _feed(digest, library.encode(), b"")
    return digest.hexdigest()


def _feed(digest: hashlib._Hash, *parts: bytes) -> None:
    """Each part with its length first, so no two lists of parts feed the same bytes."""
    for part in parts:
        digest.update(len(part).to_bytes(8, "little"))
        digest.update(part)


def content_key(
    paths: Iterable[str | Path | MemoryFile] | str | Path | MemoryFile, allow_personal: bool
) -> str:
    """The name of the store of ``paths`` (files, folders, uploads, as :func:`~refugee_stats.ingest.dataset.load`
    takes them): a SHA-256 over each data file's name and bytes (read in 1 MiB blocks), what a
    folder holds that is not read (sub-folders, broken links), the personal-data choice and
    :func:`code_version`."""
    if isinstance(paths, (str, Path, MemoryFile)):
        paths = [paths]
    files, skipped = scan(paths)
    digest = hashlib.sha256()
    _feed(digest, code_version().encode(), b"personal" if allow_personal else b"no personal data")
    for found in skipped:
        _feed(digest, b"skipped", found.file.encode(), found.key.encode())
    for path in files:
        _feed(digest, b"file", str(path).encode())
        if isinstance(path, MemoryFile):
            _feed(digest, path.data)
            continue
        try:
            with path.open("rb") as handle:
                while block := handle.read(BLOCK_BYTES):
                    digest.update(block)
            _feed(digest, b"end")
        except OSError as exc:  # missing, a broken link, unreadable: what load reports is the key
            _feed(digest, b"unreadable", str(exc.errno).encode())
    return digest.hexdigest()


def store_folder(
    paths: Iterable[str | Path | MemoryFile] | str | Path | MemoryFile, allow_personal: bool
) -> Path:
    """The store of ``paths`` in the cache folder: ``cache_dir() / content_key(paths, allow_personal)``."""
    return cache_dir() / content_key(paths, allow_personal)


# -- problems -------------------------------------------------------------------------------------

#: Columns of ``problems.parquet``: a problem's place and severity, and its message as a JSON phrase.
PROBLEMS_SCHEMA = pa.schema(
    [
        pa.field("file", pa.string(), nullable=False),
        pa.field("row", pa.int64()),
        pa.field("column", pa.string(), nullable=False),
        pa.field("value", pa.string(), nullable=False),
        pa.field("severity", pa.string(), nullable=False),
        pa.field("phrase", pa.string(), nullable=False),
    ]
)


def _encoded(value: object) -> object:
    if isinstance(value, Phrase):
        return {
            "phrase": value.key,
            "params": {k: _encoded(v) for k, v in value.params.items()},
            "n": value.n,
        }
    if isinstance(value, Number):
        return {"number": _encoded(value.value)}
    if isinstance(value, np.generic):
        return value.item()
    if value is None or isinstance(value, (str, int, float)):
        return value
    raise TypeError(f"a message value of type {type(value).__name__} cannot be stored: {value!r}")


def _decoded(value: object) -> object:
    if isinstance(value, dict):
        if "number" in value:
            return Number(value["number"])
        return Phrase(value["phrase"], {k: _decoded(v) for k, v in value["params"].items()}, value["n"])
    return value


def phrase_json(said: Phrase) -> str:
    """A phrase as JSON text (nested phrases and numbers kept as such)."""
    return json.dumps(_encoded(said), ensure_ascii=False, sort_keys=True)


def phrase_from_json(text: str) -> Phrase:
    """The phrase :func:`phrase_json` wrote."""
    found = _decoded(json.loads(text))
    if not isinstance(found, Phrase):
        raise ValueError(f"not a stored phrase: {text!r}")
    return found


def problem_batch(problems: Sequence[Problem]) -> pa.RecordBatch:
    """Problems as rows of ``problems.parquet``."""
    return pa.record_batch(
        [
            pa.array([p.file for p in problems], pa.string()),
            pa.array([p.row for p in problems], pa.int64()),
            pa.array([p.column for p in problems], pa.string()),
            pa.array([p.value for p in problems], pa.string()),
            pa.array([p.severity for p in problems], pa.string()),
            pa.array([phrase_json(p.phrase) for p in problems], pa.string()),
        ],
        schema=PROBLEMS_SCHEMA,
    )


def problems_from_arrow(data: pa.Table) -> list[Problem]:
    """The problems of rows of ``problems.parquet``, in their order (each distinct message decoded once)."""
    phrases = {text: phrase_from_json(text) for text in set(data["phrase"].to_pylist())}
    return [
        Problem(file, row, column, value, severity, said.key, said.params, said.n)
        for file, row, column, value, severity, said in zip(
            data["file"].to_pylist(),
            data["row"].to_pylist(),
            data["column"].to_pylist(),
            data["value"].to_pylist(),
            data["severity"].to_pylist(),
            (phrases[text] for text in data["phrase"].to_pylist()),
            strict=True,
        )
    ]


def stale_from(problems: Iterable[Problem]) -> datetime.date | None:
    """The first day a store with these problems is stale: the earliest start among the dates it
    refused as being in the future (from that day on they are not). None: never."""
    starts = [
        found[0] for p in problems if p.key == FUTURE_DATE and (found := dates.span(p.value)) is not None
    ]
    return min(starts, default=None)


# -- store folders ------------------------------------------------------------------------------


@dataclass(frozen=True)
class StoreSummary:
    """What a store folder holds, from its ``meta.json``: the files read (as ``source_file`` names
    them), rows per table, problems by severity, the first day it is stale (None: never), and
    the files that were read in chunks (:func:`~refugee_stats.ingest.stream.stream_to_store`)."""

    folder: Path
    files: tuple[str, ...]
    rows: Mapping[str, int]
    errors: int
    warnings: int
    stale_from: datetime.date | None = None
    streamed: tuple[str, ...] = ()

    @property
    def problems(self) -> int:
        return self.errors + self.warnings


def write_meta(
    folder: Path,
    files: Sequence[str],
    rows: Mapping[str, int],
    errors: int,
    warnings: int,
    stale: datetime.date | None,
    streamed: Sequence[str] = (),
) -> None:
    """Write ``meta.json`` (the last file of a store: a folder with it is complete)."""
    meta = {
        "version": STORE_VERSION,
        "code": code_version(),
        "files": list(files),
        "rows": {table: int(rows.get(table, 0)) for table in TABLES},
        "errors": int(errors),
        "warnings": int(warnings),
        "stale_from": stale.isoformat() if stale is not None else None,
        "streamed": list(streamed),
    }
    (folder / META_FILE).write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def read_summary(folder: str | Path) -> StoreSummary:
    """The :class:`StoreSummary` of a store folder (``FileNotFoundError`` when it holds none)."""
    folder = Path(folder)
    meta = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
    stale = meta.get("stale_from")
    return StoreSummary(
        folder=folder,
        files=tuple(meta["files"]),
        rows=dict(meta["rows"]),
        errors=int(meta["errors"]),
        warnings=int(meta["warnings"]),
        stale_from=datetime.date.fromisoformat(stale) if stale else None,
        streamed=tuple(meta.get("streamed", ())),
    )


def is_fresh(folder: str | Path, today: pd.Timestamp | None = None) -> bool:
    """Whether ``folder`` holds a complete store, written by this code, that is not stale on ``today``
    (default: the current date)."""
    folder = Path(folder)
    try:
        meta = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if meta.get("version") != STORE_VERSION or meta.get("code") != code_version():
        return False
    stale = meta.get("stale_from")
    day = (today if today is not None else pd.Timestamp.today()).date()
    return stale is None or day < datetime.date.fromisoformat(stale)


def work_folder(folder: Path) -> Path:
    """A new empty temporary folder beside ``folder`` (same file system: it can be renamed into place)."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".tmp", dir=folder.parent))


def publish(work: Path, folder: Path) -> Path:
    """Rename the finished store ``work`` to ``folder`` at once. When another process has put a store
    there first, that one is kept and ``work`` removed. Returns ``folder``."""
    try:
        os.rename(work, folder)
    except OSError:
        if not (folder / META_FILE).is_file():
            shutil.rmtree(work, ignore_errors=True)
            raise
        shutil.rmtree(work, ignore_errors=True)  # another process's store is there: use it
    return folder


def remove_store(folder: str | Path) -> None:
    """Remove a store folder (a stale one, before building it again): renamed away at once, then deleted."""
    folder = Path(folder)
    if not folder.exists():
        return
    trash = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".old", dir=folder.parent))
    with contextlib.suppress(FileNotFoundError):  # another process removed it first
        os.rename(folder, trash / folder.name)
    shutil.rmtree(trash, ignore_errors=True)


def write_store(dataset: Dataset, folder: str | Path) -> StoreSummary:
    """Write a loaded dataset as a store folder (atomically: see :func:`publish`)."""
    folder = Path(folder)
    work = work_folder(folder)
    try:
        for table, name in TABLE_FILES.items():
            pq.write_table(to_arrow(getattr(dataset, table), table), work / name, compression=COMPRESSION)
        found = dataset.found
        problems = pa.Table.from_batches([problem_batch(found)], PROBLEMS_SCHEMA)
        pq.write_table(problems, work / PROBLEMS_FILE, compression=COMPRESSION)
        severities = dataset.problem_table["severity"]
        write_meta(
            work,
            dataset.files,
            {table: len(getattr(dataset, table)) for table in TABLES},
            int((severities == "error").sum()),
            int((severities == "warning").sum()),
            stale_from(found),
        )
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    publish(work, folder)
    return read_summary(folder)


def read_problems(folder: str | Path) -> list[Problem]:
    """Every problem of a store, by file, then row (as :attr:`Dataset.found` lists them)."""
    return problems_from_arrow(pq.read_table(Path(folder) / PROBLEMS_FILE, schema=PROBLEMS_SCHEMA))


def read_table(folder: str | Path, table: str) -> pd.DataFrame:
    """One typed table of a store, as :func:`~refugee_stats.ingest.dataset.load` gives it."""
    return from_arrow(table, pq.read_table(Path(folder) / TABLE_FILES[table]))


def read_store(folder: str | Path) -> Dataset:
    """The dataset a store folder holds: the same frames and problems as the load it was written from.
    Everything is read into memory: for stores that fit (see :class:`StoreSummary` rows)."""
    folder = Path(folder)
    summary = read_summary(folder)
    frames = {table: read_table(folder, table) for table in TABLES}
    return Dataset(
        incidents=frames["incidents"],
        status=frames["status"],
        timeline=frames["timeline"],
        stocks=frames["stocks"],
        problem_table=problem_table(read_problems(folder)),
        files=summary.files,
    )
