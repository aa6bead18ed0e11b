"""Importers against the real publishers' files in ``../shared/data`` (skipped when that folder is absent).

Every expected number is computed here, independently, from the publisher's file with plain
pandas (or taken from the dataset's PROVENANCE.md), then compared with the imported records.
"""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd
import pytest

from refugee_stats import importers
from refugee_stats.countries import to_alpha3
from refugee_stats.dates import is_valid
from refugee_stats.fields import field_names

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
TODAY = pd.Timestamp("2026-11-26")
CENTRAL_ASIA = {
    "Kazakhstan": "KAZ",
    "Uzbekistan": "UZB",
    "Kyrgyzstan": "KGZ",
    "Tajikistan": "TJK",
    "Turkmenistan": "TKM",
}


def need(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not here (the shared data folder sits beside the project)")
    return path


@pytest.fixture(scope="module")
def imported():
    """Each real file imported once per test module: path -> (ImportResult, seconds)."""
    cache: dict[Path, tuple[importers.ImportResult, float]] = {}

    def get(*parts: str) -> importers.ImportResult:
        path = need(*parts)
        if path not in cache:
            start = time.perf_counter()
            result = importers.read_publisher(path)
            cache[path] = (result, time.perf_counter() - start)
        return cache[path][0]

    get.cache = cache  # type: ignore[attr-defined]
    return get


def people(frame: pd.DataFrame, **where: str) -> int:
    """Sum of ``people`` over records whose columns equal (or, for ``date``, start with) the values."""
    mask = pd.Series(True, index=frame.index)
    for column, value in where.items():
        mask &= frame[column].str.startswith(value) if column == "date" else frame[column] == value
    return int(frame.loc[mask, "people"].astype(int).sum())


# -- UK Home Office --------------------------------------------------------------------------------


def uk_raw(name: str) -> pd.DataFrame:
    return pd.read_csv(need("uk-home-office", name))


@pytest.mark.parametrize(
    ("nationality", "code", "year"),
    [
        ("Uzbekistan", "UZB", 2023),
        ("Albania", "ALB", 2019),
        ("Afghanistan", "AFG", 2015),
        ("Kosovo", "XKX", 2012),
    ],
)
def test_uk_entries_of_one_nationality_in_one_year(imported, nationality, code, year):
    raw = uk_raw("people_entering_detention.csv")
    expected = raw[(raw["Nationality"] == nationality) & (raw["Year"] == year)]["Entering"].sum()
    incidents = imported("uk-home-office", "people_entering_detention.csv").tables["incidents"]
    assert expected > 0
    assert people(incidents, nationality=code, date=f"{year}-") == expected
    by_quarter = (
        raw[(raw["Nationality"] == nationality) & (raw["Year"] == year)].groupby("Quarter")["Entering"].sum()
    )
    for quarter, n in by_quarter.items():
        [record] = incidents[
            (incidents["nationality"] == code) & (incidents["date"] == f"{year}-Q{quarter}")
        ]["people"]
        assert int(record) == n


def test_uk_central_asia_entries_by_year_match_the_provenance(imported):
    """PROVENANCE.md: entries into detention, five Central Asian countries combined, by year."""
    published = {2010: 101, 2011: 130, 2012: 75, 2013: 78, 2014: 59, 2015: 55, 2016: 53}
    published |= {2017: 40, 2018: 33, 2019: 53, 2020: 4, 2021: 2, 2022: 40, 2023: 135}
    incidents = imported("uk-home-office", "people_entering_detention.csv").tables["incidents"]
    ca = incidents[incidents["nationality"].isin(CENTRAL_ASIA.values())]
    by_year = (
        ca.assign(year=ca["date"].str[:4].astype(int), n=ca["people"].astype(int)).groupby("year")["n"].sum()
    )
    assert by_year.to_dict() == published


@pytest.mark.parametrize(
    ("name", "count"),
    [
        ("people_entering_detention.csv", "Entering"),
        ("people_leaving_detention.csv", "Leaving"),
        ("people_in_detention.csv", "People"),
    ],
)
def test_uk_every_person_is_imported_or_reported(imported, name, count):
    """Imported people + people in rows reported as not a country = the file's total."""
    raw = uk_raw(name)
    result = imported("uk-home-office", name)
    [frame] = result.tables.values()
    reported = {p["value"] for p in result.problems}
    assert reported <= {
        "Other and unknown",
        "Refugee",
        "Former Yugoslavia",
        "Cyprus (Northern part of)",
        "British overseas citizens",
        "Not available",
    }
    assert all(p["severity"] == "warning" and p["row"] >= 2 for p in result.problems)
    left_out = raw[raw["Nationality"].isin(reported)][count].sum()
    assert people(frame) + left_out == raw[count].sum()


@pytest.mark.parametrize(
    ("nationality", "code", "year"), [("Albania", "ALB", 2019), ("Uzbekistan", "UZB", 2023)]
)
def test_uk_leaving_by_reason(imported, nationality, code, year):
    raw = uk_raw("people_leaving_detention.csv")
    raw = raw[(raw["Nationality"] == nationality) & (raw["Year"] == year)]
    by_reason = raw.groupby("Reason for leaving detention")["Leaving"].sum()
    incidents = imported("uk-home-office", "people_leaving_detention.csv").tables["incidents"]
    mine = incidents[(incidents["nationality"] == code) & incidents["date"].str.startswith(f"{year}-")]
    assert people(mine, type="deportation") == by_reason.get("Returned", 0)
    assert people(mine, type="release") == by_reason.drop("Returned", errors="ignore").sum()
    for reason, n in by_reason.items():
        assert people(mine[mine["notes"].str.contains(f"reason as published: {reason};", regex=False)]) == n


def test_uk_leaving_ids_are_unique_per_quarter_nationality_reason(imported):
    incidents = imported("uk-home-office", "people_leaving_detention.csv").tables["incidents"]
    assert incidents["incident_id"].is_unique
    assert set(incidents["type"]) == {"deportation", "release"}


@pytest.mark.parametrize(
    ("nationality", "code", "date", "quarter"), [("Albania", "ALB", "2019-12-31", "2019-Q4")]
)
def test_uk_in_detention_stock_at_quarter_end(imported, nationality, code, date, quarter):
    raw = uk_raw("people_in_detention.csv")
    expected = raw[(raw["Nationality"] == nationality) & (raw["Date"] == date)]["People"].sum()
    stocks = imported("uk-home-office", "people_in_detention.csv").tables["stocks"]
    [level] = stocks[(stocks["nationality"] == code) & (stocks["date"] == quarter)]["people"]
    assert int(level) == expected > 0
    assert not stocks.duplicated(["date", "host_country", "nationality", "measure"]).any()
    assert set(stocks["measure"]) == {"in_detention"} and set(stocks["host_country"]) == {"GBR"}


# -- UNHCR -----------------------------------------------------------------------------------------


def unhcr_raw(name: str) -> pd.DataFrame:
    return pd.read_csv(need("unhcr", name), keep_default_na=False, na_values=[""])


@pytest.mark.parametrize(
    ("origin", "asylum", "year", "column", "decision"),
    [
        ("AFG", "DEU", 2019, "dec_recognized", "recognized"),
        ("SYR", "SWE", 2016, "dec_recognized", "recognized"),
        ("UZB", "RUS", 2015, "dec_rejected", "rejected"),
        ("AFG", "DEU", 2019, "dec_other", "complementary"),
    ],
)
def test_unhcr_decisions_of_one_pair_and_year_persons_only(imported, origin, asylum, year, column, decision):
    raw = unhcr_raw("asylum_decisions.csv")
    rows = raw[(raw["coo_iso"] == origin) & (raw["coa_iso"] == asylum) & (raw["year"] == year)]
    expected = rows.loc[rows["dec_pc"] == "P", column].sum()
    status = imported("unhcr", "asylum_decisions.csv").tables["status"]
    got = people(
        status, nationality=origin, host_country=asylum, date=str(year), decision=decision, unit="persons"
    )
    assert got == expected > 0


def test_unhcr_cases_and_persons_never_merged_on_real_data(imported):
    """UZB -> USA 2002 has a P row and a C row; each record's unit is its own row's dec_pc."""
    raw = unhcr_raw("asylum_decisions.csv")
    status = imported("unhcr", "asylum_decisions.csv").tables["status"]
    dec_pc = raw["dec_pc"].to_numpy()[status.index.to_numpy() - 2]  # header = line 1
    assert (
        status["unit"].to_numpy() == pd.Series(dec_pc).map({"P": "persons", "C": "cases"}).to_numpy()
    ).all()
    rows = raw[(raw["coo_iso"] == "UZB") & (raw["coa_iso"] == "USA") & (raw["year"] == 2002)]
    for pc, unit in (("P", "persons"), ("C", "cases")):
        expected = rows.loc[rows["dec_pc"] == pc, "dec_recognized"].sum()
        got = people(
            status, nationality="UZB", host_country="USA", date="2002", decision="recognized", unit=unit
        )
        assert got == expected > 0


def test_unhcr_decision_level_na_rows_are_imported(imported):
    raw = unhcr_raw("asylum_decisions.csv")
    na = raw[raw["dec_level"] == "NA"]
    assert len(na) == 2139  # PROVENANCE.md
    status = imported("unhcr", "asylum_decisions.csv").tables["status"]
    from_na = status[status["record_id"].str.contains("-NA-", regex=False)]
    decided = na[["dec_recognized", "dec_other", "dec_rejected", "dec_closed"]]  # every origin, UNK too
    assert from_na["people"].astype(int).sum() == decided.to_numpy().sum()
    assert set(from_na.index - 2) == set(na.index[decided.sum(axis=1) > 0])


def test_unhcr_decisions_whole_file_is_consistent(imported):
    """Whole-file invariants of the 200k records, independent of the loader's validation."""
    status = imported("unhcr", "asylum_decisions.csv").tables["status"]
    assert status["record_id"].is_unique
    assert set(status["unit"]) == {"persons", "cases"}
    assert set(status["authority"]) == {"national", "joint", "unhcr"}
    codes = set(status["host_country"]) | set(status["nationality"])
    assert all(to_alpha3(c) == c for c in codes)
    assert all(is_valid(d) for d in set(status["date"]))
    assert (status["people"].astype(int) >= 1).all()


@pytest.mark.parametrize(
    ("origin", "asylum", "year", "column", "measure"),
    [
        ("AFG", "PAK", 2019, "refugees", "refugees"),
        ("AFG", "PAK", 2019, "asylum_seekers", "asylum_seekers"),
        ("TJK", "RUS", 2022, "refugees", "refugees"),
        ("UZB", "KAZ", 2010, "refugees", "refugees"),
    ],
)
def test_unhcr_stock_of_one_pair_and_year(imported, origin, asylum, year, column, measure):
    raw = unhcr_raw("population.csv")
    [expected] = raw[(raw["coo_iso"] == origin) & (raw["coa_iso"] == asylum) & (raw["year"] == year)][column]
    stocks = imported("unhcr", "population.csv").tables["stocks"]
    [level] = stocks[
        (stocks["nationality"] == origin)
        & (stocks["host_country"] == asylum)
        & (stocks["date"] == str(year))
        & (stocks["measure"] == measure)
    ]["people"]
    assert int(level) == expected > 0


def test_unhcr_central_asia_refugees_match_the_provenance(imported):
    """PROVENANCE.md: refugees by origin summed over all years (a checksum, not a meaningful total)."""
    published = {"TJK": 913_033, "UZB": 415_940, "KAZ": 209_453, "KGZ": 115_915, "TKM": 30_299}
    stocks = imported("unhcr", "population_central_asia.csv").tables["stocks"]
    for code, total in published.items():
        assert people(stocks, nationality=code, measure="refugees") == total


@pytest.mark.parametrize(
    "parts",
    [
        ("unhcr", "asylum_decisions_central_asia.csv"),
        ("unhcr", "population_central_asia.csv"),
        ("unhcr", "asylum_decisions.csv"),
        ("unhcr", "population.csv"),
        ("uk-home-office", "people_entering_detention.csv"),
        ("uk-home-office", "people_leaving_detention.csv"),
        ("uk-home-office", "people_in_detention.csv"),
        ("us-ice-seattle", "bookins_with_state.csv"),
        ("us-ice-seattle", "original_foia_export", "bookins.csv.gz"),
    ],
    ids=lambda p: p[-1],
)
def test_real_imports_pass_the_loader_validation(imported, parts):
    result = imported(*parts)
    typed, problems = importers.validated(result, parts[-1], today=TODAY)
    assert problems == []
    for table, frame in result.tables.items():
        assert list(frame.columns) == field_names(table)
        assert len(typed[table]) == len(frame) > 0


# -- US ICE ----------------------------------------------------------------------------------------


def ice_raw() -> pd.DataFrame:
    """ICE's export, read as PROVENANCE.md says: pipe-delimited, six lines of notes."""
    raw = pd.read_csv(need("us-ice-seattle", "original_foia_export", "bookins.csv.gz"), sep="|", skiprows=6)
    raw["day"] = pd.to_datetime(raw["Book In Date"], format="%m/%d/%Y")
    return raw


@pytest.mark.parametrize(
    ("citizenship", "code", "month"),
    [("MEXICO", "MEX", "2015-03"), ("GUATEMALA", "GTM", "2018-07"), ("INDIA", "IND", "2019-05")],
)
def test_ice_bookins_of_one_citizenship_in_one_month(imported, citizenship, code, month):
    raw = ice_raw()
    expected = int(
        ((raw["Country of Citizenship"] == citizenship) & (raw["day"].dt.strftime("%Y-%m") == month)).sum()
    )
    for parts in (("original_foia_export", "bookins.csv.gz"), ("bookins_with_state.csv",)):
        incidents = imported("us-ice-seattle", *parts).tables["incidents"]
        assert people(incidents, nationality=code, date=month) == expected > 0


def test_ice_central_asia_bookins_match_the_provenance(imported):
    published = {"KAZ": 20, "UZB": 10, "KGZ": 10, "TKM": 4, "TJK": 3}
    incidents = imported("us-ice-seattle", "original_foia_export", "bookins.csv.gz").tables["incidents"]
    assert {code: people(incidents, nationality=code) for code in published} == published


def test_ice_one_record_per_day_and_citizenship(imported):
    raw = ice_raw()
    incidents = imported("us-ice-seattle", "original_foia_export", "bookins.csv.gz").tables["incidents"]
    assert not incidents.duplicated(["date", "nationality"]).any()
    reported = {
        p["value"] for p in imported("us-ice-seattle", "original_foia_export", "bookins.csv.gz").problems
    }
    kept = raw[~raw["Country of Citizenship"].isin(reported)]
    assert people(incidents) == len(kept) and len(incidents) < len(kept)


def test_ice_both_layouts_give_the_same_counts(imported):
    a = imported("us-ice-seattle", "original_foia_export", "bookins.csv.gz").tables["incidents"]
    b = imported("us-ice-seattle", "bookins_with_state.csv").tables["incidents"]
    key = ["incident_id", "date", "nationality", "people"]
    pd.testing.assert_frame_equal(a[key].reset_index(drop=True), b[key].reset_index(drop=True))


@pytest.mark.parametrize("parts", [("original_foia_export", "bookins.csv.gz"), ("bookins_with_state.csv",)])
def test_ice_birth_column_never_in_any_output(imported, parts):
    result = imported("us-ice-seattle", *parts)
    for frame in result.tables.values():
        assert not [c for c in frame.columns if "birth" in c.casefold()]
        assert not frame.astype(str).apply(lambda s: s.str.contains("(b)(6)", regex=False)).any().any()
    assert "(b)(6)" not in repr(result.problems) + repr(result.summary)


# -- speed -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("parts", "limit"),
    [
        (("uk-home-office", "people_leaving_detention.csv"), 10),
        (("uk-home-office", "people_in_detention.csv"), 10),
        (("uk-home-office", "people_entering_detention.csv"), 10),
        (("unhcr", "asylum_decisions.csv"), 30),
        (("unhcr", "population.csv"), 30),
    ],
    ids=lambda p: p[-1] if isinstance(p, tuple) else str(p),
)
def test_large_files_import_in_seconds(parts, limit, capsys):
    path = need(*parts)
    start = time.perf_counter()
    result = importers.read_publisher(path)
    seconds = time.perf_counter() - start
    with capsys.disabled():
        print(f"\n{parts[-1]}: {result.summary[0]}; {result.records:,} records in {seconds:.2f} s")
    assert seconds < limit
