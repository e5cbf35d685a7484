"""Searching a :class:`~optimize.problem.Problem` for the best policy.

The default method is scipy's SLSQP from several starting points, with the analytic
gradients of the bridge (the logit-smoothed effort share makes the problem smooth); the
``"global"`` method is scipy's differential evolution with the same constraints, for the
sharp (``temperature = 0``) best response where gradients vanish.  Either way the best
feasible point is polished, checked, and returned with the constraints that bind and
their Lagrange multipliers (from the KKT conditions, by non-negative least squares).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np
from scipy import optimize as sopt

from optimize.bridge import POLICY_NAMES
from optimize.errors import InfeasibleProblemError, PolicyParameterError
from optimize.problem import Evaluation, Problem

__all__ = ["Solution", "solve", "cheapest_spend"]

#: Money variables are scaled to thousands of 元 inside the solver.
_SCALE = np.array([1000.0, 1000.0, 1000.0, 1.0])


@dataclass(frozen=True)
class Solution:
    """The optimum of a problem.

    Attributes
    ----------
    policy : dict
        ``{"U0": …, "U": …, "U1": …, "x": …}``.
    objective : float
        The objective at the optimum (higher is better).
    evaluation : Evaluation
        The full evaluation there.
    binding : dict
        Constraints active at the optimum, each with its Lagrange multiplier (the
        objective's gain per unit of slack: per 元, or per unit of ``x``).
    method : str
    message : str
    """

    policy: dict[str, float]
    objective: float
    evaluation: Evaluation = field(repr=False)
    binding: dict[str, float]
    method: str
    message: str = ""


def _x_to_policy(z: np.ndarray) -> dict[str, float]:
    return dict(zip(POLICY_NAMES, (z * _SCALE).tolist(), strict=True))


class _Fns:
    """Objective and constraints in scaled variables, memoised per point."""

    def __init__(self, problem: Problem, objective: str | None = None) -> None:
        self.p = problem
        self.objective = objective or problem.objective
        self.limit = problem.spend_limit()
        self._last: tuple[bytes, object] | None = None

    def beh(self, z: np.ndarray):  # type: ignore[no-untyped-def]
        key = z.tobytes()
        if self._last is None or self._last[0] != key:
            pol = _x_to_policy(np.clip(z, self.lo, self.hi))
            self._last = (key, self.p.bridge.behaviour(**pol))
        return self._last[1]

    @property
    def lo(self) -> np.ndarray:
        return np.array([b[0] for b in self.p.bounds.values()]) / _SCALE

    @property
    def hi(self) -> np.ndarray:
        return np.array([b[1] for b in self.p.bounds.values()]) / _SCALE

    def f(self, z: np.ndarray) -> float:
        beh = self.beh(z)
        if self.objective == "reemployment":
            return -beh.reemployment_rate
        if self.objective == "effort":
            return -beh.effort_share
        return beh.spend_per_claim / 1000.0

    def df(self, z: np.ndarray) -> np.ndarray:
        beh = self.beh(z)
        key = {"reemployment": "reemployment_rate", "effort": "effort_share"}.get(
            self.objective)
        g = -beh.grad[key] if key else beh.grad["spend_per_claim"] / 1000.0
        return g * _SCALE

    def spend_slack(self, z: np.ndarray) -> float:
        return (self.limit - self.beh(z).spend_per_claim) / 1000.0

    def dspend_slack(self, z: np.ndarray) -> np.ndarray:
        return -self.beh(z).grad["spend_per_claim"] * _SCALE / 1000.0

    def linear(self) -> tuple[np.ndarray, np.ndarray]:
        gap = self.p.min_gap / 1000.0
        A = np.array([[-1.0, 1.0, 0.0, 0.0], [0.0, -1.0, 1.0, 0.0]])
        return A, np.array([gap, gap])


def _starts(fns: _Fns, n: int) -> list[np.ndarray]:
    lo, hi = fns.lo, fns.hi
    pts = []
    for fr_u, fr_x in itertools.product((0.1, 0.5, 0.9), (0.0, 0.5, 1.0)):
        u0 = lo[0]
        u1 = lo[0] + fr_u * (hi[2] - lo[0])
        u = 0.5 * (u0 + u1)
        pts.append(np.array([u0, u, u1, fr_x]))
    return pts[:n]


def _slsqp(fns: _Fns, starts: list[np.ndarray]) -> list[np.ndarray]:
    A, gap = fns.linear()
    cons = [
        {"type": "ineq", "fun": lambda z: A @ z - gap, "jac": lambda z: A},
        {"type": "ineq", "fun": fns.spend_slack, "jac": fns.dspend_slack},
    ]
    bounds = list(zip(fns.lo, fns.hi, strict=True))
    out = []
    for z0 in starts:
        res = sopt.minimize(fns.f, z0, jac=fns.df, method="SLSQP", bounds=bounds,
                            constraints=cons, options={"maxiter": 300, "ftol": 1e-12})
        out.append(np.clip(res.x, fns.lo, fns.hi))
    return out


def _global(fns: _Fns, seed: int) -> list[np.ndarray]:
    A, gap = fns.linear()
    cons = [sopt.LinearConstraint(A, gap, np.inf),
            sopt.NonlinearConstraint(fns.spend_slack, 0.0, np.inf)]
    res = sopt.differential_evolution(
        fns.f, list(zip(fns.lo, fns.hi, strict=True)), constraints=cons, seed=seed,
        tol=1e-10, maxiter=400, popsize=20, polish=False)
    return [np.clip(res.x, fns.lo, fns.hi)]


def _feasible(fns: _Fns, z: np.ndarray, tol: float = 1e-7) -> bool:
    A, gap = fns.linear()
    return bool(np.all(A @ z - gap >= -tol) and fns.spend_slack(z) >= -tol)


def cheapest_spend(problem: Problem) -> float:
    """The lowest spend per claim any policy within the bounds and orderings reaches."""
    fns = _Fns(problem, objective="cost")
    fns.limit = np.inf
    best = min((fns.f(z) for z in _slsqp(fns, _starts(fns, 9)) if _feasible(fns, z)),
               default=np.inf)
    return float(best * 1000.0)


def _multipliers(problem: Problem, fns: _Fns, z: np.ndarray) -> dict[str, float]:
    """KKT multipliers of the active constraints (bounds included), by NNLS."""
    tol = 1e-6
    grads: list[tuple[str, np.ndarray]] = []
    A, gap = fns.linear()
    names = ["U - U0 >= gap", "U1 - U >= gap"]
    for name, row, g in zip(names, A, gap, strict=True):
        if abs(row @ z - g) < tol:
            grads.append((name, row / np.array([1000.0, 1000.0, 1000.0, 1.0])))
    if abs(fns.spend_slack(z)) < 1e-6:
        label = ("budget" if problem.budget is not None
                 and abs(fns.limit - problem.budget) < 1e-9 else "sustainability")
        grads.append((label, -problem.bridge.behaviour(**_x_to_policy(z)).grad[
            "spend_per_claim"]))
    bound_names = {0: ("U0 >= floor", None), 2: (None, "U1 <= cap"), 3: ("0 <= x", "x <= 1"),
                   1: ("U >= floor", "U <= cap")}
    for k, (low_name, high_name) in bound_names.items():
        e = np.zeros(4)
        e[k] = 1.0
        if low_name and abs(z[k] - fns.lo[k]) < tol:
            grads.append((low_name, e.copy()))
        if high_name and abs(z[k] - fns.hi[k]) < tol:
            grads.append((high_name, -e))
    if not grads:
        return {}
    # maximise f  <=>  grad f + sum(lambda_i grad g_i) = 0 with g_i >= 0 active
    gf = -fns.df(z) / _SCALE
    G = np.column_stack([g for _, g in grads])
    lam, _ = sopt.nnls(G, -gf)
    return {name: float(v) for (name, _), v in zip(grads, lam, strict=True)}


def solve(problem: Problem, *, method: str = "slsqp", seed: int = 0) -> Solution:
    """The best policy of ``problem``.

    Parameters
    ----------
    problem : Problem
    method : {"slsqp", "global"}
        Multistart SLSQP with analytic gradients (default), or differential evolution
        followed by an SLSQP polish.
    seed : int
        Seed of the global method.

    Raises
    ------
    InfeasibleProblemError
        No policy within the bounds meets the budget and sustainability constraints.

    >>> from optimize import default_problem
    >>> sol = solve(default_problem())
    >>> sol.evaluation.feasible, sol.objective > default_problem().evaluate(
    ...     U0=1530, U=1530, U1=1530, x=0).objective
    (True, True)
    """
    if not isinstance(problem, Problem):
        raise PolicyParameterError("problem", problem, "must be an optimize.Problem")
    if method not in ("slsqp", "global"):
        raise PolicyParameterError("method", method, "must be 'slsqp' or 'global'")
    fns = _Fns(problem)
    if fns.limit < 0:
        raise InfeasibleProblemError(
            f"the fund cannot keep {problem.floor_months:g} months of expenditure even "
            "with no benefits at all; lower floor_months or raise the opening reserve")
    floor_cost = cheapest_spend(problem)
    if floor_cost > fns.limit + 1e-6:
        what = ("budget" if problem.budget is not None and problem.budget <= fns.limit + 1e-9
                else "sustainability limit")
        raise InfeasibleProblemError(
            f"no policy meets the {what}: the cheapest policy within the bounds spends "
            f"{floor_cost:.2f} 元 per claim, above the limit of {fns.limit:.2f} 元; raise "
            "the budget or lower the floor")
    candidates = _slsqp(fns, _starts(fns, 9))
    if method == "global":
        candidates = _slsqp(fns, _global(fns, seed)) + candidates
    feasible = [z for z in candidates if _feasible(fns, z, 1e-6)]
    if not feasible:
        raise InfeasibleProblemError("the solver found no feasible policy; "
                                     "the constraints may conflict")
    best = min(feasible, key=fns.f)
    message = ("best of multistart SLSQP" if method == "slsqp"
               else "differential evolution, SLSQP polish")
    if best[3] >= 1.0 - 1e-9:
        # Everybody is monitored, so the average tier U is never paid: any U in
        # [U0, U1] is optimal.  Report the lowest, U = U0 (or U0 + gap), deterministically.
        best = best.copy()
        best[3] = 1.0
        best[1] = best[0] + problem.min_gap / 1000.0
        message += "; x = 1, so U is never paid and is reported as U0 + min_gap"
    policy = _x_to_policy(best)
    evaluation = problem.evaluate(**policy)
    binding = _multipliers(problem, fns, best)
    if best[3] == 1.0:  # U is irrelevant at x = 1: its constraints do not bind
        binding = {k: v for k, v in binding.items()
                   if k not in ("U - U0 >= gap", "U1 - U >= gap", "U >= floor", "U <= cap")}
    return Solution(policy, evaluation.objective, evaluation, binding, method, message)
