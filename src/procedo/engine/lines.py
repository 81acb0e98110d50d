"""The lines of the current checklist: the step's (or interrupt's) own items, then the deferred
items that come back in it. A screen numbers them in that order; the engine turns a line back
into the step and item index its events name."""

from __future__ import annotations

from dataclasses import dataclass

from procedo.engine.state import Deferral, ItemMark, RunState
from procedo.model import Item, ProcessDefinition

__all__ = ["Line", "line_at", "lines"]


@dataclass(frozen=True, slots=True)
class Line:
    """One line of the current checklist. ``node`` and ``index`` are what its events name:
    the current node and the line number for an own item, the item's own step and index for
    a deferred item (``deferral`` set)."""

    spec: Item
    mark: ItemMark
    node: str
    index: int
    deferral: Deferral | None = None

    @property
    def carried(self) -> bool:
        """True for a deferred item that comes back here."""
        return self.deferral is not None


def lines(definition: ProcessDefinition, state: RunState) -> list[Line]:
    """Every line of the current checklist (empty at a decision or an end)."""
    visit = state.current
    step = definition.checklists.get(visit.node) if visit is not None else None
    if visit is None or step is None:
        return []
    own = [Line(spec, visit.mark(i), visit.node, i) for i, spec in enumerate(step.items)]
    for deferral in state.carried(visit):
        spec = definition.steps[deferral.node].items[deferral.item]
        mark = deferral.mark or ItemMark()
        own.append(Line(spec, mark, deferral.node, deferral.item, deferral))
    return own


def line_at(definition: ProcessDefinition, state: RunState, item: int) -> Line | None:
    """Line ``item`` (0-based) of the current checklist, if there is one."""
    found = lines(definition, state)
    return found[item] if 0 <= item < len(found) else None
