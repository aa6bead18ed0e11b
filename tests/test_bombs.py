"""Decompression bombs (gzip, zip, XLSX) are problems about their file, in bounded memory and time.

The bombs are built at test time, streamed to disk in chunks (the inflated data is never held
in memory), with the builders of ``benchmarks/bombs.py`` at small sizes: a 32 MB bomb trips the
100:1 ratio limit just as a 2.2 GB one does (the benchmark runs the full size).
"""

from __future__ import annotations

import gzip
import io
import os
import shutil
import subprocess
import sys
import time
import tracemalloc
import zipfile

import pandas as pd
import pytest

from benchmarks.bombs import INCIDENTS_HEADER, INCIDENTS_ROW, gzip_bomb, xlsx_bomb, zip_bomb
from refugee_stats import importers
from refugee_stats.ingest import bounded
from refugee_stats.ingest.dataset import load
from refugee_stats.ingest.files import MemoryFile
from tests.conftest import ROOT, TODAY

SIZE = 32 * 1024 * 1024
LIMIT_MB = 300
LIMIT_SECONDS = 30
SAMPLE_INCIDENTS = 147


@pytest.fixture(autouse=True, scope="module")
def _warm() -> None:
    """Imports and first-use caches are paid before memory is traced."""
    load(ROOT / "data" / "incidents.csv", today=TODAY)


