"""The parameter domain of a game: its assumptions, reparametrised for sign proofs.

A game's assumptions are sympy relationals over its parameters.  For proofs the domain is
covered by *pieces*: substitutions that write every parameter in terms of new, strictly
positive symbols, so that a polynomial whose expanded coefficients all share one sign has
that sign everywhere on the piece.  The recognised shapes are

* ``x > 0`` (or ``x >= 0``, with the boundary ``x = 0`` as its own piece): ``x`` stays a
  positive symbol;
* ``0 <= x <= 1``: ``x = s/(1 + s)`` on the interior, plus the pieces ``x = 0`` and
  ``x = 1`` where those ends are included;
* orderings ``a < b`` between positive parameters: ``b = a + d`` with ``d > 0`` (chains such
  as ``U0 < U < U1`` become ``U = U0 + d1``, ``U1 = U0 + d1 + d2``);
* extra conditions ``x < expr`` or ``x > expr`` (the ``given`` of a comparative static):
  ``x = expr * t/(1 + t)`` or ``x = expr + t``.

Assumptions of any other shape are still checked at numeric points; a proof that ignores
them is a proof over a larger set, hence still sound.  A piece therefore always covers a
superset of (its part of) the domain.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
import sympy as sp
from sympy.core.relational import Relational

__all__ = ["Domain", "Piece"]


@dataclass(frozen=True)
class Piece:
    """One part of the domain written in new positive symbols.

    Attributes
    ----------
    subs : dict
        Parameter symbol -> expression in the positive symbols of ``symbols``.
    symbols : tuple of sympy.Symbol
        The new symbols, all strictly positive.
    label : str
        Human-readable description, e.g. ``"interior"`` or ``"R = 1"``.
    """

    subs: dict[sp.Symbol, sp.Expr]
    symbols: tuple[sp.Symbol, ...]
    label: str

    def describe(self) -> str:
        """The substitution as text, e.g. ``"U = U0 + d_U, R = s_R/(s_R + 1)"``."""
        parts = [f"{k} = {v}" for k, v in self.subs.items() if v != k]
        return ", ".join(parts) if parts else "no substitution"


def _normalise(rel: Relational) -> tuple[sp.Expr, sp.Expr, bool]:
    """Return ``(small, big, strict)`` with ``small < big`` (or ``<=``)."""
    if isinstance(rel, sp.StrictLessThan | sp.LessThan):
        return rel.lhs, rel.rhs, isinstance(rel, sp.StrictLessThan)
    if isinstance(rel, sp.StrictGreaterThan | sp.GreaterThan):
        return rel.rhs, rel.lhs, isinstance(rel, sp.StrictGreaterThan)
    raise TypeError(f"unsupported relation {rel!r}")


@dataclass(frozen=True)
class Domain:
    """Parameters with the relations they satisfy.

    >>> import sympy as sp
    >>> U0, U, R = sp.symbols("U0 U R")
    >>> d = Domain({"U0": U0, "U": U, "R": R},
    ...            (U0 > 0, U0 < U, sp.Le(0, R), sp.Le(R, 1)))
    >>> [p.label for p in d.pieces()]
    ['interior', 'R = 0', 'R = 1']
    >>> d.contains({"U0": 1, "U": 2, "R": 0.5})
    True
    """

    params: Mapping[str, sp.Symbol]
    relations: tuple[Relational, ...]
    _cache: dict = field(default_factory=dict, compare=False, repr=False)

    # ------------------------------------------------------------------ structure
    def _structure(self) -> dict:
        if "structure" in self._cache:
            return self._cache["structure"]
        symbols = set(self.params.values())
        positive: set[sp.Symbol] = set()
        nonnegative: set[sp.Symbol] = set()
        upper_one: dict[sp.Symbol, bool] = {}  # symbol -> strict
        lower_zero: dict[sp.Symbol, bool] = {}
        below: dict[sp.Symbol, sp.Symbol] = {}  # b -> a for a < b
        for rel in self.relations:
            if not isinstance(rel, sp.StrictLessThan | sp.LessThan | sp.StrictGreaterThan
                              | sp.GreaterThan):
                continue  # checked at points only
            small, big, strict = _normalise(rel)
            if small == 0 and big in symbols:
                lower_zero[big] = strict
            elif big == 1 and small in symbols:
                upper_one[small] = strict
            elif small in symbols and big in symbols and strict and big not in below:
                below[big] = small
        for sym, strict in lower_zero.items():
            (positive if strict else nonnegative).add(sym)
        unit = {s for s in upper_one if s in lower_zero}
        self._cache["structure"] = {
            "positive": positive,
            "nonnegative": nonnegative - unit,
            "unit": unit,
            "upper_one": upper_one,
            "lower_zero": lower_zero,
            "below": below,
        }
        return self._cache["structure"]

    def pieces(self, given: Iterable[Relational] = ()) -> list[Piece]:
        """Cover the domain (intersected with ``given``) by pieces of positive symbols."""
        given = tuple(given)
        key = ("pieces", given)
        if key not in self._cache:
            self._cache[key] = self._pieces(given)
        return list(self._cache[key])

    def _pieces(self, given: tuple[Relational, ...]) -> list[Piece]:
        st = self._structure()
        unit = sorted(st["unit"], key=str)
        base: dict[sp.Symbol, sp.Expr] = {}
        new_symbols: list[sp.Symbol] = []

        def resolve(sym: sp.Symbol, seen: tuple = ()) -> sp.Expr:
            if sym in base:
                return base[sym]
            if sym in st["below"] and sym not in seen and sym not in unit:
                lower = st["below"][sym]
                d = sp.Symbol(f"d_{sym}", positive=True)
                new_symbols.append(d)
                base[sym] = resolve(lower, (*seen, sym)) + d
            elif sym in st["positive"] or sym in st["nonnegative"]:
                p = sp.Symbol(f"p_{sym}", positive=True)
                new_symbols.append(p)
                base[sym] = p
            else:
                base[sym] = sym  # unconstrained: proofs over it fail, soundly
            return base[sym]

        for name in sorted(self.params):
            sym = self.params[name]
            if sym not in unit:
                resolve(sym)
        choices = []
        for sym in unit:
            s = sp.Symbol(f"s_{sym}", positive=True)
            options: list[tuple[str, sp.Expr, tuple[sp.Symbol, ...]]] = [
                ("interior", s / (1 + s), (s,))
            ]
            if not st["lower_zero"][sym]:
                options.append((f"{sym} = 0", sp.Integer(0), ()))
            if not st["upper_one"][sym]:
                options.append((f"{sym} = 1", sp.Integer(1), ()))
            choices.append([(sym, *o) for o in options])
        pieces = []
        for combo in itertools.product(*choices) if choices else [()]:
            subs = dict(base)
            syms = list(new_symbols)
            labels = []
            for sym, label, value, extra in combo:
                subs[sym] = value
                syms.extend(extra)
                if label != "interior":
                    labels.append(label)
            subs = {k: sp.sympify(v) for k, v in subs.items()}
            for k in list(subs):
                subs[k] = subs[k].subs({u: subs[u] for u in unit if u in subs})
            piece = Piece(subs, tuple(syms), ", ".join(labels) or "interior")
            narrowed: Piece | None = piece
            for rel in given:
                if narrowed is not None:
                    narrowed = _apply_given(narrowed, rel)
            if narrowed is not None:
                pieces.append(narrowed)
        return pieces

    # ------------------------------------------------------------------ points
    def violations(self, values: Mapping[str, object]) -> list[Relational]:
        """The relations that do not hold (exactly) at ``values``."""
        subs = {self.params[k]: _exact(v) for k, v in values.items() if k in self.params}
        bad = []
        for rel in self.relations:
            truth = rel.subs(subs)
            if truth is sp.false or truth == False:  # noqa: E712 (sympy truth values)
                bad.append(rel)
        return bad

    def contains(self, values: Mapping[str, object]) -> bool:
        """Whether every relation holds at ``values``."""
        return not self.violations(values)

    def sample(self, n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
        """``n`` random points of the domain (rejection-filtered by every relation).

        Positive symbols of the interior piece are drawn log-normally around 1 with a wide
        spread, unit-interval parameters uniformly; points breaking any relation are
        dropped, so fewer than ``n`` may come back.
        """
        piece = self.pieces()[0]
        draws = {s: np.exp(rng.normal(0.0, 1.5, size=n)) for s in piece.symbols}
        for s in piece.symbols:
            if str(s).startswith("s_"):
                u = rng.uniform(0.0, 1.0, size=n)
                draws[s] = u / (1.0 - u)
        out: dict[str, np.ndarray] = {}
        for name, sym in self.params.items():
            expr = piece.subs.get(sym, sym)
            if expr.free_symbols - set(piece.symbols):
                out[name] = rng.normal(0.0, 3.0, size=n)
                continue
            f = sp.lambdify(piece.symbols, expr, "numpy")
            out[name] = np.broadcast_to(np.asarray(f(*(draws[s] for s in piece.symbols)),
                                                  dtype=float), (n,)).copy()
        keep = np.ones(n, dtype=bool)
        for rel in self.relations:
            f = sp.lambdify(list(self.params.values()), rel, "numpy")
            keep &= np.asarray(f(*(out[k] for k in self.params)), dtype=bool)
        return {k: v[keep] for k, v in out.items()}


def _exact(value: object) -> sp.Expr:
    if isinstance(value, sp.Basic):
        return value  # type: ignore[return-value]
    if isinstance(value, Fraction):
        return sp.Rational(value.numerator, value.denominator)
    if isinstance(value, int | np.integer):
        return sp.Integer(int(value))
    f = Fraction(float(value))  # type: ignore[arg-type]
    return sp.Rational(f.numerator, f.denominator)


def _empty_bound(bound: sp.Expr, symbols: tuple[sp.Symbol, ...]) -> bool:
    """Whether ``bound`` (in positive ``symbols``) is provably <= 0 on the piece."""
    num, den = sp.fraction(sp.cancel(sp.together(bound)))
    if sp.expand(num) == 0:
        return True
    expanded = [sp.expand(num), sp.expand(den)]
    if any(e.free_symbols - set(symbols) for e in expanded):
        return False
    signs = []
    for e in expanded:
        coeffs = sp.Poly(e, *symbols).coeffs() if symbols else [e]
        if all(c > 0 for c in coeffs):
            signs.append(1)
        elif all(c < 0 for c in coeffs):
            signs.append(-1)
        else:
            return False
    return signs[0] * signs[1] < 0


def _apply_given(piece: Piece, rel: Relational) -> Piece | None:
    """Narrow a piece by ``x < expr`` or ``x > expr`` (``x`` a parameter symbol).

    Returns ``None`` where the piece is provably empty (an upper bound ``expr <= 0`` for a
    parameter that is positive).
    """
    small, big, _strict = _normalise(rel)
    if isinstance(small, sp.Symbol) and small in piece.subs and small not in big.free_symbols:
        target, bound, upper = small, big, True
    elif isinstance(big, sp.Symbol) and big in piece.subs and big not in small.free_symbols:
        target, bound, upper = big, small, False
    else:
        return piece  # unrecognised shape: keep the larger piece (sound)
    t = sp.Symbol(f"t_{target}", positive=True)
    bound_sub = bound.subs(piece.subs)
    if upper and _empty_bound(bound_sub, piece.symbols):
        return None
    value = bound_sub * t / (1 + t) if upper else bound_sub + t
    subs = dict(piece.subs)
    subs[target] = value
    label = piece.label if piece.label != "interior" else ""
    extra = f"{target} = ({bound})*t/(1 + t)" if upper else f"{target} = {bound} + t"
    return Piece(subs, (*piece.symbols, t), ", ".join(x for x in (label, extra) if x))
