"""The ``uipolicy fund`` command line, through :func:`uipolicy.cli.main`."""

from __future__ import annotations

import csv
import io
import json

import pytest

import uipolicy.cli
from uipolicy.cli import main


@pytest.fixture(autouse=True)
def _fund_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Register only the fund subcommands, so these tests do not depend on other layers."""
    monkeypatch.setattr(uipolicy.cli, "SUBCOMMAND_MODULES", ("fund",))


def test_reproduce_json_rows(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fund", "reproduce", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    rows = doc["rows"]
    assert isinstance(rows, list) and rows
    for row in rows:
        assert set(row) == {"table", "year", "quantity", "printed", "computed", "rel_diff"}
        assert isinstance(row["table"], str) and isinstance(row["year"], int)
        assert row["rel_diff"] == pytest.approx((row["computed"] - row["printed"])
                                                / row["printed"])
    tables = {r["table"] for r in rows}
    assert {"9", "10", "11"} <= tables
    for table in ("9", "10", "11"):
        years = sorted({r["year"] for r in rows if r["table"] == table})
        assert years == [2023, 2024, 2025, 2026, 2027]
    assert all(abs(r["rel_diff"]) < 0.01 for r in rows if r["table"] in {"9", "10", "11"})
    # one printed value typed from the seed (table 11, 2027)
    refund_2027 = next(r for r in rows if r["table"] == "11" and r["year"] == 2027)
    assert refund_2027["printed"] == pytest.approx(4.789797)


def test_reproduce_text_is_a_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fund", "reproduce"]) == 0
    out = capsys.readouterr().out
    assert "benefit_expenditure" in out and "refund" in out
    assert "table 11:" in out and "tolerance 0.01: ok" in out


def test_reproduce_tolerance_sets_exit_code(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fund", "reproduce", "--tolerance", "1e-6"]) == 1
    assert "EXCEEDED" in capsys.readouterr().out


def test_project_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fund", "project", "--format", "json", "--years", "3",
                 "--opening-reserve", "10"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["year"] for r in rows] == [2023, 2024, 2025]
    first = rows[0]
    # reserve recursion with the default 1.10% interest on the opening reserve of 10
    assert first["reserve"] == pytest.approx(10 * 1.011 + first["income"]
                                             - first["expenditure"])
    assert first["months_payable"] == pytest.approx(12 * first["reserve"]
                                                    / first["expenditure"])
    # payroll = contribution base / 1%; reserve ratio in percent of payroll
    assert first["reserve_ratio_pct"] == pytest.approx(
        100 * first["reserve"] / (first["contribution_base"] / 0.01))


def test_project_csv_and_printed_scenario(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fund", "project", "--format", "csv", "--scenario", "printed",
                 "--years", "2", "--interest-rate", "0"]) == 0
    table = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["year"] for r in table] == ["2023", "2024"]
    # 2023 income = (0.9182 x 70.58 x 99,271.17e-6 + 0.5497) x 0.9530314 = 6.655135
    assert float(table[0]["income"]) == pytest.approx(6.655135, abs=2e-6)


def test_project_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fund", "project"]) == 0
    out = capsys.readouterr().out
    assert "expected scenario" in out and "2027" in out


def test_project_bad_horizon_is_a_clean_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fund", "project", "--scenario", "printed", "--years", "6"]) == 2
    assert "covers only 5 years" in capsys.readouterr().err
    assert main(["fund", "project", "--years", "0"]) == 2
    assert "--years = 0: must be between 1 and 9" in capsys.readouterr().err


def test_project_negative_interest_below_minus_one(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fund", "project", "--interest-rate", "-1.5"]) == 2
    assert "--interest-rate = -1.5: must be a fraction" in capsys.readouterr().err


def test_project_ahcm_column(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fund", "project", "--format", "json", "--years", "1",
                 "--opening-reserve", "10"]) == 0
    row = json.loads(capsys.readouterr().out)[0]
    # benefit cost rates 2018-2022 from seed tables 6-7: B / (P^i x w), payroll in 亿元
    history = [0.491353 / (42.28 * 68194e-4), 0.479331 / (43.75 * 73014e-4),
               0.552987 / (46.48 * 84277e-4), 0.770436 / (55.00 * 91253e-4),
               0.710134 / (63.40 * 96348e-4)]
    payroll = row["contribution_base"] / 0.01
    rates = sorted([*history, row["benefits"] / payroll], reverse=True)
    ahcr = sum(rates[:3]) / 3
    assert row["ahcm_benefits"] == pytest.approx(row["reserve"] / payroll / ahcr)


def test_reproduce_json_carries_what_the_text_shows(capsys: pytest.CaptureFixture[str]) -> None:
    """The regression, the constants and the verdict are in the JSON, as in the text."""
    assert main(["fund", "reproduce"]) == 0
    text = capsys.readouterr().out
    assert main(["fund", "reproduce", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    reg = doc["regression"]
    # the text's repr shows the slope to 4 decimals and R^2: the JSON has them in full
    assert f"LI = {reg['slope']:.4f} X + {reg['intercept']:.4f}" in text
    assert f"R^2 = {reg['r_squared']:.4f}" in text
    # every constant row of the text is in the JSON, with rel_diff = computed/printed - 1
    assert len(doc["constants"]) >= 5
    for row in doc["constants"]:
        assert row["quantity"] in text
        assert row["rel_diff"] == pytest.approx(row["computed"] / row["printed"] - 1)
    worst = max(abs(r["rel_diff"]) for r in doc["rows"])
    assert doc["max_abs_rel_diff"] == pytest.approx(worst)
    assert doc["ok"] is True and doc["tolerance"] == 0.01
    for table, value in doc["max_abs_rel_diff_by_table"].items():
        assert f"table {table}: {value:.4%}" in text


@pytest.mark.parametrize(("argv", "message"), [
    (["fund", "project", "--interest-rate", "5"], "did you mean 5% = 0.05?"),
    (["fund", "project", "--death-rate", "2"], "did you mean 2% = 0.02?"),
    (["fund", "project", "--years", "1000"], "--years = 1000: must be between 1 and 9"),
    (["fund", "project", "--years", "x"], "--years = 'x': must be a whole number"),
    (["fund", "project", "--opening-reserve", "nan"], "--opening-reserve = nan"),
    (["fund", "reproduce", "--tolerance", "-1"], "--tolerance = -1.0: must be >= 0"),
])
def test_bad_values_refused_before_any_work(argv: list[str], message: str,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert message in err and err.count("\n") == 1


def test_year_limit_is_the_data_span() -> None:
    """--years stops at the number of data years the expected scenario's trends use."""
    from fund.data import qinghai
    from uipolicy.cli.fund import MAX_YEARS

    years = qinghai().index
    assert MAX_YEARS == years.max() - years.min() + 1 == len(years)


def test_default_interest_rate_is_the_scenario_default(capsys: pytest.CaptureFixture[str]) -> None:
    from fund.scenarios import DEFAULT_INTEREST_RATE

    assert main(["fund", "project", "--years", "1"]) == 0
    assert f"interest {DEFAULT_INTEREST_RATE:g})" in capsys.readouterr().out


def test_fits_report_kappa_identification(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fund", "fits", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert list(out) == ["recipient_ratio", "months_paid", "non_eligible_share",
                         "replacement_rate"]
    flags = {name: fit["kappa_identified"] for name, fit in out.items()}
    assert flags == {"recipient_ratio": False, "months_paid": False,
                     "non_eligible_share": False, "replacement_rate": True}
    assert out["recipient_ratio"]["conf_int_95"]["kappa"][1] is None     # unbounded
    assert out["recipient_ratio"]["std_errors"]["kappa"] is None
    assert "stationary gamma law" in out["months_paid"]["identification"]
    assert main(["fund", "fits"]) == 0
    text = capsys.readouterr().out
    assert text.count("kappa NOT IDENTIFIED") == 3 and text.count("kappa identified") == 1
