"""Views shared across sessions: computed once per data, filters and mode, never handed across them."""

from __future__ import annotations

import gc
import html
import weakref
from collections import Counter
from dataclasses import dataclass

import pytest
from streamlit.testing.v1 import AppTest

from refugee_stats import ui
from refugee_stats.ingest.files import default_data_dir
from tests.conftest import metrics, run_app

UPLOAD = (
    b"incident_id,date,host_country,type,nationality,people,unhcr_refugees,source\n"
    b"U1,2011-03,KGZ,detention,AFG,12,5,Monitor report\n"
)

pytestmark = pytest.mark.usefixtures("clear_cache")


@pytest.fixture
def calls(monkeypatch):
    """How often each step of a view ran: numbers, their text, chart and map figures."""
    counted: Counter = Counter()
    monkeypatch.delenv("REFUGEE_STATS_DATA", raising=False)
    for name in ("compute", "render", "figures", "map_figures"):
        original = getattr(ui, name)

        def wrapper(*args, _original=original, _name=name, **kwargs):
            counted[_name] += 1
            return _original(*args, **kwargs)

        monkeypatch.setattr(ui, name, wrapper)
    return counted


session = run_app


def records(at: AppTest) -> list[str]:
    """The source of each row of the records table."""
    return at.dataframe[-1].value["source"].tolist()


def specs(at: AppTest) -> list[str]:
    """Each chart's plotly JSON, its text unescaped (``&lt;5`` reads ``<5``)."""
    return [html.unescape(chart.proto.spec) for chart in at.get("plotly_chart")]


def test_two_sessions_on_the_same_view_compute_it_once(calls):
    first = session()
    assert calls == {"compute": 1, "render": 1, "figures": 1, "map_figures": 1}
    second = session()
    assert calls == {"compute": 1, "render": 1, "figures": 1, "map_figures": 1}
    assert metrics(second) == metrics(first)
    assert metrics(second)["Incidents"] == "134"
    assert specs(second) == specs(first) and len(specs(first)) == 6  # four charts, two maps
    first.run()  # a rerun of the same view computes nothing either
    assert calls["compute"] == 1 and calls["figures"] == 1
    assert specs(first) == specs(second)  # the shared figures came back unchanged


def test_a_language_change_keeps_the_numbers_a_filter_change_does_not(calls):
    at = session()
    at.segmented_control(key="lang").set_value("ru")
    at.run()
    assert not at.exception
    assert calls["compute"] == 1  # the same numbers, in Russian
    assert calls["render"] == 2 and calls["figures"] == 2
    assert metrics(at)["Задержано человек"] == "474"
    at.segmented_control(key="theme").set_value("dark")
    at.run()
    assert calls["compute"] == 1 and calls["render"] == 3 and calls["figures"] == 3
    at.multiselect(key="host").set_value(["KAZ"])
    at.run()
    assert not at.exception
    assert calls["compute"] == 2
    assert metrics(at)["Задержано человек"] == "189"
    # Back to all host countries: that view is still kept.
    at.multiselect(key="host").set_value([])
    at.run()
    assert calls["compute"] == 2 and metrics(at)["Задержано человек"] == "474"


def test_public_and_open_sessions_never_share_a_view(calls):
    # The founding case in June 2010: 29 people, and in the month's breakdown small counts.
    link = {"host": "KAZ", "nationality": "UZB", "from": "2010-01", "to": "2010-12"}
    open_ = session(**link)
    public = session(**link, public="1")
    assert calls["compute"] == 2
    assert any("<5" in spec for spec in specs(public))
    assert not any("<5" in spec for spec in specs(open_))
    again = session(**link)  # a third session, not public: the open view, not the public one
    assert calls["compute"] == 2
    assert specs(again) == specs(open_)
    public.toggle(key="public").set_value(False)
    public.run()
    assert calls["compute"] == 2 and specs(public) == specs(open_)


