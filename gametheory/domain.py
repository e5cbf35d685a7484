"""The parameter domain of a game, covered by pieces of strictly positive symbols.

A game's assumptions (and the ``given`` of a comparative static) are sympy relations over
its parameters.  For proofs the domain is covered by *pieces*: substitutions that write
every parameter through new symbols that are all strictly positive, so that a polynomial
whose expanded coefficients share one sign has that sign on the whole piece (see
:mod:`gametheory.signs`).  The pieces are built by one rule, applied relation by relation
(bounds first):

* a parameter starts *free* (a real of either sign);
* a relation ``g > 0`` (``g = big - small``) that, on the piece, is affine in one symbol
  ``q`` with a coefficient ``a`` of proven sign is solved for ``q``: with root
  ``m = q - g/a``,

  - ``q`` free: ``q = m + t`` (``a > 0``) or ``q = m - t`` (``a < 0``), ``t > 0``;
  - ``q`` positive, ``a > 0``: ``q = m + t``;
  - ``q`` positive, ``a < 0``: ``q = m*t/(1 + t)`` where ``m > 0`` is proven, else
    ``q = m - t``;

* ``g >= 0`` adds the *equality piece* ``q = m`` (every closed edge is a piece of its own);
  ``g == 0`` is the equality piece alone;
* ``g`` a fraction whose denominator has no proven sign: the two cases ``num > 0, den > 0``
  and ``num < 0, den < 0`` (``>=``: ``num >= 0``) are separate pieces;
* ``And`` narrows piece by piece, ``Or`` is the union of its branches' pieces;
* a relation proven true on a piece keeps the piece, one proven false drops it;
* what no rule fits (``!=``, a relation with no affine symbol) keeps the piece as it is;
* parameters still free at the end are split by sign: ``x = p``, ``x = 0``, ``x = -p``.

Every step covers its part of the domain (a substitution may cover *more*, e.g. ``q = m +
t`` where ``m < 0``, or keep a piece a relation would cut): a proof over the pieces is a
proof over a superset of the domain, hence sound.  A proof may be weaker than the truth,
never stronger.

>>> import sympy as sp
>>> x, y = sp.symbols("x y")
>>> d = Domain({"x": x, "y": y}, (sp.Ge(x, 0), y > x))
>>> [(p.label, p.describe()) for p in d.pieces()]
[('interior', 'x = p_x, y = d_y + p_x'), ('x = 0', 'x = 0, y = p_y')]
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np
import sympy as sp
from sympy.core.relational import Relational
from sympy.logic.boolalg import Boolean, BooleanFalse, BooleanTrue, to_nnf
from sympy.polys.fields import field as frac_field
from sympy.polys.polyerrors import CoercionFailed
from sympy.polys.rings import PolyElement
from sympy.polys.rings import ring as poly_ring

from gametheory.errors import GameError

__all__ = [
    "MAX_PIECES",
    "Domain",
    "Piece",
    "TooManyPiecesError",
    "UnsupportedRelationError",
    "factored_signs",
    "poly_signs",
    "rational_signs",
]

#: Largest number of pieces a domain is covered by; beyond it proofs answer ``unknown``.
MAX_PIECES = 512

Signs = frozenset[int]
_ALL: Signs = frozenset({-1, 0, 1})
_POS: Signs = frozenset({1})
_NEG: Signs = frozenset({-1})
#: The generator of the ring of a piece without symbols (a ring needs one).
_ONE = sp.Dummy("one", positive=True)


class UnsupportedRelationError(GameError):
    """A condition that is not a relation, ``And``, ``Or``, ``true`` or ``false``."""


class TooManyPiecesError(GameError):
    """Covering the domain would need more than :data:`MAX_PIECES` pieces."""


# ---------------------------------------------------------------------- coefficient signs
def _number_signs(value: sp.Expr) -> Signs:
    if value.is_zero:
        return frozenset({0})
    if value.is_extended_real is not True:
        return _ALL
    if value.is_positive:
        return _POS
    if value.is_negative:
        return _NEG
    return _ALL


def poly_signs(expr: sp.Expr, symbols: Iterable[sp.Symbol]) -> Signs:
    """The signs a polynomial in strictly positive ``symbols`` can take.

    Decided from the expanded coefficients only: all positive gives ``{1}``, all negative
    ``{-1}``, the zero polynomial ``{0}``; anything else (mixed signs, other symbols, a
    non-polynomial) gives ``{-1, 0, 1}``.

    Parameters
    ----------
    expr : sympy.Expr
        The polynomial.
    symbols : iterable of sympy.Symbol
        Symbols known to be strictly positive.

    Returns
    -------
    frozenset of int
        A superset of the signs ``expr`` takes where every symbol is positive.

    Examples
    --------
    >>> import sympy as sp
    >>> a, b = sp.symbols("a b", positive=True)
    >>> sorted(poly_signs((a + b)**2 + 1, (a, b))), sorted(poly_signs(a - b, (a, b)))
    ([1], [-1, 0, 1])
    """
    syms = tuple(symbols)
    expr = sp.expand(expr)
    if expr.free_symbols - set(syms):
        return _ALL
    if expr.is_number:
        return _number_signs(expr)
    try:
        coeffs = sp.Poly(expr, *syms).coeffs()
    except sp.PolynomialError:
        return _ALL
    signs = {_number_signs(c) for c in coeffs}
    if signs == {_POS}:
        return _POS
    if signs == {_NEG}:
        return _NEG
    return _ALL


def factored_signs(expr: sp.Expr, symbols: Iterable[sp.Symbol]) -> Signs:
    """The signs of a polynomial from the signs of its irreducible factors.

    Each factor is tested by :func:`poly_signs`; an even power of a factor of any sign is
    nonnegative.

    Parameters
    ----------
    expr : sympy.Expr
        The polynomial.
    symbols : iterable of sympy.Symbol
        Symbols known to be strictly positive.

    Returns
    -------
    frozenset of int
        A superset of the signs of ``expr`` where every symbol is positive.

    Examples
    --------
    >>> import sympy as sp
    >>> a, b = sp.symbols("a b", positive=True)
    >>> sorted(factored_signs(-(a - b)**2 * (a + 1), (a, b)))
    [-1, 0]
    """
    syms = tuple(symbols)
    expr = sp.expand(expr)
    if expr == 0:
        return frozenset({0})
    if expr.free_symbols - set(syms) or expr.is_number or not syms:
        return poly_signs(expr, syms)
    try:
        coeff, factors = sp.factor_list(expr, *syms)
    except sp.PolynomialError:
        return poly_signs(expr, syms)
    signs = _number_signs(sp.sympify(coeff))
    for base, exp in factors:
        base_signs = poly_signs(base, syms)
        power = frozenset(s ** int(exp) for s in base_signs)
        signs = frozenset(a * b for a in signs for b in power)
    return signs


def rational_signs(expr: sp.Expr, symbols: Iterable[sp.Symbol]) -> Signs | None:
    """The signs of a rational function in positive ``symbols``; ``None`` if undefined.

    Numerator and denominator are tested separately (:func:`factored_signs`); the
    denominator counts only where it is nonzero, since the expression is defined only
    there.  ``None`` means the denominator is identically zero.

    Parameters
    ----------
    expr : sympy.Expr
        The rational function.
    symbols : iterable of sympy.Symbol
        Symbols known to be strictly positive.

    Returns
    -------
    frozenset of int or None
        A superset of the signs where the expression is defined.

    Examples
    --------
    >>> import sympy as sp
    >>> s = sp.Symbol("s", positive=True)
    >>> sorted(rational_signs(1 - s/(1 + s), (s,)))
    [1]
    """
    syms = tuple(symbols)
    num, den = sp.fraction(sp.together(sp.sympify(expr)))
    den_signs = factored_signs(den, syms) - {0}
    if not den_signs:
        return None
    num_signs = factored_signs(num, syms)
    return frozenset(a * b for a in num_signs for b in den_signs)


def _uses_free(poly: PolyElement, positive: int) -> bool:
    """Whether ``poly`` involves a generator after the first ``positive`` ones."""
    return any(any(m[positive:]) for m in poly.monoms())


def ring_signs(poly: PolyElement, positive: int) -> Signs:
    """Signs of a ring polynomial whose first ``positive`` generators are positive.

    The ring counterpart of :func:`poly_signs`: a monomial in any later generator (a
    free parameter) gives ``{-1, 0, 1}``.
    """
    if not poly:
        return frozenset({0})
    terms = poly.terms()
    if any(any(m[positive:]) for m, _ in terms):
        return _ALL
    coeffs = [c for _, c in terms]
    if all(c > 0 for c in coeffs):
        return _POS
    if all(c < 0 for c in coeffs):
        return _NEG
    return _ALL


def ring_factored_signs(poly: PolyElement, positive: int) -> tuple[Signs, str]:
    """:func:`factored_signs` for a ring polynomial, with the factored form as text."""
    return _ring_factored_signs(poly, positive)


@functools.lru_cache(maxsize=8192)
def _ring_factored_signs(poly: PolyElement, positive: int) -> tuple[Signs, str]:
    if not poly:
        return frozenset({0}), "0"
    whole = ring_signs(poly, positive)
    if whole in (_POS, _NEG) or poly.is_ground:
        return whole, f"({poly})"
    coeff, factors = poly.factor_list()
    signs = _POS if coeff > 0 else _NEG
    shown = [] if coeff == 1 else [str(coeff)]
    for base, exp in factors:
        power = frozenset(s ** int(exp) for s in ring_signs(base, positive))
        signs = frozenset(a * b for a in signs for b in power)
        shown.append(f"({base})" + (f"**{exp}" if exp != 1 else ""))
    return signs, "*".join(shown) or "1"


@functools.lru_cache(maxsize=4096)
def _param_poly(expr: sp.Expr, params: tuple[sp.Symbol, ...]) -> sp.Poly | None:
    """``expr`` as a polynomial over QQ in ``params`` (``None`` if it is not one)."""
    try:
        poly = sp.Poly(expr, *params)
    except sp.PolynomialError:
        return None
    if poly.domain not in (sp.ZZ, sp.QQ):
        return None
    return poly


def _evaluate(poly: sp.Poly, params: tuple[sp.Symbol, ...],
              values: Mapping[sp.Symbol, tuple[PolyElement, PolyElement]],
              ring: Any) -> tuple[PolyElement, PolyElement]:
    """``poly`` at ``params = n/d`` as one fraction over the common denominator."""
    if poly.is_zero:
        return ring.zero, ring.one
    degrees = poly.degree_list()
    den = ring.one
    for param, top in zip(params, degrees, strict=True):
        if top:
            den *= values[param][1] ** top
    num = ring.zero
    for monom, coeff in poly.terms():
        term = ring(coeff)
        for param, e, top in zip(params, monom, degrees, strict=True):
            n, d = values[param]
            if e:
                term *= n**e
            if top - e:
                term *= d ** (top - e)
        num += term
    return num, den


@functools.lru_cache(maxsize=4096)
def _param_fraction(expr: sp.Expr) -> tuple[sp.Expr, sp.Expr]:
    return sp.fraction(sp.together(expr))


# ---------------------------------------------------------------------- pieces
@dataclass(frozen=True)
class Piece:
    """One part of the domain written in new, strictly positive symbols.

    Attributes
    ----------
    subs : dict
        Parameter symbol -> expression in :attr:`symbols` (a parameter not yet
        constrained maps to itself: it is *free*).
    symbols : tuple of sympy.Symbol
        The new symbols, all strictly positive.
    label : str
        ``"interior"`` or the equalities and sign cases that define the piece, e.g.
        ``"R = 0"``.
    owner : dict
        Parameter symbol -> the positive symbol that carries it (``p_x``, ``d_x``, ...),
        used to solve a relation for the parameter it is written for.
    """

    subs: dict[sp.Symbol, sp.Expr]
    symbols: tuple[sp.Symbol, ...]
    label: str
    owner: dict[sp.Symbol, sp.Symbol] = field(default_factory=dict, compare=False)
    ring_values: tuple[Any, dict[sp.Symbol, tuple[PolyElement, PolyElement]]] | None = field(
        default=None, compare=False, repr=False)

    @functools.cached_property
    def _described(self) -> str:
        parts = [f"{k} = {v}" for k, v in self.subs.items() if v != k]
        return ", ".join(parts) if parts else "no substitution"

    def describe(self) -> str:
        """The substitution as text, e.g. ``"U = U0 + d_U, R = s_R/(s_R + 1)"``.

        Returns
        -------
        str
            ``"param = expression"`` for every parameter, comma-separated.

        Examples
        --------
        >>> import sympy as sp
        >>> x = sp.Symbol("x")
        >>> p = sp.Symbol("p_x", positive=True)
        >>> Piece({x: p}, (p,), "interior").describe()
        'x = p_x'
        """
        return self._described

    @property
    def free(self) -> tuple[sp.Symbol, ...]:
        """Parameters of either sign on this piece (not yet split)."""
        return tuple(k for k, v in self.subs.items() if v == k)

    @functools.cached_property
    def _ring(self) -> tuple[Any, dict[sp.Symbol, tuple[PolyElement, PolyElement]]] | None:
        if self.ring_values is not None:
            return self.ring_values
        gens = self.symbols + self.free
        if not gens:
            gens = (_ONE,)
        K = frac_field(gens, sp.QQ)[0]
        try:
            values = {k: K.from_expr(v) for k, v in self.subs.items()}
        except (CoercionFailed, ValueError):
            return None
        return K.ring, {k: (v.numer, v.denom) for k, v in values.items()}

    def fraction(self, expr: sp.Expr) -> tuple[PolyElement, PolyElement] | None:
        """``expr`` (in the parameters) on this piece as ``(numerator, denominator)``.

        Both are polynomials over QQ in the piece's positive symbols followed by its free
        parameters, over a common denominator (no cancellation: a common factor only
        multiplies both); ``None`` where ``expr`` is not a rational function with
        rational coefficients (then callers fall back to sympy expressions).

        Parameters
        ----------
        expr : sympy.Expr
            A rational function of the parameters.

        Returns
        -------
        tuple of PolyElement, or None
            Numerator and denominator.

        Examples
        --------
        >>> import sympy as sp
        >>> x = sp.Symbol("x")
        >>> s = sp.Symbol("s", positive=True)
        >>> piece = Piece({x: s / (1 + s)}, (s,), "interior")
        >>> num, den = piece.fraction(1 - x)
        >>> num, den
        (1, s + 1)
        """
        ring_values = self._ring
        if ring_values is None:
            return None
        ring, values = ring_values
        num, den = _param_fraction(sp.sympify(expr))
        params = tuple(self.subs)
        out = []
        for part in (num, den):
            poly = _param_poly(part, params)
            if poly is None:
                return None
            out.append(_evaluate(poly, params, values, ring))
        (a, b), (c, d) = out
        return a * d, b * c

    def replace(self, q: sp.Symbol, value: sp.Expr, new: sp.Symbol | None,
                label: str | None = None,
                exact: tuple[PolyElement, PolyElement] | None = None) -> Piece:
        """The piece with symbol ``q`` (positive or a free parameter) set to ``value``.

        Parameters
        ----------
        q : sympy.Symbol
            A positive symbol of the piece or a free parameter.
        value : sympy.Expr
            Its new expression.
        new : sympy.Symbol or None
            The fresh positive symbol ``value`` introduces, if any.
        label : str, optional
            The equality or sign case this adds to the piece's label.
        exact : tuple of PolyElement, optional
            ``value`` as numerator and denominator over the piece's ring with ``new``
            appended (saves converting ``value``).

        Returns
        -------
        Piece
            The narrowed piece.

        Examples
        --------
        >>> import sympy as sp
        >>> x = sp.Symbol("x")
        >>> Piece({x: x}, (), "interior").replace(x, sp.Integer(0), None, "x = 0").label
        'x = 0'
        """
        was_free = self.subs.get(q) == q
        subs = {k: (value if (was_free and k == q) else v.xreplace({q: value}))
                for k, v in self.subs.items()}
        symbols = tuple(s for s in self.symbols if s != q) + ((new,) if new is not None else ())
        owner = {}
        for k, v in self.owner.items():
            if v != q:
                owner[k] = v
            elif new is not None:
                owner[k] = new
        if was_free and new is not None:
            owner[q] = new
        labels = [x for x in (self.label, label) if x and x != "interior"]
        piece = Piece(subs, symbols, ", ".join(labels) or "interior", owner)
        old = self._ring
        if old is not None:
            ring = _ring_for(piece)
            try:
                if exact is None:
                    fr = ring.to_field().from_expr(value)
                    exact = (fr.numer, fr.denom)
                values = {k: _compose_pair(n, d, q, exact, ring) for k, (n, d) in old[1].items()}
            except (CoercionFailed, ValueError):
                return piece
            object.__setattr__(piece, "ring_values", (ring, values))
        return piece


def _ring_for(piece: Piece) -> Any:
    gens = piece.symbols + piece.free
    if not gens:
        gens = (_ONE,)
    return ring_of(gens)


@functools.lru_cache(maxsize=1024)
def ring_of(gens: tuple[sp.Symbol, ...]) -> Any:
    """The polynomial ring QQ[gens] (cached)."""
    return poly_ring(gens, sp.QQ)[0]


@functools.lru_cache(maxsize=4096)
def _index_map(old: Any, new: Any) -> tuple[int | None, ...]:
    return tuple(new.symbols.index(s) if s in new.symbols else None for s in old.symbols)


def _lift(poly: PolyElement, ring: Any) -> PolyElement:
    """``poly`` moved into ``ring`` (by generator names; a lost generator must not occur)."""
    if poly.ring == ring:
        return poly
    index = _index_map(poly.ring, ring)
    out = {}
    for monom, coeff in poly.terms():
        new = [0] * ring.ngens
        for i, e in enumerate(monom):
            if e:
                j = index[i]
                if j is None:
                    raise ValueError("generator lost")
                new[j] = e
        out[tuple(new)] = coeff
    return ring.from_dict(out) if out else ring.zero


def _compose_pair(n: PolyElement, d: PolyElement, q: sp.Symbol,
                  value: tuple[PolyElement, PolyElement], ring: Any) -> tuple[PolyElement,
                                                                               PolyElement]:
    """``n/d`` with ``q = P/Q`` substituted, over a common power of ``Q``, in ``ring``."""
    if q not in n.ring.symbols:
        return _lift(n, ring), _lift(d, ring)
    j = n.ring.symbols.index(q)
    e = max(n.degree(n.ring.gens[j]), d.degree(d.ring.gens[j]))
    if e <= 0:
        return _lift(n, ring), _lift(d, ring)
    P, Q = value
    p_pow = [ring.one]
    q_pow = [ring.one]
    for _ in range(e):
        p_pow.append(p_pow[-1] * P)
        q_pow.append(q_pow[-1] * Q)

    def compose(f: PolyElement) -> PolyElement:
        groups: dict[int, dict[tuple[int, ...], Any]] = {}
        for monom, coeff in f.terms():
            m = monom[j]
            rest = monom[:j] + (0,) + monom[j + 1:]
            groups.setdefault(m, {})[rest] = coeff
        out = ring.zero
        for m, terms in groups.items():
            part = _lift(f.ring.from_dict(terms), ring)
            out += part * p_pow[m] * q_pow[e - m]
        return out

    return compose(n), compose(d)


def _fresh(piece: Piece, prefix: str, q: sp.Symbol) -> sp.Symbol:
    """A new positive symbol named after the parameter ``q`` stands for."""
    stem = str(q).split("_", 1)[1] if "_" in str(q) and not piece.subs.get(q) == q else str(q)
    taken = {str(s) for s in piece.symbols} | {str(k) for k in piece.subs}
    name = f"{prefix}_{stem}"
    k = 2
    while name in taken:
        name = f"{prefix}{k}_{stem}"
        k += 1
    return sp.Symbol(name, positive=True)


_FLIP = {">": "<", ">=": "<=", "==": "==", "!=": "!="}


def _difference(rel: Relational) -> tuple[str, sp.Expr, sp.Expr, sp.Expr]:
    """``(kind, g, small, big)`` with ``rel`` equivalent to ``g kind 0``, ``g = big - small``.

    ``kind`` is one of ``">"``, ``">="``, ``"=="``, ``"!="``.
    """
    if isinstance(rel, sp.StrictLessThan | sp.LessThan):
        small, big = rel.lhs, rel.rhs
        kind = ">" if isinstance(rel, sp.StrictLessThan) else ">="
    elif isinstance(rel, sp.StrictGreaterThan | sp.GreaterThan):
        small, big = rel.rhs, rel.lhs
        kind = ">" if isinstance(rel, sp.StrictGreaterThan) else ">="
    elif isinstance(rel, sp.Eq | sp.Ne):
        small, big = rel.lhs, rel.rhs
        kind = "==" if isinstance(rel, sp.Eq) else "!="
    else:
        raise UnsupportedRelationError(
            f"condition {rel} ({type(rel).__name__}) is not supported: use <, <=, >, >=, ==, "
            "!=, And, Or")
    return kind, big - small, small, big


def _decide(signs: Signs | None, kind: str) -> bool | None:
    """Whether ``g kind 0`` holds everywhere (True), nowhere (False), or neither (None)."""
    if signs is None:
        return None
    holds = {">": {1}, ">=": {0, 1}, "==": {0}, "!=": {-1, 1}}[kind]
    if signs <= holds:
        return True
    if not signs & holds:
        return False
    return None


@dataclass
class _Builder:
    """Narrowing pieces relation by relation, counting them against the budget."""

    limit: int = MAX_PIECES
    notes: list[str] = field(default_factory=list)

    def check(self, pieces: list[Piece]) -> None:
        if len(pieces) > self.limit:
            raise TooManyPiecesError(
                f"covering the domain needs more than {self.limit} pieces (MAX_PIECES)")

    def narrow(self, piece: Piece, rel: Boolean) -> list[Piece]:
        """The pieces of ``piece`` where ``rel`` (over the parameters) holds."""
        if isinstance(rel, BooleanTrue) or rel is True:
            return [piece]
        if isinstance(rel, BooleanFalse) or rel is False:
            return []
        if isinstance(rel, sp.Not):
            return self.narrow(piece, to_nnf(rel, simplify=False))
        if isinstance(rel, sp.And):
            pieces = [piece]
            for arg in rel.args:
                pieces = [q for p in pieces for q in self.narrow(p, arg)]
                self.check(pieces)
            return pieces
        if isinstance(rel, sp.Or):
            out = [q for arg in rel.args for q in self.narrow(piece, arg)]
            self.check(out)
            return out
        if not isinstance(rel, Relational):
            raise UnsupportedRelationError(
                f"condition {rel!r} ({type(rel).__name__}) is not supported: use <, <=, >, "
                ">=, ==, !=, And, Or")
        kind, g, small, big = _difference(rel)
        prefer = big if isinstance(big, sp.Symbol) else (
            small if isinstance(small, sp.Symbol) else None)
        if prefer is not None:
            other = small if prefer == big else big
            text = f"{prefer} = {other}"
        else:
            text = f"{small} = {big}"
        return self.solve(piece, sp.sympify(g), kind, text, prefer)

    def solve(self, piece: Piece, gp: sp.Expr, kind: str, text: str,
              prefer: sp.Symbol | None) -> list[Piece]:
        """Narrow ``piece`` by ``gp kind 0``, ``gp`` an expression in the parameters."""
        frac = piece.fraction(gp)
        if frac is None:
            self.notes.append(f"{text}: not a rational function over QQ; used at points only")
            return [piece]
        num, den = frac
        k = len(piece.symbols)
        free = _uses_free(num, k) or _uses_free(den, k)
        den_signs = ring_factored_signs(den, k)[0] - {0}
        if not den_signs:
            self.notes.append(f"{text}: undefined on a piece; used at points only")
            return [piece]
        if not free:
            n_signs = ring_factored_signs(num, k)[0]
            verdict = _decide(frozenset(a * b for a in n_signs for b in den_signs), kind)
            if verdict is not None:
                return [piece] if verdict else []
        if kind == "!=":
            return [piece] if num else []
        if kind == "==" and den_signs not in (_POS, _NEG):
            den_signs = _POS  # num == 0 wherever the relation is defined
        if den_signs not in (_POS, _NEG):
            return self._split_denominator(piece, gp, kind, text, prefer)
        poly = num if den_signs == _POS else -num
        choice = self._pick(piece, poly, prefer)
        if choice is None:
            return self._fallback(piece, gp, poly, kind, text, prefer)
        q, a, b = choice
        return self._substitute(piece, q, a, b, kind, text)

    def _split_denominator(self, piece: Piece, gp: sp.Expr, kind: str, text: str,
                           prefer: sp.Symbol | None) -> list[Piece]:
        """``n/d > 0`` as the two cases ``d > 0, n > 0`` and ``d < 0, n < 0``."""
        num_p, den_p = sp.fraction(sp.together(gp))
        if den_p.is_number:
            self.notes.append(f"{text}: denominator of unknown sign; used at points only")
            return [piece]
        out = []
        for sign in (1, -1):
            for p in self.solve(piece, sign * den_p, ">", f"{den_p} = 0", None):
                out.extend(self.solve(p, sign * num_p, kind, text, prefer))
        self.check(out)
        return out

    def _pick(self, piece: Piece, poly: PolyElement,
              prefer: sp.Symbol | None) -> tuple[sp.Symbol, PolyElement, PolyElement] | None:
        """A symbol ``q`` with ``poly = a*q + b``, ``a`` of proven sign, best first.

        Preferred, in order: a substitution that covers the piece exactly (a free
        parameter, or a positive ``q`` whose bound is proven to lie on the right side of
        0), the symbol of the parameter the relation is written for, a symbol that
        fewer parameters depend on, a constant ``a``, then the name.
        """
        first = piece.owner.get(prefer, prefer) if prefer is not None else None
        k = len(piece.symbols)
        ring = poly.ring
        best: tuple[tuple[int, int, int, int, str], sp.Symbol, PolyElement,
                    PolyElement] | None = None
        for index, gen in enumerate(ring.gens):
            if poly.degree(gen) != 1:
                continue
            q = ring.symbols[index]
            a = poly.diff(gen)
            b = poly - a * gen
            a_signs = ring_signs(a, k)
            if a_signs not in (_POS, _NEG):
                a_signs = ring_factored_signs(a, k)[0]
            if a_signs not in (_POS, _NEG) or _uses_free(a, k):
                continue
            b_signs = ring_signs(b, k)
            root_signs = frozenset(-x * y for x in b_signs for y in a_signs)
            exact = index >= k or root_signs <= (
                _POS if a_signs == _NEG else frozenset({0, 1}))
            users = sum(1 for v in piece.subs.values() if v.has(q))
            key = (0 if exact else 1, 0 if q == first else 1, users,
                   0 if a.is_ground else 1, str(q))
            if best is None or key < best[0]:
                best = (key, q, a, b)
        return None if best is None else (best[1], best[2], best[3])

    def _substitute(self, piece: Piece, q: sp.Symbol, a: PolyElement, b: PolyElement,
                    kind: str, text: str) -> list[Piece]:
        """Solve ``a*q + b kind 0`` for ``q`` on ``piece``."""
        k = len(piece.symbols)
        root = (-b).as_expr() / a.as_expr()
        is_free = q in piece.free
        a_signs = ring_factored_signs(a, k)[0]
        upper = a_signs == _NEG
        root_signs = frozenset(-x * y for x in ring_factored_signs(b, k)[0] for y in a_signs)
        pieces: list[Piece] = []
        if kind in (">", ">="):
            if is_free:
                prefix = ("n" if upper else "p") if not b else "d"
                t = _fresh(piece, prefix, q)
                value = root - t if upper else root + t
                form = "minus" if upper else "plus"
            elif upper and root_signs == _POS:
                t = _fresh(piece, "s", q)
                value = root * t / (1 + t)
                form = "scaled"
            else:
                t = _fresh(piece, "t" if upper else "d", q)
                value = root - t if upper else root + t
                form = "minus" if upper else "plus"
            pieces.append(piece.replace(q, value, t, exact=_root_form(piece, q, a, b, t, form)))
        if kind in (">=", "=="):
            pieces.append(piece.replace(q, root, None, text,
                                        exact=_root_form(piece, q, a, b, None, "root")))
        self.check(pieces)
        return pieces

    def _fallback(self, piece: Piece, gp: sp.Expr, poly: PolyElement, kind: str, text: str,
                  prefer: sp.Symbol | None) -> list[Piece]:
        """No affine symbol: split a free parameter by sign, else keep the piece."""
        used = {poly.ring.symbols[i] for m in poly.monoms() for i, e in enumerate(m) if e}
        free = sorted(set(piece.free) & used, key=str)
        if not free:
            self.notes.append(f"{text}: no symbol to solve for; used at points only")
            return [piece]
        out = []
        for p in split_by_sign(piece, free[0]):
            out.extend(self.solve(p, gp, kind, text, prefer))
        self.check(out)
        return out


def _root_form(piece: Piece, q: sp.Symbol, a: PolyElement, b: PolyElement,
               t: sp.Symbol | None, form: str) -> tuple[PolyElement, PolyElement] | None:
    """``q = -b/a`` (``+ t``, ``- t`` or ``* t/(1 + t)``) as a fraction over the new ring."""
    symbols = tuple(s for s in piece.symbols if s != q) + ((t,) if t is not None else ())
    free = tuple(s for s in piece.free if s != q)
    ring = ring_of(symbols + free or (_ONE,))
    try:
        A, B = _lift(a, ring), _lift(b, ring)
    except ValueError:
        return None
    if form == "root":
        return -B, A
    T = ring.gens[ring.symbols.index(t)]
    if form == "plus":
        return -B + T * A, A
    if form == "minus":
        return -B - T * A, A
    return -B * T, A * (1 + T)


def split_by_sign(piece: Piece, x: sp.Symbol) -> list[Piece]:
    """The three pieces ``x = p``, ``x = 0``, ``x = -p`` of a free parameter ``x``.

    Parameters
    ----------
    piece : Piece
        A piece on which ``x`` is free.
    x : sympy.Symbol
        The parameter.

    Returns
    -------
    list of Piece
        ``x > 0``, ``x = 0`` and ``x < 0``, in that order.

    Examples
    --------
    >>> import sympy as sp
    >>> x = sp.Symbol("x")
    >>> [p.describe() for p in split_by_sign(Piece({x: x}, (), "interior"), x)]
    ['x = p_x', 'x = 0', 'x = -n_x']
    """
    p = _fresh(piece, "p", x)
    n = _fresh(piece, "n", x)
    return [piece.replace(x, p, p), piece.replace(x, sp.Integer(0), None, f"{x} = 0"),
            piece.replace(x, -n, n, f"{x} < 0")]


def _size(rel: Boolean) -> tuple[int, int]:
    return (len(rel.free_symbols), 0 if isinstance(rel, Relational) else 1)


@dataclass(frozen=True)
class Domain:
    """Parameters with the relations they satisfy.

    Parameters
    ----------
    params : Mapping[str, sympy.Symbol]
        The parameters by name.
    relations : tuple of sympy relations
        The assumptions: ``<``, ``<=``, ``>``, ``>=``, ``==``, ``!=``, ``And``, ``Or``.

    Examples
    --------
    >>> import sympy as sp
    >>> U0, U, R = sp.symbols("U0 U R")
    >>> d = Domain({"U0": U0, "U": U, "R": R},
    ...            (U0 > 0, U0 < U, sp.Le(0, R), sp.Le(R, 1)))
    >>> [p.label for p in d.pieces()]
    ['interior', 'R = 1', 'R = 0']
    >>> d.contains({"U0": 1, "U": 2, "R": 0.5})
    True
    """

    params: Mapping[str, sp.Symbol]
    relations: tuple[Boolean, ...]
    _cache: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)

    def pieces(self, given: Iterable[Boolean] = ()) -> list[Piece]:
        """Cover the domain (intersected with ``given``) by pieces of positive symbols.

        Parameters
        ----------
        given : iterable of sympy relations, optional
            Extra conditions, of the same forms as the assumptions.

        Returns
        -------
        list of Piece
            Pieces whose union contains every point of the domain where ``given`` holds;
            no parameter is left free.

        Raises
        ------
        TooManyPiecesError
            More than :data:`MAX_PIECES` pieces would be needed.
        UnsupportedRelationError
            A condition is not a relation, ``And``, ``Or``, ``true`` or ``false``.

        Examples
        --------
        >>> import sympy as sp
        >>> x = sp.Symbol("x")
        >>> [p.label for p in Domain({"x": x}, ()).pieces()]
        ['interior', 'x = 0', 'x < 0']
        """
        key = ("pieces", tuple(given))
        if key not in self._cache:
            self._cache[key] = self._build(key[1])
        return list(self._cache[key])

    def notes(self, given: Iterable[Boolean] = ()) -> tuple[str, ...]:
        """Relations the pieces could not use (they are checked at points only)."""
        key = ("pieces", tuple(given))
        self.pieces(key[1])
        return tuple(self._cache[("notes", key[1])])

    def _build(self, given: tuple[Boolean, ...]) -> list[Piece]:
        builder = _Builder()
        if given:
            pieces = self.pieces(given[:-1])
            notes = list(self._cache[("notes", given[:-1])])
            out = [q for p in pieces for q in builder.narrow(p, sp.sympify(given[-1]))]
            builder.check(out)
            self._cache[("notes", given)] = tuple(notes + builder.notes)
            return out
        start = Piece({s: s for s in self.params.values()}, (), "interior", {})
        pieces = [start]
        for rel in sorted(self.relations, key=_size):
            pieces = [q for p in pieces for q in builder.narrow(p, sp.sympify(rel))]
            builder.check(pieces)
        done: list[Piece] = []
        for p in pieces:
            todo = [p]
            for x in p.free:
                todo = [q for t in todo for q in split_by_sign(t, x)]
                builder.check(done + todo)
            done.extend(todo)
            builder.check(done)
        self._cache[("notes", given)] = tuple(builder.notes)
        return done

    # ------------------------------------------------------------------ points
    def violations(self, values: Mapping[str, object]) -> list[Boolean]:
        """The relations that do not hold (exactly) at ``values``.

        A relation that cannot be decided there (e.g. a denominator vanishes) counts as
        violated.

        Parameters
        ----------
        values : Mapping[str, number]
            A value for every parameter the relations use.

        Returns
        -------
        list
            The relations that are not true at the point.

        Examples
        --------
        >>> import sympy as sp
        >>> x = sp.Symbol("x")
        >>> Domain({"x": x}, (x > 0, sp.Ne(x, 1))).violations({"x": 1})
        [Ne(x, 1)]
        """
        subs = {self.params[k]: _exact(v) for k, v in values.items() if k in self.params}
        bad = []
        for rel in self.relations:
            try:
                truth = rel.subs(subs)
            except TypeError:  # sympy refuses to compare a non-real value (zoo, nan)
                truth = sp.false
            if truth is not sp.true:
                bad.append(rel)
        return bad

    def contains(self, values: Mapping[str, object]) -> bool:
        """Whether every relation holds at ``values`` (exactly).

        Parameters
        ----------
        values : Mapping[str, number]
            A value for every parameter.

        Returns
        -------
        bool
            True when no relation is violated.

        Examples
        --------
        >>> import sympy as sp
        >>> x = sp.Symbol("x")
        >>> Domain({"x": x}, (sp.Ge(x, 0),)).contains({"x": 0})
        True
        """
        return not self.violations(values)

    def sample(self, n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
        """Random points of the domain (rejection-filtered by every relation).

        Each piece with positive symbols gets an equal share of the ``n`` draws; its
        symbols are drawn log-normally around 1 with a wide spread (``s_`` symbols of a
        bounded interval uniformly).  Points breaking a relation (in floating point) are
        dropped, so fewer than ``n`` may come back.  Beyond :data:`MAX_PIECES` every
        parameter is drawn from a normal distribution instead.

        Parameters
        ----------
        n : int
            Number of draws.
        rng : numpy.random.Generator
            The source of randomness.

        Returns
        -------
        dict of str to numpy.ndarray
            One array per parameter, all of the same length.

        Examples
        --------
        >>> import numpy as np, sympy as sp
        >>> x = sp.Symbol("x")
        >>> pts = Domain({"x": x}, (x > 1,)).sample(100, np.random.default_rng(0))
        >>> bool((pts["x"] > 1).all())
        True
        """
        names = list(self.params)
        try:
            pieces = [p for p in self.pieces() if p.symbols] or self.pieces()[:1]
        except TooManyPiecesError:
            pieces = []
        out: dict[str, list[np.ndarray]] = {k: [] for k in names}
        if not pieces:
            for k in names:
                out[k].append(rng.normal(0.0, 3.0, size=n))
        for piece, m in zip(pieces, _shares(n, len(pieces)), strict=True):
            draws = {}
            for s in piece.symbols:
                if str(s).startswith("s_"):
                    u = rng.uniform(0.0, 1.0, size=m)
                    draws[s] = u / (1.0 - u)
                else:
                    draws[s] = np.exp(rng.normal(0.0, 1.5, size=m))
            for name in names:
                expr = piece.subs[self.params[name]]
                f = sp.lambdify(piece.symbols, expr, "numpy")
                with np.errstate(all="ignore"):
                    value = f(*(draws[s] for s in piece.symbols))
                out[name].append(np.broadcast_to(np.asarray(value, dtype=float), (m,)).copy())
        pts = {k: np.concatenate(v) for k, v in out.items()}
        keep = np.ones(pts[names[0]].shape, dtype=bool) if names else np.ones(0, dtype=bool)
        for rel in self.relations:
            f = sp.lambdify([self.params[k] for k in names], rel, "numpy")
            with np.errstate(all="ignore"):
                keep &= np.asarray(f(*(pts[k] for k in names)), dtype=bool)
        for k in names:
            keep &= np.isfinite(pts[k])
        return {k: v[keep] for k, v in pts.items()}


def _shares(n: int, k: int) -> list[int]:
    return [n // k + (1 if i < n % k else 0) for i in range(k)]


def _exact(value: object) -> sp.Expr:
    if isinstance(value, sp.Basic):
        return value  # type: ignore[return-value]  # sympy numbers are Expr
    if isinstance(value, Fraction):
        return sp.Rational(value.numerator, value.denominator)
    if isinstance(value, int | np.integer):
        return sp.Integer(int(value))
    f = Fraction(float(value))  # type: ignore[arg-type]  # numbers.Real, checked by callers
    return sp.Rational(f.numerator, f.denominator)

