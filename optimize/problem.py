"""A policy problem: bounds, constraints, objective, and its evaluation.

:func:`default_problem` is the Qinghai 2023–2027 case (docs/explanation/bridge.md lists
every default with its source).  A :class:`Problem` exposes ``bounds`` and
``evaluate(U0=…, U=…, U1=…, x=…)``; :func:`optimize.solve` searches it.
"""

from __future__ import annotations

from dataclasses import KW_ONLY, dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from fund.data import qinghai
from fund.scenarios import default_opening_reserve, expected_scenario
from fund.stochastic import StartState
from optimize.bridge import DEFAULT_PATIENCE, Behaviour, Bridge, spell_behaviour
from optimize.calibration import (
    DEFAULT_R_MEAN,
    DURATION_ELASTICITY_RANGE,
    Calibration,
    calibrate_R_mean,
    calibration_report,
    fit_elasticity,
)
from optimize.claimants import Claimants
from optimize.errors import InfeasibleProblemError, PolicyParameterError
from optimize.fundlink import FundLink, ScenarioSet
from optimize.reskilling import Reskilling
from optimize.spell import Schedule
from optimize.welfare import Welfare

# Calibration, DEFAULT_R_MEAN and DURATION_ELASTICITY_RANGE live in optimize.calibration;
# they stay importable from here.
__all__ = [
    "DEFAULT_R_MEAN",
    "DURATION_ELASTICITY_RANGE",
    "OBJECTIVES",
    "QINGHAI_MINIMUM_WAGE",
    "Calibration",
    "Chance",
    "Evaluation",
    "Problem",
    "default_problem",
]

#: Qinghai's monthly minimum wage (元, class-I areas, in force from 2020): the seed's
#: 2020–2022 monthly benefit of 1,530 元 is exactly 90% of it, the "90% of the minimum
#: wage" policy that seed 001 quotes.
QINGHAI_MINIMUM_WAGE = 1700.0

#: Objectives (all "higher is better").
OBJECTIVES = {
    "reemployment": "probability that a claimant is re-employed within the entitlement",
    "effort": "share of claimants for whom effort is the best response",
    "cost": "minus the spend per claim (元), i.e. the cheapest policy",
    "welfare": "claimants' money-metric expected utility minus the fund's net cost at the "
               "marginal cost of public funds (元 per claim; optimize.welfare)",
}


def objective_value(name: str, beh: Any) -> tuple[Any, Any]:
    """The objective ``name`` (higher is better) and its gradient.

    From a :class:`~optimize.bridge.Behaviour` or from the arrays of ``behaviour_many`` (which
    carry no gradients: the second value is then ``None``).
    """
    if name not in OBJECTIVES:
        raise PolicyParameterError("objective", name, f"must be one of {sorted(OBJECTIVES)}")
    key = {"reemployment": "reemployment_rate", "effort": "effort_share",
           "welfare": "welfare"}.get(name)
    fields: dict[str, Any] = beh if isinstance(beh, dict) else vars(beh)
    grad = fields.get("grad") or None  # no gradients carried: None
    if key is None:
        return -fields["spend_per_claim"], None if grad is None else -grad["spend_per_claim"]
    return fields[key], None if grad is None else grad[key]


