"""The published claims of seed 001, stated as data and checked.

Each :class:`Claim` records what the paper printed (section, formula or statement) and a
check that derives the claim afresh from :func:`gametheory.models.monitoring_game` or
:func:`~gametheory.models.benefit_game`.  :func:`verify` returns one :class:`Verdict` per
claim: ``holds``, ``fails`` or ``holds only if`` (with the condition), a counterexample
point inside the assumptions where the claim fails (checked in exact arithmetic), and an
erratum where the print disagrees with the derivation.

Source: Zhang Mengying, "Game analysis of unemployment insurance payment", Operations
Research and Fuzziology 14(3) 129-135 (2024), doi:10.12677/orf.2024.143251.

>>> verdicts = {v.claim_id: v for v in verify()}
>>> verdicts["3-6"].status
'holds'
>>> verdicts["dY/dR-sign"].status
'holds'
>>> verdicts["2.2-no-effort-without-monitoring"].status
'holds only if'
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
import sympy as sp

from gametheory import models
from gametheory.conditions import condition_text, solve_relation
from gametheory.domain import Domain
from gametheory.errors import GameError
from gametheory.game import Game
from gametheory.parsing import parse_expr, parse_relations
from gametheory.signs import prove_sign

__all__ = ["CLAIMS", "STATUSES", "Claim", "Verdict", "verify"]

#: Every status a :class:`Verdict` can have.
STATUSES = ("holds", "fails", "holds only if", "unknown")


@dataclass(frozen=True)
class Verdict:
    """The outcome of checking one claim.

    Attributes
    ----------
    claim_id : str
    status : str
        ``"holds"`` (proven), ``"fails"`` (with an exact counterexample, or the claim's
        negation proven), ``"holds only if"`` (with the condition), or ``"unknown"``
        (neither proven nor refuted); see :data:`STATUSES`.
    condition : str or None
        For ``holds only if``: where the claim is true.
    counterexample : dict or None
        An exact point inside the game's assumptions where the claim (as printed) is false.
    erratum : str or None
        How the print disagrees with the derivation, if it does.
    derived : str
        The derived formula or statement the claim was checked against.

    Examples
    --------
    >>> verdict = verify(CLAIMS[:1])[0]
    >>> verdict.claim_id, verdict.status
    ('2.1-table1', 'holds')
    """

    claim_id: str
    status: str
    derived: str
    condition: str | None = None
    counterexample: dict[str, str] | None = None
    erratum: str | None = None

    def __post_init__(self) -> None:
        """Refuse a status outside :data:`STATUSES`."""
        if self.status not in STATUSES:
            raise GameError(f"Verdict status {self.status!r} is not one of {STATUSES}")

    def to_dict(self) -> dict[str, object]:
        """Plain fields for JSON output.

        Returns
        -------
        dict of str to object
            ``claim``, ``status``, ``derived``, ``condition``, ``counterexample``, ``erratum``.

        Examples
        --------
        >>> list(verify(CLAIMS[:1])[0].to_dict())
        ['claim', 'status', 'derived', 'condition', 'counterexample', 'erratum']
        """
        return {
            "claim": self.claim_id,
            "status": self.status,
            "derived": self.derived,
            "condition": self.condition,
            "counterexample": self.counterexample,
            "erratum": self.erratum,
        }


@dataclass(frozen=True)
class Claim:
    """A claim of seed 001: where it is printed, what it says, and how it is checked.

    Attributes
    ----------
    id : str
        A short identifier, e.g. ``"dY/dU-sign"``.
    section : str
        Where the seed prints it.
    statement : str
        What it says, in words.
    printed : str
        The printed formula or statement.
    check : callable
        ``check(game, claim) -> Verdict``.

    Examples
    --------
    >>> CLAIMS[0].id, CLAIMS[0].section
    ('2.1-table1', '§2.1, Table 1')
    """

    id: str
    section: str
    statement: str
    printed: str
    check: Callable[[Game, Claim], Verdict] = field(repr=False)


# --------------------------------------------------------------------- helpers
def _expr(game: Game, text: str) -> sp.Expr:
    return parse_expr(text, game.params)


def _point(
    game: Game, relations: Sequence[sp.Basic], *, seed: int = 7, n: int = 20000
) -> dict[str, sp.Rational] | None:
    """An exact rational point inside the assumptions where all ``relations`` hold."""
    dom = Domain(game.params, game.assumptions + tuple(relations))
    pts = dom.sample(n, np.random.default_rng(seed))
    names = list(game.params)
    if not pts or pts[names[0]].size == 0:
        return None
    for idx in range(min(pts[names[0]].size, 200)):
        for denom in (4, 10, 100, 10_000):
            point = {}
            for k in names:
                f = Fraction(float(pts[k][idx])).limit_denominator(denom)
                point[k] = sp.Rational(f.numerator, f.denominator)
            if dom.contains(point):
                return point
    return None


def _show(point: dict[str, sp.Rational] | None) -> dict[str, str] | None:
    return None if point is None else {k: str(v) for k, v in point.items()}


def _same(a: sp.Expr, b: sp.Expr) -> bool:
    return bool(sp.simplify(sp.together(a - b)) == 0)


def _sign_claim(game: Game, claim: Claim, expr: sp.Expr, want: str, derived: str,
                erratum: str | None = None) -> Verdict:
    """Check ``sign(expr) == want`` ("positive" or "negative") over the assumptions."""
    result = prove_sign(expr, game.domain)
    strong = {"positive": ("positive",), "negative": ("negative",)}[want]
    weak = {"positive": "nonnegative", "negative": "nonpositive"}[want]
    if result.sign in strong:
        return Verdict(claim.id, "holds", derived, erratum=erratum)
    if result.sign == weak:
        num = sp.fraction(sp.factor(sp.together(expr)))[0]
        vanishing = [base for base, _ in sp.factor_list(num)[1]
                     if prove_sign(base, game.domain, _witness_search=False).sign != want
                     and prove_sign(-base, game.domain, _witness_search=False).sign != want]
        condition = " and ".join(
            condition_text(solve_relation(base, "!=", game.domain), unicode=False)
            for base in vanishing) or f"{expr} != 0"
        return Verdict(claim.id, "holds only if", derived, condition=condition,
                       erratum=erratum)
    if result.sign == "depends":
        bad = "negative" if want == "positive" else "positive"
        rel = result.condition[want]
        return Verdict(claim.id, "holds only if", derived,
                       condition=condition_text(
                           solve_relation(rel.lhs - rel.rhs, ">", game.domain), unicode=False),
                       counterexample=_show(result.witnesses[bad]), erratum=erratum)
    return Verdict(claim.id, "fails" if result.proven else "unknown", derived,
                   erratum=erratum)


# --------------------------------------------------------------------- checks
def _check_table1(_: Game, claim: Claim) -> Verdict:
    g = models.benefit_game()
    eqs = g.equilibria()
    labels = [(eq.label, eq.condition) for eq in eqs]
    gap_col = prove_sign(g.B[0, 1] - g.B[0, 0], g.domain).sign  # no effort vs effort | pay
    gap_col2 = prove_sign(g.B[1, 1] - g.B[1, 0], g.domain).sign
    gap_row = prove_sign(g.A[1, 0] - g.A[0, 0], g.domain).sign
    gap_row2 = prove_sign(g.A[1, 1] - g.A[0, 1], g.domain).sign
    ok = (labels == [("(don't pay, no effort)", sp.true)]
          and {gap_col, gap_col2, gap_row, gap_row2} == {"positive"})
    return Verdict(claim.id, "holds" if ok else "fails",
                   "unique equilibrium (don't pay, no effort); both strictly dominant "
                   f"(gaps C > 0 and U > 0 proven: {gap_col}, {gap_row})")


def _check_no_monitoring(game: Game, claim: Claim) -> Verdict:
    gain = sp.factor(game.B[1, 1] - game.B[1, 0])  # no effort minus effort, not monitored
    return _sign_claim(
        game, claim, gain, "positive",
        f"payoff of no effort minus effort without monitoring = {gain}",
        erratum="the paper compares outcome by outcome (W - C > U and U - C > U) instead of "
                "the expectation R*W + U*(1 - R) - C > U; effort pays without monitoring "
                "whenever R*(W - U) > C",
    )


def _check_monitor_effort(game: Game, claim: Claim) -> Verdict:
    family = next(eq for eq in game.equilibria(include_impossible=True)
                  if eq.label == "(monitor, effort)")
    printed = [_expr(game, "E - (U1 - U)*(1 - R)"), _expr(game, "R*W + U1*(1 - R) - C0 - U0")]
    derived = [game.A[0, 0] - game.A[1, 0], game.B[0, 0] - game.B[0, 1]]
    ok = all(_same(p, d) for p, d in zip(printed, derived, strict=True))
    return Verdict(claim.id, "holds" if ok else "fails", str(family.condition),
                   erratum=None if ok else "printed conditions differ from the derivation")


def _necessary(game: Game, derived: sp.Basic, printed: Sequence[sp.Basic]) -> str:
    """Whether every ``printed`` condition follows from ``derived`` on the assumptions.

    ``"proven"``, ``"refuted"`` (some printed condition is proven false there) or
    ``"open"``.
    """
    signs = [prove_sign(p.lhs - p.rhs if isinstance(p, sp.StrictGreaterThan) else
                        p.rhs - p.lhs, game.domain, given=(derived,),
                        _witness_search=False).sign for p in printed]
    if all(s == "positive" for s in signs):
        return "proven"
    if any(s in ("negative", "nonpositive", "zero") for s in signs):
        return "refuted"
    return "open"


def _check_threshold(game: Game, claim: Claim) -> Verdict:
    derived = game.A[0, 0] - game.A[1, 0]  # monitor minus not, against effort
    printed = _expr(game, "E - (U1 - U)")
    shown = f"monitoring is the best reply to effort iff {sp.factor(derived)} >= 0"
    point = _point(game, (derived > 0, printed < 0))
    if point is not None:
        return Verdict(
            claim.id, "fails", shown, counterexample=_show(point),
            erratum="the threshold is E > (U1 - U)*(1 - R), not E > U1 - U; the premise "
                    "'U1(1 - R) < U(1 - R)' is false since U1 > U",
        )
    status = {"proven": "holds", "refuted": "fails", "open": "unknown"}[
        _necessary(game, derived > 0, (printed > 0,))]
    return Verdict(claim.id, status, shown)


def _check_effort_costs(game: Game, claim: Claim) -> Verdict:
    derived = game.B[0, 0] - game.B[0, 1]  # effort minus no effort, monitored
    bounds = (_expr(game, "R*W - U0 - C0"), _expr(game, "U1*(1 - R) - U0 - C0"))
    shown = f"effort is the best reply to monitoring iff {derived} > 0"
    point = _point(game, (derived > 0, *(b < 0 for b in bounds)))
    if point is None:
        point = next((q for b in bounds if (q := _point(game, (derived > 0, b < 0)))), None)
    if point is None:
        status = {"proven": "holds", "refuted": "fails", "open": "unknown"}[
            _necessary(game, derived > 0, tuple(b > 0 for b in bounds))]
        return Verdict(claim.id, status, shown)
    sufficient = [prove_sign(derived, game.domain, given=(b > 0,), _witness_search=False).sign
                  == "positive" for b in bounds]
    both = all(b.subs({game.params[k]: v for k, v in point.items()}) < 0 for b in bounds)
    erratum = ("each printed bound is sufficient (proven), neither is necessary"
               if all(sufficient) else "the printed bounds are not necessary")
    erratum += (": the condition is C0 < R*W + U1*(1 - R) - U0"
                + ("; at the counterexample both printed bounds fail" if both else ""))
    return Verdict(claim.id, "fails", shown, counterexample=_show(point), erratum=erratum)


def _formula_check(index: str, printed: str) -> Callable[[Game, Claim], Verdict]:
    def check(game: Game, claim: Claim) -> Verdict:
        eq = game.mixed_equilibrium()
        derived = eq.row[0] if index == "X" else eq.col[0]
        ok = _same(derived, _expr(game, printed))
        return Verdict(claim.id, "holds" if ok else "fails", f"{index}* = {derived}",
                       erratum=None if ok else f"derived {index}* = {derived}")
    return check


def _expected_payoff_check(player: str, strategy: int, printed: str,
                           erratum: str | None = None) -> Callable[[Game, Claim], Verdict]:
    def check(game: Game, claim: Claim) -> Verdict:
        X, Y = sp.symbols("X Y")
        names = dict(game.params) | {"X": X, "Y": Y}
        if player == "unemployed":
            derived = X * game.B[0, strategy] + (1 - X) * game.B[1, strategy]
        else:
            derived = Y * game.A[strategy, 0] + (1 - Y) * game.A[strategy, 1]
        ok = sp.expand(derived - parse_expr(printed, names)) == 0
        return Verdict(claim.id, "holds" if ok else "fails", str(sp.expand(derived)),
                       erratum=erratum if ok else f"derived {sp.expand(derived)}")
    return check


def _check_below_threshold(game: Game, claim: Claim) -> Verdict:
    X = sp.Symbol("X")
    gain = (X * (game.B[0, 0] - game.B[0, 1]) + (1 - X) * (game.B[1, 0] - game.B[1, 1]))
    slope = sp.expand(sp.diff(gain, X))
    return _sign_claim(game, claim, slope, "positive",
                       f"d(lambda1 - lambda2)/dX = {slope}",
                       erratum="true only when the denominator of X* is positive; otherwise "
                               "effort pays *below* X* and not above it")


def _derivative_formula(wrt: str, printed: str, erratum: str) -> Callable[[Game, Claim], Verdict]:
    def check(game: Game, claim: Claim) -> Verdict:
        st = game.statics("Y", wrt)
        p = _expr(game, printed)
        if _same(st.derivative, p):
            return Verdict(claim.id, "holds", f"dY/d{wrt} = {st.derivative}")
        point = _point(game, ((st.derivative - p) ** 2 > 0,))
        return Verdict(claim.id, "fails", f"dY/d{wrt} = {st.derivative}",
                       counterexample=_show(point), erratum=erratum)
    return check


def _derivative_sign(wrt: str, want: str, erratum: str | None = None,
                     given: str | None = None) -> Callable[[Game, Claim], Verdict]:
    def check(game: Game, claim: Claim) -> Verdict:
        st = game.statics("Y", wrt)
        verdict = _sign_claim(game, claim, st.derivative, want,
                              f"dY/d{wrt} = {st.derivative} ({st.sign})", erratum=erratum)
        if given and verdict.status != "holds":
            inner = game.statics("Y", wrt, given=parse_relations(given, game.params))
            note = (f"; inside the mixed equilibrium's region ({given}) the sign is "
                    f"proven {inner.sign}")
            verdict = Verdict(verdict.claim_id, verdict.status, verdict.derived + note,
                              verdict.condition, verdict.counterexample, verdict.erratum)
        return verdict
    return check


D = "(U1 - U0 + U*R - U1*R)"

#: Every claim of seed 001, in the order of the paper.
CLAIMS: tuple[Claim, ...] = (
    Claim("2.1-table1", "§2.1, Table 1",
          "(don't pay, no effort) is the equilibrium; both strategies are dominant",
          "payoffs (-U, U-C), (-U, U); (0, -C), (0, 0)", _check_table1),
    Claim("2.2-no-effort-without-monitoring", "§2.2",
          "without monitoring the unemployed certainly make no effort",
          "RW + U(1-R) - C < U 'cannot be reached'", _check_no_monitoring),
    Claim("2.2-monitor-effort", "§2.2",
          "(monitor, effort) is an equilibrium iff E > (U1-U)(1-R) and RW+U1(1-R)-C0 > U0",
          "U1(1-R)+E > U(1-R), RW + U1(1-R) - C0 > U0", _check_monitor_effort),
    Claim("2.2-monitoring-threshold", "§2.2",
          "the government monitors (against effort) only when E > U1 - U",
          "E > U1 - U", _check_threshold),
    Claim("2.2-effort-cost-bounds", "§2.2",
          "effort under monitoring requires C0 < RW - U0 and C0 < U1(1-R) - U0",
          "C0 < RW - U0; C0 < U1(1-R) - U0", _check_effort_costs),
    Claim("3-1", "§3 (3-1)", "expected payoff of effort, lambda1",
          "X*U1 - X*U1*R - X*C0 + R*W + U - U*R - C - X*U + X*U*R + X*C",
          _expected_payoff_check("unemployed", 0,
                                 "X*U1 - X*U1*R - X*C0 + R*W + U - U*R - C - X*U + X*U*R + X*C")),
    Claim("3-2", "§3 (3-2)", "expected payoff of no effort, lambda2", "X*U0 + U - X*U",
          _expected_payoff_check("unemployed", 1, "X*U0 + U - X*U")),
    Claim("3-3", "§3 (3-3)", "the mixed equilibrium's monitoring probability X*",
          "(U*R - R*W + C)/(U1 - U0 + U*R - U1*R + C - C0)",
          _formula_check("X", "(U*R - R*W + C)/(U1 - U0 + U*R - U1*R + C - C0)")),
    Claim("3-4", "§3 (3-4)", "expected payoff of monitoring, lambda3",
          "Y[-U1(1-R) + D] + (1-Y)(-U0 + E) = U1*R*Y - U1*Y - U0 + Y*U0 + E",
          _expected_payoff_check("government", 0, "U1*R*Y - U1*Y - U0 + Y*U0 + E",
                                 erratum="the first line prints D where E is meant; the "
                                         "expansion is right with E")),
    Claim("3-5", "§3 (3-5)", "expected payoff of not monitoring, lambda4", "Y*U*R - U",
          _expected_payoff_check("government", 1, "Y*U*R - U")),
    Claim("3-6", "§3 (3-6)", "the mixed equilibrium's effort probability Y*",
          "(U - U0 + E)/(U1 - U0 + U*R - U1*R)",
          _formula_check("Y", "(U - U0 + E)/(U1 - U0 + U*R - U1*R)")),
    Claim("3-below-X*", "§3",
          "when the government monitors with probability below X*, no effort is preferred",
          "X < X* => no effort", _check_below_threshold),
    Claim("dY/dU-formula", "§3", "the printed derivative of Y* in U",
          f"(U1 - U0 + (U0 - U1)*R + E*R)/{D}**2",
          _derivative_formula("U", f"(U1 - U0 + (U0 - U1)*R + E*R)/{D}**2",
                              "the sign of E*R is wrong: dY/dU = ((U1-U0)(1-R) - E*R)/D^2")),
    Claim("dY/dU-sign", "§3, §4",
          "a higher average benefit U raises effort (dY/dU > 0)", "dY/dU > 0",
          _derivative_sign("U", "positive", given="E < (U1 - U)*(1 - R)")),
    Claim("dY/dU1-formula", "§3", "the printed derivative of Y* in U1",
          f"-(U - U0 + E)*(1 - R)/{D}**2",
          _derivative_formula("U1", f"-(U - U0 + E)*(1 - R)/{D}**2", "")),
    Claim("dY/dU1-sign", "§3, §4",
          "when R != 0, a higher top tier U1 lowers effort (dY/dU1 < 0)", "R != 0 => dY/dU1 < 0",
          _derivative_sign("U1", "negative",
                           erratum="the derivative vanishes at R = 1, not R = 0: the printed "
                                   "proviso should read R != 1")),
    Claim("dY/dR-formula", "§3", "the printed derivative of Y* in R",
          f"(U - U0 + E)*(U - U1)/{D}**2",
          _derivative_formula("R", f"(U - U0 + E)*(U - U1)/{D}**2",
                              "a minus sign is lost: dY/dR = (U - U0 + E)(U1 - U)/D^2; the "
                              "printed expression is negative while the text says > 0")),
    Claim("dY/dR-sign", "§3, §4",
          "a higher job-finding probability R raises effort (dY/dR > 0)", "dY/dR > 0",
          _derivative_sign("R", "positive")),
)


def verify(claims: Sequence[Claim] = CLAIMS) -> list[Verdict]:
    """Check every claim against the derivation; one :class:`Verdict` per claim.

    Parameters
    ----------
    claims : sequence of Claim
        The claims to check (default all of :data:`CLAIMS`).

    Returns
    -------
    list of Verdict
        In the order of ``claims``.

    Examples
    --------
    >>> [v.status for v in verify(CLAIMS[:1])]
    ['holds']
    """
    game = models.monitoring_game()
    return [claim.check(game, claim) for claim in claims]
