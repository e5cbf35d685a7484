r"""Coverage dynamics (2.25): how many of the urban employed are insured.

.. math:: P^i_t - P^i_{t-1} = (P^c_t - P^c_{t-1})(I_{t-1} + E)
          + (P^c_{t-1} - P^i_{t-1})E,\qquad I_t = P^i_t / P^c_t

New urban jobs are insured at last year's rate plus :math:`E`, and a share :math:`E` of
last year's uninsured join.  :math:`E` is estimated by OLS without intercept
(``y = E x`` with :math:`y = \Delta P^i_t - \Delta P^c_t I_{t-1}`,
:math:`x = \Delta P^c_t + P^c_{t-1} - P^i_{t-1} = P^c_t - P^i_{t-1}`).
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
    nonnegative,
    ols,
    positive,
    probability,
)
from fund.processes._results import FitResult

__all__ = ["Coverage"]


@dataclass(frozen=True)
class Coverage:
    """Recursion (2.25) for covered persons (万人) given urban employment (万人).

    Parameters
    ----------
    e : float
        Yearly take-up share ``E`` in [0, 1].
    sigma : float
        S.d. of a Gaussian error on each year's change (万人), >= 0.

    Examples
    --------
    >>> Coverage(0.05).forecast(40.0, [100.0, 110.0]).round(3).tolist()
    [40.0, 47.5]
    """

    e: float
    sigma: float = 0.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "e", probability("e", self.e))
        object.__setattr__(self, "sigma", nonnegative("sigma", self.sigma))

    @classmethod
    def printed(cls) -> Coverage:
        """The seed's printed ``E = 4.88618%`` (2.25).

        ``sigma`` = root-mean-square one-step error of the printed ``E`` over 2020–2022 (the
        seed prints none).

        Returns
        -------
        Coverage

        Examples
        --------
        >>> Coverage.printed().e
        0.0488618
        """
        e = qinghai_constants()["coverage_e"]
        d = qinghai()
        y, x, _ = _design(d["covered_10k"], d["employment_urban_10k"], first=2020)
        return cls(e, float(np.sqrt(np.mean((y - e * x) ** 2))))

    @classmethod
    def fit(cls, covered: Any, urban: Any, *, first: int | None = 2020) -> FitResult:
        """OLS estimate of ``E`` from year-indexed covered and urban-employment series.

        Parameters
        ----------
        covered : pandas.Series
            Covered persons (万人), year-indexed.
        urban : pandas.Series
            Urban employment (万人), year-indexed.
        first : int or None, keyword-only
            The first year whose change enters.  Default 2020: the seed fits "the four years
            2019–2022 of data", i.e. the three changes to 2020, 2021 and 2022, and says ``E``
            applies after 2019; that sample reproduces its ``E = 4.88618%``.  ``None`` uses
            every change.

        Returns
        -------
        FitResult
            ``params`` ``e``; ``process`` the fitted :class:`Coverage`.

        Raises
        ------
        fund.errors.FitError
            Fewer than 2 usable changes, or covered above employment.

        Examples
        --------
        >>> from fund.data import qinghai
        >>> d = qinghai()
        >>> round(float(Coverage.fit(d["covered_10k"], d["employment_urban_10k"]).params["e"]), 7)
        0.0488618
        """
        y, x, years = _design(covered, urban, first=first)
        beta, se, s = ols(y, x[:, None])
        frame = align(covered=covered, urban=urban)
        prev = frame.loc[[yr - 1 for yr in years]]
        fitted = prev["covered"].to_numpy() + (frame.loc[years, "urban"].to_numpy()
                                              - prev["urban"].to_numpy()) * (
            prev["covered"].to_numpy() / prev["urban"].to_numpy()) + beta[0] * x
        idx = pd.Index(years, name="year")
        return FitResult(
            process=cls(float(np.clip(beta[0], 0.0, 1.0)), s),
            params=pd.Series(beta, index=["e"], name="estimate"),
            std_errors=pd.Series(se, index=["e"], name="std_error"),
            nobs=len(years),
            resid_sd=s,
            actual=pd.Series(frame.loc[years, "covered"].to_numpy(), index=idx, name="covered"),
            fitted=pd.Series(fitted, index=idx, name="fitted"),
            sample=tuple(years),
            notes="OLS through the origin of y = dP^i - dP^c I_{t-1} on x = P^c_t - P^i_{t-1}",
        )

    def forecast(self, covered0: Any, urban: Any) -> FloatArray:
        """Covered persons along an urban-employment path.

        Parameters
        ----------
        covered0 : float
            Covered persons in the starting year (万人), >= 0.
        urban : array-like
            Urban employment (万人), shape ``(n_steps + 1,)`` with the starting year first.

        Returns
        -------
        numpy.ndarray
            Same shape as ``urban``, starting at ``covered0``; capped at employment.

        Raises
        ------
        fund.errors.FundParameterError
            A negative or non-finite input.

        Examples
        --------
        >>> Coverage(0.05).forecast(40.0, [100.0, 110.0]).round(3).tolist()
        [40.0, 47.5]
        """
        path: FloatArray = self._run(covered0, urban, 1, None)[0]
        return path

    def simulate(
        self, covered0: Any, urban: Any, n_paths: int, *, rng: RngLike = None
    ) -> FloatArray:
        """Paths of covered persons, shape ``(n_paths, n_steps + 1)``.

        Parameters
        ----------
        covered0 : float
            Covered persons in the starting year (万人), >= 0.
        urban : array-like
            ``(n_steps + 1,)`` or ``(n_paths, n_steps + 1)`` (e.g. simulated employment paths).
        n_paths : int
            Number of paths, >= 1.
        rng : numpy.random.Generator, int or None, keyword-only
            Source of randomness; ``sigma > 0`` adds a Gaussian error to each year's change.

        Returns
        -------
        numpy.ndarray
            Shape ``(n_paths, n_steps + 1)``.

        Raises
        ------
        fund.errors.FundParameterError
            A bad count or input shape.

        Examples
        --------
        >>> Coverage(0.05, sigma=0.1).simulate(40.0, [100.0, 110.0, 120.0], 4, rng=0).shape
        (4, 3)
        """
        m = count("n_paths", n_paths)
        return self._run(covered0, urban, m, as_generator(rng) if self.sigma > 0 else None)

    def _run(self, covered0: Any, urban: Any, m: int, gen: np.random.Generator | None
             ) -> FloatArray:
        c = array("urban", urban, positive_=True)
        if c.ndim == 1:
            c = np.broadcast_to(c, (m, c.size))
        if c.ndim != 2 or c.shape[0] != m:
            raise FundParameterError("urban", c.shape, f"must be (n_steps+1,) or ({m}, n_steps+1)")
        p0 = positive("covered0", covered0)
        out = np.empty(c.shape)
        out[:, 0] = p0
        for k in range(1, c.shape[1]):
            prev_i, prev_c, cur_c = out[:, k - 1], c[:, k - 1], c[:, k]
            step = (cur_c - prev_c) * (prev_i / prev_c + self.e) + (prev_c - prev_i) * self.e
            if gen is not None:
                step = step + self.sigma * gen.standard_normal(m)
            out[:, k] = np.clip(prev_i + step, 0.0, cur_c)
        return out


def _design(covered: Any, urban: Any, *, first: int | None) -> tuple[FloatArray, FloatArray,
                                                                       list[int]]:
    frame = align(covered=covered, urban=urban)
    if np.any(frame["covered"] > frame["urban"]):
        bad = frame.index[frame["covered"] > frame["urban"]][0]
        raise FitError(f"coverage: year {bad}: covered persons exceed urban employment")
    years = [int(y) for y in frame.index if (y - 1) in frame.index
             and (first is None or y >= first)]
    if len(years) < 2:
        raise FitError(f"coverage: needs at least 2 consecutive-year changes, got {len(years)}")
    cur = frame.loc[years]
    prev = frame.loc[[y - 1 for y in years]]
    pi, pc = prev["covered"].to_numpy(), prev["urban"].to_numpy()
    ci, cc = cur["covered"].to_numpy(), cur["urban"].to_numpy()
    y = (ci - pi) - (cc - pc) * (pi / pc)
    x = cc - pi
    return y, x, years
