"""Sustainability metrics of an unemployment-insurance fund, vectorised over paths.

Every metric takes arrays with years on the last axis (``(n_years,)`` or
``(n_paths, n_years)``); definitions and sources are in
``docs/explanation/sustainability.md``:

* :func:`months_payable` -- months of current expenditure the reserve can pay
  (the measure Chinese fund supervision states as 可支付月数);
* :func:`reserve_ratio` -- reserve / total covered wages (US DOL "reserve ratio");
* :func:`reserve_to_expenditure` -- reserve / annual expenditure (years payable);
* :func:`benefit_cost_rate`, :func:`average_high_cost_rate`,
  :func:`average_high_cost_multiple` -- the US DOL average high cost multiple
  (20 CFR 606.3), adapted to a short history;
* :func:`probability_below_floor`, :func:`probability_below_floor_by_year` -- the share
  of Monte Carlo paths whose reserve falls below a floor within the horizon.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from fund.errors import FundParameterError

__all__ = [
    "average_high_cost_multiple",
    "average_high_cost_rate",
    "benefit_cost_rate",
    "floor_from_months",
    "months_payable",
    "probability_below_floor",
    "probability_below_floor_by_year",
    "reserve_ratio",
    "reserve_to_expenditure",
]

Array = NDArray[np.float64]


def _finite(name: str, value: ArrayLike) -> Array:
    arr = np.asarray(value, dtype=float)
    if not np.all(np.isfinite(arr)):
        raise FundParameterError(name, float(arr[~np.isfinite(arr)].flat[0]),
                                 "must be finite (no NaN or inf)")
    return arr


def _positive(name: str, value: ArrayLike) -> Array:
    arr = _finite(name, value)
    if np.any(arr <= 0):
        raise FundParameterError(name, float(arr[arr <= 0].flat[0]), "must be > 0")
    return arr


def months_payable(reserve: ArrayLike, expenditure: ArrayLike) -> Array:
    """Months of expenditure the reserve can pay: ``12 · reserve / expenditure``.

    Parameters
    ----------
    reserve : array_like
        End-of-year reserve (亿元); may be negative (a deficit gives negative months).
    expenditure : array_like
        Annual expenditure of the same year (亿元), > 0.

    Returns
    -------
    numpy.ndarray
        Months, the broadcast shape of the inputs.

    Raises
    ------
    FundParameterError
        Non-finite input or non-positive expenditure.

    Examples
    --------
    >>> months_payable([6.0, 12.0], [12.0, 12.0]).tolist()
    [6.0, 12.0]
    """
    return 12.0 * _finite("reserve", reserve) / _positive("expenditure", expenditure)


def reserve_to_expenditure(reserve: ArrayLike, expenditure: ArrayLike) -> Array:
    """Reserve over annual expenditure (years of spending held in reserve).

    Parameters
    ----------
    reserve : array_like
        End-of-year reserve (亿元).
    expenditure : array_like
        Annual expenditure of the same year (亿元), > 0.

    Returns
    -------
    numpy.ndarray
        Years of spending, the broadcast shape of the inputs.

    Raises
    ------
    FundParameterError
        Non-finite input or non-positive expenditure.

    Examples
    --------
    >>> float(reserve_to_expenditure(15.0, 10.0))
    1.5
    """
    return _finite("reserve", reserve) / _positive("expenditure", expenditure)


def reserve_ratio(reserve: ArrayLike, total_wages: ArrayLike) -> Array:
    """US DOL reserve ratio: reserve / total wages in covered employment (fraction).

    ``total_wages`` is the covered payroll of the same year, ``P^i_t w_t`` (亿元); in a
    projection it is ``contribution_base / contribution_rate``.

    Parameters
    ----------
    reserve : array_like
        End-of-year reserve (亿元).
    total_wages : array_like
        Covered payroll of the same year (亿元), > 0.

    Returns
    -------
    numpy.ndarray
        The ratio (a fraction), the broadcast shape of the inputs.

    Raises
    ------
    FundParameterError
        Non-finite input or non-positive wages.

    Examples
    --------
    >>> float(reserve_ratio(2.0, 100.0))
    0.02
    """
    return _finite("reserve", reserve) / _positive("total_wages", total_wages)


def benefit_cost_rate(costs: ArrayLike, total_wages: ArrayLike) -> Array:
    """Benefit cost rate: costs paid in the year / total covered wages (fraction).

    Parameters
    ----------
    costs : array_like
        Benefit costs paid in the year (亿元), >= 0.
    total_wages : array_like
        Covered payroll of the same year (亿元), > 0.

    Returns
    -------
    numpy.ndarray
        The rate (a fraction), the broadcast shape of the inputs.

    Raises
    ------
    FundParameterError
        Negative or non-finite costs, or non-positive wages.

    Examples
    --------
    >>> float(benefit_cost_rate(1.0, 200.0))
    0.005
    """
    c = _finite("costs", costs)
    if np.any(c < 0):
        raise FundParameterError("costs", float(c[c < 0].flat[0]), "must be >= 0")
    return c / _positive("total_wages", total_wages)


def average_high_cost_rate(cost_rates: ArrayLike, *, history: ArrayLike = (),
                           lookback: int = 20, n_highest: int = 3) -> Array:
    """Average of the ``n_highest`` highest cost rates in the last ``lookback`` years.

    For each year ``t`` of ``cost_rates`` (years on the last axis) the window is the
    ``lookback`` years ending at ``t``, drawn from ``history`` (earlier years, 1-D,
    shared by all paths) followed by ``cost_rates`` up to ``t``.

    Parameters
    ----------
    cost_rates : array_like
        Benefit cost rates of the projected years, ``(n_years,)`` or
        ``(n_paths, n_years)``.
    history : array_like, optional
        Cost rates of the years before, oldest first.
    lookback : int, default 20
        Window length in years (US DOL: 20).
    n_highest : int, default 3
        Number of highest years averaged (US DOL: 3).

    Returns
    -------
    numpy.ndarray
        The average high cost rate of each projected year, the shape of ``cost_rates``.

    Raises
    ------
    FundParameterError
        Negative or non-finite rates, ``n_highest < 1``, ``lookback < n_highest``, or a
        window with fewer than ``n_highest`` years.

    Examples
    --------
    >>> average_high_cost_rate([0.01, 0.05], history=[0.02, 0.03]).tolist()
    [0.02, 0.03333333333333333]
    """
    rates = _finite("cost_rates", cost_rates)
    hist = _finite("history", history).reshape(-1)
    if rates.ndim == 0:
        raise FundParameterError("cost_rates", float(rates), "needs a year axis")
    for name, arr in (("cost_rates", rates), ("history", hist)):
        if np.any(arr < 0):
            raise FundParameterError(name, float(arr[arr < 0].flat[0]), "must be >= 0")
    if isinstance(n_highest, bool) or int(n_highest) != n_highest or n_highest < 1:
        raise FundParameterError("n_highest", n_highest, "must be an integer >= 1")
    if isinstance(lookback, bool) or int(lookback) != lookback or lookback < n_highest:
        raise FundParameterError("lookback", lookback, f"must be an integer >= n_highest "
                                 f"({n_highest})")
    h = hist.size
    full = np.concatenate([np.broadcast_to(hist, (*rates.shape[:-1], h)), rates], axis=-1)
    out = np.empty(rates.shape, dtype=float)
    for t in range(rates.shape[-1]):
        end = h + t + 1
        window = full[..., max(0, end - lookback):end]
        if window.shape[-1] < n_highest:
            raise FundParameterError("history", h, f"year {t} of the projection has only "
                                     f"{window.shape[-1]} years of cost rates; need "
                                     f"n_highest = {n_highest} (give more history)")
        top = -np.partition(-window, n_highest - 1, axis=-1)[..., :n_highest]
        out[..., t] = top.mean(axis=-1)
    return out


def average_high_cost_multiple(reserve: ArrayLike, total_wages: ArrayLike,
                               cost_rates: ArrayLike, *, history: ArrayLike = (),
                               lookback: int = 20, n_highest: int = 3) -> Array:
    """US DOL average high cost multiple: reserve ratio / average high cost rate.

    ``AHCM_t = (reserve_t / total_wages_t) / AHCR_t``; 1.0 means the reserve pays one
    year of benefits at the average of the worst years seen (DOL's solvency standard,
    20 CFR 606.32).  See :func:`average_high_cost_rate` for the window.

    Parameters
    ----------
    reserve : array_like
        End-of-year reserve (亿元).
    total_wages : array_like
        Covered payroll of the same year (亿元), > 0.
    cost_rates : array_like
        Benefit cost rates of the projected years, years on the last axis.
    history : array_like, optional, keyword-only
        Cost rates of the years before, oldest first.
    lookback : int, default 20, keyword-only
        Window length in years.
    n_highest : int, default 3, keyword-only
        Number of highest years averaged.

    Returns
    -------
    numpy.ndarray
        The multiple, the broadcast shape of the inputs.

    Raises
    ------
    FundParameterError
        As :func:`reserve_ratio` and :func:`average_high_cost_rate`, or an average
        high cost rate of 0.

    Examples
    --------
    >>> float(average_high_cost_multiple(3.0, 100.0, [0.01], history=[0.02, 0.03])[0])
    1.5
    """
    ratio = reserve_ratio(reserve, total_wages)
    ahcr = average_high_cost_rate(cost_rates, history=history, lookback=lookback,
                                  n_highest=n_highest)
    if np.any(ahcr <= 0):
        raise FundParameterError("cost_rates", 0.0, "the average high cost rate must be > 0")
    return np.asarray(ratio / ahcr, dtype=float)


def floor_from_months(months: float, expenditure: ArrayLike) -> Array:
    """A reserve floor of ``months`` months of expenditure: ``months · expenditure / 12``.

    Parameters
    ----------
    months : float
        Months of expenditure to hold, >= 0.
    expenditure : array_like
        Annual expenditure (亿元).

    Returns
    -------
    numpy.ndarray
        The floor (亿元), the shape of ``expenditure``.

    Raises
    ------
    FundParameterError
        Negative ``months`` or a non-finite input.

    Examples
    --------
    >>> floor_from_months(3, [12.0, 24.0]).tolist()
    [3.0, 6.0]
    """
    m = _finite("months", months)
    if np.any(m < 0):
        raise FundParameterError("months", float(m), "must be >= 0")
    e = _finite("expenditure", expenditure)
    return np.asarray(m * e / 12.0, dtype=float)


def _paths(reserve_paths: ArrayLike) -> Array:
    arr = _finite("reserve_paths", reserve_paths)
    if arr.ndim == 1:
        arr = arr[None, :]
    if arr.ndim != 2 or arr.shape[0] == 0 or arr.shape[1] == 0:
        raise FundParameterError("reserve_paths", arr.shape,
                                 "must have shape (n_paths, n_years) or (n_years,), non-empty")
    return arr


def probability_below_floor_by_year(reserve_paths: ArrayLike, floor: ArrayLike = 0.0) -> Array:
    """Share of paths whose reserve has fallen below ``floor`` by each year.

    Parameters
    ----------
    reserve_paths : array_like
        ``(n_paths, n_years)`` ensemble (or one path ``(n_years,)``).
    floor : array_like
        Scalar, per year ``(n_years,)`` or per path and year.

    Returns
    -------
    numpy.ndarray
        ``(n_years,)``, non-decreasing: ``P(min_{s<=t} (V_s - floor_s) < 0)``.

    Raises
    ------
    FundParameterError
        Non-finite input, paths that are not ``(n_paths, n_years)`` or ``(n_years,)``, or
        a ``floor`` that does not broadcast with them.

    Examples
    --------
    >>> probability_below_floor_by_year([[1.0, -1.0], [2.0, 3.0]]).tolist()
    [0.0, 0.5]
    """
    paths = _paths(reserve_paths)
    fl = _finite("floor", floor)
    try:
        below = paths < fl
    except ValueError as exc:
        raise FundParameterError("floor", fl.shape, f"must broadcast with {paths.shape}") from exc
    return np.asarray(np.logical_or.accumulate(below, axis=-1).mean(axis=0), dtype=float)


def probability_below_floor(reserve_paths: ArrayLike, floor: ArrayLike = 0.0) -> float:
    """Probability that the reserve falls below ``floor`` in some year of the horizon.

    The share of paths with ``V_t < floor_t`` for at least one ``t``.

    Parameters
    ----------
    reserve_paths : array_like
        Reserves, ``(n_paths, n_years)`` or ``(n_years,)`` (亿元).
    floor : array_like, default 0
        The floor (亿元), broadcasting with the paths.

    Returns
    -------
    float
        The share of paths that are below ``floor`` in at least one year.

    Raises
    ------
    FundParameterError
        As :func:`probability_below_floor_by_year`.

    Examples
    --------
    >>> probability_below_floor([[1.0, -1.0], [2.0, 3.0], [0.5, 0.7], [5, 5]], floor=0.6)
    0.5
    """
    return float(probability_below_floor_by_year(reserve_paths, floor)[-1])
