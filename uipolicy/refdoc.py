"""Generate the API reference pages of ``docs/reference/`` from the docstrings.

``python -m uipolicy.refdoc gametheory > docs/reference/gametheory.md`` rewrites a page; a
test checks that every committed page equals what this module generates, so the reference
cannot drift from the code.
"""

from __future__ import annotations

import importlib
import inspect
import re
import sys


def _first_paragraph(doc: str | None) -> str:
    if not doc:
        return "(undocumented)"
    text = inspect.cleandoc(doc)
    return text.split("\n\n", 1)[0].replace("\n", " ")


def _signature(obj: object) -> str:
    try:
        text = str(inspect.signature(obj))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return ""
    # A default that is a function prints its memory address: drop it, so pages are stable.
    return re.sub(r" at 0x[0-9a-f]+>", ">", text)


def render(package: str) -> str:
    """The markdown reference of ``package``: every name in its ``__all__``."""
    module = importlib.import_module(package)
    lines = [f"# `{package}` reference", "",
             "Generated from the docstrings by `python -m uipolicy.refdoc "
             f"{package}`; do not edit by hand.", "",
             _first_paragraph(module.__doc__), ""]
    for name in sorted(getattr(module, "__all__", [])):
        obj = getattr(module, name)
        if inspect.ismodule(obj):
            lines += [f"## `{package}.{name}` (module)", "", _first_paragraph(obj.__doc__), ""]
            continue
        kind = "class" if inspect.isclass(obj) else "function" if callable(obj) else "value"
        sig = _signature(obj) if kind != "value" else ""
        lines += [f"## `{name}{sig}`", "", f"*{kind}* — {_first_paragraph(obj.__doc__)}", ""]
        if inspect.isclass(obj):
            for attr, member in sorted(vars(obj).items()):
                if attr.startswith("_") or not (callable(member) or isinstance(member, property)
                                                or isinstance(member, classmethod)):
                    continue
                target = member.__func__ if isinstance(member, classmethod) else member
                msig = "" if isinstance(member, property) else _signature(target)
                doc = (member.fget.__doc__ if isinstance(member, property)
                       else getattr(target, "__doc__", None))
                lines.append(f"* `{attr}{msig}` — {_first_paragraph(doc)}")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    """Print the reference of each package named on the command line."""
    for package in argv if argv is not None else sys.argv[1:]:
        sys.stdout.write(render(package))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
