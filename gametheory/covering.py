"""Covering a game's domain by pieces, relation by relation.

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
>>> b = PieceBuilder()
>>> start = Piece({x: x, y: y}, (), "interior")
>>> [p.describe() for p in b.narrow(start, sp.And(sp.Ge(x, 0), y > x))]
['x = p_x, y = d_y + p_x', 'x = 0, y = p_y']
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp
from sympy.core.relational import Relational
from sympy.logic.boolalg import Boolean, BooleanFalse, BooleanTrue, to_nnf
from sympy.polys.rings import PolyElement

from gametheory.coefficient_signs import (
    NEGATIVE,
    POSITIVE,
    Signs,
    ring_factored_signs,
    ring_signs,
    uses_free,
)
from gametheory.errors import GameError
from gametheory.pieces import Piece, fresh_symbol, root_form, split_by_sign

__all__ = ["MAX_PIECES", "PieceBuilder", "TooManyPiecesError", "UnsupportedRelationError"]

#: Largest number of pieces a domain is covered by; beyond it proofs answer ``unknown``.
MAX_PIECES = 512


class UnsupportedRelationError(GameError):
    """A condition that is not a relation, ``And``, ``Or``, ``true`` or ``false``."""


class TooManyPiecesError(GameError):
    """Covering the domain would need more than :data:`MAX_PIECES` pieces."""


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
class PieceBuilder:
    """Narrowing pieces relation by relation, counting them against the budget."""

    limit: int = MAX_PIECES
    notes: list[str] = field(default_factory=list)

    def check(self, pieces: list[Piece]) -> None:
        """Refuse more than :attr:`limit` pieces (TooManyPiecesError)."""
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

    def solve(self, piece: Piece, gp: sp.Expr, kind: str, text: str,  # noqa: PLR0911 one return per case
              prefer: sp.Symbol | None) -> list[Piece]:
        """Narrow ``piece`` by ``gp kind 0``, ``gp`` an expression in the parameters."""
        frac = piece.fraction(gp)
        if frac is None:
            self.notes.append(f"{text}: not a rational function over QQ; used at points only")
            return [piece]
        num, den = frac
        k = len(piece.symbols)
        free = uses_free(num, k) or uses_free(den, k)
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
        if kind == "==" and den_signs not in (POSITIVE, NEGATIVE):
            den_signs = POSITIVE  # num == 0 wherever the relation is defined
        if den_signs not in (POSITIVE, NEGATIVE):
            return self._split_denominator(piece, gp, kind, text, prefer)
        poly = num if den_signs == POSITIVE else -num
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
            if a_signs not in (POSITIVE, NEGATIVE):
                a_signs = ring_factored_signs(a, k)[0]
            if a_signs not in (POSITIVE, NEGATIVE) or uses_free(a, k):
                continue
            b_signs = ring_signs(b, k)
            root_signs = frozenset(-x * y for x in b_signs for y in a_signs)
            exact = index >= k or root_signs <= (
                POSITIVE if a_signs == NEGATIVE else frozenset({0, 1}))
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
        upper = a_signs == NEGATIVE
        root_signs = frozenset(-x * y for x in ring_factored_signs(b, k)[0] for y in a_signs)
        pieces: list[Piece] = []
        if kind in (">", ">="):
            if is_free:
                prefix = ("n" if upper else "p") if not b else "d"
                t = fresh_symbol(piece, prefix, q)
                value = root - t if upper else root + t
                form = "minus" if upper else "plus"
            elif upper and root_signs == POSITIVE:
                t = fresh_symbol(piece, "s", q)
                value = root * t / (1 + t)
                form = "scaled"
            else:
                t = fresh_symbol(piece, "t" if upper else "d", q)
                value = root - t if upper else root + t
                form = "minus" if upper else "plus"
            pieces.append(piece.replace(q, value, t, exact=root_form(piece, q, a, b, t, form)))
        if kind in (">=", "=="):
            pieces.append(piece.replace(q, root, None, text,
                                        exact=root_form(piece, q, a, b, None, "root")))
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
