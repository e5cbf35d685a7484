"""Reproduction of seed 002's chapter-3 tables from its own printed inputs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from fund.data import qinghai
from fund.errors import FitError, HorizonError
from fund.reproduce import (
    COLUMNS,
    in_sample_identities,
    income_regression,
    reproduce,
    reproduce_constants,
)
from fund.scenarios import collection_rate, expected_scenario, printed_scenario

# printed 2023-2027 forecasts, typed in from seed 002 (tables 9, 10, 11)
PRINTED = {
    ("9", "income_collected"): [6.654966, 7.688120, 8.840632, 10.130328, 11.554700],
    ("9", "contribution_due"): [6.982945, 8.067016, 9.276328, 10.629585, 12.124155],
    ("10", "benefit_expenditure"): [0.949383, 1.135569, 1.242795, 1.444536, 1.661706],
    ("11", "refund"): [2.511248, 2.919502, 3.451640, 4.089013, 4.789797],
}


@pytest.fixture(scope="module")
def rows() -> pd.DataFrame:
    return reproduce()


def test_columns_and_years(rows: pd.DataFrame) -> None:
    assert list(rows.columns) == COLUMNS
    for (table, quantity), printed in PRINTED.items():
        sub = rows[(rows.table == table) & (rows.quantity == quantity)]
        assert sub.year.tolist() == [2023, 2024, 2025, 2026, 2027]
        assert sub.printed.tolist() == pytest.approx(printed, abs=1e-12)


@pytest.mark.parametrize("table", ["9", "10", "11"])
def test_tables_9_to_11_within_one_percent(rows: pd.DataFrame, table: str) -> None:
    sub = rows[rows.table == table]
    assert len(sub) >= 5
    computed = sub.computed.to_numpy()
    printed = sub.printed.to_numpy()
    assert np.all(np.abs(computed / printed - 1) < 0.01)
    assert np.allclose(sub.rel_diff, (computed - printed) / printed)


def test_computed_values_are_computed_not_copied(rows: pd.DataFrame) -> None:
    # Recomputation differs from the 6-decimal print in the last digits somewhere.
    assert (rows[rows.table.isin(["9", "10", "11"])].rel_diff != 0).all()


def test_table_9_2023_by_hand(rows: pd.DataFrame) -> None:
    # X = 70.58 x 99,271.17 x 1e-6 = 7.0065591786; LI = 0.9182 X + 0.5497 = 6.9831226378
    row = rows[(rows.table == "9") & (rows.quantity == "contribution_due") & (rows.year == 2023)]
    assert float(row.computed.iloc[0]) == pytest.approx(6.9831226378, abs=1e-9)


def test_table_10_2026_by_hand(rows: pd.DataFrame) -> None:
    # 15,020 recipients x 1,863.68 元 x 5.16 months = 144,441,163.78 元
    row = rows[(rows.table == "10") & (rows.year == 2026)]
    assert float(row.computed.iloc[0]) == pytest.approx(1.4444116378, abs=1e-9)


def test_table_11_2023_uses_collected_income(rows: pd.DataFrame) -> None:
    # 5.815182 x (1 - 0.3872) x (0.5117 x 0.9 + 0.4883 x 0.5) = 2.51115785...
    row = rows[(rows.table == "11") & (rows.year == 2023)]
    assert float(row.computed.iloc[0]) == pytest.approx(2.5111578544, abs=1e-8)


def test_income_regression_reestimates_printed_coefficients() -> None:
    fit = income_regression()
    assert round(fit.slope, 4) == 0.9182
    assert round(fit.intercept, 4) == 0.5497
    assert fit.years == (2018, 2019, 2020, 2021, 2022)
    # the printed "R = 0.9882" is R^2; F = 252 and p = 0.000544 follow from it
    assert round(fit.r_squared, 4) == 0.9882
    assert fit.r > 0.994
    assert fit.f_stat == pytest.approx(252, abs=0.5)
    assert fit.p_value == pytest.approx(0.000544, rel=0.01)


def test_income_regression_needs_three_years() -> None:
    with pytest.raises(FitError, match=r"needs >= 3 years .* got 2"):
        income_regression(first=2021, last=2022)


def test_collection_rate_is_the_2018_2022_mean() -> None:
    df = qinghai().loc[2018:2022]
    ratios = [3.147187 / 3.143347, 3.588295 / 3.590827, 3.276582 / 3.996854,
              5.269196 / 5.328466, 5.815182 / 6.082996]
    assert collection_rate(df) == pytest.approx(sum(ratios) / 5, rel=1e-12)
    assert collection_rate() == pytest.approx(0.9530314, abs=5e-8)


def test_constants_all_reproduce() -> None:
    c = reproduce_constants()
    assert (c.rel_diff.abs() < 0.002).all()


def test_in_sample_refund_identity_reproduces_actuals() -> None:
    frame = in_sample_identities()
    refunds = frame[frame.quantity == "refund"]
    assert refunds.year.tolist() == [2019, 2020, 2021, 2022]
    assert (refunds.rel_diff.abs() < 1e-4).all()
    benefits = frame[frame.quantity == "benefit_expenditure"]
    assert (benefits.rel_diff.abs() < 3e-3).all()  # m_t printed to 2 decimals


def test_printed_scenario_horizon() -> None:
    assert printed_scenario(2).drivers.index.tolist() == [2023, 2024]
    with pytest.raises(HorizonError, match=r"n_years = 6: the printed scenario covers only 5"):
        printed_scenario(6)


def test_expected_scenario_any_horizon_and_bad_horizon() -> None:
    s = expected_scenario(12)
    assert s.drivers.index.tolist() == list(range(2023, 2035))
    frame = s.run().to_frame()
    assert frame.notna().all().all()
    from fund.errors import FundParameterError

    with pytest.raises(FundParameterError, match=r"n_years = 0: must be an integer >= 1"):
        expected_scenario(0)


def test_expected_scenario_ratios_sit_at_cir_means() -> None:
    d = expected_scenario(3).drivers
    # printed (2.26): theta = 27.6603890 / 17.6080292 % ; (2.28): 94.993116 / 18.422775
    assert d["recipient_ratio"].iloc[-1] == pytest.approx(27.6603890 / 17.6080292 / 100, rel=1e-6)
    assert d["months_paid"].iloc[-1] == pytest.approx(94.993116 / 18.422775, rel=1e-6)


def test_table_10_with_the_literal_table_4_benefit_is_off_by_0_7_percent() -> None:
    """Errata E5: 10,950 x 1,681.47 元 x 5.12 = 0.94269934 亿元, 0.70% below the print."""
    frame = printed_scenario(2, benefit="forecast").run().to_frame()
    assert frame.loc[2023, "benefits"] == pytest.approx(0.94269934, abs=1e-8)
    assert frame.loc[2023, "benefits"] / 0.949383 - 1 == pytest.approx(-0.00704, abs=5e-5)
    from fund.errors import FundParameterError

    with pytest.raises(FundParameterError, match=r"benefit = 'typo': must be 'announced'"):
        printed_scenario(benefit="typo")


def test_table_9_in_sample_fits_use_actual_coverage_and_wage() -> None:
    """Errata 'checks that pass': (1.2) on actual P^i, w gives table 9's printed fits."""
    from fund import accounting as acc

    df = qinghai().loc[2018:2022]
    fitted = acc.contribution_due(acc.contribution_base(df["covered_10k"].to_numpy(),
                                                        df["urban_wage_yuan"].to_numpy()))
    printed = [3.197093, 3.482764, 4.146468, 5.158068, 6.158491]  # table 9
    assert fitted.tolist() == pytest.approx(printed, abs=1e-6)
