"""A talk is a file: reading (every problem at its line and key), writing back, and playing it."""

from __future__ import annotations

import html
import json
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
from tests.conftest import TODAY, metrics, run_app, shown

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
    from refugee_stats.talk import data_codes as _find_codes
    from refugee_stats.ui import _find_months

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
    # and no illustrative timeline event is drawn on a chart over time (the timeline has no
    # illustrative column: the links' hosts and dates keep those events out)
    for scene, view in zip(talk.scenes, views, strict=True):
        if scene.chart not in ("detentions", "decisions", "nationalities"):
            continue  # draws no timeline
        labels = view.context.timeline["label"].tolist()
        assert not any(label.startswith("Illustrative") for label in labels), labels
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


# -- in the dashboard -----------------------------------------------------------------------------


def titles_clicking_through(at) -> list[str]:
    out = []
    for _ in range(10):
        out.append(shown(at.title[0].value))
        if at.button(key="nav-next").disabled:
            break
        at.button(key="nav-next").click()
        at.run()
    return out


def page_text(at) -> str:
    parts = [
        e.value for kind in ("title", "markdown", "caption", "header", "subheader") for e in at.get(kind)
    ]
    parts += [str(m.label) + str(m.value) for m in at.metric]
    parts += [chart.proto.spec for chart in at.get("plotly_chart")]
    return "\n".join(str(p) for p in parts)


@pytest.mark.usefixtures("clear_cache")
def test_presentation_plays_the_sample_talk_in_its_language(monkeypatch):
    monkeypatch.delenv("REFUGEE_STATS_DATA", raising=False)
    at = run_app(present="1")
    talk, _ = load_talk(bundled_data_dir(), hosts=("KAZ",), nationalities=("UZB",), months=None)
    assert talk is not None
    assert titles_clicking_through(at) == [s.title["ru"] for s in talk.scenes]
    assert at.query_params["scene"] == "6" and "Сцена 6 из 6" in [m.value for m in at.markdown]
    at.button(key="nav-prev").click()
    at.run()
    assert shown(at.title[0].value) == talk.scenes[4].title["ru"]


@pytest.mark.usefixtures("clear_cache")
def test_a_scene_shows_its_own_filters_title_once_and_never_its_notes(monkeypatch):
    monkeypatch.delenv("REFUGEE_STATS_DATA", raising=False)
    talk, _ = load_talk(bundled_data_dir(), hosts=("KAZ",), nationalities=("UZB",), months=None)
    assert talk is not None
    at = run_app(present="1", scene="2", lang="en")  # lang= in the link wins over the talk's
    assert shown(at.title[0].value) == "June 2010: 29 detained, 17 of them refugees"
    assert html.unescape(at.markdown[0].value) == (
        '<p class="takeaway">June 2010: Kazakhstan detained 29 nationals of Uzbekistan;'
        " 17 of them were UNHCR refugees.</p>"
    )
    spec = at.get("plotly_chart")[0].proto.spec
    assert i18n.t("chart_detentions", "en") not in spec  # one title: the scene's
    layout = json.loads(spec)["layout"]
    assert layout["title"]["text"] == ""
    # On a projector the filters open the footer: the scene's filters, not the sidebar's.
    footer = [a["text"] for a in layout["annotations"] if a.get("name") == "sources"]
    assert footer and footer[0].startswith("Kazakhstan - Uzbekistan")
    for _ in talk.scenes:
        text = page_text(at)
        for scene in talk.scenes:
            for note in scene.notes.values():
                assert note not in text
        if at.button(key="nav-next").disabled:
            break
        at.button(key="nav-next").click()
        at.run()
    assert shown(at.title[0].value) == "The case in numbers"
    assert metrics(at)["People detained"] == "29"


@pytest.mark.usefixtures("clear_cache")
def test_talk_0_plays_the_standard_tour_and_the_link_keeps_it(monkeypatch):
    monkeypatch.delenv("REFUGEE_STATS_DATA", raising=False)
    at = run_app(present="1", talk="0")
    assert shown(at.title[0].value) == "Key figures"
    assert at.query_params["talk"] == "0"


