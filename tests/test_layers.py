"""Imports point down only (DESIGN.md, "Layers"): no library imports the ``uipolicy`` face;
``optimize`` may use ``gametheory`` and ``fund``; neither of those imports ``optimize``,
``gametheory`` and ``fund`` know nothing of each other, and the shared leaf ``uicore`` imports
none of them.

Every module of the libraries is parsed with :mod:`ast` (not imported, so a lazy
import inside a function counts too): ``import a.b``, ``from a.b import c``,
``importlib.import_module("a.b")`` and ``__import__("a.b")`` with a literal name.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: layer -> top-level packages it must never import
FORBIDDEN = {
    "uicore": {"uipolicy", "optimize", "fund", "gametheory"},
    "gametheory": {"uipolicy", "optimize", "fund"},
    "fund": {"uipolicy", "optimize", "gametheory"},
    "optimize": {"uipolicy"},
}


def imported_packages(source: str, *, filename: str = "<string>") -> set[str]:
    """Top-level package names a module imports (absolute imports only; a relative
    import stays inside its own package)."""
    tree = ast.parse(source, filename=filename)
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
        elif isinstance(node, ast.Call):
            func = node.func
            name = (func.attr if isinstance(func, ast.Attribute)
                    else func.id if isinstance(func, ast.Name) else None)
            if name in ("import_module", "__import__") and node.args \
                    and isinstance(node.args[0], ast.Constant) \
                    and isinstance(node.args[0].value, str):
                found.add(node.args[0].value.split(".")[0])
    return found


def _modules(layer: str) -> list[Path]:
    files = sorted((ROOT / layer).rglob("*.py"))
    assert files, f"no modules found under {layer}/"
    return files


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_lower_layers_never_import_upward_or_sideways(layer: str) -> None:
    offenders = []
    for path in _modules(layer):
        used = imported_packages(path.read_text(encoding="utf-8"), filename=str(path))
        bad = used & FORBIDDEN[layer]
        if bad:
            offenders.append(f"{path.relative_to(ROOT)} imports {sorted(bad)}")
    assert not offenders, "\n".join(offenders)


def test_optimize_does_use_both_lower_layers() -> None:
    """The rule is about direction: the top layer is built on the two below it."""
    used = set()
    for path in _modules("optimize"):
        used |= imported_packages(path.read_text(encoding="utf-8"))
    assert {"gametheory", "fund"} <= used


@pytest.mark.parametrize(("source", "expected"), [
    ("import optimize", {"optimize"}),
    ("import optimize.solve as s", {"optimize"}),
    ("from optimize.problem import Problem", {"optimize"}),
    ("from fund import data", {"fund"}),
    ("def f():\n    from gametheory.models import monitoring_game\n", {"gametheory"}),
    ("import importlib\nimportlib.import_module('optimize.bridge')", {"importlib", "optimize"}),
    ("__import__('fund.scenarios')", {"fund"}),
    ("from . import processes\nfrom .errors import FundError", set()),
    ("import numpy as np, scipy.stats", {"numpy", "scipy"}),
])
def test_the_import_finder_sees_every_form(source: str, expected: set[str]) -> None:
    assert imported_packages(source) == expected
