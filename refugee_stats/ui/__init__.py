"""Streamlit rendering: each ``render_*`` function draws one part of the page.

This is the only package (with ``dashboard.py``) allowed to import streamlit; all
numbers and sentences come from :mod:`refugee_stats.view`, :mod:`refugee_stats.story`
and :mod:`refugee_stats.i18n`. Widget values live in ``st.session_state`` under the
keys below, seeded once per session from the link (:mod:`refugee_stats.urlstate`) and
written back to it on every run, so the address bar always reproduces the view.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import cast

import pandas as pd
import plotly.graph_objects as go
import pyarrow as pa
import streamlit as st

from refugee_stats import (
    aggregate,
    countries,
    describe,
    downloads,
    i18n,
    maps,
    registry,
    sources,
    story,
    urlstate,
)
from refugee_stats import talk as talks
from refugee_stats.compute import RowSelection, ViewData, backend_for, compute
from refugee_stats.describe import Description
from refugee_stats.escape import html_text, link_url, markdown_text
from refugee_stats.fields import GRANULARITIES, INCIDENT_TYPES
from refugee_stats.filters import FILTERS, Filters
from refugee_stats.ingest.dataset import Dataset
from refugee_stats.ingest.files import MemoryFile, data_files, default_data_dir
from refugee_stats.ingest.problems import problems_frame
from refugee_stats.registry import figures
from refugee_stats.ui import a11y, authoring, export, room, style
from refugee_stats.view import RECORD_COLUMNS, RECORD_COUNTS, Display, View, map_figures, records, render


def _signature(paths: tuple[str, ...]) -> tuple[tuple[str, int, int], ...]:
    """Name, size and modification time of every data file: the cache key of a load."""
    out = []
    stores = [Path(p) / "meta.json" for p in paths if sources.is_store(Path(p))]
    for path in stores or data_files(paths):  # a store is named by its summary (written last)
        assert isinstance(path, Path)  # ``paths`` name files on disk; uploads are keyed by their id
        try:
            stat = path.stat()
            out.append((str(path), stat.st_size, stat.st_mtime_ns))
        except OSError:
            out.append((str(path), -1, -1))
    return tuple(out)


#: Records shown in the on-screen table; the download holds them all.
TABLE_ROWS = 1_000
#: Most records one download of the records in view holds (a CSV of about 150 MB).
RECORDS_DOWNLOAD_LIMIT = 1_000_000
#: Largest file a user may upload, in MB (Streamlit refuses bigger ones with a message).
UPLOAD_LIMIT_MB = 200
#: Most MB one browser session's uploads may hold together; files past it are left out with a message.
SESSION_UPLOAD_LIMIT_MB = 400
UPLOAD_TYPES = ["csv", "xlsx", "tsv", "txt", "gz", "zip", "parquet", "toml"]


def _is_talk(upload: object) -> bool:
    """Whether an upload is a talk (``.toml``), not data."""
    return str(getattr(upload, "name", "")).lower().endswith(".toml")


# A resource, not data: the Dataset is read-only (pandas copy-on-write), so every rerun and every
# session shares one object instead of unpickling a copy of all the records each time.
@st.cache_resource(show_spinner=False, max_entries=8)
def _load_cached(
    paths: tuple[str, ...],
    signature: tuple[tuple[str, int, int], ...],
    upload_ids: tuple[str, ...],
    allow_personal: bool,
    _uploads: tuple[MemoryFile, ...] = (),
) -> Dataset:
    del signature, upload_ids  # cache keys only: files by name, size and mtime; uploads by id
    return sources.open_files(paths, _uploads, allow_personal=allow_personal)


@st.cache_resource(show_spinner=False, max_entries=2)
def _version_probe(url: str) -> sources.VersionProbe:
    return sources.VersionProbe(url)  # one connection for every session's question


@st.cache_resource(show_spinner=False, max_entries=2)
def _database_cached(url: str, version: int | None) -> Dataset:
    del version  # cache key only: the server's last load
    return sources.open_database(url)


# -- views shared by every session ----------------------------------------------------------
#
# A view depends only on the data loaded (its key: files by name, size and mtime, uploads by
# id, the personal-data choice), the filters and public mode; its text also on the language,
# and its figures on the theme and presentation mode. Each step is kept once for every
# session that asks for the same inputs, as shared read-only objects (cache_resource: no copy
# per rerun). The bound is in entries: a kept view holds its chart data (periods x
# nationalities, countries) and two row masks of one byte per loaded row, never the loaded
# data itself; figures a few hundred KB per view.

#: Views (numbers, then their text in one language) kept across sessions.
SHARED_VIEWS = 32
#: Sets of figures (charts or maps of one view in one language and theme) kept across sessions.
SHARED_FIGURES = 64


def _filters_key(filters: Filters) -> tuple:
    """The filters as a plain tuple: a cheap, exact cache key."""
    return tuple(getattr(filters, f.name) for f in dataclasses.fields(filters))


#: What a kept view holds in place of the loaded frames (a run puts its own data back).
_DETACHED = pd.DataFrame()


def _detached(data: ViewData, dataset: Dataset | None) -> ViewData:
    """``data`` holding ``dataset``'s frames (or none, to be kept) in its selection of loaded rows; a
    database's selection holds no rows and stays as it is."""
    if not isinstance(data.selection, RowSelection):
        return data
    incidents = _DETACHED if dataset is None else dataset.incidents
    status = _DETACHED if dataset is None else dataset.status
    selection = dataclasses.replace(data.selection, all_incidents=incidents, all_status=status)
    return dataclasses.replace(data, selection=selection)


