"""History: every run, newest first, with filters; enter opens a run."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Checkbox, DataTable, Input, Select, Static

from procedo.engine import STATUSES
from procedo.engine.cleaning import MAX_NAME
from procedo.journal import Journal
from procedo.journal.history import HistoryFilter, HistoryRow, history_count, history_page
from procedo.journal.history_calls import CallLink, NestedRow, call_links, nest
from procedo.tui.querying import beside, query_in_thread, show_when_done
from procedo.tui.screens.base import ProcedoScreen
from procedo.tui.text import cell, duration, lit
from procedo.tui.widgets.bounded import BoundedInput
from procedo.tui.widgets.footer import FittedFooter
from procedo.tui.widgets.row_table import RowTable
from procedo.tui.widgets.tables import refill

PAGE = 100


Page = tuple[list[HistoryRow], int, dict[str, CallLink]]
"""A page of runs, the count of all that match, and the parents of its called runs."""


def _page_query(flt: HistoryFilter, offset: int) -> Callable[[Journal], Page]:
    """The query of one page of runs, the count of all that match, the page's call links."""

    def compute(journal: Journal) -> Page:
        rows = history_page(journal, flt, limit=PAGE, offset=offset)
        links = call_links(journal, [row.run_id for row in rows])
        return rows, history_count(journal, flt), links

    return compute


def called_title(nested: NestedRow, title: str) -> str:
    """A run's process title, under its parent (``↳``) or naming the run that called it."""
    if nested.parent_shown:  # a cell folds and strips spaces: each level is a visible mark
        return "· " * (nested.depth - 1) + "↳ " + title
    if nested.link is not None:
        return f"{title} (called by {nested.link.parent_run[:8]})"
    return title


