"""The fund as one model: the central path against the Monte Carlo, one opening reserve,
income proportional to the rate, the fund's rules by hand, horizons."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest

from fund import accounting as acc
from fund.data import qinghai, total_expenditure
from fund.errors import FundParameterError
from fund.montecarlo import MonteCarloResult, monte_carlo
from fund.projection import FundPaths, project_paths
from fund.rules import CHINA_2024, NO_RULES, FundRules
from fund.scenarios import (
    TREND_HORIZON_YEARS,
    ExtrapolationWarning,
    central_gap,
    default_opening_reserve,
    expected_scenario,
    printed_scenario,
)
from fund.stochastic import STOCHASTIC_DRIVERS, StartState, StochasticModel


@pytest.fixture(scope="module")
def ensemble() -> MonteCarloResult:
    return monte_carlo(6000, 5, rng=20261201, block_size=2000, chunk_size=6000)


# ------------------------------------------------------------------ one model
def test_central_path_lies_inside_the_monte_carlo_band_every_year(
        ensemble: MonteCarloResult) -> None:
    table = central_gap(ensemble)
    assert table["inside_band"].all(), table
    # and it is not at the edge: within half a standard deviation of the mean
    assert (table["gap_sd"].abs() < 0.5).all(), table


def test_central_path_is_the_model_with_shocks_at_their_means() -> None:
    """The scenario's simulated drivers are the process objects' forecasts, checked against
    the processes' formulas written here: CIR conditional means, log-GDP AR(2) with zero
    innovations, the wage link on GDP per worker."""
    model, start = StochasticModel.printed(), StartState.from_data()
    drivers = expected_scenario(3).drivers
    rr = model.recipient_ratio
    h = np.arange(1, 4)
    mean = rr.theta + (start.recipient_ratio_pct - rr.theta) * np.exp(-rr.kappa * h)
    np.testing.assert_allclose(drivers["recipient_ratio"], mean / 100, rtol=1e-12)
    g = model.gdp
    logy = [np.log(start.gdp_prev), np.log(start.gdp)]
    for k in range(1, 4):
        logy.append(g.ar1 * logy[-1] + g.ar2 * logy[-2]
                    + g.trend * (start.year + k - g.base_year) + g.const)
    gdp = np.exp(logy[2:])
    total = model.employment_total.forecast(
        start.employment_total, 3 + start.year - start.total_employment_year)[-3:]
    wage = model.wage.slope * 1e4 * gdp / total + model.wage.intercept
    np.testing.assert_allclose(drivers["wage"], wage, rtol=1e-12)
    assert set(STOCHASTIC_DRIVERS) <= set(drivers.columns)


def test_monte_carlo_and_scenario_share_fixed_drivers_and_opening() -> None:
    scen = expected_scenario(5)
    mc = monte_carlo(200, 5, rng=3, keep=("reserve", "income"), block_size=200)
    quiet = monte_carlo(200, 5, rng=3, keep=("reserve",), block_size=200,
                        model=StochasticModel.printed().scaled_noise(1e-12))
    # with (almost) no noise, only the benefit reset is random: its 2023 reserve spread is
    # below that of the full model, and every path starts from the same opening reserve
    assert np.ptp(quiet.paths["reserve"][:, 0]) < np.ptp(mc.paths["reserve"][:, 0])
    assert scen.opening["opening_reserve"] == default_opening_reserve()


# ------------------------------------------------------------------ opening reserve
def test_one_opening_reserve_everywhere() -> None:
    from optimize import default_problem

    v0 = default_opening_reserve()
    assert v0 == pytest.approx(float(total_expenditure(qinghai()).loc[2022]))   # 12 months
    assert expected_scenario(2).opening["opening_reserve"] == v0
    assert printed_scenario(2).opening["opening_reserve"] == v0
    assert default_problem().fund.scenario.opening["opening_reserve"] == v0
    # monte_carlo's default: the reserve of a path with zero net flow would be v0 (1 + i);
    # check it from the 2023 identity V = V0 (1 + i) + income - expenditure on stored paths
    res = monte_carlo(50, 1, rng=1, keep=("reserve", "income", "expenditure"), block_size=50)
    implied = (res.paths["reserve"][:, 0] - res.paths["income"][:, 0]
               + res.paths["expenditure"][:, 0]) / 1.011
    np.testing.assert_allclose(implied, v0, rtol=1e-5)


# ------------------------------------------------------------------ income and the rate
BASE: dict[str, Any] = {"covered": [60.0, 70.0], "wage": 100_000.0, "recipient_ratio": 0.015,
        "monthly_benefit": 1500.0, "months_paid": 5.0, "non_eligible_share": 0.4,
        "sme_share": 0.5, "collection_rate": 0.95}


def _run(rate: float) -> FundPaths:
    return project_paths(BASE, opening_reserve=1.0, opening_income=5.0, contribution_rate=rate)


def test_income_is_proportional_to_the_contribution_rate() -> None:
    zero, one, two = _run(0.0), _run(0.01), _run(0.02)
    assert np.all(zero.contribution_due == 0) and np.all(zero.income == 0)
    np.testing.assert_allclose(two.contribution_due, 2 * one.contribution_due, rtol=1e-14)
    np.testing.assert_allclose(two.contribution_base, 2 * one.contribution_base, rtol=1e-14)
    # at 1% the seed's (1.2): 0.9182 * 6.0 + 0.5497 (X = 60e4 x 1e5 x 1% / 1e8 = 6 亿元)
    assert one.contribution_due[0] == pytest.approx(0.9182 * 6.0 + 0.5497, abs=1e-12)
    # the payroll does not depend on the rate, so no metric divides by it
    np.testing.assert_array_equal(zero.payroll, one.payroll)
    assert zero.payroll[0] == pytest.approx(600.0)


def test_metrics_work_at_rate_zero() -> None:
    from fund.metrics import benefit_cost_rate, months_payable, reserve_ratio

    p = _run(0.0)
    assert np.all(np.isfinite(reserve_ratio(p.reserve, p.payroll)))
    assert np.all(np.isfinite(benefit_cost_rate(p.benefits, p.payroll)))
    assert np.all(np.isfinite(months_payable(p.reserve, p.expenditure)))


# ------------------------------------------------------------------ the fund's rules
RULE_DRIVERS: dict[str, Any] = {"covered": 50.0, "wage": [100_000.0] * 3, "recipient_ratio": 0.0,
                "monthly_benefit": 0.0, "months_paid": 0.0, "non_eligible_share": 0.0,
                "sme_share": 1.0, "sme_refund_rate": 0.5, "collection_rate": 1.0,
                "other_spending": 4.0}
# income: X = 5 亿元, LI = X at slope 1, intercept 0; refund = 0.5 LI_{t-1} = 2.5 (opening
# income 5); skills 1.0 flat; other 4.0.  Expenditure 7.5 with the gate open, 4.0 shut.


def _gated(opening_reserve: float, rules: FundRules) -> FundPaths:
    return project_paths(RULE_DRIVERS, opening_reserve=opening_reserve, opening_income=5.0,
                         opening_skills=1.0, opening_expenditure=6.0, income_slope=1.0,
                         income_intercept=0.0, rules=rules)


def test_coverage_gate_by_hand() -> None:
    # year 1: V0 = 6 >= 12/12 * 6 -> paid, V1 = 6 + 5 - 7.5 = 3.5;
    # year 2: 3.5 < 7.5 -> shut, V2 = 3.5 + 5 - 4 = 4.5;
    # year 3: 4.5 >= 4.0 -> paid, V3 = 4.5 + 5 - 7.5 = 2.0
    p = _gated(6.0, CHINA_2024)
    assert p.gate_open.tolist() == [1.0, 0.0, 1.0]
    assert p.refund.tolist() == [2.5, 0.0, 2.5]
    assert p.skills.tolist() == [1.0, 0.0, 1.0]
    np.testing.assert_allclose(p.reserve, [3.5, 4.5, 2.0])
    # without the gate every year pays: 6 - 2.5 k
    np.testing.assert_allclose(_gated(6.0, NO_RULES).reserve, [3.5, 1.0, -1.5])


def test_borrowing_rate_and_stop_by_hand() -> None:
    rules = FundRules(gate_months=None, borrowing_rate=0.10)
    # V: 1 - 2.5 = -1.5; then -1.5 * 1.1 - 2.5 = -4.15; then -4.15 * 1.1 - 2.5 = -7.065
    np.testing.assert_allclose(_gated(1.0, rules).reserve, [-1.5, -4.15, -7.065])
    stop = _gated(1.0, FundRules(gate_months=None, negative_reserve="stop"))
    np.testing.assert_allclose(stop.reserve, [0.0, 0.0, 0.0])
    np.testing.assert_allclose(stop.shortfall, [1.5, 2.5, 2.5])


def test_rules_refuse_bad_settings_by_name() -> None:
    with pytest.raises(FundParameterError, match=r"^gate_months = -1"):
        FundRules(gate_months=-1)
    with pytest.raises(FundParameterError, match=r"^borrowing_rate = -2"):
        FundRules(borrowing_rate=-2)
    with pytest.raises(FundParameterError, match=r"^opening_expenditure = None"):
        project_paths(RULE_DRIVERS, opening_reserve=1.0, opening_income=5.0, rules=CHINA_2024)
    with pytest.raises(FundParameterError, match=r"^rules = "):
        project_paths(RULE_DRIVERS, opening_reserve=1.0, opening_income=5.0,
                      rules="china")  # type: ignore[arg-type]  # wrong type on purpose


def test_rules_apply_path_by_path_in_the_monte_carlo() -> None:
    res = monte_carlo(300, 3, rng=5, keep=("reserve", "expenditure", "gate_open", "refund"),
                      block_size=300)
    gate = res.paths["gate_open"]
    assert set(np.unique(gate)) <= {0.0, 1.0}
    assert np.all(res.paths["refund"][gate == 0] == 0)
    v, co = res.paths["reserve"].astype(float), res.paths["expenditure"].astype(float)
    # the gate of year t+1 from year t's balance (float32 storage: skip near-ties)
    margin = v[:, :-1] - co[:, :-1]
    clear = np.abs(margin) > 1e-3
    np.testing.assert_array_equal((gate[:, 1:] == 1)[clear], (margin >= 0)[clear])


# ------------------------------------------------------------------ horizons
def test_horizon_past_fifteen_years_warns() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", ExtrapolationWarning)
        expected_scenario(TREND_HORIZON_YEARS)
    with pytest.warns(ExtrapolationWarning, match=r"n_years = 16: past 15 years"):
        expected_scenario(TREND_HORIZON_YEARS + 1)


def test_accounting_identities_are_the_projections() -> None:
    """The projection's lines and accounting's public identities both equal the numbers
    worked by hand from seed 002 (1.1)-(1.5) for BASE (not each other's output)."""
    p = _run(0.01)
    cov, w = np.asarray(BASE["covered"]), BASE["wage"]
    # X = 60e4 persons x 100,000 元 x 1% / 1e8 = 6.0 亿元; 70e4 -> 7.0
    base = [6.0, 7.0]
    # P^r = 1.5% x 60e4 = 9,000 and 10,500 persons; B = P^r x 1,500 x 5 / 1e8 亿元
    recipients = [9000.0, 10500.0]
    benefits = [0.675, 0.7875]
    due = [0.9182 * 6.0 + 0.5497, 0.9182 * 7.0 + 0.5497]          # (1.2)
    for got, want in ((p.contribution_base, base), (acc.contribution_base(cov, w), base),
                      (p.recipients, recipients), (acc.recipients(0.015, cov), recipients),
                      (p.benefits, benefits),
                      (acc.benefit_expenditure(recipients, 1500.0, 5.0), benefits),
                      (p.contribution_due, due), (acc.contribution_due(base), due)):
        np.testing.assert_allclose(got, want, rtol=1e-12)
