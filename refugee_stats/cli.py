"""Command line: ``refugee-stats validate PATH...``, ``refugee-stats import FILE... --out DIR``,
``refugee-stats talk export [DATA_DIR] --out talk.html [--pdf handout.pdf]`` and
``refugee-stats db init|load FOLDER|refresh`` (a PostgreSQL server holding the records)."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

import pandas as pd

from refugee_stats import countries, i18n, importers, urlstate
from refugee_stats import talk as talks
from refugee_stats.fields import TABLE_SPECS, TABLES, field_names
from refugee_stats.ingest import problems as problem_table
from refugee_stats.ingest.dataset import Dataset, load
from refugee_stats.ingest.files import DATA_SUFFIXES, default_data_dir
from refugee_stats.ingest.problems import Problem


def format_problem(
    problem: Problem | Mapping[str, Any] | pd.Series, lang: str = i18n.DEFAULT_LANGUAGE
) -> str:
    """``file:row:column: message`` (row and column blank for whole-file problems), with the bad value.

    ``problem`` is a :class:`~refugee_stats.ingest.problems.Problem` (its message in ``lang``) or a
    row of a frame of problems (its message as it is)."""
    if isinstance(problem, Problem):
        file, column, value = problem.file, problem.column, problem.value
        row = "" if problem.row is None else str(problem.row)
        message, severity = problem.message(lang), problem.severity
    else:
        file, column, value = problem["file"], problem["column"], problem["value"]
        row = "" if pd.isna(problem["row"]) else str(int(problem["row"]))
        message, severity = problem["message"], problem["severity"]
    shown = " " + i18n.t("problem_cli_value", lang, value=repr(value)) if value else ""
    level = "" if severity == "error" else i18n.t(f"problem_severity_{severity}", lang) + ": "
    return f"{file}:{row}:{column}: {level}{message}{shown}"


def _is_talk_file(path: str) -> bool:
    """Whether a path named on the command line is a talk (a ``.toml`` file), not data."""
    return path.lower().endswith(".toml") and not Path(path).is_dir()


def talk_problems(talk_files: Sequence[Path], dataset: Dataset | None) -> tuple[list[Problem], int]:
    """The problems of each talk file, its links checked against ``dataset`` (its countries and
    months; without records, against every known country and any month), and how many scenes the
    talks can play; a file that is not there is one error."""
    if dataset is not None and not (dataset.incidents.empty and dataset.status.empty):
        hosts, nationalities, months = talks.data_bounds(dataset)
    else:
        hosts = nationalities = countries.known_codes()
        months = None
    found: list[Problem] = []
    scenes = 0
    for path in talk_files:
        talk, problems = talks.load_talk(path, hosts=hosts, nationalities=nationalities, months=months)
        if talk is None:
            found.append(problem_table.problem(str(path), "problem_no_such_file"))
            continue
        found += problems
        scenes += len(talk.scenes)
    return found, scenes


def validate(paths: Sequence[str], *, strict: bool = False, lang: str = i18n.DEFAULT_LANGUAGE) -> int:
    """Print every problem in the files or folders and in their talks (a folder's ``talk.toml``, a
    ``.toml`` named; messages in ``lang``); 1 when an error (or, if strict, any problem) is found.

    A talk's links are checked against the data named; a talk named alone, against the data of its
    folder (which is then not itself checked)."""
    named_talks = [Path(p) for p in paths if _is_talk_file(p)]
    data_paths = [p for p in paths if not _is_talk_file(p)]
    folder_talks = [Path(p) / talks.TALK_FILE for p in data_paths if (Path(p) / talks.TALK_FILE).is_file()]
    talk_files: list[Path] = []  # each once, as named (a folder's talk may be named too)
    for path in [*folder_talks, *named_talks]:
        if path.resolve() not in {t.resolve() for t in talk_files}:
            talk_files.append(path)
    dataset = load(data_paths) if data_paths else None
    if dataset is not None and not dataset.files and not talk_files:
        print(
            f"nothing to check: {', '.join(paths)} holds no data files ({', '.join(DATA_SUFFIXES)}) and no talk",
            file=sys.stderr,
        )
        for found in dataset.found:
            print(format_problem(found, lang))
        return 1
    played_with = dataset if dataset is not None else load(sorted({str(p.parent) for p in named_talks}))
    found_in_talks, scenes = talk_problems(talk_files, played_with)
    found = [*(dataset.found if dataset is not None else ()), *found_in_talks]
    for each in found:
        print(format_problem(each, lang))
    parts = []
    if dataset is not None and dataset.files:
        counts = {
            "incidents": len(dataset.incidents),
            "status": len(dataset.status),
            "stocks": len(dataset.stocks),
            "timeline": len(dataset.timeline),
        }
        summary = ", ".join(f"{n} {table} rows" for table, n in counts.items())
        n_files = len(dataset.files)
        parts.append(f"{n_files} file{'s' * (n_files != 1)} checked: {summary} valid")
    if talk_files:
        n_talks = len(talk_files)
        parts.append(
            f"{n_talks} talk{'s' * (n_talks != 1)} checked: {scenes} scene{'s' * (scenes != 1)} to play"
        )
    print(f"{'; '.join(parts)}; {len(found)} problems", file=sys.stderr)
    failing = found if strict else [f for f in found if f.severity == "error"]
    return 1 if failing else 0


#: Files with fewer rows than this get no progress bar.
PROGRESS_MIN_ROWS = 20_000

#: Per table, the columns that identify a record (a second record with the same key is a duplicate).
RECORD_KEYS = {name: list(spec.key) for name, spec in TABLE_SPECS.items() if spec.key}


class ProgressBar:
    """A one-line progress bar on stderr, redrawn in place; silent for small files."""

    def __init__(
        self, label: str, stream: TextIO | None = None, *, minimum: int | None = None, width: int = 30
    ) -> None:
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.minimum = PROGRESS_MIN_ROWS if minimum is None else minimum
        self.width = width
        self.last = -1
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        if total < self.minimum or total <= 0:
            return
        percent = min(100, done * 100 // total)
        if percent == self.last:
            return
        self.last = percent
        filled = self.width * percent // 100
        bar = "#" * filled + "-" * (self.width - filled)
        self.stream.write(f"\r{self.label} [{bar}] {percent:3d}% {done:,}/{total:,} rows")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        """End the bar's line (if one was drawn)."""
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()
            self.shown = False


