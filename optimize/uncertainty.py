"""What is uncertain in a policy problem: priors on its inputs, checked, and sweep files.

A :class:`Prior` is a frozen continuous ``scipy.stats`` distribution with its source;
:func:`check_priors` checks a set of them against a problem factory before any work (a
known keyword, valid parameters, a support inside the values the keyword allows), and
:func:`load_sweep` reads a scenario file with an ``[uncertain]`` table of priors.  The
sweeps that draw from them are :mod:`optimize.robustness`.

>>> from scipy import stats
>>> sorted(check_priors({"C_median": stats.lognorm(0.2, scale=600.0)}))
['C_median']
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
from scipy import stats

from optimize.errors import PolicyParameterError, ScenarioError
from optimize.problem import Problem, default_problem
from optimize.scenario import load_scenario, problem_keywords
from uicore.errors import UIPolicyError

__all__ = ["SWEEPABLE", "Prior", "ScenarioFactory", "check_priors", "load_sweep",
           "prior_from_table"]

_INF = math.inf
#: Keywords of :func:`~optimize.default_problem` a prior may be put on, with the interval
#: their values must lie in (a prior's support must fit inside it).
SWEEPABLE: dict[str, tuple[float, float]] = {
    "R_mean": (0.0, 1.0), "R_concentration": (0.0, _INF), "no_effort_hazard": (0.0, 1.0),
    "C_median": (0.0, _INF), "C_sigma": (0.0, _INF), "c0_share": (0.0, 1.0),
    "wage": (0.0, _INF), "temperature": (0.0, _INF),
    "entitlement_months": (1.0, 24.0), "monitoring_cost": (0.0, _INF),
    "opening_reserve": (-_INF, _INF), "interest_rate": (-1.0, _INF),
    "status_quo": (0.0, _INF), "floor": (0.0, _INF), "cap": (0.0, _INF),
    "budget": (0.0, _INF), "floor_months": (0.0, _INF), "min_gap": (0.0, _INF),
}

@dataclass(frozen=True)
class Prior:
    """A frozen continuous ``scipy.stats`` distribution with where it comes from.

    Parameters
    ----------
    dist : frozen scipy.stats distribution
    source : str
        A citation, or ``"assumption"``.

    Examples
    --------
    >>> from scipy import stats
    >>> Prior(stats.lognorm(0.2, scale=600.0), "assumption")
    Prior(lognorm(0.2, scale=600.0), source='assumption')
    """

    dist: Any
    source: str = "assumption"

    def __repr__(self) -> str:
        d = self.dist
        args = [repr(a) for a in d.args] + [f"{k}={v!r}" for k, v in d.kwds.items()]
        return f"Prior({d.dist.name}({', '.join(args)}), source={self.source!r})"


def prior_from_table(name: str, table: Mapping[str, Any]) -> Prior:
    """A :class:`Prior` from a TOML table ``{distribution = "lognorm", s = 0.2, ...}``.

    The distribution is looked up by name among scipy's continuous distributions (never
    evaluated as code); every other key except ``source`` is a number passed to it.

    Parameters
    ----------
    name : str
        The uncertain input (for messages).
    table : mapping
        ``distribution``, ``source`` and the distribution's parameters.

    Returns
    -------
    Prior

    Raises
    ------
    optimize.errors.PolicyParameterError
        Unknown distribution, a non-numeric parameter, or parameters scipy rejects.

    Examples
    --------
    >>> prior_from_table("C_median", {"distribution": "lognorm", "s": 0.2,
    ...                               "scale": 600.0, "source": "assumption"})
    Prior(lognorm(s=0.2, scale=600.0), source='assumption')
    """
    params = dict(table)
    dist_name = params.pop("distribution", None)
    source = params.pop("source", "assumption")
    where = f"uncertain.{name}"
    family = getattr(stats, dist_name, None) if isinstance(dist_name, str) else None
    if not isinstance(family, stats.rv_continuous):
        raise PolicyParameterError(f"{where}.distribution", dist_name,
                                   "must name a continuous scipy.stats distribution, "
                                   "e.g. 'lognorm', 'truncnorm', 'beta', 'uniform'")
    if not isinstance(source, str) or not source.strip():
        raise PolicyParameterError(f"{where}.source", source,
                                   "must cite where the prior comes from, or say 'assumption'")
    for key, value in params.items():
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise PolicyParameterError(f"{where}.{key}", value, "must be a number")
    _check_parameter_names(where, dist_name, family, params)
    return Prior(family(**params), source)


def _check_parameter_names(where: str, dist_name: str, family: stats.rv_continuous,
                           params: Mapping[str, float]) -> None:
    """Every shape parameter of ``family`` given, and nothing but those, ``loc``, ``scale``.

    Checked by name before the distribution is built (scipy would raise a bare TypeError).
    """
    shapes = [s.strip() for s in (family.shapes or "").split(",") if s.strip()]
    unknown = sorted(set(params) - {*shapes, "loc", "scale"})
    missing = [s for s in shapes if s not in params]
    if unknown or missing:
        takes = ", ".join([*shapes, "loc", "scale"])
        problem = (f"unknown {', '.join(unknown)}" if unknown
                   else f"missing the shape parameter(s) {', '.join(missing)}")
        raise PolicyParameterError(where, dict(params),
                                   f"{dist_name} takes {takes}; {problem}")


def check_priors(uncertain: Mapping[str, Any], *,
                 problem_factory: Callable[..., Problem] = default_problem
                 ) -> dict[str, Prior]:
    """Check every prior before any work.

    A known keyword, valid parameters, and a support inside the values the keyword allows.

    Parameters
    ----------
    uncertain : mapping
        Keyword → frozen continuous ``scipy.stats`` distribution or :class:`Prior`.
    problem_factory : callable, keyword-only
        Must accept the keywords (for :func:`~optimize.default_problem` they are the keys
        of :data:`SWEEPABLE`).

    Returns
    -------
    dict
        Keyword → :class:`Prior`, in the given order.

    Raises
    ------
    optimize.errors.PolicyParameterError
        The first bad prior, named with its value and the rule.

    Examples
    --------
    >>> from scipy import stats
    >>> check_priors({"C_sigma": stats.norm(0.6, 0.1)})
    Traceback (most recent call last):
    ...
    optimize.errors.PolicyParameterError: uncertain.C_sigma = ...
    """
    if not isinstance(uncertain, Mapping) or not uncertain:
        raise PolicyParameterError("uncertain", uncertain,
                                   "must map at least one keyword to a distribution")
    accepted = _accepted_keywords(problem_factory)
    out: dict[str, Prior] = {}
    for name, value in uncertain.items():
        prior = value if isinstance(value, Prior) else Prior(value)
        where = f"uncertain.{name}"
        if accepted is not None and name not in accepted:
            raise PolicyParameterError(where, prior, "is not a keyword of the problem "
                                       f"factory; choose from {sorted(accepted)}")
        dist = prior.dist
        if not isinstance(getattr(dist, "dist", None), stats.rv_continuous):
            raise PolicyParameterError(where, value, "must be a frozen continuous "
                                       "scipy.stats distribution, e.g. stats.lognorm(0.2)")
        lo, hi = (float(v) for v in dist.support())
        if not np.isfinite(dist.median()) or math.isnan(lo) or math.isnan(hi):
            raise PolicyParameterError(where, prior, "impossible distribution parameters "
                                       "(scipy rejects them: e.g. a scale <= 0)")
        allowed = _domains(problem_factory).get(name)
        if allowed is not None and (lo < allowed[0] or hi > allowed[1]):
            raise PolicyParameterError(
                where, prior, f"its support [{lo:g}, {hi:g}] leaves the allowed values "
                f"[{allowed[0]:g}, {allowed[1]:g}]; truncate it (truncnorm) or choose a "
                "distribution that lives there (lognorm, beta, uniform)")
        out[name] = prior
    return out


def _domains(factory: Callable[..., Problem]) -> Mapping[str, tuple[float, float]]:
    """Allowed intervals of a factory's keywords.

    :data:`SWEEPABLE` for :func:`~optimize.default_problem`, a factory's own ``domains``
    attribute, else none.
    """
    if factory is default_problem:
        return SWEEPABLE
    domains = getattr(factory, "domains", None)
    return domains if isinstance(domains, Mapping) else {}


def _accepted_keywords(factory: Callable[..., Problem]) -> set[str] | None:
    """Keywords ``factory`` accepts, or None when it takes ``**kwargs`` we cannot see."""
    if factory is default_problem:
        return set(SWEEPABLE)
    domains = getattr(factory, "domains", None)
    if isinstance(domains, Mapping):
        return set(domains)
    try:
        params = inspect.signature(factory).parameters.values()
    except (TypeError, ValueError):
        return None
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params):
        return None
    return {p.name for p in params if p.kind in (inspect.Parameter.KEYWORD_ONLY,
                                                   inspect.Parameter.POSITIONAL_OR_KEYWORD)}


@dataclass(frozen=True)
class ScenarioFactory:
    """:func:`~optimize.default_problem` with a scenario file's settings.

    The keywords of a call (the drawn inputs) override them.  Picklable, so it travels to workers.

    Attributes
    ----------
    keywords : mapping
        From :func:`optimize.scenario.problem_keywords`.
    name : str
        The scenario's name (its file name).

    Examples
    --------
    >>> factory = ScenarioFactory({"floor": 900.0}, "cheap.toml")
    >>> factory(C_median=700.0).floor
    900.0
    """

    keywords: Mapping[str, Any]
    name: str = "scenario"
    domains: ClassVar[Mapping[str, tuple[float, float]]] = SWEEPABLE

    def __call__(self, **overrides: Any) -> Problem:
        """The scenario's problem with ``overrides`` applied."""
        return default_problem(**(dict(self.keywords) | overrides))


