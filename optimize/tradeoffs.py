"""Trade-offs around the optimum.

The Pareto frontier between behaviour and money, and the sensitivity of the optimum to
each default.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from optimize.bridge import Bridge
from optimize.errors import InfeasibleProblemError, PolicyParameterError
from optimize.fundlink import FundLink
from optimize.problem import Problem
from optimize.reskilling import Reskilling
from optimize.solve import Solution, cheapest_spend, solve
from uicore.executors import run_blocks

__all__ = ["compare_reskilling", "pareto_frontier", "sensitivity"]


def pareto_frontier(problem: Problem, *, n_points: int = 15,
                    max_spend: float | None = None, executor: Any = None) -> pd.DataFrame:
    """The best objective for each spend per claim, from the cheapest policy up.

    Each row is the optimum of ``problem`` with its budget set to that spend; together
    they trace the frontier between behaviour (effort, re-employment) and fund cost.
    ``executor`` (:mod:`uicore.executors`) solves the budgets in parallel; the frontier is
    the same whatever it is.

    Parameters
    ----------
    problem : Problem
        The problem; its budget is replaced point by point.
    n_points : int, keyword-only
        Budgets on the frontier, >= 2.
    max_spend : float, optional, keyword-only
        The largest budget (default the larger of the problem's budget and the spend of
        the most generous policy).
    executor : optional, keyword-only
        Where to solve (:func:`uicore.resolve_executor`).

    Returns
    -------
    pandas.DataFrame
        One row per feasible budget: ``budget``, the policy, ``objective``, the behaviour and
        ``budget_binds``.

    Raises
    ------
    PolicyParameterError
        ``n_points`` not an integer >= 2.

    Examples
    --------
    >>> from optimize import default_problem
    >>> frontier = pareto_frontier(default_problem(), n_points=2)
    >>> len(frontier), bool(frontier["objective"].is_monotonic_increasing)
    (2, True)
    """
    if isinstance(n_points, bool) or not isinstance(n_points, int) or n_points < 2:
        raise PolicyParameterError("n_points", n_points, "must be an integer >= 2")
    lo = cheapest_spend(problem)
    hi = max_spend if max_spend is not None else max(
        problem.budget or 0.0, problem.evaluate(**{k: problem.cap for k in ("U0", "U", "U1")},
                                                x=1.0).behaviour["spend_per_claim"])
    budgets = [float(b) for b in np.linspace(lo * 1.0005, hi, n_points)]
    solved = run_blocks(_frontier_point, budgets, shared=problem, executor=executor)
    return pd.DataFrame([row for row in solved if row is not None])


def _frontier_point(problem: Problem, budget: float) -> dict[str, Any] | None:
    """The optimum at one budget, as a frontier row (None if infeasible).

    Runs on a worker.
    """
    try:
        sol = solve(problem.with_(budget=budget))
    except InfeasibleProblemError:
        return None
    beh = sol.evaluation.behaviour
    return {"budget": budget, **sol.policy, "objective": sol.objective,
            "effort_share": beh["effort_share"],
            "reemployment_rate": beh["reemployment_rate"],
            "spend_per_claim": beh["spend_per_claim"],
            "budget_binds": "budget" in sol.binding}


_CLAIMANT = ("wage", "C_median", "C_sigma", "c0_share", "no_effort_hazard",
             "R_concentration", "R_mean")
_BRIDGE = ("monitoring_cost", "entitlement_months")
_PROBLEM = ("floor", "cap", "budget", "floor_months")
_FUND = ("opening_reserve",)
#: The defaults :func:`sensitivity` perturbs.
SENSITIVITY_PARAMETERS = _CLAIMANT + _BRIDGE + _PROBLEM + _FUND


def _perturbed(problem: Problem, name: str, factor: float) -> Problem:
    b = problem.bridge
    if name in _CLAIMANT:
        c = replace(b.claimants, **{name: getattr(b.claimants, name) * factor})
        return problem.with_(bridge=b.with_(claimants=c))
    if name == "monitoring_cost":
        return problem.with_(bridge=b.with_(monitoring_cost=b.kappa * factor))
    if name == "entitlement_months":
        # whole months: _factors moves the entitlement by one month
        return problem.with_(bridge=b.with_(entitlement_months=round(b.months * factor)))
    if name in _PROBLEM:
        return problem.with_(**{name: getattr(problem, name) * factor})
    scenario = problem.fund.scenario
    opening = dict(scenario.opening)
    opening["opening_reserve"] *= factor
    return problem.with_(fund=FundLink(replace(scenario, opening=opening)))


@dataclass(frozen=True)
class _Side:
    """One perturbed side of :func:`sensitivity`: its optimum, or why there is none."""

    solution: Solution | None
    failure: str = ""


def _solve_perturbed(shared: tuple[Problem, dict[str, float] | None],
                     item: tuple[str, float]) -> _Side:
    """The optimum with one default scaled, from the base optimum ``start`` if any.

    Runs on a worker.  A side that is not allowed (a default on its bound, or unset) or
    has no feasible policy carries the reason instead; any other error is a bug and
    propagates.
    """
    problem, start = shared
    name, factor = item
    if name in _PROBLEM and getattr(problem, name) is None:
        return _Side(None, f"{name} is not set")
    try:
        return _Side(solve(_perturbed(problem, name, factor), start=start))
    except (InfeasibleProblemError, PolicyParameterError) as exc:
        return _Side(None, f"{name} x {factor:g}: {type(exc).__name__}: {exc}")


def sensitivity(problem: Problem, *, parameters: tuple[str, ...] = SENSITIVITY_PARAMETERS,
                step: float = 0.01, executor: Any = None) -> pd.DataFrame:
    """Elasticities of the optimum to each default.

    ``d ln(y) / d ln(p)`` by central differences (``p * (1 ± step)``; the entitlement, in
    whole months, by ``M ± 1``), for ``y`` the objective, the policy variables and the spend
    per claim.  Each perturbed problem is solved from the base optimum (``solve`` with
    ``start=``, for stationary tiers with a smooth best response; otherwise by a full
    search), so the table differentiates the optimum the base solve found, not another local
    optimum a grid screen might land on.  Where one side is not allowed (a default on its
    bound, e.g. ``c0_share = 1``, or no feasible policy) the difference is one-sided; where
    neither side is (or the default is unset, e.g. no budget) the row is NaN; an output
    whose base value is 0 has no elasticity (NaN).  Every NaN and one-sided row is explained
    in ``table.attrs["notes"]`` (parameter or output -> reason).  ``executor``
    (:mod:`uicore.executors`) solves the perturbed problems in parallel; the table is the
    same whatever it is.

    Parameters
    ----------
    problem : Problem
        The problem whose optimum is perturbed.
    parameters : tuple of str, keyword-only
        Defaults to perturb (default :data:`SENSITIVITY_PARAMETERS`).
    step : float, keyword-only
        Relative step, in (0, 0.5).
    executor : None, int or distributed.Client, keyword-only
        Where the perturbed problems are solved.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``parameter``; columns ``objective``, the policy variables and
        ``spend_per_claim``; ``attrs["notes"]`` says why a value is NaN or one-sided.

    Raises
    ------
    PolicyParameterError
        ``step`` outside (0, 0.5), or an unknown parameter.

    Examples
    --------
    >>> from optimize import default_problem
    >>> t = sensitivity(default_problem(budget=None), parameters=("budget",))
    >>> bool(t.loc["budget"].isna().all()), t.attrs["notes"]["budget"]
    (True, 'budget is not set (no elasticity)')
    """
    if not 0 < step < 0.5:
        raise PolicyParameterError("step", step, "must lie in (0, 0.5)")
    for name in parameters:
        if name not in SENSITIVITY_PARAMETERS:
            raise PolicyParameterError("parameters", name,
                                       f"unknown; choose from {SENSITIVITY_PARAMETERS}")
    base = solve(problem)
    outputs = {"objective": base.objective, **base.policy,
               "spend_per_claim": base.evaluation.behaviour["spend_per_claim"]}
    factors = {name: _factors(problem, name, step) for name in parameters}
    items = [(name, factor) for name in parameters for factor in factors[name]]
    # an elasticity is a derivative of the optimum: each side continues the base optimum
    # (SLSQP from it), where the design is smooth and stationary
    smooth = problem.segments == 1 and problem.bridge.claimants.temperature > 0
    start = dict(base.policy) if smooth else None
    solved = dict(zip(items, run_blocks(_solve_perturbed, items, shared=(problem, start),
                                        executor=executor), strict=True))
    notes = {key: "base value is 0: no elasticity" for key, y0 in outputs.items() if not y0}
    rows = []
    for name in parameters:
        sides = [(f, side.solution) for f in factors[name]
                 if (side := solved[(name, f)]).solution is not None]
        failures = list(dict.fromkeys(side.failure for f in factors[name]
                                      if (side := solved[(name, f)]).solution is None))
        if failures:
            how = "no elasticity" if not sides else "one-sided difference"
            notes[name] = f"{'; '.join(failures)} ({how})"
        rows.append({"parameter": name, **_elasticities(sides, base, outputs)})
    table = pd.DataFrame(rows).set_index("parameter")
    table.attrs["notes"] = notes
    return table


def _factors(problem: Problem, name: str, step: float) -> tuple[float, float]:
    """The two perturbation factors of a default: ``1 ± step``.

    The entitlement is in whole months, so it moves by one month: ``(M ± 1) / M``.
    """
    if name == "entitlement_months":
        M = problem.bridge.months
        return (M + 1) / M, (M - 1) / M
    return 1 + step, 1 - step


def _elasticities(sides: list[tuple[float, Solution]], base: Solution,
                  outputs: dict[str, float]) -> dict[str, float]:
    """``d ln y / d ln p`` of every output from the perturbed optima (NaN without one)."""
    if not sides:
        return {k: np.nan for k in outputs}
    if len(sides) == 1:  # one-sided difference against the base optimum
        sides = [*sides, (1.0, base)]
    (f_up, up), (f_down, down) = sides
    width = f_up - f_down
    out: dict[str, float] = {}
    for key, y0 in outputs.items():
        if key in base.policy:  # this design's variables: U0, U, U1, x, level, z
            yu, yd = up.policy[key], down.policy[key]
        elif key == "objective":
            yu, yd = up.objective, down.objective
        else:
            yu = up.evaluation.behaviour["spend_per_claim"]
            yd = down.evaluation.behaviour["spend_per_claim"]
        out[key] = (yu - yd) / (width * y0) if y0 else np.nan
    return out


def compare_reskilling(problem: Problem, reskilling: Reskilling | None = None
                       ) -> pd.DataFrame:
    """Does reskilling pay for itself?  The optimum with and without the lever.

    Rows: the problem's optimum without reskilling; the same tiers and monitoring with the
    reskilling level the optimiser picks (the lever's own effect); and the joint optimum.
    Columns: policy, effort share, re-employment, spend per claim (reskilling included),
    the reskilling cost per claim, the final reserve and the lowest months payable.
    ``recovered_share`` is the share of the reskilling cost that shorter spells save in
    benefits and monitoring at the old tiers; ``pays_for_itself`` is whether that share
    reaches 1.

    Parameters
    ----------
    problem : Problem
        The problem (with or without a reskilling lever).
    reskilling : Reskilling, optional
        The lever's assumptions (default the problem's, else ``Reskilling()``).

    Returns
    -------
    pandas.DataFrame
        Three rows as described.

    Examples
    --------
    >>> from optimize import default_problem
    >>> table = compare_reskilling(default_problem(budget=4500.0))
    >>> bool(table["reemployment_rate"].iloc[2] > table["reemployment_rate"].iloc[0])
    True
    >>> bool(0 < table["recovered_share"].iloc[1] < 1)   # grants: partly repaid
    True
    """
    reskilling = reskilling or Reskilling()
    plain = problem if problem.bridge.reskilling is None else problem.with_(
        bridge=_with_reskilling(problem.bridge, None))
    lever = problem.with_(bridge=_with_reskilling(plain.bridge, reskilling))
    base = solve(plain)
    joint = solve(lever)
    added = lever.evaluate(**base.policy, z=joint.policy["z"])
    rows = []
    for label, ev in (("optimum without reskilling", base.evaluation),
                      ("same tiers, plus the chosen reskilling", added),
                      ("joint optimum with reskilling", joint.evaluation)):
        b = ev.behaviour
        rows.append({"policy": label, **{k: ev.policy.get(k, 0.0) for k in
                                         ("U0", "U", "U1", "x", "z")},
                     "effort_share": b["effort_share"],
                     "reemployment_rate": b["reemployment_rate"],
                     "spend_per_claim": b["spend_per_claim"],
                     "reskilling_per_claim": b.get("reskilling_per_claim", 0.0),
                     "final_reserve": ev.metrics["final_reserve"],
                     "min_months_payable": ev.metrics["min_months_payable"],
                     "feasible": ev.feasible})
    out = pd.DataFrame(rows).set_index("policy")
    cost = added.behaviour["reskilling_per_claim"]
    extra = added.behaviour["spend_per_claim"] - base.evaluation.behaviour["spend_per_claim"]
    out["recovered_share"] = np.nan
    out["pays_for_itself"] = False
    label = "same tiers, plus the chosen reskilling"
    if cost > 0:  # share of the reskilling cost recovered by shorter, cheaper spells
        out.loc[label, "recovered_share"] = 1.0 - extra / cost
        out.loc[label, "pays_for_itself"] = bool(extra <= 0)
    return out


def _with_reskilling(bridge: Bridge, reskilling: Reskilling | None) -> Bridge:
    return bridge.with_(reskilling=reskilling)
