"""The summary's non-normal checklists of the run (title, when, what it interrupted, how long,
how it ended), as literal parts for :func:`procedo.tui.text.line` (the deferred items are
:mod:`procedo.tui.screens.summary_deferrals`'s)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from procedo.engine import RunState
from procedo.engine.events import Event
from procedo.model import RETURN, ProcessDefinition
from procedo.tui.interrupt_view import PRIORITY_WORDS, title_of
from procedo.tui.text import duration

Parts = list[str | tuple[str, str]]


def _clock(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%H:%M:%S")


def interrupt_parts(
    d: ProcessDefinition, s: RunState, texts: dict[str, str], events: Sequence[Event] = ()
) -> Parts:
    """``Non-normal checklists``: each raised one with its priority, when it started, what it
    interrupted (read from its ``interrupt`` event, when ``events`` are given), how long it
    took and how it ended."""
    raised = {e.seq: e for e in events if e.kind == "interrupt" and e.reason != "queued"}
    queued = {e.node for e in events if e.kind == "interrupt" and e.reason == "queued"}
    visits = [v for v in s.visits if v.kind == "interrupt"]
    if not visits:
        return []
    parts: Parts = ["\n\n", ("Non-normal checklists", "bold")]
    for visit in visits:
        interrupt = d.interrupts[visit.node]
        parts += ["\n  ", (f"{PRIORITY_WORDS[interrupt.priority]} ", "$text-muted")]
        parts += [
            (interrupt.title, "bold"),
            (f"  at {_clock(visit.entered_ms)} UTC", "$text-muted"),
        ]
        if visit.node in queued:
            parts.append(("  (was queued)", "$text-muted"))
        event = raised.get(visit.entered_seq)
        if event is not None and event.value:
            said = title_of(d, event.value, texts)
            if event.item is not None:
                said += f", item {event.item + 1}"
            parts += [("\n     interrupted: ", "$text-muted"), said]
        if visit.duration_ms is None:
            parts += [("\n     open", "bold $warning")]
            continue
        parts += [("\n     took ", "$text-muted"), duration(visit.duration_ms)]
        if visit.outcome == "returned" or visit.next_node == RETURN:
            parts += [("; returned", "$text-muted")]
        elif visit.outcome == "after" and visit.next_node:
            parts += [("; then went on at ", "$text-muted"), title_of(d, visit.next_node, texts)]
        elif visit.outcome == "interrupted" and visit.next_node:
            parts += [("; left for ", "$text-muted"), title_of(d, visit.next_node, texts)]
    return parts


__all__ = ["interrupt_parts"]
