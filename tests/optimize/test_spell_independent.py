"""The month-by-month claimant model checked from routes that do not share its arithmetic.

Everything expected here is computed by code written from the model's *statement* (the
module docstring of :mod:`optimize.spell`, ``docs/explanation/bridge.md`` section 12,
``docs/explanation/welfare.md``), never by calling the arithmetic under test:

* an exact recursion in plain Python loops, written **in levels**: the employed earn the
  wage ``W`` for ever (``V_E = W / (1 - beta)``); an unemployed claimant in month ``k``
  compares the value of searching, ``V_S = pay_S - cost + beta (R V_E + (1 - R) V_{k+1})``
  with the game's searcher payoff (the job found this month pays ``W`` this month), with
  the value of not searching, ``V_N = pay_N + beta (r0 V_E + (1 - r0) V_{k+1})`` (a job
  found without search starts next month), and ``V_k`` is the logit's inclusive value
  ``tau log(e^{V_S/tau} + e^{V_N/tau})`` (``max`` at ``tau = 0``); after exhaustion the
  value solves its own Bellman equation (pay 0, nobody monitored), found here by
  bisection.  The library works with ``D = V - V_E``; agreement to 1e-9 checks its
  algebra as well as its code;
* the forward accounting (month ``k`` is paid to everybody unemployed at its start,
  monitoring costs ``kappa`` per monitored claimant-month) and the welfare criterion of
  welfare.md, month by month over its horizon, also in plain loops;
* a Monte Carlo of individual claimants drawn with an explicit ``numpy`` Generator
  (type, effort, monitoring and job finding drawn each month), whose averages must hold
  the library's values within five standard errors;
* every gradient in the ``3 M + 1`` schedule variables against finite differences,
  one-sided where a variable sits on its bound (``x = 0``, ``x = 1``, a zero benefit);
* reskilling (bridge.md section 11) typed from its statement: ``z`` raises ``R`` and
  lowers ``C0`` per type and costs ``z (1 - repaid share x re-employed)`` per claim;
* the limits the docs state: ``beta = 0`` is seed 001's one-shot game every month (and
  then, with a flat schedule, the bridge's closed forms with the mixed hazard); the
  post-exhaustion value solves its Bellman equation by substitution; ``tau -> 0``
  converges to the sharp best response;
* ``Bridge.behaviour`` (flat tiers over the bridge's entitlement) against the same
  recursion, so the stationary tiers are checked as well as schedules.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, note, settings
from hypothesis import strategies as st

from optimize import Bridge, Claimants, Reskilling, Welfare, spell_behaviour
from optimize.spell import Schedule, stationary_values

# ----------------------------------------------------------------------------------------
# The model, typed from its statement
# ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Type:
    """One claimant type: quadrature weight, job finding with effort, search costs."""

    weight: float
    R: float
    C: float
    C0: float


@dataclass(frozen=True)
class _Setting:
    """Everything the statement needs, as plain Python numbers."""

    types: tuple[_Type, ...]
    r0: float
    W: float
    tau: float
    beta: float
    kappa: float
    U0: tuple[float, ...]
    U: tuple[float, ...]
    U1: tuple[float, ...]
    x: float
    welfare: Welfare | None
    z: float = 0.0             # reskilling per claim (元)
    repaid: float = 0.0        # share of z repaid by the re-employed

    @property
    def M(self) -> int:
        return len(self.U)


def _setting(bridge: Bridge, schedule: Schedule, z: float = 0.0) -> _Setting:
    """The statement's inputs; with reskilling (bridge.md s. 11), ``g = 1 - e^{-z/scale}``,
    ``R -> R + (1 - R) max_R_gain g`` and ``C0 -> C0 (1 - max_cost_cut g)`` per type."""
    c, r = bridge.claimants, bridge.reskilling
    g = 0.0 if r is None else 1.0 - math.exp(-z / r.scale)
    gain_R = 0.0 if r is None else r.max_R_gain * g
    cut_C0 = 0.0 if r is None else r.max_cost_cut * g
    types = tuple(_Type(float(w), float(R) + (1 - float(R)) * gain_R, float(C),
                        float(c.c0_share * C) * (1 - cut_C0))
                  for w, R, C in zip(c.weights, c.R, c.C, strict=True))
    repaid = 0.0 if r is None else r.loan_share * (1 - r.default_rate)
    return _Setting(types, float(c.no_effort_hazard), float(c.wage), float(c.temperature),
                    float(bridge.patience), float(bridge.kappa), schedule.U0, schedule.U,
                    schedule.U1, schedule.x, bridge.welfare, float(z), repaid)


def _inclusive(a: float, b: float, tau: float) -> float:
    """``tau log(e^{a/tau} + e^{b/tau})``, the larger of the two at ``tau = 0``."""
    top = max(a, b)
    if tau == 0.0:
        return top
    return top + tau * math.log1p(math.exp(-abs(a - b) / tau))


def _choice(a: float, b: float, tau: float) -> float:
    """Probability of choosing ``a`` over ``b`` (logit; ``1[a > b]`` at ``tau = 0``)."""
    if tau == 0.0:
        return 1.0 if a > b else 0.0
    z = (a - b) / tau
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    ez = math.exp(z)
    return ez / (1.0 + ez)


def _month_values(s: _Setting, t: _Type, k: int | None, V_next: float, V_E: float
                  ) -> tuple[float, float]:
    """Values of searching and of not searching in month ``k`` (``None``: exhausted).

    Seed 001's Table 2: a monitored searcher is paid ``U1`` and pays ``C0``, a monitored
    non-searcher is paid ``U0``; unmonitored, both are paid ``U`` and a searcher pays
    ``C``.  The searcher's job (probability ``R``) pays the wage this month instead of the
    benefit; the non-searcher's (probability ``r0``) starts next month.
    """
    if k is None:
        x, U0, U, U1 = 0.0, 0.0, 0.0, 0.0
    else:
        x, U0, U, U1 = s.x, s.U0[k], s.U[k], s.U1[k]
    searcher_now = (x * (t.R * s.W + (1 - t.R) * U1 - t.C0)
                    + (1 - x) * (t.R * s.W + (1 - t.R) * U - t.C))
    idle_now = x * U0 + (1 - x) * U
    V_S = searcher_now + s.beta * (t.R * V_E + (1 - t.R) * V_next)
    V_N = idle_now + s.beta * (s.r0 * V_E + (1 - s.r0) * V_next)
    return V_S, V_N


def _exhausted_value(s: _Setting, t: _Type) -> float:
    """The value of an exhausted claimant, by bisection on its Bellman equation.

    ``f(V) = inclusive(V_S(V), V_N(V)) - V`` falls with slope at most ``beta - 1 < 0``;
    it is >= 0 at the value of never searching, and negative far enough above it.
    """
    V_E = s.W / (1 - s.beta)

    def f(V: float) -> float:
        return _inclusive(*_month_values(s, t, None, V, V_E), s.tau) - V

    lo = s.beta * s.r0 * V_E / (1 - s.beta * (1 - s.r0))    # never searching
    step = 1.0 + s.W + s.tau
    hi = lo + step
    while f(hi) >= 0:
        step *= 2
        hi = lo + step
    for _ in range(400):
        mid = 0.5 * (lo + hi)
        if mid in (lo, hi):
            break
        if f(mid) >= 0:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


@dataclass
class _Path:
    """One type's choices: effort by month of the claim and once exhausted."""

    effort: list[float]
    effort_post: float
    gain: list[float]


