"""The vectorised evaluation (``Problem.evaluate_many``, ``Bridge.behaviour_many``) agrees
with the scalar one, point by point, feasible or not."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from optimize import default_problem
from optimize.errors import PolicyParameterError
from optimize.problem import Problem
from tests.optimize.helpers import grid_policies, random_policies


@pytest.fixture(scope="module")
def base() -> Problem:
    return default_problem()


@pytest.mark.parametrize("change", [{}, {"budget": 4500.0}, {"objective": "cost"},
                                    {"objective": "effort", "min_gap": 40.0},
                                    {"temperature": 0.0}])
def test_evaluate_many_agrees_with_evaluate(base: Problem, change: dict[str, Any]) -> None:
    problem = default_problem(**change) if "temperature" in change else base.with_(**change)
    pols = [*grid_policies(problem, n_levels=5, n_x=5), *random_policies(problem, 60, seed=2),
            {"U0": 1200.0, "U": 1000.0, "U1": 1500.0, "x": 0.5}]   # unordered: infeasible
    cols: dict[str, Any] = {k: np.array([p[k] for p in pols]) for k in ("U0", "U", "U1", "x")}
    many = problem.evaluate_many(**cols)
    feasible = []
    for i, pol in enumerate(pols):
        ev = problem.evaluate(**pol)
        assert many["objective"][i] == pytest.approx(ev.objective, rel=1e-12, abs=1e-12)
        assert many["spend_per_claim"][i] == pytest.approx(ev.behaviour["spend_per_claim"],
                                                           rel=1e-12)
        assert many["effort_share"][i] == pytest.approx(ev.behaviour["effort_share"],
                                                        abs=1e-12)
        assert bool(many["feasible"][i]) == ev.feasible, pol
        feasible.append(ev.feasible)
    assert any(feasible) and not all(feasible)


def test_evaluate_many_broadcasts(base: Problem) -> None:
    myopic = base.with_(bridge=base.bridge.with_(patience=0.0))
    out = myopic.evaluate_many(U0=800.0, U=800.0, U1=np.linspace(800, 1530, 7), x=1.0)
    assert out["objective"].shape == (7,)
    # at patience 0 each month is the one-shot game: d gain / d U1 = x (1 - R) >= 0
    assert np.all(np.diff(out["objective"]) >= 0)


@pytest.mark.parametrize(("param", "value"), [("x", 1.2), ("x", -0.1), ("U0", -1.0),
                                              ("U1", np.nan), ("U", np.inf)])
def test_behaviour_many_rejects_bad_policies_by_name(base: Problem, param: str,
                                                     value: float) -> None:
    cols: dict[str, Any] = {"U0": [800.0, 900.0], "U": [900.0, 1000.0], "U1": [1000.0, 1100.0],
            "x": [0.5, 0.5]}
    cols[param] = [cols[param][0], value]
    with pytest.raises(PolicyParameterError, match=f"^{param} = "):
        base.evaluate_many(**cols)


def test_behaviour_many_remembers_answers_without_sharing_them(base: Problem) -> None:
    """The bridge keeps recent answers (a frontier's budgets screen one grid): a repeat is
    the same numbers, a caller's change to them does not reach the next caller, a changed
    setting is a new answer, and a pickled bridge carries none of them."""
    import pickle

    bridge = base.bridge.with_()
    cols: dict[str, Any] = {"U0": [900.0, 1200.0], "U": [1100.0, 1400.0],
                            "U1": [1530.0, 1600.0], "x": [0.3, 0.7]}
    first = bridge.behaviour_many(**cols)
    first["spend_per_claim"][:] = -1.0  # the caller's copy
    again = bridge.behaviour_many(**cols)
    fresh = base.bridge.with_().behaviour_many(**cols)
    for key, value in fresh.items():
        np.testing.assert_array_equal(again[key], value)
    bridge.kappa *= 2.0  # settings are plain attributes: a change is a new answer
    dearer = bridge.behaviour_many(**cols)
    assert np.all(dearer["monitoring_per_claim"] == pytest.approx(
        2.0 * fresh["monitoring_per_claim"], rel=1e-12))
    assert pickle.loads(pickle.dumps(bridge))._many == {}
    for level in (1000.0, 1100.0, 1200.0, 1300.0, 1400.0, 1500.0):  # the 4 latest are kept
        bridge.behaviour_many(U0=level, U=level, U1=level, x=0.0)
    assert len(bridge._many) == 4
