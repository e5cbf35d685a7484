"""How sure is the optimum?  Re-solve it for many draws of its uncertain inputs.

:func:`sweep` draws ``n_draws`` input sets from priors on keywords of
:func:`~optimize.default_problem` (or of a scenario's problem factory), solves each, and
returns a :class:`RobustnessResult`: one row per draw with the drawn inputs, the optimal
policy, its objective, the binding constraints and sustainability, plus the same for the
*nominal* optimum (the policy solved at the point values) and the status quo evaluated in
that draw's world.  :func:`scenario_grid` runs policies × scenarios through the same
machinery.  The priors and sweep files it reads are :mod:`optimize.uncertainty`.

Every sweep takes ``executor=`` (:mod:`uicore.executors`): ``None`` (serial), an integer
number of local processes, or a ``distributed.Client``.  Draw ``k`` takes its inputs from
the ``k``-th child of ``SeedSequence(seed).spawn(n_draws)`` (drawn up front, in this
process) and the solver is deterministic, so the table is identical, bit for bit, whatever
the executor; the first ``n`` draws of a longer sweep are the draws of a sweep of ``n``.
What is sent to a worker is the *recipe* — the problem factory, its fixed keywords and the
draw's inputs (about 1 kB pickled) — and the worker builds the problem itself.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from optimize.errors import InfeasibleProblemError, PolicyParameterError
from optimize.problem import Evaluation, Problem, default_problem
from optimize.solve import solve
from optimize.uncertainty import (
    SWEEPABLE,
    Prior,
    ScenarioFactory,
    check_priors,
    load_sweep,
    prior_from_table,
)
from uicore.errors import UIPolicyError
from uicore.executors import Progress, run_blocks, spawn_seeds

# The priors and sweep files were part of this module; their names stay importable here.
__all__ = ["SWEEPABLE", "Prior", "RobustnessResult", "ScenarioFactory", "check_priors",
           "load_sweep", "prior_from_table", "scenario_grid", "status_quo_policy", "sweep"]

_POLICY = ("U0", "U", "U1", "x")
_QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)


def status_quo_policy(problem: Problem) -> dict[str, float]:
    """The status quo: the flat benefit the problem's notes record (else its cap), x = 0.

    Parameters
    ----------
    problem : Problem

    Returns
    -------
    dict

    Examples
    --------
    >>> status_quo_policy(default_problem())
    {'U0': 1530.0, 'U': 1530.0, 'U1': 1530.0, 'x': 0.0}
    """
    level = float(problem.notes.get("status_quo", problem.cap))
    return {"U0": level, "U": level, "U1": level, "x": 0.0}


@dataclass(frozen=True)
class _Recipe:
    """What a worker needs for one draw (the problem is built on the worker)."""

    factory: Callable[..., Problem]
    fixed: Mapping[str, Any]
    method: str
    nominal: Mapping[str, float] | None


def _evaluate(problem: Problem, policy: Mapping[str, float], prefix: str) -> dict[str, Any]:
    ev: Evaluation = problem.evaluate(**policy)
    return {f"{prefix}objective": ev.objective, f"{prefix}feasible": bool(ev.feasible)}


def _solve_draw(recipe: _Recipe, item: tuple[int, Mapping[str, float]]) -> dict[str, Any]:
    """Build, solve and judge one draw (runs on a worker)."""
    k, inputs = item
    row: dict[str, Any] = {"draw": k, **inputs}
    try:
        problem = recipe.factory(**recipe.fixed, **inputs)
        sol = solve(problem, method=recipe.method)
    except InfeasibleProblemError as exc:
        return row | {"status": "infeasible", "message": str(exc)}
    except UIPolicyError as exc:   # the factory rejected this combination of inputs
        return row | {"status": "rejected", "message": str(exc)}
    ev = sol.evaluation
    row |= {"status": "solved", "message": "", **sol.policy, "objective": sol.objective,
            "spend_per_claim": ev.behaviour["spend_per_claim"],
            "effort_share": ev.behaviour["effort_share"],
            "min_months_payable": ev.metrics["min_months_payable"],
            "final_reserve": ev.metrics["final_reserve"], "sustainable": bool(ev.feasible),
            "binding": "; ".join(sorted(sol.binding))}
    row |= _evaluate(problem, status_quo_policy(problem), "status_quo_")
    if recipe.nominal is not None:
        row |= _evaluate(problem, recipe.nominal, "nominal_")
    return row


@dataclass(frozen=True)
class RobustnessResult:
    """The optimum re-solved for every draw of the uncertain inputs.

    Attributes
    ----------
    frame : pandas.DataFrame
        One row per draw: ``draw``, the drawn inputs, ``status`` (``solved``,
        ``infeasible`` or ``rejected``, with ``message``), the optimal ``U0, U, U1, x``,
        ``objective``, ``spend_per_claim``, ``effort_share``, ``min_months_payable``,
        ``final_reserve``, ``sustainable``, ``binding`` (constraint names joined by
        ``"; "``), the status quo's and the nominal optimum's objective and feasibility
        in that draw.
    priors : dict
        Input → :class:`Prior`.
    n_draws : int
    seed_entropy : int
        Pass it as ``seed`` to repeat the sweep.
    nominal_policy : dict or None
        The optimum at the point values (None if that problem is infeasible).
    objective_name : str
    """

    frame: pd.DataFrame = field(repr=False)
    priors: dict[str, Prior]
    n_draws: int
    seed_entropy: int
    nominal_policy: dict[str, float] | None
    objective_name: str

    def __repr__(self) -> str:
        solved = self._solved()
        return (f"RobustnessResult(n_draws={self.n_draws}, inputs={list(self.priors)}, "
                f"solved={len(solved)}, objective={self.objective_name!r}, "
                f"P(status quo better)={self.prob_status_quo_better:.3g})")

    def to_frame(self) -> pd.DataFrame:
        """The per-draw table (a copy of :attr:`frame`)."""
        return self.frame.copy()

    def _solved(self) -> pd.DataFrame:
        return self.frame[self.frame["status"] == "solved"]

    def summary(self, q: Sequence[float] = _QUANTILES) -> pd.DataFrame:
        """Quantiles and mean of each tier, ``x`` and the objective over solved draws.

        Parameters
        ----------
        q : sequence of float
            Levels in [0, 1].

        Returns
        -------
        pandas.DataFrame
            Index ``U0, U, U1, x, objective``; columns the levels and ``mean``.

        Raises
        ------
        optimize.errors.PolicyParameterError
            A level outside [0, 1], or no draw was solved.
        """
        qs = [float(v) for v in q]
        if not qs or any(not 0.0 <= v <= 1.0 for v in qs):
            raise PolicyParameterError("q", q, "levels must lie in [0, 1]")
        solved = self._solved()
        if solved.empty:
            raise PolicyParameterError("frame", "no solved draw",
                                       "every draw was infeasible or rejected")
        cols = [*_POLICY, "objective"]
        table = solved[cols].quantile(qs).T
        table.columns = [f"q{100 * v:g}" for v in qs]
        table["mean"] = solved[cols].mean()
        return table

    def binding_probability(self) -> pd.Series:
        """Share of solved draws in which each constraint binds, highest first."""
        solved = self._solved()
        counts: dict[str, int] = {}
        for text in solved["binding"]:
            for name in filter(None, str(text).split("; ")):
                counts[name] = counts.get(name, 0) + 1
        n = max(len(solved), 1)
        s = pd.Series({k: v / n for k, v in counts.items()}, name="P(binds)", dtype=float)
        return s.sort_values(ascending=False)

    @property
    def prob_status_quo_better(self) -> float:
        """Share of draws where the status quo beats the nominal optimum in that draw's world.

        Beats means: feasible while the nominal one is not, or a higher objective (NaN only if
        there is no nominal optimum).
        """
        f = self.frame
        if "nominal_objective" not in f or "status_quo_objective" not in f:
            return math.nan
        valid = f["status_quo_objective"].notna()
        sq_ok = f["status_quo_feasible"].fillna(False).astype(bool)
        nom_ok = f["nominal_feasible"].fillna(False).astype(bool)
        better = sq_ok & (~nom_ok | (f["status_quo_objective"] > f["nominal_objective"]))
        return float(better[valid].mean()) if valid.any() else math.nan

    @property
    def status_shares(self) -> pd.Series:
        """Share of draws solved, infeasible and rejected."""
        return self.frame["status"].value_counts(normalize=True)

    def figure(self) -> Any:
        """Histograms of the optimal tiers, ``x`` and the objective over the draws.

        Also the probability that each constraint binds.

        Returns
        -------
        matplotlib.figure.Figure
        """
        import matplotlib  # noqa: PLC0415 plotting only: `import optimize` does not load matplotlib

        matplotlib.use("Agg", force=False)
        import matplotlib.pyplot as plt  # noqa: PLC0415 plotting only: `import optimize` does not load matplotlib

        solved = self._solved()
        fig, axes = plt.subplots(2, 3, figsize=(13, 7))
        for ax, col in zip(axes.flat, [*_POLICY, "objective"], strict=False):
            ax.hist(solved[col], bins=max(5, min(40, len(solved) // 5 or 5)), color="C0")
            if self.nominal_policy is not None and col in self.nominal_policy:
                ax.axvline(self.nominal_policy[col], color="C3", label="nominal optimum")
                ax.legend(fontsize=8)
            ax.set_title(col + (" (yuan/month)" if col in ("U0", "U", "U1") else ""))
        probs = self.binding_probability()
        ax = axes.flat[5]
        ax.barh(list(probs.index), probs.to_numpy(), color="C1")
        ax.set_xlim(0, 1)
        ax.set_title("P(constraint binds)")
        fig.suptitle(f"Optimum over {len(solved)} of {self.n_draws} draws of "
                     f"{', '.join(self.priors)}")
        fig.tight_layout()
        return fig


def _draw_inputs(priors: Mapping[str, Prior], seeds: Sequence[np.random.SeedSequence]
                 ) -> list[dict[str, float]]:
    out = []
    for seed in seeds:
        rng = np.random.default_rng(seed)
        out.append({name: float(p.dist.rvs(random_state=rng)) for name, p in priors.items()})
    return out


def sweep(uncertain: Mapping[str, Any], *, n_draws: int,
          seed: int | np.random.SeedSequence | None,
          problem_factory: Callable[..., Problem] = default_problem,
          fixed: Mapping[str, Any] | None = None, method: str = "slsqp",
          executor: Any = None, progress: bool = False) -> RobustnessResult:
    """Solve the optimum for ``n_draws`` draws of its uncertain inputs.

    Parameters
    ----------
    uncertain : mapping
        Keyword of ``problem_factory`` → frozen continuous ``scipy.stats`` distribution or
        :class:`Prior`.  Every prior is checked before any work (:func:`check_priors`).
    n_draws : int, keyword-only
        Number of draws, >= 1.
    seed : int, SeedSequence or None, keyword-only
        Root seed; draw ``k`` uses its ``k``-th spawned child.
    problem_factory : callable, keyword-only
        Builds a :class:`~optimize.problem.Problem` from keywords (default
        :func:`~optimize.default_problem`); must be picklable (a module-level function or
        an object of a module-level class) for processes and Dask.
    fixed : mapping, optional, keyword-only
        Keywords passed to every call of the factory (the point values of the rest).
    method : {"slsqp", "global", "auto"}, keyword-only
        Passed to :func:`~optimize.solve`.
    executor : None, int or distributed.Client, keyword-only
        Where the draws are solved (:mod:`uicore.executors`).
    progress : bool, keyword-only
        Show a progress bar on stderr.

    Returns
    -------
    RobustnessResult

    Raises
    ------
    optimize.errors.PolicyParameterError
        A bad prior, ``n_draws``, ``fixed`` key or ``method``; all before any draw is solved.
    uicore.errors.ParameterError
        A bad ``seed`` or ``executor``.

    Examples
    --------
    >>> from scipy import stats
    >>> res = sweep({"C_median": stats.lognorm(0.25, scale=600.0)}, n_draws=3, seed=1)
    >>> res.frame[["U0", "U1", "x"]].shape
    (3, 3)
    >>> list(res.summary().index)
    ['U0', 'U', 'U1', 'x', 'objective']
    """
    if isinstance(n_draws, bool) or not isinstance(n_draws, int) or n_draws < 1:
        raise PolicyParameterError("n_draws", n_draws, "must be an integer >= 1")
    if method not in ("auto", "slsqp", "global"):
        raise PolicyParameterError("method", method, "must be 'auto', 'slsqp' or 'global'")
    priors = check_priors(uncertain, problem_factory=problem_factory)
    fixed_d = dict(fixed or {})
    clash = sorted(set(fixed_d) & set(priors))
    if clash:
        raise PolicyParameterError("fixed", clash, "these inputs are uncertain; drop them "
                                   "from fixed")
    seeds, entropy = spawn_seeds(seed, n_draws)
    draws = _draw_inputs(priors, seeds)
    base = problem_factory(**fixed_d)   # the point values: also checks `fixed`
    try:
        nominal: dict[str, float] | None = solve(base, method=method).policy
    except InfeasibleProblemError:
        nominal = None
    recipe = _Recipe(problem_factory, fixed_d, method, nominal)
    rows = run_blocks(_solve_draw, list(enumerate(draws)), shared=recipe, executor=executor,
                      progress=Progress("robustness sweep") if progress else None)
    frame = pd.DataFrame(rows)
    return RobustnessResult(frame, priors, n_draws, entropy, nominal, base.objective)


def _grid_cell(recipe: tuple[Callable[..., Problem], Mapping[str, Mapping[str, float]], bool],
               item: tuple[str, Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Every policy (and the optimum) in one scenario (runs on a worker)."""
    factory, policies, with_optimum = recipe
    name, settings = item
    problem = factory(**settings)
    rows = []
    todo = dict(policies)
    if with_optimum:
        try:
            todo["optimum"] = solve(problem).policy
        except InfeasibleProblemError as exc:
            rows.append({"scenario": name, "policy": "optimum", "feasible": False,
                         "message": str(exc)})
    for label, policy in todo.items():
        ev = problem.evaluate(**policy)
        rows.append({"scenario": name, "policy": label, **ev.policy,
                     "objective": ev.objective, "feasible": bool(ev.feasible),
                     "spend_per_claim": ev.behaviour["spend_per_claim"],
                     "min_months_payable": ev.metrics["min_months_payable"], "message": ""})
    return rows


