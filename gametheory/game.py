"""The :class:`Game`: a two-player bimatrix game with symbolic payoffs and assumptions."""

from __future__ import annotations

import ast
import dataclasses
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from numbers import Real
from typing import TYPE_CHECKING, Any

import numpy as np
import sympy as sp
from sympy.core.relational import Relational
from sympy.logic.boolalg import Boolean, BooleanAtom, to_nnf

from gametheory.domain import Domain
from gametheory.equilibrium import Equilibrium, EquilibriumArrays, compile_families
from gametheory.errors import (
    GameParameterError,
    NoMixedEquilibriumError,
    NotFiniteRealError,
    ParseError,
    ShapeError,
    StaticsError,
    UnknownSymbolError,
)
from gametheory.exact import Undefined, evaluate, exact_point, exact_real
from gametheory.extreme import convex_components, extreme_equilibria
from gametheory.parsing import parse_condition, parse_expr, parse_relations
from gametheory.statics import Statics, comparative_statics
from gametheory.support import support_enumeration
from gametheory.vertexenum import check_size

if TYPE_CHECKING:  # pragma: no cover
    import nashpy
    import pandas as pd

__all__ = ["Game"]

_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


class Game:
    """A two-player game: the row player (e.g. the government) against the column player.

    Parameters
    ----------
    row_payoffs, col_payoffs : n x m nested sequences
        Payoffs of the row and the column player.  Entries are sympy expressions, numbers,
        or text formulas over the parameter names (parsed by a restricted parser, never
        ``eval``/``sympify``).
    params : sequence of str or mapping of str to sympy.Symbol, optional
        The parameters, in order.  Required when entries are text; otherwise defaults to
        the free symbols of the payoffs, sorted by name.
    assumptions : iterable of str or sympy relations
        E.g. ``["U0 > 0", "U0 < U < U1", "0 <= R <= 1"]``.  Used to simplify equilibrium
        conditions, to prove signs, and to check numeric points.
    row_labels, col_labels : sequence of str, optional
        Strategy names (default ``r1, r2, ...`` and ``c1, c2, ...``).
    name : str
        A short name for displays.

    Raises
    ------
    ShapeError
        Ragged or empty matrices, matrices of different shapes, or labels of the wrong
        length.
    UnknownSymbolError
        A payoff or assumption uses a name that is not a parameter.
    ParseError
        A text entry is not an allowed formula.

    Examples
    --------
    >>> g = Game([["3", "0"], ["5", "1"]], [["3", "5"], ["0", "1"]],
    ...          row_labels=["cooperate", "defect"], col_labels=["cooperate", "defect"])
    >>> [eq.label for eq in g.equilibria()]
    ['(defect, defect)']
    >>> a = Game([["a", "0"], ["0", "1"]], [["1", "0"], ["0", "a"]], params=["a"],
    ...          assumptions=["a > 0"])
    >>> a.mixed_equilibrium().row
    (a/(a + 1), 1/(a + 1))
    """

    def __init__(
        self,
        row_payoffs: Sequence[Sequence[Any]],
        col_payoffs: Sequence[Sequence[Any]],
        *,
        params: Sequence[str] | Mapping[str, sp.Symbol] | None = None,
        assumptions: Iterable[str | Relational] = (),
        row_labels: Sequence[str] | None = None,
        col_labels: Sequence[str] | None = None,
        name: str = "game",
    ) -> None:
        shape = _shape("row_payoffs", row_payoffs)
        if _shape("col_payoffs", col_payoffs) != shape:
            raise ShapeError(
                f"col_payoffs has shape {_shape('col_payoffs', col_payoffs)} but row_payoffs "
                f"has {shape}; both players need a payoff in every cell"
            )
        self.params: dict[str, sp.Symbol] = _params(params, row_payoffs, col_payoffs)
        self.A = sp.ImmutableMatrix(_convert("row_payoffs", row_payoffs, self.params))
        self.B = sp.ImmutableMatrix(_convert("col_payoffs", col_payoffs, self.params))
        self.assumptions: tuple[Relational, ...] = _assumptions(assumptions, self.params)
        n, m = shape
        self.row_labels = _labels("row_labels", row_labels, n, "r")
        self.col_labels = _labels("col_labels", col_labels, m, "c")
        self.name = name
        self.domain = Domain(self.params, self.assumptions)
        self._cache: dict[Any, Any] = {}

    # ----------------------------------------------------------------- basics
    @property
    def shape(self) -> tuple[int, int]:
        """``(number of row strategies, number of column strategies)``."""
        return self.A.shape  # type: ignore[return-value]

    def __repr__(self) -> str:
        return (f"Game({self.name!r}, {self.shape[0]}x{self.shape[1]}, "
                f"params={list(self.params)})")

    @classmethod
    def from_text(
        cls,
        row_payoffs: str,
        col_payoffs: str,
        *,
        params: Sequence[str],
        **kwargs: Any,
    ) -> Game:
        """Build a game from matrices written as text, e.g. ``"[[-U, -U], [0, 0]]"``.

        Only nested lists of formulas are accepted; each formula is parsed by the
        restricted parser.

        >>> g = Game.from_text("[[-U, -U], [0, 0]]", "[[U - C, U], [-C, 0]]",
        ...                    params=["U", "C"], assumptions=["U > 0", "C > 0"])
        >>> g.A
        Matrix([
        [-U, -U],
        [ 0,  0]])
        """
        return cls(_matrix_text("row_payoffs", row_payoffs),
                   _matrix_text("col_payoffs", col_payoffs), params=params, **kwargs)

    # ----------------------------------------------------------------- symbolic
    def equilibria(self, *, include_impossible: bool = False) -> tuple[Equilibrium, ...]:
        """Every equilibrium family with the condition under which it holds.

        Pure families first, then mixed ones by support size; families whose condition is
        provably false under the assumptions are left out unless ``include_impossible``.
        """
        if "equilibria" not in self._cache:
            self._cache["equilibria"] = tuple(
                dataclasses.replace(eq, assumptions=self.assumptions)
                for eq in support_enumeration(self.A, self.B, self.domain, self.row_labels,
                                              self.col_labels, include_impossible=True))
        families: tuple[Equilibrium, ...] = self._cache["equilibria"]
        if include_impossible:
            return families
        return tuple(eq for eq in families if eq.condition is not sp.false)

    def lambdify_equilibria(
        self, *, include_impossible: bool = False
    ) -> Callable[..., tuple[EquilibriumArrays, ...]]:
        """One vectorised function for every family of :meth:`equilibria` at once.

        It takes the parameters like :meth:`Equilibrium.lambdify` and returns one
        :class:`~gametheory.equilibrium.EquilibriumArrays` per family, in the order of
        :meth:`equilibria`; the families share their arithmetic and read each input once,
        which is faster than calling each family's own function.

        >>> from gametheory import models
        >>> g = models.monitoring_game()
        >>> f = g.lambdify_equilibria()
        >>> out = f(U0=1, U=2, U1=4, R=0.5, W=3, C=1, C0=0.5, E=0.2)
        >>> [eq.label for eq, o in zip(g.equilibria(), out) if o.valid]
        ["mixed {monitor, don't monitor} x {effort, no effort}"]
        """
        key = ("lambdify_equilibria", include_impossible)
        if key not in self._cache:
            self._cache[key] = compile_families(
                list(self.equilibria(include_impossible=include_impossible)), self.params,
                assumptions=self.assumptions)
        return self._cache[key]  # type: ignore[no-any-return]

    def mixed_equilibrium(self) -> Equilibrium:
        """The fully mixed equilibrium family of a square game (X*, Y* for a 2 x 2 game).

        Raises
        ------
        NoMixedEquilibriumError
            The game is not square, its indifference systems are singular, or the family's
            condition is impossible under the assumptions.
        """
        n, m = self.shape
        if n != m:
            raise NoMixedEquilibriumError(
                f"{self.name} is {n}x{m}: a fully mixed equilibrium (every strategy played) "
                "needs as many row as column strategies"
            )
        for eq in self.equilibria(include_impossible=True):
            if len(eq.row_support) == n and len(eq.col_support) == m:
                if eq.condition is sp.false:
                    raise NoMixedEquilibriumError(
                        f"{self.name} has no fully mixed equilibrium: its condition is "
                        "impossible under the assumptions"
                    )
                return eq
        raise NoMixedEquilibriumError(
            f"{self.name} has no fully mixed equilibrium: the indifference conditions have "
            "no solution (a player can never be made indifferent between all strategies)"
        )

    def statics(self, of: str, wrt: str, *,
                given: str | Boolean | Iterable[str | Boolean] = ()) -> Statics:
        """Comparative statics of the fully mixed equilibrium.

        Parameters
        ----------
        of : str
            ``"X"`` (the row player's probability of the first strategy, X*), ``"Y"`` (the
            column player's, Y*), or ``"X2"``, ``"Y3"``, ... for the k-th strategy.
        wrt : str
            A parameter name.
        given : str, sympy condition, or iterable of them
            Extra assumptions: relations ``<, <=, >, >=, ==, !=`` (either side), ``And``,
            ``Or`` -- e.g. the mixed equilibrium's own condition (``mixed.condition`` or
            ``"E < (U1 - U)*(1 - R)"``).

        Raises
        ------
        StaticsError, UnknownSymbolError, NoMixedEquilibriumError
            Unknown strategy or parameter; no fully mixed family.
        ParseError
            A ``given`` that is not a condition.
        """
        if wrt not in self.params:
            raise UnknownSymbolError(
                f"wrt = {wrt!r} is not a parameter of {self.name}; choose one of "
                f"{list(self.params)}"
            )
        extra = _conditions("given", given, self.params)
        match = re.fullmatch(r"([XY])(\d*)", of)
        if not match:
            raise StaticsError(f"of = {of!r}: use 'X', 'Y', or 'X2', 'Y3', ... (1-based)")
        eq = self.mixed_equilibrium()
        strategies = eq.row if match.group(1) == "X" else eq.col
        index = int(match.group(2) or 1) - 1
        if not 0 <= index < len(strategies):
            raise StaticsError(f"of = {of!r}: the player has {len(strategies)} strategies")
        return comparative_statics(of, strategies[index], wrt, self.params[wrt], self.domain,
                                   extra)

    # ----------------------------------------------------------------- numeric
    def _values(self, values: Mapping[str, Any]) -> dict[sp.Symbol, sp.Rational]:
        """The point read exactly (a float is its shortest decimal), assumptions checked."""
        return exact_point(self.params, self.assumptions, values, owner=self.name)

    def _exact_payoffs(self, values: Mapping[str, Any]) -> tuple[list[list[Fraction]], ...]:
        subs = self._values(values)
        out = []
        for label, M in (("row_payoffs", self.A), ("col_payoffs", self.B)):
            rows = []
            for i in range(M.shape[0]):
                row = []
                for j in range(M.shape[1]):
                    try:  # exact where rational; an irrational payoff is its nearest double
                        row.append(evaluate(M[i, j], subs))
                    except Undefined as exc:
                        raise GameParameterError(f"{label}[{i}][{j}]", str(M[i, j]),
                                                 f"has no real value at this point: {exc}"
                                                 ) from None
                rows.append(row)
            out.append(rows)
        return tuple(out)

    def payoffs_at(self, **values: Any) -> tuple[np.ndarray, np.ndarray]:
        """The numeric payoff matrices ``(A, B)`` at a point (checked against assumptions).

        Values are read as :meth:`equilibria_at` reads them (a float is its shortest
        decimal); the payoffs are computed exactly and then rounded to doubles.

        Raises
        ------
        GameParameterError
            As for :meth:`equilibria_at`; also a payoff with no real value at the point,
            beyond the range of a double, or needing more than
            :data:`~gametheory.exact.MAX_EXACT_DIGITS` digits to compute exactly.

        Examples
        --------
        >>> from gametheory import models
        >>> A, B = models.monitoring_game().payoffs_at(
        ...     U0=1510, U=1740, U1=2175, R=0.3, W=8000, C=1878, C0=600, E=100)
        >>> B[1].tolist()
        [1740.0, 1740.0]
        """
        A, B = self._exact_payoffs(values)
        return np.array(A, dtype=float), np.array(B, dtype=float)

    def equilibria_at(
        self, *, max_seconds: float | None = None, **values: Any
    ) -> list[tuple[np.ndarray, np.ndarray]]:
        """All extreme equilibria at one numeric point, as ``(row, col)`` arrays.

        Computed exactly (rational arithmetic) by vertex enumeration, so in a degenerate
        game (a continuum of equilibria) the extreme points of every component are
        returned; :meth:`components_at` groups them.  ``max_seconds`` bounds the time
        of the enumeration (:mod:`gametheory.vertexenum`; games larger than 16 x 16 are
        refused before any work).

        A value may be an int, a float (read as its shortest decimal: ``0.3`` is
        ``3/10``), a ``Decimal``, a ``Fraction``, a numpy scalar or numeric text.

        Raises
        ------
        GameParameterError
            A parameter is missing, unknown, not a finite real number (or outside the range
            of a double), or breaks an assumption (e.g. a probability outside [0, 1]); or a
            payoff cannot be evaluated within the budget (see :meth:`payoffs_at`); or
            ``max_seconds`` is not a positive number.
        GameTooLargeError
            The game's best-response polytopes could have more than ``MAX_BASES``
            feasible bases.
        EnumerationBudgetError
            The enumeration ran out of ``max_seconds``.

        >>> from gametheory import models
        >>> g = models.monitoring_game()
        >>> [(r.round(4).tolist(), c.round(4).tolist()) for r, c in
        ...  g.equilibria_at(U0=1, U=2, U1=4, R=0.5, W=3, C=1, C0=0.5, E=0.2)]
        [([0.2, 0.8], [0.6, 0.4])]
        """
        check_size(*self.shape, max_seconds=max_seconds)
        A, B = self._exact_payoffs(values)
        return [(np.array(x, dtype=float), np.array(y, dtype=float))
                for x, y in extreme_equilibria(A, B, max_seconds=max_seconds)]

    def components_at(
        self, *, max_seconds: float | None = None, **values: Any
    ) -> list[tuple[np.ndarray, np.ndarray]]:
        """Maximal convex sets of equilibria at a point, each as ``(row_vertices,
        col_vertices)`` arrays of shape ``(k, n)`` and ``(l, m)``: every mixture of a row
        vertex mixture and a column vertex mixture is an equilibrium.  ``max_seconds``
        and the size limit are those of :meth:`equilibria_at`."""
        check_size(*self.shape, max_seconds=max_seconds)
        A, B = self._exact_payoffs(values)
        comps = convex_components(extreme_equilibria(A, B, max_seconds=max_seconds))
        return [(np.array(c.rows, dtype=float), np.array(c.cols, dtype=float)) for c in comps]

    def to_nashpy(self, **values: Any) -> nashpy.Game:
        """A :class:`nashpy.Game` with the payoffs of :meth:`payoffs_at` at a numeric point.

        Raises
        ------
        GameParameterError
            As for :meth:`payoffs_at`.
        """
        import nashpy

        A, B = self.payoffs_at(**values)
        return nashpy.Game(A, B)

    def logit_qre(self, precision: float, **values: Any) -> tuple[np.ndarray, np.ndarray]:
        """The logit quantal response equilibrium at ``precision``, as ``(row, col)``.

        Traced along the principal branch from uniform play at precision 0
        (:mod:`gametheory.qre`); the payoffs are those of :meth:`payoffs_at`.

        Parameters
        ----------
        precision : float
            ``lam >= 0`` in units of 1/payoff: each strategy is played with probability
            proportional to ``exp(lam * payoff)``.
        **values
            Every parameter, read as :meth:`equilibria_at` reads it.

        Returns
        -------
        tuple of numpy.ndarray
            The row and the column player's mixed strategies.

        Raises
        ------
        GameParameterError
            A bad point (as :meth:`payoffs_at`) or a precision that is not a finite
            number >= 0.
        QRETraceError
            The branch could not be followed to ``precision``.

        Examples
        --------
        >>> from gametheory import models
        >>> g = models.monitoring_game()
        >>> seed = dict(U0=1, U=2, U1=4, R=0.5, W=3, C=1, C0=0.5, E=0.2)
        >>> [v.round(3).tolist() for v in g.logit_qre(1000.0, **seed)]   # near X*, Y*
        [[0.2, 0.8], [0.6, 0.4]]
        """
        from gametheory.qre import logit_qre

        A, B = self.payoffs_at(**values)
        return logit_qre(A, B, precision)

    def to_gambit(self, *, players: tuple[str, str] = ("row", "column"),
                  **values: Any) -> Any:  # a pygambit.Game (pygambit ships no types)
        """A pygambit strategic-form game with this game's exact payoffs at a point.

        Parameters
        ----------
        players : tuple of str
            Names of the row and the column player in Gambit.
        **values
            Every parameter, read as :meth:`equilibria_at` reads it.

        Returns
        -------
        pygambit.Game
            The payoffs as exact rationals, strategies labelled as here.

        Raises
        ------
        GameParameterError
            As for :meth:`payoffs_at`.
        OptionalDependencyError
            pygambit is not installed (``pip install pygambit``).

        Examples
        --------
        >>> from gametheory import models
        >>> g = models.monitoring_game().to_gambit(
        ...     players=("government", "claimant"),
        ...     U0=1, U=2, U1=4, R=0.5, W=3, C=1, C0=0.5, E=0.2)
        >>> [s.label for s in g.players["government"].strategies]
        ['monitor', "don't monitor"]
        """
        from gametheory.interop import require_pygambit, strategic_to_gambit

        require_pygambit("Game.to_gambit")
        A, B = self._exact_payoffs(values)
        return strategic_to_gambit(A, B, players=players,
                                   labels=(self.row_labels, self.col_labels), title=self.name)

    # ----------------------------------------------------------------- display
    def to_frame(self) -> pd.DataFrame:
        """The equilibrium families as a table: label, kind, strategies, condition."""
        import pandas as pd

        rows = [eq.to_dict() for eq in self.equilibria()]
        return pd.DataFrame(rows, columns=["label", "kind", "row", "col", "condition",
                                           "row_payoff", "col_payoff"])

    def _repr_latex_(self) -> str:
        n, m = self.shape
        head = " & ".join(f"\\text{{{c}}}" for c in self.col_labels)
        lines = []
        for i in range(n):
            cells = " & ".join(
                f"\\left({sp.latex(self.A[i, j])},\\ {sp.latex(self.B[i, j])}\\right)"
                for j in range(m)
            )
            lines.append(f"\\text{{{self.row_labels[i]}}} & {cells}")
        body = " \\\\ ".join(lines)
        return f"$\\begin{{array}}{{l{'c' * m}}} & {head} \\\\ {body}\\end{{array}}$"