def _backward(s: _Setting, t: _Type) -> _Path:
    V_E = s.W / (1 - s.beta)
    V_post = _exhausted_value(s, t)
    post_S, post_N = _month_values(s, t, None, V_post, V_E)
    V = V_post
    effort = [0.0] * s.M
    gain = [0.0] * s.M
    for k in range(s.M - 1, -1, -1):
        V_S, V_N = _month_values(s, t, k, V, V_E)
        effort[k] = _choice(V_S, V_N, s.tau)
        gain[k] = V_S - V_N
        V = _inclusive(V_S, V_N, s.tau)
    return _Path(effort, _choice(post_S, post_N, s.tau), gain)


def _utility(spec: Welfare, c: float) -> float:
    g = spec.risk_aversion
    return math.log(c) if g == 1.0 else float(c ** (1 - g) / (1 - g))


@dataclass
class _Expected:
    """Per-claim averages over types (money in 元), effort by type and month."""

    months_paid: float = 0.0
    reemployment_rate: float = 0.0
    benefit_per_claim: float = 0.0
    monitoring_per_claim: float = 0.0
    reskilling_per_claim: float = 0.0
    effort_share: float = 0.0        # per type: effort months over months paid; averaged
    welfare: float | None = None
    effort: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    min_abs_gain: float = math.inf   # the closest call of any type in any month

    @property
    def spend_per_claim(self) -> float:
        return self.benefit_per_claim + self.monitoring_per_claim + self.reskilling_per_claim


def _expected(s: _Setting) -> _Expected:
    """Months paid, re-employment, spending, effort and welfare per claim, in loops."""
    out = _Expected()
    effort_rows = []
    utils = employed_months = 0.0
    spec = s.welfare
    H = s.M if spec is None else spec.horizon_months
    for t in s.types:
        path = _backward(s, t)
        effort_rows.append(path.effort)
        out.min_abs_gain = min(out.min_abs_gain, *(abs(g) for g in path.gain))
        alive, months, effort_months = 1.0, 0.0, 0.0
        for k in range(H):
            paid = k < s.M
            e = path.effort[k] if paid else path.effort_post
            if paid:                    # month k is paid to everybody unemployed at its start
                months += alive
                effort_months += alive * e
                pay = e * (s.x * s.U1[k] + (1 - s.x) * s.U[k]) \
                    + (1 - e) * (s.x * s.U0[k] + (1 - s.x) * s.U[k])
                out.benefit_per_claim += t.weight * alive * pay
                out.monitoring_per_claim += t.weight * alive * s.x * s.kappa
            if spec is not None:
                utils += t.weight * _welfare_month(spec, s, t, k if paid else None, e, alive)
                employed_months += t.weight * (1 - alive)
            alive *= 1 - e * t.R - (1 - e) * s.r0
            if k == s.M - 1:
                out.reemployment_rate += t.weight * (1 - alive)
                out.reskilling_per_claim += t.weight * s.z * (1 - s.repaid * (1 - alive))
        out.months_paid += t.weight * months
        out.effort_share += t.weight * effort_months / months
    out.effort = np.array(effort_rows)
    if spec is not None:
        lam = float((s.W * (1 - spec.contribution_rate)) ** -spec.risk_aversion)
        contributions = spec.contribution_rate * s.W * employed_months
        out.welfare = utils / lam - spec.mcpf * (out.spend_per_claim - contributions)
    return out


