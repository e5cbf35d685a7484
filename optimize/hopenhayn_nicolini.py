"""The dynamic optimal contract of Shavell-Weiss (1979) and Hopenhayn-Nicolini (1997).

In the parameterisation of Ljungqvist and Sargent, *Recursive Macroeconomic Theory* (the
chapter on optimal unemployment insurance), and of QuantEcon's lecture "Optimal
Unemployment Insurance" (``lectures/un_insure.md`` in
``QuantEcon/lecture-python-advanced.myst``): weekly ``beta = 0.999``, CRRA utility with
``sigma = 0.5``, wage 100, job-finding probability ``p(a) = 1 - exp(-r a)`` with ``r``
calibrated so that the autarky hazard is 0.1.

The planner's cost ``C(V)`` of a promised value ``V`` solves a Bellman equation on a grid
(docs/explanation/welfare.md); :func:`solve_cost_function` does it by policy iteration
(Howard's improvement: every improved policy is evaluated exactly by one linear solve)
and, for the benchmark, by plain value-function iteration on the same grid.  One of the
two reference models of :mod:`optimize.classics`.

>>> sw = hopenhayn_nicolini(contract="shavell-weiss", periods=3, n_grid=60, n_choice=301)
>>> bool((sw.tax == 0).all())
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from scipy import optimize as sopt
from scipy.interpolate import CubicSpline

from optimize.errors import PolicyParameterError, positive_float

__all__ = [
    "SOURCE_PROMISED_VALUE",
    "Contract",
    "CostFunction",
    "OptimalContract",
    "hopenhayn_nicolini",
    "solve_cost_function",
]

Contract = Literal["shavell-weiss", "hopenhayn-nicolini"]

#: The promised value used by the source's figure (QuantEcon prints the legend
#: "V^u_0 = 16942" beside the autarky value 16759 and 17000).
SOURCE_PROMISED_VALUE = 16942.0


@dataclass(frozen=True)
class _Model:
    """The Ljungqvist-Sargent economy: utility, values and the effort technology."""

    beta: float
    sigma: float
    wage: float
    r: float

    def u(self, c: np.ndarray | float) -> np.ndarray:
        return np.asarray(c, dtype=float) ** (1 - self.sigma) / (1 - self.sigma)

    def u_inv(self, x: np.ndarray) -> np.ndarray:
        with np.errstate(invalid="ignore"):
            return np.where(x >= 0, (np.maximum(x, 0) * (1 - self.sigma))
                            ** (1 / (1 - self.sigma)), np.nan)

    @property
    def v_employed(self) -> float:
        """Value of a job at the full wage forever, ``u(w) / (1 - beta)``."""
        return float(self.u(self.wage)) / (1 - self.beta)

    def p(self, a: np.ndarray) -> np.ndarray:
        return 1.0 - np.exp(-self.r * a)

    def effort(self, gap: np.ndarray) -> np.ndarray:
        """The worker's effort when a job is worth ``gap`` more than staying unemployed.

        It solves ``beta p'(a) gap = 1``, i.e. ``a = max(0, log(r beta gap) / r)``.
        """
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.maximum(0.0, np.log(np.maximum(self.r * self.beta * gap, 1e-300))
                              / self.r)

    def employed_cost(self, v_e: np.ndarray) -> np.ndarray:
        """Planner's cost of giving an employed worker value ``v_e``.

        Consumption ``u^{-1}((1 - beta) v_e)`` forever against the wage (negative: a tax).
        """
        return (self.u_inv((1 - self.beta) * v_e) - self.wage) / (1 - self.beta)


def _calibrate_r(beta: float, sigma: float, wage: float, hazard: float) -> tuple[float,
                                                                                 float,
                                                                                 float]:
    """``r`` such that the autarky hazard is ``hazard``, with the autarky value and effort.

    In autarky ``c = 0`` (``u(0) = 0``), the first-order condition
    ``beta r exp(-r a) (V^e - V^u) = 1`` gives ``r beta (V^e - V^u) = 1 / (1 - p)`` and
    ``a = -log(1 - p) / r``; the Bellman equation
    ``V^u = -a + beta (p V^e + (1 - p) V^u)`` then gives ``r`` in closed form.
    """
    v_e = wage ** (1 - sigma) / (1 - sigma) / (1 - beta)
    log_term = -np.log1p(-hazard)
    bracket = (1 - beta + beta * hazard) / ((1 - hazard) * beta) - log_term
    if bracket <= 0:
        raise PolicyParameterError("autarky_hazard", hazard,
                                   "no effort technology r > 0 gives this autarky hazard "
                                   f"with beta = {beta:g}")
    r = bracket / ((1 - beta) * v_e)
    v_aut = v_e - 1.0 / ((1 - hazard) * r * beta)
    return float(r), float(v_aut), float(log_term / r)


@dataclass(frozen=True)
class CostFunction:
    """The planner's cost ``C(V)`` on a grid of promised values, with its policy.

    ``next_value[i]`` is the continuation value promised if the worker stays unemployed,
    ``employed_value[i]`` the value given on finding a job, ``iterations`` the number of
    Bellman steps (improvement steps for policy iteration) and ``residual`` the sup-norm
    of ``T C - C`` on the grid at the end.
    """

    grid: np.ndarray = field(repr=False)
    cost: np.ndarray = field(repr=False)
    next_value: np.ndarray = field(repr=False)
    employed_value: np.ndarray = field(repr=False)
    iterations: int
    residual: float
    method: str


def _interp_matrix(grid: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Linear-interpolation weights: ``f(points) = M @ f(grid)`` (points inside grid)."""
    j = np.clip(np.searchsorted(grid, points) - 1, 0, grid.size - 2)
    t = (points - grid[j]) / (grid[j + 1] - grid[j])
    m = np.zeros((points.size, grid.size))
    rows = np.arange(points.size)
    m[rows, j] = 1.0 - t
    m[rows, j + 1] = t
    return m


