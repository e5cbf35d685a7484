"""The static Baily (1978) / Chetty (2006) model of optimal unemployment insurance.

A worker is employed with probability ``e`` chosen at a utility cost ``psi(e)``, consumes
the wage net of a budget-balancing contribution ``t`` when employed and the benefit ``b``
plus home production ``h`` when not.  The welfare-maximising benefit satisfies the
Baily-Chetty formula ``(u'(c_u) - u'(c_e)) / u'(c_e) = eps_{1-e, b} / e``.  One of the two
reference models of :mod:`optimize.classics` (docs/explanation/welfare.md).

Options, off by default, pose the same trade-off the way the month-by-month welfare
criterion of :mod:`optimize.spell` does: an entropy effort cost (the logit's) with a
job-finding probability per unit of search, and benefits financed at a marginal cost of
public funds instead of by the employed.

>>> bc = baily_chetty()
>>> round(bc.gap, 3) == round(bc.elasticity / bc.employment, 3)
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import optimize as sopt
from scipy import special

from optimize.errors import PolicyParameterError, positive_float

__all__ = ["EFFORT_COSTS", "BailyChetty", "baily_chetty"]

#: The effort costs :func:`baily_chetty` knows.
EFFORT_COSTS = ("log", "entropy")


@dataclass(frozen=True)
class BailyChetty:
    """The static Baily-Chetty optimum (:func:`baily_chetty`).

    Attributes
    ----------
    benefit : float
        The welfare-maximising benefit ``b``.
    contribution : float
        The budget-balancing contribution ``t = (1 - e) b / e`` paid by the employed (0
        when benefits are financed at a marginal cost of public funds).
    employment : float
        The employment probability ``e`` the worker chooses at ``b`` (``job_finding``
        times her search probability).
    welfare : float
        Welfare at the optimum: expected utility (balanced budget), or money-metric
        utility measured from ``u(w)`` less ``mcpf`` times the benefits paid
        (``mcpf`` given).
    elasticity : float
        ``eps_{1-e, b}``, the elasticity of the unemployment probability in ``b`` there
        (a total derivative: the contribution adjusts with ``b``).
    gap : float
        The relative marginal-utility gap ``(u'(c_u) - u'(c_e)) / u'(c_e)`` there.
    rhs : float
        The formula's right-hand side there: ``elasticity / employment`` (balanced
        budget, Chetty 2006) or ``mcpf (1 + elasticity) - 1`` (``mcpf`` given); the
        optimum has ``gap == rhs``.
    """

    benefit: float
    contribution: float
    employment: float
    welfare: float
    elasticity: float
    gap: float
    rhs: float


def _crra(c: np.ndarray | float, gamma: float, *, shift: bool = True) -> np.ndarray:
    """``(c^(1 - gamma) - 1) / (1 - gamma)`` (log at 1); without the ``-1`` for differences.

    The published normalisation's constant costs digits when ``c^(1 - gamma)`` is small
    (a wage in 元), so differences of utility use ``shift=False``.
    """
    c = np.asarray(c, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        if gamma == 1.0:
            return np.asarray(np.log(c), dtype=float)
        return np.asarray((c ** (1.0 - gamma) - float(shift)) / (1.0 - gamma), dtype=float)


@dataclass(frozen=True)
class _Model:
    """The settings of one :func:`baily_chetty` call."""

    gamma: float
    wage: float
    home: float
    k: float
    c: float
    kind: str
    R: float
    mcpf: float | None

    def psi(self, s: float) -> float:
        """Effort cost of searching with probability ``s`` (utils)."""
        if self.kind == "entropy":
            return float(self.c * s - self.k * (special.entr(s) + special.entr(1.0 - s)))
        return float(self.c * s - self.k * np.log1p(-s))

    def dpsi(self, s: float) -> float:
        if self.kind == "entropy":
            return float(self.c + self.k * (np.log(s) - np.log1p(-s)))
        return float(self.c + self.k / (1.0 - s))

    def du(self, c: float, ref: float) -> float:
        """``u(c) - u(ref)``."""
        return float(_crra(c, self.gamma, shift=False) - _crra(ref, self.gamma, shift=False))

    def contribution(self, s: float, b: float) -> float:
        if self.mcpf is not None:
            return 0.0
        p = self.R * s
        return (1.0 - p) * b / p

    def search(self, b: float) -> tuple[float, float]:
        """The worker's search probability ``s`` and the contribution ``t`` at ``b``."""
        gain = self.R * self.du(self.wage, b + self.home)
        if self.mcpf is not None:  # t = 0: the first-order condition in closed form
            if self.kind == "entropy":
                return float(special.expit((gain - self.c) / self.k)), 0.0
            if gain <= self.c + self.k:
                return 0.0, 0.0
            return 1.0 - self.k / (gain - self.c), 0.0
        return self._balanced(b)

    def _balanced(self, b: float) -> tuple[float, float]:
        """``R (u(w - t) - u(b + h)) = psi'(s)`` with ``R s t = (1 - R s) b`` (Brent)."""

        def foc(s: float) -> float:
            t = self.contribution(s, b)
            if t >= self.wage:
                return -np.inf
            return self.R * self.du(self.wage - t, b + self.home) - self.dpsi(s)

        lo, hi = 1e-9, 1.0 - 1e-12
        if foc(hi) >= 0:
            return hi, self.contribution(hi, b)
        grid = np.linspace(lo, hi, 120)
        values = np.array([foc(s) for s in grid])
        above = np.nonzero(values > 0)[0]
        if above.size == 0:
            return 0.0, np.inf
        k = int(above[-1])  # the largest root: the worker's stable choice
        s = sopt.brentq(foc, grid[k], grid[k + 1], xtol=1e-14) if k + 1 < grid.size else hi
        return float(s), self.contribution(s, b)

    def welfare(self, b: float) -> float:
        s, t = self.search(b)
        p = self.R * s
        if self.mcpf is None:
            if not 0.0 < p or t >= self.wage:
                return -np.inf
            return (p * float(_crra(self.wage - t, self.gamma))
                    + (1 - p) * float(_crra(b + self.home, self.gamma)) - self.psi(s))
        # money-metric, measured from the employed worker's utility u(w)
        utils = (1 - p) * self.du(b + self.home, self.wage) - self.psi(s)
        return float(utils / self.wage ** -self.gamma - self.mcpf * (1.0 - p) * b)


