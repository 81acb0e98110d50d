"""The home screen: every column at any size, and the files that could not be loaded."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from procedo.journal import Journal
from procedo.model import load_file
from procedo.tui.screens.home import HomeScreen
from procedo.tui.screens.problems import ProblemsScreen
from tui_support import (
    FakeClock,
    app_for,
    make_paths,
    settle,
    widget_text,
)


@pytest.mark.parametrize("size", [(100, 30), (80, 24), (125, 30)])
async def test_home_shows_every_column(tmp_path: Path, size: tuple[int, int]) -> None:
    paths = make_paths(tmp_path)
    loaded = load_file(paths.processes / "incident-response.toml")
    with Journal(paths.db) as journal:
        journal.clock = FakeClock(step=1000)
        run = journal.start_run(loaded, "Alexandra Operator-Smith", "pager")
        run.check(0)
        run.pause()
        journal.release(run.run_id)
    app = app_for(paths)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await settle(pilot)
        unfinished = widget_text(app, "#unfinished")
        for header in ("Process", "Operator", "Stopped at", "Updated"):
            assert header in unfinished, (header, unfinished)
        processes = widget_text(app, "#processes")
        for header in ("Process", "Version", "Steps", "Last run", "Success"):
            assert header in processes, (header, processes)


def _broken_folder(tmp_path: Path) -> Path:
    paths = make_paths(tmp_path)
    (paths.processes / "a.toml").write_text("[process\nid = 1\n", encoding="utf-8")
    (paths.processes / "b.toml").write_text('[process]\nid = "b"\n', encoding="utf-8")
    return paths.processes


async def test_home_names_the_files_that_could_not_be_loaded_and_v_lists_why(
    tmp_path: Path,
) -> None:
    _broken_folder(tmp_path)
    app = app_for(make_paths(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        broken = home.query_one("#broken-files", Static)
        assert broken.display and broken.region.y < 24 and broken.region.height >= 1
        assert "2 process files could not be loaded: a.toml, b.toml · v to see why" in str(
            broken.render()
        )
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, ProblemsScreen)
        listed = str(app.screen.query_one(Static).render())
        assert "a.toml:1:" in listed and "TOML syntax error" in listed
        assert "/b.toml:" in listed
        await pilot.press("escape")
        await pilot.pause()
        (paths_folder := tmp_path / "processes" / "a.toml").unlink()
        assert not paths_folder.exists()
        await pilot.press("r")
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert "Processes reloaded: 8 loaded, 1 could not be loaded" in messages
