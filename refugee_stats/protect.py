"""Small-number protection: the one rule every displayed count passes through.

Following UNHCR practice (counts under 5 are not published as such), public mode
shows every count from 1 to 4 as "<5": in key figures, chart values and hover
labels, tables and downloads. Charts draw such a cell at a nominal height of 5,
hatched, so neither its height nor the figure's data reveals the true value.
:func:`counts` is applied by :func:`refugee_stats.view.build_view` to every frame
it hands out, so no output path can bypass it. Zero stays zero: it reveals nobody.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from refugee_stats import i18n

THRESHOLD = 5
LESS_THAN = f"<{THRESHOLD}"


def is_small(values: pd.Series) -> pd.Series:
    """Whether each count is from 1 to 4 (missing values are not small: they are unknown)."""
    numbers = pd.to_numeric(values, errors="coerce")
    return numbers.between(1, THRESHOLD - 1).fillna(False).astype(bool)


def text(value: object, lang: str = "en", public: bool = False) -> str:
    """One count as shown to people: localised, ``<5`` when public and small, blank when unknown."""
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return ""
    number = int(value)
    if public and 1 <= number < THRESHOLD:
        return LESS_THAN
    return i18n.number(number, lang)


def counts(frame: pd.DataFrame, columns: Iterable[str], *, public: bool, lang: str = "en") -> pd.DataFrame:
    """The frame with, for each count column, ``<col>_text`` (what to show) and ``<col>_small``.

    One row per input row. When ``public``, small counts are replaced by :data:`THRESHOLD`
    in the numeric column itself, so sums, shares and drawn heights never carry them.
    """
    out = frame.copy()
    for column in columns:
        if column not in out:
            continue
        small = is_small(out[column]) if public else pd.Series(False, index=out.index)
        out[f"{column}_small"] = small
        if public:
            out[column] = out[column].mask(small, THRESHOLD)
        # Format each distinct count once: babel is slow per cell on large frames.
        values = out[column]
        shown = {v: text(v, lang) for v in pd.unique(values.dropna())}
        out[f"{column}_text"] = (
            values.map(shown).astype(object).where(values.notna(), "").mask(small, LESS_THAN)
        )
    return out


def footnote(lang: str = "en") -> str:
    """The sentence charts and downloads carry in public mode."""
    return i18n.t("protection_note", lang)
