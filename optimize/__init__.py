"""The policy search: benefit tiers and monitoring probability, with the seed-001 game
driving behaviour and the seed-002 fund judging sustainability.

This package uses :mod:`gametheory` and :mod:`fund`; neither of them imports it.

>>> from optimize import default_problem, solve
>>> problem = default_problem()
>>> sorted(problem.bounds)
['U', 'U0', 'U1', 'x']
"""

from optimize.bridge import Behaviour, Bridge, months_paid, reemployment
from optimize.claimants import Claimants
from optimize.classics import baily_chetty, hopenhayn_nicolini
from optimize.errors import (
    InfeasibleProblemError,
    OptimizeError,
    PolicyParameterError,
    ScenarioError,
)
from optimize.problem import Chance, Evaluation, Problem, default_problem
from optimize.reskilling import Reskilling
from optimize.solve import Solution, solve
from optimize.welfare import Welfare

__all__ = [
    "Behaviour",
    "Bridge",
    "Chance",
    "Claimants",
    "Evaluation",
    "InfeasibleProblemError",
    "OptimizeError",
    "PolicyParameterError",
    "Problem",
    "Reskilling",
    "ScenarioError",
    "Solution",
    "Welfare",
    "baily_chetty",
    "default_problem",
    "hopenhayn_nicolini",
    "months_paid",
    "reemployment",
    "solve",
]
