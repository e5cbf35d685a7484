"""The spell game as a pygambit tree (used by :meth:`gametheory.dynamic.SpellGame.to_gambit`).

Kept apart from :mod:`gametheory.dynamic` because it is only about gambit's tree API; the
caller imports pygambit lazily and passes the module in.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

__all__ = ["build_spell_tree"]

Matrix = Sequence[Sequence[Fraction]]


def build_spell_tree(gbt: Any, months: Sequence[tuple[Matrix, Matrix, Matrix]],
                     row_labels: Sequence[str], col_labels: Sequence[str], *,
                     title: str) -> Any:
    """Build the tree month by month.

    Parameters
    ----------
    gbt : module
        The imported ``pygambit``.
    months : sequence of (A, B, stay)
        Per month, month 1 first: the government's and the claimant's *discounted* expected
        payoffs of each cell, and the probability that the claimant stays unemployed.
    row_labels, col_labels : sequence of str
        The government's and the claimant's action labels.
    title : str
        The game's title.

    Returns
    -------
    pygambit.Game
        The tree (see :meth:`gametheory.dynamic.SpellGame.to_gambit`).

    Examples
    --------
    >>> import pygambit  # doctest: +SKIP
    >>> one = ([[Fraction(1)]], [[Fraction(2)]], [[Fraction(0)]])
    >>> tree = build_spell_tree(pygambit, [one], ["a"], ["b"], title="t")  # doctest: +SKIP
    >>> len(tree.infosets)  # doctest: +SKIP
    2
    """
    game = gbt.Game.new_tree(players=["government", "claimant"], title=title)
    gov, claimant = game.players["government"], game.players["claimant"]
    frontier = [game.root]
    for t, (A, B, stay) in enumerate(months, start=1):
        last = t == len(months)
        grown = []
        for h, node in enumerate(frontier, start=1):
            game.append_move(node, gov, list(row_labels))
            game.append_move(list(node.children), claimant, list(col_labels))
            node.infoset.label = f"month {t}, history {h}"
            node.children[row_labels[0]].infoset.label = f"month {t}, history {h}"
            for i, gnode in enumerate(node.children):
                for j, cell in enumerate(gnode.children):
                    label = f"month {t}, history {h}: {row_labels[i]}, {col_labels[j]}"
                    outcome = game.add_outcome(label=label, payoffs=[
                        gbt.Rational(A[i][j].numerator, A[i][j].denominator),
                        gbt.Rational(B[i][j].numerator, B[i][j].denominator)])
                    game.set_outcome(cell, outcome)
                    grown += _leave(game, gbt, cell, stay[i][j], last=last)
        frontier = grown
    return game


def _leave(game: Any, gbt: Any, cell: Any, stay: Fraction, *, last: bool) -> list[Any]:
    """The chance move job / no job after a cell; the nodes where the spell goes on."""
    if last or stay == 0:
        return []
    if stay == 1:
        return [cell]
    game.append_move(cell, game.players.chance, ["job", "no job"])
    game.set_chance_probs(cell.infoset, [
        gbt.Rational((1 - stay).numerator, (1 - stay).denominator),
        gbt.Rational(stay.numerator, stay.denominator)])
    return [cell.children["no job"]]
