"""The whole analysis in one self-contained report: ``uipolicy report --out out/``.

Writes ``out/report.html`` (figures embedded as data URIs, no network needed to view it),
the figures as PNG under ``out/figures/`` and the tables as CSV under ``out/tables/``:

1. the two seed-001 games with every equilibrium and its condition;
2. the seed-001 claims with their verdicts and errata;
3. the Qinghai fund: seed-002 tables 9–12 reproduced, the expected projection to 2027
   with its expenditure components, a Monte Carlo fan chart of the reserve, and the
   fitted-vs-actual panels of the parameter processes;
4. the optimal benefit schedule against the status quo, its Pareto frontier, its
   sensitivity table, and Shanghai's step-down tiers at the same budget;
5. an automation shock (seed 000) on the fund, and whether reskilling pays for itself.

Progress goes to stderr as a bar; pass ``progress=False`` to silence it.
"""

from __future__ import annotations

import base64
import html
import io
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import pandas as pd

from uicore.errors import ParameterError
from uipolicy.cli._checks import replace_outputs

__all__ = ["Progress", "build_report"]


class Progress:
    """A one-line progress bar on a text stream (stderr by default)."""

    def __init__(self, total: int, *, stream: TextIO | None = None, width: int = 28,
                 enabled: bool = True) -> None:
        self.total = total
        self.done = 0
        self.stream = stream if stream is not None else sys.stderr
        self.width = width
        self.enabled = enabled
        self.start = time.perf_counter()

    def step(self, label: str) -> None:
        """Mark the next step as started, showing ``label``."""
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


@dataclass
class _Report:
    out: Path
    sections: list[str] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)

    def table(self, name: str, frame: pd.DataFrame, *, index: bool = True,
              floatfmt: str = "{:.6g}") -> str:
        path = self.out / "tables" / f"{name}.csv"
        frame.to_csv(path, index=index)
        self.files.append(path)
        shown = frame.copy()
        for col in shown.columns:
            if pd.api.types.is_float_dtype(shown[col]):
                shown[col] = shown[col].map(lambda v: "" if pd.isna(v) else floatfmt.format(v))
        return shown.to_html(index=index, classes="table", border=0, escape=True)

    def figure(self, name: str, fig: Any, caption: str) -> str:
        path = self.out / "figures" / f"{name}.png"
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
        data = buf.getvalue()
        path.write_bytes(data)
        self.files.append(path)
        uri = "data:image/png;base64," + base64.b64encode(data).decode("ascii")
        return (f'<figure><img src="{uri}" alt="{html.escape(caption)}">'
                f"<figcaption>{html.escape(caption)}</figcaption></figure>")

    def section(self, title: str, *parts: str) -> None:
        self.sections.append(f"<section><h2>{html.escape(title)}</h2>{''.join(parts)}</section>")


def _p(text: str) -> str:
    return f"<p>{html.escape(text)}</p>"


def _games(rep: _Report) -> None:
    from gametheory import models

    parts = [_p("Seed 001 (Zhang 2024): the government (rows) against an unemployed person "
                "(columns). Each equilibrium family holds exactly under its condition; "
                "families impossible under the assumptions are omitted.")]
    for key, game in (("benefit", models.benefit_game()), ("monitoring",
                                                            models.monitoring_game())):
        parts.append(f"<h3>{html.escape(game.name)}</h3>")
        parts.append(_p("Assumptions: " + ", ".join(str(a) for a in game.assumptions)))
        parts.append(rep.table(f"equilibria_{key}", game.to_frame(), index=False))
    g = models.monitoring_game()
    rows = []
    for wrt in ("U", "U1", "R"):
        st = g.statics("Y", wrt)
        rows.append({"static": f"dY*/d{wrt}", "derivative": str(st.derivative),
                     "sign": st.sign, "proven": st.proven})
    st = g.statics("Y", "U", given=["E < (U1 - U)*(1 - R)"])
    rows.append({"static": "dY*/dU given E < (U1-U)(1-R)", "derivative": str(st.derivative),
                 "sign": st.sign, "proven": st.proven})
    parts.append("<h3>Comparative statics of the mixed equilibrium</h3>")
    parts.append(rep.table("statics", pd.DataFrame(rows), index=False))
    rep.section("1. The seed-001 games", *parts)


