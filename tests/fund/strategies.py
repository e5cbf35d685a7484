"""Hypothesis strategies shared by the fund tests (one module, as Axelrod's tests/property.py).

Import as ``from tests.fund.strategies import cir_params`` (pytest runs from the repo root).
"""

from __future__ import annotations

from hypothesis import strategies as st

from fund.processes.cir import CIR


#: a positive float in a range where double precision is comfortable
def positive_floats(lo: float, hi: float) -> st.SearchStrategy[float]:
    return st.floats(min_value=lo, max_value=hi, allow_nan=False, allow_infinity=False)


@st.composite
def cir_params(draw: st.DrawFn, *, feller: bool | None = None) -> CIR:
    """A CIR process with kappa in [0.05, 20], theta in [0.01, 10], sigma in [0.01, 2].

    ``feller=True`` / ``False`` restricts to parameters on one side of 2*kappa*theta = sigma**2.
    """
    kappa = draw(positive_floats(0.05, 20.0))
    theta = draw(positive_floats(0.01, 10.0))
    sigma = draw(positive_floats(0.01, 2.0))
    p = CIR(kappa, theta, sigma)
    if feller is not None:
        from hypothesis import assume

        assume(p.feller is feller)
    return p


#: a step length from a month to two years
time_steps = positive_floats(1.0 / 12.0, 2.0)

#: a strictly positive state
states = positive_floats(1e-3, 20.0)

#: a bad (non-positive or non-finite) value for a parameter that must be > 0
non_positive = st.one_of(
    st.floats(max_value=0.0, allow_nan=False, allow_infinity=False),
    st.sampled_from([float("nan"), float("inf"), float("-inf")]),
)

#: seeds for explicit generators
seeds = st.integers(min_value=0, max_value=2**32 - 1)
