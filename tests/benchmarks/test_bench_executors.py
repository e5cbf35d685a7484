"""Benchmarks of the executors (``make bench``; not part of ``make test``).

* ``monte_carlo`` 10^7 paths x 5 years, ``store="histogram"``: serial, 2 local
  processes (cold, then warm) and a 2-worker Dask ``LocalCluster``, one round each in one
  run; speed-ups against the serial baseline of the same run.  Beside each wall time the
  CPU seconds the work used (this process, or the workers) are reported: a pool whose CPU
  total equals the serial one did no extra work, so a speed-up below 2 is then CPU the
  machine did not give (other load), not overhead.  The **machine's own ratio** is
  measured in the same run: perfectly parallel pure-Python blocks, serial vs the same
  warm 2-process pool; it is the ceiling of any 2-worker speed-up at that moment.
* Per-block overhead of the Dask path: 200 empty blocks through the cluster, per block.
* A robustness sweep of 200 draws of the default problem: time per draw serially (every
  block held to one BLAS thread, the default) and on 2 processes and the LocalCluster.
  Also, on the first 40 draws, serial with BLAS threads left free (how the toolkit ran
  before blocks were pinned): the honest baselines are both reported.
* Peak memory per worker for 10^8 paths with the histogram store: run
  ``python tests/benchmarks/peak_memory_mc.py`` (a script: 10^8 paths take minutes).

Run it alone on the machine (``flock /work/notes/heavy.lock make bench`` here): the load
average before and after is printed.  No timing assertions: figures are reported, not
judged.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

import psutil
import pytest
from scipy import stats

from fund.montecarlo import monte_carlo
from optimize.robustness import sweep
from uicore.executors import Executor, ProcessExecutor, run_blocks

pytest.importorskip("distributed")

PATHS = 10**7
MC_KW: dict[str, Any] = {"rng": 2026, "keep": ("reserve",), "store": "histogram"}
R = TypeVar("R")
# ``benchmark`` (pytest-benchmark's fixture) is typed Any: the package has no annotations.
S = TypeVar("S")
T = TypeVar("T")


class _FreeThreads(Executor):
    """Serial, with BLAS threads left as the process has them (no pinning): the toolkit's
    behaviour before blocks ran single-threaded, kept here as a baseline."""

    kind = "serial"

    def imap(self, fn: Callable[[S, T], R], shared: S, items: Sequence[T]
             ) -> Iterator[tuple[int, R]]:
        """Yield ``(index, fn(shared, item))`` in order, unpinned."""
        for i, item in enumerate(items):
            yield i, fn(shared, item)


def _load() -> str:
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def _timed(fn: Callable[[], R]) -> tuple[R, float, float]:
    """``fn()``, its wall and CPU seconds in this process (all its threads)."""
    c0, t0 = time.process_time(), time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0, time.process_time() - c0


def _pool_cpu(pool: ProcessExecutor) -> float:
    """CPU seconds used so far by the pool's worker processes."""
    procs = getattr(pool._pool, "_processes", None) or {}
    total = 0.0
    for pid in procs:
        t = psutil.Process(pid).cpu_times()
        total += t.user + t.system
    return total


def _timed_pool(pool: ProcessExecutor, fn: Callable[[], R]) -> tuple[R, float, float]:
    """``fn()``, its wall seconds and the CPU seconds the pool's workers used."""
    c0, t0 = _pool_cpu(pool), time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0, _pool_cpu(pool) - c0


def _worker_cpu() -> float:
    return time.process_time()


def _dask_cpu(client: Any) -> float:
    """CPU seconds used so far by the Dask workers' processes."""
    return float(sum(client.run(_worker_cpu).values()))


def _spin(shared: int, item: int) -> int:
    """Pure-Python work with no memory traffic: perfectly parallel."""
    total = 0
    for i in range(shared):
        total += i * item
    return total


def _machine_ratio(pool: ProcessExecutor) -> float:
    """Serial time / 2-process time of 16 equal pure-Python blocks (~0.15 s each)."""
    items = list(range(16))
    run_blocks(_spin, [1, 2], shared=10, executor=pool)     # workers import this module
    _, serial, _ = _timed(lambda: run_blocks(_spin, items, shared=2_000_000))
    _, pooled, _ = _timed(lambda: run_blocks(_spin, items, shared=2_000_000, executor=pool))
    return serial / pooled


def _report(name: str, benchmark: Any, info: dict[str, float | str]) -> None:
    benchmark.extra_info.update(info)
    shown = {k: round(v, 3) if isinstance(v, float) else v for k, v in info.items()}
    print(f"\n{name} (cores {os.cpu_count()}):", shown)


