"""The report's fixed text: style sheet, glossary and the one-screen summary."""

from __future__ import annotations

from typing import Any

from uipolicy.fmt import cny, num, pct, pp, signed_pct
from uipolicy.report_parts import esc

__all__ = ["CSS", "glossary", "summary"]

#: Fonts: the DejaVu family (installed with fontconfig on Debian) first, then common
#: system fonts, then the generic family, so a missing font never leaves text unrendered.
CSS = """
body{font-family:"DejaVu Sans","Noto Sans","Liberation Sans",system-ui,-apple-system,
"Segoe UI",Roboto,Arial,sans-serif;margin:0 auto;max-width:1100px;padding:0 1rem 2rem;
color:#1d2733;line-height:1.4;font-size:15px}
math{font-family:"DejaVu Math TeX Gyre","Latin Modern Math","STIX Two Math",math;
font-size:1.05em}
header h1{font-size:1.45rem;margin:.8rem 0 .2rem}.meta{color:#566;font-size:.8rem;margin:0}
h2{color:#234;margin:1.6rem 0 .5rem;font-size:1.2rem;border-bottom:1px solid #cdd}
h3{font-size:1rem;margin:.8rem 0 .3rem}
#summary{background:#f3f6f9;border:1px solid #cdd6df;border-radius:6px;padding:.2rem .9rem
.6rem;margin-top:.6rem}#summary h2{border:0;margin:.4rem 0}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:.2rem 1.2rem}
.grid h3{margin:.3rem 0 .2rem}.grid ul{margin:.1rem 0;padding-left:1.1rem}
.grid li{margin:.05rem 0;font-size:.9rem}
.finding{border-left:4px solid #4a7;padding:.2rem .6rem;background:#f4faf6}
.table-wrap{max-width:100%;overflow-x:auto}
table{border-collapse:collapse;font-size:.8rem;margin:.5rem 0;max-width:100%}
td,th{border:1px solid #ccd;padding:.15rem .4rem;vertical-align:top;overflow-wrap:break-word}
th{background:#eef2f6;text-align:left;overflow-wrap:anywhere}caption{text-align:left;color:#566;font-size:.8rem}
#summary table{font-size:.85rem;margin:.2rem 0}
figure{margin:1rem 0}figure img{max-width:100%;height:auto;border:1px solid #dde}
figcaption{font-size:.85rem;color:#344}nav ul{columns:2;font-size:.9rem}
ul.eqs li{margin:.3rem 0}ul.eqs ul{list-style:none;padding-left:1rem}
"""

_GLOSSARY = (
    ("U0", "monthly benefit to a monitored claimant who does not search (lowest tier)",
     "CNY/month"),
    ("U", "monthly benefit to an unmonitored claimant (average tier)", "CNY/month"),
    ("U1", "monthly benefit to a monitored claimant who searches (top tier)", "CNY/month"),
    ("x", "probability that a claimant is monitored in a month (the policy's X)", "share"),
    ("X", "the government's probability of monitoring in the seed-001 game", "share"),
    ("Y", "the unemployed person's probability of searching (effort)", "share"),
    ("X*", "monitoring probability of the mixed equilibrium", "share"),
    ("Y*", "effort probability of the mixed equilibrium", "share"),
    ("R", "probability that a month of effort finds a job", "share"),
    ("W", "re-employment wage", "CNY/month"),
    ("C", "cost of searching without monitoring", "CNY/month"),
    ("C0", "cost of searching with monitoring (job services lower it)", "CNY/month"),
    ("E", "the government's social benefit from monitoring", "CNY/month"),
)
_TERMS = (
    ("effort share", "share of claimants for whom searching pays under the policy", "share"),
    ("re-employment", "share of claimants who find a job within the entitlement", "share"),
    ("spend per claim", "benefits plus monitoring cost paid over a claim", "CNY"),
    ("entitlement", "months a claimant may draw benefit", "months"),
    ("reserve", "fund balance at year end", "100m CNY (1e8 CNY)"),
    ("months payable", "reserve divided by a month of expenditure", "months"),
    ("floor", "the least reserve allowed, in months of expenditure", "months"),
    ("pp / bp", "percentage points (difference of two shares) / basis points (0.01%)", ""),
)


#: Plain words for the optimiser's inputs (sensitivity rows).
INPUT_WORDS = {
    "R_mean": "the mean job-finding probability with effort",
    "R_concentration": "how alike claimants' job-finding probabilities are",
    "wage": "the re-employment wage", "C_median": "the median search cost",
    "C_sigma": "the spread of search costs", "c0_share": "the search cost under monitoring",
    "no_effort_hazard": "the job-finding probability without effort",
    "monitoring_cost": "the monitoring cost", "entitlement_months": "the entitlement",
    "floor": "the benefit floor", "cap": "the benefit cap", "budget": "the budget",
    "floor_months": "the reserve floor", "opening_reserve": "the opening reserve",
}


def _words(name: str) -> str:
    return f"{INPUT_WORDS.get(name, name)} ({name})"


