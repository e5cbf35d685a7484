"""Shared hypothesis strategies and exact helpers for the game-theory tests.

Everything here is independent of :mod:`gametheory`: the seed-001 payoffs are written out
by hand (with :class:`fractions.Fraction`, so they are exact), and degeneracy is decided by
exact linear algebra of our own, so the tests compare the package against an outside
route rather than against itself.

Points are dicts ``{name: float}``; floats convert exactly to fractions, so the exact
payoffs of a point are the payoffs the package must use.

>>> point = {"U0": 1.0, "U": 2.0, "U1": 4.0, "R": 0.5, "W": 4.0, "C": 1.0, "C0": 0.5,
...          "E": 0.2}
>>> inside_monitoring_assumptions(point)
True
>>> A, B = monitoring_payoffs(point)
>>> [[float(v) for v in row] for row in B]
[[3.5, 1.0], [2.0, 2.0]]
>>> is_nondegenerate(A, B)
False
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from fractions import Fraction

from hypothesis import strategies as st

__all__ = [
    "BENEFIT",
    "MONITORING",
    "benefit_payoffs",
    "benefit_points",
    "degenerate_games",
    "exact",
    "given_points",
    "in_mixed_region",
    "inside_monitoring_assumptions",
    "is_nondegenerate",
    "mixed_region_points",
    "monitoring_payoffs",
    "monitoring_points",
    "payoff_games",
]

#: Parameters of the monitoring game (seed 001, Table 2) and the benefit game (Table 1).
MONITORING = ("U0", "U", "U1", "R", "W", "C", "C0", "E")
BENEFIT = ("U", "C")

# Well-conditioned, *dyadic* values: every drawn number is k/64 (levels 0.11..100,
# increments >= 1/16, shares 3/64..61/64), exactly representable as a float, and the
# sums and products built from them below stay exact.  So a payoff difference is either
# exactly zero (caught by :func:`is_nondegenerate`) or at least 64**-4: no near-ties that
# float round-off could flip.
def _grid(low: int, high: int) -> st.SearchStrategy[float]:
    return st.integers(min_value=low, max_value=high).map(lambda k: k / 64)


_level = _grid(7, 6400)
_step = _grid(4, 3200)
_unit = _grid(0, 64)
_share = _grid(3, 61)


def exact(value: float | int | Fraction) -> Fraction:
    """The exact rational value of a number (floats convert without rounding)."""
    return Fraction(value)


# --------------------------------------------------------------------- seed payoffs
def monitoring_payoffs(p: Mapping[str, float | Fraction]) -> tuple[list[list[Fraction]], ...]:
    """Seed 001, Table 2 with its minus signs restored, exactly (written out by hand).

    Rows: monitor / don't monitor; columns: effort / no effort.
    """
    U0, U, U1, R, W, C, C0, E = (exact(p[k]) for k in MONITORING)
    A = [[-U1 * (1 - R) + E, -U0 + E],
         [-U * (1 - R), -U]]
    B = [[R * W + U1 * (1 - R) - C0, U0],
         [R * W + U * (1 - R) - C, U]]
    return A, B


def benefit_payoffs(p: Mapping[str, float]) -> tuple[list[list[Fraction]], ...]:
    """Seed 001, Table 1 (pay / don't pay against effort / no effort), exactly."""
    U, C = exact(p["U"]), exact(p["C"])
    return [[-U, -U], [Fraction(0), Fraction(0)]], [[U - C, U], [-C, Fraction(0)]]


def inside_monitoring_assumptions(p: Mapping[str, float | Fraction]) -> bool:
    """All positive, ``U0 < U < U1``, ``0 <= R <= 1`` -- checked exactly, by hand."""
    q = {k: exact(p[k]) for k in MONITORING}
    positive = all(q[k] > 0 for k in ("U0", "U", "U1", "W", "C", "C0", "E"))
    return positive and q["U0"] < q["U"] < q["U1"] and 0 <= q["R"] <= 1


def in_mixed_region(p: Mapping[str, float]) -> bool:
    """Hand derivation of where the monitoring game's fully mixed equilibrium exists.

    Let ``a`` be the unemployed's gain from effort when monitored and ``b`` when not:
    ``a = RW + U1(1-R) - C0 - U0``, ``b = RW + U(1-R) - C - U``.  The government prefers
    monitoring against no effort always (``E - U0 > -U``) and against effort iff
    ``E > (U1 - U)(1 - R)``.  A fully mixed equilibrium needs the government's best
    response to switch (``E < (U1 - U)(1 - R)``) and the unemployed's to switch too, the
    other way round or the same way (``a * b < 0``); then ``X* = -b/(a - b)`` is in (0, 1).
    """
    q = {k: exact(p[k]) for k in MONITORING}
    a = q["R"] * q["W"] + q["U1"] * (1 - q["R"]) - q["C0"] - q["U0"]
    b = q["R"] * q["W"] + q["U"] * (1 - q["R"]) - q["C"] - q["U"]
    return q["E"] < (q["U1"] - q["U"]) * (1 - q["R"]) and a * b < 0


# --------------------------------------------------------------------- points
@st.composite
def monitoring_points(draw: st.DrawFn) -> dict[str, float]:
    """Any point inside the monitoring game's assumptions (boundaries R = 0, 1 included).

    ``U = U0 + a``, ``U1 = U + b`` with positive increments, so the ordering holds exactly.
    """
    U0 = draw(_level)
    U = U0 + draw(_step)
    U1 = U + draw(_step)
    point = {"U0": U0, "U": U, "U1": U1, "R": draw(_unit), "W": draw(_level),
             "C": draw(_level), "C0": draw(_level), "E": draw(_level)}
    return point


@st.composite
def mixed_region_points(draw: st.DrawFn) -> dict[str, float]:
    """Points where the fully mixed equilibrium exists (see :func:`in_mixed_region`).

    Built, not filtered: with ``W = U1 + w`` the monitored searcher's net gain
    ``K = RW + U1(1-R) - U0`` is positive.  Branch "switch": ``C0 = s K`` (so ``a > 0``)
    and ``C = R(W - U) + c`` (so ``b < 0``).  Branch "both": ``C0 = K + c0`` (``a < 0``)
    and ``C = s R(W - U)`` (``b > 0``).  ``E = t (U1 - U)(1 - R)``.  Every margin is a
    share in [3/64, 61/64] or a step >= 1/16, so the points are well inside the region
    (and exact dyadic rationals: the float arithmetic here does not round).
    """
    U0 = draw(_level)
    U = U0 + draw(_step)
    U1 = U + draw(_step)
    branch = draw(st.sampled_from(["switch", "both"]))
    low = 0 if branch == "switch" else 3
    R = draw(_grid(low, 61))
    W = U1 + draw(_step)
    K = R * W + U1 * (1 - R) - U0
    if branch == "switch":
        C0 = draw(_share) * K
        C = R * (W - U) + draw(_step)
    else:
        C0 = K + draw(_step)
        C = draw(_share) * R * (W - U)
    E = draw(_share) * (U1 - U) * (1 - R)
    point = {"U0": U0, "U": U, "U1": U1, "R": R, "W": W, "C": C, "C0": C0, "E": E}
    return point


@st.composite
def given_points(draw: st.DrawFn) -> dict[str, float]:
    """Points inside the assumptions that also satisfy ``E < (U1 - U)(1 - R)``."""
    point = draw(monitoring_points())
    R = draw(_grid(0, 61))
    point["R"] = R
    point["E"] = draw(_share) * (point["U1"] - point["U"]) * (1 - R)
    return point


@st.composite
def benefit_points(draw: st.DrawFn) -> dict[str, float]:
    """Points of the benefit game: ``U > 0``, ``C > 0``."""
    return {"U": draw(_level), "C": draw(_level)}


# --------------------------------------------------------------------- random games
@st.composite
def payoff_games(
    draw: st.DrawFn, n: int, m: int, *, low: int = -20, high: int = 20
) -> tuple[list[list[int]], list[list[int]]]:
    """An ``n x m`` bimatrix game with integer payoffs in ``[low, high]``.

    Integers keep every comparison exact and the systems well-conditioned; filter with
    :func:`is_nondegenerate` where a nondegenerate game is needed.
    """
    entry = st.integers(min_value=low, max_value=high)
    matrix = st.lists(st.lists(entry, min_size=m, max_size=m), min_size=n, max_size=n)
    return draw(matrix), draw(matrix)


def degenerate_games(n: int, m: int) -> st.SearchStrategy:
    """Small integer games (entries in -2..2): degenerate ones are common."""
    return payoff_games(n, m, low=-2, high=2)


# --------------------------------------------------------------------- degeneracy
def _affine_solutions(rows: list[list[Fraction]], rhs: list[Fraction]) -> tuple[Fraction,
                      ...] | str | None:
    """Solve ``rows z = rhs`` exactly: ``None`` (no solution), a tuple (unique solution)
    or ``"many"`` (a line or more of solutions)."""
    width = len(rows[0])
    aug = [[*r, b] for r, b in zip(rows, rhs, strict=True)]
    pivots = []
    r = 0
    for col in range(width):
        pivot = next((k for k in range(r, len(aug)) if aug[k][col] != 0), None)
        if pivot is None:
            continue
        aug[r], aug[pivot] = aug[pivot], aug[r]
        aug[r] = [v / aug[r][col] for v in aug[r]]
        for k in range(len(aug)):
            if k != r and aug[k][col] != 0:
                f = aug[k][col]
                aug[k] = [a - f * b for a, b in zip(aug[k], aug[r], strict=True)]
        pivots.append(col)
        r += 1
    if any(all(v == 0 for v in row[:-1]) and row[-1] != 0 for row in aug):
        return None
    if len(pivots) < width:
        return "many"
    return tuple(aug[k][-1] for k in range(width))


def _too_many_best_responses(P: list[list[Fraction]]) -> bool:
    """Whether some strategy ``x`` of the player choosing rows of ``P`` (``P[i][j]`` the
    *opponent's* payoff) has more opponent best responses than its support size.

    For every support ``I`` (size ``k``) and every set ``J`` of ``k + 1`` opponent
    strategies, solve ``sum x = 1`` and "all of ``J`` pay the same against ``x``".  A
    unique solution that is a probability vector on ``I`` and makes ``J`` best responses
    is a degeneracy; a non-unique solution set is treated as one (conservatively).
    """
    n, m = len(P), len(P[0])
    for k in range(1, n + 1):
        for I in itertools.combinations(range(n), k):
            for J in itertools.combinations(range(m), k + 1):
                rows = [[Fraction(1)] * k]
                rhs = [Fraction(1)]
                j0 = J[0]
                for j in J[1:]:
                    rows.append([P[i][j] - P[i][j0] for i in I])
                    rhs.append(Fraction(0))
                sol = _affine_solutions(rows, rhs)
                if sol is None:
                    continue
                if isinstance(sol, str):  # "many"
                    return True
                if any(v < 0 for v in sol):
                    continue
                pay = [sum(sol[a] * P[i][j] for a, i in enumerate(I)) for j in range(m)]
                if pay[j0] == max(pay):
                    return True
    return False


def is_nondegenerate(A: Sequence[Sequence[Fraction | int | float]],
                     B: Sequence[Sequence[Fraction | int | float]]) -> bool:
    """Exact test of nondegeneracy (von Stengel 2007, def. 3.2): no mixed strategy with
    support of size ``k`` has more than ``k`` pure best responses (conservative: rank-
    deficient indifference systems count as degenerate).

    >>> is_nondegenerate([[1, 0], [0, 1]], [[1, 0], [0, 1]])
    True
    >>> is_nondegenerate([[1, 1], [0, 0]], [[0, 0], [1, 0]])
    False
    """
    a = [[Fraction(v) for v in row] for row in A]
    b = [[Fraction(v) for v in row] for row in B]
    a_t = [list(col) for col in zip(*a, strict=True)]
    return not (_too_many_best_responses(b) or _too_many_best_responses(a_t))
