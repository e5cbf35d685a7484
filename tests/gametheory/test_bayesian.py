"""Bayesian games: Bayes-Nash equilibria against Gambit, boundaries, statics in the prior.

The reference is pygambit's exact ``enummixed`` on an extensive-form game with a chance
move over the types, built here from hand-typed payoffs (``tests.strategies``), never
through ``BayesianGame.to_gambit`` or the agent form.  Equilibria are compared as sets of
extreme points (degenerate points such as ``p = 0`` included).
"""

from __future__ import annotations

import itertools
from fractions import Fraction as F
from typing import Any

import numpy as np
import pygambit as gbt
import pytest
import sympy as sp
from numpy.typing import NDArray

from gametheory import GameParameterError, ShapeError, StaticsError, models
from gametheory.bayesian import BayesianGame
from gametheory.exact import evaluate
from tests.strategies import monitoring_payoffs

TOL = 1e-9
GAME = models.bayesian_monitoring_game()
#: Seed 001's money numbers (Shanghai tiers, wage, costs); R_H, R_L, p stay symbols.
MONEY: dict[str, Any] = {"U0": 1510, "U": 1740, "U1": 2175, "W": 8000, "C": 1878, "C0": 600,
                         "E": 100}
Profile = tuple[NDArray[np.float64], NDArray[np.float64]]


@pytest.fixture(scope="module")
def reduced() -> BayesianGame:
    """The two-type game at the seed's money numbers, symbolic in R_H, R_L and p."""
    game = GAME.fix(**MONEY)
    game.equilibria()  # derived once for the module (a few seconds)
    return game


def type_payoffs(point: dict[str, Any], R: str) -> tuple[list[list[F]], list[list[F]]]:
    """Seed 001's Table 2 for one type, by hand (tests.strategies)."""
    A, B = monitoring_payoffs({**point, "R": point[R]})
    return A, B


def gambit_bne(point: dict[str, Any]) -> list[Profile]:
    """Extreme Bayes-Nash equilibria by pygambit's enummixed on :func:`gambit_tree`."""
    return _profiles(gambit_tree(point))


def gambit_tree(point: dict[str, Any]) -> Any:
    """The game as a pygambit tree built here: chance over types (prior p), the
    claimant's move per type, the government's one information set."""
    p = F(point["p"])
    game = gbt.Game.new_tree(players=["government", "claimant"], title="test")
    game.append_move(game.root, game.players.chance, ["H", "L"])
    game.set_chance_probs(game.root.infoset, [gbt.Rational(p.numerator, p.denominator),
                                              gbt.Rational((1 - p).numerator,
                                                              (1 - p).denominator)])
    gov = None
    for t, node in zip(("H", "L"), game.root.children, strict=True):
        A, B = type_payoffs(point, f"R_{t}")
        game.append_move(node, "claimant", ["effort", "no effort"])
        node.infoset.label = f"type {t}"
        for j, child in enumerate(node.children):
            if gov is None:
                game.append_move(child, "government", ["monitor", "don't monitor"])
                gov = child.infoset
            else:
                game.append_infoset(child, gov)
            for i, leaf in enumerate(child.children):
                payoffs = [gbt.Rational(A[i][j]), gbt.Rational(B[i][j])]
                outcome = game.add_outcome(payoffs=payoffs, label=f"{t}{i}{j}")
                game.set_outcome(leaf, outcome)
    return game


def _profiles(game: Any) -> list[Profile]:
    return [_agent_form(game, eq) for eq in gbt.nash.enummixed_solve(game, rational=True)
            .equilibria]


def _agent_form(game: Any, eq: Any) -> Profile:
    """A pygambit mixed-strategy profile as agent-form ``(row, col)`` arrays."""
    government, claimant = game.players["government"], game.players["claimant"]
    infosets = {s.label: s for s in claimant.infosets}
    row = np.zeros(2)
    for s in government.strategies:
        row[["monitor", "don't monitor"].index(s.action(gov_set(government)).label)] += \
            float(eq[s])
    col = np.zeros(4)
    for s in claimant.strategies:
        h = ["effort", "no effort"].index(s.action(infosets["type H"]).label)
        low = ["effort", "no effort"].index(s.action(infosets["type L"]).label)
        col[2 * h + low] += float(eq[s])
    return row, col


