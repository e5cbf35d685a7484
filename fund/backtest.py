"""Back-testing the fund model: fit on 2014–2019, forecast 2020–2022, compare with the data.

:func:`backtest` refits what the training window supports, forecasts the test years
without looking at them, and compares each driver and each fund line with what was
observed.  :class:`Backtest` holds the result: ``to_frame()`` (one row per series and
year), ``errors()`` (one row per series: mean error, mean absolute percentage error,
root-mean-square error) and :func:`plot_backtest` (actual against forecast, one panel per
series).

How each series is forecast (``Backtest.methods`` says the same per series):

=========================  ===============================================================
series                     forecast for the test years
=========================  ===============================================================
``employment_urban_10k``   :class:`~fund.processes.LogisticEmployment` fitted on the
                           window, its expected path from the last training year
``urban_wage_yuan``        log-linear trend fitted on the window (the wage link needs a GDP
``gdp_100m_yuan``          forecast, and the AR(2) GDP model needs 7 years: 6 are there)
``monthly_benefit_yuan``   :class:`~fund.processes.BenefitAdjustment` fitted on the window,
                           its expectation recursion on the trend wage
``covered_10k``            the last training year's ratio of covered persons to urban
                           employment, along the employment forecast (the coverage
                           recursion (2.25) is fitted on changes after 2019)
``recipient_ratio_pct``,   mean of the training years: a CIR whose ``kappa`` yearly data
``months_paid``            do not identify forecasts its stationary mean ``theta``
``recipients``             (1.5) on the forecast ratio and covered persons
``benefit_expenditure``    (1.4) on the forecast recipients, benefit and months paid
``income_collected``       the last training year's ratio of income collected to
                           theoretical contributions (1.1), on the forecast covered
                           persons and wage (the (1.2) regression has 2 training points)
=========================  ===============================================================

The fund's data start in 2018, so the fund lines are trained on 2018–2019 only: a short
window, said so rather than hidden.

>>> bt = backtest()
>>> bt.test_years
(2020, 2021, 2022)
>>> sorted(bt.errors().columns)
['bias', 'mape_pct', 'rmse', 'unit']
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from fund.accounting import benefit_expenditure, contribution_base, recipients
from fund.data import qinghai
from fund.errors import FundParameterError, HorizonError
from fund.processes import BenefitAdjustment, IdentificationWarning, LogisticEmployment

__all__ = ["BACKTEST_SERIES", "Backtest", "backtest", "plot_backtest"]

#: Series compared, with their units.
BACKTEST_SERIES: dict[str, str] = {
    "gdp_100m_yuan": "100m CNY",
    "urban_wage_yuan": "CNY a year",
    "employment_urban_10k": "10k persons",
    "monthly_benefit_yuan": "CNY a month",
    "covered_10k": "10k persons",
    "recipient_ratio_pct": "%",
    "months_paid": "months",
    "recipients": "persons",
    "benefit_expenditure_100m_yuan": "100m CNY",
    "income_collected_100m_yuan": "100m CNY",
}


@dataclass(frozen=True)
class Backtest:
    """Forecasts of the test years next to what was observed.

    Attributes
    ----------
    train_years, test_years : tuple of int
        The fitting window and the forecast years.
    actual, forecast : pandas.DataFrame
        Index ``year`` (test years), one column per series of :data:`BACKTEST_SERIES`.
    methods : dict of str to str
        How each series was forecast.

    Examples
    --------
    >>> result = backtest()
    >>> result.train_years[-1], result.test_years
    (2019, (2020, 2021, 2022))
    """

    train_years: tuple[int, ...]
    test_years: tuple[int, ...]
    actual: pd.DataFrame
    forecast: pd.DataFrame
    methods: dict[str, str] = field(default_factory=dict, repr=False)

    def to_frame(self) -> pd.DataFrame:
        """One row per series and test year.

        Columns ``actual``, ``forecast``, ``error`` and ``rel_error_pct``
        (``100 * (forecast - actual) / actual``).

        Returns
        -------
        pandas.DataFrame
            MultiIndex ``(series, year)``.

        Examples
        --------
        >>> backtest().to_frame().columns.tolist()
        ['actual', 'forecast', 'error', 'rel_error_pct']
        """
        act = self.actual.stack().rename("actual")
        fc = self.forecast.stack().rename("forecast")
        out = pd.concat([act, fc], axis=1).swaplevel().sort_index(
            level=0, sort_remaining=False)
        out.index = out.index.set_names(["series", "year"])
        out = out.loc[list(BACKTEST_SERIES)]
        out["error"] = out["forecast"] - out["actual"]
        out["rel_error_pct"] = 100.0 * out["error"] / out["actual"]
        return out

    def errors(self) -> pd.DataFrame:
        """One row per series: its error summary.

        Columns ``bias`` (mean error), ``mape_pct`` (mean absolute percentage error), ``rmse``
        and ``unit``.

        Returns
        -------
        pandas.DataFrame

        Examples
        --------
        >>> backtest().errors().columns.tolist()
        ['bias', 'mape_pct', 'rmse', 'unit']
        """
        rows = self.to_frame().groupby(level="series", sort=False)
        out = pd.DataFrame({
            "bias": rows["error"].mean(),
            "mape_pct": rows["rel_error_pct"].apply(lambda s: float(np.mean(np.abs(s)))),
            "rmse": rows["error"].apply(lambda s: float(np.sqrt(np.mean(s**2)))),
        })
        out["unit"] = [BACKTEST_SERIES[s] for s in out.index]
        return out


def backtest(data: pd.DataFrame | None = None, *, train_end: int = 2019,
             test_end: int = 2022) -> Backtest:
    """Fit on the years up to ``train_end``, forecast to ``test_end``, compare.

    Parameters
    ----------
    data : pandas.DataFrame, optional
        Year-indexed data as :func:`fund.data.qinghai` (the default).
    train_end : int, keyword-only
        Last training year (default 2019); training starts with the data.
    test_end : int, keyword-only
        Last forecast year (default 2022), at most the last data year.

    Returns
    -------
    Backtest

    Raises
    ------
    HorizonError
        ``train_end`` not before ``test_end``, or either outside the data.
    FundParameterError
        ``train_end`` or ``test_end`` not an integer.

    Examples
    --------
    >>> result = backtest(train_end=2020)
    >>> result.test_years, result.forecast.index.tolist()
    ((2021, 2022), [2021, 2022])
    """
    df = qinghai() if data is None else data
    for name, value in (("train_end", train_end), ("test_end", test_end)):
        if isinstance(value, bool) or not isinstance(value, int | np.integer):
            raise FundParameterError(name, value, "must be an integer year")
    first, last = int(df.index[0]), int(df.index[-1])
    if not first < train_end < test_end <= last:
        raise HorizonError(f"train_end = {train_end}, test_end = {test_end}: need "
                           f"{first} < train_end < test_end <= {last} (the data's years)")
    train = df.loc[:train_end]
    years = list(range(train_end + 1, test_end + 1))
    fc, methods = _forecast(train, years)
    actual = df.loc[years, [c for c in BACKTEST_SERIES if c in df.columns]].copy()
    actual["recipients"] = df.loc[years, "recipients"]
    return Backtest(tuple(int(y) for y in train.index), tuple(years),
                    actual[list(BACKTEST_SERIES)], fc[list(BACKTEST_SERIES)], methods)


def _trend(series: pd.Series, years: list[int]) -> np.ndarray:
    """Log-linear trend by least squares on the series' years, evaluated at ``years``."""
    s = series.dropna()
    slope, icept = np.polyfit(s.index.to_numpy(float), np.log(s.to_numpy(float)), 1)
    return np.asarray(np.exp(icept + slope * np.asarray(years, float)), dtype=float)


