"""Opening the SQLite file with the durability settings, and write transactions.

Settings (see docs/schema.md): WAL journal, ``synchronous=FULL`` so a committed write survives
a power cut, a busy timeout so concurrent writers wait instead of failing, foreign keys on.
Every write runs in ``BEGIN IMMEDIATE``: the write lock is taken before anything is read, so a
read-then-write can never fail half-way with SQLITE_BUSY.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import sqlite_utils

from procedo.journal.errors import JournalError, SchemaError, StorageError
from procedo.journal.file_guard import JOURNAL_SIZE_LIMIT_BYTES, FileGuard
from procedo.journal.permissions import create_new

BUSY_TIMEOUT_MS = 15_000
"""How long a command waits for another writer before giving up."""
INTERACTIVE_BUSY_TIMEOUT_MS = 3_000
"""How long the TUI waits: the screen cannot repaint meanwhile, so it gives up sooner and says
the action was not saved (the operator can simply press the key again)."""


def describe_sqlite_error(error: sqlite3.Error) -> str:
    """A plain-language reason for an SQLite error."""
    text = str(error).lower()
    if "disk is full" in text or "database or disk is full" in text:
        return "the disk is full"
    if "readonly" in text or "read-only" in text:
        return "the journal file is read-only"
    if "disk i/o error" in text:
        return "a disk I/O error occurred"
    if "locked" in text or "busy" in text:
        return "the journal is busy: another procedo or program is writing to it; try again"
    if "malformed" in text or "not a database" in text:
        return "the journal file is damaged"
    if "unable to open" in text:
        return "the journal file cannot be opened"
    if "interrupted" in text:
        return "the write was interrupted"
    return str(error)


def open_database(
    path: Path, *, create: bool, busy_timeout_ms: int = BUSY_TIMEOUT_MS
) -> sqlite_utils.Database:
    """Open ``path`` with procedo's settings; SchemaError if it cannot be a journal."""
    if not create and not path.exists():
        raise JournalError(f"no journal at {path} (nothing has been run with it yet)")
    if path.exists() and path.is_dir():
        raise SchemaError(f"{path} is a folder, not a journal file")
    if create:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StorageError(
                f"cannot create the folder {path.parent}: {error.strerror}"
            ) from None
        create_new(path)
    try:
        conn = sqlite3.connect(str(path), timeout=busy_timeout_ms / 1000)
    except sqlite3.Error as error:
        read_only = None if create else open_read_only(path)
        if read_only is not None:
            return sqlite_utils.Database(read_only)
        raise SchemaError(f"cannot open {path}: {describe_sqlite_error(error)}") from None
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        conn.execute("PRAGMA foreign_keys = ON")
        # Only read the mode here: switching to WAL writes the header, which must wait until
        # ensure_schema has checked that the file is ours (see use_wal).
        conn.execute("PRAGMA journal_mode").fetchone()
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute(f"PRAGMA journal_size_limit = {JOURNAL_SIZE_LIMIT_BYTES}")
    except sqlite3.DatabaseError as error:
        conn.close()
        reason = describe_sqlite_error(error)
        if not create and "cannot be opened" in reason:
            read_only = open_read_only(path)  # a folder we cannot write: an archive, a CD
            if read_only is not None:
                return sqlite_utils.Database(read_only)
        if "damaged" in reason:
            reason = "it is not an SQLite database, or it is damaged"
        raise SchemaError(
            f"cannot use {path} as a journal: {reason}; it was left untouched"
        ) from None
    return sqlite_utils.Database(conn)


def open_read_only(path: Path) -> sqlite3.Connection | None:
    """A read-only connection to a journal whose folder cannot be written, or None.

    A WAL journal needs its ``-shm`` file, which SQLite cannot create in a read-only folder.
    ``mode=ro`` works when that file is there; otherwise ``immutable=1`` reads the main file
    alone, which is complete only when no ``-wal`` file holds newer pages, so it is used only
    then. Writes through such a connection fail as "read-only".
    """
    wal = Path(f"{path}-wal")
    queries = ["mode=ro"]
    if not wal.exists() or wal.stat().st_size == 0:
        queries.append("immutable=1")
    for query in queries:
        try:
            conn = sqlite3.connect(f"{path.resolve().as_uri()}?{query}", uri=True)
            conn.execute("PRAGMA schema_version").fetchone()
        except sqlite3.Error:
            continue
        return conn
    return None


def use_wal(conn: sqlite3.Connection) -> None:
    """Switch a journal (already known to be ours, or new) to WAL mode."""
    if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        with contextlib.suppress(sqlite3.OperationalError):
            conn.execute("PRAGMA journal_mode = WAL")


@contextlib.contextmanager
def write_transaction(
    db: sqlite_utils.Database | sqlite3.Connection, what: str, guard: FileGuard | None = None
) -> Iterator[sqlite3.Connection]:
    """``BEGIN IMMEDIATE`` ... ``COMMIT``; on any failure roll back and raise StorageError.

    With a ``guard``, the path must still name the file opened, before and after the commit
    (JournalGoneError otherwise), and a grown WAL is checkpointed after it.
    """
    conn = db if isinstance(db, sqlite3.Connection) else db.conn
    if guard is not None:
        guard.check(what)
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as error:
        # An interrupted BEGIN can leave the transaction open (and the write lock held).
        _rollback(conn)
        raise StorageError(f"{what} was not saved: {describe_sqlite_error(error)}") from None
    try:
        yield conn
        conn.execute("COMMIT")
    except sqlite3.Error as error:
        _rollback(conn)
        raise StorageError(f"{what} was not saved: {describe_sqlite_error(error)}") from None
    except BaseException:
        _rollback(conn)
        raise
    if guard is not None:
        guard.check(what)  # committed, but perhaps into a file nobody will open again
        guard.tidy(conn)


def _rollback(conn: sqlite3.Connection) -> None:
    with contextlib.suppress(sqlite3.Error):
        if conn.in_transaction:
            conn.execute("ROLLBACK")
