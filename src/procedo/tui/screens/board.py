"""The live board: every active and paused run of the journal, from every window.

It follows the journal as a read-only run screen does (:mod:`run_follow`): twice a second it
asks ``PRAGMA data_version``, and when another connection committed, it reads the rows again
in a thread worker (:func:`procedo.journal.board.board_rows`), the cursor kept on its run. It
also reads them every :data:`REREAD_SECONDS`, since a window that dies commits nothing and its
runs must come to say "nobody". The elapsed times tick every second from the moments each row
holds, without a query. ``enter`` opens the highlighted run read-only, following it live.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from procedo.engine import RunError
from procedo.journal import Journal, JournalError
from procedo.journal.board import UsualAt, board_rows
from procedo.journal.lease import this_host
from procedo.model.board import BoardRow
from procedo.tui.ago import ago
from procedo.tui.querying import query_in_thread
from procedo.tui.screens.base import ProcedoScreen
from procedo.tui.screens.run_follow import FOLLOW_SECONDS, ChangeWatch
from procedo.tui.text import cell, clock_text, duration, lit
from procedo.tui.widgets.footer import FittedFooter
from procedo.tui.widgets.row_table import RowTable

REREAD_SECONDS = 10.0
"""How often the board reads the journal even when nothing was committed (leases of windows
that died without a word)."""
READING = "Reading the runs in progress…"
EMPTY = "No runs in progress: every run in the journal is completed or aborted."

COLUMNS = [
    ("process", "Process"),
    ("operator", "Operator"),
    ("node", "At"),
    ("role", "Role"),
    ("elapsed", "Elapsed"),
    ("at-node", "At node"),
    ("last", "Last activity"),
    ("holder", "Held by"),
]
TITLES = ("process", "node")
"""The columns that share what the others leave of the width (at least 10 each)."""
TICKING = ("elapsed", "at-node")
"""The columns that tick every second: as wide as their text a minute later, so they fit
until the next read (at most :data:`REREAD_SECONDS` away) measures them again."""
NARROW = ("role", "last")
"""The columns left out under :data:`WIDE` cells of width (80 columns show the rest)."""
WIDE = 120
AHEAD_MS = 60_000


def usual_text(usual: object | None) -> str:
    """The usual time at a node as the board says it: ``usual 3:30 · p90 6:10`` from the
    figures' ``StepUsual`` (its ``median_ms`` and ``p90_ms``), a text as it is, or ""."""
    if usual is None:
        return ""
    median = getattr(usual, "median_ms", None)
    if median is None:
        return str(usual)
    text = f"usual {clock_text(int(median))}"
    p90 = getattr(usual, "p90_ms", None)
    return text + (f" · p90 {clock_text(int(p90))}" if p90 is not None else "")


def elapsed_cell(row: BoardRow, now: int) -> Text:
    """``07:00 / 30 min``: the run's active time against its target (red past it)."""
    text = clock_text(row.elapsed_ms(now))
    if row.target_ms is not None:
        text += f" / {duration(row.target_ms)}"
    return cell(text, "red" if row.over_target(now) else "")


def at_node_cell(row: BoardRow, now: int) -> Text:
    """``04:00 · usual 3:30 · p90 6:10``: the time at the node, and what past runs took there
    (in the warning colour past their 90th percentile)."""
    at_node = row.node_elapsed_ms(now)
    if at_node is None:
        return cell("")
    usual = usual_text(row.usual)
    p90 = getattr(row.usual, "p90_ms", None)
    late = p90 is not None and at_node > int(p90)
    return cell(clock_text(at_node) + (f" · {usual}" if usual else ""), "yellow" if late else "")


