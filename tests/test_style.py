"""The page's look: widget colours of each theme (WCAG contrast from the theme's own colours), the CSS
made of them, and the stage's one-line illustrative banner. The browser tests measure the same on
the drawn page (tests/browser/test_widgets_contrast.py, tests/browser/test_stage.py)."""

from __future__ import annotations

import tomllib

import pytest

from refugee_stats import charts, contrast
from refugee_stats.ui import style
from tests.conftest import ROOT, run_app

WHITE = "#FFFFFF"


@pytest.mark.parametrize("theme", list(charts.THEMES))
def test_widget_colours_meet_wcag_against_their_theme(theme):
    c = charts.THEMES[theme]
    ratios = {
        "edge on paper": (contrast.ratio(c.edge, c.paper), contrast.MARK),
        "edge on the fill": (contrast.ratio(c.edge, c.surface), contrast.MARK),
        "accent on paper": (contrast.ratio(c.accent, c.paper), contrast.MARK),
        "white text on the accent": (contrast.ratio(WHITE, c.accent), contrast.TEXT),
        "white knob on the edge (a toggle off)": (contrast.ratio(WHITE, c.edge), contrast.MARK),
        "link on paper": (contrast.ratio(c.link, c.paper), contrast.TEXT),
        "text on the fill": (contrast.ratio(c.text, c.surface), contrast.TEXT),
        "muted text on the fill": (contrast.ratio(c.muted, c.surface), contrast.TEXT),
    }
    failing = {name: round(r, 2) for name, (r, need) in ratios.items() if r < need}
    assert not failing, f"{theme}: {failing}"


def test_the_accent_is_streamlits_primary_colour_in_both_themes():
    """Streamlit draws the slider's track and the chips in ``primaryColor`` whatever the theme: one
    colour, 3:1 on white and on black."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    accents = {t.accent for t in charts.THEMES.values()}
    assert accents == {config["theme"]["primaryColor"].upper()}
    for background in ("#FFFFFF", "#000000"):
        assert contrast.ratio(config["theme"]["primaryColor"], background) >= contrast.MARK


@pytest.mark.parametrize(
    ("theme", "present", "has", "lacks"),
    [
        ("light", False, ["#1E73C8", "#767676"], ["#1E1E1E", "100vh", "invert(1)"]),
        ("dark", False, ["#1E73C8", "#8C8C8C", "#1E1E1E", "invert(1)", "#88CCEE"], ["100vh"]),
        ("dark", True, ["#1E1E1E", "100vh", "height: 100vh"], []),
        ("light", True, ["100vh", "display: none"], ["#1E1E1E"]),
    ],
)
def test_css_carries_the_themes_colours_and_the_stage_layout(theme, present, has, lacks):
    css = style.css(theme, present)
    assert css.startswith("<style>") and css.endswith("</style>")
    for text in has:
        assert text in css, text
    for text in lacks:
        assert text not in css, text


@pytest.mark.usefixtures("clear_cache")
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            {"lang": "en"},
            "**Illustrative data in view.** 246 of the records shown are made up for demonstration and "
            "are marked ILLUSTRATIVE on every chart. Switch off “Include illustrative sample records” "
            "to see real records only.",
        ),
        (
            {"lang": "en", "present": "1", "talk": "0", "scene": "2"},
            "**Illustrative data in view:** 246 of the records shown are made up for demonstration; "
            "every chart is marked ILLUSTRATIVE DATA.",
        ),
        (
            {"lang": "ru", "present": "1", "talk": "0", "scene": "2"},
            "**Иллюстративные данные:** 246 из показанных записей придуманы для демонстрации; каждый "
            "график помечен «ИЛЛЮСТРАТИВНЫЕ ДАННЫЕ».",
        ),
    ],
)
def test_the_banner_says_illustrative_data_plainly_on_stage_in_one_line(monkeypatch, query, expected):
    monkeypatch.delenv("REFUGEE_STATS_DATA", raising=False)
    at = run_app(**query)
    assert [w.value for w in at.warning] == [expected]
