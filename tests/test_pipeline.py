"""The status-pipeline chart: detained -> UNHCR refugees -> status revoked -> what happened next."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from refugee_stats import aggregate, describe, registry, story, urlstate
from refugee_stats.filters import Filters
from refugee_stats.view import build_view
from tests.conftest import FOUNDING_CASE, TODAY

OUTCOME_FLOWS = aggregate.PIPELINE_FLOWS[5:]


def flows(frame: pd.DataFrame, *, outcomes: bool = False) -> dict[tuple[str, str], int | None]:
    """The flows (the status stage only unless ``outcomes``), unknown as None."""
    found = {
        (s, t): None if pd.isna(p) else int(p)
        for s, t, p in zip(frame["source"], frame["target"], frame["people"], strict=True)
    }
    return found if outcomes else {k: v for k, v in found.items() if k not in OUTCOME_FLOWS}


def incidents(*rows: tuple) -> pd.DataFrame:
    """Incident rows: (incident_id, type, nationality, people, unhcr_refugees[, follows[, date]])."""
    full = [(*r, *(None, "2010-01-01")[len(r) - 5 :]) for r in rows]
    frame = pd.DataFrame(
        full,
        columns=["incident_id", "type", "nationality", "people", "unhcr_refugees", "follows", "date_start"],
    )
    return frame.astype({"people": "int64", "unhcr_refugees": "Int64", "date_start": "datetime64[s]"})


def status(*rows: tuple) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["incident_id", "nationality", "decision", "unit", "people"])
    return frame.astype({"people": "int64"})


def pipeline(detentions: pd.DataFrame, status_rows: pd.DataFrame, others: pd.DataFrame | None = None):
    """The pipeline of ``detentions`` in view, with ``others`` (outcomes) among all the incidents."""
    everything = detentions if others is None else pd.concat([detentions, others], ignore_index=True)
    return aggregate.status_pipeline(detentions, everything, status_rows)


NO_STATUS = pd.DataFrame(
    {"incident_id": [], "nationality": [], "decision": [], "unit": [], "people": []}
).astype({"people": "int64"})


def test_the_founding_case_is_29_detained_17_refugees_17_revoked(sample):
    view = build_view(sample, FOUNDING_CASE)
    found = view.charts["pipeline"]["flows"]
    # No outcome in the records names the June 2010 detention: the chart ends at the status,
    # and every outcome flow is unknown, never 0 ("nothing happened").
    assert all(v is None for k, v in flows(found, outcomes=True).items() if k in OUTCOME_FLOWS)
    assert flows(found) == {
        ("detained", "unhcr_refugees"): 17,
        ("detained", "other_detained"): 12,
        ("detained", "status_unknown"): 0,
        ("unhcr_refugees", "revoked"): 17,
        ("unhcr_refugees", "not_revoked"): 0,
    }
    fig = registry.figures(view)["pipeline"]
    [sankey] = fig.data
    labels = list(sankey.node.label)
    assert labels == [
        "Detained<br>29",
        "UNHCR refugees<br>17",
        "Other asylum-seekers<br>12",
        "Status revoked<br>17",
    ]
    assert list(sankey.link.value) == [17, 12, 17]
    assert [labels[i] for i in sankey.link.source] == [
        "Detained<br>29",
        "Detained<br>29",
        "UNHCR refugees<br>17",
    ]
    assert fig.layout.title.text == "From detention to loss of refugee status, and what happened next"
    assert story.pipeline(view, "en") == (
        "Of 29 people detained, 17 held UNHCR refugee status, and 17 of them had it revoked."
    )


def test_unknown_status_is_its_own_branch_and_revocations_count_only_when_linked():
    found = pipeline(
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
    assert data["people"].tolist()[:5] == [17, 12, 0, 17, 0]
    assert data["people"].iloc[5:].isna().all()  # no outcome recorded for it: blank, not 0
    assert registry.TAKEAWAYS["pipeline"](view, lang).count("17") == 2
    if lang != "en":
        title = registry.figures(view)["pipeline"].layout.title.text
        assert title != "From detention to loss of refugee status, and what happened next"


@pytest.fixture(scope="module")
def sample():
    from refugee_stats.ingest.dataset import load

    return load(today=TODAY)


def test_outcomes_follow_the_detention_branch_by_branch_and_never_exceed_it():
    detentions = incidents(
        ("A", "detention", "UZB", 10, 6),
        ("B", "detention", "TJK", 5, pd.NA),
    )
    outcomes = incidents(
        # Listed out of order: A's outcomes use up its branches in the order of their dates.
        ("O2", "release", "UZB", 6, 2, "A", "2010-05-01"),  # 2 refugees, 4 others: only 2 others left
        ("O1", "extradition", "UZB", 5, 3, "A", "2010-03-01"),  # 3 refugees (revoked first), 2 others
        ("O3", "deportation", "TJK", 2, pd.NA, "B", "2010-04-01"),  # status not stated
        ("O4", "deportation", "UZB", 1, 0, "B", "2010-04-01"),  # B held no Uzbek nationals
        ("O5", "forced_return", "UZB", 3, 3, "Z", "2010-04-01"),  # Z is not in view
    )
    revocations = status(("A", "UZB", "revoked", "persons", 4))
    found = flows(pipeline(detentions, revocations, outcomes), outcomes=True)
    assert {k: v for k, v in found.items() if v} == {
        ("detained", "unhcr_refugees"): 6,
        ("detained", "other_detained"): 4,
        ("detained", "status_unknown"): 5,
        ("unhcr_refugees", "revoked"): 4,
        ("unhcr_refugees", "not_revoked"): 2,
        ("revoked", "extradition"): 3,
        ("revoked", "release"): 1,
        ("not_revoked", "release"): 1,
        ("not_revoked", "no_outcome"): 1,
        ("other_detained", "extradition"): 2,
        ("other_detained", "release"): 2,
        ("status_unknown", "deportation"): 2,
        ("status_unknown", "no_outcome"): 3,
    }
    assert all(v == 0 for v in found.values() if not v)  # every other flow is a known 0
    nodes = aggregate.pipeline_nodes(pipeline(detentions, revocations, outcomes)).set_index("node")["people"]
    assert nodes.to_dict() == {
        "detained": 15,
        "unhcr_refugees": 6,
        "other_detained": 4,
        "status_unknown": 5,
        "revoked": 4,
        "not_revoked": 2,
        "release": 4,
        "extradition": 5,
        "deportation": 2,
        "forced_return": 0,
        "no_outcome": 4,
        "removed": 7,
    }


def test_no_stated_status_leaves_the_refugee_branches_unknown_not_zero():
    # Official statistics (the UK Home Office, ICE) state no UNHCR status and link no outcome.
    found = flows(pipeline(incidents(("A", "detention", "AFG", 7, pd.NA)), NO_STATUS), outcomes=True)
    assert found.pop(("detained", "status_unknown")) == 7
    assert set(found.values()) == {None}
    nodes = aggregate.pipeline_nodes(pipeline(incidents(("A", "detention", "AFG", 7, pd.NA)), NO_STATUS))
    assert nodes.set_index("node")["people"].isna().sum() == len(nodes) - 2  # detained and unknown


FOLLOWED = {
    "incidents": """\
        incident_id,date,host_country,type,nationality,people,unhcr_refugees,follows,source
        D1,2010-06,KAZ,detention,UZB,29,17,,Monitor
        X1,2011-09,KAZ,extradition,UZB,28,17,D1,Monitor
        """,
    "status": """\
        record_id,date,host_country,nationality,authority,decision,people,incident_id,source
        R1,2010-06,KAZ,UZB,national,revoked,17,D1,Monitor
        """,
}


@pytest.mark.parametrize(
    ("lang", "takeaway", "description"),
    [
        (
            "en",
            "Of 29 people detained, 17 held UNHCR refugee status, and 17 of them had it revoked. "
            "Later, 28 of those detained were extradited, deported or forcibly returned.",
            "Then 28 extradited, deported or forcibly returned, 0 released, 1 with no outcome recorded.",
        ),
        (
            "ru",
            "Позднее из задержанных 28 были экстрадированы, депортированы или принудительно возвращены.",
            "Далее: экстрадированы, депортированы или принудительно возвращены — 28, освобождены — 0, "
            "исход не зарегистрирован — 1.",
        ),
        (
            "kk",
            "Кейін ұсталғандардан 28 адам экстрадицияланды, депортацияланды немесе күштеп қайтарылды.",
            "нәтижесі тіркелмегендер — 1.",
        ),
    ],
)
def test_what_happened_next_is_counted_whatever_its_date(dataset_from, lang, takeaway, description):
    data = dataset_from(**FOLLOWED)
    # 2010 only: the extradition of September 2011 is outside the range, yet it is what
    # happened next to the people detained in it.
    view = build_view(data, Filters(date_from="2010-01", date_to="2010-12"), locale=lang)
    assert view.key_figures.people_detained == 29
    found = flows(view.charts["pipeline"]["flows"], outcomes=True)
    assert found[("revoked", "extradition")] == 17
    assert found[("other_detained", "extradition")] == 11
    assert found[("other_detained", "no_outcome")] == 1
    assert story.pipeline(view, lang).endswith(takeaway)
    assert describe.pipeline(view).endswith(description)
    [sankey] = registry.figures(view)["pipeline"].data
    labels = list(sankey.node.label)
    assert [label.rsplit("<br>", 1)[1] for label in labels] == [
        "29",
        "17",
        "12",
        "17",
        "28",
        "1",
    ]  # no node of 0
    assert (
        sum(v for v, t in zip(sankey.link.value, sankey.link.target, strict=True) if "28" in labels[t]) == 28
    )
    notes = " ".join(a.text for a in registry.figures(view)["pipeline"].layout.annotations)
    assert "follows" in notes  # the note says how outcomes count


def test_public_mode_withholds_outcome_flows_that_would_give_a_small_count_away(dataset_from):
    data = dataset_from(**FOLLOWED)
    view = build_view(data, Filters(), public=True)
    chart = view.charts["pipeline"]
    p, nodes = chart["flows"], chart["nodes"]
    # The single person with no outcome recorded is under 5, and so is what 29 - 28 would tell.
    row = (p["source"] == "other_detained") & (p["target"] == "no_outcome")
    assert p.loc[row, "people_text"].item() == "<5"
    assert nodes.set_index("node").at["no_outcome", "people_text"] == "<5"
    [sankey] = registry.figures(view)["pipeline"].data
    assert not any(1 <= v < 5 for v in sankey.link.value)
    assert not any(label.endswith(("<br>1", "<br>2", "<br>3", "<br>4")) for label in sankey.node.label)


def test_a_follows_that_names_no_incident_is_a_problem_with_its_row_and_column(tmp_path):
    from refugee_stats.ingest.dataset import load

    (tmp_path / "incidents.csv").write_text(
        "incident_id,date,host_country,type,nationality,people,follows,source\n"
        "D1,2010-06,KAZ,detention,UZB,29,,Monitor\n"
        "X1,2011-09,KAZ,extradition,UZB,28,D9,Monitor\n",
        encoding="utf-8",
    )
    data = load(tmp_path, today=TODAY)
    [found] = data.problems_in("en").to_dict("records")
    assert (found["row"], found["column"], found["value"]) == (3, "follows", "D9")
    assert found["file"].endswith("incidents.csv")
    assert found["message"] == "no incident with this incident_id in incidents.csv"
    assert data.incidents["incident_id"].tolist() == ["D1"]  # the other rows stay


def test_the_sample_shows_what_happened_next_and_every_branch_adds_up(sample):
    view = build_view(sample, Filters())
    chart = view.charts["pipeline"]
    found = flows(chart["flows"], outcomes=True)
    nodes = chart["nodes"].set_index("node")["people"]
    for branch in aggregate.PIPELINE_BRANCHES:
        assert sum(found[(branch, o)] for o in aggregate.PIPELINE_OUTCOMES) == nodes[branch]
    assert nodes["removed"] == nodes["extradition"] + nodes["deportation"] + nodes["forced_return"] > 0
    [sankey] = registry.figures(view)["pipeline"].data
    assert any(label.startswith("Extradited<br>") for label in sankey.node.label)


counts = st.integers(min_value=1, max_value=40)


@st.composite
def histories(draw):
    """Detentions in view, outcomes naming them (or not), and revocations, at random."""
    n = draw(st.integers(min_value=1, max_value=4))
    held = [
        (f"D{i}", "detention", draw(st.sampled_from(["UZB", "TJK"])), p, draw(st.none() | st.integers(0, p)))
        for i in range(n)
        for p in [draw(counts)]
    ]
    kinds = st.sampled_from(["release", "extradition", "deportation", "forced_return"])
    outcomes = []
    for j in range(draw(st.integers(min_value=0, max_value=6))):
        p = draw(counts)
        outcomes.append(
            (
                f"O{j}",
                draw(kinds),
                draw(st.sampled_from(["UZB", "TJK"])),
                p,
                draw(st.none() | st.integers(0, p)),
                draw(st.sampled_from([f"D{i}" for i in range(n)] + ["D9"])),
                f"2010-0{draw(st.integers(1, 9))}-01",
            )
        )
    revoked = [
        (
            draw(st.sampled_from([f"D{i}" for i in range(n)])),
            draw(st.sampled_from(["UZB", "TJK"])),
            "revoked",
            "persons",
            draw(counts),
        )
        for _ in range(draw(st.integers(min_value=0, max_value=3)))
    ]
    return held, outcomes, revoked


@settings(max_examples=150, deadline=None)
@given(histories())
def test_every_node_passes_on_exactly_what_it_receives(history):
    held, outcomes, revoked = history
    detentions = incidents(*held)
    found = pipeline(
        detentions, status(*revoked) if revoked else NO_STATUS, incidents(*outcomes) if outcomes else None
    )
    nodes = aggregate.pipeline_nodes(found).set_index("node")["people"]
    values = flows(found, outcomes=True)
    assert all(v is None or v >= 0 for v in values.values())
    assert nodes["detained"] == detentions["people"].sum()
    for node in ("unhcr_refugees", *aggregate.PIPELINE_BRANCHES):
        out = [v for (s, _), v in values.items() if s == node and v is not None]
        if out and not pd.isna(nodes[node]):
            assert sum(out) == nodes[node]  # nothing made up, nothing lost
    for kind in ("release", "extradition", "deportation", "forced_return"):
        named = sum(o[3] for o in outcomes if o[1] == kind and o[5] != "D9")
        assert pd.isna(nodes[kind]) or nodes[kind] <= named


@pytest.mark.parametrize(
    ("rows", "row", "value", "message"),
    [
        (
            "X1,2011-09,KAZ,extradition,TJK,5,D1",  # D1 held Uzbek nationals only
            3,
            "D1",
            "names no detention of nationality TJK: the record is counted, but not on the status pipeline",
        ),
        (
            "X1,2011-09,KAZ,extradition,UZB,20,D1\nX2,2011-10,KAZ,release,UZB,12,D1",  # 32 of 29
            4,
            "D1",
            "the outcomes after this detention count 32 people, more than the 29 it held: "
            "the status pipeline counts 29 at most",
        ),
        (
            "D2,2011-09,KAZ,detention,UZB,5,D1",
            3,
            "D1",
            "a detention follows no other incident (follows is for a release, extradition, deportation "
            "or forced return): the link is not used",
        ),
    ],
)
def test_links_the_pipeline_cannot_use_are_warnings_and_the_records_stay(tmp_path, rows, row, value, message):
    from refugee_stats.ingest.dataset import load

    (tmp_path / "incidents.csv").write_text(
        "incident_id,date,host_country,type,nationality,people,follows,source\n"
        f"D1,2010-06,KAZ,detention,UZB,29,,Monitor\n{rows.replace(chr(10), ',Monitor' + chr(10))},Monitor\n",
        encoding="utf-8",
    )
    data = load(tmp_path, today=TODAY)
    [found] = data.problems_in("en").to_dict("records")
    assert (found["row"], found["column"], found["value"], found["severity"]) == (
        row,
        "follows",
        value,
        "warning",
    )
    assert found["message"] == message
    assert len(data.incidents) == 1 + rows.count("\n") + 1
    russian = data.problems_in("ru").iloc[0]["message"]
    assert russian != message and not any(word in russian for word in ("detention", "status", "record"))
