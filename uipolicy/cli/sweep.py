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

Everything is written to a temporary folder inside ``DIR`` and moved into place only when
complete (``manifest.json`` last; :func:`uipolicy.cli._checks.replace_outputs`), so a
failed or interrupted sweep leaves no partial output that looks complete and an earlier
sweep's files untouched.  The options are checked while they are parsed and the whole
scenario file before the first draw is solved.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

from uicore.errors import ParameterError
from uipolicy.cli._checks import int_in_range, replace_outputs

#: Most draws one command may ask for (a bound against typos, not a limit of the method).
MAX_DRAWS = 10**7


def _check_out(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise ParameterError("--out", str(out), "is a file, not a folder")
    if not out.resolve().parent.is_dir():
        raise ParameterError("--out", str(out), "its parent folder does not exist")


def _executor(args: argparse.Namespace) -> tuple[Any, str]:
    if args.scheduler:
        from uicore.executors import connect

        client = connect(args.scheduler, timeout=args.timeout)
        return client, f"dask scheduler {args.scheduler}"
    if args.workers is not None:
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

    out = Path(args.out)
    _check_out(out)
    factory, priors = load_sweep(args.scenario)       # the whole file, before any work
    executor, where = _executor(args)
    out.mkdir(exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".sweep-partial-", dir=out))
    try:
        result = sweep(priors, n_draws=args.draws, seed=args.seed, problem_factory=factory,
                       executor=executor, progress=not args.quiet)
        meta = {"scenario": str(args.scenario), "draws": args.draws, "seed": args.seed,
                "executor": where, "objective": result.objective_name,
                "nominal_policy": result.nominal_policy,
                "status": {str(k): float(v) for k, v in result.status_shares.items()},
                "prob_status_quo_better": result.prob_status_quo_better}
        files = _write(tmp, result, meta)
        replace_outputs(tmp, out, tuple(files))       # manifest.json last
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        if args.scheduler and executor is not None:
            executor.close()
    print(f"{args.draws} draws ({where}); status quo better than the nominal optimum in "
          f"{result.prob_status_quo_better:.1%} of draws")
    for name in files:
        print(f"wrote {out / name}")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``sweep`` to the ``uipolicy`` parser."""
    p = sub.add_parser(
        "sweep", help="re-solve the optimum over draws of uncertain inputs",
        description="Draw the uncertain inputs named in the scenario's [uncertain] table, "
                    "re-solve the optimal policy for each draw (serially, on local processes or "
                    "on a Dask cluster) and write one row per draw with summaries and figures.")
    p.add_argument("scenario", help="TOML scenario file with an [uncertain] table of priors")
    p.add_argument("--draws", required=True, type=int_in_range(
        "--draws", 1, MAX_DRAWS, "a positive number of draws"),
        help=f"number of draws, 1-{MAX_DRAWS:,}")
    p.add_argument("--seed", type=int_in_range("--seed", 0, 2**63 - 1,
                                               "the entropy of a numpy SeedSequence"),
                   default=0, help="root seed, a whole number >= 0 (default 0)")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--workers", type=int_in_range("--workers", 1, 1024,
                                                      "a number of local processes"),
                       help="local worker processes")
    where.add_argument("--scheduler", help="Dask scheduler address, tcp://HOST:8786")
    p.add_argument("--timeout", type=float, default=10.0,
                   help="seconds to wait for the scheduler to answer (default 10)")
    p.add_argument("--out", required=True,
                   help="output folder (created; files of an earlier sweep are replaced)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_run)
