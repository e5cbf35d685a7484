"""Finite-horizon games over the benefit spell: subgame-perfect equilibria by backward induction.

A *spell game* repeats a static bimatrix game (the *stage*) for ``T`` monthly rounds.  After
the players' choices in a round the claimant is still unemployed with a probability given
per cell (the *stay* matrix); a claimant who leaves ends the game.  Payoffs are discounted
by ``delta`` a month, and the stage parameters may change by month (a step-down benefit
schedule).

Backward induction.  Let ``v`` and ``g`` be the claimant's and the government's values of
the game from the next round on (0 after the last round).  Round ``t``'s game is the stage
game with ``delta * stay * g`` added to the government's payoffs and ``delta * stay * v``
to the claimant's: :attr:`SpellGame.stage` is that game with ``v`` and ``g`` as symbols,
solved once by the layer's symbolic support enumeration, so each round's equilibria come
with their conditions.  Round ``t`` then substitutes the values ``V(t+1), G(t+1)`` of the
equilibrium played from round ``t+1`` on.

Selection.  Where a round's game has several equilibria the set of subgame-perfect
equilibria branches.  :meth:`SpellGame.equilibria` (symbolic) and
:meth:`SpellGame.equilibria_at` (exact, at a point) return *every* branch: every sequence
of one stage equilibrium per round, i.e. every subgame-perfect equilibrium whose play
depends on the month only (Markov perfect).  Where each round's equilibrium is unique, this
is the unique subgame-perfect equilibrium; where it is not, history-dependent equilibria
(rewarding or punishing a past move by the choice among later equilibria) exist too and
are not listed.  :meth:`SpellGame.solve` (vectorised) returns one branch per point, chosen
by a stated rule, and counts the equilibria each round had.

References: Fudenberg and Tirole, *Game Theory* (1991), section 4.2 (multi-stage games
with observed actions; backward induction; one-shot deviation principle).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import sympy as sp

from gametheory.conditions import simplify_and
from gametheory.domain import Domain
from gametheory.equilibrium import Equilibrium
from gametheory.errors import GameError, GameParameterError
from gametheory.exact import evaluate, exact_point, exact_real
from gametheory.extreme import extreme_equilibria
from gametheory.game import Game
from gametheory.interop import require_pygambit

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    import pygambit

__all__ = [
    "MAX_GAMBIT_T",
    "MAX_PATHS",
    "MAX_SYMBOLIC_T",
    "SpellArrays",
    "SpellEquilibrium",
    "SpellGame",
    "SpellPath",
    "SpellRound",
]

#: Longest horizon :meth:`SpellGame.equilibria` derives symbolically (branches grow as 4^T).
MAX_SYMBOLIC_T = 4
#: Most subgame-perfect paths :meth:`SpellGame.equilibria_at` enumerates at one point.
MAX_PATHS = 4096
#: Longest horizon :meth:`SpellGame.to_gambit` builds (the tree grows as 4^T).
MAX_GAMBIT_T = 6
_V, _G = "v", "g"
Select = Literal["government", "claimant"]


# --------------------------------------------------------------------- results
@dataclass(frozen=True)
class SpellEquilibrium:
    """One branch of the subgame-perfect equilibria, symbolically: a stage equilibrium a month.

    Attributes
    ----------
    rounds : tuple of Equilibrium
        Month 1 first.  Each is a family of the stage game with the continuation values
        of the later months substituted: its ``row``/``col`` are the month's strategies,
        its ``condition`` the month's equilibrium condition, its ``row_payoff`` and
        ``col_payoff`` the government's and the claimant's values from that month on.
    condition : sympy.Boolean
        Where the branch is a subgame-perfect equilibrium: every month's condition.

    Examples
    --------
    >>> from gametheory import models
    >>> branch = models.spell_game(2).equilibria()[1]
    >>> branch.labels
    ('(monitor, no effort)', '(monitor, effort)')
    """

    rounds: tuple[Equilibrium, ...]
    condition: sp.Basic = field(repr=False)

    @property
    def labels(self) -> tuple[str, ...]:
        """The stage equilibrium played each month, month 1 first."""
        return tuple(eq.label for eq in self.rounds)

    @property
    def claimant_value(self) -> sp.Expr:
        """The claimant's expected discounted payoff at the start of the spell."""
        return self.rounds[0].col_payoff

    @property
    def government_value(self) -> sp.Expr:
        """The government's expected discounted payoff at the start of the spell."""
        return self.rounds[0].row_payoff

    def holds_at(self, **values: Any) -> bool:
        """Whether every month's condition holds at a point, decided exactly.

        Parameters
        ----------
        **values
            Every parameter of the equilibria's game, by name (as ``Game.equilibria_at``).

        Returns
        -------
        bool
            Whether this branch is a subgame-perfect equilibrium at the point.

        Raises
        ------
        GameParameterError
            A value is missing, unknown, not a finite real number or breaks an assumption.

        Examples
        --------
        >>> from gametheory import models
        >>> game = models.spell_game(2)
        >>> point = dict(U0=1, U=2, U1=4, R=0.5, W=3, C=1, C0=0.5, E=0.2, delta=0.9)
        >>> [b.labels[0] for b in game.equilibria() if b.holds_at(**point)]
        ["mixed {monitor, don't monitor} x {effort, no effort}"]
        """
        return all(eq.holds_at(**values) for eq in self.rounds)

    def to_frame(self) -> pd.DataFrame:
        """One row a month: the equilibrium, its strategies, condition and values.

        Returns
        -------
        pandas.DataFrame
            Columns ``month, label, row, col, condition, government_value,
            claimant_value`` (formulas as text).

        Examples
        --------
        >>> from gametheory import models
        >>> branch = models.spell_game(1).equilibria()[0]
        >>> branch.to_frame()["label"].tolist()
        ['(monitor, effort)']
        """
        import pandas as pd  # noqa: PLC0415 `import gametheory` does not load pandas; only tables need it

        rows = []
        for month, eq in enumerate(self.rounds, start=1):
            d = eq.to_dict()
            rows.append({"month": month, "label": eq.label, "row": d["row"], "col": d["col"],
                         "condition": d["condition"], "government_value": d["row_payoff"],
                         "claimant_value": d["col_payoff"]})
        return pd.DataFrame(rows)


