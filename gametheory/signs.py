"""Signs of rational functions over a game's domain, proven or refuted.

A sign is *proven* only by an argument that sampling cannot fake: on every piece of the
domain (see :mod:`gametheory.domain`) the expression is written in strictly positive
symbols, its numerator and denominator are factored, and each factor is expanded; a factor
whose coefficients all share one sign has that sign everywhere on the piece.  Otherwise the
sign is refuted by *exact* witnesses -- rational points inside the assumptions where the
expression takes each sign, checked with exact arithmetic -- and reported as ``"depends"``;
failing both, ``"unknown"``.

>>> import sympy as sp
>>> from gametheory.domain import Domain
>>> a, b = sp.symbols("a b")
>>> dom = Domain({"a": a, "b": b}, (a > 0, a < b))
>>> prove_sign((b - a) / (a + b), dom).sign
'positive'
>>> prove_sign(a - 1, dom).sign
'depends'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
import sympy as sp
from sympy.core.relational import Relational

from gametheory.coefficient_signs import rational_signs, ring_factored_signs
from gametheory.covering import TooManyPiecesError
from gametheory.domain import Domain
from gametheory.pieces import Piece

__all__ = ["SIGN_NAMES", "SignResult", "prove_sign"]

#: Sign names by the set of values {-1, 0, 1} the expression can take.
SIGN_NAMES = {
    frozenset({1}): "positive",
    frozenset({-1}): "negative",
    frozenset({0}): "zero",
    frozenset({0, 1}): "nonnegative",
    frozenset({0, -1}): "nonpositive",
}
_ALL = frozenset({-1, 0, 1})
Signs = frozenset[int]


@dataclass(frozen=True)
class SignResult:
    """The sign of an expression over a domain, with its justification.

    Attributes
    ----------
    sign : str
        ``positive``, ``negative``, ``nonnegative``, ``nonpositive``, ``zero``,
        ``depends`` or ``unknown``.
    proof : tuple of str
        The steps of the proof (for a definite sign), else what was tried.
    witnesses : dict
        For ``depends``: ``{"positive": point, "negative": point}`` (and ``"zero"`` where
        found), each point a dict of exact rationals inside the assumptions.
    condition : dict
        For ``depends``: ``{"positive": relation, "negative": relation}`` in the original
        parameters, built from the factors whose sign is not fixed.
    """

    sign: str
    proof: tuple[str, ...] = ()
    witnesses: dict[str, dict[str, sp.Rational]] = field(default_factory=dict)
    condition: dict[str, sp.Basic] = field(default_factory=dict)

    @property
    def proven(self) -> bool:
        """Whether the sign is definite and proven."""
        return self.sign not in ("depends", "unknown")


def _piece_signs(num: sp.Expr, den: sp.Expr, piece: Piece) -> tuple[Signs | None, str]:
    """Signs of ``num/den`` on a piece.

    Numerator and denominator are substituted separately (as fractions over QQ in the piece's
    symbols), so no cancellation of the whole fraction is needed.
    """
    top, bottom = piece.fraction(num), piece.fraction(den)
    if top is None or bottom is None:
        return _sympy_piece_signs(num, den, piece)
    k = len(piece.symbols)
    (nn, nd), (dn, dd) = top, bottom
    d_signs, d_text = ring_factored_signs(dn, k)
    d_signs = d_signs - {0}  # the expression is defined only where den != 0
    if not d_signs:
        return None, f"on {piece.label}: undefined (the denominator vanishes); piece skipped"
    n_signs, n_text = ring_factored_signs(nn, k)
    signs = n_signs
    for other in (d_signs, ring_factored_signs(nd, k)[0] - {0},
                  ring_factored_signs(dd, k)[0] - {0}):
        signs = frozenset(a * b for a in signs for b in other)
    name = SIGN_NAMES.get(signs, "not fixed by coefficient signs")
    step = (f"on {piece.label} ({piece.describe()}): numerator {n_text}, denominator "
            f"{d_text} (over the substitution's denominators): {name}")
    return signs, step


def _sympy_piece_signs(num: sp.Expr, den: sp.Expr, piece: Piece) -> tuple[Signs | None, str]:
    """:func:`_piece_signs` through sympy expressions (for irrational coefficients)."""
    n_sub = sp.together(num.subs(piece.subs))
    d_sub = sp.together(den.subs(piece.subs))
    d_signs = rational_signs(d_sub, piece.symbols)
    if d_signs is not None:
        d_signs = d_signs - {0}
    if not d_signs:
        return None, f"on {piece.label}: undefined (the denominator vanishes); piece skipped"
    n_signs = rational_signs(n_sub, piece.symbols)
    signs = _ALL if n_signs is None else frozenset(a * b for a in n_signs for b in d_signs)
    name = SIGN_NAMES.get(signs, "not fixed by coefficient signs")
    step = f"on {piece.label} ({piece.describe()}): ({n_sub}) / ({d_sub}) is {name}"
    return signs, step


def _point_value(expr: sp.Expr, params: Mapping[str, sp.Symbol],
                 point: Mapping[str, sp.Rational]) -> sp.Expr:
    """``expr`` at ``point``, exactly; every parameter replaced at once.

    Sequential substitution could cancel a vanishing denominator first (``(a - b)/(1 - b)``
    at ``a = 1`` is ``1``, then ``b = 1`` keeps it): a simultaneous one gives ``nan`` or
    ``zoo`` there, which is no witness.
    """
    return sp.simplify(expr.xreplace({params[k]: v for k, v in point.items()}))


def _find_witnesses(
    expr: sp.Expr, domain: Domain, given: tuple[Relational, ...], *, n: int, seed: int
) -> dict[str, dict[str, sp.Rational]]:
    """Exact rational points inside the domain (and ``given``) with each sign of ``expr``."""
    params = dict(domain.params)
    full = Domain(params, domain.relations + tuple(given))
    rng = np.random.default_rng(seed)
    pts = full.sample(n, rng)
    if not pts or len(next(iter(pts.values()))) == 0:
        return {}
    names = list(params)
    f = sp.lambdify([params[k] for k in names], expr, "numpy")
    with np.errstate(all="ignore"):
        vals = np.broadcast_to(np.asarray(f(*(pts[k] for k in names)), dtype=float),
                               pts[names[0]].shape)
    out: dict[str, dict[str, sp.Rational]] = {}
    for label, mask in (("positive", vals > 0), ("negative", vals < 0)):
        for idx in np.flatnonzero(mask)[:20]:
            for denom in (10, 100, 10_000):
                point = {}
                for k in names:
                    fr = Fraction(float(pts[k][idx])).limit_denominator(denom)
                    point[k] = sp.Rational(fr.numerator, fr.denominator)
                if not full.contains(point):
                    continue
                value = _point_value(expr, params, point)
                if value.is_real is not True:  # undefined there (nan, zoo) or not real
                    continue
                if (value > 0) if label == "positive" else (value < 0):
                    out[label] = point
                    break
            if label in out:
                break
    return out


def _condition(
    expr: sp.Expr, domain: Domain, given: tuple[Relational, ...]
) -> dict[str, sp.Basic]:
    """``{"positive": rel, "negative": rel}`` from the factors whose sign is not fixed."""
    num, den = sp.fraction(sp.factor(sp.together(expr)))
    sign = 1
    free: list[sp.Expr] = []
    for part, power in ((num, 1), (den, -1)):
        coeff, factors = sp.factor_list(part)
        sign *= int(sp.sign(coeff))
        for base, exp in factors:
            s = prove_sign(base, domain, given=given, _witness_search=False).sign
            if s == "positive" or (exp % 2 == 0 and s != "zero"):
                continue
            if s == "negative":
                sign *= (-1) ** exp
                continue
            free.append(base**exp if power == 1 else base ** (-exp))
    core = sp.Mul(*free) * sign
    if not free:
        core = sp.Integer(sign)
    return {"positive": sp.StrictGreaterThan(core, 0), "negative": sp.StrictLessThan(core, 0)}


def prove_sign(
    expr: sp.Expr,
    domain: Domain,
    *,
    given: Iterable[Relational] = (),
    samples: int = 4000,
    seed: int = 20240325,
    _witness_search: bool = True,
) -> SignResult:
    """The sign of ``expr`` over ``domain`` (narrowed by ``given``), proven or refuted.

    Parameters
    ----------
    expr : sympy.Expr
        A rational function of the domain's parameters.
    domain : Domain
        Parameters and assumptions.
    given : iterable of relations, optional
        Extra conditions of the shape ``x < expr`` or ``x > expr``.
    samples, seed : int
        Size and seed of the random search for witnesses (used only to *find* candidate
        points; every witness is then checked exactly).
    """
    given = tuple(given)
    expr = sp.sympify(expr)
    key = ("sign", expr, given, _witness_search, samples, seed)
    if key in domain._cache:
        cached: SignResult = domain._cache[key]
        return cached
    result = _prove_sign(expr, domain, given, samples, seed, _witness_search)
    domain._cache[key] = result
    return result


def _prove_sign(
    expr: sp.Expr,
    domain: Domain,
    given: tuple[Relational, ...],
    samples: int,
    seed: int,
    _witness_search: bool,
) -> SignResult:
    steps: list[str] = []
    union: set[int] = set()
    decided = True
    num, den = sp.fraction(sp.together(expr))
    try:
        pieces = domain.pieces(given)
    except TooManyPiecesError as exc:
        return SignResult("unknown", (f"no proof: {exc}",))
    steps.extend(f"not used in the proof (checked at points only): {n}"
                 for n in domain.notes(given))
    for piece in pieces:
        signs, step = _piece_signs(num, den, piece)
        steps.append(step)
        if signs is None:
            continue
        union |= signs
        if signs == _ALL:
            decided = False
    if decided and frozenset(union) in SIGN_NAMES:
        return SignResult(SIGN_NAMES[frozenset(union)], tuple(steps))
    if not _witness_search:
        return SignResult("unknown", tuple(steps))
    witnesses = _find_witnesses(expr, domain, given, n=samples, seed=seed)
    if "positive" in witnesses and "negative" in witnesses:
        return SignResult("depends", tuple(steps), witnesses, _condition(expr, domain, given))
    steps.append(
        "no proof from coefficient signs, and the exact witness search found only "
        + (", ".join(witnesses) or "no") + " values"
    )
    return SignResult("unknown", tuple(steps), witnesses)
