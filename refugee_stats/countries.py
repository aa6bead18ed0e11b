"""Country codes and names: ISO 3166-1 alpha-3 is canonical.

Names come from CLDR (via babel) for display and from ISO 3166 (via pycountry) and
CLDR for matching, so "Kyrgyzstan", "KYRGYZSTAN", "Киргизия", "KG" and "KGZ" all
map to ``KGZ``. Nationalities that are not one current country (stateless, unknown, a
refugee, a former state such as the USSR) have codes of their own in :data:`EXTRA_CODES`.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

import pycountry
from babel import Locale

#: Codes outside ISO 3166-1 that monitoring data needs, so that every person a publisher counts
#: is imported under an explicit code: ``convention`` says where each code comes from. None has
#: a shape on the map (see :func:`refugee_stats.maps.mappable_codes`): maps list them in a note.
#: ``alpha_2`` is blank where a two-letter code would be ambiguous (ISO 3166-3's ``CS`` was both
#: Czechoslovakia and Serbia and Montenegro). Names are given per language code (``en``, ``ru``, ``kk``);
#: a language without one shows the English name.
EXTRA_CODES: dict[str, dict[str, str]] = {
    "XKX": {
        "alpha_2": "XK",
        "en": "Kosovo",
        "ru": "Косово",
        "kk": "Косово",
        "convention": "ISO 3166-1 user-assigned code, as used by the EU and UNHCR",
    },
    "XXA": {
        "alpha_2": "",
        "en": "Stateless",
        "ru": "Лица без гражданства",
        "kk": "Азаматтығы жоқ адамдар",
        "convention": "ICAO 9303 (stateless person); UNHCR's code `STA`",
    },
    "XXB": {
        "alpha_2": "",
        "en": "Refugee (1951 Convention)",
        "ru": "Беженец (Конвенция 1951 года)",
        "kk": "Босқын (1951 жылғы Конвенция)",
        "convention": "ICAO 9303 (refugee as defined in the 1951 Convention)",
    },
    "XXC": {
        "alpha_2": "",
        "en": "Refugee (other)",
        "ru": "Беженец (вне Конвенции 1951 года)",
        "kk": "Босқын (1951 жылғы Конвенциядан тыс)",
        "convention": "ICAO 9303 (refugee other than under the 1951 Convention)",
    },
    "XXX": {
        "alpha_2": "",
        "en": "Unknown or unspecified",
        "ru": "Не указано или неизвестно",
        "kk": "Көрсетілмеген немесе белгісіз",
        "convention": "ICAO 9303 (unspecified nationality); UNHCR's code `UKN`, ISO column `UNK` or `XXX`",
    },
    "YUG": {
        "alpha_2": "",
        "en": "Yugoslavia",
        "ru": "Югославия",
        "kk": "Югославия",
        "convention": "ISO 3166-3 former code (`YUCS`)",
    },
    "SUN": {
        "alpha_2": "",
        "en": "USSR",
        "ru": "СССР",
        "kk": "КСРО",
        "convention": "ISO 3166-3 former code (`SUHH`)",
    },
    "CSK": {
        "alpha_2": "",
        "en": "Czechoslovakia",
        "ru": "Чехословакия",
        "kk": "Чехословакия",
        "convention": "ISO 3166-3 former code (`CSHH`)",
    },
    "SCG": {
        "alpha_2": "",
        "en": "Serbia and Montenegro",
        "ru": "Сербия и Черногория",
        "kk": "Сербия және Черногория",
        "convention": "ISO 3166-3 former code (`CSXX`)",
    },
    "ANT": {
        "alpha_2": "",
        "en": "Netherlands Antilles",
        "ru": "Нидерландские Антильские острова",
        "kk": "Нидерланд Антиль аралдары",
        "convention": "ISO 3166-3 former code (`ANHH`)",
    },
    "XNC": {
        "alpha_2": "",
        "en": "Northern Cyprus",
        "ru": "Северный Кипр",
        "kk": "Солтүстік Кипр",
        "convention": "ISO 3166-1 user-assigned code chosen by this project (northern Cyprus has no ISO code)",
    },
    "GBO": {
        "alpha_2": "",
        "en": "British overseas citizens",
        "ru": "Британские заморские граждане",
        "kk": "Британияның теңіз сыртындағы азаматтары",
        "convention": "ICAO 9303 (British Overseas citizen)",
    },
    "XTI": {
        "alpha_2": "",
        "en": "Tibetan",
        "ru": "Тибетцы",
        "kk": "Тибеттіктер",
        "convention": "ISO 3166-1 user-assigned code chosen by this project; UNHCR's code `TIB`",
    },
    "XKR": {
        "alpha_2": "",
        "en": "Korea (North or South not stated)",
        "ru": "Корея (без уточнения)",
        "kk": "Корея (Солтүстік не Оңтүстік екені көрсетілмеген)",
        "convention": "ISO 3166-1 user-assigned code chosen by this project",
    },
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
    "sta": "XXA",
    "unknown": "XXX",
    "not known": "XXX",
    "unspecified": "XXX",
    "ukn": "XXX",
    "неизвестно": "XXX",
    "гражданство не указано": "XXX",
    "гражданство неизвестно": "XXX",
    "soviet union": "SUN",
    "советский союз": "SUN",
    "former yugoslavia": "YUG",
    "бывшая югославия": "YUG",
    "northern cyprus": "XNC",
    "turkish republic of northern cyprus": "XNC",
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
        former = pycountry.historic_countries.get(alpha_3=code)
        if former is not None:  # ISO 3166-3: the four-letter code and the ISO name
            add(former.alpha_4, code)
            add(former.name, code)
    for alias, code in ALIASES.items():
        table[_key(alias)] = code
    return table


@cache
def known_codes() -> frozenset[str]:
    """Every alpha-3 code a country code or name maps to (ISO 3166 and :data:`EXTRA_CODES`)."""
    return frozenset(_lookup().values())


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
