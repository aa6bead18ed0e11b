"""Writing a talk in the app (AppTest): add views, reorder, retitle, delete, download talk.toml,
and present the talk edited in the session."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

from refugee_stats import i18n
from refugee_stats.ingest.files import bundled_data_dir
from refugee_stats.talk import TALK_FILE, Scene, Talk, load_talk, read_talk_bytes, talk_toml
from refugee_stats.ui import authoring
from tests.conftest import metrics, run_app, shown
from tests.test_talk import page_text

pytestmark = pytest.mark.usefixtures("clear_cache")

FOUNDING = {"host": "KAZ", "nationality": "UZB", "from": "2010-01", "to": "2011-12", "illustrative": "0"}
LINK = "host=KAZ&nationality=UZB&from=2010-01&to=2011-12&illustrative=0"
KNOWN = {"hosts": ("KAZ", "KGZ", "UZB"), "nationalities": ("UZB", "AFG"), "months": ("2008-01", "2012-12")}


@pytest.fixture
def no_talk(monkeypatch, tmp_path):
    """The bundled sample's data without its talk."""
    for name in ("incidents.csv", "status.csv", "timeline.csv"):
        shutil.copy(bundled_data_dir() / name, tmp_path / name)
    monkeypatch.setenv("REFUGEE_STATS_DATA", str(tmp_path))


@pytest.fixture
def sample(monkeypatch):
    """The bundled sample, with its talk of the founding case."""
    monkeypatch.delenv("REFUGEE_STATS_DATA", raising=False)


@pytest.fixture
def downloaded(monkeypatch):
    """What a download button of the last run offers: ``downloaded(button)`` is its bytes."""
    files: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def load(self, data, mimetype, kind, filename=None):
        file_id = original(self, data, mimetype, kind, filename)
        files[file_id] = data
        return file_id

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", load)
    return lambda button: files[Path(button.proto.url).stem]


def widget(at, kind: str, name: str, index: int | None = None):
    """The editor's widget ``name`` (``title``, ``up``...) of scene ``index``, whatever its generation."""
    tail = "" if index is None else f"-{index}"
    pattern = re.compile(rf"talk-{name}-\d+(-[a-z]{{2}})?{tail}$")
    found = [w for w in at.get(kind) if w.key and pattern.match(w.key)]
    assert len(found) == 1, [w.key for w in at.get(kind)]
    return found[0]


def click(at, name: str, index: int | None = None) -> None:
    widget(at, "button", name, index).click()
    at.run()
    assert not at.exception, at.exception


def headings(at) -> list[str]:
    """The editor's scene headings as a reader sees them (escapes removed)."""
    texts = [m.value for m in at.markdown if m.value.startswith("**Scene") or m.value.startswith("**Сцена")]
    return [re.sub(r"\\(.)", r"\1", t).replace("**", "") for t in texts]


def the_download(at, downloaded) -> tuple[Talk, list]:
    button = at.download_button(key="talk-download")
    assert button.proto.label.endswith(TALK_FILE)
    return read_talk_bytes(downloaded(button), TALK_FILE, **KNOWN)


