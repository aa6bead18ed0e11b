"""Time a language switch on stage: ``uv run python -m benchmarks.presenter [--repeats 5]``.

In Streamlit's AppTest on the bundled sample, presenting scene 2 of the sample's talk (the
founding case) and of the standard tour (the whole sample, ``talk=0``), in English: the seconds
from the switch to Russian to the scene drawn again, as the stage's language button (or its ``L``
key) does it in one rerun, against the way it took before (exit presentation, switch the
sidebar's language, enter presentation again: three reruns). Caches are emptied before each
repeat, so each switch builds the Russian view and figures once, as a first switch in a talk
does. Prints the medians. (The browser's own times are printed by
``tests/browser/test_presenter_browser.py``.)
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _presenting(query: dict[str, str]):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.query_params.update(query)
    at.run()
    assert not at.exception, at.exception
    return at


def _run(at) -> float:
    start = time.perf_counter()
    at.run()
    assert not at.exception, at.exception
    return time.perf_counter() - start


def _on_stage(query: dict[str, str]) -> tuple[float, str]:
    at = _presenting(query)
    at.button(key="stage-lang-ru").click()
    seconds = _run(at)
    return seconds, at.title[0].value


def _the_old_way(query: dict[str, str]) -> tuple[float, str]:
    at = _presenting(query)
    at.button(key="nav-exit").click()
    seconds = _run(at)
    at.segmented_control(key="lang").set_value("ru")
    seconds += _run(at)
    at.toggle(key="present").set_value(True)
    seconds += _run(at)
    return seconds, at.title[0].value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    for label, query in (
        ("sample talk, scene 2", {"present": "1", "lang": "en", "scene": "2"}),
        ("standard tour, scene 2", {"present": "1", "lang": "en", "scene": "2", "talk": "0"}),
    ):
        for way, switch in (
            ("on stage (1 rerun)", _on_stage),
            ("exit, sidebar, enter (3 reruns)", _the_old_way),
        ):
            times, titles = [], set()
            for _ in range(args.repeats):
                seconds, title = switch(query)
                times.append(seconds)
                titles.add(title)
            print(
                f"{label:24} {way:32} {statistics.median(times):6.3f} s"
                f"  (median of {args.repeats}; title {' / '.join(sorted(titles))})"
            )


if __name__ == "__main__":
    main()
