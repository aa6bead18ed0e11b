"""A talk is a file: the scenes of a presentation, their links, titles, takeaways and speaker notes.

A talk is a TOML file (``talk.toml`` in the data folder, or uploaded)::

    title = "Uzbek asylum-seekers in Kazakhstan, 2010-2011"
    title_ru = "Узбекские просители убежища в Казахстане, 2010-2011"
    lang = "ru"            # the language it is presented in unless the link says lang=
    public = true          # small-number protection (default true)

    [[scene]]
    chart = "detentions"   # a chart of the registry, "key_figures" or "map"
    link = "host=KAZ&nationality=UZB&from=2010-01&to=2011-12&period=month"
    title = "June 2010: 29 detained"           # optional; title_ru, title_kk likewise
    takeaway = ""          # optional; default: the takeaway computed from the view
    notes = "Speaker notes, never shown to the audience"

:func:`read_talk` never raises: a bad talk file is treated as bad data is, every problem named
at its line (the ``row`` of a :class:`~refugee_stats.ingest.problems.Problem`) and key (its
``column``), and the rest still plays. :func:`talk_toml` writes a talk back.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs

from refugee_stats import i18n, registry, urlstate
from refugee_stats.compute import backend_for
from refugee_stats.filters import FILTERS
from refugee_stats.ingest.dataset import Dataset
from refugee_stats.ingest.problems import Phrase, Problem, phrase, problem
from refugee_stats.view import View

#: The name of a talk in a data folder.
TALK_FILE = "talk.toml"
#: Largest talk file read, in bytes (a talk is a few kilobytes).
TALK_LIMIT = 1_000_000
#: What a scene may show: the registered charts, the key figures and the maps.
CHARTS: tuple[str, ...] = registry.SCENES
#: Keys of a link that a talk scene does not take: the talk and the presenter set them.
_NOT_IN_SCENE = ("lang", "theme", "present", "scene", "public", "presenter", "room")
_LINK_KEYS = tuple(spec.param for spec in FILTERS)
#: Texts that may be given per language: ``title`` (English), ``title_ru``, ``title_kk``...
_TEXTS = ("title", "takeaway", "notes")


def _text_keys(name: str) -> dict[str, str]:
    """The keys of one text in every language: ``{"title": "en", "title_ru": "ru", ...}``."""
    return {(name if lang == i18n.DEFAULT_LANGUAGE else f"{name}_{lang}"): lang for lang in i18n.LANGUAGES}


_TALK_KEYS = (*_text_keys("title"), "lang", "public", "scene")
_SCENE_KEYS = ("chart", "link", *(key for name in _TEXTS for key in _text_keys(name)))


@dataclass(frozen=True)
class Scene:
    """One scene: what it shows (``chart``, with the filters of ``link``, a link's query string),
    and its texts by language. ``line`` is where it starts in its file (0 for none); it takes no
    part in comparing scenes."""

    chart: str
    link: str = ""
    title: dict[str, str] = field(default_factory=dict)
    takeaway: dict[str, str] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Talk:
    """A presentation: its title by language, the language and protection it is shown with, its scenes."""

    title: dict[str, str] = field(default_factory=dict)
    lang: str = i18n.DEFAULT_LANGUAGE
    public: bool = True
    scenes: tuple[Scene, ...] = ()


def default_talk() -> Talk:
    """The standard tour: one scene per :data:`refugee_stats.registry.SCENES`, on the filters chosen."""
    return Talk(scenes=tuple(Scene(chart=name) for name in registry.SCENES))


# -- reading ---------------------------------------------------------------------------------

_KEY_LINE = re.compile(r"""^\s*(?:"([^"]*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*=""")
_HEADER = re.compile(r"^\s*\[\[\s*scene\s*\]\]")
_TABLE = re.compile(r"^\s*\[+\s*([^\]]*?)\s*\]")
_AT_LINE = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")


@dataclass
class _Lines:
    """Where each key of a talk file is written: its top-level keys, and each scene's header and keys."""

    top: dict[str, int] = field(default_factory=dict)
    scenes: list[tuple[int, dict[str, int]]] = field(default_factory=list)

    def of(self, key: str, scene: int | None = None) -> int | None:
        if scene is None:
            return self.top.get(key)
        if scene >= len(self.scenes):
            return self.top.get("scene")  # an inline array of tables: the line of ``scene =``
        header, keys = self.scenes[scene]
        return keys.get(key, header)


def _lines(text: str) -> _Lines:
    """The line of every ``key =`` of a talk file (tomllib gives none), skipping multi-line strings."""
    found = _Lines()
    keys = found.top
    in_string: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if in_string is not None:
            if line.count(in_string) % 2 == 1:
                in_string = None
            continue
        if _HEADER.match(line):
            keys = {}
            found.scenes.append((number, keys))
        elif table := _TABLE.match(line):
            found.top.setdefault(table.group(1).strip("\"'"), number)  # another table: a key of the talk
            keys = {}
        elif match := _KEY_LINE.match(line):
            key = next(group for group in match.groups() if group is not None)
            keys.setdefault(key, number)
        for quote in ('"""', "'''"):
            if line.count(quote) % 2 == 1:
                in_string = quote
                break
    return found


def _closest(key: str, known: Collection[str]) -> Phrase:
    """Unknown key ``key``, with the closest known key as a hint when there is one."""
    close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
    if close:
        return phrase("talk_unknown_key_hint", hint=close[0])
    return phrase("talk_unknown_key", keys=", ".join(known))


def _shown(value: object) -> str:
    """A value as the problems table shows it: text as written, TOML values as TOML."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class _Reader:
    """The checks of one talk file, collecting its problems."""

    def __init__(
        self,
        file: str,
        lines: _Lines,
        hosts: Collection[str],
        nationalities: Collection[str],
        months: tuple[str, str] | None,
    ) -> None:
        self.file = file
        self.lines = lines
        self.hosts, self.nationalities, self.months = hosts, nationalities, months
        self.problems: list[Problem] = []

    def report(
        self, said: Phrase, key: str, value: object, scene: int | None, severity: str = "warning"
    ) -> None:
        self.problems.append(
            problem(
                self.file,
                said,
                row=self.lines.of(key, scene),
                column=key,
                value=_shown(value),
                severity=severity,
            )
        )

    def texts(self, table: Mapping[str, object], name: str, scene: int | None) -> dict[str, str]:
        out: dict[str, str] = {}
        for key, lang in _text_keys(name).items():
            if key not in table:
                continue
            value = table[key]
            if not isinstance(value, str):
                self.report(phrase("talk_not_text"), key, value, scene)
            elif value:
                out[lang] = value
        return out

    def unknown(self, table: Mapping[str, object], known: tuple[str, ...], scene: int | None) -> None:
        for key, value in table.items():
            if key not in known:
                self.report(
                    _closest(key, known), key, value if not isinstance(value, dict | list) else "", scene
                )

    def link(self, value: object, scene: int) -> str:
        if not isinstance(value, str):
            self.report(phrase("talk_not_text"), "link", value, scene)
            return ""
        params = link_params(value)
        for key in params:
            if key in _NOT_IN_SCENE:
                self.report(phrase("talk_link_not_in_scene", key=key), "link", value, scene)
            elif key not in _LINK_KEYS:
                hint = difflib.get_close_matches(key, _LINK_KEYS, n=1, cutoff=0.6)
                said = (
                    phrase("talk_link_unknown_hint", key=key, hint=hint[0])
                    if hint
                    else phrase("talk_link_unknown", key=key, keys=", ".join(_LINK_KEYS))
                )
                self.report(said, "link", value, scene)
        _, notices = urlstate.parse(
            {k: v for k, v in params.items() if k in _LINK_KEYS},
            hosts=self.hosts,
            nationalities=self.nationalities,
            months=self.months,
        )
        for notice in notices:
            said = Phrase(
                "url_ignored",
                {"key": notice.key, "value": notice.value, "reason": Phrase(notice.reason, notice.detail)},
            )
            self.report(said, "link", value, scene)
        return value

    def scene(self, table: object, index: int) -> Scene | None:
        if not isinstance(table, dict):
            self.report(phrase("talk_scene_not_table"), "scene", table, index, "error")
            return None
        self.unknown(table, _SCENE_KEYS, index)
        charts = ", ".join(CHARTS)
        chart = table.get("chart")
        if chart is None:
            self.report(phrase("talk_chart_missing", charts=charts), "chart", "", index, "error")
            return None
        if not isinstance(chart, str) or chart not in CHARTS:
            self.report(phrase("talk_chart_unknown", charts=charts), "chart", chart, index, "error")
            return None
        header = (
            self.lines.scenes[index][0] if index < len(self.lines.scenes) else self.lines.of("scene") or 0
        )
        return Scene(
            chart=chart,
            link=self.link(table["link"], index) if "link" in table else "",
            title=self.texts(table, "title", index),
            takeaway=self.texts(table, "takeaway", index),
            notes=self.texts(table, "notes", index),
            line=header,
        )

    def talk(self, data: Mapping[str, object]) -> Talk:
        self.unknown(data, _TALK_KEYS, None)
        lang = data.get("lang", i18n.DEFAULT_LANGUAGE)
        if lang not in i18n.LANGUAGES:
            said = phrase(
                "talk_lang_unknown", languages=", ".join(i18n.LANGUAGES), default=i18n.DEFAULT_LANGUAGE
            )
            self.report(said, "lang", lang, None)
            lang = i18n.DEFAULT_LANGUAGE
        public = data.get("public", True)
        if not isinstance(public, bool):
            self.report(phrase("talk_public_not_bool"), "public", public, None)
            public = True
        tables = data.get("scene", [])
        if not isinstance(tables, list):
            self.report(phrase("talk_scene_not_table"), "scene", "", None, "error")
            tables = []
        scenes = tuple(s for i, table in enumerate(tables) if (s := self.scene(table, i)) is not None)
        if not scenes:
            self.problems.append(problem(self.file, "talk_no_scenes", severity="warning"))
        return Talk(title=self.texts(data, "title", None), lang=str(lang), public=public, scenes=scenes)


def link_params(link: str) -> dict[str, list[str]]:
    """A link's query parameters: its query string, or a whole address's (after its ``?``)."""
    query = link.split("?", 1)[1] if "?" in link else link
    return parse_qs(query.split("#", 1)[0].strip(), keep_blank_values=True)


def read_talk(
    text: str,
    file: str,
    *,
    hosts: Collection[str],
    nationalities: Collection[str],
    months: tuple[str, str] | None,
) -> tuple[Talk, list[Problem]]:
    """The talk written in ``text`` (the file ``file``) and every problem found in it.

    ``hosts``, ``nationalities`` and ``months`` are those of the data, as for
    :func:`refugee_stats.urlstate.parse`, so a link naming what the data lacks is told.
    A scene that cannot be shown is left out (an error); a key that cannot be used is ignored (a
    warning). A file that is not TOML gives one error at its line and an empty talk.
    """
    text = text.removeprefix("\ufeff")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        at = _AT_LINE.search(message)
        row = int(at.group(1)) if at else None
        column = at.group(2) if at else ""
        error = _AT_LINE.sub("", message) if at else message
        said = (
            phrase("talk_syntax", error=error, column=column)
            if at
            else phrase("talk_syntax_nowhere", error=error)
        )
        return Talk(), [problem(file, said, row=row)]
    reader = _Reader(file, _lines(text), hosts, nationalities, months)
    talk = reader.talk(data)
    return talk, sorted(reader.problems, key=lambda p: (p.row is not None, p.row or 0))


def load_talk(
    folder: str | Path,
    *,
    hosts: Collection[str],
    nationalities: Collection[str],
    months: tuple[str, str] | None,
) -> tuple[Talk | None, list[Problem]]:
    """The talk of a data folder (its :data:`TALK_FILE`, or the file named), None when there is none."""
    path = Path(folder)
    if path.is_dir():
        path = path / TALK_FILE
    if not path.is_file():
        return None, []
    try:
        data = path.read_bytes() if path.stat().st_size <= TALK_LIMIT else None
    except OSError as exc:
        return Talk(), [problem(str(path), phrase("talk_unreadable", error=str(exc)))]
    return read_talk_bytes(data, str(path), hosts=hosts, nationalities=nationalities, months=months)


def read_talk_bytes(
    data: bytes | None,
    file: str,
    *,
    hosts: Collection[str],
    nationalities: Collection[str],
    months: tuple[str, str] | None,
) -> tuple[Talk, list[Problem]]:
    """:func:`read_talk` of a file's bytes (an upload, or a file read), None for one too large."""
    if data is None or len(data) > TALK_LIMIT:
        return Talk(), [problem(file, phrase("talk_too_large", limit=i18n.number(TALK_LIMIT)))]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return Talk(), [problem(file, "talk_not_utf8", value=f"byte {exc.start + 1}")]
    return read_talk(text, file, hosts=hosts, nationalities=nationalities, months=months)


# -- writing ---------------------------------------------------------------------------------

_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string: quotes, backslashes and control characters escaped."""
    out = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _text_lines(name: str, texts: Mapping[str, str]) -> list[str]:
    return [
        f"{key} = {toml_string(texts[lang])}" for key, lang in _text_keys(name).items() if texts.get(lang)
    ]


def talk_toml(talk: Talk) -> str:
    """The talk as a TOML file that :func:`read_talk` reads back into the same talk."""
    lines = [*_text_lines("title", talk.title)]
    lines.append(f"lang = {toml_string(talk.lang)}")
    lines.append(f"public = {'true' if talk.public else 'false'}")
    for scene in talk.scenes:
        lines += ["", "[[scene]]", f"chart = {toml_string(scene.chart)}"]
        if scene.link:
            lines.append(f"link = {toml_string(scene.link)}")
        for name in _TEXTS:
            lines += _text_lines(name, getattr(scene, name))
    return "\n".join(lines) + "\n"


# -- playing ---------------------------------------------------------------------------------


def scene_state(
    scene: Scene,
    talk: Talk,
    *,
    hosts: Collection[str],
    nationalities: Collection[str],
    months: tuple[str, str] | None,
    lang: str,
) -> urlstate.State:
    """What a scene shows: the filters of its link (values it cannot use dropped, as a link's are),
    in ``lang``, on stage, with the talk's protection; ``scene`` is its number in the talk."""
    params = {k: v for k, v in link_params(scene.link).items() if k in _LINK_KEYS}
    state, _ = urlstate.parse(params, hosts=hosts, nationalities=nationalities, months=months)
    number = next((i for i, s in enumerate(talk.scenes, start=1) if s is scene), 1)
    return urlstate.State(
        filters=state.filters,
        lang=i18n.language(lang),
        present=True,
        scene=number,
        public=talk.public,
        given=state.given,
    )


def data_codes(dataset: Dataset, column: str) -> tuple[str, ...]:
    """The distinct codes of ``column`` (``host_country``, ``nationality``) in the incidents and the
    status decisions, sorted."""
    return backend_for(dataset).codes(column)


def data_bounds(dataset: Dataset) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, str] | None]:
    """What a talk's links are checked against: the host countries and nationalities in the data,
    and its first and last month (as :func:`refugee_stats.urlstate.parse` takes them)."""
    backend = backend_for(dataset)
    return backend.codes("host_country"), backend.codes("nationality"), backend.months()


def _in(texts: Mapping[str, str], lang: str) -> str:
    return texts.get(lang) or texts.get(i18n.DEFAULT_LANGUAGE) or ""


def scene_title(scene: Scene, lang: str) -> str:
    """The scene's title in ``lang`` (else in English), else the title of its chart's scene."""
    given = _in(scene.title, lang)
    if given:
        return given
    spec = registry.BY_KEY.get(scene.chart)
    return i18n.t(spec.scene_title if spec else f"scene_{scene.chart}", lang)


def scene_takeaway(scene: Scene, view: View, lang: str) -> str:
    """The scene's takeaway in ``lang`` (else in English), else the one computed from ``view``."""
    return _in(scene.takeaway, lang) or registry.TAKEAWAYS[scene.chart](view, lang)


def scene_notes(scene: Scene, lang: str) -> str:
    """The speaker notes in ``lang`` (else in English); never for the audience's screen."""
    return _in(scene.notes, lang)


def talk_title(talk: Talk, lang: str) -> str:
    """The talk's title in ``lang`` (else in English); blank for none."""
    return _in(talk.title, lang)