def _merge(table: str, parts: list[pd.DataFrame]) -> tuple[pd.DataFrame, int]:
    """All inputs of one table, in order; records whose key was already imported are left out."""
    frame = pd.concat(parts) if len(parts) > 1 else parts[0]
    duplicated = frame.duplicated(RECORD_KEYS[table], keep="first").to_numpy()
    return frame[~duplicated].reindex(columns=field_names(table)), int(duplicated.sum())


def import_files(paths: Sequence[str], out: str, *, format: str | None = None, force: bool = False) -> int:
    """Import publisher files into OUT/incidents.csv, status.csv, stocks.csv; 1 when nothing was imported."""
    parts: dict[str, list[pd.DataFrame]] = {}
    for path in paths:
        bar = ProgressBar(Path(path).name)
        try:
            result = importers.read_publisher(path, format, bar)
        finally:
            bar.close()
        print(f"{path}: {result.format}")
        for line in result.summary:
            print(f"  {line}")
        for problem in result.problems:
            print(format_problem(problem))
        for table, frame in result.tables.items():
            if len(frame):
                parts.setdefault(table, []).append(frame)
    merged = {}
    for table in TABLES:
        if table in parts:
            merged[table], duplicates = _merge(table, parts[table])
            if duplicates:
                key = ", ".join(RECORD_KEYS[table])
                print(
                    f"{table}: {duplicates:,} records left out: same {key} as a record from an earlier file"
                )
    if not merged:
        print("nothing imported", file=sys.stderr)
        return 1
    folder = Path(out)
    targets = {table: folder / f"{table}.csv" for table in merged}
    existing = [str(t) for t in targets.values() if t.exists()]
    if existing and not force:
        print(f"not written: {', '.join(existing)} already exist (use --force to overwrite)", file=sys.stderr)
        return 1
    folder.mkdir(parents=True, exist_ok=True)
    for table, frame in merged.items():
        frame.to_csv(targets[table], index=False, encoding="utf-8")
        print(f"wrote {targets[table]}: {len(frame):,} {table} records", file=sys.stderr)
    print(f"check them with: refugee-stats validate {folder}", file=sys.stderr)
    return 0


