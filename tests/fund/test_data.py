"""Tests of fund.data: the packaged Qinghai series and the validating loader."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from fund.data import load, qinghai, qinghai_constants, qinghai_printed
from fund.errors import DataError

UNITS = {"covered_10k": "万人", "recipients": "persons"}


# --- the packaged data ---------------------------------------------------------------------


def test_qinghai_is_year_indexed_2014_2022() -> None:
    df = qinghai()
    assert list(df.index) == list(range(2014, 2023))
    assert df.index.name == "year"
    assert df.index.is_monotonic_increasing and df.index.is_unique


def test_every_column_has_a_unit_and_gdp_is_in_yi_yuan() -> None:
    df = qinghai()
    assert set(df.attrs["units"]) == set(df.columns)
    assert all(u.strip() for u in df.attrs["units"].values())
    gdp = [c for c in df.columns if "gdp" in c]
    assert gdp == ["gdp_100m_yuan"]
    assert df.attrs["units"]["gdp_100m_yuan"] == "亿元"


@pytest.mark.parametrize(
    ("year", "column", "seed_value"),
    [
        # values read off seed 002's tables by hand
        (2014, "gdp_100m_yuan", 1847.72),  # table 1
        (2022, "urban_wage_yuan", 96348.0),  # table 1
        (2019, "employment_total_10k", 330.2),  # table 2
        (2020, "employment_urban_10k", 170.0),  # table 2
        (2017, "monthly_benefit_yuan", 1080.0),  # table 3
        (2021, "take_up_rate_pct", 33.73),  # table 5
        (2021, "covered_10k", 55.00),  # table 6
        (2022, "recipients", 10018.0),  # table 6
        (2020, "benefit_expenditure_100m_yuan", 0.552987),  # table 7
        (2020, "income_collected_100m_yuan", 3.276582),  # table 8
        (2018, "refund_100m_yuan", 0.944410),  # table 11 (blank in table 8)
        (2021, "sme_share_pct", 32.23),  # table 8
        (2020, "sme_refund_rate", 1.00),  # table 8
        (2020, "contribution_due_100m_yuan", 3.996854),  # table 9
        (2022, "skills_subsidy_100m_yuan", 0.126060),  # table 12
        (2019, "medical_subsidy_100m_yuan", 0.059936),  # table 12
        (2020, "temporary_spending_100m_yuan", 4.949373),  # table 13
    ],
)
def test_spot_values_match_the_seed(year: int, column: str, seed_value: float) -> None:
    assert qinghai().loc[year, column] == pytest.approx(seed_value, abs=1e-12)


def test_unreported_values_are_nan_not_zero() -> None:
    df = qinghai()
    assert math.isnan(df.loc[2022, "employment_total_10k"])  # only predicted in table 2
    assert math.isnan(df.loc[2017, "covered_10k"])  # fund series start in 2018


def test_printed_ratios_are_consistent_with_their_parts() -> None:
    """Cross-table checks of the transcription (the seed rounds ratios to 0.01%)."""
    df = qinghai()
    rr = df["monthly_benefit_yuan"] / df["urban_monthly_wage_yuan"] * 100
    assert np.allclose(rr, df["replacement_rate_pct"], atol=0.006)
    assert np.allclose(df["urban_wage_yuan"] / 12, df["urban_monthly_wage_yuan"], atol=0.006)
    fund = df.loc[2018:2022]
    re = fund["recipients"] / (fund["covered_10k"] * 1e4) * 100
    assert np.allclose(re, fund["recipient_ratio_pct"], atol=0.006)


def test_printed_forecasts_are_kept_apart() -> None:
    actual, printed = qinghai(), qinghai_printed()
    assert actual.index.max() == 2022
    assert list(printed.loc[2023:].index) == [2023, 2024, 2025, 2026, 2027]
    assert printed.attrs["dataset"]["kind"] == "printed"
    assert actual.attrs["dataset"]["kind"] == "actual"
    assert printed.loc[2027, "covered_10k"] == pytest.approx(98.53)
    assert printed.loc[2025, "refund_100m_yuan"] == pytest.approx(3.451640)


def test_printed_constants() -> None:
    c = qinghai_constants()
    assert c["income_slope"] == 0.9182 and c["income_intercept"] == 0.5497
    assert c["collection_rate"] == pytest.approx(0.9530314)


# --- the loader ----------------------------------------------------------------------------


def _write(tmp_path: Path, body: str, toml: str | None = None) -> Path:
    path = tmp_path / "prov.csv"
    path.write_text(body, encoding="utf-8")
    if toml is not None:
        path.with_suffix(".toml").write_text(toml, encoding="utf-8")
    return path


SIDECAR = """
[columns.covered_10k]
unit = "万人"
[columns.recipients]
unit = "persons"
"""


def test_load_own_province_with_sidecar(tmp_path: Path) -> None:
    path = _write(tmp_path, "# my province\nyear,covered_10k,recipients\n2021,10,100\n"
                  "2022,11.5,\n", SIDECAR)
    df = load(path)
    assert df.loc[2022, "covered_10k"] == 11.5
    assert math.isnan(df.loc[2022, "recipients"])
    assert df.attrs["units"] == {"covered_10k": "万人", "recipients": "persons"}


def test_duplicate_year_names_row_and_column(tmp_path: Path) -> None:
    path = _write(tmp_path, "year,covered_10k,recipients\n2021,1,1\n2021,2,2\n")
    with pytest.raises(DataError, match=r"row 3, column 'year': duplicate year 2021"):
        load(path, units=UNITS)


def test_decreasing_years(tmp_path: Path) -> None:
    path = _write(tmp_path, "year,covered_10k,recipients\n2021,1,1\n2020,2,2\n")
    with pytest.raises(DataError, match=r"row 3, column 'year': year 2020 after 2021"):
        load(path, units=UNITS)


def test_negative_count(tmp_path: Path) -> None:
    path = _write(tmp_path, "year,covered_10k,recipients\n2021,1,1\n2022,2,-5\n")
    with pytest.raises(DataError, match=r"row 3 \(year 2022\), column 'recipients': -5.0 is "
                                        r"negative"):
        load(path, units=UNITS)


def test_non_numeric_cell(tmp_path: Path) -> None:
    path = _write(tmp_path, "year,covered_10k,recipients\n2021,1,1\n2022,abc,2\n")
    with pytest.raises(DataError, match=r"row 3 \(year 2022\), column 'covered_10k': 'abc' "
                                        r"is not a finite number"):
        load(path, units=UNITS)


def test_nan_text_is_not_a_silent_missing_value(tmp_path: Path) -> None:
    path = _write(tmp_path, "year,covered_10k,recipients\n2021,nan,1\n")
    with pytest.raises(DataError, match=r"column 'covered_10k': 'nan'"):
        load(path, units=UNITS)


def test_missing_sidecar_means_missing_units(tmp_path: Path) -> None:
    path = _write(tmp_path, "year,covered_10k\n2021,1\n")
    with pytest.raises(DataError, match=r"no metadata file stating the units"):
        load(path)


def test_column_without_unit_in_sidecar(tmp_path: Path) -> None:
    toml = '[columns.covered_10k]\nunit = "万人"\n[columns.recipients]\ndescription = "x"\n'
    path = _write(tmp_path, "year,covered_10k,recipients\n2021,1,1\n", toml)
    with pytest.raises(DataError, match=r"column 'recipients': no unit stated"):
        load(path)


def test_column_absent_from_units(tmp_path: Path) -> None:
    path = _write(tmp_path, "year,covered_10k,gdp\n2021,1,1\n")
    with pytest.raises(DataError, match=r"column 'gdp': no unit stated"):
        load(path, units=UNITS)


def test_non_integer_year(tmp_path: Path) -> None:
    path = _write(tmp_path, "year,covered_10k\n2021.5,1\n")
    with pytest.raises(DataError, match=r"row 2, column 'year': '2021.5' is not an integer"):
        load(path, units=UNITS)


def test_ragged_row(tmp_path: Path) -> None:
    path = _write(tmp_path, "year,covered_10k,recipients\n2021,1\n")
    with pytest.raises(DataError, match=r"row 2: 2 cells, expected 3"):
        load(path, units=UNITS)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"no such data file"):
        load(tmp_path / "absent.csv", units=UNITS)


def test_nonnegative_can_be_switched_off(tmp_path: Path) -> None:
    toml = '[columns.reserve_100m_yuan]\nunit = "亿元"\nnonnegative = false\n'
    path = _write(tmp_path, "year,reserve_100m_yuan\n2021,-3.5\n", toml)
    assert load(path).loc[2021, "reserve_100m_yuan"] == -3.5


def test_missing_year(tmp_path: Path) -> None:
    path = _write(tmp_path, "year,covered_10k\n2018,1\n2020,2\n")
    with pytest.raises(DataError, match=r"row 3, column 'year': year 2020 follows 2018, "
                                        r"missing 2019"):
        load(path, units=UNITS)
    assert list(load(path, units=UNITS, allow_gaps=True).index) == [2018, 2020]


def test_reference_page_lists_every_column_with_its_unit() -> None:
    page = (Path(__file__).resolve().parents[2] / "docs" / "reference" / "fund-data.md")
    text = page.read_text(encoding="utf-8")
    for frame in (qinghai(), qinghai_printed()):
        for name, unit in frame.attrs["units"].items():
            assert f"| `{name}` | {unit} |" in text, name
