"""A run shown read-only follows the journal live: what the driving window does shows here.

Twice a second the screen asks its own SQLite connection for ``PRAGMA data_version``, which
changes only when another connection committed something (a cheap read, no table touched).
When it changed, the run is replayed from the journal in a thread worker (a read that could
wait on the disk) and the screen redrawn from that state.

A driving screen polls too: when the journal changed, it reads the run's lease and last
event (two primary-key reads); once another session drives the run, the screen turns
read-only at once, before anything more is typed into it.
"""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from procedo.engine import Run, RunState
from procedo.journal import Journal
from procedo.journal.connection import open_read_only
from procedo.journal.lease import is_live, read_lease
from procedo.model import ProcessDefinition
from procedo.tui.querying import query_in_thread

if TYPE_CHECKING:
    from procedo.tui.screens.run import RunScreen

FOLLOW_SECONDS = 0.5
"""How often a read-only run screen looks for changes."""


class ChangeWatch:
    """``changed()`` is True when another connection committed since the last call."""

    def __init__(self, path: Path) -> None:
        self.conn: sqlite3.Connection | None = None
        try:
            conn = sqlite3.connect(str(path), timeout=0.2)
        except sqlite3.Error:
            conn = None
        if conn is not None:
            try:
                conn.execute("PRAGMA query_only = ON")
                conn.execute("PRAGMA schema_version").fetchone()
                self.conn = conn
            except sqlite3.Error:
                conn.close()
        if self.conn is None:
            self.conn = open_read_only(path)  # a folder that cannot be written
        self.version = self._read()

    def _read(self) -> int | None:
        if self.conn is None:
            return None
        try:
            return int(self.conn.execute("PRAGMA data_version").fetchone()[0])
        except sqlite3.Error:
            return None

    def changed(self) -> bool:
        """Whether the journal changed since the last call (False if it cannot be read)."""
        version = self._read()
        if version is None or version == self.version:
            return False
        self.version = version
        return True

    def moved_away(self, run_id: str, token: str, last_seq: int) -> str | None:
        """Why the session ``token`` no longer drives the run (None while it still does)."""
        if self.conn is None:
            return None
        try:
            lease = read_lease(self.conn, run_id)
            row = self.conn.execute("SELECT last_seq FROM runs WHERE id = ?", (run_id,)).fetchone()
        except sqlite3.Error:
            return None  # the next save says what is wrong
        if lease is not None and lease.token != token and is_live(lease, token):
            return f"this run is now driven by {lease.describe()}; it is read-only here"
        if row is not None and row[0] != last_seq:
            return "this run was changed in another session; it is read-only here"
        return None

    def close(self) -> None:
        """Close the connection."""
        if self.conn is not None:
            with contextlib.suppress(sqlite3.Error):
                self.conn.close()
            self.conn = None


def follow_tick(screen: RunScreen) -> None:
    """When another connection committed: is a driving screen still driving? Then, if the
    screen is (now) read-only, replay the run in a thread and show what the journal holds."""
    watch = screen.changes
    if watch is None or not watch.changed():
        return
    run_id = screen.run.run_id
    if not screen.read_only:  # a driving screen shows its own writes: is it still driving?
        if screen.run.state.finished:
            return
        token = screen.app.workspace.journal.token
        reason = watch.moved_away(run_id, token, screen.run.state.last_seq)
        if reason is None:
            return
        screen.become_read_only(reason)
        screen.notify(reason[:1].upper() + reason[1:] + ".", severity="warning", markup=False)

    def compute(journal: Journal) -> tuple[ProcessDefinition, RunState]:
        return journal.load_state(run_id)

    query_in_thread(screen, compute, lambda loaded: followed(screen, loaded[1]), group="run-follow")


def followed(screen: RunScreen, state: RunState) -> None:
    """Show the state the journal now holds (the summary, when the run ended elsewhere)."""
    if not screen.read_only or state.last_seq == screen.run.state.last_seq:
        return  # taken over here meanwhile, or nothing new for this run
    run = screen.run
    screen.run = Run(run.definition, state, run.sink, run.clock)
    if not state.finished:
        screen.refresh_view()
        return
    message = f"The run was {state.status} in the other window."
    app = screen.app
    if app.screen is screen:  # as in the driving window: the summary
        app.pop_screen()
        app.show_summary(screen.run)
        app.notify(message, markup=False)
    else:
        screen.refresh_view()
        screen.show_status(message, "refused")


__all__ = ["FOLLOW_SECONDS", "ChangeWatch", "follow_tick", "followed"]
