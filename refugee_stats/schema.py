"""Pandera schemas for the raw (all-text) input tables, built from the field metadata.

Validation runs on text exactly as the user wrote it (after trimming), so every
failure can quote the bad value. Each check's ``error`` is the message a user sees.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection

import pandas as pd
import pandera.pandas as pa

from refugee_stats import countries, dates
from refugee_stats.fields import DATE_FORMATS, Field, fields

UNHCR_OVER_PEOPLE = "more than people; unhcr_refugees must be between 0 and people"
END_BEFORE_START = "end_date is before date"
TRUE_VALUES = frozenset({"true", "yes", "1", "y", "да"})
FALSE_VALUES = frozenset({"false", "no", "0", "n", "нет"})


_NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")


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


def _element(fn: Callable[[str], bool], error: str) -> pa.Check:
    return pa.Check(fn, element_wise=True, error=error)


def _checks(field: Field, incident_ids: Collection[str] | None, today: pd.Timestamp | None) -> list[pa.Check]:
    kind = field.kind
    if kind == "date":
        return [
            _element(dates.is_valid, f"not a date; expected {DATE_FORMATS}"),
            _element(lambda v: dates.is_not_future(v, today), "date is in the future"),
        ]
    if kind == "country":
        return [
            _element(
                lambda v: countries.to_alpha3(v) is not None,
                "unknown country; expected an ISO 3166 code (KAZ, KZ) or an English or Russian name",
            )
        ]
    if kind == "enum":
        return [
            pa.Check.isin(field.values, error=f"unknown value; expected one of {', '.join(field.values)}")
        ]
    if kind in ("count", "count0"):
        minimum = 1 if kind == "count" else 0
        expected = f"expected a whole number >= {minimum}"
        return [
            _element(_is_number, f"not a number; {expected}"),
            _element(_is_whole, f"not a whole number; {expected}"),
            _element(_at_least(minimum), f"must be at least {minimum}"),
        ]
    if kind == "url":
        return [
            pa.Check.str_matches(
                r"^https?://[^\s/?#]+\.[^\s]*$",
                error="not an http(s) link; expected http://... or https://...",
            )
        ]
    if kind == "flag":
        return [
            _element(
                lambda v: v.casefold() in TRUE_VALUES | FALSE_VALUES,
                "not true or false; expected true, false or blank",
            )
        ]
    if kind == "ref" and incident_ids is not None:
        known = frozenset(incident_ids)
        return [_element(lambda v: v in known, "no incident with this incident_id in incidents.csv")]
    return []


def _unhcr_within_people(frame: pd.DataFrame) -> pd.Series:
    if not {"people", "unhcr_refugees"} <= set(frame.columns):
        return pd.Series(True, index=frame.index)
    people = pd.to_numeric(frame["people"], errors="coerce")
    refugees = pd.to_numeric(frame["unhcr_refugees"], errors="coerce")
    return ~(refugees > people)


def _end_not_before_start(frame: pd.DataFrame) -> pd.Series:
    if not {"date", "end_date"} <= set(frame.columns):
        return pd.Series(True, index=frame.index)

    def ok(start: object, end: object) -> bool:
        first, last = dates.parse(start), dates.parse(end)
        return first is None or last is None or last.end_time >= first.start_time

    return pd.Series(
        [ok(s, e) for s, e in zip(frame["date"], frame["end_date"], strict=True)], index=frame.index
    )


def raw_schema(
    table: str, incident_ids: Collection[str] | None = None, today: pd.Timestamp | None = None
) -> pa.DataFrameSchema:
    """Schema of one raw table.

    ``incident_ids`` enables the status -> incidents reference check; ``today`` fixes the
    date after which dates count as future (default: the current date).
    """
    columns = {
        f.name: pa.Column(
            None,
            checks=_checks(f, incident_ids, today),
            nullable=not f.required,
            required=f.required,
            unique=f.name == "record_id",
            report_duplicates="exclude_first",
        )
        for f in fields(table)
    }
    checks: list[pa.Check] = []
    unique: list[str] | None = None
    if table == "stocks":
        unique = ["date", "host_country", "nationality", "measure"]
    if table == "incidents":
        unique = ["incident_id", "nationality"]
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
