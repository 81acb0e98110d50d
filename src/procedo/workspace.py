"""The workspace: the one way the app and the CLI open the processes folder and the journal.

It resolves the paths (explicit, then the environment, then the defaults) and the settings
file, opens the journal with the face's busy timeout (the app waits 3 s, a command 15 s) and
loads the catalog; it starts and opens runs and answers the home screen's questions. No SQL
(that is in :mod:`procedo.journal.home`) and no formatting (the faces say it their way).

Importing it is cheap: the journal, the model (pydantic) and sqlite-utils are imported only
when a command first needs them, so ``procedo --help`` does not pay for them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from procedo.config import Paths, default_settings_path

if TYPE_CHECKING:
    from collections.abc import Mapping

    from procedo.engine import Run
    from procedo.journal import Journal, OpenedRun
    from procedo.model import Catalog, LoadedProcess, ProcessDefinition
    from procedo.settings import Settings


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


def open_journal(
    path: Path, *, interactive: bool = True, create: bool = True
) -> tuple[Journal, str]:
    """The journal, and why it can only be read ("" when it can be written).

    ``interactive`` (the app, which writes on its UI thread) waits 3 s for a busy journal
    and then says so; a command waits 15 s. ``create=False`` refuses a missing journal.
    A journal that cannot be written (an archive, read-only media) is opened read-only for
    review rather than refused; any other failure is raised as it was.
    """
    from procedo.journal import Journal, JournalError
    from procedo.journal.connection import BUSY_TIMEOUT_MS, INTERACTIVE_BUSY_TIMEOUT_MS

    timeout = INTERACTIVE_BUSY_TIMEOUT_MS if interactive else BUSY_TIMEOUT_MS
    try:
        journal = Journal(path, create=create, busy_timeout_ms=timeout)
    except JournalError as error:
        if not create or not path.is_file():
            raise
        try:  # only a read-only connection can open it now (connection.open_read_only)
            journal = Journal(path, create=False, busy_timeout_ms=timeout)
        except JournalError:
            raise error from None
        return journal, "the folder cannot be written"
    if not os.access(path, os.W_OK):
        return journal, "the journal file cannot be written"
    return journal, ""


def open_reader(path: Path) -> Journal:
    """Another connection to an existing journal, for one thread's slow reads (a connection
    is bound to the thread that opened it); it waits like a command and never creates it."""
    journal, _ = open_journal(path, interactive=False, create=False)
    return journal


def load_folder(folder: Path) -> Catalog:
    """Every process in ``folder`` (an empty catalog when there is no such folder)."""
    from procedo.model import Catalog, load_catalog

    return load_catalog([folder]) if folder.exists() else Catalog()


class Workspace:
    """A processes folder plus a journal file.

    ``Workspace(paths)`` (the app) opens the journal and loads the catalog at once;
    :meth:`for_command` (the CLI) opens each only when first used.
    """

    def __init__(
        self,
        paths: Paths,
        journal: Journal | None = None,
        *,
        interactive: bool = True,
        create: bool = True,
        eager: bool = True,
    ) -> None:
        self.paths = paths
        self.interactive = interactive
        """The app's short busy timeout (True) or a command's long one."""
        self.create = create
        """Whether a missing journal file is created (False: an error says there is none)."""
        self.read_only_reason = ""
        """Why the journal can only be read ("" when it can be written)."""
        self._journal = journal
        self._catalog: Catalog | None = None
        if eager:
            self.open()

    @classmethod
    def for_command(cls, paths: Paths, *, create: bool = False) -> Workspace:
        """The workspace of one CLI command: the journal (never created unless ``create``;
        a busy one is waited for 15 s) and the catalog are opened on first use."""
        return cls(paths, interactive=False, create=create, eager=False)

    @property
    def journal(self) -> Journal:
        """The journal (opened on first use)."""
        if self._journal is None:
            self._journal, self.read_only_reason = open_journal(
                self.paths.db, interactive=self.interactive, create=self.create
            )
        return self._journal

    def open(self) -> None:
        """Open the journal and read the catalog now (:class:`JournalError` if it cannot be
        used): the app does this before its screens need them."""
        self.journal  # noqa: B018
        if self._catalog is None:
            self.reload()

    @property
    def is_open(self) -> bool:
        """Whether the journal is open and the catalog read."""
        return self._journal is not None and self._catalog is not None

    @property
    def has_journal(self) -> bool:
        """Whether the journal file exists (nothing has been run when it does not)."""
        return self._journal is not None or self.paths.db.exists()

    @property
    def catalog(self) -> Catalog:
        """The processes folder's catalog (loaded on first use; :meth:`reload` reads again)."""
        if self._catalog is None:
            return self.reload()
        return self._catalog

    @property
    def settings_path(self) -> Path:
        """The operator's settings file: ``$PROCEDO_CONFIG``, else the user config dir."""
        return default_settings_path()

    def load_settings(self) -> tuple[Settings, str]:
        """The settings and a notice to show ("" when all is well); never raises."""
        from procedo.settings import load_settings

        return load_settings(self.settings_path)

    def close(self) -> None:
        """Close the journal (if it was opened)."""
        if self._journal is not None:
            self._journal.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def reload(self) -> Catalog:
        """Read the processes folder again."""
        self._catalog = load_folder(self.paths.processes)
        return self._catalog

    def process(self, process_id: str) -> LoadedProcess | None:
        """A loaded process by id."""
        return self.catalog.get(process_id)

    def summaries(self, *, figures: bool = True) -> list[ProcessSummary]:
        """Every valid process with its last run and success figures.

        ``figures=False`` reads only the catalog (no journal query): the figures are empty.
        """
        from procedo.journal.home import process_figures

        result = []
        for loaded in sorted(self.catalog.processes, key=lambda p: p.definition.title.casefold()):
            last_run_at, finished, succeeded = (
                process_figures(self.journal, loaded.id) if figures else (None, 0, 0)
            )
            result.append(ProcessSummary(loaded, last_run_at, finished, succeeded))
        return result

    def unfinished(self, limit: int = 50) -> list[UnfinishedRun]:
        """Active and paused runs, most recently touched first (at most ``limit``)."""
        from procedo.journal.home import unfinished_rows

        result = []
        for row in unfinished_rows(self.journal, limit):
            current = self.catalog.get(row["process_id"])
            if current is not None and current.sha256 == row["definition_hash"]:
                definition = current.definition  # the same text: no need to parse it again
            else:
                definition = self.journal.definition(row["definition_hash"])
            node_title = _node_title(definition, row["current_node"] or "")
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
        from procedo.journal import default_operator

        return default_operator()

    def start_run(
        self,
        process_id: str,
        operator: str,
        trigger: str | None = None,
        *,
        practice: bool = False,
        inputs: Mapping[str, str] | None = None,
    ) -> Run:
        """Start a run of a loaded process (``inputs``: its start inputs' raw text, by id)."""
        loaded = self.catalog.get(process_id)
        if loaded is None:
            from procedo.engine import Refused

            raise Refused(f"no valid process {process_id!r} in {self.paths.processes}")
        return self.journal.start_run(loaded, operator, trigger, practice=practice, inputs=inputs)

    @property
    def read_only_message(self) -> str:
        """``Read-only journal: review only (the folder cannot be written)``, or ""."""
        reason = self.read_only_reason
        return f"Read-only journal: review only ({reason})" if reason else ""

    def resolve_run_id(self, run_id: str) -> str:
        """The full id of the run whose id starts with ``run_id`` (it must be unique)."""
        return self.journal.resolve_run_id(run_id)

    def open_run(self, run_id: str) -> OpenedRun:
        """Open a run to drive it (read-only when another session holds it, or the journal
        cannot be written)."""
        resolved = self.journal.resolve_run_id(run_id)
        return self.journal.open_run(resolved, read_only=bool(self.read_only_reason))


def _node_title(definition: ProcessDefinition, node: str) -> str:
    """What the home screen says a run stopped at: a node's title or question, an open
    interrupt's title marked as non-normal, or the id of a node the definition lacks."""
    if node in definition.interrupts:
        return f"! {definition.interrupts[node].title}"  # as the maps mark one
    try:
        found = definition.node(node)
    except KeyError:
        return node
    return getattr(found, "title", None) or getattr(found, "question", None) or node
