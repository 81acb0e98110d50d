"""The CEL tokenizer under the conditions: strings, comments, numbers, ids (issue 10)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from procedo.model.cel_tokens import (
    identifiers,
    numeric_literals,
    string_literals,
    tokens,
    with_decimals,
)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("x < 1", "x < 1.0"),
        ("x > -15", "x > -15.0"),
        ("x < 250 && y > 3", "x < 250.0 && y > 3.0"),
        ("x < 1e3", "x < 1e3"),
        ("x < 1E-3", "x < 1E-3"),
        ("x < 1.5", "x < 1.5"),
        ("x < .5", "x < .5"),
        ("x < 0x1F", "x < 0x1F"),
        ("x < 2u", "x < 2u"),
        ("x < 2U", "x < 2U"),
        ("kind == 'A1'", "kind == 'A1'"),
        ('kind == "1 2 3"', 'kind == "1 2 3"'),
        ("kind == '''it's 1'''", "kind == '''it's 1'''"),
        ('kind == """say "1" """', 'kind == """say "1" """'),
        ("kind == 'a\\'1'", "kind == 'a\\'1'"),
        ("kind == r'\\d1' && x < 1", "kind == r'\\d1' && x < 1.0"),
        ("b'1' == b'1' && R\"2\" == k", "b'1' == b'1' && R\"2\" == k"),
        ("item_1 < 2", "item_1 < 2.0"),
        ("x < 1 // 2 is the limit", "x < 1.0 // 2 is the limit"),
        ("[1, 2][0] == x", "[1.0, 2.0][0.0] == x"),
    ],
)
def test_with_decimals(source: str, expected: str) -> None:
    assert with_decimals(source) == expected


def test_with_decimals_only_at_the_offsets_given() -> None:
    assert with_decimals("size(k) > 3 && x < 1", only=frozenset({19})) == ("size(k) > 3 && x < 1.0")


def test_identifiers() -> None:
    assert identifiers("a.b.c > 1 && size(d) > 0 && e.f() && g") == ("a", "d", "e", "g")
    assert identifiers("size (k) > 1") == ("k",)
    assert identifiers("'x' == y // z") == ("y",)
    assert identifiers("true || false || null == n || m in [1]") == ("n", "m")
    assert identifiers("if > 1") == ()


def test_literals() -> None:
    source = "x > -15 && x < 1e3 && y == 0x10 && k == 'A1' && j == r'\\d' && i == 'a\\nb'"
    assert numeric_literals(source) == [-15.0, 1000.0, 16.0]
    assert string_literals(source) == ["A1", "\\d", "a\nb"]


SOURCE_PIECES = st.lists(
    st.one_of(
        st.sampled_from(["x", " ", "<", "&&", "-", ".", "(", ")", "_a1", "//c\n", "\n"]),
        st.integers(0, 10_000).map(str),
        st.floats(0, 1e6, allow_nan=False).map(repr),
        st.text(alphabet="ab1 '\"\\", max_size=6).map(lambda t: "'" + t.replace("'", "") + "'"),
        st.text(max_size=8),
    ),
    max_size=12,
).map("".join)


@given(SOURCE_PIECES)
def test_tokens_join_back_to_the_source(source: str) -> None:
    assert "".join(t.text for t in tokens(source)) == source


@given(SOURCE_PIECES)
def test_rewriting_never_changes_string_literals(source: str) -> None:
    before = [t.text for t in tokens(source) if t.kind == "string"]
    after = [t.text for t in tokens(with_decimals(source)) if t.kind == "string"]
    assert before == after


@given(SOURCE_PIECES)
def test_rewriting_only_adds_point_zeros(source: str) -> None:
    rewritten = with_decimals(source)
    assert rewritten.replace(".0", "") == source.replace(".0", "")
    assert with_decimals(rewritten) == rewritten
    assert identifiers(rewritten) == identifiers(source)
