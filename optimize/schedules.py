"""Benefit schedules that step down with the time on benefit, e.g. Shanghai's tiers.

Seed 001 (§4) quotes Shanghai's 2023 benefits by entitlement length: 2,175 元/month in the
first year, 1,740 in the second, 1,510 when extended.  Such a schedule pays everybody the
same by month on benefit and monitors nobody (``x = 0``), so in the seed-001 game a
claimant in month ``k`` makes effort where ``R (W - S_k) > C`` (the *don't monitor* row with
``U = S_k``); the logit share of effort that month sets that month's exit hazard
``e_k R + (1 - e_k) r0``.  Spending per claim is the survival-weighted sum of the monthly
payments.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from optimize.bridge import Bridge, spell_behaviour
from optimize.errors import PolicyParameterError
from optimize.problem import QINGHAI_MINIMUM_WAGE, Problem
from optimize.solve import solve
from optimize.spell import Schedule

__all__ = [
    "SHANGHAI_2023",
    "SHANGHAI_MINIMUM_WAGE",
    "StepSchedule",
    "compare_with_optimum",
    "shanghai_schedule",
]

#: Shanghai's monthly benefits in 2023 by entitlement year (seed 001, §4).
SHANGHAI_2023 = (2175.0, 1740.0, 1510.0)
#: Shanghai's monthly minimum wage from 1 July 2023 (元).
SHANGHAI_MINIMUM_WAGE = 2690.0


@dataclass(frozen=True)
class StepSchedule:
    """A stepped schedule: one monthly benefit per ``step_months`` of a claim.

    ``levels[j]`` is paid during months ``j*step_months .. (j+1)*step_months - 1`` of a
    claim (the last level continues).
    """

    levels: tuple[float, ...]
    step_months: int = 12

    def __post_init__(self) -> None:
        if not self.levels or any(not np.isfinite(v) or v < 0 for v in self.levels):
            raise PolicyParameterError("levels", self.levels,
                                       "must be one or more finite amounts >= 0")
        if isinstance(self.step_months, bool) or not isinstance(self.step_months, int) \
                or self.step_months < 1:
            raise PolicyParameterError("step_months", self.step_months,
                                       "must be an integer >= 1")

    def payments(self, months: int) -> np.ndarray:
        """The benefit paid in each month ``0 .. months - 1`` of a claim."""
        idx = np.minimum(np.arange(months) // self.step_months, len(self.levels) - 1)
        return np.asarray(self.levels, dtype=float)[idx]

    def scaled(self, factor: float) -> StepSchedule:
        """Every level times ``factor``."""
        return StepSchedule(tuple(v * factor for v in self.levels), self.step_months)


def shanghai_schedule(*, scale_to_qinghai: bool = True) -> StepSchedule:
    """Shanghai's 2023 tiers.

    By default scaled by the ratio of the minimum wages (Qinghai 1,700 / Shanghai 2,690 元) so
    they can be compared on Qinghai's fund.

    Parameters
    ----------
    scale_to_qinghai : bool, keyword-only
        Scale the levels by the ratio of the minimum wages (default) or keep Shanghai's.

    Returns
    -------
    StepSchedule
        Three levels, each paid for 12 months.

    Examples
    --------
    >>> shanghai_schedule(scale_to_qinghai=False).step_months
    12
    >>> [round(v) for v in shanghai_schedule().levels]
    [1375, 1100, 954]
    """
    s = StepSchedule(SHANGHAI_2023, 12)
    return s.scaled(QINGHAI_MINIMUM_WAGE / SHANGHAI_MINIMUM_WAGE) if scale_to_qinghai else s


def evaluate_schedule(bridge: Bridge, schedule: StepSchedule) -> dict[str, float]:
    """Effort share, re-employment, months and spend per claim of a step schedule.

    The schedule is paid to every tier for the bridge's ``entitlement_months`` and nobody
    is monitored; effort is chosen month by month by backward induction at the bridge's
    patience (:func:`optimize.bridge.spell_behaviour`).

    Parameters
    ----------
    bridge : Bridge
        Claimants, entitlement and monitoring cost.
    schedule : StepSchedule
        The step-down levels.

    Returns
    -------
    dict
        ``effort_share``, ``reemployment_rate``, ``months_paid``, ``spend_per_claim``.

    Examples
    --------
    >>> from optimize import Claimants
    >>> b = Bridge(Claimants(n_nodes=4), entitlement_months=24)
    >>> out = evaluate_schedule(b, shanghai_schedule())
    >>> round(out["months_paid"], 2) < 24
    True
    """
    pay = tuple(schedule.payments(bridge.months).tolist())
    plain = bridge.with_(reskilling=None, welfare=None)
    beh = spell_behaviour(plain, Schedule(pay, pay, pay, 0.0), gradient=False)
    return {k: getattr(beh, k) for k in ("effort_share", "reemployment_rate",
                                         "months_paid", "spend_per_claim")}


def compare_with_optimum(problem: Problem, schedule: StepSchedule | None = None,
                         *, entitlement_months: float = 24.0) -> pd.DataFrame:
    """The step schedule against the optimal tiered policy with the same budget.

    Both are judged with the same claimants and an entitlement of
    ``entitlement_months`` (24 by default, so that the second Shanghai tier is paid).

    Parameters
    ----------
    problem : Problem
        Gives the claimants, the monitoring cost and the constraints.
    schedule : StepSchedule, optional
        The step schedule (default :func:`shanghai_schedule`).
    entitlement_months : float, keyword-only
        Entitlement both are judged with.

    Returns
    -------
    pandas.DataFrame
        Index ``schedule``; the policy, effort share, re-employment, months paid and spend
        per claim of each.

    Examples
    --------
    >>> from optimize import default_problem
    >>> table = compare_with_optimum(default_problem())
    >>> table.index.tolist()[1]
    'optimal tiers and monitoring, same budget'
    """
    schedule = schedule or shanghai_schedule()
    bridge = problem.bridge.with_(entitlement_months=entitlement_months)
    stepped = evaluate_schedule(bridge, schedule)
    same = problem.with_(bridge=bridge, budget=stepped["spend_per_claim"])
    sol = solve(same)
    beh = sol.evaluation.behaviour
    rows = [
        {"schedule": "step-down tiers " + "/".join(f"{v:.0f}" for v in schedule.levels),
         "U0": np.nan, "U": np.nan, "U1": np.nan, "x": 0.0} | stepped,
        {"schedule": "optimal tiers and monitoring, same budget"} | sol.policy
        | {k: beh[k] for k in ("effort_share", "reemployment_rate", "months_paid",
                               "spend_per_claim")},
    ]
    return pd.DataFrame(rows).set_index("schedule")
