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
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from fund.errors import FitError, FundParameterError
from fund.processes._cir_density import cir_logpdf
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
from fund.processes.cir_fit import CIRFit, IdentificationWarning, fit_cir

__all__ = ["CIR", "CIRFit", "IdentificationWarning"]

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

    def memory(self, dt: float = 1.0) -> float:
        r"""The one-step autocorrelation :math:`e^{-\kappa\,dt}` of the exact transition.

        Parameters
        ----------
        dt : float
            Step length, > 0.

        Returns
        -------
        float

        Raises
        ------
        fund.errors.FundParameterError
            ``dt <= 0``.

        Examples
        --------
        >>> f"{CIR(17.61, 1.57, 0.58).memory(1.0):.2g}"
        '2.2e-08'
        """
        return math.exp(-self.kappa * positive("dt", dt))

    def draw_note(self, name: str, dt: float = 1.0) -> str:
        """One sentence on what a simulated step of length ``dt`` is, for result notes.

        When :meth:`memory` is below ``1e-6`` a step is, to that precision, an
        independent draw of the stationary gamma law: the simulation does exactly that
        (the exact transition), and ``kappa`` itself only sets how little memory is left.

        Parameters
        ----------
        name : str
            The driver's name, to start the sentence.
        dt : float
            Step length, > 0.

        Returns
        -------
        str
            Empty when the step keeps memory (``exp(-kappa*dt) >= 1e-6``).

        Examples
        --------
        >>> CIR(17.61, 1.57, 0.58).draw_note("recipient_ratio")[:60]
        'recipient_ratio: exp(-kappa*dt) = 2.2e-08 at dt = 1, so each'
        >>> CIR(0.7, 0.2, 0.06).draw_note("replacement_rate")
        ''
        """
        rho = self.memory(dt)
        if rho >= 1e-6:
            return ""
        return (f"{name}: exp(-kappa*dt) = {rho:.2g} at dt = {dt:g}, so each simulated step "
                "is (to that precision) an independent draw of the stationary gamma law "
                f"(mean {self.theta:.4g}, variance {self.stationary_variance:.4g}); kappa = "
                f"{self.kappa:.4g} is not identified by yearly data and does not matter here")

    # ------------------------------------------------------------------ moments
    def mean(self, x0: Any, t: Any) -> Any:
        r"""Conditional mean :math:`E[X_t\mid X_0=x_0] = \theta + (x_0-\theta)e^{-\kappa t}`.

        Parameters
        ----------
        x0 : float or array-like
            Starting value(s), >= 0.
        t : float or array-like
            Elapsed time(s), >= 0; broadcasts with ``x0``.

        Returns
        -------
        float or numpy.ndarray
            A float for scalar input, else the broadcast array.

        Raises
        ------
        fund.errors.FundParameterError
            A negative or non-finite ``x0`` or ``t``.

        Examples
        --------
        >>> p = CIR(2.0, 0.2, 0.3)
        >>> round(p.mean(0.1, 1.0), 6)
        0.186466
        >>> p.mean(0.1, [0.0, 1e6]).round(6).tolist()
        [0.1, 0.2]
        """
        x = array("x0", x0, nonneg=True)
        tt = array("t", t, nonneg=True)
        out = self.theta + (x - self.theta) * np.exp(-self.kappa * tt)
        return float(out) if out.ndim == 0 else out

    def variance(self, x0: Any, t: Any) -> Any:
        r"""Conditional variance of :math:`X_t` given :math:`X_0 = x_0`.

        .. math:: x_0\frac{\sigma^2}{\kappa}(e^{-\kappa t}-e^{-2\kappa t})
                  + \frac{\theta\sigma^2}{2\kappa}(1-e^{-\kappa t})^2

        Parameters
        ----------
        x0 : float or array-like
            Starting value(s), >= 0.
        t : float or array-like
            Elapsed time(s), >= 0; broadcasts with ``x0``.

        Returns
        -------
        float or numpy.ndarray
            A float for scalar input, else the broadcast array.

        Raises
        ------
        fund.errors.FundParameterError
            A negative or non-finite ``x0`` or ``t``.

        Examples
        --------
        >>> p = CIR(2.0, 0.2, 0.3)
        >>> p.variance(0.1, 0.0)
        0.0
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

        Parameters
        ----------
        x_next : float or array-like
            Value(s) at the end of the step, >= 0.
        x_prev : float or array-like
            Value(s) at the start of the step, >= 0.
        dt : float or array-like
            Step length(s), > 0.

        Returns
        -------
        float or numpy.ndarray
            A float for scalar input, else the broadcast array.

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
        out = cir_logpdf(y, x, h, self.kappa, self.theta, self.sigma)
        return float(out) if out.ndim == 0 else out

    def pdf(self, x_next: Any, x_prev: Any, dt: Any) -> Any:
        """Transition density, ``exp(logpdf)``.

        Parameters
        ----------
        x_next : float or array-like
            Value(s) at the end of the step, >= 0.
        x_prev : float or array-like
            Value(s) at the start of the step, >= 0.
        dt : float or array-like
            Step length(s), > 0.

        Returns
        -------
        float or numpy.ndarray
            A float for scalar input, else the broadcast array.

        Raises
        ------
        fund.errors.FundParameterError
            As :meth:`logpdf`.

        Examples
        --------
        >>> from scipy import integrate
        >>> p = CIR(0.8, 0.05, 0.1)
        >>> total, _ = integrate.quad(lambda y: p.pdf(y, 0.04, 0.5), 0, 1)
        >>> round(total, 6)
        1.0
        """
        return np.exp(self.logpdf(x_next, x_prev, dt))

    def loglik(self, series_: Any, dt: float = 1.0) -> float:
        """Conditional log-likelihood of an observed series (first value given).

        Every observation must be > 0: the CIR law puts no mass on 0, and where Feller
        fails its density is unbounded there, so a 0 would make the likelihood ``+inf``.

        Parameters
        ----------
        series_ : array-like or pandas.Series
            Observations at equal spacing ``dt``, at least 2, all > 0.
        dt : float
            Spacing of the observations, > 0.

        Returns
        -------
        float
            The sum of the log transition densities of consecutive observations.

        Raises
        ------
        fund.errors.FitError
            Fewer than 2 observations, a value that is not a finite number > 0 (the
            message names the observation), or non-numeric input.
        fund.errors.FundParameterError
            ``dt <= 0``.

        Examples
        --------
        >>> p = CIR(0.5, 0.2, 0.5)
        >>> pair = p.logpdf(0.1, 0.2, 1) + p.logpdf(0.3, 0.1, 1)
        >>> bool(np.isclose(p.loglik([0.2, 0.1, 0.3]), pair))
        True
        >>> p.loglik([0.2, 0.0, 0.1])
        Traceback (most recent call last):
        ...
        fund.errors.FitError: series: observation 1 is 0.0; every value must be > 0
        """
        x = series("series", series_, min_len=2, positive_=True)
        h = positive("dt", dt)
        return float(np.sum(cir_logpdf(x[1:], x[:-1], h, self.kappa, self.theta, self.sigma)))

    # ------------------------------------------------------------------ paths
    def forecast(self, x0: Any, n_steps: int, dt: float = 1.0) -> FloatArray:
        """Expected path ``E[X_{k dt} | X_0 = x0]`` for ``k = 0..n_steps``.

        Parameters
        ----------
        x0 : float
            Starting value, >= 0.
        n_steps : int
            Number of steps, >= 0.
        dt : float
            Step length, > 0.

        Returns
        -------
        numpy.ndarray
            Shape ``(n_steps + 1,)``; element 0 is ``x0``.

        Raises
        ------
        fund.errors.FundParameterError
            A negative ``x0``, a bad ``n_steps`` or ``dt <= 0``.

        Examples
        --------
        >>> CIR(2.0, 0.2, 0.3).forecast(0.1, 2).round(4).tolist()
        [0.1, 0.1865, 0.1982]
        """
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

        Examples
        --------
        >>> paths = CIR(2.0, 0.2, 0.3).simulate(0.1, n_steps=5, n_paths=3, rng=1)
        >>> paths.shape, bool((paths >= 0).all()), paths[:, 0].tolist()
        ((3, 6), True, [0.1, 0.1, 0.1])
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
        """One exact transition of the array ``x`` (no validation: the fast path of simulations).

        Parameters
        ----------
        x : numpy.ndarray
            Current values, >= 0 (not checked).
        dt : float
            Step length, > 0 (not checked).
        gen : numpy.random.Generator
            Source of randomness.

        Returns
        -------
        numpy.ndarray
            The values one step later, same shape as ``x``.

        Examples
        --------
        >>> p = CIR(2.0, 0.2, 0.3)
        >>> x = p.step(np.full(20000, 0.1), 1.0, np.random.default_rng(0))
        >>> bool(abs(x.mean() - p.mean(0.1, 1.0)) < 0.005)
        True
        """
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
        (Nelder–Mead polished by L-BFGS-B, :math:`\kappa \le` ``kappa_max``) and checked
        against the profile likelihood in :math:`\kappa`, which also decides whether
        :math:`\kappa` is identified (:mod:`fund.processes.cir_fit`).  Standard errors come
        from the inverse numerical Hessian; intervals (:meth:`CIRFit.conf_int`) from the
        profile for :math:`\kappa` and on the log scale for :math:`\theta, \sigma`.

        Parameters
        ----------
        series_ : array-like or pandas.Series
            Observations at equal spacing ``dt``, all > 0; more transitions than the
            three parameters, i.e. at least 5 observations.
        dt : float
            Spacing of the observations, > 0.
        kappa_max : float, optional
            Upper end of the search range for ``kappa`` (default ``100 / dt``).

        Returns
        -------
        CIRFit

        Raises
        ------
        fund.errors.FitError
            If the series is not numeric, too short, has a value that is not a finite
            number > 0 (the message names the observation), or is constant.
        fund.errors.FundParameterError
            If ``dt`` or ``kappa_max`` is not > 0.

        Warns
        -----
        IdentificationWarning
            When ``kappa`` is not identified; the reason is in the warning, in
            ``CIRFit.identification`` and in ``CIRFit.summary()``.

        Examples
        --------
        >>> true = CIR(kappa=0.6, theta=0.05, sigma=0.08)
        >>> path = true.simulate(0.05, n_steps=600, n_paths=1, dt=1 / 12, rng=7)[0]
        >>> fit = CIR.fit(path, dt=1 / 12)
        >>> fit.kappa_identified
        True
        >>> lo, hi = fit.conf_int().loc["kappa"]
        >>> bool(0 < lo < 0.6 < hi < 100)
        True
        >>> CIR.fit([0.2, 0.3, 0.25, 0.2])
        Traceback (most recent call last):
        ...
        fund.errors.FitError: series: needs more transitions than the 3 parameters...
        """
        x = series("series", series_, min_len=5, positive_=True, n_params=3)
        actual = (
            pd.Series(x, index=series_.index, name="actual")
            if isinstance(series_, pd.Series)
            else pd.Series(x, name="actual")
        )
        h = positive("dt", dt)
        kmax = positive("kappa_max", 100.0 / h if kappa_max is None else kappa_max)
        if np.ptp(x) == 0:
            raise FitError(
                f"series: all {x.size} observations equal {float(x[0])!r}; nothing to fit"
            )
        return fit_cir(x, h, kmax, actual)
