"""Called runs and parallel branches in the journal: the child linked to its parent, each
resumed after a crash in either, and both rebuilt from the journal as they were live."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from procedo import calls
from procedo.config import Paths
from procedo.engine import Refused, Run
from procedo.journal import Journal
from procedo.journal.verify import verify_journal
from procedo.workspace import Workspace
from test_engine_calls import CHILD, PARENT
from test_engine_parallel import ONBOARD


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    folder = tmp_path / "processes"
    folder.mkdir()
    (folder / "lockout.toml").write_text(PARENT, "utf-8")
    (folder / "tester.toml").write_text(CHILD, "utf-8")
    (folder / "onboard.toml").write_text(
        ONBOARD.replace('\n[decisions.give-up]\nquestion = "Unused"\n'
                        'options = [{ label = "Stop", next = "cancelled" }, '
                        '{ label = "Go", next = "done" }]\n', "")
        .replace('\n[ends.cancelled]\ntitle = "Cancelled"\noutcome = "failure"\n', ""),
        "utf-8",
    )  # fmt: skip
    return Paths(processes=folder, db=tmp_path / "journal.db")


def to_the_call(workspace: Workspace) -> Run:
    parent = workspace.start_run("lockout", "Ann")
    parent.check(0)
    parent.complete()
    parent.check(0)
    parent.complete()
    return parent


def reopen(workspace: Workspace, run_id: str) -> Run:
    """The run as a new session takes it over (the last one was killed: this test's process
    is its lease holder still, so a plain open would be read-only)."""
    return workspace.journal.take_over(run_id, "Ann", "crash")


def test_a_child_run_is_linked_to_its_parent_and_the_parent_goes_on(paths: Paths) -> None:
    with Workspace(paths) as workspace:
        parent = to_the_call(workspace)
        assert calls.innermost(workspace, parent.run_id) == parent.run_id  # not started yet
        child = calls.start_child(workspace, parent, "Ann")
        assert calls.innermost(workspace, parent.run_id) == child.run_id
        assert [s.run_id for s in calls.chain(workspace, child.state)] == [
            parent.run_id, child.run_id]  # fmt: skip
        child.check(0)
        child.complete()
        child.choose(0)
        assert calls.settle(workspace, parent)
        assert parent.state.current_node == "work"
        row = workspace.journal.run_row(child.run_id)
        assert (row["parent_run"], row["parent_step"]) == (parent.run_id, "prove")
        [visit] = workspace.journal.rows(
            "SELECT child_run, child_outcome, outcome FROM visits WHERE run_id = ? AND "
            "node = 'prove'", (parent.run_id,))  # fmt: skip
        assert visit == {"child_run": child.run_id, "child_outcome": "success",
                         "outcome": "completed"}  # fmt: skip
        assert verify_journal(workspace.journal).intact


def test_a_crash_before_the_child_started_starts_it_on_resume(paths: Paths) -> None:
    with Workspace(paths) as workspace:
        parent = to_the_call(workspace)
        call = parent.open_call()
    with Workspace(paths) as workspace:
        _, state = workspace.journal.load_state(parent.run_id)
        assert state.calling_visit() is not None
        assert calls.innermost(workspace, parent.run_id) == parent.run_id
        resumed = reopen(workspace, parent.run_id)
        child = calls.start_child(workspace, resumed, "Ann")
        assert call is not None and child.run_id == call[0]


def test_a_crash_after_the_child_ended_settles_the_parent_on_resume(paths: Paths) -> None:
    with Workspace(paths) as workspace:
        parent = to_the_call(workspace)
        child = calls.start_child(workspace, parent, "Ann")
        child.check(0)
        child.complete()
        child.choose(1)  # broken -> the parent's "stop" (failure)
    with Workspace(paths) as workspace:
        resumed = reopen(workspace, parent.run_id)
        assert calls.innermost(workspace, parent.run_id) == parent.run_id
        assert calls.settle(workspace, resumed)
        assert (resumed.state.status, resumed.state.end_node) == ("completed", "stop")
        assert not calls.settle(workspace, resumed)
        assert verify_journal(workspace.journal).intact


def test_a_call_to_a_process_not_in_the_folder_is_refused_with_the_reason(
    paths: Paths,
) -> None:
    with Workspace(paths) as workspace:
        parent = to_the_call(workspace)
        (paths.processes / "tester.toml").unlink()
        workspace.reload()
        with pytest.raises(Refused, match="the called process 'tester' is not in"):
            calls.start_child(workspace, parent, "Ann")


def test_a_parallel_run_rebuilt_from_the_journal_is_the_live_one(paths: Paths) -> None:
    with Workspace(paths) as workspace:
        run = workspace.start_run("onboard", "Ann")
        run.check(0)
        run.complete()
        run.check(0)
        run.switch("prepare:2/paperwork:2")
        run.record(0, "DE89370400440532013000")
        run.complete()
        live = dataclasses.asdict(run.state)
    with Journal(paths.db) as journal:
        _, state = journal.load_state(run.run_id)
        assert dataclasses.asdict(state) | {"focus": ""} == live | {"focus": ""}
        branches = journal.rows(
            "SELECT DISTINCT branch FROM events WHERE run_id = ? ORDER BY branch", (run.run_id,)
        )
        assert [b["branch"] for b in branches] == [
            None, "prepare:1", "prepare:2/paperwork:2"]  # fmt: skip
        visits = journal.rows(
            "SELECT node, branch FROM visits WHERE run_id = ? ORDER BY visit", (run.run_id,)
        )
        assert [(v["node"], v["branch"]) for v in visits][:4] == [
            ("offer", None), ("prepare", None), ("laptop", "prepare:1"),
            ("paperwork", "prepare:2")]  # fmt: skip
        assert verify_journal(journal).intact
