"""Exceptions of the fund layer.

All derive from :class:`uicore.errors.UIPolicyError`; messages name the parameter (or
the file's row and column), the value and the rule it broke.
"""

from __future__ import annotations

from uicore.errors import ParameterError, UIPolicyError


class FundError(UIPolicyError):
    """Base class of the fund layer's errors.

    Examples
    --------
    >>> from fund import FundError, FundParameterError
    >>> issubclass(FundParameterError, FundError)
    True
    """


class FundParameterError(FundError, ParameterError):
    """A fund-model parameter broke a rule (negative rate, ``sigma <= 0``, ...).

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
    >>> from fund import CIR
    >>> CIR(1.0, 0.2, -0.3)
    Traceback (most recent call last):
    ...
    fund.errors.FundParameterError: sigma = -0.3: must be > 0
    """


class DataError(FundError):
    r"""A data file or series is malformed; the message names the row and column.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from fund.data import load
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "p.csv"
    >>> _ = path.write_text("year,covered_10k\n2021,x\n")
    >>> load(path, units={"covered_10k": "万人"})
    Traceback (most recent call last):
    ...
    fund.errors.DataError: ...
    """


class HorizonError(FundError):
    """A projection horizon or year range is impossible (e.g. it ends before the data).

    Examples
    --------
    >>> from fund import HorizonError
    >>> raise HorizonError("the projection ends in 2020, before the last data year 2022")
    Traceback (most recent call last):
    ...
    fund.errors.HorizonError: the projection ends in 2020, before the last data year 2022
    """


class FitError(FundError):
    """A model could not be fitted to the series it was given.

    Examples
    --------
    >>> from fund import CIR
    >>> CIR.fit([0.2, 0.2, 0.2, 0.2, 0.2])
    Traceback (most recent call last):
    ...
    fund.errors.FitError: series: all 5 observations equal 0.2; nothing to fit
    """
