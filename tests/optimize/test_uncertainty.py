"""Priors read from a sweep file's tables: a wrong parameter name is refused by name before
scipy is called, never caught as a bare TypeError (which would hide a bug as "bad input")."""

from __future__ import annotations

import math

import pytest

from optimize.errors import PolicyParameterError
from optimize.uncertainty import prior_from_table


def test_a_lognormal_prior_has_the_median_and_spread_it_was_given() -> None:
    prior = prior_from_table("C_median", {"distribution": "lognorm", "s": 0.25,
                                          "scale": 600.0, "source": "assumption"})
    # by hand: a lognormal's median is exp(mu) = scale, its log-sd is s
    assert prior.dist.median() == pytest.approx(600.0)
    assert prior.dist.ppf(0.8413447460685429) == pytest.approx(600.0 * math.exp(0.25))
    assert prior.source == "assumption"


def test_an_unknown_parameter_is_named_with_what_the_distribution_takes() -> None:
    with pytest.raises(PolicyParameterError,
                       match=r"^uncertain\.wage = .*: lognorm takes s, loc, scale; "
                             r"unknown sigma$"):
        prior_from_table("wage", {"distribution": "lognorm", "sigma": 0.2, "scale": 4000.0})


def test_a_missing_shape_parameter_is_named() -> None:
    with pytest.raises(PolicyParameterError,
                       match=r"truncnorm takes a, b, loc, scale; missing the shape "
                             r"parameter\(s\) b$"):
        prior_from_table("wage", {"distribution": "truncnorm", "a": -2.0, "loc": 4000.0})


def test_a_distribution_without_shapes_takes_loc_and_scale_only() -> None:
    prior = prior_from_table("c0_share", {"distribution": "uniform", "loc": 0.2,
                                          "scale": 0.6})
    assert prior.dist.support() == pytest.approx((0.2, 0.8))
    with pytest.raises(PolicyParameterError, match=r"uniform takes loc, scale; unknown s$"):
        prior_from_table("c0_share", {"distribution": "uniform", "s": 1.0})
