"""Every user-facing string, read from one gettext catalog per language, with locale-aware dates and numbers.

Each language is a catalog, ``locales/<lang>/LC_MESSAGES/messages.po``, read with babel when this
module is imported (nothing to compile): ``msgctxt`` is the key the code asks for, ``msgid`` the
English text it translates and ``msgstr`` the translation; a plural entry has one ``msgstr[i]`` per
form of the catalog's ``Plural-Forms`` (English 2, Russian 3, Kazakh 2). Entries keyed ``locale:*``
hold the language's own name and its CLDR date patterns. Adding a language is adding a catalog.

``t(key, lang, **values)`` formats one message; ``tn(key, n, lang, **values)`` picks the plural form
for the count ``n``. Dates, numbers and country names come from CLDR through babel, so nothing here
is hand-formatted per language. Tests fail when a catalog lacks a translation.
"""

from __future__ import annotations

import functools
import gettext
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from babel.dates import format_date
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, get_decimal_symbol, get_group_symbol

#: Where the catalogs are: ``<lang>/LC_MESSAGES/messages.po``.
LOCALES = Path(__file__).with_name("locales")
DOMAIN = "messages"
DEFAULT_LANGUAGE = "en"
#: Keys of a catalog's entries that are settings of the language, not messages.
SETTING = "locale:"


@dataclass(frozen=True)
class Catalog:
    """One language's catalog as read: messages, plural forms, settings and the English each translates."""

    lang: str
    messages: dict[str, str]
    plurals: dict[str, tuple[str, ...]]
    settings: dict[str, str]
    #: The ``msgid`` (and ``msgid_plural``) of each key: the English text the entry translates.
    english: dict[str, tuple[str, ...]]
    #: Automatic comments (``#.``) of each key.
    comments: dict[str, tuple[str, ...]]
    num_plurals: int
    plural_expr: str
    #: Keys whose entry is fuzzy or empty: untranslated, so English is shown.
    untranslated: frozenset[str]

    @functools.cached_property
    def plural(self) -> Callable[[int], int]:
        """The index of the plural form for a whole number, from the catalog's ``Plural-Forms``."""
        return gettext.c2py(self.plural_expr)


def catalog_path(lang: str) -> Path:
    return LOCALES / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def _forms(value: Any, pluralizable: bool) -> tuple[str, ...]:
    """A message's id or string as its forms: one, or one per plural form (babel types either loosely)."""
    return tuple(value) if pluralizable else (value,)


def read_catalog(lang: str) -> Catalog:
    """The catalog of ``lang``, read from its ``.po`` file."""
    with catalog_path(lang).open("rb") as file:
        po = read_po(file, locale=lang, domain=DOMAIN)
    messages: dict[str, str] = {}
    plurals: dict[str, tuple[str, ...]] = {}
    settings: dict[str, str] = {}
    english: dict[str, tuple[str, ...]] = {}
    comments: dict[str, tuple[str, ...]] = {}
    untranslated: set[str] = set()
    for message in po:
        key = message.context
        if not message.id or key is None:
            continue  # the header, or an entry without a key
        english[key] = _forms(message.id, message.pluralizable)
        comments[key] = tuple(message.auto_comments)
        strings = _forms(message.string, message.pluralizable)
        if message.fuzzy or not all(strings):
            untranslated.add(key)
            continue
        if key.startswith(SETTING):
            settings[key.removeprefix(SETTING)] = strings[0]
        elif message.pluralizable:
            plurals[key] = strings
        else:
            messages[key] = strings[0]
    return Catalog(
        lang=lang,
        messages=messages,
        plurals=plurals,
        settings=settings,
        english=english,
        comments=comments,
        num_plurals=po.num_plurals,
        plural_expr=po.plural_expr,
        untranslated=frozenset(untranslated),
    )


def _languages() -> tuple[str, ...]:
    present = sorted(p.name for p in LOCALES.iterdir() if catalog_path(p.name).is_file())
    return (DEFAULT_LANGUAGE, *(lang for lang in present if lang != DEFAULT_LANGUAGE))


#: The languages with a catalog: English first, then by code.
LANGUAGES: tuple[str, ...] = _languages()
CATALOGS: dict[str, Catalog] = {lang: read_catalog(lang) for lang in LANGUAGES}
#: Each language's name in itself, for the language picker.
LANGUAGE_NAMES: dict[str, str] = {lang: CATALOGS[lang].settings["name"] for lang in LANGUAGES}

#: Every message: key -> language -> text (a language lacking a translation is absent).
MESSAGES: dict[str, dict[str, str]] = {
    key: {lang: CATALOGS[lang].messages[key] for lang in LANGUAGES if key in CATALOGS[lang].messages}
    for key in CATALOGS[DEFAULT_LANGUAGE].messages
}

#: Messages with a number: key -> language -> its forms, in the order of the catalog's ``Plural-Forms``.
PLURALS: dict[str, dict[str, tuple[str, ...]]] = {
    key: {lang: CATALOGS[lang].plurals[key] for lang in LANGUAGES if key in CATALOGS[lang].plurals}
    for key in CATALOGS[DEFAULT_LANGUAGE].plurals
}


def language(lang: str | None) -> str:
    """A supported language code, falling back to English."""
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, lang: str = DEFAULT_LANGUAGE, /, **values: object) -> str:
    """The message ``key`` in ``lang`` (English where it lacks a translation), with ``values`` filled in."""
    texts = MESSAGES[key]
    text = texts.get(language(lang)) or texts[DEFAULT_LANGUAGE]
    return text.format(**values) if values else text


