"""Exceptions of the policy-search layer (all :class:`uicore.errors.UIPolicyError`)."""

from __future__ import annotations

from uicore.errors import ParameterError, UIPolicyError


class OptimizeError(UIPolicyError):
    """Base class of the optimize layer's errors."""


class PolicyParameterError(OptimizeError, ParameterError):
    """A policy or problem parameter broke a rule (names the parameter, value and rule)."""


class InfeasibleProblemError(OptimizeError):
    """No policy satisfies the constraints.

    E.g. a floor above the cap, an unmeetable budget; the message says which constraints
    conflict.
    """


class ScenarioError(OptimizeError):
    """A TOML scenario file is missing, malformed, or has an unknown or bad key."""
