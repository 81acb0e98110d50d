"""The run screen at a calling step: the called run shown over its parent with a breadcrumb,
the parent going on where the child's end leads, leaving and resuming a chain of calls (also
after the app was killed in the middle of the child), a called process missing."""

from __future__ import annotations

from pathlib import Path

import pytest

from procedo.journal import Journal
from procedo.tui.screens.home import HomeScreen
from procedo.tui.screens.run import RunScreen
from procedo.tui.screens.summary import SummaryScreen
from tui_branch_support import start_request, to_call
from tui_support import (
    act_as_next_role,
    app_for,
    fill_step,
    first_new_option,
    make_paths,
    walk_to_end,
    widget_text,
)

BREADCRUMB = "Lockout/tagout before machine maintenance › Prove a voltage tester (live, dead, live)"


@pytest.fixture(autouse=True)
def _operator(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROCEDO_OPERATOR", "Tess")  # the one at the keyboard: no "who?" dialog


def kinds(journal: Journal, run_id: str) -> list[str]:
    return [event.kind for event in journal.events(run_id)]


async def test_lockout_runs_its_tester_proving_and_goes_on_at_verify_zero(tmp_path: Path) -> None:
    paths = make_paths(tmp_path)
    app = app_for(paths, start=start_request("lockout-tagout"))
    async with app.run_test(size=(110, 32)) as pilot:
        parent = await to_call(pilot)
        child = app.screen
        assert isinstance(child, RunScreen) and child is not parent
        assert child.run.definition.id == "tester-proving"
        assert child.run.state.parent_run == parent.run.run_id
        assert widget_text(app, "#breadcrumb") == BREADCRUMB
        assert not parent.query_one("#breadcrumb").display  # nobody called the parent
        passed = await walk_to_end(pilot, first_new_option, keys=False, leave_called=False)
        assert passed[0] == "inspect"
        summary = app.screen
        assert isinstance(summary, SummaryScreen) and summary.run.run_id == child.run.run_id
        await pilot.press("enter")  # leaving the child's summary: back in the parent
        await pilot.pause()
        assert app.screen is parent
        assert parent.run.state.current_node == "verify-zero"
        assert "now: Verify zero energy" in widget_text(app, "#status")
        with Journal(paths.db) as journal:
            parent_kinds = kinds(journal, parent.run.run_id)
            child_kinds = kinds(journal, child.run.run_id)
        assert child_kinds[:2] == ["start", "called_by"] and child_kinds[-1] == "finish"
        assert parent_kinds.count("call") == 1 and parent_kinds[-1] == "call_end"


async def test_q_in_the_child_pauses_both_and_home_resumes_the_child(tmp_path: Path) -> None:
    paths = make_paths(tmp_path)
    app = app_for(paths, start=start_request("lockout-tagout"))
    async with app.run_test(size=(110, 32)) as pilot:
        parent = await to_call(pilot)
        child = app.screen
        assert isinstance(child, RunScreen)
        parent_id, child_id = parent.run.run_id, child.run.run_id
        await pilot.press("q")
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        with Journal(paths.db) as journal:
            assert kinds(journal, child_id)[-1] == "pause"
            assert kinds(journal, parent_id)[-1] == "pause"
        listed = [(run.run_id, run.status) for run in home._unfinished]
        assert listed == [(parent_id, "paused")]  # the child is not listed apart from it
        app.resume_run(parent_id)
        await pilot.pause()
        top = app.screen
        assert isinstance(top, RunScreen) and top.run.run_id == child_id
        assert top.run.state.status == "active"
        below = app.screen_stack[-2]
        assert isinstance(below, RunScreen) and below.run.run_id == parent_id
        assert below.run.state.status == "active"
        assert widget_text(app, "#breadcrumb") == BREADCRUMB


async def test_killed_in_the_child_a_new_app_opens_it_and_its_end_settles_the_parent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = make_paths(tmp_path)
    app = app_for(paths, start=start_request("lockout-tagout"))
    async with app.run_test(size=(110, 32)) as pilot:
        parent = await to_call(pilot)
        child = app.screen
        assert isinstance(child, RunScreen)
        await act_as_next_role(pilot, keys=False)
        await fill_step(pilot, keys=False)  # the child's first step done
        parent_id, child_id = parent.run.run_id, child.run.run_id
        for screen in (parent, child):  # killed: nothing is paused or released on the way out
            screen._released = True
    monkeypatch.setattr("procedo.journal.lease.pid_alive", lambda pid: False)  # it is dead

    again = app_for(paths, resume=parent_id)
    async with again.run_test(size=(110, 32)) as pilot:
        await pilot.pause()
        top = again.screen
        assert isinstance(top, RunScreen) and top.run.run_id == child_id
        assert not top.read_only
        assert top.run.state.current_node == "prove"  # where the child was
        assert widget_text(again, "#breadcrumb") == BREADCRUMB
        await walk_to_end(pilot, first_new_option, keys=False, leave_called=False)
        assert isinstance(again.screen, SummaryScreen)
        again.screen.action_home()
        await pilot.pause()
        back = again.screen
        assert isinstance(back, RunScreen) and back.run.run_id == parent_id
        assert back.run.state.current_node == "verify-zero"
    with Journal(paths.db) as journal:
        assert "call_end" in kinds(journal, parent_id)


async def test_a_called_process_missing_from_the_folder_leaves_the_parent_waiting(
    tmp_path: Path,
) -> None:
    paths = make_paths(tmp_path)
    app = app_for(paths, start=start_request("lockout-tagout"))
    async with app.run_test(size=(110, 32)) as pilot:
        # removed while the run is open (a file missing at the start makes the caller invalid)
        (paths.processes / "tester-proving.toml").unlink()
        app.workspace.reload()
        parent = await to_call(pilot)
        assert app.screen is parent  # no child screen
        status = widget_text(app, "#status")
        assert "the called process 'tester-proving' is not in" in status
        assert parent.run.state.current_node == "prove-tester"
        call = parent.run.open_call()
        assert call is not None
        parent.action_complete()  # c again: the same clear refusal, nothing more journaled
        await pilot.pause()
        assert "is not in" in widget_text(app, "#status")
        with Journal(paths.db) as journal:
            assert kinds(journal, parent.run.run_id).count("call") == 1
            assert not journal.rows("SELECT id FROM runs WHERE id = ?", (call[0],))
