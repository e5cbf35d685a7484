"""Step-down schedules (Shanghai's 2175 / 1740 / 1510 元 tiers) against month-by-month
survival written by hand, a simulation of claims, and the optimum with the same budget.

The hand computations are myopic, so they are checked at patience 0 (each month the
one-shot game); tests/optimize/test_spell.py checks the recursion at patience > 0."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pytest

from optimize import Bridge, Claimants, default_problem
from optimize.errors import PolicyParameterError
from optimize.problem import Problem
from optimize.schedules import (
    SHANGHAI_2023,
    StepSchedule,
    compare_with_optimum,
    evaluate_schedule,
    shanghai_schedule,
)
from tests.optimize.helpers import best_feasible, feasible_by_hand, grid_policies


# --------------------------------------------------------------------------- payments
def test_payments_by_hand() -> None:
    s = StepSchedule((2175.0, 1740.0, 1510.0), 12)
    expected = [2175.0] * 12 + [1740.0] * 12 + [1510.0] * 6
    np.testing.assert_array_equal(s.payments(30), expected)
    np.testing.assert_array_equal(StepSchedule((3.0, 2.0, 1.0), 2).payments(8),
                                  [3, 3, 2, 2, 1, 1, 1, 1])
    np.testing.assert_array_equal(StepSchedule((5.0,), 1).payments(3), [5, 5, 5])
    assert StepSchedule((5.0, 4.0), 3).payments(0).shape == (0,)


def test_shanghai_schedule_is_scaled_by_the_minimum_wages() -> None:
    assert shanghai_schedule(scale_to_qinghai=False).levels == SHANGHAI_2023 \
        == (2175.0, 1740.0, 1510.0)
    scaled = shanghai_schedule()
    np.testing.assert_allclose(scaled.levels, [v * 1700.0 / 2690.0 for v in SHANGHAI_2023])
    assert scaled.step_months == 12


@pytest.mark.parametrize(("kwargs", "param"), [
    ({"levels": ()}, "levels"), ({"levels": (-1.0,)}, "levels"),
    ({"levels": (1000.0, float("nan"))}, "levels"),
    ({"levels": (1000.0,), "step_months": 0}, "step_months"),
    ({"levels": (1000.0,), "step_months": 1.5}, "step_months"),
    ({"levels": (1000.0,), "step_months": True}, "step_months"),
])
def test_bad_schedules(kwargs: dict[str, Any], param: str) -> None:
    with pytest.raises(PolicyParameterError, match=f"^{param} = "):
        StepSchedule(**kwargs)


# --------------------------------------------------------------------------- evaluation
def _by_hand(claimants: Claimants, levels: tuple[float, ...], step: int, M: int,
             tau: float) -> dict[str, float]:
    """Month by month for each claimant type.  Nobody is monitored (x = 0), so in month
    k a claimant paid S_k searches when the don't-monitor row of Table 2 pays more for
    effort: R W + S_k (1 - R) - C > S_k, i.e. R (W - S_k) > C (logit with temperature
    tau > 0).  Month k is paid to those still on benefit at its start."""
    out = {"effort_share": 0.0, "reemployment_rate": 0.0, "months_paid": 0.0,
           "spend_per_claim": 0.0}
    r0, W = claimants.no_effort_hazard, claimants.wage
    for R, C, w in zip(claimants.R, claimants.C, claimants.weights, strict=True):
        alive, spend, months, effort_months = 1.0, 0.0, 0.0, 0.0
        for k in range(M):
            pay = levels[min(k // step, len(levels) - 1)]
            g = R * (W - pay) - C
            e = float(g > 0) if tau == 0 else 1.0 / (1.0 + math.exp(-g / tau))
            spend += alive * pay
            months += alive
            effort_months += alive * e
            alive *= 1.0 - (e * R + (1.0 - e) * r0)
        out["effort_share"] += w * effort_months / months
        out["reemployment_rate"] += w * (1.0 - alive)
        out["months_paid"] += w * months
        out["spend_per_claim"] += w * spend
    return out


CASES = [
    ((2175.0, 1740.0, 1510.0), 12, 24, {"wage": 3000.0}),
    ((2000.0, 1500.0, 1000.0), 6, 24, {"wage": 2600.0}),
    ((1374.5, 1099.6, 954.3), 12, 12, {}),
    ((1530.0,), 12, 12, {"no_effort_hazard": 0.0}),
]


@pytest.mark.parametrize(("levels", "step", "M", "extra"), CASES)
@pytest.mark.parametrize("tau", [0.0, 30.0])
def test_evaluate_schedule_against_month_by_month_survival(levels: tuple[float, ...], step: int,
                                                           M: int, extra: dict[str, float],
                                                           tau: float) -> None:
    claimants = Claimants(temperature=tau, n_nodes=6, **extra)
    bridge = Bridge(claimants, entitlement_months=M, monitoring_cost=60.0, patience=0.0)
    got = evaluate_schedule(bridge, StepSchedule(levels, step))
    expected = _by_hand(claimants, levels, step, M, tau)
    for key, value in expected.items():
        assert got[key] == pytest.approx(value, rel=1e-10, abs=1e-12), key


def test_the_hand_computation_sees_decisions_change_with_the_tier() -> None:
    """Some claimant types decide differently under the first (2175 元) and the second
    (1740 元) tier; otherwise the step-down cases above would prove nothing."""
    c = Claimants(temperature=0.0, n_nodes=6, wage=3000.0)
    first = c.R * (c.wage - 2175.0) - c.C > 0
    second = c.R * (c.wage - 1740.0) - c.C > 0
    assert np.any(first != second)


def test_a_flat_schedule_matches_the_bridge_without_monitoring() -> None:
    """One level, x = 0: the step schedule must agree with the bridge's flat policy."""
    claimants = Claimants(temperature=0.0, n_nodes=8)
    bridge = Bridge(claimants, entitlement_months=12, monitoring_cost=60.0)
    got = evaluate_schedule(bridge, StepSchedule((1300.0,), 12))
    beh = bridge.behaviour(U0=1300.0, U=1300.0, U1=1300.0, x=0.0)
    assert got["spend_per_claim"] == pytest.approx(beh.spend_per_claim, rel=1e-12)
    assert got["months_paid"] == pytest.approx(beh.months_paid, rel=1e-12)
    assert got["reemployment_rate"] == pytest.approx(beh.reemployment_rate, rel=1e-12)
    assert got["effort_share"] == pytest.approx(beh.effort_share, abs=1e-12)


