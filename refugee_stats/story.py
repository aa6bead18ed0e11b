"""One-sentence takeaways for presentation scenes, computed from the data in view.

Each function reads a :class:`~refugee_stats.view.View` and returns a sentence in the
requested language, with numbers formatted and plural forms chosen by CLDR rules.

A takeaway names the largest period, nationality or host country only when what is shown
makes it the largest (:func:`refugee_stats.protect.largest`, the rule chart descriptions
follow): in public mode, naming a withheld count as the largest, or one beside a count that
could be larger, would tell more than the page shows, and beside a shown total could pin
the withheld values. It then says how many people were detained over the dates in view and
that the largest is not named.
"""

from __future__ import annotations

import dataclasses

import pandas as pd

from refugee_stats import aggregate, charts, countries, i18n, protect
from refugee_stats.view import View


def key_figures(view: View, lang: str = "en") -> str:
    """``474 people detained in 134 incidents; 112 people held UNHCR refugee status (status unknown
    for 73 people); 35 people lost refugee status.``"""
    f = view.key_figures
    if view.empty:
        return i18n.t("takeaway_nothing", lang)
    status = view.key_figure_status
    if f.incidents and status["incidents"] == protect.SMALL:
        incidents = i18n.t("fewer_than_five_incidents", lang)
    elif status["incidents"] == protect.HIDDEN:
        incidents = i18n.t("withheld_incidents", lang)
    else:
        incidents = i18n.tn("n_incidents", f.incidents, lang)
    return i18n.t(
        "takeaway_key_figures" if f.people_decided or f.revocations else "takeaway_key_figures_no_decisions",
        lang,
        detained=people_phrase(f.people_detained, status["people_detained"], lang),
        incidents=incidents,
        incidents_n=view.key_figure_text["incidents"],
        refugees=_refugees(
            f.unhcr_refugees,
            status["unhcr_refugees"],
            f.unhcr_unknown,
            status["unhcr_unknown"],
            lang,
            them=False,
        ),
        revoked=people_phrase(f.revocations, status["revocations"], lang),
    )


def people_phrase(n: int, status: str, lang: str, key: str = "n_people") -> str:
    """``29 people``; ``<5 people`` or ``x people (withheld)`` when protection hides the count."""
    if status == protect.SMALL:
        return i18n.t("fewer_than_five", lang)
    if status == protect.HIDDEN:
        return i18n.t("withheld_people", lang)
    return i18n.tn(key, n, lang)


def _refugees(
    refugees: int | None, status: str, unknown: int, unknown_status: str, lang: str, them: bool
) -> str:
    """The clause on UNHCR status: how many held it, how many are of unknown status, or that none is recorded."""
    if refugees is None:
        return i18n.t("clause_status_unknown", lang)
    count = (
        protect.text(refugees, lang, True, status) if status != protect.SHOWN else i18n.number(refugees, lang)
    )
    if them:
        if unknown:
            return i18n.t(
                "clause_them_partly_unknown",
                lang,
                refugees=count,
                unknown=protect.text(unknown, lang, True, unknown_status),
            )
        return i18n.t("clause_them_refugees", lang, refugees=count)
    people = people_phrase(refugees, status, lang)
    if unknown:
        return i18n.t(
            "clause_refugees_partly_unknown",
            lang,
            refugees=people,
            unknown=people_phrase(unknown, unknown_status, lang),
        )
    return i18n.t("clause_refugees", lang, refugees=people)


def _status(row: pd.Series, column: str) -> str:
    """The display status of one count in a row of a protected frame."""
    if row[f"{column}_small"]:
        return protect.SMALL
    return protect.HIDDEN if row[f"{column}_hidden"] else protect.SHOWN


def _top(frame: pd.DataFrame, ties: list[str]) -> pd.Series | None:
    """The row a takeaway may name as the largest: the first :func:`refugee_stats.protect.largest`
    ranks, when what is shown makes it the largest (always without public mode); else None."""
    ranked = protect.largest(frame, ties)
    return ranked.rows.iloc[0] if ranked.complete and not ranked.rows.empty else None


def _unranked(view: View, key: str, lang: str, **values: str) -> str:
    """The takeaway ``key`` that names no largest: the people detained over the dates in view."""
    span = view.data.x_range  # set whenever a record is in view
    return i18n.t(
        key,
        lang,
        detained=people_phrase(
            view.key_figures.people_detained, view.key_figure_status["people_detained"], lang
        ),
        span=i18n.span_label(*span, lang) if span else "",
        **values,
    )


