"""Searching a :class:`~optimize.problem.Problem` for the best policy.

The default method screens a coarse grid of policies (vectorised,
:meth:`~optimize.problem.Problem.evaluate_many`) and polishes the best feasible ones with
scipy's SLSQP using the bridge's analytic gradients (the logit-smoothed effort share makes
the problem smooth).  Where the best response is sharp (``temperature = 0``) the
objective is a step function whose gradient is zero almost everywhere, so ``solve``
switches to scipy's differential evolution (``method="global"``, also available on
request).  The best feasible point is returned with the constraints that bind and their
Lagrange multipliers (from the KKT conditions, by non-negative least squares).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize as sopt
from scipy import stats

from optimize.bridge import Behaviour, _behaviour
from optimize.errors import InfeasibleProblemError, PolicyParameterError
from optimize.explain import (
    OBJECTIVE_UNITS,
    describe_multiplier,
    multiplier_ranges,
    undetermined_ranges,
)
from optimize.problem import Chance, Evaluation, Problem, objective_value
from optimize.spell import Schedule, evaluate, schedule_jacobian

__all__ = ["Certificate", "Solution", "certify_spend", "cheapest_spend", "solve"]

#: Spend (元) kept below a chance-constrained limit, far below any policy-relevant amount.
_CHANCE_MARGIN = 1e-4
#: Grid levels per tier and for ``x`` in the screening step.
_SCREEN_LEVELS, _SCREEN_X = 12, 11


@dataclass(frozen=True)
class Solution:
    """The optimum of a problem, explained.

    Attributes
    ----------
    policy : dict
        ``{"U0": …, "U": …, "U1": …, "x": …}``; a variable listed in ``undetermined``
        is reported at one representative value of its interval.
    objective : float
        The objective at the optimum (higher is better).
    evaluation : Evaluation
        The full evaluation there.
    binding : dict
        Active constraints whose Lagrange multiplier is unique, with that multiplier:
        the gain of the objective per unit of slack (per 元, or per unit of ``x``).
    method : str
    message : str
    nonunique : dict
        Active constraints whose multiplier is *not* unique (their gradients are
        linearly dependent), each with the interval of multipliers consistent with the
        KKT conditions.
    undetermined : dict
        Policy variables the outcome does not depend on (``U`` at ``x = 1``; ``U0`` and
        ``U1`` at ``x = 0``), each with the interval of equally good values.
    unspent_budget : float or None
        Budget minus spend per claim (元), ``None`` without a budget.
    certificate : Certificate or None
        In-sample and certified probabilities of sustainability (chance constraints
        with ``certify``), ``None`` otherwise.
    objective_name : str
        The objective maximised.
    breakpoints : tuple of int
        Months (0-based) where a new segment of the schedule starts (empty for
        stationary tiers).
    schedule : Schedule or None
        The optimum by month of the spell.
    behaviour : Behaviour or None
        What it does, with effort by claimant type and month.
    patience : float
        The claimants' monthly discount factor the optimum was found with.

    Examples
    --------
    >>> from optimize import default_problem
    >>> sol = solve(default_problem())
    >>> sol.method, sorted(sol.policy)
    ('slsqp', ['U', 'U0', 'U1', 'x'])
    >>> sol.schedule.months, sol.breakpoints
    (12, ())
    """

    policy: dict[str, float]
    objective: float
    evaluation: Evaluation = field(repr=False)
    binding: dict[str, float]
    method: str
    message: str = ""
    nonunique: dict[str, tuple[float, float]] = field(default_factory=dict)
    undetermined: dict[str, tuple[float, float]] = field(default_factory=dict)
    unspent_budget: float | None = None
    objective_name: str = "reemployment"
    certificate: Certificate | None = None
    breakpoints: tuple[int, ...] = ()
    schedule: Schedule | None = field(default=None, repr=False)
    behaviour: Behaviour | None = field(default=None, repr=False)
    patience: float = 0.0

    def explain(self) -> str:
        """The answer in words.

        The policy, what binds and what each multiplier means, the unspent budget and the
        undetermined variables.

        Returns
        -------
        str
            One line per fact.

        Examples
        --------
        >>> from optimize import default_problem
        >>> print(solve(default_problem()).explain())  # doctest: +ELLIPSIS
        Maximise reemployment: ...
        """
        lines = [f"Maximise {self.objective_name}: {self.objective:.6g} "
                 f"({OBJECTIVE_UNITS.get(self.objective_name, '')}) at "
                 + ", ".join(f"{k} = {v:.4g}" for k, v in self.policy.items())]
        for name, lam in self.binding.items():
            lines.append(describe_multiplier(name, lam, lam, self.objective_name))
        for name, (lo, hi) in self.nonunique.items():
            lines.append(describe_multiplier(name, lo, hi, self.objective_name))
        if self.unspent_budget is not None:
            lines.append(f"unspent budget: {self.unspent_budget:,.2f} 元 per claim")
        if self.certificate is not None:
            c = self.certificate
            lines.append(
                f"sustainable in {c.in_sample_probability:.2%} of the scenarios solved on "
                f"and {c.certified_probability:.2%} of {c.n_scenarios:,} fresh ones "
                f"({c.confidence:.0%} lower bound {c.lower_bound:.2%})")
        for name, (lo, hi) in self.undetermined.items():
            lines.append(f"{name} is not determined: any value in [{lo:,.2f}, {hi:,.2f}] "
                         f"gives the same outcome (reported as {self.policy[name]:,.2f})")
        return "\n".join(lines + self._spell_lines())

    def _spell_lines(self) -> list[str]:
        """The schedule by segment and how effort moves over the spell, in words."""
        if self.schedule is None or self.behaviour is None or self.behaviour.effort is None:
            return []
        lines = []
        if self.breakpoints:
            parts = []
            for _, row in self.schedule_frame().iterrows():
                tiers = (f"{row['U']:,.0f} 元" if self.schedule.x == 0 else
                         f"{row['U0']:,.0f} / {row['U']:,.0f} / {row['U1']:,.0f} 元")
                parts.append(f"{tiers} in months {row['first_month']:.0f}-"
                             f"{row['last_month']:.0f}")
            lines.append("Pays " + ", then ".join(parts) + ".")
        e = self.behaviour.effort_by_month
        trend = ("rises" if e[-1] > e[0] + 1e-9 else "falls" if e[-1] < e[0] - 1e-9
                 else "stays")
        lines.append(
            f"Effort {trend} from {e[0]:.1%} of claimants in the first month to "
            f"{e[-1]:.1%} in the last (patience {self.patience:g}: "
            + ("claimants weigh the benefits still to come, so effort grows as they run "
               "out" if self.patience > 0 else "each month is the one-shot game") + ").")
        return lines

    def schedule_frame(self) -> pd.DataFrame:
        """The schedule by segment, with effort in the segment's first month.

        Returns
        -------
        pandas.DataFrame
            Index ``segment``; columns ``first_month``, ``last_month`` (1-based, as a
            claimant counts), ``U0``, ``U``, ``U1``, ``effort`` (average over claimant
            types of the probability of effort in the segment's first month).

        Raises
        ------
        PolicyParameterError
            A solution without a schedule.

        Examples
        --------
        >>> from optimize import default_problem
        >>> sol = solve(default_problem(n_nodes=4, segments=2, monitor=False))
        >>> sol.schedule_frame().columns.tolist()
        ['first_month', 'last_month', 'U0', 'U', 'U1', 'effort']
        """
        if self.schedule is None or self.behaviour is None:
            raise PolicyParameterError("schedule", None, "this solution carries no schedule")
        starts = [0, *self.breakpoints]
        ends = [*self.breakpoints, self.schedule.months]
        frame = self.schedule.to_frame()
        effort = self.behaviour.effort_by_month
        rows = [{"first_month": a + 1, "last_month": b, **frame.iloc[a].to_dict(),
                 "effort": float(effort[a])} for a, b in zip(starts, ends, strict=True)]
        return pd.DataFrame(rows, index=pd.RangeIndex(1, len(rows) + 1, name="segment"))

    def to_frame(self) -> pd.DataFrame:
        """Every constraint: slack, whether it binds, its multiplier interval, meaning.

        Returns
        -------
        pandas.DataFrame
            Index ``constraint`` (the problem's constraints plus any active box bound
            of a tier); columns ``slack``, ``binds``, ``multiplier_low``,
            ``multiplier_high``, ``unique``, ``meaning``.  A constraint that does not
            bind has the multiplier 0 (complementary slackness).

        Examples
        --------
        >>> from optimize import default_problem
        >>> frame = solve(default_problem()).to_frame()
        >>> list(frame.columns)
        ['slack', 'binds', 'multiplier_low', 'multiplier_high', 'unique', 'meaning']
        """
        rows = []
        slacks = dict(self.evaluation.constraints)
        for name in [*self.binding, *self.nonunique]:
            slacks.setdefault(name, 0.0)  # a box bound of a tier, active at the optimum
        for name, slack in slacks.items():
            if name in self.binding:
                lo = hi = self.binding[name]
            else:
                lo, hi = self.nonunique.get(name, (0.0, 0.0))
            binds = name in self.binding or name in self.nonunique
            rows.append({"constraint": name, "slack": slack, "binds": binds,
                         "multiplier_low": lo, "multiplier_high": hi,
                         "unique": name not in self.nonunique,
                         "meaning": describe_multiplier(name, lo, hi, self.objective_name)
                         if binds else "does not bind"})
        return pd.DataFrame(rows).set_index("constraint")

    def __repr__(self) -> str:
        policy = ", ".join(
            f"{k}={v:.4g}" + (f" (any in [{self.undetermined[k][0]:.4g}, "
                              f"{self.undetermined[k][1]:.4g}])"
                              if k in self.undetermined else "")
            for k, v in self.policy.items())
        binding = ", ".join([f"{k}: {v:.3g}" for k, v in self.binding.items()]
                            + [f"{k}: [{lo:.3g}, {hi:.3g}] not unique"
                               for k, (lo, hi) in self.nonunique.items()])
        unspent = ("" if self.unspent_budget is None
                   else f", unspent_budget={self.unspent_budget:.2f}")
        return (f"Solution({self.objective_name}={self.objective:.6g}; {policy}; "
                f"binding {{{binding}}}{unspent}; method={self.method!r})")


@dataclass(frozen=True)
class Certificate:
    """Out-of-sample certification of a chance-constrained optimum.

    Attributes
    ----------
    in_sample_probability : float
        Share of the solving ensemble's scenarios in which the fund stays sustainable.
    certified_probability : float
        The same share on the independent certification ensemble.
    lower_bound : float
        One-sided Clopper-Pearson lower confidence bound of the certified probability.
    n_scenarios : int
        Size of the certification ensemble.
    in_sample_alpha : float
        The in-sample level the problem was finally solved at (``alpha``, or tighter).
    confidence : float
        Confidence of ``lower_bound``.
    """

    in_sample_probability: float
    certified_probability: float
    lower_bound: float
    n_scenarios: int
    in_sample_alpha: float
    confidence: float


class _Design:
    """The solver's variables and their map to the schedule by month (and ``z``).

    ``segments = 1`` with ``monitor`` is the stationary policy ``(U0, U, U1, x[, z])``;
    more segments give each segment its own tiers (``U0[j]``, ``U[j]``, ``U1[j]``) and
    one ``x``; without ``monitor`` each segment pays one level to everybody
    (``level[j]``) and nobody is monitored.  ``breakpoints`` are the months (0-based)
    where a new segment starts.
    """

    def __init__(self, problem: Problem, breakpoints: tuple[int, ...] = ()) -> None:
        M = problem.bridge.months
        segs = len(breakpoints) + 1
        self.problem, self.months, self.breakpoints = problem, M, breakpoints
        self.monitor = problem.monitor
        resk = problem.bridge.reskilling is not None
        seg_of = np.searchsorted(np.array(breakpoints, dtype=int), np.arange(M), side="right")

        def tag(j: int) -> str:
            return "" if segs == 1 else f"[{j + 1}]"

        tiers = ("U0", "U", "U1") if self.monitor else ("level",)
        names = [f"{t}{tag(j)}" for j in range(segs) for t in tiers]
        names += ["x"] if self.monitor else []
        names += ["z"] if resk else []
        self.names = names
        n, per = len(names), len(tiers)
        T = np.zeros((3 * M + 1 + int(resk), n))
        for k, j in enumerate(seg_of):
            for t in range(3):
                T[t * M + k, j * per + (t if self.monitor else 0)] = 1.0
        if self.monitor:
            T[3 * M, names.index("x")] = 1.0
        if resk:
            T[-1, n - 1] = 1.0
        self.T = T
        self.J = np.einsum("mfp,pn->mfn", schedule_jacobian(M, reskilling=resk), T)
        bounds = problem.bounds
        box = [bounds.get(nm, (problem.floor, problem.cap)) for nm in names]
        self.scale = np.array([1.0 if nm == "x" else 1000.0 for nm in names])
        self.lo = np.array([b[0] for b in box]) / self.scale
        self.hi = np.array([b[1] for b in box]) / self.scale
        rows, labels = [], []
        if self.monitor:
            for j in range(segs):
                for a, b in (("U0", "U"), ("U", "U1")):
                    r = np.zeros(n)
                    r[names.index(f"{a}{tag(j)}")], r[names.index(f"{b}{tag(j)}")] = -1.0, 1.0
                    rows.append(r)
                    labels.append(f"{b}{tag(j)} - {a}{tag(j)} >= gap")
        self.A = np.array(rows).reshape(-1, n)
        self.A_labels = labels
        self.gap = np.full(len(rows), problem.min_gap / 1000.0)

    def values(self, v: np.ndarray) -> np.ndarray:
        """The variables in their units (元, probability)."""
        return np.asarray(np.clip(v, self.lo, self.hi) * self.scale, dtype=float)

    def policy(self, v: np.ndarray) -> dict[str, float]:
        return dict(zip(self.names, self.values(v).tolist(), strict=True))

    def full(self, v: np.ndarray) -> tuple[tuple[np.ndarray, np.ndarray, np.ndarray],
                                           float, float]:
        """The tiers by month, ``x`` and ``z``."""
        f = self.T @ self.values(v)
        M = self.months
        z = float(f[-1]) if self.problem.bridge.reskilling is not None else 0.0
        return (f[:M], f[M:2 * M], f[2 * M:3 * M]), float(f[3 * M]), z

    def schedule(self, v: np.ndarray) -> Schedule:
        (u0, u, u1), x, _ = self.full(v)
        return Schedule(tuple(u0), tuple(u), tuple(u1), x)

    def from_stationary(self, point: dict[str, float]) -> np.ndarray:
        """The design vector paying the stationary policy ``point`` in every segment."""
        out = []
        for nm in self.names:
            base = nm.split("[")[0]
            out.append(point["U"] if base == "level" else point[base])
        return np.asarray(np.array(out) / self.scale, dtype=float)


class _Fns:
    """Objective and constraints in scaled variables (money in thousands of 元)."""

    def __init__(self, problem: Problem, objective: str | None = None,
                 limit: float | None = None, design: _Design | None = None) -> None:
        self.p = problem
        self.d = design or _Design(problem)
        self.names = self.d.names
        self.scale, self.lo, self.hi = self.d.scale, self.d.lo, self.d.hi
        self.objective = objective or problem.objective
        if limit is None:
            limit = problem.spend_limit()
            if problem.chance is not None:
                # a hair inside the alpha-quantile: SLSQP may overshoot its constraint by
                # ~1e-9, and the quantile scenario itself must stay sustainable
                limit -= _CHANCE_MARGIN
        self.limit = limit
        self.A, self.gap = self.d.A, self.d.gap
        self.div = 1000.0 if self.objective in ("cost", "welfare") else 1.0
        self._last: tuple[bytes, Behaviour] | None = None
        #: Carry gradients in every evaluation (SLSQP asks for them at each iterate);
        #: differential evolution needs values only.
        self.gradient = True

    def policy(self, z: np.ndarray) -> dict[str, float]:
        return self.d.policy(z)

    def beh(self, z: np.ndarray, *, grad: bool = True) -> Behaviour:
        """The behaviour at ``z`` (cached), with the gradient where ``grad``."""
        key = z.tobytes()
        if self._last is None or self._last[0] != key or (grad and not self._last[1].grad):
            tiers, x, zz = self.d.full(z)
            if self.p.bridge.maximises == "utility":
                avg, g, effort = self.p.bridge.schedule_values(
                    Schedule(tuple(tiers[0]), tuple(tiers[1]), tuple(tiers[2]), x),
                    jacobian=self.d.J if grad else None)
            else:
                avg, g, effort = evaluate(self.p.bridge.claim, tiers, x, zz,
                                          jacobian=self.d.J if grad else None)
            self._last = (key, _behaviour(avg, g, effort, None, 0.0))
        return self._last[1]

    def _value(self, beh: Behaviour) -> tuple[float, np.ndarray]:
        """Objective to *maximise* and its gradient in unscaled variables."""
        return objective_value(self.objective, beh)

    def f(self, z: np.ndarray) -> float:
        value, _ = self._value(self.beh(z, grad=self.gradient))
        return -value / self.div

    def df(self, z: np.ndarray) -> np.ndarray:
        _, grad = self._value(self.beh(z))
        scaled: np.ndarray = -grad * self.scale / self.div
        return scaled

    def grad_objective(self, z: np.ndarray) -> np.ndarray:
        """Gradient of the objective (maximised) in unscaled units."""
        return self._value(self.beh(z))[1]

    def spend_slack(self, z: np.ndarray) -> float:
        return (self.limit - self.beh(z, grad=self.gradient).spend_per_claim) / 1000.0

    def dspend_slack(self, z: np.ndarray) -> np.ndarray:
        slope: np.ndarray = -self.beh(z).grad["spend_per_claim"] * self.scale / 1000.0
        return slope

    def feasible(self, z: np.ndarray, tol: float = 1e-6) -> bool:
        zc = np.clip(z, self.lo, self.hi)
        return bool(np.all(self.A @ zc - self.gap >= -tol) and self.spend_slack(zc) >= -tol)


def _screen(fns: _Fns, n_best: int) -> list[np.ndarray]:
    """The best feasible stationary policies of a coarse grid, as starting points.

    A stationary policy is the schedule paying it in every segment, so one grid of
    stationary policies (judged all at once, :meth:`Problem.evaluate_many`) starts
    every design.
    """
    p = fns.p
    lo, hi = p.floor, p.cap
    g = p.min_gap
    levels = np.linspace(lo, hi, _SCREEN_LEVELS)
    if fns.d.monitor:
        xs = np.linspace(0.0, 1.0, _SCREEN_X)
        rows = [(u0, u, u1) for u0, u, u1 in itertools.combinations_with_replacement(levels, 3)
                if u - u0 >= g - 1e-9 and u1 - u >= g - 1e-9]
        if not rows:  # wide gaps: spread the tiers exactly
            rows = [(lo, lo + g, lo + 2 * g)]
    else:
        xs = np.zeros(1)
        rows = [(v, v, v) for v in levels]
    tiers = np.array(rows)
    extra = [n for n in fns.names if n == "z"]
    extra_levels = [np.linspace(*p.bounds[n], 4) for n in extra]
    combos = list(itertools.product(range(len(tiers)), xs, *extra_levels))
    idx = np.array([c[0] for c in combos])
    cols = {"U0": tiers[idx, 0], "U": tiers[idx, 1], "U1": tiers[idx, 2],
            "x": np.array([c[1] for c in combos])}
    for k, n in enumerate(extra):
        cols[n] = np.array([c[2 + k] for c in combos])
    out = p.evaluate_many(**cols, limit=fns.limit, objective=fns.objective)
    value = np.where(out["feasible"], out["objective"], -np.inf)
    order = np.argsort(-value)[:n_best]
    return [fns.d.from_stationary({n: float(cols[n][k]) for n in cols})
            for k in order if np.isfinite(value[k])]


#: SLSQP's stopping tolerance on the scaled objective (see _slsqp).
_FTOL = 1e-10


def _slsqp(fns: _Fns, starts: list[np.ndarray]) -> list[np.ndarray]:
    cons: list[dict[str, Any]] = [
        {"type": "ineq", "fun": fns.spend_slack, "jac": fns.dspend_slack}]
    if fns.A.size:
        cons.append({"type": "ineq", "fun": lambda z: fns.A @ z - fns.gap,
                     "jac": lambda z: fns.A})
    bounds = list(zip(fns.lo, fns.hi, strict=True))
    out = []
    for z0 in starts:
        # ftol is absolute in f's units (thousands of 元 for cost and welfare, a share for
        # the behavioural objectives): 1e-10 is 1e-7 元 or 1e-10 of a share.  At 1e-12
        # (near the resolution of doubles on an objective of ~105) SLSQP took 16x the
        # evaluations for the same point on the 12-month welfare schedule.
        res = sopt.minimize(fns.f, z0, jac=fns.df, method="SLSQP", bounds=bounds,
                            constraints=cons, options={"maxiter": 300, "ftol": _FTOL})
        out.append(np.clip(res.x, fns.lo, fns.hi))
    return out


def _global(fns: _Fns, seed: int) -> list[np.ndarray]:
    cons = [sopt.NonlinearConstraint(fns.spend_slack, 0.0, np.inf)]
    if fns.A.size:
        cons.append(sopt.LinearConstraint(fns.A, fns.gap, np.inf))
    fns.gradient = False
    try:
        res = sopt.differential_evolution(
            fns.f, list(zip(fns.lo, fns.hi, strict=True)), constraints=cons, seed=seed,
            tol=1e-10, maxiter=400, popsize=20, polish=False)
    finally:
        fns.gradient = True
    return [np.clip(res.x, fns.lo, fns.hi)]


def _best(fns: _Fns, candidates: list[np.ndarray]) -> np.ndarray | None:
    feasible = [z for z in candidates if fns.feasible(z)]
    return min(feasible, key=fns.f) if feasible else None


def cheapest_spend(problem: Problem) -> float:
    """The lowest spend per claim of any policy within the bounds and orderings.

    Found by a grid screen, then SLSQP from its best points).
    """
    fns = _Fns(problem, objective="cost", limit=np.inf)
    starts = _screen(fns, 5)
    best = _best(fns, starts + _slsqp(fns, starts))
    return float("inf") if best is None else float(fns.f(best) * 1000.0)


def _labels(name: str) -> tuple[str, str]:
    """The lower and upper box constraints of a variable, by name."""
    base = name.split("[", 1)[0]
    if base == "x":
        return "0 <= x", "x <= 1"
    if base == "z":
        return "0 <= z", "z <= max_level"
    return f"{name} >= floor", f"{name} <= cap"


def _multipliers(fns: _Fns, z: np.ndarray, skip: frozenset[str] = frozenset()
                 ) -> dict[str, tuple[float, float]]:
    """KKT multiplier intervals of the active constraints (bounds included).

    Leaves out the constraints in ``skip`` (those of a variable the objective does not depend on).
    """
    problem = fns.p
    tol = 1e-6
    grads: list[tuple[str, np.ndarray]] = []
    for name, row, g in zip(fns.d.A_labels, fns.A, fns.gap, strict=True):
        if abs(row @ z - g) < tol:
            grads.append((name, row.copy()))  # slack in 元 = row . (policy in 元)
    if abs(fns.spend_slack(z)) < 1e-6:
        label = ("budget" if problem.budget is not None
                 and abs(problem.spend_limit() - problem.budget) < 1e-9 else "sustainability")
        grads.append((label, -fns.beh(z).grad["spend_per_claim"]))
    for k, name in enumerate(fns.names):
        low_name, high_name = _labels(name)
        e = np.zeros(len(fns.names))
        e[k] = 1.0
        if abs(z[k] - fns.lo[k]) < tol:
            grads.append((low_name, e.copy()))
        if abs(z[k] - fns.hi[k]) < tol:
            grads.append((high_name, -e))
    return multiplier_ranges([(n, g) for n, g in grads if n not in skip],
                             fns.grad_objective(z))


def _check(problem: Problem, method: str) -> str:
    if not isinstance(problem, Problem):
        raise PolicyParameterError("problem", problem, "must be an optimize.Problem")
    if method not in ("auto", "slsqp", "global"):
        raise PolicyParameterError("method", method, "must be 'auto', 'slsqp' or 'global'")
    if method == "auto":
        method = "global" if problem.bridge.claimants.temperature == 0 else "slsqp"
    if method == "global" and problem.segments > 1:
        raise PolicyParameterError("method", method,
                                   "differential evolution searches stationary tiers only "
                                   "(segments = 1); use 'slsqp'")
    return method


def _start(problem: Problem, method: str, start: Any) -> dict[str, float] | None:
    """``solve``'s ``start``, checked: a stationary policy for a smooth stationary design."""
    if start is None:
        return None
    if problem.segments != 1 or method != "slsqp":
        raise PolicyParameterError(
            "start", start, "is polished by SLSQP: it needs stationary tiers (segments = 1) "
            "and a smooth best response (method 'slsqp', or 'auto' with temperature > 0)")
    if not isinstance(start, Mapping):
        raise PolicyParameterError("start", start, "must be a mapping of policy variables")
    names = tuple(_Design(problem).names)  # what Solution.policy holds for this design
    point: dict[str, float] = {}
    for name in names:
        value = start.get(name)
        if isinstance(value, bool) or not isinstance(value, int | float | np.number) \
                or not np.isfinite(value):
            raise PolicyParameterError(f"start[{name!r}]", value,
                                       f"must be a finite number (start needs {names})")
        point[name] = float(value)
    return point


