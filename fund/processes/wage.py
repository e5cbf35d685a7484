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

    >>> round(float(gdp_per_worker(1847.72, 317.3)), 2)
    58232.59
    """
    g = array("gdp", gdp, positive_=True)
    e = array("employment", employment, positive_=True)
    return np.asarray(_YUAN_PER_100M_PER_10K * g / e, dtype=float)


@dataclass(frozen=True)
class WageLink:
    """Linear wage link ``w = slope * GDP-per-worker + intercept (+ noise)``, wages in 元/year.

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
        """
        from fund.data import qinghai, qinghai_constants

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

        Inputs are year-indexed pandas Series (aligned on the index) or equal-length arrays.

        Raises
        ------
        fund.errors.FitError
            Fewer than 3 common observations.
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
        """Expected wage for GDP (亿元) and total employment (万人) arrays (broadcast)."""
        return np.asarray(self.slope * gdp_per_worker(gdp, employment) + self.intercept)

    def simulate(
        self, gdp: Any, employment: Any, n_paths: int, *, rng: RngLike = None
    ) -> FloatArray:
        """Wages with Gaussian residuals, shape ``(n_paths, n_years)``.

        ``gdp`` and ``employment`` are ``(n_years,)`` or ``(n_paths, n_years)``.
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

