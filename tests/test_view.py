"""The view in two stages: numbers once (compute), then their text and look for a display (render)."""

from __future__ import annotations

import pandas as pd

from refugee_stats import registry
from refugee_stats.compute import compute, default_filters
from refugee_stats.ingest.dataset import load
from refugee_stats.view import Display, build_view, render
from tests.conftest import ROOT


def sample():
    return load(ROOT / "data")


def test_view_data_carries_no_text_and_render_adds_it():
    data = sample()
    counts = compute(data, default_filters(data), public=True)
    for frame in (
        counts.charts["detentions"]["by_period"],
        counts.charts["map"]["host_country"],
        counts.charts["decisions"]["by_period"],
        counts.charts["nationalities"]["shares"],
    ):
        assert not [c for c in frame.columns if c.endswith("_text")]
        assert "people_hidden" in frame and "people_small" in frame
    en, ru = render(counts, Display("en")), render(counts, Display("ru"))
    assert (
        "people_text" in en.charts["detentions"]["by_period"]
        and "share_text" in en.charts["nationalities"]["shares"]
    )
    # One set of numbers serves both languages: the same counts and the same withheld cells.
    for a, b in (
        (en.charts["detentions"]["by_period"], ru.charts["detentions"]["by_period"]),
        (en.charts["map"]["host_country"], ru.charts["map"]["host_country"]),
        (en.charts["nationalities"]["shares"], ru.charts["nationalities"]["shares"]),
    ):
        pd.testing.assert_frame_equal(
            a.drop(columns=[c for c in a if c.endswith("_text")]),
            b.drop(columns=[c for c in b if c.endswith("_text")]),
        )
    assert en.key_figures is ru.key_figures is counts.key_figures
    assert en.context.subtitle != ru.context.subtitle


def test_build_view_is_compute_then_render():
    data = sample()
    filters = default_filters(data).with_(host_countries=("KAZ",), granularity="quarter")
    direct = build_view(data, filters, locale="ru", theme="dark", presentation=True, public=True)
    staged = render(compute(data, filters, public=True), Display("ru", "dark", True))
    assert direct.key_figure_text == staged.key_figure_text
    for key, chart in direct.charts.items():
        for name, frame in chart.frames.items():
            pd.testing.assert_frame_equal(frame, staged.charts[key][name])
    assert direct.context.theme == "dark" and direct.context.presentation


def test_public_and_open_counts_differ_in_what_is_withheld_only():
    data = sample()
    filters = default_filters(data).with_(host_countries=("KAZ",), nationalities=("UZB",))
    public, open_ = compute(data, filters, public=True), compute(data, filters, public=False)
    assert public.key_figures == open_.key_figures
    assert (
        public.charts["detentions"]["by_period"]["people"].tolist()
        == open_.charts["detentions"]["by_period"]["people"].tolist()
    )
    assert not open_.charts["detentions"]["by_period"]["people_hidden"].any()
    assert public.charts["detentions"]["by_period"][
        "people_small"
    ].any()  # the sample has KAZ/UZB months under 5


def test_view_data_has_one_result_per_registered_chart_and_the_maps():
    data = sample()
    view_data = compute(data, default_filters(data))
    assert set(view_data.charts) == {spec.key for spec in registry.CHARTS} | {"map"}
    # A chart drawn over periods carries the records its period cannot place; the pipeline does not.
    assert {k for k, c in view_data.charts.items() if "unplaced" in c.frames} == {
        "detentions",
        "decisions",
        "nationalities",
    }


def test_render_for_another_display_computes_nothing_again():
    data = sample()
    view_data = compute(data, default_filters(data), public=True)
    light, dark = render(view_data, Display("kk")), render(view_data, Display("kk", "dark", True))
    assert light.data is dark.data is view_data
    assert light.key_figure_text == dark.key_figure_text
    assert (light.context.theme, dark.context.theme, dark.context.presentation) == ("light", "dark", True)
    assert light.context.subtitle == dark.context.subtitle != render(view_data).context.subtitle


def test_compute_reads_the_data_only_through_its_backend(dataset_from):
    """Every number comes from the backend's two answers; the dataset passed beside it is not read."""
    from refugee_stats.compute import PandasBackend

    asked: list[str] = []
    other = dataset_from(
        incidents="""
        incident_id,date,host_country,type,nationality,people,unhcr_refugees,source
        A,2011-03,KGZ,detention,AFG,12,5,Monitor
        """
    )

    class Recording(PandasBackend):
        def select(self, filters):
            asked.append("select")
            return super().select(filters)

        def aggregate(self, selection, filters):
            asked.append("aggregate")
            return super().aggregate(selection, filters)

    data = compute(sample(), default_filters(other), backend=Recording(other))
    assert asked == ["select", "aggregate"]
    assert (data.key_figures.people_detained, data.key_figures.unhcr_refugees) == (12, 5)
    assert data.charts["map"]["host_country"]["host_country"].tolist() == ["KGZ"]
