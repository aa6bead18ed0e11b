"""Editing a talk: each edit a pure function of a frozen talk, what it keeps, and that the edited
talk writes and reads back unchanged."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from refugee_stats import i18n, registry, urlstate
from refugee_stats.fields import GRANULARITIES, INCIDENT_TYPES
from refugee_stats.filters import Filters
from refugee_stats.talk import Scene, Talk, read_talk, scene_state, talk_toml
from refugee_stats.talk_edit import (
    add_scene,
    find_scene,
    move_scene,
    remove_scene,
    scene_link,
    set_lang,
    set_public,
    set_scene_text,
    set_title,
)
from tests.conftest import FOUNDING_CASE
from tests.test_talk import KNOWN, talks_

A, B, C = Scene("detentions", link="host=KAZ"), Scene("map"), Scene("key_figures", title={"en": "x"})
TALK = Talk(title={"en": "T"}, scenes=(A, B, C))


# -- the link of a scene: the filter part of the view's shareable link ----------------------------


@pytest.mark.parametrize(
    ("filters", "link"),
    [
        (Filters(), "period=month"),
        (FOUNDING_CASE, "host=KAZ&nationality=UZB&from=2010-01&to=2010-12&illustrative=0&period=month"),
        (
            Filters(host_countries=("KGZ", "KAZ"), types=("release", "detention"), granularity="year"),
            "host=KGZ,KAZ&type=release,detention&period=year",  # in the order held,
        ),
        (Filters(types=INCIDENT_TYPES, date_to="2011-03"), "to=2011-03&period=month"),  # every type: all
    ],
)
def test_a_scene_link_is_the_filter_part_of_the_views_link(filters, link):
    assert scene_link(filters) == link


def test_a_scene_link_leaves_out_what_the_talk_and_the_presenter_set():
    state = urlstate.State(filters=FOUNDING_CASE, lang="ru", theme="dark", present=True, scene=3, public=True)
    params = urlstate.encode(state)
    assert {"lang", "theme", "present", "scene", "public"} <= set(params)
    assert scene_link(state.filters) == scene_link(FOUNDING_CASE)  # the same link whatever the display


months = st.sampled_from(["2008-01", "2009-06", "2010-06", "2010-12", "2012-12"])
filters_ = st.builds(
    lambda span, **values: Filters(date_from=min(span), date_to=max(span), **values),
    st.tuples(months, months),
    host_countries=st.lists(st.sampled_from(KNOWN["hosts"]), unique=True).map(tuple),
    nationalities=st.lists(st.sampled_from(KNOWN["nationalities"]), unique=True).map(tuple),
    types=st.lists(st.sampled_from(INCIDENT_TYPES), unique=True).map(tuple),
    granularity=st.sampled_from(GRANULARITIES),
    include_illustrative=st.booleans(),
)


def same_view(a: Filters, b: Filters) -> bool:
    """Whether two filters keep the same records: no type and every type both mean all."""

    def types(f: Filters) -> set[str]:
        return set(f.types) or set(INCIDENT_TYPES)

    return a.with_(types=()) == b.with_(types=()) and types(a) == types(b)


@settings(max_examples=200, deadline=None)
@given(filters_, st.sampled_from(registry.SCENES))
def test_a_scene_added_from_a_view_plays_that_view(filters, chart):
    """Add a view, write the talk, read it back: the scene plays the very filters it was added on."""
    talk = add_scene(Talk(), chart, scene_link(filters))
    again, problems = read_talk(talk_toml(talk), "talk.toml", **KNOWN)
    assert problems == []
    state = scene_state(again.scenes[0], again, lang="en", **KNOWN)
    assert same_view(state.filters, filters)
    assert state.given >= {"from", "to", "period"}  # nothing left to a default


# -- adding, moving, removing -------------------------------------------------------------------


def test_adding_appends_a_scene_without_texts():
    talk = add_scene(TALK, "decisions", "host=KGZ")
    assert talk.scenes[:3] == TALK.scenes and talk.scenes[3] == Scene("decisions", link="host=KGZ")
    assert talk.title == TALK.title and TALK.scenes == (A, B, C)  # the talk edited is left as it was
    with pytest.raises(ValueError, match="unknown chart 'pie'"):
        add_scene(TALK, "pie")


def test_find_scene_matches_the_chart_and_the_whole_link():
    assert find_scene(TALK, "detentions", "host=KAZ") == 0
    assert find_scene(TALK, "detentions", "host=KAZ&period=month") is None
    assert find_scene(TALK, "decisions", "host=KAZ") is None
    assert find_scene(TALK, "map", "") == 1


@pytest.mark.parametrize(
    ("index", "delta", "order"),
    [
        (1, -1, (B, A, C)),
        (0, 1, (B, A, C)),
        (2, -2, (C, A, B)),
        (0, -1, (A, B, C)),  # the first cannot go up: nothing moves
        (2, 1, (A, B, C)),  # the last cannot go down
        (0, 10, (B, C, A)),
    ],
)
def test_moving_a_scene(index, delta, order):
    assert move_scene(TALK, index, delta).scenes == order


def test_removing_a_scene():
    assert remove_scene(TALK, 1).scenes == (A, C)
    assert remove_scene(remove_scene(remove_scene(TALK, 0), 0), 0).scenes == ()
    for bad in (3, -1):
        with pytest.raises(IndexError):
            remove_scene(TALK, bad)
        with pytest.raises(IndexError):
            move_scene(TALK, bad, 1)
        with pytest.raises(IndexError):
            set_scene_text(TALK, bad, "title", "en", "x")


def scenes_of(talk: Talk) -> Counter:
    return Counter(repr(s) for s in talk.scenes)


moves = st.lists(st.tuples(st.integers(0, 10), st.integers(-3, 3)), max_size=8)


@settings(max_examples=150, deadline=None)
@given(talks_, moves)
def test_moving_keeps_every_scene_once(talk, steps):
    moved = talk
    for index, delta in steps:
        moved = move_scene(moved, index % len(moved.scenes), delta)
    assert scenes_of(moved) == scenes_of(talk)
    assert (moved.title, moved.lang, moved.public) == (talk.title, talk.lang, talk.public)


@settings(max_examples=150, deadline=None)
@given(talks_, st.data())
def test_a_move_down_then_up_puts_the_scene_back(talk, data):
    index = data.draw(st.integers(0, len(talk.scenes) - 1))
    down = move_scene(talk, index, 1)
    if index == len(talk.scenes) - 1:
        assert down == talk  # the last scene stays last
    else:
        assert down.scenes[index + 1] is talk.scenes[index]
        assert move_scene(down, index + 1, -1) == talk


@settings(max_examples=150, deadline=None)
@given(talks_, st.data())
def test_removing_keeps_the_others_in_order(talk, data):
    index = data.draw(st.integers(0, len(talk.scenes) - 1))
    removed = remove_scene(talk, index)
    assert list(removed.scenes) == [s for i, s in enumerate(talk.scenes) if i != index]


# -- texts --------------------------------------------------------------------------------------


def test_setting_a_text_in_one_language_leaves_the_others():
    talk = set_scene_text(TALK, 2, "title", "ru", "  Июнь 2010  ")
    assert talk.scenes[2].title == {"en": "x", "ru": "Июнь 2010"}  # trimmed
    talk = set_scene_text(talk, 2, "title", "en", " ")  # blank: no English title any more
    assert talk.scenes[2].title == {"ru": "Июнь 2010"}
    talk = set_scene_text(talk, 0, "notes", "kk", "line one\nline two")
    assert talk.scenes[0].notes == {"kk": "line one\nline two"}
    talk = set_scene_text(talk, 1, "takeaway", "en", "Only this.")
    assert talk.scenes[1].takeaway == {"en": "Only this."} and talk.scenes[1].chart == "map"
    assert talk.scenes[0].link == "host=KAZ"
    with pytest.raises(ValueError, match="unknown text 'subtitle'"):
        set_scene_text(TALK, 0, "subtitle", "en", "x")
    with pytest.raises(ValueError, match="unknown language 'de'"):
        set_scene_text(TALK, 0, "title", "de", "x")


def test_the_talks_own_settings():
    talk = set_title(set_title(TALK, "kk", "Баяндама"), "en", "")
    assert talk.title == {"kk": "Баяндама"}
    assert set_lang(TALK, "ru").lang == "ru" and set_public(TALK, False).public is False
    assert set_public(set_public(TALK, False), True) == TALK
    with pytest.raises(ValueError, match="unknown language"):
        set_lang(TALK, "uz")


edits = st.one_of(
    st.tuples(
        st.just("text"),
        st.integers(0, 10),
        st.sampled_from(("title", "takeaway", "notes")),
        st.sampled_from(i18n.LANGUAGES),
        st.text(),
    ),
    st.tuples(st.just("title"), st.sampled_from(i18n.LANGUAGES), st.text()),
    st.tuples(st.just("lang"), st.sampled_from(i18n.LANGUAGES)),
    st.tuples(st.just("public"), st.booleans()),
    st.tuples(st.just("add"), st.sampled_from(registry.SCENES), filters_),
    st.tuples(st.just("move"), st.integers(0, 10), st.integers(-2, 2)),
    st.tuples(st.just("remove"), st.integers(0, 10)),
)


def apply(talk: Talk, edit: tuple) -> Talk:
    kind, *args = edit
    n = len(talk.scenes)
    if kind == "text" and n:
        return set_scene_text(talk, args[0] % n, *args[1:])
    if kind == "title":
        return set_title(talk, *args)
    if kind == "lang":
        return set_lang(talk, *args)
    if kind == "public":
        return set_public(talk, *args)
    if kind == "add":
        return add_scene(talk, args[0], scene_link(args[1]))
    if kind == "move" and n:
        return move_scene(talk, args[0] % n, args[1])
    if kind == "remove" and n > 1:
        return remove_scene(talk, args[0] % n)
    return talk


@settings(max_examples=200, deadline=None)
@given(talks_, st.lists(edits, max_size=10))
def test_an_edited_talk_writes_and_reads_back_unchanged(talk, steps):
    for step in steps:
        talk = apply(talk, step)
    again, problems = read_talk(talk_toml(talk), "talk.toml", **KNOWN)
    assert problems == []
    assert again == talk
