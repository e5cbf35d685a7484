"""The project's solver against ``baily_chetty()`` on a problem where the two models coincide.

The mapping (docs/explanation/welfare.md, "The solver against Baily-Chetty"): one month of
entitlement and a one-month welfare horizon, one claimant type (job-finding probability
``R`` when searching, search cost ``C``), no monitoring, patience 0, no contribution, the
utility-maximising claimant with logit temperature ``tau``.  Then the month is Baily's
static problem: the claimant searches with probability ``s = expit(gain / tau)``, is
employed with probability ``e = R s`` and consumes ``w``, or the benefit ``b`` plus home
consumption ``h``; the logit is the best response under the entropy effort cost
``psi(s) = lam C s + lam tau (s log s + (1 - s) log(1 - s))`` (``lam = u'(w)``); the fund
pays ``(1 - e) b``, valued at ``mcpf``.  That is ``baily_chetty(effort_cost="entropy",
cost_scale=lam tau, search_cost=lam C, job_finding=R, mcpf=mcpf)``.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from optimize import Bridge, Welfare, default_problem
from optimize.bridge import spell_behaviour
from optimize.classics import baily_chetty
from optimize.problem import Problem
from optimize.spell import Schedule
from optimize.spellsolve import solve_schedule

# (temperature, search cost, home, risk aversion, mcpf, mean job-finding probability)
CASES = [
    (300.0, 200.0, 1500.0, 2.0, 1.2, 0.6),
    (100.0, 400.0, 2000.0, 1.0, 1.5, 0.22),
    (200.0, 300.0, 1500.0, 3.0, 1.0, 0.5),
    (400.0, 500.0, 1200.0, 3.0, 1.3, 0.4),
]


def _one_month_problem(tau: float, C: float, home: float, gamma: float, mcpf: float,
                       R_mean: float) -> Problem:
    spec = Welfare(risk_aversion=gamma, home=home, contribution_rate=0.0, mcpf=mcpf,
                   horizon_months=1)
    base = default_problem(objective="welfare", welfare=spec, n_nodes=1, temperature=tau,
                           C_median=C, R_mean=R_mean, budget=None, floor=0.0, cap=4000.0)
    bridge = Bridge(base.bridge.claimants, welfare=spec, maximises="utility",
                    entitlement_months=1, patience=0.0)
    return dataclasses.replace(base, bridge=bridge)


@pytest.mark.parametrize(("tau", "C", "home", "gamma", "mcpf", "R_mean"), CASES)
def test_the_solver_reproduces_baily_chetty(tau: float, C: float, home: float,
                                            gamma: float, mcpf: float,
                                            R_mean: float) -> None:
    problem = _one_month_problem(tau, C, home, gamma, mcpf, R_mean)
    c = problem.bridge.claimants
    assert c.R.size == 1 and c.C[0] == pytest.approx(C, rel=1e-12)
    sol = solve_schedule(problem, segments=1, monitor=False)
    assert sol.schedule is not None
    b_solver = sol.schedule.U[0]
    lam = c.wage ** -gamma
    bc = baily_chetty(risk_aversion=gamma, wage=c.wage, home=home, cost_scale=lam * tau,
                      effort_cost="entropy", search_cost=lam * float(c.C[0]),
                      job_finding=float(c.R[0]), mcpf=mcpf)
    assert 0.05 < bc.employment / c.R[0] < 0.99  # the search probability is interior
    assert not sol.binding and not sol.nonunique  # interior: neither floor nor cap binds
    # SLSQP stops within ~3e-4 元 of the optimum (ftol 1e-12 on welfare / 1000; measured
    # at most 2.3e-4 over these cases); baily_chetty refines its optimum to ~1e-7 元.
    assert b_solver == pytest.approx(bc.benefit, abs=1e-3)

    def month(b: float) -> Any:
        return spell_behaviour(problem.bridge, Schedule.flat(1, U0=b, U=b, U1=b))

    # baily_chetty's benefit meets the solver model's own first-order condition
    at_bc = month(bc.benefit)
    assert abs(at_bc.grad["welfare"][:3].sum()) < 1e-9  # 元 of welfare per 元 of benefit
    # employed this month: searchers who find a job (a non-searcher's job, r0, starts
    # next month, beyond the horizon); everybody else is paid the month
    assert 1 - at_bc.months_paid == pytest.approx(bc.employment, rel=1e-9)
    # the Baily-Chetty formula at the solver's optimum, from the solver model's numbers:
    # u'(b + h) / u'(w) - 1 = mcpf (1 + eps) - 1, eps the elasticity of months paid
    # (= 1 - e here) in b, from the exact gradient
    at_sol = month(b_solver)
    unemployed = at_sol.months_paid
    assert unemployed == pytest.approx(1 - at_sol.effort[0, 0] * c.R[0], rel=1e-12)
    eps = at_sol.grad["months_paid"][:3].sum() * b_solver / unemployed
    gap = ((b_solver + home) / c.wage) ** -gamma - 1
    assert gap == pytest.approx(mcpf * (1 + eps) - 1, abs=1e-6)
    assert bc.gap == pytest.approx(bc.rhs, abs=1e-7)
