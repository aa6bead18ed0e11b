"""CSV downloads: the data behind each chart and the records in view, ready to cite.

Each file starts with a block of ``#`` lines (title, filters, sources, export time,
suggested citation, an ILLUSTRATIVE warning when made-up records are in view), then
the table, optionally with an HXL hashtag row. Every text cell that a spreadsheet
would run as a formula (starting ``=``, ``+``, ``-``, ``@``, tab or carriage return)
is escaped with a leading apostrophe. Counts come from the View, so public mode's
"<5" applies here as everywhere.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime

import pandas as pd

from refugee_stats import countries, i18n, protect
from refugee_stats.view import RECORD_COUNTS, View, records

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """A text cell a spreadsheet would run as a formula, escaped with a leading ``'``; other values as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Every text cell of a frame passed through :func:`neutralise` (numbers are left alone)."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise)
    return out


def _count(frame: pd.DataFrame, column: str, public: bool) -> pd.Series:
    """A count column as published: plain digits (machine-readable), blank when unknown, and in
    public mode ``<5`` for small counts and ``x`` for counts withheld to protect them."""
    if not public:
        return frame[column].astype("Int64")
    digits = frame[column].astype("Int64").astype("string").fillna("")
    hidden = frame.get(f"{column}_hidden", frame[f"{column}_small"])
    return digits.mask(hidden, protect.WITHHELD).mask(frame[f"{column}_small"], protect.LESS_THAN)


def _period(frame: pd.DataFrame, granularity: str, lang: str) -> dict[str, pd.Series]:
    return {
        "period_start": frame["period_start"].dt.strftime("%Y-%m-%d"),
        "period": pd.Series(
            [i18n.period_label(s, granularity, lang) for s in frame["period_start"]],
            index=frame.index,
        ),
    }


def _nationality(frame: pd.DataFrame, lang: str) -> dict[str, pd.Series]:
    codes = frame["nationality"]
    return {
        "nationality_code": codes.where(codes != "_other", ""),
        "nationality": codes.map(
            lambda c: i18n.t("other", lang) if c == "_other" else countries.name(c, lang)
        ),
    }


def detentions_data(view: View, lang: str = "en") -> pd.DataFrame:
    """One row per period and nationality: people detained, of whom UNHCR refugees and of unknown status."""
    d, public = view.charts["detentions"]["by_period"], view.public
    return pd.DataFrame(
        {
            **_period(d, view.filters.granularity, lang),
            **_nationality(d, lang),
            "people": _count(d, "people", public),
            "unhcr_refugees": _count(d, "unhcr_refugees", public),
            "unhcr_unknown": _count(d, "unhcr_unknown", public),
        }
    )


def decisions_data(view: View, lang: str = "en") -> pd.DataFrame:
    """One row per period, authority and decision: people concerned."""
    c = view.charts["decisions"]["by_period"]
    return pd.DataFrame(
        {
            **_period(c, view.filters.granularity, lang),
            "authority_code": c["authority"],
            "authority": c["authority"].map(lambda a: i18n.choice("authority", str(a), lang)),
            "decision_code": c["decision"],
            "decision": c["decision"].map(lambda v: i18n.choice("decision", str(v), lang)),
            "people": _count(c, "people", view.public),
        }
    )


def nationalities_data(view: View, lang: str = "en") -> pd.DataFrame:
    """One row per period and nationality: people detained and their share of the period's total."""
    s = view.charts["nationalities"]["shares"]
    return pd.DataFrame(
        {
            **_period(s, view.filters.granularity, lang),
            **_nationality(s, lang),
            "people": _count(s, "people", view.public),
            # From the true counts; blank where the count is withheld (the share would give it back).
            "share": s["share"].round(1).mask(s["share_hidden"] & view.public),
        }
    )


def records_data(view: View, lang: str = "en") -> pd.DataFrame:
    """One row per record in view; in public mode without its counts."""
    table = records(view, lang)
    table = table.assign(
        people=_count(table, "people", False), unhcr_refugees=_count(table, "unhcr_refugees", False)
    )
    dropped = [col for col in table.columns if col.endswith(("_text", "_small", "_hidden"))]
    if view.public:  # one record's count beside the totals could give a count under 5 back by subtraction
        dropped += list(RECORD_COUNTS)
    return table.drop(columns=dropped)