def _welfare_month(spec: Welfare, s: _Setting, t: _Type, k: int | None, e: float,
                   alive: float) -> float:
    """Expected utility (utils, search cost at lambda) of one type in one month."""
    w_net = s.W * (1 - spec.contribution_rate)
    lam = float(w_net ** -spec.risk_aversion)
    if k is None:                       # exhausted: home only, nobody monitored
        unemployed = _utility(spec, spec.home) - e * lam * t.C
    else:
        u_top = _utility(spec, s.U1[k] + spec.home)
        u_bottom = _utility(spec, s.U0[k] + spec.home)
        u_plain = _utility(spec, s.U[k] + spec.home)
        searcher = s.x * (u_top - lam * t.C0) + (1 - s.x) * (u_plain - lam * t.C)
        idle = s.x * u_bottom + (1 - s.x) * u_plain
        unemployed = e * searcher + (1 - e) * idle
    return alive * unemployed + (1 - alive) * _utility(spec, w_net)


# ----------------------------------------------------------------------------------------
# The same model, claimant by claimant, drawn at random
# ----------------------------------------------------------------------------------------


@dataclass
class _Draws:
    """Per-claimant outcomes of a Monte Carlo (arrays over claimants)."""

    months: np.ndarray
    reemployed: np.ndarray
    spend: np.ndarray
    welfare: np.ndarray | None
    searched: np.ndarray          # effort counts by (type, month) among the unemployed
    at_risk: np.ndarray           # unemployed claimants by (type, month)


def _simulate(s: _Setting, n: int, rng: np.random.Generator) -> _Draws:
    """``n`` claimants month by month, each month's effort drawn from the exact
    recursion's choice probabilities (the decision rule), every outcome drawn."""
    paths = [_backward(s, t) for t in s.types]
    weights = np.array([t.weight for t in s.types])
    kind = rng.choice(len(s.types), size=n, p=weights / weights.sum())
    R = np.array([t.R for t in s.types])[kind]
    C = np.array([t.C for t in s.types])[kind]
    C0 = np.array([t.C0 for t in s.types])[kind]
    effort_by_month = np.array([p.effort for p in paths])[kind]
    effort_post = np.array([p.effort_post for p in paths])[kind]
    spec = s.welfare
    H = s.M if spec is None else spec.horizon_months
    unemployed = np.ones(n, dtype=bool)
    months, spend = np.zeros(n), np.zeros(n)
    reemployed = np.zeros(n, dtype=bool)
    utils, employed_months = np.zeros(n), np.zeros(n)
    searched = np.zeros((len(s.types), s.M))
    at_risk = np.zeros((len(s.types), s.M))
    w_net = s.W if spec is None else s.W * (1 - spec.contribution_rate)
    for k in range(H):
        paid = k < s.M
        search = rng.random(n) < (effort_by_month[:, k] if paid else effort_post)
        monitored = (rng.random(n) < s.x) if paid else np.zeros(n, dtype=bool)
        if paid:
            pay = np.where(monitored, np.where(search, s.U1[k], s.U0[k]), s.U[k])
            months += unemployed
            spend += unemployed * (pay + monitored * s.kappa)
            np.add.at(at_risk[:, k], kind, unemployed)
            np.add.at(searched[:, k], kind, unemployed & search)
        else:
            pay = np.zeros(n)
        if spec is not None:
            lam = float(w_net ** -spec.risk_aversion)
            cost = search * np.where(monitored, C0, C)
            u_unemp = _vec_utility(spec, pay + spec.home) - lam * cost
            utils += np.where(unemployed, u_unemp, _utility(spec, w_net))
            employed_months += ~unemployed
        found = rng.random(n) < np.where(search, R, s.r0)
        unemployed &= ~found
        if k == s.M - 1:
            reemployed = ~unemployed
    spend += s.z * (1 - s.repaid * reemployed)
    welfare = None
    if spec is not None:
        lam = float(w_net ** -spec.risk_aversion)
        net_cost = spend - spec.contribution_rate * s.W * employed_months
        welfare = utils / lam - spec.mcpf * net_cost
    return _Draws(months, reemployed.astype(float), spend, welfare, searched, at_risk)


def _vec_utility(spec: Welfare, c: np.ndarray) -> np.ndarray:
    g = spec.risk_aversion
    return np.asarray(np.log(c) if g == 1.0 else c ** (1 - g) / (1 - g), dtype=float)


# ----------------------------------------------------------------------------------------
# Drawing cases
# ----------------------------------------------------------------------------------------

_AMOUNT = st.one_of(st.just(0.0), st.floats(0.0, 3000.0))
_X = st.one_of(st.sampled_from([0.0, 1.0]), st.floats(0.0, 1.0))
_BETA = st.one_of(st.sampled_from([0.0, 0.5, 0.9, 0.99, 0.999]), st.floats(0.0, 0.999))
_TAU = st.one_of(st.just(0.0), st.floats(1.0, 300.0))


@st.composite
def _schedules(draw: st.DrawFn, max_months: int = 24) -> Schedule:
    M = draw(st.integers(1, max_months))
    x = draw(_X)
    if draw(st.booleans()):                       # any amounts month by month
        U0, U, U1 = (draw(st.lists(_AMOUNT, min_size=M, max_size=M)) for _ in range(3))
        return Schedule(tuple(U0), tuple(U), tuple(U1), x)
    cuts = sorted(draw(st.sets(st.integers(1, M - 1), max_size=3))) if M > 1 else []
    levels = [draw(st.one_of(_AMOUNT, st.tuples(_AMOUNT, _AMOUNT, _AMOUNT)))
              for _ in range(len(cuts) + 1)]
    return Schedule.tiers(levels, cuts, months=M, x=x)


