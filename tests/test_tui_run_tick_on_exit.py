"""The run screen's once-a-second tick, due while the app closes and the screen's widgets are
already gone, does nothing (it raised NoMatches at the end of a loaded test run)."""

from __future__ import annotations

from pathlib import Path

from procedo.tui import StartRequest
from procedo.tui.screens.run import RunScreen
from procedo.tui.widgets.run_header import RunHeader
from tui_support import app_for, make_paths


async def test_a_tick_after_the_header_is_gone_does_nothing(tmp_path: Path) -> None:
    app = app_for(make_paths(tmp_path), start=StartRequest("incident-response", "Alice", "pager"))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RunScreen)
        await screen.query_one(RunHeader).remove()
        screen._tick()  # as the interval timer calls it while the app tears the screen down
        assert not screen.query(RunHeader)
