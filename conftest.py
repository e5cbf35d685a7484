"""Root test configuration: what applies to every collected file, doctests included.

pytest applies a conftest's per-test hooks only to the files beneath it, so the module
doctests (``gametheory/*.py``) and the pages under ``docs/`` need this file; the suite's
other settings are in ``tests/conftest.py``.  What is here serves one cost: the spell
game's stage derivation (30 s, 100 s under coverage's tracer), which every file using the
spell game needs once a process.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import coverage
import pytest
from xdist.scheduler import LoadFileScheduling

from gametheory import models


@contextlib.contextmanager
def _untraced() -> Iterator[None]:
    """Suspend every coverage measurement of this process, then restart each in order.

    Under xdist there are two: coverage's subprocess patch (pyproject's
    ``patch = ["subprocess"]``) measures every child Python, xdist's workers included,
    beneath pytest-cov's own, and stopping pytest-cov's alone resumes the other.
    """
    stopped = []
    while (cov := coverage.Coverage.current()) is not None:
        cov.stop()
        stopped.append(cov)
    try:
        yield
    finally:
        for cov in reversed(stopped):
            cov.start()


_SPELL_USERS: dict[Path, bool] = {}  # file -> mentions spell_game
_SPELL_STAGE: list[bool] = []  # [True] once this process derived the stage


def _uses_spell_game(path: Path) -> bool:
    """Whether a test file (a test module, a module's doctests, a page) uses the spell game."""
    if path not in _SPELL_USERS:
        _SPELL_USERS[path] = path.suffix in {".py", ".md"} and path.is_file() and \
            "spell_game" in path.read_text(encoding="utf-8")
    return _SPELL_USERS[path]


@pytest.hookimpl(optionalhook=True)  # xdist's hook: absent under -p no:xdist
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """Under ``--dist loadfile``, every file that uses the spell game goes to one worker.

    They share the stage derivation (below), which each worker would otherwise pay.
    Other files are scheduled one file at a time, as by xdist's own ``loadfile``.
    """
    if config.getoption("dist", None) != "loadfile":
        return None
    root = Path(str(config.rootpath))

    class _SpellTogether(LoadFileScheduling):  # type: ignore[misc]  # xdist ships no types: Any base
        def _split_scope(self, nodeid: str) -> str:
            scope = nodeid.split("::", 1)[0]
            return "spell_game users" if _uses_spell_game(root / scope) else scope

    return _SpellTogether(config, log)


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Derive the spell game's one-month stage untraced before a file that uses it.

    The stage game's equilibria (support enumeration proving the sign of every condition,
    mostly sympy's polynomial factorisation) are derived once a process and cached; the
    coverage tracer makes that about 100 s instead of 30 s.  So before the first test of a
    file that mentions ``spell_game`` (a test module, a module's doctests, a how-to), each
    worker derives it with coverage suspended; the tests then run traced from the cache.
    """
    if _uses_spell_game(Path(item.path)) and not _SPELL_STAGE:
        with _untraced():
            models.spell_game(1).stage_equilibria()
        _SPELL_STAGE.append(True)
