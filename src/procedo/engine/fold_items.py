"""The fold of the events about checklist items: ``check``, ``uncheck``, ``record``, ``na``,
``deviation`` and ``inactive``, on the current visit's own items or on a deferred item that
comes back in it (the event then names the item's own step and index)."""

from __future__ import annotations

import dataclasses

from procedo.engine.errors import ReplayError
from procedo.engine.events import Event
from procedo.engine.fold_moves import open_stint
from procedo.engine.state import Deferral, ItemMark, RunState, Visit
from procedo.engine.stints import Act
from procedo.model import ProcessDefinition

__all__ = ["on_check", "on_deviation", "on_inactive", "on_na", "on_record", "on_uncheck"]


class _Marks:
    """Where an item event's mark goes: the current visit's own item, or a deferred item that
    comes back in it (the event then names the item's own step and index)."""

    def __init__(self, visit: Visit, item: int, deferral: Deferral | None) -> None:
        self.visit, self.item, self.deferral = visit, item, deferral

    def get(self) -> ItemMark:
        if self.deferral is not None:
            return self.deferral.mark or ItemMark()
        return self.visit.mark(self.item)

    def put(self, mark: ItemMark | None) -> None:
        deferral = self.deferral
        if deferral is None:
            if mark is None:
                self.visit.items.pop(self.item, None)
            else:
                self.visit.items[self.item] = mark
            return
        deferral.mark = mark
        deferral.done_visit = self.visit.index if mark is not None and mark.done else None


def _carried(state: RunState, visit: Visit, event: Event) -> Deferral | None:
    """The deferred item an event names while the run is at another node (done ones first:
    an uncheck or an explanation is about one done here)."""
    shown = [d for d in state.carried(visit) if d.node == event.node and d.item == event.item]
    done = [d for d in shown if not d.open]
    if event.kind in ("uncheck", "deviation") and done:
        return done[-1]
    waiting = [d for d in shown if d.open]
    return waiting[0] if waiting else (done[-1] if done else None)


def _item_marks(
    state: RunState, definition: ProcessDefinition, event: Event, touched: set[int]
) -> _Marks:
    visit = state.current
    if visit is None or event.item is None:
        raise ReplayError(f"event {event.seq} ({event.kind}) is not about the current node")
    deferral = None
    if visit.node != event.node:
        deferral = _carried(state, visit, event)
        if deferral is None:
            raise ReplayError(f"event {event.seq} ({event.kind}) is not about the current node")
    step = definition.checklists.get(event.node or "")
    if step is None or not 0 <= event.item < len(step.items):
        raise ReplayError(
            f"event {event.seq} ({event.kind}) names item {event.item}, not in the step"
        )
    if visit.child_run is not None and visit.child_outcome is None:
        raise ReplayError(f"event {event.seq} ({event.kind}) changes a step whose call is open")
    touched.add(visit.index)
    node = event.node if deferral is not None else None  # a deferred item done here
    open_stint(state).acts.append(Act(event.kind, event.item, event.value, event.reason, node))
    return _Marks(visit, event.item, deferral)


def on_check(
    state: RunState, definition: ProcessDefinition, event: Event, touched: set[int]
) -> None:
    marks = _item_marks(state, definition, event, touched)
    marks.put(ItemMark(checked=True, by=event.actor, at=event.ts))


def on_uncheck(
    state: RunState, definition: ProcessDefinition, event: Event, touched: set[int]
) -> None:
    marks = _item_marks(state, definition, event, touched)
    if marks.deferral is None and marks.get().deferred:  # the deferral is taken back
        found = next(
            (d for d in state.deferrals if d.visit == marks.visit.index and d.item == marks.item),
            None,
        )
        if found is None or not found.open:
            raise ReplayError(f"event {event.seq} takes back a deferral that was done later")
        state.deferrals.remove(found)
    marks.put(None)


def on_record(
    state: RunState, definition: ProcessDefinition, event: Event, touched: set[int]
) -> None:
    marks = _item_marks(state, definition, event, touched)
    marks.put(ItemMark(checked=True, value=event.value, by=event.actor, at=event.ts))


def on_na(state: RunState, definition: ProcessDefinition, event: Event, touched: set[int]) -> None:
    marks = _item_marks(state, definition, event, touched)
    marks.put(ItemMark(na_reason=event.reason or "", by=event.actor, at=event.ts))


def on_deviation(
    state: RunState, definition: ProcessDefinition, event: Event, touched: set[int]
) -> None:
    marks = _item_marks(state, definition, event, touched)
    mark = marks.get()
    if mark.value is None or mark.value != event.value:
        raise ReplayError(f"event {event.seq} explains a value the item does not have")
    marks.put(dataclasses.replace(mark, deviation=True, deviation_reason=event.reason))


def on_inactive(
    state: RunState, definition: ProcessDefinition, event: Event, touched: set[int]
) -> None:
    marks = _item_marks(state, definition, event, touched)
    if marks.deferral is not None:
        raise ReplayError(f"event {event.seq} switches off a deferred item")
    marks.put(dataclasses.replace(marks.get(), inactive=True))
