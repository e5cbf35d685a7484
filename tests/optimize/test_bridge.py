"""The bridge from a policy to behaviour and money, against independent routes.

The bridge is the month-by-month model; at patience 0 every month is seed 001's one-shot
game, so these closed forms hold there and are checked there (``patience=0.0``):

* the effort share against the claimant's gain typed by hand from seed 001's Table 2;
* months paid against a direct sum and a Monte Carlo simulation of geometric spells;
* spend per claim against a per-type hand computation (each month the type searches with
  the logit probability ``e``, so it leaves with hazard ``e R + (1 - e) r0``) and a
  simulation of claims with monthly monitoring draws;
* every gradient against central finite differences (hypothesis);
* bad input against ``PolicyParameterError`` naming the parameter.
"""

from __future__ import annotations

import functools
import math
import re
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from optimize import Bridge, Claimants, months_paid, reemployment
from optimize.errors import PolicyParameterError
from tests.optimize.helpers import gain_by_hand, logistic, months_by_sum

POLICIES = [
    {"U0": 1530.0, "U": 1530.0, "U1": 1530.0, "x": 0.0},
    {"U0": 800.0, "U": 1000.0, "U1": 1530.0, "x": 0.3},
    {"U0": 800.0, "U": 1200.0, "U1": 1500.0, "x": 0.9},
    {"U0": 1000.0, "U": 1100.0, "U1": 1200.0, "x": 1.0},
    {"U0": 900.0, "U": 1400.0, "U1": 1450.0, "x": 0.05},
]


def _per_type(claimants: Claimants, pol: dict[str, float]) -> np.ndarray:
    c = claimants
    return np.asarray(gain_by_hand(pol["x"], pol["U0"], pol["U"], pol["U1"], c.R, c.wage, c.C,
                                   c.C0))


# --------------------------------------------------------------------------- effort share
@pytest.mark.parametrize("pol", POLICIES)
def test_sharp_effort_share_is_the_weighted_share_with_positive_gain(pol: dict[str, float]) -> None:
    claimants = Claimants(temperature=0.0)
    bridge = Bridge(claimants, entitlement_months=12, monitoring_cost=60, patience=0.0)
    expected = float(np.sum(claimants.weights * (_per_type(claimants, pol) > 0)))
    got = bridge.behaviour(**pol).effort_share
    assert got == pytest.approx(expected, abs=1e-12)


def test_sharp_effort_share_is_not_trivially_zero_or_one() -> None:
    """The hand computation above means something only if some policies split claimants."""
    claimants = Claimants(temperature=0.0)
    shares = [float(np.sum(claimants.weights * (_per_type(claimants, p) > 0))) for p in POLICIES]
    assert any(0.05 < s < 0.95 for s in shares)
    assert len(set(np.round(shares, 6))) >= 3


@pytest.mark.parametrize("pol", POLICIES)
@pytest.mark.parametrize("tau", [5.0, 50.0, 400.0])
def test_logit_effort_share_is_the_weighted_logistic_of_the_gain(pol: dict[str, float],
                                                                 tau: float) -> None:
    claimants = Claimants(temperature=tau)
    bridge = Bridge(claimants, entitlement_months=12, monitoring_cost=60, patience=0.0)
    expected = float(np.sum(claimants.weights * logistic(_per_type(claimants, pol) / tau)))
    assert bridge.behaviour(**pol).effort_share == pytest.approx(expected, rel=1e-12)


def test_quadrature_nodes_reproduce_the_stated_distributions() -> None:
    """Equal weights summing to 1; mean of R near R_mean, median of C at C_median,
    C0 = c0_share * C (seed 001: job services lower the search cost)."""
    c = Claimants(R_mean=0.3, R_concentration=6.0, C_median=500.0, c0_share=0.4, n_nodes=40)
    assert c.weights.shape == c.R.shape == c.C.shape == (1600,)
    assert np.allclose(c.weights, 1 / 1600)
    assert float(c.weights @ c.R) == pytest.approx(0.3, abs=2e-3)
    assert float(np.median(c.C)) == pytest.approx(500.0, rel=0.05)
    np.testing.assert_allclose(c.C0, 0.4 * c.C)
    assert np.all((c.R > 0) & (c.R < 1))


