"""optimize.robustness: the optimum over draws of its inputs, on every executor.

Independent routes: the draws are re-made with numpy and scipy directly; a row's optimum
is re-solved with ``solve(default_problem(**inputs))``; the summaries are recounted from
a hand-made table."""

from __future__ import annotations

import os
import signal
from typing import TYPE_CHECKING, Any, ClassVar, Never

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from optimize import default_problem, solve
from optimize.errors import PolicyParameterError
from optimize.robustness import Prior, RobustnessResult, scenario_grid, sweep
from optimize.tradeoffs import pareto_frontier, sensitivity
from uicore.executors import ProcessExecutor

if TYPE_CHECKING:
    from distributed import Client

SMALL: dict[str, Any] = {"n_nodes": 6}          # 36 claimant types: a fast but real problem
PRIORS = {"C_median": stats.lognorm(0.3, scale=600.0),
          "monitoring_cost": stats.uniform(30.0, 60.0)}


@pytest.fixture(scope="module")
def serial() -> RobustnessResult:
    return sweep(PRIORS, n_draws=4, seed=2026, fixed=SMALL)


def test_draws_are_numpy_spawned_children_of_the_seed(serial: RobustnessResult) -> None:
    for k, child in enumerate(np.random.SeedSequence(2026).spawn(4)):
        rng = np.random.default_rng(child)
        c = stats.lognorm(0.3, scale=600.0).rvs(random_state=rng)
        m = stats.uniform(30.0, 60.0).rvs(random_state=rng)
        assert serial.frame.loc[k, ["C_median", "monitoring_cost"]].tolist() == [c, m]


def test_each_row_is_the_optimum_of_its_own_problem(serial: RobustnessResult) -> None:
    row = serial.frame.iloc[2]
    problem = default_problem(**SMALL, C_median=row["C_median"],
                              monitoring_cost=row["monitoring_cost"])
    sol = solve(problem)
    assert [row[k] for k in ("U0", "U", "U1", "x")] == [sol.policy[k] for k in
                                                         ("U0", "U", "U1", "x")]
    assert row["objective"] == sol.objective
    assert row["binding"] == "; ".join(sorted(sol.binding))
    flat = problem.evaluate(U0=1530.0, U=1530.0, U1=1530.0, x=0.0)
    assert row["status_quo_objective"] == flat.objective
    nominal = problem.evaluate(**solve(default_problem(**SMALL)).policy)
    assert row["nominal_objective"] == nominal.objective


def test_a_longer_sweep_starts_with_the_shorter_one(serial: RobustnessResult) -> None:
    short = sweep(PRIORS, n_draws=2, seed=2026, fixed=SMALL)
    pd.testing.assert_frame_equal(short.frame, serial.frame.iloc[:2], check_exact=True)


class _KillOnce:
    """Progress hook: SIGKILL one Dask worker as soon as the first draw is back."""

    def __init__(self, client: Client) -> None:
        self.client, self.killed = client, False

    def start(self, total: int, note: str = "") -> None:
        self.total = total

    def update(self, done: int) -> None:
        if done == 1 and not self.killed:
            victim = sorted(self.client.scheduler_info()["workers"])[0]
            os.kill(self.client.run(os.getpid, workers=[victim])[victim], signal.SIGKILL)
            self.killed = True

    def close(self) -> None:
        pass


def test_identical_on_every_executor_even_with_a_worker_killed(
        serial: RobustnessResult, local_pool: ProcessExecutor, dask_client: Client,
        monkeypatch: pytest.MonkeyPatch) -> None:
    pooled = sweep(PRIORS, n_draws=4, seed=2026, fixed=SMALL, executor=local_pool)
    pd.testing.assert_frame_equal(pooled.frame, serial.frame, check_exact=True)
    on_dask = sweep(PRIORS, n_draws=4, seed=2026, fixed=SMALL, executor=dask_client)
    pd.testing.assert_frame_equal(on_dask.frame, serial.frame, check_exact=True)
    import optimize.robustness as rob

    hook = _KillOnce(dask_client)
    monkeypatch.setattr(rob, "Progress", lambda label: hook)
    disturbed = sweep(PRIORS, n_draws=4, seed=2026, fixed=SMALL, executor=dask_client,
                      progress=True)
    assert hook.killed
    assert disturbed.frame["draw"].tolist() == [0, 1, 2, 3]      # none lost, none twice
    pd.testing.assert_frame_equal(disturbed.frame, serial.frame, check_exact=True)


