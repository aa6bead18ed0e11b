"""Charts a screen reader can read, and download as SVG as well as PNG.

Each chart on the page is a figure named by its short description and described by its long
one (:class:`refugee_stats.describe.Description`):

* ``st.plotly_chart(alt=...)`` (Streamlit 1.67) gives the chart's element ``role="figure"``
  and ``aria-label`` (the short description): the accessible name, without any script.
* Under the chart, one ``st.html`` block (sanitized, no script): the short description as the
  visible caption (``aria-hidden``: it is the figure's name already) and the long one in a
  ``<details>`` fold, ``id="describe-<key>"``. On stage the long one is visually hidden.
* Streamlit cannot set ``aria-describedby`` on a chart, and its plotly config is JSON, which
  cannot carry a custom modebar button (plotly.js wants a ``click`` function). One static
  script (``charts.js``, run by ``st.html(unsafe_allow_javascript=True)``; it holds no data)
  links each chart to its long description and adds an SVG button beside the camera (PNG).

Only this module and :mod:`refugee_stats.ui` know how; :func:`chart` is what they call.
"""

from __future__ import annotations

import functools
from pathlib import Path

import streamlit as st

from refugee_stats import i18n
from refugee_stats.describe import Description
from refugee_stats.escape import html_text

#: The page script (static: titles come from the ``data-*`` attributes of :func:`script`'s block).
SCRIPT = Path(__file__).with_name("charts.js")

_CSS = """
[data-testid="stElementContainer"]:has(.chart-a11y) { display: none; }
.chart-words p { margin: 0; font-size: 0.875rem; line-height: 1.45; }
.chart-words details { margin-top: 0.25rem; font-size: 0.875rem; }
.chart-words summary { cursor: pointer; }
.chart-words details p { margin-top: 0.35rem; max-width: 72rem; }
[data-testid="stElementContainer"]:has(.chart-words.on-stage) { position: absolute; }
.chart-words.on-stage { position: absolute; width: 1px; height: 1px; overflow: hidden;
  clip-path: inset(50%); white-space: nowrap; }
"""


@functools.cache
def _script_text() -> str:
    return SCRIPT.read_text(encoding="utf-8")


def description_id(key: str) -> str:
    """The id of a chart's long description: the script points the chart's ``aria-describedby`` at it."""
    return f"describe-{key}"


def words_html(key: str, words: Description, lang: str, presentation: bool = False) -> str:
    """What goes under a chart: its short description as a caption (hidden from screen readers,
    which read it as the figure's name) and its long one in a fold, or on stage the long one
    alone, visually hidden. Data text is escaped."""
    long = f'<p id="{description_id(key)}" class="chart-long">{html_text(words.long)}</p>'
    if presentation:
        return f'<div class="chart-words on-stage">{long}</div>'
    short = f'<p class="chart-short" aria-hidden="true">{html_text(words.short)}</p>' if words.short else ""
    summary = html_text(i18n.t("describe_in_words", lang))
    return f'<div class="chart-words">{short}<details><summary>{summary}</summary>{long}</details></div>'


def chart(
    figure: object, key: str, config: dict, words: Description, *, name: str, lang: str, presentation: bool
) -> None:
    """A plotly chart named by ``words.short`` (``name``, its title, when the chart draws nothing)
    and, when it draws something, its descriptions under it (:func:`words_html`)."""
    st.plotly_chart(
        figure,
        key=key,
        theme=None,
        config=config,
        alt=words.short or name,
        height="stretch" if presentation else "content",  # on stage: what the screen leaves
    )
    if words.long:
        st.html(words_html(key, words, lang, presentation))


def script(lang: str) -> None:
    """The page script and its styles, once per part of the page that draws charts (a second
    copy only runs the first one's work again). Its element takes no room."""
    svg, png = (html_text(i18n.t(f"download_{kind}", lang)) for kind in ("svg", "png"))
    st.html(
        f'<div class="chart-a11y" data-svg-title="{svg}" data-png-title="{png}"></div><style>{_CSS}</style>'
        f"<script>{_script_text()}</script>",
        unsafe_allow_javascript=True,
    )
