"""Exact numbers at a numeric point: one reading of a value, bounded exact evaluation.

Every numeric entry point of the layer (``Game.equilibria_at``, ``components_at``,
``payoffs_at``, ``to_nashpy``, ``Equilibrium.holds_at`` and the ties of the lambdified
functions) reads a parameter value through :func:`exact_real`, so they all see the same
number: **a float means its shortest decimal** (``0.3`` is ``3/10``, as the formula parser
reads the literal ``0.3``), and ``Decimal``, ``Fraction``, ints, numpy scalars, sympy
rationals and numeric text are read exactly.  A value must be finite and inside the range
of a double, so the exact route and the float route read the same number.

Formulas are evaluated at a point by :func:`evaluate`, exactly where the result is
rational, under a budget (:data:`MAX_EXACT_DIGITS`): a power such as ``x**y`` at
``y = 10**7`` is refused, never computed.

>>> exact_real("R", 0.3)
Fraction(3, 10)
>>> exact_real("R", "3/10") == exact_real("R", 0.3)
True
"""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any, TypeAlias

import mpmath
import numpy as np
import sympy as sp
from sympy.core.relational import Relational

from gametheory.errors import GameError, GameParameterError

__all__ = ["MAX_EXACT_DIGITS", "Undefined", "decide", "evaluate", "exact_point", "exact_real"]

#: Largest magnitude a value may have (the largest double).
FLOAT_MAX = Fraction(sys.float_info.max)
#: Smallest non-zero magnitude a value may have (the smallest normal double).
FLOAT_TINY = Fraction(sys.float_info.min)
#: Digits an exact number computed at a point may reach before evaluation is refused.
MAX_EXACT_DIGITS = 10_000
_TEXT = re.compile(r"\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?(\s*/\s*\d+)?\s*")
_REAL_RULE = ("must be a real number (int, float, Decimal, Fraction, sympy Rational or "
              "numeric text such as '0.3' or '3/10')")
_RANGE_RULE = "must be 0 or at least 2.2250738585072014e-308 in magnitude (a normal double)"


class Undefined(GameError):  # not "...Error": a condition value, not a failure of the caller
    """A formula that has no real value at a point (division by zero, ``log`` of 0)."""


def _check_range(name: str, value: Any, exact: Fraction) -> Fraction:
    if abs(exact) > FLOAT_MAX:
        raise GameParameterError(name, value, "must be finite (|value| <= "
                                 "1.7976931348623157e308, the range of a double)")
    if exact and abs(exact) < FLOAT_TINY:
        raise GameParameterError(name, value, _RANGE_RULE)
    return exact


def _from_decimal(name: str, value: Any, dec: Decimal) -> Fraction:
    if not dec.is_finite():
        raise GameParameterError(name, value, "must be finite")
    if dec and dec.adjusted() > 308:
        raise GameParameterError(name, value, "must be finite (|value| <= "
                                 "1.7976931348623157e308, the range of a double)")
    if dec and dec.adjusted() < -308:
        raise GameParameterError(name, value, _RANGE_RULE)
    if len(dec.as_tuple().digits) > MAX_EXACT_DIGITS:
        raise GameParameterError(name, value, f"has more than {MAX_EXACT_DIGITS} digits")
    return Fraction(dec)


def _from_text(name: str, value: str) -> Fraction:
    if len(value) > 200 or not _TEXT.fullmatch(value):
        raise GameParameterError(name, value, _REAL_RULE)
    if "/" in value:
        num, den = value.split("/")
        if int(den) == 0:
            raise GameParameterError(name, value, "must be finite (division by zero)")
        return _from_decimal(name, value, Decimal(num.strip())) / int(den)
    return _from_decimal(name, value, Decimal(value.strip()))


