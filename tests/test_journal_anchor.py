"""What a chain alone cannot show: a tail cut off or a chain rewritten consistently, caught
against an anchor (``procedo anchor``, or a run's Markdown export); and edits of the derived
tables that history and metrics read (``marks``, ``run_operators``, the definitions')."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from procedo.cli import cli
from procedo.journal import Journal
from procedo.journal.anchor import HEADER, parse_anchor
from procedo.journal.verify import verify_journal
from procedo.model import load_file

REPO = Path(__file__).resolve().parent.parent
T0 = 1_795_000_000_000
INCIDENT = (
    "WHERE definition_hash IN (SELECT hash FROM definitions WHERE process_id = 'incident-response')"
)


def procedo(db: Path, *args: str) -> Result:
    result = CliRunner().invoke(cli, ["--db", str(db), *args], prog_name="procedo")
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result


def copy(db: Path, to: Path) -> None:
    """A consistent copy of the journal as it is now (SQLite's online backup)."""
    source, target = sqlite3.connect(db), sqlite3.connect(to)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()


def build(tmp_path: Path) -> tuple[Path, Path, str, str]:
    """A journal whose target run has 12 events, and a copy of it taken at event 10 (a
    journal cut short consistently: its runs row and derived rows match its 10 events)."""
    db, early = tmp_path / "journal.db", tmp_path / "early.db"
    tick = iter(range(T0, T0 + 10**9, 1500))
    with Journal(db) as journal:
        journal.clock = lambda: next(tick)
        incident = load_file(REPO / "processes" / "incident-response.toml")
        target = journal.start_run(incident, "Ann", "pager")
        target.check(0)
        target.check(1)
        target.check(2)
        target.record(3, "09:12")
        target.record(4, "12,5")
        target.record(5, "eu")
        target.note("paged twice")
        target.complete()
        target.accept_role()  # 10: the decision is the incident commander's
        other = journal.start_run(
            load_file(REPO / "processes" / "refund-approval.toml"),
            "Cy",
            "customer-request",
            inputs={"amount": "120"},
        )
        other.check(0)
        copy(db, early)
        target.choose(0)  # 11
        target.hand_over("Bob", "shift change")  # 12
    return db, early, target.run_id, other.run_id


def anchor_of(db: Path, to: Path) -> Path:
    result = procedo(db, "anchor", "-o", str(to))
    assert result.exit_code == 0, result.output
    return to


def tamper(db: Path, *statements: tuple[str, tuple[Any, ...]]) -> None:
    conn = sqlite3.connect(db)
    try:
        for sql, params in statements:
            conn.execute(sql, params)
        conn.commit()
    finally:
        conn.close()


# -- anchors --------------------------------------------------------------------------------


def test_the_anchor_lists_every_run_and_the_journal_reaches_it(tmp_path: Path) -> None:
    db, _, target, other = build(tmp_path)
    text = procedo(db, "anchor").output
    lines = text.splitlines()
    assert lines[0] == HEADER
    assert sorted(line.split()[:2] for line in lines if not line.startswith(("#", "sha256"))) == (
        sorted([[target, "12"], [other, "3"]])  # the refund: start, its amount input, a tick
    )
    assert lines[-1].startswith("sha256 ")
    with Journal(db) as journal:
        assert f"{target} 12 {journal.run_row(target)['last_hash']}" in lines
    anchor = anchor_of(db, tmp_path / "anchor.txt")
    result = procedo(db, "verify", "--anchor", str(anchor))
    assert result.exit_code == 0
    assert "Anchor " in result.output and "2 anchored run(s), 0 not reached." in result.output
    assert result.output.endswith("Checked 2 run(s), 15 event(s): intact.\n")


def test_a_tail_cut_off_consistently_passes_verify_but_not_the_anchor(tmp_path: Path) -> None:
    db, early, target, other = build(tmp_path)
    anchor = anchor_of(db, tmp_path / "anchor.txt")
    assert procedo(early, "verify").exit_code == 0  # the chain alone cannot tell
    result = procedo(early, "verify", "--anchor", str(anchor))
    assert result.exit_code == 1
    assert (
        f"run {target}: event 12: the anchor holds 12 events, the journal only 10: "
        "the newest events were cut off" in result.output
    )
    assert other not in result.output
    assert result.output.endswith("1 run(s) NOT intact.\n")


def test_a_chain_rewritten_consistently_is_caught_by_the_anchor(tmp_path: Path) -> None:
    db, early, target, _ = build(tmp_path)
    anchor = anchor_of(db, tmp_path / "anchor.txt")
    with Journal(early) as forger:  # the copy goes on differently: events 11 and 12 rewritten
        run = forger.take_over(target, "Mallory", "forged")
        run.note("nothing happened")
    assert procedo(early, "verify").exit_code == 0
    result = procedo(early, "verify", "--anchor", str(anchor), "--json")
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["intact"] is False and data["breaches"] == []
    assert data["anchor"]["altered"] is False
    [breach] = data["anchor"]["breaches"]
    assert (breach["run_id"], breach["seq"]) == (target, 12)
    assert breach["reason"].endswith("the chain was rewritten")


def test_a_deleted_run_is_named_and_a_run_that_grew_is_fine(tmp_path: Path) -> None:
    db, early, target, other = build(tmp_path)
    anchor = anchor_of(early, tmp_path / "early-anchor.txt")  # target at 10, it grew to 12
    tables = ("marks", "run_operators", "visits", "leases", "events", "runs")
    tamper(
        db,
        ("DROP TRIGGER events_append_only_delete", ()),
        *(
            (f"DELETE FROM {t} WHERE {'id' if t == 'runs' else 'run_id'} = ?", (other,))
            for t in tables
        ),
    )
    assert procedo(db, "verify").exit_code == 0
    result = procedo(db, "verify", "--anchor", str(anchor))
    assert result.exit_code == 1
    assert f"run {other}: run record: the anchor holds this run, the journal has none of it" in (
        result.output
    )
    assert target not in result.output


def test_an_altered_anchor_file_is_reported_as_such(tmp_path: Path) -> None:
    db, early, target, _ = build(tmp_path)
    anchor = anchor_of(db, tmp_path / "anchor.txt")
    with Journal(early) as journal:  # the anchor edited to hide the cut
        hash10 = journal.run_row(target)["last_hash"]
    lines = [
        f"{target} 10 {hash10}" if line.startswith(f"{target} ") else line
        for line in anchor.read_text().splitlines()
    ]
    anchor.write_text("\n".join(lines) + "\n")
    result = procedo(early, "verify", "--anchor", str(anchor))
    assert result.exit_code == 1
    assert "its digest does not match its lines: the anchor file was altered" in result.output
    assert parse_anchor(anchor.read_text()).altered
    untouched = procedo(db, "verify", "--anchor", str(anchor))  # the journal itself is intact
    assert untouched.exit_code == 1
    assert untouched.output.endswith(": the runs are intact, but the anchor file was altered.\n")


def test_the_markdown_export_is_an_anchor_for_its_run(tmp_path: Path) -> None:
    db, early, target, other = build(tmp_path)
    export = tmp_path / "run.md"
    assert procedo(db, "export", target[:8], "-o", str(export)).exit_code == 0
    assert procedo(db, "verify", "--anchor", str(export)).exit_code == 0
    result = procedo(early, "verify", "--anchor", str(export))
    assert result.exit_code == 1
    assert f"run {target}: event 12: the anchor holds 12 events" in result.output
    assert "1 run, 1 not reached." in result.output
    assert other not in result.output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("hello\n", "neither a procedo anchor"),
        (f"{HEADER}\nabc 1 {'0' * 64}\n", "its last line is not its sha256 digest"),
        (f"{HEADER}\nabc one two\nsha256 {'0' * 64}\n", "line 2 of the anchor file"),
    ],
)
def test_a_file_that_is_no_anchor_is_refused_clearly(
    tmp_path: Path, content: str, message: str
) -> None:
    db, *_ = build(tmp_path)
    bad = tmp_path / "bad.txt"
    bad.write_text(content)
    result = procedo(db, "verify", "--anchor", str(bad))
    assert result.exit_code == 1
    assert message in result.output


