"""Formulas for people: LaTeX documents that compile, MathML for the report.

The gametheory layer returns sympy objects (and, for claim verdicts, condition text in
sympy syntax).  This module turns them into what a reader sees: a complete LaTeX document
(``--format latex`` output compiles with ``pdflatex`` as it is) or MathML for the HTML
report (rendered natively by browsers, no network).  Text is never passed to ``sympify``:
condition strings are read with :mod:`gametheory.parsing`'s restricted parser.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["condition_expr", "latex_document", "mathml", "tex_text"]

_TEX_SPECIAL = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#",
    "%": r"\%", "_": r"\_", "^": r"\^{}", "~": r"\~{}", "<": r"\textless{}",
    ">": r"\textgreater{}", "§": r"\S{}", "'": "'", "×": r"$\times$", "−": "-",
    "≠": r"$\neq$", "≥": r"$\geq$", "≤": r"$\leq$", "–": "--", "—": "---",
}


def tex_text(text: str) -> str:
    r"""Escape plain text for LaTeX's text mode (ASCII output, pdflatex-safe).

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    str
        The text with LaTeX's special characters escaped; characters outside ASCII that
        have no LaTeX spelling here are written as ``?``.

    Examples
    --------
    >>> tex_text("mixed {monitor} x {effort}, 5% & §2.2")
    'mixed \\{monitor\\} x \\{effort\\}, 5\\% \\& \\S{}2.2'
    """
    out = []
    for ch in text:
        if ch in _TEX_SPECIAL:
            out.append(_TEX_SPECIAL[ch])
        elif ord(ch) < 128:
            out.append(ch)
        else:
            out.append("?")
    return "".join(out)


def condition_expr(text: str, names: Mapping[str, Any]) -> Any:
    """Read a condition written in sympy syntax (``a > 0``, ``a != 0``) safely.

    Parameters
    ----------
    text : str
        One comparison, or several joined by ``&``; ``!=`` is allowed as the whole text.
    names : mapping of str to sympy.Symbol
        The only names the text may use.

    Returns
    -------
    sympy.Basic
        The relational, or their conjunction.

    Raises
    ------
    gametheory.errors.ParseError, gametheory.errors.UnknownSymbolError
        The text is not a condition over ``names``.

    Examples
    --------
    >>> import sympy as sp
    >>> R, U = sp.symbols("R U")
    >>> condition_expr("R - 1 != 0", {"R": R})
    Ne(R - 1, 0)
    >>> condition_expr("(U > 0) & (R < 1)", {"R": R, "U": U})
    (U > 0) & (R < 1)
    """
    import sympy as sp

    from gametheory.parsing import parse_expr, parse_relations

    parts = [p.strip() for p in _split_and(text)]
    rels: list[Any] = []
    for part in parts:
        if "!=" in part:
            lhs, rhs = part.split("!=", 1)
            rels.append(sp.Ne(parse_expr(lhs, names), parse_expr(rhs, names)))
        else:
            rels.extend(parse_relations(part, names))
    return rels[0] if len(rels) == 1 else sp.And(*rels)


def _split_and(text: str) -> list[str]:
    """Split on top-level ``&`` and strip one pair of enclosing parentheses per part."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += (ch == "(") - (ch == ")")
        if ch == "&" and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    out = []
    for raw in parts:
        part = raw.strip()
        if part.startswith("(") and part.endswith(")") and _balanced(part[1:-1]):
            part = part[1:-1]
        out.append(part)
    return out


def _balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += (ch == "(") - (ch == ")")
        if depth < 0:
            return False
    return depth == 0


def mathml(expr: Any, *, display: bool = False) -> str:
    """Presentation MathML of a sympy expression or relation, inside a ``<math>`` element.

    Parameters
    ----------
    expr : sympy.Basic
        What to show; a conjunction is shown as its relations joined by "and".
    display : bool, keyword-only
        Block display (``display="block"``) instead of inline.

    Returns
    -------
    str
        A ``<math>`` element (MathML Core, which Chromium and Firefox render natively).

    Examples
    --------
    >>> import sympy as sp
    >>> U1 = sp.Symbol("U1")
    >>> mathml(U1 > 0)
    '<math><mrow><msub><mi>U</mi><mi>1</mi></msub><mo>&gt;</mo><mn>0</mn></mrow></math>'
    """
    import sympy as sp
    from sympy.printing.mathml import mathml as _mathml

    def one(e: Any) -> str:  # sympy leaves < and > unescaped inside <mo>
        text: str = _mathml(e, printer="presentation")
        return text.replace("<mo><</mo>", "<mo>&lt;</mo>").replace("<mo>></mo>", "<mo>&gt;</mo>")

    if isinstance(expr, sp.And):
        inner = "<mtext>&#x2003;and&#x2003;</mtext>".join(one(a) for a in _ordered(expr.args))
    else:
        inner = one(expr)
    attr = ' display="block"' if display else ""
    return f"<math{attr}>{inner}</math>"


def _ordered(args: Iterable[Any]) -> list[Any]:
    return sorted(args, key=lambda a: (len(str(a)), str(a)))


def latex_document(title: str, body: str) -> str:
    r"""A complete LaTeX document (``article`` with ``amsmath``) around ``body``.

    Parameters
    ----------
    title : str
        Plain-text title (escaped here).
    body : str
        LaTeX source of the body.

    Returns
    -------
    str
        A document that ``pdflatex`` compiles as it is.

    Examples
    --------
    >>> print(latex_document("t", "x").splitlines()[0])
    \documentclass[10pt]{article}
    """
    return ("\\documentclass[10pt]{article}\n"
            "\\usepackage[margin=2cm,landscape]{geometry}\n"
            "\\usepackage{amsmath,amssymb}\n"
            "\\allowdisplaybreaks\n"
            "\\begin{document}\n"
            f"\\section*{{{tex_text(title)}}}\n"
            f"{body}\n"
            "\\end{document}\n")


def strip_spaces(text: str) -> str:
    r"""Collapse runs of whitespace (for one-line text output).

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    str
        The text with each run of whitespace replaced by one space.

    Examples
    --------
    >>> strip_spaces("a  b\n c")
    'a b c'
    """
    return re.sub(r"\s+", " ", text).strip()
