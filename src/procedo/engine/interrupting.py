"""The drafts of interrupts and deferred items: what raising, finishing an interrupt and
deferring an item journal (:class:`Refused` when the rules in
:mod:`procedo.engine.allowed_interrupts` say no), and the queued interrupts that start by
themselves once nothing of equal or higher priority is open."""

from __future__ import annotations

from procedo.engine.allowed_interrupts import (
    defer_refusal,
    interrupt_refusal,
    success_end_refusal,
)
from procedo.engine.cleaning import clean_text
from procedo.engine.drafts import Draft
from procedo.engine.errors import Refused
from procedo.engine.fold_interrupts import after_target, must_queue
from procedo.engine.lines import lines
from procedo.engine.state import ACTIVE, RunState
from procedo.model import AfterChoice, ProcessDefinition

__all__ = ["defer_draft", "interrupt_draft", "queued_drafts", "resumed_item", "return_draft"]


def interrupt_draft(
    definition: ProcessDefinition, state: RunState, interrupt: str, item: int | None
) -> Draft:
    """The ``interrupt`` that raises ``interrupt`` (queued when one of equal or higher
    priority is open); ``item``: the line highlighted in the checklist it interrupts."""
    refusal = interrupt_refusal(definition, state, interrupt)
    if refusal:
        raise Refused(refusal)
    visit = state.current
    assert visit is not None  # said by the refusal
    if must_queue(definition, state, interrupt):
        return Draft("interrupt", interrupt, value=visit.node, reason="queued")
    shown = len(lines(definition, state))  # a deferred item that came back here is a line too
    line = item if item is not None and 0 <= item < shown else None
    return Draft("interrupt", interrupt, line, value=visit.node)


def return_draft(definition: ProcessDefinition, state: RunState, option: int | None) -> Draft:
    """The ``return`` that ends the open interrupt (``option``: the answer to its question)."""
    frame = state.frame
    if frame is None:
        raise Refused("no non-normal checklist is open")
    interrupt = definition.interrupts[frame.interrupt]
    after = interrupt.after
    if isinstance(after, AfterChoice) and option is None:
        raise Refused(f"answer the question first: {after.question}")
    try:
        target = after_target(definition, frame.interrupt, option)
    except ValueError as error:
        raise Refused(str(error)) from None
    refusal = success_end_refusal(definition, state, target)
    if refusal:
        raise Refused(refusal)
    return Draft("return", frame.interrupt, option, value=target)


def defer_draft(definition: ProcessDefinition, state: RunState, item: int, reason: str) -> Draft:
    """The ``defer`` of ``item`` of the current step, with the reason."""
    refusal = defer_refusal(definition, state, item)
    if refusal:
        raise Refused(refusal)
    visit = state.current
    assert visit is not None
    spec = definition.steps[visit.node].items[item]
    why = clean_text(reason, "reason")
    return Draft("defer", visit.node, item, value=spec.defer_to, reason=why)


def queued_drafts(definition: ProcessDefinition, state: RunState) -> tuple[Draft, ...]:
    """The ``interrupt`` of the queued interrupt that may start now (empty when none may)."""
    if state.status != ACTIVE or not state.queue or state.current is None:
        return ()
    if state.current.node in definition.ends:
        return ()
    ranked = sorted(state.queue, key=lambda q: (definition.interrupts[q.interrupt].rank, q.seq))
    head = ranked[0]
    if must_queue(definition, state, head.interrupt):
        return ()
    return (Draft("interrupt", head.interrupt, resumed_item(state), value=state.current.node),)


def resumed_item(state: RunState) -> int | None:
    """The item the operator was on at the current visit, when the run has just come back
    to it from an interrupt (``resume_at``): a queued interrupt that starts by itself then
    interrupts that item, so that its return lands there too (None: none, or elsewhere)."""
    visit = state.current
    resume = state.resume_at
    if visit is None or resume is None or resume[0] != visit.index:
        return None
    return resume[1]
