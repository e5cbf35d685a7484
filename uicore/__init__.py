"""uicore: the leaf every layer of uipolicy may import.

It holds what the layers share and nothing that imports them: the base exception
:class:`~uicore.errors.UIPolicyError` and :class:`~uicore.errors.ParameterError`.
``gametheory``, ``fund`` and ``optimize`` import it; it imports none of them, nor the
``uipolicy`` face (CLI and report).
"""

from uicore.errors import ParameterError, UIPolicyError

__all__ = ["ParameterError", "UIPolicyError"]
