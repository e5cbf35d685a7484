"""Issue 9: every proven sign true on the whole domain, every game accepted.

Regressions 1-4 and 8 of the issue, then direct unit tests of the sign prover
(:mod:`gametheory.signs`), the domain's pieces (:mod:`gametheory.domain`) and the condition
simplifier and renderers (:mod:`gametheory.conditions`).  Every expected value is derived
by hand in the test (a derivative typed in, a point where a factor vanishes, nashpy),
never read back from the code.
"""

from __future__ import annotations

from fractions import Fraction

import nashpy
import numpy as np
import pytest
import sympy as sp

from gametheory import Game, models
from gametheory.claims import STATUSES, Verdict
from gametheory.conditions import (
    condition_latex,
    condition_text,
    positive_condition,
    simplify_and,
    solve_relation,
)
from gametheory.domain import (
    Domain,
    Piece,
    TooManyPiecesError,
    UnsupportedRelationError,
    factored_signs,
    poly_signs,
)
from gametheory.errors import GameError
from gametheory.signs import prove_sign

MONITORING = models.monitoring_game()
x, y, z = sp.symbols("x y z")


def _rat(v: int | Fraction | str) -> sp.Rational:
    f = Fraction(v)  # test data: ints, Fractions, decimal text
    return sp.Rational(f.numerator, f.denominator)


# --------------------------------------------------------------------- regressions
def test_regression_1_given_upper_bound_keeps_the_lower_edge() -> None:
    """dX*/dW given C0 < C, R < 1/2 is 0 at R = 0 (allowed by 0 <= R): not 'negative'."""
    st = MONITORING.statics("X", "W", given=["C0 < C", "R < 1/2"])
    assert st.sign == "nonpositive"
    # Hand: X* = (U R - R W + C)/(U1 - U0 + U R - U1 R + C - C0) (seed (3-3)); dX*/dW
    # has the factor R.
    U0, U, U1, R, W, C, C0 = (MONITORING.params[k] for k in ("U0", "U", "U1", "R", "W", "C",
                                                              "C0"))
    X = (U * R - R * W + C) / (U1 - U0 + U * R - U1 * R + C - C0)
    point = {U0: 1, U: 2, U1: 3, W: 5, C: 2, C0: 1}
    assert sp.diff(X, W).subs({**point, R: 0}) == 0
    assert sp.diff(X, W).subs({**point, R: sp.Rational(1, 4)}) < 0
    assert any("R = 0" in step for step in st.proof)


def test_regression_2_closed_assumption_is_a_piece() -> None:
    g = Game([["x*y + 1", "0"], ["0", "1"]], [["0", "1"], ["1", "0"]], params=["x", "y"],
             assumptions=["x >= 0", "y > 0"])
    st = g.statics("Y", "y")
    assert st.sign == "nonpositive"
    # Hand: Y* = 1/(x y + 2), dY/dy = -x/(x y + 2)^2: zero at x = 0, negative for x > 0.
    hand = -x / (x * y + 2) ** 2
    assert sp.simplify(st.derivative - hand) == 0
    assert hand.subs({x: 0, y: 3}) == 0 and hand.subs({x: 1, y: 3}) < 0


def test_regression_3_parameters_without_assumptions_are_reals_of_either_sign() -> None:
    g = Game([["x", "0"], ["0", "1"]], [["0", "1"], ["1", "0"]], params=["x"])
    families = g.equilibria()
    assert families  # no crash
    # Hand: the column player mixes y = 1/(1 + x), valid for x > 0; X* = 1/2.
    mixed = g.mixed_equilibrium()
    assert sp.simplify(mixed.col[0] - 1 / (1 + x)) == 0
    for value in (-2, -1, Fraction(-1, 2), 0, Fraction(1, 3), 4):
        A = np.array([[float(value), 0.0], [0.0, 1.0]])
        B = np.array([[0.0, 1.0], [1.0, 0.0]])
        nash_mixed = [e for e in nashpy.Game(A, B).support_enumeration()
                      if 0 < e[1][0] < 1 and 0 < e[0][0] < 1]
        holds = bool(mixed.condition.subs(x, _rat(value)))
        assert holds == bool(nash_mixed), value
    st = g.statics("Y", "x")
    assert st.sign == "negative"  # -1/(1 + x)^2 wherever defined, for x of either sign
    for value in (-3, Fraction(-1, 2), 0, 2):
        assert sp.diff(1 / (1 + x), x).subs(x, _rat(value)) < 0


