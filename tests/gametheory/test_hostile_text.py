"""Issue 9, item 5: hostile text gets one named project error, quickly, in bounded memory.

Every input of the issue is tried as a payoff cell, inside an assumption and inside a
``given``, from the library and from the CLI.  The hang guards run the inputs in a child
process with a memory cap and a timeout, so a regression costs seconds, not the suite.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from typing import Any

import pytest
import sympy as sp

from gametheory import (
    FormulaLimitError,
    Game,
    GameParameterError,
    NotFiniteRealError,
    ParseError,
    models,
)
from gametheory.parsing import LIMITS, parse_condition, parse_expr, parse_relations
from uicore.errors import UIPolicyError

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
I2 = [["1", "0"], ["0", "1"]]

#: The inputs of issue 9 item 5, each with the error and the limit or reason it must name.
HOSTILE = [
    ("((((((2**64)**64)**64)**64)**64)**64)", FormulaLimitError, r"max_number_digits = 1000"),
    ("1e999999999", FormulaLimitError, r"literal digits = 1000000000: .*max_literal_digits"),
    ("((x**64)**64)**64", FormulaLimitError, r"degree = 4096: .*max_degree = 64"),
    # 2,000 characters: inside 'x < ...' the length limit answers first
    ("-" * 1999 + "x", FormulaLimitError, r"(depth|length) = .*max_(depth = 100|length)"),
    ("+".join(["x"] * 1000), FormulaLimitError, r"(depth|length) = .*max_(depth|length)"),
    ("0/0", NotFiniteRealError, r"value = nan: '(. < )?0/0' is not a finite real number"),
    ("1/0", NotFiniteRealError, r"value = zoo: '(. < )?1/0' is not a finite real"),
    ("log(0)", NotFiniteRealError, r"value = zoo: '(. < )?log\(0\)'"),
    ("sqrt(-1)", NotFiniteRealError, r"value = I: '(. < )?sqrt\(-1\)'"),
    ("Max()", ParseError, r"Max takes at least 1 argument, got 0 in '(. < )?Max\(\)'"),
    ("1e309", FormulaLimitError,
     r"literal digits = 310: '(. < )?1e309' exceeds .*max_literal_digits = 50"),
    ("exp(1, 2)", ParseError, r"exp takes 1 argument, got 2 in '(. < )?exp\(1, 2\)'"),
    ("\uff58", ParseError, r"character '\uff58' \(U\+FF58\) at position (0|4) .* not allowed"),
]
IDS = ["nested-2**64", "1e999999999", "nested-x**64", "minus-1999", "sum-1000", "0/0", "1/0",
       "log0", "sqrt-1", "Max()", "1e309", "exp(1,2)", "fullwidth-x"]


@pytest.mark.parametrize(("text", "error", "match"), HOSTILE, ids=IDS)
def test_hostile_payoff_cell(text: str, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match) as info:
        Game([[text, "0"], ["0", "1"]], I2, params=["x"])
    assert "length" not in str(info.value)  # a cell of 2,000 characters is within length


@pytest.mark.parametrize(("text", "error", "match"), HOSTILE, ids=IDS)
def test_hostile_assumption(text: str, error: type[Exception], match: str) -> None:
    """'x < 0/0' used to be accepted and silently ignored."""
    with pytest.raises(error, match=match):
        Game([["x", "0"], ["0", "1"]], I2, params=["x"], assumptions=[f"x < {text}"])


def as_given(text: str) -> str:
    """``E < text`` with the name x read as the monitoring game's E."""
    return re.sub(r"\bx\b", "E", f"E < {text}")


@pytest.fixture(scope="module")
def monitoring() -> Game:
    game = models.monitoring_game()
    game.mixed_equilibrium()  # derived once for the module
    return game


