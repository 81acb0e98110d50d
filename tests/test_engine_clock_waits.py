"""An item's ``wait_minutes``: counted from the previous item (or entering the step), refused
with the time left in the operator's words, the same in ``allowed`` and ``toggle``, paused
time and interrupts not counted, and the same after a crash and a resume from the journal."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from clock_defs import CLOCK_TOML, MIN, SEC, Clock, clock_definition, start_run, to_watch
from procedo.engine import Refused, Run
from procedo.engine.clock_rules import step_elapsed_ms, wait_left_ms, wait_refusal
from procedo.engine.clock_text import clock_text
from procedo.journal import Journal
from procedo.model import LoadedProcess, content_hash


def refused(action: object, message: str) -> None:
    with pytest.raises(Refused) as caught:
        action()  # type: ignore[operator]
    assert str(caught.value) == message


def dead_pid() -> int:
    """The id of a process that has exited (as tests/test_journal_lease.py makes one)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def left(run: Run, item: int) -> int | None:
    return wait_left_ms(run.definition, run.state, item, run.clock())


def test_the_first_items_wait_counts_from_entering_the_step() -> None:
    clock = Clock()
    run = start_run(clock)
    assert left(run, 0) == 2 * MIN
    clock.advance(48 * SEC)
    assert left(run, 0) == 72 * SEC
    refused(lambda: run.check(0), "'Wait for the cache to drain' waits 2 min: 1:12 left")
    clock.advance(72 * SEC)
    assert left(run, 0) is None
    run.check(0)
    assert run.state.current is not None and run.state.current.mark(0).checked


def test_a_later_items_wait_counts_from_the_previous_tick() -> None:
    clock = Clock()
    run = start_run(clock)
    to_watch(run, clock)
    clock.advance(7 * MIN)  # time at the step before the previous item is ticked does not count
    refused(
        lambda: run.check(1),
        "'Watch the error rate for 5 minutes' waits 5 min once 'Roll out' is done",
    )
    assert left(run, 1) == 5 * MIN
    run.check(0)
    clock.advance(3 * MIN + 12 * SEC - 1)  # 1:48 and 1 ms left: said as 1:49
    refused(lambda: run.check(1), "'Watch the error rate for 5 minutes' waits 5 min: 1:49 left")
    clock.advance(1)
    refused(lambda: run.check(1), "'Watch the error rate for 5 minutes' waits 5 min: 1:48 left")
    clock.advance(1 * MIN + 48 * SEC)
    run.check(1)


def test_allowed_and_toggle_say_the_same_as_the_refusal() -> None:
    clock = Clock()
    run = start_run(clock)
    clock.advance(90 * SEC)
    words = "'Wait for the cache to drain' waits 2 min: 0:30 left"
    assert run.allowed(0).toggle.reason == words
    assert not run.allowed(0).toggle.ok
    toggle = run.toggle(0)
    assert (toggle.does, toggle.reason, toggle.why) == ("nothing", words, "waiting")
    assert run.allowed(1).toggle.ok  # another item is not held
    clock.advance(30 * SEC)
    assert run.allowed(0).toggle.ok
    assert run.toggle(0).does == "tick"


def test_other_refusals_come_first() -> None:
    clock = Clock()
    run = start_run(clock)
    run.pause()
    refused(lambda: run.check(0), "the run is paused: resume it first")
    assert run.toggle(0).why == "status"


def test_recording_a_value_waits_too_and_a_mistake_is_said_before_the_wait() -> None:
    clock = Clock()
    run = start_run(clock)
    to_watch(run, clock)
    run.check(0)
    clock.advance(5 * MIN)
    run.check(1)
    clock.advance(20 * SEC)
    assert run.toggle(2).why == "waiting"
    refused(lambda: run.record(2, "0.5"), "'Error rate' waits 1 min: 0:40 left")
    clock.advance(40 * SEC)
    assert run.toggle(2).does == "record"
    run.record(2, "0.5")


def test_not_applicable_is_allowed_during_a_wait_it_does_not_claim_the_wait() -> None:
    clock = Clock()
    run = start_run(clock)
    assert run.allowed(0).not_applicable.ok
    run.mark_not_applicable(0, "the cache was empty")
    assert left(run, 0) is None
    assert run.state.current is not None
    assert run.state.current.mark(0).na_reason == "the cache was empty"


def test_a_not_applicable_previous_item_starts_the_wait_too() -> None:
    clock = Clock()
    run = start_run(clock)
    to_watch(run, clock)
    run.mark_not_applicable(0, "already rolled out")
    clock.advance(4 * MIN)
    assert left(run, 1) == 1 * MIN


def test_clearing_the_previous_tick_stops_the_wait_and_ticking_it_again_restarts_it() -> None:
    clock = Clock()
    run = start_run(clock)
    to_watch(run, clock)
    run.check(0)
    clock.advance(4 * MIN)
    run.uncheck(0)
    assert left(run, 1) == 5 * MIN
    run.check(0)
    clock.advance(1 * MIN)
    assert left(run, 1) == 4 * MIN


def test_paused_time_does_not_count() -> None:
    clock = Clock()
    run = start_run(clock)
    clock.advance(1 * MIN)
    run.pause("lunch")
    clock.advance(45 * MIN)
    assert left(run, 0) == 1 * MIN  # while paused, the wait stands still
    run.resume()
    assert left(run, 0) == 1 * MIN
    clock.advance(59 * SEC)
    refused(lambda: run.check(0), "'Wait for the cache to drain' waits 2 min: 0:01 left")
    clock.advance(1 * SEC)
    run.check(0)


