"""Journal events: the only thing a run is made of.

An event is immutable and carries its own position (``seq``), time, actor and a hash that
chains it to the previous event of the same run. The hash seed of a run is derived from its id
and its definition hash, so the first event also vouches for the definition it ran against.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from functools import lru_cache
from json.encoder import encode_basestring
from typing import Literal

EventKind = Literal[
    "start",
    "check",
    "uncheck",
    "record",
    "na",
    "note",
    "complete",
    "choose",
    "back",
    "handover",
    "accept_role",
    "pause",
    "resume",
    "takeover",
    "abort",
    "finish",
    "input",
    "basis",
    "auto_choose",
    "deviation",
    "inactive",
    "call",
    "called_by",
    "call_end",
    "interrupt",
    "return",
    "defer",
    "remind_ack",
    "sign",
    "override",
]

EVENT_KINDS: dict[str, str] = {
    "start": "the run starts: node = start node, value = trigger id, reason = 'practice' or empty",
    "check": "an item is ticked: node, item = index in the step",
    "uncheck": "a tick, a recorded value or a not-applicable mark is cleared: node, item",
    "record": "a value is recorded for an item (and ticks it): node, item, value",
    "na": "an item is marked not applicable: node, item, reason",
    "note": "a note: value = text; node empty for the run, item empty for the node",
    "complete": "a step is completed: node = step, value = the next node",
    "choose": "an option is chosen: node = decision, item = option index, value = its label, "
    "reason = why, when it is not the suggested option",
    "back": "back to the previous node: node = node left, value = node returned to",
    "handover": "the run is handed to another operator: value = new operator, reason",
    "accept_role": "at a hand-over point, the operator acts as the next role: node, value = role",
    "pause": "the run is paused (left resumable): reason",
    "resume": "a paused run is resumed",
    "takeover": "another procedo session takes the run over: actor = new operator, reason",
    "abort": "the run is abandoned: reason",
    "finish": "an end is reached: node = end, value = outcome (success or failure)",
    "input": "a start input is given: node = the input's id, value = the value",
    "basis": "what a decision's conditions read: node = decision, item = the suggested option "
    "(empty when none), value = JSON of the values read by id, reason = why the option is "
    "suggested when its timeout suggested it (empty otherwise)",
    "auto_choose": "the process chooses (auto): node = decision, item = option index, "
    "value = its label",
    "deviation": "a value misses its expect: node, item, value = the value, reason = why it is "
    "accepted (empty when the flow routes it)",
    "inactive": "a step completes with an item switched off by its when: node, item",
    "call": "a calling step starts its child run: node = step, value = the child run's id, "
    "reason = the called process id",
    "called_by": "a child run's link to its parent (its second event): node = the parent's "
    "calling step, value = the parent run's id",
    "call_end": "the child run of a calling step ended: node = step, value = the node the run "
    "goes on to (empty when it stays: the child was aborted), reason = the child's outcome "
    "(success, failure or aborted)",
    "interrupt": "a non-normal checklist interrupts the run: node = interrupt id, item = the "
    "line highlighted where it interrupted (its own items, then the deferred ones that came "
    "back there; empty when none; for a queued one that starts by "
    "itself, the item the one before it returned to), value = the node interrupted; "
    "reason = 'queued' when it waits for an open one of equal or higher priority",
    "return": "a non-normal checklist is done: node = interrupt id, item = the answer chosen to "
    "its after question (empty when none), value = 'return' (back to the exact node and item) "
    "or the node the run goes on at",
    "defer": "an item is deferred: node = step, item = index, value = the step it comes back "
    "at (empty: it follows the run), reason = why",
    "remind_ack": "a reminder is acknowledged: node = the step whose reminder it is (empty for "
    "the process's), item = the interval number (1, 2, ...; it acknowledges the earlier ones "
    "too), value = the reminder's text",
    "sign": "a sign-off is given: node = the step or decision signed, item = the index of the "
    "sign-off in its signoff list, value = the signature JSON (signer, name, role, meaning and "
    "covers: the hash of the run's event just before this one); actor = the run's operator "
    "(at the keyboard). A change to the node's items after it withdraws it",
    "override": "a critical item is passed without being done: node = the step, item = its "
    "index, value = the signature JSON (meaning 'override', role = the item's override role), "
    "reason = why (required)",
}

BRANCH_NOTE = (
    "Every event about a node inside a parallel block names its branch (``branch``: the block "
    "and branch number, e.g. 'prepare:2'); events of the main line have none. Every event "
    "inside an open interrupt names '!' and the interrupt's id (e.g. '!fire-alarm')."
)


_DAY_MS = 86_400_000


def slow_iso_from_ms(ms: int) -> str:
    """:func:`iso_from_ms` through ``datetime`` (the reference its fast path is tested
    against)."""
    moment = datetime.fromtimestamp(ms / 1000, tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


@lru_cache(maxsize=4096)
def _day_text(day: int) -> str:
    """``2026-11-25T`` of a day since the epoch (raises as ``datetime`` does out of range)."""
    return datetime.fromtimestamp(day * 86_400, tz=UTC).strftime("%Y-%m-%dT")


def iso_from_ms(ms: int) -> str:
    """UTC ISO-8601 text with milliseconds, e.g. ``2026-11-25T09:30:00.123Z`` (the date from a
    cache by day, the time by arithmetic: what :func:`slow_iso_from_ms` gives)."""
    if type(ms) is not int:
        return slow_iso_from_ms(ms)
    day, rest = divmod(ms, _DAY_MS)
    seconds, milli = divmod(rest, 1000)
    minutes, second = divmod(seconds, 60)
    hour, minute = divmod(minutes, 60)
    return f"{_day_text(day)}{hour:02d}:{minute:02d}:{second:02d}.{milli:03d}Z"


def ms_from_iso(text: str) -> int:
    """Milliseconds since the epoch for a timestamp written by :func:`iso_from_ms` (C's
    ``fromisoformat`` is faster than any fixed-format reader written in Python here)."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return round(moment.timestamp() * 1000)


