"""The project's base exception.

Every error the toolkit raises on bad input is a subclass of :class:`UIPolicyError`, so a
script can catch all of them at once.  The layers (:mod:`gametheory`, :mod:`fund`) define
their own subclasses; this module imports nothing from them.
"""

from __future__ import annotations

from typing import Any


class UIPolicyError(ValueError):
    """Base class of every project error raised for bad input or an impossible request."""


class ParameterError(UIPolicyError):
    """A parameter broke a rule.

    The message always names the parameter, the value it got and the rule it broke.

    >>> raise ParameterError("sigma", -1.0, "must be > 0")
    Traceback (most recent call last):
    ...
    uicore.errors.ParameterError: sigma = -1.0: must be > 0
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
