"""Editing a talk: each edit is a pure function from one frozen :class:`~refugee_stats.talk.Talk` to
the next, so the app's talk editor (:mod:`refugee_stats.ui.authoring`) only calls them.

Scenes are addressed by their index in ``talk.scenes`` (from 0). An edit that names a scene,
a chart, a language or a text that does not exist raises (``IndexError``, ``ValueError``): the
editor only offers what exists. A text set blank (or only spaces) removes that language's text,
so the talk falls back to English, then to the chart's title or the computed takeaway.
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlencode

from refugee_stats import i18n, urlstate
from refugee_stats.filters import Filters
from refugee_stats.talk import _LINK_KEYS, _TEXTS, CHARTS, Scene, Talk


def scene_link(filters: Filters) -> str:
    """The filter part of the shareable link of a view on ``filters``: what a scene's ``link`` holds
    (no language, theme, scene or protection: the talk and the presenter set those). Countries and
    types are joined by commas, in the order the link codec writes them."""
    params = urlstate.encode(urlstate.State(filters=filters))
    kept = {
        key: ",".join(value) if isinstance(value, list) else value
        for key, value in params.items()
        if key in _LINK_KEYS
    }
    return urlencode(kept, safe=",")


def _check(talk: Talk, index: int) -> None:
    if not 0 <= index < len(talk.scenes):
        raise IndexError(f"no scene {index} in a talk of {len(talk.scenes)}")


def _texts(texts: dict[str, str], lang: str, text: str) -> dict[str, str]:
    """``texts`` with ``lang``'s text set to ``text`` (stripped), or removed when it is blank."""
    if lang not in i18n.LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; expected one of {', '.join(i18n.LANGUAGES)}")
    out = {k: v for k, v in texts.items() if k != lang}
    if text.strip():
        out[lang] = text.strip()
    return out


def add_scene(talk: Talk, chart: str, link: str = "") -> Talk:
    """The talk with a last scene showing ``chart`` (a key of :data:`refugee_stats.talk.CHARTS`) on
    the filters of ``link``, without texts of its own."""
    if chart not in CHARTS:
        raise ValueError(f"unknown chart {chart!r}; expected one of {', '.join(CHARTS)}")
    return replace(talk, scenes=(*talk.scenes, Scene(chart=chart, link=link)))


def find_scene(talk: Talk, chart: str, link: str) -> int | None:
    """The index of the first scene showing ``chart`` on exactly ``link``, else None."""
    return next((i for i, s in enumerate(talk.scenes) if (s.chart, s.link) == (chart, link)), None)


def move_scene(talk: Talk, index: int, delta: int) -> Talk:
    """The talk with scene ``index`` moved ``delta`` places (-1: up, earlier; 1: down, later),
    stopping at the first and last place."""
    _check(talk, index)
    scenes = list(talk.scenes)
    scene = scenes.pop(index)
    scenes.insert(min(max(index + delta, 0), len(scenes)), scene)
    return replace(talk, scenes=tuple(scenes))


def remove_scene(talk: Talk, index: int) -> Talk:
    """The talk without scene ``index``."""
    _check(talk, index)
    return replace(talk, scenes=talk.scenes[:index] + talk.scenes[index + 1 :])


def set_scene_text(talk: Talk, index: int, name: str, lang: str, text: str) -> Talk:
    """The talk with scene ``index``'s ``name`` (``title``, ``takeaway`` or ``notes``) in ``lang``
    set to ``text``; blank removes it."""
    _check(talk, index)
    if name not in _TEXTS:
        raise ValueError(f"unknown text {name!r}; expected one of {', '.join(_TEXTS)}")
    scene = talk.scenes[index]
    changed = replace(scene, **{name: _texts(getattr(scene, name), lang, text)})
    return replace(talk, scenes=(*talk.scenes[:index], changed, *talk.scenes[index + 1 :]))


def set_title(talk: Talk, lang: str, text: str) -> Talk:
    """The talk with its title in ``lang`` set to ``text``; blank removes it."""
    return replace(talk, title=_texts(talk.title, lang, text))


def set_lang(talk: Talk, lang: str) -> Talk:
    """The talk presented in ``lang`` unless the link says otherwise."""
    if lang not in i18n.LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; expected one of {', '.join(i18n.LANGUAGES)}")
    return replace(talk, lang=lang)


def set_public(talk: Talk, public: bool) -> Talk:
    """The talk with small-number protection on (``public``) or off."""
    return replace(talk, public=bool(public))