def test_two_pauses_in_one_wait_both_leave_time_out() -> None:
    clock = Clock()
    run = start_run(clock)
    to_watch(run, clock)
    run.check(0)
    for _ in range(2):
        clock.advance(1 * MIN)
        run.pause()
        clock.advance(10 * MIN)
        run.resume()
    assert left(run, 1) == 3 * MIN


def test_time_in_an_interrupt_does_not_count_to_the_wait_it_held_up() -> None:
    clock = Clock()
    run = start_run(clock)
    to_watch(run, clock)
    run.check(0)
    clock.advance(1 * MIN)
    run.raise_interrupt("page")
    clock.advance(30 * SEC)
    run.check(0)  # the page's own first item
    assert left(run, 1) == 1 * MIN  # the page's own wait counts from its first tick
    clock.advance(1 * MIN)
    run.check(1)
    clock.advance(10 * SEC)
    run.complete()  # back to watch
    assert run.state.current_node == "watch"
    assert left(run, 1) == 4 * MIN


def test_a_wait_inside_an_interrupt_that_was_paused() -> None:
    clock = Clock()
    run = start_run(clock)
    run.raise_interrupt("page")
    run.check(0)
    run.pause()
    clock.advance(20 * MIN)
    run.resume()
    clock.advance(15 * SEC)
    refused(lambda: run.check(1), "'Hand it on' waits 1 min: 0:45 left")


def test_a_wait_in_a_parallel_branch_counts_from_entering_the_branch_step() -> None:
    clock = Clock()
    run = start_run(clock)
    to_watch(run, clock)
    run.check(0)
    clock.advance(5 * MIN)
    run.check(1)
    clock.advance(1 * MIN)
    run.record(2, "0.1")
    run.complete()
    clock.advance(1 * MIN)
    run.choose(0)
    branches = {p.branch: run.state.visits[p.path[-1]].node for p in run.state.open_positions()}
    tag = next(key for key, node in branches.items() if node == "tag")
    run.switch(tag)
    clock.advance(20 * SEC)
    assert left(run, 0) == 40 * SEC


def test_step_elapsed_leaves_out_paused_time() -> None:
    clock = Clock()
    run = start_run(clock)
    clock.advance(1 * MIN)
    run.pause()
    clock.advance(5 * MIN)
    assert step_elapsed_ms(run.state, clock()) == 1 * MIN
    run.resume()
    clock.advance(30 * SEC)
    assert step_elapsed_ms(run.state, clock()) == 90 * SEC


def test_no_wait_applies_elsewhere() -> None:
    clock = Clock()
    run = start_run(clock)
    definition = run.definition
    assert wait_left_ms(definition, run.state, 1, clock()) is None  # no wait_minutes
    assert wait_left_ms(definition, run.state, 9, clock()) is None  # no such item
    assert wait_refusal(definition, run.state, 1, clock()) == ""
    run.abort("test")
    assert wait_left_ms(definition, run.state, 0, clock()) is None


@pytest.mark.parametrize(
    ("ms", "text"),
    [(0, "0:00"), (1, "0:01"), (999, "0:01"), (1000, "0:01"), (192_000, "3:12"),
     (3_723_000, "1:02:03")],
)  # fmt: skip
def test_the_time_left_is_rounded_up_to_the_second(ms: int, text: str) -> None:
    assert clock_text(ms, round_up=True) == text


def test_a_wait_survives_a_crash_and_the_time_while_down_counts(tmp_path: Path) -> None:
    """A crash is not a pause: the journal cannot tell it from a quiet operator. The time left
    after the run is opened again is worked out from the journal's timestamps alone."""
    db = tmp_path / "journal.db"
    clock = Clock()
    loaded = LoadedProcess(
        clock_definition(), Path("deploy.toml"), CLOCK_TOML, content_hash(CLOCK_TOML)
    )
    first = Journal(db)
    first.clock = clock
    run = first.start_run(loaded, "Ann")
    to_watch(run, clock)
    run.check(0)
    clock.advance(1 * MIN)
    run_id = run.run_id
    first.close()  # the session dies: no pause, and its lease names a process now gone
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE leases SET pid = ? WHERE run_id = ?", (dead_pid(), run_id))
    clock.advance(90 * SEC)
    with Journal(db) as second:
        second.clock = clock
        opened = second.open_run(run_id)
        assert not opened.read_only
        again = opened.run
        assert again.state.last_seq > run.state.last_seq  # the crash is journaled (takeover)
        assert left(again, 1) == 5 * MIN - 150 * SEC
        refused(
            lambda: again.check(1), "'Watch the error rate for 5 minutes' waits 5 min: 2:30 left"
        )
        again.pause()
        clock.advance(1 * MIN)
        again.resume()
        clock.advance(150 * SEC)
        again.check(1)


class CountingClock(Clock):
    """A clock that counts how often it is read."""

    def __init__(self) -> None:
        super().__init__()
        self.reads = 0

    def __call__(self) -> int:
        self.reads += 1
        return self.now


def test_the_clock_is_read_only_where_a_wait_applies() -> None:
    """A run without waits reads its clock only to stamp events, as before issue 13 (a test
    clock that steps on each read keeps its times)."""
    clock = CountingClock()
    run = start_run(clock)
    before = clock.reads
    run.allowed(1)
    run.toggle(1)
    run.allowed(None)
    assert clock.reads == before
    run.allowed(0)
    assert clock.reads == before + 1
