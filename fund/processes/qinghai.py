"""Fit every chapter-2 process to the packaged Qinghai data in one call.

>>> import warnings
>>> with warnings.catch_warnings(record=True) as caught:
...     warnings.simplefilter("always")
...     fits = fit_all()
>>> sorted({type(w.message).__name__ for w in caught})   # kappa of several CIRs: nine points
['IdentificationWarning']
>>> sorted(fits)[:3]
['benefit', 'coverage', 'employment_total']
>>> round(float(fits["sme_share"].params["k"]), 5)
0.01938
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from fund.data import qinghai
from fund.processes.benefit import BenefitAdjustment
from fund.processes.coverage import Coverage
from fund.processes.employment import LogisticEmployment
from fund.processes.gdp import GDPTrendAR2
from fund.processes.ratios import RATIOS, fit_ratio
from fund.processes.sme import SMEShare
from fund.processes.wage import WageLink

__all__ = ["fit_all"]


def fit_all(data: pd.DataFrame | None = None) -> dict[str, Any]:
    """Fit result of every process on ``data`` (default :func:`fund.data.qinghai`).

    Parameters
    ----------
    data : pandas.DataFrame, optional
        Year-indexed data with the columns of :func:`fund.data.qinghai`.

    Returns
    -------
    dict of str to fit result
        Keys: ``gdp``, ``wage``, ``employment_urban``, ``employment_total``, ``benefit``,
        ``coverage``, ``sme_share`` and the four CIR ratios of :data:`fund.processes.RATIOS`.
        Each value has ``params``, ``std_errors``, ``actual`` and ``fitted``.

    Raises
    ------
    fund.errors.FitError
        A process cannot be fitted on ``data``.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     fits = fit_all()
    >>> sorted(fits)[:3]
    ['benefit', 'coverage', 'employment_total']
    """
    df = qinghai() if data is None else data
    fits: dict[str, Any] = {
        "gdp": GDPTrendAR2.fit(df["gdp_100m_yuan"].dropna()),
        "wage": WageLink.fit(df["gdp_100m_yuan"], df["employment_total_10k"],
                             df["urban_wage_yuan"]),
        "employment_urban": LogisticEmployment.fit(df["employment_urban_10k"]),
        "employment_total": LogisticEmployment.fit(df["employment_total_10k"]),
        "benefit": BenefitAdjustment.fit(df["monthly_benefit_yuan"],
                                         df["urban_monthly_wage_yuan"]),
        "coverage": Coverage.fit(df["covered_10k"], df["employment_urban_10k"]),
        "sme_share": SMEShare.fit(df["sme_share_pct"] / 100.0, df["covered_10k"]),
    }
    for name in RATIOS:
        fits[name] = fit_ratio(name, df)
    return fits
