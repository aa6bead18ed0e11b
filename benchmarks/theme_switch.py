"""Time a theme switch and a language switch on the bundled sample: ``uv run python -m benchmarks.theme_switch``.

Runs the dashboard in Streamlit's AppTest, then switches the theme (light -> dark) and the
language (en -> ru), each a fresh session state for every repeat, and prints the median
seconds of the rerun the switch causes. Only the text and the look should be redone: the
numbers of the view are the same (:func:`refugee_stats.compute.compute` is cached on the
data, filters and public mode).
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _switch(key: str, value: str, repeats: int) -> tuple[float, float]:
    """Median seconds of the first run and of the rerun after setting widget ``key`` to ``value``."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    first, switched = [], []
    for _ in range(repeats):
        st.cache_data.clear()
        st.cache_resource.clear()
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
        start = time.perf_counter()
        at.run()
        first.append(time.perf_counter() - start)
        assert not at.exception, at.exception
        at.session_state[key] = value
        start = time.perf_counter()
        at.run()
        switched.append(time.perf_counter() - start)
        assert not at.exception, at.exception
    return statistics.median(first), statistics.median(switched)


def _stages(repeats: int) -> dict[str, float]:
    """Median seconds of each stage of a view of the sample, outside Streamlit."""
    from refugee_stats import registry
    from refugee_stats.compute import compute, default_filters
    from refugee_stats.ingest.dataset import load
    from refugee_stats.view import Display, map_figures, render

    dataset = load()
    filters = default_filters(dataset)
    data = compute(dataset, filters)
    view = render(data, Display(theme="dark"))
    stages = {
        "compute": lambda: compute(dataset, filters),
        "render": lambda: render(data, Display(theme="dark")),
        "charts": lambda: registry.figures(view),
        "maps": lambda: map_figures(view),
    }
    out = {}
    for name, run in stages.items():
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            run()
            times.append(time.perf_counter() - start)
        out[name] = statistics.median(times)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    stages = _stages(args.repeats)
    print("  ".join(f"{name} {seconds * 1000:6.1f} ms" for name, seconds in stages.items()))
    redone = stages["render"] + stages["charts"] + stages["maps"]
    print(
        f"a theme switch redoes render + figures: {redone * 1000:.1f} ms; computing again would add {stages['compute'] * 1000:.1f} ms"
    )
    for label, key, value in (("theme light -> dark", "theme", "dark"), ("language en -> ru", "lang", "ru")):
        first, switched = _switch(key, value, args.repeats)
        print(
            f"{label:22} first run {first:6.3f} s   switch rerun {switched:6.3f} s   (median of {args.repeats})"
        )


if __name__ == "__main__":
    main()