@st.cache_resource(show_spinner=False, max_entries=SHARED_VIEWS)
def _compute_cached(
    data_key: tuple, filters_key: tuple, public: bool, _dataset: Dataset, _filters: Filters
) -> ViewData:
    del data_key, filters_key  # cache keys only: the dataset and filters they name
    # Kept without the loaded frames, so a kept view never holds on to data the load cache
    # has let go; each run attaches the same data (same key), loaded again if need be.
    return _detached(compute(_dataset, _filters, public=public), None)


@st.cache_resource(show_spinner=False, max_entries=SHARED_VIEWS)
def _render_cached(
    data_key: tuple, filters_key: tuple, public: bool, display: Display, _data: ViewData
) -> View:
    del data_key, filters_key, public  # cache keys only: the numbers they name
    return render(_data, display)


def build_view(dataset: Dataset, state: urlstate.State) -> View:
    """The view ``state`` selects of ``dataset`` (loaded by :func:`load_dataset` this run), shared.

    The numbers are computed once for every session asking for the same data, filters and
    public mode, whatever its language or theme; their text once per language, theme and mode.
    Each run gets its own shallow copy holding this run's ``dataset`` (the kept one holds no
    loaded frame), so what a run derives from it (the records of a download) is not kept
    with the shared view.
    """
    data_key = st.session_state.get("_data_key")
    if data_key is None:  # not loaded through load_dataset: nothing names the data
        return build_view_uncached(dataset, state)
    filters_key = _filters_key(state.filters)
    data = _compute_cached(data_key, filters_key, state.protected, dataset, state.filters)
    view = _render_cached(data_key, filters_key, state.protected, _display(state), data)
    return dataclasses.replace(view, data=_detached(view.data, dataset))


def _display(state: urlstate.State) -> Display:
    return Display(lang=state.lang, theme=state.theme, presentation=state.present)


def build_view_uncached(dataset: Dataset, state: urlstate.State) -> View:
    """:func:`build_view` computed afresh."""
    return render(compute(dataset, state.filters, public=state.protected), _display(state))


def _view_key(view: View) -> tuple | None:
    data_key = st.session_state.get("_data_key")
    if data_key is None:
        return None
    return (data_key, _filters_key(view.filters), view.public, view.display)


@st.cache_resource(show_spinner=False, max_entries=SHARED_FIGURES)
def _figures_cached(key: tuple, kind: str, _view: View) -> dict[str, go.Figure]:
    del key  # cache key only: the view it names
    return figures(_view) if kind == "charts" else map_figures(_view)


def shared_figures(view: View, kind: str = "charts") -> dict[str, go.Figure]:
    """The view's charts (``kind="charts"``) or maps (``"maps"``), built once for every session
    showing the same view in the same language, theme and mode.

    The figures are shared: read them, never change them (``st.plotly_chart`` only reads).
    """
    key = _view_key(view)
    if key is None:
        return figures(view) if kind == "charts" else map_figures(view)
    return _figures_cached(key, kind, view)


def _words(view: View, kind: str) -> dict[str, Description]:
    return registry.described(view) if kind == "charts" else describe.map_descriptions(view)


@st.cache_resource(show_spinner=False, max_entries=SHARED_FIGURES)
def _words_cached(key: tuple, kind: str, _view: View) -> dict[str, Description]:
    del key  # cache key only: the view it names
    return _words(_view, kind)


def shared_words(view: View, kind: str = "charts") -> dict[str, Description]:
    """The view's charts (``kind="charts"``) or maps (``"maps"``) in words, worked out once for
    every session showing the same view in the same language."""
    key = _view_key(view)
    if key is None:
        return _words(view, kind)
    return _words_cached((*key[:3], view.lang), kind, view)


def _records_table(view: View) -> pa.Table:
    table = records(view, view.lang, limit=TABLE_ROWS)
    # A link opens only an http(s) address with a host, whatever a file or an importer put there.
    table["source_url"] = table["source_url"].map(link_url).astype("object")
    # Arrow, as st.dataframe sends it: converted once, and immutable, so safe to share.
    return pa.Table.from_pandas(table)


@st.cache_resource(show_spinner=False, max_entries=SHARED_FIGURES)
def _records_cached(key: tuple, _view: View) -> pa.Table:
    del key  # cache key only: the view (in its language) it names
    return _records_table(_view)


def shared_records(view: View) -> pa.Table:
    """The first :data:`TABLE_ROWS` records in view, as the on-screen table shows them, built once
    for every session showing the same view in the same language."""
    key = _view_key(view)
    if key is None:
        return _records_table(view)
    return _records_cached((*key[:3], view.lang), view)  # not the theme or mode: the table looks the same


def clear_shared_views() -> None:
    """Forget every shared view, figure, table and fact, but not the loaded data (for benchmarks
    timing a rerun that computes its view)."""
    for cached in (
        _compute_cached,
        _render_cached,
        _figures_cached,
        _words_cached,
        _records_cached,
        _fact_cached,
    ):
        cached.clear()


def _lang() -> str:
    return i18n.language(st.session_state.get("lang") or st.query_params.get("lang"))


def within_session_limit(files: list) -> tuple[list, list[str]]:
    """The uploads that fit in :data:`SESSION_UPLOAD_LIMIT_MB` together, in order; names of the others."""
    kept, refused, total = [], [], 0
    for f in files:
        fits = total + f.size <= SESSION_UPLOAD_LIMIT_MB * 1024 * 1024
        (kept if fits else refused).append(f)
        total += f.size if fits else 0
    return kept, [f.name for f in refused]


