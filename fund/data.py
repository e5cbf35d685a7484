"""Year-indexed fund data: the packaged Qinghai series of seed 002 and a loader for your own.

A dataset is a CSV file with a ``year`` column plus one column per series, and a sidecar
TOML file of the same stem describing every column (``unit`` required; ``table``,
``source``, ``description``, ``nonnegative``).  Lines starting with ``#`` are comments.
An empty cell means "not reported" and becomes NaN; a cell that is not a number is an
error.  Loading checks that years are unique integers in increasing order, that every
column has a unit, and that no count or amount is negative; a violation raises
:class:`fund.errors.DataError` naming the file, row and column.

Money is in 亿元 (1e8 CNY) and people in 万人 (1e4 persons) unless the unit says 元 or
persons; units are also in the column names (``_100m_yuan``, ``_yuan``, ``_10k``, ``_pct``)
and in ``DataFrame.attrs['units']``.

>>> df = qinghai()
>>> float(df.loc[2022, "gdp_100m_yuan"])
3610.1
>>> df.attrs["units"]["covered_10k"]
'万人'
>>> int(df.index[0]), int(df.index[-1])
(2014, 2022)
"""

from __future__ import annotations

import csv
import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from fund.errors import DataError

__all__ = [
    "EXPENDITURE_COLUMNS",
    "ColumnInfo",
    "load",
    "qinghai",
    "qinghai_constants",
    "qinghai_printed",
    "total_expenditure",
]


@dataclass(frozen=True)
class ColumnInfo:
    """What one column of a dataset means.

    Attributes
    ----------
    name : str
        Column name in the CSV.
    unit : str
        Unit of the values (``'亿元'``, ``'万人'``, ``'%'``, ``'fraction'``, ...).
    description, table, source : str
        Free text: what the series is, which seed table it comes from, where from.
    nonnegative : bool
        Whether a negative value is a data error (true for counts and amounts).

    Examples
    --------
    >>> info = ColumnInfo("covered_10k", "万人", description="covered persons")
    >>> info.unit, info.nonnegative
    ('万人', True)
    """

    name: str
    unit: str
    description: str = ""
    table: str = ""
    source: str = ""
    nonnegative: bool = True


def load(
    path: str | Path,
    *,
    units: Mapping[str, str] | None = None,
    metadata: str | Path | None = None,
    allow_gaps: bool = False,
) -> pd.DataFrame:
    r"""Load and validate a year-indexed dataset (e.g. your own province's series).

    Parameters
    ----------
    path : str or Path
        CSV file with a ``year`` column and one column per series.
    units : mapping, optional
        Unit of each non-year column.  If given, no sidecar file is read and every
        column is treated as non-negative.
    metadata : str or Path, optional
        Sidecar TOML with ``[columns.<name>]`` tables; default: ``path`` with suffix
        ``.toml``.
    allow_gaps : bool, default False
        Accept missing years between rows (otherwise a gap is an error).

    Returns
    -------
    pandas.DataFrame
        Indexed by integer ``year``; float columns; ``attrs`` holds ``units``,
        ``columns`` (name -> :class:`ColumnInfo`), ``dataset`` (the sidecar's
        ``[dataset]`` table) and ``path``.

    Raises
    ------
    DataError
        Missing file or sidecar, a column without unit, a non-integer, duplicate or
        decreasing year, a missing year (unless ``allow_gaps``), a non-numeric or
        infinite cell, a negative value in a non-negative column, a row with the wrong
        number of cells.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "p.csv").write_text("year,covered_10k\n2021,10.5\n2022,11\n")
    >>> load(d / "p.csv", units={"covered_10k": "万人"})["covered_10k"].tolist()
    [10.5, 11.0]
    """
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: no such data file")
    if units is not None:
        info = {name: ColumnInfo(name=name, unit=str(unit)) for name, unit in units.items()}
        dataset: dict[str, Any] = {}
    else:
        meta_path = Path(metadata) if metadata is not None else path.with_suffix(".toml")
        info, dataset = _read_metadata(meta_path)
    with path.open(newline="", encoding="utf-8") as fh:
        text = fh.read()
    return _parse(text, str(path), info, dataset, allow_gaps=allow_gaps)


