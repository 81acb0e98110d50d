"""A driving window learns at once that another window took its run over: it turns read-only
with the reason, before anything more is typed into it."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from textual.widgets import Static

from procedo.journal import Journal
from procedo.tui import StartRequest
from procedo.tui.screens.run import RunScreen
from tui_support import app_for, make_paths


async def test_a_driving_window_turns_read_only_when_its_run_is_taken_over(
    tmp_path: Path,
) -> None:
    paths = make_paths(tmp_path)
    app = app_for(paths, start=StartRequest("incident-response", "Alice", "pager"))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RunScreen) and not screen.read_only
        await pilot.press("space")  # its own write: still driving
        await pilot.pause()
        screen._follow_tick()  # the journal changed, but this session still drives the run
        await pilot.pause()
        assert not screen.read_only and screen.run.state.current.mark(0).checked  # type: ignore[union-attr]
        with Journal(paths.db) as other:
            other.take_over(screen.run.run_id, "Bob", "Alice went home")
            started = time.monotonic()
            while not screen.read_only and time.monotonic() - started < 2:
                await asyncio.sleep(0.05)
            assert screen.read_only, "the take-over did not show within 2 s"
            await pilot.pause()
            assert "now driven by" in screen.read_only_reason
            banner = str(screen.query_one("#readonly-banner", Static).render())
            assert "Read-only" in banner and "now driven by" in banner
            while screen.run.state.operator != "Bob" and time.monotonic() - started < 2:
                await asyncio.sleep(0.05)
            assert screen.run.state.operator == "Bob"  # it follows the new driver
            seq = screen.run.state.last_seq
            await pilot.press("space")  # refused here, nothing written
            await pilot.pause()
            assert screen.run.state.last_seq == seq
            assert other.load_state(screen.run.run_id)[1].last_seq == seq
