"""``uipolicy fund``: reproduce seed 002's forecasts and project the Qinghai fund.

Subcommands
-----------
``uipolicy fund reproduce [--format text|json] [--tolerance T]``
    Recompute tables 9–12 (2023–2027) from the seed's printed inputs and compare.  JSON is
    a list of rows ``{"table", "year", "quantity", "printed", "computed", "rel_diff"}``
    (a public contract).  Exit code 1 if some ``|rel_diff|`` exceeds the tolerance
    (default 0.01).
``uipolicy fund project [--format text|json|csv] [--years N] [--scenario expected|printed]
[--opening-reserve V] [--interest-rate I] [--death-rate D] [--shock FILE]``
    Deterministic projection from the Qinghai data (defaults: the ``expected`` scenario
    of :func:`fund.scenarios.expected_scenario`, 5 years, opening reserve 0 亿元 at the
    end of 2022 because the seed prints none, interest 1.10%, death rate 0), with the
    months of expenditure payable, the reserve ratio (``reserve_ratio_pct``: reserve as a
    percentage of covered payroll, the US DOL definition) and the average high cost multiple
    on benefits (``ahcm_benefits``, with the 2018–2022 benefit cost rates as history; see
    ``docs/explanation/sustainability.md``).  ``--shock FILE`` applies an automation shock
    read from a TOML file (:func:`fund.shocks.load_shock`) to the recipient ratio and adds
    the columns ``shock_factor``, ``recipients_base`` and ``reserve_base`` (the projection
    without the shock); see ``docs/explanation/labour-market.md``.
"""

from __future__ import annotations

import argparse
import json
import math
from typing import Any

import pandas as pd

from fund.data import qinghai
from fund.metrics import (
    average_high_cost_multiple,
    benefit_cost_rate,
    months_payable,
    reserve_ratio,
)
from fund.reproduce import COLUMNS, income_regression, reproduce, reproduce_constants
from fund.scenarios import DEFAULT_INTEREST_RATE, expected_scenario, printed_scenario
from fund.shocks import load_shock, project_shock


def register(subparsers: Any) -> None:
    """Add the ``fund`` command and its subcommands to ``subparsers``."""
    fund = subparsers.add_parser(
        "fund", help="the unemployment-insurance fund model of seed 002",
        description="The unemployment-insurance fund model of seed 002 (Qinghai).")
    sub = fund.add_subparsers(dest="fund_command", metavar="SUBCOMMAND")
    sub.required = True

    rep = sub.add_parser(
        "reproduce", help="recompute seed 002's tables 9-12 and compare with the print",
        description="Recompute the 2023-2027 forecasts of seed 002's tables 9-12 from its "
                    "own printed inputs and compare them with the printed numbers.")
    rep.add_argument("--format", choices=("text", "json"), default="text",
                     help="output format (default: text)")
    rep.add_argument("--tolerance", type=float, default=0.01,
                     help="largest accepted |rel_diff|; exit code 1 above it (default 0.01)")
    rep.set_defaults(func=_cmd_reproduce)

    proj = sub.add_parser(
        "project", help="deterministic projection of the Qinghai fund",
        description="Deterministic (expected-path) projection of the Qinghai fund from the "
                    "data of seed 002.")
    proj.add_argument("--format", choices=("text", "json", "csv"), default="text",
                      help="output format (default: text)")
    proj.add_argument("--years", type=int, default=5,
                      help="number of years after 2022 (default 5; at most 5 with "
                           "--scenario printed)")
    proj.add_argument("--scenario", choices=("expected", "printed"), default="expected",
                      help="driver paths: 'expected' (trends and CIR means, any horizon) or "
                           "'printed' (the seed's 2023-2027 forecasts); default expected")
    proj.add_argument("--opening-reserve", type=float, default=0.0,
                      help="fund reserve at the end of 2022 in 亿元 (default 0: the seed "
                           "prints none, so the reserve column is the cumulative balance)")
    proj.add_argument("--interest-rate", type=float, default=DEFAULT_INTEREST_RATE,
                      help="interest credited on the reserve (default 0.011, the PBoC "
                           "3-month deposit benchmark)")
    proj.add_argument("--death-rate", type=float, default=0.0,
                      help="yearly death rate of recipients for funeral/survivor spending "
                           "(expected scenario only; default 0)")
    proj.add_argument("--shock", metavar="FILE", default=None,
                      help="automation shock in TOML ([shock] manufacturing_share, "
                           "removed_share, years, start_year, elasticity; optional [labour]): "
                           "seed 000's labour model scales the recipient ratio")
    proj.set_defaults(func=_cmd_project)


