"""The live board: every active and paused run of the journal, from every window.

It follows the journal as a read-only run screen does (:mod:`run_follow`): twice a second it
asks ``PRAGMA data_version``, and when another connection committed, it reads the rows again
in a thread of its own (:mod:`board_reader`: :func:`procedo.journal.board.board_rows`), the
cursor kept on its run. It
also reads them every :data:`REREAD_SECONDS`, since a window that dies commits nothing and its
runs must come to say "nobody". The elapsed times tick every second from the moments each row
holds, without a query. ``enter`` opens the highlighted run read-only, following it live.
"""

from __future__ import annotations

from concurrent.futures import Future

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from procedo.engine import RunError
from procedo.journal import Journal, JournalError
from procedo.journal.board import UsualAt, board_rows
from procedo.journal.lease import this_host
from procedo.model.board import BoardRow
from procedo.tui.querying import show_when_done
from procedo.tui.screens.base import ProcedoScreen
from procedo.tui.screens.board_cells import (
    WIDE,
    columns_for,
    layout,
    row_cells,
    ticking_cells,
)
from procedo.tui.screens.board_reader import BoardReader
from procedo.tui.screens.run_follow import FOLLOW_SECONDS, ChangeWatch
from procedo.tui.text import lit
from procedo.tui.widgets.footer import FittedFooter
from procedo.tui.widgets.row_table import RowTable

REREAD_SECONDS = 10.0
"""How often the board reads the journal even when nothing was committed (leases of windows
that died without a word)."""
READING = "Reading the runs in progress…"
EMPTY = "No runs in progress: every run in the journal is completed or aborted."


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
        self.reader: BoardReader | None = None
        self._pending: Future[list[BoardRow]] | None = None  # the read asked for last
        self._stale = False  # the journal changed while a read was under way
        self._usual = usual
        self._usual_seen: dict[tuple[str, str], object | None] = {}
        self._host = this_host()
        self._keys: list[str] = []  # the runs shown, in order
        self._wide = False  # whether they were shown with the wide columns
        self._shown: dict[str, BoardRow] = {}  # the row each shows
        self._titles = 10  # the width of the titles when the table was filled

    def compose(self) -> ComposeResult:
        yield Static(lit("Board: runs in progress"), id="board-title")
        yield RowTable(id="board", cursor_type="row", zebra_stripes=True)
        yield Static(lit(READING), id="board-status")
        yield FittedFooter(compact=True)

    def on_mount(self) -> None:
        table = self.query_one("#board", RowTable)
        table.focus()
        self.changes = ChangeWatch(self.app.paths.db)
        self.reader = BoardReader(self.app.paths.db)
        self.reload()
        self.set_interval(FOLLOW_SECONDS, self._follow)
        self.set_interval(REREAD_SECONDS, self._reread)
        self.set_interval(1.0, self.tick)

    def on_unmount(self) -> None:
        if self.changes is not None:
            self.changes.close()
            self.changes = None
        if self.reader is not None:
            self.reader.close()
            self.reader = None

    def on_screen_resume(self) -> None:
        if self.loaded:  # back from a run: read again at once
            self.reload()

    # -- data -----------------------------------------------------------------------------

    def _follow(self) -> None:
        if not self.is_current:
            return  # under a run opened from here: read again when back (on_screen_resume)
        if self.changes is not None and self.changes.changed():
            self._stale = True
        if self._stale:
            self.reload()

    def _reread(self) -> None:
        if self.is_current:
            self.reload()

    def reload(self) -> None:
        """Read the rows in the reader's thread, then show them (once the read under way is
        done: reads never queue up behind a slow one)."""
        if self.reader is None:
            return
        if self._pending is not None and not self._pending.done():
            self._stale = True  # asked again at the next look for changes
            return
        self._stale = False
        now = int(self.app.clock())
        token = self.app.workspace.journal.token
        usual = self._cached_usual() if self._usual is not None else None
        previous = list(self.rows)  # a run with no event since keeps its moments

        def compute(journal: Journal) -> list[BoardRow]:
            return board_rows(journal, now, usual=usual, token=token, previous=previous)

        self._pending = self.reader.submit(compute)
        show_when_done(self, self._pending, self._show, group="board")

    def _cached_usual(self) -> UsualAt:
        """The usual figures asked once per process and node while the board is open (they
        change only as runs end; the reader's thread is the one that asks)."""
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
        """Show the rows read: in place when the same runs are shown in the same order (only
        the rows of runs with news are written), else the table refilled, the cursor kept
        on the run it was on."""
        table = self.query_one("#board", RowTable)
        width = table.size.width or self.size.width
        keys = [row.run_id for row in self.rows]
        now = int(self.app.clock())
        if keys and self._only_removed(keys) and (width >= WIDE) == self._wide:
            wide = width >= WIDE
            gone = set(self._keys).difference(keys)  # runs that ended: their rows taken out
            if gone:
                key, index = table.cursor_key(), table.cursor_row
                for run_id in gone:
                    table.remove_row(run_id)
                table.restore_cursor(key, index)
            for row in self.rows:
                if self._shown.get(row.run_id) is row:
                    continue  # nothing new: its times tick on their own
                line = row_cells(row, now, self._host, wide=wide, title_width=self._titles)
                for key, _ in columns_for(width):
                    table.update_cell(row.run_id, key, line[key])
        else:
            self._refill(table, width, now)
        self._keys, self._wide = keys, width >= WIDE
        self._shown = {row.run_id: row for row in self.rows}
        table.display = bool(self.rows)
        self._say()

    def _only_removed(self, keys: list[str]) -> bool:
        """True when ``keys`` are the runs shown, in the same order, less some that ended
        (their rows are taken out and the others written in place: no refill)."""
        if keys == self._keys:
            return True
        kept = set(keys)
        return len(kept) < len(self._keys) and [k for k in self._keys if k in kept] == keys

    def _refill(self, table: RowTable, width: int, now: int) -> None:
        """Every row again, each column as wide as its widest cell (measured here, see
        :mod:`procedo.tui.widgets.tables`), the two titles sharing what the others leave."""
        key, index = table.cursor_key(), table.cursor_row
        self._titles, lines, shape = layout(self.rows, now, self._host, width)
        if shape != [(str(c.key.value), c.width) for c in table.columns.values()]:
            table.clear(columns=True)
            for column, size in shape:
                table.add_column(dict(columns_for(width))[column], key=column, width=size)
        else:
            table.clear()
        for row, line in zip(self.rows, lines, strict=True):
            table.add_row(*(line[column] for column, _ in shape), key=row.run_id)
        table.restore_cursor(key, index)

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
        """Tick the times of the rows on screen (no query)."""
        if not self.rows or not self.is_current:
            return
        table = self.query_one("#board", RowTable)
        now = int(self.app.clock())
        first = int(table.scroll_y)
        shown = {key for key, _ in columns_for(table.size.width or self.size.width)}
        for row in self.rows[first : first + max(1, table.size.height)]:
            if row.run_id not in table.rows:
                continue
            for column, text in ticking_cells(row, now).items():
                if column in shown and str(table.get_cell(row.run_id, column)) != text.plain:
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


__all__ = ["BoardScreen"]
