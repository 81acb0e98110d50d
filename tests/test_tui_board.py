"""The live board (Pilot): following runs driven from another process, opening one read-only,
the cursor kept on its run, `w` on the home screen and `procedo board`."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap
from pathlib import Path

from click.testing import CliRunner

from procedo.config import Paths
from procedo.journal import Journal
from procedo.model import load_file
from procedo.tui import make_app
from procedo.tui.screens.board import EMPTY, BoardScreen
from procedo.tui.screens.home import HomeScreen
from procedo.tui.screens.run import RunScreen
from procedo.tui.widgets.row_table import RowTable
from tui_support import FIXED_MS, FakeClock, make_paths, settle, static_text, wait_until

MIN = 60_000

DRIVER = textwrap.dedent(
    """
    import sys
    from procedo.journal import Journal

    journal = Journal(sys.argv[1])
    journal.clock = lambda: int(sys.argv[2])
    runs = {}
    for line in sys.stdin:
        command, run_id, item = line.split()
        if run_id not in runs:
            runs[run_id] = journal.open_run(run_id).run
        runs[run_id].check(int(item))
        print("ok", flush=True)
    journal.close()
    """
)
"""Another procedo process: opens runs (holding their leases) and ticks what it is told."""


class Driver:
    """The other process, told one tick at a time."""

    def __init__(self, db: Path, now_ms: int) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", DRIVER, str(db), str(now_ms)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    async def check(self, run_id: str, item: int) -> None:
        """Tick ``item`` of ``run_id`` in the other process; back once it is committed."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(f"check {run_id} {item}\n")
        self.proc.stdin.flush()
        answer = await asyncio.to_thread(self.proc.stdout.readline)
        assert answer.strip() == "ok", answer

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        self.proc.wait(timeout=10)


def started(paths: Paths, clock: FakeClock) -> list[str]:
    """Two incident runs (Alice, then Bob a minute later) and a refund run paused, none held."""
    ids = []
    with Journal(paths.db) as journal:
        journal.clock = clock
        incident = load_file(paths.processes / "incident-response.toml")
        refund = load_file(paths.processes / "refund-approval.toml")
        for operator in ("Alice", "Bob"):
            ids.append(journal.start_run(incident, operator, "pager").run_id)
            clock.advance(MIN)
        run = journal.start_run(refund, "Cat", "customer-request", inputs={"amount": "25"})
        run.pause("Waiting for the customer")
        ids.append(run.run_id)
        for run_id in ids:
            journal.release(run_id)
    return ids


def board_app(paths: Paths, clock: FakeClock):
    return make_app(paths, clock=clock, board=True)


def cursor_run(app) -> str | None:
    return app.screen.query_one("#board", RowTable).cursor_key()


def holder_text(app, run_id: str) -> str:
    table = app.screen.query_one("#board", RowTable)
    return str(table.get_cell(run_id, "holder"))


async def test_the_board_follows_a_run_driven_by_another_process(tmp_path: Path) -> None:
    paths = make_paths(tmp_path)
    clock = FakeClock()
    alice, bob, cat = started(paths, clock)
    app = board_app(paths, clock)
    driver = Driver(paths.db, clock.now + MIN)
    try:
        async with app.run_test(size=(140, 30)) as pilot:
            await settle(pilot)
            board = app.screen
            assert isinstance(board, BoardScreen)
            assert [row.run_id for row in board.rows] == [cat, bob, alice]
            assert holder_text(app, alice) == "nobody"
            reads = board.reads

            await driver.check(alice, 0)  # committed by the other process
            await wait_until(
                pilot,
                lambda: holder_text(app, alice).startswith(f"pid {driver.proc.pid} · "),
                "the board names the other process",
                timeout=2.0,
            )
            assert board.reads > reads
            assert [row.run_id for row in board.rows] == [cat, bob, alice]  # in its place
            assert board.rows[2].last_activity > board.rows[0].last_activity
            assert static_text(board, "#board-status").startswith("3 runs in progress (1 paused)")
    finally:
        driver.close()


