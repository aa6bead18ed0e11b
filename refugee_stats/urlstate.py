"""The view as a shareable link: every filter, the language, theme, scene and presentation state.

Values in the URL are language-independent codes (``host=KAZ&nationality=UZB&from=2010-01
&to=2011-12&type=detention&period=month&lang=ru&present=1&scene=2``). :func:`parse` never
raises: a value it cannot use is dropped and reported as a :class:`Notice`. Presenting, two
windows keep in step through a room (``room=``, :mod:`refugee_stats.rooms`); ``presenter=1``
opens the presenter's window of it.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any, overload

from refugee_stats import countries, dates, i18n, rooms
from refugee_stats.filters import FILTERS, Filters
from refugee_stats.registry import SCENES

THEMES = ("light", "dark")
#: Each filter's value when a link does not set it.
_DEFAULTS: dict[str, Any] = {f.name: f.default for f in fields(Filters)}
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


@dataclass(frozen=True)
class State:
    """Everything a link reproduces. ``scene`` counts from 1.

    ``given`` names those of ``from``, ``to`` and ``period`` that the link set (and that could
    be used); the others are defaults a caller may choose from the data. It tells how the
    state came about, not what it shows, so it takes no part in comparing states.
    """

    filters: Filters = field(default_factory=Filters)
    lang: str = i18n.DEFAULT_LANGUAGE
    theme: str = "light"
    present: bool = False
    scene: int = 1
    public: bool | None = None
    #: Whether presentation mode plays the loaded talk (``talk=0``: the standard tour).
    talk: bool = True
    #: Whether this window is the presenter's (notes, next scene, clock); it implies ``present``.
    presenter: bool = False
    #: The room keeping this talk's windows in step (a token of :mod:`refugee_stats.rooms`).
    room: str | None = None
    given: frozenset[str] = field(default=frozenset(), compare=False)

    @property
    def protected(self) -> bool:
        """Whether counts under 5 are hidden: as chosen, else on exactly in presentation mode."""
        return self.present if self.public is None else self.public


@dataclass(frozen=True)
class Notice:
    """A URL value that was dropped, and why (``reason`` is an i18n key, ``detail`` fills it)."""

    key: str
    value: str
    reason: str
    detail: Mapping[str, str] = field(default_factory=dict)

    def message(self, lang: str) -> str:
        """The notice as a sentence in ``lang``."""
        reason = i18n.t(self.reason, lang, **self.detail)
        return i18n.t("url_ignored", lang, key=self.key, value=self.value, reason=reason)


def _values(params: Mapping[str, str | Sequence[str]], key: str) -> list[str]:
    raw = params.get(key, [])
    items = [raw] if isinstance(raw, str) else list(raw)
    return [part.strip() for item in items for part in item.split(",") if part.strip()]


def _one(params: Mapping[str, str | Sequence[str]], key: str) -> str | None:
    values = _values(params, key)
    return values[-1] if values else None


def _choice(params: Mapping, key: str, choices: Sequence[str], default: str, notices: list[Notice]) -> str:
    value = _one(params, key)
    if value is None:
        return default
    if value.lower() in choices:
        return value.lower()
    notices.append(Notice(key, value, "reason_not_choice", {"choices": ", ".join(choices)}))
    return default


@overload
def _flag(params: Mapping, key: str, default: bool, notices: list[Notice]) -> bool: ...
@overload
def _flag(params: Mapping, key: str, default: None, notices: list[Notice]) -> bool | None: ...
def _flag(params: Mapping, key: str, default: bool | None, notices: list[Notice]) -> bool | None:
    value = _one(params, key)
    if value is None:
        return default
    if value.lower() in _TRUE | _FALSE:
        return value.lower() in _TRUE
    notices.append(Notice(key, value, "reason_not_choice", {"choices": "0, 1"}))
    return default


def _choices(params: Mapping, key: str, choices: Sequence[str], notices: list[Notice]) -> tuple[str, ...]:
    """Values among ``choices``, in the choices' order; others become notices."""
    chosen: set[str] = set()
    for value in _values(params, key):
        if value.lower() in choices:
            chosen.add(value.lower())
        else:
            notices.append(Notice(key, value, "reason_not_choice", {"choices": ", ".join(choices)}))
    return tuple(c for c in choices if c in chosen)


def _countries(params: Mapping, key: str, known: Collection[str], notices: list[Notice]) -> tuple[str, ...]:
    out: list[str] = []
    for value in _values(params, key):
        code = countries.to_alpha3(value)
        if code is None or code not in known:
            notices.append(Notice(key, value, "reason_unknown_code"))
        elif code not in out:
            out.append(code)
    return tuple(out)