@dataclass(frozen=True)
class SpellRound:
    """One month of a subgame-perfect path at a numeric point, exactly.

    Attributes
    ----------
    month : int
        1 for the first month.
    row, col : tuple of Fraction
        The government's and the claimant's mixed strategies that month.
    government_value, claimant_value : Fraction
        Expected discounted payoffs from that month on (the claimant still unemployed).

    Examples
    --------
    >>> from gametheory import models
    >>> point = dict(U0=1, U=2, U1=4, R=0.5, W=3, C=1, C0=0.5, E=0.2, delta=0.9)
    >>> last = models.spell_game(2).equilibria_at(**point)[0].rounds[-1]
    >>> last.month, last.row, last.claimant_value
    (2, (Fraction(1, 5), Fraction(4, 5)), Fraction(9, 5))
    """

    month: int
    row: tuple[Fraction, ...]
    col: tuple[Fraction, ...]
    government_value: Fraction
    claimant_value: Fraction


@dataclass(frozen=True)
class SpellPath:
    """One subgame-perfect equilibrium at a numeric point: a :class:`SpellRound` a month.

    Attributes
    ----------
    rounds : tuple of SpellRound
        Month 1 first.

    Examples
    --------
    >>> from gametheory import models
    >>> point = dict(U0=1, U=2, U1=4, R=0.5, W=3, C=1, C0=0.5, E=0.2, delta=0.9)
    >>> path = models.spell_game(2).equilibria_at(**point)[0]
    >>> len(path.rounds), path.claimant_value
    (2, Fraction(387, 125))
    """

    rounds: tuple[SpellRound, ...]

    @property
    def claimant_value(self) -> Fraction:
        """The claimant's expected discounted payoff at the start of the spell."""
        return self.rounds[0].claimant_value

    @property
    def government_value(self) -> Fraction:
        """The government's expected discounted payoff at the start of the spell."""
        return self.rounds[0].government_value

    def to_frame(self) -> pd.DataFrame:
        """One row a month, as floats.

        Returns
        -------
        pandas.DataFrame
            Columns ``month``, ``x_<row label>``-style probabilities ``x1, x2, ...`` of the
            government, ``y1, y2, ...`` of the claimant, ``government_value``,
            ``claimant_value``.

        Examples
        --------
        >>> from gametheory import models
        >>> point = dict(U0=1, U=2, U1=4, R=0.5, W=3, C=1, C0=0.5, E=0.2, delta=0.9)
        >>> path = models.spell_game(2).equilibria_at(**point)[0]
        >>> path.to_frame()[["month", "x1", "y1"]].round(4).values.tolist()
        [[1.0, 0.524, 0.6], [2.0, 0.2, 0.6]]
        """
        import pandas as pd  # noqa: PLC0415 `import gametheory` does not load pandas; only tables need it

        rows = []
        for r in self.rounds:
            row: dict[str, float] = {"month": r.month}
            row.update({f"x{k + 1}": float(p) for k, p in enumerate(r.row)})
            row.update({f"y{k + 1}": float(p) for k, p in enumerate(r.col)})
            row["government_value"] = float(r.government_value)
            row["claimant_value"] = float(r.claimant_value)
            rows.append(row)
        return pd.DataFrame(rows)


