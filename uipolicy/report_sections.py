"""The analysis behind each section of the report (see :mod:`uipolicy.report`).

Each function computes one part, adds its section to the :class:`~uipolicy.report_parts.Page`
and leaves what later parts and the summary need in ``state``.  Every sentence that
interprets a table or figure is computed from the numbers it interprets.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from uipolicy.fmt import bp, cny, num, pct, pp, signed_pct
from uipolicy.report_parts import Formatter, Page, esc, finding, para

__all__ = ["claims", "ensemble", "fund", "games", "optimum", "shanghai", "shock",
           "tradeoffs"]

#: Relative change of a reserve below which the report calls an effect negligible.
NEGLIGIBLE = 0.01
_SHARE = {"effort_share": "effort share", "reemployment_rate": "re-employment within "
          "the entitlement", "months_paid": "months paid per claim"}
_MONEY = ("benefit_per_claim", "monitoring_per_claim", "reskilling_per_claim",
          "spend_per_claim")


def _objective_words(objective: str) -> str:
    return {"reemployment": "re-employment within the entitlement",
            "effort": "the effort share", "cost": "spend per claim"}.get(objective, objective)


def optimum(page: Page, state: dict[str, Any]) -> None:
    """Solve the default problem; the recommended policy against the status quo."""
    from optimize import default_problem, solve

    problem = default_problem()
    sol = solve(problem)
    level = float(problem.notes.get("status_quo", problem.cap))
    sq = problem.evaluate(U0=level, U=level, U1=level, x=0.0)
    state.update(problem=problem, sol=sol, sq=sq, sq_level=level)
    rows = []
    for name, ev in (("recommended", sol.evaluation), ("status quo", sq)):
        rows.append({"policy": name, **ev.policy, **ev.behaviour,
                     "min_months_payable": ev.metrics["min_months_payable"],
                     "reserve_2027": float(ev.fund["reserve"].iloc[-1])})
    frame = pd.DataFrame(rows).set_index("policy")
    money = {k: cny for k in ("U0", "U", "U1", *_MONEY)}
    shares = {k: pct for k in ("x", "effort_share", "reemployment_rate", "threshold",
                               "threshold_undefined")}
    table = page.table("optimum", frame, formats={
        **money, **shares, "months_paid": lambda v: num(v, 2),
        "min_months_payable": lambda v: num(v, 1), "reserve_2027": lambda v: num(v, 2)},
        caption="Recommended policy and status quo; reserve_2027 in 100m CNY")
    b, q = sol.evaluation.behaviour, sq.behaviour
    sentence = (f"Against the status quo (a flat {cny(level, per='month')}, nobody monitored), "
                f"the recommended policy changes the effort share by "
                f"{pp(b['effort_share'] - q['effort_share'])}, re-employment within the "
                f"entitlement by {pp(b['reemployment_rate'] - q['reemployment_rate'])} and "
                f"spend per claim by "
                f"{signed_pct(b['spend_per_claim'] / q['spend_per_claim'] - 1)}.")
    page.section(1, "recommended", "The recommended policy",
                 para(f"The benefit tiers and monitoring probability that maximise "
                      f"{_objective_words(problem.objective)} for the Qinghai 2023-2027 "
                      "default problem, subject to the fund keeping at least "
                      f"{num(problem.floor_months, 0)} months of expenditure in reserve. "
                      "Under monitoring a claimant who searches gets U1 and one who does "
                      "not gets U0; unmonitored claimants get U. " + sol.message + "."),
                 table, finding(sentence), para(_binding_sentence(sol, problem)))
    page.appendix.append(page.table("optimum_raw", frame))


def _binding_sentence(sol: Any, problem: Any) -> str:
    words = []
    for name, lam in sol.binding.items():
        if name.startswith("x"):
            words.append(f"'{name}' (monitoring everyone; worth {lam * 10:.3g} pp of the "
                         "objective per 10 pp more monitoring if it were possible)")
        else:
            words.append(f"'{name}' (relaxing it by 100 CNY changes the objective by "
                         f"{lam * 100 * 100:.3g} pp)")
    if not words:
        return "No constraint binds: the optimum is interior."
    return ("Binding constraints, with what relaxing them would gain (Lagrange multipliers): "
            + "; ".join(words) + ".")


def ensemble(page: Page, state: dict[str, Any], n_paths: int, seed: int) -> None:
    """Monte Carlo of the fund under both policies: fan chart and floor breaches."""
    from matplotlib.figure import Figure

    problem, sol, sq = state["problem"], state["sol"], state["sq"]
    scen = problem.fund.ensemble(n_paths, rng=seed)
    f = problem.floor_months / 12.0
    years = list(sol.evaluation.fund.index)
    fig = Figure(figsize=(7.5, 4.2))
    ax = fig.subplots()
    breach = {}
    for label, ev, colour in (("recommended", sol.evaluation, "C0"),
                              ("status quo", sq, "C3")):
        spend = ev.behaviour["spend_per_claim"] - ev.behaviour.get("reskilling_per_claim", 0)
        reserve = scen.a + scen.b * spend
        expenditure = scen.e + scen.p * spend
        breach[label] = float(np.mean(np.any(reserve < f * expenditure, axis=1)))
        q = np.quantile(reserve, [0.05, 0.5, 0.95], axis=0)
        ax.fill_between(years, q[0], q[2], color=colour, alpha=0.18, linewidth=0,
                        label=f"{label}: 5-95% of paths")
        ax.plot(years, q[1], color=colour, marker="o", label=f"{label}: median")
        if label == "recommended":
            ax.plot(years, np.median(f * expenditure, axis=0), color="k", linestyle=":",
                    label=f"floor: {problem.floor_months:g} months of expenditure (median)")
    ax.set_xticks(years)
    ax.set_xlabel("year")
    ax.set_ylabel("reserve at year end (100m CNY)")
    ax.grid(alpha=0.3)
    ax.legend(fontsize="small", loc="upper left")
    state.update(breach=breach, n_paths=n_paths, seed=seed)
    words = (f"the reserve falls below {problem.floor_months:g} months of expenditure in some "
             f"year 2023-2027 on {pct(breach['recommended'], 2)} of paths under the "
             f"recommended policy and on {pct(breach['status quo'], 2)} under the status quo")
    page.section(2, "risk", "The fund's reserve and the risk of breaching its floor",
                 para(f"{n_paths:,} Monte Carlo paths (seed {seed}) of the seed-002 fund "
                      "model's drivers (recipients, wages, coverage, refunds), with the "
                      "benefit line replaced by each policy's spending. Baseline: the same "
                      "paths and opening reserve for both policies."),
                 page.figure("reserve_fan", fig, "Reserve under the recommended policy and "
                             "the status quo, Monte Carlo quantiles",
                             f"Across {n_paths:,} paths, {words}."))


def games(page: Page) -> None:
    """The seed-001 games: every equilibrium with its condition, rendered as MathML."""
    import sympy as sp

    from gametheory import models
    from uipolicy.formulas import mathml

    parts = [para("Seed 001 (Zhang 2024): the government (rows) against an unemployed "
                  "person (columns). Each equilibrium family holds exactly under its "
                  "conditions; families impossible under the assumptions are omitted.")]
    for key, game in (("benefit", models.benefit_game()),
                      ("monitoring", models.monitoring_game())):
        eqs = game.equilibria()
        parts.append(f"<h3>{esc(game.name)}</h3><p>Assumptions: "
                     + ", ".join(mathml(a) for a in game.assumptions) + "</p>")
        items = []
        for eq in eqs:
            conds = list(eq.condition.args) if isinstance(eq.condition, sp.And) \
                else [eq.condition]
            shown = "always" if eq.condition is sp.true else "<ul>" + "".join(
                f"<li>{mathml(c)}</li>" for c in conds) + "</ul>"
            strat = (f"government plays {mathml(sp.Matrix([list(eq.row)]))}, the unemployed "
                     f"person {mathml(sp.Matrix([list(eq.col)]))}")
            items.append(f"<li><b>{esc(eq.label)}</b> ({esc(eq.kind)}): {strat}; holds "
                         f"if {shown}</li>")
        parts.append("<ul class='eqs'>" + "".join(items) + "</ul>")
        parts.append(finding(f"The {key} game has {len(eqs)} equilibrium "
                             f"famil{'y' if len(eqs) == 1 else 'ies'} under its assumptions."))
        page.appendix.append(page.table(f"equilibria_{key}", game.to_frame(), index=False))
    parts.append(_statics(page, models.monitoring_game()))
    page.section(5, "games", "The games behind behaviour (seed 001)", *parts)


def _statics(page: Page, game: Any) -> str:
    import sympy as sp

    from uipolicy.formulas import mathml

    rows, items = [], []
    cases: list[tuple[str, list[str]]] = [("U", []), ("U1", []), ("R", []),
                                          ("U", ["E < (U1 - U)*(1 - R)"])]
    for wrt, given in cases:
        st = game.statics("Y", wrt, given=given)
        lhs = sp.Derivative(sp.Symbol("Y*"), game.params[wrt])
        cond = f" given {esc(given[0])}" if given else ""
        items.append(f"<li>{mathml(sp.Eq(lhs, st.derivative, evaluate=False))}{cond}: "
                     f"<b>{esc(st.sign)}</b>{' (proven)' if st.proven else ''}</li>")
        rows.append({"derivative": f"dY*/d{wrt}" + (f" given {given[0]}" if given else ""),
                     "expression": str(st.derivative), "sign": st.sign,
                     "proven": st.proven})
    frame = pd.DataFrame(rows)
    page.appendix.append(page.table("statics", frame, index=False))
    signs = "; ".join(f"{r['derivative']}: {r['sign']}" for r in rows)
    return ("<h3>How effort responds (comparative statics of the mixed equilibrium)</h3>"
            f"<ul class='eqs'>{''.join(items)}</ul>"
            + finding(f"Effort Y* in the mixed equilibrium: {signs}. A higher average "
                      "benefit raises effort only under the stated condition."))


def claims(page: Page) -> None:
    """The seed-001 claims, verdicts and errata."""
    from gametheory import models
    from gametheory.claims import CLAIMS, verify
    from uipolicy.formulas import condition_expr, mathml

    names = models.monitoring_game().params
    rows, items = [], []
    for claim, v in zip(CLAIMS, verify(), strict=True):
        cond = mathml(condition_expr(v.condition, names)) if v.condition else ""
        items.append(f"<tr><td>{esc(claim.section)}</td><td>{esc(claim.statement)}</td>"
                     f"<td><b>{esc(v.status)}</b></td><td>{cond}</td>"
                     f"<td>{esc(v.erratum or '')}</td></tr>")
        rows.append({"claim": claim.id, "section": claim.section, "statement":
                     claim.statement, "verdict": v.status, "condition": v.condition or "",
                     "counterexample": ", ".join(f"{k}={x}" for k, x in
                                                 (v.counterexample or {}).items()),
                     "erratum": v.erratum or ""})
    frame = pd.DataFrame(rows)
    counts = frame["verdict"].value_counts()
    page.appendix.append(page.table("claims", frame, index=False))
    summary = ", ".join(f"{counts[k]} {k}" for k in ("holds", "holds only if", "fails")
                        if k in counts)
    page.section(6, "claims", "Seed 001's printed claims: verdicts and errata",
                 finding(f"Of {len(frame)} printed claims: {summary}. Every counterexample "
                         "(appendix) is an exact point inside the paper's assumptions; "
                         "errata are listed in docs/errata/seed-001.md."),
                 "<div class='table-wrap'><table id='t-claims-brief'><thead><tr>"
                 "<th>where</th><th>claim</th><th>verdict</th><th>holds if</th>"
                 "<th>erratum</th></tr></thead><tbody>" + "".join(items)
                 + "</tbody></table></div>")


_PANELS = {
    "gdp": ("GDP", "100m CNY"), "wage": ("average urban wage", "CNY/year"),
    "employment_urban": ("urban employment", "10k persons"),
    "employment_total": ("total employment", "10k persons"),
    "benefit": ("monthly benefit", "CNY/month"), "coverage": ("insured workers",
                                                               "10k persons"),
    "sme_share": ("SME share of refunds", "share"),
    "recipient_ratio": ("recipient ratio", "% of insured"),
    "months_paid": ("months paid per recipient", "months"),
    "non_eligible_share": ("non-eligible share", "share"),
    "replacement_rate": ("replacement rate", "share of wage"),
}
_LINES = {"benefits": "unemployment benefits", "refund": "job-retention refunds",
          "funeral": "funeral and survivor", "medical": "medical subsidy",
          "skills": "skills subsidy", "other": "other spending", "income": "income"}


def fund(page: Page, state: dict[str, Any]) -> None:
    """Seed 002 reproduced; the deterministic projection; the fitted processes."""
    from matplotlib.ticker import MaxNLocator

    from fund import figures as ff
    from fund.processes.qinghai import fit_all
    from fund.reproduce import income_regression, reproduce
    from fund.scenarios import expected_scenario

    repro = reproduce()
    worst = repro.loc[repro["rel_diff"].abs().idxmax()]
    reg = income_regression()
    opening = _opening_reserve(state["problem"])
    proj = expected_scenario(5, opening_reserve=opening).run().to_frame()
    state["opening"] = opening
    fig = ff.expenditure_stack(proj)
    ax = fig.axes[0]
    handles, labels = ax.get_legend_handles_labels()
    ax.legend(handles, [_LINES.get(lab.split(" ")[0], lab) for lab in labels],
              fontsize="small", loc="upper left")
    ax.set_ylabel("100m CNY a year")
    ax.set_title("Expenditure by line and income, seed-002 model")
    fits = fit_all()
    grid = ff.fitted_vs_actual_grid(fits)
    errors = {}
    for axis, (name, fit) in zip(grid.axes, fits.items(), strict=False):
        title, unit = _PANELS.get(name, (name, ""))
        axis.set_title(title)
        axis.set_ylabel(unit)
        axis.xaxis.set_major_locator(MaxNLocator(5, integer=True))
        common = fit.actual.index.intersection(fit.fitted.index)
        errors[title] = float(np.mean(np.abs(fit.fitted[common] / fit.actual[common] - 1)))
    worst_fit = max(errors, key=lambda k: errors[k])
    best_fit = min(errors, key=lambda k: errors[k])
    cols = ["income", "expenditure", "net_flow", "reserve"]
    page.section(
        4, "fund", "The fund model (seed 002)",
        para("The seed's 2023-2027 forecasts (tables 9-12) recomputed from its own printed "
             "inputs."),
        finding(f"All {len(repro)} recomputed forecasts agree with the print to within "
                f"{bp(abs(float(worst['rel_diff']))).lstrip('+')} (1 bp = 0.01%); the "
                "largest gap is "
                f"table {worst['table']}, {worst['quantity']} {int(worst['year'])}."),
        para(f"Income regression (1.2), re-estimated on {reg.years[0]}-{reg.years[-1]}: "
             f"contributions due = {reg.slope:.4f} x payroll base + {reg.intercept:.4f} "
             f"(100m CNY), R-squared {reg.r_squared:.3f}, p-value {reg.p_value:.1g}."),
        page.table("projection", proj[cols], formats={c: lambda v: num(v, 2) for c in cols},
                   caption="Expected projection, seed-002 model, status-quo benefit rules "
                           "(100m CNY)"),
        finding(f"Baseline: opening reserve {num(opening, 2)} (100m CNY) at end-2022, the "
                "same as in every other section (the seed prints no balance). The seed-002 "
                f"model takes the reserve to {num(proj['reserve'].iloc[-1], 2)} by 2027; "
                f"income exceeds expenditure in {int((proj['net_flow'] > 0).sum())} of "
                f"{len(proj)} years. The optimiser's status quo (section 1) reaches "
                f"{num(float(state['sq'].fund['reserve'].iloc[-1]), 2)} instead: it pays a "
                "flat benefit for the months claimants' behaviour implies, where the "
                "seed-002 model projects the benefit line from its own trends."),
        page.figure("expenditure", fig, "Expenditure by line and income (100m CNY a year)",
                    f"Job-retention refunds are the largest line in 2027 "
                    f"({pct(proj['refund'].iloc[-1] / proj['expenditure'].iloc[-1], 0)} of "
                    "expenditure)." if proj["refund"].iloc[-1] == proj[
                        ["benefits", "refund", "other"]].iloc[-1].max() else
                    "Stacked expenditure lines against income."),
        page.figure("fitted_vs_actual", grid, "Each parameter process fitted against the "
                    "data, with units", f"Mean absolute error of the fitted values: "
                    f"largest for {worst_fit} ({pct(errors[worst_fit], 1)}), smallest for "
                    f"{best_fit} ({pct(errors[best_fit], 2)})."),
        *_backtest(page))
    page.appendix += [page.table("reproduction", repro, index=False),
                      page.table("projection_raw", proj)]


def _backtest(page: Page) -> list[str]:
    """Fit on 2014-2019, forecast 2020-2022 (fund.backtest): a sentence, a figure."""
    from fund.backtest import backtest, plot_backtest

    bt = backtest()
    err = bt.errors()
    worst, best = err["mape_pct"].idxmax(), err["mape_pct"].idxmin()
    page.appendix.append(page.table("backtest_errors", err))
    return [
        para("Back-test: the model fitted on 2014-2019 (the fund's own lines on 2018-2019, "
             "where its data start) forecasts 2020-2022 without seeing them "
             "(docs/howto/backtest.md; errors per series in the appendix)."),
        page.figure("backtest", plot_backtest(bt), "Back-test 2020-2022: actual against "
                    "forecast, each series in its unit",
                    f"Mean absolute percentage error over 2020-2022: largest for {worst} "
                    f"({num(float(err.loc[worst, 'mape_pct']), 1)}%), smallest for {best} "
                    f"({num(float(err.loc[best, 'mape_pct']), 1)}%)."),
    ]


def _opening_reserve(problem: Any) -> float:
    """The opening reserve the optimiser's fund uses (one baseline for every reserve)."""
    return float(problem.fund.scenario.opening["opening_reserve"])


