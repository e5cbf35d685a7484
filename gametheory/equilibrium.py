"""Equilibrium families: strategies as formulas, the condition under which they hold."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, NamedTuple

import numpy as np
import sympy as sp
from sympy.core.relational import Relational

from gametheory.conditions import condition_latex, condition_text
from gametheory.errors import GameParameterError
from gametheory.exact import Undefined, decide, evaluate, exact_point

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

    Parameters
    ----------
    row : numpy.ndarray
        The row player's strategies, ``(n_rows, *shape)``.
    col : numpy.ndarray
        The column player's strategies, ``(n_cols, *shape)``.
    valid : numpy.ndarray
        Boolean, ``shape``: where the family's condition holds.

    Examples
    --------
    >>> from gametheory import models
    >>> f = models.monitoring_game().mixed_equilibrium().lambdify()
    >>> row, col, valid = f(U0=1, U=2, U1=4, R=0.5, W=3, C=1, C0=0.5, E=[0.2, 0.4])
    >>> row.shape, valid.tolist()
    ((2, 2), [True, True])
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
    assumptions : tuple of sympy.Basic
        The game's assumptions, under which ``condition`` is read.

    Examples
    --------
    >>> from gametheory import models
    >>> mixed = models.monitoring_game().mixed_equilibrium()
    >>> mixed.kind, mixed.row_support, mixed.col_support
    ('mixed', (0, 1), (0, 1))
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
    assumptions: tuple[sp.Basic, ...] = field(default=(), repr=False)
    _cache: dict[str, Callable[..., EquilibriumArrays]] = field(default_factory=dict,
                                                                 compare=False, repr=False)

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

        Returns
        -------
        callable
            ``f(**params) -> EquilibriumArrays``.

        Examples
        --------
        >>> from gametheory import models
        >>> mixed = models.monitoring_game().mixed_equilibrium()
        >>> f = mixed.lambdify()
        >>> out = f(U0=1, U=2, U1=4, R=0.5, W=3, C=1, C0=0.5, E=0.2)
        >>> round(float(out.row[0]), 6), round(float(out.col[0]), 6), bool(out.valid)
        (0.2, 0.6, True)
        """
        if "f" not in self._cache:
            self._cache["f"] = _compile(self)
        return self._cache["f"]

    def at(self, **values: float) -> tuple[np.ndarray, np.ndarray]:
        """The strategies at one numeric point (regardless of whether the condition holds).

        Parameters
        ----------
        **values : float
            A value for every parameter of the game.

        Returns
        -------
        row, col : numpy.ndarray
            The two mixed strategies at that point.

        Raises
        ------
        GameParameterError
            A parameter missing, unknown or not a finite real number.

        Examples
        --------
        >>> from gametheory import models
        >>> mixed = models.monitoring_game().mixed_equilibrium()
        >>> row, col = mixed.at(U0=1, U=2, U1=4, R=0.5, W=3, C=1, C0=0.5, E=0.2)
        >>> row.round(6).tolist(), col.round(6).tolist()
        ([0.2, 0.8], [0.6, 0.4])
        """
        out = self.lambdify()(**values)
        return np.asarray(out.row, dtype=float), np.asarray(out.col, dtype=float)

    def holds_at(self, **values: Any) -> bool:
        """Whether the family's condition holds at one numeric point, decided exactly.

        Values are read as ``Game.equilibria_at`` reads them (a float is its shortest
        decimal: ``0.3`` is ``3/10``); where a formula of the family has no value (a
        vanishing denominator) the family does not hold.

        Parameters
        ----------
        **values
            Every parameter, by name.

        Returns
        -------
        bool
            Whether the condition holds.

        Raises
        ------
        GameParameterError
            A value is missing, unknown, not a finite real number, or breaks one of the
            game's assumptions (as ``Game.equilibria_at``).

        Examples
        --------
        >>> from gametheory import models
        >>> g = models.monitoring_game()
        >>> seed = dict(U0=1510, U=1740, U1=2175, R=0.3, W=8000, C=1878, C0=600, E=100)
        >>> [eq.label for eq in g.equilibria() if eq.holds_at(**seed)]
        ["(don't monitor, effort)"]
        """
        subs = exact_point(self.params, self.assumptions, values, owner=self.label)
        try:
            return decide(self.condition, subs)
        except Undefined:
            return False

    # ---------------------------------------------------------------- display
    def to_dict(self) -> dict[str, object]:
        """Plain-text fields, e.g. for JSON output; the condition as readable ASCII inequalities.

        Returns
        -------
        dict of str to object
            ``label``, ``kind``, ``row``, ``col``, ``condition``, ``row_payoff`` and
            ``col_payoff`` as strings (the strategies as lists of strings).

        Examples
        --------
        >>> from gametheory import models
        >>> d = models.monitoring_game().mixed_equilibrium().to_dict()
        >>> list(d)
        ['label', 'kind', 'row', 'col', 'condition', 'row_payoff', 'col_payoff']
        """
        return {
            "label": self.label,
            "kind": self.kind,
            "row": [str(e) for e in self.row],
            "col": [str(e) for e in self.col],
            "condition": condition_text(self.condition, unicode=False),
            "row_payoff": str(self.row_payoff),
            "col_payoff": str(self.col_payoff),
        }

    def _repr_latex_(self) -> str:
        row = ", ".join(sp.latex(e) for e in self.row)
        col = ", ".join(sp.latex(e) for e in self.col)

        cond = condition_latex(self.condition)
        return (f"$\\text{{{self.label}}}:\\ x = \\left({row}\\right),\\ "
                f"y = \\left({col}\\right)\\quad \\text{{if }} {cond}$")


