"""The project's base exception.

Every error the toolkit raises on bad input is a subclass of :class:`UIPolicyError`, so a
script can catch all of them at once.  The layers (:mod:`gametheory`, :mod:`fund`) define
their own subclasses; this module imports nothing from them.
"""

from __future__ import annotations

from typing import Any


class UIPolicyError(ValueError):
    """Base class of every project error raised for bad input or an impossible request.

    It subclasses :class:`ValueError`, so code that already catches ``ValueError`` keeps
    working.

    Examples
    --------
    >>> issubclass(ParameterError, UIPolicyError)
    True
    >>> try:
    ...     raise UIPolicyError("no policy meets the budget")
    ... except UIPolicyError as error:
    ...     print(error)
    no policy meets the budget
    """


class ParameterError(UIPolicyError):
    """A parameter broke a rule.

    The message always names the parameter, the value it got and the rule it broke.

    Parameters
    ----------
    parameter : str
        The name of the parameter (as the caller spelled it).
    value : object
        The value it got.
    rule : str
        The rule it broke, e.g. ``"must be > 0"``.

    Examples
    --------
    >>> raise ParameterError("sigma", -1.0, "must be > 0")
    Traceback (most recent call last):
    ...
    uicore.errors.ParameterError: sigma = -1.0: must be > 0
    >>> ParameterError("sigma", -1.0, "must be > 0").parameter
    'sigma'
    """

    def __init__(self, parameter: str, value: Any, rule: str) -> None:
        self.parameter = parameter
        self.value = value
        self.rule = rule
        super().__init__(f"{parameter} = {value!r}: {rule}")

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle by the three fields, so the error crosses process boundaries intact.

        A worker's error is re-raised as itself by :mod:`uicore.executors`).
        """
        return (type(self), (self.parameter, self.value, self.rule))
