"""TOML scenario files and the ``uipolicy optimize`` command."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from optimize import Chance
from optimize.errors import ScenarioError
from optimize.scenario import problem_from_toml
from uipolicy.cli import main

GOOD = """
# every section, a few keys each
[problem]
objective = "effort"
budget = 5000.0
min_gap = 10.0
calibrate = "months"

[claimants]
wage = 4500.0
C_median = 700

[fund]
entitlement_months = 10.0
monitoring_cost = 80.0
opening_reserve = 7.0

[chance]
alpha = 0.2
n_scenarios = 200
seed = 7
"""

FAST = """
[problem]
budget = 3700.0
"""


def _write(tmp_path: Path, text: str, name: str = "scenario.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_file_overrides_every_section(tmp_path: Path) -> None:
    problem = problem_from_toml(_write(tmp_path, GOOD))
    assert problem.objective == "effort"
    assert problem.budget == 5000.0 and problem.min_gap == 10.0
    c = problem.bridge.claimants
    assert c.wage == 4500.0 and c.C_median == 700.0
    assert problem.bridge.M == 10.0 and problem.bridge.kappa == 80.0
    assert problem.fund.scenario.opening["opening_reserve"] == 7.0
    assert problem.chance == Chance(alpha=0.2, n_scenarios=200, seed=7)
    # untouched defaults stay: floor, cap (90% of the 1,700 元 minimum wage)
    assert problem.floor == 800.0 and problem.cap == pytest.approx(1530.0)
    # calibrate = "months" refits R_mean on the new claimants: the status quo pays the 2022
    # months per recipient (4.63, seed 002 table 7)
    sq = problem.evaluate(U0=1530.0, U=1530.0, U1=1530.0, x=0.0)
    assert sq.behaviour["months_paid"] == pytest.approx(4.63, abs=1e-6)


def test_an_empty_file_is_the_default_problem(tmp_path: Path) -> None:
    problem = problem_from_toml(_write(tmp_path, "# nothing\n"))
    assert problem.objective == "reemployment" and problem.chance is None
    assert problem.budget == pytest.approx(7083.9, abs=0.01)   # the status quo's spend


BAD = {
    "invalid-toml": ("budget = = 5\n", r"not valid TOML"),
    "unknown-section": ("[weather]\nrain = 1\n", r"weather"),
    "top-level-key": ("budget = 5000.0\n", r"budget"),
    "unknown-key": ("[problem]\nbudgt = 5000.0\n", r"budgt"),
    "wrong-type-text": ('[problem]\nbudget = "high"\n', r"problem\.budget"),
    "wrong-type-bool": ("[problem]\nmin_gap = true\n", r"problem\.min_gap"),
    "wrong-type-float": ("[chance]\nn_scenarios = 100.5\n", r"chance\.n_scenarios"),
    "bad-objective": ('[problem]\nobjective = "happiness"\n', r"objective"),
    "section-not-table": ("problem = 5\n", r"problem"),
    "rejected-R_mean": ("[claimants]\nR_mean = 1.5\n", r"R_mean"),
    "rejected-entitlement": ("[fund]\nentitlement_months = 30.0\n", r"entitlement_months"),
    "rejected-interest": ("[fund]\ninterest_rate = -2.0\n", r"interest_rate"),
    "rejected-opening": ("[fund]\nopening_reserve = nan\n", r"opening_reserve"),
    "rejected-alpha": ("[chance]\nalpha = 1.5\n", r"alpha"),
    "rejected-budget": ("[problem]\nbudget = -10.0\n", r"budget"),
    "rejected-floor": ("[problem]\nfloor = 2000.0\n", r"floor"),
    "rejected-n_nodes": ("[claimants]\nn_nodes = 2.5\n", r"n_nodes"),
    "rejected-seed": ("[chance]\nseed = -1\nn_scenarios = 50\n", r"seed"),
    "uncalibratable-wage": ("[problem]\ncalibrate = true\n[claimants]\nwage = 1200.0\n",
                            r"wage|R_mean|calibrat"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_files_raise_scenario_error_naming_the_key(tmp_path: Path, case: str) -> None:
    text, key = BAD[case]
    with pytest.raises(ScenarioError, match=key):
        problem_from_toml(_write(tmp_path, text))


def test_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match=r"nowhere\.toml.* does not exist"):
        problem_from_toml(tmp_path / "nowhere.toml")


# --------------------------------------------------------------------------- CLI
def _one_line_error(capsys: pytest.CaptureFixture[str], argv: list[str], key: str) -> None:
    code = main(argv)
    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("uipolicy: error:")
    assert re.search(key, lines[0]), lines[0]


@pytest.mark.parametrize("case", list(BAD))
def test_cli_prints_one_line_and_returns_2_for_bad_files(tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str],
                                                         case: str) -> None:
    text, key = BAD[case]
    path = _write(tmp_path, text)
    _one_line_error(capsys, ["optimize", "--scenario", str(path)], key)


def test_cli_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _one_line_error(capsys, ["optimize", "--scenario", str(tmp_path / "nowhere.toml")],
                    "nowhere.toml")


def test_cli_json_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, FAST)
    assert main(["optimize", "--scenario", str(path), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {"policy", "objective", "binding"} <= set(out)
    assert set(out["policy"]) == {"U0", "U", "U1", "x"}
    assert "budget" in out["binding"]
    assert all(v >= 0 for v in out["binding"].values())
    # the printed optimum is what the problem says of that policy
    ev = problem_from_toml(path).evaluate(**out["policy"])
    assert ev.feasible
    assert out["objective"] == pytest.approx(ev.objective, rel=1e-12)
    assert out["evaluation"]["feasible"] is True


def test_cli_text_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, FAST)
    assert main(["optimize", "--scenario", str(path)]) == 0
    out = capsys.readouterr().out
    assert "binding constraints" in out and "budget" in out
    for name in ("U0", "U1", "x", "spend_per_claim"):
        assert name in out


def test_cli_plot_writes_a_png(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, FAST)
    png = tmp_path / "frontier.png"
    assert main(["optimize", "--scenario", str(path), "--plot", str(png)]) == 0
    assert str(png) in capsys.readouterr().out
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary


@pytest.mark.parametrize(("text", "key"), [
    ("[problem]\nbudget = 100.0\n", r"no policy meets the budget"),
    ("[problem]\nfloor_months = 100.0\n", r"cannot keep 100 months"),
])
def test_cli_infeasible_scenarios_are_one_line_errors(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str], text: str,
                                                      key: str) -> None:
    _one_line_error(capsys, ["optimize", "--scenario", str(_write(tmp_path, text))], key)
