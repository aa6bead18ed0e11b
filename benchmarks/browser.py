"""Browser timing: navigation to the first chart drawn, dashboard against a bare one-chart page.

``uv run --group bench python -m benchmarks.browser [--repeats 5] [--rows 1m]``

Each page is served by ``streamlit run FILE --server.headless true --server.address 127.0.0.1
--server.port PORT`` and opened by headless Chromium (Playwright, the system's
/usr/bin/chromium). The time is from ``page.goto`` to the first ``.js-plotly-plot svg.main-svg``
being visible. The first visit to a fresh server is reported apart ("first"): for the
dashboard it includes loading the data. Later visits (new browser context each) give the
median ("warm"). Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
CHART = ".js-plotly-plot svg.main-svg"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(script: Path, env: dict[str, str], log: Path | None = None) -> tuple[subprocess.Popen, str]:
    """``streamlit run script`` on a free port of 127.0.0.1, its output in ``log`` (or dropped);
    waits for its health check and returns the process and its address."""
    port = _free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", str(script),
        "--server.headless", "true", "--server.address", "127.0.0.1", "--server.port", str(port),
        "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
    ]  # fmt: skip
    with log.open("ab") if log else open(os.devnull, "wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return process, url
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"streamlit did not start for {script}" + (f"; see {log}" if log else ""))


def time_page(script: Path, repeats: int, timeout: float, data: Path | None = None) -> dict:
    env = dict(os.environ)
    if data is not None:
        env["REFUGEE_STATS_DATA"] = str(data)
    else:
        env.pop("REFUGEE_STATS_DATA", None)
    process, url = serve(script, env)
    times: list[float] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for _ in range(repeats + 1):
                context = browser.new_context(viewport={"width": 1400, "height": 1000})
                page = context.new_page()
                started = time.perf_counter()
                page.goto(url, wait_until="commit")
                page.locator(CHART).first.wait_for(state="visible", timeout=timeout * 1000)
                times.append(time.perf_counter() - started)
                context.close()
            browser.close()
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
    return {"first": times[0], "warm": statistics.median(times[1:]), "all": times}


def main(argv: list[str] | None = None) -> int:
    from benchmarks.__main__ import _label, _rows
    from benchmarks.generate import ensure

    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.browser", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument(
        "--rows", default="1m", help="size of the generated data set to time besides the sample"
    )
    parser.add_argument("--timeout", type=float, default=600, help="seconds to wait for the first chart")
    parser.add_argument("--cache", type=Path, default=HERE / "cache")
    parser.add_argument("--output", type=Path, default=HERE / "results" / "browser.json")
    args = parser.parse_args(argv)
    rows = _rows(args.rows)
    folder = ensure(rows, args.cache) / "csv"
    pages = {
        "bare page (one plotly chart)": (HERE / "bare_page.py", None),
        "dashboard, bundled sample": (ROOT / "dashboard.py", None),
        f"dashboard, {_label(rows)} rows": (ROOT / "dashboard.py", folder),
    }
    results = {}
    for name, (script, data) in pages.items():
        try:
            results[name] = time_page(script, args.repeats, args.timeout, data)
        except Exception as exc:  # a page that never draws is a result too
            results[name] = {"error": f"{type(exc).__name__}: {str(exc)[:200]}"}
        print(name, results[name], flush=True)
    bare = results["bare page (one plotly chart)"].get("warm")
    print(f"\n{'page':34s} {'first s':>8s} {'warm s':>8s} {'x bare':>7s}")
    for name, r in results.items():
        if "error" in r:
            print(f"{name:34s} {'error':>8s}")
            continue
        ratio = r["warm"] / bare if bare else float("nan")
        print(f"{name:34s} {r['first']:8.2f} {r['warm']:8.2f} {ratio:7.2f}")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "cores": os.cpu_count(),
        "repeats": args.repeats,
        "pages": results,
    }
    args.output.write_text(json.dumps(report, indent=2))
    print(f"\nwritten to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
