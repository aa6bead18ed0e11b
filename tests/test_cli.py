"""The ``refugee-stats validate`` command (refugee_stats.cli), run in-process."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pandas as pd
import pytest

from refugee_stats import cli

ROOT = Path(__file__).resolve().parent.parent

INCIDENTS = (
    "incident_id,date,host_country,type,nationality,people,unhcr_refugees,source,source_url\n"
    "I1,2010-06,KAZ,detention,UZB,5,2,IWPR,https://example.org/a\n"
)
STATUS = (
    "record_id,date,host_country,nationality,authority,decision,people,incident_id,source\n"
    "R1,2010-07,KAZ,UZB,national,revoked,2,I1,IWPR\n"
)
TIMELINE = "date,end_date,host_country,label,source\n2010,,KAZ,Procedure moves,IWPR\n"


def folder(path: Path, **texts: str | bytes) -> Path:
    """A folder with one valid row per table, ``texts`` replacing files by table name."""
    files: dict[str, str | bytes] = {"incidents": INCIDENTS, "status": STATUS, "timeline": TIMELINE}
    files.update(texts)
    for table, text in files.items():
        target = path / f"{table}.csv"
        if isinstance(text, bytes):
            target.write_bytes(text)
        else:
            target.write_text(text, encoding="utf-8")
    return path


def run(capsys, *argv: str) -> tuple[int, list[str], str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def test_clean_folder_exits_0_and_prints_no_problems(tmp_path, capsys):
    code, out, err = run(capsys, "validate", str(folder(tmp_path)))
    assert code == 0
    assert out == []
    assert (
        err.strip()
        == "3 files checked: 1 incidents rows, 1 status rows, 0 stocks rows, 1 timeline rows valid; 0 problems"
    )


def test_clean_folder_is_clean_with_strict_too(tmp_path, capsys):
    code, out, _ = run(capsys, "validate", "--strict", str(folder(tmp_path)))
    assert (code, out) == (0, [])


def test_bundled_data_folder_is_clean(capsys):
    code, out, err = run(capsys, "validate", str(ROOT / "data"))
    assert (code, out) == (0, [])
    assert err.startswith("3 files checked: ")
    assert err.strip().endswith("valid; 1 talk checked: 6 scenes to play; 0 problems")  # data/talk.toml


def test_problems_printed_one_per_line_and_exit_1(tmp_path, capsys):
    incidents = INCIDENTS + (
        "I2,2010-13,KAZ,detention,UZB,5,,IWPR,\n"  # row 3
        "I3,2010,KAZ,detention,UZB,5,,,\n"  # row 4
        "I4,2010,KAZ,arrest,UZB,2.5,,IWPR,ftp://example.org/x\n"  # row 5
    )
    status = "record_id,date,host_country,nationality,people,source\nR1,2010,KAZ,UZB,2,IWPR\n"
    path = folder(tmp_path, incidents=incidents, status=status, timeline=b"")
    code, out, err = run(capsys, "validate", str(path))
    incidents_csv, status_csv, timeline_csv = (
        str(path / f"{t}.csv") for t in ("incidents", "status", "timeline")
    )
    assert code == 1
    assert out == [
        f"{incidents_csv}:3:date: not a date; expected YYYY-MM-DD, YYYY-MM, YYYY-Qn or YYYY (value: '2010-13')",
        f"{incidents_csv}:4:source: required cell is empty",
        f"{incidents_csv}:5:type: unknown value; expected one of detention, release, extradition, deportation, forced_return (value: 'arrest')",
        f"{incidents_csv}:5:people: not a whole number; expected a whole number >= 1 (value: '2.5')",
        f"{incidents_csv}:5:source_url: not an http(s) link; expected http://... or https://... (value: 'ftp://example.org/x')",
        f"{status_csv}::authority: required column is missing",
        f"{status_csv}::decision: required column is missing",
        f"{timeline_csv}::: file is empty; expected a header row and data rows",
    ]
    assert (
        err.strip()
        == "3 files checked: 1 incidents rows, 0 status rows, 0 stocks rows, 0 timeline rows valid; 8 problems"
    )


@pytest.mark.parametrize(
    ("strict", "expected_code"),
    [pytest.param([], 0, id="default-passes"), pytest.param(["--strict"], 1, id="strict-fails")],
)
def test_warning_only_folder(tmp_path, capsys, strict, expected_code):
    incidents = INCIDENTS.replace("source_url\n", "source_url,nationalty\n").replace(
        "example.org/a\n", "example.org/a,UZB\n"
    )
    path = folder(tmp_path, incidents=incidents)
    code, out, err = run(capsys, "validate", *strict, str(path))
    assert code == expected_code
    assert out == [
        f"{path / 'incidents.csv'}:1:nationalty: warning: unknown column, ignored; did you mean nationality?"
    ]
    assert "1 incidents rows, 1 status rows, 0 stocks rows, 1 timeline rows valid; 1 problems" in err


def test_cp1251_warning_is_whole_file(tmp_path, capsys):
    path = folder(tmp_path, timeline="date,label,source\n2010,Событие,Источник\n".encode("cp1251"))
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 0
    assert out == [
        f"{path / 'timeline.csv'}::: warning: not UTF-8; read as Windows-1251 (Cyrillic). Save the file as CSV UTF-8 to be sure"
    ]


def test_several_paths_files_and_folders(tmp_path, capsys):
    first = tmp_path / "a"
    first.mkdir()
    folder(first)
    extra = tmp_path / "incidents_2011.csv"
    extra.write_text(INCIDENTS.replace("I1,2010-06", "I9,2011-06"), encoding="utf-8")
    missing = tmp_path / "status_old.csv"
    code, out, err = run(capsys, "validate", str(first), str(extra), str(missing))
    assert code == 1
    assert out == [f"{missing}::: no such file"]
    assert (
        err.strip()
        == "5 files checked: 2 incidents rows, 1 status rows, 0 stocks rows, 1 timeline rows valid; 1 problems"
    )


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param([], id="no-command"),
        pytest.param(["validate"], id="no-path"),
        pytest.param(["check", "data"], id="unknown-command"),
    ],
)
def test_usage_errors_exit_2(capsys, argv):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(argv)
    assert exit_info.value.code == 2
    assert "usage: refugee-stats" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("problem", "line"),
    [
        pytest.param(
            {"file": "d/incidents.csv", "row": 7, "column": "people", "value": "many", "message": "not a number", "severity": "error"},
            "d/incidents.csv:7:people: not a number (value: 'many')",
            id="cell-error-with-value",
        ),
        pytest.param(
            {"file": "d/status.csv", "row": 3, "column": "source", "value": "", "message": "required cell is empty", "severity": "error"},
            "d/status.csv:3:source: required cell is empty",
            id="empty-value-not-shown",
        ),
        pytest.param(
            {"file": "d/x.csv", "row": pd.NA, "column": "", "value": "", "message": "file is empty", "severity": "error"},
            "d/x.csv::: file is empty",
            id="whole-file",
        ),
        pytest.param(
            {"file": "d/x.csv", "row": 1, "column": "lable", "value": "", "message": "unknown column", "severity": "warning"},
            "d/x.csv:1:lable: warning: unknown column",
            id="warning-prefixed",
        ),
    ],
)  # fmt: skip
def test_format_problem(problem, line):
    assert cli.format_problem(pd.Series(problem)) == line


def test_console_script_entry_point():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["scripts"]["refugee-stats"] == "refugee_stats.cli:main"


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda p: (p / "incidents.csv").mkdir() or p / "incidents.csv", id="folder-named-csv"),
        pytest.param(lambda p: (p / "empty").mkdir() or p / "empty", id="empty-folder"),
        pytest.param(lambda p: (p / "notes.md").write_text("x") and p, id="folder-of-no-data-files"),
    ],
)
def test_validate_on_what_yields_no_file_exits_1_and_says_so(tmp_path, capsys, make):
    target = make(tmp_path)
    code, lines, err = run(capsys, "validate", str(target) + "/")
    assert code == 1
    assert "nothing to check" in err and str(target) in err
    assert lines == []


def test_validate_names_folders_and_broken_links_in_a_data_folder(tmp_path, capsys):
    folder(tmp_path)
    (tmp_path / "status_2011.csv").mkdir()
    (tmp_path / "timeline_old.csv").symlink_to(tmp_path / "gone.csv")
    (tmp_path / "stocks.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    code, lines, _ = run(capsys, "validate", str(tmp_path))
    assert code == 1
    assert lines == [
        f"{tmp_path}/status_2011.csv::: a folder, not a file: its contents are not read; put data files in the "
        "data folder itself",
        f"{tmp_path}/stocks.xls::: warning: .xls workbooks are not read; save the data sheet as .xlsx or CSV UTF-8",
        f"{tmp_path}/timeline_old.csv::: a link to {tmp_path}/gone.csv, which does not exist; not read",
    ]


# -- talks: a folder's talk.toml and a .toml named are checked like data ---------------------------

#: The data of ``folder()``: Kazakhstan, Uzbek nationals, June and July 2010.
SUMMARY = "3 files checked: 1 incidents rows, 1 status rows, 0 stocks rows, 1 timeline rows valid"
CHART_LIST = "key_figures, detentions, decisions, nationalities, pipeline, map"
LINK_KEYS = "host, nationality, from, to, type, illustrative, period"
VALUE = "host=KGZ&from=2010-13&colour=red"

BAD_TALKS = [
    pytest.param(
        'title = "T"\n[[scene]]\nchart = "detentons"\n[[scene]]\nchart = "map"\n',
        [f"talk.toml:3:chart: not a chart of the dashboard (one of {CHART_LIST}): the scene is left out (value: 'detentons')"],
        (1, 1),
        "1 scene to play; 1 problems",
        id="unknown-chart-is-an-error",
    ),
    pytest.param(
        f'[[scene]]\nchart = "detentions"\nlink = "{VALUE}"\n',
        [
            f"talk.toml:3:link: warning: colour= is not a key of a link (one of {LINK_KEYS}): ignored (value: '{VALUE}')",
            f"talk.toml:3:link: warning: Ignored in the link: host=KGZ (not a country in the data). (value: '{VALUE}')",
            f"talk.toml:3:link: warning: Ignored in the link: from=2010-13 (expected a month as YYYY-MM). (value: '{VALUE}')",
        ],
        (0, 1),
        "1 scene to play; 3 problems",
        id="bad-link-values-are-warnings",
    ),
    pytest.param(
        'title = "Only a title"\n',
        ["talk.toml::: warning: the talk has no scene that can be shown: presentation mode plays the standard tour"],
        (0, 1),
        "0 scenes to play; 1 problems",
        id="missing-scene-list",
    ),
    pytest.param(
        'lang = "de"\npublic = "yes"\ntitle = 3\n[[scene]]\nchart = "map"\ntitel = "x"\n',
        [
            "talk.toml:1:lang: warning: not a language of the dashboard (one of en, kk, ru): en is used (value: 'de')",
            "talk.toml:2:public: warning: expected true or false: small numbers stay protected (value: 'yes')",
            "talk.toml:3:title: warning: expected text in quotes: ignored (value: '3')",
            "talk.toml:6:titel: warning: unknown key: ignored (did you mean title?) (value: 'x')",
        ],
        (0, 1),
        "1 scene to play; 4 problems",
        id="wrong-types-and-keys",
    ),
    pytest.param(
        '[[scene]]\nchart = "map\n',
        ["talk.toml:2:: not a valid TOML file at column 13: Illegal character '\\n'; the talk is not read"],
        (1, 1),
        "0 scenes to play; 1 problems",
        id="not-toml",
    ),
    pytest.param(
        '[[scene]]\nchart = "detentions"\nlink = "host=KAZ&nationality=UZB&from=2010-06&to=2010-07"\n',
        [],
        (0, 0),
        "1 scene to play; 0 problems",
        id="valid",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("talk", "expected", "codes", "summary"), BAD_TALKS)
def test_a_folders_talk_is_checked_like_its_data(tmp_path, capsys, talk, expected, codes, summary):
    path = folder(tmp_path)
    (path / "talk.toml").write_text(talk, encoding="utf-8")
    for strict, code in zip(([], ["--strict"]), codes, strict=True):
        got, out, err = run(capsys, "validate", *strict, str(path))
        assert [line.removeprefix(f"{path}/") for line in out] == expected
        assert err.strip() == f"{SUMMARY}; 1 talk checked: {summary}"
        assert got == code, strict


def test_talk_problems_in_russian_and_kazakh(tmp_path, capsys):
    path = folder(tmp_path)
    (path / "talk.toml").write_text(
        '[[scene]]\nchart = "detentons"\n[[scene]]\nchart = "map"\n', encoding="utf-8"
    )
    _, out, _ = run(capsys, "validate", "--lang", "ru", str(path))
    assert out == [
        f"{path}/talk.toml:2:chart: такой диаграммы нет (есть {CHART_LIST}): сцена пропущена (значение: 'detentons')"
    ]
    _, out, _ = run(capsys, "validate", "--lang", "kk", str(path))
    assert out == [
        f"{path}/talk.toml:2:chart: дашбордта мұндай диаграмма жоқ (бары: {CHART_LIST}): сахна алынып тасталды "
        "(мәні: 'detentons')"
    ]


def test_a_toml_named_is_checked_against_the_data_named_and_a_missing_one_is_an_error(tmp_path, capsys):
    (tmp_path / "data").mkdir()
    data = folder(tmp_path / "data")
    other = tmp_path / "other.toml"
    other.write_text('[[scene]]\nchart = "map"\nlink = "nationality=AFG"\n', encoding="utf-8")
    missing = tmp_path / "gone.toml"
    code, out, err = run(capsys, "validate", str(data), str(other), str(missing))
    assert out == [
        f"{other}:3:link: warning: Ignored in the link: nationality=AFG (not a country in the data). "
        "(value: 'nationality=AFG')",
        f"{missing}::: no such file",
    ]
    assert code == 1
    assert err.strip() == f"{SUMMARY}; 2 talks checked: 1 scene to play; 2 problems"


def test_a_toml_named_alone_is_checked_against_the_data_of_its_folder(tmp_path, capsys):
    path = folder(tmp_path, status="garbage\n")  # the folder's data is not itself checked
    talk = path / "talk.toml"
    talk.write_text('[[scene]]\nchart = "map"\nlink = "host=KAZ&nationality=AFG"\n', encoding="utf-8")
    code, out, err = run(capsys, "validate", str(talk))
    assert out == [
        f"{talk}:3:link: warning: Ignored in the link: nationality=AFG (not a country in the data). "
        "(value: 'host=KAZ&nationality=AFG')"
    ]
    assert code == 0
    assert err.strip() == "1 talk checked: 1 scene to play; 1 problems"


def test_a_talk_without_data_is_checked_against_every_country(tmp_path, capsys):
    talk = tmp_path / "talk.toml"
    talk.write_text(
        '[[scene]]\nchart = "map"\nlink = "host=KAZ&nationality=XYZ&from=1990-01"\n', encoding="utf-8"
    )
    code, out, _ = run(capsys, "validate", "--strict", str(tmp_path))
    assert out == [
        f"{talk}:3:link: warning: Ignored in the link: nationality=XYZ (not a country in the data). "
        "(value: 'host=KAZ&nationality=XYZ&from=1990-01')"
    ]
    assert code == 1
