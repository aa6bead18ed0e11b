"""Presenting with two windows: the audience's stage and the presenter's view, kept in step.

A presenting window belongs to a room (:mod:`refugee_stats.ui.room`). A window that moves (a
clicker key, a button, the language key) tells the room in its next run, before any widget is
drawn (:func:`follow_room`); a window that did not move takes the room's scene and language, as
its watch reruns it when the room moves.

The presenter's window (``presenter=1``) shows the scene on screen, the next one, the speaker
notes in the presenting language and a clock; the audience's window never shows notes.
"""

from __future__ import annotations

import dataclasses
import json

import streamlit as st

from refugee_stats import i18n, registry, rooms, ui, urlstate
from refugee_stats import talk as talks
from refugee_stats.charts import PROJECTOR, THEMES
from refugee_stats.escape import html_text, markdown_text
from refugee_stats.ingest.dataset import Dataset
from refugee_stats.ui.room import channel, stage_css, watch
from refugee_stats.view import View

#: The presenter view's columns: the scene on screen, and the notes over the next scene (shares).
SHARES = {"now": 0.6, "next": 0.4}
#: The width of a chart on stage at 1920x1080 (the screen less the page's margins) and the gap
#: between the two maps, in px: the presenter view lays its miniatures out at this width.
STAGE_WIDTH = 1760
MAP_GAP = 16
#: The page's left and right margins together, and the gap between two columns, in px.
PAGE_MARGINS = 160
COLUMN_GAP = 32
#: Height of the clock's frame, in px.
CLOCK_HEIGHT = 56


# -- keeping in step -------------------------------------------------------------------------


def _deck() -> str:
    """What this window plays: its talk (or the standard tour on its filters) and its data."""
    s = st.session_state
    talk = ui._playing()
    paths, signature, ids, personal = s.get("_data_key") or ((), (), (), False)
    uploads = tuple(str(i).rsplit(":", 1)[0] for i in ids)  # names: an upload's id is per session
    played = talks.talk_toml(talk) if talk is not None else ui._filters_key(ui.current_state().filters)
    return rooms.fingerprint(played, paths, signature, uploads, personal)


def follow_room() -> None:
    """Presenting, keep this window in step with its room: call it before any widget is drawn.

    A window new to its room takes the room's scene and language; a window that moved since it
    last looked tells the room; a window that did not move takes where the room is now. The
    first presenting run makes the room (a fresh token, kept for the session)."""
    s = st.session_state
    if not s.get("present"):
        return
    if not rooms.valid_token(s.get("room")):
        s["room"] = rooms.new_token()
    token = str(s["room"])
    store = channel()
    local = (int(s.get("scene", 1)), i18n.language(s.get("lang")))
    shared = s.get("_room_shared")
    deck = talk = None
    room = store.get(token)
    if s.get("presenter"):
        _play_rooms_talk(room)
    else:
        deck, talk = _deck(), _own_talk()
    if room is not None and (shared is None or (local == shared and room.version > s.get("_room_seen", 0))):
        s["scene"] = max(1, min(room.scene, ui.scene_count()))
        if room.lang in i18n.LANGUAGES and room.lang != local[1]:
            s["lang"] = room.lang
            s["_lang_given"] = True
        if deck is not None:
            store.move(token, room.scene, room.lang, deck=deck, talk=talk)
    else:
        room = store.move(token, *local, deck=deck, talk=talk)
    s["_room_seen"] = room.version
    s["_room_shared"] = (int(s["scene"]), i18n.language(s.get("lang")))
    with st.sidebar:  # hidden on stage: the style and the watch take no room on screen
        st.html(_css(s.get("theme") or "light", i18n.language(s.get("lang"))))
        watch()


def _own_talk() -> str:
    """The talk this window plays as TOML when it lives in this session only (written in the app or
    uploaded), for the room to carry to the presenter's window; blank for the data folder's."""
    talk = ui._playing()
    if talk is None or talk is st.session_state.get("_folder_talk"):
        return ""
    return talks.talk_toml(talk)


def _play_rooms_talk(room: rooms.Room | None) -> None:
    """In the presenter's window: play the talk the audience's window carries in the room (one it
    wrote or uploaded), read back as any talk is, so its notes and next scenes are that talk's."""
    if room is None or not room.talk:
        return
    own = ui._playing()
    if own is not None and talks.talk_toml(own) == room.talk:
        return
    known = st.session_state.get("_talk_bounds") or {"hosts": (), "nationalities": (), "months": None}
    talk, _ = talks.read_talk(room.talk, "room", **known)
    if talk.scenes:
        st.session_state["_talk"] = talk


