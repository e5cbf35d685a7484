"""Figures of the fund (matplotlib, backend-agnostic: no pyplot state is touched).

Each function draws on ``ax`` when given (and returns ``ax.figure``), otherwise on a new
:class:`matplotlib.figure.Figure`, which it returns; save it with ``fig.savefig(path)``.

* :func:`fan_chart` — quantile bands of a Monte Carlo quantity (the reserve by default);
* :func:`expenditure_stack` — stacked expenditure lines of a projection;
* :func:`fitted_vs_actual` — one process fit; :func:`fitted_vs_actual_grid` — all of them.

>>> from fund.montecarlo import monte_carlo
>>> fig = fan_chart(monte_carlo(500, 3, rng=1, block_size=250))
>>> fig.axes[0].get_ylabel()
'reserve (100m CNY)'
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from fund.errors import FundParameterError
from fund.processes.qinghai import fit_all

__all__ = ["expenditure_stack", "fan_chart", "fitted_vs_actual", "fitted_vs_actual_grid"]

_LABELS = {
    "benefits": "benefits B (1.4)",
    "refund": "job-retention refund R (1.9)",
    "funeral": "funeral & survivor D (1.7)",
    "medical": "medical subsidy M (1.6)",
    "skills": "skills subsidy A (1.8)",
    "other": "other spending q",
}


def _axes(ax: Axes | None, figsize: tuple[float, float] = (7.0, 4.0)) -> tuple[Figure, Axes]:
    if ax is not None:
        if not isinstance(ax, Axes):
            raise FundParameterError("ax", type(ax).__name__, "must be a matplotlib Axes")
        fig = ax.figure
        return fig, ax  # type: ignore[return-value]  # Figure | SubFigure: both draw alike
    fig = Figure(figsize=figsize, layout="constrained")
    return fig, fig.add_subplot()


def fan_chart(
    ensemble: Any,
    *,
    quantity: str = "reserve",
    bands: Sequence[tuple[float, float]] = ((0.05, 0.95), (0.25, 0.75)),
    history: pd.Series | None = None,
    floor: float | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Fan chart: shaded quantile bands and the median of ``quantity`` by year.

    Parameters
    ----------
    ensemble : MonteCarloResult or pandas.DataFrame
        A Monte Carlo result, or a wide quantile table (index year, one column per level,
        as :meth:`fund.montecarlo.MonteCarloResult.quantile_table`).
    quantity : str
        Which kept quantity (ignored for a table).
    bands : sequence of (low, high)
        Quantile bands, outermost first.
    history : pandas.Series, optional
        Year-indexed actual values drawn before the fan.
    floor : float, optional
        A horizontal floor line (e.g. a reserve floor).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
        The figure drawn on (``ax``'s, or a new one).

    Raises
    ------
    fund.errors.FundParameterError
        A quantile table that lacks a level of ``bands`` or the median.

    Examples
    --------
    >>> from fund import monte_carlo
    >>> res = monte_carlo(200, 3, rng=1, block_size=100, chunk_size=200)
    >>> fan_chart(res, floor=2.0).axes[0].get_title()
    'reserve: Monte Carlo quantiles'
    """
    levels = sorted({q for band in bands for q in band} | {0.5})
    if isinstance(ensemble, pd.DataFrame):
        table = ensemble
        missing = [q for q in levels if q not in table.columns]
        if missing:
            raise FundParameterError("ensemble", list(table.columns),
                                     f"quantile table lacks levels {missing}")
    else:
        table = ensemble.quantile_table(quantity, levels)
    fig, ax = _axes(ax)
    years = np.asarray(table.index, dtype=float)
    for k, (lo, hi) in enumerate(bands):
        alpha = 0.2 + 0.2 * k
        ax.fill_between(years, table[lo], table[hi], alpha=alpha, color="C0", linewidth=0,
                        label=f"{round(100 * lo)}–{round(100 * hi)}%")
    ax.plot(years, table[0.5], color="C0", linewidth=2, label="median")
    if history is not None:
        ax.plot(np.asarray(history.index, dtype=float), history.to_numpy(), color="k",
                marker="o", label="actual")
    if floor is not None:
        ax.axhline(floor, color="C3", linestyle="--", label=f"floor {floor:g}")
    ax.set_xlabel("year")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel(f"{quantity} (100m CNY)")
    ax.set_title(f"{quantity}: Monte Carlo quantiles")
    ax.legend(loc="upper left", fontsize="small")
    return fig


