"""Streaming CSV files into a store gives exactly what ``load`` gives: the same typed frames and the
same problems (file, row, column, value, message, in the same order), whatever the chunk size.

Chunks of a few rows put chunk edges everywhere: between a row and its duplicate, inside a
run of bad rows, beside a cell that spans lines. Files the streaming reader cannot read as
the csv module would are read in memory instead, and still give ``load``'s answer.
"""

from __future__ import annotations

import csv
import gzip
import io
import os
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks import generate
from refugee_stats.fields import TABLES
from refugee_stats.ingest import stream
from refugee_stats.ingest.dataset import Dataset, load
from refugee_stats.ingest.files import MemoryFile
from refugee_stats.ingest.stream import DEFAULT_CHUNK_ROWS, stream_to_store
from refugee_stats.store.cache import StoreSummary, read_store
from tests.conftest import ROOT, TODAY

CORPUS = ROOT / "tests" / "corpus"
CORPUS_CASES = sorted(p.name for p in CORPUS.iterdir() if p.name != "expected.csv")
FIXTURES = ROOT / "tests" / "fixtures" / "importers"
SHARED = ROOT.parent / "shared" / "data"

INCIDENTS = "incident_id,date,host_country,type,nationality,people,follows,source,notes"


def streamed(paths, folder: Path, chunk_rows: int, **options) -> tuple[Dataset, StoreSummary]:
    summary = stream_to_store(paths, folder / "store", chunk_rows=chunk_rows, today=TODAY, **options)
    return read_store(summary.folder), summary


def same_as_load(paths, folder: Path, chunk_rows: int, **options) -> tuple[Dataset, StoreSummary]:
    """Stream ``paths`` into a store and check it holds exactly what ``load`` gives."""
    expected = load(paths, today=TODAY, allow_personal_data=options.get("allow_personal_data", False))
    found, summary = streamed(paths, folder, chunk_rows, **options)
    for table in TABLES:
        pd.testing.assert_frame_equal(getattr(found, table), getattr(expected, table), obj=table)
    pd.testing.assert_frame_equal(found.problems, expected.problems)
    assert found.found == expected.found
    assert found.files == expected.files
    assert summary.rows == {t: len(getattr(expected, t)) for t in TABLES}
    severity = expected.problems["severity"]
    assert (summary.errors, summary.warnings) == ((severity == "error").sum(), (severity == "warning").sum())
    return found, summary


def lines(*rows: str) -> str:
    return "\n".join(rows) + "\n"


def problems_of(data: Dataset) -> list[tuple]:
    p = data.problems
    return [
        (Path(f).name, None if pd.isna(r) else int(r), c, v, m)
        for f, r, c, v, m in zip(p["file"], p["row"], p["column"], p["value"], p["message"], strict=True)
    ]


# -- the sample, the corpus, synthetic data -----------------------------------------------------------


@pytest.mark.parametrize("chunk_rows", [7, DEFAULT_CHUNK_ROWS])
def test_the_sample_streamed_is_the_sample_loaded(tmp_path, chunk_rows):
    _, summary = same_as_load(ROOT / "data", tmp_path, chunk_rows)
    assert [Path(f).name for f in summary.streamed] == ["incidents.csv", "status.csv", "timeline.csv"]
    assert summary.rows["incidents"] > 100


@pytest.mark.parametrize("name", CORPUS_CASES)
def test_each_corpus_case_streamed_in_chunks_of_two_rows(tmp_path, name):
    same_as_load(CORPUS / name, tmp_path, 2)


@pytest.mark.parametrize("name", CORPUS_CASES)
def test_each_corpus_case_beside_the_sample(tmp_path, name):
    folder = tmp_path / "data"
    shutil.copytree(ROOT / "data", folder)
    source = CORPUS / name
    for path in sorted(source.iterdir()) if source.is_dir() else [source]:
        shutil.copy(path, folder / path.name)
    same_as_load(folder, tmp_path, 100)