def now_ms() -> int:
    """The current UTC time in milliseconds."""
    return int(datetime.now(tz=UTC).timestamp() * 1000)


def chain_seed(run_id: str, definition_hash: str) -> str:
    """The 'previous hash' of a run's first event."""
    return hashlib.sha256(f"procedo-run\x00{run_id}\x00{definition_hash}".encode()).hexdigest()


_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def _reused_encoder() -> Callable[[Sequence[object], int], Sequence[str]] | None:
    """The C encoder that ``json.dumps`` makes for each call, made once (None when this Python
    has none, or it does not encode as ``json.dumps`` does)."""
    try:
        from json.encoder import c_make_encoder  # type: ignore[attr-defined]

        encoder = c_make_encoder(None, _JSON.default, encode_basestring, None, ":", ",",
                                 False, False, True)  # fmt: skip
        probe = ['é"\n\x00', 1, None, -2, "\u2028"]
        same = "".join(encoder(probe, 0)) == json.dumps(probe, ensure_ascii=False,
                                                         separators=(",", ":"))  # fmt: skip
    except (ImportError, TypeError):
        return None
    return encoder if same else None


_ENCODE = _reused_encoder()


def canonical_bytes(fields: Sequence[object]) -> bytes:
    """``json.dumps(fields, ensure_ascii=False, separators=(",", ":"))`` as UTF-8, byte
    for byte, without building a new encoder for each event (about twice as fast)."""
    if _ENCODE is not None:
        return "".join(_ENCODE(fields, 0)).encode("utf-8")
    return _JSON.encode(fields).encode("utf-8")


@dataclass(frozen=True, slots=True)
class Event:
    """One journal entry of one run."""

    run_id: str
    seq: int
    ts: str
    actor: str
    kind: str
    node: str | None = None
    item: int | None = None
    value: str | None = None
    reason: str | None = None
    hash: str = ""
    branch: str | None = None
    """The parallel branch the event is about (None on the main line: see BRANCH_NOTE)."""

    @property
    def ts_ms(self) -> int:
        """The timestamp in milliseconds."""
        return ms_from_iso(self.ts)

    def canonical(self, previous_hash: str) -> bytes:
        """The bytes the hash covers: every field but the hash, plus the previous hash (and the
        branch, after it, when the event has one: an event without one hashes as before)."""
        fields: list[object] = [
            self.run_id,
            self.seq,
            self.ts,
            self.actor,
            self.kind,
            self.node,
            self.item,
            self.value,
            self.reason,
            previous_hash,
        ]
        if self.branch is not None:
            fields.append(self.branch)
        return canonical_bytes(fields)

    def compute_hash(self, previous_hash: str) -> str:
        """The SHA-256 of :meth:`canonical`."""
        return hashlib.sha256(self.canonical(previous_hash)).hexdigest()

    def to_row(self) -> dict[str, object]:
        """The event as a journal row."""
        return asdict(self)
