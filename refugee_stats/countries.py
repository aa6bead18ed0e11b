"""Country codes and names: ISO 3166-1 alpha-3 is canonical.

Names come from CLDR (via babel) for display and from ISO 3166 (via pycountry) and
CLDR for matching, so "Kyrgyzstan", "KYRGYZSTAN", "Киргизия", "KG" and "KGZ" all
map to ``KGZ``.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

import pycountry
from babel import Locale

#: Codes outside ISO 3166-1 that monitoring data needs: Kosovo (user-assigned,
#: as used by the EU and UNHCR) and stateless people (ICAO 9303 code).
EXTRA_CODES: dict[str, dict[str, str]] = {
    "XKX": {"alpha_2": "XK", "en": "Kosovo", "ru": "Косово"},
    "XXA": {"alpha_2": "", "en": "Stateless", "ru": "Лица без гражданства"},
}

#: Common spellings that neither ISO nor CLDR list, mapped to alpha-3.
ALIASES: dict[str, str] = {
    "turkey": "TUR",
    "turkiye": "TUR",
    "russia": "RUS",
    "россия": "RUS",
    "российская федерация": "RUS",
    "kyrgyz republic": "KGZ",
    "kirghizia": "KGZ",
    "кыргызстан": "KGZ",
    "кыргызская республика": "KGZ",
    "туркмения": "TKM",
    "iran": "IRN",
    "iran (islamic republic of)": "IRN",
    "syria": "SYR",
    "moldova": "MDA",
    "republic of moldova": "MDA",
    "молдавия": "MDA",
    "белоруссия": "BLR",
    "china": "CHN",
    "кнр": "CHN",
    "kosovo": "XKX",
    "kos": "XKX",
    "косово": "XKX",
    "stateless": "XXA",
    "без гражданства": "XXA",
    "лицо без гражданства": "XXA",
    "лица без гражданства": "XXA",
    "uk": "GBR",
    "great britain": "GBR",
    "usa": "USA",
    "сша": "USA",
    "united states of america": "USA",
    "north korea": "PRK",
    "south korea": "KOR",
    "czech republic": "CZE",
    "ivory coast": "CIV",
    "democratic republic of the congo": "COD",
    "dr congo": "COD",
    "palestine": "PSE",
    "vietnam": "VNM",
    "laos": "LAO",
    "bolivia": "BOL",
    "venezuela": "VEN",
    "tanzania": "TZA",
    "macedonia": "MKD",
    "swaziland": "SWZ",
    "burma": "MMR",
}


def _key(value: str) -> str:
    """Matching key: case-folded, accents and punctuation variants folded, spaces collapsed."""
    text = unicodedata.normalize("NFKC", value).casefold().replace("ё", "е")
    text = text.replace("’", "'").replace("`", "'")
    # Drop accents on Latin letters only ("Türkiye" -> "turkiye"); "й" keeps its breve.
    out: list[str] = []
    for char in unicodedata.normalize("NFD", text):
        if unicodedata.combining(char) and out and out[-1].isascii():
            continue
        out.append(char)
    text = unicodedata.normalize("NFC", "".join(out))
    return re.sub(r"\s+", " ", text).strip()


@cache
def _lookup() -> dict[str, str]:
    table: dict[str, str] = {}
    territories = {lang: Locale(lang).territories for lang in ("en", "ru")}

    def add(name: str | None, code: str) -> None:
        if name:
            table.setdefault(_key(name), code)

    for country in pycountry.countries:
        code = country.alpha_3
        for attr in ("alpha_3", "alpha_2", "name", "common_name", "official_name"):
            add(getattr(country, attr, None), code)
        for names in territories.values():
            add(names.get(country.alpha_2), code)
    for code, extra in EXTRA_CODES.items():
        add(code, code)
        add(extra["alpha_2"], code)
        add(extra["en"], code)
        add(extra["ru"], code)
    for alias, code in ALIASES.items():
        table[_key(alias)] = code
    return table


def to_alpha3(value: object) -> str | None:
    """The alpha-3 code for a code or English/Russian name, or None when it cannot be mapped."""
    if not isinstance(value, str) or not value.strip():
        return None
    return _lookup().get(_key(value))


def suggest(value: str) -> str | None:
    """A close known country name for an unmappable value, for 'did you mean' messages."""
    import difflib

    names = [k for k in _lookup() if len(k) > 3]
    match = difflib.get_close_matches(_key(value), names, n=1, cutoff=0.8)
    return name(_lookup()[match[0]]) if match else None


@cache
def name(code: str, locale: str = "en") -> str:
    """Display name of an alpha-3 code in a locale (CLDR), falling back to the code itself."""
    if code in EXTRA_CODES:
        return EXTRA_CODES[code].get(locale, EXTRA_CODES[code]["en"])
    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        return code
    return Locale(locale).territories.get(country.alpha_2, country.name)