def test_monte_carlo_1e7_serial_vs_pools(benchmark: Any,
                                         dask_client: Any) -> None:
    load_before = _load()
    ref, serial, serial_cpu = _timed(lambda: monte_carlo(PATHS, 5, **MC_KW))
    _, cold, _ = _timed(lambda: monte_carlo(PATHS, 5, executor=2, **MC_KW))
    with ProcessExecutor(2) as pool:
        monte_carlo(2**16, 5, executor=pool, **MC_KW)            # start the workers
        machine = _machine_ratio(pool)
        pooled, warm, warm_cpu = _timed_pool(
            pool, lambda: monte_carlo(PATHS, 5, executor=pool, **MC_KW))
    monte_carlo(2**16, 5, executor=dask_client, **MC_KW)          # warm the workers
    c0 = _dask_cpu(dask_client)
    res = benchmark.pedantic(monte_carlo, args=(PATHS, 5),
                             kwargs=MC_KW | {"executor": dask_client}, rounds=1,
                             iterations=1)
    dask_cpu = _dask_cpu(dask_client) - c0
    dask = benchmark.stats.stats.median
    _report("monte_carlo 1e7", benchmark, {
        "load_before": load_before, "load_after": _load(),
        "machine_ratio_2": machine,
        "serial_s": serial, "serial_cpu_s": serial_cpu,
        "processes_2_cold_s": cold, "processes_2_warm_s": warm,
        "processes_2_warm_cpu_s": warm_cpu, "dask_2_s": dask, "dask_2_cpu_s": dask_cpu,
        "speedup_processes_cold": serial / cold, "speedup_processes_warm": serial / warm,
        "speedup_dask": serial / dask})
    for other in (pooled, res):             # the same ensemble, bit for bit
        assert other.mean.equals(ref.mean)
        assert other.quantile_table("reserve").equals(ref.quantile_table("reserve"))


def _noop(shared: int, item: int) -> int:
    return item


def test_dask_per_block_overhead(benchmark: Any, dask_client: Any) -> None:
    items = list(range(200))
    run_blocks(_noop, items[:10], shared=0, executor=dask_client)       # warm
    benchmark.pedantic(run_blocks, args=(_noop, items),
                       kwargs={"shared": 0, "executor": dask_client}, rounds=3,
                       iterations=1)
    per_block = benchmark.stats.stats.median / len(items)
    _report("dask per-block overhead", benchmark, {"per_block_ms": per_block * 1e3,
                                                   "load": _load()})


PRIORS = {"C_median": stats.lognorm(0.3, scale=600.0),
          "monitoring_cost": stats.uniform(40.0, 40.0),
          "wage": stats.truncnorm(-2.0, 2.0, loc=4000.0, scale=400.0)}
DRAWS = 200
FREE_DRAWS = 40


def test_robustness_sweep_200_draws(benchmark: Any, dask_client: Any) -> None:
    load_before = _load()
    sweep(PRIORS, n_draws=1, seed=0)                                  # build the game once
    res_free, free, free_cpu = _timed(lambda: sweep(PRIORS, n_draws=FREE_DRAWS, seed=1,
                                                    executor=_FreeThreads()))
    _, pinned40, pinned40_cpu = _timed(lambda: sweep(PRIORS, n_draws=FREE_DRAWS, seed=1))
    ref, serial, serial_cpu = _timed(lambda: sweep(PRIORS, n_draws=DRAWS, seed=1))
    with ProcessExecutor(2) as pool:
        sweep(PRIORS, n_draws=2, seed=0, executor=pool)       # start the workers
        machine = _machine_ratio(pool)
        res_pool, pooled, pooled_cpu = _timed_pool(
            pool, lambda: sweep(PRIORS, n_draws=DRAWS, seed=1, executor=pool))
    sweep(PRIORS, n_draws=2, seed=0, executor=dask_client)    # warm the workers
    c0 = _dask_cpu(dask_client)
    res_dask = benchmark.pedantic(sweep, args=(PRIORS,), kwargs={
        "n_draws": DRAWS, "seed": 1, "executor": dask_client}, rounds=1, iterations=1)
    dask_cpu = _dask_cpu(dask_client) - c0
    dask = benchmark.stats.stats.median
    _report("sweep 200 draws", benchmark, {
        "load_before": load_before, "load_after": _load(), "machine_ratio_2": machine,
        "serial_free_blas_per_draw_s": free / FREE_DRAWS,
        "serial_free_blas_cpu_per_draw_s": free_cpu / FREE_DRAWS,
        "serial_pinned_same40_per_draw_s": pinned40 / FREE_DRAWS,
        "serial_pinned_same40_cpu_per_draw_s": pinned40_cpu / FREE_DRAWS,
        "serial_per_draw_s": serial / DRAWS, "serial_cpu_per_draw_s": serial_cpu / DRAWS,
        "processes_2_per_draw_s": pooled / DRAWS,
        "processes_2_cpu_per_draw_s": pooled_cpu / DRAWS,
        "dask_2_per_draw_s": dask / DRAWS, "dask_2_cpu_per_draw_s": dask_cpu / DRAWS,
        "speedup_processes_2": serial / pooled, "speedup_dask_2": serial / dask,
        "speedup_processes_2_vs_free_blas_serial": (free / FREE_DRAWS) / (pooled / DRAWS)})
    assert res_pool.frame.equals(ref.frame)
    assert res_dask.frame.equals(ref.frame)
    assert res_free.frame.equals(ref.frame.iloc[:FREE_DRAWS])