def synthetic(folder: Path, rows: int, seed: int) -> None:
    """The benchmarks' generated files at a small size, with many more bad cells, repeated keys and
    ``follows`` links (some to detentions, some to nothing, some too many)."""
    incidents = generate.incidents(rows, seed)
    rng = np.random.default_rng(seed)
    ids = incidents["incident_id"]
    links = rng.random(rows) < 0.15
    follows = pc.if_else(
        pa.array(links), ids.take(pa.array(rng.integers(0, rows, rows))), pa.scalar(None, pa.string())
    )
    follows = pc.if_else(pa.array(rng.random(rows) < 0.01), pa.scalar("I99999999"), follows)
    incidents = incidents.append_column("follows", follows)
    for name, bad in (("date", "2010-13"), ("people", "0"), ("nationality", "Atlantis"), ("incident_id", "")):
        mask = pa.array(rng.random(rows) < 0.01)
        incidents = incidents.set_column(
            incidents.schema.get_field_index(name), name, pc.if_else(mask, pa.scalar(bad), incidents[name])
        )
    repeated = incidents.take(pa.array(rng.integers(0, rows, rows // 50)))
    incidents = pa.concat_tables([incidents, repeated])
    status = generate.status(rows, seed, pc.unique(ids.combine_chunks()))
    options = pcsv.WriteOptions(quoting_style="needed")
    pcsv.write_csv(incidents, folder / "incidents.csv", write_options=options)
    buffer = io.BytesIO()
    pcsv.write_csv(status, buffer, write_options=options)
    (folder / "status.csv.gz").write_bytes(gzip.compress(buffer.getvalue()))
    pcsv.write_csv(generate.TIMELINE, folder / "timeline.csv", write_options=options)


@pytest.mark.parametrize(("rows", "chunk_rows", "seed"), [(3000, 512, 7), (2000, 333, 11)])
def test_synthetic_data_streamed_is_synthetic_data_loaded(tmp_path, rows, chunk_rows, seed):
    folder = tmp_path / "data"
    folder.mkdir()
    synthetic(folder, rows, seed)
    found, summary = same_as_load(folder, tmp_path, chunk_rows)
    assert {Path(f).name for f in summary.streamed} == {"incidents.csv", "status.csv.gz", "timeline.csv"}
    kinds = set(found.problems["message"].str.split(";").str[0])
    assert {"duplicate row for this incident_id and nationality", "required cell is empty"} <= kinds
    assert any("no incident with this incident_id" in m for m in kinds)
    assert summary.warnings > 0  # follows warnings


# -- chunk edges, told by hand --------------------------------------------------------------------


def test_problems_at_chunk_edges_name_the_files_rows(tmp_path, monkeypatch):
    (tmp_path / "incidents.csv").write_text(
        lines(
            INCIDENTS,
            "A,2010-06,KAZ,detention,UZB,3,,s,",  # 2
            "B,2010-07,KAZ,detention,TJK,2,,s,",  # 3
            "C,2010-13,KAZ,detention,UZB,1,,s,",  # 4: the last row of the first chunk
            "D,2010-08,KAZ,detention,UZB,many,,s,",  # 5: the first row of the second
            'E,2010-09,KAZ,detention,UZB,1,,s,"line one',  # 6: a cell over two lines...
            'line two"',
            "A,2010-10,KAZ,detention,Uzbekistan,4,,s,",  # 7: A and UZB again, three rows on
            "F,2010-11,KAZ,release,UZB,2,A,s,",  # 8
            "G,2010-12,KAZ,release,UZB,2,Z,s,",  # 9: follows no incident
        )
    )
    sizes = []
    validate = stream.validate

    def counting(table, raw, *args, **kwargs):
        sizes.append(len(raw))
        return validate(table, raw, *args, **kwargs)

    monkeypatch.setattr(stream, "validate", counting)
    found, summary = same_as_load(tmp_path / "incidents.csv", tmp_path, 3)
    assert sizes == [3, 3, 2]  # never more than chunk_rows rows at a time
    assert problems_of(found) == [
        ("incidents.csv", 4, "date", "2010-13", "not a date; expected YYYY-MM-DD, YYYY-MM, YYYY-Qn or YYYY"),
        ("incidents.csv", 5, "people", "many", "not a number; expected a whole number >= 1"),
        ("incidents.csv", 7, "incident_id", "A", "duplicate row for this incident_id and nationality"),
        ("incidents.csv", 9, "follows", "Z", "no incident with this incident_id in incidents.csv"),
    ]
    assert found.incidents["source_row"].tolist() == [2, 3, 6, 8]
    assert found.incidents["notes"].tolist()[2] == "line one\nline two"
    assert summary.rows["incidents"] == 4


def test_a_missing_column_is_told_once_and_every_cell_still_checked(tmp_path):
    (tmp_path / "incidents.csv").write_text(
        lines(
            "incident_id,date,host_country,type,nationality,people",
            *(f"I{i},2010-0{i},KAZ,detention,UZB,{i}" for i in range(1, 8)),
            "I1,2010-13,KAZ,detention,UZB,1",
        )
    )
    found, _ = same_as_load(tmp_path / "incidents.csv", tmp_path, 2)
    assert problems_of(found) == [
        ("incidents.csv", None, "source", "", "required column is missing"),
        ("incidents.csv", 9, "incident_id", "I1", "duplicate row for this incident_id and nationality"),
        ("incidents.csv", 9, "date", "2010-13", "not a date; expected YYYY-MM-DD, YYYY-MM, YYYY-Qn or YYYY"),
    ]
    assert found.incidents.empty


def test_an_unnamed_column_with_text_only_in_the_last_chunk(tmp_path):
    rows = [f"I{i},2010,KAZ,detention,UZB,1,s," for i in range(1, 8)]
    rows[-1] += "late"
    (tmp_path / "incidents.csv").write_text(
        lines("incident_id,date,host_country,type,nationality,people,source,", *rows)
    )
    found, _ = same_as_load(tmp_path / "incidents.csv", tmp_path, 3)
    assert problems_of(found) == [
        ("incidents.csv", 1, "", "", "column 8 has no name; it is ignored"),
    ]
    assert len(found.incidents) == 7


@pytest.mark.parametrize("allow", [False, True])
def test_a_personal_column_refuses_or_drops_as_load_does(tmp_path, allow):
    (tmp_path / "incidents.csv").write_text(
        lines(INCIDENTS + ",passport_no,", *(f"I{i},2010,KAZ,detention,UZB,1,,s,,X{i}," for i in range(9)))
    )
    found, _ = same_as_load(tmp_path / "incidents.csv", tmp_path, 4, allow_personal_data=allow)
    assert len(found.incidents) == (9 if allow else 0)
    assert "passport_no" not in found.incidents
    assert [p.severity for p in found.found] == ["warning" if allow else "error"]


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        pytest.param(lines(INCIDENTS), 0, id="header only"),
        pytest.param(lines(INCIDENTS, "", ",,,,,,,,", "A,2010,KAZ,detention,UZB,1,,s,"), 1, id="blank rows"),
        pytest.param(lines(",,,", "A,B,C,D"), 0, id="no header"),
        pytest.param(lines("what,is,this", "1,2,3", "4,5,6"), 0, id="unknown table"),
    ],
)
def test_files_without_rows_to_keep(tmp_path, text, kept):
    (tmp_path / "mystery.csv").write_text(text)
    found, _ = same_as_load(tmp_path / "mystery.csv", tmp_path, 1)
    assert len(found.incidents) == kept


def test_checks_across_files(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "incidents_a.csv").write_text(
        lines(
            INCIDENTS,
            "D1,2010-06,KAZ,detention,UZB,3,,s,",  # 2
            "R1,2010-07,KAZ,release,UZB,2,D1,s,",  # 3
            "R2,2010-08,KAZ,deportation,UZB,2,D1,s,",  # 4: 4 of the 3 held
            "R3,2010-09,KAZ,release,TJK,1,D1,s,",  # 5: D1 held no Tajik
            "D3,2010-09,KAZ,detention,UZB,1,D1,s,",  # 6: a detention that follows
            "R4,2010-10,KAZ,release,UZB,1,D2,s,",  # 7: D2 is in the other file
        )
    )
    (data / "incidents_b.csv").write_text(
        lines(
            INCIDENTS,
            "D2,2011-01,KGZ,detention,UZB,5,,s,",  # 2
            "D1,2011-02,KGZ,detention,UZB,9,,s,",  # 3: D1 and UZB are in the first file
        )
    )
    (data / "status.csv").write_text(
        lines(
            "record_id,date,host_country,nationality,authority,decision,people,incident_id,source",
            "S1,2010-06,KAZ,UZB,national,revoked,3,D1,s",
            "S2,2011-06,KGZ,UZB,national,revoked,2,D2,s",
            "S3,2011-06,KGZ,UZB,national,revoked,2,NOPE,s",
            "S1,2011-07,KGZ,UZB,national,applied,2,,s",
        )
    )
    found, _ = same_as_load(data, tmp_path, 2)
    assert problems_of(found) == [
        (
            "incidents_a.csv",
            4,
            "follows",
            "D1",
            "the outcomes after this detention count 4 people, more than the 3 it held: the status pipeline counts 3 at most",
        ),
        (
            "incidents_a.csv",
            5,
            "follows",
            "D1",
            "names no detention of nationality TJK: the record is counted, but not on the status pipeline",
        ),
        (
            "incidents_a.csv",
            6,
            "follows",
            "D1",
            "a detention follows no other incident (follows is for a release, extradition, deportation or forced return): the link is not used",
        ),
        (
            "incidents_b.csv",
            3,
            "incident_id",
            "D1",
            "duplicate of a row in another file; row left out",
        ),
        ("status.csv", 4, "incident_id", "NOPE", "no incident with this incident_id in incidents.csv"),
        ("status.csv", 5, "record_id", "S1", "duplicate value; must be unique in the file"),
    ]
    assert found.status["record_id"].tolist() == ["S1", "S2"]


def test_status_references_without_any_incidents_file(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    for name in ("status_a.csv", "status_b.csv"):
        (data / name).write_text(
            lines(
                "record_id,date,host_country,nationality,authority,decision,people,incident_id,source",
                "S1,2010-06,KAZ,UZB,national,revoked,3,D1,s"
                if name == "status_a.csv"
                else "S2,2010,KAZ,UZB,unhcr,applied,1,,s",
            )
        )
    found, _ = same_as_load(data, tmp_path, 1)
    assert [(Path(p.file).name, p.row, p.column, p.key) for p in found.found] == [
        ("status_a.csv", None, "incident_id", "problem_ids_not_checked"),
        ("status_b.csv", None, "incident_id", "problem_ids_not_checked"),
    ]


# -- files read in memory instead --------------------------------------------------------------------


def ten_rows(n: int = 10) -> list[bytes]:
    return [
        INCIDENTS.encode(),
        *(f"I{i},2010-0{i % 9 + 1},KAZ,detention,UZB,{i % 7 + 1},,s,n".encode() for i in range(n)),
    ]


def _changed(row: int, change) -> bytes:
    rows = ten_rows()
    rows[row] = change(rows[row])
    return b"\n".join(rows) + b"\n"


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(_changed(8, lambda r: r.replace(b",n", b",n\x00n")), id="NUL byte"),
        pytest.param(
            b"\n".join([*ten_rows(400)[:300], b"I1,2010,KAZ,detention,UZB,1,,s,\x00", *ten_rows(400)[300:]]),
            id="NUL byte past the first chunks",
        ),
        pytest.param(
            b'incident_id,date,"host\ncountry",type\n' + b"A,2010,KAZ,detention\n",
            id="a header over two lines",
        ),
        pytest.param(_changed(9, lambda r: r + b",extra,cells"), id="a row too long late"),
        pytest.param(_changed(8, lambda r: r.replace(b",n", b",caf\xe9")), id="a Latin-1 byte late"),
        pytest.param(
            b"\n".join(ten_rows()) + b'\nI11,2010,KAZ,detention,UZB,1,,s,"open\n', id="a quote never closed"
        ),
        pytest.param(b"sep=,\n" + b"\n".join(ten_rows()) + b"\n", id="Excel's sep line"),
        pytest.param(
            "\n".join(r.decode() for r in ten_rows()).replace(",n", ",Алматы").encode("cp1251"), id="cp1251"
        ),
        pytest.param(b"\r".join(ten_rows()), id="carriage returns only"),
    ],
)
def test_files_arrow_cannot_read_as_the_csv_module_are_read_in_memory(tmp_path, data):
    (tmp_path / "incidents.csv").write_bytes(data)
    _, summary = same_as_load(tmp_path / "incidents.csv", tmp_path, 2)
    assert summary.streamed == ()


