"""The ``refugee-stats import`` command (refugee_stats.cli), run in-process on the importer fixtures."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from refugee_stats import cli, importers
from refugee_stats.fields import field_names

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "importers"


def run(capsys, *argv: str) -> tuple[int, list[str], str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def fixture(name: str) -> str:
    return str(FIXTURES / name)


def test_import_writes_one_file_per_table_merging_inputs(tmp_path, capsys):
    out = tmp_path / "out"
    code, lines, err = run(
        capsys,
        "import",
        fixture("uk_entering.csv"),
        fixture("uk_leaving.csv"),
        fixture("uk_in_detention.csv"),
        "--out",
        str(out),
    )
    assert code == 0
    assert sorted(p.name for p in out.iterdir()) == ["incidents.csv", "stocks.csv"]
    incidents = pd.read_csv(out / "incidents.csv", dtype=str, keep_default_na=False)
    assert list(incidents.columns) == field_names("incidents")
    assert len(incidents) == 6 + 6
    assert incidents["incident_id"].iloc[0] == "UKHO-DET-2023-Q1-UZB"
    stocks = pd.read_csv(out / "stocks.csv", dtype=str, keep_default_na=False)
    assert stocks[["date", "nationality", "people"]].values.tolist() == [
        ["2023-Q4", "UZB", "3"],
        ["2023-Q4", "XXX", "87"],
        ["2023-Q3", "UZB", "1"],
    ]
    assert f"{fixture('uk_entering.csv')}: uk-detention-entering" in lines
    assert "  9 rows of Home Office people entering detention (Det_D01)" in lines
    assert (
        f"{fixture('uk_leaving.csv')}:9:Reason for leaving detention: unknown reason for leaving detention; "
        "expected one of returned, removed, bailed (sos), bailed (ij), granted lte/ltr, granted temporary "
        "admission/release, temporary admission/release, other; 1 row, 1 people left out (value: 'Escaped')"
    ) in lines
    assert not [line for line in lines if "Nationality" in line]  # "Other and unknown" is imported (XXX)
    assert f"wrote {out / 'incidents.csv'}: 12 incidents records" in err


def test_imported_folder_validates_clean(tmp_path, capsys):
    out = tmp_path / "out"
    files = [
        fixture(n)
        for n in ("unhcr_decisions_api.csv", "unhcr_population_website.csv", "ice_bookins_foia.csv")
    ]
    assert run(capsys, "import", *files, "--out", str(out))[0] == 0
    code, lines, err = run(capsys, "validate", "--strict", str(out))
    assert (code, lines) == (0, [])
    assert "3 files checked: 5 incidents rows, 11 status rows, 5 stocks rows, 0 timeline rows valid" in err


def test_same_records_twice_are_left_out_and_said(tmp_path, capsys):
    out = tmp_path / "out"
    code, lines, _ = run(
        capsys, "import", fixture("uk_entering.csv"), fixture("uk_entering.csv"), "--out", str(out)
    )
    assert code == 0
    assert (
        "incidents: 6 records left out: same incident_id, nationality as a record from an earlier file"
        in lines
    )
    assert len(pd.read_csv(out / "incidents.csv")) == 6


def test_existing_files_are_kept_unless_forced(tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    (out / "incidents.csv").write_text("keep me\n", encoding="utf-8")
    code, _, err = run(capsys, "import", fixture("uk_entering.csv"), "--out", str(out))
    assert code == 1
    assert "already exist (use --force to overwrite)" in err
    assert (out / "incidents.csv").read_text(encoding="utf-8") == "keep me\n"
    code, _, _ = run(capsys, "import", fixture("uk_entering.csv"), "--out", str(out), "--force")
    assert code == 0
    assert len(pd.read_csv(out / "incidents.csv")) == 6


def test_nothing_imported_exits_1(tmp_path, capsys):
    path = tmp_path / "summary.csv"
    path.write_text(
        "Date,Entering detention,Leaving detention,In detention (at end of period)\n2022,100,90,10\n",
        encoding="utf-8",
    )
    code, lines, err = run(capsys, "import", str(path), "--out", str(tmp_path / "out"))
    assert code == 1
    assert "nothing imported" in err
    assert any("detention summary without nationality" in line for line in lines)
    assert not (tmp_path / "out").exists()


def test_format_can_be_forced(tmp_path, capsys):
    out = tmp_path / "out"
    code, lines, _ = run(capsys, "import", fixture("uk_entering.csv"), "--out", str(out), "--format", "hxl")
    assert code == 1
    assert (
        f"{fixture('uk_entering.csv')}::: not the hxl layout: no header row with a hashtag row under the header"
        in lines
    )
    code, _, _ = run(
        capsys, "import", fixture("uk_entering.csv"), "--out", str(out), "--format", "uk-detention-entering"
    )
    assert code == 0


def test_unknown_format_is_refused_by_the_parser(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["import", fixture("uk_entering.csv"), "--out", str(tmp_path), "--format", "nope"])
    assert exc.value.code == 2


def test_ice_birth_column_never_reaches_the_written_files(tmp_path, capsys):
    out = tmp_path / "out"
    run(
        capsys, "import", fixture("ice_bookins_foia.csv"), fixture("ice_bookins_clean.csv"), "--out", str(out)
    )
    text = (out / "incidents.csv").read_text(encoding="utf-8")
    assert "(b)(6)" not in text and "birth" not in text.splitlines()[0].casefold()


def test_progress_bar_is_one_line_redrawn_in_place():
    stream = io.StringIO()
    bar = cli.ProgressBar("big.csv", stream, minimum=10, width=10)
    for done in (0, 5, 5, 10):
        bar(done, 10)
    bar.close()
    assert stream.getvalue() == (
        "\rbig.csv [----------]   0% 0/10 rows"
        "\rbig.csv [#####-----]  50% 5/10 rows"
        "\rbig.csv [##########] 100% 10/10 rows\n"
    )


def test_progress_bar_is_silent_for_small_files():
    stream = io.StringIO()
    bar = cli.ProgressBar("small.csv", stream, minimum=100)
    bar(5, 9)
    bar.close()
    assert stream.getvalue() == ""


def test_large_file_shows_a_progress_bar_on_stderr(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(cli, "PROGRESS_MIN_ROWS", 5)
    monkeypatch.setattr(importers.base, "CHUNK_ROWS", 4)
    run_result = run(capsys, "import", fixture("uk_entering.csv"), "--out", str(tmp_path / "out"))
    err = run_result[2]
    assert "\ruk_entering.csv [" in err and "100% 9/9 rows\n" in err
