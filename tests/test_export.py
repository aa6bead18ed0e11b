"""The page's talk downloads (refugee_stats.ui.export), in Streamlit's AppTest: the HTML file its
button makes holds the scenes the page plays (the sample's talk, or with ``talk=0`` the standard
tour of the filters in view), in the page's language and protection; the PDF button, when the
server can print, makes one page per scene; without chromium a message stands in its place."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager

from refugee_stats import handout, i18n, registry
from refugee_stats import talk as talks
from refugee_stats.ingest.files import default_data_dir
from tests.conftest import run_app
from tests.test_app import shown
from tests.test_handout import markup

pytestmark = pytest.mark.usefixtures("clear_cache")


@pytest.fixture
def made(monkeypatch) -> dict[str, Callable[[], bytes]]:
    """What each download button of a run would make when clicked (its callable ``data``), by file name."""
    found: dict[str, Callable[[], bytes]] = {}
    keep = MediaFileManager.add_deferred

    def spy(self, data, mimetype, coordinates, file_name=None, **kwargs):
        found[str(file_name)] = data
        return keep(self, data, mimetype, coordinates, file_name=file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", spy)
    monkeypatch.delenv("REFUGEE_STATS_DATA", raising=False)
    return found


def scene_titles(document: str) -> list[str]:
    return [
        html_unescape(t)
        for t in re.findall(r'<section class="scene[^"]*"[^>]*><header><h1>(.*?)</h1>', document)
    ]


def captions(at) -> str:
    """Every caption of the page, as a reader sees it."""
    return " ".join(shown(c.value) for c in at.caption)


def html_unescape(text: str) -> str:
    import html

    return html.unescape(text)


def sample_talk() -> talks.Talk:
    talk, _ = talks.load_talk(default_data_dir(), hosts=(), nationalities=(), months=None)
    assert talk is not None
    return talk


@pytest.mark.parametrize(
    ("query", "lang", "expected"),
    [
        ({"lang": "en"}, "en", [talks.scene_title(s, "en") for s in sample_talk().scenes]),
        ({"lang": "ru"}, "ru", [talks.scene_title(s, "ru") for s in sample_talk().scenes]),
        ({"lang": "kk", "talk": "0"}, "kk", [handout.scene_title(s, "kk") for s in registry.SCENES]),
    ],
    ids=["talk-en", "talk-ru", "tour-kk"],
)
def test_the_html_button_makes_the_scenes_the_page_plays(made, query, lang, expected):
    at = run_app(**query)
    labels = [b.label for b in at.get("download_button")]
    assert i18n.t("export_html", lang) in labels
    document = made[f"refugee-stats_talk_{lang}.html"]().decode("utf-8")
    assert scene_titles(document) == expected
    assert f'<html lang="{lang}">' in document
    title = handout.deck_title(sample_talk() if query.get("talk") != "0" else None, lang)
    assert f"<title>{title}</title>" in document
    # The page is not in public mode (the default off stage): nor are the files, and it says so.
    assert '<p class="protection">' not in document
    assert i18n.t("export_not_public", lang) in captions(at)


def test_the_files_follow_the_pages_public_mode(made):
    at = run_app(lang="en", public="1", talk="0", host="KAZ")
    document = made["refugee-stats_talk_en.html"]().decode("utf-8")
    page = "".join(markup(document).text)
    assert document.count('<p class="protection">') == len(registry.SCENES)
    # The page's filters (Kazakhstan only), as the key figures scene states them; never the whole data's.
    assert "Kazakhstan - all nationalities" in page and "all host countries" not in page.lower()
    assert i18n.t("export_public", "en") in captions(at)


def test_without_chromium_a_message_stands_in_for_the_pdf_button(made, monkeypatch, tmp_path):
    monkeypatch.setenv("REFUGEE_STATS_CHROMIUM", str(tmp_path / "no-chromium"))
    at = run_app(lang="ru")
    labels = [b.label for b in at.get("download_button")]
    assert i18n.t("export_html", "ru") in labels and i18n.t("export_pdf", "ru") not in labels
    message = shown(at.info[-1].value)
    assert message == i18n.t("export_pdf_needs_chromium", "ru", path=str(tmp_path / "no-chromium"))
    assert "refugee-stats_handout_ru.pdf" not in made


@pytest.mark.skipif(
    not Path(handout.CHROMIUM).exists(), reason="needs Debian's chromium: apt-get install chromium"
)
def test_the_pdf_button_prints_one_page_per_scene(made):
    at = run_app(lang="en", talk="0")
    assert i18n.t("export_pdf", "en") in [b.label for b in at.get("download_button")]
    data = made["refugee-stats_handout_en.pdf"]()
    assert data.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page(?![s\w])", data)) == len(registry.SCENES)


def test_no_talk_downloads_without_records(made, monkeypatch, tmp_path):
    monkeypatch.setenv("REFUGEE_STATS_DATA", str(tmp_path))  # a folder without data files
    at = run_app(lang="en")
    assert i18n.t("export_html", "en") not in [b.label for b in at.get("download_button")]
    assert made == {}
