"""The CIR identification flag on 200 annual samples (issue 10): rate and interval coverage.

Annual data from the seed's replacement-rate process (kappa = 17.8, theta = 0.205,
sigma = 0.328), n = 9 and n = 40 observations, 200 derandomised samples each.  Prints the
share of fits that flag kappa as not identified, the share of 95 % kappa intervals that
contain the true kappa and that never leave the parameter space, and the time of one
sweep.  Run with ``make bench`` (about 4 minutes on one core).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from pytest_benchmark.fixture import BenchmarkFixture

from fund.processes.cir import CIR, IdentificationWarning

TRUE = CIR(17.8, 0.205, 0.328)
N_SAMPLES = 200


def _sweep(n_obs: int) -> dict[str, float]:
    paths = TRUE.simulate(0.205, n_obs - 1, N_SAMPLES, rng=np.random.SeedSequence([10, n_obs]))
    flagged = covered = inside = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", IdentificationWarning)
        for x in paths:
            fit = CIR.fit(x)
            ci = fit.conf_int(0.95)
            flagged += not fit.kappa_identified
            covered += bool(ci.loc["kappa", "lower"] <= 17.8 <= ci.loc["kappa", "upper"])
            inside += bool((ci["lower"] >= 0).all())
    return {"flag_rate": flagged / N_SAMPLES, "kappa_coverage": covered / N_SAMPLES,
            "in_parameter_space": inside / N_SAMPLES}


@pytest.mark.parametrize("n_obs", [9, 40])
def test_identification_flag_rate(benchmark: BenchmarkFixture, n_obs: int) -> None:
    out = benchmark.pedantic(_sweep, args=(n_obs,), rounds=1, iterations=1)
    print(f"\nCIR identification, n = {n_obs}, {N_SAMPLES} samples: {out}")
    assert out["flag_rate"] >= 0.95
    assert out["in_parameter_space"] == 1.0
