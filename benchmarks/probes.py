"""Measurements that need a fresh process: peak memory of a load, and the dashboard in AppTest.

Run as ``python -m benchmarks.probes memory FOLDER`` or ``python -m benchmarks.probes apptest FOLDER``;
each prints one JSON object on its last line of standard output.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path


def _status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def typed_bytes(dataset: object) -> int:
    """Bytes held by the typed frames themselves (``memory_usage(deep=True)``)."""
    frames = [dataset.incidents, dataset.status, dataset.timeline, dataset.stocks, dataset.problems]
    return int(sum(f.memory_usage(deep=True, index=True).sum() for f in frames))


def memory(folder: str) -> dict:
    """RSS before and at peak of one ``load(folder)``, and the size of what it returns."""
    import pandas as pd

    from refugee_stats.ingest.dataset import load
    from refugee_stats.ingest.files import bundled_data_dir

    # are then in place before the baseline, so the delta is the data's own.
    load(bundled_data_dir())
    pd.DataFrame({"x": [1]}).memory_usage(deep=True)
    before = _status_kib("VmRSS") * 1024
    started = time.perf_counter()
    dataset = load(folder)
    seconds = time.perf_counter() - started
    peak = _status_kib("VmHWM") * 1024
    after = _status_kib("VmRSS") * 1024
    size = typed_bytes(dataset)
    return {
        "seconds": seconds,
        "rss_before": before,
        "rss_peak": peak,
        "rss_after": after,
        "peak_delta": peak - before,
        "retained_delta": after - before,
        "typed_bytes": size,
        "peak_over_typed": (peak - before) / size if size else None,
        "rows": {"incidents": len(dataset.incidents), "status": len(dataset.status)},
    }


def _exceptions(at: object) -> str:
    """What went wrong in the page: each exception's message, or the last line of its trace."""
    out = []
    for e in at.exception:
        trace = [line for line in (getattr(e, "stack_trace", None) or []) if str(line).strip()]
        out.append(str(e.message).strip() or (str(trace[-1]).strip() if trace else type(e).__name__))
    return "; ".join(m[:300] for m in out)


def apptest(folder: str, repeats: int, timeout: float) -> dict:
    """The dashboard in AppTest on ``folder``: first run (loads the data) and full reruns after it
    (each computing its view, figures and tables again: the shared ones are forgotten first)."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    import refugee_stats
    from refugee_stats import ui

    os.environ["REFUGEE_STATS_DATA"] = folder
    root = Path(refugee_stats.__file__).resolve().parent.parent  # the dashboard beside the package in use
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(root / "dashboard.py"), default_timeout=timeout)
    started = time.perf_counter()
    at.run()
    first = time.perf_counter() - started
    if at.exception:
        return {"error": _exceptions(at), "first_run": first}
    reruns = []
    for _ in range(repeats):
        ui.clear_shared_views()
        started = time.perf_counter()
        at.run()
        reruns.append(time.perf_counter() - started)
        if at.exception:
            return {"error": _exceptions(at), "first_run": first, "reruns": reruns}
    charts = len(at.get("plotly_chart"))
    st.cache_data.clear()
    st.cache_resource.clear()
    return {"first_run": first, "reruns": reruns, "charts": charts}


def _limit_memory(share: float = 0.75) -> None:
    """Cap this process's address space, so a size too big for the machine fails here, not elsewhere."""
    import resource

    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    limit = int(total * share)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def main(argv: list[str]) -> None:
    kind, folder = argv[0], argv[1]
    _limit_memory()
    if kind == "memory":
        result = memory(folder)
    elif kind == "apptest":
        result = apptest(folder, int(argv[2]), float(argv[3]))
    else:
        raise SystemExit(f"unknown probe {kind}")
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
