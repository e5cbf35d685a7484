"""The slow reference: the exhaustive exact enumeration that gametheory/extreme.py used before
issue 16, kept verbatim (one exact Fraction solve per subset of constraints, and components
as closures of every subset of row vertices).  Tests compare the fast enumeration with it.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

Vector = tuple[Fraction, ...]


def _solve(rows: list[list[Fraction]], rhs: list[Fraction]) -> list[Fraction] | None:
    """Solve a square system exactly by Gauss-Jordan elimination; ``None`` if singular."""
    n = len(rows)
    aug = [[*r, b] for r, b in zip(rows, rhs, strict=True)]
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



def reference_extreme_equilibria(
    A: Sequence[Sequence[Fraction | int]], B: Sequence[Sequence[Fraction | int]]
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
    a = [[Fraction(v) for v in row] for row in A]
    b = [[Fraction(v) for v in row] for row in B]
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
class ReferenceComponent:
    """A maximal convex set of equilibria, ``conv(rows) x conv(cols)``.

    Every mixture of a strategy in ``rows`` with one in ``cols`` is an equilibrium.
    """

    rows: tuple[Vector, ...]
    cols: tuple[Vector, ...]


def reference_convex_components(
    equilibria: list[tuple[Vector, Vector]],
) -> list[ReferenceComponent]:
    """Maximal bicliques of the extreme equilibria (Audet et al., 2001, "EEE")."""
    xs = sorted({x for x, _ in equilibria})
    pairs = set(equilibria)
    neighbours = {x: frozenset(y for (x2, y) in pairs if x2 == x) for x in xs}
    found: set[tuple[frozenset[Vector], frozenset[Vector]]] = set()
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
        (ReferenceComponent(tuple(sorted(sx)), tuple(sorted(sy))) for sx, sy in maximal),
        key=lambda c: (c.rows, c.cols),
    )
