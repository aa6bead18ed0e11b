"""The view in two steps: numbers once (count_view), then their text in a language (localise)."""

from __future__ import annotations

import pandas as pd

from refugee_stats.ingest.dataset import load
from refugee_stats.view import build_view, count_view, default_filters, localise
from tests.conftest import ROOT


def sample():
    return load(ROOT / "data")


def test_counts_carry_no_text_and_localise_adds_it():
    data = sample()
    counts = count_view(data, default_filters(data), public=True)
    for frame in (counts.detentions, counts.hosts, counts.decisions, counts.shares):
        assert not [c for c in frame.columns if c.endswith("_text")]
        assert "people_hidden" in frame and "people_small" in frame
    en, ru = localise(counts, "en"), localise(counts, "ru")
    assert "people_text" in en.detentions and "share_text" in en.shares
    # One set of numbers serves both languages: the same counts and the same withheld cells.
    for a, b in ((en.detentions, ru.detentions), (en.hosts, ru.hosts), (en.shares, ru.shares)):
        pd.testing.assert_frame_equal(
            a.drop(columns=[c for c in a if c.endswith("_text")]),
            b.drop(columns=[c for c in b if c.endswith("_text")]),
        )
    assert en.figures is ru.figures is counts.figures
    assert en.context.subtitle != ru.context.subtitle


def test_build_view_is_count_then_localise():
    data = sample()
    filters = default_filters(data).with_(host_countries=("KAZ",), granularity="quarter")
    direct = build_view(data, filters, locale="ru", theme="dark", presentation=True, public=True)
    staged = localise(count_view(data, filters, public=True), "ru", "dark", True)
    assert direct.figure_text == staged.figure_text
    for name in ("detentions", "detention_totals", "decisions", "shares", "hosts", "nationalities"):
        pd.testing.assert_frame_equal(getattr(direct, name), getattr(staged, name))
    assert direct.context.theme == "dark" and direct.context.presentation


def test_public_and_open_counts_differ_in_what_is_withheld_only():
    data = sample()
    filters = default_filters(data).with_(host_countries=("KAZ",), nationalities=("UZB",))
    public, open_ = count_view(data, filters, public=True), count_view(data, filters, public=False)
    assert public.figures == open_.figures
    assert public.detentions["people"].tolist() == open_.detentions["people"].tolist()
    assert not open_.detentions["people_hidden"].any()
    assert public.detentions["people_small"].any()  # the sample has KAZ/UZB months under 5
