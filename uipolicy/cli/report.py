"""``uipolicy report --out DIR``: the whole analysis as one self-contained HTML report."""

from __future__ import annotations

import argparse


def _run(args: argparse.Namespace) -> int:
    from uipolicy.report import build_report

    path = build_report(args.out, n_paths=args.paths, seed=args.seed,
                        progress=not args.quiet)
    print(f"report written to {path}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``report`` to the ``uipolicy`` parser."""
    p = sub.add_parser("report", help="the whole analysis as one HTML report")
    p.add_argument("--out", default="out", help="output folder (default: out/)")
    p.add_argument("--paths", type=int, default=20_000, help="Monte Carlo paths")
    p.add_argument("--seed", type=int, default=2023, help="Monte Carlo seed")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_run)
