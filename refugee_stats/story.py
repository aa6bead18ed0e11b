"""One-sentence takeaways for presentation scenes, computed from the data in view.

Each function reads a :class:`~refugee_stats.view.View` and returns a sentence in the
requested language, with numbers formatted and plural forms chosen by CLDR rules.
"""

from __future__ import annotations

import pandas as pd

from refugee_stats import aggregate, countries, i18n
from refugee_stats.view import View


def key_figures(view: View, lang: str = "en") -> str:
    """``474 people detained in 134 incidents; 112 people held UNHCR refugee status and 35 people lost it.``"""
    f = view.figures
    if view.empty:
        return i18n.t("takeaway_nothing", lang)
    return i18n.t(
        "takeaway_key_figures",
        lang,
        detained=i18n.tn("n_people", f.people_detained, lang),
        incidents=i18n.tn("n_incidents", f.incidents, lang),
        incidents_n=i18n.number(f.incidents, lang),
        refugees=i18n.tn("n_people", f.unhcr_refugees, lang),
        revoked=i18n.tn("n_people", f.revocations, lang),
    )


def detentions(view: View, lang: str = "en") -> str:
    """The period with most people detained, named precisely when one host and one nationality make it up:

    ``June 2010: Kazakhstan detained 29 nationals of Uzbekistan; 17 of them were UNHCR refugees.``
    """
    data = view.detentions
    if data.empty:
        return i18n.t("empty_detentions", lang)
    g = view.filters.granularity
    totals = data.groupby("period_start")[["people", "unhcr_refugees"]].sum()
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
            detained=i18n.tn("n_nationals" if lang == "en" else "n_people", people, lang),
            refugees=i18n.number(refugees, lang),
        )
    return i18n.t(
        "takeaway_peak",
        lang,
        granularity=i18n.t(f"granularity_acc_{g}", lang),
        granularity_acc=i18n.t(f"granularity_acc_{g}", lang),
        detained=i18n.tn("n_people", people, lang),
        period=period,
        refugees=i18n.number(refugees, lang),
    )


def decisions(view: View, lang: str = "en") -> str:
    """How many lost refugee status, and their share of everyone decided on (persons only)."""
    data = view.decisions
    if data.empty:
        return i18n.t("empty_decisions", lang)
    total = int(data["people"].sum())
    revoked = int(data.loc[data["decision"] == "revoked", "people"].sum())
    if not revoked:
        return i18n.t("takeaway_no_revocations", lang, decisions=i18n.tn("n_people", total, lang))
    return i18n.t(
        "takeaway_decisions",
        lang,
        revoked=i18n.tn("n_people", revoked, lang),
        share=i18n.percent(revoked / total * 100, lang),
        decisions=i18n.tn("n_people", total, lang),
        decisions_n=i18n.number(total, lang),
    )


def nationalities(view: View, lang: str = "en") -> str:
    """The largest nationality among the people detained, and its share."""
    held = aggregate.detentions(view.incidents)
    if held.empty:
        return i18n.t("empty_detentions", lang)
    by_nationality = held.groupby("nationality")["people"].sum()
    top = sorted(by_nationality.items(), key=lambda item: (-item[1], item[0]))[0]
    total = int(by_nationality.sum())
    return i18n.t(
        "takeaway_nationalities",
        lang,
        nationality=countries.name(top[0], lang),
        share=i18n.percent(top[1] / total * 100, lang),
        detained=i18n.tn("n_people", total, lang),
        detained_n=i18n.number(total, lang),
    )


def places(view: View, lang: str = "en") -> str:
    """The host country where most people were detained."""
    held = aggregate.detentions(view.incidents)
    if held.empty:
        return i18n.t("empty_detentions", lang)
    by_host: pd.Series = held.groupby("host_country")["people"].sum()
    top = sorted(by_host.items(), key=lambda item: (-item[1], item[0]))[0]
    return i18n.t(
        "takeaway_map",
        lang,
        host=countries.name(top[0], lang),
        detained=i18n.tn("n_people", int(top[1]), lang),
        total=i18n.number(int(by_host.sum()), lang),
    )


#: Takeaway of each scene, in :data:`refugee_stats.urlstate.SCENES` order.
TAKEAWAYS = {
    "key_figures": key_figures,
    "detentions": detentions,
    "decisions": decisions,
    "nationalities": nationalities,
    "map": places,
}
