"""Answers explained: multiplier intervals where active gradients are dependent (checked
by NNLS coded here), undetermined variables (checked by evaluating both ends), the
unspent budget, repr/to_frame, keyword-only options and settings named in errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from scipy import optimize as sopt

from optimize import default_problem, solve
from optimize.errors import PolicyParameterError
from optimize.explain import multiplier_ranges
from optimize.problem import Problem
from optimize.scenario import problem_from_toml
from optimize.solve import Solution


@pytest.fixture(scope="module")
def default_solution() -> tuple[Problem, Solution]:
    problem = default_problem()
    return problem, solve(problem)


def test_independent_gradients_give_the_nnls_multipliers() -> None:
    rng = np.random.default_rng(5)
    G = rng.normal(size=(4, 3))
    lam = np.array([0.5, 1.5, 2.0])
    out = multiplier_ranges([(f"g{i}", G[:, i]) for i in range(3)], -G @ lam)
    for i in range(3):
        lo, hi = out[f"g{i}"]
        assert lo == pytest.approx(lam[i], abs=1e-7) and hi == pytest.approx(lam[i], abs=1e-7)


def test_dependent_gradients_give_intervals_that_contain_every_split() -> None:
    # g2 = g0 + g1: the objective gradient -(g0 + g1) can be met by (1, 1, 0) or (0, 0, 1)
    g0, g1 = np.array([1.0, 0.0, 0.0]), np.array([0.0, 1.0, 0.0])
    out = multiplier_ranges([("a", g0), ("b", g1), ("c", g0 + g1)], -(g0 + g1))
    assert out["a"] == pytest.approx((0.0, 1.0), abs=1e-7)
    assert out["b"] == pytest.approx((0.0, 1.0), abs=1e-7)
    assert out["c"] == pytest.approx((0.0, 1.0), abs=1e-7)


def test_a_solution_flags_nonunique_multipliers_instead_of_one_split() -> None:
    # the cheapest policy when monitoring is dear: x = 0, U0 = U = floor, so the floor
    # constraints and the ordering U - U0 >= 0 are active together (dependent gradients)
    problem = default_problem(objective="cost", budget=None, monitoring_cost=5000.0)
    sol = solve(problem)
    assert sol.nonunique, sol
    assert not set(sol.nonunique) & set(sol.binding)
    for name, (lo, hi) in sol.nonunique.items():
        assert 0.0 <= lo < hi, name
    # a constraint that can be dropped without losing stationarity must have low = 0:
    # check with NNLS on the remaining active gradients, coded here
    names = [*sol.binding, *sol.nonunique]
    assert "U - U0 >= gap" in names
    frame = sol.to_frame()
    assert not frame.loc[list(sol.nonunique), "unique"].any()
    assert sol.nonunique["U - U0 >= gap"][0] == pytest.approx(0.0, abs=1e-7)


def test_nnls_on_the_reduced_set_confirms_a_zero_lower_end() -> None:
    g_floor_u0 = np.array([1.0, 0.0])
    g_floor_u = np.array([0.0, 1.0])
    g_gap = np.array([-1.0, 1.0])
    grad_f = np.array([-3.0, -2.0])   # lower both tiers: both floors bind
    out = multiplier_ranges([("U0 >= floor", g_floor_u0), ("U >= floor", g_floor_u),
                             ("U - U0 >= gap", g_gap)], grad_f)
    reduced = np.column_stack([g_floor_u0, g_floor_u])
    _, resid = sopt.nnls(reduced, -grad_f)
    assert resid < 1e-12            # stationarity holds without the gap constraint ...
    assert out["U - U0 >= gap"][0] == pytest.approx(0.0, abs=1e-7)   # ... so it may be 0
    assert out["U - U0 >= gap"][1] == pytest.approx(2.0, abs=1e-7)


def test_U_at_full_monitoring_is_reported_as_a_range_of_equally_good_values(
        default_solution: tuple[Problem, Solution]) -> None:
    problem, sol = default_solution
    assert sol.policy["x"] == 1.0
    lo, hi = sol.undetermined["U"]
    assert lo < hi
    at = {k: problem.evaluate(**(sol.policy | {"U": u})).objective for k, u in
          (("lo", lo), ("mid", (lo + hi) / 2), ("hi", hi))}
    assert at["lo"] == pytest.approx(at["hi"], abs=1e-12)
    assert at["mid"] == pytest.approx(at["hi"], abs=1e-12)


def test_unspent_budget_and_readable_answers(default_solution: tuple[Problem, Solution]) -> None:
    problem, sol = default_solution
    spend = sol.evaluation.behaviour["spend_per_claim"]
    assert problem.budget is not None and sol.unspent_budget is not None
    assert sol.unspent_budget == pytest.approx(problem.budget - spend, abs=1e-7)
    assert sol.unspent_budget > 1000
    text = repr(sol)
    assert text.startswith("Solution(reemployment=") and "unspent_budget=" in text
    assert "any in [" in text
    words = sol.explain()
    assert "unspent budget" in words and "U is not determined" in words
    frame = sol.to_frame()
    assert set(sol.evaluation.constraints) <= set(frame.index)
    binds = frame.index[frame["binds"]]
    assert all(abs(sol.evaluation.constraints[c]) < 1e-3 for c in binds)
    assert (frame.loc[~frame["binds"], "multiplier_high"] == 0).all()


def test_problem_options_are_keyword_only(default_solution: tuple[Problem, Solution]) -> None:
    problem, _ = default_solution
    with pytest.raises(TypeError):
        Problem(problem.bridge, problem.fund, 800.0, 1530.0)  # type: ignore[call-arg]  # on purpose


@pytest.mark.parametrize(("kwargs", "name"), [
    ({"status_quo": float("nan")}, "status_quo"),
    ({"status_quo": 0}, "status_quo"),
    ({"entitlement_months": "twelve"}, "entitlement_months"),
    ({"monitoring_cost": -1.0}, "monitoring_cost"),
    ({"interest_rate": float("inf")}, "interest_rate"),
    ({"opening_reserve": float("nan")}, "opening_reserve"),
    ({"objective": "happiness"}, "objective"),
])
def test_every_bad_setting_is_named(kwargs: dict[str, Any], name: str) -> None:
    with pytest.raises(PolicyParameterError, match=f"^{name} = "):
        default_problem(**kwargs)


def test_a_scenario_lists_the_keys_it_took_from_defaults(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text("[problem]\nbudget = 4500.0\n[claimants]\nwage = 4000.0\n",
                    encoding="utf-8")
    taken = problem_from_toml(path).notes["from_defaults"].split(", ")
    assert "problem.budget" not in taken and "claimants.wage" not in taken
    assert {"problem.floor", "problem.cap", "claimants.R_mean", "fund.status_quo"} <= set(
        taken)
    assert not any(k.startswith("chance.") for k in taken)
