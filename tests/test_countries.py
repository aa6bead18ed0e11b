"""Country codes and names (refugee_stats.countries): alpha-3 is canonical."""

from __future__ import annotations

import pytest

from refugee_stats import countries
from refugee_stats.importers import places


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # Kyrgyzstan in every spelling the data contract promises
        pytest.param("Kyrgyzstan", "KGZ", id="en-name"),
        pytest.param("KYRGYZSTAN", "KGZ", id="en-name-upper"),
        pytest.param("kyrgyzstan", "KGZ", id="en-name-lower"),
        pytest.param("  Kyrgyzstan  ", "KGZ", id="en-name-padded"),
        pytest.param("Kyrgyz Republic", "KGZ", id="en-official-alias"),
        pytest.param("Киргизия", "KGZ", id="ru-cldr-name"),
        pytest.param("Кыргызстан", "KGZ", id="ru-alias"),
        pytest.param("KG", "KGZ", id="alpha-2"),
        pytest.param("kg", "KGZ", id="alpha-2-lower"),
        pytest.param("KGZ", "KGZ", id="alpha-3"),
        # Turkey / Türkiye
        pytest.param("Turkey", "TUR", id="turkey"),
        pytest.param("Türkiye", "TUR", id="turkiye-accent"),
        pytest.param("TURKIYE", "TUR", id="turkiye-upper-no-accent"),
        pytest.param("Турция", "TUR", id="turkey-ru"),
        # Russia
        pytest.param("Russia", "RUS", id="russia"),
        pytest.param("Russian Federation", "RUS", id="russian-federation"),
        pytest.param("Россия", "RUS", id="russia-ru"),
        pytest.param("RU", "RUS", id="russia-alpha-2"),
        # codes outside ISO 3166-1
        pytest.param("Kosovo", "XKX", id="kosovo"),
        pytest.param("XK", "XKX", id="kosovo-alpha-2"),
        pytest.param("XKX", "XKX", id="kosovo-alpha-3"),
        pytest.param("Косово", "XKX", id="kosovo-ru"),
        pytest.param("Stateless", "XXA", id="stateless"),
        pytest.param("лица без гражданства", "XXA", id="stateless-ru"),
        # the region and its neighbours
        pytest.param("Kazakhstan", "KAZ", id="kazakhstan"),
        pytest.param("Казахстан", "KAZ", id="kazakhstan-ru"),
        pytest.param("KZ", "KAZ", id="kazakhstan-alpha-2"),
        pytest.param("Узбекистан", "UZB", id="uzbekistan-ru"),
        pytest.param("Таджикистан", "TJK", id="tajikistan-ru"),
        pytest.param("Туркмения", "TKM", id="turkmenistan-ru-alias"),
        pytest.param("Китай", "CHN", id="china-ru"),
        pytest.param("Белоруссия", "BLR", id="belarus-ru-alias"),
        pytest.param("Беларусь", "BLR", id="belarus-ru-cldr"),
        # punctuation and letter variants
        pytest.param("Côte d’Ivoire", "CIV", id="curly-apostrophe"),
        pytest.param("Côte d'Ivoire", "CIV", id="straight-apostrophe"),
        pytest.param("Ivory Coast", "CIV", id="ivory-coast-alias"),
        pytest.param("Соединённые Штаты", "USA", id="ru-yo-folded"),
        # cannot be mapped
        pytest.param("Atlantis", None, id="atlantis"),
        pytest.param("Kazakstan", None, id="misspelling"),
        pytest.param("Kyrgyzstan, Bishkek", None, id="with-city"),
        pytest.param("", None, id="empty"),
        pytest.param("   ", None, id="blank"),
        pytest.param(None, None, id="none"),
        pytest.param(42, None, id="not-text"),
    ],
)
def test_to_alpha3(value, expected):
    assert countries.to_alpha3(value) == expected


@pytest.mark.parametrize(
    ("code", "locale", "expected"),
    [
        pytest.param("KGZ", "en", "Kyrgyzstan", id="KGZ-en"),
        pytest.param("KGZ", "ru", "Киргизия", id="KGZ-ru"),
        pytest.param("XKX", "en", "Kosovo", id="XKX-en"),
        pytest.param("XKX", "ru", "Косово", id="XKX-ru"),
        pytest.param("TUR", "en", "Türkiye", id="TUR-en"),
        pytest.param("TUR", "ru", "Турция", id="TUR-ru"),
        pytest.param("RUS", "en", "Russia", id="RUS-en"),
        pytest.param("KAZ", "ru", "Казахстан", id="KAZ-ru"),
        pytest.param("XXA", "en", "Stateless", id="XXA-en"),
        pytest.param("XXA", "ru", "Лица без гражданства", id="XXA-ru"),
        pytest.param("XXA", "de", "Stateless", id="XXA-unknown-locale-falls-back-to-en"),
        pytest.param("ZZZ", "en", "ZZZ", id="unknown-code-is-itself"),
    ],
)
def test_name(code, locale, expected):
    assert countries.name(code, locale) == expected


