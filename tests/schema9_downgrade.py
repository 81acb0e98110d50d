"""Take a journal of schema 9 back to schema 8 (for the tests of older journals upgrading)."""

from __future__ import annotations

import sqlite3

from procedo.journal.schema_v9 import V9_INDEXES, V9_TABLES


def drop_schema_9(conn: sqlite3.Connection) -> None:
    """Drop what migration 9 adds (the signers' tables, their triggers, one index) and say
    the file is of schema 8; a file already older is left as it is."""
    if conn.execute("PRAGMA user_version").fetchone()[0] < 9:
        return
    for index in V9_INDEXES:
        conn.execute(f"DROP INDEX IF EXISTS {index}")
    for table in V9_TABLES:
        conn.execute(f"DROP TABLE IF EXISTS {table}")  # its triggers go with it
    conn.execute("PRAGMA user_version = 8")
