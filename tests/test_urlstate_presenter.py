"""The presenter's link keys: ``presenter=1`` (the presenter's window) and ``room=`` (the talk's windows)."""

from __future__ import annotations

import pytest

from refugee_stats import talk as talks
from refugee_stats.filters import Filters
from refugee_stats.urlstate import Notice, State, encode, parse

SPAN = Filters(date_from="2008-01", date_to="2012-12")
ROOM = "Ab-3_xYz9QrsTuvW"


def read(query: dict) -> tuple[State, list[Notice]]:
    return parse(query, hosts={"KAZ"}, nationalities={"UZB"}, months=("2008-01", "2012-12"))


@pytest.mark.parametrize(
    ("query", "expected", "notices"),
    [
        ({}, State(filters=SPAN), []),
        # the presenter's window presents: presenter=1 alone is enough
        ({"presenter": ["1"]}, State(filters=SPAN, present=True, presenter=True), []),
        (
            {"present": ["1"], "presenter": ["yes"], "room": [ROOM]},
            State(filters=SPAN, present=True, presenter=True, room=ROOM),
            [],
        ),
        ({"room": [ROOM]}, State(filters=SPAN, room=ROOM), []),
        (
            {"presenter": ["maybe"], "present": ["1"]},
            State(filters=SPAN, present=True),
            [Notice("presenter", "maybe", "reason_not_choice", {"choices": "0, 1"})],
        ),
        (
            {"present": ["1"], "room": ["short"]},
            State(filters=SPAN, present=True),
            [Notice("room", "short", "reason_not_room")],
        ),
        (
            {"present": ["1"], "room": ["<script>alert(1)</script>"]},
            State(filters=SPAN, present=True),
            [Notice("room", "<script>alert(1)</script>", "reason_not_room")],
        ),
        ({"room": ["x" * 65]}, State(filters=SPAN), [Notice("room", "x" * 65, "reason_not_room")]),
    ],
)
def test_presenter_and_room_from_the_link(query, expected, notices):
    assert read(query) == (expected, notices)


def test_a_bad_room_reads_as_a_sentence():
    notice = Notice("room", "short", "reason_not_room")
    assert notice.message("en") == (
        "Ignored in the link: room=short (not a presentation room token (8 to 64 letters, digits, - or _))."
    )
    assert notice.message("ru").startswith("Не учтено из ссылки: room=short (не код комнаты презентации")
    assert notice.message("kk").startswith(
        "Сілтемеде ескерілмеді: room=short (презентация бөлмесінің коды емес"
    )


@pytest.mark.parametrize(
    "state",
    [
        State(filters=SPAN, present=True, scene=3, lang="ru", room=ROOM),
        State(filters=SPAN, present=True, presenter=True, scene=2, room=ROOM, talk=False),
        State(filters=SPAN, present=True, presenter=True),
    ],
)
def test_encode_then_parse_keeps_presenter_and_room(state):
    assert read(encode(state)) == (state, [])


def test_a_link_writes_presenter_and_room_only_when_set():
    assert not {"presenter", "room"} & set(encode(State(filters=SPAN, present=True)))
    params = encode(State(filters=SPAN, present=True, presenter=True, room=ROOM))
    assert (params["present"], params["presenter"], params["room"]) == ("1", "1", ROOM)


@pytest.mark.parametrize("key", ["presenter=1", f"room={ROOM}"])
def test_a_scene_link_may_not_set_the_presenter_or_room(key):
    text = f'[[scene]]\nchart = "detentions"\nlink = "host=KAZ&{key}"\n'
    talk, problems = talks.read_talk(text, "talk.toml", hosts=("KAZ",), nationalities=("UZB",), months=None)
    assert len(talk.scenes) == 1
    assert [(p.row, p.column, p.message("en")) for p in problems] == [
        (
            3,
            "link",
            f"{key.split('=')[0]}= has no effect in a scene's link (the talk and the presenter set it): ignored",
        )
    ]
