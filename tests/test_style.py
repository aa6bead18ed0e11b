"""The page's look: widget colours of each theme (WCAG contrast from the theme's own colours), the CSS
made of them, and the stage's one-line illustrative banner. The browser tests measure the same on
the drawn page (tests/browser/test_widgets_contrast.py, tests/browser/test_stage.py)."""

from __future__ import annotations

import tomllib

import pytest

from refugee_stats import charts, contrast
from tests.conftest import ROOT

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
