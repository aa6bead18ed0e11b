"""The page's widgets are readable in both themes, measured in the browser (WCAG 2.x).

Outside presentation mode, with "Your data" open: every widget's text against what it is drawn on
(4.5:1) and its non-text parts (3:1: the selected option's fill, input and button edges, a toggle's
track and knob, the slider's thumb, help and list icons), as ``getComputedStyle`` gives them (a
translucent colour, or one under an element's opacity, laid over what is behind it), with
:func:`refugee_stats.contrast.ratio`. A multiselect's open list and a help icon's tooltip are
measured open. The records table is drawn on a canvas: its pixels are read from a screenshot (its
background, the commonest colour, must be the theme's; its text, the commonest colour apart from
it, 4.5:1 against it). The worst ratio per theme is written to screenshots/widgets.json.
"""

from __future__ import annotations

import io
import json
from collections import Counter

import pytest

from refugee_stats import charts, contrast
from tests.browser.conftest import SCREENSHOTS, wait_for_charts, wait_for_rerun

#: Each widget part: (name, "text" or "ui", selector, the colour it shows, where its background
#: starts). The colour is a CSS property of the element ("color" for text; "::placeholder" is the
#: placeholder's colour); the background is looked for from the element itself ("self"), its
#: parent ("parent") or the widget's own box (a selector, for a part drawn beside its box).
SIDE = 'section[data-testid="stSidebar"]'
PARTS = [
    ("widget label", "text", f'{SIDE} [data-testid="stWidgetLabel"] p', "color", "self"),
    ("selected option: text", "text", f'{SIDE} button[role="radio"][aria-checked="true"] p', "color", "self"),
    ("option not selected: text", "text", f'{SIDE} button[role="radio"][aria-checked="false"] p', "color", "self"),
    ("multiselect placeholder", "text", f'{SIDE} [data-testid="stMultiSelect"] input[placeholder]', "::placeholder", "self"),
    ("multiselect chip: text", "text", f'{SIDE} [data-testid="stMultiSelectTagsContainer"] [data-tag] > span', "color", "self"),
    ("slider values", "text", f'{SIDE} [data-testid="stSliderThumbValue"] p', "color", '[data-testid="stSlider"]'),
    ("toggle label", "text", f'{SIDE} [data-testid="stCheckbox"] [data-testid="stWidgetLabel"] p', "color", "self"),
    ("expander title", "text", f'{SIDE} [data-testid="stExpander"] summary p', "color", "self"),
    ("file uploader: instructions", "text", f'{SIDE} [data-testid="stFileUploaderDropzoneInstructions"] span', "color", "self"),
    ("file uploader: button", "text", f'{SIDE} [data-testid="stFileUploaderDropzone"] button p', "color", "self"),
    ("caption", "text", '[data-testid="stCaptionContainer"] p', "color", "self"),
    ("metric label", "text", '[data-testid="stMetricLabel"] p', "color", "self"),
    ("metric value", "text", '[data-testid="stMetricValue"]', "color", "self"),
    ("download button: text", "text", '[data-testid="stDownloadButton"] button p', "color", "self"),
    ("heading", "text", '[data-testid="stMain"] h1', "color", "self"),
    ("selected option: fill", "ui", f'{SIDE} button[role="radio"][aria-checked="true"]', "backgroundColor", "parent"),
    ("option not selected: edge", "ui", f'{SIDE} button[role="radio"][aria-checked="false"]', "borderTopColor", "parent"),
    ("help icon", "ui", '[data-testid="stTooltipIcon"] svg', "stroke", "self"),
    ("multiselect: edge", "ui", f'{SIDE} [data-testid="stMultiSelect"] .react-aria-ComboBox > [role="group"]', "borderTopColor", "parent"),
    ("multiselect: open icon", "ui", f'{SIDE} [data-testid="stMultiSelect"] button[aria-haspopup] svg', "color", "self"),
    ("multiselect chip: fill", "ui", f'{SIDE} [data-testid="stMultiSelectTagsContainer"] [data-tag]', "backgroundColor", "parent"),
    ("slider thumb", "ui", f'{SIDE} [data-testid="stSlider"] div:has(> div > input[type="range"])', "backgroundColor", "parent"),
    ("toggle on: track", "ui", f'{SIDE} [data-testid="stCheckbox"] label:has(input:checked) > div:first-of-type', "backgroundColor", "parent"),
    ("toggle on: knob", "ui", f'{SIDE} [data-testid="stCheckbox"] label:has(input:checked) > div:first-of-type > div', "backgroundColor", "parent"),
    ("toggle off: track", "ui", f'{SIDE} [data-testid="stCheckbox"] label:not(:has(input:checked)) > div:first-of-type', "backgroundColor", "parent"),
    ("toggle off: knob", "ui", f'{SIDE} [data-testid="stCheckbox"] label:not(:has(input:checked)) > div:first-of-type > div', "backgroundColor", "parent"),
    ("expander icon", "ui", f'{SIDE} [data-testid="stExpander"] summary [data-testid="stIconMaterial"]', "color", "self"),
    ("expander: edge", "ui", f'{SIDE} [data-testid="stExpander"] details', "borderTopColor", "parent"),
    ("file uploader: edge", "ui", f'{SIDE} [data-testid="stFileUploaderDropzone"]', "borderTopColor", "parent"),
    ("download button: edge", "ui", '[data-testid="stDownloadButton"] button', "borderTopColor", "parent"),
]  # fmt: skip
#: Measured once opened: a multiselect's list and a help icon's tooltip.
OPEN_PARTS = {
    "list": [
        (
            "open list: option",
            "text",
            '[data-testid="stMultiSelectDropdown"] [role="option"] > div',
            "color",
            "self",
        ),
    ],
    "tooltip": [("tooltip", "text", '[data-testid="stTooltipContent"] p', "color", "self")],
}

