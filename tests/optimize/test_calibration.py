"""Calibration says what it does: nothing refits silently, a refit reports what moved,
and the duration elasticity is compared with the literature's range."""

from __future__ import annotations

from typing import Any

import pytest

from optimize import default_problem
from optimize.calibration import Calibration
from optimize.errors import InfeasibleProblemError, PolicyParameterError
from optimize.problem import DEFAULT_R_MEAN, DURATION_ELASTICITY_RANGE, Problem


def _cal(problem: Problem) -> Calibration:
    """The problem's calibration record (every default problem carries one)."""
    assert problem.calibration is not None
    return problem.calibration

def _months_by_hand(problem: Problem, benefit: float) -> float:
    return problem.evaluate(U0=benefit, U=benefit, U1=benefit, x=0.0).behaviour[
        "months_paid"]


def test_the_default_reproduces_the_observed_months_paid() -> None:
    problem = default_problem()
    assert problem.bridge.claimants.R_mean == DEFAULT_R_MEAN
    assert _months_by_hand(problem, 1530.0) == pytest.approx(4.63, abs=1e-6)
    # refitting the months alone at the defaults moves R_mean by (almost) nothing
    refit = default_problem(calibrate="months")
    before, after = _cal(refit).moved["R_mean"]
    assert before == DEFAULT_R_MEAN and after == pytest.approx(DEFAULT_R_MEAN, abs=1e-9)


def test_a_changed_wage_does_not_recalibrate_silently() -> None:
    problem = default_problem(wage=6000.0)
    cal = _cal(problem)
    assert problem.bridge.claimants.R_mean == DEFAULT_R_MEAN
    assert not cal.recalibrated and cal.moved == {}
    months = _months_by_hand(problem, 1530.0)
    assert cal.achieved_months == pytest.approx(months)
    assert abs(months - 4.63) > 0.05, "a higher wage changes behaviour: off target"
    assert "not recalibrated" in problem.notes["calibration"]


def test_an_explicit_refit_reports_what_moved_and_hits_the_target() -> None:
    problem = default_problem(wage=6000.0, calibrate="months")
    cal = _cal(problem)
    before, after = cal.moved["R_mean"]
    assert before == DEFAULT_R_MEAN and after == problem.bridge.claimants.R_mean
    assert after < before     # a better wage: more search, so a lower hazard fits
    assert _months_by_hand(problem, 1530.0) == pytest.approx(4.63, abs=1e-6)


def test_duration_elasticity_is_the_months_response_to_a_ten_percent_rise() -> None:
    problem = default_problem()
    m0, m1 = _months_by_hand(problem, 1530.0), _months_by_hand(problem, 1683.0)
    assert _cal(problem).duration_elasticity == pytest.approx((m1 / m0 - 1) / 0.1)
    frame = _cal(problem).to_frame()
    assert list(frame.index) == ["months_paid", "duration_elasticity"]
    assert _cal(problem).elasticity_range == (0.4, 0.8)


@pytest.mark.parametrize(("kwargs", "name"), [
    ({"calibrate": "yes"}, "calibrate"),
    ({"calibrate": True, "R_mean": 0.3}, "calibrate"),
    ({"calibrate": True, "C_median": 700.0}, "calibrate"),
    ({"calibrate": "both"}, "calibrate"),
])
def test_bad_calibration_requests_are_named(kwargs: dict[str, Any], name: str) -> None:
    with pytest.raises(PolicyParameterError, match=f"^{name} = "):
        default_problem(**kwargs)


def test_calibrate_fits_months_and_the_duration_elasticity() -> None:
    """Both targets, checked on the problem's own evaluations (months at 1,530 and at
    1,683 元, a 10% rise): months 4.63, elasticity at the range's nearest edge (the
    default model's 0.29 lies below 0.4)."""
    problem = default_problem(calibrate=True)
    m0, m1 = _months_by_hand(problem, 1530.0), _months_by_hand(problem, 1683.0)
    assert m0 == pytest.approx(4.63, abs=1e-6)
    assert (m1 / m0 - 1) / 0.1 == pytest.approx(DURATION_ELASTICITY_RANGE[0], abs=1e-4)
    cal = _cal(problem)
    assert cal.elasticity_fitted and cal.recalibrated
    assert set(cal.moved) == {"R_mean", "C_median"}
    (r0, r1), (c0, c1) = cal.moved["R_mean"], cal.moved["C_median"]
    assert (r0, c0) == (DEFAULT_R_MEAN, 600.0)
    assert (r1, c1) == (problem.bridge.claimants.R_mean, problem.bridge.claimants.C_median)
    assert c1 > c0 and r1 > r0   # dearer search: more claimants at the margin
    assert "(not fitted)" not in cal.to_frame().loc["duration_elasticity", "target"]
    assert "C_median 600 -> " in cal.summary()


def test_an_unreachable_elasticity_is_refused_by_name() -> None:
    with pytest.raises(InfeasibleProblemError, match=r"duration elasticity into 0\.4-0\.8"):
        default_problem(wage=6000.0, calibrate=True)
