"""A talk is a file: reading (every problem at its line and key), writing back, and playing it."""

from __future__ import annotations

import re
import textwrap
import tomllib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from refugee_stats import i18n, registry, urlstate
from refugee_stats.ingest.dataset import load
from refugee_stats.ingest.files import bundled_data_dir
from refugee_stats.talk import (
    TALK_FILE,
    Scene,
    Talk,
    default_talk,
    load_talk,
    read_talk,
    read_talk_bytes,
    scene_notes,
    scene_state,
    scene_takeaway,
    scene_title,
    talk_toml,
    toml_string,
)
from refugee_stats.view import build_view
from tests.conftest import TODAY

KNOWN = {"hosts": ("KAZ", "KGZ"), "nationalities": ("UZB", "AFG"), "months": ("2008-01", "2012-12")}


def read(text: str) -> tuple[Talk, list]:
    return read_talk(textwrap.dedent(text).lstrip(), "talk.toml", **KNOWN)


def found(text: str) -> list[tuple]:
    _, problems = read(text)
    return [(p.row, p.column, p.value, p.severity, p.message()) for p in problems]


# -- bad files: every problem named at its line and key -----------------------------------------

BAD = [
    pytest.param(
        """
        title = "T"
        [[scene]]
        chart = "detentons"
        [[scene]]
        chart = "map"
        """,
        [
            (
                3,
                "chart",
                "detentons",
                "error",
                "not a chart of the dashboard (one of key_figures, detentions, decisions, nationalities,"
                " pipeline, map): the scene is left out",
            )
        ],
        ("map",),
        id="unknown-chart-skips-its-scene",
    ),
    pytest.param(
        """
        [[scene]]
        link = "host=KAZ"
        [[scene]]
        chart = "map"
        """,
        [
            (
                1,
                "chart",
                "",
                "error",
                "a scene needs a chart (one of key_figures, detentions, decisions, nationalities,"
                " pipeline, map): the scene is left out",
            )
        ],
        ("map",),
        id="missing-chart-at-its-header",
    ),
    pytest.param(
        """
        lang = "fr"
        public = "yes"
        colour = "red"
        [[scene]]
        chart = "map"
        titel = "x"
        title_ru = 3
        """,
        [
            (1, "lang", "fr", "warning", "not a language of the dashboard (one of en, kk, ru): en is used"),
            (2, "public", "yes", "warning", "expected true or false: small numbers stay protected"),
            (
                3,
                "colour",
                "red",
                "warning",
                "unknown key: ignored (a talk knows title, title_kk, title_ru, lang, public, scene)",
            ),
            (6, "titel", "x", "warning", "unknown key: ignored (did you mean title?)"),
            (7, "title_ru", "3", "warning", "expected text in quotes: ignored"),
        ],
        ("map",),
        id="bad-optional-keys-are-ignored",
    ),
    pytest.param(
        """
        [[scene]]
        chart = "detentions"
        notes = \"\"\"
        chart = "not a key: inside a multi-line string\"\"\"
        link = "host=ZZZ&from=2010-13&lang=ru&hots=KAZ"
        """,
        [
            (
                5,
                "link",
                "host=ZZZ&from=2010-13&lang=ru&hots=KAZ",
                "warning",
                "lang= has no effect in a scene's link (the talk and the presenter set it): ignored",
            ),
            (
                5,
                "link",
                "host=ZZZ&from=2010-13&lang=ru&hots=KAZ",
                "warning",
                "hots= is not a key of a link (did you mean host=?): ignored",
            ),
            (
                5,
                "link",
                "host=ZZZ&from=2010-13&lang=ru&hots=KAZ",
                "warning",
                "Ignored in the link: host=ZZZ (not a country in the data).",
            ),
            (
                5,
                "link",
                "host=ZZZ&from=2010-13&lang=ru&hots=KAZ",
                "warning",
                "Ignored in the link: from=2010-13 (expected a month as YYYY-MM).",
            ),
        ],
        ("detentions",),
        id="link-notices-each-reported",
    ),
    pytest.param(
        """
        [[scenes]]
        chart = "map"
        """,
        [
            (
                None,
                "",
                "",
                "warning",
                "the talk has no scene that can be shown: presentation mode plays the standard tour",
            ),
            (1, "scenes", "", "warning", "unknown key: ignored (did you mean scene?)"),
        ],
        (),
        id="misspelt-table",
    ),
    pytest.param(
        """
        title = "T"
        lang = "ru
        """,
        [
            (
                2,
                "",
                "",
                "error",
                "not a valid TOML file at column 11: Illegal character '\\n'; the talk is not read",
            )
        ],
        (),
        id="toml-syntax-error-at-its-line",
    ),
]


