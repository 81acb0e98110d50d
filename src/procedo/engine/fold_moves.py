"""How a run's positions move: entering a node, leaving one, splitting into a parallel block's
branches and joining them again (the fold's primitives, used by its event handlers)."""

from __future__ import annotations

from procedo.engine.errors import ReplayError
from procedo.engine.events import Event
from procedo.engine.state import (
    ARRIVED,
    OPEN,
    SPLIT,
    Position,
    RunState,
    Visit,
    branch_key,
    node_role,
    parent_key,
)
from procedo.engine.stints import Stint, leave
from procedo.model import ProcessDefinition


def await_role(position: Position, definition: ProcessDefinition, node: str) -> None:
    """Moving to ``node``: a hand-over point opens when its role is not the one acting.

    A node without a role is done by whoever has the run and changes nothing.
    """
    role = node_role(definition, node)
    position.awaiting_role = role if role is not None and role != position.acting_role else None


def enter(
    state: RunState,
    definition: ProcessDefinition,
    node: str,
    event: Event,
    touched: set[int],
    move: bool = True,
    position: Position | None = None,
) -> None:
    """Move a position (the one in focus unless given) to ``node``: a split opens the block's
    branches, a branch's move to its join waits there for its siblings."""
    position = position if position is not None else state.position
    try:
        kind = definition.kind_of(node)
    except KeyError:
        raise ReplayError(f"event {event.seq} moves to {node!r}, which is not a node") from None
    if position.block is not None and definition.parallel[position.block].join == node:
        _arrive(state, definition, position, event, touched)
        return
    visit = Visit(len(state.visits), node, kind, event.seq, state.last_ms, position.branch)
    state.visits.append(visit)
    position.path.append(visit.index)
    touched.add(visit.index)
    state.focus = position.branch
    if kind == "parallel":
        _split(state, definition, position, visit, event, touched)
        return
    if move:
        await_role(position, definition, node)
    state.stints.append(Stint(visit.index, node, state.last_ms))
    position.stint = len(state.stints) - 1


def _split(
    state: RunState,
    definition: ProcessDefinition,
    position: Position,
    visit: Visit,
    event: Event,
    touched: set[int],
) -> None:
    """Open a block's branches; the position waits for them at the block's join."""
    visit.left_ms, visit.outcome = state.last_ms, "split"
    position.status, position.stint, position.awaiting_role = SPLIT, None, None
    block = definition.parallel[visit.node]
    keys = [branch_key(position.branch, visit.node, n) for n in range(1, len(block.branches) + 1)]
    if any(key in state.positions for key in keys):
        raise ReplayError(f"event {event.seq} opens block {visit.node!r}, which is open already")
    for key in keys:
        state.positions[key] = Position(key, acting_role=position.acting_role, block=visit.node)
    for key, first in zip(keys, block.branches, strict=True):
        branch = state.positions.get(key)
        if branch is not None and branch.status == OPEN and not branch.path:
            enter(state, definition, first, event, touched, position=branch)
    _focus_first_open(state, keys[0])


def _arrive(
    state: RunState,
    definition: ProcessDefinition,
    position: Position,
    event: Event,
    touched: set[int],
) -> None:
    """A branch reaches its join: the join opens on the parent once every sibling is there."""
    position.status, position.arrived_ms = ARRIVED, state.last_ms
    position.stint, position.awaiting_role = None, None
    parent = parent_key(position.branch)
    siblings = [
        p
        for p in state.positions.values()
        if p.block == position.block and parent_key(p.branch) == parent
    ]
    if any(p.status != ARRIVED for p in siblings):
        _focus_first_open(state, position.branch)
        return
    for sibling in siblings:
        del state.positions[sibling.branch]
    opener = state.positions[parent]
    opener.status = OPEN
    join = definition.parallel[position.block or ""].join
    enter(state, definition, join, event, touched, position=opener)


def _focus_first_open(state: RunState, preferred: str) -> None:
    """Focus ``preferred`` when it is open, else the first open position under it, else the
    first open one (a branch at its join, a split waiting: the work is elsewhere)."""
    opened = state.open_positions()
    for position in opened:
        if position.branch == preferred or position.branch.startswith(preferred + "/"):
            state.focus = position.branch
            return
    if opened:
        state.focus = opened[0].branch


def leave_visit(
    state: RunState,
    touched: set[int],
    outcome: str,
    next_node: str | None = None,
    position: Position | None = None,
) -> Visit:
    position = position if position is not None else state.position
    visit = state.current_of(position.branch)
    if visit is None:
        raise ReplayError("the run has no current node")
    visit.left_ms = state.last_ms
    visit.outcome = outcome
    visit.next_node = next_node
    if outcome == "completed":  # a deferred item not done at its step follows the run on
        for deferral in state.deferrals:
            if deferral.open and deferral.to == visit.node and deferral.shown_at(visit):
                deferral.passed = True
    if position.stint is not None:
        leave(state.stints[position.stint], state.last_ms, outcome, next_node)
        position.stint = None
    touched.add(visit.index)
    return visit


def open_stint(state: RunState) -> Stint:
    stint = state.position.stint
    if stint is None:
        raise ReplayError("the run has no current node")
    return state.stints[stint]
