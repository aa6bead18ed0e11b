"""Benchmarks of the refugee-stats data path: ``uv run --group bench python -m benchmarks``.

Not part of ``uv run pytest``. See :mod:`benchmarks.__main__` for the options and README.md
(section "Benchmarks") for what is measured and the targets.
"""
