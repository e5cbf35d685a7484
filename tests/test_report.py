"""``uipolicy report``: one self-contained HTML brief, built once per test run.

The report comes from the session fixture ``built_report`` (tests/conftest.py).  The
browser test renders it in headless Chromium (Debian's ``chromium``; ``.ci/run`` installs
it in CI) and checks what a reader sees: no glyph drawn as a box, nothing wider than the
window, every image loaded, the summary on the first screen.
"""

from __future__ import annotations

import base64
import html
import json
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import uipolicy.report
from uipolicy.cli import main

FIGURES = ("reserve_fan", "frontier", "expenditure", "fitted_vs_actual", "backtest",
           "shock_reserve")
TABLES = ("optimum", "optimum_raw", "sensitivity", "sensitivity_all", "frontier",
          "projection", "projection_raw", "reproduction", "equilibria_benefit",
          "equilibria_monitoring", "statics", "claims", "shanghai", "reskilling", "shock",
          "backtest_errors")


@pytest.fixture(scope="module")
def page(built_report: tuple[Path, Path]) -> str:
    return built_report[1].read_text(encoding="utf-8")


def visible_text(page: str) -> str:
    """The page's text without tags, styles and data URIs."""
    text = re.sub(r"<style>.*?</style>", " ", page, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    return html.unescape(text)


def test_report_files(built_report: tuple[Path, Path]) -> None:
    out, path = built_report
    assert path == out / "report.html"
    for name in FIGURES:
        data = (out / "figures" / f"{name}.png").read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000
    for name in TABLES:
        text = (out / "tables" / f"{name}.csv").read_text(encoding="utf-8")
        assert text.count("\n") >= 2, name
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no temporary left


def test_report_is_self_contained(page: str) -> None:
    uris = re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', page)
    assert len(uris) == len(FIGURES)
    assert all(base64.b64decode(u)[:4] == b"\x89PNG" for u in uris)
    assert "http://" not in page and "https://" not in page  # nothing fetched to view it
    assert "<script" not in page


def test_summary_first_then_glossary_sections_appendix(page: str) -> None:
    ids = re.findall(r"<section id=['\"]([a-z]+)['\"]", page)
    assert ids[0] == "summary"
    assert ids[-2:] == ["glossary", "appendix"]
    assert {"recommended", "risk", "tradeoffs", "fund", "games", "claims", "shanghai",
            "shock"} <= set(ids)
    # every in-page link points to a section that exists
    for target in set(re.findall(r"href=['\"]#([a-z]+)['\"]", page)):
        assert target in ids, target


def test_summary_states_each_figure_against_the_status_quo(page: str,
                                                           built_report: tuple[Path, Path]) -> None:
    out, _ = built_report
    raw = pd.read_csv(out / "tables" / "optimum_raw.csv", index_col=0)
    rec, sq = raw.loc["recommended"], raw.loc["status quo"]
    summary = visible_text(page.split("<nav>", maxsplit=1)[0].split("id='summary'")[1])
    # the numbers, formatted here from the raw CSV
    for col in ("effort_share", "reemployment_rate"):
        assert f"{100 * rec[col]:.1f}%" in summary and f"{100 * sq[col]:.1f}%" in summary
        assert f"{100 * (rec[col] - sq[col]):+.1f} pp" in summary
    assert f"{rec['spend_per_claim']:,.0f} CNY" in summary
    assert f"{sq['spend_per_claim']:,.0f} CNY" in summary
    assert f"{100 * (rec['spend_per_claim'] / sq['spend_per_claim'] - 1):+.1f}%" in summary
    assert f"{rec['U1']:,.0f} CNY/month" in summary and f"{rec['U0']:,.0f} CNY/month" in summary
    assert f"{rec['reserve_2027']:.2f}" in summary and f"{sq['reserve_2027']:.2f}" in summary
    assert "Probability of breaching the floor" in summary and "status quo" in summary
    assert "Opening reserve" in summary  # the baseline of every reserve


def test_every_figure_and_section_is_interpreted(page: str) -> None:
    captions = re.findall(r"<figcaption>(.*?)</figcaption>", page, flags=re.S)
    assert len(captions) == len(FIGURES)
    for cap in captions:
        sentence = visible_text(cap).split(".", 1)[1]
        assert re.search(r"\d", sentence), cap  # a finding computed from the numbers
    for body in re.findall(r"<section id='?\"?(?!summary|glossary|appendix)[a-z]+.*?</section>",
                           page, flags=re.S):
        assert "class=\"finding\"" in body or "<figcaption>" in body


def test_shock_sentence_matches_its_table(page: str, built_report: tuple[Path, Path]) -> None:
    out, _ = built_report
    shock = pd.read_csv(out / "tables" / "shock.csv", index_col=0)
    rel = shock["reserve_shock"].iloc[-1] / shock["reserve_base"].iloc[-1] - 1
    word = "negligible" if abs(rel) < 0.01 else "material"
    assert f"changes the 2027 reserve by {100 * rel:+.2f}%" in visible_text(page)
    assert f"{word}." in visible_text(page)


def test_mathematics_is_mathml_not_sympy_syntax(page: str) -> None:
    assert page.count("<math") > 30
    text = visible_text(re.sub(r"<math.*?</math>", " ", page, flags=re.S))
    body = text.split("Appendix: raw tables")[0]
    assert "**" not in body and "Ne(" not in body and "IncomeRegression(" not in body


def test_no_cjk_and_every_character_in_the_first_font(page: str) -> None:
    """Text is ASCII-unit'd (no 元 that could render as a box) and every character is in
    DejaVu Sans, the first font of the page's stack (matplotlib bundles the same font)."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    chars = set(visible_text(page))
    assert not [c for c in chars if unicodedata.east_asian_width(c) in ("W", "F")]
    font = FT2Font(font_manager.findfont("DejaVu Sans", fallback_to_default=False))
    covered = set(font.get_charmap())
    missing = [c for c in chars if not c.isspace() and ord(c) not in covered]
    assert not missing


def test_figures_drew_no_missing_glyph(built_report: tuple[Path, Path]) -> None:
    out, _ = built_report
    warnings = (out.parent / "report-warnings.txt").read_text()
    assert "Glyph" not in warnings and "missing from" not in warnings


def test_cli_report_progress_on_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI passes its options to the builder and shows the bar on stderr."""
    seen: dict[str, object] = {}

    def fake_build(root: Path, n_paths: int, seed: int, progress: bool) -> None:
        seen.update(n_paths=n_paths, seed=seed)
        bar = uipolicy.report.Progress(1, enabled=progress)
        bar.step("one step")
        (root / "report.html").write_text("x")
        bar.close()

    monkeypatch.setattr(uipolicy.report, "_build", fake_build)
    code = main(["report", "--out", str(tmp_path / "o"), "--paths", "500", "--seed", "7"])
    out, err = capsys.readouterr()
    assert code == 0 and "report written to" in out
    assert seen == {"n_paths": 500, "seed": 7}
    assert "[####" in err and "done" in err


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHECK_JS = """
<script>
window.addEventListener('load', () => {
  const vw = document.documentElement.clientWidth;
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && (r.right > vw + 1 || r.left < -1)) {
      wide.push(el.tagName + (el.id ? '#' + el.id : '') + ' ' + Math.round(r.right));
    }
  }
  const imgs = [...document.images];
  const s = document.getElementById('summary').getBoundingClientRect();
  const out = {vw: vw, scrollWidth: document.documentElement.scrollWidth,
               wide: wide.slice(0, 10), nwide: wide.length, images: imgs.length,
               broken: imgs.filter(i => !(i.complete && i.naturalWidth > 0)).length,
               summaryTop: s.top, summaryBottom: s.bottom, height: window.innerHeight,
               text: document.body.innerText};
  const pre = document.createElement('pre');
  pre.id = 'uipolicy-check';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
});
</script>
"""
WINDOW = (1366, 900)


def chromium_check(report: Path, tmp_path: Path) -> dict[str, Any]:
    """Render a copy of the report with a measuring script; return what it measured."""
    assert CHROMIUM is not None  # callers skip without chromium
    probe = report.parent / ".probe.html"
    probe.write_text(report.read_text(encoding="utf-8").replace("</body>", CHECK_JS
                                                                + "</body>"), encoding="utf-8")
    try:
        cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
               "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync",
               f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=20000",
               f"--window-size={WINDOW[0]},{WINDOW[1]}", "--dump-dom", probe.as_uri()]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=False)
    finally:
        probe.unlink()
    found = re.search(r'<pre id="uipolicy-check">(.*?)</pre>', proc.stdout, flags=re.S)
    assert found, f"chromium measured nothing: {proc.stderr[-2000:]}"
    return dict(json.loads(html.unescape(found.group(1))))