@pytest.mark.parametrize(("text", "error", "match"), HOSTILE, ids=IDS)
def test_hostile_given(monitoring: Game, text: str, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        monitoring.statics("Y", "U", given=[as_given(text)])


def test_limit_errors_are_parameter_errors_naming_the_limit() -> None:
    with pytest.raises(GameParameterError) as info:
        parse_expr("((x**64)**64)**64", {"x": sp.Symbol("x")})
    assert isinstance(info.value, ParseError) and isinstance(info.value, UIPolicyError)
    assert info.value.parameter == "degree" and info.value.value == 4096
    assert "max_degree" in str(info.value)


@pytest.mark.parametrize(
    ("text", "limit"),
    [
        ("x" + "*x" * 64, "max_degree"),              # degree 65 by a plain product
        ("(x**8)**9", "max_degree"),                   # 72 through nested powers
        ("x**40 * x**30", "max_degree"),
        ("x**65", "max_exponent"),
        ("x**(1/65)", "max_exponent"),
        ("1" * 51, "max_literal_digits"),
        ("0." + "0" * 49 + "1", "max_literal_digits"),  # denominator 10**50: 51 digits
        ("-(" * 100 + "x" + ")" * 100, "max_depth"),   # parentheses alone add no depth
        ("(" * 201 + "x" + ")" * 201, "max_depth"),     # Python's own limit, same error
        ("+".join(["x"] * 101), "max_depth"),
        ("x" + "+1" * 999, "max_depth"),
        ("a" * 2001, "max_length"),
    ],
)
def test_each_limit_is_reachable(text: str, limit: str) -> None:
    with pytest.raises(FormulaLimitError, match=limit):
        parse_expr(text, {"x": sp.Symbol("x"), "a" * 2001: sp.Symbol("a")})


def test_size_limit_counts_nodes() -> None:
    """A wide, shallow text of 1,999 characters: 1,001 nodes at depth 2."""
    wide = ",".join(["x"] * 1000)
    with pytest.raises(FormulaLimitError, match=r"size = 1001: .*max_nodes = 1000"):
        parse_expr(wide, {"x": sp.Symbol("x")})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x" + "*x" * 63, "x**64"),
        ("(x**8)**8", "x**64"),
        ("2**64", str(2**64)),
        ("(2**16)**4", str(2**64)),
        ("1" * 50, "1" * 50),
        ("0.3", "3/10"),
        ("1e-3", "1/1000"),
        ("1_000.5", "2001/2"),
        ("log(8, 2)", "3"),
        ("Min(x)", "x"),
        ("sqrt(4)", "2"),
        ("(" * 99 + "x" + ")" * 99, "x"),
        ("+".join(["x"] * 99), "99*x"),
    ],
)
def test_formulas_within_the_budget_are_read_exactly(text: str, expected: Any) -> None:
    x = sp.Symbol("x")
    assert parse_expr(text, {"x": x}) == sp.sympify(expected, locals={"x": x})


def test_limits_are_documented_values() -> None:
    assert (LIMITS.max_length, LIMITS.max_nodes, LIMITS.max_depth, LIMITS.max_literal_digits,
            LIMITS.max_exponent, LIMITS.max_degree, LIMITS.max_number_digits) == (
        2000, 1000, 100, 50, 64, 64, 1000)


@pytest.mark.parametrize(
    "text",
    ["\u00a0x", "x\u200b", "é", "x\x00", "\uff11"],
    ids=["nbsp", "zero-width", "e-acute", "nul", "fullwidth-1"],
)
def test_non_ascii_is_refused_by_name(text: str) -> None:
    with pytest.raises(ParseError, match=r"character .* \(U\+[0-9A-F]{4}\) at position"):
        parse_expr(text, {"x": sp.Symbol("x")})


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("x*sqrt(-1)", r"value = I"),
        ("x + 1/(x - x)", r"value = zoo"),
        ("1/(1/0)", r"value = zoo"),          # zoo must not vanish into 1/zoo = 0
        ("(-8)**(1/3)", r"not a finite real"),
        ("log(-1)", r"not a finite real"),
        ("x*log(0)", r"value = zoo"),
        ("0**(-1)", r"value = zoo"),
        ("log(2, 1)", r"value = zoo"),
    ],
)
def test_non_finite_parts_are_refused(text: str, match: str) -> None:
    with pytest.raises(NotFiniteRealError, match=match):
        parse_expr(text, {"x": sp.Symbol("x")})


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("sqrt(x, 2)", r"sqrt takes 1 argument, got 2"),
        ("Abs()", r"Abs takes 1 argument, got 0"),
        ("log(x, 2, 3)", r"log takes 1 or 2 arguments, got 3"),
        ("Min()", r"Min takes at least 1 argument, got 0"),
        ("2**x**x", None),
    ],
)
def test_wrong_arity_is_a_parse_error(text: str, match: str) -> None:
    x = sp.Symbol("x")
    if match is None:  # symbolic exponents are fine
        assert parse_expr(text, {"x": x}) == 2**x**x
        return
    with pytest.raises(ParseError, match=match):
        parse_expr(text, {"x": x})


