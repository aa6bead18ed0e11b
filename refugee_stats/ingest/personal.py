"""Personal identifiers in column names (English, Russian, French, Spanish).

A column name is split into words: camelCase split, ``#`` and ``№`` read as "number",
case folded, accents of Latin letters stripped (NFKD), Cyrillic ``ё`` read as ``е``,
punctuation, underscores, hyphens and dots read as spaces. The words are then matched
against phrases (``date of birth``, ``nom et prénom``, ``фио``), also written as one word
(``dateofbirth``, ``ANumber``), never against raw substrings: ``nationality`` or
``unhcr_refugees`` contain no personal word.

Some phrases name a person only when nothing in the column name says it is about a
place or an organisation (``name`` but not ``country_name`` or ``facility name``; ``phone``
but not ``office phone``): those are *weak*. Others never mean anything but a person
(``passport``, ``SSN``, ``date of birth``) and are always personal.
"""

from __future__ import annotations

import re
import unicodedata

from refugee_stats import i18n
from refugee_stats.ingest.problems import Phrase, Problem, phrase, problem

#: Kind -> phrases that always name a personal identifier.
_STRONG: dict[str, tuple[str, ...]] = {
    "registration number": (
        "alien registration",
        "alien registration number",
        "alien number",
        "alien no",
        "a number",
        "a no",
        "registration number",
        "registration no",
        "registration id",
        "reg no",
        "регистрационный номер",
        "номер регистрации",
        "numéro d'enregistrement",
        "número de registro",
    ),
    "identity or insurance number": (
        "passport",
        "passports",
        "passport no",
        "passport number",
        "national id number",
        "national id no",
        "passeport",
        "pasaporte",
        "паспорт",
        "паспорта",
        "паспортные данные",
        "national id",
        "national identity",
        "national insurance",
        "ni number",
        "nin",
        "ssn",
        "social security",
        "identity card",
        "identity number",
        "id card",
        "personal id",
        "personal number",
        "driving licence",
        "driver license",
        "numéro de sécurité sociale",
        "sécurité sociale",
        "nir",
        "carte d'identité",
        "pièce d'identité",
        "numéro d'identité",
        "dni",
        "nie",
        "cédula",
        "documento de identidad",
        "seguridad social",
        "seguro social",
        "иин",
        "iin",
        "жсн",
        "инн",
        "снилс",
        "удостоверение личности",
    ),
    "date of birth": (
        "dob",
        "birth",
        "birth date",
        "birthday",
        "birth year",
        "date of birth",
        "year of birth",
        "yob",
        "дата рождения",
        "год рождения",
        "рождения",
        "date de naissance",
        "année de naissance",
        "naissance",
        "fecha de nacimiento",
        "año de nacimiento",
        "nacimiento",
    ),
    "place of birth": (
        "place of birth",
        "birth place",
        "место рождения",
        "lieu de naissance",
        "lugar de nacimiento",
    ),
}

#: Kind -> phrases that name a personal identifier unless the column is about a place or an organisation.
_WEAK: dict[str, tuple[str, ...]] = {
    "name": (
        "name",
        "names",
        "full name",
        "first name",
        "last name",
        "family name",
        "given name",
        "middle name",
        "maiden name",
        "user name",
        "surname",
        "surnames",
        "forename",
        "forenames",
        "patronymic",
        "fio",
        "фио",
        "фамилия",
        "фамилии",
        "имя",
        "имени",
        "отчество",
        "отчества",
        "nom",
        "noms",
        "prénom",
        "prénoms",
        "nom et prénom",
        "nom complet",
        "nom de famille",
        "nombre",
        "nombres",
        "nombre completo",
        "nombre y apellidos",
        "nombre de pila",
        "nombre de usuario",
        "apellido",
        "apellidos",
    ),
    "identity or insurance number": (
        "id number",
        "id no",
        "document number",
        "document no",
        "doc no",
        "numéro de document",
        "número de documento",
        "номер документа",
    ),
    "exact address": (
        "address",
        "addresses",
        "home address",
        "street",
        "street address",
        "postcode",
        "post code",
        "postal code",
        "zip code",
        "адрес",
        "адреса",
        "адрес проживания",
        "улица",
        "улицы",
        "adresse",
        "rue",
        "code postal",
        "dirección",
        "domicilio",
        "calle",
        "código postal",
    ),
    "phone number": (
        "phone",
        "phones",
        "phone number",
        "telephone",
        "tel",
        "mobile",
        "mobile number",
        "cell phone",
        "téléphone",
        "teléfono",
        "móvil",
        "celular",
        "телефон",
        "телефона",
        "тел",
        "мобильный",
        "сотовый",
    ),
    "e-mail": (
        "email",
        "e-mail",
        "mail",
        "email address",
        "courriel",
        "adresse électronique",
        "adresse mail",
        "correo",
        "correo electrónico",
        "электронная почта",
        "эл почта",
        "почта",
    ),
}

#: Phrases that look personal word by word but are not (read past as a whole).
_NOT_PERSONAL = (
    "country of birth",
    "birth country",
    "pays de naissance",
    "país de nacimiento",
    "страна рождения",
    "passport country",
    "country of passport",
    # French "nombre de ..." is "number of ...", not Spanish "nombre" (name)
    "nombre de",
    "nombre d",
    "nombre des",
    "nombre du",
)

