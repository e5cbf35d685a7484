"""Signs of polynomials in strictly positive symbols, read from their coefficients.

On a piece of a game's domain (:mod:`gametheory.pieces`) every parameter is written through
symbols that are all strictly positive; there a polynomial whose expanded coefficients all
share one sign has that sign everywhere, and a product's sign is the product of its
factors' signs.  These are the only facts the proofs of :mod:`gametheory.signs` and the
covering of :mod:`gametheory.covering` rest on: each function returns a *superset* of the
signs an expression can take, never a subset.

>>> import sympy as sp
>>> a, b = sp.symbols("a b", positive=True)
>>> sorted(rational_signs((a + b) / (a * b + 1), (a, b)))
[1]
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

import sympy as sp
from sympy.polys.rings import PolyElement

__all__ = [
    "ALL_SIGNS",
    "NEGATIVE",
    "POSITIVE",
    "Signs",
    "factored_signs",
    "poly_signs",
    "rational_signs",
    "ring_factored_signs",
    "ring_signs",
    "uses_free",
]

#: A set of signs among -1, 0, 1.
Signs = frozenset[int]
#: Any sign: nothing is known.
ALL_SIGNS: Signs = frozenset({-1, 0, 1})
#: Strictly positive.
POSITIVE: Signs = frozenset({1})
#: Strictly negative.
NEGATIVE: Signs = frozenset({-1})


def _number_signs(value: sp.Expr) -> Signs:
    if value.is_zero:
        return frozenset({0})
    if value.is_extended_real is not True:
        return ALL_SIGNS
    if value.is_positive:
        return POSITIVE
    if value.is_negative:
        return NEGATIVE
    return ALL_SIGNS


def poly_signs(expr: sp.Expr, symbols: Iterable[sp.Symbol]) -> Signs:
    """The signs a polynomial in strictly positive ``symbols`` can take.

    Decided from the expanded coefficients only: all positive gives ``{1}``, all negative
    ``{-1}``, the zero polynomial ``{0}``; anything else (mixed signs, other symbols, a
    non-polynomial) gives ``{-1, 0, 1}``.

    Parameters
    ----------
    expr : sympy.Expr
        The polynomial.
    symbols : iterable of sympy.Symbol
        Symbols known to be strictly positive.

    Returns
    -------
    frozenset of int
        A superset of the signs ``expr`` takes where every symbol is positive.

    Examples
    --------
    >>> import sympy as sp
    >>> a, b = sp.symbols("a b", positive=True)
    >>> sorted(poly_signs((a + b)**2 + 1, (a, b))), sorted(poly_signs(a - b, (a, b)))
    ([1], [-1, 0, 1])
    """
    syms = tuple(symbols)
    expr = sp.expand(expr)
    if expr.free_symbols - set(syms):
        return ALL_SIGNS
    if expr.is_number:
        return _number_signs(expr)
    try:
        coeffs = sp.Poly(expr, *syms).coeffs()
    except sp.PolynomialError:
        return ALL_SIGNS
    signs = {_number_signs(c) for c in coeffs}
    if signs == {POSITIVE}:
        return POSITIVE
    if signs == {NEGATIVE}:
        return NEGATIVE
    return ALL_SIGNS


def factored_signs(expr: sp.Expr, symbols: Iterable[sp.Symbol]) -> Signs:
    """The signs of a polynomial from the signs of its irreducible factors.

    Each factor is tested by :func:`poly_signs`; an even power of a factor of any sign is
    nonnegative.

    Parameters
    ----------
    expr : sympy.Expr
        The polynomial.
    symbols : iterable of sympy.Symbol
        Symbols known to be strictly positive.

    Returns
    -------
    frozenset of int
        A superset of the signs of ``expr`` where every symbol is positive.

    Examples
    --------
    >>> import sympy as sp
    >>> a, b = sp.symbols("a b", positive=True)
    >>> sorted(factored_signs(-(a - b)**2 * (a + 1), (a, b)))
    [-1, 0]
    """
    syms = tuple(symbols)
    expr = sp.expand(expr)
    if expr == 0:
        return frozenset({0})
    if expr.free_symbols - set(syms) or expr.is_number or not syms:
        return poly_signs(expr, syms)
    try:
        coeff, factors = sp.factor_list(expr, *syms)
    except sp.PolynomialError:
        return poly_signs(expr, syms)
    signs = _number_signs(sp.sympify(coeff))
    for base, exp in factors:
        base_signs = poly_signs(base, syms)
        power = frozenset(s ** int(exp) for s in base_signs)
        signs = frozenset(a * b for a in signs for b in power)
    return signs


def rational_signs(expr: sp.Expr, symbols: Iterable[sp.Symbol]) -> Signs | None:
    """The signs of a rational function in positive ``symbols``; ``None`` if undefined.

    Numerator and denominator are tested separately (:func:`factored_signs`); the
    denominator counts only where it is nonzero, since the expression is defined only
    there.  ``None`` means the denominator is identically zero.

    Parameters
    ----------
    expr : sympy.Expr
        The rational function.
    symbols : iterable of sympy.Symbol
        Symbols known to be strictly positive.

    Returns
    -------
    frozenset of int or None
        A superset of the signs where the expression is defined.

    Examples
    --------
    >>> import sympy as sp
    >>> s = sp.Symbol("s", positive=True)
    >>> sorted(rational_signs(1 - s/(1 + s), (s,)))
    [1]
    """
    syms = tuple(symbols)
    num, den = sp.fraction(sp.together(sp.sympify(expr)))
    den_signs = factored_signs(den, syms) - {0}
    if not den_signs:
        return None
    num_signs = factored_signs(num, syms)
    return frozenset(a * b for a in num_signs for b in den_signs)


def uses_free(poly: PolyElement, positive: int) -> bool:
    """Whether ``poly`` involves a generator after the first ``positive`` ones."""
    return any(any(m[positive:]) for m in poly.monoms())


def ring_signs(poly: PolyElement, positive: int) -> Signs:
    """Signs of a ring polynomial whose first ``positive`` generators are positive.

    The ring counterpart of :func:`poly_signs`: a monomial in any later generator (a
    free parameter) gives ``{-1, 0, 1}``.
    """
    if not poly:
        return frozenset({0})
    terms = poly.terms()
    if any(any(m[positive:]) for m, _ in terms):
        return ALL_SIGNS
    coeffs = [c for _, c in terms]
    if all(c > 0 for c in coeffs):
        return POSITIVE
    if all(c < 0 for c in coeffs):
        return NEGATIVE
    return ALL_SIGNS


def ring_factored_signs(poly: PolyElement, positive: int) -> tuple[Signs, str]:
    """:func:`factored_signs` for a ring polynomial, with the factored form as text."""
    return _ring_factored_signs(poly, positive)


@functools.lru_cache(maxsize=8192)
def _ring_factored_signs(poly: PolyElement, positive: int) -> tuple[Signs, str]:
    if not poly:
        return frozenset({0}), "0"
    whole = ring_signs(poly, positive)
    if whole in (POSITIVE, NEGATIVE) or poly.is_ground:
        return whole, f"({poly})"
    coeff, factors = poly.factor_list()
    signs = POSITIVE if coeff > 0 else NEGATIVE
    shown = [] if coeff == 1 else [str(coeff)]
    for base, exp in factors:
        power = frozenset(s ** int(exp) for s in ring_signs(base, positive))
        signs = frozenset(a * b for a in signs for b in power)
        shown.append(f"({base})" + (f"**{exp}" if exp != 1 else ""))
    return signs, "*".join(shown) or "1"
