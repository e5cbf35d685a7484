"""The utility-maximising claimant of the month-by-month model (``maximises="utility"``).

The recursion of :mod:`optimize.spell` with the claimant's comparison made in expected
CRRA utility of consumption (docs/explanation/welfare.md): with the welfare spec's risk
aversion ``gamma``, home consumption ``h`` and contribution rate, unemployed she consumes
the benefit plus ``h`` (a lottery over monitoring, in expected utility); employed, the
net wage ``w_net``; the search cost is converted at ``lam = u'(w_net)`` as
:mod:`optimize.welfare` does.  In money-metric units (utils / ``lam``), with
``v* = u(U*_k + h) / lam`` and ``uw = u(w_net) / lam``,

    searcher:      a_k = R uw + (1 - R) (x v1 + (1 - x) v) - (x C0 + (1 - x) C)
    non-searcher:  b_k = x v0 + (1 - x) v
    g_k = a_k - b_k,   and ``pay_none_k - W`` becomes ``b_k - uw``,

so the recursion, the logit (temperature ``tau`` still in 元) and Newton's method for
``D_M`` (after exhaustion ``h`` alone) are the same.  Her month follows the game's
timing in the accounting too: a searcher who finds a job works that month and is not
paid it (months paid ``S_k (1 - e_k R)``), and the welfare criterion counts her month as
she values it, ``lam (b_k + e_k g_k + tau H(e_k))`` with the logit's taste term (``H``
the entropy), so that her choice maximises her part of the criterion.  One policy at a
time, gradients in the schedule's ``3 M + 1`` variables; no reskilling lever.
:func:`optimize.bridge.spell_behaviour` and :meth:`optimize.bridge.Bridge.behaviour`
call it for a bridge with ``maximises="utility"``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import special

from optimize.claimants import Claimants
from optimize.claimgame import _game_functions, effort_response, pay_functions
from optimize.errors import OptimizeError, PolicyParameterError
from optimize.spell import Schedule, _geometric_sum
from optimize.welfare import Welfare

__all__ = ["utility_behaviour"]



def _entropy(e: np.ndarray) -> np.ndarray:
    """``-e log e - (1 - e) log(1 - e)``, 0 at ``e`` = 0 and 1."""
    return np.asarray(special.entr(e) + special.entr(1.0 - e), dtype=float)


def _softplus(gain: np.ndarray, tau: float) -> np.ndarray:
    """``tau log(1 + exp(gain / tau))``, or ``max(gain, 0)`` at ``tau = 0``."""
    if tau > 0:
        return np.asarray(tau * np.logaddexp(0.0, gain / tau), dtype=float)
    return np.asarray(np.maximum(gain, 0.0), dtype=float)


def _stationary(c: Claimants, beta: float, base: float, g: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray]:
    """Newton's method on ``D = base + beta (1 - r0) D + softplus(g - beta (R - r0) D)``.

    ``base`` is a non-searcher's monthly flow less the employed's, ``g`` the one-month
    gain from effort per type (money, or money-metric utility for the utility claimant).
    """
    R, r0, tau = c.R, c.no_effort_hazard, c.temperature
    D = np.full(R.shape, base, dtype=float)
    for _ in range(200):
        gain = g - beta * (R - r0) * D
        e, _ = effort_response(gain, tau)
        f = base + beta * (1.0 - r0) * D + _softplus(gain, tau) - D
        step = f / (beta * (1.0 - r0) - beta * (R - r0) * e - 1.0)
        D = D - step
        # relative to D too (as optimize.spell._stationary): rounding moves a step by
        # ~eps |D| / (1 - beta), more than 1e-10 W for a beta near 1
        if np.all(np.abs(step) <= 1e-10 * np.maximum(np.abs(D), max(c.wage, 1.0))):
            e, _ = effort_response(g - beta * (R - r0) * D, tau)
            return D, e
    raise OptimizeError("the stationary value of a claimant did not converge")


def _check(bridge: Any, schedule: Schedule) -> float:
    if bridge.reskilling is not None:
        raise PolicyParameterError("bridge", "reskilling",
                                   "the utility claimant does not model reskilling yet")
    if bridge.welfare is not None and bridge.welfare.horizon_months < schedule.months:
        raise PolicyParameterError("horizon_months", bridge.welfare.horizon_months,
                                   f"must be >= the schedule's {schedule.months} months")
    return float(bridge.patience)


def _columns(M: int, k: int) -> np.ndarray:
    """Columns of ``U0_k, U_k, U1_k, x`` in a gradient of length ``3 M + 1``."""
    return np.array([k, M + k, 2 * M + k, 3 * M])


class _Months:
    """The schedule's per-month inputs to the claimant's choice and to the accounting.

    ``g`` (month x type): the one-month gain from effort; ``base`` (month): the flow of a
    non-searcher less that of the employed; ``dg``, ``dbase``: their derivatives in
    ``(U0_k, U_k, U1_k, x)``; ``g_post``, ``base_post``: the same after exhaustion.  The
    income claimant's are the game's gain and ``pay_none - W``; the utility claimant's
    are differences of money-metric utility flows (utils / ``lam``), and ``b``, ``db``
    keep a non-searcher's flow for the welfare criterion.
    """

    def __init__(self, bridge: Any, schedule: Schedule) -> None:
        M, x = schedule.months, schedule.x
        pe, dpe, pn, dpn = pay_functions()
        flat = schedule.arrays()
        self.pay_e = np.broadcast_to(pe(*flat, x), (M,))
        self.pay_n = np.broadcast_to(pn(*flat, x), (M,))
        #: d pay / d (U0_k, U_k, U1_k, x): shape (M, 4)
        self.dpay_e = np.stack([np.broadcast_to(f(*flat, x), (M,)) for f in dpe], axis=-1)
        self.dpay_n = np.stack([np.broadcast_to(f(*flat, x), (M,)) for f in dpn], axis=-1)
        if bridge.maximises == "utility" and bridge.welfare is not None:
            self._utility(bridge.claimants, bridge.welfare, schedule)
        else:
            self._income(bridge.claimants, schedule)

    def _income(self, c: Claimants, schedule: Schedule) -> None:
        """The seed-001 game's money payoffs."""
        u0, u, u1 = (a[:, None] for a in schedule.arrays())
        f_gain, f_dgain, _, _ = _game_functions()
        shape = (schedule.months, c.R.size)
        args = (u0, u, u1, schedule.x, c.R, c.wage, c.C, c.C0)
        self.g = np.broadcast_to(f_gain(*args), shape)
        self.dg = np.stack([np.broadcast_to(f(*args), shape) for f in f_dgain], axis=-1)
        self.base = self.pay_n - c.wage
        self.dbase = self.dpay_n
        post = f_gain(0.0, 0.0, 0.0, 0.0, c.R, c.wage, c.C, c.C0)
        self.g_post = np.asarray(np.broadcast_to(post, c.R.shape), dtype=float)
        self.base_post = -c.wage

    def _utility(self, c: Claimants, spec: Welfare, schedule: Schedule) -> None:
        """Money-metric CRRA utility: ``u(c) / lam``, ``lam = u'(w_net)``.

        A searcher's month: ``R uw + (1 - R) (x v1 + (1 - x) v) - cost``; a non-searcher's:
        ``x v0 + (1 - x) v``, with ``v* = u(U* + home) / lam`` and ``uw = u(w_net) / lam``.
        """
        x, gamma, home = schedule.x, spec.risk_aversion, spec.home
        _, lam, u_work, u_home = spec.anchors(c.wage)
        self.lam = lam
        self.uw, self.uh = u_work / lam, u_home / lam
        v0, v, v1 = (spec.utility(a + home) / lam for a in schedule.arrays())
        m0, m, m1 = ((a + home) ** -gamma / lam for a in schedule.arrays())
        zero = np.zeros_like(v)
        pe_u = x * v1 + (1.0 - x) * v
        self.b = x * v0 + (1.0 - x) * v
        dpe_u = np.stack([zero, (1.0 - x) * m, x * m1, v1 - v], axis=-1)
        self.db = np.stack([x * m0, (1.0 - x) * m, zero, v0 - v], axis=-1)
        R = c.R[None, :]
        cost = x * c.C0 + (1.0 - x) * c.C
        self.g = R * self.uw + (1.0 - R) * pe_u[:, None] - cost[None, :] - self.b[:, None]
        dg = (1.0 - R)[:, :, None] * dpe_u[:, None, :] - self.db[:, None, :]
        dg[:, :, 3] -= (c.C0 - c.C)[None, :]
        self.dg = dg
        self.base = self.b - self.uw
        self.dbase = self.db
        self.g_post = c.R * (self.uw - self.uh) - c.C
        self.base_post = self.uh - self.uw


