"""Hand-written formulas and brute-force searches shared by the optimize tests.

Nothing here calls the code under test to produce an expected value: the claimant's gain
is typed from seed 001's Table 2, months paid are a direct sum over months, feasibility is
read off the *full* fund projection (not the linear decomposition the solver uses), and
the brute-force searches only ever call ``problem.evaluate`` on candidate points.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np
import pytest

from optimize.bridge import Bridge, spell_behaviour
from optimize.problem import Evaluation, Problem
from optimize.spell import Schedule

POLICY = ("U0", "U", "U1", "x")


def gain_by_hand(x: Any, U0: Any, U: Any, U1: Any, R: Any, W: Any, C: Any, C0: Any) -> Any:
    """Seed 001, Table 2, claimant payoffs typed by hand: the effort column minus the
    no-effort column, weighted by the monitoring probability ``x``.

    monitor:        effort  R*W + U1*(1-R) - C0     no effort  U0
    don't monitor:  effort  R*W + U*(1-R)  - C      no effort  U
    """
    return (x * (R * W + U1 * (1 - R) - C0 - U0)
            + (1 - x) * (R * W + U * (1 - R) - C - U))


def months_by_sum(h: float, M: int) -> float:
    """Expected months paid as a direct sum: month ``k`` (0-based) is paid when the
    claimant has not left in the ``k`` months before it."""
    return float(sum((1.0 - h) ** k for k in range(M)))


def logistic(z: Any) -> Any:
    return 1.0 / (1.0 + np.exp(-z))


def feasible_by_hand(problem: Problem, ev: Evaluation, *, tol: float = 1e-4) -> bool:
    """Feasibility of an evaluated policy judged from the full fund projection in
    ``ev.fund`` and the plain bounds, orderings and budget of the problem (deterministic
    sustainability only)."""
    p = ev.policy
    spend = ev.behaviour["spend_per_claim"]
    frame = ev.fund
    reserve_ok = bool(np.all(frame["reserve"].to_numpy()
                             >= problem.floor_months / 12.0 * frame["expenditure"].to_numpy()
                             - tol))
    box_ok = (problem.floor - tol <= p["U0"] and p["U1"] <= problem.cap + tol
              and -tol <= p["x"] <= 1 + tol)
    order_ok = (p["U"] - p["U0"] >= problem.min_gap - tol
                and p["U1"] - p["U"] >= problem.min_gap - tol)
    budget_ok = problem.budget is None or spend <= problem.budget + tol
    return bool(reserve_ok and box_ok and order_ok and budget_ok)


def grid_policies(problem: Problem, *, n_levels: int = 7,
                  n_x: int = 11) -> Iterator[dict[str, float]]:
    """An ordered grid ``floor <= U0 <= U <= U1 <= cap`` (with the problem's gap) times a
    grid of ``x`` in [0, 1]."""
    gap = problem.min_gap
    levels = np.linspace(problem.floor, problem.cap, n_levels)
    xs = np.linspace(0.0, 1.0, n_x)
    for u0, u, u1 in itertools.combinations_with_replacement(levels, 3):
        if u - u0 < gap - 1e-9 or u1 - u < gap - 1e-9:
            continue
        for x in xs:
            yield {"U0": float(u0), "U": float(u), "U1": float(u1), "x": float(x)}


def random_policies(problem: Problem, n: int, *, seed: int) -> Iterator[dict[str, float]]:
    """``n`` uniform random ordered policies within the bounds (half of them with ``x``
    near 1, where the optima of the default problem sit)."""
    rng = np.random.default_rng(seed)
    lo, hi, gap = problem.floor, problem.cap, problem.min_gap
    for k in range(n):
        u = np.sort(rng.uniform(lo, hi - 2 * gap, size=3)) + np.array([0.0, gap, 2 * gap])
        x = rng.uniform(0.0, 1.0) if k % 2 else 1.0 - rng.uniform(0.0, 0.05)
        yield {"U0": float(u[0]), "U": float(u[1]), "U1": float(u[2]), "x": float(x)}


def best_feasible(problem: Problem, policies: Iterable[dict[str, float]]) -> tuple[float,
                  dict[str, float] | None, int]:
    """Brute force: the best objective among the feasible candidates, the policy that
    reaches it and the number of feasible candidates.  Feasibility is judged twice, by
    ``evaluate`` and by :func:`feasible_by_hand`; both must agree."""
    best, arg, n_feasible = -np.inf, None, 0
    for pol in policies:
        ev = problem.evaluate(**pol)
        by_hand = feasible_by_hand(problem, ev)
        assert ev.feasible == by_hand, (pol, ev.constraints)
        if by_hand:
            n_feasible += 1
            if ev.objective > best:
                best, arg = ev.objective, pol
    return best, arg, n_feasible


def assert_gradients_match_central_differences(bridge: Bridge, schedule: Schedule,
                                               keys: Iterable[str], *,
                                               z: float | None = None) -> None:
    """Every entry of ``spell_behaviour(...).grad[key]`` against a central difference.

    The variables are the schedule's ``U0_k, U_k, U1_k`` for every month, then ``x``, then
    (when ``z`` is given) the reskilling lever.  The differences call ``spell_behaviour``
    without its gradient -- the model's values only, not the forward-mode derivative under
    test.  Steps: 1e-3 元 for amounts and ``z``, 1e-6 for ``x`` (a step below 0 is cut at
    0 and the difference divided by the step actually taken).
    """
    zz = 0.0 if z is None else z
    beh = spell_behaviour(bridge, schedule, z=zz)
    M = schedule.months
    point = np.array([*schedule.U0, *schedule.U, *schedule.U1, schedule.x]
                     + ([] if z is None else [zz]))
    for j in range(point.size):
        step = 1e-6 if j == 3 * M else 1e-3
        up, dn = point.copy(), point.copy()
        up[j] += step
        dn[j] = max(dn[j] - step, 0.0)
        vals = [spell_behaviour(bridge, Schedule(tuple(p[:M]), tuple(p[M:2 * M]),
                                                 tuple(p[2 * M:3 * M]), float(p[3 * M])),
                                z=float(p[-1]) if z is not None else 0.0, gradient=False)
                for p in (up, dn)]
        for key in keys:
            fd = (getattr(vals[0], key) - getattr(vals[1], key)) / (up[j] - dn[j])
            scale = max(1.0, abs(getattr(beh, key)))
            assert beh.grad[key][j] == pytest.approx(fd, abs=1e-6 * scale, rel=1e-5), \
                (key, j)
