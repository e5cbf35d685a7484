"""Benchmarks of the Bayesian-game and QRE code (``make bench``; not part of ``make test``).

1. Deriving every Bayes-Nash family (with conditions) of the two-type monitoring game from
   a freshly built game, sympy's cache warm: all ten parameters symbolic (target of
   issue 14: under 5 s), and with the seed's money numbers fixed (``R_H, R_L, p``
   symbolic).
2. The logit-QRE trace (``gametheory.qre.logit_qre``) against pygambit's
   ``logit_solve_lambda`` (the same pseudo-arclength method, in C++) on the same games and
   precisions, as a ratio measured in one run.

No timing is asserted; the assertions only check that real work was timed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pygambit as gbt
import pytest

from gametheory import models
from gametheory.equilibrium import Equilibrium
from gametheory.qre import logit_qre

SEED_MONEY = {"U0": 1510, "U": 1740, "U1": 2175, "W": 8000, "C": 1878, "C0": 600, "E": 100}
POINT = {"U0": 1, "U": 2, "U1": 4, "R_H": 0.8, "R_L": 0.2, "p": 0.5, "W": 3, "C": 1,
         "C0": 0.5, "E": 0.2}


def derive(fixed: dict[str, Any]) -> tuple[Equilibrium, ...]:
    """Every family of a freshly built two-type game (``fixed`` parameters as numbers)."""
    game = models.bayesian_monitoring_game()
    if fixed:
        game = game.fix(**fixed)
    return game.equilibria()


@pytest.mark.benchmark(group="bayesian-derive")
@pytest.mark.parametrize(("variant", "fixed", "rounds"), [
    ("all ten parameters", {}, 2),
    ("money fixed (R_H, R_L, p symbolic)", SEED_MONEY, 5),
])
def test_bench_derive_bayesian_families(benchmark: Any, capsys: Any, variant: str,
                                        fixed: dict[str, Any], rounds: int) -> None:
    derive(fixed)  # warm sympy's cache (untimed)
    families = benchmark.pedantic(derive, args=(fixed,), rounds=rounds, iterations=1)
    assert len(families) >= 5  # pure and mixed families were derived
    seconds = benchmark.stats.stats.median
    benchmark.extra_info.update({"variant": variant, "median_s": seconds, "target_s": 5.0,
                                 "families": len(families)})
    with capsys.disabled():
        print(f"\n[bayesian] derive every Bayes-Nash family, {variant} (warm): median "
              f"{seconds:.2f} s, {len(families)} families (target < 5 s)")


def _best_of(fn: Callable[[], object], repeats: int = 5) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def _games() -> dict[str, tuple[np.ndarray, np.ndarray]]:
    monitoring = models.monitoring_game().payoffs_at(
        U0=1, U=2, U1=4, R=0.5, W=3, C=1, C0=0.5, E=0.2)
    agent = models.bayesian_monitoring_game().agent_form().payoffs_at(**POINT)
    rng = np.random.default_rng(20261201)
    random = (rng.integers(-5, 6, (6, 6)).astype(float),
              rng.integers(-5, 6, (6, 6)).astype(float))
    return {"monitoring 2x2": monitoring, "agent form 2x4": agent, "random 6x6": random}


@pytest.mark.benchmark(group="qre")
@pytest.mark.parametrize("name", ["monitoring 2x2", "agent form 2x4", "random 6x6"])
@pytest.mark.parametrize("precision", [10.0, 1000.0])
def test_bench_qre_against_gambit(benchmark: Any, capsys: Any, name: str,
                                  precision: float) -> None:
    A, B = _games()[name]
    game = gbt.Game.from_arrays(A, B)
    gambit = _best_of(lambda: gbt.qre.logit_solve_lambda(game, [precision],
                                                          use_strategic=True))
    x, y = benchmark.pedantic(logit_qre, args=(A, B, precision), rounds=5, iterations=1,
                              warmup_rounds=1)
    reference = gbt.qre.logit_solve_lambda(game, [precision], use_strategic=True)[0].profile
    players = list(game.players)
    gx = np.array([reference[s] for s in players[0].strategies], dtype=float)
    gy = np.array([reference[s] for s in players[1].strategies], dtype=float)
    gap = float(max(np.abs(x - gx).max(), np.abs(y - gy).max()))
    assert gap < 1e-6  # the same point was computed
    ours = benchmark.stats.stats.min
    benchmark.extra_info.update({"game": name, "precision": precision, "ours_s": ours,
                                 "gambit_s": gambit, "ratio_ours_over_gambit": ours / gambit,
                                 "max_gap": gap})
    with capsys.disabled():
        print(f"\n[qre] {name}, precision {precision:g}: ours {ours * 1e3:.2f} ms, "
              f"pygambit logit_solve_lambda {gambit * 1e3:.2f} ms -> ratio "
              f"{ours / gambit:.2f} (max gap {gap:.1e})")
