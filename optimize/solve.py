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
from dataclasses import dataclass, field

import numpy as np
from scipy import optimize as sopt

from optimize.bridge import Behaviour
from optimize.errors import InfeasibleProblemError, PolicyParameterError
from optimize.problem import Evaluation, Problem, objective_value

__all__ = ["Solution", "solve", "cheapest_spend"]

#: Spend (元) kept below a chance-constrained limit, far below any policy-relevant amount.
_CHANCE_MARGIN = 1e-4
#: Grid levels per tier and for ``x`` in the screening step.
_SCREEN_LEVELS, _SCREEN_X = 12, 11


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
        Constraints active at the optimum, each with its Lagrange multiplier: the gain of
        the objective per unit of slack (per 元, or per unit of ``x``).
    method : str
    message : str
    """

    policy: dict[str, float]
    objective: float
    evaluation: Evaluation = field(repr=False)
    binding: dict[str, float]
    method: str
    message: str = ""


class _Fns:
    """Objective and constraints in scaled variables (money in thousands of 元)."""

    def __init__(self, problem: Problem, objective: str | None = None,
                 limit: float | None = None) -> None:
        self.p = problem
        self.names = list(problem.bounds)
        self.scale = np.array([1.0 if n == "x" else 1000.0 for n in self.names])
        self.lo = np.array([b[0] for b in problem.bounds.values()]) / self.scale
        self.hi = np.array([b[1] for b in problem.bounds.values()]) / self.scale
        self.objective = objective or problem.objective
        if limit is None:
            limit = problem.spend_limit()
            if problem.chance is not None:
                # a hair inside the alpha-quantile: SLSQP may overshoot its constraint by
                # ~1e-9, and the quantile scenario itself must stay sustainable
                limit -= _CHANCE_MARGIN
        self.limit = limit
        i = {n: k for k, n in enumerate(self.names)}
        gap = problem.min_gap / 1000.0
        self.A = np.zeros((2, len(self.names)))
        self.A[0, i["U0"]], self.A[0, i["U"]] = -1.0, 1.0
        self.A[1, i["U"]], self.A[1, i["U1"]] = -1.0, 1.0
        self.gap = np.array([gap, gap])
        self._last: tuple[bytes, Behaviour] | None = None

    def policy(self, z: np.ndarray) -> dict[str, float]:
        return dict(zip(self.names, (np.clip(z, self.lo, self.hi) * self.scale).tolist(),
                        strict=True))

    def beh(self, z: np.ndarray) -> Behaviour:
        key = z.tobytes()
        if self._last is None or self._last[0] != key:
            self._last = (key, self.p.bridge.behaviour(**self.policy(z)))
        return self._last[1]

    def _value(self, beh: Behaviour) -> tuple[float, np.ndarray]:
        """Objective to *maximise* and its gradient in unscaled variables."""
        return objective_value(self.objective, beh)

    def f(self, z: np.ndarray) -> float:
        value, _ = self._value(self.beh(z))
        return -value / (1000.0 if self.objective in ("cost", "welfare") else 1.0)

    def df(self, z: np.ndarray) -> np.ndarray:
        _, grad = self._value(self.beh(z))
        return -grad * self.scale / (1000.0 if self.objective in ("cost", "welfare") else 1.0)

    def grad_objective(self, z: np.ndarray) -> np.ndarray:
        """Gradient of the objective (maximised) in unscaled units."""
        return self._value(self.beh(z))[1]

    def spend_slack(self, z: np.ndarray) -> float:
        return (self.limit - self.beh(z).spend_per_claim) / 1000.0

    def dspend_slack(self, z: np.ndarray) -> np.ndarray:
        return -self.beh(z).grad["spend_per_claim"] * self.scale / 1000.0

    def feasible(self, z: np.ndarray, tol: float = 1e-6) -> bool:
        return bool(np.all(self.A @ z - self.gap >= -tol) and self.spend_slack(z) >= -tol)


def _screen(fns: _Fns, n_best: int) -> list[np.ndarray]:
    """The best feasible points of a coarse grid (ordered tiers), as starting points."""
    p = fns.p
    lo, hi = p.floor, p.cap
    g = p.min_gap
    levels = np.linspace(lo, hi, _SCREEN_LEVELS)
    xs = np.linspace(0.0, 1.0, _SCREEN_X)
    rows = [(u0, u, u1) for u0, u, u1 in itertools.combinations_with_replacement(levels, 3)
            if u - u0 >= g - 1e-9 and u1 - u >= g - 1e-9]
    if not rows:  # wide gaps: spread the tiers exactly
        rows = [(lo, lo + g, lo + 2 * g)]
    tiers = np.array(rows)
    extra = [n for n in fns.names if n not in ("U0", "U", "U1", "x")]
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
    return [np.array([cols[n][k] for n in fns.names]) / fns.scale
            for k in order if np.isfinite(value[k])]


def _slsqp(fns: _Fns, starts: list[np.ndarray]) -> list[np.ndarray]:
    cons = [
        {"type": "ineq", "fun": lambda z: fns.A @ z - fns.gap, "jac": lambda z: fns.A},
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
    cons = [sopt.LinearConstraint(fns.A, fns.gap, np.inf),
            sopt.NonlinearConstraint(fns.spend_slack, 0.0, np.inf)]
    res = sopt.differential_evolution(
        fns.f, list(zip(fns.lo, fns.hi, strict=True)), constraints=cons, seed=seed,
        tol=1e-10, maxiter=400, popsize=20, polish=False)
    return [np.clip(res.x, fns.lo, fns.hi)]


def _best(fns: _Fns, candidates: list[np.ndarray]) -> np.ndarray | None:
    feasible = [z for z in candidates if fns.feasible(z)]
    return min(feasible, key=fns.f) if feasible else None


def cheapest_spend(problem: Problem) -> float:
    """The lowest spend per claim of any policy within the bounds and orderings
    (a grid screen, then SLSQP from its best points)."""
    fns = _Fns(problem, objective="cost", limit=np.inf)
    starts = _screen(fns, 5)
    best = _best(fns, starts + _slsqp(fns, starts))
    return float("inf") if best is None else float(fns.f(best) * 1000.0)


def _multipliers(fns: _Fns, z: np.ndarray) -> dict[str, float]:
    """KKT multipliers of the active constraints (bounds included), by NNLS."""
    problem = fns.p
    tol = 1e-6
    grads: list[tuple[str, np.ndarray]] = []
    for name, row, g in zip(("U - U0 >= gap", "U1 - U >= gap"), fns.A, fns.gap, strict=True):
        if abs(row @ z - g) < tol:
            grads.append((name, row.copy()))  # slack in 元 = row . (policy in 元)
    if abs(fns.spend_slack(z)) < 1e-6:
        label = ("budget" if problem.budget is not None
                 and abs(problem.spend_limit() - problem.budget) < 1e-9 else "sustainability")
        grads.append((label, -fns.beh(z).grad["spend_per_claim"]))
    labels = {"U0": ("U0 >= floor", "U0 <= cap"), "U": ("U >= floor", "U <= cap"),
              "U1": ("U1 >= floor", "U1 <= cap"), "x": ("0 <= x", "x <= 1"),
              "z": ("0 <= z", "z <= max_level")}
    for k, name in enumerate(fns.names):
        low_name, high_name = labels.get(name, (f"{name} >= min", f"{name} <= max"))
        e = np.zeros(len(fns.names))
        e[k] = 1.0
        if abs(z[k] - fns.lo[k]) < tol:
            grads.append((low_name, e.copy()))
        if abs(z[k] - fns.hi[k]) < tol:
            grads.append((high_name, -e))
    if not grads:
        return {}
    # maximise f  <=>  grad f + sum(lambda_i grad g_i) = 0 with g_i >= 0 active
    G = np.column_stack([g for _, g in grads])
    lam, _ = sopt.nnls(G, -fns.grad_objective(z))
    return {name: float(v) for (name, _), v in zip(grads, lam, strict=True)}


def solve(problem: Problem, *, method: str = "auto", seed: int = 0) -> Solution:
    """The best policy of ``problem``.

    Parameters
    ----------
    problem : Problem
    method : {"auto", "slsqp", "global"}
        ``"slsqp"``: a grid screen polished by SLSQP with analytic gradients;
        ``"global"``: differential evolution, then the same polish; ``"auto"`` (default):
        ``"slsqp"`` for a smooth (logit) best response, ``"global"`` for a sharp one.
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
    if method not in ("auto", "slsqp", "global"):
        raise PolicyParameterError("method", method, "must be 'auto', 'slsqp' or 'global'")
    if method == "auto":
        method = "global" if problem.bridge.claimants.temperature == 0 else "slsqp"
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
    starts = _screen(fns, 6)
    candidates = starts + _slsqp(fns, starts)
    if method == "global":
        found = _global(fns, seed)
        candidates += found + _slsqp(fns, found)
    best = _best(fns, candidates)
    if best is None:
        raise InfeasibleProblemError("the solver found no feasible policy; "
                                     "the constraints may conflict")
    message = ("grid screen, SLSQP polish" if method == "slsqp"
               else "differential evolution and grid screen, SLSQP polish")
    i_x, i_u, i_u0 = (fns.names.index(n) for n in ("x", "U", "U0"))
    if best[i_x] >= 1.0 - 1e-9:
        # Everybody is monitored, so the average tier U is never paid: any U in
        # [U0, U1] is optimal.  Report the lowest, U = U0 + min_gap, deterministically.
        best = best.copy()
        best[i_x] = 1.0
        best[i_u] = best[i_u0] + problem.min_gap / 1000.0
        message += "; x = 1, so U is never paid and is reported as U0 + min_gap"
    policy = fns.policy(best)
    evaluation = problem.evaluate(**policy)
    binding = _multipliers(fns, best)
    if best[i_x] == 1.0:  # U is irrelevant at x = 1: its constraints do not bind
        binding = {k: v for k, v in binding.items()
                   if k not in ("U - U0 >= gap", "U1 - U >= gap", "U >= floor", "U <= cap")}
    return Solution(policy, evaluation.objective, evaluation, binding, method, message)


