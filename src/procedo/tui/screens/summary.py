"""Summary: how the run ended, how long it took, what was skipped, recorded and noted."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from procedo.engine import ABORTED, PAUSED, Run, RunState, now_ms
from procedo.engine.events import Event
from procedo.engine.judge import scope_texts
from procedo.engine.targets import target_ms, within_target
from procedo.journal import JournalError
from procedo.model import ProcessDefinition
from procedo.model.placeholders import fill
from procedo.render.condition_record import (
    AUTOMATIC,
    CONFIRMED,
    OVERRIDDEN,
    ConditionRecord,
    condition_record,
)
from procedo.render.export import item_text, node_title
from procedo.render.interrupt_record import checklist, marked_items
from procedo.render.run_path import path_entries
from procedo.render.signature_record import may_hold_signatures
from procedo.tui.screens.base import ProcedoScreen
from procedo.tui.screens.summary_deferrals import deferral_parts
from procedo.tui.screens.summary_interrupts import interrupt_parts
from procedo.tui.screens.summary_signatures import signature_parts
from procedo.tui.text import duration, line
from procedo.tui.widgets.footer import FittedFooter


def summary_content(run: Run, events: Sequence[Event] = ()) -> Content:
    """The whole summary as one block of literal text with styles (``events``: the run's,
    which say what each non-normal checklist interrupted)."""
    return line(*summary_parts(run.definition, run.state, events=events))


def summary_parts(
    d: ProcessDefinition, s: RunState, now: int | None = None, events: Sequence[Event] = ()
) -> list[str | tuple[str, str]]:
    """The summary of a run's state as literal parts for :func:`line`.

    A run not yet finished is "In progress" or "Paused at" its node, with the active time so
    far (at ``now``, in epoch ms; the clock when None), as the run screen's clock counts it.
    """
    texts = scope_texts(d, s)
    parts: list[str | tuple[str, str]] = [(fill(d.title, texts), "bold")]
    if s.practice:
        parts.append(("  (practice run)", "bold $warning"))
    parts.append("\n\n")
    if s.status == "completed" and s.end_node:
        end = d.ends[s.end_node]
        style = "bold $success" if end.success else "bold $error"
        parts += [
            ("Outcome   ", "$text-muted"),
            (f"{end.outcome.upper()}: {fill(end.title, texts)}", style),
        ]
    elif s.status == ABORTED:
        parts += [("Outcome   ", "$text-muted"), ("ABORTED", "bold $error")]
        if s.abort_reason:
            parts += [" — ", s.abort_reason]
    else:
        at = fill(node_title(d, s.current_node), texts)
        word = "Paused at " if s.status == PAUSED else "In progress at "
        parts += [("Outcome   ", "$text-muted"), (word, "bold $warning"), (at, "bold")]
    parts += ["\n", ("Duration  ", "$text-muted")]
    if s.finished:
        parts.append(duration(s.duration_ms))
    else:
        so_far = s.active_ms(now_ms() if now is None else now)
        parts += [duration(so_far), (" so far", "$text-muted")]
    on_target = within_target(d, s.status, s.duration_ms)
    if on_target is not None:
        parts += [
            ("  (target ", "$text-muted"),
            duration(target_ms(d)),
            (": ", "$text-muted"),
            ("on target" if on_target else "over target", "$success" if on_target else "$error"),
            (")", "$text-muted"),
        ]
    parts += ["\n", ("Operators ", "$text-muted"), ", ".join(s.operators)]
    if s.trigger:
        trigger = d.trigger(s.trigger)
        parts += ["\n", ("Trigger   ", "$text-muted"), trigger.title if trigger else s.trigger]
    parts += ["\n", ("Run       ", "$text-muted"), s.run_id]
    record = condition_record(d, s)
    for given in record.inputs:
        parts += ["\n", ("Input     ", "$text-muted"), f"{given.title}: ", (given.shown, "bold")]
    parts += ["\n\n", ("Path", "bold")]
    for entry in path_entries(d, s):  # every stay, those left by going back included
        parts += ["\n  ", (f"{entry.number}. ", "$text-muted"), fill(entry.title, texts)]
        if entry.came_back:
            parts.append((" (came back to it)", "$text-muted"))
        if entry.duration_ms is not None:
            parts.append((f"  {duration(entry.duration_ms)}", "$text-muted"))
        parts += [(" — ", "$text-muted"), entry.outcome]
        for deed in entry.deeds:  # what was done in the stay, under it
            parts += ["\n     ", (fill(deed, texts), "$text-muted")]
    values: list[tuple[str, str]] = []
    skipped: list[tuple[str, str]] = []
    for _, node, index, mark in marked_items(s):  # deferred ones where they were done
        step = checklist(d, node)
        if step is None:
            continue
        item = step.items[index]
        if mark.inactive:
            continue  # under "Inactive items": neither recorded nor not applicable
        if mark.value is not None:
            unit = f" {item.unit}" if item.unit else ""
            values.append((fill(item.text, texts), mark.value + unit))
        if mark.na_reason is not None:
            skipped.append((fill(item.text, texts), mark.na_reason))
    if values:
        parts += ["\n\n", ("Recorded values", "bold")]
        for text, value in values:
            parts += ["\n  ", text, (": ", "$text-muted"), (value, "bold")]
    if skipped:
        parts += ["\n\n", ("Not applicable", "bold")]
        for text, reason in skipped:
            parts += ["\n  ", text, (" — ", "$text-muted"), (reason, "italic")]
    parts += signature_parts(d, s, events)
    parts += condition_parts(record)
    parts += deferral_parts(d, s, texts)
    parts += interrupt_parts(d, s, texts, events)
    if s.notes:
        parts += ["\n\n", ("Notes", "bold")]
        for note in s.notes:
            on = item_text(d, note.node, note.item) or node_title(d, note.node)
            where = f" on {on}" if note.node else ""
            text = note.text.replace("\n", "\n    ")  # a note's later lines under its first
            parts += ["\n  ", (f"{note.ts[11:16]} {note.actor}{where}: ", "$text-muted"), text]
    return parts


_HOW = {
    CONFIRMED: ("suggestion confirmed", "$success"),
    AUTOMATIC: ("chosen by the process", "$accent"),
    OVERRIDDEN: ("overridden", "bold $warning"),
}


def condition_parts(record: ConditionRecord) -> list[str | tuple[str, str]]:
    """The suggested, automatic and overridden choices, the deviations and the inactive
    items, as literal parts for :func:`line` (none for a run without conditions)."""
    parts: list[str | tuple[str, str]] = []
    if record.choices:
        parts += ["\n\n", ("Suggested and automatic choices", "bold")]
        for c in record.choices:
            word, style = _HOW.get(c.how, ("nothing suggested", "$text-muted"))
            parts += ["\n  ", c.question, (" — ", "$text-muted"), (c.chosen, "bold")]
            parts += ["  ", (word, style)]
            if c.how == OVERRIDDEN:
                parts += [("\n     suggested ", "$text-muted"), c.suggested or ""]
                parts += [("; reason: ", "$text-muted"), (c.reason or "", "italic")]
            parts += ["\n     ", (c.condition, "$text-muted")]
            if c.values:
                parts += [("; ", "$text-muted"), c.values]
    if record.deviations:
        parts += ["\n\n", ("Deviations", "bold $warning")]
        for v in record.deviations:
            parts += ["\n  ", v.text, (": ", "$text-muted"), (v.value, "bold $warning")]
            parts += [(", expected ", "$text-muted"), v.expect]
            if v.reason:
                parts += [("\n     reason: ", "$text-muted"), (v.reason, "italic")]
            else:
                parts += [("\n     routed by the flow", "$text-muted")]
    if record.inactive:
        parts += ["\n\n", ("Inactive items", "bold")]
        for i in record.inactive:
            parts += ["\n  ", (i.text, "$text-muted"), (" — inactive: ", "$text-muted"), i.when]
            parts += [(" was false", "$text-muted")]
    return parts


class SummaryScreen(ProcedoScreen):
    """Shown when a run reaches an end or is aborted (and when a finished run is opened)."""

    BINDINGS = [
        Binding("enter,escape,q", "home", "Home", id="summary.home"),
        Binding("e", "export", "Export", id="summary.export"),
        Binding("h", "history", "History", id="summary.history"),
    ]

    def __init__(self, run: Run) -> None:
        super().__init__()
        self.run = run

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="summary-scroll"):
            yield Static(summary_content(self.run, self._events()), id="summary")
        yield FittedFooter(compact=True)

    def _events(self) -> list[Event]:
        """The run's events, for what its non-normal checklists interrupted and its
        signatures (none needed when it can hold neither)."""
        interrupted = any(visit.kind == "interrupt" for visit in self.run.state.visits)
        if not interrupted and not may_hold_signatures(self.run.definition):
            return []
        try:
            return self.app.workspace.journal.events(self.run.run_id)
        except JournalError:  # the summary still shows; the interrupted nodes are left out
            return []

    def action_home(self) -> None:
        """Back to the home screen (a called run: back to the run that called it)."""
        self.app.pop_screen()
        below = self.app.screen
        parent = getattr(getattr(below, "run", None), "run_id", None)
        if parent is None or parent != self.run.state.parent_run:
            self.app.go_home()

    def action_export(self) -> None:
        """Export the run's record."""
        self.app.export_run(self.run.run_id)

    def action_history(self) -> None:
        """Open the history."""
        self.app.open_history()
