"""Gathering one run from the journal into a :class:`~procedo.engine.run_record.RunRecord`."""

from __future__ import annotations

import json

from procedo.engine.run_record import RunRecord
from procedo.journal.errors import JournalError
from procedo.journal.store import Journal


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


__all__ = ["RunRecord", "load_run_record"]
