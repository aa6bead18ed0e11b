"""The talk downloaded from the page in a real browser: one self-contained HTML file that plays offline."""

from __future__ import annotations

import re
from urllib.parse import urlparse

from refugee_stats import talk as talks
from refugee_stats.ingest.files import default_data_dir
from tests.browser.conftest import SCREENSHOTS, wait_for_charts
from tests.test_handout import markup


def test_the_talk_downloads_as_one_self_contained_file_that_plays_offline(
    open_page, shared_context, tmp_path
):
    page, traffic = open_page("lang=ru", height=1080)
    wait_for_charts(page, 3)
    button = page.get_by_role("button", name="Доклад (один HTML-файл, без интернета)")
    button.scroll_into_view_if_needed()
    with page.expect_download(timeout=120_000) as started:
        button.click()
    download = started.value
    assert download.suggested_filename == "refugee-stats_talk_ru.html"
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    document = target.read_text(encoding="utf-8")

    talk, _ = talks.load_talk(default_data_dir(), hosts=(), nationalities=(), months=None)
    assert talk is not None
    titles = re.findall(r'<section class="scene[^"]*"[^>]*><header><h1>(.*?)</h1>', document)
    assert titles == [talks.scene_title(s, "ru") for s in talk.scenes]
    # One file: nothing it names is fetched, from another host or beside it.
    parsed = markup(document)
    for tag, attrs in parsed.tags:
        assert tag not in ("link", "img", "iframe", "object", "embed", "base"), tag
        for name in ("src", "href", "srcset", "action", "poster"):
            value = attrs.get(name)
            assert value is None or not re.match(r"\s*(https?:|//)", value, re.IGNORECASE), (tag, name, value)
    assert not re.search(r"url\(|@import|@font-face", "".join(parsed.styles))
    print(f"downloaded talk: {len(document.encode('utf-8')) / 1e6:.1f} MB, {len(titles)} scenes")

    # Opened from disk with every request but the file itself refused: it draws its first chart.
    player = shared_context.new_page()
    asked: list[str] = []
    player.on("request", lambda request: asked.append(request.url))
    player.route(
        "**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort()
    )
    try:
        player.set_viewport_size({"width": 1920, "height": 1080})
        player.goto(target.as_uri())
        player.wait_for_function(
            "() => document.querySelectorAll('section.scene:not([hidden]) svg.main-svg').length > 0",
            timeout=60_000,
        )
        player.screenshot(path=SCREENSHOTS / "downloaded-talk-ru.png")
    finally:
        player.close()
    assert [u for u in asked if urlparse(u).scheme != "file"] == []
    assert traffic.non_local() == []
    assert traffic.errors == []
