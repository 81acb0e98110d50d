"""make_app opens the workspace before the app exists: no screen sees an app without one."""

from __future__ import annotations

from pathlib import Path

import pytest

from procedo.journal import JournalError
from procedo.tui import make_app
from procedo.tui.screens.fatal import FatalScreen
from tui_support import make_paths, widget_text


def test_the_app_is_built_over_an_open_workspace(tmp_path: Path) -> None:
    paths = make_paths(tmp_path)
    app = make_app(paths, clock=lambda: 1_795_000_000_000)
    try:
        assert app.workspace.paths == paths == app.paths  # before the app ever ran
        assert app.workspace.process("lab-sample-intake") is not None
        assert app.workspace.journal.clock() == 1_795_000_000_000  # one clock for both
    finally:
        app.workspace.close()


def test_a_journal_that_cannot_be_used_is_said_before_the_app_is_built(tmp_path: Path) -> None:
    paths = make_paths(tmp_path)
    paths.db.write_bytes(b"not a database, only text " * 10)
    with pytest.raises(JournalError, match="not an SQLite database"):
        make_app(paths)
    assert paths.db.read_bytes().startswith(b"not a database")  # left untouched


async def test_a_journal_that_cannot_be_used_after_the_first_frame_is_said_then_q_quits(
    tmp_path: Path,
) -> None:
    """The terminal launch opens the journal after the home's first frame: a damaged one is
    said on a screen of its own (never a traceback, never a home that looks empty)."""
    paths = make_paths(tmp_path)
    paths.db.write_bytes(b"not a database, only text " * 10)
    app = make_app(paths, defer_load=True)
    async with app.run_test(size=(80, 20)) as pilot:
        while not isinstance(app.screen, FatalScreen):
            await pilot.pause()
        text = widget_text(app, "#fatal-message")
        assert "procedo cannot use its journal" in text and "not an SQLite database" in text
        assert not app.workspace_ready
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0
    assert paths.db.read_bytes().startswith(b"not a database")  # left untouched