def expenditure_stack(
    projection: Any,
    *,
    lines: Sequence[str] = ("benefits", "refund", "funeral", "medical", "skills", "other"),
    income: bool = True,
    ax: Axes | None = None,
) -> Figure:
    """Stacked expenditure components by year, with income as a line.

    ``projection`` is a :class:`fund.projection.Projection` or its ``to_frame()`` (a
    year-indexed frame with the expenditure lines in 亿元).

    Parameters
    ----------
    projection : fund.Projection or pandas.DataFrame
        The projection, or its ``to_frame()``.
    lines : sequence of str, keyword-only
        The expenditure lines stacked, bottom first.
    income : bool, keyword-only
        Whether to draw income as a line.
    ax : matplotlib Axes, optional, keyword-only
        Drawn on when given; otherwise a new figure.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    fund.errors.FundParameterError
        ``projection`` is neither a projection nor a frame, or a line is not a column.

    Examples
    --------
    >>> from fund import printed_scenario
    >>> expenditure_stack(printed_scenario(3).run()).axes[0].get_title()
    'expenditure by component'
    """
    frame = projection.to_frame() if hasattr(projection, "to_frame") else projection
    if not isinstance(frame, pd.DataFrame):
        raise FundParameterError("projection", type(projection).__name__,
                                 "must be a Projection or a DataFrame")
    missing = [c for c in lines if c not in frame.columns]
    if missing:
        raise FundParameterError("lines", missing, "not columns of the projection frame")
    fig, ax = _axes(ax)
    years = np.asarray(frame.index, dtype=float)
    values = [frame[c].to_numpy(dtype=float) for c in lines]
    ax.stackplot(years, *values, labels=[_LABELS.get(c, c) for c in lines], alpha=0.85)
    if income and "income" in frame.columns:
        ax.plot(years, frame["income"].to_numpy(dtype=float), color="k", marker="o",
                label="income")
    ax.set_xlabel("year")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel("100m CNY")
    ax.set_title("expenditure by component")
    ax.legend(loc="upper left", fontsize="small")
    return fig


def fitted_vs_actual(fit: Any, *, title: str | None = None, ax: Axes | None = None) -> Figure:
    """Actual series and the model's fitted values for one fit result.

    Anything with ``actual`` and ``fitted`` Series, e.g. :class:`fund.processes.FitResult`,
    :class:`fund.CIRFit`.

    Parameters
    ----------
    fit : fit result
        Anything with ``actual`` and ``fitted`` pandas Series.
    title : str, optional, keyword-only
        Panel title (default the fitted process's class name).
    ax : matplotlib Axes, optional, keyword-only
        Drawn on when given; otherwise a new figure.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    fund.errors.FundParameterError
        ``fit`` has no ``actual`` or ``fitted`` Series.

    Examples
    --------
    >>> from fund.data import qinghai
    >>> from fund.processes import GDPTrendAR2
    >>> fig = fitted_vs_actual(GDPTrendAR2.fit(qinghai()["gdp_100m_yuan"]))
    >>> fig.axes[0].get_title()
    'GDPTrendAR2'
    """
    actual, fitted = getattr(fit, "actual", None), getattr(fit, "fitted", None)
    if not isinstance(actual, pd.Series) or not isinstance(fitted, pd.Series):
        raise FundParameterError("fit", type(fit).__name__,
                                 "must have 'actual' and 'fitted' pandas Series")
    fig, ax = _axes(ax, (5.0, 3.5))
    ax.plot(np.asarray(actual.index, dtype=float), actual.to_numpy(dtype=float), "o-",
            color="k", label="actual")
    ax.plot(np.asarray(fitted.index, dtype=float), fitted.to_numpy(dtype=float), "s--",
            color="C1", label="fitted")
    ax.set_title(title or type(getattr(fit, "process", fit)).__name__)
    ax.set_xlabel("year")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(fontsize="small")
    return fig


def fitted_vs_actual_grid(fits: Mapping[str, Any] | None = None, *, ncols: int = 3
                          ) -> Figure:
    """A grid of :func:`fitted_vs_actual` panels.

    By default every process fitted to the Qinghai data by :func:`fund.processes.qinghai.fit_all`.

    Parameters
    ----------
    fits : mapping of str to fit result, optional
        Panel title -> fit result (default every process fitted to the Qinghai data).
    ncols : int, keyword-only
        Panels per row.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    fund.errors.FundParameterError
        An empty ``fits`` or a fit without ``actual`` and ``fitted`` Series.

    Examples
    --------
    >>> from fund.data import qinghai
    >>> from fund.processes import GDPTrendAR2
    >>> fit = GDPTrendAR2.fit(qinghai()["gdp_100m_yuan"])
    >>> fig = fitted_vs_actual_grid({"gdp": fit, "gdp again": fit}, ncols=2)
    >>> [ax.get_title() for ax in fig.axes]
    ['gdp', 'gdp again']
    """
    if fits is None:

        fits = fit_all()
    if not fits:
        raise FundParameterError("fits", fits, "must hold at least one fit")
    nrows = math.ceil(len(fits) / ncols)
    fig = Figure(figsize=(4.0 * ncols, 3.0 * nrows), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    for ax, (name, fit) in zip(axes, fits.items(), strict=False):
        fitted_vs_actual(fit, title=name, ax=ax)
    for ax in axes[len(fits):]:
        ax.set_visible(False)
    return fig