# --------------------------------------------------------------------- helpers
def _shape(name: str, matrix: Any) -> tuple[int, int]:
    if isinstance(matrix, sp.MatrixBase):
        return matrix.shape  # type: ignore[return-value]
    if isinstance(matrix, np.ndarray):
        if matrix.ndim != 2 or 0 in matrix.shape:
            raise ShapeError(f"{name} must be a non-empty 2-d matrix, got shape {matrix.shape}")
        return matrix.shape  # type: ignore[return-value]
    if isinstance(matrix, str) or not isinstance(matrix, Sequence) or len(matrix) == 0:
        raise ShapeError(f"{name} must be a non-empty list of rows, got {matrix!r}")
    lengths = set()
    for k, row in enumerate(matrix):
        if isinstance(row, str) or not isinstance(row, Sequence | np.ndarray) or len(row) == 0:
            raise ShapeError(f"{name} row {k} must be a non-empty list of payoffs, got {row!r}")
        lengths.add(len(row))
    if len(lengths) != 1:
        raise ShapeError(f"{name} is ragged: its rows have lengths {sorted(lengths)}")
    return len(matrix), lengths.pop()


def _free_symbols(matrix: Any) -> set[sp.Symbol]:
    out: set[sp.Symbol] = set()
    rows = matrix.tolist() if isinstance(matrix, sp.MatrixBase | np.ndarray) else matrix
    for row in rows:
        for v in row:
            if isinstance(v, sp.Basic):
                out |= v.free_symbols  # type: ignore[arg-type]
    return out