def solve(problem: Problem, *, method: str = "auto", seed: int = 0,
          start: Mapping[str, float] | None = None) -> Solution:
    """The best policy of ``problem``: stationary tiers, or a schedule over the spell.

    The problem's design says what is chosen: ``segments = 1`` (default) the stationary
    tiers ``(U0, U, U1, x)`` paid in every month; ``segments = 2 .. 4`` a schedule
    whose segments each pay their own tiers, with the months where a new segment starts
    (every placement is tried); ``monitor = False`` one level per segment paid to
    everybody, nobody monitored.  Claimants choose effort month by month
    (:mod:`optimize.spell`) in every case, so a schedule of several segments can only do
    at least as well as the best stationary tiers (which it starts from).

    Parameters
    ----------
    problem : Problem
    method : {"auto", "slsqp", "global"}
        ``"slsqp"``: a grid screen polished by SLSQP with analytic gradients;
        ``"global"``: differential evolution, then the same polish (stationary tiers
        only); ``"auto"`` (default): ``"slsqp"`` for a smooth (logit) best response,
        ``"global"`` for a sharp one.
    seed : int
        Seed of the global method.
    start : mapping, optional, keyword-only
        A stationary policy, with the variables of :attr:`Solution.policy` for this design
        (``U0``, ``U``, ``U1``, ``x``, or ``level`` without monitoring; and ``z`` with a
        reskilling lever), to polish from instead of screening the grid: the local optimum reached
        from it, e.g. the continuation of a nearby problem's optimum (what
        :func:`~optimize.tradeoffs.sensitivity` differentiates).  Stationary designs with
        a smooth best response only.  If SLSQP finds no feasible point from it, the grid
        screen runs as without it.

    Returns
    -------
    Solution

    Raises
    ------
    PolicyParameterError
        A bad ``problem``, ``method`` or ``start``.
    InfeasibleProblemError
        No policy within the bounds meets the budget and sustainability constraints.

    Examples
    --------
    >>> from optimize import default_problem
    >>> sol = solve(default_problem())
    >>> sol.evaluation.feasible, sol.objective > default_problem().evaluate(
    ...     U0=1530, U=1530, U1=1530, x=0).objective
    (True, True)

    A 1 % higher floor, polished from the default optimum:

    >>> near = solve(default_problem(floor=1010.0), start=sol.policy)
    >>> near.message.split(";")[0]
    'SLSQP polish from the given start'
    >>> round(near.policy["U0"], 6)
    1010.0
    """
    method = _check(problem, method)
    point = _start(problem, method, start)
    fns = _Fns(problem)
    if fns.limit < 0:
        raise InfeasibleProblemError(
            f"the fund cannot keep {problem.floor_months:g} months of expenditure even "
            "with no benefits at all; lower floor_months or raise the opening reserve")
    try:
        fns, best, message = _optimum(problem, method, seed, None, point)
    except InfeasibleProblemError:
        # only now is the cheapest policy worth its search (a grid screen and SLSQP, more
        # than the optimum itself costs): it says by how much the limit is missed
        floor_cost = cheapest_spend(problem)
        if floor_cost > fns.limit + 1e-6:
            what = ("budget" if problem.budget is not None
                    and problem.budget <= fns.limit + 1e-9 else "sustainability limit")
            raise InfeasibleProblemError(
                f"no policy meets the {what}: the cheapest policy within the bounds spends "
                f"{floor_cost:.2f} 元 per claim, above the limit of {fns.limit:.2f} 元; "
                "raise the budget or lower the floor") from None
        raise
    cert: Certificate | None = None
    if problem.chance is not None and problem.chance.certify:
        fns, best, cert = _certify(problem, problem.chance, fns, best, method, seed,
                                   cheapest_spend(problem))
        message += (f"; certified on {cert.n_scenarios:,} fresh scenarios"
                    + (f", in-sample alpha tightened to {cert.in_sample_alpha:.4g}"
                       if cert.in_sample_alpha < problem.chance.alpha else ""))
    return _solution(problem, fns, best, message, method, cert)


