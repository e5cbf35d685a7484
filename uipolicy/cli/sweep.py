"""``uipolicy sweep``: how sure is the optimum?  Re-solve it over draws of its inputs.

``uipolicy sweep SCENARIO.toml --draws N [--workers K | --scheduler tcp://HOST:8786]
--out DIR`` reads a scenario file with an ``[uncertain]`` table of priors
(:func:`optimize.robustness.load_sweep`), checks all of it, then solves the optimum for
``N`` draws and writes to ``DIR``:

* ``draws.parquet`` (``draws.csv`` without pyarrow) — one row per draw;
* ``summary.csv`` (quantiles of the tiers, ``x`` and the objective), ``binding.csv``
  (probability each constraint binds), ``priors.csv``;
* ``robustness.png``;
* ``manifest.json`` — seed, draws, executor, the share of draws where the status quo
  beats the nominal optimum.  It is written last.

Everything is written to a temporary sibling directory that is renamed to ``DIR`` only
when complete, so a failed or interrupted sweep leaves no partial output that looks
complete.  ``DIR`` must not exist or be empty.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from uicore.errors import ParameterError


def _check_out(out: Path) -> None:
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ParameterError("--out", str(out), "must be a new or empty directory (a sweep "
                             "never writes over earlier results)")
    if not out.resolve().parent.is_dir():
        raise ParameterError("--out", str(out), "its parent directory does not exist")


def _executor(args: argparse.Namespace) -> tuple[Any, str]:
    if args.scheduler:
        from uicore.executors import connect

        client = connect(args.scheduler, timeout=args.timeout)
        return client, f"dask scheduler {args.scheduler}"
    if args.workers is not None:
        if args.workers < 1:
            raise ParameterError("--workers", args.workers, "must be >= 1")
        return args.workers, f"{args.workers} local processes"
    return None, "serial"


def _write(tmp: Path, result: Any, meta: dict[str, Any]) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import pandas as pd

    frame = result.to_frame()
    try:
        frame.to_parquet(tmp / "draws.parquet", index=False)
        files = ["draws.parquet"]
    except ImportError:   # pandas raises this when no parquet engine is installed
        frame.to_csv(tmp / "draws.csv", index=False)
        files = ["draws.csv"]
    solved = (frame["status"] == "solved").any()
    if solved:
        result.summary().to_csv(tmp / "summary.csv", index_label="output")
        result.binding_probability().to_csv(tmp / "binding.csv", index_label="constraint")
        fig = result.figure()
        fig.savefig(tmp / "robustness.png", dpi=110)
        plt.close(fig)
        files += ["summary.csv", "binding.csv", "robustness.png"]
    pd.DataFrame([{"input": k, "prior": repr(p), "source": p.source}
                  for k, p in result.priors.items()]).to_csv(tmp / "priors.csv", index=False)
    files.append("priors.csv")
    (tmp / "manifest.json").write_text(json.dumps(meta | {"files": files}, indent=2,
                                                  ensure_ascii=False), encoding="utf-8")
    return [*files, "manifest.json"]


def _run(args: argparse.Namespace) -> int:
    from optimize.robustness import load_sweep, sweep

    if args.draws < 1:
        raise ParameterError("--draws", args.draws, "must be >= 1")
    if args.seed < 0:
        raise ParameterError("--seed", args.seed, "must be >= 0")
    out = Path(args.out)
    _check_out(out)
    factory, priors = load_sweep(args.scenario)       # the whole file, before any work
    executor, where = _executor(args)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-", dir=out.resolve().parent))
    try:
        umask = os.umask(0)
        os.umask(umask)
        tmp.chmod(0o777 & ~umask)   # mkdtemp's 0700 would outlive the rename
        result = sweep(priors, n_draws=args.draws, seed=args.seed, problem_factory=factory,
                       executor=executor, progress=not args.quiet)
        meta = {"scenario": str(args.scenario), "draws": args.draws, "seed": args.seed,
                "executor": where, "objective": result.objective_name,
                "nominal_policy": result.nominal_policy,
                "status": {str(k): float(v) for k, v in result.status_shares.items()},
                "prob_status_quo_better": result.prob_status_quo_better}
        files = _write(tmp, result, meta)
        if out.exists():
            out.rmdir()   # checked empty above
        os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        if args.scheduler and executor is not None:
            executor.close()
    print(f"{args.draws} draws ({where}); status quo better than the nominal optimum in "
          f"{result.prob_status_quo_better:.1%} of draws")
    for name in files:
        print(f"wrote {out / name}")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``sweep`` to the ``uipolicy`` parser."""
    p = sub.add_parser("sweep", help="re-solve the optimum over draws of uncertain inputs")
    p.add_argument("scenario", help="TOML scenario file with an [uncertain] table of priors")
    p.add_argument("--draws", type=int, required=True, help="number of draws (>= 1)")
    p.add_argument("--seed", type=int, default=0, help="root seed (default 0)")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--workers", type=int, help="local worker processes")
    where.add_argument("--scheduler", help="Dask scheduler address, tcp://HOST:8786")
    p.add_argument("--timeout", type=float, default=10.0,
                   help="seconds to wait for the scheduler to answer (default 10)")
    p.add_argument("--out", required=True, help="new or empty output directory")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_run)
