"""A calling step whose called process needs a start input the parent has not: it is asked
(a refused value asks again), then the child starts with it; a child aborted leaves the parent
at the step, which calls again with c."""

from __future__ import annotations

from pathlib import Path

import pytest

from procedo.config import Paths
from procedo.journal import Journal
from procedo.tui import StartRequest
from procedo.tui.screens.dialogs import TextPrompt
from procedo.tui.screens.run import RunScreen
from procedo.tui.screens.summary import SummaryScreen
from tui_support import app_for, fill_step, widget_text

PARENT = """
[process]
id = "parent"
title = "Parent [b]work[/b]"
start = "ask"

[steps.ask]
title = "Ask the child"
call = "child"
outcomes = { success = "after", failure = "after" }
items = ["Get ready"]

[steps.after]
title = "After the child"
next = "done"
items = ["Wrap up"]

[ends.done]
title = "Done"
outcome = "success"
"""

CHILD = """
[process]
id = "child"
title = "Child [i]task[/i]"
start = "do"

[inputs.count]
title = "How many"
record = "number"
min = 1
max = 9

[steps.do]
title = "Do {count} things"
next = "fine"
items = ["Do them"]

[ends.fine]
title = "Fine"
outcome = "success"
"""


@pytest.fixture
def paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Paths:
    monkeypatch.setenv("PROCEDO_OPERATOR", "Tess")
    folder = tmp_path / "processes"
    folder.mkdir()
    (folder / "parent.toml").write_text(PARENT, encoding="utf-8")
    (folder / "child.toml").write_text(CHILD, encoding="utf-8")
    return Paths(processes=folder, db=tmp_path / "journal.db")


async def test_a_missing_start_input_is_asked_then_the_child_starts(paths: Paths) -> None:
    app = app_for(paths, start=StartRequest("parent", "Tess"))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        parent = app.screen
        assert isinstance(parent, RunScreen)
        await fill_step(pilot, keys=False)  # the call: the child needs "count"
        prompt = app.screen
        assert isinstance(prompt, TextPrompt)
        assert "Child [i]task[/i]: How many" in widget_text(app, ".dialog-title")
        prompt.attempt(prompt.check, "99")  # over its max: refused, asked again
        await pilot.pause()
        assert app.screen is prompt
        prompt.attempt(prompt.check, "3")
        await pilot.pause()
        child = app.screen
        assert isinstance(child, RunScreen) and child is not parent
        assert child.run.state.inputs == {"count": "3"}
        assert widget_text(app, "#breadcrumb") == "Parent [b]work[/b] › Child [i]task[/i]"


async def test_an_aborted_child_leaves_the_parent_at_the_step_which_calls_again(
    paths: Paths,
) -> None:
    app = app_for(paths, start=StartRequest("parent", "Tess"))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        parent = app.screen
        assert isinstance(parent, RunScreen)
        await fill_step(pilot, keys=False)
        prompt = app.screen
        assert isinstance(prompt, TextPrompt)
        prompt.attempt(prompt.check, "2")
        await pilot.pause()
        child = app.screen
        assert isinstance(child, RunScreen) and child.run.state.inputs == {"count": "2"}
        first = child.run.run_id
        child.act(lambda: child.run.abort("no time today"), lambda: "aborted")
        await pilot.pause()
        summary = app.screen
        assert isinstance(summary, SummaryScreen)
        summary.action_home()
        await pilot.pause()
        assert app.screen is parent
        assert parent.run.state.current_node == "ask"
        assert "was aborted: press c to run it again" in widget_text(app, "#status")
        parent.action_complete()  # c: the step calls again, a new child
        await pilot.pause()
        prompt = app.screen
        assert isinstance(prompt, TextPrompt)  # the new child needs its input too
        prompt.attempt(prompt.check, "4")
        await pilot.pause()
        again = app.screen
        assert isinstance(again, RunScreen) and again.run.run_id != first
        assert again.run.state.inputs == {"count": "4"}
    with Journal(paths.db) as journal:
        kinds = [event.kind for event in journal.events(parent.run.run_id)]
    assert kinds.count("call") == 2 and kinds.count("call_end") == 1
