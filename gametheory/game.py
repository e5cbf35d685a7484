"""The :class:`Game`: a two-player bimatrix game with symbolic payoffs and assumptions."""

from __future__ import annotations

import dataclasses
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np
import sympy as sp
from sympy.core.relational import Relational
from sympy.logic.boolalg import Boolean

from gametheory import game_input
from gametheory.domain import Domain
from gametheory.equilibrium import Equilibrium, EquilibriumArrays, compile_families
from gametheory.errors import (
    GameParameterError,
    NoMixedEquilibriumError,
    ShapeError,
    StaticsError,
    UnknownSymbolError,
)
from gametheory.exact import Undefined, evaluate, exact_point
from gametheory.extreme import convex_components, extreme_equilibria
from gametheory.qre import logit_qre
from gametheory.statics import Statics, comparative_statics
from gametheory.support import support_enumeration
from gametheory.vertexenum import check_size

if TYPE_CHECKING:  # pragma: no cover
    import nashpy
    import pandas as pd

__all__ = ["Game"]

_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")

#: What equal games (the same payoffs, parameters, assumptions and labels) share: the
#: domain with its pieces and proven signs, and the cache of equilibria and compiled
#: functions, so a model built twice in a process is derived once.  The oldest goes first.
_SHARED: OrderedDict[tuple[Any, ...], tuple[Domain, dict[Any, Any]]] = OrderedDict()
_SHARED_KEPT = 32
_SHARED_LOCK = threading.Lock()