def header_block(
    view: View, *, title: str, lang: str = "en", exported_at: datetime | None = None
) -> list[str]:
    """The ``#`` lines at the top of a download (without the ``#``)."""
    exported_at = exported_at or datetime.now(UTC)
    when = exported_at.strftime("%Y-%m-%d %H:%M UTC")
    filters = view.filters.describe(lang)
    sources = "; ".join(view.context.sources) or "-"
    lines = [
        title,
        i18n.t("download_filters", lang, filters=filters),
        i18n.t("download_sources", lang, sources=sources),
        i18n.t("download_exported", lang, when=when),
        i18n.t(
            "download_citation",
            lang,
            title=title,
            filters=filters,
            date=exported_at.strftime("%Y-%m-%d"),
            sources=sources,
        ),
    ]
    if view.public:
        lines.append(i18n.t("protection_note", lang))
    if view.illustrative:
        lines.append(i18n.t("download_illustrative", lang))
    return [str(neutralise(line)) for line in lines]


#: HXL hashtags of the download's own columns that are not input columns.
_DOWNLOAD_TAGS = {
    "period_start": "#date+start",
    "period": "#date+name",
    "nationality_code": "#country+code+nationality",
    "nationality": "#country+name+nationality",
    "host": "#country+name",
    "authority_code": "#org+authority+code",
    "decision_code": "#status+decision+code",
    "what": "#event+type+name",
    "share": "#affected+pct",
    "unhcr_unknown": "#affected+ind+unknown",
    "reference": "#meta+ref",
}


def hxl_tag(column: str) -> str:
    """The HXL hashtag written under a download column (blank when none fits)."""
    from refugee_stats.importers.hxl import OWN_TAGS

    return _DOWNLOAD_TAGS.get(column) or OWN_TAGS.get(column, "")


def column_label(column: str, lang: str = "en") -> str:
    """The name a download's column carries in ``lang`` (the catalog's ``download_column_<column>``)."""
    return i18n.t(f"download_column_{column}", lang)


def to_csv(
    frame: pd.DataFrame,
    *,
    view: View,
    title: str,
    lang: str = "en",
    hxl: bool = False,
    exported_at: datetime | None = None,
) -> bytes:
    """A UTF-8 (with BOM, for spreadsheets) CSV: the header block as ``#`` lines, then the table.

    The column names are in ``lang`` (:func:`column_label`); with ``hxl``, a row of HXL
    hashtags follows them, the same in every language. Read it back with
    ``pandas.read_csv(path, comment=None, skiprows=len(header_block(...)))``.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for line in header_block(view, title=title, lang=lang, exported_at=exported_at):
        writer.writerow([f"# {line}"])
    table = neutralise_frame(frame)
    writer.writerow([column_label(column, lang) for column in table.columns])
    if hxl:
        writer.writerow([hxl_tag(column) for column in table.columns])
    for row in table.itertuples(index=False):
        writer.writerow(["" if pd.isna(v) else v for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def filename(kind: str, view: View) -> str:
    """``refugee-stats_detentions_KAZ-UZB_2010-06_2011-12.csv``: codes only, safe characters."""
    f = view.filters
    parts = ["refugee-stats", kind, "-".join(f.host_countries) or "all", "-".join(f.nationalities) or "all"]
    parts += [f.date_from or "start", f.date_to or "end"]
    return re.sub(r"[^A-Za-z0-9_.-]", "", "_".join(parts)) + ".csv"


def pipeline_data(view: View, lang: str = "en") -> pd.DataFrame:
    """One row per flow of the status pipeline: from which stage to which, and the people."""
    p = view.charts["pipeline"]["flows"]

    def stage(codes: pd.Series) -> pd.Series:
        return codes.map(lambda c: i18n.t(f"pipeline_{c}", lang))

    return pd.DataFrame(
        {
            "from_code": p["source"],
            "from": stage(p["source"]),
            "to_code": p["target"],
            "to": stage(p["target"]),
            "people": _count(p, "people", view.public),
        }
    )
