"""Personal-data guard, in-memory uploads, and publishers' files through the ordinary loader."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from refugee_stats.load import MemoryFile, load, personal_kind
from tests.conftest import ROOT, TODAY

HEADER = "incident_id,date,host_country,type,nationality,people,source"
SHARED = ROOT.parent / "shared" / "data"


@pytest.mark.parametrize(
    ("column", "kind"),
    [
        ("full_name", "name"),
        ("Name", "name"),
        ("ФИО", "name"),
        ("passport_no", "document number"),
        ("A-Number", "document number"),
        ("date_of_birth", "date of birth"),
        ("DOB", "date of birth"),
        ("birth_year", "date of birth"),
        ("phone", "phone number"),
        ("home address", "exact address"),
        ("e-mail", "e-mail"),
        ("country_name", None),
        ("facility_name", None),
        ("nationality", None),
        ("source", None),
        ("colour", None),
    ],
)
def test_personal_columns_are_recognised(column, kind):
    assert personal_kind(column) == kind


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
