"""The copy of a run's state that an operation folds its events into, adopted only once the
journal has made them durable (the old state stays untouched if anything fails)."""

from __future__ import annotations

import copy
import dataclasses

from procedo.engine import stints
from procedo.engine.state import RunState


def working_copy(state: RunState) -> RunState:
    """A copy of ``state`` that :func:`apply_event` may change without touching ``state``.

    Much cheaper than ``copy.deepcopy`` (which grew with every note and visit: 11 ms an
    operation at 10,000 events): the lists are copied, and of the visits only those the fold
    may change: the current one and the one before it on the path (*back* reopens it); a new
    visit is appended (on every position: each branch of a parallel block, each open
    interrupt). The deferrals (a handful) are copied. Earlier
    visits, notes (frozen) and item marks (the fold replaces them,
    never changes one) are shared.
    """
    fork = copy.copy(state)
    fork.operators = list(state.operators)
    fork.positions = {key: position.copy() for key, position in state.positions.items()}
    fork.frames = [
        dataclasses.replace(frame, position=frame.position.copy()) for frame in state.frames
    ]
    fork.queue = list(state.queue)
    fork.deferrals = [dataclasses.replace(deferral) for deferral in state.deferrals]
    held = [*state.positions.values(), *(frame.position for frame in state.frames)]
    fork.notes = list(state.notes)
    fork.stints = stints.copied(state.stints, (p.stint for p in held))
    fork.inputs = dict(state.inputs)
    fork.visits = list(state.visits)
    for position in held:
        for index in position.path[-2:]:
            visit = state.visits[index]
            fork.visits[index] = dataclasses.replace(visit, items=dict(visit.items))
    return fork
