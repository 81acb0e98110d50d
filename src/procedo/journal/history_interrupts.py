"""Interrupts and deferred items in the history: for each run of a page, how many interrupts
it had, how many items it deferred and how many of those are still open (from the
``interrupts`` and ``deferrals`` rows, by their primary keys)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from procedo.journal.store import Journal

CHUNK = 500
"""Run ids asked about in one query."""


@dataclass(frozen=True, slots=True)
class RunInterrupts:
    """A run's interrupts (started) and deferred items (``deferred_open``: not done yet)."""

    interrupts: int = 0
    deferred: int = 0
    deferred_open: int = 0

    def to_dict(self) -> dict[str, int]:
        """The counts as JSON-ready data."""
        return {
            "interrupts": self.interrupts,
            "deferred": self.deferred,
            "deferred_open": self.deferred_open,
        }


FIELDS = ("interrupts", "deferred", "deferred_open")
"""The history's fields of :class:`RunInterrupts`, in order."""


def run_interrupts(journal: Journal, run_ids: Iterable[str]) -> dict[str, RunInterrupts]:
    """The counts of the given runs that have interrupts or deferred items (others: none)."""
    ids = list(dict.fromkeys(run_ids))
    found: dict[str, RunInterrupts] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        marks = ", ".join("?" for _ in chunk)
        rows = journal.rows(
            "SELECT run_id, SUM(i) AS interrupts, SUM(d) AS deferred, SUM(o) AS deferred_open "
            f"FROM (SELECT run_id, 1 AS i, 0 AS d, 0 AS o FROM interrupts "
            f"WHERE run_id IN ({marks}) "
            "UNION ALL SELECT run_id, 0, 1, done_visit IS NULL FROM deferrals "
            f"WHERE run_id IN ({marks})) GROUP BY run_id",
            (*chunk, *chunk),
        )
        for row in rows:
            found[row["run_id"]] = RunInterrupts(
                row["interrupts"], row["deferred"], row["deferred_open"]
            )
    return found
