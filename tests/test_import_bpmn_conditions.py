"""BPMN condition expressions (JUEL, FEEL, Python) as procedo conditions, where CEL says them."""

from __future__ import annotations

import pytest

from procedo.importers.bpmn_conditions import convert, to_cel, value_id


@pytest.mark.parametrize(
    ("bpmn", "cel"),
    [
        ("${amount > 1000}", "amount > 1000"),
        ("#{orderTotal ge 10 and not rush}", "order_total >= 10 && ! rush"),
        ('= region = "eu"', 'region == "eu"'),
        ('= region != "eu" or count <= 2', 'region != "eu" || count <= 2'),
        ("severity >= 3 and ok == True", "severity >= 3 && ok == true"),
        ('${customer.tier == "gold"}', 'customer.tier == "gold"'),
        ('name == "and or = not"', 'name == "and or = not"'),  # strings are left alone
    ],
)
def test_expressions_are_written_as_cel(bpmn: str, cel: str) -> None:
    assert to_cel(bpmn) == cel


def test_value_ids() -> None:
    assert value_id("orderTotal") == "order_total"
    assert value_id("Amount-EUR") == "amount_eur"


def test_convert_guesses_the_kinds_of_names_nothing_records() -> None:
    found = convert('${claimAmount <= 1000 and region == "eu"}', {})
    assert found is not None
    assert found.source == 'claim_amount <= 1000 && region == "eu"'
    assert found.new_kinds == {"claim_amount": "number", "region": "text"}
    known = convert("zone == 'north'", {"zone": "choice"})
    assert known is not None and known.new_kinds == {}


@pytest.mark.parametrize(
    "bpmn",
    [
        '${execution.getVariable("odd")}',  # a method call on an unknown object
        "${approved}",  # a boolean variable on its own: procedo records no booleans
        "amount >",  # not an expression
        "${a > 1 && b > 1 && c > 1 && d > 1 && e > 1}",  # too many names to guess
    ],
)
def test_what_cel_cannot_say_is_none(bpmn: str) -> None:
    assert convert(bpmn, {}) is None
