"""Every backend gives the same answers: pandas over the loaded frames, DuckDB (in memory and over
Parquet) and PostgreSQL, on the same view cases, in both modes (public and not)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from refugee_stats import registry
from refugee_stats.compute import ViewData, compute, default_filters
from refugee_stats.filters import Filters
from refugee_stats.ingest.dataset import Dataset, load
from refugee_stats.sql import duck
from refugee_stats.view import Display, records, render
from tests.conftest import FOUNDING_CASE, TODAY
from tests.test_protect_properties import decision, incident, write_dataset

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"


def same_view(expected: ViewData, found: ViewData) -> None:
    """Two views agree on every number: key figures, every chart's frames (row for row and type
    for type), what protection withholds, sources, span, flags and the records kept."""
    assert found.key_figures == expected.key_figures
    assert found.key_figure_status == expected.key_figure_status
    assert set(found.charts) == set(expected.charts)
    for chart, data in expected.charts.items():
        assert set(found.charts[chart].frames) == set(data.frames), chart
        for name, frame in data.frames.items():
            pd.testing.assert_frame_equal(
                found.charts[chart][name].reset_index(drop=True),
                frame.reset_index(drop=True),
                obj=f"{chart}.{name}",
            )
        assert dict(found.charts[chart].counts) == dict(data.counts), chart
    assert found.sources == expected.sources
    assert found.x_range == expected.x_range
    assert found.illustrative == expected.illustrative
    assert (found.selection.count, found.selection.illustrative_count, found.selection.empty) == (
        expected.selection.count,
        expected.selection.illustrative_count,
        expected.selection.empty,
    )
    pd.testing.assert_frame_equal(found.timeline, expected.timeline)


def same_records(expected: ViewData, found: ViewData, limit: int | None) -> None:
    shown = [records(render(v, Display("ru")), "ru", limit=limit) for v in (expected, found)]
    pd.testing.assert_frame_equal(shown[1], shown[0])


def backends(dataset: Dataset, tmp_path: Path) -> dict:
    return {
        "duckdb": duck.in_memory(dataset),
        "parquet": duck.on_parquet(duck.write_records(dataset, tmp_path / "store"), dataset.timeline),
    }


def cases(dataset: Dataset) -> list[Filters]:
    every = default_filters(dataset)
    out = [every.with_(granularity=g) for g in ("month", "quarter", "year")]
    out += [
        FOUNDING_CASE,
        FOUNDING_CASE.with_(granularity="year"),
        every.with_(host_countries=("KAZ",)),
        every.with_(nationalities=("UZB", "AFG")),
        every.with_(types=("detention",)),
        every.with_(types=("release", "deportation"), granularity="quarter"),
        every.with_(include_illustrative=False),
        every.with_(date_from="2010-04", date_to="2010-09"),
        every.with_(host_countries=("KGZ", "TJK"), nationalities=("AFG",), granularity="quarter"),
        every.with_(nationalities=("ZZZ",)),  # nothing kept
        Filters(date_from="2009-03", date_to="2009-03"),
    ]
    return out


@pytest.fixture(scope="module")
def sample() -> Dataset:
    return load(ROOT / "data", today=TODAY)


@pytest.fixture(scope="module")
def sample_backends(tmp_path_factory, sample):
    return backends(sample, tmp_path_factory.mktemp("sample"))


@pytest.mark.parametrize("public", [False, True])
@pytest.mark.parametrize("kind", ["duckdb", "parquet"])
def test_every_view_of_the_sample_is_the_same_on_every_backend(sample, sample_backends, kind, public):
    for filters in cases(sample):
        expected = compute(sample, filters, public=public)
        found = compute(sample, filters, public=public, backend=sample_backends[kind])
        same_view(expected, found)


@pytest.mark.parametrize("kind", ["duckdb", "parquet"])
def test_records_and_their_first_page_are_the_same(sample, sample_backends, kind):
    for filters in cases(sample)[:6]:
        for public in (False, True):
            expected = compute(sample, filters, public=public)
            found = compute(sample, filters, public=public, backend=sample_backends[kind])
            for limit in (None, 7, 1000):
                same_records(expected, found, limit)


@pytest.mark.parametrize("kind", ["duckdb", "parquet"])
def test_facts_are_the_same(sample, sample_backends, kind):
    from refugee_stats.compute import PandasBackend

    pandas, other = PandasBackend(sample), sample_backends[kind]
    for column in ("host_country", "nationality"):
        assert other.codes(column) == pandas.codes(column)
    assert other.months() == pandas.months()
    for filters in cases(sample):
        assert other.default_granularity(filters) == pandas.default_granularity(filters)


def test_the_founding_case_on_duckdb(sample, sample_backends):
    """29 detained, 17 of them UNHCR refugees, 17 stripped of their status: counted by SQL."""
    found = compute(sample, FOUNDING_CASE, backend=sample_backends["parquet"])
    figures = found.key_figures
    assert (figures.people_detained, figures.unhcr_refugees, figures.revocations, figures.incidents) == (
        29,
        17,
        17,
        1,
    )
    flows = found.charts["pipeline"]["flows"].set_index(["source", "target"])["people"]
    assert (flows[("detained", "unhcr_refugees")], flows[("unhcr_refugees", "revoked")]) == (17, 17)


# A dataset with every shape the rules care about: an incident of two nationalities, unknown
# status, coarse dates, cases beside persons, a revocation and outcomes that follow detentions.
INCIDENTS = """\
incident_id,date,host_country,type,nationality,people,unhcr_refugees,follows,source,illustrative
A,2010-06,KAZ,detention,UZB,29,17,,IWPR,false
B,2010-06-20,KAZ,detention,TJK,4,,,Monitor,true
B,2010-06-20,KAZ,detention,AFG,2,1,,Monitor,true
C,2010-Q3,KGZ,detention,UZB,5,0,,HRW,false
D,2010,KAZ,detention,UZB,3,3,,HRW,false
E,2010-07-02,KAZ,deportation,UZB,6,,A,HRW,false
F,2011-01-10,KAZ,extradition,UZB,12,10,A,HRW,false
G,2010-09-01,KGZ,release,UZB,2,,C,HRW,false
"""
STATUS = """\
record_id,date,host_country,nationality,authority,decision,people,unit,incident_id,source
S1,2010-06,KAZ,UZB,national,revoked,17,persons,A,IWPR
S2,2010-08-05,KAZ,UZB,unhcr,recognized,3,persons,,UNHCR
S3,2010-Q4,KGZ,UZB,national,rejected,2,persons,C,HRW
S4,2011,KAZ,TJK,joint,applied,4,cases,,HRW
S5,2011-02,KAZ,TJK,joint,closed,1,persons,,HRW
"""


def test_a_dataset_of_every_shape_is_the_same_on_every_backend(tmp_path):
    (tmp_path / "incidents.csv").write_text(INCIDENTS, encoding="utf-8")
    (tmp_path / "status.csv").write_text(STATUS, encoding="utf-8")
    data = load(tmp_path, today=TODAY)
    assert data.errors.empty, data.errors.to_string()
    found = backends(data, tmp_path)
    every = default_filters(data)
    filters = [
        every,
        every.with_(granularity="quarter"),
        every.with_(granularity="year"),
        every.with_(nationalities=("UZB",)),
        every.with_(date_from="2010-06", date_to="2010-06"),
        every.with_(include_illustrative=False),
        every.with_(types=("detention", "extradition")),
    ]
    for f in filters:
        for public in (False, True):
            expected = compute(data, f, public=public)
            for backend in found.values():
                same_view(expected, compute(data, f, public=public, backend=backend))
    # By hand: A, B (two rows, one incident), C, D, E, F, G.
    assert compute(data, every, backend=found["duckdb"]).key_figures.incidents == 7


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(incident, min_size=0, max_size=12),
    st.lists(decision, min_size=0, max_size=6),
    st.sampled_from(["month", "quarter", "year"]),
    st.booleans(),
)
def test_generated_datasets_are_the_same_on_duckdb(rows, decisions, granularity, public):
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        data = write_dataset(Path(folder), rows, decisions)
        backend = duck.in_memory(data)
        every = default_filters(data).with_(granularity=granularity)
        for filters in (every, every.with_(nationalities=("UZB",)), every.with_(host_countries=("KGZ",))):
            same_view(
                compute(data, filters, public=public), compute(data, filters, public=public, backend=backend)
            )


def _real(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"needs {path} (the real files beside the project)")
    return path


def test_real_publishers_files_are_the_same_on_duckdb(tmp_path):
    """UK Home Office quarterly detention tables: coarse dates, no status recorded."""
    folder = _real("uk-home-office")
    files = sorted(
        p for p in folder.rglob("*") if p.suffix in (".xlsx", ".csv", ".ods") and "entering" in p.name.lower()
    )
    if not files:
        pytest.skip("no UK Home Office file of people entering detention")
    data = load(files[:1])
    assert len(data.incidents) > 0
    found = backends(data, tmp_path)
    every = default_filters(data)
    for f in (every, every.with_(granularity="year"), every.with_(nationalities=tuple(duck_codes(data)[:3]))):
        for public in (False, True):
            expected = compute(data, f, public=public)
            for backend in found.values():
                same_view(expected, compute(data, f, public=public, backend=backend))


def duck_codes(data: Dataset) -> list[str]:
    from refugee_stats.compute import PandasBackend

    return list(PandasBackend(data).codes("nationality"))


def test_a_stored_dataset_answers_through_its_backend(sample, sample_backends):
    """A dataset whose records live in a database (empty frames, a backend) gives the same views."""
    stored = dataclasses.replace(
        sample,
        incidents=sample.incidents.iloc[0:0],
        status=sample.status.iloc[0:0],
        backend=sample_backends["parquet"],
    )
    for filters in cases(sample)[:5]:
        same_view(compute(sample, filters, public=True), compute(stored, filters, public=True))
    view = render(compute(stored, FOUNDING_CASE, public=True), Display("ru", presentation=True))
    assert registry.figures(view)  # every chart draws from the database's numbers


# -- PostgreSQL: the same expressions, run by a server ------------------------------------------


@pytest.fixture(scope="module")
def sample_on_postgres(postgres_server, sample):
    import psycopg

    from refugee_stats.sql import postgres

    name = "sample_views"
    with psycopg.connect(postgres_server, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    url = postgres_server.rpartition("/")[0] + "/" + name
    postgres.load(postgres.connect(url), sample, what="the bundled sample")
    return postgres.load_database(url)


@pytest.mark.parametrize("public", [False, True])
def test_every_view_of_the_sample_is_the_same_on_postgresql(sample, sample_on_postgres, public):
    for filters in cases(sample):
        same_view(
            compute(sample, filters, public=public), compute(sample_on_postgres, filters, public=public)
        )


def test_records_and_facts_are_the_same_on_postgresql(sample, sample_on_postgres):
    from refugee_stats.compute import PandasBackend, backend_for

    for filters in cases(sample)[:6]:
        expected, found = (
            compute(sample, filters, public=True),
            compute(sample_on_postgres, filters, public=True),
        )
        for limit in (None, 7):
            same_records(expected, found, limit)
    pandas, server = PandasBackend(sample), backend_for(sample_on_postgres)
    assert server.codes("nationality") == pandas.codes("nationality")
    assert server.months() == pandas.months()
    assert [server.default_granularity(f) for f in cases(sample)] == [
        pandas.default_granularity(f) for f in cases(sample)
    ]


def test_a_dataset_of_every_shape_is_the_same_on_postgresql(tmp_path, postgres_url):
    from refugee_stats.sql import postgres

    (tmp_path / "incidents.csv").write_text(INCIDENTS, encoding="utf-8")
    (tmp_path / "status.csv").write_text(STATUS, encoding="utf-8")
    data = load(tmp_path, today=TODAY)
    postgres.load(postgres.connect(postgres_url), data)
    server = postgres.load_database(postgres_url)
    every = default_filters(data)
    for f in (
        every,
        every.with_(granularity="year"),
        every.with_(nationalities=("UZB",), include_illustrative=False),
    ):
        for public in (False, True):
            same_view(compute(data, f, public=public), compute(server, f, public=public))


def test_the_dashboard_reads_with_a_read_only_role(sample, postgres_url):
    """The app only reads: a role granted SELECT alone answers every view, and cannot write."""
    import psycopg

    from refugee_stats.sql import postgres

    postgres.load(postgres.connect(postgres_url), sample)
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        admin.execute("DROP ROLE IF EXISTS dashboard_reader")
        admin.execute("CREATE ROLE dashboard_reader LOGIN")
        admin.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO dashboard_reader")
    reader = postgres_url.replace("postgres@", "dashboard_reader@", 1)
    try:
        server = postgres.load_database(reader)
        same_view(compute(sample, FOUNDING_CASE, public=True), compute(server, FOUNDING_CASE, public=True))
        # A new load rebuilds the derived tables in place: what was granted on them stays.
        postgres.load(postgres.connect(postgres_url), sample, replace=True)
        again = postgres.load_database(reader)
        same_view(compute(sample, FOUNDING_CASE, public=True), compute(again, FOUNDING_CASE, public=True))
        with psycopg.connect(reader) as con, pytest.raises(psycopg.errors.InsufficientPrivilege):
            con.execute("DELETE FROM incidents")
    finally:
        with psycopg.connect(postgres_url, autocommit=True) as admin:
            admin.execute("REASSIGN OWNED BY dashboard_reader TO postgres")
            admin.execute("DROP OWNED BY dashboard_reader")
            admin.execute("DROP ROLE dashboard_reader")


def test_loading_again_is_refused_and_replace_loads_in_place(sample, postgres_url):
    from refugee_stats.sql import postgres

    con = postgres.connect(postgres_url)
    assert postgres.load(con, sample) == {"incidents": 147, "status": 101, "timeline": 7}
    with pytest.raises(postgres.DuplicateRecords, match="KAZ-2010-06-UZB"):
        postgres.load(con, sample)
    assert postgres.rows(con) == {"incidents": 147, "status": 101, "timeline": 7}  # nothing half-loaded
    assert postgres.version(con) == 1
    postgres.load(con, sample, replace=True)
    assert postgres.rows(con) == {"incidents": 147, "status": 101, "timeline": 7}
    assert postgres.version(con) == 2


def test_a_database_without_the_tables_says_what_to_run(postgres_url):
    from refugee_stats.sql import postgres

    with pytest.raises(LookupError, match="refugee-stats db init"):
        postgres.load_database(postgres_url)


def test_a_parquet_store_loads_into_postgresql_in_batches(sample, tmp_path, postgres_url):
    """Records already validated into Parquet go to the server batch by batch (COPY), in order."""
    from refugee_stats.sql import postgres

    folder = duck.write_records(sample, tmp_path / "store")  # incidents and status; no timeline
    con = postgres.connect(postgres_url)
    assert postgres.load_store(con, folder) == {"incidents": 147, "status": 101, "timeline": 0}
    server = postgres.load_database(postgres_url)
    for filters in cases(sample)[:4]:
        expected = compute(sample, filters, public=True, backend=duck.in_memory(sample))
        found = compute(server, filters, public=True)
        # The timeline was not loaded: everything else agrees, records in file order.
        same_view(dataclasses.replace(expected, timeline=found.timeline), found)
        same_records(expected, found, 5)
