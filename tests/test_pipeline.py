"""The status-pipeline chart: detained -> UNHCR refugees -> status revoked, one registered chart."""

from __future__ import annotations

import pandas as pd
import pytest

from refugee_stats import aggregate, registry, story, urlstate
from refugee_stats.filters import Filters
from refugee_stats.view import build_view
from tests.conftest import TODAY

FOUNDING_CASE = Filters(
    host_countries=("KAZ",),
    nationalities=("UZB",),
    date_from="2010-01",
    date_to="2010-12",
    include_illustrative=False,
)


def flows(frame: pd.DataFrame) -> dict[tuple[str, str], int]:
    return {(s, t): int(p) for s, t, p in zip(frame["source"], frame["target"], frame["people"], strict=True)}


def incidents(*rows: tuple) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["incident_id", "type", "nationality", "people", "unhcr_refugees"])
    return frame.astype({"people": "int64", "unhcr_refugees": "Int64"})


def status(*rows: tuple) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["incident_id", "nationality", "decision", "unit", "people"])
    return frame.astype({"people": "int64"})


def test_the_founding_case_is_29_detained_17_refugees_17_revoked(sample):
    view = build_view(sample, FOUNDING_CASE)
    assert flows(view.charts["pipeline"]["flows"]) == {
        ("detained", "unhcr_refugees"): 17,
        ("detained", "other_detained"): 12,
        ("detained", "status_unknown"): 0,
        ("unhcr_refugees", "revoked"): 17,
        ("unhcr_refugees", "not_revoked"): 0,
    }
    fig = registry.figures(view)["pipeline"]
    [sankey] = fig.data
    labels = list(sankey.node.label)
    assert labels == ["Detained: 29", "UNHCR refugees: 17", "Other asylum-seekers: 12", "Status revoked: 17"]
    assert list(sankey.link.value) == [17, 12, 17]
    assert [labels[i] for i in sankey.link.source] == ["Detained: 29", "Detained: 29", "UNHCR refugees: 17"]
    assert fig.layout.title.text == "From detention to loss of refugee status"
    assert story.pipeline(view, "en") == (
        "Of 29 people detained, 17 held UNHCR refugee status, and 17 of them had it revoked."
    )


def test_unknown_status_is_its_own_branch_and_revocations_count_only_when_linked():
    found = aggregate.status_pipeline(
        incidents(
            ("A", "detention", "UZB", 10, 6),
            ("A", "detention", "TJK", 4, pd.NA),  # status not recorded
            ("B", "detention", "UZB", 3, 3),
            ("C", "deportation", "UZB", 9, 9),  # not a detention
        ),
        status(
            ("A", "UZB", "revoked", "persons", 8),  # more than A's 6 refugees: capped at 6
            ("B", "UZB", "revoked", "cases", 1),  # cases are never persons
            (None, "UZB", "revoked", "persons", 5),  # names no detention
            ("A", "TJK", "revoked", "persons", 2),  # A's Tajik nationals held no known status
        ),
    )
    assert flows(found) == {
        ("detained", "unhcr_refugees"): 9,
        ("detained", "other_detained"): 4,
        ("detained", "status_unknown"): 4,
        ("unhcr_refugees", "revoked"): 6,
        ("unhcr_refugees", "not_revoked"): 3,
    }


def test_public_mode_shows_small_flows_as_under_five_and_draws_none_below_five(sample):
    # Kyrgyzstan in the sample: 3 people of unknown status and 2 revocations, both under 5; the
    # 18 refugees are withheld too, or 3 would follow from the total and the other flows.
    view = build_view(sample, Filters(host_countries=("KGZ",)), public=True)
    p = view.charts["pipeline"]["flows"]
    small = p[(p["people"] >= 1) & (p["people"] < 5)]
    assert len(small)
    assert (small["people_text"].isin(["<5", "x"])).all()
    drawn = p.loc[p["people_hidden"], "people_drawn"]
    assert (drawn >= 5).all()
    [sankey] = registry.figures(view)["pipeline"].data
    assert not any(1 <= v < 5 for v in sankey.link.value)  # no width gives a small count back


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_the_pipeline_is_a_scene_a_download_and_speaks_every_language(sample, lang):
    assert "pipeline" in urlstate.SCENES and "pipeline" in registry.KINDS
    view = build_view(sample, FOUNDING_CASE, locale=lang)
    data = registry.chart_data(view, lang, kinds=("pipeline",))["pipeline"]
    assert data["people"].tolist() == [17, 12, 0, 17, 0]
    assert registry.TAKEAWAYS["pipeline"](view, lang).count("17") == 2
    if lang != "en":
        title = registry.figures(view)["pipeline"].layout.title.text
        assert title != "From detention to loss of refugee status"


@pytest.fixture(scope="module")
def sample():
    from refugee_stats.ingest.dataset import load

    return load(today=TODAY)
