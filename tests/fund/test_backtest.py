"""fund.backtest: no look-ahead, forecasts recomputed by hand, errors, figure, bad input."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from fund.backtest import BACKTEST_SERIES, Backtest, backtest, plot_backtest
from fund.data import qinghai
from fund.errors import FundParameterError, HorizonError

DATA = qinghai()


@pytest.fixture(scope="module")
def bt() -> Backtest:
    return backtest()


def test_forecasts_never_see_the_test_years(bt: Backtest) -> None:
    spoiled = DATA.copy()
    spoiled.loc[2020:2022] *= 10.0
    other = backtest(spoiled)
    pd.testing.assert_frame_equal(other.forecast, bt.forecast)
    pd.testing.assert_frame_equal(other.actual, bt.actual * 10.0)


def test_forecasts_by_hand(bt: Backtest) -> None:
    years = np.array([2020, 2021, 2022])
    train = DATA.loc[:2019]
    fit = stats.linregress(train.index.to_numpy(float), np.log(train["gdp_100m_yuan"]))
    assert bt.forecast["gdp_100m_yuan"].to_numpy() == pytest.approx(
        np.exp(fit.intercept + fit.slope * years), rel=1e-9)
    ratio = train["recipient_ratio_pct"].dropna().mean()
    assert bt.forecast["recipient_ratio_pct"].to_numpy() == pytest.approx([ratio] * 3)
    share = 43.75 / float(train.loc[2019, "employment_urban_10k"])        # covered 2019
    assert bt.forecast["covered_10k"].to_numpy() == pytest.approx(
        share * bt.forecast["employment_urban_10k"].to_numpy())
    f = bt.forecast
    persons = f["recipient_ratio_pct"] / 100 * f["covered_10k"] * 1e4
    assert f["recipients"].to_numpy() == pytest.approx(persons.to_numpy())
    # (1.4): persons x 元 a month x months, in 亿元
    money = persons * f["monthly_benefit_yuan"] * f["months_paid"] / 1e8
    assert f["benefit_expenditure_100m_yuan"].to_numpy() == pytest.approx(money.to_numpy())
    # income: 2019's collected over (1.1) contributions held
    rate = 1.0 * 0.01
    ratio19 = train.loc[2019, "income_collected_100m_yuan"] / (
        43.75e4 * train.loc[2019, "urban_wage_yuan"] * rate / 1e8)
    expect = ratio19 * f["covered_10k"] * 1e4 * f["urban_wage_yuan"] * rate / 1e8
    assert f["income_collected_100m_yuan"].to_numpy() == pytest.approx(expect.to_numpy())
    assert set(bt.methods) == set(BACKTEST_SERIES)


def test_error_table_and_summary(bt: Backtest) -> None:
    table = bt.to_frame()
    assert list(table.columns) == ["actual", "forecast", "error", "rel_error_pct"]
    assert table.index.names == ["series", "year"]
    row = table.loc[("recipients", 2022)]
    assert row["actual"] == DATA.loc[2022, "recipients"]
    assert row["error"] == pytest.approx(row["forecast"] - 10018.0)
    errors = bt.errors()
    assert list(errors.index) == list(BACKTEST_SERIES)
    rel = table.loc["covered_10k", "rel_error_pct"].to_numpy()
    assert errors.loc["covered_10k", "mape_pct"] == pytest.approx(np.mean(np.abs(rel)))
    err = table.loc["months_paid", "error"].to_numpy()
    assert errors.loc["months_paid", "rmse"] == pytest.approx(np.sqrt(np.mean(err**2)))


def test_figure(bt: Backtest) -> None:
    fig = plot_backtest(bt)
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title() for ax in visible] == list(BACKTEST_SERIES)
    assert [line.get_label() for line in visible[0].get_lines()] == ["actual", "forecast"]
    with pytest.raises(FundParameterError, match="series = 'wage': unknown"):
        plot_backtest(bt, series=["wage"])
    with pytest.raises(FundParameterError, match=r"result = 'dict': must be a fund\.Backtest"):
        plot_backtest({})  # type: ignore[arg-type]  # wrong type on purpose


@pytest.mark.parametrize(("kwargs", "error", "match"), [
    ({"train_end": 2022}, HorizonError, r"train_end = 2022, test_end = 2022: need 2014 <"),
    ({"test_end": 2023}, HorizonError, r"test_end = 2023"),
    ({"train_end": 2013}, HorizonError, r"train_end = 2013"),
    ({"train_end": 2019.0}, FundParameterError, r"train_end = 2019\.0: must be an integer"),
])
def test_bad_windows(kwargs: dict[str, Any], error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        backtest(**kwargs)