def _hand_result() -> RobustnessResult:
    frame = pd.DataFrame({
        "draw": [0, 1, 2, 3], "status": ["solved", "solved", "solved", "infeasible"],
        "U0": [800.0, 900.0, 1000.0, np.nan], "U": [800.0, 900.0, 1000.0, np.nan],
        "U1": [1500.0, 1530.0, 1400.0, np.nan], "x": [1.0, 0.5, 0.0, np.nan],
        "objective": [0.9, 0.8, 0.7, np.nan],
        "binding": ["U0 >= floor; budget", "budget", "", np.nan],
        "status_quo_objective": [0.5, 0.85, 0.6, 0.7],
        "status_quo_feasible": [True, True, True, True],
        "nominal_objective": [0.6, 0.8, 0.65, 0.9],
        "nominal_feasible": [True, True, True, False],
    })
    return RobustnessResult(frame, {"C_median": Prior(stats.uniform(500, 200))}, 4, 0,
                            {"U0": 800.0, "U": 800.0, "U1": 1500.0, "x": 1.0}, "effort")


def test_summaries_recounted_by_hand() -> None:
    res = _hand_result()
    # status quo better: draw 1 (0.85 > 0.8) and draw 3 (nominal infeasible) -> 2 of 4
    assert res.prob_status_quo_better == 0.5
    assert res.binding_probability().to_dict() == {"budget": 2 / 3, "U0 >= floor": 1 / 3}
    table = res.summary(q=(0.0, 0.5, 1.0))
    assert table.loc["U1"].tolist() == [1400.0, 1500.0, 1530.0, 4430.0 / 3]
    assert table.loc["x", "q50"] == 0.5
    assert res.status_shares.to_dict() == {"solved": 0.75, "infeasible": 0.25}
    fig = res.figure()
    assert len(fig.axes) == 6


class _Never:
    """A problem factory that must not be called; ``domains`` is what sweep checks first."""

    domains: ClassVar[dict[str, tuple[float, float]]] = {"C_median": (0.0, np.inf),
                                                         "C_sigma": (0.0, np.inf)}

    def __call__(self, **kwargs: object) -> Never:
        raise AssertionError("no work may start before the priors are checked")


_never = _Never()


@pytest.mark.parametrize(("uncertain", "match"), [
    ({"C_median": stats.lognorm(0.3, scale=-600.0)}, r"uncertain.C_median = .*impossible"),
    ({"C_sigma": stats.norm(0.6, 0.1)}, r"uncertain.C_sigma = .*support \[-inf, inf\] "
                                        r"leaves the allowed values \[0, inf\]"),
    ({"search_cost": stats.uniform(1, 2)}, r"uncertain.search_cost = .*not a keyword"),
    ({"C_median": stats.poisson(3)}, r"uncertain.C_median = .*continuous"),
    ({}, r"uncertain = \{\}"),
])
def test_an_impossible_prior_is_named_before_any_work(uncertain: dict[str, Any],
                                                      match: str) -> None:
    with pytest.raises(PolicyParameterError, match=match):
        sweep(uncertain, n_draws=3, seed=0, problem_factory=_never)


def test_bad_counts_and_clashes_are_named() -> None:
    with pytest.raises(PolicyParameterError, match="n_draws = 0"):
        sweep(PRIORS, n_draws=0, seed=0, problem_factory=_never)
    with pytest.raises(PolicyParameterError, match="fixed"):
        sweep(PRIORS, n_draws=2, seed=0, fixed={"C_median": 500.0})


def test_scenario_grid_evaluates_each_policy_in_each_world(local_pool: ProcessExecutor) -> None:
    flat: dict[str, Any] = {"U0": 1530.0, "U": 1530.0, "U1": 1530.0, "x": 0.0}
    scenarios = {"base": SMALL, "dear search": SMALL | {"C_median": 900.0}}
    grid = scenario_grid({"flat": flat}, scenarios, executor=local_pool)
    assert grid[["scenario", "policy"]].to_numpy().tolist() == [
        ["base", "flat"], ["base", "optimum"], ["dear search", "flat"],
        ["dear search", "optimum"]]
    direct = default_problem(**SMALL, C_median=900.0).evaluate(**flat)
    assert grid.iloc[2]["objective"] == direct.objective
    assert (grid.loc[grid.policy == "optimum", "objective"].to_numpy()
            >= grid.loc[grid.policy == "flat", "objective"].to_numpy()).all()


def test_sensitivity_and_pareto_are_the_same_on_a_pool(local_pool: ProcessExecutor) -> None:
    problem = default_problem(**SMALL)
    params = ("C_median", "monitoring_cost")
    pd.testing.assert_frame_equal(
        sensitivity(problem, parameters=params, executor=local_pool),
        sensitivity(problem, parameters=params), check_exact=True)
    pd.testing.assert_frame_equal(pareto_frontier(problem, n_points=3, executor=local_pool),
                                  pareto_frontier(problem, n_points=3), check_exact=True)
