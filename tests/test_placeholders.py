"""`{id}` placeholders: the ids named, the problems told, the filling (issue 10)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from procedo.model.placeholders import (
    RESERVED_WORDS,
    fill,
    is_valid_value_id,
    placeholder_ids,
    placeholder_problems,
)


def test_placeholder_ids_in_order_without_repeats() -> None:
    assert placeholder_ids("Pay {amount} to {payee}; {amount} again") == ("amount", "payee")
    assert placeholder_ids("{{amount}} is literal") == ()
    assert placeholder_ids("{{{amount}}}") == ("amount",)
    assert placeholder_ids("{Amount} {1x} { amount }") == ()


def test_fill() -> None:
    assert fill("Pay {amount} EUR", {"amount": "12.5"}) == "Pay 12.5 EUR"
    assert fill("Pay {amount} EUR", {}) == "Pay \u2039amount\u203a EUR"
    assert fill("{{amount}} and {{{amount}}}", {"amount": "3"}) == "{amount} and {3}"
    assert fill("a }} b {{", {}) == "a } b {"
    assert fill("lone { and } and {Amount}", {"Amount": "x"}) == "lone { and } and {Amount}"
    assert fill("{a {b}", {"b": "B"}) == "{a B"


def test_placeholder_problems() -> None:
    assert placeholder_problems("fine {amount} {{literal}}") == []
    assert placeholder_problems("ab {x") == [
        "a lone '{' at character 4: write {{ for a literal brace"
    ]
    assert placeholder_problems("x } y") == [
        "a lone '}' at character 3: write }} for a literal brace"
    ]
    (bad,) = placeholder_problems("see {Amount}")
    assert bad.startswith("'{Amount}' at character 5 is not a valid id")
    (reserved,) = placeholder_problems("{in}")
    assert reserved.startswith("'{in}' at character 1 is not a valid id")


@pytest.mark.parametrize("word", sorted(RESERVED_WORDS))
def test_reserved_words_are_not_value_ids(word: str) -> None:
    assert not is_valid_value_id(word)
    assert is_valid_value_id(word + "_1")


@pytest.mark.parametrize(
    ("text", "valid"),
    [("amount", True), ("a", True), ("a1_b", True), ("Amount", False), ("1a", False),
     ("_a", False), ("a-b", False), ("", False), ("amount ", False), ("résumé", False)],
)  # fmt: skip
def test_value_ids(text: str, valid: bool) -> None:
    assert is_valid_value_id(text) is valid


@given(st.text())
def test_fill_never_raises(text: str) -> None:
    assert isinstance(fill(text, {"a": "1"}), str)
    assert isinstance(placeholder_problems(text), list)


@given(st.text().map(lambda t: t.replace("{", "").replace("}", "")))
def test_fill_keeps_text_without_braces(text: str) -> None:
    assert fill(text, {"a": "1"}) == text
    assert placeholder_problems(text) == []


@given(st.text())
def test_doubled_braces_fill_back_to_the_text(text: str) -> None:
    escaped = text.replace("{", "{{").replace("}", "}}")
    assert fill(escaped, {}) == text
    assert placeholder_problems(escaped) == []
    assert placeholder_ids(escaped) == ()