def _compile(eq: Equilibrium) -> Callable[..., EquilibriumArrays]:
    """A blocked numpy evaluator of one family (see :func:`compile_families`)."""
    many = compile_families([eq], eq.params, assumptions=eq.assumptions)

    def evaluate_one(*args: object, **kwargs: object) -> EquilibriumArrays:
        return many(*args, **kwargs)[0]

    evaluate_one.__doc__ = (f"Strategies and validity of {eq.label!r}; arguments "
                            f"{', '.join(eq.params)}.")
    return evaluate_one


# ------------------------------------------------------------------ conditions in floats
#: Unit round-off of a double.
_U = 2.0**-53
#: Below this magnitude a polynomial's float value is never trusted (underflow).
_FLOOR = 1e-150
_MIN, _MAX = np.minimum.reduce, np.maximum.reduce
_OPS: dict[type, Callable[[np.ndarray, float], np.ndarray]] = {
    sp.StrictLessThan: np.less, sp.LessThan: np.less_equal,
    sp.StrictGreaterThan: np.greater, sp.GreaterThan: np.greater_equal,
    sp.Equality: np.equal, sp.Unequality: np.not_equal,
}
_FLIP = {sp.StrictLessThan: sp.StrictGreaterThan, sp.LessThan: sp.GreaterThan,
         sp.StrictGreaterThan: sp.StrictLessThan, sp.GreaterThan: sp.LessThan,
         sp.Equality: sp.Equality, sp.Unequality: sp.Unequality}


def _form_bound(expr: sp.Expr) -> tuple[float, int, int]:
    """``(K, degree, operations)`` of a polynomial in the form it is evaluated.

    ``K`` is the form with every constant and variable replaced by its absolute value,
    at all variables 1; for ``M >= max(1, |x_i|)`` the form's absolute value is at most
    ``K * M**degree``, and the rounding error of its evaluation in doubles (inputs rounded
    from their decimals included) at most ``(operations + 1) * u`` times that (Higham,
    *Accuracy and Stability of Numerical Algorithms*, 2nd ed., section 3.1).
    """
    if expr.is_Symbol:
        return 1.0, 1, 0
    if expr.is_number:
        return abs(float(expr)), 0, 1
    parts = [_form_bound(a) for a in expr.args]
    ops = sum(p[2] for p in parts) + len(parts) - 1
    if isinstance(expr, sp.Add):
        return sum(p[0] for p in parts), max(p[1] for p in parts), ops
    if isinstance(expr, sp.Mul):
        return float(np.prod([p[0] for p in parts])), sum(p[1] for p in parts), ops
    base, power = parts[0], int(expr.args[1])  # a polynomial: a positive integer power
    return base[0] ** power, base[1] * power, base[2] + power


