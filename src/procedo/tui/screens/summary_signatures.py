"""The summary's signatures: each sign-off and override of the run beside what it covers, as
literal parts for :func:`procedo.tui.text.line` (the printed name is shown as typed)."""

from __future__ import annotations

from collections.abc import Sequence

from procedo.engine import RunState
from procedo.engine.events import Event
from procedo.model import ProcessDefinition
from procedo.render.signature_record import signature_entries

Parts = list[str | tuple[str, str]]


def signature_parts(d: ProcessDefinition, s: RunState, events: Sequence[Event]) -> Parts:
    """``Signatures``: what each covers (the node; for an override the item and the reason),
    the role, and the signature as ``signature_text`` says it; one a later change withdrew
    says so (none when the run has none)."""
    entries = signature_entries(d, events, s)
    if not entries:
        return []
    parts: Parts = ["\n\n", ("Signatures", "bold")]
    for entry in entries:
        if entry.kind == "override":
            parts += ["\n  ", ("Override ", "bold $warning"), entry.item_text]
            parts += [(" at ", "$text-muted"), entry.node_title]
        else:
            parts += ["\n  ", entry.node_title]
        if entry.role_name:
            parts += [(" — ", "$text-muted"), entry.role_name]
        parts += [("\n     ", "$text-muted"), (entry.text, "bold")]
        if entry.withdrawn:
            parts.append(("  (withdrawn by a later change)", "$text-muted"))
        if entry.kind == "override":
            parts += [("\n     reason: ", "$text-muted"), (entry.reason, "italic")]
    return parts
