"""Project the Qinghai fund under an automation shock (seed 000's labour-market model).

Seed 000 (§4.3) removes 30% of manufacturing jobs over five years.  The labour-market
ODE turns the fall in job demand into extra unemployment per job; times Qinghai's take-up
rate it is added to the fund's recipient ratio.  The manufacturing share of job demand is
the analyst's input: 15% here (an assumption for this example, not a figure from the
seeds).

Run: python examples/automation_shock.py [figure.png]
"""

import sys

from fund.scenarios import expected_scenario
from fund.shock_figures import plot_shock_reserve
from fund.shocks import AutomationShock, project_shock

base = expected_scenario(5, opening_reserve=6.0)
result = project_shock(base, AutomationShock(manufacturing_share=0.15))
table = result.to_frame()
print(table[["factor", "recipients_base", "recipients_shock", "reserve_base",
             "reserve_shock"]].round(3).to_string())
loss = table["reserve_base"].iloc[-1] - table["reserve_shock"].iloc[-1]
print(f"\nreserve lost by 2027: {loss:.3f} (100 million CNY)")
if len(sys.argv) > 1:
    plot_shock_reserve(result).savefig(sys.argv[1], dpi=110)
    print(f"figure written to {sys.argv[1]}")
