"""Automation-shock scenarios: seed 000's labour-market model as a driver of the fund.

An :class:`AutomationShock` removes a share of the manufacturing jobs in the job demand
``P`` linearly over some years (seed 000 §4.3: 30% over five years).  The labour model of
:mod:`fund.labour` is solved with and without the shock; the ratio of the two
unemployment rates ``u = U / (U + N)`` scales the fund's recipient ratio year by year::

    recipient_ratio_shock_t = recipient_ratio_base_t * (u_shock_t / u_base_t) ** elasticity

(``docs/explanation/labour-market.md`` explains the choice).  Model time ``t = 0`` is the
start of the scenario's first projected year; year ``T`` uses the state at ``t = T −
data_end``, the end of that year.

* :func:`shock_factors` -- the labour paths and the yearly factor;
* :func:`shock_scenario` -- a :class:`fund.scenarios.Scenario` with the shocked ratio;
* :func:`project_shock` -- both projections side by side (:class:`ShockResult`);
* :func:`load_shock` -- read a shock from a TOML file (``[shock]``, optional ``[labour]``).

>>> from fund.scenarios import expected_scenario
>>> shock = AutomationShock(manufacturing_share=0.3)       # 9% of P removed by 2027
>>> result = project_shock(expected_scenario(5), shock)
>>> table = result.to_frame()
>>> bool((table["recipients_shock"] >= table["recipients_base"]).all())
True
>>> bool(table.loc[2027, "reserve_shock"] < table.loc[2027, "reserve_base"])
True
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from fund.errors import DataError, FundParameterError, HorizonError
from fund.labour import DemandPath, LabourParams, simulate
from fund.projection import Projection
from fund.scenarios import Scenario

__all__ = [
    "SHOCK_KEYS",
    "AutomationShock",
    "ShockResult",
    "load_shock",
    "project_shock",
    "shock_factors",
    "shock_scenario",
]

#: Keys allowed in a shock file's ``[shock]`` table (``[labour]`` takes the fields of
#: :class:`fund.labour.LabourParams`).
SHOCK_KEYS = ("manufacturing_share", "removed_share", "years", "start_year", "elasticity")


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
    elasticity : float
        Elasticity of the recipient ratio to the model's unemployment rate, ``>= 0``
        (1: recipients proportional to the unemployed).
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
    elasticity: float = 1.0
    labour: LabourParams = field(default_factory=LabourParams)

    def __post_init__(self) -> None:
        for name in ("manufacturing_share", "removed_share", "years", "elasticity"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float | np.number):
                raise FundParameterError(name, value, "must be a number")
            if not math.isfinite(float(value)):
                raise FundParameterError(name, value, "must be finite")
        for name in ("manufacturing_share", "removed_share"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise FundParameterError(name, value, "must lie in [0, 1] (fraction)")
        if self.years <= 0:
            raise FundParameterError("years", self.years, "must be > 0 (years of removal)")
        if self.elasticity < 0:
            raise FundParameterError("elasticity", self.elasticity, "must be >= 0")
        if self.start_year is not None and (isinstance(self.start_year, bool) or not
                                            isinstance(self.start_year, int | np.integer)):
            raise FundParameterError("start_year", self.start_year, "must be an integer year")
        if not isinstance(self.labour, LabourParams):
            raise FundParameterError("labour", type(self.labour).__name__,
                                     "must be a fund.labour.LabourParams")

    @property
    def removed_jobs_share(self) -> float:
        """Share of ``P`` removed once the shock is complete."""
        return round(self.manufacturing_share * self.removed_share, 12)

    def demand_path(self, start: float = 0.0) -> DemandPath:
        """The job-demand path, the removal starting at model time ``start``.

        >>> AutomationShock(manufacturing_share=0.3).demand_path(1.0)(3.5)
        955.0
        """
        p0 = self.labour.P0
        return DemandPath((start, start + float(self.years)),
                          (p0, p0 * (1.0 - self.removed_jobs_share)))


def shock_factors(shock: AutomationShock, years: Any, *, data_end: int) -> pd.DataFrame:
    """Labour paths with and without the shock and the recipient-ratio factor by year.

    Parameters
    ----------
    shock : AutomationShock
    years : sequence of int
        Consecutive projected years, the first ``data_end + 1``.
    data_end : int
        Last data year: model time 0 is its end.

    Returns
    -------
    pandas.DataFrame
        Index ``year``; columns ``P_base``, ``P_shock``, ``U_base``, ``N_base``,
        ``U_shock``, ``N_shock``, ``u_base``, ``u_shock`` and ``factor``.

    Raises
    ------
    HorizonError
        ``start_year`` before the first projected year; or the labour model leaves the
        region where the unemployment rate means something (``U > 0`` and ``N > 0``) in
        a projected year -- the seed's example values do after about six years.
    """
    years = [int(y) for y in years]
    if not years or years[0] != data_end + 1:
        raise HorizonError(f"years: must start at data_end + 1 = {data_end + 1}")
    start_year = years[0] if shock.start_year is None else int(shock.start_year)
    if start_year < years[0]:
        raise HorizonError(f"start_year = {start_year}: the shock cannot start before the "
                           f"first projected year {years[0]}")
    n = years[-1] - data_end
    path = shock.demand_path(float(start_year - years[0]))
    # the baseline restarts the solver at the same knots, so both runs are identical
    # (bit for bit) before the shock starts
    flat = DemandPath(path.times, (shock.labour.P0, shock.labour.P0))
    base = simulate(shock.labour, n, start_year=data_end, demand=flat)
    hit = simulate(shock.labour, n, start_year=data_end, demand=path)
    out = pd.DataFrame({
        "P_base": base["P"], "P_shock": hit["P"],
        "U_base": base["U"], "N_base": base["N"], "U_shock": hit["U"], "N_shock": hit["N"],
        "u_base": base["unemployment_rate"], "u_shock": hit["unemployment_rate"],
    }).loc[years]
    for col in ("U_base", "N_base", "U_shock", "N_shock"):
        bad = out.index[~(out[col] > 0)]
        if len(bad):
            raise HorizonError(
                f"labour model: year {int(bad[0])}, {col[0]} = {out.loc[bad[0], col]:.4g} "
                f"({col.split('_')[1]}): the unemployment rate U/(U+N) needs U > 0 and N > 0;"
                " shorten the horizon or set [labour] parameters for which the model stays "
                "in that region")
    out["factor"] = (out["u_shock"] / out["u_base"]) ** shock.elasticity
    return out


def shock_scenario(scenario: Scenario, shock: AutomationShock) -> Scenario:
    """``scenario`` with its recipient ratio scaled by :func:`shock_factors`.

    Raises
    ------
    HorizonError
        As :func:`shock_factors`.
    FundParameterError
        The scenario has no ``recipient_ratio`` column, or a scaled ratio exceeds 1.
    """
    drivers = scenario.drivers
    if "recipient_ratio" not in drivers.columns:
        raise FundParameterError("recipient_ratio", None, "the scenario needs this driver")
    factors = shock_factors(shock, drivers.index, data_end=scenario.data_end)
    shocked = drivers.copy()
    shocked["recipient_ratio"] = drivers["recipient_ratio"] * factors["factor"]
    too_big = shocked.index[shocked["recipient_ratio"] > 1.0]
    if len(too_big):
        year = int(too_big[0])
        raise FundParameterError("recipient_ratio", float(shocked.loc[year, "recipient_ratio"]),
                                 f"year {year}: the shocked ratio exceeds 1")
    notes = {**scenario.notes,
             "shock": (f"automation: {shock.removed_share:g} of manufacturing jobs "
                       f"({shock.manufacturing_share:g} of P) removed over {shock.years:g} "
                       f"years; recipient ratio x (u_shock/u_base)^{shock.elasticity:g}")}
    return replace(scenario, name=f"{scenario.name}+shock", drivers=shocked, notes=notes)


@dataclass(frozen=True)
class ShockResult:
    """A scenario projected with and without an automation shock.

    Attributes
    ----------
    shock : AutomationShock
    baseline, shocked : Scenario
    factors : pandas.DataFrame
        From :func:`shock_factors`.
    baseline_projection, shocked_projection : Projection
    """

    shock: AutomationShock
    baseline: Scenario
    shocked: Scenario
    factors: pd.DataFrame
    baseline_projection: Projection
    shocked_projection: Projection

    def to_frame(self) -> pd.DataFrame:
        """Year-indexed comparison: ``factor``, then ``recipients`` (persons),
        ``benefits``, ``expenditure`` and ``reserve`` (亿元), each ``_base`` and
        ``_shock``."""
        base = self.baseline_projection.to_frame()
        hit = self.shocked_projection.to_frame()
        out = pd.DataFrame({"factor": self.factors["factor"]}, index=base.index)
        for col in ("recipients", "benefits", "expenditure", "reserve"):
            out[f"{col}_base"] = base[col]
            out[f"{col}_shock"] = hit[col]
        return out


def project_shock(scenario: Scenario, shock: AutomationShock) -> ShockResult:
    """Project ``scenario`` with and without ``shock``.

    Raises
    ------
    HorizonError, FundParameterError
        As :func:`shock_scenario` and :func:`fund.projection.project`.
    """
    shocked = shock_scenario(scenario, shock)
    factors = shock_factors(shock, scenario.drivers.index, data_end=scenario.data_end)
    return ShockResult(shock, scenario, shocked, factors, scenario.run(), shocked.run())


def load_shock(path: str | Path) -> AutomationShock:
    """Read an :class:`AutomationShock` from a TOML file.

    The file has a ``[shock]`` table with keys from :data:`SHOCK_KEYS`
    (``manufacturing_share`` required) and an optional ``[labour]`` table with fields of
    :class:`fund.labour.LabourParams`::

        [shock]
        manufacturing_share = 0.3
        removed_share = 0.3
        years = 5
        start_year = 2024

        [labour]
        gamma = 0.5

    Raises
    ------
    DataError
        The file is missing or unreadable, not valid TOML, or has no ``[shock]`` table.
    FundParameterError
        An unknown table or key, a missing required key, or a value breaking its rule;
        the message names ``[table] key``.
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
