"""The backends side by side, from 10 thousand to 100 million records: ``uv run python -m benchmarks.scale``.

For each size a store of typed records is generated once (:mod:`benchmarks.bigdata`, Parquet
written directly; cached in ``benchmarks/cache/``), then each backend answers the same filter
changes in a fresh process of its own (so its peak memory is its own):

- **pandas**: the store read into memory, every view by the column engine (:mod:`refugee_stats.columns`);
- **duckdb**: the store read out of core by DuckDB (its derived tables built the first time);
- **postgresql**: the store copied into a PostgreSQL server (``--postgres URL``, or a throwaway
  cluster started here), every view answered by the server.

Each view's numbers (every chart's frames, key figures, sources, span, records kept; public mode
and not) are hashed, and the hashes compared across backends: the answers must be identical.
Then the dashboard's rerun after a filter change in AppTest, and the first chart drawn in Chromium,
on the smallest and the largest store (against the bundled sample). It prints one table and
writes ``benchmarks/results/scale.json``.

Options: ``--sizes 10k,1m,10m,100m``, ``--backends pandas,duckdb,postgresql``, ``--pandas-up-to 10m``
and ``--postgres-up-to 10m`` (larger sizes are skipped for them: pandas cannot hold 100M records in
24 GB, and copying them into PostgreSQL takes an hour), ``--repeats 3``, ``--phases views,app,browser``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
#: Targets of issue 12 (seconds, ratios, MB).
TARGETS = {
    "filter_10m_s": 0.3,
    "filter_100m_s": 2.0,
    "rerun_100m_vs_10k": 3.0,
    "peak_100m_mb": 4096,
    "first_chart_100m_vs_sample": 1.5,
}


def status_rows(incidents: int) -> int:
    """Status records generated beside ``incidents`` incident records (at most 10 million)."""
    return min(incidents, 10_000_000)


def digest(data: object) -> str:
    """A hash of every number of a view (:class:`refugee_stats.compute.ViewData`)."""
    h = hashlib.sha256()
    h.update(repr(data.key_figures).encode())
    h.update(repr(sorted(data.key_figure_status.items())).encode())
    for chart in sorted(data.charts):
        for name in sorted(data.charts[chart].frames):
            frame = data.charts[chart][name].reset_index(drop=True)
            h.update(f"{chart}.{name}".encode())
            h.update(frame.to_csv(index=False).encode())
        h.update(repr(sorted(data.charts[chart].counts.items())).encode())
    h.update(repr((data.sources, data.x_range, data.illustrative)).encode())
    h.update(repr((data.selection.count, data.selection.illustrative_count)).encode())
    return h.hexdigest()[:16]


def _peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def probe(backend: str, folder: Path, repeats: int, url: str | None) -> dict:
    """One backend on one store, in this (fresh) process: open, then every scenario ``repeats`` times."""
    from benchmarks.__main__ import scenarios_over
    from refugee_stats.compute import backend_for, compute

    started = time.perf_counter()
    if backend == "pandas":
        from refugee_stats.store.cache import read_store

        dataset = read_store(folder)
    elif backend == "duckdb":
        from refugee_stats.sources import open_store

        dataset = open_store(folder)
    else:
        from refugee_stats.sql import postgres

        assert url is not None
        dataset = postgres.load_database(url)
    opened = time.perf_counter() - started
    months = backend_for(dataset).months()
    assert months is not None
    out: dict = {"open_s": opened, "scenarios": {}}
    for name, filters in scenarios_over(months).items():
        times, hashes = [], []
        for _ in range(repeats):
            t = time.perf_counter()
            data = compute(dataset, filters, public=True)
            times.append(time.perf_counter() - t)
        hashes.append(digest(data))
        hashes.append(digest(compute(dataset, filters, public=False)))
        out["scenarios"][name] = {"median_s": statistics.median(times), "digest": "/".join(hashes)}
    out["peak_mb"] = _peak_mb()
    return out


def _run_probe(backend: str, folder: Path, repeats: int, url: str | None, timeout: float) -> dict:
    command = [sys.executable, "-m", "benchmarks.scale", "probe", backend, str(folder), str(repeats)]
    if url:
        command.append(url)
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=ROOT, check=False)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s"}
    lines = done.stdout.strip().splitlines()
    if done.returncode or not lines:
        return {"error": (done.stderr.strip().splitlines() or ["no output"])[-1][:300]}
    return json.loads(lines[-1])


def _postgres(url: str | None, folder: Path, label: str) -> tuple[str, float]:
    """A database holding the store's records on the server at ``url``: its address, and the seconds
    the copy took (``db load`` of the store)."""
    import psycopg

    from refugee_stats.sql import postgres

    name = f"bench_{label}"
    assert url is not None
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    target = url.rpartition("/")[0] + "/" + name
    started = time.perf_counter()
    postgres.load_store(postgres.connect(target), folder, what=f"benchmark {label}")
    return target, time.perf_counter() - started


def run(args: argparse.Namespace) -> dict:
    from benchmarks.__main__ import _label, _rows
    from benchmarks.bigdata import ensure_store

    results: list[dict] = []
    cluster: Path | None = None
    url = args.postgres
    if "postgresql" in args.backends and url is None:
        from tools import pg_cluster

        cluster = Path(tempfile.mkdtemp(prefix="refugee-stats-bench-pg-"))
        url = pg_cluster.start(cluster)
    try:
        for size in args.sizes:
            rows, label = _rows(size), _label(_rows(size))
            started = time.perf_counter()
            folder = ensure_store(rows, status_rows(rows), args.cache)
            entry: dict = {
                "rows": rows,
                "label": label,
                "generated_s": time.perf_counter() - started,
                "backends": {},
            }
            print(f"[{label}] store ready in {entry['generated_s']:.1f} s: {folder}", flush=True)
            for backend in args.backends:
                limit = {"pandas": args.pandas_up_to, "postgresql": args.postgres_up_to}.get(backend)
                if limit is not None and rows > _rows(limit):
                    entry["backends"][backend] = {"skipped": f"above {limit}"}
                    continue
                target = None
                extra: dict = {}
                if backend == "postgresql":
                    target, extra["load_s"] = _postgres(url, folder, label)
                found = _run_probe(backend, folder, args.repeats, target, args.timeout)
                entry["backends"][backend] = {**extra, **found}
                print(f"[{label}] {backend}: {entry['backends'][backend]}", flush=True)
            entry["agree"] = _agree(entry["backends"])
            results.append(entry)
    finally:
        if cluster is not None:
            from tools import pg_cluster

            pg_cluster.stop(cluster)
    report: dict = {"results": results}
    if "app" in args.phases:
        report["app"] = _apps(args, results)
    if "browser" in args.phases:
        report["browser"] = _browser(args, results)
    return report


def _agree(backends: dict) -> bool | None:
    """Whether every backend that ran gave the same numbers in every scenario (None: fewer than two)."""
    ran = [b for b in backends.values() if "scenarios" in b]
    if len(ran) < 2:
        return None
    return all(len({b["scenarios"][name]["digest"] for b in ran}) == 1 for name in ran[0]["scenarios"])


def _apps(args: argparse.Namespace, results: list[dict]) -> dict:
    """The dashboard's rerun after a filter change in AppTest, on the smallest and the largest store."""
    out = {}
    for entry in (results[0], results[-1]) if results else ():
        folder = args.cache / f"store-{entry['rows']}-{status_rows(entry['rows'])}"
        command = [
            sys.executable,
            "-m",
            "benchmarks.probes",
            "apptest",
            str(folder),
            str(args.repeats),
            str(args.timeout),
        ]
        done = subprocess.run(
            command, capture_output=True, text=True, cwd=ROOT, check=False, timeout=args.timeout * 3
        )
        lines = done.stdout.strip().splitlines()
        out[entry["label"]] = json.loads(lines[-1]) if lines else {"error": done.stderr[-300:]}
        print(f"[{entry['label']}] app {out[entry['label']]}", flush=True)
    return out


