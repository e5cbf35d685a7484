"""fund.monte_carlo on every executor: serial, 2 local processes and a real 2-worker Dask
LocalCluster give the same ensemble bit for bit, also when a worker dies mid-run."""

from __future__ import annotations

import os
import signal
from typing import TYPE_CHECKING, Any

import numpy as np
import pytest

from fund.montecarlo import MonteCarloResult, monte_carlo
from uicore.errors import ParameterError
from uicore.executors import ProcessExecutor

if TYPE_CHECKING:
    from distributed import Client

RUN: dict[str, Any] = {"rng": 2026, "block_size": 250, "chunk_size": 500, "floor": 6.0,
       "keep": ("reserve", "income", "covered")}


def _same(a: MonteCarloResult, b: MonteCarloResult) -> None:
    assert a.mean.equals(b.mean) and a.std.equals(b.std)
    assert a.prob_below_floor == b.prob_below_floor
    assert a.quantiles().equals(b.quantiles())
    if a.store == "paths":
        for name in a.quantities:
            assert np.array_equal(a.paths[name], b.paths[name])
    else:
        assert a._hist is not None and b._hist is not None
        assert np.array_equal(a._hist.counts, b._hist.counts)


@pytest.mark.parametrize("store", ["paths", "histogram"])
def test_identical_on_every_executor(store: str, local_pool: ProcessExecutor,
                                     dask_client: Client) -> None:
    serial = monte_carlo(3000, 4, store=store, **RUN)
    _same(serial, monte_carlo(3000, 4, store=store, executor=local_pool, **RUN))
    _same(serial, monte_carlo(3000, 4, store=store, executor=dask_client, **RUN))


def test_an_integer_executor_starts_and_stops_its_own_processes() -> None:
    serial = monte_carlo(1000, 3, store="histogram", **RUN)
    _same(serial, monte_carlo(1000, 3, store="histogram", executor=2, **RUN))


def test_histograms_merged_across_workers_count_every_path(dask_client: Client) -> None:
    res = monte_carlo(3000, 4, store="histogram", executor=dask_client, **RUN)
    assert res._hist is not None
    counts = res._hist.counts                        # (quantity, year, bins + 2)
    assert (counts.sum(axis=-1) == 3000).all()
    # the histogram quantiles agree with the exact ones of the stored paths within a bin
    exact = monte_carlo(3000, 4, **RUN).quantile_table("reserve").to_numpy()
    approx = res.quantile_table("reserve").to_numpy()
    assert np.all(np.abs(approx - exact) <= res.resolution["reserve"].to_numpy()[:, None]
                  + 1e-9)


class _KillOnce:
    """A progress hook that hard-kills one Dask worker once the first chunk is back."""

    def __init__(self, client: Client) -> None:
        self.client, self.killed = client, False

    def start(self, total: int, note: str = "") -> None:
        self.total = total

    def update(self, done: int) -> None:
        if done == 1 and not self.killed:
            victim = sorted(self.client.scheduler_info()["workers"])[0]
            pid = self.client.run(os.getpid, workers=[victim])[victim]
            os.kill(pid, signal.SIGKILL)        # no goodbye: its unfinished chunks are lost
            self.killed = True

    def close(self) -> None:
        pass


def test_a_worker_killed_mid_run_loses_and_repeats_nothing(dask_client: Client,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    import fund.montecarlo as mc

    undisturbed = monte_carlo(6000, 4, store="histogram", **RUN)
    hook = _KillOnce(dask_client)
    monkeypatch.setattr(mc, "Progress", lambda label: hook)
    res = monte_carlo(6000, 4, store="histogram", executor=dask_client, progress=True, **RUN)
    assert hook.killed
    _same(undisturbed, res)


@pytest.mark.parametrize("bad", [0, "two", 2.0])
def test_bad_executor_named_before_any_work(bad: Any) -> None:
    with pytest.raises(ParameterError, match="executor"):
        monte_carlo(100, 2, executor=bad, rng=1)
