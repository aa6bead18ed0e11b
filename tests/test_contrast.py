"""WCAG contrast of what the figures draw, measured from the colours the figures carry.

Every chart and map of the sample, in both themes (and in public mode, where withheld counts are
hatched), is walked: each trace's mark colours against the plot background (and against a
timeline band's fill, which bars are drawn over), each text colour of the layout, the template
and the annotations against what it sits on. Marks need 3:1, text 4.5:1 (the watermark, large
text, 3:1). A failure names the figure, the element, the colours and the ratio.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

import pytest

from refugee_stats import charts, contrast, maps
from refugee_stats.filters import Filters
from refugee_stats.ingest.dataset import load
from refugee_stats.registry import figures
from refugee_stats.view import build_view, map_figures
from tests.conftest import TODAY

THEMES = tuple(charts.THEMES)


@pytest.mark.parametrize(
    ("colour", "background", "expected"),
    [
        ("#000000", "#FFFFFF", 21.0),
        ("#FFFFFF", "#000000", 21.0),  # symmetric
        ("#777777", "#FFFFFF", 4.48),  # the classic grey just under 4.5:1
        ("#767676", "#FFFFFF", 4.54),  # ... and the one just over
        ("#FFFFFF", "#FFFFFF", 1.0),
        ("#F00", "#FFFFFF", 4.0),  # short hex; pure red on white is 3.998
        ("rgb(0, 0, 255)", "#FFFFFF", 8.59),
        ("#808080", "#FFFFFF", 3.95),
        ("rgba(0,0,0,0.5)", "#FFFFFF", 3.98),  # half black over white: channels of 127.5
        ("#00000080", "#FFFFFF", 4.00),  # alpha 128/255 over white: channels of 127
    ],
)
def test_contrast_ratio_by_hand(colour, background, expected):
    assert contrast.ratio(colour, background) == pytest.approx(expected, abs=0.01)


def test_luminance_by_hand():
    assert contrast.luminance((0, 0, 0)) == 0.0
    assert contrast.luminance((255, 255, 255)) == pytest.approx(1.0)
    # #808080: (128/255 + 0.055) / 1.055 raised to 2.4
    assert contrast.luminance((128, 128, 128)) == pytest.approx(0.2158605, abs=1e-6)
    assert contrast.over("rgba(255,255,255,0.25)", "#000000") == pytest.approx((63.75, 63.75, 63.75))


@pytest.mark.parametrize("bad", ["", "red", "#12345", "rgb(1,2)", "hsl(0,0%,0%)"])
def test_unparsable_colours_are_refused(bad):
    with pytest.raises(ValueError, match="not a colour"):
        contrast.parse(bad)


@dataclass(frozen=True)
class Check:
    figure: str
    element: str
    colour: str
    background: str
    minimum: float

    @property
    def ratio(self) -> float:
        return contrast.ratio(self.colour, self.background)

    def __str__(self) -> str:
        return (
            f"{self.figure}: {self.element} {self.colour} on {self.background} "
            f"is {self.ratio:.2f}:1, needs {self.minimum}:1"
        )


@cache
def sample_figures(theme: str, public: bool) -> dict[str, Any]:
    view = build_view(load(today=TODAY), Filters(), theme=theme, public=public)
    return {**figures(view), **{f"map_{by}": fig for by, fig in map_figures(view).items()}}


def _opaque(colour: str, background: str) -> str:
    red, green, blue = (round(c) for c in contrast.over(colour, background))
    return f"#{red:02X}{green:02X}{blue:02X}"


def _setting(fig: Any, *path: str) -> Any:
    """A layout setting as plotly resolves it: the figure's own, else its template's."""
    for root in (fig.layout.to_plotly_json(), fig.layout.template.layout.to_plotly_json()):
        value: Any = root
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        if value is not None:
            return value
    return None


def _colours(value: Any) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else [c for c in value if isinstance(c, str)]


def _fonts(tree: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """(path, colour) of every font colour in a layout's JSON, annotations aside."""
    if isinstance(tree, dict):
        for key, value in tree.items():
            if key == "annotations":
                continue
            if key.endswith("font") and isinstance(value, dict) and isinstance(value.get("color"), str):
                yield f"{path}{key}", value["color"]
            yield from _fonts(value, f"{path}{key}.")
    elif isinstance(tree, list):
        for i, value in enumerate(tree):
            yield from _fonts(value, f"{path}{i}.")


