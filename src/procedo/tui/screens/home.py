"""Home: unfinished runs to resume, every process to start, and definition problems."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Input, Static

from procedo.tui.screens.base import ProcedoScreen
from procedo.tui.screens.home_rows import (
    figure_cells,
    matches,
    process_cells,
    title_widths,
    unfinished_cells,
)
from procedo.tui.screens.problems import ProblemsScreen, broken_files_line, reload_message
from procedo.tui.screens.process_detail import process_detail
from procedo.tui.text import lit
from procedo.tui.widgets.bounded import BoundedInput
from procedo.tui.widgets.footer import FittedFooter
from procedo.tui.widgets.row_table import RowTable

if TYPE_CHECKING:  # imported just after the first frame, with the journal and the catalog
    from procedo.workspace import ProcessSummary, UnfinishedRun, Workspace

FILTER_LENGTH = 120
"""The longest filter (it is never journaled: a bound, not the engine's rule)."""
LOADING = "Reading the processes and the journal…"
UPGRADING = (
    "Upgrading the journal to this version of procedo (once; a large journal takes a minute)…"
)


class HomeScreen(ProcedoScreen):
    """The first screen: resume, start, or look around."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (20, "-tall")]
    BINDINGS = [
        Binding("enter", "open", "Open", id="home.open", show=True),
        Binding("slash", "filter", "Filter", id="home.filter"),
        Binding("p", "practice", "Practice", id="home.practice"),
        Binding("tab", "app.focus_next", "Next list", id="home.next", show=False),
        Binding("h", "history", "History", id="home.history"),
        Binding("m", "metrics", "Metrics", id="home.metrics"),
        Binding("w", "board", "Board", id="home.board", show=False),
        Binding("d", "diagram", "Map", id="home.diagram"),
        Binding("r", "reload", "Reload", id="home.reload"),
        Binding("v", "problems", "Problems", id="home.problems"),
        Binding("end", "cursor_edge(1)", "Last row", id="home.last", show=False),
        Binding("home", "cursor_edge(0)", "First row", id="home.first", show=False),
        Binding("j", "cursor(1)", "Down", id="home.down", show=False),
        Binding("k", "cursor(-1)", "Up", id="home.up", show=False),
        Binding("escape", "clear_filter", "Clear filter", id="home.clear", show=False),
        Binding("q", "app.quit", "Quit", id="home.quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._summaries: list[ProcessSummary] = []
        self._last_table = "processes"
        self._loaded = False
        self._figures = False  # the per-process figures are read just after the first frame
        self._unfinished: list[UnfinishedRun] = []
        self._filled_width = 0

    @property
    def workspace(self) -> Workspace:
        """The app's workspace."""
        return self.app.workspace

    def compose(self) -> ComposeResult:
        yield Static(lit("procedo"), id="home-title")
        yield Static("", id="readonly-journal")
        yield BoundedInput(
            placeholder="/ filter processes and runs",
            id="filter",
            compact=True,
            max_length=FILTER_LENGTH,
            what="filter",
        )
        yield Static("", id="broken-files")
        with Horizontal(id="home-body"):
            with Vertical(id="home-lists"):
                yield Static("", id="unfinished-label", classes="section")
                yield RowTable(id="unfinished", cursor_type="row", zebra_stripes=True)
                yield Static("", id="processes-label", classes="section")
                yield RowTable(id="processes", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="home-side"):
                yield Static("", id="process-detail")
        yield FittedFooter(compact=True)

    def on_mount(self) -> None:
        # Column labels as Text: a str label is parsed as markup, which imports rich's table
        # of emoji codes before the first frame.
        unfinished = self.query_one("#unfinished", DataTable)
        unfinished.add_columns(*map(Text, ("Process", "Operator", "Stopped at", "Updated")))
        processes = self.query_one("#processes", DataTable)
        processes.add_columns(*map(Text, ("Process", "Version", "Steps")))
        processes.add_column(Text("Last run"), key="last-run")
        processes.add_column(Text("Success"), key="success")
        if not self.app.workspace_ready:
            # The first frame says the lists are coming (never an empty list that looks
            # final); the app opens the workspace just after it and calls show_workspace.
            self.say_loading(LOADING)
            self.query_one("#process-detail", Static).update(lit(""))
            unfinished.display = False
            processes.focus()
            return
        self.show_workspace()

    def say_loading(self, text: str) -> None:
        """What the list's label says while the workspace is being opened."""
        self.query_one("#processes-label", Static).update(lit(text))

    def show_workspace(self) -> None:
        """Fill both lists (the catalog and a short indexed query); the per-process figures
        walk an index over every run, so they fill in just after that frame."""
        unfinished = self.query_one("#unfinished", DataTable)
        processes = self.query_one("#processes", DataTable)
        self._unfinished = self.workspace.unfinished()
        self._summaries = self.workspace.summaries(figures=False)
        self._fill_tables()
        self._show_problems()
        banner = self.query_one("#readonly-journal", Static)
        banner.update(lit(self.workspace.read_only_message))
        banner.display = bool(self.workspace.read_only_message)
        (unfinished if unfinished.row_count else processes).focus()
        self.refresh_bindings()
        self.call_after_refresh(self.call_after_refresh, self._load_figures)

    def _load_figures(self) -> None:
        """Read the last run and success rate of each process and show them in place."""
        self._summaries = self.workspace.summaries()
        self._figures = True
        self._loaded = True
        processes = self.query_one("#processes", DataTable)
        now = self.app_clock()
        for summary in self._summaries:
            key = summary.loaded.id
            if key in processes.rows:
                last_run, success = figure_cells(summary, now, figures=True)
                processes.update_cell(key, "last-run", last_run, update_width=True)
                processes.update_cell(key, "success", success, update_width=True)
        self._show_detail()

    def on_screen_resume(self) -> None:
        if self._loaded:  # the first load happens in on_mount and just after the first frame
            self.refresh_data()

    # -- data -----------------------------------------------------------------------------

    def refresh_data(self, *, reload: bool = False) -> None:
        """Read the processes and runs again and redraw the lists."""
        if reload:
            self.workspace.reload()
        self._summaries = self.workspace.summaries()
        self._figures = True
        self._unfinished = self.workspace.unfinished()
        self._fill_tables()
        self._show_problems()

    def _matches(self, *texts: str) -> bool:
        return matches(self.query_one("#filter", Input).value, *texts)

    def on_resize(self) -> None:
        self.call_after_refresh(self._refit)

    def _refit(self) -> None:
        if self.query_one("#home-lists").size.width == self._filled_width:
            return
        self._fill_tables()

    def _title_widths(self) -> tuple[int, int]:
        """How wide the Process column of each list may be so that every column shows."""
        width = self.query_one("#home-lists").size.width or self.size.width
        self._filled_width = width
        return title_widths(width)

    def show_run(self, run_id: str) -> None:
        """Put the operator on ``run_id`` in the unfinished runs (after leaving that run;
        app.go_home has just read the lists again)."""
        table = self.query_one("#unfinished", DataTable)
        if run_id in table.rows:
            table.move_cursor(row=table.get_row_index(run_id))
            table.focus()

    def _fill_tables(self) -> None:
        """Redraw both lists, each keeping its highlighted row, and the focus where it was."""
        if not self.app.workspace_ready:
            return  # still loading: the lists keep saying so
        tables = [self.query_one("#unfinished", RowTable), self.query_one("#processes", RowTable)]
        kept = [(t.cursor_key(), t.cursor_row) for t in tables]
        focused = self.focused
        self._fill_rows()
        for table, (key, row) in zip(tables, kept, strict=True):
            table.restore_cursor(key, row)
        if focused in tables and not focused.display:  # its last row was filtered away
            next((t for t in tables if t.display and t.row_count), tables[1]).focus()
        elif focused in tables and self.focused is not focused:
            focused.focus()
        self._show_detail()

    def _fill_rows(self) -> None:

        now = self.app_clock()
        run_title, process_title = self._title_widths()
        unfinished = self.query_one("#unfinished", DataTable)
        unfinished.clear()
        shown_runs = [
            u for u in self._unfinished if self._matches(u.title, u.operator, u.process_id)
        ]
        for run in shown_runs:
            unfinished.add_row(*unfinished_cells(run, now, run_title), key=run.run_id)
        unfinished.display = bool(shown_runs)
        label = self.query_one("#unfinished-label", Static)
        label.update(lit(f"Unfinished runs ({len(shown_runs)})"))
        label.display = bool(shown_runs)

        processes = self.query_one("#processes", DataTable)
        processes.clear()
        shown = [
            s
            for s in self._summaries
            if self._matches(
                s.loaded.definition.title, s.loaded.id, s.loaded.definition.process.owner
            )
        ]
        for summary in shown:
            cells = process_cells(summary, now, process_title, figures=self._figures)
            processes.add_row(*cells, key=summary.loaded.id)
        total = len(self._summaries)
        count = f"{len(shown)} of {total}" if len(shown) != total else str(total)
        self.query_one("#processes-label", Static).update(lit(f"Processes ({count})"))

    def app_clock(self) -> int:
        """The app's clock (fixed in tests)."""
        return int(self.app.clock())

    def _highlighted_process(self) -> ProcessSummary | None:
        table = self.query_one("#processes", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((s for s in self._summaries if s.loaded.id == key), None)

    def _show_detail(self) -> None:
        detail = self.query_one("#process-detail", Static)
        summary = self._highlighted_process()
        if summary is None:
            detail.update(lit("No processes yet. Add TOML files to the processes folder."))
            return
        detail.update(process_detail(summary))

    def _show_problems(self) -> None:
        """The files that could not be loaded, in one line above the lists."""
        broken = self.query_one("#broken-files", Static)
        content = broken_files_line(self.workspace.catalog)
        if content is not None:
            broken.update(content)
        if broken.display != (content is not None):
            broken.display = content is not None
            self.refresh_bindings()  # v is in the footer only when there is something to see

    # -- events and actions ---------------------------------------------------------------

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "processes":
            self._show_detail()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self._open_row(event.data_table, event.row_key.value)

    def _open_row(self, table: DataTable, key: str | None, *, practice: bool = False) -> None:
        if key is None:
            return
        if table.id == "unfinished":
            self.app.resume_run(key)
        else:
            self.app.open_start(key, practice=practice)

    def on_descendant_focus(self, event: object) -> None:
        widget = getattr(event, "widget", None)
        if isinstance(widget, DataTable) and widget.id:
            self._last_table = widget.id

    def _focused_table(self) -> DataTable:
        """The list the operator is in (or was last in)."""
        focused = self.focused
        if isinstance(focused, DataTable):
            return focused
        return self.query_one(f"#{self._last_table}", DataTable)

    def action_open(self, practice: bool = False) -> None:
        """Start the highlighted process, or resume the highlighted run."""
        table = self._focused_table()
        if not table.row_count:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        self._open_row(table, key, practice=practice)

    def action_practice(self) -> None:
        """Start a practice run of the highlighted process (left out of the metrics)."""
        table = self.query_one("#processes", DataTable)
        if table.row_count:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            self._open_row(table, key, practice=True)

    def action_cursor(self, delta: int) -> None:
        """Move the highlight in the focused list."""
        table = self._focused_table()
        if delta > 0:
            table.action_cursor_down()
        else:
            table.action_cursor_up()

    def action_cursor_edge(self, last: int) -> None:
        """Go to the last (or first) row of the focused list."""
        table = self._focused_table()
        if table.row_count:
            table.move_cursor(row=table.row_count - 1 if last else 0)

    def action_filter(self) -> None:
        """Type to filter the lists."""
        self.query_one("#filter", Input).focus()

    def action_clear_filter(self) -> None:
        """Clear the filter and return to the list."""
        filter_input = self.query_one("#filter", Input)
        filter_input.value = ""
        self.query_one("#processes", DataTable).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "filter":
            self._fill_tables()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "filter":
            self.query_one("#processes", DataTable).focus()

    def action_reload(self) -> None:
        """Read the processes folder again."""
        self.refresh_data(reload=True)
        catalog = self.workspace.catalog
        self.notify(
            reload_message(catalog),
            severity="warning" if catalog.problems else "information",
            timeout=4 if catalog.problems else 2,
            markup=False,
        )

    def action_problems(self) -> None:
        """List each problem of the files that could not be loaded."""
        catalog = self.workspace.catalog
        if not catalog.problems:
            self.notify("Every process file loaded.", timeout=2)
            return
        self.app.push_screen(ProblemsScreen(catalog))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not self.app.workspace_ready:  # still loading: shown, dimmed
            return action in ("cursor", "cursor_edge", "clear_filter") or None
        if action == "problems":
            return bool(self.app.workspace.catalog.problems)
        return True

    def action_history(self) -> None:
        """Open the history of runs."""
        self.app.open_history()

    def action_board(self) -> None:
        """Open the live board of every run in progress."""
        self.app.open_board()

    def action_metrics(self) -> None:
        """Open the metrics of the highlighted process."""
        summary = self._highlighted_process()
        self.app.open_metrics(summary.loaded.id if summary else None)

    def action_diagram(self) -> None:
        """Show the map of the highlighted process."""
        summary = self._highlighted_process()
        if summary is not None:
            self.app.open_map(summary.loaded.definition)
