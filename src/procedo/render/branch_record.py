"""The record of parallel branches and calls in words, for the exports, ``show`` and the run
detail: a branch by its title (``[Prepare the laptop]``, the title of the branch's first
node), the split and the join, the ``call`` / ``called_by`` / ``call_end`` events, and the
runs a run called (plain text: each face escapes or shows it literally)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from procedo.engine import Event, RunState
from procedo.engine.state import FRAME_PREFIX
from procedo.model import ProcessDefinition
from procedo.render.md_cells import code, md, table


def _title(definition: ProcessDefinition, node: str | None) -> str:
    if not node:
        return ""
    try:
        found = definition.node(node)
    except KeyError:
        return node
    return str(getattr(found, "title", None) or getattr(found, "question", None) or node)


def branch_title(definition: ProcessDefinition, key: str | None) -> str:
    """The title of a branch (``prepare:1`` or ``prepare:2/paperwork:1``): its first node's
    title; an open interrupt's (``!fire``): the interrupt's title; the key itself when the
    definition has no such block; empty on the main line."""
    if not key:
        return ""
    if key.startswith(FRAME_PREFIX) and key[1:] in definition.interrupts:
        return definition.interrupts[key[1:]].title
    block, _, number = key.rpartition("/")[2].rpartition(":")
    parallel = definition.parallel.get(block)
    if parallel is None or not number.isdigit() or not 1 <= int(number) <= len(parallel.branches):
        return key
    return _title(definition, parallel.branches[int(number) - 1])


def branch_label(definition: ProcessDefinition, key: str | None) -> str:
    """``[Prepare the laptop] `` before what happened on a branch (empty on the main line)."""
    title = branch_title(definition, key)
    return f"[{title}] " if title else ""


def flow_words(definition: ProcessDefinition, event: Event) -> str:
    """What an event says of the flow beyond the usual words: the split it made, the join
    its branch arrived at, a call, its end, a run's parent (empty when nothing)."""
    target = _moved_to(definition, event)
    if target:
        if target in definition.parallel:
            return f"; split into {definition.parallel[target].title}"
        if target in definition.joins and event.branch:
            return f"; arrived at the join {_title(definition, target)}"
    if event.kind == "call":
        return f"called {event.reason or ''} at {_title(definition, event.node)}: run {event.value}"
    if event.kind == "called_by":
        return f"called by run {event.value} at its step {event.node}"
    if event.kind == "call_end":
        on = f", on to {_title(definition, event.value)}" if event.value else ", stays here"
        return f"the called run ended {event.reason} at {_title(definition, event.node)}{on}"
    return ""


def _moved_to(definition: ProcessDefinition, event: Event) -> str:
    """The node a ``complete`` or a choice moved the run to (empty otherwise)."""
    if event.kind == "complete":
        return event.value or ""
    decision = definition.decisions.get(event.node or "")
    if event.kind not in ("choose", "auto_choose") or decision is None or event.item is None:
        return ""
    return decision.options[event.item].next if 0 <= event.item < len(decision.options) else ""


@dataclass(frozen=True, slots=True)
class CallEntry:
    """A run that a calling step of this run called, as the run's events have it."""

    step: str
    step_title: str
    process_id: str
    run_id: str
    outcome: str | None
    """success, failure or aborted; None while the called run is open."""


def call_entries(definition: ProcessDefinition, events: Iterable[Event]) -> list[CallEntry]:
    """Every call the run made, in order, with the outcome its ``call_end`` gave."""
    entries: list[CallEntry] = []
    for event in events:
        if event.kind == "call" and event.value:
            entries.append(
                CallEntry(
                    step=event.node or "",
                    step_title=_title(definition, event.node),
                    process_id=event.reason or "",
                    run_id=event.value,
                    outcome=None,
                )
            )
        elif event.kind == "call_end":
            for index in range(len(entries) - 1, -1, -1):
                if entries[index].step == event.node and entries[index].outcome is None:
                    found = entries[index]
                    entries[index] = CallEntry(
                        found.step, found.step_title, found.process_id, found.run_id, event.reason
                    )
                    break
    return entries


def call_line(entry: CallEntry) -> str:
    """``Prove the tester (prove) called tester: run 1234…, success``."""
    outcome = entry.outcome or "still open"
    return (
        f"{entry.step_title} ({entry.step}) called {entry.process_id}: run {entry.run_id}, "
        f"{outcome}"
    )


def parent_line(state: RunState) -> str:
    """``called by run 1234… at its step prove`` (empty for a run nothing called)."""
    if state.parent_run is None:
        return ""
    return f"called by run {state.parent_run} at its step {state.parent_step or ''}"


def calls_markdown(definition: ProcessDefinition, events: Iterable[Event]) -> list[str]:
    """The Markdown section of the runs this run called (none: no section)."""
    entries = call_entries(definition, events)
    if not entries:
        return []
    rows = [
        [
            md(e.step_title),
            code(e.step),
            code(e.process_id),
            code(e.run_id),
            md(e.outcome or "still open"),
        ]
        for e in entries
    ]
    return ["## Called runs", "", *table(["Step", "Id", "Process", "Run", "Outcome"], rows)]
