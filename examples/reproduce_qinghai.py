"""Reproduce seed 002's Qinghai tables 9-12 from the seed's own printed inputs.

Run: python examples/reproduce_qinghai.py
"""

from fund.reproduce import income_regression, reproduce

table = reproduce()
print(table.to_string(index=False, float_format=lambda v: f"{v:.6f}"))
worst = table.assign(abs_diff=table["rel_diff"].abs()).groupby("table")["abs_diff"].max()
print("\nlargest relative difference per table:")
print(worst.to_string(float_format=lambda v: f"{v:.4%}"))
print("\n(1.2) re-estimated on 2018-2022:", income_regression())
