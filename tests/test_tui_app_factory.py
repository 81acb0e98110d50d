"""make_app opens the workspace before the app exists: no screen sees an app without one."""

from __future__ import annotations

from pathlib import Path

import pytest

from procedo.journal import JournalError
from procedo.tui import make_app
from procedo.tui.screens.fatal import FatalApp
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


async def test_the_fatal_app_says_why_and_quits_on_q() -> None:
    app = FatalApp("procedo cannot use its journal.\n\nit is damaged")
    async with app.run_test(size=(80, 20)) as pilot:
        await pilot.pause()
        assert "it is damaged" in widget_text(app, "#fatal-message")
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0