def test_name_defaults_to_english():
    assert countries.name("KGZ") == "Kyrgyzstan"


@pytest.mark.parametrize(
    "code", ["KGZ", "KAZ", "TJK", "UZB", "TKM", "RUS", "TUR", "CHN", *countries.EXTRA_CODES]
)
@pytest.mark.parametrize("locale", ["en", "ru"])
def test_display_names_map_back_to_their_code(code, locale):
    assert countries.to_alpha3(countries.name(code, locale)) == code


# -- nationalities that are not one current country ---------------------------------------------

# fmt: off
NOT_ONE_COUNTRY = [
    # (value as written, code, English name, Russian name)
    ("XXX", "XXX", "Unknown or unspecified", "Не указано или неизвестно"),
    ("Unknown", "XXX", "Unknown or unspecified", "Не указано или неизвестно"),
    ("UKN", "XXX", "Unknown or unspecified", "Не указано или неизвестно"),  # UNHCR's own code
    ("неизвестно", "XXX", "Unknown or unspecified", "Не указано или неизвестно"),
    ("Stateless", "XXA", "Stateless", "Лица без гражданства"),
    ("STA", "XXA", "Stateless", "Лица без гражданства"),  # UNHCR's own code
    ("XXB", "XXB", "Refugee (1951 Convention)", "Беженец (Конвенция 1951 года)"),
    ("XXC", "XXC", "Refugee (other)", "Беженец (вне Конвенции 1951 года)"),
    ("Yugoslavia", "YUG", "Yugoslavia", "Югославия"),
    ("YUCS", "YUG", "Yugoslavia", "Югославия"),  # ISO 3166-3 four-letter code
    ("Former Yugoslavia", "YUG", "Yugoslavia", "Югославия"),
    ("USSR", "SUN", "USSR", "СССР"),
    ("Soviet Union", "SUN", "USSR", "СССР"),
    ("SUHH", "SUN", "USSR", "СССР"),
    ("Советский Союз", "SUN", "USSR", "СССР"),
    ("Czechoslovakia", "CSK", "Czechoslovakia", "Чехословакия"),
    ("CSHH", "CSK", "Czechoslovakia", "Чехословакия"),
    ("Serbia and Montenegro", "SCG", "Serbia and Montenegro", "Сербия и Черногория"),
    ("CSXX", "SCG", "Serbia and Montenegro", "Сербия и Черногория"),
    ("Netherlands Antilles", "ANT", "Netherlands Antilles", "Нидерландские Антильские острова"),
    ("Northern Cyprus", "XNC", "Northern Cyprus", "Северный Кипр"),
    ("Северный Кипр", "XNC", "Northern Cyprus", "Северный Кипр"),
    ("GBO", "GBO", "British overseas citizens", "Британские заморские граждане"),
    ("Tibetan", "XTI", "Tibetan", "Тибетцы"),
    ("XKR", "XKR", "Korea (North or South not stated)", "Корея (без уточнения)"),
]
# fmt: on


@pytest.mark.parametrize(("value", "code", "en", "ru"), NOT_ONE_COUNTRY, ids=[r[0] for r in NOT_ONE_COUNTRY])
def test_nationalities_that_are_not_one_country_have_codes_and_names(value, code, en, ru):
    assert countries.to_alpha3(value) == code
    assert (countries.name(code, "en"), countries.name(code, "ru")) == (en, ru)


def test_every_extra_code_says_where_it_comes_from():
    for code, extra in countries.EXTRA_CODES.items():
        assert len(code) == 3 and code.isupper()
        assert extra["en"] and extra["ru"] and extra["convention"], code
        assert any(c in "абвгдеёжзийклмнопрстуфхцчшщъыьэюя" for c in extra["ru"].casefold()), code


