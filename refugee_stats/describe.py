"""Each chart in words: a short description (its accessible name, a caption) and a long one.

Each function reads a :class:`~refugee_stats.view.View` and says, in the view's language, what
its chart plots. The short one: what, over which range, its largest value. The long one (for a
``figcaption`` or ``aria-describedby``, and under the chart in the PDF handout): what is plotted
and how, the range and period, the largest values, the trend where there are enough periods to
speak of one, and what is unknown (status not recorded, records a period cannot place, countries
not on the map).

Counts come from the view's display text, so in public mode a description never shows a count
from 1 to 4, and no number is computed here. What a description says of the order of counts
goes no further than what is shown: "the most" is said of shown counts only, and only when
what is shown makes them the largest (:func:`largest`); a trend says "more" or "fewer" only
when the shown first and last counts say so (:func:`direction`). A claim over a withheld count
would tell readers more of it than the page does, and beside a total it could pin it.

A chart that draws nothing gets no description (""): the chart itself says why (no record, or
records its period cannot place).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd
from babel.lists import format_list

from refugee_stats import aggregate, charts, countries, i18n, maps, protect, story
from refugee_stats.dates import GRANULARITY_FREQ
from refugee_stats.fields import AUTHORITIES, DECISIONS
from refugee_stats.view import View

#: How many of the largest values a long description names.
TOP = 3
#: Periods with records a chart needs before its long description speaks of a trend.
TREND_PERIODS = 3
#: A protected count in a description ("<5", or "x" standing alone).
_PROTECTED = re.compile(rf"{re.escape(protect.LESS_THAN)}|(?<!\w){protect.WITHHELD}(?!\w)")


@dataclass(frozen=True)
class Description:
    """One chart in words: ``short`` names it (an ``aria-label``, a caption), ``long`` describes
    it (a ``figcaption``); both "" for a chart that draws nothing."""

    short: str
    long: str


# -- what is shown of the counts ---------------------------------------------------------------


#: How each row's count shows, and the rows with most people: the rule lives in protect.
statuses = protect.statuses
Ranked = protect.Ranked


def largest(frame: pd.DataFrame, ties: list[str], n: int = TOP, column: str = "people") -> Ranked:
    """The ``n`` (default :data:`TOP`) rows with most ``column`` among those shown, most first
    (:func:`refugee_stats.protect.largest`: ``complete`` is False when a withheld count could be
    larger, or a ``<5`` as large: then a description says "among the counts shown")."""
    return protect.largest(frame, ties, n, column)


def direction(first: tuple[int, str], last: tuple[int, str]) -> str | None:
    """``"up"``, ``"down"`` or ``"same"`` from the first to the last of two counts (value, status),
    as far as what is shown says; None when it does not (two ``<5``, or an ``x`` beside a count it
    could be above or below)."""
    low_first, high_first = protect.bounds(*first)
    low_last, high_last = protect.bounds(*last)
    if high_first < low_last:
        return "up"
    if low_first > high_last:
        return "down"
    if first[1] == last[1] == protect.SHOWN and first[0] == last[0]:
        return "same"
    return None


# -- words -------------------------------------------------------------------------------------


def _axis_span(view: View) -> str:
    """The periods a chart's time axis covers (the filters' dates, or the records' where open):
    ``Jan 2010 – Dec 2011``, or one period. An en dash reads as a range in every language offered."""
    if view.data.x_range is None:  # no record is dated: no chart over time draws anything
        return ""
    g = view.filters.granularity
    start, end = (pd.Period(stamp, GRANULARITY_FREQ[g]).start_time for stamp in view.data.x_range)
    first, last = (i18n.period_label(p, g, view.lang) for p in (start, end))
    return first if first == last else f"{first} – {last}"


def _view_span(view: View) -> str:
    """The dates in view, ``2008-2012`` or ``Jun 2010``, for a chart without periods."""
    if view.data.x_range is None:
        return ""
    start, end = view.data.x_range
    return i18n.span_label(start, end, view.lang)


def _when(view: View, stamp: pd.Timestamp) -> str:
    """A period inside a sentence: ``June 2010``, ``Q2 2010``, ``2010``."""
    return i18n.period_label(stamp, view.filters.granularity, view.lang, long=True, heading=False)


def _per(view: View) -> str:
    return i18n.t(f"describe_per_{view.filters.granularity}", view.lang)


def _items(texts: list[str], lang: str) -> str:
    """``A, B and C`` in ``lang`` (CLDR's list pattern)."""
    return format_list(texts, locale=i18n.language(lang)) if texts else ""


def _item(name: str, count: str) -> str:
    return f"{name} ({count})"


def _most(key: str, ranked: Ranked, texts: list[str], lang: str) -> str:
    """``key`` naming the largest values, or its ``_shown`` form ("among the counts shown"); ""
    when no count is shown."""
    if ranked.rows.empty:
        return ""
    return i18n.t(key if ranked.complete else f"{key}_shown", lang, items=_items(texts, lang))


def _status(row: pd.Series, column: str = "people") -> str:
    """How one row's count shows (see :func:`statuses`)."""
    if row[f"{column}_small"]:
        return protect.SMALL
    return protect.HIDDEN if row[f"{column}_hidden"] else protect.SHOWN


def _people(row: pd.Series, lang: str) -> str:
    """``36 people``, ``<5 people`` or ``x people (withheld)``: a row's count as shown."""
    return story.people_phrase(int(row["people"]), _status(row), lang)


def _unplaced(view: View, unplaced: pd.DataFrame) -> str:
    """``Not drawn per month: 36 people dated only to the quarter and 6 people dated only to the year.``"""
    if unplaced.empty:
        return ""
    lang = view.lang
    parts = [
        i18n.t(
            "describe_unplaced_part",
            lang,
            people=_people(row, lang),
            precision=i18n.t(f"precision_{row['date_precision']}", lang),
        )
        for _, row in unplaced.iterrows()
    ]
    return i18n.t("describe_unplaced", lang, per=_per(view), parts=_items(parts, lang))


def _long(view: View, sentences: list[str]) -> str:
    """The sentences as one text; in public mode with what ``<5`` and ``x`` stand for when it shows one."""
    text = " ".join(s for s in sentences if s)
    if text and view.public and _PROTECTED.search(text):
        text = f"{text} {i18n.t('describe_protected', view.lang)}"
    return text


# -- detentions --------------------------------------------------------------------------------


def _nationalities(view: View, by_period: pd.DataFrame) -> list[str]:
    """The nationalities a chart stacks, as its legend names them: most people first, Other last."""
    order = charts.nationality_order(by_period)
    return [charts.country_label(code, view.lang) for code in order]


def detentions(view: View) -> str:
    """``Bar chart of the people detained per month, Jan 2008 – Dec 2012, stacked by nationality
    (8 shown); most in June 2010 (29).`` ("most among the counts shown" when one is withheld)."""
    lang, chart = view.lang, view.charts["detentions"]
    totals = chart["totals"]
    if totals.empty:
        return ""
    values = {
        "per": _per(view),
        "span": _axis_span(view),
        "nationalities": i18n.number(chart["by_period"]["nationality"].nunique(), lang),
    }
    top = largest(totals, ["period_start"], 1)
    if top.rows.empty:
        return i18n.t("describe_detentions_plain", lang, **values)
    peak = top.rows.iloc[0]
    return i18n.t(
        "describe_detentions" if top.complete else "describe_detentions_shown",
        lang,
        peak=_when(view, peak["period_start"]),
        people=peak["people_text"],
        **values,
    )


def detentions_long(view: View) -> str:
    """What the detentions chart stacks and over which periods, its largest periods, how the first
    and last periods compare, UNHCR status where it is not recorded, and the records it cannot place."""
    lang, chart = view.lang, view.charts["detentions"]
    totals = chart["totals"].sort_values("period_start", kind="stable")
    if totals.empty:
        return ""
    recorded = view.key_figures.unhcr_refugees is not None
    top = largest(totals, ["period_start"])
    sentences = [
        i18n.t(
            "describe_long_detentions",
            lang,
            per=_per(view),
            span=_axis_span(view),
            nationalities=_items(_nationalities(view, chart["by_period"]), lang),
        ),
        i18n.t("describe_long_refugee_line", lang) if recorded else i18n.t("no_status_recorded", lang),
        _most(
            "describe_most_periods",
            top,
            [_item(_when(view, r["period_start"]), r["people_text"]) for _, r in top.rows.iterrows()],
            lang,
        ),
        *_trend(view, totals),
    ]
    unknown = view.key_figures.unhcr_unknown
    if recorded and unknown:
        status = view.key_figure_status["unhcr_unknown"]
        sentences.append(
            i18n.t("describe_status_unknown", lang, unknown=story.people_phrase(unknown, status, lang))
        )
    sentences.append(_unplaced(view, chart["unplaced"]))
    return _long(view, sentences)


def _trend(view: View, totals: pd.DataFrame) -> list[str]:
    """The first and last periods with records, and whether more or fewer people were detained in
    the last (when what is shown says so); nothing with fewer than :data:`TREND_PERIODS` periods."""
    if len(totals) < TREND_PERIODS:
        return []
    first, last = totals.iloc[0], totals.iloc[-1]
    ends = i18n.t(
        "describe_ends",
        view.lang,
        first_period=_when(view, first["period_start"]),
        first=first["people_text"],
        last_period=_when(view, last["period_start"]),
        last=last["people_text"],
    )
    way = direction((int(first["people"]), _status(first)), (int(last["people"]), _status(last)))
    return [ends, i18n.t(f"describe_trend_{way}", view.lang) if way else ""]


# -- decisions ---------------------------------------------------------------------------------


def decisions(view: View) -> str:
    """``Bar chart of refugee-status decisions per month, by authority and decision, Jan 2008 – Dec
    2012; status revocations: 35.``"""
    lang, frame = view.lang, view.charts["decisions"]["by_period"]
    if frame.empty:
        return ""
    return i18n.t(
        "describe_decisions",
        lang,
        per=_per(view),
        span=_axis_span(view),
        revoked=view.key_figure_text["revocations"],
    )


def decisions_long(view: View) -> str:
    """The decisions chart's panels and colours, its largest bars, the people decided on and the
    revocations in all, and the decisions it does not draw (undated for its period, or counted in
    cases). No trend: the chart draws no one series over time."""
    lang, chart = view.lang, view.charts["decisions"]
    frame = chart["by_period"]
    if frame.empty:
        return ""
    present = set(frame["authority"])
    made = set(frame["decision"])
    top = largest(frame, ["period_start", "authority", "decision"])
    items = [
        _item(
            f"{_when(view, r['period_start'])}, {i18n.choice('authority', str(r['authority']), lang)}: "
            + i18n.choice("decision", str(r["decision"]), lang).lower(),
            r["people_text"],
        )
        for _, r in top.rows.iterrows()
    ]
    cases = chart.counts.get("cases", 0)
    sentences = [
        i18n.t(
            "describe_long_decisions",
            lang,
            per=_per(view),
            span=_axis_span(view),
            authorities=_items(
                [i18n.choice("authority", a, lang) for a in AUTHORITIES if a in present], lang
            ),
            decisions=_items(
                [i18n.choice("decision", d, lang).lower() for d in DECISIONS if d in made], lang
            ),
        ),
        i18n.t(
            "describe_most_decisions" if top.complete else "describe_most_decisions_shown",
            lang,
            items="; ".join(items),
        )
        if items
        else "",
        i18n.t(
            "describe_decided",
            lang,
            decided=view.key_figure_text["people_decided"],
            revoked=view.key_figure_text["revocations"],
        ),
        _unplaced(view, chart["unplaced"]),
        charts.cases_note(cases, lang, view.public) if cases else "",
    ]
    return _long(view, sentences)


# -- nationalities -----------------------------------------------------------------------------


def nationalities(view: View) -> str:
    """``Bar chart of each nationality's share of the people detained per month, Jan 2008 – Dec 2012;
    most detained overall: Uzbekistan (29).``"""
    lang, shares = view.lang, view.charts["nationalities"]["shares"]
    countries_ = view.charts["map"]["nationality"]
    if shares.empty or countries_.empty:
        return ""
    values = {"per": _per(view), "span": _axis_span(view)}
    top = largest(countries_, ["nationality"], 1)
    if top.rows.empty:
        return i18n.t("describe_nationalities_plain", lang, **values)
    row = top.rows.iloc[0]
    return i18n.t(
        "describe_nationalities" if top.complete else "describe_nationalities_shown",
        lang,
        nationality=charts.country_label(str(row["nationality"]), lang),
        people=row["people_text"],
        **values,
    )


def nationalities_long(view: View) -> str:
    """The groups the shares chart stacks and over which periods, the largest nationalities overall,
    the largest group of the first and the last period, and what it does not show."""
    lang, chart = view.lang, view.charts["nationalities"]
    shares = chart["shares"]
    on_map = view.charts["map"]["nationality"]
    if shares.empty or on_map.empty:
        return ""
    top = largest(on_map, ["nationality"])
    sentences = [
        i18n.t(
            "describe_long_nationalities",
            lang,
            per=_per(view),
            span=_axis_span(view),
            nationalities=_items(_nationalities(view, shares), lang),
        ),
        _most(
            "describe_most_nationalities",
            top,
            [
                _item(countries.name(str(r["nationality"]), lang), r["people_text"])
                for _, r in top.rows.iterrows()
            ],
            lang,
        ),
        _largest_groups(view, shares),
        i18n.t("describe_shares_hidden", lang) if bool(shares["share_hidden"].any()) else "",
        _unplaced(view, chart["unplaced"]),
    ]
    return _long(view, sentences)


def _largest_groups(view: View, shares: pd.DataFrame) -> str:
    """The largest group (with its share) of the first and of the last period, when there are
    :data:`TREND_PERIODS` periods and what is shown makes each of them the largest."""
    periods = sorted(pd.Timestamp(p) for p in pd.unique(shares["period_start"]))
    if len(periods) < TREND_PERIODS:
        return ""
    ends = []
    for period in (periods[0], periods[-1]):
        top = largest(shares[shares["period_start"] == period], ["nationality"], 1)
        if top.rows.empty or not top.complete:
            return ""
        row = top.rows.iloc[0]
        name = charts.country_label(str(row["nationality"]), view.lang)
        # A share is blank where the period's total is withheld: it would give the total back.
        ends.append((period, _item(name, row["share_text"]) if row["share_text"] else name))
    (first_period, first), (last_period, last) = ends
    return i18n.t(
        "describe_largest_groups",
        view.lang,
        first_period=_when(view, first_period),
        first=first,
        last_period=_when(view, last_period),
        last=last,
    )


# -- status pipeline ---------------------------------------------------------------------------


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


def pipeline_long(view: View) -> str:
    """Every flow the diagram draws, stage by stage from left to right (``Detained → UNHCR
    refugees: 17, Other asylum-seekers: 12``), over the dates in view; that no record states a status, or names what happened next, where none does."""
    lang = view.lang
    if not view.key_figures.people_detained:
        return ""
    chart = view.charts["pipeline"]
    flows = chart["flows"]
    drawn = flows[flows["people"].fillna(0).to_numpy() > 0]  # as the diagram: no flow of 0 or unknown
    steps = []  # one per stage the flows leave, in the diagram's order: "A → B: 17, C: 12"
    for source, out in drawn.groupby("source", sort=False):
        targets = ", ".join(
            f"{i18n.t(f'pipeline_{t}', lang)}: {n}"
            for t, n in zip(out["target"], out["people_text"], strict=True)
        )
        steps.append(f"{i18n.t(f'pipeline_{source}', lang)} → {targets}")
    sentences = [
        i18n.t("describe_long_pipeline", lang, span=_view_span(view), flows="; ".join(steps)),
        i18n.t("describe_pipeline_unknown", lang, detained=view.key_figure_text["people_detained"])
        if view.key_figures.unhcr_refugees is None
        else "",
        "" if aggregate.known(chart["nodes"], "removed") else i18n.t("describe_pipeline_no_outcomes", lang),
    ]
    return _long(view, sentences)


# -- maps --------------------------------------------------------------------------------------


def map_short(view: View, by: str) -> str:
    """``Map of the people detained by host country, 2008-2012; most in Kazakhstan (189).``"""
    frame = view.charts["map"][by]
    if frame.empty or not int(frame["people"].sum()):
        return ""
    lang = view.lang
    top = largest(frame, [by], 1)
    key = f"describe_map_{by}"
    if top.rows.empty:
        return i18n.t(f"{key}_plain", lang, span=_view_span(view))
    row = top.rows.iloc[0]
    return i18n.t(
        key if top.complete else f"{key}_shown",
        lang,
        span=_view_span(view),
        country=countries.name(str(row[by]), lang),
        people=row["people_text"],
    )


def map_long(view: View, by: str) -> str:
    """What a map shades and over which dates, its largest countries, and those it cannot draw."""
    frame = view.charts["map"][by]
    if frame.empty or not int(frame["people"].sum()):
        return ""
    lang = view.lang
    on_map = frame[by].isin(maps.mappable_codes()).to_numpy(dtype=bool)
    top = largest(frame, [by])
    off = maps.not_on_map_note(frame[~on_map], by=by, locale=lang)
    sentences = [
        i18n.t(f"describe_long_map_{by}", lang, span=_view_span(view)),
        _most(
            f"describe_most_{by}",
            top,
            [_item(countries.name(str(r[by]), lang), r["people_text"]) for _, r in top.rows.iterrows()],
            lang,
        ),
        f"{off}." if off else "",
    ]
    return _long(view, sentences)


def map_descriptions(view: View) -> dict[str, Description]:
    """Both maps in words, keyed as :func:`refugee_stats.view.map_figures`."""
    return {by: Description(map_short(view, by), map_long(view, by)) for by in view.charts["map"].frames}
