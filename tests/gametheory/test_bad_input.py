"""Bad input gets a specific project exception whose message names what is wrong."""

from __future__ import annotations

import math
import os
import re
import subprocess
import sys
import textwrap
from collections.abc import Callable
from fractions import Fraction
from typing import Any, Never

import numpy as np
import pytest
import sympy as sp

from gametheory import (
    Game,
    GameError,
    GameParameterError,
    NoMixedEquilibriumError,
    ParseError,
    ShapeError,
    StaticsError,
    UnknownSymbolError,
    models,
)
from gametheory.equilibrium import EquilibriumArrays
from uicore.errors import ParameterError, UIPolicyError

POINT = {"U0": 1, "U": 2, "U1": 4, "R": 0.5, "W": 3, "C": 1, "C0": 0.5, "E": 0.2}
I2 = [[1, 0], [0, 1]]


@pytest.fixture(scope="module")
def monitoring() -> Game:
    return models.monitoring_game()


@pytest.fixture(scope="module")
def mixed_f(monitoring: Game) -> Callable[..., EquilibriumArrays]:
    return monitoring.mixed_equilibrium().lambdify()


def test_every_error_is_a_project_error() -> None:
    for cls in (ShapeError, UnknownSymbolError, ParseError, GameParameterError,
                NoMixedEquilibriumError, StaticsError):
        assert issubclass(cls, GameError) and issubclass(cls, UIPolicyError)
    assert issubclass(GameParameterError, ParameterError)


# --------------------------------------------------------------------- shapes
@pytest.mark.parametrize(
    ("A", "B", "kwargs", "match"),
    [
        ([[1, 2], [3]], I2, {}, r"row_payoffs is ragged: its rows have lengths \[1, 2\]"),
        (I2, [[1, 2], [3]], {}, r"col_payoffs is ragged"),
        ([], [], {}, r"row_payoffs must be a non-empty list of rows"),
        ([[]], [[]], {}, r"row_payoffs row 0 must be a non-empty list"),
        ("[[1, 0], [0, 1]]", I2, {}, r"row_payoffs must be a non-empty list of rows"),
        (np.array([1, 2]), np.array([1, 2]), {}, r"row_payoffs must be a non-empty 2-d"),
        (I2, [[1, 2, 3], [3, 4, 5]], {},
         r"col_payoffs has shape \(2, 3\) but row_payoffs has \(2, 2\)"),
        (I2, I2, {"row_labels": ["a"]}, r"row_labels must be 2 strings, got \('a',\)"),
        (I2, I2, {"col_labels": ["a", "b", "c"]}, r"col_labels must be 2 strings"),
        (I2, I2, {"row_labels": ["a", 2]}, r"row_labels must be 2 strings"),
        ([[None, 0], [0, 1]], I2, {}, r"row_payoffs\[0\]\[0\] = None is neither a number"),
        (I2, [[1, 0], [0, [1]]], {}, r"col_payoffs\[1\]\[1\] = \[1\] is neither"),
    ],
    ids=["ragged-A", "ragged-B", "empty", "empty-row", "text-not-list", "1-d", "shapes",
         "row-labels", "col-labels", "label-type", "none-entry", "list-entry"],
)
def test_wrong_shapes(A: Any, B: Any, kwargs: dict[str, Any], match: str) -> None:
    with pytest.raises(ShapeError, match=match):
        Game(A, B, **kwargs)


def test_non_finite_entry() -> None:
    with pytest.raises(GameParameterError, match=r"row_payoffs\[0\]\[1\] = inf: must be finite"):
        Game([[0, math.inf], [0, 1]], I2)


def test_params_must_be_names() -> None:
    with pytest.raises(ParseError, match=r"parameter name '1a' must be a letter"):
        Game([["1", "0"], ["0", "1"]], I2, params=["1a"])
    with pytest.raises(ShapeError, match=r"params must be a list of names"):
        Game(I2, I2, params="ab")
    with pytest.raises(ShapeError, match=r"params\['a'\] must be a sympy Symbol"):
        Game(I2, I2, params={"a": "a"})


# --------------------------------------------------------------------- unknown symbols
def test_unknown_symbol_in_text_entry() -> None:
    with pytest.raises(UnknownSymbolError, match=r"unknown name 'b' in 'b'; allowed names: a"):
        Game([["a", "0"], ["0", "1"]], [["1", "0"], ["0", "b"]], params=["a"])


