"""Publishers' spellings of countries, mapped to ISO 3166-1 alpha-3 (the project's canonical codes).

:func:`refugee_stats.countries.to_alpha3` knows ISO and CLDR names in English and Russian.
Publishers add their own spellings (``"Bahamas, The"``, ``"CHINA, PEOPLES REPUBLIC OF"``) and
nationalities that are not one current country (``"Other and unknown"``, ``"Refugee"``,
``"USSR"``, UNHCR's ``UNK``): those get the explicit codes of
:data:`refugee_stats.countries.EXTRA_CODES` (``XXX``, ``XXB``, ``SUN``...), so every person a
publisher counts is imported. All are listed here as data, so every mapping is reviewable;
anything else that :func:`to_alpha3` cannot map is reported as an unknown country, never guessed.
"""

from __future__ import annotations

import re

from refugee_stats.countries import to_alpha3
from refugee_stats.i18n import DEFAULT_LANGUAGE, t

#: Publisher spellings that name a real country or territory, keyed by lower-case text.
ALIASES: dict[str, str] = {
    # UK Home Office immigration statistics
    "bahamas, the": "BHS",
    "gambia, the": "GMB",
    "bermuda (british)": "BMU",
    "turks and caicos islands (british)": "TCA",
    "curacao (dutch)": "CUW",
    "aruba (dutch)": "ABW",
    "french guiana (french)": "GUF",
    "guadeloupe (french)": "GLP",
    "martinique (french)": "MTQ",
    "st martin (french part)": "MAF",
    "congo (democratic republic)": "COD",
    "east timor": "TLS",
    "macau": "MAC",
    "occupied palestinian territories": "PSE",
    "st kitts and nevis": "KNA",
    "st lucia": "LCA",
    "st vincent and the grenadines": "VCT",
    # US ICE (ENFORCE country names, upper case in the files)
    "china, peoples republic of": "CHN",
    "bosnia-herzegovina": "BIH",
    "dem rep of the congo": "COD",
    "antigua-barbuda": "ATG",
}

#: Publisher labels of nationalities that are not one current country -> explicit code (see
#: :data:`refugee_stats.countries.EXTRA_CODES` for the names and where each code comes from).
NOT_ONE_COUNTRY: dict[str, str] = {
    # UK Home Office
    "other and unknown": "XXX",  # nationalities not listed separately, and unknown ones
    "not available": "XXX",
    # A bare "Refugee": the UK grants refugee status under the 1951 Convention and issues
    # Convention travel documents, so ICAO's XXB; the label itself does not say which.
    "refugee": "XXB",
    "british overseas citizens": "GBO",
    "former yugoslavia": "YUG",
    "cyprus (northern part of)": "XNC",
    # US ICE
    "unknown": "XXX",
    "korea": "XKR",  # ambiguous: ICE files also list SOUTH KOREA
    "ussr": "SUN",
    "czechoslovakia": "CSK",
    "yugoslavia": "YUG",
    "serbia and montenegro": "SCG",
    "netherlands antilles": "ANT",
    # UNHCR: codes of countries.csv (iso_code / unhcr_code). "UNK" is UNHCR's ISO-column code
    # for an unknown country (ICAO 9303 uses UNK for Kosovo residents' UNMIK documents, which
    # no publisher here does).
    "unk": "XXX",
    "ukn": "XXX",
    "various/unknown": "XXX",
    "sta": "XXA",
    "tib": "XTI",
    "tibetan": "XTI",
}

#: Values that are not a nationality at all: reported with the reason (its catalog key), never mapped.
NOT_COUNTRIES: dict[str, str] = {
    "-": "problem_part_no_country_given",  # no country given (the table is not broken down by this country)
}

_TERRITORY_SUFFIX = re.compile(r"\s*\((british|french|dutch|us|u\.s\.|uk)\)$", re.IGNORECASE)


def _key(value: str) -> str:
    return re.sub(r"\s+", " ", value.strip()).casefold()


def alpha3(value: object) -> str | None:
    """The alpha-3 code of a publisher's country code or name, or None when it is not one country."""
    if not isinstance(value, str) or not value.strip():
        return None
    key = _key(value)
    if key in NOT_COUNTRIES:
        return None
    if key in ALIASES:
        return ALIASES[key]
    if key in NOT_ONE_COUNTRY:
        return NOT_ONE_COUNTRY[key]
    code = to_alpha3(value)
    if code is not None:
        return code
    # Generic publisher habits: "X, The", "X (French)", "St X".
    text = _TERRITORY_SUFFIX.sub("", value.strip())
    text = re.sub(r",\s*the$", "", text, flags=re.IGNORECASE)
    text = re.sub(r"^st\.?\s", "Saint ", text, flags=re.IGNORECASE)
    return to_alpha3(text) if text != value.strip() else None


def reason_key(value: object) -> str | None:
    """The catalog key of why a value is known not to be a country, or None when it is simply unknown."""
    return NOT_COUNTRIES.get(_key(value)) if isinstance(value, str) else None


def reason(value: object, lang: str = DEFAULT_LANGUAGE) -> str | None:
    """Why a value is known not to be a country (in ``lang``), or None when it is simply unknown."""
    key = reason_key(value)
    return t(key, lang) if key is not None else None
