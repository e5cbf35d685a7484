"""Every ``uipolicy`` command shown in a shell block of the docs or the README runs.

The ``>>>`` examples run as doctests; this covers the command lines (```sh blocks), so a
renamed option or subcommand cannot leave the docs behind.  Commands that write files
write them into a temporary folder.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from uipolicy.cli import build_parser, main

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
BLOCK = re.compile(r"```sh\n(.*?)```", re.S)


def commands() -> list[tuple[str, str]]:
    found = []
    for page in PAGES:
        for block in BLOCK.findall(page.read_text(encoding="utf-8")):
            for raw in block.splitlines():
                line = raw.split("#", 1)[0].strip()
                words = shlex.split(line)
                if words and Path(words[0]).name == "uipolicy":
                    found.append((page.relative_to(ROOT).as_posix(), line))
    return found


def test_the_docs_show_commands() -> None:
    assert len(commands()) >= 8


@pytest.mark.parametrize(("page", "line"), commands())
def test_command_runs(page: str, line: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                      capsys: pytest.CaptureFixture[str], request: pytest.FixtureRequest) -> None:
    monkeypatch.chdir(tmp_path)
    words = shlex.split(line)[1:]
    words = [str(ROOT / w) if (ROOT / w).is_file() else w for w in words]
    if words[0] == "report":
        # the full report is built once per run (fixture built_report, fewer Monte Carlo
        # paths); here the command line must parse, and the build it asks for must exist
        args = build_parser().parse_args(words)
        assert args.func.__module__ == "uipolicy.cli.report"
        assert request.getfixturevalue("built_report")[1].is_file()
        return
    code = main(words)
    _, err = capsys.readouterr()
    assert code == 0, f"{page}: {line!r} failed: {err}"
