"""The utility-maximising claimant of the spell against routes that share none of its code.

* the sharp best response (``tau = 0``) against a brute force over every effort plan of
  a short claim, valued in expected discounted utility in levels, written here;
* one claimant type with a logit: effort by backward induction on the values in levels
  (utils; the value after exhaustion by root finding), then the claim followed month by
  month (searchers who find a job work that month, everybody else is paid), its welfare
  summed term by term -- against ``spell_behaviour``'s effort, months, spend and welfare;
* every gradient against central finite differences;
* bad settings against ``PolicyParameterError`` naming the parameter.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

import numpy as np
import pytest
from scipy import optimize as sopt
from scipy import special

from optimize import Bridge, Claimants, Welfare
from optimize.bridge import spell_behaviour
from optimize.errors import PolicyParameterError
from optimize.spell import Schedule
from tests.optimize.helpers import assert_gradients_match_central_differences


def _u(c: Any, gamma: float) -> Any:
    return np.log(c) if gamma == 1 else c ** (1 - gamma) / (1 - gamma)


def _flows(s: Schedule, k: int, spec: Welfare, R: float, C: float, C0: float,
           w_net: float) -> tuple[float, float]:
    """Utils of a searcher's and a non-searcher's month k (k >= M: after exhaustion)."""
    g, h = spec.risk_aversion, spec.home
    lam = w_net ** -g
    if k >= s.months:
        return (R * _u(w_net, g) + (1 - R) * _u(h, g) - lam * C, _u(h, g))
    x = s.x
    paid_e = x * _u(s.U1[k] + h, g) + (1 - x) * _u(s.U[k] + h, g)
    paid_n = x * _u(s.U0[k] + h, g) + (1 - x) * _u(s.U[k] + h, g)
    return (R * _u(w_net, g) + (1 - R) * paid_e - lam * (x * C0 + (1 - x) * C), paid_n)


def _post_sharp(a: float, b: float, R: float, r0: float, beta: float, E: float) -> float:
    """Unemployed after exhaustion for ever, searching always or never (the better)."""
    search = (a + beta * R * E) / (1 - beta * (1 - R))
    idle = (b + beta * r0 * E) / (1 - beta * (1 - r0))
    return max(search, idle)


SCHEDULES = [
    Schedule.tiers([1800.0, 1200.0, 600.0], [2, 4], months=5),
    Schedule((900.0, 800.0, 800.0, 700.0), (1400.0, 1300.0, 1000.0, 900.0),
             (1500.0, 1500.0, 1400.0, 1200.0), x=0.4),
    Schedule.tiers([300.0, 2500.0], [2], months=4),
]


@pytest.mark.parametrize("schedule", SCHEDULES)
@pytest.mark.parametrize("beta", [0.3, 0.8, 0.97])
def test_sharp_utility_effort_is_the_best_plan_of_a_brute_force(schedule: Schedule,
                                                                beta: float) -> None:
    c = Claimants(temperature=0.0, n_nodes=4, wage=3000.0, C_median=300.0)
    spec = Welfare(risk_aversion=2.0, home=1200.0, contribution_rate=0.02,
                   horizon_months=12)
    bridge = Bridge(c, welfare=spec, maximises="utility")
    beh = spell_behaviour(bridge.with_(patience=beta), schedule, gradient=False)
    w_net = c.wage * (1 - spec.contribution_rate)
    E = _u(w_net, spec.risk_aversion) / (1 - beta)
    M, r0 = schedule.months, c.no_effort_hazard
    plans = list(itertools.product((0, 1), repeat=M))
    changes = 0
    for i, (R, C, C0) in enumerate(zip(c.R, c.C, c.C0, strict=True)):
        post = _post_sharp(*_flows(schedule, M, spec, R, C, C0, w_net), R, r0, beta, E)
        values = []
        for plan in plans:
            unemployed, total = 1.0, 0.0
            for k, effort in enumerate(plan):
                a, b = _flows(schedule, k, spec, R, C, C0, w_net)
                flow, found = (a, R) if effort else (b, r0)
                total += beta**k * (unemployed * flow
                                    + (1 - unemployed) * _u(w_net, spec.risk_aversion))
                unemployed -= unemployed * found
            values.append(total + beta**M * (unemployed * post + (1 - unemployed) * E))
        best = plans[int(np.argmax(values))]
        assert beh.effort is not None
        assert tuple(beh.effort[i].astype(int)) == best, (i, R, C)
        changes += len(set(best)) > 1
    if schedule is SCHEDULES[0] and beta < 0.9:
        assert changes > 0  # some types change their mind during the spell


def _one_type_by_levels(s: Schedule, c: Claimants, spec: Welfare, beta: float,
                        kappa: float) -> dict[str, Any]:
    """Effort, months, spend and welfare of a one-type population, from the statement."""
    R, C, C0 = float(c.R[0]), float(c.C[0]), float(c.C0[0])
    r0, tau, gam = c.no_effort_hazard, c.temperature, spec.risk_aversion
    w_net = c.wage * (1 - spec.contribution_rate)
    lam = w_net ** -gam
    uw = _u(w_net, gam)
    E = uw / (1 - beta)
    T = tau * lam  # the logit's temperature in utils

    def bellman(k: int, V_next: float) -> tuple[float, float]:
        a, b = _flows(s, k, spec, R, C, C0, w_net)
        search = a + beta * (R * E + (1 - R) * V_next)
        idle = b + beta * (r0 * E + (1 - r0) * V_next)
        value = T * float(np.logaddexp(search / T, idle / T))
        return value, float(special.expit((search - idle) / T))

    M = s.months
    a, b = _flows(s, M, spec, R, C, C0, w_net)  # the value lies within the flows' range
    lo = (min(a, b, uw) - 1.0) / (1 - beta)
    hi = (max(a, b, uw) + T * math.log(2.0) + 1.0) / (1 - beta)
    V = sopt.brentq(lambda v: bellman(M, v)[0] - v, lo, hi, xtol=1e-15 * abs(uw))
    e_post = bellman(M, V)[1]
    efforts = []
    for k in range(M - 1, -1, -1):
        V, e = bellman(k, V)
        efforts.append(e)
    efforts.reverse()
    unemployed, months, spend, utils, employed = 1.0, 0.0, 0.0, 0.0, 0.0
    for k in range(spec.horizon_months):
        e = efforts[k] if k < M else e_post
        a, b = _flows(s, k, spec, R, C, C0, w_net)
        taste = T * float(special.entr(e) + special.entr(1 - e))
        utils += unemployed * (e * a + (1 - e) * b + taste) + (1 - unemployed) * uw
        employed += (1 - unemployed) + unemployed * e * R
        if k < M:
            paid = unemployed * (e * (1 - R) + (1 - e))
            months += paid
            pay_e = s.x * s.U1[k] + (1 - s.x) * s.U[k]
            pay_n = s.x * s.U0[k] + (1 - s.x) * s.U[k]
            spend += unemployed * (e * (1 - R) * pay_e + (1 - e) * pay_n + s.x * kappa)
        unemployed *= 1 - e * R - (1 - e) * r0
        if k == M - 1:
            reemployed = 1 - unemployed
    net = spend - spec.contribution_rate * c.wage * employed
    return {"effort": efforts, "months_paid": months, "spend_per_claim": spend,
            "welfare": utils / lam - spec.mcpf * net, "reemployment_rate": reemployed}


# (patience, search cost, temperature, risk aversion, home): effort interior in each case
CASES = [(0.0, 700.0, 120.0, 3.0, 1500.0), (0.0, 1500.0, 300.0, 2.0, 2500.0),
         (0.6, 1500.0, 300.0, 2.0, 2500.0), (0.99, 1500.0, 300.0, 2.0, 2500.0)]


@pytest.mark.parametrize("schedule", SCHEDULES)
@pytest.mark.parametrize(("beta", "C", "tau", "gamma", "home"), CASES)
def test_one_type_matches_values_in_levels_and_a_month_by_month_account(
        schedule: Schedule, beta: float, C: float, tau: float, gamma: float,
        home: float) -> None:
    c = Claimants(n_nodes=1, temperature=tau, C_median=C)
    spec = Welfare(risk_aversion=gamma, home=home, horizon_months=9, mcpf=1.3)
    bridge = Bridge(c, welfare=spec, maximises="utility", monitoring_cost=55.0)
    beh = spell_behaviour(bridge.with_(patience=beta), schedule, gradient=False)
    want = _one_type_by_levels(schedule, c, spec, beta, 55.0)
    assert beh.effort is not None
    np.testing.assert_allclose(beh.effort[0], want["effort"], rtol=1e-9, atol=1e-12)
    assert 1e-4 < beh.effort.min() and beh.effort.max() < 1 - 1e-4  # a real choice
    for key in ("months_paid", "spend_per_claim", "reemployment_rate"):
        assert getattr(beh, key) == pytest.approx(want[key], rel=1e-10), key
    assert beh.welfare == pytest.approx(want["welfare"], rel=1e-10, abs=1e-6)


def test_utility_and_income_claimants_choose_differently() -> None:
    # Same population and schedule; the income claimant's gain is the game's, the utility
    # claimant's is in utils: a benefit that halves over the spell moves them differently.
    c = Claimants(n_nodes=3)
    s = Schedule.tiers([1500.0, 750.0], [6], months=12)
    income = spell_behaviour(Bridge(c, welfare=Welfare(), patience=0.9), s, gradient=False)
    util = spell_behaviour(Bridge(c, welfare=Welfare(), maximises="utility", patience=0.9), s,
                           gradient=False)
    assert income.effort is not None and util.effort is not None
    assert np.max(np.abs(income.effort - util.effort)) > 0.05


KEYS = ("effort_share", "reemployment_rate", "months_paid", "benefit_per_claim",
        "monitoring_per_claim", "spend_per_claim", "welfare")


@pytest.mark.parametrize("beta", [0.0, 0.95])
def test_utility_gradients_against_finite_differences(beta: float) -> None:
    c = Claimants(n_nodes=4, temperature=80.0)
    spec = Welfare(horizon_months=10, contribution_rate=0.05)
    bridge = Bridge(c, monitoring_cost=60.0, welfare=spec, maximises="utility")
    s = SCHEDULES[1]
    assert_gradients_match_central_differences(bridge.with_(patience=beta), s, KEYS)


def test_bad_claimant_settings_are_named() -> None:
    c = Claimants(n_nodes=2)
    with pytest.raises(PolicyParameterError, match=r"^welfare = None"):
        Bridge(c, maximises="utility")
    with pytest.raises(PolicyParameterError, match=r"^maximises = 'money'"):
        Bridge(c, welfare=Welfare(), maximises="money")
    # one model: the stationary tiers are the flat schedule for this claimant too
    bridge = Bridge(c, welfare=Welfare(), maximises="utility")
    beh = bridge.behaviour(U0=800.0, U=1000.0, U1=1200.0, x=0.5)
    flat = spell_behaviour(bridge, Schedule.flat(12, U0=800.0, U=1000.0, U1=1200.0, x=0.5))
    assert beh.spend_per_claim == pytest.approx(flat.spend_per_claim, rel=1e-12)
    assert beh.grad["welfare"][1] == pytest.approx(flat.grad["welfare"][12:24].sum(),
                                                   rel=1e-10)
