r"""The CIR transition density's numeric core (private; the public door is :class:`fund.CIR`).

``cir_logpdf`` evaluates the log of the seed's (2.15), vectorised, with no input checks;
``log_iv`` the log of the modified Bessel function :math:`I_q` from the exponentially
scaled ``scipy.special.ive`` and, where that underflows, from its series in log space.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from scipy import special

from fund.processes._common import FloatArray

__all__ = ["cir_logpdf", "log_iv"]


def cir_logpdf(
    y: FloatArray, x: FloatArray, dt: Any, kappa: float, theta: float, sigma: float
) -> FloatArray:
    """Log transition density, broadcast over ``y``, ``x``, ``dt`` (no input checks)."""
    y, x, dt = np.broadcast_arrays(
        np.asarray(y, float), np.asarray(x, float), np.asarray(dt, float)
    )
    ekt = np.exp(-kappa * dt)
    c = 2.0 * kappa / (sigma**2 * -np.expm1(-kappa * dt))
    q = 2.0 * kappa * theta / sigma**2 - 1.0
    u = c * x * ekt
    v = c * y
    out = np.empty(y.shape)
    pos = (u > 0) & (v > 0)
    if np.any(pos):
        up, vp = u[pos], v[pos]
        z = 2.0 * np.sqrt(up * vp)
        out[pos] = np.log(c[pos]) - up - vp + 0.5 * q * np.log(vp / up) + log_iv(q, z)
    zero_x = (u == 0) & (v > 0)  # start at 0: gamma(q + 1, scale 1/c) law
    if np.any(zero_x):
        vz = v[zero_x]
        out[zero_x] = np.log(c[zero_x]) + q * np.log(vz) - vz - special.gammaln(q + 1.0)
    zero_y = v == 0
    if np.any(zero_y):
        out[zero_y] = -np.inf if q > 0 else (np.log(c[zero_y]) - u[zero_y] if q == 0 else np.inf)
    return out


def log_iv(q: float, z: FloatArray) -> FloatArray:
    """``log I_q(z)`` for ``z > 0``, ``q > -1``: scaled Bessel where safe, log-series elsewhere."""
    with np.errstate(divide="ignore", invalid="ignore", under="ignore"):
        scaled = special.ive(q, z)
        out = np.log(scaled) + z
    bad = ~np.isfinite(out) | (scaled < 1e-280)
    if np.any(bad):
        out[bad] = _log_iv_series(q, z[bad])
    return np.asarray(out, dtype=np.float64)


def _log_iv_series(q: float, z: FloatArray) -> FloatArray:
    r"""``log I_q(z) = q log(z/2) - lgamma(q+1) + log sum_n (z^2/4)^n / (n! (q+1)_n)`` in log space.

    Used only where ``ive`` underflows, i.e. the order dominates the argument; the terms
    peak near ``n* = (sqrt(q^2 + z^2) - q)/2`` and enough terms past the peak are summed.
    """
    zmax = float(np.max(z))
    npeak = 0.5 * (math.sqrt(q * q + zmax * zmax) - q)
    n_terms = int(npeak + 12.0 * math.sqrt(npeak + 1.0) + 60.0)
    n = np.arange(n_terms, dtype=float)[:, None]
    base = special.gammaln(n + 1.0) + special.gammaln(q + n + 1.0) - special.gammaln(q + 1.0)
    out = np.empty(z.shape)
    step = max(1, 2_000_000 // n_terms)  # bound the (n_terms, batch) work array to ~16 MB
    for i in range(0, z.size, step):
        zz = z[i:i + step]
        log_terms = n * np.log(zz * zz / 4.0)[None, :] - base
        out[i:i + step] = (q * np.log(zz / 2.0) - special.gammaln(q + 1.0)
                           + special.logsumexp(log_terms, axis=0))
    return out


