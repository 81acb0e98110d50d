"""A new journal is created with the latest schema in one go: exactly what every upgrade from
an empty file would leave (tables, indexes, views, triggers, the schema version)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

from procedo.journal import SCHEMA_VERSION, Journal
from procedo.journal.schema import _migrate

MASTER = "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"


def test_a_new_journal_has_what_every_upgrade_would_give(tmp_path: Path) -> None:
    Journal(tmp_path / "new.db").close()
    upgraded = sqlite_utils.Database(tmp_path / "upgraded.db")
    for target in range(1, SCHEMA_VERSION + 1):
        _migrate(upgraded, target, "test")
    upgraded.close()
    new, old = sqlite3.connect(tmp_path / "new.db"), sqlite3.connect(tmp_path / "upgraded.db")
    try:
        assert new.execute(MASTER).fetchall() == old.execute(MASTER).fetchall()
        version = "PRAGMA user_version"
        assert new.execute(version).fetchone() == old.execute(version).fetchone()
        assert new.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    finally:
        new.close()
        old.close()


def test_a_journal_created_meanwhile_by_another_process_is_left_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "j.db"
    with Journal(path) as first:
        first.rows("SELECT 1 AS one")
        with Journal(path) as second:  # opens the existing file: nothing is created again
            assert second.rows("PRAGMA user_version")[0]["user_version"] == SCHEMA_VERSION
