"""The store: each table's Arrow schema, exact round trips through Parquet, the cache key, and
store folders written atomically and read back as the same dataset."""

from __future__ import annotations

import datetime
import json
import threading
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from refugee_stats.fields import TABLES, field_names
from refugee_stats.ingest.dataset import Dataset, load
from refugee_stats.ingest.files import MemoryFile
from refugee_stats.ingest.problems import Number, Phrase, phrase, plural, problem, problem_table
from refugee_stats.ingest.validate import empty_table
from refugee_stats.store import cache
from refugee_stats.store.cache import (
    cache_dir,
    content_key,
    is_fresh,
    phrase_from_json,
    phrase_json,
    read_store,
    read_summary,
    remove_store,
    stale_from,
    store_folder,
    write_store,
)
from refugee_stats.store.schema import arrow_schema, from_arrow, to_arrow
from tests.conftest import ROOT, TODAY, write

CORPUS = ROOT / "tests" / "corpus"
CORPUS_CASES = sorted(p.name for p in CORPUS.iterdir() if p.name != "expected.csv")


@pytest.fixture(scope="module")
def sample() -> Dataset:
    return load(ROOT / "data", today=TODAY)


def assert_same_dataset(found: Dataset, expected: Dataset) -> None:
    """Same frames (values and dtypes), same problems in the same order, same files."""
    for table in TABLES:
        pd.testing.assert_frame_equal(getattr(found, table), getattr(expected, table))
    assert found.found == expected.found
    pd.testing.assert_frame_equal(found.problem_table, expected.problem_table)
    assert found.files == expected.files


# -- schema --------------------------------------------------------------------------------------


@pytest.mark.parametrize("table", TABLES)
def test_schema_has_the_loaded_columns_in_order(table):
    extra = ["date_start", "date_end", "date_precision", *(["is_period"] if table == "timeline" else [])]
    assert arrow_schema(table).names == [*field_names(table), *extra, "source_file", "source_row"]
    assert arrow_schema(table).names == list(empty_table(table).columns)


@pytest.mark.parametrize(
    ("table", "column", "kind", "nullable"),
    [
        ("incidents", "incident_id", pa.string(), False),
        ("incidents", "location", pa.string(), True),
        ("incidents", "people", pa.int64(), False),
        ("incidents", "unhcr_refugees", pa.int64(), True),  # blank is unknown, not 0
        ("incidents", "follows", pa.string(), True),
        ("incidents", "illustrative", pa.bool_(), False),  # blank is false
        ("incidents", "date_start", pa.timestamp("s"), False),
        ("incidents", "date_end", pa.timestamp("s"), False),
        ("incidents", "date_precision", pa.string(), False),
        ("incidents", "source_file", pa.string(), False),
        ("incidents", "source_row", pa.int64(), False),
        ("status", "unit", pa.string(), False),  # blank is persons
        ("status", "incident_id", pa.string(), True),
        ("stocks", "people", pa.int64(), False),
        ("timeline", "end_date", pa.string(), True),
        ("timeline", "is_period", pa.bool_(), False),
        ("timeline", "label_ru", pa.string(), True),
    ],
)
def test_schema_types_and_nullability(table, column, kind, nullable):
    found = arrow_schema(table).field(column)
    assert found.type == kind
    assert found.nullable is nullable


def test_schema_of_an_unknown_table_is_refused():
    with pytest.raises(ValueError, match="unknown table 'people'"):
        arrow_schema("people")


@pytest.mark.parametrize("table", TABLES)
def test_sample_tables_round_trip_through_parquet_exactly(tmp_path, sample, table):
    # The sample has no stocks: a corpus file does.
    data = load(CORPUS / "stocks_duplicate_key.csv", today=TODAY) if table == "stocks" else sample
    frame = getattr(data, table)
    assert len(frame) > 1
    pq.write_table(to_arrow(frame, table), tmp_path / "t.parquet")
    back = pq.read_table(tmp_path / "t.parquet")
    pd.testing.assert_frame_equal(from_arrow(table, back), frame)


@pytest.mark.parametrize("table", TABLES)
def test_empty_tables_round_trip(table):
    empty = empty_table(table)
    data = to_arrow(empty, table)
    assert data.schema == arrow_schema(table)
    pd.testing.assert_frame_equal(from_arrow(table, data), empty)


