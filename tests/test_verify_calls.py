"""Verify's second pass: the links between called runs and their parents. Each tamper here
rewrites one run's chain consistently (fresh hashes, the run record with them), so only the
link between the two runs can tell."""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from procedo.cli import cli
from procedo.engine import Event
from procedo.engine.events import chain_seed
from procedo.journal import Journal
from procedo.journal.verify import verify_journal
from procedo.journal.verify_calls import call_link_breaches, child_outcome
from procedo.workspace import Workspace
from record_fixture import Called, Clock, called_pair, kit_run, write_paths


@pytest.fixture
def pairs(tmp_path: Path) -> tuple[Path, Called, Called]:
    paths = write_paths(tmp_path)
    with Workspace(paths) as workspace:
        clock = Clock()
        workspace.journal.clock = clock
        good = called_pair(workspace, clock, 0, good=True)
        bad = called_pair(workspace, clock, 100, good=False)
        kit_run(workspace, clock, 200, 4, 10)
    return paths.db, good, bad


def rewrite(db: Path, run_id: str, seq: int, **changes: str) -> None:
    """Change event ``seq`` of a run and re-hash its chain from there, as a forger would."""
    conn = sqlite3.connect(db)
    conn.execute("DROP TRIGGER events_append_only_update")
    rows = conn.execute(
        "SELECT run_id, seq, ts, actor, kind, node, item, value, reason, hash, branch "
        "FROM events WHERE run_id = ? ORDER BY seq",
        (run_id,),
    ).fetchall()
    definition_hash = conn.execute(
        "SELECT definition_hash FROM runs WHERE id = ?", (run_id,)
    ).fetchone()[0]
    previous = chain_seed(run_id, definition_hash)
    for row in rows:
        event = Event(*row)
        if event.seq == seq:
            event = dataclasses.replace(event, **changes)
        fresh = event.compute_hash(previous)
        conn.execute(
            "UPDATE events SET node = ?, value = ?, reason = ?, hash = ? "
            "WHERE run_id = ? AND seq = ?",
            (event.node, event.value, event.reason, fresh, run_id, event.seq),
        )
        previous = fresh
    conn.execute("UPDATE runs SET last_hash = ? WHERE id = ?", (previous, run_id))
    conn.commit()
    conn.close()


def set_column(db: Path, sql: str, params: tuple[str, ...]) -> None:
    conn = sqlite3.connect(db)
    conn.execute(sql, params)
    conn.commit()
    conn.close()


def forge_success(db: Path, parent: str) -> None:
    """The parent's call_end (event 6) and its visit say the broken child succeeded."""
    rewrite(db, parent, 6, reason="success")
    set_column(db, "UPDATE visits SET child_outcome = 'success' WHERE run_id = ? AND "
               "node = 'prove'", (parent,))  # fmt: skip


def breaches(db: Path) -> list[str]:
    with Journal(db) as journal:
        return [str(b) for b in call_link_breaches(journal)]


def test_an_intact_journal_of_calls_and_branches_has_no_broken_link(
    pairs: tuple[Path, Called, Called],
) -> None:
    db, _, _ = pairs
    assert breaches(db) == []
    with Journal(db) as journal:
        assert verify_journal(journal).intact


def test_a_called_by_naming_a_run_not_in_the_journal(pairs: tuple[Path, Called, Called]) -> None:
    db, good, _ = pairs
    child = good.child.run_id
    rewrite(db, child, 2, value="0000dead")
    set_column(db, "UPDATE runs SET parent_run = ? WHERE id = ?", ("0000dead", child))
    with Journal(db) as journal:
        assert verify_journal(journal).intact  # the chain and the rows agree with themselves
    assert breaches(db) == [
        f"run {child}: event 2: called_by names run 0000dead, which is not in the journal"
    ]


def test_a_called_by_naming_a_parent_that_called_another_run(
    pairs: tuple[Path, Called, Called],
) -> None:
    db, good, bad = pairs
    child = good.child.run_id  # now claims the other parent, whose call named its own child
    rewrite(db, child, 2, value=bad.parent.run_id)
    set_column(db, "UPDATE runs SET parent_run = ? WHERE id = ?", (bad.parent.run_id, child))
    assert breaches(db) == [
        f"run {child}: event 2: called_by names run {bad.parent.run_id} at step prove, but "
        "that run's call there named another run"
    ]


def test_a_call_end_whose_outcome_is_not_the_childs_end(
    pairs: tuple[Path, Called, Called],
) -> None:
    db, _, bad = pairs
    parent = bad.parent.run_id  # its child ended broken (failure); say success
    forge_success(db, parent)
    with Journal(db) as journal:
        assert verify_journal(journal).intact
    assert breaches(db) == [
        f"run {parent}: event 6: call_end at prove says its child run {bad.child.run_id} "
        "ended success, but that run ended failure"
    ]


def test_a_call_end_whose_child_is_gone(pairs: tuple[Path, Called, Called]) -> None:
    db, good, _ = pairs
    parent = good.parent.run_id
    rewrite(db, parent, 5, value="0000gone")
    set_column(db, "UPDATE visits SET child_run = ? WHERE run_id = ? AND node = 'prove'",
               ("0000gone", parent))  # fmt: skip
    found = breaches(db)
    assert f"run {parent}: event 6: call_end at prove: its child run 0000gone is not in the " \
        "journal" in found  # fmt: skip
    assert f"run {good.child.run_id}: event 2: called_by names run {parent} at step prove, " \
        "but that run's call there named another run" in found  # fmt: skip


def test_the_verify_command_reports_a_broken_link_and_exits_1(
    pairs: tuple[Path, Called, Called],
) -> None:
    db, _, bad = pairs
    runner = CliRunner()
    clean = runner.invoke(cli, ["verify", "--db", str(db)], prog_name="procedo")
    assert (clean.exit_code, clean.output) == (0, "Checked 5 run(s), 40 event(s): intact.\n")
    forge_success(db, bad.parent.run_id)
    result = runner.invoke(cli, ["verify", "--db", str(db)], prog_name="procedo")
    assert result.exit_code == 1
    assert result.output == (
        f"run {bad.parent.run_id}: event 6: call_end at prove says its child run "
        f"{bad.child.run_id} ended success, but that run ended failure\n"
        "Checked 5 run(s), 40 event(s): 1 run(s) NOT intact.\n"
    )
    only = runner.invoke(cli, ["verify", "--db", str(db), bad.child.run_id], prog_name="x")
    assert only.exit_code == 0  # the breach is the parent's


def test_child_outcome_words() -> None:
    ends = [("completed", 1), ("completed", 0), ("aborted", None), ("active", None)]
    assert [child_outcome(s, v) for s, v in ends] == ["success", "failure", "aborted", None]