def _settings(effort_cost: Any, search_cost: Any, job_finding: Any, mcpf: Any
              ) -> tuple[str, float, float, float | None]:
    if effort_cost not in EFFORT_COSTS:
        raise PolicyParameterError("effort_cost", effort_cost,
                                   f"must be one of {', '.join(EFFORT_COSTS)}")
    try:
        c = float(search_cost)
    except (TypeError, ValueError):
        raise PolicyParameterError("search_cost", search_cost, "must be a number") from None
    if not np.isfinite(c) or c < 0:
        raise PolicyParameterError("search_cost", search_cost, "must be finite and >= 0")
    R = positive_float("job_finding", job_finding, upper=1.0, upper_open=False)
    if mcpf is None:
        return str(effort_cost), c, R, None
    try:
        m = float(mcpf)
    except (TypeError, ValueError):
        raise PolicyParameterError("mcpf", mcpf, "must be a number or None") from None
    if not 1.0 <= m <= 10.0:
        raise PolicyParameterError("mcpf", mcpf, "must lie in [1, 10] (or be None)")
    return str(effort_cost), c, R, m


def _polish(model: _Model, b: float, lo: float, hi: float) -> float:
    """Refine Brent's maximiser on the first-order condition ``W'(b) = 0``.

    Brent's method stops where the welfare differences reach rounding, which on a flat
    optimum leaves ``b`` uncertain in its 5th-6th digit; the root of the central-difference
    derivative is not limited that way.  Kept only where the derivative changes sign
    around ``b`` (an interior optimum).
    """
    h = 1e-6 * model.wage

    def slope(v: float) -> float:
        return (model.welfare(v + h) - model.welfare(v - h)) / (2 * h)

    width = 1e-3 * model.wage
    a, c = max(b - width, lo + h), min(b + width, hi - h)
    if not a < c:
        return b
    fa, fc = slope(a), slope(c)
    if not (np.isfinite(fa) and np.isfinite(fc) and fa > 0 > fc):
        return b
    return float(sopt.brentq(slope, a, c, xtol=1e-13 * model.wage, rtol=4 * np.finfo(float).eps))


