"""Property tests of the accounting identities and the projection (hypothesis).

The projection is checked against a second implementation typed in the test from seed
002's identities (1.1)-(1.9), not against sums of its own lines.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from fund import accounting as acc
from fund.projection import project_paths

money = st.floats(min_value=0.0, max_value=50.0, allow_nan=False, allow_infinity=False)
rate = st.floats(min_value=-0.05, max_value=0.2, allow_nan=False, allow_infinity=False)
share = st.floats(min_value=0.0, max_value=1.0, allow_nan=False, allow_infinity=False)


@settings(max_examples=200, deadline=None)
@given(opening=st.floats(-20, 20), i=rate, income=arrays(float, 6, elements=money),
       spend=arrays(float, 6, elements=money))
def test_reserve_matches_closed_form(opening: float, i: float, income: np.ndarray,
                                     spend: np.ndarray) -> None:
    """V_t = (1+i)^t V_0 + sum_s (1+i)^(t-s) (income_s - spend_s), s = 1..t."""
    v = acc.reserve_path(opening, income, spend, i)
    for t in range(6):
        expected = (1 + i) ** (t + 1) * opening + sum(
            (1 + i) ** (t - s) * (income[s] - spend[s]) for s in range(t + 1))
        assert np.isclose(v[t], expected, rtol=1e-9, atol=1e-9)


@settings(max_examples=200, deadline=None)
@given(li=money, g=share, ms=share, msr=share, lcr=share)
def test_refund_is_bounded_by_eligible_income(li: float, g: float, ms: float, msr: float,
                                              lcr: float) -> None:
    """The refund lies between the eligible income times the smaller and larger rate."""
    r = float(acc.job_retention_refund(li, g, ms, msr, lcr))
    eligible = li * (1 - g)
    assert eligible * min(msr, lcr) - 1e-12 <= r <= eligible * max(msr, lcr) + 1e-12


def _by_hand(covered: list[float], ratio: list[float], months: list[float],
             opening: float, i: float, death: float, medical_growth: float,
             collection: float) -> dict[str, list[float]]:
    """One path of the fund, year by year, typed from seed 002's chapter-1 identities.

    A second implementation, in plain floats, for the test only: nothing from
    ``fund.accounting`` or ``fund.projection``.  Units by hand: 万人 x 1e4 = persons,
    元 / 1e8 = 亿元.  The fixed drivers are those of the call below: wage 90,000 元/year,
    S = 1,600 元/month, g = 0.4, ms = 0.55, refund rates 0.9 / 0.5, q = 1.0 亿元,
    LI_0 = 4.0, M_0 = 0.05, A_0 = 0.1 (skills held flat).
    """
    out: dict[str, list[float]] = {k: [] for k in (
        "income", "benefits", "funeral", "refund", "medical", "skills", "expenditure",
        "reserve")}
    income_prev, medical, reserve = 4.0, 0.05, opening
    for t in range(len(covered)):
        x = covered[t] * 1e4 * 90_000.0 * 0.01 / 1e8            # (1.1) X_t, 亿元
        income = (0.9182 * x + 0.5497) * collection              # (1.2) x collection rate
        recipients = ratio[t] * covered[t] * 1e4                 # (1.5) P^r_t, persons
        benefits = recipients * 1600.0 * months[t] / 1e8         # (1.4)
        funeral = 15.0 * death * recipients * 1600.0 / 1e8       # (1.7)
        # (1.9) on the income collected the year before (project_paths' opening_income)
        refund = income_prev * (1 - 0.4) * (0.55 * 0.9 + (1 - 0.55) * 0.5)
        medical *= 1 + medical_growth                            # (1.6)
        skills = 0.1
        spent = benefits + funeral + refund + medical + skills + 1.0   # (1.3)
        reserve = reserve * (1 + i) + income - spent
        for key, value in (("income", income), ("benefits", benefits), ("funeral", funeral),
                           ("refund", refund), ("medical", medical), ("skills", skills),
                           ("expenditure", spent), ("reserve", reserve)):
            out[key].append(value)
        income_prev = income
    return out


@settings(max_examples=100, deadline=None)
@given(
    covered=arrays(float, (3, 4), elements=st.floats(1.0, 200.0)),
    ratio=arrays(float, 4, elements=st.floats(0.0, 0.05)),
    months=arrays(float, (3, 4), elements=st.floats(0.0, 12.0)),
    opening=arrays(float, 3, elements=st.floats(-10.0, 10.0)),
    i=rate,
    death=st.floats(0.0, 0.01),
    medical_growth=st.floats(-0.1, 0.2),
    collection=st.floats(0.8, 1.05),
)
def test_projection_equals_the_seed_identities_typed_by_hand(
        covered: np.ndarray, ratio: np.ndarray, months: np.ndarray, opening: np.ndarray,
        i: float, death: float, medical_growth: float, collection: float) -> None:
    p = project_paths(
        {"covered": covered, "wage": 90_000.0, "recipient_ratio": ratio,
         "monthly_benefit": 1600.0, "months_paid": months, "non_eligible_share": 0.4,
         "sme_share": 0.55, "collection_rate": collection, "interest_rate": i,
         "other_spending": 1.0, "death_rate": death, "medical_growth": medical_growth},
        opening_reserve=opening, opening_income=4.0, opening_medical=0.05,
        opening_skills=0.1)
    for k in range(3):
        hand = _by_hand(covered[k].tolist(), ratio.tolist(), months[k].tolist(),
                        float(opening[k]), i, death, medical_growth, collection)
        for line, values in hand.items():
            np.testing.assert_allclose(getattr(p, line)[k], values, rtol=1e-9, atol=1e-12,
                                       err_msg=f"path {k}, {line}")
