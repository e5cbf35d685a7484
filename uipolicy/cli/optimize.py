"""``uipolicy optimize``: the best benefit tiers and monitoring probability.

``uipolicy optimize [--scenario FILE] [--format text|json] [--plot FILE]`` solves the
Qinghai default problem (or the scenario file's), prints the optimal policy with its
binding constraints and multipliers next to the status quo, and optionally draws the
Pareto frontier and the reserve paths.
"""

from __future__ import annotations

import argparse
import json
import math
from typing import Any


def _clean(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def _run(args: argparse.Namespace) -> int:
    from optimize import default_problem, solve
    from optimize.scenario import problem_from_toml

    problem = problem_from_toml(args.scenario) if args.scenario else default_problem()
    sol = solve(problem, method=args.method)
    sq_level = float(problem.notes.get("status_quo", problem.cap))
    status_quo = problem.evaluate(U0=sq_level, U=sq_level, U1=sq_level, x=0.0)
    if args.plot:
        import matplotlib.pyplot as plt

        from optimize.figures import plot_frontier, plot_optimum
        from optimize.tradeoffs import pareto_frontier

        fig, axes = plt.subplots(1, 2, figsize=(12, 4.2))
        plot_frontier(pareto_frontier(problem, n_points=10), ax=axes[0])
        plot_optimum(sol.evaluation.fund, status_quo.fund, floor_months=problem.floor_months,
                     ax=axes[1])
        fig.tight_layout()
        fig.savefig(args.plot, dpi=120)
        plt.close(fig)
    if args.format == "json":
        out = {"objective_name": problem.objective, "policy": sol.policy,
               "objective": sol.objective, "binding": sol.binding, "message": sol.message,
               "evaluation": sol.evaluation.to_dict(),
               "status_quo": status_quo.to_dict()}
        print(json.dumps(_clean(out), indent=2, ensure_ascii=False))
        return 0
    print(f"objective: {problem.objective} ({sol.message})")
    print(f"{'':22}{'optimum':>12}{'status quo':>12}")
    for k in sol.policy:
        print(f"{k:22}{sol.policy[k]:12.3f}{status_quo.policy.get(k, 0.0):12.3f}")
    for k in ("effort_share", "reemployment_rate", "months_paid", "reskilling_per_claim",
              "spend_per_claim"):
        print(f"{k:22}{sol.evaluation.behaviour[k]:12.3f}{status_quo.behaviour[k]:12.3f}")
    print(f"{'min months payable':22}{sol.evaluation.metrics['min_months_payable']:12.2f}"
          f"{status_quo.metrics['min_months_payable']:12.2f}")
    print("binding constraints (multiplier = objective gained per unit of slack):")
    for name, lam in sol.binding.items():
        print(f"  {name:20} {lam:.6g}")
    if args.plot:
        print(f"figure written to {args.plot}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``optimize`` to the ``uipolicy`` parser."""
    p = sub.add_parser("optimize", help="optimal benefit tiers and monitoring probability")
    p.add_argument("--scenario", help="TOML scenario file (see optimize.scenario)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--plot", help="write the frontier and reserve figure to this file")
    p.add_argument("--method", choices=("slsqp", "global"), default="slsqp")
    p.set_defaults(func=_run)
