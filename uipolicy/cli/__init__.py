"""The ``uipolicy`` command line: one subcommand per job.

Each subcommand lives in its own module with a ``register(subparsers)`` function that adds
its parser and sets ``func``; ``main`` only dispatches.  Errors a user can cause (bad
input, unknown names, missing files) print one line on stderr and exit with code 2; the
traceback is shown only with ``--debug``.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import sys
from collections.abc import Sequence
from typing import NoReturn

from uicore.errors import UIPolicyError

#: Modules under :mod:`uipolicy.cli` that contribute subcommands, in help order.
SUBCOMMAND_MODULES = ("derive", "fund", "optimize", "report", "sweep")


class _Parser(argparse.ArgumentParser):
    """An argparse parser whose usage errors are one line and exit code 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


DESCRIPTION = """Unemployment-insurance policy design with game theory and actuarial modelling.

Derive the seed-001 games' equilibria and comparative statics, check the paper's claims,
reproduce and project the Qinghai fund of seed 002, search for the best benefit schedule,
and write the whole analysis as one HTML brief (uipolicy report).  Errors are one line
with exit code 2; --debug shows the traceback."""


def build_parser() -> argparse.ArgumentParser:
    """The full parser with every subcommand registered.

    Building it imports only :mod:`argparse` and the light subcommand modules; the
    layers (sympy, pandas, scipy, matplotlib) are imported when a command runs, so
    ``uipolicy --help`` answers at once.

    Returns
    -------
    argparse.ArgumentParser
        The ``uipolicy`` parser.

    Examples
    --------
    >>> build_parser().parse_args(["verify"]).command
    'verify'
    """
    from uipolicy import __version__

    parser = _Parser(prog="uipolicy", description=DESCRIPTION,
                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"uipolicy {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for name in SUBCOMMAND_MODULES:
        if importlib.util.find_spec(f"uipolicy.cli.{name}") is None:
            continue  # a layer that is not installed contributes no subcommand
        module = importlib.import_module(f"uipolicy.cli.{name}")
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit code.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        0 on success, 1 for a failed check (e.g. a tolerance exceeded), 2 for bad input.

    Examples
    --------
    >>> main(["fund", "project", "--interest-rate", "5"])
    2
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a usage error already printed
        return exc.code if isinstance(exc.code, int) else 2
    try:
        return int(args.func(args) or 0)
    except BrokenPipeError:  # output piped into e.g. `head`: not an error of ours
        sys.stderr.close()
        return 0
    except (UIPolicyError, OSError) as exc:
        if args.debug:
            raise
        print(f"uipolicy: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
