"""The bridge's logit effort share is a special case of the game's logit QRE.

At patience 0 (each month the one-shot game, the bridge's closed form).

For a claimant type ``(R, C, C0)``, the bridge's effort share under a committed monitoring
rate ``x`` with temperature ``tau`` is the logit response, at precision ``1/tau``, to the
government playing ``(x, 1 - x)`` in the seed-001 monitoring game.  Two checks by two
routes: (1) a one-row game whose only row is the ``x``-mixture of the monitoring game's
rows has the bridge's share as its QRE; (2) at the QRE of the full 2 x 2 game, the bridge
evaluated at the QRE's own monitoring rate gives the QRE's effort.
"""

from __future__ import annotations

import numpy as np
import pytest

from gametheory import Game, models
from optimize.bridge import Bridge
from optimize.claimants import Claimants

POLICY = {"U0": 1000.0, "U": 1400.0, "U1": 1700.0}
#: The government's gain from monitoring; it does not enter the claimant's payoffs.
E = 100.0
#: The QRE effort must be this far from 0 and 1 for the comparison to mean something.
INTERIOR = 0.01


def type_point(claimants: Claimants, k: int) -> dict[str, float]:
    """The monitoring game's parameters for claimant type ``k`` under :data:`POLICY`."""
    return {**POLICY, "R": float(claimants.R[k]), "W": claimants.wage,
            "C": float(claimants.C[k]), "C0": float(claimants.C0[k]), "E": E}


@pytest.mark.parametrize("x", [0.0, 0.35, 0.8])
def test_bridge_share_is_the_qre_of_the_committed_game(x: float) -> None:
    claimants = Claimants(n_nodes=3)
    bridge = Bridge(claimants, entitlement_months=12, monitoring_cost=60, patience=0.0)
    game = models.monitoring_game()
    shares = []
    for k in range(claimants.R.size):
        _, B = game.payoffs_at(**type_point(claimants, k))
        committed = Game([[0, 0]], [list(x * B[0] + (1 - x) * B[1])])
        _, y = committed.logit_qre(1 / claimants.temperature)
        shares.append(y[0])
    expected = float(np.dot(claimants.weights, shares))
    got = bridge.behaviour(**POLICY, x=x).effort_share
    assert got == pytest.approx(expected, rel=1e-10)


def test_bridge_at_the_qre_monitoring_rate_gives_the_qre_effort() -> None:
    claimants = Claimants(n_nodes=1, C_sigma=0.0)
    bridge = Bridge(claimants, entitlement_months=12, monitoring_cost=60, patience=0.0)
    row, col = models.monitoring_game().logit_qre(1 / claimants.temperature,
                                                  **type_point(claimants, 0))
    share = bridge.behaviour(**POLICY, x=float(row[0])).effort_share
    assert share == pytest.approx(col[0], rel=1e-9)
    assert INTERIOR < col[0] < 1 - INTERIOR  # the check has something to compare
