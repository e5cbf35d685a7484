"""Benefit schedules over the spell, with effort chosen month by month (backward induction).

A :class:`Schedule` pays, in month ``k = 0 .. M-1`` of a claim, the three tiers of seed
001's game ``(U0_k, U_k, U1_k)`` and monitors with probability ``x``; its length is the
entitlement ``M``.  Tiers with breakpoints (:meth:`Schedule.tiers`) and the Shanghai
step-down (:func:`optimize.schedules.shanghai_schedule`) are special cases.

A claimant in month ``k`` compares effort with no effort.  The month's payoffs are the
game's (:func:`optimize.bridge.pay_functions` and the game's gain ``g_k``, lambdified from
:func:`gametheory.models.monitoring_game`); a searcher who finds a job (hazard ``R``)
starts it this month, a non-searcher's job (hazard ``r0``) starts next month.  Measured
against being employed (the wage ``W`` every month), the value of being unemployed at the
start of month ``k`` is ``D_k`` and

    gain_k = g_k - beta (R - r0) D_{k+1}
    D_k    = pay_none_k - W + beta (1 - r0) D_{k+1} + tau log(1 + exp(gain_k / tau))
    e_k    = 1 / (1 + exp(-gain_k / tau))

(the logit's inclusive value, i.e. i.i.d. extreme-value tastes each month; ``tau = 0``
gives the sharp ``max`` and ``1[gain > 0]``).  ``beta`` is the claimant's monthly
patience: at ``beta = 0`` each month is seed 001's one-shot game; with ``beta > 0`` the
benefits still to come lower the gain (``D`` is less negative with more entitlement
left), so effort rises towards exhaustion and depends on ``M`` and on the schedule's
shape.  After exhaustion nothing is paid and nobody is monitored: ``D_M`` is the
stationary value of that state (Newton's method on its Bellman equation).

Forward, the share still unemployed at the start of month ``k`` is
``S_{k+1} = S_k (1 - e_k R - (1 - e_k) r0)``; month ``k`` is paid to ``S_k``.  Every
quantity is vectorised over claimant types x months, and its gradient in the schedule
(``U0_k, U_k, U1_k`` for every month, and ``x``) is carried forward-mode through both
recursions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from optimize.claimants import Claimants
from optimize.claimgame import _game_functions, pay_functions
from optimize.errors import OptimizeError, PolicyParameterError

__all__ = ["Claim", "Schedule", "evaluate", "flat_jacobian", "schedule_jacobian",
           "stationary_values"]

#: Longest schedule accepted (months).
MAX_MONTHS = 600


def _amounts(name: str, values: Any) -> tuple[float, ...]:
    try:
        arr = np.atleast_1d(np.asarray(values, dtype=float))
    except (TypeError, ValueError):
        raise PolicyParameterError(name, values, "must be amounts (元)") from None
    if arr.ndim != 1 or not 1 <= arr.size <= MAX_MONTHS:
        raise PolicyParameterError(name, values,
                                   f"must be 1 to {MAX_MONTHS} monthly amounts")
    if np.any(~np.isfinite(arr) | (arr < 0)):
        raise PolicyParameterError(name, values, "every amount must be finite and >= 0")
    return tuple(float(v) for v in arr)


@dataclass(frozen=True)
class Schedule:
    """Monthly benefits by month of the spell, and the monitoring probability.

    Parameters
    ----------
    U0, U, U1 : sequence of float
        The game's tiers in each month ``0 .. M-1`` of a claim (元/month): ``U0`` for a
        monitored non-searcher, ``U1`` for a monitored searcher, ``U`` when not
        monitored.  All three have the length ``M``, the entitlement.
    x : float
        Probability that a claimant is monitored in a month, in [0, 1].

    Raises
    ------
    PolicyParameterError
        Amounts that are negative, not finite, of different lengths or more than
        :data:`MAX_MONTHS`; ``x`` outside [0, 1].

    Examples
    --------
    >>> s = Schedule.tiers([1500.0, 1000.0], [3], months=6)
    >>> s.U
    (1500.0, 1500.0, 1500.0, 1000.0, 1000.0, 1000.0)
    >>> s.months, s.x
    (6, 0.0)
    """

    U0: tuple[float, ...]
    U: tuple[float, ...]
    U1: tuple[float, ...]
    x: float = 0.0

    def __post_init__(self) -> None:
        tiers = {name: _amounts(name, getattr(self, name)) for name in ("U0", "U", "U1")}
        if len({len(v) for v in tiers.values()}) != 1:
            raise PolicyParameterError("U", self.U, "U0, U and U1 must have the same length")
        for name, value in tiers.items():
            object.__setattr__(self, name, value)
        try:
            x = float(self.x)
        except (TypeError, ValueError):
            raise PolicyParameterError("x", self.x, "must be a number") from None
        if not 0.0 <= x <= 1.0:
            raise PolicyParameterError("x", self.x, "is a probability: must lie in [0, 1]")
        object.__setattr__(self, "x", x)

    @property
    def months(self) -> int:
        """The entitlement ``M``: the number of months paid at most."""
        return len(self.U)

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(U0, U, U1)`` as arrays of shape ``(M,)``.

        Returns
        -------
        tuple of numpy.ndarray
            The three tiers by month.

        Examples
        --------
        >>> Schedule.flat(2, U0=1.0, U=2.0, U1=3.0).arrays()[2].tolist()
        [3.0, 3.0]
        """
        return (np.array(self.U0), np.array(self.U), np.array(self.U1))

    @classmethod
    def flat(cls, months: int, *, U0: float, U: float, U1: float, x: float = 0.0
             ) -> Schedule:
        """The stationary tiers ``(U0, U, U1)`` paid for ``months`` months.

        Parameters
        ----------
        months : int
            The entitlement ``M`` (1 to :data:`MAX_MONTHS`).
        U0, U, U1 : float
            The tiers (元/month).
        x : float
            Monitoring probability.

        Returns
        -------
        Schedule
            The same tiers every month.

        Raises
        ------
        PolicyParameterError
            ``months`` not an integer in range, or a bad amount.

        Examples
        --------
        >>> Schedule.flat(3, U0=800, U=1200, U1=1500, x=0.5).U1
        (1500.0, 1500.0, 1500.0)
        """
        n = _months(months)
        return cls((U0,) * n, (U,) * n, (U1,) * n, x)

    @classmethod
    def tiers(cls, levels: Any, breakpoints: Any, *, months: int, x: float = 0.0
              ) -> Schedule:
        """Piecewise-constant tiers: segment ``j`` runs from breakpoint ``j-1`` to ``j``.

        Parameters
        ----------
        levels : sequence
            One level per segment: a number (paid as ``U0 = U = U1``) or a triple
            ``(U0, U, U1)``.
        breakpoints : sequence of int
            Strictly increasing months in ``1 .. months-1`` where a new segment starts;
            one fewer than ``levels``.
        months : int
            The entitlement ``M``.
        x : float
            Monitoring probability.

        Returns
        -------
        Schedule
            The schedule month by month.

        Raises
        ------
        PolicyParameterError
            Breakpoints that are not increasing integers inside the entitlement, or not
            one fewer than the levels.

        Examples
        --------
        >>> Schedule.tiers([(800, 1200, 1500), (800, 900, 1000)], [1], months=2).U
        (1200.0, 900.0)
        """
        n = _months(months)
        rows = [(float(v),) * 3 if np.ndim(v) == 0 else tuple(float(t) for t in v)
                for v in levels]
        if not rows or any(len(r) != 3 for r in rows):
            raise PolicyParameterError("levels", levels,
                                       "must be numbers or (U0, U, U1) triples, one or more")
        cuts = [int(b) for b in breakpoints]
        if len(cuts) != len(rows) - 1 or any(float(b) != c for b, c in zip(
                breakpoints, cuts, strict=True)) or cuts != sorted(set(cuts)) \
                or (cuts and not (0 < cuts[0] and cuts[-1] < n)):
            raise PolicyParameterError(
                "breakpoints", breakpoints,
                f"must be {len(rows) - 1} strictly increasing integers in [1, {n - 1}]")
        seg = np.searchsorted(np.array(cuts, dtype=int), np.arange(n), side="right")
        table = np.array(rows)[seg]
        return cls(tuple(table[:, 0]), tuple(table[:, 1]), tuple(table[:, 2]), x)

    def to_frame(self) -> pd.DataFrame:
        """The tiers by month.

        Returns
        -------
        pandas.DataFrame
            Index ``month`` (0-based); columns ``U0``, ``U``, ``U1``.

        Examples
        --------
        >>> Schedule.flat(2, U0=1, U=2, U1=3).to_frame().shape
        (2, 3)
        """
        u0, u, u1 = self.arrays()
        return pd.DataFrame({"U0": u0, "U": u, "U1": u1},
                            index=pd.RangeIndex(self.months, name="month"))


