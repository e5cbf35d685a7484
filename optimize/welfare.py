"""A welfare criterion for the policy search: claimants' expected utility net of the fund.

Each claimant type of the bridge (job-finding probability ``R``, search cost ``C``) is
followed month by month over a horizon of ``H`` months from the start of the claim.  A
searcher leaves unemployment with monthly hazard ``R``, a non-searcher with ``r0``; the
share of searchers ``e`` is the bridge's (the seed-001 game's best response, logit
smoothed).  In a month of the claim a claimant consumes

* while unemployed and paid (the first ``M`` months): the benefit plus ``home``
  (home production and savings run down; default 2,500 元/month, so that without a
  benefit consumption falls 37% below the default net wage: docs/explanation/welfare.md),
  with the benefit ``U1`` or ``U0`` when monitored (probability ``x``) and ``U``
  otherwise -- a lottery valued in expected utility;
* while unemployed after the entitlement: ``home`` only;
* once re-employed: the wage net of the contribution, ``W (1 - contribution_rate)``.

Utility is CRRA, ``u(c) = c^(1 - gamma) / (1 - gamma)`` (log at ``gamma = 1``); a searcher
pays the search cost ``C`` (``C0`` when monitored) in 元, valued at the marginal utility of
the employed, ``lambda = u'(W (1 - contribution_rate))``.  Welfare per claim in 元 is

    W(pi) = E[sum_k u(c_k) - lambda * effort cost_k] / lambda
            - mcpf * (spend per claim - contributions of the re-employed within H),

the claimants' money-metric utility minus the fund's net cost at the marginal cost of
public funds ``mcpf`` (Baily 1978; Chetty 2006 for the trade-off; Dahlby 2008, *The
Marginal Cost of Public Funds*, for ``mcpf`` around 1.2).  Only differences of ``W``
between policies mean anything (the level depends on the utility's constant).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from optimize.errors import PolicyParameterError
from optimize.spell import evaluate

if TYPE_CHECKING:
    from optimize.bridge import Bridge

__all__ = ["Welfare"]


def _finite(name: str, value: Any, lo: float, hi: float = np.inf, *,
            lo_open: bool = False) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise PolicyParameterError(name, value, "must be a number") from None
    below = v <= lo if lo_open else v < lo
    if not np.isfinite(v) or below or v > hi:
        left = "(" if lo_open else "["
        raise PolicyParameterError(name, value, f"must lie in {left}{lo:g}, {hi:g}]")
    return v


@dataclass(frozen=True)
class Welfare:
    """The welfare criterion's settings (module docstring: the model).

    Parameters
    ----------
    risk_aversion : float
        CRRA coefficient ``gamma > 0``; default 2 (Chetty 2006 argues for 1-2 from
        labour-supply evidence; values up to 4-5 are common in the UI literature).
    home : float
        Monthly consumption while unemployed besides the benefit (元 >= 0; must be > 0
        where ``gamma >= 1`` so utility stays finite without a benefit).
    contribution_rate : float
        Share of the wage paid to the fund while employed (China: 1% in total since
        2019); it lowers the net wage and returns to the fund.
    mcpf : float
        Marginal cost of public funds (>= 1): the social cost of one 元 of fund spending.
    horizon_months : int
        Months followed from the start of the claim (>= the entitlement).

    Examples
    --------
    >>> Welfare().risk_aversion, Welfare().mcpf
    (2.0, 1.2)
    >>> Welfare(mcpf=0.5)
    Traceback (most recent call last):
    ...
    optimize.errors.PolicyParameterError: mcpf = 0.5: must lie in [1, 10]
    """

    risk_aversion: float = 2.0
    home: float = 2500.0
    contribution_rate: float = 0.01
    mcpf: float = 1.2
    horizon_months: int = 24

    def __post_init__(self) -> None:
        _finite("risk_aversion", self.risk_aversion, 0.0, 20.0, lo_open=True)
        _finite("home", self.home, 0.0, 1e7)
        if self.risk_aversion >= 1.0 and self.home <= 0:
            raise PolicyParameterError("home", self.home,
                                       "must be > 0 when risk_aversion >= 1 "
                                       "(u(0) is -infinity)")
        _finite("contribution_rate", self.contribution_rate, 0.0, 0.5)
        _finite("mcpf", self.mcpf, 1.0, 10.0)
        h = self.horizon_months
        if isinstance(h, bool) or not isinstance(h, int) or not 1 <= h <= 600:
            raise PolicyParameterError("horizon_months", h, "must be an integer in [1, 600]")

    def utility(self, c: np.ndarray) -> np.ndarray:
        """CRRA utility of monthly consumption ``c`` (元).

        Parameters
        ----------
        c : numpy.ndarray
            Consumption, > 0.

        Returns
        -------
        numpy.ndarray
            ``c^(1 - gamma) / (1 - gamma)`` or ``log c``.

        Examples
        --------
        >>> float(Welfare(risk_aversion=1.0).utility(np.array(1.0)))
        0.0
        """
        g = self.risk_aversion
        c = np.asarray(c, dtype=float)
        if g == 1.0:
            return np.asarray(np.log(c), dtype=float)
        return np.asarray(c ** (1.0 - g) / (1.0 - g), dtype=float)

    def anchors(self, wage: float) -> tuple[float, float, float, float]:
        """The net wage, its marginal utility, and the utilities of work and of home.

        The month-by-month recursions (:mod:`optimize.spell`, :mod:`optimize.spell_utility`)
        measure a month's utility against these: ``w_net = wage (1 - contribution_rate)``,
        ``lam = u'(w_net) = w_net^(-gamma)`` (the rate that turns utility into 元),
        ``u(w_net)`` and ``u(home)``.

        Parameters
        ----------
        wage : float
            The gross monthly wage of a job (元), > 0.

        Returns
        -------
        tuple of float
            ``(w_net, lam, u(w_net), u(home))``.

        Examples
        --------
        >>> w_net, lam, u_work, u_home = Welfare(risk_aversion=1.0, home=1000.0,
        ...                                      contribution_rate=0.0).anchors(4000.0)
        >>> w_net, lam, round(u_work - u_home, 6) == round(float(np.log(4.0)), 6)
        (4000.0, 0.00025, True)
        """
        w_net = wage * (1.0 - self.contribution_rate)
        return (w_net, w_net ** -self.risk_aversion, float(self.utility(np.array(w_net))),
                float(self.utility(np.array(self.home))))

    def per_claim(self, bridge: Bridge, *, U0: Any, U: Any, U1: Any, x: Any, z: Any = 0.0
                  ) -> np.ndarray:
        """Welfare per claim (元) of policies (arrays broadcast; one value per policy).

        Parameters
        ----------
        bridge : Bridge
            Claimants, entitlement and the game's behaviour.
        U0, U, U1, x, z : array_like
            The policies.

        Returns
        -------
        numpy.ndarray
            Money-metric utility minus ``mcpf`` times the fund's net cost, per claim.

        Raises
        ------
        PolicyParameterError
            A horizon shorter than the entitlement.

        Examples
        --------
        >>> from optimize import Bridge, Claimants
        >>> b = Bridge(Claimants(n_nodes=5), entitlement_months=12)
        >>> w = Welfare().per_claim(b, U0=[800, 1200], U=[800, 1200], U1=[1200, 1200],
        ...                         x=[1, 0])
        >>> bool(w[0] > w[1])     # paying 1,200 only to monitored searchers does better
        True
        """
        M = bridge.months
        if self.horizon_months < M:
            raise PolicyParameterError("horizon_months", self.horizon_months,
                                       f"must be >= the entitlement ({M} months)")
        u0, u, u1, xx, zz = np.broadcast_arrays(*(np.asarray(v, dtype=float).ravel()
                                                  for v in (U0, U, U1, x, z)))
        claim = replace(bridge.claim, welfare=self)
        avg, _, _ = evaluate(claim, (u0[None], u[None], u1[None]), xx, zz, months=M)
        return np.asarray(avg["welfare"], dtype=float)
