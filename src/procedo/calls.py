"""Called runs: a calling step's child run started (or found again), the parent going on once
the child has ended, and the innermost open run of a chain of calls.

This sits beside the workspace (it reads the catalog and the journal); the rules of a call
are the engine's (:meth:`procedo.engine.Run.end_call`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from procedo.engine import Refused, RunError
from procedo.engine.values import normalise_value

if TYPE_CHECKING:
    from procedo.engine import Run, RunState
    from procedo.model import ProcessDefinition
    from procedo.workspace import Workspace

MAX_DEPTH = 20
"""Calls inside calls followed at most (validation refuses a call cycle; a stored definition
of an older file might still hold one)."""


def passed_inputs(parent: Run, child: ProcessDefinition) -> dict[str, str]:
    """The child's start inputs the parent run holds a value for (the same id) that fits
    the input (its kind, range or choices): one that does not is asked like a missing one,
    or the child could never start."""
    scope = parent.scope()
    given: dict[str, str] = {}
    for key, spec in child.inputs.items():
        if key not in scope:
            continue
        try:
            normalise_value(spec, scope[key])
        except RunError:
            continue
        given[key] = scope[key]
    return given


def missing_inputs(workspace: Workspace, parent: Run) -> list[str]:
    """The ids of the called process's start inputs that the parent cannot pass down."""
    call = parent.open_call()
    if call is None:
        return []
    loaded = workspace.process(call[1])
    if loaded is None:
        return []
    given = passed_inputs(parent, loaded.definition)
    return [key for key in loaded.definition.inputs if key not in given]


def child_status(workspace: Workspace, run_id: str) -> str | None:
    """The status of a run in the journal (None when there is no such run)."""
    rows = workspace.journal.rows("SELECT status FROM runs WHERE id = ?", (run_id,))
    return str(rows[0]["status"]) if rows else None


def start_child(
    workspace: Workspace, parent: Run, operator: str, inputs: dict[str, str] | None = None
) -> Run:
    """Start the child run of the parent's open call (``inputs``: what the parent cannot pass
    down, asked of the operator). The child is pinned to the called process as the
    processes folder has it now, as any run is."""
    call = parent.open_call()
    if call is None:
        raise Refused("no call is waiting to start here")
    child_id, process_id, step = call
    loaded = workspace.process(process_id)
    if loaded is None:
        raise Refused(
            f"the called process {process_id!r} is not in {workspace.paths.processes}: "
            "add it, or abort this run"
        )
    given = passed_inputs(parent, loaded.definition)
    given.update(inputs or {})
    return workspace.journal.start_run(
        loaded,
        operator,
        practice=parent.state.practice,
        inputs=given,
        run_id=child_id,
        parent=(parent.run_id, step),
    )


def settle(workspace: Workspace, parent: Run) -> bool:
    """If the parent's open call has a child that has ended, go on in the parent (journaled);
    True when it did."""
    call = parent.open_call()
    if call is None:
        return False
    status = child_status(workspace, call[0])
    if status not in ("completed", "aborted"):
        return False
    _, child = workspace.journal.load_state(call[0])
    parent.end_call(child)
    return True


def innermost(workspace: Workspace, run_id: str) -> str:
    """The run to open for ``run_id``: following each open call down to a child that has
    not ended (the run itself when it calls nothing)."""
    current = run_id
    for _ in range(MAX_DEPTH):
        _, state = workspace.journal.load_state(current)
        visit = state.calling_visit()
        if visit is None or visit.child_run is None:
            return current
        if child_status(workspace, visit.child_run) not in ("active", "paused"):
            return current
        current = visit.child_run
    return current


def chain(workspace: Workspace, state: RunState) -> list[RunState]:
    """The run's ancestors, outermost first, then the run (for a breadcrumb)."""
    found = [state]
    for _ in range(MAX_DEPTH):
        parent = found[0].parent_run
        if parent is None or child_status(workspace, parent) is None:
            break
        _, parent_state = workspace.journal.load_state(parent)
        found.insert(0, parent_state)
    return found
