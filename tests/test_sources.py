"""Where the records come from: a PostgreSQL server answers the dashboard as the files would."""

from __future__ import annotations

from pathlib import Path

import pytest

from refugee_stats import sources
from refugee_stats.ingest.dataset import load
from refugee_stats.sql import postgres
from tests.conftest import metrics, run_app

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
    assert sources.database_version(sample_database) == version + 1


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
