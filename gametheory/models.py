"""The games of seed 001.

Zhang, "Game analysis of unemployment insurance payment", Operations Research and
Fuzziology 14(3), 2024, doi:10.12677/orf.2024.143251.

The printed Table 2 lost its minus signs; the payoffs here are the intended ones (see the
errata page in ``docs/errata/seed-001.md``).
"""

from __future__ import annotations

from gametheory.game import Game

__all__ = ["benefit_game", "monitoring_game", "MONITORING_PARAMS"]

#: Parameters of :func:`monitoring_game`, in order.
MONITORING_PARAMS = ("U0", "U", "U1", "R", "W", "C", "C0", "E")


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
