"""Sustainability metrics, against hand computations and a brute-force count."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from fund.errors import FundParameterError
from fund.metrics import (
    average_high_cost_multiple,
    average_high_cost_rate,
    benefit_cost_rate,
    floor_from_months,
    months_payable,
    probability_below_floor,
    probability_below_floor_by_year,
    reserve_ratio,
    reserve_to_expenditure,
)


def test_months_payable_by_hand() -> None:
    # 9 亿元 of reserve, 36 亿元 spent a year = 3 亿元 a month -> 3 months
    assert months_payable(9.0, 36.0).tolist() == 3.0
    assert months_payable([[-3.0, 6.0]], [12.0, 12.0]).tolist() == [[-3.0, 6.0]]


def test_ratios_by_hand() -> None:
    assert float(reserve_to_expenditure(30.0, 20.0)) == 1.5
    assert float(reserve_ratio(1.5, 300.0)) == pytest.approx(0.005)
    assert float(benefit_cost_rate(0.6, 300.0)) == pytest.approx(0.002)


def test_average_high_cost_rate_window_by_hand() -> None:
    # history 1%, 4%, 2%; projected 3%, 0.5%, 5%
    rates = [0.03, 0.005, 0.05]
    out = average_high_cost_rate(rates, history=[0.01, 0.04, 0.02])
    # year 1: top3 of {1,4,2,3} = 4,3,2 -> 3%; year 2: same -> 3%; year 3: 5,4,3 -> 4%
    assert out.tolist() == pytest.approx([0.03, 0.03, 0.04])
    # a 3-year lookback forgets the early years: windows {2,3,?}...
    short = average_high_cost_rate(rates, history=[0.01, 0.04, 0.02], lookback=3)
    # windows: {4,2,3} -> 3%; {2,3,0.5} -> 1.8333%; {3,0.5,5} -> 2.8333%
    assert short.tolist() == pytest.approx([0.03, 0.055 / 3, 0.085 / 3])


def test_ahcm_by_hand_and_over_paths() -> None:
    # reserve ratio 6/100 = 6%; AHCR = 3% -> AHCM = 2
    out = average_high_cost_multiple(6.0, 100.0, [0.01], history=[0.02, 0.03, 0.04])
    assert out.tolist() == pytest.approx([2.0])
    paths = average_high_cost_multiple(np.array([[6.0], [3.0]]), 100.0,
                                       np.array([[0.01], [0.10]]), history=[0.02, 0.03, 0.04])
    # path 2: top3 {10,4,3} -> 17/3 %, ratio 3% -> 9/17
    assert paths[:, 0].tolist() == pytest.approx([2.0, 9 / 17])


def test_ahcm_needs_enough_years() -> None:
    with pytest.raises(FundParameterError, match=r"history = 1: .*need n_highest = 3"):
        average_high_cost_rate([0.01], history=[0.02])


def test_probability_below_floor_matches_brute_force() -> None:
    rng = np.random.default_rng(11)
    paths = rng.normal(1.0, 2.0, size=(500, 6)).cumsum(axis=1)
    floor = np.linspace(-1.0, 2.0, 6)
    count = 0
    for path in paths:
        if any(path[t] < floor[t] for t in range(6)):
            count += 1
    assert probability_below_floor(paths, floor) == pytest.approx(count / 500)
    by_year = probability_below_floor_by_year(paths, floor)
    assert np.all(np.diff(by_year) >= 0)
    first = [sum(any(p[s] < floor[s] for s in range(t + 1)) for p in paths) / 500
             for t in range(6)]
    assert by_year.tolist() == pytest.approx(first)


def test_floor_in_months_of_expenditure() -> None:
    # floor of 3 months when spending 8 亿元 a year = 2 亿元
    assert floor_from_months(3, [8.0]).tolist() == [2.0]
    reserve = np.array([[3.0, 1.0], [3.0, 2.5]])
    assert probability_below_floor(reserve, floor_from_months(3, [8.0, 8.0])) == 0.5


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: months_payable(1.0, 0.0), r"expenditure = 0.0: must be > 0"),
        (lambda: reserve_ratio(1.0, -5.0), r"total_wages = -5.0: must be > 0"),
        (lambda: months_payable(float("nan"), 1.0), r"reserve = nan: must be finite"),
        (lambda: probability_below_floor(np.ones((2, 3)), np.zeros(4)),
         r"floor = \(4,\): must broadcast"),
        (lambda: probability_below_floor(5.0), r"reserve_paths = \(\): must have shape"),
        (lambda: average_high_cost_rate([-0.01], history=[0.1, 0.2]),
         r"cost_rates = -0.01: must be >= 0"),
        (lambda: average_high_cost_rate([0.01], history=[0.1, -0.2]),
         r"history = -0.2: must be >= 0"),
        (lambda: floor_from_months(-1, [1.0]), r"months = -1.0: must be >= 0"),
    ],
)
def test_bad_inputs(call: Callable[[], object], message: str) -> None:
    with pytest.raises(FundParameterError, match=message):
        call()
