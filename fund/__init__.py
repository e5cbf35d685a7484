"""The unemployment-insurance fund of a province (seed 002): data, parameter processes,
year-by-year income and expenditure, Monte Carlo ensembles and sustainability metrics.

This package never imports :mod:`gametheory` or ``optimize``.
"""

from fund.errors import DataError, FitError, FundError, FundParameterError, HorizonError
from fund.processes.cir import CIR, CIRFit  # F2: parameter processes

__all__ = ["DataError", "FitError", "FundError", "FundParameterError", "HorizonError"]
__all__ += ["CIR", "CIRFit"]  # F2: parameter processes
