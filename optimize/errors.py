"""Exceptions of the policy-search layer (all :class:`uicore.errors.UIPolicyError`)."""

from __future__ import annotations

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
