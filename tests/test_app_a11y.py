"""Each chart on the page and on stage is a figure named by its short description, with its long one
under it (refugee_stats.ui.a11y), in the page's language; the modebar's downloads are named.

What a browser makes of it (the accessible name and description, the SVG button) is checked in
tests/browser/test_a11y_browser.py; here, what the app sends (Streamlit's AppTest).
"""

from __future__ import annotations

import html
import json
import re

import pytest

from refugee_stats import describe, handout, registry
from refugee_stats.describe import Description
from refugee_stats.ingest.dataset import load
from refugee_stats.view import build_view
from tests.conftest import ROOT, run_app

#: The element keys of the page's charts and maps, in page order.
PAGE_KEYS = [f"chart-{key}" for key in registry.BY_KEY] + ["map-host_country-page", "map-nationality-page"]


@pytest.fixture(autouse=True)
def _fresh(clear_cache):
    yield


def expected(lang: str, public: bool = False) -> list[Description]:
    """The sample's charts and maps in words, as the page opens (every record, its default period)."""
    sample = load(ROOT / "data")
    view = build_view(sample, handout.whole_data_filters(sample), locale=lang, public=public)
    return [*registry.described(view).values(), *describe.map_descriptions(view).values()]


def long_texts(at) -> dict[str, str]:
    """Each long description the page holds: its id -> its text."""
    out = {}
    for element in at.get("html"):
        for key, text in re.findall(
            r'<p id="(describe-[^"]+)" class="chart-long">(.*?)</p>', element.proto.body
        ):
            out[key] = html.unescape(text)
    return out


def blocks(at) -> list[str]:
    """The blocks of words under the charts (sanitized HTML: not the page script)."""
    return [
        e.proto.body
        for e in at.get("html")
        if not e.proto.unsafe_allow_javascript and e.proto.body.startswith('<div class="chart-words')
    ]


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_every_chart_is_named_and_described_in_the_pages_language(lang):
    at = run_app(lang=lang)
    charts = at.get("plotly_chart")
    words = expected(lang)
    assert len(charts) == len(words) == len(PAGE_KEYS) == 6
    assert [chart.proto.alt for chart in charts] == [w.short for w in words]
    assert long_texts(at) == {f"describe-{key}": w.long for key, w in zip(PAGE_KEYS, words, strict=True)}
    # The short one is the visible caption too, hidden from screen readers (it is the figure's name).
    bodies = blocks(at)
    assert len(bodies) == 6
    for body, w in zip(bodies, words, strict=True):
        [caption] = re.findall(r'<p class="chart-short" aria-hidden="true">(.*?)</p>', body)
        assert html.unescape(caption) == w.short
        assert "<details><summary>" in body


def test_the_script_that_links_them_runs_once_per_page_with_the_titles_in_the_language():
    at = run_app(lang="ru")
    scripts = [e.proto for e in at.get("html") if e.proto.unsafe_allow_javascript]
    assert len(scripts) == 1  # after the charts; the maps' descriptions need no second copy
    body = scripts[0].body
    assert (
        'data-svg-title="Скачать диаграмму в SVG"' in body
        and 'data-png-title="Скачать диаграмму в PNG"' in body
    )
    assert "aria-describedby" in body and "refugee-stats-svg" in body
    # No data in the script (only in the sanitized blocks): nothing from a file can run.
    assert "Узбекистан" not in body and "describe-chart" not in body
    # Every description block is sanitized HTML without a script.
    assert all("<script" not in e.proto.body for e in at.get("html") if not e.proto.unsafe_allow_javascript)


def test_each_chart_saves_under_its_own_name_as_png():
    at = run_app()
    for chart, key in zip(at.get("plotly_chart"), PAGE_KEYS, strict=True):
        config = json.loads(chart.proto.config)
        assert config["toImageButtonOptions"] == {
            "format": "png",
            "scale": 2,
            "filename": f"refugee-stats-{key.removesuffix('-page')}",
        }


def test_on_stage_the_long_description_is_for_screen_readers_only():
    at = run_app(present="1", scene="2", talk="0", lang="ru")
    [chart] = at.get("plotly_chart")
    sample = load(ROOT / "data")
    view = build_view(sample, handout.whole_data_filters(sample), locale="ru", public=True)
    words = registry.described(view)["detentions"]
    assert chart.proto.alt == words.short
    [block] = blocks(at)
    assert block.startswith('<div class="chart-words on-stage"><p id="describe-scene-detentions"')
    assert "<details>" not in block and "chart-short" not in block
    assert long_texts(at) == {"describe-scene-detentions": words.long}


def test_a_chart_that_draws_nothing_is_named_by_its_title(monkeypatch, tmp_path):
    """Quarterly records on a monthly chart: no description, the chart's title names it."""
    (tmp_path / "incidents.csv").write_text(
        "incident_id,date,host_country,type,nationality,people,unhcr_refugees,source\n"
        "Q1,2015-Q1,GBR,detention,ALB,120,,Home Office\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("REFUGEE_STATS_DATA", str(tmp_path))
    at = run_app(period="month")
    names = [chart.proto.alt for chart in at.get("plotly_chart")]
    assert names[:3] == [
        "People detained, by nationality",
        "Refugee-status decisions, revocations emphasised",
        "Nationalities of people detained, share per period",
    ]
    assert names[3].startswith("Flow diagram: 120 people detained")
    assert set(long_texts(at)) == {
        "describe-chart-pipeline",
        "describe-map-host_country-page",
        "describe-map-nationality-page",
    }


def test_descriptions_are_worked_out_once_for_every_session(monkeypatch):
    """Like the figures, the words of a view are shared: a second session (or a rerun) showing the
    same view in the same language does not work them out again; another language does."""
    calls: list[str] = []
    described = registry.described

    def counting(view):
        calls.append(view.lang)
        return described(view)

    monkeypatch.setattr(registry, "described", counting)
    run_app()
    run_app(theme="dark")  # the theme changes how the charts look, not what they say
    run_app(lang="ru")
    assert calls == ["en", "ru"]