async def test_enter_opens_the_run_read_only_and_it_follows_live(tmp_path: Path) -> None:
    paths = make_paths(tmp_path)
    clock = FakeClock()
    alice, _bob, _cat = started(paths, clock)
    app = board_app(paths, clock)
    driver = Driver(paths.db, clock.now + MIN)
    try:
        async with app.run_test(size=(140, 30)) as pilot:
            await settle(pilot)
            await driver.check(alice, 0)  # the other process holds alice's run
            await wait_until(
                pilot, lambda: "pid" in holder_text(app, alice), "the other process holds it"
            )
            table = app.screen.query_one("#board", RowTable)
            table.move_cursor(row=table.get_row_index(alice))
            await pilot.press("enter")
            await wait_until(pilot, lambda: isinstance(app.screen, RunScreen), "the run opened")
            screen = app.screen
            assert isinstance(screen, RunScreen)
            assert screen.read_only and screen.run.run_id == alice
            assert screen.run.state.current.mark(0).done  # type: ignore[union-attr]

            await driver.check(alice, 1)  # the other window goes on
            await wait_until(
                pilot,
                lambda: screen.run.state.current.mark(1).done,  # type: ignore[union-attr]
                "the read-only run followed the other window",
            )
            await pilot.press("q")  # leaves it as it is: back to the board
            await wait_until(pilot, lambda: isinstance(app.screen, BoardScreen), "the board")
    finally:
        driver.close()


async def test_the_cursor_stays_on_its_run_across_a_refresh(tmp_path: Path) -> None:
    """A run started in another window comes on top: the highlighted run moves down a row,
    and the cursor with it."""
    paths = make_paths(tmp_path)
    clock = FakeClock()
    alice, bob, cat = started(paths, clock)
    app = board_app(paths, clock)
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#board", RowTable)
        table.move_cursor(row=table.get_row_index(bob))
        assert table.cursor_row == 1
        reads = app.screen.reads
        with Journal(paths.db) as other:  # another connection, as another window's
            other.clock = FakeClock(start=clock.now + MIN)
            loaded = load_file(paths.processes / "lab-sample-intake.toml")
            dan = other.start_run(loaded, "Dan", loaded.definition.triggers[0].id).run_id
        await wait_until(pilot, lambda: app.screen.reads > reads, "the board read again")
        assert [row.run_id for row in app.screen.rows] == [dan, cat, bob, alice]
        assert cursor_run(app) == bob and table.cursor_row == 2


async def test_a_run_that_ends_elsewhere_leaves_and_the_cursor_stays(tmp_path: Path) -> None:
    """A run ended in another window: its row is taken out (the others are not written
    again) and the highlight stays on the run it was on."""
    paths = make_paths(tmp_path)
    clock = FakeClock()
    alice, bob, cat = started(paths, clock)
    app = board_app(paths, clock)
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#board", RowTable)
        table.move_cursor(row=table.get_row_index(bob))
        refills = []
        original = app.screen._refill
        app.screen._refill = lambda *args: (refills.append(args), original(*args))  # type: ignore[method-assign]
        reads = app.screen.reads
        with Journal(paths.db) as other:
            other.clock = FakeClock(start=clock.now + MIN)
            other.take_over(cat, "Cat").abort("The customer withdrew")
        await wait_until(pilot, lambda: app.screen.reads > reads, "the board read again")
        assert [row.run_id for row in app.screen.rows] == [bob, alice]
        assert list(table.rows) == [bob, alice] and table.row_count == 2
        assert cursor_run(app) == bob and table.cursor_row == 0
        assert refills == []
        assert static_text(app.screen, "#board-status").startswith("2 runs in progress (0 paused)")


