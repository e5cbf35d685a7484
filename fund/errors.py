"""Exceptions of the fund layer.

All derive from :class:`uicore.errors.UIPolicyError`; messages name the parameter (or
the file's row and column), the value and the rule it broke.
"""

from __future__ import annotations

from uicore.errors import ParameterError, UIPolicyError


class FundError(UIPolicyError):
    """Base class of the fund layer's errors."""


class FundParameterError(FundError, ParameterError):
    """A fund-model parameter broke a rule (negative rate, ``sigma <= 0``, ...)."""


class DataError(FundError):
    """A data file or series is malformed; the message names the row and column."""


class HorizonError(FundError):
    """A projection horizon or year range is impossible (e.g. it ends before the data)."""


class FitError(FundError):
    """A model could not be fitted to the series it was given."""
