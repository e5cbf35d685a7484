"""How sure is the optimum?  Re-solve it for many draws of its uncertain inputs.

:func:`sweep` draws ``n_draws`` input sets from priors on keywords of
:func:`~optimize.default_problem` (or of a scenario's problem factory), solves each, and
returns a :class:`RobustnessResult`: one row per draw with the drawn inputs, the optimal
policy, its objective, the binding constraints and sustainability, plus the same for the
*nominal* optimum (the policy solved at the point values) and the status quo evaluated in
that draw's world.  :func:`scenario_grid` runs policies × scenarios through the same
machinery.

Every sweep takes ``executor=`` (:mod:`uicore.executors`): ``None`` (serial), an integer
number of local processes, or a ``distributed.Client``.  Draw ``k`` takes its inputs from
the ``k``-th child of ``SeedSequence(seed).spawn(n_draws)`` (drawn up front, in this
process) and the solver is deterministic, so the table is identical, bit for bit, whatever
the executor; the first ``n`` draws of a longer sweep are the draws of a sweep of ``n``.
What is sent to a worker is the *recipe* — the problem factory, its fixed keywords and the
draw's inputs (about 1 kB pickled) — and the worker builds the problem itself.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pandas as pd
from scipy import stats

from optimize.errors import InfeasibleProblemError, PolicyParameterError, ScenarioError
from optimize.problem import Evaluation, Problem, default_problem
from optimize.solve import solve
from uicore.errors import UIPolicyError
from uicore.executors import Progress, run_blocks, spawn_seeds

__all__ = ["SWEEPABLE", "Prior", "RobustnessResult", "ScenarioFactory", "check_priors",
           "load_sweep", "prior_from_table", "scenario_grid", "status_quo_policy", "sweep"]

_INF = math.inf
#: Keywords of :func:`~optimize.default_problem` a prior may be put on, with the interval
#: their values must lie in (a prior's support must fit inside it).
SWEEPABLE: dict[str, tuple[float, float]] = {
    "R_mean": (0.0, 1.0), "R_concentration": (0.0, _INF), "no_effort_hazard": (0.0, 1.0),
    "C_median": (0.0, _INF), "C_sigma": (0.0, _INF), "c0_share": (0.0, 1.0),
    "wage": (0.0, _INF), "temperature": (0.0, _INF),
    "entitlement_months": (1.0, 24.0), "monitoring_cost": (0.0, _INF),
    "opening_reserve": (-_INF, _INF), "interest_rate": (-1.0, _INF),
    "status_quo": (0.0, _INF), "floor": (0.0, _INF), "cap": (0.0, _INF),
    "budget": (0.0, _INF), "floor_months": (0.0, _INF), "min_gap": (0.0, _INF),
}
_POLICY = ("U0", "U", "U1", "x")
_QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)


@dataclass(frozen=True)
class Prior:
    """A frozen continuous ``scipy.stats`` distribution with where it comes from.

    Parameters
    ----------
    dist : frozen scipy.stats distribution
    source : str
        A citation, or ``"assumption"``.

    Examples
    --------
    >>> from scipy import stats
    >>> Prior(stats.lognorm(0.2, scale=600.0), "assumption")
    Prior(lognorm(0.2, scale=600.0), source='assumption')
    """

    dist: Any
    source: str = "assumption"

    def __repr__(self) -> str:
        d = self.dist
        args = [repr(a) for a in d.args] + [f"{k}={v!r}" for k, v in d.kwds.items()]
        return f"Prior({d.dist.name}({', '.join(args)}), source={self.source!r})"


def prior_from_table(name: str, table: Mapping[str, Any]) -> Prior:
    """A :class:`Prior` from a TOML table ``{distribution = "lognorm", s = 0.2, ...}``.

    The distribution is looked up by name among scipy's continuous distributions (never
    evaluated as code); every other key except ``source`` is a number passed to it.

    Parameters
    ----------
    name : str
        The uncertain input (for messages).
    table : mapping
        ``distribution``, ``source`` and the distribution's parameters.

    Returns
    -------
    Prior

    Raises
    ------
    optimize.errors.PolicyParameterError
        Unknown distribution, a non-numeric parameter, or parameters scipy rejects.

    Examples
    --------
    >>> prior_from_table("C_median", {"distribution": "lognorm", "s": 0.2,
    ...                               "scale": 600.0, "source": "assumption"})
    Prior(lognorm(s=0.2, scale=600.0), source='assumption')
    """
    params = dict(table)
    dist_name = params.pop("distribution", None)
    source = params.pop("source", "assumption")
    where = f"uncertain.{name}"
    family = getattr(stats, dist_name, None) if isinstance(dist_name, str) else None
    if not isinstance(family, stats.rv_continuous):
        raise PolicyParameterError(f"{where}.distribution", dist_name,
                                   "must name a continuous scipy.stats distribution, "
                                   "e.g. 'lognorm', 'truncnorm', 'beta', 'uniform'")
    if not isinstance(source, str) or not source.strip():
        raise PolicyParameterError(f"{where}.source", source,
                                   "must cite where the prior comes from, or say 'assumption'")
    for key, value in params.items():
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise PolicyParameterError(f"{where}.{key}", value, "must be a number")
    try:
        dist = family(**params)
    except TypeError as exc:
        raise PolicyParameterError(where, params, f"{dist_name} does not take these "
                                   f"parameters ({exc})") from None
    return Prior(dist, source)


def check_priors(uncertain: Mapping[str, Any], *,
                 problem_factory: Callable[..., Problem] = default_problem
                 ) -> dict[str, Prior]:
    """Check every prior before any work.

    A known keyword, valid parameters, and a support inside the values the keyword allows.

    Parameters
    ----------
    uncertain : mapping
        Keyword → frozen continuous ``scipy.stats`` distribution or :class:`Prior`.
    problem_factory : callable, keyword-only
        Must accept the keywords (for :func:`~optimize.default_problem` they are the keys
        of :data:`SWEEPABLE`).

    Returns
    -------
    dict
        Keyword → :class:`Prior`, in the given order.

    Raises
    ------
    optimize.errors.PolicyParameterError
        The first bad prior, named with its value and the rule.

    Examples
    --------
    >>> from scipy import stats
    >>> check_priors({"C_sigma": stats.norm(0.6, 0.1)})
    Traceback (most recent call last):
    ...
    optimize.errors.PolicyParameterError: uncertain.C_sigma = ...
    """
    if not isinstance(uncertain, Mapping) or not uncertain:
        raise PolicyParameterError("uncertain", uncertain,
                                   "must map at least one keyword to a distribution")
    accepted = _accepted_keywords(problem_factory)
    out: dict[str, Prior] = {}
    for name, value in uncertain.items():
        prior = value if isinstance(value, Prior) else Prior(value)
        where = f"uncertain.{name}"
        if accepted is not None and name not in accepted:
            raise PolicyParameterError(where, prior, "is not a keyword of the problem "
                                       f"factory; choose from {sorted(accepted)}")
        dist = prior.dist
        if not isinstance(getattr(dist, "dist", None), stats.rv_continuous):
            raise PolicyParameterError(where, value, "must be a frozen continuous "
                                       "scipy.stats distribution, e.g. stats.lognorm(0.2)")
        lo, hi = (float(v) for v in dist.support())
        if not np.isfinite(dist.median()) or math.isnan(lo) or math.isnan(hi):
            raise PolicyParameterError(where, prior, "impossible distribution parameters "
                                       "(scipy rejects them: e.g. a scale <= 0)")
        allowed = _domains(problem_factory).get(name)
        if allowed is not None and (lo < allowed[0] or hi > allowed[1]):
            raise PolicyParameterError(
                where, prior, f"its support [{lo:g}, {hi:g}] leaves the allowed values "
                f"[{allowed[0]:g}, {allowed[1]:g}]; truncate it (truncnorm) or choose a "
                "distribution that lives there (lognorm, beta, uniform)")
        out[name] = prior
    return out


def _domains(factory: Callable[..., Problem]) -> Mapping[str, tuple[float, float]]:
    """Allowed intervals of a factory's keywords.

    :data:`SWEEPABLE` for :func:`~optimize.default_problem`, a factory's own ``domains``
    attribute, else none.
    """
    if factory is default_problem:
        return SWEEPABLE
    domains = getattr(factory, "domains", None)
    return domains if isinstance(domains, Mapping) else {}


def _accepted_keywords(factory: Callable[..., Problem]) -> set[str] | None:
    """Keywords ``factory`` accepts, or None when it takes ``**kwargs`` we cannot see."""
    if factory is default_problem:
        return set(SWEEPABLE)
    domains = getattr(factory, "domains", None)
    if isinstance(domains, Mapping):
        return set(domains)
    try:
        params = inspect.signature(factory).parameters.values()
    except (TypeError, ValueError):
        return None
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params):
        return None
    return {p.name for p in params if p.kind in (inspect.Parameter.KEYWORD_ONLY,
                                                   inspect.Parameter.POSITIONAL_OR_KEYWORD)}


@dataclass(frozen=True)
class ScenarioFactory:
    """:func:`~optimize.default_problem` with a scenario file's settings.

    The keywords of a call (the drawn inputs) override them.  Picklable, so it travels to workers.

    Attributes
    ----------
    keywords : mapping
        From :func:`optimize.scenario.problem_keywords`.
    name : str
        The scenario's name (its file name).

    Examples
    --------
    >>> factory = ScenarioFactory({"floor": 900.0}, "cheap.toml")
    >>> factory(C_median=700.0).floor
    900.0
    """

    keywords: Mapping[str, Any]
    name: str = "scenario"
    domains: ClassVar[Mapping[str, tuple[float, float]]] = SWEEPABLE

    def __call__(self, **overrides: Any) -> Problem:
        """The scenario's problem with ``overrides`` applied."""
        return default_problem(**(dict(self.keywords) | overrides))