def _size(path: Path) -> str:
    size = path.stat().st_size
    return f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{size / 1000:.0f} kB"


def export_talk(
    slides: Sequence[Any],
    *,
    out: str,
    pdf: str | None = None,
    lang: str = i18n.DEFAULT_LANGUAGE,
    title: str | None = None,
    notes: bool = False,
) -> int:
    """Write ``slides`` (:class:`refugee_stats.handout.Slide`) as one offline HTML file at ``out``
    and, with ``pdf``, as a handout; say on stdout what was written and its size.

    The slides are the caller's: the default tour (:func:`refugee_stats.handout.tour_slides`)
    today, an authored talk's slides as well."""
    from refugee_stats import handout

    title = title or i18n.t("app_title", lang)
    html_path = Path(out)
    html_path.parent.mkdir(parents=True, exist_ok=True)
    html_path.write_text(handout.talk_html(slides, lang=lang, title=title), encoding="utf-8")
    print(f"wrote {html_path}: {len(slides)} scenes, {_size(html_path)} (open it in any browser, offline)")
    if pdf:
        try:
            pdf_path = handout.handout_pdf(slides, pdf, lang=lang, title=title, notes=notes)
        except RuntimeError as error:
            print(f"not written: {pdf}: {error}", file=sys.stderr)
            return 1
        print(f"wrote {pdf_path}: {len(slides)} pages (A4 landscape), {_size(pdf_path)}")
    return 0


def talk_export(
    data_dir: str | None,
    *,
    out: str,
    pdf: str | None = None,
    lang: str | None = None,
    public: bool | None = None,
    theme: str = "light",
    base_url: str = "",
    notes: bool = False,
    talk_file: str | None = None,
    tour: bool = False,
) -> int:
    """The talk of the data in ``data_dir`` (default: the dashboard's data) as one offline HTML file
    and, with ``pdf``, a handout: the talk file ``talk_file``, else the folder's ``talk.toml``, else
    (or with ``tour``) the standard tour of the whole data. ``lang`` and ``public`` default to the
    talk's (English, protection on, for the tour). 1 when there is nothing to show."""
    from refugee_stats import handout, talk

    folder = data_dir or str(default_data_dir())
    dataset = load([folder])
    shown = lang or i18n.DEFAULT_LANGUAGE
    for problem in dataset.found:  # rows with errors are left out, as in the dashboard
        if problem.severity == "error":
            print(format_problem(problem, shown), file=sys.stderr)
    if not dataset.files or (dataset.incidents.empty and dataset.status.empty):
        print(f"nothing to present: {folder} holds no usable records", file=sys.stderr)
        return 1
    authored = None
    if not tour:
        hosts, nationalities, months = talk.data_bounds(dataset)
        authored, problems = talk.load_talk(
            talk_file or folder, hosts=hosts, nationalities=nationalities, months=months
        )
        if talk_file and authored is None:
            print(f"not read: {talk_file}: no such file", file=sys.stderr)
            return 1
        for problem in problems:  # a bad scene is left out, the rest of the talk still plays
            print(format_problem(problem, lang or (authored.lang if authored else shown)), file=sys.stderr)
    if authored is not None and authored.scenes:
        lang = lang or authored.lang
        if public is not None and public != authored.public:
            authored = dataclasses.replace(authored, public=public)
        slides = handout.talk_slides(dataset, authored, lang=lang, theme=theme, base_url=base_url)
        title = talk.talk_title(authored, lang) or None
        return export_talk(slides, out=out, pdf=pdf, lang=lang, title=title, notes=notes)
    lang = lang or i18n.DEFAULT_LANGUAGE
    slides = handout.tour_slides(
        dataset,
        handout.whole_data_filters(dataset),
        lang=lang,
        public=True if public is None else public,
        theme=theme,
        base_url=base_url,
    )
    return export_talk(slides, out=out, pdf=pdf, lang=lang, notes=notes)