def qinghai() -> pd.DataFrame:
    """Qinghai province actuals 2014–2022 from seed 002's tables 1–13.

    Columns (units in the names and in ``attrs['units']``): ``gdp_100m_yuan``,
    ``urban_wage_yuan``, ``employment_total_10k``, ``employment_urban_10k``,
    ``monthly_benefit_yuan``, ``urban_monthly_wage_yuan``, ``replacement_rate_pct``,
    ``take_up_rate_pct``, ``take_up_rate_national_pct``, ``covered_10k``, ``recipients``,
    ``recipient_ratio_pct``, ``benefit_expenditure_100m_yuan``, ``months_paid``,
    ``income_collected_100m_yuan``, ``contribution_due_100m_yuan``, ``refund_100m_yuan``,
    ``non_eligible_share_pct``, ``sme_share_pct``, ``sme_refund_rate``,
    ``large_refund_rate``, ``skills_subsidy_100m_yuan``, ``medical_subsidy_100m_yuan``,
    ``other_spending_100m_yuan``, ``temporary_spending_100m_yuan``.  NaN = not reported
    for that year (fund series start in 2018).

    Returns
    -------
    pandas.DataFrame
        Indexed by year; the units are also in ``attrs['units']``.

    Examples
    --------
    >>> float(qinghai().loc[2020, "recipients"])
    7020.0
    """
    return _packaged("qinghai")


def qinghai_printed() -> pd.DataFrame:
    """Seed 002's printed model output (fitted 2014–2022, forecasts 2023–2027).

    Kept apart from :func:`qinghai`: these are the seed's numbers, which
    :mod:`fund.reproduce` recomputes and compares.

    Returns
    -------
    pandas.DataFrame
        Indexed by year, 2014–2027.

    Examples
    --------
    >>> float(qinghai_printed().loc[2027, "covered_10k"])
    98.53
    """
    return _packaged("qinghai_printed")


def qinghai_constants() -> dict[str, float]:
    """Scalar constants printed by seed 002 (coefficients, means, assumptions).

    Returns
    -------
    dict of str to float
        Constant name -> value (names as in ``fund/datasets/qinghai_printed.toml``).

    Examples
    --------
    >>> qinghai_constants()["collection_rate"]
    0.9530314
    """
    meta = _read_toml(_dataset_path("qinghai_printed.toml"))
    return {str(k): float(v) for k, v in meta.get("constants", {}).items()}


#: The expenditure lines of the Qinghai actuals (亿元), which add up to the total.
EXPENDITURE_COLUMNS = (
    "benefit_expenditure_100m_yuan", "refund_100m_yuan", "skills_subsidy_100m_yuan",
    "medical_subsidy_100m_yuan", "other_spending_100m_yuan", "temporary_spending_100m_yuan",
)


def total_expenditure(data: pd.DataFrame | None = None) -> pd.Series:
    """Total fund expenditure per year (亿元).

    The sum of :data:`EXPENDITURE_COLUMNS`; years where any line is not reported are left out.

    Parameters
    ----------
    data : pandas.DataFrame, optional
        Year-indexed data with the :data:`EXPENDITURE_COLUMNS` (default :func:`qinghai`).

    Returns
    -------
    pandas.Series
        Year-indexed totals (亿元).

    Examples
    --------
    >>> round(float(total_expenditure().loc[2022]), 4)
    6.0882
    """
    df = qinghai() if data is None else data
    lines = df[list(EXPENDITURE_COLUMNS)].dropna()
    return lines.sum(axis=1).rename("expenditure_100m_yuan")


# --- private core -------------------------------------------------------------------------


def _dataset_path(filename: str) -> Path:
    return Path(str(resources.files("fund").joinpath("datasets", filename)))


def _packaged(stem: str) -> pd.DataFrame:
    return load(_dataset_path(f"{stem}.csv"))