def test_unknown_sympy_symbol_entry() -> None:
    a = sp.Symbol("a")
    with pytest.raises(UnknownSymbolError,
                       match=r"row_payoffs\[0\]\[0\] uses \['a'\], which are not parameters"):
        Game([[a, 0], [0, 1]], I2, params=["b"])


def test_unknown_symbol_in_assumption() -> None:
    with pytest.raises(UnknownSymbolError, match=r"unknown name 'z' in 'z > 0'"):
        Game([["a", "0"], ["0", "1"]], I2, params=["a"], assumptions=["z > 0"])
    z = sp.Symbol("z")
    with pytest.raises(UnknownSymbolError, match=r"uses \['z'\], which are not parameters"):
        Game([["a", "0"], ["0", "1"]], I2, params=["a"], assumptions=[z > 0])


def test_assumption_must_be_a_condition() -> None:
    """Every relation the package prints is accepted (issue 9); what is not a condition is
    refused by name."""
    g = Game([["a", "0"], ["0", "1"]], I2, params=["a"], assumptions=["a == 1"])
    assert g.domain.contains({"a": 1}) and not g.domain.contains({"a": 2})
    with pytest.raises(ParseError, match=r"'a'"):
        Game([["a", "0"], ["0", "1"]], I2, params=["a"], assumptions=["a"])


# --------------------------------------------------------------------- no code execution
ATTACKS = [
    ("__import__('os').system('x')", ParseError, r"only plain function calls"),
    ("__import__('os')", UnknownSymbolError, r"unknown name '__import__'"),
    ("eval('1')", UnknownSymbolError, r"unknown name 'eval'"),
    ("exec('import os')", UnknownSymbolError, r"unknown name 'exec'"),
    ("open('/etc/passwd')", UnknownSymbolError, r"unknown name 'open'"),
    ("__builtins__", UnknownSymbolError, r"unknown name '__builtins__'"),
    ("a.__class__", ParseError, r"Attribute is not allowed in a formula"),
    ("a.__class__.__mro__[1].__subclasses__()", ParseError, r"only plain function calls"),
    ("(1).__class__", ParseError, r"Attribute is not allowed"),
    ("lambda: 1", ParseError, r"Lambda is not allowed in a formula"),
    ("(lambda: 1)()", ParseError, r"only plain function calls"),
    ("a[0]", ParseError, r"Subscript is not allowed in a formula"),
    ("'x'", ParseError, r"only numbers may appear as literals, got 'x'"),
    ("f'{a}'", ParseError, r"JoinedStr is not allowed"),
    ("[a, a]", ParseError, r"List is not allowed"),
    ("a if a else 0", ParseError, r"IfExp is not allowed"),
    ("(a := 1)", ParseError, r"NamedExpr is not allowed"),
    ("exp(x=a)", ParseError, r"keyword arguments are not allowed"),
    ("a; import os", ParseError, r"cannot parse"),
    ("a +", ParseError, r"cannot parse 'a \+': invalid syntax"),
    ("a" * 3000, ParseError, r"length = 3000: .* max_length = 2000"),
]