def _month(params: Mapping, key: str, bounds: tuple[str, str] | None, notices: list[Notice]) -> str | None:
    value = _one(params, key)
    if value is None:
        return None
    period = dates.parse(value)
    if period is None or dates.precision(period) != "month":
        notices.append(Notice(key, value, "reason_not_month"))
        return None
    month = str(period)
    if bounds is not None and not bounds[0] <= month <= bounds[1]:
        notices.append(Notice(key, value, "reason_outside_data"))
        return None
    return month


def parse(
    params: Mapping[str, str | Sequence[str]],
    *,
    hosts: Collection[str],
    nationalities: Collection[str],
    months: tuple[str, str] | None,
    scenes: int = len(SCENES),
) -> tuple[State, list[Notice]]:
    """Read a link's query parameters into a :class:`State`; unusable values become notices.

    ``hosts``/``nationalities`` are the codes present in the data and ``months`` the first
    and last month it covers; missing dates default to that span and a missing period to
    ``month``: ``State.given`` tells such defaults from values the link set. ``scenes`` is the
    number of scenes presentation mode plays (a talk's, else :data:`SCENES`).
    """
    notices: list[Notice] = []
    known = {"hosts": hosts, "nationalities": nationalities}
    values: dict[str, object] = {}
    for spec in FILTERS:
        if spec.kind == "countries":
            values[spec.name] = _countries(params, spec.param, known[spec.known], notices)
        elif spec.kind == "month":
            values[spec.name] = _month(params, spec.param, months, notices)
        elif spec.kind == "choices":
            values[spec.name] = _choices(params, spec.param, spec.choices, notices)
        elif spec.kind == "choice":
            values[spec.name] = _choice(params, spec.param, spec.choices, "", notices)
        elif spec.kind == "flag":
            values[spec.name] = _flag(params, spec.param, _DEFAULTS[spec.name], notices)
    if values["date_from"] and values["date_to"] and str(values["date_from"]) > str(values["date_to"]):
        notices.append(Notice("from", f"{values['date_from']}>{values['date_to']}", "reason_from_after_to"))
        values["date_from"] = values["date_to"] = None
    # Which of the dates and the period the link set; the others default from the data.
    given = {spec.param for spec in FILTERS if spec.kind in ("month", "choice") and values[spec.name]}
    if months is not None:
        values["date_from"] = values["date_from"] or months[0]
        values["date_to"] = values["date_to"] or months[1]
    values["granularity"] = values["granularity"] or _DEFAULTS["granularity"]
    filters = Filters(**values)  # type: ignore[arg-type]
    scene = 1
    raw_scene = _one(params, "scene")
    if raw_scene is not None:
        if raw_scene.isdigit() and 1 <= int(raw_scene) <= scenes:
            scene = int(raw_scene)
        else:
            notices.append(Notice("scene", raw_scene, "reason_not_choice", {"choices": f"1-{scenes}"}))
    presenter = _flag(params, "presenter", False, notices)
    room = _one(params, "room")
    if room is not None and not rooms.valid_token(room):
        notices.append(Notice("room", room, "reason_not_room"))
        room = None
    state = State(
        filters=filters,
        lang=_choice(params, "lang", i18n.LANGUAGES, i18n.DEFAULT_LANGUAGE, notices),
        theme=_choice(params, "theme", THEMES, "light", notices),
        present=_flag(params, "present", False, notices) or presenter,
        scene=scene,
        public=_flag(params, "public", None, notices),
        talk=_flag(params, "talk", True, notices),
        presenter=presenter,
        room=room,
        given=frozenset(given),
    )
    return state, notices


def encode(state: State) -> dict[str, str | list[str]]:
    """Query parameters that reproduce ``state`` (lists become repeated keys)."""
    params: dict[str, str | list[str]] = {}
    for spec in FILTERS:
        value = getattr(state.filters, spec.name)
        if spec.kind == "choice":
            params[spec.param] = str(value)  # always written: a link keeps its period
        elif spec.kind == "flag":
            if value != _DEFAULTS[spec.name]:
                params[spec.param] = "1" if value else "0"
        elif spec.active(value):
            params[spec.param] = list(value) if isinstance(value, tuple) else str(value)
    params["lang"] = state.lang
    params["theme"] = state.theme
    if state.present:
        params["present"] = "1"
    params["scene"] = str(state.scene)
    if state.public is not None:
        params["public"] = "1" if state.public else "0"
    if not state.talk:
        params["talk"] = "0"
    if state.presenter:
        params["presenter"] = "1"
    if state.room is not None:
        params["room"] = state.room
    return params


def step(scene: int, delta: int, scenes: int = len(SCENES)) -> int:
    """The scene ``delta`` steps from ``scene``, staying within 1..``scenes`` (the number played)."""
    return min(max(scene + delta, 1), scenes)
