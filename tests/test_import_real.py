"""Importers against the real publishers' files in ``../shared/data`` (skipped when that folder is absent).

Every expected number is computed here, independently, from the publisher's file with plain
pandas (or taken from the dataset's PROVENANCE.md), then compared with the imported records.
"""

from __future__ import annotations

import csv
import gzip
import time
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from refugee_stats import cli, importers, registry
from refugee_stats.countries import to_alpha3
from refugee_stats.dates import is_valid
from refugee_stats.fields import field_names
from refugee_stats.filters import Filters
from refugee_stats.ingest.dataset import load
from refugee_stats.view import build_view

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
        p.value for p in imported("us-ice-seattle", "original_foia_export", "bookins.csv.gz").problems
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


# -- publisher totals: every person in the file is imported -------------------------------------
#
# Each publisher total below is computed from the file with the csv module alone (every row, every
# nationality, no importer code), then compared with the imported records. A cell that is not a
# number cannot be imported: it must be one the importer reported, row for row.

#: Labels that would mark a total or subtotal row (none of the files has one; checked so that a
#: later release with total rows is not silently double counted).
TOTAL_LABELS = {"total", "all", "all nationalities", "all countries", "grand total"}


def rows_of(*parts: str, delimiter: str = ",", skip: int = 0) -> list[dict[str, str]]:
    """Every data row of a file as text (``.gz`` unpacked; ``skip`` lines of notes above the header)."""
    path = need(*parts)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8-sig", newline="") as handle:
        for _ in range(skip):
            handle.readline()
        return list(csv.DictReader(handle, delimiter=delimiter))


def count_cell(text: str) -> int | None:
    """A published count, or None for a cell with no figure (blank, "-", ":", "NA")."""
    text = text.strip().replace(",", "")
    if text in ("", "-", ":", "NA"):
        return None
    value = float(text)  # a cell that is not a number fails the test here, with its value
    assert value >= 0 and value.is_integer(), text
    return int(value)


def imported_totals(frame: pd.DataFrame, *keys: str) -> dict[tuple, int]:
    """Sum of ``people`` per value of ``keys`` (``year`` = the date's first four characters)."""
    frame = frame.assign(year=frame["date"].str[:4], n=frame["people"].astype(int))
    return {
        k if isinstance(k, tuple) else (k,): int(v) for k, v in frame.groupby(list(keys))["n"].sum().items()
    }


UK_TABLES = [
    ("people_entering_detention.csv", "Entering", "Entering detention"),
    ("people_leaving_detention.csv", "Leaving", "Leaving detention"),
    ("people_in_detention.csv", "People", "In detention (at end of period)"),
]


@pytest.mark.parametrize(("name", "count", "summary_column"), UK_TABLES, ids=[t[0] for t in UK_TABLES])
def test_uk_imported_totals_are_the_publishers_per_quarter(imported, name, count, summary_column):
    """Quarter by quarter, all nationalities: the imported people are the table's people, none left out."""
    rows = rows_of("uk-home-office", name)
    published: Counter[tuple] = Counter()
    for row in rows:
        assert row["Nationality"].strip().casefold() not in TOTAL_LABELS
        assert row["Sex"].strip().casefold() not in TOTAL_LABELS
        assert row["Age"].strip().casefold() not in TOTAL_LABELS
        n = count_cell(row[count])
        assert n is not None, row  # the Home Office files have a figure in every row
        published[(f"{row['Year']}-Q{row['Quarter']}",)] += n
    result = imported("uk-home-office", name)
    assert result.problems == []  # nothing reported, so nothing left out
    [frame] = result.tables.values()
    assert imported_totals(frame, "date") == dict(published)


@pytest.mark.parametrize(("name", "count", "summary_column"), UK_TABLES, ids=[t[0] for t in UK_TABLES])
def test_uk_imported_totals_are_the_home_office_summary_per_year(imported, name, count, summary_column):
    """The Home Office's own yearly totals (detention summary table): entries, exits, people at year end."""
    summary = rows_of("uk-home-office", "detention_summary_flow.csv")
    published = {row["Date"]: count_cell(row[summary_column]) for row in summary}
    [frame] = imported("uk-home-office", name).tables.values()
    if count == "People":  # a level: the one at the end of the year, never a sum over quarters
        frame = frame[frame["date"].str.endswith("-Q4")]
    got = {year: n for (year,), n in imported_totals(frame, "year").items() if year in published}
    assert got == published
    assert got["2015"] == {"Entering": 32_447, "Leaving": 33_226, "People": 2_607}[count]


def test_uk_2015_entries_on_the_dashboard_are_the_home_office_total(tmp_path):
    """``refugee-stats import`` then the dashboard's view: GBR 2015 shows 32,447 (Det_D01 and the summary)."""
    path = need("uk-home-office", "people_entering_detention.csv")
    assert cli.main(["import", str(path), "--out", str(tmp_path)]) == 0
    dataset = load(tmp_path, today=TODAY)
    assert dataset.problems.empty
    year = {"host_countries": ("GBR",), "date_from": "2015-01", "date_to": "2015-12"}
    assert build_view(dataset, Filters(**year)).key_figures.people_detained == 32_447
    groups = ("XXX", "XXB", "GBO", "YUG", "XNC")  # were left out before: 32,291 on screen
    assert build_view(dataset, Filters(nationalities=groups, **year)).key_figures.people_detained == 156


