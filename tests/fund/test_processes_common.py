"""The input checks and helpers every parameter process shares (``fund.processes._common``).

Each check is driven with the values its rule separates (the edge itself included) and a
refusal must name the parameter, the value and the rule; the least-squares helper is
checked against the textbook closed form of a simple regression, computed here.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pytest

from fund.errors import FitError, FundParameterError
from fund.processes._common import (
    align,
    array,
    as_generator,
    count,
    finite,
    nonnegative,
    ols,
    positive,
    probability,
    series,
)


# ------------------------------------------------------------------ generators
def test_a_generator_is_used_as_is_and_seeds_are_reproducible() -> None:
    rng = np.random.default_rng(3)
    assert as_generator(rng) is rng
    seq = np.random.SeedSequence(11)
    assert as_generator(seq).integers(10**9) == np.random.default_rng(
        np.random.SeedSequence(11)).integers(10**9)
    assert as_generator(5).integers(10**9) == np.random.default_rng(5).integers(10**9)
    assert isinstance(as_generator(None), np.random.Generator)


@pytest.mark.parametrize(("rng", "rule"), [
    (-1, "an integer seed must be >= 0"),
    (True, "must be a numpy Generator"),
    (1.5, "must be a numpy Generator"),
    ("7", "must be a numpy Generator"),
])
def test_a_bad_rng_is_refused_by_name(rng: Any, rule: str) -> None:
    with pytest.raises(FundParameterError, match=rule) as info:
        as_generator(rng)
    assert str(info.value).startswith(f"rng = {rng!r}")


# ------------------------------------------------------------------ scalars
@pytest.mark.parametrize(("check", "good", "bad", "rule"), [
    (positive, [1e-300, 2, "3.5"], [0, -1.0], "must be > 0"),
    (nonnegative, [0, 0.0, 2], [-1e-300, -3], "must be >= 0"),
    (probability, [0, 0.5, 1, "1"], [-0.01, 1.0000001], r"must be in \[0, 1\]"),
    (finite, [-1e308, 0, 1e308], [], ""),
])
def test_scalar_checks_accept_their_range_and_refuse_outside(
        check: Any, good: list[Any], bad: list[Any], rule: str) -> None:
    for value in good:
        got = check("theta", value)
        assert isinstance(got, float) and got == float(value)
    for value in bad:
        with pytest.raises(FundParameterError, match=rule):
            check("theta", value)
    for value, why in ((float("nan"), "must be finite"), (math.inf, "must be finite"),
                       ("abc", "must be a real number"), (None, "must be a real number"),
                       ([1.0], "must be a real number")):
        with pytest.raises(FundParameterError, match=why) as info:
            check("theta", value)
        assert str(info.value).startswith("theta = ")


def test_count_wants_an_integer_at_least_the_minimum() -> None:
    assert count("n", 3) == 3 and count("n", np.int32(0), minimum=0) == 0
    for value, rule in ((True, "must be an integer"), (2.0, "must be an integer"),
                        ("2", "must be an integer"), (0, "must be >= 1"),
                        (4, "must be >= 5")):
        with pytest.raises(FundParameterError, match=rule):
            count("n", value, minimum=5 if value == 4 else 1)


# ------------------------------------------------------------------ arrays and series
def test_array_checks_every_element_and_names_the_first_bad_one() -> None:
    np.testing.assert_array_equal(array("x", [1, 2.5]), [1.0, 2.5])
    assert array("x", 0.0, nonneg=True).shape == ()
    for value, kw, shown, rule in (
            ([1.0, np.inf, np.nan], {}, "inf", "must be finite"),
            ([[1.0, 0.0], [-2.0, 3.0]], {"positive_": True}, "0.0", "must be > 0"),
            ([1.0, -2.0, -3.0], {"nonneg": True}, "-2.0", "must be >= 0"),
            (-1.0, {"nonneg": True}, "-1.0", "must be >= 0"),
            (["a", 1], {}, "['a', 1]", "must be an array of real numbers")):
        with pytest.raises(FundParameterError, match=rule) as info:
            array("x", value, **kw)
        assert str(info.value).startswith(f"x = {shown}")


def test_series_names_a_bad_observation_by_position_and_label() -> None:
    good = pd.Series([0.2, 0.3], index=[2020, 2021])
    np.testing.assert_array_equal(series("rate", good, min_len=2), [0.2, 0.3])
    cases: list[tuple[Any, dict[str, Any], str]] = [
        (pd.DataFrame({"a": [1.0], "b": [2.0]}), {}, r"expected one series, got a DataFrame "
                                                     r"with columns \['a', 'b'\]"),
        ([[1.0, 2.0], [3.0, 4.0]], {}, r"expected a one-dimensional series, got shape \(2, 2\)"),
        ([1.0], {}, "needs at least 2 observations, got 1"),
        ([1.0, 2.0], {"min_len": 3, "n_params": 2},
         "needs more transitions than the 2 parameters \\(at least 3 observations\\), got 2"),
        (pd.Series([1.0, np.nan], index=[2019, 2020]), {},
         r"observation 1 \(2020\) is nan; every value must be finite"),
        ([1.0, -0.5], {"nonneg": True}, "observation 1 is -0.5; every value must be >= 0"),
        ([0.0, 1.0], {"positive_": True}, "observation 0 is 0.0; every value must be > 0"),
        ([1.0, "x"], {}, "observation 1 is 'x'; every value must be a real number"),
        ([[1.0], [2.0, 3.0]], {}, r"observation 0 is \[1.0\]; every value must be a real"),
    ]
    for value, kw, message in cases:
        with pytest.raises(FitError, match=f"^rate: {message}"):
            series("rate", value, **{"min_len": 2, **kw})


# ------------------------------------------------------------------ least squares
def test_ols_is_the_textbook_simple_regression() -> None:
    """y = a + b t + e: b = S_ty / S_tt, a = ybar - b tbar, s^2 = SSR/(n - 2),
    se(b) = s / sqrt(S_tt), se(a) = s sqrt(1/n + tbar^2 / S_tt)."""
    t = np.array([0.0, 1.0, 2.0, 3.0, 4.0, 5.0])
    y = np.array([1.1, 2.9, 5.2, 6.8, 9.1, 11.0])
    n, tbar, ybar = len(t), sum(t) / len(t), sum(y) / len(y)
    s_tt = sum((ti - tbar) ** 2 for ti in t)
    b = sum((ti - tbar) * (yi - ybar) for ti, yi in zip(t, y, strict=True)) / s_tt
    a = ybar - b * tbar
    ssr = sum((yi - a - b * ti) ** 2 for ti, yi in zip(t, y, strict=True))
    s = math.sqrt(ssr / (n - 2))
    beta, se, sd = ols(y, np.column_stack([np.ones(n), t]))
    np.testing.assert_allclose(beta, [a, b], rtol=1e-12)
    np.testing.assert_allclose(se, [s * math.sqrt(1 / n + tbar**2 / s_tt), s / math.sqrt(s_tt)],
                               rtol=1e-10)
    assert sd == pytest.approx(s, rel=1e-12)


def test_ols_exactly_determined_has_infinite_errors_and_collinear_is_refused() -> None:
    beta, se, sd = ols(np.array([1.0, 3.0]), np.array([[1.0, 0.0], [1.0, 1.0]]))
    np.testing.assert_allclose(beta, [1.0, 2.0])
    assert np.all(np.isinf(se)) and sd == 0.0
    with pytest.raises(FitError, match=r"collinear \(rank 1 < 2\)"):
        ols(np.array([1.0, 2.0, 3.0]), np.array([[1.0, 2.0], [2.0, 4.0], [3.0, 6.0]]))


# ------------------------------------------------------------------ alignment
def test_align_keeps_the_years_every_series_knows() -> None:
    a = pd.Series([1.0, 2.0, 3.0], index=[2019, 2020, 2021])
    b = pd.Series([10.0, np.nan, 30.0, 40.0], index=[2019, 2020, 2021, 2022])
    frame = align(a=a, b=b)
    assert list(frame.index) == [2019, 2021]
    assert frame.loc[2021].tolist() == [3.0, 30.0]
    arrays = align(x=[1, 2], y=np.array([3.0, np.nan]))
    assert arrays.to_numpy().tolist() == [[1.0, 3.0]]
    with pytest.raises(FitError, match=r"equal lengths, got \{'x': 2, 'y': 3\}"):
        align(x=[1, 2], y=[1, 2, 3])
