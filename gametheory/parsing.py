"""A restricted parser from text to sympy expressions.

User text is never passed to :func:`eval` or :func:`sympy.sympify` (both execute Python).
Instead the text is parsed by Python's :mod:`ast` and every node is checked against an
allow-list: numbers, the names given by the caller, ``+ - * / **``, unary minus,
comparisons (``<``, ``<=``, ``>``, ``>=``, chained as in ``U0 < U < U1``) and a few
functions (``sqrt``, ``exp``, ``log``, ``Abs``, ``Min``, ``Max``).  Decimal literals become
exact rationals, as sympy recommends for symbolic work.

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
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from fractions import Fraction

import sympy as sp

from gametheory.errors import ParseError, UnknownSymbolError

__all__ = ["parse_expr", "parse_relations", "ALLOWED_FUNCTIONS"]

#: Functions a formula may call, by name.
ALLOWED_FUNCTIONS: dict[str, object] = {
    "Abs": sp.Abs,
    "Max": sp.Max,
    "Min": sp.Min,
    "exp": sp.exp,
    "log": sp.log,
    "sqrt": sp.sqrt,
}

_BINOPS = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
    ast.Pow: lambda a, b: a**b,
}
_CMPOPS = {
    ast.Lt: sp.StrictLessThan,
    ast.LtE: sp.LessThan,
    ast.Gt: sp.StrictGreaterThan,
    ast.GtE: sp.GreaterThan,
}
_MAX_LENGTH = 2000
#: Largest numeric exponent a formula may use (keeps ``9**9**9`` from being computed).
_MAX_EXPONENT = 64


def _number(node: ast.Constant, text: str) -> sp.Expr:
    value = node.value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ParseError(f"only numbers may appear as literals, got {value!r} in {text!r}")
    if isinstance(value, int):
        return sp.Integer(value)
    segment = ast.get_source_segment(text, node)
    try:
        exact = Fraction(Decimal(segment)) if segment is not None else Fraction(value)
    except (InvalidOperation, ValueError):
        exact = Fraction(value)
    return sp.Rational(exact.numerator, exact.denominator)


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

    def expr(self, node: ast.AST) -> sp.Expr:
        if isinstance(node, ast.Constant):
            return _number(node, self.text)
        if isinstance(node, ast.Name):
            if node.id in self.names:
                return self.names[node.id]
            raise self.unknown(node.id)
        if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
            left, right = self.expr(node.left), self.expr(node.right)
            if isinstance(node.op, ast.Pow) and right.is_number and (
                    not right.is_real or abs(right) > _MAX_EXPONENT):
                raise ParseError(
                    f"exponent {right} in {self.text!r} is not allowed: numeric exponents "
                    f"must be real with |exponent| <= {_MAX_EXPONENT}"
                )
            return _BINOPS[type(node.op)](left, right)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
            operand = self.expr(node.operand)
            return -operand if isinstance(node.op, ast.USub) else operand
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name):
                raise ParseError(f"only plain function calls are allowed in {self.text!r}")
            if node.func.id not in ALLOWED_FUNCTIONS:
                raise self.unknown(node.func.id)
            if node.keywords:
                raise ParseError(f"keyword arguments are not allowed in {self.text!r}")
            func = ALLOWED_FUNCTIONS[node.func.id]
            return func(*(self.expr(arg) for arg in node.args))  # type: ignore[operator]
        raise ParseError(
            f"{type(node).__name__} is not allowed in a formula ({self.text!r}); use numbers, "
            "parameter names, + - * / **, parentheses and comparisons"
        )

    def relations(self, node: ast.AST) -> list[sp.core.relational.Relational]:
        if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.And):
            out: list[sp.core.relational.Relational] = []
            for value in node.values:
                out.extend(self.relations(value))
            return out
        if not isinstance(node, ast.Compare):
            raise ParseError(f"expected a comparison such as 'a < b', got {self.text!r}")
        parts = [self.expr(node.left), *(self.expr(c) for c in node.comparators)]
        rels = []
        for op, lhs, rhs in zip(node.ops, parts[:-1], parts[1:], strict=True):
            if type(op) not in _CMPOPS:
                raise ParseError(f"only < <= > >= comparisons are allowed in {self.text!r}")
            rels.append(_CMPOPS[type(op)](lhs, rhs, evaluate=False))
        return rels


def _parse(text: str) -> ast.AST:
    if not isinstance(text, str):
        raise ParseError(f"expected text, got {type(text).__name__}: {text!r}")
    if len(text) > _MAX_LENGTH:
        raise ParseError(f"formula of {len(text)} characters exceeds {_MAX_LENGTH}")
    try:
        return ast.parse(text.strip(), mode="eval").body
    except SyntaxError as exc:
        raise ParseError(f"cannot parse {text!r}: {exc.msg}") from None


def parse_expr(text: str, names: Mapping[str, sp.Symbol]) -> sp.Expr:
    """Parse ``text`` into a sympy expression over the symbols in ``names``.

    Parameters
    ----------
    text : str
        The formula, e.g. ``"R*W + U1*(1 - R) - C0"``.
    names : Mapping[str, sympy.Symbol]
        The only names the formula may use.

    Raises
    ------
    ParseError
        The text is not a formula of the allowed form.
    UnknownSymbolError
        The text uses a name that is not in ``names`` nor an allowed function.
    """
    return _Converter(names, text).expr(_parse(text))


def parse_relations(
    text: str, names: Mapping[str, sp.Symbol]
) -> tuple[sp.core.relational.Relational, ...]:
    """Parse comparisons (chained or joined by ``and``) into sympy relationals.

    ``"U0 < U < U1"`` gives ``(U0 < U, U < U1)``.

    Raises
    ------
    ParseError, UnknownSymbolError
        As for :func:`parse_expr`.
    """
    return tuple(_Converter(names, text).relations(_parse(text)))
