"""Benchmark of the Hopenhayn-Nicolini cost-function solve (run by ``make bench``).

Policy iteration (the default of :func:`optimize.classics.solve_cost_function`: each
improved policy is evaluated exactly by one linear solve) against plain value-function
iteration on the *same* grid and the same Bellman operator, both to a sup-norm change
of 1e-8.  Reported in ``benchmark.extra_info``: the time of each, the ratio, their
iterations, and the accuracy -- the sup-norm distance between the two cost functions and
each one's Bellman residual ``max |T C - C|``.  No timing assertions.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import pytest
from pytest_benchmark.fixture import BenchmarkFixture

from optimize.classics import solve_cost_function
from tests.benchmarks.timing import bench_stats


@pytest.mark.parametrize("contract", ["hopenhayn-nicolini", "shavell-weiss"])
def test_cost_function_policy_vs_value_iteration(benchmark: BenchmarkFixture,
                                                 contract: str) -> None:
    kw: dict[str, Any] = {"contract": contract, "tol": 1e-8}
    start = time.perf_counter()
    plain = solve_cost_function(method="value", **kw)
    plain_s = time.perf_counter() - start
    fast = benchmark.pedantic(solve_cost_function, kwargs={"method": "policy", **kw},
                              rounds=3, iterations=1)
    fast_s = bench_stats(benchmark).min
    info = {
        "policy_s": fast_s, "value_s": plain_s, "ratio": plain_s / fast_s,
        "policy_iterations": fast.iterations, "value_iterations": plain.iterations,
        "max_abs_difference": float(np.max(np.abs(fast.cost - plain.cost))),
        "policy_residual": fast.residual, "value_residual": plain.residual,
    }
    benchmark.extra_info.update(info)
    print(f"\n{contract}: " + ", ".join(f"{k} = {v:.4g}" for k, v in info.items()))
