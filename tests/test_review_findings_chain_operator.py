"""Review finding: resuming a chain of calls asks "who is going on with this run?" of the
innermost run only. The runs that called it are resumed (and later go on) under their last
operator's name: the person at the keyboard answers for the child, and the parent's
``call_end`` and every later step are journaled under someone else's name, the very thing
the question exists to prevent. Escape on the question left the parents open and active."""

from __future__ import annotations

from pathlib import Path

import pytest

from procedo.journal import Journal
from procedo.tui.screens.dialogs import TextPrompt
from procedo.tui.screens.home import HomeScreen
from procedo.tui.screens.run import RunScreen
from procedo.tui.screens.summary import SummaryScreen
from tui_branch_support import start_request, to_call
from tui_support import app_for, first_new_option, make_paths, walk_to_end


async def _leave_in_the_child(pilot) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    parent = await to_call(pilot)
    child = pilot.app.screen
    assert isinstance(child, RunScreen) and child is not parent
    ids = parent.run.run_id, child.run.run_id
    await pilot.press("q")  # both paused, home
    await pilot.pause()
    assert isinstance(pilot.app.screen, HomeScreen)
    return ids


async def test_the_one_who_resumes_a_chain_goes_on_with_every_run_of_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PROCEDO_OPERATOR", "Tess")
    paths = make_paths(tmp_path)
    app = app_for(paths, start=start_request("lockout-tagout", operator="Tess"))
    async with app.run_test(size=(110, 32)) as pilot:
        parent_id, child_id = await _leave_in_the_child(pilot)
        monkeypatch.setenv("PROCEDO_OPERATOR", "Bob")  # another person at the keyboard
        app.resume_run(parent_id)
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)
        await pilot.press("enter")  # Bob goes on
        await pilot.pause()
        top = app.screen
        assert isinstance(top, RunScreen) and top.run.run_id == child_id
        below = app.screen_stack[-2]
        assert isinstance(below, RunScreen) and below.run.run_id == parent_id
        assert top.run.state.operator == "Bob"
        assert below.run.state.operator == "Bob"
        await walk_to_end(pilot, first_new_option, keys=False, leave_called=False)
        assert isinstance(app.screen, SummaryScreen)
        app.screen.action_home()  # back in the parent: its call ends
        await pilot.pause()
    with Journal(paths.db) as journal:
        call_end = [e for e in journal.events(parent_id) if e.kind == "call_end"]
    assert [e.actor for e in call_end] == ["Bob"]


async def test_escape_on_the_question_leaves_the_whole_chain_paused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PROCEDO_OPERATOR", "Tess")
    paths = make_paths(tmp_path)
    app = app_for(paths, start=start_request("lockout-tagout", operator="Tess"))
    async with app.run_test(size=(110, 32)) as pilot:
        parent_id, child_id = await _leave_in_the_child(pilot)
        monkeypatch.setenv("PROCEDO_OPERATOR", "Bob")
        app.resume_run(parent_id)
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert not any(isinstance(s, RunScreen) for s in app.screen_stack)
    with Journal(paths.db) as journal:
        statuses = {
            row["id"]: row["status"]
            for row in journal.rows(
                "SELECT id, status FROM runs WHERE id IN (?, ?)", (parent_id, child_id)
            )
        }
    assert statuses == {parent_id: "paused", child_id: "paused"}