def render_uploads() -> tuple[list, bool, bool]:
    """The "your data" section: uploaded files (this browser session only), replace or add, personal data."""
    lang = _lang()
    with st.sidebar.expander(i18n.t("your_data", lang), expanded=bool(st.session_state.get("uploads"))):
        files = st.file_uploader(
            i18n.t("upload_files", lang),
            type=UPLOAD_TYPES,
            accept_multiple_files=True,
            key="uploads",
            max_upload_size=UPLOAD_LIMIT_MB,
            help=i18n.t("upload_help", lang, limit=UPLOAD_LIMIT_MB),
        )
        files, refused = within_session_limit(list(files or []))
        if refused:
            st.warning(
                i18n.t("upload_session_limit", lang, limit=SESSION_UPLOAD_LIMIT_MB, files=", ".join(refused))
            )
        st.segmented_control(
            i18n.t("upload_mode", lang),
            ["add", "replace"],
            default="add",
            format_func=lambda m: i18n.t(f"upload_{m}", lang),
            required=True,
            key="upload_mode",
        )
        st.toggle(
            i18n.t("allow_personal", lang), key="allow_personal", help=i18n.t("allow_personal_help", lang)
        )
    return (
        list(files or []),
        st.session_state.get("upload_mode") == "replace",
        bool(st.session_state.get("allow_personal")),
    )


def load_dataset(
    path: str | Path | None = None,
    uploads: list | None = None,
    replace: bool = False,
    allow_personal: bool = False,
) -> Dataset:
    """The dataset at ``path`` (default: ``$REFUGEE_STATS_DATA`` or the bundled sample) plus uploads, cached.

    Uploaded files are read from memory for this browser session only; nothing is written on the server.
    """
    uploads = [f for f in uploads or [] if not _is_talk(f)]  # a talk is read by load_talk
    database = sources.database_url() if path is None else None
    if database is not None and not uploads:  # the records are on a server: it answers every view
        version = _version_probe(database).version()
        st.session_state["_data_key"] = ("database", database, version)
        return _database_cached(database, version)
    if database is not None and uploads:  # uploads are not added to a server's records: charted on their own
        st.sidebar.caption(i18n.t("uploads_without_database", _lang()))
    paths = () if (replace or database is not None) and uploads else (str(path or default_data_dir()),)
    memory = tuple(MemoryFile(f.name, f.getvalue()) for f in uploads)
    ids = tuple(f"{f.name}:{f.file_id}" for f in uploads)
    signature = _signature(paths)
    # What was loaded: when it changes, init_state follows the new data (dates, period).
    st.session_state["_data_key"] = (paths, signature, ids, allow_personal)
    if not memory:
        return _load_cached(paths, signature, ids, allow_personal)
    lang = _lang()
    with st.spinner(i18n.t("loading_files", lang, n=len(memory))):
        dataset = _load_cached(paths, signature, ids, allow_personal, memory)
    st.sidebar.caption(
        i18n.t(
            "loaded_counts",
            lang,
            incidents=i18n.number(len(dataset.incidents), lang),
            status=i18n.number(len(dataset.status), lang),
            stocks=i18n.number(len(dataset.stocks), lang),
        )
    )
    return dataset


def load_talk(
    dataset: Dataset, path: str | Path | None = None, uploads: list | None = None, replace: bool = False
) -> talks.Talk | None:
    """The talk presentation mode plays, if any: the last ``.toml`` uploaded, else the data folder's
    ``talk.toml`` (unless uploads replace the folder). Its problems are kept for the problems
    table; a talk without a scene that can be shown is none (the standard tour plays). Once the
    user edits a talk in the app, the edited one plays instead (:func:`authoring.session_talk`)."""
    hosts, nationalities = _codes(dataset, "host_country"), _codes(dataset, "nationality")
    months = _months(dataset)
    known = {
        "hosts": hosts,
        "nationalities": nationalities,
        "months": (months[0], months[-1]) if months else None,
    }
    uploads = list(uploads or [])
    uploaded = [f for f in uploads if _is_talk(f)]
    data_uploads = [f for f in uploads if not _is_talk(f)]
    talk: talks.Talk | None
    if uploaded:
        file = uploaded[-1]
        talk, problems = talks.read_talk_bytes(file.getvalue(), file.name, **known)
    elif replace and data_uploads:
        talk, problems = None, []
    else:
        talk, problems = talks.load_talk(path or default_data_dir(), **known)
    playable = talk if talk is not None and talk.scenes else None
    # The data folder's talk, which every window of the data plays alike (not uploaded, not edited).
    st.session_state["_folder_talk"] = playable if not uploaded else None
    st.session_state["_talk_bounds"] = known  # what a talk's links are checked against
    playable = authoring.session_talk(playable)  # the talk edited in this session, once edited
    st.session_state["_talk"] = playable
    st.session_state["_talk_problems"] = problems
    return playable


def _playing(state: urlstate.State | None = None) -> talks.Talk | None:
    """The talk presentation mode plays: the loaded one, unless ``talk=0`` (or its toggle is off)."""
    talk = st.session_state.get("_talk")
    on = st.session_state.get("talk", True) if state is None else state.talk
    return talk if talk is not None and on else None


