"""Equilibrium families: strategies as formulas, the condition under which they hold."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import sympy as sp

from gametheory.errors import GameParameterError

__all__ = ["Equilibrium", "EquilibriumArrays"]

#: Points evaluated per block by :meth:`Equilibrium.lambdify`'s function: small enough for
#: the temporaries to stay in cache, large enough that numpy's per-call overhead is small.
BLOCK = 1 << 13


class EquilibriumArrays(NamedTuple):
    """Strategies and validity of one equilibrium family over arrays of parameter points.

    ``row`` has shape ``(n_rows, *shape)``, ``col`` ``(n_cols, *shape)``, ``valid``
    ``shape``: ``valid`` is where the family's condition holds (and the formulas are
    finite).  Unpacks as ``row, col, valid = f(...)``.
    """

    row: np.ndarray
    col: np.ndarray
    valid: np.ndarray


@dataclass(frozen=True)
class Equilibrium:
    """One equilibrium family of a game.

    Attributes
    ----------
    row, col : tuple of sympy.Expr
        The row and column players' mixed strategies as formulas in the parameters
        (``row[0]`` of the monitoring game is X*, ``col[0]`` is Y*).
    condition : sympy.Boolean
        Where in the (assumed) domain this family is an equilibrium: each strategy's
        support is played with positive probability and no strategy outside it does better.
    row_support, col_support : tuple of int
        The strategies played with positive probability.
    label : str
        E.g. ``"(monitor, effort)"`` or ``"mixed"``.
    params : Mapping[str, sympy.Symbol]
        The game's parameters, in order; the arguments of :meth:`lambdify`.
    row_payoff, col_payoff : sympy.Expr
        Each player's expected payoff in the equilibrium.
    """

    row: tuple[sp.Expr, ...]
    col: tuple[sp.Expr, ...]
    condition: sp.Basic
    row_support: tuple[int, ...]
    col_support: tuple[int, ...]
    label: str
    params: Mapping[str, sp.Symbol] = field(repr=False)
    row_payoff: sp.Expr = field(default=sp.Integer(0), repr=False)
    col_payoff: sp.Expr = field(default=sp.Integer(0), repr=False)
    _cache: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def kind(self) -> str:
        """``"pure"`` or ``"mixed"``."""
        return "pure" if len(self.row_support) == len(self.col_support) == 1 else "mixed"

    # ---------------------------------------------------------------- numbers
    def lambdify(self) -> Callable[..., EquilibriumArrays]:
        """A vectorised numpy function of the parameters: strategies and validity mask.

        The function takes the parameters by name (or positionally in ``params`` order) as
        scalars or broadcastable arrays and returns :class:`EquilibriumArrays`.  Common
        subexpressions are shared (``cse``) and the points are processed in cache-sized
        blocks, so millions of points cost little more than the arithmetic itself.

        >>> from gametheory import models
        >>> mixed = models.monitoring_game().mixed_equilibrium()
        >>> f = mixed.lambdify()
        >>> out = f(U0=1, U=2, U1=4, R=0.5, W=3, C=1, C0=0.5, E=0.2)
        >>> round(float(out.row[0]), 6), round(float(out.col[0]), 6), bool(out.valid)
        (0.2, 0.6, True)
        """
        if "f" not in self._cache:
            self._cache["f"] = _compile(self)
        return self._cache["f"]  # type: ignore[no-any-return]

    def at(self, **values: float) -> tuple[np.ndarray, np.ndarray]:
        """The strategies at one numeric point (regardless of whether the condition holds)."""
        out = self.lambdify()(**values)
        return np.asarray(out.row, dtype=float), np.asarray(out.col, dtype=float)

    def holds_at(self, **values: float) -> bool:
        """Whether the family's condition holds at one numeric point."""
        return bool(self.lambdify()(**values).valid)

    # ---------------------------------------------------------------- display
    def to_dict(self) -> dict[str, object]:
        """Plain-text fields, e.g. for JSON output."""
        return {
            "label": self.label,
            "kind": self.kind,
            "row": [str(e) for e in self.row],
            "col": [str(e) for e in self.col],
            "condition": str(self.condition),
            "row_payoff": str(self.row_payoff),
            "col_payoff": str(self.col_payoff),
        }

    def _repr_latex_(self) -> str:
        row = ", ".join(sp.latex(e) for e in self.row)
        col = ", ".join(sp.latex(e) for e in self.col)
        cond = sp.latex(self.condition)
        return (f"$\\text{{{self.label}}}:\\ x = \\left({row}\\right),\\ "
                f"y = \\left({col}\\right)\\quad \\text{{if }} {cond}$")


def _compile(eq: Equilibrium) -> Callable[..., EquilibriumArrays]:
    names = list(eq.params)
    symbols = [eq.params[k] for k in names]
    outputs = [*eq.row, *eq.col, eq.condition]
    raw = sp.lambdify(symbols, outputs, modules="numpy", cse=True)
    n_row, n_col = len(eq.row), len(eq.col)

    def evaluate(*args: object, **kwargs: object) -> EquilibriumArrays:
        values = _bind(names, args, kwargs)
        try:
            arrays = np.broadcast_arrays(*values)
        except ValueError:
            shapes = {k: np.shape(v) for k, v in zip(names, values, strict=True)}
            raise GameParameterError("shapes", shapes, "the parameter arrays must "
                                     "broadcast to one shape") from None
        shape = arrays[0].shape if arrays else ()
        flat = [a.reshape(-1) for a in arrays]
        size = flat[0].size if flat else 1
        row = np.empty((n_row, size))
        col = np.empty((n_col, size))
        valid = np.empty(size, dtype=bool)
        with np.errstate(all="ignore"):
            for start in range(0, max(size, 1), BLOCK):
                stop = min(start + BLOCK, size)
                res = raw(*(a[start:stop] for a in flat))
                for k in range(n_row):
                    row[k, start:stop] = res[k]
                for k in range(n_col):
                    col[k, start:stop] = res[n_row + k]
                valid[start:stop] = res[-1]  # a constant True/False broadcasts
            valid &= np.isfinite(row).all(axis=0) & np.isfinite(col).all(axis=0)
        return EquilibriumArrays(row.reshape((n_row, *shape)), col.reshape((n_col, *shape)),
                                 valid.reshape(shape))

    evaluate.__doc__ = f"Strategies and validity of {eq.label!r}; arguments {', '.join(names)}."
    return evaluate


def _bind(names: list[str], args: tuple, kwargs: dict) -> list[np.ndarray]:
    if len(args) > len(names):
        raise GameParameterError("arguments", len(args), f"at most {len(names)} positional")
    values = dict(zip(names, args, strict=False))
    for key, value in kwargs.items():
        if key not in names:
            raise GameParameterError(key, value, f"unknown parameter; expected one of {names}")
        if key in values:
            raise GameParameterError(key, value, "given twice")
        values[key] = value
    missing = [k for k in names if k not in values]
    if missing:
        raise GameParameterError(missing[0], None, f"missing; all of {names} are needed")
    out = []
    for k in names:
        v = values[k]
        raw = np.asarray(v)
        if raw.dtype.kind not in "biuf":  # None, text and objects are not numbers
            raise GameParameterError(k, v, "must be numeric (int or float, or arrays of them)")
        arr = raw.astype(float)
        out.append(arr)
    return out