@st.composite
def _claimants(draw: st.DrawFn, tau: st.SearchStrategy[float] = _TAU) -> Claimants:
    return Claimants(
        R_mean=draw(st.floats(0.05, 0.9)),
        R_concentration=draw(st.floats(2.0, 20.0)),
        no_effort_hazard=draw(st.one_of(st.just(0.0), st.floats(0.0, 0.3))),
        C_median=draw(st.floats(50.0, 2000.0)),
        C_sigma=draw(st.floats(0.0, 1.0)),
        c0_share=draw(st.floats(0.01, 1.0)),
        wage=draw(st.floats(1000.0, 8000.0)),
        temperature=draw(tau),
        n_nodes=draw(st.integers(1, 3)))


@st.composite
def _welfare(draw: st.DrawFn, months: int) -> Welfare:
    return Welfare(risk_aversion=draw(st.sampled_from([0.5, 1.0, 2.0, 4.0])),
                   home=draw(st.floats(200.0, 3000.0)),
                   contribution_rate=draw(st.floats(0.0, 0.1)),
                   mcpf=draw(st.floats(1.0, 2.0)),
                   horizon_months=months + draw(st.integers(0, 12)))


_RESKILLING = st.one_of(st.none(), st.builds(
    Reskilling, max_R_gain=st.floats(0.0, 1.0), max_cost_cut=st.floats(0.0, 1.0),
    scale=st.floats(100.0, 5000.0), loan_share=st.floats(0.0, 1.0),
    default_rate=st.floats(0.0, 1.0)))


@st.composite
def _cases(draw: st.DrawFn, max_months: int = 24, tau: st.SearchStrategy[float] = _TAU
           ) -> tuple[Bridge, Schedule, float]:
    """A bridge (claimants, patience, monitoring cost, maybe welfare and reskilling), a
    schedule, and the reskilling per claim ``z`` (0 without the lever)."""
    schedule = draw(_schedules(max_months))
    welfare = draw(st.one_of(st.none(), _welfare(schedule.months)))
    claimants = draw(_claimants(tau))
    kappa = draw(st.floats(0.0, 200.0))
    beta = draw(_BETA)
    reskilling = draw(_RESKILLING)
    z = 0.0 if reskilling is None else draw(st.one_of(st.just(0.0), st.floats(0.0, 6000.0)))
    note(f"{claimants!r}, monitoring_cost={kappa!r}, patience={beta!r}, {welfare!r}, "
         f"{reskilling!r}, z={z!r}")
    bridge = Bridge(claimants, entitlement_months=schedule.months, monitoring_cost=kappa,
                    welfare=welfare, patience=beta, reskilling=reskilling)
    return bridge, schedule, z


def _close(got: float, want: float, rel: float = 1e-9) -> bool:
    """Relative agreement, with an absolute floor of ``rel`` on a unit scale."""
    return abs(got - want) <= rel * max(1.0, abs(want))


_SCALARS = ("months_paid", "reemployment_rate", "benefit_per_claim", "monitoring_per_claim",
            "reskilling_per_claim", "spend_per_claim")


# ----------------------------------------------------------------------------------------
# 1. The exact recursion and the Monte Carlo against the library
# ----------------------------------------------------------------------------------------


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=_cases())
def test_the_library_equals_a_recursion_in_levels(case: tuple[Bridge, Schedule, float]
                                                  ) -> None:
    bridge, schedule, z = case
    want = _expected(_setting(bridge, schedule, z))
    # at tau = 0 a near-tie decides effort by rounding: both sides may differ there
    assume(bridge.claimants.temperature > 0 or want.min_abs_gain > 1e-6)
    got = spell_behaviour(bridge, schedule, z=z, gradient=False)
    for name in (*_SCALARS, "effort_share"):
        assert _close(getattr(got, name), getattr(want, name)), name
    assert got.effort is not None
    np.testing.assert_allclose(got.effort, want.effort, rtol=0, atol=1e-9)
    if bridge.welfare is None:
        assert got.welfare is None
    else:
        assert got.welfare is not None
        assert want.welfare is not None
        assert _close(got.welfare, want.welfare)


def _within(draws: np.ndarray, value: float, span: float, z: float = 5.0) -> bool:
    """The library's value lies within ``z`` standard errors of the sample mean.

    ``span`` bounds one claimant's outcome range: an event too rare to be drawn once in
    the sample (probability below ``5 / n``) moves the mean by at most ``5 span / n``.
    """
    n = draws.size
    unit = max(float(np.max(np.abs(draws))), abs(value)) or 1.0   # no underflow in std
    se = float(np.std(draws / unit, ddof=1)) / math.sqrt(n)
    return abs(float(np.mean(draws / unit)) - value / unit) <= z * se + 5 * span / unit / n


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=_cases(max_months=18), seed=st.integers(0, 2**32 - 1))
def test_a_monte_carlo_of_claimants_agrees_with_the_library(
        case: tuple[Bridge, Schedule, float], seed: int) -> None:
    # 20,000 claimants: five standard errors is about 3.5% of a standard deviation; each
    # comparison fails by chance with probability < 1e-6
    bridge, schedule, z = case
    s = _setting(bridge, schedule, z)
    draws = _simulate(s, 20_000, np.random.default_rng(seed))
    got = spell_behaviour(bridge, schedule, z=z, gradient=False)
    M = schedule.months
    top = max(*schedule.U0, *schedule.U, *schedule.U1) + bridge.kappa + z
    assert _within(draws.months, got.months_paid, M)
    assert _within(draws.reemployed, got.reemployment_rate, 1.0)
    assert _within(draws.spend, got.spend_per_claim, M * top)
    if got.welfare is not None:
        assert draws.welfare is not None
        assert _within(draws.welfare, got.welfare, float(np.ptp(draws.welfare)) + 1.0)
    # effort by type and month, where enough claimants are still unemployed
    assert got.effort is not None
    enough = draws.at_risk >= 400
    freq = draws.searched[enough] / draws.at_risk[enough]
    p = got.effort[enough]
    n = draws.at_risk[enough]
    assert np.all(np.abs(freq - p) <= 5 * np.sqrt(p * (1 - p) / n) + 5 / n)


