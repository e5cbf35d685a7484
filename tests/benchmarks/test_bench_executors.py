"""Benchmarks of the executors (``make bench``; not part of ``make test``).

* ``monte_carlo`` 10^7 paths x 5 years, ``store="histogram"``: serial, 2 local
  processes, and a 2-worker Dask ``LocalCluster``, one round each in one run; the speed-ups
  against the serial baseline of the same run go to ``benchmark.extra_info`` and stdout
  (aim on 2 cores: >= 1.6x for the pools).
* Per-block overhead of the Dask path: 200 empty blocks through the cluster, per block.
* A robustness sweep of 200 draws of the default problem: time per draw serially and on
  2 processes (scaling).
* Peak memory per worker for 10^8 paths with the histogram store: run
  ``python tests/benchmarks/peak_memory_mc.py`` (a script: 10^8 paths take minutes).

No timing assertions: the figures are reported, not judged.
"""

from __future__ import annotations

import time

import pytest
from scipy import stats

from fund.montecarlo import monte_carlo
from optimize.robustness import sweep
from uicore.executors import ProcessExecutor, run_blocks

distributed = pytest.importorskip("distributed")

PATHS = 10**7


@pytest.fixture(scope="module")
def cluster_client():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0", silence_logs=40) as cluster, \
            distributed.Client(cluster) as client:
        client.wait_for_workers(2)
        yield client


def _timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def test_monte_carlo_1e7_serial_vs_pools(benchmark, cluster_client):
    kw = {"rng": 2026, "keep": ("reserve",), "store": "histogram"}
    _, serial = _timed(lambda: monte_carlo(PATHS, 5, **kw))
    _, cold = _timed(lambda: monte_carlo(PATHS, 5, executor=2, **kw))
    with ProcessExecutor(2) as pool:
        monte_carlo(2**16, 5, executor=pool, **kw)            # start the workers
        _, warm = _timed(lambda: monte_carlo(PATHS, 5, executor=pool, **kw))
    monte_carlo(2**16, 5, executor=cluster_client, **kw)       # warm the workers' imports
    res = benchmark.pedantic(monte_carlo, args=(PATHS, 5),
                             kwargs=kw | {"executor": cluster_client}, rounds=1,
                             iterations=1)
    dask = benchmark.stats.stats.median
    info = {"serial_s": serial, "processes_2_cold_s": cold, "processes_2_warm_s": warm,
            "dask_2_s": dask, "speedup_processes_cold": serial / cold,
            "speedup_processes_warm": serial / warm, "speedup_dask": serial / dask}
    benchmark.extra_info.update(info)
    print("\nmonte_carlo 1e7:", {k: round(v, 3) for k, v in info.items()})
    assert res.n_paths == PATHS


def _noop(shared: int, item: int) -> int:
    return item


def test_dask_per_block_overhead(benchmark, cluster_client):
    items = list(range(200))
    run_blocks(_noop, items[:10], shared=0, executor=cluster_client)       # warm
    benchmark.pedantic(run_blocks, args=(_noop, items),
                       kwargs={"shared": 0, "executor": cluster_client}, rounds=3,
                       iterations=1)
    per_block = benchmark.stats.stats.median / len(items)
    benchmark.extra_info["per_block_s"] = per_block
    print(f"\ndask per-block overhead: {per_block * 1e3:.2f} ms")


PRIORS = {"C_median": stats.lognorm(0.3, scale=600.0),
          "monitoring_cost": stats.uniform(40.0, 40.0),
          "wage": stats.truncnorm(-2.0, 2.0, loc=4000.0, scale=400.0)}


def test_robustness_sweep_200_draws(benchmark):
    _, serial = _timed(lambda: sweep(PRIORS, n_draws=200, seed=1))
    with ProcessExecutor(2) as pool:
        sweep(PRIORS, n_draws=2, seed=0, executor=pool)       # start the workers
        res = benchmark.pedantic(sweep, args=(PRIORS,),
                                 kwargs={"n_draws": 200, "seed": 1, "executor": pool},
                                 rounds=1, iterations=1)
    pooled = benchmark.stats.stats.median
    info = {"serial_per_draw_s": serial / 200, "processes_2_per_draw_s": pooled / 200,
            "speedup_2": serial / pooled}
    benchmark.extra_info.update(info)
    print("\nsweep 200 draws:", {k: round(v, 4) for k, v in info.items()})
    assert len(res.frame) == 200
