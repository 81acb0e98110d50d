"""Take a journal of schema 8 back to schema 7 (for the tests of older journals upgrading)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from procedo.journal.schema_v8 import V8_COLUMNS, V8_INDEXES
from schema9_downgrade import drop_schema_9


@contextmanager
def views_set_aside(conn: sqlite3.Connection) -> Iterator[None]:
    """Drop the stored views, and make them again as they were on the way out: SQLite checks
    every view again at each ``ALTER TABLE ... DROP COLUMN`` (about 0.1 s each here)."""
    views = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'view'").fetchall()
    for name, _ in views:
        conn.execute(f"DROP VIEW {name}")
    yield
    for _, sql in views:
        conn.execute(sql)


def drop_schema_8(conn: sqlite3.Connection) -> None:
    """Drop what migration 8 adds (two indexes, three ``visits`` columns) and say the file is of
    schema 7; a file already older is left as it is. Migration 9 is dropped first."""
    drop_schema_9(conn)
    if conn.execute("PRAGMA user_version").fetchone()[0] < 8:
        return
    with views_set_aside(conn):
        for index in V8_INDEXES:
            conn.execute(f"DROP INDEX IF EXISTS {index}")
        for table, columns in V8_COLUMNS.items():
            for column in columns:
                conn.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    conn.execute("PRAGMA user_version = 7")