def _months(months: Any) -> int:
    if isinstance(months, bool) or not isinstance(months, int | np.integer) \
            or not 1 <= months <= MAX_MONTHS:
        raise PolicyParameterError("months", months,
                                   f"must be an integer in [1, {MAX_MONTHS}]")
    return int(months)


def _logit(gain: np.ndarray, tau: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Effort, its derivative in the gain, and the inclusive value, with one ``exp``.

    ``e = 1 / (1 + exp(-gain / tau))``, ``de/dgain = e (1 - e) / tau`` and
    ``tau log(1 + exp(gain / tau))`` (:func:`optimize.claimgame.effort_response` and the
    softplus at once); the sharp ``1[gain > 0]`` and ``max(gain, 0)`` at ``tau = 0``.
    """
    if tau <= 0:
        e = (gain > 0).astype(float)
        return e, np.zeros_like(e), np.asarray(np.maximum(gain, 0.0), dtype=float)
    u = gain / tau
    t = np.exp(-np.abs(u))
    inv = 1.0 / (1.0 + t)
    e = np.where(u >= 0, inv, t * inv)
    return e, e * (1.0 - e) / tau, tau * (np.maximum(u, 0.0) + np.log1p(t))


def stationary_values(claimants: Claimants, *, patience: float, pay_none: float = 0.0,
                      game_gain: np.ndarray | None = None
                      ) -> tuple[np.ndarray, np.ndarray]:
    """Return the stationary value and effort of a claimant paid the same for ever.

    ``D`` is measured against employment; it is the fixed point of the Bellman
    equation (module docstring), found by Newton's method.

    Parameters
    ----------
    claimants : Claimants
        The claimant types.
    patience : float
        ``beta`` in [0, 1).
    pay_none : float
        The monthly pay of a non-searcher (0 after exhaustion).
    game_gain : numpy.ndarray or None
        The game's one-month gain from effort per type; ``None``: no pay, nobody
        monitored (``R W - C``).

    Returns
    -------
    tuple of numpy.ndarray
        ``(D, e)`` per type.

    Raises
    ------
    OptimizeError
        Newton's method did not converge (it converges for every ``beta < 1``: the
        equation is convex and decreasing in ``D``).

    Examples
    --------
    >>> c = Claimants(n_nodes=2, temperature=0.0)
    >>> D, e = stationary_values(c, patience=0.0)
    >>> bool(np.allclose(D, -c.wage + np.maximum(c.R * c.wage - c.C, 0.0)))
    True
    """
    c = claimants
    g = c.R * c.wage - c.C if game_gain is None else np.asarray(game_gain, dtype=float)
    return _stationary(c, c.R, float(patience), pay_none, g)


def _stationary(c: Claimants, R: np.ndarray, beta: float, pay_none: float, g: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray]:
    """:func:`stationary_values` with the job-finding probabilities ``R`` given."""
    r0, W, tau = c.no_effort_hazard, c.wage, c.temperature
    D = np.full(np.broadcast_shapes(np.shape(R), np.shape(g)), pay_none - W, dtype=float)
    for _ in range(200):
        gain = g - beta * (R - r0) * D
        e, _, inclusive = _logit(gain, tau)
        f = pay_none - W + beta * (1.0 - r0) * D + inclusive - D
        step = f / (beta * (1.0 - r0) - beta * (R - r0) * e - 1.0)
        D = D - step
        # relative to D too: D reaches -W / (1 - beta), where rounding alone moves a
        # Newton step by ~eps |D| / (1 - beta), more than 1e-10 W for a beta near 1
        if np.all(np.abs(step) <= 1e-10 * np.maximum(np.abs(D), max(W, 1.0))):
            e, _, _ = _logit(g - beta * (R - r0) * D, tau)
            return D, e
    raise OptimizeError("the stationary value of a claimant did not converge")


def schedule_jacobian(months: int, *, reskilling: bool = False) -> np.ndarray:
    """The map from a month's ``(U0_k, U_k, U1_k, x)`` to a schedule's variables.

    The variables are ``U0_0 .. U0_{M-1}, U_0 .., U1_0 .., x`` (and ``z`` with a
    reskilling lever).

    Parameters
    ----------
    months : int
        The schedule's length ``M``.
    reskilling : bool
        Add the column of the reskilling lever ``z`` (last).

    Returns
    -------
    numpy.ndarray
        Shape ``(M, 4, 3 M + 1)`` (``3 M + 2`` with reskilling).

    Examples
    --------
    >>> J = schedule_jacobian(2)
    >>> J.shape, J[1, :, :].nonzero()[1].tolist()
    ((2, 4, 7), [1, 3, 5, 6])
    """
    M = _months(months)
    J = np.zeros((M, 4, 3 * M + 1 + int(reskilling)))
    for k in range(M):
        for t in range(3):
            J[k, t, t * M + k] = 1.0
        J[k, 3, 3 * M] = 1.0
    return J


def flat_jacobian(months: int, *, reskilling: bool = False) -> np.ndarray:
    """The map from a month's ``(U0_k, U_k, U1_k, x)`` to stationary tiers ``(U0, U, U1, x)``.

    Every month pays the same tiers, so each month's derivative enters the tiers'
    gradient once (and ``z`` is a fifth column with a reskilling lever).

    Parameters
    ----------
    months : int
        The entitlement ``M``.
    reskilling : bool
        Add the column of the reskilling lever ``z`` (last).

    Returns
    -------
    numpy.ndarray
        Shape ``(M, 4, 4)`` (``(M, 4, 5)`` with reskilling).

    Examples
    --------
    >>> flat_jacobian(3, reskilling=True)[2].tolist()[3]
    [0.0, 0.0, 0.0, 1.0, 0.0]
    """
    M = _months(months)
    return np.broadcast_to(np.eye(4, 4 + int(reskilling)), (M, 4, 4 + int(reskilling))).copy()


@dataclass(frozen=True)
class Claim:
    """What the month-by-month model needs besides the policies (the bridge's settings).

    Attributes
    ----------
    claimants : Claimants
        The claimant types.
    patience : float
        The claimants' monthly discount factor ``beta`` in [0, 1).
    kappa : float
        Monitoring cost per monitored claimant-month (元).
    reskilling : Any
        An :class:`optimize.reskilling.Reskilling` or None.
    welfare : Any
        An :class:`optimize.welfare.Welfare` or None.
    """

    claimants: Claimants
    patience: float
    kappa: float
    reskilling: Any = None
    welfare: Any = None


class _Months:
    """The per-month inputs of policies: the game's gain, pays and their derivatives.

    Policies broadcast in front of the claimant types (last axis); tiers carry the
    month first.  With a Jacobian ``J`` (shape ``(M, 4, P)``, a single policy) the
    derivatives are carried in the ``P`` variables; ``iz`` is the column of ``z``.
    """

    def __init__(self, claim: Claim, tiers: tuple[Any, Any, Any], x: Any, z: Any,
                 J: np.ndarray | None, iz: int | None, months: int | None = None) -> None:
        c = claim.claimants
        u0, u, u1 = (np.asarray(a, dtype=float)[..., None] for a in tiers)
        xx = np.asarray(x, dtype=float)[..., None]
        zz = np.asarray(z, dtype=float)[..., None]
        self.tiers, self.x, self.z = (u0, u, u1), xx, zz
        R, C0 = c.R, c.C0
        dR, dC0 = np.zeros_like(c.R), np.zeros_like(c.R)
        r = claim.reskilling
        if r is not None:
            g, dgz = r.effect(zz)
            R = c.R + (1.0 - c.R) * r.max_R_gain * g
            C0 = c.C0 * (1.0 - r.max_cost_cut * g)
            dR, dC0 = (1.0 - c.R) * r.max_R_gain * dgz, -c.C0 * r.max_cost_cut * dgz
        self.R, self.C0 = np.asarray(R, dtype=float), np.asarray(C0, dtype=float)
        M = months or u0.shape[0]
        shape = (M, *np.broadcast_shapes(u0.shape[1:], self.R.shape))
        f_gain, f_dgain, _, f_ch = _game_functions()
        args = (u0, u, u1, xx, self.R, c.wage, c.C, self.C0)
        self.g = np.broadcast_to(f_gain(*args), shape)
        pe, dpe, pn, dpn = pay_functions()
        pshape = (M, *np.broadcast_shapes(u0.shape, xx.shape)[1:])
        self.pay_e = np.broadcast_to(pe(u0, u, u1, xx), pshape)
        self.pay_n = np.broadcast_to(pn(u0, u, u1, xx), pshape)
        post = (0.0, 0.0, 0.0, 0.0, self.R, c.wage, c.C, self.C0)
        self.g_post = np.broadcast_to(f_gain(*post), self.R.shape)
        self.dg_post_dR = np.broadcast_to(f_ch[0](*post), self.R.shape)
        self.P = 0 if J is None else J.shape[-1]
        self.iz = iz
        if J is None:
            return
        n = c.R.size
        dg4 = np.stack([np.broadcast_to(f(*args), shape) for f in f_dgain], axis=-1)
        #: d g / d variables, shape (M, n, P)
        self.dg = np.matmul(dg4, J)
        self.dpay_e, self.dpay_n = (np.matmul(np.stack(
            [np.broadcast_to(f(u0, u, u1, xx), pshape) for f in d], axis=-1), J)
            for d in (dpe, dpn))
        self.dR, self.dC0 = np.zeros((n, self.P)), np.zeros((n, self.P))
        if iz is not None:
            self.dR[:, iz], self.dC0[:, iz] = dR.ravel(), dC0.ravel()
            self.dg[..., iz] += (np.broadcast_to(f_ch[0](*args), shape) * dR
                                 + np.broadcast_to(f_ch[1](*args), shape) * dC0)
        #: d x / d variables (the same every month)
        self.dx = J[0, 3, :]
        self.J = J


def _post(c: Claimants, m: _Months, beta: float
          ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, np.ndarray | None]:
    """Value and effort after exhaustion (and their derivatives, through ``R``)."""
    R, r0, tau = m.R, c.no_effort_hazard, c.temperature
    D, e = _stationary(c, R, beta, 0.0, m.g_post)
    if not m.P:
        return D, e, None, None
    # implicit function: F(D, R) = -W + beta (1 - r0) D + softplus(g - beta (R - r0) D) - D
    dF_dD = beta * (1.0 - r0) - beta * (R - r0) * e - 1.0
    dF_dR = e * (m.dg_post_dR - beta * D)
    dD = -(dF_dR / dF_dD)[:, None] * m.dR
    _, de_dg, _ = _logit(m.g_post - beta * (R - r0) * D, tau)
    de = de_dg[:, None] * ((m.dg_post_dR - beta * D)[:, None] * m.dR
                           - (beta * (R - r0))[:, None] * dD)
    return D, e, dD, de


def _backward(c: Claimants, m: _Months, beta: float, D_post: np.ndarray,
              dD_post: np.ndarray | None
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Effort by month and type, its derivative in the gain, and the gains' gradients.

    By backward induction from the value after exhaustion.
    """
    M = m.g.shape[0]
    R, r0, W, tau = m.R, c.no_effort_hazard, c.wage, c.temperature
    efforts = np.empty(m.g.shape)
    de_dgains = np.empty(m.g.shape)
    dgains = np.empty(m.dg.shape) if m.P else None
    D, dD = D_post, dD_post
    slope = beta * (R - r0)
    for k in range(M - 1, -1, -1):
        gain = m.g[k] - slope * D
        e, de_dg, inclusive = _logit(gain, tau)
        efforts[k], de_dgains[k] = e, de_dg
        if dgains is not None and dD is not None:
            dgain = m.dg[k] - slope[:, None] * dD
            if m.iz is not None:  # reskilling moves R
                dgain -= beta * m.dR * D[:, None]
            dgains[k] = dgain
            dD = beta * (1.0 - r0) * dD + e[:, None] * dgain + m.dpay_n[k]
        D = m.pay_n[k] - W + beta * (1.0 - r0) * D + inclusive
    return efforts, de_dgains, dgains


def evaluate(claim: Claim, tiers: tuple[Any, Any, Any], x: Any, z: Any = 0.0, *,
             jacobian: np.ndarray | None = None, months: int | None = None
             ) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], np.ndarray]:
    """The month-by-month model: averages per claim of policies, gradients, effort.

    Parameters
    ----------
    claim : Claim
        Claimants, patience, monitoring cost, reskilling and welfare settings.
    tiers : tuple
        ``(U0, U, U1)``, each of shape ``(M, *batch)``: the tiers by month (or
        ``(1, *batch)`` with ``months``: the same tiers every month).
    x, z : array_like
        Monitoring probability and reskilling per claim, of shape ``batch``.
    jacobian : numpy.ndarray or None
        ``(M, 4, P)``: carry the gradient in ``P`` variables (a single policy; the
        last column is ``z`` with a reskilling lever).
    months : int or None
        The entitlement, where the tiers are given once for every month.

    Returns
    -------
    tuple
        ``(averages, gradients, effort)``: averages over the claimant types of shape
        ``batch``; gradients of shape ``(P,)`` (empty without a Jacobian); effort by
        type and month, ``(*batch, n, M)``.

    Examples
    --------
    >>> claim = Claim(Claimants(n_nodes=2), patience=0.0, kappa=60.0)
    >>> avg, grad, effort = evaluate(claim, ([1.0, 1.0], [1.0, 1.0], [1.0, 1.0]), 0.0)
    >>> effort.shape, sorted(avg)[:2], grad
    ((4, 2), ['benefit_per_claim', 'effort_share'], {})
    """
    c = claim.claimants
    J = jacobian
    iz = None if J is None or claim.reskilling is None else J.shape[-1] - 1
    m = _Months(claim, tiers, x, z, J, iz, months)
    beta = float(claim.patience)
    D_post, e_post, dD_post, de_post = _post(c, m, beta)
    efforts, de_dgains, dgains = _backward(c, m, beta, D_post, dD_post)
    fwd = _Forward(claim, m)
    for k in range(m.g.shape[0]):
        fwd.month(k, efforts[k], de_dgains[k], None if dgains is None else dgains[k])
    return fwd.result(e_post, de_post)


