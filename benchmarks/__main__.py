"""Run the benchmark suite: ``uv run --group bench python -m benchmarks [--sizes 10k,100k] [--repeats 5]``.

For each size it generates (once; cached in ``benchmarks/cache/``) seeded synthetic
incidents and status files of that many rows each, in CSV and Parquet, then measures, as
medians of ``--repeats`` runs:

- load: CSV and Parquet to the validated, typed Dataset, against ``pandas.read_csv`` alone
  on the same CSV files (the floor);
- filter change: ``build_view`` for a set of filter changes, against DuckDB answering the
  same aggregations on the same in-memory data (answers are compared, too);
- figures: the registered charts (``registry.figures``) of the default view, and each one's JSON size;
- memory: peak RSS of a load in a fresh process, against the typed data's own size;
- the dashboard in Streamlit's AppTest: first run and full reruns (fresh process per size).

It prints one table and writes everything to ``benchmarks/results/latest.json``.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import warnings
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000, "10m": 10_000_000}
TARGETS = {
    "filter_vs_duckdb_1m": 1.0,
    "filter_10m_seconds": 1.0,
    "load_vs_read_csv": 1.5,
    "figure_kb": 100,
    "rerun_1m_vs_10k": 2.0,
    "peak_vs_typed": 2.0,
}


def _rows(text: str) -> int:
    text = text.strip().lower()
    if text in SIZES:
        return SIZES[text]
    for suffix, factor in (("k", 1_000), ("m", 1_000_000)):
        if text.endswith(suffix):
            return int(float(text[:-1]) * factor)
    return int(text)


def _label(rows: int) -> str:
    for suffix, factor in (("m", 1_000_000), ("k", 1_000)):
        if rows >= factor and rows % factor == 0:
            return f"{rows // factor}{suffix}"
    return str(rows)


def median_time(fn: Callable[[], object], repeats: int) -> tuple[float, object]:
    """Median wall time of ``repeats`` calls (after collecting garbage), and the last result."""
    times, result = [], None
    for _ in range(repeats):
        result = None
        gc.collect()
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in ("pandas", "numpy", "pyarrow", "pandera", "plotly", "streamlit", "duckdb"):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def scenarios(dataset: object) -> dict[str, object]:
    """Filter changes a user makes, starting from the dashboard's default view."""
    from refugee_stats.filters import data_months

    return scenarios_over(data_months(dataset.incidents, dataset.status) or (None, None))


def scenarios_over(months: tuple[str | None, str | None]) -> dict[str, object]:
    """:func:`scenarios` from the view of the first to the last of ``months``."""
    from refugee_stats.filters import Filters

    base = Filters(date_from=months[0], date_to=months[1])
    return {
        "default": base,
        "one_host": base.with_(host_countries=("KAZ",)),
        "two_nationalities": base.with_(nationalities=("AFG", "UZB")),
        "two_years": base.with_(date_from="2015-01", date_to="2016-12"),
        "detention_only": base.with_(types=("detention",)),
        "quarterly": base.with_(granularity="quarter"),
        "combined_yearly": base.with_(
            host_countries=("KAZ", "KGZ"),
            date_from="2012-01",
            date_to="2020-12",
            types=("detention", "deportation"),
            granularity="year",
        ),
    }


def bench_load(folder: Path, repeats: int) -> tuple[dict, object]:
    import pandas as pd

    from refugee_stats.ingest.dataset import load

    csv_files = [folder / "csv" / "incidents.csv", folder / "csv" / "status.csv"]
    with warnings.catch_warnings():  # the few bad counts ("many") make pandas warn of mixed types
        warnings.simplefilter("ignore", pd.errors.DtypeWarning)
        floor, _ = median_time(lambda: [pd.read_csv(p) for p in csv_files], repeats)
    csv_seconds, dataset = median_time(lambda: load(folder / "csv"), repeats)
    parquet_seconds, from_parquet = median_time(lambda: load(folder / "parquet"), repeats)
    same = len(from_parquet.incidents) == len(dataset.incidents) and len(from_parquet.status) == len(
        dataset.status
    )
    del from_parquet
    return {
        "read_csv": floor,
        "csv": csv_seconds,
        "parquet": parquet_seconds if same else None,
        "csv_vs_read_csv": csv_seconds / floor,
        "parquet_vs_read_csv": parquet_seconds / floor if same else None,
        "rows": {"incidents": len(dataset.incidents), "status": len(dataset.status)},
        "problems": len(dataset.problems),
    }, dataset


