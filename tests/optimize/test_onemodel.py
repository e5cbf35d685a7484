"""One model of the claimant: the bridge's stationary tiers are the month-by-month model.

* months paid at the status quo after calibration, against a backward induction over
  the months written here in plain Python (seed 001's gain typed by hand, the Bellman
  equation after exhaustion solved by bisection);
* at the default patience the entitlement changes effort (it did not in the stationary
  bridge: 0.6335 at M = 6, 12, 24);
* ``Bridge.behaviour`` equals the schedule paying the same tiers every month, and its
  gradient is the sum over months of the schedule's;
* the gradient in ``(U0, U, U1, x, z)`` with reskilling and welfare against central
  differences;
* patience and whole months validated by name.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from scipy import optimize as sopt

from optimize import Bridge, Claimants, Reskilling, Schedule, Welfare, default_problem
from optimize.bridge import DEFAULT_PATIENCE, spell_behaviour
from optimize.calibration import DEFAULT_R_MEAN
from optimize.errors import PolicyParameterError


def _months_by_hand(c: Claimants, pay: float, M: int, beta: float) -> float:
    """Months paid under a flat benefit without monitoring (see :func:`_paid_by_hand`)."""
    return _paid_by_hand(c, pay, M, beta)[0]


def _paid_by_hand(c: Claimants, pay: float, M: int, beta: float) -> tuple[float, float]:
    """Months paid under a flat benefit without monitoring, type by type, and the part of
    them in which a searcher finds her job (paid in the income claimant's accounting).

    Values measured against employment: after exhaustion ``D`` solves
    ``D = -W + beta (1 - r0) D + tau log(1 + exp(g(D) / tau))`` with the gain
    ``g(D) = R W - C - beta (R - r0) D`` (bisection); while paid the gain is
    ``R (W - pay) - C - beta (R - r0) D_{k+1}`` and ``D_k = pay - W + beta (1 - r0)
    D_{k+1} + tau log(1 + exp(gain / tau))``.  Month k is paid to those still on benefit.
    """
    W, r0, tau = c.wage, c.no_effort_hazard, c.temperature
    total, finding = 0.0, 0.0
    for R, C, w in zip(c.R, c.C, c.weights, strict=True):
        def soft(g: float) -> float:
            return tau * float(np.logaddexp(0.0, g / tau))

        def bellman(D: float, R: float = R, C: float = C) -> float:
            return -W + beta * (1 - r0) * D + soft(R * W - C - beta * (R - r0) * D) - D

        D = sopt.brentq(bellman, -1e6, 1e6, xtol=1e-12) if beta > 0 else -W + soft(R * W - C)
        efforts = []
        for _ in range(M):
            gain = R * (W - pay) - C - beta * (R - r0) * D
            efforts.append(1.0 / (1.0 + math.exp(-gain / tau)))
            D = pay - W + beta * (1 - r0) * D + soft(gain)
        alive, months, found = 1.0, 0.0, 0.0
        for e in reversed(efforts):  # efforts were found from the last month back
            months += alive
            found += alive * e * R
            alive *= 1 - (e * R + (1 - e) * r0)
        total += w * months
        finding += w * found
    return total, finding


def test_the_status_quo_pays_the_observed_months_in_the_model_solve_uses() -> None:
    problem = default_problem()
    assert problem.bridge.patience == DEFAULT_PATIENCE
    c = problem.bridge.claimants
    assert c.R_mean == DEFAULT_R_MEAN
    by_hand = _months_by_hand(c, 1530.0, 12, DEFAULT_PATIENCE)
    assert by_hand == pytest.approx(4.63, abs=5e-9)
    ev = problem.evaluate(U0=1530.0, U=1530.0, U1=1530.0, x=0.0)
    assert ev.behaviour["months_paid"] == pytest.approx(by_hand, rel=1e-10)
    assert problem.calibration is not None
    assert problem.calibration.achieved_months == pytest.approx(4.63, abs=1e-8)


def test_the_month_of_finding_is_the_share_of_months_paid_the_docs_state() -> None:
    """welfare.md: the income claimant's accounting pays the month in which a searcher
    finds her job (the design's m(h)); at the status quo that is 0.69 of the 4.63 months
    paid, 15 %, the gap to the game's timing that the utility claimant follows."""
    c = default_problem().bridge.claimants
    months, finding = _paid_by_hand(c, 1530.0, 12, DEFAULT_PATIENCE)
    assert months == pytest.approx(4.63, abs=5e-9)
    assert finding == pytest.approx(0.69, abs=5e-3)
    assert finding / months == pytest.approx(0.15, abs=5e-3)


@pytest.mark.parametrize("calibrate", ["months", True])
def test_a_refit_reaches_the_months_at_the_problems_patience(calibrate: str | bool) -> None:
    extra: dict[str, Any] = {"C_median": 700.0} if calibrate == "months" else {}
    problem = default_problem(wage=4500.0, patience=0.7, calibrate=calibrate, **extra)
    c = problem.bridge.claimants
    assert problem.bridge.patience == 0.7
    assert _months_by_hand(c, 1530.0, 12, 0.7) == pytest.approx(4.63, abs=1e-6)


def test_the_entitlement_changes_effort_at_the_default_patience() -> None:
    c = default_problem().bridge.claimants
    first, share = [], []
    for M in (6, 12, 24):
        beh = Bridge(c, entitlement_months=M).behaviour(U0=1530, U=1530, U1=1530, x=0.0)
        assert beh.effort is not None
        first.append(float(beh.effort_by_month[0]))
        share.append(beh.effort_share)
        assert beh.effort_by_month[-1] > beh.effort_by_month[0]  # rises towards exhaustion
    assert first[0] > first[1] > first[2]
    assert share[0] > share[1] > share[2]
    assert len({round(s, 4) for s in share}) == 3  # not 0.6335 three times


@pytest.mark.parametrize("reskilling", [None, Reskilling(loan_share=0.5)])
def test_stationary_tiers_are_the_schedule_paying_them_every_month(
        reskilling: Reskilling | None) -> None:
    bridge = Bridge(Claimants(n_nodes=4), entitlement_months=7, reskilling=reskilling,
                    welfare=Welfare(horizon_months=12))
    z = 0.0 if reskilling is None else 900.0
    pol = {"U0": 900.0, "U": 1100.0, "U1": 1400.0, "x": 0.3}
    beh = bridge.behaviour(**pol, z=z)
    sched = spell_behaviour(bridge, Schedule.flat(7, **pol), z=z)
    for key, value in beh.as_dict().items():
        if key.startswith("threshold"):
            continue
        assert getattr(sched, key) == pytest.approx(value, rel=1e-12), key
    for key, grad in beh.grad.items():
        full = sched.grad[key]
        summed = [full[t * 7:(t + 1) * 7].sum() for t in range(3)] + list(full[21:])
        np.testing.assert_allclose(grad, summed, rtol=1e-10, atol=1e-12, err_msg=key)


def test_gradient_with_reskilling_and_welfare_against_central_differences() -> None:
    bridge = Bridge(Claimants(n_nodes=5, temperature=60.0), entitlement_months=9,
                    reskilling=Reskilling(loan_share=0.4), welfare=Welfare(horizon_months=18))
    pol = {"U0": 850.0, "U": 1150.0, "U1": 1450.0, "x": 0.45, "z": 1200.0}
    beh = bridge.behaviour(**pol)
    steps = {"U0": 1e-3, "U": 1e-3, "U1": 1e-3, "x": 1e-6, "z": 1e-3}
    keys = ("effort_share", "reemployment_rate", "months_paid", "spend_per_claim",
            "reskilling_per_claim", "welfare")
    assert set(keys) <= set(beh.grad)
    for key in keys:
        fd = []
        for name in bridge.policy_names:
            up = getattr(bridge.behaviour(**(pol | {name: pol[name] + steps[name]})), key)
            dn = getattr(bridge.behaviour(**(pol | {name: pol[name] - steps[name]})), key)
            fd.append((up - dn) / (2 * steps[name]))
        scale = max(1.0, abs(getattr(beh, key)))
        np.testing.assert_allclose(beh.grad[key], fd, rtol=1e-5, atol=1e-7 * scale,
                                   err_msg=key)
    assert abs(beh.grad["effort_share"][4]) > 1e-7  # z moves effort


@pytest.mark.parametrize("patience", [1.0, -0.01, float("nan"), "0.5", True])
def test_bad_patience_is_named(patience: object) -> None:
    with pytest.raises(PolicyParameterError, match=r"^patience = "):
        Bridge(Claimants(n_nodes=2), patience=patience)  # type: ignore[arg-type]  # bad on purpose


def test_with_changes_one_setting_and_refuses_unknown_ones() -> None:
    b = Bridge(Claimants(n_nodes=2), monitoring_cost=70.0)
    c = b.with_(patience=0.2)
    assert (c.patience, c.kappa, c.months) == (0.2, 70.0, 12)
    with pytest.raises(PolicyParameterError, match=r"^impatience = "):
        b.with_(impatience=0.3)