def _shared_state(key: tuple[Any, ...], params: dict[str, sp.Symbol],
                  assumptions: tuple[Relational, ...]) -> tuple[Domain, dict[Any, Any]]:
    """The domain and derivation cache of the games equal to ``key``, made on first use."""
    with _SHARED_LOCK:
        state = _SHARED.get(key)
        if state is None:
            state = _SHARED[key] = (Domain(params, assumptions), {})
            if len(_SHARED) > _SHARED_KEPT:
                _SHARED.popitem(last=False)
        else:
            _SHARED.move_to_end(key)
        return state


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
        row_payoffs: Sequence[Sequence[Any]] | np.ndarray,
        col_payoffs: Sequence[Sequence[Any]] | np.ndarray,
        *,
        params: Sequence[str] | Mapping[str, sp.Symbol] | None = None,
        assumptions: Iterable[str | Relational] = (),
        row_labels: Sequence[str] | None = None,
        col_labels: Sequence[str] | None = None,
        name: str = "game",
    ) -> None:
        shape = game_input.check_shape("row_payoffs", row_payoffs)
        col_shape = game_input.check_shape("col_payoffs", col_payoffs)
        if col_shape != shape:
            raise ShapeError(
                f"col_payoffs has shape {col_shape} but row_payoffs has {shape}; both players "
                "need a payoff in every cell"
            )
        self.params: dict[str, sp.Symbol] = game_input.read_params(params, row_payoffs,
                                                                   col_payoffs)
        self.A = sp.ImmutableMatrix(game_input.read_payoffs("row_payoffs", row_payoffs,
                                                            self.params))
        self.B = sp.ImmutableMatrix(game_input.read_payoffs("col_payoffs", col_payoffs,
                                                            self.params))
        self.assumptions: tuple[Relational, ...] = game_input.read_assumptions(assumptions,
                                                                               self.params)
        n, m = shape
        self.row_labels = game_input.read_labels("row_labels", row_labels, n, "r")
        self.col_labels = game_input.read_labels("col_labels", col_labels, m, "c")
        self.name = name
        self.domain, self._cache = _shared_state(
            (self.A, self.B, tuple(self.params.items()), self.assumptions,
             tuple(self.row_labels), tuple(self.col_labels)), self.params, self.assumptions)

    # ----------------------------------------------------------------- basics
    @property
    def shape(self) -> tuple[int, int]:
        """``(number of row strategies, number of column strategies)``."""
        n, m = self.A.shape
        return n, m

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

        Parameters
        ----------
        row_payoffs, col_payoffs : str
            The matrices as nested lists of formulas.
        params : sequence of str, keyword-only
            The parameters, in order.
        **kwargs
            The other keywords of :class:`Game` (``assumptions``, labels, ``name``).

        Returns
        -------
        Game

        Raises
        ------
        ParseError
            Text that is not a nested list of allowed formulas.
        UnknownSymbolError, ShapeError
            As :class:`Game`.

        Examples
        --------
        >>> g = Game.from_text("[[-U, -U], [0, 0]]", "[[U - C, U], [-C, 0]]",
        ...                    params=["U", "C"], assumptions=["U > 0", "C > 0"])
        >>> g.A
        Matrix([
        [-U, -U],
        [ 0,  0]])
        """
        return cls(game_input.read_matrix_text("row_payoffs", row_payoffs),
                   game_input.read_matrix_text("col_payoffs", col_payoffs), params=params,
                   **kwargs)

    # ----------------------------------------------------------------- symbolic
    def equilibria(self, *, include_impossible: bool = False) -> tuple[Equilibrium, ...]:
        """Every equilibrium family with the condition under which it holds.

        Pure families first, then mixed ones by support size; families whose condition is
        provably false under the assumptions are left out unless ``include_impossible``.

        Parameters
        ----------
        include_impossible : bool, keyword-only
            Also return the families whose condition is provably false.

        Returns
        -------
        tuple of Equilibrium

        Examples
        --------
        >>> from gametheory import models
        >>> [eq.label for eq in models.benefit_game().equilibria()]
        ["(don't pay, no effort)"]
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

        Parameters
        ----------
        include_impossible : bool, keyword-only
            Also compile the families whose condition is provably false.

        Returns
        -------
        callable
            ``f(**params) -> tuple of EquilibriumArrays``.

        Examples
        --------
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
        compiled: Callable[..., tuple[EquilibriumArrays, ...]] = self._cache[key]
        return compiled

    def mixed_equilibrium(self) -> Equilibrium:
        """The fully mixed equilibrium family of a square game (X*, Y* for a 2 x 2 game).

        Returns
        -------
        Equilibrium
            The family whose supports are every strategy of both players.

        Raises
        ------
        NoMixedEquilibriumError
            The game is not square, its indifference systems are singular, or the family's
            condition is impossible under the assumptions.

        Examples
        --------
        >>> from gametheory import models
        >>> models.monitoring_game().mixed_equilibrium().col[0]
        (E + U - U0)/(R*U - R*U1 - U0 + U1)
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

        Returns
        -------
        Statics
            The derivative, its sign and the proof.

        Raises
        ------
        StaticsError, UnknownSymbolError, NoMixedEquilibriumError
            Unknown strategy or parameter; no fully mixed family.
        ParseError
            A ``given`` that is not a condition.

        Examples
        --------
        >>> from gametheory import models
        >>> models.monitoring_game().statics("Y", "R").sign
        'positive'
        """
        if wrt not in self.params:
            raise UnknownSymbolError(
                f"wrt = {wrt!r} is not a parameter of {self.name}; choose one of "
                f"{list(self.params)}"
            )
        extra = game_input.read_conditions("given", given, self.params)
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

        Parameters
        ----------
        **values
            A value for every parameter (int, float, ``Decimal``, ``Fraction``, numpy scalar
            or numeric text).

        Returns
        -------
        A, B : numpy.ndarray
            The row and the column player's payoffs, shape :attr:`shape`.

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

        Parameters
        ----------
        max_seconds : float, optional, keyword-only
            Time budget of the enumeration (default none).
        **values
            A value for every parameter.

        Returns
        -------
        list of (numpy.ndarray, numpy.ndarray)
            Each extreme equilibrium as the row and the column player's mixed strategies.

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

        Examples
        --------
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
        """Maximal convex sets of equilibria at a point.

        Each as ``(row_vertices, col_vertices)`` arrays of shape ``(k, n)`` and ``(l, m)``:
        every mixture of a row vertex mixture and a column vertex mixture is an equilibrium.
        ``max_seconds`` and the size limit are those of :meth:`equilibria_at`.

        Parameters
        ----------
        max_seconds : float, optional, keyword-only
            Time budget of the enumeration (default none).
        **values
            A value for every parameter.

        Returns
        -------
        list of (numpy.ndarray, numpy.ndarray)
            Each component's row vertices ``(k, n)`` and column vertices ``(l, m)``.

        Raises
        ------
        GameParameterError, GameTooLargeError, EnumerationBudgetError
            As :meth:`equilibria_at`.

        Examples
        --------
        >>> g = Game([["1", "1"], ["1", "1"]], [["1", "1"], ["1", "1"]])
        >>> [(r.tolist(), c.tolist()) for r, c in g.components_at()]      # one square of them
        [([[0.0, 1.0], [1.0, 0.0]], [[0.0, 1.0], [1.0, 0.0]])]
        """
        check_size(*self.shape, max_seconds=max_seconds)
        A, B = self._exact_payoffs(values)
        comps = convex_components(extreme_equilibria(A, B, max_seconds=max_seconds))
        return [(np.array(c.rows, dtype=float), np.array(c.cols, dtype=float)) for c in comps]

    def to_nashpy(self, **values: Any) -> nashpy.Game:
        """A :class:`nashpy.Game` with the payoffs of :meth:`payoffs_at` at a numeric point.

        Parameters
        ----------
        **values
            A value for every parameter.

        Returns
        -------
        nashpy.Game

        Raises
        ------
        GameParameterError
            As for :meth:`payoffs_at`.

        Examples
        --------
        >>> from gametheory import models
        >>> g = models.monitoring_game().to_nashpy(U0=1, U=2, U1=4, R=0.5, W=3, C=1, C0=0.5, E=0.2)
        >>> g.payoff_matrices[1].tolist()
        [[3.0, 1.0], [1.5, 2.0]]
        """
        import nashpy  # noqa: PLC0415 `import gametheory` does not load nashpy; only this export needs it

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
        from gametheory.interop import require_pygambit, strategic_to_gambit  # noqa: PLC0415 pygambit is optional; interop checks for it

        require_pygambit("Game.to_gambit")
        A, B = self._exact_payoffs(values)
        return strategic_to_gambit(A, B, players=players,
                                   labels=(self.row_labels, self.col_labels), title=self.name)

    # ----------------------------------------------------------------- display
    def to_frame(self) -> pd.DataFrame:
        """The equilibrium families as a table: label, kind, strategies, condition.

        Returns
        -------
        pandas.DataFrame
            One row per family of :meth:`equilibria`; columns ``label``, ``kind``, ``row``,
            ``col``, ``condition``, ``row_payoff``, ``col_payoff``.

        Examples
        --------
        >>> from gametheory import models
        >>> models.monitoring_game().to_frame()["kind"].tolist()
        ['pure', 'pure', 'pure', 'mixed']
        """
        import pandas as pd  # noqa: PLC0415 `import gametheory` does not load pandas; only tables need it

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