def _browser(args: argparse.Namespace, results: list[dict]) -> dict:
    """The first chart drawn in Chromium after navigation: the bundled sample, and the largest store."""
    from benchmarks.browser import time_page

    pages: dict[str, Path | None] = {"sample": None}
    if results:
        largest = results[-1]
        pages[largest["label"]] = args.cache / f"store-{largest['rows']}-{status_rows(largest['rows'])}"
    out = {}
    for name, data in pages.items():
        try:
            out[name] = time_page(ROOT / "dashboard.py", args.repeats, args.timeout, data)
        except Exception as exc:  # a page that never draws is a result too
            out[name] = {"error": f"{type(exc).__name__}: {str(exc)[:200]}"}
        print(f"[browser] {name} {out[name]}", flush=True)
    return out


def table(report: dict) -> str:
    lines = [
        f"{'rows':>6} {'backend':>10} {'open s':>8} {'load s':>8} {'median s':>9} {'worst s':>8} {'peak MB':>8} agree"
    ]
    for entry in report["results"]:
        for backend, r in entry["backends"].items():
            if "scenarios" not in r:
                lines.append(f"{entry['label']:>6} {backend:>10} {r.get('skipped') or r.get('error', '')}")
                continue
            times = [s["median_s"] for s in r["scenarios"].values()]
            load = f"{r['load_s']:8.1f}" if "load_s" in r else f"{'-':>8}"
            lines.append(
                f"{entry['label']:>6} {backend:>10} {r['open_s']:8.1f} {load} {statistics.median(times):9.3f} "
                f"{max(times):8.3f} {r['peak_mb']:8.0f} {entry['agree']}"
            )
    return "\n".join(lines)