@dataclass(frozen=True)
class _Stage:
    """Everything in one Bellman step that does not depend on ``C``.

    For each grid value
    ``V_i`` and each candidate choice ``k``, the current cost ``static[i, k]`` (consumption
    plus, with a tax, the discounted employed cost), the survival weight
    ``beta (1 - p)`` and the interpolation row of the continuation value.
    """

    static: np.ndarray
    survive: np.ndarray
    interp: np.ndarray
    v_next: np.ndarray
    v_employed: np.ndarray


def _stage(model: _Model, grid: np.ndarray, contract: Contract, n_choice: int,
           n_gap: int) -> _Stage:
    v_next = np.linspace(grid[0], grid[-1], n_choice)
    if contract == "shavell-weiss":
        v_emp = np.full_like(v_next, model.v_employed)
        a = model.effort(v_emp - v_next)
        p = model.p(a)
        extra = np.zeros_like(v_next)
    else:
        # (continuation, effort) pairs: the employed value follows from the incentive
        # constraint at equality, V^e = V^u + exp(r a) / (r beta); a = 0 is included.
        p_levels = np.concatenate([[0.0], np.linspace(0.01, 0.4, n_gap - 1)])
        a_levels = -np.log1p(-p_levels) / model.r
        vn, a = (m.ravel() for m in np.meshgrid(v_next, a_levels, indexing="ij"))
        v_next = vn
        v_emp = np.where(a > 0, v_next + np.exp(model.r * a) / (model.r * model.beta),
                         v_next)
        p = model.p(a)
        extra = np.where(p > 0, model.beta * p * model.employed_cost(v_emp), 0.0)
    promised = (grid[:, None] + a[None, :]
                - model.beta * (p * v_emp + (1 - p) * v_next)[None, :])
    c = model.u_inv(promised)
    static = np.where(np.isfinite(c), c + extra[None, :], np.inf)
    return _Stage(static, model.beta * (1 - p), _interp_matrix(grid, v_next), v_next, v_emp)


