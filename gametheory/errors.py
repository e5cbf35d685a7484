"""Exceptions of the game-theory layer.

Every class derives from :class:`uicore.errors.UIPolicyError`; each message names what
was wrong (the parameter, the value, the rule).
"""

from __future__ import annotations

from uicore.errors import ParameterError, UIPolicyError


class GameError(UIPolicyError):
    """Base class of the game-theory layer's errors.

    Examples
    --------
    >>> from gametheory import GameError, ShapeError
    >>> issubclass(ShapeError, GameError)
    True
    """


class ShapeError(GameError):
    """Payoff matrices or labels whose shapes do not fit together.

    Examples
    --------
    >>> from gametheory import Game
    >>> Game([[1, 2]], [[1], [2]])
    Traceback (most recent call last):
    ...
    gametheory.errors.ShapeError: col_payoffs has shape (2, 1) but row_payoffs has (1, 2); ...
    """


class UnknownSymbolError(GameError):
    """A name that is not one of the game's parameters (or an allowed function).

    Examples
    --------
    >>> from gametheory import Game
    >>> Game.from_text("[[U, Q]]", "[[0, 0]]", params=["U"])
    Traceback (most recent call last):
    ...
    gametheory.errors.UnknownSymbolError: unknown name 'Q' in 'Q'; ...
    """


class ParseError(GameError):
    """Text that the restricted formula parser does not accept.

    Examples
    --------
    >>> from gametheory import Game
    >>> Game.from_text("[[U +* 1]]", "[[0]]", params=["U"])
    Traceback (most recent call last):
    ...
    gametheory.errors.ParseError: cannot parse row_payoffs '[[U +* 1]]': invalid syntax
    """


class GameParameterError(GameError, ParameterError):
    """A parameter value that is not numeric or breaks one of the game's assumptions.

    Parameters
    ----------
    parameter : str
        The parameter's name.
    value : object
        The value it got.
    rule : str
        The rule it broke.

    Examples
    --------
    >>> from gametheory import models
    >>> models.monitoring_game().payoffs_at(U=1)
    Traceback (most recent call last):
    ...
    gametheory.errors.GameParameterError: U0 = None: missing; ...
    """


class NoMixedEquilibriumError(GameError):
    """The game has no fully mixed equilibrium family (or it is not defined).

    Examples
    --------
    >>> from gametheory import Game
    >>> Game([[1, 2], [3, 4]], [[1, 2], [3, 4]]).mixed_equilibrium()
    Traceback (most recent call last):
    ...
    gametheory.errors.NoMixedEquilibriumError: game has no fully mixed equilibrium: ...
    """


class StaticsError(GameError):
    """A comparative-statics request that cannot be answered (unknown strategy name, ...).

    Examples
    --------
    >>> from gametheory import models
    >>> models.monitoring_game().statics("Q", "R")
    Traceback (most recent call last):
    ...
    gametheory.errors.StaticsError: of = 'Q': use 'X', 'Y', or 'X2', 'Y3', ... (1-based)
    """


class FormulaLimitError(ParseError, GameParameterError):
    """Text beyond the parser's budget (:data:`gametheory.parsing.LIMITS`).

    ``parameter`` names the measure (``"depth"``, ``"degree"``, ...), ``value`` its size
    and the message the limit it exceeds.

    Parameters
    ----------
    parameter : str
        The measure that is too large.
    value : object
        Its size.
    rule : str
        The limit it exceeds.

    Examples
    --------
    >>> from gametheory import Game
    >>> Game.from_text("[[U**100000]]", "[[0]]", params=["U"])
    Traceback (most recent call last):
    ...
    gametheory.errors.FormulaLimitError: exponent = 100000: 'U**100000' exceeds the parser's ...
    """


class NotFiniteRealError(ParseError, GameParameterError):
    """A formula (or a part of it) whose value is ``nan``, infinite or not real.

    Parameters
    ----------
    parameter : str
        What was evaluated (``"value"`` for a formula).
    value : object
        The value it had.
    rule : str
        Why it is refused.

    Examples
    --------
    >>> from gametheory import parse_expr
    >>> parse_expr("1/0", {})
    Traceback (most recent call last):
    ...
    gametheory.errors.NotFiniteRealError: value = zoo: '1/0' is not a finite real number (in 1/0)
    """


class GameTooLargeError(GameError, ParameterError):
    """A game too large for exact equilibrium enumeration (refused before any work)."""


class EnumerationBudgetError(GameError, ParameterError):
    """An exact enumeration that ran out of its ``max_seconds`` budget."""


class QRETraceError(GameError):
    """A quantal-response branch that the tracer could not follow to the asked precision."""


class OptionalDependencyError(GameError, ImportError):
    """A feature needs an optional package that is not installed.

    The message says which, and the ``pip install`` command.
    """