def _number(x: Any) -> Any:
    if isinstance(x, float) and not math.isfinite(x):
        return None
    return x


def _cmd_reproduce(args: argparse.Namespace) -> int:
    rows = reproduce()
    worst = float(rows["rel_diff"].abs().max())
    if args.format == "json":
        records = [
            {"table": str(r.table), "year": int(r.year), "quantity": str(r.quantity),
             "printed": float(r.printed), "computed": float(r.computed),
             "rel_diff": float(r.rel_diff)}
            for r in rows[COLUMNS].itertuples(index=False)
        ]
        print(json.dumps(records, ensure_ascii=False, indent=2))
    else:
        print("Seed 002, 2023-2027 forecasts: printed vs recomputed from the printed inputs "
              "(亿元)")
        print(rows.to_string(index=False, formatters={
            "printed": "{:.6f}".format, "computed": "{:.6f}".format,
            "rel_diff": "{:+.4%}".format}))
        print()
        summary = rows.assign(abs_rel=rows["rel_diff"].abs()).groupby("table")["abs_rel"].max()
        print("max |rel_diff| by table: " + ", ".join(
            f"table {t}: {summary[t]:.4%}" for t in sorted(summary.index, key=int)))
        print()
        print(repr(income_regression()))
        print(reproduce_constants().to_string(index=False, formatters={
            "printed": "{:.6g}".format, "computed": "{:.6g}".format,
            "rel_diff": "{:+.4%}".format}))
        print()
        print(f"tolerance {args.tolerance:g}: " + ("ok" if worst <= args.tolerance
                                                   else f"EXCEEDED (max {worst:.4%})"))
    return 0 if worst <= args.tolerance else 1


def _projection_frame(args: argparse.Namespace) -> pd.DataFrame:
    if args.scenario == "printed":
        scenario = printed_scenario(args.years, opening_reserve=args.opening_reserve,
                                    interest_rate=args.interest_rate)
    else:
        scenario = expected_scenario(args.years, opening_reserve=args.opening_reserve,
                                     interest_rate=args.interest_rate,
                                     death_rate=args.death_rate)
    shock = getattr(args, "shock", None)
    if shock is None:
        projection = scenario.run()
        frame = projection.to_frame()
    else:
        result = project_shock(scenario, load_shock(shock))
        projection = result.shocked_projection
        frame = projection.to_frame()
        base = result.baseline_projection.to_frame()
        frame["shock_factor"] = result.factors["factor"]
        frame["recipients_base"] = base["recipients"]
        frame["reserve_base"] = base["reserve"]
    rate = float(projection.assumptions["contribution_rate"])
    frame["months_payable"] = months_payable(frame["reserve"], frame["expenditure"])
    payroll = frame["contribution_base"] / rate
    frame["reserve_ratio_pct"] = 100.0 * reserve_ratio(frame["reserve"], payroll)
    actual = qinghai().loc[2018:2022]
    history = benefit_cost_rate(actual["benefit_expenditure_100m_yuan"],
                                actual["covered_10k"] * actual["urban_wage_yuan"] * 1e-4)
    frame["ahcm_benefits"] = average_high_cost_multiple(
        frame["reserve"], payroll, benefit_cost_rate(frame["benefits"], payroll),
        history=history)
    return frame


def _cmd_project(args: argparse.Namespace) -> int:
    frame = _projection_frame(args)
    if args.format == "json":
        records = [{"year": int(year), **{k: _number(float(v)) for k, v in row.items()}}
                   for year, row in frame.iterrows()]
        print(json.dumps(records, ensure_ascii=False, indent=2))
    elif args.format == "csv":
        print(frame.to_csv(float_format="%.6f"), end="")
    else:
        shocked = f" with the automation shock of {args.shock}" if args.shock else ""
        print(f"Qinghai UI fund, {args.scenario} scenario{shocked}, money in 亿元 "
              f"(opening reserve {args.opening_reserve:g} at end-2022, "
              f"interest {args.interest_rate:g})")
        print(frame.to_string(float_format=lambda v: f"{v:.4f}"))
    return 0