def tn(key: str, n: int, lang: str = DEFAULT_LANGUAGE, /, **values: object) -> str:
    """The plural form of message ``key`` for the count ``n`` (formatted for the locale).

    The form is the one the catalog's ``Plural-Forms`` gives the whole number ``abs(n)`` (gettext's
    rule, which for whole numbers is CLDR's); a fraction takes the form of its whole part."""
    lang = language(lang)
    forms = PLURALS[key].get(lang) or PLURALS[key][DEFAULT_LANGUAGE]
    index = CATALOGS[lang].plural(int(abs(n))) if lang in PLURALS[key] else int(abs(n) != 1)
    return forms[min(index, len(forms) - 1)].format(n=number(n, lang), **values)


def separators(lang: str = DEFAULT_LANGUAGE) -> str:
    """plotly's ``separators``: the locale's decimal then group symbol (CLDR): ``.,`` / ``,\u00a0``."""
    locale = language(lang)
    return get_decimal_symbol(locale) + get_group_symbol(locale)


def label_column(lang: str = DEFAULT_LANGUAGE) -> str:
    """The timeline column holding labels in ``lang``: ``label`` (English), else ``label_<lang>``."""
    lang = language(lang)
    return "label" if lang == DEFAULT_LANGUAGE else f"label_{lang}"


def _pattern(name: str, lang: str) -> str:
    """A CLDR date pattern of the language's catalog (``locale:month`` and so on)."""
    return CATALOGS[language(lang)].settings.get(name) or CATALOGS[DEFAULT_LANGUAGE].settings[name]


def number(n: float, lang: str = DEFAULT_LANGUAGE) -> str:
    """A number with the locale's grouping: ``1,234`` in English, ``1 234`` in Russian."""
    locale = language(lang)
    if isinstance(n, int | np.integer) and not isinstance(n, bool):
        separator = _thousands(locale)
        if separator is not None:  # babel's answer, without babel's cost per call
            return f"{int(n):,}".replace(",", separator)
    return format_decimal(n, locale=locale)


@functools.cache
def _thousands(locale: str) -> str | None:
    """The locale's group separator if babel groups whole numbers in threes from 1,000; else None."""
    separator = get_group_symbol(locale)
    probes = (0, 7, 999, 1000, 1234, 12345, 123456, 1234567, -1234567)
    same = all(format_decimal(n, locale=locale) == f"{n:,}".replace(",", separator) for n in probes)
    return separator if same else None


def percent(share: float, lang: str = DEFAULT_LANGUAGE) -> str:
    """A share in per cent (0-100), rounded: ``62%`` / ``62 %``."""
    from babel.numbers import format_percent

    return format_percent(share / 100, locale=language(lang))


def month_label(stamp: pd.Timestamp, lang: str = DEFAULT_LANGUAGE) -> str:
    """Short month and year: ``Jun 2010`` / ``июнь 2010`` / ``2010 ж. мау.`` (the catalog's ``locale:month``)."""
    return format_date(stamp.date(), _pattern("month", lang), locale=language(lang))


def month_label_long(stamp: pd.Timestamp, lang: str = DEFAULT_LANGUAGE, heading: bool = True) -> str:
    """Full month and year: ``June 2010`` / ``Июнь 2010`` as a heading or at a sentence's start,
    ``июнь 2010`` inside a sentence (Russian month names are lower case)."""
    text = format_date(stamp.date(), _pattern("month_long", lang), locale=language(lang))
    return text[:1].upper() + text[1:] if heading else text


def period_label(
    start: pd.Timestamp,
    granularity: str,
    lang: str = DEFAULT_LANGUAGE,
    long: bool = False,
    heading: bool = True,
) -> str:
    """Label of a chart period: ``Jun 2010`` / ``Q2 2010`` / ``2010`` (localised); ``long`` spells
    the month out, capitalised unless not ``heading`` (see :func:`month_label_long`)."""
    if granularity == "month":
        return month_label_long(start, lang, heading) if long else month_label(start, lang)
    if granularity == "quarter":
        return format_date(start.date(), _pattern("quarter", lang), locale=language(lang))
    return str(start.year)


def labels(lang: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    """Display names of columns for plotly ``labels=`` and tables."""
    return {
        "period": t("axis_period", lang),
        "people": t("axis_people", lang),
        "people_detained": t("axis_people_detained", lang),
        "share": t("axis_share", lang),
        "unhcr_refugees": t("legend_unhcr", lang),
        "host_country": t("host_country", lang),
        "nationality": t("nationality", lang),
    }


def choice(prefix: str, value: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """Display name of an enum value: ``choice("type", "forced_return")`` -> ``forced return``."""
    return t(f"{prefix}_{value}", lang)


def span_label(start: pd.Timestamp, end: pd.Timestamp, lang: str = DEFAULT_LANGUAGE) -> str:
    """Compact label of a date range: ``2010``, ``2009-2011``, ``Jun 2010``, ``Jun 2010-Mar 2011``."""
    whole_years = (
        start == start.to_period("Y").start_time
        and end.normalize() == end.to_period("Y").end_time.normalize()
    )
    if whole_years:
        return str(start.year) if start.year == end.year else f"{start.year}-{end.year}"
    first, last = month_label(start, lang), month_label(end, lang)
    return first if first == last else f"{first}-{last}"