@dataclass(frozen=True)
class Chance:
    """Chance-constrained sustainability: ``P(reserve >= floor every year) >= 1 - alpha``.

    The constraint is imposed on ``n_scenarios`` Monte Carlo paths of the fund drawn with
    ``seed`` (common random numbers: every policy is judged on the same paths).  With
    ``certify`` (default) the optimum is then checked on an independent ensemble
    ``certify_factor`` times larger (drawn from the child ``SeedSequence(seed,
    spawn_key=(1,))``): where the one-sided ``confidence`` Clopper-Pearson lower bound
    of its sustainable share falls short of ``1 - alpha``, the in-sample level is
    tightened and the problem solved again, until the bound meets ``1 - alpha``.

    Parameters
    ----------
    alpha : float
        Allowed probability of breaking the floor, in (0, 1).
    n_scenarios : int
        Scenarios the problem is solved on (>= 10).
    seed : int
        Seed of both ensembles (>= 0).
    certify : bool
        Certify out of sample (and tighten where needed).
    certify_factor : int
        Size of the certification ensemble in multiples of ``n_scenarios`` (>= 10).
    confidence : float
        Confidence of the one-sided lower bound, in (0.5, 1).

    Examples
    --------
    >>> Chance(alpha=0.05).certify_factor
    10
    >>> Chance(certify_factor=2)
    Traceback (most recent call last):
    ...
    optimize.errors.PolicyParameterError: certify_factor = 2: must be an integer >= 10
    """

    alpha: float = 0.05
    n_scenarios: int = 10_000
    seed: int = 20231
    certify: bool = True
    certify_factor: int = 10
    confidence: float = 0.95

    def __post_init__(self) -> None:
        if not 0.0 < self.alpha < 1.0:
            raise PolicyParameterError("alpha", self.alpha, "must lie in (0, 1)")
        if isinstance(self.n_scenarios, bool) or not isinstance(self.n_scenarios, int) \
                or self.n_scenarios < 10:
            raise PolicyParameterError("n_scenarios", self.n_scenarios,
                                       "must be an integer >= 10")
        if isinstance(self.seed, bool) or not isinstance(self.seed, int) or self.seed < 0:
            raise PolicyParameterError("seed", self.seed, "must be an integer >= 0")
        if not isinstance(self.certify, bool):
            raise PolicyParameterError("certify", self.certify, "must be True or False")
        if isinstance(self.certify_factor, bool) or not isinstance(self.certify_factor, int) \
                or self.certify_factor < 10:
            raise PolicyParameterError("certify_factor", self.certify_factor,
                                       "must be an integer >= 10")
        if not 0.5 < self.confidence < 1.0:
            raise PolicyParameterError("confidence", self.confidence, "must lie in (0.5, 1)")

    def certification_rng(self) -> np.random.Generator:
        """The certification ensemble's generator: an independent child of ``seed``.

        Returns
        -------
        numpy.random.Generator
            ``default_rng(SeedSequence(seed, spawn_key=(1,)))``.

        Examples
        --------
        >>> a = Chance(seed=3).certification_rng().random()
        >>> bool(a != np.random.default_rng(3).random())
        True
        """
        return np.random.default_rng(np.random.SeedSequence(self.seed, spawn_key=(1,)))


