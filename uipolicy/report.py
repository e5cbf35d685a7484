"""The whole analysis as an analyst's brief: ``uipolicy report --out out/``.

Writes ``out/report.html`` (self-contained: figures as data URIs, mathematics as MathML,
no network needed), the figures as PNG under ``out/figures/`` and the tables as CSV under
``out/tables/``.  The page opens with a one-screen summary (the recommended schedule,
monitoring rate, effect on effort, re-employment and spend per claim, the reserve and the
probability of breaching its floor, each against the status quo, and the assumptions that
drive them), then a glossary, five sections and an appendix of raw tables.

Units follow :mod:`uipolicy.fmt`: CNY per person, 100m CNY (亿元) for the fund, ASCII in
figures and text so no glyph renders as a box where no CJK font is installed.

Every reserve on the page states its baseline.  The summary and section 4 use the
optimiser's fund model (the seed-002 fund with the benefit line replaced by the policy's
spending, :mod:`optimize.fundlink`); section 3 shows the seed-002 model itself.  Both
start from the same opening reserve.

The page is built in a temporary folder inside ``out`` and moved into place only when
complete (:func:`uipolicy.cli._checks.replace_outputs`).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from uicore.errors import ParameterError
from uipolicy.cli._checks import max_paths, replace_outputs
from uipolicy.report_parts import Page, build_sections

__all__ = ["Progress", "build_report"]

#: Years of the report's horizon (2023-2027) and quantities its Monte Carlo keeps.
HORIZON_YEARS, KEPT_QUANTITIES = 5, 4


class Progress:
    """A one-line progress bar on a text stream (stderr by default).

    Parameters
    ----------
    total : int
        Number of steps.
    stream : text stream, keyword-only, optional
        Where to draw (default ``sys.stderr``).
    width : int, keyword-only
        Characters of the bar.
    enabled : bool, keyword-only
        Draw nothing when false.

    Examples
    --------
    >>> import io
    >>> buf = io.StringIO()
    >>> bar = Progress(2, stream=buf)
    >>> bar.step("one"); bar.close()
    >>> "2/2" in buf.getvalue()
    True
    """

    def __init__(self, total: int, *, stream: TextIO | None = None, width: int = 28,
                 enabled: bool = True) -> None:
        self.total = total
        self.done = 0
        self.stream = stream if stream is not None else sys.stderr
        self.width = width
        self.enabled = enabled
        self.start = time.perf_counter()

    def step(self, label: str) -> None:
        """Mark the next step as started, showing ``label``.

        Parameters
        ----------
        label : str
            What the step does.
        """
        if not self.enabled:
            return
        filled = int(self.width * self.done / self.total)
        bar = "#" * filled + "-" * (self.width - filled)
        elapsed = time.perf_counter() - self.start
        self.stream.write(f"\r[{bar}] {self.done}/{self.total} {elapsed:5.1f}s {label:<44}")
        self.stream.flush()
        self.done += 1

    def close(self) -> None:
        """Fill the bar and end the line."""
        if not self.enabled:
            return
        elapsed = time.perf_counter() - self.start
        self.stream.write(f"\r[{'#' * self.width}] {self.total}/{self.total} "
                          f"{elapsed:5.1f}s {'done':<44}\n")
        self.stream.flush()


def build_report(out: str | Path, *, n_paths: int = 20_000, seed: int = 2023,
                 progress: bool = True) -> Path:
    """Run the whole analysis and write the report; returns the HTML file's path.

    Parameters
    ----------
    out : str or pathlib.Path
        Output folder (created if missing).  Only ``report.html``, ``figures/`` and
        ``tables/`` in it are replaced, and only once everything succeeded.
    n_paths : int, keyword-only
        Monte Carlo paths of the fund (100 up to the memory budget, 13,421,772 for
        the default budget; see :func:`uipolicy.cli._checks.max_paths`).
    seed : int, keyword-only
        Seed (``>= 0``) of the Monte Carlo ensemble.
    progress : bool, keyword-only
        Show a progress bar on stderr.

    Returns
    -------
    pathlib.Path
        ``out/report.html``.

    Raises
    ------
    uicore.errors.ParameterError
        ``n_paths`` or ``seed`` out of range, or ``out`` not a usable folder; raised
        before any work starts.

    Examples
    --------
    >>> build_report("out", n_paths=5)
    Traceback (most recent call last):
    ...
    uicore.errors.ParameterError: n_paths = 5: must be an integer between 100 and ...
    """
    _check_inputs(out, n_paths, seed)
    root = Path(out)
    created = not root.exists()
    try:
        root.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".report-", dir=root))
    except OSError as exc:
        raise ParameterError("out", str(out), f"cannot create the folder: {exc.strerror}"
                             ) from None
    try:
        for sub in ("figures", "tables"):
            (work / sub).mkdir()
        _build(work, n_paths, seed, progress)
        replace_outputs(work, root, ("report.html", "figures", "tables"))
    except BaseException:
        if created:
            shutil.rmtree(root, ignore_errors=True)
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return root / "report.html"


def _check_inputs(out: str | Path, n_paths: int, seed: int) -> None:
    limit = max_paths(HORIZON_YEARS, KEPT_QUANTITIES)
    if isinstance(n_paths, bool) or not isinstance(n_paths, int) or not 100 <= n_paths <= limit:
        raise ParameterError("n_paths", n_paths, f"must be an integer between 100 and "
                             f"{limit:,} (the kept paths must fit in the memory budget)")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ParameterError("seed", seed, "must be an integer >= 0")
    if Path(out).exists() and not Path(out).is_dir():
        raise ParameterError("out", str(out), "exists and is not a folder")


def _build(root: Path, n_paths: int, seed: int, progress: bool) -> None:
    page = Page(root)
    bar = Progress(9, enabled=progress)
    steps: list[tuple[str, Callable[[], None]]] = build_sections(page, n_paths, seed)
    for label, run in steps:
        bar.step(label)
        run()
    bar.step("writing report.html")
    (root / "report.html").write_text(page.html(), encoding="utf-8")
    bar.close()
