"""No text from data or links is ever markup: escaping helpers, figures, the link's notices."""

from __future__ import annotations

import dataclasses
import re

import pandas as pd
import pytest

from refugee_stats import escape, urlstate
from refugee_stats.filters import Filters
from refugee_stats.ingest.dataset import load
from refugee_stats.registry import figures
from refugee_stats.view import build_view, map_figures

PAYLOADS = [
    '<span style="background:url(http://198.51.100.7/x.png)">x</span>',
    '<a href="//198.51.100.7/a">a</a>',
    "<img src=http://198.51.100.7/i.png>",
    "![x](http://198.51.100.7/p.png)",
    "[click](http://198.51.100.7)",
    ":red[alert]",
    "%{customdata}",
    "<b>bold</b>",
    "javascript:alert(1)",
]
#: The tags the code itself writes into figures.
OWN_TAGS = re.compile(r"<(?:br|/?b|/?i|/?sup|/?extra)>")
TAG = re.compile(r"<[A-Za-z/]")


def strings(value: object) -> list[str]:
    """Every string anywhere in a figure's JSON."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in strings(v)]
    if hasattr(value, "tolist"):
        return strings(value.tolist())
    return []


def assert_no_markup(fig) -> list[str]:
    found = strings(fig.to_plotly_json())
    for text in found:
        assert not TAG.search(OWN_TAGS.sub("", text)), text
    return found


@pytest.mark.parametrize("payload", PAYLOADS)
def test_plotly_text_leaves_no_tag(payload):
    out = escape.plotly_text(payload)
    assert "<" not in out and ">" not in out and '"' not in out
    assert (
        out.replace("&lt;", "<").replace("&gt;", ">").replace("&#34;", '"').replace("&amp;", "&") == payload
    )


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markdown_text_escapes_every_special_character(payload):
    out = escape.markdown_text(payload)
    # Every special character is preceded by a backslash, and removing them gives the text back.
    assert re.sub(r"\\(.)", r"\1", out.replace(escape.JOINER, "")) == payload
    for i, char in enumerate(out):
        if char in escape.MARKDOWN_SPECIAL and char != "\\":
            assert out[i - 1] == "\\", (out, i)
    # Nothing GFM links on its own: a word joiner follows every ":" and "@".
    assert re.search(r"[:@](?!\u2060)", out) is None


@pytest.mark.parametrize("text", ["see http://198.51.100.7/x", "www.example.org", "mail a@example.org"])
def test_markdown_text_breaks_autolinks(text):
    out = escape.markdown_text(text)
    assert "://" not in out and "www\\." not in out and re.search(r"@\w", out) is None


def test_plotly_lines_wraps_before_escaping():
    text = "<b>" + "word " * 20 + "</b>"
    out = escape.plotly_lines(text, 28, max_lines=2)
    assert out.count("<br>") == 1 and out.endswith("…")
    assert out.startswith("&lt;b&gt;word")


@pytest.mark.parametrize(
    ("value", "kept"),
    [
        ("https://example.org/report", True),
        ("http://example.org", True),
        ("javascript:alert(1)", False),
        ("//198.51.100.7/a", False),
        ("data:text/html,<b>x</b>", False),
        ("https://", False),
        ("ftp://example.org/x", False),
        ("https://exa mple.org", False),
        (None, False),
        (float("nan"), False),
    ],
)
def test_link_url_keeps_only_http_links_with_a_host(value, kept):
    assert escape.link_url(value) == (value if kept else None)


def write_hostile(folder, payload: str) -> None:
    """A data folder whose sources, notes and timeline labels carry ``payload``."""
    pd.DataFrame(
        {
            "incident_id": ["A", "B", "C"],
            "date": ["2010-06", "2010-07", "2010-08-05"],
            "host_country": ["KAZ", "KAZ", "KGZ"],
            "type": ["detention"] * 3,
            "nationality": ["UZB", "TJK", "XKX"],
            "people": [29, 7, 12],
            "unhcr_refugees": [17, 2, 0],
            "source": [f"{payload} Ministry report", f"Monitor {payload}", "HRW"],
            "notes": [payload] * 3,
        }
    ).to_csv(folder / "incidents.csv", index=False)
    pd.DataFrame(
        {
            "record_id": ["S1", "S2"],
            "date": ["2010-06", "2010-07"],
            "host_country": ["KAZ", "KAZ"],
            "nationality": ["UZB", "UZB"],
            "authority": ["national", "unhcr"],
            "decision": ["revoked", "recognized"],
            "people": [17, 3],
            "source": [payload, "UNHCR"],
        }
    ).to_csv(folder / "status.csv", index=False)
    pd.DataFrame(
        {
            "date": ["2010-06-15", "2010-07"],
            "end_date": ["", ""],
            "host_country": ["KAZ", ""],
            "label": [f"{payload} event", payload],
            "label_ru": [f"{payload} событие", ""],
            "source": [payload, payload],
        }
    ).to_csv(folder / "timeline.csv", index=False)


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("locale", ["en", "ru"])
def test_figures_draw_data_text_as_text(tmp_path, payload, locale):
    write_hostile(tmp_path, payload)
    dataset = load(tmp_path)
    view = build_view(dataset, Filters(), locale=locale)
    # The subtitle and labels: country names and a data file's column labels are data too.
    context = dataclasses.replace(
        view.context,
        subtitle=payload,
        labels={"period": payload, "people": payload, "people_detained": payload, "share": payload},
    )
    view = dataclasses.replace(view, context=context)
    drawn = {**figures(view), **map_figures(view)}
    assert len(drawn) == 6
    escaped = escape.plotly_text(payload)
    for key, fig in drawn.items():
        texts = assert_no_markup(fig)
        joined = "\n".join(texts)
        assert escaped in fig.layout.title.subtitle.text, key
        sources = [a.text for a in fig.layout.annotations if a.name == "sources"]
        assert sources and escaped in sources[0].replace("<br>", " "), key
        assert escaped in joined, key
        if "<" in payload:
            assert payload not in joined, key
        if key in ("detentions", "decisions", "nationalities"):
            labels = [a for a in fig.layout.annotations if (a.name or "").startswith("timeline-")]
            assert labels and all(escaped in a.hovertext for a in labels), key
            assert any(escaped[:20] in a.text for a in labels), key


def test_no_data_text_in_a_hover_template(tmp_path):
    """Hover templates read ``%{...}``: data text goes in customdata or a trace name, never the template."""
    write_hostile(tmp_path, "%{customdata} 100%")
    view = build_view(load(tmp_path), Filters())
    for fig in [*figures(view).values(), *map_figures(view).values()]:
        for trace in fig.data:
            parts = (trace.node, trace.link) if trace.type == "sankey" else (trace,)
            for part in parts:
                assert "100%" not in (part.hovertemplate or "")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_url_notice_shows_link_values_literally(payload):
    from refugee_stats.ui import notices_markdown

    _, notices = urlstate.parse({"host": [payload]}, hosts=["KAZ"], nationalities=["UZB"], months=None)
    assert notices
    text = notices_markdown(notices, "en")
    assert re.sub(r"\\(.)", r"\1", text.replace(escape.JOINER, "")) == notices[0].message("en")
    for char in "[]()!<>:":
        assert re.search(r"(?<!\\)" + re.escape(char), text) is None, (char, text)
