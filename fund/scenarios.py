"""Driver tables for the deterministic projection of the Qinghai fund.

Two scenarios, both returned as a :class:`Scenario` (a year-indexed driver table plus
the opening values of the year before):

* :func:`printed_scenario` -- the seed's own printed chapter-2 forecasts for 2023–2027
  (tables 1, 4, 6, 7, 8), exactly the inputs of its chapter-3 tables;
* :func:`expected_scenario` -- the central path of the fund's stochastic model
  (:class:`fund.stochastic.StochasticModel`, the same process objects the Monte Carlo
  draws from) with every shock at its mean, for any horizon.  See
  ``docs/explanation/fund-model.md``.

Both start from one opening reserve, :func:`default_opening_reserve` (an assumption: 12
months of the last year's expenditure), and apply the fund's rules
(:data:`fund.rules.CHINA_2024` by default).

>>> s = printed_scenario()
>>> s.drivers.index.tolist()
[2023, 2024, 2025, 2026, 2027]
>>> round(float(s.run().to_frame().loc[2023, "income"]), 4)
6.655
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from fund.data import qinghai, qinghai_constants, qinghai_printed, total_expenditure
from fund.errors import DataError, FundParameterError, HorizonError
from fund.projection import Projection, project
from fund.rules import CHINA_2024, FundRules
from fund.stochastic import STOCHASTIC_DRIVERS, StartState, StochasticModel, _check_model

if TYPE_CHECKING:
    from fund.montecarlo import MonteCarloResult

__all__ = [
    "DEFAULT_INTEREST_RATE",
    "OPENING_RESERVE_MONTHS",
    "TREND_HORIZON_YEARS",
    "ExtrapolationWarning",
    "Scenario",
    "central_gap",
    "collection_rate",
    "default_opening_reserve",
    "expected_scenario",
    "printed_scenario",
]

#: Default interest credited on the reserve: the People's Bank of China benchmark rate on
#: 3-month time deposits, 1.10% a year since 24 October 2015 (the seed keeps its reserve
#: for extra spending in 3-month fixed deposits).
DEFAULT_INTEREST_RATE = 0.011

#: Months of the last data year's expenditure held at the start (the default opening
#: reserve, an assumption; see :func:`default_opening_reserve`).
OPENING_RESERVE_MONTHS = 12.0

#: Longest horizon (years after the data) the fitted trends are trusted for without a
#: warning: beyond it :class:`ExtrapolationWarning`.  The trends are fitted on the nine
#: years 2014–2022; fifteen years is the projection period of a standard actuarial
#: valuation of a short-term benefit branch kept within twice the sample.
TREND_HORIZON_YEARS = 15

_FUND_YEARS = (2018, 2022)
_OPENING_NOTE = ("not printed by the seed: an assumption, 12 months of the last year's "
                 "expenditure (the 2024 coverage rule's threshold)")


class ExtrapolationWarning(UserWarning):
    """A projection runs past :data:`TREND_HORIZON_YEARS` and extrapolates fitted trends."""


@dataclass(frozen=True)
class Scenario:
    """Drivers and opening values for :func:`fund.projection.project`.

    Attributes
    ----------
    name : str
    drivers : pandas.DataFrame
        Year-indexed, one column per driver of :data:`fund.projection.DRIVERS`.
    opening : dict
        ``opening_reserve``, ``opening_income``, ``opening_medical``, ``opening_skills``,
        ``opening_expenditure`` (亿元, the year before the first row) and the (1.2)
        coefficients.
    data_end : int
        Last year of actual data.
    notes : dict
        Where each driver comes from.
    rules : FundRules
        The fund's rules the projection applies (coverage gate, deficit rule).
    model : StochasticModel or None
        The processes the simulated drivers come from (None: printed tables).
    start : StartState or None
        Their start values.

    Examples
    --------
    >>> s = printed_scenario(2)
    >>> s.name, s.data_end, list(s.drivers.index)
    ('printed', 2022, [2023, 2024])
    """

    name: str
    drivers: pd.DataFrame
    opening: dict[str, float]
    data_end: int
    notes: dict[str, str] = field(default_factory=dict)
    rules: FundRules = CHINA_2024
    model: StochasticModel | None = field(default=None, repr=False)
    start: StartState | None = field(default=None, repr=False)

    def run(self) -> Projection:
        """Project this scenario deterministically (with its rules).

        Returns
        -------
        fund.projection.Projection
            The year-indexed projection.

        Examples
        --------
        >>> printed_scenario(2).run().years
        (2023, 2024)
        """
        return project(self.drivers, data_end=self.data_end, rules=self.rules, **self.opening)


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


def printed_scenario(n_years: int = 5, *, opening_reserve: float | None = None,
                     interest_rate: float = DEFAULT_INTEREST_RATE,
                     benefit: str = "announced", rules: FundRules = CHINA_2024) -> Scenario:
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
    opening_reserve : float, optional
        Reserve at the end of 2022 (亿元); the seed prints none (default
        :func:`default_opening_reserve`, an assumption).
    interest_rate : float
        Interest credited on the reserve.
    rules : FundRules
        The fund's rules (default :data:`fund.rules.CHINA_2024`;
        :func:`fund.reproduce.reproduce` passes :data:`fund.rules.NO_RULES`, the seed's
        chapter-3 arithmetic).
    benefit : {"announced", "forecast"}
        ``"announced"`` (default): the seed's evident choice described above;
        ``"forecast"``: table 4's forecast column as printed (1681.47 元 in 2023–2024),
        the literal reading of chapter 3 (see errata E5).

    Returns
    -------
    Scenario
        Named ``"printed"``, years ``2023 .. 2022 + n_years``.

    Raises
    ------
    FundParameterError
        ``n_years < 1`` or an unknown ``benefit``.
    HorizonError
        ``n_years > 5``.

    Examples
    --------
    >>> s = printed_scenario(3)
    >>> list(s.drivers.index), float(s.drivers.loc[2023, "monthly_benefit"])
    ([2023, 2024, 2025], 1692.0)
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
    end = int(actual.index[-1])
    opening = _opening(actual, end, opening_reserve, const)
    notes = {
        "drivers": "seed 002 tables 1, 4, 6, 7, 8 (printed 2023-2027 forecasts)",
        "monthly_benefit": "1692 元 announced for 2023 (table 4), held in 2024; then table 4",
        "income": "(1.2) with the printed coefficients; collection rate = 2018-2022 mean",
        "opening_reserve": _OPENING_NOTE if opening_reserve is None else "given by the user",
        "rules": repr(rules),
    }
    return Scenario("printed", drivers, opening, end, notes, rules=rules)


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


def default_opening_reserve(data: pd.DataFrame | None = None) -> float:
    """The opening reserve every default uses (亿元).

    :data:`OPENING_RESERVE_MONTHS` months of the last data year's total expenditure.

    An **assumption**, stated as one: the seed prints no fund balance and Qinghai publishes
    none.  Twelve months is the balance China's 2024 rule asks of a provincial fund before it
    may pay job-retention refunds and skills subsidies (滚存结余备付期限 ≥ 12 个月, see
    :mod:`fund.rules`); for Qinghai it is the 2022 expenditure, 6.0882 亿元.

    Parameters
    ----------
    data : pandas.DataFrame, optional
        Actuals in the layout of :func:`fund.data.qinghai` (default: Qinghai).

    Returns
    -------
    float
        The opening reserve in 亿元.

    Raises
    ------
    DataError
        The last data year does not report every expenditure line (an earlier year is
        never used in its place: the projection starts from the last year).

    Examples
    --------
    >>> round(default_opening_reserve(), 4)
    6.0882
    """
    df = qinghai() if data is None else data
    last = int(df.index[-1])
    return OPENING_RESERVE_MONTHS / 12.0 * _expenditure_in(
        df, last, "the default opening reserve is 12 months of it")


def expected_scenario(
    n_years: int = 5,
    *,
    data: pd.DataFrame | None = None,
    model: StochasticModel | None = None,
    opening_reserve: float | None = None,
    interest_rate: float = DEFAULT_INTEREST_RATE,
    death_rate: float = 0.0,
    rules: FundRules = CHINA_2024,
) -> Scenario:
    """The central (deterministic) path of the fund's stochastic model, for any horizon.

    The simulated drivers are :meth:`fund.stochastic.StochasticModel.expected_drivers` of
    ``model`` (default :meth:`~fund.stochastic.StochasticModel.printed`) from
    :meth:`~fund.stochastic.StartState.from_data`: the **same process objects** the Monte
    Carlo draws from, with every shock set to its mean (CIR ratios at their conditional
    means, log-GDP innovations at 0 so GDP is on its median path, the wage by (2.5) on
    GDP per worker, the benefit reset at its probability, coverage (2.25) and the SME share
    (2.32) along those paths).  The fixed drivers: refund rates 0.9 / 0.5; collection rate
    and other spending at their 2018–2022 means; medical subsidy at its 2018–2022 mean and
    skills subsidy at its last value, held flat (the seed's chapter-3 rules); the death
    rate as given (the seed reports no funeral spending, default 0).

    Parameters
    ----------
    n_years : int
        Horizon, >= 1; past :data:`TREND_HORIZON_YEARS` an :class:`ExtrapolationWarning`.
    data : pandas.DataFrame, optional
        Actuals in the layout of :func:`fund.data.qinghai` (default: Qinghai).
    model : StochasticModel, optional
        The processes (default: the seed's printed coefficients).
    opening_reserve : float, optional
        Reserve at the end of the last data year (亿元); default
        :func:`default_opening_reserve` (an assumption: the seed prints none).
    interest_rate : float
        Interest credited on the reserve (default :data:`DEFAULT_INTEREST_RATE`).
    death_rate : float
        Yearly death rate of recipients for (1.7).
    rules : FundRules
        The fund's rules (default :data:`fund.rules.CHINA_2024`: the 12-month coverage
        gate, deficits at the one-year LPR).

    Returns
    -------
    Scenario
        Drivers, opening values, rules, and the model and start state it came from.

    Raises
    ------
    FundParameterError
        ``n_years < 1``, a model that is not a :class:`~fund.stochastic.StochasticModel`.
    DataError
        A series needed for the last data year is not reported.

    Examples
    --------
    >>> s = expected_scenario(3)
    >>> s.drivers.index.tolist()
    [2023, 2024, 2025]
    >>> bool((s.drivers["covered"].diff().dropna() > 0).all())
    True
    >>> round(s.opening["opening_reserve"], 4)      # the default opening reserve
    6.0882
    """
    _check_n_years(n_years)
    _warn_horizon(n_years)
    df = qinghai() if data is None else data
    mdl = StochasticModel.printed() if model is None else _check_model(model)
    start = StartState.from_data(df)
    _check_last_year(df, start.year)
    const = qinghai_constants()
    drivers = _with_fixed_drivers(mdl.expected_drivers(start, n_years), df, const,
                                  death_rate=death_rate, interest_rate=interest_rate)
    opening = _opening(df, start.year, opening_reserve, const)
    notes = {
        "drivers": "StochasticModel.expected_drivers: every shock at its mean",
        "opening_reserve": _OPENING_NOTE if opening_reserve is None else "given by the user",
        "rules": repr(rules),
    }
    return Scenario("expected", drivers, opening, start.year, notes, rules=rules, model=mdl,
                    start=start)


def _check_last_year(df: pd.DataFrame, end: int) -> None:
    """The last data year reports what the projection starts from, or DataError."""
    last = df.loc[end]
    for col in ("income_collected_100m_yuan", "skills_subsidy_100m_yuan"):
        if col not in df.columns or np.isnan(last[col]):
            raise DataError(f"year {end}, column {col!r}: needed for the projection but "
                            "not reported")


def _with_fixed_drivers(simulated: pd.DataFrame, df: pd.DataFrame, const: dict[str, float],
                        *, death_rate: float, interest_rate: float) -> pd.DataFrame:
    """The simulated drivers with the fixed ones added, year by year.

    The fixed ones: refund, collection, death and interest rates, other spending.
    """
    drivers = simulated[list(STOCHASTIC_DRIVERS)].copy()
    drivers["sme_refund_rate"] = const["sme_refund_rate"]
    drivers["large_refund_rate"] = const["large_refund_rate"]
    drivers["collection_rate"] = collection_rate(df)
    drivers["death_rate"] = death_rate
    drivers["other_spending"] = _mean_extra_spending(df)
    drivers["interest_rate"] = interest_rate
    return drivers


def _opening(df: pd.DataFrame, end: int, opening_reserve: float | None,
             const: dict[str, float]) -> dict[str, float]:
    return {
        "opening_reserve": (default_opening_reserve(df) if opening_reserve is None
                            else float(opening_reserve)),
        "opening_income": float(df.loc[end, "income_collected_100m_yuan"]),
        "opening_medical": _mean(df, "medical_subsidy_100m_yuan"),
        "opening_skills": float(df.loc[end, "skills_subsidy_100m_yuan"]),
        "opening_expenditure": _expenditure_in(
            df, end, "the coverage gate of the first year is judged on it"),
        "income_slope": const["income_slope"],
        "income_intercept": const["income_intercept"],
    }


def _expenditure_in(df: pd.DataFrame, year: int, why: str) -> float:
    """Total expenditure of ``year``, or DataError if a line of that year is missing."""
    spent = total_expenditure(df)
    if year not in spent.index:
        raise DataError(f"year {year}: total expenditure needs every expenditure line "
                        f"reported ({why})")
    return float(spent.loc[year])


def _warn_horizon(n_years: int) -> None:
    if n_years > TREND_HORIZON_YEARS:
        warnings.warn(
            f"n_years = {n_years}: past {TREND_HORIZON_YEARS} years the projection "
            "extrapolates trends fitted on 2014-2022 (GDP, employment, coverage) far "
            "beyond the nine years they were fitted on", ExtrapolationWarning, stacklevel=3)


def _check_horizon(n_years: int, available: int) -> None:
    if n_years > available:
        raise HorizonError(f"n_years = {n_years}: the printed scenario covers only "
                           f"{available} years (2023-2027)")


def _check_n_years(n_years: int) -> None:
    if isinstance(n_years, bool) or not isinstance(n_years, int | np.integer) or n_years < 1:
        raise FundParameterError("n_years", n_years, "must be an integer >= 1")


def central_gap(ensemble: MonteCarloResult, scenario: Scenario | None = None, *,
                quantity: str = "reserve") -> pd.DataFrame:
    """The central (deterministic) path against the Monte Carlo ensemble, year by year.

    The central path sets every shock to its mean; the ensemble mean averages nonlinear
    functions of the shocks, so the two differ by Jensen terms (the lognormal correction
    of GDP, products such as ``P^r_t S_t m_t`` whose factors co-move, the clipping of
    coverage and of the ratios, the gate's threshold).  ``gap = mean − central``.

    Parameters
    ----------
    ensemble : MonteCarloResult
        A :func:`fund.montecarlo.monte_carlo` run that kept ``quantity`` as paths.
    scenario : Scenario, optional
        The central path (default :func:`expected_scenario` over the ensemble's years).
    quantity : str
        A line of the projection kept by the ensemble (default ``"reserve"``).

    Returns
    -------
    pandas.DataFrame
        Indexed by year: ``central``, ``mean``, ``median``, ``q05``, ``q95``, ``gap``
        (mean − central), ``gap_sd`` (gap in ensemble standard deviations) and
        ``inside_band`` (``q05 <= central <= q95``).

    Raises
    ------
    FundParameterError
        The years of the scenario and the ensemble differ, or ``quantity`` is not a
        projection line the ensemble kept.

    Examples
    --------
    >>> from fund.montecarlo import monte_carlo
    >>> mc = monte_carlo(2000, 3, rng=1, block_size=500, chunk_size=1000)
    >>> table = central_gap(mc)
    >>> table.index.tolist(), bool(table["inside_band"].all())
    ([2023, 2024, 2025], True)
    """
    scen = expected_scenario(len(ensemble.years)) if scenario is None else scenario
    years = tuple(int(y) for y in scen.drivers.index)
    if years != tuple(ensemble.years):
        raise FundParameterError("scenario", years, f"must cover the ensemble's years "
                                 f"{ensemble.years}")
    frame = scen.run().to_frame()
    if quantity not in frame.columns or quantity not in ensemble.quantities:
        raise FundParameterError("quantity", quantity, "must be a projection line the "
                                 f"ensemble kept; kept: {', '.join(ensemble.quantities)}")
    central = frame[quantity].to_numpy(float)
    q = ensemble.quantile_table(quantity, (0.05, 0.5, 0.95)).to_numpy(float)
    mean = ensemble.mean[quantity].to_numpy(float)
    sd = ensemble.std[quantity].to_numpy(float)
    gap = mean - central
    return pd.DataFrame(
        {"central": central, "mean": mean, "median": q[:, 1], "q05": q[:, 0],
         "q95": q[:, 2], "gap": gap, "gap_sd": np.divide(gap, sd, out=np.zeros_like(gap),
                                                         where=sd > 0),
         "inside_band": (q[:, 0] <= central) & (central <= q[:, 2])},
        index=pd.Index(list(years), name="year"))