def detentions(view: View, lang: str = "en") -> str:
    """The period with most people detained, named precisely when one host and one nationality make it up:

    ``June 2010: Kazakhstan detained 29 nationals of Uzbekistan; 17 of them were UNHCR refugees.``

    When what is shown does not make one period the largest (public mode), the people detained
    over the dates in view, and that the period with most is not named.
    """
    chart = view.charts["detentions"]
    data = chart["by_period"]
    if data.empty:  # what the chart says: nothing matches, or the period that draws the records
        context = dataclasses.replace(view.context, locale=lang)
        return charts.empty_message(chart["unplaced"], context, "empty_detentions")
    g = view.filters.granularity
    top = _top(chart["totals"], ["period_start"])  # the earliest among ties
    if top is None:
        granularity = i18n.t(g, lang).lower()
        return _unranked(view, "takeaway_detentions_unranked", lang, granularity=granularity)
    peak = pd.Timestamp(top["period_start"])
    people = int(top["people"])
    refugees = top["unhcr_refugees"]
    them = _refugees(
        None if pd.isna(refugees) else int(refugees),
        _status(top, "unhcr_refugees"),
        int(top["unhcr_unknown"]),
        _status(top, "unhcr_unknown"),
        lang,
        them=True,
    )
    detained_status = _status(top, "people")
    period = i18n.period_label(peak, g, lang, long=True)
    places = chart["places"]
    place = places[places["period_start"] == peak]
    if len(place) and int(place["hosts"].iloc[0]) == 1 and int(place["nationalities"].iloc[0]) == 1:
        return i18n.t(
            "takeaway_peak_single",
            lang,
            period=period,
            host=countries.name(str(place["host_country"].iloc[0]), lang),
            nationality=countries.name(str(place["nationality"].iloc[0]), lang),
            # Each language's message words it with one of the two: "29 nationals" or "29 people".
            detained=people_phrase(people, detained_status, lang),
            nationals=people_phrase(people, detained_status, lang, "n_nationals"),
            refugees=them,
        )
    return i18n.t(
        "takeaway_peak",
        lang,
        granularity=i18n.t(f"granularity_acc_{g}", lang),
        granularity_acc=i18n.t(f"granularity_acc_{g}", lang),
        detained=people_phrase(people, detained_status, lang),
        period=i18n.period_label(peak, g, lang, long=True, heading=False),  # inside the sentence
        refugees=them,
    )


def decisions(view: View, lang: str = "en") -> str:
    """How many lost refugee status, and their share of everyone decided on (persons only): the key
    figure, whether or not the chart's period can place every decision."""
    f, status = view.key_figures, view.key_figure_status
    if not f.people_decided:
        return i18n.t("empty_decisions", lang)
    total = people_phrase(f.people_decided, status["people_decided"], lang)
    if not f.revocations:
        return i18n.t("takeaway_no_revocations", lang, decisions=total)
    revoked = people_phrase(f.revocations, status["revocations"], lang)
    values = {"revoked": revoked, "decisions": total, "decisions_n": view.key_figure_text["people_decided"]}
    if status["revocations"] != protect.SHOWN or status["people_decided"] != protect.SHOWN:
        # A share beside a shown total would give the hidden count back.
        return i18n.t("takeaway_decisions_no_share", lang, **values)
    return i18n.t(
        "takeaway_decisions", lang, share=i18n.percent(f.revocations / f.people_decided * 100, lang), **values
    )


def nationalities(view: View, lang: str = "en") -> str:
    """The largest nationality among the people detained, and its share of the key figure (or,
    when what is shown does not make one the largest, the people detained, naming none)."""
    frame = view.charts["map"]["nationality"]
    if frame.empty:
        return i18n.t("empty_detentions", lang)
    top = _top(frame, ["nationality"])
    if top is None:
        return _unranked(view, "takeaway_nationalities_unranked", lang)
    f, total_status = view.key_figures, view.key_figure_status["people_detained"]
    values = {
        "nationality": countries.name(str(top["nationality"]), lang),
        "detained": people_phrase(f.people_detained, total_status, lang),
        "detained_n": view.key_figure_text["people_detained"],
    }
    if total_status != protect.SHOWN:  # its count is shown: a share of a withheld total would give it back
        return i18n.t("takeaway_nationalities_no_share", lang, **values)
    share = i18n.percent(int(top["people"]) / f.people_detained * 100, lang)
    return i18n.t("takeaway_nationalities", lang, share=share, **values)


def places(view: View, lang: str = "en") -> str:
    """The host country where most people were detained, of the key figure (or, when what is
    shown does not make one the largest, the people detained, naming none)."""
    frame = view.charts["map"]["host_country"]
    if frame.empty:
        return i18n.t("empty_detentions", lang)
    top = _top(frame, ["host_country"])
    if top is None:
        return _unranked(view, "takeaway_map_unranked", lang)
    return i18n.t(
        "takeaway_map",
        lang,
        host=countries.name(str(top["host_country"]), lang),
        detained=i18n.tn("n_people", int(top["people"]), lang),  # shown: what is shown makes it the largest
        total=view.key_figure_text["people_detained"],
    )


def pipeline(view: View, lang: str = "en") -> str:
    """Of the people detained, how many held UNHCR refugee status, how many of them had it revoked,
    and how many were then removed (as the status pipeline counts them: revocations and outcomes
    that name the detention)."""
    f = view.key_figures
    if not f.people_detained:
        return i18n.t("empty_detentions", lang)
    detained = people_phrase(f.people_detained, view.key_figure_status["people_detained"], lang)
    chart = view.charts["pipeline"]
    flows = chart["flows"].set_index(["source", "target"])
    nodes = chart["nodes"].set_index("node")
    text, people = flows["people_text"], flows["people"]
    if f.unhcr_refugees is None:
        sentence = i18n.t("takeaway_pipeline_unknown", lang, detained=detained)
    elif not people.at[("unhcr_refugees", "revoked")]:  # the chart draws no flow of 0: the sentence says so
        refugees = text.at[("detained", "unhcr_refugees")]
        sentence = i18n.t("takeaway_pipeline_none_revoked", lang, detained=detained, refugees=refugees)
    else:
        sentence = i18n.t(
            "takeaway_pipeline",
            lang,
            detained=detained,
            refugees=text.at[("detained", "unhcr_refugees")],
            revoked=text.at[("unhcr_refugees", "revoked")],
        )
    if not aggregate.known(chart["nodes"], "removed"):  # no outcome names these detentions
        return sentence
    return (
        f"{sentence} {i18n.t('takeaway_pipeline_removed', lang, removed=nodes.at['removed', 'people_text'])}"
    )
