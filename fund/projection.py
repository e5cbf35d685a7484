"""Year-by-year projection of the fund: income, every expenditure line, and the reserve.

Two doors:

* :func:`project_paths` -- the numeric core over arrays with a leading paths axis, for
  Monte Carlo (``fund.montecarlo`` calls it with one driver array per path);
* :func:`project` -- the deterministic (expected-path) projection of one driver table,
  returning a tidy year-indexed :class:`Projection`.

The identities are those of :mod:`fund.accounting` (seed 002, chapter 1), called, not
re-typed; the fund's own rules (coverage gate, deficit rule) are :class:`fund.rules.FundRules`.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from fund import accounting as acc
from fund.errors import DataError, FundParameterError, HorizonError
from fund.rules import NO_RULES, FundRules

__all__ = [
    "DRIVERS",
    "DriverSpec",
    "FundPaths",
    "Projection",
    "project",
    "project_paths",
]

Array = NDArray[np.float64]


@dataclass(frozen=True)
class DriverSpec:
    """One driver series of the projection: name, unit, allowed range, default."""

    name: str
    unit: str
    lo: float
    hi: float
    lo_open: bool
    default: float | None
    description: str

    def rule(self) -> str:
        """The allowed range in words, as an error message states it."""
        left = "(" if self.lo_open else "["
        hi = "inf)" if np.isinf(self.hi) else f"{self.hi:g}]"
        return f"must lie in {left}{self.lo:g}, {hi}"


_INF = float("inf")

#: The driver series :func:`project_paths` accepts, in order.  ``default=None`` means
#: required.
DRIVERS: tuple[DriverSpec, ...] = (
    DriverSpec("covered", "万人", 0.0, _INF, False, None, "covered persons P^i_t"),
    DriverSpec("wage", "元/year", 0.0, _INF, False, None, "average annual wage w_t"),
    DriverSpec("recipient_ratio", "fraction", 0.0, 1.0, False, None,
               "recipients per covered person b_t = P^r_t / P^i_t"),
    DriverSpec("monthly_benefit", "元/month", 0.0, _INF, False, None,
               "average monthly benefit S_t"),
    DriverSpec("months_paid", "months", 0.0, 12.0, False, None,
               "average months paid per recipient m_t"),
    DriverSpec("non_eligible_share", "fraction", 0.0, 1.0, False, None,
               "share of contributions from units without refund g_t"),
    DriverSpec("sme_share", "fraction", 0.0, 1.0, False, None,
               "SME share of eligible contributions ms_t"),
    DriverSpec("collection_rate", "fraction", 0.0, 2.0, False, None,
               "collected / due contributions"),
    DriverSpec("sme_refund_rate", "fraction", 0.0, 1.0, False, 0.9, "SME refund rate msr_t"),
    DriverSpec("large_refund_rate", "fraction", 0.0, 1.0, False, 0.5,
               "large-enterprise refund rate LCR_t"),
    DriverSpec("death_rate", "fraction", 0.0, 1.0, False, 0.0,
               "death rate of recipients d_t (funeral/survivor (1.7))"),
    DriverSpec("medical_growth", "fraction", -1.0, _INF, True, 0.0,
               "growth of the medical subsidy mi_t (1.6)"),
    DriverSpec("skills_growth", "fraction", -1.0, _INF, True, 0.0,
               "growth of skills-subsidy recipients Ai_t (1.8)"),
    DriverSpec("other_spending", "亿元", 0.0, _INF, False, 0.0,
               "other and temporary-policy spending q_t (+ one-off items)"),
    DriverSpec("interest_rate", "fraction", -1.0, _INF, True, 0.0,
               "interest credited on the opening reserve i_t"),
)
_SPEC = {d.name: d for d in DRIVERS}


@dataclass(frozen=True)
class FundPaths:
    """Every income and expenditure line and the reserve, one array each.

    All arrays share one shape: the broadcast shape of the drivers, years on the last
    axis (``(n_years,)`` or ``(n_paths, n_years)``).  Money in 亿元, recipients in
    persons.

    Attributes
    ----------
    contribution_base : numpy.ndarray
        (1.1) ``X_t = P^i w 1%``.
    contribution_due : numpy.ndarray
        (1.2) ``LI_t``.
    income : numpy.ndarray
        Collected contributions.
    recipients : numpy.ndarray
        (1.5) ``P^r_t``, persons.
    benefits : numpy.ndarray
        (1.4) ``B_t``.
    refund : numpy.ndarray
        (1.9) ``R_t``.
    funeral : numpy.ndarray
        (1.7) ``D_t``.
    medical : numpy.ndarray
        (1.6) ``M_t``.
    skills : numpy.ndarray
        (1.8) ``A_t``.
    other : numpy.ndarray
        ``q_t``.
    expenditure : numpy.ndarray
        (1.3) ``CO_t``.
    net_flow : numpy.ndarray
        Income minus expenditure.
    reserve : numpy.ndarray
        End-of-year reserve.
    payroll : numpy.ndarray
        Covered payroll ``P^i w`` (亿元), the base of every rate.
    gate_open : numpy.ndarray
        1 where refunds and skills subsidies are paid, 0 where the coverage gate shuts.
    shortfall : numpy.ndarray
        Deficit not carried (rule ``"stop"``); 0 otherwise.

    Examples
    --------
    >>> from fund import printed_scenario
    >>> paths = printed_scenario(2).run().paths
    >>> paths.shape, round(float(paths.reserve[0]), 4)
    ((2,), 5.9069)
    """

    contribution_base: Array  #: (1.1) X_t = P^i w 1%
    contribution_due: Array  #: (1.2) LI_t
    income: Array  #: collected contributions
    recipients: Array  #: (1.5) P^r_t, persons
    benefits: Array  #: (1.4) B_t
    refund: Array  #: (1.9) R_t
    funeral: Array  #: (1.7) D_t
    medical: Array  #: (1.6) M_t
    skills: Array  #: (1.8) A_t
    other: Array  #: q_t
    expenditure: Array  #: (1.3) CO_t
    net_flow: Array  #: income - expenditure
    reserve: Array  #: end-of-year reserve
    payroll: Array  #: covered payroll P^i w (亿元), the base of every rate
    gate_open: Array  #: 1 where refunds and skills subsidies are paid, 0 where the gate shuts
    shortfall: Array  #: deficit not carried (rule "stop"); 0 otherwise

    #: Names of the expenditure components, in the order they add up to ``expenditure``.
    EXPENDITURE_LINES = ("benefits", "refund", "funeral", "medical", "skills", "other")

    @property
    def shape(self) -> tuple[int, ...]:
        """``(n_paths, n_years)``: the shape of every field."""
        return self.reserve.shape

    def as_dict(self) -> dict[str, Array]:
        """Field name -> array.

        Returns
        -------
        dict of str to numpy.ndarray
            One entry per field, in field order.

        Examples
        --------
        >>> from fund import printed_scenario
        >>> list(printed_scenario(1).run().paths.as_dict())[:3]
        ['contribution_base', 'contribution_due', 'income']
        """
        return {f.name: getattr(self, f.name) for f in fields(self)}


def project_paths(  # noqa: PLR0913 opening balances and seed 002's coefficients, keyword-only
    drivers: Mapping[str, ArrayLike],
    *,
    opening_reserve: ArrayLike,
    opening_income: ArrayLike,
    opening_medical: ArrayLike = 0.0,
    opening_skills: ArrayLike = 0.0,
    opening_expenditure: ArrayLike | None = None,
    income_slope: float = 0.9182,
    income_intercept: float = 0.5497,
    contribution_rate: float = 0.01,
    rules: FundRules = NO_RULES,
    validate: bool = True,
) -> FundPaths:
    """Project the fund over arrays of driver paths (the numeric core).

    Parameters
    ----------
    drivers : mapping of str to array_like
        One entry per driver, each a scalar (constant), shape ``(n_years,)`` or
        ``(n_paths, n_years)``; all must broadcast together, with at least one year axis.
        Names, units and allowed ranges (required unless a default is given):

        ====================  ==========  ===========  =======  ==========================
        name                  unit        range        default  meaning
        ====================  ==========  ===========  =======  ==========================
        covered               万人        [0, inf)     --       covered persons P^i_t
        wage                  元/year     [0, inf)     --       average annual wage w_t
        recipient_ratio       fraction    [0, 1]       --       b_t = P^r_t / P^i_t
        monthly_benefit       元/month    [0, inf)     --       S_t
        months_paid           months      [0, 12]      --       m_t
        non_eligible_share    fraction    [0, 1]       --       g_t
        sme_share             fraction    [0, 1]       --       ms_t
        collection_rate       fraction    [0, 2]       --       collected / due
        sme_refund_rate       fraction    [0, 1]       0.9      msr_t
        large_refund_rate     fraction    [0, 1]       0.5      LCR_t
        death_rate            fraction    [0, 1]       0        d_t of (1.7)
        medical_growth        fraction    (-1, inf)    0        mi_t of (1.6)
        skills_growth         fraction    (-1, inf)    0        Ai_t of (1.8)
        other_spending        亿元        [0, inf)     0        q_t (+ one-off items)
        interest_rate         fraction    (-1, inf)    0        i_t on the reserve
        ====================  ==========  ===========  =======  ==========================

    opening_reserve : array_like
        Reserve at the end of the year before the first projected year (亿元); scalar
        or shape ``(n_paths,)``.
    opening_income : array_like
        Contributions collected in that year (亿元), the ``LI_{t-1}`` of the first
        year's refund (1.9).
    opening_medical, opening_skills : array_like
        Medical and skills subsidies in that year (亿元), grown by ``medical_growth``
        and ``skills_growth``.
    opening_expenditure : array_like, optional
        Total expenditure in that year (亿元), which the coverage gate of the first year
        is judged on; required when ``rules.gate_months`` is set.
    income_slope, income_intercept : float
        Coefficients of (1.2) at the reference rate 1%,
        ``LI_t = slope · X_t + intercept · rate / 0.01``.
    contribution_rate : float
        Contribution rate of (1.1); income is proportional to it.
    rules : FundRules, default :data:`fund.rules.NO_RULES`
        The fund's own rules (coverage gate on refunds and skills subsidies, cost of a
        deficit); the Qinghai scenarios pass :data:`fund.rules.CHINA_2024`.
    validate : bool, default True
        Check every driver against its range (a Monte Carlo loop may check once and
        pass ``False``).

    Returns
    -------
    FundPaths
        All lines with the broadcast shape of the drivers.

    Raises
    ------
    FundParameterError
        Unknown or missing driver, a value outside its range or not finite, drivers
        without a year axis or that do not broadcast, a gate without
        ``opening_expenditure``.

    Examples
    --------
    >>> paths = project_paths(
    ...     {"covered": [60.0, 70.0], "wage": 100_000.0, "recipient_ratio": 0.015,
    ...      "monthly_benefit": 1500.0, "months_paid": 5.0, "non_eligible_share": 0.4,
    ...      "sme_share": 0.5, "collection_rate": 0.95},
    ...     opening_reserve=10.0, opening_income=5.0)
    >>> paths.contribution_base.tolist()       # 60e4 x 1e5 x 1% / 1e8 亿元
    [6.0, 7.0]
    >>> paths.benefits.round(6).tolist()       # 9000 x 1500 x 5 and 10500 x 1500 x 5
    [0.675, 0.7875]
    >>> paths.reserve.shape
    (2,)
    """
    arrays = _driver_arrays(drivers, validate=validate)
    if not isinstance(rules, FundRules):
        raise FundParameterError("rules", rules, "must be a fund.rules.FundRules")
    if opening_expenditure is None and rules.gate_months is not None:
        raise FundParameterError("opening_expenditure", None, "the coverage gate judges the "
                                 "first year on the expenditure of the year before: give it")
    params = {
        "opening_reserve": np.asarray(opening_reserve, dtype=float),
        "opening_income": np.asarray(opening_income, dtype=float),
        "opening_medical": np.asarray(opening_medical, dtype=float),
        "opening_skills": np.asarray(opening_skills, dtype=float),
        "opening_expenditure": np.asarray(
            0.0 if opening_expenditure is None else opening_expenditure, dtype=float),
    }
    if validate:
        for name, value in params.items():
            _check_param(name, value, lo=None if name == "opening_reserve" else 0.0)
        _check_param("income_slope", np.asarray(income_slope, dtype=float), lo=0.0, lo_open=True)
        _check_param("income_intercept", np.asarray(income_intercept, dtype=float), lo=None)
        _check_param("contribution_rate", np.asarray(contribution_rate, dtype=float),
                     lo=0.0, hi=1.0)
    return _project_core(arrays, params, (income_slope, income_intercept, contribution_rate),
                         rules)


def _driver_arrays(drivers: Mapping[str, ArrayLike], *, validate: bool) -> dict[str, Array]:
    unknown = sorted(set(drivers) - set(_SPEC))
    if unknown:
        raise FundParameterError("drivers", unknown, f"unknown driver name(s); known: "
                                 f"{', '.join(_SPEC)}")
    arrays: dict[str, Array] = {}
    for spec in DRIVERS:
        if spec.name in drivers:
            arr = np.asarray(drivers[spec.name], dtype=float)
        elif spec.default is not None:
            arr = np.asarray(spec.default, dtype=float)
        else:
            raise FundParameterError(spec.name, None, "required driver is missing")
        if validate:
            _check_driver(spec, arr)
        arrays[spec.name] = arr
    try:
        shape = np.broadcast_shapes(*(a.shape for a in arrays.values()))
    except ValueError as exc:
        shapes = {k: a.shape for k, a in arrays.items() if a.ndim}
        raise FundParameterError("drivers", shapes, "shapes must broadcast together "
                                 "(scalar, (n_years,) or (n_paths, n_years))") from exc
    if len(shape) == 0:
        raise FundParameterError("drivers", "all scalars", "at least one driver needs a "
                                 "year axis (shape (n_years,) or (n_paths, n_years))")
    if len(shape) > 2:
        raise FundParameterError("drivers", shape, "at most 2 axes (n_paths, n_years)")
    return arrays


def _check_driver(spec: DriverSpec, arr: Array) -> None:
    # Two reductions and no temporaries on the happy path (arrays may hold 10^7 values);
    # NaN propagates through min/max, so a non-finite value shows up here too.
    if arr.size == 0:
        raise FundParameterError(spec.name, arr.shape, "must not be empty")
    lo, hi = float(arr.min()), float(arr.max())
    if np.isfinite(lo) and np.isfinite(hi):
        if (lo > spec.lo if spec.lo_open else lo >= spec.lo) and hi <= spec.hi:
            return
    finite = np.isfinite(arr)
    if not np.all(finite):
        raise FundParameterError(spec.name, float(arr[~finite].flat[0]),
                                 "must be finite (no NaN or inf)")
    low = arr <= spec.lo if spec.lo_open else arr < spec.lo
    bad = low | (arr > spec.hi)
    raise FundParameterError(spec.name, float(arr[bad].flat[0]), f"{spec.rule()} ({spec.unit})")


def _check_param(name: str, value: Array, *, lo: float | None, hi: float | None = None,
                 lo_open: bool = False) -> None:
    if not np.all(np.isfinite(value)):
        raise FundParameterError(name, value.tolist(), "must be finite")
    if lo is not None and np.any(value <= lo if lo_open else value < lo):
        raise FundParameterError(name, value.tolist(), f"must be {'>' if lo_open else '>='} {lo:g}")
    if hi is not None and np.any(value > hi):
        raise FundParameterError(name, value.tolist(), f"must be <= {hi:g}")
    if value.ndim > 1:
        raise FundParameterError(name, value.shape, "must be a scalar or one value per path")


def _project_core(d: dict[str, Array], p: dict[str, Array], coef: tuple[float, float, float],
                  rules: FundRules) -> FundPaths:
    slope, intercept, rate = coef
    shape = np.broadcast_shapes(*(a.shape for a in d.values()),
                                *((*v.shape, 1) for v in p.values()))

    def full(a: ArrayLike) -> Array:
        return np.broadcast_to(np.asarray(a, dtype=float), shape)

    wages = acc._payroll(d["covered"], d["wage"])
    base = wages * rate
    due = acc._contribution_due(base, slope, intercept, rate)
    income = full(due * d["collection_rate"])
    n_rec = acc._recipients(d["recipient_ratio"], d["covered"])
    pay = acc._monthly_payout(n_rec, d["monthly_benefit"])
    benefits = pay * d["months_paid"]
    funeral = acc._funeral(d["death_rate"], pay)
    income_prev = np.concatenate(
        [np.broadcast_to(p["opening_income"][..., None], (*shape[:-1], 1)),
         income[..., :-1]], axis=-1)
    refund = full(acc._refund(income_prev, d["non_eligible_share"], d["sme_share"],
                              d["sme_refund_rate"], d["large_refund_rate"]))
    medical = acc._growth_path(p["opening_medical"],
                               _along_years(d["medical_growth"], shape[-1]))
    skills = full(acc._growth_path(p["opening_skills"],
                                   _along_years(d["skills_growth"], shape[-1])))
    other = d["other_spending"]
    fixed = full(benefits + funeral + medical + other)
    if rules.is_linear:
        expenditure = fixed + refund + skills
        net = income - expenditure
        reserve = acc._reserve(p["opening_reserve"], net, d["interest_rate"])
        gate = np.ones(shape)
        shortfall = np.zeros(shape)
    else:
        gate, reserve, shortfall = _apply_rules(
            rules, income, fixed, refund + skills, full(d["interest_rate"]),
            p["opening_reserve"], p["opening_expenditure"])
        refund = refund * gate
        skills = skills * gate
        expenditure = fixed + refund + skills
        net = income - expenditure
    return FundPaths(
        contribution_base=full(base), contribution_due=full(due), income=income,
        recipients=full(n_rec), benefits=full(benefits), refund=full(refund),
        funeral=full(funeral), medical=full(medical), skills=full(skills), other=full(other),
        expenditure=expenditure, net_flow=net, reserve=reserve, payroll=full(wages),
        gate_open=gate, shortfall=shortfall,
    )


def _apply_rules(rules: FundRules, income: Array, fixed: Array, gated: Array,
                 interest: Array, opening_reserve: Array, opening_expenditure: Array
                 ) -> tuple[Array, Array, Array]:
    """Year-by-year recursion with the coverage gate and the deficit rule.

    Returns the gate state (1 paid, 0 withheld), the end-of-year reserve and the shortfall,
    each of the full shape.
    """
    shape = income.shape
    gate = np.ones(shape)
    reserve = np.empty(shape)
    shortfall = np.zeros(shape)
    level = np.array(np.broadcast_to(opening_reserve, shape[:-1]), dtype=float)
    spent = np.array(np.broadcast_to(opening_expenditure, shape[:-1]), dtype=float)
    share = None if rules.gate_months is None else rules.gate_months / 12.0
    for t in range(shape[-1]):
        if share is not None:
            gate[..., t] = level >= share * spent
        spent = fixed[..., t] + gated[..., t] * gate[..., t]
        rate = interest[..., t]
        if rules.borrowing_rate is not None:
            rate = np.where(level < 0.0, rules.borrowing_rate, rate)
        level = level * (1.0 + rate) + income[..., t] - spent
        if rules.negative_reserve == "stop":
            shortfall[..., t] = np.maximum(-level, 0.0)
            level = np.maximum(level, 0.0)
        reserve[..., t] = level
    return gate, reserve, shortfall


def _along_years(a: Array, n_years: int) -> Array:
    """``a`` with a full-length year axis (for cumulative products)."""
    if a.ndim == 0 or a.shape[-1] != n_years:
        return np.broadcast_to(a, (*a.shape[:-1], n_years) if a.ndim else (n_years,))
    return a


# --- deterministic, year-indexed door -----------------------------------------------------


@dataclass(frozen=True)
class Projection:
    """A deterministic projection: year-indexed lines of the fund.

    Attributes
    ----------
    years : tuple of int
        Projected years.
    paths : FundPaths
        The arrays, shape ``(n_years,)``.
    assumptions : dict
        Opening values and coefficients used (for the record).

    Examples
    --------
    >>> from fund import printed_scenario
    >>> p = printed_scenario(2).run()
    >>> p.years
    (2023, 2024)
    """

    years: tuple[int, ...]
    paths: FundPaths
    assumptions: dict[str, Any] = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        """Tidy year-indexed frame, one column per line (money in 亿元).

        Columns: ``contribution_base``, ``contribution_due``, ``income``, ``recipients``
        (persons), ``benefits``, ``refund``, ``funeral``, ``medical``, ``skills``,
        ``other``, ``expenditure``, ``net_flow``, ``reserve``, ``payroll``, ``gate_open``
        (1 paid, 0 shut by the coverage gate), ``shortfall``.

        Returns
        -------
        pandas.DataFrame
            Indexed by ``year``; the units are in ``attrs['units']``.

        Examples
        --------
        >>> from fund import printed_scenario
        >>> frame = printed_scenario(2).run().to_frame()
        >>> frame.index.tolist(), round(float(frame.loc[2023, "reserve"]), 4)
        ([2023, 2024], 5.9069)
        """
        frame = pd.DataFrame(
            {k: np.asarray(v, dtype=float) for k, v in self.paths.as_dict().items()},
            index=pd.Index(self.years, name="year"),
        )
        frame.attrs["units"] = {k: ("persons" if k == "recipients" else "0/1"
                                    if k == "gate_open" else "亿元") for k in frame.columns}
        return frame


def project(  # noqa: PLR0913 opening balances and seed 002's coefficients, keyword-only
    drivers: pd.DataFrame,
    *,
    opening_reserve: float,
    opening_income: float,
    opening_medical: float = 0.0,
    opening_skills: float = 0.0,
    opening_expenditure: float | None = None,
    income_slope: float = 0.9182,
    income_intercept: float = 0.5497,
    contribution_rate: float = 0.01,
    rules: FundRules = NO_RULES,
    data_end: int | None = None,
) -> Projection:
    """Deterministic projection from a year-indexed table of drivers.

    Parameters
    ----------
    drivers : pandas.DataFrame
        Indexed by consecutive integer years, one column per driver of
        :data:`DRIVERS` (missing optional drivers take their defaults).
    opening_reserve, opening_income, opening_medical, opening_skills : float
        Values for the year before the first row (亿元); see :func:`project_paths`.
    opening_expenditure : float, optional
        Expenditure of that year (亿元), for the coverage gate.
    income_slope, income_intercept, contribution_rate : float
        Coefficients of (1.1)–(1.2).
    rules : FundRules
        The fund's rules (see :func:`project_paths`).
    data_end : int, optional
        Last year of actual data; the projection must start right after it.

    Returns
    -------
    Projection

    Raises
    ------
    HorizonError
        No rows, the first year not ``data_end + 1``, or years not consecutive.
    DataError
        A driver column holds NaN.
    FundParameterError
        As :func:`project_paths`.

    Examples
    --------
    >>> import pandas as pd
    >>> drv = pd.DataFrame({"covered": [60.0], "wage": [100_000.0],
    ...     "recipient_ratio": [0.015], "monthly_benefit": [1500.0], "months_paid": [5.0],
    ...     "non_eligible_share": [0.4], "sme_share": [0.5], "collection_rate": [1.0]},
    ...     index=pd.Index([2023], name="year"))
    >>> p = project(drv, opening_reserve=10.0, opening_income=5.0,
    ...             income_slope=1.0, income_intercept=0.0, data_end=2022)
    >>> round(float(p.to_frame().loc[2023, "reserve"]), 6)   # 10 + 6 - 0.675 - 5*0.6*0.7
    13.225
    """
    years = _check_years(drivers, data_end)
    columns = {}
    for name in drivers.columns:
        col = drivers[name].to_numpy(dtype=float)
        if np.isnan(col).any():
            year = years[int(np.flatnonzero(np.isnan(col))[0])]
            raise DataError(f"drivers: year {year}, column {name!r}: missing value (NaN)")
        columns[str(name)] = col
    paths = project_paths(
        columns, opening_reserve=opening_reserve, opening_income=opening_income,
        opening_medical=opening_medical, opening_skills=opening_skills,
        opening_expenditure=opening_expenditure,
        income_slope=income_slope, income_intercept=income_intercept,
        contribution_rate=contribution_rate, rules=rules,
    )
    assumptions = {
        "opening_reserve": opening_reserve, "opening_income": opening_income,
        "opening_medical": opening_medical, "opening_skills": opening_skills,
        "opening_expenditure": opening_expenditure,
        "income_slope": income_slope, "income_intercept": income_intercept,
        "contribution_rate": contribution_rate, "rules": rules,
    }
    return Projection(years=years, paths=paths, assumptions=assumptions)


def _check_years(frame: pd.DataFrame, data_end: int | None) -> tuple[int, ...]:
    if len(frame.index) == 0:
        raise HorizonError("drivers: no years to project (rule: at least one row)")
    try:
        years = tuple(int(y) for y in frame.index)
    except (TypeError, ValueError) as exc:
        raise HorizonError(f"drivers: index {list(frame.index)!r} is not integer years") from exc
    gaps = [b for a, b in itertools.pairwise(years) if b != a + 1]
    if gaps:
        raise HorizonError(f"drivers: year {gaps[0]} does not follow the previous row "
                           "(rule: consecutive years, none missing)")
    if data_end is not None and years[0] != data_end + 1:
        raise HorizonError(f"start year = {years[0]}: the projection must start the year "
                           f"after the data ends ({data_end + 1})")
    return years
