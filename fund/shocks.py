"""Automation-shock scenarios: seed 000's labour-market model as a driver of the fund.

An :class:`AutomationShock` removes a share of the manufacturing jobs in the job demand
``P`` linearly over some years (seed 000 §4.3: 30% over five years).  The shock acts on
*rates*, not on the model's levels: the labour model of :mod:`fund.labour_ode` is linear,
so the difference of its runs with and without the shock is its response to the demand
change alone (the baseline's levels, which turn negative after six years at the seed's
values, cancel).  That response, as extra unemployed per job of initial demand, is bounded
to ``[0, jobs removed]`` and added to the fund's recipient ratio through the take-up rate::

    delta_u_t = clip((U_shock_t - U_base_t) / P0, 0, removed share of P0 at t)
    recipient_ratio_shock_t = recipient_ratio_base_t + take_up * delta_u_t

A zero shock therefore leaves the baseline unchanged, exactly, at every horizon up to
:data:`fund.labour_ode.LABOUR_MODEL_LAST_YEAR`; later years are refused
(``docs/explanation/labour-market.md``).  Model time ``t = 0`` is the start of the
scenario's first projected year; year ``T`` uses the state at ``t = T - data_end``.

* :func:`shock_factors` -- the labour paths and the yearly factor;
* :func:`shock_scenario` -- a :class:`fund.scenarios.Scenario` with the shocked ratio;
* :func:`project_shock` -- both projections side by side (:class:`ShockResult`);
* :func:`load_shock` -- read a shock from a TOML file (``[shock]``, optional ``[labour]``).

>>> from fund.rules import NO_RULES
>>> from fund.scenarios import expected_scenario
>>> shock = AutomationShock(manufacturing_share=0.3)       # 9% of P removed by 2027
>>> result = project_shock(expected_scenario(5, rules=NO_RULES), shock)   # no coverage gate
>>> table = result.to_frame()
>>> bool((table["recipients_shock"] >= table["recipients_base"]).all())
True
>>> bool(table.loc[2027, "reserve_shock"] < table.loc[2027, "reserve_base"])
True
>>> import warnings
>>> with warnings.catch_warnings(record=True) as caught:   # 18 years: past the 15-year horizon
...     warnings.simplefilter("always")
...     zero = project_shock(expected_scenario(18), AutomationShock(manufacturing_share=0.0))
>>> sorted({type(w.message).__name__ for w in caught})
['ExtrapolationWarning']
>>> bool((zero.factors["factor"] == 1.0).all())        # 2023-2040, exactly
True
"""

from __future__ import annotations

import math
import tomllib
import warnings
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from fund.errors import DataError, FundParameterError, HorizonError
from fund.labour_ode import LABOUR_MODEL_LAST_YEAR, DemandPath, LabourParams, simulate
from fund.projection import Projection
from fund.scenarios import Scenario

__all__ = [
    "LABOUR_MODEL_LAST_YEAR",
    "QINGHAI_TAKE_UP_2022",
    "SHOCK_KEYS",
    "AutomationShock",
    "ShockBoundWarning",
    "ShockResult",
    "load_shock",
    "project_shock",
    "shock_factors",
    "shock_scenario",
]

#: Keys allowed in a shock file's ``[shock]`` table (``[labour]`` takes the fields of
#: :class:`fund.labour_ode.LabourParams`).
SHOCK_KEYS = ("manufacturing_share", "removed_share", "years", "start_year", "take_up")

#: Qinghai's unemployment-insurance take-up rate (失业保险受益率) in 2022, 47.70 %
#: (``fund.data.qinghai()["take_up_rate_pct"]``): the default share of the newly
#: unemployed who draw benefits.
QINGHAI_TAKE_UP_2022 = 0.477


class ShockBoundWarning(UserWarning):
    """The labour model's response to a shock was bounded by the jobs the shock removed."""