@pytest.mark.usefixtures("clear_cache")
def test_a_bad_talk_is_listed_with_the_data_problems_and_the_tour_plays(monkeypatch, tmp_path):
    import shutil

    for name in ("incidents.csv", "status.csv", "timeline.csv"):
        shutil.copy(bundled_data_dir() / name, tmp_path / name)
    (tmp_path / TALK_FILE).write_text('[[scene]]\nchart = "detentons"\n', encoding="utf-8")
    monkeypatch.setenv("REFUGEE_STATS_DATA", str(tmp_path))
    at = run_app(lang="ru")
    table = at.dataframe[0].value
    rows = table[table["file"] == TALK_FILE]
    assert rows.astype(object).where(rows.notna(), None).to_dict("records") == [
        {
            "file": "talk.toml",
            "row": None,
            "column": "",
            "value": "",
            "message": "в докладе нет сцены, которую можно показать: режим презентации показывает обычный обзор",
            "severity": "предупреждение",
        },
        {
            "file": "talk.toml",
            "row": 2,
            "column": "chart",
            "value": "detentons",
            "message": "такой диаграммы нет (есть key_figures, detentions, decisions, nationalities, pipeline, map):"
            " сцена пропущена",
            "severity": "ошибка",
        },
    ]
    at = run_app(present="1")
    assert shown(at.title[0].value) == "Key figures"  # nothing of the talk can be shown: the standard tour


def test_a_link_keeps_talk_0_and_takes_a_talks_number_of_scenes():
    state, notices = urlstate.parse(
        {"talk": "0", "scene": "7"}, hosts=(), nationalities=(), months=None, scenes=7
    )
    assert (state.talk, state.scene, notices) == (False, 7, [])
    assert urlstate.encode(state)["talk"] == "0" and "talk" not in urlstate.encode(urlstate.State())
    _, notices = urlstate.parse({"scene": "7"}, hosts=(), nationalities=(), months=None, scenes=6)
    assert [n.message("en") for n in notices] == ["Ignored in the link: scene=7 (expected one of 1-6)."]
    assert [urlstate.step(6, 1, 7), urlstate.step(7, 1, 7), urlstate.step(1, -1, 7)] == [7, 7, 1]


@pytest.mark.usefixtures("clear_cache")
def test_an_uploaded_talk_plays_in_place_of_the_folders(monkeypatch):
    monkeypatch.delenv("REFUGEE_STATS_DATA", raising=False)
    at = run_app(lang="en")
    uploaded = talk_toml(
        Talk(
            title={"en": "Mine"},
            scenes=(
                Scene("decisions", link="illustrative=0", title={"en": "First"}),
                Scene("map", notes={"en": "secret note"}),
            ),
        )
    )
    at.file_uploader(key="uploads").set_value([("mine.toml", uploaded.encode(), "application/toml")])
    at.run()
    assert metrics(at)["Incidents"] == "134"  # the talk is not data: the sample is loaded as it was
    at.toggle(key="present").set_value(True)
    at.run()
    assert titles_clicking_through(at) == ["First", "Map"]
    assert "secret note" not in page_text(at)


@pytest.mark.usefixtures("clear_cache")
def test_switching_presentation_on_opens_the_talk_in_its_language_unless_one_was_chosen(monkeypatch):
    monkeypatch.delenv("REFUGEE_STATS_DATA", raising=False)
    at = run_app()
    at.toggle(key="present").set_value(True)
    at.run()
    assert (shown(at.title[0].value), at.query_params["lang"]) == ("2010: процедура изменилась", "ru")
    at = run_app()
    at.segmented_control(key="lang").set_value("kk")
    at.run()
    at.toggle(key="present").set_value(True)
    at.run()
    assert shown(at.title[0].value) == "2010: рәсім өзгерді"
