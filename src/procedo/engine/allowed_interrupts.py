"""The rules of interrupts and deferred items: which interrupts may be raised here, whether an
item may be deferred, and why a success end waits for deferred items (the messages the
operations in run.py refuse with)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from procedo.engine import judge
from procedo.engine.branches import node_title
from procedo.engine.state import ACTIVE, Deferral, RunState
from procedo.model import RETURN, ProcessDefinition
from procedo.model.placeholders import fill

__all__ = [
    "Raisable",
    "defer_refusal",
    "deferral_where",
    "interrupt_refusal",
    "raisable",
    "success_end_refusal",
]


@dataclass(frozen=True, slots=True)
class Raisable:
    """One interrupt of the process as it stands here: ``reason`` why it cannot be raised now
    ("" when it can), ``queues`` when raising it would wait for an open one."""

    interrupt: str
    reason: str = ""
    queues: bool = False


SHOWN_NODES = 3
"""How many nodes a message names before it says how many more there are."""


def _said(definition: ProcessDefinition, state: RunState, text: str) -> str:
    """A title or item text as the operator sees it (placeholders filled), quoted."""
    if "{" in text or "}" in text:
        text = fill(text, judge.scope_texts(definition, state))
    return repr(text)


def _flow_node(state: RunState) -> str | None:
    """The node of the normal flow the run is at (under every open interrupt)."""
    if state.frames:
        return state.visits[state.frames[0].returns_to].node
    return state.current_node


def interrupt_refusal(definition: ProcessDefinition, state: RunState, interrupt: str) -> str:
    """Why ``interrupt`` cannot be raised now ("" when it can)."""
    found = definition.interrupts.get(interrupt)
    if found is None:
        return f"{interrupt!r} is not a non-normal checklist of this process"
    if state.status != ACTIVE:
        return "the run is not active: resume it first" if state.status else "not started"
    title = _said(definition, state, found.title)
    if any(f.interrupt == interrupt for f in state.frames):
        return f"{title} is open already"
    if any(q.interrupt == interrupt for q in state.queue):
        return f"{title} is queued already"
    visit = state.current
    if visit is None:
        return "there is nothing here to interrupt"
    if visit.child_run is not None and visit.child_outcome is None:
        return "this step's called run is open: raise it in that run"
    node = _flow_node(state) or ""
    if found.during and node not in found.during:
        named = [_said(definition, state, node_title(definition, n)) for n in found.during]
        more = len(named) - SHOWN_NODES
        where = ", ".join(named[:SHOWN_NODES]) + (f" and {more} more" if more > 0 else "")
        return f"{title} applies only at {where}"
    if state.parallel and any(t not in definition.ends for t in found.targets()):
        return f"{title} may lead away from here: raise it outside the parallel block"
    return ""


def raisable(definition: ProcessDefinition, state: RunState) -> list[Raisable]:
    """Every interrupt of the process, highest priority first, judged here."""
    from procedo.engine.fold_interrupts import must_queue

    ranked = sorted(definition.interrupts, key=lambda k: definition.interrupts[k].rank)
    return [
        Raisable(key, interrupt_refusal(definition, state, key), must_queue(definition, state, key))
        for key in ranked
    ]


def defer_refusal(definition: ProcessDefinition, state: RunState, item: int | None) -> str:
    """Why ``item`` of the current checklist cannot be deferred ("" when it can)."""
    visit = state.current
    step = definition.steps.get(visit.node) if visit is not None else None
    if visit is None or visit.kind == "interrupt" or state.frames:
        return "the items of a non-normal checklist are done now: they cannot be deferred"
    if step is None:
        return "there is no checklist here"
    if item is None or not 0 <= item < len(step.items):
        return "only an item of this step can be deferred (a deferred one is done here or later)"
    spec, mark = step.items[item], visit.mark(item)
    text = _said(definition, state, spec.text)
    if spec.critical:
        return f"{text} is critical: it can never be deferred"
    if mark.deferred:
        return f"{text} is deferred already"
    if mark.done:
        return f"{text} is done: clear it first to defer it"
    return ""


def deferral_where(
    definition: ProcessDefinition, deferral: Deferral, values: Mapping[str, str] | None = None
) -> str:
    """Where a deferred item is to be done, for a message: "at <step title>" (its ``{id}``
    placeholders filled from ``values``) or "at any step"."""
    if deferral.to is not None and not deferral.passed:
        return f"at {fill(definition.steps[deferral.to].title, values or {})!r}"
    return "at any later step"


def success_end_refusal(definition: ProcessDefinition, state: RunState, target: str | None) -> str:
    """Why the run cannot move to ``target``: a success end while deferred items are open."""
    end = definition.ends.get(target or "")
    if end is None or not end.success or target == RETURN:
        return ""
    waiting = state.open_deferrals()
    if not waiting:
        return ""
    values = judge.scope_texts(definition, state)  # the texts as the operator sees them
    named = "; ".join(
        f"{fill(definition.steps[d.node].items[d.item].text, values)!r} (from "
        f"{fill(definition.steps[d.node].title, values)!r}, do it "
        f"{deferral_where(definition, d, values)})"
        for d in waiting[:SHOWN_NODES]
    )
    more = f" and {len(waiting) - SHOWN_NODES} more" if len(waiting) > SHOWN_NODES else ""
    count = f"{len(waiting)} deferred item{'s are' if len(waiting) != 1 else ' is'} open"
    return f"{count}: {named}{more}; the run cannot end with success before they are done"