def tradeoffs(page: Page, state: dict[str, Any]) -> None:
    """Pareto frontier and sensitivity of the optimum."""
    from optimize.figures import plot_frontier
    from optimize.tradeoffs import pareto_frontier, sensitivity

    problem = state["problem"]
    frontier = pareto_frontier(problem, n_points=12)
    fig = plot_frontier(frontier)
    fig.axes[0].set_xlabel("spend per claim (CNY: benefits + monitoring)")
    fig.axes[0].set_ylabel("share of claimants")
    obj = frontier["objective"].to_numpy(float)
    spend = frontier["spend_per_claim"].to_numpy(float)
    flat = int(np.argmax(obj >= obj.max() - 1e-4))
    sentence = (f"Re-employment rises from {pct(obj[0])} at {cny(spend[0])} per claim to "
                f"{pct(obj.max())} at {cny(spend[flat])}; beyond that more money buys "
                "nothing, because the benefit cap binds.")
    sens = sensitivity(problem)
    moving = sens.loc[:, (sens.abs() > 1e-9).any(axis=0)]
    moving = moving.loc[(moving.abs() > 1e-9).any(axis=1)]
    top = sens["objective"].abs().idxmax()
    state["top_sensitivity"] = top
    fixed = [c for c in ("U0", "U", "U1", "x") if c in sens and
             (sens[c].drop(["floor", "cap"], errors="ignore").abs() < 1e-9).all()]
    page.section(
        3, "tradeoffs", "Trade-offs and robustness",
        page.figure("frontier", fig, "Pareto frontier: effort and re-employment against "
                    "spend per claim", sentence),
        para("Elasticities of the optimum (per cent change of the output for a 1% change "
             "of the input); only inputs and outputs that move are shown (all in the "
             "appendix)."),
        page.table("sensitivity", moving, formats={c: lambda v: num(v, 3)
                                                  for c in moving.columns}),
        finding(f"The objective is most sensitive to {top} (elasticity "
                f"{num(float(sens.loc[top, 'objective']), 3)}). "
                + (f"The policy variables {', '.join(fixed)} do not move for a 1% change of "
                   "any input other than the floor and cap they sit on." if fixed else "")))
    page.appendix += [page.table("frontier", frontier, index=False),
                      page.table("sensitivity_all", sens)]