def test_missing_values_round_trip_as_missing(tmp_path, dataset_from):
    data = dataset_from(
        incidents="""
        incident_id,date,host_country,type,nationality,people,unhcr_refugees,source,location,illustrative
        A,2010-06,KAZ,detention,UZB,3,,s,,
        B,2011,KGZ,release,TJK,2,1,s,Osh,true
        """
    )
    back = from_arrow("incidents", to_arrow(data.incidents, "incidents"))
    pd.testing.assert_frame_equal(back, data.incidents)
    assert back["unhcr_refugees"].isna().tolist() == [True, False]
    assert back["location"].isna().tolist() == [True, False]
    assert back["date_precision"].tolist() == ["month", "year"]
    assert back["illustrative"].tolist() == [False, True]


@pytest.mark.parametrize("name", CORPUS_CASES)
def test_columns_declared_not_null_are_never_blank(name):
    data = load(CORPUS / name, today=TODAY)
    for table in TABLES:
        arrow = to_arrow(getattr(data, table), table)
        for field in arrow.schema:
            if not field.nullable:
                assert arrow[field.name].null_count == 0, (table, field.name)


def test_wrong_columns_are_refused(sample):
    with pytest.raises(ValueError, match="expected the columns"):
        to_arrow(sample.incidents.drop(columns=["notes"]), "incidents")
    with pytest.raises(ValueError, match="expected the columns"):
        from_arrow("status", to_arrow(sample.incidents, "incidents"))


def test_columns_in_another_order_are_read_in_the_loaders_order(sample):
    data = to_arrow(sample.status, "status")
    shuffled = data.select(list(reversed(data.column_names)))
    pd.testing.assert_frame_equal(from_arrow("status", shuffled), sample.status)


# -- cache folder and key -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, Path.home() / ".cache" / "refugee-stats"),
        ("  ", Path.home() / ".cache" / "refugee-stats"),
        ("/srv/shared/refugee-cache", Path("/srv/shared/refugee-cache")),
        ("~/elsewhere", Path.home() / "elsewhere"),
    ],
)
def test_cache_dir(monkeypatch, value, expected):
    if value is None:
        monkeypatch.delenv(cache.CACHE_ENV, raising=False)
    else:
        monkeypatch.setenv(cache.CACHE_ENV, value)
    assert cache_dir() == expected


def test_store_folder_is_the_key_in_the_cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    assert store_folder(ROOT / "data", False) == tmp_path / "cache" / content_key(ROOT / "data", False)


def test_content_key_follows_the_bytes_names_files_and_choice(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    write(folder, "incidents.csv", "incident_id,date\nA,2010\n")
    key = content_key(folder, False)
    assert len(key) == 64 and int(key, 16) >= 0
    assert content_key([folder], False) == key  # a list or one path
    assert content_key(folder, True) != key  # the personal-data choice
    write(folder, "incidents.csv", "incident_id,date\nA,2011\n")
    changed = content_key(folder, False)
    assert changed != key
    write(folder, "incidents.csv", "incident_id,date\nA,2010\n")
    assert content_key(folder, False) == key  # the same bytes again: the same store
    write(folder, "status.csv", "record_id\n")
    assert content_key(folder, False) != key  # a file added
    (folder / "status.csv").rename(folder / "status2.csv")
    renamed = content_key(folder, False)
    assert renamed not in (key, changed)  # names count (rows are told by file name)
    (folder / "sub.csv").mkdir()
    assert content_key(folder, False) != renamed  # a folder that looks like data is a problem


def test_content_key_reads_large_files_whole(tmp_path):
    path = tmp_path / "incidents.csv"
    data = bytearray(b"x" * (3 * cache.BLOCK_BYTES + 17))
    path.write_bytes(data)
    first = content_key(path, False)
    data[-1:] = b"y"  # past the first blocks
    path.write_bytes(data)
    assert content_key(path, False) != first


def test_content_key_of_uploads_and_missing_files(tmp_path):
    upload = MemoryFile("incidents.csv", b"incident_id\nA\n")
    assert content_key(upload, False) == content_key(MemoryFile("incidents.csv", b"incident_id\nA\n"), False)
    assert content_key(upload, False) != content_key(MemoryFile("incidents.csv", b"incident_id\nB\n"), False)
    missing = tmp_path / "gone.csv"
    assert content_key(missing, False) == content_key(missing, False)
    missing.write_text("")
    assert content_key(missing, False) != content_key(tmp_path / "other.csv", False)


def test_code_version_changes_the_key(monkeypatch):
    before = content_key(ROOT / "data", False)
    monkeypatch.setattr(cache, "STORE_VERSION", cache.STORE_VERSION + 1)
    cache.code_version.cache_clear()
    try:
        assert content_key(ROOT / "data", False) != before
    finally:
        monkeypatch.undo()
        cache.code_version.cache_clear()
    assert content_key(ROOT / "data", False) == before


# -- phrases --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "said",
    [
        phrase("problem_no_header"),
        phrase("problem_unnamed_column", position=3),
        phrase("problem_follows_too_many", total=Number(12), held=Number(7)),
        phrase(
            "problem_too_large", what=phrase("problem_part_the_file"), size=plural("problem_part_bytes", 5)
        ),
        phrase("problem_row_width", cells=plural("problem_part_cells", 2), width=13),
        phrase("problem_check_failed", check="Кириллица ✓"),
        phrase("problem_at_least", minimum=np.int64(1)),
    ],
)
def test_phrases_round_trip_through_json(said):
    back = phrase_from_json(phrase_json(said))
    assert back == said
    for lang in ("en", "ru", "kk"):
        assert back.render(lang) == said.render(lang)


