"""The talk as one offline HTML file and a PDF handout (refugee_stats.handout, ``refugee-stats talk export``).

The tests marked ``browser`` open the exported file in Debian's chromium (one per module) through
file://, count its requests, draw every scene from the keyboard and print the handout.
"""

from __future__ import annotations

import dataclasses
import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import plotly.offline
import pytest

from refugee_stats import cli, handout, i18n, protect, registry, talk, urlstate
from refugee_stats.ingest.dataset import load
from tests.conftest import FOUNDING_CASE as FOUNDING
from tests.conftest import TODAY
from tests.test_escape import write_hostile

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def sample():
    return load(ROOT / "data")


@pytest.fixture(scope="module")
def tour(sample):
    """The default tour of the whole sample, public, in English (with the maps)."""
    return handout.tour_slides(
        sample, handout.whole_data_filters(sample), lang="en", public=True, base_url="https://example.org/"
    )


@pytest.fixture(scope="module")
def tour_html(tour):
    return handout.talk_html(tour, lang="en", title="Sample talk")


@pytest.fixture(scope="module")
def founding(sample):
    return handout.tour_slides(sample, FOUNDING, lang="en", public=False)


class Markup(HTMLParser):
    """Every tag and attribute of a document, and the text of its style and script elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.styles: list[str] = []
        self.scripts: list[str] = []
        self.text: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in = tag if tag in ("style", "script") else None

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in == "style":
            self.styles.append(data)
        elif self._in == "script":
            self.scripts.append(data)
        else:
            self.text.append(data)


def markup(document: str) -> Markup:
    parser = Markup()
    parser.feed(document)
    return parser


# -- slides ----------------------------------------------------------------------------------


def test_tour_has_one_slide_per_scene_with_its_link(tour):
    assert [s.scene for s in tour] == list(registry.SCENES)
    assert [s.number for s in tour] == list(range(1, len(registry.SCENES) + 1))
    for slide in tour:
        assert slide.title == handout.scene_title(slide.scene, "en") and slide.takeaway
        parts = urlsplit(slide.link)
        assert f"{parts.scheme}://{parts.netloc}/" == "https://example.org/"
        state, notices = urlstate.parse(
            parse_qs(parts.query), hosts=["KAZ"], nationalities=["UZB"], months=("2008-01", "2012-12")
        )
        assert not notices
        assert state.present and state.protected and state.scene == slide.number
        assert state.filters.date_from == "2008-01" and state.filters.date_to == "2012-12"
    assert [len(s.figures) for s in tour] == [0, 1, 1, 1, 1, 2]
    assert [len(s.tables) for s in tour] == [0, 1, 1, 1, 1, 2]


def test_founding_case_numbers_by_hand(founding):
    """29 Uzbek asylum-seekers detained in Kazakhstan in June 2010 (one incident), 17 of them UNHCR
    refugees, all 17 stripped of that status."""
    key = dict(founding[0].key_figures)
    assert key == {
        "People detained": "29",
        "Incidents": "1",
        "Of whom UNHCR refugees": "17",
        "Status revocations": "17",
        "Extradited or deported": "0",
    }
    assert founding[0].key_figure_notes == ()  # every record states a status
    assert founding[0].takeaway == (
        "29 people detained in 1 incident; 17 people held UNHCR refugee status; 17 people lost refugee status."
    )
    detentions = founding[1].tables[0].frame
    assert detentions.to_dict("records") == [
        {
            "Period": "Jun 2010",
            "Nationality": "Uzbekistan",
            "People": "29",
            "Of whom UNHCR refugees": "17",
            "Of whom status unknown": "0",
        }
    ]
    decisions = founding[2].tables[0].frame
    assert decisions[["Decision", "People"]].values.tolist() == [["Revoked", "17"]]
    flows = {(r["From"], r["To"]): r["People"] for r in founding[4].tables[0].frame.to_dict("records")}
    assert flows[("Detained", "UNHCR refugees")] == "17"
    assert flows[("Detained", "Other asylum-seekers")] == "12"
    assert flows[("UNHCR refugees", "Status revoked")] == "17"
    hosts, nationalities = (t.frame.values.tolist() for t in founding[5].tables)
    assert hosts == [["Kazakhstan", "29"]] and nationalities == [["Uzbekistan", "29"]]
    assert founding[5].takeaway == "Most people were detained in Kazakhstan: 29 people of 29."


def test_real_records_have_no_watermark_and_illustrative_keep_it(founding, tour):
    for slide in founding:
        assert not slide.illustrative
        for fig in slide.figures:
            assert not [a for a in fig.layout.annotations if a.name == "watermark"]
    for slide in tour:
        assert slide.illustrative
        for fig in slide.figures:
            marks = [a for a in fig.layout.annotations if a.name == "watermark"]
            assert len(marks) == 1 and marks[0].text == i18n.t("watermark", "en")
    founding_html = handout.talk_html(founding, lang="en", title="t")
    assert 'class="watermark"' not in founding_html
    assert handout.talk_html(tour, lang="en", title="t").count('<div class="watermark">') == 1  # key figures


def test_sources_and_protection_note_move_out_of_the_figures(tour):
    note = protect.footnote("en")
    for slide in tour:
        assert slide.protection_note == note
        assert "IWPR News Briefing" in slide.sources and slide.sources.startswith("Source: ")
        for fig in slide.figures:
            texts = [re.sub(r"<br>|\s", "", a.text or "") for a in fig.layout.annotations]
            assert not [a for a in fig.layout.annotations if a.name == "sources"]
            assert re.sub(r"\s", "", html.escape(note, quote=False)) not in texts


COUNT_COLUMNS = {"People", "Of whom UNHCR refugees", "Of whom status unknown"}
SMALL = re.compile(r"(?<![\w.,<])[1-4](?![\w.,%])")


def test_public_mode_shows_no_count_from_1_to_4(tour):
    shown_small = 0
    for slide in tour:
        assert not SMALL.search(slide.takeaway), slide.takeaway
        for _, value in slide.key_figures:
            assert value not in {"1", "2", "3", "4"}
        for _, note in slide.key_figure_notes:
            assert not SMALL.search(note), note
        for table in slide.tables:
            for column in set(table.frame.columns) & COUNT_COLUMNS:
                cells = set(table.frame[column])
                assert not cells & {"1", "2", "3", "4"}, (slide.scene, column)
                shown_small += protect.LESS_THAN in cells
    assert shown_small  # the sample has small counts: the check is not vacuous
    # Without protection the same tables do show such counts.
    sample = load(ROOT / "data")
    open_tour = handout.tour_slides(sample, handout.whole_data_filters(sample), lang="en", public=False)
    assert {"1", "2", "3", "4"} & set(open_tour[1].tables[0].frame["People"])
    assert not open_tour[1].protection_note


def test_slide_for_takes_an_authored_title_takeaway_and_notes(sample):
    from refugee_stats.view import build_view

    view = build_view(sample, FOUNDING, locale="en")  # not in presentation mode, English
    slide = handout.slide_for(
        view, "detentions", lang="ru", title="Июнь 2010", takeaway="Своя мысль", notes="Say it", link="?x=1"
    )
    assert (slide.title, slide.takeaway, slide.notes, slide.link, slide.lang) == (
        "Июнь 2010",
        "Своя мысль",
        "Say it",
        "?x=1",
        "ru",
    )
    assert slide.tables[0].frame.columns[0] == i18n.t("download_column_period", "ru")
    assert slide.figures[0].layout.template.layout.font.size == 22  # rendered again at presentation sizes
    with pytest.raises(ValueError, match="scene must be one of"):
        handout.slide_for(view, "nope", lang="en")


def test_long_tables_are_cut_with_a_count_of_the_rest(tour):
    table = tour[1].tables[0]
    assert len(table.frame) > handout.PAGE_ROWS
    cut = handout.table_html(table, "en", handout.PAGE_ROWS)
    assert cut.count("<tr>") == handout.PAGE_ROWS + 1  # the header row and the first rows
    rest = len(table.frame) - handout.PAGE_ROWS
    assert f"… {rest} more rows; the full data is in the CSV download" in cut
    assert "more rows" not in handout.table_html(table, "en", len(table.frame))


# -- the HTML file ---------------------------------------------------------------------------


def test_html_holds_plotly_once_and_the_map_file_once(tour_html):
    bundle = plotly.offline.get_plotlyjs()
    assert tour_html.count(bundle[:300]) == 1 and bundle in tour_html
    assert tour_html.count('data-topojson="world_50m"') == 1
    assert handout.topojson_files([]) == []
    assert tour_html.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert '<meta charset="utf-8">' in tour_html


def test_html_names_no_other_file_or_host(tour_html):
    bundle = plotly.offline.get_plotlyjs()
    page = markup(tour_html)
    for tag, attrs in page.tags:
        assert tag not in ("link", "img", "iframe", "object", "embed", "base"), tag
        for name in ("src", "href", "srcset", "action", "poster", "data"):
            assert name not in attrs, (tag, attrs)
        assert not re.search(r"url\(", attrs.get("style") or ""), attrs
    assert page.styles and not re.search(r"url\(|@import|@font-face", "".join(page.styles))
    scripts = [s for s in page.scripts if s != bundle]
    assert len(scripts) == len(page.scripts) - 1
    for script in scripts:  # the figures, the map file and the player: no address anywhere
        assert not re.search(r"https?:|//[a-z0-9]|url\(", script, re.IGNORECASE), script[:200]


def test_html_leaves_out_the_speaker_notes(tour):
    notes = [s.notes for s in tour if s.notes]
    assert len(notes) == 4  # the charts' short descriptions: public, each its figure's aria-label
    spoken = [dataclasses.replace(s, notes=f"Only for the speaker, scene {s.number} & <b>") for s in tour]
    document = handout.talk_html(spoken, lang="en", title="t")
    for slide in spoken:
        assert html.escape(slide.notes) not in document and slide.notes not in document


def test_html_size_with_and_without_maps(tour, tour_html):
    with_maps = len(tour_html.encode("utf-8"))
    without = len(handout.talk_html(tour[:-1], lang="en", title="t").encode("utf-8"))
    assert with_maps < 8_000_000
    map_file = (ROOT / "static" / "topojson" / "world_50m.json").stat().st_size
    assert with_maps - without > map_file  # the map file is in the file with the maps, and only then


def test_hostile_data_text_is_text(tmp_path):
    write_hostile(tmp_path, HOSTILE)
    dataset = load(tmp_path)
    slides = handout.tour_slides(dataset, handout.whole_data_filters(dataset), lang="ru", public=False)
    document = handout.talk_html(slides, lang="ru", title=HOSTILE)
    page = markup(document)
    assert [tag for tag, _ in page.tags if tag == "img"] == []
    assert not [attrs for _, attrs in page.tags if any(k.startswith("on") for k in attrs)]
    shown = "".join(page.text)
    assert HOSTILE in shown  # as text: in the title and the source line
    assert HOSTILE not in document  # never raw
    assert '<html lang="ru">' in document
    pdf_page = markup(handout.handout_html(slides, lang="ru", title=HOSTILE))
    assert [tag for tag, _ in pdf_page.tags if tag == "img"] == []
    assert HOSTILE in "".join(pdf_page.text)


def test_script_json_cannot_close_its_script():
    out = handout.script_json({"a": "</script><script>alert(1)</script>&"})
    assert "<" not in out and ">" not in out and "&" not in out
    import json

    assert json.loads(out) == {"a": "</script><script>alert(1)</script>&"}


def test_cli_export_writes_the_talk_and_says_its_size(tmp_path, capsys):
    out = tmp_path / "talk.html"
    assert (
        cli.main(
            ["talk", "export", str(ROOT / "data"), "--tour", "--lang", "kk", "--no-public", "--out", str(out)]
        )
        == 0
    )
    printed = capsys.readouterr().out
    assert re.search(rf"wrote {re.escape(str(out))}: 6 scenes, \d+\.\d MB", printed), printed
    document = out.read_text(encoding="utf-8")
    assert '<html lang="kk">' in document
    assert html.escape(i18n.t("scene_key_figures", "kk")) in document
    assert html.escape(protect.footnote("kk")) not in document  # --no-public


def test_cli_export_plays_the_folders_talk_in_its_language(tmp_path, capsys):
    """The bundled data's talk.toml: its six scenes, in Russian (the talk's language), each with its
    own title, the numbers of the founding case, and a link that opens the scene on the dashboard."""
    out = tmp_path / "talk.html"
    assert cli.main(["talk", "export", str(ROOT / "data"), "--out", str(out)]) == 0
    printed = capsys.readouterr()
    assert re.search(rf"wrote {re.escape(str(out))}: 6 scenes", printed.out), printed.out
    assert printed.err == ""  # the bundled talk has no problem
    document = out.read_text(encoding="utf-8")
    assert '<html lang="ru">' in document
    assert html.escape("Узбекские просители убежища в Казахстане") in document  # the talk's title
    dataset = load(ROOT / "data", today=TODAY)
    hosts, nationalities, months = talk.data_bounds(dataset)
    authored, _ = talk.load_talk(ROOT / "data", hosts=hosts, nationalities=nationalities, months=months)
    slides = handout.talk_slides(dataset, authored, lang="ru")
    assert [s.title for s in slides] == [talk.scene_title(s, "ru") for s in authored.scenes]
    assert all(html.escape(s.title) in document for s in slides)
    assert [s.number for s in slides] == [1, 2, 3, 4, 5, 6]
    assert all(s.public and not s.illustrative for s in slides)  # real records only, protected
    assert all("present=1" in s.link and f"scene={s.number}" in s.link for s in slides)
    june = slides[1]
    assert june.scene == "detentions" and "29" in june.title and "17" in june.title


def test_cli_export_of_an_empty_folder_fails(tmp_path, capsys):
    assert cli.main(["talk", "export", str(tmp_path), "--out", str(tmp_path / "t.html")]) == 1
    assert "nothing to present" in capsys.readouterr().err
    assert not (tmp_path / "t.html").exists()


# -- in chromium -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def chromium(playwright_driver):
    """A chromium of the session's one Playwright driver (the browser tests share it)."""
    browser = playwright_driver.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
    try:
        yield browser
    finally:
        browser.close()


