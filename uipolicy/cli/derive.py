"""Game-theory subcommands: ``derive``, ``statics`` and ``verify``.

``uipolicy derive monitoring --format latex`` prints every equilibrium family of a seed
game with its condition; ``uipolicy statics monitoring --of Y --wrt U`` a comparative
static with its proven sign; ``uipolicy verify`` the verdict on every seed-001 claim.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

import sympy as sp

GAMES = ("benefit", "monitoring")
FORMATS = ("text", "latex", "json")


def _game(name: str) -> Any:
    from gametheory import models

    return models.benefit_game() if name == "benefit" else models.monitoring_game()


def _derive(args: argparse.Namespace) -> int:
    game = _game(args.game)
    eqs = game.equilibria()
    if args.format == "json":
        print(json.dumps({"game": game.name, "params": list(game.params),
                          "assumptions": [str(a) for a in game.assumptions],
                          "equilibria": [eq.to_dict() for eq in eqs]}, indent=2))
    elif args.format == "latex":
        print(f"% {game.name}")
        for eq in eqs:
            row = ", ".join(sp.latex(e) for e in eq.row)
            col = ", ".join(sp.latex(e) for e in eq.col)
            print(f"\\text{{{eq.label}}}: x = ({row}),\\ y = ({col})"
                  f"\\quad\\text{{if }} {sp.latex(eq.condition)} \\\\")
    else:
        print(game.name)
        print("assumptions: " + ", ".join(str(a) for a in game.assumptions))
        for eq in eqs:
            print(f"\n{eq.label} [{eq.kind}]")
            print(f"  row strategy:    ({', '.join(map(str, eq.row))})")
            print(f"  column strategy: ({', '.join(map(str, eq.col))})")
            print(f"  holds if:        {eq.condition}")
    return 0


def _statics(args: argparse.Namespace) -> int:
    game = _game(args.game)
    st = game.statics(args.of, args.wrt, given=args.given or ())
    if args.format == "json":
        print(json.dumps(st.to_dict(), indent=2))
    elif args.format == "latex":
        print(f"\\frac{{\\partial {st.of}}}{{\\partial {st.wrt}}} = {sp.latex(st.derivative)}"
              f"\\quad\\text{{({st.sign})}}")
    else:
        print(f"d{st.of}/d{st.wrt} = {st.derivative}")
        print(f"sign: {st.sign}" + (" (proven)" if st.proven else ""))
        for step in st.proof:
            print(f"  {step}")
        for side, cond in st.condition.items():
            print(f"  {side} where {cond}")
        if st.counterexample:
            print(f"  negative at {st.counterexample}")
    return 0


def _verify(args: argparse.Namespace) -> int:
    from gametheory.claims import CLAIMS, verify

    verdicts = verify()
    if args.format == "json":
        rows = []
        for claim, v in zip(CLAIMS, verdicts, strict=True):
            rows.append({"section": claim.section, "statement": claim.statement,
                         "printed": claim.printed} | v.to_dict())
        print(json.dumps(rows, indent=2))
        return 0
    if args.format == "latex":
        print("\\begin{tabular}{lll}\nclaim & verdict & condition \\\\ \\hline")
        for v in verdicts:
            print(f"{v.claim_id} & {v.status} & {v.condition or ''} \\\\")
        print("\\end{tabular}")
        return 0
    for claim, v in zip(CLAIMS, verdicts, strict=True):
        print(f"[{v.status}] {claim.id} ({claim.section}): {claim.statement}")
        if v.condition:
            print(f"    condition: {v.condition}")
        if v.counterexample:
            print(f"    counterexample: {v.counterexample}")
        if v.erratum:
            print(f"    erratum: {v.erratum}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``derive``, ``statics`` and ``verify`` to the ``uipolicy`` parser."""
    p = sub.add_parser("derive", help="every equilibrium of a seed game with its condition")
    p.add_argument("game", choices=GAMES)
    p.add_argument("--format", choices=FORMATS, default="text")
    p.set_defaults(func=_derive)

    p = sub.add_parser("statics", help="comparative statics of the mixed equilibrium")
    p.add_argument("game", choices=GAMES)
    p.add_argument("--of", required=True, help="X (monitoring probability) or Y (effort)")
    p.add_argument("--wrt", required=True, help="a parameter, e.g. U, U1, R")
    p.add_argument("--given", action="append",
                   help="extra assumption such as 'E < (U1 - U)*(1 - R)' (repeatable)")
    p.add_argument("--format", choices=FORMATS, default="text")
    p.set_defaults(func=_statics)

    p = sub.add_parser("verify", help="check every published claim of seed 001")
    p.add_argument("--format", choices=FORMATS, default="text")
    p.set_defaults(func=_verify)
