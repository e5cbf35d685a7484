"""The frozen fit result shared by the regression-type processes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from scipy import special

from fund.errors import FundParameterError


def wald_intervals(params: pd.Series, std_errors: pd.Series, level: float = 0.95
                   ) -> pd.DataFrame:
    """Wald confidence intervals ``estimate ± z * std_error`` at ``level``."""
    if not 0.0 < level < 1.0:
        raise FundParameterError("level", level, "must be in (0, 1)")
    z = float(special.ndtri(0.5 + level / 2.0))
    return pd.DataFrame({"lower": params - z * std_errors, "upper": params + z * std_errors})


@dataclass(frozen=True)
class FitResult:
    """Estimates of one process fitted to a year-indexed sample.

    Attributes
    ----------
    process : object
        The fitted process (same class as the one whose ``fit`` was called).
    params, std_errors : pandas.Series
        Estimates and standard errors by parameter name (``inf`` where the sample does
        not determine the precision, e.g. as many observations as parameters).
    nobs : int
        Observations used.
    resid_sd : float
        Residual standard deviation of the fitted equation (degrees-of-freedom corrected).
    actual, fitted : pandas.Series
        The modelled series over the sample and the model's one-step fitted values
        (year-indexed where the input was), for fitted-vs-actual figures.
    sample : tuple of int
        Years (or positions) used.
    notes : str
        How the estimate was made and what differs from the seed.

    Examples
    --------
    >>> from fund.data import qinghai
    >>> from fund.processes import Coverage
    >>> d = qinghai()
    >>> fit = Coverage.fit(d["covered_10k"], d["employment_urban_10k"])
    >>> fit.nobs, fit.sample, type(fit.process).__name__
    (3, (2020, 2021, 2022), 'Coverage')
    """

    process: Any
    params: pd.Series
    std_errors: pd.Series
    nobs: int
    resid_sd: float
    actual: pd.Series
    fitted: pd.Series
    sample: tuple[int, ...] = ()
    notes: str = field(default="", repr=False)

    def conf_int(self, level: float = 0.95) -> pd.DataFrame:
        """Wald confidence intervals ``estimate ± z * std_error``.

        Parameters
        ----------
        level : float
            Coverage in ``(0, 1)``.

        Returns
        -------
        pandas.DataFrame
            Index the parameter names; columns ``lower``, ``upper``.

        Raises
        ------
        fund.errors.FundParameterError
            ``level`` not in ``(0, 1)``.

        Examples
        --------
        >>> from fund.data import qinghai
        >>> from fund.processes import WageLink
        >>> d = qinghai()
        >>> fit = WageLink.fit(d["gdp_100m_yuan"], d["employment_total_10k"], d["urban_wage_yuan"])
        >>> ci = fit.conf_int(0.9)
        >>> list(ci.columns), bool((ci["lower"] < fit.params).all())
        (['lower', 'upper'], True)
        """
        return wald_intervals(self.params, self.std_errors, level)

    def to_frame(self) -> pd.DataFrame:
        """Estimates and standard errors as one table.

        Returns
        -------
        pandas.DataFrame
            Index the parameter names; columns ``estimate``, ``std_error``.

        Examples
        --------
        >>> from fund.data import qinghai
        >>> from fund.processes import Coverage
        >>> d = qinghai()
        >>> Coverage.fit(d["covered_10k"], d["employment_urban_10k"]).to_frame().round(7)
           estimate  std_error
        e  0.048862   0.007925
        """
        return pd.DataFrame({"estimate": self.params, "std_error": self.std_errors})

    def __repr__(self) -> str:
        body = ", ".join(f"{k}={v:.6g}" for k, v in self.params.items())
        return f"FitResult[{type(self.process).__name__}]({body}, nobs={self.nobs})"