# ----------------------------------------------------------------------------------------
# 2. Gradients by finite differences, one-sided on the bounds
# ----------------------------------------------------------------------------------------


def _variables(schedule: Schedule, z: float | None) -> list[float]:
    """The gradient's variables: ``U0_k``, ``U_k``, ``U1_k`` by month, ``x`` [, ``z``]."""
    return [*schedule.U0, *schedule.U, *schedule.U1, schedule.x, *([] if z is None else [z])]


def _rebuild(v: list[float], M: int) -> Schedule:
    return Schedule(tuple(v[:M]), tuple(v[M:2 * M]), tuple(v[2 * M:3 * M]), v[3 * M])


def _derivatives(f: Callable[[list[float]], np.ndarray], z: list[float], i: int, h: float,
                 hi: float) -> np.ndarray:
    """Central difference of every output of ``f`` in ``z[i]`` inside the box;
    second-order one-sided on its edges (``0`` below, ``hi`` above)."""
    def at(dz: float) -> np.ndarray:
        return f([*z[:i], z[i] + dz, *z[i + 1:]])

    if z[i] - h < 0.0:
        out = (-3 * at(0.0) + 4 * at(h) - at(2 * h)) / (2 * h)
    elif z[i] + h > hi:
        out = (3 * at(0.0) - 4 * at(-h) + at(-2 * h)) / (2 * h)
    else:
        out = (at(h) - at(-h)) / (2 * h)
    return np.asarray(out, dtype=float)


def _check_gradient(bridge: Bridge, schedule: Schedule, z: float = 0.0) -> Any:
    """Every scalar's gradient in all ``3 M + 1`` variables (``+ 1`` for ``z`` with a
    reskilling lever) against finite differences (step 0.01 元 on the tiers, 1e-4 元 on
    ``z``, 1e-5 on ``x``)."""
    lever = bridge.reskilling is not None
    got = spell_behaviour(bridge, schedule, z=z)
    M = schedule.months
    names = [*(n for n in _SCALARS if lever or n != "reskilling_per_claim"), "effort_share",
             *(["welfare"] if bridge.welfare else [])]

    def f(v: list[float]) -> np.ndarray:
        beh = spell_behaviour(bridge, _rebuild(v, M), z=v[-1] if lever else 0.0,
                              gradient=False)
        return np.array([getattr(beh, name) for name in names], dtype=float)

    v = _variables(schedule, z if lever else None)
    scale = np.abs(f(v)) + 1.0
    for i in range(len(v)):
        is_x = i == 3 * M
        # z moves R by up to (1 - R)/scale per 元 with scale down to 100: a small step
        step = 1e-5 if is_x else 1e-4 if i > 3 * M else 1e-2
        fd = _derivatives(f, v, i, step, 1.0 if is_x else math.inf)
        for j, name in enumerate(names):
            assert got.grad[name].shape == (len(v),)
            assert got.grad[name][i] == pytest.approx(fd[j], rel=1e-5, abs=1e-7 * scale[j]), \
                (name, i)
    return got


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=_cases(max_months=8, tau=st.floats(20.0, 300.0)))
def test_every_gradient_matches_finite_differences(case: tuple[Bridge, Schedule, float]
                                                   ) -> None:
    _check_gradient(*case)


def test_gradients_on_the_bounds_of_x_and_at_zero_benefits() -> None:
    # x = 0 and x = 1 exactly, zero benefits in some months, z = 0: one-sided differences
    c = Claimants(n_nodes=2, temperature=40.0, no_effort_hazard=0.05)
    for reskilling in (None, Reskilling(loan_share=0.5)):
        bridge = Bridge(c, entitlement_months=4, monitoring_cost=60.0,
                        welfare=Welfare(horizon_months=8), patience=0.95,
                        reskilling=reskilling)
        for x in (0.0, 1.0):
            schedule = Schedule((0.0, 800.0, 900.0, 0.0), (1500.0, 0.0, 1200.0, 1000.0),
                                (1700.0, 1600.0, 0.0, 1530.0), x)
            got = _check_gradient(bridge, schedule, 0.0)
            # the unpaid tiers: U when everybody is monitored, U0 and U1 when nobody is
            unpaid = range(4, 8) if x == 1.0 else [*range(4), *range(8, 12)]
            for i in unpaid:
                assert got.grad["spend_per_claim"][i] == 0.0


