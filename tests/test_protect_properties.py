"""Invariants of small-number protection on generated datasets and filters, in both modes.

(a) every displayed total equals the sum of the true counts behind it; (b) public and
non-public mode show the same totals wherever the total is 5 or more and not withheld;
(c) shares of a period sum to 100 and match the true counts; (d) every number in a
takeaway is a key figure or chart value on screen; (e) no count from 1 to 4 appears on
any output path in public mode; (f) no withheld count of a breakdown can be worked out
from the numbers shown beside it. The audit in (f) reads only the displayed texts; (g) a takeaway
names a period, nationality or host country as the largest only when its count is shown and no
other could be as large as far as the page says (in public mode), and always without it.
"""

from __future__ import annotations

import math
import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from refugee_stats import countries, i18n, protect, registry
from refugee_stats.filters import Filters
from refugee_stats.ingest.dataset import load
from refugee_stats.view import build_view
from tests.conftest import TODAY
from tests.test_protect import assert_no_small_count

NATIONALITIES = ("UZB", "TJK", "AFG", "RUS")
MONTHS = ("2010-01", "2010-02", "2010-03", "2010-05")

incident = st.fixed_dictionaries(
    {
        "host": st.sampled_from(("KAZ", "KGZ")),
        "nationality": st.sampled_from(NATIONALITIES),
        "date": st.sampled_from((*MONTHS, *MONTHS, "2010-Q1")),
        "type": st.sampled_from(("detention", "detention", "detention", "deportation")),
        "people": st.integers(1, 14),
        "refugees": st.one_of(st.none(), st.integers(0, 14)),
    }
)
decision = st.fixed_dictionaries(
    {
        "date": st.sampled_from(MONTHS),
        "decision": st.sampled_from(("revoked", "recognized", "rejected")),
        "people": st.integers(1, 14),
    }
)


