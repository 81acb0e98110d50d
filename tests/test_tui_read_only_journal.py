"""A journal that can only be read (read-only media, a file without write access): review only."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from textual.widgets import DataTable

from procedo.journal import Journal
from procedo.model import load_file
from procedo.tui.screens.history import HistoryScreen
from procedo.tui.screens.home import HomeScreen
from procedo.tui.screens.run import RunScreen
from tui_support import (
    app_for,
    make_paths,
)
from tui_support import (
    static_text as _text,
)


def _archive(tmp_path: Path) -> tuple[Path, str]:
    paths = make_paths(tmp_path)
    with Journal(paths.db) as journal:
        loaded = load_file(paths.processes / "incident-response.toml")
        run = journal.start_run(loaded, "Ann", "pager")
        run.check(0)
        run.pause()
        journal.release(run.run_id)
        journal.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for suffix in ("-wal", "-shm"):
        Path(f"{paths.db}{suffix}").unlink(missing_ok=True)
    return paths.db, run.run_id


async def test_a_journal_that_cannot_be_written_opens_for_review(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As on read-only media (simulated as in test_journal_faults): review, never edit."""
    _archive(tmp_path)
    real_connect = sqlite3.connect

    def no_write_access(target: str, *args: object, **kwargs: object) -> sqlite3.Connection:
        if not kwargs.get("uri"):
            raise sqlite3.OperationalError("unable to open database file")
        return real_connect(target, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(sqlite3, "connect", no_write_access)
    app = app_for(make_paths(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        banner = _text(home, "#readonly-journal")
        assert "Read-only journal: review only (the folder cannot be written)" in banner
        home.query_one("#processes", DataTable).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is home  # no start screen
        assert any("review only" in n.message for n in app._notifications)
        home.query_one("#unfinished", DataTable).focus()
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RunScreen) and screen.read_only
        assert "review only" in _text(screen, "#readonly-banner")
        assert "take it over" not in _text(screen, "#readonly-banner")
        seq = screen.run.state.last_seq
        for key in ("space", "x", "c", "n", "b", "o", "a", "t", "delete"):
            screen.show_status("")
            await pilot.press(key)
            await pilot.pause()
            assert app.screen is screen, key  # no dialog opened
            assert "review only" in _text(screen, "#status"), key
        assert screen.run.state.last_seq == seq
        await pilot.press("q")  # leaves it as it was: nothing to pause in an archive
        await pilot.pause()
        assert app.screen is home
        await pilot.press("h")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        assert app.screen.query_one("#runs", DataTable).row_count == 1


def test_a_journal_file_that_cannot_be_written_is_opened_for_review(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from procedo.workspace import open_journal

    db = tmp_path / "journal.db"
    Journal(db).close()
    journal, reason = open_journal(db)
    journal.close()
    assert reason == ""
    monkeypatch.setattr("procedo.workspace.os.access", lambda path, mode: False)
    journal, reason = open_journal(db)
    journal.close()
    assert reason == "the journal file cannot be written"