def shanghai(page: Page, state: dict[str, Any]) -> None:
    """Shanghai's step-down tiers against the optimum with the same budget."""
    from optimize.schedules import compare_with_optimum

    table = compare_with_optimum(state["problem"])
    step, opt = table.iloc[0], table.iloc[1]
    spare = 1 - opt["spend_per_claim"] / step["spend_per_claim"]
    sentence = (f"Given Shanghai's spend per claim ({cny(step['spend_per_claim'])}) as its "
                f"budget, the optimum spends only {cny(opt['spend_per_claim'])} "
                f"({pct(spare)} less: the cap binds before the budget does) and re-employs "
                f"{pp(opt['reemployment_rate'] - step['reemployment_rate'])} more claimants.")
    fmt: dict[str, Formatter] = {
           "U0": cny, "U": cny, "U1": cny, "spend_per_claim": cny, "x": pct,
           "effort_share": pct, "reemployment_rate": pct, "months_paid": lambda v: num(v, 2)}
    page.section(
        7, "shanghai", "Shanghai's step-down tiers at the same budget",
        para("Shanghai's 2023 tiers (2,175/1,740/1,510 CNY a month, scaled to Qinghai by the "
             "minimum-wage ratio 1,700/2,690), nobody monitored, against the optimal tiers "
             "and monitoring with Shanghai's spend as the budget; 24-month entitlement."),
        page.table("shanghai", table, formats=fmt), finding(sentence),
        finding(_schedule_sentence(state["problem"])))


