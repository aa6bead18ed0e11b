"""Pandera schemas for the raw (all-text) input tables, built from the field metadata.

Validation runs on text exactly as the user wrote it (after trimming), so every
failure can quote the bad value. Each check's ``error`` is the message a user sees.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from typing import Any, cast

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow as pa_arrow
import pyarrow.compute as _compute

from refugee_stats import columns, countries, dates
from refugee_stats.fields import TABLE_SPECS, Field, fields
from refugee_stats.ingest.problems import Number, Phrase, phrase

#: ``pyarrow.compute`` makes most of its functions (``utf8_trim``, ``equal``, ...) at import time from
#: Arrow's C++ function registry, so a type checker sees none of them.
pc: Any = _compute

#: The English message of every check -> its phrase: pandera reports a failed check by its message.
CHECK_PHRASES: dict[str, Phrase] = {}


def said(key: str, /, **params: object) -> str:
    """The English message of a check (what pandera reports), remembered with its phrase."""
    message = phrase(key, **params)
    text = message.render()
    CHECK_PHRASES.setdefault(text, message)
    return text


def check_phrase(message: str) -> Phrase | None:
    """The phrase of a check's English message (None for a message no check of this module gives)."""
    return CHECK_PHRASES.get(message)


UNHCR_OVER_PEOPLE = said("problem_unhcr_over_people")
END_BEFORE_START = said("problem_end_before_start")
EARLY_DATE = said("problem_early_date", year=str(dates.FIRST_YEAR))
TRUE_VALUES = frozenset({"true", "yes", "1", "y", "да"})
FALSE_VALUES = frozenset({"false", "no", "0", "n", "нет"})


#: The key of an unknown country's message (validation adds a suggestion: :data:`UNKNOWN_COUNTRY_SUGGESTION`).
UNKNOWN_COUNTRY = "problem_unknown_country"
UNKNOWN_COUNTRY_SUGGESTION = "problem_unknown_country_did_you_mean"


_NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")
_URL = re.compile(r"^https?://[^\s/?#]+\.[^\s]*$", re.IGNORECASE)
#: The message of a ``follows`` or status ``incident_id`` naming no incident of the incidents files.
NO_INCIDENT = said("problem_no_incident")


def _number(value: str) -> float | None:
    """A plain decimal number (ASCII digits, optional sign and fraction), else None."""
    return float(value) if _NUMBER.fullmatch(value) else None


def _is_number(value: str) -> bool:
    return _number(value) is not None


def _is_whole(value: str) -> bool:
    number = _number(value)
    return number is None or number.is_integer()


def _at_least(minimum: int) -> Callable[[str], bool]:
    def check(value: str) -> bool:
        number = _number(value)
        return number is None or number >= minimum

    return check


#: Largest count accepted: far above any group of people, far below int64's limit.
MAX_COUNT = 1_000_000_000


def _not_huge(value: str) -> bool:
    number = _number(value)
    return number is None or number <= MAX_COUNT


def _element(fn: Callable[[str], bool], error: str) -> pa.Check:
    """A check of single values, run once per distinct value of the column (not once per cell)."""

    # per_value passes the column's distinct values: text, in these raw (all-text) tables.
    on_value = cast(Callable[[object], object], fn)

    def check(series: pd.Series) -> pd.Series:
        return pd.Series(columns.per_value(series, on_value, missing=True), index=series.index)

    return pa.Check(check, element_wise=False, error=error)


def _arrow_text(values: Collection[str]) -> pa_arrow.Array:
    """Text values as one Arrow array (no copy when they are Arrow-backed already)."""
    if isinstance(values, pd.Index) and isinstance(values.dtype, pd.StringDtype):
        found = pa_arrow.array(values.array)  # the Arrow data itself (its __arrow_array__), not a copy
        found = found.combine_chunks() if isinstance(found, pa_arrow.ChunkedArray) else found
        return found.cast(pa_arrow.large_string())
    return pa_arrow.array([str(v) for v in values], pa_arrow.large_string())


def _known_ids(incident_ids: Collection[str]) -> Callable[[pd.Series], pd.Series]:
    known = _arrow_text(incident_ids if isinstance(incident_ids, pd.Index) else list(incident_ids))

    def check(series: pd.Series) -> pd.Series:
        found, uniques = columns.factorize(series)
        ok = pc.is_in(_arrow_text(cast(pd.Index, pd.Index(uniques))), value_set=known).to_numpy(
            zero_copy_only=False
        )
        return pd.Series(np.append(ok, True)[found], index=series.index)

    return check


