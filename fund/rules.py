"""The fund's own rules: when it may pay its discretionary lines, and what a deficit costs.

:class:`FundRules` is a small frozen policy object the projection
(:func:`fund.projection.project_paths`) applies year by year:

* **Coverage gate** (China, 2024).  Job-retention refunds (稳岗返还, (1.9)) and skills
  subsidies (技能提升补贴, (1.8)) are paid in year ``t`` only where the accumulated
  balance at the end of year ``t−1`` covers at least ``gate_months`` months of that
  year's expenditure (上年度失业保险基金滚存结余备付期限应在1年以上):
  ``V_{t−1} >= gate_months / 12 · CO_{t−1}``.  Source: 人力资源社会保障部、财政部、
  国家税务总局《关于延续实施失业保险援企稳岗政策的通知》(2024), items 二 and 三.
* **Negative reserve.**  ``"borrow"``: a negative opening balance is carried at
  ``borrowing_rate`` instead of earning the deposit rate; ``"stop"``: the reserve stops
  at 0 and the year's unpaid deficit is reported as ``shortfall`` (the amount the
  provincial adjustment fund or the budget must supply).

:data:`CHINA_2024` is the default of the Qinghai scenarios; :data:`NO_RULES` is the seed's
chapter-3 arithmetic (every line paid, interest at the deposit rate whatever the sign).
See ``docs/explanation/fund-model.md``, section "The fund's rules".
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from fund.errors import FundParameterError

__all__ = ["CHINA_2024", "DEFAULT_BORROWING_RATE", "NO_RULES", "FundRules"]

#: Interest charged on a negative reserve: the one-year Loan Prime Rate (贷款市场报价利率,
#: National Interbank Funding Center), 3.0% from 20 May 2025.  An assumption: the fund's
#: actual cost of cover (provincial adjustment fund, fiscal advance) is not published.
DEFAULT_BORROWING_RATE = 0.03

_MODES = ("borrow", "stop")


@dataclass(frozen=True)
class FundRules:
    """Rules the fund applies to itself, year by year.

    Parameters
    ----------
    gate_months : float or None, default 12.0
        Months of expenditure the end-of-previous-year balance must cover for refunds and
        skills subsidies to be paid (None: no gate).
    negative_reserve : {"borrow", "stop"}, default "borrow"
        What a deficit does: carried at ``borrowing_rate``, or the reserve stops at 0 and
        the deficit is reported as a shortfall.
    borrowing_rate : float, default :data:`DEFAULT_BORROWING_RATE`
        Yearly rate on a negative balance (``"borrow"`` only), > −1; ``None`` charges the
        deposit rate (the seed's arithmetic).

    Raises
    ------
    FundParameterError
        A negative or non-finite ``gate_months``, an unknown ``negative_reserve`` or a
        ``borrowing_rate`` <= −1.

    Examples
    --------
    >>> CHINA_2024
    FundRules(gate_months=12.0, negative_reserve='borrow', borrowing_rate=0.03)
    >>> NO_RULES.is_linear
    True
    >>> FundRules(negative_reserve="bankrupt")
    Traceback (most recent call last):
    ...
    fund.errors.FundParameterError: negative_reserve = 'bankrupt': must be 'borrow' or 'stop'
    """

    gate_months: float | None = 12.0
    negative_reserve: str = "borrow"
    borrowing_rate: float | None = DEFAULT_BORROWING_RATE

    def __post_init__(self) -> None:
        if self.gate_months is not None:
            g = float(self.gate_months)
            if not math.isfinite(g) or g < 0:
                raise FundParameterError("gate_months", self.gate_months,
                                         "must be a finite number of months >= 0 or None")
            object.__setattr__(self, "gate_months", g)
        if self.negative_reserve not in _MODES:
            raise FundParameterError("negative_reserve", self.negative_reserve,
                                     "must be 'borrow' or 'stop'")
        if self.borrowing_rate is not None:
            b = float(self.borrowing_rate)
            if not math.isfinite(b) or b <= -1:
                raise FundParameterError("borrowing_rate", self.borrowing_rate,
                                         "must be a finite rate > -1 or None")
            object.__setattr__(self, "borrowing_rate", b)

    @property
    def is_linear(self) -> bool:
        """True when no rule depends on the reserve.

        The projection is then linear in every expenditure line: the seed's arithmetic.
        """
        return (self.gate_months is None and self.negative_reserve == "borrow"
                and self.borrowing_rate is None)


#: The default rules of a Chinese provincial fund (the 2024 coverage gate, deficits carried
#: at the one-year LPR).
CHINA_2024 = FundRules()
#: No rules: every line paid, a deficit earns (costs) the deposit rate (the seed's chapter 3).
NO_RULES = FundRules(gate_months=None, negative_reserve="borrow", borrowing_rate=None)