def _schedule_sentence(problem: Any) -> str:
    """The best two-segment schedule over the spell at Shanghai's spend, in words.

    The report's one model (claimants choose effort month by month at the problem's
    patience); welfare is the objective; 100 claimant types (10 x 10 quadrature nodes) keep
    it quick.
    """
    from dataclasses import replace

    from optimize import Schedule, Welfare, solve, spell_behaviour
    from optimize.schedules import shanghai_schedule

    bridge = problem.bridge.with_(claimants=replace(problem.bridge.claimants, n_nodes=10),
                                  entitlement_months=24, welfare=Welfare(), reskilling=None)
    pay = tuple(shanghai_schedule().payments(24).tolist())
    stepped = spell_behaviour(bridge, Schedule(pay, pay, pay), gradient=False)
    same = problem.with_(bridge=bridge, objective="welfare", budget=stepped.spend_per_claim,
                         segments=2, monitor=False)
    sol = solve(same)
    assert sol.behaviour is not None  # every solution carries its behaviour
    frame = sol.schedule_frame()
    first, second = frame.iloc[0], frame.iloc[1]
    shape = "rises" if second["U"] > first["U"] else "steps down"
    effort = sol.behaviour.effort_by_month
    gain = sol.objective - (stepped.welfare or 0.0)
    return (f"Letting the level change once over the 24 months instead (claimants who "
            f"look ahead with patience {bridge.patience:g} and choose effort month by month; "
            f"welfare as the objective; Shanghai's spend as the budget), the best schedule "
            f"pays {cny(first['U'])} in months 1-{first['last_month']:.0f} and "
            f"{cny(second['U'])} after: it {shape}"
            + (", unlike Shanghai's" if shape == "rises" else "")
            + f". {pct(effort[0])} of claimant types search in the first month, "
            f"{pct(effort[-1])} in the last; welfare rises by {cny(gain)} per claim over "
            f"Shanghai's tiers, spending {cny(sol.behaviour.spend_per_claim)} per claim.")


