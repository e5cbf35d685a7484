"""Benchmarks of the fund's Monte Carlo (run by ``make bench``, not by ``make test``).

* 10^6 paths x 5 years, every stochastic process on: the full ensemble (drivers +
  projection + float32 reserve paths) against the *floor* — numpy drawing exactly the
  same random variates (same kinds, same counts, same block sizes) and nothing else.
  The ratio is stored in ``benchmark.extra_info`` and printed; the target is <= 5x
  (issue 10: the Monte Carlo with the fund's rules applied path by path, the coverage gate
  and the deficit rule, stays within 5x of drawing its variates).
* 10^7 paths, one round, ``store="histogram"``: bounded memory, peak stated.

Peak memory is measured with :mod:`tracemalloc` (numpy reports its buffers to it) in
an untimed run, so tracing does not slow the timed rounds.  No timing assertions.
"""

from __future__ import annotations

import time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from pytest_benchmark.fixture import BenchmarkFixture

from fund.montecarlo import MonteCarloResult, monte_carlo
from fund.stochastic import StartState, StochasticModel
from tests.benchmarks.timing import bench_stats

N_YEARS = 5
BLOCK = 2**14


class CountingGenerator(np.random.Generator):
    """A Generator that counts the variates it draws, by kind."""

    def __init__(self, seed: int) -> None:
        super().__init__(np.random.PCG64(seed))
        self.counts: Counter[str] = Counter()

    def noncentral_chisquare(self, df: Any, nonc: Any, size: Any = None) -> Any:
        out = super().noncentral_chisquare(df, nonc, size)
        self.counts["noncentral_chisquare"] += np.size(out)
        return out

    def standard_normal(self, size: Any = None, dtype: Any = np.float64,
                        out: Any = None) -> Any:
        res = super().standard_normal(size, dtype, out)
        self.counts["standard_normal"] += np.size(res)
        return res

    def random(self, size: Any = None, dtype: Any = np.float64,
               out: Any = None) -> Any:
        res = super().random(size, dtype, out)
        self.counts["random"] += np.size(res)
        return res


def variates_per_path() -> Counter[str]:
    """Variates one path consumes, counted on a real draw of 1000 paths."""
    gen = CountingGenerator(0)
    StochasticModel.printed().simulate_drivers(StartState.from_data(), N_YEARS, 1000, rng=gen)
    return Counter({k: v // 1000 for k, v in gen.counts.items()})


def draw_floor(n_paths: int, per_path: Counter[str], seed: int = 1) -> None:
    """Draw the same variates as the ensemble, block by block, and nothing else."""
    root = np.random.SeedSequence(seed)
    for child in root.spawn(-(-n_paths // BLOCK)):
        g = np.random.default_rng(child)
        tiny = np.full(BLOCK, 1e-7)
        for _ in range(per_path["noncentral_chisquare"]):
            g.noncentral_chisquare(300.0, tiny)
        for _ in range(per_path["standard_normal"]):
            g.standard_normal(BLOCK)
        for _ in range(per_path["random"]):
            g.random(BLOCK)


def peak_mb(fn: Callable[[], object]) -> float:
    tracemalloc.start()
    tracemalloc.reset_peak()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


@pytest.mark.benchmark(group="fund-montecarlo")
def test_bench_monte_carlo_1e6_paths(benchmark: BenchmarkFixture,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    n = 10**6
    per_path = variates_per_path()
    model, start = StochasticModel.printed(), StartState.from_data()

    def run() -> MonteCarloResult:
        return monte_carlo(n, N_YEARS, model=model, start=start, rng=2026, keep=("reserve",),
                           floor=0.0, block_size=BLOCK)

    res = benchmark.pedantic(run, rounds=3, iterations=1, warmup_rounds=0)
    t_mc = bench_stats(benchmark).min

    floor_times = []
    for _ in range(3):
        t0 = time.perf_counter()
        draw_floor(n, per_path)
        floor_times.append(time.perf_counter() - t0)
    t_floor = min(floor_times)
    normals_times = []
    total_variates = n * sum(per_path.values())
    for _ in range(3):
        g = np.random.default_rng(3)
        t0 = time.perf_counter()
        for _ in range(total_variates // 10**7):
            g.standard_normal(10**7)
        normals_times.append(time.perf_counter() - t0)
    t_normals = min(normals_times)

    mem = peak_mb(run)
    info = {
        "n_paths": n, "n_years": N_YEARS,
        "variates_per_path": dict(per_path), "variates_total": total_variates,
        "time_s": round(t_mc, 3),
        "floor_same_variates_s": round(t_floor, 3),
        "ratio_to_floor": round(t_mc / t_floor, 2),
        "floor_standard_normals_s": round(t_normals, 3),
        "ratio_to_normals": round(t_mc / t_normals, 2),
        "peak_memory_mb": round(mem, 1),
        "prob_reserve_below_0": res.prob_below_floor,
    }
    benchmark.extra_info.update(info)
    with capsys.disabled():
        print("\nfund Monte Carlo 1e6 x 5:", info)
    assert res.n_paths == n


@pytest.mark.benchmark(group="fund-montecarlo-10m")
def test_bench_monte_carlo_1e7_paths_bounded_memory(benchmark: BenchmarkFixture,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    n = 10**7
    holder = {}

    def run() -> None:
        holder["res"] = monte_carlo(n, N_YEARS, rng=2026, keep=("reserve",),
                                    store="histogram", floor=0.0, block_size=BLOCK)

    tracemalloc.start()
    tracemalloc.reset_peak()
    benchmark.pedantic(run, rounds=1, iterations=1, warmup_rounds=0)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    res = holder["res"]
    info = {
        "n_paths": n, "n_years": N_YEARS, "store": "histogram",
        "time_s": round(bench_stats(benchmark).min, 2),
        "peak_memory_mb": round(peak / 2**20, 1),
        "paths_store_would_need_mb": round(4 * n * N_YEARS / 2**20, 1),
        "max_quantile_error": float(res.resolution["reserve"].max()),
        "median_reserve_2027": float(res.quantile_table("reserve", [0.5]).iloc[-1, 0]),
    }
    benchmark.extra_info.update(info)
    with capsys.disabled():
        print("\nfund Monte Carlo 1e7 x 5 (histogram):", info)
    assert res.n_paths == n
