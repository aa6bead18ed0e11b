"""Command line: ``refugee-stats validate PATH...``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import pandas as pd

from refugee_stats.load import load


def format_problem(problem: pd.Series) -> str:
    """``file:row:column: message`` (row and column blank for whole-file problems), with the bad value."""
    row = "" if pd.isna(problem["row"]) else str(int(problem["row"]))
    value = f" (value: {problem['value']!r})" if problem["value"] else ""
    level = "" if problem["severity"] == "error" else f"{problem['severity']}: "
    return f"{problem['file']}:{row}:{problem['column']}: {level}{problem['message']}{value}"


def validate(paths: Sequence[str], *, strict: bool = False) -> int:
    """Print every problem in the files or folders; 1 when an error (or, if strict, any problem) is found."""
    dataset = load(list(paths))
    for _, problem in dataset.problems.iterrows():
        print(format_problem(problem))
    counts = {
        "incidents": len(dataset.incidents),
        "status": len(dataset.status),
        "stocks": len(dataset.stocks),
        "timeline": len(dataset.timeline),
    }
    summary = ", ".join(f"{n} {table} rows" for table, n in counts.items())
    n_files = len(dataset.files)
    print(
        f"{n_files} file{'s' * (n_files != 1)} checked: {summary} valid; {len(dataset.problems)} problems",
        file=sys.stderr,
    )
    failing = dataset.problems if strict else dataset.errors
    return 1 if len(failing) else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``refugee-stats`` command."""
    parser = argparse.ArgumentParser(
        prog="refugee-stats", description="Check and work with refugee-stats data files."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser(
        "validate", help="check data files against the data contract (data/README.md)"
    )
    check.add_argument("paths", nargs="+", metavar="PATH", help="CSV/XLSX files or folders holding them")
    check.add_argument("--strict", action="store_true", help="fail on warnings (such as unknown columns) too")
    args = parser.parse_args(argv)
    if args.command == "validate":
        return validate(args.paths, strict=args.strict)
    parser.error(f"unknown command {args.command}")
    return 2


if __name__ == "__main__":
    sys.exit(main())
