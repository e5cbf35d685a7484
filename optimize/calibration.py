"""Calibrating the claimants to the data, and saying what the calibration did.

The mean job-finding probability under effort, ``R_mean``, is fitted to data: the status
quo (a flat benefit, no monitoring) must pay the months per recipient the seed reports for
2022 (4.63, seed 002 table 7).  :data:`DEFAULT_R_MEAN` is that fit at the default inputs;
:func:`calibrate_R_mean` refits it for other inputs, :func:`fit_elasticity` also brings
the duration elasticity into the literature's range, and :func:`calibration_report` says
whether anything was refitted, what moved, and the model's elasticity against the range.
:func:`optimize.default_problem` uses them.

>>> c = Claimants(R_mean=DEFAULT_R_MEAN)
>>> round(calibration_report(c, before=c, recalibrated=False, target=4.63, M=12.0,
...                          status_quo=1530.0, kappa=60.0).achieved_months, 2)
4.63
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd
from scipy import optimize as sopt

from optimize.bridge import DEFAULT_PATIENCE, Bridge
from optimize.claimants import Claimants
from optimize.errors import InfeasibleProblemError

__all__ = ["DEFAULT_R_MEAN", "DURATION_ELASTICITY_RANGE", "Calibration", "calibrate_R_mean",
           "calibration_report", "fit_elasticity"]

#: The mean job-finding probability under effort calibrated at the default inputs, the
#: default patience :data:`~optimize.bridge.DEFAULT_PATIENCE` included (the status quo
#: pays 4.63 months per recipient, seed 002 table 7, in the month-by-month model);
#: ``default_problem`` keeps it when other inputs change unless asked to recalibrate
#: (``calibrate=True``).
DEFAULT_R_MEAN = 0.286028237815

#: The duration elasticity the empirical literature reports: a 10% benefit rise
#: lengthens spells by 4-8% (Krueger and Meyer 2002, "Labor supply effects of social
#: insurance", Handbook of Public Economics vol. 4; Chetty 2008, J. Polit. Econ. 116).
DURATION_ELASTICITY_RANGE = (0.4, 0.8)


@dataclass(frozen=True)
class Calibration:
    """What the calibration of the job-finding distribution did, or did not do.

    Attributes
    ----------
    recalibrated : bool
        Whether ``R_mean`` was fitted to the target for these inputs.
    target_months : float
        Months paid per recipient under the status quo that the data show (4.63).
    achieved_months : float
        Months paid under the status quo with the problem's claimants.
    moved : dict
        ``name -> (before, after)`` for each parameter the calibration moved (empty when
        nothing moved).
    duration_elasticity : float
        The model's elasticity of months paid in a flat benefit without monitoring (a
        10% rise from the status quo), a moment to compare with the literature.
    elasticity_range : tuple of float
        The literature's range, :data:`DURATION_ELASTICITY_RANGE`.
    elasticity_fitted : bool
        Whether the elasticity was a target of this calibration (``calibrate=True``):
        where the model's lay outside the range, the median search cost ``C_median``
        was moved (with ``R_mean`` refitted to the months) to the range's nearest edge.
    """

    recalibrated: bool
    target_months: float
    achieved_months: float
    moved: dict[str, tuple[float, float]]
    duration_elasticity: float
    elasticity_range: tuple[float, float] = DURATION_ELASTICITY_RANGE
    elasticity_fitted: bool = False

    def to_frame(self) -> pd.DataFrame:
        """Targets and moments with the model's values.

        Returns
        -------
        pandas.DataFrame
            Index ``moment``; columns ``target`` (text) and ``model``.

        Examples
        --------
        >>> from optimize import default_problem
        >>> round(float(default_problem().calibration.to_frame().loc["months_paid", "model"]), 2)
        4.63
        """
        lo, hi = self.elasticity_range
        return pd.DataFrame(
            {"target": [f"{self.target_months:g}",
                        f"{lo:g}-{hi:g}" + ("" if self.elasticity_fitted else " (not fitted)")],
             "model": [self.achieved_months, self.duration_elasticity]},
            index=pd.Index(["months_paid", "duration_elasticity"], name="moment"))

    def summary(self) -> str:
        """One paragraph: target, achieved, what moved, the elasticity against the range.

        Returns
        -------
        str
            The paragraph.

        Examples
        --------
        >>> from optimize import default_problem
        >>> print(default_problem(wage=6000.0).calibration.summary())  # doctest: +ELLIPSIS
        not recalibrated: ...
        """
        lo, hi = self.elasticity_range
        head = ("recalibrated: " + ", ".join(f"{k} {a:.6g} -> {b:.6g}"
                                             for k, (a, b) in self.moved.items())
                if self.recalibrated else
                "not recalibrated: R_mean kept (pass calibrate=True to refit it)")
        inside = "inside" if lo - 1e-6 <= self.duration_elasticity <= hi + 1e-6 \
            else "outside"
        if self.elasticity_fitted:
            inside = "fitted to " + inside
        return (f"{head}; months paid under the status quo {self.achieved_months:.3f} "
                f"(target {self.target_months:g}); duration elasticity "
                f"{self.duration_elasticity:.3f}, {inside} the literature's {lo:g}-{hi:g}")


def calibrate_R_mean(claimants: Claimants, target_months: float, M: float,
                     status_quo: float, kappa: float, *,
                     patience: float = DEFAULT_PATIENCE) -> Claimants:
    """The claimants with ``R_mean`` refitted so the status quo pays ``target_months``.

    Solved by Brent's method over ``R_mean`` in [0.02, 0.95]: months paid per recipient
    under the flat benefit ``status_quo`` without monitoring equal the target.

    Parameters
    ----------
    claimants : Claimants
        Everything but ``R_mean`` is kept.
    target_months : float
        Months paid per recipient the data show.
    M : float
        Entitlement in months.
    status_quo : float
        The flat monthly benefit (元).
    kappa : float
        Monitoring cost per claimant-month (元).
    patience : float, keyword-only
        The claimants' monthly discount factor (the model's, :class:`Bridge`).

    Returns
    -------
    Claimants
        With the fitted ``R_mean``.

    Raises
    ------
    InfeasibleProblemError
        No ``R_mean`` in [0.02, 0.95] reaches the target (the message gives the closest).

    Examples
    --------
    >>> c = calibrate_R_mean(Claimants(R_mean=0.5), 4.63, 12.0, 1530.0, 60.0)
    >>> round(c.R_mean, 6) == round(DEFAULT_R_MEAN, 6)
    True
    """

    def gap(mean: float) -> float:
        c = replace(claimants, R_mean=mean)
        beh = Bridge(c, entitlement_months=M, monitoring_cost=kappa,
                     patience=patience).behaviour(U0=status_quo, U=status_quo,
                                                  U1=status_quo, x=0.0)
        return beh.months_paid - target_months

    lo, hi = gap(0.02), gap(0.95)
    if lo * hi > 0:
        reached = f"{hi + target_months:.2f}" if lo < 0 else f"{lo + target_months:.2f}"
        raise InfeasibleProblemError(
            f"cannot calibrate R_mean: no mean job-finding probability in [0.02, 0.95] "
            f"makes the status quo ({status_quo:g} yuan, no monitoring) pay "
            f"{target_months:g} months per recipient (the closest is {reached}); with "
            f"wage = {claimants.wage:g} and C_median = {claimants.C_median:g} too few or too "
            "many claimants search -- change them or give R_mean explicitly")
    mean = sopt.brentq(gap, 0.02, 0.95, xtol=1e-10)
    return replace(claimants, R_mean=float(mean))


def _elasticity(claimants: Claimants, M: float, status_quo: float, kappa: float,
                patience: float) -> tuple[float, float]:
    """Months paid under the status quo and the duration elasticity (a 10% rise)."""
    bridge = Bridge(claimants, entitlement_months=M, monitoring_cost=kappa, patience=patience)
    up = 1.1 * status_quo
    m0, m1 = bridge.behaviour_many(U0=[status_quo, up], U=[status_quo, up],
                                   U1=[status_quo, up], x=0.0)["months_paid"]
    return float(m0), float((m1 / m0 - 1) / 0.1)


def fit_elasticity(claimants: Claimants, target_months: float, M: float,
                   status_quo: float, kappa: float, *,
                   patience: float = DEFAULT_PATIENCE) -> Claimants:
    """Fit the months paid and bring the duration elasticity into its range.

    ``R_mean`` is refitted to the months for every ``C_median`` tried; ``C_median`` is
    moved (only where needed) to the nearest edge of :data:`DURATION_ELASTICITY_RANGE`.

    Parameters
    ----------
    claimants : Claimants
        The claimants to fit.
    target_months : float
        Months paid per recipient the data show.
    M, status_quo, kappa : float
        Entitlement (months), the flat benefit (元) and the monitoring cost (元).
    patience : float, keyword-only
        The claimants' monthly discount factor.

    Returns
    -------
    Claimants
        With ``R_mean`` (and, where needed, ``C_median``) fitted.

    Raises
    ------
    InfeasibleProblemError
        The months cannot be reached, or no ``C_median`` brings the elasticity into range.

    Examples
    --------
    >>> c = fit_elasticity(Claimants(R_mean=DEFAULT_R_MEAN), 4.63, 12.0, 1530.0, 60.0)
    >>> c.C_median > 600.0          # the default's elasticity, 0.15, is below 0.4
    True
    """
    lo, hi = DURATION_ELASTICITY_RANGE
    fitted = calibrate_R_mean(claimants, target_months, M, status_quo, kappa,
                              patience=patience)
    e0 = _elasticity(fitted, M, status_quo, kappa, patience)[1]
    if lo <= e0 <= hi:
        return fitted
    target = lo if e0 < lo else hi

    def gap(median: float) -> float:
        c = calibrate_R_mean(replace(claimants, C_median=median), target_months, M,
                             status_quo, kappa, patience=patience)
        return _elasticity(c, M, status_quo, kappa, patience)[1] - target

    # the elasticity rises with the median search cost (more claimants at the margin)
    a = b = claimants.C_median
    step = 1.25 if e0 < lo else 0.8
    g_b = e0 - target
    for _ in range(40):
        a, b = b, b * step
        try:
            g_b = gap(b)
        except InfeasibleProblemError:
            break
        if g_b * (e0 - target) <= 0:
            median = sopt.brentq(gap, min(a, b), max(a, b), xtol=1e-6)
            return calibrate_R_mean(replace(claimants, C_median=float(median)),
                                    target_months, M, status_quo, kappa, patience=patience)
    raise InfeasibleProblemError(
        f"cannot calibrate the duration elasticity into {lo:g}-{hi:g}: moving C_median "
        f"from {claimants.C_median:g} to {b:g} (R_mean refitted to {target_months:g} "
        f"months) leaves it at {g_b + target:.3f}; give C_median explicitly and "
        "calibrate='months'")


def calibration_report(claimants: Claimants, *, before: Claimants, recalibrated: bool,  # noqa: PLR0913 the calibration's settings, keyword-only, each documented
                       target: float, M: float, status_quo: float, kappa: float,
                       elasticity_fitted: bool = False,
                       patience: float = DEFAULT_PATIENCE) -> Calibration:
    """What the calibration did, and the model's duration elasticity at the status quo.

    The elasticity is that of months paid in a flat benefit without monitoring, measured
    by a 10% rise from ``status_quo`` (an arc elasticity).

    Parameters
    ----------
    claimants : Claimants
        The claimants the problem uses (after any refit).
    before : Claimants
        The claimants before any refit.
    recalibrated : bool
        Whether a refit was applied.
    target : float
        Months paid per recipient the data show.
    M, status_quo, kappa : float
        Entitlement (months), the flat benefit (元) and the monitoring cost (元).
    elasticity_fitted : bool
        Whether the elasticity was a target (:func:`fit_elasticity`).
    patience : float
        The claimants' monthly discount factor.

    Returns
    -------
    Calibration
        Target, achieved months, what moved, the elasticity.

    Examples
    --------
    >>> c = Claimants(R_mean=DEFAULT_R_MEAN)
    >>> report = calibration_report(c, before=c, recalibrated=False, target=4.63, M=12.0,
    ...                             status_quo=1530.0, kappa=60.0)
    >>> report.moved, round(report.achieved_months, 2), round(report.duration_elasticity, 2)
    ({}, 4.63, 0.15)
    """
    m0, elasticity = _elasticity(claimants, M, status_quo, kappa, patience)
    moved = {}
    if recalibrated:
        moved["R_mean"] = (before.R_mean, claimants.R_mean)
        if claimants.C_median != before.C_median:
            moved["C_median"] = (before.C_median, claimants.C_median)
    return Calibration(recalibrated, target, m0, moved, elasticity,
                       elasticity_fitted=elasticity_fitted)