def _params(params: Any, A: Any, B: Any) -> dict[str, sp.Symbol]:
    if params is None:
        syms = sorted(_free_symbols(A) | _free_symbols(B), key=str)
        return {str(s): s for s in syms}
    if isinstance(params, Mapping):
        items = list(params.items())
    elif isinstance(params, str) or not isinstance(params, Iterable):
        raise ShapeError(f"params must be a list of names or a mapping, got {params!r}")
    else:
        items = [(p, sp.Symbol(p)) for p in params]
    out: dict[str, sp.Symbol] = {}
    for name, sym in items:
        if not isinstance(name, str) or not _NAME.match(name):
            raise ParseError(f"parameter name {name!r} must be a letter then letters/digits/_")
        if not isinstance(sym, sp.Symbol):
            raise ShapeError(f"params[{name!r}] must be a sympy Symbol, got {sym!r}")
        out[name] = sym
    return out


def _convert(name: str, matrix: Any, params: dict[str, sp.Symbol]) -> list[list[sp.Expr]]:
    rows = matrix.tolist() if isinstance(matrix, sp.MatrixBase | np.ndarray) else matrix
    known = set(params.values())
    out = []
    for i, row in enumerate(rows):
        new_row = []
        for j, v in enumerate(row):
            if isinstance(v, str):
                expr = parse_expr(v, params)
            elif isinstance(v, sp.Basic):
                expr = v
            elif isinstance(v, bool) or not isinstance(v, Real | Fraction | Decimal):
                raise ShapeError(f"{name}[{i}][{j}] = {v!r} is neither a number, a sympy "
                                 "expression nor a formula")
            else:  # a float is its shortest decimal, as in a formula and at a point
                f = exact_real(f"{name}[{i}][{j}]", v)
                expr = sp.Rational(f.numerator, f.denominator)
            unknown = expr.free_symbols - known
            if unknown:
                raise UnknownSymbolError(
                    f"{name}[{i}][{j}] uses {sorted(map(str, unknown))}, which are not "
                    f"parameters; declared: {list(params)}"
                )
            new_row.append(expr)
        out.append(new_row)
    return out