def _unpaid_U(fns: _Fns, best: np.ndarray) -> tuple[np.ndarray, frozenset[str], bool]:
    """At ``x = 1`` the tier ``U`` is never paid: report it as ``U0 + min_gap``.

    Returns the point, the constraints of the unpaid tiers (left out of the
    multipliers) and whether it applied.
    """
    names = fns.names
    if "x" not in names or best[names.index("x")] < 1.0 - 1e-9:
        return best, frozenset(), False
    best = best.copy()
    best[names.index("x")] = 1.0
    skip: set[str] = set()
    for k, name in enumerate(names):
        if name.split("[")[0] == "U":
            tag = name[1:]
            best[k] = best[names.index(f"U0{tag}")] + fns.p.min_gap / 1000.0
            skip |= {f"U{tag} - U0{tag} >= gap", f"U1{tag} - U{tag} >= gap", *_labels(name)}
    return best, frozenset(skip), True


def _undetermined(fns: _Fns, policy: dict[str, float]) -> dict[str, tuple[float, float]]:
    """Each segment's tiers the outcome does not depend on (``U`` at ``x = 1``, ...)."""
    p = fns.p
    if not fns.d.monitor:
        return {}
    out: dict[str, tuple[float, float]] = {}
    for name in fns.names:
        if name.split("[")[0] != "U":
            continue
        tag = name[1:]
        part = {"U0": policy[f"U0{tag}"], "U": policy[name], "U1": policy[f"U1{tag}"],
                "x": policy["x"]}
        found = undetermined_ranges(part, floor=p.floor, cap=p.cap, min_gap=p.min_gap)
        out |= {f"{k}{tag}": v for k, v in found.items()}
    return out


