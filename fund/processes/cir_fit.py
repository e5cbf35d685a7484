r"""Maximum-likelihood fit of the CIR process, with a profile likelihood in :math:`\kappa`.

:meth:`fund.CIR.fit` is the public door; this module holds the result (:class:`CIRFit`)
and the work behind it.

**Why a profile.**  On yearly data a fast mean reversion makes
:math:`e^{-\kappa\Delta}` indistinguishable from 0: the transition law is then the
stationary gamma law, the likelihood depends on :math:`(\theta, \theta\sigma^2/2\kappa)`
only, and :math:`\kappa` lies on a flat ridge.  A Hessian standard error there is
meaningless (the optimiser stops anywhere on the ridge, with SE of order :math:`10^3` or,
worse, a finite SE smaller than :math:`\kappa`).  The profile log-likelihood

.. math:: \ell_p(\kappa) = \max_{\theta, \sigma} \ell(\kappa, \theta, \sigma)

on a log grid over ``[kappa_min, kappa_max]`` (``kappa_min = 1e-3 / dt``, the stand-in
for 0) shows it.  **Rule:** :math:`\kappa` is *identified* when the likelihood-ratio
confidence set :math:`\{\kappa : 2(\hat\ell - \ell_p(\kappa)) \le \chi^2_{1,0.95}\}` is
bounded away from both ends of the range; otherwise it is *not identified* and the fit
says which end the data cannot exclude (``kappa_max``: no memory, i.i.d. draws of the
stationary law; ``kappa_min``: no mean reversion).  A profile flat over the whole range
is the special case where both ends are in the set.

**Intervals never leave the parameter space.**  ``kappa``: the profile-likelihood
interval (``upper = inf`` when the set reaches ``kappa_max``, ``lower = 0`` when it
reaches ``kappa_min``).  ``theta`` and ``sigma``: Wald intervals on the log scale,
:math:`\hat\theta e^{\pm z\,se/\hat\theta}`; when :math:`\kappa` is not identified they
are the hull of those intervals over the profile points inside the :math:`\kappa` set,
and ``sigma``'s upper end is ``inf`` when the set is unbounded above (only
:math:`\sigma^2/\kappa` is identified there).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy import optimize, special, stats

from fund.errors import FitError, FundParameterError
from fund.processes._cir_density import cir_logpdf
from fund.processes._common import FloatArray

if TYPE_CHECKING:
    from fund.processes.cir import CIR

__all__ = ["KAPPA_BOUND_RTOL", "CIRFit", "IdentificationWarning", "at_kappa_bound", "fit_cir"]

_PARAMS = ("kappa", "theta", "sigma")

#: ``kappa`` is *at its bound* when ``kappa >= kappa_max * (1 - KAPPA_BOUND_RTOL)``
#: (a relative tolerance: 19.999884 of 20 is at the bound).
KAPPA_BOUND_RTOL = 1e-3

#: Level of the likelihood-ratio set that decides identification.
IDENTIFICATION_LEVEL = 0.95

_PROFILE_POINTS = 11
_KAPPA_MIN_DT = 1e-3
_LOG_BOUND = 50.0
_BAD = 1e300


class IdentificationWarning(UserWarning):
    """A fitted parameter is not identified by the sample (e.g. ``kappa`` on yearly data).

    Examples
    --------
    >>> import warnings
    >>> from fund.processes import IdentificationWarning, fit_ratio
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     fit = fit_ratio("months_paid")
    >>> any(w.category is IdentificationWarning for w in caught), fit.kappa_identified
    (True, False)
    """


@dataclass(frozen=True)
class _Data:
    y: FloatArray
    xp: FloatArray
    dt: float

    def loglik(self, kappa: float, theta: float, sigma: float) -> float:
        return float(np.sum(cir_logpdf(self.y, self.xp, self.dt, kappa, theta, sigma)))


@dataclass(frozen=True)
class CIRFit:
    """Result of :meth:`fund.CIR.fit` (maximum likelihood on the exact transition density).

    Attributes
    ----------
    params, std_errors : pandas.Series
        Estimates and standard errors indexed ``kappa, theta, sigma``.  ``kappa``'s
        standard error is ``inf`` when ``kappa`` is not identified; ``theta``'s and
        ``sigma``'s are then conditional on the reported ``kappa``.
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
        ``kappa >= kappa_max * (1 - KAPPA_BOUND_RTOL)``.
    kappa_identified : bool
        Whether the 95 % likelihood-ratio set for ``kappa`` stays inside
        ``(kappa_min, kappa_max)`` (module notes).
    identification : str
        One sentence: why ``kappa`` is or is not identified.
    kappa_max : float
        Upper end of the search range.
    profile : pandas.DataFrame
        Index ``kappa`` (log grid plus the estimate); columns ``loglik`` (the profile
        log-likelihood), ``theta`` and ``sigma`` (the maximisers at that ``kappa``).
    actual, fitted : pandas.Series
        The fitted series (indexed as given) and the one-step conditional means
        ``E[x_i | x_{i-1}]`` under the estimates (from the second observation on).

    Examples
    --------
    >>> import warnings
    >>> from fund.processes import CIR
    >>> path = CIR(17.8, 0.205, 0.328).simulate(0.205, 9, 1, rng=3)[0]
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     fit = CIR.fit(path)
    >>> fit.kappa_identified, caught[0].category.__name__
    (False, 'IdentificationWarning')
    >>> ci = fit.conf_int()
    >>> bool(ci.loc["kappa", "upper"] == float("inf") and (ci["lower"] >= 0).all())
    True
    """

    params: pd.Series
    std_errors: pd.Series
    loglik: float
    nobs: int
    dt: float
    start: pd.Series
    converged: bool
    kappa_at_bound: bool = False
    kappa_identified: bool = True
    identification: str = ""
    kappa_max: float = math.inf
    profile: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    actual: pd.Series = field(default_factory=lambda: pd.Series(dtype=float), repr=False)
    fitted: pd.Series = field(default_factory=lambda: pd.Series(dtype=float), repr=False)

    @property
    def process(self) -> CIR:
        """The fitted :class:`fund.CIR`."""
        from fund.processes.cir import CIR  # noqa: PLC0415 - cir imports this module

        return CIR(*(float(self.params[k]) for k in _PARAMS))

    @property
    def feller(self) -> bool:
        """Whether the fitted parameters satisfy the Feller condition."""
        return self.process.feller

    @property
    def stationary_variance(self) -> float:
        r""":math:`\theta\sigma^2/(2\kappa)`, identified even when ``kappa`` is not."""
        return self.process.stationary_variance

    def conf_int(self, level: float = 0.95) -> pd.DataFrame:
        """Confidence intervals inside the parameter space (module notes).

        Parameters
        ----------
        level : float
            Coverage in ``(0, 1)``.

        Returns
        -------
        pandas.DataFrame
            Index ``kappa, theta, sigma``; columns ``lower``, ``upper`` (all ``>= 0``,
            ``upper`` possibly ``inf``).

        Raises
        ------
        fund.errors.FundParameterError
            ``level`` not in ``(0, 1)``.

        Examples
        --------
        >>> from fund.processes import CIR
        >>> path = CIR(0.6, 0.05, 0.08).simulate(0.05, n_steps=120, n_paths=1, dt=0.25,
        ...                                      rng=7)[0]
        >>> ci = CIR.fit(path, dt=0.25).conf_int()
        >>> bool(ci.loc["kappa", "lower"] < 0.6 < ci.loc["kappa", "upper"])
        True
        """
        if not (isinstance(level, float | int) and 0.0 < level < 1.0):
            raise FundParameterError("level", level, "must be in (0, 1)")
        cut = self.loglik - 0.5 * float(stats.chi2.ppf(level, 1))
        k_lo, k_hi, inside = self._kappa_set(cut)
        z = float(special.ndtri(0.5 + level / 2.0))
        out = pd.DataFrame(index=list(_PARAMS), columns=["lower", "upper"], dtype=float)
        out.loc["kappa"] = (k_lo, k_hi)
        for name in ("theta", "sigma"):
            rel = float(self.std_errors[name] / self.params[name]) * z
            centres = inside[name].to_numpy() if not self.kappa_identified else np.array(
                [float(self.params[name])])
            lo = float(np.min(centres)) * math.exp(-rel) if math.isfinite(rel) else 0.0
            hi = float(np.max(centres)) * math.exp(rel) if math.isfinite(rel) else math.inf
            out.loc[name] = (lo, hi)
        if not self.kappa_identified and math.isinf(k_hi):
            out.loc["sigma", "upper"] = math.inf
        return out

    def _kappa_set(self, cut: float) -> tuple[float, float, pd.DataFrame]:
        """Return the ends of ``{kappa : profile >= cut}`` (hull) and the profile rows inside."""
        prof = self.profile
        ks = prof.index.to_numpy(float)
        ll = prof["loglik"].to_numpy(float)
        inside = np.flatnonzero(ll >= cut)
        if inside.size == 0:  # the estimate itself is in the profile: cannot happen
            raise FitError("CIR fit: the profile does not contain the maximum")
        data = self._data()
        first, last = int(inside[0]), int(inside[-1])
        lower = 0.0 if first == 0 else self._crossing(data, prof, first - 1, first, cut)
        upper = math.inf if last == ks.size - 1 else self._crossing(data, prof, last,
                                                                     last + 1, cut)
        return lower, upper, prof.iloc[first:last + 1]

    def _crossing(self, data: _Data, prof: pd.DataFrame, i: int, j: int, cut: float
                  ) -> float:
        """``kappa`` between profile rows ``i`` and ``j`` where the profile equals ``cut``."""
        warm = (float(prof["theta"].iloc[i]), float(prof["sigma"].iloc[i]))

        def gap(logk: float) -> float:
            return _profile_point(data, math.exp(logk), warm)[0] - cut

        a, b = math.log(float(prof.index[i])), math.log(float(prof.index[j]))
        if gap(a) * gap(b) > 0:  # the optimiser's tolerance blurred the crossing: grid end
            return float(prof.index[j if prof["loglik"].iloc[i] >= cut else i])
        return math.exp(optimize.brentq(gap, a, b, xtol=1e-6))

    def _data(self) -> _Data:
        x = self.actual.to_numpy(float)
        return _Data(x[1:], x[:-1], self.dt)

    def to_frame(self) -> pd.DataFrame:
        """Estimates, standard errors and OLS starting values as one table.

        Returns
        -------
        pandas.DataFrame
            Index ``kappa, theta, sigma``; columns ``estimate``, ``std_error``, ``ols_start``.

        Examples
        --------
        >>> from fund.processes import CIR
        >>> path = CIR(0.6, 0.05, 0.08).simulate(0.05, n_steps=120, n_paths=1, dt=0.25, rng=7)[0]
        >>> table = CIR.fit(path, dt=0.25).to_frame()
        >>> list(table.index), list(table.columns)
        (['kappa', 'theta', 'sigma'], ['estimate', 'std_error', 'ols_start'])
        """
        return pd.concat([self.params, self.std_errors, self.start], axis=1)

    def summary(self, level: float = 0.95) -> str:
        """Describe the fit as plain text: estimates, intervals and how made, then the verdict.

        Parameters
        ----------
        level : float
            Coverage of the intervals.

        Returns
        -------
        str
            A table of the estimates and intervals, then one line on the stationary law
            and one on whether ``kappa`` is identified.

        Examples
        --------
        >>> from fund.processes import CIR
        >>> path = CIR(0.6, 0.05, 0.08).simulate(0.05, n_steps=120, n_paths=1, dt=0.25,
        ...                                      rng=7)[0]
        >>> print(CIR.fit(path, dt=0.25).summary().splitlines()[-1][:21])
        kappa identified: the
        """
        ci = self.conf_int(level)
        how = {"kappa": "profile likelihood",
               "theta": "log-scale Wald" + ("" if self.kappa_identified
                                           else ", hull over the kappa set"),
               "sigma": "log-scale Wald" + ("" if self.kappa_identified
                                           else ", hull over the kappa set")}
        pct = f"{level:.0%}"
        lines = [f"CIR fit (exact transition density), {self.nobs} transitions, "
                 f"dt = {self.dt:g}, log-likelihood {self.loglik:.6g}",
                 f"{'':6} {'estimate':>11} {'std error':>11} {pct + ' lower':>11} "
                 f"{pct + ' upper':>11}  interval"]
        for k in _PARAMS:
            lines.append(f"{k:6} {self.params[k]:11.5g} {self.std_errors[k]:11.4g} "
                         f"{ci.loc[k, 'lower']:11.5g} {ci.loc[k, 'upper']:11.5g}  {how[k]}")
        lines.append(f"stationary mean {self.params['theta']:.5g}, stationary variance "
                     f"{self.stationary_variance:.5g}")
        verdict = "kappa identified" if self.kappa_identified else "kappa NOT IDENTIFIED"
        lines.append(f"{verdict}: {self.identification}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        p, s = self.params, self.std_errors
        body = ", ".join(f"{k}={p[k]:.6g} (se {s[k]:.3g})" for k in _PARAMS)
        flag = ", kappa_at_bound" if self.kappa_at_bound else ""
        ident = "" if self.kappa_identified else ", kappa NOT IDENTIFIED"
        return (
            f"CIRFit({body}, loglik={self.loglik:.6g}, nobs={self.nobs}, "
            f"feller={self.feller}{flag}{ident})"
        )


def fit_cir(x: FloatArray, dt: float, kappa_max: float, actual: pd.Series) -> CIRFit:
    """Fit a validated sample ``x`` (all > 0, not constant); see :meth:`fund.CIR.fit`."""
    data = _Data(x[1:], x[:-1], dt)
    start = _ols_start(x, dt, kappa_max)
    params, ll, converged = _maximise(data, start, kappa_max)
    profile = _profile(data, params, kappa_max)
    best = int(np.argmax(profile["loglik"].to_numpy()))
    if float(profile["loglik"].iloc[best]) > ll + 1e-9:  # the 3-D search stalled on a ridge
        row = profile.iloc[best]
        params, ll, _ = _maximise(
            data, np.array([float(profile.index[best]), row["theta"], row["sigma"]]),
            kappa_max)
        profile = _profile(data, params, kappa_max)
    at_bound = at_kappa_bound(float(params[0]), kappa_max)
    identified, reason = _identification(profile, ll, kappa_max, dt)
    se = _std_errors(data, params, kappa_fixed=not identified)
    if not identified:
        warnings.warn(f"CIR fit: kappa is not identified: {reason}", IdentificationWarning,
                      stacklevel=3)
    from fund.processes.cir import CIR  # noqa: PLC0415 - cir imports this module

    return CIRFit(
        params=pd.Series(params, index=list(_PARAMS), name="estimate"),
        std_errors=pd.Series(se, index=list(_PARAMS), name="std_error"),
        loglik=ll, nobs=int(data.y.size), dt=dt,
        start=pd.Series(start, index=list(_PARAMS), name="ols_start"),
        converged=converged, kappa_at_bound=at_bound, kappa_identified=identified,
        identification=reason, kappa_max=kappa_max, profile=profile, actual=actual,
        fitted=pd.Series(CIR(*params).mean(data.xp, dt), index=actual.index[1:],
                         name="fitted"),
    )


def at_kappa_bound(kappa: float, kappa_max: float) -> bool:
    """Whether ``kappa`` is at ``kappa_max`` within the relative :data:`KAPPA_BOUND_RTOL`.

    Parameters
    ----------
    kappa, kappa_max : float
        An estimate and the upper end of its search range.

    Returns
    -------
    bool

    Examples
    --------
    >>> at_kappa_bound(19.999884, 20.0), at_kappa_bound(19.9, 20.0)
    (True, False)
    """
    return kappa >= kappa_max * (1.0 - KAPPA_BOUND_RTOL)


def _maximise(data: _Data, start: FloatArray, kappa_max: float
              ) -> tuple[FloatArray, float, bool]:
    """Nelder–Mead over the log parameters, polished by L-BFGS-B."""
    def nll(z: FloatArray) -> float:
        val = -data.loglik(*np.exp(z))
        return val if math.isfinite(val) else _BAD

    bounds = [(math.log(_KAPPA_MIN_DT / data.dt), math.log(kappa_max)),
              (-_LOG_BOUND, _LOG_BOUND), (-_LOG_BOUND, _LOG_BOUND)]
    z0 = np.clip(np.log(start), [b[0] for b in bounds], [b[1] for b in bounds])
    res = optimize.minimize(nll, z0, method="Nelder-Mead", bounds=bounds,
                            options={"xatol": 1e-8, "fatol": 1e-10, "maxiter": 3000,
                                     "maxfev": 6000})
    res2 = optimize.minimize(nll, res.x, method="L-BFGS-B", bounds=bounds)
    best = res2 if res2.fun < res.fun else res
    if not math.isfinite(best.fun) or best.fun >= _BAD:
        raise FitError("series: the CIR log-likelihood is -inf at every trial point")
    return np.exp(best.x), -float(best.fun), bool(res.success or res2.success)


def _profile_point(data: _Data, kappa: float, warm: tuple[float, float]
                   ) -> tuple[float, float, float]:
    """``(profile loglik, theta, sigma)`` at ``kappa``.

    Maximises over ``theta`` and the stationary variance ``v`` (so the ridge of constant ``v``
    is an axis).
    """
    def nll(z: FloatArray) -> float:
        theta, v = math.exp(z[0]), math.exp(z[1])
        val = -data.loglik(kappa, theta, math.sqrt(2.0 * kappa * v / theta))
        return val if math.isfinite(val) else _BAD

    theta0, sigma0 = warm
    z0 = np.array([math.log(theta0), math.log(theta0 * sigma0**2 / (2.0 * kappa))])
    box = [(-_LOG_BOUND, _LOG_BOUND)] * 2
    res = optimize.minimize(nll, np.clip(z0, -_LOG_BOUND, _LOG_BOUND), method="Nelder-Mead",
                            bounds=box, options={"xatol": 1e-5, "fatol": 1e-8})
    theta, v = math.exp(res.x[0]), math.exp(res.x[1])
    return -float(res.fun), theta, math.sqrt(2.0 * kappa * v / theta)


def _profile(data: _Data, params: FloatArray, kappa_max: float) -> pd.DataFrame:
    """The profile on a log grid over ``[kappa_min, kappa_max]`` plus the estimate.

    Walked outwards from the estimate so each point starts from its neighbour's maximiser.
    """
    kappa_hat = float(params[0])
    grid = np.geomspace(_KAPPA_MIN_DT / data.dt, kappa_max, _PROFILE_POINTS)
    ks = np.unique(np.append(grid, kappa_hat))
    centre = int(np.searchsorted(ks, kappa_hat))
    rows: dict[float, tuple[float, float, float]] = {
        kappa_hat: (data.loglik(*params), float(params[1]), float(params[2]))}
    for order in (range(centre + 1, ks.size), range(centre - 1, -1, -1)):
        warm = (float(params[1]), float(params[2]))
        for i in order:
            point = _profile_point(data, float(ks[i]), warm)
            rows[float(ks[i])] = point
            warm = (point[1], point[2])
    frame = pd.DataFrame.from_dict(rows, orient="index", columns=["loglik", "theta", "sigma"])
    frame.index.name = "kappa"
    return frame.sort_index()


def _identification(profile: pd.DataFrame, loglik: float, kappa_max: float, dt: float
                    ) -> tuple[bool, str]:
    """Apply the rule of the module notes; return ``(identified, reason)``."""
    crit = 0.5 * float(stats.chi2.ppf(IDENTIFICATION_LEVEL, 1))
    ll = profile["loglik"].to_numpy(float)
    drop_hi, drop_lo = max(loglik - ll[-1], 0.0), max(loglik - ll[0], 0.0)
    kmin = float(profile.index[0])
    tail = (f"({IDENTIFICATION_LEVEL:.0%} likelihood-ratio cut-off {crit:.3g} on the "
            "log-likelihood)")
    if drop_hi <= crit and drop_lo <= crit:
        return False, (f"the profile likelihood is flat within the cut-off over the whole "
                       f"range [{kmin:.3g}, {kappa_max:.3g}] {tail}")
    if drop_hi <= crit:
        return False, (
            f"the profile likelihood at kappa_max = {kappa_max:.3g} is only {drop_hi:.3g} "
            f"below the maximum {tail}: the sample cannot tell the transition law from "
            f"independent draws of the stationary gamma law (exp(-kappa*dt) "
            f"indistinguishable from 0 at dt = {dt:g}); only theta and the stationary "
            "variance theta*sigma^2/(2*kappa) are identified")
    if drop_lo <= crit:
        return False, (
            f"the profile likelihood at kappa = {kmin:.3g} is only {drop_lo:.3g} below the "
            f"maximum {tail}: the sample cannot tell the process from one without mean "
            "reversion")
    return True, (f"the profile likelihood falls {drop_lo:.3g} at kappa = {kmin:.3g} and "
                  f"{drop_hi:.3g} at kappa_max = {kappa_max:.3g}, both beyond the cut-off "
                  f"{crit:.3g}")


def _ols_start(x: FloatArray, dt: float, kappa_max: float) -> FloatArray:
    """Starting values from the discretised (Euler) regression; safe fallbacks if it fails."""
    xp, y = x[:-1], x[1:]
    mean = float(np.mean(x))
    kappa = theta = sigma = float("nan")
    r = np.sqrt(xp)
    target = (y - xp) / r
    design = np.column_stack([dt / r, -dt * r])
    coef, *_ = np.linalg.lstsq(design, target, rcond=None)
    kappa = float(coef[1])
    theta = float(coef[0] / coef[1]) if coef[1] != 0 else float("nan")
    resid = target - design @ coef
    sigma = float(np.std(resid, ddof=min(2, resid.size - 1)) / math.sqrt(dt))
    if not (math.isfinite(kappa) and 0 < kappa <= kappa_max):
        kappa = min(1.0 / dt, kappa_max / 2.0)
    if not (math.isfinite(theta) and theta > 0):
        theta = mean
    if not (math.isfinite(sigma) and sigma > 0):
        sigma = math.sqrt(2.0 * kappa * float(np.var(x)) / theta)
    return np.array([kappa, theta, sigma])


def _std_errors(data: _Data, params: FloatArray, *, kappa_fixed: bool) -> FloatArray:
    """Standard errors from the inverse numerical Hessian.

    ``kappa`` is held fixed, with an infinite standard error, when it is not identified.
    """
    free = [1, 2] if kappa_fixed else [0, 1, 2]
    hess = _hessian(lambda p: data.loglik(*p), params, free)
    se = np.full(3, np.inf)
    try:
        diag = np.diag(np.linalg.inv(-hess))
    except np.linalg.LinAlgError:
        diag = np.full(len(free), np.nan)
    if np.all(np.isfinite(diag)) and np.all(diag > 0):
        se[free] = np.sqrt(diag)
    else:
        warnings.warn("CIR fit: the observed information at the estimate is singular or not "
                      "positive definite; the standard errors of "
                      f"{', '.join(_PARAMS[k] for k in free)} are reported as inf",
                      IdentificationWarning, stacklevel=4)
    return se


def _hessian(f: Callable[[FloatArray], float], p: FloatArray, free: list[int]) -> FloatArray:
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