# ----------------------------------------------------------------------------------------
# 3. The limits the docs state; the stationary tiers
# ----------------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(claimants=_claimants(), schedule=_schedules())
def test_without_patience_every_month_is_the_one_shot_game(claimants: Claimants,
                                                           schedule: Schedule) -> None:
    # Seed 001, Table 2, typed here: effort where x(RW + (1-R)U1 - C0 - U0)
    # + (1-x)(R(W-U) - C) > 0 (logit-smoothed), month by month, whatever comes later.
    got = spell_behaviour(Bridge(claimants, patience=0.0), schedule, gradient=False)
    assert got.effort is not None
    c, x, tau = claimants, schedule.x, claimants.temperature
    for k in range(schedule.months):
        for j in range(c.R.size):
            R, W, C = float(c.R[j]), c.wage, float(c.C[j])
            g = (x * (R * W + (1 - R) * schedule.U1[k] - c.c0_share * C - schedule.U0[k])
                 + (1 - x) * (R * (W - schedule.U[k]) - C))
            assume(tau > 0 or abs(g) > 1e-6)
            assert abs(got.effort[j, k] - _choice(g, 0.0, tau)) <= 1e-12


def _closed_form_months(h: float, M: int) -> float:
    """``(1 - (1 - h)^M) / h`` without cancellation for a small ``h`` (``M`` at 0)."""
    return M if h == 0 else -math.expm1(M * math.log1p(-h)) / h if h < 1 else 1.0


@settings(max_examples=40, deadline=None)
@given(claimants=_claimants(), M=st.integers(1, 24), U0=_AMOUNT, U=_AMOUNT, U1=_AMOUNT, x=_X,
       kappa=st.floats(0.0, 200.0))
def test_without_patience_flat_tiers_have_the_closed_forms(
        claimants: Claimants, M: int, U0: float, U: float, U1: float, x: float,
        kappa: float) -> None:
    # With beta = 0 and flat tiers each type's effort e is the one-shot best response
    # every month, so it leaves with the constant mixed hazard h = e R + (1 - e) r0:
    # months paid m(h) = (1 - (1 - h)^M) / h, re-employed 1 - (1 - h)^M (bridge.md s. 3).
    bridge = Bridge(claimants, entitlement_months=M, monitoring_cost=kappa, patience=0.0)
    got = bridge.behaviour(U0=U0, U=U, U1=U1, x=x)
    c = claimants
    months = reemployed = benefit = share = 0.0
    for j in range(c.R.size):
        R, C = float(c.R[j]), float(c.C[j])
        g = (x * (R * c.wage + (1 - R) * U1 - c.c0_share * C - U0)
             + (1 - x) * (R * (c.wage - U) - C))
        assume(c.temperature > 0 or abs(g) > 1e-6)
        e = _choice(g, 0.0, c.temperature)
        h = e * R + (1 - e) * c.no_effort_hazard
        m = _closed_form_months(h, M)
        w = float(c.weights[j])
        share += w * e
        months += w * m
        reemployed += w * (-math.expm1(M * math.log1p(-h)) if h < 1 else 1.0)
        benefit += w * m * (e * (x * U1 + (1 - x) * U) + (1 - e) * (x * U0 + (1 - x) * U))
    assert _close(got.effort_share, share)
    assert _close(got.months_paid, months)
    assert _close(got.reemployment_rate, reemployed)
    assert _close(got.benefit_per_claim, benefit)
    assert _close(got.monitoring_per_claim, x * kappa * months)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=_cases(max_months=24), M=st.integers(1, 24), U0=_AMOUNT, U=_AMOUNT, U1=_AMOUNT,
       x=_X)
def test_bridge_behaviour_is_the_recursion_on_flat_tiers(
        case: tuple[Bridge, Schedule, float], M: int, U0: float, U: float, U1: float,
        x: float) -> None:
    # One model: the stationary tiers are the recursion on the schedule paying them for
    # the bridge's whole entitlement, at the bridge's patience (and reskilling).
    drawn, _, z = case
    spec = drawn.welfare
    welfare = None if spec is None else Welfare(
        risk_aversion=spec.risk_aversion, home=spec.home,
        contribution_rate=spec.contribution_rate, mcpf=spec.mcpf,
        horizon_months=max(M, spec.horizon_months))
    bridge = drawn.with_(entitlement_months=M, welfare=welfare)
    schedule = Schedule.flat(M, U0=U0, U=U, U1=U1, x=x)
    want = _expected(_setting(bridge, schedule, z))
    assume(bridge.claimants.temperature > 0 or want.min_abs_gain > 1e-6)
    got = bridge.behaviour(U0=U0, U=U, U1=U1, x=x, z=z)
    for name in (*_SCALARS, "effort_share"):
        assert _close(getattr(got, name), getattr(want, name)), name
    assert got.effort is not None
    np.testing.assert_allclose(got.effort, want.effort, rtol=0, atol=1e-9)
    if welfare is not None:
        assert got.welfare is not None
        assert want.welfare is not None
        assert _close(got.welfare, want.welfare)


@settings(max_examples=60, deadline=None)
@given(claimants=_claimants(), beta=_BETA, pay_none=_AMOUNT,
       game_gain=st.one_of(st.none(), st.floats(-3000.0, 3000.0)))