@dataclass(frozen=True)
class SpellArrays:
    """The selected subgame-perfect path over arrays of parameter points (floats).

    Attributes
    ----------
    row : numpy.ndarray
        Shape ``(T, n_rows, *shape)``: the government's strategy each month (month 1 first).
    col : numpy.ndarray
        Shape ``(T, n_cols, *shape)``: the claimant's strategy each month.
    government_value, claimant_value : numpy.ndarray
        Shape ``(T, *shape)``: values from each month on.
    n_equilibria : numpy.ndarray
        Shape ``(T, *shape)``: how many of the stage game's equilibrium families held
        that month (the selection mattered where it is above 1).
    solved : numpy.ndarray
        Shape ``shape``: False where some month had no family holding (a point outside the
        assumptions, or a degenerate point whose equilibria are a continuum without a
        formula); the other arrays are NaN there and in the earlier months.

    Examples
    --------
    >>> import numpy as np
    >>> from gametheory import models
    >>> out = models.spell_game(2).solve(U0=1, U=2, U1=4, R=0.5, W=3, C=1, C0=0.5, E=0.2,
    ...                                  delta=np.linspace(0, 1, 5))
    >>> out.row.shape, int(out.n_equilibria.max()), bool(out.solved.all())
    ((2, 2, 5), 1, True)
    """

    row: np.ndarray
    col: np.ndarray
    government_value: np.ndarray
    claimant_value: np.ndarray
    n_equilibria: np.ndarray
    solved: np.ndarray


