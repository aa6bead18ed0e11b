"""A short description of each chart, for a caption, a screen reader or a handout.

Each function reads a :class:`~refugee_stats.view.View` and says, in the view's language,
what its chart plots, over which range and its largest value. Counts come from the view's
display text, so in public mode a description never shows a count from 1 to 4. A chart that
draws nothing gets no description (""): the chart itself says why (no record, or records
its period cannot place).
"""

from __future__ import annotations

import pandas as pd

from refugee_stats import aggregate, countries, i18n
from refugee_stats.aggregate import OTHER
from refugee_stats.view import View


def _span(view: View, periods: pd.Series) -> str:
    """The periods a chart draws, ``Jan 2008 – Nov 2012`` (or one period): an en dash reads as a
    range in every language offered."""
    g, lang = view.filters.granularity, view.lang
    first, last = (i18n.period_label(p, g, lang) for p in (periods.min(), periods.max()))
    return first if first == last else f"{first} – {last}"


def _peak(frame: pd.DataFrame) -> pd.Series:
    """The row with most people (the earliest among ties)."""
    return frame.loc[
        frame.sort_values(["people", "period_start"], ascending=[False, True], kind="stable").index[0]
    ]


def detentions(view: View) -> str:
    """``Bars: people detained per month, Jan 2008-Dec 2012, stacked by nationality; most in June 2010 (29).``"""
    lang, chart = view.lang, view.charts["detentions"]
    totals = chart["totals"]
    if totals.empty:
        return ""
    peak = _peak(totals)
    return i18n.t(
        "describe_detentions",
        lang,
        per=i18n.t(f"describe_per_{view.filters.granularity}", lang),
        span=_span(view, totals["period_start"]),
        nationalities=i18n.number(chart["by_period"]["nationality"].nunique(), lang),
        peak=i18n.period_label(
            peak["period_start"], view.filters.granularity, lang, long=True, heading=False
        ),
        people=peak["people_text"],
    )


def decisions(view: View) -> str:
    """``Bars: status decisions per month by authority, Jan 2008-Dec 2012; 35 people lost refugee status.``"""
    lang, frame = view.lang, view.charts["decisions"]["by_period"]
    if frame.empty:
        return ""
    return i18n.t(
        "describe_decisions",
        lang,
        per=i18n.t(f"describe_per_{view.filters.granularity}", lang),
        span=_span(view, frame["period_start"]),
        revoked=view.key_figure_text["revocations"],
    )


def nationalities(view: View) -> str:
    """``Bars of 100%: each nationality's share of the people detained per month, Jan 2008-Dec 2012;
    largest overall: Uzbekistan (29).``"""
    lang, shares = view.lang, view.charts["nationalities"]["shares"]
    countries_ = view.charts["map"]["nationality"]
    if shares.empty or countries_.empty:
        return ""
    top = countries_.sort_values(["people", "nationality"], ascending=[False, True], kind="stable").iloc[0]
    code = str(top["nationality"])
    return i18n.t(
        "describe_nationalities",
        lang,
        per=i18n.t(f"describe_per_{view.filters.granularity}", lang),
        span=_span(view, shares["period_start"]),
        nationality=i18n.t("other", lang) if code == OTHER else countries.name(code, lang),
        people=top["people_text"],
    )


def pipeline(view: View) -> str:
    """``Flow diagram: 29 people detained; 17 of them UNHCR refugees, ...; 17 refugees had their
    status revoked.`` and, when outcomes name the detentions, what happened next."""
    lang = view.lang
    if not view.key_figures.people_detained:
        return ""
    chart = view.charts["pipeline"]
    nodes = chart["nodes"].set_index("node")["people_text"]
    if view.key_figures.unhcr_refugees is None:  # unknown stays unknown: never "0 of them refugees"
        text = i18n.t("describe_pipeline_unknown", lang, detained=view.key_figure_text["people_detained"])
    else:
        flows = chart["flows"].set_index(["source", "target"])["people_text"]
        text = i18n.t(
            "describe_pipeline",
            lang,
            detained=view.key_figure_text["people_detained"],
            refugees=flows[("detained", "unhcr_refugees")],
            revoked=flows[("unhcr_refugees", "revoked")],
            unknown=flows[("detained", "status_unknown")],
        )
    if not aggregate.known(chart["nodes"], "removed"):
        return text
    outcomes = i18n.t(
        "describe_pipeline_outcomes",
        lang,
        removed=nodes["removed"],
        released=nodes["release"],
        none=nodes["no_outcome"],
    )
    return f"{text} {outcomes}"
