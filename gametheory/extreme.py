"""All extreme equilibria of a numeric bimatrix game, in exact rational arithmetic.

This is the vertex-pairing method of Mangasarian (1964) as implemented in gambit's
``enummixed``: with payoffs shifted to be positive, the best-response polytopes

    P = {x >= 0 : B^T x <= 1}        Q = {y >= 0 : A y <= 1}

are enumerated vertex by vertex, and a pair of non-zero vertices whose tight constraints
together carry all ``n + m`` labels is an equilibrium after normalisation.  Unlike support
enumeration (nashpy, quantecon) this finds every *extreme* equilibrium of a degenerate
game too, so a continuum of equilibria is reported by its extreme points;
:func:`convex_components` groups them into the maximal convex sets
``conv(rows) x conv(cols)`` (Audet et al., 2001).

The enumeration itself lives in :mod:`gametheory.vertexenum`: lexicographic pivoting
over the feasible bases with exact integer tableaux, so the output is exact (floats are
converted exactly) and degenerate games are handled exactly as well.  Games whose
polytopes could have more than :data:`gametheory.vertexenum.MAX_BASES` feasible bases
(larger than 16 x 16) are refused up front; ``max_seconds`` bounds the time.

>>> from fractions import Fraction as F
>>> eqs = extreme_equilibria([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])  # matching pennies
>>> [(tuple(map(str, x)), tuple(map(str, y))) for x, y in eqs]
[(('1/2', '1/2'), ('1/2', '1/2'))]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import SupportsFloat

import numpy as np

from gametheory.vertexenum import extreme_equilibria_exact

__all__ = ["ConvexComponent", "convex_components", "extreme_equilibria"]

Vector = tuple[Fraction, ...]


def to_fraction(value: object) -> Fraction:
    """An exact :class:`~fractions.Fraction` of a real number (floats converted exactly).

    Accepts int, float, Fraction, numpy scalars and sympy rationals or floats.
    """
    if isinstance(value, bool):
        raise TypeError(f"{value!r} is a bool, not a number")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int | np.integer):
        return Fraction(int(value))
    if isinstance(value, float | np.floating):
        return Fraction(float(value))
    p, q = getattr(value, "p", None), getattr(value, "q", None)
    if isinstance(p, int) and isinstance(q, int):  # sympy Rational / Integer
        return Fraction(p, q)
    if isinstance(value, SupportsFloat) and getattr(value, "is_Float", False):  # sympy Float
        return Fraction(float(value))
    raise TypeError(f"{value!r} is not a real number")


def _as_fractions(matrix: Sequence[Sequence[object]]) -> list[list[Fraction]]:
    return [[to_fraction(v) for v in row] for row in matrix]


def extreme_equilibria(
    A: Sequence[Sequence[object]],
    B: Sequence[Sequence[object]],
    *,
    max_seconds: float | None = None,
) -> list[tuple[Vector, Vector]]:
    """Every extreme Nash equilibrium of the bimatrix game ``(A, B)``, exactly.

    Parameters
    ----------
    A, B : n x m nested sequences of int, float or Fraction
        Row and column player's payoffs.
    max_seconds : float, optional
        Time budget of the enumeration (``None``: no budget).

    Returns
    -------
    list of (row strategy, column strategy)
        Tuples of :class:`fractions.Fraction`, sorted.

    Raises
    ------
    GameTooLargeError
        The polytopes could have more than :data:`~gametheory.vertexenum.MAX_BASES`
        feasible bases (checked before any work).
    EnumerationBudgetError
        ``max_seconds`` ran out.
    GameParameterError
        ``max_seconds`` is not a positive number.

    Examples
    --------
    >>> eqs = extreme_equilibria([[3, 0], [5, 1]], [[3, 5], [0, 1]])  # prisoners' dilemma
    >>> [(tuple(map(int, x)), tuple(map(int, y))) for x, y in eqs]
    [((0, 1), (0, 1))]
    """
    return extreme_equilibria_exact(_as_fractions(A), _as_fractions(B),
                                    max_seconds=max_seconds)


@dataclass(frozen=True)
class ConvexComponent:
    """A maximal convex set of equilibria, ``conv(rows) x conv(cols)``.

    Every mixture of a strategy in ``rows`` with one in ``cols`` is an equilibrium.
    """

    rows: tuple[Vector, ...]
    cols: tuple[Vector, ...]


def convex_components(equilibria: list[tuple[Vector, Vector]]) -> list[ConvexComponent]:
    """Maximal bicliques of the extreme equilibria (Audet et al., 2001, "EEE").

    >>> from fractions import Fraction as F
    >>> eqs = [((F(1), F(0)), (F(1), F(0))), ((F(1), F(0)), (F(0), F(1)))]
    >>> [len(c.cols) for c in convex_components(eqs)]
    [2]
    """
    xs = sorted({x for x, _ in equilibria})
    ys = sorted({y for _, y in equilibria})
    bit = {y: 1 << k for k, y in enumerate(ys)}
    neighbours = {x: 0 for x in xs}
    for x, y in equilibria:
        neighbours[x] |= bit[y]
    # The intents (column sets) of all bicliques closed on both sides are the non-empty
    # intersections of neighbour sets; intersecting with one generator at a time reaches
    # each of them (formal concept analysis).  Every such closed pair is maximal.
    generators = set(neighbours.values())
    intents, frontier = set(generators), set(generators)
    while frontier:
        frontier = {a & g for a in frontier for g in generators if a & g} - intents
        intents |= frontier
    comps = []
    for cols in intents:
        rows = tuple(x for x in xs if neighbours[x] & cols == cols)
        comps.append(ConvexComponent(rows, tuple(y for y in ys if bit[y] & cols)))
    return sorted(comps, key=lambda c: (c.rows, c.cols))
