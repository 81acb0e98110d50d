"""Home keeps its place: the highlighted row and focused list survive a refresh, and leaving
a run puts the operator on that run, shown paused."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable

from procedo.journal import Journal
from procedo.model import load_file
from procedo.tui.screens.home import HomeScreen
from procedo.tui.screens.run import RunScreen
from tui_support import FakeClock, app_for, make_paths


def _key(table: DataTable) -> str | None:
    return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value


async def test_home_keeps_the_highlighted_process_after_a_full_screen(tmp_path: Path) -> None:
    app = app_for(make_paths(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        processes = home.query_one("#processes", DataTable)
        await pilot.press("j", "j", "j")
        chosen = _key(processes)
        assert chosen != processes.coordinate_to_cell_key((0, 0)).row_key.value
        for key in ("d", "h", "m"):
            await pilot.press(key)
            await pilot.pause()
            assert app.screen is not home
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is home
            assert _key(processes) == chosen, f"after {key}"
            assert home.focused is processes


async def test_home_keeps_the_focused_unfinished_run_after_a_refresh(tmp_path: Path) -> None:
    paths = make_paths(tmp_path)
    with Journal(paths.db) as journal:
        for operator in ("Ann", "Ben", "Cy"):
            run = journal.start_run(
                load_file(paths.processes / "refund-approval.toml"),
                operator,
                "chargeback",
                inputs={"amount": "120"},
            )
            run.pause()
            journal.release(run.run_id)
    app = app_for(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        unfinished = home.query_one("#unfinished", DataTable)
        assert home.focused is unfinished
        await pilot.press("j", "j")
        chosen = _key(unfinished)
        await pilot.press("h")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert home.focused is unfinished and _key(unfinished) == chosen


async def test_leaving_a_run_highlights_it_paused_and_enter_resumes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PROCEDO_OPERATOR", "Tess")  # the one who paused it goes on
    paths = make_paths(tmp_path)
    with Journal(paths.db) as journal:
        old = journal.start_run(
            load_file(paths.processes / "refund-approval.toml"),
            "Ann",
            "chargeback",
            inputs={"amount": "120"},
        )
        old.pause()
        journal.release(old.run_id)
    clock = FakeClock()
    app = app_for(paths, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        app.open_start("incident-response", operator="Tess")
        await pilot.pause()
        await pilot.press("enter")  # the start dialog's defaults
        await pilot.pause()
        run_screen = app.screen
        assert isinstance(run_screen, RunScreen)
        run_id = run_screen.run.run_id
        clock.advance(6 * 60_000)
        await pilot.press("q")
        await pilot.pause()
        assert app.screen is home
        unfinished = home.query_one("#unfinished", DataTable)
        assert home.focused is unfinished and _key(unfinished) == run_id
        row = [str(c) for c in unfinished.get_row(run_id)]
        assert row[2].startswith("⏸ "), row  # paused, and said so whatever the title
        assert row[3] == "just now", row  # the pause is the last update
        other = [str(c) for c in unfinished.get_row(old.run_id)]
        assert other[2].startswith("⏸ ")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RunScreen) and app.screen.run.run_id == run_id
