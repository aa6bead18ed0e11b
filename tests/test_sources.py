"""Where the records come from: a PostgreSQL server answers the dashboard as the files would."""

from __future__ import annotations

from pathlib import Path

import pytest

from refugee_stats import sources
from refugee_stats.ingest.dataset import load
from refugee_stats.sql import postgres
from tests.conftest import FOUNDING_CASE, metrics, run_app

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def sample_database(postgres_url, monkeypatch):
    postgres.load(postgres.connect(postgres_url), load(ROOT / "data"), what="the bundled sample")
    monkeypatch.setenv(postgres.DATABASE_ENV, postgres_url)
    return postgres_url


def test_the_dashboard_on_a_database_shows_what_the_files_show(sample_database, monkeypatch):
    on_server = run_app(
        host="KAZ", nationality="UZB", illustrative="0", **{"from": "2010-01", "to": "2010-12"}
    )
    server_figures = metrics(on_server)
    monkeypatch.delenv(postgres.DATABASE_ENV)
    from_files = run_app(
        host="KAZ", nationality="UZB", illustrative="0", **{"from": "2010-01", "to": "2010-12"}
    )
    assert server_figures == metrics(from_files)
    assert server_figures["People detained"] == "29"
    # Every chart is drawn from the server's numbers, with the records' table.
    assert len(on_server.get("plotly_chart")) == len(from_files.get("plotly_chart")) > 0
    assert [len(d.value) for d in on_server.dataframe] == [len(d.value) for d in from_files.dataframe]


def test_a_new_load_is_seen_by_the_next_run(sample_database):
    at = run_app()
    before = metrics(at)["People detained"]
    con = postgres.connect(sample_database)
    version = postgres.version(con)
    postgres.load(con, load(ROOT / "data"), replace=True, what="again")
    assert postgres.version(con) == version + 1
    at.run()
    assert metrics(at)["People detained"] == before  # the same records, read again (a new version)
    assert sources.VersionProbe(sample_database).version() == version + 1
    assert sources.VersionProbe("postgresql://nobody@127.0.0.1:1/none").version() is None


def test_a_database_that_cannot_be_read_is_a_problem_not_a_crash(monkeypatch):
    monkeypatch.setenv(postgres.DATABASE_ENV, "postgresql://reader:secret@127.0.0.1:1/none")
    at = run_app(lang="ru")
    text = " ".join(str(e.value) for e in at.error) + " ".join(str(d.value.to_string()) for d in at.dataframe)
    assert "не удаётся прочитать базу данных" in text
    assert "secret" not in text and "reader:***@127.0.0.1:1/none" in text


def test_the_server_address_never_shows_its_password():
    assert postgres.redacted("postgresql://app:s3cr3t@db:5432/cases") == "postgresql://app:***@db:5432/cases"
    assert postgres.redacted("postgresql://app@db/cases") == "postgresql://app@db/cases"
    with pytest.raises(ValueError, match="not a PostgreSQL address"):
        postgres.connect("mysql://app:s3cr3t@db/cases")


# -- files answered by DuckDB, through their store -----------------------------------------------


@pytest.fixture
def cache(tmp_path, monkeypatch):
    from refugee_stats.store.cache import CACHE_ENV

    folder = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(folder))
    return folder


def test_files_past_the_threshold_or_asked_for_are_answered_by_duckdb(cache, monkeypatch):
    from refugee_stats.compute import PandasBackend, compute
    from refugee_stats.sql import SqlBackend
    from tests.test_backends import cases, same_view

    sample = load(ROOT / "data")
    assert sources.chosen_backend([ROOT / "data"]) == "pandas"  # 30 KB of CSV
    monkeypatch.setattr(sources, "DUCKDB_ABOVE_BYTES", 10_000)
    assert sources.chosen_backend([ROOT / "data"]) == "duckdb"
    monkeypatch.setenv(sources.BACKEND_ENV, "pandas")
    assert sources.chosen_backend([ROOT / "data"]) == "pandas"  # the variable wins
    monkeypatch.setenv(sources.BACKEND_ENV, "duckdb")
    stored = sources.open_files([str(ROOT / "data")])
    assert isinstance(stored.backend, SqlBackend) and stored.incidents.empty  # nothing held in memory
    assert [p for p in cache.iterdir() if p.is_dir()]  # the store, kept in the cache
    assert stored.problems.equals(sample.problems) and stored.timeline.equals(sample.timeline)
    for filters in cases(sample)[:6]:
        same_view(compute(sample, filters, public=True), compute(stored, filters, public=True))
    assert PandasBackend(sample).codes("nationality") == stored.backend.codes("nationality")
    again = sources.open_files([str(ROOT / "data")])  # the store is read, not made again
    assert again.files == stored.files


def test_a_store_folder_is_opened_as_it_is(cache, monkeypatch, tmp_path):
    from refugee_stats.compute import compute
    from refugee_stats.store.cache import write_store

    sample = load(ROOT / "data")
    folder = tmp_path / "store"
    write_store(sample, folder)
    assert sources.is_store(folder) and not sources.is_store(ROOT / "data")
    assert sources.chosen_backend([folder]) == "duckdb"
    opened = sources.open_files([str(folder)])
    assert compute(opened, FOUNDING_CASE).key_figures == compute(sample, FOUNDING_CASE).key_figures
    monkeypatch.setenv(sources.BACKEND_ENV, "pandas")  # read into memory instead
    in_memory = sources.open_files([str(folder)])
    assert in_memory.backend is None and len(in_memory.incidents) == len(sample.incidents)


def test_the_dashboard_on_duckdb_shows_what_pandas_shows(cache, monkeypatch):
    query = {"host": "KAZ", "nationality": "UZB", "illustrative": "0", "from": "2010-01", "to": "2010-12"}
    on_pandas = metrics(run_app(**query))
    monkeypatch.setenv(sources.BACKEND_ENV, "duckdb")
    at = run_app(**query)
    assert metrics(at) == on_pandas and on_pandas["People detained"] == "29"
    assert len(at.dataframe) >= 1  # the records table, fetched by SQL


def test_records_too_many_to_download_are_said_not_offered(monkeypatch):
    from refugee_stats import ui

    labels = [b.label for b in run_app().get("download_button")]
    assert "Records in view (CSV)" in labels
    monkeypatch.setattr(ui, "RECORDS_DOWNLOAD_LIMIT", 100)  # the sample's 248 records are then too many
    at = run_app(lang="ru")
    assert "Записи в выборке (CSV)" not in [b.label for b in at.get("download_button")]
    said = [c.value for c in at.caption if "248" in c.value]
    assert said and "100" in said[0]