def exact_real(name: str, value: Any) -> Fraction:
    """Read one parameter value exactly; a float means its shortest decimal.

    Parameters
    ----------
    name : str
        The parameter, for the error message.
    value : int, float, Decimal, Fraction, numpy scalar, sympy Rational or str
        The value; text is a decimal (``"0.3"``, ``"1e-3"``) or a ratio (``"3/10"``).

    Returns
    -------
    fractions.Fraction
        The exact value: ``0.3`` gives ``3/10`` (``repr(0.3)`` is ``'0.3'``).

    Raises
    ------
    GameParameterError
        Not a real number (``None``, ``True``, complex, other text), not finite, or outside
        the range of a double (``10**400``; non-zero but below ``2.2e-308``).

    Examples
    --------
    >>> exact_real("W", 8000), exact_real("R", 0.1), exact_real("R", "1e-3")
    (Fraction(8000, 1), Fraction(1, 10), Fraction(1, 1000))
    >>> exact_real("W", float("inf"))
    Traceback (most recent call last):
    ...
    gametheory.errors.GameParameterError: W = inf: must be finite
    """
    if isinstance(value, bool | np.bool_):
        raise GameParameterError(name, value, _REAL_RULE)
    if isinstance(value, float | np.floating):
        return _check_range(name, value, _from_float(name, value))
    if isinstance(value, int | np.integer):
        return _check_range(name, value, Fraction(int(value)))
    if isinstance(value, Fraction):
        return _check_range(name, value, value)
    if isinstance(value, Decimal):
        return _check_range(name, value, _from_decimal(name, value, value))
    if isinstance(value, str):
        return _check_range(name, value, _from_text(name, value))
    if isinstance(value, sp.Rational | sp.Float):
        return _check_range(name, value, _from_sympy(name, value))
    raise GameParameterError(name, value, _REAL_RULE)


def _from_float(name: str, value: float | np.floating[Any]) -> Fraction:
    """A float as its shortest decimal (``0.3`` is ``3/10``); a numpy float by its text."""
    if not math.isfinite(float(value)):
        raise GameParameterError(name, value, "must be finite")
    text = repr(float(value)) if isinstance(value, float | np.float64) else str(value)
    return Fraction(text)


def _from_sympy(name: str, value: sp.Rational | sp.Float) -> Fraction:
    """A sympy Rational exactly; a sympy Float by its decimal digits."""
    if isinstance(value, sp.Rational):
        return Fraction(int(value.p), int(value.q))
    try:
        return _from_decimal(name, value, Decimal(str(value)))
    except InvalidOperation:
        raise GameParameterError(name, value, "must be finite") from None


def exact_point(
    params: Mapping[str, sp.Symbol],
    assumptions: Iterable[sp.Basic],
    values: Mapping[str, Any],
    *,
    owner: str,
) -> dict[sp.Symbol, sp.Rational]:
    """Every parameter read exactly, and the assumptions checked exactly at the point.

    Parameters
    ----------
    params : Mapping[str, sympy.Symbol]
        The parameters, all of which must be given.
    assumptions : iterable of sympy relationals
        The domain; a point breaking one is refused.
    values : Mapping[str, object]
        The point, read by :func:`exact_real`.
    owner : str
        The game's name, for messages.

    Returns
    -------
    dict of sympy.Symbol to sympy.Rational
        The point, exactly.

    Raises
    ------
    GameParameterError
        A value is unknown, missing, not a finite real, or breaks an assumption.

    Examples
    --------
    >>> import sympy as sp
    >>> R = sp.Symbol("R")
    >>> exact_point({"R": R}, [R <= 1], {"R": 0.3}, owner="g")
    {R: 3/10}
    """
    exact: dict[str, Fraction] = {}
    for key, value in values.items():
        if key not in params:
            raise GameParameterError(key, value,
                                     f"not a parameter of {owner}; expected {list(params)}")
        exact[key] = exact_real(key, value)
    missing = [k for k in params if k not in exact]
    if missing:
        raise GameParameterError(missing[0], None, f"missing; {owner} needs {list(params)}")
    subs = {params[k]: sp.Rational(v.numerator, v.denominator) for k, v in exact.items()}
    for rel in assumptions:
        try:
            holds = decide(rel, subs)
        except Undefined:
            holds = False
        if not holds:
            names = sorted(str(s) for s in rel.free_symbols)
            shown = {n: float(exact[n]) for n in names}
            raise GameParameterError(names[0], shown if len(shown) > 1 else shown[names[0]],
                                     f"breaks the assumption {rel}")
    return subs


# ----------------------------------------------------------------- evaluation
#: A value during evaluation: a Fraction (exact) or an mpmath.mpf (untyped library).
Value: TypeAlias = Any


