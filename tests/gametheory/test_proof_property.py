"""A property test that can catch a false proof (issue 9).

Hypothesis draws a small domain -- 2 or 3 parameters, each with no bound, an open or a
closed lower or upper bound, or a box -- a rational function built from linear factors,
and a random ``given`` (``<, <=, >, >=, ==, !=`` against a constant or another parameter,
either side, or an ``Or`` of two).  Wherever :func:`gametheory.signs.prove_sign` reports a
definite sign, the sign is checked *exactly* (``Fraction`` arithmetic, written here, not
the package's) at rational points from the interior and from every boundary piece: the
endpoints of closed bounds, the edge of each ``given``, and points where a factor of the
numerator vanishes (solved for each of its parameters).

A second property does the same for the comparative statics of random 2 x 2 games with
affine payoffs, against ``Y* = (a22 - a12)/(a11 - a12 - a21 + a22)`` typed in here.

The ``@example`` cases are the issue's regressions 1 and 2 in this format: the code before
issue 9 reported ``negative`` for both, and this test fails on it.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from fractions import Fraction

import sympy as sp
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from gametheory import Game
from gametheory.domain import Domain
from gametheory.errors import NoMixedEquilibriumError
from gametheory.signs import prove_sign

NAMES = ("a", "b", "c")
SYMBOLS = sp.symbols(NAMES)
ALLOWED = {"positive": {1}, "negative": {-1}, "zero": {0}, "nonnegative": {0, 1},
           "nonpositive": {-1, 0}}
SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])

# A bound is (kind, value, closed): kind "lo" or "hi".  A factor is a tuple of
# coefficients (constant, coefficient of a, of b, of c).  A given is
# (variable index, operator, constant or other variable index, flipped sides).
small = st.integers(-2, 2)
bound = st.tuples(st.sampled_from(["lo", "hi"]), small, st.booleans())
bounds = st.lists(bound, max_size=2, unique_by=lambda b: b[0])
OPS = ("<", "<=", ">", ">=", "==", "!=")

Bound = tuple[str, int, bool]
Factor = tuple[int, ...]
Given = tuple[int, str, tuple[str, int], bool]
#: (n, bounds per parameter, numerator factors, denominator factors, sign, givens, use_or)
Problem = tuple[int, list[list[Bound]], list[tuple[Factor, int]], list[tuple[Factor, int]], int,
                list[Given], bool]


@st.composite
def problems(draw: st.DrawFn) -> Problem:
    n = draw(st.integers(2, 3))
    per_param = [draw(bounds) for _ in range(n)]
    for bs in per_param:  # a box needs lo < hi
        los = [b for b in bs if b[0] == "lo"]
        his = [b for b in bs if b[0] == "hi"]
        if los and his and los[0][1] >= his[0][1]:
            bs.remove(his[0])
    factor = st.tuples(small, *([small] * n)).filter(lambda f: any(f[1:]))
    numerator = draw(st.lists(st.tuples(factor, st.integers(1, 2)), min_size=1, max_size=3))
    denominator = draw(st.lists(st.tuples(factor, st.integers(1, 2)), max_size=1))
    sign = draw(st.sampled_from([1, -1]))
    givens = draw(st.lists(
        st.tuples(st.integers(0, n - 1), st.sampled_from(OPS),
                  st.one_of(small.map(lambda v: ("const", v)),
                            st.integers(0, n - 1).map(lambda v: ("var", v))),
                  st.booleans()),
        max_size=2))
    use_or = draw(st.booleans()) and len(givens) == 2
    return n, per_param, numerator, denominator, sign, givens, use_or


# ------------------------------------------------------------------ exact evaluation
def lin(f: Factor, point: Sequence[Fraction]) -> Fraction:
    return f[0] + sum((Fraction(c) * point[k] for k, c in enumerate(f[1:])), Fraction(0))


def value(problem: Problem, point: Sequence[Fraction]) -> Fraction | None:
    _, _, num, den, sign, _, _ = problem
    top = Fraction(sign)
    for f, e in num:
        top *= lin(f, point) ** e
    bottom = Fraction(1)
    for f, e in den:
        bottom *= lin(f, point) ** e
    return None if bottom == 0 else top / bottom


def in_bounds(per_param: Sequence[Sequence[Bound]], point: Sequence[Fraction]) -> bool:
    for k, bs in enumerate(per_param):
        for kind, v, closed in bs:
            if kind == "lo" and not (point[k] >= v if closed else point[k] > v):
                return False
            if kind == "hi" and not (point[k] <= v if closed else point[k] < v):
                return False
    return True


def compare(lhs: Fraction, op: str, rhs: Fraction) -> bool:
    return {"<": lhs < rhs, "<=": lhs <= rhs, ">": lhs > rhs, ">=": lhs >= rhs,
            "==": lhs == rhs, "!=": lhs != rhs}[op]


def given_holds(problem: Problem, point: Sequence[Fraction]) -> bool:
    *_, givens, use_or = problem
    truth = []
    for k, op, (what, v), _ in givens:
        rhs = Fraction(v) if what == "const" else point[v]
        truth.append(compare(point[k], op, rhs))
    if not truth:
        return True
    return any(truth) if use_or else all(truth)


# ------------------------------------------------------------------ the package's view
def to_sympy(problem: Problem) -> tuple[sp.Expr, Domain, tuple[sp.Basic, ...]]:
    n, per_param, num, den, sign, givens, use_or = problem
    syms = SYMBOLS[:n]

    def lin_expr(f: Factor) -> sp.Expr:
        return f[0] + sum(c * s for c, s in zip(f[1:], syms, strict=True))

    expr = sign * sp.Mul(*(lin_expr(f) ** e for f, e in num)) / sp.Mul(
        *(lin_expr(f) ** e for f, e in den))
    relations = []
    for s, bs in zip(syms, per_param, strict=True):
        for kind, v, closed in bs:
            rel = {("lo", True): sp.Ge, ("lo", False): sp.Gt, ("hi", True): sp.Le,
                   ("hi", False): sp.Lt}[kind, closed]
            relations.append(rel(s, v))
    ops = {"<": sp.Lt, "<=": sp.Le, ">": sp.Gt, ">=": sp.Ge, "==": sp.Eq, "!=": sp.Ne}
    flip = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}
    rels = []
    for k, op, (what, v), flipped in givens:
        rhs = sp.Integer(v) if what == "const" else syms[v]
        rels.append(ops[flip[op]](rhs, syms[k]) if flipped else ops[op](syms[k], rhs))
    given_ = (sp.Or(*rels),) if use_or and rels else tuple(rels)
    domain = Domain({str(s): s for s in syms}, tuple(relations))
    return expr, domain, given_


def exact_value(expr: sp.Expr, point: Sequence[Fraction]) -> Fraction | None:
    """``expr`` at ``point`` in exact rationals, or None where it is undefined.

    Used only where the factors typed here vanish in a denominator: sympy combines equal
    bases when it builds the product (``c*(a - 1)**2/(a - 1)**2`` becomes ``c``), so the
    expression the prover is given can be defined where the typed formula is not.
    """
    subs = {s: sp.Rational(p.numerator, p.denominator)
            for s, p in zip(SYMBOLS[:len(point)], point, strict=True)}
    v = expr.xreplace(subs)
    if not v.is_Rational:  # zoo, nan
        return None
    return Fraction(int(v.p), int(v.q))


# ------------------------------------------------------------------ points to check
def candidates(per_param_bounds: Sequence[Bound]) -> list[Fraction]:
    values = {Fraction(v) for v in range(-3, 4)} | {Fraction(1, 3), Fraction(-1, 3),
                                                     Fraction(5, 2), Fraction(10)}
    for _kind, v, _ in per_param_bounds:
        values |= {Fraction(v), Fraction(v) + Fraction(1, 7), Fraction(v) - Fraction(1, 7)}
    return sorted(values)


def points(problem: Problem) -> Iterator[list[Fraction]]:
    """Grid points plus points on every edge: closed bounds are in the grid; the edge of
    each given and the zero set of each numerator factor are solved for one parameter."""
    n, per_param, num, _, _, givens, _ = problem
    grids = [candidates(bs) for bs in per_param]
    thin = [g[::2] if n == 3 else g for g in grids]
    for combo in itertools.product(*thin):
        yield list(combo)
    for f, _ in num:  # where a factor vanishes
        for k in range(n):
            if f[k + 1] == 0:
                continue
            others = [g if j != k else [Fraction(0)] for j, g in enumerate(thin)]
            for combo in itertools.product(*others):
                p = list(combo)
                rest = lin(f, p) - Fraction(f[k + 1]) * p[k]
                p[k] = -rest / f[k + 1]
                yield p
    for k, _, (what, v), _ in givens:  # the edge of each given
        others = [g if j != k else [Fraction(0)] for j, g in enumerate(thin)]
        for combo in itertools.product(*others):
            p = list(combo)
            p[k] = Fraction(v) if what == "const" else p[v]
            yield p


def check(problem: Problem, sign: str) -> int:
    if sign not in ALLOWED:
        return 0
    checked = 0
    for p in points(problem):
        if not (in_bounds(problem[1], p) and given_holds(problem, p)):
            continue
        v = value(problem, p)
        if v is None:
            continue
        s = (v > 0) - (v < 0)
        assert s in ALLOWED[sign], f"proved {sign}, but the value is {v} at {p}"
        checked += 1
    return checked


# Regression 2: -a/(b + 2)**2 with a >= 0, b > 0 is 0 at a = 0 (was 'negative').
CASE_2: Problem = (2, [[("lo", 0, True)], [("lo", 0, False)]], [((0, 1, 0), 1)],
          [((2, 0, 1), 2)], -1, [], False)
# Regression 1: -a with 0 <= a <= 1 and given a < 1/2 ... here a < 1: the edge a = 0 was
# lost by a = (bound)*t/(1 + t) (was 'negative').
# Regression 3: (2 + b)/(-2 - b) with b < 1: a witness search rounded a sample onto the pole
# b = -2 and compared zoo with 0 (TypeError); such points are skipped now.
CASE_3: Problem = (2, [[], [("hi", 1, False)]], [((2, 0, 1), 1)], [((-2, 0, -1), 1)], 1, [],
                   False)
# Regression 4: c*(a - 1)**2/(a - 1)**2 is c to sympy, so 'depends' may put a witness at
# a = 1, where the factors typed here give 0/0 (the test asserted a defined value there).
CASE_4: Problem = (3, [[], [], []], [((0, 0, 0, 1), 1), ((-1, 1, 0, 0), 2)],
                   [((-1, 1, 0, 0), 2)], 1, [(0, ">", ("const", -2), False)], False)
CASE_1: Problem = (2, [[("lo", 0, True), ("hi", 1, True)], []], [((0, 1, 0), 1)], [], -1,
          [(0, "<", ("const", 1), False)], False)


@settings(SETTINGS, max_examples=60)
@given(problem=problems())
@example(problem=CASE_1)
@example(problem=CASE_2)
@example(problem=CASE_3)
@example(problem=CASE_4)
def test_proven_signs_hold_on_every_piece(problem: Problem) -> None:
    expr, domain, given_ = to_sympy(problem)
    result = prove_sign(expr, domain, given=given_, samples=300)
    check(problem, result.sign)
    if result.sign == "depends":  # the witnesses are exact points of the domain
        for label, want in (("positive", 1), ("negative", -1)):
            point = [Fraction(str(result.witnesses[label][nm]))
                     for nm in NAMES[:problem[0]]]
            assert in_bounds(problem[1], point) and given_holds(problem, point)
            v = value(problem, point)
            if v is None:  # sympy cancelled the vanishing factor when it built ``expr``
                v = exact_value(expr, point)
            assert v is not None and (v > 0) - (v < 0) == want


# ------------------------------------------------------------------ games
affine = st.tuples(small, small, small)  # constant + coefficients of a and b


@settings(SETTINGS, max_examples=25)
@given(cells=st.lists(affine, min_size=8, max_size=8), per_param=st.lists(bounds, min_size=2,
                                                                          max_size=2),
       wrt=st.sampled_from(["a", "b"]))
def test_game_statics_signs_hold_on_every_piece(cells: list[tuple[int, int, int]],
                                                per_param: list[list[Bound]], wrt: str) -> None:
    a, b = SYMBOLS[:2]
    for bs in per_param:
        los = [x for x in bs if x[0] == "lo"]
        his = [x for x in bs if x[0] == "hi"]
        if los and his and los[0][1] >= his[0][1]:
            bs.remove(his[0])
    exprs = [c0 + c1 * a + c2 * b for c0, c1, c2 in cells]
    A = [exprs[0:2], exprs[2:4]]
    B = [exprs[4:6], exprs[6:8]]
    assumptions = []
    for s, bs in zip((a, b), per_param, strict=True):
        for kind, v, closed in bs:
            assumptions.append({("lo", True): sp.Ge, ("lo", False): sp.Gt, ("hi", True): sp.Le,
                                ("hi", False): sp.Lt}[kind, closed](s, v))
    game = Game(A, B, params=["a", "b"], assumptions=assumptions)
    y_hand = (A[1][1] - A[0][1]) / (A[0][0] - A[0][1] - A[1][0] + A[1][1])
    try:
        st_ = game.statics("Y", wrt)
    except NoMixedEquilibriumError:  # the documented refusal (singular or impossible)
        return
    if st_.sign not in ALLOWED:
        return
    derivative = sp.lambdify((a, b), sp.diff(y_hand, {"a": a, "b": b}[wrt]), modules=[{}])
    grids = [candidates(bs) for bs in per_param]
    for p in itertools.product(*grids):
        if not in_bounds(per_param, list(p)):
            continue
        try:
            slope = Fraction(derivative(*p))
        except ZeroDivisionError:
            continue
        s = (slope > 0) - (slope < 0)
        assert s in ALLOWED[st_.sign], f"proved {st_.sign}, but d Y/d{wrt} = {slope} at {p}"