def verdicts(report: dict) -> dict:
    by = {e["rows"]: e for e in report["results"]}
    out = {}

    def worst(rows: int) -> float | None:
        duck = by.get(rows, {}).get("backends", {}).get("duckdb", {})
        return max(s["median_s"] for s in duck["scenarios"].values()) if "scenarios" in duck else None

    out["filter_10m_s"] = worst(10_000_000)
    out["filter_100m_s"] = worst(100_000_000)
    duck100 = by.get(100_000_000, {}).get("backends", {}).get("duckdb", {})
    out["peak_100m_mb"] = duck100.get("peak_mb")
    apps = report.get("app", {})
    reruns = {k: statistics.median(v["reruns"]) for k, v in apps.items() if v.get("reruns")}
    out["rerun_100m_vs_10k"] = reruns["100m"] / reruns["10k"] if {"100m", "10k"} <= set(reruns) else None
    pages = report.get("browser", {})
    if "sample" in pages and "100m" in pages and "warm" in pages["sample"] and "warm" in pages["100m"]:
        out["first_chart_100m_vs_sample"] = pages["100m"]["warm"] / pages["sample"]["warm"]
    else:
        out["first_chart_100m_vs_sample"] = None
    return {
        k: {"value": v, "limit": TARGETS[k], "met": None if v is None else v <= TARGETS[k]}
        for k, v in out.items()
    }


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "probe":
        backend, folder, repeats = argv[1], Path(argv[2]), int(argv[3])
        print(json.dumps(probe(backend, folder, repeats, argv[4] if len(argv) > 4 else None)))
        return 0
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scale", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10k,1m,10m,100m")
    parser.add_argument("--backends", default="pandas,duckdb,postgresql")
    parser.add_argument("--pandas-up-to", default="10m")
    parser.add_argument("--postgres-up-to", default="10m")
    parser.add_argument("--postgres", metavar="URL", help="a server to create the benchmark databases on")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--phases", default="views,app,browser")
    parser.add_argument("--timeout", type=float, default=3600)
    parser.add_argument("--cache", type=Path, default=HERE / "cache")
    parser.add_argument("--output", type=Path, default=HERE / "results" / "scale.json")
    args = parser.parse_args(argv)
    args.sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    args.backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    args.phases = [p.strip() for p in args.phases.split(",") if p.strip()]
    report = run(args)
    report["targets"] = verdicts(report)
    report["when"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    report["cores"] = os.cpu_count()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2, default=str))
    print()
    print(table(report))
    print()
    for name, v in report["targets"].items():
        state = "not measured" if v["met"] is None else ("met" if v["met"] else "MISSED")
        value = "-" if v["value"] is None else f"{v['value']:.3f}"
        print(f"{name:28s} {value} (limit {v['limit']}): {state}")
    print(f"\nwritten to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
