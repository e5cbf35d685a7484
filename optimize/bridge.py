"""The bridge from a policy to behaviour and money (docs/explanation/bridge.md).

A policy ``(U0, U, U1, x)`` pays the tiers of seed 001's monitoring game and monitors a
claimant in a month with probability ``x``.  With ``x`` committed, a claimant's gain from
effort is the difference of the two columns' expected payoffs in the game,

    gain(x) = x (B[monitor, effort] - B[monitor, no effort])
              + (1 - x) (B[don't, effort] - B[don't, no effort]),

taken from :func:`gametheory.models.monitoring_game` symbolically and lambdified (with its
gradient) -- never re-derived by hand.  Effort is the best response where ``gain > 0``
(exactly where ``x`` exceeds the game's mixed-equilibrium threshold ``X*`` if the game's
denominator is positive); a logit with temperature ``tau`` smooths the share.

A month is one round.  Effort finds a job with monthly hazard ``R``, no effort with
``r0``; with ``M`` months of entitlement the expected months paid are
``m(h) = (1 - (1 - h)^M) / h`` and the probability of re-employment within the
entitlement is ``1 - (1 - h)^M``.  Searchers are paid ``x U1 + (1 - x) U`` a month,
non-searchers ``x U0 + (1 - x) U``; monitoring costs ``kappa`` per monitored
claimant-month.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp

from gametheory import models
from optimize.claimants import Claimants
from optimize.errors import PolicyParameterError

__all__ = ["Bridge", "Behaviour", "POLICY_NAMES", "effort_response", "months_paid",
           "reemployment"]

#: The policy variables, in order.
POLICY_NAMES = ("U0", "U", "U1", "x")


def months_paid(h: np.ndarray | float, M: float) -> np.ndarray:
    """Expected months paid with monthly exit hazard ``h`` and ``M`` months' entitlement.

    ``m(h) = (1 - (1 - h)^M) / h``, with the limit ``M`` at ``h = 0``.

    >>> float(months_paid(0.0, 12)), round(float(months_paid(0.5, 12)), 6)
    (12.0, 1.999512)
    """
    h = _hazard(h)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = (1.0 - (1.0 - h) ** M) / h
    return np.where(h > 0, out, float(M))


def reemployment(h: np.ndarray | float, M: float) -> np.ndarray:
    """Probability of leaving benefit for a job within ``M`` months: ``1 - (1 - h)^M``."""
    return 1.0 - (1.0 - _hazard(h)) ** M


def _hazard(h: np.ndarray | float) -> np.ndarray:
    arr = np.asarray(h, dtype=float)
    bad = ~np.isfinite(arr) | (arr < 0) | (arr > 1)
    if np.any(bad):
        raise PolicyParameterError("h", float(arr[bad].flat[0]) if arr.ndim else float(arr),
                                   "a monthly hazard must lie in [0, 1]")
    return arr


@dataclass(frozen=True)
class Behaviour:
    """What a policy does to a claimant population (averages over the claimants).

    Money in 元 per claim; ``grad`` holds the derivatives of each scalar with respect to
    ``(U0, U, U1, x)``.
    """

    effort_share: float
    reemployment_rate: float
    months_paid: float
    benefit_per_claim: float
    monitoring_per_claim: float
    spend_per_claim: float
    threshold: float
    grad: dict[str, np.ndarray]

    def as_dict(self) -> dict[str, float]:
        """The scalar fields."""
        return {k: getattr(self, k) for k in (
            "effort_share", "reemployment_rate", "months_paid", "benefit_per_claim",
            "monitoring_per_claim", "spend_per_claim", "threshold")}


def effort_response(gain: np.ndarray, temperature: float) -> tuple[np.ndarray, np.ndarray]:
    """Share of effort given the gain from it, and its derivative in the gain: the logit
    ``1 / (1 + exp(-gain / temperature))``, or the sharp ``1[gain > 0]`` at 0.

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
def _game_functions() -> tuple[Any, list[Any], Any]:
    """The claimant's gain from effort, its gradient and the threshold X*, lambdified
    from the seed-001 monitoring game (derived once per process)."""
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
    return f_gain, f_dgain, f_threshold


