"""The unemployment-insurance fund of a province (seed 002).

Data, parameter processes, year-by-year income and expenditure, Monte Carlo ensembles and
sustainability metrics.

This package never imports :mod:`gametheory` or ``optimize``.  The modules that draw figures
(``backtest``, ``figures``, ``shock_figures``) are loaded on first use, so importing
:mod:`fund` does not import matplotlib.
"""

import importlib
from types import ModuleType

from fund import accounting, data, labour_analysis, labour_ode, metrics, reproduce
from fund.errors import DataError, FitError, FundError, FundParameterError, HorizonError
from fund.labour_ode import DemandPath, LabourParams  # seed 000 labour model
from fund.montecarlo import MonteCarloResult, monte_carlo  # F2: Monte Carlo
from fund.processes.cir import CIR, CIRFit  # F2: parameter processes
from fund.projection import DRIVERS, FundPaths, Projection, project, project_paths  # F1
from fund.rules import CHINA_2024, NO_RULES, FundRules
from fund.scenarios import (
    DEFAULT_INTEREST_RATE,
    Scenario,
    central_gap,
    default_opening_reserve,
    expected_scenario,
    printed_scenario,
)
from fund.shocks import AutomationShock, ShockResult, load_shock, project_shock  # shocks
from fund.stochastic import StartState, StochasticModel

__all__ = ["DataError", "FitError", "FundError", "FundParameterError", "HorizonError"]
__all__ += ["CIR", "CIRFit", "MonteCarloResult", "StartState", "StochasticModel",  # F2
            "monte_carlo"]  # F2
__all__ += ["DRIVERS", "FundPaths", "Projection", "accounting", "data", "metrics",  # F1
            "project", "project_paths"]  # F1
__all__ += ["CHINA_2024", "DEFAULT_INTEREST_RATE", "NO_RULES", "FundRules", "Scenario",
            "central_gap", "default_opening_reserve", "expected_scenario",
            "printed_scenario"]  # scenarios and the fund's rules
__all__ += ["AutomationShock", "DemandPath", "LabourParams", "ShockResult",  # seed 000
            "labour_analysis", "labour_ode", "load_shock", "project_shock"]  # seed 000
__all__ += ["backtest", "figures", "reproduce", "shock_figures"]  # checks and figures

_LAZY = frozenset({"backtest", "figures", "shock_figures"})


def __getattr__(name: str) -> ModuleType:
    """Load a figure module (``fund.backtest``, ``fund.figures``, ``fund.shock_figures``).

    Parameters
    ----------
    name : str
        The attribute asked for.

    Returns
    -------
    module
        The submodule, imported on first use.

    Raises
    ------
    AttributeError
        ``name`` is not a submodule loaded on demand.

    Examples
    --------
    >>> import fund
    >>> fund.figures.__name__
    'fund.figures'
    """
    if name in _LAZY:
        return importlib.import_module(f"fund.{name}")
    raise AttributeError(f"module 'fund' has no attribute {name!r}")
