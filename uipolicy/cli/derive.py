"""Game-theory subcommands: ``derive``, ``statics`` and ``verify``.

``uipolicy derive monitoring --format latex`` prints every equilibrium family of a seed
game with its condition; ``uipolicy statics monitoring --of Y --wrt U`` a comparative
static with its proven sign; ``uipolicy verify`` the verdict on every seed-001 claim.
``--format latex`` writes a complete document that ``pdflatex`` compiles; ``--format json``
carries every field the text shows.  sympy is imported only when a command runs.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

GAMES = ("benefit", "monitoring")
FORMATS = ("text", "latex", "json")


def _game(name: str) -> Any:
    from gametheory import models

    return models.benefit_game() if name == "benefit" else models.monitoring_game()


def _conjuncts(cond: Any) -> list[Any]:
    import sympy as sp

    return list(cond.args) if isinstance(cond, sp.And) else [cond]


def _derive_latex(game: Any, eqs: Any) -> str:
    import sympy as sp

    from uipolicy.formulas import latex_document, tex_text

    lines = ["Assumptions: $" + ",\\ ".join(sp.latex(a) for a in game.assumptions) + "$.",
             "Each family is an equilibrium exactly where all of its conditions hold."]
    for eq in eqs:
        row = ", ".join(sp.latex(e) for e in eq.row)
        col = ", ".join(sp.latex(e) for e in eq.col)
        conds = " \\\\\n".join(sp.latex(c) for c in _conjuncts(eq.condition))
        lines += [f"\\subsection*{{{tex_text(eq.label)} ({tex_text(eq.kind)})}}",
                  "Government's strategy:",
                  f"\\begin{{multline*}}x = ({row})\\end{{multline*}}",
                  "Unemployed person's strategy:",
                  f"\\begin{{multline*}}y = ({col})\\end{{multline*}}",
                  "Holds if:",
                  f"\\begin{{gather*}}{conds}\\end{{gather*}}"]
    return latex_document(game.name, "\n".join(lines))


def _derive(args: argparse.Namespace) -> int:
    game = _game(args.game)
    eqs = game.equilibria()
    if args.format == "json":
        text = json.dumps({"game": game.name, "params": list(game.params),
                           "assumptions": [str(a) for a in game.assumptions],
                           "equilibria": [eq.to_dict() for eq in eqs]}, indent=2)
    elif args.format == "latex":
        text = _derive_latex(game, eqs)
    else:
        from gametheory.conditions import condition_text

        lines = [game.name, "assumptions: " + ", ".join(str(a) for a in game.assumptions)]
        for eq in eqs:
            lines += [f"\n{eq.label} [{eq.kind}]",
                      f"  row strategy:    ({', '.join(map(str, eq.row))})",
                      f"  column strategy: ({', '.join(map(str, eq.col))})",
                      f"  holds if:        {condition_text(eq.condition)}"]
        text = "\n".join(lines)
    print(text)
    return 0


def _statics_latex(st: Any, game: Any) -> str:
    import sympy as sp

    from uipolicy.formulas import latex_document, tex_text

    of, wrt = sp.latex(sp.Symbol(st.of)), sp.latex(sp.Symbol(st.wrt))
    body = [f"\\[\\frac{{\\partial {of}}}{{\\partial {wrt}}} = {sp.latex(st.derivative)}\\]",
            f"Sign: {tex_text(st.sign)}" + (" (proven)." if st.proven else ".")]
    if st.given:
        body.append("Given: $" + ",\\ ".join(sp.latex(g) for g in st.given) + "$.")
    body += [tex_text(step) + "\\par" for step in st.proof]
    for side, cond in st.condition.items():
        body.append(f"{tex_text(side)} where ${sp.latex(cond)}$.\\par")
    if st.counterexample:
        point = ",\\ ".join(f"{sp.latex(sp.Symbol(k))} = {sp.latex(v)}"
                             for k, v in st.counterexample.items())
        body.append(f"Negative at ${point}$.")
    return latex_document(f"{game.name}: d{st.of}/d{st.wrt}", "\n".join(body))


def _statics(args: argparse.Namespace) -> int:
    game = _game(args.game)
    st = game.statics(args.of, args.wrt, given=args.given or ())
    if args.format == "json":
        text = json.dumps(st.to_dict() | {"proven": st.proven}, indent=2)
    elif args.format == "latex":
        text = _statics_latex(st, game)
    else:
        lines = [f"d{st.of}/d{st.wrt} = {st.derivative}",
                 f"sign: {st.sign}" + (" (proven)" if st.proven else "")]
        lines += [f"  {step}" for step in st.proof]
        from gametheory.conditions import condition_text

        lines += [f"  {side} where {condition_text(cond)}" for side, cond in st.condition.items()]
        if st.counterexample:
            lines.append(f"  negative at {st.counterexample}")
        text = "\n".join(lines)
    print(text)
    return 0


def _verify_latex(claims: Any, verdicts: Any) -> str:
    import sympy as sp

    from gametheory import models
    from uipolicy.formulas import condition_expr, latex_document, tex_text

    names = models.monitoring_game().params
    items = []
    for claim, v in zip(claims, verdicts, strict=True):
        item = [f"\\item[{tex_text(claim.id)}] \\textbf{{{tex_text(v.status)}}} "
                f"({tex_text(claim.section)}): {tex_text(claim.statement)}."]
        if v.condition:
            item.append(f"Condition: ${sp.latex(condition_expr(v.condition, names))}$.")
        if v.counterexample:
            point = ",\\ ".join(f"{sp.latex(names[k])} = {sp.latex(sp.Rational(x))}"
                                 for k, x in v.counterexample.items())
            item.append(f"Counterexample: ${point}$.")
        if v.erratum:
            item.append(f"Erratum: {tex_text(v.erratum)}.")
        items.append(" ".join(item))
    body = "\\begin{description}\n" + "\n".join(items) + "\n\\end{description}"
    return latex_document("Seed 001: the printed claims, verdicts and errata", body)


def _verify(args: argparse.Namespace) -> int:
    from gametheory.claims import CLAIMS, verify

    verdicts = verify()
    if args.format == "json":
        rows = []
        for claim, v in zip(CLAIMS, verdicts, strict=True):
            rows.append({"section": claim.section, "statement": claim.statement,
                         "printed": claim.printed} | v.to_dict())
        text = json.dumps(rows, indent=2)
    elif args.format == "latex":
        text = _verify_latex(CLAIMS, verdicts)
    else:
        lines = []
        for claim, v in zip(CLAIMS, verdicts, strict=True):
            lines.append(f"[{v.status}] {claim.id} ({claim.section}): {claim.statement}")
            if v.condition:
                lines.append(f"    condition: {v.condition}")
            if v.counterexample:
                lines.append(f"    counterexample: {v.counterexample}")
            if v.erratum:
                lines.append(f"    erratum: {v.erratum}")
        text = "\n".join(lines)
    print(text)
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]  # argparse's private generic
    """Add ``derive``, ``statics`` and ``verify`` to the ``uipolicy`` parser.

    Parameters
    ----------
    sub : argparse._SubParsersAction
        The subparsers of the ``uipolicy`` parser.
    """
    fmt_help = ("output format: text, latex (a complete document pdflatex compiles) or json "
                "(every field the text shows); default text")
    p = sub.add_parser(
        "derive", help="every equilibrium of a seed game with its condition",
        description="Every equilibrium family of a seed-001 game (benefit: Table 1; "
                    "monitoring: Table 2) with the exact condition under which it holds.")
    p.add_argument("game", choices=GAMES, help="which seed-001 game")
    p.add_argument("--format", choices=FORMATS, default="text", help=fmt_help)
    p.set_defaults(func=_derive)

    p = sub.add_parser(
        "statics", help="comparative statics of the mixed equilibrium",
        description="A derivative of the mixed equilibrium (X*: monitoring probability, "
                    "Y*: effort probability) with its sign, proven where a proof exists, "
                    "else 'depends' with a counterexample or 'unknown'.")
    p.add_argument("game", choices=GAMES, help="which seed-001 game")
    p.add_argument("--of", required=True, help="X (monitoring probability) or Y (effort)")
    p.add_argument("--wrt", required=True, help="a parameter, e.g. U, U1, R")
    p.add_argument("--given", action="append",
                   help="extra assumption such as 'E < (U1 - U)*(1 - R)' (repeatable)")
    p.add_argument("--format", choices=FORMATS, default="text", help=fmt_help)
    p.set_defaults(func=_statics)

    p = sub.add_parser(
        "verify", help="check every published claim of seed 001",
        description="Re-derive every printed claim of seed 001: holds, fails, or holds "
                    "only if a condition, with an exact counterexample and the erratum.")
    p.add_argument("--format", choices=FORMATS, default="text", help=fmt_help)
    p.set_defaults(func=_verify)
