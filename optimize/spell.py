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

**The utility claimant** (``Bridge(..., welfare=Welfare(...), maximises="utility")``)
makes the same comparison in expected CRRA utility of consumption, with the welfare
spec's risk aversion ``gamma``, home consumption ``h`` and contribution rate: unemployed,
she consumes the benefit plus ``h`` (a lottery over monitoring, in expected utility);
employed, the net wage ``w_net``; the search cost is converted at ``lam = u'(w_net)`` as
:mod:`optimize.welfare` does.  In money-metric units (utils / ``lam``), with
``v* = u(U*_k + h) / lam`` and ``uw = u(w_net) / lam``,

    searcher:      a_k = R uw + (1 - R) (x v1 + (1 - x) v) - (x C0 + (1 - x) C)
    non-searcher:  b_k = x v0 + (1 - x) v
    g_k = a_k - b_k,   and ``pay_none_k - W`` above becomes ``b_k - uw``,

so the recursion, the logit (temperature ``tau`` still in 元) and Newton's method for
``D_M`` (after exhaustion ``h`` alone) are the same.  Her month follows the game's
timing in the accounting too: a searcher who finds a job works that month and is not
paid it (months paid ``S_k (1 - e_k R)``), and the welfare criterion counts her month as
she values it, ``lam (b_k + e_k g_k + tau H(e_k))`` with the logit's taste term (``H``
the entropy), so that her choice maximises her part of the criterion.

Forward, the share still unemployed at the start of month ``k`` is
``S_{k+1} = S_k (1 - e_k R - (1 - e_k) r0)``; month ``k`` is paid to ``S_k`` (the
income claimant; ``S_k (1 - e_k R)`` for the utility claimant).  Every quantity is
vectorised over claimant types x months, and its gradient in the schedule
(``U0_k, U_k, U1_k`` for every month, and ``x``) is carried forward-mode through both
recursions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import special

from optimize.bridge import Bridge, _game_functions, effort_response, pay_functions
from optimize.claimants import Claimants
from optimize.errors import OptimizeError, PolicyParameterError
from optimize.welfare import Welfare

__all__ = ["Schedule", "SpellBehaviour", "spell_behaviour", "stationary_values"]

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


@dataclass(frozen=True)
class SpellBehaviour:
    """What a schedule does to the claimants (averages over types; money per claim).

    Parameters
    ----------
    effort_share : float
        Share of claim-months with effort (the average over types of the effort
        months over the months on the rolls, i.e. unemployed at a month's start).
    reemployment_rate : float
        Share re-employed within the entitlement.
    months_paid, benefit_per_claim, monitoring_per_claim, spend_per_claim : float
        Months paid and spending (元) per claim; monitoring covers every month on the
        rolls (the utility claimant is not paid the month she finds a job in).
    welfare : float or None
        The bridge's welfare criterion (``None`` without one).
    effort : numpy.ndarray
        Effort probability by claimant type (rows) and month (columns).
    grad : dict
        Derivative of each scalar in the schedule's variables, an array of length
        ``3 M + 1``: ``U0_0 .. U0_{M-1}``, ``U_0 ..``, ``U1_0 ..``, ``x`` (empty
        without ``gradient``).

    Examples
    --------
    >>> from optimize import Claimants
    >>> beh = spell_behaviour(Bridge(Claimants(n_nodes=2)), Schedule.flat(3, U0=1, U=1, U1=1))
    >>> beh.effort.shape, beh.grad["spend_per_claim"].shape
    ((4, 3), (10,))
    """

    effort_share: float
    reemployment_rate: float
    months_paid: float
    benefit_per_claim: float
    monitoring_per_claim: float
    spend_per_claim: float
    welfare: float | None
    effort: np.ndarray = field(repr=False)
    grad: dict[str, np.ndarray] = field(repr=False)

    @property
    def effort_by_month(self) -> np.ndarray:
        """Effort probability by month, averaged over claimant types (not survival).

        Returns
        -------
        numpy.ndarray
            Shape ``(M,)``.
        """
        return np.asarray(self.effort.mean(axis=0), dtype=float)

    def as_dict(self) -> dict[str, float]:
        """The scalar fields (``welfare`` only where the bridge has a criterion).

        Returns
        -------
        dict
            Field name to value.

        Examples
        --------
        >>> from optimize import Claimants
        >>> b = Bridge(Claimants(n_nodes=2))
        >>> sorted(spell_behaviour(b, Schedule.flat(2, U0=1, U=1, U1=1)).as_dict())[:2]
        ['benefit_per_claim', 'effort_share']
        """
        out = {k: float(getattr(self, k)) for k in (
            "effort_share", "reemployment_rate", "months_paid", "benefit_per_claim",
            "monitoring_per_claim", "spend_per_claim")}
        if self.welfare is not None:
            out["welfare"] = float(self.welfare)
        return out


def _entropy(e: np.ndarray) -> np.ndarray:
    """``-e log e - (1 - e) log(1 - e)``, 0 at ``e`` = 0 and 1."""
    return np.asarray(special.entr(e) + special.entr(1.0 - e), dtype=float)


def _softplus(gain: np.ndarray, tau: float) -> np.ndarray:
    """``tau log(1 + exp(gain / tau))``, or ``max(gain, 0)`` at ``tau = 0``."""
    if tau > 0:
        return np.asarray(tau * np.logaddexp(0.0, gain / tau), dtype=float)
    return np.asarray(np.maximum(gain, 0.0), dtype=float)


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
    return _stationary(c, float(patience), float(pay_none) - c.wage, g)


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
        if np.max(np.abs(step)) <= 1e-10 * max(c.wage, 1.0):
            e, _ = effort_response(g - beta * (R - r0) * D, tau)
            return D, e
    raise OptimizeError("the stationary value of a claimant did not converge")


