"""Reskilling finance as a policy lever (seed 000's "inclusive finance").

Training subsidies and micro-loans of ``z`` 元 per claim lower the search cost under
monitoring and raise the job-finding probability with effort, with diminishing returns:

    g(z)   = 1 - exp(-z / scale)
    R(z)   = R + (1 - R) * max_R_gain * g(z)
    C0(z)  = C0 * (1 - max_cost_cut * g(z))

A share ``loan_share`` of ``z`` is lent rather than granted; re-employed borrowers repay
unless they default (``default_rate``), so the fund's net cost per claim is

    k(z) = z * (1 - loan_share * (1 - default_rate) * reemployed),

booked to the skills-subsidy line ``A_t`` of the fund (seed 002, (1.8)).  The
monitoring game's own thresholds move with ``R`` and ``C0`` as its comparative statics
say (``monitoring_game().statics("X", "C0")`` etc.; docs/explanation/labour-market.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from optimize.errors import PolicyParameterError

__all__ = ["Reskilling"]


@dataclass(frozen=True)
class Reskilling:
    """Effect and finance of reskilling spending per claim (assumptions; see the module).

    Parameters
    ----------
    max_R_gain : float
        Largest share of the gap ``1 - R`` that training closes, in [0, 1].
    max_cost_cut : float
        Largest share of ``C0`` that job services and training remove, in [0, 1].
    scale : float
        元 per claim at which ``1 - 1/e`` (63%) of the largest effect is reached, > 0.
    loan_share : float
        Share of the spending lent (repayable) rather than granted, in [0, 1].
    default_rate : float
        Share of re-employed borrowers who do not repay, in [0, 1].
    max_level : float
        Upper bound of the lever ``z`` (元 per claim), > 0.

    Raises
    ------
    PolicyParameterError
        A share outside [0, 1] or an amount that is not finite and > 0.

    Examples
    --------
    >>> r = Reskilling()
    >>> g, dg = r.effect(np.array([0.0, r.scale]))
    >>> g.round(4).tolist()
    [0.0, 0.6321]
    """

    max_R_gain: float = 0.25
    max_cost_cut: float = 0.5
    scale: float = 1500.0
    loan_share: float = 0.0
    default_rate: float = 0.3
    max_level: float = 6000.0

    def __post_init__(self) -> None:
        for name in ("max_R_gain", "max_cost_cut", "loan_share", "default_rate"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int | float) or not 0 <= v <= 1:
                raise PolicyParameterError(name, v, "must lie in [0, 1]")
        for name in ("scale", "max_level"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int | float) or not (
                    np.isfinite(v) and v > 0):
                raise PolicyParameterError(name, v, "must be a finite amount > 0")

    def effect(self, z: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
        """``g(z)`` and its derivative ``g'(z)``.

        Parameters
        ----------
        z : float or numpy.ndarray
            Reskilling spending per claim (元), >= 0.

        Returns
        -------
        g, dg : numpy.ndarray
            ``g(z) = 1 - exp(-z / scale)`` (the share of the largest effect reached) and
            ``g'(z)``.

        Examples
        --------
        >>> g, dg = Reskilling(scale=1000.0).effect(0.0)
        >>> float(g), float(dg)
        (0.0, 0.001)
        """
        decay = np.exp(-np.asarray(z, dtype=float) / self.scale)
        return 1.0 - decay, decay / self.scale

    @property
    def repaid_share(self) -> float:
        """Share of the spending that re-employed claimants repay."""
        return self.loan_share * (1.0 - self.default_rate)