def _forecast(train: pd.DataFrame, years: list[int]) -> tuple[pd.DataFrame, dict[str, str]]:
    n = len(years)
    end = int(train.index[-1])
    fc = pd.DataFrame(index=pd.Index(years, name="year"))
    methods: dict[str, str] = {}
    for col in ("gdp_100m_yuan", "urban_wage_yuan"):
        fc[col] = _trend(train[col], years)
        methods[col] = f"log-linear trend {int(train.index[0])}-{end}"
    with warnings.catch_warnings():  # the intercept CIRs' kappa: flagged in their fits
        warnings.simplefilter("ignore", IdentificationWarning)
        emp = LogisticEmployment.fit(train["employment_urban_10k"])
        ben = BenefitAdjustment.fit(train["monthly_benefit_yuan"],
                                    train["urban_monthly_wage_yuan"])
    fc["employment_urban_10k"] = emp.process.forecast(
        float(train["employment_urban_10k"].iloc[-1]), n)[1:]
    methods["employment_urban_10k"] = f"LogisticEmployment fitted on {emp.sample}"
    monthly = np.r_[float(train["urban_monthly_wage_yuan"].iloc[-1]),
                    fc["urban_wage_yuan"].to_numpy() / 12.0]
    rate0 = float(train["monthly_benefit_yuan"].iloc[-1]
                  / train["urban_monthly_wage_yuan"].iloc[-1])
    fc["monthly_benefit_yuan"] = ben.process.forecast(
        float(train["monthly_benefit_yuan"].iloc[-1]), rate0, monthly)[1:]
    methods["monthly_benefit_yuan"] = "BenefitAdjustment fitted on the window, trend wage"
    share = float(train.loc[end, "covered_10k"] / train.loc[end, "employment_urban_10k"])
    fc["covered_10k"] = share * fc["employment_urban_10k"]
    methods["covered_10k"] = f"{end} coverage of urban employment ({share:.4f})"
    for col in ("recipient_ratio_pct", "months_paid"):
        known = train[col].dropna()
        fc[col] = float(known.mean())
        methods[col] = (f"mean of {int(known.index[0])}-{end} (stationary mean of a CIR "
                        "whose kappa is not identified)")
    fc["recipients"] = recipients(fc["recipient_ratio_pct"] / 100.0, fc["covered_10k"])
    methods["recipients"] = "(1.5) on the forecast ratio and covered persons"
    fc["benefit_expenditure_100m_yuan"] = benefit_expenditure(
        fc["recipients"], fc["monthly_benefit_yuan"], fc["months_paid"])
    methods["benefit_expenditure_100m_yuan"] = "(1.4) on the forecast drivers"
    base_end = float(contribution_base(train.loc[end, "covered_10k"],
                                       train.loc[end, "urban_wage_yuan"])[()])
    ratio = float(train.loc[end, "income_collected_100m_yuan"]) / base_end
    fc["income_collected_100m_yuan"] = ratio * contribution_base(
        fc["covered_10k"], fc["urban_wage_yuan"])
    methods["income_collected_100m_yuan"] = (f"{end} ratio of income collected to (1.1) "
                                             f"theoretical contributions ({ratio:.4f})")
    return fc, methods


