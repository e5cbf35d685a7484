"""Optimise a benefit schedule from a TOML scenario file.

Run: python examples/optimise_from_scenario.py [examples/scenario.toml]
"""

import sys
from pathlib import Path

from optimize import solve
from optimize.scenario import problem_from_toml

path = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("scenario.toml")
problem = problem_from_toml(path)
solution = solve(problem)
print(f"scenario: {path.name}; objective: {problem.objective}")
for name, value in solution.policy.items():
    print(f"  {name:3} = {value:10.3f}")
print(f"objective = {solution.objective:.4f}")
print("binding:", ", ".join(solution.binding) or "none")
print("behaviour:", {k: round(v, 4) for k, v in solution.evaluation.behaviour.items()})
