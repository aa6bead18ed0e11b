"""Translations: complete for every language, plural forms by CLDR, locale-aware numbers and dates."""

from __future__ import annotations

import string

import numpy as np
import pandas as pd
import pytest
from babel import Locale

from refugee_stats import i18n


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(i18n.MESSAGES))
def test_every_message_is_translated(key):
    message = i18n.MESSAGES[key]
    assert set(message) == set(i18n.LANGUAGES), f"{key} lacks {set(i18n.LANGUAGES) - set(message)}"
    for lang, text in message.items():
        assert text.strip(), f"{key}/{lang} is empty"
        placeholders(text)  # raises on unbalanced braces
    assert message["ru"] != message["en"], f"{key}: the Russian text is a copy of the English"
    assert any("а" <= c <= "я" for c in message["ru"].lower()), f"{key}: the Russian text has no Cyrillic"


@pytest.mark.parametrize("key", sorted(i18n.PLURALS))
def test_every_plural_has_each_cldr_category(key):
    for lang in i18n.LANGUAGES:
        needed = set(Locale.parse(lang).plural_form.tags) | {"other"}
        assert needed <= set(i18n.PLURALS[key][lang]), (
            f"{key}/{lang} lacks {needed - set(i18n.PLURALS[key][lang])}"
        )


@pytest.mark.parametrize(
    ("lang", "n", "expected"),
    [
        ("en", 1, "1 person"),
        ("en", 2, "2 people"),
        ("en", 0, "0 people"),
        ("ru", 1, "1 человек"),
        ("ru", 2, "2 человека"),
        ("ru", 5, "5 человек"),
        ("ru", 11, "11 человек"),
        ("ru", 21, "21 человек"),
        ("ru", 22, "22 человека"),
        ("ru", 1234, "1\u00a0234 человека"),
    ],
)
def test_plural_forms(lang, n, expected):
    assert i18n.tn("n_people", n, lang) == expected


@pytest.mark.parametrize(
    ("lang", "month", "long", "quarter", "number"),
    [
        ("en", "Jun 2010", "June 2010", "Q2 2010", "1,234,567"),
        ("ru", "июнь 2010", "Июнь 2010", "2-й кв. 2010", "1\u00a0234\u00a0567"),
    ],
)
def test_dates_and_numbers_follow_the_locale(lang, month, long, quarter, number):
    june = pd.Timestamp("2010-06-01")
    assert i18n.month_label(june, lang) == month
    assert i18n.period_label(june, "month", lang, long=True) == long
    assert i18n.period_label(june, "quarter", lang) == quarter
    assert i18n.period_label(june, "year", lang) == "2010"
    assert i18n.number(1234567, lang) == number


@pytest.mark.parametrize(
    ("n", "lang", "expected"),
    [
        (0, "en", "0"),
        (999, "en", "999"),
        (1000, "en", "1,000"),
        (-45678, "en", "-45,678"),
        (np.int64(10_000_000), "en", "10,000,000"),
        (1000, "ru", "1\u00a0000"),
        (np.int32(12345), "ru", "12\u00a0345"),
        (2.5, "en", "2.5"),
        (2.5, "ru", "2,5"),
    ],
)
def test_numbers_as_babel_writes_them(n, lang, expected):
    from babel.numbers import format_decimal

    assert i18n.number(n, lang) == expected == format_decimal(n, locale=lang)


@pytest.mark.parametrize(
    ("start", "end", "lang", "expected"),
    [
        ("2009-01-01", "2011-12-31", "en", "2009-2011"),
        ("2010-01-01", "2010-12-31", "ru", "2010"),
        ("2010-06-01", "2010-06-30", "en", "Jun 2010"),
        ("2010-03-01", "2011-02-28", "ru", "март 2010-февр. 2011"),
    ],
)
def test_span_label(start, end, lang, expected):
    assert i18n.span_label(pd.Timestamp(start), pd.Timestamp(end), lang) == expected


def test_unknown_language_falls_back_to_english():
    assert i18n.language("fr") == "en"
    assert i18n.t("filters", "fr") == "Filters"