@pytest.mark.parametrize(("cell_mb", "streams"), [(6, True), (40, False)])
def test_a_record_longer_than_a_block(tmp_path, cell_mb, streams):
    # Longer than the streaming reader's blocks: read again with the in-memory reader's; longer
    # than those too: Arrow cannot read it, and the csv module does, as load does.
    rows = ten_rows()
    rows[5] = rows[5].replace(b",n", b"," + b"long " * (cell_mb * 2**20 // 5))
    (tmp_path / "incidents.csv").write_bytes(b"\n".join(rows) + b"\n")
    found, summary = same_as_load(tmp_path / "incidents.csv", tmp_path, 4)
    assert summary.streamed == ((str(tmp_path / "incidents.csv"),) if streams else ())
    assert len(found.incidents["notes"][4]) > cell_mb * 2**20 - 5


def test_a_file_whose_start_cannot_be_read_is_left_to_the_in_memory_reading(tmp_path, monkeypatch):
    (tmp_path / "incidents.csv.gz").write_bytes(gzip.compress(b"\n".join(ten_rows()) + b"\n"))

    def unreadable(path):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(stream, "_gzipped", unreadable)
    _, summary = same_as_load(tmp_path / "incidents.csv.gz", tmp_path, 3)
    assert summary.streamed == ()


def test_gzip_is_inflated_a_chunk_at_a_time_within_the_ratio_limit(tmp_path):
    data = b"\n".join(ten_rows(50_000)) + b"\n"
    (tmp_path / "incidents.csv.gz").write_bytes(gzip.compress(data))
    with io.BufferedReader(stream._Inflating(tmp_path / "incidents.csv.gz"), 1000) as handle:
        assert handle.read(10) == data[:10]
        assert handle.read() == data[10:]
    (tmp_path / "bomb.csv.gz").write_bytes(gzip.compress(b"0" * (30 * 2**20)))
    with (
        pytest.raises(stream.bounded.TooLarge),
        io.BufferedReader(stream._Inflating(tmp_path / "bomb.csv.gz")) as bomb,
    ):
        bomb.read()


def test_gzip_files_are_inflated_as_they_are_read(tmp_path):
    (tmp_path / "incidents.csv.gz").write_bytes(gzip.compress(b"\n".join(ten_rows()) + b"\n"))
    found, summary = same_as_load(tmp_path / "incidents.csv.gz", tmp_path, 3)
    assert summary.streamed == (str(tmp_path / "incidents.csv.gz"),)
    assert found.incidents["source_file"].unique().tolist() == [str(tmp_path / "incidents.csv.gz")]
    assert len(found.incidents) == 10


def test_a_gzip_bomb_is_one_problem_as_load_tells_it(tmp_path):
    head = INCIDENTS.encode() + b"\n" + b"A,2010,KAZ,detention,UZB,1,,s," + b"x" * (40 * 2**20) + b"\n"
    (tmp_path / "incidents.csv.gz").write_bytes(gzip.compress(head, compresslevel=9))
    found, _ = same_as_load(tmp_path / "incidents.csv.gz", tmp_path, 3)
    assert [p.key for p in found.found] == ["problem_too_large_ratio"]
    assert found.incidents.empty


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(lambda b: b[: len(b) // 2], id="cut short"),
        pytest.param(lambda b: b[:10] + b"\xff" * 40 + b[50:], id="damaged"),
        pytest.param(lambda b: b"\x1f\x8b not gzip at all", id="gzip magic only"),
    ],
)
def test_a_damaged_gzip_file_is_told_as_load_tells_it(tmp_path, data):
    packed = gzip.compress(b"\n".join(ten_rows() * 400) + b"\n")
    (tmp_path / "incidents.csv.gz").write_bytes(data(packed))
    found, _ = same_as_load(tmp_path / "incidents.csv.gz", tmp_path, 3)
    assert found.problems["severity"].tolist() == ["error"]


def test_a_file_named_gz_that_is_not_gzip_is_read_as_it_is(tmp_path):
    (tmp_path / "incidents.gz").write_bytes(b"\n".join(ten_rows()) + b"\n")
    _, summary = same_as_load(tmp_path / "incidents.gz", tmp_path, 4)
    assert summary.streamed == (str(tmp_path / "incidents.gz"),)


def test_workbooks_publishers_files_and_uploads_beside_streamed_files(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "incidents.csv").write_bytes(b"\n".join(ten_rows()) + b"\n")
    pd.DataFrame([r.decode().split(",") for r in ten_rows()[1:4]], columns=INCIDENTS.split(",")).assign(
        incident_id=["X1", "X2", "I3"]
    ).to_excel(folder / "incidents_more.xlsx", index=False)
    shutil.copy(FIXTURES / "hxl_incidents.csv", folder / "hxl_incidents.csv")
    shutil.copy(FIXTURES / "unhcr_decisions_api.csv", folder / "decisions.csv")
    upload = MemoryFile("incidents_upload.csv", b"\n".join(ten_rows()[:3]) + b"\n")
    found, summary = same_as_load([folder, upload], tmp_path, 3)
    assert summary.streamed == (str(folder / "incidents.csv"),)
    assert "problem_duplicate_across_files" in {p.key for p in found.found}
    assert len(found.status) > 0


def test_missing_files_broken_links_and_folders(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "incidents.csv").write_bytes(b"\n".join(ten_rows()) + b"\n")
    os.symlink(tmp_path / "nowhere.csv", folder / "status.csv")
    (folder / "timeline.csv").mkdir()
    same_as_load([folder, tmp_path / "missing.csv", folder / "status.csv"], tmp_path, 4)


def test_a_file_that_fails_while_streaming_is_read_again_in_memory(tmp_path, monkeypatch):
    (tmp_path / "incidents.csv").write_bytes(b"\n".join(ten_rows()) + b"\n")

    def unreadable(self, path):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(stream._Builder, "_source", unreadable)
    _, summary = same_as_load(tmp_path / "incidents.csv", tmp_path, 3)
    assert summary.streamed == ()


# -- the store ------------------------------------------------------------------------------------


def test_problems_written_in_many_batches_come_out_in_loads_order(tmp_path, monkeypatch):
    monkeypatch.setattr(stream, "_PROBLEM_BATCH", 3)
    found, _ = same_as_load(CORPUS / "incidents_bad_counts.csv", tmp_path, 2)
    assert len(found.found) > 6


def test_problems_in_every_language(tmp_path):
    expected = load(CORPUS / "incidents_bad_counts.csv", today=TODAY)
    found, _ = streamed(CORPUS / "incidents_bad_counts.csv", tmp_path, 2)
    for lang in ("en", "ru", "kk"):
        pd.testing.assert_frame_equal(found.problems_in(lang), expected.problems_in(lang))


def test_a_store_already_built_is_kept_and_summarised(tmp_path):
    first = stream_to_store(ROOT / "data", tmp_path / "store", chunk_rows=50, today=TODAY)
    again = stream_to_store(
        CORPUS / "incidents_bad_counts.csv", tmp_path / "store", chunk_rows=50, today=TODAY
    )
    assert again == first
    assert [p.name for p in tmp_path.iterdir()] == ["store"]


def test_a_failed_build_leaves_nothing(tmp_path, monkeypatch):
    def broken(self):
        raise RuntimeError("interrupted")

    monkeypatch.setattr(stream._Builder, "finish", broken)
    with pytest.raises(RuntimeError, match="interrupted"):
        stream_to_store(ROOT / "data", tmp_path / "store", today=TODAY)
    assert list(tmp_path.iterdir()) == []


def test_chunk_rows_must_be_positive(tmp_path):
    with pytest.raises(ValueError, match="chunk_rows"):
        stream_to_store(ROOT / "data", tmp_path / "store", chunk_rows=0)


def test_the_store_holds_only_its_files(tmp_path):
    stream_to_store(ROOT / "data", tmp_path / "store", chunk_rows=20, today=TODAY)
    assert sorted(p.name for p in (tmp_path / "store").iterdir()) == [
        "incidents.parquet",
        "meta.json",
        "problems.parquet",
        "status.parquet",
        "stocks.parquet",
        "timeline.parquet",
    ]


@pytest.mark.parametrize(
    "parts",
    [
        ("unhcr", "asylum_decisions_central_asia.csv"),
        ("unhcr", "population_central_asia.csv"),
        ("us-ice-seattle", "bookins_with_state.csv"),
    ],
)
def test_real_publishers_files(tmp_path, parts):
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not here (the shared data folder sits beside the project)")
    same_as_load(path, tmp_path, 1000)


# -- any small file -----------------------------------------------------------------------------------

CELLS = {
    "incident_id": ["A", "B", "C", "", " A "],
    "date": ["2010-06", "2011-Q2", "2012", "2010-13", "2030-01", "1899", ""],
    "host_country": ["KAZ", "Kazakhstan", "Atlantis", "NA", ""],
    "type": ["detention", "release", "Forced Return", "bogus", ""],
    "nationality": ["UZB", "Uzbekistan", "TJK", "na", ""],
    "people": ["1", "3", "0", "2.5", "many", ""],
    "unhcr_refugees": ["", "0", "1", "5"],
    "follows": ["", "", "A", "B", "Z"],
    "source": ["s", "", 'a "quoted", cell', "two\nlines"],
    "illustrative": ["", "true", "maybe"],
    "record_id": ["R1", "R2", "R1", ""],
    "authority": ["unhcr", "national", "bad"],
    "decision": ["applied", "revoked", "x"],
    "unit": ["", "persons", "cases", "x"],
}
INCIDENT_COLUMNS = [
    "incident_id",
    "date",
    "host_country",
    "type",
    "nationality",
    "people",
    "unhcr_refugees",
    "follows",
    "source",
    "illustrative",
]
STATUS_COLUMNS = [
    "record_id",
    "date",
    "host_country",
    "nationality",
    "authority",
    "decision",
    "people",
    "unit",
    "incident_id",
    "source",
]


@st.composite
def data_files(draw) -> dict[str, str]:
    files = {}
    for i in range(draw(st.integers(1, 3))):
        table = draw(st.sampled_from(["incidents", "status"]))
        columns = draw(st.permutations(INCIDENT_COLUMNS if table == "incidents" else STATUS_COLUMNS))
        columns = columns[: draw(st.integers(len(columns) - 2, len(columns)))]
        rows = draw(st.lists(st.tuples(*(st.sampled_from(CELLS[c]) for c in columns)), max_size=12))
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\n")
        writer.writerows([columns, *rows])
        files[f"{table}_{i}.csv"] = text.getvalue()
    return files


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(files=data_files(), chunk_rows=st.integers(1, 5))
def test_any_small_files_stream_as_they_load(tmp_path_factory, files, chunk_rows):
    folder = tmp_path_factory.mktemp("data")
    for name, text in files.items():
        (folder / name).write_text(text)
    same_as_load(folder, tmp_path_factory.mktemp("out"), chunk_rows)
