"""Shared helpers of the parameter processes: input checks and random generators.

Every public door of :mod:`fund.processes` validates its input with these helpers and
raises :class:`fund.errors.FundParameterError` (bad parameter) or
:class:`fund.errors.FitError` (a series that cannot be fitted).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from fund.errors import FitError, FundParameterError

RngLike = np.random.Generator | np.random.SeedSequence | int | None
FloatArray = npt.NDArray[np.float64]


def as_generator(rng: RngLike) -> np.random.Generator:
    """Return a :class:`numpy.random.Generator` for ``rng``.

    A Generator is used as is (so draws advance the caller's stream); an int or a
    :class:`~numpy.random.SeedSequence` seeds a fresh PCG64 generator; ``None`` draws
    fresh entropy (not reproducible).

    >>> bool(as_generator(7).integers(100) == as_generator(7).integers(100))
    True
    """
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None or isinstance(rng, np.random.SeedSequence):
        return np.random.default_rng(rng)
    if isinstance(rng, int | np.integer) and not isinstance(rng, bool):
        if rng < 0:
            raise FundParameterError("rng", rng, "an integer seed must be >= 0")
        return np.random.default_rng(int(rng))
    raise FundParameterError("rng", rng, "must be a numpy Generator, SeedSequence, int or None")


def positive(name: str, value: Any) -> float:
    """Return ``value`` as a float after checking it is finite and > 0."""
    x = _finite(name, value)
    if x <= 0:
        raise FundParameterError(name, value, "must be > 0")
    return x


def nonnegative(name: str, value: Any) -> float:
    """Return ``value`` as a float after checking it is finite and >= 0."""
    x = _finite(name, value)
    if x < 0:
        raise FundParameterError(name, value, "must be >= 0")
    return x


def finite(name: str, value: Any) -> float:
    """Return ``value`` as a float after checking it is finite."""
    return _finite(name, value)


def probability(name: str, value: Any) -> float:
    """Return ``value`` as a float after checking ``0 <= value <= 1``."""
    x = _finite(name, value)
    if not 0.0 <= x <= 1.0:
        raise FundParameterError(name, value, "must be in [0, 1]")
    return x


def _finite(name: str, value: Any) -> float:
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise FundParameterError(name, value, "must be a real number") from None
    if not math.isfinite(x):
        raise FundParameterError(name, value, "must be finite")
    return x


def count(name: str, value: Any, *, minimum: int = 1) -> int:
    """Return ``value`` as an int after checking it is an integer >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise FundParameterError(name, value, "must be an integer")
    if value < minimum:
        raise FundParameterError(name, value, f"must be >= {minimum}")
    return int(value)


def array(name: str, value: Any, *, nonneg: bool = False, positive_: bool = False) -> FloatArray:
    """Return ``value`` as a float64 array after checking it is finite (and signs)."""
    try:
        x = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise FundParameterError(name, value, "must be an array of real numbers") from None
    if not np.all(np.isfinite(x)):
        raise FundParameterError(name, _first_bad(x, ~np.isfinite(x)), "must be finite")
    if positive_ and np.any(x <= 0):
        raise FundParameterError(name, _first_bad(x, x <= 0), "must be > 0")
    if nonneg and np.any(x < 0):
        raise FundParameterError(name, _first_bad(x, x < 0), "must be >= 0")
    return x


def _first_bad(x: FloatArray, mask: npt.NDArray[np.bool_]) -> float:
    return float(x[mask].ravel()[0]) if x.ndim else float(x)


def series(
    name: str,
    value: Any,
    *,
    min_len: int,
    nonneg: bool = False,
    positive_: bool = False,
    n_params: int | None = None,
) -> FloatArray:
    """Return a one-dimensional fitting sample as floats; raise :class:`FitError` if unusable.

    ``n_params`` (for transition models) makes the length rule read "more transitions than
    parameters"; the message then says so.  A bad value is named by its position (and its
    index label when ``value`` is a pandas Series).

    Raises
    ------
    fund.errors.FitError
        Non-numeric input, not one-dimensional, too short, not finite, or breaking the
        sign rule.

    Examples
    --------
    >>> series("rate", pd.Series([0.2, 0.0, 0.3], index=[2020, 2021, 2022]), min_len=2,
    ...        positive_=True)
    Traceback (most recent call last):
    ...
    fund.errors.FitError: rate: observation 1 (2021) is 0.0; every value must be > 0
    >>> series("rate", ["0.2", "n/a"], min_len=2)
    Traceback (most recent call last):
    ...
    fund.errors.FitError: rate: observation 1 is 'n/a'; every value must be a real number
    """
    if isinstance(value, pd.DataFrame):
        raise FitError(f"{name}: expected one series, got a DataFrame with columns "
                       f"{list(value.columns)}")
    raw = value.to_numpy() if isinstance(value, pd.Series) else value
    labels = list(value.index) if isinstance(value, pd.Series) else None
    x = _as_floats(name, raw)
    if x.ndim != 1:
        raise FitError(f"{name}: expected a one-dimensional series, got shape {x.shape}")
    if x.size < min_len:
        if n_params is not None:
            raise FitError(f"{name}: needs more transitions than the {n_params} parameters "
                           f"(at least {min_len} observations), got {x.size}")
        raise FitError(f"{name}: needs at least {min_len} observations, got {x.size}")
    for bad, rule in ((~np.isfinite(x), "finite"),
                      ((x <= 0) if positive_ else None, "> 0"),
                      ((x < 0) if nonneg else None, ">= 0")):
        if bad is not None and np.any(bad):
            idx = int(np.flatnonzero(bad)[0])
            where = f"observation {idx}" + ("" if labels is None else f" ({labels[idx]})")
            raise FitError(f"{name}: {where} is {float(x[idx])!r}; every value must be {rule}")
    return x


def _as_floats(name: str, raw: Any) -> FloatArray:
    """``raw`` as a float array; a :class:`FitError` naming the first non-numeric entry."""
    try:
        return np.asarray(raw, dtype=float)
    except (TypeError, ValueError):
        pass
    flat = np.asarray(raw, dtype=object).ravel()
    for idx, item in enumerate(flat):
        try:
            float(item)
        except (TypeError, ValueError):
            raise FitError(f"{name}: observation {idx} is {item!r}; every value must be a "
                           "real number") from None
    raise FitError(f"{name}: cannot be read as an array of real numbers")


def ols(y: FloatArray, X: FloatArray) -> tuple[FloatArray, FloatArray, float]:
    """Least squares ``y = X b + e``: coefficients, their standard errors, residual s.d.

    The residual s.d. uses ``n - p`` degrees of freedom; standard errors are ``inf`` when
    ``n <= p`` (an exactly determined fit says nothing about its own precision).
    """
    n, p = X.shape
    if np.linalg.matrix_rank(X) < p:
        raise FitError(f"the regressors are collinear (rank {np.linalg.matrix_rank(X)} < {p})")
    beta, *_ = np.linalg.lstsq(X, y, rcond=None)
    resid = y - X @ beta
    if n > p:
        s2 = float(resid @ resid) / (n - p)
        cov = s2 * np.linalg.inv(X.T @ X)
        se = np.sqrt(np.diag(cov))
    else:
        s2 = 0.0
        se = np.full(p, np.inf)
    return np.asarray(beta, dtype=float), np.asarray(se, dtype=float), math.sqrt(s2)


def align(**named: Any) -> pd.DataFrame:
    """Align year-indexed Series (or equal-length arrays) and keep rows where all are known."""
    if all(isinstance(v, pd.Series) for v in named.values()):
        frame = pd.concat({k: pd.Series(_as_floats(k, v.to_numpy()), index=v.index)
                           for k, v in named.items()}, axis=1)
    else:
        arrays = {k: _as_floats(k, v).ravel() for k, v in named.items()}
        lengths = {k: a.size for k, a in arrays.items()}
        if len(set(lengths.values())) != 1:
            raise FitError(f"inputs must have equal lengths, got {lengths}")
        frame = pd.DataFrame(arrays)
    return frame.dropna()
