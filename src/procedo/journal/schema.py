"""The journal's tables, their versions, and the checks made when a file is opened.

The schema version lives in ``PRAGMA user_version``. Version 0 with no tables is a new file and
gets the current schema; a version above ours means a newer procedo wrote the file, which we
refuse to touch. Each migration runs in one ``BEGIN IMMEDIATE`` transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import sqlite_utils

from procedo.journal.connection import describe_sqlite_error, write_transaction
from procedo.journal.errors import SchemaError

SCHEMA_VERSION = 1
OUR_TABLES = {"definitions", "runs", "events", "visits", "leases"}

_V1 = [
    """
    CREATE TABLE definitions (
        hash        TEXT PRIMARY KEY,
        process_id  TEXT NOT NULL,
        version     TEXT NOT NULL,
        title       TEXT NOT NULL,
        toml        TEXT NOT NULL,
        source_path TEXT,
        first_seen  TEXT NOT NULL
    )
    """,
    "CREATE INDEX definitions_process ON definitions(process_id)",
    """
    CREATE TABLE runs (
        id              TEXT PRIMARY KEY,
        process_id      TEXT NOT NULL,
        process_version TEXT NOT NULL,
        definition_hash TEXT NOT NULL REFERENCES definitions(hash),
        operator        TEXT NOT NULL,
        operators       TEXT NOT NULL,
        trigger         TEXT,
        practice        INTEGER NOT NULL DEFAULT 0,
        status          TEXT NOT NULL
                        CHECK (status IN ('active', 'paused', 'completed', 'aborted')),
        current_node    TEXT,
        end_node        TEXT,
        success         INTEGER,
        abort_reason    TEXT,
        started_at      TEXT NOT NULL,
        ended_at        TEXT,
        duration_ms     INTEGER,
        updated_at      TEXT NOT NULL,
        last_seq        INTEGER NOT NULL,
        last_hash       TEXT NOT NULL
    )
    """,
    "CREATE INDEX runs_started ON runs(started_at)",
    "CREATE INDEX runs_process_started ON runs(process_id, started_at)",
    "CREATE INDEX runs_status ON runs(status, started_at)",
    """
    CREATE TABLE events (
        run_id TEXT NOT NULL REFERENCES runs(id),
        seq    INTEGER NOT NULL,
        ts     TEXT NOT NULL,
        actor  TEXT NOT NULL,
        kind   TEXT NOT NULL,
        node   TEXT,
        item   INTEGER,
        value  TEXT,
        reason TEXT,
        hash   TEXT NOT NULL,
        PRIMARY KEY (run_id, seq)
    ) WITHOUT ROWID
    """,
    """
    CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
    BEGIN SELECT RAISE(ABORT, 'journal events are append-only: UPDATE is refused'); END
    """,
    """
    CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
    BEGIN SELECT RAISE(ABORT, 'journal events are append-only: DELETE is refused'); END
    """,
    """
    CREATE TABLE visits (
        run_id      TEXT NOT NULL REFERENCES runs(id),
        visit       INTEGER NOT NULL,
        process_id  TEXT NOT NULL,
        node        TEXT NOT NULL,
        kind        TEXT NOT NULL,
        entered_at  TEXT NOT NULL,
        left_at     TEXT,
        duration_ms INTEGER,
        outcome     TEXT,
        choice      INTEGER,
        next_node   TEXT,
        PRIMARY KEY (run_id, visit)
    ) WITHOUT ROWID
    """,
    "CREATE INDEX visits_process_node ON visits(process_id, node)",
    """
    CREATE TABLE leases (
        run_id      TEXT PRIMARY KEY REFERENCES runs(id),
        token       TEXT NOT NULL,
        pid         INTEGER NOT NULL,
        host        TEXT NOT NULL,
        operator    TEXT NOT NULL,
        acquired_at TEXT NOT NULL
    )
    """,
]

MIGRATIONS: dict[int, list[str]] = {1: _V1}


def _tables(conn: sqlite3.Connection) -> set[str]:
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    return {name for (name,) in rows if not name.startswith("sqlite_")}


def ensure_schema(db: sqlite_utils.Database, label: str) -> None:
    """Create or upgrade the schema; SchemaError for a foreign or newer file."""
    conn = db.conn
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = _tables(conn)
    except sqlite3.DatabaseError as error:
        raise SchemaError(
            f"cannot use {label} as a journal: {describe_sqlite_error(error)}; "
            "it was left untouched"
        ) from None
    if version > SCHEMA_VERSION:
        raise SchemaError(
            f"{label} was written by a newer procedo (journal schema {version}; this procedo "
            f"knows up to {SCHEMA_VERSION}); upgrade procedo to open it. "
            "The file was left untouched."
        )
    if version == 0 and tables:
        raise SchemaError(
            f"{label} is an SQLite database but not a procedo journal "
            f"(it has tables {', '.join(sorted(tables))}); it was left untouched"
        )
    if version > 0 and not tables >= OUR_TABLES:
        raise SchemaError(f"{label} is damaged: journal tables are missing")
    for target in range(version + 1, SCHEMA_VERSION + 1):
        _migrate(db, target, label)


def _migrate(db: sqlite_utils.Database, target: int, label: str) -> None:
    steps: list[str | Callable[[sqlite3.Connection], None]] = list(MIGRATIONS[target])
    with write_transaction(db, f"upgrading the journal {label} to schema {target}") as conn:
        current = conn.execute("PRAGMA user_version").fetchone()[0]
        if current >= target:
            return  # another process migrated it while we waited for the lock
        for step in steps:
            if callable(step):
                step(conn)
            else:
                conn.execute(step)
        conn.execute(f"PRAGMA user_version = {target}")
