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

from uicore.errors import UIPolicyError

#: Modules under :mod:`uipolicy.cli` that contribute subcommands, in help order.
SUBCOMMAND_MODULES = ("derive", "fund", "optimize", "report")


class _Parser(argparse.ArgumentParser):
    """An argparse parser whose usage errors are one line and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def build_parser() -> argparse.ArgumentParser:
    """The full parser with every subcommand registered."""
    parser = _Parser(prog="uipolicy", description=__doc__.splitlines()[0])
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
    """Run the command line; returns the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
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
