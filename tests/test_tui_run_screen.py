"""The run screen's own texts: which visit of a node this is, and a value saved unchanged."""

from __future__ import annotations

from pathlib import Path

from procedo.tui import StartRequest
from procedo.tui.screens.run import RunScreen
from tui_support import (
    act_as_next_role,
    app_for,
    fill_step,
    make_paths,
    widget_text,
)


async def test_visit_counts_the_entries_of_this_node(tmp_path: Path) -> None:
    paths = make_paths(tmp_path)
    app = app_for(paths, start=StartRequest("incident-response", "Alice", "pager"))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, RunScreen)
        assert "Visit 1" in widget_text(app, "#node-meta")
        await fill_step(pilot, keys=False)
        assert app.screen.run.state.current_node in app.screen.run.definition.decisions
        assert "Visit 1" in widget_text(app, "#node-meta"), "first arrival at the decision"
        await act_as_next_role(pilot, keys=False)
        app.screen.action_choose(0)  # customer impact: mitigate
        await pilot.pause()
        await act_as_next_role(pilot, keys=False)
        await fill_step(pilot, keys=False)
        app.screen.action_choose(1)  # not resolved, try again: mitigate once more
        await pilot.pause()
        assert app.screen.run.state.current_node == "mitigate"
        assert "Visit 2" in widget_text(app, "#node-meta")


async def test_saving_a_value_unchanged_is_a_quiet_no_op(tmp_path: Path) -> None:
    paths = make_paths(tmp_path)
    app = app_for(paths, start=StartRequest("incident-response", "Alice", "pager"))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RunScreen)
        await pilot.press("down", "down", "down", "down", "space")  # Error rate, a number
        await pilot.pause()
        await pilot.press("1", "0", "enter")
        await pilot.pause()
        seq = screen.run.state.last_seq
        await pilot.press("k", "space")  # the cursor moved on to the next open item: back up
        await pilot.pause()
        await pilot.press("enter")  # the dialog offers the current value: save it as it is
        await pilot.pause()
        assert app.screen is screen, "the dialog closed"
        assert screen.run.state.last_seq == seq, "nothing journaled"
        status = widget_text(app, "#status")
        assert "unchanged: 10 %" in status and "already" not in status
