"""The dashboard end to end in Streamlit's AppTest (no browser): widgets in, key figures out."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import DASHBOARD, ROOT, metrics, run_app, write


def shown(markdown: str) -> str:
    """What a reader sees of escaped markdown: the text without its backslash escapes."""
    return re.sub(r"\\(.)", r"\1", markdown.replace("\u2060", ""))


pytestmark = pytest.mark.usefixtures("clear_cache")


@pytest.fixture
def app(monkeypatch):
    monkeypatch.delenv("REFUGEE_STATS_DATA", raising=False)
    return run_app()


def charts(at: AppTest) -> list:
    return at.get("plotly_chart")


def test_sample_with_default_filters(app):
    # Whole bundled sample: 1 real + 146 illustrative incident rows (see data/README.md).
    values = metrics(app)
    assert set(values) == {
        "People detained",
        "Incidents",
        "Of whom UNHCR refugees",
        "Status revocations",
        "Extradited or deported",
    }
    assert values["Incidents"] == "134"
    assert len(charts(app)) == 6  # three time series, the status pipeline, two maps
    assert any("Illustrative data in view" in w.value for w in app.warning)
    assert shown(app.caption[0].value) == "All host countries - all nationalities - 2008-2012"


def test_founding_case_filters(app):
    app.multiselect(key="host").set_value(["KAZ"])
    app.multiselect(key="nationality").set_value(["UZB"])
    app.select_slider(key="dates").set_value(("2010-06", "2010-06"))
    app.run()
    assert not app.exception
    assert metrics(app) == {
        "People detained": "29",
        "Incidents": "1",
        "Of whom UNHCR refugees": "17",
        "Status revocations": "17",
        "Extradited or deported": "0",
    }
    assert shown(app.caption[0].value) == "Kazakhstan - Uzbekistan - Jun 2010"
    # only real records in view: no illustrative banner
    assert not any("Illustrative data in view" in w.value for w in app.warning)
    assert len(charts(app)) == 6  # three time series, the status pipeline, two maps


def test_real_records_only_toggle(app):
    app.toggle(key="illustrative").set_value(False)
    app.run()
    assert metrics(app)["People detained"] == "29"
    assert metrics(app)["Status revocations"] == "17"
    assert not any("Illustrative data in view" in w.value for w in app.warning)


def test_granularity_and_types(app):
    app.segmented_control(key="period").set_value("year")
    app.multiselect(key="types").set_value(["extradition"])
    app.run()
    assert not app.exception
    assert metrics(app)["People detained"] == "0"
    assert "extradition" in app.caption[0].value


def test_filter_matching_nothing_says_so(app):
    app.multiselect(key="host").set_value(["TKM"])
    app.multiselect(key="nationality").set_value(["TKM"])  # the sample never has host == nationality
    app.run()
    assert not app.exception
    assert [i.value for i in app.info] == [
        "No records match these filters. Widen the date range or clear a country filter."
    ]
    assert charts(app) == []


def test_broken_file_shows_problems_and_charts_the_rest(tmp_path, monkeypatch):
    shutil.copy(ROOT / "data" / "incidents.csv", tmp_path / "incidents.csv")
    write(
        tmp_path,
        "status.csv",
        """
        record_id,date,host_country,nationality,authority,decision,people,source
        S1,2010-06,KAZ,UZB,national,revoked,17,IWPR
        S2,2010-13,KAZ,UZB,national,revoked,three,IWPR
        """,
    )
    (tmp_path / "timeline.csv").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00garbage")
    monkeypatch.setenv("REFUGEE_STATS_DATA", str(tmp_path))
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    at.run()
    assert not at.exception
    assert "Data problems: 3 errors, 0 warnings" in at.error[0].value
    problems = at.dataframe[0].value
    assert problems[["file", "row", "column"]].fillna(0).astype(str).values.tolist() == [
        ["status.csv", "3", "date"],
        ["status.csv", "3", "people"],
        ["timeline.csv", "0", ""],  # whole file: no row
    ]
    assert len(charts(at)) == 6  # three time series, the status pipeline, two maps
    assert metrics(at)["Status revocations"] == "17"  # the valid status row is kept
    assert metrics(at)["Incidents"] == "134"  # the valid file is untouched


def visible_texts(at: AppTest) -> list[str]:
    """Every label and text the page shows (widgets, headings, metrics, alerts)."""
    texts: list[str] = []
    for kind in ("title", "header", "subheader", "caption", "markdown", "warning", "info", "error"):
        texts += [str(e.value) for e in at.get(kind)]
    for kind in ("multiselect", "select_slider", "toggle", "button", "segmented_control", "metric"):
        for e in at.get(kind):
            texts.append(str(e.label))
            texts += [str(h) for h in [getattr(e.proto, "help", "")] if h]
            if kind == "multiselect" or kind == "segmented_control":
                texts += [str(o) for o in getattr(e, "options", [])]
    return [t for t in texts if t]


@pytest.mark.parametrize("query", [{"lang": "ru"}, {"lang": "ru", "present": "1", "scene": "2"}])
def test_russian_page_has_no_english_ui_text(monkeypatch, query):
    """A test that fails when any UI string on the page lacks a translation."""
    from refugee_stats import i18n

    monkeypatch.delenv("REFUGEE_STATS_DATA", raising=False)
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    english = {m["en"] for m in i18n.MESSAGES.values()} - {m["ru"] for m in i18n.MESSAGES.values()}
    english = {e for e in english if "{" not in e}
    shown = visible_texts(at)
    assert shown
    leaks = [text for text in shown if text in english or any(e in text for e in english if len(e) > 12)]
    assert leaks == []
    assert any(t == "Фильтры" for t in shown)


def test_link_seeds_widgets_and_widgets_write_the_link(monkeypatch):
    monkeypatch.delenv("REFUGEE_STATS_DATA", raising=False)
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    for key, value in {
        "host": "KAZ",
        "nationality": "UZB",
        "from": "2010-06",
        "to": "2010-06",
        "lang": "ru",
    }.items():
        at.query_params[key] = value
    at.run()
    assert metrics(at)["Задержано человек"] == "29"
    assert shown(at.caption[0].value) == "Казахстан - Узбекистан - июнь 2010"
    at.segmented_control(key="period").set_value("quarter")
    at.run()
    assert at.query_params["period"] == "quarter"
    assert at.query_params["host"] == "KAZ" and at.query_params["lang"] == "ru"


def test_bad_link_values_give_a_notice_not_an_exception(monkeypatch):
    monkeypatch.delenv("REFUGEE_STATS_DATA", raising=False)
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    for key, value in {
        "host": "ZZZ",
        "from": "2012-01",
        "to": "2010-01",
        "period": "decade",
        "scene": "x",
    }.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    notice = shown(at.warning[0].value)
    assert (
        "host=ZZZ" in notice
        and "2012-01>2010-01" in notice
        and "period=decade" in notice
        and "scene=x" in notice
    )
    assert metrics(at)["Incidents"] == "134"  # everything else shown as by default


def test_presentation_scenes_step_with_the_buttons(monkeypatch):
    monkeypatch.delenv("REFUGEE_STATS_DATA", raising=False)
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    at.query_params["present"] = "1"
    at.query_params["talk"] = "0"  # the standard tour: the sample's talk.toml is played by default
    at.run()
    assert shown(at.title[0].value) == "Key figures"
    assert "people detained in" in at.markdown[0].value
    at.button(key="nav-next").click()
    at.run()
    assert shown(at.title[0].value) == "Detentions"
    assert at.query_params["scene"] == "2"
    assert len(charts(at)) == 1
    for _ in range(4):
        at.button(key="nav-next").click()
        at.run()
    assert shown(at.title[0].value) == "Map" and at.button(key="nav-next").disabled
    at.button(key="nav-prev").click()
    at.run()
    assert shown(at.title[0].value) == "Detention, revocation, removal"
    at.button(key="nav-exit").click()
    at.run()
    assert shown(at.title[0].value) == "Asylum-seeker detentions and refugee status"
    assert "present" not in at.query_params


UPLOAD = (
    b"incident_id,date,host_country,type,nationality,people,unhcr_refugees,source\n"
    b"U1,2011-03,KGZ,detention,AFG,12,5,Monitor report\n"
)


def test_uploads_replace_or_add_to_the_data_for_this_session(app):
    app.file_uploader(key="uploads").set_value([("incidents.csv", UPLOAD, "text/csv")])
    app.segmented_control(key="upload_mode").set_value("replace")
    app.run()
    assert not app.exception
    assert metrics(app)["People detained"] == "12" and metrics(app)["Incidents"] == "1"
    assert any("Loaded: 1 incident rows" in c.value for c in app.sidebar.caption)
    app.segmented_control(key="upload_mode").set_value("add")
    app.run()
    assert any("Loaded: 148 incident rows" in c.value for c in app.sidebar.caption)  # 147 sample rows + 1


def test_broken_and_personal_uploads_are_reported_not_loaded(app):
    personal = b"incident_id,date,host_country,type,nationality,people,source,passport_no\nP1,2011,KGZ,detention,AFG,2,X,AB123\n"
    app.file_uploader(key="uploads").set_value(
        [
            ("incidents_personal.csv", personal, "text/csv"),
            ("status_broken.xlsx", b"not a zip", "application/octet-stream"),
        ]
    )
    app.run()
    assert not app.exception
    problems = app.dataframe[0].value
    assert problems[["file", "column", "severity"]].values.tolist() == [
        ["incidents_personal.csv", "passport_no", "error"],
        ["status_broken.xlsx", "", "error"],
    ]
    assert metrics(app)["Incidents"] == "134"  # the bundled data is kept
    app.toggle(key="allow_personal").set_value(True)
    app.run()
    assert metrics(app)["Incidents"] == "135"
    assert "AB123" not in str(app.dataframe[-1].value.to_string())


def test_download_buttons_offer_every_chart_and_the_records(app):
    labels = [b.label for b in app.get("download_button")]
    assert labels[:6] == [
        "Data of “People detained, by nationality” (CSV)",
        "Data of “Refugee-status decisions, revocations emphasised” (CSV)",
        "Data of “Nationalities of people detained, share per period” (CSV)",
        "Data of “From detention to loss of refugee status, and what happened next” (CSV)",
        "Records in view (CSV)",
        "Talk (one HTML file, offline)",  # then the PDF handout where chromium is (tests/test_export.py)
    ]
    assert labels[-1] == "Download talk.toml"  # the talk editor's, at the foot of the page


QUARTERLY = """
    incident_id,date,host_country,type,nationality,people,unhcr_refugees,source
    A,2010-Q1,GBR,detention,AFG,599,,UK Home Office
    B,2010-Q2,GBR,detention,ALB,129,,UK Home Office
    C,2010-Q3,GBR,detention,AFG,300,,UK Home Office
