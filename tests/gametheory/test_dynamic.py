"""The spell game (issue 14 part 2) against routes that do not use its code.

* a brute-force backward induction written here from the model's description (seed 001's
  Table 2 month by month, a searcher leaves with probability R, discount delta), with its
  own 2 x 2 stage solver in exact fractions;
* the static monitoring game for T = 1;
* pygambit: the profile built from our path has zero regret in gambit's tree;
* the stationary limit against a long horizon.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from fractions import Fraction as F
from typing import Any

import numpy as np
import pytest
import sympy as sp

from gametheory import GameError, GameParameterError, models
from gametheory.dynamic import Select, SpellGame, SpellPath

Point = dict[str, F]
Strategy = tuple[tuple[F, F], tuple[F, F]]
Path = tuple[Strategy, ...]

PARAMS = ("U0", "U", "U1", "R", "W", "C", "C0", "E", "delta")
#: Of the 20 drawn points, at least this many have no tie in any month (checked ones).
MIN_GENERIC = 15
#: At least this many coordination points branch (several subgame-perfect paths).
MIN_BRANCHING = 3


# ----------------------------------------------------------------- the independent route
def _stage(p: Point, month: int, v: F, g: F) -> tuple[list[list[F]], list[list[F]]]:
    """Month ``month``'s payoffs typed from the model's description (not from the code)."""
    U0, U, U1 = (_month(p[k], month) for k in ("U0", "U", "U1"))
    R, W, C, C0, E, d = p["R"], p["W"], p["C"], p["C0"], p["E"], p["delta"]
    stay = 1 - R  # a searcher stays unemployed with probability 1 - R; a non-searcher stays
    gov = [[E - stay * U1 + d * stay * g, E - U0 + d * g],
           [-stay * U + d * stay * g, -U + d * g]]
    claimant = [[R * W + stay * (U1 + d * v) - C0, U0 + d * v],
                [R * W + stay * (U + d * v) - C, U + d * v]]
    return gov, claimant


def _month(value: F | tuple[F, ...], month: int) -> F:
    return value[month] if isinstance(value, tuple) else value


def _stage_equilibria(A: list[list[F]], B: list[list[F]]) -> list[Strategy]:
    """Every equilibrium of a 2 x 2 game without ties: pure by best responses, then mixed."""
    out: list[Strategy] = []
    for i, j in itertools.product(range(2), range(2)):
        if A[i][j] >= A[1 - i][j] and B[i][j] >= B[i][1 - j]:
            x = (F(1 - i), F(i))
            y = (F(1 - j), F(j))
            out.append((x, y))
    den_y = A[0][0] - A[0][1] - A[1][0] + A[1][1]
    den_x = B[0][0] - B[1][0] - B[0][1] + B[1][1]
    if den_x and den_y:
        y0 = (A[1][1] - A[0][1]) / den_y
        x0 = (B[1][1] - B[1][0]) / den_x
        if 0 < x0 < 1 and 0 < y0 < 1:
            out.append(((x0, 1 - x0), (y0, 1 - y0)))
    return out


def _value(M: list[list[F]], s: Strategy) -> F:
    x, y = s
    return sum((x[i] * M[i][j] * y[j] for i in range(2) for j in range(2)), F(0))


def _brute_force(p: Point, T: int) -> set[Path]:
    """Every Markov subgame-perfect path by backward induction over all stage equilibria."""
    paths: list[tuple[Path, F, F]] = [((), F(0), F(0))]
    for t in reversed(range(T)):
        grown = []
        for later, v, g in paths:
            A, B = _stage(p, t, v, g)
            for s in _stage_equilibria(A, B):
                grown.append(((s, *later), _value(B, s), _value(A, s)))
        paths = grown
    return {path for path, _, _ in paths}


def _greedy(p: Point, T: int, who: str) -> list[tuple[Strategy, F, F]]:
    """The path that picks, each month, the stage equilibrium best for ``who``."""
    out: list[tuple[Strategy, F, F]] = []
    v, g = F(0), F(0)
    for t in reversed(range(T)):
        A, B = _stage(p, t, v, g)
        options = [(s, _value(A, s), _value(B, s)) for s in _stage_equilibria(A, B)]
        pick = max(options, key=lambda o: o[1] if who == "government" else o[2])
        out.insert(0, pick)
        g, v = pick[1], pick[2]
    return out


def _ours(paths: tuple[SpellPath, ...]) -> set[Path]:
    return {tuple(((r.row[0], r.row[1]), (r.col[0], r.col[1])) for r in path.rounds)
            for path in paths}


def _generic(p: Point, T: int) -> bool:
    """No month of any branch has a tie (where the equilibria form a continuum)."""
    paths: list[tuple[F, F]] = [(F(0), F(0))]
    for t in reversed(range(T)):
        grown = []
        for v, g in paths:
            A, B = _stage(p, t, v, g)
            if 0 in (A[0][0] - A[1][0], A[0][1] - A[1][1], B[0][0] - B[0][1],
                     B[1][0] - B[1][1]):
                return False
            grown += [(_value(B, s), _value(A, s)) for s in _stage_equilibria(A, B)]
        paths = grown
    return True


def _points(rng: np.random.Generator, n: int, *, coordination: bool = False
            ) -> Iterator[Point]:
    """Rational points inside the assumptions; ``coordination`` draws C0 > C (+ tiers) and
    a small E, where a month can have three equilibria."""
    def r(lo: float, hi: float) -> F:
        return F(int(rng.integers(int(lo * 100), int(hi * 100) + 1)), 100)

    for _ in range(n):
        U0 = r(1, 5)
        U = U0 + r(0.5, 3)
        U1 = U + r(0.5, 3)
        C = r(0.2, 4)
        C0 = C + U1 - U0 + r(0.5, 3) if coordination else r(0.1, 4)
        p = {"U0": U0, "U": U, "U1": U1, "R": r(0.05, 0.95), "W": r(2, 30), "C": C,
             "C0": C0, "E": r(0.01, 0.5) if coordination else r(0.01, 3),
             "delta": r(0.5, 1)}
        yield p


# ----------------------------------------------------------------- tests
@pytest.mark.parametrize("T", [1, 2, 3, 4])
def test_equilibria_at_equals_brute_force(T: int) -> None:
    rng = np.random.default_rng(14_2)
    points = [*_points(rng, 12), *_points(rng, 8, coordination=True)]
    checked = branching = 0
    for p in points:
        if not _generic(p, T):
            continue
        expected = _brute_force(p, T)
        got = _ours(models.spell_game(T).equilibria_at(**p))
        assert got == expected, p
        checked += 1
        branching += len(expected) > 1
    assert checked >= MIN_GENERIC
    if T > 1:
        assert branching >= MIN_BRANCHING  # the coordination points do branch


def test_step_down_schedule_equals_brute_force() -> None:
    rng = np.random.default_rng(7)
    for p in _points(rng, 10):
        sched: Point = dict(p)
        steps = (F(1), F(9, 10), F(8, 10))
        for k in ("U0", "U", "U1"):
            sched[k] = tuple(p[k] * s for s in steps)  # type: ignore[assignment]  # a month's value each
        if not _generic(sched, 3):
            continue
        values = {k: list(v) if isinstance(v, tuple) else v for k, v in sched.items()}
        got = _ours(models.spell_game(3).equilibria_at(**values))
        assert got == _brute_force(sched, 3)


def test_one_month_is_the_static_game_at_points() -> None:
    rng = np.random.default_rng(1)
    static = models.monitoring_game()
    for p in [*_points(rng, 6), *_points(rng, 4, coordination=True)]:
        spell = _ours(models.spell_game(1).equilibria_at(**p))
        point: dict[str, Any] = {k: v for k, v in p.items() if k != "delta"}
        expected = {(((F(x[0]).limit_denominator(10**9), F(x[1]).limit_denominator(10**9)),
                      (F(y[0]).limit_denominator(10**9), F(y[1]).limit_denominator(10**9))),)
                    for x, y in static.equilibria_at(**point)}
        assert spell == expected


@pytest.fixture(scope="module")
def two_months() -> SpellGame:
    return models.spell_game(2)


def test_one_month_is_the_static_game_symbolically() -> None:
    static = models.monitoring_game().equilibria()
    spell = models.spell_game(1).equilibria()
    assert [b.labels[0] for b in spell] == [eq.label for eq in static]
    for branch, eq in zip(spell, static, strict=True):
        month = branch.rounds[0]
        for a, b in zip((*month.row, *month.col), (*eq.row, *eq.col), strict=True):
            assert sp.cancel(a - b) == 0
        assert sp.cancel(month.col_payoff - eq.col_payoff) == 0
        assert sp.cancel(month.row_payoff - eq.row_payoff) == 0


def test_symbolic_branches_hold_where_the_brute_force_finds_them(
        two_months: SpellGame) -> None:
    rng = np.random.default_rng(3)
    branches = two_months.equilibria()
    for p in [*_points(rng, 5), *_points(rng, 5, coordination=True)]:
        if not _generic(p, 2):
            continue
        held = [b for b in branches if b.holds_at(**p)]
        subs = {sp.Symbol(k): sp.Rational(v.numerator, v.denominator) for k, v in p.items()}
        got = {tuple(((F(str(eq.row[0].subs(subs))), F(str(eq.row[1].subs(subs)))),
                      (F(str(eq.col[0].subs(subs))), F(str(eq.col[1].subs(subs)))))
                     for eq in b.rounds) for b in held}
        assert got == _brute_force(p, 2)


def test_step_down_symbols_by_month(two_months: SpellGame) -> None:
    branch = two_months.equilibria(monthly=True)[0]
    last = branch.rounds[1]
    assert last.col_payoff == sp.expand(
        sp.sympify("R*W + (1 - R)*U1_2 - C0"))  # month 2 of (monitor, effort)
    assert {"U1_1", "U1_2"} <= {str(s) for s in branch.claimant_value.free_symbols}


@pytest.mark.parametrize("select", ["government", "claimant"])
def test_solve_equals_the_greedy_selection(select: Select) -> None:
    rng = np.random.default_rng(5)
    points = [p for p in [*_points(rng, 10), *_points(rng, 10, coordination=True)]
              if _generic(p, 4)]
    arrays: dict[str, Any] = {k: np.array([float(p[k]) for p in points]) for k in PARAMS}
    out = models.spell_game(4).solve(select=select, **arrays)
    assert out.solved.all()
    for k, p in enumerate(points):
        for t, (s, g, v) in enumerate(_greedy(p, 4, select)):
            np.testing.assert_allclose(out.row[t, :, k], [float(q) for q in s[0]], atol=1e-9)
            np.testing.assert_allclose(out.col[t, :, k], [float(q) for q in s[1]], atol=1e-9)
            assert out.government_value[t, k] == pytest.approx(float(g), rel=1e-9)
            assert out.claimant_value[t, k] == pytest.approx(float(v), rel=1e-9)
    assert (out.n_equilibria > 1).any()


def test_stationary_limit_matches_a_long_horizon() -> None:
    rng = np.random.default_rng(11)
    families = models.spell_game(1).stationary()
    slopes = models.spell_game(1).contraction_slopes()
    chosen: list[tuple[Point, sp.Basic]] = []
    for p in _points(rng, 12):
        p["delta"] = min(p["delta"], F(95, 100))
        holding = [f for f in families if f.holds_at(**p)]
        assert len(holding) == 1  # a unique stationary equilibrium here
        subs = {sp.Symbol(k): sp.Rational(v.numerator, v.denominator) for k, v in p.items()}
        if abs(slopes[holding[0].label].subs(subs)) < 1:  # the contraction condition
            chosen.append((p, holding[0]))
    arrays: dict[str, Any] = {k: np.array([float(p[k]) for p, _ in chosen]) for k in PARAMS}
    long = models.spell_game(400).solve(**arrays)
    for k, (p, fam) in enumerate(chosen):
        subs = {sp.Symbol(n): sp.Rational(v.numerator, v.denominator) for n, v in p.items()}
        assert long.claimant_value[0, k] == pytest.approx(float(fam.col_payoff.subs(subs)),
                                                          rel=1e-8)
        assert long.government_value[0, k] == pytest.approx(
            float(fam.row_payoff.subs(subs)), rel=1e-8, abs=1e-9)
        np.testing.assert_allclose(long.row[0, :, k], [float(e.subs(subs)) for e in fam.row],
                                   atol=1e-8)
    assert len({fam.label for _, fam in chosen}) >= 2  # two regimes checked


def test_stationary_value_by_hand() -> None:
    # (monitor, no effort) for ever: U0 every month, V = U0 / (1 - delta).
    fam = [f for f in models.spell_game(1).stationary() if f.label == "(monitor, no effort)"]
    assert sp.simplify(fam[0].col_payoff - sp.sympify("U0/(1 - delta)")) == 0


@pytest.mark.parametrize("T", [2])
def test_gambit_sees_no_profitable_deviation(T: int) -> None:
    gbt = pytest.importorskip("pygambit")
    p = {"U0": F(1), "U": F(2), "U1": F(4), "R": F(1, 2), "W": F(3), "C": F(1),
         "C0": F(1, 2), "E": F(1, 5), "delta": F(9, 10)}
    (path,) = models.spell_game(T).equilibria_at(**p)
    assert all(0 < r.row[0] < 1 and 0 < r.col[0] < 1 for r in path.rounds)  # all reached
    tree = models.spell_game(T).to_gambit(**p)
    profile = tree.mixed_behavior_profile(rational=True)
    for player, k in (("government", "row"), ("claimant", "col")):
        for infoset in tree.players[player].infosets:
            month = int(infoset.label.split(",")[0].split()[1])
            probs = getattr(path.rounds[month - 1], k)
            for action, q in zip(infoset.actions, probs, strict=True):
                profile[action] = gbt.Rational(q.numerator, q.denominator)
    assert profile.max_regret() == 0
    assert profile.agent_max_regret() == 0
    gov = profile.payoff(tree.players["government"])
    assert F(gov.numerator, gov.denominator) == path.government_value
    cl = profile.payoff(tree.players["claimant"])
    assert F(cl.numerator, cl.denominator) == path.claimant_value


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"T": 0}, "T = 0.*integer >= 1"),
    ({"T": 2.0}, "T = 2.0.*integer >= 1"),
])
def test_bad_horizon(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(GameParameterError, match=match):
        models.spell_game(**kwargs)  # type: ignore[arg-type]  # deliberately wrong types


BASE = {"U0": 1, "U": 2, "U1": 4, "R": 0.5, "W": 3, "C": 1, "C0": 0.5, "E": 0.2,
        "delta": 0.9}


@pytest.mark.parametrize(("change", "match"), [
    ({"U": [2, 2]}, "U = .*must have one value a month: 3 values, got 2"),
    ({"R": [0.5, 0.5, 0.5]}, "R = .*must be one number"),
    ({"U0": [1, 3, 1]}, "breaks the assumption"),
    ({"delta": 1.5}, "delta = 1.5.*breaks the assumption"),
])
def test_bad_values(change: dict[str, object], match: str) -> None:
    with pytest.raises(GameParameterError, match=match):
        models.spell_game(3).equilibria_at(**{**BASE, **change})


def test_bad_selection_and_symbolic_horizon() -> None:
    with pytest.raises(GameParameterError, match="select = 'fair'"):
        models.spell_game(2).solve(select="fair", **BASE)  # type: ignore[arg-type]  # on purpose
    with pytest.raises(GameParameterError, match=r"T = 5.*at most 4"):
        models.spell_game(5).equilibria()


def test_no_limit_where_the_mixed_slope_is_below_minus_one() -> None:
    # K = (1-R)(U1-U) + (U-U0) + C - C0 = 0.1: the mixed slope delta*(1 - R(U-U0)/K) = -3.6.
    p = {"U0": 1, "U": 2, "U1": 3, "R": 0.5, "W": 18, "C": 1, "C0": 2.4, "E": 0.2,
         "delta": 0.9}
    slope = models.spell_game(1).contraction_slopes()[
        "mixed {monitor, don't monitor} x {effort, no effort}"]
    assert slope.subs({sp.Symbol(k): sp.nsimplify(v) for k, v in p.items()}) == sp.Rational(-18, 5)
    first = [models.spell_game(T).equilibria_at(**p)[0].rounds[0].row[0] for T in (40, 41, 42)]
    assert first == [0, 1, 0]  # month 1 alternates with the parity of T: no limit


def test_solve_marks_points_outside_the_assumptions() -> None:
    values: dict[str, Any] = {**BASE, "U0": np.array([1.0, 3.0])}  # 3 > U = 2: outside
    out = models.spell_game(3).solve(**values)
    assert out.solved.tolist() == [True, False]
    assert np.isnan(out.row[:, :, 1]).all()
    assert out.n_equilibria[:, 1].tolist() == [0, 0, 0]


def test_constructor_refuses_what_does_not_fit() -> None:
    stage = models.monitoring_game()
    stay = [["1 - R", 1], ["1 - R", 1]]
    with pytest.raises(GameError, match="already has a parameter 'R'"):
        SpellGame(stage, stay, 2, delta="R")
    with pytest.raises(GameError, match="monthly names 'X'"):
        SpellGame(stage, stay, 2, monthly=["X"])
    with pytest.raises(GameParameterError, match=r"stay = .*must be 2 x 2"):
        SpellGame(stage, [[1, 1]], 2)


def test_gambit_tree_size_is_bounded() -> None:
    with pytest.raises(GameParameterError, match=r"T = 7.*at most 6"):
        models.spell_game(7).to_gambit(**BASE)
