"""Seed 001's reading "a higher top tier is not always better", checked on the optimiser's
own output.

When the reading holds in this model (the honest statement)
-----------------------------------------------------------
In Table 2 the top tier ``U1`` enters only the claimant's payoff when monitored and
searching, ``R W + U1 (1 - R) - C0``, so the one-month gain from effort rises with it:
``d g / d U1 = x (1 - R) >= 0``.  For a myopic claimant (patience 0, each month the
one-shot game) a higher ``U1`` therefore never weakens the incentive to search, and
without a binding money constraint the optimum puts ``U1`` at the cap.  A claimant who
looks ahead (the default patience) also sees that ``U1`` is paid in the months still to
come: a higher ``U1`` raises the value of staying on benefit, which lowers effort in the
earlier months.  The re-employment optimum then stops ``U1`` inside the box with the
budget slack -- the reading holds without any budget argument; under a binding budget
``U1`` stays interior as well (every 元 of ``U1`` must also be found elsewhere).
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from optimize import default_problem, solve
from optimize.problem import Problem
from optimize.solve import Solution
from tests.optimize.helpers import feasible_by_hand

BUDGET = 3700.0  # between the cheapest policy (3,514 元) and the unconstrained optimum


@pytest.fixture(scope="module")
def base() -> Problem:
    return default_problem()


@pytest.fixture(scope="module")
def tight(base: Problem) -> tuple[Problem, Solution]:
    problem = base.with_(budget=BUDGET)
    return problem, solve(problem)


def test_gain_and_effort_never_fall_with_the_top_tier_when_myopic(base: Problem) -> None:
    """The premise of the docstring, checked on the bridge at patience 0: effort share and
    re-employment are non-decreasing in U1 for fixed U0, U, x."""
    b = base.bridge.with_(patience=0.0)
    for u0, u, x in [(800.0, 800.0, 1.0), (800.0, 1000.0, 0.5), (900.0, 1200.0, 0.2)]:
        u1s = np.linspace(u, base.cap, 25)
        effort = [b.behaviour(U0=u0, U=u, U1=v, x=x).effort_share for v in u1s]
        reemp = [b.behaviour(U0=u0, U=u, U1=v, x=x).reemployment_rate for v in u1s]
        assert np.all(np.diff(effort) >= -1e-12)
        assert np.all(np.diff(reemp) >= -1e-12)
        assert effort[-1] > effort[0]


def test_under_a_binding_budget_the_optimal_top_tier_is_interior(
        tight: tuple[Problem, Solution]) -> None:
    problem, sol = tight
    assert "budget" in sol.binding, "the budget must bind for the reading to apply"
    assert sol.evaluation.behaviour["spend_per_claim"] == pytest.approx(BUDGET, abs=1e-3)
    assert problem.floor + 1.0 < sol.policy["U1"] < problem.cap - 1.0


def _best_with_fixed_top_tier(problem: Problem, u1: float, n_levels: int, n_x: int) -> float:
    """Brute force over U0 <= U <= u1 and x with U1 held at u1; feasibility is
    ``spend <= budget`` (the sustainability slack is checked separately below)."""
    assert problem.budget is not None
    b = problem.bridge
    levels = np.linspace(problem.floor, u1, n_levels)
    grid = np.array([(u0, u, x) for u0, u in itertools.combinations_with_replacement(levels, 2)
                     for x in np.linspace(0.0, 1.0, n_x)])
    many = b.behaviour_many(U0=grid[:, 0], U=grid[:, 1], U1=u1, x=grid[:, 2])
    ok = many["spend_per_claim"] <= problem.budget
    return float(many["reemployment_rate"][ok].max()) if ok.any() else -np.inf


def test_raising_the_top_tier_to_the_cap_within_the_budget_cannot_beat_the_optimum(
        tight: tuple[Problem, Solution]) -> None:
    problem, sol = tight
    # Within this budget the fund's own sustainability floor is slack, so feasibility is
    # the budget alone: check it once on the full projection at the budget's spend.
    frame = problem.fund.projection(BUDGET, 0.0, 4.63)
    assert np.all(frame["reserve"] >= problem.floor_months / 12 * frame["expenditure"])
    best_at_cap = _best_with_fixed_top_tier(problem, problem.cap, 10, 101)
    assert np.isfinite(best_at_cap), "some policy with U1 at the cap fits the budget"
    assert best_at_cap < sol.objective - 1e-6
    # and on the way up from the optimum to the cap, no fixed U1 does better
    for u1 in np.linspace(sol.policy["U1"], problem.cap, 5)[1:]:
        assert _best_with_fixed_top_tier(problem, float(u1), 6, 51) <= sol.objective + 1e-9


def test_the_optimum_at_the_top_tier_cap_itself_is_checked_by_evaluate(
        tight: tuple[Problem, Solution]) -> None:
    """Setting U1 = cap in the optimum itself (nothing re-optimised) breaks the budget."""
    problem, sol = tight
    ev = problem.evaluate(**(sol.policy | {"U1": problem.cap}))
    assert not ev.feasible and not feasible_by_hand(problem, ev)
    assert ev.constraints["budget"] < 0


def test_without_a_binding_budget_a_myopic_top_tier_goes_to_the_cap(base: Problem) -> None:
    myopic = base.with_(bridge=base.bridge.with_(patience=0.0))
    sol = solve(myopic)
    assert "budget" not in sol.binding and "sustainability" not in sol.binding
    assert sol.evaluation.constraints["budget"] > 1.0
    assert sol.policy["U1"] == pytest.approx(base.cap, abs=1e-6)
    assert "U1 <= cap" in sol.binding


def test_looking_ahead_the_top_tier_is_interior_without_a_binding_budget(
        base: Problem) -> None:
    """At the default patience re-employment first rises, then falls with U1 (x = 1,
    U0 = U = floor), and the optimum stops U1 inside the box with the budget slack."""
    b = base.bridge
    u1s = np.linspace(base.floor, base.cap, 30)
    reemp = np.array([b.behaviour(U0=base.floor, U=base.floor, U1=v, x=1.0).reemployment_rate
                      for v in u1s])
    peak = int(np.argmax(reemp))
    assert 0 < peak < len(u1s) - 1
    sol = solve(base)
    assert "budget" not in sol.binding and "sustainability" not in sol.binding
    assert sol.evaluation.constraints["budget"] > 1.0
    assert base.floor + 1.0 < sol.policy["U1"] < base.cap - 1.0
    assert "U1 <= cap" not in sol.binding
    for step in (-10.0, 10.0):
        assert base.evaluate(**(sol.policy | {"U1": sol.policy["U1"] + step})).objective \
            < sol.objective
