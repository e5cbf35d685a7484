"""A restricted, bounded parser from text to sympy expressions.

User text is never passed to :func:`eval` or :func:`sympy.sympify` (both execute Python).
Instead the text is parsed by Python's :mod:`ast` and every node is checked against an
allow-list: numbers, the names given by the caller, ``+ - * / **``, unary minus,
comparisons (``<``, ``<=``, ``>``, ``>=``, chained as in ``U0 < U < U1``) and a few
functions (``sqrt``, ``exp``, ``log``, ``Abs``, ``Min``, ``Max``).  Decimal literals become
exact rationals, as sympy recommends for symbolic work (``0.3`` is ``3/10``).

Every formula is parsed under an explicit budget, :data:`LIMITS` (see
:class:`ParserLimits`): its length, its size and nesting depth, the digits of each literal,
the exponent of each numeric power, and the digits and total degree that products and
nested powers can reach.  The budget is checked *before* anything is computed, so hostile
text such as ``((2**64)**64)**64`` or ``1e999999999`` is refused at once with a
:class:`~gametheory.errors.FormulaLimitError` naming the limit.  A formula whose value is
not a finite real number (``0/0``, ``1/0``, ``log(0)``, ``sqrt(-1)``) is refused with a
:class:`~gametheory.errors.NotFiniteRealError`.  Names are ASCII: a full-width ``\uff58`` is
refused by name, never folded into ``x``.

>>> import sympy as sp
>>> U, R = sp.symbols("U R")
>>> parse_expr("-U*(1 - R) + 0.5", {"U": U, "R": R})
-U*(1 - R) + 1/2
>>> parse_relations("0 <= R <= 1", {"R": R})
(0 <= R, R <= 1)
>>> parse_expr("__import__('os')", {"U": U})
Traceback (most recent call last):
...
gametheory.errors.UnknownSymbolError: unknown name '__import__' in "__import__('os')"; ...
>>> parse_expr("((U**8)**8)**2", {"U": U})
Traceback (most recent call last):
...
gametheory.errors.FormulaLimitError: degree = 128: ... limit max_degree = 64
>>> parse_expr("1/(R - R)", {"R": R})
Traceback (most recent call last):
...
gametheory.errors.NotFiniteRealError: value = zoo: '1/(R - R)' is not a finite real number ...
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction

import sympy as sp
from sympy.core.relational import Relational

from gametheory.errors import FormulaLimitError, NotFiniteRealError, ParseError, UnknownSymbolError

__all__ = [
    "ALLOWED_FUNCTIONS",
    "LIMITS",
    "ParserLimits",
    "parse_condition",
    "parse_expr",
    "parse_relations",
]


@dataclass(frozen=True)
class ParserLimits:
    """The parser's budget: text beyond any of these limits is refused before any work.

    Attributes
    ----------
    max_length : int
        Characters in one formula.
    max_nodes : int
        Size: nodes of the syntax tree (numbers, names, operators, calls).
    max_depth : int
        Nesting depth of the syntax tree (``-(-(-x))`` has depth 4).
    max_literal_digits : int
        Digits of the numerator or the denominator of one numeric literal, read exactly
        (``1e309`` has 310, ``0.001`` has 4).
    max_exponent : int
        ``|p|`` and ``q`` of a numeric exponent ``p/q`` in one power.
    max_degree : int
        Total degree a formula can reach: products add degrees, powers multiply them
        (``(x**8)**8`` has degree 64, ``x**40 * y**30`` 70).
    max_number_digits : int
        Digits a number computed by the formula can reach: products add the digits of
        their factors, powers multiply them (``(2**64)**64`` could reach 4,096).

    Examples
    --------
    >>> LIMITS.max_degree
    64
    """

    max_length: int = 2000
    max_nodes: int = 1000
    max_depth: int = 100
    max_literal_digits: int = 50
    max_exponent: int = 64
    max_degree: int = 64
    max_number_digits: int = 1000


#: The budget every formula is parsed under.
LIMITS = ParserLimits()

#: Functions a formula may call, by name, with the numbers of arguments they take.
ALLOWED_FUNCTIONS: dict[str, Callable[..., sp.Expr]] = {
    "Abs": sp.Abs,
    "Max": sp.Max,
    "Min": sp.Min,
    "exp": sp.exp,
    "log": sp.log,
    "sqrt": sp.sqrt,
}
_ARITY: dict[str, tuple[int, int | None]] = {
    "Abs": (1, 1), "Max": (1, None), "Min": (1, None), "exp": (1, 1), "log": (1, 2),
    "sqrt": (1, 1),
}

_BINOPS: dict[type, Callable[[sp.Expr, sp.Expr], sp.Expr]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
    ast.Pow: lambda a, b: a**b,
}
_CMPOPS: dict[type, type[Relational]] = {
    ast.Lt: sp.StrictLessThan,
    ast.LtE: sp.LessThan,
    ast.Gt: sp.StrictGreaterThan,
    ast.GtE: sp.GreaterThan,
    ast.Eq: sp.Eq,
    ast.NotEq: sp.Ne,
}
_CMP_TEXT = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">",
             ast.GtE: ">=", ast.Is: "is", ast.IsNot: "is not", ast.In: "in",
             ast.NotIn: "not in"}
#: Values a formula must not produce: not finite, or not real.
_NOT_FINITE_REAL = (sp.nan, sp.zoo, sp.oo, -sp.oo, sp.I)


def _limit(what: str, value: int, text: str, limit: str) -> FormulaLimitError:
    return FormulaLimitError(
        what, value,
        f"{text!r} exceeds the parser's limit {limit} = {getattr(LIMITS, limit)}")


@dataclass(frozen=True)
class _Term:
    """A converted subexpression with the budget's bounds on what it can reach."""

    expr: sp.Expr
    degree: int  # total degree bound (names count 1, numbers 0)
    digits: int  # digits bound of the numbers it can produce


