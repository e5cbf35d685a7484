"""Driver tables for the deterministic projection of the Qinghai fund.

Two scenarios, both returned as a :class:`Scenario` (a year-indexed driver table plus
the opening values of the year before):

* :func:`printed_scenario` -- the seed's own printed chapter-2 forecasts for 2023–2027
  (tables 1, 4, 6, 7, 8), exactly the inputs of its chapter-3 tables;
* :func:`expected_scenario` -- an expected path for any horizon from the actuals and the
  printed process coefficients: wage and urban employment on their trends, coverage by
  the recursion (2.25), the CIR-driven ratios at their conditional means, the benefit by
  (2.24), the SME share by (2.32).  See ``docs/explanation/fund-model.md``.

>>> s = printed_scenario()
>>> s.drivers.index.tolist()
[2023, 2024, 2025, 2026, 2027]
>>> round(float(s.run().to_frame().loc[2023, "income"]), 4)
6.655
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from fund.data import qinghai, qinghai_constants, qinghai_printed
from fund.errors import DataError, FundParameterError, HorizonError
from fund.projection import Projection, project

__all__ = [
    "DEFAULT_INTEREST_RATE",
    "Scenario",
    "collection_rate",
    "expected_scenario",
    "printed_scenario",
]

#: Default interest credited on the reserve: the People's Bank of China benchmark rate on
#: 3-month time deposits, 1.10% a year since 24 October 2015 (the seed keeps its reserve
#: for extra spending in 3-month fixed deposits).
DEFAULT_INTEREST_RATE = 0.011

_FUND_YEARS = (2018, 2022)


@dataclass(frozen=True)
class Scenario:
    """Drivers and opening values for :func:`fund.projection.project`.

    Attributes
    ----------
    name : str
    drivers : pandas.DataFrame
        Year-indexed, one column per driver of :data:`fund.projection.DRIVERS`.
    opening : dict
        ``opening_reserve``, ``opening_income``, ``opening_medical``, ``opening_skills``
        (亿元, the year before the first row) and the (1.2) coefficients.
    data_end : int
        Last year of actual data.
    notes : dict
        Where each driver comes from.
    """

    name: str
    drivers: pd.DataFrame
    opening: dict[str, float]
    data_end: int
    notes: dict[str, str] = field(default_factory=dict)

    def run(self) -> Projection:
        """Project this scenario deterministically."""
        return project(self.drivers, data_end=self.data_end, **self.opening)


def collection_rate(data: pd.DataFrame | None = None) -> float:
    """Mean collection rate (collected / due contributions) over 2018–2022.

    >>> round(collection_rate(), 6)    # the seed prints 95.30314%
    0.953031
    """
    df = qinghai() if data is None else data
    rows = df.loc[_FUND_YEARS[0]:_FUND_YEARS[1]]
    ratio = rows["income_collected_100m_yuan"] / rows["contribution_due_100m_yuan"]
    if ratio.isna().any() or len(ratio) == 0:
        raise DataError("collection rate: income_collected_100m_yuan and "
                        "contribution_due_100m_yuan must be reported for 2018-2022")
    return float(ratio.mean())


def printed_scenario(n_years: int = 5, *, opening_reserve: float = 0.0,
                     interest_rate: float = DEFAULT_INTEREST_RATE,
                     benefit: str = "announced") -> Scenario:
    """The seed's printed 2023–2027 driver forecasts (its chapter-3 inputs).

    Monthly benefit: the 2023 standard announced in table 4 (1692 元) replaces the
    2023 forecast and is kept while the printed forecast does not jump (2024), as the
    seed's table 10 does; later years take the printed forecast.  Recipients are the
    printed ``P^r_t`` (the ratio is ``P^r_t / P^i_t``).  The collection rate is the
    2018–2022 mean computed from the actuals; the opening income is the 2022 actual.
    Medical and skills subsidies follow the seed's chapter-3 rule (2018–2022 mean and
    2022 value held flat); other spending is the 2018–2022 mean of table 13.

    Parameters
    ----------
    n_years : int
        Horizon, 1 to 5 (the seed prints 2023–2027 only).
    opening_reserve : float
        Reserve at the end of 2022 (亿元); the seed prints none.
    interest_rate : float
        Interest credited on the reserve.
    benefit : {"announced", "forecast"}
        ``"announced"`` (default): the seed's evident choice described above;
        ``"forecast"``: table 4's forecast column as printed (1681.47 元 in 2023–2024),
        the literal reading of chapter 3 (see errata E5).

    Raises
    ------
    FundParameterError
        ``n_years < 1`` or an unknown ``benefit``.
    HorizonError
        ``n_years > 5``.
    """
    _check_n_years(n_years)
    if benefit not in ("announced", "forecast"):
        raise FundParameterError("benefit", benefit, "must be 'announced' or 'forecast'")
    _check_horizon(n_years, 5)
    actual = qinghai()
    printed = qinghai_printed().loc[2023:2022 + n_years]
    const = qinghai_constants()
    drivers = pd.DataFrame(index=printed.index)
    drivers["covered"] = printed["covered_10k"]
    drivers["wage"] = printed["urban_wage_yuan"]
    drivers["recipient_ratio"] = printed["recipients"] / (printed["covered_10k"] * 1e4)
    drivers["monthly_benefit"] = (_seed_benefit(printed) if benefit == "announced"
                                  else printed["monthly_benefit_yuan"])
    drivers["months_paid"] = printed["months_paid"]
    drivers["non_eligible_share"] = printed["non_eligible_share_pct"] / 100.0
    drivers["sme_share"] = printed["sme_share_pct"] / 100.0
    drivers["sme_refund_rate"] = printed["sme_refund_rate"]
    drivers["large_refund_rate"] = printed["large_refund_rate"]
    drivers["collection_rate"] = collection_rate(actual)
    drivers["other_spending"] = _mean_extra_spending(actual)
    drivers["interest_rate"] = interest_rate
    opening = {
        "opening_reserve": float(opening_reserve),
        "opening_income": float(actual.loc[2022, "income_collected_100m_yuan"]),
        "opening_medical": _mean(actual, "medical_subsidy_100m_yuan"),
        "opening_skills": float(actual.loc[2022, "skills_subsidy_100m_yuan"]),
        "income_slope": const["income_slope"],
        "income_intercept": const["income_intercept"],
    }
    notes = {
        "drivers": "seed 002 tables 1, 4, 6, 7, 8 (printed 2023-2027 forecasts)",
        "monthly_benefit": "1692 元 announced for 2023 (table 4), held in 2024; then table 4",
        "income": "(1.2) with the printed coefficients; collection rate = 2018-2022 mean",
        "opening_reserve": "not printed by the seed; given by the user (default 0)",
    }
    return Scenario("printed", drivers, opening, int(actual.index[-1]), notes)


def _seed_benefit(printed: pd.DataFrame) -> pd.Series:
    forecast = printed["monthly_benefit_yuan"]
    announced = printed["monthly_benefit_announced_yuan"]
    out = []
    for k, year in enumerate(printed.index):
        if not np.isnan(announced.loc[year]):
            out.append(float(announced.loc[year]))
        elif k > 0 and forecast.iloc[k] == forecast.iloc[k - 1]:
            out.append(out[-1])
        else:
            out.append(float(forecast.loc[year]))
    return pd.Series(out, index=printed.index)


def _mean(df: pd.DataFrame, column: str) -> float:
    values = df.loc[_FUND_YEARS[0]:_FUND_YEARS[1], column]
    if values.isna().any():
        raise DataError(f"column {column!r}: needs values for 2018-2022")
    return float(values.mean())


def _mean_extra_spending(df: pd.DataFrame) -> float:
    return _mean(df, "other_spending_100m_yuan") + _mean(df, "temporary_spending_100m_yuan")


def _cir_mean(x0: float, a: float, kappa: float, horizon: np.ndarray) -> np.ndarray:
    theta = a / kappa
    return theta + (x0 - theta) * np.exp(-kappa * horizon)


def expected_scenario(
    n_years: int = 5,
    *,
    data: pd.DataFrame | None = None,
    opening_reserve: float = 0.0,
    interest_rate: float = DEFAULT_INTEREST_RATE,
    death_rate: float = 0.0,
) -> Scenario:
    """An expected (deterministic) driver path from the actuals, for any horizon.

    Rules, for years ``T+1 .. T+n`` after the last data year ``T``:

    * wage: ``w_T`` grown at the log-linear trend rate of all reported wages;
    * urban employment: ``P^c_T`` plus the linear trend slope of the reported years
      except 2020–2021 (the seed treats them as outliers);
    * covered persons: the recursion (2.25) with the printed ``E% = 4.88618%``;
    * recipient ratio (2.26), months paid (2.28), non-eligible share (2.33),
      replacement rate (2.23): the CIR conditional mean
      ``θ + (x_T − θ) e^{−κ h}``, ``θ = a/κ``, with the printed coefficients;
    * monthly benefit: ``E[S_t] = 0.5 R_{t−1} W_{t−1} + 0.5 R_t W_t`` (2.24),
      ``W`` the monthly wage;
    * SME share: (2.32), ``1 − exp(−0.01938 P^i_{t−1} + 0.5118)``;
    * refund rates 0.9 / 0.5; collection rate and other spending: 2018–2022 means;
      medical subsidy: 2018–2022 mean held flat, skills subsidy: last value held flat
      (the seed's chapter-3 rules); death rate as given (the seed reports no funeral
      spending, default 0).

    Parameters
    ----------
    n_years : int
        Horizon, >= 1.
    data : pandas.DataFrame, optional
        Actuals in the layout of :func:`fund.data.qinghai` (default: Qinghai).
    opening_reserve : float
        Reserve at the end of the last data year (亿元); the seed prints none.
    interest_rate : float
        Interest credited on the reserve (default :data:`DEFAULT_INTEREST_RATE`).
    death_rate : float
        Yearly death rate of recipients for (1.7).

    Raises
    ------
    FundParameterError
        ``n_years < 1``.
    DataError
        A series needed for the last data year is not reported.

    Examples
    --------
    >>> s = expected_scenario(3)
    >>> s.drivers.index.tolist()
    [2023, 2024, 2025]
    >>> bool((s.drivers["covered"].diff().dropna() > 0).all())
    True
    """
    _check_n_years(n_years)
    df = qinghai() if data is None else data
    const = qinghai_constants()
    end = int(df.index[-1])
    last = df.loc[end]
    needed = ["urban_wage_yuan", "employment_urban_10k", "covered_10k", "recipient_ratio_pct",
              "months_paid", "non_eligible_share_pct", "monthly_benefit_yuan",
              "income_collected_100m_yuan", "skills_subsidy_100m_yuan"]
    for col in needed:
        if col not in df.columns or np.isnan(last[col]):
            raise DataError(f"year {end}, column {col!r}: needed for the projection but "
                            "not reported")
    years = np.arange(end + 1, end + 1 + n_years)
    h = (years - end).astype(float)

    wage_rows = df["urban_wage_yuan"].dropna()
    growth = float(np.polyfit(wage_rows.index.to_numpy(float), np.log(wage_rows.to_numpy()),
                              1)[0])
    wage = float(last["urban_wage_yuan"]) * np.exp(growth * h)

    emp = df["employment_urban_10k"].dropna()
    emp = emp[~emp.index.isin([2020, 2021])]
    slope = float(np.polyfit(emp.index.to_numpy(float), emp.to_numpy(), 1)[0])
    urban = float(last["employment_urban_10k"]) + slope * h

    e = const["coverage_e"]
    covered = np.empty(n_years)
    prev_c, prev_i = float(last["employment_urban_10k"]), float(last["covered_10k"])
    for k in range(n_years):
        cur_c = urban[k]
        cur_i = prev_i + (cur_c - prev_c) * (prev_i / prev_c + e) + (prev_c - prev_i) * e
        covered[k] = min(cur_i, cur_c)
        prev_c, prev_i = cur_c, covered[k]

    ratio = _cir_mean(float(last["recipient_ratio_pct"]), const["recipient_ratio_a"],
                      const["recipient_ratio_kappa"], h) / 100.0
    months = _cir_mean(float(last["months_paid"]), const["months_paid_a"],
                       const["months_paid_kappa"], h)
    non_eligible = _cir_mean(float(last["non_eligible_share_pct"]) / 100.0,
                             const["non_eligible_a"], const["non_eligible_kappa"], h)
    rr0 = float(last["monthly_benefit_yuan"]) / (float(last["urban_wage_yuan"]) / 12.0)
    replacement = _cir_mean(rr0, const["replacement_a"], const["replacement_kappa"], h)
    monthly_wage = wage / 12.0
    prev_rw = np.concatenate([[float(last["monthly_benefit_yuan"])],
                              (replacement * monthly_wage)[:-1]])
    benefit = 0.5 * prev_rw + 0.5 * replacement * monthly_wage
    prev_cov = np.concatenate([[float(last["covered_10k"])], covered[:-1]])
    sme = 1.0 - np.exp(-const["sme_k"] * prev_cov + const["sme_shift"])

    drivers = pd.DataFrame(
        {
            "covered": covered, "wage": wage, "recipient_ratio": ratio,
            "monthly_benefit": benefit, "months_paid": months,
            "non_eligible_share": non_eligible, "sme_share": np.clip(sme, 0.0, 1.0),
            "sme_refund_rate": const["sme_refund_rate"],
            "large_refund_rate": const["large_refund_rate"],
            "collection_rate": collection_rate(df), "death_rate": death_rate,
            "other_spending": _mean_extra_spending(df), "interest_rate": interest_rate,
        },
        index=pd.Index(years.tolist(), name="year"),
    )
    opening = {
        "opening_reserve": float(opening_reserve),
        "opening_income": float(last["income_collected_100m_yuan"]),
        "opening_medical": _mean(df, "medical_subsidy_100m_yuan"),
        "opening_skills": float(last["skills_subsidy_100m_yuan"]),
        "income_slope": const["income_slope"],
        "income_intercept": const["income_intercept"],
    }
    notes: dict[str, Any] = {
        "wage_growth": growth, "urban_employment_slope": slope,
        "opening_reserve": "not printed by the seed; given by the user (default 0)",
    }
    return Scenario("expected", drivers, opening, end, {k: str(v) for k, v in notes.items()})


def _check_horizon(n_years: int, available: int) -> None:
    if n_years > available:
        raise HorizonError(f"n_years = {n_years}: the printed scenario covers only "
                           f"{available} years (2023-2027)")


def _check_n_years(n_years: int) -> None:
    if isinstance(n_years, bool) or not isinstance(n_years, int | np.integer) or n_years < 1:
        raise FundParameterError("n_years", n_years, "must be an integer >= 1")
