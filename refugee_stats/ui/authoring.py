"""Writing a talk in the app: "Add to talk" under every chart, and the talk editor.

The talk being written lives in this browser session only (``st.session_state``, never the
link) until it is downloaded as ``talk.toml``. Editing starts from the talk loaded with the data
(the folder's ``talk.toml`` or an uploaded ``.toml``), else from an empty talk; the first edit
makes the session's own copy (the draft), which presentation mode then plays in place of the
loaded one (:func:`session_talk`). Every edit is one call of a pure function of
:mod:`refugee_stats.talk_edit`, kept with the drafts before it for Undo.

The editor's widgets are keyed by a generation number, bumped whenever scenes change place or
the draft is replaced (undo, a new talk...), so each widget starts from the talk's value again;
an edit sent by a widget of an older generation (two clicks in one rerun) is dropped rather than
applied to the wrong scene.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

import streamlit as st

from refugee_stats import i18n, talk_edit
from refugee_stats import talk as talks
from refugee_stats.escape import markdown_text
from refugee_stats.view import View

#: The talk loaded with the data (playable), or None: where editing starts.
LOADED = "_talk_loaded"
#: The talk edited in this session, once the user edits (absent or None before).
DRAFT = "_talk_draft"
#: The loaded talk the draft started from (to tell when another one is loaded).
STARTED_FROM = "_talk_draft_from"
#: Earlier drafts (None: no draft), newest last, for Undo.
HISTORY = "_talk_history"
#: Bumped when scenes change place or the draft is replaced: the editor's widget keys change.
GENERATION = "_talk_generation"
#: The scene number the last "Add to talk" made, told once.
ADDED = "_talk_added"
#: How many edits Undo can take back.
UNDO_STEPS = 50
#: The name a downloaded talk is saved as.
FILE_NAME = talks.TALK_FILE

_Edit = Callable[..., talks.Talk]


# -- the talk of the session -------------------------------------------------------------------


def session_talk(loaded: talks.Talk | None) -> talks.Talk | None:
    """Remember ``loaded`` (the data's talk, None for none) as where editing starts, and return
    the talk presentation mode plays: the session's draft once the user has edited (None when
    it has no scene left: the standard tour plays), else ``loaded``."""
    st.session_state[LOADED] = loaded
    draft = st.session_state.get(DRAFT)
    if draft is None:
        return loaded
    return draft if draft.scenes else None


def editing() -> talks.Talk:
    """The talk the editor shows: the draft, else the loaded talk, else an empty talk in the
    page's language."""
    draft = st.session_state.get(DRAFT)
    if draft is not None:
        return draft
    loaded = st.session_state.get(LOADED)
    return loaded if loaded is not None else talks.Talk(lang=i18n.language(st.session_state.get("lang")))


def playing_text(talk: talks.Talk, lang: str) -> str:
    """The sidebar's line saying which talk presentation mode plays (plain text: escape it)."""
    title = talks.talk_title(talk, lang) or i18n.t("talk_untitled", lang)
    if st.session_state.get(DRAFT) is talk:
        return i18n.t("talk_playing_edited", lang, title=title)
    return i18n.t("talk_playing", lang, file=talks.TALK_FILE, title=title)


def _generation() -> int:
    return int(st.session_state.get(GENERATION, 0))


def _replace(draft: talks.Talk | None, *, moves: bool) -> None:
    """Make ``draft`` the session's talk (None: back to the loaded one), the one before kept for Undo."""
    s = st.session_state
    if s.get(DRAFT) is None:
        s[STARTED_FROM] = s.get(LOADED)
    s[HISTORY] = [*s.get(HISTORY, []), s.get(DRAFT)][-UNDO_STEPS:]
    s[DRAFT] = draft
    if moves:
        s[GENERATION] = _generation() + 1


# -- callbacks: each calls one pure edit --------------------------------------------------------


def _edit(generation: int | None, change: _Edit, *args: Any, moves: bool = False) -> None:
    """Apply ``change(talk, *args)`` to the talk shown, unless the widget asking is of an older
    generation (``None``: any) or the edit changes nothing."""
    if generation is not None and generation != _generation():
        return
    before = editing()
    after = change(before, *args)
    if after != before:
        _replace(after, moves=moves)


def _edit_widget(generation: int, key: str, change: _Edit, *args: Any) -> None:
    """A text, language or toggle widget changed: its value is the last argument of ``change``."""
    _edit(generation, change, *args, st.session_state[key])


def _add(chart: str, link: str) -> None:
    _edit(None, talk_edit.add_scene, chart, link)
    st.session_state[ADDED] = len(editing().scenes)


