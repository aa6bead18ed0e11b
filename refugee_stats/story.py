"""One-sentence takeaways for presentation scenes, computed from the data in view.

Each function reads a :class:`~refugee_stats.view.View` and returns a sentence in the
requested language, with numbers formatted and plural forms chosen by CLDR rules.
"""

from __future__ import annotations

import pandas as pd

from refugee_stats import aggregate, countries, i18n, protect
from refugee_stats.view import View


def key_figures(view: View, lang: str = "en") -> str:
    """``474 people detained in 134 incidents; 112 people held UNHCR refugee status and 35 people lost it.``"""
    f = view.figures
    if view.empty:
        return i18n.t("takeaway_nothing", lang)
    return i18n.t(
        "takeaway_key_figures",
        lang,
        detained=_people(f.people_detained, view, lang),
        incidents=i18n.t("fewer_than_five_incidents", lang)
        if _small(f.incidents, view)
        else i18n.tn("n_incidents", f.incidents, lang),
        incidents_n=_number(f.incidents, view, lang),
        refugees=_people(f.unhcr_refugees, view, lang),
        revoked=_people(f.revocations, view, lang),
    )


def _small(n: int, view: View) -> bool:
    return view.public and 1 <= n < protect.THRESHOLD


def _people(n: int, view: View, lang: str) -> str:
    """``29 people``; ``<5 people`` for a count from 1 to 4 in public mode."""
    if _small(n, view):
        return i18n.t("fewer_than_five", lang)
    return i18n.tn("n_people", n, lang)


def _number(n: int, view: View, lang: str) -> str:
    return protect.text(n, lang, view.public)


def detentions(view: View, lang: str = "en") -> str:
    """The period with most people detained, named precisely when one host and one nationality make it up:

    ``June 2010: Kazakhstan detained 29 nationals of Uzbekistan; 17 of them were UNHCR refugees.``
    """
    data = view.detentions
    if data.empty:
        return i18n.t("empty_detentions", lang)
    g = view.filters.granularity
    totals = view.detention_totals.set_index("period_start")
    peak = totals["people"].idxmax()  # earliest period among ties
    people, refugees = int(totals.loc[peak, "people"]), int(totals.loc[peak, "unhcr_refugees"])
    period = i18n.period_label(peak, g, lang, long=True)
    rows = aggregate.with_periods(aggregate.detentions(view.incidents), g)
    rows = rows[rows["period_start"] == peak]
    if rows["host_country"].nunique() == 1 and rows["nationality"].nunique() == 1:
        return i18n.t(
            "takeaway_peak_single",
            lang,
            period=period,
            host=countries.name(rows["host_country"].iloc[0], lang),
            nationality=countries.name(rows["nationality"].iloc[0], lang),
            detained=_people(people, view, lang)
            if view.public and people < protect.THRESHOLD
            else i18n.tn("n_nationals" if lang == "en" else "n_people", people, lang),
            refugees=_number(refugees, view, lang),
        )
    return i18n.t(
        "takeaway_peak",
        lang,
        granularity=i18n.t(f"granularity_acc_{g}", lang),
        granularity_acc=i18n.t(f"granularity_acc_{g}", lang),
        detained=_people(people, view, lang),
        period=i18n.period_label(peak, g, lang, long=True, heading=False),  # inside the sentence
        refugees=_number(refugees, view, lang),
    )


def decisions(view: View, lang: str = "en") -> str:
    """How many lost refugee status, and their share of everyone decided on (persons only)."""
    data = view.decisions
    if data.empty:
        return i18n.t("empty_decisions", lang)
    total = int(data["people"].sum())
    revoked = int(data.loc[data["decision"] == "revoked", "people"].sum())
    if not revoked:
        return i18n.t("takeaway_no_revocations", lang, decisions=_people(total, view, lang))
    return i18n.t(
        "takeaway_decisions",
        lang,
        revoked=_people(revoked, view, lang),
        share=i18n.percent(revoked / total * 100, lang),
        decisions=_people(total, view, lang),
        decisions_n=_number(total, view, lang),
    )


def _largest(frame: pd.DataFrame, column: str) -> tuple[str, int, int] | None:
    """The code with most people in a per-country frame, its people and everyone's total."""
    if frame.empty:
        return None
    top = frame.sort_values(["people", column], ascending=[False, True], kind="stable").iloc[0]
    return str(top[column]), int(top["people"]), int(frame["people"].sum())


def nationalities(view: View, lang: str = "en") -> str:
    """The largest nationality among the people detained, and its share."""
    largest = _largest(view.nationalities, "nationality")
    if largest is None:
        return i18n.t("empty_detentions", lang)
    code, people, total = largest
    return i18n.t(
        "takeaway_nationalities",
        lang,
        nationality=countries.name(code, lang),
        share=i18n.percent(people / total * 100, lang),
        detained=_people(total, view, lang),
        detained_n=_number(total, view, lang),
    )


def places(view: View, lang: str = "en") -> str:
    """The host country where most people were detained."""
    largest = _largest(view.hosts, "host_country")
    if largest is None:
        return i18n.t("empty_detentions", lang)
    code, people, total = largest
    return i18n.t(
        "takeaway_map",
        lang,
        host=countries.name(code, lang),
        detained=_people(people, view, lang),
        total=_number(total, view, lang),
    )


#: Takeaway of each scene, in :data:`refugee_stats.urlstate.SCENES` order.
TAKEAWAYS = {
    "key_figures": key_figures,
    "detentions": detentions,
    "decisions": decisions,
    "nationalities": nationalities,
    "map": places,
}
