"""The ``uipolicy`` face: version, help, lazy imports, checks before work, atomic outputs."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path
from typing import Never

import pytest

import uipolicy
import uipolicy.cli.optimize
import uipolicy.report
from uicore.errors import ParameterError
from uipolicy.cli import build_parser, main

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("sympy", "pandas", "scipy", "matplotlib", "numpy", "nashpy")


def _children(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """The subcommands of ``parser`` by name (argparse keeps them in a private action)."""
    found: dict[str, argparse.ArgumentParser] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            found.update(action.choices)
    return found


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    found: dict[str, argparse.ArgumentParser] = {}
    for name, sub in _children(build_parser()).items():
        found[name] = sub
        for child, subsub in _children(sub).items():
            found[f"{name} {child}"] = subsub
    return found


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"uipolicy {uipolicy.__version__}"


def test_every_subcommand_has_a_description_and_option_help() -> None:
    subs = _subcommands()
    assert {"derive", "statics", "verify", "fund", "fund reproduce", "fund project",
            "optimize", "report"} <= set(subs)
    for name, parser in subs.items():
        assert parser.description and len(parser.description) > 40, name
        for action in parser._actions:
            if action.option_strings and action.dest != "help":
                assert action.help, f"{name} {action.option_strings}"
        assert "optimize.scenario" not in parser.format_help(), name  # no module pointers


@pytest.mark.parametrize("argv", [["--help"], ["report", "--help"], ["fund", "project",
                                                                    "--help"]])
def test_help_imports_no_heavy_library(argv: list[str]) -> None:
    """--help answers without importing sympy, pandas, scipy or matplotlib (lazy imports);
    the time itself is measured by hand, not asserted."""
    code = (f"import sys\nfrom uipolicy.cli import main\ntry:\n    main({argv!r})\n"
            "except SystemExit:\n    pass\n"
            f"print('HEAVY:' + ','.join(m for m in {HEAVY!r} if m in sys.modules))")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, check=True, timeout=60)
    assert proc.stdout.strip().splitlines()[-1] == "HEAVY:"


def test_optimize_plot_checked_before_solving(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    def never(*_args: object) -> Never:
        raise AssertionError("the solver ran before --plot was checked")

    monkeypatch.setattr(uipolicy.cli.optimize, "_run", never)
    for bad, message in (("x.txt", "must end in .png"), ("noext", "must end in .png"),
                         (str(tmp_path / "no" / "a.png"), "does not exist")):
        assert main(["optimize", "--plot", bad]) == 2
        out, err = capsys.readouterr()
        assert out == "" and message in err and err.count("\n") == 1
    assert not (tmp_path / "noext").exists()


@pytest.mark.parametrize(("argv", "message"), [
    (["report", "--seed", "-1"], "--seed = -1"),
    (["report", "--paths", "1000000000"], "must be between 100 and 13,421,772"),
    (["report", "--paths", "5"], "--paths = 5"),
])
def test_report_bad_options_write_nothing(argv: list[str], message: str, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main([*argv, "--out", str(out)]) == 2
    _, err = capsys.readouterr()
    assert message in err and err.count("\n") == 1
    assert not out.exists()


def test_report_failure_leaves_previous_output(monkeypatch: pytest.MonkeyPatch,
                                               tmp_path: Path) -> None:
    """A failure half-way leaves the previous report, figures and tables untouched."""
    out = tmp_path / "out"
    (out / "tables").mkdir(parents=True)
    (out / "report.html").write_text("previous")
    (out / "tables" / "old.csv").write_text("a\n1\n")
    (out / "notes.txt").write_text("mine")

    def half_way(root: Path, *_args: object) -> Never:
        (root / "report.html").write_text("new")
        (root / "tables" / "new.csv").write_text("b\n2\n")
        raise ParameterError("step", 3, "failed on purpose")

    monkeypatch.setattr(uipolicy.report, "_build", half_way)
    with pytest.raises(ParameterError, match="failed on purpose"):
        uipolicy.report.build_report(out, n_paths=100, progress=False)
    assert (out / "report.html").read_text() == "previous"
    assert sorted(p.name for p in (out / "tables").iterdir()) == ["old.csv"]
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt", "report.html", "tables"]


def test_report_success_replaces_old_outputs(monkeypatch: pytest.MonkeyPatch,
                                             tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "tables").mkdir(parents=True)
    (out / "tables" / "stale.csv").write_text("a\n1\n")
    (out / "notes.txt").write_text("mine")

    def quick(root: Path, *_args: object) -> None:
        (root / "report.html").write_text("new")
        (root / "tables" / "new.csv").write_text("b\n2\n")

    monkeypatch.setattr(uipolicy.report, "_build", quick)
    path = uipolicy.report.build_report(out, n_paths=100, progress=False)
    assert path.read_text() == "new"
    assert sorted(p.name for p in (out / "tables").iterdir()) == ["new.csv"]
    assert sorted(p.name for p in out.iterdir()) == ["figures", "notes.txt", "report.html",
                                                      "tables"]