def _claims(rep: _Report) -> None:
    from gametheory.claims import CLAIMS, verify

    rows = []
    for claim, v in zip(CLAIMS, verify(), strict=True):
        rows.append({"claim": claim.id, "section": claim.section,
                     "statement": claim.statement, "verdict": v.status,
                     "condition": v.condition or "",
                     "counterexample": ", ".join(f"{k}={x}" for k, x in
                                                 (v.counterexample or {}).items()),
                     "erratum": v.erratum or ""})
    rep.section("2. Seed-001 claims: verdicts and errata",
                _p("Each printed claim is re-derived; 'holds only if' gives the condition, "
                   "and every counterexample is an exact point inside the paper's "
                   "assumptions."),
                rep.table("claims", pd.DataFrame(rows), index=False))


def _fund(rep: _Report, n_paths: int, seed: int, progress: Progress) -> None:
    from fund import figures as ff
    from fund.data import total_expenditure
    from fund.montecarlo import monte_carlo
    from fund.reproduce import income_regression, reproduce
    from fund.scenarios import expected_scenario

    repro = reproduce()
    reg = income_regression()
    parts = [_p("Seed 002: the recomputed 2023–2027 forecasts of tables 9–12 from the "
                "seed's own printed inputs, against the printed numbers."),
             rep.table("reproduction", repro, index=False),
             _p(f"(1.2) re-estimated on 2018–2022: {reg}")]
    opening = float(total_expenditure().iloc[-1])
    scenario = expected_scenario(5, opening_reserve=opening)
    projection = scenario.run()
    frame = projection.to_frame()
    parts += [_p(f"Expected projection 2023–2027 (opening reserve {opening:.3f} 亿元 = the "
                 "2022 expenditure; the seed prints no balance)."),
              rep.table("projection", frame),
              rep.figure("expenditure", ff.expenditure_stack(projection),
                         "Expenditure by component and income (100m CNY)")]
    progress.step(f"fund Monte Carlo ({n_paths:,} paths)")
    mc = monte_carlo(n_paths, 5, rng=seed, opening={**scenario.opening},
                     keep=("reserve", "income", "expenditure"), floor=0.0)
    parts += [rep.figure("reserve_fan", ff.fan_chart(mc, floor=0.0),
                         f"Reserve fan chart, {n_paths:,} Monte Carlo paths (100m CNY)"),
              rep.table("reserve_quantiles", mc.quantile_table("reserve")),
              _p(f"Probability that the reserve falls below 0 within the horizon: "
                 f"{mc.prob_below_floor:.4f}.")]
    progress.step("fitting the parameter processes")
    parts.append(rep.figure("fitted_vs_actual", ff.fitted_vs_actual_grid(),
                            "Fitted against actual, every parameter process"))
    rep.section("3. The Qinghai unemployment-insurance fund", *parts)


def _optimum(rep: _Report, progress: Progress) -> None:
    from optimize import default_problem, solve
    from optimize.figures import plot_frontier, plot_optimum
    from optimize.schedules import compare_with_optimum
    from optimize.tradeoffs import pareto_frontier, sensitivity

    problem = default_problem()
    sol = solve(problem)
    sq = problem.evaluate(U0=1530, U=1530, U1=1530, x=0.0)
    rows = []
    for name, ev in (("optimum", sol.evaluation), ("status quo", sq)):
        rows.append({"policy": name, **ev.policy, **ev.behaviour,
                     "min months payable": ev.metrics["min_months_payable"]})
    parts = [_p("The optimal tiers and monitoring probability for the Qinghai 2023–2027 "
                "default problem (objective: re-employment within the entitlement; "
                "docs/explanation/bridge.md lists every default)."),
             rep.table("optimum", pd.DataFrame(rows).set_index("policy")),
             _p("Binding constraints and multipliers: " + ", ".join(
                 f"{k} ({v:.3g})" for k, v in sol.binding.items())),
             rep.figure("optimum_reserve", plot_optimum(
                 sol.evaluation.fund, sq.fund, floor_months=problem.floor_months),
                 "Reserve under the optimum and the status quo")]
    progress.step("Pareto frontier")
    frontier = pareto_frontier(problem, n_points=12)
    parts += [rep.figure("frontier", plot_frontier(frontier),
                         "Pareto frontier: effort and re-employment against spend per claim"),
              rep.table("frontier", frontier, index=False)]
    progress.step("sensitivity of the optimum")
    parts += [_p("Elasticities of the optimum to each default (±1%)."),
              rep.table("sensitivity", sensitivity(problem))]
    progress.step("Shanghai tiers at the same budget")
    parts += [_p("Shanghai's 2023 step-down tiers (2175/1740/1510 元, scaled to Qinghai by "
                 "the minimum-wage ratio 1700/2690) against the optimum with the same spend "
                 "per claim, 24-month entitlement."),
              rep.table("shanghai", compare_with_optimum(problem))]
    rep.section("4. The optimal benefit schedule", *parts)


