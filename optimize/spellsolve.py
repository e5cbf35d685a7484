"""Optimising a benefit schedule over the spell: a convenience over :func:`optimize.solve`.

:func:`solve_schedule` sets the problem's design (``segments``, ``monitor``) and calls
:func:`optimize.solve`, the one solver: each segment's tiers ``(U0, U, U1)`` (or one level
paid to all three with ``monitor=False``, as Shanghai's step-down and Hopenhayn-Nicolini's
declining benefit), the months where segments change and the monitoring probability
``x``, under the problem's constraints; claimants choose effort month by month at the
bridge's patience (:mod:`optimize.spell`).
"""

from __future__ import annotations

from optimize.errors import PolicyParameterError
from optimize.problem import Problem
from optimize.solve import Solution, solve

__all__ = ["solve_schedule"]


def solve_schedule(problem: Problem, *, segments: int = 2, monitor: bool = True
                   ) -> Solution:
    """The best piecewise-constant schedule over the spell for ``problem``.

    ``solve(problem.with_(segments=segments, monitor=monitor))``.

    Parameters
    ----------
    problem : Problem
        Bounds, constraints and objective; its bridge gives the claimants, their patience,
        the entitlement (the schedule's length) and the welfare criterion.
    segments : int
        Number of segments (1 to 4, at most the entitlement's months).
    monitor : bool
        Optimise the three tiers of each segment and ``x``; ``False`` pays one level
        per segment to everybody and monitors nobody.

    Returns
    -------
    Solution
        The schedule (``.schedule``, ``.breakpoints``, ``.schedule_frame()``), its
        behaviour, what binds with the multipliers and (chance constraints) the
        certificate.

    Raises
    ------
    PolicyParameterError
        A bad setting.
    InfeasibleProblemError
        No schedule within the bounds meets the spend limit.

    Examples
    --------
    >>> from optimize import default_problem
    >>> sol = solve_schedule(default_problem(n_nodes=4, budget=6000.0), segments=2,
    ...                      monitor=False)
    >>> sol.behaviour.spend_per_claim <= 6000.0 + 1e-6, len(sol.breakpoints)
    (True, 1)
    """
    if not isinstance(problem, Problem):
        raise PolicyParameterError("problem", problem, "must be an optimize.Problem")
    return solve(problem.with_(segments=segments, monitor=monitor))
