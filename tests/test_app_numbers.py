"""Every number on stage is right, in the app (AppTest): true totals, unknown status, suppression."""

from __future__ import annotations

import base64
import html
import json
import re

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from refugee_stats.registry import SCENES
from tests.conftest import metrics, run_app, shown, write

pytestmark = pytest.mark.usefixtures("clear_cache")


def run(monkeypatch, folder=None, **query: str) -> AppTest:
    if folder is None:
        monkeypatch.delenv("REFUGEE_STATS_DATA", raising=False)
    else:
        monkeypatch.setenv("REFUGEE_STATS_DATA", str(folder))
    return run_app(**query)


def scenes(at: AppTest) -> dict[str, str]:
    """Each scene's title and takeaway, clicking through the presentation."""
    out = {}
    for _ in range(len(SCENES)):
        # the takeaway as the browser shows it: the wrapping paragraph off, entities decoded
        out[shown(at.title[0].value)] = html.unescape(re.sub(r"</?p[^>]*>", "", at.markdown[0].value))
        if at.button(key="nav-next").disabled:
            break
        at.button(key="nav-next").click()
        at.run()
    return out


def values(array: list | dict) -> list:
    """A figure array as numbers: plotly sends numeric arrays as base64 typed arrays."""
    if isinstance(array, dict):
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).tolist()
    return list(array)


def figure_json(at: AppTest, n: int = 0) -> dict:
    return json.loads(at.get("plotly_chart")[n].proto.spec)


def test_sample_presentation_takeaways_agree_with_the_key_figures(monkeypatch):
    # public mode is on by default when presenting; talk=0: the standard tour, not the sample's talk
    at = run(monkeypatch, present="1", talk="0")
    figures = metrics(at)
    takeaways = scenes(at)
    revocations = figures["Status revocations"]
    assert f"{revocations} people lost refugee status" in takeaways["Key figures"]
    assert takeaways["Status decisions"].startswith(f"{revocations} people lost refugee status")
    assert takeaways["Key figures"].startswith(f"{figures['People detained']} people detained in")
    # In public mode a withheld nationality (x) could be the largest: none is named, the key figure is.
    assert takeaways["Nationalities"].startswith(f"{figures['People detained']} people detained, ")
    assert takeaways["Map"].endswith(f"of {figures['People detained']}.")
    assert takeaways["Detention, revocation, removal"].startswith(
        f"Of {figures['People detained']} people detained, "
    )


def test_revocations_of_11_and_2_are_13_on_every_scene(monkeypatch, tmp_path):
    write(
        tmp_path,
        "incidents.csv",
        """
        incident_id,date,host_country,type,nationality,people,unhcr_refugees,source
        A,2010-06,KAZ,detention,UZB,38,20,IWPR
        B,2010-07,KAZ,detention,TJK,3,0,HRW
        C,2010-08,KAZ,detention,AFG,7,0,HRW
        """,
    )
    write(
        tmp_path,
        "status.csv",
        """
        record_id,date,host_country,nationality,authority,decision,people,incident_id,source
        S1,2010-06,KAZ,UZB,national,revoked,11,A,IWPR
        S2,2010-07,KAZ,TJK,national,revoked,2,B,HRW
        S3,2010-07,KAZ,UZB,national,rejected,30,,HRW
        """,
    )
    at = run(monkeypatch, tmp_path, present="1")
    assert metrics(at)["Status revocations"] == "13"
    takeaways = scenes(at)
    assert takeaways["Key figures"] == (
        "48 people detained in <5 incidents; 20 people held UNHCR refugee status; 13 people lost refugee status."
    )
    assert (
        takeaways["Status decisions"]
        == "13 people lost refugee status: 30% of the 43 people decided on in this view."
    )
    assert takeaways["Nationalities"] == (  # Afghanistan's 7 is withheld (x): no nationality is named
        "48 people detained, Jun 2010-Aug 2010; the largest group by nationality is not named, "
        "to protect small counts."
    )


def test_unknown_status_is_said_not_zero(monkeypatch, tmp_path):
    write(
        tmp_path,
        "incidents.csv",
        """
        incident_id,date,host_country,type,nationality,people,unhcr_refugees,source
        A,2010-06,KAZ,detention,UZB,20,,IWPR
        B,2010-07,KAZ,detention,UZB,9,6,IWPR
        """,
    )
    at = run(monkeypatch, tmp_path)
    assert metrics(at)["Of whom UNHCR refugees"] == "6"
    assert "status unknown for 20 people" in [c.value for c in at.caption]
    at = run(monkeypatch, tmp_path, lang="ru")
    assert "статус неизвестен: 20 человек" in [c.value for c in at.caption]


def test_a_dataset_without_status_says_so_once(monkeypatch, tmp_path):
    write(
        tmp_path,
        "incidents.csv",
        """
        incident_id,date,host_country,type,nationality,people,unhcr_refugees,source
        A,2015-Q1,GBR,detention,ALB,120,,Home Office
        B,2015-Q2,GBR,detention,ALB,80,,Home Office
        """,
    )
    at = run(monkeypatch, tmp_path)
    assert metrics(at)["Of whom UNHCR refugees"] == "—"  # never 0
    assert "status not recorded" in [c.value for c in at.caption]
    detentions = figure_json(at, 0)
    line = next(t for t in detentions["data"] if t["type"] == "scatter")
    assert line["visible"] is False
    notes = [a["text"] for a in detentions["layout"]["annotations"] if a.get("name") == "note"]
    assert any("UNHCR status is not recorded" in n for n in notes)


def test_a_small_cell_is_not_given_back_by_the_total(monkeypatch, tmp_path):
    write(
        tmp_path,
        "incidents.csv",
        """
        incident_id,date,host_country,type,nationality,people,unhcr_refugees,source
        A,2011-01-05,KAZ,detention,UZB,5,1,IWPR
        B,2011-01-20,KAZ,detention,TJK,2,0,HRW
        """,
    )
    at = run(monkeypatch, tmp_path, public="1")
    assert metrics(at)["People detained"] == "7"
    detentions = figure_json(at, 0)
    bars = {t["name"]: html.unescape(t["customdata"][0][1]) for t in detentions["data"] if t["type"] == "bar"}
    assert bars == {"Uzbekistan": "x", "Tajikistan": "<5"}
    nationality_map = figure_json(at, 5)
    assert sorted(html.unescape(c[1]) for c in nationality_map["data"][0]["customdata"]) == ["<5", "x"]
    # without public mode, the true counts
    at = run(monkeypatch, tmp_path, public="0")
    bars = {t["name"]: values(t["y"]) for t in figure_json(at, 0)["data"] if t["type"] == "bar"}
    assert bars == {"Uzbekistan": [5], "Tajikistan": [2]}
