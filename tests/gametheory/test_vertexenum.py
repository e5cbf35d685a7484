"""The fast exact enumeration (gametheory.vertexenum) against independent routes.

* every two-player game that ships with Gambit (``tests/data/gambit``) and every game in
  nashpy's test suite (``tests/data/nashpy``) agrees exactly with pygambit's
  ``enummixed_solve(rational=True)``, as sets of extreme equilibria;
* random small-integer games (many degenerate) agree with the exhaustive enumeration the
  package used before (``reference_extreme``), components included, by all three methods
  (lexicographic pivoting, floating-point screen, every basis proved);
* the fraction-free solve agrees with sympy's rational solve;
* size limit and time budget are checked before work and honoured.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Sequence
from fractions import Fraction as F
from pathlib import Path
from typing import Any

import numpy as np
import pygambit as gbt
import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gametheory import Game
from gametheory.errors import EnumerationBudgetError, GameParameterError, GameTooLargeError
from gametheory.extreme import convex_components, extreme_equilibria
from gametheory.vertexenum import (
    MAX_BASES,
    METHODS,
    _exact_solve,
    basis_bound,
    check_size,
    extreme_equilibria_exact,
)
from tests.gametheory.reference_extreme import (
    reference_convex_components,
    reference_extreme_equilibria,
)

DATA = Path(__file__).parent.parent / "data"
GAMBIT_FILES = sorted((DATA / "gambit").glob("*.nfg"))
NASHPY = json.loads((DATA / "nashpy" / "games.json").read_text())["games"]
STORED = json.loads((DATA / "nashpy" / "gambit_equilibria.json").read_text())["equilibria"]

Eq = tuple[tuple[F, ...], tuple[F, ...]]


def gambit_solve(game: gbt.Game) -> list[Eq]:
    """pygambit's exact extreme equilibria of a two-player game, as sorted Fractions."""
    result = gbt.nash.enummixed_solve(game, rational=True)
    found = {tuple(tuple(F(v) for _, v in eq[p]) for p in game.players)
             for eq in result.equilibria}
    return sorted(found)  # type: ignore[arg-type]  # pairs of Fraction tuples


def arrays(game: gbt.Game) -> tuple[list[list[F]], list[list[F]]]:
    """The game's exact payoff matrices, read by pygambit."""
    A, B = game.to_arrays()
    return ([[F(v) for v in row] for row in A.tolist()],
            [[F(v) for v in row] for row in B.tolist()])


def from_lists(A: Sequence[Sequence[float]], B: Sequence[Sequence[float]]) -> gbt.Game:
    a = np.array([[F(v) for v in row] for row in A], dtype=object)
    b = np.array([[F(v) for v in row] for row in B], dtype=object)
    return gbt.Game.from_arrays(a, b)


# ------------------------------------------------------------- published games
def test_the_gambit_games_are_all_there() -> None:
    """38 two-player .nfg files: 33 from contrib/games, 5 from the catalog."""
    assert len(GAMBIT_FILES) == 38
    assert all(len(gbt.read_nfg(str(f)).players) == 2 for f in GAMBIT_FILES)


@pytest.mark.parametrize("path", GAMBIT_FILES, ids=lambda p: p.stem)
def test_gambit_games_agree_with_gambit(path: Path) -> None:
    game = gbt.read_nfg(str(path))
    A, B = arrays(game)
    assert extreme_equilibria(A, B) == gambit_solve(game)


@pytest.mark.parametrize("entry", NASHPY, ids=lambda e: e["source"].split("::")[1])
def test_nashpy_games_agree_with_gambit(entry: dict[str, Any]) -> None:
    ours = extreme_equilibria(entry["A"], entry["B"])
    expected: Sequence[tuple[tuple[F, ...], ...]]
    if entry["source"] in STORED:  # gambit needs 20 s or more: its stored output
        expected = [tuple(tuple(F(v) for v in s) for s in eq) for eq in STORED[entry["source"]]]
    else:
        expected = gambit_solve(from_lists(entry["A"], entry["B"]))
    assert ours == expected


def test_nashpy_vertex_enumeration_expectations() -> None:
    """nashpy's tests/unit/test_vertex_enumeration.py, exactly instead of np.isclose."""
    A, B = [[3, 3], [2, 5], [0, 6]], [[3, 2], [2, 6], [3, 1]]
    assert extreme_equilibria(A, B) == sorted([
        ((F(1), F(0), F(0)), (F(1), F(0))),
        ((F(0), F(1, 3), F(2, 3)), (F(1, 3), F(2, 3))),
        ((F(4, 5), F(1, 5), F(0)), (F(2, 3), F(1, 3))),
    ])
    half = (F(1, 2), F(1, 2))
    assert extreme_equilibria([[1, -1], [-1, 1]], [[-1, 1], [1, -1]]) == [(half, half)]


