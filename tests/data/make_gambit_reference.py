"""Store pygambit's exact ``enummixed_solve`` result for the test games too slow to solve live.

Run from the repository root: ``python tests/data/make_gambit_reference.py``.  It writes
``tests/data/nashpy/gambit_equilibria.json``: for each listed game (by its ``source`` in
``games.json``) every extreme equilibrium as strings of fractions, and the pygambit version.
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import numpy as np
import pygambit as gbt

HERE = Path(__file__).parent
SLOW = ["tests/unit/test_lemke_howson.py::test_lemke_howson_lex_degenerate_tie_breaking_looping"]


def gambit_equilibria(A: list[list[float]], B: list[list[float]]) -> list[list[list[str]]]:
    """Every extreme equilibrium by pygambit, as ``[[row...], [col...]]`` fraction strings."""
    a = np.array([[Fraction(v) for v in row] for row in A], dtype=object)
    b = np.array([[Fraction(v) for v in row] for row in B], dtype=object)
    game = gbt.Game.from_arrays(a, b)
    result = gbt.nash.enummixed_solve(game, rational=True)
    found = {tuple(tuple(str(Fraction(v)) for _, v in eq[p]) for p in game.players)
             for eq in result.equilibria}
    return [[list(x), list(y)] for x, y in sorted(found)]


def main() -> None:
    games = json.loads((HERE / "nashpy" / "games.json").read_text())["games"]
    out = {"pygambit": gbt.__version__, "method": "enummixed_solve(rational=True)",
           "equilibria": {g["source"]: gambit_equilibria(g["A"], g["B"])
                          for g in games if g["source"] in SLOW}}
    (HERE / "nashpy" / "gambit_equilibria.json").write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
