"""The journal side of a run: commit events, the runs row and visits in one transaction."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence

from procedo.engine import Event, Refused, RunState, now_ms
from procedo.journal.connection import write_transaction
from procedo.journal.errors import (
    JournalGoneError,
    RunLockedError,
    StaleRunError,
    StorageError,
)
from procedo.journal.file_guard import FileGuard
from procedo.journal.lease import is_live, read_lease, rename_lease, write_lease
from procedo.journal.rows import (
    insert_definition,
    run_row,
    upsert_sql,
    visit_row,
    write_marks,
    write_operators,
)
from procedo.journal.rows_interrupts import write_deferrals, write_interrupts

_EVENT_SQL = (
    "INSERT INTO events (run_id, seq, ts, actor, kind, node, item, value, reason, hash, branch) "
    "VALUES (:run_id, :seq, :ts, :actor, :kind, :node, :item, :value, :reason, :hash, :branch)"
)


class JournalSink:
    """Commits a run's events durably, holding the run's lease.

    It needs only the journal's connection, the guard of its file and this session's lease
    token (and, for a new run, the definition's text and where it came from).
    """

    def __init__(
        self,
        conn: sqlite3.Connection,
        guard: FileGuard | None,
        token: str,
        *,
        definition_text: str | None = None,
        source_path: str | None = None,
        clock: Callable[[], int] = now_ms,
    ) -> None:
        self.conn = conn
        self.guard = guard
        self.token = token
        self.clock = clock
        self._definition_text = definition_text
        self._source_path = source_path

    def commit(self, events: Sequence[Event], state: RunState, visits: frozenset[int]) -> None:
        """Write everything in one ``BEGIN IMMEDIATE`` transaction, or nothing.

        ``visits``: the visits the events touched; their rows (and marks) are rewritten.
        """
        what = f"'{events[0].kind}'" if len(events) == 1 else f"'{events[0].kind}' and what follows"
        try:
            self._write(events, state, visits, what)
        except JournalGoneError:
            raise  # what landed, landed in a file the path no longer names
        except StorageError:
            if self._landed(state):
                return  # COMMIT reported an error after the transaction was durable
            raise

    def _landed(self, state: RunState) -> bool:
        """Whether the runs row already ends with this state's last event (a failed COMMIT
        can still have committed, e.g. when interrupted after the commit itself)."""
        conn = self.conn
        if conn.in_transaction:
            return False  # the rollback failed: what we would read is our own uncommitted write
        try:
            row = conn.execute(
                "SELECT last_seq, last_hash FROM runs WHERE id = ?", (state.run_id,)
            ).fetchone()
        except sqlite3.Error:
            return False
        return row is not None and tuple(row) == (state.last_seq, state.last_hash)

    def _write(
        self, events: Sequence[Event], state: RunState, visits: frozenset[int], what: str
    ) -> None:
        with write_transaction(self.conn, f"the action {what}", self.guard) as conn:
            if events[0].kind == "start":
                self._insert_start(conn, state)
            else:
                self._check_position(conn, events[0], state)
            for event in events:
                conn.execute(_EVENT_SQL, event.to_row())
            conn.execute(*upsert_sql("runs", run_row(state), ("id",)))
            write_operators(conn, state)
            for index in sorted(visits):
                row = visit_row(state, state.visits[index])
                conn.execute(*upsert_sql("visits", row, ("run_id", "visit")))
                write_marks(conn, state, state.visits[index])
            if state.status == "completed":  # schema 8: every visit of a completed run says so
                conn.execute(
                    "UPDATE visits SET run_completed = 1 WHERE run_id = ? AND run_completed = 0",
                    (state.run_id,),
                )
            write_interrupts(conn, state, visits)
            write_deferrals(conn, state, events)
            if state.finished:
                conn.execute(
                    "DELETE FROM leases WHERE run_id = ? AND token = ?",
                    (state.run_id, self.token),
                )

    def _insert_start(self, conn: sqlite3.Connection, state: RunState) -> None:
        if self._definition_text is None:
            raise Refused("a new run needs its definition text")
        insert_definition(
            conn,
            state.definition_hash,
            state.process_id,
            self._definition_text,
            self._source_path,
            self.clock(),
        )
        conn.execute(*upsert_sql("runs", run_row(state), ("id",)))
        conn.execute(
            "UPDATE runs SET target_ms = (SELECT target_ms FROM definitions WHERE hash = ?) "
            "WHERE id = ?",
            (state.definition_hash, state.run_id),
        )
        write_lease(conn, state.run_id, self.token, state.operator, run_row(state)["updated_at"])

    def _check_position(self, conn: sqlite3.Connection, first: Event, state: RunState) -> None:
        row = conn.execute(
            "SELECT last_seq, last_hash FROM runs WHERE id = ?", (first.run_id,)
        ).fetchone()
        if row is None:
            raise StaleRunError("this run is no longer in the journal")
        lease = read_lease(conn, first.run_id)
        taking_over = first.kind == "takeover"
        held_elsewhere = lease is not None and lease.token != self.token
        if held_elsewhere and not taking_over and is_live(lease, self.token):
            raise RunLockedError(
                f"this run is now driven by {lease.describe()}; it is read-only here"
            )
        if row[0] != first.seq - 1:
            raise StaleRunError(
                "this run was changed in another session since it was opened here; "
                "reopen it to see the latest state"
            )
        if lease is None or lease.token != self.token:
            write_lease(conn, first.run_id, self.token, state.operator, first.ts)
        elif lease.operator != state.operator:  # a hand-over: others must see who drives now
            rename_lease(conn, first.run_id, self.token, state.operator)


class ReadOnlySink:
    """A sink for a run opened read-only: every change is refused with the reason."""

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def commit(self, events: Sequence[Event], state: RunState, visits: frozenset[int]) -> None:
        """Refuse."""
        raise RunLockedError(self.reason)