def _check(bridge: Bridge, schedule: Schedule, patience: float) -> float:
    if not isinstance(bridge, Bridge):
        raise PolicyParameterError("bridge", bridge, "must be an optimize.Bridge")
    if not isinstance(schedule, Schedule):
        raise PolicyParameterError("schedule", schedule, "must be an optimize.spell.Schedule")
    try:
        beta = float(patience)
    except (TypeError, ValueError):
        raise PolicyParameterError("patience", patience, "must be a number") from None
    if not 0.0 <= beta < 1.0:
        raise PolicyParameterError("patience", patience, "must lie in [0, 1)")
    if bridge.reskilling is not None:
        raise PolicyParameterError("bridge", "reskilling",
                                   "schedules over the spell do not model reskilling yet")
    if bridge.welfare is not None and bridge.welfare.horizon_months < schedule.months:
        raise PolicyParameterError("horizon_months", bridge.welfare.horizon_months,
                                   f"must be >= the schedule's {schedule.months} months")
    return beta


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

    def __init__(self, bridge: Bridge, schedule: Schedule) -> None:
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
        w_net = c.wage * (1.0 - spec.contribution_rate)
        self.lam = lam = w_net ** -gamma
        self.uw = float(spec.utility(np.array(w_net))) / lam
        self.uh = float(spec.utility(np.array(home))) / lam
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


def spell_behaviour(bridge: Bridge, schedule: Schedule, *, patience: float = 0.0,
                    gradient: bool = True) -> SpellBehaviour:
    """Effort by month (backward induction), durations and spending of a schedule.

    Parameters
    ----------
    bridge : Bridge
        The claimants, the monitoring cost, (optionally) the welfare criterion and what
        the claimant maximises (``maximises``: the game's income, or expected utility
        with the welfare spec -- module docstring); its ``entitlement_months`` is not
        used: the schedule's length is the entitlement.
    schedule : Schedule
        Tiers by month and ``x``.
    patience : float
        The claimant's monthly discount factor ``beta`` in [0, 1); 0 is seed 001's
        one-shot game every month.
    gradient : bool
        Carry the gradient in the schedule's ``3 M + 1`` variables.

    Returns
    -------
    SpellBehaviour
        Averages per claim, effort by type and month, and gradients.

    Raises
    ------
    PolicyParameterError
        A bad ``patience``, a bridge with reskilling, or a welfare horizon shorter than
        the schedule.

    Examples
    --------
    >>> from optimize import Claimants
    >>> b = Bridge(Claimants(n_nodes=5))
    >>> short = spell_behaviour(b, Schedule.flat(6, U0=1530, U=1530, U1=1530), patience=0.9)
    >>> long = spell_behaviour(b, Schedule.flat(24, U0=1530, U=1530, U1=1530), patience=0.9)
    >>> bool(short.effort_by_month[0] > long.effort_by_month[0])    # M changes effort
    True
    >>> bool(long.effort_by_month[-1] > long.effort_by_month[0])    # effort rises to the end
    True
    >>> averse = Bridge(Claimants(n_nodes=5), welfare=Welfare(), maximises="utility")
    >>> cut = spell_behaviour(averse, Schedule.tiers([1500, 750], [6], months=12), patience=0.9)
    >>> flat = spell_behaviour(averse, Schedule.flat(12, U0=1500, U=1500, U1=1500), patience=0.9)
    >>> cut.effort_by_month[[0, 5]].round(3), flat.effort_by_month[[0, 5]].round(3)
    (array([0.006, 0.351]), array([0.001, 0.013]))
    """
    beta = _check(bridge, schedule, patience)
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

    def __init__(self, bridge: Bridge, schedule: Schedule, m: _Months,
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
            sp_ = self.spec
            self.w_net = c.wage * (1.0 - sp_.contribution_rate)
            self.lam = self.w_net ** -sp_.risk_aversion
            self.uw = float(sp_.utility(np.array(self.w_net)))
            self.uh = float(sp_.utility(np.array(sp_.home)))

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

    def result(self, e_post: np.ndarray) -> SpellBehaviour:
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
        return SpellBehaviour(
            effort_share=float(w @ share), reemployment_rate=float(w @ (1.0 - self.S)),
            months_paid=float(w @ self.months), benefit_per_claim=float(w @ self.benefit),
            monitoring_per_claim=float(w @ monitoring), spend_per_claim=float(w @ spend),
            welfare=welfare, effort=self.effort,
            grad={k: w @ v for k, v in grads.items()} if self.P else {})

    def _welfare(self, e_post: np.ndarray, spend: np.ndarray, dspend: np.ndarray
                 ) -> tuple[float, np.ndarray]:
        """Return welfare per claim (optimize.welfare's criterion by month), gradient."""
        spec, c, M = self.spec, self.c, self.s.months
        if spec is None:
            raise OptimizeError("welfare needs a welfare criterion")
        rest = float(spec.horizon_months - M)
        h = e_post * c.R + (1.0 - e_post) * c.no_effort_hazard
        with np.errstate(divide="ignore", invalid="ignore"):
            G = np.where(h > 0, (1.0 - (1.0 - h) ** rest) / h, rest)
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
