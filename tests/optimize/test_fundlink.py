"""The fund side of the problem: the linear decomposition in the spend per claim against
the full fund projection (exact with the coverage gate held open, conservative with it,
and on sampled Monte Carlo scenarios), the sustainable spend against a bisection on the
full projection, and the reproducibility of the Monte Carlo ensemble."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from fund.montecarlo import monte_carlo
from fund.projection import project_paths
from fund.rules import CHINA_2024, NO_RULES
from fund.scenarios import expected_scenario
from fund.stochastic import STOCHASTIC_DRIVERS
from optimize.errors import PolicyParameterError
from optimize.fundlink import FundLink, ScenarioSet

YUAN_PER_100M = 1e8


@pytest.fixture(scope="module")
def link() -> FundLink:
    return FundLink(expected_scenario(5, opening_reserve=6.0, interest_rate=0.011,
                                      rules=NO_RULES))


SPENDS = [0.0, 2500.0, 7083.9, 15000.0]
SPLITS = [0.0, 0.05, 0.5]          # share of the spend that is monitoring
MONTHS = [1.0, 4.63, 11.0]


@pytest.mark.parametrize("months", MONTHS)
@pytest.mark.parametrize("split", SPLITS)
@pytest.mark.parametrize("spend", SPENDS)
def test_linear_decomposition_equals_the_full_projection(link: FundLink, spend: float, split: float,
                                                         months: float) -> None:
    frame = link.projection(spend * (1 - split), spend * split, months)
    np.testing.assert_allclose(link.a + link.b * spend, frame["reserve"].to_numpy(),
                               rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(link.e + link.p * spend, frame["expenditure"].to_numpy(),
                               rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("death_rate", [0.0, 0.02])
def test_linear_decomposition_holds_for_any_scenario(death_rate: float) -> None:
    """FundLink takes any fund Scenario; its decomposition must match that scenario's full
    projection, including the funeral/survivor line (1.7) that scales with the benefit --
    or refuse the scenario, naming ``death_rate``; never a silently wrong reserve."""
    scen = expected_scenario(5, opening_reserve=6.0, death_rate=death_rate, rules=NO_RULES)
    try:
        fl = FundLink(scen)
    except PolicyParameterError as exc:
        assert death_rate > 0 and "death_rate" in str(exc)  # noqa: PT017  either outcome is valid; a refusal must name death_rate
        return
    for spend in (3000.0, 7000.0):
        frame = fl.projection(spend * 0.95, spend * 0.05, 4.0)
        np.testing.assert_allclose(fl.a + fl.b * spend, frame["reserve"].to_numpy(),
                                   rtol=1e-9, atol=1e-9, err_msg=f"death_rate={death_rate}")
        np.testing.assert_allclose(fl.e + fl.p * spend, frame["expenditure"].to_numpy(),
                                   rtol=1e-9, atol=1e-9, err_msg=f"death_rate={death_rate}")


def test_projection_lines_carry_the_policy(link: FundLink) -> None:
    """The benefit line is recipients x benefit per claim, monitoring lands in 'other'
    (both in 亿元 = 1e8 元); the rest of the fund is untouched by the policy."""
    base = link.projection(0.0, 0.0, 1.0)
    frame = link.projection(5000.0, 200.0, 4.0)
    rec = frame["recipients"].to_numpy()
    np.testing.assert_allclose(rec, link.recipients)
    np.testing.assert_allclose(frame["benefits"].to_numpy(), rec * 5000.0 / YUAN_PER_100M)
    np.testing.assert_allclose(frame["other"].to_numpy() - base["other"].to_numpy(),
                               rec * 200.0 / YUAN_PER_100M)
    np.testing.assert_allclose(frame["income"].to_numpy(), base["income"].to_numpy())
    assert np.all(link.b < 0) and np.all(link.p > 0)


def _sustainable(link: FundLink, spend: float, floor_months: float) -> bool:
    frame = link.projection(spend, 0.0, 4.63)
    return bool(np.all(frame["reserve"].to_numpy()
                       >= floor_months / 12.0 * frame["expenditure"].to_numpy()))


@pytest.mark.parametrize("floor_months", [0.0, 3.0, 6.0, 9.0, 12.0])
def test_max_spend_against_bisection_on_the_full_projection(link: FundLink,
                                                            floor_months: float) -> None:
    lo, hi = 0.0, 1e6
    assert _sustainable(link, lo, floor_months) and not _sustainable(link, hi, floor_months)
    for _ in range(80):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if _sustainable(link, mid, floor_months) else (lo, mid)
    got = float(link.deterministic.max_spend(floor_months)[0])
    assert got == pytest.approx(lo, rel=1e-8)


def test_max_spend_is_negative_when_even_zero_spend_breaks_the_floor() -> None:
    fl = FundLink(expected_scenario(5, opening_reserve=0.0, rules=NO_RULES))
    assert not _sustainable(fl, 0.0, 12.0)
    assert float(fl.deterministic.max_spend(12.0)[0]) < 0


@pytest.fixture(scope="module")
def ensemble(link: FundLink) -> ScenarioSet:
    return link.ensemble(64, rng=123)


def test_ensemble_is_reproducible_with_the_same_seed(link: FundLink, ensemble: ScenarioSet) -> None:
    again = link.ensemble(64, rng=123)
    for name in ("a", "b", "e", "p"):
        np.testing.assert_array_equal(getattr(ensemble, name), getattr(again, name))
    gen = link.ensemble(64, rng=np.random.default_rng(5))
    gen_again = link.ensemble(64, rng=np.random.default_rng(5))
    np.testing.assert_array_equal(gen.a, gen_again.a)


def test_ensemble_differs_with_another_seed(link: FundLink, ensemble: ScenarioSet) -> None:
    other = link.ensemble(64, rng=124)
    assert ensemble.a.shape == other.a.shape == (64, 5)
    assert not np.allclose(ensemble.a, other.a)
    assert not np.allclose(ensemble.max_spend(6.0), other.max_spend(6.0))


def test_ensemble_paths_differ_and_keep_the_sign_structure(ensemble: ScenarioSet) -> None:
    assert np.ptp(ensemble.a[:, -1]) > 0
    assert np.all(ensemble.b < 0) and np.all(ensemble.p > 0)


@pytest.mark.parametrize("row", [0, 17, 63])
def test_ensemble_max_spend_against_bisection(ensemble: ScenarioSet, row: int) -> None:
    a, b, e, p = (getattr(ensemble, k)[row] for k in ("a", "b", "e", "p"))

    def ok(s: float) -> bool:
        return bool(np.all(a + b * s >= 0.5 * (e + p * s)))

    lo, hi = -1e6, 1e6
    for _ in range(100):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if ok(mid) else (lo, mid)
    assert float(ensemble.max_spend(6.0)[row]) == pytest.approx(lo, rel=1e-8, abs=1e-6)


def test_fundlink_needs_a_scenario() -> None:
    with pytest.raises(PolicyParameterError, match=r"^scenario = "):
        FundLink("Qinghai")  # type: ignore[arg-type]  # wrong type on purpose


# ------------------------------------------------------------------ with the fund's rules
@pytest.fixture(scope="module")
def gated() -> FundLink:
    return FundLink(expected_scenario(5, rules=CHINA_2024))


@pytest.mark.parametrize("spend", [0.0, 2000.0, 5000.0, 9000.0, 20000.0])
def test_linear_slack_is_a_lower_bound_of_the_gated_fund(gated: FundLink, spend: float) -> None:
    """The coverage gate only removes spending: the open-gate (linear) reserve is never above
    the gated one, the open-gate expenditure never below, and both agree in every year up to
    the first one the gate shuts."""
    full = gated.projection(spend, 0.0, 4.0)
    reserve, spent = gated.a + gated.b * spend, gated.e + gated.p * spend
    assert np.all(reserve <= full["reserve"].to_numpy() + 1e-9)
    assert np.all(spent >= full["expenditure"].to_numpy() - 1e-9)
    shut = np.flatnonzero(full["gate_open"].to_numpy() == 0)
    upto = shut[0] if shut.size else len(reserve)
    np.testing.assert_allclose(reserve[:upto], full["reserve"].to_numpy()[:upto], rtol=1e-10)
    for months in (0.0, 6.0, 12.0):
        linear_ok = np.all(reserve >= months / 12 * spent)
        full_ok = np.all(full["reserve"] >= months / 12 * full["expenditure"])
        assert full_ok or not linear_ok, f"linear feasible but gated fund not ({months} m)"


def test_gate_shuts_in_the_default_case(gated: FundLink) -> None:
    """The default opening reserve is 12 months of 2022 expenditure: at the status quo's
    spend per claim (7,083.9 元) 2023 pays refunds, the end-2023 balance is below 12 months
    of 2023 expenditure, so 2024 does not -- the gate checked by hand from the projection's
    own columns."""
    full = gated.projection(7083.9, 0.0, 1.0, rules=CHINA_2024)
    v, co = full["reserve"].to_numpy(), full["expenditure"].to_numpy()
    opening = gated.scenario.opening
    expected = np.r_[opening["opening_reserve"] >= opening["opening_expenditure"],
                     v[:-1] >= co[:-1]]
    np.testing.assert_array_equal(full["gate_open"].to_numpy() == 1, expected)
    assert not expected.all()


def test_ensemble_decomposition_against_full_projections_of_sampled_scenarios(
        link: FundLink) -> None:
    """Each Monte Carlo scenario's (a, b, e, p) against a full projection of that scenario's
    simulated drivers with the policy's benefit line put in by hand."""
    n = 32
    ens = link.ensemble(n, rng=77)
    opening: dict[str, Any] = dict(link.scenario.opening)
    fixed = {k: link.scenario.drivers[k].to_numpy(float) for k in (
        "collection_rate", "sme_refund_rate", "large_refund_rate", "death_rate",
        "other_spending", "interest_rate")}
    sim = monte_carlo(n, 5, rng=77, fixed=fixed, opening=opening, rules=NO_RULES,
                      keep=STOCHASTIC_DRIVERS, block_size=n)
    drivers = {k: np.asarray(v, dtype=float) for k, v in sim.paths.items()}
    for spend in (0.0, 3000.0, 8000.0):
        d = dict(drivers) | fixed | {"monthly_benefit": spend, "months_paid": 1.0}
        full = project_paths(d, rules=NO_RULES, **opening)
        # float32 storage of the simulated drivers: agreement to ~1e-6 relative
        np.testing.assert_allclose(ens.a + ens.b * spend, full.reserve, rtol=2e-5, atol=2e-5)
        np.testing.assert_allclose(ens.e + ens.p * spend, full.expenditure, rtol=2e-5,
                                   atol=2e-5)
