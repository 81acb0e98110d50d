"""Values under which two or more conditions hold at once (for ``auto = true`` decisions).

Found by probing, not proved: each id a condition reads gets candidate values around the
literals the conditions are written with, and the assignments are tried one by one.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING

from procedo.model.cel_tokens import numeric_literals, string_literals

if TYPE_CHECKING:
    from procedo.model.conditions import Condition, Kind

MAX_COMBINATIONS = 5_000
_SEED = 10
_STEPS = (0.0, 1.0, -1.0, 0.5, -0.5, 0.001, -0.001)

Bounds = tuple[float | None, float | None]


def _clip(value: float, bounds: Bounds) -> float:
    low, high = bounds
    if low is not None:
        value = max(value, low)
    if high is not None:
        value = min(value, high)
    return value


def number_candidates(literals: Sequence[float], bounds: Bounds) -> list[float]:
    """Each literal and it +- 1, 0.5, 0.001; the bounds; 0 - all clipped to the bounds."""
    values = [literal + step for literal in literals for step in _STEPS]
    values += [b for b in bounds if b is not None]
    values.append(0.0)
    clipped = (_clip(v, bounds) for v in values if math.isfinite(v))
    return list(dict.fromkeys(clipped))


def text_candidates(literals: Sequence[str], choices: Sequence[str]) -> list[str]:
    """For a choice with known choices, those; otherwise every string literal, each choice, ''."""
    if choices:
        return list(dict.fromkeys(choices))
    return list(dict.fromkeys([*literals, ""]))


def _assignments(pools: list[list[float | str]]) -> Iterator[tuple[float | str, ...]]:
    """Every combination when there are at most MAX_COMBINATIONS; else a fixed sample."""
    total = math.prod(len(pool) for pool in pools)
    if total <= MAX_COMBINATIONS:
        yield from itertools.product(*pools)
        return
    rng = random.Random(_SEED)
    yield tuple(pool[0] for pool in pools)
    for _ in range(MAX_COMBINATIONS - 1):
        yield tuple(rng.choice(pool) for pool in pools)


def witnesses_of_overlap(
    conditions: Sequence[Condition],
    kinds: Mapping[str, Kind],
    choices: Mapping[str, Sequence[str]],
    bounds: Mapping[str, Bounds],
) -> dict[str, float | str] | None:
    """Values under which two or more of ``conditions`` hold at once, or None when none found.

    A choice id takes only its choices (when ``choices`` lists them): any other value cannot
    be recorded, so it would be no witness.
    """
    if len(conditions) < 2:
        return None
    ids = list(dict.fromkeys(name for c in conditions for name in c.ids))
    numbers = [n for c in conditions for n in numeric_literals(c.source)]
    texts = [t for c in conditions for t in string_literals(c.source)]
    pools: list[list[float | str]] = []
    for name in ids:
        if kinds.get(name) == "number":
            pools.append(list(number_candidates(numbers, bounds.get(name, (None, None)))))
        else:
            pools.append(list(text_candidates(texts, choices.get(name, ()))))
    for assignment in _assignments(pools):
        values = dict(zip(ids, assignment, strict=True))
        holding = 0
        for condition in conditions:
            if condition.holds(values):
                holding += 1
                if holding >= 2:
                    return values
    return None
