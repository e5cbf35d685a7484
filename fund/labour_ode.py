"""The labour-market model of seed 000 (§4.1): labour force, unemployed, employed, wage.

Four scalar ordinary differential equations for the labour force ``L``, the unemployed
``U``, the employed ``N`` and the average wage ``W``, driven by the job demand ``P(t)``
and a target wage ``W*``::

    dL/dt = α (W − W*) + β U
    dU/dt = γ N + δ (W − W*)
    dN/dt = −γ N + η U
    dW/dt = ξ (N − P)

Time is in years (the seed states no unit).  The scalar equations are the model: the
matrix form printed in the seed's §4.2 does not match them and the printed code of §5.2
cannot run (``docs/errata/seed-000.md``).  This module solves the equations numerically:
:func:`simulate` (scipy ``solve_ivp``, stiff-safe ``LSODA`` by default) gives a tidy
year-indexed frame for a constant ``P``, a :class:`DemandPath` or any callable.  The
symbolic analysis of the same linear system (rank, equilibrium, eigenvalues, stability) is
:mod:`fund.labour_analysis`.

>>> frame = simulate(LabourParams(), 2)
>>> frame.round(1)[["U", "N"]]
          U      N
year
0       0.0  900.0
1     346.3  577.9
2     529.1  422.4
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy.integrate import solve_ivp

from fund.errors import FundError, FundParameterError

__all__ = [
    "LABOUR_MODEL_LAST_YEAR",
    "RATES",
    "STATE",
    "DemandPath",
    "LabourParams",
    "forcing",
    "matrix",
    "simulate",
]

Array = NDArray[np.float64]

#: The state variables, in the order of :func:`matrix` and of the ODE's state vector.
STATE = ("L", "U", "N", "W")

#: The rate parameters of :class:`LabourParams`.
RATES = ("alpha", "beta", "gamma", "delta", "xi", "eta")

#: Last calendar year for which the project uses the model as a driver of the fund
#: (:mod:`fund.shocks`).  A shock acts on rates through the model's response, which is
#: exactly zero for a zero shock at any horizon and bounded by the jobs removed; the model
#: itself is unstable for every positive rate set (:mod:`fund.labour_analysis`), so the
#: project commits to a range: projections that use it past this year are refused.
LABOUR_MODEL_LAST_YEAR = 2040


@dataclass(frozen=True)
class LabourParams:
    """Rates, target wage, initial state and constant job demand of the model.

    Defaults are the example values of seed 000 §5.2.  The seed gives no value for the
    target wage ``W*``; the default ``w_star = 10`` equals the initial wage, so the wage
    starts on target and every movement of ``W`` comes from the job-demand gap.

    Parameters
    ----------
    alpha, beta, gamma, delta, xi, eta : float
        Rates per year, each ``>= 0`` (the equations fix the signs).
    w_star : float
        Target wage ``W*`` (finite).
    L0, U0, N0 : float
        Initial labour force, unemployed and employed (``>= 0``).
    W0 : float
        Initial wage (finite).
    P0 : float
        Job demand when constant, and the level a shock path starts from (``> 0``).

    Raises
    ------
    FundParameterError
        A value that is not a finite real number or breaks its rule.

    Examples
    --------
    >>> LabourParams(gamma=-1.0)
    Traceback (most recent call last):
    ...
    fund.errors.FundParameterError: gamma = -1.0: must be a finite number >= 0 (rate per year)
    """

    alpha: float = 0.2
    beta: float = 0.1
    gamma: float = 0.5
    delta: float = 0.3
    xi: float = 0.4
    eta: float = 0.2
    w_star: float = 10.0
    L0: float = 1000.0
    U0: float = 0.0
    N0: float = 900.0
    W0: float = 10.0
    P0: float = 1000.0

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, int | float | np.floating
                                                         | np.integer):
                raise FundParameterError(f.name, value, "must be a real number")
            if not math.isfinite(float(value)):
                raise FundParameterError(f.name, value, "must be finite")
            if f.name in RATES and value < 0:
                raise FundParameterError(f.name, value,
                                         "must be a finite number >= 0 (rate per year)")
            if f.name in ("L0", "U0", "N0") and value < 0:
                raise FundParameterError(f.name, value, "must be >= 0 (persons)")
            if f.name == "P0" and value <= 0:
                raise FundParameterError(f.name, value, "must be > 0 (jobs)")

    @property
    def initial_state(self) -> Array:
        """``(L0, U0, N0, W0)`` as an array."""
        return np.array([self.L0, self.U0, self.N0, self.W0], dtype=float)

    def replace(self, **changes: float) -> LabourParams:
        """A copy with some fields changed (validated again).

        Parameters
        ----------
        **changes : float
            New values of fields, by name.

        Returns
        -------
        LabourParams

        Raises
        ------
        FundParameterError
            An unknown field name, or a value breaking its rule.

        Examples
        --------
        >>> LabourParams().replace(gamma=0.4).gamma
        0.4
        """
        names = {f.name for f in fields(self)}
        for key, value in changes.items():
            if key not in names:
                raise FundParameterError(key, value,
                                         f"unknown labour parameter; known: {sorted(names)}")
        return LabourParams(**{**{n: getattr(self, n) for n in names}, **changes})


@dataclass(frozen=True)
class DemandPath:
    """A piecewise-linear job-demand path ``P(t)``, constant outside its knots.

    Parameters
    ----------
    times : sequence of float
        Knots in model years, strictly increasing.
    values : sequence of float
        ``P`` at the knots, each finite and ``>= 0``.

    Raises
    ------
    FundParameterError
        Empty or unequal lengths, non-finite or unsorted knots, negative values.

    Examples
    --------
    >>> p = DemandPath((1.0, 6.0), (1000.0, 910.0))
    >>> p(0.0), p(3.5), p(10.0)
    (1000.0, 955.0, 910.0)
    """

    times: tuple[float, ...]
    values: tuple[float, ...]

    def __post_init__(self) -> None:
        t = np.asarray(self.times, dtype=float)
        v = np.asarray(self.values, dtype=float)
        if t.ndim != 1 or t.size == 0 or t.shape != v.shape:
            raise FundParameterError("times/values", (t.shape, v.shape),
                                     "need equal, non-zero lengths")
        if not (np.all(np.isfinite(t)) and np.all(np.isfinite(v))):
            raise FundParameterError("times/values", (self.times, self.values),
                                     "must be finite")
        if np.any(np.diff(t) <= 0):
            raise FundParameterError("times", self.times, "must be strictly increasing")
        if np.any(v < 0):
            raise FundParameterError("values", self.values, "job demand must be >= 0")
        object.__setattr__(self, "times", tuple(float(x) for x in t))
        object.__setattr__(self, "values", tuple(float(x) for x in v))

    def __call__(self, t: float) -> float:
        """Job demand ``P(t)``, linear between the knots and constant outside them."""
        return float(np.interp(t, self.times, self.values))

    @property
    def breakpoints(self) -> tuple[float, ...]:
        """The knots: the solver restarts there, where ``P`` has a kink."""
        return self.times


Demand = float | DemandPath | Callable[[float], float]


def matrix(params: LabourParams) -> Array:
    """The matrix ``A`` of ``d(L, U, N, W)/dt = A (L, U, N, W) + b``.

    Parameters
    ----------
    params : LabourParams
        The rates.

    Returns
    -------
    numpy.ndarray
        Shape ``(4, 4)``, rows and columns in the order ``L, U, N, W``.

    Examples
    --------
    >>> matrix(LabourParams()).tolist()[1]      # dU/dt = γN + δW − δW*
    [0.0, 0.0, 0.5, 0.3]
    """
    p = params
    return np.array([
        [0.0, p.beta, 0.0, p.alpha],
        [0.0, 0.0, p.gamma, p.delta],
        [0.0, p.eta, -p.gamma, 0.0],
        [0.0, 0.0, p.xi, 0.0],
    ])


def forcing(params: LabourParams, demand: float) -> Array:
    """The constant vector ``b`` for a job demand ``P = demand``.

    Parameters
    ----------
    params : LabourParams
        The rates and ``W*``.
    demand : float
        The job demand ``P``.

    Returns
    -------
    numpy.ndarray
        Shape ``(4,)``.

    Examples
    --------
    >>> forcing(LabourParams(), 1000.0).tolist()
    [-2.0, -3.0, 0.0, -400.0]
    """
    p = params
    return np.array([-p.alpha * p.w_star, -p.delta * p.w_star, 0.0, -p.xi * float(demand)])


def simulate(
    params: LabourParams,
    n_years: int,
    *,
    demand: Demand | None = None,
    start_year: int = 0,
    method: str = "LSODA",
    rtol: float = 1e-9,
    atol: float = 1e-9,
) -> pd.DataFrame:
    """Solve the model over ``n_years`` years and report the state at each year's end.

    Parameters
    ----------
    params : LabourParams
    n_years : int
        Horizon in years, ``>= 1``.
    demand : float, DemandPath or callable, optional
        Job demand ``P``: a constant, a :class:`DemandPath` (the solver restarts at its
        knots so the kinks cost no accuracy) or any callable ``t -> P``.  Default:
        ``params.P0``.
    start_year : int
        Calendar year of ``t = 0``; the index runs ``start_year .. start_year + n_years``.
    method : {"LSODA", "Radau", "BDF"}
        A stiff-safe :func:`scipy.integrate.solve_ivp` method.
    rtol, atol : float
        Solver tolerances.

    Returns
    -------
    pandas.DataFrame
        Index ``year``; columns ``L``, ``U``, ``N``, ``W``, ``P`` and ``unemployment_rate``
        ``= U / (U + N)`` (NaN where ``U + N = 0``).

    Raises
    ------
    FundParameterError
        ``n_years < 1``, an unknown method, a negative job demand.
    FundError
        The solver fails.

    Examples
    --------
    >>> frame = simulate(LabourParams(), 2)
    >>> frame.index.tolist(), frame.columns.tolist()[:4]
    ([0, 1, 2], ['L', 'U', 'N', 'W'])
    >>> float(frame.loc[0, "unemployment_rate"])
    0.0
    """
    if isinstance(n_years, bool) or not isinstance(n_years, int | np.integer) or n_years < 1:
        raise FundParameterError("n_years", n_years, "must be an integer >= 1")
    if method not in ("LSODA", "Radau", "BDF"):
        raise FundParameterError("method", method, "must be 'LSODA', 'Radau' or 'BDF' "
                                 "(stiff-safe solve_ivp methods)")
    p_of_t, knots = _demand_function(params, demand)
    a = matrix(params)
    b0 = forcing(params, 0.0)
    xi = params.xi

    def rhs(t: float, y: Array) -> Array:
        out = a @ y + b0
        out[3] -= xi * p_of_t(t)
        return out

    t_eval = np.arange(n_years + 1, dtype=float)
    edges = sorted({0.0, float(n_years), *(k for k in knots if 0.0 < k < n_years)})
    states = np.empty((4, t_eval.size))
    states[:, 0] = params.initial_state
    y = params.initial_state
    for lo, hi in itertools.pairwise(edges):
        inside = t_eval[(t_eval > lo) & (t_eval <= hi)]
        sol = solve_ivp(rhs, (lo, hi), y, method=method, t_eval=np.unique(np.append(inside, hi)),
                        rtol=rtol, atol=atol)
        if not sol.success:
            raise FundError(f"labour model: solve_ivp ({method}) failed on [{lo:g}, {hi:g}]: "
                            f"{sol.message}")
        states[:, inside.astype(int)] = sol.y[:, :inside.size]
        y = sol.y[:, -1]
    frame = pd.DataFrame(states.T, columns=list(STATE),
                         index=pd.Index(start_year + np.arange(n_years + 1), name="year"))
    frame["P"] = [p_of_t(t) for t in t_eval]
    total = frame["U"] + frame["N"]
    frame["unemployment_rate"] = (frame["U"] / total.where(total != 0)).astype(float)
    frame.attrs["units"] = {"L": "persons", "U": "persons", "N": "persons", "W": "wage",
                            "P": "jobs", "unemployment_rate": "fraction"}
    return frame


def _demand_function(params: LabourParams,
                     demand: Demand | None) -> tuple[Callable[[float], float], Sequence[float]]:
    if demand is None:
        demand = params.P0
    if isinstance(demand, DemandPath):
        return demand, demand.breakpoints
    if callable(demand):
        return demand, ()
    if isinstance(demand, bool) or not isinstance(demand, int | float | np.number):
        raise FundParameterError("demand", demand, "must be a number, a DemandPath or a "
                                 "callable t -> P")
    value = float(demand)
    if not math.isfinite(value) or value < 0:
        raise FundParameterError("demand", demand, "job demand must be finite and >= 0")
    return (lambda t: value), ()
