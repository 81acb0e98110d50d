"""A run window that only watches (another window drives the run) offers no key it cannot use."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from procedo.journal import Journal
from procedo.model import load_file
from procedo.tui.screens.help import help_rows
from procedo.tui.screens.home import HomeScreen
from procedo.tui.screens.run import RunScreen
from procedo.tui.screens.summary import SummaryScreen
from tui_support import app_for, make_paths


def held_at_a_hand_over_point(paths) -> tuple[Journal, str]:
    """Alice's window holds an incident run waiting for the incident commander."""
    holder = Journal(paths.db)
    run = holder.start_run(load_file(paths.processes / "incident-response.toml"), "Alice", "pager")
    for index in range(3):
        run.check(index)
    for index, value in ((3, "09:00"), (4, "5"), (5, "eu")):
        run.record(index, value)
    run.complete()
    assert run.state.awaiting_role == "ic"
    return holder, run.run_id


async def test_a_read_only_window_says_leave_and_who_is_next_without_keys(tmp_path: Path) -> None:
    paths = make_paths(tmp_path)
    holder, run_id = held_at_a_hand_over_point(paths)
    before = len(holder.events(run_id))
    app = app_for(paths, resume=run_id)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RunScreen) and screen.read_only
        shown = {key: b.binding.description for key, b in screen.active_bindings.items()}
        assert shown["q"] == "Leave", "nothing is paused from a window that only watches"
        actions = {b.binding.action for b in screen.active_bindings.values()}
        assert not actions & {"accept_role", "hand_over", "leave"}
        assert [row for row in help_rows(screen) if row[0] == "q"] == [("q", "Leave", True)]
        point = screen.query_one("#role-point").render()
        text = str(point)
        assert "Next: Incident commander decides: Are customers affected?" in text
        assert "Waiting for Alice, who has the run" in text
        assert "I act as" not in text and "hand the run over" not in text
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    assert len(holder.events(run_id)) == before, "leaving wrote nothing"
    holder.close()


async def test_the_window_that_drives_the_run_still_pauses_and_offers_the_keys(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PROCEDO_OPERATOR", "Alice")  # Alice goes on with her own run
    paths = make_paths(tmp_path)
    holder, run_id = held_at_a_hand_over_point(paths)
    holder.release(run_id)
    holder.close()
    app = app_for(paths, resume=run_id)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RunScreen) and not screen.read_only
        shown = {key: b.binding.description for key, b in screen.active_bindings.items()}
        assert shown["q"] == "Pause"
        assert [row for row in help_rows(screen) if row[0] == "q"] == [("q", "Pause", True)]
        text = str(screen.query_one("#role-point").render())
        assert "I act as Incident commander" in text and "hand the run over" in text


async def test_a_read_only_window_follows_the_driving_one_within_two_seconds(
    tmp_path: Path,
) -> None:
    paths = make_paths(tmp_path)
    driver = Journal(paths.db)
    loaded = load_file(paths.processes / "incident-response.toml")
    run = driver.start_run(loaded, "Alice", "pager")
    run.check(0)
    app = app_for(paths, resume=run.run_id)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RunScreen) and screen.read_only
        before = screen.run.state.last_seq
        run.check(1)  # the driving window ticks the second item
        started = time.monotonic()
        while screen.run.state.last_seq == before and time.monotonic() - started < 2:
            await asyncio.sleep(0.05)
        assert time.monotonic() - started < 2, "the change did not show within 2 s"
        assert screen.run.state.current.mark(1).checked  # type: ignore[union-attr]
        await pilot.pause()
        assert "✓" in str(screen.query_one("#choices").render_line(1))  # type: ignore[attr-defined]
        run.abort("the driving window ends it")
        started = time.monotonic()
        while app.screen is screen and time.monotonic() - started < 2:
            await asyncio.sleep(0.05)
        assert isinstance(app.screen, SummaryScreen) and app.screen.run.state.status == "aborted"
    driver.close()
