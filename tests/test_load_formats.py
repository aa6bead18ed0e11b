"""The loader's two CSV readers agree, and Parquet files load like the CSV they copy."""

from __future__ import annotations

import datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from refugee_stats.ingest import read as read_module
from refugee_stats.ingest.dataset import load

TODAY = pd.Timestamp("2026-11-26")

INCIDENTS = (
    '"incident_id","date","host_country","type","nationality","people","unhcr_refugees","source","notes"\n'
    'I1,2010-06,KAZ,detention,UZB,5,2,"IWPR, Central Asia","two\nlines"\n'
    "\n"
    "I2, 2010-Q3 ,Kyrgyzstan,Forced return,uzb,3,,HRW,\n"
    ",,,,,,,,\n"
    "I3,2010-13,Atlantis,arrest,UZB,many,,HRW,\n"
    "I4,2011,KG,release,TJK,1,0,\u00a0HRW\u3000,\n"
)


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8", ","), ("utf-8-sig", ","), ("utf-8", ";")],
)
def test_arrow_reader_and_csv_module_give_the_same_raw_frame(tmp_path, encoding, delimiter):
    text = (
        INCIDENTS
        if delimiter == ","
        else INCIDENTS.replace(",", ";").replace('"IWPR; Central Asia"', '"IWPR, Central Asia"')
    )
    path = tmp_path / "incidents.csv"
    path.write_bytes(text.encode(encoding))
    assert read_module._arrow_csv(path) is not None  # the fast reader takes this file
    fast = read_module.raw_frame(path, "f")
    careful = read_module._raw_frame_by_rows(path, "f")
    assert fast[0] == careful[0] == "incidents"
    assert fast[2] == careful[2]
    pd.testing.assert_frame_equal(fast[1], careful[1])
    assert fast[1].index.tolist() == [2, 4, 6, 7]  # a two-line cell is one row; blank rows keep numbers
    assert fast[1]["host_country"].tolist() == ["KAZ", "KGZ", "Atlantis", "KGZ"]
    assert fast[1]["source"].tolist() == ["IWPR, Central Asia", "HRW", "HRW", "HRW"]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("a,b\n1,2,3\n", id="row-longer-than-header"),
        pytest.param("a,b\n1\n", id="row-shorter-than-header"),
        pytest.param("a,b", id="no-newline"),
        pytest.param("a,b\r1,2\r", id="carriage-returns-only"),
    ],
)
def test_files_the_arrow_reader_is_unsure_of_go_to_the_csv_module(tmp_path, text):
    path = tmp_path / "timeline.csv"
    path.write_text(text, encoding="utf-8")
    assert read_module._arrow_csv(path) is None


def test_cp1251_goes_to_the_csv_module(tmp_path):
    path = tmp_path / "timeline.csv"
    path.write_bytes("date,label,source\n2010,Событие,ИА\n".encode("cp1251"))
    assert read_module._arrow_csv(path) is None


def _csv_and_parquet(tmp_path: Path, text: str) -> tuple[Path, Path]:
    (tmp_path / "csv").mkdir()
    (tmp_path / "parquet").mkdir()
    csv_path = tmp_path / "csv" / "incidents.csv"
    csv_path.write_text(text, encoding="utf-8")
    table = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
    pq.write_table(
        pa.Table.from_pandas(table, preserve_index=False), tmp_path / "parquet" / "incidents.parquet"
    )
    return tmp_path / "csv", tmp_path / "parquet"


def test_parquet_copy_loads_like_the_csv(tmp_path):
    text = (
        "incident_id,date,host_country,type,nationality,people,unhcr_refugees,source\n"
        "I1,2010-06,KAZ,detention,UZB,5,2,IWPR\n"
        "I2,2010-13,KAZ,detention,UZB,5,,IWPR\n"
        "I3,2010-Q3,Kyrgyzstan,release,TJK,1,,HRW\n"
    )
    csv_dir, parquet_dir = _csv_and_parquet(tmp_path, text)
    from_csv, from_parquet = load(csv_dir, today=TODAY), load(parquet_dir, today=TODAY)
    drop = ["source_file"]
    pd.testing.assert_frame_equal(
        from_csv.incidents.drop(columns=drop), from_parquet.incidents.drop(columns=drop)
    )
    assert [(Path(p.file).name, p.row, p.column) for p in from_parquet.problems.itertuples()] == [
        ("incidents.parquet", 3, "date")
    ]
    assert from_parquet.incidents["source_file"].tolist() == [str(parquet_dir / "incidents.parquet")] * 2


def test_parquet_with_typed_columns_reads_them_as_a_spreadsheet_would(tmp_path):
    table = pa.table(
        {
            "incident_id": ["X1", "X2", "X3"],
            "date": [datetime.date(2010, 6, 15), datetime.date(2010, 7, 1), None],
            "host_country": pa.array(["KAZ", "KGZ", "KAZ"]).dictionary_encode(),
            "type": ["detention", "release", "detention"],
            "nationality": ["UZB", "UZB", "TJK"],
            "people": [3, 4, 2],
            "unhcr_refugees": pa.array([1.0, None, 2.5]),
            "source": ["IWPR"] * 3,
            "illustrative": [True, False, False],
        }
    )
    pq.write_table(table, tmp_path / "incidents.parquet")
    data = load(tmp_path, today=TODAY)
    assert [(p.row, p.column, p.value) for p in data.problems.itertuples()] == [
        (4, "date", ""),
        (4, "unhcr_refugees", "2.5"),  # not a whole number
        (4, "unhcr_refugees", "2.5"),  # and more than the 2 people
    ]
    got = data.incidents
    assert got["date"].tolist() == ["2010-06-15", "2010-07-01"]
    assert got["people"].tolist() == [3, 4]
    assert got["unhcr_refugees"].isna().tolist() == [False, True]
    assert got["illustrative"].tolist() == [True, False]
    assert got["source_row"].tolist() == [2, 3]


def test_damaged_parquet_is_a_file_problem(tmp_path):
    (tmp_path / "timeline.parquet").write_bytes(b"PAR1 not really")
    data = load(tmp_path, today=TODAY)
    assert [(Path(p.file).name, p.message.split(" (")[0]) for p in data.problems.itertuples()] == [
        ("timeline.parquet", "cannot read this Parquet file")
    ]