def _open(chromium, path: Path):
    page = chromium.new_page(viewport={"width": 1920, "height": 1080})
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(path.as_uri())
    return page, requests, errors


DRAWN = """() => {
  const scene = document.querySelector('.scene:not([hidden])');
  const boxes = [...scene.querySelectorAll('.figure')];
  return boxes.every(b => b.dataset.drawn === '1');
}"""


def _scene(page) -> dict:
    page.wait_for_function(DRAWN, timeout=30_000)
    return page.evaluate(
        """() => {
      const scene = document.querySelector('.scene:not([hidden])');
      const plots = [...scene.querySelectorAll('.js-plotly-plot')];
      return {
        index: Number(scene.dataset.index),
        counter: document.getElementById('counter').textContent,
        title: scene.querySelector('h1').textContent,
        text: scene.textContent,
        plots: plots.map(p => p.querySelectorAll('svg.main-svg *').length),
        areas: plots.map(p => { const r = p.getBoundingClientRect(); return r.width * r.height; }),
        borders: [...scene.querySelectorAll('.geo .layer.countries path')]
          .map(p => (p.getAttribute('d') || '').length),
        locations: scene.querySelectorAll('.geo path.choroplethlocation').length,
        visible: document.querySelectorAll('.scene:not([hidden])').length,
      };
    }"""
    )


