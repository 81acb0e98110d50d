"""The terminal map's part for the non-normal checklists, drawn under the flow.

Under a heading, each interrupt (highest priority first) is one line, ``! Fire alarm ·
warning · Operator``, then where it may happen (``at: Release stored energy, Verify``, or ``at
any step or decision``) and where it leads: ``then ↩ back to where the run was``, ``then →``
an end or a node (drawn here when the flow did not draw it yet), or its question with one
branch per option. With a run, ``▶`` marks an interrupt the run is in and ``✓`` one it went
through; one whose nodes the run can no longer reach is ``unreachable``.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

from procedo.model import ProcessDefinition
from procedo.model.placeholders import fill
from procedo.render.interrupt_graph import (
    ANYWHERE,
    HEADING,
    INTERRUPT_SIGN,
    InterruptExit,
    InterruptNode,
    interrupt_nodes,
    return_text,
)
from procedo.render.map_lines import MapStyle

if TYPE_CHECKING:
    from procedo.render.text_map import _Drawer

BRANCH, LAST_BRANCH = "├─ ", "└─ "
RAIL, NO_RAIL = "│  ", "   "
INDENT = "    "
"""Where an interrupt's own lines start (under its title, past the run's mark)."""


def interrupt_style(drawer: _Drawer, node: InterruptNode) -> MapStyle:
    """Current when the run is in it, visited when it went through it, else possible while
    one of its nodes can still be reached (or it may happen anywhere)."""
    if node.id in drawer.here:
        return "current"
    if node.id in drawer.visited:
        return "visited"
    ahead = drawer.ahead
    if ahead is None or not node.during or any(n in ahead for n in node.during):
        return "possible"
    return "unreachable"


def targets_ahead(
    definition: ProcessDefinition, ahead: Collection[str], here: Collection[str]
) -> list[str]:
    """The nodes that the interrupts which may still happen lead to: those the run is in, those
    that may happen anywhere and those with a node still ``ahead``."""
    found: list[str] = []
    for key, interrupt in definition.interrupts.items():
        if key in here or not interrupt.during or any(n in ahead for n in interrupt.during):
            found.extend(interrupt.targets())
    known = set(definition.node_ids())
    return [t for t in dict.fromkeys(found) if t in known]


def draw_interrupts(drawer: _Drawer) -> None:
    """Add the interrupts' lines to the drawer's (nothing when the process has none)."""
    nodes = interrupt_nodes(drawer.definition)
    if not nodes:
        return
    drawer.emit(f"{INTERRUPT_SIGN} {HEADING}, highest priority first:", "possible")
    for node in nodes:
        style = interrupt_style(drawer, node)
        head = f"{drawer.mark(node.id)}{INTERRUPT_SIGN} {fill(node.title, drawer.values)}"
        head += f" · {node.priority}"
        if node.role_name and drawer.roles:
            head += f" · {node.role_name}"
        drawer.emit(head, style)  # no node: an interrupt is not a node of the flow
        if node.during:
            where = ", ".join(drawer.title(n) for n in node.during)
            drawer.emit(f"{INDENT}at: {where}", style)
        else:
            drawer.emit(f"{INDENT}{ANYWHERE}", style)
        if node.question is None:
            for exit_ in node.exits:
                _exit(drawer, exit_, f"{INDENT}then ", INDENT + "  ", style)
            continue
        drawer.emit(f"{INDENT}then ◇ {fill(node.question, drawer.values)}", style)
        for index, exit_ in enumerate(node.exits):
            last = index == len(node.exits) - 1
            head = f"{INDENT}{LAST_BRANCH if last else BRANCH}{exit_.label} "
            _exit(drawer, exit_, head, INDENT + (NO_RAIL if last else RAIL), style)


def _exit(drawer: _Drawer, exit_: InterruptExit, head: str, indent: str, style: MapStyle) -> None:
    """One way on: back, an end as a leaf, a node drawn elsewhere, or a node drawn here."""
    target = exit_.target
    if target is None:
        drawer.emit(f"{head}→ {return_text()}", style)
        return
    reached, mark = style, ""
    went = style in ("current", "visited")  # the run went through this interrupt
    if went and drawer.style(target) in ("current", "visited"):
        reached, mark = drawer.style(target), drawer.mark(target)
    if drawer.definition.kind_of(target) == "end":
        drawer.emit(f"{head}→ {mark}{drawer.label(target)}", reached, target)
    elif target in drawer.drawn:
        drawer.emit(f"{head}→ {mark}↪ {drawer.title(target)}", reached, target)
    else:
        drawer.emit(f"{head}→", style)
        drawer.draw_from(target, indent)
