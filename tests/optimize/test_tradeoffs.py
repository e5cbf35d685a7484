"""Trade-offs around the optimum: the Pareto frontier and the sensitivity table."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd
import pytest

from optimize import default_problem, solve
from optimize.errors import PolicyParameterError
from optimize.problem import Problem
from optimize.tradeoffs import SENSITIVITY_PARAMETERS, pareto_frontier, sensitivity
from tests.optimize.helpers import best_feasible, feasible_by_hand, grid_policies


@pytest.fixture(scope="module")
def base() -> Problem:
    return default_problem()


@pytest.fixture(scope="module")
def frontier(base: Problem) -> pd.DataFrame:
    return pareto_frontier(base, n_points=8)


def test_frontier_is_monotone_in_spend(frontier: pd.DataFrame) -> None:
    assert len(frontier) >= 6
    f = frontier.sort_values("budget")
    assert np.all(np.diff(f["objective"]) >= -1e-9)
    assert np.all(np.diff(f["spend_per_claim"]) >= -1e-6)
    by_spend = frontier.sort_values("spend_per_claim")
    assert np.all(np.diff(by_spend["objective"]) >= -1e-9)
    assert f["objective"].iloc[-1] > f["objective"].iloc[0]


def test_every_frontier_row_is_feasible_at_its_budget(base: Problem,
                                                      frontier: pd.DataFrame) -> None:
    for _, row in frontier.iterrows():
        problem = base.with_(budget=float(row["budget"]))
        ev = problem.evaluate(**{k: float(row[k]) for k in ("U0", "U", "U1", "x")})
        assert ev.feasible and feasible_by_hand(problem, ev), row.to_dict()
        assert ev.objective == pytest.approx(row["objective"], abs=1e-12)
        assert row["spend_per_claim"] <= row["budget"] + 1e-4
        if row["budget_binds"]:
            assert row["spend_per_claim"] == pytest.approx(row["budget"], abs=1e-3)


@pytest.mark.parametrize("k", [1, 4])
def test_frontier_rows_are_not_beaten_by_a_grid_at_their_budget(base: Problem,
                                                                frontier: pd.DataFrame,
                                                                k: int) -> None:
    row = frontier.sort_values("budget").iloc[k]
    problem = base.with_(budget=float(row["budget"]))
    best, arg, n = best_feasible(problem, grid_policies(problem, n_levels=7, n_x=11))
    assert n > 0
    assert best <= row["objective"] + 1e-7, arg


def test_frontier_starts_at_the_cheapest_policy(base: Problem, frontier: pd.DataFrame) -> None:
    """The first point is the cheapest policy within the bounds (up to the 0.05% the
    frontier steps above it); a grid over the bounds finds nothing cheaper."""
    grid = np.array([[pol[k] for k in ("U0", "U", "U1", "x")]
                     for pol in grid_policies(base, n_levels=8, n_x=21)])
    cheapest_grid = float(base.bridge.behaviour_many(
        U0=grid[:, 0], U=grid[:, 1], U1=grid[:, 2], x=grid[:, 3])["spend_per_claim"].min())
    first = frontier.sort_values("budget").iloc[0]
    assert first["spend_per_claim"] <= cheapest_grid * 1.001


def test_frontier_checks_n_points(base: Problem) -> None:
    with pytest.raises(PolicyParameterError, match=r"^n_points = "):
        pareto_frontier(base, n_points=1)


# --------------------------------------------------------------------------- sensitivity
@pytest.fixture(scope="module")
def table(base: Problem) -> pd.DataFrame:
    return sensitivity(base)


def test_sensitivity_has_a_row_per_parameter_and_finite_elasticities(table: pd.DataFrame) -> None:
    assert list(table.index) == list(SENSITIVITY_PARAMETERS)
    assert {"objective", "U0", "U", "U1", "x", "spend_per_claim"} <= set(table.columns)
    assert np.all(np.isfinite(table.to_numpy(dtype=float)))


def test_elasticities_by_hand_at_the_default_optimum(base: Problem, table: pd.DataFrame) -> None:
    """At the default optimum U0 = floor and x = 1 bind; U1 is interior and the budget,
    the cap and the fund's floor do not bind (bridge page, section 9)."""
    sol = solve(base)
    assert sol.policy["U1"] < base.cap - 1.0
    assert "budget" not in sol.binding and "U1 <= cap" not in sol.binding
    # U0 = floor exactly, so d ln U0 / d ln floor = 1
    assert table.loc["floor", "U0"] == pytest.approx(1.0, abs=1e-6)
    # slack constraints move nothing (the cap up to the solver's tolerance on U1)
    for name in ("budget", "floor_months", "opening_reserve"):
        np.testing.assert_allclose(table.loc[name].to_numpy(dtype=float), 0.0, atol=1e-9)
    np.testing.assert_allclose(table.loc["cap"].to_numpy(dtype=float), 0.0, atol=1e-5)
    # envelope theorem: d ln f* / d ln floor = -lambda_floor * floor / f*
    expected = -sol.binding["U0 >= floor"] * base.floor / sol.objective
    assert table.loc["floor", "objective"] == pytest.approx(expected, rel=0.02)


