"""Optimising a benefit schedule over the spell: levels, breakpoints and monitoring.

:func:`solve_schedule` chooses a piecewise-constant schedule of ``segments`` segments
over the entitlement -- each segment's tiers ``(U0, U, U1)`` (or one level paid to all
three with ``monitor=False``, as Shanghai's step-down and Hopenhayn-Nicolini's declining
benefit), the months where segments change and the monitoring probability ``x`` -- to
maximise the problem's objective under the problem's constraints: ``floor <= U0 <= U <=
U1 <= cap`` with the gaps, and spend per claim within the budget and the fund's
sustainability limit (with a chance constraint: its ``alpha``-quantile, certified out of
sample as :func:`optimize.solve` does).  Claimants choose effort month by month by
backward induction (:mod:`optimize.spell`).

The breakpoints are integers, so every placement is enumerated; for each, the levels
and ``x`` are found by SLSQP with the spell's forward-mode gradients, started from the
best points of a small grid.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize as sopt

from optimize.errors import InfeasibleProblemError, PolicyParameterError
from optimize.problem import Problem, objective_value
from optimize.solve import _CHANCE_MARGIN, Certificate, certify_spend
from optimize.spell import Schedule, SpellBehaviour, spell_behaviour

__all__ = ["ScheduleSolution", "solve_schedule"]

#: Money variables are scaled to thousands of 元 inside the solver.
_SCALE = 1000.0


@dataclass(frozen=True)
class ScheduleSolution:
    """The best schedule of a problem, with what it does.

    Parameters
    ----------
    schedule : Schedule
        The tiers by month and ``x``.
    breakpoints : tuple of int
        Months (0-based) where a new segment starts.
    objective : float
        The objective there (higher is better).
    objective_name : str
        The objective maximised.
    behaviour : SpellBehaviour
        Effort by type and month, durations and spending.
    spend_limit : float
        The spend per claim allowed (budget, sustainability or certified limit).
    binding : tuple of str
        Constraints active at the optimum.
    patience : float
        The claimants' monthly discount factor.
    certificate : Certificate or None
        Out-of-sample certification of a chance constraint.
    message : str
        How it was found.

    Examples
    --------
    >>> from optimize import default_problem
    >>> sol = solve_schedule(default_problem(n_nodes=3), segments=1, monitor=False)
    >>> sol.schedule.months, sol.breakpoints
    (12, ())
    """

    schedule: Schedule
    breakpoints: tuple[int, ...]
    objective: float
    objective_name: str
    behaviour: SpellBehaviour = field(repr=False)
    spend_limit: float
    binding: tuple[str, ...]
    patience: float
    certificate: Certificate | None = None
    message: str = ""

    def to_frame(self) -> pd.DataFrame:
        """The schedule by segment, with effort at the segment's first month.

        Returns
        -------
        pandas.DataFrame
            Index ``segment``; columns ``first_month``, ``last_month`` (1-based, as a
            claimant counts), ``U0``, ``U``, ``U1``, ``effort`` (share of types making
            effort in the segment's first month).

        Examples
        --------
        >>> from optimize import default_problem
        >>> sol = solve_schedule(default_problem(n_nodes=4), segments=1, monitor=False)
        >>> sol.to_frame().columns.tolist()
        ['first_month', 'last_month', 'U0', 'U', 'U1', 'effort']
        """
        starts = [0, *self.breakpoints]
        ends = [*self.breakpoints, self.schedule.months]
        frame = self.schedule.to_frame()
        effort = self.behaviour.effort_by_month
        rows = [{"first_month": a + 1, "last_month": b, **frame.iloc[a].to_dict(),
                 "effort": float(effort[a])} for a, b in zip(starts, ends, strict=True)]
        return pd.DataFrame(rows, index=pd.RangeIndex(1, len(rows) + 1, name="segment"))

    def explain(self) -> str:
        """The schedule in words: what it pays when, why effort moves, what binds.

        Returns
        -------
        str
            A few sentences.

        Examples
        --------
        >>> from optimize import default_problem
        >>> sol = solve_schedule(default_problem(n_nodes=4), segments=1, monitor=False)
        >>> print(sol.explain())  # doctest: +ELLIPSIS
        Pays 800 元 in months 1-12, monitoring nobody.
        Effort rises ...
        """
        frame = self.to_frame()
        parts = []
        for _, row in frame.iterrows():
            tiers = (f"{row['U']:,.0f} 元" if self.schedule.x == 0 else
                     f"{row['U0']:,.0f} / {row['U']:,.0f} / {row['U1']:,.0f} 元 "
                     "(monitored non-searchers / not monitored / monitored searchers)")
            parts.append(f"{tiers} in months {row['first_month']:.0f}-{row['last_month']:.0f}")
        beh = self.behaviour
        e = beh.effort_by_month
        lines = ["Pays " + ", then ".join(parts)
                 + (f", monitoring {self.schedule.x:.0%} of claimants a month"
                    if self.schedule.x > 0 else ", monitoring nobody") + "."]
        trend = ("rises" if e[-1] > e[0] + 1e-9 else "falls" if e[-1] < e[0] - 1e-9
                 else "stays")
        lines.append(
            f"Effort {trend} from {e[0]:.1%} of claimants in the first month to "
            f"{e[-1]:.1%} in the last (patience {self.patience:g}: "
            + ("claimants weigh the benefits still to come, so effort grows as they run "
               "out" if self.patience > 0 else "each month is the one-shot game") + ").")
        lines.append(f"{self.objective_name} = {self.objective:.6g}; spend "
                     f"{beh.spend_per_claim:,.1f} of {self.spend_limit:,.1f} 元 allowed per "
                     f"claim; months paid {beh.months_paid:.2f}; re-employed within the "
                     f"entitlement {beh.reemployment_rate:.1%}.")
        if self.binding:
            lines.append("Binding: " + ", ".join(self.binding) + ".")
        return "\n".join(lines)


class _Design:
    """The map from the solver's variables to the schedule by month."""

    def __init__(self, problem: Problem, months: int, breakpoints: tuple[int, ...],
                 monitor: bool) -> None:
        self.months, self.breakpoints, self.monitor = months, breakpoints, monitor
        segs = len(breakpoints) + 1
        seg_of = np.searchsorted(np.array(breakpoints, dtype=int), np.arange(months),
                                 side="right")
        per = 3 if monitor else 1
        n = segs * per + (1 if monitor else 0)
        T = np.zeros((3 * months + 1, n))
        for k, j in enumerate(seg_of):
            for t in range(3):
                T[t * months + k, j * per + (t if monitor else 0)] = 1.0
        if monitor:
            T[3 * months, n - 1] = 1.0
        self.T = T
        self.n = n
        scale = np.full(n, _SCALE)
        if monitor:
            scale[-1] = 1.0
        self.scale = scale
        self.lo = np.full(n, problem.floor) / scale
        self.hi = np.full(n, problem.cap) / scale
        if monitor:
            self.lo[-1], self.hi[-1] = 0.0, 1.0
        rows = []
        if monitor:
            for j in range(segs):
                for a, b in ((j * 3, j * 3 + 1), (j * 3 + 1, j * 3 + 2)):
                    r = np.zeros(n)
                    r[a], r[b] = -_SCALE, _SCALE
                    rows.append(r)
        self.A = np.array(rows).reshape(-1, n)
        self.gap = np.full(len(rows), problem.min_gap)

    def schedule(self, z: np.ndarray) -> Schedule:
        full = self.T @ (np.clip(z, self.lo, self.hi) * self.scale)
        M = self.months
        return Schedule(tuple(full[:M]), tuple(full[M:2 * M]), tuple(full[2 * M:3 * M]),
                        float(full[-1]))


class _Objective:
    """Objective and spend of the schedule, cached per point."""

    def __init__(self, problem: Problem, design: _Design, patience: float,
                 limit: float) -> None:
        self.p, self.d, self.patience, self.limit = problem, design, patience, limit
        self.div = _SCALE if problem.objective in ("cost", "welfare") else 1.0
        self._last: tuple[bytes, SpellBehaviour] | None = None

    def beh(self, z: np.ndarray) -> SpellBehaviour:
        key = z.tobytes()
        if self._last is None or self._last[0] != key:
            self._last = (key, spell_behaviour(self.p.bridge, self.d.schedule(z),
                                               patience=self.patience))
        return self._last[1]

    def value(self, z: np.ndarray) -> tuple[float, np.ndarray]:
        beh = self.beh(z)
        fields: dict[str, Any] = {**beh.as_dict(), "grad": beh.grad}
        v, g = objective_value(self.p.objective, fields)
        return float(v), (self.d.T.T @ g) * self.d.scale

    def f(self, z: np.ndarray) -> float:
        return -self.value(z)[0] / self.div

    def df(self, z: np.ndarray) -> np.ndarray:
        return -self.value(z)[1] / self.div

    def slack(self, z: np.ndarray) -> float:
        return (self.limit - self.beh(z).spend_per_claim) / _SCALE

    def dslack(self, z: np.ndarray) -> np.ndarray:
        g = self.beh(z).grad["spend_per_claim"]
        return np.asarray(-(self.d.T.T @ g) * self.d.scale / _SCALE, dtype=float)

    def feasible(self, z: np.ndarray, tol: float = 1e-6) -> bool:
        zc = np.clip(z, self.d.lo, self.d.hi)
        ok = self.slack(zc) >= -tol
        if self.d.A.size:
            ok = ok and bool(np.all(self.d.A @ zc - self.d.gap >= -tol * _SCALE))
        return bool(ok)


def _starts(obj: _Objective, n_levels: int) -> list[np.ndarray]:
    """The best feasible points of a small grid (equal levels in every segment)."""
    d = obj.d
    levels = np.linspace(d.lo[0], d.hi[0], n_levels)
    pts = []
    if d.monitor:
        gap = obj.p.min_gap / _SCALE
        segs = len(d.breakpoints) + 1
        for u0, u1, x in itertools.product(levels, levels, (0.0, 0.5, 1.0)):
            if u1 - u0 < 2 * gap - 1e-12:
                continue
            z = np.concatenate([np.tile([u0, (u0 + u1) / 2, u1], segs), [x]])
            pts.append(z)
    else:
        pts = [np.full(d.n, v) for v in levels]
        pts += [np.linspace(d.hi[0], d.lo[0], d.n), np.linspace(d.lo[0], d.hi[0], d.n)]
    scored = [(obj.f(z), z) for z in pts if obj.feasible(z)]
    scored.sort(key=lambda t: t[0])
    return [z for _, z in scored[:2]]


def _polish(obj: _Objective, z0: np.ndarray) -> np.ndarray:
    d = obj.d
    cons: list[dict[str, Any]] = [{"type": "ineq", "fun": obj.slack, "jac": obj.dslack}]
    if d.A.size:
        cons.append({"type": "ineq", "fun": lambda z: (d.A @ z - d.gap) / _SCALE,
                     "jac": lambda z: d.A / _SCALE})
    res = sopt.minimize(obj.f, z0, jac=obj.df, method="SLSQP",
                        bounds=list(zip(d.lo, d.hi, strict=True)), constraints=cons,
                        options={"maxiter": 200, "ftol": 1e-12})
    return np.asarray(np.clip(res.x, d.lo, d.hi), dtype=float)


def _best_over_breakpoints(problem: Problem, months: int, segments: int, monitor: bool,
                           patience: float, limit: float
                           ) -> tuple[_Objective, np.ndarray] | None:
    best: tuple[float, _Objective, np.ndarray] | None = None
    for cuts in itertools.combinations(range(1, months), segments - 1):
        obj = _Objective(problem, _Design(problem, months, cuts, monitor), patience, limit)
        for z0 in _starts(obj, 5):
            z = _polish(obj, z0)
            for cand in (z, z0):
                if obj.feasible(cand) and (best is None or obj.f(cand) < best[0] - 1e-12):
                    best = (obj.f(cand), obj, cand)
    return None if best is None else (best[1], best[2])


def _check(problem: Problem, segments: int, months: int | None, patience: float
           ) -> tuple[int, float]:
    if not isinstance(problem, Problem):
        raise PolicyParameterError("problem", problem, "must be an optimize.Problem")
    M = round(problem.bridge.M) if months is None else months
    if isinstance(M, bool) or not isinstance(M, int) or not 1 <= M <= 60:
        raise PolicyParameterError("months", months, "must be an integer in [1, 60]")
    if isinstance(segments, bool) or not isinstance(segments, int) \
            or not 1 <= segments <= min(M, 4):
        raise PolicyParameterError("segments", segments,
                                   f"must be an integer in [1, {min(M, 4)}]")
    if not 0.0 <= patience < 1.0:
        raise PolicyParameterError("patience", patience, "must lie in [0, 1)")
    return M, float(patience)


def solve_schedule(problem: Problem, *, segments: int = 2, months: int | None = None,
                   monitor: bool = True, patience: float = 0.9) -> ScheduleSolution:
    """The best piecewise-constant schedule over the spell for ``problem``.

    Parameters
    ----------
    problem : Problem
        Bounds, constraints and objective; its bridge gives the claimants (and welfare).
    segments : int
        Number of segments (1 to 4); ``segments - 1`` breakpoints are chosen.
    months : int or None
        The entitlement (default: the bridge's ``entitlement_months``), at most 60.
    monitor : bool
        Optimise the three tiers of each segment and ``x``; ``False`` pays one level
        per segment to everybody and monitors nobody.
    patience : float
        The claimants' monthly discount factor ``beta`` in [0, 1).

    Returns
    -------
    ScheduleSolution
        The schedule, its behaviour, what binds and (chance constraints) its
        certificate.

    Raises
    ------
    PolicyParameterError
        A bad setting.
    InfeasibleProblemError
        No schedule within the bounds meets the spend limit.

    Examples
    --------
    >>> from optimize import default_problem
    >>> sol = solve_schedule(default_problem(n_nodes=4, budget=6000.0), segments=2,
    ...                      monitor=False)
    >>> sol.behaviour.spend_per_claim <= 6000.0 + 1e-6, len(sol.breakpoints)
    (True, 1)
    """
    M, beta = _check(problem, segments, months, patience)
    if not isinstance(monitor, bool):
        raise PolicyParameterError("monitor", monitor, "must be True or False")
    limit = problem.spend_limit()
    if problem.chance is not None:
        limit -= _CHANCE_MARGIN
    found = _best_over_breakpoints(problem, M, segments, monitor, beta, limit)
    if found is None:
        raise InfeasibleProblemError(
            f"no schedule with {segments} segment(s) within [{problem.floor:g}, "
            f"{problem.cap:g}] 元 spends at most {limit:.2f} 元 per claim; raise the "
            "budget or lower the floor")
    obj, z = found
    cert = None
    message = f"{segments} segment(s): every breakpoint placement, grid starts, SLSQP"
    if problem.chance is not None and problem.chance.certify:
        floor_sched = Schedule.flat(M, U0=problem.floor, U=problem.floor, U1=problem.floor)
        floor_cost = spell_behaviour(problem.bridge, floor_sched, patience=beta,
                                     gradient=False).spend_per_claim

        def resolve(new_limit: float) -> float:
            nonlocal obj, z, limit
            limit = new_limit
            again = _best_over_breakpoints(problem, M, segments, monitor, beta, new_limit)
            if again is None:
                raise InfeasibleProblemError(
                    f"no schedule spends at most {new_limit:.2f} 元 per claim, the "
                    "certified limit")
            obj, z = again
            return obj.beh(z).spend_per_claim

        cert = certify_spend(problem, obj.beh(z).spend_per_claim, resolve, floor_cost)
        message += f"; certified on {cert.n_scenarios:,} fresh scenarios"
    return _solution(problem, obj, z, limit, cert, message)


def _solution(problem: Problem, obj: _Objective, z: np.ndarray, limit: float,
              cert: Certificate | None, message: str) -> ScheduleSolution:
    d = obj.d
    beh = obj.beh(z)
    binding = []
    if abs(obj.slack(z)) < 1e-6:
        binding.append("budget" if problem.budget is not None
                       and abs(limit - problem.budget) < 1e-6 else "spend limit")
    names = [f"segment {j + 1} {t}" for j in range(len(d.breakpoints) + 1)
             for t in (("U0", "U", "U1") if d.monitor else ("level",))]
    names += ["x"] if d.monitor else []
    for name, v, lo, hi in zip(names, z, d.lo, d.hi, strict=True):
        if abs(v - lo) < 1e-7:
            binding.append(f"{name} at its lower bound")
        elif abs(v - hi) < 1e-7:
            binding.append(f"{name} at its upper bound")
    value, _ = obj.value(z)
    return ScheduleSolution(d.schedule(z), d.breakpoints, value, problem.objective, beh,
                            limit, tuple(binding), obj.patience, cert, message)