def test_relations_refuse_what_the_domain_cannot_use_by_name() -> None:
    x = sp.Symbol("x")
    with pytest.raises(ParseError, match=r"'==' is not"):
        parse_relations("x == 1", {"x": x})
    with pytest.raises(ParseError, match=r"'!=' is not"):
        parse_relations("x != 1", {"x": x})
    with pytest.raises(ParseError, match=r"'or' is not allowed here"):
        parse_relations("x < 1 or x > 2", {"x": x})
    with pytest.raises(ParseError, match=r"'in' is not a comparison of numbers"):
        parse_relations("x in 1", {"x": x})


def test_parse_condition_reads_every_relation_the_package_prints() -> None:
    x, y = sp.symbols("x y")
    names = {"x": x, "y": y}
    cond = parse_condition("x < y <= 1 and (x == 0 or not x != y) and x >= -1 and y > 0",
                           names)
    assert cond == sp.And(sp.Lt(x, y), sp.Le(y, 1),
                          sp.Or(sp.Eq(x, 0), sp.Not(sp.Ne(x, y))), sp.Ge(x, -1), sp.Gt(y, 0))
    with pytest.raises(NotFiniteRealError):
        parse_condition("x < 1 or x > 0/0", names)


# --------------------------------------------------------------------- hang guards
_CHILD = textwrap.dedent("""
    import json, re, resource, sys, time
    resource.setrlimit(resource.RLIMIT_AS, (1_500_000_000, 1_500_000_000))
    from gametheory import Game, models
    from uicore.errors import UIPolicyError
    I2 = [["1", "0"], ["0", "1"]]
    monitoring = models.monitoring_game()
    monitoring.mixed_equilibrium()
    report = []
    for text in json.loads(sys.stdin.read()):
        for where in ("cell", "assumption", "given"):
            start = time.perf_counter()
            try:
                if where == "cell":
                    Game([[text, "0"], ["0", "1"]], I2, params=["x"]).equilibria()
                elif where == "assumption":
                    Game([["x", "0"], ["0", "1"]], I2, params=["x"],
                         assumptions=[f"x < {text}"]).equilibria()
                else:
                    given = re.sub(r"\\bx\\b", "E", f"E < {text}")
                    monitoring.statics("Y", "U", given=[given])
                outcome = "accepted"
            except UIPolicyError as exc:
                outcome = type(exc).__name__
            report.append([text[:20], where, outcome, time.perf_counter() - start])
    print(json.dumps(report))
""")


def test_hostile_inputs_finish_in_bounded_time_and_memory() -> None:
    """All 39 cases in one child capped at 1.5 GB; the issue asks < 1 s each (the report
    states the measured times; no timing is asserted here beyond the hang guard)."""
    texts = [text for text, _, _ in HOSTILE]
    try:
        out = subprocess.run([sys.executable, "-c", _CHILD], input=json.dumps(texts),
                             capture_output=True, text=True, timeout=60, cwd=ROOT,
                             env={**os.environ, "PYTHONPATH": ROOT}, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail("a hostile input ran past the 60 s guard")
    assert out.returncode == 0, out.stderr[-2000:]
    report = json.loads(out.stdout)
    assert len(report) == 3 * len(texts)
    assert [r for r in report if r[2] == "accepted"] == []


# --------------------------------------------------------------------- CLI
@pytest.mark.parametrize(
    ("given", "match"),
    [
        ("E < 0/0", "value = nan: 'E < 0/0' is not a finite real number"),
        ("E < 1e999999999", "max_literal_digits"),
        ("E < " + "-" * 1500 + "U", "max_depth"),
        ("E < \uff35", "U+FF35"),
    ],
    ids=["0/0", "1e999999999", "deep-minus", "fullwidth-U"],
)
def test_cli_one_line_exit_2(given: str, match: str) -> None:
    cmd = [sys.executable, "-m", "uipolicy", "statics", "monitoring", "--of", "Y", "--wrt",
           "U", "--given", given]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=60, cwd=ROOT,
                         env={**os.environ, "PYTHONPATH": ROOT}, check=False)
    assert out.returncode == 2, out.stderr[-2000:]
    assert out.stdout == ""
    assert len(out.stderr.strip().splitlines()) == 1 and "Traceback" not in out.stderr
    assert match in out.stderr
