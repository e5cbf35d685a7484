"""Figures of the policy search (matplotlib; each returns its Figure).

Backend-agnostic: figures are built as :class:`matplotlib.figure.Figure` objects, so no
pyplot state is touched and importing this module never switches matplotlib's backend.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from matplotlib.figure import Figure

__all__ = ["plot_frontier", "plot_optimum"]


def plot_frontier(frontier: pd.DataFrame, *, ax: Any = None) -> Any:
    """Effort share and re-employment rate against spend per claim along the frontier.

    Parameters
    ----------
    frontier : pandas.DataFrame
        From :func:`optimize.pareto_frontier`.
    ax : matplotlib Axes, optional, keyword-only
        Drawn on when given; otherwise a new figure.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import pandas as pd
    >>> frontier = pd.DataFrame({"spend_per_claim": [3000.0, 5000.0],
    ...                          "effort_share": [0.5, 0.9], "reemployment_rate": [0.8, 0.95]})
    >>> plot_frontier(frontier).axes[0].get_title()
    'Pareto frontier: behaviour against fund cost'
    """
    if ax is None:
        fig = Figure(figsize=(6.4, 4.0))
        ax = fig.subplots()
    else:
        fig = ax.figure
    frontier = frontier.drop_duplicates(subset=["spend_per_claim"])
    ax.plot(frontier["spend_per_claim"], frontier["effort_share"], "o-", label="effort share")
    ax.plot(frontier["spend_per_claim"], frontier["reemployment_rate"], "s-",
            label="re-employment within entitlement")
    ax.set_xlabel("spend per claim (CNY, benefits + monitoring)")
    ax.set_ylabel("share of claimants")
    ax.set_title("Pareto frontier: behaviour against fund cost")
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    return fig


def plot_optimum(optimum: pd.DataFrame, status_quo: pd.DataFrame, *, floor_months: float,
                 ax: Any = None) -> Any:
    """Reserve paths (亿元) of the optimum and the status quo, with the floor.

    Parameters
    ----------
    optimum, status_quo : pandas.DataFrame
        Year-indexed fund projections (``reserve`` and ``expenditure`` columns, 亿元).
    floor_months : float, keyword-only
        The sustainability floor in months of expenditure.
    ax : matplotlib Axes, optional, keyword-only
        Drawn on when given; otherwise a new figure.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import pandas as pd
    >>> fund = pd.DataFrame({"reserve": [6.0, 7.0], "expenditure": [6.0, 6.5]},
    ...                     index=[2023, 2024])
    >>> len(plot_optimum(fund, fund, floor_months=6.0).axes)
    1
    """
    if ax is None:
        fig = Figure(figsize=(6.4, 4.0))
        ax = fig.subplots()
    else:
        fig = ax.figure
    ax.plot(optimum.index, optimum["reserve"], "o-", label="optimal policy")
    ax.plot(status_quo.index, status_quo["reserve"], "s--",
            label="status quo (flat, no monitoring)")
    ax.plot(optimum.index, floor_months / 12.0 * optimum["expenditure"], ":", color="grey",
            label=f"floor: {floor_months:g} months of expenditure")
    ax.set_xticks(list(optimum.index))
    ax.set_xlabel("year")
    ax.set_ylabel("reserve (100 million CNY)")
    ax.set_title("Fund reserve")
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    return fig
