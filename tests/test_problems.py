"""Problems in every language: each message a catalog key with params, English as it always was."""

from __future__ import annotations

import json
import pickle
import re
import string
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from refugee_stats import cli, i18n, schema
from refugee_stats.fields import DATE_FORMATS, TABLE_SPECS
from refugee_stats.importers import places
from refugee_stats.ingest import personal, textfile
from refugee_stats.ingest.dataset import load
from refugee_stats.ingest.problems import (
    PROBLEM_COLUMNS,
    FileProblem,
    Number,
    Phrase,
    Problem,
    phrase,
    plural,
    problem,
    problem_table,
    problems_frame,
    problems_of,
    sort_problems,
)
from tests.conftest import ROOT, write

ENGLISH = i18n.CATALOGS["en"]
#: Every key of a problem's message, of a part of one, and of the problems table.
KEYS = sorted(k for k in ENGLISH.english if k.startswith(("problem_", "problems_col_")))
MESSAGE_KEYS = [k for k in KEYS if k in ENGLISH.messages]
PLURAL_KEYS = [k for k in KEYS if k in ENGLISH.plurals]
SOURCES = [*sorted((ROOT / "refugee_stats").rglob("*.py"))]


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def cyrillic(text: str) -> bool:
    return re.search(r"[а-яёәғқңөұүһі]", text.lower()) is not None


def test_there_are_problem_keys():
    assert len(MESSAGE_KEYS) > 100 and set(PLURAL_KEYS) == {
        "problem_part_bytes",
        "problem_part_cells",
        "problem_part_people",
    }


@pytest.mark.parametrize("key", KEYS)
def test_every_problem_key_is_in_every_catalog(key):
    for lang in ("en", "ru", "kk"):
        catalog = i18n.CATALOGS[lang]
        assert key in catalog.messages or key in catalog.plurals, f"{lang} lacks {key}"
        assert key not in catalog.untranslated


@pytest.mark.parametrize("key", MESSAGE_KEYS)
@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_each_message_renders_in_cyrillic_with_its_params(key, lang):
    """Sample values (Latin letters and digits, as column names and cell values are) go in as written."""
    names = placeholders(ENGLISH.messages[key])
    sample = {name: f"Zq{i}x" for i, name in enumerate(sorted(names))}
    text = phrase(key, **sample).render(lang)
    assert cyrillic(text), text
    for value in sample.values():
        assert text.count(value) >= 1, f"{key}/{lang}: {value} missing from {text}"
    assert text != phrase(key, **sample).render("en")


@pytest.mark.parametrize("key", PLURAL_KEYS)
@pytest.mark.parametrize(
    ("lang", "n", "number"), [("ru", 1, "1"), ("ru", 3, "3"), ("ru", 25, "25"), ("kk", 2, "2")]
)
def test_each_plural_renders_in_cyrillic_with_its_count(key, lang, n, number):
    text = plural(key, n).render(lang)
    assert cyrillic(text) and number in text, text


def test_plural_forms_of_the_parts():
    assert plural("problem_part_cells", 1).render("en") == "1 cell"
    assert plural("problem_part_cells", 3).render("en") == "3 cells"
    assert [plural("problem_part_cells", n).render("ru") for n in (1, 3, 5, 21)] == [
        "1 ячейка",
        "3 ячейки",
        "5 ячеек",
        "21 ячейка",
    ]
    # English keeps its message word for word: "people" whatever the count.
    assert plural("problem_part_people", 1).render("en") == "1 people"
    assert plural("problem_part_people", 2).render("ru") == "2 человека"
    assert plural("problem_part_people", 12345).render("ru") == "12\u00a0345 человек"
    assert plural("problem_part_people", 12345).render("en") == "12,345 people"


def _literal_keys() -> set[str]:
    found: set[str] = set()
    for path in SOURCES:
        found |= set(re.findall(r"""["'](problems?_[a-z0-9_]+)["']""", path.read_text(encoding="utf-8")))
    return found


