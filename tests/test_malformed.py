"""A corpus of malformed files, each with its expected problems: no crash, clear messages, other data kept."""

from __future__ import annotations

import csv
import io
import shutil
import time
from pathlib import Path

import pandas as pd
import pytest

from refugee_stats.load import bundled_data_dir, load
from tests.conftest import TODAY

CORPUS = Path(__file__).resolve().parent / "malformed"
EXPECTED = list(csv.DictReader((CORPUS / "expected.csv").open(encoding="utf-8")))
FILES = sorted(p.name for p in CORPUS.iterdir() if p.name != "expected.csv")
HEADER = "incident_id,date,host_country,type,nationality,people,unhcr_refugees,source"


def problems_of(data) -> list[tuple[str, str, str, str]]:
    p = data.problems
    return sorted(
        (Path(f).name, "" if pd.isna(r) else str(int(r)), c, s)
        for f, r, c, s in zip(p["file"], p["row"], p["column"], p["severity"], strict=True)
    )


def test_the_corpus_is_large_enough():
    assert len(FILES) >= 30


@pytest.mark.parametrize("name", FILES)
def test_each_file_alone_gives_exactly_its_problems(tmp_path, name):
    shutil.copy(CORPUS / name, tmp_path / name)
    data = load(tmp_path, today=TODAY)
    expected = [e for e in EXPECTED if e["file"] == name]
    assert problems_of(data) == sorted((e["file"], e["row"], e["column"], e["severity"]) for e in expected)
    for e in expected:
        messages = data.problems.loc[data.problems["column"] == e["column"], "message"]
        assert any(e["message_contains"] in m for m in messages), (e, list(messages))


@pytest.mark.parametrize("name", FILES)
def test_each_file_beside_the_sample_keeps_the_sample(tmp_path, name):
    sample = load(bundled_data_dir(), today=TODAY)
    for path in bundled_data_dir().glob("*.csv"):
        shutil.copy(path, tmp_path / path.name)
    shutil.copy(CORPUS / name, tmp_path / name)
    data = load(tmp_path, today=TODAY)
    # Rows from the sample are all still there (a broken file never takes the others down).
    for table in ("incidents", "status", "timeline"):
        kept = getattr(data, table)
        kept = kept[kept["source_file"].str.endswith(f"{table}.csv")]
        assert len(kept) == len(getattr(sample, table)), table


def test_formula_cells_are_kept_as_text(tmp_path):
    shutil.copy(CORPUS / "incidents_formula_cells.csv", tmp_path / "incidents.csv")
    data = load(tmp_path, today=TODAY)
    assert data.problems.empty
    assert data.incidents["source"].tolist() == ["=cmd|' /C calc'!A0"]
    assert data.incidents["notes"].tolist() == ["@SUM(1)"]


def test_100k_rows_with_one_bad_row_at_the_end(tmp_path):
    rows = [HEADER] + [
        f"I{i},2010-06-{i % 28 + 1:02d},KAZ,detention,UZB,{i % 9 + 1},,X" for i in range(99_999)
    ]
    rows.append("BAD,2010-06-01,KAZ,detention,UZB,-1,,X")
    (tmp_path / "incidents.csv").write_text("\n".join(rows) + "\n")
    started = time.perf_counter()
    data = load(tmp_path, today=TODAY)
    seconds = time.perf_counter() - started
    assert problems_of(data) == [("incidents.csv", "100001", "people", "error")]
    assert len(data.incidents) == 99_999
    print(f"100k-row file loaded in {seconds:.2f} s")


def test_a_huge_single_line(tmp_path):
    (tmp_path / "incidents.csv").write_text(
        HEADER + ",notes\nA1,2010,KAZ,detention,UZB,3,,X," + "x" * 5_000_000 + "\n"
    )
    data = load(tmp_path, today=TODAY)
    assert data.problems.empty
    assert len(data.incidents.loc[0, "notes"]) == 5_000_000


def test_a_truncated_workbook(tmp_path):
    buffer = io.BytesIO()
    pd.DataFrame(
        {
            "incident_id": ["A"],
            "date": ["2010"],
            "host_country": ["KAZ"],
            "type": ["detention"],
            "nationality": ["UZB"],
            "people": [3],
            "source": ["X"],
        }
    ).to_excel(buffer, index=False)
    (tmp_path / "incidents.xlsx").write_bytes(buffer.getvalue()[: len(buffer.getvalue()) // 2])
    data = load(tmp_path, today=TODAY)
    assert problems_of(data) == [("incidents.xlsx", "", "", "error")]
    assert "xlsx" in data.problems["message"].iloc[0]