def write_dataset(folder: Path, incidents: list[dict], decisions: list[dict]):
    lines = ["incident_id,date,host_country,type,nationality,people,unhcr_refugees,source"]
    for i, r in enumerate(incidents):
        refugees = "" if r["refugees"] is None else min(r["refugees"], r["people"])
        lines.append(
            f"I{i},{r['date']},{r['host']},{r['type']},{r['nationality']},{r['people']},{refugees},HRW"
        )
    (folder / "incidents.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    lines = ["record_id,date,host_country,nationality,authority,decision,people,source"]
    for i, r in enumerate(decisions):
        lines.append(f"S{i},{r['date']},KAZ,UZB,national,{r['decision']},{r['people']},HRW")
    (folder / "status.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    data = load(folder, today=TODAY)
    assert data.problems.empty, data.problems.to_string()
    return data


#: What each takeaway ranks: the frame (chart, frame), the column naming each row, its name in words.
RANKED = {
    "detentions": (("detentions", "totals"), "period_start"),
    "nationalities": (("map", "nationality"), "nationality"),
    "map": (("map", "host_country"), "host_country"),
}


def named(view, scene: str, sentence: str) -> list[int]:
    """The rows of what ``scene`` ranks that its English takeaway names. The dates in view a takeaway
    that names none gives ("13 people detained, Jan 2010-May 2010; ...") are taken out: they can hold
    the name of a period (May 2010)."""
    (chart, name), column = RANKED[scene]
    frame = view.charts[chart][name]
    if view.data.x_range is not None:
        sentence = sentence.replace(f" detained, {i18n.span_label(*view.data.x_range, 'en')};", "")
    if column == "period_start":
        names = [i18n.period_label(p, view.filters.granularity, "en", long=True) for p in frame[column]]
    else:
        names = [countries.name(code, "en") for code in frame[column]]
    return [i for i, text in enumerate(names) if re.search(rf"\b{re.escape(text)}\b", sentence)]


def assert_largest_only_when_shown(view) -> None:
    """(g) In public mode, a largest item named only when its count is shown and no other count could
    be as large by what is shown (protect's bounds: "<5" up to 4, "x" unbounded); always one named
    (the true largest) without public mode."""
    for scene, ((chart, name), _column) in RANKED.items():
        frame = view.charts[chart][name]
        if not (frame["people"] > 0).any():
            continue
        rows = named(view, scene, registry.TAKEAWAYS[scene](view, "en"))
        assert len(rows) <= 1, (scene, rows)
        people = frame["people"].astype(int).tolist()
        status = list(protect.statuses(frame))
        shown = [v for v, s in zip(people, status, strict=True) if s == protect.SHOWN and v > 0]
        # What the page says of the largest: the largest shown, unless another count could reach it.
        settled = bool(shown) and all(
            protect.bounds(v, s)[1] <= max(shown) for v, s in zip(people, status, strict=True)
        )
        if not view.public:
            assert settled and len(rows) == 1, (scene, rows)
        assert bool(rows) == settled, (scene, rows, people, status)
        for i in rows:
            assert status[i] == protect.SHOWN and people[i] == max(people), (scene, i, people, status)
            others = [
                protect.bounds(v, s)[1] for j, (v, s) in enumerate(zip(people, status, strict=True)) if j != i
            ]
            assert all(hi <= people[i] for hi in others), (scene, i, people, status)


def bounds(text: str) -> tuple[float, float]:
    """What a reader knows of a displayed count."""
    if text == "<5":
        return 1, 4
    if text == "x":
        return 5, math.inf
    return int(text), int(text)


def recoverable(parts: list[str], total: str) -> bool:
    """Whether the displayed ``total`` minus the displayed ``parts`` pins a withheld part (or the total)."""
    terms = [(bounds(p), 1) for p in parts] + [(bounds(total), -1)]
    for i, ((lo, hi), sign) in enumerate(terms):
        if lo == hi:
            continue
        # sign * value = -(sum of the others)
        others_low = sum(o_lo if s > 0 else -o_hi for j, ((o_lo, o_hi), s) in enumerate(terms) if j != i)
        others_high = sum(o_hi if s > 0 else -o_lo for j, ((o_lo, o_hi), s) in enumerate(terms) if j != i)
        low, high = (-others_high, -others_low) if sign > 0 else (others_low, others_high)
        if max(lo, low) == min(hi, high):
            return True
    return False


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    incidents=st.lists(incident, min_size=1, max_size=8),
    decisions=st.lists(decision, max_size=4),
    granularity=st.sampled_from(("month", "quarter")),
    only=st.one_of(st.none(), st.sampled_from(NATIONALITIES)),
)
def test_protection_invariants(incidents, decisions, granularity, only):
    with tempfile.TemporaryDirectory() as folder:
        data = write_dataset(Path(folder), incidents, decisions)
    filters = Filters(granularity=granularity, nationalities=(only,) if only else ())
    plain = build_view(data, filters, public=False)
    public = build_view(data, filters, public=True)
    kept = [r for r in incidents if only in (None, r["nationality"])]
    detained = [r for r in kept if r["type"] == "detention"]

    for view in (plain, public):
        # (a) totals from the true counts, written independently from the generated rows
        f = view.key_figures
        assert f.people_detained == sum(r["people"] for r in detained)
        assert f.revocations == (
            sum(r["people"] for r in decisions if r["decision"] == "revoked")
            if not only or only == "UZB"
            else 0
        )
        totals = view.charts["detentions"]["totals"].set_index("period_start")["people"]
        assert totals.sum() == view.charts["detentions"]["by_period"]["people"].sum()
        for period, part in view.charts["detentions"]["by_period"].groupby("period_start"):
            assert part["people"].sum() == totals[period]
        # (c) shares of each period sum to 100, from true counts; so do the drawn heights
        for _, part in view.charts["nationalities"]["shares"].groupby("period_start"):
            assert abs(part["share"].sum() - 100) < 1e-9
            assert abs(part["share_drawn"].sum() - 100) < 1e-9
            assert list(part["share"]) == list(part["people"] / part["people"].sum() * 100)
        # (d) every number in a takeaway is on screen
        shown = set(view.key_figure_text.values())
        for frame in (
            view.charts["detentions"]["totals"],
            view.charts["map"]["host_country"],
            view.charts["map"]["nationality"],
            view.charts["detentions"]["by_period"],
        ):
            shown |= set(frame["people_text"])
        shown |= set(view.charts["detentions"]["totals"]["unhcr_refugees_text"]) | set(
            view.charts["detentions"]["totals"]["unhcr_unknown_text"]
        )
        # what a chart says of the records its period cannot place (records and people, protected)
        unplaced = view.charts["detentions"]["unplaced"]
        shown |= set(unplaced["people_text"]) | {
            protect.text(int(n), "en", view.public) for n in unplaced["records"]
        }
        for lang in ("en", "ru"):
            for scene, takeaway in registry.TAKEAWAYS.items():
                sentence = takeaway(view, lang)
                # Quarter labels (Q1 2010, 1-й кв. 2010) are names, not counts.
                sentence = re.sub(r"Q\d|\d-й кв\.", "", sentence)
                for number in re.findall(r"(?<![\d<])\d+(?![\d%]|\s%|\u00a0%)", sentence):
                    assert number in shown or number == "2010", (scene, lang, sentence, number)

    # (b) the same totals in both modes wherever 5 or more and not withheld
    for name, text in public.key_figure_text.items():
        value = getattr(public.key_figures, name)
        if value is not None and value >= 5 and public.key_figure_status[name] == "shown":
            assert text == plain.key_figure_text[name], name
    for text, plain_text, value in zip(
        public.charts["detentions"]["totals"]["people_text"],
        plain.charts["detentions"]["totals"]["people_text"],
        public.charts["detentions"]["totals"]["people"],
        strict=True,
    ):
        assert text in ((plain_text, "x") if value >= 5 else ("<5",))

    # (e) no count from 1 to 4 anywhere in public mode
    assert_no_small_count(public)

    # (g) the largest named only when what is shown makes it so; always without public mode
    assert_largest_only_when_shown(public)
    assert_largest_only_when_shown(plain)

    # (f) no breakdown on screen pins a withheld count
    totals_text = public.charts["detentions"]["totals"].set_index("period_start")["people_text"]
    for period, part in public.charts["detentions"]["by_period"].groupby("period_start"):
        assert not recoverable(list(part["people_text"]), totals_text[period])
    if public.charts["detentions"]["unplaced"].empty:
        assert not recoverable(list(totals_text), public.key_figure_text["people_detained"])
    for frame in (public.charts["map"]["host_country"], public.charts["map"]["nationality"]):
        if frame["people"].sum() == public.key_figures.people_detained:
            assert not recoverable(list(frame["people_text"]), public.key_figure_text["people_detained"])
    if public.charts["decisions"]["unplaced"].empty and len(public.charts["decisions"]["by_period"]):
        assert not recoverable(
            list(public.charts["decisions"]["by_period"]["people_text"]),
            public.key_figure_text["people_decided"],
        )
        revoked = public.charts["decisions"]["by_period"][
            public.charts["decisions"]["by_period"]["decision"] == "revoked"
        ]
        if revoked["people"].sum() == public.key_figures.revocations:
            assert not recoverable(list(revoked["people_text"]), public.key_figure_text["revocations"])