def gov_set(player: Any) -> Any:
    """The government's only information set."""
    (infoset,) = list(player.infosets)
    return infoset


def same_sets(ours: list[Profile], theirs: list[Profile]) -> bool:
    def close(a: Profile, b: Profile) -> bool:
        return bool(np.allclose(a[0], b[0], atol=TOL) and np.allclose(a[1], b[1], atol=TOL))
    return (all(any(close(a, b) for b in theirs) for a in ours)
            and all(any(close(a, b) for a in ours) for b in theirs))


def random_points(n: int) -> list[dict[str, Any]]:
    """Rational points inside the assumptions, from one seeded generator."""
    rng = np.random.default_rng(14)
    out = []
    for _ in range(n):
        U0 = F(int(rng.integers(1, 40)))
        U = U0 + F(int(rng.integers(1, 40)))
        U1 = U + F(int(rng.integers(1, 40)))
        R_L, R_H = sorted(F(int(v), 97) for v in rng.integers(0, 98, 2))
        out.append({"U0": U0, "U": U, "U1": U1, "R_H": R_H, "R_L": R_L,
                    "p": F(int(rng.integers(0, 50)), 49), "W": F(int(rng.integers(1, 120))),
                    "C": F(int(rng.integers(1, 40))), "C0": F(int(rng.integers(1, 40))),
                    "E": F(int(rng.integers(1, 40)), 3)})
    return out


BASE: dict[str, Any] = {"U0": F(10), "U": F(20), "U1": F(40), "R_H": F(4, 5), "R_L": F(1, 5),
                        "p": F(1, 2), "W": F(40), "C": F(8), "C0": F(5), "E": F(3)}
BOUNDARIES = [{**BASE, "p": F(0)}, {**BASE, "p": F(1)}, {**BASE, "R_L": F(0)},
              {**BASE, "R_H": F(1)}, {**BASE, "R_L": F(4, 5)}, {**BASE, "p": F(0), "R_H": F(1)}]


@pytest.mark.parametrize("point", random_points(12) + BOUNDARIES)
def test_bayes_nash_equilibria_equal_gambits(point: dict[str, Any]) -> None:
    assert same_sets(GAME.equilibria_at(**point), gambit_bne(point))


@pytest.mark.parametrize("point", random_points(6) + BOUNDARIES[:2])
def test_to_gambit_tree_has_the_same_equilibria(point: dict[str, Any]) -> None:
    tree = GAME.to_gambit(**point)
    assert [p.label for p in tree.players] == ["government", "claimant"]
    probs = [F(a.prob) for a in tree.root.infoset.actions]
    assert probs == [F(point["p"]), 1 - F(point["p"])]
    assert same_sets(_profiles(tree), gambit_bne(point))


@pytest.mark.parametrize("point", random_points(8))
def test_equal_types_give_the_complete_information_government(point: dict[str, Any]) -> None:
    """With R_H = R_L = R the government's equilibrium strategies are the monitoring
    game's (as sets of extreme points)."""
    point = {**point, "R_L": point["R_H"]}
    complete = {k: v for k, v in point.items() if k not in ("R_H", "R_L", "p")}
    complete["R"] = point["R_H"]
    ours = {tuple(np.round(r, 9)) for r, _ in GAME.equilibria_at(**point)}
    theirs = {tuple(np.round(r, 9)) for r, _ in
              models.monitoring_game().equilibria_at(**complete)}
    assert ours == theirs


