"""Figure of an automation shock's effect on the fund (matplotlib, no pyplot state).

:func:`plot_shock_reserve` draws the reserve with and without the shock and, on a second
axis, the recipient count.  It draws on ``ax`` when given (and returns ``ax.figure``),
otherwise on a new :class:`matplotlib.figure.Figure`; save it with ``fig.savefig(path)``.

>>> from fund.scenarios import expected_scenario
>>> from fund.shocks import AutomationShock, project_shock
>>> result = project_shock(expected_scenario(5), AutomationShock(manufacturing_share=0.3))
>>> fig = plot_shock_reserve(result)
>>> fig.axes[0].get_ylabel()
'reserve (100 million CNY)'
>>> [line.get_label() for line in fig.axes[0].get_lines()]
['reserve without shock', 'reserve with shock']
"""

from __future__ import annotations

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from fund.errors import FundParameterError
from fund.shocks import ShockResult

__all__ = ["plot_shock_reserve"]


def plot_shock_reserve(
    result: ShockResult,
    *,
    recipients: bool = True,
    floor: float | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Reserve by year with and without an automation shock.

    Parameters
    ----------
    result : ShockResult
        From :func:`fund.shocks.project_shock`.
    recipients : bool, default True
        Also draw the recipient counts (persons) on a right-hand axis, dashed.
    floor : float, optional
        A horizontal reserve floor (100 million CNY).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    FundParameterError
        ``result`` is not a :class:`~fund.shocks.ShockResult` or ``ax`` not an Axes.

    Examples
    --------
    >>> from fund.scenarios import printed_scenario
    >>> from fund.shocks import AutomationShock, project_shock
    >>> result = project_shock(printed_scenario(3), AutomationShock(manufacturing_share=0.3))
    >>> len(plot_shock_reserve(result, floor=1.0).axes)          # reserve and recipients
    2
    """
    if not isinstance(result, ShockResult):
        raise FundParameterError("result", type(result).__name__,
                                 "must be a fund.shocks.ShockResult (see project_shock)")
    if ax is None:
        fig = Figure(figsize=(7.0, 4.0), layout="constrained")
        ax = fig.add_subplot()
    elif not isinstance(ax, Axes):
        raise FundParameterError("ax", type(ax).__name__, "must be a matplotlib Axes")
    else:
        fig = ax.figure  # type: ignore[assignment]  # Figure | SubFigure: both draw alike
    table = result.to_frame()
    years = table.index.to_numpy()
    ax.plot(years, table["reserve_base"], color="C0", marker="o",
            label="reserve without shock")
    ax.plot(years, table["reserve_shock"], color="C3", marker="o", label="reserve with shock")
    ax.fill_between(years, table["reserve_base"], table["reserve_shock"], color="C3",
                    alpha=0.15, linewidth=0)
    if floor is not None:
        ax.axhline(floor, color="k", linestyle=":", linewidth=1, label="floor")
    ax.set_xlabel("year")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel("reserve (100 million CNY)")
    ax.set_xticks(years)
    shock = result.shock
    ax.set_title(f"Automation shock: {shock.removed_share:.0%} of manufacturing jobs "
                 f"({shock.manufacturing_share:.0%} of job demand) over {shock.years:g} years",
                 fontsize=10)
    handles, labels = ax.get_legend_handles_labels()
    if recipients:
        right = ax.twinx()
        right.plot(years, table["recipients_base"], color="C0", linestyle="--",
                   label="recipients without shock")
        right.plot(years, table["recipients_shock"], color="C3", linestyle="--",
                   label="recipients with shock")
        right.set_ylabel("recipients (persons)")
        more_h, more_l = right.get_legend_handles_labels()
        handles, labels = handles + more_h, labels + more_l
    ax.legend(handles, labels, loc="upper left", fontsize=8)
    return fig
