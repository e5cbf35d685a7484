r"""The yearly benefit adjustment (2.21)–(2.24).

The monthly benefit :math:`S_t` is reset in a year with probability :math:`p`
(a jump of the counting process :math:`N`), and when reset it becomes the replacement rate
times the monthly wage, :math:`S_t = R_t W_t`; otherwise :math:`S_t = S_{t-1}`.  The
replacement rate follows a CIR process (2.23).

With :math:`P\{\text{no change in } t\} = e^{-\lambda t}` the frequency estimate over
2014–2022 (4 changes in 8 years) is :math:`p = 0.5`, :math:`\lambda = \ln 2 = 0.6931`;
the seed prints :math:`e^{\lambda t}` with :math:`\lambda = -0.6931` (same number, sign
moved).  The expected benefit is recursive,

.. math:: E[S_t] = p\,E[R_t]W_t + (1-p)\,E[S_{t-1}],

which equals the seed's (2.24) :math:`0.5R_{t-1}W_{t-1} + 0.5R_tW_t` only when
:math:`S_{t-1} = R_{t-1}W_{t-1}` (the previous year was a reset year).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from fund.data import qinghai_constants
from fund.errors import FitError, FundParameterError
from fund.processes._common import (
    FloatArray,
    RngLike,
    align,
    array,
    as_generator,
    count,
    positive,
    probability,
)
from fund.processes._results import FitResult
from fund.processes.cir import CIR

__all__ = ["BenefitAdjustment"]


@dataclass(frozen=True)
class BenefitAdjustment:
    """Jump-reset monthly benefit with a CIR replacement rate.

    Parameters
    ----------
    jump_prob : float
        Probability ``p`` in [0, 1] that the benefit is reset in a given year.
    replacement : CIR
        Process of the replacement rate ``R_t`` (a fraction).

    Examples
    --------
    >>> m = BenefitAdjustment(0.5, CIR(17.8, 0.2, 0.33))
    >>> round(m.lam, 4)
    0.6931
    >>> m.forecast(1530.0, 0.19, [8029.0, 8272.6]).round(1).tolist()
    [1530.0, 1592.3]
    """

    jump_prob: float
    replacement: CIR

    def __post_init__(self) -> None:
        object.__setattr__(self, "jump_prob", probability("jump_prob", self.jump_prob))
        if not isinstance(self.replacement, CIR):
            raise FundParameterError("replacement", self.replacement, "must be a fund.CIR")

    @property
    def lam(self) -> float:
        """Intensity ``λ = -ln(1 - p)`` of the yearly reset (``inf`` when ``p = 1``)."""
        return math.inf if self.jump_prob == 1.0 else -math.log1p(-self.jump_prob)

    @classmethod
    def printed(cls) -> BenefitAdjustment:
        """``λ = 0.6931`` (printed ``−0.6931``, see module note) and the CIR (2.23).

        Returns
        -------
        BenefitAdjustment

        Examples
        --------
        >>> round(BenefitAdjustment.printed().jump_prob, 4)
        0.5
        """
        c = qinghai_constants()
        lam = abs(c["benefit_jump_lambda"])
        k = c["replacement_kappa"]
        rr = CIR(k, c["replacement_a"] / k, abs(c["replacement_sigma"]))
        return cls(-math.expm1(-lam), rr)

    @classmethod
    def fit(cls, benefit: Any, monthly_wage: Any, *, cir_kappa_max: float | None = None
            ) -> FitResult:
        """Frequency estimate of ``p`` and maximum likelihood of the replacement-rate CIR.

        ``p`` is the share of consecutive years in which the benefit changed, the CIR is
        fitted to ``benefit / monthly_wage`` over the same years.

        Parameters
        ----------
        benefit : pandas.Series
            Average monthly benefit (元/month), year-indexed.
        monthly_wage : pandas.Series
            Average monthly wage (元/month), year-indexed.
        cir_kappa_max : float, optional, keyword-only
            Upper end of the search range of the CIR's ``kappa`` (:meth:`fund.CIR.fit`).

        Returns
        -------
        FitResult
            ``params`` ``jump_prob, kappa, theta, sigma``; ``process`` the fitted model.

        Raises
        ------
        fund.errors.FitError
            Fewer than 4 common years or non-positive values.

        Examples
        --------
        >>> from fund.data import qinghai
        >>> d = qinghai()
        >>> fit = BenefitAdjustment.fit(d["monthly_benefit_yuan"], d["urban_monthly_wage_yuan"])
        >>> fit.nobs, float(fit.params["jump_prob"])
        (8, 0.5)
        """
        frame = align(benefit=benefit, wage=monthly_wage)
        if len(frame) < 4:
            raise FitError(f"benefit adjustment: needs at least 4 years, got {len(frame)}")
        if np.any(frame.to_numpy() <= 0):
            raise FitError("benefit adjustment: benefits and wages must be > 0")
        s = frame["benefit"].to_numpy()
        changes = np.diff(s) != 0
        p = float(np.mean(changes))
        rate = frame["benefit"] / frame["wage"]
        cir_fit = CIR.fit(rate, 1.0, kappa_max=cir_kappa_max)
        model = cls(p, cir_fit.process)
        se_p = math.sqrt(p * (1 - p) / changes.size) if 0 < p < 1 else math.inf
        params = pd.concat([pd.Series({"jump_prob": p}), cir_fit.params.rename(None)])
        ses = pd.concat([pd.Series({"jump_prob": se_p}), cir_fit.std_errors.rename(None)])
        fitted = np.concatenate([[s[0]], model.forecast(s[0], rate.iloc[0],
                                                        frame["wage"].to_numpy())[1:]])
        return FitResult(
            process=model,
            params=params.rename("estimate"),
            std_errors=ses.rename("std_error"),
            nobs=int(changes.size),
            resid_sd=float(np.std(s - fitted, ddof=0)),
            actual=frame["benefit"].rename("benefit"),
            fitted=pd.Series(fitted, index=frame.index, name="fitted"),
            sample=tuple(int(y) for y in frame.index),
            notes="p = share of years with a change; CIR by ML on benefit / monthly wage; "
                  "fitted = expected path from the first year",
        )

    def forecast(self, benefit0: Any, rate0: Any, monthly_wage: Any) -> FloatArray:
        """Expected benefit ``E[S_t] = p E[R_t] W_t + (1 - p) E[S_{t-1}]``.

        Parameters
        ----------
        benefit0 : float
            Benefit in the starting year (元/month), > 0.
        rate0 : float
            Replacement rate in the starting year (a fraction), >= 0.
        monthly_wage : array-like
            Monthly wage (元), shape ``(n_steps + 1,)`` with the starting year first.

        Returns
        -------
        numpy.ndarray
            Same shape as ``monthly_wage``, starting at ``benefit0``.

        Raises
        ------
        fund.errors.FundParameterError
            A value out of range.

        Examples
        --------
        >>> m = BenefitAdjustment(0.5, CIR(17.8, 0.2, 0.33))
        >>> m.forecast(1530.0, 0.19, [8029.0, 8272.6]).round(1).tolist()
        [1530.0, 1592.3]
        """
        w = array("monthly_wage", monthly_wage, positive_=True)
        s0 = positive("benefit0", benefit0)
        r = self.replacement.forecast(rate0, w.size - 1)
        out = np.empty(w.size)
        out[0] = s0
        for k in range(1, w.size):
            out[k] = self.jump_prob * r[k] * w[k] + (1 - self.jump_prob) * out[k - 1]
        return out

    def simulate(
        self, benefit0: Any, rate0: Any, monthly_wage: Any, n_paths: int, *, rng: RngLike = None
    ) -> FloatArray:
        """Benefit paths, shape ``(n_paths, n_steps + 1)``.

        Each year a uniform draw decides the reset and the replacement rate takes one exact
        CIR step.

        Parameters
        ----------
        benefit0 : float
            Benefit in the starting year (元/month), > 0.
        rate0 : float
            Replacement rate in the starting year (a fraction), > 0.
        monthly_wage : array-like
            Monthly wage (元), ``(n_steps + 1,)`` or ``(n_paths, n_steps + 1)``.
        n_paths : int
            Number of paths, >= 1.
        rng : numpy.random.Generator, int or None, keyword-only
            Source of randomness.

        Returns
        -------
        numpy.ndarray
            Shape ``(n_paths, n_steps + 1)``.

        Raises
        ------
        fund.errors.FundParameterError
            A value out of range or a ``monthly_wage`` of the wrong shape.

        Examples
        --------
        >>> m = BenefitAdjustment(0.5, CIR(17.8, 0.2, 0.33))
        >>> m.simulate(1530.0, 0.19, [8029.0, 8272.6, 8500.0], 4, rng=0).shape
        (4, 3)
        """
        return self.simulate_with_rate(benefit0, rate0, monthly_wage, n_paths, rng=rng)[0]

    def simulate_with_rate(
        self, benefit0: Any, rate0: Any, monthly_wage: Any, n_paths: int, *, rng: RngLike = None
    ) -> tuple[FloatArray, FloatArray]:
        """Benefit and replacement-rate paths, each ``(n_paths, n_steps + 1)``.

        Parameters
        ----------
        benefit0 : float
            Benefit in the starting year (元/month), > 0.
        rate0 : float
            Replacement rate in the starting year (a fraction), > 0.
        monthly_wage : array-like
            Monthly wage (元), ``(n_steps + 1,)`` or ``(n_paths, n_steps + 1)``.
        n_paths : int
            Number of paths, >= 1.
        rng : numpy.random.Generator, int or None, keyword-only
            Source of randomness.

        Returns
        -------
        benefit, rate : numpy.ndarray
            Each of shape ``(n_paths, n_steps + 1)``.

        Raises
        ------
        fund.errors.FundParameterError
            A value out of range or a ``monthly_wage`` of the wrong shape.

        Examples
        --------
        >>> m = BenefitAdjustment(1.0, CIR(17.8, 0.2, 0.33))
        >>> s, r = m.simulate_with_rate(1530.0, 0.19, [8029.0, 8272.6], 2, rng=0)
        >>> bool(np.allclose(s[:, 1], r[:, 1] * 8272.6))      # p = 1: reset every year
        True
        """
        m = count("n_paths", n_paths)
        w = array("monthly_wage", monthly_wage, positive_=True)
        if w.ndim == 1:
            w = np.broadcast_to(w, (m, w.size))
        if w.ndim != 2 or w.shape[0] != m:
            raise FundParameterError("monthly_wage", w.shape,
                                     f"must be (n_steps+1,) or ({m}, n_steps+1)")
        s0 = positive("benefit0", benefit0)
        r0 = positive("rate0", rate0)
        gen = as_generator(rng)
        n = w.shape[1]
        s = np.empty((m, n))
        r = np.empty((m, n))
        s[:, 0], r[:, 0] = s0, r0
        for k in range(1, n):
            r[:, k] = self.replacement.step(r[:, k - 1], 1.0, gen)
            jump = gen.random(m) < self.jump_prob
            s[:, k] = np.where(jump, r[:, k] * w[:, k], s[:, k - 1])
        return s, r
