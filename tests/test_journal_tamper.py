"""Tamper evidence: edits made with plain sqlite3 are caught by ``verify`` (the function and the
command), which names the run and the first bad sequence number; untouched runs stay intact."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from procedo.cli import cli
from procedo.engine import Event
from procedo.journal import Journal
from procedo.journal.verify import verify_journal
from procedo.model import load_file

REPO = Path(__file__).resolve().parent.parent
T0 = 1_795_000_000_000


def build(db: Path) -> tuple[str, str]:
    """A journal with a tampering target (12 events) and an untouched run of another process."""
    tick = iter(range(T0, T0 + 10**9, 1500))
    with Journal(db) as journal:
        journal.clock = lambda: next(tick)
        incident = load_file(REPO / "processes" / "incident-response.toml")
        target = journal.start_run(incident, "Ann", "pager")
        target.check(0)  # 2
        target.check(1)  # 3
        target.check(2)  # 4
        target.record(3, "09:12")  # 5
        target.record(4, "12,5")  # 6
        target.record(5, "eu")  # 7
        target.note("paged twice")  # 8
        target.complete()  # 9: the incident commander is next
        target.hand_over("Bob", "shift change")  # 10: Bob acts as incident commander
        target.choose(0)  # 11: the on-call engineer is next
        target.accept_role()  # 12: Bob acts as on-call engineer
        other = journal.start_run(
            load_file(REPO / "processes" / "refund-approval.toml"),
            "Cy",
            "customer-request",
            inputs={"amount": "120"},
        )
        other.check(0)
        other.note("called back")
    return target.run_id, other.run_id


def tamper(db: Path, *statements: tuple[str, Any]) -> None:
    """Run statements with plain sqlite3 after dropping the append-only triggers."""
    conn = sqlite3.connect(db)
    try:
        conn.execute("DROP TRIGGER IF EXISTS events_append_only_update")
        conn.execute("DROP TRIGGER IF EXISTS events_append_only_delete")
        for sql, params in statements:
            conn.execute(sql, params)
        conn.commit()
    finally:
        conn.close()


def cli_verify(db: Path, *args: str) -> Result:
    result = CliRunner().invoke(cli, ["--db", str(db), "verify", *args], prog_name="procedo")
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result


def swap(run_id: str, a: int, b: int) -> list[tuple[str, tuple[object, ...]]]:
    sql = "UPDATE events SET seq = ? WHERE run_id = ? AND seq = ?"
    return [(sql, (-1, run_id, a)), (sql, (a, run_id, b)), (sql, (b, run_id, -1))]


def new_definition_hash(db: Path, old: str) -> tuple[str, str]:
    with sqlite3.connect(db) as conn:
        text = conn.execute("SELECT toml FROM definitions WHERE hash = ?", (old,)).fetchone()[0]
    text = text.replace('title = "Mitigate"', 'title = "Mitigate (edited)"')
    return text, hashlib.sha256(text.encode()).hexdigest()


def forged_append(db: Path, run_id: str) -> tuple[str, Any]:
    """An INSERT of a 13th event whose hash chains correctly to the 12th."""
    with sqlite3.connect(db) as conn:
        previous = conn.execute(
            "SELECT hash FROM events WHERE run_id = ? AND seq = 12", (run_id,)
        ).fetchone()[0]
    event = Event(run_id, 13, "2026-11-18T12:00:00.000Z", "Bob", "check", "mitigate", 1)
    return (
        "INSERT INTO events (run_id, seq, ts, actor, kind, node, item, value, reason, hash) "
        "VALUES (:run_id, :seq, :ts, :actor, :kind, :node, :item, :value, :reason, :hash)",
        dataclasses.replace(event, hash=event.compute_hash(previous)).to_row(),
    )


def rehashed_edit(db: Path, run_id: str) -> list[tuple[str, Any]]:
    """Event 5's value edited and its hash recomputed so that it fits event 4."""
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT run_id, seq, ts, actor, kind, node, item, value, reason, hash FROM events "
            "WHERE run_id = ? AND seq IN (4, 5) ORDER BY seq",
            (run_id,),
        ).fetchall()
    fourth, fifth = (Event(*row) for row in rows)
    edited = dataclasses.replace(fifth, value="23:59")
    new_hash = edited.compute_hash(fourth.hash)
    sql = "UPDATE events SET value = ?, hash = ? WHERE run_id = ? AND seq = 5"
    return [(sql, ("23:59", new_hash, run_id))]


