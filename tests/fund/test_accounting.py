"""The chapter-1 identities (fund.accounting) and the projection (fund.projection),
checked against hand computations and the seed's actuals."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest

from fund import accounting as acc
from fund.data import qinghai
from fund.errors import DataError, FundParameterError, HorizonError
from fund.projection import DRIVERS, project, project_paths

# --- identities, by hand -------------------------------------------------------------------


def test_contribution_base_by_hand() -> None:
    # 63.40 万人 x 96,348 元 x 1% = 634,000 x 96,348 x 0.01 = 610,846,320 元 = 6.1084632 亿元
    assert float(acc.contribution_base(63.40, 96348.0)) == pytest.approx(6.1084632, rel=1e-12)


def test_contribution_due_and_collected_by_hand() -> None:
    # 0.9182 x 6.1084632 + 0.5497 = 5.60879091 + 0.5497 = 6.15849091 (table 9 fits 6.158491)
    due = acc.contribution_due(6.1084632)
    assert float(due) == pytest.approx(6.15849091, abs=1e-8)
    assert float(acc.collected_income(8.0, 0.95)) == pytest.approx(7.6)


def test_benefits_by_hand_match_2022_actual() -> None:
    # 10,018 x 1,530 元 x 4.63 months = 70,966,510.2 元 = 0.709665102 亿元
    b = acc.benefit_expenditure(10018, 1530.0, 4.63)
    assert float(b) == pytest.approx(0.709665102, rel=1e-9)
    assert float(b) == pytest.approx(qinghai().loc[2022, "benefit_expenditure_100m_yuan"],
                                     rel=1e-3)  # m is printed to 2 decimals


def test_recipients_by_hand() -> None:
    assert float(acc.recipients(0.0158, 63.40)) == pytest.approx(10017.2)


def test_funeral_survivor_by_hand() -> None:
    # 2% of 5,000 recipients die: 100 x 15 months x 1,600 元 = 2,400,000 元 = 0.024 亿元
    assert float(acc.funeral_survivor(0.02, 5000, 1600.0)) == pytest.approx(0.024)


def test_refund_by_hand() -> None:
    # 10 x (1 - 0.4) x (0.5 x 0.9 + 0.5 x 0.5) = 10 x 0.6 x 0.7 = 4.2
    assert float(acc.job_retention_refund(10.0, 0.4, 0.5)) == pytest.approx(4.2)
    # all SMEs at 100% refund, no ineligible units: the whole previous income
    assert float(acc.job_retention_refund(3.0, 0.0, 1.0, 1.0, 0.0)) == pytest.approx(3.0)


def test_refund_reproduces_2022_actual_from_table_8() -> None:
    df = qinghai()
    r = acc.job_retention_refund(df.loc[2021, "income_collected_100m_yuan"], 0.3872, 0.4254,
                                 0.9, 0.5)
    assert float(r) == pytest.approx(2.163974, rel=1e-4)


def test_medical_and_skills_paths_by_hand() -> None:
    assert acc.medical_subsidy(2.0, [0.5, 0.5, -0.5]).tolist() == pytest.approx([3.0, 4.5, 2.25])
    assert acc.skills_subsidy_path(1.0, [1.0, 0.0]).tolist() == pytest.approx([2.0, 2.0])
    # (1.8): 20,000 recipients last year, +10%, 1,000 元 each = 22,000,000 元 = 0.22 亿元
    assert float(acc.skills_subsidy(20_000, 0.1, 1000.0)) == pytest.approx(0.22)


def test_reserve_recursion_by_hand() -> None:
    # V1 = 100 x 1.02 + 10 - 30 = 82; V2 = 82 x 1.02 + 10 - 5 = 88.64
    v = acc.reserve_path(100.0, [10.0, 10.0], [30.0, 5.0], 0.02)
    assert v.tolist() == pytest.approx([82.0, 88.64])


def test_reserve_broadcasts_over_paths() -> None:
    opening = np.array([0.0, 10.0, 20.0])
    net_in = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    v = acc.reserve_path(opening, net_in, np.zeros(2), 0.0)
    assert v.shape == (3, 2)
    assert v.tolist() == [[1.0, 3.0], [13.0, 17.0], [25.0, 31.0]]


def test_identities_broadcast_over_a_paths_axis() -> None:
    covered = np.array([[60.0, 70.0, 80.0], [30.0, 35.0, 40.0]])  # (2 paths, 3 years)
    wage = np.array([100_000.0, 110_000.0, 120_000.0])  # (3 years)
    base = acc.contribution_base(covered, wage)
    assert base.shape == (2, 3)
    assert base[1, 2] == pytest.approx(40.0 * 120_000.0 * 1e-6)


def test_total_expenditure_sums() -> None:
    assert float(acc.total_expenditure(1.0, 0.25, 0.5)) == pytest.approx(1.75)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: acc.job_retention_refund(1.0, -0.1, 0.5),
         r"non_eligible_share = -0.1: must be >= 0"),
        (lambda: acc.job_retention_refund(1.0, 0.1, 1.5), r"sme_share = 1.5: must be <= 1"),
        (lambda: acc.contribution_base(-1.0, 1.0), r"covered = -1.0: must be >= 0"),
        (lambda: acc.contribution_base(1.0, 1.0, rate=-0.01), r"rate = -0.01: must be >= 0"),
        (lambda: acc.benefit_expenditure(1, 1.0, 13.0), r"months = 13.0: must be <= 12"),
        (lambda: acc.collected_income(1.0, -0.5), r"collection_rate = -0.5: must be >= 0"),
        (lambda: acc.medical_subsidy(1.0, [0.1, -1.0]), r"medical_growth = -1.0: must be > -1"),
        (lambda: acc.reserve_path(0.0, [1.0], [1.0], -2.0), r"interest_rate = -2.0: must be > -1"),
        (lambda: acc.recipients(float("nan"), 1.0), r"recipient_ratio = nan: must be finite"),
        (lambda: acc.funeral_survivor(1.2, 1, 1.0), r"death_rate = 1.2: must be <= 1"),
    ],
)
def test_bad_inputs_raise_named_errors(call: Callable[[], object], message: str) -> None:
    with pytest.raises(FundParameterError, match=message):
        call()


# --- projection ----------------------------------------------------------------------------

BASE: dict[str, Any] = {
    "covered": [60.0, 70.0], "wage": [100_000.0, 110_000.0], "recipient_ratio": 0.02,
    "monthly_benefit": 1500.0, "months_paid": 5.0, "non_eligible_share": 0.4,
    "sme_share": 0.5, "collection_rate": 0.9,
}


def test_projection_by_hand() -> None:
    p = project_paths(BASE, opening_reserve=10.0, opening_income=5.0, opening_medical=0.1,
                      opening_skills=0.2, income_slope=1.0, income_intercept=0.0)
    # year 1: X = 60e4 x 1e5 x 1% / 1e8 = 6; income 5.4; recipients 12,000
    #   B = 12,000 x 1,500 x 5 / 1e8 = 0.9; R = 5 x 0.6 x 0.7 = 2.1; M = 0.1; A = 0.2
    #   CO = 3.3; V = 10 + 5.4 - 3.3 = 12.1
    # year 2: X = 70e4 x 1.1e5 / 1e10 = 7.7; income 6.93; recipients 14,000
    #   B = 14,000 x 1,500 x 5 / 1e8 = 1.05; R = 5.4 x 0.42 = 2.268; CO = 3.618
    #   V = 12.1 + 6.93 - 3.618 = 15.412
    assert p.income.tolist() == pytest.approx([5.4, 6.93])
    assert p.benefits.tolist() == pytest.approx([0.9, 1.05])
    assert p.refund.tolist() == pytest.approx([2.1, 2.268])
    assert p.expenditure.tolist() == pytest.approx([3.3, 3.618])
    assert p.reserve.tolist() == pytest.approx([12.1, 15.412])


def test_projection_lines_add_up_and_reserve_recursion_holds() -> None:
    rng = np.random.default_rng(3)
    drivers = {**BASE, "covered": 50 + 20 * rng.random((7, 4)),
               "wage": [9e4, 1e5, 1.1e5, 1.2e5],
               "months_paid": 4 + rng.random((7, 4)), "interest_rate": 0.03,
               "death_rate": 0.01, "medical_growth": 0.05, "other_spending": 1.5}
    p = project_paths(drivers, opening_reserve=np.linspace(0, 6, 7), opening_income=5.0,
                      opening_medical=0.1)
    assert p.shape == (7, 4)
    lines = sum(getattr(p, name) for name in p.EXPENDITURE_LINES)
    assert np.allclose(lines, p.expenditure)
    prev = np.column_stack([np.linspace(0, 6, 7), p.reserve[:, :-1]])
    assert np.allclose(p.reserve - 1.03 * prev, p.income - p.expenditure)
    # each path equals a one-path projection of its own drivers
    one = project_paths({**drivers, "covered": drivers["covered"][4],
                         "months_paid": drivers["months_paid"][4]},
                        opening_reserve=np.linspace(0, 6, 7)[4], opening_income=5.0,
                        opening_medical=0.1)
    assert np.allclose(one.reserve, p.reserve[4])


def test_driver_table_documents_every_name() -> None:
    assert {d.name for d in DRIVERS} >= set(BASE)
    assert project_paths.__doc__ is not None
    for d in DRIVERS:
        assert d.name in project_paths.__doc__


@pytest.mark.parametrize(
    ("change", "error", "message"),
    [
        ({"recipient_ratio": -0.1}, FundParameterError,
         r"recipient_ratio = -0.1: must lie in \[0, 1\]"),
        ({"interest_rate": -1.0}, FundParameterError, r"interest_rate = -1.0: must lie in \(-1"),
        ({"bogus": 1.0}, FundParameterError, r"unknown driver"),
        ({"covered": [1.0, 2.0, 3.0]}, FundParameterError, r"shapes must broadcast"),
    ],
)
def test_projection_rejects_bad_drivers(change: dict[str, Any], error: type[Exception],
                                        message: str) -> None:
    with pytest.raises(error, match=message):
        project_paths({**BASE, **change}, opening_reserve=0.0, opening_income=1.0)


def test_projection_requires_core_drivers() -> None:
    drivers = dict(BASE)
    del drivers["wage"]
    with pytest.raises(FundParameterError, match=r"wage = None: required driver is missing"):
        project_paths(drivers, opening_reserve=0.0, opening_income=1.0)


def test_projection_rejects_negative_opening_income() -> None:
    with pytest.raises(FundParameterError, match=r"opening_income = -1.0: must be >= 0"):
        project_paths(BASE, opening_reserve=0.0, opening_income=-1.0)


def _frame(years: list[int]) -> pd.DataFrame:
    return pd.DataFrame({k: np.resize(np.asarray(v, dtype=float), len(years))
                         for k, v in BASE.items()}, index=pd.Index(years, name="year"))


def test_project_frame_is_year_indexed() -> None:
    p = project(_frame([2023, 2024]), opening_reserve=0.0, opening_income=5.0, data_end=2022)
    frame = p.to_frame()
    assert list(frame.index) == [2023, 2024]
    assert frame.attrs["units"]["reserve"] == "亿元"
    assert {"income", "benefits", "refund", "reserve", "expenditure"} <= set(frame.columns)


def test_horizon_before_data_end() -> None:
    with pytest.raises(HorizonError, match=r"start year = 2021: .* \(2023\)"):
        project(_frame([2021, 2022]), opening_reserve=0.0, opening_income=5.0, data_end=2022)


def test_missing_year_in_drivers() -> None:
    with pytest.raises(HorizonError, match=r"year 2025 does not follow"):
        project(_frame([2023, 2025]), opening_reserve=0.0, opening_income=5.0)


def test_nan_driver_is_an_error_not_a_silent_nan() -> None:
    frame = _frame([2023, 2024])
    frame.loc[2024, "months_paid"] = np.nan
    with pytest.raises(DataError, match=r"year 2024, column 'months_paid': missing value"):
        project(frame, opening_reserve=0.0, opening_income=5.0)
