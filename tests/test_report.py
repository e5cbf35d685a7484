"""``uipolicy report``: one self-contained HTML page with every part of the analysis."""

from __future__ import annotations

import base64
import re
import shutil
import subprocess

import pytest

from uipolicy.cli import main
from uipolicy.report import build_report

FIGURES = ("expenditure", "reserve_fan", "fitted_vs_actual", "optimum_reserve", "frontier",
           "shock_reserve")
TABLES = ("equilibria_benefit", "equilibria_monitoring", "statics", "claims", "reproduction",
          "projection", "reserve_quantiles", "optimum", "frontier", "sensitivity",
          "shanghai", "shock", "reskilling")


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    path = build_report(out, n_paths=2000, progress=False)
    return out, path


def test_report_files(report):
    out, path = report
    assert path == out / "report.html"
    for name in FIGURES:
        data = (out / "figures" / f"{name}.png").read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000
    for name in TABLES:
        text = (out / "tables" / f"{name}.csv").read_text(encoding="utf-8")
        assert text.count("\n") >= 2, name


def test_report_is_self_contained(report):
    _, path = report
    page = path.read_text(encoding="utf-8")
    # every figure embedded as a PNG data URI that decodes to the PNG written beside it
    uris = re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', page)
    assert len(uris) == len(FIGURES)
    assert all(base64.b64decode(u)[:4] == b"\x89PNG" for u in uris)
    assert "http://" not in page and "https://" not in page  # nothing fetched to view it
    for heading in ("1. The seed-001 games", "2. Seed-001 claims", "3. The Qinghai",
                    "4. The optimal benefit schedule", "5. Automation shock"):
        assert heading in page


def test_report_content_is_the_analysis(report):
    _, path = report
    page = path.read_text(encoding="utf-8")
    assert "(don&#x27;t pay, no effort)" in page or "(don't pay, no effort)" in page
    assert "holds only if" in page and "fails" in page  # verdicts, not just claims
    assert "step-down tiers" in page


def test_cli_report_progress_on_stderr(tmp_path, capsys):
    code = main(["report", "--out", str(tmp_path / "o"), "--paths", "500"])
    out, err = capsys.readouterr()
    assert code == 0 and "report written to" in out
    assert "[####" in err and "done" in err


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="no chromium on this machine (Debian package "
                    "'chromium'); make test installs none")
def test_report_renders_in_chromium(report, tmp_path):
    """Headless Chromium renders the page; the screenshot is large and not blank."""
    _, path = report
    shot = tmp_path / "shot.png"
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
           "--no-first-run", "--disable-background-networking", "--disable-component-update",
           "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}",
           f"--screenshot={shot}", "--window-size=1200,3000", path.as_uri()]
    subprocess.run(cmd, capture_output=True, timeout=120, check=False)
    assert shot.exists(), "chromium wrote no screenshot"
    from matplotlib.image import imread

    img = imread(shot)
    assert img.shape[0] >= 2000 and img.shape[1] >= 1000
    # rendered figures: many distinct colours, not a blank or error page
    colours = {tuple(px) for px in (img[::40, ::40, :3] * 255).astype(int).reshape(-1, 3)}
    assert len(colours) > 50