def test_the_stationary_value_solves_its_bellman_equation(
        claimants: Claimants, beta: float, pay_none: float, game_gain: float | None) -> None:
    # Substitute the returned D into D = pay_none - W + beta (1 - r0) D
    #                                    + tau log(1 + exp(gain / tau)),
    # gain = g - beta (R - r0) D, with the logit's effort; and compare it with the
    # bisection in levels above (for the exhausted state, where g = R W - C).
    c = claimants
    g_arr = None if game_gain is None else np.full(c.R.shape, game_gain)
    D, e = stationary_values(c, patience=beta, pay_none=pay_none, game_gain=g_arr)
    r0, W, tau = c.no_effort_hazard, c.wage, c.temperature
    for j in range(c.R.size):
        R = float(c.R[j])
        g = R * W - float(c.C[j]) if game_gain is None else game_gain
        gain = g - beta * (R - r0) * float(D[j])
        assume(tau > 0 or abs(gain) > 1e-6)
        if tau == 0:
            plus, effort = max(gain, 0.0), (1.0 if gain > 0 else 0.0)
        else:
            plus, effort = _inclusive(gain, 0.0, tau), _choice(gain, 0.0, tau)
        rhs = pay_none - W + beta * (1 - r0) * float(D[j]) + plus
        assert abs(rhs - float(D[j])) <= 1e-9 * max(W, abs(float(D[j])))
        assert abs(float(e[j]) - effort) <= 1e-9
    if game_gain is None and pay_none == 0.0:
        s = _Setting(tuple(_Type(1.0, float(r), float(cc), 0.0) for r, cc in zip(
            c.R, c.C, strict=True)), r0, W, tau, beta, 0.0, (0.0,), (0.0,), (0.0,), 0.0, None)
        for j, t in enumerate(s.types):
            level = _exhausted_value(s, t) - W / (1 - beta)
            assert abs(level - float(D[j])) <= 1e-8 * max(W, abs(level))


@pytest.mark.parametrize("beta", [0.0, 0.9, 0.99])
def test_sharp_choice_is_the_limit_of_vanishing_temperature(beta: float) -> None:
    # tau -> 0: every quantity converges to the sharp best response (tau = 0), and the
    # distance shrinks with tau (softplus - max <= tau log 2 each month).
    schedule = Schedule.tiers([(900.0, 1400.0, 1600.0), (800.0, 1000.0, 1200.0)], [4],
                              months=9, x=0.35)

    def bridge(tau: float) -> Bridge:
        return Bridge(Claimants(n_nodes=3, temperature=tau), entitlement_months=9,
                      patience=beta, welfare=Welfare(horizon_months=12))

    sharp = spell_behaviour(bridge(0.0), schedule, gradient=False)
    want = _expected(_setting(bridge(0.0), schedule))
    assert want.min_abs_gain > 1.0      # no near-tie: the limit is the sharp choice
    assert sharp.effort is not None
    distances = []
    for tau in (30.0, 3.0, 0.3, 0.03):
        beh = spell_behaviour(bridge(tau), schedule, gradient=False)
        assert beh.effort is not None
        distances.append(max(abs(beh.months_paid - sharp.months_paid),
                             abs(beh.spend_per_claim - sharp.spend_per_claim) / 1000,
                             float(np.max(np.abs(beh.effort - sharp.effort)))))
    assert all(b <= a for a, b in itertools.pairwise(distances))
    assert distances[-1] <= 1e-9
    assert _close(sharp.months_paid, want.months_paid)


# ----------------------------------------------------------------------------------------
# 4. Regressions: what the checks above found
# ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("h", [1e-300, 1e-36, 1e-17, 1e-12, 1e-9, 2e-7, 1e-4, 0.3, 1.0])
@pytest.mark.parametrize("M", [1, 12, 24])
def test_closed_forms_keep_their_digits_at_tiny_hazards(h: float, M: int) -> None:
    # (1 - (1 - h)^M) / h cancelled catastrophically: months paid came out 0 instead of
    # M for h below machine precision (e.g. r0 = 1e-20), and with ~eps/h relative error
    # above it.  Exact rational sums decide.
    from fractions import Fraction

    from optimize.bridge import months_paid, reemployment
    from optimize.spell import _geometric_sum_dh as _dmonths_dh

    q = 1 - Fraction(h)
    months = sum(q**k for k in range(M))
    left = 1 - q**M
    slope = -sum(k * q ** (k - 1) for k in range(1, M))
    assert float(months_paid(h, M)) == pytest.approx(float(months), rel=1e-14)
    assert float(reemployment(h, M)) == pytest.approx(float(left), rel=1e-14, abs=1e-300)
    assert float(_dmonths_dh(np.array(h), float(M))) == pytest.approx(float(slope), rel=1e-8)


def test_welfare_after_exhaustion_keeps_its_digits_when_nobody_searches() -> None:
    # r0 = 0 (seed 001's) and search that never pays: the exit hazard after exhaustion
    # is ~1e-10, where the post-exhaustion sum lost ~1e-6 of its value (5.6e-5 元 per
    # month here); the recursion in levels above is the reference.
    c = Claimants(R_mean=0.125, R_concentration=2.0, no_effort_hazard=0.0, C_median=50.0,
                  C_sigma=0.0, wage=1000.0, temperature=1.0, n_nodes=1)
    spec = Welfare(risk_aversion=0.5, home=200.0, contribution_rate=0.0, mcpf=1.0,
                   horizon_months=3)
    bridge = Bridge(c, entitlement_months=1, monitoring_cost=0.0, welfare=spec,
                    patience=0.0)
    schedule = Schedule((0.0,), (0.0,), (0.0,), 0.0)
    got = spell_behaviour(bridge, schedule, gradient=False)
    want = _expected(_setting(bridge, schedule)).welfare
    assert got.welfare is not None
    assert want is not None
    assert abs(got.welfare - want) <= 1e-12 * abs(want)


