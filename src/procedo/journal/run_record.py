"""Everything the journal holds about one run, gathered for an export or a detail view."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from procedo.engine import Event, RunState
from procedo.journal.errors import JournalError
from procedo.journal.store import Journal
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


def load_run_record(journal: Journal, run_id: str) -> RunRecord:
    """Gather a run (give the full id; see :meth:`Journal.resolve_run_id` for prefixes)."""
    row = dict(journal.run_row(run_id))
    try:
        row["operators"] = [str(name) for name in json.loads(row.get("operators") or "[]")]
    except ValueError:
        raise JournalError(f"run {run_id[:8]} has a damaged operators list") from None
    definition, state = journal.load_state(run_id)
    stored = journal.rows(
        "SELECT hash, process_id, version, title, source_path, first_seen, toml "
        "FROM definitions WHERE hash = ?",
        (row["definition_hash"],),
    )
    return RunRecord(
        run=row,
        definition=definition,
        definition_row=stored[0] if stored else {},
        state=state,
        events=tuple(journal.events(run_id)),
    )