class _Forward:
    """The forward recursion over months: survival, months, spending, welfare."""

    def __init__(self, claim: Claim, m: _Months) -> None:
        c = claim.claimants
        self.c, self.m = c, m
        self.kappa = claim.kappa
        self.spec = claim.welfare
        self.repaid = 0.0 if claim.reskilling is None else claim.reskilling.repaid_share
        M = m.g.shape[0]
        shape = m.g.shape[1:]
        P = m.P
        self.S, self.dS = np.ones(shape), np.zeros((*shape, P))
        self.months, self.dmonths = np.zeros(shape), np.zeros((*shape, P))
        self.benefit, self.dbenefit = np.zeros(shape), np.zeros((*shape, P))
        self.em, self.dem = np.zeros(shape), np.zeros((*shape, P))
        self.util, self.dutil = np.zeros(shape), np.zeros((*shape, P))
        self.effort = np.empty((*shape, M))
        if self.spec is not None:
            _, self.lam, self.uw, self.uh = self.spec.anchors(c.wage)

    def month(self, k: int, e: np.ndarray, de_dg: np.ndarray, dgain: np.ndarray | None
              ) -> None:
        """Advance one month: effort ``e``, its derivative in the gain, the gain's gradient."""
        c, m = self.c, self.m
        R, r0 = m.R, c.no_effort_hazard
        self.effort[..., k] = e
        S = self.S
        pay = e * m.pay_e[k] + (1.0 - e) * m.pay_n[k]
        self.months += S
        self.benefit += S * pay
        self.em += S * e
        h = e * R + (1.0 - e) * r0
        flow = self._flow(k, e) if self.spec is not None else None
        if dgain is not None:
            de = de_dg[:, None] * dgain
            dpay = de * (m.pay_e[k] - m.pay_n[k]) + e[:, None] * m.dpay_e[k] \
                + (1.0 - e)[:, None] * m.dpay_n[k]
            dS = self.dS
            self.dmonths += dS
            self.dbenefit += dS * pay[:, None] + S[:, None] * dpay
            self.dem += dS * e[:, None] + S[:, None] * de
            if flow is not None:
                value, A_minus_B, dflow = flow
                self.dutil += dS * (value - self.uw)[:, None] \
                    + S[:, None] * (de * A_minus_B[:, None] + dflow)
            dh = de * (R - r0)[:, None]
            if m.iz is not None:  # reskilling moves R
                dh += e[:, None] * m.dR
            self.dS = dS * (1.0 - h)[:, None] - S[:, None] * dh
        if flow is not None:
            self.util += S * flow[0] + (1.0 - S) * self.uw
        self.S = S * (1.0 - h)

    def _flow(self, k: int, e: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """Return a month's expected utility while unemployed, ``e A + (1 - e) B``.

        Also ``A - B`` and (with gradients) the derivative in the variables at fixed ``e``.
        """
        spec, m = self.spec, self.m
        if spec is None:
            raise OptimizeError("a month's utility needs a welfare criterion")
        c, x, home = self.c, m.x, spec.home
        u0, u, u1 = (t[k if t.shape[0] > 1 else 0] for t in m.tiers)
        util = spec.utility
        v0, v, v1 = (util(a + home) for a in (u0, u, u1))
        cost = self.lam * (x * m.C0 + (1.0 - x) * c.C)
        A = x * v1 + (1.0 - x) * v - cost
        B = x * v0 + (1.0 - x) * v
        if not m.P:
            return e * A + (1.0 - e) * B, A - B, None
        mu0, mu, mu1 = ((float(a.flat[0]) + home) ** -spec.risk_aversion for a in (u0, u, u1))
        xs, v0s, vs, v1s = (float(a.flat[0]) for a in (x, v0, v, v1))
        n = c.R.size
        dA = np.column_stack([np.zeros(n), np.full(n, (1.0 - xs) * mu), np.full(n, xs * mu1),
                              v1s - vs - self.lam * (m.C0.ravel() - c.C)])
        dB = np.array([xs * mu0, (1.0 - xs) * mu, 0.0, v0s - vs])
        dflow4 = e[:, None] * dA + (1.0 - e)[:, None] * dB[None, :]
        dflow = dflow4 @ m.J[k] - (e * self.lam * xs)[:, None] * m.dC0
        return e * A + (1.0 - e) * B, A - B, dflow

    def result(self, e_post: np.ndarray, de_post: np.ndarray | None
               ) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], np.ndarray]:
        """The averages and gradients after the last month."""
        m, w = self.m, self.c.weights
        x, z = m.x, m.z
        monitoring = x * self.kappa * self.months
        reemp = 1.0 - self.S
        reskill = z * (1.0 - self.repaid * reemp)
        spend = self.benefit + monitoring + reskill
        per_type = {
            "effort_share": self.em / self.months, "reemployment_rate": reemp,
            "months_paid": self.months, "benefit_per_claim": self.benefit,
            "monitoring_per_claim": monitoring, "reskilling_per_claim": reskill,
            "spend_per_claim": spend}
        grads: dict[str, np.ndarray] = {}
        if m.P:
            dmon = self.kappa * (float(x.flat[0]) * self.dmonths
                                 + self.months[:, None] * m.dx[None, :])
            dreemp = -self.dS
            dreskill = -float(z.flat[0]) * self.repaid * dreemp
            if m.iz is not None:
                dreskill[:, m.iz] += 1.0 - self.repaid * reemp
            grads = {
                "effort_share": (self.dem * self.months[:, None]
                                 - self.em[:, None] * self.dmonths) / self.months[:, None] ** 2,
                "reemployment_rate": dreemp, "months_paid": self.dmonths,
                "benefit_per_claim": self.dbenefit, "monitoring_per_claim": dmon,
                "reskilling_per_claim": dreskill,
                "spend_per_claim": self.dbenefit + dmon + dreskill,
            }
            if m.iz is None:  # no reskilling lever: its cost is 0 whatever the policy
                del grads["reskilling_per_claim"]
        if self.spec is not None:
            per_type["welfare"], dwelfare = self._welfare(e_post, de_post, spend,
                                                          grads.get("spend_per_claim"))
            if dwelfare is not None:
                grads["welfare"] = dwelfare
        return ({k: np.asarray(v @ w, dtype=float) for k, v in per_type.items()},
                {k: np.asarray(w @ v, dtype=float) for k, v in grads.items()}, self.effort)

    def _welfare(self, e_post: np.ndarray, de_post: np.ndarray | None, spend: np.ndarray,
                 dspend: np.ndarray | None) -> tuple[np.ndarray, np.ndarray | None]:
        """Return welfare per type (optimize.welfare's criterion by month), gradient."""
        spec, c, m = self.spec, self.c, self.m
        if spec is None:
            raise OptimizeError("welfare needs a welfare criterion")
        M = m.g.shape[0]
        R, r0 = m.R, c.no_effort_hazard
        rest = float(spec.horizon_months - M)
        h = e_post * R + (1.0 - e_post) * r0
        G = _geometric_sum(h, rest)
        flow_post = self.uh - e_post * self.lam * c.C
        S = self.S
        util = self.util + S * G * flow_post + (rest - S * G) * self.uw
        employed = (M - self.months) + (rest - S * G)
        k = spec.contribution_rate * c.wage
        per_type = util / self.lam - spec.mcpf * (spend - k * employed)
        if dspend is None or de_post is None:
            return per_type, None
        dh = de_post * (R - r0)[:, None] + e_post[:, None] * m.dR
        dG_dh = _geometric_sum_dh(h, rest) if rest > 0 else np.zeros_like(h)
        dSG = self.dS * G[:, None] + S[:, None] * dG_dh[:, None] * dh
        dflow_post = -de_post * (self.lam * c.C)[:, None]
        dutil = self.dutil + dSG * (flow_post - self.uw)[:, None] \
            + (S * G)[:, None] * dflow_post
        demployed = -self.dmonths - dSG
        return per_type, dutil / self.lam - spec.mcpf * (dspend - k * demployed)


