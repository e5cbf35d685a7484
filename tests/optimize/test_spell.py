"""Schedules over the spell against routes that do not share the code's recursion.

* the sharp best response (``tau = 0``) against a brute force over every effort plan of
  a short claim, valued in levels (wage for ever once employed), written in the test;
* a constant schedule with a long entitlement against the stationary Bellman equation
  in levels, solved per type by bisection (scipy's brentq);
* ``patience = 0`` against seed 001's one-shot gain typed by hand;
* every gradient against central finite differences;
* bad input against ``PolicyParameterError`` naming the parameter.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from scipy import optimize as sopt

from optimize import Bridge, Claimants, Reskilling, Welfare
from optimize.bridge import Behaviour, spell_behaviour
from optimize.errors import PolicyParameterError
from optimize.spell import Schedule, stationary_values
from tests.optimize.helpers import assert_gradients_match_central_differences


def _effort(beh: Behaviour) -> np.ndarray:
    """Effort by type and month (every evaluation carries it)."""
    assert beh.effort is not None
    return beh.effort


def _pays(s: Schedule, k: int) -> tuple[float, float]:
    """Pay of a searcher and of a non-searcher in month k (typed from Table 2)."""
    return (s.x * s.U1[k] + (1 - s.x) * s.U[k], s.x * s.U0[k] + (1 - s.x) * s.U[k])


def _plan_value(plan: tuple[int, ...], s: Schedule, R: float, C: float, C0: float,
                W: float, r0: float, beta: float, post: float) -> float:
    """Expected discounted income minus search costs of an effort plan, in levels.

    Employed: W every month for ever.  Unemployed in month k with effort: the job (prob.
    R) pays W this month; otherwise the searcher's pay; the search cost is paid either
    way.  Without effort: the non-searcher's pay, and a job from next month with prob.
    r0.  After the entitlement the unemployed value is ``post``.
    """
    employed = W / (1.0 - beta)
    unemployed, total = 1.0, 0.0
    for k, effort in enumerate(plan):
        pay_e, pay_n = _pays(s, k)
        cost = s.x * C0 + (1 - s.x) * C
        if effort:
            flow = unemployed * (R * W + (1 - R) * pay_e - cost)
            found = unemployed * R
        else:
            flow = unemployed * pay_n
            found = unemployed * r0
        total += beta**k * (flow + (1 - unemployed) * W)
        unemployed -= found
    M = len(plan)
    return total + beta**M * (unemployed * post + (1 - unemployed) * employed)


def _post_value(R: float, C: float, W: float, r0: float, beta: float) -> float:
    """Unemployed without benefit, searching always or never (the better of the two)."""
    employed = W / (1.0 - beta)
    search = (R * W - C + beta * R * employed) / (1.0 - beta * (1.0 - R))
    idle = beta * r0 * employed / (1.0 - beta * (1.0 - r0))
    return max(search, idle)


SCHEDULES = [
    Schedule.tiers([1800.0, 1200.0, 600.0], [2, 4], months=5),
    Schedule((900.0, 800.0, 800.0, 700.0), (1400.0, 1300.0, 1000.0, 900.0),
             (1500.0, 1500.0, 1400.0, 1200.0), x=0.4),
    Schedule.flat(4, U0=0.0, U=2500.0, U1=2500.0, x=0.0),
]


@pytest.mark.parametrize("schedule", SCHEDULES)
@pytest.mark.parametrize("beta", [0.3, 0.6, 0.95])
def test_sharp_effort_is_the_best_plan_of_a_brute_force(schedule: Schedule,
                                                        beta: float) -> None:
    c = Claimants(temperature=0.0, n_nodes=4, wage=3000.0, C_median=500.0)
    beh = spell_behaviour(Bridge(c, patience=beta), schedule, gradient=False)
    M = schedule.months
    plans = list(itertools.product((0, 1), repeat=M))
    changes = 0
    for i, (R, C, C0) in enumerate(zip(c.R, c.C, c.C0, strict=True)):
        post = _post_value(R, C, c.wage, c.no_effort_hazard, beta)
        values = [_plan_value(p, schedule, R, C, C0, c.wage, c.no_effort_hazard, beta, post)
                  for p in plans]
        best = plans[int(np.argmax(values))]
        assert tuple(_effort(beh)[i].astype(int)) == best, (i, R, C)
        changes += len(set(best)) > 1
    if beta == 0.6:
        assert changes > 0  # some types change their mind during the spell


def test_myopic_effort_is_the_one_shot_gain_of_seed_001() -> None:
    c = Claimants(temperature=40.0, n_nodes=3)
    s = SCHEDULES[1]
    beh = spell_behaviour(Bridge(c, patience=0.0), s, gradient=False)
    for k in range(s.months):
        gain = (s.x * (c.R * c.wage + s.U1[k] * (1 - c.R) - c.C0 - s.U0[k])
                + (1 - s.x) * (c.R * (c.wage - s.U[k]) - c.C))
        np.testing.assert_allclose(_effort(beh)[:, k], 1 / (1 + np.exp(-gain / 40.0)),
                                   rtol=1e-12)


def _stationary_effort_in_levels(R: float, C: float, W: float, r0: float, beta: float,
                                 pay: float, tau: float) -> float:
    """Return the stationary effort of a constant benefit, from the Bellman equation.

    Benefit ``pay`` for ever, nobody monitored: the unemployed's value V solves
    V = pay + beta((1 - r0) V + r0 E) + tau log(1 + exp(gain / tau)), in levels.
    """
    E = W / (1.0 - beta)

    def gain(V: float) -> float:
        effort = R * W + (1 - R) * pay - C + beta * ((1 - R) * V + R * E)
        idle = pay + beta * ((1 - r0) * V + r0 * E)
        return effort - idle

    def bellman(V: float) -> float:
        idle = pay + beta * ((1 - r0) * V + r0 * E)
        return idle + tau * float(np.logaddexp(0.0, gain(V) / tau)) - V

    V = sopt.brentq(bellman, -1e7, E + 1e7, xtol=1e-9)
    return 1.0 / (1.0 + math.exp(-gain(V) / tau))


def test_a_long_constant_schedule_reproduces_the_stationary_effort() -> None:
    c = Claimants(temperature=50.0, n_nodes=3)
    beta, pay = 0.9, 1300.0
    beh = spell_behaviour(Bridge(c, patience=beta),
                          Schedule.flat(300, U0=pay, U=pay, U1=pay),
                          gradient=False)
    expected = [_stationary_effort_in_levels(R, C, c.wage, c.no_effort_hazard, beta, pay,
                                             50.0) for R, C in zip(c.R, c.C, strict=True)]
    np.testing.assert_allclose(_effort(beh)[:, 0], expected, rtol=1e-7)
    # the library's own stationary solver agrees too, and a short claim differs
    _, e = stationary_values(c, patience=beta, pay_none=pay,
                             game_gain=c.R * (c.wage - pay) - c.C)
    np.testing.assert_allclose(e, expected, rtol=1e-7)
    short = spell_behaviour(Bridge(c, patience=beta),
                            Schedule.flat(3, U0=pay, U=pay, U1=pay),
                            gradient=False)
    assert np.max(np.abs(_effort(short)[:, 0] - _effort(beh)[:, 0])) > 1e-3


def test_effort_depends_on_the_entitlement_only_with_patience() -> None:
    c = Claimants(n_nodes=5)
    first = {}
    for beta in (0.0, 0.9):
        for M in (6, 12, 24):
            beh = spell_behaviour(Bridge(c, patience=beta),
                                  Schedule.flat(M, U0=1530, U=1530, U1=1530), gradient=False)
            first[beta, M] = beh.effort_by_month[0]
    assert first[0.0, 6] == first[0.0, 12] == first[0.0, 24]
    assert first[0.9, 6] > first[0.9, 12] > first[0.9, 24]


KEYS = ("effort_share", "reemployment_rate", "months_paid", "benefit_per_claim",
        "monitoring_per_claim", "spend_per_claim", "welfare")


@pytest.mark.parametrize(("beta", "z"), [(0.0, None), (0.85, None), (0.5, 0.0), (0.9, 700.0)])
def test_gradients_against_finite_differences(beta: float, z: float | None) -> None:
    """Every variable of the schedule (and the reskilling lever ``z``, which moves ``R``
    and ``C0`` of every type, the value after exhaustion included)."""
    c = Claimants(n_nodes=4, temperature=80.0)
    bridge = Bridge(c, monitoring_cost=60.0, welfare=Welfare(horizon_months=12),
                    patience=beta, reskilling=None if z is None else Reskilling(loan_share=0.5))
    keys = KEYS + (("reskilling_per_claim",) if z is not None else ())
    assert_gradients_match_central_differences(bridge, SCHEDULES[1], keys, z=z)


@pytest.mark.parametrize(("kwargs", "param"), [
    ({"U0": (1.0,), "U": (1.0, 2.0), "U1": (1.0,)}, "U"),
    ({"U0": (-1.0,), "U": (1.0,), "U1": (1.0,)}, "U0"),
    ({"U0": (1.0,), "U": (float("nan"),), "U1": (1.0,)}, "U"),
    ({"U0": (1.0,), "U": (1.0,), "U1": (1.0,), "x": 1.5}, "x"),
    ({"U0": (), "U": (), "U1": ()}, "U0"),
])
def test_bad_schedules(kwargs: dict[str, object], param: str) -> None:
    with pytest.raises(PolicyParameterError, match=rf"^{param} = "):
        Schedule(**kwargs)  # type: ignore[arg-type]  # deliberately bad input


@pytest.mark.parametrize(("levels", "breakpoints", "param"), [
    ([1.0, 2.0], [], "breakpoints"), ([1.0, 2.0], [0], "breakpoints"),
    ([1.0, 2.0], [6], "breakpoints"), ([1.0, 2.0, 3.0], [3, 2], "breakpoints"),
    ([1.0, 2.0], [2.5], "breakpoints"), ([(1.0, 2.0)], [], "levels"),
])
def test_bad_tiers(levels: list[object], breakpoints: list[float], param: str) -> None:
    with pytest.raises(PolicyParameterError, match=rf"^{param} = "):
        Schedule.tiers(levels, breakpoints, months=6)


def test_bad_settings_of_the_spell() -> None:
    s = Schedule.flat(30, U0=1.0, U=1.0, U1=1.0)
    with pytest.raises(PolicyParameterError, match=r"^patience = 1"):
        Bridge(Claimants(n_nodes=2), patience=1.0)
    with pytest.raises(PolicyParameterError, match=r"^horizon_months = 24"):
        spell_behaviour(Bridge(Claimants(n_nodes=2), welfare=Welfare()), s)
    with pytest.raises(PolicyParameterError, match=r"^months = 0"):
        Schedule.flat(0, U0=1.0, U=1.0, U1=1.0)
