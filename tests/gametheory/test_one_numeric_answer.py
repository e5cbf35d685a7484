"""Issue 9, items 6 and 7: one numeric answer at every point, from every entry point.

The truth is computed here independently: the seed-001 payoffs are written out by hand
(``tests/strategies.py``) in exact fractions, and "a family holds" means its profile is a
Nash equilibrium of that exact game with the family's support -- checked by comparing
exact expected payoffs, not by the package's conditions.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from gametheory import GameParameterError, models
from gametheory.equilibrium import Equilibrium, EquilibriumArrays
from gametheory.exact import evaluate, exact_real
from gametheory.game import Game
from tests.strategies import MONITORING, monitoring_payoffs

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
#: Seed 001's degenerate point (the errata): unmonitored, the unemployed are indifferent.
SEED = {"U0": 1510, "U": 1740, "U1": 2175, "R": 0.3, "W": 8000, "C": 1878, "C0": 600,
        "E": 100}


@pytest.fixture(scope="module")
def game() -> Game:
    return models.monitoring_game()


@pytest.fixture(scope="module")
def families(game: Game) -> tuple[Equilibrium, ...]:
    return game.equilibria(include_impossible=True)


@pytest.fixture(scope="module")
def fused(game: Game) -> Callable[..., tuple[EquilibriumArrays, ...]]:
    return game.lambdify_equilibria(include_impossible=True)


def exact_point(point: Mapping[str, Any]) -> dict[str, Fraction]:
    return {k: exact_real(k, v) for k, v in point.items()}


def is_equilibrium(A: Sequence[Sequence[Fraction]], B: Sequence[Sequence[Fraction]],
                   x: Sequence[sp.Expr], y: Sequence[sp.Expr]) -> bool:
    """Exact best-response check of a profile in the bimatrix game (A, B)."""
    n, m = len(A), len(A[0])
    row = [sum(A[i][j] * y[j] for j in range(m)) for i in range(n)]
    col = [sum(B[i][j] * x[i] for i in range(n)) for j in range(m)]
    return (all(row[i] == max(row) for i in range(n) if x[i] > 0)
            and all(col[j] == max(col) for j in range(m) if y[j] > 0))


def family_holds(eq: Equilibrium, point: Mapping[str, Any]) -> bool:
    """Independent truth: the family's profile is a probability profile with exactly its
    support, and an exact Nash equilibrium of the hand-written game."""
    subs = {eq.params[k]: sp.Rational(v.numerator, v.denominator)
            for k, v in exact_point(point).items()}
    try:
        x = [evaluate(e, subs) for e in eq.row]
        y = [evaluate(e, subs) for e in eq.col]
    except ZeroDivisionError:
        return False
    except Exception as exc:  # an undefined formula (exact.Undefined): the family has no profile
        if type(exc).__name__ == "Undefined":
            return False
        raise
    support_x = tuple(i for i, v in enumerate(x) if v > 0)
    support_y = tuple(j for j, v in enumerate(y) if v > 0)
    if min(x + y) < 0 or support_x != eq.row_support or support_y != eq.col_support:
        return False
    A, B = monitoring_payoffs({k: exact_point(point)[k] for k in MONITORING})
    return is_equilibrium(A, B, x, y)


# --------------------------------------------------------------------- item 6
def test_seed_point_float_decimal_fraction_and_text_agree(game: Game) -> None:
    """R = 0.3 is 3/10 whichever way it is written: the continuum, found exactly."""
    y_star = Fraction(660, 1069)  # hand: -12.5y - 1410 = 522y - 1740 at the seed point
    expected = [((0.0, 1.0), (float(y_star), float(1 - y_star))), ((0.0, 1.0), (1.0, 0.0))]
    values: tuple[Any, ...] = (0.3, Fraction(3, 10), Decimal("0.3"), "0.3", "3/10", np.float64(0.3))
    for r in values:
        got = [(tuple(a.tolist()), tuple(b.tolist()))
               for a, b in game.equilibria_at(**{**SEED, "R": r})]
        assert got == expected, r
    assert len(game.components_at(**SEED)) == 1


def test_seed_point_every_entry_point_agrees(
        game: Game, families: tuple[Equilibrium, ...],
        fused: Callable[..., tuple[EquilibriumArrays, ...]]) -> None:
    truth = [family_holds(eq, SEED) for eq in families]
    assert truth == [False, False, True, False, False]  # (don't monitor, effort) only
    assert [eq.holds_at(**SEED) for eq in families] == truth
    assert [bool(o.valid) for o in fused(**SEED)] == truth
    assert [bool(eq.lambdify()(**SEED).valid) for eq in families] == truth
    # nashpy on the same payoffs: each equilibrium it reports is one of ours (exactly).
    A, B = monitoring_payoffs(exact_point(SEED))
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        found = list(game.to_nashpy(**SEED).support_enumeration())
    assert found
    for x, y in found:
        xs = [Fraction(v).limit_denominator(10**6) for v in x]
        ys = [Fraction(v).limit_denominator(10**6) for v in y]
        assert is_equilibrium(A, B, xs, ys)
    assert np.array_equal(game.to_nashpy(**SEED).payoff_matrices[1],
                          np.array([[3322.5, 1510.0], [1740.0, 1740.0]]))


@pytest.mark.parametrize(
    "value",
    [1740, 1740.0, Decimal("1740"), Fraction(1740), "1740", "1.74e3", np.int64(1740),
     np.float32(1740)],
    ids=["int", "float", "Decimal", "Fraction", "text", "text-e", "np.int64", "np.float32"],
)
def test_every_real_type_is_accepted(game: Game, value: Any) -> None:
    assert exact_real("U", value) == 1740
    assert len(game.equilibria_at(**{**SEED, "U": value})) == 2


@pytest.mark.parametrize(
    ("value", "match"),
    [
        (math.inf, r"U = inf: must be finite$"),
        (-math.inf, r"U = -inf: must be finite$"),
        (math.nan, r"U = nan: must be finite$"),
        (Decimal("NaN"), r"must be finite$"),
        ("inf", r"must be a real number"),
        ("two", r"must be a real number"),
        ("1/0", r"must be finite \(division by zero\)"),
        (True, r"must be a real number"),
        (1 + 2j, r"must be a real number"),
    ],
)
def test_must_be_finite_is_reachable(game: Game, value: Any, match: str) -> None:
    with pytest.raises(GameParameterError, match=match):
        game.equilibria_at(**{**SEED, "U": value})


# --------------------------------------------------------------------- item 7
@pytest.mark.parametrize(("change", "parameter"), [({"E": -5}, "E"), ({"R": 1.5}, "R"),
                                                   ({"U0": 1800}, "U"), ({"R": math.nan}, None)])
def test_masks_are_false_outside_the_domain(game: Game, families: tuple[Equilibrium, ...],
                                            fused: Callable[..., tuple[EquilibriumArrays, ...]],
                                            change: dict[str, float],
                                            parameter: str | None) -> None:
    point = {**SEED, **change}
    assert not any(bool(o.valid) for o in fused(**point))
    assert not any(bool(eq.lambdify()(**point).valid) for eq in families)
    with pytest.raises(GameParameterError):
        game.equilibria_at(**point)
    with pytest.raises(GameParameterError) as info:
        families[2].holds_at(**point)
    if parameter is not None:
        assert info.value.parameter == parameter


def test_masks_over_arrays_mix_inside_and_outside(
        fused: Callable[..., tuple[EquilibriumArrays, ...]]) -> None:
    e = np.array([100.0, -5.0, 100.0, 0.0])
    r = np.array([0.3, 0.3, 1.5, 0.3])
    out = fused(**{**SEED, "E": e, "R": r})
    assert out[2].valid.tolist() == [True, False, False, False]


# --------------------------------------------------------------------- property
_small = st.integers(min_value=1, max_value=6)
_tenths = st.integers(min_value=0, max_value=10).map(lambda k: k / 10)


@st.composite
def near_degenerate_points(draw: st.DrawFn) -> dict[str, float]:
    """Small integers and tenths: exact ties (degenerate games) are common, and 0.1-steps
    are not doubles, so the float route must read them as decimals to agree."""
    u0 = draw(_small)
    u = u0 + draw(_small)
    u1 = u + draw(_small)
    return {"U0": u0, "U": u, "U1": u1, "R": draw(_tenths),
            "W": draw(st.integers(1, 12)), "C": draw(_tenths.filter(bool)),
            "C0": draw(_tenths.filter(bool)), "E": draw(_tenths.filter(bool))}


@settings(max_examples=60, deadline=None)
@given(point=near_degenerate_points())
def test_every_entry_point_agrees_with_the_exact_truth(
        game: Game, families: tuple[Equilibrium, ...],
        fused: Callable[..., tuple[EquilibriumArrays, ...]], point: Mapping[str, Any]) -> None:
    truth = [family_holds(eq, point) for eq in families]
    assert [eq.holds_at(**point) for eq in families] == truth
    assert [bool(o.valid) for o in fused(**{k: float(v) for k, v in point.items()})] == truth
    # every family that holds is an extreme point or inside a component of equilibria_at
    A, B = monitoring_payoffs(exact_point(point))
    for x, y in game.equilibria_at(**point):
        assert is_equilibrium(A, B, [Fraction(v).limit_denominator(10**6) for v in x],
                              [Fraction(v).limit_denominator(10**6) for v in y])
def test_huge_values_in_a_symbolic_exponent_are_refused_not_computed() -> None:
    """A cell x**y evaluated at y = 10**7 used to compute a 3-million-digit number."""
    code = textwrap.dedent("""
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (1_500_000_000, 1_500_000_000))
        from fractions import Fraction
        from gametheory import Game, GameParameterError
        g = Game([["x**y", "0"], ["0", "1"]], [["1", "0"], ["0", "1"]], params=["x", "y"],
                 assumptions=["x > 0", "y > 0"])
        for x, y in [(2, 10**7), (Fraction(1000001, 1000000), 10**7), (2, 1024.5)]:
            try:
                g.equilibria_at(x=x, y=y)
            except GameParameterError as exc:
                print("refused", str(exc)[:200])
            else:
                print("accepted")
        print(g.equilibria_at(x=2, y=3))
    """)
    try:
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             timeout=60, cwd=ROOT, env={**os.environ, "PYTHONPATH": ROOT},
                             check=False)
    except subprocess.TimeoutExpired:
        pytest.fail("evaluating x**y at y = 10**7 ran past the 60 s guard")
    lines = out.stdout.splitlines()
    assert out.returncode == 0, out.stderr[-2000:]
    assert lines[0].startswith("refused") and "beyond the range of a double" in lines[0]
    assert lines[1].startswith("refused") and "digits" in lines[1]
    assert lines[2].startswith("refused") and "beyond the range of a double" in lines[2]
    assert "array([1., 0.])" in lines[3]


@pytest.mark.parametrize(
    ("value", "match"),
    [
        (10**400, r"W = 1000.*: must be finite"),
        (Decimal("1e400"), r"W = Decimal\('1E\+400'\): must be finite"),
        ("1e999999999", r"W = '1e999999999': must be finite"),
        (Fraction(1, 10**400), r"W = Fraction\(1, 1000.*\): must be 0 or at least"),
    ],
)
def test_huge_parameter_values_are_refused(value: Any, match: str) -> None:
    g = models.monitoring_game()
    point = {"U0": 1, "U": 2, "U1": 4, "R": 0.5, "W": value, "C": 1, "C0": 0.5, "E": 0.2}
    with pytest.raises(GameParameterError, match=match):
        g.equilibria_at(**point)
    with pytest.raises(GameParameterError, match=match):
        g.equilibria()[0].holds_at(**point)


