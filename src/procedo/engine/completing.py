"""What completing a step writes: the items switched off, the deviations routed by the flow,
then ``complete`` (or ``call`` when the step runs another process); and the same for the end
of an interrupt's checklist before its ``return``."""

from __future__ import annotations

import uuid

from procedo.engine import judge
from procedo.engine.drafts import Draft
from procedo.engine.errors import Refused
from procedo.engine.interrupting import return_draft
from procedo.engine.lines import lines
from procedo.engine.refusals import call_refusal, complete_refusal
from procedo.engine.state import RunState, Visit
from procedo.model import ProcessDefinition, Step


def complete_drafts(
    definition: ProcessDefinition, state: RunState, step: Step, visit: Visit
) -> list[Draft]:
    """The events that complete ``step`` (the current step, at ``visit``); :class:`Refused`
    when it cannot be completed now (its called run open, items open, a deviation not
    explained, a sign-off not given)."""
    refusal = call_refusal(definition, state) or complete_refusal(definition, state, step, visit)
    if refusal:
        raise Refused(refusal)
    drafts: list[Draft] = []
    checks = judge.check_lines(definition, state)
    for line, check in zip(lines(definition, state), checks, strict=True):
        mark = line.mark  # a deferred item done here is judged as at its own step
        if not check.active:
            drafts.append(Draft("inactive", line.node, line.index))
        elif check.deviation and mark.deviation_reason is None:  # routed: refused above if not
            drafts.append(Draft("deviation", line.node, line.index, value=mark.value))
    if step.call is not None:  # the step's own items are done: its called run starts
        child = str(uuid.uuid4())
        return [*drafts, Draft("call", visit.node, value=child, reason=step.call)]
    return [*drafts, Draft("complete", visit.node, value=step.next)]


def return_drafts(
    definition: ProcessDefinition, state: RunState, option: int | None
) -> list[Draft]:
    """The events that finish the open interrupt (``option``: the answer to its question):
    its items switched off, then ``return``; :class:`Refused` while its checklist is not
    done."""
    step = definition.checklists.get(state.current_node) if state.current_node else None
    visit = state.current
    refusal = (
        complete_refusal(definition, state, step, visit)
        if step is not None and visit is not None
        else ""
    )
    if refusal:
        raise Refused(refusal)
    drafts: list[Draft] = []
    if visit is not None:
        for index, check in enumerate(judge.check_current_items(definition, state)):
            if not check.active:
                drafts.append(Draft("inactive", visit.node, index))
    return [*drafts, return_draft(definition, state, option)]
