"""Symbolic support enumeration for n x m games.

For every pair of supports ``I`` (rows) and ``J`` (columns) of equal size ``k``, the
column strategy ``y`` on ``J`` that makes the row player indifferent over ``I`` and the row
strategy ``x`` on ``I`` that makes the column player indifferent over ``J`` are solved as
linear systems in sympy.  The family is an equilibrium where

* every probability in the supports is positive,
* no row outside ``I`` earns more against ``y``, no column outside ``J`` more against ``x``,

which is the family's *condition*, simplified on the game's assumptions
(:mod:`gametheory.conditions`).  Families whose systems are singular for all parameter
values are skipped: they are degenerate, and their equilibria (continua) are found at
numeric points by :mod:`gametheory.extreme`.  Families whose condition is provably false
are dropped.  References: von Stengel (2007), "Equilibrium computation for two-player
games in strategic and extensive form", section 3.3; nashpy's ``support_enumeration``.
"""

from __future__ import annotations

import itertools

import sympy as sp

from gametheory.conditions import positive_condition, simplify_and, solve_relation
from gametheory.domain import Domain
from gametheory.equilibrium import Equilibrium
from gametheory.signs import prove_sign

__all__ = ["support_enumeration"]


def _indifference(
    M: sp.Matrix, rows: tuple[int, ...], cols: tuple[int, ...]
) -> tuple[list[sp.Expr], sp.Expr, sp.Expr] | None:
    """Solve ``M[rows, cols] p = v 1``, ``sum p = 1``; return (p, v, determinant)."""
    k = len(rows)
    system = sp.zeros(k + 1, k + 1)
    for a, i in enumerate(rows):
        for b, j in enumerate(cols):
            system[a, b] = M[i, j]
        system[a, k] = -1
    for b in range(k):
        system[k, b] = 1
    det = sp.factor(system.det(method="berkowitz"))
    if det == 0:
        return None
    rhs = sp.Matrix([0] * k + [1])
    sol = system.LUsolve(rhs)
    probs = [sp.factor(sp.cancel(sol[b])) for b in range(k)]
    value = sp.factor(sp.cancel(sol[k]))
    return probs, value, det


def _label(row_labels: tuple[str, ...], col_labels: tuple[str, ...], rows: tuple[int, ...],
           cols: tuple[int, ...]) -> str:
    if len(rows) == len(cols) == 1:
        return f"({row_labels[rows[0]]}, {col_labels[cols[0]]})"
    r = ", ".join(row_labels[i] for i in rows)
    c = ", ".join(col_labels[j] for j in cols)
    return f"mixed {{{r}}} x {{{c}}}"


def support_enumeration(
    A: sp.Matrix,
    B: sp.Matrix,
    domain: Domain,
    row_labels: tuple[str, ...],
    col_labels: tuple[str, ...],
    *,
    include_impossible: bool = False,
) -> list[Equilibrium]:
    """Every equilibrium family of ``(A, B)`` by support enumeration (see module doc)."""
    n, m = A.shape
    out: list[Equilibrium] = []
    for k in range(1, min(n, m) + 1):
        for rows in itertools.combinations(range(n), k):
            for cols in itertools.combinations(range(m), k):
                eq = _family(A, B, domain, rows, cols, row_labels, col_labels)
                if eq is not None and (include_impossible or eq.condition is not sp.false):
                    out.append(eq)
    return out


def _no_better_reply(M: sp.Matrix, other: list[sp.Expr], value: sp.Expr,
                     own: tuple[int, ...], other_support: tuple[int, ...],
                     domain: Domain) -> list[sp.Basic]:
    """A player's strategies outside ``own`` pay at most ``value`` against ``other``.

    ``M`` is the player's payoff matrix with the player's strategies as rows (the column
    player's is ``B.T``).
    """
    return [positive_condition(value - sum(M[i, j] * other[j] for j in other_support),
                               domain, strict=False)
            for i in range(M.shape[0]) if i not in own]


def _nonsingular(*dets: sp.Expr, domain: Domain) -> list[sp.Basic]:
    """``det != 0`` for each determinant whose sign is not proven on the domain."""
    out: list[sp.Basic] = []
    for det in dets:
        if not det.is_number:
            sign = prove_sign(det, domain, _witness_search=False).sign
            if sign not in ("positive", "negative"):
                out.append(solve_relation(det, "!=", domain))
    return out


def _family(A: sp.Matrix, B: sp.Matrix, domain: Domain, rows: tuple[int, ...],
            cols: tuple[int, ...], row_labels: tuple[str, ...],
            col_labels: tuple[str, ...]) -> Equilibrium | None:
    n, m = A.shape
    col_sol = _indifference(A, rows, cols)  # y on cols, row player's value
    row_sol = _indifference(B.T, cols, rows)  # x on rows, column player's value
    if col_sol is None or row_sol is None:
        return None
    y_part, v, det_y = col_sol
    x_part, u, det_x = row_sol
    x = [sp.Integer(0)] * n
    y = [sp.Integer(0)] * m
    for a, i in enumerate(rows):
        x[i] = x_part[a]
    for b, j in enumerate(cols):
        y[j] = y_part[b]
    parts: list[sp.Basic] = []
    if len(rows) > 1:
        parts += [positive_condition(p, domain) for p in x_part]
        parts += [positive_condition(p, domain) for p in y_part]
    parts += _no_better_reply(A, y, v, rows, cols, domain)
    parts += _no_better_reply(B.T, x, u, cols, rows, domain)
    parts += _nonsingular(det_x, det_y, domain=domain)
    return Equilibrium(
        row=tuple(x),
        col=tuple(y),
        condition=simplify_and(parts, domain),
        row_support=rows,
        col_support=cols,
        label=_label(row_labels, col_labels, rows, cols),
        params=domain.params,
        row_payoff=v,
        col_payoff=u,
    )
