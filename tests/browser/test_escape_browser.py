"""Hostile data and links in a real browser: text from data or links is never markup.

A data folder whose sources, timeline labels and notes carry HTML and markdown that would
fetch from (or link to) 198.51.100.7, and a link whose ``host`` is a markdown image. Every
request to a host other than the app's own is aborted by a route and counted: there must be none.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd
import pytest

from tests.browser.conftest import (
    LOCAL_HOSTS,
    SCREENSHOTS,
    Traffic,
    _need_browser,
    running_server,
    wait_for_charts,
    wait_for_rerun,
)

SPAN = '<span style="background:url(http://198.51.100.7/x.png)">Ministry report</span>'
LINK = '<a href="//198.51.100.7/a">a</a>'
IMG = "<img src=http://198.51.100.7/i.png>"
MD_IMAGE = "![x](http://198.51.100.7/p.png)"
HOVER = (
    '<span style="cursor:url(http://198.51.100.7/c.png);fill:url(http://198.51.100.7/f.png)">Hover me</span>'
)
LINK_QUERY = f"host={MD_IMAGE}&lang=en"


def write_data(folder: Path) -> None:
    pd.DataFrame(
        {
            "incident_id": ["A", "B", "C", "D"],
            "date": ["2010-06", "2010-07", "2010-08-05", "2010-09"],
            "host_country": ["KAZ", "KAZ", "KGZ", "KAZ"],
            "type": ["detention"] * 4,
            "nationality": ["UZB", "TJK", "AFG", "UZB"],
            "people": [29, 7, 12, 9],
            "unhcr_refugees": [17, 2, 0, 1],
            "source": [
                SPAN,
                LINK,
                IMG,
                f"{MD_IMAGE} [click](http://198.51.100.7) :red[alert] %{{customdata}}",
            ],
            "source_url": ["https://example.org/report", "", "", ""],
            "notes": [SPAN, LINK, IMG, MD_IMAGE],
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
            "source": [SPAN, "<b>bold</b> javascript:alert(1)"],
        }
    ).to_csv(folder / "status.csv", index=False)
    pd.DataFrame(
        {
            "date": ["2010-06-15", "2010-08"],
            "end_date": ["", ""],
            "host_country": ["KAZ", ""],
            "label": [HOVER, LINK],
            "label_ru": ["", ""],
            "source": [SPAN, IMG],
        }
    ).to_csv(folder / "timeline.csv", index=False)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory, sandbox, browser):
    """A second server, on the hostile data, in the session's network namespace, read by the
    session's chromium (each test opens its own context, with the route that counts requests)."""
    _need_browser()
    data = tmp_path_factory.mktemp("hostile-data")
    write_data(data)
    with running_server(tmp_path_factory.mktemp("hostile-server"), data, sandbox=sandbox) as server:
        yield server, browser


@pytest.fixture(scope="module")
def blocked() -> list[str]:
    """Requests to any host but the loopback, aborted before they leave (over the whole module)."""
    return []


def open_hostile(hostile, blocked: list[str], query: str, width: int = 1920, height: int = 1080):
    server, browser = hostile
    context = browser.new_context(viewport={"width": width, "height": height}, service_workers="block")

    def route(route):
        host = urlparse(route.request.url).hostname
        if route.request.url.startswith(("http", "ws")) and host not in LOCAL_HOSTS:
            blocked.append(route.request.url)
            return route.abort()
        return route.continue_()

    context.route("**/*", route)
    page = context.new_page()
    traffic = Traffic()
    page.on("request", lambda request: traffic.requests.append(request.url))
    page.on("pageerror", lambda error: traffic.errors.append(str(error)))
    page.goto(server.url + "?" + query)
    return context, page, traffic


def svg_text(page) -> str:
    return page.evaluate(
        "() => [...document.querySelectorAll('.js-plotly-plot text')].map(t => t.textContent).join('\\n')"
    )


def hover_everything(page, stage: bool = False) -> None:
    """Hover each timeline label (its hover text shows literally) and a bar, as a viewer would.

    On ``stage`` (presentation mode) the labels are the events' numbers, ①, ②, ..."""
    tips = []
    plots = page.locator(".js-plotly-plot")
    for p in range(plots.count()):
        plot = plots.nth(p)
        label_text = re.compile("^[\u2460-\u2473]$") if stage else "cursor:url("
        labels = plot.locator("g.annotation").filter(has_text=label_text)
        for i in range(labels.count()):
            labels.nth(i).hover()
            page.wait_for_timeout(500)
            tips.append(plot.locator(".hoverlayer").text_content() or "")
        bars = plot.locator("g.point path")
        if bars.count():
            bars.first.hover(force=True)
            page.wait_for_timeout(300)
    assert tips, "no timeline label to hover"
    assert any(HOVER in tip for tip in tips), tips


def notice(page) -> str:
    """The link's notice as read (word joiners aside); it holds no link and no image."""
    alert = page.locator("[data-testid='stAlertContentWarning']").first
    assert alert.locator("a, img").count() == 0
    return alert.inner_text().replace("\u2060", "")


def test_hostile_data_and_link_on_the_page(hostile, blocked):
    context, page, traffic = open_hostile(hostile, blocked, LINK_QUERY)
    try:
        wait_for_charts(page, 5)
        wait_for_rerun(page)
        assert f"host={MD_IMAGE}" in notice(page)
        text = svg_text(page)
        for literal in (SPAN[:40], '<span style="cursor:url(ht'):
            assert literal in text, literal
        assert any(literal in text for literal in (LINK, IMG, MD_IMAGE)), text
        assert page.locator(".js-plotly-plot a").count() == 0
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "escape-hostile-1920x1080.png"))
        hover_everything(page)
        page.wait_for_timeout(500)
        assert traffic.errors == []
        outside = [u for u in traffic.requests if urlparse(u).hostname not in LOCAL_HOSTS | {None}]
        assert outside == [] and blocked == [], (outside, blocked)
    finally:
        context.close()


@pytest.mark.parametrize("scene", [1, 2, 3])
def test_hostile_data_and_link_in_presentation_mode(hostile, blocked, scene):
    context, page, traffic = open_hostile(hostile, blocked, f"{LINK_QUERY}&present=1&scene={scene}")
    try:
        if scene == 1:
            page.wait_for_selector("p.takeaway", timeout=60_000)
        else:
            wait_for_charts(page, 1)
        wait_for_rerun(page)
        assert f"host={MD_IMAGE}" in notice(page)
        if scene > 1:
            text = svg_text(page)
            assert SPAN[:40] in text
            hover_everything(page, stage=True)
        assert traffic.errors == []
        outside = [u for u in traffic.requests if urlparse(u).hostname not in LOCAL_HOSTS | {None}]
        assert outside == [] and blocked == [], (outside, blocked)
    finally:
        context.close()


def test_no_request_left_the_machine(blocked):
    """Over every page above: the route saw (and aborted) no request to another host."""
    print(f"outbound requests to other hosts: {len(blocked)}")
    assert blocked == []