class Bridge:
    """Behaviour of a claimant population under a policy, from the seed-001 game.

    Parameters
    ----------
    claimants : Claimants
    entitlement_months : float
        ``M``, months of entitlement counted within the fund year (1 to 24).
    monitoring_cost : float
        ``kappa``, cost of monitoring one claimant for one month (元).

    >>> b = Bridge(Claimants(), entitlement_months=12, monitoring_cost=60)
    >>> flat = b.behaviour(U0=1530, U=1530, U1=1530, x=0.0)
    >>> tiered = b.behaviour(U0=1000, U=1400, U1=1700, x=0.6)
    >>> tiered.effort_share > flat.effort_share
    True
    """

    def __init__(self, claimants: Claimants, *, entitlement_months: float = 12.0,
                 monitoring_cost: float = 60.0) -> None:
        if not isinstance(claimants, Claimants):
            raise PolicyParameterError("claimants", claimants, "must be a Claimants instance")
        M = float(entitlement_months)
        if not 1.0 <= M <= 24.0:
            raise PolicyParameterError("entitlement_months", entitlement_months,
                                       "must lie in [1, 24]")
        if not np.isfinite(monitoring_cost) or monitoring_cost < 0:
            raise PolicyParameterError("monitoring_cost", monitoring_cost, "must be >= 0")
        self.claimants = claimants
        self.M = M
        self.kappa = float(monitoring_cost)
        self._gain, self._dgain, self._threshold = _game_functions()
        c = claimants
        self._m_effort = months_paid(c.R, M)
        self._m_none = float(months_paid(c.no_effort_hazard, M))
        self._rho_effort = reemployment(c.R, M)
        self._rho_none = float(reemployment(c.no_effort_hazard, M))

    def _lines(self, U0: Any, U: Any, U1: Any, x: Any) -> tuple[np.ndarray, np.ndarray,
                                                                  tuple[np.ndarray, ...]]:
        """Per claimant type (last axis; policies broadcast in front): effort share, its
        derivative in the gain, and months, benefit, monitoring, re-employment."""
        c = self.claimants
        gain = self._gain(U0, U, U1, x, c.R, c.wage, c.C, c.C0)
        gain = np.broadcast_to(gain, np.broadcast_shapes(np.shape(gain), c.R.shape))
        e, de_dgain = effort_response(gain, c.temperature)
        m_e, m_n = self._m_effort, self._m_none
        months = e * m_e + (1 - e) * m_n
        benefit = e * (x * U1 + (1 - x) * U) * m_e + (1 - e) * (x * U0 + (1 - x) * U) * m_n
        monitoring = x * self.kappa * months
        reemp = e * self._rho_effort + (1 - e) * self._rho_none
        return e, de_dgain, (months, benefit, monitoring, reemp)

    def behaviour_many(self, *, U0: Any, U: Any, U1: Any, x: Any,
                       block: int = 2048) -> dict[str, np.ndarray]:
        """The scalar fields of :meth:`behaviour` (no gradients, no threshold) for arrays
        of policies, evaluated in blocks of ``block`` policies.

        >>> b = Bridge(Claimants(), entitlement_months=12, monitoring_cost=60)
        >>> many = b.behaviour_many(U0=[1530, 1000], U=[1530, 1400], U1=[1530, 1700],
        ...                         x=[0.0, 0.6])
        >>> one = b.behaviour(U0=1000, U=1400, U1=1700, x=0.6)
        >>> bool(abs(many["spend_per_claim"][1] - one.spend_per_claim) < 1e-9)
        True
        """
        arrays = np.broadcast_arrays(*(np.asarray(v, dtype=float).ravel()
                                       for v in (U0, U, U1, x)))
        for name, arr in zip(POLICY_NAMES, arrays, strict=True):
            lo_bad = arr < 0 if name != "x" else (arr < 0) | (arr > 1)
            if np.any(~np.isfinite(arr) | lo_bad):
                bad = arr[~np.isfinite(arr) | lo_bad][0]
                rule = "is a probability: must lie in [0, 1]" if name == "x" else \
                    "must be a finite amount >= 0"
                raise PolicyParameterError(name, float(bad), rule)
        n = arrays[0].size
        keys = ("effort_share", "months_paid", "benefit_per_claim", "monitoring_per_claim",
                "reemployment_rate")
        out = {k: np.empty(n) for k in keys}
        w = self.claimants.weights
        for start in range(0, n, block):
            sl = slice(start, min(start + block, n))
            u0, u, u1, xx = (a[sl, None] for a in arrays)
            e, _, (months, benefit, monitoring, reemp) = self._lines(u0, u, u1, xx)
            for key, arr in zip(keys, (e, months, benefit, monitoring, reemp), strict=True):
                out[key][sl] = arr @ w
        out["spend_per_claim"] = out["benefit_per_claim"] + out["monitoring_per_claim"]
        return out

    def behaviour(self, *, U0: float, U: float, U1: float, x: float) -> Behaviour:
        """Effort share, re-employment, months and spending per claim, with gradients."""
        for name, value in (("U0", U0), ("U", U), ("U1", U1)):
            if not np.isfinite(value) or value < 0:
                raise PolicyParameterError(name, value, "must be a finite amount >= 0")
        if not 0.0 <= x <= 1.0:
            raise PolicyParameterError("x", x, "is a probability: must lie in [0, 1]")
        c = self.claimants
        args = (U0, U, U1, x, c.R, c.wage, c.C, c.C0)
        e, de_dgain, lines = self._lines(U0, U, U1, x)
        months, benefit, monitoring, reemp = lines
        dgain = [np.broadcast_to(f(*args), c.R.shape) for f in self._dgain]
        w = c.weights
        m_e, m_n = self._m_effort, self._m_none
        pay_e = x * U1 + (1 - x) * U
        pay_n = x * U0 + (1 - x) * U
        # d pay / d(U0, U, U1, x)
        dpay_e = (0.0, 1 - x, x, U1 - U)
        dpay_n = (x, 1 - x, 0.0, U0 - U)
        grads: dict[str, list[float]] = {k: [] for k in (
            "effort_share", "reemployment_rate", "months_paid", "benefit_per_claim",
            "monitoring_per_claim", "spend_per_claim")}
        for k in range(4):
            de = de_dgain * dgain[k]
            dmonths = de * (m_e - m_n)
            dbenefit = de * (pay_e * m_e - pay_n * m_n) + e * dpay_e[k] * m_e \
                + (1 - e) * dpay_n[k] * m_n
            dmon = self.kappa * (x * dmonths + (months if k == 3 else 0.0))
            grads["effort_share"].append(float(w @ de))
            grads["reemployment_rate"].append(float(w @ (de * (self._rho_effort - self._rho_none))))
            grads["months_paid"].append(float(w @ dmonths))
            grads["benefit_per_claim"].append(float(w @ dbenefit))
            grads["monitoring_per_claim"].append(float(w @ dmon))
            grads["spend_per_claim"].append(float(w @ (dbenefit + dmon)))
        with np.errstate(all="ignore"):
            thr = np.broadcast_to(self._threshold(*args), c.R.shape)
        return Behaviour(
            effort_share=float(w @ e),
            reemployment_rate=float(w @ reemp),
            months_paid=float(w @ months),
            benefit_per_claim=float(w @ benefit),
            monitoring_per_claim=float(w @ monitoring),
            spend_per_claim=float(w @ (benefit + monitoring)),
            threshold=float(np.median(np.clip(np.nan_to_num(thr, nan=1.0), 0.0, 1.0))),
            grad={k: np.array(v) for k, v in grads.items()},
        )
