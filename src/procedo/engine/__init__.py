"""The run engine: events, state as a fold of events, and operations. No UI, no SQL."""

from procedo.engine.errors import InvalidValue, Refused, ReplayError, RunError, SignerRefused
from procedo.engine.events import EVENT_KINDS, Event, chain_seed, iso_from_ms, ms_from_iso, now_ms
from procedo.engine.fold import apply_event, replay
from procedo.engine.run import Run
from procedo.engine.sinks import EventSink, MemorySink
from procedo.engine.state import (
    ABORTED,
    ACTIVE,
    COMPLETED,
    PAUSED,
    STATUSES,
    ItemMark,
    Note,
    RunState,
    Visit,
)

__all__ = [
    "ABORTED",
    "ACTIVE",
    "COMPLETED",
    "EVENT_KINDS",
    "PAUSED",
    "STATUSES",
    "Event",
    "EventSink",
    "InvalidValue",
    "ItemMark",
    "MemorySink",
    "Note",
    "Refused",
    "ReplayError",
    "Run",
    "RunError",
    "RunState",
    "SignerRefused",
    "Visit",
    "apply_event",
    "chain_seed",
    "iso_from_ms",
    "ms_from_iso",
    "now_ms",
    "replay",
]