# --------------------------------------------------------------------- the game
class SpellGame:
    """A stage game played for ``T`` months over an unemployment spell.

    Parameters
    ----------
    stage : Game
        The static game of one month (the government rows, the claimant columns), with the
        month's expected payoffs (e.g. seed 001's monitoring game).
    stay : n x m nested sequence
        The probability that the claimant is still unemployed after each cell of the stage
        game (sympy expressions or numbers in the stage's parameters), e.g. ``1 - R`` where
        the claimant searches.
    T : int
        The number of months, at least 1.
    delta : str
        The name of the monthly discount factor (assumed ``0 <= delta <= 1``).
    monthly : sequence of str
        The stage parameters that may change by month (e.g. the benefit tiers): numeric
        methods accept a list or tuple of ``T`` values for them, and
        ``equilibria(monthly=True)`` gives them a symbol a month (``U_1``, ``U_2``, ...).
    name : str
        A short name for displays.

    Raises
    ------
    GameParameterError
        ``T`` is not an integer of at least 1, or ``stay`` does not have the stage's shape.
    GameError
        ``delta``, ``v`` or ``g`` already names a stage parameter, or ``monthly`` names a
        parameter the stage does not have.

    Examples
    --------
    >>> from gametheory import models
    >>> game = models.spell_game(3)
    >>> game
    SpellGame('spell game (seed 001, Table 2, 3 months)', T=3, params=[...'delta'])
    """

    def __init__(self, stage: Game, stay: Sequence[Sequence[Any]], T: int, *,
                 delta: str = "delta", monthly: Sequence[str] = (),
                 name: str = "spell game") -> None:
        if isinstance(T, bool) or not isinstance(T, int | np.integer) or T < 1:
            raise GameParameterError("T", T, "must be an integer >= 1 (the number of months)")
        clash = [k for k in (delta, _V, _G) if k in stage.params]
        if clash:
            raise GameError(f"the stage game already has a parameter {clash[0]!r}; {delta!r}, "
                            f"{_V!r} and {_G!r} are the spell game's own")
        unknown = [k for k in monthly if k not in stage.params]
        if unknown:
            raise GameError(f"monthly names {unknown[0]!r}, which is not a parameter of the "
                            f"stage; expected some of {list(stage.params)}")
        n, m = stage.shape
        if (len(stay) != n or any(len(r) != m for r in stay)):
            raise GameParameterError("stay", stay, f"must be {n} x {m} like the stage game")
        self.base = stage
        self.T = int(T)
        self.name = name
        self.monthly = tuple(monthly)
        self.delta = sp.Symbol(delta)
        self.params: dict[str, sp.Symbol] = {**stage.params, delta: self.delta}
        self.stay = sp.ImmutableMatrix(
            [[sp.nsimplify(e) if not isinstance(e, sp.Basic) else e for e in r] for r in stay])
        self.assumptions = (*stage.assumptions, sp.Le(0, self.delta), sp.Le(self.delta, 1))
        self._v, self._g = sp.Symbol(_V), sp.Symbol(_G)

    def __repr__(self) -> str:
        return f"SpellGame({self.name!r}, T={self.T}, params={list(self.params)})"

    # ----------------------------------------------------------------- stage
    @cached_property
    def stage(self) -> Game:
        """The month's game with continuation values ``v`` (claimant), ``g`` (government).

        Returns
        -------
        Game
            Payoffs ``A + delta * stay * g`` and ``B + delta * stay * v`` (elementwise),
            parameters those of the spell game plus ``v`` and ``g``.

        Examples
        --------
        >>> from gametheory import models
        >>> models.spell_game(2).stage.B[1, 1]
        U + delta*v
        """
        base = self.base
        return _stage_game((base.A, base.B, self.stay), tuple(self.params.items()),
                           self.assumptions, (base.row_labels, base.col_labels))

    def stage_equilibria(self) -> tuple[Equilibrium, ...]:
        """The month's equilibrium families, as formulas in the parameters, ``v`` and ``g``.

        Returns
        -------
        tuple of Equilibrium
            :meth:`Game.equilibria` of :attr:`stage` (derived once, then cached).

        Examples
        --------
        >>> from gametheory import models
        >>> [eq.label for eq in models.spell_game(1).stage_equilibria()][:2]
        ['(monitor, effort)', '(monitor, no effort)']
        """
        return self.stage.equilibria()

    # ----------------------------------------------------------------- symbolic
    def equilibria(self, *, monthly: bool = False) -> tuple[SpellEquilibrium, ...]:
        """Every Markov branch of the subgame-perfect equilibria, with its conditions.

        Month ``T`` plays a family of the stage game at ``v = g = 0``; month ``t`` a family
        at the values of the branch from month ``t + 1`` on.  A branch is dropped only when
        the prover shows the conditions that do not involve the continuation values (the
        government's, in seed 001's game) contradict each other; the other branches are
        kept with every month's condition, so a kept branch may still be empty — decide a
        point with :meth:`SpellEquilibrium.holds_at`.

        Parameters
        ----------
        monthly : bool
            Give the :attr:`monthly` parameters one symbol a month (``U_1, U_2, ...``:
            a step-down schedule) instead of one for the whole spell.

        Returns
        -------
        tuple of SpellEquilibrium
            Branches in the order of the stage families, month 1 varying fastest.

        Raises
        ------
        GameParameterError
            ``T`` is larger than :data:`MAX_SYMBOLIC_T` (use :meth:`equilibria_at` or
            :meth:`solve`).

        Examples
        --------
        >>> from gametheory import models
        >>> branches = models.spell_game(2).equilibria()
        >>> branches[0].labels
        ('(monitor, effort)', '(monitor, effort)')
        >>> sp.factor(branches[0].rounds[1].col_payoff)  # month 2: the static value
        -C0 - R*U1 + R*W + U1
        """
        if self.T > MAX_SYMBOLIC_T:
            raise GameParameterError("T", self.T, f"must be at most {MAX_SYMBOLIC_T} for the "
                                     "symbolic equilibria (the branches grow as 4^T); use "
                                     "equilibria_at or solve")
        params, assumptions = self._symbolic_params(monthly=monthly)
        domain = Domain(params, assumptions)
        branches: list[tuple[tuple[Equilibrium, ...], list[sp.Basic]]] = [((), [])]
        for t in reversed(range(self.T)):
            subs = self._month_symbols(t) if monthly else {}
            grown = []
            for later, fixed in branches:
                v = later[0].col_payoff if later else sp.Integer(0)
                g = later[0].row_payoff if later else sp.Integer(0)
                for family in self.stage_equilibria():
                    month = _month_family(family, {**subs, self._v: v, self._g: g}, params,
                                          assumptions)
                    parts = [*fixed, *_fixed_parts(family, subs, {self._v, self._g})]
                    if simplify_and(parts, domain) is sp.false:
                        continue
                    grown.append(((month, *later), parts))
            branches = grown
        return tuple(SpellEquilibrium(rounds, sp.And(*(eq.condition for eq in rounds)))
                     for rounds, _ in branches)

    def _symbolic_params(self, *, monthly: bool
                         ) -> tuple[dict[str, sp.Symbol], tuple[sp.Basic, ...]]:
        if not monthly or not self.monthly:
            return self.params, self.assumptions
        params = {k: s for k, s in self.params.items() if k not in self.monthly}
        assumptions = [a for a in self.assumptions
                       if not a.free_symbols & {self.params[k] for k in self.monthly}]
        for t in range(self.T):
            subs = self._month_symbols(t)
            params.update({str(s): s for s in subs.values()})
            assumptions += [a.subs(subs) for a in self.base.assumptions
                            if a.free_symbols & set(subs)]
        return params, tuple(assumptions)

    def _month_symbols(self, t: int) -> dict[sp.Symbol, sp.Symbol]:
        return {self.params[k]: sp.Symbol(f"{k}_{t + 1}") for k in self.monthly}

    # ----------------------------------------------------------------- exact, at a point
    def equilibria_at(self, **values: Any) -> tuple[SpellPath, ...]:
        """Every Markov subgame-perfect path at one numeric point, in exact arithmetic.

        Each month's game (continuation values substituted exactly) is solved by the
        layer's exact vertex enumeration, and every one of its extreme equilibria starts a
        branch.  At a degenerate point (a month whose equilibria form a continuum) only
        the paths through extreme equilibria are listed.

        Parameters
        ----------
        **values
            Every parameter, by name, read as ``Game.equilibria_at`` reads it (a float is
            its shortest decimal); a :attr:`monthly` parameter may be a list or tuple of
            ``T`` values, month 1 first.

        Returns
        -------
        tuple of SpellPath
            Every path, each month's equilibria in vertex-enumeration order.

        Raises
        ------
        GameParameterError
            A value is missing, unknown, not a finite real, breaks an assumption in some
            month, or a monthly list does not have ``T`` values; or there are more than
            :data:`MAX_PATHS` paths.

        Examples
        --------
        >>> from gametheory import models
        >>> point = dict(U0=1, U=2, U1=4, R=0.5, W=3, C=1, C0=0.5, E=0.2, delta=0.9)
        >>> [str(r.row[0]) for r in models.spell_game(3).equilibria_at(**point)[0].rounds]
        ['4733/6250', '131/250', '1/5']
        """
        months = self._exact_months(values)
        paths: list[tuple[SpellRound, ...]] = [()]
        for t in reversed(range(self.T)):
            grown = []
            for later in paths:
                v = later[0].claimant_value if later else Fraction(0)
                g = later[0].government_value if later else Fraction(0)
                A, B = self._exact_stage(months[t], v, g)
                for x, y in extreme_equilibria(A, B):
                    gov = sum((x[i] * A[i][j] * y[j] for i in range(len(x))
                               for j in range(len(y))), Fraction(0))
                    cl = sum((x[i] * B[i][j] * y[j] for i in range(len(x))
                              for j in range(len(y))), Fraction(0))
                    grown.append((SpellRound(t + 1, tuple(x), tuple(y), gov, cl), *later))
            if len(grown) > MAX_PATHS:
                raise GameParameterError("T", self.T, f"gives more than {MAX_PATHS} "
                                         "subgame-perfect paths at this point")
            paths = grown
        return tuple(SpellPath(p) for p in paths)

    def _exact_months(self, values: Mapping[str, Any]) -> list[dict[sp.Symbol, sp.Rational]]:
        """Each month's point, read exactly and checked against the assumptions."""
        out = []
        for t in range(self.T):
            month = {k: self._month_value(k, v, t) for k, v in values.items()}
            try:
                out.append(exact_point(self.params, self.assumptions, month,
                                       owner=self.name))
            except GameParameterError as exc:
                if self.T == 1:
                    raise
                raise GameParameterError(exc.parameter, exc.value,
                                         f"{exc.rule} (month {t + 1})") from None
        return out

    def _month_value(self, key: str, value: Any, t: int) -> Any:
        if not isinstance(value, list | tuple):
            return value
        if key not in self.monthly:
            raise GameParameterError(key, value, "must be one number (only "
                                     f"{list(self.monthly)} may change by month)")
        if len(value) != self.T:
            raise GameParameterError(key, value, f"must have one value a month: {self.T} "
                                     f"values, got {len(value)}")
        return value[t]

    def _exact_stage(self, subs: dict[sp.Symbol, sp.Rational], v: Fraction,
                     g: Fraction) -> tuple[list[list[Fraction]], list[list[Fraction]]]:
        point = {**subs, self._v: sp.Rational(v.numerator, v.denominator),
                 self._g: sp.Rational(g.numerator, g.denominator)}
        stage = self.stage
        n, m = stage.shape
        A = [[evaluate(stage.A[i, j], point) for j in range(m)] for i in range(n)]
        B = [[evaluate(stage.B[i, j], point) for j in range(m)] for i in range(n)]
        return A, B

    # ----------------------------------------------------------------- numeric, vectorised
    def solve(self, *, select: Select = "government", **values: Any) -> SpellArrays:
        """The subgame-perfect path over arrays of parameter points, by backward induction.

        Each month every stage family is evaluated at once over the points
        (:meth:`Game.lambdify_equilibria`, continuation values as arrays); where several
        hold, the one chosen is the one best for ``select``'s player that month (its value
        from that month on; ties to the first family), so the path is the Markov
        subgame-perfect equilibrium that this player would pick month by month.

        Parameters
        ----------
        select : {"government", "claimant"}
            Whose value picks the equilibrium where a month has several.
        **values
            Every parameter, as numbers or arrays that broadcast to one shape; a
            :attr:`monthly` parameter may be a list or tuple of ``T`` such values.

        Returns
        -------
        SpellArrays
            Strategies, values, the count of equilibria each month, and where solved.

        Raises
        ------
        GameParameterError
            An unknown ``select``; a missing, unknown or non-numeric value; monthly lists
            of the wrong length; arrays that do not broadcast.

        Examples
        --------
        >>> import numpy as np
        >>> from gametheory import models
        >>> out = models.spell_game(3).solve(U0=1, U=2, U1=4, R=0.5, W=3, C=1, C0=0.5,
        ...                                  E=0.2, delta=np.array([0.0, 0.9]))
        >>> out.row[:, 0].round(4).tolist()
        [[0.2, 0.7573], [0.2, 0.524], [0.2, 0.2]]
        """
        if select not in ("government", "claimant"):
            raise GameParameterError("select", select, "must be 'government' or 'claimant'")
        months = [{k: self._month_value(k, v, t) for k, v in values.items()}
                  for t in range(self.T)]
        shape = _broadcast_shape(months)
        n, m = self.stage.shape
        row = np.full((self.T, n, *shape), np.nan)
        col = np.full((self.T, m, *shape), np.nan)
        gov = np.full((self.T, *shape), np.nan)
        cl = np.full((self.T, *shape), np.nan)
        count = np.zeros((self.T, *shape), dtype=int)
        v, g = np.zeros(shape), np.zeros(shape)
        for t in reversed(range(self.T)):
            point = {**months[t], _V: v, _G: g}
            outs = self.stage.lambdify_equilibria()(**point)
            payoffs = self._value_function(*(point[k] for k in [*self.params, _V, _G]))
            best = np.full(shape, -np.inf)
            for k, out in enumerate(outs):
                value_g = np.broadcast_to(payoffs[2 * k], shape)
                value_c = np.broadcast_to(payoffs[2 * k + 1], shape)
                key = value_g if select == "government" else value_c
                take = out.valid & (key > best)
                count[t] += out.valid
                np.copyto(best, key, where=take)
                np.copyto(row[t], out.row, where=take)
                np.copyto(col[t], out.col, where=take)
                np.copyto(gov[t, ...], value_g, where=take)
                np.copyto(cl[t, ...], value_c, where=take)
            v, g = cl[t], gov[t]
        solved = np.all(np.isfinite(cl), axis=0)
        return SpellArrays(row, col, gov, cl, count, solved)

    @cached_property
    def _value_function(self) -> Callable[..., list[np.ndarray]]:
        """Each stage family's government and claimant values, vectorised (``cse``)."""
        symbols = [*self.params.values(), self._v, self._g]
        exprs = [e for f in self.stage_equilibria() for e in (f.row_payoff, f.col_payoff)]
        f = sp.lambdify(symbols, exprs, modules="numpy", cse=True)

        def values(*args: Any) -> list[np.ndarray]:
            with np.errstate(all="ignore"):  # where a family's formula is undefined it is
                return [np.asarray(e, dtype=float) for e in f(*args)]  # not valid either

        return values

    # ----------------------------------------------------------------- the limit T -> oo
    def stationary(self) -> tuple[Equilibrium, ...]:
        """The stationary (infinite-horizon) Markov equilibria with constant parameters.

        For each stage family, the claimant's value solves ``v = col_payoff(v)`` and the
        government's ``g = row_payoff(v, g)``; the family at that ``(v, g)`` is a
        stationary equilibrium where its condition holds there.  Whether backward induction
        from a finite ``T`` converges to it as ``T`` grows is decided by
        :meth:`contraction_slopes` (see the explanation page for the argument).

        Returns
        -------
        tuple of Equilibrium
            One per stage family whose value equations have a unique solution, with
            ``col_payoff``/``row_payoff`` the stationary values and the condition at them
            (the solution's denominators nonzero included).

        Examples
        --------
        >>> from gametheory import models
        >>> fams = models.spell_game(1).stationary()
        >>> fams[1].label, fams[1].col_payoff
        ('(monitor, no effort)', -U0/(delta - 1))
        """
        out = []
        for family in self.stage_equilibria():
            v = _solve_linear(self._v - family.col_payoff, self._v)
            if v is None:
                continue
            g = _solve_linear(self._g - family.row_payoff.subs(self._v, v), self._g)
            if g is None:
                continue
            subs = {self._v: v, self._g: g}
            month = _month_family(family, subs, self.params, self.assumptions)
            dens = [d for d in (sp.fraction(sp.together(v))[1], sp.fraction(sp.together(g))[1])
                    if not d.is_number]
            cond = sp.And(month.condition, *(sp.Ne(d, 0) for d in dens))
            out.append(replace(month, condition=cond, col_payoff=sp.factor(v),
                               row_payoff=sp.factor(g)))
        return tuple(out)

    def contraction_slopes(self) -> dict[str, sp.Expr]:
        """``d(col_payoff)/dv`` of each stage family: how a month's value moves with the next.

        The claimant's value from month ``t`` is ``phi(V(t+1))`` with ``phi`` the selected
        family's ``col_payoff`` as a function of ``v``; where every family that can be
        selected has a slope of absolute value below 1 (and the selection is unique),
        ``phi`` is a contraction and ``V(1)`` converges to the stationary value as ``T``
        grows.

        Returns
        -------
        dict of str to sympy.Expr
            Family label to slope.

        Examples
        --------
        >>> from gametheory import models
        >>> models.spell_game(1).contraction_slopes()["(monitor, no effort)"]
        delta
        """
        return {f.label: sp.factor(sp.diff(f.col_payoff, self._v))
                for f in self.stage_equilibria()}

    # ----------------------------------------------------------------- gambit
    def to_gambit(self, **values: Any) -> pygambit.Game:
        """The spell game at a numeric point as a pygambit extensive-form game (a tree).

        Each month the government moves first at an information set of its own (it knows
        the history), the claimant moves without seeing that month's choice (one
        information set for both government moves, labelled ``"month t"``), each cell
        carries its month's discounted expected payoff as an outcome, and a chance move
        ``"job"`` / ``"no job"`` (probabilities ``1 - stay``, ``stay``) ends the spell or
        continues it.  Payoffs and probabilities are exact rationals.

        Parameters
        ----------
        **values
            As :meth:`equilibria_at`.

        Returns
        -------
        pygambit.Game
            Players ``"government"`` and ``"claimant"``; title the spell game's name.

        Raises
        ------
        GameParameterError
            As :meth:`equilibria_at`; ``T`` above :data:`MAX_GAMBIT_T`; a stay probability
            outside [0, 1].
        OptionalDependencyError
            pygambit is not installed (it is a test extra: ``pip install pygambit``).

        Examples
        --------
        >>> from gametheory import models
        >>> point = dict(U0=1, U=2, U1=4, R=0.5, W=3, C=1, C0=0.5, E=0.2, delta=0.9)
        >>> tree = models.spell_game(2).to_gambit(**point)  # doctest: +SKIP
        >>> len(tree.infosets)  # doctest: +SKIP
        12
        """
        if self.T > MAX_GAMBIT_T:
            raise GameParameterError("T", self.T, f"must be at most {MAX_GAMBIT_T} for a "
                                     "gambit tree (it grows as 4^T)")
        months = self._exact_months(values)
        gbt = require_pygambit(f"{self.name}.to_gambit")
        from gametheory.spell_gambit import build_spell_tree  # noqa: PLC0415 needs pygambit, an optional dependency

        flows = []
        for t, subs in enumerate(months):
            A, B = self._exact_stage(subs, Fraction(0), Fraction(0))
            stay = [[_probability(evaluate(e, subs)) for e in r] for r in self.stay.tolist()]
            weight = exact_real("delta", subs[self.delta]) ** t
            flows.append(([[weight * a for a in r] for r in A],
                          [[weight * b for b in r] for r in B], stay))
        return build_spell_tree(gbt, flows, self.base.row_labels, self.base.col_labels,
                                title=self.name)


