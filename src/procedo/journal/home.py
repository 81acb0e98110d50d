"""The home screen's questions, answered from the journal with a few index-only queries."""

from __future__ import annotations

from typing import Any

from procedo.journal.store import Journal


def process_figures(journal: Journal, process_id: str) -> tuple[str | None, int, int]:
    """A process's last non-practice run start, finished runs and successful runs.

    Index-only reads: the counts walk one range of the covering index ``runs_figures``
    (process, status, practice, ..., success): the finished, non-practice runs of this
    process and no others; the last run is one step back along ``runs_process_started``.
    (One GROUP BY with MAX(started_at) beside the counts has no covering index and reads
    every row of the table: about 15x slower at 100,000 runs.)
    """
    counts = journal.rows(
        "SELECT COUNT(*) AS finished, SUM(success = 1) AS succeeded FROM runs "
        "WHERE process_id = ? AND status IN ('completed', 'aborted') AND practice = 0",
        (process_id,),
    )[0]
    last = journal.rows(
        "SELECT started_at FROM runs WHERE process_id = ? AND practice = 0 "
        "ORDER BY started_at DESC LIMIT 1",
        (process_id,),
    )
    return (
        last[0]["started_at"] if last else None,
        int(counts["finished"] or 0),
        int(counts["succeeded"] or 0),
    )


def unfinished_rows(journal: Journal, limit: int) -> list[dict[str, Any]]:
    """The ``runs`` rows of active and paused runs, most recently touched first; a called
    run is not listed apart from its parent (resuming the parent opens it)."""
    return journal.rows(
        "SELECT id, process_id, definition_hash, operator, status, current_node, updated_at, "
        "practice FROM runs WHERE status IN ('active', 'paused') AND parent_run IS NULL "
        "ORDER BY updated_at DESC LIMIT ?",
        (limit,),
    )
