"""Exceptions of the game-theory layer.

Every class derives from :class:`uicore.errors.UIPolicyError`; each message names what
was wrong (the parameter, the value, the rule).
"""

from __future__ import annotations

from uicore.errors import ParameterError, UIPolicyError


class GameError(UIPolicyError):
    """Base class of the game-theory layer's errors."""


class ShapeError(GameError):
    """Payoff matrices or labels whose shapes do not fit together."""


class UnknownSymbolError(GameError):
    """A name that is not one of the game's parameters (or an allowed function)."""


class ParseError(GameError):
    """Text that the restricted formula parser does not accept."""


class GameParameterError(GameError, ParameterError):
    """A parameter value that is not numeric or breaks one of the game's assumptions."""


class NoMixedEquilibriumError(GameError):
    """The game has no fully mixed equilibrium family (or it is not defined)."""


class StaticsError(GameError):
    """A comparative-statics request that cannot be answered (unknown strategy name, ...)."""


class FormulaLimitError(ParseError, GameParameterError):
    """Text beyond the parser's budget (:data:`gametheory.parsing.LIMITS`).

    ``parameter`` names the measure (``"depth"``, ``"degree"``, ...), ``value`` its size
    and the message the limit it exceeds.
    """


class NotFiniteRealError(ParseError, GameParameterError):
    """A formula (or a part of it) whose value is ``nan``, infinite or not real."""


class GameTooLargeError(GameError, ParameterError):
    """A game too large for exact equilibrium enumeration (refused before any work)."""


class EnumerationBudgetError(GameError, ParameterError):
    """An exact enumeration that ran out of its ``max_seconds`` budget."""


class QRETraceError(GameError):
    """A quantal-response branch that the tracer could not follow to the asked precision."""


class OptionalDependencyError(GameError, ImportError):
    """A feature needs an optional package that is not installed (the message says which,
    and the ``pip install`` command)."""
