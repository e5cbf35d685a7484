"""All extreme equilibria of a numeric bimatrix game, in exact rational arithmetic.

This is the vertex-pairing method of Mangasarian (1964) as implemented in gambit's
``enummixed``: with payoffs shifted to be positive, the best-response polytopes

    P = {x >= 0 : B^T x <= 1}        Q = {y >= 0 : A y <= 1}

are enumerated vertex by vertex (every choice of tight constraints, solved exactly), and a
pair of non-zero vertices whose tight constraints together carry all ``n + m`` labels is an
equilibrium after normalisation.  Unlike support enumeration (nashpy, quantecon) this finds
every *extreme* equilibrium of a degenerate game too, so a continuum of equilibria is
reported by its extreme points; :func:`convex_components` groups them into the maximal
convex sets ``conv(rows) x conv(cols)`` (Audet et al., 2001).

Exact arithmetic (:class:`fractions.Fraction`; floats are converted exactly) makes the
degenerate cases exact as well.  The cost grows like ``C(n + m, n)``: meant for games of a
few strategies each, as in this toolkit.

>>> from fractions import Fraction as F
>>> eqs = extreme_equilibria([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])  # matching pennies
>>> [(tuple(map(str, x)), tuple(map(str, y))) for x, y in eqs]
[(('1/2', '1/2'), ('1/2', '1/2'))]
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

__all__ = ["extreme_equilibria", "convex_components", "ConvexComponent"]

Vector = tuple[Fraction, ...]


def _solve(rows: list[list[Fraction]], rhs: list[Fraction]) -> list[Fraction] | None:
    """Solve a square system exactly by Gauss-Jordan elimination; ``None`` if singular."""
    n = len(rows)
    aug = [list(r) + [b] for r, b in zip(rows, rhs, strict=True)]
    for col in range(n):
        pivot = next((r for r in range(col, n) if aug[r][col] != 0), None)
        if pivot is None:
            return None
        aug[col], aug[pivot] = aug[pivot], aug[col]
        inv = 1 / aug[col][col]
        aug[col] = [v * inv for v in aug[col]]
        for r in range(n):
            if r != col and aug[r][col] != 0:
                f = aug[r][col]
                aug[r] = [a - f * b for a, b in zip(aug[r], aug[col], strict=True)]
    return [aug[r][n] for r in range(n)]


def _vertices(
    cons: list[list[Fraction]], rhs: list[Fraction], dim: int
) -> dict[Vector, frozenset[int]]:
    """Vertices of ``{z : cons z <= rhs}`` with the set of constraints tight at each.

    The first ``dim`` constraints are the sign constraints ``-z_i <= 0``.
    """
    out: dict[Vector, frozenset[int]] = {}
    for subset in itertools.combinations(range(len(cons)), dim):
        sol = _solve([cons[k] for k in subset], [rhs[k] for k in subset])
        if sol is None:
            continue
        vec = tuple(sol)
        if vec in out:
            continue
        slack = [rhs[k] - sum(c * z for c, z in zip(cons[k], vec, strict=True))
                 for k in range(len(cons))]
        if any(s < 0 for s in slack):
            continue
        out[vec] = frozenset(k for k, s in enumerate(slack) if s == 0)
    return out


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
    if hasattr(value, "is_Float") and value.is_Float:  # sympy Float
        return Fraction(float(value))  # type: ignore[arg-type]
    raise TypeError(f"{value!r} is not a real number")


def _as_fractions(matrix: Sequence[Sequence[object]]) -> list[list[Fraction]]:
    return [[to_fraction(v) for v in row] for row in matrix]


def extreme_equilibria(
    A: Sequence[Sequence[object]], B: Sequence[Sequence[object]]
) -> list[tuple[Vector, Vector]]:
    """Every extreme Nash equilibrium of the bimatrix game ``(A, B)``, exactly.

    Parameters
    ----------
    A, B : n x m nested sequences of int, float or Fraction
        Row and column player's payoffs.

    Returns
    -------
    list of (row strategy, column strategy)
        Tuples of :class:`fractions.Fraction`, sorted.
    """
    a = _as_fractions(A)
    b = _as_fractions(B)
    n, m = len(a), len(a[0])
    shift_a = 1 - min(min(r) for r in a)
    shift_b = 1 - min(min(r) for r in b)
    a = [[v + shift_a for v in r] for r in a]
    b = [[v + shift_b for v in r] for r in b]
    zero, one = Fraction(0), Fraction(1)
    # P in R^n: labels 0..n-1 are x_i = 0, labels n..n+m-1 are (B^T x)_j = 1.
    cons_p = [[-one if k == i else zero for k in range(n)] for i in range(n)]
    cons_p += [[b[i][j] for i in range(n)] for j in range(m)]
    rhs_p = [zero] * n + [one] * m
    # Q in R^m: labels 0..n-1 are (A y)_i = 1, labels n..n+m-1 are y_j = 0.
    cons_q = [[-one if k == j else zero for k in range(m)] for j in range(m)]
    cons_q += [list(a[i]) for i in range(n)]
    rhs_q = [zero] * m + [one] * n
    verts_p = _vertices(cons_p, rhs_p, n)
    verts_q = {
        v: frozenset(k - m if k >= m else n + k for k in tight)
        for v, tight in _vertices(cons_q, rhs_q, m).items()
    }
    everything = frozenset(range(n + m))
    found = []
    for x, lx in verts_p.items():
        if not any(x):
            continue
        for y, ly in verts_q.items():
            if any(y) and lx | ly == everything:
                sx, sy = sum(x), sum(y)
                found.append((tuple(v / sx for v in x), tuple(v / sy for v in y)))
    return sorted(found)


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
    pairs = set(equilibria)
    neighbours = {x: frozenset(y for (x2, y) in pairs if x2 == x) for x in xs}
    found: set[tuple[frozenset, frozenset]] = set()
    for r in range(1, len(xs) + 1):
        for subset in itertools.combinations(xs, r):
            ys = frozenset.intersection(*(neighbours[x] for x in subset))
            if not ys:
                continue
            closure = frozenset(x for x in xs if ys <= neighbours[x])
            found.add((closure, ys))
    maximal = [
        (sx, sy) for sx, sy in found
        if not any((sx <= tx and sy <= ty) and (sx, sy) != (tx, ty) for tx, ty in found)
    ]
    return sorted(
        (ConvexComponent(tuple(sorted(sx)), tuple(sorted(sy))) for sx, sy in maximal),
        key=lambda c: (c.rows, c.cols),
    )
