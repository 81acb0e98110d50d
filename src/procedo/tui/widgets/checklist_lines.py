"""The rows of the current checklist as the run screen lists them: one per line of
``Run.lines()`` (the step's or interrupt's own items, then the deferred items that came back
here), with a header row "Deferred from <step title>" before each step's deferred items.

A header is a row the cursor skips; every other row carries the line index the engine's item
operations take.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.content import Content

from procedo.engine import Run, judge
from procedo.tui.interrupt_view import deferral_of, deferred_mark, title_of
from procedo.tui.text import line
from procedo.tui.widgets.checklist import Values, item_notes, item_prompt


@dataclass(frozen=True, slots=True)
class Row:
    """One row of the list: its prompt, and the line it stands for (None: a header)."""

    prompt: Content
    line: int | None


def header_prompt(title: str) -> Content:
    """The header above the deferred items of one step."""
    return line(("Deferred from ", "bold $accent"), (title, "bold $accent"))


def checklist_rows(run: Run, values: Values) -> list[Row]:
    """Every row of the current checklist (empty at a decision or an end)."""
    state, definition = run.state, run.definition
    step, visit = run.current_step, state.current
    if step is None or visit is None:
        return []
    checks = run.item_checks()
    last = run.previous_values()
    rows: list[Row] = []
    header: str | None = None
    for number, found in enumerate(run.lines()):
        notes = len(item_notes(state, found.node, found.index))
        if found.deferral is None:
            deferral = deferral_of(state, visit.index, found.index) if found.mark.deferred else None
            prompt = item_prompt(
                definition,
                step,
                found.spec,
                found.mark,
                notes,
                values=values,
                check=checks[found.index] if found.index < len(checks) else judge.FINE,
                last=last.get(found.index) if found.spec.record else None,
                deferred=deferred_mark(definition, state, deferral, values) if deferral else None,
            )
        else:
            if found.node != header:  # the deferred items of another step begin
                header = found.node
                rows.append(Row(header_prompt(title_of(definition, found.node, values)), None))
            source = definition.steps[found.node]
            said = f"deferred by {found.deferral.by}: {found.deferral.reason}"
            prompt = item_prompt(
                definition,
                source,
                found.spec,
                found.mark,
                notes,
                values=values,
                check=checks[number] if number < len(checks) else judge.FINE,  # one per line
                deferred=said,
            )
        rows.append(Row(prompt, number))
    return rows


__all__ = ["Row", "checklist_rows", "header_prompt"]
