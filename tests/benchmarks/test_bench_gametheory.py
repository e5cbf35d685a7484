"""Benchmarks of the game-theory layer (``make bench``; not part of ``make test``).

1. Deriving the monitoring game's equilibria with their conditions and the three seed
   statics (dY/dU, dY/dU1, dY/dR) from a freshly built game, sympy's cache warm.
   Target (issue 2): under 1 s.
2. The lambdified equilibria over 10**6 parameter points against the peers that solve one
   numeric game at a time: quantecon's numba-compiled ``support_enumeration`` (timed over
   2,000 games after a JIT warm-up call) and nashpy's ``support_enumeration`` (200 games).
   Reported per point / per game and as ratios, in ``benchmark.extra_info`` and printed.
   Two variants: the mixed family only (strategies and validity mask), and every family
   (the 4 pure ones and the mixed one), which is what the peers compute.

No timing is asserted; the assertions only check that real work was timed.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import nashpy
import numpy as np
import pytest
from pytest_benchmark.fixture import BenchmarkFixture
from quantecon.game_theory import NormalFormGame
from quantecon.game_theory import support_enumeration as qe_support_enumeration

from gametheory import models
from gametheory.equilibrium import Equilibrium
from gametheory.statics import Statics
from tests.benchmarks.timing import bench_stats

N_POINTS = 10**6
N_QUANTECON = 2_000
N_NASHPY = 200
SEED = 20240325


def random_points(n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Points inside the monitoring game's assumptions (U0 < U < U1, 0 <= R <= 1, > 0)."""
    U0 = rng.uniform(0.5, 1.5, n)
    U = U0 + rng.uniform(0.1, 1.0, n)
    U1 = U + rng.uniform(0.1, 2.0, n)
    return {"U0": U0, "U": U, "U1": U1, "R": rng.uniform(0.0, 1.0, n),
            "W": rng.uniform(1.0, 10.0, n), "C": rng.uniform(0.1, 3.0, n),
            "C0": rng.uniform(0.1, 3.0, n), "E": rng.uniform(0.01, 2.0, n)}


def payoff_matrices(p: dict[str, np.ndarray], k: int) -> tuple[np.ndarray, np.ndarray]:
    """Seed 001 Table 2 at the k-th point (written out as in tests/strategies.py)."""
    U0, U, U1, R, W, C, C0, E = (float(p[n][k]) for n in models.MONITORING_PARAMS)
    A = np.array([[-U1 * (1 - R) + E, -U0 + E], [-U * (1 - R), -U]])
    B = np.array([[R * W + U1 * (1 - R) - C0, U0], [R * W + U * (1 - R) - C, U]])
    return A, B


def _best_of(fn: Callable[[], object], repeats: int = 5) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


@pytest.fixture(scope="module")
def points() -> dict[str, np.ndarray]:
    return random_points(N_POINTS, np.random.default_rng(SEED))


@pytest.fixture(scope="module")
def peers(points: dict[str, np.ndarray]) -> dict[str, float]:
    """Seconds per 2x2 game for quantecon (numba) and nashpy, on the benchmark's points."""
    qe_games = [NormalFormGame(np.dstack(payoff_matrices(points, k)))
                for k in range(N_QUANTECON)]
    qe_support_enumeration(qe_games[0])  # JIT compilation, untimed

    def run_quantecon() -> None:
        for g in qe_games:
            qe_support_enumeration(g)

    np_games = [nashpy.Game(*payoff_matrices(points, k)) for k in range(N_NASHPY)]

    def run_nashpy() -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            for g in np_games:
                list(g.support_enumeration())

    return {"quantecon": _best_of(run_quantecon) / N_QUANTECON,
            "nashpy": _best_of(run_nashpy, repeats=3) / N_NASHPY}


def derive_all() -> tuple[tuple[Equilibrium, ...], list[Statics]]:
    game = models.monitoring_game()
    families = game.equilibria()
    statics = [game.statics("Y", wrt) for wrt in ("U", "U1", "R")]
    return families, statics


@pytest.mark.benchmark(group="gametheory-derive")
def test_bench_derive_monitoring_game(benchmark: BenchmarkFixture,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    derive_all()  # warm sympy's cache (untimed)
    families, statics = benchmark.pedantic(derive_all, rounds=5, iterations=1)
    assert len(families) == 4 and all(s.sign for s in statics)
    seconds = bench_stats(benchmark).median
    benchmark.extra_info["derive_median_s"] = seconds
    benchmark.extra_info["target_s"] = 1.0
    with capsys.disabled():
        print(f"\n[gametheory] derive equilibria + conditions + 3 statics (warm): "
              f"median {seconds:.3f} s (target < 1 s)")


def _evaluate_all(functions: Sequence[Callable[..., Any]], points: dict[str, np.ndarray]
                  ) -> list[Any]:
    return [f(**points) for f in functions]


@pytest.mark.benchmark(group="gametheory-lambdify")
@pytest.mark.parametrize("variant", ["mixed", "all families", "all families, fused"])
def test_bench_lambdified_vs_peers(benchmark: BenchmarkFixture, capsys: pytest.CaptureFixture[str],
                                   points: dict[str, np.ndarray], peers: dict[str, float],
                                   variant: str) -> None:
    game = models.monitoring_game()
    if variant == "mixed":
        families = [game.mixed_equilibrium()]
    else:
        families = list(game.equilibria(include_impossible=True))
        assert [f.kind for f in families].count("pure") == 4
    if variant == "all families, fused":  # one pass over the inputs for every family
        fused = game.lambdify_equilibria(include_impossible=True)
        functions: list[Callable[..., Any]] = [fused]
    else:
        functions = [f.lambdify() for f in families]
    _evaluate_all(functions, {k: v[:1000] for k, v in points.items()})  # warm-up, untimed
    outputs = benchmark.pedantic(_evaluate_all, args=(functions, points), rounds=5,
                                 iterations=1, warmup_rounds=1)
    # Real work was timed: every point evaluated, and the masks are not trivial.
    if variant == "all families, fused":
        outputs = list(outputs[0])
        assert len(outputs) == len(families)
    assert all(o.valid.shape == (N_POINTS,) for o in outputs)
    assert 0 < sum(int(o.valid.sum()) for o in outputs)
    per_point = bench_stats(benchmark).min / N_POINTS
    info = {
        "variant": variant,
        "families": len(families),
        "points": N_POINTS,
        "ours_s_per_point": per_point,
        "quantecon_s_per_game": peers["quantecon"],
        "nashpy_s_per_game": peers["nashpy"],
        "speedup_vs_quantecon": peers["quantecon"] / per_point,
        "speedup_vs_nashpy": peers["nashpy"] / per_point,
    }
    benchmark.extra_info.update(info)
    with capsys.disabled():
        print(f"\n[gametheory] lambdified {variant} ({len(families)} families) over "
              f"{N_POINTS:,} points: {per_point * 1e9:.1f} ns/point | quantecon "
              f"{peers['quantecon'] * 1e6:.1f} us/game -> {info['speedup_vs_quantecon']:,.0f}x"
              f" | nashpy {peers['nashpy'] * 1e6:.0f} us/game -> "
              f"{info['speedup_vs_nashpy']:,.0f}x")