def checks(name: str, fig: Any) -> Iterator[Check]:
    paper = _setting(fig, "paper_bgcolor")
    plot = _setting(fig, "plot_bgcolor")
    default_text = _setting(fig, "font", "color")
    bands = [
        s
        for s in fig.layout.shapes
        if s.type == "rect" and s.name and s.name.startswith("timeline") and s.fillcolor
    ]
    band_fill = _opaque(bands[0].fillcolor, plot) if bands else None

    def mark(element: str, colour: str, background: str = plot) -> Iterator[Check]:
        yield Check(name, element, colour, background, contrast.MARK)
        if band_fill and background == plot:  # bars and lines are drawn over the timeline's bands
            yield Check(name, f"{element} over a period band", colour, band_fill, contrast.MARK)

    # Marks: every trace's colours.
    for trace in fig.data:
        label = f"{trace.type} '{trace.name}'"
        if trace.type == "bar":
            for colour in _colours(trace.marker.color):
                yield from mark(f"{label} bar", colour)
            shapes = _colours(trace.marker.pattern.shape)
            if any(shapes):
                hatch = trace.marker.pattern.fgcolor or trace.marker.color
                for colour in _colours(hatch):
                    yield from mark(f"{label} hatch of withheld counts", colour)
        elif trace.type == "scatter" and trace.visible is not False:
            yield from mark(f"{label} line", trace.line.color)
            for colour in _colours(trace.marker.color):
                yield from mark(f"{label} marker", colour)
        elif trace.type == "sankey":
            # The links are translucent; the nodes carry the counts and must pass on the paper.
            for colour, node in zip(trace.node.color, trace.node.label, strict=True):
                yield Check(name, f"pipeline node {node.split('<br>')[0]!r}", colour, paper, contrast.MARK)
            yield Check(name, "pipeline labels", trace.textfont.color, paper, contrast.TEXT)
        elif trace.type == "choropleth":
            scale = fig.layout.coloraxis.colorscale or trace.colorscale
            lowest = scale[0][1]
            land, water = fig.layout.geo.landcolor, fig.layout.geo.oceancolor
            yield Check(name, "lowest colour of the scale on land", lowest, land, contrast.MARK)
            yield Check(name, "lowest colour of the scale by the water", lowest, water, contrast.MARK)
            yield Check(name, "country border", trace.marker.line.color, land, contrast.MARK)
            yield Check(name, "borders without data", fig.layout.geo.countrycolor, land, contrast.MARK)
    # Timeline: day lines and band edges on the plot.
    for shape in fig.layout.shapes:
        if shape.line.width == 0:
            continue
        what = "period band edge" if shape.type == "rect" else "event line"
        yield Check(name, f"{what} {shape.name}", shape.line.color, plot, contrast.MARK)
    # Text: every font colour of the layout and its template...
    for tree in (fig.layout.to_plotly_json(), fig.layout.template.layout.to_plotly_json()):
        for path, colour in _fonts(tree):
            if path.startswith("hoverlabel"):
                continue  # drawn on the hovered mark's own colour, by plotly
            for background in {paper, plot}:
                yield Check(name, f"text {path}", colour, background, contrast.TEXT)
    # ...and of every annotation, on its own background when it has one.
    for annotation in fig.layout.annotations:
        colour = annotation.font.color or default_text
        background = _opaque(annotation.bgcolor, plot) if annotation.bgcolor else plot
        if annotation.name == "watermark":  # large text: 3:1 (WCAG 1.4.3)
            yield Check(name, "watermark", _opaque(colour, plot), plot, contrast.MARK)
        else:
            yield Check(name, f"annotation {annotation.name or annotation.text!r}", colour, background, 4.5)