class BoardScreen(ProcedoScreen):
    """Every run in progress, live."""

    BINDINGS = [
        Binding("escape,q", "close", "Back", id="board.close"),
        Binding("enter", "open", "Open read-only", id="board.open", show=True),
        Binding("r", "reload", "Reload", id="board.reload"),
        Binding("j", "cursor(1)", "Down", id="board.down", show=False),
        Binding("k", "cursor(-1)", "Up", id="board.up", show=False),
    ]

    def __init__(self, usual: UsualAt | None = None) -> None:
        super().__init__()
        self.rows: list[BoardRow] = []
        self.loaded = False
        """Whether the rows were read at least once (until then the board says it reads)."""
        self.reads = 0
        """How many times the rows were read and shown (tests wait on it)."""
        self.changes: ChangeWatch | None = None
        self._usual = usual
        self._usual_seen: dict[tuple[str, str], object | None] = {}
        self._host = this_host()

    def compose(self) -> ComposeResult:
        yield Static(lit("Board: runs in progress"), id="board-title")
        yield RowTable(id="board", cursor_type="row", zebra_stripes=True)
        yield Static(lit(READING), id="board-status")
        yield FittedFooter(compact=True)

    def on_mount(self) -> None:
        table = self.query_one("#board", RowTable)
        table.focus()
        self.changes = ChangeWatch(self.app.paths.db)
        self.reload()
        self.set_interval(FOLLOW_SECONDS, self._follow)
        self.set_interval(REREAD_SECONDS, self.reload)
        self.set_interval(1.0, self.tick)

    def on_unmount(self) -> None:
        if self.changes is not None:
            self.changes.close()
            self.changes = None

    def on_screen_resume(self) -> None:
        if self.loaded:  # back from a run: read again at once
            self.reload()

    # -- data -----------------------------------------------------------------------------

    def _follow(self) -> None:
        if self.changes is not None and self.changes.changed():
            self.reload()

    def reload(self) -> None:
        """Read the rows in a thread worker, then show them."""
        now = int(self.app.clock())
        token = self.app.workspace.journal.token
        usual = self._cached_usual() if self._usual is not None else None
        previous = list(self.rows)  # a run with no event since keeps its moments

        def compute(journal: Journal) -> list[BoardRow]:
            return board_rows(journal, now, usual=usual, token=token, previous=previous)

        query_in_thread(self, compute, self._show, group="board")

    def _cached_usual(self) -> UsualAt:
        """The usual figures asked once per process and node while the board is open (they
        change only as runs end; the worker is the one thread that asks)."""
        ask, seen = self._usual, self._usual_seen
        assert ask is not None

        def usual(journal: Journal, process_id: str, node: str) -> object | None:
            key = (process_id, node)
            if key not in seen:
                seen[key] = ask(journal, process_id, node)
            return seen[key]

        return usual

    def _show(self, rows: list[BoardRow]) -> None:
        self.rows = rows
        self.loaded = True
        self.reads += 1
        self._fill()

    def _fill(self) -> None:
        """Redraw every row, the cursor kept on the run it was on. Every column is as wide as
        its widest cell, measured here (see :mod:`procedo.tui.widgets.tables`); the two
        titles share what the others leave."""
        table = self.query_one("#board", RowTable)
        key, index = table.cursor_key(), table.cursor_row
        now = int(self.app.clock())
        width = table.size.width or self.size.width
        columns = [(k, label) for k, label in COLUMNS if width >= WIDE or k not in NARROW]
        cells = [self._cells(row, now, wide=width >= WIDE) for row in self.rows]
        widths = {
            k: max([len(label)] + [line[k].cell_len for line in cells])
            for k, label in columns
            if k not in TITLES
        }
        for row in self.rows:
            widths["elapsed"] = max(widths["elapsed"], elapsed_cell(row, now + AHEAD_MS).cell_len)
            widths["at-node"] = max(widths["at-node"], at_node_cell(row, now + AHEAD_MS).cell_len)
        others = sum(w for k, w in widths.items() if k not in TITLES)
        title_width = max(10, (width - others - 2 * len(columns) - 2) // 2)
        for line, row in zip(cells, self.rows, strict=True):
            line["process"] = cell(
                row.process_title + (" (practice)" if row.practice else ""), max_width=title_width
            )
            marker = "⏸ " if row.status == "paused" else "▶ "
            line["node"] = cell(marker + row.node_title, max_width=title_width)
        for k in TITLES:
            widths[k] = max([len(dict(COLUMNS)[k])] + [line[k].cell_len for line in cells])
        shape = [(k, widths[k]) for k, _ in columns]
        if shape != [(str(c.key.value), c.width) for c in table.columns.values()]:
            table.clear(columns=True)
            for k, label in columns:
                table.add_column(label, key=k, width=widths[k])
        else:
            table.clear()
        for row, line in zip(self.rows, cells, strict=True):
            table.add_row(*(line[k] for k, _ in columns), key=row.run_id)
        table.restore_cursor(key, index)
        table.display = bool(self.rows)
        self._say()

    def _cells(self, row: BoardRow, now: int, *, wide: bool) -> dict[str, Text]:
        """The cells of one run, by column (the titles are cut to width by :meth:`_fill`)."""
        holder = "nobody"
        if row.holder is not None:
            holder = row.holder.describe(self._host, session=wide)
        return {
            "operator": cell(row.operator, max_width=14),
            "role": cell(row.role, max_width=18),
            "elapsed": elapsed_cell(row, now),
            "at-node": at_node_cell(row, now),
            "last": cell(ago(row.last_activity, now)),
            "holder": cell(holder, "" if row.holder else "dim", max_width=30),
        }

    def _say(self) -> None:
        status = self.query_one("#board-status", Static)
        if not self.rows:
            status.update(lit(EMPTY))
            return
        paused = sum(1 for row in self.rows if row.status == "paused")
        runs = f"{len(self.rows)} run" + ("s" if len(self.rows) != 1 else "")
        status.update(
            lit(f"{runs} in progress ({paused} paused)   enter opens a run read-only, live")
        )

    def tick(self) -> None:
        """Tick the elapsed times of the rows on screen (no query)."""
        if not self.rows or not self.is_current:
            return
        table = self.query_one("#board", RowTable)
        now = int(self.app.clock())
        first = int(table.scroll_y)
        shown = self.rows[first : first + max(1, table.size.height)]
        for row in shown:
            if row.run_id in table.rows:
                for column, text in (
                    ("elapsed", elapsed_cell(row, now)),
                    ("at-node", at_node_cell(row, now)),
                ):
                    if str(table.get_cell(row.run_id, column)) != text.plain:
                        table.update_cell(row.run_id, column, text)

    # -- actions --------------------------------------------------------------------------

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value:
            self.open_run(event.row_key.value)

    def action_open(self) -> None:
        """Open the highlighted run read-only."""
        key = self.query_one("#board", RowTable).cursor_key()
        if key is not None:
            self.open_run(key)

    def open_run(self, run_id: str) -> None:
        """Show ``run_id`` read-only, following the window that drives it (its summary when
        it has ended meanwhile)."""
        try:
            opened = self.app.workspace.journal.open_run(run_id, read_only=True)
        except (RunError, JournalError) as error:
            self.notify(str(error), title="Cannot open the run", severity="error", markup=False)
            return
        if opened.run.state.finished:
            self.app.show_summary(opened.run)
            return
        reason = str(getattr(opened.run.sink, "reason", "")) or "opened read-only"
        self.app.show_run(opened.run, read_only=True, reason=reason)

    def action_reload(self) -> None:
        """Read the runs again."""
        self.reload()

    def action_cursor(self, delta: int) -> None:
        """Move the highlight (j, k)."""
        table = self.query_one("#board", RowTable)
        table.action_cursor_down() if delta > 0 else table.action_cursor_up()

    def action_close(self) -> None:
        """Back to where the board was opened from."""
        self.app.pop_screen()


__all__ = ["BoardScreen", "at_node_cell", "elapsed_cell", "usual_text"]
