"""The figures build without a display (Agg) and draw what they say."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from fund.errors import FundParameterError
from fund.figures import (
    expenditure_stack,
    fan_chart,
    fitted_vs_actual,
    fitted_vs_actual_grid,
)
from fund.montecarlo import MonteCarloResult, monte_carlo
from fund.processes import CIR
from fund.scenarios import expected_scenario


@pytest.fixture(scope="module")
def ensemble() -> MonteCarloResult:
    return monte_carlo(800, 4, rng=3, block_size=200, chunk_size=400)


def test_fan_chart_bands_and_median(ensemble: MonteCarloResult, tmp_path: Path) -> None:
    fig = fan_chart(ensemble, floor=0.0)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    median = np.asarray(ax.lines[0].get_ydata())
    np.testing.assert_allclose(median, ensemble.quantile_table("reserve", [0.5])[0.5])
    assert len(ax.collections) == 2            # two bands
    fig.savefig(tmp_path / "fan.png")
    assert (tmp_path / "fan.png").stat().st_size > 0


def test_fan_chart_on_given_axes_and_from_table(ensemble: MonteCarloResult) -> None:
    fig = Figure()
    ax = fig.add_subplot()
    table = ensemble.quantile_table("income", [0.05, 0.25, 0.5, 0.75, 0.95])
    assert fan_chart(table, ax=ax) is fig
    with pytest.raises(FundParameterError, match="lacks levels"):
        fan_chart(table[[0.5]])


def test_expenditure_stack_heights_add_up() -> None:
    proj = expected_scenario(4).run()
    fig = expenditure_stack(proj)
    poly = fig.axes[0].collections
    assert len(poly) == 6
    frame = proj.to_frame()
    top = max(float(np.max(np.asarray(p.get_paths()[0].vertices)[:, 1])) for p in poly)
    total = frame[["benefits", "refund", "funeral", "medical", "skills", "other"]].sum(axis=1)
    assert top == pytest.approx(total.max())
    with pytest.raises(FundParameterError, match="not columns"):
        expenditure_stack(frame, lines=("benefits", "nothing"))


# the Qinghai fits drawn in the grid have unidentified kappas (nine annual points); the
# warning itself is tested in test_processes_cir.py, here only the figure is checked
@pytest.mark.filterwarnings("ignore::fund.processes.cir_fit.IdentificationWarning")
def test_fitted_vs_actual_single_and_grid() -> None:
    path = CIR(1.0, 0.3, 0.2).simulate(0.3, 30, 1, rng=1)[0]
    fit = CIR.fit(pd.Series(path, index=range(1990, 2021)))
    fig = fitted_vs_actual(fit, title="cir")
    assert fig.axes[0].get_title() == "cir"
    grid = fitted_vs_actual_grid()
    visible = [a for a in grid.axes if a.get_visible()]
    assert len(visible) == 11
    with pytest.raises(FundParameterError, match="'actual' and 'fitted'"):
        fitted_vs_actual(object())