def _shock(rep: _Report, progress: Progress) -> None:
    from fund.scenarios import expected_scenario
    from fund.shock_figures import plot_shock_reserve
    from fund.shocks import AutomationShock, project_shock
    from optimize import default_problem
    from optimize.tradeoffs import compare_reskilling

    shock = AutomationShock(manufacturing_share=0.15)
    result = project_shock(expected_scenario(5, opening_reserve=6.0), shock)
    parts = [_p("Seed 000's labour-market model drives the fund: automation removes 30% of "
                "manufacturing jobs over five years (manufacturing assumed to be 15% of job "
                "demand); the model's extra unemployment per job, times Qinghai's 2022 "
                "take-up rate, is added to the recipient ratio "
                "(docs/explanation/labour-market.md)."),
             rep.table("shock", result.to_frame()),
             rep.figure("shock_reserve", plot_shock_reserve(result),
                        "Reserve with and without the automation shock")]
    progress.step("reskilling: does it pay for itself?")
    parts += [_p("Reskilling finance as a policy lever next to the tiers (budget 4,500 yuan "
                 "per claim; effect sizes are assumptions, docs/explanation/bridge.md §11)."),
              rep.table("reskilling", compare_reskilling(default_problem(budget=4500.0)))]
    rep.section("5. Automation shock and reskilling finance", *parts)


_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;
max-width:1100px;padding:0 1rem;color:#222;line-height:1.45}
h1{border-bottom:2px solid #345}h2{color:#345;margin-top:2.2rem}
table.table{border-collapse:collapse;font-size:.82rem;margin:.6rem 0;display:block;
overflow-x:auto}table.table td,table.table th{border:1px solid #ccd;padding:.2rem .45rem;
vertical-align:top}table.table th{background:#eef2f6;text-align:left}
figure{margin:1rem 0}figure img{max-width:100%;border:1px solid #dde}
figcaption{font-size:.85rem;color:#555}
"""


def build_report(out: str | Path, *, n_paths: int = 20_000, seed: int = 2023,
                 progress: bool = True) -> Path:
    """Run the whole analysis and write the report; returns the HTML file's path.

    Parameters
    ----------
    out : path
        Output folder (created if missing).
    n_paths : int
        Monte Carlo paths for the fund's fan chart.
    seed : int
        Seed of the Monte Carlo ensemble.
    progress : bool
        Show a progress bar on stderr.

    Raises
    ------
    uicore.errors.ParameterError
        ``n_paths`` is not a positive integer, or ``out`` is not a usable folder.
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
    from uipolicy.cli._checks import max_paths

    limit = max_paths(5, 3)
    if isinstance(n_paths, bool) or not isinstance(n_paths, int) or not 100 <= n_paths <= limit:
        raise ParameterError("n_paths", n_paths, f"must be an integer between 100 and {limit:,} "
                             "(the kept paths must fit in the memory budget)")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ParameterError("seed", seed, "must be an integer >= 0")
    if Path(out).exists() and not Path(out).is_dir():
        raise ParameterError("out", str(out), "exists and is not a folder")


def _build(root: Path, n_paths: int, seed: int, progress: bool) -> None:
    rep = _Report(root)
    bar = Progress(11, enabled=progress)
    steps: list[tuple[str, Callable[[], None]]] = [
        ("deriving the seed-001 games", lambda: _games(rep)),
        ("verifying the seed-001 claims", lambda: _claims(rep)),
        ("reproducing seed 002, projecting the fund", lambda: _fund(rep, n_paths, seed, bar)),
        ("optimising the benefit schedule", lambda: _optimum(rep, bar)),
        ("automation shock", lambda: _shock(rep, bar)),
    ]
    for label, run in steps:
        bar.step(label)
        run()
    bar.step("writing report.html")
    from uipolicy import __version__

    doc = ("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
           "<title>uipolicy report</title><style>" + _CSS + "</style></head><body>"
           "<h1>uipolicy: unemployment-insurance policy report</h1>"
           + _p(f"Generated by uipolicy {__version__}. Games from seed 001 (Zhang 2024), "
                "fund from seed 002 (Qinghai), labour-market driver from seed 000. "
                "Tables are also in tables/*.csv, figures in figures/*.png.")
           + "".join(rep.sections) + "</body></html>")
    (root / "report.html").write_text(doc, encoding="utf-8")
    bar.close()
