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
from optimize.reskilling import Reskilling
from optimize.welfare import Welfare

__all__ = [
    "MAXIMISES",
    "POLICY_NAMES",
    "Behaviour",
    "Bridge",
    "effort_response",
    "median_threshold",
    "months_paid",
    "pay_functions",
    "reemployment",
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
    h = _hazard(h)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = (1.0 - (1.0 - h) ** M) / h
    return np.where(h > 0, out, float(M))


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
    the bridge's :attr:`~Bridge.policy_names`: ``(U0, U, U1, x)``, and ``z`` (reskilling
    per claim) where the bridge has a reskilling lever.  ``spend_per_claim`` is benefits
    plus monitoring plus the net reskilling cost.

    Attributes
    ----------
    effort_share : float
        Share of claimants who search.
    reemployment_rate : float
        Probability of leaving benefit for a job within the entitlement.
    months_paid : float
        Expected months of benefit per claim.
    benefit_per_claim, monitoring_per_claim, spend_per_claim : float
        元 per claim.
    threshold : float or None
        The median threshold X* over the claimant types that have one
        (:func:`median_threshold`), None where none has.
    grad : dict of str to numpy.ndarray
        Scalar field name -> derivatives in the policy variables.
    reskilling_per_claim : float
        Net reskilling cost per claim (元).
    welfare : float or None
        Welfare per claim where the bridge has a criterion.
    threshold_undefined : float
        Share of claimants whose threshold is undefined.

    Examples
    --------
    >>> from optimize.claimants import Claimants
    >>> beh = Bridge(Claimants(n_nodes=5)).behaviour(U0=1530, U=1530, U1=1530, x=0.0)
    >>> 0 < beh.effort_share < 1, sorted(beh.grad)[:3]
    (True, ['benefit_per_claim', 'effort_share', 'monitoring_per_claim'])
    """

    effort_share: float
    reemployment_rate: float
    months_paid: float
    benefit_per_claim: float
    monitoring_per_claim: float
    spend_per_claim: float
    threshold: float | None
    grad: dict[str, np.ndarray]
    reskilling_per_claim: float = 0.0
    welfare: float | None = None
    threshold_undefined: float = 0.0

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
        out = {k: getattr(self, k) for k in (
            "effort_share", "reemployment_rate", "months_paid", "benefit_per_claim",
            "monitoring_per_claim", "reskilling_per_claim", "spend_per_claim",
            "threshold_undefined")}
        if self.threshold is not None:
            out["threshold"] = self.threshold
        if self.welfare is not None:
            out["welfare"] = self.welfare
        return out


def effort_response(gain: np.ndarray, temperature: float) -> tuple[np.ndarray, np.ndarray]:
    """Share of effort given the gain from it, and its derivative in the gain.

    The logit ``1 / (1 + exp(-gain / temperature))``, or the sharp ``1[gain > 0]`` at 0.

    >>> e, de = effort_response(np.array([-100.0, 0.0, 100.0]), 50.0)
    >>> e.round(4).tolist(), float(de[1])
    ([0.1192, 0.5, 0.8808], 0.005)
    """
    if temperature > 0:
        e = 1.0 / (1.0 + np.exp(-np.clip(gain / temperature, -500, 500)))
        return e, e * (1.0 - e) / temperature
    e = (gain > 0).astype(float)
    return e, np.zeros_like(e)


#: Attributes holding lambdified functions, left out of a pickle.
_GAME_FUNCTIONS = ("_gain", "_dgain", "_threshold", "_channels")


@functools.lru_cache(maxsize=1)
def pay_functions() -> tuple[Any, list[Any], Any, list[Any]]:
    """The monthly pay of a searcher and of a non-searcher, with their gradients.

    The one place the pay formula is written: a searcher is paid ``U1`` when monitored
    and ``U`` otherwise, a non-searcher ``U0`` or ``U``, so in expectation over
    monitoring

        pay_effort = x U1 + (1 - x) U,        pay_none = x U0 + (1 - x) U.

    Returns
    -------
    tuple
        ``(pay_effort, d pay_effort, pay_none, d pay_none)``: lambdified functions of
        ``(U0, U, U1, x)``; each gradient is a list of four functions, one per variable.

    Examples
    --------
    >>> pe, dpe, pn, dpn = pay_functions()
    >>> float(pe(800, 1200, 1500, 0.5)), float(pn(800, 1200, 1500, 0.5))
    (1350.0, 1000.0)
    >>> [float(f(800, 1200, 1500, 0.5)) for f in dpn]
    [0.5, 0.5, 0.0, -400.0]
    """
    U0, U, U1, x = sp.symbols("U0 U U1 x")
    wrt = (U0, U, U1, x)
    out: list[Any] = []
    for expr in (x * U1 + (1 - x) * U, x * U0 + (1 - x) * U):
        out.append(sp.lambdify(wrt, expr, "numpy"))
        out.append([sp.lambdify(wrt, sp.diff(expr, v), "numpy") for v in wrt])
    return out[0], out[1], out[2], out[3]


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


@functools.lru_cache(maxsize=1)
def _game_functions() -> tuple[Any, list[Any], Any, list[Any]]:
    """The claimant's gain from effort and what follows from it, lambdified once.

    Its gradient in the policy, the threshold X*, and the gain's derivatives in ``R`` and ``C0``
    (the reskilling channels), lambdified from the seed-001 monitoring game (derived once per
    process).
    """
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
    f_channels = [sp.lambdify(args, sp.diff(gain, p[v]), "numpy") for v in ("R", "C0")]
    return f_gain, f_dgain, f_threshold, f_channels


class Bridge:
    """Behaviour of a claimant population under a policy, from the seed-001 game.

    Parameters
    ----------
    claimants : Claimants
        The claimant population.
    entitlement_months : float
        ``M``, months of entitlement counted within the fund year (1 to 24).
    monitoring_cost : float
        ``kappa``, cost of monitoring one claimant for one month (元).
    reskilling : Reskilling, optional
        Adds the reskilling lever ``z`` (元 per claim) to the policy.
    welfare : Welfare, optional
        The welfare criterion, for ``Behaviour.welfare``.
    maximises : {"income", "utility"}
        What a claimant maximises when she chooses effort.  ``"income"`` (default): the
        seed-001 game's money payoffs, linear in money.  ``"utility"``: expected CRRA
        utility of consumption with the ``welfare`` spec's risk aversion, home
        consumption and contribution (:mod:`optimize.spell`, docs/explanation/welfare.md);
        only the month-by-month model (:func:`optimize.spell.spell_behaviour`,
        :func:`optimize.spellsolve.solve_schedule`) has this claimant.

    Raises
    ------
    PolicyParameterError
        ``claimants`` not a :class:`Claimants`, ``entitlement_months`` outside [1, 24], a
        negative monitoring cost, a ``reskilling`` or ``welfare`` of the wrong type, an
        unknown ``maximises``, or ``maximises="utility"`` without a ``welfare`` spec.

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
                 welfare: Welfare | None = None, maximises: str = "income") -> None:
        if not isinstance(claimants, Claimants):
            raise PolicyParameterError("claimants", claimants, "must be a Claimants instance")
        M = float(entitlement_months)
        if not 1.0 <= M <= 24.0:
            raise PolicyParameterError("entitlement_months", entitlement_months,
                                       "must lie in [1, 24]")
        if not np.isfinite(monitoring_cost) or monitoring_cost < 0:
            raise PolicyParameterError("monitoring_cost", monitoring_cost, "must be >= 0")
        if reskilling is not None and not isinstance(reskilling, Reskilling):
            raise PolicyParameterError("reskilling", reskilling,
                                       "must be a Reskilling instance or None")
        self.claimants = claimants
        self.M = M
        self.kappa = float(monitoring_cost)
        if welfare is not None and not isinstance(welfare, Welfare):
            raise PolicyParameterError("welfare", welfare, "must be a Welfare instance or None")
        if maximises not in MAXIMISES:
            raise PolicyParameterError("maximises", maximises,
                                       f"must be one of {', '.join(MAXIMISES)}")
        if maximises == "utility" and welfare is None:
            raise PolicyParameterError("welfare", welfare,
                                       "a claimant who maximises utility needs a Welfare spec "
                                       "(risk aversion, home consumption, contribution)")
        self.reskilling = reskilling
        self.welfare = welfare
        self.maximises = maximises
        self._gain, self._dgain, self._threshold, self._channels = _game_functions()
        c = claimants
        self._m_effort = months_paid(c.R, M)
        self._m_none = float(months_paid(c.no_effort_hazard, M))
        self._rho_effort = reemployment(c.R, M)
        self._rho_none = float(reemployment(c.no_effort_hazard, M))

    def __getstate__(self) -> dict[str, Any]:
        """Pickle without the lambdified game functions.

        They are rebuilt from their cache on load, so a problem can be sent to worker processes
        (:mod:`uicore.executors`).
        """
        state = self.__dict__.copy()
        for name in _GAME_FUNCTIONS:
            state.pop(name, None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        """Restore a pickled bridge and re-attach the game functions."""
        self.__dict__.update(state)
        self._gain, self._dgain, self._threshold, self._channels = _game_functions()

    @property
    def policy_names(self) -> tuple[str, ...]:
        """The policy variables: ``(U0, U, U1, x)``, plus ``z`` with a reskilling lever."""
        return POLICY_NAMES + (("z",) if self.reskilling is not None else ())

    def _types(self, z: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Per type (policies broadcast in front): ``R``, ``C0``, months and re-employment.

        With effort, after reskilling ``z``.
        """
        c = self.claimants
        r = self.reskilling
        if r is None or np.all(np.asarray(z) == 0):
            return c.R, c.C0, self._m_effort, self._rho_effort
        g, _ = r.effect(z)
        R = c.R + (1.0 - c.R) * r.max_R_gain * g
        C0 = c.C0 * (1.0 - r.max_cost_cut * g)
        return R, C0, months_paid(R, self.M), reemployment(R, self.M)

    def _lines(self, U0: Any, U: Any, U1: Any, x: Any, z: Any = 0.0
               ) -> tuple[np.ndarray, np.ndarray, tuple[np.ndarray, ...]]:
        """Per claimant type (last axis; policies broadcast in front): the lines of a claim.

        Effort share, its derivative in the gain, and months, benefit, monitoring, re-employment
        and net reskilling cost.
        """
        if self.maximises != "income":
            raise PolicyParameterError(
                "maximises", self.maximises,
                "the stationary bridge has only the income-maximising claimant; use "
                "optimize.spell.spell_behaviour or optimize.spellsolve.solve_schedule")
        c = self.claimants
        R, C0, m_e, rho_e = self._types(z)
        gain = self._gain(U0, U, U1, x, R, c.wage, c.C, C0)
        gain = np.broadcast_to(gain, np.broadcast_shapes(np.shape(gain), np.shape(R)))
        e, de_dgain = effort_response(gain, c.temperature)
        m_n = self._m_none
        months = e * m_e + (1 - e) * m_n
        pay_e, _, pay_n, _ = pay_functions()
        benefit = e * pay_e(U0, U, U1, x) * m_e + (1 - e) * pay_n(U0, U, U1, x) * m_n
        monitoring = x * self.kappa * months
        reemp = e * rho_e + (1 - e) * self._rho_none
        repaid = self.reskilling.repaid_share if self.reskilling is not None else 0.0
        reskill = z * (1.0 - repaid * reemp)
        return e, de_dgain, (months, benefit, monitoring, reemp, reskill)

    def behaviour_many(self, *, U0: Any, U: Any, U1: Any, x: Any, z: Any = 0.0,
                       block: int = 2048) -> dict[str, np.ndarray]:
        """The scalar fields of :meth:`behaviour` (no gradients, no threshold) for arrays.

        The policies are evaluated in blocks of ``block``.

        Parameters
        ----------
        U0, U, U1 : array_like, keyword-only
            Tiers (元/month), >= 0; broadcast together with ``x`` and ``z``.
        x : array_like, keyword-only
            Monitoring probabilities, in [0, 1].
        z : array_like, keyword-only
            Reskilling per claim (元); non-zero only with a reskilling lever.
        block : int, keyword-only
            Policies evaluated at once (memory: ``block`` times the number of claimant types).

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
        if self.reskilling is None and np.any(arrays[4] != 0):
            raise PolicyParameterError("z", float(arrays[4][arrays[4] != 0][0]),
                                       "needs a bridge with a reskilling lever")
        n = arrays[0].size
        keys = ("effort_share", "months_paid", "benefit_per_claim", "monitoring_per_claim",
                "reemployment_rate", "reskilling_per_claim")
        out = {k: np.empty(n) for k in keys}
        w = self.claimants.weights
        for start in range(0, n, block):
            sl = slice(start, min(start + block, n))
            u0, u, u1, xx, zz = (a[sl, None] for a in arrays)
            e, _, lines = self._lines(u0, u, u1, xx, zz)
            for key, arr in zip(keys, (e, *lines), strict=True):
                out[key][sl] = np.broadcast_to(arr, e.shape) @ w
        out["spend_per_claim"] = (out["benefit_per_claim"] + out["monitoring_per_claim"]
                                  + out["reskilling_per_claim"])
        if self.welfare is not None:
            a0, a1, a2, a3, a4 = arrays
            out["welfare"] = np.concatenate([
                self.welfare.per_claim(self, U0=a0[sl], U=a1[sl], U1=a2[sl], x=a3[sl],
                                       z=a4[sl])
                for sl in (slice(s, s + block) for s in range(0, n, block))]) \
                if n else np.empty(0)
        return out

    def behaviour(self, *, U0: float, U: float, U1: float, x: float,
                  z: float = 0.0) -> Behaviour:
        """Effort share, re-employment, months and spending per claim, with gradients.

        ``z`` (元 per claim) is the reskilling lever; it needs a bridge built with
        ``reskilling=``.

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
        for name, value in (("U0", U0), ("U", U), ("U1", U1), ("z", z)):
            if not np.isfinite(value) or value < 0:
                raise PolicyParameterError(name, value, "must be a finite amount >= 0")
        if not 0.0 <= x <= 1.0:
            raise PolicyParameterError("x", x, "is a probability: must lie in [0, 1]")
        if self.reskilling is None and z != 0:
            raise PolicyParameterError("z", z, "needs a bridge with a reskilling lever")
        c = self.claimants
        R, C0, m_e, rho_e = self._types(z)
        args = (U0, U, U1, x, R, c.wage, c.C, C0)
        e, de_dgain, lines = self._lines(U0, U, U1, x, z)
        months, benefit, monitoring, reemp, reskill = lines
        w = c.weights
        m_n = self._m_none
        f_pe, f_dpe, f_pn, f_dpn = pay_functions()
        pay_e, pay_n = f_pe(U0, U, U1, x), f_pn(U0, U, U1, x)
        repaid = self.reskilling.repaid_share if self.reskilling is not None else 0.0
        # Per policy variable: d gain, d pay (effort / none), d m_e, d rho_e, direct cost
        shape = c.R.shape
        zero = np.zeros(shape)
        channels = [
            (f(*args), dpe(U0, U, U1, x), dpn(U0, U, U1, x), zero, zero, 0.0)
            for f, dpe, dpn in zip(self._dgain, f_dpe, f_dpn, strict=True)
        ]
        if self.reskilling is not None:
            r = self.reskilling
            _, dg = r.effect(z)
            dR = (1.0 - c.R) * r.max_R_gain * dg
            dC0 = -c.C0 * r.max_cost_cut * dg
            f_R, f_C0 = self._channels
            dgain_z = f_R(*args) * dR + f_C0(*args) * dC0
            channels.append((dgain_z, 0.0, 0.0, _dmonths_dh(R, self.M) * dR,
                             self.M * (1.0 - R) ** (self.M - 1) * dR, 1.0))
        keys = ("effort_share", "reemployment_rate", "months_paid", "benefit_per_claim",
                "monitoring_per_claim", "reskilling_per_claim", "spend_per_claim")
        grads: dict[str, list[float]] = {k: [] for k in keys}
        for k, (dgain, dpe, dpn, dm_e, drho_e, direct) in enumerate(channels):
            de = de_dgain * np.broadcast_to(dgain, shape)
            dmonths = de * (m_e - m_n) + e * dm_e
            dbenefit = de * (pay_e * m_e - pay_n * m_n) + e * dpe * m_e \
                + (1 - e) * dpn * m_n + e * pay_e * dm_e
            dmon = self.kappa * (x * dmonths + (months if k == 3 else 0.0))
            dreemp = de * (rho_e - self._rho_none) + e * drho_e
            dreskill = direct * (1.0 - repaid * reemp) - z * repaid * dreemp
            for key, arr in zip(keys, (de, dreemp, dmonths, dbenefit, dmon, dreskill,
                                       dbenefit + dmon + dreskill), strict=True):
                grads[key].append(float(w @ np.broadcast_to(arr, shape)))
        with np.errstate(all="ignore"):
            thr = np.broadcast_to(self._threshold(*args), shape)
        threshold, undefined = median_threshold(thr)
        reskill_total = float(w @ np.broadcast_to(reskill, shape))
        welfare = None
        if self.welfare is not None:
            welfare, grads["welfare"] = self._welfare_and_gradient(self.welfare, U0, U, U1,
                                                                     x, z)
        return Behaviour(
            effort_share=float(w @ e),
            reemployment_rate=float(w @ reemp),
            months_paid=float(w @ months),
            benefit_per_claim=float(w @ benefit),
            monitoring_per_claim=float(w @ monitoring),
            spend_per_claim=float(w @ (benefit + monitoring)) + reskill_total,
            threshold=threshold,
            threshold_undefined=undefined,
            grad={k: np.array(v) for k, v in grads.items()
                  if self.reskilling is not None or k != "reskilling_per_claim"},
            reskilling_per_claim=reskill_total,
            welfare=welfare,
        )

    def _welfare_and_gradient(self, spec: Welfare, U0: float, U: float, U1: float,
                              x: float, z: float) -> tuple[float, list[float]]:
        """Welfare per claim and its gradient in :attr:`policy_names`.

        By central differences (one-sided at ``x = 0``, ``x = 1`` and at zero amounts).
        """
        point = np.array([U0, U, U1, x, z], dtype=float)
        names = self.policy_names
        steps = np.array([1e-2, 1e-2, 1e-2, 1e-6, 1e-2])[:len(names)]
        lo = np.zeros(len(names))
        hi = np.array([np.inf, np.inf, np.inf, 1.0, np.inf])[:len(names)]
        rows = [point]
        spans = []
        for k, h in enumerate(steps):
            up, dn = point.copy(), point.copy()
            up[k] = min(point[k] + h, hi[k])
            dn[k] = max(point[k] - h, lo[k])
            rows += [up, dn]
            spans.append(up[k] - dn[k])
        pts = np.array(rows)
        vals = spec.per_claim(self, U0=pts[:, 0], U=pts[:, 1], U1=pts[:, 2],
                                      x=pts[:, 3], z=pts[:, 4])
        grad = [float((vals[1 + 2 * k] - vals[2 + 2 * k]) / spans[k])
                for k in range(len(steps))]
        return float(vals[0]), grad


def _dmonths_dh(h: np.ndarray, M: float) -> np.ndarray:
    """Derivative of ``m(h) = (1 - (1 - h)^M) / h`` (limit ``-M(M-1)/2`` at ``h = 0``)."""
    h = np.asarray(h, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = (M * h * (1.0 - h) ** (M - 1) - (1.0 - (1.0 - h) ** M)) / h**2
    return np.where(h > 1e-8, out, -M * (M - 1) / 2.0)
