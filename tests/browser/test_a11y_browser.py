"""What a screen reader gets of each chart on the page, in chromium: a figure named by its short
description and described by its long one (aria-describedby), in English and Russian, also after a
language switch; and the modebar's SVG download beside the PNG one."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from refugee_stats import describe, handout, registry
from refugee_stats.describe import Description
from refugee_stats.ingest.dataset import load
from tests.browser.conftest import ROOT, wait_for_charts, wait_for_rerun


def expected(lang: str) -> list[Description]:
    """The sample's charts and maps in words, as the page opens (every record, its default period)."""
    from refugee_stats.view import build_view

    sample = load(ROOT / "data")
    view = build_view(sample, handout.whole_data_filters(sample), locale=lang)
    return [*registry.described(view).values(), *describe.map_descriptions(view).values()]


def assert_described(page, lang: str) -> None:
    words = expected(lang)
    expect(page.get_by_role("figure")).to_have_count(len(words))
    for w in words:
        figure = page.get_by_role("figure", name=w.short, exact=True)
        expect(figure).to_have_count(1)
        expect(figure).to_have_accessible_description(w.long, timeout=15_000)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_every_chart_is_a_figure_with_its_name_and_description(open_page, lang):
    page, traffic = open_page(f"lang={lang}")
    wait_for_charts(page, 6)
    assert_described(page, lang)
    # The long description is in the page for everyone, folded under the chart's caption.
    fold = page.locator(".chart-words details").first
    expect(fold.locator("summary")).to_have_text(
        {"en": "The chart in words", "ru": "Диаграмма словами"}[lang]
    )
    fold.locator("summary").click()
    expect(fold.locator("p.chart-long")).to_have_text(expected(lang)[0].long)
    assert traffic.non_local() == [] and traffic.errors == []


def test_a_language_switch_renames_and_redescribes_every_chart(open_page):
    """Streamlit draws the charts again on a switch: the page script links them again."""
    page, traffic = open_page()
    wait_for_charts(page, 6)
    assert_described(page, "en")
    page.locator("[data-testid='stSidebar']").get_by_text("Русский", exact=True).click()
    wait_for_rerun(page)
    wait_for_charts(page, 6)
    assert_described(page, "ru")
    figure = page.get_by_role("figure").first
    figure.hover()
    expect(figure.get_by_role("button", name="Скачать диаграмму в SVG")).to_have_count(1)
    expect(figure.get_by_role("button", name="Скачать диаграмму в PNG")).to_have_count(1)
    assert traffic.errors == []


def test_the_modebar_downloads_svg_as_well_as_png(open_page):
    page, traffic = open_page()
    wait_for_charts(page, 6)
    figures = page.get_by_role("figure")
    for index, name in ((0, "chart-detentions"), (5, "map-nationality")):
        figure = figures.nth(index)
        figure.scroll_into_view_if_needed()
        figure.hover()
        with page.expect_download() as svg:
            figure.get_by_role("button", name="Download plot as SVG").click()
        assert svg.value.suggested_filename == f"refugee-stats-{name}.svg"
        text = Path(svg.value.path()).read_text(encoding="utf-8")
        assert text.startswith("<svg") and text.rstrip().endswith("</svg>")
        assert "http://" not in text.replace("http://www.w3.org/", "")  # nothing fetched to draw it
        with page.expect_download() as png:
            figure.get_by_role("button", name="Download plot as PNG").click()
        assert png.value.suggested_filename == f"refugee-stats-{name}.png"
        assert Path(png.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # One SVG button per chart, beside the camera.
    assert page.locator(".modebar-btn.refugee-stats-svg").count() == 6
    assert traffic.non_local() == [] and traffic.errors == []
