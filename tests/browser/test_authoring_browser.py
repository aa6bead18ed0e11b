"""Writing a talk in a real browser: add two charts' views, reorder, retitle, download talk.toml."""

from __future__ import annotations

from playwright.sync_api import expect

from refugee_stats.talk import TALK_FILE, Scene, read_talk_bytes
from tests.browser.conftest import SCREENSHOTS, wait_for_charts, wait_for_rerun

VIEW = "host=KAZ&nationality=UZB&from=2010-01&to=2011-12&illustrative=0"
KNOWN = {"hosts": ("KAZ",), "nationalities": ("UZB",), "months": ("2008-01", "2012-12")}


def visible_button(page, key: str):
    """The button of a widget keyed ``key`` (Streamlit also draws a hidden copy of a button with help)."""
    return page.locator(f".st-key-{key} button:visible")


def test_add_two_charts_reorder_retitle_and_download_talk_toml(open_page):
    page, traffic = open_page(f"lang=en&{VIEW}", height=1080)
    wait_for_charts(page, 3)
    wait_for_rerun(page)
    main = page.locator("[data-testid='stMain']")
    # the bundled sample comes with a talk: start a new one
    main.get_by_role("button", name="Start a new talk").click()
    wait_for_rerun(page)
    expect(main.get_by_text("No talk yet")).to_be_visible(timeout=20_000)

    for chart in ("detentions", "decisions"):
        button = visible_button(page, f"talk-add-{chart}")
        button.scroll_into_view_if_needed()
        button.click()
        wait_for_rerun(page)
    expect(visible_button(page, "talk-add-decisions")).to_contain_text(
        "Add to talk again (already scene 2)", timeout=20_000
    )
    second = page.locator(".st-key-talk-scene-1")
    expect(second).to_contain_text("Scene 2 · Status decisions")
    second.get_by_role("button", name="Up").click()  # the decisions first
    wait_for_rerun(page)
    first = page.locator(".st-key-talk-scene-0")
    expect(first).to_contain_text("Scene 1 · Status decisions", timeout=20_000)
    title = first.get_by_label("Title (English)")
    title.fill("17 stripped of status")
    title.press("Tab")  # a text input sends its value when it loses focus
    wait_for_rerun(page)
    page.locator(".st-key-talk-actions").scroll_into_view_if_needed()
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "talk-editor-en-light.png")

    with page.expect_download() as download:
        visible_button(page, "talk-download").click()
    assert download.value.suggested_filename == TALK_FILE
    data = download.value.path().read_bytes()
    talk, problems = read_talk_bytes(data, TALK_FILE, **KNOWN)
    assert problems == []
    link = f"{VIEW}&period=month"
    assert talk.scenes == (
        Scene("decisions", link=link, title={"en": "17 stripped of status"}),
        Scene("detentions", link=link),
    )
    assert talk.lang == "en" and talk.public
    assert "talk" not in page.url and "stripped" not in page.url  # the talk is never in the link
    assert traffic.non_local() == []
    assert traffic.errors == []