@pytest.mark.parametrize(("text", "problems", "charts"), BAD)
def test_bad_talk_files(text, problems, charts):
    talk, _ = read(text)
    assert found(text) == problems
    assert tuple(s.chart for s in talk.scenes) == charts


@pytest.mark.parametrize(("text", "problems", "charts"), BAD)
def test_talk_problems_are_told_in_every_language(text, problems, charts):
    del problems, charts
    _, found_ = read(text)
    for p in found_:
        english = p.message("en")
        for lang in ("ru", "kk"):
            said = p.message(lang)
            assert said and said != english, (lang, said)
            assert not re.search(r"\b(ignored|expected|unknown|scene is)\b", said), said


def test_a_talk_with_cyrillic_text_and_a_bom_reads():
    talk, problems = read_talk(
        '\ufefftitle_kk = "Іс сандармен"\n[[scene]]\nchart = "map"\n', "t.toml", **KNOWN
    )
    assert problems == []
    assert talk.title == {"kk": "Іс сандармен"} and talk.scenes[0].line == 2


def test_a_file_that_is_not_utf8_or_too_large_is_not_read():
    talk, problems = read_talk_bytes(b'title = "\xff"', "talk.toml", **KNOWN)
    assert (talk.scenes, [(p.column, p.value, p.message()) for p in problems]) == (
        (),
        [("", "byte 10", "not UTF-8 text: the talk is not read")],
    )
    _, problems = read_talk_bytes(b" " * 1_000_001, "talk.toml", **KNOWN)
    assert [p.message() for p in problems] == ["a talk is at most 1,000,000 bytes: the talk is not read"]


def test_a_folder_without_a_talk_has_none(tmp_path):
    assert load_talk(tmp_path, **KNOWN) == (None, [])


# -- the default tour, writing back ---------------------------------------------------------------


def test_the_default_talk_is_the_standard_tour():
    talk = default_talk()
    assert tuple(s.chart for s in talk.scenes) == registry.SCENES
    assert all(s.link == "" and not s.title and not s.takeaway and not s.notes for s in talk.scenes)


@pytest.mark.parametrize(
    "text",
    ['say "hi"', "back\\slash \\n", "two\nlines\r\n", "tab\tand\x00nul\x7f\x1b", "Қазақстан — «УВКБ»", ""],
)
def test_toml_strings_read_back_as_written(text):
    assert tomllib.loads(f"x = {toml_string(text)}")["x"] == text


LINKS = [
    "",
    "host=KAZ",
    "nationality=UZB&from=2010-01&to=2011-12&period=month",
    "illustrative=0&type=detention",
]
texts = st.dictionaries(st.sampled_from(i18n.LANGUAGES), st.text(min_size=1), max_size=3)
scenes = st.builds(
    Scene,
    chart=st.sampled_from(registry.SCENES),
    link=st.sampled_from(LINKS),
    title=texts,
    takeaway=texts,
    notes=texts,
)
talks_ = st.builds(
    Talk,
    title=texts,
    lang=st.sampled_from(i18n.LANGUAGES),
    public=st.booleans(),
    scenes=st.lists(scenes, min_size=1, max_size=4).map(tuple),
)


@settings(max_examples=150, deadline=None)
@given(talks_)
def test_a_talk_written_reads_back_the_same(talk):
    again, problems = read_talk(talk_toml(talk), "talk.toml", **KNOWN)
    assert problems == []
    assert again == talk


def test_written_scenes_keep_their_lines():
    talk = Talk(scenes=(Scene("map"), Scene("key_figures", title={"en": "x"})))
    again, _ = read_talk(talk_toml(talk), "talk.toml", **KNOWN)
    assert [s.line for s in again.scenes] == [4, 7]  # lang, public, a blank line, then the scenes


# -- playing a scene ------------------------------------------------------------------------------


def test_scene_texts_fall_back_to_english_then_to_the_chart():
    scene = Scene("decisions", title={"en": "Seventeen"}, notes={"ru": "заметки"})
    assert scene_title(scene, "kk") == "Seventeen"
    assert scene_title(Scene("decisions"), "ru") == i18n.t("scene_decisions", "ru")
    assert scene_notes(scene, "ru") == "заметки" and scene_notes(scene, "en") == ""


def test_scene_state_takes_the_filters_of_its_link():
    scene = Scene("detentions", link="?host=KAZ&nationality=UZB&from=2010-01&to=2011-12&period=month")
    talk = Talk(public=False, scenes=(Scene("map"), scene))
    state = scene_state(scene, talk, lang="kk", **KNOWN)
    assert state.filters.host_countries == ("KAZ",) and state.filters.nationalities == ("UZB",)
    assert (state.filters.date_from, state.filters.date_to, state.filters.granularity) == (
        "2010-01",
        "2011-12",
        "month",
    )
    assert (state.present, state.protected, state.lang, state.scene) == (True, False, "kk", 2)
    assert isinstance(state, urlstate.State)


