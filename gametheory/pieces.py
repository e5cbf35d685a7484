"""Pieces of a game's domain: every parameter written through strictly positive symbols.

A :class:`Piece` is a substitution ``parameter -> expression in new positive symbols``
(``U = U0 + d_U``, ``R = s_R/(s_R + 1)``); a parameter not yet constrained is *free* and
maps to itself.  Each piece carries its substitution also as fractions of polynomials over
QQ (sympy's sparse ``PolyElement`` rings), so that an expression in the parameters becomes
a numerator and denominator in the positive symbols without going through sympy
expressions.  How the pieces are cut out of the domain is :mod:`gametheory.covering`.

>>> import sympy as sp
>>> x = sp.Symbol("x")
>>> [p.describe() for p in split_by_sign(Piece({x: x}, (), "interior"), x)]
['x = p_x', 'x = 0', 'x = -n_x']
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import sympy as sp
from sympy.polys.fields import field as frac_field
from sympy.polys.polyerrors import CoercionFailed
from sympy.polys.rings import PolyElement
from sympy.polys.rings import ring as poly_ring

__all__ = ["ONE", "Piece", "fresh_symbol", "ring_of", "root_form", "split_by_sign"]

#: The generator of the ring of a piece without symbols (a ring needs one).
ONE = sp.Dummy("one", positive=True)


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
    num, den = sp.fraction(sp.together(expr))
    return num, den


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
            gens = (ONE,)
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
        gens = (ONE,)
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
            rest = (*monom[:j], 0, *monom[j + 1:])
            groups.setdefault(m, {})[rest] = coeff
        out = ring.zero
        for m, terms in groups.items():
            part = _lift(f.ring.from_dict(terms), ring)
            out += part * p_pow[m] * q_pow[e - m]
        return out

    return compose(n), compose(d)


def fresh_symbol(piece: Piece, prefix: str, q: sp.Symbol) -> sp.Symbol:
    """A new positive symbol named after the parameter ``q`` stands for."""
    stem = str(q).split("_", 1)[1] if "_" in str(q) and not piece.subs.get(q) == q else str(q)
    taken = {str(s) for s in piece.symbols} | {str(k) for k in piece.subs}
    name = f"{prefix}_{stem}"
    k = 2
    while name in taken:
        name = f"{prefix}{k}_{stem}"
        k += 1
    return sp.Symbol(name, positive=True)


def root_form(piece: Piece, q: sp.Symbol, a: PolyElement, b: PolyElement,
               t: sp.Symbol | None, form: str) -> tuple[PolyElement, PolyElement] | None:
    """``q = -b/a`` (``+ t``, ``- t`` or ``* t/(1 + t)``) as a fraction over the new ring."""
    symbols = tuple(s for s in piece.symbols if s != q) + ((t,) if t is not None else ())
    free = tuple(s for s in piece.free if s != q)
    ring = ring_of(symbols + free or (ONE,))
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
    p = fresh_symbol(piece, "p", x)
    n = fresh_symbol(piece, "n", x)
    return [piece.replace(x, p, p), piece.replace(x, sp.Integer(0), None, f"{x} = 0"),
            piece.replace(x, -n, n, f"{x} < 0")]
