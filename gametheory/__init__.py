"""Symbolic government-vs-unemployed games (seed 001).

Payoff bimatrices with sympy entries; every equilibrium family with the condition under
which it holds; comparative statics whose signs are proven; fast numeric evaluation; and
nashpy for cross-checks.  This package never imports :mod:`fund` or ``optimize``.

>>> from gametheory import models
>>> g = models.monitoring_game()
>>> g.statics("Y", "R").sign
'positive'
"""

from gametheory import claims, models
from gametheory.bayesian import BayesianGame
from gametheory.conditions import condition_text
from gametheory.dynamic import SpellArrays, SpellEquilibrium, SpellGame, SpellPath, SpellRound
from gametheory.equilibrium import Equilibrium, EquilibriumArrays
from gametheory.errors import (
    FormulaLimitError,
    GameError,
    GameParameterError,
    NoMixedEquilibriumError,
    NotFiniteRealError,
    ParseError,
    ShapeError,
    StaticsError,
    UnknownSymbolError,
)
from gametheory.game import Game
from gametheory.parsing import parse_expr, parse_relations
from gametheory.statics import Statics
from gametheory.vertexenum import check_size

__all__ = [
    "BayesianGame",
    "Equilibrium",
    "EquilibriumArrays",
    "FormulaLimitError",
    "Game",
    "GameError",
    "GameParameterError",
    "NoMixedEquilibriumError",
    "NotFiniteRealError",
    "ParseError",
    "ShapeError",
    "SpellArrays",
    "SpellEquilibrium",
    "SpellGame",
    "SpellPath",
    "SpellRound",
    "Statics",
    "StaticsError",
    "UnknownSymbolError",
    "check_size",
    "claims",
    "condition_text",
    "models",
    "parse_expr",
    "parse_relations",
]
