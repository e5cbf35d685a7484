"""The parameter domain of a game: its relations, covered by pieces, and its points.

A :class:`Domain` holds a game's parameters and assumptions.  For proofs it is covered by
pieces of strictly positive symbols (:mod:`gametheory.pieces`, built relation by relation
by :mod:`gametheory.covering`, whose docstring states the rule); for numbers it checks
points exactly and draws random points inside the assumptions.

>>> import sympy as sp
>>> x, y = sp.symbols("x y")
>>> d = Domain({"x": x, "y": y}, (sp.Ge(x, 0), y > x))
>>> [(p.label, p.describe()) for p in d.pieces()]
[('interior', 'x = p_x, y = d_y + p_x'), ('x = 0', 'x = 0, y = p_y')]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np
import sympy as sp
from sympy.core.relational import Relational
from sympy.logic.boolalg import Boolean

from gametheory.coefficient_signs import factored_signs, poly_signs, rational_signs
from gametheory.covering import (
    MAX_PIECES,
    PieceBuilder,
    TooManyPiecesError,
    UnsupportedRelationError,
)
from gametheory.pieces import Piece, split_by_sign

# The pieces, the covering and the coefficient signs were part of this module; their
# names stay importable from here.
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
        builder = PieceBuilder()
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
        return value  # sympy numbers are Expr
    if isinstance(value, Fraction):
        return sp.Rational(value.numerator, value.denominator)
    if isinstance(value, int | np.integer):
        return sp.Integer(int(value))
    f = Fraction(float(value))  # type: ignore[arg-type]  # numbers.Real, checked by callers
    return sp.Rational(f.numerator, f.denominator)

