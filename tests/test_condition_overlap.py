"""Witnesses of overlapping conditions for `auto = true` decisions (issue 10)."""

from __future__ import annotations

import pytest

from procedo.model import condition_overlap
from procedo.model.condition_overlap import number_candidates, witnesses_of_overlap
from procedo.model.conditions import Condition, Kind, compile_condition

KINDS: dict[str, Kind] = {"amount": "number", "kind": "text", "colour": "choice"}


def conds(*sources: str) -> list[Condition]:
    return [compile_condition(s, KINDS) for s in sources]


def test_an_overlap_is_found_and_its_values_make_two_hold() -> None:
    found = conds("amount > 250", "amount < 300", "amount <= 0")
    witness = witnesses_of_overlap(found, KINDS, {}, {})
    assert witness is not None
    assert sum(bool(c.holds(witness)) for c in found) >= 2
    assert 250 < float(witness["amount"]) < 300


def test_touching_ranges_do_not_overlap() -> None:
    assert witnesses_of_overlap(conds("amount > 250", "amount <= 250"), KINDS, {}, {}) is None
    assert witnesses_of_overlap(conds("amount >= 250", "amount < 250"), KINDS, {}, {}) is None


def test_a_thin_overlap_is_found() -> None:
    witness = witnesses_of_overlap(conds("amount >= 250", "amount <= 250"), KINDS, {}, {})
    assert witness == {"amount": 250.0}


def test_one_condition_never_overlaps() -> None:
    assert witnesses_of_overlap(conds("amount > 1"), KINDS, {}, {}) is None


def test_text_and_choices() -> None:
    pair = conds("kind == 'A1'", "kind.startsWith('A')")
    assert witnesses_of_overlap(pair, KINDS, {}, {}) == {"kind": "A1"}
    apart = conds("colour == 'red'", "colour == 'blue'")
    assert witnesses_of_overlap(apart, KINDS, {"colour": ["red", "blue"]}, {}) is None
    # A value outside the choices cannot be recorded, so it is no witness.
    outside = conds("colour != 'red'", "colour != 'blue'")
    assert witnesses_of_overlap(outside, KINDS, {"colour": ["red", "blue"]}, {}) is None
    assert witnesses_of_overlap(outside, KINDS, {"colour": ["red", "blue", "green"]}, {}) == {
        "colour": "green"
    }


def test_bounds_keep_the_probes_inside() -> None:
    pair = conds("amount < 0", "amount < 10")
    assert witnesses_of_overlap(pair, KINDS, {}, {"amount": (0.0, None)}) is None
    assert witnesses_of_overlap(pair, KINDS, {}, {}) is not None
    assert all(0 <= v <= 5 for v in number_candidates([3.0, 100.0], (0.0, 5.0)))
    assert 5.0 in number_candidates([], (0.0, 5.0))


def test_more_than_the_cap_is_sampled_the_same_way_each_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(condition_overlap, "MAX_COMBINATIONS", 50)
    pools: list[list[float | str]] = [[float(i) for i in range(10)] for _ in range(3)]
    sample = list(condition_overlap._assignments(pools))
    assert len(sample) == 50
    assert sample == list(condition_overlap._assignments(pools))
    assert len(list(condition_overlap._assignments(pools[:1]))) == 10  # all when few
    kinds: dict[str, Kind] = {f"v{i}": "number" for i in range(4)}
    sources = ["v0 > 1 && v1 > 2 && v2 > 3 && v3 > 4", "v0 < 2 && v1 < 3 && v2 < 4 && v3 < 5"]
    found = [compile_condition(s, kinds) for s in sources]
    assert witnesses_of_overlap(found, kinds, {}, {}) == witnesses_of_overlap(found, kinds, {}, {})