def _database(url: str | None) -> str | None:
    import os

    from refugee_stats.sql.postgres import DATABASE_ENV

    found = url or os.environ.get(DATABASE_ENV)
    if not found:
        print(f"no database: give --database postgresql://... or set {DATABASE_ENV}", file=sys.stderr)
    return found


def db_command(command: str, *, url: str | None, folder: str | None = None, replace: bool = False) -> int:
    """``refugee-stats db init|load|refresh``: create the server's tables, add a folder's records
    (validated; nothing is added when a file has an error), or build the derived tables again."""
    from refugee_stats.sql import postgres

    found = _database(url)
    if found is None:
        return 2
    try:
        con = postgres.connect(found)
    except Exception as exc:  # the driver's own message says what went wrong (host, password...)
        print(f"cannot connect to {postgres.redacted(found)}: {exc}", file=sys.stderr)
        return 1
    where = postgres.redacted(found)
    if command == "init":
        made = postgres.init(con)
        print(f"{where}: created {', '.join(made)}" if made else f"{where}: every table exists already")
        return 0
    if command == "refresh":
        postgres.refresh(con)
        print(f"{where}: derived tables built again from {postgres.rows(con)}")
        return 0
    dataset = load([str(folder)])
    for problem in dataset.found:
        print(format_problem(problem))
    if not dataset.errors.empty:
        print(
            f"{folder}: {len(dataset.errors)} errors; nothing loaded (fix them, then load again)",
            file=sys.stderr,
        )
        return 1
    try:
        added = postgres.load(con, dataset, replace=replace, what=str(folder))
    except postgres.DuplicateRecords as exc:
        print(
            f"{folder}: records already in {where}: {exc}; use --replace to load in place of them",
            file=sys.stderr,
        )
        return 1
    counts = ", ".join(f"{n} {name}" for name, n in added.items())
    print(f"{where}: {'replaced by' if replace else 'added'} {counts} (version {postgres.version(con)})")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``refugee-stats`` command."""
    parser = argparse.ArgumentParser(
        prog="refugee-stats", description="Check and work with refugee-stats data files."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser(
        "validate",
        help="check data files against the data contract (data/README.md), and talks (talk.toml)",
    )
    check.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="CSV/XLSX files, folders holding them (and their talk.toml), or talk files (.toml)",
    )
    check.add_argument("--strict", action="store_true", help="fail on warnings (such as unknown columns) too")
    check.add_argument(
        "--lang",
        choices=list(i18n.LANGUAGES),
        default=i18n.DEFAULT_LANGUAGE,
        help="language of the problem messages (default: en)",
    )
    formats = "; ".join(f"{name}: {text}" for name, text in importers.FORMATS.items())
    imports = commands.add_parser(
        "import",
        help="turn publishers' files (UNHCR, UK Home Office, US ICE, HXL) into incidents/status/stocks CSVs",
        description=f"Known formats (detected from the header row unless --format is given): {formats}.",
    )
    imports.add_argument("files", nargs="+", metavar="FILE", help="publisher files (CSV, gzip or zip)")
    imports.add_argument("--out", required=True, metavar="DIR", help="folder to write the CSV files into")
    imports.add_argument(
        "--format", choices=list(importers.FORMATS), help="read every FILE as this format (skip detection)"
    )
    imports.add_argument("--force", action="store_true", help="overwrite existing files in DIR")
    talk = commands.add_parser("talk", help="the presentation as one offline HTML file and a PDF handout")
    talk_commands = talk.add_subparsers(dest="talk_command", required=True)
    export = talk_commands.add_parser(
        "export",
        help="write the talk (DATA_DIR/talk.toml, or the standard tour) as one offline HTML file (and a PDF)",
        description="One scene per slide: key figures, each chart, the maps. The HTML file plays full "
        "screen in any browser, offline (PageDown/PageUp, arrows, Space; F for full screen).",
    )
    export.add_argument(
        "data_dir",
        nargs="?",
        metavar="DATA_DIR",
        help="folder of data files (default: $REFUGEE_STATS_DATA or data/)",
    )
    export.add_argument(
        "--lang", choices=list(i18n.LANGUAGES), help="language (default: the talk's; en for the tour)"
    )
    export.add_argument(
        "--public",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="small-number protection (default: the talk's; on for the tour)",
    )
    export.add_argument(
        "--talk", dest="talk_file", metavar="TOML", help="the talk to export (default: DATA_DIR/talk.toml)"
    )
    export.add_argument(
        "--tour", action="store_true", help="the standard tour (one scene per chart) even where a talk exists"
    )
    export.add_argument("--theme", choices=list(urlstate.THEMES), default="light", help="projector theme")
    export.add_argument("--out", required=True, metavar="HTML", help="the talk file to write (talk.html)")
    export.add_argument("--pdf", metavar="PDF", help="also write a handout, one A4 landscape page per scene")
    export.add_argument(
        "--base-url",
        default="",
        metavar="URL",
        help="the dashboard's address, put before each scene's link (default: the query string alone)",
    )
    export.add_argument("--notes", action="store_true", help="put the speaker notes in the PDF handout")
    db = commands.add_parser(
        "db",
        help="a PostgreSQL server holding the records (REFUGEE_STATS_DATABASE)",
        description="The dashboard answers every view from the server when REFUGEE_STATS_DATABASE names it.",
    )
    db_commands = db.add_subparsers(dest="db_command", required=True)
    for name, text in (
        ("init", "create the tables (incidents, status, timeline, loads); see data/README.md"),
        (
            "load",
            "validate a data folder and add its records (in one transaction), then build derived tables",
        ),
        ("refresh", "build the derived tables again (after records were changed on the server)"),
    ):
        sub = db_commands.add_parser(name, help=text)
        sub.add_argument("--database", metavar="URL", help="postgresql://user:password@host:port/db")
        if name == "load":
            sub.add_argument(
                "folder", metavar="FOLDER", help="folder of data files (checked as validate does)"
            )
            sub.add_argument("--replace", action="store_true", help="in place of every record on the server")
    args = parser.parse_args(argv)
    if args.command == "db":
        return db_command(
            args.db_command,
            url=args.database,
            folder=getattr(args, "folder", None),
            replace=getattr(args, "replace", False),
        )
    if args.command == "talk":
        return talk_export(
            args.data_dir,
            out=args.out,
            pdf=args.pdf,
            lang=args.lang,
            public=args.public,
            theme=args.theme,
            base_url=args.base_url,
            notes=args.notes,
            talk_file=args.talk_file,
            tour=args.tour,
        )
    if args.command == "validate":
        return validate(args.paths, strict=args.strict, lang=args.lang)
    if args.command == "import":
        return import_files(args.files, args.out, format=args.format, force=args.force)
    parser.error(f"unknown command {args.command}")
    return 2


if __name__ == "__main__":
    sys.exit(main())