def scene_count(state: urlstate.State | None = None) -> int:
    """How many scenes presentation mode plays: the talk's, else the standard tour's."""
    talk = _playing(state)
    return len(talk.scenes) if talk is not None else len(registry.SCENES)


def stage_state(dataset: Dataset, state: urlstate.State) -> urlstate.State:
    """What is shown: ``state``, or on stage with a talk, its scene's own filters (from the scene's
    link, not the sidebar's; the period chosen from the data when the link does not set it) in
    ``state``'s language and theme, protected as the talk says unless the link or toggle chose."""
    talk = _playing(state)
    if not state.present or talk is None:
        return state
    number = min(max(state.scene, 1), len(talk.scenes))
    months = _months(dataset)
    shown = talks.scene_state(
        talk.scenes[number - 1],
        talk,
        hosts=_codes(dataset, "host_country"),
        nationalities=_codes(dataset, "nationality"),
        months=(months[0], months[-1]) if months else None,
        lang=state.lang,
    )
    filters = shown.filters
    if "period" not in shown.given:
        filters = filters.with_(granularity=_default_period(dataset, filters))
    return dataclasses.replace(
        shown,
        filters=filters,
        theme=state.theme,
        scene=number,
        public=talk.public if state.public is None else state.public,
    )


# -- state ---------------------------------------------------------------------------------


def _find_months(dataset: Dataset) -> tuple[str, ...]:
    span = backend_for(dataset).months()
    return tuple(str(p) for p in pd.period_range(span[0], span[1], freq="M")) if span else ()


def _find_period(dataset: Dataset, filters: Filters) -> str:
    return backend_for(dataset).default_granularity(filters)


def _find_month_labels(dataset: Dataset, lang: str) -> dict[str, str]:
    return {m: i18n.month_label(pd.Period(m, "M").start_time, lang) for m in _find_months(dataset)}


_FACTS = {
    "codes": talks.data_codes,
    "months": _find_months,
    "month_labels": _find_month_labels,
    "period": _find_period,
}


@st.cache_resource(show_spinner=False, max_entries=SHARED_VIEWS)
def _fact_cached(data_key: tuple, what: str, args_key: tuple, _dataset: Dataset, _args: tuple) -> object:
    del data_key, args_key  # cache keys only: the dataset and arguments they name
    return _FACTS[what](_dataset, *_args)


def _fact(dataset: Dataset, what: str, *args: object) -> object:
    """A fact about the loaded data that the sidebar reads on every run (codes, months, the
    default period of some filters), worked out once per data for every session."""
    data_key = st.session_state.get("_data_key")
    if data_key is None:
        return _FACTS[what](dataset, *args)
    args_key = tuple(_filters_key(a) if isinstance(a, Filters) else a for a in args)
    return _fact_cached(data_key, what, args_key, dataset, args)


def _codes(dataset: Dataset, column: str) -> list[str]:
    return list(cast("tuple[str, ...]", _fact(dataset, "codes", column)))


def _months(dataset: Dataset) -> list[str]:
    return list(cast("tuple[str, ...]", _fact(dataset, "months")))


def _default_period(dataset: Dataset, filters: Filters) -> str:
    """The chart period the records ``filters`` keep open on (see ``aggregate.default_granularity``)."""
    return str(_fact(dataset, "period", filters))


def init_state(dataset: Dataset, talk: talks.Talk | None = None) -> None:
    """On a session's first run, seed every widget from the link (the period, unless the link
    sets it, chosen from the data in view) and remember what it could not use; on later runs,
    follow new data (:func:`_follow_data`). Presenting ``talk`` without ``lang=`` in the link
    opens in the talk's language."""
    if "_seeded" in st.session_state:
        _follow_data(dataset)
        return
    params = {key: st.query_params.get_all(key) for key in st.query_params}
    months = _months(dataset)
    state, notices = urlstate.parse(
        params,
        hosts=_codes(dataset, "host_country"),
        nationalities=_codes(dataset, "nationality"),
        months=(months[0], months[-1]) if months else None,
        scenes=len(talk.scenes) if talk is not None else len(registry.SCENES),
    )
    lang_given = "lang" in params
    if talk is not None and state.talk and state.present and not lang_given:
        state = dataclasses.replace(state, lang=talk.lang)
    f = state.filters
    # Every filter's widget from its declaration (the months share the date slider's default).
    st.session_state.update({s.widget: s.to_widget(getattr(f, s.name)) for s in FILTERS if s.kind != "month"})
    st.session_state.update(
        {
            "_dates_default": (f.date_from, f.date_to),
            "period": f.granularity if "period" in state.given else _default_period(dataset, f),
            "lang": state.lang,
            "theme": state.theme,
            "present": state.present,
            "scene": state.scene,
            "talk": state.talk,
            "presenter": state.presenter,
            "room": state.room,
            "_lang_given": lang_given,
            "_public_choice": state.public,
            "_notices": notices,
            "_given": state.given,
            "_data_seen": st.session_state.get("_data_key"),
            "_seeded": True,
        }
    )


