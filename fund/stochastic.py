"""The fund's stochastic drivers: every chapter-2 process wired together.

:class:`StochasticModel` holds one process per driver; :class:`StartState` the last
observed values they start from.  :meth:`StochasticModel.simulate_drivers` draws the
driver arrays ``(n_paths, n_years)`` that :func:`fund.projection.project_paths` takes, and
:meth:`StochasticModel.expected_drivers` gives the noise-free (expected) path of the same
drivers, each process replaced by its ``forecast``.

Wiring (years ``T+1 .. T+n`` after the start year ``T``):

====================  ==========================================================
driver                from
====================  ==========================================================
GDP (aux.)            :class:`~fund.processes.GDPTrendAR2` from ``(Y_{T-1}, Y_T)``
total employment      :class:`~fund.processes.LogisticEmployment` from its last
(aux.)                reported year (2021 for Qinghai: 2022 is not reported)
urban employment      :class:`~fund.processes.LogisticEmployment` from ``P^c_T``
``wage``              :class:`~fund.processes.WageLink` of GDP per employed person
``monthly_benefit``   :class:`~fund.processes.BenefitAdjustment` on ``wage / 12``
``covered``           :class:`~fund.processes.Coverage` along urban employment
``recipient_ratio``   CIR (2.26), percent → fraction
``months_paid``       CIR (2.28), capped at 12
``non_eligible_share``  CIR (2.33), capped at 1
``sme_share``         :class:`~fund.processes.SMEShare` of last year's ``covered``
====================  ==========================================================

The remaining drivers (collection rate, refund rates, other spending, interest, death
rate) are fixed arrays taken from a :class:`fund.scenarios.Scenario`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from fund.data import qinghai
from fund.errors import DataError, FundParameterError
from fund.processes import (
    CIR,
    BenefitAdjustment,
    Coverage,
    GDPTrendAR2,
    LogisticEmployment,
    SMEShare,
    WageLink,
    printed_ratio,
)
from fund.processes._common import FloatArray, as_generator, count, positive

__all__ = ["STOCHASTIC_DRIVERS", "StartState", "StochasticModel"]

#: Drivers of :func:`fund.projection.project_paths` that the model simulates.
STOCHASTIC_DRIVERS = (
    "covered", "wage", "recipient_ratio", "monthly_benefit", "months_paid",
    "non_eligible_share", "sme_share",
)


@dataclass(frozen=True)
class StartState:
    """Last observed values the processes start from (units as in :func:`fund.data.qinghai`).

    ``year`` is the last data year ``T``; ``total_employment_year`` may be earlier when
    total employment is not reported for ``T`` (Qinghai: 2021).

    Attributes
    ----------
    year : int
        The last data year ``T``.
    gdp_prev, gdp : float
        GDP in ``T - 1`` and ``T`` (亿元).
    employment_urban : float
        Urban employment in ``T`` (万人).
    employment_total : float
        Total employment (万人) in ``total_employment_year``.
    total_employment_year : int
        The last year that reports total employment.
    covered : float
        Insured persons ``P^i_T`` (万人).
    monthly_benefit, monthly_wage : float
        ``S_T`` and the urban monthly wage ``W_T`` (元).
    recipient_ratio_pct : float
        Recipients over insured persons (%).
    months_paid : float
        Months paid per recipient ``m_T``.
    non_eligible_share : float
        ``g_T``, as a fraction.

    Examples
    --------
    >>> s = StartState.from_data()
    >>> s.year, s.months_paid
    (2022, 4.63)
    """

    year: int
    gdp_prev: float
    gdp: float
    employment_urban: float
    employment_total: float
    total_employment_year: int
    covered: float
    monthly_benefit: float
    monthly_wage: float
    recipient_ratio_pct: float
    months_paid: float
    non_eligible_share: float

    @classmethod
    def from_data(cls, data: pd.DataFrame | None = None) -> StartState:
        """The start state at the last year of ``data`` (default :func:`fund.data.qinghai`).

        Parameters
        ----------
        data : pandas.DataFrame, optional
            Actuals in the layout of :func:`fund.data.qinghai`.

        Returns
        -------
        StartState
            The values of the last data year.

        Raises
        ------
        fund.errors.DataError
            A needed series is not reported in the last year (total employment may come
            from an earlier year).

        Examples
        --------
        >>> s = StartState.from_data()
        >>> (s.year, s.total_employment_year, s.covered)
        (2022, 2021, 63.4)
        """
        df = qinghai() if data is None else data
        end = int(df.index[-1])

        def at(col: str, year: int = end) -> float:
            if col not in df.columns or year not in df.index or np.isnan(df.loc[year, col]):
                raise DataError(f"year {year}, column {col!r}: needed as a start value but "
                                "not reported")
            return float(df.loc[year, col])

        total = df["employment_total_10k"].dropna() if "employment_total_10k" in df else None
        if total is None or total.empty:
            raise DataError("column 'employment_total_10k': no reported year")
        return cls(
            year=end,
            gdp_prev=at("gdp_100m_yuan", end - 1),
            gdp=at("gdp_100m_yuan"),
            employment_urban=at("employment_urban_10k"),
            employment_total=float(total.iloc[-1]),
            total_employment_year=int(total.index[-1]),
            covered=at("covered_10k"),
            monthly_benefit=at("monthly_benefit_yuan"),
            monthly_wage=at("urban_monthly_wage_yuan"),
            recipient_ratio_pct=at("recipient_ratio_pct"),
            months_paid=at("months_paid"),
            non_eligible_share=at("non_eligible_share_pct") / 100.0,
        )

    @property
    def replacement_rate(self) -> float:
        """``S_T / W_T``, the start of the replacement-rate CIR."""
        return self.monthly_benefit / self.monthly_wage


@dataclass(frozen=True)
class StochasticModel:
    """One process per stochastic driver of the fund (see the module table).

    Parameters
    ----------
    gdp : fund.processes.GDPTrendAR2
        Log GDP.
    wage : fund.processes.WageLink
        The urban wage from GDP per worker.
    employment_urban, employment_total : fund.processes.LogisticEmployment
        Urban and total employment.
    benefit : fund.processes.BenefitAdjustment
        The monthly benefit and the replacement rate.
    coverage : fund.processes.Coverage
        Covered persons from urban employment.
    sme : fund.processes.SMEShare
        The SME share of refund-eligible contributions.
    recipient_ratio, months_paid, non_eligible_share : fund.CIR
        The CIR ratios (recipient ratio in percent).

    Examples
    --------
    >>> m = StochasticModel.printed()
    >>> d = m.simulate_drivers(StartState.from_data(), 5, 3, rng=1)
    >>> d["covered"].shape
    (3, 5)
    """

    gdp: GDPTrendAR2
    wage: WageLink
    employment_urban: LogisticEmployment
    employment_total: LogisticEmployment
    benefit: BenefitAdjustment
    coverage: Coverage
    sme: SMEShare
    recipient_ratio: CIR
    months_paid: CIR
    non_eligible_share: CIR

    @classmethod
    def printed(cls) -> StochasticModel:
        """Every process with the seed's printed coefficients.

        The residual s.d.s are those the processes' ``printed()`` derive where the seed prints
        none.

        Returns
        -------
        StochasticModel

        Examples
        --------
        >>> StochasticModel.printed().sme.k
        0.01938
        """
        return cls(
            gdp=GDPTrendAR2.printed(),
            wage=WageLink.printed(),
            employment_urban=LogisticEmployment.printed("urban"),
            employment_total=LogisticEmployment.printed("total"),
            benefit=BenefitAdjustment.printed(),
            coverage=Coverage.printed(),
            sme=SMEShare.printed(),
            recipient_ratio=printed_ratio("recipient_ratio"),
            months_paid=printed_ratio("months_paid"),
            non_eligible_share=printed_ratio("non_eligible_share"),
        )

    def scaled_noise(self, factor: float) -> StochasticModel:
        """A copy with every volatility multiplied by ``factor`` (> 0).

        ``factor -> 0`` is the deterministic limit (the benefit reset probability is left as
        is).

        Parameters
        ----------
        factor : float
            Multiplier of every volatility, > 0.

        Returns
        -------
        StochasticModel

        Raises
        ------
        fund.errors.FundParameterError
            ``factor`` not > 0.

        Examples
        --------
        >>> m = StochasticModel.printed()
        >>> quiet = m.scaled_noise(0.5)
        >>> bool(quiet.wage.sigma == 0.5 * m.wage.sigma)
        True
        """
        f = positive("factor", factor)

        def cir(p: CIR) -> CIR:
            return CIR(p.kappa, p.theta, p.sigma * f)

        rep = dataclasses.replace
        return rep(
            self,
            gdp=rep(self.gdp, sigma=self.gdp.sigma * f),
            wage=rep(self.wage, sigma=self.wage.sigma * f),
            employment_urban=rep(self.employment_urban,
                                 intercept=cir(self.employment_urban.intercept)),
            employment_total=rep(self.employment_total,
                                 intercept=cir(self.employment_total.intercept)),
            benefit=rep(self.benefit, replacement=cir(self.benefit.replacement)),
            coverage=rep(self.coverage, sigma=self.coverage.sigma * f),
            sme=rep(self.sme, sigma=self.sme.sigma * f),
            recipient_ratio=cir(self.recipient_ratio),
            months_paid=cir(self.months_paid),
            non_eligible_share=cir(self.non_eligible_share),
        )

    # ------------------------------------------------------------------ paths
    def simulate_drivers(
        self, start: StartState, n_years: int, n_paths: int, *, rng: Any = None
    ) -> dict[str, FloatArray]:
        """Driver arrays ``(n_paths, n_years)`` for years ``start.year + 1 ..``.

        Also returns the auxiliary paths ``gdp``, ``employment_urban``,
        ``employment_total`` and ``replacement_rate``.  The draws are made in a fixed order
        from one generator, so one generator gives one ensemble.

        Parameters
        ----------
        start : StartState
            The last observed values (:meth:`StartState.from_data`).
        n_years : int
            Number of projected years, >= 1.
        n_paths : int
            Number of paths, >= 1.
        rng : numpy.random.Generator, SeedSequence, int or None, keyword-only
            Source of randomness.

        Returns
        -------
        dict of str to numpy.ndarray
            The drivers of :data:`STOCHASTIC_DRIVERS` and the auxiliary paths, each
            ``(n_paths, n_years)``.

        Raises
        ------
        fund.errors.FundParameterError
            A bad count.

        Examples
        --------
        >>> m = StochasticModel.printed()
        >>> d = m.simulate_drivers(StartState.from_data(), 2, 3, rng=1)
        >>> d["wage"].shape, sorted(d)[:2]
        ((3, 2), ['covered', 'employment_total'])
        """
        n = count("n_years", n_years)
        m = count("n_paths", n_paths)
        gen = as_generator(rng)
        years = np.arange(start.year + 1, start.year + 1 + n)
        gdp = self.gdp.simulate((start.gdp_prev, start.gdp), n, m, year0=start.year,
                                rng=gen)[:, 1:]
        lag = start.year - start.total_employment_year
        total = self.employment_total.simulate(start.employment_total, n + lag, m,
                                               rng=gen)[:, 1 + lag:]
        urban = self.employment_urban.simulate(start.employment_urban, n, m, rng=gen)
        wage = self.wage.simulate(gdp, total, m, rng=gen)
        monthly = np.concatenate([np.full((m, 1), start.monthly_wage), wage / 12.0], axis=1)
        benefit, rate = self.benefit.simulate_with_rate(
            start.monthly_benefit, start.replacement_rate, monthly, m, rng=gen)
        covered = self.coverage.simulate(start.covered, urban, m, rng=gen)
        ratio = self.recipient_ratio.simulate(start.recipient_ratio_pct, n, m, rng=gen)
        months = self.months_paid.simulate(start.months_paid, n, m, rng=gen)
        non_elig = self.non_eligible_share.simulate(start.non_eligible_share, n, m, rng=gen)
        sme = self.sme.simulate(covered[:, :-1], years, m, rng=gen)
        return {
            "covered": covered[:, 1:],
            "wage": wage,
            "recipient_ratio": np.minimum(ratio[:, 1:] / 100.0, 1.0),
            "monthly_benefit": benefit[:, 1:],
            "months_paid": np.minimum(months[:, 1:], 12.0),
            "non_eligible_share": np.minimum(non_elig[:, 1:], 1.0),
            "sme_share": sme,
            "gdp": gdp,
            "employment_urban": urban[:, 1:],
            "employment_total": total,
            "replacement_rate": rate[:, 1:],
        }

    def expected_drivers(self, start: StartState, n_years: int) -> pd.DataFrame:
        """The noise-free driver path (each process's ``forecast``), year-indexed.

        CIR drivers at their conditional means, GDP on its median path, employment with
        the intercept at its mean, the benefit by its expectation recursion, coverage and
        the SME share along those paths.

        Parameters
        ----------
        start : StartState
            The last observed values.
        n_years : int
            Number of projected years, >= 1.

        Returns
        -------
        pandas.DataFrame
            Indexed by ``year``; the drivers of :data:`STOCHASTIC_DRIVERS` and the auxiliary
            paths as columns.

        Raises
        ------
        fund.errors.FundParameterError
            A bad count.

        Examples
        --------
        >>> frame = StochasticModel.printed().expected_drivers(StartState.from_data(), 2)
        >>> frame.index.tolist()
        [2023, 2024]
        """
        n = count("n_years", n_years)
        years = np.arange(start.year + 1, start.year + 1 + n)
        gdp = self.gdp.forecast((start.gdp_prev, start.gdp), n, year0=start.year)[1:]
        lag = start.year - start.total_employment_year
        total = self.employment_total.forecast(start.employment_total, n + lag)[1 + lag:]
        urban = self.employment_urban.forecast(start.employment_urban, n)
        wage = self.wage.forecast(gdp, total)
        benefit = self.benefit.forecast(start.monthly_benefit, start.replacement_rate,
                                        np.r_[start.monthly_wage, wage / 12.0])
        covered = self.coverage.forecast(start.covered, urban)
        frame = pd.DataFrame(
            {
                "covered": covered[1:],
                "wage": wage,
                "recipient_ratio": np.minimum(
                    self.recipient_ratio.forecast(start.recipient_ratio_pct, n)[1:] / 100, 1.0),
                "monthly_benefit": benefit[1:],
                "months_paid": np.minimum(self.months_paid.forecast(start.months_paid, n)[1:],
                                          12.0),
                "non_eligible_share": np.minimum(
                    self.non_eligible_share.forecast(start.non_eligible_share, n)[1:], 1.0),
                "sme_share": self.sme.forecast(covered[:-1], years),
                "gdp": gdp,
                "employment_urban": urban[1:],
                "employment_total": total,
            },
            index=pd.Index(years.tolist(), name="year"),
        )
        return frame


def _check_model(model: Any) -> StochasticModel:
    if not isinstance(model, StochasticModel):
        raise FundParameterError("model", type(model).__name__, "must be a StochasticModel")
    return model
