"""Load files, folders and uploads into a :class:`Dataset`: typed frames plus every problem found."""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from pathlib import Path

import pandas as pd
import pyarrow as pyarrow

from refugee_stats import columns
from refugee_stats.fields import TABLE_SPECS, TABLES
from refugee_stats.i18n import DEFAULT_LANGUAGE
from refugee_stats.ingest.files import MemoryFile, default_data_dir, scan
from refugee_stats.ingest.links import link_problems
from refugee_stats.ingest.problems import (
    Problem,
    phrase,
    problem,
    problem_table,
    problems_frame,
    problems_of,
    sort_problems,
)
from refugee_stats.ingest.read import raw_frames
from refugee_stats.ingest.validate import empty_table, validate


@dataclass(frozen=True)
class Dataset:
    """Everything loaded: one typed frame per table and every problem found.

    ``problem_table`` keeps every problem (by file, then row) with its message as a phrase, so the
    one loaded dataset shows them in any language (:meth:`problems_in`); ``problems`` is their
    frame in English and ``found`` the :class:`~refugee_stats.ingest.problems.Problem` objects."""

    incidents: pd.DataFrame
    status: pd.DataFrame
    timeline: pd.DataFrame
    problem_table: pd.DataFrame = field(default_factory=lambda: problem_table([]))
    stocks: pd.DataFrame = field(default_factory=lambda: empty_table("stocks"))
    files: tuple[str, ...] = field(default=())
    #: The backend answering for records held elsewhere (a database): then ``incidents`` and
    #: ``status`` are empty frames, and every question goes to it (``compute.backend_for``).
    backend: object | None = field(default=None, compare=False, repr=False)

    @functools.cached_property
    def found(self) -> tuple[Problem, ...]:
        """Every problem, by file, then row (whole-file problems first)."""
        return tuple(problems_of(self.problem_table))

    @functools.cached_property
    def problems(self) -> pd.DataFrame:
        """One row per problem, messages in English (see :func:`~refugee_stats.ingest.problems.problems_frame`)."""
        return problems_frame(self.problem_table, DEFAULT_LANGUAGE)

    def problems_in(self, lang: str = DEFAULT_LANGUAGE) -> pd.DataFrame:
        """One row per problem, its message in ``lang`` (see :func:`~refugee_stats.ingest.problems.problems_frame`)."""
        return self.problems if lang == DEFAULT_LANGUAGE else problems_frame(self.problem_table, lang)

    @property
    def errors(self) -> pd.DataFrame:
        """Problems of severity ``error`` (rows or files left out), messages in English."""
        return self.problems[self.problems["severity"] == "error"]

    def __reduce__(self) -> tuple:
        # Pickling (Streamlit's cache does, on every rerun) keeps the codes of the text columns,
        # so an unpickled dataset filters and groups as fast as a freshly loaded one.
        if "incident_id" in self.incidents:
            columns.codes(self.incidents["incident_id"])  # worked out once here, not after every unpickling
        codes = {name: columns.snapshot(getattr(self, name)) for name in _TABLE_FIELDS}
        state = {f.name: getattr(self, f.name) for f in fields(self)}  # not what is cached (problems)
        return (_unpickle_dataset, (state, codes))


_TABLE_FIELDS = ("incidents", "status", "timeline", "stocks")


def _unpickle_dataset(state: dict, codes: dict[str, dict]) -> Dataset:
    dataset = Dataset(**state)
    for name, saved in codes.items():
        columns.restore(getattr(dataset, name), saved)
    return dataset


_KEYS = {name: list(spec.key) for name, spec in TABLE_SPECS.items()}


def load(
    paths: Iterable[str | Path | MemoryFile] | str | Path | MemoryFile | None = None,
    *,
    today: pd.Timestamp | None = None,
    allow_personal_data: bool = False,
) -> Dataset:
    """Load files, folders and in-memory uploads (default: :func:`default_data_dir`) into a :class:`Dataset`.

    Publishers' files (UNHCR, UK Home Office, US ICE, HXL) are recognised from their header
    and imported. Columns that look like personal identifiers refuse their file unless
    ``allow_personal_data``, when they are dropped and never reach any output.
    """
    from refugee_stats import importers

    if paths is None:
        paths = [default_data_dir()]
    elif isinstance(paths, (str, Path, MemoryFile)):
        paths = [paths]
    files, problems = scan(paths)
    raws: dict[str, list[tuple[str, pd.DataFrame]]] = {t: [] for t in TABLES}
    imported: dict[str, list[pd.DataFrame]] = {t: [] for t in TABLES}
    for path in files:
        file = str(path)
        if isinstance(path, Path) and path.is_symlink() and not path.exists():
            problems.append(problem(file, phrase("problem_broken_link", target=os.readlink(path))))
            continue
        if not path.exists():
            problems.append(problem(file, "problem_no_such_file"))
            continue
        if importers.detect(path) is not None:
            frames_of, found = importers.load_publisher(
                path, file, today=today, allow_personal=allow_personal_data
            )
            problems += found
            for table, frame in frames_of.items():
                imported[table].append(frame)
            continue
        for label, table, raw, found in raw_frames(path, file, allow_personal_data):
            problems += found
            if table is not None and raw is not None:
                raws[table].append((label, raw))

    readable_incidents = [raw for _, raw in raws["incidents"] if "incident_id" in raw]
    incident_ids: pd.Index | None = None
    if readable_incidents:
        # Every id as written (repeats are harmless: the check looks values up in a set).
        ids = [pd.Index(r["incident_id"].dropna().array) for r in readable_incidents]
        incident_ids = ids[0] if len(ids) == 1 else ids[0].append(ids[1:])
    elif any("incident_id" in raw and raw["incident_id"].notna().any() for _, raw in raws["status"]):
        for file, _ in raws["status"]:
            problems.append(
                problem(
                    file,
                    "problem_ids_not_checked",
                    column="incident_id",
                    severity="warning",
                )
            )

    frames: dict[str, pd.DataFrame] = {}
    for table in TABLES:
        parts = []
        for file, raw in raws[table]:
            valid, found = validate(
                table,
                raw,
                file,
                incident_ids=incident_ids if table in ("status", "incidents") else None,
                today=today,
            )
            problems += found
            parts.append(valid)
        parts += imported[table]
        if len(parts) == 1:
            combined = parts[0]  # keeps the codes remembered for its text columns
        else:
            combined = pd.concat(parts, ignore_index=True) if parts else empty_table(table)
        if len(parts) > 1 and _KEYS[table]:
            duplicated = combined.duplicated(_KEYS[table], keep="first")
            repeated, key = combined[duplicated], _KEYS[table][0]
            for file, row, value in zip(
                repeated["source_file"].tolist(), repeated["source_row"].tolist(), repeated[key], strict=True
            ):
                problems.append(
                    problem(str(file), "problem_duplicate_across_files", row=row, column=key, value=value)
                )
            combined = combined[~duplicated].reset_index(drop=True)
        frames[table] = combined
    problems += link_problems(frames["incidents"])
    return Dataset(
        incidents=frames["incidents"],
        status=frames["status"],
        timeline=frames["timeline"],
        stocks=frames["stocks"],
        problem_table=problem_table(sort_problems(problems)),
        files=tuple(str(p) for p in files),
    )
