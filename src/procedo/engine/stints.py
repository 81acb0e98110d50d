"""Stints: every stay at a node in the order it happened, going back included.

A :class:`~procedo.engine.state.Visit` is reopened when the operator goes back to it, so its
outcome and choice are those of its last stay. A stint is one stay: from arriving at a visit
(entering it, or returning to it with *back*) until leaving it. The list of stints only grows,
as the journal does, so the choice made before going back and the ticks made in each stay stay
on record for the summary and the exports.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace


@dataclass(frozen=True, slots=True)
class Act:
    """One thing done to a checklist item during a stint (``check``, ``record``, ``na``...).

    ``node``: the item's own step when it is a deferred item done in this stay at another
    node (None: an item of the stint's own node)."""

    kind: str
    item: int
    value: str | None = None
    reason: str | None = None
    node: str | None = None


@dataclass(slots=True)
class Stint:
    """One stay at a visit; ``returned`` when the run came back to it by going back."""

    visit: int
    node: str
    entered_ms: int
    returned: bool = False
    left_ms: int | None = None
    paused_ms: int = 0
    outcome: str | None = None
    choice: int | None = None
    next_node: str | None = None
    acts: list[Act] = field(default_factory=list)

    @property
    def duration_ms(self) -> int | None:
        """Active time of the stay, once left."""
        if self.left_ms is None:
            return None
        return max(0, self.left_ms - self.entered_ms - self.paused_ms)


def leave(stint: Stint, at_ms: int, outcome: str, next_node: str | None) -> Stint:
    """Close an open stint and return it."""
    stint.left_ms, stint.outcome, stint.next_node = at_ms, outcome, next_node
    return stint


def copied(stints: list[Stint], open_ones: Iterable[int | None]) -> list[Stint]:
    """A copy that the fold may change: only the open stints (one per open position, the
    ``open_ones`` indexes) are ever changed, so only they are copied."""
    fork = list(stints)
    for index in open_ones:
        if index is not None:
            fork[index] = replace(stints[index], acts=list(stints[index].acts))
    return fork
