"""Claimant heterogeneity: who finds a job with effort, and what searching costs them.

Claimants differ in the monthly job-finding probability under effort ``R`` (a beta
distribution) and in the monthly search cost ``C`` without monitoring (a log-normal); the
cost under monitoring is ``C0 = c0_share * C`` (job services lower it, seed 001 §2.2).  The
population is represented by a deterministic quadrature: ``n`` equal-probability quantile
nodes of each distribution, crossed, so every evaluation is exact, smooth in the policy
and free of sampling noise.

>>> c = Claimants()
>>> c.R.shape, round(float(c.weights.sum()), 12)
((400,), 1.0)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import stats

from optimize.errors import PolicyParameterError

__all__ = ["Claimants"]


def _check(name: str, value: float, lo: float, hi: float = np.inf, *, lo_open: bool = True,
           hi_open: bool = True) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise PolicyParameterError(name, value, "must be a number") from None
    below = v <= lo if lo_open else v < lo
    above = v >= hi if hi_open else v > hi
    if not np.isfinite(v) or below or above:
        left = "(" if lo_open else "["
        right = ")" if hi_open else "]"
        raise PolicyParameterError(name, value, f"must lie in {left}{lo:g}, {hi:g}{right}")
    return v


@dataclass(frozen=True)
class Claimants:
    """A population of claimants.

    Parameters
    ----------
    R_mean, R_concentration : float
        Beta distribution of the monthly job-finding probability under effort: mean in
        (0, 1), concentration ``a + b`` > 0.
    no_effort_hazard : float
        Monthly job-finding probability without effort ``r0`` (seed 001 takes 0).
    C_median, C_sigma : float
        Log-normal monthly search cost without monitoring (元/month): median and
        log-standard deviation.
    c0_share : float
        Search cost under monitoring as a share of ``C`` (``C0 = c0_share * C``).
    wage : float
        Monthly re-employment wage ``W`` (元/month).
    temperature : float
        Logit smoothing of the effort decision (元/month); 0 gives the sharp best
        response ``1[gain > 0]``.
    n_nodes : int
        Quadrature nodes per distribution (``n_nodes**2`` claimant types).

    Examples
    --------
    >>> c = Claimants(n_nodes=5)
    >>> c.R.shape, round(float(c.weights.sum()), 6)
    ((25,), 1.0)
    """

    R_mean: float = 0.22
    R_concentration: float = 8.0
    no_effort_hazard: float = 0.08
    C_median: float = 600.0
    C_sigma: float = 0.6
    c0_share: float = 0.5
    wage: float = 4000.0
    temperature: float = 50.0
    n_nodes: int = 20
    R: np.ndarray = field(init=False, repr=False, compare=False)
    C: np.ndarray = field(init=False, repr=False, compare=False)
    weights: np.ndarray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        _check("R_mean", self.R_mean, 0.0, 1.0)
        _check("R_concentration", self.R_concentration, 0.0)
        _check("no_effort_hazard", self.no_effort_hazard, 0.0, 1.0, lo_open=False)
        _check("C_median", self.C_median, 0.0)
        _check("C_sigma", self.C_sigma, 0.0, lo_open=False)
        _check("c0_share", self.c0_share, 0.0, 1.0, hi_open=False)
        _check("wage", self.wage, 0.0)
        _check("temperature", self.temperature, 0.0, lo_open=False)
        if isinstance(self.n_nodes, bool) or not isinstance(self.n_nodes, int) or not (
                1 <= self.n_nodes <= 200):
            raise PolicyParameterError("n_nodes", self.n_nodes, "must be an integer in [1, 200]")
        q = (np.arange(self.n_nodes) + 0.5) / self.n_nodes
        a = self.R_mean * self.R_concentration
        b = (1.0 - self.R_mean) * self.R_concentration
        r_nodes = stats.beta.ppf(q, a, b)
        c_nodes = self.C_median * np.exp(self.C_sigma * stats.norm.ppf(q))
        R, C = np.meshgrid(r_nodes, c_nodes, indexing="ij")
        object.__setattr__(self, "R", R.ravel())
        object.__setattr__(self, "C", C.ravel())
        object.__setattr__(self, "weights", np.full(R.size, 1.0 / R.size))

    @property
    def C0(self) -> np.ndarray:
        """Search cost under monitoring of each type (元/month)."""
        return self.c0_share * self.C