def _follow_data(dataset: Dataset) -> None:
    """When other data is loaded (uploads added, replaced or removed): the date range becomes the
    new data's span, but for an end the first link set that the new data still covers; the
    period is chosen again from the new data unless the link set it or the user chose one."""
    key = st.session_state.get("_data_key")
    if key == st.session_state.get("_data_seen"):
        return
    st.session_state["_data_seen"] = key
    _keep_known_countries(dataset)
    months = _months(dataset)
    given = st.session_state.get("_given") or frozenset()
    first, last = st.session_state.get("dates") or st.session_state.get("_dates_default") or (None, None)
    if months:
        first = first if "from" in given and first in months else months[0]
        last = last if "to" in given and last in months else months[-1]
        if first > last:
            first, last = months[0], months[-1]
    else:
        first = last = None
    st.session_state["_dates_default"] = (first, last)
    if len(months) > 1 and first is not None and last is not None:
        _set_dates((first, last))
    else:
        st.session_state.pop("dates", None)
    if "period" not in given and not st.session_state.get("_period_chosen"):
        filters = current_state().filters.with_(date_from=first, date_to=last)
        st.session_state["period"] = _default_period(dataset, filters)


def _set_dates(span: tuple[str, str]) -> None:
    """Move the date slider: through the Session State API, so the browser's slider is told too
    (a new default value is not sent to a widget that already exists). Streamlit logs once that
    the widget also has a default; it must, as the default makes it a range slider."""
    st.session_state["_dates_default"] = span
    st.session_state["dates"] = span


def _keep_known_countries(dataset: Dataset) -> None:
    """Data can change under a session (uploads): keep only country choices that still exist."""
    hosts, nationalities = _codes(dataset, "host_country"), _codes(dataset, "nationality")
    st.session_state["host"] = [c for c in st.session_state.get("host", []) if c in hosts]
    st.session_state["nationality"] = [
        c for c in st.session_state.get("nationality", []) if c in nationalities
    ]


def current_state() -> urlstate.State:
    """The view the widgets describe now."""
    s = st.session_state
    date_from, date_to = s.get("dates") or s.get("_dates_default") or (None, None)
    values = {spec.name: spec.from_widget(s.get(spec.widget)) for spec in FILTERS if spec.kind != "month"}
    filters = Filters(date_from=date_from, date_to=date_to, **values)  # type: ignore[arg-type]
    return urlstate.State(
        filters=filters,
        lang=i18n.language(s.get("lang")),
        theme=s.get("theme") or "light",
        present=bool(s.get("present", False)),
        scene=int(s.get("scene", 1)),
        public=s.get("_public_choice"),
        talk=bool(s.get("talk", True)),
        presenter=bool(s.get("presenter")) and bool(s.get("present", False)),
        room=s.get("room") if s.get("present") else None,  # presenting: the room its windows share
    )


def sync_url(state: urlstate.State) -> None:
    """Write the view into the address bar, so copying it shares exactly this view."""
    wanted = urlstate.encode(state)
    current = {key: st.query_params.get_all(key) for key in st.query_params}
    normalised = {key: value if isinstance(value, list) else [value] for key, value in wanted.items()}
    if current != normalised:
        st.query_params.from_dict(wanted)


def _go(delta: int) -> None:
    st.session_state["scene"] = urlstate.step(int(st.session_state.get("scene", 1)), delta, scene_count())


def _choose_lang() -> None:
    st.session_state["_lang_given"] = True


def _enter_presentation() -> None:
    """Presenting a talk opens in its language, unless a language was chosen (link or picker)."""
    talk = _playing()
    if st.session_state.get("present") and talk is not None and not st.session_state.get("_lang_given"):
        st.session_state["lang"] = talk.lang


def _leave_presentation() -> None:
    st.session_state["present"] = False


def _choose_public() -> None:
    st.session_state["_public_choice"] = bool(st.session_state["public"])


def _choose_period() -> None:
    st.session_state["_period_chosen"] = True


def _set_period(granularity: str) -> None:
    st.session_state["period"] = granularity
    st.session_state["_period_chosen"] = True


# -- sidebar -------------------------------------------------------------------------------


