"""Opening a journal of an older schema upgrades it, which takes a while on a large one: the
home says so (and paints it) before the upgrade blocks, and the lists follow."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from textual.widgets import DataTable, Static

from procedo.journal import SCHEMA_VERSION, Journal
from procedo.journal.schema import needs_upgrade
from procedo.model import load_file
from procedo.tui import make_app
from procedo.tui.screens.home import UPGRADING
from schema5_downgrade import drop_schema_5
from tui_support import FakeClock, make_paths

REPO = Path(__file__).resolve().parent.parent


def _schema_3_journal(db: Path) -> None:
    """A journal as schema 3 left it (no run path, no map indexes), with one run."""
    with Journal(db) as journal:
        journal.start_run(load_file(REPO / "processes" / "incident-response.toml"), "Ann", "pager")
    conn = sqlite3.connect(db)
    drop_schema_5(conn)
    conn.execute("DROP INDEX runs_paths")
    conn.execute("DROP INDEX visits_moves")
    conn.execute("ALTER TABLE runs DROP COLUMN path")
    conn.execute("PRAGMA user_version = 3")
    conn.commit()
    conn.close()


def test_needs_upgrade_only_for_an_older_journal(tmp_path: Path) -> None:
    db = tmp_path / "journal.db"
    assert not needs_upgrade(db)  # missing: nothing to upgrade (and nothing created)
    assert not db.exists()
    _schema_3_journal(db)
    assert needs_upgrade(db)
    Journal(db).close()  # upgraded
    assert not needs_upgrade(db)
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"not a database " * 20)
    assert not needs_upgrade(broken)  # opening it says what is wrong


async def test_the_home_says_it_upgrades_the_journal_before_it_does(tmp_path: Path) -> None:
    paths = make_paths(tmp_path)
    _schema_3_journal(paths.db)
    app = make_app(paths, clock=FakeClock(step=0), defer_load=True)
    said: list[str] = []
    original = app.workspace.open

    def open_workspace() -> None:
        said.append(str(app.screen.query_one("#processes-label", Static).render()))
        original()

    app.workspace.open = open_workspace  # type: ignore[method-assign]
    async with app.run_test(size=(100, 30)) as pilot:
        while not app.workspace_ready or not app.screen.query_one("#processes", DataTable).rows:
            await pilot.pause()
        assert said == [UPGRADING]
        assert str(app.screen.query_one("#processes-label", Static).render()) == "Processes (8)"
    conn = sqlite3.connect(paths.db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.close()
