"""The fold of the signatures: ``sign`` (a sign-off of the current node given) and
``override`` (a critical item passed without being done), and what every event does to the
signatures of the visit it was made at (its actor is noted; a change to the items withdraws
them)."""

from __future__ import annotations

from procedo.engine.errors import ReplayError
from procedo.engine.events import Event
from procedo.engine.signatures import OVERRIDE_MEANING, Given, person_key, signoffs_of
from procedo.engine.state import ItemMark, RunState, Visit
from procedo.model import ProcessDefinition
from procedo.model.signature import Signature

__all__ = ["SIGNED_KINDS", "check_covers", "note_event", "on_override", "on_sign"]

SIGNED_KINDS = frozenset({"sign", "override"})
"""The events whose value is a signature."""

_CHANGES_ITEMS = frozenset({"check", "uncheck", "record", "na", "defer", "override"})
"""The events that change an item of the visit (and so withdraw its signatures); a
``deviation`` does when it gives a reason, a ``note`` when it is on an item."""


def _signature(event: Event) -> Signature:
    sig = Signature.from_json(event.value)
    if sig is None:
        raise ReplayError(f"event {event.seq} ({event.kind}) holds no readable signature")
    return sig


def check_covers(event: Event, previous_hash: str) -> None:
    """A signature covers the event just before it (:class:`ReplayError` otherwise)."""
    if _signature(event).covers != previous_hash:
        raise ReplayError(
            f"event {event.seq} ({event.kind}) covers another event than the one before it"
        )


def on_sign(
    state: RunState, definition: ProcessDefinition, event: Event, touched: set[int]
) -> None:
    """A sign-off of the current step or decision is given."""
    visit = state.current
    if visit is None or visit.node != event.node or visit.kind == "interrupt":
        raise ReplayError(f"event {event.seq} (sign) is not about the current node")
    signoffs = signoffs_of(definition, visit.node)
    if event.item is None or not 0 <= event.item < len(signoffs):
        raise ReplayError(f"event {event.seq} signs sign-off {event.item}, which does not exist")
    sig, wanted = _signature(event), signoffs[event.item]
    if (sig.role, sig.meaning) != (wanted.role, wanted.meaning):
        raise ReplayError(f"event {event.seq} signs with another role or meaning than asked")
    if event.item in visit.signatures:
        raise ReplayError(f"event {event.seq} signs a sign-off already given")
    given = Given(sig, event.seq, event.ts, event.actor)
    visit.signatures = {**visit.signatures, event.item: given}
    visit.withdrawn = visit.withdrawn - {event.item}
    touched.add(visit.index)


def on_override(
    state: RunState, definition: ProcessDefinition, event: Event, touched: set[int]
) -> None:
    """A critical item of the current checklist is passed without being done."""
    visit = state.current
    step = definition.checklists.get(event.node or "")
    if visit is None or step is None or visit.node != event.node:
        raise ReplayError(f"event {event.seq} (override) is not about the current node")
    if event.item is None or not 0 <= event.item < len(step.items):
        raise ReplayError(f"event {event.seq} overrides item {event.item}, not in the step")
    spec = step.items[event.item]
    if not spec.critical or spec.override is None:
        raise ReplayError(f"event {event.seq} overrides an item that allows no override")
    sig = _signature(event)
    if (sig.role, sig.meaning) != (spec.override.role, OVERRIDE_MEANING):
        raise ReplayError(f"event {event.seq} overrides with another role or meaning")
    if not (event.reason or "").strip():
        raise ReplayError(f"event {event.seq} overrides an item without a reason")
    if visit.mark(event.item).done:
        raise ReplayError(f"event {event.seq} overrides an item that is done")
    given = Given(sig, event.seq, event.ts, event.actor, event.reason)
    visit.items[event.item] = ItemMark(overridden=given, by=event.actor, at=event.ts)
    touched.add(visit.index)


def _changes_items(event: Event) -> bool:
    if event.kind in _CHANGES_ITEMS:
        return True
    if event.kind == "deviation":
        return bool(event.reason)  # an explanation; a routed one is journaled at completion
    return event.kind == "note" and event.item is not None


def note_event(visit: Visit | None, event: Event, touched: set[int]) -> None:
    """After ``event`` was folded at ``visit`` (the visit current when it was made): its actor
    acted there, and a change to the items withdraws the signatures given."""
    if visit is None:
        return
    if event.actor:
        key = person_key(event.actor)
        if key not in visit.acted_by:
            visit.acted_by = visit.acted_by | {key}
    if visit.signatures and _changes_items(event):
        visit.withdrawn = visit.withdrawn | set(visit.signatures)
        visit.signatures = {}
        touched.add(visit.index)
