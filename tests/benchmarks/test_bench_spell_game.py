"""Benchmark of the spell game (issue 14 part 2; ``make bench``, not part of ``make test``).

``models.spell_game(12).solve`` (backward induction over 12 months, every stage family
evaluated vectorised, the government's selection) over 10**6 parameter points, in ns per
point, against a plain-Python loop doing the same backward induction one point at a time
(2 x 2 stage games solved by best responses and the indifference formulas), timed in the
same run over 2,000 of the points.  No timing is asserted; the assertions check that real
work was timed (the two routes agree on the baseline's points).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from pytest_benchmark.fixture import BenchmarkFixture

from gametheory import models
from gametheory.dynamic import SpellArrays

T = 12
N_POINTS = 10**6
N_LOOP = 2_000
SEED = 20261201
Point = tuple[float, ...]


def random_points(n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Points inside the spell game's assumptions (U0 < U < U1, 0 <= R, delta <= 1)."""
    U0 = rng.uniform(0.5, 1.5, n)
    U = U0 + rng.uniform(0.1, 1.0, n)
    U1 = U + rng.uniform(0.1, 2.0, n)
    return {"U0": U0, "U": U, "U1": U1, "R": rng.uniform(0.0, 1.0, n),
            "W": rng.uniform(1.0, 20.0, n), "C": rng.uniform(0.1, 3.0, n),
            "C0": rng.uniform(0.1, 3.0, n), "E": rng.uniform(0.01, 2.0, n),
            "delta": rng.uniform(0.8, 1.0, n)}


def _stage_equilibria(A: list[list[float]], B: list[list[float]]
                      ) -> list[tuple[float, float]]:
    """``(x, y)`` = P(monitor), P(effort) of every equilibrium of a 2 x 2 game."""
    out = []
    for i in (0, 1):
        for j in (0, 1):
            if A[i][j] >= A[1 - i][j] and B[i][j] >= B[i][1 - j]:
                out.append((1.0 - i, 1.0 - j))
    den_y = A[0][0] - A[0][1] - A[1][0] + A[1][1]
    den_x = B[0][0] - B[1][0] - B[0][1] + B[1][1]
    if den_x and den_y:
        y = (A[1][1] - A[0][1]) / den_y
        x = (B[1][1] - B[1][0]) / den_x
        if 0 < x < 1 and 0 < y < 1:
            out.append((x, y))
    return out


def loop_one(p: Point) -> tuple[float, float]:
    """Month 1's P(monitor) and the claimant's value, by a plain-Python backward induction."""
    U0, U, U1, R, W, C, C0, E, d = p
    v = g = 0.0
    x1 = 0.0
    for _ in range(T):
        s = 1 - R
        A = [[E - s * U1 + d * s * g, E - U0 + d * g], [-s * U + d * s * g, -U + d * g]]
        B = [[R * W + s * (U1 + d * v) - C0, U0 + d * v],
             [R * W + s * (U + d * v) - C, U + d * v]]
        best = None
        for x, y in _stage_equilibria(A, B):
            xs, ys = (x, 1 - x), (y, 1 - y)
            gv = sum(xs[i] * A[i][j] * ys[j] for i in (0, 1) for j in (0, 1))
            cv = sum(xs[i] * B[i][j] * ys[j] for i in (0, 1) for j in (0, 1))
            if best is None or gv > best[0]:
                best = (gv, cv, x)
        assert best is not None  # a 2 x 2 game always has an equilibrium
        g, v, x1 = best
    return x1, v


def _best_of(fn: Callable[[], object], repeats: int = 3) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


@pytest.mark.benchmark(group="gametheory-spell")
def test_bench_spell_game_12_months(benchmark: BenchmarkFixture,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    points: dict[str, Any] = random_points(N_POINTS, np.random.default_rng(SEED))
    game = models.spell_game(T)
    game.solve(**{k: v[:100] for k, v in points.items()})  # derive + compile, untimed

    def run() -> SpellArrays:
        return game.solve(**points)

    out: SpellArrays = benchmark.pedantic(run, rounds=3, iterations=1)
    names = list(game.params)
    rows = [tuple(float(points[k][i]) for k in names) for i in range(N_LOOP)]
    loop_s = _best_of(lambda: [loop_one(p) for p in rows]) / N_LOOP
    # Real work was timed: every point solved, and the two routes agree.
    assert bool(out.solved.all())
    loop = np.array([loop_one(p) for p in rows])
    np.testing.assert_allclose(out.row[0, 0, :N_LOOP], loop[:, 0], atol=1e-9)
    np.testing.assert_allclose(out.claimant_value[0, :N_LOOP], loop[:, 1], rtol=1e-9)
    assert benchmark.stats is not None
    per_point = benchmark.stats.stats.min / N_POINTS
    branching = float((out.n_equilibria > 1).any(axis=0).mean())
    benchmark.extra_info.update({"T": T, "points": N_POINTS, "ours_s_per_point": per_point,
                                 "loop_s_per_point": loop_s, "speedup": loop_s / per_point,
                                 "share_of_points_with_branching": branching})
    with capsys.disabled():
        print(f"\n[gametheory] spell_game({T}).solve over {N_POINTS:,} points: "
              f"{per_point * 1e9:.0f} ns/point | plain-Python loop {loop_s * 1e9:,.0f} "
              f"ns/point -> {loop_s / per_point:,.1f}x | points with several equilibria "
              f"in some month: {branching:.1%}")
