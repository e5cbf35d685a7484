"""The public API: complete ``__all__`` lists and numpydoc sections on every public callable.

*Public* means a name in a package's ``__all__`` (for an exported module, the names in that
module's ``__all__``) and the public methods, class methods and properties defined by an
exported class.

The sections are checked by numpydoc's own validator (:func:`numpydoc.validate.validate`, the
checker behind ``numpydoc lint``): it parses a docstring the way the numpydoc standard reads
it and compares its ``Parameters`` with the real signature, which ruff's ``D`` rules do not
(they check layout only).  numpydoc has no check that a function's ``raise`` statements are
documented, so that one is added here from the function's syntax tree.  The examples
themselves run under ``--doctest-modules``.
"""

from __future__ import annotations

import ast
import dataclasses
import importlib
import inspect
import re
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

numpydoc_validate = pytest.importorskip("numpydoc.validate")
numpydoc_docscrape = pytest.importorskip("numpydoc.docscrape")

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("uicore", "gametheory", "fund", "fund.processes", "optimize", "uipolicy")
TOP = ("uicore", "gametheory", "fund", "optimize", "uipolicy")

# numpydoc's codes this suite enforces: a docstring exists (GL08) and has a summary (SS01);
# every parameter documented (PR01) and no parameter documented that does not exist (PR02);
# a Returns section where the callable returns something (RT01); an Examples section (EX01).
# Left out on purpose: ES01/SA01 (an extended summary and See Also are not required), RT03
# (a return value named by its type alone is clear enough), SS05/SS06 (summary wording).
CHECKS = frozenset({"GL08", "SS01", "PR01", "PR02", "RT01", "EX01"})

# Named exceptions, each with its reason (keep this short).
ALLOWED: dict[tuple[str, str], str] = {}


def _members(cls: type) -> Iterator[tuple[str, object]]:
    for attr, member in sorted(vars(cls).items()):
        if attr.startswith("_"):
            continue
        if isinstance(member, property | classmethod | staticmethod) or inspect.isfunction(member):
            yield attr, member


def _walk(prefix: str, module: object) -> Iterator[tuple[str, object]]:
    for name in sorted(module.__all__):  # type: ignore[attr-defined]  # checked by the caller
        obj = getattr(module, name)
        if inspect.ismodule(obj):
            if not hasattr(obj, "__path__"):  # a subpackage is checked as a package of its own
                yield from _walk(obj.__name__, obj)
            continue
        if not callable(obj):
            continue
        yield f"{prefix}.{name}", obj
        if inspect.isclass(obj):
            for attr, member in _members(obj):
                yield f"{prefix}.{name}.{attr}", member


def _public(package: str) -> Iterator[tuple[str, object]]:
    """``(dotted name, object)`` of every public callable and property of ``package``."""
    yield from _walk(package, importlib.import_module(package))


def _function(obj: object) -> object:
    if isinstance(obj, property):
        return obj.fget
    if isinstance(obj, classmethod | staticmethod):
        return obj.__func__
    return obj


def _raises(obj: object) -> bool:
    """Whether the callable's own body (not a nested function) has a ``raise X`` statement."""
    func = _function(obj)
    if not (inspect.isfunction(func) or inspect.isclass(func)):
        return False
    if inspect.isclass(func):
        func = func.__dict__.get("__init__")
        if not inspect.isfunction(func):
            return False
    try:
        source = inspect.getsource(func)
    except OSError:  # generated (a dataclass's __init__): no source, and no raise of its own
        return False
    tree = ast.parse(textwrap.dedent(source))
    body = tree.body[0]
    stack: list[ast.AST] = list(ast.iter_child_nodes(body))
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Raise) and node.exc is not None:
            return True
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
                          | ast.ClassDef):
            stack.extend(ast.iter_child_nodes(node))
    return False


def _documented_fields(cls: type) -> bool:
    """Whether ``cls`` is a dataclass whose every public field is described.

    A dataclass's constructor parameters are its fields; documenting them once, under
    ``Parameters`` or ``Attributes``, is enough (numpydoc's PR01 only looks at
    ``Parameters``, and counts private fields such as ``_cache`` too).
    """
    if not dataclasses.is_dataclass(cls):
        return False
    doc = numpydoc_docscrape.ClassDoc(cls, config={"show_class_members": False})
    described = {part.strip() for section in ("Parameters", "Attributes")
                 for item in doc[section] for part in item.name.split(",")}
    # A private field (``_paths``) is filled by the library, never passed by a caller.
    return {f.name for f in dataclasses.fields(cls)
            if f.init and not f.name.startswith("_")} <= described