def bench_filters(dataset: object, repeats: int) -> dict:
    from benchmarks import duck
    from refugee_stats.view import build_view

    con = duck.connect(dataset)
    out: dict[str, dict] = {}
    for name, filters in scenarios(dataset).items():
        build_view(dataset, filters)  # first use of a dataset may build caches: not a filter change
        ours, view = median_time(lambda f=filters: build_view(dataset, f), repeats)
        theirs, answer = median_time(lambda f=filters: duck.view_data(con, f), repeats)
        out[name] = {
            "build_view": ours,
            "duckdb": theirs,
            "ratio": ours / theirs,
            "differences": duck.check(view, answer),
        }
    con.close()
    total_ours = sum(s["build_view"] for s in out.values())
    total_duck = sum(s["duckdb"] for s in out.values())
    return {
        "scenarios": out,
        "build_view_total": total_ours,
        "duckdb_total": total_duck,
        "ratio_total": total_ours / total_duck,
        "build_view_max": max(s["build_view"] for s in out.values()),
        "ratio_max": max(s["ratio"] for s in out.values()),
        "agree": all(not s["differences"] for s in out.values()),
    }


def bench_figures(dataset: object, repeats: int) -> dict:
    from refugee_stats.registry import figures
    from refugee_stats.view import build_view

    view = build_view(dataset, scenarios(dataset)["default"])
    seconds, built = median_time(lambda: figures(view), repeats)
    json_seconds, texts = median_time(lambda: {k: f.to_json() for k, f in built.items()}, repeats)
    sizes = {k: len(t.encode()) for k, t in texts.items()}
    return {
        "build": seconds,
        "to_json": json_seconds,
        "json_bytes": sizes,
        "max_kb": max(sizes.values()) / 1024,
    }