def font_covers(char: str) -> bool:
    """Whether some installed font (fontconfig) has a glyph for ``char``."""
    fc = shutil.which("fc-list")
    assert fc is not None, "fontconfig's fc-list is needed to check glyph coverage"
    proc = subprocess.run([fc, f":charset={ord(char):x}", "family"], capture_output=True,
                          text=True, timeout=60, check=True)
    return bool(proc.stdout.strip())


@pytest.mark.skipif(CHROMIUM is None, reason="no chromium on this machine (Debian package "
                    "'chromium'; .ci/run installs it in CI)")
def test_report_renders_in_chromium(built_report: tuple[Path, Path], tmp_path: Path) -> None:
    _, path = built_report
    seen = chromium_check(path, tmp_path)
    assert seen["broken"] == 0 and seen["images"] == len(FIGURES)
    assert seen["nwide"] == 0, seen["wide"]
    assert seen["scrollWidth"] <= seen["vw"]
    # the whole summary is on the first screen
    assert 0 <= seen["summaryTop"] and seen["summaryBottom"] <= seen["height"], seen
    # no tofu: every character the browser shows has a glyph in an installed font
    assert shutil.which("fc-list"), "fontconfig's fc-list comes with chromium"
    rendered = {c for c in seen["text"] if not c.isspace() and ord(c) > 127}
    assert not [c for c in sorted(rendered) if not font_covers(c)]
    assert "Summary" in seen["text"] and "CNY" in seen["text"]
