"""The fund starts from the last data year, and says so: a quantity that year does not
report is refused by name, never taken from an earlier year in silence.

``total_expenditure`` leaves out years with an unreported line; the callers that need "the
last year" (the default opening reserve, the projection's opening values, the calibration
target of ``optimize.default_problem``) ask for that year by number.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from fund.data import qinghai, total_expenditure
from fund.errors import DataError
from fund.scenarios import OPENING_RESERVE_MONTHS, default_opening_reserve, expected_scenario
from fund.stochastic import StartState


def _with_gap(column: str, year: int = 2022) -> pd.DataFrame:
    df = qinghai().copy()
    df.loc[year, column] = np.nan
    return df


def test_the_default_opening_reserve_is_twelve_months_of_the_2022_expenditure() -> None:
    # The 2022 expenditure lines of seed 002 (亿元), typed by hand: benefits 0.710134,
    # refund 2.163974, skills 0.126060, medical 0.030104, other 0.023975, temporary
    # 3.033929; their sum is 6.088176.
    hand = 0.710134 + 2.163974 + 0.126060 + 0.030104 + 0.023975 + 3.033929
    assert float(total_expenditure().loc[2022]) == pytest.approx(hand, abs=1e-9)
    assert OPENING_RESERVE_MONTHS == 12.0
    assert default_opening_reserve() == pytest.approx(6.0882, abs=5e-5)


def test_an_unreported_line_in_the_last_year_is_refused_not_replaced_by_2021() -> None:
    df = _with_gap("refund_100m_yuan")
    # total_expenditure drops 2022, so its last entry is 2021: the old code used it
    assert int(total_expenditure(df).index[-1]) == 2021
    with pytest.raises(DataError, match=r"year 2022: total expenditure needs every "
                                        r"expenditure line reported \(the default opening"):
        default_opening_reserve(df)


def test_a_given_opening_reserve_still_needs_the_last_years_expenditure() -> None:
    df = _with_gap("refund_100m_yuan")
    with pytest.raises(DataError, match=r"year 2022: .*coverage gate"):
        expected_scenario(3, data=df, opening_reserve=5.0)


def test_the_calibration_target_is_the_last_years_months_paid() -> None:
    df = _with_gap("months_paid")
    with pytest.raises(DataError, match=r"year 2022, column 'months_paid'"):
        StartState.from_data(df)
    assert StartState.from_data(qinghai()).months_paid == 4.63  # seed 002 table 7, 2022