def render_sidebar(dataset: Dataset) -> urlstate.State:
    """The filter and display widgets; returns the state they select."""
    lang = i18n.language(st.session_state.get("lang"))
    sidebar = st.sidebar
    sidebar.header(i18n.t("filters", lang))

    def by_name(codes: list[str]) -> list[str]:
        return sorted(codes, key=lambda c: countries.name(c, lang))

    def name(code: str) -> str:
        return countries.name(code, lang)

    _keep_known_countries(dataset)
    hosts, nationalities_ = _codes(dataset, "host_country"), _codes(dataset, "nationality")
    sidebar.multiselect(
        i18n.t("host_country", lang),
        by_name(hosts),
        format_func=name,
        placeholder=i18n.t("all_hosts", lang),
        key="host",
    )
    sidebar.multiselect(
        i18n.t("nationality", lang),
        by_name(nationalities_),
        format_func=name,
        placeholder=i18n.t("all_nationalities", lang),
        key="nationality",
    )
    months = _months(dataset)
    chosen = st.session_state.get("dates")
    if chosen is not None and not (isinstance(chosen, tuple | list) and all(m in months for m in chosen)):
        del st.session_state["dates"]
        st.session_state["_dates_default"] = (months[0], months[-1]) if months else (None, None)
        if len(months) > 1:
            _set_dates((months[0], months[-1]))
    if len(months) > 1:
        labels = cast("dict[str, str]", _fact(dataset, "month_labels", lang))
        sidebar.select_slider(
            i18n.t("dates", lang),
            options=months,
            value=st.session_state.get("_dates_default") or (months[0], months[-1]),
            format_func=labels.__getitem__,
            key="dates",
        )
    elif months:
        st.session_state["dates"] = (months[0], months[0])
    if st.session_state.get("_types_lang") != lang:  # chips keep the labels they were chosen in: resend
        st.session_state["types"] = list(st.session_state.get("types") or [])
        st.session_state["_types_lang"] = lang
    sidebar.multiselect(
        i18n.t("incident_types", lang),
        list(INCIDENT_TYPES),
        format_func=lambda v: i18n.choice("type", v, lang).capitalize(),
        key="types",
    )
    if not st.session_state.get("types"):
        sidebar.caption(i18n.t("no_type_chosen", lang))
    sidebar.segmented_control(
        i18n.t("period", lang),
        list(GRANULARITIES),
        format_func=lambda g: i18n.t(g, lang),
        required=True,
        key="period",
        on_change=_choose_period,
    )
    sidebar.toggle(i18n.t("include_illustrative", lang), key="illustrative")

    sidebar.header(i18n.t("display", lang))
    sidebar.segmented_control(
        i18n.t("language", lang),
        list(i18n.LANGUAGES),
        format_func=lambda code: i18n.LANGUAGE_NAMES[code],
        required=True,
        key="lang",
        on_change=_choose_lang,
    )
    sidebar.segmented_control(
        i18n.t("theme", lang),
        list(urlstate.THEMES),
        format_func=lambda v: i18n.t(f"theme_{v}", lang),
        required=True,
        key="theme",
    )
    sidebar.toggle(
        i18n.t("presentation_mode", lang),
        key="present",
        help=i18n.t("presentation_help", lang),
        on_change=_enter_presentation,
    )
    talk = st.session_state.get("_talk")
    st.session_state["talk"] = st.session_state.get("talk", True)  # kept on runs without a talk to toggle
    if talk is not None:
        sidebar.toggle(i18n.t("play_talk", lang), key="talk", help=i18n.t("play_talk_help", lang))
        sidebar.caption(markdown_text(authoring.playing_text(talk, lang)))
    st.session_state["scene"] = min(int(st.session_state.get("scene", 1)), scene_count())
    choice = st.session_state.get("_public_choice")
    st.session_state["public"] = bool(st.session_state.get("present")) if choice is None else choice
    sidebar.toggle(
        i18n.t("public_mode", lang),
        key="public",
        help=i18n.t("public_mode_help", lang),
        on_change=_choose_public,
    )
    sidebar.caption(i18n.t("share_link_help", lang))
    if st.session_state.get("present"):
        # Clicker arrow keys: these buttons work from the hidden sidebar too.
        sidebar.button(i18n.t("previous", lang), key="nav-left", shortcut="Left", on_click=_go, args=(-1,))
        sidebar.button(i18n.t("next", lang), key="nav-right", shortcut="Right", on_click=_go, args=(1,))
    return current_state()


# -- page ----------------------------------------------------------------------------------


def render_style(state: urlstate.State) -> None:
    """The theme's colours and, in presentation mode, a page without sidebar or chrome."""
    st.html(style.css(state.theme, state.present))


def render_notices(lang: str) -> None:
    """What the link asked for that could not be used, until dismissed."""
    notices = st.session_state.get("_notices") or []
    if not notices:
        return
    st.warning(notices_markdown(notices, lang))


def notices_markdown(notices: list[urlstate.Notice], lang: str) -> str:
    """The link's notices as markdown that shows every value literally (one paragraph each)."""
    return "\n\n".join(markdown_text(n.message(lang)) for n in notices)


def render_problems(dataset: Dataset, lang: str) -> None:
    """A table of every problem found in the data files and the talk, if any, in the user's
    language: headers, messages and severities translated; the row blank for a problem about a
    whole file."""
    problems = dataset.problems_in(lang)
    talk_problems = st.session_state.get("_talk_problems") or []
    if talk_problems:
        problems = pd.concat([problems, problems_frame(talk_problems, lang)], ignore_index=True)
    if problems.empty:
        return
    errors = int((problems["severity"] == "error").sum())
    title = i18n.t("problems_title", lang, errors=errors, warnings=len(problems) - errors)
    if errors:
        st.error(i18n.t("problems_left_out", lang, title=title))
    shown = problems.assign(
        # a file by its name, a server by its whole address
        file=problems["file"].map(lambda f: str(f) if "://" in str(f) else Path(str(f)).name),
        severity=problems["severity"].map(lambda s: i18n.t(f"problem_severity_{s}", lang)),
    )
    headers = {name: i18n.t(f"problems_col_{name}", lang) for name in shown.columns}
    column_config = {name: st.column_config.TextColumn(label) for name, label in headers.items()}
    column_config["row"] = st.column_config.NumberColumn(headers["row"], format="%d")
    with st.expander(title, expanded=bool(errors)):
        # A whole-file problem has no row: shown blank (the placeholder of missing cells), not "None".
        st.dataframe(shown, hide_index=True, column_config=column_config, placeholder="")


def render_header(view: View, lang: str) -> None:
    """Page title and the filter sentence."""
    st.title(i18n.t("app_title", lang))
    st.caption(markdown_text(view.filters.describe(lang)))


def render_illustrative_banner(view: View, lang: str) -> None:
    """A warning whenever made-up sample records are in view; on stage in one line (the sidebar's
    switch it names is hidden there, and every chart carries the watermark)."""
    if view.illustrative:
        n = i18n.number(view.selection.illustrative_count, lang)
        if view.display.presentation:
            st.warning(i18n.t("illustrative_banner_stage", lang, n=n))
            return
        st.warning(i18n.t("illustrative_banner", lang, n=n, toggle=i18n.t("include_illustrative", lang)))


