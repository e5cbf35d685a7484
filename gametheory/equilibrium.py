"""Equilibrium families: strategies as formulas, the condition under which they hold."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import sympy as sp

from gametheory.errors import GameParameterError

__all__ = ["Equilibrium", "EquilibriumArrays", "compile_families"]

#: Points evaluated per block by :meth:`Equilibrium.lambdify`'s function: small enough for
#: the temporaries to stay in cache, large enough that numpy's per-call overhead is small.
BLOCK = 1 << 14


class EquilibriumArrays(NamedTuple):
    """Strategies and validity of one equilibrium family over arrays of parameter points.

    ``row`` has shape ``(n_rows, *shape)``, ``col`` ``(n_cols, *shape)``, ``valid``
    ``shape``: ``valid`` is where the family's condition holds (and the formulas are
    finite).  Unpacks as ``row, col, valid = f(...)``.  A family whose strategies are all
    constant (a pure equilibrium) returns them as read-only broadcast views.
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
    """A blocked numpy evaluator of one family (see :func:`compile_families`)."""
    many = compile_families([eq], eq.params)

    def evaluate(*args: object, **kwargs: object) -> EquilibriumArrays:
        return many(*args, **kwargs)[0]

    evaluate.__doc__ = f"Strategies and validity of {eq.label!r}; arguments {', '.join(eq.params)}."
    return evaluate


def compile_families(
    families: list[Equilibrium], params: Mapping[str, sp.Symbol]
) -> Callable[..., tuple[EquilibriumArrays, ...]]:
    """One blocked numpy evaluator for several families of a game at once.

    Every formula and condition of every family is lambdified together, sharing common
    subexpressions (``cse``), and evaluated block by block: each input is read from memory
    once for all families, and the temporaries stay in cache.  Constant strategies (every
    pure family) are not computed per point: they come back as read-only broadcast views,
    so a pure family costs only its condition.
    """
    names = list(params)
    symbols = [params[k] for k in names]
    outputs: list[sp.Basic] = []
    plans = []
    for eq in families:
        strategies = [*eq.row, *eq.col]
        constant = [bool(e.is_number) for e in strategies]
        values = np.array([float(e) if c else np.nan
                           for e, c in zip(strategies, constant, strict=True)])
        varying = [k for k, c in enumerate(constant) if not c]
        cond_const = eq.condition in (sp.true, sp.false)
        parts = [] if cond_const else list(
            eq.condition.args if isinstance(eq.condition, sp.And) else [eq.condition])
        first = len(outputs)
        outputs += [strategies[k] for k in varying] + parts
        plans.append((len(eq.row), len(eq.col), constant, values, varying, cond_const,
                      eq.condition is sp.true, first, len(parts)))
    raw = sp.lambdify(symbols, outputs, modules="numpy", cse=True) if outputs else None

    def evaluate(*args: object, **kwargs: object) -> tuple[EquilibriumArrays, ...]:
        values = _bind(names, args, kwargs)
        try:
            arrays = np.broadcast_arrays(*values)
        except ValueError:
            shapes = {k: np.shape(v) for k, v in zip(names, values, strict=True)}
            raise GameParameterError("shapes", shapes, "the parameter arrays must "
                                     "broadcast to one shape") from None
        shape = arrays[0].shape if arrays else ()
        flat = [np.ascontiguousarray(a).reshape(-1) for a in arrays]
        size = flat[0].size if flat else 1
        buffers = []
        for n_row, n_col, _, _, varying, cond_const, truth, _, _ in plans:
            both = np.empty((n_row + n_col, size)) if varying else None
            valid = np.full(size, truth) if cond_const else np.empty(size, dtype=bool)
            buffers.append((both, valid))
        if raw is not None:
            with np.errstate(all="ignore"):
                for start in range(0, max(size, 1), BLOCK):
                    stop = min(start + BLOCK, size)
                    res = raw(*(a[start:stop] for a in flat))
                    for plan, (both, valid) in zip(plans, buffers, strict=True):
                        _fill(plan, res, both, valid, start, stop)
        out = []
        for (n_row, n_col, constant, values_, *_), (both, valid) in zip(
                plans, buffers, strict=True):
            if both is None:
                both = np.broadcast_to(values_[:, None], (n_row + n_col, size))
            else:
                for k, c in enumerate(constant):
                    if c:
                        both[k] = values_[k]
            out.append(EquilibriumArrays(both[:n_row].reshape((n_row, *shape)),
                                         both[n_row:].reshape((n_col, *shape)),
                                         valid.reshape(shape)))
        return tuple(out)

    return evaluate


def _fill(plan: tuple, res: list, both: np.ndarray | None, valid: np.ndarray, start: int,
          stop: int) -> None:
    """Copy one block of one family's results into its buffers."""
    _, _, _, _, varying, cond_const, _, first, n_parts = plan
    n_var = len(varying)
    if n_var:
        for j, k in enumerate(varying):
            both[k, start:stop] = res[first + j]  # type: ignore[index]
    if not cond_const:
        ok = valid[start:stop]
        np.copyto(ok, res[first + n_var])
        for part in res[first + n_var + 1:first + n_var + n_parts]:
            ok &= part
        if n_var:  # a condition on non-finite strategies is not valid
            total = sum(np.asarray(res[first + j]) for j in range(n_var))
            ok &= np.isfinite(total)


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
        out.append(np.asarray(raw, dtype=float))  # no copy when already float64
    return out