@dataclass(frozen=True)
class Evaluation:
    """A policy evaluated: objective, feasibility, constraint slacks, behaviour, fund.

    ``constraints`` maps each constraint to its slack: ``>= 0`` where it holds.

    Attributes
    ----------
    policy : dict of str to float
        The policy evaluated.
    objective : float
        Its objective (higher is better).
    feasible : bool
        Whether every constraint holds.
    constraints : dict of str to float
        Constraint name -> slack.
    behaviour : dict of str to float
        Effort share, re-employment, months paid and spend per claim (:class:`Behaviour`).
    fund : pandas.DataFrame
        The fund's year-indexed projection under the policy.
    metrics : dict of str to float
        Lowest months payable, final reserve and spend limit.

    Examples
    --------
    >>> ev = default_problem().evaluate(U0=1530, U=1530, U1=1530, x=0.0)
    >>> ev.feasible, sorted(ev.constraints)[:2]
    (True, ['0 <= x', 'U - U0 >= gap'])
    """

    policy: dict[str, float]
    objective: float
    feasible: bool
    constraints: dict[str, float]
    behaviour: dict[str, float]
    fund: pd.DataFrame = field(repr=False)
    metrics: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields (the fund frame as records).

        Returns
        -------
        dict
            The fields, the fund frame as a list of row records.

        Examples
        --------
        >>> ev = default_problem().evaluate(U0=1530, U=1530, U1=1530, x=0.0)
        >>> list(ev.to_dict())
        ['policy', 'objective', 'feasible', 'constraints', 'behaviour', 'metrics', 'fund']
        """
        return {
            "policy": self.policy, "objective": self.objective, "feasible": self.feasible,
            "constraints": self.constraints, "behaviour": self.behaviour,
            "metrics": self.metrics,
            "fund": self.fund.reset_index().to_dict(orient="records"),
        }


@dataclass(frozen=True)
class Problem:
    """Choose ``(U0, U, U1, x)`` to maximise an objective subject to the fund.

    Parameters
    ----------
    bridge : Bridge
        Claimants and the game (behaviour, months, spend per claim).
    fund : FundLink
        The fund projection, linear in the spend per claim.
    floor : float
        Lowest allowed tier ``U0`` (元/month).
    cap : float
        Highest allowed tier ``U1`` (元/month), e.g. 90% of the minimum wage.
    floor_months : float
        Sustainability: the reserve must cover this many months of expenditure at the end
        of every year (``reserve_t >= floor_months / 12 * expenditure_t``).
    budget : float or None
        Highest spend per claim (元, benefits plus monitoring); ``None`` for no budget.
    objective : str
        One of :data:`OBJECTIVES`.
    chance : Chance or None
        Judge sustainability over a Monte Carlo ensemble instead of the expected path.
    min_gap : float
        Required gaps ``U - U0 >= min_gap`` and ``U1 - U >= min_gap`` (元).
    segments : int
        The design :func:`optimize.solve` chooses: 1 (default) the stationary tiers paid in
        every month of the entitlement; 2 to 4 a schedule over the spell of that many
        segments, each with its own tiers, and the months where they change.
    monitor : bool
        Choose the three tiers and ``x`` (default); ``False`` pays one level per segment to
        everybody and monitors nobody (e.g. a step-down schedule).
    calibration : Calibration or None
        What :func:`default_problem` with ``calibrate=True`` refitted, and how.
    notes : dict of str to str
        Where settings came from (e.g. ``from_defaults`` for a scenario file).

    Examples
    --------
    >>> p = default_problem()
    >>> p.floor, p.cap, p.objective
    (800.0, 1530.0, 'reemployment')
    """

    bridge: Bridge
    fund: FundLink
    _: KW_ONLY
    floor: float
    cap: float
    floor_months: float = 6.0
    budget: float | None = None
    objective: str = "reemployment"
    chance: Chance | None = None
    min_gap: float = 0.0
    segments: int = 1
    monitor: bool = True
    calibration: Calibration | None = field(default=None, compare=False)
    notes: dict[str, str] = field(default_factory=dict, compare=False)
    _cache: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for name in ("floor", "cap", "floor_months", "min_gap"):
            v = getattr(self, name)
            if not np.isfinite(v) or v < 0:
                raise PolicyParameterError(name, v, "must be a finite number >= 0")
        if self.floor > self.cap:
            raise InfeasibleProblemError(
                f"floor = {self.floor:g} > cap = {self.cap:g}: no tiers satisfy "
                "floor <= U0 <= U <= U1 <= cap; lower the floor or raise the cap")
        if self.floor + 2 * self.min_gap > self.cap:
            raise InfeasibleProblemError(
                f"floor + 2*min_gap = {self.floor + 2 * self.min_gap:g} > cap = "
                f"{self.cap:g}: the tiers cannot be spread that far")
        if self.budget is not None and (not np.isfinite(self.budget) or self.budget <= 0):
            raise PolicyParameterError("budget", self.budget, "must be a positive amount")
        if self.objective not in OBJECTIVES:
            raise PolicyParameterError("objective", self.objective,
                                       f"must be one of {sorted(OBJECTIVES)}")
        seg = self.segments
        if isinstance(seg, bool) or not isinstance(seg, int) \
                or not 1 <= seg <= min(4, self.bridge.months):
            raise PolicyParameterError("segments", seg, "must be an integer in "
                                       f"[1, {min(4, self.bridge.months)}] (at most the "
                                       "entitlement's months, at most 4)")
        if not isinstance(self.monitor, bool):
            raise PolicyParameterError("monitor", self.monitor, "must be True or False")
        if self.objective == "welfare" and self.bridge.welfare is None:
            raise PolicyParameterError("objective", self.objective,
                                       "needs a bridge with a welfare criterion "
                                       "(Bridge(..., welfare=Welfare()))")

    # ------------------------------------------------------------------ pieces
    @property
    def bounds(self) -> dict[str, tuple[float, float]]:
        """Box bounds of the policy variables.

        With ``"z"``, reskilling per claim, where the bridge has a reskilling lever.
        """
        out = {"U0": (self.floor, self.cap), "U": (self.floor, self.cap),
               "U1": (self.floor, self.cap), "x": (0.0, 1.0)}
        if self.bridge.reskilling is not None:
            out["z"] = (0.0, self.bridge.reskilling.max_level)
        return out

    def scenarios(self) -> ScenarioSet:
        """The fund coefficients the sustainability constraint is judged on.

        Returns
        -------
        optimize.fundlink.ScenarioSet
            One scenario (the expected path) for a deterministic problem, the Monte Carlo
            ensemble for a chance-constrained one.

        Examples
        --------
        >>> default_problem().scenarios().a.shape           # one scenario, five years
        (1, 5)
        """
        if self.chance is None:
            return self.fund.deterministic
        if "ensemble" not in self._cache:
            self._cache["ensemble"] = self.fund.ensemble(self.chance.n_scenarios,
                                                         rng=self.chance.seed)
        ensemble: ScenarioSet = self._cache["ensemble"]
        return ensemble

    def certification_scenarios(self) -> ScenarioSet:
        """The independent, larger ensemble a chance-constrained optimum is certified on.

        Returns
        -------
        ScenarioSet
            ``certify_factor * n_scenarios`` paths from :meth:`Chance.certification_rng`.

        Raises
        ------
        PolicyParameterError
            The problem has no chance constraint.

        Examples
        --------
        >>> default_problem().certification_scenarios()
        Traceback (most recent call last):
        ...
        optimize.errors.PolicyParameterError: chance = None: certification needs a chance ...
        """
        if self.chance is None:
            raise PolicyParameterError("chance", None, "certification needs a chance "
                                       "constraint (Problem(..., chance=Chance()))")
        if "certify" not in self._cache:
            self._cache["certify"] = self.fund.ensemble(
                self.chance.certify_factor * self.chance.n_scenarios,
                rng=self.chance.certification_rng())
        return self._cache["certify"]  # type: ignore[no-any-return]  # cache holds Any

    def spend_limit(self) -> float:
        """Highest spend per claim that keeps the fund sustainable (and within budget).

        Deterministic: the smallest over years of the spend at which the reserve meets
        its floor.  Chance-constrained: the ``alpha``-quantile over scenarios of each
        scenario's limit, so that a share ``1 - alpha`` of scenarios stays sustainable.

        Returns
        -------
        float
            元 per claim.

        Examples
        --------
        >>> p = default_problem()
        >>> bool(p.spend_limit() <= p.spend_limit_sustainability())
        True
        """
        limit = self.spend_limit_sustainability()
        return limit if self.budget is None else min(limit, self.budget)

    def _objective_value(self, beh: Behaviour) -> tuple[float, np.ndarray]:
        return objective_value(self.objective, beh)

    def _check_policy(self, policy: dict[str, Any]) -> dict[str, float]:
        names = self.bridge.policy_names
        unknown = set(policy) - set(names)
        if unknown:
            name = sorted(unknown)[0]
            raise PolicyParameterError(name, policy[name],
                                       f"unknown policy variable; use {list(names)}")
        out = {}
        for name in names:
            if name == "z" and name not in policy:
                out[name] = 0.0  # no reskilling unless asked
                continue
            if name not in policy:
                raise PolicyParameterError(name, None, "missing policy variable")
            try:
                out[name] = float(policy[name])
            except (TypeError, ValueError):
                raise PolicyParameterError(name, policy[name], "must be a number") from None
            if not np.isfinite(out[name]):
                raise PolicyParameterError(name, policy[name], "must be finite")
        return out

    def constraint_values(self, policy: dict[str, float], beh: Behaviour) -> dict[str, float]:
        """Slack of every constraint (``>= 0`` where it holds), in 元 or as a share.

        Parameters
        ----------
        policy : dict of str to float
            The policy (``U0``, ``U``, ``U1``, ``x`` and, with reskilling, ``z``).
        beh : Behaviour
            Its behaviour (:meth:`Bridge.behaviour`).

        Returns
        -------
        dict of str to float
            Constraint name -> slack.

        Examples
        --------
        >>> p = default_problem()
        >>> policy = {"U0": 1530.0, "U": 1530.0, "U1": 1530.0, "x": 0.0}
        >>> slack = p.constraint_values(policy, p.bridge.behaviour(**policy))
        >>> slack["U1 <= cap"], slack["U0 >= floor"]
        (0.0, 730.0)
        """
        lo, hi = self.floor, self.cap
        c = {
            "U0 >= floor": policy["U0"] - lo,
            "U1 <= cap": hi - policy["U1"],
            "U - U0 >= gap": policy["U"] - policy["U0"] - self.min_gap,
            "U1 - U >= gap": policy["U1"] - policy["U"] - self.min_gap,
            "0 <= x": policy["x"],
            "x <= 1": 1.0 - policy["x"],
            **({"0 <= z": policy["z"], "z <= max_level": self.bridge.reskilling.max_level
                - policy["z"]} if self.bridge.reskilling is not None else {}),
            "sustainability": self.spend_limit_sustainability() - beh.spend_per_claim,
        }
        if self.budget is not None:
            c["budget"] = self.budget - beh.spend_per_claim
        return c

    def spend_limit_sustainability(self) -> float:
        """The sustainability part of :meth:`spend_limit` (without the budget).

        Returns
        -------
        float
            元 per claim.

        Examples
        --------
        >>> round(default_problem().spend_limit_sustainability())
        15276
        """
        if "limit_sust" not in self._cache:
            per_scenario = self.scenarios().max_spend(self.floor_months)
            if self.chance is None:
                self._cache["limit_sust"] = float(per_scenario[0])
            else:
                self._cache["limit_sust"] = float(np.quantile(
                    per_scenario, self.chance.alpha, method="inverted_cdf"))
        return float(self._cache["limit_sust"])

    # ------------------------------------------------------------------ evaluate
    def evaluate(self, **policy: Any) -> Evaluation:
        """Evaluate a policy: ``evaluate(U0=…, U=…, U1=…, x=…)``.

        Parameters
        ----------
        **policy : float
            ``U0``, ``U``, ``U1`` (元/month), ``x`` (monitoring probability) and, where the
            bridge has a reskilling lever, ``z`` (元 per claim).

        Returns
        -------
        Evaluation

        Raises
        ------
        PolicyParameterError
            A missing, unknown, non-numeric or non-finite policy variable, or a
            probability ``x`` outside [0, 1].

        Examples
        --------
        >>> p = default_problem()
        >>> ev = p.evaluate(U0=1530, U=1530, U1=1530, x=0.0)
        >>> ev.feasible, round(ev.behaviour["months_paid"], 2)
        (True, 4.63)
        """
        pol = self._check_policy(policy)
        beh = self.bridge.values(**pol)
        return self._evaluation(pol, beh, self.constraint_values(pol, beh))

    def evaluate_schedule(self, schedule: Schedule, *, z: float = 0.0,
                          policy: dict[str, float] | None = None) -> Evaluation:
        """Evaluate a schedule over the spell (its length is the entitlement).

        The bounds and gaps are judged month by month; each constraint's slack is the
        smallest over the months.

        Parameters
        ----------
        schedule : Schedule
            Tiers by month and ``x``.
        z : float, keyword-only
            Reskilling per claim (元), with a reskilling lever.
        policy : dict, optional, keyword-only
            The variables to report as the evaluation's policy (default the schedule's
            ``x``, ``z`` and its first and last month's tiers).

        Returns
        -------
        Evaluation

        Raises
        ------
        PolicyParameterError
            A schedule of another length than the bridge's entitlement, or a bad ``z``.

        Examples
        --------
        >>> p = default_problem()
        >>> s = Schedule.tiers([1530.0, 1000.0], [6], months=12)
        >>> ev = p.evaluate_schedule(s)
        >>> ev.constraints["U1 <= cap"], ev.policy["U[12]"]
        (0.0, 1000.0)
        """
        if not isinstance(schedule, Schedule) or schedule.months != self.bridge.months:
            raise PolicyParameterError("schedule", schedule,
                                       f"must be a Schedule of {self.bridge.months} months "
                                       "(the entitlement)")
        beh = spell_behaviour(self.bridge, schedule, z=z, gradient=False)
        u0, u, u1 = schedule.arrays()
        x, M = schedule.x, schedule.months
        if policy is None:
            policy = {"U[1]": float(u[0]), f"U[{M}]": float(u[-1]), "x": x}
            policy |= {"z": float(z)} if self.bridge.reskilling is not None else {}
        c = {
            "U0 >= floor": float(u0.min()) - self.floor,
            "U1 <= cap": self.cap - float(u1.max()),
            "U - U0 >= gap": float((u - u0).min()) - self.min_gap,
            "U1 - U >= gap": float((u1 - u).min()) - self.min_gap,
            "0 <= x": x, "x <= 1": 1.0 - x,
            **({"0 <= z": z, "z <= max_level": self.bridge.reskilling.max_level - z}
               if self.bridge.reskilling is not None else {}),
            "sustainability": self.spend_limit_sustainability() - beh.spend_per_claim,
        }
        if self.budget is not None:
            c["budget"] = self.budget - beh.spend_per_claim
        return self._evaluation(policy, beh, c)

    def _evaluation(self, pol: dict[str, float], beh: Behaviour, cons: dict[str, float]
                    ) -> Evaluation:
        """The evaluation of a policy or schedule from its behaviour and slacks."""
        value, _ = self._objective_value(beh)
        tol = 1e-7 * max(1.0, self.cap)
        feasible = all(v >= -tol for v in cons.values())
        frame = self.fund.projection(beh.benefit_per_claim, beh.monitoring_per_claim,
                                     beh.months_paid, beh.reskilling_per_claim)
        months = 12.0 * frame["reserve"] / frame["expenditure"]
        metrics = {"min_months_payable": float(months.min()),
                   "final_reserve": float(frame["reserve"].iloc[-1]),
                   "spend_limit": self.spend_limit()}
        if self.chance is not None:
            ss = self.scenarios()
            ok = ss.max_spend(self.floor_months) >= beh.spend_per_claim - tol
            metrics["probability_sustainable"] = float(ok.mean())
        return Evaluation(pol, float(value), bool(feasible), cons, beh.as_dict(), frame,
                          metrics)

    def evaluate_many(self, *, U0: Any, U: Any, U1: Any, x: Any, z: Any = 0.0,
                      limit: float | None = None, objective: str | None = None
                      ) -> dict[str, np.ndarray]:
        """Objective and feasibility of many policies at once (arrays broadcast together).

        Returns ``{"objective", "feasible", "spend_per_claim", ...}``; the fund is
        judged through the spend limit, so no projection frame is built.  ``limit`` and
        ``objective`` override the problem's spend limit and objective.

        Parameters
        ----------
        U0, U, U1 : array_like, keyword-only
            Tiers (元/month).
        x : array_like, keyword-only
            Monitoring probabilities.
        z : array_like, keyword-only
            Reskilling per claim (元); 0 without the lever.
        limit : float, optional, keyword-only
            Spend limit per claim to judge feasibility by (default :meth:`spend_limit`).
        objective : str, optional, keyword-only
            Objective to report (default the problem's).

        Returns
        -------
        dict of str to numpy.ndarray
            ``objective``, ``feasible``, ``spend_per_claim`` and the behaviour's scalar fields,
            each of the broadcast shape.

        Examples
        --------
        >>> p = default_problem()
        >>> out = p.evaluate_many(U0=[1530, 800], U=[1530, 800], U1=[1530, 1530], x=[0, 1])
        >>> out["feasible"].tolist()
        [True, True]
        """
        arrays = np.broadcast_arrays(*(np.asarray(v, dtype=float).ravel()
                                       for v in (U0, U, U1, x, z)))
        u0, u, u1, xx, zz = arrays
        # the bridge keeps its recent answers: a solve screens one grid twice, and a
        # frontier's budgets or a changed fund screen it again
        beh = self.bridge.behaviour_many(U0=u0, U=u, U1=u1, x=xx, z=zz)
        value = objective_value(objective or self.objective, beh)[0]
        cap = self.spend_limit() if limit is None else limit
        tol = 1e-7 * max(1.0, self.cap)
        feasible = ((u0 >= self.floor - tol) & (u1 <= self.cap + tol)
                    & (u - u0 >= self.min_gap - tol) & (u1 - u >= self.min_gap - tol)
                    & (beh["spend_per_claim"] <= cap + tol))
        if self.bridge.reskilling is not None:
            feasible &= zz <= self.bridge.reskilling.max_level + tol
        return beh | {"objective": value, "feasible": feasible}

    def with_(self, **changes: Any) -> Problem:
        """A copy with some fields changed (caches dropped).

        Parameters
        ----------
        **changes
            New values of fields, by name.

        Returns
        -------
        Problem

        Raises
        ------
        PolicyParameterError, InfeasibleProblemError
            As the constructor.

        Examples
        --------
        >>> default_problem().with_(floor=900.0).floor
        900.0
        """
        return replace(self, _cache={}, **changes)


def _setting(name: str, value: Any, lo: float, hi: float = np.inf, *,
             lo_open: bool = False) -> float:
    """``value`` as a finite float in ``[lo, hi]`` (``(lo, hi]``).

    Else an error naming the setting, its value and the rule.
    """
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise PolicyParameterError(name, value, "must be a number") from None
    below = v <= lo if lo_open else v < lo
    if not np.isfinite(v) or below or v > hi:
        if np.isinf(hi):
            rule = "finite" if np.isinf(lo) else f"{'>' if lo_open else '>='} {lo:g}"
        else:
            rule = f"in {'(' if lo_open else '['}{lo:g}, {hi:g}]"
        raise PolicyParameterError(name, value, f"must be a finite number {rule}".replace(
            "number finite", "number"))
    return v


def default_problem(*, objective: str = "reemployment", chance: Chance | None = None,
                    reskilling: Reskilling | None = None, welfare: Welfare | None = None,
                    calibrate: bool | str = False, **overrides: Any) -> Problem:
    """The Qinghai 2023–2027 case (every default documented in docs/explanation/bridge.md).

    * Fund: :func:`fund.scenarios.expected_scenario` over 2023–2027 (its rules: the 2024
      coverage gate), opening reserve :func:`fund.scenarios.default_opening_reserve` (the
      2022 expenditure, 12 months; an assumption: the seed prints no balance), interest 1.1%.
    * Status quo: a flat 1,530 元/month (Qinghai 2020–2022, table 3), no monitoring.
    * Cap: ``U1 <= 0.9 * 1,700`` = 1,530 元 (90% of Qinghai's minimum wage); floor
      ``U0 >= 800`` 元.
    * Claimants: re-employment wage 4,000 元/month (half the 2022 urban average monthly
      wage, 8,029 元), search cost log-normal with median 600 元, ``C0 = C/2``, no-effort
      hazard 0.08, effort hazard beta with concentration 8 and mean
      :data:`DEFAULT_R_MEAN`, calibrated at these defaults so the status quo pays the
      2022 months per recipient (4.63, table 7).  Changing an input does *not* refit it.
      ``calibrate=True`` fits two targets: the months paid (moving ``R_mean``) and the
      duration elasticity into the literature's 0.4-0.8 (Krueger and Meyer 2002; Chetty
      2008), moving ``C_median`` to the range's nearest edge where the model's lies
      outside it; ``calibrate="months"`` refits ``R_mean`` alone.
      ``problem.calibration`` reports the targets, what moved and by how much.
    * Entitlement 12 months (whole months); monitoring 60 元 per claimant-month.
    * Claimants' monthly patience :data:`~optimize.bridge.DEFAULT_PATIENCE` (the reason
      for the value: docs/explanation/bridge.md, "Patience"); the calibration runs at it.
    * Budget: the status quo's spend per claim (a cost-neutral reform); sustainability:
      the reserve covers 6 months of expenditure at every year end.

    ``reskilling`` (an :class:`~optimize.reskilling.Reskilling`) adds the reskilling
    lever ``z`` to the policy (issue: seed 000's inclusive finance).  ``welfare`` (an
    :class:`~optimize.welfare.Welfare`) sets the welfare criterion; it defaults to
    ``Welfare()`` when ``objective="welfare"``.

    Keyword overrides: any field of :class:`Problem` (``floor``, ``cap``, ``budget``,
    ``floor_months``, ``min_gap``, ``segments``, ``monitor``) or ``entitlement_months``,
    ``monitoring_cost``, ``opening_reserve``, ``interest_rate``, ``status_quo``,
    ``patience`` and the fields of
    :class:`~optimize.claimants.Claimants`.

    Parameters
    ----------
    objective : str, keyword-only
        One of :data:`OBJECTIVES`.
    chance : Chance, optional, keyword-only
        Judge sustainability over a Monte Carlo ensemble.
    reskilling : Reskilling, optional, keyword-only
        Adds the reskilling lever ``z``.
    welfare : Welfare, optional, keyword-only
        The welfare criterion.
    calibrate : bool, keyword-only
        Refit the effort hazard's mean to the observed months paid at these settings.
    **overrides
        The settings listed above.

    Returns
    -------
    Problem

    Raises
    ------
    PolicyParameterError
        An unknown setting or a value breaking its rule.
    InfeasibleProblemError
        Settings no policy can satisfy (e.g. a floor above the cap).

    Examples
    --------
    >>> p = default_problem(budget=5000.0)
    >>> p.budget, sorted(p.bounds)
    (5000.0, ['U', 'U0', 'U1', 'x'])
    """
    claimant_fields = set(Claimants.__dataclass_fields__) - {"R", "C", "weights"}
    c_over = {k: overrides.pop(k) for k in list(overrides) if k in claimant_fields}
    data = qinghai()
    case = _CaseSettings.pop_from(overrides, data)
    _check_calibrate(calibrate, c_over)
    scenario = expected_scenario(5, opening_reserve=case.opening_reserve,
                                 interest_rate=case.interest_rate)
    # The calibration target is the months paid in the year the projection starts from,
    # the last data year (2022); StartState.from_data raises DataError if it is missing.
    target = StartState.from_data(data).months_paid
    claimants, calibration = _calibrated_claimants(c_over, calibrate, target, case)
    if welfare is None and objective == "welfare":
        welfare = Welfare()
    bridge = Bridge(claimants, entitlement_months=case.entitlement_months,
                    monitoring_cost=case.monitoring_cost, reskilling=reskilling,
                    welfare=welfare, patience=case.patience)
    params = _problem_settings(overrides, bridge, case.status_quo)
    notes = case.notes() | {"R_mean": f"{claimants.R_mean:.6f}",
                            "calibration": calibration.summary()}
    return Problem(bridge, FundLink(scenario), objective=objective, chance=chance, notes=notes,
                   calibration=calibration, **params)


@dataclass(frozen=True)
class _CaseSettings:
    """The settings of the Qinghai case that are not fields of Problem or Claimants."""

    entitlement_months: float
    monitoring_cost: float
    status_quo: float
    opening_reserve: float
    interest_rate: float
    patience: float

    @classmethod
    def pop_from(cls, overrides: dict[str, Any], data: pd.DataFrame) -> _CaseSettings:
        """Take the settings out of ``overrides``, checked, with their defaults.

        The default opening reserve is computed from ``data``.
        """
        opening = overrides.pop("opening_reserve", None)
        return cls(
            entitlement_months=_setting(
                "entitlement_months", overrides.pop("entitlement_months", 12.0), 1.0, 24.0),
            monitoring_cost=_setting("monitoring_cost", overrides.pop("monitoring_cost", 60.0),
                                     0.0),
            status_quo=_setting("status_quo", overrides.pop("status_quo", 1530.0), 0.0,
                                lo_open=True),
            opening_reserve=_setting(
                "opening_reserve",
                default_opening_reserve(data) if opening is None else opening, -np.inf),
            interest_rate=_setting("interest_rate", overrides.pop("interest_rate", 0.011),
                                   -0.5, 1.0),
            patience=_patience(overrides.pop("patience", DEFAULT_PATIENCE)),
        )

    def notes(self) -> dict[str, str]:
        """The settings as the problem's notes."""
        return {"opening_reserve": f"{self.opening_reserve:.4f} 亿元",
                "interest_rate": f"{self.interest_rate}",
                "status_quo": f"{self.status_quo}",
                "entitlement_months": f"{self.entitlement_months}",
                "monitoring_cost": f"{self.monitoring_cost}",
                "patience": f"{self.patience}"}


