"""Checks across the rows of the loaded incidents: what an outcome's ``follows`` links it to."""

from __future__ import annotations

import pandas as pd

from refugee_stats.ingest.problems import Number, Phrase, Problem, phrase, problem


def link_problems(incidents: pd.DataFrame) -> list[Problem]:
    """Warnings for the ``follows`` links the status pipeline cannot use as written: a detention that
    follows something, an outcome whose ``follows`` names no detention of its nationality, and
    outcomes after one detention that add up to more people than it held (the pipeline counts at
    most what it held). The records themselves are kept and counted everywhere else."""
    if "follows" not in incidents or not incidents["follows"].notna().any():
        return []
    is_detention = (incidents["type"] == "detention").to_numpy(dtype=bool)
    held = {
        (str(i), str(n)): int(p)
        for i, n, p in zip(
            incidents.loc[is_detention, "incident_id"],
            incidents.loc[is_detention, "nationality"],
            incidents.loc[is_detention, "people"],
            strict=True,
        )
    }
    linked = incidents[incidents["follows"].notna().to_numpy()].sort_values("date_start", kind="stable")
    counted: dict[tuple[str, str], int] = {}
    out: list[Problem] = []
    for file, row, kind, follows, nationality, people in zip(
        linked["source_file"],
        linked["source_row"],
        linked["type"],
        linked["follows"],
        linked["nationality"],
        linked["people"],
        strict=True,
    ):
        key = (str(follows), str(nationality))
        said: Phrase | None = None
        if kind == "detention":
            said = phrase("problem_follows_on_detention")
        elif key not in held:
            said = phrase("problem_follows_no_detention", nationality=nationality)
        else:
            before = counted.get(key, 0)
            counted[key] = before + int(people)
            if before <= held[key] < counted[key]:
                said = phrase("problem_follows_too_many", total=Number(counted[key]), held=Number(held[key]))
        if said is not None:
            out.append(
                problem(str(file), said, row=int(row), column="follows", value=follows, severity="warning")
            )
    return sorted(out, key=lambda p: (p.file, p.row or 0))