def _probe(args: list[str], timeout: float) -> dict:
    try:
        done = subprocess.run(
            [sys.executable, "-m", "benchmarks.probes", *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=HERE.parent,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s"}
    lines = done.stdout.strip().splitlines()
    if done.returncode or not lines:
        return {"error": (done.stderr.strip().splitlines() or ["no output"])[-1][:300]}
    return json.loads(lines[-1])


def run_size(rows: int, args: argparse.Namespace) -> dict:
    from benchmarks.generate import ensure

    label = _label(rows)
    started = time.perf_counter()
    folder = ensure(rows, args.cache)
    print(f"[{label}] data ready in {time.perf_counter() - started:.1f} s: {folder}", flush=True)
    result: dict = {"rows": rows, "label": label}
    dataset = None
    if "load" in args.phases or {"filter", "figures"} & set(args.phases):
        result["load"], dataset = bench_load(folder, args.repeats)
        print(f"[{label}] load {result['load']}", flush=True)
    if "filter" in args.phases:
        result["filter"] = bench_filters(dataset, args.repeats)
        print(f"[{label}] filter total {result['filter']['build_view_total']:.3f} s", flush=True)
    if "figures" in args.phases:
        result["figures"] = bench_figures(dataset, args.repeats)
        print(f"[{label}] figures {result['figures']}", flush=True)
    del dataset
    gc.collect()
    if "memory" in args.phases:
        result["memory"] = _probe(["memory", str(folder / "csv")], args.timeout)
        print(f"[{label}] memory {result['memory']}", flush=True)
    if "app" in args.phases:
        result["app"] = _probe(
            ["apptest", str(folder / "csv"), str(args.repeats), str(args.timeout)], args.timeout * 2
        )
        print(f"[{label}] app {result['app']}", flush=True)
    return result


def _fmt(value: object, scale: float = 1.0, digits: int = 2) -> str:
    if value is None:
        return "-"
    if isinstance(value, str):
        return value
    return f"{value * scale:.{digits}f}"


COLUMNS = (
    ("rows", 8),
    ("read_csv s", 10),
    ("load csv s", 10),
    ("x read_csv", 10),
    ("parquet s", 9),
    ("filter ms", 9),
    ("duckdb ms", 9),
    ("x duckdb", 8),
    ("worst x", 7),
    ("figs ms", 8),
    ("fig KB", 7),
    ("typed MB", 8),
    ("peak MB", 8),
    ("x typed", 7),
    ("app 1st s", 9),
    ("rerun s", 8),
)


def table(results: list[dict]) -> str:
    lines = [" ".join(name.rjust(width) for name, width in COLUMNS)]
    for r in results:
        load, flt, fig = r.get("load", {}), r.get("filter", {}), r.get("figures", {})
        mem, app = r.get("memory", {}), r.get("app", {})
        reruns = app.get("reruns")
        cells = [
            r["label"],
            _fmt(load.get("read_csv")),
            _fmt(load.get("csv")),
            _fmt(load.get("csv_vs_read_csv")),
            _fmt(load.get("parquet")),
            _fmt(flt.get("build_view_total"), 1000, 0),
            _fmt(flt.get("duckdb_total"), 1000, 0),
            _fmt(flt.get("ratio_total")),
            _fmt(flt.get("ratio_max")),
            _fmt(fig.get("build"), 1000, 0),
            _fmt(fig.get("max_kb"), 1, 1),
            _fmt(mem.get("typed_bytes"), 1 / 2**20, 0),
            _fmt(mem.get("peak_delta"), 1 / 2**20, 0),
            _fmt(mem.get("peak_over_typed")),
            _fmt(app.get("first_run")) if "error" not in app else "error",
            _fmt(statistics.median(reruns)) if reruns else "-",
        ]
        lines.append(" ".join(c.rjust(width) for c, (_, width) in zip(cells, COLUMNS, strict=True)))
    return "\n".join(lines)


def verdicts(results: list[dict]) -> dict[str, dict]:
    """Each target: the measured value, the limit and whether it is met (None: not measured)."""
    by = {r["rows"]: r for r in results}
    out: dict[str, dict] = {}

    def put(name: str, value: float | None, limit: float) -> None:
        out[name] = {"value": value, "limit": limit, "met": None if value is None else value <= limit}

    put("filter_vs_duckdb_1m", by.get(1_000_000, {}).get("filter", {}).get("ratio_total"), 1.0)
    put("filter_10m_seconds", by.get(10_000_000, {}).get("filter", {}).get("build_view_max"), 1.0)
    loads = [r["load"]["csv_vs_read_csv"] for r in results if "load" in r]
    put("load_vs_read_csv", max(loads) if loads else None, 1.5)
    kbs = [r["figures"]["max_kb"] for r in results if "figures" in r]
    put("figure_kb", max(kbs) if kbs else None, 100)
    put("figure_kb_spread", (max(kbs) / min(kbs)) if kbs else None, 1.1)

    def rerun(rows: int) -> float | None:
        reruns = by.get(rows, {}).get("app", {}).get("reruns")
        return statistics.median(reruns) if reruns else None

    small, large = rerun(10_000), rerun(1_000_000)
    put("rerun_1m_vs_10k", large / small if small and large else None, 2.0)
    peaks = [r["memory"]["peak_over_typed"] for r in results if r.get("memory", {}).get("peak_over_typed")]
    put("peak_vs_typed", max(peaks) if peaks else None, 2.0)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", default="10k,100k,1m,10m", help="comma-separated row counts (10k, 1m, 250000)"
    )
    parser.add_argument("--repeats", type=int, default=3, help="runs per measurement; the median is kept")
    parser.add_argument("--output", type=Path, default=HERE / "results" / "latest.json")
    parser.add_argument("--cache", type=Path, default=HERE / "cache", help="where generated data is kept")
    parser.add_argument(
        "--phases",
        default="load,filter,figures,memory,app",
        help="any of load, filter, figures, memory, app",
    )
    parser.add_argument("--timeout", type=float, default=900, help="seconds allowed for one probe process")
    parser.add_argument(
        "--update",
        action="store_true",
        help="keep the other sizes and phases already in --output; replace only what this run measures",
    )
    args = parser.parse_args(argv)
    args.phases = [p.strip() for p in args.phases.split(",") if p.strip()]
    sizes = [_rows(s) for s in args.sizes.split(",") if s.strip()]
    results = [run_size(rows, args) for rows in sizes]
    if args.update and args.output.exists():
        kept = {r["rows"]: r for r in json.loads(args.output.read_text())["results"]}
        for r in results:
            kept[r["rows"]] = {**kept.get(r["rows"], {}), **r}
        results = [kept[rows] for rows in sorted(kept)]
    report = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {"cores": os.cpu_count(), "platform": platform.platform()},
        "versions": versions(),
        "repeats": args.repeats,
        "results": results,
        "targets": verdicts(results),
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2, default=str))
    print()
    print(table(results))
    print()
    for name, v in report["targets"].items():
        state = "not measured" if v["met"] is None else ("met" if v["met"] else "MISSED")
        print(f"{name:22s} {_fmt(v['value'])} (limit {v['limit']}): {state}")
    print(f"\nwritten to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
