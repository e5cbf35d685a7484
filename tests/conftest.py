"""Test-suite configuration shared by every layer.

Hypothesis runs derandomised under CI (``CI`` set, as ``.ci/run`` is), so a submission's
verdict does not depend on the draw; locally it explores new examples on every run.
Set ``HYPOTHESIS_PROFILE=ci`` to reproduce CI's examples.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib
import pytest
from hypothesis import settings

# every figure in the suite is drawn off-screen, whatever display the machine has; test
# modules import after this file, so they need no backend switch of their own
matplotlib.use("Agg")

if TYPE_CHECKING:
    from distributed import Client, LocalCluster

    from uicore.executors import ProcessExecutor

settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else
                                     "dev"))


@pytest.fixture(scope="session")
def dask_cluster() -> Iterator[LocalCluster]:
    """One real 2-worker Dask ``LocalCluster`` (worker subprocesses, no dashboard) for the
    whole session: start-up costs seconds, so every executor test shares it."""
    distributed = pytest.importorskip("distributed")
    import dask

    from uicore.executors import MMAP_THRESHOLD

    # Dask's nanny sets MALLOC_TRIM_THRESHOLD_ for its workers, which stops glibc adapting
    # its mmap threshold: +50 % CPU in page faults for the Monte Carlo's chunks unless the
    # threshold is set too (see uicore.executors.worker_environ).
    with dask.config.set({"distributed.nanny.pre-spawn-environ.MALLOC_MMAP_THRESHOLD_":
                          MMAP_THRESHOLD}), \
            distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                     dashboard_address=":0", silence_logs=40) as cluster:
        yield cluster


@pytest.fixture
def dask_client(dask_cluster: LocalCluster) -> Iterator[Client]:
    """A client of the session's cluster, with both workers up."""
    distributed = pytest.importorskip("distributed")
    with distributed.Client(dask_cluster) as client:
        client.wait_for_workers(2, timeout=60)
        yield client


@pytest.fixture(scope="session")
def local_pool() -> Iterator[ProcessExecutor]:
    """Two local worker processes kept up for the session (spawning costs ~2 s)."""
    from uicore.executors import ProcessExecutor

    with ProcessExecutor(2) as pool:
        yield pool


#: Monte Carlo paths of the report the tests build (the demo uses 20,000).
REPORT_PATHS = 2000


@pytest.fixture(scope="session")
def built_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The full report, built once per test run and shared by every test that reads it.

    Under pytest-xdist each worker has its own session, so the first worker to claim a
    lock folder (``os.mkdir`` is atomic) builds the report in the run's shared temporary
    folder and the others wait for its ``done`` marker.  Warnings raised while building
    (e.g. matplotlib's "Glyph ... missing from font", a character drawn as a box) are
    recorded in ``report-warnings.txt`` beside the report folder.
    Returns ``(out_dir, report_html_path)``.
    """
    import time
    import warnings

    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    out, lock, done = (Path(shared) / "report-out", Path(shared) / "report-lock",
                       Path(shared) / "report-done")
    try:
        os.mkdir(lock)
    except FileExistsError:
        deadline = time.monotonic() + 1800
        while not done.exists():
            if time.monotonic() > deadline:
                pytest.fail("the report fixture's builder never finished")
            time.sleep(0.5)
    else:
        from uipolicy.report import build_report

        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                build_report(out, n_paths=REPORT_PATHS, progress=False)
        except Exception as exc:
            done.write_text(f"failed: {exc}")
            raise
        (Path(shared) / "report-warnings.txt").write_text(
            "\n".join(str(w.message) for w in caught))
        done.write_text("ok")
    if done.read_text() != "ok":
        pytest.fail(f"building the report {done.read_text()}")
    return out, out / "report.html"
