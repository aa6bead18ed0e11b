"""Shareable links: parsing never raises, drops bad values with a notice, and round-trips."""

from __future__ import annotations

import pytest

from refugee_stats.filters import Filters
from refugee_stats.urlstate import SCENES, Notice, State, encode, parse, step

HOSTS = {"KAZ", "KGZ", "TJK", "TKM", "UZB"}
NATIONALITIES = {"UZB", "AFG", "TJK", "CHN"}
MONTHS = ("2008-01", "2012-12")


def read(query: dict) -> tuple[State, list[Notice]]:
    return parse(query, hosts=HOSTS, nationalities=NATIONALITIES, months=MONTHS)


def test_the_documented_example_link():
    state, notices = read(
        {
            "host": ["KAZ"],
            "nationality": ["UZB"],
            "from": ["2010-01"],
            "to": ["2011-12"],
            "type": ["detention"],
            "period": ["month"],
            "lang": ["ru"],
            "present": ["1"],
            "scene": ["2"],
        }
    )
    assert notices == []
    assert state == State(
        filters=Filters(
            host_countries=("KAZ",),
            nationalities=("UZB",),
            date_from="2010-01",
            date_to="2011-12",
            types=("detention",),
        ),
        lang="ru",
        present=True,
        scene=2,
    )


def test_empty_link_gives_everything_over_the_data_span():
    state, notices = read({})
    assert notices == []
    assert state == State(filters=Filters(date_from="2008-01", date_to="2012-12"))


@pytest.mark.parametrize(
    ("query", "notice", "filters"),
    [
        (
            {"host": ["ZZZ"]},
            Notice("host", "ZZZ", "reason_unknown_code"),
            Filters(date_from="2008-01", date_to="2012-12"),
        ),
        (
            {"host": ["KAZ", "FRA"]},
            Notice("host", "FRA", "reason_unknown_code"),
            Filters(host_countries=("KAZ",), date_from="2008-01", date_to="2012-12"),
        ),
        (
            {"host": ["kz,Kyrgyzstan"]},
            None,
            Filters(host_countries=("KAZ", "KGZ"), date_from="2008-01", date_to="2012-12"),
        ),
        (
            {"nationality": ["<script>"]},
            Notice("nationality", "<script>", "reason_unknown_code"),
            Filters(date_from="2008-01", date_to="2012-12"),
        ),
        (
            {"from": ["June"]},
            Notice("from", "June", "reason_not_month"),
            Filters(date_from="2008-01", date_to="2012-12"),
        ),
        (
            {"from": ["2010"]},
            Notice("from", "2010", "reason_not_month"),
            Filters(date_from="2008-01", date_to="2012-12"),
        ),
        (
            {"to": ["2030-01"]},
            Notice("to", "2030-01", "reason_outside_data"),
            Filters(date_from="2008-01", date_to="2012-12"),
        ),
        (
            {"from": ["2011-05"], "to": ["2010-01"]},
            Notice("from", "2011-05>2010-01", "reason_from_after_to"),
            Filters(date_from="2008-01", date_to="2012-12"),
        ),
        (
            {"type": ["detention", "arrest"]},
            Notice(
                "type",
                "arrest",
                "reason_not_choice",
                {"choices": "detention, release, extradition, deportation, forced_return"},
            ),
            Filters(date_from="2008-01", date_to="2012-12", types=("detention",)),
        ),
        (
            {"period": ["week"]},
            Notice("period", "week", "reason_not_choice", {"choices": "month, quarter, year"}),
            Filters(date_from="2008-01", date_to="2012-12"),
        ),
        (
            {"illustrative": ["0"]},
            None,
            Filters(date_from="2008-01", date_to="2012-12", include_illustrative=False),
        ),
    ],
)
def test_filters_from_the_link(query, notice, filters):
    state, notices = read(query)
    assert notices == ([notice] if notice else [])
    assert state.filters == filters


@pytest.mark.parametrize(
    ("query", "expected", "notice"),
    [
        (
            {"lang": ["fr"]},
            State(filters=Filters(date_from="2008-01", date_to="2012-12")),
            Notice("lang", "fr", "reason_not_choice", {"choices": "en, kk, ru"}),
        ),
        (
            {"theme": ["DARK"]},
            State(filters=Filters(date_from="2008-01", date_to="2012-12"), theme="dark"),
            None,
        ),
        (
            {"scene": ["9"]},
            State(filters=Filters(date_from="2008-01", date_to="2012-12")),
            Notice("scene", "9", "reason_not_choice", {"choices": f"1-{len(SCENES)}"}),
        ),
        (
            {"scene": ["-1"]},
            State(filters=Filters(date_from="2008-01", date_to="2012-12")),
            Notice("scene", "-1", "reason_not_choice", {"choices": f"1-{len(SCENES)}"}),
        ),
        (
            {"present": ["maybe"]},
            State(filters=Filters(date_from="2008-01", date_to="2012-12")),
            Notice("present", "maybe", "reason_not_choice", {"choices": "0, 1"}),
        ),
        (
            {"present": ["true"], "scene": ["5"]},
            State(filters=Filters(date_from="2008-01", date_to="2012-12"), present=True, scene=5),
            None,
        ),
    ],
)
def test_display_state_from_the_link(query, expected, notice):
    state, notices = read(query)
    assert state == expected
    assert notices == ([notice] if notice else [])