# -- the presenter's window ------------------------------------------------------------------


def _miniature_css() -> str:
    """CSS that draws a scene as on stage, smaller: laid out :data:`STAGE_WIDTH` px wide (so plotly
    draws every chart as on the projector), each plot then scaled to its column's width; the
    scale steps with the window's width (a column is a share of the page less its margins)."""
    rules = []
    for where, share in SHARES.items():
        rules.append(
            f".st-key-presenter-{where}-frame {{ overflow: hidden; }}\n"
            f".st-key-presenter-{where}-chart, .st-key-presenter-{where}-figures {{ width: {STAGE_WIDTH}px"
            " !important; max-width: none !important; flex: none !important; pointer-events: none; }\n"
            f".st-key-presenter-{where}-chart .js-plotly-plot, .st-key-presenter-{where}-figures"
            " { transform-origin: 0 0; }"
        )
        for low in range(0, 3840 + 1, 128):
            column = share * (max(low, 900) - PAGE_MARGINS) - COLUMN_GAP
            scale = round(max(column, 160) / STAGE_WIDTH, 3)
            shift = round((1 - scale) * (STAGE_WIDTH + MAP_GAP) / 2)
            rules.append(
                f"@media (min-width: {low}px) {{"
                f" .st-key-presenter-{where}-frame {{ height: {round(PROJECTOR.height * scale)}px; }}"
                f" .st-key-presenter-{where}-chart .js-plotly-plot, .st-key-presenter-{where}-figures"
                f" {{ transform: scale({scale}); }}"
                f" .st-key-presenter-{where}-chart [data-testid='stColumn'] + [data-testid='stColumn']"
                f" {{ position: relative; left: -{shift}px; }} }}"
            )
    return "\n".join(rules)


#: The miniatures' CSS (the same for every window).
MINIATURE_CSS = _miniature_css()


def _css(theme: str, lang: str) -> str:
    """The current language's stage button, and the presenter view's type and miniatures."""
    colours = THEMES[theme]
    return f"""<style>
{stage_css(lang)}
.st-key-presenter h2 {{ font-size: 1.9rem !important; padding: 0.2rem 0 !important; }}
.st-key-presenter h3 {{ font-size: 1.4rem !important; padding: 0.1rem 0 !important; }}
.st-key-presenter p.takeaway {{ font-size: 1.3rem; margin: 0 0 0.4rem 0; }}
.st-key-presenter-notes p {{ font-size: 1.6rem !important; line-height: 1.45; }}
.st-key-presenter-top iframe {{ pointer-events: none; }}
[class*="st-key-presenter-label-"] p {{ text-transform: uppercase; letter-spacing: 0.08em; color: {colours.muted} !important; }}
{MINIATURE_CSS if st.session_state.get("presenter") else ""}
</style>"""


def _clock_html(started: float, theme: str, lang: str) -> str:
    """A clock that ticks in the browser: the time of day and the time since ``started`` (seconds
    since the epoch). No request, no font: a few lines of script in a frame of its own."""
    colours = THEMES[theme]
    labels = {k: html_text(i18n.t(f"presenter_{k}", lang)) for k in ("time", "elapsed")}
    return f"""<!doctype html><html><head><meta charset="utf-8"><style>
body {{ margin: 0; background: {colours.paper}; color: {colours.text};
  font: 600 26px/1.6 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; white-space: nowrap; }}
span.l {{ font-weight: 400; color: {colours.muted}; margin: 0 0.3em 0 0; }}
span.v {{ font-variant-numeric: tabular-nums; margin: 0 1.4em 0 0; }}
</style></head><body>
<span class="l">{labels["time"]}</span><span class="v" id="now">--:--:--</span>
<span class="l">{labels["elapsed"]}</span><span class="v" id="elapsed">0:00</span>
<script>
const started = {json.dumps(round(started * 1000))};
const two = n => String(n).padStart(2, "0");
function tick() {{
  const d = new Date();
  document.getElementById("now").textContent = two(d.getHours()) + ":" + two(d.getMinutes()) + ":" + two(d.getSeconds());
  const s = Math.max(0, Math.floor((Date.now() - started) / 1000));
  const h = Math.floor(s / 3600), m = Math.floor(s % 3600 / 60);
  document.getElementById("elapsed").textContent = (h ? h + ":" + two(m) : String(m)) + ":" + two(s % 60);
}}
tick();
setInterval(tick, 1000);
</script></body></html>"""


