"""The fund side of a policy problem: reserve and expenditure as functions of the spend per claim.

The fund's reserve recursion ``reserve_t = reserve_{t-1}(1 + i_t) + income_t -
expenditure_t`` is linear in the benefit line, and the bridge's benefit line is
``B_t = P^r_t * s / 1e8`` (亿元) with ``s`` the spend per claim (元, benefits plus
monitoring) and ``P^r_t`` the fund's recipient count.  So for every year (and every Monte
Carlo scenario)

    reserve_t(s) = a_t + b_t s,        expenditure_t(s) = e_t + p_t s,

with ``a, e`` the fund's projection without the benefit line and ``b, p`` from the
recipient counts and interest.  :class:`FundLink` computes these once (by the fund's own
projection, :func:`fund.projection.project`), so a policy costs a few multiplications,
and common random numbers across policies come for free in the chance-constrained case.

The fund's own rules (:mod:`fund.rules`: the coverage gate on refunds and skills subsidies,
the cost of a deficit) depend on the reserve and are not linear.  The coefficients are
therefore those of the fund with the gate held open (:data:`fund.rules.NO_RULES`): exact
whenever the gate stays open, and otherwise **conservative** for the sustainability
constraint.  Shutting the gate only removes spending, so the gated reserve is never below
the open-gate one and the gated expenditure never above it; a spend whose open-gate slack
``reserve_t − f·expenditure_t`` is >= 0 keeps every reserve >= 0 (no deficit rule applies)
and is feasible for the gated fund too.  :meth:`FundLink.projection` is the full
projection with the scenario's rules.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from fund.accounting import MONEY_UNIT_YUAN, recipients
from fund.montecarlo import monte_carlo
from fund.projection import Projection, project
from fund.rules import NO_RULES, FundRules
from fund.scenarios import Scenario
from optimize.errors import PolicyParameterError

__all__ = ["FundLink", "ScenarioSet"]

YUAN_PER_100M = MONEY_UNIT_YUAN


def _interest_matrix(rates: np.ndarray) -> np.ndarray:
    """``G[t, u] = prod_{u < k <= t} (1 + i_k)`` for ``u <= t`` (0 above the diagonal)."""
    n = rates.shape[-1]
    G = np.zeros((n, n))
    for t in range(n):
        for u in range(t + 1):
            G[t, u] = float(np.prod(1.0 + rates[u + 1:t + 1]))
    return G


@dataclass(frozen=True)
class ScenarioSet:
    """Per-scenario linear coefficients (rows: scenarios, columns: years)."""

    a: np.ndarray
    b: np.ndarray
    e: np.ndarray
    p: np.ndarray

    def max_spend(self, floor_months: float) -> np.ndarray:
        """Largest spend per claim keeping the reserve floor in every year, per scenario.

        The floor is ``reserve_t >= floor_months/12 * expenditure_t`` (negative where even zero
        spend breaks the floor).
        """
        f = floor_months / 12.0
        slack0 = self.a - f * self.e          # slack at s = 0
        rate = f * self.p - self.b            # slack lost per yuan of spend (> 0)
        spend: np.ndarray = np.min(slack0 / rate, axis=-1)
        return spend


class FundLink:
    """The fund projection of a scenario, decomposed linearly in the spend per claim.

    Parameters
    ----------
    scenario : fund.scenarios.Scenario
        Drivers and opening values (e.g. :func:`fund.scenarios.expected_scenario`).
    """

    def __init__(self, scenario: Scenario) -> None:
        if not isinstance(scenario, Scenario):
            raise PolicyParameterError("scenario", scenario, "must be a fund Scenario")
        self.scenario = scenario
        drivers = scenario.drivers.copy()
        deaths = np.asarray(drivers.get("death_rate", 0.0), dtype=float)
        if np.any(deaths != 0):
            raise PolicyParameterError(
                "death_rate", float(np.max(np.abs(deaths))),
                "must be 0 for the policy bridge: the funeral/survivor line (1.7) scales "
                "with the average monthly benefit, which the spend-per-claim decomposition "
                "does not carry (the seed reports no funeral spending)")
        self.years = tuple(int(y) for y in drivers.index)
        self.recipients = recipients(drivers["recipient_ratio"].to_numpy(float),
                                     drivers["covered"].to_numpy(float))
        base = self._project(0.0, 0.0, rules=NO_RULES)
        frame = base.to_frame()
        self.a = frame["reserve"].to_numpy(float)
        self.e = frame["expenditure"].to_numpy(float)
        rates = np.broadcast_to(drivers.get("interest_rate", 0.0), (len(self.years),))
        G = _interest_matrix(np.asarray(rates, dtype=float))
        self.p = self.recipients / YUAN_PER_100M
        self.b = -(G @ self.p)
        self.deterministic = ScenarioSet(self.a[None], self.b[None], self.e[None],
                                         self.p[None])

    def _project(self, benefit_per_claim: float, monitoring_per_claim: float,
                 months: float = 1.0, *, rules: FundRules, extra_per_claim: float = 0.0
                 ) -> Projection:
        d = self.scenario.drivers.copy()
        d["months_paid"] = months
        d["monthly_benefit"] = benefit_per_claim / months
        d["other_spending"] = d["other_spending"] + (
            self.recipients * (monitoring_per_claim + extra_per_claim) / YUAN_PER_100M)
        return project(d, data_end=self.scenario.data_end, rules=rules,
                       **self.scenario.opening)

    def projection(self, benefit_per_claim: float, monitoring_per_claim: float,
                   months: float, reskilling_per_claim: float = 0.0, *,
                   rules: FundRules | None = None) -> pd.DataFrame:
        """The full fund projection with the policy's benefit and monitoring lines.

        The benefit line is ``P^r_t * benefit_per_claim``; the net reskilling cost
        ``P^r_t * reskilling_per_claim`` is shown in the skills-subsidy line ``A_t``
        (a policy lever: projected as a cost the coverage gate does not shut), whatever the
        split into months and monthly amount (``months`` is accepted for the record; with
        no deaths the funeral line does not depend on it), so it is projected as one month
        of ``benefit_per_claim``: the fund's driver checks cap months at 12 while the
        entitlement may reach 24.  The scenario's rules apply (:mod:`fund.rules`) unless
        ``rules`` is given (:data:`fund.rules.NO_RULES` gives the fund the linear
        coefficients describe exactly).
        """
        if not np.isfinite(months) or months < 0:
            raise PolicyParameterError("months", months, "must be a finite number >= 0")
        frame = self._project(benefit_per_claim, monitoring_per_claim, 1.0,
                              rules=self.scenario.rules if rules is None else rules,
                              extra_per_claim=reskilling_per_claim).to_frame()
        if reskilling_per_claim:
            extra = self.p * reskilling_per_claim
            frame["skills"] = frame["skills"] + extra
            frame["other"] = frame["other"] - extra
        return frame

    def ensemble(self, n_scenarios: int, *, rng: int | np.random.Generator,
                 opening_reserve: float | None = None) -> ScenarioSet:
        """Linear coefficients for ``n_scenarios`` Monte Carlo paths of the fund.

        The stochastic processes of :mod:`fund.stochastic` draw recipients, wages,
        coverage and the other lines; the simulated benefit line is replaced by the
        policy's, ``P^r_{t,s} * spend / 1e8``.  The paths are projected with the gate held
        open (conservative for the constraint, see the module notes).
        """
        opening = dict(self.scenario.opening)
        if opening_reserve is not None:
            opening["opening_reserve"] = opening_reserve
        fixed = {k: self.scenario.drivers[k].to_numpy(float) for k in (
            "collection_rate", "sme_refund_rate", "large_refund_rate", "death_rate",
            "other_spending", "interest_rate") if k in self.scenario.drivers}
        res = monte_carlo(n_scenarios, len(self.years), rng=rng, fixed=fixed,
                          opening=opening, rules=NO_RULES, model=self.scenario.model,
                          start=self.scenario.start,
                          keep=("reserve", "expenditure", "benefits", "recipients"),
                          block_size=min(2**14, n_scenarios))
        paths = {k: np.asarray(v, dtype=float) for k, v in res.paths.items()}
        rates = np.broadcast_to(fixed.get("interest_rate", 0.0), (len(self.years),))
        G = _interest_matrix(np.asarray(rates, dtype=float))
        benefits = paths["benefits"]
        a = paths["reserve"] + benefits @ G.T
        e = paths["expenditure"] - benefits
        p = paths["recipients"] / YUAN_PER_100M
        b = -(p @ G.T)
        return ScenarioSet(a, b, e, p)
