"""Project rules checked by tests: docs match the field table, the sample is honest, layers stay apart."""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

import pandas as pd
import pytest

from refugee_stats.fields import TABLES, markdown_codes, markdown_table
from refugee_stats.filters import Filters
from refugee_stats.ingest.dataset import load
from refugee_stats.ingest.files import bundled_data_dir
from refugee_stats.view import build_view, records
from tests.conftest import ROOT, TODAY

ILLUSTRATIVE_SOURCE = "Illustrative sample record, not a real event (refugee-stats sample data)"


@pytest.fixture(scope="module")
def sample():
    return load(bundled_data_dir(), today=TODAY)


@pytest.mark.parametrize("table", TABLES)
def test_data_readme_documents_every_column(table):
    """data/README.md holds the table generated from the field metadata, word for word."""
    assert markdown_table(table) in (ROOT / "data" / "README.md").read_text(encoding="utf-8")


def test_data_readme_lists_every_extra_code():
    """data/README.md holds the table of codes outside ISO 3166-1, generated from countries.EXTRA_CODES."""
    assert markdown_codes() in (ROOT / "data" / "README.md").read_text(encoding="utf-8")


def test_data_readme_holds_the_database_tables():
    """data/README.md holds the tables `refugee-stats db init` creates, generated from the field metadata."""
    from refugee_stats.sql.postgres import markdown_database

    assert markdown_database() in (ROOT / "data" / "README.md").read_text(encoding="utf-8")


def test_readme_quickstart_is_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quickstart = readme.split("## Quickstart", 1)[1].split("##", 1)[0]
    block = quickstart.split("```", 2)[1].strip().splitlines()
    assert block == ["uv run streamlit run dashboard.py", "uv run pytest"]
    assert "Python >= 3.11" in quickstart and "uv" in quickstart


def test_ci_runs_the_readme_test_command():
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "uv run pytest" in script and "pip install" in script


def test_sample_loads_clean(sample):
    assert sample.problems.empty, sample.problems.to_string()
    assert len(sample.incidents) > 100 and len(sample.status) > 50 and len(sample.timeline) >= 2


def test_sample_real_records_are_the_founding_case(sample):
    real = sample.incidents[~sample.incidents["illustrative"]]
    assert real[
        ["incident_id", "date", "host_country", "nationality", "type", "people", "unhcr_refugees"]
    ].values.tolist() == [["KAZ-2010-06-UZB", "2010-06", "KAZ", "UZB", "detention", 29, 17]]
    revoked = sample.status[~sample.status["illustrative"]]
    assert revoked[["incident_id", "authority", "decision", "people"]].values.tolist() == [
        ["KAZ-2010-06-UZB", "national", "revoked", 17]
    ]
    assert real["source"].str.startswith("IWPR").all() and revoked["source"].str.startswith("IWPR").all()
    labels = sample.timeline["label"].tolist()
    assert "Kazakhstan moves refugee-status decisions from UNHCR to national authorities" in labels
    conference = sample.timeline[sample.timeline["label"].str.contains("Almaty")]
    assert conference[["date", "date_end"]].astype(str).values.tolist() == [["2011-03-15", "2011-03-16"]]


def test_sample_illustrative_records_say_so(sample):
    for frame in (sample.incidents, sample.status):
        made_up = frame[frame["illustrative"]]
        assert (made_up["source"] == ILLUSTRATIVE_SOURCE).all()
        assert made_up.iloc[:, 0].str.startswith("ILL-").all()
        assert made_up["date_start"].min() >= pd.Timestamp("2008-01-01")
        assert made_up["date_end"].max() <= pd.Timestamp("2012-12-31")
    assert set(sample.incidents["type"]) == {
        "detention",
        "release",
        "extradition",
        "deportation",
        "forced_return",
    }
    assert set(sample.status["decision"]) == {
        "applied",
        "recognized",
        "complementary",
        "rejected",
        "revoked",
        "closed",
    }
    assert set(sample.incidents["host_country"]) == {"KAZ", "KGZ", "TJK", "TKM", "UZB"}


def test_founding_case_in_view(sample):
    view = build_view(
        sample,
        Filters(host_countries=("KAZ",), nationalities=("UZB",), date_from="2010-06", date_to="2010-06"),
    )
    assert (
        view.key_figures.people_detained,
        view.key_figures.unhcr_refugees,
        view.key_figures.revocations,
    ) == (
        29,
        17,
        17,
    )
    assert not view.illustrative
    table = records(view)
    assert table["reference"].tolist() == ["incidents.csv:2", "status.csv:2"]
    assert table["what"].tolist() == ["detention", "National authority: Revoked"]
    assert records(view, "ru")["what"].tolist() == ["задержание", "Национальный орган: Лишён статуса"]


def test_streamlit_is_banned_outside_the_ui_by_ruff():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    lint = config["tool"]["ruff"]["lint"]
    assert "TID" in lint["select"]
    assert "streamlit" in lint["flake8-tidy-imports"]["banned-api"]
    assert set(lint["per-file-ignores"]) >= {"dashboard.py", "refugee_stats/ui/**"}


def test_data_layer_imports_without_streamlit():
    code = (
        "import sys, refugee_stats.cli, refugee_stats.view, refugee_stats.charts;"
        "assert 'streamlit' not in sys.modules, 'streamlit imported by the data layer'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_streamlit_listens_on_localhost_only():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["address"] == "localhost"
    assert config["browser"]["gatherUsageStats"] is False


def _imports(path: Path, modules: set[str]) -> set[str]:
    """The project modules a module imports (anywhere in it, late imports too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            subs = {f"{node.module}.{a.name}" for a in node.names} & modules
            # "from package import submodule" runs the submodule, not the rest of the package
            found |= subs if len(subs) == len(node.names) else {node.module, *subs}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
    return found & modules


def test_no_module_imports_itself_through_others():
    package = ROOT / "refugee_stats"
    paths = {}
    for path in package.rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        paths[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    graph = {name: _imports(path, set(paths)) - {name} for name, path in paths.items()}
    cycles = []
    for start in graph:  # a depth-first search from each module back to itself
        stack, seen = [(start, (start,))], set()
        while stack:
            name, trail = stack.pop()
            for nxt in graph[name]:
                if nxt == start:
                    cycles.append(" -> ".join((*trail, start)))
                elif nxt not in seen:
                    seen.add(nxt)
                    stack.append((nxt, (*trail, nxt)))
    assert cycles == []