@pytest.mark.usefixtures("no_talk")
def test_add_views_reorder_retitle_delete_download_and_present(downloaded):
    at = run_app(lang="en", **FOUNDING)
    assert at.subheader[-1].value == "Talk"
    assert i18n.t("talk_editor_empty", "en") in [c.value for c in at.caption]
    assert at.download_button(key="talk-download").disabled  # nothing to save yet
    assert [b.label for b in at.button if b.key.startswith("talk-add-")] == ["Add to talk"] * 6

    at.button(key="talk-add-detentions").click()
    at.run()
    assert [t.value for t in at.toast] == ["Added to the talk as scene 1: Detentions."]
    assert at.button(key="talk-add-detentions").label == "Add to talk again (already scene 1)"
    at.segmented_control(key="period").set_value("year")  # another view: the yearly one
    at.run()
    assert at.button(key="talk-add-detentions").label == "Add to talk"
    for chart in ("decisions", "key_figures"):
        at.button(key=f"talk-add-{chart}").click()
        at.run()
    assert headings(at) == [
        "Scene 1 · Detentions — Kazakhstan - Uzbekistan - 2010-2011 - real records only",
        "Scene 2 · Status decisions — Kazakhstan - Uzbekistan - 2010-2011 - real records only",
        "Scene 3 · Key figures — Kazakhstan - Uzbekistan - 2010-2011 - real records only",
    ]
    assert widget(at, "button", "up", 0).disabled and widget(at, "button", "down", 2).disabled

    click(at, "up", 2)  # the key figures before the decisions
    assert [h.split(" — ")[0] for h in headings(at)] == [
        "Scene 1 · Detentions",
        "Scene 2 · Key figures",
        "Scene 3 · Status decisions",
    ]
    widget(at, "text_input", "title", 0).set_value("June 2010: 29 detained")
    at.run()
    widget(at, "text_area", "notes", 1).set_value("Say the number slowly.")
    at.run()
    widget(at, "text_input", "name").set_value("The founding case")
    at.run()
    click(at, "delete", 2)
    assert len(headings(at)) == 2

    talk, problems = the_download(at, downloaded)
    assert problems == []
    assert talk == Talk(
        title={"en": "The founding case"},
        lang="en",
        public=True,
        scenes=(
            Scene("detentions", link=LINK + "&period=month", title={"en": "June 2010: 29 detained"}),
            Scene("key_figures", link=LINK + "&period=year", notes={"en": "Say the number slowly."}),
        ),
    )
    # the talk is in the session, never in the link
    assert set(at.query_params) <= {
        "host",
        "nationality",
        "from",
        "to",
        "illustrative",
        "period",
        "lang",
        "theme",
        "scene",
    }
    assert [c.value for c in at.sidebar.caption if "plays" in c.value] == [
        "Presentation mode plays the talk edited in this session\\:\u2060 The founding case"
    ]

    at.button(key="talk-present").click()
    at.run()
    assert at.query_params["present"] == "1" and at.query_params["scene"] == "1"
    assert shown(at.title[0].value) == "June 2010: 29 detained"
    layout = json.loads(at.get("plotly_chart")[0].proto.spec)["layout"]
    footer = [a["text"] for a in layout["annotations"] if a.get("name") == "sources"]
    assert footer[0].startswith("Kazakhstan - Uzbekistan - 2010-2011")
    assert "Say the number slowly." not in page_text(at)
    at.button(key="nav-next").click()
    at.run()
    assert shown(at.title[0].value) == "Key figures"
    assert metrics(at)["People detained"] == "29" and at.button(key="nav-next").disabled
    assert "Say the number slowly." not in page_text(at)  # notes never reach the audience
    assert not [b for b in at.button if b.key and b.key.startswith("talk-")]  # no editor on stage
    assert not at.get("download_button") and not at.text_input


@pytest.mark.usefixtures("sample")
def test_editing_starts_from_the_loaded_talk_and_undo_goes_back(downloaded):
    loaded, _ = load_talk(bundled_data_dir(), **KNOWN)
    assert loaded is not None
    at = run_app(lang="ru")
    assert i18n.t("talk_editor_loaded", "ru", file=TALK_FILE) in [c.value for c in at.caption]
    assert len(headings(at)) == 6
    assert widget(at, "text_input", "title", 1).value == loaded.scenes[1].title["ru"]
    assert widget(at, "text_input", "name").value == loaded.title["ru"]
    assert "talk-undo" in [b.key for b in at.button] and at.button(key="talk-undo").disabled

    widget(at, "text_input", "title", 1).set_value("Июнь 2010: 29 задержанных")
    at.run()
    talk, _ = the_download(at, downloaded)
    assert talk.scenes[1].title == {**loaded.scenes[1].title, "ru": "Июнь 2010: 29 задержанных"}
    assert talk.scenes[0] == loaded.scenes[0] and talk.title == loaded.title and talk.lang == "ru"
    assert i18n.t("talk_editor_edited", "ru", file=TALK_FILE) in [c.value for c in at.caption]

    at.toggle(key="present").set_value(True)
    at.run()
    at.button(key="nav-next").click()
    at.run()
    assert shown(at.title[0].value) == "Июнь 2010: 29 задержанных"
    at.button(key="nav-exit").click()
    at.run()

    at.button(key="talk-undo").click()
    at.run()
    assert widget(at, "text_input", "title", 1).value == loaded.scenes[1].title["ru"]
    talk, _ = the_download(at, downloaded)
    assert talk == loaded

    click(at, "new")  # an empty talk: presentation mode plays the standard tour
    assert headings(at) == [] and at.download_button(key="talk-download").disabled
    at.toggle(key="present").set_value(True)
    at.run()
    assert shown(at.title[0].value) == "Задержания"  # the standard tour's scene 2 (the scene shown last)
    assert "Сцена 2 из 6" in [m.value for m in at.markdown]
    at.button(key="nav-exit").click()
    at.run()
    click(at, "discard")  # back to the loaded talk
    assert len(headings(at)) == 6 and "talk-discard" not in " ".join(b.key for b in at.button)


@pytest.mark.usefixtures("sample")
def test_blanking_a_text_falls_back_to_english_then_to_the_chart():
    at = run_app(lang="kk")
    widget(at, "text_input", "title", 0).set_value("   ")
    at.run()
    assert widget(at, "text_input", "title", 0).placeholder == "2010: the procedure changed"
    at.segmented_control(key="lang").set_value("en")
    at.run()
    widget(at, "text_input", "title", 0).set_value("")
    at.run()
    assert widget(at, "text_input", "title", 0).placeholder == "Detentions"
    at.toggle(key="present").set_value(True)
    at.run()
    assert shown(at.title[0].value) == "Detentions"


