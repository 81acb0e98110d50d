"""Called runs in the history: which runs of a page were called and by whom, the page laid
out with each child under its parent, and the runs one run called (from the ``runs`` rows'
``parent_run`` and ``parent_step``, through their partial index)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from procedo.journal.history import HistoryRow
from procedo.journal.store import Journal

CHUNK = 500
"""Run ids asked about in one query."""


@dataclass(frozen=True, slots=True)
class CallLink:
    """A called run's parent: its run and the step that called it."""

    parent_run: str
    parent_step: str


@dataclass(frozen=True, slots=True)
class NestedRow:
    """A history row as a page lays it out: under its parent (``depth`` > 0) when the
    parent is on the page too; ``link`` names the parent of any called run."""

    row: HistoryRow
    depth: int
    link: CallLink | None

    @property
    def parent_shown(self) -> bool:
        """True when the row sits under its parent on this page."""
        return self.depth > 0


@dataclass(frozen=True, slots=True)
class CalledRun:
    """A run that a step of another run called."""

    run_id: str
    process_id: str
    process_title: str
    step: str
    status: str
    outcome: str | None
    """success, failure, aborted, or None while it runs."""
    started_at: str


def call_links(journal: Journal, run_ids: Iterable[str]) -> dict[str, CallLink]:
    """The parents of those of the runs that were called."""
    ids = list(run_ids)
    found: dict[str, CallLink] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        marks = ", ".join("?" * len(chunk))
        for run_id, parent, step in journal.iter_rows(
            f"SELECT id, parent_run, parent_step FROM runs WHERE id IN ({marks}) "
            "AND parent_run IS NOT NULL",
            tuple(chunk),
        ):
            found[str(run_id)] = CallLink(str(parent), str(step or ""))
    return found


def nest(rows: list[HistoryRow], links: dict[str, CallLink]) -> list[NestedRow]:
    """The page in its order, each called run moved under its parent when the parent is on
    the page (children of one parent oldest first), any other row where it was."""
    on_page = {row.run_id for row in rows}
    children: dict[str, list[HistoryRow]] = defaultdict(list)
    for row in sorted(rows, key=lambda r: (r.started_at, r.run_id)):
        link = links.get(row.run_id)
        if link is not None and link.parent_run in on_page and link.parent_run != row.run_id:
            children[link.parent_run].append(row)
    placed: set[str] = set()
    out: list[NestedRow] = []

    def place(row: HistoryRow, depth: int) -> None:
        if row.run_id in placed:
            return  # a cycle in a damaged journal: each run once
        placed.add(row.run_id)
        out.append(NestedRow(row, depth, links.get(row.run_id)))
        for child in children.get(row.run_id, []):
            place(child, depth + 1)

    nested = {child.run_id for found in children.values() for child in found}
    for row in rows:
        if row.run_id not in nested:
            place(row, 0)
    for row in rows:  # children of a cycle with no top: shown where they were
        if row.run_id not in placed:
            out.append(NestedRow(row, 0, links.get(row.run_id)))
            placed.add(row.run_id)
    return out


def called_runs(journal: Journal, run_id: str) -> list[CalledRun]:
    """The runs that steps of ``run_id`` called, oldest first."""
    rows = journal.iter_rows(
        "SELECT c.id, c.process_id, COALESCE((SELECT d.title FROM definitions d "
        "WHERE d.hash = c.definition_hash), c.process_id), c.parent_step, c.status, c.success, "
        "c.started_at FROM runs c WHERE c.parent_run = ? ORDER BY c.started_at, c.id",
        (run_id,),
    )
    return [
        CalledRun(
            run_id=str(child),
            process_id=str(process),
            process_title=str(title),
            step=str(step or ""),
            status=str(status),
            outcome=_outcome(str(status), success),
            started_at=str(started),
        )
        for child, process, title, step, status, success, started in rows
    ]


def _outcome(status: str, success: int | None) -> str | None:
    if status == "completed":
        return "success" if success else "failure"
    return "aborted" if status == "aborted" else None
