"""The board as the app opens it reads what past runs took at each node (the figures'
``usual_at``): "0:00 · usual 2:00 · p90 2:00" beside a run at a node with history."""

from __future__ import annotations

from pathlib import Path

from procedo.journal import Journal
from procedo.model import load_file
from procedo.tui import make_app
from procedo.tui.screens.board import BoardScreen
from procedo.tui.widgets.row_table import RowTable
from tui_support import FakeClock, make_paths, wait_until

MIN = 60_000


async def test_the_board_shows_the_usual_time_at_the_node(tmp_path: Path) -> None:
    paths = make_paths(tmp_path)
    clock = FakeClock()
    loaded = load_file(paths.processes / "incident-response.toml")
    with Journal(paths.db) as journal:
        journal.clock = clock
        done = journal.start_run(loaded, "Alice", "pager")
        for index in done.open_items():
            item = loaded.definition.steps["triage"].items[index]
            if item.record == "choice":
                done.record(index, item.choices[0])
            elif item.record:
                done.record(index, "2")
            else:
                done.check(index)
        clock.advance(2 * MIN)
        done.complete()
        done.accept_role()
        done.choose(1)  # no customer impact: the end, a completed run
        assert done.state.finished
        clock.advance(MIN)
        live = journal.start_run(loaded, "Bob", "pager")
        journal.release(live.run_id)
    app = make_app(paths, clock=clock, board=True)
    async with app.run_test(size=(160, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, BoardScreen), "the board")
        await wait_until(pilot, lambda: app.screen.loaded, "the board read")
        table = app.screen.query_one("#board", RowTable)
        cell = str(table.get_cell(live.run_id, "at-node"))
        assert cell == "0:00 · usual 2:00 · p90 2:00", cell
