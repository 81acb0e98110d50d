"""Interrupts and deferred items in the journal: their events are stored like any other, the
``interrupts`` and ``deferrals`` rows say what happened, verify replays them and catches an
edit of either, and a schema-6 journal upgrades to the same rows."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from interrupt_journal import MINUTE, build
from procedo.journal import Journal
from procedo.journal.metrics import compute_metrics
from procedo.journal.verify import verify_journal
from schema7_downgrade import drop_schema_7


@pytest.fixture
def journal_file(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    db = tmp_path / "journal.db"
    return db, build(db, tmp_path)


def rows(db: Path, sql: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(row) for row in conn.execute(sql, params)]
    finally:
        conn.close()


def tamper(db: Path, sql: str) -> None:
    """Edit the file with plain sqlite3, the append-only triggers dropped (the statement
    must change a row)."""
    conn = sqlite3.connect(db)
    conn.execute("DROP TRIGGER events_append_only_update")
    conn.execute("DROP TRIGGER events_append_only_delete")
    assert conn.execute(sql).rowcount > 0, sql
    conn.commit()
    conn.close()


def breaches(db: Path) -> list[str]:
    with Journal(db) as journal:
        return [str(b) for b in verify_journal(journal).breaches]


def test_the_new_events_are_stored_with_their_branch_key(
    journal_file: tuple[Path, dict[str, str]],
) -> None:
    db, ids = journal_file
    events = rows(
        db,
        "SELECT kind, node, item, value, reason, branch FROM events WHERE run_id = ? "
        "AND kind IN ('interrupt', 'return', 'defer') ORDER BY seq",
        (ids["leak"],),
    )
    assert [tuple(e.values()) for e in events] == [
        ("interrupt", "leak", 1, "isolate", None, None),
        ("return", "leak", None, "return", None, "!leak"),
        ("defer", "service", 1, "close", "camera flat", None),
        ("defer", "service", 2, None, "office shut", None),
        ("interrupt", "fire", 0, "close", None, None),
        ("return", "fire", 0, "return", None, "!fire"),
    ]
    queued = rows(
        db,
        "SELECT kind, node, reason FROM events WHERE run_id = ? AND node = 'call'",
        (ids["queued"],),
    )
    assert [tuple(e.values()) for e in queued] == [
        ("interrupt", "call", "queued"),
        ("interrupt", "call", None),  # it started by itself when the leak returned
    ]
    assert breaches(db) == []


def test_each_interrupt_has_a_row_with_what_it_interrupted_how_long_and_how_it_ended(
    journal_file: tuple[Path, dict[str, str]],
) -> None:
    db, ids = journal_file
    columns = "interrupt, priority, interrupted_node, interrupted_item, duration_ms, outcome, after"
    held = {
        name: [
            tuple(r.values())
            for r in rows(
                db, f"SELECT {columns} FROM interrupts WHERE run_id = ? ORDER BY seq", (i,)
            )
        ]
        for name, i in ids.items()
    }
    assert held == {
        "leak": [
            ("leak", "caution", "isolate", 1, 3 * MINUTE, "returned", "return"),
            ("fire", "warning", "close", 0, 2 * MINUTE, "returned", "return"),
        ],
        "injury": [
            ("leak", "caution", "isolate", None, MINUTE, "returned", "return"),
            ("leak", "caution", "isolate", None, MINUTE, "returned", "return"),
            ("injury", "warning", "isolate", None, 4 * MINUTE, "after", "abandoned"),
        ],
        "stacked": [
            # the call's own time: the leak over it counts to the leak alone
            ("call", "advisory", "service", 2, 2 * MINUTE, "returned", "return"),
            ("leak", "caution", "call", None, 5 * MINUTE, "returned", "return"),
            ("fire", "warning", "service", None, 3 * MINUTE, "after", "abandoned"),
        ],
        "queued": [
            ("leak", "caution", "service", 0, 3 * MINUTE, "returned", "return"),
            # it started by itself where the leak had interrupted: at the same item
            ("call", "advisory", "service", 0, None, None, None),  # open
        ],
        "open": [],
    }
    started = rows(db, "SELECT started_at, ended_at FROM interrupts WHERE interrupt = 'injury'")
    assert started[0]["ended_at"] > started[0]["started_at"]


def test_each_deferred_item_has_a_row_with_its_reason_and_where_it_was_done(
    journal_file: tuple[Path, dict[str, str]],
) -> None:
    db, ids = journal_file
    held = rows(
        db,
        "SELECT node, item, text, reason, defer_to, done_node, done_by, value, na_reason, "
        "done_at IS NOT NULL AS done FROM deferrals WHERE run_id = ? ORDER BY seq",
        (ids["leak"],),
    )
    assert [tuple(r.values()) for r in held] == [
        ("service", 1, "Photograph the seals", "camera flat", "close", "close", "Ann", None,
         None, 1),
        ("service", 2, "File the work order", "office shut", None, "close", "Ann", None,
         "filed online", 1),
    ]  # fmt: skip
    left = rows(
        db, "SELECT item, done_node, done_at FROM deferrals WHERE run_id = ?", (ids["open"],)
    )
    assert left == [
        {"item": 1, "done_node": None, "done_at": None},
        {"item": 2, "done_node": None, "done_at": None},
    ]


def test_an_interrupts_marks_carry_their_item_text_and_number(
    journal_file: tuple[Path, dict[str, str]],
) -> None:
    db, ids = journal_file
    marks = rows(
        db,
        "SELECT node, text, value, number FROM marks WHERE run_id = ? AND node = 'leak'",
        (ids["leak"],),
    )
    assert marks == [{"node": "leak", "text": "Litres spilled", "value": "2.5", "number": 2.5}]
    nodes = rows(db, "SELECT node, kind, priority FROM nodes WHERE kind = 'interrupt'")
    assert {(n["node"], n["priority"]) for n in nodes} == {
        ("fire", "warning"),
        ("leak", "caution"),
        ("call", "advisory"),
        ("injury", "warning"),
    }


def test_interrupt_visits_are_not_steps_loops_or_part_of_the_path(
    journal_file: tuple[Path, dict[str, str]],
) -> None:
    db, ids = journal_file
    kinds = rows(db, "SELECT DISTINCT kind FROM visits WHERE node IN ('leak', 'fire')")
    assert kinds == [{"kind": "interrupt"}]
    path = rows(db, "SELECT path, repeats FROM runs WHERE id = ?", (ids["injury"],))
    # the leak raised twice is not a loop, and no interrupt is on the path
    assert path == [{"path": "isolate abandoned", "repeats": None}]
    with Journal(db) as journal:
        m = compute_metrics(journal, "press")
    assert {s.node for s in m.steps} == {"isolate", "service", "close"}
    assert m.loops == ()
    # the isolate left by the injury is not a completed visit; isolate's time leaves out the
    # 3 minutes of the leak raised in it (1 + 1 minutes left)
    isolate = next(s for s in m.steps if s.node == "isolate")
    assert isolate.visits == 4
    leak_run = rows(
        db, "SELECT duration_ms FROM visits WHERE run_id = ? AND node = 'isolate'", (ids["leak"],)
    )
    assert leak_run == [{"duration_ms": 2 * MINUTE}]


@pytest.mark.parametrize(
    ("sql", "said"),
    [
        ("UPDATE interrupts SET duration_ms = 1000 WHERE interrupt = 'leak'", "duration_ms"),
        ("UPDATE interrupts SET outcome = 'returned' WHERE outcome = 'after'", "outcome"),
        ("UPDATE interrupts SET interrupted_node = 'check' WHERE interrupt = 'fire'",
         "interrupted_node"),
        ("DELETE FROM interrupts WHERE interrupt = 'call'", "interrupt rows"),
        ("UPDATE deferrals SET reason = 'no reason' WHERE item = 1", "reason"),
        ("UPDATE deferrals SET done_node = NULL, done_at = NULL", "done_at"),
        ("DELETE FROM deferrals WHERE item = 2", "deferral rows"),
        ("UPDATE nodes SET priority = 'advisory' WHERE node = 'fire'", "nodes rows"),
    ],
)  # fmt: skip
def test_verify_catches_an_edit_of_the_derived_rows(
    journal_file: tuple[Path, dict[str, str]], sql: str, said: str
) -> None:
    db, _ = journal_file
    tamper(db, sql)
    found = breaches(db)
    assert found, sql
    assert any(said in problem for problem in found), found


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE events SET reason = 'battery' WHERE kind = 'defer' AND item = 1",
        "UPDATE events SET value = 'check' WHERE kind = 'interrupt' AND node = 'fire'",
        "UPDATE events SET value = 'return' WHERE kind = 'return' AND value = 'abandoned'",
        "DELETE FROM events WHERE kind = 'return' AND node = 'leak' AND seq = 6",
    ],
)
def test_verify_catches_an_edit_of_the_new_events(
    journal_file: tuple[Path, dict[str, str]], sql: str
) -> None:
    db, _ = journal_file
    tamper(db, sql)
    assert breaches(db)


def test_a_schema_6_journal_upgrades_to_the_same_rows_and_verifies(
    journal_file: tuple[Path, dict[str, str]],
) -> None:
    db, ids = journal_file
    tables = ("interrupts", "deferrals", "marks", "nodes", "items", "runs", "visits")
    before = {t: rows(db, f"SELECT * FROM {t} ORDER BY 1, 2, 3") for t in tables}
    conn = sqlite3.connect(db)
    drop_schema_7(conn)
    # what schema 6 wrote: an interrupt's marks had no text, the path had its visits
    conn.execute("UPDATE marks SET text = NULL, number = NULL WHERE node IN ('leak', 'fire')")
    conn.execute(
        "UPDATE runs SET path = 'isolate leak leak injury abandoned', repeats = '{\"leak\": 2}' "
        "WHERE id = ?",
        (ids["injury"],),
    )
    conn.commit()
    conn.close()
    with Journal(db) as journal:
        assert journal.rows("PRAGMA user_version")[0]["user_version"] == 9
    assert {t: rows(db, f"SELECT * FROM {t} ORDER BY 1, 2, 3") for t in tables} == before
    assert breaches(db) == []