def _undo() -> None:
    history = list(st.session_state.get(HISTORY, []))
    if history:
        st.session_state[DRAFT] = history.pop()
        st.session_state[HISTORY] = history
        st.session_state[GENERATION] = _generation() + 1


def _start(generation: int, draft: talks.Talk | None) -> None:
    """A new empty talk, or (None) back to the loaded talk."""
    if generation == _generation():
        _replace(draft, moves=True)


def _present(on_present: Callable[[], None]) -> None:
    """Presentation mode from its first scene, playing the talk shown."""
    st.session_state.update({"present": True, "scene": 1, "talk": True})
    on_present()


# -- rendering ----------------------------------------------------------------------------------


def render_add(chart: str, view: View, lang: str) -> None:
    """Under a chart (or the key figures, or the maps): a button adding the view as the talk's
    last scene, ``chart`` on the filters of the view's link."""
    if view.empty:
        return
    link = talk_edit.scene_link(view.filters)
    found = talk_edit.find_scene(editing(), chart, link)
    label = i18n.t("talk_add", lang) if found is None else i18n.t("talk_add_again", lang, scene=found + 1)
    st.button(
        label,
        key=f"talk-add-{chart}",
        icon=":material/playlist_add:",
        help=i18n.t("talk_add_help", lang),
        on_click=_add,
        args=(chart, link),
    )


def _describe(scene: talks.Scene, known: dict[str, Any], lang: str) -> str:
    """The filters of a scene's link as the page's filter sentence says them."""
    return talks.scene_state(scene, talks.Talk(), lang=lang, **known).filters.describe(lang)


def _chart_name(chart: str, lang: str) -> str:
    return talks.scene_title(talks.Scene(chart), lang)


def render_editor(
    lang: str,
    *,
    hosts: Collection[str],
    nationalities: Collection[str],
    months: tuple[str, str] | None,
    on_present: Callable[[], None],
) -> None:
    """The talk editor: its title, language and protection; one row per scene (its chart and
    filters in words; title, takeaway and notes in the page's language; up, down, delete); then
    download, present, undo, a new talk, back to the loaded talk. ``hosts``, ``nationalities``
    and ``months`` are the data's, to read the scenes' links; ``on_present`` runs when the talk
    is presented (it picks the talk's language)."""
    known = {"hosts": hosts, "nationalities": nationalities, "months": months}
    s = st.session_state
    talk = editing()
    generation = _generation()
    draft, loaded = s.get(DRAFT), s.get(LOADED)
    language = i18n.LANGUAGE_NAMES[lang]
    added = s.pop(ADDED, None)
    if added is not None and added <= len(talk.scenes):
        chart = markdown_text(_chart_name(talk.scenes[added - 1].chart, lang))
        st.toast(i18n.t("talk_added", lang, scene=added, chart=chart), icon=":material/check:")

    st.subheader(i18n.t("talk_editor", lang), anchor="talk")
    if not talk.scenes:
        st.caption(i18n.t("talk_editor_empty", lang))
    elif draft is not None:
        st.caption(i18n.t("talk_editor_edited", lang, file=FILE_NAME))
    else:
        st.caption(i18n.t("talk_editor_loaded", lang, file=FILE_NAME))
    if draft is not None and loaded is not None and s.get(STARTED_FROM) != loaded:
        title = talks.talk_title(loaded, lang) or i18n.t("talk_untitled", lang)
        st.info(i18n.t("talk_editor_other", lang, title=markdown_text(title)))
        st.button(
            i18n.t("talk_edit_loaded", lang),
            key=f"talk-edit-loaded-{generation}",
            on_click=_start,
            args=(generation, None),
        )
    st.caption(i18n.t("talk_texts_lang", lang, language=language))

    with st.container(horizontal=True, vertical_alignment="bottom", key="talk-settings"):
        key = f"talk-name-{generation}-{lang}"
        st.text_input(
            i18n.t("talk_title", lang, language=language),
            value=talk.title.get(lang, ""),
            placeholder=talks.talk_title(talk, lang) or i18n.t("talk_untitled", lang),
            key=key,
            on_change=_edit_widget,
            args=(generation, key, talk_edit.set_title, lang),
        )
        key = f"talk-lang-{generation}"
        st.segmented_control(
            i18n.t("talk_lang", lang),
            list(i18n.LANGUAGES),
            default=talk.lang,
            format_func=lambda code: i18n.LANGUAGE_NAMES[code],
            required=True,
            help=i18n.t("talk_lang_help", lang),
            key=key,
            on_change=_edit_widget,
            args=(generation, key, talk_edit.set_lang),
        )
        key = f"talk-public-{generation}"
        st.toggle(
            i18n.t("talk_public", lang),
            value=talk.public,
            help=i18n.t("talk_public_help", lang),
            key=key,
            on_change=_edit_widget,
            args=(generation, key, talk_edit.set_public),
        )

    for index, scene in enumerate(talk.scenes):
        _render_scene_row(talk, index, scene, known, lang, generation)

    with st.container(horizontal=True, key="talk-actions"):
        st.download_button(
            i18n.t("talk_download", lang, file=FILE_NAME),
            data=talks.talk_toml(talk).encode("utf-8"),
            file_name=FILE_NAME,
            mime="application/toml",
            key="talk-download",
            icon=":material/download:",
            help=i18n.t("talk_download_help", lang, file=FILE_NAME),
            on_click="ignore",
            type="primary",
            disabled=not talk.scenes,
        )
        st.button(
            i18n.t("talk_present", lang),
            key="talk-present",
            icon=":material/slideshow:",
            on_click=_present,
            args=(on_present,),
            disabled=not talk.scenes,
        )
        st.button(
            i18n.t("talk_undo", lang),
            key="talk-undo",
            icon=":material/undo:",
            on_click=_undo,
            disabled=not s.get(HISTORY),
        )
        st.button(
            i18n.t("talk_new", lang),
            key=f"talk-new-{generation}",
            icon=":material/note_add:",
            help=i18n.t("talk_new_help", lang),
            on_click=_start,
            args=(generation, talks.Talk(lang=lang)),
            disabled=not talk.scenes and not talk.title,
        )
        if draft is not None and loaded is not None:
            st.button(
                i18n.t("talk_discard", lang),
                key=f"talk-discard-{generation}",
                icon=":material/restore:",
                help=i18n.t("talk_discard_help", lang),
                on_click=_start,
                args=(generation, None),
            )