@pytest.fixture
def no_system(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail loudly if anything reaches os.system / subprocess while parsing."""
    def forbidden(*args: object, **kwargs: object) -> Never:
        raise AssertionError(f"code was executed: {args}")

    monkeypatch.setattr(os, "system", forbidden)
    monkeypatch.setattr(subprocess, "Popen", forbidden)


@pytest.mark.parametrize(("text", "error", "match"), ATTACKS, ids=[a[0][:30] for a in ATTACKS])
def test_text_entries_cannot_execute_code(text: str, error: type[Exception], match: str,
                                          no_system: None) -> None:
    with pytest.raises(error, match=match):
        Game([[text, "0"], ["0", "1"]], [["1", "0"], ["0", "1"]], params=["a"])


@pytest.mark.parametrize("text", [a[0] for a in ATTACKS[:12]],
                         ids=[a[0][:30] for a in ATTACKS[:12]])
def test_assumptions_cannot_execute_code(text: str, no_system: None) -> None:
    with pytest.raises((ParseError, UnknownSymbolError), match=re.escape(text[:8])):
        Game([["a", "0"], ["0", "1"]], I2, params=["a"], assumptions=[f"{text} > 0"])


def test_given_cannot_execute_code(monitoring: Game, no_system: None) -> None:
    with pytest.raises(ParseError, match=r"only plain function calls"):
        monitoring.statics("Y", "U", given=["__import__('os').system('x') > 0"])


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("__import__('os')", r"row_payoffs must be a list of rows such as"),
        ("[[x for x in a]]", r"row_payoffs: every row must be a list, got '\[x for x in a\]'"),
        ("[[a.real, 2], [3, 4]]", r"Attribute is not allowed"),
        ("[[1, 2], [3]]", r"row_payoffs is ragged"),
        ("[[1, 2], [3, 4]", r"cannot parse row_payoffs"),
    ],
)
def test_from_text_rejects(text: str, match: str, no_system: None) -> None:
    with pytest.raises(GameError, match=match):
        Game.from_text(text, "[[1, 2], [3, 4]]", params=["a"])


def test_from_text_needs_text() -> None:
    with pytest.raises(ParseError, match=r"row_payoffs must be text"):
        Game.from_text([[1, 2], [3, 4]], "[[1, 2], [3, 4]]", params=[])  # type: ignore[arg-type]  # wrong type on purpose


def test_huge_power_is_refused_quickly() -> None:
    """'9**9**9' has 369 million digits: parsing it must be refused, not computed.

    Run in a subprocess so that a hang costs 10 s, not the whole suite.
    """
    code = textwrap.dedent("""
        from gametheory import Game, ParseError
        try:
            Game([["9**9**9", "0"], ["0", "1"]], [["1", "0"], ["0", "1"]], params=["a"])
        except ParseError as exc:
            print("ParseError", exc)
        else:
            print("accepted")
    """)
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    try:
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=False,
                             timeout=10, cwd=root, env={**os.environ, "PYTHONPATH": root})
    except subprocess.TimeoutExpired:
        pytest.fail("parsing '9**9**9' did not finish within 10 s (it computes the power)")
    assert out.stdout.startswith("ParseError"), out.stdout + out.stderr


# --------------------------------------------------------------------- numeric values
@pytest.mark.parametrize(
    ("value", "match"),
    [
        ("two", r"U = 'two': must be a real number"),
        (None, r"U = None: must be a real number"),
        ([1, 2], r"U = \[1, 2\]: must be a real number"),
        (np.array([1.0, 2.0]), r"U = array\(\[1\., 2\.\]\): must be a real number"),
        (1 + 2j, r"U = \(1\+2j\): must be a real number"),
        (True, r"U = True: must be a real number"),
        (math.nan, r"U = nan: must be"),
        (math.inf, r"U = inf: must be"),
    ],
)
@pytest.mark.parametrize("method", ["equilibria_at", "components_at", "payoffs_at",
                                    "to_nashpy"])
def test_non_numeric_values(monitoring: Game, method: str, value: Any, match: str) -> None:
    with pytest.raises(GameParameterError, match=match) as info:
        getattr(monitoring, method)(**{**POINT, "U": value})
    assert info.value.parameter == "U"


def test_missing_and_unknown_parameters(monitoring: Game) -> None:
    without_e = {k: v for k, v in POINT.items() if k != "E"}
    with pytest.raises(GameParameterError, match=r"E = None: missing; .* needs \['U0'"):
        monitoring.equilibria_at(**without_e)
    with pytest.raises(GameParameterError, match=r"Z = 1: not a parameter of monitoring game"):
        monitoring.equilibria_at(**POINT, Z=1)


@pytest.mark.parametrize(
    ("change", "parameter", "match"),
    [
        ({"R": 1.5}, "R", r"R = 1\.5: breaks the assumption R <= 1"),
        ({"R": -0.1}, "R", r"R = -0\.1: breaks the assumption 0 <= R"),
        ({"U0": 3}, "U", r"breaks the assumption U0 < U"),
        ({"U0": 2}, "U", r"breaks the assumption U0 < U"),
        ({"U1": 1.5}, "U", r"breaks the assumption U < U1"),
        ({"C": -1}, "C", r"C = -1\.0: breaks the assumption C > 0"),
        ({"E": 0}, "E", r"E = 0\.0: breaks the assumption E > 0"),
        ({"R": Fraction(3, 2)}, "R", r"breaks the assumption R <= 1"),
    ],
)
@pytest.mark.parametrize("method", ["equilibria_at", "components_at", "to_nashpy"])
def test_assumption_violations(monitoring: Game, method: str, change: dict[str, float],
                               parameter: str, match: str) -> None:
    with pytest.raises(GameParameterError, match=match) as info:
        getattr(monitoring, method)(**{**POINT, **change})
    assert info.value.parameter == parameter


def test_assumption_violation_names_both_sides(monitoring: Game) -> None:
    with pytest.raises(GameParameterError) as info:
        monitoring.equilibria_at(**{**POINT, "U0": 3})
    assert info.value.value == {"U": 2.0, "U0": 3.0}


# --------------------------------------------------------------------- lambdify
@pytest.mark.parametrize(
    ("value", "match"),
    [
        ("two", r"U = 'two': must be numeric"),
        (object(), r"U = <object object at .*>: must be numeric"),
        (["1", "x"], r"must be numeric"),
    ],
)
def test_lambdified_non_numeric(mixed_f: Callable[..., EquilibriumArrays], value: Any,
                                match: str) -> None:
    with pytest.raises(GameParameterError, match=match):
        mixed_f(**{**POINT, "U": value})


def test_lambdified_none_is_not_a_silent_nan(mixed_f: Callable[..., EquilibriumArrays]) -> None:
    """DESIGN.md: "no silent NaN" -- None is not a number."""
    with pytest.raises(GameParameterError, match=r"U = None"):
        mixed_f(**{**POINT, "U": None})


def test_lambdified_arguments(mixed_f: Callable[..., EquilibriumArrays]) -> None:
    without_e = {k: v for k, v in POINT.items() if k != "E"}
    with pytest.raises(GameParameterError, match=r"E = None: missing; all of \['U0'"):
        mixed_f(**without_e)
    with pytest.raises(GameParameterError, match=r"Z = 1: unknown parameter"):
        mixed_f(**POINT, Z=1)
    with pytest.raises(GameParameterError, match=r"U0 = 1: given twice"):
        mixed_f(1, **POINT)
    with pytest.raises(GameParameterError, match=r"arguments = 9: at most 8 positional"):
        mixed_f(*range(9))


def test_lambdified_shapes_that_do_not_broadcast(mixed_f: Callable[..., EquilibriumArrays]) -> None:
    with pytest.raises(GameParameterError, match=r"broadcast"):
        mixed_f(**{**POINT, "R": np.full(2, 0.5), "E": np.full(3, 0.2)})


# --------------------------------------------------------------------- mixed equilibria
def test_benefit_game_has_no_mixed_equilibrium() -> None:
    with pytest.raises(NoMixedEquilibriumError,
                       match=r"benefit game .* has no fully mixed equilibrium"):
        models.benefit_game().mixed_equilibrium()


def test_non_square_game_has_no_mixed_equilibrium() -> None:
    g = Game([[1, 2, 3], [3, 4, 5]], [[1, 2, 3], [3, 4, 5]])
    with pytest.raises(NoMixedEquilibriumError, match=r"is 2x3: a fully mixed equilibrium"):
        g.mixed_equilibrium()


def test_prisoners_dilemma_mixed_condition_is_impossible() -> None:
    """Defection dominates, so the indifference solution (x = -1) is no strategy."""
    g = Game([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    with pytest.raises(NoMixedEquilibriumError, match=r"no fully mixed equilibrium"):
        g.mixed_equilibrium()


# --------------------------------------------------------------------- statics
def test_statics_unknown_names(monitoring: Game) -> None:
    with pytest.raises(UnknownSymbolError, match=r"wrt = 'Z' is not a parameter"):
        monitoring.statics("Y", "Z")
    with pytest.raises(StaticsError, match=r"of = 'Q': use 'X', 'Y'"):
        monitoring.statics("Q", "U")
    with pytest.raises(StaticsError, match=r"of = 'Y3': the player has 2 strategies"):
        monitoring.statics("Y3", "U")
    with pytest.raises(StaticsError, match=r"of = 'Y0'"):
        monitoring.statics("Y0", "U")
    with pytest.raises(UnknownSymbolError, match=r"unknown name 'Z' in 'Z < 1'"):
        monitoring.statics("Y", "U", given=["Z < 1"])


def test_statics_without_mixed_equilibrium() -> None:
    with pytest.raises(NoMixedEquilibriumError, match=r"no fully mixed equilibrium"):
        models.benefit_game().statics("Y", "U")
