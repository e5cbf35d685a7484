"""Unit tests of ``Game`` and ``Equilibrium``: construction, text, displays, lambdify.

Expected values come from hand derivations or from the literature (cited per test).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd
import pytest
import sympy as sp

from gametheory import Equilibrium, EquilibriumArrays, Game, models

POINT = {"U0": 1.0, "U": 2.0, "U1": 4.0, "R": 0.5, "W": 3.0, "C": 1.0, "C0": 0.5, "E": 0.2}
U0, U, U1, R, W, C, C0, E = sp.symbols("U0 U U1 R W C C0 E")


@pytest.fixture(scope="module")
def monitoring() -> Game:
    return models.monitoring_game()


@pytest.fixture(scope="module")
def mixed(monitoring: Game) -> Equilibrium:
    return monitoring.mixed_equilibrium()


def printed_xy(p: Mapping[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """Seed 001 (3-3) X* and (3-6) Y*, typed in by hand."""
    x = (p["U"] * p["R"] - p["R"] * p["W"] + p["C"]) / (
        p["U1"] - p["U0"] + p["U"] * p["R"] - p["U1"] * p["R"] + p["C"] - p["C0"])
    y = (p["U"] - p["U0"] + p["E"]) / (p["U1"] - p["U0"] + p["U"] * p["R"] - p["U1"] * p["R"])
    return np.asarray(x), np.asarray(y)


# --------------------------------------------------------------------- construction
def test_seed_games_payoffs(monitoring: Game) -> None:
    """Seed 001 Table 2 with its minus signs restored (SEEDS.md), typed in by hand."""
    A = sp.Matrix([[-U1 * (1 - R) + E, -U0 + E], [-U * (1 - R), -U]])
    B = sp.Matrix([[R * W + U1 * (1 - R) - C0, U0], [R * W + U * (1 - R) - C, U]])
    assert sp.simplify(monitoring.A - A) == sp.zeros(2, 2)
    assert sp.simplify(monitoring.B - B) == sp.zeros(2, 2)
    assert monitoring.shape == (2, 2)
    assert monitoring.row_labels == ("monitor", "don't monitor")
    assert monitoring.col_labels == ("effort", "no effort")
    assert list(monitoring.params) == ["U0", "U", "U1", "R", "W", "C", "C0", "E"]
    benefit = models.benefit_game()
    Ub, Cb = benefit.params["U"], benefit.params["C"]
    assert benefit.A == sp.Matrix([[-Ub, -Ub], [0, 0]])
    assert benefit.B == sp.Matrix([[Ub - Cb, Ub], [-Cb, 0]])


def test_params_mapping(monitoring: Game) -> None:
    assert all(isinstance(s, sp.Symbol) and str(s) == k for k, s in monitoring.params.items())
    assert monitoring.params["U1"] in monitoring.A.free_symbols


def test_params_default_to_sorted_free_symbols() -> None:
    a, b = sp.symbols("b a")  # names deliberately swapped
    g = Game([[a, 0], [0, b]], [[b, 0], [0, a]])
    assert list(g.params) == ["a", "b"]
    assert g.row_labels == ("r1", "r2") and g.col_labels == ("c1", "c2")


def test_params_mapping_keeps_the_given_symbols() -> None:
    a = sp.Symbol("a", positive=True)
    g = Game([["a", "0"], ["0", "1"]], [["1", "0"], ["0", "a"]], params={"a": a})
    assert g.params["a"] is a
    assert g.A[0, 0] is a


def test_inputs_of_every_kind_give_the_same_game() -> None:
    third = Fraction(1, 3)
    from_lists = Game([[1, third], [0.5, -2]], [[0, 1], [2, 3]])
    from_numpy = Game(np.array([[1, third], [0.5, -2]], dtype=object), np.array([[0, 1], [2, 3]]))
    from_sympy = Game(sp.Matrix([[1, sp.Rational(1, 3)], [sp.Rational(1, 2), -2]]),
                      sp.Matrix([[0, 1], [2, 3]]))
    from_text = Game.from_text("[[1, 1/3], [0.5, -2]]", "[[0, 1], [2, 3]]", params=[])
    for g in (from_numpy, from_sympy, from_text):
        assert g.A == from_lists.A and g.B == from_lists.B
    assert from_lists.A[0, 1] == sp.Rational(1, 3)


def test_floats_mean_their_shortest_decimal() -> None:
    """Issue 9: a float means its shortest decimal, as the formula parser reads '0.1'."""
    g = Game([[0.1, 0], [0, 1]], [[1, 0], [0, 1]])
    text = Game([["0.1", "0"], ["0", "1"]], [[1, 0], [0, 1]])
    assert g.A[0, 0] == sp.Rational(1, 10) == text.A[0, 0]
    assert g.A[0, 0] != sp.Rational(*Fraction(0.1).as_integer_ratio())


def test_text_decimals_are_exact_rationals() -> None:
    g = Game([["0.1", "2.50"], ["1e-3", "-0.3333"]], [["1", "0"], ["0", "1"]], params=[])
    assert g.A == sp.Matrix([[sp.Rational(1, 10), sp.Rational(5, 2)],
                             [sp.Rational(1, 1000), sp.Rational(-3333, 10000)]])
    assert all(v.is_Rational for v in g.A)


def test_from_text_matches_sympy_construction() -> None:
    g = Game.from_text("[[-U, -U], [0, 0]]", "[[U - C, U], [-C, 0]]", params=["U", "C"],
                       assumptions=["U > 0", "C > 0"], row_labels=["pay", "don't pay"])
    Us, Cs = g.params["U"], g.params["C"]
    assert g.A == sp.Matrix([[-Us, -Us], [0, 0]])
    assert g.B == sp.Matrix([[Us - Cs, Us], [-Cs, 0]])
    assert g.row_labels == ("pay", "don't pay")
    assert len(g.assumptions) == 2


def test_text_functions_and_chained_assumptions() -> None:
    g = Game([["sqrt(a) + exp(0)", "Max(a, 1)"], ["log(1)", "Abs(-a)"]],
             [["1", "0"], ["0", "1"]], params=["a"], assumptions=["0 < a <= 1"])
    a = g.params["a"]
    assert g.A[0, 0] == sp.sqrt(a) + 1
    assert g.A[1, 0] == 0
    assert g.assumptions == (sp.StrictLessThan(0, a), sp.LessThan(a, 1))


def test_repr_and_latex(monitoring: Game) -> None:
    assert repr(monitoring) == (
        "Game('monitoring game (seed 001, Table 2)', 2x2, params=['U0', 'U', 'U1', 'R', "
        "'W', 'C', 'C0', 'E'])")
    latex = monitoring._repr_latex_()
    assert latex.startswith("$") and latex.endswith("$")
    assert r"\begin{array}" in latex
    for label in ("monitor", "don't monitor", "effort", "no effort"):
        assert rf"\text{{{label}}}" in latex
    assert sp.latex(monitoring.A[0, 1]) in latex and sp.latex(monitoring.B[1, 0]) in latex


# --------------------------------------------------------------------- families
def test_symbolic_battle_of_the_sexes() -> None:
    """Hand derivation: column indifferent when x = (1 - x) a, so x = a/(a + 1); row
    indifferent when a y = 1 - y, so y = 1/(a + 1).  Both pure diagonals always hold."""
    g = Game([["a", "0"], ["0", "1"]], [["1", "0"], ["0", "a"]], params=["a"],
             assumptions=["a > 0"])
    a = g.params["a"]
    fams = g.equilibria()
    assert [f.kind for f in fams] == ["pure", "pure", "mixed"]
    assert [f.label for f in fams[:2]] == ["(r1, c1)", "(r2, c2)"]
    assert all(f.condition == sp.true for f in fams)
    m = g.mixed_equilibrium()
    assert sp.simplify(m.row[0] - a / (a + 1)) == 0
    assert sp.simplify(m.col[0] - 1 / (a + 1)) == 0
    assert sp.simplify(m.row_payoff - a / (a + 1)) == 0  # row player: a y
    assert m.row_support == (0, 1) and m.col_support == (0, 1)


def test_monitoring_families(monitoring: Game) -> None:
    """Hand derivation: (don't monitor, no effort) is never an equilibrium because the
    government's monitoring pays against no effort (E - U0 > -U as E > 0, U0 < U); it is
    listed (with condition False) only on request."""
    labels = [f.label for f in monitoring.equilibria()]
    assert "(don't monitor, no effort)" not in labels
    assert "(monitor, effort)" in labels
    everything = [f.label for f in monitoring.equilibria(include_impossible=True)]
    assert "(don't monitor, no effort)" in everything
    impossible = monitoring.equilibria(include_impossible=True)[everything.index(
        "(don't monitor, no effort)")]
    assert impossible.condition == sp.false
    m = monitoring.mixed_equilibrium()
    assert m.kind == "mixed" and m.row_support == (0, 1)
    assert sp.simplify(m.col[0] - (U - U0 + E) / (U1 - U0 + U * R - U1 * R)) == 0


def test_equilibrium_is_frozen_and_displays(mixed: Equilibrium) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        mixed.label = "x"  # type: ignore[misc]  # frozen: assignment must fail
    d: dict[str, Any] = mixed.to_dict()
    assert set(d) == {"label", "kind", "row", "col", "condition", "row_payoff", "col_payoff"}
    assert d["kind"] == "mixed" and len(d["row"]) == 2
    # readable inequalities, not sympy's str: no '&', '|', 'Ne(' (issue 9, readable conditions)
    assert "E < " in d["condition"] and " and " in d["condition"]
    assert not any(tok in d["condition"] for tok in ("&", "|", "Ne("))
    latex = mixed._repr_latex_()
    assert latex.startswith("$") and r"\text{if }" in latex
    assert sp.latex(mixed.col[0]) in latex
    assert "Equilibrium(" in repr(mixed)


def test_to_frame(monitoring: Game) -> None:
    frame = monitoring.to_frame()
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == ["label", "kind", "row", "col", "condition", "row_payoff",
                                   "col_payoff"]
    assert len(frame) == len(monitoring.equilibria()) == 4
    assert list(frame["kind"]) == ["pure", "pure", "pure", "mixed"]
    assert frame.loc[0, "label"] == "(monitor, effort)"
    assert frame.loc[0, "row"] == ["1", "0"]


# --------------------------------------------------------------------- lambdify
def test_lambdify_scalars(mixed: Equilibrium) -> None:
    out = mixed.lambdify()(**POINT)
    assert isinstance(out, EquilibriumArrays)
    assert out.row.shape == (2,) and out.col.shape == (2,) and out.valid.shape == ()
    assert out.valid.dtype == bool and bool(out.valid)
    x, y = printed_xy(POINT)
    np.testing.assert_allclose([out.row[0], out.col[0]], [x, y], rtol=1e-12)
    np.testing.assert_allclose(out.row[1], 1 - x, rtol=1e-12)


def test_lambdify_unpacks_and_accepts_positional_arguments(mixed: Equilibrium) -> None:
    _row, col, valid = mixed.lambdify()(*POINT.values())
    np.testing.assert_allclose(col, mixed.lambdify()(**POINT).col)
    assert bool(valid)


def test_lambdify_arrays_and_mixed_shapes(mixed: Equilibrium) -> None:
    f = mixed.lambdify()
    R_grid = np.linspace(0.0, 0.9, 6).reshape(2, 3)
    E_row = np.array([0.1, 0.2, 0.3])
    out = f(**{**POINT, "R": R_grid, "E": E_row})
    assert out.row.shape == (2, 2, 3) and out.col.shape == (2, 2, 3)
    assert out.valid.shape == (2, 3)
    p = {**POINT, "R": R_grid, "E": np.broadcast_to(E_row, (2, 3))}
    x, y = printed_xy(p)
    np.testing.assert_allclose(out.row[0], x, rtol=1e-12)
    np.testing.assert_allclose(out.col[0], y, rtol=1e-12)
    # Lists and integer arrays are accepted as numbers.
    out_list = f(**{**POINT, "U1": [4, 5, 6]})
    out_int = f(**{**POINT, "U1": np.array([4, 5, 6])})
    np.testing.assert_allclose(out_list.col, out_int.col)
    # Empty input gives empty output, not an error.
    empty = f(**{**POINT, "R": np.empty(0)})
    assert empty.row.shape == (2, 0) and empty.valid.shape == (0,)


def test_lambdify_many_points_across_blocks(mixed: Equilibrium) -> None:
    """More points than one evaluation block (the implementation works in blocks)."""
    rng = np.random.default_rng(7)
    n = 50_001
    p = {"U0": rng.uniform(1, 2, n), "U": rng.uniform(2, 3, n), "U1": rng.uniform(3, 6, n),
         "R": rng.uniform(0, 1, n), "W": rng.uniform(1, 8, n), "C": rng.uniform(0.1, 3, n),
         "C0": rng.uniform(0.1, 3, n), "E": rng.uniform(0.01, 2, n)}
    out = mixed.lambdify()(**p)
    x, y = printed_xy(p)
    np.testing.assert_allclose(out.row[0], x, rtol=1e-9)
    np.testing.assert_allclose(out.col[0], y, rtol=1e-9)
    # The mask is the hand-derived mixed region (E < (U1-U)(1-R) and a*b < 0).
    a = p["R"] * p["W"] + p["U1"] * (1 - p["R"]) - p["C0"] - p["U0"]
    b = p["R"] * p["W"] + p["U"] * (1 - p["R"]) - p["C"] - p["U"]
    region = (p["E"] < (p["U1"] - p["U"]) * (1 - p["R"])) & (a * b < 0)
    assert 0 < region.sum() < n
    np.testing.assert_array_equal(out.valid, region)


def test_pure_family_lambdify_broadcasts_constants(monitoring: Game) -> None:
    """A pure family's strategies are constants; they still come back with the points'
    shape."""
    pure = monitoring.equilibria()[0]  # (monitor, effort)
    out = pure.lambdify()(**{**POINT, "R": np.linspace(0, 1, 5)})
    assert out.row.shape == (2, 5)
    np.testing.assert_array_equal(out.row[0], np.ones(5))
    np.testing.assert_array_equal(out.col[1], np.zeros(5))
    # Hand derivation of (monitor, effort): E >= (U1-U)(1-R) and
    # RW + U1(1-R) - C0 >= U0.  At POINT with R = 1: E = 0.2 >= 0 and W - C0 = 2.5 >= 1.
    R_grid = np.linspace(0, 1, 5)
    expected = (0.2 >= 2 * (1 - R_grid)) & (3 * R_grid + 4 * (1 - R_grid) - 0.5 >= 1)
    np.testing.assert_array_equal(out.valid, expected)


def test_at_and_holds_at(mixed: Equilibrium) -> None:
    x, y = mixed.at(**POINT)
    assert x.shape == (2,) and y.shape == (2,)
    assert mixed.holds_at(**POINT) is True
    assert mixed.holds_at(**{**POINT, "E": 5.0}) is False  # E > (U1 - U)(1 - R) = 1


def test_lambdify_of_a_game_without_parameters() -> None:
    """A numeric game's families still lambdify: no arguments, scalar outputs."""
    g = Game([[3, 0], [5, 1]], [[3, 5], [0, 1]])  # prisoner's dilemma
    (fam,) = g.equilibria()
    out = fam.lambdify()()
    assert out.row.shape == (2,) and out.valid.shape == ()
    np.testing.assert_array_equal(out.row, [0, 1])
    assert bool(out.valid)


# --------------------------------------------------------------------- n x m games
def test_rock_paper_scissors() -> None:
    """The unique equilibrium of rock-paper-scissors is uniform play (e.g. Nisan et al.
    2007, ch. 1)."""
    A = [[0, -1, 1], [1, 0, -1], [-1, 1, 0]]
    g = Game(A, [[-v for v in row] for row in A],
             row_labels=["rock", "paper", "scissors"], col_labels=["rock", "paper", "scissors"])
    eqs = g.equilibria_at()
    assert len(eqs) == 1
    np.testing.assert_allclose(eqs[0][0], [1 / 3] * 3)
    np.testing.assert_allclose(eqs[0][1], [1 / 3] * 3)
    (fam,) = g.equilibria()
    assert fam.condition == sp.true
    assert g.mixed_equilibrium().row == (sp.Rational(1, 3),) * 3
    assert g.mixed_equilibrium().row_payoff == 0


#: von Stengel (2007), "Equilibrium computation for two-player games in strategic and
#: extensive form", in Nisan et al., Algorithmic Game Theory, fig. 3.3 (also nashpy's
#: documentation): three equilibria, listed there.
VS_A = [[3, 3], [2, 5], [0, 6]]
VS_B = [[3, 2], [2, 6], [3, 1]]
VS_EQ: list[tuple[tuple[Fraction | int, ...], tuple[Fraction | int, ...]]] = [((1, 0, 0), (1, 0)),
         ((Fraction(4, 5), Fraction(1, 5), 0), (Fraction(2, 3), Fraction(1, 3))),
         ((0, Fraction(1, 3), Fraction(2, 3)), (Fraction(1, 3), Fraction(2, 3)))]


def _assert_eq_set(
        ours: list[tuple[np.ndarray, np.ndarray]],
        expected: list[tuple[tuple[Fraction | int, ...], tuple[Fraction | int, ...]]]) -> None:
    assert len(ours) == len(expected)
    for x, y in expected:
        assert any(np.allclose(a, [float(v) for v in x]) and np.allclose(b, [float(v) for v in y])
                   for a, b in ours), (x, y, ours)


def test_3x2_game_from_the_literature() -> None:
    g = Game(VS_A, VS_B)
    _assert_eq_set(g.equilibria_at(), VS_EQ)
    fams = g.equilibria()
    for x, y in VS_EQ:
        assert any(f.row == tuple(sp.Rational(v) for v in x)
                   and f.col == tuple(sp.Rational(v) for v in y) and f.condition == sp.true
                   for f in fams)


def test_2x3_game_is_the_transpose() -> None:
    """Swapping the players' roles transposes the game and swaps the strategies."""
    g = Game([list(r) for r in zip(*VS_B, strict=True)], [list(r) for r in zip(*VS_A, strict=True)])
    assert g.shape == (2, 3)
    _assert_eq_set(g.equilibria_at(), [(y, x) for x, y in VS_EQ])
    assert isinstance(g.equilibria()[0], Equilibrium)


def test_equal_games_share_one_derivation_and_different_ones_do_not() -> None:
    """A model built twice is derived once (the families are the same objects); a game
    that differs in a payoff or a label is derived afresh, and its answer is its own."""
    def families(g: Game) -> tuple[Equilibrium, ...]:
        return g.equilibria(include_impossible=True)

    first, again = models.monitoring_game(), models.monitoring_game()
    assert families(again) is families(first)
    renamed = Game(first.A.tolist(), first.B.tolist(), params=first.params,
                   assumptions=first.assumptions, row_labels=first.row_labels,
                   col_labels=first.col_labels, name="another name")
    assert families(renamed) is families(first)  # the name is not part of the game
    relabelled = Game(first.A.tolist(), first.B.tolist(), params=first.params,
                      assumptions=first.assumptions, row_labels=["M", "N"],
                      col_labels=first.col_labels)
    assert families(relabelled) is not families(first)
    assert [eq.label.split(" ")[0] for eq in relabelled.equilibria()][:1] == ["(M,"]
    # the monitoring game with twice the benefit of monitoring: its own mixed equilibrium
    A = [["-U1*(1 - R) + 2*E", "-U0 + 2*E"], ["-U*(1 - R)", "-U"]]
    twice = Game(A, first.B.tolist(), params=first.params, assumptions=first.assumptions,
                 row_labels=first.row_labels, col_labels=first.col_labels)
    assert families(twice) is not families(first)
    U0, U, U1, R, E = sp.symbols("U0 U U1 R E")
    by_hand = (2 * E + U - U0) / (R * U - R * U1 - U0 + U1)  # indifference of the row player
    assert sp.simplify(twice.mixed_equilibrium().col[0] - by_hand) == 0