def _bellman(stage: _Stage, cost: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    total = stage.static + stage.survive[None, :] * (stage.interp @ cost)[None, :]
    k = np.argmin(total, axis=1)
    return total[np.arange(total.shape[0]), k], k


def solve_cost_function(*, contract: Contract = "hopenhayn-nicolini",  # noqa: PLR0913 the model's parameters and grid sizes, keyword-only
                        method: Literal["policy", "value"] = "policy",
                        n_grid: int = 200, n_choice: int = 1001, n_gap: int = 80,
                        tol: float = 1e-8, max_iter: int = 20_000, beta: float = 0.999,
                        sigma: float = 0.5, wage: float = 100.0,
                        autarky_hazard: float = 0.1) -> CostFunction:
    """The planner's cost of promised value ``C(V)`` on a grid.

    The grid runs from the autarky value (Shavell-Weiss: no contract can promise less;
    Hopenhayn-Nicolini: 400 utils below it, room for the declining path) up to
    ``V^e - 1 / (beta r)``, above which the worker would not search.  Choices are a grid
    of ``n_choice`` continuation values (with ``n_gap`` effort levels for the contract
    with a tax); ``C`` at a choice is interpolated linearly, so the Bellman operator is
    the same for both methods.

    Parameters
    ----------
    contract : {"hopenhayn-nicolini", "shavell-weiss"}
        With a re-employment tax (Hopenhayn and Nicolini) or without (Shavell and Weiss).
    method : {"policy", "value"}
        Policy iteration (default) or plain value-function iteration.
    n_grid, n_choice, n_gap : int
        Grid sizes (promised values; continuation values; effort levels).
    tol : float
        Stop when the sup-norm change of ``C`` is below ``tol``.
    max_iter : int
        Most iterations before an error.
    beta, sigma, wage, autarky_hazard : float
        The economy (defaults: Ljungqvist-Sargent's).

    Returns
    -------
    CostFunction
        ``C`` and the policy on the grid.

    Raises
    ------
    PolicyParameterError
        A bad setting, or no convergence within ``max_iter``.

    Examples
    --------
    >>> cf = solve_cost_function(contract="shavell-weiss", n_grid=60, n_choice=301)
    >>> abs(float(cf.cost[0])) < 1e-9   # the autarky value costs nothing
    True
    """
    model, v_aut = _economy(beta, sigma, wage, autarky_hazard)
    if contract not in ("shavell-weiss", "hopenhayn-nicolini"):
        raise PolicyParameterError("contract", contract,
                                   "must be 'shavell-weiss' or 'hopenhayn-nicolini'")
    if method not in ("policy", "value"):
        raise PolicyParameterError("method", method, "must be 'policy' or 'value'")
    for name, n in (("n_grid", n_grid), ("n_choice", n_choice), ("n_gap", n_gap),
                    ("max_iter", max_iter)):
        if isinstance(n, bool) or not isinstance(n, int) or n < 3:
            raise PolicyParameterError(name, n, "must be an integer >= 3")
    positive_float("tol", tol)
    grid = np.linspace(*_grid_bounds(model, v_aut, contract), n_grid)
    stage = _stage(model, grid, contract, n_choice, n_gap)
    solver = _policy_iteration if method == "policy" else _value_iteration
    cost, k, iterations = solver(stage, tol, max_iter)
    residual = float(np.max(np.abs(_bellman(stage, cost)[0] - cost)))
    return CostFunction(grid, cost, stage.v_next[k], stage.v_employed[k], iterations,
                        residual, method)


def _value_iteration(stage: _Stage, tol: float, max_iter: int
                     ) -> tuple[np.ndarray, np.ndarray, int]:
    cost = np.zeros(stage.static.shape[0])
    for it in range(1, max_iter + 1):
        new, k = _bellman(stage, cost)
        change = float(np.max(np.abs(new - cost)))
        cost = new
        if change < tol:
            return cost, k, it
    raise PolicyParameterError("max_iter", max_iter,
                               f"value iteration did not converge (change {change:.3g})")


def _policy_iteration(stage: _Stage, tol: float, max_iter: int
                      ) -> tuple[np.ndarray, np.ndarray, int]:
    n = stage.static.shape[0]
    rows = np.arange(n)
    cost = np.zeros(n)
    k = _bellman(stage, cost)[1]
    for it in range(1, max_iter + 1):
        # evaluate the policy k exactly: C = c_k + beta (1 - p_k) Phi_k C
        a = np.eye(n) - stage.survive[k][:, None] * stage.interp[k]
        cost_k = np.linalg.solve(a, stage.static[rows, k])
        new, k_new = _bellman(stage, cost_k)
        change = float(np.max(np.abs(new - cost_k)))
        cost, k = new, k_new
        if change < tol:
            return cost, k, it
    raise PolicyParameterError("max_iter", max_iter,
                               f"policy iteration did not converge (change {change:.3g})")


def _grid_bounds(model: _Model, v_aut: float, contract: str) -> tuple[float, float]:
    """Promised values on the grid.

    From the autarky value (Shavell-Weiss) or 400 utils below it (Hopenhayn-Nicolini) up to
    ``V^e - 1 / (beta r)``.
    """
    low = v_aut if contract == "shavell-weiss" else v_aut - 400.0
    return low, model.v_employed - 1.0 / (model.beta * model.r)


def _economy(beta: float, sigma: float, wage: float, hazard: float) -> tuple[_Model, float]:
    b = positive_float("beta", beta, upper=1.0)
    s = positive_float("sigma", sigma, upper=1.0)  # u(0) must be finite (the source's model)
    w = positive_float("wage", wage)
    h = positive_float("autarky_hazard", hazard, upper=1.0)
    r, v_aut, _ = _calibrate_r(b, s, w, h)
    return _Model(b, s, w, r), v_aut


@dataclass(frozen=True)
class OptimalContract:
    """An optimal unemployment-insurance contract (:func:`hopenhayn_nicolini`).

    Attributes
    ----------
    contract : str
        ``"hopenhayn-nicolini"`` (re-employment tax) or ``"shavell-weiss"`` (none).
    promised_value : float
        ``V_0``, the expected discounted utility promised at the start of the spell.
    autarky_value, autarky_effort : float
        ``V_aut`` and the search effort without insurance.
    hazard_scale : float
        ``r`` of ``p(a) = 1 - exp(-r a)``, calibrated to the autarky hazard.
    cost : float
        ``C(V_0)``, the planner's expected discounted cost of the promise (units of the
        wage good; negative where the tax more than pays for the benefits).
    replacement_rates, effort, tax : numpy.ndarray
        By week of the spell ``0, 1, ...``: consumption while unemployed over the wage,
        search effort, and the per-period tax levied on a worker re-employed after that
        week (zero for Shavell-Weiss).
    solver : CostFunction
        The cost function the paths were computed from.
    """

    contract: str
    promised_value: float
    autarky_value: float
    autarky_effort: float
    hazard_scale: float
    cost: float
    replacement_rates: np.ndarray = field(repr=False)
    effort: np.ndarray = field(repr=False)
    tax: np.ndarray = field(repr=False)
    solver: CostFunction = field(repr=False)

    def to_frame(self) -> pd.DataFrame:
        """The paths by week of the spell.

        Returns
        -------
        pandas.DataFrame
            Columns ``replacement_rate``, ``effort``, ``tax``; index ``week``.

        Examples
        --------
        >>> sw = hopenhayn_nicolini(contract="shavell-weiss", periods=3, n_grid=60,
        ...                         n_choice=301)
        >>> list(sw.to_frame().columns)
        ['replacement_rate', 'effort', 'tax']
        """
        return pd.DataFrame({"replacement_rate": self.replacement_rates,
                             "effort": self.effort, "tax": self.tax},
                            index=pd.RangeIndex(self.replacement_rates.size, name="week"))


def hopenhayn_nicolini(*, promised_value: float = SOURCE_PROMISED_VALUE,  # noqa: PLR0913 the model's parameters and grid sizes, keyword-only
                       contract: Contract = "hopenhayn-nicolini", periods: int = 52,
                       beta: float = 0.999, sigma: float = 0.5, wage: float = 100.0,
                       autarky_hazard: float = 0.1, n_grid: int = 200,
                       n_choice: int = 1001, n_gap: int = 80) -> OptimalContract:
    """The optimal unemployment-insurance contract of Shavell-Weiss / Hopenhayn-Nicolini.

    An unemployed worker values ``E sum beta^t (u(c_t) - a_t)`` with
    ``u(c) = c^(1 - sigma) / (1 - sigma)``; effort ``a`` finds a permanent job paying
    ``wage`` next period with probability ``p(a) = 1 - exp(-r a)``.  The planner cannot
    see ``a``, so the worker's first-order condition ``beta p'(a) (V^e - V^u) = 1`` is an
    incentive constraint.  ``"shavell-weiss"``: the planner controls consumption only
    while the worker is unemployed; ``"hopenhayn-nicolini"``: it also levies a permanent
    tax on the re-employed worker that depends on the spell's history (Ljungqvist and
    Sargent, *Recursive Macroeconomic Theory*, the chapter on optimal unemployment
    insurance; QuantEcon, "Optimal Unemployment Insurance").

    Parameters
    ----------
    promised_value : float
        ``V_0``; the default 16,942 is the source figure's.  Must lie on the grid of
        :func:`solve_cost_function`.
    contract : {"hopenhayn-nicolini", "shavell-weiss"}
        With or without the re-employment tax.
    periods : int
        Weeks of the paths.
    beta, sigma, wage, autarky_hazard : float
        The economy; defaults are the published parameterisation.
    n_grid, n_choice, n_gap : int
        Grid sizes of the cost-function solve.

    Returns
    -------
    OptimalContract
        Autarky value and effort, cost of the promise, and the paths by week.

    Raises
    ------
    PolicyParameterError
        A bad parameter, or a promised value outside the grid.

    Examples
    --------
    >>> sw = hopenhayn_nicolini(contract="shavell-weiss", n_grid=80, n_choice=401)
    >>> round(sw.autarky_value), round(sw.autarky_effort, 1)
    (16759, 307.0)
    >>> bool(sw.replacement_rates[0] > sw.replacement_rates[-1])
    True
    """
    model, v_aut = _economy(beta, sigma, wage, autarky_hazard)
    if isinstance(periods, bool) or not isinstance(periods, int) or periods < 1:
        raise PolicyParameterError("periods", periods, "must be an integer >= 1")
    low, high = _grid_bounds(model, v_aut, contract)
    v0 = float(promised_value)
    if not low <= v0 <= high:
        raise PolicyParameterError(
            "promised_value", promised_value,
            f"must lie in [{low:.2f}, {high:.2f}] (the grid of C(V))")
    cf = solve_cost_function(contract=contract, n_grid=n_grid, n_choice=n_choice,
                             n_gap=n_gap, beta=beta, sigma=sigma, wage=wage,
                             autarky_hazard=autarky_hazard)
    spline = CubicSpline(cf.grid, cf.cost)
    rates, efforts, taxes = (np.empty(periods) for _ in range(3))
    v = v0
    for t in range(periods):
        v_next, a = _step(model, cf, spline, v, contract)
        v_emp = model.v_employed if a == 0 or contract == "shavell-weiss" else \
            v_next + np.exp(model.r * a) / (model.r * model.beta)
        p = float(model.p(np.array(a)))
        promised = v + a - model.beta * (p * v_emp + (1 - p) * v_next)
        rates[t] = float(model.u_inv(np.array(promised))) / model.wage
        efforts[t] = a
        taxes[t] = 0.0 if contract == "shavell-weiss" else float(
            -model.employed_cost(np.array(v_emp)) * (1 - model.beta))
        v = v_next
    cost0 = float(np.interp(v0, cf.grid, cf.cost))
    _, _, a_aut = _calibrate_r(model.beta, model.sigma, model.wage, autarky_hazard)
    return OptimalContract(contract, v0, v_aut, a_aut, model.r, cost0, rates, efforts,
                           taxes, cf)


def _step_cost(model: _Model, spline: CubicSpline, v: float, v_next: float, a: float,
               contract: Contract) -> float:
    """The Bellman right-hand side at promised value ``v`` for the choice ``(v_next, a)``.

    With the tax the employed value satisfies the incentive constraint
    at equality, without it ``a`` is the worker's response to ``V^e - v_next``.
    """
    if contract == "shavell-weiss":
        v_emp = model.v_employed
        a = float(model.effort(np.array(v_emp - v_next)))
        extra = 0.0
    else:
        a = max(a, 0.0)
        v_emp = v_next + np.exp(model.r * a) / (model.r * model.beta)
    p = float(model.p(np.array(a)))
    if contract != "shavell-weiss":
        extra = model.beta * p * float(model.employed_cost(np.array(v_emp)))
    c = float(model.u_inv(np.array(v + a - model.beta * (p * v_emp + (1 - p) * v_next))))
    if not np.isfinite(c) or np.isnan(extra):
        return float("inf")
    return c + extra + model.beta * (1 - p) * float(spline(v_next))


def _step(model: _Model, cf: CostFunction, spline: CubicSpline, v: float,
          contract: Contract) -> tuple[float, float]:
    """The optimal ``(v_next, a)`` at ``v``.

    The grid choice refined continuously (Nelder-Mead on the cubic-spline interpolant of ``C``),
    kept on the grid's range.
    """
    i = int(np.argmin(np.abs(cf.grid - v)))
    v0 = float(cf.next_value[i])
    a0 = float(model.effort(np.array(cf.employed_value[i] - v0)))
    lo, hi = float(cf.grid[0]), float(cf.grid[-1])

    def f(z: np.ndarray) -> float:
        if not lo <= z[0] <= hi:
            return float("inf")
        return _step_cost(model, spline, v, float(z[0]), float(z[1]), contract)

    if contract == "shavell-weiss":
        vn = np.linspace(lo, hi, 4001)
        a = model.effort(model.v_employed - vn)
        p = model.p(a)
        c = model.u_inv(v + a - model.beta * (p * model.v_employed + (1 - p) * vn))
        total = np.where(np.isfinite(c), c + model.beta * (1 - p) * spline(vn), np.inf)
        j = int(np.argmin(total))
        res = sopt.minimize_scalar(lambda x: f(np.array([x, 0.0])),
                                   bounds=(vn[max(j - 1, 0)], vn[min(j + 1, vn.size - 1)]),
                                   method="bounded", options={"xatol": 1e-9})
        best = float(res.x) if res.fun <= total[j] else float(vn[j])
        return best, float(model.effort(np.array(model.v_employed - best)))
    out = sopt.minimize(f, np.array([v0, a0]), method="Nelder-Mead",
                        options={"xatol": 1e-8, "fatol": 1e-12, "maxiter": 4000})
    return float(out.x[0]), max(float(out.x[1]), 0.0)