class HistoryScreen(ProcedoScreen):
    """A filterable table of runs."""

    BINDINGS = [
        Binding("escape,q", "close", "Back", id="history.close"),
        Binding("slash", "search", "Search", id="history.search"),
        Binding("right_square_bracket", "page(1)", "Next page", id="history.next"),
        Binding("left_square_bracket", "page(-1)", "Prev page", id="history.prev"),
        Binding("m", "metrics", "Metrics", id="history.metrics"),
        Binding("r", "reload", "Reload", id="history.reload"),
        Binding("j", "cursor(1)", "Down", id="history.down", show=False),
        Binding("k", "cursor(-1)", "Up", id="history.up", show=False),
        Binding("end", "cursor_edge(1)", "Last row", id="history.last", show=False),
        Binding("home", "cursor_edge(0)", "First row", id="history.first", show=False),
    ]

    def __init__(self, process: str | None = None) -> None:
        super().__init__()
        self.initial_process = process
        self.page_offset = 0
        self.total = 0
        self.rows: list[HistoryRow] = []
        self.links: dict[str, CallLink] = {}
        self._filled_width = 0
        self._asked: tuple[HistoryFilter, int] | None = None
        """The filter and offset of the last query asked for (None after a bad filter)."""
        self._process_options: list[tuple[Content, str]] = []

    def compose(self) -> ComposeResult:
        self._first_page = self._start_first_query()
        yield Static(lit("History"), id="history-title")
        with Horizontal(classes="filters"):
            yield BoundedInput(
                placeholder="/ search: process, operator, run id",
                id="search",
                compact=True,
                max_length=MAX_NAME,
                what="search",
            )
            yield Select(self._process_options, prompt="Any process", id="process", compact=True)
            yield Select([(s, s) for s in STATUSES], prompt="Any status", id="status", compact=True)
            yield Select(
                [("success", "success"), ("failure", "failure")],
                prompt="Any outcome",
                id="outcome",
                compact=True,
            )
        with Horizontal(classes="filters"):
            yield BoundedInput(
                placeholder="operator",
                id="operator",
                compact=True,
                max_length=MAX_NAME,
                what="filter",
            )
            yield BoundedInput(
                placeholder="since YYYY-MM-DD",
                id="since",
                compact=True,
                max_length=MAX_NAME,
                what="filter",
            )
            yield BoundedInput(
                placeholder="until YYYY-MM-DD",
                id="until",
                compact=True,
                max_length=MAX_NAME,
                what="filter",
            )
            yield Checkbox(lit("practice runs"), True, id="practice", compact=True)
        yield RowTable(id="runs", cursor_type="row", zebra_stripes=True)
        yield Static("", id="history-status")
        yield FittedFooter(compact=True)

    def _start_first_query(self) -> Future[Page]:
        """The first page's query, started before any widget is built so that it runs while
        they mount: its filter is what the widgets will say (the initial process, if known)."""
        summaries = self.app.workspace.summaries(figures=False)  # titles only
        self._process_options = [(lit(p.loaded.definition.title), p.loaded.id) for p in summaries]
        known = self.initial_process in {pid for _, pid in self._process_options}
        flt = HistoryFilter(process=self.initial_process if known else None)
        self._asked = (flt, self.page_offset)
        return beside(self.app.paths.db, _page_query(flt, self.page_offset))

    def on_mount(self) -> None:
        process = self._asked[0].process if self._asked is not None else None
        if process is not None:
            with self.prevent(Select.Changed):  # the first query asked for this already
                self.query_one("#process", Select).value = process
        self.query_one("#runs", DataTable).focus()
        first = self._first_page
        if first.done() and first.exception() is None:
            self._show(first.result())  # read while the widgets mounted: in the first frame
        else:
            show_when_done(self, first, self._show, group="history")

    # -- data -----------------------------------------------------------------------------

    def current_filter(self) -> HistoryFilter:
        """The filter the widgets describe (ValueError for a bad date or value)."""

        def text(selector: str) -> str | None:
            value = self.query_one(selector, Input).value.strip()
            return value or None

        def choice(selector: str) -> str | None:
            value = self.query_one(selector, Select).value
            return None if value is Select.NULL else str(value)

        return HistoryFilter(
            process=choice("#process"),
            status=choice("#status"),
            outcome=choice("#outcome"),
            operator=text("#operator"),
            since=text("#since"),
            until=text("#until"),
            text=text("#search"),
            include_practice=self.query_one("#practice", Checkbox).value,
        )

    def reload(self, *, again: bool = False) -> None:
        """Query the page at the current offset (unless it is the one asked for last and not
        ``again``: a widget set to what it already said changes nothing)."""
        try:
            flt = self.current_filter()
        except ValueError as error:  # the rows of an older filter would mislead: none shown
            self._asked = None
            self.rows, self.total, self.links = [], 0, {}
            self._fill_table()
            self.query_one("#history-status", Static).update(
                lit(f"{error}. No runs shown until the filter is fixed.")
            )
            return
        if (flt, self.page_offset) == self._asked and not again:
            return
        self._asked = (flt, self.page_offset)
        query_in_thread(self, _page_query(flt, self.page_offset), self._show, group="history")

    def _show(self, result: Page) -> None:
        self.rows, self.total, self.links = result
        self._fill_table()

    def _fill_table(self) -> None:
        """The rows, with every column on screen from 80 columns up (Ver from 100)."""
        table = self.query_one("#runs", DataTable)
        width = table.size.width or self.size.width
        self._filled_width = width
        row_index = table.cursor_row
        with_version = self.size.width >= 100
        headers = ["Started (UTC)", "Process", "Ver", "Operators", "Result", "Duration", "Target"]
        if not with_version:
            headers.remove("Ver")
        rows: list[list[Text]] = []
        keys: list[str] = []
        # Started 16, Result 7, Duration 10, Target 6, Ver 6: two cells of padding each.
        rest = width - 39 - 2 * len(headers) - 2 - (6 if with_version else 0)
        longest = max((len(", ".join(row.operators)) for row in self.rows), default=9)
        operators = max(9, min(18, rest * 2 // 5, longest))
        process = max(12, min(36, rest - operators))
        for nested in nest(self.rows, self.links):
            row = nested.row
            result = row.outcome or row.status
            colour = {"success": "green", "failure": "red", "aborted": "red"}.get(result, "")
            target = "" if row.on_target is None else ("on" if row.on_target else "over")
            title = called_title(
                nested, ("(practice) " if row.practice else "") + row.process_title
            )
            cells = [
                cell(row.started_at[:16].replace("T", " ")),
                cell(title, max_width=process),
                cell(row.version, max_width=6),
                cell(", ".join(row.operators), max_width=operators),
                cell(result, colour),
                cell(duration(row.duration_ms) if row.duration_ms is not None else ""),
                cell(target, "green" if row.on_target else "red"),
            ]
            if not with_version:
                del cells[2]
            rows.append(cells)
            keys.append(row.run_id)
        refill(table, headers, rows, keys)
        if table.row_count:
            table.move_cursor(row=min(row_index, table.row_count - 1))
        first = self.page_offset + 1 if self.rows else 0
        last = self.page_offset + len(self.rows)
        self.query_one("#history-status", Static).update(
            lit(f"Runs {first}–{last} of {self.total:,}   ([ ] pages, enter opens a run)")
        )

    def on_resize(self) -> None:
        self.call_after_refresh(self._refit)

    def _refit(self) -> None:
        if self.query_one("#runs", DataTable).size.width != self._filled_width:
            self._fill_table()

    # -- events and actions ---------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        self.page_offset = 0
        self.reload()

    def on_select_changed(self, event: Select.Changed) -> None:
        self.page_offset = 0
        self.reload()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        self.page_offset = 0
        self.reload()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one("#runs", DataTable).focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value:
            self.app.open_run_detail(event.row_key.value)

    def action_cursor(self, delta: int) -> None:
        """Move the highlight (j, k), so enter opens the run that is highlighted."""
        table = self.query_one("#runs", DataTable)
        table.focus()
        table.action_cursor_down() if delta > 0 else table.action_cursor_up()

    def action_cursor_edge(self, last: int) -> None:
        """Go to the last (or first) run of the page."""
        table = self.query_one("#runs", DataTable)
        table.focus()
        if table.row_count:
            table.move_cursor(row=table.row_count - 1 if last else 0)

    def action_search(self) -> None:
        """Type to search."""
        self.query_one("#search", Input).focus()

    def action_page(self, delta: int) -> None:
        """Show the next or previous page."""
        offset = self.page_offset + delta * PAGE
        if 0 <= offset < max(self.total, 1):
            self.page_offset = offset
            self.reload()

    def action_reload(self) -> None:
        """Query again."""
        self.reload(again=True)

    def action_metrics(self) -> None:
        """Open the metrics for the chosen process (or all)."""
        value = self.query_one("#process", Select).value
        self.app.open_metrics(None if value is Select.NULL else str(value))

    def action_close(self) -> None:
        """Back to where the history was opened from."""
        self.app.pop_screen()
