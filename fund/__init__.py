"""The unemployment-insurance fund of a province (seed 002): data, parameter processes,
year-by-year income and expenditure, Monte Carlo ensembles and sustainability metrics.

This package never imports :mod:`gametheory` or ``optimize``.
"""

from fund import accounting, data, metrics  # F1: data, identities, metrics
from fund.errors import DataError, FitError, FundError, FundParameterError, HorizonError
from fund.labour_ode import DemandPath, LabourParams  # seed 000 labour model
from fund.montecarlo import MonteCarloResult, monte_carlo  # F2: Monte Carlo
from fund.processes.cir import CIR, CIRFit  # F2: parameter processes
from fund.projection import DRIVERS, FundPaths, Projection, project, project_paths  # F1
from fund.shocks import AutomationShock, ShockResult, load_shock, project_shock  # shocks

__all__ = ["DataError", "FitError", "FundError", "FundParameterError", "HorizonError"]
__all__ += ["CIR", "CIRFit", "MonteCarloResult", "monte_carlo"]  # F2
__all__ += ["DRIVERS", "FundPaths", "Projection", "accounting", "data", "metrics",  # F1
            "project", "project_paths"]  # F1
__all__ += ["AutomationShock", "DemandPath", "LabourParams", "ShockResult",  # seed 000
            "load_shock", "project_shock"]  # seed 000