def _parse_conditions(text: str, params: dict[str, sp.Symbol]) -> tuple[Boolean, ...]:
    """Comparisons in the order written (``"0 < a <= 1"``); ``== != or not`` as well."""
    try:
        return parse_relations(text, params)
    except ParseError:
        return (parse_condition(text, params),)


def _conditions(name: str, items: Any, params: dict[str, sp.Symbol]) -> tuple[Boolean, ...]:
    """Text or sympy conditions (``<, <=, >, >=, ==, !=``, ``And``, ``Or``), checked."""
    if isinstance(items, str | sp.Basic):
        items = [items]
    out: list[Boolean] = []
    known = set(params.values())
    for item in items:
        conds = _parse_conditions(item, params) if isinstance(item, str) else (item,)
        for cond in conds:
            if isinstance(cond, bool):
                cond = sp.true if cond else sp.false
            if isinstance(cond, sp.Not | sp.Or):
                cond = to_nnf(cond, simplify=False)  # negations onto the relations
            if not isinstance(cond, Relational | sp.And | sp.Or | BooleanAtom):
                raise ParseError(
                    f"{name} {item!r} is not a condition: use <, <=, >, >=, ==, != between "
                    "formulas, joined by And/Or")
            if cond.has(sp.nan, sp.zoo, sp.oo, -sp.oo, sp.I):
                raise NotFiniteRealError(name, str(cond), "compares with a value that is not "
                                         "a finite real number")
            unknown = cond.free_symbols - known
            if unknown:
                raise UnknownSymbolError(
                    f"{name} {item!r} uses {sorted(map(str, unknown))}, which are not "
                    f"parameters; declared: {list(params)}"
                )
            out.extend(cond.args if isinstance(cond, sp.And) else (cond,))
    return tuple(out)


