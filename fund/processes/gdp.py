r"""GDP as an AR(2) with a linear trend in logs, seed 002 (2.9)/(2.11).

.. math:: \ln Y_t = \beta_1 \ln Y_{t-1} + \beta_2 \ln Y_{t-2}
          + \beta_3 (t - t_0) + \beta_0 + \sigma\varepsilon_t

The seed derives it from a Cobb–Douglas economy (2.1)–(2.8) (Romer, *Advanced
Macroeconomics*, ch. 1): :math:`\beta_1 = \alpha + \beta_A`, :math:`\beta_2 = -\alpha\beta_A`.
The printed fit (2.11) counts the trend from :math:`t_0 = 2014` (its 2023–2027 forecasts
are reproduced only with that origin).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from fund.data import qinghai
from fund.errors import FitError, FundParameterError
from fund.processes._common import (
    FloatArray,
    RngLike,
    as_generator,
    count,
    finite,
    nonnegative,
    ols,
    series,
)
from fund.processes._results import FitResult

__all__ = ["GDPTrendAR2"]

_NAMES = ("ar1", "ar2", "trend", "const")


@dataclass(frozen=True)
class GDPTrendAR2:
    """AR(2) with trend for log GDP (levels in 亿元).

    Parameters
    ----------
    ar1, ar2 : float
        Coefficients of ``ln Y_{t-1}`` and ``ln Y_{t-2}``; must make the AR(2) stationary
        (roots outside the unit circle) so forecasts stay on a trend.
    trend : float
        Coefficient of ``t - base_year``.
    const : float
        Intercept.
    sigma : float
        Standard deviation of the log innovation, >= 0 (0: deterministic).
    base_year : int
        Origin of the trend, default 2014.

    Examples
    --------
    >>> m = GDPTrendAR2.printed()
    >>> path = m.forecast((3346.63, 3610.1), 1, year0=2022)   # seed table 1 prints 3937.60
    >>> round(float(path[1]), 1)
    3937.6
    """

    ar1: float
    ar2: float
    trend: float
    const: float
    sigma: float = 0.0
    base_year: int = 2014

    def __post_init__(self) -> None:
        for name in _NAMES:
            object.__setattr__(self, name, finite(name, getattr(self, name)))
        object.__setattr__(self, "sigma", nonnegative("sigma", self.sigma))
        roots = np.roots([1.0, -self.ar1, -self.ar2])
        if np.any(np.abs(roots) >= 1.0):
            raise FundParameterError(
                "ar1, ar2", (self.ar1, self.ar2),
                "the AR(2) must be stationary (characteristic roots inside the unit circle)",
            )

    @classmethod
    def printed(cls) -> GDPTrendAR2:
        """The seed's (2.11) coefficients.

        ``sigma`` is the root-mean-square residual of (2.11) on the 2016–2022 actuals (the
        seed prints none).

        Returns
        -------
        GDPTrendAR2

        Examples
        --------
        >>> m = GDPTrendAR2.printed()
        >>> m.base_year, m.sigma > 0
        (2014, True)
        """
        m = cls(0.46282737, -0.04464745, 0.04727415, 4.42395788)

        gdp = qinghai()["gdp_100m_yuan"].dropna()
        resid = m._residuals(np.log(gdp.to_numpy()), np.asarray(gdp.index, dtype=float))
        return cls(m.ar1, m.ar2, m.trend, m.const, float(np.sqrt(np.mean(resid**2))))

    # ------------------------------------------------------------------ fitting
    @classmethod
    def fit(cls, gdp: Any, *, base_year: int = 2014) -> FitResult:
        """OLS of (2.9) on a year-indexed series of GDP levels (consecutive years).

        Parameters
        ----------
        gdp : pandas.Series
            GDP levels (亿元), indexed by consecutive years.
        base_year : int, keyword-only
            The year where the trend term is 0.

        Returns
        -------
        FitResult
            ``params`` ``ar1, ar2, trend, const``; ``process`` the fitted :class:`GDPTrendAR2`.

        Raises
        ------
        fund.errors.FitError
            Fewer than 6 years (4 coefficients need at least 2 residual degrees of
            freedom after the two lags), gaps in the years, non-positive values.

        Examples
        --------
        >>> from fund.data import qinghai
        >>> fit = GDPTrendAR2.fit(qinghai()["gdp_100m_yuan"])
        >>> list(fit.params.index), fit.nobs
        (['ar1', 'ar2', 'trend', 'const'], 7)
        """
        y = series("gdp", gdp, min_len=7, positive_=True)
        years = _years(gdp, y.size)
        logy = np.log(y)
        X = np.column_stack([logy[1:-1], logy[:-2], years[2:] - base_year, np.ones(y.size - 2)])
        beta, se, s = ols(logy[2:], X)
        model = cls(float(beta[0]), float(beta[1]), float(beta[2]), float(beta[3]), s, base_year)
        fitted = np.exp(X @ beta)
        idx = pd.Index(years[2:].astype(int), name="year")
        return FitResult(
            process=model,
            params=pd.Series(beta, index=list(_NAMES), name="estimate"),
            std_errors=pd.Series(se, index=list(_NAMES), name="std_error"),
            nobs=int(y.size - 2),
            resid_sd=s,
            actual=pd.Series(y[2:], index=idx, name="gdp"),
            fitted=pd.Series(fitted, index=idx, name="fitted"),
            sample=tuple(int(v) for v in years[2:]),
            notes="OLS of ln Y_t on ln Y_{t-1}, ln Y_{t-2}, t - base_year, 1",
        )

    # ------------------------------------------------------------------ paths
    def forecast(self, history: Any, n_steps: int, *, year0: int) -> FloatArray:
        """Noise-free path of GDP levels for ``year0 .. year0 + n_steps``.

        This is the *median* path in levels (the exponential of the expected log path),
        which is what the seed prints.

        Parameters
        ----------
        history : pair of float
            ``(Y_{year0-1}, Y_{year0})``, GDP levels (亿元), > 0.
        n_steps : int
            Number of years ahead, >= 0.
        year0 : int, keyword-only
            The calendar year of ``history[1]``.

        Returns
        -------
        numpy.ndarray
            Shape ``(n_steps + 1,)``; element 0 is ``Y_{year0}``.

        Raises
        ------
        fund.errors.FundParameterError
            Non-positive history, a bad count.

        Examples
        --------
        >>> path = GDPTrendAR2.printed().forecast((3346.6, 3610.1), 3, year0=2022)
        >>> path.shape, float(path[0])
        ((4,), 3610.1)
        """
        path: FloatArray = self.simulate(history, n_steps, 1, year0=year0, rng=0, noise=False)[0]
        return path

    def simulate(
        self,
        history: Any,
        n_steps: int,
        n_paths: int,
        *,
        year0: int,
        rng: RngLike = None,
        noise: bool = True,
    ) -> FloatArray:
        """Paths of GDP levels, shape ``(n_paths, n_steps + 1)``; column 0 is ``Y_{year0}``.

        Parameters
        ----------
        history : pair of float
            ``(Y_{year0-1}, Y_{year0})``, GDP levels (亿元), > 0.
        n_steps : int
            Number of years ahead, >= 0.
        n_paths : int
            Number of paths, >= 1.
        year0 : int, keyword-only
            The calendar year of ``history[1]``.
        rng : numpy.random.Generator, int or None, keyword-only
            Source of randomness.
        noise : bool, keyword-only
            Whether to add the Gaussian shocks (``False``: every path is the forecast).

        Returns
        -------
        numpy.ndarray
            Shape ``(n_paths, n_steps + 1)``.

        Raises
        ------
        fund.errors.FundParameterError
            Non-positive history, bad counts.

        Examples
        --------
        >>> m = GDPTrendAR2.printed()
        >>> m.simulate((3346.6, 3610.1), 3, 5, year0=2022, rng=0).shape
        (5, 4)
        """
        h = np.asarray(history, dtype=float)
        if h.shape != (2,) or not np.all(np.isfinite(h)) or np.any(h <= 0):
            raise FundParameterError("history", history, "must be two positive GDP levels "
                                     "(Y_{year0-1}, Y_{year0})")
        n = count("n_steps", n_steps, minimum=0)
        m = count("n_paths", n_paths)
        gen = as_generator(rng)
        out = np.empty((m, n + 1))
        prev2 = np.full(m, math.log(h[0]))
        prev1 = np.full(m, math.log(h[1]))
        out[:, 0] = prev1
        for k in range(1, n + 1):
            mu = self.ar1 * prev1 + self.ar2 * prev2 + self.trend * (year0 + k - self.base_year)
            cur = mu + self.const
            if noise and self.sigma > 0:
                cur = cur + self.sigma * gen.standard_normal(m)
            out[:, k] = cur
            prev2, prev1 = prev1, cur
        return np.exp(out)

    def _residuals(self, logy: FloatArray, years: FloatArray) -> FloatArray:
        pred = (
            self.ar1 * logy[1:-1] + self.ar2 * logy[:-2]
            + self.trend * (years[2:] - self.base_year) + self.const
        )
        return np.asarray(logy[2:] - pred, dtype=float)

    @property
    def capital_share_roots(self) -> tuple[float, float]:
        r"""The pair :math:`(\alpha, \beta_A)` of (2.8), as the two roots (unordered).

        They solve :math:`\alpha+\beta_A = \beta_1`, :math:`\alpha\beta_A = -\beta_2`;
        complex roots are reported by their real parts.
        """
        r = np.roots([1.0, -self.ar1, -self.ar2])
        return float(np.real(r[0])), float(np.real(r[1]))


def _years(value: Any, n: int) -> FloatArray:
    if isinstance(value, pd.Series):
        try:
            years = np.asarray(value.index, dtype=float)
        except (TypeError, ValueError):
            raise FitError("gdp: the index must be integer years") from None
        if np.any(np.diff(years) != 1):
            raise FitError(f"gdp: years must be consecutive, got {list(value.index)}")
        return years
    return np.arange(n, dtype=float) + 2014.0

