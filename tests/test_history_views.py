"""The SQL views give procedo's figures; a schema-1 journal upgrades in place to the newest."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils

from fixtures_journal import DAY0, MINUTE, RUNS, Clock, build_history_journal, definitions
from procedo.engine import MemorySink, Run, iso_from_ms
from procedo.journal import SCHEMA_VERSION, Journal
from procedo.journal.metrics import compute_metrics
from procedo.journal.rows import run_row, visit_row
from procedo.journal.schema import MIGRATIONS
from procedo.journal.verify import verify_journal
from procedo.model.figures import Metrics

VIEWS = [
    "run_summary", "process_metrics", "step_durations", "decision_choices", "na_items",
    "recorded_numbers", "loop_repeats", "operator_runs", "trigger_runs",
]  # fmt: skip
RUN_FIGURES = [
    "started", "completed", "aborted", "unfinished", "succeeded", "success_rate", "median_ms",
    "p90_ms", "with_target", "within_target", "on_target_share",
]  # fmt: skip


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("views") / "journal.db"
    build_history_journal(path)
    return path


def view(db: sqlite_utils.Database, name: str, process: str, version: str) -> list[dict[str, Any]]:
    return list(db[name].rows_where("process_id = ? AND version = ?", [process, version]))


def assert_same(db: sqlite_utils.Database, m: Metrics, process: str, version: str) -> None:
    (row,) = view(db, "process_metrics", process, version)
    assert {k: row[k] for k in RUN_FIGURES} == pytest.approx(
        {k: getattr(m, k) for k in RUN_FIGURES}
    )
    if process == "*":
        return
    steps = {r["node"]: (r["visits"], r["median_ms"], r["min_ms"], r["max_ms"], r["title"])
             for r in view(db, "step_durations", process, version)}  # fmt: skip
    assert steps == {s.node: (s.visits, s.median_ms, s.min_ms, s.max_ms, s.title) for s in m.steps}
    choices = {(r["node"], r["label"]): (r["count"], r["share"], r["question"])
               for r in view(db, "decision_choices", process, version)}  # fmt: skip
    assert choices == {(d.node, d.label): (d.count, d.share, d.question) for d in m.decisions}
    na: dict[tuple[str, str], tuple[int, int, list[tuple[str, int]]]] = {}
    for r in sorted(view(db, "na_items", process, version), key=lambda r: r["reason_rank"]):
        entry = na.setdefault((r["node"], r["text"]), (r["item"], r["count"], []))
        if r["reason_rank"] <= 3:
            entry[2].append((r["reason"], r["reason_count"]))
    assert na == {
        (n.node, n.text): (n.item, n.count, [(x.reason, x.count) for x in n.reasons])
        for n in m.not_applicable
    }
    numbers = {(r["node"], r["text"]): (r["item"], r["unit"], r["count"], r["median"], r["min"],
               r["max"]) for r in view(db, "recorded_numbers", process, version)}  # fmt: skip
    assert numbers == {
        (n.node, n.text): (n.item, n.unit, n.count, n.median, n.min, n.max) for n in m.numbers
    }
    loops = {r["node"]: (r["runs_with_repeats"], r["max_visits"], r["repeats"], r["title"])
             for r in view(db, "loop_repeats", process, version)}  # fmt: skip
    assert loops == {
        lp.node: (lp.runs_with_repeats, lp.max_visits, lp.repeats, lp.title) for lp in m.loops
    }
    operators = {r["operator"]: r["runs"] for r in view(db, "operator_runs", process, version)}
    assert operators == {t.name: t.runs for t in m.operators}
    triggers = {r["trigger"]: r["runs"] for r in view(db, "trigger_runs", process, version)}
    assert triggers == {t.name: t.runs for t in m.triggers}


@pytest.mark.parametrize(
    ("process", "version"),
    [("mini", "*"), ("mini", "1"), ("mini", "2"), ("incident-response", "*"),
     ("incident-response", "1.2"), ("*", "*")],
)  # fmt: skip
def test_views_give_the_metrics_figures(db_path: Path, process: str, version: str) -> None:
    with Journal(db_path) as journal:
        m = compute_metrics(
            journal,
            None if process == "*" else process,
            version=None if version == "*" else version,
        )
    db = sqlite_utils.Database(db_path)
    try:
        assert set(VIEWS) <= set(db.view_names())
        assert_same(db, m, process, version)
    finally:
        db.close()


def test_run_summary_has_one_row_per_run(db_path: Path) -> None:
    db = sqlite_utils.Database(db_path)
    try:
        rows = list(db["run_summary"].rows_where(order_by="started_at"))
    finally:
        db.close()
    assert len(rows) == 14
    first = rows[0]  # R1: 7 minutes against 10
    assert (first["process_title"], first["outcome"], first["duration_ms"]) == (
        "Mini check",
        "success",
        7 * MINUTE,
    )
    assert (first["target_ms"], first["on_target"]) == (10 * MINUTE, 1)
    assert [r["outcome"] for r in rows if r["status"] != "completed"] == [None] * 4


def test_the_sqlite_utils_command_line_reads_the_views(db_path: Path) -> None:
    tool = Path(sys.executable).parent / "sqlite-utils"
    if not tool.exists():
        pytest.skip("the sqlite-utils command is not installed")
    out = subprocess.run(
        [str(tool), "query", str(db_path),
         "select median_ms, p90_ms from process_metrics where process_id = 'mini' "
         "and version = '*'"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert json.loads(out) == [{"median_ms": 9 * MINUTE, "p90_ms": 15 * MINUTE}]


# -- migration from schema 1 -----------------------------------------------------------------


def v1_journal(path: Path, labels: list[str]) -> dict[str, str]:
    """A journal as procedo with schema 1 wrote it: only the version-1 tables and columns."""
    conn = sqlite3.connect(path)
    for statement in MIGRATIONS[1]:
        conn.execute(statement)  # type: ignore[arg-type]
    conn.execute("PRAGMA user_version = 1")

    def columns(table: str) -> list[str]:
        return [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]

    def insert(table: str, row: dict[str, Any]) -> None:
        keep = [c for c in columns(table) if c in row]
        marks = ", ".join("?" * len(keep))
        sql = f"INSERT OR IGNORE INTO {table} ({', '.join(keep)}) VALUES ({marks})"
        conn.execute(sql, [row[c] for c in keep])

    loaded, ids, clock = definitions(), {}, Clock()
    for label, which, day, operator, trigger, practice, script in RUNS:
        if label not in labels:
            continue
        process, start = loaded[which], DAY0 + day * 86_400_000
        clock.now = start
        sink = MemorySink()
        run = Run.start(process.definition, process.sha256, sink, operator, trigger,
                        practice=practice, run_id=f"{label.lower()}-run", clock=clock)  # fmt: skip
        for minute, actions in script:
            clock.now = start + minute * MINUTE
            for action in actions:
                action(run)
        d = process.definition
        insert("definitions", {"hash": process.sha256, "process_id": process.id,
                               "version": d.version, "title": d.title, "toml": process.text,
                               "first_seen": iso_from_ms(start)})  # fmt: skip
        insert("runs", run_row(run.state))
        for event in sink.events:
            insert("events", event.to_row())
        for visit in run.state.visits:
            insert("visits", visit_row(run.state, visit))
        ids[label] = run.run_id
    conn.commit()
    conn.close()
    return ids


def without_run_ids(m: Metrics) -> dict[str, Any]:
    data = m.to_dict()
    for point in data["durations"]:
        point.pop("run_id")
    return data


def test_a_schema_1_journal_upgrades_in_place(tmp_path: Path) -> None:
    labels = ["R2", "R3", "R9", "I1"]
    old = tmp_path / "old.db"
    v1_journal(old, labels)
    assert sqlite3.connect(old).execute("PRAGMA user_version").fetchone()[0] == 1
    with Journal(old) as journal:
        version = journal.rows("PRAGMA user_version")[0]["user_version"]
        assert version == SCHEMA_VERSION == 9
        assert verify_journal(journal).intact  # the events were not touched
        migrated = {pid: compute_metrics(journal, pid) for pid in ("mini", "incident-response")}
        row = journal.run_row("r2-run")
        assert (row["target_ms"], json.loads(row["repeats"])) == (
            10 * MINUTE,
            {"measure": 3, "ok": 3},
        )
        marks = journal.rows("SELECT text, value, number FROM marks WHERE run_id = 'r9-run'")
        assert {(m["text"], m["value"], m["number"]) for m in marks} == {
            ("Room temperature", "25", 25.0),
            ("Reading", "4", 4.0),
            ("Put on gloves", None, None),
        }
        assert journal.rows("SELECT operator FROM run_operators WHERE run_id = 'r3-run'") == [
            {"operator": "Ann"},
            {"operator": "Cat"},
        ]
    # R2 15 min success, R3 9 min failure, R9 10 min success: median 10, success 2 of 3,
    # on target only R3 (9 of 10; R9 is 10 against 8).
    mini = migrated["mini"]
    assert (mini.median_ms, mini.success_rate, mini.on_target_share) == (10 * MINUTE, 2 / 3, 1 / 3)
    assert [(lp.node, lp.max_visits) for lp in mini.loops] == [("measure", 3), ("ok", 3)]
    assert [(n.text, n.count) for n in mini.not_applicable] == [("Put on gloves", 2)]
    # Temperatures 22 18 25: median 22. Readings 7 9 8 (R2), 10 (R3), 4 (R9): median 8.
    assert [(n.text, n.median) for n in mini.numbers] == [("Room temperature", 22), ("Reading", 8)]
    # The same runs written by schema 2 give exactly the same figures.
    fresh = tmp_path / "fresh.db"
    build_history_journal(fresh, only=labels)
    with Journal(fresh) as journal:
        for pid, m in migrated.items():
            assert without_run_ids(m) == without_run_ids(compute_metrics(journal, pid))


def test_a_newer_journal_is_refused_untouched(tmp_path: Path) -> None:
    from procedo.journal import SchemaError

    path = tmp_path / "newer.db"
    build_history_journal(path)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(SchemaError, match="newer procedo"):
        Journal(path)
