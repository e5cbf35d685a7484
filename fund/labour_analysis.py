"""Symbolic analysis of seed 000's labour-market model (sympy).

For a constant job demand ``P`` the four equations of :mod:`fund.labour_ode` are linear,
``ẋ = A x + b`` with ``x = (L, U, N, W)``.  :func:`analyse` derives in sympy the rank of
``A``, whether an equilibrium exists (generically it does not), the ``(U, N, W)`` block's
equilibrium, characteristic polynomial and Routh–Hurwitz stability conditions.

>>> analyse().rank
3
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fund.labour_ode import RATES, STATE, LabourParams

__all__ = ["LabourAnalysis", "analyse"]


@dataclass(frozen=True)
class LabourAnalysis:
    """The linear system for a constant ``P``, analysed in sympy.

    Attributes
    ----------
    symbols : dict of str to sympy.Symbol
        ``alpha .. eta`` (real), ``P``, ``W_star`` and the state ``L .. W``.
    matrix, forcing : sympy.Matrix
        ``d(L, U, N, W)/dt = matrix · (L, U, N, W) + forcing``.
    rank, augmented_rank : int
        Ranks of ``matrix`` and ``[matrix | forcing]`` (generic parameters).  ``rank = 3``:
        the ``L`` column is zero -- ``L`` is driven by ``U`` and ``W`` but feeds back on
        nothing, so it has no restoring force.  ``augmented_rank = 4``: no equilibrium.
    equilibrium : dict or None
        The 4-D equilibrium if one exists for generic parameters (it does not: ``None``).
    subsystem_equilibrium : dict
        The unique equilibrium of the ``(U, N, W)`` subsystem (``δηξ ≠ 0``).
    labour_force_drift : sympy.Expr
        ``dL/dt`` at that point: ``L`` moves linearly at this speed forever.
    equilibrium_condition : sympy.Relational
        ``α η = β δ``: only then the drift is zero and every ``L`` is an equilibrium.
    characteristic_polynomial : sympy.Expr
        Of the ``(U, N, W)`` block, in ``lambda``.
    eigenvalues : dict
        Of the full matrix, root -> multiplicity (``0`` from ``L``, three from the cubic).
    stability_conditions : tuple of sympy.Relational
        Routh–Hurwitz for the cubic: all must hold for the subsystem to be stable.

    Examples
    --------
    >>> a = analyse()
    >>> a.rank, a.equilibrium_condition
    (3, Eq(alpha*eta, beta*delta))
    """

    symbols: dict[str, Any]
    matrix: Any
    forcing: Any
    rank: int
    augmented_rank: int
    equilibrium: dict[str, Any] | None
    subsystem_equilibrium: dict[str, Any]
    labour_force_drift: Any
    equilibrium_condition: Any
    characteristic_polynomial: Any
    eigenvalues: dict[Any, int]
    stability_conditions: tuple[Any, ...]

    def stable_at(self, params: LabourParams) -> bool:
        """Whether the ``(U, N, W)`` subsystem is asymptotically stable at ``params``.

        Parameters
        ----------
        params : fund.labour_ode.LabourParams
            The rates to substitute.

        Returns
        -------
        bool
            Whether every Routh–Hurwitz condition holds.

        Examples
        --------
        >>> analyse().stable_at(LabourParams())
        False
        """
        values = {self.symbols[n]: getattr(params, n) for n in RATES}
        return all(bool(c.subs(values)) for c in self.stability_conditions)

    def _repr_latex_(self) -> str:
        import sympy as sp  # noqa: PLC0415 `import fund` does not load sympy; only this analysis needs it

        return f"$\\dot x = {sp.latex(self.matrix)} x + {sp.latex(self.forcing)}$"


def analyse() -> LabourAnalysis:
    """Symbolic analysis of the model for a constant job demand ``P``.

    The system is linear, ``ẋ = A x + b`` with ``x = (L, U, N, W)``.  ``A``'s first column
    is zero, so ``A`` is singular (rank 3) and ``0`` is an eigenvalue with eigenvector
    ``e_L``: the labour force is driven, not self-correcting.  The ``(U, N, W)`` block is
    regular when ``δηξ ≠ 0``; its equilibrium is ``N = P``, ``U = γP/η``,
    ``W = W* − γP/δ``, where ``dL/dt = γP(β/η − α/δ)``, so the full system has no
    equilibrium unless ``αη = βδ``.  The block's characteristic polynomial is
    ``λ³ + γλ² − γηλ − δηξ``; by Routh–Hurwitz it is stable iff ``γ > 0``,
    ``−δηξ > 0`` and ``η(δξ − γ²) > 0``.  For positive rates the constant term
    ``−δηξ`` is negative, so the cubic has a positive real root: the model is unstable
    for every positive parameter set.

    Returns
    -------
    LabourAnalysis

    Examples
    --------
    >>> a = analyse()
    >>> a.rank, a.augmented_rank, a.equilibrium
    (3, 4, None)
    >>> a.subsystem_equilibrium
    {'U': P*gamma/eta, 'N': P, 'W': -P*gamma/delta + W_star}
    >>> a.labour_force_drift
    -P*gamma*(alpha*eta - beta*delta)/(delta*eta)
    >>> a.characteristic_polynomial
    -delta*eta*xi - eta*gamma*lambda + gamma*lambda**2 + lambda**3
    >>> a.stability_conditions
    (gamma > 0, -delta*eta*xi > 0, eta*(delta*xi - gamma**2) > 0)
    """
    import sympy as sp  # noqa: PLC0415 `import fund` does not load sympy; only this analysis needs it

    rates = sp.symbols("alpha beta gamma delta xi eta", real=True)
    alpha, beta, gamma, delta, xi, eta = rates
    demand, w_star = sp.symbols("P W_star", real=True)
    state = sp.symbols("L U N W", real=True)
    lam = sp.Symbol("lambda")
    _big_l, u, n, w = state
    rhs = [alpha * (w - w_star) + beta * u,
           gamma * n + delta * (w - w_star),
           -gamma * n + eta * u,
           xi * (n - demand)]
    a_mat = sp.Matrix(rhs).jacobian(sp.Matrix(state))
    b_vec = sp.Matrix(rhs) - a_mat * sp.Matrix(state)
    b_vec = b_vec.applyfunc(sp.expand)
    rank = a_mat.rank()
    aug_rank = a_mat.row_join(b_vec).rank()
    full = sp.linsolve((a_mat, -b_vec), *state)
    equilibrium = None if full == sp.EmptySet else dict(zip(STATE, next(iter(full)),
                                                            strict=True))
    sub = sp.solve(rhs[1:], [u, n, w], dict=True)[0]
    sub_eq = {"U": sub[u], "N": sub[n], "W": sp.expand(sub[w])}
    drift = sp.factor(rhs[0].subs({u: sub[u], w: sub[w]}))
    block = a_mat[1:, 1:]
    charpoly = sp.expand((lam * sp.eye(3) - block).det())
    a2, a1, a0 = (charpoly.coeff(lam, k) for k in (2, 1, 0))
    conditions = (sp.Gt(a2, 0), sp.Gt(a0, 0), sp.Gt(sp.factor(a2 * a1 - a0), 0))
    return LabourAnalysis(
        symbols={**{s.name: s for s in rates}, "P": demand, "W_star": w_star,
                 **{s.name: s for s in state}},
        matrix=a_mat, forcing=b_vec, rank=rank, augmented_rank=aug_rank,
        equilibrium=equilibrium, subsystem_equilibrium=sub_eq, labour_force_drift=drift,
        equilibrium_condition=sp.Eq(alpha * eta, beta * delta),
        characteristic_polynomial=charpoly, eigenvalues=dict(a_mat.eigenvals()),
        stability_conditions=conditions,
    )
