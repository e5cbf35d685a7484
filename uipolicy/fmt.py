"""Numbers and units for people: the report's one convention.

Money is in Chinese yuan written ``CNY`` (ASCII, so no glyph can render as a box where no
CJK font is installed): amounts per person in CNY, fund aggregates in ``100m CNY`` (the
seed's 亿元).  Shares are percentages, differences of shares percentage points (pp),
tiny relative differences basis points (bp, 0.01 %).
"""

from __future__ import annotations

import math

from uicore.errors import ParameterError

__all__ = ["ascii_units", "bp", "cny", "num", "pct", "pp", "signed_pct"]

_UNIT_WORDS = (("亿元", "100m CNY"), ("万人", "10k persons"), ("元", "CNY"), ("人", "persons"),
               ("yuan", "CNY"), ("100 million CNY", "100m CNY"))


def ascii_units(text: str) -> str:
    """Rewrite the seed's Chinese unit words in the report's ASCII convention.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    str
        The text with 亿元, 万人, 元, 人 and "yuan" replaced.

    Examples
    --------
    >>> ascii_units("opening reserve 6.0882 亿元, 1530 元 a month")
    'opening reserve 6.0882 100m CNY, 1530 CNY a month'
    """
    for word, ascii_word in _UNIT_WORDS:
        text = text.replace(word, ascii_word)
    return text


def _check(value: float) -> float:
    value = float(value)
    if not math.isfinite(value):
        raise ParameterError("value", value, "a figure shown to people must be finite")
    return value


def cny(value: float, *, per: str = "") -> str:
    """An amount in CNY with thousands separators, rounded to the yuan.

    Parameters
    ----------
    value : float
        Amount in CNY.
    per : str, keyword-only
        Appended as ``/ per`` (e.g. ``"month"``).

    Returns
    -------
    str
        E.g. ``"5,360 CNY"``.

    Raises
    ------
    uicore.errors.ParameterError
        The value is not finite.

    Examples
    --------
    >>> cny(5359.7356)
    '5,360 CNY'
    >>> cny(1530, per="month")
    '1,530 CNY/month'
    """
    text = f"{_check(value):,.0f} CNY"
    return f"{text}/{per}" if per else text


def num(value: float, digits: int = 2) -> str:
    """A number with thousands separators and ``digits`` decimals.

    Parameters
    ----------
    value : float
        The number.
    digits : int
        Decimals shown.

    Returns
    -------
    str
        E.g. ``"16.90"``.

    Raises
    ------
    uicore.errors.ParameterError
        The value is not finite.

    Examples
    --------
    >>> num(16.895281)
    '16.90'
    >>> num(15625.98, 0)
    '15,626'
    """
    return f"{_check(value):,.{digits}f}"


def pct(share: float, digits: int = 1) -> str:
    """A share (0.956) as a percentage (``"95.6%"``).

    Parameters
    ----------
    share : float
        The share, a fraction.
    digits : int
        Decimals shown.

    Returns
    -------
    str
        The percentage.

    Raises
    ------
    uicore.errors.ParameterError
        The value is not finite.

    Examples
    --------
    >>> pct(0.95561)
    '95.6%'
    """
    return f"{100 * _check(share):.{digits}f}%"


def pp(diff: float, digits: int = 1) -> str:
    """A difference of two shares in percentage points, signed.

    Parameters
    ----------
    diff : float
        The difference of the shares (fractions).
    digits : int
        Decimals shown.

    Returns
    -------
    str
        E.g. ``"+10.0 pp"``.

    Raises
    ------
    uicore.errors.ParameterError
        The value is not finite.

    Examples
    --------
    >>> pp(0.955613 - 0.85538)
    '+10.0 pp'
    """
    return f"{100 * _check(diff):+.{digits}f} pp"


def signed_pct(rel: float, digits: int = 1) -> str:
    """A relative change (-0.243) as a signed percentage (``"-24.3%"``).

    Parameters
    ----------
    rel : float
        The relative change, a fraction.
    digits : int
        Decimals shown.

    Returns
    -------
    str
        The signed percentage.

    Raises
    ------
    uicore.errors.ParameterError
        The value is not finite.

    Examples
    --------
    >>> signed_pct(5359.7 / 7083.9 - 1)
    '-24.3%'
    """
    return f"{100 * _check(rel):+.{digits}f}%"


def bp(rel: float, digits: int = 1) -> str:
    """A small relative difference in basis points (1 bp = 0.01 %), signed.

    Parameters
    ----------
    rel : float
        The relative difference, a fraction.
    digits : int
        Decimals shown.

    Returns
    -------
    str
        E.g. ``"+0.3 bp"``.

    Raises
    ------
    uicore.errors.ParameterError
        The value is not finite.

    Examples
    --------
    >>> bp(2.53796e-05)
    '+0.3 bp'
    """
    return f"{1e4 * _check(rel):+.{digits}f} bp"
