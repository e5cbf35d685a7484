"""Comparative statics: derivatives of equilibrium strategies with proven signs."""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp

from gametheory.conditions import solve_relation
from gametheory.domain import Domain, TooManyPiecesError
from gametheory.errors import GameParameterError
from gametheory.signs import prove_sign

__all__ = ["Statics", "comparative_statics"]


@dataclass(frozen=True)
class Statics:
    """The derivative of an equilibrium quantity and its sign.

    Attributes
    ----------
    of, wrt : str
        The quantity (e.g. ``"Y"``) and the parameter (e.g. ``"U"``).
    expression : sympy.Expr
        The quantity itself (e.g. Y*).
    derivative : sympy.Expr
        ``d(of)/d(wrt)``, factored.
    sign : str
        ``positive``, ``negative``, ``nonnegative``, ``nonpositive``, ``zero`` (each
        *proven*, see :attr:`proof`), ``depends`` or ``unknown``.
    proof : tuple of str
        The steps: the reparametrisation of each piece of the domain and the sign of the
        factored numerator and denominator there.
    condition : dict
        For ``depends``: ``{"positive": relation, "negative": relation}``.
    counterexample : dict or None
        For ``depends``: an exact point inside the assumptions where the derivative is
        negative (a counterexample to "positive"); :attr:`witnesses` has one of each sign.
    witnesses : dict
        For ``depends``: an exact point of each sign, by sign.
    given : tuple
        Extra conditions assumed (e.g. the mixed equilibrium's existence condition).

    Examples
    --------
    >>> from gametheory import models
    >>> s = models.monitoring_game().statics("Y", "R")
    >>> s.of, s.wrt, s.sign, s.proven
    ('Y', 'R', 'positive', True)
    """

    of: str
    wrt: str
    expression: sp.Expr
    derivative: sp.Expr
    sign: str
    proof: tuple[str, ...] = ()
    condition: dict[str, sp.Basic] = field(default_factory=dict)
    counterexample: dict[str, sp.Rational] | None = None
    witnesses: dict[str, dict[str, sp.Rational]] = field(default_factory=dict)
    given: tuple[sp.Basic, ...] = ()

    @property
    def proven(self) -> bool:
        """Whether the sign is definite and proven."""
        return self.sign not in ("depends", "unknown")

    def to_dict(self) -> dict[str, object]:
        """Plain-text fields, e.g. for JSON output.

        Returns
        -------
        dict of str to object
            ``of``, ``wrt``, ``expression``, ``derivative``, ``sign``, ``proof``, ``condition``,
            ``counterexample`` and ``given``, as strings and lists.

        Examples
        --------
        >>> from gametheory import models
        >>> list(models.monitoring_game().statics("Y", "R").to_dict())[:5]
        ['of', 'wrt', 'expression', 'derivative', 'sign']
        """
        return {
            "of": self.of,
            "wrt": self.wrt,
            "expression": str(self.expression),
            "derivative": str(self.derivative),
            "sign": self.sign,
            "proof": list(self.proof),
            "condition": {k: str(v) for k, v in self.condition.items()},
            "counterexample": (None if self.counterexample is None
                               else {k: str(v) for k, v in self.counterexample.items()}),
            "given": [str(g) for g in self.given],
        }

    def _repr_latex_(self) -> str:
        d = sp.latex(self.derivative)
        return (f"$\\frac{{\\partial {self.of}}}{{\\partial {self.wrt}}} = {d}"
                f"\\quad (\\text{{{self.sign}}})$")


def _check_given_leaves_a_point(domain: Domain, given: tuple[sp.Basic, ...]) -> None:
    """Refuse a ``given`` that contradicts the assumptions.

    The domain's pieces cover every point, so no piece left means no point: any sign would
    hold vacuously.
    """
    if not given:
        return
    try:
        empty = not domain.pieces(given)
    except TooManyPiecesError:
        return
    if empty:
        raise GameParameterError(
            "given", ", ".join(str(g) for g in given),
            "contradicts the game's assumptions: no parameter point satisfies both")


def comparative_statics(
    of: str,
    expression: sp.Expr,
    wrt: str,
    symbol: sp.Symbol,
    domain: Domain,
    given: tuple[sp.Basic, ...] = (),
) -> Statics:
    """Differentiate ``expression`` by ``symbol`` and prove (or refute) its sign."""
    _check_given_leaves_a_point(domain, given)
    derivative = sp.factor(sp.cancel(sp.diff(expression, symbol)))
    result = prove_sign(derivative, domain, given=given)
    counter = result.witnesses.get("negative") if result.sign == "depends" else None
    condition = {side: solve_relation(rel.lhs - rel.rhs if side == "positive" else
                                      rel.rhs - rel.lhs, ">", domain)
                 for side, rel in result.condition.items()}
    return Statics(
        of=of,
        wrt=wrt,
        expression=expression,
        derivative=derivative,
        sign=result.sign,
        proof=result.proof,
        condition=condition,
        counterexample=counter,
        witnesses=result.witnesses,
        given=given,
    )
