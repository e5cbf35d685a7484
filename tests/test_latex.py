"""Every ``--format latex`` output of the command line compiles with pdflatex.

pdflatex comes from Debian's ``texlive-latex-base`` (``.ci/run`` installs it in CI); where
it is missing the test skips and says so.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
from pathlib import Path

import pytest

from uipolicy.cli import main

PDFLATEX = shutil.which("pdflatex")

LATEX_COMMANDS = [
    ["derive", "benefit"],
    ["derive", "monitoring"],
    ["statics", "monitoring", "--of", "Y", "--wrt", "U1"],
    ["statics", "monitoring", "--of", "Y", "--wrt", "U"],
    ["statics", "monitoring", "--of", "X", "--wrt", "C0"],
    ["statics", "monitoring", "--of", "Y", "--wrt", "U", "--given", "E < (U1 - U)*(1 - R)"],
    ["verify"],
]


def test_every_latex_command_is_listed() -> None:
    """Each subcommand with a latex format is compiled below (a new one must be added)."""
    from uipolicy.cli import build_parser

    parser = build_parser()
    with_latex = set()
    for action in parser._actions:
        if not isinstance(action, argparse._SubParsersAction):  # argparse keeps them here
            continue
        for name, sub in action.choices.items():
            for opt in sub._actions:
                if "--format" in opt.option_strings and "latex" in (opt.choices or ()):
                    with_latex.add(name)
    assert with_latex == {argv[0] for argv in LATEX_COMMANDS}


@pytest.mark.skipif(PDFLATEX is None, reason="pdflatex not installed (Debian package "
                    "texlive-latex-base; .ci/run installs it)")
@pytest.mark.parametrize("argv", LATEX_COMMANDS, ids=" ".join)
def test_latex_output_compiles(argv: list[str], tmp_path: Path,
                               capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*argv, "--format", "latex"]) == 0
    source = capsys.readouterr().out
    (tmp_path / "doc.tex").write_text(source, encoding="ascii")  # pdflatex-safe: ASCII only
    assert PDFLATEX is not None  # the skipif above
    proc = subprocess.run([PDFLATEX, "-interaction=nonstopmode", "-halt-on-error",
                           "-no-shell-escape", "doc.tex"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=120, check=False)
    errors = [line for line in proc.stdout.splitlines() if line.startswith("!")]
    assert proc.returncode == 0, errors or proc.stdout[-2000:]
    assert (tmp_path / "doc.pdf").read_bytes()[:5] == b"%PDF-"
