"""The fold of the events that link a run to the runs it calls: ``call``, ``call_end`` and,
in the called run, ``called_by``."""

from __future__ import annotations

from procedo.engine.errors import ReplayError
from procedo.engine.events import Event
from procedo.engine.fold_moves import enter, leave_visit
from procedo.engine.state import RunState, Visit
from procedo.model import ProcessDefinition, Step


def _calling_step(
    state: RunState, definition: ProcessDefinition, event: Event
) -> tuple[Visit, Step]:
    visit = state.current
    step = definition.steps.get(event.node or "")
    if visit is None or step is None or visit.node != event.node or step.call is None:
        raise ReplayError(f"event {event.seq} ({event.kind}) is not about the current calling step")
    return visit, step


def on_call(
    state: RunState, definition: ProcessDefinition, event: Event, touched: set[int]
) -> None:
    visit, step = _calling_step(state, definition, event)
    if visit.child_run is not None and visit.child_outcome is None:
        raise ReplayError(f"event {event.seq} calls again while the called run is open")
    if not event.value or event.reason != step.call:
        raise ReplayError(f"event {event.seq} calls {event.reason!r}, not {step.call!r}")
    visit.child_run, visit.child_outcome = event.value, None
    touched.add(visit.index)


def on_call_end(
    state: RunState, definition: ProcessDefinition, event: Event, touched: set[int]
) -> None:
    visit, _ = _calling_step(state, definition, event)
    if visit.child_run is None or visit.child_outcome is not None:
        raise ReplayError(f"event {event.seq} ends a call that is not open")
    if event.reason not in ("success", "failure", "aborted"):
        raise ReplayError(f"event {event.seq} ends a call with {event.reason!r}")
    visit.child_outcome = event.reason
    touched.add(visit.index)
    if event.reason == "aborted":
        return  # the step stays open: call again, or go on otherwise
    if not event.value:
        raise ReplayError(f"event {event.seq} ends a call without a node to go on to")
    leave_visit(state, touched, "completed", event.value)
    enter(state, definition, event.value, event, touched)


def on_called_by(
    state: RunState, definition: ProcessDefinition, event: Event, touched: set[int]
) -> None:
    if event.seq != 2 or not event.value or not event.node:
        raise ReplayError(f"event {event.seq} links a parent run out of place")
    state.parent_run, state.parent_step = event.value, event.node
