"""Degenerate games: continua of equilibria, reported by their extreme points.

nashpy and quantecon return only some endpoints of a continuum, so the reference here is
gambit's exact ``enummixed`` (pygambit), which enumerates every extreme equilibrium in
rational arithmetic.  In the monitoring game the surfaces ``C = R(W - U)`` (the unemployed
indifferent when not monitored), ``C0 = RW + U1(1 - R) - U0`` (indifferent when monitored)
and ``E = (U1 - U)(1 - R)`` (the government indifferent against effort) are degenerate.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from fractions import Fraction as F
from typing import Any

import numpy as np
import pygambit as gbt
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gametheory import Game, models
from tests.strategies import (
    degenerate_games,
    inside_monitoring_assumptions,
    is_nondegenerate,
    monitoring_payoffs,
    monitoring_points,
)

GAME = models.monitoring_game()
SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
TOL = 1e-9


# --------------------------------------------------------------------- helpers
def gambit_extreme_equilibria(A: Any, B: Any) -> list[tuple[tuple[F, ...], tuple[F, ...]]]:
    """All extreme equilibria by pygambit's exact enummixed, as tuples of Fractions."""
    a = np.array([[F(v) for v in row] for row in A], dtype=object)
    b = np.array([[F(v) for v in row] for row in B], dtype=object)
    game = gbt.Game.from_arrays(a, b)
    result = gbt.nash.enummixed_solve(game, rational=True)
    out = set()
    for eq in result.equilibria:
        row, col = (tuple(F(v) for _, v in eq[p]) for p in game.players)
        out.add((row, col))
    return sorted(out)


def as_float_pairs(
        eqs: list[tuple[tuple[F, ...], tuple[F, ...]]]) -> list[tuple[np.ndarray, np.ndarray]]:
    return [(np.array([float(v) for v in x]), np.array([float(v) for v in y]))
            for x, y in eqs]


def _close(e: tuple[np.ndarray, np.ndarray], f: tuple[np.ndarray, np.ndarray]) -> bool:
    return (e[0].shape == f[0].shape and e[1].shape == f[1].shape
            and np.allclose(e[0], f[0], atol=TOL, rtol=0)
            and np.allclose(e[1], f[1], atol=TOL, rtol=0))


def assert_same_extreme_set(ours: list[tuple[np.ndarray, np.ndarray]],
                            expected: list[tuple[np.ndarray, np.ndarray]], what: str = "") -> None:
    missing = [f for f in expected if not any(_close(e, f) for e in ours)]
    extra = [e for e in ours if not any(_close(e, f) for f in expected)]
    assert not missing and not extra, (
        f"{what}: missing {missing}, extra {extra}; ours {ours}, gambit {expected}")
    assert len(ours) == len(expected), f"duplicates: ours {ours}, gambit {expected}"


def is_equilibrium(A: Any, B: Any, x: np.ndarray, y: np.ndarray, tol: float = TOL) -> bool:
    """Whether ``(x, y)`` is a Nash equilibrium: every played strategy a best response."""
    A, B = np.asarray(A, dtype=float), np.asarray(B, dtype=float)
    if abs(x.sum() - 1) > tol or abs(y.sum() - 1) > tol or (x < -tol).any() or (y < -tol).any():
        return False
    row, col = A @ y, B.T @ x
    return bool(x @ row >= row.max() - tol and col @ y >= col.max() - tol)


# --------------------------------------------------------------------- the seed surface
#: On C = R(W - U): U0=1, U=2, U1=4, R=1/2, W=4, C=R(W-U)=1, C0=1/2, E=1/5.
SURFACE: dict[str, Any] = {"U0": F(1), "U": F(2), "U1": F(4), "R": F(1, 2), "W": F(4), "C": F(1),
           "C0": F(1, 2), "E": F(1, 5)}

# Hand derivation at SURFACE.  The unemployed's gain from effort is
# a = RW + U1(1-R) - C0 - U0 = 5/2 when monitored and b = R(W - U) - C = 0 when not:
# against "don't monitor" they are indifferent.  The government's payoffs against
# y = P(effort) are -4/5 - y (monitor) and -2 + y (don't), so "don't monitor" is a best
# response iff y >= 3/5.  Any x with P(monitor) > 0 makes effort strictly better (x a > 0),
# then the government would not monitor: so x = (0, 1).  The equilibria are the segment
# {(0, 1)} x conv{(1, 0), (3/5, 2/5)}; its extreme points are:
SURFACE_EXTREME = [((F(0), F(1)), (F(3, 5), F(2, 5))), ((F(0), F(1)), (F(1), F(0)))]


def test_seed_surface_point_is_degenerate() -> None:
    A, B = monitoring_payoffs(SURFACE)
    assert inside_monitoring_assumptions(SURFACE)
    assert SURFACE["C"] == SURFACE["R"] * (SURFACE["W"] - SURFACE["U"])
    assert not is_nondegenerate(A, B)


def test_seed_surface_extreme_points_match_hand_derivation_and_gambit() -> None:
    A, B = monitoring_payoffs(SURFACE)
    gambit = gambit_extreme_equilibria(A, B)
    assert sorted(gambit) == sorted(SURFACE_EXTREME)  # the reference agrees with the hand
    ours = GAME.equilibria_at(**SURFACE)
    assert_same_extreme_set(ours, as_float_pairs(gambit), "seed surface")


