"""Time building every figure: ``uv run python -m benchmarks.figures [--rows 10000] [--repeats 5]``.

For the bundled sample (``data/``) and a seeded synthetic dataset of ``--rows`` rows (made by
:mod:`benchmarks.generate`, cached in ``benchmarks/cache/``), it builds the default view in
several looks (English, Russian in public mode, Kazakh dark presentation) and prints, per
dataset and look, the medians of ``--repeats`` wall and CPU (process) times of building all six
figures (the four charts and the two maps), and the largest figure's JSON in KB. CPU time is the
steadier figure on a shared machine. Figures only: the view is built once, outside the timing.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path
from typing import Any

import plotly.graph_objects as go

from refugee_stats.filters import Filters, data_months
from refugee_stats.ingest.dataset import Dataset, load
from refugee_stats.registry import figures
from refugee_stats.view import View, build_view, map_figures

HERE = Path(__file__).resolve().parent
LOOKS: dict[str, dict[str, Any]] = {
    "en": {"locale": "en"},
    "ru public": {"locale": "ru", "public": True},
    "kk dark presentation": {"locale": "kk", "theme": "dark", "presentation": True},
}


def _all_figures(view: View) -> dict[str, go.Figure]:
    return {**figures(view), **map_figures(view)}


def bench(dataset: Dataset, repeats: int) -> dict[str, tuple[float, float, float]]:
    """Per look: the median wall and CPU seconds to build all figures, and the largest figure's JSON in KB."""
    months = data_months(dataset.incidents, dataset.status) or (None, None)
    filters = Filters(date_from=months[0], date_to=months[1])
    out = {}
    for name, look in LOOKS.items():
        view = build_view(dataset, filters, **look)
        wall, cpu = [], []
        built: dict[str, go.Figure] = {}
        for _ in range(repeats):
            started, started_cpu = time.perf_counter(), time.process_time()
            built = _all_figures(view)
            wall.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        kb = max(len((f.to_json() or "").encode()) for f in built.values()) / 1024
        out[name] = (statistics.median(wall), statistics.median(cpu), kb)
    return out


def main(argv: list[str] | None = None) -> int:
    from benchmarks.generate import ensure

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    sets = {
        "sample": HERE.parent / "data",
        f"synthetic {args.rows}": ensure(args.rows, HERE / "cache") / "csv",
    }
    for label, folder in sets.items():
        dataset = load(folder)
        bench(dataset, 1)  # warm up: imports, caches
        for look, (wall, cpu, kb) in bench(dataset, args.repeats).items():
            print(
                f"{label:>16}  {look:<22} wall {wall * 1000:7.1f} ms  cpu {cpu * 1000:7.1f} ms"
                f"  largest figure {kb:6.1f} KB"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
