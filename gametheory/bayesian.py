"""Bayesian games: the column player's type is private, the row player holds a prior.

A finite set of types ``t`` with prior probabilities ``pi_t`` (formulas: the prior may be a
parameter ``p``); in each type the two players have payoff matrices ``A_t``, ``B_t`` (the
row player, e.g. the government, chooses a row; the column player, e.g. the claimant,
knows its type and chooses a column).  Optionally the row player observes a noisy signal
``s`` of the type with likelihoods ``q(s | t)`` (screening) and chooses one row per
signal.

**Reduction to the agent (type-strategy) normal form** (Harsanyi 1967-68, "Games with
incomplete information played by Bayesian players", Management Sci. 14): a strategy of the
column player is one action per type, ``c = (c_t)``, a strategy of the row player one
action per signal, ``r = (r_s)`` (one action when there is no signal), and the payoffs are
the ex-ante expectations

    A[r, c] = sum_t pi_t sum_s q(s | t) A_t[r_s, c_t],
    B[r, c] = sum_t pi_t sum_s q(s | t) B_t[r_s, c_t].

A Nash equilibrium of this bimatrix game is a Bayes-Nash equilibrium: a mixed strategy
over ``c`` induces a behaviour strategy per type (:meth:`BayesianGame.column_behaviour`),
and where ``pi_t > 0`` each type plays a best response given its type; a type of prior 0
is reached with probability 0 and is unrestricted, as in the extensive form with a chance
move (Gambit's reading too).  The agent form is an ordinary :class:`~gametheory.game.Game`,
so every tool of the layer applies: symbolic support enumeration with conditions on the
parameters *and the prior*, exact extreme equilibria at a point, proven comparative
statics, the logit QRE, nashpy and Gambit.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Any

import numpy as np
import sympy as sp
from sympy.core.relational import Relational

from gametheory.domain import Domain
from gametheory.equilibrium import Equilibrium
from gametheory.errors import (
    GameParameterError,
    ShapeError,
    StaticsError,
    UnknownSymbolError,
)
from gametheory.exact import Undefined, evaluate, exact_point, exact_real
from gametheory.game import Game
from gametheory.interop import gambit_number, require_pygambit
from gametheory.parsing import parse_condition, parse_expr
from gametheory.signs import prove_sign
from gametheory.statics import Statics, comparative_statics

__all__ = ["BayesianGame"]

_LABEL = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_OF = re.compile(r"([XY])(\d*)")
_NONNEGATIVE = ("positive", "nonnegative", "zero")
#: Joins the per-type (per-signal) actions in an agent-form strategy's label.
JOIN = " & "


class BayesianGame:
    """A two-player game in which the column player's type is private information.

    Parameters
    ----------
    row_payoffs, col_payoffs : mapping of type label to an n x m matrix
        Each type's payoffs, as :class:`~gametheory.game.Game` takes them (sympy
        expressions, numbers, or text formulas).  The types are the keys, in order.
    prior : mapping of type label to a formula
        ``P(type)``: text (``"p"``, ``"1 - p"``), a sympy expression or a number.  Must sum
        to 1 identically and be provably ``>= 0`` under the assumptions.
    params : sequence of str
        The parameters, in order (payoffs, prior and likelihoods may use them).
    assumptions : iterable of str or sympy relations
        The domain, e.g. ``["0 <= p <= 1", ...]``.
    row_labels, col_labels : sequence of str, optional
        The actions of the row player and of every column type.
    signals : mapping of signal label to a mapping of type label to a formula, optional
        Screening: ``signals[s][t] = q(s | t)``, the probability that the row player
        observes ``s`` when the type is ``t``.  For each type they must sum to 1 and be
        provably ``>= 0``.  Without signals the row player is uninformed.
    players : tuple of str
        Names of the row and the column player (Gambit's player labels).
    name : str
        A short name for displays.

    Raises
    ------
    ShapeError
        Types that differ between the payoffs, the prior and the signals, matrices of
        different shapes, bad labels.
    UnknownSymbolError, ParseError
        A formula with an unknown name, or text that is not a formula.
    GameParameterError
        A prior (or likelihoods) that does not sum to 1 or is not provably >= 0.

    Examples
    --------
    >>> g = BayesianGame(
    ...     {"H": [["1", "0"], ["0", "1"]], "L": [["0", "1"], ["1", "0"]]},
    ...     {"H": [["1", "0"], ["0", "1"]], "L": [["0", "1"], ["1", "0"]]},
    ...     {"H": "p", "L": "1 - p"}, params=["p"], assumptions=["0 <= p <= 1"])
    >>> g.agent_form().col_labels
    ('H c1 & L c1', 'H c1 & L c2', 'H c2 & L c1', 'H c2 & L c2')
    >>> g.agent_form().A[0, :]
    Matrix([[p, 1, 0, 1 - p]])
    """

    def __init__(  # noqa: PLR0913 (three data arguments, the rest keyword-only options)
        self,
        row_payoffs: Mapping[str, Sequence[Sequence[Any]]],
        col_payoffs: Mapping[str, Sequence[Sequence[Any]]],
        prior: Mapping[str, Any],
        *,
        params: Sequence[str],
        assumptions: Iterable[str | Relational] = (),
        row_labels: Sequence[str] | None = None,
        col_labels: Sequence[str] | None = None,
        signals: Mapping[str, Mapping[str, Any]] | None = None,
        players: tuple[str, str] = ("row", "column"),
        name: str = "Bayesian game",
    ) -> None:
        self.types = _type_labels(row_payoffs, col_payoffs, prior)
        self.name = name
        self.players = players
        self.type_games = {
            t: Game(row_payoffs[t], col_payoffs[t], params=params, assumptions=assumptions,
                    row_labels=row_labels, col_labels=col_labels, name=f"{name}, type {t}")
            for t in self.types}
        first = self.type_games[self.types[0]]
        _same_shapes(self.type_games)
        self.params: dict[str, sp.Symbol] = first.params
        self.assumptions: tuple[Relational, ...] = first.assumptions
        self.row_labels, self.col_labels = first.row_labels, first.col_labels
        self.domain = Domain(self.params, self.assumptions)
        self.prior = _distribution("prior", prior, self.types, self.params, self.domain)
        self.signals, self.likelihood = _likelihoods(signals, self.types, self.params,
                                                     self.domain)
        self._agent: Game | None = None

    def __repr__(self) -> str:
        """Readable summary: name, types, signals, parameters."""
        signals = f", signals={list(self.signals)}" if self.signals != ("",) else ""
        return (f"BayesianGame({self.name!r}, types={list(self.types)}{signals}, "
                f"params={list(self.params)})")

    def fix(self, **values: Any) -> BayesianGame:
        """The same game with some parameters fixed at numbers (the rest stay symbols).

        Fewer symbols make the symbolic derivation much faster: the prover's work grows
        quickly with the number of parameters (see ``docs/explanation/bayesian.md``).

        Parameters
        ----------
        **values
            Parameters to fix, read exactly (a float is its shortest decimal).

        Returns
        -------
        BayesianGame
            A game in the remaining parameters; assumptions that the values decide are
            dropped.

        Raises
        ------
        GameParameterError
            An unknown parameter, a value that is not a finite real, or an assumption the
            values break.

        Examples
        --------
        >>> from gametheory import models
        >>> g = models.bayesian_monitoring_game().fix(U0=1, U=2, U1=4, W=3, C=1, C0=0.5, E=0.2)
        >>> list(g.params)
        ['R_H', 'R_L', 'p']
        """
        subs: dict[sp.Symbol, sp.Rational] = {}
        for key, value in values.items():
            if key not in self.params:
                raise GameParameterError(key, value, f"not a parameter of {self.name}; "
                                         f"expected {list(self.params)}")
            f = exact_real(key, value)
            subs[self.params[key]] = sp.Rational(f.numerator, f.denominator)
        kept = [rel.subs(subs) for rel in self.assumptions]
        for rel, new in zip(self.assumptions, kept, strict=True):
            if new is sp.false:
                raise GameParameterError(", ".join(sorted(str(s) for s in rel.free_symbols)),
                                         values, f"breaks the assumption {rel}")
        names = [k for k in self.params if k not in values]

        def fixed(M: sp.MatrixBase) -> list[list[sp.Expr]]:
            return [[sp.expand(M[i, j].subs(subs)) for j in range(M.shape[1])]
                    for i in range(M.shape[0])]

        return BayesianGame(
            {t: fixed(g.A) for t, g in self.type_games.items()},
            {t: fixed(g.B) for t, g in self.type_games.items()},
            {t: v.subs(subs) for t, v in self.prior.items()},
            params=names, assumptions=[r for r in kept if r is not sp.true],
            row_labels=self.row_labels, col_labels=self.col_labels,
            signals=None if self.signals == ("",) else {
                s: {t: self.likelihood[n][t].subs(subs) for t in self.types}
                for n, s in enumerate(self.signals)},
            players=self.players, name=self.name)

    # ------------------------------------------------------------- agent form
    @property
    def row_strategies(self) -> tuple[tuple[int, ...], ...]:
        """The row player's agent-form strategies: one action index per signal."""
        return tuple(itertools.product(range(len(self.row_labels)), repeat=len(self.signals)))

    @property
    def col_strategies(self) -> tuple[tuple[int, ...], ...]:
        """The column player's agent-form strategies: one action index per type."""
        return tuple(itertools.product(range(len(self.col_labels)), repeat=len(self.types)))

    def agent_form(self) -> Game:
        """The agent (type-strategy) normal form as a :class:`~gametheory.game.Game`.

        Rows are the row player's strategies (one action per signal; the row player's own
        actions when uninformed), columns the column player's (one action per type, in
        type order, labelled ``"H effort & L no effort"``); payoffs are ex-ante expected
        payoffs.  Built once.

        Returns
        -------
        Game
            The bimatrix game whose equilibria are the Bayes-Nash equilibria.

        Examples
        --------
        >>> from gametheory import models
        >>> models.bayesian_monitoring_game().agent_form().shape
        (2, 4)
        """
        if self._agent is None:
            A = [[self._expected(self.type_games, r, c, "A") for c in self.col_strategies]
                 for r in self.row_strategies]
            B = [[self._expected(self.type_games, r, c, "B") for c in self.col_strategies]
                 for r in self.row_strategies]
            self._agent = Game(A, B, params=self.params, assumptions=self.assumptions,
                               row_labels=self._row_agent_labels(),
                               col_labels=self._col_agent_labels(),
                               name=f"{self.name} (agent form)")
        return self._agent

    def _expected(self, games: Mapping[str, Game], r: tuple[int, ...], c: tuple[int, ...],
                  which: str) -> sp.Expr:
        total = sp.Integer(0)
        for k, t in enumerate(self.types):
            M = getattr(games[t], which)
            for s, _ in enumerate(self.signals):
                total += self.prior[t] * self.likelihood[s][t] * M[r[s], c[k]]
        return sp.expand(total)

    def _row_agent_labels(self) -> list[str]:
        if self.signals == ("",):
            return list(self.row_labels)
        return [JOIN.join(f"{s} {self.row_labels[a]}" for s, a in zip(self.signals, r,
                                                                      strict=True))
                for r in self.row_strategies]

    def _col_agent_labels(self) -> list[str]:
        return [JOIN.join(f"{t} {self.col_labels[a]}" for t, a in zip(self.types, c,
                                                                     strict=True))
                for c in self.col_strategies]

    # ------------------------------------------------------------- equilibria
    def equilibria(self, *, include_impossible: bool = False) -> tuple[Equilibrium, ...]:
        """Every Bayes-Nash equilibrium family with the condition under which it holds.

        The families of the agent form (:meth:`agent_form`), by symbolic support
        enumeration; the conditions are on the parameters and the prior.

        Parameters
        ----------
        include_impossible : bool
            Keep families whose condition is provably false.

        Returns
        -------
        tuple of Equilibrium
            Pure families first, then mixed ones by support size.

        Examples
        --------
        >>> from gametheory import models
        >>> seed = dict(U0=1510, U=1740, U1=2175, W=8000, C=1878, C0=600, E=100)
        >>> g = models.bayesian_monitoring_game().fix(R_H=0.9, R_L=0.5, **seed)
        >>> [(eq.label, str(eq.condition)) for eq in g.equilibria()][0]
        ('(monitor, H effort & L effort)', 'p >= 235/348')
        """
        return self.agent_form().equilibria(include_impossible=include_impossible)

    def equilibria_at(self, *, max_seconds: float | None = None,
                      **values: Any) -> list[tuple[np.ndarray, np.ndarray]]:
        """All extreme Bayes-Nash equilibria at a numeric point, exactly.

        Parameters
        ----------
        max_seconds : float, optional
            Time budget of the enumeration (as :meth:`Game.equilibria_at`).
        **values
            Every parameter, read as :meth:`Game.equilibria_at` reads it.

        Returns
        -------
        list of (numpy.ndarray, numpy.ndarray)
            The agent-form strategies ``(row, col)`` of every extreme equilibrium.

        Raises
        ------
        GameParameterError
            A bad point (as :meth:`Game.equilibria_at`).

        Examples
        --------
        >>> from gametheory import models
        >>> g = models.bayesian_monitoring_game()
        >>> point = dict(U0=1, U=2, U1=4, R_H=0.8, R_L=0.2, p=0.5, W=3, C=1, C0=0.5, E=0.2)
        >>> [(r.round(4).tolist(), c.round(4).tolist()) for r, c in g.equilibria_at(**point)]
        [([0.2581, 0.7419], [0.3846, 0.6154, 0.0, 0.0])]
        >>> round(g.column_behaviour(g.equilibria_at(**point)[0][1])["L"][0], 4)  # L's effort
        0.3846
        """
        return self.agent_form().equilibria_at(max_seconds=max_seconds, **values)

    def logit_qre(self, precision: float, **values: Any) -> tuple[np.ndarray, np.ndarray]:
        """The logit QRE of the agent form at ``precision`` (:meth:`Game.logit_qre`).

        In the agent form the column player's logit over type-profiles factors into one
        logit per type with precision ``precision * pi_t`` (the payoffs are additive over
        types), so this is the agent QRE in which type ``t`` responds with precision
        ``precision * pi_t`` to its own expected payoffs.

        Parameters
        ----------
        precision : float
            ``lam >= 0`` in units of 1/payoff.
        **values
            Every parameter.

        Returns
        -------
        tuple of numpy.ndarray
            Agent-form strategies ``(row, col)``.

        Raises
        ------
        GameParameterError
            A bad point or precision.
        QRETraceError
            The branch could not be followed to ``precision``.

        Examples
        --------
        >>> from gametheory import models
        >>> g = models.bayesian_monitoring_game()
        >>> point = dict(U0=1, U=2, U1=4, R_H=0.8, R_L=0.2, p=0.5, W=3, C=1, C0=0.5, E=0.2)
        >>> row, col = g.logit_qre(0.0, **point)
        >>> row.tolist(), col.tolist()
        ([0.5, 0.5], [0.25, 0.25, 0.25, 0.25])
        """
        return self.agent_form().logit_qre(precision, **values)

    # ------------------------------------------------------------- behaviour
    def column_behaviour(self, col: Sequence[Any] | np.ndarray) -> dict[str, tuple[Any, ...]]:
        """Each type's behaviour strategy induced by an agent-form column strategy.

        Parameters
        ----------
        col : sequence
            Probabilities of the agent-form columns (numbers or sympy expressions).

        Returns
        -------
        dict of str to tuple
            For each type, the probability of each of its actions.

        Raises
        ------
        ShapeError
            ``col`` has the wrong length.

        Examples
        --------
        >>> from gametheory import models
        >>> g = models.bayesian_monitoring_game()
        >>> g.column_behaviour([0.0, 1.0, 0.0, 0.0])
        {'H': (1.0, 0.0), 'L': (0.0, 1.0)}
        """
        return _marginals("col", col, self.col_strategies, self.types, len(self.col_labels))

    def row_behaviour(self, row: Sequence[Any] | np.ndarray) -> dict[str, tuple[Any, ...]]:
        """The row player's behaviour per signal induced by an agent-form row strategy.

        Parameters
        ----------
        row : sequence
            Probabilities of the agent-form rows.

        Returns
        -------
        dict of str to tuple
            For each signal (``""`` when uninformed), the probability of each action.

        Raises
        ------
        ShapeError
            ``row`` has the wrong length.

        Examples
        --------
        >>> from gametheory import models
        >>> models.bayesian_monitoring_game().row_behaviour([0.25, 0.75])
        {'': (0.25, 0.75)}
        """
        return _marginals("row", row, self.row_strategies, self.signals,
                          len(self.row_labels))

    # ------------------------------------------------------------- statics
    def statics(self, of: str, wrt: str, *, family: Equilibrium,
                given: str | sp.Basic | Iterable[str | sp.Basic] = ()) -> Statics:
        """Comparative statics of one equilibrium family, on the region where it holds.

        Parameters
        ----------
        of : str
            ``"X"``, ``"X2"``, ... (the row player's agent-form strategy), ``"Y"``, ``"Y3"``,
            ... (the column player's), ``"<type> <action>"`` (a type's probability of an
            action, e.g. ``"H effort"``), ``"<signal> <action>"`` under screening, or
            ``"row_payoff"`` / ``"col_payoff"`` (the ex-ante equilibrium payoffs).
        wrt : str
            A parameter, e.g. the prior's ``"p"``.
        family : Equilibrium
            One of :meth:`equilibria`.  The sign is first proven over the whole domain
            (with ``given``); only if that gives no proof is the family's condition added
            to ``given`` (a sign proven on the larger set holds on the family's region).
        given : str, sympy condition, or iterable of them
            Further conditions.

        Returns
        -------
        Statics
            The derivative and its sign, proven over the whole region (edges such as
            ``p = 0`` and ``p = 1`` included) or refuted with exact witnesses.

        Raises
        ------
        StaticsError
            ``of`` names nothing of the game, or ``family`` is not one of its families.
        UnknownSymbolError
            ``wrt`` (or a name in ``given``) is not a parameter.
        GameParameterError
            ``given`` contradicts the assumptions.

        Examples
        --------
        >>> from gametheory import models
        >>> seed = dict(U0=1510, U=1740, U1=2175, W=8000, C=1878, C0=600, E=100)
        >>> g = models.bayesian_monitoring_game().fix(R_H=0.9, R_L=0.5, **seed)
        >>> pooled = g.equilibria()[0]
        >>> s = g.statics("row_payoff", "p", family=pooled)
        >>> s.derivative, s.sign
        (870, 'positive')
        """
        if wrt not in self.params:
            raise UnknownSymbolError(f"wrt = {wrt!r} is not a parameter of {self.name}; "
                                     f"choose one of {list(self.params)}")
        if family not in self.equilibria(include_impossible=True):
            raise StaticsError(f"family = {family.label!r} is not an equilibrium family of "
                               f"{self.name}: pass one of its equilibria()")
        expression = self._quantity(of, family)
        extra = tuple(_given(given, self.params))
        result = comparative_statics(of, expression, wrt, self.params[wrt], self.domain,
                                     extra)
        if result.proven or family.condition is sp.true:
            return result  # proven on a superset of the family's region: holds there too
        return comparative_statics(of, expression, wrt, self.params[wrt], self.domain,
                                   (family.condition, *extra))

    def _quantity(self, of: str, family: Equilibrium) -> sp.Expr:
        if of in ("row_payoff", "col_payoff"):
            return sp.factor(getattr(family, of))
        match = _OF.fullmatch(of)
        if match:
            strategies = family.row if match.group(1) == "X" else family.col
            index = int(match.group(2) or 1) - 1
            if 0 <= index < len(strategies):
                return strategies[index]
            raise StaticsError(f"of = {of!r}: the player has {len(strategies)} strategies")
        behaviour = {**{f"{s} {a}": p for s, probs in self.row_behaviour(family.row).items()
                        for a, p in zip(self.row_labels, probs, strict=True) if s},
                     **{f"{t} {a}": p for t, probs in self.column_behaviour(family.col).items()
                        for a, p in zip(self.col_labels, probs, strict=True)}}
        if of not in behaviour:
            raise StaticsError(f"of = {of!r}: use 'X', 'Y2', 'row_payoff', 'col_payoff' or "
                               f"one of {sorted(behaviour)}")
        return sp.factor(behaviour[of])

    # ------------------------------------------------------------- gambit
    def to_gambit(self, **values: Any) -> Any:  # a pygambit.Game (pygambit ships no types)
        """The game at a point as a pygambit extensive-form game with chance moves.

        The root is a chance move over the types (the prior); under screening a chance
        move over the signals follows; the column player then moves knowing its type (one
        information set per type), and the row player moves knowing only the signal (one
        information set per signal; one in all when uninformed).  Payoffs and
        probabilities are exact rationals.

        Parameters
        ----------
        **values
            Every parameter, read as :meth:`Game.equilibria_at` reads it.

        Returns
        -------
        pygambit.Game
            The extensive-form game; players named by ``players``.

        Raises
        ------
        GameParameterError
            A bad point, or a payoff or probability with no real value there.
        OptionalDependencyError
            pygambit is not installed (``pip install pygambit``).

        Examples
        --------
        >>> from gametheory import models
        >>> g = models.bayesian_monitoring_game()
        >>> point = dict(U0=1, U=2, U1=4, R_H=0.8, R_L=0.2, p=0.5, W=3, C=1, C0=0.5, E=0.2)
        >>> tree = g.to_gambit(**point)
        >>> [p.label for p in tree.players], len(tree.players["claimant"].infosets)
        (['government', 'claimant'], 2)
        """
        gbt = require_pygambit("BayesianGame.to_gambit")
        subs = exact_point(self.params, self.assumptions, values, owner=self.name)
        game = gbt.Game.new_tree(players=list(self.players), title=self.name)
        root = game.root
        game.append_move(root, game.players.chance, list(self.types))
        game.set_chance_probs(root.infoset, [
            gambit_number(_value(f"prior[{t}]", self.prior[t], subs)) for t in self.types])
        _TreeBuilder(self, game, subs).build(list(root.children))
        return game


class _TreeBuilder:
    """Fills in the tree below the type move (one object per :meth:`to_gambit` call)."""

    def __init__(self, bayes: BayesianGame, game: Any, subs: dict[sp.Symbol, sp.Rational]
                 ) -> None:
        self.bayes, self.game, self.subs = bayes, game, subs
        self.row_sets: dict[int, Any] = {}
        self.col_sets: dict[int, Any] = {}

    def build(self, type_nodes: list[Any]) -> None:
        b = self.bayes
        for k, node in enumerate(type_nodes):
            t = b.types[k]
            if b.signals == ("",):
                self._column(node, k, 0)
                continue
            self.game.append_move(node, self.game.players.chance, list(b.signals))
            self.game.set_chance_probs(node.infoset, [
                gambit_number(_value(f"signals[{s}][{t}]", b.likelihood[n][t], self.subs))
                for n, s in enumerate(b.signals)])
            for n, child in enumerate(node.children):
                self._column(child, k, n)

    def _move(self, node: Any, sets: dict[int, Any], key: int,
              spec: tuple[str, Sequence[str], str]) -> None:
        """The mover's move at ``node``: a new information set, or the one for ``key``."""
        if key in sets:
            self.game.append_infoset(node, sets[key])
            return
        player, labels, infoset_label = spec
        self.game.append_move(node, player, list(labels))
        node.infoset.label = infoset_label
        sets[key] = node.infoset

    def _column(self, node: Any, k: int, n: int) -> None:
        b = self.bayes
        t = b.types[k]
        self._move(node, self.col_sets, k, (b.players[1], b.col_labels, f"type {t}"))
        for j, child in enumerate(node.children):
            label = f"signal {b.signals[n]}" if b.signals != ("",) else "uninformed"
            self._move(child, self.row_sets, n, (b.players[0], b.row_labels, label))
            for i, leaf in enumerate(child.children):
                game = b.type_games[t]
                payoffs = [gambit_number(_value(f"{which}[{t}][{i}][{j}]", M[i, j], self.subs))
                           for which, M in (("row_payoffs", game.A), ("col_payoffs", game.B))]
                outcome = self.game.add_outcome(
                    payoffs=payoffs, label=f"{t}|{b.signals[n]}|{b.col_labels[j]}|"
                                           f"{b.row_labels[i]}")
                self.game.set_outcome(leaf, outcome)


# --------------------------------------------------------------------- helpers
def _value(name: str, expr: sp.Expr, subs: Mapping[sp.Symbol, sp.Rational]) -> Fraction:
    try:
        return evaluate(expr, subs)
    except Undefined as exc:
        raise GameParameterError(name, str(expr), f"has no real value at this point: {exc}"
                                 ) from None


def _type_labels(row_payoffs: Mapping[str, Any], col_payoffs: Mapping[str, Any],
                 prior: Mapping[str, Any]) -> tuple[str, ...]:
    for name, given in (("row_payoffs", row_payoffs), ("col_payoffs", col_payoffs),
                        ("prior", prior)):
        if not isinstance(given, Mapping) or not given:
            raise ShapeError(f"{name} must be a non-empty mapping from type label to "
                             f"{'formula' if name == 'prior' else 'matrix'}, got {given!r}")
    types = tuple(row_payoffs)
    for t in types:
        if not isinstance(t, str) or not _LABEL.match(t):
            raise ShapeError(f"type label {t!r} must be a letter then letters/digits/_")
    for name, given in (("col_payoffs", col_payoffs), ("prior", prior)):
        if set(given) != set(types):
            raise ShapeError(f"{name} has types {sorted(map(str, given))} but row_payoffs "
                             f"has {sorted(types)}")
    return types


def _same_shapes(games: Mapping[str, Game]) -> None:
    shapes = {t: g.shape for t, g in games.items()}
    if len(set(shapes.values())) != 1:
        raise ShapeError(f"every type needs payoff matrices of one shape, got {shapes}")


def _formula(name: str, value: Any, params: Mapping[str, sp.Symbol]) -> sp.Expr:
    if isinstance(value, str):
        expr = parse_expr(value, params)
    elif isinstance(value, sp.Basic):
        expr = value
    else:
        f = exact_real(name, value)
        expr = sp.Rational(f.numerator, f.denominator)
    unknown = expr.free_symbols - set(params.values())
    if unknown:
        raise UnknownSymbolError(f"{name} uses {sorted(map(str, unknown))}, which are not "
                                 f"parameters; declared: {list(params)}")
    return expr


def _distribution(name: str, given: Mapping[str, Any], labels: Sequence[str],
                  params: Mapping[str, sp.Symbol], domain: Domain) -> dict[str, sp.Expr]:
    """Probabilities over ``labels``: each provably >= 0, summing to 1 identically."""
    out = {t: _formula(f"{name}[{t}]", given[t], params) for t in labels}
    total = sp.simplify(sum(out.values()) - 1)
    if total != 0:
        raise GameParameterError(name, {t: str(v) for t, v in out.items()},
                                 f"must sum to 1 for every parameter value (the sum minus 1 "
                                 f"is {total})")
    for t, expr in out.items():
        if expr.is_number:
            sign_ok = bool(expr >= 0)
        else:
            sign_ok = prove_sign(expr, domain, _witness_search=False).sign in _NONNEGATIVE
        if not sign_ok:
            raise GameParameterError(f"{name}[{t}]", str(expr),
                                     "must be provably >= 0 under the assumptions (add "
                                     "bounds such as '0 <= p <= 1' to the assumptions)")
    return out


def _likelihoods(signals: Mapping[str, Mapping[str, Any]] | None, types: Sequence[str],
                 params: Mapping[str, sp.Symbol], domain: Domain
                 ) -> tuple[tuple[str, ...], list[dict[str, sp.Expr]]]:
    """Signal labels and ``q(s | t)`` per signal; one sure signal ``""`` when uninformed."""
    if signals is None:
        return ("",), [dict.fromkeys(types, sp.Integer(1))]
    if not isinstance(signals, Mapping) or not signals:
        raise ShapeError(f"signals must be a non-empty mapping from signal label to "
                         f"{{type: probability}}, got {signals!r}")
    labels = tuple(signals)
    for s in labels:
        if not isinstance(s, str) or not _LABEL.match(s):
            raise ShapeError(f"signal label {s!r} must be a letter then letters/digits/_")
        if not isinstance(signals[s], Mapping) or set(signals[s]) != set(types):
            raise ShapeError(f"signals[{s!r}] must give a probability for each type "
                             f"{list(types)}, got {signals[s]!r}")
    per_type = {t: _distribution(f"signals given {t}", {s: signals[s][t] for s in labels},
                                 labels, params, domain) for t in types}
    return labels, [{t: per_type[t][s] for t in types} for s in labels]


def _marginals(name: str, probs: Sequence[Any] | np.ndarray, strategies: Sequence[tuple[int, ...]],
               owners: Sequence[str], n_actions: int) -> dict[str, tuple[Any, ...]]:
    if len(probs) != len(strategies):
        raise ShapeError(f"{name} must have {len(strategies)} probabilities (one per "
                         f"agent-form strategy), got {len(probs)}")
    symbolic = any(isinstance(v, sp.Basic) for v in probs)
    out: dict[str, tuple[Any, ...]] = {}
    for k, owner in enumerate(owners):
        sums = [sum((p for p, s in zip(probs, strategies, strict=True) if s[k] == a),
                    start=sp.Integer(0) if symbolic else 0.0) for a in range(n_actions)]
        out[owner] = tuple(sp.factor(v) if symbolic else float(v) for v in sums)
    return out


def _given(given: Any, params: Mapping[str, sp.Symbol]) -> Iterable[sp.Basic]:
    items = [given] if isinstance(given, str | sp.Basic) else list(given)
    for item in items:
        cond = parse_condition(item, params) if isinstance(item, str) else item
        unknown = cond.free_symbols - set(params.values())
        if unknown:
            raise UnknownSymbolError(f"given {item!r} uses {sorted(map(str, unknown))}, "
                                     f"which are not parameters; declared: {list(params)}")
        yield cond
