"""WCAG 2.x contrast: relative luminance and contrast ratio of the colours figures and the page use.

https://www.w3.org/TR/WCAG21/#dfn-relative-luminance and #dfn-contrast-ratio. Text needs
:data:`TEXT` (4.5:1, success criterion 1.4.3), chart marks and icons :data:`MARK` (3:1, 1.4.11)
against what they are drawn on. A translucent colour (``rgba(...)``) is first laid over its
background, as the browser paints it. No dependency of the project computes this, hence ten lines.
"""

from __future__ import annotations

import re

#: Minimum ratio for text (WCAG 2.x, 1.4.3 level AA).
TEXT = 4.5
#: Minimum ratio for graphical objects: chart marks, icons, a widget's state (1.4.11).
MARK = 3.0

RGB = tuple[float, float, float]
_RGBA = re.compile(r"rgba?\(\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)\s*(?:,\s*([\d.]+)\s*)?\)")


def parse(colour: str) -> tuple[RGB, float]:
    """``#RGB``, ``#RRGGBB``, ``#RRGGBBAA``, ``rgb(r, g, b)`` or ``rgba(r, g, b, a)`` as (0-255 channels, alpha)."""
    text = colour.strip()
    if text.startswith("#"):
        digits = text[1:]
        if len(digits) in (3, 4):
            digits = "".join(d * 2 for d in digits)
        if len(digits) not in (6, 8):
            raise ValueError(f"not a colour: {colour!r}")
        channels = [int(digits[i : i + 2], 16) for i in range(0, len(digits), 2)]
        alpha = channels[3] / 255 if len(channels) == 4 else 1.0
        return (float(channels[0]), float(channels[1]), float(channels[2])), alpha
    match = _RGBA.fullmatch(text.lower())
    if not match:
        raise ValueError(f"not a colour: {colour!r}")
    red, green, blue, alpha = match.groups()
    return (float(red), float(green), float(blue)), 1.0 if alpha is None else float(alpha)


def over(colour: str, background: str) -> RGB:
    """``colour`` as seen laid over the opaque ``background`` (alpha compositing)."""
    (fg, alpha), (bg, _) = parse(colour), parse(background)
    return (
        fg[0] * alpha + bg[0] * (1 - alpha),
        fg[1] * alpha + bg[1] * (1 - alpha),
        fg[2] * alpha + bg[2] * (1 - alpha),
    )


def luminance(rgb: RGB) -> float:
    """WCAG relative luminance of 0-255 sRGB channels: 0 for black, 1 for white."""
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (v / 255 for v in rgb)]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def ratio(colour: str, background: str) -> float:
    """The contrast ratio (1 to 21) of ``colour`` (translucent or not) drawn on ``background``."""
    darker, lighter = sorted((luminance(over(colour, background)), luminance(over(background, background))))
    return (lighter + 0.05) / (darker + 0.05)