@pytest.mark.parametrize(
    ("query", "given", "granularity"),
    [
        ({}, set(), "month"),  # not given: the caller chooses from the data
        ({"period": ["month"]}, {"period"}, "month"),  # given: month, and it wins
        ({"period": ["Year"]}, {"period"}, "year"),
        ({"period": ["week"]}, set(), "month"),  # unusable is not given
        ({"from": ["2010-01"], "to": ["2011-12"]}, {"from", "to"}, "month"),
        ({"to": ["2011-12"]}, {"to"}, "month"),
        ({"from": ["2030-01"]}, set(), "month"),  # outside the data: dropped
        ({"from": ["2011-05"], "to": ["2010-01"]}, set(), "month"),  # reversed: both dropped
    ],
)
def test_link_tells_what_it_set_from_defaults(query, given, granularity):
    state, _ = read(query)
    assert state.given == given
    assert state.filters.granularity == granularity
    assert state == State(filters=state.filters)  # how a state came about is not part of it


def test_notices_read_as_sentences():
    notice = Notice("host", "ZZZ", "reason_unknown_code")
    assert notice.message("en") == "Ignored in the link: host=ZZZ (not a country in the data)."
    assert notice.message("ru") == "Не учтено из ссылки: host=ZZZ (такой страны нет в данных)."


@pytest.mark.parametrize(
    "state",
    [
        State(filters=Filters(date_from="2008-01", date_to="2012-12")),
        State(
            filters=Filters(
                host_countries=("KAZ", "KGZ"),
                nationalities=("UZB",),
                date_from="2010-01",
                date_to="2011-12",
                types=("detention", "extradition"),
                granularity="quarter",
                include_illustrative=False,
            ),
            lang="ru",
            theme="dark",
            present=True,
            scene=4,
        ),
    ],
)
def test_encode_then_parse_gives_the_same_state(state):
    assert read(encode(state)) == (state, [])


def test_encoded_link_is_codes_not_labels():
    state = State(
        filters=Filters(
            host_countries=("KAZ",),
            nationalities=("UZB",),
            date_from="2010-01",
            date_to="2011-12",
            types=("detention",),
        ),
        lang="ru",
        present=True,
        scene=2,
    )
    assert encode(state) == {
        "host": ["KAZ"],
        "nationality": ["UZB"],
        "from": "2010-01",
        "to": "2011-12",
        "type": ["detention"],
        "period": "month",
        "lang": "ru",
        "theme": "light",
        "present": "1",
        "scene": "2",
    }


@pytest.mark.parametrize(
    ("scene", "delta", "expected"), [(1, -1, 1), (1, 1, 2), (len(SCENES), 1, len(SCENES)), (3, -1, 2)]
)
def test_step_stays_within_the_scenes(scene, delta, expected):
    assert step(scene, delta) == expected


# -- every declared filter, one row each ------------------------------------------------------

#: Per filter: a link value, the field value it gives, and a word the subtitle then holds (None:
#: the filter is not described).
SPEC_CASES = {
    "host_countries": ("kaz", ("KAZ",), "Kazakhstan"),
    "nationalities": ("Uzbekistan", ("UZB",), "Uzbekistan"),
    "date_from": ("2010-03", "2010-03", "Mar 2010"),
    "date_to": ("2011-04", "2011-04", "Apr 2011"),
    "types": ("Deportation", ("deportation",), "deportation"),
    "include_illustrative": ("0", False, "real records only"),
    "granularity": ("quarter", "quarter", None),
}


def test_every_declared_filter_has_a_case():
    from refugee_stats.filters import FILTERS

    assert [s.name for s in FILTERS] == list(SPEC_CASES)
    assert {s.name for s in FILTERS} == set(Filters.__dataclass_fields__)


@pytest.mark.parametrize("name", list(SPEC_CASES))
def test_a_declared_filter_reads_from_a_link_writes_back_and_describes_itself(name):
    from refugee_stats.filters import FILTERS

    spec = next(s for s in FILTERS if s.name == name)
    raw, value, word = SPEC_CASES[name]
    state, notices = read({spec.param: [raw]})
    assert notices == []
    assert getattr(state.filters, name) == value
    again, _ = read(encode(state))
    assert again == state
    if word is not None:
        assert word in state.filters.describe("en")


def test_the_readme_lists_every_filter_a_link_can_set():
    from pathlib import Path

    from refugee_stats.filters import markdown_filters

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    indented = "\n".join("  " + line for line in markdown_filters().splitlines())
    assert indented in readme


def test_kazakh_link():
    state, notices = read({"lang": ["kk"], "present": ["1"]})
    assert notices == []
    assert state.lang == "kk" and state.present
    assert encode(state)["lang"] == "kk"
