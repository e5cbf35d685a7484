"""Logit QRE (``Game.logit_qre``) against pygambit's ``logit_solve_lambda``; its limit.

The reference games are built in the tests from hand-typed payoffs
(``tests.strategies.monitoring_payoffs``) or random integer matrices, and handed to
pygambit directly (``Game.from_arrays``), never through ``Game.to_gambit``.
"""

from __future__ import annotations

import itertools
import sys
from fractions import Fraction
from typing import Any

import nashpy
import numpy as np
import pygambit as gbt
import pytest
from numpy.typing import NDArray

from gametheory import Game, GameParameterError, models
from gametheory.errors import OptionalDependencyError, QRETraceError
from gametheory.qre import logit_branch, logit_qre
from tests.strategies import monitoring_payoffs

#: Agreement with Gambit's tracer (both stop where the QRE equations hold to ~1e-10).
TOL = 1e-7
#: How close the QRE at high precision must come to the equilibrium.
NEAR = 1e-3
PRECISIONS = [0.25, 1.0, 4.0, 20.0]
#: A point of the mixed region: X* = 1/5, Y* = 3/5.
MIXED: dict[str, Any] = {"U0": 1, "U": 2, "U1": 4, "R": Fraction(1, 2), "W": 3, "C": 1,
                         "C0": Fraction(1, 2), "E": Fraction(1, 5)}

Matrix = NDArray[np.float64]


def gambit_qre(A: Matrix, B: Matrix, precisions: list[float]) -> list[tuple[Matrix, Matrix]]:
    """pygambit's logit QRE of the strategic game ``(A, B)`` at each precision."""
    game = gbt.Game.from_arrays(A, B)
    players = list(game.players)
    out = []
    for point in gbt.qre.logit_solve_lambda(game, precisions, use_strategic=True):
        profile = point.profile
        row, col = (np.array([profile[s] for s in p.strategies], dtype=float) for p in players)
        out.append((row, col))
    return out


def random_games() -> list[tuple[Matrix, Matrix]]:
    """Random integer games of a few shapes, from one seeded generator."""
    rng = np.random.default_rng(20261201)
    shapes = [(2, 2), (2, 3), (3, 3), (2, 4), (4, 3)]
    return [(rng.integers(-5, 6, s).astype(float), rng.integers(-5, 6, s).astype(float))
            for s in shapes]


@pytest.mark.parametrize(("A", "B"), random_games())
def test_qre_matches_gambit_on_random_games(A: Matrix, B: Matrix) -> None:
    expected = gambit_qre(A, B, PRECISIONS)
    for lam, (gx, gy) in zip(PRECISIONS, expected, strict=True):
        x, y = logit_qre(A, B, lam)
        np.testing.assert_allclose(x, gx, atol=TOL, rtol=0)
        np.testing.assert_allclose(y, gy, atol=TOL, rtol=0)


def test_game_logit_qre_matches_gambit_on_the_monitoring_game() -> None:
    A, B = (np.array(M, dtype=float) for M in monitoring_payoffs(MIXED))
    game = models.monitoring_game()
    for lam, (gx, gy) in zip(PRECISIONS, gambit_qre(A, B, PRECISIONS), strict=True):
        x, y = game.logit_qre(lam, **MIXED)
        np.testing.assert_allclose(x, gx, atol=TOL, rtol=0)
        np.testing.assert_allclose(y, gy, atol=TOL, rtol=0)


def test_qre_is_the_logit_fixed_point() -> None:
    """Each player's strategy is the logit response to the other's, checked directly."""
    A, B = random_games()[3]
    lam = 2.5
    x, y = logit_qre(A, B, lam)
    u, v = A @ y, B.T @ x
    np.testing.assert_allclose(x, np.exp(lam * u) / np.exp(lam * u).sum(), atol=1e-12)
    np.testing.assert_allclose(y, np.exp(lam * v) / np.exp(lam * v).sum(), atol=1e-12)


