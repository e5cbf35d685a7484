"""Parameter processes of seed 002, chapter 2: one small module per process.

Each class fits itself to a year-indexed series (``fit`` classmethod returning a frozen
fit result whose ``.process`` is the fitted model), gives its expected (noise-free) path
(``forecast``) and simulates paths vectorised over a leading paths axis (``simulate``,
keyword-only ``rng``).  ``printed()`` returns the seed's printed coefficients.

==========================  ===========================================  ==============
class                       process                                      seed
==========================  ===========================================  ==============
:class:`CIR`                square-root diffusion (all ratios)           (2.14)–(2.18)
:class:`GDPTrendAR2`        log GDP, AR(2) with trend                    (2.9), (2.11)
:class:`WageLink`           wage vs GDP per employed person              (2.5)
:class:`LogisticEmployment` employment, logistic with CIR intercept      (2.12)–(2.20)
:class:`BenefitAdjustment`  yearly benefit reset, CIR replacement rate   (2.21)–(2.24)
:class:`Coverage`           covered persons from urban employment        (2.25)
:class:`SMEShare`           SME share of refund-eligible contributions   (2.30)–(2.32)
``ratios``                  recipient ratio, months paid, non-eligible   (2.26), (2.28),
                            share, replacement rate as CIRs              (2.33), (2.23)
==========================  ===========================================  ==============
"""

from fund.processes._results import FitResult
from fund.processes.benefit import BenefitAdjustment
from fund.processes.cir import CIR, CIRFit, IdentificationWarning
from fund.processes.coverage import Coverage
from fund.processes.employment import LogisticEmployment
from fund.processes.gdp import GDPTrendAR2
from fund.processes.qinghai import fit_all
from fund.processes.ratios import RATIOS, fit_ratio, printed_ratio, ratio_series
from fund.processes.sme import SMEShare
from fund.processes.wage import WageLink, gdp_per_worker

__all__ = [
    "CIR",
    "RATIOS",
    "BenefitAdjustment",
    "CIRFit",
    "Coverage",
    "FitResult",
    "GDPTrendAR2",
    "IdentificationWarning",
    "LogisticEmployment",
    "SMEShare",
    "WageLink",
    "fit_all",
    "fit_ratio",
    "gdp_per_worker",
    "printed_ratio",
    "ratio_series",
]