# -- the bundled founding talk: real records only, every number checked --------------------------


@pytest.fixture(scope="module")
def sample():
    from refugee_stats.ui import _find_codes, _find_months

    data = load(bundled_data_dir(), today=TODAY)

    found_months = _find_months(data)
    known = {
        "hosts": _find_codes(data, "host_country"),
        "nationalities": _find_codes(data, "nationality"),
        "months": (found_months[0], found_months[-1]),
    }
    talk, problems = load_talk(bundled_data_dir(), **known)
    assert problems == []
    assert talk is not None
    views = []
    for scene in talk.scenes:
        state = scene_state(scene, talk, lang="en", **known)
        views.append(build_view(data, state.filters, "en", presentation=True, public=state.protected))
    return data, talk, views


def test_the_founding_talk_shows_real_records_only(sample):
    _, talk, views = sample
    assert [s.chart for s in talk.scenes] == [
        "detentions",
        "detentions",
        "decisions",
        "pipeline",
        "map",
        "key_figures",
    ]
    assert all("illustrative=0" in s.link for s in talk.scenes)
    assert all(not v.illustrative and v.selection.illustrative_count == 0 for v in views)
    assert talk.lang == "ru" and talk.public
    for scene in talk.scenes:
        assert set(scene.title) == set(scene.notes) == set(i18n.LANGUAGES)
        assert scene.takeaway == {} or set(scene.takeaway) == set(i18n.LANGUAGES)


def numbers(text: str) -> set[int]:
    return {int(n) for n in re.findall(r"\d+", text)}


def test_every_number_the_founding_talk_states_is_the_views(sample):
    data, talk, views = sample
    procedure, june, stripped, after, where, figures = views
    # 1: 2010, the year of the procedure change on the timeline and of the only detentions bar
    events = procedure.filters.apply_timeline(data.timeline)
    changed = events[events["label"].str.contains("national authorities")]
    assert changed["date_start"].dt.year.tolist() == [2010]
    assert procedure.charts["detentions"]["totals"]["period_start"].dt.year.tolist() == [2010]
    # 2: June 2010, 29 detained, 17 of them refugees
    totals = june.charts["detentions"]["totals"]
    assert totals["period_start"].dt.strftime("%Y-%m").tolist() == ["2010-06"]
    assert (june.key_figures.people_detained, june.key_figures.unhcr_refugees) == (29, 17)
    # 3: 17 stripped of status
    assert stripped.key_figures.revocations == 17
    # 4: no outcome recorded for the 29
    assert after.key_figures.people_detained == 29 and after.key_figures.people_removed == 0
    assert set(after.selection.incidents["type"]) == {"detention"}
    # 5: all 29 nationals of Uzbekistan, detained in Kazakhstan
    maps = where.charts["map"].frames
    assert maps["host_country"].set_index("host_country")["people"].to_dict() == {"KAZ": 29}
    assert maps["nationality"].set_index("nationality")["people"].to_dict() == {"UZB": 29}
    # 6: the key figures
    f = figures.key_figures
    assert (f.people_detained, f.unhcr_refugees, f.revocations) == (29, 17, 17)
    stated = {0: {2010}, 1: {2010, 29, 17}, 2: {17}, 3: set(), 4: {29}, 5: set()}
    for index, scene in enumerate(talk.scenes):
        for lang in i18n.LANGUAGES:
            assert numbers(scene.title[lang]) == stated[index], (index, lang)
    for lang in i18n.LANGUAGES:
        assert numbers(talk.scenes[3].takeaway[lang]) == {29}
        assert numbers(talk.scenes[0].takeaway[lang]) == {2010}
        assert numbers(talk.title[lang]) == {2010, 2011}  # the detention, and the Almaty conference
    conference = data.timeline[data.timeline["label"].str.contains("conference")]
    assert conference["date_start"].dt.strftime("%Y-%m-%d").tolist() == ["2011-03-15"]


def test_the_founding_talk_computed_takeaways(sample):
    _, talk, views = sample
    assert scene_takeaway(talk.scenes[1], views[1], "en") == (
        "June 2010: Kazakhstan detained 29 nationals of Uzbekistan; 17 of them were UNHCR refugees."
    )
    assert scene_takeaway(talk.scenes[2], views[2], "en").startswith("17 people lost refugee status")


def test_the_bundled_talk_is_not_read_as_data(sample):
    data, _, _ = sample
    assert TALK_FILE not in {f.rsplit("/", 1)[-1] for f in data.files}
    assert data.problems.empty