@dataclass(frozen=True)
class AutomationShock:
    """Automation removes manufacturing jobs from the job demand ``P``.

    ``P(t) = P0 (1 − manufacturing_share · removed_share · ramp(t))`` with ``ramp`` rising
    linearly from 0 at the start of ``start_year`` to 1 after ``years`` years, then flat.

    Parameters
    ----------
    manufacturing_share : float
        Share of ``P`` in manufacturing, in ``[0, 1]``.  The seed gives none: it is the
        analyst's input (e.g. the manufacturing share of urban employment).
    removed_share : float
        Fraction of manufacturing jobs removed, in ``[0, 1]`` (seed 000 §4.3: 0.30).
    years : float
        Years over which they are removed, ``> 0`` (seed: 5).
    start_year : int, optional
        Calendar year the removal starts; default the scenario's first projected year.
    take_up : float
        Share of the newly unemployed who draw benefits, in ``[0, 1]`` (default
        :data:`QINGHAI_TAKE_UP_2022`).
    labour : LabourParams
        The labour model (default: the seed's example values).

    Raises
    ------
    FundParameterError
        A value outside its range, or not a number.

    Examples
    --------
    >>> AutomationShock(manufacturing_share=0.3).removed_jobs_share
    0.09
    >>> AutomationShock(manufacturing_share=0.3, removed_share=1.5)
    Traceback (most recent call last):
    ...
    fund.errors.FundParameterError: removed_share = 1.5: must lie in [0, 1] (fraction)
    """

    manufacturing_share: float
    removed_share: float = 0.30
    years: float = 5.0
    start_year: int | None = None
    take_up: float = QINGHAI_TAKE_UP_2022
    labour: LabourParams = field(default_factory=LabourParams)

    def __post_init__(self) -> None:
        for name in ("manufacturing_share", "removed_share", "years", "take_up"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float | np.number):
                raise FundParameterError(name, value, "must be a number")
            if not math.isfinite(float(value)):
                raise FundParameterError(name, value, "must be finite")
        for name in ("manufacturing_share", "removed_share", "take_up"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise FundParameterError(name, value, "must lie in [0, 1] (fraction)")
        if self.years <= 0:
            raise FundParameterError("years", self.years, "must be > 0 (years of removal)")
        if self.start_year is not None and (isinstance(self.start_year, bool) or not
                                            isinstance(self.start_year, int | np.integer)):
            raise FundParameterError("start_year", self.start_year, "must be an integer year")
        if not isinstance(self.labour, LabourParams):
            raise FundParameterError("labour", type(self.labour).__name__,
                                     "must be a fund.labour_ode.LabourParams")

    @property
    def removed_jobs_share(self) -> float:
        """Share of ``P`` removed once the shock is complete."""
        return round(self.manufacturing_share * self.removed_share, 12)

    def demand_path(self, start: float = 0.0) -> DemandPath:
        """The job-demand path, the removal starting at model time ``start``.

        Parameters
        ----------
        start : float
            Model time (years after the end of the last data year) the removal starts.

        Returns
        -------
        fund.labour_ode.DemandPath
            ``P0`` until ``start``, falling linearly to ``P0 (1 - removed_jobs_share)`` over
            ``years`` years.

        Examples
        --------
        >>> AutomationShock(manufacturing_share=0.3).demand_path(1.0)(3.5)
        955.0
        """
        p0 = self.labour.P0
        return DemandPath((start, start + float(self.years)),
                          (p0, p0 * (1.0 - self.removed_jobs_share)))


def shock_factors(shock: AutomationShock, years: Any, *, data_end: int) -> pd.DataFrame:
    """The labour model's response to the shock, as extra unemployment per job, by year.

    Parameters
    ----------
    shock : AutomationShock
    years : sequence of int
        Consecutive projected years, the first ``data_end + 1``, the last at most
        :data:`fund.labour_ode.LABOUR_MODEL_LAST_YEAR`.
    data_end : int
        Last data year: model time 0 is its end.

    Returns
    -------
    pandas.DataFrame
        Index ``year``; columns ``P_base``, ``P_shock`` (job demand), ``removed`` (share of
        ``P0`` removed by the year's end), ``response`` (``(U_shock - U_base) / P0``, the
        model's extra unemployed per job), ``delta_u`` (``response`` bounded to
        ``[0, removed]``) and ``bounded`` (whether the bound acted).

    Raises
    ------
    HorizonError
        ``years`` not starting at ``data_end + 1``, ending after
        ``LABOUR_MODEL_LAST_YEAR``, or ``start_year`` before the first projected year.

    Examples
    --------
    >>> f = shock_factors(AutomationShock(manufacturing_share=0.3), range(2023, 2031),
    ...                   data_end=2022)
    >>> f["delta_u"].round(4).tolist()
    [0.0004, 0.0029, 0.0101, 0.0247, 0.05, 0.0898, 0.09, 0.09]
    >>> f["bounded"].tolist()[-3:]
    [False, True, True]
    """
    years = [int(y) for y in years]
    if not years or years[0] != data_end + 1:
        raise HorizonError(f"years: must start at data_end + 1 = {data_end + 1}")
    if years[-1] > LABOUR_MODEL_LAST_YEAR:
        raise HorizonError(
            f"years: the projection runs to {years[-1]}, past LABOUR_MODEL_LAST_YEAR = "
            f"{LABOUR_MODEL_LAST_YEAR}, the last year for which the project uses seed 000's "
            "labour model (an unstable, uncalibrated model: fund.labour_ode)")
    start_year = years[0] if shock.start_year is None else int(shock.start_year)
    if start_year < years[0]:
        raise HorizonError(f"start_year = {start_year}: the shock cannot start before the "
                           f"first projected year {years[0]}")
    n = years[-1] - data_end
    path = shock.demand_path(float(start_year - years[0]))
    # the baseline restarts the solver at the same knots, so both runs are identical
    # (bit for bit) where the demands agree: a zero shock has a response of exactly 0
    p0 = shock.labour.P0
    flat = DemandPath(path.times, (p0, p0))
    base = simulate(shock.labour, n, start_year=data_end, demand=flat)
    hit = simulate(shock.labour, n, start_year=data_end, demand=path)
    out = pd.DataFrame({"P_base": base["P"], "P_shock": hit["P"]}).loc[years]
    out["removed"] = (out["P_base"] - out["P_shock"]) / p0
    out["response"] = ((hit["U"] - base["U"]) / p0).loc[years]
    out["delta_u"] = out["response"].clip(lower=0.0, upper=out["removed"])
    out["bounded"] = out["delta_u"] != out["response"]
    return out


def shock_scenario(scenario: Scenario, shock: AutomationShock) -> Scenario:
    """``scenario`` with ``take_up * delta_u`` (:func:`shock_factors`) added to its ratio.

    Parameters
    ----------
    scenario : Scenario
    shock : AutomationShock

    Returns
    -------
    Scenario
        Named ``<name>+shock``; only ``recipient_ratio`` changes; ``notes["shock"]`` says
        how, and from which year the response was bounded.

    Raises
    ------
    HorizonError
        As :func:`shock_factors`.
    FundParameterError
        The scenario has no ``recipient_ratio`` column, or a shocked ratio exceeds 1.

    Warns
    -----
    ShockBoundWarning
        When the model's response left ``[0, jobs removed]`` and was bounded.
    """
    drivers = scenario.drivers
    if "recipient_ratio" not in drivers.columns:
        raise FundParameterError("recipient_ratio", None, "the scenario needs this driver")
    factors = shock_factors(shock, drivers.index, data_end=scenario.data_end)
    shocked = drivers.copy()
    shocked["recipient_ratio"] = drivers["recipient_ratio"] + shock.take_up * factors["delta_u"]
    too_big = shocked.index[shocked["recipient_ratio"] > 1.0]
    if len(too_big):
        year = int(too_big[0])
        raise FundParameterError("recipient_ratio", float(shocked.loc[year, "recipient_ratio"]),
                                 f"year {year}: the shocked ratio exceeds 1")
    note = (f"automation: {shock.removed_share:g} of manufacturing jobs "
            f"({shock.manufacturing_share:g} of P) removed over {shock.years:g} years; "
            f"recipient ratio + {shock.take_up:g} x extra unemployment per job")
    bounded = factors.index[factors["bounded"]]
    if len(bounded):
        why = (f"from {int(bounded[0])} the labour model's response (extra unemployed per "
               "job) leaves [0, jobs removed] -- the seed's model is unstable for every "
               "positive rate set and amplifies any shock -- so it is bounded there: all "
               "displaced workers unemployed, no more")
        note = f"{note}; {why}"
        warnings.warn(f"automation shock: {why}", ShockBoundWarning, stacklevel=2)
    notes = {**scenario.notes, "shock": note}
    return replace(scenario, name=f"{scenario.name}+shock", drivers=shocked, notes=notes)


@dataclass(frozen=True)
class ShockResult:
    """A scenario projected with and without an automation shock.

    Attributes
    ----------
    shock : AutomationShock
    baseline, shocked : Scenario
    factors : pandas.DataFrame
        From :func:`shock_factors`, plus ``factor``: shocked over baseline recipient
        ratio.
    baseline_projection, shocked_projection : Projection

    Examples
    --------
    >>> from fund.scenarios import printed_scenario
    >>> result = project_shock(printed_scenario(2), AutomationShock(manufacturing_share=0.3))
    >>> result.baseline.name, result.baseline_projection.years
    ('printed', (2023, 2024))
    """

    shock: AutomationShock
    baseline: Scenario
    shocked: Scenario
    factors: pd.DataFrame
    baseline_projection: Projection
    shocked_projection: Projection

    def to_frame(self) -> pd.DataFrame:
        """Year-indexed comparison of the shocked and the base projection.

        Columns ``factor``, then ``recipients`` (persons), ``benefits``, ``expenditure`` and
        ``reserve`` (亿元), each ``_base`` and ``_shock``.

        Returns
        -------
        pandas.DataFrame
            Indexed by year.

        Examples
        --------
        >>> from fund.scenarios import printed_scenario
        >>> result = project_shock(printed_scenario(2), AutomationShock(manufacturing_share=0.3))
        >>> result.to_frame().columns.tolist()[:3]
        ['factor', 'recipients_base', 'recipients_shock']
        """
        base = self.baseline_projection.to_frame()
        hit = self.shocked_projection.to_frame()
        out = pd.DataFrame({"factor": self.factors["factor"]}, index=base.index)
        for col in ("recipients", "benefits", "expenditure", "reserve"):
            out[f"{col}_base"] = base[col]
            out[f"{col}_shock"] = hit[col]
        return out


def project_shock(scenario: Scenario, shock: AutomationShock) -> ShockResult:
    """Project ``scenario`` with and without ``shock``.

    Parameters
    ----------
    scenario : fund.Scenario
        The baseline.
    shock : AutomationShock
        The shock; it raises the recipient ratio of the years it reaches.

    Returns
    -------
    ShockResult
        Both scenarios, their projections and the factors.

    Raises
    ------
    HorizonError, FundParameterError
        As :func:`shock_scenario` and :func:`fund.projection.project`.

    Examples
    --------
    >>> from fund.scenarios import printed_scenario
    >>> result = project_shock(printed_scenario(2), AutomationShock(manufacturing_share=0.3))
    >>> bool((result.factors["factor"] >= 1.0).all())
    True
    """
    shocked = shock_scenario(scenario, shock)
    factors = shock_factors(shock, scenario.drivers.index, data_end=scenario.data_end)
    factors["factor"] = (shocked.drivers["recipient_ratio"]
                         / scenario.drivers["recipient_ratio"])
    return ShockResult(shock, scenario, shocked, factors, scenario.run(), shocked.run())


def load_shock(path: str | Path) -> AutomationShock:
    r"""Read an :class:`AutomationShock` from a TOML file.

    The file has a ``[shock]`` table with keys from :data:`SHOCK_KEYS`
    (``manufacturing_share`` required) and an optional ``[labour]`` table with fields of
    :class:`fund.labour_ode.LabourParams`::

        [shock]
        manufacturing_share = 0.3
        removed_share = 0.3
        years = 5
        start_year = 2024

        [labour]
        gamma = 0.5

    Parameters
    ----------
    path : str or pathlib.Path
        The TOML file.

    Returns
    -------
    AutomationShock

    Raises
    ------
    DataError
        The file is missing or unreadable, not valid TOML, or has no ``[shock]`` table.
    FundParameterError
        An unknown table or key, a missing required key, or a value breaking its rule;
        the message names ``[table] key``.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "shock.toml"
    >>> _ = path.write_text("[shock]\nmanufacturing_share = 0.3\nyears = 4\n")
    >>> load_shock(path).years
    4
    """
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise DataError(f"shock file {str(p)!r}: cannot read it ({exc.strerror})") from None
    try:
        doc = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise DataError(f"shock file {str(p)!r}: not valid TOML ({exc})") from None
    unknown = sorted(set(doc) - {"shock", "labour"})
    if unknown:
        raise FundParameterError(f"{p.name}: [{unknown[0]}]", doc[unknown[0]],
                                 "unknown table; allowed: [shock], [labour]")
    if not isinstance(doc.get("shock"), dict):
        raise DataError(f"shock file {str(p)!r}: needs a [shock] table")
    shock = _table(p, "shock", doc["shock"], SHOCK_KEYS)
    labour_keys = tuple(f.name for f in fields(LabourParams))
    labour = _table(p, "labour", doc.get("labour", {}), labour_keys)
    if "manufacturing_share" not in shock:
        raise FundParameterError(f"{p.name}: [shock] manufacturing_share", None,
                                 "required key is missing")
    try:
        params = LabourParams(**labour)
    except FundParameterError as exc:
        raise FundParameterError(f"{p.name}: [labour] {exc.parameter}", exc.value,
                                 exc.rule) from None
    try:
        return AutomationShock(**shock, labour=params)
    except FundParameterError as exc:
        raise FundParameterError(f"{p.name}: [shock] {exc.parameter}", exc.value,
                                 exc.rule) from None


def _table(path: Path, name: str, table: Any, allowed: tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(table, dict):
        raise FundParameterError(f"{path.name}: [{name}]", table, "must be a table")
    for key, value in table.items():
        if key not in allowed:
            raise FundParameterError(f"{path.name}: [{name}] {key}", value,
                                     f"unknown key; allowed: {', '.join(allowed)}")
    return dict(table)
