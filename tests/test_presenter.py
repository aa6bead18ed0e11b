"""Presenting with two windows in Streamlit's AppTest: the audience's stage and the presenter's view
(``presenter=1``) share a room, so a move in either is followed by the other on its next run; the
language switches on stage without leaving presentation mode; notes never reach the audience."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from refugee_stats import i18n, rooms
from refugee_stats.ingest.files import bundled_data_dir
from refugee_stats.talk import Scene, Talk, load_talk, talk_toml
from refugee_stats.ui import room as talk_room
from tests.conftest import DASHBOARD, run_app

pytestmark = pytest.mark.usefixtures("clear_cache")


@pytest.fixture(autouse=True)
def sample(monkeypatch):
    monkeypatch.delenv("REFUGEE_STATS_DATA", raising=False)


@pytest.fixture(scope="module")
def talk() -> Talk:
    found, _ = load_talk(bundled_data_dir(), hosts=("KAZ",), nationalities=("UZB",), months=None)
    assert found is not None and len(found.scenes) == 6
    return found


def shown(markdown: str) -> str:
    """What a reader sees of escaped markdown."""
    return re.sub(r"\\(.)", r"\1", markdown.replace("\u2060", ""))


def texts(at: AppTest) -> str:
    """Everything an app shows as text (titles, headers, markdown, captions, metrics, alerts, charts)."""
    parts = [
        str(e.value)
        for kind in ("title", "header", "subheader", "markdown", "caption", "warning", "info")
        for e in at.get(kind)
    ]
    parts += [str(m.label) + str(m.value) for m in at.metric]
    parts += [chart.proto.spec for chart in at.get("plotly_chart")]
    parts += [b.label for b in at.button]
    return shown("\n".join(parts))


def open_presenter(audience: AppTest, **extra: str) -> AppTest:
    """The presenter's window of ``audience``'s room, opened from the link on stage."""
    link = next(e for e in audience.get("link_button") if e.proto.label in presenter_labels())
    query = dict(pair.split("=", 1) for pair in link.proto.url.removeprefix("?").split("&"))
    assert query["presenter"] == "1" and query["room"] == audience.query_params["room"]
    return run_app(**query, **extra)


def presenter_labels() -> set[str]:
    return {i18n.t("presenter_open", lang) for lang in i18n.LANGUAGES}


def heading(at: AppTest) -> str:
    """The title of the scene a window shows (the stage's title, or the presenter's "now")."""
    if at.title:
        return shown(at.title[0].value)
    return shown(at.header[0].value)


def click(at: AppTest, key: str) -> None:
    at.button(key=key).click()
    at.run()
    assert not at.exception, at.exception


def test_the_two_windows_follow_each_other(talk):
    audience = run_app(present="1")  # the sample's talk, in its language (Russian)
    token = audience.query_params["room"]
    assert rooms.valid_token(token)
    assert heading(audience) == talk.scenes[0].title["ru"]
    speaker = open_presenter(audience)
    assert speaker.query_params["room"] == token and speaker.query_params["presenter"] == "1"
    assert heading(speaker) == talk.scenes[0].title["ru"]
    assert talk.scenes[0].notes["ru"] in texts(speaker)
    assert shown(speaker.subheader[0].value) == talk.scenes[1].title["ru"]  # the next scene

    click(audience, "nav-next")  # the clicker on the audience's window
    assert heading(audience) == talk.scenes[1].title["ru"]
    speaker.run()  # its next run (in a browser: within half a second, see presenter._watch)
    assert heading(speaker) == talk.scenes[1].title["ru"]
    assert speaker.query_params["scene"] == "2"
    assert talk.scenes[1].notes["ru"] in texts(speaker)

    click(speaker, "nav-next")  # the clicker on the presenter's window
    click(speaker, "nav-right")  # the arrow key, from the hidden sidebar
    assert heading(speaker) == talk.scenes[3].title["ru"]
    audience.run()
    assert heading(audience) == talk.scenes[3].title["ru"]
    assert audience.query_params["scene"] == "4"
    click(audience, "nav-prev")
    speaker.run()
    assert heading(speaker) == talk.scenes[2].title["ru"]


def test_the_language_switches_on_stage_and_in_the_other_window(talk):
    audience = run_app(present="1", scene="2")
    speaker = open_presenter(audience)
    assert [b.key for b in audience.button if b.key.startswith("stage-lang-")] == [
        "stage-lang-en",
        "stage-lang-ru",
        "stage-lang-kk",
    ]
    # L goes to the next language: from Russian to Kazakh, shown on that button
    shortcuts = {b.key: b.proto.shortcut for b in audience.button if b.key.startswith("stage-lang-")}
    assert shortcuts == {"stage-lang-en": "", "stage-lang-ru": "", "stage-lang-kk": "l"}
    click(audience, "stage-lang-en")
    assert heading(audience) == talk.scenes[1].title["en"]
    assert audience.query_params["lang"] == "en" and audience.query_params["present"] == "1"
    assert audience.query_params["scene"] == "2"
    assert {b.key: b.proto.shortcut for b in audience.button}["stage-lang-ru"] == "l"
    assert audience.button(key="stage-lang-en").proto.type == "primary"
    speaker.run()
    assert heading(speaker) == talk.scenes[1].title["en"]
    assert talk.scenes[1].notes["en"] in texts(speaker)
    assert speaker.query_params["lang"] == "en"
    click(speaker, "stage-lang-kk")
    audience.run()
    assert heading(audience) == talk.scenes[1].title["kk"]
    assert audience.query_params["lang"] == "kk"
    # the sidebar's picker shows the language chosen on stage
    assert audience.segmented_control(key="lang").value == "kk"


@pytest.mark.parametrize(("cycle", "after"), [("en", "ru"), ("ru", "kk"), ("kk", "en")])
def test_l_goes_through_the_languages(cycle, after):
    assert talk_room.next_language(cycle) == after
    assert talk_room.next_language("xx") == "en"


def test_the_audience_never_sees_notes_or_the_clock(talk):
    audience = run_app(present="1", lang="en")
    speaker = open_presenter(audience)
    for number, _ in enumerate(talk.scenes, start=1):
        text = texts(audience)
        for scene in talk.scenes:
            for note in scene.notes.values():
                assert note not in text
        assert i18n.t("presenter_notes", "en") not in text
        assert not audience.get("iframe")  # no clock on the projector
        speaker.run()
        assert audience.query_params["scene"] == speaker.query_params["scene"] == str(number)
        assert talk.scenes[number - 1].notes["en"] in texts(speaker)
        if number < len(talk.scenes):
            click(audience, "nav-next")
    assert i18n.t("presenter_end", "en") in texts(speaker)  # after the last scene: the end


def test_the_presenter_view_shows_a_clock_of_the_room(talk):
    audience = run_app(present="1", lang="en")
    speaker = open_presenter(audience)
    token = audience.query_params["room"]
    room = talk_room.channel().get(token)
    assert room is not None
    frames = speaker.get("iframe")
    assert len(frames) == 1
    html = str(frames[0].proto.srcdoc)
    assert f"const started = {round(room.started * 1000)};" in html
    assert "Time" in html and "Elapsed" in html and "setInterval(tick, 1000)" in html
    assert "http" not in html  # nothing to fetch: it ticks offline
    click(speaker, "presenter-restart")
    again = talk_room.channel().get(token)
    assert again is not None and again.started >= room.started and again.version == room.version


def test_the_standard_tour_has_a_presenter_view_without_notes():
    audience = run_app(present="1", talk="0", lang="en")
    speaker = open_presenter(audience)
    assert speaker.query_params["talk"] == "0"
    assert heading(speaker) == "Key figures"
    text = texts(speaker)
    assert "No speaker notes for this scene." in text
    assert shown(speaker.subheader[0].value) == "Detentions" and "Chart: Detentions" in text
    click(speaker, "nav-next")
    audience.run()
    assert heading(audience) == "Detentions"


def test_the_presenter_window_plays_the_talk_the_audience_uploaded_or_wrote():
    """A talk living in the audience's session only (uploaded, or written in the app) reaches the
    presenter's window through the room: its titles and notes, not the data folder's."""
    uploaded = talk_toml(
        Talk(scenes=(Scene("decisions", title={"en": "Mine"}, notes={"en": "Say it slowly"}), Scene("map")))
    )
    audience = run_app(lang="en")
    audience.file_uploader(key="uploads").set_value([("mine.toml", uploaded.encode(), "application/toml")])
    audience.run()
    audience.toggle(key="present").set_value(True)
    audience.run()
    assert heading(audience) == "Mine"
    speaker = open_presenter(audience)  # a new session: the upload stays in the audience's window
    assert heading(speaker) == "Mine" and "Say it slowly" in texts(speaker)
    assert i18n.t("presenter_other_talk", "en") not in [w.value for w in speaker.warning]
    assert "Say it slowly" not in texts(audience)


def test_a_presenter_window_playing_other_data_says_so():
    audience = run_app(lang="en")
    incidents = (
        b"incident_id,date,host_country,type,nationality,people,source\nU1,2011-05,KGZ,detention,AFG,6,Mine\n"
    )
    audience.file_uploader(key="uploads").set_value([("incidents.csv", incidents, "text/csv")])
    audience.run()
    audience.toggle(key="present").set_value(True)
    audience.run()
    speaker = open_presenter(audience)  # the uploaded data stays in the audience's window
    warning = i18n.t("presenter_other_talk", "en")
    assert warning in [w.value for w in speaker.warning]
    same = open_presenter(run_app(present="1", lang="en"))
    assert warning not in [w.value for w in same.warning]


def test_a_bad_room_in_the_link_is_told_and_a_new_one_made():
    at = run_app(present="1", room="no good", lang="en")
    assert "room=no good" in shown(at.warning[0].value)
    assert rooms.valid_token(at.query_params["room"]) and at.query_params["room"] != "no good"


def test_leaving_presentation_leaves_the_room_out_of_the_link():
    at = run_app(present="1", lang="en", talk="0")
    token = at.query_params["room"]
    click(at, "nav-exit")
    assert "room" not in at.query_params and "present" not in at.query_params
    at.toggle(key="present").set_value(True)
    at.run()
    assert at.query_params["room"] == token  # the session keeps its room


def test_a_window_opened_after_the_talk_moved_joins_where_it_is(talk):
    audience = run_app(present="1", lang="en")
    click(audience, "nav-next")
    click(audience, "nav-next")
    late = AppTest.from_file(DASHBOARD, default_timeout=60)
    late.query_params.update({"present": "1", "room": audience.query_params["room"], "scene": "1"})
    late.run()
    assert heading(late) == talk.scenes[2].title["en"]  # the room's scene and language, not the link's
    assert late.query_params["scene"] == "3" and late.query_params["lang"] == "en"


def test_both_windows_playing_the_same_uploaded_talk_agree_and_an_empty_scene_says_so():
    uploaded = talk_toml(
        Talk(
            scenes=(
                Scene("detentions", link="from=2008-01&to=2008-01&illustrative=0", title={"en": "Empty"}),
            )
        )
    )
    files = [("mine.toml", uploaded.encode(), "application/toml")]
    audience = run_app(lang="en")
    audience.file_uploader(key="uploads").set_value(files)
    audience.run()
    audience.toggle(key="present").set_value(True)
    audience.run()
    speaker = open_presenter(audience)
    speaker.file_uploader(key="uploads").set_value(files)  # the same file, uploaded in this window too
    speaker.run()
    assert heading(speaker) == "Empty"
    assert not speaker.warning  # the same talk and data: nothing to warn of
    assert [i.value for i in speaker.info] == [i18n.t("no_records", "en")]
    assert i18n.t("presenter_end", "en") in texts(speaker)


WATCH = """
import streamlit as st
from refugee_stats.ui import room
st.session_state["runs"] = st.session_state.get("runs", 0) + 1
if st.session_state["runs"] > 1:
    st.session_state["_room_seen"] = 99  # the rerun would take the room's place (follow_room)
