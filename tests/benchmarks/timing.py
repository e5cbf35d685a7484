"""The timing statistics of a benchmark that has run, typed for mypy."""

from __future__ import annotations

from pytest_benchmark.fixture import BenchmarkFixture
from pytest_benchmark.stats import Stats


def bench_stats(benchmark: BenchmarkFixture) -> Stats:
    """pytest-benchmark's statistics (seconds) of the run ``benchmark`` just timed."""
    meta = benchmark.stats
    assert meta is not None, "call benchmark(...) or benchmark.pedantic(...) first"
    stats: Stats = meta.stats
    return stats
