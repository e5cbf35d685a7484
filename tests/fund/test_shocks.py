"""Automation-shock scenarios: the mapping to recipients, shock files, the CLI, the figure."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

import uipolicy.cli  # noqa: E402
from fund.errors import DataError, FundParameterError, HorizonError  # noqa: E402
from fund.labour import DemandPath, LabourParams, simulate  # noqa: E402
from fund.scenarios import expected_scenario, printed_scenario  # noqa: E402
from fund.shock_figures import plot_shock_reserve  # noqa: E402
from fund.shocks import (  # noqa: E402
    AutomationShock,
    load_shock,
    project_shock,
    shock_factors,
    shock_scenario,
)
from uipolicy.cli import main  # noqa: E402


@pytest.fixture(scope="module")
def scenario():
    return expected_scenario(5, opening_reserve=10.0)


# --- the mapping ------------------------------------------------------------------------

def test_factor_is_the_ratio_of_unemployment_rates():
    shock = AutomationShock(manufacturing_share=0.25, removed_share=0.4, years=4.0)
    f = shock_factors(shock, range(2023, 2028), data_end=2022)
    # independently: P falls by 10% of 1000 linearly over model years 0..4
    base = simulate(LabourParams(), 5)
    hit = simulate(LabourParams(), 5, demand=lambda t: 1000.0 - 100.0 * min(t, 4.0) / 4.0)
    u = lambda fr: (fr["U"] / (fr["U"] + fr["N"])).to_numpy()[1:]  # noqa: E731
    assert np.allclose(f["factor"].to_numpy(), u(hit) / u(base), rtol=1e-6)
    assert f["P_shock"].tolist() == pytest.approx([975.0, 950.0, 925.0, 900.0, 900.0])
    assert f.index.tolist() == [2023, 2024, 2025, 2026, 2027]


def test_shocked_scenario_scales_only_the_recipient_ratio(scenario):
    shock = AutomationShock(manufacturing_share=0.3)
    shocked = shock_scenario(scenario, shock)
    factor = shock_factors(shock, scenario.drivers.index, data_end=2022)["factor"]
    pd.testing.assert_series_equal(shocked.drivers["recipient_ratio"],
                                   scenario.drivers["recipient_ratio"] * factor,
                                   check_names=False)
    others = [c for c in scenario.drivers.columns if c != "recipient_ratio"]
    pd.testing.assert_frame_equal(shocked.drivers[others], scenario.drivers[others])
    assert shocked.opening == scenario.opening and shocked.data_end == scenario.data_end
    assert shocked.name == "expected+shock" and "automation" in shocked.notes["shock"]
    assert scenario.drivers is not shocked.drivers   # the input is left alone


def test_zero_shock_changes_nothing(scenario):
    result = project_shock(scenario, AutomationShock(manufacturing_share=0.3,
                                                     removed_share=0.0))
    assert (result.factors["factor"] == 1.0).all()
    table = result.to_frame()
    assert np.array_equal(table["reserve_base"], table["reserve_shock"])


def test_no_effect_before_the_start_year():
    f = shock_factors(AutomationShock(manufacturing_share=0.3, start_year=2025),
                      range(2023, 2028), data_end=2022)
    assert f.loc[[2023, 2024], "factor"].tolist() == [1.0, 1.0]   # bit for bit
    assert (f.loc[[2025, 2026, 2027], "factor"] > 1.0).all()


@pytest.mark.parametrize("manufacturing_share", [0.3, 1.0])
def test_recipients_rise_monotonically_with_the_shock(scenario, manufacturing_share):
    tables = [project_shock(scenario, AutomationShock(manufacturing_share=manufacturing_share,
                                                      removed_share=s)).to_frame()
              for s in np.linspace(0.0, 1.0, 11)]
    rec = np.array([t["recipients_shock"].to_numpy() for t in tables])
    ben = np.array([t["benefits_shock"].to_numpy() for t in tables])
    res = np.array([t["reserve_shock"].to_numpy() for t in tables])
    assert np.all(np.diff(rec, axis=0) >= 0) and np.all(np.diff(ben, axis=0) >= 0)
    assert np.all(np.diff(res, axis=0) <= 0)
    assert rec[-1, -1] > rec[0, -1] and res[-1, -1] < res[0, -1]   # and strictly, in the end


def test_elasticity_is_a_power():
    years = range(2023, 2026)
    one = shock_factors(AutomationShock(manufacturing_share=0.5), years, data_end=2022)
    two = shock_factors(AutomationShock(manufacturing_share=0.5, elasticity=2.0), years,
                        data_end=2022)
    zero = shock_factors(AutomationShock(manufacturing_share=0.5, elasticity=0.0), years,
                         data_end=2022)
    assert np.allclose(two["factor"], one["factor"] ** 2)
    assert (zero["factor"] == 1.0).all()


def test_printed_scenario_accepts_a_shock():
    result = project_shock(printed_scenario(3), AutomationShock(manufacturing_share=0.3))
    assert result.to_frame().index.tolist() == [2023, 2024, 2025]


def test_labour_model_leaving_its_region_is_a_horizon_error():
    with pytest.raises(HorizonError, match=r"year 2029, U = -289.2 \(base\).*U > 0 and N > 0"):
        shock_factors(AutomationShock(manufacturing_share=0.3), range(2023, 2033),
                      data_end=2022)


def test_start_before_the_projection_is_a_horizon_error():
    with pytest.raises(HorizonError, match="start_year = 2022: the shock cannot start before"):
        shock_factors(AutomationShock(manufacturing_share=0.3, start_year=2022),
                      range(2023, 2025), data_end=2022)


def test_ratio_above_one_is_refused(scenario):
    big = scenario.drivers.copy()
    big["recipient_ratio"] = 0.99
    with pytest.raises(FundParameterError, match=r"recipient_ratio = 1\.0.*year 2026: the "
                       "shocked ratio exceeds 1"):
        shock_scenario(replace(scenario, drivers=big), AutomationShock(manufacturing_share=0.3))


@pytest.mark.parametrize("kwargs, match", [
    ({"manufacturing_share": -0.1}, r"manufacturing_share = -0\.1: must lie in \[0, 1\]"),
    ({"manufacturing_share": 0.3, "removed_share": 1.2}, r"removed_share = 1\.2: must lie"),
    ({"manufacturing_share": 0.3, "years": 0}, r"years = 0: must be > 0"),
    ({"manufacturing_share": 0.3, "elasticity": -1.0}, r"elasticity = -1\.0: must be >= 0"),
    ({"manufacturing_share": 0.3, "start_year": 2024.5}, r"start_year = 2024\.5: must be an"),
    ({"manufacturing_share": "0.3"}, r"manufacturing_share = '0\.3': must be a number"),
    ({"manufacturing_share": float("nan")}, r"manufacturing_share = nan: must be finite"),
    ({"manufacturing_share": 0.3, "labour": {"gamma": 1}}, r"labour = 'dict': must be a"),
])
def test_bad_shocks(kwargs, match):
    with pytest.raises(FundParameterError, match=match):
        AutomationShock(**kwargs)


def test_demand_path_of_a_shock():
    path = AutomationShock(manufacturing_share=0.2, removed_share=0.5, years=2.0,
                           labour=LabourParams(P0=500.0)).demand_path(1.0)
    assert path == DemandPath((1.0, 3.0), (500.0, 450.0))


# --- shock files ------------------------------------------------------------------------

def _write(tmp_path, text, name="shock.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_load_full_file(tmp_path):
    path = _write(tmp_path, """
