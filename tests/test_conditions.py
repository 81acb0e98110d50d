"""The condition language: compiling, judging, the errors told, the ids read (issue 10)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from procedo.model.conditions import (
    Condition,
    ConditionError,
    Kind,
    compile_condition,
    describe_values,
    identifiers,
)

KINDS: dict[str, Kind] = {
    "residual_v": "number",
    "amount": "number",
    "arrival_temp": "number",
    "kind": "text",
    "colour": "choice",
}


def cond(source: str) -> Condition:
    return compile_condition(source, KINDS)


def error_of(source: str) -> ConditionError:
    with pytest.raises(ConditionError) as caught:
        compile_condition(source, KINDS)
    return caught.value


@pytest.mark.parametrize(
    ("source", "values", "expected"),
    [
        ("residual_v < 1", {"residual_v": 0.999}, True),
        ("residual_v < 1", {"residual_v": 1.0}, False),
        ("residual_v < 1", {"residual_v": 1.001}, False),
        ("residual_v <= 1", {"residual_v": 1.0}, True),
        ("residual_v <= 1", {"residual_v": 1.001}, False),
        ("amount > 250", {"amount": 250.0}, False),
        ("amount > 250", {"amount": 250.001}, True),
        ("amount >= 250", {"amount": 249.999}, False),
        ("amount >= 250", {"amount": 250}, True),
        ("amount == 250", {"amount": 250.0}, True),
        ("amount != 250", {"amount": 250.0}, False),
        ("arrival_temp > -15", {"arrival_temp": -15.0}, False),
        ("arrival_temp > -15", {"arrival_temp": -14.999}, True),
        ("arrival_temp < 1e3", {"arrival_temp": 999.0}, True),
        ("arrival_temp < 1e3", {"arrival_temp": 1000.0}, False),
        ("arrival_temp > -15 && arrival_temp < 8", {"arrival_temp": 8.0}, False),
        ("arrival_temp > -15 && arrival_temp < 8", {"arrival_temp": 7.5}, True),
        ("amount < 1 + 2", {"amount": 2.999}, True),
        ("amount < 1 + 2", {"amount": 3.0}, False),
        ("amount in [1, 2]", {"amount": 2.0}, True),
        ("amount in [1, 2]", {"amount": 1.5}, False),
        ("kind == 'A1'", {"kind": "A1"}, True),
        ("kind == 'A1'", {"kind": "A1.0"}, False),
        ("size(kind) > 3", {"kind": "abc"}, False),
        ("size(kind) > 3", {"kind": "abcd"}, True),
        ("size(kind) > 3 && residual_v < 1", {"kind": "abcd", "residual_v": 0.5}, True),
        ("size(kind) > 3 && residual_v < 1", {"kind": "abcd", "residual_v": 1.0}, False),
        ("size(kind) > 3 && residual_v < 1", {"kind": "abc", "residual_v": 0.5}, False),
        ("colour in ['red', 'blue']", {"colour": "blue"}, True),
        ("colour in ['red', 'blue']", {"colour": "green"}, False),
        ("amount > 1 || kind == 'x'", {"amount": 0.0, "kind": "x"}, True),
        ("amount > 1 || kind == 'x'", {"amount": 0.0, "kind": "y"}, False),
        ("!(amount > 1)", {"amount": 1.0}, True),
        ("!(amount > 1)", {"amount": 1.5}, False),
        ("kind.startsWith('Fro')", {"kind": "Frozen"}, True),
        ("kind.startsWith('Fro')", {"kind": "frozen"}, False),
        ("kind.contains('oze')", {"kind": "Frozen"}, True),
        ("kind.contains('oze')", {"kind": "Fresh"}, False),
        ("amount > 0x10", {"amount": 16.5}, None),  # hex stays an int: no double < int match
    ],
)
def test_a_condition_holds_on_each_side_of_its_boundary(
    source: str, values: dict[str, float | str], expected: bool | None
) -> None:
    if expected is None:
        assert error_of(source).column is not None
        return
    assert cond(source).holds(values) is expected


def test_integer_literals_become_decimals_only_outside_strings() -> None:
    assert cond("residual_v < 1").compiled_source == "residual_v < 1.0"
    assert cond("arrival_temp > -15").compiled_source == "arrival_temp > -15.0"
    assert cond("amount > 250").compiled_source == "amount > 250.0"
    assert cond("arrival_temp < 1e3").compiled_source == "arrival_temp < 1e3"
    assert cond("kind == 'A1' && amount > 2").compiled_source == "kind == 'A1' && amount > 2.0"
    assert cond("size(kind) > 3").compiled_source == "size(kind) > 3"
    mixed = cond("size(kind) > 3 && residual_v < 1")
    assert mixed.compiled_source == "size(kind) > 3 && residual_v < 1.0"


def test_ids_are_those_read_in_order_of_first_appearance() -> None:
    condition = cond("kind == 'a' && amount > 1 || kind.startsWith('b') && size(colour) > 0")
    assert condition.ids == ("kind", "amount", "colour")
    assert identifiers("amount > 1 && amount < 3") == ("amount",)
    assert identifiers("kind.size() > 0 && size(colour) > 0") == ("kind", "colour")
    assert identifiers("true && x in ['y'] || null == z") == ("x", "z")
    assert identifiers("'amount' == kind // amount") == ("kind",)


def test_a_missing_value_or_a_failing_evaluation_gives_none() -> None:
    condition = cond("amount > 1 && kind == 'a'")
    assert condition.holds({"amount": 2.0}) is None
    assert condition.holds({"amount": 2.0, "kind": "a"}) is True
    assert cond("int(amount) / 0 > 1").holds({"amount": 3.0}) is None
    assert cond("amount > 1").holds({"amount": "not a number"}) is None


def test_a_float_division_by_zero_is_infinity_not_an_error() -> None:
    # CEL's double division follows IEEE 754: 1.0 / 0.0 is +infinity.
    assert cond("amount / 0.0 > 1.0").holds({"amount": 1.0}) is True


def test_each_error_is_told_with_its_column() -> None:
    unknown = error_of("amout > 250")
    assert unknown.message == "'amout' is not an item or input id (did you mean 'amount'?)"
    assert unknown.column == 1
    later = error_of("amount > 1 && colr == 'x'")
    assert later.message.startswith("'colr' is not an item or input id")
    assert later.column == 15
    syntax = error_of("residual_v <")
    assert syntax.message.startswith("the condition is not well formed here")
    assert syntax.column == 13
    text = error_of("kind < 1.0")
    assert text.message == "a number is compared with text"
    assert text.column == 6
    assert error_of("amount == 'x'").message == "a number is compared with text"
    not_bool = error_of("amount + 1")
    assert not_bool.message == "the condition must be true or false, this one gives a number"
    assert error_of("kind").message.endswith("this one gives text")
    assert error_of("").message == "the condition is empty"
    assert error_of("   ").message == "the condition is empty"
    too_long = error_of("amount > 1" + " " * 491)
    assert "501 characters" in too_long.message
    compile_condition("amount > 1" + " " * 490, KINDS)  # 500: allowed


def test_the_error_of_the_source_as_written_is_told_with_the_decimal_hint() -> None:
    error = error_of("size(kind) > 3.0")
    assert "a recorded number is a decimal: write 1.0, not 1" in error.message
    assert error.column == 12
    assert "\n" not in error.message


def test_unknown_ids_in_a_condition_that_also_needs_decimals() -> None:
    error = error_of("amout > 1")
    assert error.message.startswith("'amout' is not an item or input id")


def test_a_condition_on_a_second_line_tells_the_line() -> None:
    error = error_of("amount > 1 &&\n  colr == 'x'")
    assert (error.line, error.column) == (2, 3)


def test_compiling_is_cached_and_errors_are_fresh_each_time() -> None:
    assert cond("amount > 7") is cond("amount > 7")
    first, second = error_of("amout > 7"), error_of("amout > 7")
    assert first is not second
    assert first.message == second.message


def test_describe_values() -> None:
    condition = cond("arrival_temp > 8 || kind == 'Frozen'")
    assert describe_values(condition, {"arrival_temp": 12.0, "kind": "x"}) == (
        "arrival_temp = 12, kind = 'x'"
    )
    assert describe_values(condition, {"arrival_temp": 0.5}) == (
        "arrival_temp = 0.5, kind = (not recorded)"
    )


def test_importing_conditions_does_not_load_cel_until_a_compile() -> None:
    code = textwrap.dedent(
        """
        import sys
        import procedo.model.conditions as conditions
        import procedo.model
        assert "cel_expr_python" not in sys.modules, "loaded at import"
        conditions.identifiers("a > 1")
        assert "cel_expr_python" not in sys.modules, "loaded by identifiers"
        conditions.compile_condition("a > 1", {"a": "number"})
        assert "cel_expr_python" in sys.modules, "not loaded by a compile"
        print("ok")
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_the_error_that_is_not_about_decimals_is_told_first() -> None:
    error = error_of("amount > 1 && kind == 2.5")
    assert error.message == "a number is compared with text"
    assert error.column == 20