def shock(page: Page, state: dict[str, Any]) -> None:
    """Seed 000's automation shock on the fund, and reskilling finance."""
    from fund.scenarios import expected_scenario
    from fund.shock_figures import plot_shock_reserve
    from fund.shocks import AutomationShock, project_shock
    from optimize import default_problem
    from optimize.tradeoffs import compare_reskilling

    opening = state["opening"]
    result = project_shock(expected_scenario(5, opening_reserve=opening),
                           AutomationShock(manufacturing_share=0.15))
    frame = result.to_frame()
    base, hit = frame["reserve_base"].iloc[-1], frame["reserve_shock"].iloc[-1]
    rel = hit / base - 1
    size = "negligible" if abs(rel) < NEGLIGIBLE else "material"
    fig = plot_shock_reserve(result)
    fig.axes[0].set_ylabel("reserve (100m CNY)")
    if len(fig.axes) > 1:
        fig.axes[1].set_ylabel("recipients (persons)")
    resk = compare_reskilling(default_problem(budget=4500.0))
    pays = resk["pays_for_itself"].astype(bool)
    recovered = resk["recovered_share"].dropna()
    verdict = ("In no row does reskilling pay for itself" if not pays.any()
               else f"Reskilling pays for itself in {int(pays.sum())} of {len(pays)} rows")
    if len(recovered):
        verdict += (f": shorter spells recover {pct(float(recovered.max()), 0)} of its cost "
                    "in lower benefits and monitoring")
    fmt: dict[str, Formatter] = {
        c: cny for c in ("U0", "U", "U1", "z", "spend_per_claim", "reskilling_per_claim")}
    fmt |= {"x": pct, "effort_share": pct, "reemployment_rate": pct, "recovered_share": pct,
            "final_reserve": lambda v: num(v, 2), "min_months_payable": lambda v: num(v, 1)}
    page.section(
        8, "shock", "Automation shock and reskilling finance",
        para("Seed 000's labour-market model: automation removes 30% of manufacturing jobs "
             "over five years (manufacturing 15% of job demand); the model's extra "
             "unemployment per job, times Qinghai's 2022 take-up rate, is added to the "
             "recipient ratio (docs/explanation/labour-market.md). Baseline: the seed-002 "
             "expected projection of "
             f"section 4 (opening reserve {num(opening, 2)}, 100m CNY)."),
        page.figure("shock_reserve", fig, "Reserve with and without the automation shock",
                    f"The shock changes the 2027 reserve by {signed_pct(rel, 2)} "
                    f"({num(base, 2)} to {num(hit, 2)}, 100m CNY): {size}."),
        para("Reskilling finance as a lever next to the tiers (budget 4,500 CNY per claim; "
             "effect sizes are assumptions, docs/explanation/bridge.md section 11)."),
        page.table("reskilling", resk, formats=fmt),
        finding(verdict + "."))
    page.appendix += [page.table("shock", frame)]
    state["shock_rel"] = rel
