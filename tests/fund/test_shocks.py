"""Automation-shock scenarios: the mapping to recipients, shock files, the CLI, the figure."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

import uipolicy.cli
from fund.errors import DataError, FundParameterError, HorizonError
from fund.labour_ode import DemandPath, LabourParams
from fund.rules import NO_RULES
from fund.scenarios import (
    ExtrapolationWarning,
    Scenario,
    expected_scenario,
    printed_scenario,
)
from fund.shock_figures import plot_shock_reserve
from fund.shocks import (
    LABOUR_MODEL_LAST_YEAR,
    QINGHAI_TAKE_UP_2022,
    AutomationShock,
    ShockBoundWarning,
    load_shock,
    project_shock,
    shock_factors,
    shock_scenario,
)
from uipolicy.cli import main


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    # no fund rules: the coverage gate answers a deficit by shutting refunds, so with it the
    # reserve is not monotone in the shock; these tests isolate the shock itself
    return expected_scenario(5, opening_reserve=10.0, rules=NO_RULES)


# --- the mapping ------------------------------------------------------------------------

def _response_by_hand(rates: Mapping[str, float], drop: float, years: float, ramp_years: float,
                      t_end: int) -> np.ndarray:
    """Extra unemployed per job: the zero-state response of the four scalar equations,
    typed here and solved by RK45 (independent of fund.labour_ode and of any baseline)."""
    from scipy.integrate import solve_ivp

    a, b, g, d, x, e = (rates[k] for k in ("alpha", "beta", "gamma", "delta", "xi", "eta"))

    def rhs(t: float, y: np.ndarray) -> list[float]:
        _big_l, u, n, w = y
        dp = -drop * min(t / ramp_years, 1.0)          # change of job demand, jobs
        return [a * w + b * u, g * n + d * w, -g * n + e * u, x * (n - dp)]

    sol = solve_ivp(rhs, (0.0, t_end), [0.0] * 4, t_eval=np.arange(1, t_end + 1),
                    rtol=1e-11, atol=1e-11, max_step=0.05)
    return np.asarray(sol.y[1])


def test_delta_u_is_the_models_response_per_job() -> None:
    shock = AutomationShock(manufacturing_share=0.25, removed_share=0.4, years=4.0)
    f = shock_factors(shock, range(2023, 2028), data_end=2022)
    rates = {k: getattr(LabourParams(), k) for k in ("alpha", "beta", "gamma", "delta",
                                                     "xi", "eta")}
    by_hand = _response_by_hand(rates, 100.0, 5, 4.0, 5) / 1000.0
    assert np.allclose(f["response"].to_numpy(), by_hand, rtol=1e-6, atol=1e-9)
    assert f["P_shock"].tolist() == pytest.approx([975.0, 950.0, 925.0, 900.0, 900.0])
    assert f["removed"].tolist() == pytest.approx([0.025, 0.05, 0.075, 0.1, 0.1])
    assert f.index.tolist() == [2023, 2024, 2025, 2026, 2027]
    # the response does not depend on the baseline's levels (only on the rates)
    other = AutomationShock(manufacturing_share=0.25, removed_share=0.4, years=4.0,
                            labour=LabourParams(U0=300.0, N0=700.0, W0=4.0, w_star=7.0))
    g = shock_factors(other, range(2023, 2028), data_end=2022)
    assert np.allclose(g["response"], f["response"], rtol=1e-6, atol=1e-9)


def test_shocked_scenario_adds_take_up_times_delta_u(scenario: Scenario) -> None:
    shock = AutomationShock(manufacturing_share=0.3)
    shocked = shock_scenario(scenario, shock)
    delta = shock_factors(shock, scenario.drivers.index, data_end=2022)["delta_u"]
    pd.testing.assert_series_equal(shocked.drivers["recipient_ratio"],
                                   scenario.drivers["recipient_ratio"] + 0.477 * delta,
                                   check_names=False)
    others = [c for c in scenario.drivers.columns if c != "recipient_ratio"]
    pd.testing.assert_frame_equal(shocked.drivers[others], scenario.drivers[others])
    assert shocked.opening == scenario.opening and shocked.data_end == scenario.data_end
    assert shocked.name == "expected+shock" and "automation" in shocked.notes["shock"]
    assert scenario.drivers is not shocked.drivers   # the input is left alone


def test_default_take_up_is_qinghai_2022() -> None:
    from fund.data import qinghai

    assert qinghai().loc[2022, "take_up_rate_pct"] / 100 == pytest.approx(QINGHAI_TAKE_UP_2022)
    assert AutomationShock(manufacturing_share=0.3).take_up == QINGHAI_TAKE_UP_2022


@pytest.mark.parametrize("shock", [AutomationShock(manufacturing_share=0.3, removed_share=0.0),
                                   AutomationShock(manufacturing_share=0.0)])
def test_zero_shock_changes_nothing_up_to_2040(shock: AutomationShock) -> None:
    years = 2040 - 2022
    assert LABOUR_MODEL_LAST_YEAR >= 2040
    with pytest.warns(ExtrapolationWarning, match="n_years = 18"):
        base = expected_scenario(years, opening_reserve=10.0)
    result = project_shock(base, shock)
    assert result.factors.index[-1] == 2040
    assert (result.factors["delta_u"] == 0.0).all() and (result.factors["factor"] == 1.0).all()
    table = result.to_frame()
    assert np.array_equal(table["reserve_base"], table["reserve_shock"])
    assert np.array_equal(table["recipients_base"], table["recipients_shock"])


def test_no_effect_before_the_start_year() -> None:
    f = shock_factors(AutomationShock(manufacturing_share=0.3, start_year=2025),
                      range(2023, 2028), data_end=2022)
    assert f.loc[[2023, 2024], "delta_u"].tolist() == [0.0, 0.0]   # bit for bit
    assert (f.loc[[2025, 2026, 2027], "delta_u"] > 0.0).all()


@pytest.mark.parametrize("manufacturing_share", [0.3, 1.0])
def test_recipients_rise_monotonically_with_the_shock(scenario: Scenario,
                                                      manufacturing_share: float) -> None:
    tables = [project_shock(scenario, AutomationShock(manufacturing_share=manufacturing_share,
                                                      removed_share=s)).to_frame()
              for s in np.linspace(0.0, 1.0, 11)]
    rec = np.array([t["recipients_shock"].to_numpy() for t in tables])
    ben = np.array([t["benefits_shock"].to_numpy() for t in tables])
    res = np.array([t["reserve_shock"].to_numpy() for t in tables])
    assert np.all(np.diff(rec, axis=0) >= 0) and np.all(np.diff(ben, axis=0) >= 0)
    assert np.all(np.diff(res, axis=0) <= 0)
    assert rec[-1, -1] > rec[0, -1] and res[-1, -1] < res[0, -1]   # and strictly, in the end


def test_take_up_scales_the_added_ratio(scenario: Scenario) -> None:
    def added(take_up: float) -> np.ndarray:
        shock = AutomationShock(manufacturing_share=0.5, take_up=take_up)
        return np.asarray(shock_scenario(scenario, shock).drivers["recipient_ratio"]
                          - scenario.drivers["recipient_ratio"])

    assert np.allclose(added(0.8), 2 * added(0.4))
    assert (added(0.0) == 0.0).all()


def test_printed_scenario_accepts_a_shock() -> None:
    result = project_shock(printed_scenario(3), AutomationShock(manufacturing_share=0.3))
    assert result.to_frame().index.tolist() == [2023, 2024, 2025]


def test_past_the_labour_models_range_is_a_horizon_error() -> None:
    with pytest.raises(HorizonError, match=r"runs to 2041, past LABOUR_MODEL_LAST_YEAR = 2040"):
        shock_factors(AutomationShock(manufacturing_share=0.3), range(2023, 2042),
                      data_end=2022)


def test_extreme_shock_is_bounded_by_the_jobs_removed_and_says_why() -> None:
    # the seed's model is unstable: its response to removing every job grows without end;
    # it is bounded by the jobs removed, with a warning and a note that say so
    with pytest.warns(ExtrapolationWarning, match="n_years = 18"):
        base = expected_scenario(18, opening_reserve=10.0)
    shock = AutomationShock(manufacturing_share=1.0, removed_share=1.0, take_up=0.9)
    with pytest.warns(ShockBoundWarning, match=r"from 2029 .* unstable .* bounded"):
        shocked = shock_scenario(base, shock)
    f = shock_factors(shock, base.drivers.index, data_end=2022)
    assert (f["delta_u"] <= f["removed"]).all() and (f["delta_u"] >= 0).all()
    assert f["response"].max() > 10 * f["removed"].max()          # what the bound stops
    added = shocked.drivers["recipient_ratio"] - base.drivers["recipient_ratio"]
    assert (added <= 0.9 + 1e-12).all()
    assert "bounded" in shocked.notes["shock"]
    with pytest.raises(FundParameterError, match=r"year 2028: the shocked ratio exceeds 1"):
        shock_scenario(base, replace(shock, take_up=1.0))          # refused, not clipped


def test_start_before_the_projection_is_a_horizon_error() -> None:
    with pytest.raises(HorizonError, match="start_year = 2022: the shock cannot start before"):
        shock_factors(AutomationShock(manufacturing_share=0.3, start_year=2022),
                      range(2023, 2025), data_end=2022)


def test_ratio_above_one_is_refused(scenario: Scenario) -> None:
    big = scenario.drivers.copy()
    big["recipient_ratio"] = 0.99
    with pytest.raises(FundParameterError, match=r"recipient_ratio = 1\.0.*year 2026: the "
                       "shocked ratio exceeds 1"):
        shock_scenario(replace(scenario, drivers=big), AutomationShock(manufacturing_share=0.3))


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"manufacturing_share": -0.1}, r"manufacturing_share = -0\.1: must lie in \[0, 1\]"),
    ({"manufacturing_share": 0.3, "removed_share": 1.2}, r"removed_share = 1\.2: must lie"),
    ({"manufacturing_share": 0.3, "years": 0}, r"years = 0: must be > 0"),
    ({"manufacturing_share": 0.3, "take_up": 1.5}, r"take_up = 1\.5: must lie in \[0, 1\]"),
    ({"manufacturing_share": 0.3, "start_year": 2024.5}, r"start_year = 2024\.5: must be an"),
    ({"manufacturing_share": "0.3"}, r"manufacturing_share = '0\.3': must be a number"),
    ({"manufacturing_share": float("nan")}, r"manufacturing_share = nan: must be finite"),
    ({"manufacturing_share": 0.3, "labour": {"gamma": 1}}, r"labour = 'dict': must be a"),
])
def test_bad_shocks(kwargs: dict[str, Any], match: str) -> None:
    with pytest.raises(FundParameterError, match=match):
        AutomationShock(**kwargs)


def test_demand_path_of_a_shock() -> None:
    path = AutomationShock(manufacturing_share=0.2, removed_share=0.5, years=2.0,
                           labour=LabourParams(P0=500.0)).demand_path(1.0)
    assert path == DemandPath((1.0, 3.0), (500.0, 450.0))


# --- shock files ------------------------------------------------------------------------

def _write(tmp_path: Path, text: Any, name: str = "shock.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_load_full_file(tmp_path: Path) -> None:
    path = _write(tmp_path, """
