"""What the maps say of the non-normal checklists (``[interrupts.ID]``), as plain lines.

An interrupt is drawn beside the flow: where it may happen (its ``during`` nodes, or any step
or decision) and where it leads once done (back to where the run was, a node, or a question
whose options choose between the two), with its priority. The Mermaid, DOT and text maps all
take their words from here, so they say the same thing; each escapes them for its format.
"""

from __future__ import annotations

from dataclasses import dataclass

from procedo.model import Item, ProcessDefinition
from procedo.model.definition import RETURN, AfterChoice, Interrupt

INTERRUPT_SIGN = "!"
"""The sign of a non-normal checklist (the key that raises one in a run)."""
RETURN_SIGN = "↩"
RETURN_TEXT = "back to where the run was"
"""Where an ``after = "return"`` leads (the exact node and item, every mark as it was)."""
ANYWHERE = "at any step or decision"
"""Where an interrupt without ``during`` may happen."""
HEADING = "Non-normal checklists"
"""The title of the maps' group of interrupts."""


@dataclass(frozen=True, slots=True)
class InterruptExit:
    """One way on from a non-normal checklist: its option's label (empty for a plain
    ``after``) and the node it leads to (None: back to where the run was)."""

    label: str
    target: str | None


@dataclass(frozen=True, slots=True)
class InterruptNode:
    """One non-normal checklist, as the maps draw it."""

    id: str
    title: str
    priority: str
    role_name: str
    during: tuple[str, ...]
    """The nodes it may interrupt that the definition has (empty: anywhere)."""
    question: str | None
    """The question asked when it is done (None: ``after`` is a return or a node)."""
    exits: tuple[InterruptExit, ...]
    items: tuple[Item, ...]
    role: str | None = None


def by_priority(definition: ProcessDefinition) -> list[str]:
    """The interrupt ids, highest priority first (the file's order within a priority)."""
    return sorted(definition.interrupts, key=lambda key: definition.interrupts[key].rank)


def _exits(interrupt: Interrupt, known: set[str]) -> tuple[InterruptExit, ...]:
    after = interrupt.after
    if isinstance(after, AfterChoice):
        pairs = [(o.label, o.next) for o in after.options]
    else:
        pairs = [("", after)]
    return tuple(
        InterruptExit(label, None if target == RETURN else target)
        for label, target in pairs
        if target == RETURN or target in known
    )


def interrupt_nodes(definition: ProcessDefinition) -> list[InterruptNode]:
    """Every interrupt as the maps draw it, highest priority first (unknown nodes left out)."""
    known = set(definition.node_ids())
    found = []
    for key in by_priority(definition):
        interrupt = definition.interrupts[key]
        after = interrupt.after
        found.append(
            InterruptNode(
                id=key,
                title=interrupt.title,
                priority=interrupt.priority,
                role_name=definition.role_name(interrupt.role),
                during=tuple(n for n in interrupt.during if n in known),
                question=after.question if isinstance(after, AfterChoice) else None,
                exits=_exits(interrupt, known),
                items=interrupt.items,
                role=interrupt.role,
            )
        )
    return found


def head_lines(node: InterruptNode) -> list[str]:
    """An interrupt's box: ``! Fire alarm``, ``warning · Operator``, and ``at any step or
    decision`` when it has no ``during`` (the map's dotted edges say where otherwise)."""
    second = node.priority + (f" · {node.role_name}" if node.role_name else "")
    lines = [f"{INTERRUPT_SIGN} {node.title}", second]
    if not node.during:
        lines.append(ANYWHERE)
    return lines


def exit_caption(exit_: InterruptExit) -> str:
    """The label of an edge out of an interrupt (or its question): the option's label, or
    ``then`` for a plain ``after``."""
    return exit_.label or "then"


def return_text() -> str:
    """``↩ back to where the run was``."""
    return f"{RETURN_SIGN} {RETURN_TEXT}"