def test_nashpy_indifference_game_expectations() -> None:
    """nashpy's test_support_enumeration.py::test_indifference_strategies game: the four
    pure profiles it lists are candidates; the equilibria are the two pure coordinations
    and the mixed one at (1/3, 2/3) for both players (a hand derivation)."""
    A, B = [[2, 1], [0, 2]], [[2, 0], [1, 2]]
    third = (F(1, 3), F(2, 3))
    assert extreme_equilibria(A, B) == [((F(0), F(1)), (F(0), F(1))), (third, third),
                                        ((F(1), F(0)), (F(1), F(0)))]


def test_von_stengel_75_equilibria_are_75_singleton_components() -> None:
    """A non-degenerate game: every extreme equilibrium is its own component (the old
    closure over every subset of the 75 row vertices could not finish)."""
    game = gbt.read_nfg(str(DATA / "gambit" / "dcg_vonstengel1999_6x6_game_with_75_eq.nfg"))
    eqs = extreme_equilibria(*arrays(game))
    comps = convex_components(eqs)
    assert len(eqs) == len(comps) == 75
    assert sorted((c.rows[0], c.cols[0]) for c in comps) == eqs


# ------------------------------------------------------------- random games
def _matrix(n: int, m: int, top: int) -> st.SearchStrategy[list[list[int]]]:
    return st.lists(st.lists(st.integers(0, top), min_size=m, max_size=m),
                    min_size=n, max_size=n)


@st.composite
def small_games(draw: st.DrawFn) -> tuple[list[list[int]], list[list[int]]]:
    """Integer games up to 6 x 6; payoffs in 0..top with top often 1 or 2 (degenerate)."""
    n, m = draw(st.integers(1, 6)), draw(st.integers(1, 6))
    if n * m > 20:  # the reference costs C(n + m, n) Fraction solves: keep big ones few
        n, m = draw(st.sampled_from([(n, m), (min(n, 4), m), (n, min(m, 4))]))
    top = draw(st.sampled_from([1, 2, 3, 9]))
    return draw(_matrix(n, m, top)), draw(_matrix(n, m, top))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_games())
def test_random_games_equal_the_slow_reference(
        game: tuple[list[list[int]], list[list[int]]]) -> None:
    A, B = game
    expected = reference_extreme_equilibria(A, B)
    ours = extreme_equilibria(A, B)
    assert ours == expected
    # The two other enumerations (the default is "pivot").
    assert extreme_equilibria_exact(A, B, method="screen") == expected
    assert extreme_equilibria_exact(A, B, method="exhaustive") == expected
    if len({x for x, _ in expected}) <= 10:  # the reference closure is exponential
        ref = reference_convex_components(expected)
        assert [(c.rows, c.cols) for c in convex_components(ours)] == \
            [(c.rows, c.cols) for c in ref]


@settings(max_examples=25, deadline=None)
@given(st.integers(5, 6), st.data())
def test_random_6x6_games_equal_gambit(n: int, data: st.DataObject) -> None:
    """Larger random games, where the slow reference is too slow: pygambit instead."""
    A, B = data.draw(_matrix(n, 6, 5)), data.draw(_matrix(n, 6, 5))
    assert extreme_equilibria(A, B) == gambit_solve(from_lists(A, B))


def test_float_payoffs_with_huge_denominators_stay_exact() -> None:
    """1e-300 is 2^-997 * odd: the common denominator is about 2^1049, far beyond float
    range; the screen scales, the pivots stay exact (reference: the old enumeration)."""
    A = [[1e-300, 0.1], [0.3, 1 / 3]]
    B = [[0.2, 1e-300], [0.7, 0.25]]
    a, b = [[F(v) for v in r] for r in A], [[F(v) for v in r] for r in B]
    expected = reference_extreme_equilibria(a, b)
    assert extreme_equilibria(A, B) == expected
    for method in METHODS:
        assert extreme_equilibria_exact(a, b, method=method) == expected


@settings(max_examples=80, deadline=None)
@given(st.integers(1, 5).flatmap(
    lambda k: st.lists(st.lists(st.integers(-9, 9), min_size=k + 1, max_size=k + 1),
                       min_size=k, max_size=k)))
