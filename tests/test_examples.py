"""Every script in examples/ runs and tells its story."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"

#: What each example must print (a word of its story), so a silent failure cannot pass.
EXPECT = {
    "derive_monitoring_equilibrium.py": "\\frac{\\partial Y^*}{\\partial R}",
    "check_a_claim.py": "claim 2 (a higher fine raises inspection): fails",
    "reproduce_qinghai.py": "largest relative difference per table",
    "automation_shock.py": "reserve lost by 2027",
    "optimise_from_scenario.py": "objective = ",
}


def test_every_example_is_listed() -> None:
    assert sorted(p.name for p in EXAMPLES.glob("*.py")) == sorted(EXPECT)


@pytest.mark.parametrize("name", sorted(EXPECT))
def test_example_runs(name: str, tmp_path: Path) -> None:
    env = os.environ | {"MPLBACKEND": "Agg", "PYTHONPATH": str(ROOT)}
    args = [sys.executable, str(EXAMPLES / name)]
    if name == "automation_shock.py":
        args.append(str(tmp_path / "shock.png"))
    proc = subprocess.run(args, capture_output=True, text=True, env=env, cwd=tmp_path,
                          timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    assert EXPECT[name] in proc.stdout
    if name == "automation_shock.py":
        assert (tmp_path / "shock.png").stat().st_size > 10_000
