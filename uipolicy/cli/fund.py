"""``uipolicy fund``: reproduce seed 002's forecasts and project the Qinghai fund.

Subcommands
-----------
``uipolicy fund reproduce [--format text|json] [--tolerance T]``
    Recompute tables 9–12 (2023–2027) from the seed's printed inputs and compare.  JSON is
    an object carrying everything the text shows: ``rows`` (each ``{"table", "year",
    "quantity", "printed", "computed", "rel_diff"}``), ``max_abs_rel_diff_by_table``,
    ``regression`` (the (1.2) re-estimate), ``constants`` (printed scalars against their
    recomputation), ``tolerance``, ``max_abs_rel_diff`` and ``ok``.  Exit code 1 if some
    ``|rel_diff|`` exceeds the tolerance (default 0.01, must be ``>= 0``).
``uipolicy fund project [--format text|json|csv] [--years N] [--scenario expected|printed]
[--opening-reserve V] [--interest-rate I] [--death-rate D] [--no-gate]
[--negative-reserve borrow|stop] [--shock FILE]``
    Deterministic projection from the Qinghai data (defaults: the ``expected`` scenario
    of :func:`fund.scenarios.expected_scenario` -- the stochastic model with every shock at
    its mean --, 5 years, opening reserve :func:`fund.scenarios.default_opening_reserve`
    (12 months of 2022 expenditure, 6.0882 亿元: an assumption, the seed prints none),
    interest 1.10%, death rate 0, the 2024 coverage gate on refunds and skills subsidies
    and deficits at the one-year LPR; ``--no-gate`` and ``--negative-reserve stop`` change
    the rules, see :mod:`fund.rules`), with the
    months of expenditure payable, the reserve ratio (``reserve_ratio_pct``: reserve as a
    percentage of covered payroll, the US DOL definition) and the average high cost multiple
    on benefits (``ahcm_benefits``, with the 2018–2022 benefit cost rates as history; see
    ``docs/explanation/sustainability.md``).  ``--shock FILE`` applies an automation shock
    read from a TOML file (:func:`fund.shocks.load_shock`) to the recipient ratio and adds
    the columns ``shock_factor``, ``recipients_base`` and ``reserve_base`` (the projection
    without the shock); see ``docs/explanation/labour-market.md``.

``uipolicy fund fits [--format text|json]``
    The CIR fits of the four Qinghai ratios with 95% intervals and, for each, whether the
    yearly sample identifies ``kappa`` and why (:meth:`fund.CIRFit.summary`).

Every input is checked before anything is computed: ``--years`` lies between 1 and the
number of data years (the expected scenario extrapolates trends fitted on them; further
out it is no forecast), rates are fractions (``--interest-rate 5`` is refused with the
hint 0.05), and the whole output is printed only once it is complete.
"""

from __future__ import annotations

import argparse
import json
import math
from typing import Any

from uipolicy.cli._checks import nonnegative_float, rate

#: Data years of the Qinghai tables (2014-2022): the expected scenario's trends are fitted
#: on them, so it projects at most this many years ahead.
DATA_YEARS = (2014, 2022)
MAX_YEARS = DATA_YEARS[1] - DATA_YEARS[0] + 1