def test_reduced_families_hold_exactly_where_gambit_says(reduced: BayesianGame) -> None:
    """Symbolic families (conditions in R_H, R_L, p) evaluated at points equal Gambit's
    equilibria where the point is nondegenerate, and are equilibria everywhere."""
    rng = np.random.default_rng(7)
    points = [{"R_H": max(a, b), "R_L": min(a, b), "p": F(int(rng.integers(0, 31)), 30)}
              for a, b in (sorted(F(int(v), 89) for v in rng.integers(0, 90, 2))
                           for _ in range(12))]
    points += [{"R_H": F(9, 10), "R_L": F(1, 5), "p": p} for p in (F(0), F(1), F(1, 2))]
    for q in points:
        full = {**MONEY, **q}
        found = [tuple(np.array([float(evaluate(v, _subs(reduced, q))) for v in vec])
                       for vec in (eq.row, eq.col))
                 for eq in reduced.equilibria() if eq.holds_at(**q)]
        reference = gambit_bne(full)
        for row, col in found:
            assert any(np.allclose(row, r, atol=TOL) and np.allclose(col, c, atol=TOL)
                       for r, c in reference), (q, row, col)
        if 0 < q["p"] < 1:
            assert same_sets(found, reference), (q, found, reference)  # type: ignore[arg-type]  # tuples of arrays


def _subs(game: BayesianGame, q: dict[str, F]) -> dict[sp.Symbol, sp.Rational]:
    return {game.params[k]: sp.Rational(v.numerator, v.denominator) for k, v in q.items()}


def test_pooled_monitoring_threshold_in_the_prior(reduced: BayesianGame) -> None:
    """(monitor, both types search) holds iff the average job-finding probability
    p R_H + (1 - p) R_L reaches 1 - E/(U1 - U) = 67/87 (hand derivation: the government's
    gain from monitoring searchers is E - (U1 - U)(1 - R_t), averaged over the prior)."""
    pooled = next(eq for eq in reduced.equilibria()
                  if eq.label == "(monitor, H effort & L effort)")
    for R_H, R_L, p in itertools.product([F(9, 10), F(4, 5)], [F(1, 5), F(1, 2)],
                                         [F(0), F(1, 3), F(2, 3), F(1)]):
        average = p * R_H + (1 - p) * R_L
        assert pooled.holds_at(R_H=R_H, R_L=R_L, p=p) == (average >= F(67, 87))


def test_statics_in_the_prior_at_exact_points(reduced: BayesianGame) -> None:
    """The government's payoff in the pooled family rises with p (proven nonnegative:
    zero where R_H = R_L); its derivative is U1 (R_H - R_L), checked at p = 0, 1/2, 1."""
    pooled = next(eq for eq in reduced.equilibria()
                  if eq.label == "(monitor, H effort & L effort)")
    statics = reduced.statics("row_payoff", "p", family=pooled)
    assert statics.sign == "nonnegative"
    for p, R_H, R_L in [(F(0), F(9, 10), F(1, 5)), (F(1, 2), F(1), F(0)), (F(1), F(4, 5),
                                                                           F(4, 5))]:
        value = evaluate(statics.derivative, _subs(reduced, {"R_H": R_H, "R_L": R_L, "p": p}))
        assert value == MONEY["U1"] * (R_H - R_L)
        assert value >= 0


def test_statics_of_a_type_probability() -> None:
    """In the family where only the high type mixes, its effort probability
    y_H = (E + U - U0)/(p (U1 - U0 - R_H (U1 - U))) falls with p: proven negative, and
    the derivative equals the hand formula's at p = 1/2 and at the boundary p = 1.
    (R_H is fixed here: with R_H symbolic under the chain 0 <= R_L <= R_H <= 1 the prover
    answers 'unknown', see docs/explanation/bayesian.md.)"""
    R_H = F(1, 5)  # below 3/10: the high type does not search unless monitored
    game = GAME.fix(**MONEY, R_H=R_H)
    family = next(eq for eq in game.equilibria() if eq.label ==
                  "mixed {monitor, don't monitor} x {H effort & L no effort, "
                  "H no effort & L no effort}")
    statics = game.statics("H effort", "p", family=family)
    assert statics.sign == "negative"
    K = MONEY["U1"] - MONEY["U0"] - R_H * (MONEY["U1"] - MONEY["U"])
    for p in (F(1, 2), F(1)):
        hand = -F(MONEY["E"] + MONEY["U"] - MONEY["U0"]) / (p * p * K)
        assert evaluate(statics.derivative, _subs(game, {"R_L": F(0), "p": p})) == hand


