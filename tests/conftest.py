"""Test-suite configuration shared by every layer.

Hypothesis runs derandomised under CI (``CI`` set, as ``.ci/run`` is), so a submission's
verdict does not depend on the draw; locally it explores new examples on every run.
Set ``HYPOTHESIS_PROFILE=ci`` to reproduce CI's examples.
"""

import os

import pytest
from hypothesis import settings

settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else
                                     "dev"))


@pytest.fixture(scope="session")
def dask_cluster():
    """One real 2-worker Dask ``LocalCluster`` (worker subprocesses, no dashboard) for the
    whole session: start-up costs seconds, so every executor test shares it."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None, silence_logs=40) as cluster:
        yield cluster


@pytest.fixture
def dask_client(dask_cluster):
    """A client of the session's cluster, with both workers up."""
    distributed = pytest.importorskip("distributed")
    with distributed.Client(dask_cluster) as client:
        client.wait_for_workers(2, timeout=60)
        yield client


@pytest.fixture(scope="session")
def local_pool():
    """Two local worker processes kept up for the session (spawning costs ~2 s)."""
    from uicore.executors import ProcessExecutor

    with ProcessExecutor(2) as pool:
        yield pool
