"""``uipolicy report --out DIR``: the whole analysis as one self-contained HTML brief.

Every option is checked before any work starts: ``--paths`` between 100 and the number
of Monte Carlo paths whose kept values fit in the memory budget
(:data:`uipolicy.cli._checks.MEMORY_BUDGET_BYTES`), ``--seed`` a non-negative whole
number, ``--out`` a folder (or a name that can become one).  The report is built in a
temporary folder inside ``--out`` and moved into place only when complete, so a failure
leaves a previous report untouched.
"""

from __future__ import annotations

import argparse

from uipolicy.cli._checks import MEMORY_BUDGET_BYTES, int_in_range, max_paths

#: Years of the report's fund horizon and quantities its Monte Carlo keeps per path.
REPORT_YEARS, REPORT_KEPT = 5, 4
MAX_PATHS = max_paths(REPORT_YEARS, REPORT_KEPT)


def _run(args: argparse.Namespace) -> int:
    from uipolicy.report import build_report

    path = build_report(args.out, n_paths=args.paths, seed=args.seed,
                        progress=not args.quiet)
    print(f"report written to {path}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]  # argparse's private generic
    """Add ``report`` to the ``uipolicy`` parser.

    Parameters
    ----------
    sub : argparse._SubParsersAction
        The subparsers of the ``uipolicy`` parser.
    """
    p = sub.add_parser(
        "report", help="the whole analysis as one HTML brief",
        description="Run the whole analysis and write out/report.html: a one-screen "
                    "summary for decision makers, a glossary, the sections (games, claims, "
                    "fund, optimal schedule, automation shock) and an appendix of tables; "
                    "figures as PNG under figures/, tables as CSV under tables/.")
    p.add_argument("--out", default="out", help="output folder (default: out/)")
    budget_gib = MEMORY_BUDGET_BYTES / 2**30
    p.add_argument("--paths", type=int_in_range(
        "--paths", 100, MAX_PATHS,
        f"the kept float32 paths of {REPORT_KEPT} quantities over {REPORT_YEARS} years must "
        f"fit in {budget_gib:g} GiB"), default=20_000,
        help=f"Monte Carlo paths of the fund, 100-{MAX_PATHS:,} (default 20,000)")
    p.add_argument("--seed", type=int_in_range("--seed", 0, 2**63 - 1,
                                               "the entropy of a numpy SeedSequence"),
                   default=2023, help="Monte Carlo seed, a whole number >= 0 (default 2023)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_run)
