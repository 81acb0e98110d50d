"""The fast paths verify takes give what the slow ones give, on random input."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from procedo.engine.events import iso_from_ms, ms_from_iso, slow_iso_from_ms

# From year 1000 to 9999 (datetime's %Y pads no further back), and beyond both ends.
IN_RANGE = st.integers(min_value=-30_610_224_000_000, max_value=253_402_300_799_999)


def _outcome(function: object, value: object) -> tuple[str, object]:
    try:
        return "value", function(value)  # type: ignore[operator]
    except (ValueError, OverflowError, OSError) as error:
        return "error", type(error)


@settings(max_examples=3000, deadline=None)
@given(IN_RANGE)
def test_iso_from_ms_is_the_datetime_text(ms: int) -> None:
    text = iso_from_ms(ms)
    assert text == slow_iso_from_ms(ms)
    assert ms_from_iso(text) == ms


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=-(10**18), max_value=10**18))
def test_iso_from_ms_fails_where_datetime_fails(ms: int) -> None:
    fast, slow = _outcome(iso_from_ms, ms), _outcome(slow_iso_from_ms, ms)
    assert fast[0] == slow[0]
    if fast[0] == "value":
        assert fast == slow


@pytest.mark.parametrize(
    "ms", [0, 1, 999, 1000, -1, -999, -1000, -1001, 86_399_999, 86_400_000, 1_764_000_000_123]
)
def test_iso_from_ms_at_the_edges_of_a_second_and_a_day(ms: int) -> None:
    assert iso_from_ms(ms) == slow_iso_from_ms(ms)


def test_iso_from_ms_of_a_float_fails_as_before() -> None:
    assert _outcome(iso_from_ms, 1_764_000_000_123.5) == _outcome(slow_iso_from_ms, 1.5)
    assert _outcome(iso_from_ms, 1.5)[0] == "error"
