"""Run detail: the timeline of every event, the path, values, notes and skipped items."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from procedo.journal import Journal
from procedo.journal.run_record import RunRecord, load_run_record
from procedo.render.export import describe, to_csv, to_json, to_markdown
from procedo.tui.querying import query_in_thread
from procedo.tui.screens.dialogs import ChoicePrompt, TextPrompt
from procedo.tui.screens.summary import summary_parts
from procedo.tui.text import cell, line, lit

EXPORTERS = {"md": to_markdown, "json": to_json, "csv": to_csv}


def export_run(record: RunRecord, fmt: str, target: Path) -> Path:
    """Write the record to ``target`` (never over an existing file); returns the path."""
    text = EXPORTERS[fmt](record)
    with target.open("x", encoding="utf-8") as handle:
        handle.write(text)
    return target


class RunDetailScreen(Screen[None]):
    """One run from the journal, read-only."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (90, "-wide")]
    BINDINGS = [
        Binding("escape,q", "close", "Back", id="detail.close"),
        Binding("e", "export", "Export", id="detail.export"),
        Binding("r", "resume", "Resume", id="detail.resume"),
    ]

    def __init__(self, run_id: str) -> None:
        super().__init__()
        self.run_id = run_id
        self.record: RunRecord | None = None

    def compose(self) -> ComposeResult:
        yield Static(lit("Run"), id="detail-title")
        with Horizontal(id="detail-body"):
            yield DataTable(id="timeline", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="detail-side"):
                yield Static("", id="detail-facts")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one("#timeline", DataTable)
        table.add_columns("#", "Time (UTC)", "Who", "What", "Value", "Reason")
        table.focus()
        run_id = self.run_id

        def compute(journal: Journal) -> RunRecord:
            return load_run_record(journal, run_id)

        query_in_thread(self, compute, self._show, group="detail")

    def _show(self, record: RunRecord) -> None:
        self.record = record
        d = record.definition
        self.query_one("#detail-title", Static).update(
            line((d.title, "bold"), ("  run ", "$text-muted"), record.run_id)
        )
        table = self.query_one("#timeline", DataTable)
        table.clear()
        for event in record.events:
            table.add_row(
                cell(str(event.seq)),
                cell(event.ts[11:19]),
                cell(event.actor, max_width=16),
                cell(describe(d, event), max_width=44),
                cell("" if event.kind in ("complete", "back") else event.value or "", max_width=24),
                cell(event.reason or "", max_width=30),
            )
        facts = summary_parts(record.definition, record.state)
        facts += ["\n\n", ("Last journal hash", "bold"), "\n", record.last_hash]
        self.query_one("#detail-facts", Static).update(line(*facts))
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "resume":
            return self.record is not None and not self.record.state.finished
        return True

    def action_close(self) -> None:
        """Back to the history."""
        self.app.pop_screen()

    def action_resume(self) -> None:
        """Resume this (unfinished) run."""
        self.app.resume_run(self.run_id)  # type: ignore[attr-defined]

    def action_export(self) -> None:
        """Export as Markdown, JSON or CSV into a new file."""
        record = self.record
        if record is None:
            return

        def chosen(fmt: object) -> None:
            if fmt is None:
                return
            suffix = str(fmt)

            def write(name: str) -> None:
                target = Path(name).expanduser()
                try:
                    export_run(record, suffix, target)
                except FileExistsError:
                    raise ValueError(f"{target} already exists; choose another name") from None
                except OSError as error:
                    raise ValueError(f"cannot write {target}: {error.strerror}") from None

            def done(name: object) -> None:
                if name is not None:
                    self.notify(f"Exported to {name}", markup=False)

            self.app.push_screen(
                TextPrompt(
                    "Export to file",
                    hint="A new file (an existing one is never overwritten)",
                    value=f"procedo-run-{record.run_id[:8]}.{suffix}",
                    submit=write,
                ),
                done,
            )

        self.app.push_screen(ChoicePrompt("Export format", list(EXPORTERS)), chosen)


__all__ = ["Content", "RunDetailScreen", "export_run"]
