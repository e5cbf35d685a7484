"""Benchmarks of the exact equilibrium enumeration (issue 16; ``make bench``).

1. The 38 two-player games that ship with Gambit (``tests/data/gambit``), all together and
   one by one, for ``gametheory.extreme.extreme_equilibria`` and for pygambit's
   ``enummixed_solve(rational=True)`` in the same run (group per game: read the two rows
   side by side).  Target: Gambit's time or better in total, the 8x8 game under 1 s.
2. Random n x n integer games (payoffs -20..20, seeded), n = 2, 4, 6, 8, 10, both solvers.
   ``tests/benchmarks/vertexenum_scaling.py`` draws the figure and table in
   ``docs/explanation/exact-equilibria.md`` for n = 2..10.

3. The three enumeration methods (pivot, screen, exhaustive) on one random 10 x 10 game.

Each benchmark checks that the solvers agree, so real, identical work is timed; no
timing is asserted.  The gambit/uipolicy ratio of the totals is printed and kept in
``extra_info``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import numpy as np
import pygambit as gbt
import pytest
from pytest_benchmark.fixture import BenchmarkFixture

from gametheory.extreme import extreme_equilibria
from gametheory.vertexenum import extreme_equilibria_exact
from tests.benchmarks.timing import bench_stats

DATA = Path(__file__).parents[1] / "data" / "gambit"
FILES = sorted(DATA.glob("*.nfg"))
GAMES = {f.stem: gbt.read_nfg(str(f)) for f in FILES}
SEED = 16


def _arrays(game: gbt.Game) -> tuple[list[list[Fraction]], list[list[Fraction]]]:
    A, B = game.to_arrays()
    return ([[Fraction(v) for v in r] for r in A.tolist()],
            [[Fraction(v) for v in r] for r in B.tolist()])


PAYOFFS = {name: _arrays(g) for name, g in GAMES.items()}


def ours(name: str) -> list[tuple[tuple[Fraction, ...], tuple[Fraction, ...]]]:
    return extreme_equilibria(*PAYOFFS[name])


def gambit(game: gbt.Game) -> list[tuple[tuple[Fraction, ...], ...]]:
    result = gbt.nash.enummixed_solve(game, rational=True)
    return sorted({tuple(tuple(Fraction(v) for _, v in eq[p]) for p in game.players)
                   for eq in result.equilibria})


def _best_of(fn: Callable[[], object], repeats: int = 3) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def test_all_gambit_games_total(benchmark: BenchmarkFixture) -> None:
    """All 38 games, ours timed by pytest-benchmark, gambit's best of 3 in the same run."""
    expected = {name: gambit(g) for name, g in GAMES.items()}
    got = benchmark.pedantic(lambda: {name: ours(name) for name in GAMES},
                             rounds=3, iterations=1)
    assert got == expected
    gambit_s = _best_of(lambda: [gambit(g) for g in GAMES.values()])
    ours_s = bench_stats(benchmark).min
    benchmark.extra_info.update(gambit_s=gambit_s, ratio_gambit_over_ours=gambit_s / ours_s)
    print(f"\n38 Gambit games: uipolicy {ours_s:.3f} s, gambit {gambit_s:.3f} s, "
          f"gambit/uipolicy = {gambit_s / ours_s:.2f}")


@pytest.mark.parametrize("solver", ["uipolicy", "gambit"])
@pytest.mark.parametrize("name", sorted(GAMES))
def test_each_gambit_game(benchmark: BenchmarkFixture, name: str, solver: str) -> None:
    benchmark.group = f"gambit game {name}"
    game = GAMES[name]
    fn = (lambda: ours(name)) if solver == "uipolicy" else (lambda: gambit(game))
    rounds = 3 if sum(len(p.strategies) for p in game.players) > 12 else 10
    result = benchmark.pedantic(fn, rounds=rounds, iterations=1)
    assert result == gambit(game)


@pytest.mark.parametrize("solver", ["uipolicy", "gambit"])
@pytest.mark.parametrize("n", [2, 4, 6, 8, 10])
def test_random_square_games(benchmark: BenchmarkFixture, n: int, solver: str) -> None:
    benchmark.group = f"random {n}x{n}"
    rng = np.random.default_rng([SEED, n])
    A, B = rng.integers(-20, 21, (n, n)).tolist(), rng.integers(-20, 21, (n, n)).tolist()
    game = gbt.Game.from_arrays(np.array(A, dtype=object), np.array(B, dtype=object))
    expected = gambit(game)
    fn = (lambda: extreme_equilibria(A, B)) if solver == "uipolicy" else (lambda: gambit(game))
    result = benchmark.pedantic(fn, rounds=1 if n >= 8 else 3, iterations=1)
    assert result == expected


@pytest.mark.parametrize("method", ["pivot", "screen", "exhaustive"])
def test_methods_random_10x10(benchmark: BenchmarkFixture, method: str) -> None:
    """The three enumerations of ``extreme_equilibria_exact`` on one random 10 x 10 game."""
    benchmark.group = "methods, random 10x10"
    rng = np.random.default_rng([SEED, 10])
    A, B = rng.integers(-20, 21, (10, 10)).tolist(), rng.integers(-20, 21, (10, 10)).tolist()
    expected = extreme_equilibria(A, B)
    result = benchmark.pedantic(lambda: extreme_equilibria_exact(A, B, method=method),
                                rounds=1, iterations=1)
    assert result == expected