def test_no_anchor_is_made_of_a_journal_that_is_not_intact(tmp_path: Path) -> None:
    db, _, target, _ = build(tmp_path)
    tamper(db, ("UPDATE runs SET status = 'completed' WHERE id = ?", (target,)))
    result = procedo(db, "anchor", "-o", str(tmp_path / "anchor.txt"))
    assert result.exit_code == 1
    assert "not intact" in result.output and target in result.output
    assert not (tmp_path / "anchor.txt").exists()


# -- derived tables ---------------------------------------------------------------------------

IR_RUNS = "WHERE process_id = 'incident-response'"


@pytest.mark.parametrize(
    ("sql", "found"),
    [
        (
            "UPDATE definitions SET title = 'forged' WHERE process_id = 'incident-response'",
            "definition's title is 'forged'",
        ),
        (
            "UPDATE definitions SET version = '9.9' WHERE process_id = 'incident-response'",
            "definition's version is '9.9'",
        ),
        ("UPDATE nodes SET title = 'forged' WHERE node = 'mitigate'", "nodes rows disagree"),
        ("UPDATE items SET critical = 1 - critical " + INCIDENT, "items rows disagree"),
        ("DELETE FROM options " + INCIDENT + " AND option = 1", "options rows disagree"),
        ("UPDATE marks SET value = '99' WHERE value = '12.5'", "value is '99'"),
        ("UPDATE marks SET number = 99 WHERE number IS NOT NULL", "number is 99.0"),
        ("DELETE FROM marks WHERE value = 'eu'", "holds 2 mark rows, its events give 3"),
        (
            "INSERT INTO run_operators SELECT run_id, 'Mallory', process_id, process_version, "
            "practice FROM run_operators WHERE operator = 'Ann'",
            "rows its events do not give ('Mallory')",
        ),
        ("DELETE FROM run_operators WHERE operator = 'Bob'", "no row for 'Bob'"),
        ("UPDATE runs SET target_ms = 1 " + IR_RUNS, "target_ms is 1, its definition gives"),
        (
            "UPDATE definitions SET target_ms = 1 " + IR_RUNS,
            "definition's target_ms is 1, its text gives 2700000",
        ),
        (
            "UPDATE definitions SET process_id = 'forged' " + IR_RUNS,
            "definition's process_id is 'forged', its text gives 'incident-response'",
        ),
        ("UPDATE runs SET repeats = '{\"mitigate\": 5}' " + IR_RUNS, "repeats is"),
        ("UPDATE runs SET trigger = 'forged' " + IR_RUNS, "trigger is 'forged'"),
        ("UPDATE runs SET operators = '[\"Ann\"]' " + IR_RUNS, "operators is"),
        ("UPDATE runs SET abort_reason = 'forged' " + IR_RUNS, "abort_reason is 'forged'"),
        ("UPDATE runs SET started_at = '2020-01-01T00:00:00.000Z' " + IR_RUNS, "started_at"),
        ("UPDATE runs SET updated_at = '2020-01-01T00:00:00.000Z' " + IR_RUNS, "updated_at"),
        ("UPDATE visits SET process_version = '9' " + IR_RUNS, "process_version is '9'"),
        ("UPDATE visits SET practice = 1 " + IR_RUNS, "practice is 1"),
        ("UPDATE visits SET definition_hash = 'x' " + IR_RUNS, "definition_hash is 'x'"),
        ("UPDATE visits SET kind = 'end' " + IR_RUNS, "kind is 'end'"),
        ("UPDATE visits SET entered_at = '2020-01-01T00:00:00.000Z' " + IR_RUNS, "entered_at"),
        ("UPDATE visits SET left_at = NULL " + IR_RUNS, "left_at is None"),
        ("UPDATE visits SET process_id = 'forged' " + IR_RUNS, "process_id is 'forged'"),
    ],
)
def test_edits_of_the_derived_tables_are_caught(tmp_path: Path, sql: str, found: str) -> None:
    """Each column the events or the definition text determine (marks, operators, target,
    loops, times, the visits' copies of the run's columns) is compared: stats read them."""
    db, _, target, other = build(tmp_path)
    tamper(db, (sql, ()))
    with Journal(db) as journal:
        report = verify_journal(journal)
    assert [b.run_id for b in report.breaches] == [target]
    assert found in report.breaches[0].reason
    result = procedo(db, "verify")
    assert result.exit_code == 1
    assert found in result.output and other not in result.output


def test_a_forged_target_in_both_tables_is_caught(tmp_path: Path) -> None:
    """The reviewers' case: runs and definitions both set to a 1 ms target, so stats says 0 %
    on target; the definition's column is checked against its text."""
    db, _, target, _ = build(tmp_path)
    tamper(
        db,
        ("UPDATE runs SET target_ms = 1", ()),
        ("UPDATE definitions SET target_ms = 1", ()),
    )
    result = procedo(db, "verify")
    assert result.exit_code == 1
    assert f"run {target}: run record: its stored definition's target_ms is 1" in result.output
    assert "2 run(s) NOT intact" in result.output


def test_anchor_never_replaces_a_file_without_force(tmp_path: Path) -> None:
    db, *_ = build(tmp_path)
    kept = tmp_path / "anchor.txt"
    kept.write_text("mine\n")
    result = procedo(db, "anchor", "-o", str(kept))
    assert result.exit_code == 1 and "already exists; add --force" in result.output
    assert kept.read_text() == "mine\n"
    assert procedo(db, "anchor", "-o", str(kept), "--force").exit_code == 0
    assert kept.read_text().startswith(HEADER)