def glossary() -> str:
    """The glossary section: every symbol and term of the page with its unit.

    Returns
    -------
    str
        An HTML section.
    """
    import sympy as sp

    from uipolicy.formulas import mathml

    rows = [f"<tr><td>{mathml(sp.Symbol(sym))}</td><td>{esc(what)}</td><td>{esc(unit)}</td>"
            "</tr>" for sym, what, unit in _GLOSSARY]
    rows += [f"<tr><td>{esc(term)}</td><td>{esc(what)}</td><td>{esc(unit)}</td></tr>"
             for term, what, unit in _TERMS]
    return ("<section id='glossary'><h2>Glossary</h2><div class='table-wrap'><table>"
            "<thead><tr><th>symbol</th><th>meaning</th><th>unit</th></tr></thead><tbody>"
            + "".join(rows) + "</tbody></table></div></section>")


def summary(facts: dict[str, Any]) -> str:
    """The one-screen summary, from what the sections found.

    Parameters
    ----------
    facts : dict
        The sections' results (``problem``, ``sol``, ``sq``, ``breach``, ...).

    Returns
    -------
    str
        An HTML section.
    """
    problem, sol, sq = facts["problem"], facts["sol"], facts["sq"]
    pol, b, q = sol.policy, sol.evaluation.behaviour, sq.behaviour
    level = facts["sq_level"]
    rec = ("<div><h3>Recommendation</h3><ul>"
           f"<li>Benefit: <b>{cny(pol['U1'], per='month')}</b> to monitored claimants who "
           f"search, <b>{cny(pol['U0'], per='month')}</b> to those who do not; unmonitored "
           f"claimants {cny(pol['U'], per='month')}. The same every month of the spell. "
           f"Status quo: a flat {cny(level, per='month')}.</li>"
           f"<li>Monitoring: <b>{pct(pol['x'], 0)}</b> of claimants each month (status quo "
           f"0%), at {cny(float(problem.notes['monitoring_cost']))} per monitored "
           "claimant-month.</li></ul></div>")
    rows = [("effort share", pct(b["effort_share"]), pct(q["effort_share"]),
             pp(b["effort_share"] - q["effort_share"])),
            ("re-employment within entitlement", pct(b["reemployment_rate"]),
             pct(q["reemployment_rate"]), pp(b["reemployment_rate"] - q["reemployment_rate"])),
            ("spend per claim", cny(b["spend_per_claim"]), cny(q["spend_per_claim"]),
             signed_pct(b["spend_per_claim"] / q["spend_per_claim"] - 1)),
            ("months paid per claim", num(b["months_paid"], 1), num(q["months_paid"], 1),
             signed_pct(b["months_paid"] / q["months_paid"] - 1))]
    effect = ("<div><h3>Effect per claim (<a href='#recommended'>section 1</a>)</h3><table>"
              "<thead><tr><th></th><th>recommended</th><th>status quo</th><th>change</th>"
              "</tr></thead><tbody>" + "".join(
                  f"<tr><td>{esc(a)}</td><td>{esc(r)}</td><td>{esc(s)}</td><td>{esc(c)}</td>"
                  "</tr>" for a, r, s, c in rows) + "</tbody></table></div>")
    ev_r, ev_s = sol.evaluation, sq
    breach = facts["breach"]
    fundpart = ("<div><h3>The fund (<a href='#risk'>section 2</a>)</h3><ul>"
                f"<li>Reserve at end-2027: <b>{num(ev_r.fund['reserve'].iloc[-1], 2)}</b> "
                f"(status quo {num(ev_s.fund['reserve'].iloc[-1], 2)}), 100m CNY, expected "
                f"path, from {num(facts['opening'], 2)} at end-2022.</li>"
                f"<li>Lowest months of expenditure payable 2023-2027: "
                f"<b>{num(ev_r.metrics['min_months_payable'], 1)}</b> (status quo "
                f"{num(ev_s.metrics['min_months_payable'], 1)}; floor "
                f"{num(problem.floor_months, 0)}).</li>"
                f"<li>Probability of breaching the floor in some year: "
                f"<b>{pct(breach['recommended'], 2)}</b> (status quo "
                f"{pct(breach['status quo'], 2)}), {facts['n_paths']:,} Monte Carlo "
                "paths.</li></ul></div>")
    drivers = ("<div><h3>What drives it</h3><ul>"
               f"<li>Job-finding probability with effort: mean "
               f"{pct(float(problem.notes['R_mean']))} a month, effort chosen month by "
               f"month; the objective is most "
               f"sensitive to <b>{esc(_words(facts['top_sensitivity']))}</b> "
               "(<a href='#tradeoffs'>section 3</a>).</li>"
               f"<li>Entitlement {num(float(problem.notes['entitlement_months']), 0)} months; "
               f"tiers between {cny(problem.floor)} and {cny(problem.cap)} a month.</li>"
               f"<li>Opening reserve {num(facts['opening'], 2)} (100m CNY) = 2022 "
               "expenditure, as seed 002 prints no balance; interest "
               f"{pct(float(problem.notes['interest_rate']), 1)} "
               "(<a href='#fund'>section 4</a>).</li>"
               "<li>Behaviour from the seed-001 monitoring game "
               "(<a href='#games'>section 5</a>); automation shock: "
               f"{signed_pct(facts['shock_rel'], 2)} on the 2027 reserve "
               "(<a href='#shock'>section 8</a>).</li></ul></div>")
    return ("<section id='summary'><h2>Summary</h2><div class='grid'>"
            + rec + effect + fundpart + drivers + "</div></section>")
