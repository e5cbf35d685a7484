"""Benchmarks of the schedule optimiser (run by ``make bench``, not by ``make test``).

* The deterministic welfare optimum of a 12-month, two-segment schedule (one level a
  segment, the breakpoint chosen; the one model at the default patience; the Qinghai
  default claimants, 400 types) under a binding budget -- target under 5 s -- against a
  brute-force grid over both levels and every breakpoint.
* The chance-constrained welfare optimum with certification (1,000 scenarios solved on,
  10,000 fresh ones certifying; ensembles included) -- target under 60 s -- against the
  same grid, every grid schedule checked against every in-sample scenario at the level
  the solver was certified at, by the solver's rule (its limit is the ``alpha``-quantile
  of the scenarios' limits, so at most ``ceil(n alpha) - 1`` scenarios may break the
  floor; "a share of at least ``1 - alpha``" would allow one more when ``n alpha`` is
  an integer).

**The grid** evaluates its schedules with the model's own vectorised recursion, in
blocks of 512 (the fastest brute force this code offers, so the ratio is not flattered
by a slow loop).

**Equal accuracy.**  The grid is refined (``STEPS``, 元 between levels) until its best
schedule comes within ``TOLERANCE`` 元 per claim of the solver's welfare; the time of
that grid, and of every coarser one, is reported with its objective, and the ratio of
the grid that reached the solver's accuracy to the solver.  Asserted: the solver meets
its constraints, no grid schedule beats it by more than a rounding error, and (chance)
its certificate's lower bound meets ``1 - alpha``.  No timing assertions.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import pytest

from optimize import Chance, default_problem
from optimize.problem import Problem
from optimize.solve import Solution
from optimize.spell import evaluate
from optimize.spellsolve import solve_schedule

MONTHS = 12
#: A budget between the cheapest schedule (800 元 flat, about 3,519 元 per claim) and the
#: unconstrained welfare optimum (about 4,346 元), so that it binds.
BUDGET = 3800.0
#: Schedules the grid evaluates at once.
BLOCK = 512
#: Grid steps tried, coarse to fine (元 between levels).
STEPS = (40.0, 20.0, 10.0, 5.0)
#: Welfare (元 per claim) within which the grid counts as equally accurate.
TOLERANCE = 0.1


def grid_search(problem: Problem, step: float, limits: np.ndarray | None = None,
                alpha: float = 0.0) -> float:
    """Best welfare over two-segment schedules on a grid (brute force).

    Every schedule of the grid is evaluated by the model itself (``spell.evaluate``,
    vectorised over blocks of schedules, no gradients).  Deterministic: spend within
    ``problem.spend_limit()``.  With ``limits`` (each scenario's spend limit) a schedule
    is feasible when fewer than ``ceil(n alpha)`` of the ``n`` scenarios have a limit
    below its spend -- the rule of the solver's limit, the ``alpha``-quantile
    (``inverted_cdf``) of the scenarios' limits -- and its spend is within the budget.
    """
    allowed = 0 if limits is None else int(np.ceil(alpha * limits.size - 1e-9))
    levels = np.arange(problem.floor, problem.cap + 1e-9, step)
    cap = problem.spend_limit() if limits is None else (
        problem.budget if problem.budget is not None else np.inf)
    a, b = (v.ravel() for v in np.meshgrid(levels, levels, indexing="ij"))
    sorted_limits = None if limits is None else np.sort(limits)
    best = -np.inf
    month = np.arange(MONTHS)[:, None]
    for cut in range(1, MONTHS):
        for start in range(0, a.size, BLOCK):
            sl = slice(start, start + BLOCK)
            pay = np.where(month < cut, a[None, sl], b[None, sl])
            avg, _, _ = evaluate(problem.bridge.claim, (pay, pay, pay), np.zeros(pay.shape[1]),
                                 np.zeros(pay.shape[1]))
            s, w = avg["spend_per_claim"], avg["welfare"]
            ok = s <= cap
            if sorted_limits is not None:
                ok &= np.searchsorted(sorted_limits, s, side="left") < allowed
            if ok.any():
                best = max(best, float(w[ok].max()))
    return float(best)


def _compare(benchmark: Any, name: str, problem: Problem, sol: Solution,
             solver_s: float, limits: np.ndarray | None = None,
             alpha: float = 0.0) -> None:
    info: dict[str, float] = {"solver_s": solver_s, "solver_objective": sol.objective}
    lines = [f"\n[{name}] solver {solver_s:.3f} s, welfare {sol.objective:.4f}"]
    reached = None
    for step in STEPS:
        t = time.perf_counter()
        grid = grid_search(problem, step, limits, alpha)
        grid_s = time.perf_counter() - t
        info.update({f"grid_{step:g}_s": grid_s, f"grid_{step:g}_objective": grid,
                     f"grid_{step:g}_ratio": grid_s / solver_s})
        lines.append(f"  grid {step:g} yuan: {grid_s:.2f} s, welfare {grid:.4f} "
                     f"(solver - grid = {sol.objective - grid:.4f}), "
                     f"grid/solver = {grid_s / solver_s:.1f}x")
        assert grid <= sol.objective + 1e-3, "a grid schedule beats the solver"
        if sol.objective - grid <= TOLERANCE:
            reached = (step, grid_s / solver_s)
            break
    if reached is not None:
        info.update({"equal_accuracy_step": reached[0], "equal_accuracy_ratio": reached[1]})
        lines.append(f"  equal accuracy ({TOLERANCE:g} yuan) at step {reached[0]:g}: "
                     f"grid/solver = {reached[1]:.1f}x")
    else:
        lines.append(f"  no grid down to {STEPS[-1]:g} yuan came within {TOLERANCE:g} yuan")
    benchmark.extra_info.update(info)
    print("\n".join(lines))


@pytest.mark.benchmark(group="spell")
def test_deterministic_welfare_schedule(benchmark: Any) -> None:
    problem = default_problem(objective="welfare", budget=BUDGET)
    solve_schedule(problem, segments=1, monitor=False)  # warm: lambdified game

    def run() -> Solution:
        return solve_schedule(problem, segments=2, monitor=False)

    sol = benchmark.pedantic(run, rounds=3, iterations=1)
    assert sol.behaviour is not None
    assert sol.behaviour.spend_per_claim <= BUDGET + 1e-6
    assert "budget" in sol.binding
    _compare(benchmark, "deterministic welfare schedule, 12 months", problem, sol,
             benchmark.stats.stats.min)


@pytest.mark.benchmark(group="spell")
def test_certified_chance_constrained_schedule(benchmark: Any) -> None:
    alpha = 0.1
    chance = Chance(alpha=alpha, n_scenarios=1000, seed=5)
    default_problem()  # warm imports and the lambdified game

    def run() -> tuple[Problem, Solution]:
        problem = default_problem(objective="welfare", floor_months=11.2, chance=chance)
        return problem, solve_schedule(problem, segments=2, monitor=False)

    problem, sol = benchmark.pedantic(run, rounds=1, iterations=1)
    cert = sol.certificate
    assert cert is not None
    assert cert.lower_bound >= 1 - alpha
    benchmark.extra_info.update({"in_sample_alpha": cert.in_sample_alpha,
                                 "certified_probability": cert.certified_probability,
                                 "lower_bound": cert.lower_bound})
    limits = problem.scenarios().max_spend(problem.floor_months)
    _compare(benchmark, "certified chance-constrained schedule (ensembles included)",
             problem, sol, benchmark.stats.stats.min, limits, cert.in_sample_alpha)
