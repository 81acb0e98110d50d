"""verify reads the whole journal as one pass per table, merged run by run (and on two
processes for a large one): a tamper anywhere in a many-run journal is found and named as
before, rows of no run do not disturb the merge, and the bench generator's journal is intact."""

from __future__ import annotations

import json
import shutil
import sqlite3
import sys
from pathlib import Path
from typing import Any

import pytest

from procedo.engine import events as event_module
from procedo.journal import Journal, verify_parallel
from procedo.journal.verify import VerifyReport, verify_journal

REPO = Path(__file__).resolve().parent.parent
RUNS = 50


@pytest.fixture(scope="module")
def bench_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """bench/history.py's journal of 50 runs (built once for this file)."""
    sys.path.insert(0, str(REPO / "bench"))
    try:
        import history
    finally:
        sys.path.remove(str(REPO / "bench"))
    path = tmp_path_factory.mktemp("bench") / "history.db"
    history.build(path, RUNS)
    return path


@pytest.fixture
def db(bench_db: Path, tmp_path: Path) -> Path:
    """A copy of the bench journal to tamper with."""
    copy = tmp_path / "journal.db"
    shutil.copyfile(bench_db, copy)
    return copy


def run_ids(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [row[0] for row in conn.execute("SELECT id FROM runs ORDER BY id")]


def sql(db: Path, statement: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(db)
    try:
        conn.execute("DROP TRIGGER IF EXISTS events_append_only_update")
        rows = conn.execute(statement, params).fetchall()
        conn.commit()
        return rows
    finally:
        conn.close()


def verified(db: Path) -> VerifyReport:
    with Journal(db, create=False) as journal:
        return verify_journal(journal)


def found(report: VerifyReport) -> list[tuple[str, int | None, str]]:
    return [(b.run_id, b.seq, b.reason) for b in report.breaches]


def test_the_bench_generators_journal_verifies_intact(bench_db: Path) -> None:
    report = verified(bench_db)
    assert found(report) == []
    events = sql(bench_db, "SELECT count(*) FROM events")[0][0]
    assert (report.runs_checked, report.events_checked) == (RUNS, events)


def test_an_event_edited_in_the_middle_of_the_journal_names_only_that_run(db: Path) -> None:
    middle = run_ids(db)[RUNS // 2]
    sql(db, "UPDATE events SET ts = '2020-01-01T00:00:00.000Z' WHERE run_id = ? AND seq = 3",
        (middle,))  # fmt: skip
    report = verified(db)
    assert found(report) == [(middle, 3, "its content or hash was changed (or event 2 was "
                                         "rewritten with a fresh hash)")]  # fmt: skip
    assert report.runs_checked == RUNS
    held = sql(db, "SELECT count(*) FROM events WHERE run_id = ?", (middle,))[0][0]
    assert report.events_checked == sql(db, "SELECT count(*) FROM events")[0][0] - held + 3


@pytest.mark.parametrize("where", [0, RUNS // 2, RUNS - 1])
def test_a_visit_row_missing_or_extra_is_found_wherever_the_run_is(db: Path, where: int) -> None:
    ids = run_ids(db)
    run_id, extra = ids[where], ids[(where + 1) % RUNS]
    visits = sql(db, "SELECT count(*) FROM visits WHERE run_id = ?", (run_id,))[0][0]
    sql(db, "DELETE FROM visits WHERE run_id = ? AND visit = 0", (run_id,))
    others = sql(db, "SELECT count(*) FROM visits WHERE run_id = ?", (extra,))[0][0]
    sql(db, "INSERT INTO visits SELECT ?, visit + 1000, process_id, node, kind, entered_at, "
        "left_at, duration_ms, outcome, choice, next_node, process_version, definition_hash, "
        "practice, suggested, chosen_by, override_reason, basis_values, branch, child_run, "
        "child_outcome, run_completed, paused_ms, interrupted_ms FROM visits "
        "WHERE run_id = ? AND visit = 0", (extra, extra))  # fmt: skip
    expected = {
        run_id: f"the journal holds {visits - 1} visit rows, its events give {visits}",
        extra: f"the journal holds {others + 1} visit rows, its events give {others}",
    }
    assert found(verified(db)) == [(r, None, expected[r]) for r in sorted(expected)]


def test_a_mark_and_an_operator_row_found_missing_or_extra(db: Path) -> None:
    ids = run_ids(db)
    marked = sql(db, "SELECT run_id, count(*) FROM marks GROUP BY run_id ORDER BY run_id")
    run_id, marks = marked[len(marked) // 2]
    sql(db, "DELETE FROM marks WHERE run_id = ? AND (visit, item) = (SELECT visit, item "
        "FROM marks WHERE run_id = ? ORDER BY visit, item LIMIT 1)", (run_id, run_id))  # fmt: skip
    other = next(r for r in ids if r > run_id)
    sql(db, "INSERT INTO run_operators SELECT run_id, 'Mallory', process_id, process_version, "
        "practice FROM run_operators WHERE run_id = ? LIMIT 1", (other,))  # fmt: skip
    assert found(verified(db)) == [
        (run_id, None, f"the journal holds {marks - 1} mark rows, its events give {marks}"),
        (other, None, "the run's operators table has rows its events do not give ('Mallory')"),
    ]


def test_rows_of_no_run_between_runs_leave_the_others_intact(db: Path) -> None:
    ids = run_ids(db)
    between = ids[10][:-1] + "~"  # after ids[10], before ids[11]
    last = "~" * 36
    for orphan in (between, last):
        sql(db, "INSERT INTO events SELECT ?, seq, ts, actor, kind, node, item, value, reason, "
            "hash, branch FROM events WHERE run_id = ?", (orphan, ids[10]))  # fmt: skip
    sql(db, "INSERT INTO visits SELECT ?, visit, process_id, node, kind, entered_at, left_at, "
        "duration_ms, outcome, choice, next_node, process_version, definition_hash, practice, "
        "suggested, chosen_by, override_reason, basis_values, branch, child_run, child_outcome, "
        "run_completed, paused_ms, interrupted_ms FROM visits WHERE run_id = ?",
        (between, ids[10]))  # fmt: skip
    sql(
        db,
        "INSERT INTO marks SELECT ?, visit, item, process_id, process_version, "
        "definition_hash, practice, node, text, value, number, na_reason, actor, at, "
        "deviation, deviation_reason, inactive FROM marks WHERE run_id = ?",
        ("0", ids[0]),
    )  # fmt: skip: before every run
    report = verified(db)
    assert found(report) == [
        (between, None, "events of a run with no run record"),
        (last, None, "events of a run with no run record"),
    ]
    assert report.runs_checked == RUNS


def test_two_processes_find_what_one_finds(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ids = run_ids(db)
    for index in (3, 17, 30, 44):
        sql(db, "UPDATE runs SET abort_reason = 'edited' WHERE id = ?", (ids[index],))
    sql(db, "UPDATE events SET actor = 'Mallory' WHERE run_id = ? AND seq = 2", (ids[25],))
    sql(db, "INSERT INTO events SELECT '~', seq, ts, actor, kind, node, item, value, reason, "
        "hash, branch FROM events WHERE run_id = ?", (ids[1],))  # fmt: skip
    alone = verified(db)
    monkeypatch.setattr(verify_parallel, "PARALLEL_FROM", 0)
    monkeypatch.setattr(verify_parallel, "CHUNK", 3)
    calls: list[int] = []
    dispatch = verify_parallel._dispatch
    monkeypatch.setattr(verify_parallel, "_dispatch", lambda *a: calls.append(1) or dispatch(*a))
    both = verified(db)
    assert calls == [1]  # the second process did start
    assert found(both) == found(alone)
    assert (both.runs_checked, both.events_checked) == (alone.runs_checked, alone.events_checked)
    assert [b.run_id for b in alone.breaches] == [*(ids[i] for i in (3, 17, 25, 30, 44)), "~"]


VALUES: list[object] = ["é\"\\\n\t\x00\x7f\u2028\U0001f600", "", 0, -7, 10**30, None, 1.5,
                        float("nan"), True, False, "procedo-run"]  # fmt: skip


@pytest.mark.parametrize("reused", [True, False])
def test_event_bytes_are_json_dumps_bytes(monkeypatch: pytest.MonkeyPatch, reused: bool) -> None:
    if not reused:
        monkeypatch.setattr(event_module, "_ENCODE", None)
    else:
        assert event_module._ENCODE is not None
    for value in VALUES:
        fields = ["run", 1, "2026-01-01T00:00:00.000Z", "Ann", "check", value, 2, value, None,
                  "f" * 64]  # fmt: skip
        expected = json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode()
        assert event_module.canonical_bytes(fields) == expected
    with pytest.raises(TypeError):
        event_module.canonical_bytes(["run", b"bytes"])