def _solution(problem: Problem, fns: _Fns, best: np.ndarray, message: str, method: str,
              cert: Certificate | None) -> Solution:
    best, skip, unpaid = _unpaid_U(fns, best)
    if unpaid:
        message += "; x = 1, so U is never paid and is reported as U0 + min_gap"
    policy = fns.policy(best)
    beh = fns.beh(best)
    schedule = fns.d.schedule(best)
    if fns.d.breakpoints or not fns.d.monitor:
        evaluation = problem.evaluate_schedule(schedule, z=policy.get("z", 0.0),
                                               policy=policy)
    else:
        evaluation = problem.evaluate(**policy)
    ranges = _multipliers(fns, best, skip)
    binding = {k: lo for k, (lo, hi) in ranges.items()
               if np.isclose(lo, hi, rtol=1e-6, atol=1e-12)}
    nonunique = {k: v for k, v in ranges.items() if k not in binding}
    unspent = (None if problem.budget is None
               else float(problem.budget - evaluation.behaviour["spend_per_claim"]))
    if unspent is not None and abs(unspent) < 1e-6:
        unspent = 0.0
    return Solution(policy, evaluation.objective, evaluation, binding, method, message,
                    nonunique=nonunique, undetermined=_undetermined(fns, policy),
                    unspent_budget=unspent, objective_name=problem.objective,
                    certificate=cert, breakpoints=fns.d.breakpoints, schedule=schedule,
                    behaviour=beh, patience=problem.bridge.patience)