def test_regression_4_given_takes_the_packages_own_output() -> None:
    mixed = MONITORING.mixed_equilibrium()
    by_hand = MONITORING.statics("Y", "U", given=["E < (U1 - U)*(1 - R)"]).sign
    assert by_hand == "positive"
    assert MONITORING.statics("Y", "U", given=mixed.condition.args).sign == by_hand
    assert MONITORING.statics("Y", "U", given=[mixed.condition]).sign == by_hand
    assert MONITORING.statics("Y", "U", given=mixed.condition.args[:1]).sign == by_hand
    E, U, U1, R = (MONITORING.params[k] for k in ("E", "U", "U1", "R"))
    flipped = sp.StrictGreaterThan((U1 - U) * (1 - R), E)  # either side
    assert MONITORING.statics("Y", "U", given=[flipped]).sign == by_hand


def test_regression_4_given_refuses_what_is_not_a_condition() -> None:
    with pytest.raises(GameError, match="given E \\+ 1 is not a condition"):
        MONITORING.statics("Y", "U", given=[sp.Symbol("E") + 1])
    with pytest.raises(GameError, match="uses \\['q'\\]"):
        MONITORING.statics("Y", "U", given=[sp.Symbol("q") > 0])


def test_regression_8_every_verdict_status_is_allowed() -> None:
    with pytest.raises(GameError, match="not one of"):
        Verdict("x", "maybe", "derived")
    assert "unknown" in STATUSES
    assert Verdict("x", "unknown", "derived").status == "unknown"


def test_regression_8_threshold_verdict_is_computed() -> None:
    """With R = 0 the printed threshold E > U1 - U is the derived one: no counterexample,
    and the claim is proven instead of asserted to fail."""
    from gametheory.claims import CLAIMS, _check_threshold

    claim = next(c for c in CLAIMS if c.id == "2.2-monitoring-threshold")
    g = models.monitoring_game()
    fixed = Game(g.A.subs(g.params["R"], 0), g.B.subs(g.params["R"], 0), params=g.params,
                 assumptions=[a for a in g.assumptions if g.params["R"] not in a.free_symbols])
    verdict = _check_threshold(fixed, claim)
    assert verdict.status == "holds" and verdict.counterexample is None
    assert _check_threshold(g, claim).status == "fails"


# --------------------------------------------------------------------- the domain
def test_pieces_of_a_closed_box() -> None:
    dom = Domain({"x": x, "y": y}, (sp.Ge(x, 0), sp.Le(x, 1), y > 2))
    labels = sorted(p.label for p in dom.pieces())
    assert labels == ["interior", "x = 0", "x = 1"]
    for piece in dom.pieces():
        assert all(s.is_positive for s in piece.symbols)
        assert not piece.free


def test_free_parameter_is_split_by_sign() -> None:
    labels = [p.label for p in Domain({"x": x}, ()).pieces()]
    assert labels == ["interior", "x = 0", "x < 0"]


@pytest.mark.parametrize("given", [
    (x < 1,), (sp.Le(x, 1),), (sp.Gt(1, x),), (sp.Eq(x, 1),), (sp.Ne(x, 1),),
    (sp.Or(x < 1, x > 3),), (sp.And(x > sp.Rational(1, 2), x < 1),), (sp.Ge(x * y, 1),),
])
def test_pieces_cover_every_point_of_the_domain(given: tuple[sp.Basic, ...]) -> None:
    """Every rational point of the (closed) domain and given lies on some piece: solve the
    piece's substitution for its positive symbols at the point."""
    dom = Domain({"x": x, "y": y}, (sp.Ge(x, 0), sp.Ge(y, 0)))
    pieces = dom.pieces(given)
    values: list[int | Fraction] = [0, Fraction(1, 2), 1, 2, 3, 4]
    for vx in values:
        for vy in values:
            point = {x: _rat(vx), y: _rat(vy)}
            if not all(bool(g.subs(point)) for g in given):
                continue
            assert any(_on_piece(p, point) for p in pieces), (point, given)