def _checks(field: Field, incident_ids: Collection[str] | None, today: pd.Timestamp | None) -> list[pa.Check]:
    kind = field.kind
    if kind == "date":
        now = today if today is not None else pd.Timestamp.today().normalize()
        return [
            _element(
                lambda v: dates.is_valid(v) or dates.before_first_year(v),
                said("problem_not_a_date"),  # the formats of fields.DATE_FORMATS
            ),
            _element(lambda v: not dates.before_first_year(v), EARLY_DATE),
            _element(lambda v: dates.is_not_future(v, now), said("problem_future_date")),
        ]
    if kind == "country":
        return [
            _element(
                lambda v: countries.to_alpha3(v) is not None,
                said(UNKNOWN_COUNTRY),
            )
        ]
    if kind == "enum":
        return [
            pa.Check.isin(field.values, error=said("problem_unknown_value", values=", ".join(field.values)))
        ]
    if kind in ("count", "count0"):
        minimum = 1 if kind == "count" else 0
        return [
            _element(_is_number, said("problem_not_a_number", minimum=minimum)),
            _element(_is_whole, said("problem_not_whole", minimum=minimum)),
            _element(_at_least(minimum), said("problem_at_least", minimum=minimum)),
            _element(_not_huge, said("problem_too_large_count", maximum=Number(MAX_COUNT))),
        ]
    if kind == "url":
        return [
            _element(
                lambda v: isinstance(v, str) and _URL.match(v) is not None,
                said("problem_not_a_link"),
            )
        ]
    if kind == "flag":
        return [
            _element(
                lambda v: v.casefold() in TRUE_VALUES | FALSE_VALUES,
                said("problem_not_a_flag"),
            )
        ]
    if kind == "ref" and incident_ids is not None:
        return [pa.Check(_known_ids(incident_ids), element_wise=False, error=NO_INCIDENT)]
    return []


def numbers(series: pd.Series) -> np.ndarray:
    """``pd.to_numeric(series, errors="coerce")`` as floats (NaN where not a number), once per distinct value."""
    found, uniques = columns.factorize(series)
    values = pd.to_numeric(pd.Series(np.asarray(uniques, dtype=object), dtype=object), errors="coerce")
    values = np.append(values.to_numpy(dtype=float, na_value=np.nan), np.nan)
    return values[found]


def _unhcr_within_people(frame: pd.DataFrame) -> pd.Series:
    if not {"people", "unhcr_refugees"} <= set(frame.columns):
        return pd.Series(True, index=frame.index)
    people = numbers(frame["people"])
    refugees = numbers(frame["unhcr_refugees"])
    return pd.Series(~(refugees > people), index=frame.index)


def _end_not_before_start(frame: pd.DataFrame) -> pd.Series:
    if not {"date", "end_date"} <= set(frame.columns):
        return pd.Series(True, index=frame.index)

    unknown = np.iinfo(np.int64).min  # no date's bound (as nanoseconds since 1970) is this

    def bound(series: pd.Series, edge: str) -> np.ndarray:
        def one(value: object) -> int:
            period = dates.parse(value)
            return unknown if period is None else getattr(period, edge).value

        return columns.per_value(series, one, dtype=np.int64, missing=unknown)

    first, last = bound(frame["date"], "start_time"), bound(frame["end_date"], "end_time")
    ok = (first == unknown) | (last == unknown) | (last >= first)
    return pd.Series(ok, index=frame.index)


def raw_schema(
    table: str, incident_ids: Collection[str] | None = None, today: pd.Timestamp | None = None
) -> pa.DataFrameSchema:
    """Schema of one raw table.

    ``incident_ids`` enables the status -> incidents reference check; ``today`` fixes the
    date after which dates count as future (default: the current date).
    """
    spec = TABLE_SPECS[table]
    columns = {
        f.name: pa.Column(
            None,
            checks=_checks(f, incident_ids, today),
            nullable=not f.required,
            required=f.required,
            unique=spec.key == (f.name,),
            report_duplicates="exclude_first",
        )
        for f in fields(table)
    }
    checks: list[pa.Check] = []
    unique = list(spec.key) if len(spec.key) > 1 else None
    if table == "incidents":
        checks.append(pa.Check(_unhcr_within_people, error=UNHCR_OVER_PEOPLE))
    if table == "timeline":
        checks.append(pa.Check(_end_not_before_start, error=END_BEFORE_START))
    return pa.DataFrameSchema(
        columns,
        checks=checks,
        unique=unique,
        report_duplicates="exclude_first",
        name=table,
    )
