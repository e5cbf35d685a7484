"""The welfare objective against independent routes: the Baily condition with no moral
hazard solved by hand, a month-by-month simulation of one claimant type coded here, an
interior optimum confirmed by evaluating neighbours, and bad settings named."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from optimize import Bridge, Claimants, default_problem, solve
from optimize.errors import PolicyParameterError
from optimize.problem import Problem, objective_value
from optimize.solve import Solution
from optimize.welfare import Welfare
from tests.optimize.helpers import gain_by_hand, logistic


@pytest.fixture(scope="module")
def default_solution() -> tuple[Problem, Solution]:
    problem = default_problem(objective="welfare")
    return problem, solve(problem)


@pytest.mark.parametrize("gamma", [3.0])
def test_without_moral_hazard_the_benefit_meets_the_baily_condition(gamma: float) -> None:
    # Nobody searches whatever the benefit (search costs a million 元), so the benefit
    # has no behavioural cost: the optimum equalises u'(U + h) / u'(w_net) with the
    # marginal cost of public funds, U* = w_net * mcpf**(-1/gamma) - h (Baily 1978 with
    # a zero elasticity).  Monitoring then only costs, so x = 0 and U is the benefit.
    spec = Welfare(home=2500.0, risk_aversion=gamma, mcpf=1.2)
    problem = default_problem(objective="welfare", welfare=spec, C_median=1e6,
                              R_mean=0.3, budget=None)
    sol = solve(problem)
    w_net = 4000.0 * (1 - 0.01)
    assert sol.policy["x"] == pytest.approx(0.0, abs=1e-9)
    assert sol.policy["U"] == pytest.approx(w_net * 1.2 ** (-1 / gamma) - 2500.0, abs=0.05)


def _welfare_by_simulation(spec: Welfare, *, R: float, C: float, r0: float, W: float, M: float,
                           H: int, U0: float, U: float, U1: float, x: float, kappa: float,
                           temperature: float, c0_share: float) -> float:
    """One claimant type followed month by month at patience 0, every term typed from the
    model's statement: in each month still unemployed it searches with the one-shot logit
    probability (the game's gain while paid, ``R W - C`` after the entitlement), pays the
    search cost when it does, and leaves with hazard ``R`` (searching) or ``r0``."""
    g = spec.risk_aversion

    def u(c: Any) -> Any:
        return np.log(c) if g == 1 else c ** (1 - g) / (1 - g)

    w_net = W * (1 - spec.contribution_rate)
    lam = w_net ** -g
    e_paid = logistic(gain_by_hand(x, U0, U, U1, R, W, C, c0_share * C) / temperature)
    e_after = logistic((R * W - C) / temperature)
    total_utils = 0.0
    spend = 0.0
    employed_months = 0.0
    alive = 1.0
    for k in range(H):
        if k < M:
            e = e_paid
            search = x * u(U1 + spec.home) + (1 - x) * u(U + spec.home) \
                - lam * (x * c0_share * C + (1 - x) * C)
            idle = x * u(U0 + spec.home) + (1 - x) * u(U + spec.home)
            spend += alive * (e * (x * U1 + (1 - x) * U) + (1 - e) * (x * U0 + (1 - x) * U)
                              + x * kappa)
        else:
            e = e_after
            search, idle = u(spec.home) - lam * C, u(spec.home)
        total_utils += alive * (e * search + (1 - e) * idle) + (1 - alive) * u(w_net)
        employed_months += 1 - alive
        alive *= 1 - (e * R + (1 - e) * r0)
    net_cost = spend - spec.contribution_rate * W * employed_months
    return float(total_utils / lam - spec.mcpf * net_cost)


def test_welfare_per_claim_equals_a_month_by_month_simulation() -> None:
    claimants = Claimants(n_nodes=1, temperature=80.0)
    spec = Welfare(horizon_months=18)
    bridge = Bridge(claimants, entitlement_months=12, monitoring_cost=60.0, welfare=spec,
                    patience=0.0)
    policy = {"U0": 900.0, "U": 1200.0, "U1": 1450.0, "x": 0.4}
    got = float(spec.per_claim(bridge, **policy)[0])
    want = _welfare_by_simulation(
        spec, R=float(claimants.R[0]), C=float(claimants.C[0]),
        r0=claimants.no_effort_hazard, W=claimants.wage, M=12, H=18, kappa=60.0,
        temperature=80.0, c0_share=claimants.c0_share, **policy)
    assert got == pytest.approx(want, rel=1e-10)


def test_welfare_gradient_matches_wide_finite_differences() -> None:
    problem = default_problem(objective="welfare")
    point = {"U0": 900.0, "U": 1100.0, "U1": 1400.0, "x": 0.3}
    grad = problem.bridge.behaviour(**point).grad["welfare"]
    for k, (name, step) in enumerate((("U0", 1.0), ("U", 1.0), ("U1", 1.0), ("x", 1e-4))):
        up = problem.evaluate(**(point | {name: point[name] + step})).objective
        dn = problem.evaluate(**(point | {name: point[name] - step})).objective
        assert grad[k] == pytest.approx((up - dn) / (2 * step), rel=1e-4, abs=1e-6)


def test_qinghai_welfare_optimum_is_interior_in_U1(
        default_solution: tuple[Problem, Solution]) -> None:
    problem, sol = default_solution
    u1 = sol.policy["U1"]
    assert problem.floor + 1 < u1 < problem.cap - 1
    assert "U1 <= cap" not in sol.binding and "U1 >= floor" not in sol.binding
    best = sol.objective
    for step in (-20.0, -2.0, 2.0, 20.0):
        assert problem.evaluate(**(sol.policy | {"U1": u1 + step})).objective < best
    status_quo = problem.evaluate(U0=1530, U=1530, U1=1530, x=0.0).objective
    assert best > status_quo


def test_welfare_evaluate_many_agrees_with_evaluate() -> None:
    problem = default_problem(objective="welfare")
    many = problem.evaluate_many(U0=[800, 1000], U=[900, 1200], U1=[1530, 1400], x=[1, 0.2])
    one = problem.evaluate(U0=1000, U=1200, U1=1400, x=0.2)
    assert many["objective"][1] == pytest.approx(one.objective, rel=1e-12)


@pytest.mark.parametrize(("kwargs", "name"), [
    ({"risk_aversion": 0.0}, "risk_aversion"),
    ({"home": -1.0}, "home"),
    ({"home": 0.0, "risk_aversion": 2.0}, "home"),
    ({"contribution_rate": 0.9}, "contribution_rate"),
    ({"mcpf": 0.8}, "mcpf"),
    ({"horizon_months": 0}, "horizon_months"),
    ({"horizon_months": 6.5}, "horizon_months"),
])
def test_bad_welfare_settings_are_named(kwargs: dict[str, Any], name: str) -> None:
    with pytest.raises(PolicyParameterError, match=name):
        Welfare(**kwargs)


def test_horizon_shorter_than_entitlement_is_named() -> None:
    with pytest.raises(PolicyParameterError, match="horizon_months"):
        default_problem(objective="welfare", welfare=Welfare(horizon_months=6)).evaluate(
            U0=800, U=900, U1=1000, x=0.5)


def test_welfare_objective_needs_a_criterion_and_unknown_objectives_are_named() -> None:
    base = default_problem()
    with pytest.raises(PolicyParameterError, match="objective = 'welfare'"):
        base.with_(objective="welfare")
    with pytest.raises(PolicyParameterError, match="objective = 'happiness'"):
        objective_value("happiness", base.bridge.behaviour(U0=800, U=900, U1=1000, x=0.5))