def _restart_clock(token: str) -> None:
    channel().restart_clock(token)


def _scene_chart(view: View, name: str, where: str) -> None:
    """The chart (or key figures) of scene ``name`` as the stage draws it, in a frame that shows it
    smaller (:func:`_miniature_css`): a miniature of the screen. Maps are named, not drawn: the
    browser draws a world map for seconds, which the projector's window would wait for."""
    if name == "map":
        st.caption(markdown_text(i18n.t("presenter_chart", view.lang, chart=_chart_name(name, view.lang))))
        return
    inner = "figures" if name == "key_figures" else "chart"
    with st.container(key=f"presenter-{where}-frame"), st.container(key=f"presenter-{where}-{inner}"):
        if name == "key_figures":
            ui.render_key_figures(view, view.lang)
        elif view.empty:
            st.info(i18n.t("no_records", view.lang))
        else:
            ui._chart(ui.shared_figures(view)[name], f"presenter-{where}-{name}", presentation=True)


def _label(text: str, name: str) -> None:
    """A small heading of the presenter view (``name`` tells it apart)."""
    with st.container(key=f"presenter-label-{name}"):
        st.markdown(markdown_text(text))


def render_presenter(dataset: Dataset, state: urlstate.State, view: View, shown: urlstate.State) -> None:
    """The presenter's window: a clock, the navigation (the same keys as on stage), the scene on
    screen with its chart, the speaker notes in the presenting language, and the next scene.

    ``state`` is what the window's widgets say, ``shown`` (with ``view``) what the stage shows."""
    s = st.session_state
    lang = shown.lang
    token = str(s.get("room") or "")
    room = channel().get(token) if token else None
    played = ui._playing(state)
    talk = played or talks.default_talk()
    number = shown.scene
    scene = talk.scenes[number - 1]
    with st.container(key="presenter"):
        with st.container(horizontal=True, vertical_alignment="center", key="presenter-top"):
            if room is not None:
                st.iframe(_clock_html(room.started, shown.theme, lang), height=CLOCK_HEIGHT, width=560)
                st.button(
                    i18n.t("presenter_restart_clock", lang),
                    key="presenter-restart",
                    on_click=_restart_clock,
                    args=(token,),
                    type="tertiary",
                )
        ui._navigation(shown)
        if room is not None and room.deck and room.deck != _deck():
            st.warning(i18n.t("presenter_other_talk", lang))
        now, side = st.columns([SHARES["now"], SHARES["next"]], gap="large")
        with now:
            _label(i18n.t("presenter_now", lang), "now")
            st.header(markdown_text(talks.scene_title(scene, lang)), anchor=False)
            takeaway = html_text(talks.scene_takeaway(scene, view, lang))
            st.markdown(f'<p class="takeaway">{takeaway}</p>', unsafe_allow_html=True)
            _scene_chart(view, scene.chart, "now")
        with side:
            _label(i18n.t("presenter_notes", lang), "notes")
            with st.container(key="presenter-notes"):
                notes = talks.scene_notes(scene, lang)
                st.markdown(markdown_text(notes) if notes else i18n.t("presenter_no_notes", lang))
            st.divider()
            _label(i18n.t("presenter_next", lang), "next")
            if number >= len(talk.scenes):
                st.markdown(i18n.t("presenter_end", lang))
                return
            following = talk.scenes[number]
            upcoming = ui.stage_state(dataset, dataclasses.replace(state, scene=number + 1))
            next_view = ui.build_view(dataset, upcoming)
            st.subheader(markdown_text(talks.scene_title(following, lang)), anchor=False)
            st.caption(
                markdown_text(i18n.t("presenter_chart", lang, chart=_chart_name(following.chart, lang)))
            )
            next_takeaway = html_text(talks.scene_takeaway(following, next_view, lang))
            st.markdown(f'<p class="takeaway">{next_takeaway}</p>', unsafe_allow_html=True)
            if following.chart in registry.BY_KEY:
                _scene_chart(next_view, following.chart, "next")


def _chart_name(chart: str, lang: str) -> str:
    """The name of what a scene shows (its chart's scene title)."""
    return talks.scene_title(talks.Scene(chart=chart), lang)
