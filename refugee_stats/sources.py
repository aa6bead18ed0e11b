"""Where the dashboard's records come from, and which backend answers for them.

- files loaded into memory and answered by pandas (:func:`refugee_stats.ingest.dataset.load`);
- the same files validated once into a Parquet store (a cache keyed by their content) and
  answered by DuckDB, out of core: for data past :data:`DUCKDB_ABOVE_BYTES`, or when
  ``REFUGEE_STATS_BACKEND=duckdb``;
- a PostgreSQL server named by ``REFUGEE_STATS_DATABASE`` (:mod:`refugee_stats.sql.postgres`).

Whatever the source, a :class:`~refugee_stats.ingest.dataset.Dataset` comes out: a database's
has empty frames and its backend (:func:`refugee_stats.compute.backend_for`).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from refugee_stats.ingest.dataset import Dataset, load
from refugee_stats.ingest.files import MemoryFile, data_files
from refugee_stats.ingest.problems import phrase, problem, problem_table
from refugee_stats.ingest.validate import empty_table

#: The environment variable choosing the backend of files: ``duckdb``, ``pandas`` (default: by size).
BACKEND_ENV = "REFUGEE_STATS_BACKEND"
BACKENDS = ("pandas", "duckdb")


def database_url() -> str | None:
    """The PostgreSQL server the dashboard reads, when ``REFUGEE_STATS_DATABASE`` names one."""
    from refugee_stats.sql.postgres import DATABASE_ENV

    return os.environ.get(DATABASE_ENV) or None


def open_database(url: str) -> Dataset:
    """The records on the server at ``url``; when it cannot be read, no records and one problem
    that names the server (without its password) and what went wrong."""
    from refugee_stats.sql import postgres

    try:
        return postgres.load_database(url)
    except Exception as exc:  # the driver's message (host, password, missing table) is what to fix
        said = phrase(
            "problem_database",
            error=str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__,
        )
        return Dataset(
            incidents=empty_table("incidents"),
            status=empty_table("status"),
            timeline=empty_table("timeline"),
            problem_table=problem_table([problem(postgres.redacted(url), said)]),
            files=(postgres.redacted(url),),
        )


class VersionProbe:
    """One connection to a server, asking the number of its last load (a view of the records is
    kept until it changes); shared by every session of a dashboard, one question at a time, and
    made again when the server dropped it."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._lock = threading.Lock()
        self._con: Any = None

    def version(self) -> int | None:
        """The number of the server's last load; None when it cannot be asked (the problems table
        then says why: :func:`open_database`)."""
        from refugee_stats.sql import postgres

        with self._lock:
            for _ in range(2):  # once more on a fresh connection when the old one was dropped
                try:
                    if self._con is None:
                        self._con = postgres.connect(self.url)
                    return postgres.version(self._con)
                except Exception:  # unreachable, restarted, dropped: try a new connection once
                    self._con = None
            return None


#: Data files larger than this, together, are validated into a Parquet store and answered by
#: DuckDB (a CSV of about a million records; pandas would hold several times the file in memory).
DUCKDB_ABOVE_BYTES = 200 * 2**20


def chosen_backend(paths: Sequence[str | Path]) -> str:
    """The backend for data files: ``REFUGEE_STATS_BACKEND`` (``pandas`` or ``duckdb``), else DuckDB
    when the files hold more than :data:`DUCKDB_ABOVE_BYTES` or a folder is a store already."""
    asked = (os.environ.get(BACKEND_ENV) or "").strip().lower()
    if asked in BACKENDS:
        return asked
    if any(is_store(Path(p)) for p in paths):
        return "duckdb"
    size = 0
    for path in data_files([str(p) for p in paths]):
        try:
            size += Path(str(path)).stat().st_size
        except OSError:
            continue
    return "duckdb" if size > DUCKDB_ABOVE_BYTES else "pandas"


def is_store(folder: Path) -> bool:
    """Whether ``folder`` is a store (validated records in Parquet, with their problems and summary)."""
    from refugee_stats.store import cache

    return (
        folder.is_dir() and (folder / cache.META_FILE).is_file() and (folder / "incidents.parquet").is_file()
    )


def open_files(
    paths: Sequence[str | Path], uploads: Sequence[MemoryFile] = (), *, allow_personal: bool = False
) -> Dataset:
    """The records of data files (and uploads), answered by the backend :func:`chosen_backend` picks:
    pandas over the loaded frames, or DuckDB over their store, made once (a cache keyed by the files'
    contents: :mod:`refugee_stats.store.cache`) and read out of core. Uploads are always in memory."""
    if uploads or chosen_backend(paths) == "pandas":
        if len(paths) == 1 and not uploads and is_store(Path(paths[0])):  # a store, read into memory
            from refugee_stats.store.cache import read_store

            return read_store(Path(paths[0]))
        return load([*paths, *uploads], allow_personal_data=allow_personal)
    return open_store(store_of(paths, allow_personal=allow_personal))


def store_of(paths: Sequence[str | Path], *, allow_personal: bool = False) -> Path:
    """The store of data files: a folder that is one already, else the cache's, made when missing or stale."""
    from refugee_stats.ingest.stream import stream_to_store
    from refugee_stats.store import cache

    if len(paths) == 1 and is_store(Path(paths[0])):
        return Path(paths[0])
    folder = cache.store_folder(list(paths), allow_personal)
    if not cache.is_fresh(folder):
        cache.remove_store(folder)
        stream_to_store(list(paths), folder, allow_personal_data=allow_personal)
    return folder


def open_store(folder: Path) -> Dataset:
    """A dataset answered by DuckDB over the store in ``folder``: empty frames, the store's small
    tables (timeline, stocks) and problems, and its backend."""
    from refugee_stats.sql import duck
    from refugee_stats.store import cache

    summary = cache.read_summary(folder)
    small = {  # the small tables, held in memory (empty when a store lacks one)
        name: cache.read_table(folder, name) if (folder / f"{name}.parquet").exists() else empty_table(name)
        for name in ("timeline", "stocks")
    }
    problems = cache.read_problems(folder) if (folder / cache.PROBLEMS_FILE).exists() else []
    return Dataset(
        incidents=empty_table("incidents"),
        status=empty_table("status"),
        timeline=small["timeline"],
        stocks=small["stocks"],
        problem_table=problem_table(problems),
        files=summary.files,
        backend=duck.on_parquet(folder, small["timeline"], memory_limit=DUCKDB_MEMORY),
    )


#: What DuckDB may hold in memory for one dataset (past it, it works through temporary files).
DUCKDB_MEMORY = "3GB"