"""


def figure(at: AppTest, index: int = 0) -> dict:
    """The plotly figure a chart element draws, as JSON."""
    return json.loads(charts(at)[index].proto.spec)


def empty_message(at: AppTest, index: int = 0) -> str | None:
    found = [
        a["text"] for a in figure(at, index)["layout"].get("annotations", []) if a.get("name") == "empty"
    ]
    return found[0].replace("<br>", " ") if found else None


@pytest.fixture
def quarterly(tmp_path, monkeypatch):
    write(tmp_path, "incidents.csv", QUARTERLY)
    monkeypatch.setenv("REFUGEE_STATS_DATA", str(tmp_path))
    return AppTest.from_file(DASHBOARD, default_timeout=60)


def test_quarterly_data_opens_on_quarter_with_charts_drawn(quarterly):
    quarterly.run()
    assert not quarterly.exception
    assert quarterly.segmented_control(key="period").value == "quarter"
    assert quarterly.query_params["period"] == "quarter"
    assert metrics(quarterly)["People detained"] == "1,028"
    bars = [t for t in figure(quarterly)["data"] if t["type"] == "bar"]
    assert sorted(t["name"] for t in bars) == ["Afghanistan", "Albania"]
    assert empty_message(quarterly) is None and empty_message(quarterly, 2) is None
    assert not [b for b in quarterly.button if b.key.startswith("switch-")]


def test_monthly_link_on_quarterly_data_says_so_and_offers_the_switch(quarterly):
    quarterly.query_params["period"] = "month"
    quarterly.run()
    assert quarterly.segmented_control(key="period").value == "month"  # the link wins
    assert metrics(quarterly)["People detained"] == "1,028"
    expected = (
        "Nothing to draw per month: 3 records (1,028 people) dated only to the quarter. "
        "Switch the period to Quarter to see them."
    )
    assert empty_message(quarterly, 0) == expected and empty_message(quarterly, 2) == expected
    switch = quarterly.button(key="switch-detentions-page")
    assert switch.label == "Switch the period to Quarter"
    switch.click()
    quarterly.run()
    assert not quarterly.exception
    assert quarterly.segmented_control(key="period").value == "quarter"
    assert quarterly.query_params["period"] == "quarter"
    assert empty_message(quarterly) is None
    assert not [b for b in quarterly.button if b.key.startswith("switch-")]


def span_upload(*months: str) -> bytes:
    rows = [f"U{i},{m},KGZ,detention,AFG,12,5,Monitor report" for i, m in enumerate(months)]
    return (
        "incident_id,date,host_country,type,nationality,people,unhcr_refugees,source\n" + "\n".join(rows)
    ).encode()


@pytest.mark.parametrize(
    ("mode", "months", "span"),
    [
        ("replace", ("2005-01", "2015-12"), ("2005-01", "2015-12")),  # holds the old span: still reset
        ("replace", ("2011-03", "2011-09"), ("2011-03", "2011-09")),
        ("add", ("2014-03",), ("2008-01", "2014-03")),
    ],
)
def test_new_data_brings_its_own_date_range(app, mode, months, span):
    assert app.select_slider(key="dates").value == ("2008-01", "2012-12")
    app.segmented_control(key="upload_mode").set_value(mode)
    app.file_uploader(key="uploads").set_value([("incidents.csv", span_upload(*months), "text/csv")])
    app.run()
    assert not app.exception
    assert app.select_slider(key="dates").value == span
    assert (app.query_params["from"], app.query_params["to"]) == span
    app.file_uploader(key="uploads").set_value([])  # removing the upload brings the old data back
    app.run()
    assert app.select_slider(key="dates").value == ("2008-01", "2012-12")


def test_new_data_keeps_the_dates_a_link_set(monkeypatch):
    monkeypatch.delenv("REFUGEE_STATS_DATA", raising=False)
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    at.query_params["from"] = "2010-01"
    at.run()
    at.file_uploader(key="uploads").set_value([("incidents.csv", span_upload("2014-03"), "text/csv")])
    at.run()
    assert at.select_slider(key="dates").value == ("2010-01", "2014-03")  # from: the link's; to: the data's


def test_new_data_chooses_the_period_again_unless_chosen(app):
    upload = [("incidents.csv", QUARTERLY.replace("\n    ", "\n").lstrip().encode(), "text/csv")]
    app.segmented_control(key="upload_mode").set_value("replace")
    app.file_uploader(key="uploads").set_value(upload)
    app.run()
    assert app.segmented_control(key="period").value == "quarter"
    app.segmented_control(key="period").set_value("year")  # the user's choice stays from now on
    app.run()
    app.file_uploader(key="uploads").set_value([])
    app.run()
    assert app.segmented_control(key="period").value == "year"


@pytest.mark.parametrize("query", [{"lang": "kk"}, {"lang": "kk", "present": "1", "scene": "2"}])
def test_kazakh_page_has_no_english_ui_text(monkeypatch, query):
    from refugee_stats import i18n

    monkeypatch.delenv("REFUGEE_STATS_DATA", raising=False)
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    english = {m["en"] for m in i18n.MESSAGES.values()} - {m["kk"] for m in i18n.MESSAGES.values()}
    english = {e for e in english if "{" not in e}
    shown = visible_texts(at)
    leaks = [text for text in shown if text in english or any(e in text for e in english if len(e) > 12)]
    assert leaks == []
    assert "Сүзгілер" in shown
    assert [o for o in at.segmented_control(key="lang").options] == ["English", "Қазақша", "Русский"]


def test_kazakh_key_figures(monkeypatch):
    monkeypatch.delenv("REFUGEE_STATS_DATA", raising=False)
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    for key, value in {
        "host": "KAZ",
        "nationality": "UZB",
        "from": "2010-06",
        "to": "2010-06",
        "lang": "kk",
    }.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    figures = metrics(at)
    assert figures["Ұсталған адамдар"] == "29"
    assert figures["Мәртебеден айырылды"] == "17"
    assert shown(at.title[0].value) == "Баспана іздеушілерді ұстау және босқын мәртебесі"
    assert shown(at.caption[0].value) == "Қазақстан - Өзбекстан - 2010\u202fж. мау."