def _on_piece(piece: Piece, point: dict[sp.Symbol, sp.Rational]) -> bool:
    """Whether positive values of the piece's symbols give ``point`` (solved exactly)."""
    eqs = [sp.Eq(piece.subs[s], v) for s, v in point.items()]
    if not piece.symbols:
        return all(e is sp.true or bool(e) for e in eqs)
    sols = sp.solve(eqs, list(piece.symbols), dict=True)
    for sol in sols:
        values = [sol.get(s) for s in piece.symbols]
        if all(v is not None and v.is_number and v > 0 for v in values):
            return True
        if any(v is None or not v.is_number for v in values):
            # an underdetermined symbol: any positive value works if the rest are positive
            return all(v is None or not v.is_number or v > 0 for v in values)
    return False


def test_too_many_pieces_answers_unknown() -> None:
    names = [f"a{k}" for k in range(7)]
    params = {n: sp.Symbol(n) for n in names}
    dom = Domain(params, ())  # 3**7 = 2187 pieces > MAX_PIECES
    with pytest.raises(TooManyPiecesError):
        dom.pieces()
    assert prove_sign(sp.Add(*(s**2 for s in params.values())) + 1, dom).sign == "unknown"


def test_unsupported_condition_is_refused_by_name() -> None:
    with pytest.raises(UnsupportedRelationError, match="not supported"):
        Domain({"x": x}, (x + 1,)).pieces()  # deliberately wrong: an expression, no relation


def test_points_outside_a_relation_are_violations() -> None:
    dom = Domain({"x": x, "y": y}, (x > 0, sp.Ne(x, y), sp.Or(y < 0, y > 1)))
    assert dom.contains({"x": 1, "y": 2})
    assert not dom.contains({"x": 1, "y": 1})
    assert not dom.contains({"x": 1, "y": Fraction(1, 2)})


# --------------------------------------------------------------------- coefficient signs
def test_poly_and_factored_signs() -> None:
    a, b = sp.symbols("a b", positive=True)
    assert poly_signs(a * b + 2, (a, b)) == {1}
    assert poly_signs(-a - b, (a, b)) == {-1}
    assert poly_signs(a - b, (a, b)) == {-1, 0, 1}
    assert poly_signs(sp.Integer(0), (a,)) == {0}
    assert poly_signs(sp.sqrt(a) + 1, (a,)) == {-1, 0, 1}  # not a polynomial: no claim
    assert factored_signs((a - b) ** 2 * (a + 1), (a, b)) == {0, 1}
    assert factored_signs(-(a - b) ** 3, (a, b)) == {-1, 0, 1}


# --------------------------------------------------------------------- the sign prover
@pytest.mark.parametrize(("expr", "relations", "expected"), [
    (x + 1, (x > 0,), "positive"),
    (x, (sp.Ge(x, 0),), "nonnegative"),
    (x * (1 - x), (sp.Ge(x, 0), sp.Le(x, 1)), "nonnegative"),
    (x**2 + 1, (), "positive"),
    (x**2, (), "nonnegative"),
    (-(x**2) - y**2, (), "nonpositive"),
    (x - y, (x > 0, x > y), "positive"),
    (sp.Integer(0) * x, (), "zero"),
    (x - 1, (x > 0,), "depends"),
])
def test_prove_sign_by_hand(expr: sp.Expr, relations: tuple[sp.Basic, ...], expected: str) -> None:
    dom = Domain({"x": x, "y": y}, relations)
    result = prove_sign(expr, dom)
    assert result.sign == expected
    if expected == "depends":
        pos, neg = result.witnesses["positive"], result.witnesses["negative"]
        assert expr.subs({x: pos["x"], y: pos["y"]}) > 0
        assert expr.subs({x: neg["x"], y: neg["y"]}) < 0
        assert dom.contains(pos) and dom.contains(neg)


def test_prove_sign_with_equality_and_or_given() -> None:
    dom = Domain({"x": x, "y": y}, (x > 0, y > 0))
    assert prove_sign(x - y, dom, given=(sp.Eq(x, y),)).sign == "zero"
    assert prove_sign(x - 1, dom, given=(sp.Or(x > 2, sp.Eq(x, 1)),)).sign == "nonnegative"
    assert prove_sign(x - y, dom, given=(sp.Ge(x, y),)).sign == "nonnegative"