def load_sweep(path: str | Path) -> tuple[ScenarioFactory, dict[str, Prior]]:
    r"""Read and check a whole sweep file.

    A scenario (:mod:`optimize.scenario`) plus an ``[uncertain]`` table of priors, e.g.::

        [uncertain.C_median]
        distribution = "lognorm"   # any continuous scipy.stats distribution
        s = 0.25
        scale = 600.0
        source = "assumption"      # or a citation

    Every key, value and prior is checked and the point-value problem is built, so a bad
    file fails here, before any draw is solved.

    Parameters
    ----------
    path : str or Path

    Returns
    -------
    tuple of (ScenarioFactory, dict)
        The problem factory and the priors, ready for :func:`sweep`.

    Raises
    ------
    optimize.errors.ScenarioError
        Anything wrong with the file, named by its key.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "sweep.toml"
    >>> _ = path.write_text('[uncertain.C_median]\ndistribution = "lognorm"\ns = 0.25\n'
    ...                     'scale = 600.0\nsource = "assumption"\n')
    >>> factory, priors = load_sweep(path)
    >>> list(priors)
    ['C_median']
    """
    name = Path(path).name
    data = load_scenario(path, extra_sections=("uncertain",))
    table = data.get("uncertain")
    if not isinstance(table, dict) or not table:
        raise ScenarioError(f"{name}: a sweep needs an [uncertain] table with at least one "
                            "prior, e.g. [uncertain.C_median]")
    try:
        factory = ScenarioFactory(problem_keywords(data), name)
        raw = {}
        for key, spec in table.items():
            if not isinstance(spec, dict):
                raise PolicyParameterError(f"uncertain.{key}", spec, "must be a table "
                                           "with 'distribution', its parameters and 'source'")
            raw[key] = prior_from_table(key, spec)
        priors = check_priors(raw, problem_factory=factory)
        factory()   # the point values must make a valid problem
    except UIPolicyError as exc:
        raise ScenarioError(f"{name}: {exc}") from None
    return factory, priors
