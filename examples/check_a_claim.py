"""Check a claim from a paper of your own: an inspection game.

Suppose a paper claims: "in the inspection game, a higher fine f lowers the probability
that the claimant cheats, and raises the inspection probability."  We state the game,
derive its mixed equilibrium, and let the toolkit prove or refute both signs.

Run: python examples/check_a_claim.py
"""

from gametheory import Game

game = Game(
    [["-k", "f - k"], ["0", "-l"]],  # inspector: inspect / trust
    [["0", "-f"], ["0", "g"]],       # claimant: comply / cheat
    params=["k", "f", "l", "g"],
    assumptions=["k > 0", "f > 0", "l > 0", "g > 0"],
    row_labels=["inspect", "trust"],
    col_labels=["comply", "cheat"],
    name="inspection game",
)
mixed = game.mixed_equilibrium()
print("inspection probability X* =", mixed.row[0])
print("cheating probability  1-Y* =", mixed.col[1])
print("the mixed equilibrium holds where", mixed.condition)

cheat = game.statics("Y", "f")  # Y = compliance; cheating falls iff compliance rises
print(f"d(compliance)/df = {cheat.derivative}: {cheat.sign}")
inspect = game.statics("X", "f")
print(f"d(inspection)/df = {inspect.derivative}: {inspect.sign}")
verdict_1 = "holds" if cheat.sign == "positive" else f"does not hold ({cheat.sign})"
verdict_2 = "holds" if inspect.sign == "positive" else f"fails ({inspect.sign})"
print("claim 1 (a higher fine lowers cheating):", verdict_1)
print("claim 2 (a higher fine raises inspection):", verdict_2)