def _patience(value: Any) -> float:
    """The claimants' monthly discount factor, in [0, 1)."""
    if isinstance(value, bool) or not isinstance(value, int | float | np.number):
        raise PolicyParameterError("patience", value, "must be a number")
    beta = float(value)
    if not 0.0 <= beta < 1.0:
        raise PolicyParameterError("patience", value, "must lie in [0, 1)")
    return beta


def _check_calibrate(calibrate: object, c_over: dict[str, Any]) -> None:
    """``calibrate`` is True, False or ``"months"``, and does not refit a given input."""
    if not isinstance(calibrate, bool) and calibrate != "months":
        raise PolicyParameterError("calibrate", calibrate,
                                   "must be True, False or 'months'")
    if calibrate is True and "C_median" in c_over:
        raise PolicyParameterError("calibrate", calibrate,
                                   "cannot fit the duration elasticity (it moves C_median) "
                                   "when C_median is given; use calibrate='months'")
    if calibrate and "R_mean" in c_over:
        raise PolicyParameterError("calibrate", calibrate,
                                   "cannot refit R_mean when R_mean is given")


def _calibrated_claimants(c_over: dict[str, Any], calibrate: bool | str, target: float,
                          case: _CaseSettings) -> tuple[Claimants, Calibration]:
    """The claimants (refitted as ``calibrate`` asks) and the report of what moved."""
    M, sq, kappa = case.entitlement_months, case.status_quo, case.monitoring_cost
    beta = case.patience
    before = Claimants(**({"R_mean": DEFAULT_R_MEAN} | c_over))
    claimants = before
    if calibrate == "months":
        claimants = calibrate_R_mean(before, target, M, sq, kappa, patience=beta)
    elif calibrate:
        claimants = fit_elasticity(before, target, M, sq, kappa, patience=beta)
    return claimants, calibration_report(claimants, before=before,
                                         recalibrated=bool(calibrate), target=target, M=M,
                                         status_quo=sq, kappa=kappa,
                                         elasticity_fitted=calibrate is True,
                                         patience=beta)


def _problem_settings(overrides: dict[str, Any], bridge: Bridge,
                      status_quo: float) -> dict[str, Any]:
    """The Problem fields: defaults, the remaining overrides, and the budget.

    The budget is cost-neutral (the status quo's spend per claim) unless one is given.
    """
    unknown = set(overrides) - {"floor", "cap", "floor_months", "budget", "min_gap",
                                "segments", "monitor"}
    if unknown:
        name = sorted(unknown)[0]
        raise PolicyParameterError(name, overrides[name], "unknown problem setting")
    if "budget" not in overrides:
        overrides["budget"] = bridge.behaviour(U0=status_quo, U=status_quo, U1=status_quo,
                                               x=0.0).spend_per_claim
    return {"floor": 800.0, "cap": 0.9 * QINGHAI_MINIMUM_WAGE} | overrides