def test_phrases_of_other_values_are_refused():
    with pytest.raises(TypeError, match="cannot be stored"):
        phrase_json(phrase("problem_check_failed", check=["a", "b"]))
    with pytest.raises(ValueError, match="not a stored phrase"):
        phrase_from_json('"text"')


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([], None),
        (["2027-03"], datetime.date(2027, 3, 1)),
        (["2027-03-15", "2026-Q4", "2028"], datetime.date(2026, 10, 1)),
        (["not a date"], None),
    ],
)
def test_stale_from_is_the_first_refused_future_date(values, expected):
    found = [problem("f.csv", "problem_future_date", row=2, column="date", value=v) for v in values]
    found.append(problem("f.csv", "problem_not_a_date", row=3, column="date", value="2025-01"))
    assert stale_from(found) == expected


# -- store folders --------------------------------------------------------------------------------


def test_sample_store_reads_back_as_the_same_dataset(tmp_path, sample):
    summary = write_store(sample, tmp_path / "store")
    assert sorted(p.name for p in (tmp_path / "store").iterdir()) == sorted(
        [*cache.TABLE_FILES.values(), cache.PROBLEMS_FILE, cache.META_FILE]
    )
    assert summary.rows == {t: len(getattr(sample, t)) for t in TABLES}
    assert (summary.errors, summary.warnings, summary.problems) == (0, 0, 0)
    assert summary.files == sample.files
    assert_same_dataset(read_store(tmp_path / "store"), sample)
    assert [p.name for p in tmp_path.iterdir()] == ["store"]  # no temporary folder left


@pytest.mark.parametrize("name", CORPUS_CASES)
def test_corpus_stores_read_back_with_every_problem(tmp_path, name):
    data = load(CORPUS / name, today=TODAY)
    summary = write_store(data, tmp_path / "store")
    back = read_store(tmp_path / "store")
    assert_same_dataset(back, data)
    for lang in ("ru", "kk"):
        pd.testing.assert_frame_equal(back.problems_in(lang), data.problems_in(lang))
    severity = data.problems["severity"]
    assert (summary.errors, summary.warnings) == ((severity == "error").sum(), (severity == "warning").sum())


def test_meta_json_says_what_the_store_holds(tmp_path, dataset_from):
    data = dataset_from(
        incidents="incident_id,date,host_country,type,nationality,people,source\nA,2010,KAZ,detention,UZB,3,s\n"
    )
    write_store(data, tmp_path / "store")
    meta = json.loads((tmp_path / "store" / cache.META_FILE).read_text())
    assert meta["version"] == cache.STORE_VERSION
    assert meta["code"] == cache.code_version()
    assert meta["rows"] == {"incidents": 1, "status": 0, "stocks": 0, "timeline": 0}
    assert (meta["errors"], meta["warnings"], meta["stale_from"]) == (0, 0, None)
    assert meta["files"] == [str(tmp_path / "incidents.csv")]


def test_the_first_store_written_to_a_folder_is_kept(tmp_path, sample):
    other = load(CORPUS / "incidents_bad_counts.csv", today=TODAY)
    write_store(sample, tmp_path / "store")
    summary = write_store(other, tmp_path / "store")  # another process got there first
    assert summary.rows == {t: len(getattr(sample, t)) for t in TABLES}
    assert_same_dataset(read_store(tmp_path / "store"), sample)
    assert [p.name for p in tmp_path.iterdir()] == ["store"]


