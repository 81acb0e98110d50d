"""The non-normal procedures of a handbook page: one section per ``[interrupts.ID]``.

They follow the ends, highest priority first. Each section says its priority (a ``Priority``
field, which makes the section a non-normal procedure for the importer), who does it, where it
applies (``During``: links to its nodes, or ``anywhere``), its instructions and checklist, and
what happens after it (``After``: back to where the run was, a link to a node, or its question
with one option a line), in the conventions of docs/import.md, so ``procedo import`` reads it
back to the same interrupt.
"""

from __future__ import annotations

from procedo.markdown_text import (
    AFTER_NODE_NOTE,
    ANYWHERE,
    ANYWHERE_NOTE,
    PRIORITY_NOTE,
    RETURN_NOTE,
    RETURN_WORDS,
    guard_arrows,
)
from procedo.model import ProcessDefinition
from procedo.model.definition import RETURN, AfterChoice, Interrupt
from procedo.render.handbook_text import (
    anchor,
    checklist_lines,
    escape_line,
    field_lines,
    link,
    role_lines,
    text_lines,
)
from procedo.render.interrupt_graph import by_priority


def _target(definition: ProcessDefinition, target: str) -> str:
    return RETURN_WORDS if target == RETURN else link(definition, target)


def _during(definition: ProcessDefinition, interrupt: Interrupt) -> str:
    if not interrupt.during:
        return ANYWHERE + ANYWHERE_NOTE
    known = set(definition.node_ids())
    return ", ".join(
        link(definition, n) if n in known else escape_line(n, also=",", start=False)
        for n in interrupt.during
    )


def _after(definition: ProcessDefinition, interrupt: Interrupt) -> list[str]:
    after = interrupt.after
    if not isinstance(after, AfterChoice):
        note = RETURN_NOTE if after == RETURN else AFTER_NODE_NOTE
        return field_lines("After", _target(definition, after) + note)
    out = field_lines("After", escape_line(after.question, start=False))
    for option in after.options:
        label = guard_arrows(escape_line(option.label))
        out.append(f"- {label} → {_target(definition, option.next)}")
    return [*out, ""]


def interrupt_section(definition: ProcessDefinition, key: str, interrupt: Interrupt) -> list[str]:
    """The section of one non-normal procedure."""
    out = [f"## {anchor(key)}{escape_line(interrupt.title, start=False)}", ""]
    out += field_lines("Priority", interrupt.priority + PRIORITY_NOTE)
    out += role_lines(definition, interrupt.role)
    out += field_lines("During", _during(definition, interrupt))
    if interrupt.instructions:
        out += [*text_lines(interrupt.instructions), ""]
    out += checklist_lines(definition, interrupt.items)
    return out + _after(definition, interrupt)


def interrupt_lines(definition: ProcessDefinition) -> list[str]:
    """Every non-normal procedure's section, highest priority first (none without any)."""
    out: list[str] = []
    for key in by_priority(definition):
        out += interrupt_section(definition, key, definition.interrupts[key])
    return out