def test_prove_sign_never_claims_beyond_a_vanishing_factor() -> None:
    """(x - 1)*y on x >= 1, y >= 0 is 0 on two edges: nonnegative, not positive."""
    dom = Domain({"x": x, "y": y}, (sp.Ge(x, 1), sp.Ge(y, 0)))
    assert prove_sign((x - 1) * y, dom).sign == "nonnegative"
    assert ((x - 1) * y).subs({x: 1, y: 5}) == 0


# --------------------------------------------------------------------- conditions
def test_positive_condition_is_solved_for_a_parameter() -> None:
    dom = MONITORING.domain
    E, U, U1, R = (MONITORING.params[k] for k in ("E", "U", "U1", "R"))
    cond = positive_condition((U1 - U) * (1 - R) - E, dom)
    assert cond == sp.StrictLessThan(E, (1 - R) * (U1 - U))
    assert condition_text(cond) == "E < (1 − R)·(U1 − U)"
    assert condition_text(cond, unicode=False) == "E < (1 - R)*(U1 - U)"
    assert condition_latex(cond) == r"E < \left(1 - R\right) \left(U_{1} - U\right)"


def test_positive_condition_of_a_fraction_gives_both_sign_cases() -> None:
    dom = Domain({"x": x, "y": y}, (x > 0,))
    cond = positive_condition((y - 1) / (y - 2) * x, dom)
    for value in (-1, 0, 1, Fraction(3, 2), 2, 3):
        if value == 2:
            continue
        v = _rat(value)
        assert bool(cond.subs(y, v)) == bool(((v - 1) / (v - 2)) > 0), value


def test_simplify_and_drops_implied_and_contradictory_parts() -> None:
    dom = Domain({"x": x, "y": y}, (x > 0, y > 0))
    assert simplify_and([x > 1, x > 2], dom) == (x > 2)
    assert simplify_and([x > 2, x < 1], dom) is sp.false
    assert simplify_and([x > 1, sp.Ne(x, 0)], dom) == (x > 1)
    assert simplify_and([sp.Or(x > 2, x < 1), x > 3], dom) == (x > 3)


def test_solve_relation_flips_for_a_negative_coefficient() -> None:
    dom = Domain({"x": x, "y": y}, (x > 0,))
    assert solve_relation(1 - 2 * y, ">", dom) == sp.StrictLessThan(y, sp.Rational(1, 2))
    assert solve_relation(x * y - 1, ">=", dom) == sp.GreaterThan(y, 1 / x)
    assert condition_text(solve_relation(y - 1, "!=", dom)) == "y ≠ 1"


def test_monitoring_mixed_condition_in_full() -> None:
    """The seed's mixed family: E < (U1 - U)(1 - R) and C, C0 on opposite sides of the
    unemployed's two indifference thresholds (hand derivation, errata page)."""
    text = condition_text(MONITORING.mixed_equilibrium().condition)
    assert text == ("(E < (1 − R)·(U1 − U)) and (((C > R·(W − U)) and "
                    "(C0 < R·W + U1 − R·U1 − U0)) or ((C < R·(W − U)) and "
                    "(C0 > R·W + U1 − R·U1 − U0)))")
    cond = MONITORING.mixed_equilibrium().condition
    rng = np.random.default_rng(5)
    for _ in range(80):
        U0 = rng.uniform(0.5, 2)
        U = U0 + rng.uniform(0.1, 2)
        U1 = U + rng.uniform(0.1, 2)
        R, W, C, C0, E = rng.uniform(0, 1), *rng.uniform(0.1, 6, size=4)
        vals = dict(U0=U0, U=U, U1=U1, R=R, W=W, C=C, C0=C0, E=E)
        A = np.array([[-U1 * (1 - R) + E, -U0 + E], [-U * (1 - R), -U]])
        B = np.array([[R * W + U1 * (1 - R) - C0, U0], [R * W + U * (1 - R) - C, U]])
        found = any(0 < e[0][0] < 1 and 0 < e[1][0] < 1
                    for e in nashpy.Game(A, B).support_enumeration())
        subs = {MONITORING.params[k]: v for k, v in vals.items()}
        assert bool(cond.subs(subs)) == found
