"""The static Baily (1978) / Chetty (2006) model of optimal unemployment insurance.

A worker is employed with probability ``e`` chosen at a utility cost ``psi(e)``, consumes
the wage net of a budget-balancing contribution ``t`` when employed and the benefit ``b``
plus home production ``h`` when not.  The welfare-maximising benefit satisfies the
Baily-Chetty formula ``(u'(c_u) - u'(c_e)) / u'(c_e) = eps_{1-e, b} / e``.  One of the two
reference models of :mod:`optimize.classics` (docs/explanation/welfare.md).

>>> bc = baily_chetty()
>>> round(bc.gap, 3) == round(bc.elasticity / bc.employment, 3)
True
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import optimize as sopt

from optimize.errors import positive_float

__all__ = ["BailyChetty", "baily_chetty"]


@dataclass(frozen=True)
class BailyChetty:
    """The static Baily-Chetty optimum (:func:`baily_chetty`).

    Attributes
    ----------
    benefit : float
        The welfare-maximising benefit ``b``.
    contribution : float
        The budget-balancing contribution ``t = (1 - e) b / e`` paid by the employed.
    employment : float
        The employment probability ``e`` the worker chooses at ``b``.
    welfare : float
        Expected utility at the optimum.
    elasticity : float
        ``eps_{1-e, b}``, the elasticity of the unemployment probability in ``b`` there
        (a total derivative: the contribution adjusts with ``b``).
    gap : float
        The relative marginal-utility gap ``(u'(c_u) - u'(c_e)) / u'(c_e)`` there.
    """

    benefit: float
    contribution: float
    employment: float
    welfare: float
    elasticity: float
    gap: float


def _crra(c: np.ndarray | float, gamma: float) -> np.ndarray:
    c = np.asarray(c, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        if gamma == 1.0:
            return np.asarray(np.log(c), dtype=float)
        return np.asarray((c ** (1.0 - gamma) - 1.0) / (1.0 - gamma), dtype=float)


def _bc_employment(b: float, *, wage: float, home: float, gamma: float,
                   cost_scale: float) -> tuple[float, float]:
    """Employment ``e`` and contribution ``t`` at benefit ``b``.

    They solve the worker's first-order condition ``u(w - t) - u(b + h) = psi'(e) = cost_scale /
    (1 - e)`` with the budget ``e t = (1 - e) b`` (a fixed point in ``e``, found by Brent's
    method).
    """

    def foc(e: float) -> float:
        t = (1.0 - e) * b / e
        if t >= wage:
            return -np.inf
        gain = float(_crra(wage - t, gamma) - _crra(b + home, gamma))
        return gain - cost_scale / (1.0 - e)

    lo, hi = 1e-9, 1.0 - 1e-12
    if foc(hi) >= 0:
        return hi, (1.0 - hi) * b / hi
    grid = np.linspace(lo, hi, 120)
    values = np.array([foc(e) for e in grid])
    above = np.nonzero(values > 0)[0]
    if above.size == 0:
        return 0.0, np.inf
    k = int(above[-1])  # the largest root: the worker's stable choice
    e = sopt.brentq(foc, grid[k], grid[k + 1], xtol=1e-14) if k + 1 < grid.size else hi
    return float(e), float((1.0 - e) * b / e)


def baily_chetty(*, risk_aversion: float = 2.0, wage: float = 1.0, home: float = 0.4,
                 cost_scale: float = 0.1) -> BailyChetty:
    """The welfare-maximising benefit of the static Baily-Chetty model.

    A worker chooses the probability ``e`` of being employed at the utility cost
    ``psi(e) = -cost_scale * log(1 - e)``; employed, she consumes ``w - t``; unemployed,
    ``b + h`` (benefit plus home production).  Utility is CRRA with coefficient
    ``risk_aversion``.  The fund balances its budget, ``e t = (1 - e) b``.  The planner
    chooses ``b`` to maximise ``e u(w - t) + (1 - e) u(b + h) - psi(e)`` with ``e`` the
    worker's own choice (Baily 1978, *J. Public Econ.* 10: 379-402; Chetty 2006,
    *J. Public Econ.* 90: 1879-1901, whose sufficient-statistic formula holds at the
    optimum).

    Parameters
    ----------
    risk_aversion : float
        CRRA coefficient ``gamma > 0`` (log utility at 1).
    wage : float
        The wage ``w > 0``.
    home : float
        Consumption while unemployed besides the benefit ``h > 0`` (home production,
        savings run down), which keeps ``u(b + h)`` finite at ``b = 0``.
    cost_scale : float
        ``k`` in the effort cost ``psi(e) = -k log(1 - e)`` (> 0): the worker's choice
        is ``e = 1 - k / (u(w - t) - u(b + h))``, interior whenever effort pays.

    Returns
    -------
    BailyChetty
        The optimum, with the Baily-Chetty gap and elasticity there.

    Raises
    ------
    PolicyParameterError
        A parameter that is not a positive finite number.

    Examples
    --------
    >>> bc = baily_chetty()
    >>> round(bc.benefit, 3), round(bc.employment, 3)
    (0.214, 0.828)
    >>> bool(abs(bc.gap - bc.elasticity / bc.employment) < 1e-3)
    True
    """
    gamma = positive_float("risk_aversion", risk_aversion)
    w = positive_float("wage", wage)
    h = positive_float("home", home)
    k = positive_float("cost_scale", cost_scale)

    def welfare(b: float) -> float:
        e, t = _bc_employment(b, wage=w, home=h, gamma=gamma, cost_scale=k)
        if not 0.0 < e or t >= w:
            return -np.inf
        return float(e * _crra(w - t, gamma) + (1 - e) * _crra(b + h, gamma)
                     + k * np.log1p(-e))

    grid = np.linspace(0.0, w, 81)
    values = np.array([welfare(b) for b in grid])
    j = int(np.argmax(values))
    res = sopt.minimize_scalar(lambda b: -welfare(b),
                               bounds=(grid[max(j - 1, 0)], grid[min(j + 1, grid.size - 1)]),
                               method="bounded", options={"xatol": 1e-12})
    b = float(res.x)
    e, t = _bc_employment(b, wage=w, home=h, gamma=gamma, cost_scale=k)
    step = 1e-5 * w
    e_up = _bc_employment(b + step, wage=w, home=h, gamma=gamma, cost_scale=k)[0]
    e_dn = _bc_employment(b - step, wage=w, home=h, gamma=gamma, cost_scale=k)[0]
    elasticity = -(e_up - e_dn) / (2 * step) * b / (1.0 - e)
    mu_u, mu_e = (b + h) ** -gamma, (w - t) ** -gamma
    return BailyChetty(b, t, e, welfare(b), float(elasticity), float((mu_u - mu_e) / mu_e))