@pytest.mark.browser
def test_talk_plays_offline_and_draws_every_scene(chromium, tour, tour_html, tmp_path):
    path = tmp_path / "talk.html"
    path.write_text(tour_html, encoding="utf-8")
    page, requests, errors = _open(chromium, path)
    try:
        seen = []
        keys = ["PageDown", "ArrowRight", "Space", "PageDown", "ArrowRight"]
        for step, slide in enumerate(tour):
            state = _scene(page)
            assert state["visible"] == 1
            assert state["index"] == step and state["counter"] == f"Scene {step + 1} of {len(tour)}"
            assert state["title"] == slide.title
            assert protect.footnote("en") in state["text"]  # the protection note, on every scene
            if slide.figures:
                assert len(state["plots"]) == len(slide.figures) and all(n > 20 for n in state["plots"])
                assert sum(state["areas"]) >= 0.55 * 1920 * 1080, state["areas"]
            else:
                assert "474" in state["text"]  # the key figures
            if slide.scene == "map":  # the borders drawn from the inlined file: no request made
                on_map = sum(len(t.frame) for t in slide.tables) - 1  # stateless has no shape
                assert state["locations"] == on_map == 15
                assert len(state["borders"]) == 2 and min(state["borders"]) > 10_000
            seen.append(state["counter"])
            if step < len(keys):
                page.keyboard.press(keys[step])
        page.keyboard.press("PageDown")  # past the end: stays on the last scene
        assert _scene(page)["index"] == len(tour) - 1
        page.keyboard.press("PageUp")
        assert _scene(page)["index"] == len(tour) - 2
        page.keyboard.press("ArrowLeft")
        assert _scene(page)["index"] == len(tour) - 3
        page.keyboard.press("Home")
        assert _scene(page)["index"] == 0
        page.keyboard.press("End")
        assert _scene(page)["index"] == len(tour) - 1
        page.set_viewport_size({"width": 1280, "height": 720})  # another projector: charts follow
        page.wait_for_timeout(500)
        areas = _scene(page)["areas"]
        assert sum(areas) >= 0.55 * 1280 * 720 and max(areas) < 1280 * 720
        assert len(set(seen)) == len(tour)
        assert requests == [path.as_uri()], requests
        assert errors == []
    finally:
        page.close()


