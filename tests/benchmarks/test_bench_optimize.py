"""Benchmarks of the policy search (run by ``make bench``, not by ``make test``).

* The deterministic optimum of the Qinghai default problem with a binding budget
  (target: under 2 s), against a brute-force grid search over ``(U0, U, U1, x)``.
* The chance-constrained optimum with 10^4 Monte Carlo scenarios of the fund, certified
  out of sample on 10^5 fresh ones (target: under 60 s, both ensembles included),
  against the same grid search that checks every grid policy against every in-sample
  scenario at the level the solver was finally certified at (``in_sample_alpha``), so
  both answer the same question.

Two grid resolutions (``GRIDS``: 元 per tier step, step of ``x``) are reported with the
objective each method reaches.  Asserted, for every grid: the solver's optimum is at
least as good as the grid's (so the ratio understates what the grid would need for the
solver's accuracy); for the chance case, the certificate's lower bound meets
``1 - alpha``.  Ratios are printed and stored in ``benchmark.extra_info``.  No timing
assertions.
"""

from __future__ import annotations

import time

import numpy as np
import pytest
from pytest_benchmark.fixture import BenchmarkFixture

from optimize import Chance, default_problem, solve
from optimize.problem import Problem
from optimize.solve import Solution
from tests.benchmarks.timing import bench_stats

#: Grid resolutions compared: (元 per tier step, step of x).
GRIDS = ((25.0, 0.05), (10.0, 0.02))
BUDGET = 4500.0


def grid_search(problem: Problem, step: float, x_step: float, *,
                scenario_check: bool = False, alpha: float | None = None
                ) -> tuple[float, dict[str, float]]:
    """Best feasible policy on a grid with ordered tiers (brute force)."""
    lo, hi = problem.floor, problem.cap
    levels = np.arange(lo, hi + 1e-9, step)
    i, j, k = np.meshgrid(*(np.arange(levels.size),) * 3, indexing="ij")
    ordered = (i <= j) & (j <= k)
    u0, u, u1 = (levels[a[ordered]] for a in (i, j, k))
    xs = np.arange(0.0, 1.0 + 1e-9, x_step)
    U0, X = np.meshgrid(u0, xs, indexing="ij")
    U, _ = np.meshgrid(u, xs, indexing="ij")
    U1, _ = np.meshgrid(u1, xs, indexing="ij")
    out = problem.evaluate_many(U0=U0, U=U, U1=U1, x=X)
    feasible = out["feasible"]
    if scenario_check:  # every policy against every scenario, no shortcut
        limits = problem.scenarios().max_spend(problem.floor_months)
        spend = out["spend_per_claim"]
        broken = np.empty(spend.size)
        for s in range(0, spend.size, 4096):
            block = spend[s:s + 4096, None]
            broken[s:s + 4096] = (limits[None, :] < block).sum(axis=1)
        budget_ok = spend <= (problem.budget if problem.budget is not None else np.inf)
        ordered_ok = (U0.ravel() <= U.ravel()) & (U.ravel() <= U1.ravel())
        assert problem.chance is not None, "scenario_check needs a chance constraint"
        level = problem.chance.alpha if alpha is None else alpha
        # the solver's rule: its limit is the alpha-quantile (inverted_cdf) of the
        # scenarios' limits, so fewer than ceil(n alpha) scenarios may break the floor
        feasible = budget_ok & ordered_ok & (broken < np.ceil(level * limits.size - 1e-9))
    obj = np.where(feasible, out["objective"], -np.inf)
    best = int(np.argmax(obj))
    policy = {"U0": U0.ravel()[best], "U": U.ravel()[best], "U1": U1.ravel()[best],
              "x": X.ravel()[best]}
    return float(obj[best]), policy


def _report(
        benchmark: BenchmarkFixture, name: str, problem: Problem, solver_s: float,
        solver_obj: float, scenario_check: bool = False, alpha: float | None = None) -> None:
    lines = [f"\n[{name}] solver {solver_s:.3f} s, objective {solver_obj:.7f}"]
    benchmark.extra_info.update({"solver_s": solver_s, "solver_objective": solver_obj})
    for step, x_step in GRIDS:
        t = time.perf_counter()
        grid_obj, _ = grid_search(problem, step, x_step, scenario_check=scenario_check,
                                  alpha=alpha)
        grid_s = time.perf_counter() - t
        # the docstring's claim: no grid policy beats the solver (rounding aside)
        assert grid_obj <= solver_obj + 1e-7, (step, x_step, grid_obj, solver_obj)
        key = f"grid_{step:g}yuan_{x_step:g}x"
        benchmark.extra_info.update({f"{key}_s": grid_s, f"{key}_objective": grid_obj,
                                     f"{key}_ratio": grid_s / solver_s})
        lines.append(f"  grid {step:g} yuan / x {x_step:g}: {grid_s:.2f} s, objective "
                     f"{grid_obj:.7f}, grid/solver = {grid_s / solver_s:.0f}x")
    print("\n".join(lines))


@pytest.mark.benchmark(group="optimize")
def test_deterministic_optimum(benchmark: BenchmarkFixture) -> None:
    problem = default_problem(budget=BUDGET)
    solve(problem)  # warm: lambdified game, caches
    sol = benchmark.pedantic(lambda: solve(problem), rounds=5, iterations=1)
    _report(benchmark, "deterministic", problem, bench_stats(benchmark).min, sol.objective)


@pytest.mark.benchmark(group="optimize")
def test_chance_constrained_optimum(benchmark: BenchmarkFixture) -> None:
    chance = Chance(alpha=0.05, n_scenarios=10_000, seed=7)
    default_problem(budget=BUDGET)  # warm imports and the lambdified game

    def run() -> tuple[Problem, Solution]:
        problem = default_problem(budget=BUDGET, floor_months=9.0, chance=chance)
        return problem, solve(problem)

    problem, sol = benchmark.pedantic(run, rounds=3, iterations=1)
    cert = sol.certificate
    assert cert is not None
    assert cert.lower_bound >= 1 - chance.alpha
    benchmark.extra_info.update({"in_sample_alpha": cert.in_sample_alpha,
                                 "certified_probability": cert.certified_probability,
                                 "lower_bound": cert.lower_bound})
    print(f"\ncertificate: in-sample alpha {cert.in_sample_alpha:.4g}, certified "
          f"{cert.certified_probability:.4%} of {cert.n_scenarios:,}, lower bound "
          f"{cert.lower_bound:.4%}")
    _report(benchmark, "chance-constrained, 10^4 scenarios certified on 10^5 (ensembles "
            "included)", problem, bench_stats(benchmark).min, sol.objective,
            scenario_check=True, alpha=cert.in_sample_alpha)