UNHCR_DECISIONS = ["asylum_decisions.csv", "asylum_decisions_central_asia.csv"]
UNHCR_POPULATION = ["population.csv", "population_central_asia.csv"]
DECISION_COLUMNS = {
    "dec_recognized": "recognized",
    "dec_other": "complementary",
    "dec_rejected": "rejected",
    "dec_closed": "closed",
}


@pytest.mark.parametrize("name", UNHCR_DECISIONS)
def test_unhcr_imported_decisions_are_the_publishers_per_year(imported, name):
    """Per year, unit and decision, all origins (UNK, TIB, stateless too): imported = published.

    ``dec_total`` is UNHCR's own row total: it is not imported (that would count every decision
    twice). UNHCR rounds each cell on its own, so in some rows it differs from the sum of the
    decisions; the importer's summary says in how many.
    """
    rows = rows_of("unhcr", name)
    published: Counter[tuple] = Counter()
    total_differs = 0
    for row in rows:
        assert row["coo_iso"].strip() and row["coa_iso"].strip()
        assert {row["coo_iso"].casefold(), row["coa_iso"].casefold()}.isdisjoint(TOTAL_LABELS | {"-"})
        unit = {"P": "persons", "C": "cases"}[row["dec_pc"]]
        decided = 0
        for column, decision in DECISION_COLUMNS.items():
            n = count_cell(row[column]) or 0
            published[(row["year"], unit, decision)] += n
            decided += n
        total = count_cell(row["dec_total"])
        total_differs += total is not None and total != decided
    result = imported("unhcr", name)
    assert result.problems == []
    got = imported_totals(result.tables["status"], "year", "unit", "decision")
    assert got == {k: n for k, n in published.items() if n}
    differs = [line for line in result.summary if line.startswith("dec_total not imported")]
    assert differs == [
        "dec_total not imported (it is the sum of the decisions)"
        + (f"; in {total_differs:,} rows it differs from that sum" if total_differs else "")
    ]


@pytest.mark.parametrize("name", UNHCR_POPULATION)
def test_unhcr_imported_population_is_the_publishers_per_year(imported, name):
    """Per year and measure, all origins and asylum countries (UNK included): imported = published."""
    rows = rows_of("unhcr", name)
    published: Counter[tuple] = Counter()
    for row in rows:
        assert {row["coo_iso"].casefold(), row["coa_iso"].casefold()}.isdisjoint(TOTAL_LABELS | {"-", ""})
        for measure in ("refugees", "asylum_seekers"):
            published[(row["year"], measure)] += count_cell(row[measure]) or 0
    result = imported("unhcr", name)
    assert result.problems == []
    got = imported_totals(result.tables["stocks"], "year", "measure")
    assert got == {k: n for k, n in published.items() if n}


ICE_FILES = {
    "bookins.csv.gz": (("original_foia_export", "bookins.csv.gz"), "|", 6, "Book In Date"),
    "bookins_with_state.csv": (("bookins_with_state.csv",), ",", 0, "book_in_date"),
}


@pytest.mark.parametrize("name", list(ICE_FILES))
def test_ice_imported_bookins_are_the_rows_per_year(imported, name):
    """One row is one person booked in: per year, every row is imported (KOREA, USSR, UNKNOWN too)."""
    parts, delimiter, skip, column = ICE_FILES[name]
    rows = rows_of("us-ice-seattle", *parts, delimiter=delimiter, skip=skip)
    published = Counter(
        (row[column].split("/")[-1] if "/" in row[column] else row[column][:4],) for row in rows
    )
    assert sum(published.values()) == 36_811  # PROVENANCE.md
    result = imported("us-ice-seattle", *parts)
    assert result.problems == []
    assert imported_totals(result.tables["incidents"], "year") == dict(published)


def test_uk_pipeline_says_unknown_where_the_home_office_states_no_status(tmp_path):
    """The Home Office counts people entering and leaving detention, with no UNHCR status and no link
    from a removal to a detention: the pipeline shows everyone under "status not recorded" and no
    outcome stage, and its download leaves those counts blank rather than 0."""
    folder = tmp_path / "data"
    folder.mkdir()
    for name in ("people_entering_detention.csv", "people_leaving_detention.csv"):
        out = tmp_path / name.removesuffix(".csv")
        assert cli.main(["import", str(need("uk-home-office", name)), "--out", str(out)]) == 0
        (out / "incidents.csv").rename(folder / name)  # both in one folder: a table by its header
    dataset = load(folder, today=TODAY)
    assert dataset.problems.empty
    year = Filters(host_countries=("GBR",), date_from="2015-01", date_to="2015-12")
    for public in (False, True):
        view = build_view(dataset, year, public=public)
        flows = view.charts["pipeline"]["flows"].set_index(["source", "target"])["people"]
        assert flows[("detained", "status_unknown")] == 32_447
        assert flows.drop(("detained", "status_unknown")).isna().all()
        rows = registry.chart_data(view, "en", kinds=("pipeline",))["pipeline"]
        assert rows["people"].astype("string").fillna("").tolist() == ["", "", "32447"] + [""] * 22
        [sankey] = registry.figures(view)["pipeline"].data
        assert list(sankey.node.label) == ["Detained<br>32,447", "Status not recorded<br>32,447"]