def scenario_grid(policies: Mapping[str, Mapping[str, float]],
                  scenarios: Mapping[str, Mapping[str, Any]], *,
                  problem_factory: Callable[..., Problem] = default_problem,
                  with_optimum: bool = True, executor: Any = None,
                  progress: bool = False) -> pd.DataFrame:
    """Every policy in every scenario (and each scenario's own optimum).

    Parameters
    ----------
    policies : mapping
        Label → policy ``{"U0": …, "U": …, "U1": …, "x": …}``.
    scenarios : mapping
        Label → keywords of ``problem_factory``.
    problem_factory : callable, keyword-only
    with_optimum : bool, keyword-only
        Add each scenario's optimum as policy ``"optimum"``.
    executor : None, int or distributed.Client, keyword-only
        One scenario per block.
    progress : bool, keyword-only

    Returns
    -------
    pandas.DataFrame
        Rows ``scenario × policy``: the policy, objective, feasibility, spend per claim and
        lowest months payable.

    Raises
    ------
    optimize.errors.PolicyParameterError
        Empty ``policies`` or ``scenarios``.

    Examples
    --------
    >>> grid = scenario_grid({"flat": {"U0": 1530, "U": 1530, "U1": 1530, "x": 0.0}},
    ...                      {"base": {}, "dear search": {"C_median": 900.0}})
    >>> grid.set_index(["scenario", "policy"]).shape[0]
    4
    """
    if not policies:
        raise PolicyParameterError("policies", policies, "must name at least one policy")
    if not scenarios:
        raise PolicyParameterError("scenarios", scenarios, "must name at least one scenario")
    recipe = (problem_factory, {k: dict(v) for k, v in policies.items()}, with_optimum)
    cells = run_blocks(_grid_cell, [(k, dict(v)) for k, v in scenarios.items()],
                       shared=recipe, executor=executor,
                       progress=Progress("scenario grid") if progress else None)
    return pd.DataFrame([row for cell in cells for row in cell])
