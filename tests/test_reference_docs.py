"""The committed API reference pages equal what ``uipolicy.refdoc`` generates."""

from pathlib import Path

import pytest

from uipolicy.refdoc import render

DOCS = Path(__file__).resolve().parents[1] / "docs" / "reference"


@pytest.mark.parametrize("package", ["gametheory", "fund", "optimize"])
def test_reference_page_is_current(package):
    page = DOCS / f"{package}.md"
    assert page.read_text(encoding="utf-8") == render(package), (
        f"docs/reference/{package}.md is stale: run "
        f"'python -m uipolicy.refdoc {package} > docs/reference/{package}.md'"
    )