room.watch()
"""


@pytest.mark.parametrize(
    ("moved_to", "runs", "seen"),
    [
        ((1, "en"), 1, None),  # moved to where this window is: nothing to redraw, the move seen
        ((2, "en"), 2, 99),  # moved elsewhere: the page runs again
        ((1, "ru"), 2, 99),
    ],
)
def test_the_watch_reruns_the_page_when_the_room_moved_elsewhere(moved_to, runs, seen):
    token = rooms.new_token()
    first = talk_room.channel().move(token, 3, "kk")  # where this window last saw the room
    moved = talk_room.channel().move(token, *moved_to)  # another window moved it since
    assert moved.version > first.version
    at = AppTest.from_string(WATCH, default_timeout=30)
    at.session_state["present"] = True
    at.session_state["room"] = token
    at.session_state["_room_seen"] = first.version
    at.session_state["_room_shared"] = (1, "en")  # where this window is
    at.run()
    assert not at.exception
    expected = moved.version if seen is None else seen
    assert (at.session_state["runs"], at.session_state["_room_seen"]) == (runs, expected)


def test_the_watch_does_nothing_off_stage():
    at = AppTest.from_string(WATCH, default_timeout=30)
    at.session_state["present"] = False
    at.session_state["_room_seen"] = 0
    at.run()
    assert (at.session_state["runs"], at.session_state["_room_seen"]) == (1, 0)
