r"""Modified logistic employment with a CIR intercept (2.12)–(2.20).

Wang (2022) writes the growth rate of a population as
:math:`l(p) = \dot p / p = l(p_0)\,e^{b - kp}` (2.12)–(2.13); the seed lets the intercept
follow a CIR process :math:`db_t = \kappa(\alpha - b_t)dt + \sigma\sqrt{b_t}dW_t` (2.14).
Yearly, with growth :math:`g_t = P_t/P_{t-1} - 1`,

.. math:: \ln g_t = \ln l_0 + b_t - kP_{t-1},\qquad P_t = P_{t-1}(1 + l_0e^{b_t - kP_{t-1}}).

Fit: OLS of :math:`\ln g_t` on :math:`P_{t-1}` gives :math:`k`; :math:`l_0` is the first
growth rate of the sample (:math:`l(P_0)`); the implied
:math:`b_t = \ln g_t - \ln l_0 + kP_{t-1}` is fitted by CIR maximum likelihood.  The
seed drops 2020–2021 (pandemic outliers) and uses 2012–2019; the packaged data start in
2014, so its estimates cannot be reproduced exactly (see
``docs/errata/seed-002-processes.md``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from fund.data import qinghai
from fund.errors import FitError, FundParameterError
from fund.processes._common import FloatArray, RngLike, as_generator, count, ols, positive
from fund.processes._results import FitResult
from fund.processes.cir import CIR

__all__ = ["LogisticEmployment"]

#: The seed's printed (2.19)–(2.20) coefficients: k and the intercept CIR (a, kappa, sigma)
#: with drift (a - kappa b); (2.19) prints sigma = -0.309186 for urban employment.
_PRINTED: dict[str, dict[str, float]] = {
    "urban": {"k": 0.01995, "a": 45.043294, "kappa": 17.556873, "sigma": 0.309186},
    "total": {"k": 0.0563, "a": 221.826544, "kappa": 12.461509, "sigma": 0.372314},
}
_COLUMN = {"urban": "employment_urban_10k", "total": "employment_total_10k"}


@dataclass(frozen=True)
class LogisticEmployment:
    """Employment (万人) with growth ``l0 * exp(b_t - k P_{t-1})`` and CIR intercept ``b_t``.

    Parameters
    ----------
    l0 : float
        Scale of the growth rate, > 0.
    k : float
        Damping of growth by last year's employment, > 0 (per 万人).
    intercept : fund.CIR
        Process of the intercept ``b_t``.

    Raises
    ------
    fund.errors.FundParameterError
        ``l0`` or ``k`` not > 0, or an ``intercept`` that is not a :class:`fund.CIR`.

    Examples
    --------
    >>> m = LogisticEmployment(0.05, 0.02, CIR(15.0, 3.0, 0.3))
    >>> path = m.forecast(170.0, 2)
    >>> bool(path[0] == 170.0 and path[2] > path[1] > path[0])
    True
    """

    l0: float
    k: float
    intercept: CIR

    def __post_init__(self) -> None:
        object.__setattr__(self, "l0", positive("l0", self.l0))
        object.__setattr__(self, "k", positive("k", self.k))
        if not isinstance(self.intercept, CIR):
            raise FundParameterError("intercept", self.intercept, "must be a fund.CIR")

    @classmethod
    def printed(cls, which: str = "urban", *, data: pd.DataFrame | None = None
                ) -> LogisticEmployment:
        """The seed's (2.19)–(2.20) for ``which = "urban"`` or ``"total"`` employment.

        The seed does not print :math:`l(P_0)` (its 2012 growth rate, outside the
        packaged data); it is calibrated here so that the printed intercept mean is
        unbiased on the 2015–2019 growth rates: ``ln l0 = mean(ln g_t + k P_{t-1}) - θ``.

        Parameters
        ----------
        which : {"urban", "total"}
            Which employment series.
        data : pandas.DataFrame, optional, keyword-only
            The data ``l0`` is calibrated on (default :func:`fund.data.qinghai`).

        Returns
        -------
        LogisticEmployment

        Raises
        ------
        fund.errors.FundParameterError
            An unknown ``which``.

        Examples
        --------
        >>> LogisticEmployment.printed().k
        0.01995
        """
        if which not in _PRINTED:
            raise FundParameterError("which", which, "must be 'urban' or 'total'")

        c = _PRINTED[which]
        emp = (qinghai() if data is None else data)[_COLUMN[which]]
        g, prev, _ = _growth(emp, exclude=(2020, 2021))
        theta = float(c["a"]) / float(c["kappa"])
        ln_l0 = float(np.mean(np.log(g) + float(c["k"]) * prev)) - theta
        return cls(math.exp(ln_l0), float(c["k"]),
                   CIR(float(c["kappa"]), theta, abs(float(c["sigma"]))))

    @classmethod
    def fit(cls, employment: Any, *, exclude: Iterable[int] = (2020, 2021),
            kappa_max: float | None = None) -> FitResult:
        """Fit ``k`` by OLS and the intercept CIR by maximum likelihood.

        Parameters
        ----------
        employment : pandas.Series
            Employment (万人), year-indexed.
        exclude : iterable of int, keyword-only
            Transitions touching one of these years are dropped (default 2020–2021, as the seed).
        kappa_max : float, optional, keyword-only
            Upper end of the search range of the intercept's ``kappa`` (:meth:`fund.CIR.fit`).

        Returns
        -------
        FitResult
            ``process`` the fitted :class:`LogisticEmployment`.

        Raises
        ------
        fund.errors.FitError
            Fewer than 4 usable transitions, a non-positive growth rate (no logarithm),
            or a non-positive implied intercept.

        Warns
        -----
        fund.processes.IdentificationWarning
            When the intercept's ``kappa`` is not identified (the usual case on yearly data).

        Examples
        --------
        >>> import warnings
        >>> from fund.data import qinghai
        >>> with warnings.catch_warnings():
        ...     warnings.simplefilter("ignore")
        ...     fit = LogisticEmployment.fit(qinghai()["employment_urban_10k"])
        >>> type(fit.process).__name__, fit.nobs > 0
        ('LogisticEmployment', True)
        """
        g, prev, years = _growth(employment, exclude=tuple(exclude))
        if g.size < 4:
            raise FitError(f"employment: needs at least 4 usable yearly transitions, got {g.size}")
        lg = np.log(g)
        beta, se, s = ols(lg, np.column_stack([np.ones_like(prev), -prev]))
        k = float(beta[1])
        if k <= 0:
            raise FitError(f"employment: the growth rate does not fall with employment "
                           f"(k = {k:.4g} <= 0)")
        l0 = float(g[0])
        b = lg - math.log(l0) + k * prev
        if np.any(b <= 0):
            raise FitError("employment: the implied intercept b_t is not positive")
        cir = CIR.fit(pd.Series(b, index=years), 1.0, kappa_max=kappa_max)
        model = cls(l0, k, cir.process)
        fitted = prev * (1.0 + l0 * np.exp(np.r_[b[0], cir.fitted.to_numpy()] - k * prev))
        params = pd.concat([pd.Series({"l0": l0, "k": k}), cir.params.rename(None)])
        ses = pd.concat([pd.Series({"l0": math.inf, "k": float(se[1])}),
                         cir.std_errors.rename(None)])
        idx = pd.Index(years, name="year")
        return FitResult(
            process=model,
            params=params.rename("estimate"),
            std_errors=ses.rename("std_error"),
            nobs=int(g.size),
            resid_sd=s,
            actual=pd.Series(prev * (1 + g), index=idx, name="employment"),
            fitted=pd.Series(fitted, index=idx, name="fitted"),
            sample=tuple(years),
            notes="OLS of ln g_t on P_{t-1}; l0 = first growth rate; CIR ML on the implied b_t",
        )

    def forecast(self, p0: Any, n_steps: int, *, b0: float | None = None) -> FloatArray:
        """Path with the intercept at its conditional mean, shape ``(n_steps + 1,)``.

        Not the exact expectation of ``P_t``, which is nonlinear in ``b_t``; with the
        seed's stationary intercept the two differ by the lognormal-type correction.

        Parameters
        ----------
        p0 : float
            Employment in the starting year (万人), > 0.
        n_steps : int
            Number of years, >= 0.
        b0 : float, optional, keyword-only
            The intercept in the starting year (default its stationary mean ``theta``).

        Returns
        -------
        numpy.ndarray
            Shape ``(n_steps + 1,)``, starting at ``p0``.

        Raises
        ------
        fund.errors.FundParameterError
            A non-positive ``p0`` or a bad count.

        Examples
        --------
        >>> m = LogisticEmployment(0.05, 0.02, CIR(15.0, 3.0, 0.3))
        >>> m.forecast(170.0, 3).shape
        (4,)
        """
        p = positive("p0", p0)
        n = count("n_steps", n_steps, minimum=0)
        b = self.intercept.forecast(self.intercept.theta if b0 is None else b0, n)
        out = np.empty(n + 1)
        out[0] = p
        for t in range(1, n + 1):
            out[t] = out[t - 1] * (1.0 + self.l0 * math.exp(b[t] - self.k * out[t - 1]))
        return out

    def simulate(self, p0: Any, n_steps: int, n_paths: int, *, b0: float | None = None,
                 rng: RngLike = None) -> FloatArray:
        """Employment paths, shape ``(n_paths, n_steps + 1)``; the intercept by exact CIR steps.

        Parameters
        ----------
        p0 : float
            Employment in the starting year (万人), > 0.
        n_steps : int
            Number of years, >= 0.
        n_paths : int
            Number of paths, >= 1.
        b0 : float, optional, keyword-only
            The intercept in the starting year (default a draw of its stationary law).
        rng : numpy.random.Generator, int or None, keyword-only
            Source of randomness.

        Returns
        -------
        numpy.ndarray
            Shape ``(n_paths, n_steps + 1)``; column 0 is ``p0``.

        Raises
        ------
        fund.errors.FundParameterError
            A non-positive ``p0`` or a bad count.

        Examples
        --------
        >>> m = LogisticEmployment(0.05, 0.02, CIR(15.0, 3.0, 0.3))
        >>> m.simulate(170.0, 3, 5, rng=0).shape
        (5, 4)
        """
        p = positive("p0", p0)
        n = count("n_steps", n_steps, minimum=0)
        m = count("n_paths", n_paths)
        gen = as_generator(rng)
        b = np.full(m, self.intercept.theta if b0 is None else positive("b0", b0))
        out = np.empty((m, n + 1))
        out[:, 0] = p
        for t in range(1, n + 1):
            b = self.intercept.step(b, 1.0, gen)
            out[:, t] = out[:, t - 1] * (1.0 + self.l0 * np.exp(b - self.k * out[:, t - 1]))
        return out


def _growth(employment: Any, *, exclude: tuple[int, ...]) -> tuple[FloatArray, FloatArray,
                                                                     list[int]]:
    if not isinstance(employment, pd.Series):
        raise FitError("employment: pass a year-indexed pandas Series")
    e = employment.dropna().astype(float)
    years = [int(y) for y in e.index if (y - 1) in e.index
             and y not in exclude and (y - 1) not in exclude]
    cur = e.loc[years].to_numpy()
    prev = e.loc[[y - 1 for y in years]].to_numpy()
    g = cur / prev - 1.0
    if np.any(g <= 0):
        bad = years[int(np.flatnonzero(g <= 0)[0])]
        raise FitError(f"employment: year {bad}: growth {g[years.index(bad)]:.4g} <= 0 "
                       "(the logistic model needs positive growth)")
    return g, prev, years
