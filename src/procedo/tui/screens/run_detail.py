"""Run detail: the timeline of every event, the path, values, notes and skipped items."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Static

from procedo.engine import Event
from procedo.engine.judge import scope_texts
from procedo.journal import Journal
from procedo.journal.run_record import RunRecord, load_run_record
from procedo.model import ProcessDefinition
from procedo.model.placeholders import fill
from procedo.render.branch_record import call_entries, call_line, parent_line
from procedo.render.export import describe, unit_of, with_unit
from procedo.tui.querying import query_in_thread
from procedo.tui.screens.base import ProcedoScreen
from procedo.tui.screens.export_dialog import ask_export
from procedo.tui.screens.summary import summary_parts
from procedo.tui.text import cell, line, lit
from procedo.tui.widgets.footer import FittedFooter
from procedo.tui.widgets.tables import refill

TIMELINE_HEADERS = ("#", "Time (UTC)", "Who", "What", "Value / reason")

_SAID_BY_WHAT = {
    "complete",
    "back",
    "interrupt",
    "return",
    "defer",
    "accept_role",
    "sign",
    "override",
}
"""Kinds whose value is a node or role id, or a signature, that the "What" column says in
words already."""


def event_values(
    event: Event, definition: ProcessDefinition | None = None, *, split: bool = False
) -> list[str]:
    """The value (with its unit; if it says more than the description) and the reason."""
    value = "" if event.kind in _SAID_BY_WHAT else event.value or ""
    if event.kind == "record" and definition is not None:
        value = with_unit(value, unit_of(definition, event.node, event.item))
    if split:
        return [value, event.reason or ""]
    return [text for text in (value, event.reason or "") if text]


def call_parts(record: RunRecord) -> list[str | tuple[str, str]]:
    """The run that called this one and the runs it called (literal text), if any."""
    said = [parent_line(record.state)]
    said += [call_line(entry) for entry in call_entries(record.definition, record.events)]
    parts: list[str | tuple[str, str]] = []
    for text in filter(None, said):
        parts += ["\n", text]
    return [("\n\nCalls", "bold"), *parts] if parts else []


class RunDetailScreen(ProcedoScreen):
    """One run from the journal, read-only."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (90, "-wide")]
    BINDINGS = [
        Binding("escape,q", "close", "Back", id="detail.close"),
        Binding("e", "export", "Export", id="detail.export"),
        Binding("r", "resume", "Resume", id="detail.resume"),
        Binding("f", "facts", "Facts", id="detail.facts"),
    ]

    def __init__(self, run_id: str) -> None:
        super().__init__()
        self.run_id = run_id
        self.record: RunRecord | None = None
        self._filled_width = 0

    def compose(self) -> ComposeResult:
        yield Static(lit("Run"), id="detail-title")
        with Horizontal(id="detail-body"):
            with Vertical(id="detail-main"):
                yield DataTable(id="timeline", cursor_type="row", zebra_stripes=True)
                yield Static("", id="event-detail")
            with VerticalScroll(id="detail-side"):
                yield Static("", id="detail-facts")
        yield FittedFooter(compact=True)

    def on_mount(self) -> None:
        table = self.query_one("#timeline", DataTable)
        refill(table, TIMELINE_HEADERS, [])
        table.focus()
        run_id = self.run_id

        def compute(journal: Journal) -> RunRecord:
            return load_run_record(journal, run_id)

        query_in_thread(self, compute, self._show, group="detail")

    def _show(self, record: RunRecord) -> None:
        self.record = record
        d = record.definition
        self.query_one("#detail-title", Static).update(
            line(
                (fill(d.title, scope_texts(d, record.state)), "bold"),
                ("  run ", "$text-muted"),
                record.run_id[:8],
                ("  started ", "$text-muted"),
                record.events[0].ts[:16].replace("T", " ") if record.events else "",
            )
        )
        self._fill_table()
        facts = summary_parts(record.definition, record.state, events=record.events)
        facts += call_parts(record)
        facts += ["\n\n", ("Last journal hash", "bold"), "\n", record.last_hash]
        self.query_one("#detail-facts", Static).update(line(*facts))
        self._show_event()
        self.refresh_bindings()

    def _fill_table(self) -> None:
        """One row per event, the cells cut to the table's width (the panel shows them whole)."""
        record = self.record
        if record is None:
            return
        table = self.query_one("#timeline", DataTable)
        width = table.size.width or self.size.width
        self._filled_width = width
        texts = scope_texts(record.definition, record.state)
        days = {event.ts[:10] for event in record.events}
        time_width = 14 if len(days) > 1 else 8  # the date only when the run spans days
        seq_width = len(str(record.events[-1].seq)) if record.events else 1
        rest = max(36, width - seq_width - time_width - 2 * 5 - 2)  # padding and scrollbar
        rows = [
            (
                event,
                describe(record.definition, event, texts),
                " · ".join(event_values(event, record.definition)),
            )
            for event in record.events
        ]
        who = min(12, rest // 6, max((len(e.actor) for e in record.events), default=3))
        detail_need = max((len(value) for _, _, value in rows), default=0)
        what = max((rest - who) * 11 // 20, rest - who - max(14, detail_need))
        row = table.cursor_row
        cells = [
            [
                cell(str(event.seq)),
                cell(event.ts[5:19].replace("T", " ") if time_width > 8 else event.ts[11:19]),
                cell(event.actor, max_width=who),
                cell(what_text, max_width=what),
                cell(value, max_width=rest - who - what),
            ]
            for event, what_text, value in rows
        ]
        refill(table, TIMELINE_HEADERS, cells)
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))

    def on_resize(self) -> None:
        self.call_after_refresh(self._refit)

    def _refit(self) -> None:
        table = self.query_one("#timeline", DataTable)
        if self.record is not None and table.size.width != self._filled_width:
            self._fill_table()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_event()

    def _show_event(self) -> None:
        """The highlighted event in full: date, who, what, value and reason, wrapped."""
        record = self.record
        panel = self.query_one("#event-detail", Static)
        row = self.query_one("#timeline", DataTable).cursor_row
        if record is None or not 0 <= row < len(record.events):
            panel.display = False
            return
        event = record.events[row]
        texts = scope_texts(record.definition, record.state)
        parts: list[str | tuple[str, str]] = [
            (f"#{event.seq}  ", "bold"),
            (event.ts[:19].replace("T", " ") + " UTC  ", "$text-muted"),
            event.actor,
            "\n",
            describe(record.definition, event, texts),
        ]
        shown_value, reason = event_values(event, record.definition, split=True)
        if shown_value:
            parts += ["\n", ("Value   ", "$text-muted"), shown_value]
        if reason:
            parts += ["\n", ("Reason  ", "$text-muted"), reason]
        panel.update(line(*parts))
        panel.display = True

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "resume":
            return self.record is not None and not self.record.state.finished
        return True

    def action_close(self) -> None:
        """Back to the history."""
        self.app.pop_screen()

    def action_facts(self) -> None:
        """Move between the timeline and the run's facts (path, values, notes, N/A)."""
        side = self.query_one("#detail-side", VerticalScroll)
        if side.has_focus:
            self.query_one("#timeline", DataTable).focus()
        else:
            side.focus()

    def action_resume(self) -> None:
        """Resume this (unfinished) run."""
        self.app.resume_run(self.run_id)

    def action_export(self) -> None:
        """Export as Markdown, JSON or CSV (see :mod:`procedo.tui.screens.export_dialog`)."""
        if self.record is not None:
            ask_export(self, self.record)


__all__ = ["Content", "RunDetailScreen", "ask_export"]
