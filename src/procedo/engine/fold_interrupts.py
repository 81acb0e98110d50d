"""The fold of non-normal checklists and deferred items: ``interrupt``, ``return``, ``defer``.

An interrupt opens a :class:`~procedo.engine.state.Frame` on top of the run: its checklist is
a visit of its own that the run works on until ``return``; the visits it interrupted (every
open position's, and those of the interrupts under it) get its time as paused time, so every
duration counts it to the interrupt only. ``return`` goes back to the exact visit, or, when
the interrupt's ``after`` says so, leaves every interrupted visit and moves to a node.
"""

from __future__ import annotations

from procedo.engine.errors import ReplayError
from procedo.engine.events import Event
from procedo.engine.fold_moves import enter, leave_visit
from procedo.engine.state import (
    ACTIVE,
    Deferral,
    Frame,
    ItemMark,
    Position,
    Queued,
    RunState,
    Visit,
    frame_key,
)
from procedo.engine.stints import Stint
from procedo.model import RETURN, AfterChoice, ProcessDefinition

__all__ = ["after_target", "must_queue", "on_defer", "on_interrupt", "on_return"]


def must_queue(definition: ProcessDefinition, state: RunState, interrupt: str) -> bool:
    """True when ``interrupt`` would wait: an open one has equal or higher priority."""
    top = state.frame
    if top is None:
        return False
    return definition.interrupts[top.interrupt].rank <= definition.interrupts[interrupt].rank


def after_target(definition: ProcessDefinition, interrupt: str, option: int | None) -> str:
    """Where ``return`` leads: ``"return"`` or a node (``option`` of an ``after`` question)."""
    after = definition.interrupts[interrupt].after
    if isinstance(after, AfterChoice):
        if option is None or not 0 <= option < len(after.options):
            raise ValueError(f"choose an answer from 1 to {len(after.options)}")
        return after.options[option].next
    if option is not None:
        raise ValueError("this interrupt asks no question")
    return after


def on_interrupt(
    state: RunState, definition: ProcessDefinition, event: Event, touched: set[int]
) -> None:
    interrupt = definition.interrupts.get(event.node or "")
    if interrupt is None or event.node is None:
        raise ReplayError(f"event {event.seq} raises {event.node!r}, which is not an interrupt")
    if state.status != ACTIVE:
        raise ReplayError(f"event {event.seq} raises an interrupt while the run is {state.status}")
    if any(f.interrupt == event.node for f in state.frames):
        raise ReplayError(f"event {event.seq} raises {event.node!r}, which is open already")
    waiting = next((q for q in state.queue if q.interrupt == event.node), None)
    queue = must_queue(definition, state, event.node)
    if event.reason == "queued":
        if not queue or waiting is not None:
            raise ReplayError(f"event {event.seq} queues {event.node!r} out of turn")
        state.queue.append(Queued(event.node, event.seq, event.ts, event.actor))
        return
    if queue:
        raise ReplayError(f"event {event.seq} opens {event.node!r} over a higher priority one")
    interrupted = state.current
    if interrupted is None or event.value != interrupted.node:
        raise ReplayError(f"event {event.seq} interrupts {event.value!r}, where the run is not")
    if waiting is not None:
        state.queue.remove(waiting)
    acting = interrupt.role or state.position.acting_role
    position = Position(frame_key(event.node), acting_role=acting)
    visit = Visit(len(state.visits), event.node, "interrupt", event.seq, state.last_ms)
    visit.branch = position.branch
    state.visits.append(visit)
    position.path.append(visit.index)
    state.stints.append(Stint(visit.index, event.node, state.last_ms))
    position.stint = len(state.stints) - 1
    frame = Frame(event.node, position, event.seq, state.last_ms, interrupted.index, event.item)
    state.frames.append(frame)
    state.resume_at = None
    touched.add(visit.index)


def _suspended(state: RunState) -> tuple[list[Visit], list[int | None]]:
    """The visits (and their stints) an open interrupt holds up: every open position's and
    every interrupt's under the innermost one."""
    visits = [state.visits[p.path[-1]] for p in state.open_positions()]
    stints = [p.stint for p in state.open_positions()]
    for frame in state.frames[:-1]:
        visits.append(state.visits[frame.visit])
        stints.append(frame.position.stint)
    return visits, stints


def _charge_top(state: RunState, touched: set[int]) -> None:
    """The innermost interrupt's own active time, counted as paused and interrupted time to
    every visit it holds up and as nested time to the interrupts under it (so it is counted
    once: to the interrupt, not to what it interrupted)."""
    frame = state.frames[-1]
    active = max(0, state.last_ms - frame.started_ms - frame.paused_ms - frame.nested_ms)
    visits, stints = _suspended(state)
    for visit in visits:
        visit.paused_ms += active
        visit.interrupted_ms += active
        touched.add(visit.index)
    for stint in stints:
        if stint is not None:
            state.stints[stint].paused_ms += active
    for lower in state.frames[:-1]:
        lower.nested_ms += active


def on_return(
    state: RunState, definition: ProcessDefinition, event: Event, touched: set[int]
) -> None:
    frame = state.frame
    if frame is None or event.node != frame.interrupt:
        raise ReplayError(f"event {event.seq} returns from {event.node!r}, which is not open")
    try:
        target = after_target(definition, frame.interrupt, event.item)
    except ValueError:
        raise ReplayError(f"event {event.seq} answers the interrupt's question wrongly") from None
    if event.value != target:
        raise ReplayError(f"event {event.seq} goes on at {event.value!r}, not {target!r}")
    _charge_top(state, touched)
    outcome = "returned" if target == RETURN else "after"
    leave_visit(state, touched, outcome, target, position=frame.position)
    state.frames.pop()
    if target == RETURN:
        state.resume_at = (frame.returns_to, frame.item)
        return
    bottom = state.visits[(state.frames[0] if state.frames else frame).returns_to]
    while state.frames:  # leading elsewhere closes the ones it interrupted, each timed once
        _charge_top(state, touched)
        leave_visit(state, touched, "interrupted", target, position=state.frames[-1].position)
        state.frames.pop()
    position = state.positions.get(bottom.branch)
    if position is None or state.current_of(bottom.branch) is not bottom:
        raise ReplayError(f"event {event.seq} leaves a visit that is not open")
    leave_visit(state, touched, "interrupted", target, position=position)
    enter(state, definition, target, event, touched, position=position)


def on_defer(
    state: RunState, definition: ProcessDefinition, event: Event, touched: set[int]
) -> None:
    visit = state.current
    step = definition.steps.get(event.node or "")
    if visit is None or step is None or visit.node != event.node or visit.kind != "step":
        raise ReplayError(f"event {event.seq} defers an item outside the current step")
    if event.item is None or not 0 <= event.item < len(step.items):
        raise ReplayError(f"event {event.seq} defers item {event.item}, not in the step")
    item = step.items[event.item]
    if item.critical or event.value != item.defer_to:
        raise ReplayError(f"event {event.seq} defers a critical item, or to the wrong step")
    mark = visit.mark(event.item)
    if mark.done or mark.deferred:
        raise ReplayError(f"event {event.seq} defers an item that is done or deferred")
    visit.items[event.item] = ItemMark(deferred=True, by=event.actor, at=event.ts)
    deferral = Deferral(
        event.seq,
        visit.node,
        event.item,
        visit.index,
        event.reason or "",
        item.defer_to,
        event.actor,
        event.ts,
        visit.branch,
    )
    state.deferrals.append(deferral)
    touched.add(visit.index)
