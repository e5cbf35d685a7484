r"""The Cox–Ingersoll–Ross (CIR) square-root diffusion.

.. math:: dX_t = \kappa(\theta - X_t)\,dt + \sigma\sqrt{X_t}\,dW_t

Seed 002 uses it for every mean-reverting ratio of the fund: the employment intercept
(2.14)/(2.19), the replacement rate (2.23), the recipient ratio (2.26), the months paid
(2.28) and the non-eligible share (2.33).

Transition law (Cox, Ingersoll & Ross 1985; Glasserman 2004, §3.4): with
:math:`c = 2\kappa / (\sigma^2(1 - e^{-\kappa\Delta}))`, the scaled value
:math:`2c X_{t+\Delta}` given :math:`X_t = x` is noncentral chi-square with
:math:`d = 4\kappa\theta/\sigma^2` degrees of freedom and noncentrality
:math:`\lambda = 2 c x e^{-\kappa\Delta}`.  Its density is the seed's (2.15)

.. math:: p(y \mid x) = c\,e^{-u-v}(v/u)^{q/2} I_q(2\sqrt{uv}),\quad
          u = c x e^{-\kappa\Delta},\ v = c y,\ q = d/2 - 1,

where :math:`I_q` is the modified Bessel function of the first kind — an *infinite*
series (the seed's (2.17) prints a finite sum; see ``docs/errata/seed-002-processes.md``).
We evaluate :math:`\log I_q` from the exponentially scaled ``scipy.special.ive`` and, where
that underflows (order much larger than the argument, the usual case for the seed's
yearly fits), from the series summed in log space.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize, special

from fund.errors import FitError, FundParameterError
from fund.processes._common import (
    FloatArray,
    RngLike,
    array,
    as_generator,
    count,
    nonnegative,
    positive,
    series,
)
from fund.processes._results import wald_intervals

__all__ = ["CIR", "CIRFit"]

_PARAMS = ("kappa", "theta", "sigma")


@dataclass(frozen=True)
class CIR:
    r"""A CIR process :math:`dX = \kappa(\theta - X)dt + \sigma\sqrt{X}dW`.

    Parameters
    ----------
    kappa : float
        Speed of mean reversion, > 0 (per unit of time).
    theta : float
        Long-run mean, > 0.
    sigma : float
        Volatility, > 0.

    Raises
    ------
    fund.errors.FundParameterError
        If a parameter is not finite and > 0.

    Examples
    --------
    >>> p = CIR(kappa=2.0, theta=0.2, sigma=0.3)
    >>> p.feller
    True
    >>> round(p.mean(0.1, 1.0), 6)            # theta + (x0 - theta) e^{-kappa t}
    0.186466
    >>> p.simulate(0.1, n_steps=3, n_paths=2, dt=1.0, rng=1).shape
    (2, 4)
    >>> CIR(1.0, 0.2, -0.3)
    Traceback (most recent call last):
    ...
    fund.errors.FundParameterError: sigma = -0.3: must be > 0
    """

    kappa: float
    theta: float
    sigma: float

    def __post_init__(self) -> None:
        for name in _PARAMS:
            object.__setattr__(self, name, positive(name, getattr(self, name)))

    # ------------------------------------------------------------------ properties
    @property
    def feller(self) -> bool:
        r"""Whether :math:`2\kappa\theta \ge \sigma^2` (Feller: 0 is unattainable)."""
        return 2.0 * self.kappa * self.theta >= self.sigma**2

    @property
    def df(self) -> float:
        r"""Degrees of freedom :math:`d = 4\kappa\theta/\sigma^2` of the transition law."""
        return 4.0 * self.kappa * self.theta / self.sigma**2

    @property
    def stationary_mean(self) -> float:
        """Mean of the stationary gamma law, ``theta``."""
        return self.theta

    @property
    def stationary_variance(self) -> float:
        r"""Variance of the stationary gamma law, :math:`\theta\sigma^2/(2\kappa)`."""
        return self.theta * self.sigma**2 / (2.0 * self.kappa)

    # ------------------------------------------------------------------ moments
    def mean(self, x0: Any, t: Any) -> Any:
        r"""Conditional mean :math:`E[X_t\mid X_0=x_0] = \theta + (x_0-\theta)e^{-\kappa t}`.

        ``x0`` and ``t`` broadcast; ``x0 >= 0``, ``t >= 0``.
        """
        x = array("x0", x0, nonneg=True)
        tt = array("t", t, nonneg=True)
        out = self.theta + (x - self.theta) * np.exp(-self.kappa * tt)
        return float(out) if out.ndim == 0 else out

    def variance(self, x0: Any, t: Any) -> Any:
        r"""Conditional variance of :math:`X_t` given :math:`X_0 = x_0`.

        .. math:: x_0\frac{\sigma^2}{\kappa}(e^{-\kappa t}-e^{-2\kappa t})
                  + \frac{\theta\sigma^2}{2\kappa}(1-e^{-\kappa t})^2

        >>> p = CIR(2.0, 0.2, 0.3)
        >>> bool(np.isclose(p.variance(0.1, 1e6), p.stationary_variance))
        True
        """
        x = array("x0", x0, nonneg=True)
        tt = array("t", t, nonneg=True)
        e = np.exp(-self.kappa * tt)
        s2k = self.sigma**2 / self.kappa
        out = x * s2k * (e - e * e) + self.theta * s2k / 2.0 * (1.0 - e) ** 2
        return float(out) if out.ndim == 0 else out

    # ------------------------------------------------------------------ density
    def logpdf(self, x_next: Any, x_prev: Any, dt: Any) -> Any:
        r"""Log transition density :math:`\log p(x_{next}\mid x_{prev})` over a step ``dt``.

        Vectorised: ``x_next``, ``x_prev`` and ``dt`` broadcast.  Exact (no Euler
        approximation); ``-inf`` where the density is 0 (``x_next = 0`` with ``q > 0``).

        Raises
        ------
        fund.errors.FundParameterError
            If ``x_next`` or ``x_prev`` is negative or not finite, or ``dt <= 0``.

        Examples
        --------
        >>> from scipy import stats
        >>> p = CIR(0.8, 0.05, 0.1)
        >>> c = 2 * 0.8 / (0.01 * (1 - np.exp(-0.8 * 0.5)))
        >>> ref = np.log(2 * c) + stats.ncx2.logpdf(2 * c * 0.06, p.df, 2 * c * 0.04 * np.exp(-0.4))
        >>> bool(np.isclose(p.logpdf(0.06, 0.04, 0.5), ref))
        True
        """
        y = array("x_next", x_next, nonneg=True)
        x = array("x_prev", x_prev, nonneg=True)
        h = array("dt", dt, positive_=True)
        out = _cir_logpdf(y, x, h, self.kappa, self.theta, self.sigma)
        return float(out) if out.ndim == 0 else out

    def pdf(self, x_next: Any, x_prev: Any, dt: Any) -> Any:
        """Transition density, ``exp(logpdf)``."""
        return np.exp(self.logpdf(x_next, x_prev, dt))

    def loglik(self, series_: Any, dt: float = 1.0) -> float:
        """Conditional log-likelihood of an observed series (first value given)."""
        x = series("series", series_, min_len=2, nonneg=True)
        h = positive("dt", dt)
        return float(np.sum(_cir_logpdf(x[1:], x[:-1], h, self.kappa, self.theta, self.sigma)))

    # ------------------------------------------------------------------ paths
    def forecast(self, x0: Any, n_steps: int, dt: float = 1.0) -> FloatArray:
        """Expected path ``E[X_{k dt} | X_0 = x0]``, ``k = 0..n_steps``, shape ``(n_steps+1,)``."""
        x = nonnegative("x0", x0)
        n = count("n_steps", n_steps, minimum=0)
        h = positive("dt", dt)
        return np.asarray(self.mean(x, h * np.arange(n + 1)), dtype=float)

    def simulate(
        self,
        x0: Any,
        n_steps: int,
        n_paths: int,
        dt: float = 1.0,
        *,
        rng: RngLike = None,
    ) -> FloatArray:
        """Exact simulation on the grid ``0, dt, ..., n_steps*dt`` by noncentral chi-square draws.

        Parameters
        ----------
        x0 : float or array of shape ``(n_paths,)``
            Starting value(s), >= 0.
        n_steps, n_paths : int
            Number of steps (>= 0) and of independent paths (>= 1).
        dt : float
            Step length, > 0.
        rng : numpy.random.Generator, int or None, keyword-only
            Source of randomness; an int seeds a fresh generator.

        Returns
        -------
        numpy.ndarray
            Shape ``(n_paths, n_steps + 1)``; column 0 is ``x0``.  Never negative: each step
            is a scaled noncentral chi-square draw (Glasserman 2004, §3.4.1).

        Raises
        ------
        fund.errors.FundParameterError
            On a negative ``x0``, ``dt <= 0`` or a bad count.
        """
        n = count("n_steps", n_steps, minimum=0)
        m = count("n_paths", n_paths)
        h = positive("dt", dt)
        x = array("x0", x0, nonneg=True)
        if x.ndim > 1 or (x.ndim == 1 and x.shape[0] != m):
            raise FundParameterError("x0", x0, f"must be a scalar or have shape ({m},)")
        gen = as_generator(rng)
        out = np.empty((m, n + 1))
        out[:, 0] = x
        for k in range(n):
            out[:, k + 1] = self.step(out[:, k], h, gen)
        return out

    def step(self, x: FloatArray, dt: float, gen: np.random.Generator) -> FloatArray:
        """One exact transition of the array ``x`` (no validation: the private fast path)."""
        ekt = math.exp(-self.kappa * dt)
        c = 2.0 * self.kappa / (self.sigma**2 * -math.expm1(-self.kappa * dt))
        draws = gen.noncentral_chisquare(self.df, 2.0 * c * ekt * x)
        return np.asarray(draws, dtype=float) / (2.0 * c)

    # ------------------------------------------------------------------ fitting
    @classmethod
    def fit(cls, series_: Any, dt: float = 1.0, *, kappa_max: float | None = None) -> CIRFit:
        r"""Maximum-likelihood fit of the exact transition density (seed (2.18)).

        Starting values come from the discretised regression
        :math:`(x_{i+1}-x_i)/\sqrt{x_i} = \kappa\theta\,\Delta/\sqrt{x_i}
        - \kappa\,\Delta\sqrt{x_i} + \sigma\sqrt{\Delta}\,\varepsilon_i` by OLS; the
        log-likelihood is then maximised over :math:`\log\kappa, \log\theta, \log\sigma`
        (Nelder–Mead, :math:`\kappa \le` ``kappa_max``) and the standard errors come from the
        inverse of the numerical Hessian of the log-likelihood in
        :math:`(\kappa, \theta, \sigma)`.

        Parameters
        ----------
        series_ : array-like or pandas.Series
            Observations at equal spacing ``dt``, all >= 0, at least 4 of them.
        dt : float
            Spacing of the observations, > 0.
        kappa_max : float, optional
            Upper bound for ``kappa`` (default ``100 / dt``).  When the sample cannot tell
            ``kappa`` apart from infinity (``exp(-kappa*dt)`` indistinguishable from 0, as in
            the seed's five yearly points) the fit stops there and reports
            ``kappa_at_bound=True`` with an infinite standard error for ``kappa``.

        Returns
        -------
        CIRFit

        Raises
        ------
        fund.errors.FitError
            If the series is too short, negative, not finite, or constant.
        fund.errors.FundParameterError
            If ``dt`` or ``kappa_max`` is not > 0.
        """
        x = series("series", series_, min_len=4, nonneg=True)
        actual = (
            series_.astype(float).rename("actual")
            if isinstance(series_, pd.Series)
            else pd.Series(x, name="actual")
        )
        h = positive("dt", dt)
        kmax = positive("kappa_max", 100.0 / h if kappa_max is None else kappa_max)
        if np.ptp(x) == 0:
            raise FitError(
                f"series: all {x.size} observations equal {float(x[0])!r}; nothing to fit"
            )
        start = _ols_start(x, h, kmax)
        y, xp = x[1:], x[:-1]

        def nll(z: FloatArray) -> float:
            k, th, s = np.exp(z)
            val = -float(np.sum(_cir_logpdf(y, xp, h, k, th, s)))
            return val if math.isfinite(val) else 1e300

        z0 = np.log(start)
        bounds = [(math.log(1e-8 / h), math.log(kmax)), (-50.0, 50.0), (-50.0, 50.0)]
        res = optimize.minimize(
            nll, z0, method="Nelder-Mead", bounds=bounds,
            options={"xatol": 1e-8, "fatol": 1e-10, "maxiter": 3000, "maxfev": 6000},
        )
        # polish from the Nelder–Mead point with a quasi-Newton step
        res2 = optimize.minimize(nll, res.x, method="L-BFGS-B", bounds=bounds)
        best = res2 if res2.fun < res.fun else res
        params = np.exp(best.x)
        if not math.isfinite(best.fun) or best.fun >= 1e300:
            raise FitError("series: the CIR log-likelihood is -inf at every trial point")
        at_bound = bool(best.x[0] >= math.log(kmax) - 1e-6)
        se = _std_errors(y, xp, h, params, at_bound)
        return CIRFit(
            params=pd.Series(params, index=list(_PARAMS), name="estimate"),
            std_errors=pd.Series(se, index=list(_PARAMS), name="std_error"),
            loglik=-float(best.fun),
            nobs=int(y.size),
            dt=h,
            start=pd.Series(start, index=list(_PARAMS), name="ols_start"),
            converged=bool(res.success or res2.success),
            kappa_at_bound=at_bound,
            actual=actual,
            fitted=pd.Series(
                CIR(*params).mean(xp, h), index=actual.index[1:], name="fitted"
            ),
        )


@dataclass(frozen=True)
class CIRFit:
    """Result of :meth:`CIR.fit` (maximum likelihood on the exact transition density).

    Attributes
    ----------
    params, std_errors : pandas.Series
        Estimates and standard errors indexed ``kappa, theta, sigma``.  A standard error
        is ``inf`` where the Hessian does not identify the parameter (``kappa`` at its
        bound, or a Hessian that is not negative definite).
    loglik : float
        Maximised conditional log-likelihood.
    nobs : int
        Number of transitions used (observations minus one).
    dt : float
        Observation spacing.
    start : pandas.Series
        OLS starting values from the discretised regression.
    converged : bool
        The optimiser's own success flag.
    kappa_at_bound : bool
        ``kappa`` stopped at ``kappa_max``: the sample cannot distinguish the transition
        law from the stationary gamma law, so only ``theta`` and
        ``theta*sigma**2/(2*kappa)`` are identified.
    actual, fitted : pandas.Series
        The fitted series (indexed as given) and the one-step conditional means
        ``E[x_i | x_{i-1}]`` under the estimates (from the second observation on).
    """

    params: pd.Series
    std_errors: pd.Series
    loglik: float
    nobs: int
    dt: float
    start: pd.Series
    converged: bool
    kappa_at_bound: bool = field(default=False)
    actual: pd.Series = field(default_factory=lambda: pd.Series(dtype=float), repr=False)
    fitted: pd.Series = field(default_factory=lambda: pd.Series(dtype=float), repr=False)

    @property
    def process(self) -> CIR:
        """The fitted :class:`CIR`."""
        return CIR(*(float(self.params[k]) for k in _PARAMS))

    @property
    def feller(self) -> bool:
        """Whether the fitted parameters satisfy the Feller condition."""
        return self.process.feller

    def conf_int(self, level: float = 0.95) -> pd.DataFrame:
        """Wald confidence intervals ``estimate ± z * std_error``."""
        return wald_intervals(self.params, self.std_errors, level)

    def to_frame(self) -> pd.DataFrame:
        """Estimates, standard errors and OLS starting values as one table."""
        return pd.concat([self.params, self.std_errors, self.start], axis=1)

    def __repr__(self) -> str:
        p, s = self.params, self.std_errors
        body = ", ".join(f"{k}={p[k]:.6g} (se {s[k]:.3g})" for k in _PARAMS)
        flag = ", kappa_at_bound" if self.kappa_at_bound else ""
        return (
            f"CIRFit({body}, loglik={self.loglik:.6g}, nobs={self.nobs}, "
            f"feller={self.feller}{flag})"
        )


# ---------------------------------------------------------------------- private core
def _cir_logpdf(
    y: FloatArray, x: FloatArray, dt: Any, kappa: float, theta: float, sigma: float
) -> FloatArray:
    y, x, dt = np.broadcast_arrays(
        np.asarray(y, float), np.asarray(x, float), np.asarray(dt, float)
    )
    ekt = np.exp(-kappa * dt)
    c = 2.0 * kappa / (sigma**2 * -np.expm1(-kappa * dt))
    q = 2.0 * kappa * theta / sigma**2 - 1.0
    u = c * x * ekt
    v = c * y
    out = np.empty(y.shape)
    pos = (u > 0) & (v > 0)
    if np.any(pos):
        up, vp = u[pos], v[pos]
        z = 2.0 * np.sqrt(up * vp)
        out[pos] = np.log(c[pos]) - up - vp + 0.5 * q * np.log(vp / up) + _log_iv(q, z)
    zero_x = (u == 0) & (v > 0)  # start at 0: gamma(q + 1, scale 1/c) law
    if np.any(zero_x):
        vz = v[zero_x]
        out[zero_x] = np.log(c[zero_x]) + q * np.log(vz) - vz - special.gammaln(q + 1.0)
    zero_y = v == 0
    if np.any(zero_y):
        out[zero_y] = -np.inf if q > 0 else (np.log(c[zero_y]) - u[zero_y] if q == 0 else np.inf)
    return out


def _log_iv(q: float, z: FloatArray) -> FloatArray:
    """``log I_q(z)`` for ``z > 0``, ``q > -1``: scaled Bessel where safe, log-series elsewhere."""
    with np.errstate(divide="ignore", invalid="ignore", under="ignore"):
        scaled = special.ive(q, z)
        out = np.log(scaled) + z
    bad = ~np.isfinite(out) | (scaled < 1e-280)
    if np.any(bad):
        out[bad] = _log_iv_series(q, z[bad])
    return out


def _log_iv_series(q: float, z: FloatArray) -> FloatArray:
    r"""``log I_q(z) = q log(z/2) - lgamma(q+1) + log sum_n (z^2/4)^n / (n! (q+1)_n)`` in log space.

    Used only where ``ive`` underflows, i.e. the order dominates the argument; the terms
    peak near ``n* = (sqrt(q^2 + z^2) - q)/2`` and enough terms past the peak are summed.
    """
    zmax = float(np.max(z))
    npeak = 0.5 * (math.sqrt(q * q + zmax * zmax) - q)
    n_terms = int(npeak + 12.0 * math.sqrt(npeak + 1.0) + 60.0)
    n = np.arange(n_terms, dtype=float)[:, None]
    base = special.gammaln(n + 1.0) + special.gammaln(q + n + 1.0) - special.gammaln(q + 1.0)
    out = np.empty(z.shape)
    step = max(1, 2_000_000 // n_terms)  # bound the (n_terms, batch) work array to ~16 MB
    for i in range(0, z.size, step):
        zz = z[i:i + step]
        log_terms = n * np.log(zz * zz / 4.0)[None, :] - base
        out[i:i + step] = (q * np.log(zz / 2.0) - special.gammaln(q + 1.0)
                           + special.logsumexp(log_terms, axis=0))
    return out


def _ols_start(x: FloatArray, dt: float, kappa_max: float) -> FloatArray:
    """Starting values from the discretised (Euler) regression; safe fallbacks if it fails."""
    xp, y = x[:-1], x[1:]
    keep = xp > 0
    mean = float(np.mean(x))
    kappa = theta = sigma = float("nan")
    if np.count_nonzero(keep) >= 3:
        r = np.sqrt(xp[keep])
        target = (y[keep] - xp[keep]) / r
        design = np.column_stack([dt / r, -dt * r])
        coef, *_ = np.linalg.lstsq(design, target, rcond=None)
        kappa = float(coef[1])
        theta = float(coef[0] / coef[1]) if coef[1] != 0 else float("nan")
        resid = target - design @ coef
        sigma = float(np.std(resid, ddof=min(2, resid.size - 1)) / math.sqrt(dt))
    if not (math.isfinite(kappa) and 0 < kappa <= kappa_max):
        kappa = min(1.0 / dt, kappa_max / 2.0)
    if not (math.isfinite(theta) and theta > 0):
        theta = mean if mean > 0 else 1e-8
    if not (math.isfinite(sigma) and sigma > 0):
        var = float(np.var(x)) or (theta * 1e-3) ** 2
        sigma = math.sqrt(2.0 * kappa * var / theta)
    return np.array([kappa, theta, sigma])


def _std_errors(
    y: FloatArray, xp: FloatArray, dt: float, params: FloatArray, kappa_at_bound: bool
) -> FloatArray:
    """Standard errors from the inverse numerical Hessian of the log-likelihood."""
    free = [1, 2] if kappa_at_bound else [0, 1, 2]

    def ll(p: FloatArray) -> float:
        return float(np.sum(_cir_logpdf(y, xp, dt, *p)))

    hess = _hessian(ll, params, free)
    se = np.full(3, np.inf)
    try:
        cov = np.linalg.inv(-hess)
    except np.linalg.LinAlgError:
        return se
    diag = np.diag(cov)
    if np.all(np.isfinite(diag)) and np.all(diag > 0):
        se[free] = np.sqrt(diag)
    return se


def _hessian(f: Any, p: FloatArray, free: list[int]) -> FloatArray:
    """Central-difference Hessian of ``f`` at ``p`` over the coordinates ``free``."""
    k = len(free)
    h = 1e-4 * np.maximum(np.abs(p), 1e-8)
    hess = np.empty((k, k))
    for a, i in enumerate(free):
        for b, j in enumerate(free[a:], start=a):
            def shifted(si: float, sj: float, i: int = i, j: int = j) -> float:
                q = p.copy()
                q[i] += si * h[i]
                q[j] += sj * h[j]
                return float(f(q))

            val = (shifted(1, 1) - shifted(1, -1) - shifted(-1, 1) + shifted(-1, -1)) / (
                4.0 * h[i] * h[j]
            )
            hess[a, b] = hess[b, a] = val
    return hess
