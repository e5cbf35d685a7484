"""The game-theory subcommands of ``uipolicy``."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from uipolicy.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_derive_monitoring_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "derive", "monitoring", "--format", "json")
    assert code == 0
    data = json.loads(out)
    labels = [eq["label"] for eq in data["equilibria"]]
    # (don't monitor, no effort) is impossible: -U >= -U0 + E contradicts U0 < U, E > 0
    assert "(don't monitor, no effort)" not in labels
    assert "(monitor, effort)" in labels
    assert any(eq["kind"] == "mixed" for eq in data["equilibria"])


def test_derive_benefit_text_and_latex(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "derive", "benefit")
    assert code == 0 and "(don't pay, no effort)" in out and "holds if:        always" in out
    code, out, _ = run(capsys, "derive", "benefit", "--format", "latex")
    assert code == 0 and "\\subsection*{(don't pay, no effort) (pure)}" in out
    assert out.startswith("\\documentclass") and out.rstrip().endswith("\\end{document}")


def test_latex_keeps_braces_and_subscripts(capsys: pytest.CaptureFixture[str]) -> None:
    """Braces in labels are escaped (not eaten by TeX); U1 is U_{1}, not 'U1'."""
    code, out, _ = run(capsys, "derive", "monitoring", "--format", "latex")
    assert code == 0
    assert "mixed \\{monitor, don't monitor\\} x \\{effort, no effort\\}" in out
    code, out, _ = run(capsys, "statics", "monitoring", "--of", "Y", "--wrt", "U1",
                       "--format", "latex")
    assert code == 0 and "\\frac{\\partial Y}{\\partial U_{1}}" in out
    assert "\\partial U1" not in out


def test_verify_latex_has_the_errata(capsys: pytest.CaptureFixture[str]) -> None:
    from gametheory.claims import verify

    code, out, _ = run(capsys, "verify", "--format", "latex")
    assert code == 0
    errata = [v for v in verify() if v.erratum]
    assert errata and out.count("Erratum:") == len(errata)
    # conditions are typeset, not printed in sympy syntax
    assert "R*U" not in out and "**" not in out


def test_statics_json_sign(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "statics", "monitoring", "--of", "Y", "--wrt", "R",
                       "--format", "json")
    assert code == 0
    assert json.loads(out)["sign"] == "positive"


def test_statics_given(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "statics", "monitoring", "--of", "Y", "--wrt", "U",
                       "--given", "E < (U1 - U)*(1 - R)")
    assert code == 0 and "sign: positive (proven)" in out


def test_verify_json_rows(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "verify", "--format", "json")
    rows = json.loads(out)
    assert code == 0 and len(rows) >= 15
    assert {"claim", "status", "condition", "counterexample", "erratum"} <= set(rows[0])


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["statics", "monitoring", "--of", "Y", "--wrt", "Z"], "wrt = 'Z'"),
        (["statics", "monitoring", "--of", "Q", "--wrt", "U"], "of = 'Q'"),
        (["statics", "benefit", "--of", "Y", "--wrt", "U"], "no fully mixed equilibrium"),
        (["statics", "monitoring", "--of", "Y", "--wrt", "U", "--given", "os.system('x') < 1"],
         "only plain function calls are allowed"),
        (["statics", "monitoring", "--of", "Y", "--wrt", "U", "--given", "__import__('os') < 1"],
         "unknown name '__import__'"),
    ],
)
def test_errors_are_one_line_exit_2(capsys: pytest.CaptureFixture[str], argv: str,
                                    needle: str) -> None:
    code, _out, err = run(capsys, *argv)
    assert code == 2
    assert needle in err and err.count("\n") == 1 and "Traceback" not in err


def test_typo_in_subcommand_is_one_line_exit_2() -> None:
    proc = subprocess.run([sys.executable, "-m", "uipolicy", "derivee"], capture_output=True,
                          text=True, check=False)
    assert proc.returncode == 2
    assert "invalid choice: 'derivee'" in proc.stderr and "Traceback" not in proc.stderr


def test_a_given_that_contradicts_the_assumptions_is_one_named_error(
        capsys: pytest.CaptureFixture[str]) -> None:
    """``E < 0`` against the assumption ``E > 0`` leaves no point: every sign would hold
    vacuously, so the command refuses it (exit 2, one line) instead of answering 'unknown'."""
    code = main(["statics", "monitoring", "--of", "Y", "--wrt", "U", "--given", "E < 0"])
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert err.count("\n") == 0 and "given" in err and "contradicts" in err


def test_a_given_that_narrows_the_domain_is_still_answered(
        capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["statics", "monitoring", "--of", "Y", "--wrt", "U", "--given", "E < 1"])
    assert code == 0 and "sign: depends" in capsys.readouterr().out