def X_star_by_hand(U0: Any, U: Any, U1: Any, R: Any, W: Any, C: Any, C0: Any) -> Any:
    """The claimant's indifference point in x: the gain is linear in x, zero at
    X* = (U R - R W + C) / (U1 - U0 + U R - U1 R + C - C0) (seed 001's mixed equilibrium,
    government's probability of monitoring)."""
    return (U * R - R * W + C) / (U1 - U0 + U * R - U1 * R + C - C0)


@pytest.mark.parametrize("pol", POLICIES[1:])
def test_threshold_is_the_median_of_the_hand_typed_X_star(pol: dict[str, float]) -> None:
    claimants = Claimants(temperature=0.0, n_nodes=9)
    c = claimants
    beh = Bridge(claimants, patience=0.0).behaviour(**pol)
    X = X_star_by_hand(pol["U0"], pol["U"], pol["U1"], c.R, c.wage, c.C, c.C0)
    assert beh.threshold == pytest.approx(float(np.median(np.clip(X, 0.0, 1.0))), abs=1e-12)
    # with a positive denominator, effort pays exactly when x exceeds X*
    denom = pol["U1"] - pol["U0"] + pol["U"] * c.R - pol["U1"] * c.R + c.C - c.C0
    gain = _per_type(claimants, pol)
    pos = denom > 0
    assert np.all((gain[pos] > 0) == (pol["x"] > X[pos]))


# --------------------------------------------------------------------------- months paid
@pytest.mark.parametrize("M", [1, 3, 12, 24])
@pytest.mark.parametrize("h", [0.0, 0.01, 0.08, 0.35, 0.9, 1.0])
def test_months_paid_is_the_direct_sum_over_months(h: float, M: int) -> None:
    assert float(months_paid(h, M)) == pytest.approx(months_by_sum(h, M), rel=1e-12)
    assert float(reemployment(h, M)) == pytest.approx(1 - (1 - h) ** M, abs=1e-15)


@pytest.mark.parametrize(("h", "M"), [(0.05, 12), (0.22, 12), (0.6, 6), (0.02, 24)])
def test_months_paid_against_a_simulation_of_geometric_spells(h: float, M: float) -> None:
    """A spell lasts ``T ~ Geometric(h)`` months (the month of exit counted); benefit is
    paid for ``min(T, M)`` months, and the claimant is re-employed within the entitlement
    when ``T <= M``."""
    rng = np.random.default_rng(20240517)
    n = 400_000
    T = rng.geometric(h, size=n)
    paid = np.minimum(T, M)
    se = paid.std(ddof=1) / math.sqrt(n)
    assert abs(paid.mean() - float(months_paid(h, M))) < 5 * se
    p_hat = np.mean(T <= M)
    se_p = math.sqrt(p_hat * (1 - p_hat) / n) + 1e-12
    assert abs(p_hat - float(reemployment(h, M))) < 5 * se_p + 1e-9


@pytest.mark.parametrize("h", [-0.1, 1.5, float("nan")])
def test_months_paid_rejects_a_hazard_outside_0_1(h: float) -> None:
    """A monthly hazard is a probability; NaN or -0.1 must not come back as M months."""
    with pytest.raises(PolicyParameterError, match=r"^h = "):
        months_paid(h, 12)
    with pytest.raises(PolicyParameterError, match=r"^h = "):
        reemployment(h, 12)


def test_months_paid_vectorised_and_limit_at_zero() -> None:
    h = np.array([0.0, 0.1, 0.5])
    out = months_paid(h, 12)
    assert out.shape == (3,)
    assert out[0] == 12.0
    assert out[1] == pytest.approx(months_by_sum(0.1, 12))


