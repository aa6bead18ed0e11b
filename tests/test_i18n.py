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
def test_every_plural_has_the_catalogs_forms(key):
    for lang in i18n.LANGUAGES:
        assert len(i18n.PLURALS[key][lang]) == i18n.CATALOGS[lang].num_plurals, f"{key}/{lang}"


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
        ("kk", 1, "1 адам"),
        ("kk", 5, "5 адам"),
        ("kk", 1234, "1\u00a0234 адам"),
    ],
)
def test_plural_forms(lang, n, expected):
    assert i18n.tn("n_people", n, lang) == expected


@pytest.mark.parametrize(
    ("lang", "month", "long", "quarter", "number"),
    [
        ("en", "Jun 2010", "June 2010", "Q2 2010", "1,234,567"),
        ("ru", "июнь 2010", "Июнь 2010", "2-й кв. 2010", "1\u00a0234\u00a0567"),
        ("kk", "2010\u202fж. мау.", "2010\u202fж. маусым", "2010\u202fж. ІІ тқс.", "1\u00a0234\u00a0567"),
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


# -- the catalogs -------------------------------------------------------------------------------

OTHERS = [lang for lang in i18n.LANGUAGES if lang != i18n.DEFAULT_LANGUAGE]
ENGLISH = i18n.CATALOGS[i18n.DEFAULT_LANGUAGE]


def alternatives(key: str) -> dict[str, str]:
    """``#. alternative: {a} for {b}`` comments of the English entry: a translation may use {a} for {b}."""
    out = {}
    for comment in ENGLISH.comments.get(key, ()):
        if comment.startswith("alternative: "):
            a, b = comment.removeprefix("alternative: ").split(" for ")
            out[a.strip("{}")] = b.strip("{}")
    return out


def test_the_languages_are_the_catalogs_present():
    assert i18n.LANGUAGES == ("en", "kk", "ru")
    assert i18n.LANGUAGE_NAMES == {"en": "English", "kk": "Қазақша", "ru": "Русский"}
    for lang in i18n.LANGUAGES:
        assert i18n.catalog_path(lang) == i18n.LOCALES / lang / "LC_MESSAGES" / "messages.po"


def test_the_english_catalog_is_its_own_source():
    assert not ENGLISH.untranslated
    for key, ids in ENGLISH.english.items():
        strings = ENGLISH.plurals.get(key) or (
            ENGLISH.messages.get(key) or ENGLISH.settings[key.split(":")[1]],
        )
        assert tuple(strings) == ids, f"{key}: the English msgstr differs from its msgid"


@pytest.mark.parametrize("lang", OTHERS)
def test_each_catalog_translates_every_english_entry(lang):
    catalog = i18n.CATALOGS[lang]
    assert not catalog.untranslated, f"{lang}: fuzzy or empty: {sorted(catalog.untranslated)}"
    assert set(catalog.english) == set(ENGLISH.english), f"{lang}: keys differ from the English catalog"
    for key, ids in ENGLISH.english.items():
        # A changed English text changes the msgid: the translation must be looked at again.
        assert catalog.english[key] == ids, f"{lang}/{key} translates an older English text"
    assert set(catalog.settings) == set(ENGLISH.settings)
    assert all(text.strip() for text in catalog.messages.values())


@pytest.mark.parametrize("lang", OTHERS)
def test_each_translation_has_the_english_placeholders(lang):
    catalog = i18n.CATALOGS[lang]
    for key, english in ENGLISH.messages.items():
        swap = alternatives(key)
        used = {swap.get(name, name) for name in placeholders(catalog.messages[key])}
        assert used == placeholders(english), f"{lang}/{key}: {used} vs {placeholders(english)}"
    for key, forms in ENGLISH.plurals.items():
        for form in catalog.plurals[key]:
            assert placeholders(form) == placeholders(forms[0]) == {"n"}, f"{lang}/{key}"


def test_alternative_placeholders_are_given_by_the_code():
    """Messages that offer alternatives say so in the English catalog, for translators."""
    declared = {key for key in ENGLISH.messages if alternatives(key)}
    assert "takeaway_peak_single" in declared and "takeaway_key_figures" in declared


@pytest.mark.parametrize(("lang", "forms"), [("en", 2), ("ru", 3), ("kk", 2)])
def test_plural_forms_agree_with_cldr(lang, forms):
    """The catalog's Plural-Forms (gettext) and CLDR put whole numbers in the same classes."""
    from babel.messages.plurals import get_plural

    catalog = i18n.CATALOGS[lang]
    assert catalog.num_plurals == forms == get_plural(lang).num_plurals
    cldr = Locale.parse(lang).plural_form
    index_of: dict[str, int] = {}
    for n in range(0, 1001):
        index = catalog.plural(n)
        assert 0 <= index < forms
        assert index_of.setdefault(cldr(n), index) == index, f"{lang}: {n} is {cldr(n)}"
    assert len(set(index_of.values())) == forms


def test_kazakh():
    assert i18n.t("app_title", "kk") == "Баспана іздеушілерді ұстау және босқын мәртебесі"
    assert i18n.t("people_detained", "kk") == "Ұсталған адамдар"
    assert i18n.t("authority_unhcr", "kk") == "БЖКБ"
    assert i18n.tn("n_incidents", 1, "kk") == "1 оқиға"
    assert i18n.tn("n_incidents", 5, "kk") == "5 оқиға"
    assert i18n.choice("type", "detention", "kk") == "ұстау"
    assert i18n.percent(83, "kk") == "83%"
    assert i18n.number(2.5, "kk") == "2,5"
    assert i18n.separators("kk") == ",\u00a0" == i18n.separators("ru")
    assert i18n.separators("en") == ".,"
    assert i18n.label_column("kk") == "label_kk" and i18n.label_column("en") == "label"


def test_kazakh_months_are_babels():
    import datetime

    from babel.dates import format_skeleton

    for month in range(1, 13):
        day = datetime.date(2010, month, 1)
        stamp = pd.Timestamp(day)
        assert i18n.month_label(stamp, "kk") == format_skeleton("yMMM", day, locale="kk")
        assert i18n.period_label(stamp, "month", "kk", long=True) == format_skeleton(
            "yMMMM", day, locale="kk"
        )
    assert i18n.month_label(pd.Timestamp("2010-06-01"), "kk") == "2010\u202fж. мау."


#: Loanwords Kazakh shares with Russian.
SAME_IN_RUSSIAN = {
    "scene_map",
    "type_extradition",
    "type_deportation",
    "col_illustrative",
    "download_column_illustrative",
    "download_column_authority",  # "орган": a state body, in Kazakh law as in Russian
}


def test_kazakh_is_not_russian():
    kazakh = i18n.CATALOGS["kk"].messages
    same = {key for key, text in kazakh.items() if text == i18n.MESSAGES[key]["ru"]}
    assert same == SAME_IN_RUSSIAN
    letters = set("әғқңөұүһі")
    with_kazakh_letters = [key for key, text in kazakh.items() if letters & set(text.lower())]
    assert len(with_kazakh_letters) > 0.8 * len(kazakh)
    for text in kazakh.values():
        assert "Задерж" not in text and "УВКБ" not in text


def test_a_missing_translation_falls_back_to_english(monkeypatch):
    monkeypatch.setitem(i18n.MESSAGES, "filters", {"en": "Filters"})
    assert i18n.t("filters", "kk") == "Filters"