def test_qre_tends_to_a_nash_equilibrium() -> None:
    """At the seed's mixed point the only equilibrium is (X*, Y*) = (1/5, 3/5) (nashpy);
    the QRE approaches it as the precision grows."""
    A, B = (np.array(M, dtype=float) for M in monitoring_payoffs(MIXED))
    (nx, ny), = list(nashpy.Game(A, B).support_enumeration())
    distances = []
    for lam in (1.0, 10.0, 100.0, 1000.0, 10000.0):
        x, y = models.monitoring_game().logit_qre(lam, **MIXED)
        distances.append(max(np.abs(x - nx).max(), np.abs(y - ny).max()))
    assert all(b < a for a, b in itertools.pairwise(distances))
    assert distances[-1] < NEAR


def test_qre_limit_selects_an_equilibrium_of_a_random_game() -> None:
    """In a game with several equilibria the branch ends at one of them (nashpy's)."""
    A, B = random_games()[2]
    x, y = logit_qre(A, B, 500.0)
    equilibria = list(nashpy.Game(A, B).vertex_enumeration())
    gaps = [max(np.abs(x - ex).max(), np.abs(y - ey).max()) for ex, ey in equilibria]
    assert min(gaps) < NEAR * 10


def test_branch_starts_uniform_and_ends_at_the_precision() -> None:
    A, B = random_games()[1]
    branch = logit_branch(A, B, 7.0)
    np.testing.assert_allclose(branch.row[0], [0.5, 0.5])
    np.testing.assert_allclose(branch.col[0], [1 / 3] * 3)
    assert branch.precision[0] == 0.0
    assert branch.precision[-1] == pytest.approx(7.0, abs=1e-12)
    frame = branch.to_frame()
    assert list(frame.columns) == ["precision", "x1", "x2", "y1", "y2", "y3"]
    assert "QREBranch(" in repr(branch)


@pytest.mark.parametrize(("precision", "match"), [
    (-1.0, "precision = -1.0: must be a finite number >= 0"),
    (float("nan"), "precision = nan: must be a finite number >= 0"),
    (True, "precision = True: must be a real number >= 0"),
    ("1", "precision = '1': must be a real number >= 0"),
])
def test_bad_precision_is_refused(precision: object, match: str) -> None:
    with pytest.raises(GameParameterError, match=match):
        models.monitoring_game().logit_qre(precision, **MIXED)  # type: ignore[arg-type]  # bad on purpose


def test_bad_matrices_are_refused() -> None:
    with pytest.raises(GameParameterError, match="payoffs = 'shapes"):
        logit_qre(np.eye(2), np.eye(3), 1.0)
    with pytest.raises(GameParameterError, match="must all be finite"):
        logit_qre(np.array([[np.inf, 0.0], [0.0, 1.0]]), np.eye(2), 1.0)


def test_a_trace_that_runs_out_of_steps_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("gametheory.qre.MAX_STEPS", 2)
    with pytest.raises(QRETraceError, match=r"precision = 1000\.0: the branch was not followed"):
        logit_qre(np.eye(2), np.eye(2), 1000.0)


# ------------------------------------------------------------------ to_gambit
def test_to_gambit_has_the_exact_payoffs_and_labels() -> None:
    g = models.monitoring_game().to_gambit(players=("government", "claimant"), **MIXED)
    A, B = monitoring_payoffs(MIXED)
    gov, claimant = g.players["government"], g.players["claimant"]
    assert [s.label for s in gov.strategies] == ["monitor", "don't monitor"]
    assert [s.label for s in claimant.strategies] == ["effort", "no effort"]
    for i, r in enumerate(gov.strategies):
        for j, c in enumerate(claimant.strategies):
            assert Fraction(g[r, c][gov]) == A[i][j]
            assert Fraction(g[r, c][claimant]) == B[i][j]


def test_to_gambit_without_pygambit_names_the_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pygambit", None)
    with pytest.raises(OptionalDependencyError, match="pip install pygambit"):
        models.monitoring_game().to_gambit(**MIXED)


def test_a_one_row_game_is_a_logit_response() -> None:
    """With one row strategy the column player's QRE is its logit response (closed form)."""
    g = Game([["0", "0"]], [["a", "0"]], params=["a"])
    _, y = g.logit_qre(3.0, a=0.5)
    assert y[0] == pytest.approx(1 / (1 + np.exp(-1.5)), abs=1e-12)
