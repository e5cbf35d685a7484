"""optimize.classics against independent routes: the published autarky numbers of the
Ljungqvist-Sargent / QuantEcon parameterisation, the autarky Bellman equation solved by
root finding (QuantEcon's own route), the Baily-Chetty formula, and economic orderings
that follow from the models' structure (a tax is an extra instrument, so it never costs
more)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from scipy import optimize as sopt

from optimize.classics import OptimalContract, baily_chetty, hopenhayn_nicolini, solve_cost_function
from optimize.errors import PolicyParameterError

SMALL = {"n_grid": 100, "n_choice": 401, "n_gap": 40}


@pytest.fixture(scope="module")
def sw() -> OptimalContract:
    return hopenhayn_nicolini(contract="shavell-weiss", periods=30, **SMALL)


@pytest.fixture(scope="module")
def hn() -> OptimalContract:
    return hopenhayn_nicolini(contract="hopenhayn-nicolini", periods=30, **SMALL)


def test_autarky_matches_the_published_value(sw: OptimalContract) -> None:
    # QuantEcon's figure labels the autarky promised value "16759 (aut)".
    assert round(sw.autarky_value) == 16759
    r, a = sw.hazard_scale, sw.autarky_effort
    assert 1 - np.exp(-r * a) == pytest.approx(0.1, abs=1e-12)


def test_autarky_value_solves_the_bellman_equation_by_root_finding(sw: OptimalContract) -> None:
    # QuantEcon's route: given r, find V^u where the Bellman error (with the FOC effort)
    # vanishes; independent of the closed form used by the module.
    beta, w, sigma, r = 0.999, 100.0, 0.5, sw.hazard_scale
    ve = w ** (1 - sigma) / (1 - sigma) / (1 - beta)

    def error(vu: float) -> float:
        a = -np.log(1 / (beta * (ve - vu)) / r) / r
        p = 1 - np.exp(-r * a)
        return float(-a + beta * (p * ve + (1 - p) * vu) - vu)

    vu = sopt.brentq(error, 15000.0, ve - 1 / (beta * r) - 1e-6)
    assert vu == pytest.approx(sw.autarky_value, abs=1e-6)


def test_autarky_costs_nothing_and_cost_rises_convexly(sw: OptimalContract) -> None:
    cf = sw.solver
    assert abs(cf.cost[0]) < 1e-9
    assert np.all(np.diff(cf.cost) > 0)
    assert np.all(np.diff(cf.cost, 2) > -1e-6)


def test_policy_and_value_iteration_agree_on_the_same_grid() -> None:
    kw: dict[str, Any] = {"contract": "shavell-weiss", "n_grid": 60, "n_choice": 241}
    pol = solve_cost_function(method="policy", **kw)
    val = solve_cost_function(method="value", tol=1e-10, **kw)
    assert np.max(np.abs(pol.cost - val.cost)) < 1e-6
    assert pol.iterations < val.iterations
    assert pol.residual < 1e-8


def test_shavell_weiss_replacement_falls_and_effort_rises(sw: OptimalContract) -> None:
    assert np.all(np.diff(sw.replacement_rates) < 0)
    assert np.all(np.diff(sw.effort) > 0)
    assert np.all(sw.tax == 0)
    assert sw.effort[0] < sw.autarky_effort


def test_a_reemployment_tax_never_costs_more(sw: OptimalContract, hn: OptimalContract) -> None:
    grid = sw.solver.grid
    hn_cost = np.interp(grid, hn.solver.grid, hn.solver.cost)
    assert np.all(hn_cost <= sw.solver.cost + 1e-6)
    assert hn.cost < sw.cost


def test_hopenhayn_nicolini_tax_rises_and_benefit_falls_with_duration(hn: OptimalContract) -> None:
    assert np.all(np.diff(hn.tax) > 0)
    assert hn.replacement_rates[-1] < hn.replacement_rates[0]


def test_to_frame_has_one_row_per_week(hn: OptimalContract) -> None:
    frame = hn.to_frame()
    assert frame.shape == (30, 3)
    assert frame.index.name == "week"


@pytest.mark.parametrize(("kwargs", "name"), [
    ({"promised_value": 10.0}, "promised_value"),
    ({"contract": "nash"}, "contract"),
    ({"sigma": 1.5}, "sigma"),
    ({"beta": 1.0}, "beta"),
    ({"periods": 0}, "periods"),
    ({"autarky_hazard": -0.1}, "autarky_hazard"),
])
def test_bad_settings_are_named(kwargs: dict[str, Any], name: str) -> None:
    with pytest.raises(PolicyParameterError, match=name):
        hopenhayn_nicolini(**(SMALL | kwargs))


@pytest.mark.parametrize("gamma", [1.0, 2.0, 4.0])
def test_baily_chetty_optimum_satisfies_the_baily_chetty_formula(gamma: float) -> None:
    bc = baily_chetty(risk_aversion=gamma)
    # Chetty (2006): (u'(c_u) - u'(c_e)) / u'(c_e) = eps_{1-e,b} / e at the optimum.
    assert bc.gap == pytest.approx(bc.elasticity / bc.employment, rel=2e-3)
    assert 0 < bc.benefit < 1
    assert bc.contribution * bc.employment == pytest.approx(
        (1 - bc.employment) * bc.benefit, rel=1e-9)


def test_baily_chetty_benefit_rises_with_risk_aversion() -> None:
    benefits = [baily_chetty(risk_aversion=g).benefit for g in (1.0, 2.0, 4.0)]
    assert benefits == sorted(benefits)


def test_baily_chetty_welfare_is_highest_at_its_benefit() -> None:
    # brute force, coded here from the model's statement: u(c) = 1 - 1/c (gamma = 2),
    # the worker's e solves u(1 - t) - u(b + 0.4) = 0.1 / (1 - e) with e t = (1 - e) b
    bc = baily_chetty()

    def u(c: float) -> float:
        return 1.0 - 1.0 / c

    def welfare(b: float) -> float:
        def foc(e: float) -> float:
            t = (1 - e) * b / e
            return -np.inf if t >= 1 else u(1 - t) - u(b + 0.4) - 0.1 / (1 - e)

        es = np.linspace(1e-6, 1 - 1e-9, 2001)
        signs = np.array([foc(e) for e in es]) > 0
        if not signs.any():
            return -np.inf
        k = int(np.nonzero(signs)[0][-1])
        e = sopt.brentq(foc, es[k], es[k + 1], xtol=1e-14)
        t = (1 - e) * b / e
        return float(e * u(1 - t) + (1 - e) * u(b + 0.4) + 0.1 * np.log1p(-e))

    grid = np.linspace(0.0, 0.6, 301)
    best = grid[int(np.argmax([welfare(b) for b in grid]))]
    assert abs(best - bc.benefit) <= 2e-3
    assert bc.welfare == pytest.approx(welfare(bc.benefit), abs=1e-9)


def test_baily_chetty_bad_input_is_named() -> None:
    with pytest.raises(PolicyParameterError, match="risk_aversion"):
        baily_chetty(risk_aversion=0.0)
