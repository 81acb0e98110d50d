"""Folding an operation's drafts into a working copy of the run: each draft becomes an event
(its seq, time, actor, branch and hash), then what the process does by itself follows (automatic
choices, the finish at an end, queued interrupts that may start). The caller commits the events
to the journal and adopts the new state only once they are durable."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from procedo.engine.drafts import MAX_AUTOMATIC, Draft, automatic_drafts, branch_of
from procedo.engine.events import Event, iso_from_ms
from procedo.engine.fold import apply_event
from procedo.engine.forking import working_copy
from procedo.engine.interrupting import queued_drafts
from procedo.engine.state import ACTIVE, RunState
from procedo.model import ProcessDefinition

__all__ = ["emit"]


def emit(
    definition: ProcessDefinition,
    current: RunState,
    clock: Callable[[], int],
    drafts: Sequence[Draft],
) -> tuple[RunState, list[Event], set[int]]:
    """The new state, the events made and the visits they touched (``current`` is untouched)."""
    state = working_copy(current)
    events: list[Event] = []
    touched: set[int] = set()
    entered, awaiting, focus = len(state.visits), state.awaiting_role, state.focus

    def apply(draft: Draft) -> None:
        events.append(_apply(definition, state, clock, draft, touched))

    for draft in drafts:
        apply(draft)
    # An auto decision chooses when the run has just entered it (or its role has just been
    # taken up there): not after *back* to it (the operator looks again), nor on a note,
    # a pause or anything else done while at it. Each branch that arrived at one chooses.
    taken_up = any(d.kind in ("accept_role", "handover") for d in drafts)
    answered = taken_up and awaiting is not None and state.awaiting_role is None
    for _ in range(MAX_AUTOMATIC):
        automatic = automatic_drafts(definition, state, entered, answered, focus)
        if not automatic:
            break
        for draft in automatic:
            apply(draft)
    for position in state.open_positions():
        node = state.visits[position.path[-1]].node
        if state.status == ACTIVE and node in definition.ends:
            outcome = definition.ends[node].outcome
            apply(Draft("finish", node, value=outcome, branch=branch_of(state, position)))
            break
    for _ in range(len(state.queue)):  # queued interrupts start once nothing higher is open
        waiting = queued_drafts(definition, state)
        if not waiting:
            break
        for draft in waiting:
            apply(draft)
    return state, events, touched


def _apply(
    definition: ProcessDefinition,
    state: RunState,
    clock: Callable[[], int],
    draft: Draft,
    touched: set[int],
) -> Event:
    ms = max(clock(), state.last_ms)
    branch = draft.branch
    if branch is None and state.frames:
        branch = state.frames[-1].key
    elif branch is None and state.parallel:
        branch = state.focus
    event = Event(
        run_id=state.run_id,
        seq=state.last_seq + 1,
        ts=iso_from_ms(ms),
        actor=draft.actor or state.operator,
        kind=draft.kind,
        node=draft.node,
        item=draft.item,
        value=draft.value,
        reason=draft.reason,
        branch=branch or None,
    )
    event = dataclasses.replace(event, hash=event.compute_hash(state.last_hash))
    touched |= apply_event(state, definition, event)
    return event
