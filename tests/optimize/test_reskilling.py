"""The reskilling lever (issue 6, part 3): its effect on the claimants, its gradient, its
booking on the fund's skills line, and the optimiser choosing it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fund.scenarios import expected_scenario
from optimize import Claimants, Reskilling, default_problem, solve
from optimize.bridge import Bridge
from optimize.errors import PolicyParameterError
from optimize.fundlink import FundLink
from optimize.scenario import problem_from_toml
from optimize.tradeoffs import compare_reskilling

CLAIMANTS = Claimants(R_mean=0.3, temperature=40.0, n_nodes=8)
LEVER = Reskilling(loan_share=0.4, default_rate=0.25)


def hand_behaviour(c: Claimants, r: Reskilling, M: float, kappa: float, U0: float, U: float,
                   U1: float, x: float, z: float) -> dict[str, float]:
    """Everything typed by hand from seed 001's Table 2 and the lever's definition.

    At patience 0: each month a type searches with the one-shot logit probability ``e``,
    so it leaves benefit with the monthly hazard ``h = e R + (1 - e) r0``."""
    g = 1 - np.exp(-z / r.scale)
    R = c.R + (1 - c.R) * r.max_R_gain * g
    C0 = c.C0 * (1 - r.max_cost_cut * g)
    gain = x * (R * c.wage + U1 * (1 - R) - C0 - U0) + (1 - x) * (R * (c.wage - U) - c.C)
    e = 1 / (1 + np.exp(-gain / c.temperature))

    def m(h: np.ndarray | float) -> np.ndarray:
        return np.asarray(sum((1 - np.asarray(h)) ** k for k in range(int(M))))

    def rho(h: np.ndarray | float) -> np.ndarray:
        return np.asarray(1 - (1 - np.asarray(h)) ** M)

    h = e * R + (1 - e) * c.no_effort_hazard
    months = m(h)
    benefit = (e * (x * U1 + (1 - x) * U) + (1 - e) * (x * U0 + (1 - x) * U)) * months
    reemp = rho(h)
    cost = z * (1 - r.loan_share * (1 - r.default_rate) * reemp)
    w = c.weights
    return {"effort_share": w @ e, "reemployment_rate": w @ reemp,
            "reskilling_per_claim": w @ cost,
            "spend_per_claim": w @ (benefit + x * kappa * months + cost)}


def test_behaviour_matches_a_hand_computation() -> None:
    bridge = Bridge(CLAIMANTS, entitlement_months=12, monitoring_cost=80, reskilling=LEVER,
                    patience=0.0)
    policy = dict(U0=900.0, U=1200.0, U1=1450.0, x=0.35, z=1800.0)
    beh = bridge.behaviour(**policy)
    hand = hand_behaviour(CLAIMANTS, LEVER, 12, 80, **policy)
    for key, value in hand.items():
        assert getattr(beh, key) == pytest.approx(value, rel=1e-10), key


def test_reskilling_raises_effort_and_reemployment() -> None:
    bridge = Bridge(CLAIMANTS, reskilling=LEVER)
    values = [bridge.behaviour(U0=900, U=1200, U1=1450, x=0.35, z=z) for z in (0, 500, 3000)]
    assert values[0].effort_share < values[1].effort_share < values[2].effort_share
    assert values[0].reemployment_rate < values[1].reemployment_rate < values[2].reemployment_rate


@settings(max_examples=60, deadline=None)
@given(U0=st.floats(800, 1100), dU=st.floats(0, 300), dU1=st.floats(0, 300),
       x=st.floats(0.01, 0.99), z=st.floats(10, 5000))
def test_every_gradient_matches_finite_differences(U0: float, dU: float, dU1: float, x: float,
                                                   z: float) -> None:
    bridge = Bridge(CLAIMANTS, reskilling=LEVER)
    policy = dict(U0=U0, U=U0 + dU, U1=U0 + dU + dU1, x=x, z=z)
    beh = bridge.behaviour(**policy)
    for k, name in enumerate(bridge.policy_names):
        h = 1e-5 if name == "x" else 1e-3
        up, down = dict(policy), dict(policy)
        up[name] += h
        down[name] -= h
        for key in ("effort_share", "reemployment_rate", "spend_per_claim",
                    "reskilling_per_claim", "months_paid"):
            hi, lo = getattr(bridge.behaviour(**up), key), getattr(bridge.behaviour(**down), key)
            fd = (hi - lo) / (2 * h)
            # round-off of the difference quotient: a few ulps of the value, over 2h
            noise = 1e-13 * max(1.0, abs(hi)) / h
            assert beh.grad[key][k] == pytest.approx(fd, rel=1e-4, abs=1e-7 + noise), (
                name, key)


def test_cost_is_booked_on_the_skills_line_and_the_reserve() -> None:
    scenario = expected_scenario(5, opening_reserve=6.0, interest_rate=0.011)
    link = FundLink(scenario)
    plain = link.projection(5000.0, 100.0, 4.0)
    with_lever = link.projection(5000.0, 100.0, 4.0, reskilling_per_claim=1000.0)
    recipients = (scenario.drivers["covered"] * 1e4 * scenario.drivers["recipient_ratio"])
    extra = recipients.to_numpy() * 1000.0 / 1e8
    np.testing.assert_allclose(with_lever["skills"] - plain["skills"], extra, rtol=1e-12)
    # the reserve recursion by hand: each year's extra cost compounds at the interest rate
    lost, expected = 0.0, []
    for t in range(5):
        lost = lost * (1 + 0.011) + extra[t]
        expected.append(plain["reserve"].iloc[t] - lost)
    np.testing.assert_allclose(with_lever["reserve"], expected, rtol=1e-12)


def test_optimiser_uses_the_lever_and_is_not_beaten() -> None:
    base = default_problem(budget=4500.0)
    lever = default_problem(budget=4500.0, reskilling=Reskilling())
    sol0, sol = solve(base), solve(lever)
    assert sol.evaluation.feasible and "z" in sol.policy
    assert sol.objective >= sol0.objective - 1e-9  # z = 0 is still allowed
    rng = np.random.default_rng(5)
    n = 4000
    U0 = rng.uniform(800, 1530, n)
    U = U0 + rng.uniform(0, 1, n) * (1530 - U0)
    U1 = U + rng.uniform(0, 1, n) * (1530 - U)
    out = lever.evaluate_many(U0=U0, U=U, U1=U1, x=rng.uniform(0, 1, n),
                              z=rng.uniform(0, 6000, n))
    assert np.max(np.where(out["feasible"], out["objective"], -np.inf)) <= sol.objective + 1e-9


def test_loans_recover_more_than_grants() -> None:
    problem = default_problem(budget=4500.0)
    shares = [compare_reskilling(problem, Reskilling(loan_share=s))["recovered_share"].iloc[1]
              for s in (0.0, 1.0)]
    assert 0 < shares[0] < shares[1]


@pytest.mark.parametrize(("field", "value"), [
    ("max_R_gain", 1.5), ("max_cost_cut", -0.1), ("scale", 0.0), ("loan_share", 2.0),
    ("default_rate", -1.0), ("max_level", np.inf)])
def test_bad_lever_settings(field: str, value: float) -> None:
    with pytest.raises(PolicyParameterError, match=f"^{field} = "):
        Reskilling(**{field: value})


def test_z_needs_a_lever() -> None:
    with pytest.raises(PolicyParameterError, match=r"^z = "):
        Bridge(CLAIMANTS).behaviour(U0=900, U=1000, U1=1100, x=0.5, z=100.0)


def test_scenario_section(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text("[reskilling]\nloan_share = 0.5\nmax_level = 3000.0\n", encoding="utf-8")
    problem = problem_from_toml(path)
    assert problem.bounds["z"] == (0.0, 3000.0)
    assert problem.bridge.reskilling is not None
    assert problem.bridge.reskilling.loan_share == 0.5
    path.write_text("[reskilling]\nloans = 0.5\n", encoding="utf-8")
    with pytest.raises(Exception, match=r"reskilling\.loans"):
        problem_from_toml(path)