#: Per part: the colour shown (with the opacity of the element and its ancestors), and the
#: backgrounds from where it is drawn up to the first opaque one.
READ = """([parts]) => parts.map(([name, kind, selector, property, from]) => {
  const el = [...document.querySelectorAll(selector)].find(e => e.getBoundingClientRect().width > 0);
  if (!el) return {name, kind, missing: selector};
  const colour = property === '::placeholder' ? getComputedStyle(el, '::placeholder').color
                                                : getComputedStyle(el)[property];
  let opacity = 1;
  for (let e = el; e && e.nodeType === 1; e = e.parentElement) opacity *= +getComputedStyle(e).opacity;
  const start = from === 'self' ? el : from === 'parent' ? el.parentElement : el.closest(from);
  const backgrounds = [];
  for (let e = start; e && e.nodeType === 1; e = e.parentElement) {
    const bg = getComputedStyle(e).backgroundColor;
    if (!bg || bg === 'transparent' || bg === 'rgba(0, 0, 0, 0)') continue;
    backgrounds.push(bg);
    if (!bg.startsWith('rgba')) break;
  }
  return {name, kind, colour, opacity, backgrounds};
})"""


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(c):02X}" for c in rgb)


def background(layers: list[str]) -> str:
    """The opaque colour seen behind a part: its backgrounds (innermost first) laid over each other
    on the page's white when none is opaque."""
    seen = "#FFFFFF"
    for layer in reversed(layers):
        seen = _hex(contrast.over(layer, seen))
    return seen


def shown(colour: str, opacity: float, behind: str) -> str:
    """``colour`` under ``opacity``, as it is seen over ``behind``."""
    rgb, alpha = contrast.parse(colour)
    return _hex(contrast.over(f"rgba({rgb[0]}, {rgb[1]}, {rgb[2]}, {alpha * opacity})", behind))


def measured(page, parts: list[tuple]) -> list[dict]:
    """Each part's colour, background and ratio against what it needs."""
    out = []
    for found in page.evaluate(READ, [parts]):
        assert "missing" not in found, f"{found['name']}: nothing matches {found['missing']}"
        behind = background(found["backgrounds"])
        colour = shown(found["colour"], found["opacity"], behind)
        need = contrast.TEXT if found["kind"] == "text" else contrast.MARK
        out.append(
            {**found, "seen": colour, "behind": behind, "ratio": contrast.ratio(colour, behind), "need": need}
        )
    return out


def table_colours(png: bytes) -> tuple[str, str]:
    """The background (commonest colour) and the text (commonest colour at least 1.5:1 from it) of
    a screenshot of a table."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    pixels = Counter(zip(*(image.getchannel(c).tobytes() for c in "RGB"), strict=True))
    back = _hex(pixels.most_common(1)[0][0])
    text = next(_hex(c) for c, _ in pixels.most_common() if contrast.ratio(_hex(c), back) >= 1.5)
    return back, text


@pytest.mark.parametrize("theme", list(charts.THEMES))
def test_every_widget_is_readable(open_page, theme):
    page, traffic = open_page(f"theme={theme}&lang=en", height=1080)
    wait_for_charts(page, 3)
    sidebar = page.locator(SIDE)
    sidebar.get_by_text("Your data").click()
    wait_for_rerun(page)
    found = measured(page, PARTS)
    sidebar.locator('[data-testid="stMultiSelect"] input').first.click()
    page.wait_for_selector('[data-testid="stMultiSelectDropdown"] [role="option"]', timeout=10_000)
    page.wait_for_timeout(600)  # faded in
    found += measured(page, OPEN_PARTS["list"])
    page.keyboard.press("Escape")
    page.locator('[data-testid="stMetric"] [data-testid="stTooltipIcon"]').first.hover()
    page.wait_for_selector('[data-testid="stTooltipContent"] p', timeout=10_000)
    page.wait_for_timeout(600)
    found += measured(page, OPEN_PARTS["tooltip"])
    page.mouse.move(0, 0)

    grid = page.locator('[data-testid="stDataFrameResizable"]').last
    grid.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    back, text = table_colours(grid.screenshot())
    paper = charts.THEMES[theme].paper
    assert contrast.ratio(back, paper) < 1.2, (
        f"the table's background {back} is not the {theme} page's {paper}"
    )
    found.append({"name": "records table: text", "seen": text, "behind": back, "ratio": contrast.ratio(text, back), "need": contrast.TEXT})  # fmt: skip

    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"widgets-{theme}.png", full_page=True)
    for part in found:
        print(
            f"{theme} {part['name']:32} {part['seen']} on {part['behind']}: {part['ratio']:.2f}:1 (needs {part['need']})"
        )
    failures = [
        f"{p['name']}: {p['seen']} on {p['behind']} is {p['ratio']:.2f}:1, needs {p['need']}:1"
        for p in found
        if p["ratio"] < p["need"]
    ]
    _record(theme, found)
    assert not failures, f"{theme} theme:\n" + "\n".join(failures)
    assert traffic.errors == []


def _record(theme: str, found: list[dict]) -> None:
    path = SCREENSHOTS / "widgets.json"
    kept = json.loads(path.read_text()) if path.exists() else {}
    kept[theme] = {
        kind: min(
            (p for p in found if (p["need"] == contrast.TEXT) == (kind == "text")), key=lambda p: p["ratio"]
        )
        for kind in ("text", "ui")
    }
    kept[theme] = {k: {"name": v["name"], "ratio": round(v["ratio"], 2)} for k, v in kept[theme].items()}
    path.write_text(json.dumps(kept, indent=1))
