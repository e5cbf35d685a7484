"""Comparative statics of the monitoring game's mixed equilibrium, checked independently.

* Every derivative ``Game.statics(of, wrt).derivative`` equals central finite differences
  of the lambdified X*, Y* (and those equal the seed's printed (3-3), (3-6) formulas,
  written out here by hand).
* Every proven sign holds at every sampled point inside the assumptions: checked exactly
  (the derivative evaluated in rational arithmetic) and against finite differences.
* ``depends`` comes with a counterexample inside the assumptions where the derivative is
  negative (checked by exact sympy substitution), and ``.condition`` tells the two sides
  apart at random points.
* The sign table itself is compared with a hand derivation (see ``EXPECTED_SIGNS``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
import sympy as sp
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from gametheory import models
from gametheory.statics import Statics
from tests.strategies import (
    MONITORING,
    given_points,
    in_mixed_region,
    inside_monitoring_assumptions,
    mixed_region_points,
    monitoring_points,
)

GAME = models.monitoring_game()
SYMBOLS = [GAME.params[k] for k in MONITORING]
EXAMPLES = 200
SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Hand derivation.  With a = RW + U1(1-R) - C0 - U0 and b = RW + U(1-R) - C - U (the
# unemployed's gain from effort with and without monitoring), X* = -b/(a - b) and
# Y* = (U - U0 + E)/D with D = (U1 - U0) - R(U1 - U) > 0.  Then
#   dY/dU  = ((U1 - U0)(1 - R) - R E)/D^2    sign depends (negative for large E R)
#   dY/dU0 = (E - (U1 - U)(1 - R))/D^2        depends
#   dY/dU1 = -(U - U0 + E)(1 - R)/D^2         <= 0, zero at R = 1: nonpositive
#   dY/dR  = (U - U0 + E)(U1 - U)/D^2         positive
#   dY/dE  = 1/D                              positive
#   dY/dW = dY/dC = dY/dC0 = 0, dX/dE = 0     zero
# and every other dX/d. changes sign with b or with a - b: depends.
EXPECTED_SIGNS = {
    ("Y", "U"): "depends", ("Y", "U0"): "depends", ("Y", "U1"): "nonpositive",
    ("Y", "R"): "positive", ("Y", "E"): "positive", ("Y", "W"): "zero",
    ("Y", "C"): "zero", ("Y", "C0"): "zero", ("X", "E"): "zero",
    **{("X", w): "depends" for w in ("U0", "U", "U1", "R", "W", "C", "C0")},
}
ALL = sorted(EXPECTED_SIGNS)


@functools.cache
def statics(of: str, wrt: str) -> Statics:
    return GAME.statics(of, wrt)


@functools.cache
def numeric_derivative(of: str, wrt: str) -> Callable[..., Any]:
    """The package's derivative as a float function (positional, MONITORING order)."""
    f: Callable[..., Any] = sp.lambdify(SYMBOLS, statics(of, wrt).derivative, "numpy")
    return f


@functools.cache
def exact_function(expr: sp.Basic) -> Callable[..., Any]:
    """``expr`` as a pure-Python function: called with Fractions it computes exactly."""
    f: Callable[..., Any] = sp.lambdify(SYMBOLS, expr, modules=[{}, "math"])
    return f


def exact_value(expr: sp.Basic, point: Mapping[str, float | Fraction]) -> Fraction | None:
    """``expr`` at ``point`` in rational arithmetic; ``None`` where a denominator is 0."""
    try:
        value: Fraction = exact_function(expr)(*(Fraction(point[k]) for k in MONITORING))
        return value
    except ZeroDivisionError:
        return None


