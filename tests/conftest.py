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
