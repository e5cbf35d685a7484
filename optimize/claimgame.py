"""The one-month game a claimant plays: the gain from effort, the pay, the effort share.

Seed 001's monitoring game (:func:`gametheory.models.monitoring_game`) gives, with the
monitoring probability ``x`` committed, a claimant's gain from effort in one month,

    gain(x) = x (B[monitor, effort] - B[monitor, no effort])
              + (1 - x) (B[don't, effort] - B[don't, no effort]),

lambdified with its gradient (never re-derived by hand); the pay of a searcher and a
non-searcher; and the logit effort response.  :mod:`optimize.spell` builds the
month-by-month model on these, and :class:`optimize.bridge.Bridge` evaluates policies
with it.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
import sympy as sp

from gametheory import models

__all__ = ["effort_response", "pay_functions"]


def effort_response(gain: np.ndarray, temperature: float) -> tuple[np.ndarray, np.ndarray]:
    """Share of effort given the gain from it, and its derivative in the gain.

    The logit ``1 / (1 + exp(-gain / temperature))``, or the sharp ``1[gain > 0]`` at 0.

    >>> e, de = effort_response(np.array([-100.0, 0.0, 100.0]), 50.0)
    >>> e.round(4).tolist(), float(de[1])
    ([0.1192, 0.5, 0.8808], 0.005)
    """
    if temperature > 0:
        e = 1.0 / (1.0 + np.exp(-np.clip(gain / temperature, -500, 500)))
        return e, e * (1.0 - e) / temperature
    e = (gain > 0).astype(float)
    return e, np.zeros_like(e)



@functools.lru_cache(maxsize=1)
def pay_functions() -> tuple[Any, list[Any], Any, list[Any]]:
    """The monthly pay of a searcher and of a non-searcher, with their gradients.

    The one place the pay formula is written: a searcher is paid ``U1`` when monitored
    and ``U`` otherwise, a non-searcher ``U0`` or ``U``, so in expectation over
    monitoring

        pay_effort = x U1 + (1 - x) U,        pay_none = x U0 + (1 - x) U.

    Returns
    -------
    tuple
        ``(pay_effort, d pay_effort, pay_none, d pay_none)``: lambdified functions of
        ``(U0, U, U1, x)``; each gradient is a list of four functions, one per variable.

    Examples
    --------
    >>> pe, dpe, pn, dpn = pay_functions()
    >>> float(pe(800, 1200, 1500, 0.5)), float(pn(800, 1200, 1500, 0.5))
    (1350.0, 1000.0)
    >>> [float(f(800, 1200, 1500, 0.5)) for f in dpn]
    [0.5, 0.5, 0.0, -400.0]
    """
    U0, U, U1, x = sp.symbols("U0 U U1 x")
    wrt = (U0, U, U1, x)
    out: list[Any] = []
    for expr in (x * U1 + (1 - x) * U, x * U0 + (1 - x) * U):
        out.append(sp.lambdify(wrt, expr, "numpy"))
        out.append([sp.lambdify(wrt, sp.diff(expr, v), "numpy") for v in wrt])
    return out[0], out[1], out[2], out[3]



@functools.lru_cache(maxsize=1)
def _game_functions() -> tuple[Any, list[Any], Any, list[Any]]:
    """The claimant's gain from effort and what follows from it, lambdified once.

    Its gradient in the policy, the threshold X*, and the gain's derivatives in ``R`` and ``C0``
    (the reskilling channels), lambdified from the seed-001 monitoring game (derived once per
    process).
    """
    game = models.monitoring_game()
    p = game.params
    x = sp.Symbol("x")
    B = game.B
    gain = x * (B[0, 0] - B[0, 1]) + (1 - x) * (B[1, 0] - B[1, 1])
    args = [p["U0"], p["U"], p["U1"], x, p["R"], p["W"], p["C"], p["C0"]]
    wrt = [p["U0"], p["U"], p["U1"], x]
    f_gain = sp.lambdify(args, gain, "numpy")
    f_dgain = [sp.lambdify(args, sp.diff(gain, v), "numpy") for v in wrt]
    f_threshold = sp.lambdify(args, game.mixed_equilibrium().row[0], "numpy")
    f_channels = [sp.lambdify(args, sp.diff(gain, p[v]), "numpy") for v in ("R", "C0")]
    return f_gain, f_dgain, f_threshold, f_channels