async def test_the_elapsed_times_tick_without_a_query(tmp_path: Path) -> None:
    paths = make_paths(tmp_path)
    clock = FakeClock()
    alice, _bob, cat = started(paths, clock)  # alice started 2 minutes before "now"
    app = board_app(paths, clock)
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        board = app.screen
        assert isinstance(board, BoardScreen)
        table = board.query_one("#board", RowTable)
        assert str(table.get_cell(alice, "elapsed")) == "2:00 / 45 min"
        reads = board.reads
        clock.advance(MIN + 5_000)
        board.tick()
        assert str(table.get_cell(alice, "elapsed")) == "3:05 / 45 min"
        assert str(table.get_cell(cat, "elapsed")) == "0:00 / 20 min"  # paused: it stands
        assert board.reads == reads


async def test_w_on_home_opens_the_board_and_escape_goes_back(tmp_path: Path) -> None:
    paths = make_paths(tmp_path)
    app = make_app(paths, clock=FakeClock())
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await wait_until(pilot, lambda: isinstance(app.screen, BoardScreen), "the board")
        await wait_until(pilot, lambda: app.screen.loaded, "the board read")
        assert static_text(app.screen, "#board-status") == EMPTY
        assert not app.screen.query_one("#board", RowTable).display
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen), "home")


def test_procedo_board_opens_the_app_on_the_board(tmp_path: Path, monkeypatch) -> None:
    from procedo.cli import cli

    launched: list[dict[str, object]] = []
    monkeypatch.setattr(
        "procedo.cli.tui_commands._launch", lambda obj, **kwargs: launched.append(kwargs)
    )
    paths = make_paths(tmp_path)
    result = CliRunner().invoke(
        cli, ["board", "--processes", str(paths.processes), "--db", str(paths.db)]
    )
    assert result.exit_code == 0, result.output
    assert launched == [{"board": True}]


async def test_the_board_request_opens_over_home(tmp_path: Path) -> None:
    paths = make_paths(tmp_path)
    app = make_app(paths, clock=FakeClock(start=FIXED_MS), board=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)
        assert isinstance(app.screen_stack[-2], HomeScreen)


async def test_a_window_that_dies_comes_to_hold_nothing(tmp_path: Path, monkeypatch) -> None:
    """A process that dies commits nothing: the board's own rereads notice its lease lapsed."""
    monkeypatch.setattr("procedo.tui.screens.board.REREAD_SECONDS", 0.3)
    paths = make_paths(tmp_path)
    clock = FakeClock()
    alice, _bob, _cat = started(paths, clock)
    app = board_app(paths, clock)
    driver = Driver(paths.db, clock.now + MIN)
    try:
        async with app.run_test(size=(140, 30)) as pilot:
            await settle(pilot)
            await driver.check(alice, 0)
            await wait_until(pilot, lambda: "pid" in holder_text(app, alice), "held")
            driver.close()  # it leaves without releasing the run: no commit, no data_version
            await wait_until(pilot, lambda: holder_text(app, alice) == "nobody", "nobody")
    finally:
        driver.close()


def test_the_usual_time_at_a_node_and_its_warning_colour() -> None:
    from dataclasses import dataclass

    from procedo.model.board import BoardRow
    from procedo.tui.screens.board_cells import at_node_cell, usual_text

    @dataclass
    class Usual:  # the fields the figures' StepUsual is read by
        median_ms: int
        p90_ms: int

    row = BoardRow(
        run_id="r", process_id="p", process_title="P", operator="Ann", status="active",
        practice=False, node="n", node_title="N", role="", started_ms=0, paused_ms=0,
        pause_started_ms=None, node_entered_ms=60_000, node_paused_ms=0, target_ms=None,
        last_activity="", holder=None, usual=Usual(210_000, 370_000),
    )  # fmt: skip
    assert usual_text(row.usual) == "usual 3:30 · p90 6:10"
    on_time = at_node_cell(row, 60_000 + 252_000)
    assert (on_time.plain, str(on_time.style)) == ("4:12 · usual 3:30 · p90 6:10", "")
    late = at_node_cell(row, 60_000 + 371_000)
    assert late.plain.startswith("6:11 ·") and str(late.style) == "yellow"
    assert usual_text(None) == "" and usual_text("27 runs, none finished") == (
        "27 runs, none finished"
    )
