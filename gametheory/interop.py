"""Hand games to Gambit (pygambit >= 16.1), exactly.

pygambit is a test extra, not a runtime dependency: it is imported lazily, and a missing
install is reported by :class:`~gametheory.errors.OptionalDependencyError` naming the
``pip install`` command, before any work.  Payoffs and chance probabilities are passed as
exact rationals (:func:`gambit_number`), so pygambit's rational solvers
(``enummixed_solve(game, rational=True)``, ``lcp_solve``, ...) answer exactly.

The interface every ``to_gambit`` of the layer follows (``Game``, ``BayesianGame``, and
the spell game) is written down in ``docs/explanation/bayesian.md``: the row player is
Gambit's first player, strategies keep the game's labels, chance moves are Gambit's chance
player with exact probabilities.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from types import ModuleType
from typing import Any

from gametheory.errors import OptionalDependencyError

__all__ = ["gambit_number", "require_pygambit", "strategic_to_gambit"]


def require_pygambit(what: str) -> ModuleType:
    """Import pygambit, or say how to install it.

    Parameters
    ----------
    what : str
        The feature that needs it, for the message (e.g. ``"Game.to_gambit"``).

    Returns
    -------
    module
        The ``pygambit`` module.

    Raises
    ------
    OptionalDependencyError
        pygambit is not installed.

    Examples
    --------
    >>> require_pygambit("a doctest").__name__
    'pygambit'
    """
    try:
        import pygambit  # noqa: PLC0415 (optional test extra, imported only when asked for)
    except ImportError:
        raise OptionalDependencyError(
            f"{what} needs pygambit >= 16.1 (a test extra): pip install pygambit"
        ) from None
    module: ModuleType = pygambit
    return module


def gambit_number(value: Fraction | int) -> Any:  # a pygambit.Rational (pygambit untyped)
    """An exact rational as ``pygambit.Rational``.

    Parameters
    ----------
    value : fractions.Fraction or int
        The exact number.

    Returns
    -------
    pygambit.Rational
        The same number.

    Raises
    ------
    OptionalDependencyError
        pygambit is not installed.

    Examples
    --------
    >>> from fractions import Fraction
    >>> gambit_number(Fraction(3, 10))
    Rational(3, 10)
    """
    gbt = require_pygambit("gambit_number")
    f = Fraction(value)
    return gbt.Rational(f.numerator, f.denominator)


def strategic_to_gambit(
    A: Sequence[Sequence[Fraction]],
    B: Sequence[Sequence[Fraction]],
    *,
    players: tuple[str, str],
    labels: tuple[Sequence[str], Sequence[str]],
    title: str,
) -> Any:  # a pygambit.Game (pygambit ships no type information)
    """A pygambit strategic-form game with exact payoffs and the given labels.

    Parameters
    ----------
    A, B : n x m nested sequences of Fraction
        Row and column players' payoffs, exact.
    players : tuple of str
        Names of the row and the column player (Gambit's first and second player).
    labels : tuple of two sequences of str
        The row and the column player's strategy labels.
    title : str
        The game's title in Gambit.

    Returns
    -------
    pygambit.Game
        A table game; ``game.players[0]`` is the row player.

    Raises
    ------
    OptionalDependencyError
        pygambit is not installed.

    Examples
    --------
    >>> g = strategic_to_gambit([[1, 0], [0, 1]], [[1, 0], [0, 1]], players=("r", "c"),
    ...                         labels=(["a", "b"], ["a", "b"]), title="t")
    >>> [p.label for p in g.players], [s.label for s in g.players["r"].strategies]
    (['r', 'c'], ['a', 'b'])
    """
    gbt = require_pygambit("to_gambit")
    rows = [[gambit_number(v) for v in row] for row in A]
    cols = [[gambit_number(v) for v in row] for row in B]
    game = gbt.Game.from_arrays(rows, cols, title=title)
    for player, name, names in zip(game.players, players, labels, strict=True):
        player.label = name
        for strategy, label in zip(player.strategies, names, strict=True):
            strategy.label = label
    return game