CASES: dict[
    str, tuple[Callable[[Path, str], list[tuple[str, tuple[object, ...]]]], int | None, str]
]
CASES = {
    "edit a value": (
        lambda db, r: [("UPDATE events SET value = '3' WHERE run_id = ? AND seq = 6", (r,))],
        6,
        "its content or hash was changed",
    ),
    "edit who did it": (
        lambda db, r: [("UPDATE events SET actor = 'Mallory' WHERE run_id = ? AND seq = 4", (r,))],
        4,
        "its content or hash was changed",
    ),
    "edit a value and recompute its hash": (
        lambda db, r: [
            ("UPDATE events SET value = '3', hash = ? WHERE run_id = ? AND seq = 6", ("0" * 64, r))
        ],
        6,
        "its content or hash was changed",
    ),
    "edit a value and give it a hash that fits": (
        rehashed_edit,
        6,
        "its content or hash was changed (or event 5 was rewritten with a fresh hash)",
    ),
    "delete an event": (
        lambda db, r: [("DELETE FROM events WHERE run_id = ? AND seq = 5", (r,))],
        5,
        "event 5 is missing",
    ),
    "swap two events": (lambda db, r: swap(r, 7, 8), 7, "its content or hash was changed"),
    "change a timestamp": (
        lambda db, r: [
            (
                "UPDATE events SET ts = '2026-11-18T11:00:00.000Z' WHERE run_id = ? AND seq = 9",
                (r,),
            )
        ],
        9,
        "its content or hash was changed",
    ),
    "delete the newest event": (
        lambda db, r: [("DELETE FROM events WHERE run_id = ? AND seq = 12", (r,))],
        12,
        "the run record expects 12 events but the journal holds 11",
    ),
    "append a correctly chained event": (
        lambda db, r: [forged_append(db, r)],
        13,
        "the run record expects 12 events but the journal holds 13",
    ),
    "insert an event in the middle": (
        lambda db, r: [
            *[
                ("UPDATE events SET seq = ? WHERE run_id = ? AND seq = ?", (-seq - 1, r, seq))
                for seq in range(12, 4, -1)
            ],
            *[
                ("UPDATE events SET seq = ? WHERE run_id = ? AND seq = ?", (seq + 1, r, -seq - 1))
                for seq in range(12, 4, -1)
            ],
            (
                "INSERT INTO events (run_id, seq, ts, actor, kind, node, item, hash) "
                "VALUES (?, 5, '2026-11-18T11:06:46.000Z', 'Ann', 'check', 'triage', 3, ?)",
                (r, "e" * 64),
            ),
        ],
        5,
        "its content or hash was changed",
    ),
    "change the run record's last hash": (
        lambda db, r: [("UPDATE runs SET last_hash = ? WHERE id = ?", ("a" * 64, r))],
        12,
        "the run record's last hash does not match",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_verify_catches_each_edit_and_names_the_run_and_first_bad_seq(
    tmp_path: Path, case: str
) -> None:
    db = tmp_path / "journal.db"
    target, other = build(db)
    statements, seq, reason = CASES[case]
    tamper(db, *statements(db, target))

    with Journal(db, create=False) as journal:
        report = verify_journal(journal)
    assert not report.intact
    assert [(b.run_id, b.seq) for b in report.breaches] == [(target, seq)]
    assert report.breaches[0].reason.startswith(reason)
    assert report.runs_checked == 2

    result = cli_verify(db)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith(f"run {target}: event {seq}: {reason}")
    assert other not in result.output
    assert lines[-1].startswith("Checked 2 run(s), ")
    assert lines[-1].endswith(": 1 run(s) NOT intact.")

    alone = cli_verify(db, other[:8])
    assert alone.exit_code == 0
    assert alone.output == "Checked 1 run(s), 4 event(s): intact.\n"


def test_an_altered_stored_definition_is_caught(tmp_path: Path) -> None:
    db = tmp_path / "journal.db"
    target, other = build(db)
    with Journal(db, create=False) as journal:
        digest = journal.run_row(target)["definition_hash"]
    text, _ = new_definition_hash(db, digest)
    tamper(db, ("UPDATE definitions SET toml = ? WHERE hash = ?", (text, digest)))
    with Journal(db, create=False) as journal:
        report = verify_journal(journal)
    assert [(b.run_id, b.seq, b.reason) for b in report.breaches] == [
        (target, None, "its stored definition was altered or lost")
    ]
    result = cli_verify(db)
    assert result.exit_code == 1
    assert f"run {target}: run record: its stored definition was altered or lost" in result.output
    assert other not in result.output


def test_a_definition_rewritten_with_a_matching_hash_breaks_the_chain_at_its_first_event(
    tmp_path: Path,
) -> None:
    db = tmp_path / "journal.db"
    target, _ = build(db)
    with Journal(db, create=False) as journal:
        digest = journal.run_row(target)["definition_hash"]
    text, forged = new_definition_hash(db, digest)
    tamper(
        db,
        ("PRAGMA foreign_keys = OFF", ()),
        ("UPDATE definitions SET toml = ?, hash = ? WHERE hash = ?", (text, forged, digest)),
        ("UPDATE runs SET definition_hash = ? WHERE id = ?", (forged, target)),
    )
    with Journal(db, create=False) as journal:
        report = verify_journal(journal)
    # and the definition's nodes, items and options rows are not those of the new text
    assert [(b.run_id, b.seq, b.reason) for b in report.breaches] == [
        (target, None, "its stored definition's nodes rows disagree with its text"),
        (target, 1, "its content or hash was changed"),
    ]


def test_two_problems_in_one_run_count_as_one_run(tmp_path: Path) -> None:
    db = tmp_path / "journal.db"
    target, _ = build(db)
    with Journal(db, create=False) as journal:
        digest = journal.run_row(target)["definition_hash"]
    text, _ = new_definition_hash(db, digest)
    tamper(
        db,
        ("UPDATE definitions SET toml = ? WHERE hash = ?", (text, digest)),
        ("UPDATE events SET value = 'x' WHERE run_id = ? AND seq = 5", (target,)),
    )
    result = cli_verify(db)
    assert result.exit_code == 1
    assert result.output.splitlines()[-1].endswith(": 1 run(s) NOT intact.")
    assert result.output.count(f"run {target}: ") == 2


def test_events_without_a_run_record_are_reported(tmp_path: Path) -> None:
    db = tmp_path / "journal.db"
    target, _ = build(db)
    tamper(
        db,
        ("PRAGMA foreign_keys = OFF", ()),
        ("DELETE FROM leases WHERE run_id = ?", (target,)),
        ("DELETE FROM visits WHERE run_id = ?", (target,)),
        ("DELETE FROM runs WHERE id = ?", (target,)),
    )
    with Journal(db, create=False) as journal:
        report = verify_journal(journal)
    assert [(b.run_id, b.seq, b.reason) for b in report.breaches] == [
        (target, None, "events of a run with no run record")
    ]


def test_an_intact_journal_gives_exit_0_and_one_line(tmp_path: Path) -> None:
    db = tmp_path / "journal.db"
    build(db)
    result = cli_verify(db)
    assert result.exit_code == 0
    assert result.output == "Checked 2 run(s), 16 event(s): intact.\n"
    as_json = cli_verify(db, "--json")
    assert as_json.exit_code == 0
    expected = {"intact": True, "runs": 2, "events": 16, "breaches": [], "signers": []}
    assert json.loads(as_json.output) == expected


def test_verify_json_names_the_breach(tmp_path: Path) -> None:
    db = tmp_path / "journal.db"
    target, _ = build(db)
    tamper(db, *CASES["delete an event"][0](db, target))
    result = cli_verify(db, "--json")
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["intact"] is False
    assert data["breaches"] == [{"run_id": target, "seq": 5, "reason": "event 5 is missing"}]


def test_update_and_delete_on_events_are_refused_by_the_triggers(tmp_path: Path) -> None:
    db = tmp_path / "journal.db"
    target, _ = build(db)
    conn = sqlite3.connect(db)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="append-only: UPDATE is refused"):
            conn.execute("UPDATE events SET value = 'x' WHERE run_id = ? AND seq = 5", (target,))
        with pytest.raises(sqlite3.IntegrityError, match="append-only: DELETE is refused"):
            conn.execute("DELETE FROM events WHERE run_id = ?", (target,))
        conn.rollback()
        assert conn.execute("SELECT count(*) FROM events").fetchone()[0] == 16
    finally:
        conn.close()
    assert cli_verify(db).exit_code == 0


@pytest.mark.parametrize(
    ("sql", "found"),
    [
        ("UPDATE runs SET status = 'completed' WHERE id = ?", "the run record's status is"),
        ("UPDATE runs SET success = 1 WHERE id = ?", "the run record's success is 1"),
        ("UPDATE runs SET operator = 'Mallory' WHERE id = ?", "operator is 'Mallory'"),
        ("UPDATE visits SET duration_ms = 1 WHERE run_id = ? AND visit = 1", "duration_ms is 1"),
        ("UPDATE visits SET choice = 1 WHERE run_id = ? AND visit = 2", "choice is 1"),
        ("DELETE FROM visits WHERE run_id = ? AND node = 'mitigate'", "holds 2 visit rows"),
    ],
)
def test_derived_rows_that_disagree_with_the_events_are_caught(
    tmp_path: Path, sql: str, found: str
) -> None:
    db = tmp_path / "j.db"
    target, _other = build(db)
    tamper(db, (sql, (target,)))
    with Journal(db) as journal:
        report = verify_journal(journal)
    assert [b.run_id for b in report.breaches] == [target]
    assert found in report.breaches[0].reason
    result = cli_verify(db)
    assert result.exit_code == 1
    assert found in result.output


def test_verify_reads_one_moment_while_another_session_writes(tmp_path: Path) -> None:
    db = tmp_path / "busy.db"
    target, _other = build(db)
    done = threading.Event()
    failures: list[BaseException] = []

    def write() -> None:
        try:
            with Journal(db) as journal:
                run = journal.take_over(target, "Writer")
                ticks = 0
                while not done.is_set() and ticks < 3000:
                    run.uncheck(0) if ticks % 2 else run.check(0)
                    ticks += 1
        except BaseException as error:  # surfaced below
            failures.append(error)

    writer = threading.Thread(target=write)
    writer.start()
    try:
        with Journal(db) as journal:
            reports = [verify_journal(journal) for _ in range(40)]
    finally:
        done.set()
        writer.join()
    assert not failures
    assert all(report.intact for report in reports), [str(b) for r in reports for b in r.breaches]