# --------------------------------------------------------------------------- spending
@pytest.mark.parametrize("pol", POLICIES)
@pytest.mark.parametrize("tau", [0.0, 40.0])
def test_behaviour_per_claim_by_hand(pol: dict[str, float], tau: float) -> None:
    """The recursion at patience 0 against its closed form, each claimant type at a time:
    the one-shot effort probability ``e`` every month, so the monthly exit hazard
    ``h = e R + (1 - e) r0`` and months by direct sums of ``(1 - h)^k``; a month paid
    ``e (x U1 + (1-x) U) + (1 - e) (x U0 + (1-x) U)``; monitoring ``kappa`` per
    monitored claimant-month."""
    claimants = Claimants(temperature=tau, n_nodes=4, no_effort_hazard=0.05)
    M, kappa = 10, 75.0
    bridge = Bridge(claimants, entitlement_months=M, monitoring_cost=kappa, patience=0.0)
    beh = bridge.behaviour(**pol)
    U0, U, U1, x = pol["U0"], pol["U"], pol["U1"], pol["x"]
    r0 = claimants.no_effort_hazard
    totals = dict.fromkeys(("effort", "months", "benefit", "monitoring", "reemp"), 0.0)
    for R, C, C0, w in zip(claimants.R, claimants.C, claimants.C0, claimants.weights,
                           strict=True):
        g = gain_by_hand(x, U0, U, U1, R, claimants.wage, C, C0)
        e = float(g > 0) if tau == 0 else 1.0 / (1.0 + math.exp(-g / tau))
        h = e * R + (1 - e) * r0
        months = months_by_sum(h, M)
        totals["effort"] += w * e
        totals["months"] += w * months
        totals["benefit"] += w * months * (e * (x * U1 + (1 - x) * U)
                                           + (1 - e) * (x * U0 + (1 - x) * U))
        totals["monitoring"] += w * kappa * x * months
        totals["reemp"] += w * (1 - (1 - h) ** M)
    assert beh.effort_share == pytest.approx(totals["effort"], rel=1e-10, abs=1e-12)
    assert beh.months_paid == pytest.approx(totals["months"], rel=1e-10)
    assert beh.benefit_per_claim == pytest.approx(totals["benefit"], rel=1e-10)
    assert beh.monitoring_per_claim == pytest.approx(totals["monitoring"], rel=1e-10, abs=1e-9)
    assert beh.spend_per_claim == pytest.approx(totals["benefit"] + totals["monitoring"],
                                                rel=1e-10)
    assert beh.reemployment_rate == pytest.approx(totals["reemp"], rel=1e-10)


@pytest.mark.parametrize("pol", POLICIES[1:4])
def test_spend_per_claim_against_a_simulation_of_claims(pol: dict[str, float]) -> None:
    """Simulate claims: draw a claimant type by its weight, the sharp effort decision from
    the hand-typed gain, the spell length (geometric, capped at M), and for every month
    paid whether the claimant is monitored (probability x).  A monitored searcher gets
    U1, a monitored non-searcher U0, an unmonitored claimant U; each monitored month
    costs kappa."""
    claimants = Claimants(temperature=0.0, n_nodes=10)
    M, kappa = 12, 60.0
    beh = Bridge(claimants, entitlement_months=M, monitoring_cost=kappa,
                 patience=0.0).behaviour(**pol)
    rng = np.random.default_rng(7)
    n = 300_000
    idx = rng.choice(claimants.R.size, size=n, p=claimants.weights)
    R, C, C0 = claimants.R[idx], claimants.C[idx], claimants.C0[idx]
    effort = gain_by_hand(pol["x"], pol["U0"], pol["U"], pol["U1"], R, claimants.wage,
                          C, C0) > 0
    hazard = np.where(effort, R, claimants.no_effort_hazard)
    months = np.minimum(rng.geometric(hazard), M)
    monitored = rng.binomial(months, pol["x"])
    top = np.where(effort, pol["U1"], pol["U0"])
    spend = monitored * (top + kappa) + (months - monitored) * pol["U"]
    se = spend.std(ddof=1) / math.sqrt(n)
    assert abs(spend.mean() - beh.spend_per_claim) < 5 * se
    se_m = months.std(ddof=1) / math.sqrt(n)
    assert abs(months.mean() - beh.months_paid) < 5 * se_m


# --------------------------------------------------------------------------- gradients
@functools.lru_cache(maxsize=8)
def _bridge(tau: float) -> Bridge:
    return Bridge(Claimants(temperature=tau), entitlement_months=12, monitoring_cost=60)


_tier = st.floats(min_value=800.0, max_value=1530.0, allow_nan=False)


@st.composite
def _policies(draw: st.DrawFn) -> dict[str, float]:
    tiers = sorted(draw(st.lists(_tier, min_size=3, max_size=3)))
    x = draw(st.floats(min_value=0.01, max_value=0.99))
    return dict(zip(("U0", "U", "U1"), tiers, strict=True)) | {"x": x}