def test_elasticities_under_a_binding_budget() -> None:
    problem = default_problem(budget=3700.0)
    sol = solve(problem)
    assert "budget" in sol.binding and sol.policy["U1"] < problem.cap - 1
    t = sensitivity(problem, parameters=("budget", "cap"))
    assert list(t.index) == ["budget", "cap"]
    # the cap is slack now: nothing moves with it
    np.testing.assert_allclose(t.loc["cap"].to_numpy(dtype=float), 0.0, atol=1e-6)
    # spend = budget, so d ln spend / d ln budget = 1; and the envelope theorem
    assert t.loc["budget", "spend_per_claim"] == pytest.approx(1.0, rel=1e-3)
    expected = sol.binding["budget"] * 3700.0 / sol.objective
    assert t.loc["budget", "objective"] == pytest.approx(expected, rel=0.02)
    assert t.loc["budget", "U1"] > 0


def test_sensitivity_without_a_budget_gives_nan_for_the_budget() -> None:
    problem = default_problem(budget=None)
    assert problem.budget is None
    t = sensitivity(problem, parameters=("budget", "cap"))
    assert t.loc["budget"].isna().all()
    assert np.all(np.isfinite(t.loc["cap"].to_numpy(dtype=float)))
    # the NaN row says why; the finite one has no note
    assert t.attrs["notes"]["budget"] == "budget is not set (no elasticity)"
    assert "cap" not in t.attrs["notes"]


def test_sensitivity_checks_its_arguments(base: Problem) -> None:
    with pytest.raises(PolicyParameterError, match=r"^step = "):
        sensitivity(base, step=0.0)
    with pytest.raises(PolicyParameterError, match=r"^parameters = "):
        sensitivity(base, parameters=("wage", "rainfall"))


@pytest.mark.parametrize(("name", "value"), [("entitlement_months", 24.0), ("c0_share", 1.0)])
def test_sensitivity_at_a_parameter_bound_still_returns_the_table(name: str, value: Any) -> None:
    """A default at the edge of its allowed range (24 months of entitlement, C0 = C) has
    no central difference; the table must still have its row (NaN, or a one-sided
    elasticity), not raise for a perturbation the user never asked for."""
    problem = default_problem(**{name: value})
    t = sensitivity(problem, parameters=(name, "cap"))
    assert list(t.index) == [name, "cap"]
    assert np.all(np.isfinite(t.loc["cap"].to_numpy(dtype=float)))
    # the side beyond the bound is named with the error that refused it (the entitlement
    # moves by whole months: 24 -> 25 is the factor 25/24)
    up = f"{25 / 24:g}" if name == "entitlement_months" else "1.01"
    note = t.attrs["notes"][name]
    assert note.startswith(f"{name} x {up}: PolicyParameterError: ")
    assert note.endswith("(one-sided difference)") or note.endswith("(no elasticity)")


def test_sensitivity_without_monitoring_continues_the_level_optimum() -> None:
    """Without monitoring the design's one variable is ``level``; each side starts from
    it (a start naming U0, U, U1, x used to fail every side into a NaN row).  The level
    sits on the floor, so d ln level / d ln floor = 1 exactly."""
    problem = default_problem(monitor=False)
    assert solve(problem).policy == {"level": problem.floor}
    t = sensitivity(problem, parameters=("floor", "R_mean"))
    assert "notes" not in t.attrs or not {"floor", "R_mean"} & set(t.attrs["notes"])
    assert np.all(np.isfinite(t.to_numpy(dtype=float)))
    assert t.loc["floor", "level"] == pytest.approx(1.0, abs=1e-6)


def test_the_reskilling_level_has_its_own_elasticity() -> None:
    """``z`` is differenced from the two sides' own z (it used to be read from their
    spend, which the binding budget holds fixed: an elasticity of about 0)."""
    from optimize import Reskilling

    problem = default_problem(budget=4500.0, reskilling=Reskilling())
    base = solve(problem)
    t = sensitivity(problem, parameters=("R_mean",))
    c = problem.bridge.claimants
    sides = [solve(problem.with_(bridge=problem.bridge.with_(claimants=replace(
        c, R_mean=c.R_mean * f))), start=base.policy).policy["z"] for f in (1.01, 0.99)]
    by_hand = (sides[0] - sides[1]) / (0.02 * base.policy["z"])
    assert abs(by_hand) > 0.1  # z moves with R_mean
    assert t.loc["R_mean", "z"] == pytest.approx(by_hand, rel=1e-9)


# ------------------------------------------------ failures are explained, bugs propagate
def test_a_bug_inside_a_perturbed_solve_is_not_turned_into_nan(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A TypeError (a bug, not a bound) used to become a NaN row; now it propagates."""
    from optimize import tradeoffs

    real = tradeoffs.solve  # type: ignore[attr-defined]  # the name the module calls, patched
    calls: list[int] = []

    def flaky(problem: object, **kwargs: object) -> object:
        calls.append(1)
        if len(calls) > 1:   # the base optimum solves; a perturbed one hits the "bug"
            raise TypeError("unsupported operand type(s)")
        return real(problem, **kwargs)  # type: ignore[arg-type]  # the real Problem

    monkeypatch.setattr(tradeoffs, "solve", flaky)
    with pytest.raises(TypeError, match="unsupported operand"):
        sensitivity(default_problem(), parameters=("cap",))
