"""Policy problems from TOML scenario files.

A scenario file overrides any default of :func:`optimize.default_problem`; every key is
checked, and a bad file gets a :class:`~optimize.errors.ScenarioError` naming the key::

    [problem]
    objective = "reemployment"   # or "effort", "cost", "welfare"
    floor = 800.0                # lowest tier U0, 元/month
    cap = 1530.0                 # highest tier U1, 元/month
    budget = 6000.0              # spend per claim, 元 (omit: the status quo's)
    floor_months = 6.0           # reserve >= this many months of expenditure
    min_gap = 0.0                # U - U0 >= gap, U1 - U >= gap
    calibrate = false            # true: refit R_mean (months) and C_median (elasticity);
                                 # "months": R_mean alone
    segments = 1                 # 1: stationary tiers; 2-4: a schedule over the spell
    monitor = true               # false: one level per segment, nobody monitored

    [claimants]                  # optimize.Claimants fields, and their patience
    wage = 4000.0
    C_median = 600.0
    patience = 0.5               # monthly discount factor (optimize.bridge)

    [fund]
    opening_reserve = 6.0        # 亿元
    interest_rate = 0.011
    entitlement_months = 12.0
    monitoring_cost = 60.0       # 元 per monitored claimant-month
    status_quo = 1530.0          # flat benefit the budget defaults to

    [welfare]                    # optimize.Welfare fields (objective "welfare")
    risk_aversion = 2.0
    mcpf = 1.2

    [chance]                     # present: chance-constrained sustainability
    alpha = 0.05
    n_scenarios = 10000
    seed = 20231

    [reskilling]                 # present: the reskilling lever z joins the policy
    max_R_gain = 0.25
    max_cost_cut = 0.5
    scale = 1500.0
    loan_share = 0.0
    default_rate = 0.3
    max_level = 6000.0

Keys a file leaves out take their defaults; the problem lists them in
``problem.notes["from_defaults"]`` (section.key, comma separated) so nothing is taken
silently.
"""

from __future__ import annotations

import tomllib
from collections.abc import Collection
from pathlib import Path
from typing import Any

from optimize.claimants import Claimants
from optimize.errors import ScenarioError
from optimize.problem import OBJECTIVES, Chance, Problem, default_problem
from optimize.reskilling import Reskilling
from optimize.welfare import Welfare
from uicore.errors import UIPolicyError

__all__ = ["SCHEMA", "load_scenario", "problem_from_toml", "problem_keywords"]

_NUMBER = (int, float)
#: Allowed sections and keys with their types.
SCHEMA: dict[str, dict[str, tuple[type, ...]]] = {
    "problem": {"objective": (str,), "floor": _NUMBER, "cap": _NUMBER, "budget": _NUMBER,
                "floor_months": _NUMBER, "min_gap": _NUMBER,
                "calibrate": (bool, str), "segments": (int,), "monitor": (bool,)},
    "claimants": {**{k: _NUMBER for k in Claimants.__dataclass_fields__
                     if k not in ("R", "C", "weights")}, "patience": _NUMBER},
    "fund": {"opening_reserve": _NUMBER, "interest_rate": _NUMBER,
             "entitlement_months": _NUMBER, "monitoring_cost": _NUMBER,
             "status_quo": _NUMBER},
    "chance": {"alpha": _NUMBER, "n_scenarios": (int,), "seed": (int,)},
    "welfare": {"risk_aversion": _NUMBER, "home": _NUMBER, "contribution_rate": _NUMBER,
                "mcpf": _NUMBER, "horizon_months": (int,)},
    "reskilling": {"max_R_gain": _NUMBER, "max_cost_cut": _NUMBER, "scale": _NUMBER,
                   "loan_share": _NUMBER, "default_rate": _NUMBER, "max_level": _NUMBER},
}


