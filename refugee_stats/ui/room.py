"""A presenting window's room: the store its windows share, the watch that follows it, and the
stage's own controls (a button per language, the link to the presenter's window).

Each browser window is its own Streamlit session. Presenting, a window belongs to a room
(:mod:`refugee_stats.rooms`; one store per server process, kept with ``st.cache_resource``) named
by the ``room=`` token of its link. Every presenting window asks its room twice a second
(:func:`watch`, a fragment) and reruns when another window moved the talk; the rerun takes the
room's scene and language before any widget is drawn
(:func:`refugee_stats.ui.presenter.follow_room`).
"""

from __future__ import annotations

import dataclasses
from urllib.parse import urlencode

import streamlit as st

from refugee_stats import i18n, rooms, urlstate

#: How often a presenting window asks its room whether the talk moved, in seconds.
POLL_SECONDS = 0.5
#: The order the ``L`` key goes through the languages (then any other catalog's).
CYCLE: tuple[str, ...] = (
    *(code for code in ("en", "ru", "kk") if code in i18n.LANGUAGES),
    *(code for code in i18n.LANGUAGES if code not in ("en", "ru", "kk")),
)
#: The key that switches the stage to the next language of :data:`CYCLE`.
LANGUAGE_KEY = "L"


@st.cache_resource(show_spinner=False)
def channel() -> rooms.Rooms:
    """The rooms of this server process, shared by every session."""
    return rooms.Rooms()


@st.fragment(run_every=POLL_SECONDS)
def watch() -> None:
    """Twice a second: rerun the page when another window of the room moved the talk since this
    window last looked (``_room_seen``) to elsewhere than this window is (``_room_shared``)."""
    s = st.session_state
    token = s.get("room")
    if not s.get("present") or not rooms.valid_token(token):
        return
    room = channel().get(str(token))
    if room is None or room.version <= s.get("_room_seen", 0):
        return
    if (room.scene, room.lang) == s.get("_room_shared"):
        s["_room_seen"] = room.version  # moved and back: nothing to redraw
        return
    st.rerun(scope="app")


def _switch_lang(lang: str) -> None:
    st.session_state["lang"] = lang
    st.session_state["_lang_given"] = True


def next_language(lang: str) -> str:
    """The language the ``L`` key switches to from ``lang``."""
    return CYCLE[(CYCLE.index(lang) + 1) % len(CYCLE)] if lang in CYCLE else CYCLE[0]


def presenter_link(state: urlstate.State) -> str:
    """The address (relative to the page) of the presenter's window of ``state``'s room."""
    wanted = dataclasses.replace(state, presenter=True, present=True)
    return "?" + urlencode(urlstate.encode(wanted), doseq=True)


def stage_css(lang: str) -> str:
    """The current language's button on stage, marked (its colour alone may not tell)."""
    return (
        f".st-key-stage-lang-{lang} button {{ font-weight: 700; text-decoration: underline;"
        " text-underline-offset: 0.25em; }"
    )


def render_stage_controls(state: urlstate.State) -> None:
    """In the stage's navigation row: a button per language (``L``: the next one, shown on it)
    and, in the audience's window (``state``, as the widgets say), the link opening the
    presenter's window in a new tab."""
    lang = state.lang
    to = next_language(lang)
    for code in CYCLE:
        st.button(
            code.upper(),
            key=f"stage-lang-{code}",
            on_click=_switch_lang,
            args=(code,),
            type="primary" if code == lang else "tertiary",
            shortcut=LANGUAGE_KEY if code == to else None,
        )
    if not state.presenter and state.room is not None:
        st.link_button(i18n.t("presenter_open", lang), presenter_link(state), type="tertiary")
