"""``uipolicy optimize``: the best benefit tiers and monitoring probability.

``uipolicy optimize [--scenario FILE] [--format text|json] [--plot FILE]`` solves the
Qinghai default problem (or the scenario file's), prints the optimal policy with its
binding constraints and multipliers next to the status quo, and optionally draws the
Pareto frontier and the reserve paths.

Every input is checked before the solver starts: the scenario file is read and validated,
and ``--plot`` must name a figure type matplotlib writes (``.png``, ``.pdf``, ``.svg``,
...) in an existing folder.  The figure is written to a temporary file and moved into
place only when it is complete; the results are printed in full or not at all.
"""

from __future__ import annotations

import argparse
import json
import math
from typing import Any

from uipolicy.cli._checks import atomic_file, check_figure_path

SCENARIO_HELP = ("TOML scenario file overriding the defaults: [problem] objective, floor, cap, "
                 "budget, floor_months; [claimants]; [fund] opening_reserve, interest_rate, "
                 "entitlement_months, monitoring_cost, status_quo; [chance]; [reskilling] "
                 "(example: examples/scenario.toml; docs/howto/new-constraint.md)")


def _clean(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def _figure(problem: Any, sol: Any, status_quo: Any) -> Any:
    from matplotlib.figure import Figure

    from optimize.figures import plot_frontier, plot_optimum
    from optimize.tradeoffs import pareto_frontier

    fig = Figure(figsize=(12, 4.2))
    axes = fig.subplots(1, 2)
    plot_frontier(pareto_frontier(problem, n_points=10), ax=axes[0])
    plot_optimum(sol.evaluation.fund, status_quo.fund, floor_months=problem.floor_months,
                 ax=axes[1])
    fig.tight_layout()
    return fig


def _text(problem: Any, sol: Any, status_quo: Any) -> str:
    lines = [f"objective: {problem.objective} ({sol.message})",
             f"{'':22}{'optimum':>12}{'status quo':>12}"]
    for k in sol.policy:
        lines.append(f"{k:22}{sol.policy[k]:12.3f}{status_quo.policy.get(k, 0.0):12.3f}")
    for k in ("effort_share", "reemployment_rate", "months_paid", "reskilling_per_claim",
              "spend_per_claim"):
        lines.append(f"{k:22}{sol.evaluation.behaviour[k]:12.3f}"
                     f"{status_quo.behaviour[k]:12.3f}")
    lines.append(f"{'min months payable':22}{sol.evaluation.metrics['min_months_payable']:12.2f}"
                 f"{status_quo.metrics['min_months_payable']:12.2f}")
    lines.append("binding constraints (multiplier = objective gained per unit of slack):")
    lines += [f"  {name:20} {lam:.6g}" for name, lam in sol.binding.items()]
    return "\n".join(lines)


def _run(args: argparse.Namespace) -> int:
    from optimize import default_problem, solve
    from optimize.scenario import problem_from_toml

    problem = problem_from_toml(args.scenario) if args.scenario else default_problem()
    sol = solve(problem, method=args.method)
    sq_level = float(problem.notes.get("status_quo", problem.cap))
    status_quo = problem.evaluate(U0=sq_level, U=sq_level, U1=sq_level, x=0.0)
    if args.format == "json":
        out = {"objective_name": problem.objective, "policy": sol.policy,
               "objective": sol.objective, "binding": sol.binding, "message": sol.message,
               "evaluation": sol.evaluation.to_dict(),
               "status_quo": status_quo.to_dict()}
        if args.plot:
            out["figure"] = str(args.plot)
        text = json.dumps(_clean(out), indent=2, ensure_ascii=False)
    else:
        text = _text(problem, sol, status_quo)
        if args.plot:
            text += f"\nfigure written to {args.plot}"
    if args.plot:
        fig = _figure(problem, sol, status_quo)
        with atomic_file(args.plot) as tmp:
            fig.savefig(tmp, dpi=120, format=args.plot.suffix.lstrip(".").lower())
    print(text)
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]  # argparse's private generic
    """Add ``optimize`` to the ``uipolicy`` parser.

    Parameters
    ----------
    sub : argparse._SubParsersAction
        The subparsers of the ``uipolicy`` parser.
    """
    p = sub.add_parser(
        "optimize", help="optimal benefit tiers and monitoring probability",
        description="The benefit tiers (U0 < U < U1, CNY a month) and monitoring "
                    "probability x that maximise re-employment (or effort, or minimise "
                    "cost) subject to the fund staying above its floor, against the "
                    "status quo of a flat benefit without monitoring.")
    p.add_argument("--scenario", metavar="FILE", help=SCENARIO_HELP)
    p.add_argument("--format", choices=("text", "json"), default="text",
                   help="output format (default: text; json carries every number shown)")
    p.add_argument("--plot", metavar="FILE", type=check_figure_path("--plot"),
                   help="also draw the Pareto frontier and the reserve paths to FILE "
                        "(.png, .pdf, .svg, .svgz, .eps or .ps)")
    p.add_argument("--method", choices=("auto", "slsqp", "global"), default="auto",
                   help="solver: auto (default: SLSQP from a grid-screened start, scipy's "
                        "differential evolution where the best response is sharp), slsqp, "
                        "or global (differential evolution)")
    p.set_defaults(func=_run)