def _years(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--years = {text!r}: must be a whole number") \
            from None
    if not 1 <= value <= MAX_YEARS:
        raise argparse.ArgumentTypeError(
            f"--years = {value}: must be between 1 and {MAX_YEARS} (the expected scenario "
            f"extrapolates trends fitted on the {MAX_YEARS} data years "
            f"{DATA_YEARS[0]}-{DATA_YEARS[1]}; further out it is no forecast)")
    return value


def _finite(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--opening-reserve = {text!r}: must be a number (100m CNY)") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"--opening-reserve = {text}: must be finite")
    return value


def register(subparsers: Any) -> None:
    """Add the ``fund`` command and its subcommands to ``subparsers``.

    Parameters
    ----------
    subparsers : argparse._SubParsersAction
        The subparsers of the ``uipolicy`` parser.
    """
    fund = subparsers.add_parser(
        "fund", help="the unemployment-insurance fund model of seed 002",
        description="The unemployment-insurance fund model of seed 002 (Qinghai): "
                    "reproduce the seed's forecasts, or project the fund.")
    sub = fund.add_subparsers(dest="fund_command", metavar="SUBCOMMAND")
    sub.required = True

    rep = sub.add_parser(
        "reproduce", help="recompute seed 002's tables 9-12 and compare with the print",
        description="Recompute the 2023-2027 forecasts of seed 002's tables 9-12 from its "
                    "own printed inputs and compare them with the printed numbers; also "
                    "re-estimate the income regression (1.2) and the printed constants.")
    rep.add_argument("--format", choices=("text", "json"), default="text",
                     help="output format (default: text; json carries every number shown)")
    rep.add_argument("--tolerance", type=nonnegative_float("--tolerance"), default=0.01,
                     help="largest accepted |rel_diff| (>= 0); exit code 1 above it "
                          "(default 0.01)")
    rep.set_defaults(func=_cmd_reproduce)

    proj = sub.add_parser(
        "project", help="deterministic projection of the Qinghai fund",
        description="Deterministic (expected-path) projection of the Qinghai fund from the "
                    "data of seed 002, with the months of expenditure payable, the reserve "
                    "ratio and the average high cost multiple.  Money in 100m CNY (亿元).")
    proj.add_argument("--format", choices=("text", "json", "csv"), default="text",
                      help="output format (default: text)")
    proj.add_argument("--years", type=_years, default=5,
                      help=f"number of years after 2022, 1-{MAX_YEARS} (default 5; at most 5 "
                           "with --scenario printed)")
    proj.add_argument("--scenario", choices=("expected", "printed"), default="expected",
                      help="driver paths: 'expected' (trends and CIR means) or "
                           "'printed' (the seed's 2023-2027 forecasts); default expected")
    proj.add_argument("--opening-reserve", type=_finite, default=None,
                      help="fund reserve at the end of 2022 in 100m CNY (default: 12 months "
                           "of 2022 expenditure, 6.0882 -- an assumption, the seed prints "
                           "none)")
    proj.add_argument("--no-gate", action="store_true",
                      help="pay refunds and skills subsidies whatever the balance (default: "
                           "only while the balance covers 12 months, China's 2024 rule)")
    proj.add_argument("--negative-reserve", choices=("borrow", "stop"), default="borrow",
                      help="a deficit is carried at the one-year LPR (borrow, default) or the "
                           "reserve stops at 0 and the deficit is reported as shortfall")
    proj.add_argument("--interest-rate", type=rate("--interest-rate", lo=-0.05, hi=0.25),
                      default=None,
                      help="yearly interest credited on the reserve, as a fraction "
                           "(default fund.scenarios.DEFAULT_INTEREST_RATE = 0.011, the PBoC "
                           "3-month deposit benchmark)")
    proj.add_argument("--death-rate", type=rate("--death-rate", lo=0.0, hi=0.2),
                      default=0.0,
                      help="yearly death rate of recipients for funeral/survivor spending, "
                           "as a fraction (expected scenario only; default 0)")
    proj.add_argument("--shock", metavar="FILE", default=None,
                      help="automation shock in TOML ([shock] manufacturing_share, "
                           "removed_share, years, start_year, take_up; optional [labour]): "
                           "seed 000's labour model adds to the recipient ratio")
    proj.set_defaults(func=_cmd_project)

    fits = sub.add_parser(
        "fits", help="the CIR ratio fits and whether kappa is identified",
        description="Maximum-likelihood CIR fits of the four Qinghai ratios (recipient "
                    "ratio, months paid, non-eligible share, replacement rate): estimates, "
                    "95% intervals (profile likelihood for kappa) and whether the yearly "
                    "sample identifies kappa, with the reason.")
    fits.add_argument("--format", choices=("text", "json"), default="text",
                      help="output format (default: text)")
    fits.set_defaults(func=_cmd_fits)


def _cmd_fits(args: argparse.Namespace) -> int:
    import warnings

    from fund.processes import RATIOS, IdentificationWarning, fit_ratio

    with warnings.catch_warnings():  # the verdict is printed, not warned
        warnings.simplefilter("ignore", IdentificationWarning)
        fits = {name: fit_ratio(name) for name in RATIOS}
    if args.format == "json":
        out = {}
        for name, fit in fits.items():
            ci = fit.conf_int()
            out[name] = {
                "params": {k: _number(v) for k, v in fit.params.items()},
                "std_errors": {k: _number(v) for k, v in fit.std_errors.items()},
                "conf_int_95": {k: [_number(ci.loc[k, "lower"]), _number(ci.loc[k, "upper"])]
                                for k in ci.index},
                "loglik": fit.loglik, "nobs": fit.nobs,
                "kappa_identified": fit.kappa_identified,
                "identification": fit.identification,
            }
        print(json.dumps(out, indent=2, ensure_ascii=False))
    else:
        print("\n\n".join(f"{name}:\n{fit.summary()}" for name, fit in fits.items()))
    return 0


def _number(x: Any) -> Any:
    if isinstance(x, float) and not math.isfinite(x):
        return None
    return x


def _reproduce_json(rows: Any, args: argparse.Namespace, worst: float) -> str:
    from dataclasses import asdict

    from fund.reproduce import COLUMNS, income_regression, reproduce_constants

    records = [
        {"table": str(r.table), "year": int(r.year), "quantity": str(r.quantity),
         "printed": float(r.printed), "computed": float(r.computed),
         "rel_diff": float(r.rel_diff)}
        for r in rows[COLUMNS].itertuples(index=False)
    ]
    by_table = rows.assign(abs_rel=rows["rel_diff"].abs()).groupby("table")["abs_rel"].max()
    reg = asdict(income_regression())
    reg["years"] = list(reg["years"])
    constants = [{k: _number(v) if isinstance(v, float) else v for k, v in rec.items()}
                 for rec in reproduce_constants().to_dict(orient="records")]
    doc = {"rows": records,
           "max_abs_rel_diff_by_table": {str(t): float(by_table[t]) for t in by_table.index},
           "regression": {k: _number(v) for k, v in reg.items()},
           "constants": constants,
           "tolerance": args.tolerance, "max_abs_rel_diff": worst,
           "ok": worst <= args.tolerance}
    return json.dumps(doc, ensure_ascii=False, indent=2)


def _reproduce_text(rows: Any, args: argparse.Namespace, worst: float) -> str:
    from fund.reproduce import income_regression, reproduce_constants

    summary = rows.assign(abs_rel=rows["rel_diff"].abs()).groupby("table")["abs_rel"].max()
    lines = [
        "Seed 002, 2023-2027 forecasts: printed vs recomputed from the printed inputs "
        "(100m CNY)",
        rows.to_string(index=False, formatters={
            "printed": "{:.6f}".format, "computed": "{:.6f}".format,
            "rel_diff": "{:+.4%}".format}),
        "",
        "max |rel_diff| by table: " + ", ".join(
            f"table {t}: {summary[t]:.4%}" for t in sorted(summary.index, key=int)),
        "",
        repr(income_regression()),
        reproduce_constants().to_string(index=False, formatters={
            "printed": "{:.6g}".format, "computed": "{:.6g}".format,
            "rel_diff": "{:+.4%}".format}),
        "",
        f"tolerance {args.tolerance:g}: " + ("ok" if worst <= args.tolerance
                                             else f"EXCEEDED (max {worst:.4%})"),
    ]
    return "\n".join(lines)


def _cmd_reproduce(args: argparse.Namespace) -> int:
    from fund.reproduce import reproduce

    rows = reproduce()
    worst = float(rows["rel_diff"].abs().max())
    fmt = _reproduce_json if args.format == "json" else _reproduce_text
    print(fmt(rows, args, worst))
    return 0 if worst <= args.tolerance else 1


def _rules(args: argparse.Namespace) -> Any:
    from fund.rules import CHINA_2024, FundRules

    return FundRules(gate_months=None if getattr(args, "no_gate", False)
                     else CHINA_2024.gate_months,
                     negative_reserve=getattr(args, "negative_reserve", "borrow"))


def _projection_frame(args: argparse.Namespace) -> Any:
    from fund.data import qinghai
    from fund.metrics import (
        average_high_cost_multiple,
        benefit_cost_rate,
        months_payable,
        reserve_ratio,
    )
    from fund.scenarios import (
        DEFAULT_INTEREST_RATE,
        default_opening_reserve,
        expected_scenario,
        printed_scenario,
    )
    from fund.shocks import load_shock, project_shock

    if args.interest_rate is None:
        args.interest_rate = DEFAULT_INTEREST_RATE
    if args.opening_reserve is None:
        args.opening_reserve = default_opening_reserve()
    rules = _rules(args)

    shock = load_shock(args.shock) if getattr(args, "shock", None) is not None else None
    if args.scenario == "printed":
        scenario = printed_scenario(args.years, opening_reserve=args.opening_reserve,
                                    interest_rate=args.interest_rate, rules=rules)
    else:
        scenario = expected_scenario(args.years, opening_reserve=args.opening_reserve,
                                     interest_rate=args.interest_rate,
                                     death_rate=args.death_rate, rules=rules)
    if shock is None:
        projection = scenario.run()
        frame = projection.to_frame()
    else:
        result = project_shock(scenario, shock)
        projection = result.shocked_projection
        frame = projection.to_frame()
        base = result.baseline_projection.to_frame()
        frame["shock_factor"] = result.factors["factor"]
        frame["recipients_base"] = base["recipients"]
        frame["reserve_base"] = base["reserve"]
    frame["months_payable"] = months_payable(frame["reserve"], frame["expenditure"])
    payroll = frame["payroll"]
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
        text = json.dumps(records, ensure_ascii=False, indent=2)
    elif args.format == "csv":
        text = frame.to_csv(float_format="%.6f").rstrip("\n")
    else:
        shocked = f" with the automation shock of {args.shock}" if args.shock else ""
        text = (f"Qinghai UI fund, {args.scenario} scenario{shocked}, money in 100m CNY "
                f"(opening reserve {args.opening_reserve:.4f} at end-2022, "
                f"interest {args.interest_rate:g}); rules: {_rules(args)}\n"
                + frame.to_string(float_format=lambda v: f"{v:.4f}"))
    print(text)
    return 0