def _assumptions(items: Iterable[Any], params: dict[str, sp.Symbol]) -> tuple[Relational, ...]:
    return _conditions("assumption", items, params)  # type: ignore[return-value]  # Booleans


def _labels(name: str, labels: Sequence[str] | None, size: int, prefix: str) -> tuple[str, ...]:
    if labels is None:
        return tuple(f"{prefix}{k + 1}" for k in range(size))
    labels = tuple(labels)
    if len(labels) != size or not all(isinstance(x, str) for x in labels):
        raise ShapeError(f"{name} must be {size} strings, got {labels!r}")
    return labels


def _matrix_text(name: str, text: str) -> list[list[str]]:
    if not isinstance(text, str):
        raise ParseError(f"{name} must be text such as '[[a, b], [c, d]]', got {text!r}")
    try:
        tree = ast.parse(text.strip(), mode="eval").body
    except SyntaxError as exc:
        raise ParseError(f"cannot parse {name} {text!r}: {exc.msg}") from None
    if not isinstance(tree, ast.List | ast.Tuple):
        raise ParseError(f"{name} must be a list of rows such as '[[a, b], [c, d]]'")
    rows = []
    for row in tree.elts:
        if not isinstance(row, ast.List | ast.Tuple):
            raise ParseError(f"{name}: every row must be a list, got {ast.unparse(row)!r}")
        rows.append([ast.get_source_segment(text.strip(), cell) or ast.unparse(cell)
                     for cell in row.elts])
    return rows
