"""``gametheory.extreme``: exact reading of payoffs, and the convex components of the
extreme equilibria against a brute force over all bicliques written here, and against a
degenerate game solved by hand."""

from __future__ import annotations

import itertools
from fractions import Fraction as F
from typing import Any

import numpy as np
import pytest
import sympy as sp

from gametheory.extreme import ConvexComponent, convex_components, extreme_equilibria
from gametheory.extreme import to_fraction as exact

Vector = tuple[F, ...]


@pytest.mark.parametrize(("value", "want"), [
    (3, F(3)),
    (np.int16(-4), F(-4)),
    (F(2, 7), F(2, 7)),
    (0.1, F(3602879701896397, 36028797018963968)),   # a float converted exactly, not as 1/10
    (np.float32(0.5), F(1, 2)),
    (sp.Rational(-5, 3), F(-5, 3)),
    (sp.Integer(9), F(9)),
    (sp.Float(0.375), F(3, 8)),
])
def test_payoffs_are_read_exactly(value: Any, want: F) -> None:
    got = exact(value)
    assert isinstance(got, F) and got == want


@pytest.mark.parametrize("value", [True, "1", None, sp.Symbol("a"), 1j])
def test_what_is_not_a_real_number_is_refused(value: Any) -> None:
    with pytest.raises(TypeError, match=r"not a number|not a real number"):
        exact(value)


def test_a_degenerate_game_solved_by_hand() -> None:
    """Row indifferent everywhere; column matches the row's likelier strategy.  With the
    row playing (p, 1 - p): p > 1/2 gives column 1, p < 1/2 column 2, p = 1/2 anything.
    Extreme equilibria: (1, 0)-(1, 0), (1/2, 1/2)-(1, 0), (1/2, 1/2)-(0, 1), (0, 1)-(0, 1);
    components: [1/2, 1] x {col 1}, {1/2} x [col 1, col 2], [0, 1/2] x {col 2}."""
    one, zero, half = F(1), F(0), F(1, 2)
    want: list[tuple[Vector, Vector]] = sorted([
        ((one, zero), (one, zero)), ((half, half), (one, zero)),
        ((half, half), (zero, one)), ((zero, one), (zero, one))])
    games: list[tuple[Any, Any]] = [
        ([[1, 1], [1, 1]], [[1, 0], [0, 1]]),
        (np.ones((2, 2)), np.eye(2)),
        ([[sp.Integer(1)] * 2] * 2, [[sp.Rational(1), 0], [0, sp.Float(1.0)]]),
    ]
    for A, B in games:
        assert extreme_equilibria(A, B) == want
    assert convex_components(want) == [
        ConvexComponent(((zero, one), (half, half)), ((zero, one),)),
        ConvexComponent(((half, half),), ((zero, one), (one, zero))),
        ConvexComponent(((half, half), (one, zero)), ((one, zero),)),
    ]


def _maximal_bicliques(edges: set[tuple[Vector, Vector]]) -> set[ConvexComponent]:
    """Every maximal complete bipartite subgraph, by trying all row and column subsets."""
    xs = sorted({x for x, _ in edges})
    ys = sorted({y for _, y in edges})
    complete = []
    for r in range(1, len(xs) + 1):
        for rows in itertools.combinations(xs, r):
            for c in range(1, len(ys) + 1):
                for cols in itertools.combinations(ys, c):
                    if all((x, y) in edges for x in rows for y in cols):
                        complete.append((set(rows), set(cols)))
    return {ConvexComponent(tuple(sorted(rows)), tuple(sorted(cols)))
            for rows, cols in complete
            if not any(rows <= r2 and cols <= c2 and (rows, cols) != (r2, c2)
                       for r2, c2 in complete)}


def test_components_are_the_maximal_bicliques_of_random_graphs() -> None:
    rng = np.random.default_rng(2024)
    for _ in range(60):
        n, m = (int(k) for k in rng.integers(1, 5, size=2))
        xs: list[Vector] = [(F(i), F(1)) for i in range(n)]
        ys: list[Vector] = [(F(j), F(2)) for j in range(m)]
        edges = {(x, y) for x in xs for y in ys if rng.random() < 0.6}
        if not edges:
            continue
        got = convex_components(sorted(edges))
        assert len(got) == len(set(got))
        assert set(got) == _maximal_bicliques(edges)
