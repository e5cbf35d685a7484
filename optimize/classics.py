"""Reference models of optimal unemployment insurance, used to check the solver.

Two classics, each a small function whose defaults are the published parameterisation:

* :func:`baily_chetty` -- the static Baily (1978) / Chetty (2006) model: a worker is
  employed with probability ``e`` chosen at a utility cost ``psi(e)``, consumes the wage
  net of a budget-balancing contribution ``t`` when employed and the benefit ``b`` plus home
  production ``h`` when not.  The welfare-maximising benefit satisfies the Baily-Chetty
  formula ``(u'(c_u) - u'(c_e)) / u'(c_e) = eps_{1-e, b} / e``.
* :func:`hopenhayn_nicolini` -- the dynamic contract of Shavell and Weiss (1979) and
  Hopenhayn and Nicolini (1997) in the parameterisation of Ljungqvist and Sargent,
  *Recursive Macroeconomic Theory* (the chapter on optimal unemployment insurance), and of
  QuantEcon's lecture "Optimal Unemployment Insurance" (``lectures/un_insure.md`` in
  ``QuantEcon/lecture-python-advanced.myst``): weekly ``beta = 0.999``, CRRA utility with
  ``sigma = 0.5``, wage 100, job-finding probability ``p(a) = 1 - exp(-r a)`` with ``r``
  calibrated so that the autarky hazard is 0.1.

The planner's cost ``C(V)`` of a promised value ``V`` solves a Bellman equation on a grid
(docs/explanation/welfare.md); :func:`solve_cost_function` does it by policy iteration
(Howard's improvement: every improved policy is evaluated exactly by one linear solve)
and, for the benchmark, by plain value-function iteration on the same grid.

Each model lives in its own module, :mod:`optimize.baily_chetty` and
:mod:`optimize.hopenhayn_nicolini`; this module gathers them under one name.

>>> from optimize.classics import baily_chetty
>>> 0 < baily_chetty().benefit < 1
True
"""

from __future__ import annotations

from optimize.baily_chetty import BailyChetty, baily_chetty
from optimize.hopenhayn_nicolini import (
    SOURCE_PROMISED_VALUE,
    Contract,
    CostFunction,
    OptimalContract,
    hopenhayn_nicolini,
    solve_cost_function,
)

__all__ = [
    "SOURCE_PROMISED_VALUE",
    "BailyChetty",
    "Contract",
    "CostFunction",
    "OptimalContract",
    "baily_chetty",
    "hopenhayn_nicolini",
    "solve_cost_function",
]
