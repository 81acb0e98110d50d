"""The summary's (and the run detail's) deferred items: each with its reason, where it was
deferred and where it is to be done, then where and when it was done, or "open"
(the words are :mod:`procedo.render.interrupt_record`'s)."""

from __future__ import annotations

from procedo.engine import RunState
from procedo.model import ProcessDefinition
from procedo.render.interrupt_record import deferral_entries

Parts = list[str | tuple[str, str]]
MUTED = "$text-muted"


def deferral_parts(definition: ProcessDefinition, state: RunState) -> Parts:
    """Every deferred item of the run as literal parts (none for a run without any)."""
    entries = deferral_entries(definition, state)
    if not entries:
        return []
    parts: Parts = ["\n\n", ("Deferred items", "bold")]
    for d in entries:
        parts += ["\n  ", d.text, (" — ", MUTED), (d.reason, "italic")]
        parts.append((f"  (from {d.step_title}, to be done {d.where})", MUTED))
        parts += ["\n     ", (d.done, "$warning" if d.open else MUTED)]
    return parts