@pytest.mark.parametrize("value", ["CS", "AN", "SU", "YU"])
def test_former_two_letter_codes_are_not_guessed(value):
    """ISO 3166-3's ``CS`` was Czechoslovakia and then Serbia and Montenegro: no two-letter codes."""
    assert countries.to_alpha3(value) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("Kyrgystan", "Kyrgyzstan", id="missing-letter"),
        pytest.param("Kazakstan", "Kazakhstan", id="kazakstan"),
        pytest.param("Uzbekstan", "Uzbekistan", id="uzbekstan"),
        pytest.param("Atlantis", None, id="nothing-close"),
    ],
)
def test_suggest(value, expected):
    assert countries.suggest(value) == expected


# -- publishers' labels (refugee_stats.importers.places) -----------------------------------------

# fmt: off
PUBLISHER_LABELS = [
    # (label as in the publisher's file, code, English name, Russian name)
    # UK Home Office detention tables (Nationality)
    ("Other and unknown", "XXX", "Unknown or unspecified", "Не указано или неизвестно"),
    ("Not available", "XXX", "Unknown or unspecified", "Не указано или неизвестно"),
    ("Refugee", "XXB", "Refugee (1951 Convention)", "Беженец (Конвенция 1951 года)"),
    ("British overseas citizens", "GBO", "British overseas citizens", "Британские заморские граждане"),
    ("Former Yugoslavia", "YUG", "Yugoslavia", "Югославия"),
    ("Cyprus (Northern part of)", "XNC", "Northern Cyprus", "Северный Кипр"),
    ("Stateless", "XXA", "Stateless", "Лица без гражданства"),
    ("Kosovo", "XKX", "Kosovo", "Косово"),
    # US ICE book-ins (Country of Citizenship)
    ("UNKNOWN", "XXX", "Unknown or unspecified", "Не указано или неизвестно"),
    ("KOREA", "XKR", "Korea (North or South not stated)", "Корея (без уточнения)"),
    ("SOUTH KOREA", "KOR", "South Korea", "Республика Корея"),
    ("USSR", "SUN", "USSR", "СССР"),
    ("CZECHOSLOVAKIA", "CSK", "Czechoslovakia", "Чехословакия"),
    ("YUGOSLAVIA", "YUG", "Yugoslavia", "Югославия"),
    ("SERBIA AND MONTENEGRO", "SCG", "Serbia and Montenegro", "Сербия и Черногория"),
    ("NETHERLANDS ANTILLES", "ANT", "Netherlands Antilles", "Нидерландские Антильские острова"),
    # UNHCR (coo_iso / coa_iso, and the codes of countries.csv)
    ("UNK", "XXX", "Unknown or unspecified", "Не указано или неизвестно"),
    ("UKN", "XXX", "Unknown or unspecified", "Не указано или неизвестно"),
    ("XXX", "XXX", "Unknown or unspecified", "Не указано или неизвестно"),
    ("Various/unknown", "XXX", "Unknown or unspecified", "Не указано или неизвестно"),
    ("STA", "XXA", "Stateless", "Лица без гражданства"),
    ("XXA", "XXA", "Stateless", "Лица без гражданства"),
    ("TIB", "XTI", "Tibetan", "Тибетцы"),
    ("Tibetan", "XTI", "Tibetan", "Тибетцы"),
]
# fmt: on


@pytest.mark.parametrize(
    ("label", "code", "en", "ru"), PUBLISHER_LABELS, ids=[r[0] for r in PUBLISHER_LABELS]
)
def test_publisher_label_to_code_and_names(label, code, en, ru):
    assert places.alpha3(label) == code
    assert places.alpha3(f"  {label.lower()} ") == code
    assert places.reason(label) is None
    assert (countries.name(code, "en"), countries.name(code, "ru")) == (en, ru)


def test_a_dash_is_no_nationality_and_says_why():
    assert places.alpha3("-") is None
    assert places.reason("-") == "no country given (the table is not broken down by this country)"


def test_every_publisher_group_code_has_names():
    assert set(places.NOT_ONE_COUNTRY.values()) <= set(countries.EXTRA_CODES)


@pytest.mark.parametrize(
    ("code", "expected"),
    [("KAZ", "Қазақстан"), ("UZB", "Өзбекстан"), ("KGZ", "Қырғызстан"), ("XXA", "Азаматтығы жоқ адамдар")],
)
def test_kazakh_names(code, expected):
    assert countries.name(code, "kk") == expected


def test_every_extra_code_has_a_name_in_every_language():
    from refugee_stats import i18n

    for code, extra in countries.EXTRA_CODES.items():
        assert all(extra.get(lang) for lang in i18n.LANGUAGES), code
