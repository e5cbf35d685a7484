"""Exact extreme equilibria of bimatrix games by lexicographic pivoting.

The method is the vertex pairing of Mangasarian (1964), as in gambit's ``enummixed``: the
vertices of the best-response polytopes ``{z >= 0 : M z <= 1}`` (``M`` a positive integer
matrix, ``r x d``) are enumerated, and pairs whose labels cover every strategy are the
extreme equilibria.  Three enumerations of the vertices are provided; they give the same
result and the tests hold them against one another, the pre-issue-16 code and pygambit.

``"pivot"`` (default)
    Depth-first search over the *lexicographically feasible* bases of the tableau
    ``[M | I | 1]``, from the slack basis at ``z = 0``; each non-basic column enters,
    the lexicographic minimum-ratio rule picks the leaving row.  Those bases are the
    vertices of a perturbed polytope that is simple and connected, so all are reached,
    and every vertex of the polytope is one of theirs.  Integer (fraction-free) pivoting
    keeps every entry an exact integer minor (Bareiss; as in lrs).  The work is
    proportional to the number of such bases, at most the upper-bound-theorem count and
    usually far below ``C(r + d, d)``.
``"screen"``
    All ``C(r + d, d)`` bases solved at once in floating point (numpy).  A basis is
    dropped only when its system is well conditioned (condition number at most
    :data:`COND_LIMIT`) *and* its solution breaks a constraint by more than
    :data:`SCREEN_TOL` relative to the scale of the constraint -- several hundred times
    the error bound ``k * cond * 2**-53`` of a backward-stable solve (``k <= 12``).
    Every other basis is proved exactly as below.  Only proved vertices are used.
``"exhaustive"``
    Every basis solved exactly by fraction-free Gauss-Jordan elimination in Python
    integers, feasibility and tight constraints decided in integers.  A basis whose
    constraints are all tight at a vertex already proved is skipped (a non-singular
    basis has one solution).

A pair of non-zero vertices whose labels cover all ``n + m`` strategies is an extreme
equilibrium after normalisation (per-label bitsets of the Q vertices, intersected).

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
    "METHODS",
    "SCREEN_TOL",
    "basis_bound",
    "check_size",
    "extreme_equilibria_exact",
]

#: Largest number of bases per polytope an enumeration may visit, known before any work
#: (:func:`basis_bound`): with ``"pivot"`` a 16 x 16 game (980,628) is the largest square
#: game accepted, with ``"screen"``/``"exhaustive"`` 11 x 11 (705,432).
MAX_BASES = 1_000_000
#: Condition number above which a basis is always proved exactly, never screened out.
COND_LIMIT = 1e6
#: Relative constraint violation beyond which a well-conditioned basis is infeasible.
SCREEN_TOL = 1e-6
#: The enumeration methods of :func:`extreme_equilibria_exact`.
METHODS = ("pivot", "screen", "exhaustive")
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


def basis_bound(n: int, m: int, *, method: str = "pivot") -> int:
    """The most bases one best-response polytope of an n x m game can make a method visit.

    ``"pivot"`` visits the lexicographically feasible bases, the vertices of a simple
    polytope of dimension ``d`` (``n``, resp. ``m``) with at most ``n + m`` facets: at most
    McMullen's upper-bound-theorem number ``C(f - floor((d+1)/2), f - d) +
    C(f - floor((d+2)/2), f - d)``.  ``"screen"`` and ``"exhaustive"`` visit all
    ``C(n + m, n)`` bases.

    Parameters
    ----------
    n, m : int
        Numbers of row and column strategies.
    method : {"pivot", "screen", "exhaustive"}
        The enumeration method.

    Returns
    -------
    int
        The bound, for the larger of the two polytopes.

    Examples
    --------
    >>> basis_bound(10, 10), basis_bound(10, 10, method="screen")
    (4004, 184756)
    """
    f = n + m
    if method != "pivot":
        return math.comb(f, n)
    return max(math.comb(f - (d + 1) // 2, f - d) + math.comb(f - (d + 2) // 2, f - d)
               for d in (n, m))


def check_size(
    n: int, m: int, *, max_seconds: float | None = None, method: str = "pivot"
) -> None:
    """Refuse, before any work, a game whose enumeration may visit too many bases.

    Parameters
    ----------
    n, m : int
        Numbers of row and column strategies.
    max_seconds : float, optional
        The time budget that will be asked for; checked too.
    method : {"pivot", "screen", "exhaustive"}
        The enumeration method (see :func:`extreme_equilibria_exact`).

    Raises
    ------
    GameTooLargeError
        :func:`basis_bound` exceeds :data:`MAX_BASES`.
    GameParameterError
        ``max_seconds`` is not ``None`` or a positive finite number, or ``method`` is not
        one of :data:`METHODS`.

    Examples
    --------
    >>> check_size(16, 16)
    >>> check_size(17, 17)
    Traceback (most recent call last):
    ...
    gametheory.errors.GameTooLargeError: shape = (17, 17): ...
    """
    if method not in METHODS:
        raise GameParameterError("method", method, f"must be one of {list(METHODS)}")
    count = basis_bound(n, m, method=method)
    if count > MAX_BASES:
        raise GameTooLargeError(
            "shape", (n, m),
            f"exact enumeration ({method!r}) may visit up to {count:,} bases per polytope, "
            f"above the limit MAX_BASES = {MAX_BASES:,}")
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


def _screen_vertices(M: IntMatrix, clock: _Clock, *, screen: bool) -> list[_Vertex]:
    """Every non-zero vertex of ``{z >= 0 : M z <= 1}`` (``M`` positive, ``r x d``).

    Every basis is solved; with ``screen=True`` a floating-point screen decides which
    are proved exactly, with ``screen=False`` all are (pure Python).
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


