"""The live board's rows (journal/board.py) on a fixture journal, figures worked out by hand."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from procedo.journal import Journal
from procedo.journal.board import BOARD_QUERIES, board_rows
from procedo.journal.lease import this_host
from procedo.model import load_file
from procedo.model.board import BoardRow
from tui_support import FIXED_MS, FakeClock

MIN = 60_000

SHIPPING = """\
[process]
id = "shipping"
title = "Ship an order"
version = "1"
start = "pack"
target_minutes = 30

[roles]
packer = "Warehouse packer"

[inputs.order]
title = "Order number"
record = "text"

[steps.pack]
title = "Pack order {order}"
role = "packer"
next = "label"
items = [{ text = "Box it" }, { text = "Seal it" }]

[steps.label]
title = "Print the label"
role = "packer"
next = "done"
items = [{ text = "Print" }]

[ends.done]
title = "Shipped"
outcome = "success"
"""

RETURNS = """\
[process]
id = "returns"
title = "Handle a return"
version = "2"
start = "inspect"

[steps.inspect]
title = "Inspect the item"
next = "refund"
items = [{ text = "Look at it" }]

[decisions.refund]
question = "Refund it?"
options = [{ label = "Yes", next = "closed" }, { label = "No", next = "closed" }]

[ends.closed]
title = "Closed"
outcome = "success"
"""


@pytest.fixture
def fixture_journal(tmp_path: Path):
    """Four runs at known times (clock in minutes after FIXED_MS = T):

    - A shipping, Ann, active: started T, paused T+2..T+5, resumed, pack completed at T+6,
      so at label since T+6; its lease handed to another live process.
    - B shipping, Bob, paused: started T+1, paused since T+4 (still at pack).
    - C returns, Cat, completed at T+3: not on the board.
    - D returns, Dan, active at the decision since T+7 (started T+3), practice; the lease
      belongs to a process that is gone: nobody holds it.
    """
    for name, text in (("shipping", SHIPPING), ("returns", RETURNS)):
        (tmp_path / f"{name}.toml").write_text(text, encoding="utf-8")
    shipping = load_file(tmp_path / "shipping.toml")
    returns = load_file(tmp_path / "returns.toml")
    clock = FakeClock(start=FIXED_MS)
    journal = Journal(tmp_path / "journal.db")
    journal.clock = clock
    a = journal.start_run(shipping, "Ann", inputs={"order": "SO-17"})  # T
    clock.advance(MIN)
    b = journal.start_run(shipping, "Bob", inputs={"order": "SO-18"})  # T+1
    clock.advance(MIN)
    a.pause()  # T+2
    c = journal.start_run(returns, "Cat")  # T+2
    clock.advance(MIN)
    c.check(0)
    c.complete()
    c.choose(0)  # T+3: completed
    d = journal.start_run(returns, "Dan", practice=True)  # T+3
    clock.advance(MIN)
    b.pause()  # T+4
    clock.advance(MIN)
    a.resume()  # T+5
    clock.advance(MIN)
    a.check(0)
    a.check(1)
    a.complete()  # T+6: at label
    clock.advance(MIN)
    d.check(0)
    d.complete()  # T+7: at the decision
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    with journal.db.conn:
        journal.db.conn.execute(
            "UPDATE leases SET token = 'feedbeef0001', pid = ?, operator = 'Ann' WHERE run_id = ?",
            (live.pid, a.run_id),
        )
        journal.db.conn.execute(
            "UPDATE leases SET token = 'deadbeef0002', pid = ? WHERE run_id = ?",
            (gone.pid, d.run_id),
        )
    try:
        yield journal, {"a": a.run_id, "b": b.run_id, "c": c.run_id, "d": d.run_id}, live.pid
    finally:
        live.kill()
        live.wait()
        journal.close()


def by_id(rows: list[BoardRow]) -> dict[str, BoardRow]:
    return {row.run_id: row for row in rows}


def test_every_run_in_progress_and_no_other(fixture_journal) -> None:
    journal, ids, _ = fixture_journal
    rows = board_rows(journal, FIXED_MS + 10 * MIN)
    # the newest started first: D (T+3), B (T+1), A (T); C is completed
    assert [row.run_id for row in rows] == [ids["d"], ids["b"], ids["a"]]


def test_the_figures_worked_out_by_hand(fixture_journal) -> None:
    journal, ids, live_pid = fixture_journal
    now = FIXED_MS + 10 * MIN
    rows = by_id(board_rows(journal, now))
    a, b, d = rows[ids["a"]], rows[ids["b"]], rows[ids["d"]]

    assert (a.process_title, a.operator, a.status) == ("Ship an order", "Ann", "active")
    assert (a.node, a.node_title, a.role) == ("label", "Print the label", "Warehouse packer")
    assert a.elapsed_ms(now) == 7 * MIN  # 10 minutes, 3 of them paused
    assert a.node_elapsed_ms(now) == 4 * MIN  # at label since T+6
    assert a.target_ms == 30 * MIN and not a.over_target(now)
    assert a.over_target(FIXED_MS + 34 * MIN)  # 31 active minutes
    assert a.last_activity == "2026-11-18T11:12:40.000Z"  # T+6 (T is 11:06:40 UTC)
    assert a.holder is not None
    assert (a.holder.pid, a.holder.host, a.holder.session) == (live_pid, this_host(), "feedbe")
    assert a.holder.describe(this_host()) == f"pid {live_pid} · feedbe"

    assert (b.status, b.node, b.node_title) == ("paused", "pack", "Pack order SO-18")
    assert b.elapsed_ms(now) == 3 * MIN  # T+1 to T+4, then paused
    assert b.elapsed_ms(now + 60 * MIN) == 3 * MIN  # a paused run's clock stands still
    assert b.node_elapsed_ms(now) == 3 * MIN
    assert b.holder is not None and b.holder.pid == os.getpid()  # this test's session

    assert (d.process_title, d.practice, d.node_title, d.role) == (
        "Handle a return",
        True,
        "Refund it?",
        "",
    )
    assert d.elapsed_ms(now) == 7 * MIN and d.node_elapsed_ms(now) == 3 * MIN
    assert d.target_ms is None and not d.over_target(now + 999 * MIN)
    assert d.holder is None  # its holder's process is gone: nobody


def test_the_asking_window_is_named(fixture_journal) -> None:
    journal, ids, _ = fixture_journal
    rows = by_id(board_rows(journal, FIXED_MS, token=journal.token))
    assert rows[ids["b"]].holder is not None and rows[ids["b"]].holder.here
    assert rows[ids["b"]].holder.describe() == "this window"
    assert rows[ids["a"]].holder is not None and not rows[ids["a"]].holder.here


def test_the_usual_time_is_asked_once_per_process_and_node(fixture_journal) -> None:
    journal, ids, _ = fixture_journal
    asked: list[tuple[str, str]] = []

    def usual(_journal: Journal, process_id: str, node: str) -> object | None:
        asked.append((process_id, node))
        return f"usual at {node}" if node != "refund" else None

    rows = by_id(board_rows(journal, FIXED_MS, usual=usual))
    assert sorted(asked) == [("returns", "refund"), ("shipping", "label"), ("shipping", "pack")]
    assert rows[ids["a"]].usual == "usual at label"
    assert rows[ids["d"]].usual is None
    assert by_id(board_rows(journal, FIXED_MS))[ids["a"]].usual is None  # not asked: none


def test_a_pause_going_on_counts_from_the_node_it_is_at(fixture_journal) -> None:
    journal, ids, _ = fixture_journal
    b = by_id(board_rows(journal, FIXED_MS))[ids["b"]]
    assert b.pause_started_ms == FIXED_MS + 4 * MIN
    assert b.paused_ms == 0 and b.node_paused_ms == 0


def test_an_empty_journal_has_an_empty_board(tmp_path: Path) -> None:
    with Journal(tmp_path / "journal.db") as journal:
        assert board_rows(journal, FIXED_MS) == []


def test_the_queries_never_scan_the_runs_or_the_events(fixture_journal) -> None:
    """Each query reads the runs in progress through an index and the events, visits and
    leases by primary key or a covering index (the pauses: ``events_pauses``): none walks a
    whole table, with ANALYZE's statistics too (on the 100,000-run journal they made the
    planner scan every event)."""
    journal, _, _ = fixture_journal
    conn = journal.db.conn
    conn.execute("ANALYZE")
    for sql in BOARD_QUERIES:
        params = ("a", "b") if "{}" in sql else ()
        rows = conn.execute(f"EXPLAIN QUERY PLAN {sql.format('?, ?')}", params)
        plan = " | ".join(row[3] for row in rows)
        assert "SCAN" not in plan, plan
        for table in ("events", "visits"):
            if f" {table} " in sql:
                assert "USING PRIMARY KEY" in plan or "COVERING INDEX events_pauses" in plan, plan


def test_a_later_read_keeps_the_rows_of_runs_with_no_new_event(fixture_journal) -> None:
    journal, ids, _ = fixture_journal
    now = FIXED_MS + 10 * MIN
    first = by_id(board_rows(journal, now))
    journal.clock.advance(MIN)  # type: ignore[attr-defined]
    journal.take_over(ids["b"], "Eve")  # a new event for B only
    doctored = [
        replace(first[ids["a"]], paused_ms=12_345),  # same last event: kept as it is
        replace(first[ids["b"]], paused_ms=12_345),  # B has a new event: read again
        first[ids["d"]],
    ]
    again = by_id(board_rows(journal, now, previous=doctored))
    fresh = by_id(board_rows(journal, now))
    assert again[ids["a"]].paused_ms == 12_345
    assert again[ids["b"]] == fresh[ids["b"]] and fresh[ids["b"]].operator == "Eve"
    assert again[ids["b"]].paused_ms == 0
    assert again[ids["d"]] == fresh[ids["d"]]
    assert list(again) == list(fresh) == [ids["d"], ids["b"], ids["a"]]  # B keeps its place


def test_a_refresh_sees_leases_new_runs_and_runs_that_ended(fixture_journal, tmp_path) -> None:
    """A refresh reads the unchanged runs from the index alone, yet a lease taken or let go
    (no event) shows, a run that ended drops off and a new one comes in at its place."""
    journal, ids, _ = fixture_journal
    now = FIXED_MS + 10 * MIN
    first = board_rows(journal, now)
    with journal.db.conn:
        journal.db.conn.execute("DELETE FROM leases WHERE run_id = ?", (ids["a"],))
    journal.clock.advance(MIN)  # type: ignore[attr-defined]
    journal.take_over(ids["b"], "Bob").abort("Bob went home")  # B ends: off the board
    shipping = load_file(tmp_path / "shipping.toml")
    e = journal.start_run(shipping, "Eve", inputs={"order": "SO-19"})
    again = by_id(board_rows(journal, now, previous=first))
    fresh = by_id(board_rows(journal, now))
    assert again == fresh
    assert again[ids["a"]].holder is None and by_id(first)[ids["a"]].holder is not None
    assert ids["b"] not in again
    assert list(again) == [e.run_id, ids["d"], ids["a"]]  # the newest started first
