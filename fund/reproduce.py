"""Reproduce seed 002's chapter-3 forecasts from its own printed inputs.

:func:`reproduce` recomputes tables 9 (income), 10 (benefit expenditure), 11
(job-retention refund) and 12 (medical and skills subsidies) for 2023–2027 by running
the projection (:mod:`fund.projection`) on the seed's printed chapter-2 forecasts
(:func:`fund.scenarios.printed_scenario`), and compares each number with the print.
:func:`income_regression` re-estimates (1.2) by OLS; :func:`reproduce_constants`
compares the printed scalar results; :func:`in_sample_identities` applies the
identities (1.4) and (1.9) to the 2018–2022 actuals.  Every disagreement is discussed in
``docs/errata/seed-002.md``.

>>> rows = reproduce()
>>> list(rows.columns)
['table', 'year', 'quantity', 'printed', 'computed', 'rel_diff']
>>> bool((rows["rel_diff"].abs() < 0.01).all())
True
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from fund.accounting import benefit_expenditure, contribution_base, job_retention_refund
from fund.data import qinghai, qinghai_constants, qinghai_printed
from fund.errors import FitError
from fund.rules import NO_RULES
from fund.scenarios import collection_rate, printed_scenario

__all__ = [
    "COLUMNS",
    "IncomeRegression",
    "in_sample_identities",
    "income_regression",
    "reproduce",
    "reproduce_constants",
]

#: Columns of :func:`reproduce`'s frame (and keys of ``uipolicy fund reproduce --format
#: json`` rows).
COLUMNS = ["table", "year", "quantity", "printed", "computed", "rel_diff"]

#: (table, quantity, projection column, printed column)
_TABLES = (
    ("9", "income_collected", "income", "income_collected_100m_yuan"),
    ("9", "contribution_due", "contribution_due", "contribution_due_100m_yuan"),
    ("10", "benefit_expenditure", "benefits", "benefit_expenditure_100m_yuan"),
    ("11", "refund", "refund", "refund_100m_yuan"),
    ("12", "skills_subsidy", "skills", "skills_subsidy_100m_yuan"),
    ("12", "medical_subsidy", "medical", "medical_subsidy_100m_yuan"),
)


def _rel(computed: float, printed: float) -> float:
    return (computed - printed) / printed if printed != 0 else float(computed - printed)


def reproduce() -> pd.DataFrame:
    """Recomputed vs printed 2023–2027 forecasts of tables 9–12.

    Returns
    -------
    pandas.DataFrame
        Columns ``table`` (str), ``year`` (int), ``quantity`` (str), ``printed``,
        ``computed`` (亿元), ``rel_diff = (computed − printed) / printed``.  Quantities:
        ``income_collected`` and ``contribution_due`` (table 9),
        ``benefit_expenditure`` (10), ``refund`` (11), ``skills_subsidy`` and
        ``medical_subsidy`` (12).

    Examples
    --------
    >>> table = reproduce()
    >>> table.columns.tolist() == COLUMNS, bool((table["rel_diff"].abs() < 0.01).all())
    (True, True)
    """
    # the seed's chapter 3 pays every line whatever the balance: no coverage gate
    projection = printed_scenario(rules=NO_RULES).run().to_frame()
    printed = qinghai_printed()
    rows = []
    for table, quantity, computed_col, printed_col in _TABLES:
        for year in projection.index:
            p = float(printed.loc[year, printed_col])
            c = float(projection.loc[year, computed_col])
            rows.append((table, int(year), quantity, p, c, _rel(c, p)))
    return pd.DataFrame(rows, columns=COLUMNS)


@dataclass(frozen=True)
class IncomeRegression:
    """OLS fit of (1.2): contributions due on ``X = P^i w 1%`` (亿元).

    Attributes
    ----------
    slope, intercept : float
    r : float
        Pearson correlation of ``X`` and ``LI``.
    r_squared, f_stat, p_value : float
        Coefficient of determination, F statistic (1, n−2) and its p-value.
    years : tuple of int

    Examples
    --------
    >>> fit = income_regression()
    >>> fit.years, round(fit.r_squared, 4)
    ((2018, 2019, 2020, 2021, 2022), 0.9882)
    """

    slope: float
    intercept: float
    r: float
    r_squared: float
    f_stat: float
    p_value: float
    years: tuple[int, ...]

    def __repr__(self) -> str:
        return (f"IncomeRegression(LI = {self.slope:.4f} X + {self.intercept:.4f}, "
                f"R^2 = {self.r_squared:.4f}, F = {self.f_stat:.1f}, p = {self.p_value:.2g}, "
                f"years {self.years[0]}-{self.years[-1]})")


def income_regression(data: pd.DataFrame | None = None, *, first: int = 2018,
                      last: int = 2022) -> IncomeRegression:
    """Re-estimate (1.2), ``LI_t = a X_t + b``, by OLS over ``first..last``.

    ``LI_t`` is ``contribution_due_100m_yuan`` (table 9), ``X_t`` is (1.1) from
    ``covered_10k`` and ``urban_wage_yuan``.

    Parameters
    ----------
    data : pandas.DataFrame, optional
        Year-indexed data with the columns of :func:`fund.data.qinghai` (the default).
    first, last : int, keyword-only
        The years fitted, inclusive.

    Returns
    -------
    IncomeRegression

    Raises
    ------
    FitError
        Fewer than three years with all three series reported, or constant ``X``.

    Examples
    --------
    >>> fit = income_regression()
    >>> round(fit.slope, 4), round(fit.intercept, 4)     # printed: 0.9182, 0.5497
    (0.9182, 0.5497)
    """
    df = qinghai() if data is None else data
    rows = df.loc[first:last, ["covered_10k", "urban_wage_yuan",
                               "contribution_due_100m_yuan"]].dropna()
    if len(rows) < 3:
        raise FitError(f"(1.2) needs >= 3 years with covered_10k, urban_wage_yuan and "
                       f"contribution_due_100m_yuan in {first}-{last}; got {len(rows)}")
    x = contribution_base(rows["covered_10k"].to_numpy(float),
                          rows["urban_wage_yuan"].to_numpy(float), 0.01)
    y = rows["contribution_due_100m_yuan"].to_numpy(float)
    if np.ptp(x) == 0:
        raise FitError("(1.2): X is constant over the window; the slope is not identified")
    res = stats.linregress(x, y)
    n = len(x)
    r2 = float(res.rvalue) ** 2
    f = r2 / (1.0 - r2) * (n - 2) if r2 < 1 else float("inf")
    return IncomeRegression(
        slope=float(res.slope), intercept=float(res.intercept), r=float(res.rvalue),
        r_squared=r2, f_stat=f, p_value=float(stats.f.sf(f, 1, n - 2)),
        years=tuple(int(y) for y in rows.index),
    )


def reproduce_constants() -> pd.DataFrame:
    """Printed scalar results of seed 002 vs their recomputation.

    Rows: (1.2) slope and intercept; its printed "correlation coefficient" R (compared
    with R², which it is), F statistic and p-value; the 2018–2022 mean collection rate;
    the table 12 medical mean and the table 13 means.

    Returns
    -------
    pandas.DataFrame
        Columns ``source``, ``quantity``, ``printed``, ``computed``, ``rel_diff``.

    Examples
    --------
    >>> table = reproduce_constants()
    >>> table.loc[0, "quantity"], round(float(table.loc[0, "computed"]), 4)
    ('slope', 0.9182)
    """
    const = qinghai_constants()
    fit = income_regression()
    df = qinghai().loc[2018:2022]
    other = float(df["other_spending_100m_yuan"].mean())
    temporary = float(df["temporary_spending_100m_yuan"].mean())
    items = [
        ("(1.2)", "slope", const["income_slope"], fit.slope),
        ("(1.2)", "intercept", const["income_intercept"], fit.intercept),
        ("(1.2)", "R printed, compared with R^2", const["income_regression_r"], fit.r_squared),
        ("(1.2)", "F statistic", const["income_regression_f"], fit.f_stat),
        ("(1.2)", "p-value", const["income_regression_p"], fit.p_value),
        ("table 9", "collection rate 2018-2022 mean", const["collection_rate"],
         collection_rate()),
        ("table 12", "medical subsidy 2018-2022 mean", const["medical_mean_2018_2022"],
         float(df["medical_subsidy_100m_yuan"].mean())),
        ("table 13", "other spending mean", const["other_spending_mean"], other),
        ("table 13", "temporary-policy spending mean", const["temporary_spending_mean"],
         temporary),
        ("section 3.2", "extra spending mean", const["extra_spending_mean"], other + temporary),
    ]
    return pd.DataFrame(
        [(s, q, p, c, _rel(c, p)) for s, q, p, c in items],
        columns=["source", "quantity", "printed", "computed", "rel_diff"],
    )


def in_sample_identities() -> pd.DataFrame:
    """The identities (1.4) and (1.9) applied to the 2018–2022 actuals.

    ``B_t = P^r_t S_t m_t`` with table 7's printed ``m_t``, and
    ``R_t = LI_{t−1}(1 − g_t)[ms_t msr_t + (1 − ms_t) LCR_t]`` with table 8's inputs and
    ``LI_{t−1}`` the collected income, compared with the actual spending (tables 7, 8).
    The seed's own in-sample "predicted" columns of tables 10–11 are shown alongside.

    Returns
    -------
    pandas.DataFrame
        Columns ``table``, ``year``, ``quantity``, ``actual``, ``computed``,
        ``rel_diff`` (computed vs actual), ``printed_fit``.

    Examples
    --------
    >>> table = in_sample_identities()
    >>> sorted(set(table["quantity"])), bool((table["rel_diff"].abs() < 0.05).all())
    (['benefit_expenditure', 'refund'], True)
    """
    act = qinghai()
    printed = qinghai_printed()
    rows = []
    for year in range(2018, 2023):
        r = act.loc[year]
        benefit = float(benefit_expenditure(r["recipients"], r["monthly_benefit_yuan"],
                                            r["months_paid"]))
        rows.append(("10", year, "benefit_expenditure", r["benefit_expenditure_100m_yuan"],
                     benefit, printed.loc[year, "benefit_expenditure_100m_yuan"]))
        if year > 2018:
            prev = act.loc[year - 1, "income_collected_100m_yuan"]
            refund = job_retention_refund(prev, r["non_eligible_share_pct"] / 100,
                                          r["sme_share_pct"] / 100, r["sme_refund_rate"],
                                          r["large_refund_rate"])
            rows.append(("11", year, "refund", r["refund_100m_yuan"], float(refund),
                         printed.loc[year, "refund_100m_yuan"]))
    frame = pd.DataFrame(rows, columns=["table", "year", "quantity", "actual", "computed",
                                        "printed_fit"])
    frame["rel_diff"] = (frame["computed"] - frame["actual"]) / frame["actual"]
    return frame[["table", "year", "quantity", "actual", "computed", "rel_diff", "printed_fit"]]
