"""The accounting identities of seed 002, chapter 1, as small vectorised functions.

Every function takes numpy arrays (or scalars) and broadcasts: year series have the year
on the **last** axis, so ``(n_years,)`` and ``(n_paths, n_years)`` both work.  Units follow
the seed: money in 亿元 (1e8 CNY), covered persons in 万人 (1e4), recipients in persons,
wages and benefits in 元, rates as fractions (0.01 = 1%).

The public functions check their inputs (negative counts, rates outside their range,
non-finite values) and raise :class:`fund.errors.FundParameterError` naming the parameter,
the offending value and the rule; the projection calls the same formulas after validating
once.

Formulas (seed numbering):

* payroll ``W_t = P^i_t · w_t`` (the covered wage bill, independent of the rate);
* (1.1) contribution base ``X_t = W_t · c`` with ``c = 0.01``;
* (1.2) contributions due ``LI_t = a·X_t + b·c/c₀`` (printed ``a = 0.9182``,
  ``b = 0.5497`` fitted at the rate ``c₀ = 0.01`` of 2018–2022), so that ``c = 0``
  collects nothing and doubling ``c`` doubles ``LI_t``; collected income
  ``= LI_t · collection rate``;
* (1.4) benefits ``B_t = P^r_t · S_t · m_t``; (1.5) ``P^r_t = b_t · P^i_t``;
* (1.6) medical ``M_t = M_{t-1}(1 + mi_t)``;
* (1.7) funeral and survivor ``D_t = 15 d_t P^r_t S_t``;
* (1.8) skills ``A_t = N_{t-1}(1 + Ai_t) Ā``;
* (1.9) job-retention refund ``R_t = LI_{t-1}(1 − g_t)[ms_t msr_t + (1 − ms_t) LCR_t]``
  where ``LI_{t-1}`` is the income *collected* in the previous year (table 8);
* (1.3) expenditure ``CO_t`` = sum of the components;
* reserve ``V_t = V_{t-1}(1 + i_t) + income_t − CO_t``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from fund.errors import FundParameterError

__all__ = [
    "MONEY_UNIT_YUAN",
    "REFERENCE_CONTRIBUTION_RATE",
    "benefit_expenditure",
    "collected_income",
    "contribution_base",
    "contribution_due",
    "funeral_survivor",
    "job_retention_refund",
    "medical_subsidy",
    "payroll",
    "recipients",
    "reserve_path",
    "skills_subsidy",
    "skills_subsidy_path",
    "total_expenditure",
]

#: One money unit of the fund model (亿元) in 元.
MONEY_UNIT_YUAN = 1e8
#: Persons per 万人.
TEN_THOUSAND = 1e4
#: Months of benefit paid per death under Qinghai's rules with two dependants (1.7):
#: 6 months funeral grant + 9 months survivor pension.
FUNERAL_MONTHS = 15.0
#: Contribution rate in force over the sample of the (1.2) fit (2018–2022: 0.5% employer
#: + 0.5% employee, Qinghai notice 青人社厅发〔2021〕36号); the fit's intercept is scaled by  # noqa: RUF003 the notice number as published
#: ``rate / REFERENCE_CONTRIBUTION_RATE``.
REFERENCE_CONTRIBUTION_RATE = 0.01

Array = NDArray[np.float64]


# --- validation helpers (public door) -----------------------------------------------------


def _arr(name: str, value: ArrayLike) -> Array:
    arr = np.asarray(value, dtype=float)
    if not np.all(np.isfinite(arr)):
        bad = arr[~np.isfinite(arr)].flat[0]
        raise FundParameterError(name, float(bad), "must be finite (no NaN or inf)")
    return arr


def _check(name: str, value: ArrayLike, *, lo: float | None = None, hi: float | None = None,
           lo_open: bool = False) -> Array:
    """Convert to float array and check ``lo <= value <= hi`` (``lo < value`` if open)."""
    arr = _arr(name, value)
    if lo is not None:
        bad = arr <= lo if lo_open else arr < lo
        if np.any(bad):
            rule = f"must be > {lo:g}" if lo_open else f"must be >= {lo:g}"
            raise FundParameterError(name, float(arr[bad].flat[0]), rule)
    if hi is not None and np.any(arr > hi):
        raise FundParameterError(name, float(arr[arr > hi].flat[0]), f"must be <= {hi:g}")
    return arr


def _fraction(name: str, value: ArrayLike) -> Array:
    return _check(name, value, lo=0.0, hi=1.0)


# --- income -------------------------------------------------------------------------------


def payroll(covered: ArrayLike, wage: ArrayLike) -> Array:
    """Covered payroll ``W_t = P^i_t · w_t`` in 亿元 (the wage bill the rate applies to).

    Parameters
    ----------
    covered : array_like
        Covered persons ``P^i_t`` in 万人.
    wage : array_like
        Average annual wage ``w_t`` in 元.

    Returns
    -------
    numpy.ndarray
        The payroll in 亿元, the broadcast shape of the inputs.

    Raises
    ------
    FundParameterError
        A negative or non-finite input.

    Examples
    --------
    >>> float(payroll(50.0, 100_000.0))   # 500,000 people x 100,000 元 = 500 亿元
    500.0
    """
    return _payroll(_check("covered", covered, lo=0.0), _check("wage", wage, lo=0.0))


def _payroll(covered: Array, wage: Array) -> Array:
    return np.asarray(covered * (TEN_THOUSAND / MONEY_UNIT_YUAN) * wage, dtype=float)


def contribution_base(covered: ArrayLike, wage: ArrayLike, rate: ArrayLike = 0.01) -> Array:
    """Theoretical contributions (1.1), ``X_t = P^i_t · w_t · rate``, in 亿元.

    Parameters
    ----------
    covered : array_like
        Covered persons ``P^i_t`` in 万人.
    wage : array_like
        Average annual wage ``w_t`` in 元.
    rate : array_like, default 0.01
        Contribution rate (0.5% employer + 0.5% employee in Qinghai).

    Returns
    -------
    numpy.ndarray
        Theoretical contributions in 亿元, the broadcast shape of the inputs.

    Raises
    ------
    FundParameterError
        A negative or non-finite input, or ``rate`` outside [0, 1].

    Examples
    --------
    >>> float(contribution_base(50.0, 100_000.0))   # 500,000 people x 100,000 元 x 1%
    5.0
    """
    cov = _check("covered", covered, lo=0.0)
    w = _check("wage", wage, lo=0.0)
    r = _fraction("rate", rate)
    return _contribution_base(cov, w, r)


def _contribution_base(covered: Array, wage: Array, rate: Array) -> Array:
    return np.asarray(_payroll(covered, wage) * rate, dtype=float)


def contribution_due(base: ArrayLike, slope: float = 0.9182, intercept: float = 0.5497, *,
                     rate: float = REFERENCE_CONTRIBUTION_RATE) -> Array:
    """Contributions due (1.2), ``LI_t = slope · X_t + intercept · rate / 0.01``, in 亿元.

    The defaults are the seed's printed OLS fit on 2018–2022 (see
    :func:`fund.reproduce.income_regression` for the re-estimate), made at the 1% rate of
    those years.  The intercept is a contribution too (covered wages above the urban
    average), so it scales with the rate: rate 0 collects nothing and doubling the rate
    (which doubles ``base``) doubles ``LI_t``.  At 1% this is the seed's ``slope·X + b``.

    Parameters
    ----------
    base : array_like
        Theoretical contributions ``X_t`` of (1.1) at ``rate`` (亿元), >= 0.
    slope, intercept : float
        Coefficients of the (1.2) fit at the reference rate 1%.
    rate : float, default 0.01
        Contribution rate ``base`` was computed at, in [0, 1].

    Returns
    -------
    numpy.ndarray
        Contributions due in 亿元.

    Raises
    ------
    FundParameterError
        A negative base, a non-positive slope, a rate outside [0, 1] or a non-finite value.

    Examples
    --------
    >>> float(contribution_due(10.0, slope=0.9, intercept=0.5))
    9.5
    >>> float(contribution_due(20.0, slope=0.9, intercept=0.5, rate=0.02))   # twice 9.5
    19.0
    >>> float(contribution_due(0.0, rate=0.0))
    0.0
    """
    x = _check("base", base, lo=0.0)
    _check("slope", slope, lo=0.0, lo_open=True)
    _arr("intercept", intercept)
    r = _fraction("rate", rate)
    return _contribution_due(x, slope, intercept, r)


def _contribution_due(base: Array, slope: float, intercept: float, rate: ArrayLike) -> Array:
    scale = np.asarray(rate, dtype=float) / REFERENCE_CONTRIBUTION_RATE
    return np.asarray(slope * base + intercept * scale, dtype=float)


def collected_income(due: ArrayLike, collection_rate: ArrayLike) -> Array:
    """Contributions actually collected, ``due × collection rate``, in 亿元.

    ``collection_rate`` may exceed 1 slightly (arrears collected late: 2018 was 1.0012);
    it must lie in [0, 2].

    Parameters
    ----------
    due : array_like
        Contributions due (亿元), >= 0.
    collection_rate : array_like
        Share collected, in [0, 2].

    Returns
    -------
    numpy.ndarray
        Collected income in 亿元.

    Raises
    ------
    FundParameterError
        A negative or non-finite input, or a collection rate above 2.

    Examples
    --------
    >>> float(collected_income(10.0, 0.95))
    9.5
    """
    d = _check("due", due, lo=0.0)
    c = _check("collection_rate", collection_rate, lo=0.0, hi=2.0)
    return d * c


# --- expenditure --------------------------------------------------------------------------


def recipients(ratio: ArrayLike, covered: ArrayLike) -> Array:
    """Benefit recipients (1.5), ``P^r_t = b_t · P^i_t``, in persons.

    Parameters
    ----------
    ratio : array_like
        Recipients per covered person ``b_t`` (fraction, e.g. 0.0158).
    covered : array_like
        Covered persons in 万人.

    Returns
    -------
    numpy.ndarray
        Recipients in persons, the broadcast shape of the inputs.

    Raises
    ------
    FundParameterError
        A ratio outside [0, 1], negative covered persons or a non-finite input.

    Examples
    --------
    >>> float(recipients(0.02, 50.0))
    10000.0
    """
    b = _fraction("recipient_ratio", ratio)
    cov = _check("covered", covered, lo=0.0)
    return _recipients(b, cov)


def _recipients(ratio: Array, covered: Array) -> Array:
    return np.asarray(ratio * covered * TEN_THOUSAND, dtype=float)


def benefit_expenditure(recipients: ArrayLike, monthly_benefit: ArrayLike,
                        months: ArrayLike) -> Array:
    """Unemployment benefits (1.4), ``B_t = P^r_t · S_t · m_t``, in 亿元.

    Parameters
    ----------
    recipients : array_like
        Recipients in the year, persons.
    monthly_benefit : array_like
        Average monthly benefit ``S_t`` in 元.
    months : array_like
        Average months paid per recipient ``m_t``, in [0, 12].

    Returns
    -------
    numpy.ndarray
        Benefits in 亿元, the broadcast shape of the inputs.

    Raises
    ------
    FundParameterError
        A negative or non-finite input, or ``months`` outside [0, 12].

    Examples
    --------
    >>> float(benefit_expenditure(10_000, 1500.0, 4.0))   # 10,000 x 1,500 x 4 = 0.6e8 元
    0.6
    """
    pr = _check("recipients", recipients, lo=0.0)
    s = _check("monthly_benefit", monthly_benefit, lo=0.0)
    m = _check("months", months, lo=0.0, hi=12.0)
    return _benefits(pr, s, m)


def _monthly_payout(recipients: Array, monthly_benefit: Array) -> Array:
    """One month of benefit for every recipient, 亿元 (the common factor of (1.4), (1.7))."""
    return np.asarray(recipients * monthly_benefit / MONEY_UNIT_YUAN, dtype=float)


def _benefits(recipients: Array, monthly_benefit: Array, months: Array) -> Array:
    return np.asarray(_monthly_payout(recipients, monthly_benefit) * months, dtype=float)


def funeral_survivor(death_rate: ArrayLike, recipients: ArrayLike,
                     monthly_benefit: ArrayLike) -> Array:
    """Funeral grant and survivor pension (1.7), ``D_t = 15 d_t P^r_t S_t``, in 亿元.

    15 = 6 months' benefit for the funeral + 9 months for two dependants (Qinghai rules,
    article 21).

    Parameters
    ----------
    death_rate : array_like
        Deaths per recipient in the year ``d_t``, in [0, 1].
    recipients : array_like
        Recipients in the year, persons.
    monthly_benefit : array_like
        Average monthly benefit ``S_t`` in 元.

    Returns
    -------
    numpy.ndarray
        Funeral grants and survivor pensions in 亿元.

    Raises
    ------
    FundParameterError
        A death rate outside [0, 1], a negative or non-finite input.

    Examples
    --------
    >>> float(funeral_survivor(0.01, 10_000, 2000.0))   # 100 deaths x 15 x 2000 元
    0.03
    """
    d = _fraction("death_rate", death_rate)
    pr = _check("recipients", recipients, lo=0.0)
    s = _check("monthly_benefit", monthly_benefit, lo=0.0)
    return _funeral(d, _monthly_payout(pr, s))


def _funeral(death_rate: Array, monthly_payout: Array) -> Array:
    return np.asarray(FUNERAL_MONTHS * death_rate * monthly_payout, dtype=float)


def medical_subsidy(opening: ArrayLike, growth: ArrayLike) -> Array:
    """Medical subsidy path (1.6), ``M_t = M_{t-1}(1 + mi_t)``, in 亿元.

    Parameters
    ----------
    opening : array_like
        ``M`` in the year before the first year of ``growth`` (scalar or one per path).
    growth : array_like
        Growth rates ``mi_t``, years on the last axis, each > −1.

    Returns
    -------
    numpy.ndarray
        ``M_t`` for each year of ``growth`` (亿元), shape ``opening.shape + growth's year axis``.

    Raises
    ------
    FundParameterError
        A negative opening, a growth rate <= -1, a non-finite input or a ``growth``
        without a year axis.

    Examples
    --------
    >>> medical_subsidy(1.0, [0.1, 0.0, -0.5]).round(6).tolist()
    [1.1, 1.1, 0.55]
    """
    m0 = _check("opening_medical", opening, lo=0.0)
    g = _check("medical_growth", growth, lo=-1.0, lo_open=True)
    if g.ndim == 0:
        raise FundParameterError("medical_growth", float(g), "needs a year axis (1-D or more)")
    return _growth_path(m0, g)


def _growth_path(opening: Array, growth: Array) -> Array:
    path: Array = np.asarray(opening, dtype=float)[..., None] * np.cumprod(1.0 + growth, axis=-1)
    return path


def skills_subsidy(recipients_prev: ArrayLike, growth: ArrayLike,
                   average_amount: ArrayLike) -> Array:
    """Skills-upgrading subsidy (1.8), ``A_t = N_{t-1}(1 + Ai_t) Ā``, in 亿元.

    Parameters
    ----------
    recipients_prev : array_like
        Subsidy recipients in the previous year ``N_{t-1}``, persons.
    growth : array_like
        Growth of the number of recipients ``Ai_t`` (> −1).
    average_amount : array_like
        Average subsidy per recipient ``Ā`` in 元.

    Returns
    -------
    numpy.ndarray
        Skills subsidies in 亿元, the broadcast shape of the inputs.

    Raises
    ------
    FundParameterError
        A negative count or amount, a growth rate <= -1 or a non-finite input.

    Examples
    --------
    >>> float(skills_subsidy(10_000, 0.5, 2000.0))   # 15,000 x 2000 元
    0.3
    """
    n = _check("skills_recipients_prev", recipients_prev, lo=0.0)
    g = _check("skills_growth", growth, lo=-1.0, lo_open=True)
    a = _check("skills_average", average_amount, lo=0.0)
    return n * (1.0 + g) * a / MONEY_UNIT_YUAN


def skills_subsidy_path(opening: ArrayLike, growth: ArrayLike) -> Array:
    """(1.8) iterated with a constant average amount: ``A_t = A_{t-1}(1 + Ai_t)``.

    With ``N_t = N_{t-1}(1 + Ai_t)`` and a fixed ``Ā``, ``A_t = N_t Ā``, so the path
    follows from the opening amount ``A_{t0-1} = N_{t0-1} Ā`` (亿元) alone — the seed
    reports amounts, not ``N`` or ``Ā``.

    Parameters
    ----------
    opening : array_like
        ``A`` in the year before the first year of ``growth`` (亿元), >= 0.
    growth : array_like
        Growth rates ``Ai_t``, years on the last axis, each > -1.

    Returns
    -------
    numpy.ndarray
        ``A_t`` for each year of ``growth`` (亿元).

    Raises
    ------
    FundParameterError
        A negative opening, a growth rate <= -1, a non-finite input or a ``growth``
        without a year axis.

    Examples
    --------
    >>> skills_subsidy_path(0.2, [0.5, 0.0]).round(6).tolist()
    [0.3, 0.3]
    """
    a0 = _check("opening_skills", opening, lo=0.0)
    g = _check("skills_growth", growth, lo=-1.0, lo_open=True)
    if g.ndim == 0:
        raise FundParameterError("skills_growth", float(g), "needs a year axis (1-D or more)")
    return _growth_path(a0, g)


def job_retention_refund(income_prev: ArrayLike, non_eligible_share: ArrayLike,
                         sme_share: ArrayLike, sme_rate: ArrayLike = 0.9,
                         large_rate: ArrayLike = 0.5) -> Array:
    """Job-retention refund (1.9)/(2.29), in 亿元.

    ``R_t = LI_{t-1} (1 − g_t) [ms_t · msr_t + (1 − ms_t) · LCR_t]``

    Parameters
    ----------
    income_prev : array_like
        Contributions collected in the previous year ``LI_{t-1}`` (亿元).  Table 8 and
        the 2023 forecast of table 11 use the *collected* amount, not (1.2)'s due amount.
    non_eligible_share : array_like
        ``g_t``: share of contributions from units that get no refund, in [0, 1].
    sme_share : array_like
        ``ms_t``: SME share of the eligible units' contributions, in [0, 1].
    sme_rate, large_rate : array_like
        Refund rates ``msr_t`` (default 0.9) and ``LCR_t`` (default 0.5), in [0, 1].

    Returns
    -------
    numpy.ndarray
        Refunds in 亿元, the broadcast shape of the inputs.

    Raises
    ------
    FundParameterError
        A share or rate outside [0, 1], a negative income or a non-finite input.

    Examples
    --------
    >>> float(job_retention_refund(10.0, 0.4, 0.5, 0.9, 0.5))   # 10 x 0.6 x 0.7
    4.2
    """
    li = _check("income_prev", income_prev, lo=0.0)
    g = _fraction("non_eligible_share", non_eligible_share)
    ms = _fraction("sme_share", sme_share)
    msr = _fraction("sme_refund_rate", sme_rate)
    lcr = _fraction("large_refund_rate", large_rate)
    return _refund(li, g, ms, msr, lcr)


def _refund(li: Array, g: Array, ms: Array, msr: Array, lcr: Array) -> Array:
    return li * (1.0 - g) * (ms * msr + (1.0 - ms) * lcr)


def total_expenditure(*components: ArrayLike) -> Array:
    """Fund expenditure (1.3): the sum of its components (broadcast), in 亿元.

    Parameters
    ----------
    *components : array_like
        Expenditure lines (亿元), each >= 0; at least one.

    Returns
    -------
    numpy.ndarray
        Their sum, the broadcast shape of the components.

    Raises
    ------
    FundParameterError
        No component, or a negative or non-finite one.

    Examples
    --------
    >>> float(total_expenditure(1.0, 2.0, 0.5))
    3.5
    """
    if not components:
        raise FundParameterError("components", (), "at least one expenditure component")
    arrays = [_check(f"components[{k}]", c, lo=0.0) for k, c in enumerate(components)]
    total = arrays[0]
    for arr in arrays[1:]:
        total = total + arr
    return np.asarray(total, dtype=float)


# --- reserve ------------------------------------------------------------------------------


def reserve_path(opening: ArrayLike, income: ArrayLike, expenditure: ArrayLike,
                 interest_rate: ArrayLike = 0.0) -> Array:
    """Reserve recursion ``V_t = V_{t-1}(1 + i_t) + income_t − expenditure_t``.

    Parameters
    ----------
    opening : array_like
        Reserve at the end of the year before the first projected year (亿元); scalar or
        one value per path.
    income, expenditure : array_like
        Years on the last axis (亿元).
    interest_rate : array_like, default 0
        Yearly interest credited on the opening balance of each year (> −1).

    Returns
    -------
    numpy.ndarray
        End-of-year reserves, the broadcast shape of the inputs.

    Raises
    ------
    FundParameterError
        A non-finite input, an interest rate <= -1, or income and expenditure without a
        year axis.

    Examples
    --------
    >>> reserve_path(10.0, [5.0, 5.0], [6.0, 2.0], 0.1).round(6).tolist()
    [10.0, 14.0]
    """
    v0 = _arr("opening_reserve", opening)
    inc = _arr("income", income)
    exp_ = _arr("expenditure", expenditure)
    i = _check("interest_rate", interest_rate, lo=-1.0, lo_open=True)
    net = inc - exp_
    if net.ndim == 0:
        raise FundParameterError("income", float(inc), "needs a year axis (1-D or more)")
    return _reserve(v0, net, i)


def _reserve(opening: ArrayLike, net: Array, interest: ArrayLike) -> Array:
    """Core recursion; ``net`` has years on the last axis, ``opening`` one per path."""
    v0 = np.asarray(opening, dtype=float)
    rate = np.asarray(interest, dtype=float)
    shape = np.broadcast_shapes((*v0.shape, 1), net.shape, rate.shape)
    net_b = np.broadcast_to(net, shape)
    growth = np.broadcast_to(1.0 + rate, shape)
    level = np.array(np.broadcast_to(v0, shape[:-1]), dtype=float)
    out = np.empty(shape, dtype=float)
    for t in range(shape[-1]):
        level = level * growth[..., t] + net_b[..., t]
        out[..., t] = level
    return out
