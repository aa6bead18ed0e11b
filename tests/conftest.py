"""Shared test helpers: typed frames from inline CSV text, through the real loader."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pandas as pd
import pytest

from refugee_stats.filters import Filters
from refugee_stats.ingest.dataset import Dataset, load

TODAY = pd.Timestamp("2026-11-26")
#: The founding case: Kazakhstan, Uzbek nationals, 2010, real records only.
FOUNDING_CASE = Filters(
    host_countries=("KAZ",),
    nationalities=("UZB",),
    date_from="2010-01",
    date_to="2010-12",
    include_illustrative=False,
)
ROOT = Path(__file__).resolve().parent.parent
DASHBOARD = str(ROOT / "dashboard.py")


def shown(markdown: str) -> str:
    """What a reader sees of escaped markdown: the text without its backslash escapes and word joiners."""
    import re

    return re.sub(r"\\(.)", r"\1", markdown.replace("\u2060", ""))


def write(folder: Path, name: str, text: str) -> Path:
    """Write dedented CSV text to ``folder/name``."""
    path = folder / name
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


@pytest.fixture
def dataset_from(tmp_path: Path):
    """Build a Dataset from inline CSV texts: ``dataset_from(incidents=..., status=..., timeline=...)``."""

    def build(**texts: str) -> Dataset:
        for table, text in texts.items():
            write(tmp_path, f"{table}.csv", text)
        data = load(tmp_path, today=TODAY)
        assert data.problems.empty, data.problems.to_string()
        return data

    return build


@pytest.fixture
def clear_cache():
    """Streamlit's caches emptied before and after a dashboard test (they outlive one AppTest)."""
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


def run_app(**query: str):
    """The dashboard run once in Streamlit's AppTest with ``query`` as its link, without an exception."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def metrics(at) -> dict[str, str]:
    """The key figures an app shows: label -> value."""
    return {m.label: m.value for m in at.metric}


@pytest.fixture(scope="session")
def playwright_driver():
    """One Playwright driver for the whole session (the browser tests and the handout's): a second
    sync driver cannot start beside the first."""
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("needs Debian's chromium at /usr/bin/chromium: run `apt-get install chromium` (CI does)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="needs playwright: run `uv sync`")
    with sync_api.sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def postgres_server():
    """The address of a PostgreSQL server the tests may create databases on: $REFUGEE_STATS_TEST_DATABASE
    (CI starts one: .ci/run), else a throwaway cluster started here from Debian's binaries; skipped
    without them, unless $REFUGEE_STATS_REQUIRE_POSTGRES=1 (CI), where that is a failure."""
    import os

    from tools import pg_cluster

    given = os.environ.get(pg_cluster.TEST_DATABASE_ENV)
    if given:
        yield given
        return
    if pg_cluster.binaries() is None:
        if os.environ.get("REFUGEE_STATS_REQUIRE_POSTGRES") == "1":
            pytest.fail("PostgreSQL tests are required here: apt-get install postgresql")
        pytest.skip(
            "needs a PostgreSQL server: apt-get install postgresql (CI does), or set REFUGEE_STATS_TEST_DATABASE"
        )
    import shutil
    import tempfile

    # Not under pytest's folder: as root the server runs as ``postgres``, who cannot enter root's.
    folder = Path(tempfile.mkdtemp(prefix="refugee-stats-pg-"))
    url = pg_cluster.start(folder)
    try:
        yield url
    finally:
        pg_cluster.stop(folder)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server, request):
    """A new, empty database on the test server, dropped after the test: its address."""
    import re
    import uuid

    import psycopg

    name = "t_" + re.sub(r"\W", "_", request.node.name.lower())[:40] + "_" + uuid.uuid4().hex[:8]
    with psycopg.connect(postgres_server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = postgres_server.rpartition("/")
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(postgres_server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
