"""Derive the monitoring game's equilibria (seed 001, Table 2) and print them in LaTeX.

Run: python examples/derive_monitoring_equilibrium.py
"""

import sympy as sp

from gametheory import models

game = models.monitoring_game()
print(f"% {game.name}")
for eq in game.equilibria():
    print(eq._repr_latex_())

mixed = game.mixed_equilibrium()
print("% the mixed equilibrium")
print(f"X^* = {sp.latex(mixed.row[0])}")
print(f"Y^* = {sp.latex(mixed.col[0])}")
for wrt in ("U", "U1", "R"):
    st = game.statics("Y", wrt)
    print(f"\\frac{{\\partial Y^*}}{{\\partial {wrt}}} = {sp.latex(st.derivative)}"
          f"  % {st.sign}")
