"""The workspace: the processes folder and the journal, as the TUI and CLI use them together.

No UI here: it loads the catalog, starts and opens runs, and answers the home screen's
questions (unfinished runs, last run and success rate per process) with a few SQL queries.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from procedo.config import Paths
from procedo.engine import Run, now_ms
from procedo.journal import Journal, JournalError, OpenedRun, default_operator
from procedo.journal.connection import INTERACTIVE_BUSY_TIMEOUT_MS
from procedo.model import Catalog, LoadedProcess, load_catalog


@dataclass(frozen=True, slots=True)
class ProcessSummary:
    """A process as the home screen lists it."""

    loaded: LoadedProcess
    last_run_at: str | None
    finished: int
    succeeded: int

    @property
    def success_rate(self) -> float | None:
        """Share of finished (non-practice) runs that ended at a success outcome."""
        return self.succeeded / self.finished if self.finished else None


@dataclass(frozen=True, slots=True)
class UnfinishedRun:
    """A run that can be resumed."""

    run_id: str
    process_id: str
    title: str
    operator: str
    status: str
    node_title: str
    updated_at: str
    practice: bool
    newer_definition: bool


def ago(iso: str | None, now: int | None = None) -> str:
    """``just now``, ``5 min ago``, ``3 h ago``, ``2 d ago`` for an ISO timestamp."""
    if not iso:
        return "never"
    from procedo.engine import ms_from_iso

    seconds = max(0, ((now if now is not None else now_ms()) - ms_from_iso(iso)) // 1000)
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{seconds // 60} min ago"
    if seconds < 86400:
        return f"{seconds // 3600} h ago"
    return f"{seconds // 86400} d ago"


def open_journal(path: Path) -> tuple[Journal, str]:
    """The journal, and why it can only be read ("" when it can be written).

    A journal that cannot be written (an archive, read-only media) is opened read-only for
    review rather than refused; any other failure is raised as it was.
    """
    # The app writes on its UI thread: wait less for a busy journal, then say so.
    try:
        journal = Journal(path, busy_timeout_ms=INTERACTIVE_BUSY_TIMEOUT_MS)
    except JournalError as error:
        if not path.is_file():
            raise
        try:  # only a read-only connection can open it now (connection.open_read_only)
            journal = Journal(path, create=False, busy_timeout_ms=INTERACTIVE_BUSY_TIMEOUT_MS)
        except JournalError:
            raise error from None
        return journal, "the folder cannot be written"
    if not os.access(path, os.W_OK):
        return journal, "the journal file cannot be written"
    return journal, ""


class Workspace:
    """A processes folder plus a journal file."""

    def __init__(self, paths: Paths, journal: Journal | None = None) -> None:
        self.paths = paths
        self.read_only_reason = ""
        """Why the journal can only be read ("" when it can be written)."""
        if journal is None:
            journal, self.read_only_reason = open_journal(paths.db)
        self.journal = journal
        self.catalog: Catalog = Catalog()
        self.reload()

    def close(self) -> None:
        """Close the journal."""
        self.journal.close()

    def reload(self) -> Catalog:
        """Read the processes folder again."""
        folder: Path = self.paths.processes
        self.catalog = load_catalog([folder]) if folder.exists() else Catalog()
        return self.catalog

    def process(self, process_id: str) -> LoadedProcess | None:
        """A loaded process by id."""
        return self.catalog.get(process_id)

    def summaries(self, *, figures: bool = True) -> list[ProcessSummary]:
        """Every valid process with its last run and success figures.

        ``figures=False`` reads only the catalog (no journal query): the figures are empty.
        """
        result = []
        for loaded in sorted(self.catalog.processes, key=lambda p: p.definition.title.casefold()):
            last_run_at, finished, succeeded = self._figures(loaded.id) if figures else (None, 0, 0)
            result.append(ProcessSummary(loaded, last_run_at, finished, succeeded))
        return result

    def _figures(self, process_id: str) -> tuple[str | None, int, int]:
        """A process's last non-practice run start, finished runs and successful runs.

        Index-only reads: the counts walk one range of the covering index ``runs_figures``
        (process, status, practice, ..., success): the finished, non-practice runs of this
        process and no others; the last run is one step back along ``runs_process_started``.
        (One GROUP BY with MAX(started_at) beside the counts has no covering index and reads
        every row of the table: about 15x slower at 100,000 runs.)
        """
        counts = self.journal.rows(
            "SELECT COUNT(*) AS finished, SUM(success = 1) AS succeeded FROM runs "
            "WHERE process_id = ? AND status IN ('completed', 'aborted') AND practice = 0",
            (process_id,),
        )[0]
        last = self.journal.rows(
            "SELECT started_at FROM runs WHERE process_id = ? AND practice = 0 "
            "ORDER BY started_at DESC LIMIT 1",
            (process_id,),
        )
        return (
            last[0]["started_at"] if last else None,
            int(counts["finished"] or 0),
            int(counts["succeeded"] or 0),
        )

    def unfinished(self, limit: int = 50) -> list[UnfinishedRun]:
        """Active and paused runs, most recently touched first (at most ``limit``)."""
        result = []
        for row in self.journal.rows(
            "SELECT id, process_id, definition_hash, operator, status, current_node, updated_at, "
            "practice FROM runs WHERE status IN ('active', 'paused') "
            "ORDER BY updated_at DESC LIMIT ?",
            (limit,),
        ):
            current = self.catalog.get(row["process_id"])
            if current is not None and current.sha256 == row["definition_hash"]:
                definition = current.definition  # the same text: no need to parse it again
            else:
                definition = self.journal.definition(row["definition_hash"])
            node = row["current_node"] or ""
            try:
                found = definition.node(node)
                node_title = getattr(found, "title", None) or getattr(found, "question", node)
            except KeyError:
                node_title = node
            result.append(
                UnfinishedRun(
                    run_id=row["id"],
                    process_id=row["process_id"],
                    title=definition.title,
                    operator=row["operator"],
                    status=row["status"],
                    node_title=node_title,
                    updated_at=row["updated_at"],
                    practice=bool(row["practice"]),
                    newer_definition=current is not None
                    and current.sha256 != row["definition_hash"],
                )
            )
        return result

    def suggested_operator(self) -> str:
        """Who is at this keyboard: ``$PROCEDO_OPERATOR``, else the login name.

        Never the last run's operator: on a shared workstation that may be someone else (a
        hand-over recipient), and work would be journaled under the wrong name.
        """
        return default_operator()

    def start_run(
        self, process_id: str, operator: str, trigger: str | None = None, *, practice: bool = False
    ) -> Run:
        """Start a run of a loaded process."""
        loaded = self.catalog.get(process_id)
        if loaded is None:
            from procedo.engine import Refused

            raise Refused(f"no valid process {process_id!r} in {self.paths.processes}")
        return self.journal.start_run(loaded, operator, trigger, practice=practice)

    @property
    def read_only_message(self) -> str:
        """``Read-only journal: review only (the folder cannot be written)``, or ""."""
        reason = self.read_only_reason
        return f"Read-only journal: review only ({reason})" if reason else ""

    def open_run(self, run_id: str) -> OpenedRun:
        """Open a run to drive it (read-only when another session holds it, or the journal
        cannot be written)."""
        resolved = self.journal.resolve_run_id(run_id)
        return self.journal.open_run(resolved, read_only=bool(self.read_only_reason))
