"""Personal-data guard, in-memory uploads, and publishers' files through the ordinary loader."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from refugee_stats import cli, importers
from refugee_stats.fields import TABLES, field_names
from refugee_stats.ingest import personal
from refugee_stats.ingest.dataset import load
from refugee_stats.ingest.files import MemoryFile
from refugee_stats.ingest.personal import KINDS, personal_kind
from tests.conftest import ROOT, TODAY

HEADER = "incident_id,date,host_country,type,nationality,people,source"
SHARED = ROOT.parent / "shared" / "data"


NAME, REG, ID = "name", "registration number", "identity or insurance number"
DOB, POB, PHONE, ADDRESS, EMAIL = "date of birth", "place of birth", "phone number", "exact address", "e-mail"

#: Column names that identify a person, in English, Russian, French and Spanish, and their kind.
PERSONAL = [
    # registration numbers
    ("Alien Registration Number", REG),
    ("A-Number", REG),
    ("A#", REG),
    ("ANumber", REG),
    ("registration_no", REG),
    ("Регистрационный номер", REG),
    ("numéro d'enregistrement", REG),
    ("Número de registro", REG),
    # national identity and insurance numbers
    ("SSN", ID),
    ("social_security_number", ID),
    ("national_insurance_no", ID),
    ("NIN", ID),
    ("national id", ID),
    ("nationalid", ID),
    ("passport_no", ID),
    ("PassportNo", ID),
    ("Passport #", ID),
    ("ИИН", ID),
    ("ИНН", ID),
    ("СНИЛС", ID),
    ("№ паспорта", ID),
    ("Паспорт", ID),
    ("Numéro de sécurité sociale", ID),
    ("NIR", ID),
    ("carte d'identité", ID),
    ("DNI", ID),
    ("NIE", ID),
    ("Cédula", ID),
    ("pasaporte", ID),
    ("Documento de identidad", ID),
    ("id_number", ID),
    # names
    ("Name", NAME),
    ("full_name", NAME),
    ("first name", NAME),
    ("lastName", NAME),
    ("Family-Name", NAME),
    ("given.name", NAME),
    ("surname", NAME),
    ("ФИО", NAME),
    ("Ф.И.О.", NAME),
    ("Фамилия", NAME),
    ("имя", NAME),
    ("Отчество", NAME),
    ("Nom et prénom", NAME),
    ("NOM", NAME),
    ("Prénom", NAME),
    ("nombre y apellidos", NAME),
    ("Nombre", NAME),
    ("apellidos", NAME),
    ("Apellido", NAME),
    # exact addresses
    ("home address", ADDRESS),
    ("Street", ADDRESS),
    ("Адрес", ADDRESS),
    ("улица", ADDRESS),
    ("Adresse", ADDRESS),
    ("rue", ADDRESS),
    ("Dirección", ADDRESS),
    ("domicilio", ADDRESS),
    ("calle", ADDRESS),
    ("postcode", ADDRESS),
    # phone numbers
    ("phone", PHONE),
    ("Telephone", PHONE),
    ("mobile_number", PHONE),
    ("Телефон", PHONE),
    ("Téléphone", PHONE),
    ("teléfono", PHONE),
    ("Móvil", PHONE),
    ("celular", PHONE),
    # e-mail
    ("email", EMAIL),
    ("E-Mail", EMAIL),
    ("email address", EMAIL),
    ("Электронная почта", EMAIL),
    ("courriel", EMAIL),
    ("correo electrónico", EMAIL),
    # date and place of birth
    ("DOB", DOB),
    ("date_of_birth", DOB),
    ("DateOfBirth", DOB),
    ("birth date", DOB),
    ("birth_year", DOB),
    ("Дата рождения", DOB),
    ("Дата рождёния", DOB),
    ("date de naissance", DOB),
    ("Fecha de nacimiento", DOB),
    ("place of birth", POB),
    ("место рождения", POB),
    ("lieu de naissance", POB),
]

#: Column names that are not personal: every known column, the publishers' columns, places and counts.
NOT_PERSONAL = [
    *sorted({name for table in TABLES for name in field_names(table)}),
    "nationality",
    "country_name",
    "name of country",
    "Country of Origin Name",
    "coo_name",
    "host_country",
    "facility name",
    "facility_address",
    "office phone",
    "event",
    "event name",
    "file name",
    "status",
    "country of birth",
    "passport country",
    "registration date",
    "number of people",
    "Nombre de personnes",
    "nom du pays",
    "nombre del país",
    "имя файла",
    "Гражданство",
    "Дата",
    "nacionalidad",
    "sexe",
    "Age",
    "Gender",
    "Detention Facility",
    "Most Serious Conviction",
    "Country of Citizenship",
    "First place of detention",
    "Reason for leaving detention",
    "Cases / Persons",
    "Households",
    "colour",
]


@pytest.mark.parametrize(
    ("column", "kind"), [*PERSONAL, *((c, None) for c in NOT_PERSONAL)], ids=lambda v: str(v)
)
def test_personal_columns_are_recognised(column, kind):
    assert personal_kind(column) == kind


def test_every_kind_is_tested():
    assert {kind for _, kind in PERSONAL} == set(KINDS)


@pytest.mark.parametrize(
    ("column", "words"),
    [
        ("Nom et prénom", ["nom", "et", "prenom"]),
        ("Дата рождёния", ["дата", "рождения"]),
        ("Передний", ["передний"]),  # the Cyrillic й keeps its breve
        ("lastName", ["last", "name"]),
        ("A#", ["a", "number"]),
        ("national_insurance-no.", ["national", "insurance", "no"]),
        ("Straße", ["strasse"]),
    ],
)
def test_column_names_are_normalised_to_words(column, words):
    assert personal.words(column) == words


def test_personal_column_refuses_the_file_and_keeps_the_others(tmp_path):
    (tmp_path / "incidents.csv").write_text(
        f"{HEADER},full_name\nA,2010,KAZ,detention,UZB,3,IWPR,Ivan Petrov\n"
    )
    (tmp_path / "status.csv").write_text(
        "record_id,date,host_country,nationality,authority,decision,people,source\nS1,2010,KAZ,UZB,national,revoked,2,X\n"
    )
    data = load(tmp_path, today=TODAY)
    assert data.problems[["row", "column", "severity"]].astype(str).values.tolist() == [
        ["1", "full_name", "error"]
    ]
    assert "looks like personal data (name)" in data.problems["message"].iloc[0]
    assert data.incidents.empty and len(data.status) == 1


@pytest.mark.parametrize("column", ["ФИО", "A-Number", "Nom et prénom", "nombre y apellidos", "SSN"])
def test_file_with_a_personal_column_in_any_language_is_refused(tmp_path, column):
    path = tmp_path / "incidents.csv"
    path.write_text(f"{HEADER},{column}\nA,2010,KAZ,detention,UZB,3,IWPR,x\n", encoding="utf-8")
    data = load(path, today=TODAY)
    # The loader names columns as it matches them: case folded, blanks as underscores.
    assert data.problems[["row", "column", "severity"]].values.tolist() == [
        [1, column.casefold().replace(" ", "_"), "error"]
    ]
    assert data.problems["message"].iloc[0].startswith(f"looks like personal data ({personal_kind(column)})")
    assert data.incidents.empty


def test_validate_command_fails_on_a_personal_column(tmp_path, capsys):
    path = tmp_path / "incidents.csv"
    path.write_text(f"{HEADER},ФИО\nA,2010,KAZ,detention,UZB,3,IWPR,Иванов Иван\n", encoding="utf-8")
    assert cli.main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"{path}:1:фио: looks like personal data (name)" in out
    assert "Иванов" not in out
    command = Path(sys.executable).with_name("refugee-stats")
    run = subprocess.run([str(command), "validate", str(path)], capture_output=True, text=True, check=False)
    assert run.returncode == 1 and "фио" in run.stdout


def test_personal_column_allowed_is_dropped_never_kept(tmp_path):
    (tmp_path / "incidents.csv").write_text(f"{HEADER},dob\nA,2010,KAZ,detention,UZB,3,IWPR,1980-01-01\n")
    data = load(tmp_path, today=TODAY, allow_personal_data=True)
    assert data.problems["severity"].tolist() == ["warning"]
    assert "never shown, charted or exported" in data.problems["message"].iloc[0]
    assert len(data.incidents) == 1 and "dob" not in data.incidents.columns
    assert "1980-01-01" not in data.incidents.astype(str).to_string()


def test_uploads_load_from_memory(tmp_path):
    csv = f"{HEADER}\nA,2010-06,KAZ,detention,UZB,29,IWPR\n".encode()
    workbook = io.BytesIO()
    pd.DataFrame(
        {
            "record_id": ["S1"],
            "date": ["2010-06"],
            "host_country": ["KAZ"],
            "nationality": ["UZB"],
            "authority": ["national"],
            "decision": ["revoked"],
            "people": [17],
            "incident_id": ["A"],
            "source": ["IWPR"],
        }
    ).to_excel(workbook, index=False)
    data = load(
        [MemoryFile("incidents.csv", csv), MemoryFile("status.xlsx", workbook.getvalue())], today=TODAY
    )
    assert data.problems.empty
    assert (data.incidents["people"].tolist(), data.status["people"].tolist()) == ([29], [17])
    assert data.incidents["source_file"].tolist() == ["incidents.csv"]
    assert list(tmp_path.iterdir()) == []  # nothing was written anywhere


def test_broken_upload_is_reported_with_its_name():
    data = load(
        [MemoryFile("incidents.csv", b"\x89PNG\x00\x00"), MemoryFile("timeline.xlsx", b"not a zip")],
        today=TODAY,
    )
    assert data.problems[["file", "severity"]].values.tolist() == [
        ["incidents.csv", "error"],
        ["timeline.xlsx", "error"],
    ]


@pytest.mark.skipif(not (SHARED / "uk-home-office").exists(), reason="needs ../shared/data")
def test_publisher_file_in_a_folder_loads_directly(tmp_path):
    source = SHARED / "uk-home-office" / "people_entering_detention.csv"
    raw = pd.read_csv(source, keep_default_na=False)
    (tmp_path / "entering.csv").write_bytes(source.read_bytes())
    data = load(tmp_path, today=TODAY)
    assert set(data.incidents["type"]) == {"detention"}
    assert set(data.incidents["host_country"]) == {"GBR"}
    # Independent sum: Uzbek nationals entering detention in 2023, from the raw table.
    nationality = next(c for c in raw.columns if "national" in c.lower())
    year = next(c for c in raw.columns if c.lower() in ("year", "quarter", "date"))
    count = next(c for c in raw.columns if c.lower() in ("people", "number", "count", "entering", "value"))
    mask = raw[nationality].str.casefold().eq("uzbekistan") & raw[year].astype(str).str.startswith("2023")
    expected = int(pd.to_numeric(raw.loc[mask, count], errors="coerce").sum())
    got = data.incidents[
        (data.incidents["nationality"] == "UZB") & data.incidents["date"].str.startswith("2023")
    ]["people"].sum()
    assert got == expected == 91
    assert isinstance(Path(data.files[0]), Path)


# -- publishers' files: the same guard --------------------------------------------------------------

ICE_CLEAN = "book_in_date,gender,country_of_citizenship"
ICE_EXPORT = '"ICE Initial Book Ins for the Seattle Area of Responsibility"||\n||\n"Book In Date"|"Gender"|"Country of Citizenship"'

#: (name, header, a data row, the column that looks personal, its header row, kind).
PUBLISHER_FILES = [
    ("ice clean, Name", f"{ICE_CLEAN},Name", "2015-03-02,Male,UZBEKISTAN,Ivan Petrov", "Name", 1, NAME),
    (
        "ice export, A-Number",
        f'{ICE_EXPORT}|"A-Number"',
        '3/2/2015|"Male"|"UZBEKISTAN"|"A012345678"',
        "A-Number",
        3,
        REG,
    ),
    (
        "ice clean, real dates of birth",
        f"{ICE_CLEAN},date_of_birth",
        "2015-03-02,Male,UZBEKISTAN,1980-01-01",
        "date_of_birth",
        1,
        DOB,
    ),
    (
        "unhcr population, ФИО",
        "year,coo_name,coo,coo_iso,coa_name,coa,coa_iso,refugees,asylum_seekers,ФИО",
        "2020,Afghanistan,AFG,AFG,Tajikistan,TAJ,TJK,12,5,Иванов Иван",
        "ФИО",
        1,
        NAME,
    ),
    (
        "uk entering, Passport",
        "Date,Year,Quarter,Nationality,Entering,Passport",
        "2023-03-31,2023,1,Uzbekistan,1,AB123456",
        "Passport",
        1,
        ID,
    ),
    (
        "hxl, Nom et prénom",
        "Event,When,Where,What,Citizenship,Persons,Reported by,Nom et prénom\n"
        "#event+id,#date,#country+name,#event+type,#country+name+nationality,#affected+ind,#meta+source,",
        "E1,2012-03-04,Kazakhstan,detention,Uzbekistan,1,IWPR,Jean Dupont",
        "Nom et prénom",
        1,
        NAME,
    ),
]


@pytest.mark.parametrize(
    ("header", "row", "column", "header_row", "kind"),
    [c[1:] for c in PUBLISHER_FILES],
    ids=[c[0] for c in PUBLISHER_FILES],
)
def test_publisher_file_with_a_personal_column_is_refused(tmp_path, header, row, column, header_row, kind):
    path = tmp_path / "publisher.csv"
    path.write_text(f"{header}\n{row}\n", encoding="utf-8")
    result = importers.read_publisher(path)
    assert result.tables == {}
    assert [(p.row, p.column, p.severity) for p in result.problems] == [(header_row, column, "error")]
    assert result.problems[0].message() == personal.PERSONAL_REFUSED.format(kind=kind)
    data = load(path, today=TODAY)
    assert data.problems[["row", "column", "severity"]].values.tolist() == [[header_row, column, "error"]]
    assert data.incidents.empty and data.stocks.empty
    assert cli.main(["validate", str(path)]) == 1
    # Nobody's data reaches a message.
    assert row.split(",")[-1].split("|")[-1].strip('"') not in repr(result.problems) + repr(data.problems)


@pytest.mark.parametrize(
    ("header", "row", "column", "header_row", "kind"),
    [c[1:] for c in PUBLISHER_FILES],
    ids=[c[0] for c in PUBLISHER_FILES],
)
def test_publisher_personal_column_allowed_is_dropped(tmp_path, header, row, column, header_row, kind):
    path = tmp_path / "publisher.csv"
    path.write_text(f"{header}\n{row}\n", encoding="utf-8")
    result = importers.read_publisher(path, allow_personal=True)
    assert [(p.row, p.column, p.severity) for p in result.problems] == [(header_row, column, "warning")]
    assert result.problems[0].message() == personal.PERSONAL_DROPPED.format(kind=kind)
    [frame] = result.tables.values()
    assert len(frame) >= 1
    secret = row.split(",")[-1].split("|")[-1].strip('"')
    assert secret not in frame.astype(str).to_string()
    typed, _ = importers.load_publisher(path, allow_personal=True, today=TODAY)
    assert secret not in repr(typed)


@pytest.mark.parametrize("cell", ["(b)(6)", "(b)(6),(b)(7)c)", "(B)(6), (B)(7)(C)", "NA", ""])
def test_redacted_birth_column_is_not_refused(tmp_path, cell):
    path = tmp_path / "bookins.csv"
    path.write_text(
        f'{ICE_CLEAN},date_of_birth\n2015-03-02,Male,UZBEKISTAN,"{cell}"\n2015-03-02,Male,MEXICO,(b)(6)\n'
    )
    result = importers.read_publisher(path)
    assert result.problems == []
    assert people_by_nationality(result) == {"UZB": 1, "MEX": 1}


def people_by_nationality(result: importers.ImportResult) -> dict[str, int]:
    frame = result.tables["incidents"]
    return {n: int(p) for n, p in zip(frame["nationality"], frame["people"], strict=True)}