# ------------------------------------------------------------------ screening
SCREEN: dict[str, Any] = {**BASE, "a": F(4, 5)}


@pytest.mark.parametrize("point", [SCREEN, {**SCREEN, "a": F(1, 2)}, {**SCREEN, "a": F(1)},
                                   {**SCREEN, "p": F(0)}])
def test_screening_game_equals_its_gambit_tree(point: dict[str, Any]) -> None:
    game = models.bayesian_monitoring_game(screening=True)
    assert game.agent_form().shape == (4, 4)
    tree = game.to_gambit(**point)
    result = gbt.nash.enummixed_solve(tree, rational=True)
    ours = game.equilibria_at(**point)
    government, claimant = tree.players["government"], tree.players["claimant"]
    row_sets = {s.label: s for s in government.infosets}
    col_sets = {s.label: s for s in claimant.infosets}
    theirs = []
    for eq in result.equilibria:
        row, col = np.zeros(4), np.zeros(4)
        for s in government.strategies:
            h, low = (["monitor", "don't monitor"].index(s.action(row_sets[k]).label)
                      for k in ("signal h", "signal l"))
            row[2 * h + low] += float(eq[s])
        for s in claimant.strategies:
            h, low = (["effort", "no effort"].index(s.action(col_sets[k]).label)
                      for k in ("type H", "type L"))
            col[2 * h + low] += float(eq[s])
        theirs.append((row, col))
    assert same_sets(ours, theirs)


def test_screening_payoff_by_hand() -> None:
    """One agent-form entry against the expectation written out: monitor on h, don't on
    l; both types search."""
    game = models.bayesian_monitoring_game(screening=True)
    A, _ = game.agent_form().payoffs_at(**SCREEN)
    AH, _ = type_payoffs(SCREEN, "R_H")
    AL, _ = type_payoffs(SCREEN, "R_L")
    p, a = SCREEN["p"], SCREEN["a"]
    hand = p * (a * AH[0][0] + (1 - a) * AH[1][0]) + (1 - p) * ((1 - a) * AL[0][0]
                                                               + a * AL[1][0])
    assert A[1, 0] == pytest.approx(float(hand), abs=1e-12)


def test_perfect_screening_separates() -> None:
    """With a perfect signal (a = 1) the government plays the complete-information game
    against each type: its action on signal h is an equilibrium action against R_H."""
    game = models.bayesian_monitoring_game(screening=True)
    point = {**SCREEN, "a": F(1)}
    high = {k: v for k, v in point.items() if k not in ("R_H", "R_L", "p", "a")}
    complete = models.monitoring_game().equilibria_at(**{**high, "R": point["R_H"]})
    on_h = {round(float(game.row_behaviour(r)["h"][0]), 9) for r, _ in
            game.equilibria_at(**point)}
    assert on_h <= {round(float(r[0]), 9) for r, _ in complete}


# ------------------------------------------------------------------ behaviour, QRE
def test_behaviour_marginals() -> None:
    assert GAME.column_behaviour([0.1, 0.2, 0.3, 0.4]) == {"H": pytest.approx((0.3, 0.7)),
                                                           "L": pytest.approx((0.4, 0.6))}
    with pytest.raises(ShapeError, match="col must have 4 probabilities"):
        GAME.column_behaviour([1.0, 0.0])


