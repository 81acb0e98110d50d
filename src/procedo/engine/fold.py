"""The fold: a run's state rebuilt event by event over its definition.

:func:`apply_event` changes a state in place and says which visits the event touched, so the
journal rewrites those visit rows and no others; :func:`replay` folds a whole run.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable

from procedo.engine.errors import ReplayError
from procedo.engine.events import Event
from procedo.engine.fold_calls import on_call, on_call_end, on_called_by
from procedo.engine.fold_interrupts import on_defer, on_interrupt, on_return
from procedo.engine.fold_items import (
    on_check,
    on_deviation,
    on_inactive,
    on_na,
    on_record,
    on_uncheck,
)
from procedo.engine.fold_moves import await_role, enter, leave_visit, open_stint
from procedo.engine.fold_signing import SIGNED_KINDS, check_covers, note_event, on_override, on_sign
from procedo.engine.state import (
    ABORTED,
    ACTIVE,
    COMPLETED,
    FRAME_PREFIX,
    PAUSED,
    Basis,
    Note,
    RunState,
    Visit,
    node_role,
)
from procedo.engine.stints import Stint
from procedo.model import ProcessDefinition


def _close_pause(state: RunState, touched: set[int]) -> None:
    if state.pause_started_ms is not None:
        gap = max(0, state.last_ms - state.pause_started_ms)
        state.paused_ms += gap
        held = [*state.open_positions(), *(frame.position for frame in state.frames)]
        for position in held:
            visit = state.visits[position.path[-1]]
            visit.paused_ms += gap
            if position.stint is not None:
                state.stints[position.stint].paused_ms += gap
            touched.add(visit.index)
        for frame in state.frames:
            frame.paused_ms += gap
        state.pauses = (*state.pauses, (state.pause_started_ms, state.last_ms))
        state.pause_started_ms = None


def apply_event(state: RunState, definition: ProcessDefinition, event: Event) -> set[int]:
    """Fold one event into ``state`` (in place); return the indexes of the visits it touched.

    Raises :class:`ReplayError` if the event cannot apply.
    """
    if event.seq != state.last_seq + 1:
        raise ReplayError(f"event {event.seq} follows event {state.last_seq}")
    if event.kind != "start" and not state.status:
        raise ReplayError("the first event of a run must be 'start'")
    if event.item is not None and not isinstance(event.item, int):
        raise ReplayError(f"event {event.seq} has an item that is not a number: {event.item!r}")
    try:
        moment = event.ts_ms
    except (TypeError, ValueError):
        raise ReplayError(f"event {event.seq} has an unreadable time {event.ts!r}") from None
    if event.branch is not None and event.branch.startswith(FRAME_PREFIX):
        if state.frame is None or event.branch != state.frame.key:
            raise ReplayError(f"event {event.seq} names {event.branch!r}, which is not open")
    elif event.branch is not None:
        if event.branch not in state.positions:
            raise ReplayError(f"event {event.seq} names branch {event.branch!r}, which is not open")
        if state.frames and event.kind != "interrupt":
            raise ReplayError(f"event {event.seq} is about a branch while an interrupt is open")
        state.focus = event.branch
    elif state.frames and event.kind not in _ABOUT_THE_RUN:
        raise ReplayError(f"event {event.seq} ({event.kind}) does not name the open interrupt")
    if event.kind not in ("note",):
        state.resume_at = None
    if event.kind in SIGNED_KINDS:
        check_covers(event, state.last_hash)
    state.last_seq = event.seq
    state.last_hash = event.hash
    state.last_ms = max(state.last_ms, moment)
    handler = _HANDLERS.get(event.kind)
    if handler is None:
        raise ReplayError(f"event {event.seq} has an unknown kind {event.kind!r}")
    touched: set[int] = set()
    at = state.current  # the visit the event was made at (its actor acted there)
    handler(state, definition, event, touched)
    note_event(at, event, touched)
    if event.actor and event.actor not in state.operators and event.kind != "handover":
        state.operators.append(event.actor)
    return touched


def _on_start(
    state: RunState, definition: ProcessDefinition, event: Event, touched: set[int]
) -> None:
    if state.status:
        raise ReplayError("a run can start only once")
    state.status = ACTIVE
    state.operator = event.actor
    state.trigger = event.value
    state.practice = event.reason == "practice"
    state.started_ms = state.last_ms
    state.positions[""].acting_role = node_role(definition, event.node)  # the starter acts as it
    enter(state, definition, event.node or "", event, touched, move=False)


def _on_note(
    state: RunState, definition: ProcessDefinition, event: Event, touched: set[int]
) -> None:
    visit = state.current if event.node is not None else None
    state.notes.append(
        Note(
            event.seq,
            event.ts,
            event.actor,
            event.value or "",
            event.node,
            event.item,
            visit.index if visit else None,
        )
    )


def _on_complete(
    state: RunState, definition: ProcessDefinition, event: Event, touched: set[int]
) -> None:
    if state.frames:
        raise ReplayError(f"event {event.seq} completes a step while an interrupt is open")
    leave_visit(state, touched, "completed", event.value)
    enter(state, definition, event.value or "", event, touched)


def _decision_visit(state: RunState, definition: ProcessDefinition, event: Event) -> Visit:
    visit = state.current
    if visit is None or visit.node not in definition.decisions or visit.node != event.node:
        raise ReplayError(f"event {event.seq} ({event.kind}) is not about the current decision")
    return visit


def _on_choose(
    state: RunState, definition: ProcessDefinition, event: Event, touched: set[int]
) -> None:
    visit = state.current
    if visit is None or visit.node not in definition.decisions or event.item is None:
        raise ReplayError(f"event {event.seq} chooses an option outside a decision")
    options = definition.decisions[visit.node].options
    if not 0 <= event.item < len(options):
        raise ReplayError(f"event {event.seq} chooses option {event.item}, which does not exist")
    target = options[event.item].next
    open_stint(state).choice = event.item
    left = leave_visit(state, touched, "chosen", target)
    left.choice = event.item
    left.chosen_by = "process" if event.kind == "auto_choose" else "operator"
    left.override_reason = event.reason if event.kind == "choose" else None
    enter(state, definition, target, event, touched)


def _on_basis(
    state: RunState, definition: ProcessDefinition, event: Event, touched: set[int]
) -> None:
    visit = _decision_visit(state, definition, event)
    options = definition.decisions[visit.node].options
    if event.item is not None and not 0 <= event.item < len(options):
        raise ReplayError(f"event {event.seq} suggests option {event.item}, which does not exist")
    try:
        values = json.loads(event.value or "{}")
    except ValueError:
        raise ReplayError(f"event {event.seq} has values that are not JSON") from None
    if not isinstance(values, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in values.items()
    ):
        raise ReplayError(f"event {event.seq} has values that are not text by id")
    visit.basis = Basis(event.item, values, event.reason)
    touched.add(visit.index)


def _on_remind_ack(
    state: RunState, definition: ProcessDefinition, event: Event, touched: set[int]
) -> None:
    if event.item is None or event.item < 1:
        raise ReplayError(f"event {event.seq} acknowledges a reminder without its number")
    if state.finished:
        raise ReplayError(f"event {event.seq} acknowledges a reminder of a finished run")
    key = -1
    if event.node:
        held = [*state.open_positions(), *(frame.position for frame in state.frames)]
        found = [v for p in held if (v := state.visits[p.path[-1]]).node == event.node]
        if not found:
            raise ReplayError(f"event {event.seq} acknowledges a reminder of {event.node!r}, "
                              "where the run is not")  # fmt: skip
        key = found[-1].index
    acked = state.reminders_acked
    state.reminders_acked = {**acked, key: max(acked.get(key, 0), event.item)}


def _on_input(
    state: RunState, definition: ProcessDefinition, event: Event, touched: set[int]
) -> None:
    if event.node not in definition.inputs:
        raise ReplayError(f"event {event.seq} gives {event.node!r}, which is not an input")
    if event.value is None:
        raise ReplayError(f"event {event.seq} gives no value for {event.node!r}")
    state.inputs[event.node] = event.value


def _on_back(
    state: RunState, definition: ProcessDefinition, event: Event, touched: set[int]
) -> None:
    path = state.path
    if len(path) < 2 or state.visits[path[-2]].kind == "parallel":
        raise ReplayError(f"event {event.seq} goes back from the first node")
    position = state.position
    left = leave_visit(state, touched, "back", event.value)
    path.pop()
    # what was deferred in the visit left is undone with it; what was done in it is open again
    state.deferrals = [d for d in state.deferrals if d.visit != left.index]
    for deferral in state.deferrals:
        if deferral.done_visit == left.index:
            deferral.mark, deferral.done_visit = None, None
    previous = state.current
    assert previous is not None
    previous.left_ms = None
    previous.outcome = None
    previous.next_node = None
    previous.choice = None
    previous.basis = None
    previous.chosen_by = None
    previous.override_reason = None
    # the step is open again: what its completion said (switched off, a routed deviation)
    # no longer holds; its ticks and values stay
    previous.items = {
        index: dataclasses.replace(mark, inactive=False)
        for index, mark in previous.items.items()
        if not (mark.inactive and not mark.checked and mark.na_reason is None)
    }
    state.stints.append(Stint(previous.index, previous.node, state.last_ms, returned=True))
    position.stint = len(state.stints) - 1
    touched.update((left.index, previous.index))
    await_role(position, definition, previous.node)


def _on_handover(
    state: RunState, definition: ProcessDefinition, event: Event, touched: set[int]
) -> None:
    state.operator = event.value or state.operator
    position = state.position
    if position.awaiting_role is not None:  # handing over at a hand-over point answers it
        position.acting_role, position.awaiting_role = position.awaiting_role, None
    if state.operator not in state.operators:
        state.operators.append(state.operator)


def _on_accept_role(
    state: RunState, definition: ProcessDefinition, event: Event, touched: set[int]
) -> None:
    if state.awaiting_role is None or event.value != state.awaiting_role:
        raise ReplayError(f"event {event.seq} accepts a role the run was not waiting for")
    if event.node != state.current_node:
        raise ReplayError(f"event {event.seq} accepts a role at a node the run is not at")
    position = state.position
    position.acting_role, position.awaiting_role = position.awaiting_role, None


def _on_pause(
    state: RunState, definition: ProcessDefinition, event: Event, touched: set[int]
) -> None:
    state.status = PAUSED
    state.pause_started_ms = state.last_ms


def _on_resume(
    state: RunState, definition: ProcessDefinition, event: Event, touched: set[int]
) -> None:
    _close_pause(state, touched)
    state.status = ACTIVE


def _on_takeover(
    state: RunState, definition: ProcessDefinition, event: Event, touched: set[int]
) -> None:
    state.operator = event.actor


def _on_abort(
    state: RunState, definition: ProcessDefinition, event: Event, touched: set[int]
) -> None:
    _close_pause(state, touched)
    state.status = ABORTED
    state.abort_reason = event.reason
    state.ended_ms = state.last_ms
    state.success = False
    for frame in reversed(state.frames):
        leave_visit(state, touched, "aborted", position=frame.position)
    state.frames.clear()
    state.queue.clear()
    for position in state.open_positions():
        leave_visit(state, touched, "aborted", position=position)


def _on_finish(
    state: RunState, definition: ProcessDefinition, event: Event, touched: set[int]
) -> None:
    node = event.node or ""
    if node not in definition.ends:
        raise ReplayError(f"event {event.seq} finishes at {node!r}, which is not an end")
    state.status = COMPLETED
    state.queue.clear()  # what waited is not needed once the run has ended
    state.end_node = node
    state.success = definition.ends[node].success
    state.ended_ms = state.last_ms
    if state.current_node != node:
        raise ReplayError(f"event {event.seq} finishes at {node!r}, where the run is not")
    reached = state.position
    leave_visit(state, touched, "finished")
    for position in state.open_positions():  # a branch that reaches an end ends the run
        if position is not reached:
            leave_visit(state, touched, "ended", position=position)


_HANDLERS = {
    "start": _on_start,
    "check": on_check,
    "uncheck": on_uncheck,
    "record": on_record,
    "na": on_na,
    "note": _on_note,
    "complete": _on_complete,
    "choose": _on_choose,
    "auto_choose": _on_choose,
    "basis": _on_basis,
    "input": _on_input,
    "deviation": on_deviation,
    "inactive": on_inactive,
    "back": _on_back,
    "handover": _on_handover,
    "accept_role": _on_accept_role,
    "pause": _on_pause,
    "resume": _on_resume,
    "takeover": _on_takeover,
    "abort": _on_abort,
    "finish": _on_finish,
    "call": on_call,
    "call_end": on_call_end,
    "called_by": on_called_by,
    "interrupt": on_interrupt,
    "return": on_return,
    "defer": on_defer,
    "remind_ack": _on_remind_ack,
    "sign": on_sign,
    "override": on_override,
}

_ABOUT_THE_RUN = frozenset(
    {
        "note",
        "handover",
        "pause",
        "resume",
        "takeover",
        "abort",
        "interrupt",
        "return",
        "remind_ack",
    }
)
"""Events that may leave out the open interrupt's key (they are about the whole run)."""


def replay(
    definition: ProcessDefinition,
    definition_hash: str,
    run_id: str,
    events: Iterable[Event],
) -> RunState:
    """Rebuild a run's state from its events."""
    state = RunState.blank(run_id, definition.id, definition.version, definition_hash)
    for event in events:
        apply_event(state, definition, event)
    return state