def _is_double(r: sp.Rational) -> bool:
    """Whether a rational is exactly a double (``0``, ``1``, ``0.5``; not ``0.1``)."""
    return Fraction(float(r)) == Fraction(int(r.p), int(r.q))


def _exact_in_doubles(expr: sp.Expr) -> bool:
    """Whether ``expr`` is ``x``, ``x - y`` or ``x - c`` with ``c`` a double.

    Then comparing it with 0 in doubles is exact (rounding a decimal to a double is monotone).
    """
    terms = sp.Add.make_args(expr)
    if len(terms) > 2:
        return False
    for t in terms:
        coeff, rest = t.as_coeff_Mul()
        if rest.is_Symbol and abs(coeff) == 1:
            continue
        if t.is_Rational and _is_double(t):
            continue
        return False
    return True


@dataclass(frozen=True)
class _Atom:
    """One relational ``h op 0`` of a condition, compiled for doubles with a tie test."""

    op: type
    first: int          # index of its first output
    den: bool           # outputs are (N, D): sign(h) = sign(N * D); else (N,)
    coef: float         # tolerance of |N| is coef * M**deg (plus _FLOOR); <0: exact
    deg: int
    coef_den: float
    deg_den: int


def _atom(rel: Relational, symbols: Sequence[sp.Symbol],
          outputs: list[sp.Basic]) -> _Atom:
    op = type(rel)
    h = rel.lhs - rel.rhs
    num, den = sp.fraction(sp.together(h))
    first = len(outputs)
    if not (num.is_polynomial(*symbols) and den.is_polynomial(*symbols)):
        outputs += [rel.lhs, rel.rhs]  # not a rational function: relative tolerance 1e-9
        return _Atom(op, first, False, -2.0, 0, 0.0, 0)
    if den.is_number:
        if den < 0:
            op = _FLIP[op]
        outputs.append(num)
        if _exact_in_doubles(num):
            return _Atom(op, first, False, -1.0, 0, 0.0, 0)
        k, deg, ops = _form_bound(num)
        return _Atom(op, first, False, 2 * (ops + 2) * _U * k, deg, 0.0, 0)
    outputs += [num, den]
    k, deg, ops = _form_bound(num)
    kd, degd, opsd = _form_bound(den)
    return _Atom(op, first, True, 2 * (ops + 2) * _U * k, deg, 2 * (opsd + 2) * _U * kd,
                 degd)


Program = tuple[str, Any]


def _program(cond: sp.Basic, symbols: Sequence[sp.Symbol], outputs: list[sp.Basic],
             atoms: list[_Atom]) -> Program:
    """A condition as a small tree of ``and``/``or``/``not`` over compiled atoms."""
    if cond is sp.true or cond is sp.false:
        return ("const", bool(cond))
    if isinstance(cond, sp.And | sp.Or):
        kind = "and" if isinstance(cond, sp.And) else "or"
        return (kind, [_program(c, symbols, outputs, atoms) for c in cond.args])
    if isinstance(cond, sp.Not):
        return ("not", _program(cond.args[0], symbols, outputs, atoms))
    if isinstance(cond, Relational) and type(cond) in _OPS:
        atoms.append(_atom(cond, symbols, outputs))
        return ("atom", len(atoms) - 1)
    raise GameParameterError("condition", str(cond), "cannot be evaluated in doubles")


def _near_zero(values: np.ndarray, tol: float) -> np.ndarray | None:
    """Where ``|values| <= tol``; ``None`` when nowhere (decided by one reduction)."""
    magnitude = np.abs(values)
    if magnitude.size == 0 or float(_MIN(magnitude)) > tol:
        return None
    near: np.ndarray = magnitude <= tol
    return near