def test_an_upload_keys_the_view_to_its_session(calls):
    plain = session()
    uploading = session()
    assert calls["compute"] == 1
    uploading.file_uploader(key="uploads").set_value([("incidents.csv", UPLOAD, "text/csv")])
    uploading.segmented_control(key="upload_mode").set_value("replace")
    uploading.run()
    assert not uploading.exception
    assert metrics(uploading)["People detained"] == "12"
    assert calls["compute"] == 2
    assert records(uploading) == ["Monitor report"]
    plain.run()
    assert metrics(plain)["People detained"] == "474"  # the other session still sees the sample
    assert calls["compute"] == 2
    assert "Monitor report" not in records(plain) and len(records(plain)) > 100
    # The same bytes uploaded again are another upload: its own view, the same numbers.
    other = session()
    other.file_uploader(key="uploads").set_value([("incidents.csv", UPLOAD, "text/csv")])
    other.segmented_control(key="upload_mode").set_value("replace")
    other.run()
    assert metrics(other)["People detained"] == "12"
    assert calls["compute"] == 3


def test_the_personal_data_choice_keys_the_view(calls):
    personal = (
        b"incident_id,date,host_country,type,nationality,people,source,passport_no\n"
        b"P1,2011,KGZ,detention,AFG,2,X,AB123\n"
    )
    at = session()
    at.file_uploader(key="uploads").set_value([("incidents_personal.csv", personal, "text/csv")])
    at.run()
    assert metrics(at)["Incidents"] == "134"  # the file with personal data is refused
    before = calls["compute"]
    at.toggle(key="allow_personal").set_value(True)
    at.run()
    assert metrics(at)["Incidents"] == "135"
    assert calls["compute"] == before + 1
    assert metrics(session())["Incidents"] == "134"  # a new session, without the upload


def test_shared_views_and_figures_are_bounded_in_entries(monkeypatch):
    made: Counter = Counter()

    @dataclass(frozen=True)
    class Kept:  # what the cache keeps of the records in view: the loaded frames left out
        all_incidents: object = None
        all_status: object = None

    @dataclass(frozen=True)
    class Made:
        selection: Kept = Kept()

    def count(dataset, filters, public=False):
        made[filters] += 1
        return Made()

    monkeypatch.setattr(ui, "compute", count)
    data_key = (("data",), (), (), False)
    for i in range(ui.SHARED_VIEWS + 1):
        ui._compute_cached(data_key, (i,), False, None, i)
    assert sum(made.values()) == ui.SHARED_VIEWS + 1
    ui._compute_cached(data_key, (ui.SHARED_VIEWS,), False, None, ui.SHARED_VIEWS)  # the newest is kept
    assert made[ui.SHARED_VIEWS] == 1
    ui._compute_cached(data_key, (0,), False, None, 0)  # the oldest made room
    assert made[0] == 2


def test_clearing_shared_views_keeps_the_data(calls, monkeypatch):
    loads: Counter = Counter()
    original = ui.sources.open_files

    def counting_load(*args, **kwargs):
        loads["load"] += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(ui.sources, "open_files", counting_load)
    at = session()
    ui.clear_shared_views()
    at.run()
    assert calls["compute"] == 2 and calls["figures"] == 2  # the view is computed again
    assert loads["load"] == 1  # from the data still loaded
    assert metrics(at)["Incidents"] == "134"


def test_kept_views_do_not_keep_the_loaded_data(calls):
    first = session()
    paths = (str(default_data_dir()),)
    dataset = ui._load_cached(paths, ui._signature(paths), (), False)  # the data the session loaded
    loaded = weakref.ref(dataset.incidents)
    del dataset
    ui._load_cached.clear()  # the load cache lets the data go; the view stays kept
    again = session()  # loads the data again, and takes the kept view
    assert calls["compute"] == 1
    assert metrics(again)["Incidents"] == "134"
    assert len(records(again)) > 100  # the records come from the data loaded again
    del first  # the first session's last run held its data; nothing else does
    gc.collect()
    assert loaded() is None