# --------------------------------------------------------------------- helpers
@functools.lru_cache(maxsize=8)
def _stage_game(matrices: tuple[sp.ImmutableMatrix, sp.ImmutableMatrix, sp.ImmutableMatrix],
                params: tuple[tuple[str, sp.Symbol], ...], assumptions: tuple[sp.Basic, ...],
                labels: tuple[tuple[str, ...], tuple[str, ...]]) -> Game:
    """The month's game with continuation values, from ``(A, B, stay)``.

    Shared by the spell games of every ``T``, so its equilibria are derived once a process.
    """
    A, B, stay = matrices
    row_labels, col_labels = labels
    v, g, delta = sp.Symbol(_V), sp.Symbol(_G), params[-1][1]
    return Game((A + delta * g * stay).tolist(), (B + delta * v * stay).tolist(),
                params={**dict(params), _V: v, _G: g}, assumptions=assumptions,
                row_labels=row_labels, col_labels=col_labels, name="one month of a spell")


def _month_family(family: Equilibrium, subs: Mapping[sp.Basic, sp.Basic],
                  params: Mapping[str, sp.Symbol],
                  assumptions: Iterable[sp.Basic]) -> Equilibrium:
    """A stage family with the month's symbols and continuation values substituted."""
    def put(e: sp.Expr) -> sp.Expr:
        return sp.cancel(e.subs(subs)) if e.free_symbols else e

    return replace(family, row=tuple(put(e) for e in family.row),
                   col=tuple(put(e) for e in family.col),
                   condition=family.condition.subs(subs), params=dict(params),
                   row_payoff=sp.cancel(family.row_payoff.subs(subs)),
                   col_payoff=sp.cancel(family.col_payoff.subs(subs)),
                   assumptions=tuple(assumptions), _cache={})