def _problems(name: str, obj: object) -> list[str]:
    result = numpydoc_validate.validate(name)
    codes = {code: text for code, text in result["errors"] if code in CHECKS}
    if inspect.isclass(obj) and _documented_fields(obj):
        codes.pop("PR01", None)
    if isinstance(obj, property):
        # A property is read like an attribute; numpydoc documents it by its summary, and its
        # example is the class's.
        codes.pop("EX01", None)
    doc = inspect.getdoc(_function(obj)) or ""
    if "EX01" not in codes and not isinstance(obj, property) and ">>>" not in doc:
        codes["EX01"] = "the Examples section has no runnable (>>>) example"
    if _raises(obj) and not re.search(r"^Raises\n-+$", doc, flags=re.MULTILINE):
        codes["RS01"] = "raises, but has no Raises section"
    return [f"{code} {text}" for code, text in sorted(codes.items())
            if (name, code) not in ALLOWED]


@pytest.mark.parametrize("package", PACKAGES)
def test_public_callables_have_numpydoc_sections(package: str) -> None:
    missing = {name: problems for name, obj in _public(package)
               if (problems := _problems(name, obj))}
    assert not missing, "\n".join(f"{name}: {'; '.join(p)}" for name, p in missing.items())


def test_allow_list_names_real_callables() -> None:
    public = {name for package in PACKAGES for name, _ in _public(package)}
    assert {name for name, _ in ALLOWED} <= public


def _imports() -> Iterator[tuple[str, str, str, str | None]]:
    """``(where, module, name, importing package)`` of every ``from M import name``.

    Read from the library's modules, the examples, the docs and the README.
    """
    sources: list[tuple[Path, str | None]] = [
        (path, top) for top in TOP for path in sorted((ROOT / top).rglob("*.py"))]
    sources += [(path, None) for path in sorted((ROOT / "examples").rglob("*.py"))]
    for path, own in sources:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for alias in node.names:
                    yield f"{path.relative_to(ROOT)}:{node.lineno}", node.module, alias.name, own
    pattern = re.compile(r"^\s*(?:>>>|\.\.\.)?\s*from ([\w.]+) import \(?([\w, ]+)\)?\s*$")
    for path in [*sorted((ROOT / "docs").rglob("*.md")), ROOT / "README.md"]:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if match := pattern.match(line):
                for name in match.group(2).split(","):
                    if name.strip():
                        yield (f"{path.relative_to(ROOT)}:{number}", match.group(1),
                               name.strip(), None)


def _exported(module: str, name: str) -> bool:
    """Whether ``module.name`` is reachable through ``__all__`` lists from its top package.

    Either the top package exports ``name``, or a package or exported module on the way
    to ``module`` lists it in its ``__all__`` (``fund.data.qinghai``, ``fund.processes.CIR``).
    """
    parts = module.split(".")
    if name in importlib.import_module(parts[0]).__all__:
        return True
    for depth in range(2, len(parts) + 1):
        parent = importlib.import_module(".".join(parts[: depth - 1]))
        sub = importlib.import_module(".".join(parts[:depth]))
        reachable = hasattr(sub, "__path__") or parts[depth - 1] in parent.__all__
        if reachable and name in getattr(sub, "__all__", ()):
            return True
    return False


def test_every_name_imported_across_packages_is_exported() -> None:
    missing = sorted({f"{where}: from {module} import {name}"
                      for where, module, name, own in _imports()
                      if module.split(".")[0] in TOP and module.split(".")[0] != own
                      and not name.startswith("_") and not _exported(module, name)})
    assert not missing, "names used outside their package but not in its __all__:\n" + (
        "\n".join(missing))


@pytest.mark.parametrize("package", PACKAGES)
def test_all_lists_only_existing_names(package: str) -> None:
    module = importlib.import_module(package)
    assert len(set(module.__all__)) == len(module.__all__)
    assert [name for name in module.__all__ if not hasattr(module, name)] == []
