"""uicore: the leaf every layer of uipolicy may import.

It holds what the layers share and nothing that imports them: the base exception
:class:`~uicore.errors.UIPolicyError` and :class:`~uicore.errors.ParameterError`, and the
executors that run blocks of work serially, on local processes or on a Dask cluster
(:mod:`uicore.executors`).
``gametheory``, ``fund`` and ``optimize`` import it; it imports none of them, nor the
``uipolicy`` face (CLI and report).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from uicore.errors import ParameterError, UIPolicyError

if TYPE_CHECKING:
    from uicore.executors import (
        ExecutorError,
        Progress,
        connect,
        map_blocks,
        resolve_executor,
        run_blocks,
        spawn_seeds,
    )

#: Names served lazily from :mod:`uicore.executors` (it imports numpy): the CLI imports
#: ``uicore.errors`` on every start, and ``uipolicy --help`` must not load numpy.
_EXECUTOR_NAMES = frozenset({"ExecutorError", "Progress", "connect", "map_blocks",
                             "resolve_executor", "run_blocks", "spawn_seeds"})


def __getattr__(name: str) -> object:
    """The executor names, imported on first use (PEP 562)."""
    if name in _EXECUTOR_NAMES:
        return getattr(importlib.import_module("uicore.executors"), name)
    raise AttributeError(f"module 'uicore' has no attribute {name!r}")

__all__ = [
    "ExecutorError",
    "ParameterError",
    "Progress",
    "UIPolicyError",
    "connect",
    "map_blocks",
    "resolve_executor",
    "run_blocks",
    "spawn_seeds",
]
