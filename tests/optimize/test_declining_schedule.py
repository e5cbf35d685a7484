"""Hopenhayn-Nicolini's direction: does the welfare-optimal schedule decline over the spell?

At Hopenhayn and Nicolini's patience (weekly 0.999, i.e. ``0.999**(52/12)`` a month) on
the Qinghai default problem (25 claimant types; the floor lowered to 0 so that no level
sits on a bound), docs/explanation/welfare.md reports:

* the utility-maximising claimant: the best two-segment schedule declines -- lowering
  later benefits lowers the value of staying unemployed and so raises effort early, which
  is worth more than the insurance it costs (the source's mechanism);
* the same claimant without patience (each month the one-shot choice): it does not
  decline, so the decline comes from the dynamic incentive;
* the income-maximising claimant at the same patience: flat, because every type searches
  in every month (a job is worth the wage for ever) -- no moral hazard to trade against
  insurance, so each month meets Baily's condition ``u'(b + h) = mcpf u'(w_net)``, typed
  here by hand.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from optimize import Bridge, Welfare, default_problem
from optimize.problem import Problem
from optimize.solve import Solution
from optimize.spellsolve import solve_schedule

HN_MONTHLY = 0.999 ** (52 / 12)


def _problem(maximises: str, patience: float = HN_MONTHLY, **claimants: Any) -> Problem:
    spec = Welfare()
    base = default_problem(objective="welfare", welfare=spec, n_nodes=5, floor=0.0,
                           **claimants)
    b = base.bridge
    return dataclasses.replace(base, bridge=Bridge(
        b.claimants, entitlement_months=b.M, monitoring_cost=b.kappa, welfare=spec,
        maximises=maximises, patience=patience))


def _levels(sol: Solution) -> list[float]:
    return [float(v) for v in sol.schedule_frame()["U"]]


@pytest.fixture(scope="module")
def utility_problem() -> Problem:
    return _problem("utility")


def test_the_utility_claimant_at_hopenhayn_nicolinis_patience_gets_a_declining_schedule(
        utility_problem: Problem) -> None:
    sol = solve_schedule(utility_problem, segments=2, monitor=False)
    first, second = _levels(sol)
    # interior: no level at the floor or the cap, budget slack
    assert not sol.binding and not sol.nonunique
    assert first > second + 100.0
    assert sol.behaviour is not None
    effort = sol.behaviour.effort_by_month
    assert 0.5 < effort[0] < effort[-1] < 1.0  # effort interior and rising to exhaustion


def test_without_patience_the_utility_claimants_schedule_does_not_decline(
        utility_problem: Problem) -> None:
    myopic = utility_problem.with_(bridge=utility_problem.bridge.with_(patience=0.0))
    sol = solve_schedule(myopic, segments=2, monitor=False)
    first, second = _levels(sol)
    assert second > first


def test_the_income_claimant_searches_always_and_gets_bailys_flat_schedule() -> None:
    # at the stationary bridge's former calibration, R_mean = 0.3505 (at the one model's
    # 0.2860 effort stays above 0.99999 but the remaining response moves the optimum)
    sol = solve_schedule(_problem("income", R_mean=0.350482621694), segments=2,
                         monitor=False)
    assert sol.behaviour is not None and sol.behaviour.effort is not None
    assert sol.behaviour.effort.min() > 1 - 1e-6
    spec = Welfare()
    w_net = 4000.0 * (1 - spec.contribution_rate)
    baily = w_net * spec.mcpf ** (-1 / spec.risk_aversion) - spec.home
    for level in _levels(sol):
        assert level == pytest.approx(baily, abs=0.05)