def render_key_figures(view: View, lang: str) -> None:
    """One row of headline numbers (protected in public mode)."""
    text = view.key_figure_text
    columns = st.columns(5)
    columns[0].metric(i18n.t("people_detained", lang), text["people_detained"])
    columns[1].metric(i18n.t("incidents", lang), text["incidents"])
    if view.key_figures.unhcr_refugees is None:  # unknown stays unknown: never a 0
        columns[2].metric(
            i18n.t("of_whom_refugees", lang),
            "—",  # a dash, never 0: the caption says why
            help=i18n.t("status_unknown_help", lang),
        )
        columns[2].caption(i18n.t("status_not_recorded", lang))
    else:
        columns[2].metric(
            i18n.t("of_whom_refugees", lang),
            text["unhcr_refugees"],
            help=i18n.t("of_whom_refugees_help", lang, unknown=text["unhcr_unknown"]),
        )
        if view.key_figures.unhcr_unknown:
            unknown = story.people_phrase(
                view.key_figures.unhcr_unknown, view.key_figure_status["unhcr_unknown"], lang
            )
            columns[2].caption(i18n.t("status_unknown_for", lang, unknown=unknown))
    columns[3].metric(i18n.t("revocations", lang), text["revocations"], help=i18n.t("revocations_help", lang))
    columns[4].metric(i18n.t("removed", lang), text["people_removed"], help=i18n.t("removed_help", lang))


def _chart(
    figure: object,
    key: str,
    presentation: bool = False,
    words: Description | None = None,
    name: str = "",
    lang: str = "en",
) -> None:
    """A chart named and described in words (:mod:`refugee_stats.ui.a11y`); ``name`` (its title)
    names a chart that draws nothing. On stage it is as tall as the screen leaves it (the page is
    one screen high there, see :mod:`refugee_stats.ui.style`), whatever the figure's own height."""
    words = words or Description("", "")
    config = style.plotly_config(presentation, filename=key.removesuffix("-page").removesuffix("-scene"))
    a11y.chart(figure, key, config, words, name=name, lang=lang, presentation=presentation)


def render_charts(view: View, lang: str) -> None:
    """The charts, or a plain message when nothing matches."""
    if view.empty:
        st.info(i18n.t("no_records", lang))
        return
    described = shared_words(view)  # each chart's name and description, in words
    for key, figure in shared_figures(view).items():
        _chart(figure, f"chart-{key}", False, described[key], i18n.t(registry.BY_KEY[key].title, lang), lang)
        _period_switch(view, key, lang)
        authoring.render_add(key, view, lang)
    a11y.script(lang)


def _period_switch(view: View, chart: str, lang: str, where: str = "page") -> None:
    """Under a chart whose period cannot place some records in view: a button switching to the
    finest period that draws them."""
    frames = view.charts[chart].frames if chart in view.charts else {}
    if "unplaced" not in frames:
        return  # a chart of no periods (the status pipeline)
    target = aggregate.granularity_to_place(frames["unplaced"])
    if target is None:
        return
    st.button(
        i18n.t("switch_period", lang, period=i18n.t(target, lang)),
        key=f"switch-{chart}-{where}",
        on_click=_set_period,
        args=(target,),
    )


def render_records(view: View, lang: str) -> None:
    """The records behind the view, with links to their sources."""
    if view.empty:
        return
    st.subheader(i18n.t("records_in_view", lang))
    table = shared_records(view)
    total = view.selection.count
    if total > TABLE_ROWS:
        st.caption(
            i18n.t("records_first", lang, shown=i18n.number(TABLE_ROWS, lang), total=i18n.number(total, lang))
        )
    order = RECORD_COLUMNS
    if view.public:  # one record's count beside the totals could give a count under 5 back
        order = [c for c in RECORD_COLUMNS if c not in RECORD_COUNTS]
        st.caption(i18n.t("records_public", lang))
    st.dataframe(
        table,
        column_order=order,
        hide_index=True,
        column_config={
            "date": i18n.t("col_date", lang),
            "host": i18n.t("host_country", lang),
            "nationality": i18n.t("nationality", lang),
            "what": i18n.t("col_what", lang),
            "people": st.column_config.Column(i18n.t("col_people", lang)),
            "unhcr_refugees": st.column_config.Column(
                i18n.t("col_unhcr", lang), help=i18n.t("col_unhcr_help", lang)
            ),
            "source": st.column_config.TextColumn(i18n.t("col_source", lang), width="large"),
            "source_url": st.column_config.LinkColumn(
                i18n.t("col_link", lang), display_text=i18n.t("col_link_text", lang)
            ),
            "illustrative": st.column_config.CheckboxColumn(i18n.t("col_illustrative", lang)),
            "reference": st.column_config.TextColumn(
                i18n.t("col_reference", lang), help=i18n.t("col_reference_help", lang)
            ),
        },
    )