#: Words that make a weak phrase about a place, an organisation or a file, not a person.
_NOT_A_PERSON = """
    country countries coo coa pays país страна страны city town ville ciudad город города
    region región регион региона district province provincia oblast область области state estado
    location lieu lugar место места place site website web url
    facility facilities établissement instalación учреждение учреждения centre center centro центр центра
    camp campamento лагерь лагеря prison prisión тюрьма тюрьмы office bureau oficina офис
    org organisation organization organización организация организации agency agence agencia ngo
    court tribunal суд суда embassy ambassade embajada посольство consulate консульство
    file fichier archivo файл файла dataset table column sheet project publisher
"""

#: Words that make a name the name of a thing (a source, an event), not of a person.
_NAMED_THINGS = """
    source sources fuente источник источника event évènement événement evento событие события
    indicator measure category group type unit document report rapport informe отчет label
"""


def words(column: str) -> list[str]:
    """The words of a column name, normalised for matching (see the module docstring)."""
    text = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", column)
    text = text.replace("#", " number ").replace("№", " number ")
    out: list[str] = []
    latin = False
    for ch in unicodedata.normalize("NFKD", text):
        if unicodedata.combining(ch):
            if not latin:
                out.append(ch)  # Cyrillic й keeps its breve
            continue
        latin = "LATIN" in unicodedata.name(ch, "")
        out.append(ch)
    folded = unicodedata.normalize("NFC", "".join(out)).casefold().replace("ё", "е")
    return re.findall(r"[^\W_]+", folded)


def _key(phrase: str) -> tuple[str, ...]:
    return tuple(words(phrase))


def _phrases() -> dict[tuple[str, ...], tuple[str | None, bool]]:
    """Normalised phrase (as words) -> (kind, or None for a phrase that is not personal; weak)."""
    out: dict[tuple[str, ...], tuple[str | None, bool]] = {}
    for table, weak in ((_STRONG, False), (_WEAK, True)):
        for kind, phrases in table.items():
            out.update({_key(p): (kind, weak) for p in phrases})
    out.update({_key(p): (None, False) for p in _NOT_PERSONAL})
    return out


_PHRASES = _phrases()
#: The same phrases written as one word (``dateofbirth``, ``anumber``; ``ф.и.о.`` is ``фио``).
_JOINED = {"".join(k): v for k, v in _PHRASES.items()}
_LONGEST = max(len(k) for k in _PHRASES)
_NOT_A_PERSON_WORDS = frozenset(words(_NOT_A_PERSON))
_NAMED_THING_WORDS = frozenset(words(_NAMED_THINGS))


def _phrase_at(tokens: list[str], i: int) -> tuple[int, str | None, bool] | None:
    """The longest phrase starting at word ``i``: (number of words, kind, weak)."""
    for j in range(min(len(tokens), i + _LONGEST), i, -1):
        span = tuple(tokens[i:j])
        found = _PHRASES.get(span) or _JOINED.get("".join(span))
        if found is not None:
            return j - i, *found
    return None


def personal_kind(column: str) -> str | None:
    """What personal identifier a column name suggests (``name``, ``date of birth``...), or None."""
    tokens = words(column)
    about_a_thing = any(t in _NOT_A_PERSON_WORDS for t in tokens)
    named_thing = any(t in _NAMED_THING_WORDS for t in tokens)
    i = 0
    while i < len(tokens):
        found = _phrase_at(tokens, i)
        if found is None:
            i += 1
            continue
        length, kind, weak = found
        cancelled = weak and (about_a_thing or (kind == "name" and named_thing))
        if kind is not None and not cancelled:
            return kind
        i += length
    return None


#: Every kind of personal identifier :func:`personal_kind` names.
KINDS: tuple[str, ...] = tuple(dict.fromkeys([*_WEAK, *_STRONG]))

#: Catalog key of the name of each kind of personal identifier, as messages name it.
KIND_KEYS: dict[str, str] = {kind: "problem_part_personal_" + re.sub(r"\W+", "_", kind) for kind in KINDS}

#: The English messages of a personal-data column (``{kind}``: what it looks like), for reference.
PERSONAL_REFUSED = i18n.t("problem_personal_refused")
PERSONAL_DROPPED = i18n.t("problem_personal_dropped")


def personal_message(kind: str, allowed: bool) -> tuple[Phrase, str]:
    """The message and severity of a column that looks like personal data of ``kind``: refused (an
    error) or, when personal-data columns are ``allowed``, dropped (a warning)."""
    key, severity = (
        ("problem_personal_dropped", "warning") if allowed else ("problem_personal_refused", "error")
    )
    return phrase(key, kind=phrase(KIND_KEYS[kind])), severity


def personal_problem(file: str, kind: str, allowed: bool, *, row: int, column: str) -> Problem:
    """The problem of a column that looks like personal data (see :func:`personal_message`)."""
    message, severity = personal_message(kind, allowed)
    return problem(file, message, row=row, column=column, severity=severity)
