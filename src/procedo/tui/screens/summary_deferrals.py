"""The summary's (and the run detail's) deferred items: each with its reason, where it was
deferred and where it is to be done, then how, where, when and by whom it was done, or, while
it is open, highlighted with where to do it (the words are
:mod:`procedo.render.interrupt_record`'s, shared with ``show`` and the exports)."""

from __future__ import annotations

from dataclasses import replace

from procedo.engine import RunState
from procedo.model import ProcessDefinition
from procedo.model.placeholders import fill
from procedo.render.interrupt_record import deferral_entries

Parts = list[str | tuple[str, str]]
MUTED = "$text-muted"


def deferral_parts(
    definition: ProcessDefinition, state: RunState, texts: dict[str, str] | None = None
) -> Parts:
    """Every deferred item of the run as literal parts (none for a run without any);
    ``texts`` fill the placeholders of item and step texts."""
    entries = deferral_entries(definition, state)
    if not entries:
        return []
    scope = texts or {}
    waiting = sum(1 for d in entries if d.open)
    head = f"Deferred items ({waiting} open)" if waiting else "Deferred items"
    parts: Parts = ["\n\n", (head, "bold $warning" if waiting else "bold")]
    for entry in entries:
        d = replace(  # the titles as the run shows them, their placeholders filled
            entry,
            step_title=fill(entry.step_title, scope),
            to_title=fill(entry.to_title, scope),
            done_title=fill(entry.done_title, scope),
        )
        text = fill(d.text, scope)
        parts += ["\n  ", (text, "bold $warning") if d.open else text]
        parts += [(" — ", MUTED), (d.reason, "italic")]
        where = f"  (from {d.step_title}, to be done {d.where})"
        parts += [(where, MUTED), (f"\n     deferred by {d.by} at {_when(d.at)}", MUTED)]
        if d.open:
            parts += [("\n     OPEN: do it ", "bold $warning"), d.where]
        else:
            parts += [("\n     ", MUTED), (d.done, MUTED)]
    return parts


def _when(iso: str) -> str:
    return iso[:19].replace("T", " ")


__all__ = ["deferral_parts"]