def test_concurrent_writers_of_one_store_all_use_one(tmp_path, sample):
    start = threading.Barrier(4)
    summaries = []

    def build() -> None:
        start.wait()
        summaries.append(write_store(sample, tmp_path / "store"))

    threads = [threading.Thread(target=build) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(summaries) == 4 and all(s == summaries[0] for s in summaries)
    assert_same_dataset(read_store(tmp_path / "store"), sample)
    assert [p.name for p in tmp_path.iterdir()] == ["store"]


def test_a_folder_holding_something_else_is_not_replaced(tmp_path, sample):
    (tmp_path / "store").mkdir()
    (tmp_path / "store" / "notes.txt").write_text("mine")
    with pytest.raises(OSError):
        write_store(sample, tmp_path / "store")
    assert [p.name for p in (tmp_path / "store").iterdir()] == ["notes.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["store"]


def test_a_failed_write_leaves_nothing(tmp_path, sample, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(cache, "write_meta", broken)
    with pytest.raises(OSError, match="disk full"):
        write_store(sample, tmp_path / "store")
    assert list(tmp_path.iterdir()) == []


def test_a_store_that_refused_a_future_date_goes_stale_on_that_day(tmp_path):
    write(
        tmp_path,
        "incidents.csv",
        """
        incident_id,date,host_country,type,nationality,people,source
        A,2026-11,KAZ,detention,UZB,3,s
        B,2027-01-15,KAZ,detention,UZB,3,s
        C,2027-Q2,KAZ,detention,UZB,3,s
        """,
    )
    data = load(tmp_path / "incidents.csv", today=TODAY)
    assert data.errors["value"].tolist() == ["2027-01-15", "2027-Q2"]
    summary = write_store(data, tmp_path / "store")
    assert summary.stale_from == datetime.date(2027, 1, 15)
    assert is_fresh(tmp_path / "store", pd.Timestamp("2027-01-14"))
    assert not is_fresh(tmp_path / "store", pd.Timestamp("2027-01-15"))


def test_is_fresh(tmp_path, sample):
    assert not is_fresh(tmp_path / "none")
    write_store(sample, tmp_path / "store")
    assert is_fresh(tmp_path / "store")
    assert is_fresh(tmp_path / "store", TODAY)
    meta = tmp_path / "store" / cache.META_FILE
    saved = json.loads(meta.read_text())
    meta.write_text(json.dumps({**saved, "code": "older code"}))
    assert not is_fresh(tmp_path / "store")  # written by other code
    meta.write_text(json.dumps({**saved, "version": cache.STORE_VERSION - 1}))
    assert not is_fresh(tmp_path / "store")
    meta.write_text("{not json")
    assert not is_fresh(tmp_path / "store")


def test_remove_store(tmp_path, sample):
    write_store(sample, tmp_path / "store")
    remove_store(tmp_path / "store")
    assert list(tmp_path.iterdir()) == []
    remove_store(tmp_path / "store")  # already gone
    assert list(tmp_path.iterdir()) == []


def test_read_summary_of_a_folder_without_a_store(tmp_path):
    with pytest.raises(FileNotFoundError):
        read_summary(tmp_path)


def test_problems_keep_their_phrases_in_every_language(tmp_path):
    said = Phrase("problem_follows_too_many", {"total": Number(1024), "held": Number(7)})
    found = [problem("a.csv", said, row=5, column="follows", value="D1", severity="warning")]
    data = Dataset(
        incidents=empty_table("incidents"),
        status=empty_table("status"),
        timeline=empty_table("timeline"),
        problem_table=problem_table(found),
    )
    back = read_store(write_store(data, tmp_path / "store").folder)
    assert back.found == tuple(found)
    assert back.problems_in("ru")["message"].tolist() == data.problems_in("ru")["message"].tolist()
    assert "1\xa0024" in back.problems_in("ru")["message"][0]


def test_the_readme_names_the_cache_folder_and_the_key():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Large files and the data cache", 1)[1].split("\n## ", 1)[0]
    assert f"`${cache.CACHE_ENV}`, else `~/.cache/refugee-stats`" in section
    for library in cache._LIBRARIES:
        assert library.lower() in section.lower()
    for name in [*cache.TABLE_FILES.values(), cache.PROBLEMS_FILE, cache.META_FILE]:
        assert f"`{name}`" in section
