"""Seed 000's labour-market model: numeric solution, closed form, symbolic analysis."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
import sympy as sp
from scipy.linalg import expm

from fund.errors import FundParameterError
from fund.labour_analysis import LabourAnalysis, analyse
from fund.labour_ode import DemandPath, LabourParams, forcing, matrix, simulate

SEED = LabourParams()
OTHER = LabourParams(alpha=0.05, beta=0.3, gamma=1.2, delta=0.1, xi=0.7, eta=0.9,
                     w_star=12.0, L0=500.0, U0=40.0, N0=450.0, W0=11.0, P0=480.0)


def closed_form(p: LabourParams, demand: float, times: np.ndarray) -> np.ndarray:
    """x(t) = e^{At} x0 + ∫_0^t e^{A(t-s)} b ds, by the exponential of the augmented
    matrix [[A, b], [0, 0]] (A is singular, so A^{-1} cannot be used).  A and b are
    typed here from the scalar equations, independently of fund.labour_ode."""
    a, b, g, d, x, e = p.alpha, p.beta, p.gamma, p.delta, p.xi, p.eta
    aug = np.zeros((5, 5))
    aug[0, :] = [0, b, 0, a, -a * p.w_star]        # dL = a(W - W*) + bU
    aug[1, :] = [0, 0, g, d, -d * p.w_star]        # dU = gN + d(W - W*)
    aug[2, :] = [0, e, -g, 0, 0]                   # dN = -gN + eU
    aug[3, :] = [0, 0, x, 0, -x * demand]          # dW = x(N - P)
    z0 = np.array([p.L0, p.U0, p.N0, p.W0, 1.0])
    return np.array([(expm(aug * t) @ z0)[:4] for t in times])


@pytest.mark.parametrize("params", [SEED, OTHER], ids=["seed", "other"])
@pytest.mark.parametrize("method", ["LSODA", "Radau"])
def test_ode_matches_closed_form_for_constant_demand(params: LabourParams, method: str) -> None:
    frame = simulate(params, 8, method=method, rtol=1e-10, atol=1e-10)
    exact = closed_form(params, params.P0, np.arange(9.0))
    got = frame[["L", "U", "N", "W"]].to_numpy()
    scale = np.abs(exact).max(axis=0)
    assert np.abs(got - exact).max(axis=0) / scale == pytest.approx(np.zeros(4), abs=1e-7)


def test_ode_matches_closed_form_with_a_piecewise_demand() -> None:
    # P constant on each piece: P0 until t=2, then 0.9 P0 (a step via a steep ramp is
    # avoided: the path below is flat-step-flat with the closed form chained at t=2)
    p = SEED
    step = DemandPath((2.0, 2.0 + 1e-9), (p.P0, 0.9 * p.P0))
    frame = simulate(p, 5, demand=step, rtol=1e-11, atol=1e-11)
    first = closed_form(p, p.P0, np.array([2.0]))[0]
    mid = LabourParams(**{**p.__dict__, "L0": first[0], "U0": first[1], "N0": first[2],
                          "W0": first[3]})
    later = closed_form(mid, 0.9 * p.P0, np.array([1.0, 2.0, 3.0]))
    got = frame.loc[[3, 4, 5], ["L", "U", "N", "W"]].to_numpy()
    assert np.allclose(got, later, rtol=1e-6, atol=1e-6)


def test_frame_layout_and_seed_start() -> None:
    frame = simulate(SEED, 3, start_year=2022)
    assert frame.index.name == "year" and frame.index.tolist() == [2022, 2023, 2024, 2025]
    assert list(frame.columns) == ["L", "U", "N", "W", "P", "unemployment_rate"]
    assert frame.loc[2022, ["L", "U", "N", "W"]].tolist() == [1000.0, 0.0, 900.0, 10.0]
    assert frame.loc[2022, "unemployment_rate"] == 0.0
    u = frame["U"] / (frame["U"] + frame["N"])
    pd.testing.assert_series_equal(frame["unemployment_rate"], u, check_names=False)


def test_response_is_linear_in_the_demand_change() -> None:
    base = simulate(SEED, 5)
    paths = [DemandPath((0.0, 5.0), (1000.0, 1000.0 - k)) for k in (30.0, 60.0)]
    d1, d2 = (simulate(SEED, 5, demand=path)[["U", "N", "W"]] - base[["U", "N", "W"]]
              for path in paths)
    assert np.allclose(d2.to_numpy(), 2 * d1.to_numpy(), rtol=1e-6, atol=1e-6)


def test_callable_and_path_demands_agree() -> None:
    path = DemandPath((1.0, 4.0), (1000.0, 850.0))
    a = simulate(SEED, 5, demand=path)
    b = simulate(SEED, 5, demand=lambda t: float(np.interp(t, [1.0, 4.0], [1000.0, 850.0])))
    assert np.allclose(a.to_numpy(), b.to_numpy(), rtol=1e-5, atol=1e-4)


# --- symbolic analysis ------------------------------------------------------------------

@pytest.fixture(scope="module")
def analysis() -> LabourAnalysis:
    return analyse()


def _values(analysis: LabourAnalysis, p: LabourParams) -> dict[sp.Symbol, sp.Rational]:
    s = analysis.symbols
    return {s[k]: sp.Rational(str(getattr(p, k)))
            for k in ("alpha", "beta", "gamma", "delta", "xi", "eta")}


@pytest.mark.parametrize("params", [SEED, OTHER], ids=["seed", "other"])
def test_symbolic_matrix_is_the_numeric_matrix(analysis: LabourAnalysis,
                                               params: LabourParams) -> None:
    values = _values(analysis, params)
    s = analysis.symbols
    values.update({s["P"]: sp.Rational(str(params.P0)), s["W_star"]: sp.Rational(
        str(params.w_star))})
    a = np.array(analysis.matrix.subs(values), dtype=float)
    b = np.array(analysis.forcing.subs(values), dtype=float).ravel()
    assert np.array_equal(a, matrix(params))
    assert np.allclose(b, forcing(params, params.P0))


@pytest.mark.parametrize("params", [SEED, OTHER], ids=["seed", "other"])
def test_symbolic_eigenvalues_equal_numpy(analysis: LabourAnalysis, params: LabourParams) -> None:
    values = _values(analysis, params)
    symbolic = []
    for root, mult in analysis.eigenvalues.items():
        symbolic += [complex(sp.N(root.subs(values), 30))] * mult
    numeric = np.linalg.eigvals(matrix(params))
    key = lambda z: (round(z.real, 8), round(z.imag, 8))  # noqa: E731  a one-line sort key
    assert np.allclose(sorted(symbolic, key=key), sorted(numeric, key=key), atol=1e-9)


def test_seed_values_are_unstable(analysis: LabourAnalysis) -> None:
    ev = np.linalg.eigvals(matrix(SEED))
    assert ev.real.max() == pytest.approx(0.256155281, abs=1e-8)  # (0.1 + sqrt(0.17))/2
    assert not analysis.stable_at(SEED)


def test_routh_hurwitz_agrees_with_numpy(analysis: LabourAnalysis) -> None:
    # over random rates of either sign (η < 0 is the only way to stability)
    rng = np.random.default_rng(7)
    s = analysis.symbols
    conds = [sp.lambdify([s[k] for k in ("gamma", "delta", "xi", "eta")], c.lhs)
             for c in analysis.stability_conditions]
    seen = set()
    for _ in range(400):
        g, d, x, e = rng.uniform(-2, 2, 4)
        block = np.array([[0, g, d], [e, -g, 0], [0, x, 0]])
        stable = np.linalg.eigvals(block).real.max() < 0
        predicted = all(f(g, d, x, e) > 0 for f in conds)
        assert stable == predicted
        seen.add(stable)
    assert seen == {True, False}


def test_unstable_for_every_positive_rate(analysis: LabourAnalysis) -> None:
    # the constant term of the cubic is -δηξ < 0 for positive rates: p(0) < 0, p(+inf) > 0
    s = analysis.symbols
    positive = {s[k]: sp.Symbol(k, positive=True)
                for k in ("alpha", "beta", "gamma", "delta", "xi", "eta")}
    assert analysis.stability_conditions[1].subs(positive) is sp.false


def test_subsystem_equilibrium_and_labour_force_drift(analysis: LabourAnalysis) -> None:
    s = analysis.symbols
    p = OTHER
    values = _values(analysis, p)
    values.update({s["P"]: sp.Rational(str(p.P0)), s["W_star"]: sp.Rational(str(p.w_star))})
    eq = {k: float(v.subs(values)) for k, v in analysis.subsystem_equilibrium.items()}
    x = np.array([123.0, eq["U"], eq["N"], eq["W"]])
    rate = matrix(p) @ x + forcing(p, p.P0)
    assert np.allclose(rate[1:], 0.0, atol=1e-9)
    assert rate[0] == pytest.approx(float(analysis.labour_force_drift.subs(values)))
    assert rate[0] == pytest.approx(p.gamma * p.P0 * (p.beta / p.eta - p.alpha / p.delta))


def test_no_equilibrium_unless_alpha_eta_equals_beta_delta(analysis: LabourAnalysis) -> None:
    assert (analysis.rank, analysis.augmented_rank, analysis.equilibrium) == (3, 4, None)
    s = analysis.symbols
    special = {s["alpha"]: s["beta"] * s["delta"] / s["eta"]}
    a = analysis.matrix.subs(special)
    b = analysis.forcing.subs(special)
    solution = sp.linsolve((a, -b), *(s[k] for k in ("L", "U", "N", "W")))
    (point,) = solution
    assert s["L"] in point[0].free_symbols          # a line of equilibria: any L
    assert sp.simplify(point[2] - s["P"]) == 0


# --- validation -------------------------------------------------------------------------

@pytest.mark.parametrize(("kwargs", "match"), [
    ({"gamma": -0.1}, r"gamma = -0\.1: must be a finite number >= 0"),
    ({"xi": float("nan")}, r"xi = nan: must be finite"),
    ({"U0": -1.0}, r"U0 = -1\.0: must be >= 0"),
    ({"P0": 0.0}, r"P0 = 0\.0: must be > 0"),
    ({"alpha": True}, r"alpha = True: must be a real number"),
    ({"w_star": "10"}, r"w_star = '10': must be a real number"),
])
def test_bad_parameters(kwargs: dict[str, Any], match: str) -> None:
    with pytest.raises(FundParameterError, match=match):
        LabourParams(**kwargs)


def test_replace_checks_names() -> None:
    assert SEED.replace(gamma=0.7).gamma == 0.7
    with pytest.raises(FundParameterError, match=r"gama = 0\.7: unknown labour parameter"):
        SEED.replace(gama=0.7)


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"n_years": 0}, r"n_years = 0: must be an integer >= 1"),
    ({"n_years": 2, "method": "RK45"}, r"method = 'RK45': must be 'LSODA'"),
    ({"n_years": 2, "demand": -5.0}, r"demand = -5\.0: job demand must be finite and >= 0"),
    ({"n_years": 2, "demand": "1000"}, r"demand = '1000': must be a number"),
])
def test_bad_simulate_arguments(kwargs: dict[str, Any], match: str) -> None:
    with pytest.raises(FundParameterError, match=match):
        simulate(SEED, **kwargs)


@pytest.mark.parametrize(("times", "values", "match"), [
    ((), (), "need equal, non-zero lengths"),
    ((0.0, 1.0), (1.0,), "need equal, non-zero lengths"),
    ((1.0, 0.0), (1.0, 2.0), r"times = \(1\.0, 0\.0\): must be strictly increasing"),
    ((0.0, 1.0), (1.0, -2.0), "job demand must be >= 0"),
    ((0.0, float("inf")), (1.0, 2.0), "must be finite"),
])
def test_bad_demand_paths(times: tuple[float, ...], values: tuple[float, ...], match: str) -> None:
    with pytest.raises(FundParameterError, match=match):
        DemandPath(times, values)


# --- errata of seed 000 (docs/errata/seed-000.md) ----------------------------------------

def test_errata_printed_matrix_differs_in_ten_entries(analysis: LabourAnalysis) -> None:
    a, b, g, d, x, e = (analysis.symbols[k]
                        for k in ("alpha", "beta", "gamma", "delta", "xi", "eta"))
    printed = sp.Matrix([[a, -b, 0, d], [g, 0, g, -d], [-e, g, e, 0], [x, 0, -x, 0]])
    correct = analysis.matrix
    assert sum(1 for p, c in zip(printed, correct, strict=True) if sp.simplify(p - c) != 0) == 10


def test_errata_printed_code_cannot_differentiate_symbols() -> None:
    with pytest.raises(AttributeError, match="has no attribute 'dot'"):
        sp.Symbol("L").dot()


def test_errata_section_4_3_narrative_against_the_model() -> None:
    # 30% of manufacturing jobs removed over five years, manufacturing 30% of P
    base = simulate(SEED, 5)
    hit = simulate(SEED, 5, demand=DemandPath((0.0, 5.0), (1000.0, 910.0)))
    assert round(hit.loc[5, "W"], 2) == -1020.58 and round(base.loc[5, "W"], 2) == -1113.89
    assert round(hit.loc[5, "L"], 2) == 788.17 and round(base.loc[5, "L"], 2) == 751.55
    assert round(hit.loc[5, "N"], 2) == 262.81 and round(base.loc[5, "N"], 2) == 254.87
    assert (hit["W"] >= base["W"]).all() and (hit["N"] >= base["N"]).all()   # not lower
    assert hit.loc[1, "W"] < 0 and base.loc[1, "W"] < 0      # wages negative after a year
