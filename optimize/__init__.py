"""The policy search: benefit tiers and monitoring probability.

The seed-001 game drives behaviour and the seed-002 fund judges sustainability.

This package uses :mod:`gametheory` and :mod:`fund`; neither of them imports it.  The module
that draws figures (``optimize.figures``) is loaded on first use, so importing
:mod:`optimize` does not import matplotlib.

>>> from optimize import default_problem, solve
>>> problem = default_problem()
>>> sorted(problem.bounds)
['U', 'U0', 'U1', 'x']
"""

import importlib
from types import ModuleType

from optimize.bridge import Behaviour, Bridge, months_paid, reemployment, spell_behaviour
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
from optimize.robustness import load_sweep, sweep
from optimize.scenario import problem_from_toml
from optimize.schedules import compare_with_optimum, shanghai_schedule
from optimize.solve import Solution, solve
from optimize.spell import Schedule
from optimize.spellsolve import solve_schedule
from optimize.tradeoffs import compare_reskilling, pareto_frontier, sensitivity
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
    "Schedule",
    "Solution",
    "Welfare",
    "baily_chetty",
    "compare_reskilling",
    "compare_with_optimum",
    "default_problem",
    "figures",
    "hopenhayn_nicolini",
    "load_sweep",
    "months_paid",
    "pareto_frontier",
    "problem_from_toml",
    "reemployment",
    "sensitivity",
    "shanghai_schedule",
    "solve",
    "solve_schedule",
    "spell_behaviour",
    "sweep",
]


def __getattr__(name: str) -> ModuleType:
    """Load :mod:`optimize.figures` on first use (it imports matplotlib).

    Parameters
    ----------
    name : str
        The attribute asked for.

    Returns
    -------
    module
        ``optimize.figures`` when ``name`` is ``"figures"``.

    Raises
    ------
    AttributeError
        ``name`` is not ``"figures"``.

    Examples
    --------
    >>> import optimize
    >>> optimize.figures.__name__
    'optimize.figures'
    """
    if name == "figures":
        return importlib.import_module("optimize.figures")
    raise AttributeError(f"module 'optimize' has no attribute {name!r}")
