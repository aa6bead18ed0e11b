"""Personal identifiers in column names: which columns look like data about one person."""

from __future__ import annotations

import re

#: Header words that mark a column of personal identifiers (English and Russian).
_PERSONAL = {
    "name": {
        "name",
        "names",
        "fullname",
        "firstname",
        "lastname",
        "surname",
        "forename",
        "fio",
        "фио",
        "имя",
        "фамилия",
        "отчество",
    },
    "document number": {
        "passport",
        "passportno",
        "idnumber",
        "idno",
        "nationalid",
        "documentnumber",
        "docno",
        "anumber",
        "aliennumber",
        "паспорт",
        "инн",
    },
    "date of birth": {
        "dob",
        "birth",
        "birthdate",
        "dateofbirth",
        "birthday",
        "birthyear",
        "рождения",
        "датарождения",
    },
    "phone number": {"phone", "telephone", "mobile", "tel", "телефон"},
    "exact address": {"address", "street", "streetaddress", "адрес", "улица"},
    "e-mail": {"email", "mail", "почта"},
}
#: Words before "name" that make it something else than a person's name.
_NOT_A_PERSON = {
    "country",
    "coo",
    "coa",
    "location",
    "place",
    "source",
    "file",
    "facility",
    "event",
    "org",
    "organisation",
    "organization",
    "publisher",
}


def personal_kind(column: str) -> str | None:
    """What personal identifier a column name suggests (``name``, ``date of birth``...), or None."""
    tokens = [t for t in re.split(r"[^0-9a-zа-яё]+", column.casefold()) if t]
    joined = "".join(tokens)
    for kind, words in _PERSONAL.items():
        for i, token in enumerate(tokens):
            if token in words or (i == len(tokens) - 1 and joined in words):
                if kind == "name" and i > 0 and tokens[i - 1] in _NOT_A_PERSON:
                    continue
                return kind
        if joined in words:
            return kind
    return None


PERSONAL_REFUSED = (
    "looks like personal data ({kind}); the file is refused so nobody can be identified. Remove the column, "
    "or allow personal-data columns to drop it and load the rest"
)
PERSONAL_DROPPED = "personal data ({kind}): column dropped; it is never shown, charted or exported"
