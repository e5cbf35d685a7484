"""Seed-001 verdicts, each checked by an independent route.

Nothing here compares the code with its own output: payoffs are re-typed by hand from the
paper's Table 2 (with its lost minus signs restored), equilibria come from nashpy, and
derivatives from central finite differences of hand-written formulas.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable, Iterator, Mapping
from types import SimpleNamespace

import nashpy
import numpy as np
import pytest

from gametheory.claims import CLAIMS, STATUSES, Verdict, verify


@functools.cache
def verdicts() -> dict[str, Verdict]:
    """The verdicts by claim, derived once a process, at the first test that reads them
    (not at import: every xdist worker imports the module to collect it)."""
    return {v.claim_id: v for v in verify()}


RNG_SEED = 11


def payoffs(p: SimpleNamespace) -> tuple[np.ndarray, np.ndarray]:
    """Table 2 typed by hand: rows monitor / don't, columns effort / no effort."""
    A = np.array([[-p.U1 * (1 - p.R) + p.E, -p.U0 + p.E], [-p.U * (1 - p.R), -p.U]])
    B = np.array([[p.R * p.W + p.U1 * (1 - p.R) - p.C0, p.U0],
                  [p.R * p.W + p.U * (1 - p.R) - p.C, p.U]])
    return A, B


def Y_hand(p: SimpleNamespace) -> float:
    return float((p.U - p.U0 + p.E) / (p.U1 - p.U0 + p.U * p.R - p.U1 * p.R))


def X_hand(p: SimpleNamespace) -> float:
    return float((p.U * p.R - p.R * p.W + p.C)
                 / (p.U1 - p.U0 + p.U * p.R - p.U1 * p.R + p.C - p.C0))


def point(d: Mapping[str, str] | None) -> SimpleNamespace:
    assert d is not None, "the verdict carries no point"
    return SimpleNamespace(**{k: float(eval_fraction(v)) for k, v in d.items()})


def eval_fraction(text: object) -> float:
    num, _, den = str(text).partition("/")
    return float(num) / float(den or 1)


def random_points(n: int, rng: np.random.Generator) -> Iterator[SimpleNamespace]:
    """Points inside the assumptions: positives, U0 < U < U1, 0 <= R <= 1."""
    for _ in range(n):
        U0 = rng.uniform(0.2, 3)
        U = U0 + rng.uniform(0.05, 3)
        U1 = U + rng.uniform(0.05, 3)
        yield SimpleNamespace(U0=U0, U=U, U1=U1, R=rng.uniform(0, 1), W=rng.uniform(0.5, 10),
                              C=rng.uniform(0.05, 4), C0=rng.uniform(0.05, 4),
                              E=rng.uniform(0.05, 4))


def nash(p: SimpleNamespace) -> list[tuple[np.ndarray, np.ndarray]]:
    A, B = payoffs(p)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return list(nashpy.Game(A, B).support_enumeration(tol=1e-12))


def fd(f: Callable[[SimpleNamespace], float], p: SimpleNamespace, name: str,
       h: float = 1e-6) -> float:
    up = SimpleNamespace(**vars(p))
    down = SimpleNamespace(**vars(p))
    setattr(up, name, getattr(p, name) + h)
    setattr(down, name, getattr(p, name) - h)
    return (f(up) - f(down)) / (2 * h)


def test_every_claim_has_a_verdict() -> None:
    assert len(verdicts()) == len(CLAIMS)
    assert {v.status for v in verdicts().values()} <= {"holds", "fails", "holds only if"}
    assert set(STATUSES) == {"holds", "fails", "holds only if", "unknown"}


def test_table1_dont_pay_no_effort_is_the_unique_equilibrium() -> None:
    assert verdicts()["2.1-table1"].status == "holds"
    rng = np.random.default_rng(RNG_SEED)
    for _ in range(50):
        U, C = rng.uniform(0.1, 5, size=2)
        A = np.array([[-U, -U], [0, 0]])
        B = np.array([[U - C, U], [-C, 0]])
        eqs = list(nashpy.Game(A, B).support_enumeration())
        assert len(eqs) == 1
        np.testing.assert_allclose(eqs[0][0], [0, 1])
        np.testing.assert_allclose(eqs[0][1], [0, 1])


def test_no_effort_without_monitoring_is_not_certain() -> None:
    v = verdicts()["2.2-no-effort-without-monitoring"]
    assert v.status == "holds only if"
    p = point(v.counterexample)
    _, B = payoffs(p)
    assert B[1, 0] > B[1, 1]  # effort pays without monitoring at the counterexample
    assert p.R * (p.W - p.U) > p.C  # the hand-derived condition fails there
    rng = np.random.default_rng(RNG_SEED)
    for q in random_points(300, rng):  # the stated condition is exactly where it holds
        _, B = payoffs(q)
        assert (B[1, 1] > B[1, 0]) == (q.C > q.R * (q.W - q.U))


def test_monitor_effort_condition_matches_nashpy() -> None:
    assert verdicts()["2.2-monitor-effort"].status == "holds"
    rng = np.random.default_rng(RNG_SEED + 1)
    for q in random_points(300, rng):
        printed = (q.E > (q.U1 - q.U) * (1 - q.R)) and (q.R * q.W + q.U1 * (1 - q.R) - q.C0 > q.U0)
        found = any(np.allclose(x, [1, 0]) and np.allclose(y, [1, 0]) for x, y in nash(q))
        assert printed == found