def _read_toml(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise DataError(f"{path}: no metadata file stating the units (expected a sidecar TOML)")
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise DataError(f"{path}: metadata is not valid TOML: {exc}") from exc


def _read_metadata(path: Path) -> tuple[dict[str, ColumnInfo], dict[str, Any]]:
    meta = _read_toml(path)
    columns = meta.get("columns", {})
    if not isinstance(columns, dict):
        raise DataError(f"{path}: [columns] must be a table of column tables")
    info: dict[str, ColumnInfo] = {}
    for name, entry in columns.items():
        if not isinstance(entry, dict):
            raise DataError(f"{path}: [columns.{name}] must be a table")
        unit = entry.get("unit")
        if not isinstance(unit, str) or not unit.strip():
            raise DataError(f"{path}: column {name!r}: no unit stated (rule: unit = \"...\")")
        info[name] = ColumnInfo(
            name=name,
            unit=unit,
            description=str(entry.get("description", "")).strip(),
            table=str(entry.get("table", "")),
            source=str(entry.get("source", "")),
            nonnegative=bool(entry.get("nonnegative", True)),
        )
    dataset = meta.get("dataset", {})
    return info, dataset if isinstance(dataset, dict) else {}


def _parse(
    text: str, where: str, info: Mapping[str, ColumnInfo], dataset: Mapping[str, Any],
    *, allow_gaps: bool = False,
) -> pd.DataFrame:
    lines = [(n, line) for n, line in enumerate(text.splitlines(), start=1)]
    body = [(n, line) for n, line in lines if line.strip() and not line.lstrip().startswith("#")]
    if not body:
        raise DataError(f"{where}: empty data file (rule: a header row with 'year' is required)")
    header = _parse_header(body[0], where, info)
    series = [h for h in header if h != "year"]
    year_at = header.index("year")
    years: list[int] = []
    values: dict[str, list[float]] = {name: [] for name in series}
    for row_no, line in body[1:]:
        cells = next(csv.reader([line]))
        if len(cells) != len(header):
            raise DataError(
                f"{where}: row {row_no}: {len(cells)} cells, expected {len(header)} "
                "(one per column)"
            )
        year = _parse_year(cells[year_at].strip(), where, row_no)
        _check_year_order(year, years, where, row_no, allow_gaps=allow_gaps)
        years.append(year)
        for name, raw in zip(header, cells, strict=True):
            if name == "year":
                continue
            values[name].append(_parse_cell(raw.strip(), where, row_no, year, info[name]))
    if not years:
        raise DataError(f"{where}: no data rows")
    frame = pd.DataFrame(values, index=pd.Index(years, name="year", dtype="int64"), dtype=float)
    frame.attrs["units"] = {name: info[name].unit for name in series}
    frame.attrs["columns"] = {name: info[name] for name in series}
    frame.attrs["dataset"] = dict(dataset)
    frame.attrs["path"] = where
    return frame


def _parse_header(row: tuple[int, str], where: str, info: Mapping[str, ColumnInfo]
                  ) -> list[str]:
    """The header's column names: a ``year`` column, no duplicate, a unit for each."""
    header_row, header_line = row
    header = [h.strip() for h in next(csv.reader([header_line]))]
    if "year" not in header:
        raise DataError(f"{where}: row {header_row}: no 'year' column in the header")
    if len(set(header)) != len(header):
        dup = sorted({h for h in header if header.count(h) > 1})
        raise DataError(f"{where}: row {header_row}: duplicate column(s) {dup}")
    for name in header:
        if name != "year" and name not in info:
            raise DataError(f"{where}: column {name!r}: no unit stated (add it to the metadata)")
    return header


def _check_year_order(year: int, years: list[int], where: str, row_no: int, *,
                      allow_gaps: bool) -> None:
    """A new year is unique, after the previous one, and (unless allowed) the next one."""
    if year in years:
        raise DataError(f"{where}: row {row_no}, column 'year': duplicate year {year}")
    if years and year < years[-1]:
        raise DataError(
            f"{where}: row {row_no}, column 'year': year {year} after {years[-1]} "
            "(rule: years must increase)"
        )
    if years and not allow_gaps and year != years[-1] + 1:
        raise DataError(
            f"{where}: row {row_no}, column 'year': year {year} follows {years[-1]}, "
            f"missing {years[-1] + 1} (rule: consecutive years; allow_gaps=True to accept)"
        )


def _parse_year(raw: str, where: str, row_no: int) -> int:
    try:
        number = float(raw)
    except ValueError:
        number = math.nan
    if not math.isfinite(number) or number != int(number):
        raise DataError(f"{where}: row {row_no}, column 'year': {raw!r} is not an integer year")
    return int(number)


def _parse_cell(raw: str, where: str, row_no: int, year: int, col: ColumnInfo) -> float:
    if raw == "":
        return math.nan
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not np.isfinite(value):
        raise DataError(
            f"{where}: row {row_no} (year {year}), column {col.name!r}: {raw!r} is not a "
            "finite number (leave the cell empty if not reported)"
        )
    if col.nonnegative and value < 0:
        raise DataError(
            f"{where}: row {row_no} (year {year}), column {col.name!r}: {value!r} is negative "
            f"(rule: {col.unit} values must be >= 0)"
        )
    return value
