"""The events an operation drafts before they are folded and journaled: what the process does
by itself (an automatic choice), and the end of a call. A draft has no seq, time or hash yet:
:meth:`procedo.engine.run.Run._emit` gives them."""

from __future__ import annotations

from dataclasses import dataclass

from procedo.engine import judge
from procedo.engine.allowed_interrupts import success_end_refusal
from procedo.engine.errors import Refused
from procedo.engine.state import Position, RunState
from procedo.model import ProcessDefinition


@dataclass(frozen=True, slots=True)
class Draft:
    """One event to be made: its kind and fields (the actor: the run's operator unless set)."""

    kind: str
    node: str | None = None
    item: int | None = None
    value: str | None = None
    reason: str | None = None
    actor: str | None = None
    branch: str | None = None


def call_end_draft(definition: ProcessDefinition, state: RunState, child: RunState) -> Draft:
    """The ``call_end`` of the open call that ``child`` answers (:class:`Refused` when no step
    waits for it, it is still open, or its end leads nowhere)."""
    found = next(
        (
            p
            for p in state.open_positions()
            if state.visits[p.path[-1]].child_run == child.run_id
            and state.visits[p.path[-1]].child_outcome is None
        ),
        None,
    )
    if found is None or child.parent_run != state.run_id:
        raise Refused(f"no step of this run waits for run {child.run_id}")
    if not child.finished:
        raise Refused("the called run is still open: finish it first")
    visit = state.visits[found.path[-1]]
    step = definition.steps[visit.node]
    if child.status != "completed":
        outcome, target = "aborted", None
    else:
        outcome = "success" if child.success else "failure"
        target = step.after_call(child.end_node or "", outcome)
        if target is None:
            raise Refused(
                f"the called run ended at {child.end_node!r}, where this step's outcomes "
                "lead nowhere"
            )
        refusal = success_end_refusal(definition, state, target)
        if refusal:
            raise Refused(refusal)
    branch = branch_of(state, found)
    return Draft("call_end", visit.node, value=target, reason=outcome, branch=branch)


MAX_AUTOMATIC = 100
"""Automatic choices in a row at most (a loop of auto decisions then waits for a person)."""


def branch_of(state: RunState, position: Position) -> str | None:
    """The branch an event about ``position`` names (None on the main line)."""
    return position.branch if state.parallel or position.branch else None


def automatic_drafts(
    definition: ProcessDefinition, state: RunState, entered: int, answered: bool, focus: str
) -> tuple[Draft, ...]:
    """The ``basis`` and ``auto_choose`` of the first auto decision a position has just
    arrived at (its visit is newer than ``entered``, or its role was just ``answered`` while
    in ``focus``); empty when every such decision must ask."""
    for position in state.open_positions():
        visit = state.visits[position.path[-1]]
        fresh = visit.index >= entered or (answered and position.branch == focus)
        decision = definition.decisions.get(visit.node)
        if not fresh or decision is None or not decision.auto:
            continue
        looked_from = state.focus
        state.focus = position.branch
        auto = judge.automatic(definition, state)
        state.focus = looked_from
        if auto is None or auto.option is None:
            continue
        if success_end_refusal(definition, state, decision.options[auto.option].next):
            continue  # deferred items are open: the operator chooses, and is told why not
        label = decision.options[auto.option].label
        branch = branch_of(state, position)
        return (
            Draft("basis", visit.node, auto.option, value=auto.values_json(), branch=branch),
            Draft("auto_choose", visit.node, auto.option, value=label, branch=branch),
        )
    return ()