def _lex_min_row(T: IntMatrix, e: int, lexcols: list[int]) -> int:
    """The leaving row for entering column ``e`` by the lexicographic minimum-ratio rule.

    Rows with a positive entry in ``e`` compete on ``(rhs, det * B^-1) / T[i][e]``,
    compared without division; ``-1`` if no entry is positive.
    """
    best = -1
    for i, row in enumerate(T):
        a = row[e]
        if a <= 0:
            continue
        if best < 0:
            best = i
            continue
        top = T[best]
        ab = top[e]
        for k in lexcols:
            x, y = row[k] * ab, top[k] * a
            if x != y:
                if x < y:
                    best = i
                break
    return best


def _pivot(T: IntMatrix, p: int, e: int, det: int) -> IntMatrix:
    """Integer pivot on ``T[p][e]``: row ``p`` kept, others ``(a T_i - T_ie T_p) / det``.

    Every entry stays ``det' * (B'^-1 ...)`` with ``det' = T[p][e]``; the divisions are
    exact (Bareiss).
    """
    rowp = T[p]
    a = rowp[e]
    return [rowp if i == p else
            [(a * x - row[e] * y) // det for x, y in zip(row, rowp, strict=True)]
            for i, row in enumerate(T)]


def _pivot_vertices(M: IntMatrix, clock: _Clock) -> list[_Vertex]:
    """Every non-zero vertex of ``{z >= 0 : M z <= 1}`` by lexicographic pivoting.

    Depth-first search over the lexicographically feasible bases of the tableau
    ``[M | I | 1]`` (variables ``z`` then slacks), starting from the slack basis at
    ``z = 0``.  These bases are the vertices of the perturbed polytope
    ``{M z <= 1 + (eps, eps^2, ...)}``, which is simple and has a connected graph, so
    the search reaches them all; every vertex of the original polytope is the limit of
    one of them.  Integer (fraction-free) pivoting keeps the tableau exact.
    """
    r, d = len(M), len(M[0])
    rhs = d + r
    lexcols = [rhs, *range(d, d + r)]
    start = [[*M[i], *(int(j == i) for j in range(r)), 1] for i in range(r)]
    basis0 = tuple(range(d, d + r))
    visited = {frozenset(basis0)}
    # Children share their parent's tableau until popped (pivot done lazily).
    stack: list[tuple[IntMatrix, int, tuple[int, ...], int, int]] = [(start, 1, basis0, -1, -1)]
    found: dict[tuple[int, ...], _Vertex] = {}
    count = 0
    while stack:
        T, det, basis, p, e = stack.pop()
        if p >= 0:
            T, det = _pivot(T, p, e, det), T[p][e]
        count += 1
        if count % 64 == 0:
            clock.check()
        vertex = _basis_vertex(T, det, basis, d)
        if vertex is not None:
            found.setdefault((*vertex.num, vertex.den), vertex)
        basic = set(basis)
        for col in range(d + r):
            if col in basic:
                continue
            row = _lex_min_row(T, col, lexcols)
            if row < 0:
                continue
            nxt = (*basis[:row], col, *basis[row + 1:])
            key = frozenset(nxt)
            if key not in visited:
                visited.add(key)
                stack.append((T, det, nxt, row, col))
    return list(found.values())


def _basis_vertex(T: IntMatrix, det: int, basis: tuple[int, ...], d: int) -> _Vertex | None:
    """The vertex of a feasible basis with its zero coordinates and tight rows."""
    r = len(T)
    rhs = d + r
    num = [0] * d
    tight = (1 << r) - 1  # slack j nonbasic: row j tight
    for i, v in enumerate(basis):
        value = T[i][rhs]
        if v < d:
            num[v] = value
        elif value != 0:
            tight &= ~(1 << (v - d))
    if not any(num):
        return None
    zero = sum(1 << i for i in range(d) if num[i] == 0)
    g = math.gcd(det, *num)
    return _Vertex(tuple(v // g for v in num), det // g, zero, tight)


def _vertices(M: IntMatrix, clock: _Clock, method: str) -> list[_Vertex]:
    """Every non-zero vertex of ``{z >= 0 : M z <= 1}`` by the chosen method."""
    if method == "pivot":
        return _pivot_vertices(M, clock)
    return _screen_vertices(M, clock, screen=method == "screen")


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
    A: Sequence[Sequence[Fraction | int]],
    B: Sequence[Sequence[Fraction | int]],
    *,
    max_seconds: float | None = None,
    method: str = "pivot",
) -> list[tuple[Vector, Vector]]:
    """Every extreme Nash equilibrium of ``(A, B)``, exactly, sorted.

    Parameters
    ----------
    A, B : n x m nested sequences of Fraction (or int)
        The row and the column player's payoffs.
    max_seconds : float, optional
        Time budget in seconds; checked between batches of at most :data:`CHUNK` bases.
    method : {"pivot", "screen", "exhaustive"}
        ``"pivot"`` (default): lexicographic pivoting over the feasible bases only.
        ``"screen"``: every basis solved in floating point (numpy), candidates proved
        exactly.  ``"exhaustive"``: every basis proved exactly.  All three give the same
        result; they are kept as cross-checks of one another.

    Returns
    -------
    list of (row strategy, column strategy)
        Tuples of :class:`fractions.Fraction`, sorted.

    Raises
    ------
    GameTooLargeError
        :func:`basis_bound` above :data:`MAX_BASES` (checked before any work).
    EnumerationBudgetError
        The budget ``max_seconds`` ran out.
    GameParameterError
        ``max_seconds`` is not a positive finite number, or ``method`` is unknown.

    Examples
    --------
    >>> eqs = extreme_equilibria_exact([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> [(tuple(map(int, x)), tuple(map(int, y))) for x, y in eqs]
    [((0, 1), (0, 1))]
    """
    n, m = len(A), len(A[0])
    check_size(n, m, max_seconds=max_seconds, method=method)
    clock = _Clock(max_seconds)
    a = _integer_matrix([[Fraction(v) for v in row] for row in A])
    b = _integer_matrix([[Fraction(v) for v in row] for row in B])
    bt = [list(col) for col in zip(*b, strict=True)]
    # P = {x >= 0 : B^T x <= 1}: label i when x_i = 0, label n + j when column j is tight.
    verts_p = _vertices(bt, clock, method)
    # Q = {y >= 0 : A y <= 1}: label i when row i is tight, label n + j when y_j = 0.
    verts_q = _vertices(a, clock, method)
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
    """Index pairs ``(i, j)`` with ``lab_p[i] | lab_q[j] == full``.

    The Q vertices carrying each label form a bitset (a Python integer); a P vertex's
    partners are the intersection of the bitsets of the labels it lacks, so memory stays
    linear in the number of vertices.
    """
    if not lab_p or not lab_q:
        return []
    width = full.bit_length()
    labels = np.array([[(q >> k) & 1 for k in range(width)] for q in lab_q], dtype=np.uint8)
    carriers = [int.from_bytes(np.packbits(labels[:, k], bitorder="little").tobytes(),
                               "little") for k in range(width)]
    everyone = (1 << len(lab_q)) - 1
    pairs = []
    for i, p in enumerate(lab_p):
        partners = everyone
        lacking = full & ~p
        while lacking and partners:
            low = lacking & -lacking
            partners &= carriers[low.bit_length() - 1]
            lacking ^= low
        while partners:
            low = partners & -partners
            pairs.append((i, low.bit_length() - 1))
            partners ^= low
    return pairs
