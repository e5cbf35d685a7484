"""Generate the API reference pages of ``docs/reference/`` from the docstrings.

``python -m uipolicy.refdoc gametheory > docs/reference/gametheory.md`` rewrites a page; a
test checks that every committed page equals what this module generates, so the reference
cannot drift from the code.

Each public name (a package's ``__all__``, and for an exported module that module's
``__all__``) gets its signature, its summary and its numpydoc ``Parameters``,
``Attributes``, ``Returns``, ``Raises`` and ``Warns`` sections; so does every public method
and property of an exported class.  ``Examples`` are left out: they run as doctests of the
modules they document, and the pages (doctested too) would only run them twice.
"""

from __future__ import annotations

import importlib
import inspect
import re
import sys
from collections.abc import Iterator
from types import ModuleType

#: The numpydoc sections a page shows, in this order.
SECTIONS = ("Parameters", "Attributes", "Returns", "Raises", "Warns")
_HEADER = re.compile(r"^-{3,}$")


def _first_paragraph(doc: str | None) -> str:
    if not doc:
        return "(undocumented)"
    text = inspect.cleandoc(doc)
    return text.split("\n\n", 1)[0].replace("\n", " ")


def _signature(obj: object) -> str:
    if not callable(obj):
        return ""
    try:
        text = str(inspect.signature(obj))
    except (TypeError, ValueError):
        return ""
    # A default that is a function prints its memory address: drop it, so pages are stable.
    return re.sub(r" at 0x[0-9a-f]+>", ">", text)


def _split_sections(doc: str) -> dict[str, list[str]]:
    """The lines of each numpydoc section of ``doc`` (cleaned), by section name."""
    lines = inspect.cleandoc(doc).splitlines()
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    k = 0
    while k < len(lines):
        if k + 1 < len(lines) and lines[k].strip() and _HEADER.match(lines[k + 1].strip()):
            current = sections.setdefault(lines[k].strip(), [])
            k += 2
            continue
        if lines[k].lstrip().startswith(">>>"):  # examples without their header end it
            current = None
        if current is not None:
            current.append(lines[k])
        k += 1
    return sections


def _items(body: list[str]) -> Iterator[tuple[str, str]]:
    """``(head, description)`` of each entry: an unindented line and the indented ones after."""
    head: str | None = None
    text: list[str] = []
    for line in body:
        if line and not line[0].isspace():
            if head is not None:
                yield head, " ".join(text)
            head, text = line.strip(), []
        elif line.strip() and head is not None:
            text.append(line.strip())
    if head is not None:
        yield head, " ".join(text)


def sections_markdown(doc: str | None) -> list[str]:
    r"""The :data:`SECTIONS` of a numpydoc docstring as markdown lines.

    Parameters
    ----------
    doc : str or None
        A numpydoc docstring (indented as in the source, or not).

    Returns
    -------
    list of str
        For each section present, a bold title, a blank line, one bullet per entry and a
        blank line; empty when the docstring has none of them.

    Examples
    --------
    >>> doc = '''Scale a value.
    ...
    ... Parameters
    ... ----------
    ... x : float
    ...     The value,
    ...     any real number.
    ...
    ... Returns
    ... -------
    ... float
    ... '''
    >>> print("\n".join(sections_markdown(doc)))
    **Parameters**
    <BLANKLINE>
    - `x` : float — The value, any real number.
    <BLANKLINE>
    **Returns**
    <BLANKLINE>
    - float
    <BLANKLINE>
    """
    if not doc:
        return []
    found = _split_sections(doc)
    out: list[str] = []
    for name in SECTIONS:
        entries = list(_items(found.get(name, [])))
        if not entries:
            continue
        out += [f"**{name}**", ""]
        for head, text in entries:
            label, sep, kind = head.partition(" : ")
            entry = f"`{label}` : {kind}" if sep else head
            out.append(f"- {entry} — {text}" if text else f"- {entry}")
        out.append("")
    return out


def _kind(member: object) -> str:
    if isinstance(member, property):
        return "property"
    if isinstance(member, classmethod):
        return "class method"
    if isinstance(member, staticmethod):
        return "static method"
    return "method"


def _members(cls: type) -> Iterator[tuple[str, object]]:
    for attr, member in sorted(vars(cls).items()):
        if attr.startswith("_"):
            continue
        if isinstance(member, property | classmethod | staticmethod) or callable(member):
            yield attr, member


def _entry(title: str, obj: object, level: int) -> list[str]:
    """Heading, kind, summary and sections of one public name (and of its members)."""
    kind = "class" if inspect.isclass(obj) else "function" if callable(obj) else "value"
    sig = _signature(obj) if kind != "value" else ""
    lines = [f"{'#' * level} `{title}{sig}`", "",
             f"*{kind}* — {_first_paragraph(obj.__doc__)}", ""]
    if kind == "value":
        return lines
    lines += sections_markdown(obj.__doc__)
    if inspect.isclass(obj):
        for attr, member in _members(obj):
            target = member.fget if isinstance(member, property) else (
                member.__func__ if isinstance(member, classmethod | staticmethod) else member)
            msig = "" if isinstance(member, property) else _signature(target)
            doc = getattr(target, "__doc__", None)
            lines += [f"{'#' * (level + 1)} `{title}.{attr}{msig}`", "",
                      f"*{_kind(member)}* — {_first_paragraph(doc)}", ""]
            lines += sections_markdown(doc)
    return lines


def _module_entries(package: str, name: str, module: ModuleType) -> list[str]:
    lines = [f"## `{package}.{name}` (module)", "", _first_paragraph(module.__doc__), ""]
    if hasattr(module, "__path__"):  # a subpackage has a page of its own
        return [*lines, f"Reference: `python -m uipolicy.refdoc {module.__name__}`.", ""]
    for member in sorted(getattr(module, "__all__", [])):
        lines += _entry(f"{name}.{member}", getattr(module, member), 3)
    return lines


def render(package: str) -> str:
    """The markdown reference of ``package``: every name in its ``__all__``.

    Parameters
    ----------
    package : str
        An importable package with an ``__all__``, e.g. ``"fund"``.

    Returns
    -------
    str
        The page, ending with one newline.

    Raises
    ------
    ModuleNotFoundError
        ``package`` cannot be imported.

    Examples
    --------
    >>> page = render("uicore")
    >>> page.splitlines()[0]
    '# `uicore` reference'
    >>> "**Parameters**" in page
    True
    """
    module = importlib.import_module(package)
    lines = [f"# `{package}` reference", "",
             "Generated from the docstrings by `python -m uipolicy.refdoc "
             f"{package}`; do not edit by hand.", "",
             _first_paragraph(module.__doc__), ""]
    for name in sorted(getattr(module, "__all__", [])):
        obj = getattr(module, name)
        if inspect.ismodule(obj):
            lines += _module_entries(package, name, obj)
        else:
            lines += _entry(name, obj, 2)
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    """Print the reference of each package named on the command line.

    Parameters
    ----------
    argv : list of str, optional
        Package names (default the command line's arguments).

    Returns
    -------
    int
        0, the exit status.

    Examples
    --------
    >>> import contextlib, io
    >>> out = io.StringIO()
    >>> with contextlib.redirect_stdout(out):
    ...     status = main(["uicore"])
    >>> status, out.getvalue().startswith("# `uicore` reference")
    (0, True)
    """
    for package in argv if argv is not None else sys.argv[1:]:
        sys.stdout.write(render(package))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