def _backward(c: Claimants, m: _Months, beta: float, D_post: np.ndarray, gradient: bool
              ) -> tuple[np.ndarray, np.ndarray | None]:
    """Gains by month and type (and their gradients) by backward induction."""
    M, n = m.g.shape
    R, r0, tau = c.R, c.no_effort_hazard, c.temperature
    P = 3 * M + 1
    gains = np.empty((M, n))
    dgains = np.empty((M, n, P)) if gradient else None
    D = D_post
    dD = np.zeros((n, P)) if gradient else None
    slope = beta * (R - r0)
    for k in range(M - 1, -1, -1):
        gain = m.g[k] - slope * D
        gains[k] = gain
        e, _ = effort_response(gain, tau)
        if dgains is not None and dD is not None:
            cols = _columns(M, k)
            dgain = -slope[:, None] * dD
            dgain[:, cols] += m.dg[k]
            dgains[k] = dgain
            dD = beta * (1.0 - r0) * dD + e[:, None] * dgain
            dD[:, cols] += m.dbase[k]
        D = m.base[k] + beta * (1.0 - r0) * D + _softplus(gain, tau)
    return gains, dgains


def utility_behaviour(bridge: Any, schedule: Schedule, *, gradient: bool = True
                      ) -> tuple[dict[str, float], dict[str, np.ndarray], np.ndarray]:
    """Effort by month, durations, spending and welfare of the utility claimant.

    Parameters
    ----------
    bridge : Bridge
        A bridge with ``maximises="utility"`` and a welfare spec; its patience is the
        claimant's.
    schedule : Schedule
        Tiers by month and ``x``.
    gradient : bool
        Carry the gradient in the schedule's ``3 M + 1`` variables.

    Returns
    -------
    tuple
        ``(averages, gradients, effort)`` as :func:`optimize.spell.evaluate` returns them.

    Raises
    ------
    PolicyParameterError
        A bridge with reskilling, or a welfare horizon shorter than the schedule.

    Examples
    --------
    >>> from optimize import Bridge, Claimants, Welfare
    >>> averse = Bridge(Claimants(n_nodes=5), welfare=Welfare(), maximises="utility",
    ...                 patience=0.9)
    >>> _, _, cut = utility_behaviour(averse, Schedule.tiers([1500, 750], [6], months=12))
    >>> _, _, flat = utility_behaviour(averse, Schedule.flat(12, U0=1500, U=1500, U1=1500))
    >>> cut.mean(axis=0)[[0, 5]].round(3), flat.mean(axis=0)[[0, 5]].round(3)
    (array([0.006, 0.351]), array([0.001, 0.013]))
    """
    beta = _check(bridge, schedule)
    c = bridge.claimants
    m = _Months(bridge, schedule)
    D_post, e_post = _stationary(c, beta, m.base_post, m.g_post)
    gains, dgains = _backward(c, m, beta, D_post, gradient)
    fwd = _Forward(bridge, schedule, m, gradient)
    for k in range(schedule.months):
        fwd.month(k, gains[k], None if dgains is None else dgains[k])
    return fwd.result(e_post)


