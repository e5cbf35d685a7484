"""The bridge from a policy to behaviour and money (docs/explanation/bridge.md).

A policy ``(U0, U, U1, x)`` pays the tiers of seed 001's monitoring game and monitors a
claimant in a month with probability ``x``.  Claimants choose effort month by month over
the remaining entitlement (:mod:`optimize.spell`, the one model of the claimant): in
month ``k`` the gain from effort is the one-month game's gain (:mod:`optimize.claimgame`)
plus, weighted by the claimant's monthly patience ``beta``, what finding a job sooner is
worth given the benefits still to come.  Effort is a logit with temperature ``tau`` in the
gain.  A month is one round; effort finds a job with monthly hazard ``R``, no effort with
``r0``; searchers are paid ``x U1 + (1 - x) U`` a month, non-searchers ``x U0 + (1 - x) U``;
monitoring costs ``kappa`` per monitored claimant-month.

The stationary tiers of :meth:`Bridge.behaviour` are the schedule that pays the same tiers
in each of the ``M`` months of entitlement; at ``beta = 0`` every month is the one-shot
game, effort is constant over the spell and the months paid are ``m(h) = (1 - (1 -
h)^M) / h`` with the type's monthly exit hazard ``h = e R + (1 - e) r0``
(:func:`months_paid`, a check the tests make).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from optimize.claimants import Claimants
from optimize.claimgame import _game_functions, effort_response, pay_functions
from optimize.errors import PolicyParameterError
from optimize.reskilling import Reskilling
from optimize.spell import (
    Claim,
    Schedule,
    _ever_left,
    _geometric_sum,
    evaluate,
    flat_jacobian,
    schedule_jacobian,
)
from optimize.spell_utility import utility_behaviour
from optimize.welfare import Welfare

__all__ = [
    "DEFAULT_PATIENCE",
    "MAXIMISES",
    "POLICY_NAMES",
    "Behaviour",
    "Bridge",
    "effort_response",
    "median_threshold",
    "months_paid",
    "pay_functions",
    "reemployment",
    "spell_behaviour",
]

#: The policy variables, in order.
POLICY_NAMES = ("U0", "U", "U1", "x")

#: What a claimant may maximise when choosing effort (``Bridge(maximises=...)``).
MAXIMISES = ("income", "utility")


def months_paid(h: np.ndarray | float, M: float) -> np.ndarray:
    """Expected months paid with monthly exit hazard ``h`` and ``M`` months' entitlement.

    ``m(h) = (1 - (1 - h)^M) / h``, with the limit ``M`` at ``h = 0``.

    Parameters
    ----------
    h : float or numpy.ndarray
        Monthly exit hazard(s), in [0, 1].
    M : float
        Months of entitlement.

    Returns
    -------
    numpy.ndarray
        Expected months paid, the shape of ``h``.

    Raises
    ------
    PolicyParameterError
        A hazard outside [0, 1] or not finite.

    Examples
    --------
    >>> float(months_paid(0.0, 12)), round(float(months_paid(0.5, 12)), 6)
    (12.0, 1.999512)
    """
    return _geometric_sum(_hazard(h), M)


def reemployment(h: np.ndarray | float, M: float) -> np.ndarray:
    """Probability of leaving benefit for a job within ``M`` months: ``1 - (1 - h)^M``.

    Parameters
    ----------
    h : float or numpy.ndarray
        Monthly exit hazard(s), in [0, 1].
    M : float
        Months of entitlement.

    Returns
    -------
    numpy.ndarray
        The probability, the shape of ``h``.

    Raises
    ------
    PolicyParameterError
        A hazard outside [0, 1] or not finite.

    Examples
    --------
    >>> float(reemployment(0.5, 2)), float(reemployment(0.0, 12))
    (0.75, 0.0)
    """
    return _ever_left(_hazard(h), M)


def _hazard(h: np.ndarray | float) -> np.ndarray:
    arr = np.asarray(h, dtype=float)
    bad = ~np.isfinite(arr) | (arr < 0) | (arr > 1)
    if np.any(bad):
        raise PolicyParameterError("h", float(arr[bad].flat[0]) if arr.ndim else float(arr),
                                   "a monthly hazard must lie in [0, 1]")
    return arr


@dataclass(frozen=True)
class Behaviour:
    """What a policy or a schedule does to a claimant population (averages over claimants).

    Money in 元 per claim; ``grad`` holds the derivatives of each scalar with respect to
    the variables of the evaluation: the bridge's :attr:`~Bridge.policy_names`
    ``(U0, U, U1, x[, z])`` for :meth:`Bridge.behaviour`, or a schedule's ``U0_0 ..
    U0_{M-1}, U_0 .., U1_0 .., x[, z]`` for :func:`spell_behaviour`.
    ``spend_per_claim`` is benefits plus monitoring plus the net reskilling cost.

    Attributes
    ----------
    effort_share : float
        Share of claim-months with effort (per type the effort months over the months
        paid, averaged over the types).
    reemployment_rate : float
        Probability of leaving benefit for a job within the entitlement.
    months_paid : float
        Expected months of benefit per claim.
    benefit_per_claim, monitoring_per_claim, spend_per_claim : float
        元 per claim.
    threshold : float or None
        The median one-month threshold X* of seed 001's game over the claimant types
        that have one (:func:`median_threshold`), None where none has (or for a schedule).
    grad : dict of str to numpy.ndarray
        Scalar field name -> derivatives in the variables (empty where not asked for).
    reskilling_per_claim : float
        Net reskilling cost per claim (元).
    welfare : float or None
        Welfare per claim where the bridge has a criterion.
    threshold_undefined : float
        Share of claimants whose threshold is undefined.
    effort : numpy.ndarray or None
        Effort probability by claimant type (rows) and month of the spell (columns).

    Examples
    --------
    >>> from optimize.claimants import Claimants
    >>> beh = Bridge(Claimants(n_nodes=5)).behaviour(U0=1530, U=1530, U1=1530, x=0.0)
    >>> 0 < beh.effort_share < 1, sorted(beh.grad)[:3]
    (True, ['benefit_per_claim', 'effort_share', 'monitoring_per_claim'])
    >>> beh.effort.shape
    (25, 12)
    """

    effort_share: float
    reemployment_rate: float
    months_paid: float
    benefit_per_claim: float
    monitoring_per_claim: float
    spend_per_claim: float
    threshold: float | None
    grad: dict[str, np.ndarray] = field(repr=False)
    reskilling_per_claim: float = 0.0
    welfare: float | None = None
    threshold_undefined: float = 0.0
    effort: np.ndarray | None = field(default=None, repr=False, compare=False)

    @property
    def effort_by_month(self) -> np.ndarray:
        """Effort probability by month of the spell, averaged over the claimant types.

        Not weighted by survival: month ``k``'s entry is the average over all types of
        the probability that a claimant still unemployed then searches.

        Returns
        -------
        numpy.ndarray
            Shape ``(M,)``.

        Raises
        ------
        PolicyParameterError
            The behaviour carries no effort by month.

        Examples
        --------
        >>> from optimize.claimants import Claimants
        >>> b = Bridge(Claimants(n_nodes=3), entitlement_months=3)
        >>> b.behaviour(U0=1530, U=1530, U1=1530, x=0.0).effort_by_month.shape
        (3,)
        """
        if self.effort is None:
            raise PolicyParameterError("effort", None, "this behaviour has no effort by month")
        return np.asarray(self.effort.mean(axis=0), dtype=float)

    def as_dict(self) -> dict[str, float]:
        """The scalar fields as a dict.

        ``welfare`` only where the bridge has a criterion; ``threshold`` only where some
        claimant type has one, see :func:`median_threshold`; ``threshold_undefined`` is the
        share without.

        Returns
        -------
        dict of str to float

        Examples
        --------
        >>> from optimize.claimants import Claimants
        >>> beh = Bridge(Claimants(n_nodes=5)).behaviour(U0=1530, U=1530, U1=1530, x=0.0)
        >>> list(beh.as_dict())[:3]
        ['effort_share', 'reemployment_rate', 'months_paid']
        """
        out = {k: float(getattr(self, k)) for k in (
            "effort_share", "reemployment_rate", "months_paid", "benefit_per_claim",
            "monitoring_per_claim", "reskilling_per_claim", "spend_per_claim",
            "threshold_undefined")}
        if self.threshold is not None:
            out["threshold"] = self.threshold
        if self.welfare is not None:
            out["welfare"] = float(self.welfare)
        return out


def median_threshold(thr: np.ndarray) -> tuple[float | None, float]:
    """The median monitoring threshold ``X*`` over the claimant types where it exists.

    ``X*`` is the game's mixed-equilibrium monitoring rate; where its denominator
    vanishes (the monitored and unmonitored gains from effort are equal) it is not
    defined, and such types are left out instead of being given a number.

    Parameters
    ----------
    thr : numpy.ndarray
        ``X*`` per type, NaN or infinite where undefined.

    Returns
    -------
    tuple
        ``(median, undefined_share)``: the median of the defined values clipped to
        [0, 1] (``None`` where no type has one) and the share of types without one.

    Examples
    --------
    >>> median_threshold(np.array([0.2, np.nan, 0.4, 2.0]))
    (0.4, 0.25)
    >>> median_threshold(np.array([np.nan]))
    (None, 1.0)
    """
    arr = np.asarray(thr, dtype=float)
    defined = np.isfinite(arr)
    share = float(1.0 - defined.mean())
    if not defined.any():
        return None, share
    return float(np.median(np.clip(arr[defined], 0.0, 1.0))), share


#: The claimants' monthly patience (discount factor) in the default model; the reason for
#: the value is given in docs/explanation/bridge.md ("Patience").
DEFAULT_PATIENCE = 0.5

#: How many of behaviour_many's answers a bridge keeps (the oldest goes first).
_MANY_KEPT = 4


def _whole_months(value: Any) -> int:
    try:
        M = float(value)
    except (TypeError, ValueError):
        raise PolicyParameterError("entitlement_months", value, "must be a number") from None
    if not (np.isfinite(M) and 1.0 <= M <= 24.0 and M == round(M)):
        raise PolicyParameterError("entitlement_months", value,
                                   "must be a whole number of months in [1, 24]")
    return round(M)


class Bridge:
    """Behaviour of a claimant population under a policy: the month-by-month model.

    Parameters
    ----------
    claimants : Claimants
        The claimant population.
    entitlement_months : int or float
        ``M``, whole months of entitlement (1 to 24): the recursion runs month by month.
    monitoring_cost : float
        ``kappa``, cost of monitoring one claimant for one month (元).
    reskilling : Reskilling, optional
        Adds the reskilling lever ``z`` (元 per claim) to the policy.
    welfare : Welfare, optional
        The welfare criterion, for ``Behaviour.welfare``.
    patience : float
        The claimants' monthly discount factor ``beta`` in [0, 1); 0 makes every month
        seed 001's one-shot game.  Default :data:`DEFAULT_PATIENCE`.
    maximises : {"income", "utility"}
        What a claimant maximises when she chooses effort.  ``"income"`` (default): the
        seed-001 game's money payoffs, linear in money.  ``"utility"``: expected CRRA
        utility of consumption with the ``welfare`` spec's risk aversion, home
        consumption and contribution (:mod:`optimize.spell_utility`,
        docs/explanation/welfare.md); one policy at a time, no reskilling lever.

    Raises
    ------
    PolicyParameterError
        ``claimants`` not a :class:`Claimants`, ``entitlement_months`` not a whole number
        in [1, 24], a negative monitoring cost, a ``patience`` outside [0, 1), a
        ``reskilling`` or ``welfare`` of the wrong type, an unknown ``maximises``, or
        ``maximises="utility"`` without a ``welfare`` spec.

    Examples
    --------
    >>> b = Bridge(Claimants(), entitlement_months=12, monitoring_cost=60)
    >>> flat = b.behaviour(U0=1530, U=1530, U1=1530, x=0.0)
    >>> tiered = b.behaviour(U0=1000, U=1400, U1=1700, x=0.6)
    >>> tiered.effort_share > flat.effort_share
    True
    """

    def __init__(self, claimants: Claimants, *, entitlement_months: float = 12.0,
                 monitoring_cost: float = 60.0, reskilling: Reskilling | None = None,
                 welfare: Welfare | None = None,
                 patience: float = DEFAULT_PATIENCE, maximises: str = "income") -> None:
        if not isinstance(claimants, Claimants):
            raise PolicyParameterError("claimants", claimants, "must be a Claimants instance")
        M = _whole_months(entitlement_months)
        if not np.isfinite(monitoring_cost) or monitoring_cost < 0:
            raise PolicyParameterError("monitoring_cost", monitoring_cost, "must be >= 0")
        if reskilling is not None and not isinstance(reskilling, Reskilling):
            raise PolicyParameterError("reskilling", reskilling,
                                       "must be a Reskilling instance or None")
        if welfare is not None and not isinstance(welfare, Welfare):
            raise PolicyParameterError("welfare", welfare, "must be a Welfare instance or None")
        if isinstance(patience, bool) or not isinstance(patience, int | float | np.number):
            raise PolicyParameterError("patience", patience, "must be a number")
        beta = float(patience)
        if not 0.0 <= beta < 1.0:
            raise PolicyParameterError("patience", patience, "must lie in [0, 1)")
        if maximises not in MAXIMISES:
            raise PolicyParameterError("maximises", maximises,
                                       f"must be one of {', '.join(MAXIMISES)}")
        if maximises == "utility" and welfare is None:
            raise PolicyParameterError("welfare", welfare,
                                       "a claimant who maximises utility needs a Welfare spec "
                                       "(risk aversion, home consumption, contribution)")
        self.maximises = maximises
        self.claimants = claimants
        self.M = float(M)
        self.months = M
        self.kappa = float(monitoring_cost)
        self.reskilling = reskilling
        self.welfare = welfare
        self.patience = beta
        # behaviour_many's recent answers, by the model's settings and the policies asked
        # (a solve screens one grid; a frontier's budgets or a fund change screen it again)
        self._many: dict[tuple[Any, ...], dict[str, np.ndarray]] = {}

    def __getstate__(self) -> dict[str, Any]:
        """The settings, without the cache of answers (kept small for workers)."""
        return self.__dict__ | {"_many": {}}

    def with_(self, **changes: Any) -> Bridge:
        """A copy with some settings changed.

        Parameters
        ----------
        **changes
            ``claimants``, ``entitlement_months``, ``monitoring_cost``, ``reskilling``,
            ``welfare``, ``patience`` or ``maximises``.

        Returns
        -------
        Bridge

        Raises
        ------
        PolicyParameterError
            An unknown setting, or a value the constructor refuses.

        Examples
        --------
        >>> b = Bridge(Claimants(n_nodes=2)).with_(patience=0.0, entitlement_months=6)
        >>> b.patience, b.months
        (0.0, 6)
        """
        settings: dict[str, Any] = {"claimants": self.claimants, "entitlement_months": self.M,
                    "monitoring_cost": self.kappa, "reskilling": self.reskilling,
                    "welfare": self.welfare, "patience": self.patience,
                    "maximises": self.maximises}
        unknown = set(changes) - set(settings)
        if unknown:
            name = sorted(unknown)[0]
            raise PolicyParameterError(name, changes[name], "unknown bridge setting")
        return Bridge(**(settings | changes))

    def __repr__(self) -> str:
        """The settings, without the claimant types."""
        return (f"Bridge(M={self.months}, kappa={self.kappa:g}, patience={self.patience:g}, "
                f"reskilling={self.reskilling is not None}, "
                f"welfare={self.welfare is not None})")

    @property
    def policy_names(self) -> tuple[str, ...]:
        """The policy variables: ``(U0, U, U1, x)``, plus ``z`` with a reskilling lever."""
        return POLICY_NAMES + (("z",) if self.reskilling is not None else ())

    @property
    def claim(self) -> Claim:
        """The settings the month-by-month model reads (:class:`optimize.spell.Claim`)."""
        return Claim(self.claimants, self.patience, self.kappa, self.reskilling, self.welfare)

    def _check_horizon(self) -> None:
        """The welfare horizon covers the entitlement (checked where the tiers are paid)."""
        if self.welfare is not None and self.welfare.horizon_months < self.months:
            raise PolicyParameterError("horizon_months", self.welfare.horizon_months,
                                       f"must be >= the entitlement ({self.months} months)")

    def _check_z(self, z: np.ndarray) -> None:
        if self.reskilling is None and np.any(z != 0):
            raise PolicyParameterError("z", float(z[z != 0][0]),
                                       "needs a bridge with a reskilling lever")

    def behaviour_many(self, *, U0: Any, U: Any, U1: Any, x: Any, z: Any = 0.0,
                       block: int = 512) -> dict[str, np.ndarray]:
        """The scalar fields of :meth:`behaviour` (no gradients, no threshold) for arrays.

        The policies are evaluated in blocks of ``block``, all months of a block at once.

        Parameters
        ----------
        U0, U, U1 : array_like, keyword-only
            Tiers (元/month), >= 0; broadcast together with ``x`` and ``z``.
        x : array_like, keyword-only
            Monitoring probabilities, in [0, 1].
        z : array_like, keyword-only
            Reskilling per claim (元); non-zero only with a reskilling lever.
        block : int, keyword-only
            Policies evaluated at once (memory: ``block`` times the number of claimant
            types times the months).

        Returns
        -------
        dict of str to numpy.ndarray
            ``effort_share``, ``months_paid``, ``benefit_per_claim``, ``monitoring_per_claim``,
            ``reemployment_rate``, ``reskilling_per_claim``, ``spend_per_claim`` (and
            ``welfare`` with a criterion), each flat over the broadcast policies.

        Raises
        ------
        PolicyParameterError
            A negative or non-finite amount, an ``x`` outside [0, 1], or ``z`` without a lever.

        Examples
        --------
        >>> b = Bridge(Claimants(), entitlement_months=12, monitoring_cost=60)
        >>> many = b.behaviour_many(U0=[1530, 1000], U=[1530, 1400], U1=[1530, 1700],
        ...                         x=[0.0, 0.6])
        >>> one = b.behaviour(U0=1000, U=1400, U1=1700, x=0.6)
        >>> bool(abs(many["spend_per_claim"][1] - one.spend_per_claim) < 1e-9)
        True
        """
        arrays = np.broadcast_arrays(*(np.asarray(v, dtype=float).ravel()
                                       for v in (U0, U, U1, x, z)))
        for name, arr in zip((*POLICY_NAMES, "z"), arrays, strict=True):
            lo_bad = arr < 0 if name != "x" else (arr < 0) | (arr > 1)
            if np.any(~np.isfinite(arr) | lo_bad):
                bad = arr[~np.isfinite(arr) | lo_bad][0]
                rule = "is a probability: must lie in [0, 1]" if name == "x" else \
                    "must be a finite amount >= 0"
                raise PolicyParameterError(name, float(bad), rule)
        self._check_z(arrays[4])
        self._check_horizon()
        key = (self._settings(), block, *(a.tobytes() for a in arrays))
        found = self._many.get(key)
        if found is None:
            found = self._many_uncached(arrays, block)
            # a new dict, swapped in whole: threads sharing the bridge (a Dask worker's)
            # may lose an entry, never see a half-updated cache
            kept = dict(self._many)
            kept[key] = found
            self._many = dict(list(kept.items())[-_MANY_KEPT:])
        return {k: v.copy() for k, v in found.items()}

    def _settings(self) -> tuple[Any, ...]:
        """What behaviour depends on besides the policy (objects by identity: frozen)."""
        return (id(self.claimants), self.months, self.kappa, self.patience,
                id(self.reskilling), id(self.welfare), self.maximises)

    def _many_uncached(self, arrays: tuple[np.ndarray, ...], block: int) -> dict[str, np.ndarray]:
        """The work of :meth:`behaviour_many` on checked, broadcast arrays."""
        n = arrays[0].size
        keys = ["effort_share", "reemployment_rate", "months_paid", "benefit_per_claim",
                "monitoring_per_claim", "reskilling_per_claim", "spend_per_claim"]
        keys += ["welfare"] if self.welfare is not None else []
        out = {k: np.empty(n) for k in keys}
        claim, M = self.claim, self.months
        if self.maximises == "utility":  # one policy at a time
            for i in range(n):
                avg, _, _ = self.schedule_values(Schedule.flat(
                    M, U0=arrays[0][i], U=arrays[1][i], U1=arrays[2][i], x=arrays[3][i]))
                for key in keys:
                    out[key][i] = avg[key]
            return out
        for start in range(0, n, block):
            sl = slice(start, min(start + block, n))
            u0, u, u1, xx, zz = (a[sl] for a in arrays)
            avg, _, _ = evaluate(claim, (u0[None], u[None], u1[None]), xx, zz, months=M)
            for key in keys:
                out[key][sl] = avg[key]
        return out

    def behaviour(self, *, U0: float, U: float, U1: float, x: float,
                  z: float = 0.0) -> Behaviour:
        """Effort, re-employment, months and spending per claim of stationary tiers.

        The tiers are paid in every month of the entitlement and claimants choose effort
        month by month (:mod:`optimize.spell`); the gradient in :attr:`policy_names` is
        exact (forward mode through both recursions).  ``z`` (元 per claim) is the
        reskilling lever; it needs a bridge built with ``reskilling=``.

        Parameters
        ----------
        U0, U, U1 : float, keyword-only
            Tiers (元/month), >= 0.
        x : float, keyword-only
            Monitoring probability, in [0, 1].
        z : float, keyword-only
            Reskilling per claim (元).

        Returns
        -------
        Behaviour

        Raises
        ------
        PolicyParameterError
            A negative or non-finite amount, an ``x`` outside [0, 1], or ``z`` without a lever.

        Examples
        --------
        >>> from optimize.claimants import Claimants
        >>> b = Bridge(Claimants(n_nodes=5))
        >>> beh = b.behaviour(U0=1530, U=1530, U1=1530, x=0.0)
        >>> beh.monitoring_per_claim, sorted(beh.grad["spend_per_claim"].shape)
        (0.0, [4])
        """
        return self._behaviour(U0, U, U1, x, z, gradient=True)

    def values(self, *, U0: float, U: float, U1: float, x: float, z: float = 0.0
               ) -> Behaviour:
        """:meth:`behaviour` without the gradient (``grad`` empty), which costs less.

        Parameters
        ----------
        U0, U, U1 : float, keyword-only
            Tiers (元/month), >= 0.
        x : float, keyword-only
            Monitoring probability, in [0, 1].
        z : float, keyword-only
            Reskilling per claim (元).

        Returns
        -------
        Behaviour

        Raises
        ------
        PolicyParameterError
            As :meth:`behaviour`.

        Examples
        --------
        >>> b = Bridge(Claimants(n_nodes=3))
        >>> v = b.values(U0=900, U=1000, U1=1200, x=0.5)
        >>> v.grad, v.spend_per_claim == b.behaviour(U0=900, U=1000, U1=1200, x=0.5).spend_per_claim
        ({}, True)
        """
        return self._behaviour(U0, U, U1, x, z, gradient=False)

    def _behaviour(self, U0: float, U: float, U1: float, x: float, z: float, *,
                   gradient: bool) -> Behaviour:
        for name, value in (("U0", U0), ("U", U), ("U1", U1), ("z", z)):
            if not np.isfinite(value) or value < 0:
                raise PolicyParameterError(name, value, "must be a finite amount >= 0")
        if not 0.0 <= x <= 1.0:
            raise PolicyParameterError("x", x, "is a probability: must lie in [0, 1]")
        self._check_z(np.array([z], dtype=float))
        self._check_horizon()
        M = self.months
        tiers = (np.full(M, float(U0)), np.full(M, float(U)), np.full(M, float(U1)))
        J = flat_jacobian(M, reskilling=self.reskilling is not None) if gradient else None
        if self.maximises == "utility":
            flat = Schedule(tuple(tiers[0]), tuple(tiers[1]), tuple(tiers[2]), float(x))
            avg, full, effort = self.schedule_values(flat, gradient=gradient)
            grad = {k: np.array([v[:M].sum(), v[M:2 * M].sum(), v[2 * M:3 * M].sum(), v[-1]])
                    for k, v in full.items()}
        else:
            avg, grad, effort = evaluate(self.claim, tiers, float(x), float(z), jacobian=J)
        threshold, undefined = self._threshold(U0, U, U1, x, z)
        return _behaviour(avg, grad, effort, threshold, undefined)

    def schedule_values(self, schedule: Schedule, *, z: float = 0.0,
                        jacobian: np.ndarray | None = None, gradient: bool = False
                        ) -> tuple[dict[str, Any], dict[str, np.ndarray], np.ndarray]:
        """The model on a schedule: averages, gradients and effort by type and month.

        The income claimant's recursion (:func:`optimize.spell.evaluate`, gradients in
        the variables of ``jacobian``), or the utility claimant's
        (:func:`optimize.spell_utility.utility_behaviour`, gradients in the schedule's
        ``3 M + 1`` variables where ``gradient``, mapped through ``jacobian`` where given).

        Parameters
        ----------
        schedule : Schedule
            Tiers by month and ``x``.
        z : float, keyword-only
            Reskilling per claim (元).
        jacobian : numpy.ndarray or None, keyword-only
            ``(M, 4, P)``, as :func:`optimize.spell.evaluate` takes it.
        gradient : bool, keyword-only
            Gradients without a ``jacobian`` (in the schedule's variables).

        Returns
        -------
        tuple
            ``(averages, gradients, effort)``.

        Raises
        ------
        PolicyParameterError
            ``z`` with the utility claimant.

        Examples
        --------
        >>> b = Bridge(Claimants(n_nodes=2))
        >>> avg, grad, effort = b.schedule_values(Schedule.flat(3, U0=1, U=1, U1=1))
        >>> effort.shape, grad
        ((4, 3), {})
        """
        if self.maximises == "utility":
            if z != 0:
                raise PolicyParameterError("z", z, "the utility claimant has no reskilling")
            avg, full, effort = utility_behaviour(self, schedule,
                                                  gradient=gradient or jacobian is not None)
            if jacobian is not None and full:
                M = schedule.months
                cols = np.zeros((3 * M + 1, jacobian.shape[-1]))
                for k in range(M):
                    for t in range(3):
                        cols[t * M + k] += jacobian[k, t]
                cols[3 * M] = jacobian[0, 3]
                full = {k: v @ cols for k, v in full.items()}
            return avg, full, effort
        J = jacobian if jacobian is not None else (
            schedule_jacobian(schedule.months, reskilling=self.reskilling is not None)
            if gradient else None)
        return evaluate(self.claim, schedule.arrays(), schedule.x, float(z), jacobian=J)

    def _threshold(self, U0: float, U: float, U1: float, x: float, z: float
                   ) -> tuple[float | None, float]:
        """The median one-month game threshold X* over the types (after reskilling)."""
        c = self.claimants
        R, C0 = c.R, c.C0
        if self.reskilling is not None:
            g, _ = self.reskilling.effect(z)
            R = c.R + (1.0 - c.R) * self.reskilling.max_R_gain * g
            C0 = c.C0 * (1.0 - self.reskilling.max_cost_cut * g)
        with np.errstate(all="ignore"):
            thr = np.broadcast_to(_game_functions()[2](U0, U, U1, x, R, c.wage, c.C, C0),
                                  c.R.shape)
        return median_threshold(thr)


def _behaviour(avg: dict[str, np.ndarray], grad: dict[str, np.ndarray], effort: np.ndarray,
               threshold: float | None, undefined: float) -> Behaviour:
    return Behaviour(
        effort_share=float(avg["effort_share"]),
        reemployment_rate=float(avg["reemployment_rate"]),
        months_paid=float(avg["months_paid"]),
        benefit_per_claim=float(avg["benefit_per_claim"]),
        monitoring_per_claim=float(avg["monitoring_per_claim"]),
        spend_per_claim=float(avg["spend_per_claim"]),
        threshold=threshold, threshold_undefined=undefined, grad=grad,
        reskilling_per_claim=float(avg["reskilling_per_claim"]),
        welfare=float(avg["welfare"]) if "welfare" in avg else None, effort=effort)


def spell_behaviour(bridge: Bridge, schedule: Schedule, *, z: float = 0.0,
                    gradient: bool = True) -> Behaviour:
    """Effort by month (backward induction), durations and spending of a schedule.

    The same model as :meth:`Bridge.behaviour` (which is this function on the schedule
    paying the same tiers every month); the bridge's ``patience`` is the claimants'.

    Parameters
    ----------
    bridge : Bridge
        The claimants, patience, monitoring cost, reskilling and (optionally) the
        welfare criterion; its ``entitlement_months`` is not used: the schedule's length
        is the entitlement.
    schedule : Schedule
        Tiers by month and ``x``.
    z : float
        Reskilling per claim (元); needs a bridge with a reskilling lever.
    gradient : bool
        Carry the gradient in the schedule's ``3 M + 1`` variables (and ``z``, last,
        with a reskilling lever).

    Returns
    -------
    Behaviour
        Averages per claim, effort by type and month, and gradients (``threshold``
        None: a schedule has no single one-month game).

    Raises
    ------
    PolicyParameterError
        A bridge or schedule of the wrong type, a bad ``z``, or a welfare horizon
        shorter than the schedule.

    Examples
    --------
    >>> from optimize import Claimants
    >>> b = Bridge(Claimants(n_nodes=5), patience=0.9)
    >>> short = spell_behaviour(b, Schedule.flat(6, U0=1530, U=1530, U1=1530))
    >>> long = spell_behaviour(b, Schedule.flat(24, U0=1530, U=1530, U1=1530))
    >>> bool(short.effort_by_month[0] > long.effort_by_month[0])    # M changes effort
    True
    >>> bool(long.effort_by_month[-1] > long.effort_by_month[0])    # effort rises to the end
    True
    """
    if not isinstance(bridge, Bridge):
        raise PolicyParameterError("bridge", bridge, "must be an optimize.Bridge")
    if not isinstance(schedule, Schedule):
        raise PolicyParameterError("schedule", schedule, "must be an optimize.spell.Schedule")
    if not np.isfinite(z) or z < 0:
        raise PolicyParameterError("z", z, "must be a finite amount >= 0")
    bridge._check_z(np.array([z], dtype=float))
    if bridge.welfare is not None and bridge.welfare.horizon_months < schedule.months:
        raise PolicyParameterError("horizon_months", bridge.welfare.horizon_months,
                                   f"must be >= the schedule's {schedule.months} months")
    avg, grad, effort = bridge.schedule_values(schedule, z=float(z), gradient=gradient)
    return _behaviour(avg, grad, effort, None, 0.0)