def test_the_stationary_value_converges_for_patience_near_one() -> None:
    # beta = 0.999, sharp choice: D reaches -W / (1 - beta) ~ -1e6 for the type that
    # barely finds a job, where rounding moved each Newton step by ~1.6e-7, above the old
    # absolute tolerance 1e-10 W = 1.4e-7: "did not converge".  The bisection in levels
    # decides the value.
    c = Claimants(R_mean=0.125, R_concentration=2.0, no_effort_hazard=0.0, C_median=55.0,
                  C_sigma=0.0, wage=1409.0, temperature=0.0, n_nodes=3)
    D, _ = stationary_values(c, patience=0.999)
    assert float(np.min(D)) < -1e6
    s = _Setting(tuple(_Type(1.0, float(r), float(cc), 0.0) for r, cc in zip(
        c.R, c.C, strict=True)), 0.0, c.wage, 0.0, 0.999, 0.0, (0.0,), (0.0,), (0.0,), 0.0, None)
    for j, t in enumerate(s.types):
        level = _exhausted_value(s, t) - c.wage / (1 - 0.999)
        assert abs(level - float(D[j])) <= 1e-9 * abs(level)


# ----------------------------------------------------------------------------------------
# 5. The utility-maximising claimant (optimize.spell_utility): effort and months paid
# ----------------------------------------------------------------------------------------


def _utility_claimant(bridge: Bridge, schedule: Schedule) -> tuple[np.ndarray, float]:
    """Effort by type and month and months paid of the utility claimant, in levels.

    From optimize.spell_utility's statement, in money-metric utils (``u / lam``,
    ``lam = u'(w_net)``): employed ``uw`` for ever (``V_E = uw / (1 - beta)``); a searcher
    gets ``R uw + (1 - R)(x v1 + (1 - x) v) - cost`` this month (``v* = u(U*_k + home)``),
    a non-searcher ``x v0 + (1 - x) v`` and a job from next month with ``r0``; exhausted,
    ``u(home)`` and nobody monitored.  A searcher who finds a job is not paid that month:
    months paid ``sum_k S_k (1 - e_k R)``.
    """
    spec = bridge.welfare
    assert spec is not None
    c, beta, x, tau = bridge.claimants, bridge.patience, schedule.x, bridge.claimants.temperature
    w_net = c.wage * (1 - spec.contribution_rate)
    lam = w_net ** -spec.risk_aversion

    def u(cons: float) -> float:
        return float(_utility(spec, cons) / lam)

    uw, r0, M = u(w_net), c.no_effort_hazard, schedule.months
    V_E = uw / (1 - beta)

    def values(R: float, C: float, C0: float, k: int | None, V: float) -> tuple[float, float]:
        if k is None:
            xx, v0 = 0.0, u(spec.home)
            v = v1 = v0
        else:
            xx = x
            v0, v, v1 = (u(a[k] + spec.home) for a in (schedule.U0, schedule.U, schedule.U1))
        search = (R * uw + (1 - R) * (xx * v1 + (1 - xx) * v) - (xx * C0 + (1 - xx) * C)
                  + beta * (R * V_E + (1 - R) * V))
        idle = xx * v0 + (1 - xx) * v + beta * (r0 * V_E + (1 - r0) * V)
        return search, idle

    rows, months = [], 0.0
    for w, R_node, C_node in zip(c.weights, c.R, c.C, strict=True):
        R, C = float(R_node), float(C_node)
        C0 = c.c0_share * C
        lo, hi = -1e12, 1e12                 # bisection on the exhausted Bellman equation
        for _ in range(400):
            mid = 0.5 * (lo + hi)
            if _inclusive(*values(R, C, C0, None, mid), tau) - mid >= 0:
                lo = mid
            else:
                hi = mid
        V = 0.5 * (lo + hi)
        effort = [0.0] * M
        for k in range(M - 1, -1, -1):
            search, idle = values(R, C, C0, k, V)
            effort[k] = _choice(search, idle, tau)
            V = _inclusive(search, idle, tau)
        alive, paid = 1.0, 0.0
        for e in effort:
            paid += alive * (1 - e * R)
            alive *= 1 - e * R - (1 - e) * r0
        rows.append(effort)
        months += float(w) * paid
    return np.array(rows), months


@pytest.mark.parametrize(("beta", "tau", "x", "C_median"), list(itertools.product(
    (0.0, 0.9, 0.99), (0.0, 30.0), (0.0, 0.4, 1.0), (200.0, 500.0))))
def test_the_utility_claimant_equals_a_recursion_in_levels(beta: float, tau: float, x: float,
                                                           C_median: float) -> None:
    c = Claimants(n_nodes=3, temperature=tau, no_effort_hazard=0.05, C_median=C_median,
                  R_mean=0.15)
    bridge = Bridge(c, entitlement_months=3, patience=beta, maximises="utility",
                    welfare=Welfare(home=1500.0, horizon_months=7))
    schedule = Schedule((900.0, 800.0, 700.0), (1300.0, 1200.0, 1000.0),
                        (1500.0, 1400.0, 1200.0), x)
    got = spell_behaviour(bridge, schedule, gradient=False)
    effort, months = _utility_claimant(bridge, schedule)
    assert got.effort is not None
    np.testing.assert_allclose(got.effort, effort, rtol=0, atol=1e-9)
    assert _close(got.months_paid, months)
