"""The options of ``baily_chetty`` that pose the static trade-off as the month-by-month
welfare criterion does (docs/explanation/welfare.md): an entropy effort cost (the logit's),
a job-finding probability per unit of search, and benefits financed at a marginal cost of
public funds -- against a brute force coded from the model's statement, Chetty's formula,
the published default, and bad values named.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from scipy import special

from optimize.classics import baily_chetty
from optimize.errors import PolicyParameterError


def _logit_welfare(b: float, *, gamma: float, w: float, h: float, k: float, c: float,
                   R: float, mcpf: float) -> float:
    """(E[u] - u(w)) / u'(w) - mcpf (1 - e) b, the worker's search a logit; from the text."""

    def u(x: float) -> float:
        return float(np.log(x)) if gamma == 1 else x ** (1 - gamma) / (1 - gamma)

    s = float(special.expit((R * (u(w) - u(b + h)) - c) / k))
    psi = c * s + k * (s * np.log(s) + (1 - s) * np.log(1 - s))
    e = R * s
    return float(((1 - e) * (u(b + h) - u(w)) - psi) / w ** -gamma - mcpf * (1 - e) * b)


def test_entropy_cost_with_mcpf_against_a_brute_force() -> None:
    kw: dict[str, Any] = {"gamma": 2.0, "w": 1.0, "h": 0.3, "k": 0.05, "c": 0.1,
                          "R": 0.7, "mcpf": 1.25}
    bc = baily_chetty(risk_aversion=2.0, wage=1.0, home=0.3, cost_scale=0.05,
                      effort_cost="entropy", search_cost=0.1, job_finding=0.7, mcpf=1.25)
    grid = np.linspace(0.0, 1.0, 20001)
    values = [_logit_welfare(b, **kw) for b in grid]
    best = grid[int(np.argmax(values))]
    assert abs(best - bc.benefit) <= 1e-4
    assert bc.welfare == pytest.approx(_logit_welfare(bc.benefit, **kw), abs=1e-12)
    assert bc.contribution == 0.0
    assert bc.gap == pytest.approx(bc.rhs, abs=1e-7)
    assert 0.05 < bc.employment / 0.7 < 0.99  # the search probability is interior


def test_chettys_formula_holds_for_the_entropy_cost_with_a_balanced_budget() -> None:
    bc = baily_chetty(effort_cost="entropy", cost_scale=0.05, search_cost=0.05,
                      job_finding=0.9)
    assert bc.gap == pytest.approx(bc.elasticity / bc.employment, abs=1e-6)
    assert bc.rhs == pytest.approx(bc.elasticity / bc.employment, rel=1e-12)
    assert bc.contribution * bc.employment == pytest.approx(
        (1 - bc.employment) * bc.benefit, rel=1e-9)


def test_the_published_default_is_unchanged_by_the_options() -> None:
    # the options at their defaults are the published model (tests/optimize/test_classics)
    assert baily_chetty() == baily_chetty(effort_cost="log", search_cost=0.0,
                                          job_finding=1.0, mcpf=None)


@pytest.mark.parametrize(("kwargs", "name"), [
    ({"effort_cost": "quadratic"}, "effort_cost"),
    ({"search_cost": -0.1}, "search_cost"),
    ({"search_cost": "a"}, "search_cost"),
    ({"job_finding": 0.0}, "job_finding"),
    ({"job_finding": 1.5}, "job_finding"),
    ({"mcpf": 0.5}, "mcpf"),
    ({"mcpf": "x"}, "mcpf"),
])
def test_bad_options_are_named(kwargs: dict[str, Any], name: str) -> None:
    with pytest.raises(PolicyParameterError, match=rf"^{name} = "):
        baily_chetty(**kwargs)
