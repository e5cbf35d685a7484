"""Logit quantal response equilibrium (QRE) of a bimatrix game, traced over the precision.

At precision ``lam >= 0`` a logit QRE is a pair of mixed strategies where every player
plays each strategy with probability proportional to ``exp(lam * payoff)`` against the
other's strategy (McKelvey and Palfrey 1995, "Quantal response equilibria for normal form
games", Games Econ. Behav. 10, 6-38):

    x_i = exp(lam (A y)_i) / sum_k exp(lam (A y)_k),
    y_j = exp(lam (B' x)_j) / sum_k exp(lam (B' x)_k).

At ``lam = 0`` the unique QRE is uniform play; the *principal branch* is the curve of QRE
that starts there.  For a generic game it is a smooth curve that reaches a Nash
equilibrium as ``lam -> infinity`` (the *logit solution*).  The curve may turn back in
``lam``, so it is followed by pseudo-arclength continuation in ``(log x, log y, lam)``
(predictor along the tangent, Newton corrector on the plane orthogonal to it, step size
adapted to the corrector's progress), as Gambit's ``logit_solve`` does (Turocy 2005,
"A dynamic homotopy interpretation of the logistic quantal response equilibrium
correspondence", Games Econ. Behav. 51, 243-263).  Neither nashpy nor scipy traces a QRE
branch: scipy gives root finders, not a homotopy path follower, so the tracer is here,
with numpy's linear algebra.

The precision is in units of 1/payoff: doubling every payoff is the same as doubling the
precision.

>>> import numpy as np
>>> A = np.array([[3.0, 0.0], [0.0, 1.0]])
>>> B = np.array([[1.0, 0.0], [0.0, 3.0]])
>>> x, y = logit_qre(A, B, 0.0)
>>> x.tolist(), y.tolist()
([0.5, 0.5], [0.5, 0.5])
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from gametheory.errors import GameParameterError, QRETraceError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["QREBranch", "logit_branch", "logit_qre"]

Array = NDArray[np.float64]

#: Largest number of predictor-corrector steps along a branch before the trace gives up.
MAX_STEPS = 20_000
#: Residual (max norm of the QRE equations in log-probabilities) a point must reach.
TOLERANCE = 1e-12
_FIRST_STEP = 0.03
_MAX_ACCEL = 1.5
_MIN_STEP = 1e-12
#: A corrector step must shrink the residual by this factor (or reach this size) to go on.
_CONTRACTION = 0.5
_SMALL = 1e-9
#: Dimensions of a payoff matrix.
_MATRIX = 2


@dataclass(frozen=True)
class QREBranch:
    """Points of the principal logit-QRE branch, in the order traced.

    Attributes
    ----------
    precision : numpy.ndarray
        ``lam`` at each point, shape ``(k,)``.
    row, col : numpy.ndarray
        The row and column players' strategies, shapes ``(k, n)`` and ``(k, m)``.
    """

    precision: Array
    row: Array
    col: Array

    def __repr__(self) -> str:
        """Readable summary: the number of points and the precision range."""
        return (f"QREBranch({len(self.precision)} points, precision "
                f"{self.precision[0]:g} .. {self.precision[-1]:g})")

    def to_frame(self) -> pd.DataFrame:
        """The branch as a table: ``precision``, ``x1..xn``, ``y1..ym``.

        Returns
        -------
        pandas.DataFrame
            One row per traced point.

        Examples
        --------
        >>> import numpy as np
        >>> b = logit_branch(np.eye(2), np.eye(2), 1.0)
        >>> list(b.to_frame().columns)
        ['precision', 'x1', 'x2', 'y1', 'y2']
        """
        import pandas as pd  # noqa: PLC0415 (pandas only for tables, as in Game.to_frame)

        data: dict[str, Array] = {"precision": self.precision}
        for k in range(self.row.shape[1]):
            data[f"x{k + 1}"] = self.row[:, k]
        for k in range(self.col.shape[1]):
            data[f"y{k + 1}"] = self.col[:, k]
        return pd.DataFrame(data)


def _check(A: Array, B: Array, precision: float) -> tuple[Array, Array, float]:
    """Matrices as float arrays of one shape, precision a finite number >= 0."""
    A = np.asarray(A, dtype=float)
    B = np.asarray(B, dtype=float)
    if A.ndim != _MATRIX or A.shape != B.shape or 0 in A.shape:
        raise GameParameterError("payoffs", f"shapes {A.shape} and {B.shape}",
                                 "must be two non-empty matrices of one shape")
    if not (np.all(np.isfinite(A)) and np.all(np.isfinite(B))):
        raise GameParameterError("payoffs", "non-finite entries", "must all be finite")
    if isinstance(precision, bool) or not isinstance(precision, int | float | np.number):
        raise GameParameterError("precision", precision, "must be a real number >= 0")
    lam = float(precision)
    if not np.isfinite(lam) or lam < 0:
        raise GameParameterError("precision", precision, "must be a finite number >= 0")
    return A, B, lam


def _split(z: Array, n: int) -> tuple[Array, Array, float]:
    return np.exp(z[:n]), np.exp(z[n:-1]), float(z[-1])


def _residual(z: Array, A: Array, B: Array) -> Array:
    """The QRE equations at ``z = (log x, log y, lam)``: ``n + m`` values."""
    n = A.shape[0]
    x, y, lam = _split(z, n)
    u = A @ y
    v = B.T @ x
    lx, ly = z[:n], z[n:-1]
    return np.concatenate([
        (lx[1:] - lx[0]) - lam * (u[1:] - u[0]), [x.sum() - 1.0],
        (ly[1:] - ly[0]) - lam * (v[1:] - v[0]), [y.sum() - 1.0],
    ])


def _jacobian(z: Array, A: Array, B: Array) -> Array:
    """Derivative of :func:`_residual` in ``z``: shape ``(n + m, n + m + 1)``."""
    n, m = A.shape
    x, y, lam = _split(z, n)
    u = A @ y
    v = B.T @ x
    J = np.zeros((n + m, n + m + 1))
    J[: n - 1, 0] = -1.0
    J[: n - 1, 1:n] = np.eye(n - 1)
    J[: n - 1, n:n + m] = -lam * (A[1:] - A[0]) * y
    J[: n - 1, -1] = -(u[1:] - u[0])
    J[n - 1, :n] = x
    r = n  # first column-player equation
    J[r:r + m - 1, n] = -1.0
    J[r:r + m - 1, n + 1:n + m] = np.eye(m - 1)
    J[r:r + m - 1, :n] = -lam * (B[:, 1:] - B[:, [0]]).T * x
    J[r:r + m - 1, -1] = -(v[1:] - v[0])
    J[n + m - 1, n:n + m] = y
    return J


def _tangent(J: Array, previous: Array | None) -> Array:
    """Unit null vector of ``J``, oriented along ``previous`` (or with ``lam`` rising)."""
    q, _ = np.linalg.qr(J.T, mode="complete")
    t: Array = q[:, -1]
    reference = previous if previous is not None else np.eye(len(t))[-1]
    return -t if float(t @ reference) < 0 else t


def _correct(z: Array, t: Array, A: Array, B: Array) -> tuple[Array, bool]:
    """Newton on the QRE equations plus ``t . (z - z0) = 0`` (the plane through ``z0``)."""
    z0 = z.copy()
    last = np.inf
    for _ in range(8):
        F = np.append(_residual(z, A, B), t @ (z - z0))
        size = float(np.max(np.abs(F)))
        if size < TOLERANCE:
            return z, True
        if size > _CONTRACTION * last and size > _SMALL:
            return z, False  # not contracting: the step was too long
        last = size
        M = np.vstack([_jacobian(z, A, B), t])
        try:
            z = z - np.linalg.solve(M, F)
        except np.linalg.LinAlgError:
            return z, False
    F = np.append(_residual(z, A, B), t @ (z - z0))
    return z, float(np.max(np.abs(F))) < TOLERANCE


def _at_precision(z: Array, lam: float, A: Array, B: Array) -> Array:
    """Newton at fixed ``lam`` from a nearby branch point (the last step's end)."""
    z = z.copy()
    z[-1] = lam
    for _ in range(50):
        F = _residual(z, A, B)
        if float(np.max(np.abs(F))) < TOLERANCE:
            return z
        J = _jacobian(z, A, B)[:, :-1]
        z[:-1] -= np.linalg.solve(J, F)
    raise QRETraceError(f"precision = {lam!r}: Newton's method did not converge on the "
                        "branch; the game may be near a bifurcation of the QRE curve")


def _trace(A: Array, B: Array, target: float) -> tuple[list[Array], Array]:
    """Branch points from uniform play up to ``target``; the last one is at ``target``."""
    n, m = A.shape
    z = np.concatenate([np.full(n, -np.log(n)), np.full(m, -np.log(m)), [0.0]])
    points = [z]
    if target == 0.0:
        return points, z
    t = _tangent(_jacobian(z, A, B), None)
    h = _FIRST_STEP
    for _ in range(MAX_STEPS):
        new, ok = _correct(z + h * t, t, A, B)
        if not ok:
            h /= 2.0
            if h < _MIN_STEP:
                break
            continue
        if new[-1] >= target:
            final = _at_precision(z + (target - z[-1]) / (new[-1] - z[-1]) * (new - z),
                                  target, A, B)
            points.append(final)
            return points, final
        t = _tangent(_jacobian(new, A, B), t)
        z = new
        points.append(z)
        h *= _MAX_ACCEL
    raise QRETraceError(f"precision = {target!r}: the branch was not followed that far "
                        f"(stopped at precision {z[-1]:.6g} after {len(points)} points)")


def logit_branch(A: Array, B: Array, precision: float) -> QREBranch:
    """The principal logit-QRE branch from precision 0 up to ``precision``.

    Parameters
    ----------
    A, B : array_like, shape (n, m)
        Row and column players' payoffs.
    precision : float
        The largest precision ``lam >= 0`` traced to (the branch's last point).

    Returns
    -------
    QREBranch
        Every point the tracer accepted, the last one exactly at ``precision``.

    Raises
    ------
    GameParameterError
        Matrices of different shapes or with non-finite entries; a precision that is not a
        finite number >= 0.
    QRETraceError
        The tracer could not follow the branch to ``precision``.

    Examples
    --------
    >>> import numpy as np
    >>> b = logit_branch(np.array([[1.0, 0.0], [0.0, 1.0]]), np.eye(2), 2.0)
    >>> float(b.precision[-1]), b.row[-1].round(3).tolist()
    (2.0, [0.5, 0.5])
    """
    A, B, lam = _check(A, B, precision)
    points, _ = _trace(A, B, lam)
    Z = np.array(points)
    n = A.shape[0]
    return QREBranch(precision=Z[:, -1], row=np.exp(Z[:, :n]), col=np.exp(Z[:, n:-1]))


def logit_qre(A: Array, B: Array, precision: float) -> tuple[Array, Array]:
    """The logit QRE on the principal branch at ``precision``, as ``(row, col)``.

    Where the branch turns back in precision, the first point reached at ``precision``
    is returned (as Gambit's ``logit_solve_lambda`` does).

    Parameters
    ----------
    A, B : array_like, shape (n, m)
        Row and column players' payoffs.
    precision : float
        ``lam >= 0``, in units of 1/payoff.

    Returns
    -------
    tuple of numpy.ndarray
        The row and the column player's mixed strategies.

    Raises
    ------
    GameParameterError
        As for :func:`logit_branch`.
    QRETraceError
        The tracer could not follow the branch to ``precision``.

    Examples
    --------
    >>> import numpy as np
    >>> A = np.array([[2.0, 0.0], [0.0, 1.0]])
    >>> x, y = logit_qre(A, A.copy(), 50.0)   # near the pure equilibrium (r1, c1)
    >>> x.round(6).tolist(), y.round(6).tolist()
    ([1.0, 0.0], [1.0, 0.0])
    """
    A, B, lam = _check(A, B, precision)
    _, z = _trace(A, B, lam)
    n = A.shape[0]
    x, y = np.exp(z[:n]), np.exp(z[n:-1])
    return x / x.sum(), y / y.sum()