def _digits(v: Fraction) -> int:
    return max(v.numerator.bit_length(), v.denominator.bit_length()) * 30103 // 100000 + 1


def _approx(v: Value) -> mpmath.mpf:
    return mpmath.mpf(v.numerator) / v.denominator if isinstance(v, Fraction) else v


def _finite(v: Value, expr: sp.Basic) -> Value:
    if isinstance(v, Fraction):
        return v
    if not mpmath.isfinite(v) or abs(v) > mpmath.mpf(sys.float_info.max):
        raise GameParameterError(str(expr), "at this point", "is beyond the range of a double")
    return v


def _power(base: Value, exponent: Value, expr: sp.Basic) -> Value:
    if isinstance(base, Fraction) and base == 0:
        if exponent < 0:
            raise Undefined(f"{expr} divides by zero at this point")
        return Fraction(0) if exponent > 0 else Fraction(1)
    if isinstance(exponent, Fraction) and exponent.denominator == 1:
        if isinstance(base, Fraction):
            return _integer_power(base, exponent.numerator, expr)
        return _finite(base**int(exponent), expr)
    if base < 0:
        raise Undefined(f"{expr} is not real at this point (negative base)")
    if isinstance(base, Fraction) and isinstance(exponent, Fraction):
        p, q = exponent.numerator, exponent.denominator
        if q <= 64 and abs(p) * _digits(base) <= MAX_EXACT_DIGITS:
            root = sp.Rational(base.numerator, base.denominator) ** sp.Rational(1, q)
            if root.is_Rational:
                return _power(Fraction(int(root.p), int(root.q)), Fraction(p), expr)
    return _finite(mpmath.power(_approx(base), _approx(exponent)), expr)


def _integer_power(base: Fraction, exponent: int, expr: sp.Basic) -> Fraction:
    """``base**exponent`` exactly, refused beyond a double's range or the digit budget."""
    magnitude = exponent * (math.log10(abs(base.numerator)) - math.log10(base.denominator))
    if magnitude > 308:
        raise GameParameterError(str(expr), "at this point", "is beyond the range of a double")
    size = abs(exponent) * _digits(base)
    if size > MAX_EXACT_DIGITS:
        raise GameParameterError(
            str(expr), "at this point",
            f"would need about {size} digits exactly, more than {MAX_EXACT_DIGITS}")
    return base**exponent


def _function(expr: sp.Function | sp.Max | sp.Min, args: list[Value]) -> Value:
    if isinstance(expr, sp.Abs):
        return abs(args[0])
    if isinstance(expr, sp.Max | sp.Min):
        pick = max if isinstance(expr, sp.Max) else min
        return pick(args, key=_approx)
    if isinstance(expr, sp.exp):
        if args[0] == 0:
            return Fraction(1)
        if args[0] > 710:
            raise GameParameterError(str(expr), "at this point",
                                     "is beyond the range of a double")
        return mpmath.exp(_approx(args[0]))
    if isinstance(expr, sp.log):
        if args[0] <= 0:
            raise Undefined(f"{expr} is not real at this point")
        return Fraction(0) if args[0] == 1 else mpmath.log(_approx(args[0]))
    value = expr.func(*(sp.Rational(a.numerator, a.denominator) if isinstance(a, Fraction)
                        else sp.Float(a, 40) for a in args)).evalf(40)
    if not (value.is_real and value.is_finite):
        raise Undefined(f"{expr} is not a finite real number at this point")
    return _finite(mpmath.mpf(str(value)), expr)


def _evaluate(expr: sp.Basic, subs: Mapping[sp.Symbol, sp.Rational]) -> Value:  # noqa: PLR0911 one return per kind of node
    if expr.is_Rational:
        return Fraction(int(expr.p), int(expr.q))
    if isinstance(expr, sp.Symbol):
        v = subs[expr]
        return Fraction(int(v.p), int(v.q))
    if expr.is_Number or expr.is_NumberSymbol:
        return _finite(mpmath.mpf(str(sp.Float(expr, 40))), expr)
    args = [_evaluate(a, subs) for a in expr.args]
    if isinstance(expr, sp.Add):
        total: Value = Fraction(0)
        for a in args:
            total = total + a
        return total
    if isinstance(expr, sp.Mul):
        product: Value = Fraction(1)
        for a in args:
            product = product * a
        return _finite(product, expr)
    if isinstance(expr, sp.Pow):
        return _power(args[0], args[1], expr)
    if isinstance(expr, sp.Function | sp.Max | sp.Min):  # Max, Min are no sympy Function
        return _function(expr, args)
    raise GameError(f"cannot evaluate {expr} at a point")


