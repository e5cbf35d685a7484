"""Witnesses of a sign that "depends" are exact points where the expression is defined.

Regression (found by tests/gametheory/test_proof_property.py without derandomisation):
rounding a sampled point to a simple rational could land it on a pole; a sequential
substitution then cancelled the vanishing denominator (``(a - b)/(1 - b)`` at ``a = 1``
is ``1``) and reported the pole as a witness, or compared ``nan``/``zoo`` and crashed.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

import pytest
import sympy as sp

from gametheory.domain import Domain
from gametheory.signs import prove_sign

a, b = sp.symbols("a b")


Hand = Callable[[Fraction, Fraction], Fraction]
CASES: list[tuple[sp.Expr, Hand]] = [
    ((a - b) / (1 - b), lambda x, y: x - y),
    ((b - a) / (1 - b), lambda x, y: y - x),
    (b / (1 - b), lambda x, y: y),
]


@pytest.mark.parametrize(("expr", "numerator"), CASES)
def test_witnesses_avoid_the_pole_and_have_their_sign(expr: sp.Expr, numerator: Hand) -> None:
    result = prove_sign(expr, Domain({"a": a, "b": b}, ()), samples=300)
    assert result.sign == "depends"
    for label, want in (("positive", 1), ("negative", -1)):
        point = {k: Fraction(str(v)) for k, v in result.witnesses[label].items()}
        # by hand, with Fractions: the denominator 1 - b is not 0, the sign is the label's
        den = 1 - point["b"]
        assert den != 0
        value = numerator(point["a"], point["b"]) / den
        assert (value > 0) - (value < 0) == want
