"""Streamlit rendering: each ``render_*`` function draws one part of the page.

This is the only package (with ``dashboard.py``) allowed to import streamlit; all
numbers come from :mod:`refugee_stats.view`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from refugee_stats import countries, dates
from refugee_stats.fields import GRANULARITIES, INCIDENT_TYPES
from refugee_stats.filters import Filters, data_months
from refugee_stats.load import Dataset, data_files, default_data_dir, load
from refugee_stats.view import View, figures, records

PLOTLY_CONFIG = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2}}


def _signature(paths: tuple[str, ...]) -> tuple[tuple[str, int, int], ...]:
    """Name, size and modification time of every data file: the cache key of a load."""
    out = []
    for path in data_files(paths):
        try:
            stat = path.stat()
            out.append((str(path), stat.st_size, stat.st_mtime_ns))
        except OSError:
            out.append((str(path), -1, -1))
    return tuple(out)


@st.cache_data(show_spinner="Loading data…", max_entries=8)
def _load_cached(paths: tuple[str, ...], signature: tuple[tuple[str, int, int], ...]) -> Dataset:
    del signature  # part of the cache key only
    return load(list(paths))


def load_dataset(path: str | Path | None = None) -> Dataset:
    """The dataset at ``path`` (default: ``$REFUGEE_STATS_DATA`` or the bundled sample), cached."""
    paths = (str(path or default_data_dir()),)
    return _load_cached(paths, _signature(paths))


def render_problems(dataset: Dataset) -> None:
    """A table of every problem found in the data files, if any."""
    problems = dataset.problems
    if problems.empty:
        return
    errors = int((problems["severity"] == "error").sum())
    warnings = len(problems) - errors
    title = f"Data problems: {errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
    if errors:
        st.error(f"{title}. Rows and files with errors are left out; everything else is charted.")
    shown = problems.assign(file=problems["file"].map(lambda f: Path(f).name))
    with st.expander(title, expanded=bool(errors)):
        st.dataframe(
            shown, hide_index=True, column_config={"row": st.column_config.NumberColumn("row", format="%d")}
        )


def _month_label(month: str) -> str:
    return dates.parse(month).start_time.strftime("%b %Y")


def render_sidebar(dataset: Dataset) -> Filters:
    """The filter widgets; returns what they select."""
    sidebar = st.sidebar
    sidebar.header("Filters")
    both = pd.concat(
        [dataset.incidents[["host_country", "nationality"]], dataset.status[["host_country", "nationality"]]]
    )

    def by_name(codes: pd.Series) -> list[str]:
        return sorted(set(codes.dropna()), key=countries.name)

    hosts = sidebar.multiselect(
        "Host country",
        by_name(both["host_country"]),
        format_func=countries.name,
        placeholder="All host countries",
        key="host",
    )
    nationalities = sidebar.multiselect(
        "Nationality",
        by_name(both["nationality"]),
        format_func=countries.name,
        placeholder="All nationalities",
        key="nationality",
    )
    months = data_months(dataset.incidents, dataset.status)
    date_from = date_to = None
    if months:
        options = [str(p) for p in pd.period_range(months[0], months[1], freq="M")]
        if len(options) > 1:
            date_from, date_to = sidebar.select_slider(
                "Dates",
                options=options,
                value=(options[0], options[-1]),
                format_func=_month_label,
                key="dates",
            )
        else:
            date_from = date_to = options[0]
    types = sidebar.multiselect(
        "Incident types",
        list(INCIDENT_TYPES),
        default=list(INCIDENT_TYPES),
        format_func=lambda t: t.replace("_", " ").capitalize(),
        key="types",
    )
    if not types:
        sidebar.caption("No type chosen: showing all incident types.")
    granularity = sidebar.segmented_control(
        "Period",
        list(GRANULARITIES),
        default="month",
        format_func=str.capitalize,
        required=True,
        key="period",
    )
    include = sidebar.toggle("Include illustrative sample records", value=True, key="illustrative")
    return Filters(
        host_countries=tuple(hosts),
        nationalities=tuple(nationalities),
        date_from=date_from,
        date_to=date_to,
        types=tuple(types),
        granularity=granularity or "month",
        include_illustrative=include,
    )


def render_header(view: View) -> None:
    """Page title and the filter sentence."""
    st.title("Asylum-seeker detentions and refugee status")
    st.caption(view.filters.describe())


def render_illustrative_banner(view: View) -> None:
    """A warning whenever made-up sample records are in view."""
    if view.illustrative:
        n = int(view.incidents["illustrative"].sum() + view.status["illustrative"].sum())
        st.warning(
            f"**Illustrative data in view.** {n} of the records shown are made up for demonstration and are "
            "marked ILLUSTRATIVE on every chart. Switch off “Include illustrative sample records” to see real records only.",
        )


def render_key_figures(view: View) -> None:
    """One row of headline numbers."""
    f = view.figures
    columns = st.columns(5)
    columns[0].metric("People detained", f"{f.people_detained:,}")
    columns[1].metric("Incidents", f"{f.incidents:,}")
    columns[2].metric(
        "Of whom UNHCR refugees",
        f"{f.unhcr_refugees:,}",
        help=f"Detained people known to hold UNHCR refugee status; status unknown for {f.unhcr_unknown:,}.",
    )
    columns[3].metric(
        "Status revocations", f"{f.revocations:,}", help="People whose refugee status was revoked."
    )
    columns[4].metric(
        "Extradited or deported",
        f"{f.people_removed:,}",
        help="People extradited, deported or forcibly returned.",
    )


def render_charts(view: View) -> None:
    """The three charts, or a plain message when nothing matches."""
    if view.empty:
        st.info("No records match these filters. Widen the date range or clear a country filter.")
        return
    for key, figure in figures(view).items():
        st.plotly_chart(figure, key=f"chart-{key}", config=PLOTLY_CONFIG)


def render_records(view: View) -> None:
    """The records behind the view, with links to their sources."""
    if view.empty:
        return
    st.subheader("Records in view")
    table = records(view)
    st.dataframe(
        table,
        hide_index=True,
        column_config={
            "date": "Date",
            "host": "Host country",
            "nationality": "Nationality",
            "what": "What",
            "people": st.column_config.NumberColumn("People", format="%d"),
            "unhcr_refugees": st.column_config.NumberColumn(
                "UNHCR refugees", format="%d", help="Blank: unknown"
            ),
            "source": st.column_config.TextColumn("Source", width="large"),
            "source_url": st.column_config.LinkColumn("Link", display_text="open"),
            "illustrative": st.column_config.CheckboxColumn("Illustrative"),
            "reference": st.column_config.TextColumn("File:row", help="Where the record is in its data file"),
        },
    )