[shock]
manufacturing_share = 0.3
removed_share = 0.3
years = 5
start_year = 2024
take_up = 0.5

[labour]
gamma = 0.6
w_star = 12.0
""")
    shock = load_shock(path)
    assert shock == AutomationShock(manufacturing_share=0.3, removed_share=0.3, years=5,
                                    start_year=2024, take_up=0.5,
                                    labour=LabourParams(gamma=0.6, w_star=12.0))


def test_load_minimal_file_takes_the_seed_defaults(tmp_path: Path) -> None:
    shock = load_shock(_write(tmp_path, "[shock]\nmanufacturing_share = 0.2\n"))
    assert (shock.removed_share, shock.years, shock.start_year) == (0.3, 5.0, None)
    assert shock.labour == LabourParams()


@pytest.mark.parametrize(("text", "error", "match"), [
    ("[shock]\nmanufacturing_share = 0.3\nremoved = 0.3\n", FundParameterError,
     r"shock\.toml: \[shock\] removed = 0\.3: unknown key; allowed: manufacturing_share"),
    ("[shock]\nmanufacturing_share = 0.3\n[labour]\nkappa = 1\n", FundParameterError,
     r"\[labour\] kappa = 1: unknown key"),
    ("[shock]\nmanufacturing_share = 0.3\n[policy]\nx = 1\n", FundParameterError,
     r"\[policy\] = \{'x': 1\}: unknown table; allowed: \[shock\], \[labour\]"),
    ("[shock]\nmanufacturing_share = -0.3\n", FundParameterError,
     r"\[shock\] manufacturing_share = -0\.3: must lie in \[0, 1\]"),
    ("[shock]\nmanufacturing_share = 0.3\nremoved_share = 1.5\n", FundParameterError,
     r"\[shock\] removed_share = 1\.5: must lie in \[0, 1\]"),
    ("[shock]\nmanufacturing_share = 0.3\nyears = 0\n", FundParameterError,
     r"\[shock\] years = 0: must be > 0"),
    ("[shock]\nmanufacturing_share = 0.3\nyears = -2\n", FundParameterError,
     r"\[shock\] years = -2: must be > 0"),
    ("[shock]\nmanufacturing_share = '0.3'\n", FundParameterError,
     r"\[shock\] manufacturing_share = '0\.3': must be a number"),
    ("[shock]\nremoved_share = 0.3\n", FundParameterError,
     r"\[shock\] manufacturing_share = None: required key is missing"),
    ("[shock]\nmanufacturing_share = 0.3\n[labour]\ngamma = -1\n", FundParameterError,
     r"\[labour\] gamma = -1: must be a finite number >= 0"),
    ("shock = 3\n", DataError, r"needs a \[shock\] table"),
    ("[labour]\ngamma = 1\n", DataError, r"needs a \[shock\] table"),
    ("[shock\nmanufacturing_share = 0.3\n", DataError, r"not valid TOML \(.*line 1"),
    ("[shock]\nmanufacturing_share = 0.3\nmanufacturing_share = 0.4\n", DataError,
     "not valid TOML"),
])
def test_bad_files(tmp_path: Path, text: Any, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        load_shock(_write(tmp_path, text))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"nope\.toml'?: cannot read it \(No such file"):
        load_shock(tmp_path / "nope.toml")


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin.toml"
    path.write_bytes(b"[shock]\n# \xe9\nmanufacturing_share = 0.3\n")
    with pytest.raises(DataError, match="not valid TOML"):
        load_shock(path)


# --- command line -----------------------------------------------------------------------

@pytest.fixture
def _fund_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(uipolicy.cli, "SUBCOMMAND_MODULES", ("fund",))


@pytest.mark.usefixtures("_fund_only")
def test_cli_project_with_shock(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, "[shock]\nmanufacturing_share = 0.3\nremoved_share = 0.5\n")
    assert main(["fund", "project", "--format", "json", "--shock", str(path),
                 "--opening-reserve", "10"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["year"] for r in rows] == [2023, 2024, 2025, 2026, 2027]
    for r in rows:
        assert r["shock_factor"] >= 1.0
        assert r["recipients"] == pytest.approx(r["recipients_base"] * r["shock_factor"])
        assert r["reserve"] <= r["reserve_base"]
    # the same numbers as the Python API
    api = project_shock(expected_scenario(5, opening_reserve=10.0),
                        load_shock(path)).to_frame()
    assert [r["reserve"] for r in rows] == pytest.approx(api["reserve_shock"].tolist())


@pytest.mark.usefixtures("_fund_only")
def test_cli_text_mentions_the_shock(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, "[shock]\nmanufacturing_share = 0.3\n")
    assert main(["fund", "project", "--years", "2", "--shock", str(path)]) == 0
    out = capsys.readouterr().out
    assert "with the automation shock of" in out and "shock_factor" in out


@pytest.mark.usefixtures("_fund_only")
@pytest.mark.parametrize(("text", "args", "match"), [
    (None, [], "cannot read it"),
    ("[shock]\nmanufacturing_share = 0.3\nspeed = 2\n", [], r"\[shock\] speed = 2: unknown key"),
    ("[shock]\nmanufacturing_share = 2\n", [], r"manufacturing_share = 2: must lie in"),
    ("[shock\n", [], "not valid TOML"),
])
def test_cli_shock_errors_are_one_line_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                              text: Any, args: list[str], match: str) -> None:
    path = tmp_path / "shock.toml" if text is None else _write(tmp_path, text)
    assert main(["fund", "project", "--shock", str(path), *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("uipolicy: error: ") and err.count("\n") == 1
    assert re.search(match, err)


# --- figure -----------------------------------------------------------------------------

def test_figure(scenario: Scenario) -> None:
    result = project_shock(scenario, AutomationShock(manufacturing_share=0.3))
    fig = plot_shock_reserve(result, floor=5.0)
    assert isinstance(fig, Figure)
    main_ax = fig.axes[0]
    lines = {line.get_label(): line for line in main_ax.get_lines()}
    assert np.allclose(lines["reserve with shock"].get_ydata(),
                       result.to_frame()["reserve_shock"])
    assert main_ax.get_ylabel() == "reserve (100 million CNY)"
    assert len(fig.axes) == 2 and fig.axes[1].get_ylabel() == "recipients (persons)"
    legend = main_ax.get_legend()
    assert legend is not None
    texts = [main_ax.get_title(), main_ax.get_xlabel(), main_ax.get_ylabel(),
             *(t.get_text() for t in legend.get_texts())]
    assert all(ch.isascii() for text in texts for ch in text)      # no CJK glyphs
    fig.canvas.draw()


def test_figure_on_given_axes_and_bad_input(scenario: Scenario) -> None:
    result = project_shock(scenario, AutomationShock(manufacturing_share=0.3))
    fig = Figure()
    ax = fig.add_subplot()
    assert plot_shock_reserve(result, recipients=False, ax=ax) is fig
    assert len(fig.axes) == 1
    with pytest.raises(FundParameterError, match="result = 'DataFrame': must be a fund"):
        plot_shock_reserve(result.to_frame())
    with pytest.raises(FundParameterError, match="ax = 'int': must be a matplotlib Axes"):
        plot_shock_reserve(result, ax=3)  # type: ignore[arg-type]  # wrong type on purpose


def test_fund_modules_do_not_import_the_other_layers() -> None:
    import subprocess
    import sys

    code = ("import sys, fund, fund.labour_ode, fund.labour_analysis, fund.shocks\n"
            "import fund.shock_figures\n"
            "bad = [m for m in sys.modules if m.split('.')[0] in ('gametheory', 'optimize')]\n"
            "assert not bad, bad\n")
    subprocess.run([sys.executable, "-c", code], check=True)