def _render_scene_row(
    talk: talks.Talk, index: int, scene: talks.Scene, known: dict[str, Any], lang: str, generation: int
) -> None:
    """One scene of the editor: what it shows, its texts in ``lang``, and its moves."""
    language = i18n.LANGUAGE_NAMES[lang]
    last = len(talk.scenes) - 1
    with st.container(border=True, key=f"talk-scene-{index}"):
        with st.container(horizontal=True, vertical_alignment="center"):
            heading = i18n.t(
                "talk_scene_heading", lang, scene=index + 1, chart=_chart_name(scene.chart, lang)
            )
            filters = _describe(scene, known, lang)
            st.markdown(f"**{markdown_text(heading)}** — {markdown_text(filters)}", width="stretch")
            for name, icon, delta, disabled in (
                ("talk_up", ":material/arrow_upward:", -1, index == 0),
                ("talk_down", ":material/arrow_downward:", 1, index == last),
            ):
                st.button(
                    i18n.t(name, lang),
                    key=f"talk-{name[5:]}-{generation}-{index}",
                    icon=icon,
                    on_click=_edit,
                    args=(generation, talk_edit.move_scene, index, delta),
                    kwargs={"moves": True},
                    disabled=disabled,
                )
            st.button(
                i18n.t("talk_delete", lang),
                key=f"talk-delete-{generation}-{index}",
                icon=":material/delete:",
                on_click=_edit,
                args=(generation, talk_edit.remove_scene, index),
                kwargs={"moves": True},
            )
        title, takeaway = st.columns(2)
        fields = (
            (title, "title", talks.scene_title(scene, lang), st.text_input),
            (takeaway, "takeaway", i18n.t("talk_scene_takeaway_placeholder", lang), st.text_input),
        )
        for column, name, placeholder, widget in fields:
            key = f"talk-{name}-{generation}-{lang}-{index}"
            with column:
                widget(
                    i18n.t(f"talk_scene_{name}", lang, language=language),
                    value=getattr(scene, name).get(lang, ""),
                    placeholder=getattr(scene, name).get(i18n.DEFAULT_LANGUAGE) or placeholder,
                    key=key,
                    on_change=_edit_widget,
                    args=(generation, key, talk_edit.set_scene_text, index, name, lang),
                )
        key = f"talk-notes-{generation}-{lang}-{index}"
        st.text_area(
            i18n.t("talk_scene_notes", lang, language=language),
            value=scene.notes.get(lang, ""),
            placeholder=scene.notes.get(i18n.DEFAULT_LANGUAGE)
            or i18n.t("talk_scene_notes_placeholder", lang),
            height=68,
            key=key,
            on_change=_edit_widget,
            args=(generation, key, talk_edit.set_scene_text, index, "notes", lang),
        )
