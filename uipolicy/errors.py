"""The face's view of the project errors (they live in the leaf package :mod:`uicore`)."""

from uicore.errors import ParameterError, UIPolicyError

__all__ = ["ParameterError", "UIPolicyError"]