[shock]
manufacturing_share = 0.3
removed_share = 0.3
years = 5
start_year = 2024
elasticity = 1.5

[labour]
gamma = 0.6
w_star = 12.0
""")
    shock = load_shock(path)
    assert shock == AutomationShock(manufacturing_share=0.3, removed_share=0.3, years=5,
                                    start_year=2024, elasticity=1.5,
                                    labour=LabourParams(gamma=0.6, w_star=12.0))


def test_load_minimal_file_takes_the_seed_defaults(tmp_path):
    shock = load_shock(_write(tmp_path, "[shock]\nmanufacturing_share = 0.2\n"))
    assert (shock.removed_share, shock.years, shock.start_year) == (0.3, 5.0, None)
    assert shock.labour == LabourParams()


@pytest.mark.parametrize("text, error, match", [
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
def test_bad_files(tmp_path, text, error, match):
    with pytest.raises(error, match=match):
        load_shock(_write(tmp_path, text))


def test_missing_file(tmp_path):
    with pytest.raises(DataError, match=r"nope\.toml'?: cannot read it \(No such file"):
        load_shock(tmp_path / "nope.toml")


def test_not_utf8(tmp_path):
    path = tmp_path / "latin.toml"
    path.write_bytes(b"[shock]\n# \xe9\nmanufacturing_share = 0.3\n")
    with pytest.raises(DataError, match="not valid TOML"):
        load_shock(path)


# --- command line -----------------------------------------------------------------------

@pytest.fixture()
def _fund_only(monkeypatch):
    monkeypatch.setattr(uipolicy.cli, "SUBCOMMAND_MODULES", ("fund",))


@pytest.mark.usefixtures("_fund_only")
def test_cli_project_with_shock(tmp_path, capsys):
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
def test_cli_text_mentions_the_shock(tmp_path, capsys):
    path = _write(tmp_path, "[shock]\nmanufacturing_share = 0.3\n")
    assert main(["fund", "project", "--years", "2", "--shock", str(path)]) == 0
    out = capsys.readouterr().out
    assert "with the automation shock of" in out and "shock_factor" in out


@pytest.mark.usefixtures("_fund_only")
@pytest.mark.parametrize("text, args, match", [
    (None, [], "cannot read it"),
    ("[shock]\nmanufacturing_share = 0.3\nspeed = 2\n", [], r"\[shock\] speed = 2: unknown key"),
    ("[shock]\nmanufacturing_share = 2\n", [], r"manufacturing_share = 2: must lie in"),
    ("[shock\n", [], "not valid TOML"),
    ("[shock]\nmanufacturing_share = 0.3\n", ["--years", "9"], r"year 2029, U = "),
])
def test_cli_shock_errors_are_one_line_exit_2(tmp_path, capsys, text, args, match):
    path = tmp_path / "shock.toml" if text is None else _write(tmp_path, text)
    assert main(["fund", "project", "--shock", str(path), *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("uipolicy: error: ") and err.count("\n") == 1
    assert re.search(match, err)


# --- figure -----------------------------------------------------------------------------

def test_figure(scenario):
    result = project_shock(scenario, AutomationShock(manufacturing_share=0.3))
    fig = plot_shock_reserve(result, floor=5.0)
    assert isinstance(fig, Figure)
    main_ax = fig.axes[0]
    lines = {line.get_label(): line for line in main_ax.get_lines()}
    assert np.allclose(lines["reserve with shock"].get_ydata(),
                       result.to_frame()["reserve_shock"])
    assert main_ax.get_ylabel() == "reserve (100 million CNY)"
    assert len(fig.axes) == 2 and fig.axes[1].get_ylabel() == "recipients (persons)"
    texts = [main_ax.get_title(), main_ax.get_xlabel(), main_ax.get_ylabel(),
             *(t.get_text() for t in main_ax.get_legend().get_texts())]
    assert all(ch.isascii() for text in texts for ch in text)      # no CJK glyphs
    fig.canvas.draw()


def test_figure_on_given_axes_and_bad_input(scenario):
    result = project_shock(scenario, AutomationShock(manufacturing_share=0.3))
    fig = Figure()
    ax = fig.add_subplot()
    assert plot_shock_reserve(result, recipients=False, ax=ax) is fig
    assert len(fig.axes) == 1
    with pytest.raises(FundParameterError, match="result = 'DataFrame': must be a fund"):
        plot_shock_reserve(result.to_frame())
    with pytest.raises(FundParameterError, match="ax = 'int': must be a matplotlib Axes"):
        plot_shock_reserve(result, ax=3)


def test_fund_modules_do_not_import_the_other_layers():
    import subprocess
    import sys

    code = ("import sys, fund, fund.labour, fund.shocks, fund.shock_figures\n"
            "bad = [m for m in sys.modules if m.split('.')[0] in ('gametheory', 'optimize')]\n"
            "assert not bad, bad\n")
    subprocess.run([sys.executable, "-c", code], check=True)
