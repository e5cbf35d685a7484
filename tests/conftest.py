"""Test-suite configuration shared by every layer.

The suite has two tiers: items named in ``tests/slow.txt`` get the ``slow`` marker;
``make test`` runs ``-m "not slow"`` (with the coverage gate), ``make test-slow`` the rest,
and CI both.  (The marking is done here, so it needs ``tests/`` among the collected paths,
as in every run of the whole suite.)

Hypothesis runs derandomised under CI (``CI`` set, as ``.ci/run`` is), so a submission's
verdict does not depend on the draw; locally it explores new examples on every run.
Set ``HYPOTHESIS_PROFILE=ci`` to reproduce CI's examples.
"""

from __future__ import annotations

import linecache
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

def _checkcache_safely(filename: str | None = None) -> None:
    """``linecache.checkcache`` that survives an entry vanishing while it loops.

    sympy's ``lambdify`` puts each generated function's source in ``linecache`` and
    removes it from a ``weakref.finalize`` callback; a garbage collection inside
    ``checkcache``'s loop (which doctest's debugger reset calls before every doctest)
    can then remove an entry between listing the keys and reading one, and the doctest
    fails with ``KeyError: '<lambdifygenerated-N>'`` (CPython issue 126775, fixed in later
    releases, not in the 3.11 this suite also runs on; seen here in the doctest of
    ``gametheory.errors.GameError``).  The check is idempotent, so it is repeated.
    """
    for _ in range(100):
        try:
            _checkcache(filename)
            return
        except KeyError:
            continue
    _checkcache(filename)


_checkcache = linecache.checkcache
linecache.checkcache = _checkcache_safely


#: The slow tier's list (see its header).
SLOW_LIST = Path(__file__).parent / "slow.txt"


def slow_entries(path: Path = SLOW_LIST) -> list[str]:
    """The node-id entries of ``tests/slow.txt`` (comments and blank lines dropped)."""
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        entry = line.split("  #", 1)[0].strip()
        if entry and not entry.startswith("#"):
            entries.append(entry)
    return entries


def is_slow(nodeid: str, entries: list[str]) -> bool:
    """Whether ``nodeid`` is in the slow tier: equal to an entry, one of its
    parametrisations (``entry[...``), or -- for an entry with ``[`` -- starting with it."""
    return any(nodeid == e or nodeid.startswith(e if "[" in e else e + "[") for e in entries)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the slow tier."""
    entries = slow_entries()
    for item in items:
        if is_slow(item.nodeid, entries):
            item.add_marker(pytest.mark.slow)


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
