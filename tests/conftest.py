"""Shared test helpers: typed frames from inline CSV text, through the real loader."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pandas as pd
import pytest

from refugee_stats.ingest.dataset import Dataset, load

TODAY = pd.Timestamp("2026-11-26")
ROOT = Path(__file__).resolve().parent.parent


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