def _literal_digits(value: Decimal) -> int:
    """Digits of the numerator or denominator of ``value``'s exact fraction, uncomputed."""
    sign_digits_exponent = value.as_tuple()
    digits, exponent = len(sign_digits_exponent.digits), int(sign_digits_exponent.exponent)
    return digits + exponent if exponent >= 0 else max(digits, 1 - exponent)


def _number(node: ast.Constant, text: str) -> _Term:
    value = node.value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ParseError(f"only numbers may appear as literals, got {value!r} in {text!r}")
    segment = ast.get_source_segment(text, node)
    try:  # the literal as written: 0.3 is 3/10, not the double nearest to it
        exact = Decimal(segment.replace("_", "")) if segment is not None else Decimal(value)
    except InvalidOperation:
        exact = Decimal(value)
    digits = _literal_digits(exact)
    if digits > LIMITS.max_literal_digits:
        raise _limit("literal digits", digits, text, "max_literal_digits")
    frac = Fraction(exact)
    return _Term(sp.Rational(frac.numerator, frac.denominator), 0, digits)


def _check_value(result: sp.Expr, text: str, where: str) -> sp.Expr:
    """Refuse a subexpression whose value is not a finite real (``nan``, ``zoo``, ``I``)."""
    if result.is_number:
        bad = (result.has(*_NOT_FINITE_REAL) or result.is_extended_real is False
               or result.is_finite is False)
    else:
        bad = any(arg.is_number and (arg.has(*_NOT_FINITE_REAL)
                                     or arg.is_extended_real is False)
                  for arg in (result, *result.args))
    if bad:
        raise NotFiniteRealError("value", result,
                                 f"{text!r} is not a finite real number (in {where})")
    return result