#: Keys the code builds from a prefix.
BUILT = {
    *(f"problem_left_out_{unit}{people}" for unit in ("row", "cell") for people in ("", "_people")),
    *(f"problem_duplicate_{t}" for t, spec in TABLE_SPECS.items() if len(spec.key) > 1),
    *(f"problem_severity_{s}" for s in ("error", "warning")),
    *(f"problems_col_{name}" for name in PROBLEM_COLUMNS),
    *personal.KIND_KEYS.values(),
}


def test_every_key_the_code_names_is_in_the_catalog_and_every_entry_is_used():
    named = {k for k in _literal_keys() if k not in ("problems_title", "problems_left_out")}
    named = {k for k in named if not k.endswith("_")}  # prefixes of built keys
    assert named - set(KEYS) == set()
    assert set(KEYS) - named - BUILT == set()
    assert set(KEYS) >= BUILT


# -- English as it always was ---------------------------------------------------------------


def test_english_of_entries_that_other_modules_also_spell():
    for table, spec in TABLE_SPECS.items():
        if len(spec.key) > 1:
            assert i18n.t(f"problem_duplicate_{table}") == spec.duplicate
    assert i18n.t("problem_not_a_date") == f"not a date; expected {DATE_FORMATS}"
    for kind, key in personal.KIND_KEYS.items():
        assert i18n.t(key) == kind
    assert places.reason("-") == "no country given (the table is not broken down by this country)"
    assert places.reason("-", "ru") == "страна не указана (таблица не разбита по этой стране)"
    assert schema.EARLY_DATE.startswith("year before 1900: dates from 1900 on are read.")
    assert schema.check_phrase(schema.EARLY_DATE) == phrase("problem_early_date", year="1900")


@pytest.mark.parametrize(
    ("message", "en", "ru", "kk"),
    [
        (
            phrase(
                "problem_row_width_separator",
                cells=plural("problem_part_cells", 2),
                width=5,
                other=phrase("problem_part_sep_semicolons"),
                header=phrase("problem_part_sep_commas"),
            ),
            "row has 2 cells but the header has 5 (its cells seem separated by semicolons, the header's by "
            "commas); row left out",
            "в строке 2 ячейки, а в заголовке 5 (похоже, её ячейки разделены точками с запятой, а ячейки "
            "заголовка — запятыми); строка не загружена",
            "жолда 2 ұяшық бар, ал тақырыпта 5 (оның ұяшықтары нүктелі үтір арқылы бөлінген сияқты, ал "
            "тақырыптікі — үтір арқылы); жол есепке алынбады",
        ),
        (
            phrase(
                "problem_too_large", what="x.gz", size=phrase("problem_part_megabytes", size=Number(1024))
            ),
            "x.gz expands beyond 1,024 MB; unpack it and check it first",
            "x.gz после распаковки занимает больше 1\u00a0024 МБ; сначала распакуйте и проверьте его",
            "x.gz ашылғанда 1\u00a0024 мегабайт көлемінен асады; алдымен оны ашып, тексеріңіз",
        ),
        (
            phrase("problem_personal_refused", kind=phrase(personal.KIND_KEYS["date of birth"])),
            personal.PERSONAL_REFUSED.format(kind="date of birth"),
            "похоже на персональные данные (дата рождения); файл отклонён, чтобы никого нельзя было опознать. "
            "Удалите столбец или разрешите столбцы с персональными данными, чтобы отбросить его и загрузить "
            "остальное",
            "жеке деректерге ұқсайды (туған күні); ешкімді анықтауға болмайтындай файл қабылданбады. Бағанды "
            "алып тастаңыз немесе оны алып тастап, қалғанын жүктеу үшін жеке деректер бағандарына рұқсат "
            "беріңіз",
        ),
        (
            phrase(
                "problem_left_out_row_people",
                reason=phrase("problem_unknown_country_name"),
                people=plural("problem_part_people", 2),
            ),
            "unknown country; expected an ISO 3166 code or an English or Russian name; 1 row, 2 people left out",
            "неизвестная страна; ожидается код ISO 3166 или название на английском или русском; не загружена "
            "1 строка (2 человека)",
            "белгісіз ел; ISO 3166 коды немесе ағылшынша не орысша атауы күтілген; 1 жол (2 адам) есепке "
            "алынбады",
        ),
    ],
    ids=["separators", "megabytes", "personal-kind", "people-left-out"],
)
def test_sub_phrases_are_in_the_sentences_language(message, en, ru, kk):
    assert message.render("en") == en
    assert message.render("ru") == ru
    assert message.render("kk") == kk