def _fixed_parts(family: Equilibrium, subs: Mapping[sp.Basic, sp.Basic],
                 continuation: set[sp.Symbol]) -> list[sp.Basic]:
    """The conjuncts of a stage family's condition that involve no continuation value.

    The month's symbols are substituted in them.
    """
    cond = family.condition
    parts = cond.args if isinstance(cond, sp.And) else (cond,)
    return [p.subs(subs) for p in parts if not p.free_symbols & continuation]


def _solve_linear(expr: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    """The root of ``expr`` in ``x`` when it is linear in ``x`` with a nonzero slope."""
    num = sp.fraction(sp.together(expr))[0]
    poly = sp.Poly(sp.expand(num), x)
    if poly.degree() != 1:
        return None
    a, b = poly.all_coeffs()
    return sp.factor(-b / a)


def _probability(p: Fraction) -> Fraction:
    if not 0 <= p <= 1:
        raise GameParameterError("stay", float(p), "must be a probability in [0, 1]")
    return p


def _broadcast_shape(months: list[dict[str, Any]]) -> tuple[int, ...]:
    arrays = [np.asarray(v) for month in months for v in month.values()]
    for k, v in ((k, v) for month in months for k, v in month.items()):
        if np.asarray(v).dtype.kind not in "biuf":
            raise GameParameterError(k, v, "must be numeric (int or float, or arrays of them)")
    try:
        return tuple(np.broadcast_shapes(*(a.shape for a in arrays)))
    except ValueError:
        raise GameParameterError("shapes", {k: np.shape(v) for k, v in months[0].items()},
                                 "the parameter arrays must broadcast to one shape") from None
