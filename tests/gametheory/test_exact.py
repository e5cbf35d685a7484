"""``gametheory.exact``: every kind of value is read as the number it names, and formulas
are evaluated at a point against Python's own ``fractions`` and ``math`` (an independent
route: exact rational arithmetic by hand, the double the C library computes)."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
import sympy as sp

from gametheory import Game
from gametheory.errors import GameError, GameParameterError
from gametheory.exact import MAX_EXACT_DIGITS, Undefined, decide, evaluate, exact_point, exact_real

x, y = sp.symbols("x y")


def at(**values: Fraction | int) -> dict[sp.Symbol, sp.Rational]:
    return {sp.Symbol(k): sp.Rational(Fraction(v).numerator, Fraction(v).denominator)
            for k, v in values.items()}


# ------------------------------------------------------------------ reading a value
@pytest.mark.parametrize(("value", "want"), [
    (0.3, Fraction(3, 10)),                       # a float is its shortest decimal
    (np.float64(0.1), Fraction(1, 10)),
    (np.float32(0.1), Fraction(1, 10)),           # a numpy float by its text, '0.1'
    (np.int64(-7), Fraction(-7)),
    (Decimal("2.50"), Fraction(5, 2)),
    (Decimal("-0"), Fraction(0)),
    (Fraction(2, 6), Fraction(1, 3)),
    ("1e-3", Fraction(1, 1000)),
    (" 3 / 12 ", Fraction(1, 4)),
    (".5", Fraction(1, 2)),
    (sp.Rational(3, 7), Fraction(3, 7)),
    (sp.Integer(12), Fraction(12)),
    (sp.Float("0.25"), Fraction(1, 4)),
])
def test_every_kind_of_value_is_the_number_it_names(value: Any, want: Fraction) -> None:
    got = exact_real("v", value)
    assert isinstance(got, Fraction) and got == want


@pytest.mark.parametrize(("value", "rule"), [
    (True, "must be a real number"),
    (np.bool_(False), "must be a real number"),
    (None, "must be a real number"),
    (1 + 2j, "must be a real number"),
    ("0.3x", "must be a real number"),
    ("1" * 201, "must be a real number"),           # text is bounded before it is parsed
    ("1/0", "division by zero"),
    (float("nan"), "must be finite"),
    (np.float64("-inf"), "must be finite"),
    (Decimal("NaN"), "must be finite"),
    (Decimal("Infinity"), "must be finite"),
    (Decimal("1e309"), "range of a double"),
    (Decimal("1e-309"), "normal double"),
    ("1e400", "range of a double"),
    (10**309, "range of a double"),
    (Fraction(1, 10**309), "normal double"),
    (sp.oo, "must be a real number"),
    (Decimal("1." + "1" * MAX_EXACT_DIGITS), f"more than {MAX_EXACT_DIGITS} digits"),
])
def test_a_value_that_is_not_a_finite_double_is_refused_by_name(value: Any, rule: str) -> None:
    with pytest.raises(GameParameterError, match=rule) as info:
        exact_real("W", value)
    assert str(info.value).startswith("W = ")


def test_the_range_ends_of_a_double_are_accepted() -> None:
    assert exact_real("v", 1.7976931348623157e308) == Fraction("1.7976931348623157e308")
    assert exact_real("v", 2.2250738585072014e-308) == Fraction("2.2250738585072014e-308")
    assert exact_real("v", 0) == 0


# ------------------------------------------------------------------ a point
def test_exact_point_reads_every_value_and_checks_the_assumptions() -> None:
    params = {"x": x, "y": y}
    assert exact_point(params, [x < y], {"x": 0.1, "y": "1/3"}, owner="g") == {
        x: sp.Rational(1, 10), y: sp.Rational(1, 3)}
    with pytest.raises(GameParameterError, match="not a parameter of g"):
        exact_point(params, [], {"x": 1, "y": 2, "z": 3}, owner="g")
    with pytest.raises(GameParameterError, match=r"y = None: missing; g needs \['x', 'y'\]"):
        exact_point(params, [], {"x": 1}, owner="g")
    # two parameters in the broken assumption: both are shown
    with pytest.raises(GameParameterError, match=r"breaks the assumption x < y") as info:
        exact_point(params, [x < y], {"x": 2, "y": 1}, owner="g")
    assert "'x': 2.0, 'y': 1.0" in str(info.value)
    # an assumption with no value at the point does not hold there
    with pytest.raises(GameParameterError, match="breaks the assumption"):
        exact_point(params, [1 / x > 0], {"x": 0, "y": 1}, owner="g")


# ------------------------------------------------------------------ evaluation
@pytest.mark.parametrize(("expr", "point", "want"), [
    (x**2 / y + 3 * x, {"x": Fraction(3, 10), "y": 3}, Fraction(3, 100) + Fraction(9, 10)),
    (x**-2, {"x": Fraction(2, 3)}, Fraction(9, 4)),
    (x**y, {"x": 0, "y": 0}, Fraction(1)),                         # 0**0 = 1, as Python's
    (x**y, {"x": 0, "y": Fraction(1, 2)}, Fraction(0)),
    (x**y, {"x": Fraction(4, 9), "y": Fraction(3, 2)}, Fraction(8, 27)),  # exact root
    (x**y, {"x": Fraction(-8), "y": 3}, Fraction(-512)),
    (sp.Abs(x - y), {"x": 1, "y": Fraction(5, 2)}, Fraction(3, 2)),
    (sp.Max(x, y, 1), {"x": Fraction(1, 3), "y": Fraction(1, 2)}, Fraction(1)),
    (sp.Min(x, y), {"x": Fraction(1, 3), "y": Fraction(1, 2)}, Fraction(1, 3)),
    (sp.exp(x), {"x": 0}, Fraction(1)),
    (sp.log(x), {"x": 1}, Fraction(0)),
])
def test_rational_values_are_exact(expr: sp.Expr, point: dict[str, Any], want: Fraction) -> None:
    assert evaluate(expr, at(**point)) == want == Fraction(want)


@pytest.mark.parametrize(("expr", "point", "want"), [
    (sp.sqrt(x), {"x": 2}, math.sqrt(2)),
    (x**y, {"x": 2, "y": Fraction(1, 3)}, 2 ** (1 / 3)),
    (sp.exp(x), {"x": 1}, math.e),
    (sp.log(x), {"x": 10}, math.log(10)),
    (sp.pi * x, {"x": 1}, math.pi),
    (sp.E + x, {"x": 0}, math.e),
    (sp.sin(x), {"x": Fraction(1, 2)}, math.sin(0.5)),
    (sp.atan(x), {"x": 3}, math.atan(3)),
    (sp.Max(sp.sqrt(x), 1), {"x": 3}, math.sqrt(3)),
    (sp.exp(x) * y, {"x": 1, "y": 2}, 2 * math.e),
])
def test_irrational_values_are_the_nearest_double(expr: sp.Expr, point: dict[str, Any],
                                                   want: float) -> None:
    got = evaluate(expr, at(**point))
    assert isinstance(got, Fraction)
    assert float(got) == pytest.approx(want, rel=2**-52)


@pytest.mark.parametrize(("expr", "point", "why"), [
    (1 / x, {"x": 0}, "divides by zero"),
    (x**y, {"x": -2, "y": Fraction(1, 2)}, "negative base"),
    (sp.log(x), {"x": 0}, "not real"),
    (sp.log(x), {"x": -1}, "not real"),
    (sp.asin(x), {"x": 2}, "not a finite real number"),
])
def test_a_formula_without_a_real_value_is_undefined(expr: sp.Expr, point: dict[str, Any],
                                                      why: str) -> None:
    with pytest.raises(Undefined, match=why):
        evaluate(expr, at(**point))


@pytest.mark.parametrize(("expr", "point", "why"), [
    (x**y, {"x": 10, "y": 400}, "beyond the range of a double"),
    (x**y, {"x": Fraction(3, 7), "y": 20_000}, f"more than {MAX_EXACT_DIGITS}"),
    (sp.exp(x), {"x": 711}, "beyond the range of a double"),
    (sp.exp(x) * sp.exp(y), {"x": 700, "y": 700}, "beyond the range of a double"),
    (sp.exp(x)**y, {"x": 700, "y": 2}, "beyond the range of a double"),
    (x * y, {"x": 10**300, "y": 10**300}, "beyond the range of a double"),
])
def test_a_value_beyond_a_double_or_the_digit_budget_is_refused(
        expr: sp.Expr, point: dict[str, Any], why: str) -> None:
    with pytest.raises(GameParameterError, match=why):
        evaluate(expr, at(**point))


def test_a_game_with_max_and_min_payoffs_is_evaluated_at_a_point() -> None:
    """Regression: ``Max``/``Min`` (which the parser accepts) are no sympy ``Function``, so
    every numeric method of such a game raised "cannot evaluate Max(1, a) at a point".
    Reference: the same game with the payoffs worked out by hand at a = 2."""
    text = Game([["Max(a, 1)", "Min(a, 0)"], ["0", "1"]], [["1", "0"], ["0", "2"]],
                params=["a"], assumptions=["a > 0"])
    by_hand = Game([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    assert [tuple(map(tuple, eq)) for eq in text.equilibria_at(a=2)] == [
        tuple(map(tuple, eq)) for eq in by_hand.equilibria_at()]
    assert len(by_hand.equilibria_at()) == 3


def test_a_formula_it_cannot_evaluate_says_so() -> None:
    with pytest.raises(GameError, match="cannot evaluate"):
        evaluate(sp.Eq(x, 1, evaluate=False), at(x=1))


# ------------------------------------------------------------------ conditions
@pytest.mark.parametrize(("condition", "point", "want"), [
    (sp.true, {}, True),
    (sp.false, {}, False),
    (sp.Not(sp.And(x > 1, y > 1)), {"x": 2, "y": 1}, True),
    (sp.And(x > 0, y > 0), {"x": 1, "y": 1}, True),
    (sp.Or(x < 0, y < 0), {"x": 1, "y": 1}, False),
    (sp.Ne(x, 1), {"x": 1}, False),
    (sp.Eq(x, Fraction(1, 3) * 3, evaluate=False), {"x": 1}, True),
    (sp.Le(x, y), {"x": Fraction(1, 3), "y": Fraction(1, 3)}, True),
    (sp.Ge(x, y), {"x": Fraction(1, 3), "y": Fraction(1, 2)}, False),
    (sp.Or(x < 0, 1 / x > 0), {"x": 2}, True),
    # a part that settles the answer wins over an undefined part, either way round
    (sp.Or(1 / x > 0, x < 1), {"x": 0}, True),
    (sp.And(1 / x > 0, x > 1), {"x": 0}, False),
])
def test_decide_at_exact_points(condition: Any, point: dict[str, Any], want: bool) -> None:
    assert decide(condition, at(**point)) is want


def test_an_undefined_part_that_matters_is_raised() -> None:
    with pytest.raises(Undefined):
        decide(sp.And(1 / x > 0, x < 1), at(x=0))
    with pytest.raises(Undefined):
        decide(sp.Or(1 / x > 0, x > 1), at(x=0))


def test_a_condition_it_cannot_decide_says_so() -> None:
    with pytest.raises(GameError, match="cannot decide"):
        decide(sp.Xor(x > 0, y > 0), at(x=1, y=1))