def plot_backtest(result: Backtest, *, series: list[str] | None = None,
                  fig: Figure | None = None) -> Figure:
    """Actual against forecast, one small panel per series, the test years shaded.

    Parameters
    ----------
    result : Backtest
    series : list of str, optional
        Which series (default all of :data:`BACKTEST_SERIES`).
    fig : matplotlib Figure, optional
        Drawn on when given (cleared first); otherwise a new one.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    FundParameterError
        ``result`` not a :class:`Backtest`, or an unknown series.

    Examples
    --------
    >>> fig = plot_backtest(backtest(), series=["covered_10k", "recipients"])
    >>> [ax.get_title() for ax in fig.axes]
    ['covered_10k', 'recipients']
    """
    if not isinstance(result, Backtest):
        raise FundParameterError("result", type(result).__name__, "must be a fund.Backtest")
    names = list(BACKTEST_SERIES) if series is None else list(series)
    for name in names:
        if name not in BACKTEST_SERIES:
            raise FundParameterError("series", name, f"unknown; known: {list(BACKTEST_SERIES)}")
    ncols = min(3, len(names))
    nrows = -(-len(names) // ncols)
    if fig is None:
        fig = Figure(figsize=(3.4 * ncols, 2.6 * nrows), layout="constrained")
    else:
        fig.clear()
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    years = list(result.test_years)
    for ax, name in zip(axes, names, strict=False):
        _panel(ax, years, result.actual[name], result.forecast[name], name)
    for ax in axes[len(names):]:
        ax.set_visible(False)
    return fig


def _panel(ax: Axes, years: list[int], actual: pd.Series, forecast: pd.Series,
           name: str) -> None:
    ax.plot(years, actual.to_numpy(), "o-", color="k", label="actual")
    ax.plot(years, forecast.to_numpy(), "s--", color="C3", label="forecast")
    ax.set_title(name, fontsize=9)
    ax.set_xticks(years)
    ax.tick_params(labelsize=8)
    ax.set_ylabel(BACKTEST_SERIES[name], fontsize=8)
    ax.legend(fontsize=7)
