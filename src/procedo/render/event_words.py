"""Events and checklist items in words, for the exports, ``show`` and the run detail: a
node's or an interrupt's title, an item's text and unit, and what an event did (plain text:
each face escapes it or shows it literally)."""

from __future__ import annotations

from collections.abc import Mapping

from procedo.engine import Event
from procedo.model import ProcessDefinition
from procedo.model.placeholders import fill
from procedo.render.branch_record import branch_label, flow_words
from procedo.render.interrupt_record import checklist, event_words, title_of
from procedo.render.signature_record import signature_words
from procedo.safe_text import visible


def unit_of(definition: ProcessDefinition, node: str | None, item: int | None) -> str:
    """The unit of a checklist item (``V``, ``°C``), or empty."""
    step = checklist(definition, node)
    if step is None or item is None or not 0 <= item < len(step.items):
        return ""
    return step.items[item].unit or ""


def with_unit(value: str, unit: str) -> str:
    """``12.5 V``: a recorded value and its unit."""
    return f"{value} {unit}" if unit and value else value


def item_number(index: int | None) -> int | None:
    """The number an item has on screen: its 0-based index plus 1."""
    return None if index is None else index + 1


def when(iso: str | None) -> str:
    """``2026-11-25 09:30:00`` from a journal timestamp."""
    return visible(iso[:19].replace("T", " ")) if iso else ""


def node_title(definition: ProcessDefinition, node: str | None) -> str:
    """The title of a step, an end or an interrupt, or the question of a decision."""
    return title_of(definition, node)


def item_text(definition: ProcessDefinition, node: str | None, item: int | None) -> str:
    """The text of a checklist item (of a step or an interrupt)."""
    step = checklist(definition, node)
    if step is None or item is None or not 0 <= item < len(step.items):
        return "" if item is None else f"item {item + 1}"
    return step.items[item].text


def describe(
    definition: ProcessDefinition, event: Event, values: Mapping[str, str] | None = None
) -> str:
    """What an event did, in words: on a branch after its title (``[Prepare the laptop]``),
    with the split, the join or the call it made; ``values`` (the run's, by id) fill the
    ``{id}`` placeholders of the titles and item texts it names."""
    flow = flow_words(definition, event)
    if event.kind in ("call", "called_by", "call_end"):
        return branch_label(definition, event.branch) + flow
    return branch_label(definition, event.branch) + _words(definition, event, values or {}) + flow


def _words(definition: ProcessDefinition, event: Event, values: Mapping[str, str]) -> str:
    said = event_words(definition, event, values) or signature_words(definition, event, values)
    if said is not None:
        return said
    title = fill(node_title(definition, event.node), values)
    item = fill(item_text(definition, event.node, event.item), values)
    return {
        "start": f"started at {title}",
        "check": f"ticked {item}",
        "uncheck": f"cleared {item}",
        "record": f"recorded {item}",
        "na": f"marked not applicable: {item}",
        "note": f"note on {item or title or 'the run'}",
        "complete": f"completed {title}",
        "choose": f"chose at {title}" + (" (overriding the suggestion)" if event.reason else ""),
        "auto_choose": f"chosen by the process at {title}",
        "basis": f"values read at {title}" + (f" ({event.reason})" if event.reason else ""),
        "remind_ack": f"acknowledged the reminder {event.value or ''!r} ({event.item})"
        + (f" at {title}" if event.node else ""),
        "input": f"start input {event.node}",
        "deviation": f"accepted a deviation: {item}"
        if event.reason
        else f"deviation routed: {item}",
        "inactive": f"inactive: {item}",
        "back": f"went back from {title} to {fill(node_title(definition, event.value), values)}",
        "handover": "handed over",
        "accept_role": f"acted as {definition.role_name(event.value)}",
        "pause": "paused",
        "resume": "resumed",
        "takeover": "took the run over",
        "abort": f"aborted at {title}" if title else "aborted",
        "finish": f"finished at {title}",
    }.get(event.kind, event.kind)