def test_monitoring_threshold_counterexample() -> None:
    v = verdicts()["2.2-monitoring-threshold"]
    assert v.status == "fails"
    p = point(v.counterexample)
    A, _ = payoffs(p)
    assert A[0, 0] > A[1, 0]  # monitoring is the better reply to effort ...
    assert p.E < p.U1 - p.U  # ... although the printed threshold says it is not


def test_effort_cost_bounds_counterexample() -> None:
    v = verdicts()["2.2-effort-cost-bounds"]
    assert v.status == "fails"
    p = point(v.counterexample)
    _, B = payoffs(p)
    assert B[0, 0] > B[0, 1]  # effort pays under monitoring
    assert p.C0 >= p.R * p.W - p.U0 and p.C0 >= p.U1 * (1 - p.R) - p.U0  # both bounds fail


@pytest.mark.parametrize("claim", ["3-3", "3-6"])
def test_printed_mixed_equilibrium_matches_nashpy(claim: str) -> None:
    assert verdicts()[claim].status == "holds"
    rng = np.random.default_rng(RNG_SEED + 2)
    checked = 0
    for q in random_points(2000, rng):
        X, Y = X_hand(q), Y_hand(q)
        if not (0.01 < X < 0.99 and 0.01 < Y < 0.99):
            continue
        mixed = [(x, y) for x, y in nash(q) if 0 < x[0] < 1 and 0 < y[0] < 1]
        assert len(mixed) == 1
        assert mixed[0][0][0] == pytest.approx(X, rel=1e-9)
        assert mixed[0][1][0] == pytest.approx(Y, rel=1e-9)
        checked += 1
    assert checked > 50


@pytest.mark.parametrize("claim", ["3-1", "3-2", "3-4", "3-5"])
def test_printed_expected_payoffs(claim: str) -> None:
    assert verdicts()[claim].status == "holds"
    rng = np.random.default_rng(RNG_SEED + 3)
    for q in random_points(50, rng):
        X, Y = rng.uniform(0, 1, size=2)
        A, B = payoffs(q)
        U, U0, U1, R, W, C, C0, E = q.U, q.U0, q.U1, q.R, q.W, q.C, q.C0, q.E
        direct = {
            "3-1": np.array([X, 1 - X]) @ B[:, 0],
            "3-2": np.array([X, 1 - X]) @ B[:, 1],
            "3-4": A[0] @ np.array([Y, 1 - Y]),
            "3-5": A[1] @ np.array([Y, 1 - Y]),
        }[claim]
        printed = {
            "3-1": X * U1 - X * U1 * R - X * C0 + R * W + U - U * R - C - X * U + X * U * R + X * C,
            "3-2": X * U0 + U - X * U,
            "3-4": U1 * R * Y - U1 * Y - U0 + Y * U0 + E,
            "3-5": Y * U * R - U,
        }[claim]
        assert direct == pytest.approx(printed, rel=1e-9, abs=1e-9)
    if claim == "3-4":
        assert "D" in (verdicts()[claim].erratum or "")


def test_below_threshold_claim_fails_where_the_denominator_is_negative() -> None:
    v = verdicts()["3-below-X*"]
    assert v.status == "holds only if"
    p = point(v.counterexample)
    _, B = payoffs(p)

    def gain(X: float) -> float:
        return float(X * (B[0, 0] - B[0, 1]) + (1 - X) * (B[1, 0] - B[1, 1]))

    assert gain(1.0) < gain(0.0)  # more monitoring makes effort *less* attractive here


def test_dY_dU_printed_formula_is_wrong_and_sign_depends() -> None:
    v = verdicts()["dY/dU-formula"]
    assert v.status == "fails"
    p = point(v.counterexample)
    D = p.U1 - p.U0 + p.U * p.R - p.U1 * p.R
    printed = (p.U1 - p.U0 + (p.U0 - p.U1) * p.R + p.E * p.R) / D**2
    hand = ((p.U1 - p.U0) * (1 - p.R) - p.E * p.R) / D**2
    assert fd(Y_hand, p, "U") == pytest.approx(hand, rel=1e-5)
    assert fd(Y_hand, p, "U") != pytest.approx(printed, rel=1e-3)
    s = verdicts()["dY/dU-sign"]
    assert s.status == "holds only if"
    assert fd(Y_hand, point(s.counterexample), "U") < 0
    assert "proven positive" in s.derived  # inside the mixed-equilibrium region


def test_dY_dU1_vanishes_at_R_equal_one_not_zero() -> None:
    v = verdicts()["dY/dU1-sign"]
    assert v.status == "holds only if"
    assert v.condition == "R != 1"
    rng = np.random.default_rng(RNG_SEED + 4)
    for q in random_points(100, rng):
        assert fd(Y_hand, q, "U1") < 0
        q.R = 1.0
        assert abs(fd(Y_hand, q, "U1")) < 1e-6
        q.R = 0.0
        assert fd(Y_hand, q, "U1") < 0  # R = 0 is not where it vanishes
    assert verdicts()["dY/dU1-formula"].status == "holds"


def test_dY_dR_printed_sign_is_lost_but_claim_holds() -> None:
    v = verdicts()["dY/dR-formula"]
    assert v.status == "fails"
    p = point(v.counterexample)
    D = p.U1 - p.U0 + p.U * p.R - p.U1 * p.R
    printed = (p.U - p.U0 + p.E) * (p.U - p.U1) / D**2
    assert printed < 0 < fd(Y_hand, p, "R")
    assert verdicts()["dY/dR-sign"].status == "holds"
    rng = np.random.default_rng(RNG_SEED + 5)
    for q in random_points(300, rng):
        q.R = min(max(q.R, 1e-5), 1 - 1e-5)
        assert fd(Y_hand, q, "R") > 0
