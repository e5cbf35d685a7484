"""The fund side of the problem: the linear decomposition in the spend per claim against
the full fund projection, the sustainable spend against a bisection on the full
projection, and the reproducibility of the Monte Carlo ensemble."""

from __future__ import annotations

import numpy as np
import pytest

from fund.scenarios import expected_scenario
from optimize.errors import PolicyParameterError
from optimize.fundlink import FundLink

YUAN_PER_100M = 1e8


@pytest.fixture(scope="module")
def link() -> FundLink:
    return FundLink(expected_scenario(5, opening_reserve=6.0, interest_rate=0.011))


SPENDS = [0.0, 2500.0, 7083.9, 15000.0]
SPLITS = [0.0, 0.05, 0.5]          # share of the spend that is monitoring
MONTHS = [1.0, 4.63, 11.0]


@pytest.mark.parametrize("months", MONTHS)
@pytest.mark.parametrize("split", SPLITS)
@pytest.mark.parametrize("spend", SPENDS)
def test_linear_decomposition_equals_the_full_projection(link, spend, split, months):
    frame = link.projection(spend * (1 - split), spend * split, months)
    np.testing.assert_allclose(link.a + link.b * spend, frame["reserve"].to_numpy(),
                               rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(link.e + link.p * spend, frame["expenditure"].to_numpy(),
                               rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("death_rate", [0.0, 0.02])
def test_linear_decomposition_holds_for_any_scenario(death_rate):
    """FundLink takes any fund Scenario; its decomposition must match that scenario's full
    projection, including the funeral/survivor line (1.7) that scales with the benefit --
    or refuse the scenario, naming ``death_rate``; never a silently wrong reserve."""
    scen = expected_scenario(5, opening_reserve=6.0, death_rate=death_rate)
    try:
        fl = FundLink(scen)
    except PolicyParameterError as exc:
        assert death_rate > 0 and "death_rate" in str(exc)
        return
    for spend in (3000.0, 7000.0):
        frame = fl.projection(spend * 0.95, spend * 0.05, 4.0)
        np.testing.assert_allclose(fl.a + fl.b * spend, frame["reserve"].to_numpy(),
                                   rtol=1e-9, atol=1e-9, err_msg=f"death_rate={death_rate}")
        np.testing.assert_allclose(fl.e + fl.p * spend, frame["expenditure"].to_numpy(),
                                   rtol=1e-9, atol=1e-9, err_msg=f"death_rate={death_rate}")


def test_projection_lines_carry_the_policy(link):
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
def test_max_spend_against_bisection_on_the_full_projection(link, floor_months):
    lo, hi = 0.0, 1e6
    assert _sustainable(link, lo, floor_months) and not _sustainable(link, hi, floor_months)
    for _ in range(80):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if _sustainable(link, mid, floor_months) else (lo, mid)
    got = float(link.deterministic.max_spend(floor_months)[0])
    assert got == pytest.approx(lo, rel=1e-8)


def test_max_spend_is_negative_when_even_zero_spend_breaks_the_floor():
    fl = FundLink(expected_scenario(5, opening_reserve=0.0))
    assert not _sustainable(fl, 0.0, 12.0)
    assert float(fl.deterministic.max_spend(12.0)[0]) < 0


@pytest.fixture(scope="module")
def ensemble(link):
    return link.ensemble(64, rng=123)


def test_ensemble_is_reproducible_with_the_same_seed(link, ensemble):
    again = link.ensemble(64, rng=123)
    for name in ("a", "b", "e", "p"):
        np.testing.assert_array_equal(getattr(ensemble, name), getattr(again, name))
    gen = link.ensemble(64, rng=np.random.default_rng(5))
    gen_again = link.ensemble(64, rng=np.random.default_rng(5))
    np.testing.assert_array_equal(gen.a, gen_again.a)


def test_ensemble_differs_with_another_seed(link, ensemble):
    other = link.ensemble(64, rng=124)
    assert ensemble.a.shape == other.a.shape == (64, 5)
    assert not np.allclose(ensemble.a, other.a)
    assert not np.allclose(ensemble.max_spend(6.0), other.max_spend(6.0))


def test_ensemble_paths_differ_and_keep_the_sign_structure(ensemble):
    assert np.ptp(ensemble.a[:, -1]) > 0
    assert np.all(ensemble.b < 0) and np.all(ensemble.p > 0)


@pytest.mark.parametrize("row", [0, 17, 63])
def test_ensemble_max_spend_against_bisection(ensemble, row):
    a, b, e, p = (getattr(ensemble, k)[row] for k in ("a", "b", "e", "p"))

    def ok(s):
        return bool(np.all(a + b * s >= 0.5 * (e + p * s)))

    lo, hi = -1e6, 1e6
    for _ in range(100):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if ok(mid) else (lo, mid)
    assert float(ensemble.max_spend(6.0)[row]) == pytest.approx(lo, rel=1e-8, abs=1e-6)


def test_fundlink_needs_a_scenario():
    with pytest.raises(PolicyParameterError, match="^scenario = "):
        FundLink("Qinghai")  # type: ignore[arg-type]