def render_downloads(view: View, lang: str) -> None:
    """CSV downloads of each chart's data and of the records, with sources and a citation on top.

    Files are built only when a button is clicked, so reruns do not pay for them.
    """
    if view.empty:
        return
    st.subheader(i18n.t("downloads", lang))
    hxl = st.toggle(i18n.t("download_hxl", lang), key="download-hxl")
    titles = {kind: i18n.t(key, lang) for kind, key in registry.DOWNLOAD_TITLES.items()}

    def build(kind: str) -> bytes:
        frame = registry.chart_data(view, lang, kinds=(kind,))[kind]
        return downloads.to_csv(frame, view=view, title=titles[kind], lang=lang, hxl=hxl)

    too_many = view.selection.count > RECORDS_DOWNLOAD_LIMIT
    with st.container(horizontal=True):
        for kind, title in titles.items():
            if kind == "records" and too_many:  # held whole in memory to be sent: said, not offered
                continue
            label = (
                i18n.t("download_records", lang)
                if kind == "records"
                else i18n.t("download_chart", lang, chart=title)
            )
            st.download_button(
                label,
                data=lambda kind=kind: build(kind),
                file_name=downloads.filename(kind, view),
                mime="text/csv",
                key=f"download-{kind}",
                on_click="ignore",
            )
    if too_many:
        st.caption(
            i18n.t(
                "download_records_too_many",
                lang,
                n=i18n.number(view.selection.count, lang),
                limit=i18n.number(RECORDS_DOWNLOAD_LIMIT, lang),
            )
        )


def render_talk_editor(dataset: Dataset, lang: str) -> None:
    """The talk written in this session: edit, download, present (:mod:`refugee_stats.ui.authoring`)."""
    months = _months(dataset)
    authoring.render_editor(
        lang,
        hosts=_codes(dataset, "host_country"),
        nationalities=_codes(dataset, "nationality"),
        months=(months[0], months[-1]) if months else None,
        on_present=_enter_presentation,
    )


def render_talk_export(dataset: Dataset, state: urlstate.State) -> None:
    """The talk presentation mode plays (or the standard tour of the view) as one offline HTML file
    and a PDF handout, made when their buttons are clicked (:mod:`refugee_stats.ui.export`)."""
    export.render_talk_export(dataset, _playing(state), state)


# -- presentation --------------------------------------------------------------------------


def render_scene(view: View, state: urlstate.State) -> None:
    """One scene, full width: a large title, its chart (or key figures) and a one-sentence takeaway.

    With a talk, the talk's scene: its title (which then stands in for the chart's own title:
    one title per scene) and its takeaway, or the computed ones. Speaker notes are never shown."""
    lang = state.lang
    talk = _playing(state)
    if talk is None:
        name = registry.SCENES[state.scene - 1]
        title = i18n.t(
            registry.BY_KEY[name].scene_title if name in registry.BY_KEY else f"scene_{name}", lang
        )
        takeaway_text = registry.TAKEAWAYS[name](view, lang)
        titled = False
    else:
        scene = talk.scenes[state.scene - 1]
        name = scene.chart
        title = talks.scene_title(scene, lang)
        takeaway_text = talks.scene_takeaway(scene, view, lang)
        titled = bool(scene.title)
    st.title(markdown_text(title))  # a talk's title is text, never markdown
    takeaway = html_text(takeaway_text)
    st.markdown(f'<p class="takeaway">{takeaway}</p>', unsafe_allow_html=True)
    if name == "key_figures":
        st.caption(markdown_text(view.filters.describe(lang)))
        render_key_figures(view, lang)
    elif name == "map":
        render_maps(view, lang, presentation=True)
    else:
        figure = shared_figures(view)[name]
        if titled:  # the scene's title is the chart's: a copy without its own (the shared one is read-only)
            figure = go.Figure(figure)
            figure.update_layout(title_text="")
        words = shared_words(view)[name]
        _chart(figure, f"scene-{name}", True, words, i18n.t(registry.BY_KEY[name].title, lang), lang)
    a11y.script(lang)
    _navigation(state, view if name in registry.BY_KEY and talk is None else None)


def _navigation(state: urlstate.State, view: View | None = None) -> None:
    """Previous, scene counter, next and exit; beside them, when ``view`` is given, the scene
    chart's period switch (in the same row, so the scene still fits one screen)."""
    lang = state.lang
    total = scene_count(state)
    with st.container(horizontal=True, horizontal_alignment="center", key="scene-nav"):
        st.button(
            f"◀ {i18n.t('previous', lang)}",
            key="nav-prev",
            shortcut="PageUp",
            on_click=_go,
            args=(-1,),
            disabled=state.scene == 1,
        )
        st.markdown(i18n.t("scene_counter", lang, scene=state.scene, total=total))
        st.button(
            f"{i18n.t('next', lang)} ▶",
            key="nav-next",
            shortcut="PageDown",
            on_click=_go,
            args=(1,),
            disabled=state.scene >= total,
        )
        st.button(
            i18n.t("exit_presentation", lang), key="nav-exit", on_click=_leave_presentation, type="tertiary"
        )
        room.render_stage_controls(current_state())  # languages in one press; the presenter's window
        if view is not None:
            _period_switch(view, registry.SCENES[state.scene - 1], lang, where="scene")


def render_maps(view: View, lang: str, presentation: bool = False) -> None:
    """Detentions by host country and by nationality on offline maps."""
    if view.empty:
        return
    described = shared_words(view, "maps")
    if presentation:  # side by side, both as tall as the stage leaves
        with st.container(horizontal=True, height="stretch", key="stage-maps"):
            for by, figure in shared_figures(view, "maps").items():
                with st.container(height="stretch"):  # the map and its words (for screen readers)
                    _chart(figure, f"map-{by}-scene", presentation, described[by], maps.title(by, lang), lang)
        return
    columns = st.columns(2)
    for column, (by, figure) in zip(columns, shared_figures(view, "maps").items(), strict=True):
        with column:
            _chart(figure, f"map-{by}-page", presentation, described[by], maps.title(by, lang), lang)
