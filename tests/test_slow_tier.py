"""The slow tier's list (``tests/slow.txt``) points at real tests, and its matching rule.

An entry that no longer names a test would silently move nothing, and a loose prefix
would move more than it says; both are checked here without collecting the suite.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import SLOW_LIST, is_slow, slow_entries

ROOT = Path(__file__).resolve().parents[1]


def _names_in(path: Path) -> set[str]:
    text = path.read_text(encoding="utf-8")
    return set(re.findall(r"^\s*(?:async\s+)?(?:def|class)\s+(\w+)", text, flags=re.MULTILINE))


@pytest.mark.parametrize("entry", slow_entries())
def test_every_entry_names_an_existing_test(entry: str) -> None:
    file, _, rest = entry.partition("::")
    path = ROOT / file
    assert path.is_file(), f"{entry}: no file {file}"
    assert rest, f"{entry}: names a whole file; list its tests"
    if path.suffix == ".md":  # a page of doctests: pytest names the item after the file
        assert rest == path.name, entry
        return
    parts = rest.split("[", 1)[0].split("::")
    if file.startswith("tests/"):  # test functions (and classes)
        missing = set(parts) - _names_in(path)
    else:  # doctests of a module: its dotted name, then the object's qualified name
        module = file.removesuffix(".py").replace("/", ".")
        dotted = parts[0]
        assert dotted == module or dotted.startswith(module + "."), entry
        missing = set(dotted.removeprefix(module).split(".")[1:]) - _names_in(path)
    assert not missing, f"{entry}: {sorted(missing)} not defined in {file}"


def test_entries_are_unique_and_the_list_is_the_one_conftest_reads() -> None:
    entries = slow_entries()
    assert len(entries) == len(set(entries))
    assert SLOW_LIST == ROOT / "tests" / "slow.txt"
    assert entries, "an empty slow tier: make test-slow would run nothing"


def test_matching_rule(tmp_path: Path) -> None:
    listing = tmp_path / "slow.txt"
    listing.write_text("# header\n\ntests/a.py::test_x  # 4 s\ntests/b.py::test_y[big\n",
                       encoding="utf-8")
    entries = slow_entries(listing)
    assert entries == ["tests/a.py::test_x", "tests/b.py::test_y[big"]
    assert is_slow("tests/a.py::test_x", entries)
    assert is_slow("tests/a.py::test_x[1-2]", entries)
    assert not is_slow("tests/a.py::test_xy", entries)  # a longer name is another test
    assert not is_slow("tests/a.py::test_x_fast[1]", entries)
    assert is_slow("tests/b.py::test_y[big game]", entries)
    assert not is_slow("tests/b.py::test_y[small]", entries)
    assert not is_slow("tests/b.py::test_y", entries)