def _measured(run):
    """``run()``'s result, its peak of Python allocations (MB) and seconds."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        result = run()
        seconds = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()
    return result, peak, seconds


def _bomb_problem(data, name: str) -> dict:
    rows = data.problems[data.problems["file"].str.endswith(name)]
    assert len(rows) == 1, data.problems.to_string()
    problem = rows.iloc[0].to_dict()
    assert problem["severity"] == "error"
    assert problem["message"].startswith(name)
    assert "expands beyond" in problem["message"]
    assert problem["message"].endswith("unpack it and check it first")
    assert problem["column"] == "" and pd.isna(problem["row"])  # a whole-file problem
    return problem


BOMBS = {
    "unhcr-gz": ("asylum_decisions.csv.gz", lambda p: gzip_bomb(p, SIZE)),
    "unhcr-zip": ("asylum_decisions.zip", lambda p: zip_bomb(p, SIZE)),
    "incidents-gz": ("incidents.csv.gz", lambda p: gzip_bomb(p, SIZE, INCIDENTS_HEADER, INCIDENTS_ROW)),
    "incidents-zip": (
        "incidents.zip",
        lambda p: zip_bomb(p, SIZE, INCIDENTS_HEADER, INCIDENTS_ROW, member="incidents.csv"),
    ),
    "xlsx": ("incidents_book.xlsx", lambda p: xlsx_bomb(p, SIZE)),
}


@pytest.mark.parametrize("case", list(BOMBS))
def test_a_bomb_in_a_data_folder_is_a_problem_and_the_other_files_load(tmp_path, case):
    name, build = BOMBS[case]
    build(tmp_path / name)
    shutil.copy(ROOT / "data" / "incidents.csv", tmp_path / "incidents.csv")
    data, peak, seconds = _measured(lambda: load(tmp_path, today=TODAY))
    problem = _bomb_problem(data, name)
    assert "more than 100 times its compressed size" in problem["message"]
    assert len(data.incidents) == SAMPLE_INCIDENTS  # the user's other file still loads
    assert peak < LIMIT_MB, f"{peak:.0f} MB"
    assert seconds < LIMIT_SECONDS


@pytest.mark.parametrize("case", ["unhcr-gz", "unhcr-zip", "xlsx"])
def test_an_uploaded_bomb_is_a_problem(tmp_path, case):
    name, build = BOMBS[case]
    upload = MemoryFile(name, build(tmp_path / name).read_bytes())
    data, peak, seconds = _measured(lambda: load([upload], today=TODAY))
    _bomb_problem(data, name)
    assert peak < LIMIT_MB + len(upload.data) / 2**20
    assert seconds < LIMIT_SECONDS


def test_the_importer_reports_a_bomb_as_a_problem(tmp_path):
    path = gzip_bomb(tmp_path / "asylum_decisions.csv.gz", SIZE)
    assert importers.detect(path) == "unhcr-decisions"
    result, peak, _ = _measured(lambda: importers.read_publisher(path))
    (problem,) = result.problems
    assert problem.severity == "error" and "expands beyond" in problem.message()
    assert result.records == 0
    assert peak < LIMIT_MB


def test_the_absolute_limit_applies_to_files_that_compress_little(tmp_path, monkeypatch):
    monkeypatch.setattr(bounded, "MAX_INFLATED_BYTES", 2 * 1024 * 1024)
    monkeypatch.setattr(bounded, "MAX_ARCHIVE_BYTES", 2 * 1024 * 1024)
    rows = "".join(
        f"I-{i},2010-06,KAZ,{os.urandom(8).hex()},detention,UZB,1,0,s,,true,\n" for i in range(40_000)
    )
    path = tmp_path / "incidents.csv.gz"
    path.write_bytes(gzip.compress((INCIDENTS_HEADER + rows).encode()))
    assert path.stat().st_size * bounded.MAX_RATIO > 3 * 1024 * 1024  # under the ratio limit
    problem = _bomb_problem(load(tmp_path, today=TODAY), "incidents.csv.gz")
    assert "expands beyond 2 MB; unpack" in problem["message"]


def test_declared_zip_sizes_are_checked_before_inflating(tmp_path):
    path = zip_bomb(tmp_path / "a.zip", 20 * 1024 * 1024)
    expected = r"a\.zip \(archive member data\.csv\) expands beyond"
    with zipfile.ZipFile(path) as archive, pytest.raises(bounded.TooLarge, match=expected):
        bounded.check_zip(archive, path.stat().st_size, "a.zip")


def test_inflated_bytes_are_counted_whatever_the_headers_say():
    """A stream that says it is small but is not (a lying header) stops at the limit."""
    stream = io.BytesIO(b"0" * (12 * 1024 * 1024))
    with pytest.raises(bounded.TooLarge, match="x expands beyond 10 MB"):
        bounded.read_limited(stream, compressed=1000, what="x")
    with pytest.raises(bounded.TooLarge):
        bounded.count_limited(io.BytesIO(b"0" * (12 * 1024 * 1024)), compressed=1000)
    assert bounded.read_limited(io.BytesIO(b"abc"), compressed=1) == b"abc"  # under the floor


def test_compressed_files_in_the_projects_format_load(tmp_path):
    text = (ROOT / "data" / "incidents.csv").read_bytes()
    (tmp_path / "incidents.csv.gz").write_bytes(gzip.compress(text))
    with zipfile.ZipFile(tmp_path / "more.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("incidents.csv", text)
    for name in ("incidents.csv.gz", "more.zip"):
        data = load(tmp_path / name, today=TODAY)
        assert data.problems.empty, data.problems.to_string()
        assert len(data.incidents) == SAMPLE_INCIDENTS
        assert set(data.incidents["source_file"]) == {str(tmp_path / name)}


#: Runs ``refugee-stats validate PATH`` and prints the process's own peak memory last. The peak is
#: read from /proc (VmHWM, of this program's memory alone): the rusage of a child also counts the
#: memory of the forked test process before it became the child.
VALIDATE_AND_PEAK = """
import sys
from refugee_stats import cli
code = cli.main(["validate", sys.argv[1]])
peak = next(line for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print("peak-kb", peak.split()[1], flush=True)
sys.exit(code)
"""


def test_cli_validate_on_a_bomb_in_bounded_memory(tmp_path):
    gzip_bomb(tmp_path / "asylum_decisions.csv.gz", SIZE)
    start = time.perf_counter()
    process = subprocess.run(
        [sys.executable, "-c", VALIDATE_AND_PEAK, str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        check=False,
    )
    output = process.stdout.decode()
    assert process.returncode == 1
    assert "asylum_decisions.csv.gz::: asylum_decisions.csv.gz expands beyond" in output
    peak_kb = int(output.rsplit("peak-kb", 1)[1].split()[0])
    assert peak_kb / 1024 < LIMIT_MB + 200  # the interpreter with pandas and pyarrow: ~150 MB
    assert time.perf_counter() - start < LIMIT_SECONDS


def test_one_sessions_uploads_are_limited_in_all():
    from types import SimpleNamespace

    from refugee_stats import ui

    mb = 1024 * 1024
    files = [SimpleNamespace(name=n, size=s * mb) for n, s in (("a", 150), ("b", 200), ("c", 100), ("d", 50))]
    kept, refused = ui.within_session_limit(files)
    assert [f.name for f in kept] == ["a", "b", "d"] and refused == ["c"]
    assert ui.SESSION_UPLOAD_LIMIT_MB == 400


def test_a_bomb_stops_at_its_running_ratio_not_its_whole_files(tmp_path):
    """Incompressible bytes at the end make the file big (whole-file ratio under 100:1), but the
    bomb before them is stopped once 10 MB inflate from a few KB."""
    path = tmp_path / "asylum_decisions.csv.gz"
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb") as out:
        out.write(INCIDENTS_HEADER.encode())
        for _ in range(64):
            out.write(b"0" * (1024 * 1024))
        out.write(os.urandom(1024 * 1024))
    assert path.stat().st_size * bounded.MAX_RATIO > 65 * 1024 * 1024
    data, peak, _ = _measured(lambda: load(path, today=TODAY))
    problem = _bomb_problem(data, "asylum_decisions.csv.gz")
    assert "expands beyond 10 MB (more than 100 times its compressed size)" in problem["message"]
    assert peak < 40, f"{peak:.0f} MB"


def _declare_last_member_size(path, size: int) -> None:
    """Make the central directory lie: the last member says it inflates to ``size`` bytes."""
    data = bytearray(path.read_bytes())
    entry = data.rfind(b"PK\x01\x02")
    data[entry + 24 : entry + 28] = size.to_bytes(4, "little")
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("case", ["unhcr-zip", "xlsx"])
def test_an_archive_that_understates_its_sizes_is_still_bounded(tmp_path, case):
    name, build = BOMBS[case]
    path = build(tmp_path / name)
    _declare_last_member_size(path, 1000)
    data, peak, seconds = _measured(lambda: load(path, today=TODAY))
    (problem,) = data.problems.to_dict("records")
    assert problem["severity"] == "error" and problem["file"].endswith(name)
    assert "Traceback" not in problem["message"]
    assert peak < LIMIT_MB and seconds < LIMIT_SECONDS


def test_every_csv_of_a_zip_is_read_and_other_members_named(tmp_path):
    incidents = (ROOT / "data" / "incidents.csv").read_bytes()
    status = (ROOT / "data" / "status.csv").read_bytes()
    with zipfile.ZipFile(tmp_path / "monitoring.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("2010/incidents.csv", incidents)
        archive.writestr("2010/status.csv", status)
        archive.writestr("2010/briefing.pdf", b"%PDF-1.4")
    data = load(tmp_path / "monitoring.zip", today=TODAY)
    zipped = str(tmp_path / "monitoring.zip")
    assert data.problems[["file", "message", "severity"]].values.tolist() == [
        [zipped, "2010/briefing.pdf: not read (not CSV files)", "warning"]
    ]
    assert len(data.incidents) == SAMPLE_INCIDENTS
    assert set(data.incidents["source_file"]) == {f"{zipped} [2010/incidents.csv]"}
    assert set(data.status["source_file"]) == {f"{zipped} [2010/status.csv]"}
