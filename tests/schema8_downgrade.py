"""Take a journal of schema 8 back to schema 7 (for the tests of older journals upgrading)."""

from __future__ import annotations

import sqlite3

from procedo.journal.schema_v8 import V8_COLUMNS, V8_INDEXES
from schema9_downgrade import drop_schema_9


def drop_schema_8(conn: sqlite3.Connection) -> None:
    """Drop what migration 8 adds (two indexes, three ``visits`` columns) and say the file is of
    schema 7; a file already older is left as it is. Migration 9 is dropped first."""
    drop_schema_9(conn)
    if conn.execute("PRAGMA user_version").fetchone()[0] < 8:
        return
    for index in V8_INDEXES:
        conn.execute(f"DROP INDEX IF EXISTS {index}")
    for table, columns in V8_COLUMNS.items():
        for column in columns:
            conn.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    conn.execute("PRAGMA user_version = 7")