@pytest.mark.parametrize("lam", [0.05, 0.2, 1.0])
def test_agent_form_qre_equals_gambits_strategic_qre_of_the_tree(lam: float) -> None:
    point = {**BASE, "p": F(3, 10)}
    tree = gambit_tree(point)
    expected = _agent_form(tree, gbt.qre.logit_solve_lambda(tree, [lam],
                                                            use_strategic=True)[0].profile)
    row, col = GAME.logit_qre(lam, **point)
    np.testing.assert_allclose(row, expected[0], atol=1e-7)
    np.testing.assert_allclose(col, expected[1], atol=1e-7)


def test_agent_form_qre_is_a_logit_per_type() -> None:
    """The agent form's QRE: each type's effort is a logit in its own gain with precision
    lam * P(type) (the ex-ante payoffs add over types)."""
    lam = 0.3
    row, col = GAME.logit_qre(lam, **BASE)
    x = row[0]
    behaviour = GAME.column_behaviour(col)
    for t, weight in (("H", BASE["p"]), ("L", 1 - BASE["p"])):
        _, B = type_payoffs(BASE, f"R_{t}")
        gain = float(x * (B[0][0] - B[0][1]) + (1 - x) * (B[1][0] - B[1][1]))
        assert behaviour[t][0] == pytest.approx(1 / (1 + np.exp(-lam * float(weight) * gain)),
                                                abs=1e-9)


# ------------------------------------------------------------------ bad input
def test_prior_must_sum_to_one() -> None:
    with pytest.raises(GameParameterError, match=r"prior = .*must sum to 1"):
        BayesianGame({"H": [[1]], "L": [[1]]}, {"H": [[1]], "L": [[1]]},
                     {"H": "p", "L": "p"}, params=["p"], assumptions=["0 <= p <= 1"])


def test_prior_must_be_provably_nonnegative() -> None:
    with pytest.raises(GameParameterError, match=r"prior\[H\] = 'p': must be provably >= 0"):
        BayesianGame({"H": [[1]], "L": [[1]]}, {"H": [[1]], "L": [[1]]},
                     {"H": "p", "L": "1 - p"}, params=["p"])


def test_types_must_match() -> None:
    with pytest.raises(ShapeError, match="prior has types"):
        BayesianGame({"H": [[1]], "L": [[1]]}, {"H": [[1]], "L": [[1]]},
                     {"H": "1"}, params=[])
    with pytest.raises(ShapeError, match="one shape"):
        BayesianGame({"H": [[1]], "L": [[1, 2]]}, {"H": [[1]], "L": [[1, 2]]},
                     {"H": "1/2", "L": "1/2"}, params=[])


def test_signals_must_be_distributions() -> None:
    with pytest.raises(GameParameterError, match=r"signals given H = .*must sum to 1"):
        BayesianGame({"H": [[1]], "L": [[1]]}, {"H": [[1]], "L": [[1]]},
                     {"H": "1/2", "L": "1/2"}, params=[],
                     signals={"h": {"H": "1/2", "L": "1"}, "l": {"H": "1/3", "L": "0"}})
    with pytest.raises(ShapeError, match=r"signals\['h'\] must give a probability"):
        BayesianGame({"H": [[1]], "L": [[1]]}, {"H": [[1]], "L": [[1]]},
                     {"H": "1/2", "L": "1/2"}, params=[], signals={"h": {"H": "1"}})


def test_fix_checks_its_values() -> None:
    with pytest.raises(GameParameterError, match="Q = 1: not a parameter"):
        GAME.fix(Q=1)
    with pytest.raises(GameParameterError, match="breaks the assumption"):
        GAME.fix(R_H=0.2, R_L=0.5)


def test_statics_refuses_a_foreign_family_and_bad_names(reduced: BayesianGame) -> None:
    other = models.monitoring_game().equilibria()[0]
    with pytest.raises(StaticsError, match="is not an equilibrium family"):
        reduced.statics("X", "p", family=other)
    family = reduced.equilibria()[0]
    with pytest.raises(StaticsError, match="of = 'Z effort'"):
        reduced.statics("Z effort", "p", family=family)
    with pytest.raises(GameParameterError, match="not a parameter"):
        GAME.to_gambit(**{**BASE, "Q": 1})
