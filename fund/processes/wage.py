r"""The wage link (2.4)–(2.5): urban wage against GDP per employed person.

.. math:: w_t = a\,\bar Y_t + b + \sigma\varepsilon_t,\qquad
          \bar Y_t = 10^4\,Y_t / P^a_t

with GDP :math:`Y_t` in 亿元 and total employment :math:`P^a_t` in 万人, so
:math:`\bar Y_t` is in 元 per person (1 亿元 / 1 万人 = 10^4 元).  Under Cobb–Douglas the
slope is the labour share :math:`1-\alpha` and there is no intercept (2.4); the seed keeps
an intercept, read as the urban wage premium over all employed persons.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from fund.data import qinghai, qinghai_constants
from fund.errors import FitError, FundParameterError
from fund.processes._common import (
    FloatArray,
    RngLike,
    align,
    array,
    as_generator,
    count,
    finite,
    ols,
)
from fund.processes._common import nonnegative as _nonneg
from fund.processes._results import FitResult

__all__ = ["WageLink", "gdp_per_worker"]

_YUAN_PER_100M_PER_10K = 1e4


def gdp_per_worker(gdp: Any, employment: Any) -> FloatArray:
    """GDP per employed person in 元 from GDP (亿元) and employment (万人).

    Parameters
    ----------
    gdp : float or array-like
        GDP in 亿元 (1e8 元), > 0.
    employment : float or array-like
        Employed persons in 万人 (1e4), > 0; broadcasts with ``gdp``.

    Returns
    -------
    numpy.ndarray
        ``1e4 * gdp / employment`` 元 per person.

    Raises
    ------
    fund.errors.FundParameterError
        A value that is not a finite number > 0.

    Examples
    --------
    >>> round(float(gdp_per_worker(1847.72, 317.3)), 2)
    58232.59
    """
    g = array("gdp", gdp, positive_=True)
    e = array("employment", employment, positive_=True)
    return np.asarray(_YUAN_PER_100M_PER_10K * g / e, dtype=float)


@dataclass(frozen=True)
class WageLink:
    """Linear wage link ``w = slope * GDP-per-worker + intercept (+ noise)``, wages in 元/year.

    Parameters
    ----------
    slope : float
        元 of wage per 元 of GDP per employed person (finite).
    intercept : float
        元 a year (finite).
    sigma : float
        S.d. of the Gaussian residual (元 a year), >= 0.

    Raises
    ------
    fund.errors.FundParameterError
        A coefficient that is not finite, or a negative ``sigma``.

    Examples
    --------
    >>> m = WageLink.printed()
    >>> round(float(m.forecast(1847.72, 317.3)), 1)       # seed table 1: 49445.87
    49445.9
    """

    slope: float
    intercept: float
    sigma: float = 0.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "slope", finite("slope", self.slope))
        object.__setattr__(self, "intercept", finite("intercept", self.intercept))
        object.__setattr__(self, "sigma", _nonneg("sigma", self.sigma))

    @classmethod
    def printed(cls) -> WageLink:
        """The seed's (2.5) ``w = 0.7011 Ȳ + 8619``.

        ``sigma`` is the residual s.d. of (2.5) on the 2014–2021 actuals (the seed prints none).

        Returns
        -------
        WageLink

        Examples
        --------
        >>> m = WageLink.printed()
        >>> m.slope, m.intercept
        (0.7011, 8619.0)
        """
        c = qinghai_constants()
        m = cls(c["wage_link_slope"], c["wage_link_intercept"])
        d = qinghai()[["gdp_100m_yuan", "employment_total_10k", "urban_wage_yuan"]].dropna()
        resid = d["urban_wage_yuan"].to_numpy() - m.forecast(
            d["gdp_100m_yuan"].to_numpy(), d["employment_total_10k"].to_numpy()
        )
        return cls(m.slope, m.intercept, float(np.sqrt(np.mean(resid**2))))

    @classmethod
    def fit(cls, gdp: Any, employment: Any, wage: Any) -> FitResult:
        """OLS of the wage on GDP per worker (with intercept), over the years all three report.

        Parameters
        ----------
        gdp : pandas.Series or array-like
            GDP (亿元), year-indexed.
        employment : pandas.Series or array-like
            Total employment (万人), year-indexed.
        wage : pandas.Series or array-like
            Urban average annual wage (元), year-indexed.  Series are aligned on the index;
            arrays must have equal lengths.

        Returns
        -------
        FitResult
            ``params`` ``slope`` and ``intercept``; ``process`` the fitted :class:`WageLink`.

        Raises
        ------
        fund.errors.FitError
            Fewer than 3 common observations.

        Examples
        --------
        >>> from fund.data import qinghai
        >>> d = qinghai()
        >>> fit = WageLink.fit(d["gdp_100m_yuan"], d["employment_total_10k"], d["urban_wage_yuan"])
        >>> fit.nobs, round(float(fit.params["slope"]), 4)
        (8, 0.6906)
        """
        frame = align(gdp=gdp, employment=employment, wage=wage)
        if len(frame) < 3:
            raise FitError(f"wage link: needs at least 3 years with gdp, employment and wage, "
                           f"got {len(frame)}")
        x = gdp_per_worker(frame["gdp"].to_numpy(), frame["employment"].to_numpy())
        X = np.column_stack([x, np.ones_like(x)])
        beta, se, s = ols(frame["wage"].to_numpy(), X)
        return FitResult(
            process=cls(float(beta[0]), float(beta[1]), s),
            params=pd.Series(beta, index=["slope", "intercept"], name="estimate"),
            std_errors=pd.Series(se, index=["slope", "intercept"], name="std_error"),
            nobs=len(frame),
            resid_sd=s,
            actual=frame["wage"].rename("wage"),
            fitted=pd.Series(X @ beta, index=frame.index, name="fitted"),
            sample=tuple(int(y) for y in frame.index),
            notes="OLS of the urban annual wage on 1e4 * GDP / total employment",
        )

    def forecast(self, gdp: Any, employment: Any) -> FloatArray:
        """Expected wage for GDP (亿元) and total employment (万人) arrays (broadcast).

        Parameters
        ----------
        gdp : float or array-like
            GDP (亿元), > 0.
        employment : float or array-like
            Total employment (万人), > 0.

        Returns
        -------
        numpy.ndarray
            ``slope * gdp_per_worker(gdp, employment) + intercept`` (元 a year).

        Raises
        ------
        fund.errors.FundParameterError
            A value that is not a finite number > 0.

        Examples
        --------
        >>> WageLink(0.5, 1000.0).forecast([100.0, 200.0], 10.0).tolist()
        [51000.0, 101000.0]
        """
        return np.asarray(self.slope * gdp_per_worker(gdp, employment) + self.intercept)

    def simulate(
        self, gdp: Any, employment: Any, n_paths: int, *, rng: RngLike = None
    ) -> FloatArray:
        """Wages with Gaussian residuals, shape ``(n_paths, n_years)``.

        Parameters
        ----------
        gdp : array-like
            GDP (亿元), ``(n_years,)`` or ``(n_paths, n_years)``.
        employment : array-like
            Total employment (万人), broadcasting with ``gdp``.
        n_paths : int
            Number of paths, >= 1.
        rng : numpy.random.Generator, int or None, keyword-only
            Source of randomness.

        Returns
        -------
        numpy.ndarray
            Shape ``(n_paths, n_years)``; the forecast plus ``sigma`` times standard normals.

        Raises
        ------
        fund.errors.FundParameterError
            A bad ``n_paths`` or one that does not match the paths axis of the inputs.

        Examples
        --------
        >>> WageLink(0.5, 1000.0, sigma=100.0).simulate([100.0, 200.0], 10.0, 3, rng=0).shape
        (3, 2)
        """
        m = count("n_paths", n_paths)
        mean = np.atleast_1d(self.forecast(gdp, employment))
        if mean.ndim == 1:
            mean = np.broadcast_to(mean, (m, mean.size))
        if mean.shape[0] != m:
            raise FundParameterError("n_paths", n_paths, f"must match the paths axis {mean.shape}")
        if self.sigma == 0:
            return np.array(mean)
        return np.asarray(mean + self.sigma * as_generator(rng).standard_normal(mean.shape))

