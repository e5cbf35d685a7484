"""Numeric equilibria against nashpy, at random points inside the assumptions.

Three routes meet here: the package's exact vertex enumeration (``Game.equilibria_at``),
its symbolic families evaluated by ``Equilibrium.lambdify``, and nashpy's support and
vertex enumeration on the same numbers.  Only nondegenerate games are compared (decided
exactly by ``tests.strategies.is_nondegenerate``, and skipped too when nashpy itself warns
of degeneracy): there the equilibria are finitely many and both libraries must find all.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any
from unittest import mock

import nashpy
import nashpy.algorithms.support_enumeration as nashpy_se
import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from gametheory import Game, models
from tests.strategies import (
    benefit_payoffs,
    benefit_points,
    in_mixed_region,
    inside_monitoring_assumptions,
    is_nondegenerate,
    mixed_region_points,
    monitoring_payoffs,
    monitoring_points,
    payoff_games,
)

TOL = 1e-7
#: An equilibrium (row strategy, column strategy) as float arrays.
Pair = tuple[np.ndarray, np.ndarray]
SEED_EXAMPLES = 300
RANDOM_EXAMPLES = 200
FAMILY_EXAMPLES = 100

MONITORING = models.monitoring_game()
BENEFIT = models.benefit_game()
SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.filter_too_much,
                                                      HealthCheck.too_slow])


# --------------------------------------------------------------------- helpers
def _solve_indifference(A: np.ndarray, rows: Sequence[int] | None = None,
                        columns: Sequence[int] | None = None) -> np.ndarray | bool:
    """nashpy's ``solve_indifference`` with one change: a probability of -1e-12 counts as
    zero.  nashpy keeps a solution only if ``all(prob >= 0)`` *exactly*, so a strategy
    that should be 0 but comes out of ``numpy.linalg.solve`` as -5e-17 is dropped and the
    equilibrium silently lost (e.g. A = [[-4, 8, 0], [0, 0, 0], [-3, 1, 2]],
    B = [[0, 0, 3], [4, -1, 1], [-4, -1, -2]]: nashpy finds 1 of the 3 equilibria that
    pygambit and nashpy's own vertex enumeration find).  Same tolerance idea as passing
    ``tol=1e-10``; the rest of nashpy's algorithm is untouched."""
    M = (A[np.array(rows)] - np.roll(A[np.array(rows)], 1, axis=0))[:-1]
    assert rows is not None and columns is not None  # nashpy always passes both
    zero_columns = set(range(A.shape[1])) - set(columns)
    if zero_columns:
        M = np.append(M, [[int(i == j) for i, _ in enumerate(M.T)] for j in zero_columns],
                      axis=0)
    M = np.append(M, np.ones((1, M.shape[1])), axis=0)
    b = np.append(np.zeros(len(M) - 1), [1])
    try:
        prob = np.linalg.solve(M, b)
    except np.linalg.LinAlgError:
        return False
    if all(prob >= -1e-12):
        return np.where(prob < 0, 0.0, prob)
    return False


def _floats(M: Sequence[Sequence[Any]]) -> np.ndarray:
    return np.array([[float(v) for v in row] for row in M], dtype=float)


def nashpy_equilibria(A: np.ndarray, B: np.ndarray, *,
                      reject: Callable[[bool], object] = assume) -> tuple[list[Pair], list[Pair]]:
    """nashpy's support and vertex enumeration of ``(A, B)``.

    For vertex enumeration the payoffs are shifted to be >= 1 first (equilibria do not
    change): nashpy's own shift leaves zeros, which can make a best-response polytope
    unbounded.  Support enumeration gets the payoffs unshifted: its exact-equality test of
    best responses is sensitive to the round-off a shift adds.  A nashpy degeneracy
    warning means the example cannot be compared: it is rejected.
    """
    shifted = nashpy.Game(A - A.min() + 1.0, B - B.min() + 1.0)
    with warnings.catch_warnings(record=True) as caught, \
            mock.patch.object(nashpy_se, "solve_indifference", _solve_indifference):
        warnings.simplefilter("always")
        support = [(np.asarray(x), np.asarray(y))
                   for x, y in nashpy.Game(A, B).support_enumeration(tol=1e-10)]
        vertex = [(np.asarray(x), np.asarray(y)) for x, y in shifted.vertex_enumeration()]
    reject(not any("degenerate" in str(w.message) for w in caught))
    return support, vertex


def _close(e: Pair, f: Pair) -> bool:
    return (e[0].shape == f[0].shape and e[1].shape == f[1].shape
            and np.allclose(e[0], f[0], atol=TOL, rtol=0)
            and np.allclose(e[1], f[1], atol=TOL, rtol=0))


def _dedup(eqs: list[Pair]) -> list[Pair]:
    out: list[Pair] = []
    for e in eqs:
        if not any(_close(e, f) for f in out):
            out.append(e)
    return out


def assert_same_set(ours: list[Pair], theirs: list[Pair], what: str) -> None:
    """Equal as sets of strategy pairs, matching within ``TOL``."""
    ours_u, theirs_u = _dedup(ours), _dedup(theirs)
    missing = [f for f in theirs_u if not any(_close(e, f) for e in ours_u)]
    extra = [e for e in ours_u if not any(_close(e, f) for f in theirs_u)]
    assert not missing and not extra, (
        f"{what}: missing {missing}, extra {extra}; ours {ours_u}, theirs {theirs_u}")
    assert len(ours_u) == len(ours), f"duplicates in equilibria_at: {ours}"


def assert_families_match(game: Game, values: dict[str, float], theirs: list[Pair]) -> None:
    """Every family valid at the point is one of ``theirs``; each of ``theirs`` is matched
    by a valid family."""
    valid = []
    for fam in game.equilibria():
        out = fam.lambdify()(**values)
        assert out.row.shape == (game.shape[0],) and out.col.shape == (game.shape[1],)
        if bool(out.valid):
            valid.append((np.asarray(out.row, dtype=float), np.asarray(out.col, dtype=float),
                          fam.label))
    for x, y, label in valid:
        assert any(_close((x, y), f) for f in theirs), (
            f"family {label} is valid at {values} with {(x, y)} but not an equilibrium "
            f"per nashpy: {theirs}")
    for f in theirs:
        assert any(_close((x, y), f) for x, y, _ in valid), (
            f"nashpy equilibrium {f} at {values} is matched by no valid family "
            f"(valid: {[lab for *_, lab in valid]})")


def _monitoring_nashpy(point: dict[str, float]) -> tuple[list[Pair], list[Pair]]:
    A_exact, B_exact = monitoring_payoffs(point)
    assume(is_nondegenerate(A_exact, B_exact))
    A, B = MONITORING.to_nashpy(**point).payoff_matrices
    # to_nashpy must carry the seed's payoffs (hand-written in tests/strategies.py).
    np.testing.assert_allclose(A, _floats(A_exact), rtol=1e-13, atol=1e-13)
    np.testing.assert_allclose(B, _floats(B_exact), rtol=1e-13, atol=1e-13)
    return nashpy_equilibria(A, B)


# --------------------------------------------------------------------- seed games
@settings(SETTINGS, max_examples=SEED_EXAMPLES)
@given(point=monitoring_points())
def test_monitoring_equilibria_at_and_families_equal_nashpy(point: dict[str, float]) -> None:
    assert inside_monitoring_assumptions(point)
    support, vertex = _monitoring_nashpy(point)
    ours = MONITORING.equilibria_at(**point)
    assert_same_set(ours, support, "support enumeration")
    assert_same_set(ours, vertex, "vertex enumeration")
    assert_families_match(MONITORING, point, support)


@settings(SETTINGS, max_examples=SEED_EXAMPLES)
@given(point=mixed_region_points())
def test_monitoring_mixed_region_equals_nashpy(point: dict[str, float]) -> None:
    """Also the families: in the mixed region the mixed family's mask must be true."""
    assert inside_monitoring_assumptions(point) and in_mixed_region(point)
    support, vertex = _monitoring_nashpy(point)
    ours = MONITORING.equilibria_at(**point)
    assert_same_set(ours, support, "support enumeration")
    assert_same_set(ours, vertex, "vertex enumeration")
    # In the mixed region nashpy must find a fully mixed equilibrium, so the comparison
    # above covered the interior solution, not only pure ones.
    assert any((x > TOL).all() and (y > TOL).all() for x, y in support)
    assert_families_match(MONITORING, point, support)


@settings(SETTINGS, max_examples=SEED_EXAMPLES)
@given(point=benefit_points())
def test_benefit_equilibria_at_equals_nashpy(point: dict[str, float]) -> None:
    A_exact, B_exact = benefit_payoffs(point)
    assume(is_nondegenerate(A_exact, B_exact))
    A, B = BENEFIT.to_nashpy(**point).payoff_matrices
    np.testing.assert_allclose(A, _floats(A_exact), rtol=1e-13, atol=1e-13)
    np.testing.assert_allclose(B, _floats(B_exact), rtol=1e-13, atol=1e-13)
    support, vertex = nashpy_equilibria(A, B)
    ours = BENEFIT.equilibria_at(**point)
    assert_same_set(ours, support, "support enumeration")
    assert_same_set(ours, vertex, "vertex enumeration")
    assert_families_match(BENEFIT, point, support)
    # Seed 001 §2.1: "don't pay / no effort" is the (unique) equilibrium.
    assert len(ours) == 1
    np.testing.assert_array_equal(ours[0][0], [0.0, 1.0])
    np.testing.assert_array_equal(ours[0][1], [0.0, 1.0])


# --------------------------------------------------------------------- random games
def _random_game(A: list[list[int]], B: list[list[int]]) -> tuple[Game, list[Pair], list[Pair]]:
    assume(is_nondegenerate(A, B))
    support, vertex = nashpy_equilibria(np.array(A, dtype=float), np.array(B, dtype=float))
    return Game(A, B), support, vertex


@pytest.mark.parametrize("shape", [(2, 2), (3, 3), (2, 3), (3, 2)])
@settings(SETTINGS, max_examples=RANDOM_EXAMPLES)
@given(data=st.data())
def test_random_games_equilibria_at_equals_nashpy(shape: tuple[int, int],
                                                  data: st.DataObject) -> None:
    A, B = data.draw(payoff_games(*shape), label="(A, B)")
    g, support, vertex = _random_game(A, B)
    ours = g.equilibria_at()
    assert_same_set(ours, support, "support enumeration")
    assert_same_set(ours, vertex, "vertex enumeration")
    # A nondegenerate game has an odd number of equilibria (Shapley 1974).
    assert len(ours) % 2 == 1


@pytest.mark.parametrize("shape", [(2, 2), (3, 3)])
@settings(SETTINGS, max_examples=FAMILY_EXAMPLES)
@given(data=st.data())
def test_random_games_families_match_nashpy(shape: tuple[int, int], data: st.DataObject) -> None:
    A, B = data.draw(payoff_games(*shape), label="(A, B)")
    g, support, _ = _random_game(A, B)
    assert_families_match(g, {}, support)


# ------------------------------------------------------------ symbolic n x m games
#: Parametrised games beyond the seed's 2 x 2, each with its payoffs typed twice: as
#: text for the package and as a Python function (exact, by hand) for the reference.
SYMBOLIC: dict[str, tuple[Game, Callable[..., tuple[list[list[Any]], list[list[Any]]]]]] = {
    "3x3 in a, b": (
        Game([["a", "0", "1"], ["0", "b", "2"], ["1", "2", "0"]],
             [["b", "1", "0"], ["2", "a", "1"], ["0", "1", "3"]],
             params=["a", "b"], assumptions=["a > 0", "b > 0"]),
        lambda a, b: ([[a, 0, 1], [0, b, 2], [1, 2, 0]], [[b, 1, 0], [2, a, 1], [0, 1, 3]]),
    ),
    "2x3 in a, b, c": (
        Game([["a", "0", "b"], ["0", "1", "c"]], [["1", "a", "0"], ["0", "b", "1"]],
             params=["a", "b", "c"], assumptions=["a > 0", "b > 0", "c > 0"]),
        lambda a, b, c: ([[a, 0, b], [0, 1, c]], [[1, a, 0], [0, b, 1]]),
    ),
    "rock-paper-scissors, win w": (
        Game([["0", "-1", "w"], ["w", "0", "-1"], ["-1", "w", "0"]],
             [["0", "1", "-w"], ["-w", "0", "1"], ["1", "-w", "0"]],
             params=["w"], assumptions=["w > 0"]),
        lambda w: ([[0, -1, w], [w, 0, -1], [-1, w, 0]], [[0, 1, -w], [-w, 0, 1], [1, -w, 0]]),
    ),
}
_positive = st.integers(min_value=4, max_value=400).map(lambda k: k / 64)


@pytest.mark.parametrize("name", sorted(SYMBOLIC))
@settings(SETTINGS, max_examples=FAMILY_EXAMPLES)
@given(data=st.data())
def test_symbolic_n_by_m_games_match_nashpy(name: str, data: st.DataObject) -> None:
    """Symbolic support enumeration beyond 2 x 2: at random parameter points the families
    whose condition holds are exactly nashpy's equilibria, and so is ``equilibria_at``."""
    game, payoffs = SYMBOLIC[name]
    values = {k: data.draw(_positive, label=k) for k in game.params}
    A_exact, B_exact = payoffs(*(Fraction(values[k]) for k in game.params))
    assume(is_nondegenerate(A_exact, B_exact))
    A, B = game.payoffs_at(**values)
    np.testing.assert_array_equal(A, _floats(A_exact))
    np.testing.assert_array_equal(B, _floats(B_exact))
    support, vertex = nashpy_equilibria(A, B)
    ours = game.equilibria_at(**values)
    assert_same_set(ours, support, "support enumeration")
    assert_same_set(ours, vertex, "vertex enumeration")
    assert_families_match(game, values, support)


def _must_hold(condition: bool) -> None:
    assert condition, "nashpy warned that a game with continuous payoffs is degenerate"


def test_random_float_games_equilibria_at_equals_nashpy() -> None:
    """Continuous payoffs (nondegenerate with probability one), exact float conversion."""
    rng = np.random.default_rng(20240325)
    compared = 0
    for _ in range(40):
        n, m = rng.integers(2, 4, size=2)
        A = rng.uniform(-10, 10, size=(n, m)).round(3)
        B = rng.uniform(-10, 10, size=(n, m)).round(3)
        if not is_nondegenerate(A.tolist(), B.tolist()):
            continue
        support, vertex = nashpy_equilibria(A, B, reject=_must_hold)
        ours = Game(A, B).equilibria_at()
        assert_same_set(ours, support, "support enumeration")
        assert_same_set(ours, vertex, "vertex enumeration")
        compared += 1
    assert compared >= 30


def test_exact_payoffs_used_for_fractions(
        ) -> None:
    """Fractions pass through exactly: a point given as Fractions or as the equal floats
    gives the same equilibria."""
    point: dict[str, Any] = {"U0": Fraction(1), "U": Fraction(2), "U1": Fraction(4),
                             "R": Fraction(1, 2), "W": Fraction(3), "C": Fraction(1),
                             "C0": Fraction(1, 2), "E": Fraction(1, 5)}
    as_float: dict[str, Any] = {k: float(v) for k, v in point.items()}
    a, b = MONITORING.equilibria_at(**point), MONITORING.equilibria_at(**as_float)
    # E = 0.2 is not 1/5 as a float, but the game is far from degenerate: same answer.
    assert len(a) == len(b) == 1
    assert _close(a[0], b[0])
    # Hand derivation at this point: a = RW + U1(1-R) - C0 - U0 = 2, b = R(W-U) - C =
    # -1/2, so X* = -b/(a - b) = 1/5; Y* = (U - U0 + E)/((U1 - U0) - R(U1 - U)) = 3/5.
    np.testing.assert_allclose(a[0][0], [0.2, 0.8], atol=1e-12)
    np.testing.assert_allclose(a[0][1], [0.6, 0.4], atol=1e-12)


def test_equilibria_at_keeps_payoffs_exact() -> None:
    """A payoff 2**-40 away from a tie must not be rounded onto the tie.

    Hand derivation at U0=1, U=2, U1=4, R=1/2, W=4, C0=1/2, E=1/4, C = 1 - 2**-40:
    the unemployed gain from effort a = RW + U1(1-R) - C0 - U0 = 5/2 when monitored and
    b = RW + U(1-R) - C - U = 2**-40 > 0 when not: effort strictly dominant.  Against
    effort the government compares E = 1/4 with (U1 - U)(1 - R) = 1: don't monitor.  The
    game is nondegenerate with the single equilibrium (don't monitor, effort).  Were the
    payoff RW + U(1-R) - C = 2 + 2**-40 rounded to 2, the unemployed would be indifferent
    against "don't monitor" and a spurious continuum y in [5/8, 1] would appear.
    """
    point = {"U0": 1, "U": 2, "U1": 4, "R": 0.5, "W": 4, "C": 1 - 2.0**-40, "C0": 0.5,
             "E": 0.25}
    A_exact, B_exact = monitoring_payoffs(point)
    assert B_exact[1][0] == 2 + Fraction(1, 2**40)
    assert is_nondegenerate(A_exact, B_exact)
    _A, B = MONITORING.payoffs_at(**point)
    assert B[1, 0] == float(B_exact[1][0]) != 2.0
    ours = MONITORING.equilibria_at(**point)
    assert len(ours) == 1, ours
    np.testing.assert_array_equal(ours[0][0], [0.0, 1.0])
    np.testing.assert_array_equal(ours[0][1], [1.0, 0.0])