class _Forward:
    """The forward recursion over months: survival, months, spending, welfare.

    ``S`` is the share unemployed at the start of a month (on the rolls).  The income
    claimant's month is paid to all of them; the utility claimant's is not paid to a
    searcher who finds a job in it (she earns the wage that month, as in the game's
    payoffs), hence ``same_month`` = the share of searchers working the month they find
    a job (``R``, or 0).
    """

    def __init__(self, bridge: Any, schedule: Schedule, m: _Months,
                 gradient: bool) -> None:
        c = bridge.claimants
        self.c, self.m, self.s = c, m, schedule
        self.kappa = bridge.kappa
        self.spec = bridge.welfare
        self.utility = bridge.maximises == "utility"
        self.same_month = c.R if self.utility else np.zeros_like(c.R)
        n, M = c.R.size, schedule.months
        P = 3 * M + 1 if gradient else 0
        self.P = P
        self.S, self.dS = np.ones(n), np.zeros((n, P))
        self.risk, self.drisk = np.zeros(n), np.zeros((n, P))
        self.months, self.dmonths = np.zeros(n), np.zeros((n, P))
        self.benefit, self.dbenefit = np.zeros(n), np.zeros((n, P))
        self.em, self.dem = np.zeros(n), np.zeros((n, P))
        self.util, self.dutil = np.zeros(n), np.zeros((n, P))
        self.effort = np.empty((n, M))
        if self.spec is not None:
            _, self.lam, self.uw, self.uh = self.spec.anchors(c.wage)

    def month(self, k: int, gain: np.ndarray, dgain: np.ndarray | None) -> None:
        """Advance one month."""
        c, m = self.c, self.m
        e, de_dg = effort_response(gain, c.temperature)
        self.effort[:, k] = e
        S, jm = self.S, self.same_month
        paid = 1.0 - e * jm
        pay = e * (1.0 - jm) * m.pay_e[k] + (1.0 - e) * m.pay_n[k]
        self.risk += S
        self.months += S * paid
        self.benefit += S * pay
        self.em += S * e
        h = e * c.R + (1.0 - e) * c.no_effort_hazard
        flow = None
        if self.spec is not None:
            flow = self._flow_utility(k, e, gain) if self.utility else self._flow(k, e)
        if dgain is not None:
            self._gradients(k, e, de_dg[:, None] * dgain, (paid, pay, h), flow)
        if flow is not None:
            self.util += S * flow[0] + (1.0 - S) * self.uw
        self.S = S * (1.0 - h)

    def _gradients(self, k: int, e: np.ndarray, de: np.ndarray,
                   lines: tuple[np.ndarray, np.ndarray, np.ndarray],
                   flow: tuple[np.ndarray, np.ndarray, np.ndarray] | None) -> None:
        """Carry the month's derivatives (``de``: effort's, shape (types, 3 M + 1))."""
        c, m, S, dS, jm = self.c, self.m, self.S, self.dS, self.same_month
        paid, pay, h = lines
        cols = _columns(self.s.months, k)
        dpay = de * ((1.0 - jm) * m.pay_e[k] - m.pay_n[k])[:, None]
        dpay[:, cols] += (e * (1.0 - jm))[:, None] * m.dpay_e[k] \
            + (1.0 - e)[:, None] * m.dpay_n[k]
        self.drisk += dS
        self.dmonths += dS * paid[:, None] - (S * jm)[:, None] * de
        self.dbenefit += dS * pay[:, None] + S[:, None] * dpay
        self.dem += dS * e[:, None] + S[:, None] * de
        if flow is not None:
            value, d_fixed, d_effort = flow
            self.dutil += dS * (value - self.uw)[:, None] + S[:, None] * de * d_effort[:, None]
            self.dutil[:, cols] += S[:, None] * d_fixed
        self.dS = dS * (1.0 - h)[:, None] - (S * (c.R - c.no_effort_hazard))[:, None] * de

    def _flow(self, k: int, e: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return a month's expected utility while unemployed, ``e A + (1 - e) B``.

        Also its derivative in ``(U0_k, U_k, U1_k, x)`` at fixed ``e`` and in ``e``
        (``A - B``).  The income claimant's criterion: the month is paid to everybody on
        the rolls at its start.
        """
        spec = self.spec
        if spec is None:
            raise OptimizeError("a month's utility needs a welfare criterion")
        c, x, home = self.c, self.s.x, spec.home
        u0, u, u1 = (float(a[k]) for a in self.s.arrays())
        util = spec.utility
        v0, v, v1 = (float(util(np.array(a + home))) for a in (u0, u, u1))
        mu0, mu, mu1 = ((a + home) ** -spec.risk_aversion for a in (u0, u, u1))
        cost = self.lam * (x * c.C0 + (1.0 - x) * c.C)
        A = x * v1 + (1.0 - x) * v - cost
        B = x * v0 + (1.0 - x) * v
        n = c.R.size
        dA = np.column_stack([np.zeros(n), np.full(n, (1.0 - x) * mu), np.full(n, x * mu1),
                              v1 - v - self.lam * (c.C0 - c.C)])
        dB = np.array([x * mu0, (1.0 - x) * mu, 0.0, v0 - v])
        dflow = e[:, None] * dA + (1.0 - e)[:, None] * dB[None, :]
        return e * A + (1.0 - e) * B, dflow, A - B

    def _flow_utility(self, k: int, e: np.ndarray, gain: np.ndarray
                      ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The utility claimant's month, as she values it (utils).

        ``lam (b + e g + tau H(e))``: her flow with the logit's taste term (``H`` the
        entropy), so she maximises her part of the criterion.  Its derivative in ``e`` is
        ``lam (g - gain)`` because ``tau H'(e) = -gain`` at her choice.
        """
        m, lam, tau = self.m, self.lam, self.c.temperature
        g = m.g[k]
        value = lam * (m.b[k] + e * g + tau * _entropy(e))
        d_fixed = lam * (e[:, None] * m.dg[k] + m.db[k][None, :])
        return value, d_fixed, lam * (g - gain)

    def _flow_post(self, e_post: np.ndarray) -> np.ndarray:
        """A month unemployed after exhaustion (utils)."""
        c = self.c
        if self.utility:
            m = self.m
            return np.asarray(self.lam * (m.uh + e_post * m.g_post
                                          + c.temperature * _entropy(e_post)), dtype=float)
        return np.asarray(self.uh - e_post * self.lam * c.C, dtype=float)

    def result(self, e_post: np.ndarray
               ) -> tuple[dict[str, float], dict[str, np.ndarray], np.ndarray]:
        """The averages and gradients after the last month."""
        w, x = self.c.weights, self.s.x
        monitoring = x * self.kappa * self.risk
        dmon = self.kappa * x * self.drisk
        if self.P:
            dmon[:, -1] += self.kappa * self.risk
        spend = self.benefit + monitoring
        dspend = self.dbenefit + dmon
        share = self.em / self.risk
        grads = {
            "effort_share": (self.dem * self.risk[:, None]
                             - self.em[:, None] * self.drisk) / self.risk[:, None] ** 2,
            "reemployment_rate": -self.dS, "months_paid": self.dmonths,
            "benefit_per_claim": self.dbenefit, "monitoring_per_claim": dmon,
            "spend_per_claim": dspend,
        }
        welfare = None
        if self.spec is not None:
            welfare, grads["welfare"] = self._welfare(e_post, spend, dspend)
        avg = {"effort_share": float(w @ share),
               "reemployment_rate": float(w @ (1.0 - self.S)),
               "months_paid": float(w @ self.months),
               "benefit_per_claim": float(w @ self.benefit),
               "monitoring_per_claim": float(w @ monitoring),
               "reskilling_per_claim": 0.0, "spend_per_claim": float(w @ spend)}
        if welfare is not None:
            avg["welfare"] = welfare
        return avg, ({k: w @ v for k, v in grads.items()} if self.P else {}), self.effort

    def _welfare(self, e_post: np.ndarray, spend: np.ndarray, dspend: np.ndarray
                 ) -> tuple[float, np.ndarray]:
        """Return welfare per claim (optimize.welfare's criterion by month), gradient."""
        spec, c, M = self.spec, self.c, self.s.months
        if spec is None:
            raise OptimizeError("welfare needs a welfare criterion")
        rest = float(spec.horizon_months - M)
        h = e_post * c.R + (1.0 - e_post) * c.no_effort_hazard
        G = _geometric_sum(h, rest)
        flow_post = self._flow_post(e_post)
        paid_post = 1.0 - e_post * self.same_month
        util = self.util + self.S * G * flow_post + (rest - self.S * G) * self.uw
        dutil = self.dutil + self.dS * (G * (flow_post - self.uw))[:, None]
        employed = (M - self.months) + (rest - self.S * G * paid_post)
        demployed = -self.dmonths - self.dS * (G * paid_post)[:, None]
        k = spec.contribution_rate * c.wage
        per_type = util / self.lam - spec.mcpf * (spend - k * employed)
        dper_type = dutil / self.lam - spec.mcpf * (dspend - k * demployed)
        return float(c.weights @ per_type), dper_type
