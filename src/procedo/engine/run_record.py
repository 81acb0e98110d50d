"""Everything known about one run, gathered for an export or a detail view.

A plain record of domain values: the journal gathers it (``journal.run_record``), the
renderers and the faces read it, so neither has to import the other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from procedo.engine.events import Event
from procedo.engine.state import RunState
from procedo.model import ProcessDefinition


@dataclass(frozen=True, slots=True)
class RunRecord:
    """One run: its ``runs`` row, stored definition, replayed state, events and last hash.

    ``run`` is the ``runs`` row with ``operators`` decoded to a list; ``definition_row`` the
    ``definitions`` row (hash, process id, version, title, TOML text, source path, first seen).
    ``last_hash`` is the hash of the run's newest event: it anchors a printed copy.
    """

    run: dict[str, Any]
    definition: ProcessDefinition
    definition_row: dict[str, Any]
    state: RunState
    events: tuple[Event, ...]

    @property
    def run_id(self) -> str:
        """The run's id."""
        return str(self.run["id"])

    @property
    def definition_hash(self) -> str:
        """The hash of the definition the run ran against."""
        return str(self.run["definition_hash"])

    @property
    def last_hash(self) -> str:
        """The hash of the newest event (empty for a run with no events)."""
        return self.events[-1].hash if self.events else ""

    @property
    def last_seq(self) -> int:
        """The sequence number of the newest event."""
        return self.events[-1].seq if self.events else 0
