"""Where a run's events go: the protocol a journal implements, and an in-memory sink."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from procedo.engine.events import Event
from procedo.engine.state import RunState


class EventSink(Protocol):
    """Where a run's events go: ``commit`` returns only once they are durable."""

    def commit(self, events: Sequence[Event], state: RunState, visits: frozenset[int]) -> None:
        """Store ``events`` and the run's new ``state`` atomically, or raise.

        ``visits``: the indexes of the visits the events touched (as the fold said).
        """


class MemorySink:
    """An in-memory sink for tests and previews: keeps the events in a list."""

    def __init__(self) -> None:
        self.events: list[Event] = []

    def commit(self, events: Sequence[Event], state: RunState, visits: frozenset[int]) -> None:
        """Keep the events."""
        self.events.extend(events)
