"""Small-number protection: the one rule every displayed count passes through.

Protection changes what is shown, never what is computed. Every total, share, rate,
takeaway and map value is computed from the true counts; in public mode only the
*displayed* value of a count changes:

* **Primary suppression** (UNHCR practice): a count from 1 to 4 is shown as ``<5``.
* **Secondary suppression**: a count shown beside its total must not be recoverable
  by subtraction (the total minus the visible parts of one breakdown). Each published
  breakdown is audited: from the shown numbers, the bounds a withheld value can take
  (``<5`` is 1 to 4; a value withheld for protection is at least 5) are worked out for
  every withheld value of that breakdown; when one of them is pinned to a single number,
  the next-smallest shown part of the breakdown is withheld too and shown as ``x``, and
  the audit runs again over every breakdown until none pins a value. A total is withheld
  only when the parts alone cannot protect it (all of them are withheld already).

Counts of records (the records a chart cannot place, the decisions counted in cases) follow the
primary rule too (:func:`records_text`): one record can be one group of people.

Zero stays zero: it reveals nobody. Unknown stays unknown: a missing count is blank.
Charts draw withheld cells hatched, at a nominal height (:func:`drawn`), so neither
the figure nor its data reveals them.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import SupportsInt, cast

import numpy as np
import pandas as pd

from refugee_stats import i18n

THRESHOLD = 5
LESS_THAN = f"<{THRESHOLD}"
WITHHELD = "x"

#: Display status of one count.
SHOWN, SMALL, HIDDEN = "shown", "small", "withheld"


@dataclass(frozen=True)
class Breakdown:
    """Counts published together with their total: ``sum(parts) == sum(totals)``.

    Usually one total; several when the total is itself the sum of shown values
    (the "Other" nationalities of a chart against the countries on a map).
    """

    parts: tuple[Hashable, ...]
    totals: tuple[Hashable, ...]


def is_small(values: pd.Series) -> pd.Series:
    """Whether each count is from 1 to 4 (missing values are not small: they are unknown)."""
    numbers = pd.to_numeric(values, errors="coerce")
    return numbers.between(1, THRESHOLD - 1).fillna(False).astype(bool)


def bounds(value: int, status: str) -> tuple[float, float]:
    """What someone reading the page knows of a value: itself when shown, else its range
    (``<5`` is 1 to 4, ``x`` at least 5)."""
    if status == SMALL:
        return 1.0, float(THRESHOLD - 1)
    if status == HIDDEN:
        return float(THRESHOLD), math.inf
    return float(value), float(value)


def pinned(values: Mapping[Hashable, int], status: Mapping[Hashable, str], breakdown: Breakdown) -> list:
    """The withheld values of ``breakdown`` that its shown numbers pin to one number.

    Exact for one breakdown: the equation ``sum(parts) - sum(totals) == 0`` with each value
    in its bounds lets every whole number between the bounds computed here occur.
    """
    terms = [(k, 1) for k in breakdown.parts] + [(k, -1) for k in breakdown.totals]
    # Each term's contribution sign * value, as an interval.
    spans = []
    for key, sign in terms:
        lo, hi = bounds(values[key], status[key])
        spans.append((lo, hi) if sign > 0 else (-hi, -lo))
    lows, highs = _Sum([lo for lo, _ in spans]), _Sum([hi for _, hi in spans])
    out = []
    for (key, _sign), (mine_low, mine_high) in zip(terms, spans, strict=True):
        if status[key] == SHOWN:
            continue
        # sign * value = -(sum of the other terms)
        can_low, can_high = -highs.without(mine_high), -lows.without(mine_low)
        lo, hi = max(mine_low, can_low), min(mine_high, can_high)
        if lo == hi:
            out.append(key)
    return out


class _Sum:
    """A sum of bounds, some of them infinite, from which one term can be taken out again."""

    def __init__(self, terms: list[float]) -> None:
        self.finite = sum(t for t in terms if math.isfinite(t))
        self.up = sum(1 for t in terms if t == math.inf)
        self.down = sum(1 for t in terms if t == -math.inf)

    def without(self, term: float) -> float:
        up = self.up - (term == math.inf)
        down = self.down - (term == -math.inf)
        if up and down:
            return math.nan
        if up:
            return math.inf
        if down:
            return -math.inf
        return self.finite - (term if math.isfinite(term) else 0.0)


def suppress(values: Mapping[Hashable, int], breakdowns: Sequence[Breakdown]) -> dict[Hashable, str]:
    """The display status of every value: :data:`SHOWN`, :data:`SMALL` (``<5``) or :data:`HIDDEN` (``x``).

    ``values`` are true counts (missing ones are left out: unknown is never a breakdown's
    part). Breakdowns whose parts do not add up to their total exactly (records left out
    of a chart, unknown parts) cannot be subtracted and are skipped.
    """
    status = {k: SMALL if 1 <= v < THRESHOLD else SHOWN for k, v in values.items()}
    usable = [
        b
        for b in breakdowns
        if all(k in values for k in (*b.parts, *b.totals))
        and sum(values[k] for k in b.parts) == sum(values[k] for k in b.totals)
    ]
    # Bounded: each round withholds one more value or stops.
    for _ in range(len(values) + 1):
        changed = False
        for breakdown in usable:
            while pinned(values, status, breakdown):
                pick = _next_smallest(values, status, breakdown.parts) or _next_smallest(
                    values, status, breakdown.totals
                )
                if pick is None:
                    break
                status[pick] = HIDDEN
                changed = True
        if not changed:
            break
    return status


def _next_smallest(
    values: Mapping[Hashable, int], status: Mapping[Hashable, str], keys: Iterable[Hashable]
) -> Hashable | None:
    """The smallest shown, non-zero value among ``keys`` (the first of ties)."""
    best = None
    for key in keys:
        if status[key] == SHOWN and values[key] > 0 and (best is None or values[key] < values[best]):
            best = key
    return best


def text(value: object, lang: str = "en", public: bool = False, status: str | None = None) -> str:
    """One count as shown to people: localised; blank when unknown; in public mode ``<5`` when
    small and ``x`` when withheld (``status`` from :func:`suppress`, else the primary rule)."""
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return ""
    number = int(cast(SupportsInt, value))
    if public:
        status = status or (SMALL if 1 <= number < THRESHOLD else SHOWN)
        if status == SMALL:
            return LESS_THAN
        if status == HIDDEN:
            return WITHHELD
    return i18n.number(number, lang)


def records_text(n: int, lang: str = "en", public: bool = False) -> str:
    """A count of records as shown to people: ``3 records``, or in public mode ``<5 records`` from
    1 to 4 (the primary rule of :func:`text`): one record can be one group of people, such as
    one detention, so a small count of records can point at them as a small count of people can."""
    if text(n, lang, public) == LESS_THAN:
        return i18n.t("fewer_than_five_records", lang)
    return i18n.tn("n_records", n, lang)


def mark(frame: pd.DataFrame, column: str, statuses: Iterable[str] | None) -> pd.DataFrame:
    """The frame (one row per input row) with ``<column>_small`` (``<5``) and ``<column>_hidden``
    (``<5`` or ``x``): what protection decides, the same in every language.

    ``statuses`` holds one status per row (from :func:`suppress`); None means not public.
    """
    if statuses is None:
        small = np.zeros(len(frame), dtype=bool)
        hidden = small.copy()
    else:
        status = np.asarray(list(statuses), dtype=object)
        small, hidden = status == SMALL, status != SHOWN
    return frame.assign(**{f"{column}_small": small, f"{column}_hidden": hidden})


def label(frame: pd.DataFrame, column: str, *, lang: str = "en") -> pd.DataFrame:
    """A frame from :func:`mark` with ``<column>_text`` (what to show in ``lang``) before its flags."""
    values = frame[column]
    small, hidden = frame[f"{column}_small"].to_numpy(), frame[f"{column}_hidden"].to_numpy()
    # Format each distinct count once: babel is slow per cell on large frames.
    shown = {v: text(v, lang) for v in pd.unique(values.dropna())}
    texts = values.map(shown).astype(object).where(values.notna(), "")
    texts = texts.mask(small, LESS_THAN).mask(hidden & ~small, WITHHELD)
    out = frame.copy(deep=False)
    out.insert(cast(int, out.columns.get_loc(f"{column}_small")), f"{column}_text", texts)
    return out


def annotate(
    frame: pd.DataFrame, column: str, statuses: Iterable[str] | None, *, lang: str = "en"
) -> pd.DataFrame:
    """The frame (one row per input row) with ``<column>_text`` (what to show), ``<column>_small``
    (``<5``) and ``<column>_hidden`` (``<5`` or ``x``); ``column`` keeps the true count.

    ``statuses`` holds one status per row (from :func:`suppress`); None means not public.
    """
    return label(mark(frame, column, statuses), column, lang=lang)


def counts(frame: pd.DataFrame, columns: Iterable[str], *, public: bool, lang: str = "en") -> pd.DataFrame:
    """:func:`annotate` with the primary rule alone, for frames shown without a total."""
    out = frame
    for column in columns:
        if column not in out:
            continue
        statuses = None
        if public:
            statuses = np.where(is_small(out[column]).to_numpy(), SMALL, SHOWN)
        out = annotate(out, column, statuses, lang=lang)
    return out


def statuses(frame: pd.DataFrame, column: str = "people") -> np.ndarray:
    """How each row's count shows (:data:`SHOWN`, :data:`SMALL` or :data:`HIDDEN`), from the
    ``<column>_small`` / ``<column>_hidden`` flags :func:`mark` set."""
    small = frame[f"{column}_small"].to_numpy(dtype=bool)
    hidden = frame[f"{column}_hidden"].to_numpy(dtype=bool)
    return np.where(small, SMALL, np.where(hidden, HIDDEN, SHOWN))


@dataclass(frozen=True, eq=False)
class Ranked:
    """The rows with most people among those whose count is shown, most first, and whether what
    is shown makes them the largest of all (every other count is shown, or ``<5`` below them)."""

    rows: pd.DataFrame
    complete: bool


def largest(frame: pd.DataFrame, ties: list[str], n: int = 1, column: str = "people") -> Ranked:
    """The ``n`` rows of a :func:`mark`-ed ``frame`` with most ``column`` among those shown and
    above 0 (ties in the order of the ``ties`` columns), most first.

    The one rule for saying what is largest: ``complete`` is False when a withheld count could be
    larger, or a ``<5`` as large (their :func:`bounds`); then nothing may be called "the most",
    as that would tell more of the withheld counts than the page shows (and beside a total could
    pin them). Without public mode every count is shown, so ``complete`` is True.
    """
    status = statuses(frame, column)
    counts = frame[column].to_numpy(dtype=np.float64, na_value=0.0)
    shown = np.flatnonzero((status == SHOWN) & (counts > 0))
    # Most first, then each tie column ascending (np.lexsort: the last key sorts first).
    keys = [pd.factorize(frame[c].iloc[shown], sort=True)[0] for c in reversed(ties)]
    rows = frame.iloc[shown[np.lexsort([*keys, -counts[shown]])[:n]]]
    others = status[status != SHOWN]
    complete = not len(others) or (
        bool((others == SMALL).all()) and len(rows) > 0 and int(rows[column].min()) >= THRESHOLD
    )
    return Ranked(rows, complete)


def drawn(values: pd.Series, hidden: pd.Series, total: float | None) -> pd.Series:
    """Heights to draw: true values, with withheld ones at a nominal height.

    When the breakdown's ``total`` is shown, the withheld parts share what the shown parts
    leave of it equally (so bars still stack to the true total and reveal nothing the total
    and the shown parts do not), but never below :data:`THRESHOLD`; otherwise each is drawn
    at :data:`THRESHOLD`. No drawn value is ever from 1 to 4.
    """
    out = values.astype("float64").copy()
    n = int(hidden.sum())
    if not n:
        return out
    if total is not None:
        rest = float(total) - float(out[~hidden].sum())
        return out.mask(hidden, max(rest / n, float(THRESHOLD)))
    return out.mask(hidden, float(THRESHOLD))


def footnote(lang: str = "en") -> str:
    """The sentence charts and downloads carry in public mode."""
    return i18n.t("protection_note", lang)