# -- problems of real files -----------------------------------------------------------------

INCIDENTS = """
incident_id,date,host_country,location,type,nationality,people,unhcr_refugees,source,source_url,illustrative,notes
I1,2010-06,KAZ,Almaty,detention,UZB,3,0,IWPR,,false,
I2,2010-13,KAZ,Almaty,detention,UZB,2,0,IWPR,,false,
"""


def test_a_bad_cell_is_the_same_problem_in_every_language(tmp_path):
    write(tmp_path, "incidents.csv", INCIDENTS)
    data = load(tmp_path / "incidents.csv", today=None)
    [found] = data.found
    assert (Path(found.file).name, found.row, found.column, found.value, found.severity) == (
        "incidents.csv",
        3,
        "date",
        "2010-13",
        "error",
    )
    assert found.key == "problem_not_a_date" and dict(found.params) == {}
    assert found.message() == "not a date; expected YYYY-MM-DD, YYYY-MM, YYYY-Qn or YYYY"  # as before
    assert found.message("ru") == "не дата; ожидается YYYY-MM-DD, YYYY-MM, YYYY-Qn или YYYY"
    assert found.message("kk") == "күн емес; YYYY-MM-DD, YYYY-MM, YYYY-Qn немесе YYYY күтілген"
    english, russian = data.problems_in("en"), data.problems_in("ru")
    assert english is data.problems
    same = ["file", "row", "column", "value", "severity"]
    assert english[same].equals(russian[same])
    assert russian["message"].tolist() == [found.message("ru")]
    assert data.problems["message"].tolist() == [found.message()]


def test_a_whole_file_problem_and_its_parts_in_russian(tmp_path):
    (tmp_path / "timeline.csv").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00garbage")
    write(tmp_path, "status.csv", "record_id;date;host_country\nS1,2010,KAZ\n")
    data = load(tmp_path, today=None)
    by_file = {Path(p.file).name: p for p in data.found}
    png = by_file["timeline.csv"]
    assert png.row is None and png.column == "" and png.severity == "error"
    assert (
        png.message() == "not a CSV file: it holds binary data (a PNG image); expected text with a header row"
    )
    assert png.message("ru") == (
        "это не CSV-файл: в нём двоичные данные (изображение PNG); ожидался текст со строкой заголовка"
    )
    assert "PNG суреті" in png.message("kk")
    frame = data.problems_in("ru")
    assert frame.loc[frame["file"].str.endswith("timeline.csv"), "row"].isna().all()
    assert frame.loc[frame["file"].str.endswith("timeline.csv"), "message"].tolist() == [png.message("ru")]


def test_an_unclosed_quote_names_its_rows_in_the_language(tmp_path):
    write(
        tmp_path,
        "incidents.csv",
        """
        incident_id,date,host_country,type,nationality,people,source
        I1,2010-06,KAZ,detention,UZB,3,"IWPR
        I2,2010-07,KAZ,detention,UZB,2,IWPR
        I3,2010-08,KAZ,detention,UZB,2,IWPR
        """,
    )
    data = load(tmp_path, today=None)
    [quote] = [p for p in data.found if p.key == "problem_unclosed_quote_rest"]
    assert "(rows 3-4)" in quote.message()
    assert "(строки 3–4)" in quote.message("ru") and "rows" not in quote.message("ru")
    assert "(3–4 жолдар)" in quote.message("kk")


def test_notes_and_file_problems_carry_their_phrase():
    with pytest.raises(textfile.NotText) as caught:
        textfile.decode(b"%PDF-1.4 \x00\x01\x02")
    assert caught.value.phrase == phrase("problem_binary_kind", kind=phrase("problem_part_binary_pdf"))
    assert str(caught.value) == caught.value.phrase.render()
    error = FileProblem("problem_open_failed", error="Permission denied")
    assert str(error) == "cannot open the file (Permission denied)"
    assert error.phrase.render("ru") == "не удаётся открыть файл (Permission denied)"


