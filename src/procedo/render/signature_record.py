"""The signatures a run holds, read from its ``sign`` and ``override`` events, each with what
it covers (the node signed, and for an override the item passed and the reason), for the
exports, ``show``, the summary and the run detail. Plain text: each face escapes it or shows
it literally. A signature is always shown as :func:`~procedo.model.signature.signature_text`
puts it ("Printed Name (id), approved, 2026-11-26 14:03:12 UTC"). Events hold no secret, so
nothing here can print one."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from procedo.engine import Event, RunState
from procedo.engine.judge import scope_texts
from procedo.model import ProcessDefinition
from procedo.model.placeholders import fill
from procedo.model.signature import Signature, signature_text
from procedo.render.interrupt_record import checklist_item, title_of
from procedo.render.md_cells import code, md, table

SIGNATURE_KINDS = ("sign", "override")
"""The event kinds whose ``value`` is a signature's JSON."""


@dataclass(frozen=True, slots=True)
class SignatureEntry:
    """One signature of the run and what it covers."""

    seq: int
    ts: str
    kind: str
    """``sign`` (a sign-off of a step or a decision) or ``override`` (of a critical item)."""
    signature: Signature | None
    """None when the event's value does not parse (an altered journal: ``verify`` says so)."""
    node: str | None
    node_title: str
    item: int | None
    """0-based: the sign-off's index in the node's ``signoff`` (``sign``), or the item's index
    in the step's checklist (``override``)."""
    item_text: str
    """The overridden item's text ("" for a sign-off)."""
    reason: str
    """Why the item was overridden ("" for a sign-off)."""
    role_name: str
    branch: str | None
    covered_seq: int | None
    """The earlier event of the run whose hash the signature covers (None: no such event)."""
    withdrawn: bool = False
    """Withdrawn by a later change to the node's items (a sign-off then given again, in an
    event of its own); known only when the entries are read with the run's state."""

    @property
    def text(self) -> str:
        """The signature in words, or what is wrong with it."""
        if self.signature is None:
            return "an unreadable signature"
        return signature_text(self.signature, self.ts)

    @property
    def covered(self) -> str:
        """What it covers, in words: the node, or the item overridden there and why."""
        if self.kind == "override":
            return f"override of {self.item_text} at {self.node_title}: {self.reason}"
        return self.node_title

    @property
    def status(self) -> str:
        """``in force``, or ``withdrawn by a later change``."""
        return "withdrawn by a later change" if self.withdrawn else "in force"

    @property
    def chained(self) -> str:
        """Which event the ``covers`` hash names, in words."""
        if self.covered_seq is None:
            return "covers no earlier event of this run"
        return f"covers event {self.covered_seq}"


def may_hold_signatures(definition: ProcessDefinition) -> bool:
    """True when a run of ``definition`` can hold a signature (a sign-off or an override)."""
    if any(d.signoff for d in definition.decisions.values()):
        return True
    steps = definition.steps.values()
    return any(s.signoff or any(i.override for i in s.items) for s in steps)


def _in_force(state: RunState) -> set[int]:
    """The seqs of the signatures the run's state still holds (the others were withdrawn)."""
    found = {given.seq for visit in state.visits for given in visit.signatures.values()}
    for visit in state.visits:
        found |= {m.overridden.seq for m in visit.items.values() if m.overridden is not None}
    return found


def signature_entries(
    definition: ProcessDefinition,
    events: Sequence[Event],
    state: RunState | None = None,
    values: Mapping[str, str] | None = None,
) -> list[SignatureEntry]:
    """Every signature of the run, in journal order (``events``: all of the run's, in order);
    with the run's ``state``, each says whether it was withdrawn by a later change, and the
    titles' ``{id}`` placeholders are filled with the run's values (or with ``values``)."""
    entries = []
    seen: dict[str, int] = {}
    in_force = _in_force(state) if state is not None else None
    if values is None:
        values = scope_texts(definition, state) if state is not None else {}
    for event in events:
        if event.kind in SIGNATURE_KINDS:
            sig = Signature.from_json(event.value)
            override = event.kind == "override"
            entries.append(
                SignatureEntry(
                    seq=event.seq,
                    ts=event.ts,
                    kind=event.kind,
                    signature=sig,
                    node=event.node,
                    node_title=fill(title_of(definition, event.node), values),
                    item=event.item,
                    item_text=fill(checklist_item(definition, event.node, event.item), values)
                    if override
                    else "",
                    reason=event.reason or "" if override else "",
                    role_name=definition.role_name(sig.role) if sig is not None else "",
                    branch=event.branch,
                    covered_seq=seen.get(sig.covers) if sig is not None else None,
                    withdrawn=in_force is not None and event.seq not in in_force,
                )
            )
        seen[event.hash] = event.seq
    return entries


def signature_words(
    definition: ProcessDefinition, event: Event, values: Mapping[str, str] | None = None
) -> str | None:
    """What a ``sign`` or ``override`` event did, with the signature (None for other kinds);
    ``values`` fill the ``{id}`` placeholders of the titles."""
    if event.kind not in SIGNATURE_KINDS:
        return None
    entry = signature_entries(definition, [event], values=values or {})[0]
    role = f" as {entry.role_name}" if entry.role_name else ""
    if event.kind == "override":
        return f"overrode {entry.item_text} at {entry.node_title}{role}: {entry.text}"
    return f"signed {entry.node_title}{role}: {entry.text}"


def signatures_markdown(
    definition: ProcessDefinition, state: RunState, events: Sequence[Event]
) -> list[str]:
    """The "Signatures" section of the Markdown export (nothing when the run has none)."""
    entries = signature_entries(definition, events, state)
    if not entries:
        return []
    rows = [
        [
            str(e.seq),
            md(e.covered),
            md(e.role_name),
            md(e.text),
            md(e.chained) + (f" ({code(e.signature.covers)})" if e.signature else ""),
            e.status,
        ]
        for e in entries
    ]
    headers = ["#", "Covers", "Role", "Signature", "Chain", "Status"]
    return ["## Signatures", "", *table(headers, rows)]


def signatures_dict(
    definition: ProcessDefinition, state: RunState, events: Sequence[Event]
) -> list[dict[str, Any]]:
    """The JSON export's ``signatures``: signer, name, role, meaning, covers, ts, node, item
    (numbered from 1, beside the 0-based ``item_index``), reason, the same in words, and
    whether a later change withdrew it."""
    out = []
    for e in signature_entries(definition, events, state):
        sig = e.signature
        out.append(
            {
                "seq": e.seq,
                "kind": e.kind,
                "signer": sig.signer if sig else None,
                "name": sig.name if sig else None,
                "role": sig.role if sig else None,
                "meaning": sig.meaning if sig else None,
                "covers": sig.covers if sig else None,
                "covers_seq": e.covered_seq,
                "ts": e.ts,
                "node": e.node,
                "node_title": e.node_title,
                "item": None if e.item is None else e.item + 1,
                "item_index": e.item,
                "item_text": e.item_text or None,
                "reason": e.reason or None,
                "branch": e.branch,
                "text": e.text,
                "withdrawn": e.withdrawn,
            }
        )
    return out


def signature_lines(
    definition: ProcessDefinition, state: RunState, events: Sequence[Event]
) -> list[str]:
    """One line per signature, for ``procedo show`` (plain text)."""
    return [
        f"{'signed' if e.kind == 'sign' else 'override':<9} {e.covered}"
        + (f" ({e.role_name})" if e.role_name else "")
        + f": {e.text}; {e.chained}"
        + ("; withdrawn by a later change" if e.withdrawn else "")
        for e in signature_entries(definition, events, state)
    ]
