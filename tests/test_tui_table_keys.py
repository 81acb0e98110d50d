"""Table keys: j/k move in the history table, end/home on the home screen's tables."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable

from procedo.journal import Journal
from procedo.model import load_file
from procedo.tui.screens.history import HistoryScreen
from tui_support import (
    app_for,
    make_paths,
)


async def test_j_k_move_in_history_and_end_home_on_home(tmp_path: Path) -> None:
    paths = make_paths(tmp_path)
    with Journal(paths.db) as journal:
        loaded = load_file(paths.processes / "incident-response.toml")
        for name in ("Ann", "Ben", "Cid"):
            journal.start_run(loaded, name, "pager").abort("test")
    app = app_for(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        processes = app.screen.query_one("#processes", DataTable)
        processes.focus()
        await pilot.press("end")
        assert processes.cursor_row == processes.row_count - 1 > 0
        await pilot.press("home")
        assert processes.cursor_row == 0
        await pilot.press("h")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        runs = app.screen.query_one("#runs", DataTable)
        assert runs.row_count == 3 and runs.cursor_row == 0
        await pilot.press("j", "j")
        assert runs.cursor_row == 2
        await pilot.press("k")
        assert runs.cursor_row == 1