def test_a_dataset_keeps_its_problems_through_pickling(tmp_path):
    """Streamlit's cache pickles the dataset: the problems come back, renderable in any language."""
    write(tmp_path, "incidents.csv", INCIDENTS)
    data = load(tmp_path, today=None)
    back = pickle.loads(pickle.dumps(data))
    assert back.found == data.found
    assert back.problems.equals(data.problems)
    assert back.problems_in("kk")["message"].tolist() == [data.found[0].message("kk")]


# -- the frame, sorting, the CLI ------------------------------------------------------------


def test_problems_frame_in_a_language():
    problems = [
        problem("b.csv", "problem_required_cell", row=4, column="source"),
        problem("a.csv", "problem_file_empty"),
        problem("b.csv", phrase("problem_unnamed_column", position=9), row=1, severity="warning"),
    ]
    frame = problems_frame(sort_problems(problems), "ru")
    assert tuple(frame.columns) == PROBLEM_COLUMNS
    assert frame[["file", "severity"]].values.tolist() == [
        ["a.csv", "error"],
        ["b.csv", "warning"],
        ["b.csv", "error"],
    ]
    assert frame["row"].fillna(0).tolist() == [0, 1, 4]  # the whole file's row is missing
    assert frame["message"].tolist() == [
        "файл пуст; ожидались строка заголовка и строки данных",
        "у столбца 9 нет названия; он пропущен",
        "обязательная ячейка пуста",
    ]
    assert str(frame["row"].dtype) == "Int64"


severities = st.sampled_from(["error", "warning"])
problem_list = st.lists(
    st.builds(
        lambda file, row, column, value, severity: problem(
            file, phrase("problem_unknown_column_did_you_mean", close=value), row=row, column=column,
            value=value, severity=severity
        ),
        st.sampled_from(["a.csv", "b.csv", "c [s].xlsx"]),
        st.one_of(st.none(), st.integers(1, 10**6)),
        st.text(max_size=8),
        st.text(max_size=8),
        severities,
    ),
    max_size=30,
)  # fmt: skip


@settings(deadline=None)
@given(problem_list)
def test_every_language_has_the_same_problems_in_the_same_order(problems):
    frames = {lang: problems_frame(sort_problems(problems), lang) for lang in i18n.LANGUAGES}
    same = ["file", "row", "column", "value", "severity"]
    for lang, frame in frames.items():
        assert frame[same].equals(frames["en"][same]), lang
        assert frame["message"].tolist() == [p.message(lang) for p in sort_problems(problems)]
    # Sorted as the frame sort orders them: by file, whole-file problems first, then by row.
    assert sort_problems(problems_frame(problems))[same].equals(frames["en"][same])


def test_a_problem_is_frozen_and_hashable():
    found = problem("a.csv", phrase("problem_unknown_value", values="x, y"), row=3, column="type", value="z")
    with pytest.raises(AttributeError):
        found.row = 4  # type: ignore[misc]
    assert found.replace(row=4).row == 4 and found.row == 3
    assert (
        len(
            {
                found,
                problem(
                    "a.csv", phrase("problem_unknown_value", values="x, y"), row=3, column="type", value="z"
                ),
            }
        )
        == 1
    )
    assert isinstance(found, Problem) and isinstance(found.phrase, Phrase)


def test_validate_prints_english_by_default_and_russian_with_lang(tmp_path, capsys):
    write(tmp_path, "incidents.csv", INCIDENTS + "I3,2010-08,KAZ,Almaty,detention,UZB,2,0,IWPR,,maybe,\n")
    assert cli.main(["validate", str(tmp_path)]) == 1
    english = capsys.readouterr().out.splitlines()
    assert [line.split(str(tmp_path))[-1] for line in english] == [
        "/incidents.csv:3:date: not a date; expected YYYY-MM-DD, YYYY-MM, YYYY-Qn or YYYY (value: '2010-13')",
        "/incidents.csv:4:illustrative: not true or false; expected true, false or blank (value: 'maybe')",
    ]
    assert cli.main(["validate", "--lang", "ru", str(tmp_path)]) == 1
    russian = capsys.readouterr().out.splitlines()
    assert [line.split(str(tmp_path))[-1] for line in russian] == [
        "/incidents.csv:3:date: не дата; ожидается YYYY-MM-DD, YYYY-MM, YYYY-Qn или YYYY (значение: '2010-13')",
        "/incidents.csv:4:illustrative: не true и не false; ожидается true, false или пустая ячейка "
        "(значение: 'maybe')",
    ]


