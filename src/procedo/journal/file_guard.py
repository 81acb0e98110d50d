"""Keep the journal honest about its file: refuse to acknowledge a write that went into a file
the path no longer names, and keep the WAL from growing without bound.

SQLite keeps writing into an open file after its folder is removed or the file is moved or
replaced: the commit succeeds, but into a file nobody will open again. The guard records the
file's device and inode when the journal is opened and compares them with ``os.stat`` of the
path before and after every write (a few microseconds).

Under continuous readers SQLite's automatic (passive) checkpoint can never finish, so the WAL
keeps growing. After a write, or a read snapshot, that leaves the WAL over
:data:`WAL_CHECKPOINT_BYTES` (at most once every :data:`CHECKPOINT_INTERVAL_S` seconds), the
guard runs a passive checkpoint; when that copied every frame (no older reader needs them, and
new readers then read the main file only), a ``TRUNCATE`` checkpoint, which waits at most
:data:`CHECKPOINT_WAIT_MS` for the readers still on the WAL, empties it. When an older reader
holds it up, a writer gives up at once: that reader, when its snapshot ends, tries the
``TRUNCATE`` checkpoint whatever the passive one could copy.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from pathlib import Path

from procedo.journal.errors import JournalGoneError

WAL_CHECKPOINT_BYTES = 4 * 1024 * 1024
"""A WAL larger than this after a write is checkpointed and truncated (when readers allow)."""
JOURNAL_SIZE_LIMIT_BYTES = WAL_CHECKPOINT_BYTES
"""``PRAGMA journal_size_limit``: what SQLite truncates the WAL to when it restarts it."""
CHECKPOINT_WAIT_MS = 100
"""How long one checkpoint waits for older readers (the write lock is held meanwhile)."""
CHECKPOINT_INTERVAL_S = 1.0
"""The least time between two checkpoint attempts of one connection."""


class FileGuard:
    """The identity of a journal file, checked around writes, and its WAL kept bounded."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._name = os.path.abspath(path)  # as SQLite resolved it: a later chdir changes nothing
        self._wal = f"{self._name}-wal"
        self._identity = _identity(self._name)
        self._last_attempt = 0.0

    def check(self, what: str) -> None:
        """JournalGoneError when the path no longer names the file opened."""
        if self._identity is None:
            return  # not a file (an in-memory journal): nothing to compare
        current = _identity(self._name)
        if current == self._identity:
            return
        why = "no longer exists" if current is None else "was replaced by another file"
        raise JournalGoneError(
            f"{what} was not saved: the journal file {self.path} {why} since procedo opened it "
            "(its folder was removed, or it was moved or replaced); quit and start procedo "
            "again on the journal file"
        )

    def tidy(self, conn: sqlite3.Connection, *, after_read: bool = False) -> None:
        """Checkpoint and truncate the WAL when it has grown (never raises).

        ``after_read``: a read snapshot just ended, likely the long reader that held the WAL
        up, so the truncation is tried whatever the passive checkpoint could copy.
        """
        if self._identity is None:
            return
        try:
            size = os.stat(self._wal).st_size
        except OSError:
            return
        now = time.monotonic()
        if size <= WAL_CHECKPOINT_BYTES or now - self._last_attempt < CHECKPOINT_INTERVAL_S:
            return
        self._last_attempt = now
        with contextlib.suppress(sqlite3.Error):
            busy, frames, copied = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            if not after_read and (busy or copied < frames):
                return  # an older reader still needs those frames: it tidies once it is done
            previous = int(conn.execute("PRAGMA busy_timeout").fetchone()[0])
            conn.execute(f"PRAGMA busy_timeout = {CHECKPOINT_WAIT_MS}")
            try:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            finally:
                conn.execute(f"PRAGMA busy_timeout = {previous}")


def _identity(path: str) -> tuple[int, int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_dev, stat.st_ino
