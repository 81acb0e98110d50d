"""Walk every bundled process with the keyboard, as an operator would, and check the journal."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest
from textual.widgets import OptionList

from procedo.journal import Journal, RunLockedError, StaleRunError
from procedo.journal.verify import verify_journal
from procedo.model import load_file
from procedo.tui import StartRequest
from procedo.tui.screens.home import HomeScreen
from procedo.tui.screens.run import RunScreen
from procedo.tui.screens.summary import SummaryScreen
from tui_support import (
    BUNDLED,
    FakeClock,
    act_as_next_role,
    app_for,
    fill_step,
    first_new_option,
    inputs_for,
    last_new_option,
    make_paths,
    paste,
    wait_out,
    walk_to_end,
)

PROCESS_FILES = [p for p in sorted(BUNDLED.glob("*.toml")) if p.stem != "tester-proving"]
"""Every bundled process but tester-proving, which each lockout walk runs as its called run
(and tests/test_bundled_conditions.py walks to its failing end)."""


def _start(process_id: str, operator: str = "Tess", *, low: bool = False) -> StartRequest:
    """Start with every input given: the middle of its range, or with ``low`` its minimum (the
    other side of the conditions that read it: a small refund, a canary over its objective)."""
    loaded = load_file(BUNDLED / f"{process_id}.toml")
    trigger = loaded.definition.triggers[0].id if loaded.definition.triggers else None
    inputs = inputs_for(loaded.definition)
    if low:
        inputs |= {
            k: f"{s.min:g}" for k, s in loaded.definition.inputs.items() if s.min is not None
        }
    return StartRequest(process_id, operator, trigger, inputs=inputs)


KEY_WALKS = {"incident-response", "refund-approval"}


@pytest.mark.parametrize("path", PROCESS_FILES, ids=[p.stem for p in PROCESS_FILES])
async def test_every_process_walks_to_an_end_on_both_sides(tmp_path: Path, path: Path) -> None:
    """Two runs per process, taking first and then last options at decisions.

    The screens' actions and dialogs are driven directly (the Pilot's idle wait after every
    key costs ~60-100 ms); two processes take their first-option path by real key presses
    instead (the same path, through the bindings: it used to be walked both ways).
    """
    taken: set[tuple[str, int]] = set()
    walks = [(first_new_option, path.stem in KEY_WALKS), (last_new_option, False)]
    for chooser, keys in walks:
        paths = make_paths(tmp_path / f"{chooser.__name__}-{keys}")
        app = app_for(paths, start=_start(path.stem, low=chooser is last_new_option))
        async with app.run_test(size=(100, 32)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, RunScreen)
            run = app.screen.run
            await walk_to_end(pilot, chooser, keys=keys)
            assert isinstance(app.screen, SummaryScreen)
            live = run.state
        assert live.status == "completed"
        taken |= {(v.node, v.choice) for v in live.visits if v.choice is not None}
        with Journal(paths.db) as journal:
            _, stored = journal.load_state(live.run_id)
            row = journal.run_row(live.run_id)
            assert verify_journal(journal).intact
        assert stored.status == "completed" and stored.end_node == live.end_node
        assert stored.path_nodes() == live.path_nodes()
        assert row["status"] == "completed" and row["end_node"] == live.end_node
        assert row["last_seq"] == live.last_seq
    decisions = {node for node, _ in taken}
    assert any(len({c for n, c in taken if n == d}) > 1 for d in decisions), "one side only"


async def test_loop_not_applicable_note_back_and_hand_over(tmp_path: Path) -> None:
    paths = make_paths(tmp_path)
    app = app_for(paths, start=_start("incident-response", "Alice"))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RunScreen)
        run = screen.run
        # A note on the first item, then the whole triage step.
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("1")  # "About this item: ..."
        await pilot.pause()
        await paste(pilot, "Paged at night [ok]")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await fill_step(pilot)
        assert (run.state.current_node, run.state.awaiting_role) == ("impact", "ic")
        # Back to triage (allowed at the hand-over point): its ticks are still there.
        await pilot.press("b")
        await pilot.pause()
        assert run.state.current_node == "triage"
        assert run.open_items() == []
        await pilot.press("c")
        await pilot.pause()
        await act_as_next_role(pilot)  # Alice acts as incident commander
        await pilot.press("1")  # customers affected -> mitigate
        await pilot.pause()
        await act_as_next_role(pilot)  # and as on-call engineer again
        # Not applicable with a reason on the rollback, tick the other, complete.
        await pilot.press("x")
        await pilot.pause()
        await paste(pilot, "No deploy in the last day")
        await pilot.press("enter")
        await pilot.pause()
        wait_out(run, 1)  # the watch item waits 5 min after the rollback's mark
        await pilot.press("space", "c")  # the cursor moved on to the open item by itself
        await pilot.pause()
        assert run.state.current_node == "fixed"
        await pilot.press("2")  # no, try again: the loop
        await pilot.pause()
        assert run.state.current_node == "mitigate"
        assert run.open_items() == [0, 1], "a loop visit starts with fresh ticks"
        # Hand over, then finish.
        await pilot.press("o")
        await pilot.pause()
        await pilot.press(*"Bob", "enter")
        await pilot.pause()
        assert run.state.operator == "Bob"
        await pilot.press("space")
        await pilot.pause()
        wait_out(run, 1)
        await pilot.press("space", "c")
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
    with Journal(paths.db) as journal:
        events = journal.events(run.run_id)
    kinds = [e.kind for e in events]
    assert kinds.count("back") == 1 and kinds.count("handover") == 1
    assert [e.node for e in events if e.kind == "complete"].count("mitigate") == 2
    na = next(e for e in events if e.kind == "na")
    assert (na.node, na.item, na.reason) == ("mitigate", 0, "No deploy in the last day")
    note = next(e for e in events if e.kind == "note")
    assert (note.node, note.item, note.value) == ("triage", 0, "Paged at night [ok]")
    assert {
        e.actor for e in events[events.index(next(e for e in events if e.kind == "handover")) + 1 :]
    } == {"Bob"}
    assert events[-1].kind == "finish" and events[-1].value == "success"


async def test_refusals_are_shown_not_raised(tmp_path: Path) -> None:
    paths = make_paths(tmp_path)
    app = app_for(paths, start=_start("incident-response"))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RunScreen)
        await pilot.press("c")
        await pilot.pause()
        status = str(screen.query_one("#status").render())
        assert "6 items still open" in status
        await pilot.press("down", "down", "x")  # the critical item
        await pilot.pause()
        assert "is critical: it cannot be marked not applicable" in str(
            screen.query_one("#status").render()
        )
        assert isinstance(app.screen, RunScreen), "no dialog opens for a critical item"
        await pilot.press("down", "down", "space")  # Error rate: a number 0..100
        await pilot.pause()
        await pilot.press(*"250", "enter")
        await pilot.pause()
        error = str(app.screen.query_one("#dialog-error").render())
        assert error == "250 % is above the maximum 100 %"
        await pilot.press("escape")
        await pilot.pause()
        assert screen.run.state.last_seq == 1, "nothing was written"


async def test_abort_asks_reason_and_confirmation(tmp_path: Path) -> None:
    paths = make_paths(tmp_path)
    app = app_for(paths, start=_start("refund-approval"))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        run = app.screen.run  # type: ignore[attr-defined]
        await pilot.press("a")
        await pilot.pause()
        await paste(pilot, "Customer withdrew the request")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("n")  # not confirmed: nothing happens
        await pilot.pause()
        assert run.state.status == "active"
        await pilot.press("a")
        await pilot.pause()
        await paste(pilot, "Customer withdrew the request")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert "ABORTED" in str(app.screen.query_one("#summary").render())
    with Journal(paths.db) as journal:
        row = journal.run_row(run.run_id)
    assert row["status"] == "aborted" and row["abort_reason"] == "Customer withdrew the request"


async def test_quit_leaves_the_run_paused_and_it_resumes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = make_paths(tmp_path)
    clock = FakeClock(step=1000)
    app = app_for(paths, start=_start("incident-response"), clock=clock)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        run = app.screen.run  # type: ignore[attr-defined]
        await pilot.press("space", "space")  # each tick moves on to the next open item
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        unfinished = app.screen.query_one("#unfinished")
        assert unfinished.row_count == 1  # type: ignore[attr-defined]
    with Journal(paths.db) as journal:
        assert journal.run_row(run.run_id)["status"] == "paused"
        assert journal.rows("SELECT count(*) AS n FROM leases")[0]["n"] == 0
    monkeypatch.setenv("PROCEDO_OPERATOR", run.state.operator)  # the same person goes on
    app = app_for(paths, clock=clock)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await pilot.press("enter")  # the unfinished run is focused first
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RunScreen)
        assert not screen.read_only
        assert screen.run.state.status == "active"
        assert screen.run.open_items() == [2, 3, 4, 5]
        assert screen.query_one("#choices", OptionList).highlighted == 2, "the first open item"
        await pilot.press("ctrl+q")
        await pilot.pause()
    with Journal(paths.db) as journal:
        kinds = [e.kind for e in journal.events(run.run_id)]
    assert kinds == ["start", "check", "check", "pause", "resume", "pause"]


async def test_second_session_is_read_only_and_can_take_over(tmp_path: Path) -> None:
    paths = make_paths(tmp_path)
    holder = Journal(paths.db)
    loaded = load_file(paths.processes / "incident-response.toml")
    run = holder.start_run(loaded, "Alice", "pager")
    run.check(0)
    app = app_for(paths, resume=run.run_id)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RunScreen) and screen.read_only
        assert "driven by Alice" in str(screen.query_one("#readonly-banner").render())
        assert screen.query_one("#choices", OptionList).highlighted == 1, "the first open item"
        await pilot.press("space")
        await pilot.pause()
        assert "read-only" in str(screen.query_one("#status").render())
        await pilot.press("t")
        await pilot.pause()
        await pilot.press("ctrl+u", *"Bob", "enter")
        await pilot.pause()
        assert not screen.read_only and screen.run.state.operator == "Bob"
        await pilot.press("space")
        await pilot.pause()
        assert screen.run.state.current.mark(1).checked  # type: ignore[union-attr]
        with pytest.raises(RunLockedError, match="driven by Bob"):
            run.check(2)
    with pytest.raises(StaleRunError, match="changed in another session"):
        run.check(2)
    holder.close()


async def test_a_failed_write_is_reported_and_not_shown_as_done(tmp_path: Path) -> None:
    paths = make_paths(tmp_path)
    app = app_for(paths, start=_start("incident-response"))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RunScreen)
        conn = app.workspace.journal.db.conn  # type: ignore[union-attr]
        conn.set_progress_handler(lambda: 1, 1)  # every statement is interrupted
        await pilot.press("space")
        await pilot.pause()
        status = str(screen.query_one("#status").render())
        assert status.startswith("⚠ NOT SAVED:") and "only what is saved" in status
        assert not screen.run.state.current.mark(0).checked  # type: ignore[union-attr]
        prompt = screen.query_one("#choices").get_option_at_index(0).prompt  # type: ignore[attr-defined]
        assert prompt.plain.startswith("[ ]")
        conn.set_progress_handler(None, 1)
        await pilot.press("space")
        await pilot.pause()
        assert screen.run.state.current.mark(0).checked  # type: ignore[union-attr]
    with Journal(paths.db) as journal:
        assert [e.kind for e in journal.events(screen.run.run_id)] == ["start", "check", "pause"]


async def test_start_from_home_through_the_start_screen(tmp_path: Path) -> None:
    paths = make_paths(tmp_path)
    app = app_for(paths)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#processes")
        table.move_cursor(row=table.get_row_index("lab-sample-intake"))  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        await pilot.click("#operator")  # the name given is changed on purpose only
        await pilot.press("end", "ctrl+u", *"Lab Tech", "enter")  # then the trigger list has focus
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RunScreen)
        assert screen.run.state.operator == "Lab Tech"
        loaded = load_file(paths.processes / "lab-sample-intake.toml")
        assert screen.run.state.trigger == loaded.definition.triggers[1].id


async def test_command_palette_starts_a_process(tmp_path: Path) -> None:
    paths = make_paths(tmp_path)
    app = app_for(paths)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await paste(pilot, "Start: Customer refund")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert type(app.screen).__name__ == "StartScreen"


async def test_help_lists_the_keys_of_the_run_screen(tmp_path: Path) -> None:
    paths = make_paths(tmp_path)
    app = app_for(paths, start=_start("incident-response"))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        text = app.screen.query_one("Static").render().plain  # type: ignore[union-attr]
        for expected in (
            "space",
            "Tick",
            "N/A",
            "Done",
            "Note",
            "Back",
            "Handover",
            "Abort",
            "Pause",
            "1–9",
            "ctrl+p",
        ):
            assert expected in text, expected


@pytest.mark.parametrize("size", [(80, 24), (40, 12), (200, 60)])
async def test_any_terminal_size_works_and_resizing_never_crashes(tmp_path: Path, size) -> None:
    paths = make_paths(tmp_path)
    app = app_for(paths, start=_start("lockout-tagout"))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await fill_step(pilot)
        for width, height in [(30, 8), (120, 40), size]:
            await pilot.resize_terminal(width, height)
            await pilot.pause()
        assert isinstance(app.screen, RunScreen)
        assert app.screen.run.state.current_node != "prepare"


async def test_a_take_over_elsewhere_turns_an_open_dialog_and_the_screen_read_only(
    tmp_path: Path,
) -> None:
    paths = make_paths(tmp_path)
    app = app_for(paths, start=_start("incident-response", "Alice"))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RunScreen)
        await pilot.press("down", "down", "down", "down", "space")  # Error rate
        await pilot.pause()
        with Journal(paths.db) as other:  # while the value dialog is open
            other.take_over(screen.run.run_id, "Bob", "Alice's terminal froze")
        await pilot.press(*"12", "enter")
        await pilot.pause()
        assert "driven by Bob" in str(app.screen.query_one("#dialog-error").render())
        await pilot.press("escape")
        await pilot.pause()
        assert screen.read_only
        assert "driven by Bob" in str(screen.query_one("#readonly-banner").render())


async def test_a_journal_held_busy_elsewhere_fails_fast_and_the_key_works_again(
    tmp_path: Path,
) -> None:
    paths = make_paths(tmp_path)
    app = app_for(paths, start=_start("incident-response"))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RunScreen)
        blocker = sqlite3.connect(paths.db, isolation_level=None)
        blocker.execute("BEGIN EXCLUSIVE")  # an sqlite3 shell left inside a transaction
        began = time.monotonic()
        await pilot.press("space")
        await pilot.pause()
        waited = time.monotonic() - began
        status = str(screen.query_one("#status").render())
        assert status.startswith("⚠ NOT SAVED:") and "the journal is busy" in status
        assert 2.5 < waited < 8, waited  # the TUI's 3 s, not the CLI's 15 s
        assert not screen.run.state.current.mark(0).checked  # type: ignore[union-attr]
        blocker.execute("ROLLBACK")
        blocker.close()
        await pilot.press("space")
        await pilot.pause()
        assert screen.run.state.current.mark(0).checked  # type: ignore[union-attr]


async def test_taking_over_a_paused_run_resumes_it_and_says_so(tmp_path: Path) -> None:
    paths = make_paths(tmp_path)
    holder = Journal(paths.db)
    loaded = load_file(paths.processes / "incident-response.toml")
    run = holder.start_run(loaded, "Alice", "pager")
    run.pause()
    app = app_for(paths, resume=run.run_id)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RunScreen) and screen.read_only
        await pilot.press("t")
        await pilot.pause()
        await pilot.press("ctrl+u", *"Bob", "enter")
        await pilot.pause()
        assert screen.run.state.status == "active"
        assert "taken over by Bob and resumed" in str(screen.query_one("#status").render())
    holder.close()


async def test_resuming_as_someone_else_asks_who_goes_on_and_journals_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = make_paths(tmp_path)
    app = app_for(paths, start=_start("incident-response"))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        run = app.screen.run  # type: ignore[attr-defined]
        await pilot.press("space", "q")
        await pilot.pause()
    last = run.state.operator
    monkeypatch.setenv("PROCEDO_OPERATOR", "Zoe")  # another person at the shared workstation
    app = app_for(paths, resume=run.run_id)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert not isinstance(app.screen, RunScreen), "resumed under the last name unasked"
        assert f"Last worked by {last}" in " ".join(
            str(w.render()) for w in app.screen.query(".dialog-hint")
        )
        await pilot.press("enter")  # the suggested name: the person at the keyboard
        await pilot.pause()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RunScreen)
        assert screen.run.state.operator == "Zoe"
    with Journal(paths.db) as journal:
        kinds = [e.kind for e in journal.events(run.run_id)]
    assert kinds[-3:] == ["resume", "handover", "pause"], kinds  # paused again on leaving