def evaluate(expr: sp.Basic, subs: Mapping[sp.Symbol, sp.Rational]) -> Fraction:
    """The value of ``expr`` at an exact point, exactly where it is rational.

    An irrational value (``sqrt(2)``) is rounded to the nearest double and that double is
    returned exactly.

    Parameters
    ----------
    expr : sympy.Expr
        A formula over the point's symbols.
    subs : Mapping[sympy.Symbol, sympy.Rational]
        The point, e.g. from :func:`exact_point`.

    Returns
    -------
    fractions.Fraction
        The value.

    Raises
    ------
    Undefined
        No real value at the point (division by zero, ``log`` of a non-positive number).
    GameParameterError
        The value is beyond the range of a double, or computing it exactly would need
        more than :data:`MAX_EXACT_DIGITS` digits.

    Examples
    --------
    >>> import sympy as sp
    >>> x, y = sp.symbols("x y")
    >>> evaluate(x**2 / y, {x: sp.Rational(3, 10), y: sp.Integer(3)})
    Fraction(3, 100)
    >>> evaluate(x**y, {x: sp.Integer(2), y: sp.Integer(10**7)})
    Traceback (most recent call last):
    ...
    gametheory.errors.GameParameterError: x**y = 'at this point': is beyond the range of a double
    """
    with mpmath.workprec(120):
        value = _evaluate(expr, subs)
        if not isinstance(value, Fraction):
            value = Fraction(float(value))
    if abs(value) > FLOAT_MAX:
        raise GameParameterError(str(expr), "at this point", "is beyond the range of a double")
    return value


_RELATIONS = {
    sp.StrictLessThan: lambda d: d < 0, sp.LessThan: lambda d: d <= 0,
    sp.StrictGreaterThan: lambda d: d > 0, sp.GreaterThan: lambda d: d >= 0,
    sp.Equality: lambda d: d == 0, sp.Unequality: lambda d: d != 0,
}


def _difference(rel: Relational, subs: Mapping[sp.Symbol, sp.Rational]) -> Value:
    with mpmath.workprec(120):
        return _evaluate(rel.lhs, subs) - _evaluate(rel.rhs, subs)


def decide(condition: sp.Basic, subs: Mapping[sp.Symbol, sp.Rational]) -> bool:
    """Whether a condition (relationals joined by And, Or, Not) holds at an exact point.

    A conjunction with a false part is false even where another part is undefined (the
    mixed family's fractions where their denominator vanishes).

    Parameters
    ----------
    condition : sympy.Boolean
        The condition.
    subs : Mapping[sympy.Symbol, sympy.Rational]
        The point.

    Returns
    -------
    bool
        The truth value, computed exactly where the formulas are rational.

    Raises
    ------
    Undefined
        A part needed for the answer has no real value at the point.

    Examples
    --------
    >>> import sympy as sp
    >>> x = sp.Symbol("x")
    >>> decide(sp.And(sp.Ne(x, 0), 1 / x > 0), {x: sp.Integer(0)})
    False
    """
    if condition is sp.true or condition is sp.false:
        return bool(condition)
    if isinstance(condition, sp.Not):
        return not decide(condition.args[0], subs)
    if isinstance(condition, sp.And | sp.Or):
        want = isinstance(condition, sp.Or)  # the value that settles the answer
        undefined: Undefined | None = None
        for part in condition.args:
            try:
                if decide(part, subs) is want:
                    return want
            except Undefined as exc:
                undefined = exc
        if undefined is not None:
            raise undefined
        return not want
    if isinstance(condition, Relational) and type(condition) in _RELATIONS:
        return bool(_RELATIONS[type(condition)](_difference(condition, subs)))
    raise GameError(f"cannot decide {condition} at a point")