def _stationary_best(problem: Problem, method: str, seed: int, limit: float | None
                     ) -> tuple[_Fns, np.ndarray | None, list[np.ndarray]]:
    """The best stationary policy of the design's kind, and the screen's best points."""
    fns = _Fns(problem, limit=limit)
    starts = _screen(fns, 6)
    candidates = starts + _slsqp(fns, starts)
    if method == "global":
        found = _global(fns, seed)
        candidates += found + _slsqp(fns, found)
    return fns, _best(fns, candidates), starts


def _tilted(d: _Design, v: np.ndarray) -> list[np.ndarray]:
    """``v`` with its tiers tilted down (and up) over the segments by a tenth of the box."""
    segs = len(d.breakpoints) + 1
    out = []
    for sign in (1.0, -1.0):
        w = v.copy()
        for k, name in enumerate(d.names):
            if "[" in name:
                j = int(name.split("[")[1].rstrip("]")) - 1
                w[k] += sign * 0.1 * (d.hi[k] - d.lo[k]) * (1.0 - 2.0 * j / (segs - 1))
        out.append(np.clip(w, d.lo, d.hi))
    return out


def _optimum(problem: Problem, method: str, seed: int, limit: float | None,
             start: dict[str, float] | None = None) -> tuple[_Fns, np.ndarray, str]:
    """The best feasible point of the problem's design.

    Stationary tiers: the grid screen, SLSQP polish (and differential evolution with
    ``"global"``); with ``start``, SLSQP from it alone unless that finds nothing feasible.
    Several segments: every placement of the breakpoints, polished by SLSQP from the best
    stationary policy (paid in every segment), the screen's best points and tilted
    versions of them.
    """
    if start is not None:
        fns = _Fns(problem, limit=limit)
        z0 = np.clip(np.array([start[n] for n in fns.names]) / fns.scale, fns.lo, fns.hi)
        polished = _best(fns, [z0, *_slsqp(fns, [z0])])
        if polished is not None:
            return fns, polished, "SLSQP polish from the given start"
    fns1, best1, starts = _stationary_best(problem, method, seed, limit)
    if best1 is None:
        raise InfeasibleProblemError("the solver found no feasible policy; "
                                     "the constraints may conflict")
    message = ("grid screen, SLSQP polish" if method == "slsqp"
               else "differential evolution and grid screen, SLSQP polish")
    if problem.segments == 1:
        return fns1, best1, message
    points = [fns1.d.full(v) for v in [best1, *starts[:2]]]
    found: tuple[float, _Fns, np.ndarray] | None = None
    for cuts in itertools.combinations(range(1, problem.bridge.months), problem.segments - 1):
        fns = _Fns(problem, limit=fns1.limit, design=_Design(problem, cuts))
        begin = [fns.d.from_stationary({"U0": t[0][0], "U": t[1][0], "U1": t[2][0], "x": x,
                                        "z": z}) for t, x, z in points]
        begin += _tilted(fns.d, begin[0])
        for v in [begin[0], *_slsqp(fns, begin)]:
            if fns.feasible(v) and (found is None or fns.f(v) < found[0] - 1e-12):
                found = (fns.f(v), fns, v)
    if found is None:  # pragma: no cover - the stationary optimum is feasible in every design
        raise InfeasibleProblemError("the solver found no feasible schedule")
    message += (f"; {problem.segments} segments: every breakpoint placement, SLSQP from the "
                "best stationary tiers")
    return found[1], found[2], message


