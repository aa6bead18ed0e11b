"""Streaming validation into a store against the in-memory load: ``uv run --group bench python -m benchmarks.stream --rows 1m,10m``.

For each size it generates (once; cached in ``benchmarks/cache/``, see ``benchmarks/generate.py``)
seeded synthetic ``incidents.csv`` and ``status.csv`` of that many rows each, then, each in a
fresh process, measures wall time and peak RSS (the child's ``ru_maxrss``) of:

- ``stream``: :func:`refugee_stats.ingest.stream.stream_to_store` of ``incidents.csv`` alone
  (one CSV of that many rows), then of the whole folder (both files and the timeline);
- ``load``: :func:`refugee_stats.ingest.dataset.load` of the same, up to ``--load-max`` rows
  (at 10 million rows it needs about 7 GB).

Records are those in the files (valid or not); ``wall s`` is the child process's whole run
(starting Python and importing pandas included), ``work s`` the step itself, and rows/s is
records over ``work s``. It prints one table and writes ``benchmarks/results/stream.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.__main__ import _label, _rows

HERE = Path(__file__).resolve().parent
#: The issue's target: validating a 10M-row CSV in streaming within 2 GB peak RSS.
TARGET_PEAK_MB = 2048
TODAY = "2026-01-01"


def _child(mode: str, paths: list[str], out: str, chunk_rows: int | None) -> None:
    """Run one measured step in this (fresh) process and print its figures as JSON."""
    import pandas as pd

    today = pd.Timestamp(TODAY)
    start = time.perf_counter()
    if mode == "stream":
        from refugee_stats.ingest.stream import DEFAULT_CHUNK_ROWS, stream_to_store

        summary = stream_to_store(
            [Path(p) for p in paths], Path(out), chunk_rows=chunk_rows or DEFAULT_CHUNK_ROWS, today=today
        )
        rows, problems = sum(summary.rows.values()), summary.problems
        store = sum(f.stat().st_size for f in Path(out).iterdir())
    else:
        from refugee_stats.ingest.dataset import load

        dataset = load([Path(p) for p in paths], today=today)
        rows = len(dataset.incidents) + len(dataset.status) + len(dataset.timeline)
        problems, store = len(dataset.problem_table), None
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "kept": rows, "problems": problems, "store_bytes": store}))


def measure(mode: str, paths: list[Path], chunk_rows: int | None) -> dict:
    """One step in a fresh process: its figures, wall time with start-up, and peak RSS (MB)."""
    with tempfile.TemporaryDirectory(dir=HERE / "cache") as tmp:
        command = [
            sys.executable,
            "-m",
            "benchmarks.stream",
            "--child",
            mode,
            "--out",
            str(Path(tmp) / "store"),
        ]
        if chunk_rows:
            command += ["--chunk-rows", str(chunk_rows)]
        start = time.perf_counter()
        process = subprocess.Popen([*command, *map(str, paths)], stdout=subprocess.PIPE, cwd=HERE.parent)
        output = process.stdout.read().decode() if process.stdout else ""
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{mode} {paths} failed: {output[-2000:]}")
    found = json.loads(output.strip().splitlines()[-1])
    return {**found, "wall": wall, "peak_mb": usage.ru_maxrss / 1024}


def _records(paths: list[Path]) -> int:
    """Records in CSV files (lines after the header: the generated files hold no line breaks in cells)."""
    total = 0
    for path in paths:
        with path.open("rb") as handle:
            total += sum(block.count(b"\n") for block in iter(lambda h=handle: h.read(1 << 24), b"")) - 1
    return total


COLUMNS = (
    ("size", 6),
    ("input", 10),
    ("path", 7),
    ("records", 11),
    ("wall s", 8),
    ("work s", 8),
    ("rows/s", 10),
    ("peak MB", 8),
    ("problems", 9),
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rows", default="1m", help="sizes, comma-separated (10k, 1m, 10m; default 1m)")
    parser.add_argument("--load-max", default="1m", help="largest size also loaded in memory (default 1m)")
    parser.add_argument(
        "--chunk-rows", type=int, default=None, help="records per chunk (default: the module's)"
    )
    parser.add_argument("--output", type=Path, default=HERE / "results" / "stream.json")
    parser.add_argument("--child", choices=("stream", "load"), help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("paths", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args.child, args.paths, args.out, args.chunk_rows)
        return 0

    from benchmarks.generate import ensure

    (HERE / "cache").mkdir(exist_ok=True)
    load_max = _rows(args.load_max)
    results = []
    print(" ".join(name.rjust(width) for name, width in COLUMNS), flush=True)
    for size in (_rows(s) for s in args.rows.split(",")):
        folder = ensure(size, HERE / "cache") / "csv"
        inputs = {"incidents": [folder / "incidents.csv"], "folder": [folder]}
        for name, paths in inputs.items():
            records = _records(
                [folder / "incidents.csv"] if name == "incidents" else sorted(folder.glob("*.csv"))
            )
            for mode in ("stream", "load"):
                if mode == "load" and size > load_max:
                    continue
                found = measure(mode, paths, args.chunk_rows)
                row = {"size": _label(size), "input": name, "mode": mode, "records": records, **found}
                results.append(row)
                cells = (
                    row["size"],
                    name,
                    mode,
                    f"{records:,}",
                    f"{found['wall']:.1f}",
                    f"{found['seconds']:.1f}",
                    f"{records / found['seconds']:,.0f}",
                    f"{found['peak_mb']:.0f}",
                    f"{found['problems']:,}",
                )
                print(" ".join(c.rjust(w) for c, (_, w) in zip(cells, COLUMNS, strict=True)), flush=True)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    machine = {"cores": os.cpu_count(), "python": platform.python_version()}
    args.output.write_text(
        json.dumps({"machine": machine, "target_peak_mb": TARGET_PEAK_MB, "results": results}, indent=2)
    )
    print(f"target: streaming peak RSS <= {TARGET_PEAK_MB} MB at 10m rows; written to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
