"""The game-side piece of reskilling finance: how lowering the monitored search cost ``C0``
and raising the job-finding probability ``R`` move the monitoring game's thresholds.

The symbolic comparative statics of :mod:`gametheory` are checked against central finite
differences of the lambdified mixed equilibrium (X*, Y*), and the proven signs against
those differences at sampled points inside the mixed equilibrium's region.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
import sympy as sp

from gametheory import models
from gametheory.equilibrium import EquilibriumArrays
from gametheory.game import Game
from gametheory.statics import Statics

PAIRS = [("X", "C0"), ("X", "R"), ("X", "C"), ("Y", "R"), ("Y", "C0"), ("Y", "C")]
NAMES = list(models.MONITORING_PARAMS)


@pytest.fixture(scope="module")
def game() -> Game:
    return models.monitoring_game()


@pytest.fixture(scope="module")
def statics(game: Game) -> dict[tuple[str, str], Statics]:
    return {pair: game.statics(*pair) for pair in PAIRS}


@pytest.fixture(scope="module")
def points(game: Game) -> list[dict[str, float]]:
    """Points strictly inside the mixed equilibrium's region, away from its edges."""
    rng = np.random.default_rng(20261125)
    n = 20_000
    u0 = rng.uniform(0.5, 3.0, n)
    u = u0 + rng.uniform(0.1, 2.0, n)
    u1 = u + rng.uniform(0.1, 3.0, n)
    values = {"U0": u0, "U": u, "U1": u1, "R": rng.uniform(0.05, 0.95, n),
              "W": rng.uniform(1.0, 12.0, n), "C": rng.uniform(0.1, 6.0, n),
              "C0": rng.uniform(0.1, 6.0, n), "E": rng.uniform(0.05, 3.0, n)}
    out = game.mixed_equilibrium().lambdify()(**values)
    x, y = out.row[0], out.col[0]
    keep = out.valid & (x > 0.02) & (x < 0.98) & (y > 0.02) & (y < 0.98)
    chosen = np.flatnonzero(keep)[:60]
    assert chosen.size == 60
    return [{k: float(v[i]) for k, v in values.items()} for i in chosen]


def _finite_difference(f: Callable[..., EquilibriumArrays], point: dict[str, float], wrt: str,
                       which: str) -> float:
    h = 1e-6 * max(1.0, abs(point[wrt]))
    up, down = dict(point), dict(point)
    up[wrt] += h
    down[wrt] -= h

    def pick(out: EquilibriumArrays) -> np.ndarray:
        return np.asarray(out.row[0] if which == "X" else out.col[0])

    return float((pick(f(**up)) - pick(f(**down))) / (2 * h))


@pytest.mark.parametrize("pair", PAIRS, ids=["/".join(p) for p in PAIRS])
def test_symbolic_derivative_equals_finite_difference(game: Game,
                                                      statics: dict[tuple[str, str], Statics],
                                                      points: list[dict[str, float]],
                                                      pair: tuple[str, str]) -> None:
    of, wrt = pair
    f = game.mixed_equilibrium().lambdify()
    symbols = [game.params[k] for k in NAMES]
    derivative = sp.lambdify(symbols, statics[pair].derivative, modules="numpy")
    for point in points:
        exact = float(derivative(*(point[k] for k in NAMES)))
        numeric = _finite_difference(f, point, wrt, of)
        assert numeric == pytest.approx(exact, rel=1e-5, abs=1e-7), (pair, point)


def test_signs_relevant_to_reskilling(game: Game, statics: dict[tuple[str, str], Statics],
                                      points: list[dict[str, float]]) -> None:
    # Y* (the effort probability of the mixed equilibrium) does not depend on the search
    # costs and rises with R; proven by gametheory, seen in the finite differences
    assert statics[("Y", "C0")].sign == "zero" and statics[("Y", "C")].sign == "zero"
    assert statics[("Y", "R")].sign == "positive"
    f = game.mixed_equilibrium().lambdify()
    assert all(_finite_difference(f, p, "R", "Y") > 0 for p in points)
    # X* (the monitoring threshold) rises with C0 exactly when effort does not pay
    # unmonitored, C > R(W - U) -- proven under that condition
    given = game.statics("X", "C0", given=["C > R*W - R*U"])
    assert given.sign == "positive" and statics[("X", "C0")].sign == "depends"
    for p in points:
        fd = _finite_difference(f, p, "C0", "X")
        unmonitored_gain = p["R"] * (p["W"] - p["U"]) - p["C"]
        assert np.sign(fd) == -np.sign(unmonitored_gain)
    # dX*/dR has no fixed sign: both signs occur inside the region
    signs = {np.sign(_finite_difference(f, p, "R", "X")) for p in points}
    assert statics[("X", "R")].sign == "depends" and signs == {-1.0, 1.0}


def test_documented_example_point(game: Game) -> None:
    # the point of docs/explanation/labour-market.md
    point = {"U0": 1, "U": 2, "U1": 4, "R": 0.5, "W": 3, "C": 1, "C0": 0.5, "E": 0.2}
    f = game.mixed_equilibrium().lambdify()
    out = f(**point)
    assert (float(out.row[0]), float(out.col[0])) == pytest.approx((0.2, 0.6))
    assert _finite_difference(f, point, "C0", "X") == pytest.approx(0.08)
    assert _finite_difference(f, point, "R", "X") == pytest.approx(-0.24)
    assert _finite_difference(f, point, "R", "Y") == pytest.approx(0.6)
    reskilled = f(**{**point, "C0": 0.4, "R": 0.6})
    # X* = (1 + 1.2 - 1.8)/(1 - 0.4 + 1.2 - 2.4 - 1 + 4) = 1/6, Y* = 1.2/1.8 = 2/3
    assert (float(reskilled.row[0]), float(reskilled.col[0])) == pytest.approx((1 / 6, 2 / 3))