class _Converter:
    def __init__(self, names: Mapping[str, sp.Symbol], text: str) -> None:
        self.names = names
        self.text = text

    def unknown(self, name: str) -> UnknownSymbolError:
        allowed = ", ".join(sorted(self.names)) or "(none)"
        funcs = ", ".join(sorted(ALLOWED_FUNCTIONS))
        return UnknownSymbolError(
            f"unknown name {name!r} in {self.text!r}; allowed names: {allowed}, "
            f"and functions {funcs}"
        )

    def budget(self, term: _Term, node: ast.AST) -> _Term:
        if term.degree > LIMITS.max_degree:
            raise _limit("degree", term.degree, self.text, "max_degree")
        if term.digits > LIMITS.max_number_digits:
            raise _limit("number digits", term.digits, self.text, "max_number_digits")
        where = ast.get_source_segment(self.text, node) or self.text
        _check_value(term.expr, self.text, where)
        return term

    def expr(self, node: ast.AST) -> sp.Expr:
        return self.term(node).expr

    def term(self, node: ast.AST) -> _Term:
        if isinstance(node, ast.Constant):
            return _number(node, self.text)
        if isinstance(node, ast.Name):
            if node.id in self.names:
                return _Term(self.names[node.id], 1, 1)
            raise self.unknown(node.id)
        if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
            return self.budget(self.binop(node), node)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
            operand = self.term(node.operand)
            if isinstance(node.op, ast.UAdd):
                return operand
            return _Term(-operand.expr, operand.degree, operand.digits)
        if isinstance(node, ast.Call):
            return self.budget(self.call(node), node)
        raise ParseError(
            f"{type(node).__name__} is not allowed in a formula ({self.text!r}); use numbers, "
            "parameter names, + - * / **, parentheses and comparisons"
        )

    def binop(self, node: ast.BinOp) -> _Term:
        left, right = self.term(node.left), self.term(node.right)
        op = type(node.op)
        if op is ast.Pow:
            return self.power(left, right)
        if op in (ast.Add, ast.Sub):
            degree, digits = max(left.degree, right.degree), max(left.digits, right.digits) + 1
        else:  # * and /: a rational function's degree is that of numerator + denominator
            degree, digits = left.degree + right.degree, left.digits + right.digits
        return _Term(_BINOPS[op](left.expr, right.expr), degree, digits)

    def power(self, base: _Term, exponent: _Term) -> _Term:
        e = exponent.expr
        if not e.is_number:  # x**y: kept symbolic; bounded like a product
            return _Term(base.expr**e, base.degree + exponent.degree + 1,
                         base.digits + exponent.digits)
        if not e.is_Rational:
            raise ParseError(f"exponent {e} in {self.text!r} is not allowed: a numeric "
                             "exponent must be a rational number p/q")
        p, q = abs(int(e.p)), int(e.q)
        if max(p, q) > LIMITS.max_exponent:
            raise _limit("exponent", max(p, q), self.text, "max_exponent")
        reach = max(p // q, 1)
        return _Term(base.expr**e, base.degree * reach, base.digits * reach)

    def call(self, node: ast.Call) -> _Term:
        if not isinstance(node.func, ast.Name):
            raise ParseError(f"only plain function calls are allowed in {self.text!r}")
        name = node.func.id
        if name not in ALLOWED_FUNCTIONS:
            raise self.unknown(name)
        if node.keywords:
            raise ParseError(f"keyword arguments are not allowed in {self.text!r}")
        low, high = _ARITY[name]
        n = len(node.args)
        if n < low or (high is not None and n > high):
            wanted = (f"{low}" if low == high else f"{low} or {high}" if high is not None
                      else f"at least {low}")
            plural = "" if wanted in ("1", f"at least {low}") and low == 1 else "s"
            raise ParseError(f"{name} takes {wanted} argument{plural}"
                             f", got {n} in {self.text!r}")
        args = [self.term(arg) for arg in node.args]
        expr = ALLOWED_FUNCTIONS[name](*(a.expr for a in args))
        return _Term(expr, max(a.degree for a in args),
                     sum(a.digits for a in args))

    def comparison(self, node: ast.Compare) -> list[Relational]:
        parts = [self.expr(node.left), *(self.expr(c) for c in node.comparators)]
        rels: list[Relational] = []
        for op, lhs, rhs in zip(node.ops, parts[:-1], parts[1:], strict=True):
            if type(op) not in _CMPOPS:
                raise ParseError(f"'{_CMP_TEXT.get(type(op), type(op).__name__)}' is not a "
                                 f"comparison of numbers (in {self.text!r}); use < <= > >= "
                                 "== !=")
            rels.append(_CMPOPS[type(op)](lhs, rhs, evaluate=False))
        return rels

    def relations(self, node: ast.AST) -> list[Relational]:
        if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.And):
            out: list[Relational] = []
            for value in node.values:
                out.extend(self.relations(value))
            return out
        if isinstance(node, ast.BoolOp):
            raise ParseError(f"'or' is not allowed here ({self.text!r}): write each condition "
                             "as inequalities joined by 'and'")
        if not isinstance(node, ast.Compare):
            raise ParseError(f"expected a comparison such as 'a < b', got {self.text!r}")
        rels = self.comparison(node)
        for rel in rels:
            if isinstance(rel, sp.Eq | sp.Ne):
                op = "==" if isinstance(rel, sp.Eq) else "!="
                raise ParseError(f"only < <= > >= comparisons are allowed in {self.text!r} "
                                 f"('{op}' is not)")
        return rels

    def condition(self, node: ast.AST) -> sp.Basic:
        if isinstance(node, ast.BoolOp):
            values = [self.condition(v) for v in node.values]
            return sp.And(*values) if isinstance(node.op, ast.And) else sp.Or(*values)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return sp.Not(self.condition(node.operand))
        if not isinstance(node, ast.Compare):
            raise ParseError(f"expected a comparison such as 'a < b', got {self.text!r}")
        return sp.And(*self.comparison(node))


def _check_characters(text: str) -> None:
    for position, char in enumerate(text):
        if not (char.isascii() and (char.isprintable() or char in " \t\n")):
            raise ParseError(
                f"character {char!r} (U+{ord(char):04X}) at position {position} of {text!r} "
                "is not allowed: formulas are ASCII (names are letters a-z, A-Z, digits, _)"
            )


def _check_size(tree: ast.AST, text: str) -> None:
    """Count nodes and measure depth without recursion (deep trees must not overflow)."""
    nodes, deepest = 0, 0
    stack: list[tuple[ast.AST, int]] = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        nodes += 1
        deepest = max(deepest, depth)
        if deepest > LIMITS.max_depth:
            raise _limit("depth", deepest, text, "max_depth")
        if nodes > LIMITS.max_nodes:
            raise _limit("size", nodes, text, "max_nodes")
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node)
                     if not isinstance(child, ast.expr_context | ast.operator | ast.unaryop
                                       | ast.cmpop | ast.boolop))


