"""Tests of fund.stochastic and fund.montecarlo: reproducibility, chunking, quantiles,
the deterministic limit and bounded-memory histograms."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fund.errors import DataError, FundError, FundParameterError
from fund.metrics import probability_below_floor
from fund.montecarlo import monte_carlo
from fund.projection import project
from fund.scenarios import expected_scenario
from fund.stochastic import STOCHASTIC_DRIVERS, StartState, StochasticModel

SMALL: dict[str, Any] = {"block_size": 256, "chunk_size": 512}


@pytest.fixture(scope="module")
def model() -> StochasticModel:
    return StochasticModel.printed()


@pytest.fixture(scope="module")
def start() -> StartState:
    return StartState.from_data()


def test_start_state_from_qinghai(start: StartState) -> None:
    assert start.year == 2022
    assert (start.gdp_prev, start.gdp) == (3346.63, 3610.1)
    assert start.total_employment_year == 2021        # 2022 total employment unreported
    assert start.replacement_rate == pytest.approx(1530 / 8029)


def test_start_state_missing_value_is_a_data_error() -> None:
    from fund.data import qinghai

    df = qinghai().copy()
    df.loc[2022, "covered_10k"] = np.nan
    with pytest.raises(DataError, match="year 2022, column 'covered_10k'"):
        StartState.from_data(df)


def test_simulated_drivers_shapes_and_ranges(model: StochasticModel, start: StartState) -> None:
    d = model.simulate_drivers(start, 4, 300, rng=3)
    for name in STOCHASTIC_DRIVERS:
        assert d[name].shape == (300, 4), name
        assert np.all(np.isfinite(d[name])) and np.all(d[name] >= 0), name
    for share in ("recipient_ratio", "non_eligible_share", "sme_share"):
        assert np.all(d[share] <= 1.0)
    assert np.all(d["months_paid"] <= 12.0)
    assert np.all(d["covered"] <= d["employment_urban"] + 1e-9)


def test_expected_drivers_match_simulated_means(model: StochasticModel, start: StartState) -> None:
    exp = model.expected_drivers(start, 5)
    sims = model.simulate_drivers(start, 5, 40_000, rng=8)
    # CIR drivers: the simulated mean is the expected path (the benefit is not: it
    # multiplies the replacement rate by a wage whose forecast is a median, not a mean)
    for name in ("recipient_ratio", "months_paid", "non_eligible_share"):
        np.testing.assert_allclose(sims[name].mean(axis=0), exp[name], rtol=5e-3, err_msg=name)
    # GDP: the forecast is the median path
    np.testing.assert_allclose(np.median(sims["gdp"], axis=0), exp["gdp"], rtol=5e-3)


def test_same_seed_same_ensemble_and_different_seed_differs() -> None:
    a = monte_carlo(1000, 3, rng=11, **SMALL)
    b = monte_carlo(1000, 3, rng=11, **SMALL)
    c = monte_carlo(1000, 3, rng=12, **SMALL)
    np.testing.assert_array_equal(a.paths["reserve"], b.paths["reserve"])
    assert not np.array_equal(a.paths["reserve"], c.paths["reserve"])
    g1 = monte_carlo(600, 2, rng=np.random.default_rng(5), **SMALL)
    g2 = monte_carlo(600, 2, rng=np.random.default_rng(5), **SMALL)
    np.testing.assert_array_equal(g1.paths["income"], g2.paths["income"])


@settings(max_examples=8, deadline=None)
@given(chunk=st.integers(1, 2000))
def test_ensemble_does_not_depend_on_chunk_size(chunk: int) -> None:
    ref = monte_carlo(900, 2, rng=21, block_size=128, chunk_size=900)
    other = monte_carlo(900, 2, rng=21, block_size=128, chunk_size=chunk)
    np.testing.assert_array_equal(ref.paths["reserve"], other.paths["reserve"])
    assert other.chunk_size % 128 == 0


def test_prefix_of_a_larger_run_is_the_smaller_run() -> None:
    big = monte_carlo(1024, 2, rng=4, block_size=256, chunk_size=1024)
    small = monte_carlo(512, 2, rng=4, block_size=256, chunk_size=256)
    np.testing.assert_array_equal(big.paths["reserve"][:512], small.paths["reserve"])


def test_quantile_frames_shape_and_order() -> None:
    res = monte_carlo(2000, 4, rng=2, **SMALL)
    tidy = res.quantiles([0.1, 0.5, 0.9])
    assert list(tidy.columns) == ["quantity", "year", "quantile", "value"]
    assert len(tidy) == 3 * 4 * len(res.quantities)
    table = res.quantile_table("reserve", [0.1, 0.5, 0.9])
    assert table.shape == (4, 3) and list(table.index) == [2023, 2024, 2025, 2026]
    assert np.all(np.diff(table.to_numpy(), axis=1) >= 0)
    np.testing.assert_allclose(table[0.5], np.median(res.paths["reserve"], axis=0), rtol=1e-6)
    frame = res.to_frame()
    assert {"quantity", "year", "mean", "std", "q05", "q50", "q95"} <= set(frame.columns)
    assert len(frame) == 4 * len(res.quantities)
    pf = res.paths_frame("reserve", max_paths=10)
    assert pf.shape == (40, 3)


def test_exact_moments_and_floor_probability() -> None:
    res = monte_carlo(3000, 3, rng=9, floor=0.5, **SMALL)
    r = res.paths["reserve"].astype(float)
    np.testing.assert_allclose(res.mean["reserve"], r.mean(axis=0), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(res.std["reserve"], r.std(axis=0, ddof=1), rtol=1e-4, atol=1e-6)
    assert res.prob_below_floor == pytest.approx(probability_below_floor(r, 0.5), abs=2 / 3000)


def test_deterministic_limit_reproduces_expected_projection(model: StochasticModel,
                                                            start: StartState) -> None:
    quiet = model.scaled_noise(1e-9)
    quiet = dataclasses.replace(quiet, benefit=dataclasses.replace(quiet.benefit,
                                                                   jump_prob=1.0))
    res = monte_carlo(500, 5, model=quiet, rng=1, keep=("reserve", "income", "benefits"),
                      **SMALL)
    scen = expected_scenario(5)
    drivers = quiet.expected_drivers(start, 5)[list(STOCHASTIC_DRIVERS)]
    fixed = scen.drivers.drop(columns=list(STOCHASTIC_DRIVERS))
    det = project(pd.concat([drivers, fixed], axis=1), data_end=2022, rules=scen.rules,
                  **scen.opening).to_frame()
    # the one-model door gives the same central path
    central = expected_scenario(5, model=quiet).run().to_frame()
    np.testing.assert_allclose(central["reserve"], det["reserve"], rtol=1e-12)
    for name in ("reserve", "income", "benefits"):
        paths = res.paths[name]
        np.testing.assert_allclose(paths, np.broadcast_to(det[name].to_numpy(), paths.shape),
                                   rtol=1e-5, atol=1e-5, err_msg=name)


def test_histogram_store_matches_exact_quantiles_within_resolution() -> None:
    exact = monte_carlo(4000, 3, rng=6, floor=0.0, **SMALL)
    hist = monte_carlo(4000, 3, rng=6, floor=0.0, store="histogram", bins=512, **SMALL)
    for q in exact.quantities:
        diff = (hist.quantile_table(q) - exact.quantile_table(q)).abs()
        tol = hist.resolution[q].to_numpy()[:, None] + 1e-6
        assert np.all(diff.to_numpy() <= tol), q
    pd.testing.assert_frame_equal(hist.mean, exact.mean)
    assert hist.prob_below_floor == exact.prob_below_floor
    with pytest.raises(FundError, match="paths were not stored"):
        hist.paths  # noqa: B018  the access itself is what must raise
    assert hist.quantile_table("reserve", [0.0, 1.0]).iloc[:, 0].tolist() == pytest.approx(
        exact.paths["reserve"].min(axis=0).tolist(), rel=1e-6)


def test_bad_arguments() -> None:
    with pytest.raises(FundParameterError, match="n_paths = 0: must be >= 1"):
        monte_carlo(0)
    with pytest.raises(FundParameterError, match="keep = 'nonsense': unknown quantity"):
        monte_carlo(10, keep=("nonsense",))
    with pytest.raises(FundParameterError, match="store = 'disk'"):
        monte_carlo(10, store="disk")
    with pytest.raises(FundParameterError, match=r"^rng = 'seed'"):
        monte_carlo(10, rng="seed")  # type: ignore[arg-type]  # wrong type on purpose
    with pytest.raises(FundParameterError, match="simulated by the model"):
        monte_carlo(10, fixed={"covered": 50.0})
    res = monte_carlo(100, 2, rng=1, **SMALL)
    with pytest.raises(FundParameterError, match="levels must lie in"):
        res.quantiles([1.5])
    with pytest.raises(FundParameterError, match="was not kept"):
        res.quantiles([0.5], "gdp")


def test_unseeded_run_records_its_entropy() -> None:
    a = monte_carlo(300, 2, rng=None, **SMALL)
    assert isinstance(a.seed_entropy, int)
    b = monte_carlo(300, 2, rng=a.seed_entropy, **SMALL)
    np.testing.assert_array_equal(a.paths["reserve"], b.paths["reserve"])
    assert "n_paths=300" in repr(a) and "2023–2024" in repr(a)