@settings(max_examples=80, deadline=None)
@given(pol=_policies(), tau=st.sampled_from([10.0, 50.0, 150.0]))
def test_every_gradient_matches_central_differences(pol: dict[str, float], tau: float) -> None:
    bridge = _bridge(tau)
    beh = bridge.behaviour(**pol)
    steps = {"U0": 1e-3, "U": 1e-3, "U1": 1e-3, "x": 1e-6}
    for key, grad in beh.grad.items():
        value = getattr(beh, key)
        fd = []
        for name in ("U0", "U", "U1", "x"):
            h = steps[name]
            up = getattr(bridge.behaviour(**(pol | {name: pol[name] + h})), key)
            down = getattr(bridge.behaviour(**(pol | {name: pol[name] - h})), key)
            fd.append((up - down) / (2 * h))
        scale = max(1.0, abs(value))
        np.testing.assert_allclose(grad, fd, rtol=1e-4, atol=1e-8 * scale,
                                   err_msg=f"d {key} / d(U0, U, U1, x) at {pol}, tau={tau}")


def test_gradients_are_nonzero_somewhere() -> None:
    """The finite-difference test means something only if the gradients are not all 0."""
    beh = _bridge(50.0).behaviour(U0=900.0, U=1300.0, U1=1500.0, x=0.4)
    for key, grad in beh.grad.items():
        assert np.any(np.abs(grad) > 1e-7), key


# --------------------------------------------------------------------------- bad input
def _name(param: str) -> str:
    return "^" + re.escape(param) + " = "


@pytest.mark.parametrize(("param", "value"), [
    ("x", -0.1), ("x", 1.1), ("x", float("nan")),
    ("U0", -1.0), ("U", -5.0), ("U1", float("inf")), ("U0", float("nan")),
])
def test_bad_policy_raises_naming_the_variable(param: str, value: Any) -> None:
    bridge = _bridge(50.0)
    pol = {"U0": 900.0, "U": 1000.0, "U1": 1200.0, "x": 0.5} | {param: value}
    with pytest.raises(PolicyParameterError, match=_name(param)):
        bridge.behaviour(**pol)


@pytest.mark.parametrize(("param", "value"), [
    ("R_mean", 0.0), ("R_mean", 1.5), ("R_mean", "abc"), ("R_concentration", 0.0),
    ("no_effort_hazard", -0.1), ("no_effort_hazard", 1.0), ("C_median", 0.0),
    ("C_median", float("inf")), ("C_sigma", -0.5), ("c0_share", 0.0), ("c0_share", 1.5),
    ("wage", 0.0), ("wage", float("nan")), ("temperature", -1.0), ("n_nodes", 0),
    ("n_nodes", 2.5), ("n_nodes", True), ("n_nodes", 201),
])
def test_bad_claimants_raise_naming_the_field(param: str, value: Any) -> None:
    with pytest.raises(PolicyParameterError, match=_name(param)):
        Claimants(**{param: value})


@pytest.mark.parametrize("M", [0.0, 0.99, 12.5, 24.5, 36.0, float("nan")])
def test_entitlement_outside_1_to_24_or_not_whole_raises(M: float) -> None:
    with pytest.raises(PolicyParameterError, match=_name("entitlement_months")):
        Bridge(Claimants(), entitlement_months=M)


@pytest.mark.parametrize("M", [1.0, 24.0])
def test_entitlement_at_the_ends_is_accepted(M: float) -> None:
    assert Bridge(Claimants(), entitlement_months=M).M == M


@pytest.mark.parametrize("kappa", [-1.0, float("nan"), float("inf")])
def test_bad_monitoring_cost_raises(kappa: float) -> None:
    with pytest.raises(PolicyParameterError, match=_name("monitoring_cost")):
        Bridge(Claimants(), monitoring_cost=kappa)


def test_bridge_needs_claimants() -> None:
    with pytest.raises(PolicyParameterError, match=_name("claimants")):
        Bridge({"R_mean": 0.2})  # type: ignore[arg-type]  # wrong type on purpose


def test_an_undefined_threshold_is_reported_as_undefined() -> None:
    """With C0 = C (c0_share = 1) and flat tiers, X*'s denominator
    U1 - U0 + U R - U1 R + C - C0 vanishes for every type: no threshold exists, and the
    bridge says so instead of reporting 1.0."""
    beh = Bridge(Claimants(c0_share=1.0, n_nodes=3)).behaviour(U0=1200.0, U=1200.0,
                                                                U1=1200.0, x=0.5)
    assert beh.threshold is None
    assert beh.threshold_undefined == 1.0
    assert "threshold" not in beh.as_dict()
    assert beh.as_dict()["threshold_undefined"] == 1.0
    defined = Bridge(Claimants(n_nodes=3)).behaviour(U0=800.0, U=1200.0, U1=1500.0, x=0.5)
    assert defined.threshold is not None
    assert defined.threshold_undefined == 0.0
