"""Equilibrium conditions: simplified under the assumptions, solved, and rendered.

:func:`positive_condition` turns ``expr > 0`` (or ``>= 0``) into the simplest equivalent
condition on the domain: factors of proven sign are divided out (flipping the inequality
for negative ones); a remaining factor becomes an inequality *solved for one parameter*
where it enters linearly (``E < (1 - R)*(U1 - U)``); two remaining factors (a fraction of
unknown sign) become the two sign cases.  A condition proven always true is
``sympy.true``, one proven impossible ``sympy.false``.

:func:`simplify_and` joins such conditions: it expands them into cases (disjunctive normal
form), drops every inequality the others imply under the assumptions and every case that
contradicts itself (both by the sign prover of :mod:`gametheory.signs`, with the other
inequalities as ``given``), and factors out what all cases share.

:func:`condition_text` and :func:`condition_latex` render a condition for people: ``≥``,
``≤``, ``≠``, ``and``/``or`` (or ``∧``/``∨`` in LaTeX), positive terms first.

>>> import sympy as sp
>>> from gametheory.domain import Domain
>>> a, b = sp.symbols("a b")
>>> dom = Domain({"a": a, "b": b}, (a > 0, b > 0))
>>> positive_condition((a + b) * (b - 1), dom)
b > 1
>>> positive_condition(-(a + b), dom, strict=False)
False
>>> condition_text(simplify_and([positive_condition(b - a, dom), sp.Ne(b, a)], dom))
'b > a'
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence

import sympy as sp
from sympy.core.relational import Relational
from sympy.logic.boolalg import Boolean, BooleanTrue
from sympy.printing.latex import LatexPrinter
from sympy.printing.str import StrPrinter

from gametheory.domain import Domain
from gametheory.signs import prove_sign

__all__ = [
    "MAX_CASES",
    "condition_latex",
    "condition_text",
    "positive_condition",
    "simplify_and",
    "solve_relation",
]

#: Most cases (disjuncts) :func:`simplify_and` expands into before it keeps the
#: conjunction as it is.
MAX_CASES = 16

_DEFINITE = ("positive", "negative")


def _sign(expr: sp.Expr, domain: Domain, given: tuple[Boolean, ...] = ()) -> str:
    return prove_sign(expr, domain, given=given, _witness_search=False).sign


def _tidy(expr: sp.Expr, domain: Domain) -> sp.Expr:
    """Factor ``expr``; write factors of nonpositive sign, and a leading minus, positively.

    ``-R*(U - W)`` becomes ``R*(W - U)``; ``(R - 1)*(U - U1)`` becomes ``(1 - R)*(U1 - U)``
    where ``R <= 1`` and ``U < U1`` are assumed.
    """
    expr = sp.factor(expr)
    coeff, factors = expr.as_coeff_mul()
    bases: list[tuple[sp.Expr, sp.Expr]] = []
    for f in factors:
        base, exp = f.as_base_exp()
        if not exp.is_Integer:
            return expr
        if isinstance(base, sp.Add) and _sign(base, domain) in ("negative", "nonpositive"):
            base = sp.expand(-base)
            coeff *= (-1) ** int(exp)
        bases.append((base, exp))
    if coeff < 0:
        for k, (base, exp) in enumerate(bases):
            if isinstance(base, sp.Add) and int(exp) % 2 == 1:
                bases[k] = (sp.expand(-base), exp)
                coeff = -coeff
                break
    return sp.Mul(coeff, *(b**e for b, e in bases))


def _linear_choice(
    expr: sp.Expr, domain: Domain
) -> tuple[sp.Symbol, sp.Expr, sp.Expr, int] | None:
    """The parameter to solve ``expr`` for: ``expr = a*x + b`` with ``a`` of proven sign.

    A constant ``a`` is preferred, then the parameter declared last (payoff parameters
    such as costs and benefits conventionally come last).
    """
    order = {s: k for k, s in enumerate(domain.params.values())}
    best: tuple[tuple[int, int], sp.Symbol, sp.Expr, sp.Expr, int] | None = None
    for x in expr.free_symbols:
        if x not in order:
            continue
        try:
            coeffs = sp.Poly(expr, x).all_coeffs()
        except sp.PolynomialError:
            continue
        if len(coeffs) != 2:
            continue
        a, b = coeffs
        if a.is_number:
            sign = 1 if a > 0 else -1
            rank = 0
        else:
            s = _sign(a, domain)
            if s not in _DEFINITE:
                continue
            sign = 1 if s == "positive" else -1
            rank = 1
        key = (rank, -order[x])
        if best is None or key < best[0]:
            best = (key, x, a, b, sign)
    return None if best is None else best[1:]


_OPS = {">": sp.StrictGreaterThan, ">=": sp.GreaterThan, "==": sp.Eq, "!=": sp.Ne}
_REVERSED = {">": sp.StrictLessThan, ">=": sp.LessThan, "==": sp.Eq, "!=": sp.Ne}


def solve_relation(expr: sp.Expr, kind: str, domain: Domain) -> Boolean:
    """``expr kind 0`` solved for one parameter where it enters linearly.

    Parameters
    ----------
    expr : sympy.Expr
        A polynomial in the parameters.
    kind : str
        ``">"``, ``">="``, ``"=="`` or ``"!="``.
    domain : Domain
        The assumptions (to find the sign of a non-constant coefficient).

    Returns
    -------
    sympy.Boolean
        ``x > rhs``, ``x < rhs``, ... with ``rhs`` factored; ``expr kind 0`` itself where
        no parameter enters linearly with a coefficient of proven sign.

    Examples
    --------
    >>> import sympy as sp
    >>> from gametheory.domain import Domain
    >>> E, U, U1, R = sp.symbols("E U U1 R")
    >>> dom = Domain({"U": U, "U1": U1, "R": R, "E": E},
    ...              (U > 0, U < U1, sp.Le(0, R), sp.Le(R, 1), E > 0))
    >>> condition_text(solve_relation(E - (U1 - U) * (1 - R), ">=", dom))
    'E ≥ (1 − R)·(U1 − U)'
    """
    expr = sp.expand(expr)
    choice = _linear_choice(expr, domain)
    if choice is None:
        lhs = _tidy(expr, domain)
        if lhs.could_extract_minus_sign():
            return _REVERSED[kind](-lhs, 0)
        return _OPS[kind](lhs, 0)
    x, a, b, sign = choice
    rhs = _tidy(sp.cancel(-b / a), domain)
    return (_OPS if sign > 0 else _REVERSED)[kind](x, rhs)


def _factor_parts(expr: sp.Expr) -> tuple[int, list[tuple[sp.Expr, int, bool]]] | None:
    """``(sign of the constant, [(factor, exponent, in_denominator)])``."""
    num, den = sp.fraction(sp.together(expr))
    sign = 1
    parts: list[tuple[sp.Expr, int, bool]] = []
    for part, below in ((num, False), (den, True)):
        coeff, factors = sp.factor_list(sp.expand(part))
        if coeff == 0:
            return None
        if not coeff.is_number:
            factors = [(coeff, 1), *factors]
            coeff = sp.Integer(1)
        sign *= 1 if coeff > 0 else -1
        parts += [(base, int(exp), below) for base, exp in factors]
    return sign, parts


def positive_condition(expr: sp.Expr, domain: Domain, *, strict: bool = True) -> Boolean:
    """The condition ``expr > 0`` (``>= 0`` when not ``strict``), simplified on ``domain``.

    Parameters
    ----------
    expr : sympy.Expr
        A rational function of the parameters.
    domain : Domain
        The assumptions.
    strict : bool, keyword-only
        ``>`` (default) or ``>=``.

    Returns
    -------
    sympy.Boolean
        ``true``, ``false``, one solved inequality, or an ``And``/``Or`` of them; it holds
        at a point of the domain exactly where ``expr > 0`` (``>= 0``) does (where
        ``expr`` is defined).

    Examples
    --------
    >>> import sympy as sp
    >>> from gametheory.domain import Domain
    >>> x, y = sp.symbols("x y")
    >>> dom = Domain({"x": x, "y": y}, (x > 0,))
    >>> condition_text(positive_condition((y - 1) / (y - 2) * x, dom))
    '(y > 2) or (y < 1)'
    """
    kind = ">" if strict else ">="
    split = _factor_parts(sp.sympify(expr))
    if split is None:
        return sp.false if strict else sp.true
    sign, parts = split
    odd: list[tuple[sp.Expr, bool]] = []
    zeros: list[sp.Expr] = []  # even-power numerator factors of unknown sign
    for base, exp, below in parts:
        s = _sign(base, domain)
        if s == "positive":
            continue
        if s == "negative":
            sign *= (-1) ** exp
            continue
        if s == "zero":
            if below:
                return sp.false
            return sp.false if strict else sp.true
        if exp % 2 == 0:
            if not below:
                zeros.append(base)
            continue
        odd.append((base, below))
    return _with_even_factors(_sign_cases(odd, sign, kind, domain), zeros, domain,
                              strict=strict)


def _with_even_factors(cases: Boolean, zeros: Sequence[sp.Expr], domain: Domain, *,
                       strict: bool) -> Boolean:
    """``cases`` where the even-power factors ``zeros`` (of unknown sign) are accounted for.

    Such a factor is nonnegative: ``expr > 0`` needs it nonzero, while ``expr >= 0`` also
    holds wherever it vanishes.
    """
    if not zeros:
        return cases
    if strict:
        return simplify_and([cases, *(solve_relation(z, "!=", domain) for z in zeros)])
    return sp.Or(cases, *(solve_relation(z, "==", domain) for z in zeros))


def _sign_cases(odd: Sequence[tuple[sp.Expr, bool]], sign: int, kind: str,
                domain: Domain) -> Boolean:
    """``sign * prod(odd factors) kind 0`` as a union of sign patterns of the factors."""
    if not odd:
        return sp.true if sign > 0 else sp.false
    if len(odd) == 1:
        base = odd[0][0]
        return solve_relation(sign * base, kind, domain)
    cases: list[Boolean] = []
    for pattern in itertools.product((1, -1), repeat=len(odd)):
        if sign * int(sp.prod(pattern)) < 0:
            continue
        cases.append(sp.And(*(solve_relation(p * base, ">", domain)
                              for p, (base, _) in zip(pattern, odd, strict=True))))
    if kind == ">=":
        cases += [solve_relation(base, "==", domain) for base, below in odd if not below]
    return simplify_and([sp.Or(*cases)], domain)


# ---------------------------------------------------------------------- conjunctions
def _conjuncts(cond: Boolean) -> list[Boolean]:
    return list(cond.args) if isinstance(cond, sp.And) else [cond]


def _cases(parts: Iterable[Boolean]) -> list[list[Boolean]] | None:
    """Disjunctive normal form of ``And(*parts)``; ``None`` beyond :data:`MAX_CASES`."""
    cases: list[list[Boolean]] = [[]]
    for part in parts:
        options = part.args if isinstance(part, sp.Or) else (part,)
        cases = [case + _conjuncts(opt) for case in cases for opt in options]
        if len(cases) > MAX_CASES:
            return None
    return cases


def _relation_parts(rel: Boolean) -> tuple[str, sp.Expr] | None:
    """``(kind, g)`` with ``rel`` equivalent to ``g kind 0``; ``None`` for non-relations."""
    if isinstance(rel, sp.StrictLessThan | sp.LessThan):
        return (">" if isinstance(rel, sp.StrictLessThan) else ">="), rel.rhs - rel.lhs
    if isinstance(rel, sp.StrictGreaterThan | sp.GreaterThan):
        return (">" if isinstance(rel, sp.StrictGreaterThan) else ">="), rel.lhs - rel.rhs
    if isinstance(rel, sp.Eq | sp.Ne):
        return ("==" if isinstance(rel, sp.Eq) else "!="), rel.rhs - rel.lhs
    return None


#: (kind of the known relation, kind asked, same or opposite direction) -> verdict
_SYNTACTIC = {
    (">", ">", 1): "implied", (">", ">=", 1): "implied", (">", "!=", 1): "implied",
    (">", "!=", -1): "implied", (">", ">", -1): "contradicted",
    (">", ">=", -1): "contradicted", (">", "==", 1): "contradicted",
    (">", "==", -1): "contradicted", (">=", ">=", 1): "implied",
    ("==", "==", 1): "implied", ("==", "==", -1): "implied",
    ("==", ">=", 1): "implied", ("==", ">=", -1): "implied",
    ("==", "!=", 1): "contradicted", ("==", "!=", -1): "contradicted",
    ("==", ">", 1): "contradicted", ("==", ">", -1): "contradicted",
    ("!=", "!=", 1): "implied", ("!=", "!=", -1): "implied",
}


def _syntactic(rel: tuple[str, sp.Expr], others: tuple[Boolean, ...]) -> str | None:
    """A verdict read off a known relation with the same difference (up to sign)."""
    kind, g = rel
    g = sp.expand(g)
    for other in others:
        parts = _relation_parts(other)
        if parts is None:
            continue
        h = sp.expand(parts[1])
        direction = 1 if sp.expand(g - h) == 0 else -1 if sp.expand(g + h) == 0 else 0
        if direction:
            verdict = _SYNTACTIC.get((parts[0], kind, direction))
            if verdict is not None:
                return verdict
    return None


def _verdict(rel: Boolean, others: tuple[Boolean, ...], domain: Domain) -> str:
    """``"implied"``, ``"contradicted"`` or ``"open"``: ``rel`` given ``others``."""
    parts = _relation_parts(rel)
    if parts is None:
        return "open"
    quick = _syntactic(parts, others)
    if quick is not None:
        return quick
    kind, g = parts
    holds = {">": ("positive",), ">=": ("positive", "nonnegative", "zero"),
             "==": ("zero",), "!=": ("positive", "negative")}[kind]
    fails = {">": ("negative", "nonpositive", "zero"), ">=": ("negative",),
             "==": ("positive", "negative"), "!=": ("zero",)}[kind]
    s = _sign(g, domain, others)
    if s in holds:
        return "implied"
    if s in fails:
        return "contradicted"
    return "open"


def _reduce(case: list[Boolean], domain: Domain) -> list[Boolean] | None:
    """``case`` without implied conditions; ``None`` if it contradicts itself."""
    kept: list[Boolean] = []
    for part in case:
        if part is sp.false:
            return None
        if part is sp.true or part in kept:
            continue
        kept.append(part)
    for part in sorted(kept, key=lambda p: 0 if isinstance(p, sp.Ne) else 1):
        others = tuple(p for p in kept if p is not part)
        verdict = _verdict(part, others, domain)
        if verdict == "contradicted":
            return None
        if verdict == "implied":
            kept.remove(part)
    return kept


def simplify_and(parts: Sequence[Boolean], domain: Domain | None = None) -> Boolean:
    """The conjunction of ``parts``, without redundancies.

    Parameters
    ----------
    parts : sequence of sympy.Boolean
        Conditions (relations, ``And``, ``Or``, ``true``, ``false``).
    domain : Domain, optional
        The assumptions.  Without it only ``true`` parts and duplicates are dropped.

    Returns
    -------
    sympy.Boolean
        Equivalent on the domain to ``And(*parts)``: the cases (disjunctive normal form)
        that do not contradict themselves, each without the inequalities the others imply,
        with the inequalities every case shares written once in front.

    Examples
    --------
    >>> import sympy as sp
    >>> from gametheory.domain import Domain
    >>> x, y = sp.symbols("x y")
    >>> dom = Domain({"x": x, "y": y}, (x > 0, y > 0))
    >>> simplify_and([x > 1, sp.Or(y > x, y < 0), sp.Ne(y, 0)], dom)
    (x > 1) & (y > x)
    """
    flat = [q for p in parts for q in _conjuncts(p)]
    if any(p is sp.false for p in flat):
        return sp.false
    unique: list[Boolean] = []
    for p in flat:
        if p is not sp.true and p not in unique:
            unique.append(p)
    cases = _cases(unique) if domain is not None and unique else None
    if cases is None or domain is None:
        return _and(unique)
    reduced = _reduced_cases(cases, domain)
    if reduced is sp.true:
        return sp.true
    if not reduced:
        return sp.false
    return _common_in_front(reduced)


def _reduced_cases(cases: list[list[Boolean]],
                   domain: Domain) -> list[list[Boolean]] | BooleanTrue:
    """Each case without what the others imply; contradictory cases dropped.

    ``true`` when a case reduces to nothing (it always holds).
    """
    reduced: list[list[Boolean]] = []
    for case in cases:
        r = _reduce(case, domain)
        if r is None:
            continue
        if not r:
            return sp.true
        if r not in reduced:
            reduced.append(r)
    return reduced


def _common_in_front(reduced: list[list[Boolean]]) -> Boolean:
    """``Or`` of the cases with the inequalities every case shares written once in front."""
    common = [p for p in reduced[0] if all(p in r for r in reduced[1:])]
    rest = [[p for p in r if p not in common] for r in reduced]
    if len(reduced) == 1 or any(not r for r in rest):
        return _and(common if len(reduced) > 1 else reduced[0])
    return _and([*common, sp.Or(*(_and(r) for r in rest), evaluate=False)])


def _and(parts: Sequence[Boolean]) -> Boolean:
    if not parts:
        return sp.true
    return parts[0] if len(parts) == 1 else sp.And(*parts, evaluate=False)


# ---------------------------------------------------------------------- rendering
class _TextPrinter(StrPrinter):  # type: ignore[misc]  # sympy is untyped: its printers are Any
    """Positive terms first, ``·`` for products, ``−`` for minus."""

    def __init__(self, unicode: bool) -> None:
        super().__init__({"order": "none"})
        self.unicode = unicode

    def _print_Add(self, expr: sp.Add, order: str | None = None) -> str:
        terms = sorted(expr.as_ordered_terms(), key=lambda t: t.could_extract_minus_sign())
        minus = " − " if self.unicode else " - "
        out = ""
        for k, term in enumerate(terms):
            negative = term.could_extract_minus_sign()
            shown = self.parenthesize(-term if negative else term, 40)  # Add precedence
            if k == 0:
                out = ("−" if self.unicode else "-") + shown if negative else shown
            else:
                out += (minus if negative else " + ") + shown
        return out

    def _print_Mul(self, expr: sp.Mul) -> str:
        text: str = super()._print_Mul(expr)
        if self.unicode:
            text = text.replace("*", "·").replace("-", "−")
        return text

    def _print_Relational(self, expr: Relational) -> str:
        ops = ({"<": "<", "<=": "≤", ">": ">", ">=": "≥", "==": "=", "!=": "≠"}
               if self.unicode else {"==": "==", "!=": "!="})
        op = ops.get(expr.rel_op, expr.rel_op)
        return f"{self._print(expr.lhs)} {op} {self._print(expr.rhs)}"

    def _print_And(self, expr: sp.And) -> str:
        return " and ".join(self._junct(a) for a in expr.args)

    def _print_Or(self, expr: sp.Or) -> str:
        return " or ".join(self._junct(a) for a in expr.args)

    def _junct(self, arg: Boolean) -> str:
        text = self._print(arg)
        return f"({text})" if isinstance(arg, sp.And | sp.Or | Relational) else text

    def _print_BooleanTrue(self, expr: Boolean) -> str:
        return "always"

    def _print_BooleanFalse(self, expr: Boolean) -> str:
        return "never"


class _Latex(LatexPrinter):  # type: ignore[misc]  # sympy is untyped: its printers are Any
    r"""LaTeX with positive terms first and ``\wedge``/``\vee`` (MathJax renders it)."""

    def __init__(self) -> None:
        super().__init__({"order": "none"})

    def _print_Add(self, expr: sp.Add, order: str | None = None) -> str:
        terms = sorted(expr.as_ordered_terms(), key=lambda t: t.could_extract_minus_sign())
        out = ""
        for k, term in enumerate(terms):
            negative = term.could_extract_minus_sign()
            shown = self._print(-term if negative else term)
            if isinstance(-term if negative else term, sp.Add):
                shown = rf"\left({shown}\right)"
            if k == 0:
                out = "-" + shown if negative else shown
            else:
                out += (" - " if negative else " + ") + shown
        return out

    def _print_And(self, expr: sp.And) -> str:
        return r" \wedge ".join(self._junct(a) for a in expr.args)

    def _print_Or(self, expr: sp.Or) -> str:
        return r" \vee ".join(self._junct(a) for a in expr.args)

    def _junct(self, arg: Boolean) -> str:
        text = self._print(arg)
        return rf"\left({text}\right)" if isinstance(arg, sp.And | sp.Or) else text

    def _print_BooleanTrue(self, expr: Boolean) -> str:
        return r"\text{always}"

    def _print_BooleanFalse(self, expr: Boolean) -> str:
        return r"\text{never}"


def condition_text(condition: Boolean | Mapping[str, Boolean], *, unicode: bool = True) -> str:
    """A condition as text for people: ``E < (1 − R)·(U1 − U) and C > R·(W − U)``.

    Parameters
    ----------
    condition : sympy.Boolean
        An equilibrium's or a sign's condition (relations joined by ``And``/``Or``).
    unicode : bool, keyword-only
        ``≥ ≤ ≠ − ·`` (default); with ``False``, ASCII ``>= <= != - *`` that the package's
        formula parser reads back (but for ``!=``).

    Returns
    -------
    str
        Relations joined by ``and``/``or`` (parenthesised), positive terms first;
        ``"always"`` for ``true`` and ``"never"`` for ``false``.

    Examples
    --------
    >>> import sympy as sp
    >>> x, y = sp.symbols("x y")
    >>> condition_text(sp.And(sp.Ne(x, 1), sp.Ge(y, 1 - x)))
    '(x ≠ 1) and (y ≥ 1 − x)'
    >>> condition_text(sp.Ge(y, 1 - x), unicode=False)
    'y >= 1 - x'
    """
    return str(_TextPrinter(unicode).doprint(condition))


def condition_latex(condition: Boolean) -> str:
    r"""A condition as LaTeX (for MathJax/KaTeX, which also render it as MathML).

    Parameters
    ----------
    condition : sympy.Boolean
        An equilibrium's or a sign's condition.

    Returns
    -------
    str
        LaTeX without surrounding ``$``: ``\geq``, ``\neq``, ``\wedge``, ``\vee``.

    Examples
    --------
    >>> import sympy as sp
    >>> x, y = sp.symbols("x y")
    >>> condition_latex(sp.And(sp.Ne(x, 1), sp.Ge(y, 1 - x)))
    'x \\neq 1 \\wedge y \\geq 1 - x'
    """
    return str(_Latex().doprint(condition))
