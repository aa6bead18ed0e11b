"""Text from data or links is never markup: one escaping helper per place text is rendered.

* :func:`plotly_text` for every string a plotly figure draws (titles, annotations, hover
  text, trace names, axis titles): plotly reads a pseudo-HTML subset (``<span style>``,
  ``<a href>``, ``<b>``...), so ``& < > " '`` become entities it decodes back to text.
  Escape where data text enters a figure, before the code inserts its own ``<br>``.
* :func:`markdown_text` for ``st.markdown``/``st.warning``/``st.caption``/... : every
  character Streamlit's markdown treats specially is backslash-escaped, ``:`` included
  (``:red[...]``, ``:material/...:``, emoji shortcodes).
* :func:`html_text` for text placed inside HTML the code writes itself.
* :func:`link_url` for a link column: only an http(s) URL with a host, else ``None``.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

#: plotly.js decodes these entities (``&amp; &lt; &gt;`` by name, the rest by number).
_PLOTLY = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;"}
_PLOTLY_RE = re.compile("[&<>\"']")
#: Characters CommonMark may escape that Streamlit's markdown gives a meaning to, and ``:``.
MARKDOWN_SPECIAL = "\\`*_{}[]()#+-.!|<>~$:&=^\"'"
_MARKDOWN_RE = re.compile("([" + re.escape(MARKDOWN_SPECIAL) + "])")


def plotly_text(text: object) -> str:
    """``text`` as plotly draws it literally: no tag, link or style of its own survives."""
    return _PLOTLY_RE.sub(lambda m: _PLOTLY[m.group()], str(text))


def plotly_lines(text: object, width: int, max_lines: int | None = None) -> str:
    """``text`` wrapped at ``width`` characters and escaped, joined by the code's own ``<br>``
    (``…`` after ``max_lines`` lines). Wrapping plain text first keeps every entity whole."""
    import textwrap

    lines = textwrap.wrap(str(text), width) or [str(text)]
    more = max_lines is not None and len(lines) > max_lines
    lines = lines[:max_lines] if max_lines is not None else lines
    return "<br>".join(plotly_text(line) for line in lines) + ("…" if more else "")


#: An invisible WORD JOINER: splits what GFM would turn into a link on its own (``http://``,
#: ``www.``, ``a@b.org``), since autolinking reads the text after backslash escapes.
JOINER = "\u2060"
_AUTOLINK_RE = re.compile(r"(?<=:)|(?<=@)|(?<=www)(?=\\\.)", re.IGNORECASE)


def markdown_text(text: object) -> str:
    """``text`` as Streamlit markdown shows it literally: no image, link, emphasis, directive,
    nor an address turned into a link (a word joiner follows every ``:`` and ``@``)."""
    escaped = _MARKDOWN_RE.sub(r"\\\1", str(text))
    return _AUTOLINK_RE.sub(JOINER, escaped)


def html_text(text: object) -> str:
    """``text`` safe inside HTML the code writes (and inside markdown's raw HTML blocks)."""
    return plotly_text(text).replace(":", "&#58;").replace("$", "&#36;")


def link_url(value: object) -> str | None:
    """``value`` when it is an http(s) URL with a host (as a link column may open), else ``None``."""
    if not isinstance(value, str) or not value or value != value.strip() or any(c.isspace() for c in value):
        return None
    try:
        parts = urlsplit(value)
        host = parts.hostname
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    return value