def baily_chetty(*, risk_aversion: float = 2.0, wage: float = 1.0, home: float = 0.4,
                 cost_scale: float = 0.1, effort_cost: str = "log", search_cost: float = 0.0,
                 job_finding: float = 1.0, mcpf: float | None = None) -> BailyChetty:
    """The welfare-maximising benefit of the static Baily-Chetty model.

    A worker chooses the probability ``e`` of being employed at the utility cost
    ``psi(e) = -cost_scale * log(1 - e)``; employed, she consumes ``w - t``; unemployed,
    ``b + h`` (benefit plus home production).  Utility is CRRA with coefficient
    ``risk_aversion``.  The fund balances its budget, ``e t = (1 - e) b``.  The planner
    chooses ``b`` to maximise ``e u(w - t) + (1 - e) u(b + h) - psi(e)`` with ``e`` the
    worker's own choice (Baily 1978, *J. Public Econ.* 10: 379-402; Chetty 2006,
    *J. Public Econ.* 90: 1879-1901, whose sufficient-statistic formula holds at the
    optimum).  These are the defaults; the keyword options below generalise the model
    the way docs/explanation/welfare.md derives, to map it onto the month-by-month
    welfare criterion.

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
        ``k`` in the effort cost (> 0).  With ``effort_cost="log"`` the cost is
        ``psi(s) = search_cost * s - k log(1 - s)``; with ``"entropy"`` it is
        ``search_cost * s + k (s log s + (1 - s) log(1 - s))``, the cost under which a
        logit with temperature ``k`` is the worker's best response.
    effort_cost : {"log", "entropy"}
        The form of ``psi`` (default: the log cost, whose choice is
        ``e = 1 - k / (u(w - t) - u(b + h))``, interior whenever effort pays).
    search_cost : float
        A linear part of ``psi`` (utils per unit of search, >= 0; default 0).
    job_finding : float
        Probability ``R`` in (0, 1] that searching finds a job: the worker chooses her
        search probability ``s`` and is employed with probability ``e = R s``
        (default 1: Baily's model, effort is the employment probability).
    mcpf : float or None
        ``None`` (default): the budget-balanced contribution above.  A number in
        [1, 10]: the wage is not taxed and the benefits paid, ``(1 - e) b``, are valued
        at this marginal cost of public funds; welfare is then money-metric,
        ``(E[u] - u(w)) / u'(w) - mcpf (1 - e) b``, and the formula reads
        ``(u'(c_u) - u'(w)) / u'(w) = mcpf (1 + eps_{1-e,b}) - 1``.

    Returns
    -------
    BailyChetty
        The optimum, with the Baily-Chetty gap, elasticity and the formula's
        right-hand side there.

    Raises
    ------
    PolicyParameterError
        A parameter that is not a positive finite number, an unknown ``effort_cost``,
        a negative ``search_cost``, a ``job_finding`` outside (0, 1] or an ``mcpf``
        outside [1, 10].

    Examples
    --------
    >>> bc = baily_chetty()
    >>> round(bc.benefit, 3), round(bc.employment, 3)
    (0.214, 0.828)
    >>> bool(abs(bc.gap - bc.elasticity / bc.employment) < 1e-3)
    True
    >>> logit = baily_chetty(effort_cost="entropy", cost_scale=0.05, search_cost=0.1,
    ...                      job_finding=0.7, mcpf=1.25)
    >>> round(logit.benefit, 3), round(logit.employment, 3), logit.contribution
    (0.319, 0.679, 0.0)
    >>> round(logit.gap, 6) == round(logit.rhs, 6)
    True
    """
    kind, c, R, m = _settings(effort_cost, search_cost, job_finding, mcpf)
    model = _Model(gamma=positive_float("risk_aversion", risk_aversion),
                   wage=positive_float("wage", wage), home=positive_float("home", home),
                   k=positive_float("cost_scale", cost_scale), c=c, kind=kind, R=R, mcpf=m)
    w = model.wage
    grid = np.linspace(0.0, w, 81)
    values = np.array([model.welfare(b) for b in grid])
    j = int(np.argmax(values))
    lo, hi = grid[max(j - 1, 0)], grid[min(j + 1, grid.size - 1)]
    res = sopt.minimize_scalar(lambda b: -model.welfare(b), bounds=(lo, hi),
                               method="bounded", options={"xatol": 1e-12 * w})
    b = _polish(model, float(res.x), lo, hi)
    s, t = model.search(b)
    e = R * s
    step = 1e-5 * w
    e_up, e_dn = (R * model.search(b + d)[0] for d in (step, -step))
    elasticity = float(-(e_up - e_dn) / (2 * step) * b / (1.0 - e))
    mu_u, mu_e = (b + model.home) ** -model.gamma, (w - t) ** -model.gamma
    rhs = elasticity / e if m is None else m * (1.0 + elasticity) - 1.0
    return BailyChetty(b, t, e, model.welfare(b), elasticity, float((mu_u - mu_e) / mu_e),
                       float(rhs))