def _lower_bound(successes: int, n: int, confidence: float) -> float:
    """One-sided Clopper-Pearson lower bound of a binomial proportion."""
    if successes == 0:
        return 0.0
    return float(stats.beta.ppf(1.0 - confidence, successes, n - successes + 1))


def _certify(problem: Problem, chance: Chance, fns: _Fns, best: np.ndarray, method: str,
             seed: int, floor_cost: float) -> tuple[_Fns, np.ndarray, Certificate]:
    """Certify a chance-constrained optimum on the independent ensemble.

    Tighten the in-sample level and solve again until the lower bound meets ``1 - alpha``.
    """

    def resolve(limit: float) -> float:
        nonlocal fns, best
        fns, best, _ = _optimum(problem, method, seed, limit)
        return float(fns.beh(best).spend_per_claim)

    cert = certify_spend(problem, float(fns.beh(best).spend_per_claim), resolve,
                         floor_cost)
    return fns, best, cert


def certify_spend(problem: Problem, spend: float, resolve: Callable[[float], float],
                  floor_cost: float) -> Certificate:
    """Certify a spend per claim on the problem's independent ensemble, tightening.

    Where the one-sided lower confidence bound of the share of fresh scenarios that
    stay sustainable falls short of ``1 - alpha``, the in-sample level is tightened and
    ``resolve(limit)`` asked for the new optimum's spend under the tighter spend
    ``limit``, until the bound meets ``1 - alpha``.

    Parameters
    ----------
    problem : Problem
        A problem with a chance constraint.
    spend : float
        The spend per claim of the optimum found at the in-sample level ``alpha``.
    resolve : callable
        ``resolve(limit) -> spend``: solve again under a spend limit (元 per claim),
        remembering the optimum, and return its spend.
    floor_cost : float
        The lowest spend per claim any policy within the bounds reaches.

    Returns
    -------
    Certificate
        The probabilities of the last optimum.

    Raises
    ------
    InfeasibleProblemError
        No policy can be certified, or 30 rounds did not suffice.
    PolicyParameterError
        The problem has no chance constraint.
    """
    chance = problem.chance
    if chance is None:
        raise PolicyParameterError("chance", None, "certification needs a chance constraint")
    target = 1.0 - chance.alpha
    in_sample = problem.scenarios().max_spend(problem.floor_months)
    fresh = np.sort(problem.certification_scenarios().max_spend(problem.floor_months))
    n = fresh.size
    alpha_k = chance.alpha
    tol = 1e-7 * max(1.0, problem.cap)
    for _ in range(30):
        ok = int(n - np.searchsorted(fresh, spend - tol, side="left"))
        lower = _lower_bound(ok, n, chance.confidence)
        if lower >= target:
            return Certificate(
                in_sample_probability=float(np.mean(in_sample >= spend - tol)),
                certified_probability=ok / n, lower_bound=lower, n_scenarios=n,
                in_sample_alpha=alpha_k, confidence=chance.confidence)
        # the largest spend whose bound would meet the target on this ensemble, mapped
        # to the in-sample level whose quantile does not exceed it
        need = next(k for k in range(n + 1) if _lower_bound(k, n, chance.confidence)
                    >= target) if _lower_bound(n, n, chance.confidence) >= target else None
        if need is None:
            raise InfeasibleProblemError(
                f"{n} certification scenarios cannot show P >= {target:g} at confidence "
                f"{chance.confidence:g}; raise certify_factor or n_scenarios")
        s_cert = float(fresh[n - need])
        alpha_next = float(np.mean(in_sample < s_cert))
        alpha_k = min(alpha_next, 0.9 * alpha_k) if alpha_next >= alpha_k else alpha_next
        limit = float(np.quantile(in_sample, alpha_k, method="inverted_cdf")) - _CHANCE_MARGIN
        if problem.budget is not None:
            limit = min(limit, problem.budget)
        if floor_cost > limit + 1e-6:
            raise InfeasibleProblemError(
                f"no policy is certified: the cheapest spends {floor_cost:.2f} 元 per claim, "
                f"above {limit:.2f} 元, the most the fresh scenarios allow at "
                f"P >= {target:g}")
        spend = resolve(limit)
    raise InfeasibleProblemError("the chance constraint could not be certified in 30 "
                                 "tightening rounds")

