"""Property tests of the accounting identities and the projection (hypothesis)."""

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
def test_reserve_matches_closed_form(opening, i, income, spend):
    """V_t = (1+i)^t V_0 + sum_s (1+i)^(t-s) (income_s - spend_s), s = 1..t."""
    v = acc.reserve_path(opening, income, spend, i)
    for t in range(6):
        expected = (1 + i) ** (t + 1) * opening + sum(
            (1 + i) ** (t - s) * (income[s] - spend[s]) for s in range(t + 1))
        assert np.isclose(v[t], expected, rtol=1e-9, atol=1e-9)


@settings(max_examples=200, deadline=None)
@given(li=money, g=share, ms=share, msr=share, lcr=share)
def test_refund_is_bounded_by_eligible_income(li, g, ms, msr, lcr):
    """The refund lies between the eligible income times the smaller and larger rate."""
    r = float(acc.job_retention_refund(li, g, ms, msr, lcr))
    eligible = li * (1 - g)
    assert eligible * min(msr, lcr) - 1e-12 <= r <= eligible * max(msr, lcr) + 1e-12


@settings(max_examples=100, deadline=None)
@given(
    covered=arrays(float, (3, 4), elements=st.floats(1.0, 200.0)),
    ratio=arrays(float, 4, elements=st.floats(0.0, 0.05)),
    months=arrays(float, (3, 4), elements=st.floats(0.0, 12.0)),
    opening=arrays(float, 3, elements=st.floats(-10.0, 10.0)),
    i=rate,
)
def test_projection_identities_hold_on_every_path(covered, ratio, months, opening, i):
    p = project_paths(
        {"covered": covered, "wage": 90_000.0, "recipient_ratio": ratio,
         "monthly_benefit": 1600.0, "months_paid": months, "non_eligible_share": 0.4,
         "sme_share": 0.55, "collection_rate": 0.95, "interest_rate": i,
         "other_spending": 1.0},
        opening_reserve=opening, opening_income=4.0, opening_medical=0.05,
        opening_skills=0.1)
    lines = sum(getattr(p, name) for name in p.EXPENDITURE_LINES)
    assert np.allclose(lines, p.expenditure)
    prev = np.column_stack([opening, p.reserve[:, :-1]])
    assert np.allclose(p.reserve, prev * (1 + i) + p.income - p.expenditure)
    # benefits scale with recipients x months: zero months -> zero benefit
    assert np.all((months == 0) <= (p.benefits == 0))
    # refund of year t uses income of year t-1
    expected = acc.job_retention_refund(p.income[:, :-1], 0.4, 0.55)
    assert np.allclose(p.refund[:, 1:], expected)