@pytest.mark.browser
def test_hostile_talk_shows_text_and_runs_nothing(chromium, tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    write_hostile(folder, HOSTILE)
    dataset = load(folder)
    slides = handout.tour_slides(dataset, handout.whole_data_filters(dataset), lang="en", public=True)
    path = tmp_path / "talk.html"
    path.write_text(handout.talk_html(slides, lang="en", title=HOSTILE), encoding="utf-8")
    page, requests, errors = _open(chromium, path)
    try:
        page.add_init_script("window.alert = () => { window.alerted = true; }")
        page.reload()
        for _ in slides:
            _scene(page)
            page.keyboard.press("PageDown")
        assert page.evaluate("() => document.querySelectorAll('img, [onerror]').length") == 0
        assert page.evaluate("() => window.alerted === undefined")
        assert HOSTILE in page.evaluate("() => document.querySelector('.sources').textContent")
        assert page.title() == HOSTILE
        assert set(requests) == {path.as_uri()} and errors == []
    finally:
        page.close()


@pytest.mark.browser
def test_pdf_has_one_page_per_scene(chromium, founding, tmp_path):
    path = handout.handout_pdf(
        founding,
        tmp_path / "handout.pdf",
        lang="en",
        title="Founding case",
        browser=chromium,
        as_of="2026-12-02",
    )
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page(?![s\w])", data)) == len(founding) == len(registry.SCENES)
    assert len(data) < 3_000_000
    document = handout.handout_html(founding, lang="en", title="Founding case", as_of="2026-12-02")
    assert document.count('<section class="page') == len(founding)
    assert "Suggested citation: refugee-stats, Detentions, data as of 2026-12-02, " in html.unescape(document)
    assert "Speaker notes" not in document
    assert "Speaker notes" in handout.handout_html(founding, lang="en", title="t", notes=True)


# -- charts in words -------------------------------------------------------------------------


class Figures(HTMLParser):
    """The figures of a document: each ``<figure>``'s attributes and its figcaption (id, class, text),
    and the handout's printed descriptions and chart images' ``data-alt``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.figures: list[dict] = []
        self.printed: list[str] = []
        self.alts: list[str] = []
        self._text: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "figure":
            self.figures.append({"attrs": attrs, "caption": None})
        elif tag == "figcaption":
            self.figures[-1]["caption"] = {"id": attrs.get("id"), "class": attrs.get("class"), "text": ""}
            self._text = []
        elif tag == "p" and attrs.get("class") == "description":
            self._text = []
        elif "data-alt" in attrs:
            self.alts.append(attrs["data-alt"] or "")

    def handle_data(self, data):
        if self._text is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "figcaption" and self._text is not None:
            self.figures[-1]["caption"]["text"] = "".join(self._text)
            self._text = None
        elif tag == "p" and self._text is not None:
            self.printed.append("".join(self._text))
            self._text = None


def figures_of(document: str) -> Figures:
    parser = Figures()
    parser.feed(document)
    return parser


def test_slides_carry_each_figure_in_words(tour):
    for slide in tour:
        assert len(slide.descriptions) == len(slide.figures)
        for words in slide.descriptions:
            assert words.short and words.long and words.long != words.short
    maps = tour[-1].descriptions
    assert maps[0].short.startswith("Map of the people detained by host country")
    assert maps[1].short.startswith("Map of the people detained by nationality")


def test_each_chart_of_the_talk_is_a_figure_named_and_described(tour, tour_html):
    """aria-label: the short description; figcaption (aria-describedby): the long one, visually
    hidden on stage (the room reads the title and takeaway) but read by screen readers."""
    found = figures_of(tour_html).figures
    words = [w for slide in tour for w in slide.descriptions]
    assert len(found) == len(words) == 6
    for figure, w in zip(found, words, strict=True):
        assert figure["attrs"]["class"] == "chart"
        assert figure["attrs"]["aria-label"] == w.short
        caption = figure["caption"]
        assert caption["text"] == w.long and caption["class"] == "sr-only"
        assert figure["attrs"]["aria-describedby"] == caption["id"]
    assert len({f["caption"]["id"] for f in found}) == 6
    assert re.search(r"\.sr-only \{[^}]*clip-path: inset\(50%\)", "".join(markup(tour_html).styles))


def test_talk_figures_in_russian(sample):
    slides = handout.tour_slides(sample, FOUNDING, lang="ru", public=True)
    found = figures_of(handout.talk_html(slides, lang="ru", title="t")).figures
    pipeline = found[3]
    assert pipeline["attrs"]["aria-label"] == (
        "Диаграмма потоков: задержано 29; из них беженцы УВКБ ООН — 17, статус не указан — 0; "
        "лишены статуса беженца — 17."
    )
    assert pipeline["caption"]["text"] == (
        "Диаграмма потоков задержанных, 2010, слева направо: Задержаны → Беженцы УВКБ ООН: 17, Другие лица, "
        "ищущие убежища: 12; Беженцы УВКБ ООН → Статус отозван: 17. Ни одна запись не сообщает, что с ними "
        "было дальше."
    )


def test_public_descriptions_show_no_count_from_1_to_4(tour):
    texts = [t for slide in tour for w in slide.descriptions for t in (w.short, w.long)]
    assert any(protect.LESS_THAN in t for t in texts)  # the sample's small counts are there, as <5
    for text in texts:
        cleaned = re.sub(r"\((\d+) shown\)", "", text)  # the number of nationality groups drawn
        assert not SMALL.search(cleaned), text


def test_the_handout_prints_each_long_description_under_its_chart(founding):
    """The page the PDF is printed from: the long description under each chart (the map page: under
    each map), the short one as the chart image's alt text."""
    document = handout.handout_html(founding, lang="en", title="t", as_of="2026-12-02")
    parsed = figures_of(document)
    words = [w for slide in founding for w in slide.descriptions]
    assert parsed.printed == [w.long for w in words]
    assert parsed.alts == [w.short for w in words]
    assert "Most people detained: June 2010 (29)." in parsed.printed[0]
    assert "img.alt = box.dataset.alt" in document  # the PNG that replaces each chart keeps it


def test_the_talk_modebar_offers_png_and_svg_in_the_talks_language(tour):
    document = handout.talk_html(tour, lang="ru", title="t")
    [labels] = [s for s in markup(document).scripts if s.startswith('{"png"')]
    assert json.loads(labels) == {"png": "Скачать диаграмму в PNG", "svg": "Скачать диаграмму в SVG"}
    assert handout.TALK_CONFIG.get("displayModeBar", "hover") == "hover"  # shown under the pointer
    assert 'data-filename="refugee-stats-2-detentions"' in document
    assert 'data-filename="refugee-stats-6-map-2"' in document


@pytest.mark.browser
def test_talk_figures_in_chromium_read_and_download(chromium, tour, tour_html, tmp_path):
    """What a screen reader gets of each chart, and the modebar's PNG and SVG downloads, offline."""
    from playwright.sync_api import expect

    path = tmp_path / "talk.html"
    path.write_text(tour_html, encoding="utf-8")
    page = chromium.new_page(viewport={"width": 1920, "height": 1080}, accept_downloads=True)
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(path.as_uri())
        for slide in tour:
            if slide.figures:
                _scene(page)
                scene = page.locator(".scene:not([hidden])")
                for words in slide.descriptions:
                    figure = scene.get_by_role("figure", name=words.short, exact=True)
                    expect(figure).to_have_accessible_description(words.long)
            page.keyboard.press("PageDown")
        page.keyboard.press("Home")
        page.keyboard.press("PageDown")
        _scene(page)
        figure = page.locator(".scene:not([hidden])").get_by_role("figure")
        figure.hover()
        for fmt, start in (("SVG", b"<svg"), ("PNG", b"\x89PNG")):
            with page.expect_download() as download:
                figure.get_by_role("button", name=f"Download plot as {fmt}").click()
            assert download.value.suggested_filename == f"refugee-stats-2-detentions.{fmt.lower()}"
            assert Path(download.value.path()).read_bytes().startswith(start)
        assert {r.split(":")[0] for r in requests} <= {"file", "blob", "data"}, requests
        assert errors == []
    finally:
        page.close()


@pytest.mark.browser
def test_printed_descriptions_fit_their_pages(chromium, tour, tmp_path):
    """Printed (A4 landscape), every description ends inside its page's body: nothing cut off."""
    path = tmp_path / "handout.html"
    path.write_text(handout.handout_html(tour, lang="en", title="t", as_of="2026-12-02"), encoding="utf-8")
    page = chromium.new_page(viewport={"width": 1123, "height": 794})
    try:
        page.goto(path.as_uri())
        page.wait_for_function("() => window.handoutDrawn !== undefined", timeout=120_000)
        page.emulate_media(media="print")
        room = page.evaluate(
            """() => [...document.querySelectorAll('.page .description')].map(d => {
              const body = d.closest('.body').getBoundingClientRect();
              return body.bottom - d.getBoundingClientRect().bottom;
            })"""
        )
        assert len(room) == 6 and min(room) >= 0, room
    finally:
        page.close()
