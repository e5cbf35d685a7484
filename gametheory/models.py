"""The games of seed 001.

Zhang, "Game analysis of unemployment insurance payment", Operations Research and
Fuzziology 14(3), 2024, doi:10.12677/orf.2024.143251.

The printed Table 2 lost its minus signs; the payoffs here are the intended ones (see the
errata page in ``docs/errata/seed-001.md``).
"""

from __future__ import annotations

from gametheory.bayesian import BayesianGame
from gametheory.dynamic import SpellGame
from gametheory.game import Game

__all__ = ["BAYESIAN_MONITORING_PARAMS", "MONITORING_PARAMS", "bayesian_monitoring_game",
           "benefit_game", "monitoring_game", "spell_game"]

#: Parameters of :func:`monitoring_game`, in order.
MONITORING_PARAMS = ("U0", "U", "U1", "R", "W", "C", "C0", "E")
#: Parameters of :func:`bayesian_monitoring_game`, in order (``a`` only with screening).
BAYESIAN_MONITORING_PARAMS = ("U0", "U", "U1", "R_H", "R_L", "p", "W", "C", "C0", "E")


def benefit_game() -> Game:
    """Seed 001, Table 1: pay benefit / don't pay against effort / no effort.

    Government (rows) pays ``U`` or not; the unemployed (columns) search at cost ``C``.

    Returns
    -------
    Game
        Parameters ``U``, ``C``; assumptions ``U > 0``, ``C > 0``.

    Examples
    --------
    >>> g = benefit_game()
    >>> [eq.label for eq in g.equilibria()]
    ["(don't pay, no effort)"]
    """
    return Game(
        [["-U", "-U"], ["0", "0"]],
        [["U - C", "U"], ["-C", "0"]],
        params=["U", "C"],
        assumptions=["U > 0", "C > 0"],
        row_labels=["pay", "don't pay"],
        col_labels=["effort", "no effort"],
        name="benefit game (seed 001, Table 1)",
    )


def monitoring_game() -> Game:
    """Seed 001, Table 2: incentive monitoring with benefit tiers ``U0 < U < U1``.

    Government rows: monitor / don't monitor; unemployed columns: effort / no effort.
    ``W`` re-employment wage, ``R`` probability that effort finds a job, ``C`` search cost
    without monitoring, ``C0`` with monitoring, ``E`` the government's benefit from
    monitoring.  All positive, ``0 <= R <= 1``.

    Returns
    -------
    Game
        Parameters :data:`MONITORING_PARAMS`.

    Examples
    --------
    >>> g = monitoring_game()
    >>> g.mixed_equilibrium().col[0]
    (E + U - U0)/(R*U - R*U1 - U0 + U1)
    """
    return Game(
        [["-U1*(1 - R) + E", "-U0 + E"], ["-U*(1 - R)", "-U"]],
        [["R*W + U1*(1 - R) - C0", "U0"], ["R*W + U*(1 - R) - C", "U"]],
        params=list(MONITORING_PARAMS),
        assumptions=[
            "U0 > 0", "U > 0", "U1 > 0", "W > 0", "C > 0", "C0 > 0", "E > 0",
            "U0 < U < U1", "0 <= R <= 1",
        ],
        row_labels=["monitor", "don't monitor"],
        col_labels=["effort", "no effort"],
        name="monitoring game (seed 001, Table 2)",
    )


