"""Talk rooms: the bounded, thread-safe store that keeps a talk's windows in step."""

from __future__ import annotations

import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from refugee_stats.rooms import IDLE_SECONDS, MAX_ROOMS, Room, Rooms, fingerprint, new_token, valid_token


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: float = 1_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


A, B, C, D = "aaaaaaaa", "bbbbbbbb", "cccccccc", "dddddddd"


def test_a_new_token_is_valid_and_fresh():
    tokens = {new_token() for _ in range(200)}
    assert len(tokens) == 200
    assert all(valid_token(t) and len(t) == 16 for t in tokens)


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("abcdEFGH", True),
        ("a-b_c-d_1234", True),
        ("x" * 64, True),
        ("x" * 65, False),
        ("short", False),
        ("", False),
        ("has space1", False),
        ("semi;colon", False),
        ("кириллица", False),
        ("abcdefgh\n", False),
        (None, False),
        (12345678, False),
    ],
)
def test_what_a_token_may_be(value, valid):
    assert valid_token(value) is valid


def test_a_room_is_made_by_its_first_move_and_versions_only_moves():
    clock = Clock()
    rooms = Rooms(clock=clock)
    assert rooms.get(A) is None
    first = rooms.move(A, 1, "ru", deck="d1")
    assert first == Room(scene=1, lang="ru", version=1, started=1_000.0, deck="d1")
    clock.now += 5
    assert rooms.move(A, 1, "ru") == first  # the same place: no new version, deck kept
    assert rooms.move(A, 2, "ru").version == 2
    assert rooms.move(A, 2, "en") == Room(scene=2, lang="en", version=3, started=1_000.0, deck="d1")
    assert rooms.move(A, 2, "en", deck="d2") == Room(2, "en", 3, 1_000.0, "d2")  # a new deck: no new version
    assert rooms.get(A) == Room(2, "en", 3, 1_000.0, "d2")
    assert len(rooms) == 1


def test_the_clock_restarts_without_moving_the_talk():
    clock = Clock()
    rooms = Rooms(clock=clock)
    rooms.move(A, 3, "kk")
    clock.now = 2_000.0
    assert rooms.restart_clock(A) == Room(3, "kk", 1, 2_000.0)
    assert rooms.restart_clock(B) is None
    assert rooms.get(B) is None  # restarting no room makes none


def test_a_bad_token_or_limit_is_refused():
    with pytest.raises(ValueError, match="not a room token"):
        Rooms().move("bad", 1, "en")
    with pytest.raises(ValueError, match="at least one room"):
        Rooms(limit=0)


def test_the_least_recently_used_room_goes_first():
    rooms = Rooms(limit=3, clock=Clock())
    for token in (A, B, C):
        rooms.move(token, 1, "en")
    rooms.get(A)  # A is used again: B is now the least recently used
    rooms.move(D, 1, "en")
    assert [t for t in (A, B, C, D) if rooms.get(t) is not None] == [A, C, D]
    assert len(rooms) == 3


def test_an_idle_room_is_forgotten():
    clock = Clock()
    rooms = Rooms(idle=60, clock=clock)
    rooms.move(A, 1, "en")
    rooms.move(B, 1, "en")
    clock.now += 59
    assert rooms.get(A) is not None  # read: used again
    clock.now += 2  # B idle 61 s, A 2 s
    assert rooms.get(B) is None
    assert rooms.get(A) is not None
    assert len(rooms) == 1
    assert (MAX_ROOMS, IDLE_SECONDS) == (256, 86_400)


def test_a_room_made_again_has_a_greater_version_than_any_before():
    """A window that saw version 7 of a forgotten room still follows the room made again."""
    clock = Clock()
    rooms = Rooms(idle=60, clock=clock)
    for scene in range(1, 8):
        rooms.move(A, scene, "en")
    seen = rooms.get(A)
    assert seen is not None and seen.version == 7
    clock.now += 120
    again = rooms.move(A, 1, "en")
    assert again.version > seen.version and again.started == clock.now


def test_fingerprints_tell_what_is_played_apart():
    assert fingerprint("talk", ("data",)) == fingerprint("talk", ("data",))
    assert fingerprint("talk", ("data",)) != fingerprint("talk", ("other",))
    assert len(fingerprint("x")) == 16


def test_sessions_moving_at_once_get_a_version_each():
    rooms = Rooms()
    versions: list[int] = []
    lock = threading.Lock()

    def clicker(offset: int) -> None:
        for scene in range(1, 201):
            room = rooms.move(A, scene * 2 + offset, "en")  # every move is a new place
            with lock:
                versions.append(room.version)

    threads = [threading.Thread(target=clicker, args=(i,)) for i in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    final = rooms.get(A)
    assert final is not None
    assert final.version == 400 == max(versions)
    assert sorted(versions) == list(range(1, 401))  # no version given twice


operations = st.lists(
    st.tuples(
        st.sampled_from(["move", "get", "restart", "tick"]),
        st.sampled_from([A, B, C, D, "eeeeeeee", "ffffffff"]),
        st.integers(1, 6),
        st.sampled_from(["en", "ru", "kk"]),
    ),
    max_size=80,
)


@settings(max_examples=150, deadline=None)
@given(operations, st.integers(1, 4))
def test_versions_only_grow_and_the_store_stays_bounded(ops, limit):
    clock = Clock()
    rooms = Rooms(limit=limit, idle=50, clock=clock)
    last: dict[str, int] = {}
    greatest = 0
    for op, token, scene, lang in ops:
        if op == "tick":
            clock.now += scene * 10
            continue
        room = {
            "move": lambda token=token, scene=scene, lang=lang: rooms.move(token, scene, lang),
            "get": lambda token=token: rooms.get(token),
            "restart": lambda token=token: rooms.restart_clock(token),
        }[op]()
        assert len(rooms) <= limit
        if room is None:
            continue
        assert room.version >= last.get(token, 0)  # a window never sees its room go back
        if room.version > last.get(token, 0) and op == "move":
            assert room.version >= greatest  # a new version is the store's newest
        last[token] = room.version
        greatest = max(greatest, room.version)
        if op == "move":
            assert (room.scene, room.lang) == (scene, lang)
