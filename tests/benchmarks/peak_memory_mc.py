"""Peak memory per worker for a 10^8-path Monte Carlo with the histogram store.

Run once: ``python tests/benchmarks/peak_memory_mc.py [N_PATHS] [WORKERS]``.  Each worker
process reports its own peak resident set (``getrusage``) through a last tiny block; the
client's peak is reported too.  Not part of the test suite (10^8 paths take minutes).
"""

from __future__ import annotations

import resource
import sys
import time

from fund.montecarlo import monte_carlo
from uicore.executors import ProcessExecutor, run_blocks


def _peak_mib(shared: int, item: int) -> tuple[int, float]:
    import os

    time.sleep(0.5)  # keep both workers busy so each answers once
    return os.getpid(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    n_paths = int(float(sys.argv[1])) if len(sys.argv) > 1 else 10**8
    workers = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    with ProcessExecutor(workers) as pool:
        t0 = time.perf_counter()
        res = monte_carlo(n_paths, 5, rng=2026, keep=("reserve", "income", "expenditure"),
                          store="histogram", executor=pool)
        elapsed = time.perf_counter() - t0
        peaks = dict(run_blocks(_peak_mib, list(range(4 * workers)), shared=0,
                                executor=pool))
    client = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{res.n_paths:.0e} paths x 5 years, 3 quantities, histogram store, "
          f"{workers} workers: {elapsed:.1f} s")
    for pid, mib in sorted(peaks.items()):
        print(f"worker {pid}: peak RSS {mib:.0f} MiB")
    print(f"client: peak RSS {client:.0f} MiB")


if __name__ == "__main__":
    main()