@pytest.mark.usefixtures("sample")
def test_the_talks_language_and_protection(downloaded):
    at = run_app(lang="en")
    widget(at, "segmented_control", "lang").set_value("kk")
    at.run()
    widget(at, "toggle", "public").set_value(False)
    at.run()
    talk, _ = the_download(at, downloaded)
    assert (talk.lang, talk.public) == ("kk", False)
    at.button(key="talk-present").click()  # the language was chosen (the link): it stays
    at.run()
    assert at.query_params["lang"] == "en" and at.query_params["present"] == "1"
    at = run_app()  # no language chosen: presenting opens in the talk's
    widget(at, "segmented_control", "lang").set_value("kk")
    at.run()
    at.button(key="talk-present").click()
    at.run()
    assert at.query_params["lang"] == "kk" and shown(at.title[0].value) == "2010: рәсім өзгерді"


@pytest.mark.usefixtures("no_talk")
def test_two_clicks_in_one_run_never_edit_the_wrong_scene(downloaded):
    at = run_app(lang="en", **FOUNDING)
    for chart in ("detentions", "decisions", "pipeline"):
        at.button(key=f"talk-add-{chart}").click()
        at.run()
    widget(at, "button", "delete", 0).click()
    widget(at, "button", "delete", 1).click()  # sent with the first: its scene has moved by then
    at.run()
    talk, _ = the_download(at, downloaded)
    assert [s.chart for s in talk.scenes] in (["decisions", "pipeline"], ["detentions", "pipeline"])


@pytest.mark.usefixtures("sample")
def test_a_talk_uploaded_while_editing_is_offered_not_forced():
    at = run_app(lang="en")
    widget(at, "text_input", "title", 0).set_value("Mine")
    at.run()
    title = "**bold** [link](http://example.org) :red[x]"
    uploaded = talk_toml(Talk(title={"en": title}, scenes=(Scene("map"),)))
    at.file_uploader(key="uploads").set_value([("other.toml", uploaded.encode(), "application/toml")])
    at.run()
    assert not at.exception
    info = [i.value for i in at.info if "Another talk" in i.value]
    assert len(info) == 1
    assert "**bold**" not in info[0] and "](http" not in info[0] and ":red[" not in info[0]
    assert re.sub(r"\\(.)", r"\1", info[0].replace("\u2060", "")).count(title) == 1
    assert widget(at, "text_input", "title", 0).value == "Mine"  # the edited talk still plays
    click(at, "edit-loaded")
    assert headings(at) == ["Scene 1 · Map — All host countries - all nationalities - 2008-2012"]


@pytest.mark.usefixtures("no_talk")
def test_the_editor_speaks_the_pages_language():
    at = run_app(lang="ru", **FOUNDING)
    assert at.subheader[-1].value == "Доклад"
    assert at.button(key="talk-add-map").label == "Добавить в доклад"
    at.button(key="talk-add-map").click()
    at.run()
    assert [t.value for t in at.toast] == ["Добавлено в доклад как сцена 1: Карта."]
    assert headings(at) == ["Сцена 1 · Карта — Казахстан - Узбекистан - 2010-2011 - только реальные записи"]
    assert widget(at, "text_input", "title", 0).label == "Заголовок (Русский)"
    widget(at, "text_input", "title", 0).set_value("Все 29")
    at.run()
    assert at.session_state[authoring.DRAFT].scenes[0].title == {"ru": "Все 29"}
    assert at.session_state[authoring.DRAFT].lang == "ru"  # a new talk takes the page's language


@pytest.mark.usefixtures("sample")
def test_a_new_talk_built_after_the_loaded_one_plays():
    """The loaded talk's "Play the talk" toggle is hidden while the new talk has no scene: it is
    still on when the toggle comes back."""
    at = run_app(lang="en", **FOUNDING)
    assert at.toggle(key="talk").value
    click(at, "new")
    assert "talk" not in [t.key for t in at.sidebar.toggle]  # nothing to play: the standard tour
    at.button(key="talk-add-pipeline").click()
    at.run()
    assert at.toggle(key="talk").value and "talk" not in at.query_params
    at.toggle(key="present").set_value(True)
    at.run()
    assert shown(at.title[0].value) == "Detention, revocation, removal"
    assert "Scene 1 of 1" in [m.value for m in at.markdown]


@pytest.mark.usefixtures("sample")
def test_a_view_of_nothing_offers_no_scene():
    at = run_app(lang="en", illustrative="0", **{"from": "2012-01", "to": "2012-12"})
    assert any(i18n.t("no_records", "en") == i.value for i in at.info)
    assert not [b for b in at.button if b.key and b.key.startswith("talk-add-")]