def _run_atom(atom: _Atom, res: list[Any], scale: float) -> tuple[np.ndarray, np.ndarray | None]:
    """The atom's truth in doubles and where a tie cannot be ruled out (``None``: nowhere)."""
    num = np.asarray(res[atom.first], dtype=float)
    if atom.coef == -2.0:  # lhs, rhs of a non-rational relation
        rhs = np.asarray(res[atom.first + 1], dtype=float)
        diff = num - rhs
        return _OPS[atom.op](diff, 0.0), np.abs(diff) <= 1e-9 * (np.abs(num) + np.abs(rhs))
    if atom.coef < 0:
        return _OPS[atom.op](num, 0.0), None
    amb = _near_zero(num, atom.coef * scale**atom.deg + _FLOOR)
    if atom.den:
        den = np.asarray(res[atom.first + 1], dtype=float)
        amb_den = _near_zero(den, atom.coef_den * scale**atom.deg_den + _FLOOR)
        if amb_den is not None:
            amb = amb_den if amb is None else amb | amb_den
        return _OPS[atom.op](num * den, 0.0), amb
    return _OPS[atom.op](num, 0.0), amb


def _run(program: Program, truths: list[tuple[np.ndarray, np.ndarray | None]],
         size: int) -> tuple[np.ndarray, np.ndarray | None]:
    kind, arg = program
    if kind == "const":
        return np.full(size, arg), None
    if kind == "atom":
        return truths[arg]
    if kind == "not":
        value, amb = _run(arg, truths, size)
        return ~value, amb
    parts = [_run(p, truths, size) for p in arg]
    value = parts[0][0].copy()
    combine = np.logical_and if kind == "and" else np.logical_or
    for v, _ in parts[1:]:
        combine(value, v, out=value)
    ambs = [a for _, a in parts if a is not None]
    if not ambs:
        return value, None
    amb = ambs[0].copy()
    for a in ambs[1:]:
        amb |= a
    return value, amb


@dataclass(frozen=True)
class _Plan:
    n_row: int
    n_col: int
    constant: list[bool]
    values: np.ndarray
    varying: list[int]
    program: Program
    family: Equilibrium


