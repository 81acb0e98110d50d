"""The journal: one SQLite file that holds definitions, runs, their events and visits."""

from __future__ import annotations

import contextlib
import getpass
import os
import sqlite3
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from procedo.engine import Event, Run, RunState, iso_from_ms, now_ms, replay
from procedo.engine.errors import ReplayError
from procedo.journal.connection import (
    BUSY_TIMEOUT_MS,
    describe_sqlite_error,
    open_database,
    write_transaction,
)
from procedo.journal.errors import JournalError, RunLockedError, SchemaError, UnknownRunError
from procedo.journal.file_guard import FileGuard
from procedo.journal.lease import Lease, is_live, read_lease
from procedo.journal.rows import insert_definition
from procedo.journal.schema import ensure_schema
from procedo.journal.sink import JournalSink, ReadOnlySink
from procedo.model import DefinitionError, LoadedProcess, ProcessDefinition, parse_definition

_EVENT_COLUMNS = "run_id, seq, ts, actor, kind, node, item, value, reason, hash, branch"


@dataclass(frozen=True, slots=True)
class OpenedRun:
    """A run opened from the journal; ``read_only`` when another session drives it."""

    run: Run
    read_only: bool
    holder: Lease | None = None


class Journal:
    """Procedo's journal file. Bound to the thread that opened it (as sqlite3 is)."""

    def __init__(
        self, path: Path | str, *, create: bool = True, busy_timeout_ms: int = BUSY_TIMEOUT_MS
    ) -> None:
        self.path = Path(path)
        self.db = open_database(self.path, create=create, busy_timeout_ms=busy_timeout_ms)
        self.guard = FileGuard(self.path)
        self.token = uuid.uuid4().hex
        self.clock: Callable[[], int] = now_ms
        try:
            ensure_schema(self.db, str(self.path))
        except BaseException:
            self.db.close()
            raise
        self._definition_cache = lru_cache(maxsize=64)(self._parse_definition)

    def close(self) -> None:
        """Close the database connection."""
        with contextlib.suppress(sqlite3.Error):
            self.db.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading helpers ------------------------------------------------------------------

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[None]:
        """Read in one transaction, so every query sees the same moment (WAL keeps writers
        going meanwhile). Without it, a run written between two queries looks inconsistent.
        Once it ends, a grown WAL is checkpointed: a long reader (verify) is the one that held
        it up, and only it can checkpoint before it reads again."""
        conn = self.db.conn
        if conn.in_transaction:
            yield
            return
        try:
            conn.execute("BEGIN")
        except sqlite3.DatabaseError as error:
            raise JournalError(f"cannot read the journal: {describe_sqlite_error(error)}") from None
        try:
            yield
        finally:
            with contextlib.suppress(sqlite3.Error):
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
            if not conn.in_transaction:
                self.guard.tidy(conn, after_read=True)

    def rows(self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> list[dict[str, Any]]:
        """Run a read query; damage and I/O problems become :class:`JournalError`."""
        try:
            return list(self.db.query(sql, params))
        except sqlite3.DatabaseError as error:
            raise JournalError(f"cannot read the journal: {describe_sqlite_error(error)}") from None

    def iter_rows(self, sql: str, params: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
        """Stream tuples from a read query without loading them all."""
        try:
            yield from self.db.conn.execute(sql, params)
        except sqlite3.DatabaseError as error:
            raise JournalError(f"cannot read the journal: {describe_sqlite_error(error)}") from None

    # -- definitions ----------------------------------------------------------------------

    def insert_definition(
        self,
        conn: sqlite3.Connection,
        digest: str,
        process_id: str,
        text: str,
        source_path: str | None,
    ) -> None:
        """Store a definition's text once (inside the caller's transaction)."""
        insert_definition(conn, digest, process_id, text, source_path, self.clock())

    def sink(self, loaded: LoadedProcess | None = None) -> JournalSink:
        """A sink that writes a run's events through this journal's connection and lease
        token (``loaded``: the definition of a run about to start)."""
        return JournalSink(
            self.db.conn,
            self.guard,
            self.token,
            definition_text=loaded.text if loaded else None,
            source_path=str(loaded.path) if loaded else None,
            clock=self.clock,
        )

    def definition(self, digest: str) -> ProcessDefinition:
        """The stored definition with that hash, parsed (cached)."""
        return self._definition_cache(digest)

    def _parse_definition(self, digest: str) -> ProcessDefinition:
        rows = self.rows("SELECT process_id, toml FROM definitions WHERE hash = ?", (digest,))
        if not rows:
            raise SchemaError(f"the journal has lost the definition {digest[:12]}")
        try:
            # texts are not re-checked: a run stored before a rule existed still replays
            return parse_definition(
                rows[0]["toml"], default_id=rows[0]["process_id"], check_texts=False
            )
        except DefinitionError as error:
            raise SchemaError(
                f"the stored definition {digest[:12]} no longer loads: {error}"
            ) from None

    # -- runs -----------------------------------------------------------------------------

    def start_run(
        self,
        loaded: LoadedProcess,
        operator: str,
        trigger: str | None = None,
        *,
        practice: bool = False,
        inputs: Mapping[str, str] | None = None,
        run_id: str | None = None,
        parent: tuple[str, str] | None = None,
    ) -> Run:
        """Start and durably record a new run of ``loaded``; this session holds it.

        ``inputs``: the raw text of the process's start inputs, by id; ``parent``: the run
        and step that call it (``run_id`` then is the id the call chose).
        """
        return Run.start(
            loaded.definition,
            loaded.sha256,
            self.sink(loaded),
            operator,
            trigger,
            practice=practice,
            clock=self.clock,
            inputs=inputs,
            run_id=run_id,
            parent=parent,
        )

    def resolve_run_id(self, prefix: str) -> str:
        """The full id of the run whose id starts with ``prefix`` (it must be unique)."""
        prefix = prefix.strip().lower()
        if not prefix:
            raise UnknownRunError("give a run id (or a unique prefix of one)")
        matches = self.rows(
            "SELECT id FROM runs WHERE id >= ? AND id < ? ORDER BY id LIMIT 6",
            (prefix, prefix + "\uffff"),
        )
        if not matches:
            raise UnknownRunError(f"no run has an id starting with {prefix!r}")
        if len(matches) > 1:
            shown = ", ".join(m["id"][:13] for m in matches[:5])
            raise UnknownRunError(
                f"{prefix!r} matches several runs ({shown}...): give more of the id"
            )
        return str(matches[0]["id"])

    def run_row(self, run_id: str) -> dict[str, Any]:
        """The ``runs`` row of a run."""
        rows = self.rows("SELECT * FROM runs WHERE id = ?", (run_id,))
        if not rows:
            raise UnknownRunError(f"no run {run_id}")
        return rows[0]

    def events(self, run_id: str) -> list[Event]:
        """Every event of a run, in order."""
        return [
            Event(*row)
            for row in self.iter_rows(
                f"SELECT {_EVENT_COLUMNS} FROM events WHERE run_id = ? ORDER BY seq", (run_id,)
            )
        ]

    def load_state(self, run_id: str) -> tuple[ProcessDefinition, RunState]:
        """Rebuild a run's state from its events and its own stored definition."""
        row = self.run_row(run_id)
        definition = self.definition(row["definition_hash"])
        try:
            state = replay(definition, row["definition_hash"], run_id, self.events(run_id))
        except ReplayError as error:
            raise JournalError(f"run {run_id[:8]} cannot be replayed: {error}") from None
        return definition, state

    def lease_holder(self, run_id: str) -> Lease | None:
        """The live lease of another session on the run, if any."""
        lease = read_lease(self.db.conn, run_id)
        if lease is None or lease.token == self.token or not is_live(lease, self.token):
            return None
        return lease

    def open_run(self, run_id: str, *, read_only: bool = False) -> OpenedRun:
        """Open a run to drive it; read-only when another live session holds it."""
        definition, state = self.load_state(run_id)
        holder = None if state.finished else self.lease_holder(run_id)
        if read_only or holder is not None or state.finished:
            reason = (
                f"this run is driven by {holder.describe()}: it is read-only here"
                if holder
                else f"this run is {state.status}: it is read-only"
                if state.finished
                else "opened read-only"
            )
            return OpenedRun(Run(definition, state, ReadOnlySink(reason), self.clock), True, holder)
        abandoned = self._claim(run_id, state.operator)
        run = Run(definition, state, self.sink(), self.clock)
        if abandoned is not None and state.status == "active":
            # The session that drove it died without leaving it: say so in the record.
            run.take_over(
                state.operator,
                f"the previous session ({abandoned.describe()}) ended without closing the run",
            )
        return OpenedRun(run, False, None)

    def take_over(self, run_id: str, operator: str, reason: str | None = None) -> Run:
        """Take a run over from another session (journaled as a ``takeover`` event)."""
        definition, state = self.load_state(run_id)
        run = Run(definition, state, self.sink(), self.clock)
        run.take_over(operator, reason)
        return run

    def release(self, run_id: str) -> None:
        """Give up this session's lease on a run (when the operator leaves it)."""
        with write_transaction(self.db, "releasing the run", self.guard):
            self.db.conn.execute(
                "DELETE FROM leases WHERE run_id = ? AND token = ?", (run_id, self.token)
            )

    def _claim(self, run_id: str, operator: str) -> Lease | None:
        """Hold the run's lease; return a dead session's lease that this replaced, if any."""
        from procedo.journal.lease import write_lease

        with write_transaction(self.db, "opening the run", self.guard) as conn:
            lease = read_lease(conn, run_id)
            if lease is not None and lease.token != self.token and is_live(lease, self.token):
                raise RunLockedError(f"this run is driven by {lease.describe()}")
            write_lease(conn, run_id, self.token, operator, iso_from_ms(self.clock()))
        return lease if lease is not None and lease.token != self.token else None

    def runs(
        self,
        *,
        process: str | None = None,
        status: str | None = None,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        """Runs, newest first, optionally filtered."""
        where, params = [], []
        if process:
            where.append("process_id = ?")
            params.append(process)
        if status:
            where.append("status = ?")
            params.append(status)
        sql = "SELECT * FROM runs"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY started_at DESC, id"
        if limit:
            sql += f" LIMIT {int(limit)}"
        return self.rows(sql, tuple(params))


def default_operator() -> str:
    """The login name, as a fallback operator name."""
    for key in ("PROCEDO_OPERATOR", "USER", "LOGNAME", "USERNAME"):
        if os.environ.get(key, "").strip():
            return os.environ[key].strip()
    try:
        return getpass.getuser()  # the password database when no variable says
    except (OSError, KeyError, ImportError):
        return "operator"
