"""The view as a shareable link: every filter, the language, theme, scene and presentation state.

Values in the URL are language-independent codes (``host=KAZ&nationality=UZB&from=2010-01
&to=2011-12&type=detention&period=month&lang=ru&present=1&scene=2``). :func:`parse` never
raises: a value it cannot use is dropped and reported as a :class:`Notice`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from refugee_stats import countries, dates, i18n
from refugee_stats.fields import GRANULARITIES, INCIDENT_TYPES
from refugee_stats.filters import Filters

SCENES = ("key_figures", "detentions", "decisions", "nationalities", "map")
THEMES = ("light", "dark")
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


def _flag(params: Mapping, key: str, default: bool | None, notices: list[Notice]) -> bool | None:
    value = _one(params, key)
    if value is None:
        return default
    if value.lower() in _TRUE | _FALSE:
        return value.lower() in _TRUE
    notices.append(Notice(key, value, "reason_not_choice", {"choices": "0, 1"}))
    return default


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
) -> tuple[State, list[Notice]]:
    """Read a link's query parameters into a :class:`State`; unusable values become notices.

    ``hosts``/``nationalities`` are the codes present in the data and ``months`` the first
    and last month it covers; missing dates default to that span and a missing period to
    ``month``: ``State.given`` tells such defaults from values the link set.
    """
    notices: list[Notice] = []
    date_from = _month(params, "from", months, notices)
    date_to = _month(params, "to", months, notices)
    if date_from and date_to and date_from > date_to:
        notices.append(Notice("from", f"{date_from}>{date_to}", "reason_from_after_to"))
        date_from = date_to = None
    given = {key for key, value in (("from", date_from), ("to", date_to)) if value}
    if months is not None:
        date_from, date_to = date_from or months[0], date_to or months[1]
    types: list[str] = []
    for value in _values(params, "type"):
        if value.lower() in INCIDENT_TYPES:
            types.append(value.lower())
        else:
            notices.append(Notice("type", value, "reason_not_choice", {"choices": ", ".join(INCIDENT_TYPES)}))
    host_countries = _countries(params, "host", hosts, notices)
    nationality_codes = _countries(params, "nationality", nationalities, notices)
    period = _choice(params, "period", GRANULARITIES, "", notices)
    if period:
        given.add("period")
    filters = Filters(
        host_countries=host_countries,
        nationalities=nationality_codes,
        date_from=date_from,
        date_to=date_to,
        types=tuple(t for t in INCIDENT_TYPES if t in types),
        granularity=period or "month",
        include_illustrative=_flag(params, "illustrative", True, notices),
    )
    scene = 1
    raw_scene = _one(params, "scene")
    if raw_scene is not None:
        if raw_scene.isdigit() and 1 <= int(raw_scene) <= len(SCENES):
            scene = int(raw_scene)
        else:
            notices.append(Notice("scene", raw_scene, "reason_not_choice", {"choices": f"1-{len(SCENES)}"}))
    state = State(
        filters=filters,
        lang=_choice(params, "lang", i18n.LANGUAGES, i18n.DEFAULT_LANGUAGE, notices),
        theme=_choice(params, "theme", THEMES, "light", notices),
        present=_flag(params, "present", False, notices),
        scene=scene,
        public=_flag(params, "public", None, notices),
        given=frozenset(given),
    )
    return state, notices


def encode(state: State) -> dict[str, str | list[str]]:
    """Query parameters that reproduce ``state`` (lists become repeated keys)."""
    f = state.filters
    params: dict[str, str | list[str]] = {}
    if f.host_countries:
        params["host"] = list(f.host_countries)
    if f.nationalities:
        params["nationality"] = list(f.nationalities)
    if f.date_from:
        params["from"] = f.date_from
    if f.date_to:
        params["to"] = f.date_to
    if f.types and set(f.types) != set(INCIDENT_TYPES):
        params["type"] = list(f.types)
    params["period"] = f.granularity
    if not f.include_illustrative:
        params["illustrative"] = "0"
    params["lang"] = state.lang
    params["theme"] = state.theme
    if state.present:
        params["present"] = "1"
    params["scene"] = str(state.scene)
    if state.public is not None:
        params["public"] = "1" if state.public else "0"
    return params


def step(scene: int, delta: int) -> int:
    """The scene ``delta`` steps from ``scene``, staying within 1..number of scenes."""
    return min(max(scene + delta, 1), len(SCENES))
