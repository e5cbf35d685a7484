"""Exceptions of the policy-search layer (all :class:`uicore.errors.UIPolicyError`)."""

from __future__ import annotations

import math

from uicore.errors import ParameterError, UIPolicyError


class OptimizeError(UIPolicyError):
    """Base class of the optimize layer's errors.

    Examples
    --------
    >>> from optimize import InfeasibleProblemError, OptimizeError
    >>> issubclass(InfeasibleProblemError, OptimizeError)
    True
    """


class PolicyParameterError(OptimizeError, ParameterError):
    """A policy or problem parameter broke a rule (names the parameter, value and rule).

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
    >>> from optimize import Reskilling
    >>> Reskilling(loan_share=2.0)
    Traceback (most recent call last):
    ...
    optimize.errors.PolicyParameterError: loan_share = 2.0: must lie in [0, 1]
    """


class InfeasibleProblemError(OptimizeError):
    """No policy satisfies the constraints.

    E.g. a floor above the cap, an unmeetable budget; the message says which constraints
    conflict.

    Examples
    --------
    >>> from optimize import default_problem
    >>> default_problem(floor=1600.0)
    Traceback (most recent call last):
    ...
    optimize.errors.InfeasibleProblemError: floor = 1600 > cap = 1530: ...
    """


class ScenarioError(OptimizeError):
    r"""A TOML scenario file is missing, malformed, or has an unknown or bad key.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from optimize import problem_from_toml
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "bad.toml"
    >>> _ = path.write_text("[problem]\nflor = 900\n")
    >>> problem_from_toml(path)
    Traceback (most recent call last):
    ...
    optimize.errors.ScenarioError: bad.toml: ...
    """


def positive_float(name: str, value: float, *, upper: float = math.inf,
                   upper_open: bool = True) -> float:
    """``value`` as a float in ``(0, upper)`` (or ``(0, upper]``), else a named error.

    Parameters
    ----------
    name : str
        The parameter's name, for the message.
    value : float
        The value given.
    upper : float
        The upper bound (default: none).
    upper_open : bool
        Whether ``upper`` itself is excluded (default) or allowed.

    Returns
    -------
    float
        ``value`` as a float.

    Raises
    ------
    PolicyParameterError
        Not a number, not finite, not positive, or beyond ``upper``.

    Examples
    --------
    >>> positive_float("beta", 0.999, upper=1.0)
    0.999
    >>> positive_float("beta", 1, upper=1.0)
    Traceback (most recent call last):
    ...
    optimize.errors.PolicyParameterError: beta = 1: must lie in (0, 1)
    """
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise PolicyParameterError(name, value, "must be a number") from None
    above = v >= upper if upper_open else v > upper
    if not math.isfinite(v) or v <= 0 or above:
        bracket = ")" if upper_open else "]"
        raise PolicyParameterError(name, value, f"must lie in (0, {upper:g}{bracket}")
    return v
