"""Answers explained: multipliers that may not be unique, undetermined variables, words.

:func:`multiplier_ranges` solves the KKT stationarity condition
``grad f + sum_i lambda_i grad g_i = 0``, ``lambda >= 0`` over the active constraints.
Where the active gradients are linearly independent the multipliers are unique; where
they are not (e.g. ``U0 >= floor``, ``U >= floor`` and ``U - U0 >= gap`` all active), a
constraint's multiplier can take a whole interval of values, found by two linear
programmes per constraint (scipy's HiGHS), and is reported as that interval.
"""

from __future__ import annotations

import numpy as np
from scipy import optimize as sopt

from optimize.errors import OptimizeError

__all__ = ["OBJECTIVE_UNITS", "describe_multiplier", "multiplier_ranges",
           "undetermined_ranges"]

#: What one unit of each objective is, in words.
OBJECTIVE_UNITS = {
    "reemployment": "probability of re-employment within the entitlement",
    "effort": "share of claimants making effort",
    "cost": "元 of spend per claim saved",
    "welfare": "元 of welfare per claim",
}


def multiplier_ranges(grads: list[tuple[str, np.ndarray]], objective_grad: np.ndarray,
                      *, tol: float = 1e-9) -> dict[str, tuple[float, float]]:
    """The interval of each active constraint's KKT multiplier.

    Parameters
    ----------
    grads : list of (str, numpy.ndarray)
        Each active constraint ``g_i >= 0`` with its gradient.
    objective_grad : numpy.ndarray
        Gradient of the maximised objective.
    tol : float
        Relative tolerance of the stationarity residual.

    Returns
    -------
    dict
        ``name -> (low, high)``; ``low == high`` (to round-off) where the multiplier is
        unique; ``high`` is infinite where nothing bounds it.  Empty when nothing is
        active.

    Raises
    ------
    OptimizeError
        The linear programmes failed (never where the NNLS split exists).

    Examples
    --------
    Two copies of one constraint share a multiplier of 2 in any split:

    >>> g = np.array([1.0, 0.0])
    >>> multiplier_ranges([("a", g), ("b", g)], np.array([-2.0, 0.0]))
    {'a': (0.0, 2.0), 'b': (0.0, 2.0)}
    >>> multiplier_ranges([("a", g)], np.array([-2.0, 0.0]))
    {'a': (2.0, 2.0)}
    """
    if not grads:
        return {}
    G = np.column_stack([g for _, g in grads])
    lam, resid = sopt.nnls(G, -objective_grad)
    independent = np.linalg.matrix_rank(G) == G.shape[1]
    if independent:
        return {name: (float(v), float(v)) for (name, _), v in zip(grads, lam, strict=True)}
    # the set {lambda >= 0 : G lambda = -grad f} (relaxed by the NNLS residual)
    scale = float(np.linalg.norm(objective_grad)) or 1.0
    slack = resid + tol * scale
    A_ub = np.vstack([G, -G])
    b_ub = np.concatenate([-objective_grad + slack, objective_grad + slack])
    out = {}
    for i, (name, _) in enumerate(grads):
        c = np.zeros(G.shape[1])
        c[i] = 1.0
        lo = sopt.linprog(c, A_ub=A_ub, b_ub=b_ub, bounds=(0, None), method="highs")
        hi = sopt.linprog(-c, A_ub=A_ub, b_ub=b_ub, bounds=(0, None), method="highs")
        if not lo.success or hi.status not in (0, 3):  # 3: unbounded above
            raise OptimizeError(f"the multiplier range of {name!r} could not be found: "
                                f"{lo.message} / {hi.message}")
        out[name] = (max(0.0, float(lo.x[i])), float(hi.x[i]) if hi.status == 0 else np.inf)
    return out


def undetermined_ranges(policy: dict[str, float], *, floor: float, cap: float,
                        min_gap: float) -> dict[str, tuple[float, float]]:
    """Policy variables the outcome does not depend on, with the interval they may take.

    At ``x = 1`` everybody is monitored, so the average tier ``U`` is never paid; at
    ``x = 0`` nobody is, so ``U0`` and ``U1`` are never paid.  Any value in the interval
    (within the bounds and the gaps) gives the same behaviour, spend and objective; a
    variable the constraints pin to one value is not listed.

    Parameters
    ----------
    policy : dict
        The policy found.
    floor, cap, min_gap : float
        The problem's bounds and gap.

    Returns
    -------
    dict
        ``name -> (low, high)`` for each undetermined variable.

    Examples
    --------
    >>> undetermined_ranges({"U0": 800, "U": 800, "U1": 1167, "x": 1.0}, floor=800,
    ...                     cap=1530, min_gap=0)
    {'U': (800.0, 1167.0)}
    """
    x = policy["x"]
    out: dict[str, tuple[float, float]] = {}
    if x >= 1.0 - 1e-12:
        out["U"] = (float(policy["U0"] + min_gap), float(policy["U1"] - min_gap))
    elif x <= 1e-12:
        out["U0"] = (float(floor), float(policy["U"] - min_gap))
        out["U1"] = (float(policy["U"] + min_gap), float(cap))
    return {k: v for k, v in out.items() if v[1] - v[0] > 1e-9}


def describe_multiplier(name: str, low: float, high: float, objective: str) -> str:
    """One sentence on what a constraint's multiplier means, in words and units.

    Parameters
    ----------
    name : str
        The constraint, e.g. ``"budget"`` or ``"x <= 1"``.
    low, high : float
        The multiplier's interval (equal when unique).
    objective : str
        The objective's name (its unit is :data:`OBJECTIVE_UNITS`).

    Returns
    -------
    str
        The sentence.

    Examples
    --------
    >>> print(describe_multiplier("budget", 2e-6, 2e-6, "reemployment"))
    budget binds: relaxing it by one 元 raises the objective by 2e-06 (...), i.e. 500,000 元 ...
    >>> describe_multiplier("U0 >= floor", 0.0, 0.5, "welfare")[:60]
    'U0 >= floor binds with a multiplier that is not unique: any '
    """
    per = "unit of x" if "x" in name.split() else "元"
    unit = OBJECTIVE_UNITS.get(objective, objective)
    if not np.isclose(low, high, rtol=1e-6, atol=1e-12):
        return (f"{name} binds with a multiplier that is not unique: any value in "
                f"[{low:.3g}, {high:.3g}] ({unit} per {per}) fits, because other active "
                "constraints restrict the same variables; only their joint relaxation "
                "has a definite value")
    text = (f"{name} binds: relaxing it by one {per} raises the objective by {low:.3g} "
            f"({unit})")
    if per == "元" and low > 0:
        text += f", i.e. {1.0 / low:,.0f} 元 per unit of the objective"
    return text
