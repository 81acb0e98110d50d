"""Review finding: a calling step whose run holds a value under the id of one of the called
process's start inputs passes it down as it is. When that value does not fit the input (a
text where a number is asked, a number out of its range), the child run can never start:
``calls.start_child`` is refused every time, and the input is not among those asked of the
operator (``calls.missing_inputs``), so the parent stays at the step (back and the checklist
are refused while its call is open) until it is aborted."""

from __future__ import annotations

from pathlib import Path

from procedo import calls
from procedo.config import Paths
from procedo.workspace import Workspace

PARENT = """
[process]
id = "parent"
title = "Parent"
start = "measure"

[steps.measure]
title = "Measure"
next = "ask"
items = [{ text = "How many were counted", record = "text", id = "count" }]

[steps.ask]
title = "Ask the child"
call = "child"
next = "done"
items = ["Get ready"]

[ends.done]
title = "Done"
outcome = "success"
"""

CHILD = """
[process]
id = "child"
title = "Child"
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


def _paths(tmp_path: Path) -> Paths:
    folder = tmp_path / "processes"
    folder.mkdir()
    (folder / "parent.toml").write_text(PARENT, "utf-8")
    (folder / "child.toml").write_text(CHILD, "utf-8")
    return Paths(processes=folder, db=tmp_path / "journal.db")


def test_a_value_the_called_process_refuses_is_asked_instead(tmp_path: Path) -> None:
    with Workspace(_paths(tmp_path)) as workspace:
        parent = workspace.start_run("parent", "Ann")
        parent.record(0, "a dozen")  # text: the child's input of that id is a number
        parent.complete()
        parent.check(0)
        parent.complete()  # the call
        assert parent.open_call() is not None
        assert calls.missing_inputs(workspace, parent) == ["count"]
        child = calls.start_child(workspace, parent, "Ann", {"count": "4"})
        assert child.state.inputs == {"count": "4"}
        assert child.state.parent_run == parent.run_id


def test_a_value_that_fits_is_still_passed_down(tmp_path: Path) -> None:
    with Workspace(_paths(tmp_path)) as workspace:
        parent = workspace.start_run("parent", "Ann")
        parent.record(0, "7")
        parent.complete()
        parent.check(0)
        parent.complete()
        assert calls.missing_inputs(workspace, parent) == []
        child = calls.start_child(workspace, parent, "Ann")
        assert child.state.inputs == {"count": "7"}
