"""Small-number protection walks every output path: nothing from 1 to 4 escapes in public mode."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from refugee_stats import protect, story
from refugee_stats.filters import Filters
from refugee_stats.view import build_view, figures, map_figures, records

SMALL = {1, 2, 3, 4}
INCIDENTS = """
    incident_id,date,host_country,type,nationality,people,unhcr_refugees,source,illustrative
    A,2010-06,KAZ,detention,UZB,2,1,IWPR,false
    B,2010-06-20,KGZ,detention,TJK,1,,HRW,false
    C,2010-07-02,KAZ,deportation,UZB,3,0,HRW,false
"""
STATUS = """
    record_id,date,host_country,nationality,authority,decision,people,incident_id,source
    S1,2010-06,KAZ,UZB,national,revoked,2,A,IWPR
    S2,2010-08-05,KGZ,TJK,unhcr,recognized,4,,UNHCR
"""


@pytest.fixture
def data(dataset_from):
    return dataset_from(incidents=INCIDENTS, status=STATUS)


@pytest.mark.parametrize(
    ("values", "public", "expected"),
    [
        ([0, 1, 4, 5, 17], True, ["0", "<5", "<5", "5", "17"]),
        ([0, 1, 4, 5, 17], False, ["0", "1", "4", "5", "17"]),
        ([None, 2], True, ["", "<5"]),
    ],
)
def test_the_rule(values, public, expected):
    frame = pd.DataFrame({"people": pd.array(values, dtype="Int64")})
    out = protect.counts(frame, ["people"], public=public)
    assert out["people_text"].tolist() == expected
    if public:  # small counts are replaced in the numbers themselves, so no sum carries them
        assert [v for v in out["people"].dropna()] == [
            5 if v in SMALL else v for v in values if v is not None
        ]


def count_values(fig) -> list:
    """Every number and count text a figure carries: drawn values and customdata after the label."""
    found: list = []
    for trace in fig.data:
        drawn = trace.z if trace.type == "choropleth" else trace.y
        found += list(drawn) if drawn is not None else []
        for row in trace.customdata if trace.customdata is not None else []:
            found += list(row)[1:]
    return found


def test_every_output_path_hides_small_counts(data):
    view = build_view(data, Filters(granularity="month"), public=True)
    # key figures
    assert view.figure_text == {
        "people_detained": "<5",  # 2 + 1
        "incidents": "<5",
        "unhcr_refugees": "<5",
        "unhcr_unknown": "<5",
        "revocations": "<5",
        "people_removed": "<5",
    }
    # charts and maps: drawn values and hover texts
    all_figures = {**figures(view), **map_figures(view)}
    for name, fig in all_figures.items():
        for value in count_values(fig):
            if isinstance(value, str):
                assert value in {"<5", "0", ""} or not value.strip().isdigit(), (name, value)
            else:
                assert float(value) not in SMALL, (name, value)
        notes = " ".join(a.text for a in fig.layout.annotations if a.name in ("note", "sources"))
        assert "<5" in notes or "Public mode" in notes, name
    # share chart: computed from the protected counts (5 and 5 in June 2010)
    assert sorted(view.shares["share"].round(1)) == [50.0, 50.0]
    # records table
    table = records(view)
    assert set(table["people_text"]) == {"<5"}
    assert set(table["unhcr_refugees_text"]) <= {"<5", "0", ""}
    # takeaway sentences
    for scene, takeaway in story.TAKEAWAYS.items():
        for lang in ("en", "ru"):
            sentence = takeaway(view, lang)
            assert not re.search(r"(?<![\d<])[1-4](?![\d%])", sentence), (scene, lang, sentence)


def test_without_public_mode_the_true_counts_show(data):
    view = build_view(data, Filters(), public=False)
    assert view.figure_text["people_detained"] == "3"
    assert records(view)["people_text"].tolist()[:3] == ["2", "1", "3"]
    detentions = figures(view)["detentions"]
    assert sorted(v for t in detentions.data if t.type == "bar" for v in t.y) == [1, 2]


def test_public_bars_are_hatched(data):
    fig = figures(build_view(data, Filters(), public=True))["detentions"]
    bars = [t for t in fig.data if t.type == "bar"]
    assert all(list(t.marker.pattern.shape) == ["/"] for t in bars)
    assert all(list(t.y) == [5] for t in bars)