def test_fraction_free_solve_equals_sympy(rows: list[list[int]]) -> None:
    k = len(rows)
    M = sp.Matrix([r[:k] for r in rows])
    got = _exact_solve(rows)
    if M.det() == 0:
        assert got is None
        return
    assert got is not None
    num, den = got
    assert den > 0
    expected = M.LUsolve(sp.Matrix([r[k] for r in rows]))
    assert [sp.Rational(v, den) for v in num] == list(expected)


# ------------------------------------------------------------- limits and budget
def _ubt(d: int, f: int) -> int:
    """Vertices of the dual cyclic polytope, by brute force over Gale's evenness condition:
    the d-subsets of f points on the moment curve that are facets (McMullen's maximum)."""
    count = 0
    for subset in itertools.combinations(range(f), d):
        chosen = set(subset)
        gaps = [k for k in range(f) if k not in chosen]
        ok = all(sum(1 for c in subset if a < c < b) % 2 == 0
                 for a, b in itertools.combinations(gaps, 2))
        count += ok
    return count


@pytest.mark.parametrize(("n", "m"), [(1, 1), (2, 2), (3, 3), (2, 5), (4, 4), (5, 3), (6, 6)])
def test_basis_bound_is_the_upper_bound_theorem(n: int, m: int) -> None:
    assert basis_bound(n, m) == max(_ubt(n, n + m), _ubt(m, n + m))
    assert basis_bound(n, m, method="screen") == math.comb(n + m, n)


def test_size_limit_is_documented_and_refuses_up_front() -> None:
    assert basis_bound(16, 16) <= MAX_BASES < basis_bound(17, 17)
    assert basis_bound(11, 11, method="exhaustive") <= MAX_BASES
    assert basis_bound(12, 12, method="exhaustive") > MAX_BASES
    with pytest.raises(GameTooLargeError, match=r"shape = \(17, 17\).*2,163,150.*MAX_BASES"):
        check_size(17, 17)
    big = [[0] * 17 for _ in range(17)]
    with pytest.raises(GameTooLargeError, match="MAX_BASES"):
        extreme_equilibria(big, big)
    small = [[0] * 12 for _ in range(12)]
    with pytest.raises(GameTooLargeError, match="'screen'"):
        extreme_equilibria_exact(small, small, method="screen")


def test_unknown_method_is_named() -> None:
    with pytest.raises(GameParameterError, match="method = 'lrs'"):
        extreme_equilibria_exact([[1]], [[1]], method="lrs")


def test_game_refuses_a_large_game_before_reading_its_payoffs() -> None:
    """The size check comes before the (symbolic) payoff evaluation: a missing parameter
    is not even reported."""
    g = Game([["a"] * 17] * 17, [["0"] * 17] * 17, params=["a"])
    for method in (g.equilibria_at, g.components_at):
        with pytest.raises(GameTooLargeError, match=r"shape = \(17, 17\)"):
            method()


@pytest.mark.parametrize("bad", [0, -1.0, math.nan, math.inf, "1", True])
def test_bad_budget_is_named(bad: Any) -> None:
    with pytest.raises(GameParameterError, match="max_seconds"):
        extreme_equilibria([[1]], [[1]], max_seconds=bad)
    with pytest.raises(GameParameterError, match="max_seconds"):
        Game([[1]], [[1]]).equilibria_at(max_seconds=bad)


def test_budget_is_honoured() -> None:
    """Random 16 x 16 and 12 x 12 games take seconds and half a second of CPU."""
    rng = np.random.default_rng(16)
    A, B = rng.integers(0, 50, (16, 16)).tolist(), rng.integers(0, 50, (16, 16)).tolist()
    with pytest.raises(EnumerationBudgetError, match=r"max_seconds = 0\.05"):
        extreme_equilibria(A, B, max_seconds=0.05)
    A, B = rng.integers(0, 50, (12, 12)).tolist(), rng.integers(0, 50, (12, 12)).tolist()
    with pytest.raises(EnumerationBudgetError, match="max_seconds"):
        Game(A, B).components_at(max_seconds=0.01)


def test_a_generous_budget_changes_nothing() -> None:
    A, B = [[3, 3], [2, 5], [0, 6]], [[3, 2], [2, 6], [3, 1]]
    assert extreme_equilibria(A, B, max_seconds=60) == extreme_equilibria(A, B)
    got = Game(A, B).equilibria_at(max_seconds=60)
    assert next((x.tolist(), y.tolist()) for x, y in got) == ([0.0, 1 / 3, 2 / 3],
                                                              [1 / 3, 2 / 3])