def load_scenario(path: str | Path, *, extra_sections: Collection[str] = ()
                  ) -> dict[str, dict[str, Any]]:
    """Read and check a scenario file; returns its sections.

    ``extra_sections`` are returned unchecked, for the caller to check (e.g.
    ``[uncertain]`` of :mod:`optimize.robustness`).

    Raises
    ------
    ScenarioError
        The file is missing or unreadable, is not valid TOML, or has an unknown section
        or key, or a value of the wrong type.
    """
    p = Path(path)
    data = _read_toml(p)
    for section, table in data.items():
        if section in extra_sections:
            continue
        if section not in SCHEMA:
            allowed = [*SCHEMA, *extra_sections]
            raise ScenarioError(f"{p.name}: unknown section [{section}]; allowed: "
                                f"{', '.join(f'[{s}]' for s in allowed)}")
        if not isinstance(table, dict):
            raise ScenarioError(f"{p.name}: {section} must be a [table]")
        for key, value in table.items():
            _check_entry(p.name, section, key, value)
    objective = data.get("problem", {}).get("objective")
    if objective is not None and objective not in OBJECTIVES:
        raise ScenarioError(f"{p.name}: problem.objective = {objective!r} must be one of "
                            f"{sorted(OBJECTIVES)}")
    return data


def _read_toml(p: Path) -> dict[str, Any]:
    """The file's TOML tables, or ScenarioError if it is missing, unreadable or not TOML."""
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError(f"scenario file {str(p)!r} does not exist") from None
    except OSError as exc:
        raise ScenarioError(f"cannot read scenario file {str(p)!r}: {exc.strerror}") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{p.name}: not valid TOML: {exc}") from None


def _check_entry(name: str, section: str, key: str, value: Any) -> None:
    """A known key of ``section`` with a value of its type (a bool is not a number)."""
    if key not in SCHEMA[section]:
        raise ScenarioError(f"{name}: unknown key {section}.{key}; allowed: "
                            f"{', '.join(sorted(SCHEMA[section]))}")
    types = SCHEMA[section][key]
    if (isinstance(value, bool) and bool not in types) or not isinstance(value, types):
        want = "text" if types == (str,) else "an integer" if types == (int,) \
            else "true or false" if types == (bool,) else "a number"
        raise ScenarioError(f"{name}: {section}.{key} = {value!r} must be {want}")


def problem_from_toml(path: str | Path) -> Problem:
    r"""Build a :class:`~optimize.problem.Problem` from a scenario file.

    Parameters
    ----------
    path : str or pathlib.Path
        The scenario file (sections ``[problem]``, ``[claimants]``, ``[fund]`` and optional
        ``[chance]``, ``[reskilling]``, ``[welfare]``).

    Returns
    -------
    Problem
        Its ``notes["from_defaults"]`` lists the keys the file left at their defaults.

    Raises
    ------
    ScenarioError
        As :func:`load_scenario`, or a value the problem rejects (named by its key).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "scenario.toml"
    >>> _ = path.write_text("[problem]\nfloor = 900\n")
    >>> problem_from_toml(path).floor
    900
    """
    data = load_scenario(path)
    name = Path(path).name
    try:
        keywords = problem_keywords(data)
        problem = default_problem(**keywords)
    except UIPolicyError as exc:
        key = getattr(exc, "parameter", None)
        where = f" (key {key})" if key else ""
        raise ScenarioError(f"{name}{where}: {exc}") from None
    used = {"problem", "claimants", "fund"} | {s for s in ("chance", "reskilling", "welfare")
                                               if s in data}
    if keywords["objective"] == "welfare":
        used.add("welfare")
    missing = [f"{section}.{key}" for section in SCHEMA if section in used
               for key in SCHEMA[section] if key not in data.get(section, {})]
    return problem.with_(notes=problem.notes | {"from_defaults": ", ".join(missing)})


def problem_keywords(data: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The keywords of :func:`~optimize.default_problem` a scenario stands for.

    From a checked scenario's sections (:func:`load_scenario`).

    Raises
    ------
    uicore.errors.UIPolicyError
        A ``[chance]``, ``[reskilling]`` or ``[welfare]`` value those objects reject.
    """
    settings: dict[str, Any] = {}
    for section in ("problem", "claimants", "fund"):
        settings.update(data.get(section, {}))
    settings.setdefault("objective", "reemployment")
    settings["chance"] = Chance(**data["chance"]) if "chance" in data else None
    settings["reskilling"] = Reskilling(**data["reskilling"]) if "reskilling" in data else None
    settings["welfare"] = Welfare(**data["welfare"]) if "welfare" in data else None
    return settings