def load_sweep(path: str | Path) -> tuple[ScenarioFactory, dict[str, Prior]]:
    r"""Read and check a whole sweep file.

    A scenario (:mod:`optimize.scenario`) plus an ``[uncertain]`` table of priors, e.g.::

        [uncertain.C_median]
        distribution = "lognorm"   # any continuous scipy.stats distribution
        s = 0.25
        scale = 600.0
        source = "assumption"      # or a citation

    Every key, value and prior is checked and the point-value problem is built, so a bad
    file fails here, before any draw is solved.

    Parameters
    ----------
    path : str or Path

    Returns
    -------
    tuple of (ScenarioFactory, dict)
        The problem factory and the priors, ready for :func:`sweep`.

    Raises
    ------
    optimize.errors.ScenarioError
        Anything wrong with the file, named by its key.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "sweep.toml"
    >>> _ = path.write_text('[uncertain.C_median]\ndistribution = "lognorm"\ns = 0.25\n'
    ...                     'scale = 600.0\nsource = "assumption"\n')
    >>> factory, priors = load_sweep(path)
    >>> list(priors)
    ['C_median']
    """
    from optimize.scenario import load_scenario, problem_keywords

    name = Path(path).name
    data = load_scenario(path, extra_sections=("uncertain",))
    table = data.get("uncertain")
    if not isinstance(table, dict) or not table:
        raise ScenarioError(f"{name}: a sweep needs an [uncertain] table with at least one "
                            "prior, e.g. [uncertain.C_median]")
    try:
        factory = ScenarioFactory(problem_keywords(data), name)
        raw = {}
        for key, spec in table.items():
            if not isinstance(spec, dict):
                raise PolicyParameterError(f"uncertain.{key}", spec, "must be a table "
                                           "with 'distribution', its parameters and 'source'")
            raw[key] = prior_from_table(key, spec)
        priors = check_priors(raw, problem_factory=factory)
        factory()   # the point values must make a valid problem
    except UIPolicyError as exc:
        raise ScenarioError(f"{name}: {exc}") from None
    return factory, priors


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
        cols = list(_POLICY) + ["objective"]
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
        import matplotlib

        matplotlib.use("Agg", force=False)
        import matplotlib.pyplot as plt

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