def bayesian_monitoring_game(*, screening: bool = False) -> BayesianGame:
    """Seed 001's monitoring game with two claimant types the government cannot tell apart.

    The claimant is of the high type ``H`` (effort finds a job with probability ``R_H``)
    with prior probability ``p`` and of the low type ``L`` (``R_L``) otherwise; each type's
    payoffs are those of :func:`monitoring_game` with its own ``R``.  The other parameters
    are named as in :func:`monitoring_game`; the assumptions are its own with
    ``0 <= R_L <= R_H <= 1`` and ``0 <= p <= 1``.  Rows: the government's strategy;
    columns: the claimant's agent-form strategy (one action per type, ``"H effort & L no
    effort"``).  With ``R_H = R_L`` both types are the complete-information claimant.

    Parameters
    ----------
    screening : bool
        Let the government observe a noisy signal of the type: ``h`` with probability
        ``a`` for the high type and ``1 - a`` for the low type (``1/2 <= a <= 1``: ``a =
        1/2`` is no information, ``a = 1`` full information); it then chooses an action per
        signal, and ``a`` is the last parameter.

    Returns
    -------
    BayesianGame
        The game; ``players = ("government", "claimant")``.

    Examples
    --------
    >>> g = bayesian_monitoring_game()
    >>> list(g.params) == list(BAYESIAN_MONITORING_PARAMS)
    True
    >>> g.agent_form().col_labels[1]
    'H effort & L no effort'
    """
    def typed(R: str) -> tuple[list[list[str]], list[list[str]]]:
        return ([[f"-U1*(1 - {R}) + E", "-U0 + E"], [f"-U*(1 - {R})", "-U"]],
                [[f"{R}*W + U1*(1 - {R}) - C0", "U0"], [f"{R}*W + U*(1 - {R}) - C", "U"]])

    (AH, BH), (AL, BL) = typed("R_H"), typed("R_L")
    params = list(BAYESIAN_MONITORING_PARAMS) + (["a"] if screening else [])
    assumptions = ["U0 > 0", "U > 0", "U1 > 0", "W > 0", "C > 0", "C0 > 0", "E > 0",
                   "U0 < U < U1", "0 <= R_L <= R_H <= 1", "0 <= p <= 1"]
    signals = None
    if screening:
        assumptions.append("1/2 <= a <= 1")
        signals = {"h": {"H": "a", "L": "1 - a"}, "l": {"H": "1 - a", "L": "a"}}
    return BayesianGame(
        {"H": AH, "L": AL}, {"H": BH, "L": BL}, {"H": "p", "L": "1 - p"},
        params=params, assumptions=assumptions,
        row_labels=["monitor", "don't monitor"], col_labels=["effort", "no effort"],
        signals=signals, players=("government", "claimant"),
        name="Bayesian monitoring game" + (" with screening" if screening else ""),
    )


def spell_game(T: int) -> SpellGame:
    """Seed 001's monitoring game played month by month over a benefit spell of ``T`` months.

    Each month the government monitors or not and the still-unemployed claimant searches or
    not, with the payoffs of :func:`monitoring_game` for that month; a searcher finds a
    job (and leaves with the re-employment value ``W``) with probability ``R``, a
    non-searcher stays; payoffs are discounted by ``delta`` a month (``0 <= delta <= 1``).
    The benefit tiers ``U0``, ``U``, ``U1`` may change by month (a list of ``T`` values in
    the numeric methods, one symbol a month with ``equilibria(monthly=True)``).  With
    ``T = 1`` it is the static monitoring game.

    Parameters
    ----------
    T : int
        The number of months, at least 1.

    Returns
    -------
    SpellGame
        Parameters those of :func:`monitoring_game` and ``delta``.

    Raises
    ------
    GameParameterError
        ``T`` is not an integer of at least 1.

    Examples
    --------
    >>> game = spell_game(2)
    >>> point = dict(U0=1, U=2, U1=4, R=0.5, W=3, C=1, C0=0.5, E=0.2, delta=0.9)
    >>> [(float(r.row[0]), float(r.col[0])) for r in game.equilibria_at(**point)[0].rounds]
    [(0.524, 0.6), (0.2, 0.6)]
    """
    stage = monitoring_game()
    return SpellGame(stage, [["1 - R", 1], ["1 - R", 1]], T, delta="delta",
                     monthly=("U0", "U", "U1"),
                     name=f"spell game (seed 001, Table 2, {T} months)")