def compile_families(
    families: list[Equilibrium], params: Mapping[str, sp.Symbol], *,
    assumptions: Sequence[sp.Basic] = (),
) -> Callable[..., tuple[EquilibriumArrays, ...]]:
    """One blocked numpy evaluator for several families of a game at once.

    Every formula and condition of every family is lambdified together, sharing common
    subexpressions (``cse``), and evaluated block by block: each input is read from memory
    once for all families, and the temporaries stay in cache.  Constant strategies (every
    pure family) are not computed per point: they come back as read-only broadcast views,
    so a pure family costs only its condition.

    The masks agree with :meth:`Equilibrium.holds_at`: they are false outside the
    ``assumptions`` and at non-finite inputs, and where a relation of a condition (or of
    the assumptions) is within its rounding-error bound of a tie, the point is decided
    exactly, reading each float as its shortest decimal (so the degenerate points of a
    game, such as seed 001's at ``R = 0.3``, get the exact answer).

    Parameters
    ----------
    families : list of Equilibrium
        The families, in output order.
    params : Mapping[str, sympy.Symbol]
        The arguments, in order.
    assumptions : sequence of sympy relationals
        The domain.

    Returns
    -------
    callable
        ``f(*args, **kwargs) -> tuple[EquilibriumArrays, ...]``.

    Examples
    --------
    >>> from gametheory import models
    >>> g = models.monitoring_game()
    >>> f = compile_families(list(g.equilibria()), g.params, assumptions=g.assumptions)
    >>> seed = dict(U0=1510, U=1740, U1=2175, R=0.3, W=8000, C=1878, C0=600, E=100)
    >>> [bool(out.valid) for out in f(**seed)]
    [False, False, True, False]
    >>> [bool(out.valid) for out in f(**{**seed, "E": -5})]  # outside E > 0
    [False, False, False, False]
    """
    names = list(params)
    symbols = [params[k] for k in names]
    outputs: list[sp.Basic] = []
    atoms: list[_Atom] = []
    bounds, rest = _bounds(assumptions, symbols)
    domain = _program(sp.And(*rest) if rest else sp.true, symbols, outputs, atoms)
    plans = []
    for eq in families:
        strategies = [*eq.row, *eq.col]
        constant = [bool(e.is_number) for e in strategies]
        values = np.array([float(e) if c else np.nan
                           for e, c in zip(strategies, constant, strict=True)])
        varying = [k for k, c in enumerate(constant) if not c]
        first = len(outputs)
        outputs += [strategies[k] for k in varying]
        program = _program(eq.condition, symbols, outputs, atoms)
        plans.append((first, _Plan(len(eq.row), len(eq.col), constant, values, varying,
                                   program, eq)))
    raw = sp.lambdify(symbols, outputs, modules="numpy", cse=True) if outputs else None
    exact = _ExactTies(names, symbols, tuple(assumptions), [p for _, p in plans])

    def evaluate_all(*args: object, **kwargs: object) -> tuple[EquilibriumArrays, ...]:
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
        buffers = [(np.empty((p.n_row + p.n_col, size)) if p.varying else None,
                    np.empty(size, dtype=bool)) for _, p in plans]
        with np.errstate(all="ignore"):
            for start in range(0, max(size, 1), BLOCK):
                stop = min(start + BLOCK, size)
                block = [a[start:stop] for a in flat]
                res = raw(*block) if raw is not None else []
                _fill_block(block, res, atoms, (bounds, domain), plans, buffers, start, stop,
                            exact)
        out = []
        for (_, plan), (stored, valid) in zip(plans, buffers, strict=True):
            if stored is None:
                both = np.broadcast_to(plan.values[:, None], (plan.n_row + plan.n_col, size))
            else:
                both = stored
                for k, c in enumerate(plan.constant):
                    if c:
                        both[k] = plan.values[k]
            out.append(EquilibriumArrays(both[:plan.n_row].reshape((plan.n_row, *shape)),
                                         both[plan.n_row:].reshape((plan.n_col, *shape)),
                                         valid.reshape(shape)))
        return tuple(out)

    return evaluate_all


def _bounds(assumptions: Sequence[sp.Basic], symbols: Sequence[sp.Symbol]
            ) -> tuple[list[tuple[int, Callable[..., Any], float]], list[sp.Basic]]:
    """Split off the assumptions ``x op c`` (``c`` a double): checked on the inputs."""
    bounds, rest = [], []
    index = {s: k for k, s in enumerate(symbols)}
    for rel in assumptions:
        if not (isinstance(rel, Relational) and type(rel) in _OPS):
            rest.append(rel)  # And, Or, ...: evaluated as a condition
            continue
        h = sp.expand(rel.lhs - rel.rhs)
        coeff, x = h.as_independent(*symbols, as_Add=True)
        sign = x.as_coeff_Mul()[0] if x.free_symbols else 0
        sym = x.as_coeff_Mul()[1] if x.free_symbols else None
        if (sym in index and abs(sign) == 1 and coeff.is_Rational and _is_double(coeff)
                and type(rel) in _OPS):
            op = type(rel) if sign == 1 else _FLIP[type(rel)]
            bounds.append((index[sym], _OPS[op], float(-coeff * sign)))
        else:
            rest.append(rel)
    return bounds, rest


def _scale(block: list[np.ndarray]) -> tuple[float, np.ndarray | None, list[tuple[float, float]]]:
    """``max(1, |x|)`` over the block, a non-finite mask and each input's range.

    The mask is where an input is not finite; the range is each input's ``(min, max)``.
    """
    if not block or block[0].size == 0:
        return 1.0, None, [(0.0, 0.0)] * len(block)
    ranges = [(float(_MIN(a)), float(_MAX(a))) for a in block]
    top = max(1.0, *(max(hi, -lo) for lo, hi in ranges))
    if np.isfinite(top):
        return top, None, ranges
    finite = np.ones(block[0].shape, dtype=bool)
    for a in block:
        finite &= np.isfinite(a)
    top = max(1.0, *(float(np.abs(a[finite]).max(initial=1.0)) for a in block))
    return top, finite, ranges


