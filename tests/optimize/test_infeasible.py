"""Infeasible problems get a clear error, never a silent "optimum"; bad settings get a
``PolicyParameterError`` naming the parameter.

Where the solver says "no policy meets ...", a brute force over the bounds confirms that
indeed no policy does (so the error is not a solver failure dressed up as infeasibility).
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pytest

from optimize import Chance, default_problem, solve
from optimize.errors import InfeasibleProblemError, OptimizeError, PolicyParameterError
from optimize.problem import Problem
from tests.optimize.helpers import best_feasible, grid_policies, random_policies


@pytest.fixture(scope="module")
def base() -> Problem:
    return default_problem()


def _name(param: str) -> str:
    return "^" + re.escape(param) + " = "


# --------------------------------------------------------------------------- construction
def test_floor_above_the_cap_is_infeasible() -> None:
    with pytest.raises(InfeasibleProblemError, match=r"floor = 1600 > cap = 1530"):
        default_problem(floor=1600.0)


def test_floor_plus_two_gaps_above_the_cap_is_infeasible() -> None:
    # 800 + 2 * 400 = 1600 > 1530
    with pytest.raises(InfeasibleProblemError, match=r"floor \+ 2\*min_gap = 1600 > cap"):
        default_problem(min_gap=400.0)


@pytest.mark.parametrize("gap", [200.0, 350.0, 365.0])
def test_wide_gaps_up_to_the_cap_are_feasible_and_solved(gap: float) -> None:
    """Up to floor + 2*min_gap = cap (800 + 730 = 1530) the tiers still fit: the solver
    must return an optimum, not an "infeasible" error, and no grid point beats it."""
    problem = default_problem(min_gap=gap)
    sol = solve(problem)
    assert sol.evaluation.feasible
    assert sol.policy["U"] - sol.policy["U0"] >= gap - 1e-6
    assert sol.policy["U1"] - sol.policy["U"] >= gap - 1e-6
    best, arg, n = best_feasible(problem, [*grid_policies(problem, n_levels=7, n_x=11),
                                           *random_policies(problem, 100, seed=5)])
    assert n > 0
    assert best <= sol.objective + 1e-7, arg


# --------------------------------------------------------------------------- at solve
def _no_feasible_point(problem: Problem) -> None:
    _best, arg, n = best_feasible(
        problem, [*grid_policies(problem, n_levels=6, n_x=6),
                  *random_policies(problem, 100, seed=3)])
    assert n == 0, arg


@pytest.mark.parametrize("budget", [100.0, 3000.0])
def test_a_budget_no_policy_meets(base: Problem, budget: float) -> None:
    problem = base.with_(budget=budget)
    with pytest.raises(InfeasibleProblemError, match=r"no policy meets the budget") as info:
        solve(problem)
    assert f"{budget:.2f}" in str(info.value)
    _no_feasible_point(problem)


def test_a_budget_some_policy_meets_is_not_declared_infeasible(base: Problem) -> None:
    """All tiers at the floor with full monitoring spends about 3,551 元 per claim and is
    feasible under a 3,650 元 budget, so the problem has an optimum at least that good."""
    problem = base.with_(budget=3650.0)
    cheap = problem.evaluate(U0=800.0, U=800.0, U1=800.0, x=1.0)
    assert cheap.feasible
    sol = solve(problem)
    assert sol.evaluation.feasible
    assert sol.objective >= cheap.objective - 1e-9


def test_the_cheapest_policy_reported_in_the_message_is_cheapest(base: Problem) -> None:
    """The message names the cheapest spend per claim; no grid point spends less."""
    with pytest.raises(InfeasibleProblemError) as info:
        solve(base.with_(budget=100.0))
    found = re.search(r"spends ([0-9.]+) 元", str(info.value))
    assert found is not None, info.value
    cheapest = float(found.group(1))
    spends = [base.bridge.behaviour(**pol).spend_per_claim
              for pol in grid_policies(base, n_levels=8, n_x=21)]
    assert min(spends) >= cheapest - 0.01
    assert min(spends) == pytest.approx(cheapest, rel=1e-3)


def test_a_sustainability_floor_above_every_policy(base: Problem) -> None:
    """13.5 months of reserve: the fund could pay some benefit, but less than the
    cheapest policy within the bounds costs."""
    problem = base.with_(floor_months=13.5)
    with pytest.raises(InfeasibleProblemError, match=r"no policy meets the sustainability"):
        solve(problem)
    _no_feasible_point(problem)


@pytest.mark.parametrize("change", [{"floor_months": 100.0}, {"opening_reserve": 0.01},
                                    {"opening_reserve": -5.0}])
def test_a_fund_that_cannot_keep_its_floor_even_without_benefits(change: dict[str, Any]) -> None:
    problem = default_problem(**change)
    with pytest.raises(InfeasibleProblemError,
                       match=r"cannot keep .* months of expenditure even with no benefits"):
        solve(problem)
    ev = problem.evaluate(U0=800.0, U=800.0, U1=800.0, x=0.0)
    assert not ev.feasible


def test_an_unmeetable_chance_constraint_is_infeasible() -> None:
    problem = default_problem(chance=Chance(alpha=0.05, n_scenarios=200, seed=1),
                              floor_months=14.0)
    with pytest.raises(InfeasibleProblemError):
        solve(problem)


# --------------------------------------------------------------------------- bad settings
@pytest.mark.parametrize("objective", ["happiness", "", "Reemployment", None])
def test_bad_objective_name(objective: Any) -> None:
    with pytest.raises(PolicyParameterError, match=_name("objective")):
        default_problem(objective=objective)


@pytest.mark.parametrize(("param", "value"), [
    ("alpha", 0.0), ("alpha", 1.0), ("alpha", -0.2), ("alpha", float("nan")),
    ("n_scenarios", 5), ("n_scenarios", 100.5), ("n_scenarios", True),
    ("seed", -1), ("seed", 2.5),
])
def test_bad_chance_fields(param: str, value: Any) -> None:
    with pytest.raises(PolicyParameterError, match=_name(param)):
        Chance(**{param: value})


@pytest.mark.parametrize(("param", "value"), [
    ("budget", -5.0), ("budget", 0.0), ("budget", float("inf")), ("floor", -1.0),
    ("cap", float("nan")), ("floor_months", -1.0), ("min_gap", -10.0),
    ("entitlement_months", 30.0), ("monitoring_cost", -1.0), ("R_mean", 2.0),
    ("horizon", 5),
])
def test_bad_problem_settings(param: str, value: Any) -> None:
    with pytest.raises(PolicyParameterError, match=_name(param)):
        default_problem(**{param: value})


def test_a_claimant_population_that_cannot_be_calibrated_is_a_project_error() -> None:
    """With a re-employment wage below the status-quo benefit nobody searches, so no mean
    job-finding probability reproduces the observed months paid: the calibration must say
    so with a project error (naming what failed), not a bare scipy ValueError."""
    with pytest.raises(OptimizeError, match=r"R_mean|calibrat|wage"):
        default_problem(wage=1200.0, calibrate=True)


@pytest.mark.parametrize(("policy", "param"), [
    ({"U0": 800.0, "U": 900.0, "U1": 1000.0}, "x"),
    ({"U0": 800.0, "U": 900.0, "U1": 1000.0, "x": 0.5, "y": 1.0}, "y"),
    ({"U0": "a lot", "U": 900.0, "U1": 1000.0, "x": 0.5}, "U0"),
    ({"U0": 800.0, "U": np.inf, "U1": 1000.0, "x": 0.5}, "U"),
    ({"U0": 800.0, "U": 900.0, "U1": 1000.0, "x": 1.5}, "x"),
])
def test_evaluate_rejects_bad_policies(base: Problem, policy: dict[str, float], param: str) -> None:
    with pytest.raises(PolicyParameterError, match=_name(param)):
        base.evaluate(**policy)


def test_an_unordered_policy_is_evaluated_as_infeasible(base: Problem) -> None:
    ev = base.evaluate(U0=1200.0, U=1000.0, U1=1500.0, x=0.5)
    assert not ev.feasible
    assert ev.constraints["U - U0 >= gap"] == pytest.approx(-200.0)


def test_a_problem_that_builds_evaluates_every_policy_in_its_bounds() -> None:
    """Entitlement up to 24 months is allowed, but the fund's months-paid driver is a
    count within a year (at most 12).  With slow exits (no-effort hazard 0.01) and a
    re-employment wage too low to make search pay, months paid exceed 12: the problem
    must either refuse these settings when it is built (naming the setting) or evaluate
    the policy -- not fail inside the fund projection on a policy within its bounds."""
    settings: dict[str, Any] = {"entitlement_months": 24.0, "no_effort_hazard": 0.01,
                                "wage": 1600.0, "R_mean": 0.3}
    try:
        problem = default_problem(**settings)
    except PolicyParameterError as exc:
        assert exc.parameter in settings  # noqa: PT017  either outcome is valid; a refusal names the setting
        return
    ev = problem.evaluate(U0=1530.0, U=1530.0, U1=1530.0, x=0.0)
    assert ev.behaviour["months_paid"] > 12
