"""Turning ``expr > 0`` into the simplest equivalent condition under a game's assumptions.

Factors whose sign is proven (see :mod:`gametheory.signs`) are divided out, flipping the
inequality for negative ones; what remains is kept factored.  A condition that is proven
always true becomes ``sympy.true``, one that is proven impossible ``sympy.false``.

>>> import sympy as sp
>>> from gametheory.domain import Domain
>>> a, b = sp.symbols("a b")
>>> dom = Domain({"a": a, "b": b}, (a > 0, b > 0))
>>> positive_condition((a + b) * (b - 1), dom)
b - 1 > 0
>>> positive_condition(-(a + b), dom, strict=False)
False
"""

from __future__ import annotations

import sympy as sp

from gametheory.domain import Domain
from gametheory.signs import prove_sign

__all__ = ["positive_condition", "simplify_and"]


def positive_condition(expr: sp.Expr, domain: Domain, *, strict: bool = True) -> sp.Basic:
    """The condition ``expr > 0`` (``>= 0`` when not ``strict``), simplified on ``domain``."""
    expr = sp.together(sp.sympify(expr))
    num, den = sp.fraction(expr)
    sign = 1
    keep: list[sp.Expr] = []
    for part, power in ((num, 1), (den, -1)):
        coeff, factors = sp.factor_list(sp.expand(part))
        if coeff == 0:
            return sp.false if strict else sp.true
        sign *= 1 if coeff > 0 else -1
        for base, exp in factors:
            s = prove_sign(base, domain, _witness_search=False).sign
            if s == "positive":
                continue
            if s == "negative":
                sign *= (-1) ** exp
                continue
            keep.append(base ** (exp * power))
    if not keep:
        if sign > 0:
            return sp.true
        return sp.false
    core = sp.Mul(*keep)
    whole = prove_sign(core * sign, domain, _witness_search=False).sign
    if whole == "positive" or (whole == "nonnegative" and not strict):
        return sp.true
    if whole in ("negative", "zero") or (whole == "nonpositive" and strict):
        return sp.false
    lhs = sp.factor(sign * core)
    if lhs.could_extract_minus_sign():
        return sp.StrictLessThan(-lhs, 0) if strict else sp.LessThan(-lhs, 0)
    return sp.StrictGreaterThan(lhs, 0) if strict else sp.GreaterThan(lhs, 0)


def simplify_and(parts: list[sp.Basic]) -> sp.Basic:
    """Conjunction of conditions, dropping ``true`` ones and duplicates."""
    if any(p is sp.false for p in parts):
        return sp.false
    unique: list[sp.Basic] = []
    for p in parts:
        if p is sp.true or p in unique:
            continue
        unique.append(p)
    if not unique:
        return sp.true
    return unique[0] if len(unique) == 1 else sp.And(*unique, evaluate=False)