def test_validate_warnings_are_prefixed_in_the_language(tmp_path, capsys):
    write(tmp_path, "incidents.csv", INCIDENTS.replace(",notes", ",notse").replace("2010-13", "2010-12"))
    assert cli.main(["validate", "--lang", "kk", str(tmp_path)]) == 0
    [line] = capsys.readouterr().out.splitlines()
    assert line.endswith(
        "incidents.csv:1:notse: ескерту: белгісіз баған, ескерілмейді; notes деп жазғыңыз келді ме?"
    )


def test_validate_rejects_an_unknown_language(tmp_path, capsys):
    with pytest.raises(SystemExit):
        cli.main(["validate", "--lang", "fr", str(tmp_path)])
    assert "invalid choice: 'fr'" in capsys.readouterr().err


# -- the problems table of the app ------------------------------------------------------------


@pytest.mark.usefixtures("clear_cache")
@pytest.mark.parametrize(
    ("lang", "headers", "severity", "message"),
    [
        (
            "ru",
            ["файл", "строка", "столбец", "значение", "сообщение", "уровень"],
            "ошибка",
            "не дата; ожидается YYYY-MM-DD, YYYY-MM, YYYY-Qn или YYYY",
        ),
        (
            "kk",
            ["файл атауы", "жол", "баған", "мән", "хабарлама", "деңгейі"],
            "қате",
            "күн емес; YYYY-MM-DD, YYYY-MM, YYYY-Qn немесе YYYY күтілген",
        ),
        ("en", list(PROBLEM_COLUMNS), "error", "not a date; expected YYYY-MM-DD, YYYY-MM, YYYY-Qn or YYYY"),
    ],
)
def test_the_problems_table_is_in_the_users_language(tmp_path, monkeypatch, lang, headers, severity, message):
    from streamlit.testing.v1 import AppTest

    write(tmp_path, "incidents.csv", INCIDENTS)
    (tmp_path / "timeline.csv").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00garbage")
    monkeypatch.setenv("REFUGEE_STATS_DATA", str(tmp_path))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception, at.exception
    [table] = [d for d in at.dataframe if "message" in d.value.columns]
    shown = table.value
    assert shown[["file", "column", "value"]].values.tolist() == [
        ["incidents.csv", "date", "2010-13"],
        ["timeline.csv", "", ""],
    ]
    assert shown["row"].fillna(0).tolist() == [3, 0]  # the whole file: no row
    assert shown["severity"].tolist() == [severity, severity]
    assert shown["message"].iloc[0] == message
    config = json.loads(table.proto.columns)
    assert [config[name]["label"] for name in PROBLEM_COLUMNS] == headers
    assert table.proto.placeholder == ""  # the whole file's missing row is shown blank, not "None"


def test_the_problem_table_keeps_each_distinct_message_once():
    told = phrase("problem_unknown_country_did_you_mean", close="KAZ")
    problems = [
        *(problem("a.csv", told, row=r, column="host_country", value="Kazakstan") for r in range(2, 6)),
        problem("a.csv", "problem_no_header"),
    ]
    table = problem_table(problems)
    assert len(table) == 5 and list(table["phrase"].cat.categories) == [told, phrase("problem_no_header")]
    assert problems_of(table) == problems
    assert problems_frame(table, "ru").equals(problems_frame(problems, "ru"))
    empty = problems_frame(problem_table([]), "kk")
    assert tuple(empty.columns) == PROBLEM_COLUMNS and empty.empty and str(empty["row"].dtype) == "Int64"
