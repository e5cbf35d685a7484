"""uicore: the leaf every layer of uipolicy may import.

It holds what the layers share and nothing that imports them: the base exception
:class:`~uicore.errors.UIPolicyError` and :class:`~uicore.errors.ParameterError`, and the
executors that run blocks of work serially, on local processes or on a Dask cluster
(:mod:`uicore.executors`).
``gametheory``, ``fund`` and ``optimize`` import it; it imports none of them, nor the
``uipolicy`` face (CLI and report).
"""

from uicore.errors import ParameterError, UIPolicyError
from uicore.executors import (
    ExecutorError,
    Progress,
    connect,
    map_blocks,
    resolve_executor,
    run_blocks,
    spawn_seeds,
)

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