def strategies_at(points: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """X*, Y* from the lambdified mixed family (values used even where not valid)."""
    out = GAME.mixed_equilibrium().lambdify()(**points)
    return out.row[0], out.col[0]


def central_differences(point: Mapping[str, float | Fraction], wrt: str) -> tuple[float, float]:
    """Central differences of X* and Y* with respect to ``wrt`` at ``point``."""
    h = 1e-6 * max(1.0, abs(float(point[wrt])))
    plus = {k: np.array([v]) for k, v in point.items()}
    minus = {k: np.array([v]) for k, v in point.items()}
    plus[wrt] = plus[wrt] + h
    minus[wrt] = minus[wrt] - h
    xp, yp = strategies_at(plus)
    xm, ym = strategies_at(minus)
    return float((xp - xm)[0] / (2 * h)), float((yp - ym)[0] / (2 * h))


# --------------------------------------------------------------------- the formulas
@settings(SETTINGS, max_examples=EXAMPLES)
@given(point=mixed_region_points())
def test_lambdified_mixed_equilibrium_is_the_printed_formula(point: dict[str, float]) -> None:
    """Seed 001 (3-3) and (3-6), typed in by hand, against the lambdified family."""
    U0, U, U1, R, W, C, C0, E = (point[k] for k in MONITORING)
    x_printed = (U * R - R * W + C) / (U1 - U0 + U * R - U1 * R + C - C0)
    y_printed = (U - U0 + E) / (U1 - U0 + U * R - U1 * R)
    out = GAME.mixed_equilibrium().lambdify()(**point)
    assert bool(out.valid)
    np.testing.assert_allclose([out.row[0], out.col[0]], [x_printed, y_printed],
                               rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(out.row.sum(), 1.0, atol=1e-12)
    np.testing.assert_allclose(out.col.sum(), 1.0, atol=1e-12)


@settings(SETTINGS, max_examples=EXAMPLES)
@given(point=mixed_region_points())
def test_derivatives_equal_central_differences(point: dict[str, float]) -> None:
    assert in_mixed_region(point)
    args = [point[k] for k in MONITORING]
    for wrt in MONITORING:
        fd_x, fd_y = central_differences(point, wrt)
        for of, fd in (("X", fd_x), ("Y", fd_y)):
            d = float(numeric_derivative(of, wrt)(*args))
            scale = max(1.0, abs(fd), abs(d))
            assert abs(d - fd) <= 1e-5 * scale, (
                f"d{of}/d{wrt} = {d} but central differences give {fd} at {point}")


# --------------------------------------------------------------------- the signs
def test_sign_table_matches_hand_derivation() -> None:
    got = {key: statics(*key).sign for key in ALL}
    assert got == EXPECTED_SIGNS


@pytest.mark.parametrize("key", ALL, ids=["d{}/d{}".format(*k) for k in ALL])
def test_sign_is_proven_or_refuted(key: tuple[str, str]) -> None:
    st_ = statics(*key)
    assert st_.of == key[0] and st_.wrt == key[1]
    if st_.sign in ("positive", "negative", "nonnegative", "nonpositive", "zero"):
        assert st_.proven and st_.proof, "a definite sign must carry its proof"
        assert st_.counterexample is None
    else:
        assert st_.sign == "depends"
        assert not st_.proven
        assert set(st_.condition) == {"positive", "negative"}


@pytest.mark.parametrize("key", [k for k in ALL if EXPECTED_SIGNS[k] == "depends"],
                         ids=lambda k: "d{}/d{}".format(*k))
def test_depends_counterexample_is_exact_and_inside(key: tuple[str, str]) -> None:
    st_ = statics(*key)
    point = st_.counterexample
    assert point is not None and set(point) == set(MONITORING)
    assert all(isinstance(v, sp.Rational) for v in point.values())
    # Inside the assumptions, checked by hand (exactly).
    as_fractions = {k: Fraction(int(v.p), int(v.q)) for k, v in point.items()}
    assert inside_monitoring_assumptions(as_fractions)
    subs = {GAME.params[k]: v for k, v in point.items()}
    value = sp.simplify(st_.derivative.subs(subs))
    assert value.is_Rational and value < 0, f"derivative is {value} at {point}"
    # ... and the condition's negative side holds there.
    assert st_.condition["negative"].subs(subs) == sp.true
    assert st_.condition["positive"].subs(subs) == sp.false
    # The positive witness is genuine too.
    positive = st_.witnesses["positive"]
    subs_p = {GAME.params[k]: v for k, v in positive.items()}
    assert inside_monitoring_assumptions(
        {k: Fraction(int(v.p), int(v.q)) for k, v in positive.items()})
    assert sp.simplify(st_.derivative.subs(subs_p)) > 0


_ALLOWED = {
    "positive": {1}, "negative": {-1}, "zero": {0}, "nonnegative": {0, 1},
    "nonpositive": {0, -1},
}


@settings(SETTINGS, max_examples=EXAMPLES)
@given(point=st.one_of(monitoring_points(), mixed_region_points()))
def test_signs_hold_at_sampled_points(point: dict[str, float]) -> None:
    """A proven sign is never contradicted; ``depends`` conditions pick the right side.

    The derivative is evaluated exactly (rational arithmetic); finite differences of the
    lambdified X*, Y* must agree in sign wherever they are clearly away from zero.
    """
    assert inside_monitoring_assumptions(point)
    differences = {wrt: central_differences(point, wrt) for wrt in MONITORING}
    # Finite differences are trusted only away from the formulas' poles: the
    # denominators a - b of X* and D of Y* (hand derivation above) not near zero.
    q = {k: Fraction(point[k]) for k in MONITORING}
    a = q["R"] * q["W"] + q["U1"] * (1 - q["R"]) - q["C0"] - q["U0"]
    b = q["R"] * q["W"] + q["U"] * (1 - q["R"]) - q["C"] - q["U"]
    far = {"X": abs(a - b) > Fraction(1, 100), "Y": True}  # D >= U1 - U >= 1/16
    for of, wrt in ALL:
        st_ = statics(of, wrt)
        value = exact_value(st_.derivative, point)
        if value is None:  # the mixed formula's denominator vanishes here
            continue
        sign = (value > 0) - (value < 0)
        fd = differences[wrt][0 if of == "X" else 1]
        if far[of] and abs(fd) > 1e-4 * max(1.0, abs(float(value))):
            assert (fd > 0) - (fd < 0) == sign, (
                f"d{of}/d{wrt}: exact {value}, finite differences {fd} at {point}")
        if st_.sign in _ALLOWED:
            assert sign in _ALLOWED[st_.sign], (
                f"d{of}/d{wrt} proven {st_.sign} but equals {value} at {point}")
        else:
            pos = exact_value(st_.condition["positive"], point)
            neg = exact_value(st_.condition["negative"], point)
            assert bool(pos) == (sign > 0), f"condition {st_.condition} at {point}"
            assert bool(neg) == (sign < 0), f"condition {st_.condition} at {point}"


# --------------------------------------------------------------------- given=
@functools.cache
def statics_given() -> Statics:
    return GAME.statics("Y", "U", given=["E < (U1 - U)*(1 - R)"])


def test_given_makes_effort_rise_with_the_average_benefit() -> None:
    """Without the mixed equilibrium's condition dY/dU depends on E; with it, the seed's
    claim "a higher average benefit raises effort" is proven."""
    assert statics("Y", "U").sign == "depends"
    st_ = statics_given()
    assert st_.sign in ("positive", "nonnegative")
    assert st_.proven and st_.given
    # The given changes the sign, not the derivative.
    assert sp.simplify(st_.derivative - statics("Y", "U").derivative) == 0


@settings(SETTINGS, max_examples=EXAMPLES)
@given(point=given_points())
def test_given_sign_against_finite_differences(point: dict[str, float]) -> None:
    assert inside_monitoring_assumptions(point)
    E, U1, U, R = (Fraction(point[k]) for k in ("E", "U1", "U", "R"))
    assert E < (U1 - U) * (1 - R)
    st_ = statics_given()
    value = exact_value(st_.derivative, point)
    assume(value is not None)
    assert value is not None  # for mypy: assume() rejected None
    allowed = _ALLOWED[st_.sign]
    assert ((value > 0) - (value < 0)) in allowed
    _, fd = central_differences(point, "U")
    assert fd > -1e-6 * max(1.0, abs(float(value)))
    if st_.sign == "positive":
        assert fd > 0


@pytest.mark.parametrize(("relation", "expected"), [("E > (U1 - U)*(1 - R)", "positive"),
                                                ("E < (U1 - U)*(1 - R)", "negative")])
def test_given_both_directions(relation: str, expected: str) -> None:
    """Hand derivation: dY/dU0 = (E - (U1 - U)(1 - R))/D^2, so each side of the surface
    E = (U1 - U)(1 - R) fixes its sign."""
    st_ = GAME.statics("Y", "U0", given=[relation])
    assert st_.sign == expected and st_.proven
    assert len(st_.given) == 1


@settings(SETTINGS, max_examples=EXAMPLES)
@given(point=monitoring_points())
def test_given_both_directions_at_points(point: dict[str, float]) -> None:
    q = {k: Fraction(point[k]) for k in MONITORING}
    side = q["E"] - (q["U1"] - q["U"]) * (1 - q["R"])
    assume(side != 0)
    value = exact_value(statics("Y", "U0").derivative, point)
    assert value is not None and (value > 0) == (side > 0)


def test_statics_displays() -> None:
    st_ = statics("Y", "U")
    d: dict[str, Any] = st_.to_dict()
    assert d["of"] == "Y" and d["wrt"] == "U" and d["sign"] == "depends"
    assert set(d["condition"]) == {"positive", "negative"}
    assert d["counterexample"] is not None
    latex = st_._repr_latex_()
    assert latex.startswith(r"$\frac{\partial Y}{\partial U}") and r"\text{depends}" in latex
    # The derivative is stored factored and equals sympy's own derivative of Y*.
    y = GAME.mixed_equilibrium().col[0]
    assert sp.simplify(st_.derivative - sp.diff(y, GAME.params["U"])) == 0
    assert st_.expression == y
