"""Reminders (``remind`` on the process and on a step): due at each interval of active time,
paused time and (for a step) interrupts not counted, acknowledged with a journaled
``remind_ack`` that a replay, the journal, ``verify`` and the exports all keep."""

from __future__ import annotations

from pathlib import Path

import pytest

from clock_defs import CLOCK_TOML, MIN, SEC, T0, Clock, clock_definition, start_run, to_watch
from procedo.engine import MemorySink, Refused, Run, replay
from procedo.engine.clock_rules import DueReminder, reminders_due
from procedo.journal import Journal
from procedo.journal.run_record import load_run_record
from procedo.journal.verify import verify_journal
from procedo.model import LoadedProcess, content_hash
from procedo.render.event_words import describe
from procedo.render.export import to_markdown

PROCESS_TEXT = "Post a status update"


def due(run: Run) -> list[tuple[str, int, int]]:
    return [(d.where, d.number, d.due_ms) for d in run.reminders_due()]


def test_the_process_reminder_is_due_at_each_interval_from_the_start() -> None:
    clock = Clock()
    run = start_run(clock)
    clock.advance(20 * MIN - 1)
    assert due(run) == []
    clock.advance(1)
    assert run.reminders_due() == [DueReminder("", PROCESS_TEXT, 1, T0 + 20 * MIN, 20 * MIN)]


def test_acknowledging_journals_it_and_the_next_interval_comes_later() -> None:
    clock = Clock()
    sink = MemorySink()
    run = start_run(clock, sink=sink)
    clock.advance(21 * MIN)
    run.acknowledge_reminder("", 1)
    event = sink.events[-1]
    assert (event.kind, event.node, event.item, event.value) == (
        "remind_ack",
        None,
        1,
        PROCESS_TEXT,
    )
    assert due(run) == []
    clock.advance(19 * MIN)
    assert due(run) == [("", 2, T0 + 40 * MIN)]


def test_a_missed_reminder_is_one_notice_its_ack_covers_the_earlier_ones() -> None:
    clock = Clock()
    run = start_run(clock)
    clock.advance(65 * MIN)
    assert due(run) == [("", 3, T0 + 60 * MIN)]
    run.acknowledge_reminder("", 3)
    assert run.state.reminders_acked == {-1: 3}
    assert due(run) == []


def test_paused_time_does_not_count() -> None:
    clock = Clock()
    run = start_run(clock)
    clock.advance(15 * MIN)
    run.pause()
    clock.advance(60 * MIN)
    assert due(run) == []  # no reminder falls due while paused
    run.resume()
    clock.advance(5 * MIN)
    assert due(run) == [("", 1, T0 + 80 * MIN)]


def test_a_due_reminder_stays_due_while_paused_and_can_be_acknowledged() -> None:
    clock = Clock()
    run = start_run(clock)
    clock.advance(20 * MIN)
    run.pause()
    clock.advance(30 * MIN)
    assert due(run) == [("", 1, T0 + 20 * MIN)]
    run.acknowledge_reminder("", 1)
    assert due(run) == []


def test_a_step_reminder_counts_from_entering_the_step() -> None:
    clock = Clock()
    run = start_run(clock)
    to_watch(run, clock)  # entered at T0 + 2 min
    clock.advance(5 * MIN)
    assert due(run) == [("watch", 1, T0 + 7 * MIN)]
    run.acknowledge_reminder("watch", 1)
    assert run.state.current is not None
    assert run.state.reminders_acked == {run.state.current.index: 1}
    assert due(run) == []


def test_an_interrupt_holds_a_step_reminder_but_not_the_process_one() -> None:
    clock = Clock()
    run = start_run(clock)
    to_watch(run, clock)
    clock.advance(3 * MIN)
    run.raise_interrupt("page")
    clock.advance(10 * MIN)
    assert due(run) == []  # the step's clock stands still; the run's is at 15 min
    clock.advance(5 * MIN)
    assert due(run) == [("", 1, T0 + 20 * MIN)]
    run.acknowledge_reminder("", 1)  # inside the interrupt: about the run
    run.check(0)
    clock.advance(1 * MIN)
    run.check(1)
    run.complete()
    clock.advance(2 * MIN)
    assert due(run) == [("watch", 1, T0 + 23 * MIN)]  # 3 min before the page, 2 after it


