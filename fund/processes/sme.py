r"""SME share of refund-eligible contributions (2.30)–(2.32).

.. math:: ms_t = 1 - \exp(-k P^i_{t-1} + b\,\mathbb 1[t \ge t_s]),\quad k > 0,\ b \ge 0

As the insured population :math:`P^i` grows, small and medium enterprises carry a growing
share; from 2021 (:math:`t_s`) a shift :math:`b` (the pandemic) lowers it.  The seed prints
(2.31) as :math:`1 - e^{kP^i_{t-1} + b}`, which is negative for every :math:`k, b > 0`;
its fitted (2.32) has the intended :math:`-kP^i_{t-1} + b`.  Linearised,
:math:`-\ln(1 - ms_t) = kP^i_{t-1} - b\,\mathbb 1[t\ge t_s]`, fitted by least squares with
:math:`k, b \ge 0` (the seed's "constrained OLS").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize

from fund.data import qinghai_constants
from fund.errors import FitError, FundParameterError
from fund.processes._common import (
    FloatArray,
    RngLike,
    align,
    array,
    as_generator,
    count,
    nonnegative,
)
from fund.processes._results import FitResult

__all__ = ["SMEShare"]


@dataclass(frozen=True)
class SMEShare:
    """SME share ``ms_t`` from last year's covered persons (万人).

    Parameters
    ----------
    k : float
        Growth of the share with coverage, > 0 (per 万人).
    shift : float
        Drop ``b >= 0`` in the exponent from ``shift_year`` on.
    shift_year : int
        First year of the shift (2021).
    sigma : float
        S.d. of a Gaussian error on ``-ln(1 - ms_t)``, >= 0.

    Examples
    --------
    >>> m = SMEShare(0.01938, 0.5118)
    >>> m.forecast([42.28, 63.40], [2019, 2023]).round(4).tolist()   # table 8: 55.93%, 51.17%
    [0.5593, 0.5117]
    """

    k: float
    shift: float = 0.0
    shift_year: int = 2021
    sigma: float = 0.0

    def __post_init__(self) -> None:
        k = nonnegative("k", self.k)
        if k == 0:
            raise FundParameterError("k", self.k, "must be > 0")
        object.__setattr__(self, "k", k)
        object.__setattr__(self, "shift", nonnegative("shift", self.shift))
        object.__setattr__(self, "sigma", nonnegative("sigma", self.sigma))

    @classmethod
    def printed(cls) -> SMEShare:
        """The seed's (2.32): ``k = 0.01938``, ``b = 0.5118`` from 2021.

        Returns
        -------
        SMEShare

        Examples
        --------
        >>> m = SMEShare.printed()
        >>> m.k, m.shift, m.shift_year
        (0.01938, 0.5118, 2021)
        """
        c = qinghai_constants()
        return cls(c["sme_k"], c["sme_shift"])

    @classmethod
    def fit(cls, sme_share: Any, covered: Any, *, shift_year: int = 2021) -> FitResult:
        """Nonnegative least squares of ``-ln(1 - ms_t)`` on ``P^i_{t-1}`` and the shift dummy.

        Years enter when both ``ms_t`` and ``P^i_{t-1}`` are known.

        Parameters
        ----------
        sme_share : pandas.Series
            SME share of refund-eligible contributions, fractions in (0, 1), year-indexed.
        covered : pandas.Series
            Covered persons (万人), year-indexed.
        shift_year : int, keyword-only
            First year of the shift dummy.

        Returns
        -------
        FitResult
            ``params`` ``k`` and ``shift``; ``process`` the fitted :class:`SMEShare`.

        Raises
        ------
        fund.errors.FitError
            Fewer than 3 usable years or shares outside (0, 1).

        Examples
        --------
        >>> from fund.data import qinghai
        >>> d = qinghai()
        >>> fit = SMEShare.fit(d["sme_share_pct"] / 100, d["covered_10k"])
        >>> list(fit.params.index)
        ['k', 'shift']
        """
        if not (isinstance(sme_share, pd.Series) and isinstance(covered, pd.Series)):
            raise FitError("sme share: pass year-indexed pandas Series (the lag needs years)")
        lagged = covered.copy()
        lagged.index = lagged.index + 1
        frame = align(share=sme_share, covered_prev=lagged)
        if len(frame) < 3:
            raise FitError(f"sme share: needs at least 3 years with ms_t and P^i_(t-1), "
                           f"got {len(frame)}")
        ms = frame["share"].to_numpy()
        if np.any((ms <= 0) | (ms >= 1)):
            raise FitError("sme share: every share must lie in (0, 1) (fractions, not %)")
        years = np.asarray(frame.index, dtype=int)
        z = -np.log1p(-ms)
        dummy = (years >= shift_year).astype(float)
        X = np.column_stack([frame["covered_prev"].to_numpy(), -dummy])
        coef, _ = optimize.nnls(X, z)
        resid = z - X @ coef
        dof = max(len(z) - 2, 0)
        s = float(np.sqrt(resid @ resid / dof)) if dof else 0.0
        se = np.full(2, np.inf)
        if dof and np.linalg.matrix_rank(X) == 2:
            se = np.sqrt(np.diag(s**2 * np.linalg.inv(X.T @ X)))
        if coef[0] <= 0:
            raise FitError("sme share: the constrained fit gives k = 0 (share not rising)")
        model = cls(float(coef[0]), float(coef[1]), shift_year, s)
        idx = pd.Index(years, name="year")
        return FitResult(
            process=model,
            params=pd.Series(coef, index=["k", "shift"], name="estimate"),
            std_errors=pd.Series(se, index=["k", "shift"], name="std_error"),
            nobs=len(z),
            resid_sd=s,
            actual=pd.Series(ms, index=idx, name="sme_share"),
            fitted=pd.Series(-np.expm1(-(X @ coef)), index=idx, name="fitted"),
            sample=tuple(int(y) for y in years),
            notes="NNLS of -ln(1 - ms_t) on P^i_{t-1} and -1[t >= shift_year]",
        )

    def forecast(self, covered_prev: Any, years: Any) -> FloatArray:
        """Share for each year from the previous year's covered persons (broadcast).

        Parameters
        ----------
        covered_prev : float or array-like
            Covered persons the year before (万人), >= 0.
        years : int or array-like
            The calendar years (the shift applies from ``shift_year`` on).

        Returns
        -------
        numpy.ndarray
            ``1 - exp(-(k * covered_prev - shift * [year >= shift_year]))``.

        Raises
        ------
        fund.errors.FundParameterError
            A negative or non-finite ``covered_prev``.

        Examples
        --------
        >>> SMEShare(0.02).forecast([10.0, 20.0], [2020, 2021]).round(4).tolist()
        [0.1813, 0.3297]
        """
        p = array("covered_prev", covered_prev, nonneg=True)
        t = np.asarray(years)
        z = self.k * p - self.shift * (t >= self.shift_year)
        return np.asarray(np.clip(-np.expm1(-z), 0.0, 1.0))

    def simulate(self, covered_prev: Any, years: Any, n_paths: int, *, rng: RngLike = None
                 ) -> FloatArray:
        """Simulated shares, shape ``(n_paths, n_years)``.

        With ``sigma > 0`` a Gaussian error is added on the linearised scale ``-ln(1 - ms)``.

        Parameters
        ----------
        covered_prev : array-like
            Covered persons the year before (万人), ``(n_years,)`` or ``(n_paths, n_years)``.
        years : array-like
            The calendar years, ``(n_years,)``.
        n_paths : int
            Number of paths, >= 1.
        rng : numpy.random.Generator, int or None, keyword-only
            Source of randomness.

        Returns
        -------
        numpy.ndarray
            Shape ``(n_paths, n_years)``.

        Raises
        ------
        fund.errors.FundParameterError
            A bad count or input shape.

        Examples
        --------
        >>> SMEShare(0.02, sigma=0.05).simulate([10.0, 20.0], [2020, 2021], 3, rng=0).shape
        (3, 2)
        """
        m = count("n_paths", n_paths)
        p = array("covered_prev", covered_prev, nonneg=True)
        if p.ndim == 1:
            p = np.broadcast_to(p, (m, p.size))
        if p.ndim != 2 or p.shape[0] != m:
            raise FundParameterError("covered_prev", p.shape,
                                     f"must be (n_years,) or ({m}, n_years)")
        t = np.asarray(years)
        z = self.k * p - self.shift * (t >= self.shift_year)
        if self.sigma > 0:
            z = z + self.sigma * as_generator(rng).standard_normal(z.shape)
        return np.asarray(np.clip(-np.expm1(-z), 0.0, 1.0))
