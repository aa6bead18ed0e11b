"""Columns handled one distinct value at a time, and the codes of text columns, remembered.

A data file repeats a few values millions of times: ten host countries, five incident
types, a few thousand dates. Every check, conversion and grouping here runs once per
distinct value and is spread back to the rows through integer codes, so no Python code
runs per cell.

:func:`codes` remembers the codes of each Arrow-backed text column it has seen, keyed by
the Arrow array itself. Arrow arrays are immutable, so codes stay true for as long as the
array lives (a weak reference drops them with it); a column that is changed is a new array
and gets new codes. :func:`select` passes the codes on to the rows it keeps, so filtering
a loaded table and then grouping the result never hashes a string again.
"""

from __future__ import annotations

import sys
import threading
import weakref
from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd
import pyarrow as pa
from numpy.typing import DTypeLike

#: Every character ``str.strip()`` removes: stripping with these is exactly ``str.strip()``.
WHITESPACE = "".join(ch for ch in map(chr, range(sys.maxunicode + 1)) if ch.isspace())

_MEMO: dict[int, tuple[weakref.ref, np.ndarray, pd.Index]] = {}
_LOCK = threading.Lock()


def compact(codes: np.ndarray, n: int) -> np.ndarray:
    """``codes`` (``-1`` for missing) in the smallest signed integer type that holds ``n`` values."""
    for kind in (np.int8, np.int16, np.int32):
        if n < np.iinfo(kind).max:
            return codes.astype(kind, copy=False)
    return codes.astype(np.int64, copy=False)


def factorize(values: pd.Series | pd.Index | np.ndarray) -> tuple[np.ndarray, pd.Index]:
    """Integer codes (``-1`` for missing) and the distinct values they index, in order of appearance.

    Categorical values give their own codes and the categories in use (in category order).
    """
    if isinstance(getattr(values, "dtype", None), pd.CategoricalDtype):
        cat = values.array if isinstance(values, pd.Series) else pd.Categorical(values)
        found = np.asarray(cat.codes)
        n = len(cat.categories)
        used = (
            np.bincount(found.astype(np.intp) + 1, minlength=n + 1)[1:] > 0
            if len(found)
            else np.zeros(n, bool)
        )
        if used.all():
            return found, cat.categories
        renumber = compact(np.append(np.where(used, np.cumsum(used) - 1, -1), -1), int(used.sum()))
        return renumber[found], cat.categories[used]
    found, uniques = pd.factorize(values, use_na_sentinel=True)
    return compact(found, len(uniques)), pd.Index(uniques)


def per_value(
    values: pd.Series | pd.Index,
    fn: Callable[[object], object],
    dtype: DTypeLike = bool,
    missing: object = None,
) -> np.ndarray:
    """``fn`` of each row's value, calling ``fn`` once per distinct value; ``missing`` for missing rows."""
    found, uniques = factorize(values)
    results = np.array([fn(v) for v in uniques], dtype=dtype)
    if missing is None and not (found >= 0).all():
        raise ValueError("per_value: missing values need a `missing` result")
    if not len(results):
        return np.full(len(found), missing, dtype=dtype)
    out = results[found]
    if missing is not None:
        out[found < 0] = missing
    return out


def _arrow(series: pd.Series) -> pa.ChunkedArray | None:
    array = series.array
    if isinstance(array, pd.arrays.ArrowStringArray):
        return array.__arrow_array__()
    return None


def _lookup(key: pa.ChunkedArray) -> tuple[np.ndarray, pd.Index] | None:
    hit = _MEMO.get(id(key))
    if hit is not None and hit[0]() is key:
        return hit[1], hit[2]
    return None


def remember(series: pd.Series, found: np.ndarray, uniques: pd.Index) -> None:
    """Keep ``found`` codes (into ``uniques``) for an Arrow-backed text column while its data lives."""
    key = _arrow(series)
    if key is None or len(found) != len(key):
        return
    ident = id(key)

    def forget(ref: weakref.ref, ident: int = ident) -> None:
        with _LOCK:
            if ident in _MEMO and _MEMO[ident][0] is ref:
                del _MEMO[ident]

    with _LOCK:
        _MEMO[ident] = (weakref.ref(key, forget), found, uniques)


def codes(series: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Codes (``-1`` for missing) and distinct values of a column, remembered for Arrow-backed text."""
    key = _arrow(series)
    if key is not None:
        hit = _lookup(key)
        if hit is not None:
            return hit
    found, uniques = factorize(series)
    if key is not None:
        remember(series, found, uniques)
    return found, uniques


def remembered(series: pd.Series) -> bool:
    """Whether the codes of this column are at hand without hashing it."""
    key = _arrow(series)
    return key is not None and _lookup(key) is not None


def isin(series: pd.Series, values: Iterable[object]) -> np.ndarray:
    """``series.isin(values)`` as a boolean array, by codes (missing values are never in)."""
    found, uniques = codes(series)
    wanted = pd.Index(uniques).isin(list(values))
    return np.append(wanted, False)[found]


def equals(series: pd.Series, value: object) -> np.ndarray:
    """``series == value`` as a boolean array, by codes (missing values are never equal)."""
    return isin(series, [value])


def select(frame: pd.DataFrame, mask: np.ndarray | pd.Series) -> pd.DataFrame:
    """``frame[mask]``, with the remembered codes of its text columns passed on to the rows kept."""
    mask = np.asarray(mask, dtype=bool)
    if mask.all():  # every row kept: the same data, no copy (copy-on-write keeps the original safe)
        return frame.copy(deep=False)
    out = frame[mask]
    for name in frame.columns:
        key = _arrow(frame[name])
        hit = _lookup(key) if key is not None else None
        if hit is not None:
            remember(out[name], hit[0][mask], hit[1])
    return out


def snapshot(frame: pd.DataFrame) -> dict[str, tuple[np.ndarray, pd.Index]]:
    """The remembered codes of a frame's text columns, to carry them through pickling."""
    out = {}
    for name in frame.columns:
        key = _arrow(frame[name])
        hit = _lookup(key) if key is not None else None
        if hit is not None:
            out[name] = hit
    return out


def restore(frame: pd.DataFrame, saved: dict[str, tuple[np.ndarray, pd.Index]]) -> None:
    """Remember codes saved by :func:`snapshot` for the same columns of an unpickled frame."""
    for name, (found, uniques) in saved.items():
        if name in frame.columns:
            remember(frame[name], found, uniques)
