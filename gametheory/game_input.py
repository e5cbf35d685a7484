"""Checking and converting what :class:`~gametheory.game.Game` is given.

The payoff matrices (nested sequences, sympy or numpy matrices, or text), the parameter
names, the assumptions and ``given`` conditions, and the strategy labels are checked here
and turned into sympy objects before any game is built; every refusal is a
:class:`~gametheory.errors.GameError` naming the input and the rule.  Text is read by the
restricted parser of :mod:`gametheory.parsing`, never ``eval``/``sympify``.

>>> check_shape("row_payoffs", [["a", "0"], ["0", "1"]])
(2, 2)
>>> names = read_params(["a"], None, None)
>>> read_payoffs("row_payoffs", [["a", 0.5]], names)
[[a, 1/2]]
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from numbers import Real
from typing import Any

import numpy as np
import sympy as sp
from sympy.core.relational import Relational
from sympy.logic.boolalg import Boolean, BooleanAtom, to_nnf

from gametheory.errors import NotFiniteRealError, ParseError, ShapeError, UnknownSymbolError
from gametheory.exact import exact_real
from gametheory.parsing import parse_condition, parse_expr, parse_relations

__all__ = [
    "check_shape",
    "read_assumptions",
    "read_conditions",
    "read_labels",
    "read_matrix_text",
    "read_params",
    "read_payoffs",
]

_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


def check_shape(name: str, matrix: Any) -> tuple[int, int]:
    """The shape ``(rows, columns)`` of a payoff matrix, which must be rectangular.

    Parameters
    ----------
    name : str
        The argument's name, for the message (``"row_payoffs"``).
    matrix : nested sequence, sympy matrix or numpy array
        The payoffs.

    Returns
    -------
    tuple of int
        Number of rows and of columns.

    Raises
    ------
    ShapeError
        Not a non-empty 2-d matrix, a row that is not a non-empty list, or ragged rows.

    Examples
    --------
    >>> check_shape("row_payoffs", [[1, 2, 3], [4, 5, 6]])
    (2, 3)
    >>> check_shape("row_payoffs", [[1, 2], [3]])
    Traceback (most recent call last):
    ...
    gametheory.errors.ShapeError: row_payoffs is ragged: its rows have lengths [1, 2]
    """
    if isinstance(matrix, sp.MatrixBase):
        n, m = matrix.shape
        return n, m
    if isinstance(matrix, np.ndarray):
        if matrix.ndim != 2 or 0 in matrix.shape:
            raise ShapeError(f"{name} must be a non-empty 2-d matrix, got shape {matrix.shape}")
        n, m = matrix.shape
        return n, m
    if isinstance(matrix, str) or not isinstance(matrix, Sequence) or len(matrix) == 0:
        raise ShapeError(f"{name} must be a non-empty list of rows, got {matrix!r}")
    lengths = set()
    for k, row in enumerate(matrix):
        if isinstance(row, str) or not isinstance(row, Sequence | np.ndarray) or len(row) == 0:
            raise ShapeError(f"{name} row {k} must be a non-empty list of payoffs, got {row!r}")
        lengths.add(len(row))
    if len(lengths) != 1:
        raise ShapeError(f"{name} is ragged: its rows have lengths {sorted(lengths)}")
    return len(matrix), lengths.pop()


def _free_symbols(matrix: Any) -> set[sp.Symbol]:
    out: set[sp.Symbol] = set()
    rows = matrix.tolist() if isinstance(matrix, sp.MatrixBase | np.ndarray) else matrix
    for row in rows:
        for v in row:
            if isinstance(v, sp.Basic):
                out |= v.free_symbols
    return out


def read_params(params: Any, A: Any, B: Any) -> dict[str, sp.Symbol]:
    """The parameters by name: the given names, or the payoffs' free symbols sorted.

    Parameters
    ----------
    params : sequence of str, mapping of str to sympy.Symbol, or None
        The declared parameters; ``None`` takes the free symbols of ``A`` and ``B``.
    A, B : payoff matrices
        Searched for free symbols when ``params`` is ``None``.

    Returns
    -------
    dict of str to sympy.Symbol
        In the declared order (sorted by name when taken from the payoffs).

    Raises
    ------
    ShapeError
        ``params`` is a string or not iterable, or maps a name to a non-symbol.
    ParseError
        A name is not a letter followed by letters, digits or ``_``.

    Examples
    --------
    >>> read_params(["U", "C"], None, None)
    {'U': U, 'C': C}
    >>> import sympy as sp
    >>> b, a = sp.symbols("b a")
    >>> read_params(None, [[a + b]], [[1]])
    {'a': a, 'b': b}
    """
    if params is None:
        syms = sorted(_free_symbols(A) | _free_symbols(B), key=str)
        return {str(s): s for s in syms}
    if isinstance(params, Mapping):
        items = list(params.items())
    elif isinstance(params, str) or not isinstance(params, Iterable):
        raise ShapeError(f"params must be a list of names or a mapping, got {params!r}")
    else:
        items = [(p, sp.Symbol(p)) for p in params]
    out: dict[str, sp.Symbol] = {}
    for name, sym in items:
        if not isinstance(name, str) or not _NAME.match(name):
            raise ParseError(f"parameter name {name!r} must be a letter then letters/digits/_")
        if not isinstance(sym, sp.Symbol):
            raise ShapeError(f"params[{name!r}] must be a sympy Symbol, got {sym!r}")
        out[name] = sym
    return out


def read_payoffs(name: str, matrix: Any, params: dict[str, sp.Symbol]) -> list[list[sp.Expr]]:
    """Every payoff as a sympy expression over the parameters.

    Text is parsed by the restricted parser; a number is read exactly (a float is its
    shortest decimal, ``0.1`` is ``1/10``).

    Parameters
    ----------
    name : str
        The argument's name, for the message.
    matrix : nested sequence, sympy matrix or numpy array
        The payoffs (already checked by :func:`check_shape`).
    params : dict of str to sympy.Symbol
        The parameters a payoff may use.

    Returns
    -------
    list of list of sympy.Expr
        The payoffs, row by row.

    Raises
    ------
    ShapeError
        An entry that is neither a number, a sympy expression nor a formula.
    UnknownSymbolError
        An entry uses a symbol that is not a parameter.
    ParseError, NotFiniteRealError
        A formula the parser refuses; a number that is not finite.

    Examples
    --------
    >>> import sympy as sp
    >>> read_payoffs("row_payoffs", [["-U", 0.1]], {"U": sp.Symbol("U")})
    [[-U, 1/10]]
    """
    rows = matrix.tolist() if isinstance(matrix, sp.MatrixBase | np.ndarray) else matrix
    known = set(params.values())
    out = []
    for i, row in enumerate(rows):
        new_row = []
        for j, v in enumerate(row):
            if isinstance(v, str):
                expr = parse_expr(v, params)
            elif isinstance(v, sp.Basic):
                expr = v
            elif isinstance(v, bool) or not isinstance(v, Real | Fraction | Decimal):
                raise ShapeError(f"{name}[{i}][{j}] = {v!r} is neither a number, a sympy "
                                 "expression nor a formula")
            else:  # a float is its shortest decimal, as in a formula and at a point
                f = exact_real(f"{name}[{i}][{j}]", v)
                expr = sp.Rational(f.numerator, f.denominator)
            unknown = expr.free_symbols - known
            if unknown:
                raise UnknownSymbolError(
                    f"{name}[{i}][{j}] uses {sorted(map(str, unknown))}, which are not "
                    f"parameters; declared: {list(params)}"
                )
            new_row.append(expr)
        out.append(new_row)
    return out


def _parse_conditions(text: str, params: dict[str, sp.Symbol]) -> tuple[Boolean, ...]:
    """Comparisons in the order written (``"0 < a <= 1"``); ``== != or not`` as well."""
    try:
        return parse_relations(text, params)
    except ParseError:
        return (parse_condition(text, params),)


def read_conditions(name: str, items: Any, params: dict[str, sp.Symbol]) -> tuple[Boolean, ...]:
    """Text or sympy conditions (``<, <=, >, >=, ==, !=``, ``And``, ``Or``), checked.

    A chain such as ``"0 <= R <= 1"`` gives one relation per comparison, and a top-level
    ``And`` is split into its parts; negations are moved onto the relations.

    Parameters
    ----------
    name : str
        What the conditions are (``"assumption"``, ``"given"``), for the message.
    items : str, sympy condition, or iterable of them
        The conditions.
    params : dict of str to sympy.Symbol
        The parameters a condition may use.

    Returns
    -------
    tuple of sympy.logic.boolalg.Boolean
        The relations (and ``Or`` of relations), in the order written.

    Raises
    ------
    ParseError
        An item that is not a condition.
    NotFiniteRealError
        A comparison with ``nan``, ``oo`` or a complex number.
    UnknownSymbolError
        A condition uses a symbol that is not a parameter.

    Examples
    --------
    >>> import sympy as sp
    >>> read_conditions("given", "0 <= R <= 1", {"R": sp.Symbol("R")})
    (0 <= R, R <= 1)
    """
    if isinstance(items, str | sp.Basic):
        items = [items]
    out: list[Boolean] = []
    known = set(params.values())
    for item in items:
        conds = _parse_conditions(item, params) if isinstance(item, str) else (item,)
        for raw in conds:
            cond = (sp.true if raw else sp.false) if isinstance(raw, bool) else raw
            if isinstance(cond, sp.Not | sp.Or):
                cond = to_nnf(cond, simplify=False)  # negations onto the relations
            if not isinstance(cond, Relational | sp.And | sp.Or | BooleanAtom):
                raise ParseError(
                    f"{name} {item!r} is not a condition: use <, <=, >, >=, ==, != between "
                    "formulas, joined by And/Or")
            if cond.has(sp.nan, sp.zoo, sp.oo, -sp.oo, sp.I):
                raise NotFiniteRealError(name, str(cond), "compares with a value that is not "
                                         "a finite real number")
            unknown = cond.free_symbols - known
            if unknown:
                raise UnknownSymbolError(
                    f"{name} {item!r} uses {sorted(map(str, unknown))}, which are not "
                    f"parameters; declared: {list(params)}"
                )
            out.extend(cond.args if isinstance(cond, sp.And) else (cond,))
    return tuple(out)


def read_assumptions(items: Iterable[Any], params: dict[str, sp.Symbol]) -> tuple[Relational, ...]:
    """A game's assumptions, read as :func:`read_conditions` reads them.

    Parameters
    ----------
    items : iterable of str or sympy relations
        The assumptions.
    params : dict of str to sympy.Symbol
        The game's parameters.

    Returns
    -------
    tuple of sympy relations
        One relation (or ``Or`` of relations) per comparison.

    Raises
    ------
    ParseError, NotFiniteRealError, UnknownSymbolError
        As for :func:`read_conditions`.

    Examples
    --------
    >>> import sympy as sp
    >>> read_assumptions(["U0 > 0", "U0 < U"], {"U0": sp.Symbol("U0"), "U": sp.Symbol("U")})
    (U0 > 0, U0 < U)
    """
    return read_conditions("assumption", items, params)


def read_labels(name: str, labels: Sequence[str] | None, size: int, prefix: str) -> tuple[str, ...]:
    """Strategy names: the given ones, or ``prefix`` numbered from 1.

    Parameters
    ----------
    name : str
        The argument's name, for the message.
    labels : sequence of str or None
        The names given, if any.
    size : int
        The number of strategies.
    prefix : str
        The stem of the default names (``"r"`` gives ``r1, r2, ...``).

    Returns
    -------
    tuple of str
        One name per strategy.

    Raises
    ------
    ShapeError
        Not ``size`` strings.

    Examples
    --------
    >>> read_labels("row_labels", None, 2, "r")
    ('r1', 'r2')
    """
    if labels is None:
        return tuple(f"{prefix}{k + 1}" for k in range(size))
    labels = tuple(labels)
    if len(labels) != size or not all(isinstance(x, str) for x in labels):
        raise ShapeError(f"{name} must be {size} strings, got {labels!r}")
    return labels


def read_matrix_text(name: str, text: str) -> list[list[str]]:
    """Split a matrix written as text (``"[[a, b], [c, d]]"``) into formula texts.

    Only the list structure is read here (by :mod:`ast`, never evaluated); each cell's
    text is parsed later by :func:`read_payoffs`.

    Parameters
    ----------
    name : str
        The argument's name, for the message.
    text : str
        Nested lists of formulas.

    Returns
    -------
    list of list of str
        The cells' texts, row by row.

    Raises
    ------
    ParseError
        Not text, not valid syntax, or not a list of lists.

    Examples
    --------
    >>> read_matrix_text("row_payoffs", "[[-U, -U], [0, U - C]]")
    [['-U', '-U'], ['0', 'U - C']]
    """
    if not isinstance(text, str):
        raise ParseError(f"{name} must be text such as '[[a, b], [c, d]]', got {text!r}")
    try:
        tree = ast.parse(text.strip(), mode="eval").body
    except SyntaxError as exc:
        raise ParseError(f"cannot parse {name} {text!r}: {exc.msg}") from None
    if not isinstance(tree, ast.List | ast.Tuple):
        raise ParseError(f"{name} must be a list of rows such as '[[a, b], [c, d]]'")
    rows = []
    for row in tree.elts:
        if not isinstance(row, ast.List | ast.Tuple):
            raise ParseError(f"{name}: every row must be a list, got {ast.unparse(row)!r}")
        rows.append([ast.get_source_segment(text.strip(), cell) or ast.unparse(cell)
                     for cell in row.elts])
    return rows
