"""Scaling of the exact enumeration with game size, against pygambit (run by hand).

``python tests/benchmarks/vertexenum_scaling.py [games_per_size]`` times
``gametheory.extreme.extreme_equilibria`` and pygambit's ``enummixed_solve(rational=True)``
on the same random n x n integer games (payoffs uniform on -20..20, seeded), n = 2..10,
checks that both give the same equilibria, prints a Markdown table (median CPU seconds
per game, ``time.process_time``, so other processes on the machine do not count) and
draws ``docs/explanation/figures/vertexenum-scaling.png``.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import TypeVar

import matplotlib

matplotlib.use("Agg")  # a script: the backend is chosen before pyplot loads
import matplotlib.pyplot as plt
import numpy as np
import pygambit as gbt

from gametheory.extreme import extreme_equilibria

T = TypeVar("T")

SEED = 16
SIZES = range(2, 11)
FIGURE = Path(__file__).parents[2] / "docs" / "explanation" / "figures" / "vertexenum-scaling.png"


def random_game(n: int, rng: np.random.Generator) -> tuple[list[list[int]], list[list[int]]]:
    """An n x n game with integer payoffs uniform on -20..20."""
    return rng.integers(-20, 21, (n, n)).tolist(), rng.integers(-20, 21, (n, n)).tolist()


def gambit(A: list[list[int]], B: list[list[int]]) -> list[tuple[tuple[Fraction, ...], ...]]:
    """pygambit's exact extreme equilibria, sorted."""
    game = gbt.Game.from_arrays(np.array(A, dtype=object), np.array(B, dtype=object))
    result = gbt.nash.enummixed_solve(game, rational=True)
    return sorted({tuple(tuple(Fraction(v) for _, v in eq[p]) for p in game.players)
                   for eq in result.equilibria})


def cpu(fn: Callable[..., T], *args: object) -> tuple[T, float]:
    """``(result, CPU seconds)`` of one call."""
    start = time.process_time()
    out = fn(*args)
    return out, time.process_time() - start


def main(per_size: int) -> None:
    rng = np.random.default_rng(SEED)
    rows = []
    for n in SIZES:
        ours_t, gambit_t, eqs = [], [], []
        for _ in range(per_size):
            A, B = random_game(n, rng)
            ours, t1 = cpu(extreme_equilibria, A, B)
            theirs, t2 = cpu(gambit, A, B)
            if ours != theirs:
                raise SystemExit(f"disagreement with gambit at n = {n}: {A}, {B}")
            ours_t.append(t1)
            gambit_t.append(t2)
            eqs.append(len(ours))
        rows.append((n, statistics.median(ours_t), statistics.median(gambit_t),
                     statistics.median(eqs)))
        print(f"n = {n}: {rows[-1]}", file=sys.stderr, flush=True)
    print("| n | uipolicy (s) | gambit (s) | gambit / uipolicy | equilibria (median) |")
    print("|---|---|---|---|---|")
    for n, t1, t2, k in rows:
        print(f"| {n} | {t1:.4f} | {t2:.4f} | {t2 / t1:.1f} | {k:g} |")
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.semilogy([r[0] for r in rows], [r[1] for r in rows], "o-", label="uipolicy (exact)")
    ax.semilogy([r[0] for r in rows], [r[2] for r in rows], "s--", label="gambit enummixed")
    ax.set_xlabel("n (random n x n game, payoffs -20..20)")
    ax.set_ylabel(f"CPU seconds per game (median of {per_size})")
    ax.legend()
    ax.grid(True, which="both", alpha=0.3)
    fig.tight_layout()
    FIGURE.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(FIGURE, dpi=100)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