@pytest.mark.parametrize("public", [False, True], ids=["all", "public"])
@pytest.mark.parametrize("theme", THEMES)
def test_every_mark_and_text_of_every_figure_passes(theme, public):
    found = [c for name, fig in sample_figures(theme, public).items() for c in checks(name, fig)]
    failures = [str(c) for c in found if c.ratio < c.minimum]
    assert not failures, f"{len(failures)} colours below WCAG contrast in the {theme} theme:\n" + "\n".join(
        failures
    )
    # The walk reached every kind of element (a walk that found nothing would pass vacuously).
    elements = " | ".join(c.element for c in found)
    for kind in ("bar", "pipeline node", "lowest colour of the scale", "period band", "watermark", "text "):
        assert kind in elements, f"no {kind!r} checked in the {theme} theme"
    if public:
        assert "hatch of withheld counts" in elements


def test_band_fill_is_visible_yet_faint_enough_for_the_marks_over_it():
    """A band's fill is a tint (about 1.1:1); its edges carry the 3:1, and the marks keep 3:1 on it."""
    for theme, colours in charts.THEMES.items():
        fill = contrast.ratio(colours.band, colours.plot)
        assert 1.08 <= fill < 1.5, (theme, fill)
        assert contrast.ratio(colours.band_edge, colours.plot) >= contrast.MARK, theme


# Colour-vision deficiency: Machado, Oliveira and Fernandes (2009), severity 1, on linear sRGB.
_CVD = {
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
    "tritanopia": (
        (1.255528, -0.076749, -0.178779),
        (-0.078411, 0.930809, 0.147602),
        (0.004733, 0.691367, 0.303900),
    ),
}


def _lab(colour: str, vision: str) -> tuple[float, float, float]:
    """CIELAB (D65) of ``colour`` as seen with ``vision`` ("normal" or a key of :data:`_CVD`)."""
    rgb = [
        c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
        for c in (v / 255 for v in contrast.parse(colour)[0])
    ]
    if vision in _CVD:
        rgb = [min(1.0, max(0.0, sum(m * c for m, c in zip(row, rgb, strict=True)))) for row in _CVD[vision]]
    x = (0.4124 * rgb[0] + 0.3576 * rgb[1] + 0.1805 * rgb[2]) / 0.95047
    y = 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]
    z = (0.0193 * rgb[0] + 0.1192 * rgb[1] + 0.9505 * rgb[2]) / 1.08883
    fx, fy, fz = (t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116 for t in (x, y, z))
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


#: Smallest colour difference (CIE76 delta E) between two colours of a set, in every vision.
#: Tol's muted scheme, drawn for this, reaches 15.6; 12 is still plainly apart for filled bars.
DISTINCT = 12.0


@pytest.mark.parametrize(
    "name",
    [*(f"palette-{t}" for t in THEMES), *(f"decisions-{t}" for t in THEMES), *(f"map-{t}" for t in THEMES)],
)
def test_mark_colours_stay_apart_for_colour_blind_viewers(name):
    kind, theme = name.split("-")
    colours = {
        "palette": list(charts.PALETTES[theme]),
        "decisions": list(charts.DECISION_COLOURS[theme].values()),
        # A sequential scale only needs neighbours apart at its ends and middle.
        "map": [c for _, c in maps.COLOURSCALES[theme]][::2],
    }[kind]
    for vision in ("normal", *_CVD):
        for a, b in itertools.combinations(colours, 2):
            difference = math.dist(_lab(a, vision), _lab(b, vision))
            assert difference >= DISTINCT, f"{name}: {a} and {b} differ by {difference:.1f} with {vision}"


def test_each_theme_has_its_own_marks():
    """The two themes differ where one theme's colour would fail on the other's background."""
    for colour in charts.PALETTES["light"]:
        assert contrast.ratio(colour, charts.THEMES["light"].plot) >= contrast.MARK
    assert contrast.ratio(charts.PALETTES["light"][0], charts.THEMES["dark"].plot) < contrast.MARK
    assert charts.PALETTES["light"] != charts.PALETTES["dark"]