def _parse(text: str) -> ast.AST:
    if not isinstance(text, str):
        raise ParseError(f"expected text, got {type(text).__name__}: {text!r}")
    if len(text) > LIMITS.max_length:
        raise _limit("length", len(text), text[:40] + "...", "max_length")
    _check_characters(text)
    try:
        tree = ast.parse(text.strip(), mode="eval").body
    except SyntaxError as exc:
        if "too many nested" in str(exc.msg):
            raise _limit("depth", LIMITS.max_depth + 1, text, "max_depth") from None
        raise ParseError(f"cannot parse {text!r}: {exc.msg}") from None
    except (RecursionError, MemoryError):  # Python's own parser: nesting far too deep
        raise _limit("depth", LIMITS.max_depth + 1, text, "max_depth") from None
    _check_size(tree, text)
    return tree


def parse_expr(text: str, names: Mapping[str, sp.Symbol]) -> sp.Expr:
    """Parse ``text`` into a sympy expression over the symbols in ``names``.

    Parameters
    ----------
    text : str
        The formula, e.g. ``"R*W + U1*(1 - R) - C0"``.
    names : Mapping[str, sympy.Symbol]
        The only names the formula may use.

    Returns
    -------
    sympy.Expr
        The formula, with decimal literals as exact rationals.

    Raises
    ------
    ParseError
        The text is not a formula of the allowed form (including a function called with
        the wrong number of arguments, or a non-ASCII character).
    FormulaLimitError
        The text exceeds one of the limits of :data:`LIMITS`.
    NotFiniteRealError
        The formula, or a part of it, is not a finite real number (``1/0``, ``sqrt(-1)``).
    UnknownSymbolError
        The text uses a name that is not in ``names`` nor an allowed function.

    Examples
    --------
    >>> import sympy as sp
    >>> x = sp.Symbol("x")
    >>> parse_expr("Max(x, 0.25) + log(1)", {"x": x})
    Max(1/4, x)
    """
    return _Converter(names, text).expr(_parse(text))


def parse_relations(text: str, names: Mapping[str, sp.Symbol]) -> tuple[Relational, ...]:
    """Parse inequalities (chained or joined by ``and``) into sympy relationals.

    ``"U0 < U < U1"`` gives ``(U0 < U, U < U1)``.  Only ``< <= > >=`` are accepted here
    (the shape of a game's assumptions and of a ``given``); :func:`parse_condition` also
    reads ``==``, ``!=``, ``or`` and ``not``.

    Parameters
    ----------
    text : str
        The inequalities, e.g. ``"0 <= R <= 1 and E < U"``.
    names : Mapping[str, sympy.Symbol]
        The only names the text may use.

    Returns
    -------
    tuple of sympy relationals
        One per comparison, in the order written.

    Raises
    ------
    ParseError, FormulaLimitError, NotFiniteRealError, UnknownSymbolError
        As for :func:`parse_expr`; also for ``==``, ``!=`` or ``or``, named.

    Examples
    --------
    >>> import sympy as sp
    >>> E, U = sp.symbols("E U")
    >>> parse_relations("0 < E < U", {"E": E, "U": U})
    (0 < E, E < U)
    >>> parse_relations("E < 0/0", {"E": E})
    Traceback (most recent call last):
    ...
    gametheory.errors.NotFiniteRealError: value = nan: 'E < 0/0' is not a finite real ...
    """
    return tuple(_Converter(names, text).relations(_parse(text)))


def parse_condition(text: str, names: Mapping[str, sp.Symbol]) -> sp.Basic:
    """Parse a condition: comparisons (``< <= > >= == !=``) joined by ``and``/``or``/``not``.

    Parameters
    ----------
    text : str
        E.g. ``"E < U and (R == 0 or R >= 1/2)"``.
    names : Mapping[str, sympy.Symbol]
        The only names the text may use.

    Returns
    -------
    sympy.Boolean
        The condition (``And``, ``Or``, ``Not`` of relationals; unevaluated).

    Raises
    ------
    ParseError, FormulaLimitError, NotFiniteRealError, UnknownSymbolError
        As for :func:`parse_expr`.

    Examples
    --------
    >>> import sympy as sp
    >>> E, R = sp.symbols("E R")
    >>> parse_condition("E != 0 and (R == 0 or R >= 1/2)", {"E": E, "R": R})
    Ne(E, 0) & (Eq(R, 0) | (R >= 1/2))
    """
    return _Converter(names, text).condition(_parse(text))
