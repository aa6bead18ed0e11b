"""Two windows of one talk in a real browser: the audience's stage and the presenter's view
(``presenter=1``), pages of one browser context as a presenter's two windows are. A clicker key
in either moves both; the language key switches the stage without leaving presentation mode;
notes only in the presenter's window."""

from __future__ import annotations

import re
import time

from refugee_stats import i18n
from refugee_stats.ingest.files import bundled_data_dir
from refugee_stats.talk import load_talk
from tests.browser.conftest import SCREENSHOTS, wait_for_charts, wait_for_rerun

#: The scene counter of a page's navigation row ("Scene 2 of 6", "Сцена 2 из 6"): its first number.
SCENE = """() => {
  const texts = [...document.querySelectorAll('.st-key-scene-nav p')].map(p => p.textContent);
  const counter = texts.find(t => /^\\D*\\d+\\D+\\d+\\s*$/.test(t));
  return counter ? +counter.match(/\\d+/)[0] : 0;
}"""
CYRILLIC = "() => /[\\u0400-\\u04FF]/.test(document.querySelector('h1') ? document.querySelector('h1').textContent : '')"


def scene(page) -> int:
    return page.evaluate(SCENE)


def press_until(pressed, key: str, watched, until: str, timeout: float = 10_000) -> float:
    """Press ``key`` in page ``pressed`` and wait until ``until`` (JavaScript) holds in page
    ``watched``: seconds from the press."""
    wait_for_rerun(pressed)
    pressed.locator("body").focus()
    start = time.perf_counter()
    pressed.keyboard.press(key)
    watched.wait_for_function(until, timeout=timeout)
    return time.perf_counter() - start


def test_the_presenter_window_and_the_stage_keep_in_step(open_page):
    talk, _ = load_talk(bundled_data_dir(), hosts=("KAZ",), nationalities=("UZB",), months=None)
    assert talk is not None
    notes = [note for s in talk.scenes for note in s.notes.values()]
    audience, seen = open_page("present=1&lang=en", height=1080)
    audience.wait_for_function(  # a title's colon is followed by a word joiner (no autolink)
        "t => document.querySelector('h1') && document.querySelector('h1').textContent.replace(/\\u2060/g, '').trim() === t",
        arg=talk.scenes[0].title["en"],
        timeout=60_000,
    )
    wait_for_charts(audience, 1)
    link = audience.locator(".st-key-scene-nav a", has_text=i18n.t("presenter_open", "en")).first
    assert link.get_attribute("target") == "_blank"  # a new tab: the second window
    href = link.get_attribute("href")
    room = re.search(r"[?&]room=([^&]+)", audience.url)
    assert href and room and f"room={room.group(1)}" in href and "presenter=1" in href
    speaker, heard = open_page(href.removeprefix("?"), height=1080)
    speaker.wait_for_selector(".st-key-presenter-notes", timeout=60_000)
    notes_box = speaker.locator(".st-key-presenter-notes")
    assert talk.scenes[0].notes["en"] in notes_box.inner_text()
    wait_for_charts(speaker, 2)  # the scene on screen and the next one, as miniatures
    wait_for_rerun(audience)

    to_audience = press_until(speaker, "PageDown", audience, f"() => ({SCENE})() === 2")
    wait_for_rerun(speaker)
    assert scene(speaker) == 2 and talk.scenes[1].notes["en"] in notes_box.inner_text()
    to_speaker = press_until(audience, "PageDown", speaker, f"() => ({SCENE})() === 3")
    back = press_until(speaker, "PageUp", audience, f"() => ({SCENE})() === 2")
    wait_for_rerun(audience)
    assert "scene=2" in audience.url and "scene=2" in speaker.url
    assert audience.locator("h1").first.inner_text().replace("\u2060", "") == talk.scenes[1].title["en"]
    body = audience.locator("body").inner_text()
    assert not [note for note in notes if note in body]  # never a note on the projector
    assert audience.locator(".st-key-presenter").count() == 0

    # L: the next language (English -> Russian) on stage, in one press, still presenting
    title = talk.scenes[1].title["ru"]
    axis = i18n.t("people_detained", "ru")
    redrawn = f"() => [...document.querySelectorAll('.js-plotly-plot .ytitle')].some(e => e.textContent === {axis!r})"
    wait_for_rerun(audience)
    audience.locator("body").focus()
    start = time.perf_counter()
    audience.keyboard.press("l")
    audience.wait_for_function(CYRILLIC, timeout=10_000)
    switched = time.perf_counter() - start
    audience.wait_for_function(redrawn, timeout=20_000)  # the chart drawn again, in Russian
    chart = time.perf_counter() - start
    assert audience.locator("h1").first.inner_text().replace("\u2060", "") == title
    assert "present=1" in audience.url and "lang=ru" in audience.url
    assert audience.locator("section[data-testid='stSidebar']").is_hidden()
    speaker.wait_for_function(CYRILLIC.replace("'h1'", "'.st-key-presenter h2'"), timeout=10_000)
    speaker.wait_for_function(
        "t => document.querySelector('.st-key-presenter-notes').innerText.includes(t)",
        arg=talk.scenes[1].notes["ru"],
        timeout=10_000,
    )
    assert "lang=ru" in speaker.url
    SCREENSHOTS.mkdir(exist_ok=True)
    wait_for_rerun(speaker)
    speaker.screenshot(path=SCREENSHOTS / "presenter-view-ru.png")
    audience.screenshot(path=SCREENSHOTS / "presenter-audience-ru.png")
    print(
        f"presenter -> audience {to_audience:.2f} s, audience -> presenter {to_speaker:.2f} s, back {back:.2f} s;"
        f" L to a Cyrillic title {switched:.2f} s, to the chart redrawn in Russian {chart:.2f} s"
    )
    for traffic in (seen, heard):
        assert traffic.non_local() == []
        assert traffic.errors == []