def test_seed_surface_component_has_both_endpoints() -> None:
    comps = GAME.components_at(**SURFACE)
    assert len(comps) == 1
    rows, cols = comps[0]
    assert rows.shape == (1, 2) and cols.shape == (2, 2)
    np.testing.assert_allclose(rows[0], [0.0, 1.0], atol=1e-12)
    got = sorted(map(tuple, cols.round(12).tolist()))
    assert got == [(0.6, 0.4), (1.0, 0.0)]
    # Every mixture of the endpoints is an equilibrium (checked directly on the payoffs).
    A, B = monitoring_payoffs(SURFACE)
    for t in np.linspace(0, 1, 11):
        y = t * cols[0] + (1 - t) * cols[1]
        assert is_equilibrium(_f(A), _f(B), rows[0], y)
    # ... and just outside the segment it is not.
    assert not is_equilibrium(_f(A), _f(B), rows[0], np.array([0.59, 0.41]))


def _f(M: Sequence[Sequence[Any]]) -> np.ndarray:
    return np.array([[float(v) for v in row] for row in M])


# ---------------------------------------------------------- random points on the surfaces
@st.composite
def surface_points(draw: st.DrawFn) -> dict[str, float]:
    """Monitoring points put exactly on one of the three degenerate surfaces.

    The strategies draw dyadic values (k/64), so the products below are exact floats.
    """
    p = draw(monitoring_points())
    surface = draw(st.sampled_from(["C", "C0", "E"]))
    R = draw(st.integers(1, 63)) / 64
    p["R"] = R
    if surface == "C":  # unemployed indifferent when not monitored: needs W > U
        p["W"] = p["U"] + draw(st.integers(4, 3200)) / 64
        p["C"] = R * (p["W"] - p["U"])
    elif surface == "C0":  # indifferent when monitored: needs RW + U1(1-R) > U0
        p["W"] = p["U1"] + draw(st.integers(4, 3200)) / 64
        p["C0"] = R * p["W"] + p["U1"] * (1 - R) - p["U0"]
    else:  # government indifferent against effort
        p["E"] = (p["U1"] - p["U"]) * (1 - R)
    return p


@settings(SETTINGS, max_examples=200)
@given(point=surface_points())
def test_monitoring_surfaces_match_gambit(point: dict[str, float]) -> None:
    assert inside_monitoring_assumptions(point)
    A, B = monitoring_payoffs(point)
    assert not is_nondegenerate(A, B)
    gambit = gambit_extreme_equilibria(A, B)
    ours = GAME.equilibria_at(**point)
    assert_same_extreme_set(ours, as_float_pairs(gambit), f"at {point}")
    check_components(GAME.components_at(**point), ours, _f(A), _f(B))


# --------------------------------------------------------------------- random games
def check_components(comps: list[tuple[np.ndarray, np.ndarray]],
                     extreme: list[tuple[np.ndarray, np.ndarray]], A: Any, B: Any) -> None:
    """Components cover the extreme equilibria, and every vertex pair and mixture in a
    component is an equilibrium (checked directly on the payoffs)."""
    covered = []
    for rows, cols in comps:
        assert rows.ndim == 2 and cols.ndim == 2
        for x, y in itertools.product(rows, cols):
            assert is_equilibrium(A, B, x, y), f"component pair {(x, y)} is no equilibrium"
            covered.append((x, y))
        assert is_equilibrium(A, B, rows.mean(axis=0), cols.mean(axis=0))
    for e in extreme:
        assert any(_close(e, c) for c in covered), f"{e} is in no component"


@pytest.mark.parametrize("shape", [(2, 2), (2, 3), (3, 2), (3, 3)])
@settings(SETTINGS, max_examples=200)
@given(data=st.data())
def test_random_small_integer_games_match_gambit(shape: tuple[int, int],
                                                 data: st.DataObject) -> None:
    A, B = data.draw(degenerate_games(*shape), label="(A, B)")
    gambit = gambit_extreme_equilibria(A, B)
    g = Game(A, B)
    ours = g.equilibria_at()
    assert_same_extreme_set(ours, as_float_pairs(gambit), f"A={A}, B={B}")
    for x, y in ours:
        assert is_equilibrium(A, B, x, y)
    check_components(g.components_at(), ours, np.array(A, float), np.array(B, float))


def test_constant_game_everything_is_an_equilibrium() -> None:
    """All payoffs equal: every strategy pair is an equilibrium, one component whose
    vertices are all the pure strategies."""
    zeros = [[0, 0, 0], [0, 0, 0]]
    g = Game(zeros, zeros)
    ours = g.equilibria_at()
    assert len(ours) == 6  # 2 x 3 pure pairs are the extreme points
    comps = g.components_at()
    assert len(comps) == 1
    rows, cols = comps[0]
    np.testing.assert_allclose(sorted(map(tuple, rows)), [(0, 1), (1, 0)])
    np.testing.assert_allclose(sorted(map(tuple, cols)), [(0, 0, 1), (0, 1, 0), (1, 0, 0)])
