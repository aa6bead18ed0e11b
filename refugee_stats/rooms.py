"""Talk rooms: the windows presenting one talk kept in step (the audience's and the presenter's).

Two browser windows are two Streamlit sessions; what they share is a room, named by a random
token that both windows' links carry (``room=``). A room holds where the talk is (its scene and
language), a version that grows with every move, when its clock started, a fingerprint of
what the audience's window plays and, when that window plays a talk of its own (uploaded or
written there), that talk; never any records. :class:`Rooms` keeps them in the server's
memory: thread-safe, bounded in number (the least recently used room goes first) and in time
(a room idle for :data:`IDLE_SECONDS` is forgotten). The ui layer holds one per server process.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

#: Random bytes of a new token (16 characters of URL-safe base64).
TOKEN_BYTES = 12
#: What a token looks like in a link: URL-safe base64, 8 to 64 characters.
TOKEN = re.compile(r"[A-Za-z0-9_-]{8,64}")
#: Most rooms kept at once; past it the least recently used is forgotten.
MAX_ROOMS = 256
#: A room nobody has read or moved for this long is forgotten (a day: talks are shorter).
IDLE_SECONDS = 24 * 3600
#: Largest talk a room carries for its other windows, in characters of TOML (a talk is a few KB).
MAX_TALK = 100_000


def new_token() -> str:
    """A fresh, unguessable room token."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def valid_token(value: object) -> bool:
    """Whether ``value`` can name a room (as :func:`new_token` makes them)."""
    return isinstance(value, str) and TOKEN.fullmatch(value) is not None


def fingerprint(*parts: object) -> str:
    """A short digest of what a window plays (its talk, its data), to tell two windows apart."""
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Room:
    """Where a talk is: ``scene`` (from 1) in ``lang``; ``version`` grows with every move (and is
    larger than any version the store gave before); ``started`` is when its clock started
    (seconds since the epoch); ``deck`` is the :func:`fingerprint` of the audience window's talk,
    and ``talk`` that talk as TOML when it lives in that window's session only (written or uploaded
    there), so the presenter's window can play it too."""

    scene: int
    lang: str
    version: int
    started: float
    deck: str = ""
    talk: str = ""


class Rooms:
    """Rooms by token, safe to share between sessions' threads. Every read or move of a room
    counts as use; storing more than ``limit`` rooms forgets the least recently used, and a room
    unused for ``idle`` seconds is forgotten."""

    def __init__(
        self, limit: int = MAX_ROOMS, idle: float = IDLE_SECONDS, clock: Callable[[], float] = time.time
    ) -> None:
        if limit < 1:
            raise ValueError("a store holds at least one room")
        self.limit, self.idle, self.clock = limit, idle, clock
        self._rooms: OrderedDict[str, tuple[Room, float]] = OrderedDict()
        self._lock = threading.Lock()
        self._version = 0

    def __len__(self) -> int:
        with self._lock:
            return len(self._rooms)

    def _forget_idle(self, now: float) -> None:
        while self._rooms:
            token, (_, used) = next(iter(self._rooms.items()))
            if now - used < self.idle:
                break
            del self._rooms[token]

    def _put(self, token: str, room: Room, now: float) -> Room:
        self._rooms[token] = (room, now)
        self._rooms.move_to_end(token)
        while len(self._rooms) > self.limit:
            self._rooms.popitem(last=False)
        return room

    def _next_version(self) -> int:
        self._version += 1
        return self._version

    def get(self, token: str) -> Room | None:
        """The room ``token`` names, or None (never made, or forgotten)."""
        now = self.clock()
        with self._lock:
            self._forget_idle(now)
            found = self._rooms.get(token)
            if found is None:
                return None
            return self._put(token, found[0], now)

    def move(
        self, token: str, scene: int, lang: str, deck: str | None = None, talk: str | None = None
    ) -> Room:
        """Put the talk of room ``token`` at ``scene`` in ``lang`` (making the room, its clock
        starting now, if there is none); a new version only when the scene or language changes.
        ``deck`` and ``talk``, when given, replace the room's fingerprint and talk (no new version;
        a talk longer than :data:`MAX_TALK` is not carried)."""
        talk = None if talk is None else (talk if len(talk) <= MAX_TALK else "")
        if not valid_token(token):
            raise ValueError(f"not a room token: {token!r}")
        now = self.clock()
        with self._lock:
            self._forget_idle(now)
            found = self._rooms.get(token)
            if found is None:
                room = Room(scene, lang, self._next_version(), now, deck or "", talk or "")
            else:
                room = found[0]
                if (room.scene, room.lang) != (scene, lang):
                    room = dataclasses.replace(room, scene=scene, lang=lang, version=self._next_version())
                if deck is not None and deck != room.deck:
                    room = dataclasses.replace(room, deck=deck)
                if talk is not None and talk != room.talk:
                    room = dataclasses.replace(room, talk=talk)
            return self._put(token, room, now)

    def restart_clock(self, token: str) -> Room | None:
        """Start the clock of room ``token`` again from now; None when there is no such room."""
        now = self.clock()
        with self._lock:
            found = self._rooms.get(token)
            if found is None:
                return None
            return self._put(token, dataclasses.replace(found[0], started=now), now)
