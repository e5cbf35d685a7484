"""The committed API reference pages equal what ``uipolicy.refdoc`` generates."""

from pathlib import Path

import pytest

from uipolicy.refdoc import render

DOCS = Path(__file__).resolve().parents[1] / "docs" / "reference"

#: Package -> its generated page under docs/reference.
PAGES = {
    "uicore": "uicore.md",
    "gametheory": "gametheory.md",
    "fund": "fund.md",
    "fund.processes": "fund.processes.md",
    "optimize": "optimize.md",
}


@pytest.mark.parametrize("package", sorted(PAGES))
def test_reference_page_is_current(package: str) -> None:
    page = DOCS / PAGES[package]
    assert page.read_text(encoding="utf-8") == render(package), (
        f"docs/reference/{PAGES[package]} is stale: run "
        f"'python -m uipolicy.refdoc {package} > docs/reference/{PAGES[package]}'"
    )


def test_pages_carry_the_numpydoc_sections() -> None:
    # Entries typed here from the docstrings of fund.CIR, fund.CIR.fit and
    # fund.metrics.months_payable: a parameter, a return type, an exception, a method's
    # parameter and a member of an exported module all reach the page.
    page = (DOCS / "fund.md").read_text(encoding="utf-8")
    for line in (
        "- `kappa` : float — Speed of mean reversion, > 0 (per unit of time).",
        "### `CIR.fit(cls, series_: 'Any', dt: 'float' = 1.0, *, kappa_max: 'float | None' "
        "= None) -> 'CIRFit'`",
        "- `kappa_max` : float, optional — Upper end of the search range for ``kappa`` "
        "(default ``100 / dt``).",
        "- fund.errors.FitError — If the series is not numeric, too short, has a value that "
        "is not a finite number > 0 (the message names the observation), or is constant.",
        "### `metrics.months_payable(reserve: 'ArrayLike', expenditure: 'ArrayLike') -> "
        "'Array'`",
    ):
        assert line in page.splitlines(), line


@pytest.mark.parametrize("package", sorted(PAGES))
def test_pages_leave_the_examples_to_the_module_doctests(package: str) -> None:
    assert ">>>" not in (DOCS / PAGES[package]).read_text(encoding="utf-8")
