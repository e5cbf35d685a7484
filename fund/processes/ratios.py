"""The CIR-driven ratios of seed 002.

(2.26) recipient ratio, (2.28) months paid, (2.33) non-eligible share, and (2.23) the
replacement rate.

Each is a plain :class:`fund.CIR` in the seed's own unit:

=====================  ======================  ==========  =========================
name                   data column             unit        seed equation
=====================  ======================  ==========  =========================
``recipient_ratio``    recipient_ratio_pct     percent     (2.26), 2018–2022
``months_paid``        months_paid             months      (2.28), 2018–2022
``non_eligible_share`` non_eligible_share_pct  fraction    (2.33), 2018–2022
``replacement_rate``   replacement_rate_pct    fraction    (2.23), 2014–2022
=====================  ======================  ==========  =========================

>>> sorted(RATIOS)
['months_paid', 'non_eligible_share', 'recipient_ratio', 'replacement_rate']
>>> round(printed_ratio("recipient_ratio").theta, 4)     # a / kappa = 27.66 / 17.61
1.5709
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from fund.data import qinghai, qinghai_constants
from fund.errors import FundParameterError
from fund.processes.cir import CIR, CIRFit

__all__ = ["RATIOS", "RatioSpec", "fit_ratio", "printed_ratio", "ratio_series"]


@dataclass(frozen=True)
class RatioSpec:
    """Where a ratio comes from: data column, scale to the model unit, years, constants."""

    column: str
    scale: float
    first: int
    last: int
    constant_prefix: str
    unit: str


RATIOS: dict[str, RatioSpec] = {
    "recipient_ratio": RatioSpec("recipient_ratio_pct", 1.0, 2018, 2022, "recipient_ratio",
                                 "percent of covered persons"),
    "months_paid": RatioSpec("months_paid", 1.0, 2018, 2022, "months_paid", "months"),
    "non_eligible_share": RatioSpec("non_eligible_share_pct", 0.01, 2018, 2022,
                                    "non_eligible", "fraction"),
    "replacement_rate": RatioSpec("replacement_rate_pct", 0.01, 2014, 2022, "replacement",
                                  "fraction"),
}


def _spec(name: str) -> RatioSpec:
    if name not in RATIOS:
        raise FundParameterError("name", name, f"must be one of {sorted(RATIOS)}")
    return RATIOS[name]


def printed_ratio(name: str) -> CIR:
    """The seed's printed CIR for ``name``.

    ``theta = a / kappa`` from the printed drift ``(a - kappa x)`` and
    ``sigma = |printed sigma|`` ((2.33) prints a negative one).

    Parameters
    ----------
    name : str
        A key of :data:`RATIOS`.

    Returns
    -------
    fund.CIR

    Raises
    ------
    fund.errors.FundParameterError
        An unknown ``name``.

    Examples
    --------
    >>> printed_ratio("non_eligible_share").sigma > 0
    True
    """
    s = _spec(name)
    c = qinghai_constants()
    kappa = c[f"{s.constant_prefix}_kappa"]
    return CIR(kappa, c[f"{s.constant_prefix}_a"] / kappa, abs(c[f"{s.constant_prefix}_sigma"]))


def ratio_series(name: str, data: pd.DataFrame | None = None) -> pd.Series:
    """The observed series of ``name`` in its model unit over the seed's sample years.

    Parameters
    ----------
    name : str
        A key of :data:`RATIOS`.
    data : pandas.DataFrame, optional
        The data (default :func:`fund.data.qinghai`).

    Returns
    -------
    pandas.Series
        Year-indexed, named ``name``.

    Raises
    ------
    fund.errors.FundParameterError
        An unknown ``name``.

    Examples
    --------
    >>> ratio_series("months_paid").index.tolist()
    [2018, 2019, 2020, 2021, 2022]
    """
    s = _spec(name)
    df = qinghai() if data is None else data
    return (df.loc[s.first:s.last, s.column].dropna() * s.scale).rename(name)


def fit_ratio(name: str, data: pd.DataFrame | None = None, *,
              kappa_max: float | None = None) -> CIRFit:
    """Maximum-likelihood CIR fit of ``name`` on its sample (yearly, ``dt = 1``).

    With five yearly points and fast reversion only the stationary law is identified
    (``theta`` and ``theta * sigma**2 / (2 kappa)``); see :meth:`fund.CIR.fit`.

    Parameters
    ----------
    name : str
        A key of :data:`RATIOS`.
    data : pandas.DataFrame, optional
        The data (default :func:`fund.data.qinghai`).
    kappa_max : float, optional, keyword-only
        Upper end of the search range for ``kappa``.

    Returns
    -------
    fund.CIRFit

    Raises
    ------
    fund.errors.FundParameterError
        An unknown ``name``.
    fund.errors.FitError
        The sample cannot be fitted (:meth:`fund.CIR.fit`).

    Warns
    -----
    fund.processes.IdentificationWarning
        When ``kappa`` is not identified.

    Examples
    --------
    >>> fit = fit_ratio("replacement_rate")
    >>> fit.nobs, bool(fit.params["theta"] > 0)
    (8, True)
    """
    return CIR.fit(ratio_series(name, data), 1.0, kappa_max=kappa_max)