def test_a_step_reminder_on_a_parallel_branch_and_the_focus_stays() -> None:
    clock = Clock()
    run = start_run(clock)
    to_watch(run, clock)
    run.check(0)
    clock.advance(5 * MIN)
    run.acknowledge_reminder("watch", 1)
    run.check(1)
    clock.advance(1 * MIN)
    run.record(2, "0.1")
    run.complete()
    run.choose(0)
    entered = clock()
    focus = run.state.focus
    clock.advance(3 * MIN)
    assert due(run) == [("notes", 1, entered + 3 * MIN)]
    run.acknowledge_reminder("notes", 1)
    assert run.state.focus == focus
    assert due(run) == []


def test_acknowledging_a_reminder_that_is_not_due_is_refused() -> None:
    clock = Clock()
    run = start_run(clock)
    with pytest.raises(Refused, match="that reminder is not due"):
        run.acknowledge_reminder("", 1)
    clock.advance(20 * MIN)
    with pytest.raises(Refused, match="that reminder is not due"):
        run.acknowledge_reminder("", 2)
    with pytest.raises(Refused, match="that reminder is not due"):
        run.acknowledge_reminder("watch", 1)
    run.acknowledge_reminder("", 1)
    with pytest.raises(Refused, match="that reminder is not due"):
        run.acknowledge_reminder("", 1)


def test_none_is_due_in_a_finished_run() -> None:
    clock = Clock()
    run = start_run(clock)
    clock.advance(25 * MIN)
    run.abort("test")
    assert reminders_due(run.definition, run.state, clock()) == []
    with pytest.raises(Refused, match="aborted"):
        run.acknowledge_reminder("", 1)


def test_a_replay_keeps_the_acknowledgements() -> None:
    clock = Clock()
    sink = MemorySink()
    run = start_run(clock, sink=sink)
    to_watch(run, clock)
    clock.advance(6 * MIN)
    run.acknowledge_reminder("watch", 1)
    run.pause()
    clock.advance(20 * MIN)
    run.resume()
    clock.advance(14 * MIN)
    run.acknowledge_reminder("", 1)
    again = replay(run.definition, content_hash(CLOCK_TOML), run.run_id, sink.events)
    assert again == run.state
    assert reminders_due(run.definition, again, clock()) == run.reminders_due()
    assert again.pauses == ((T0 + 8 * MIN, T0 + 28 * MIN),)


def test_the_journal_stores_verifies_and_describes_the_acknowledgement(tmp_path: Path) -> None:
    clock = Clock()
    loaded = LoadedProcess(
        clock_definition(), Path("deploy.toml"), CLOCK_TOML, content_hash(CLOCK_TOML)
    )
    with Journal(tmp_path / "journal.db") as journal:
        journal.clock = clock
        run = journal.start_run(loaded, "Ann")
        to_watch(run, clock)
        clock.advance(18 * MIN)
        run.acknowledge_reminder("", 1)
        run.acknowledge_reminder("watch", 3)
        assert verify_journal(journal).breaches == []
        _, stored = journal.load_state(run.run_id)
        assert stored.reminders_acked == run.state.reminders_acked
        events = [e for e in journal.events(run.run_id) if e.kind == "remind_ack"]
        words = [describe(run.definition, e) for e in events]
        assert words == [
            "acknowledged the reminder 'Post a status update' (1)",
            "acknowledged the reminder 'Check the graphs' (3) at Watch",
        ]
        markdown = to_markdown(load_run_record(journal, run.run_id))
        assert "acknowledged the reminder 'Check the graphs' (3)" in markdown


def test_every_interval_is_an_exact_multiple_of_active_time() -> None:
    """A sweep: with pauses anywhere, the reminder's number is the active time over 20 min."""
    for pause_at in range(0, 60, 7):
        clock = Clock()
        run = start_run(clock, clock_definition())
        clock.advance(pause_at * MIN)
        run.pause()
        clock.advance(11 * MIN + 3 * SEC)
        run.resume()
        clock.advance((60 - pause_at) * MIN)
        assert due(run)[0][:2] == ("", 3)
        assert run.state.active_ms(clock()) == 60 * MIN
