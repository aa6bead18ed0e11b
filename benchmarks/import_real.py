"""Time the importers on the real publishers' files: ``uv run python -m benchmarks.import_real``.

Reads each file in ``../shared/data`` (UK Home Office detention tables, UNHCR decisions and
population) with :func:`refugee_stats.importers.read_publisher` and prints its summary, the
records it gives and the seconds it took (median of ``--repeats``), beside the target.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from refugee_stats import importers

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
#: File and the seconds it should import in, on 2 cores.
TARGETS = {
    ("uk-home-office", "people_leaving_detention.csv"): 10,
    ("uk-home-office", "people_in_detention.csv"): 10,
    ("uk-home-office", "people_entering_detention.csv"): 10,
    ("unhcr", "asylum_decisions.csv"): 30,
    ("unhcr", "population.csv"): 30,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    for parts, target in TARGETS.items():
        path = SHARED.joinpath(*parts)
        if not path.exists():
            print(f"{parts[-1]}: not found under {SHARED}")
            continue
        times, result = [], None
        for _ in range(args.repeats):
            start = time.perf_counter()
            result = importers.read_publisher(path)
            times.append(time.perf_counter() - start)
        assert result is not None
        seconds = statistics.median(times)
        verdict = "ok" if seconds <= target else "MISSED"
        print(
            f"{parts[-1]:34} {result.records:>9,} records  {seconds:6.2f} s  (target {target} s: {verdict})"
        )


if __name__ == "__main__":
    main()