def _inside(block: list[np.ndarray], bounds: list[tuple[int, Callable[..., Any], float]],
            ranges: list[tuple[float, float]], finite: np.ndarray | None) -> np.ndarray:
    """Where the bound assumptions hold: by each input's range when it holds for all."""
    inside = np.ones(block[0].shape if block else (1,), dtype=bool)
    if finite is not None:
        inside &= finite
    for k, op, c in bounds:
        lo, hi = ranges[k]
        if not (op(lo, c) and op(hi, c)):
            inside &= op(block[k], c)
    return inside


def _fill_block(block: list[np.ndarray], res: list[Any], atoms: list[_Atom],  # noqa: PLR0913, PLR0917 the block loop's state, split out of evaluate_all for C90
                domain_parts: tuple[list[tuple[int, Callable[..., Any], float]], Program],
                plans: list[tuple[int, _Plan]],
                buffers: list[tuple[np.ndarray | None, np.ndarray]], start: int, stop: int,
                exact: _ExactTies) -> None:
    """Evaluate one block of every family, then decide its near-ties exactly."""
    n = stop - start
    bounds, domain = domain_parts
    scale, finite, ranges = _scale(block)
    truths = [_run_atom(a, res, scale) for a in atoms]
    truths = [(v if v.shape == (n,) else np.broadcast_to(v, (n,)),
               m if m is None or m.shape == (n,) else np.broadcast_to(m, (n,)))
              for v, m in truths]
    inside, amb_any = _run(domain, truths, n)
    inside = inside & _inside(block, bounds, ranges, finite)
    amb_any = None if amb_any is None else amb_any.copy()
    for (first, plan), (both, valid) in zip(plans, buffers, strict=True):
        value, amb = _run(plan.program, truths, n)
        ok = valid[start:stop]
        np.logical_and(value, inside, out=ok)
        if plan.varying:
            total = np.zeros(n)
            assert both is not None  # allocated for every plan with varying strategies
            for j, k in enumerate(plan.varying):
                both[k, start:stop] = res[first + j]
                total += both[k, start:stop]
            ok &= np.isfinite(total)  # a condition on non-finite strategies is not valid
        if amb is not None:
            amb_any = amb.copy() if amb_any is None else (amb_any | amb)
    if amb_any is None:
        return
    if finite is not None:
        amb_any &= finite
    for index in np.flatnonzero(amb_any).tolist():
        exact.fill([float(a[index]) for a in block], buffers, start + index)


class _ExactTies:
    """Decide every family exactly at one point (a float read as its shortest decimal)."""

    def __init__(self, names: list[str], symbols: list[sp.Symbol],
                 assumptions: tuple[sp.Basic, ...], plans: list[_Plan]) -> None:
        self.names = names
        self.params = dict(zip(names, symbols, strict=True))
        self.assumptions = assumptions
        self.plans = plans

    def fill(self, point: list[float], buffers: list[tuple[np.ndarray | None, np.ndarray]],
             k: int) -> None:
        try:
            subs = exact_point(self.params, self.assumptions,
                               dict(zip(self.names, point, strict=True)), owner="the game")
        except GameParameterError:  # outside the domain or not a double's range
            for _, valid in buffers:
                valid[k] = False
            return
        for plan, (both, valid) in zip(self.plans, buffers, strict=True):
            try:
                valid[k] = decide(plan.family.condition, subs)
            except Undefined:
                valid[k] = False
            if valid[k] and both is not None:
                strategies = [*plan.family.row, *plan.family.col]
                for j in plan.varying:
                    both[j, k] = float(evaluate(strategies[j], subs))


def _bind(names: list[str], args: tuple[object, ...],
          kwargs: dict[str, object]) -> list[np.ndarray]:
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
