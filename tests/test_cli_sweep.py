"""``uipolicy sweep``: the whole file is checked before any work; output appears complete
or not at all."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Never

import pandas as pd
import pytest
from scipy import stats

from optimize.robustness import sweep
from uipolicy.cli import main

GOOD = """
[claimants]
n_nodes = 6

[uncertain.C_median]
distribution = "lognorm"
s = 0.3
scale = 600.0
source = "assumption"
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sweep.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _leftovers(tmp_path: Path) -> list[str]:
    return sorted(p.name for p in tmp_path.iterdir() if p.name != "sweep.toml")


def test_a_sweep_writes_its_table_summaries_and_figure(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, GOOD)
    out = tmp_path / "out"
    assert main(["sweep", str(path), "--draws", "2", "--seed", "5", "--out", str(out),
                 "--quiet"]) == 0
    names = {p.name for p in out.iterdir()}
    assert {"summary.csv", "binding.csv", "robustness.png", "priors.csv",
            "manifest.json"} <= names
    table = (pd.read_parquet(out / "draws.parquet") if "draws.parquet" in names
             else pd.read_csv(out / "draws.csv"))
    api = sweep({"C_median": stats.lognorm(0.3, scale=600.0)}, n_draws=2, seed=5,
                fixed={"n_nodes": 6}).frame
    assert table["C_median"].tolist() == pytest.approx(api["C_median"].tolist(), rel=1e-15)
    assert table["U1"].tolist() == pytest.approx(api["U1"].tolist(), rel=1e-15)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["draws"] == 2 and manifest["seed"] == 5
    assert _leftovers(tmp_path) == ["out"]
    assert "wrote" in capsys.readouterr().out


@pytest.mark.parametrize(("text", "match"), [
    (GOOD.replace('scale = 600.0', 'scale = -600.0'), r"uncertain.C_median = .*impossible"),
    (GOOD.replace('"lognorm"', '"__import__"'), r"uncertain.C_median.distribution"),
    (GOOD.replace("[uncertain.C_median]", "[uncertain.C_sigma]")
         .replace('"lognorm"', '"norm"').replace("s = 0.3\n", ""), r"support"),
    (GOOD.replace('source = "assumption"', 'source = ""'), r"source"),
    (GOOD + "\n[problem]\nfloor = 2000.0\n", r"floor"),
    (GOOD + "\n[sweeep]\nx = 1\n", r"unknown section \[sweeep\]"),
    ("[claimants]\nn_nodes = 6\n", r"needs an \[uncertain\] table"),
])
def test_a_bad_file_is_one_line_exit_2_and_nothing_written(tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str],
                                                           text: str, match: str) -> None:
    path = _write(tmp_path, text)
    code = main(["sweep", str(path), "--draws", "3", "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err.strip()
    assert code == 2 and len(err.splitlines()) == 1
    assert re.search(match, err), err
    assert _leftovers(tmp_path) == []


def test_a_scheduler_that_does_not_answer_fails_within_the_timeout(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, GOOD)
    t0 = time.perf_counter()
    code = main(["sweep", str(path), "--draws", "3", "--scheduler", "tcp://127.0.0.1:9",
                 "--timeout", "1", "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err.strip()
    assert code == 2 and len(err.splitlines()) == 1
    assert "no Dask scheduler answered at tcp://127.0.0.1:9 within 1 s" in err
    assert time.perf_counter() - t0 < 15
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize("args", [["--draws", "0"], ["--draws", "2", "--workers", "0"],
                                  ["--draws", "2", "--seed", "-1"]])
def test_bad_options_are_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                      args: list[str]) -> None:
    path = _write(tmp_path, GOOD)
    assert main(["sweep", str(path), *args, "--out", str(tmp_path / "out")]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
    assert _leftovers(tmp_path) == []


def test_an_interrupted_sweep_leaves_the_earlier_results_alone(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import optimize.robustness as rob

    def interrupted(recipe: object, item: object) -> Never:
        raise KeyboardInterrupt

    out = tmp_path / "out"
    out.mkdir()
    (out / "manifest.json").write_text("earlier sweep", encoding="utf-8")
    monkeypatch.setattr(rob, "_solve_draw", interrupted)
    path = _write(tmp_path, GOOD)
    with pytest.raises(KeyboardInterrupt):
        main(["sweep", str(path), "--draws", "2", "--out", str(out), "--quiet"])
    assert [p.name for p in out.iterdir()] == ["manifest.json"]
    assert (out / "manifest.json").read_text(encoding="utf-8") == "earlier sweep"