def _ever_left(h: np.ndarray, n: Any) -> np.ndarray:
    """Return ``1 - (1 - h)^n`` (``n >= 0`` real) as ``-expm1(n log1p(-h))``.

    The plain formula loses its digits to cancellation when ``h`` is small (all of them
    below machine precision).
    """
    h, n = np.broadcast_arrays(np.asarray(h, dtype=float), np.asarray(n, dtype=float))
    with np.errstate(divide="ignore", invalid="ignore"):   # log1p(-1); n * -inf at n = 0
        out = -np.expm1(n * np.log1p(-h))
    return np.asarray(np.where(h < 1.0, out, np.where(n > 0, 1.0, 0.0)), dtype=float)


def _geometric_sum(h: np.ndarray, n: Any) -> np.ndarray:
    """Return ``sum_{k < n} (1 - h)^k = (1 - (1 - h)^n) / h`` (``n`` at ``h = 0``).

    Accurate to rounding for every ``h`` in [0, 1] (see :func:`_ever_left`).
    """
    h, n = np.broadcast_arrays(np.asarray(h, dtype=float), np.asarray(n, dtype=float))
    with np.errstate(divide="ignore", invalid="ignore"):
        out = _ever_left(h, n) / h
    return np.asarray(np.where(h > 0, out, n), dtype=float)


def _geometric_sum_dh(h: np.ndarray, M: Any) -> np.ndarray:
    """Derivative in ``h`` of :func:`_geometric_sum`, ``(1 - (1 - h)^M) / h``.

    The numerator's two terms are each computed to rounding (``expm1``/``log1p``), so the
    quotient keeps a relative error near ``2 eps / (M h)``; below ``h = 1e-7`` the
    series ``-M(M-1)/2 + M(M-1)(M-2) h / 3`` (error ``O(M^4 h^2)``) takes over.
    """
    h = np.asarray(h, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        # (1 - h)^(M - 1): through log1p where 1 - h would round, plainly where it is 0
        stay = np.where(h < 0.5, np.exp((M - 1) * np.log1p(-np.minimum(h, 0.5))),
                        (1.0 - h) ** (M - 1))
        out = (M * h * stay - _ever_left(h, M)) / h**2
    series = -M * (M - 1) / 2.0 + M * (M - 1) * (M - 2) / 3.0 * h
    return np.asarray(np.where(h > 1e-7, out, series), dtype=float)
