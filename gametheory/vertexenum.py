"""Exact extreme equilibria of bimatrix games: a floating-point screen, then exact proof.

The method is the vertex pairing of Mangasarian (1964), as in gambit's ``enummixed``,
with the enumeration of the best-response polytopes' vertices split in two stages:

1. **Screen (numpy, floating point).**  A vertex of ``{z >= 0 : M z <= 1}`` (``M`` a
   positive integer matrix of shape ``r x d``) is fixed by a *basis*: ``k`` coordinates
   ``K`` allowed to be non-zero and ``k`` tight rows ``T`` with ``M[T, K] z_K = 1``.  All
   ``C(r + d, d)`` bases are solved at once, batched by ``k``.  A basis is dropped only
   when its system is well conditioned (condition number at most :data:`COND_LIMIT`)
   *and* its solution breaks a constraint by more than :data:`SCREEN_TOL` relative to
   the scale of the constraint -- several hundred times the error bound
   ``k * cond * 2**-53`` of a backward-stable solve at that conditioning (``k <= 12``).
   Everything else (feasible, nearly feasible, ill-conditioned or singular systems) is a
   candidate.
2. **Proof (Python integers).**  Each candidate is solved exactly by fraction-free
   Gauss-Jordan elimination (every intermediate is an integer minor, as in lrs), its
   feasibility and its tight constraints decided in integer arithmetic.  A candidate
   whose constraints are all tight at a vertex already proved is skipped: a non-singular
   basis has one solution, so it would give that vertex again.

Only exactly proved vertices are used, so nothing the screen lets through can make a
result wrong; the screen can only make one *missing*, and only if a floating-point
solve of a well-conditioned system were off by far more than its error bound.  The
tests compare every result with the exhaustive exact enumeration and with pygambit.

A pair of non-zero vertices whose labels cover all ``n + m`` strategies is an extreme
equilibrium after normalisation (bitmask test, vectorised).

>>> eqs = extreme_equilibria_exact([[1, 0], [0, 1]], [[1, 0], [0, 1]])
>>> [(tuple(map(str, x)), tuple(map(str, y))) for x, y in eqs]
[(('0', '1'), ('0', '1')), (('1/2', '1/2'), ('1/2', '1/2')), (('1', '0'), ('1', '0'))]
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from gametheory.errors import EnumerationBudgetError, GameParameterError, GameTooLargeError

__all__ = [
    "COND_LIMIT",
    "MAX_BASES",
    "SCREEN_FROM",
    "SCREEN_TOL",
    "basis_count",
    "check_size",
    "extreme_equilibria_exact",
]

#: Largest number of bases ``C(n + m, n)`` per polytope that is enumerated; a 12 x 12
#: game has 2,704,156, a 13 x 13 game 10,400,600 (refused).
MAX_BASES = 3_000_000
#: Condition number above which a basis is always proved exactly, never screened out.
COND_LIMIT = 1e6
#: Relative constraint violation beyond which a well-conditioned basis is infeasible.
SCREEN_TOL = 1e-6
#: Below this many bases per polytope every basis is proved exactly: numpy's per-call
#: overhead costs more than it saves (measured crossover: between 3 x 4 and 4 x 4).
SCREEN_FROM = 50
#: Bases solved per numpy batch (bounds memory: about ``CHUNK * k * k * 8`` bytes).
CHUNK = 50_000

IntMatrix = list[list[int]]
FloatArray = npt.NDArray[np.float64]
IndexArray = npt.NDArray[np.intp]
Vector = tuple[Fraction, ...]


@dataclass(frozen=True)
class _Vertex:
    """A vertex ``z = num / den`` of ``{z >= 0 : M z <= 1}`` with its tight constraints.

    ``zero`` has bit ``i`` set when ``z_i = 0``; ``tight`` bit ``j`` when row ``j`` of
    ``M`` is tight.
    """

    num: tuple[int, ...]
    den: int
    zero: int
    tight: int


def basis_count(n: int, m: int) -> int:
    """The number of bases ``C(n + m, n)`` of each best-response polytope of an n x m game.

    Parameters
    ----------
    n, m : int
        Numbers of row and column strategies.

    Returns
    -------
    int
        The binomial coefficient ``C(n + m, n)``.

    Examples
    --------
    >>> basis_count(8, 8), basis_count(10, 10)
    (12870, 184756)
    """
    return math.comb(n + m, n)


def check_size(n: int, m: int, *, max_seconds: float | None = None) -> None:
    """Refuse, before any work, a game with more than :data:`MAX_BASES` bases.

    Parameters
    ----------
    n, m : int
        Numbers of row and column strategies.
    max_seconds : float, optional
        The time budget that will be asked for; checked too.

    Raises
    ------
    GameTooLargeError
        ``C(n + m, n)`` exceeds :data:`MAX_BASES`.
    GameParameterError
        ``max_seconds`` is not ``None`` or a positive finite number.

    Examples
    --------
    >>> check_size(12, 12)
    >>> check_size(13, 13)
    Traceback (most recent call last):
    ...
    gametheory.errors.GameTooLargeError: shape = (13, 13): ...
    """
    count = basis_count(n, m)
    if count > MAX_BASES:
        raise GameTooLargeError(
            "shape", (n, m),
            f"exact enumeration visits C(n + m, n) = {count:,} bases per polytope, above "
            f"the limit MAX_BASES = {MAX_BASES:,} (12 x 12 is the largest square game)")
    _check_budget(max_seconds)


def _integer_matrix(matrix: Sequence[Sequence[Fraction]]) -> IntMatrix:
    """``matrix`` scaled by the lcm of its denominators and shifted to entries >= 1.

    A positive scaling and a constant shift change no player's best responses.
    """
    lcm = math.lcm(*(v.denominator for row in matrix for v in row))
    scaled = [[int(v * lcm) for v in row] for row in matrix]
    low = min(min(row) for row in scaled)
    return [[v - low + 1 for v in row] for row in scaled]


def _exact_solve(rows: IntMatrix) -> tuple[list[int], int] | None:
    """Solve ``rows[:, :k] z = rows[:, k]`` exactly: ``(numerators, denominator > 0)``.

    Fraction-free Gauss-Jordan elimination: after the pivot on column ``c`` every entry
    is a ``(c + 1) x (c + 1)`` minor, so each division by the previous pivot is exact.
    ``None`` when the system is singular.
    """
    k = len(rows)
    a = [list(r) for r in rows]
    prev = 1
    for c in range(k):
        piv = next((r for r in range(c, k) if a[r][c]), None)
        if piv is None:
            return None
        a[c], a[piv] = a[piv], a[c]
        rowc = a[c]
        p = rowc[c]
        for r in range(k):
            if r != c:
                f = a[r][c]
                a[r] = [(p * x - f * y) // prev for x, y in zip(a[r], rowc, strict=True)]
        prev = p
    num = [a[r][k] for r in range(k)]
    if prev < 0:
        return [-v for v in num], -prev
    return num, prev


def _prove(
    M: IntMatrix, support: tuple[int, ...], rows: tuple[int, ...]
) -> _Vertex | None:
    """The exact vertex of one basis, or ``None`` if singular or infeasible."""
    solved = _exact_solve([[M[t][c] for c in support] + [1] for t in rows])
    if solved is None:
        return None
    num_k, den = solved
    if any(v < 0 for v in num_k):
        return None
    d = len(M[0])
    num = [0] * d
    for c, v in zip(support, num_k, strict=True):
        num[c] = v
    tight = 0
    for j, row in enumerate(M):
        slack = den - sum(row[c] * v for c, v in zip(support, num_k, strict=True))
        if slack < 0:
            return None
        if slack == 0:
            tight |= 1 << j
    zero = sum(1 << i for i in range(d) if num[i] == 0)
    g = math.gcd(den, *num)
    return _Vertex(tuple(v // g for v in num), den // g, zero, tight)


def _screen(
    Mf: FloatArray, supports: IndexArray, rows: IndexArray
) -> tuple[npt.NDArray[np.bool_], FloatArray]:
    """Which of the bases ``(rows[b], supports[b])`` may be feasible, and their solutions.

    Returns a mask (True = candidate) and the floating-point solutions (NaN where the
    system is ill-conditioned).
    """
    sub = Mf[rows[:, :, None], supports[:, None, :]]  # (batch, k, k)
    # An exactly zero LU pivot gives det == 0; only those are kept from the inversion.
    regular = np.linalg.det(sub) != 0.0
    inv = np.zeros_like(sub)
    inv[regular] = np.linalg.inv(sub[regular])
    # 1-norm condition number ||M|| ||M^-1||; inf where singular.
    cond = np.abs(sub).sum(axis=1).max(axis=1) * np.abs(inv).sum(axis=1).max(axis=1)
    well = regular & (cond <= COND_LIMIT)
    zw = np.where(well[:, None], inv.sum(axis=2), 0.0)  # M^-1 1, zero where not used
    # M[:, K] z_K for every row of M, batched; an error in z of e * max|z| moves such a
    # sum by at most e * max|z| * sum_K |M[row, K]|, the scale the tolerance applies to.
    cols = Mf[:, supports]  # (r, batch, k)
    lhs = np.einsum("rbk,bk->br", cols, zw)
    zmax = np.abs(zw).max(axis=1)
    scale = 1.0 + cols.sum(axis=2).T * zmax[:, None]  # M > 0: |M| = M
    bad = ((lhs - 1.0) > SCREEN_TOL * scale).any(axis=1)
    bad |= (zw < -SCREEN_TOL * (1.0 + zmax[:, None])).any(axis=1)
    z = np.where(well[:, None], zw, np.nan)
    return ~well | ~bad, z


def _check_budget(max_seconds: object) -> None:
    """``max_seconds`` must be ``None`` or a positive finite real number."""
    ok = max_seconds is None or (
        isinstance(max_seconds, int | float) and not isinstance(max_seconds, bool)
        and math.isfinite(max_seconds) and max_seconds > 0)
    if not ok:
        raise GameParameterError("max_seconds", max_seconds,
                                 "must be None or a positive finite number of seconds")


class _Clock:
    """The ``max_seconds`` budget of one enumeration."""

    def __init__(self, max_seconds: float | None) -> None:
        self.max_seconds = max_seconds
        self.start = time.perf_counter()

    def check(self) -> None:
        if self.max_seconds is not None and \
                time.perf_counter() - self.start > self.max_seconds:
            raise EnumerationBudgetError(
                "max_seconds", self.max_seconds,
                "the exact enumeration ran out of its time budget before finishing")


def _vertices(M: IntMatrix, clock: _Clock, *, screen: bool) -> list[_Vertex]:
    """Every non-zero vertex of ``{z >= 0 : M z <= 1}`` (``M`` positive, ``r x d``).

    With ``screen=False`` every basis is proved exactly (pure Python, no floating point).
    """
    r, d = len(M), len(M[0])
    # Divided by its largest entry (exactly, then rounded once) so that huge integers from
    # large denominators cannot overflow; the scaled polytope has the same bases.
    top = max(max(row) for row in M)
    Mf = np.array([[float(Fraction(v, top)) for v in row] for row in M])
    proved = _Proved(M)
    for k in range(1, min(r, d) + 1):
        sup_all = np.array(list(itertools.combinations(range(d), k)), dtype=np.intp)
        row_all = np.array(list(itertools.combinations(range(r), k)), dtype=np.intp)
        pairs = len(sup_all) * len(row_all)
        for start in range(0, pairs, CHUNK):
            clock.check()
            idx = np.arange(start, min(start + CHUNK, pairs))
            supports, rows = sup_all[idx % len(sup_all)], row_all[idx // len(sup_all)]
            if screen:
                mask, z = _screen(Mf, supports, rows)
            else:
                mask, z = np.ones(len(idx), dtype=bool), np.full(supports.shape, np.nan)
            for b in np.flatnonzero(mask):
                clock.check()
                proved.consider(tuple(supports[b].tolist()), tuple(rows[b].tolist()), z[b])
    return list(proved.found.values())


class _Proved:
    """The vertices proved so far, indexed by their rounded floating-point solution."""

    def __init__(self, M: IntMatrix) -> None:
        self.M = M
        self.found: dict[tuple[int, ...], _Vertex] = {}
        self.by_key: dict[bytes, list[_Vertex]] = {}

    def consider(self, support: tuple[int, ...], rows: tuple[int, ...], z: FloatArray) -> None:
        """Prove one candidate basis, unless a proved vertex already makes it tight."""
        d = len(self.M[0])
        key = np.round(z, 9).tobytes() if np.isfinite(z).all() else b""
        zero_mask = sum(1 << i for i in range(d) if i not in support)
        row_mask = sum(1 << j for j in rows)
        for v in self.by_key.get(key, ()):
            if zero_mask & ~v.zero == 0 and row_mask & ~v.tight == 0:
                return
        vertex = _prove(self.M, support, rows)
        if vertex is None:
            return
        vertex = self.found.setdefault((*vertex.num, vertex.den), vertex)
        self.by_key.setdefault(key, []).append(vertex)


def extreme_equilibria_exact(
    A: Sequence[Sequence[Fraction]],
    B: Sequence[Sequence[Fraction]],
    *,
    max_seconds: float | None = None,
    screen: bool | None = None,
) -> list[tuple[Vector, Vector]]:
    """Every extreme Nash equilibrium of ``(A, B)``, exactly, sorted.

    Parameters
    ----------
    A, B : n x m nested sequences of Fraction (or int)
        The row and the column player's payoffs.
    max_seconds : float, optional
        Time budget in seconds; checked between batches of at most :data:`CHUNK` bases.
    screen : bool, optional
        ``False`` proves every basis exactly instead of screening them in floating point
        first: pure Python, the same result, several times slower on all but small games.
        ``None`` (default) screens when a polytope has at least :data:`SCREEN_FROM` bases.

    Returns
    -------
    list of (row strategy, column strategy)
        Tuples of :class:`fractions.Fraction`, sorted.

    Raises
    ------
    GameTooLargeError
        More than :data:`MAX_BASES` bases (checked before any work).
    EnumerationBudgetError
        The budget ``max_seconds`` ran out.
    GameParameterError
        ``max_seconds`` is not a positive finite number.

    Examples
    --------
    >>> eqs = extreme_equilibria_exact([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> [(tuple(map(int, x)), tuple(map(int, y))) for x, y in eqs]
    [((0, 1), (0, 1))]
    """
    n, m = len(A), len(A[0])
    check_size(n, m, max_seconds=max_seconds)
    clock = _Clock(max_seconds)
    if screen is None:
        screen = basis_count(n, m) >= SCREEN_FROM
    a = _integer_matrix([[Fraction(v) for v in row] for row in A])
    b = _integer_matrix([[Fraction(v) for v in row] for row in B])
    bt = [list(col) for col in zip(*b, strict=True)]
    # P = {x >= 0 : B^T x <= 1}: label i when x_i = 0, label n + j when column j is tight.
    verts_p = _vertices(bt, clock, screen=screen)
    # Q = {y >= 0 : A y <= 1}: label i when row i is tight, label n + j when y_j = 0.
    verts_q = _vertices(a, clock, screen=screen)
    clock.check()
    full = (1 << (n + m)) - 1
    lab_p = [v.zero | (v.tight << n) for v in verts_p]
    lab_q = [v.tight | (v.zero << n) for v in verts_q]
    found = []
    for i, j in _covering_pairs(lab_p, lab_q, full):
        x, y = verts_p[i], verts_q[j]
        sx, sy = sum(x.num), sum(y.num)
        found.append((tuple(Fraction(v, sx) for v in x.num),
                      tuple(Fraction(v, sy) for v in y.num)))
    return sorted(found)


def _covering_pairs(lab_p: list[int], lab_q: list[int], full: int) -> list[tuple[int, int]]:
    """Index pairs ``(i, j)`` with ``lab_p[i] | lab_q[j] == full``."""
    if not lab_p or not lab_q:
        return []
    if full < 1 << 63:
        lp = np.array(lab_p, dtype=np.uint64)
        lq = np.array(lab_q, dtype=np.uint64)
        hit = (lp[:, None] | lq[None, :]) == np.uint64(full)
        return [(int(i), int(j)) for i, j in zip(*np.nonzero(hit), strict=True)]
    return [(i, j) for i, p in enumerate(lab_p) for j, q in enumerate(lab_q) if p | q == full]