def test_schedule_spend_against_a_simulation_of_claims() -> None:
    claimants = Claimants(temperature=0.0, n_nodes=8, wage=3000.0)
    levels, step, M = (2175.0, 1740.0, 1510.0), 12, 24
    got = evaluate_schedule(Bridge(claimants, entitlement_months=M, patience=0.0),
                            StepSchedule(levels, step))
    rng = np.random.default_rng(99)
    n = 200_000
    idx = rng.choice(claimants.R.size, size=n, p=claimants.weights)
    R, C = claimants.R[idx], claimants.C[idx]
    on = np.ones(n, dtype=bool)
    spend = np.zeros(n)
    for k in range(M):
        pay = levels[min(k // step, 2)]
        spend += on * pay
        effort = R * (claimants.wage - pay) > C
        hazard = np.where(effort, R, claimants.no_effort_hazard)
        on &= rng.random(n) >= hazard
    se = spend.std(ddof=1) / math.sqrt(n)
    assert abs(spend.mean() - got["spend_per_claim"]) < 5 * se
    p = 1 - on.mean()
    assert abs(p - got["reemployment_rate"]) < 5 * math.sqrt(p * (1 - p) / n) + 1e-9


# --------------------------------------------------------------------------- comparison
@pytest.fixture(scope="module")
def comparison() -> tuple[Problem, pd.DataFrame]:
    # at patience 0, so that the schedule row can be checked against the myopic hand
    # computation above (tests/optimize/test_spell.py checks patience > 0)
    problem = default_problem(patience=0.0)
    return problem, compare_with_optimum(problem)


def test_the_optimum_spends_no_more_and_reemploys_no_fewer(
        comparison: tuple[Problem, pd.DataFrame]) -> None:
    _, table = comparison
    assert len(table) == 2
    step, opt = table.iloc[0], table.iloc[1]
    assert opt["spend_per_claim"] <= step["spend_per_claim"] + 1e-3
    assert opt["reemployment_rate"] >= step["reemployment_rate"]
    assert step["x"] == 0.0


def test_the_schedule_row_is_the_hand_computation(comparison: tuple[Problem, pd.DataFrame]) -> None:
    problem, table = comparison
    c = problem.bridge.claimants
    expected = _by_hand(c, shanghai_schedule().levels, 12, 24, c.temperature)
    for key, value in expected.items():
        assert table.iloc[0][key] == pytest.approx(value, rel=1e-10), key


def test_the_optimum_row_is_feasible_and_unbeaten_under_the_same_budget(
        comparison: tuple[Problem, pd.DataFrame]) -> None:
    problem, table = comparison
    step, opt = table.iloc[0], table.iloc[1]
    same = problem.with_(bridge=problem.bridge.with_(entitlement_months=24),
                         budget=float(step["spend_per_claim"]))
    policy = {k: float(opt[k]) for k in ("U0", "U", "U1", "x")}
    ev = same.evaluate(**policy)
    assert ev.feasible and feasible_by_hand(same, ev)
    assert ev.behaviour["reemployment_rate"] == pytest.approx(opt["reemployment_rate"])
    best, arg, n = best_feasible(same, grid_policies(same, n_levels=6, n_x=6))
    assert n > 0
    assert best <= ev.objective + 1e-7, arg
