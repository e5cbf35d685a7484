"""uicore.executors: one interface, the same results on every executor, errors named."""

from __future__ import annotations

import io
import pickle
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pytest
import scipy.linalg  # noqa: F401  # loads scipy's own OpenBLAS before any block runs
import threadpoolctl

from fund.errors import FundParameterError
from uicore.errors import ParameterError
from uicore.executors import (
    ExecutorError,
    ProcessExecutor,
    Progress,
    SerialExecutor,
    connect,
    map_blocks,
    resolve_executor,
    run_blocks,
    spawn_seeds,
)

if TYPE_CHECKING:
    from distributed import Client


def _draw(shared: int, seed: np.random.SeedSequence) -> np.ndarray:
    return np.random.default_rng(seed).normal(size=shared)


def _fail(shared: int, item: int) -> int:
    if item == 2:
        raise FundParameterError("item", item, "must not be 2")
    return item


def test_blocks_seeded_by_spawn_are_identical_on_every_executor(
        local_pool: ProcessExecutor, dask_client: Client) -> None:
    seeds, _ = spawn_seeds(2026, 7)
    expected = [np.random.default_rng(s).normal(size=5) for s in
                np.random.SeedSequence(2026).spawn(7)]        # numpy's own route
    for executor in (None, local_pool, dask_client):
        got = run_blocks(_draw, seeds, shared=5, executor=executor)
        assert all(np.array_equal(a, b) for a, b in zip(got, expected, strict=True))


def test_completion_order_is_any_but_results_come_back_by_index(
        local_pool: ProcessExecutor) -> None:
    pairs = list(map_blocks(_draw, spawn_seeds(1, 6)[0], shared=3, executor=local_pool))
    assert sorted(i for i, _ in pairs) == list(range(6))


def test_a_block_error_reaches_the_caller_as_itself(
        local_pool: ProcessExecutor, dask_client: Client) -> None:
    for executor in (None, local_pool, dask_client):
        with pytest.raises(FundParameterError, match="item = 2: must not be 2"):
            run_blocks(_fail, [0, 1, 2, 3], shared=0, executor=executor)


def _thread_counts(shared: int, item: int) -> set[int]:
    """Threads of every loaded BLAS/OpenMP library, as threadpoolctl reads them."""
    return {int(info["num_threads"]) for info in threadpoolctl.threadpool_info()}


def test_every_block_runs_with_one_blas_thread_and_the_caller_keeps_its_own(
        local_pool: ProcessExecutor, dask_client: object) -> None:
    with threadpoolctl.threadpool_limits(limits=2):      # the caller's own setting
        for executor in (None, local_pool, dask_client):
            counts = run_blocks(_thread_counts, [0, 1, 2], shared=0, executor=executor)
            assert counts == [{1}, {1}, {1}], executor
        assert _thread_counts(0, 0) == {2}                   # restored after the blocks


def test_project_errors_survive_pickling() -> None:
    err = pickle.loads(pickle.dumps(FundParameterError("sigma", -1.0, "must be > 0")))
    assert type(err) is FundParameterError
    assert (err.parameter, err.value, err.rule) == ("sigma", -1.0, "must be > 0")


@pytest.mark.parametrize("bad", [0, -2, True, "2", 1.5])
def test_bad_executor_is_named(bad: Any) -> None:
    with pytest.raises(ParameterError, match="executor"):
        resolve_executor(bad)


def test_resolve_keeps_an_open_executor_and_owns_a_count() -> None:
    ex = SerialExecutor()
    assert resolve_executor(ex) == (ex, False)
    pool, owned = resolve_executor(3)
    assert isinstance(pool, ProcessExecutor) and pool.workers == 3 and owned


def test_scheduler_that_does_not_answer_fails_within_its_timeout() -> None:
    t0 = time.perf_counter()
    with pytest.raises(ExecutorError, match=r"no Dask scheduler answered at "
                                            r"tcp://127.0.0.1:9 within 1 s"):
        connect("tcp://127.0.0.1:9", timeout=1.0)
    assert time.perf_counter() - t0 < 10.0


@pytest.mark.parametrize("address", ["localhost", "tcp://nohostport", 8786])
def test_malformed_scheduler_address_is_named(address: Any) -> None:
    with pytest.raises(ParameterError, match="scheduler"):
        connect(address)


@pytest.mark.parametrize("seed", [-1, 1.5, "7"])
def test_bad_seed_is_named(seed: Any) -> None:
    with pytest.raises(ParameterError, match="seed"):
        spawn_seeds(seed, 2)


def test_progress_reports_every_block_and_the_dashboard(dask_client: Client) -> None:
    out = io.StringIO()
    run_blocks(_draw, spawn_seeds(0, 3)[0], shared=2, executor=dask_client,
               progress=Progress("x", stream=out))
    text = out.getvalue()
    assert "3/3" in text and "Dask dashboard" in text


def _suicide_once(marker: str, item: int) -> int:
    """Kill the worker process the first time block 1 runs (a marker file remembers)."""
    import os
    from pathlib import Path

    if item == 1 and not Path(marker).exists():
        Path(marker).touch()
        os._exit(1)
    return item * item


def test_a_killed_pool_worker_is_replaced_and_no_block_is_lost(tmp_path: Path) -> None:
    with ProcessExecutor(2) as ex:
        got = run_blocks(_suicide_once, list(range(6)), shared=str(tmp_path / "m"),
                         executor=ex)
    assert got == [0, 1, 4, 9, 16, 25]


def test_a_pool_starts_all_its_workers_at_its_first_use() -> None:
    with ProcessExecutor(2) as ex:
        assert run_blocks(pow, [3], shared=2, executor=ex) == [8]   # a single block
        # the standard library's pool would have started one process for one task
        processes = ex._pool._processes if ex._pool is not None else {}
        assert len(processes) == 2


def _environ(shared: tuple[str, ...], item: int) -> dict[str, str | None]:
    import os

    return {key: os.environ.get(key) for key in shared}


def test_pool_workers_start_single_threaded_and_with_a_fixed_mmap_threshold(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    # what a Dask LocalCluster leaves in the environment of the process that started it
    monkeypatch.setenv("MALLOC_TRIM_THRESHOLD_", "65536")
    monkeypatch.delenv("MALLOC_MMAP_THRESHOLD_", raising=False)
    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    keys = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MALLOC_MMAP_THRESHOLD_",
            "MALLOC_TRIM_THRESHOLD_")
    with ProcessExecutor(2) as ex:
        got = run_blocks(_environ, [0, 1], shared=keys, executor=ex)
    assert got == [{"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
                    "MALLOC_MMAP_THRESHOLD_": str(32 * 2**20),
                    "MALLOC_TRIM_THRESHOLD_": "65536"}] * 2
    assert "MALLOC_MMAP_THRESHOLD_" not in os.environ          # the caller's is untouched
    assert "OPENBLAS_NUM_THREADS" not in os.environ
