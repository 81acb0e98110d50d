"""The run commands: runs, show, verify, paths; --db and PROCEDO_DB; clear errors, no tracebacks."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from procedo.cli import cli
from procedo.engine import Run
from procedo.journal import Journal
from procedo.model import load_file

REPO = Path(__file__).resolve().parent.parent
T0 = 1_795_000_000_000  # 2026-11-18 11:06:40 UTC


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Every command runs in an empty folder, with PROCEDO_DB pointing into tmp_path."""
    monkeypatch.delenv("PROCEDO_PROCESSES", raising=False)
    monkeypatch.setenv("PROCEDO_DB", str(tmp_path / "journal.db"))
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "journal.db"


def run(*args: str) -> Result:
    result = CliRunner().invoke(cli, list(args), prog_name="procedo")
    assert "Traceback" not in result.output
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def walk_incident_to_closed(run_: Run) -> None:
    run_.check(0)
    run_.check(1)
    run_.check(2)
    run_.record(3, "09:12")
    run_.record(4, "12,5")
    run_.record(5, "EU")
    run_.complete()
    run_.accept_role()
    run_.choose(1)


def populate(db: Path) -> dict[str, str]:
    """Three runs an hour apart: completed incident, aborted refund, active practice incident."""
    now = [T0]
    ids: dict[str, str] = {}
    with Journal(db) as journal:
        journal.clock = lambda: now[0]
        incident = load_file(REPO / "processes" / "incident-response.toml")
        refund = load_file(REPO / "processes" / "refund-approval.toml")
        done = journal.start_run(incident, "Ann", "pager")
        walk_incident_to_closed(done)
        ids["completed"] = done.run_id
        now[0] += 3_600_000
        dropped = journal.start_run(refund, "Bob", "customer-request", inputs={"amount": "120"})
        dropped.note("customer called back")
        dropped.abort("duplicate request")
        ids["aborted"] = dropped.run_id
        now[0] += 3_600_000
        practice = journal.start_run(incident, "Cy", "pager", practice=True)
        practice.check(0)
        ids["active"] = practice.run_id
    return ids


# -- runs -----------------------------------------------------------------------------------


def test_runs_lists_newest_first(db: Path) -> None:
    ids = populate(db)
    result = run("runs")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    headers = ["RUN", "PROCESS", "STATUS", "OPERATOR", "STARTED (UTC)", "AT / ENDED AT"]
    assert re.split(r"\s{2,}", lines[0]) == headers
    assert [line.split()[0] for line in lines[1:]] == [
        ids["active"][:8],
        ids["aborted"][:8],
        ids["completed"][:8],
    ]
    assert "active (practice)" in lines[1]
    assert lines[1].split()[-3:] == ["2026-11-18", "13:06", "triage"]
    assert "refund-approval" in lines[2] and "aborted" in lines[2] and "verify" in lines[2]
    assert lines[3].split()[-1] == "closed"


def test_runs_filters(db: Path) -> None:
    ids = populate(db)
    by_process = run("runs", "--process", "refund-approval")
    assert [line.split()[0] for line in by_process.output.splitlines()[1:]] == [ids["aborted"][:8]]
    by_status = run("runs", "--status", "completed")
    assert [line.split()[0] for line in by_status.output.splitlines()[1:]] == [ids["completed"][:8]]
    both = run("runs", "--process", "refund-approval", "--status", "active")
    assert both.exit_code == 0
    assert both.output == "No runs match.\n"


def test_runs_json(db: Path) -> None:
    ids = populate(db)
    result = run("runs", "--json")
    assert result.exit_code == 0
    rows = json.loads(result.output)["runs"]
    assert [r["id"] for r in rows] == [ids["active"], ids["aborted"], ids["completed"]]
    completed = rows[2]
    assert completed["status"] == "completed"
    assert completed["end_node"] == "closed"
    assert completed["success"] == 1
    assert completed["operators"] == ["Ann"]
    assert completed["started_at"] == "2026-11-18T11:06:40.000Z"
    assert completed["trigger"] == "pager"
    assert rows[0]["practice"] == 1
    assert rows[1]["abort_reason"] == "duplicate request"
    filtered = json.loads(run("runs", "--json", "--status", "aborted").output)["runs"]
    assert [r["id"] for r in filtered] == [ids["aborted"]]


def test_runs_without_a_journal_says_so_and_creates_nothing(db: Path) -> None:
    result = run("runs")
    assert result.exit_code == 0
    assert result.output == f"No runs yet (no journal at {db}).\n"
    assert json.loads(run("runs", "--json").output) == {"runs": []}
    assert not db.exists()


def test_runs_rejects_an_unknown_status() -> None:
    result = run("runs", "--status", "finished")
    assert result.exit_code == 2
    assert "Invalid value for '--status'" in result.output


# -- show -----------------------------------------------------------------------------------


def test_show_by_unique_prefix(db: Path) -> None:
    ids = populate(db)
    run_id = ids["completed"]
    result = run("show", run_id[:6].upper())
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"Run {run_id}"
    assert lines[1] == "  process   Customer-facing incident response (incident-response v1.2)"
    assert lines[2] == "  status    completed"
    assert lines[3] == "  operator  Ann  (all: Ann)"
    assert lines[4] == "  trigger   pager"
    assert lines[5] == "  started   2026-11-18 11:06 UTC"
    assert "  path      triage > impact > closed" in lines
    events = [line.split() for line in lines if line.startswith("  ") and line.split()[0].isdigit()]
    assert [e[0] for e in events] == [str(n) for n in range(1, 12)]  # with one accept_role
    assert events[0][2:] == ["Ann", "start", "triage", "=", "pager"]
    assert events[5][3:] == ["record", "triage#5", "=", "12.5"]
    assert events[-1][3:] == ["finish", "closed", "=", "success"]


def test_show_a_practice_run_and_reasons(db: Path) -> None:
    ids = populate(db)
    practice = run("show", ids["active"])
    assert "  status    active (practice)" in practice.output.splitlines()
    aborted = run("show", ids["aborted"])
    assert "(duplicate request)" in aborted.output
    assert "= customer called back" in aborted.output


def test_show_json(db: Path) -> None:
    ids = populate(db)
    result = run("show", ids["completed"][:8], "--json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["run"]["id"] == ids["completed"]
    assert data["run"]["operators"] == ["Ann"]
    assert data["path"] == ["triage", "impact", "closed"]
    assert [e["seq"] for e in data["events"]] == list(range(1, 12))
    assert data["events"][-1]["kind"] == "finish"
    assert set(data["events"][0]) == {
        "run_id",
        "seq",
        "ts",
        "actor",
        "kind",
        "node",
        "item",
        "value",
        "reason",
        "hash",
        "branch",
    }


def test_show_an_ambiguous_prefix(db: Path) -> None:
    by_first: dict[str, list[str]] = defaultdict(list)
    with Journal(db) as journal:
        incident = load_file(REPO / "processes" / "incident-response.toml")
        for _ in range(17):  # 17 ids, 16 possible first digits: two must share one
            started = journal.start_run(incident, "Ann", "pager")
            by_first[started.run_id[0]].append(started.run_id)
    prefix, shared = next((k, v) for k, v in sorted(by_first.items()) if len(v) > 1)
    result = run("show", prefix)
    assert result.exit_code == 1
    message = result.output.strip()
    assert message.startswith(f"procedo: '{prefix}' matches several runs (")
    assert message.endswith("...): give more of the id")
    assert sorted(shared)[0][:13] in message
    assert run("show", shared[0]).exit_code == 0


@pytest.mark.parametrize(
    ("argument", "message"),
    [
        ("zzzz", "procedo: no run has an id starting with 'zzzz'"),
        ("   ", "procedo: give a run id (or a unique prefix of one)"),
        ("'; DROP TABLE runs; --", "procedo: no run has an id starting with"),
    ],
)
def test_show_an_unknown_prefix(db: Path, argument: str, message: str) -> None:
    populate(db)
    result = run("show", argument)
    assert result.exit_code == 1
    assert result.output.startswith(message)
    assert run("runs").exit_code == 0


def test_show_without_a_journal(db: Path) -> None:
    result = run("show", "abc")
    assert result.exit_code == 1
    assert result.output == f"procedo: no journal at {db} (nothing has been run with it yet)\n"
    assert not db.exists()


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        ("DELETE FROM events WHERE run_id = ? AND seq = 1", "event 2 follows event 0"),
        ("UPDATE events SET ts = 'yesterday' WHERE run_id = ? AND seq = 3", "unreadable time"),
        ("UPDATE events SET item = 'x' WHERE run_id = ? AND seq = 3", "not a number: 'x'"),
        ("UPDATE events SET node = 'nowhere' WHERE run_id = ? AND seq = 1", "not a node"),
    ],
)
def test_show_a_run_whose_events_no_longer_replay(db: Path, damage: str, reason: str) -> None:
    ids = populate(db)
    conn = sqlite3.connect(db)
    conn.execute("DROP TRIGGER events_append_only_delete")
    conn.execute("DROP TRIGGER events_append_only_update")
    conn.execute(damage, (ids["completed"],))
    conn.commit()
    conn.close()
    result = run("show", ids["completed"])
    assert result.exit_code == 1
    assert result.output.startswith(f"procedo: run {ids['completed'][:8]} cannot be replayed: ")
    assert reason in result.output
    assert run("verify").exit_code == 1


# -- verify ---------------------------------------------------------------------------------


def test_verify_all_and_some(db: Path) -> None:
    ids = populate(db)
    result = run("verify")
    assert result.exit_code == 0
    assert result.output == "Checked 3 run(s), 17 event(s): intact.\n"
    some = run("verify", ids["aborted"][:5], ids["active"][:5])
    assert some.exit_code == 0
    assert some.output == "Checked 2 run(s), 6 event(s): intact.\n"
    unknown = run("verify", "ffffffff-nope")
    assert unknown.exit_code == 1
    assert unknown.output == "procedo: no run has an id starting with 'ffffffff-nope'\n"


def test_verify_names_the_tampered_run(db: Path) -> None:
    ids = populate(db)
    conn = sqlite3.connect(db)
    conn.execute("DROP TRIGGER events_append_only_update")
    conn.execute("UPDATE events SET actor = 'Eve' WHERE run_id = ? AND seq = 2", (ids["aborted"],))
    conn.commit()
    conn.close()
    result = run("verify")
    assert result.exit_code == 1
    assert result.output == (
        f"run {ids['aborted']}: event 2: its content or hash was changed "
        "(or event 1 was rewritten with a fresh hash)\n"
        "Checked 3 run(s), 15 event(s): 1 run(s) NOT intact.\n"
    )


def test_verify_an_empty_journal(db: Path) -> None:
    Journal(db).close()
    result = run("verify")
    assert result.exit_code == 0
    assert result.output == "Checked 0 run(s), 0 event(s): intact.\n"


# -- paths, --db and PROCEDO_DB -------------------------------------------------------------


def test_paths(db: Path, tmp_path: Path) -> None:
    folder = tmp_path / "procs"
    result = run("paths", "--processes", str(folder))
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        f"processes  {folder}  (missing)",
        f"database   {db}  (not created yet)",
    ]
    folder.mkdir()
    Journal(db).close()
    assert run("paths", "--processes", str(folder)).output.splitlines() == [
        f"processes  {folder}",
        f"database   {db}",
    ]


def test_db_option_before_or_after_the_command_beats_the_environment(
    db: Path, tmp_path: Path
) -> None:
    populate(db)
    other = tmp_path / "other.db"
    assert run("--db", str(other), "paths").output.splitlines()[1].split()[1] == str(other)
    assert run("paths", "--db", str(other)).output.splitlines()[1].split()[1] == str(other)
    assert run("--db", str(other), "runs").output == f"No runs yet (no journal at {other}).\n"
    assert len(json.loads(run("runs", "--json").output)["runs"]) == 3
    assert len(json.loads(run("runs", "--json", "--db", str(db)).output)["runs"]) == 3


def test_procedo_db_environment_variable(db: Path, tmp_path: Path) -> None:
    populate(db)
    moved = tmp_path / "moved.db"
    db.rename(moved)
    env = {**os.environ, "PROCEDO_DB": str(moved)}
    result = subprocess.run(
        [sys.executable, "-m", "procedo", "runs", "--json"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)["runs"]) == 3
    paths = subprocess.run(
        [sys.executable, "-m", "procedo", "paths"], capture_output=True, text=True, env=env
    )
    assert f"database   {moved}" in paths.stdout


@pytest.mark.parametrize("command", ["runs", "verify", "show abc"])
def test_a_bad_database_file_gives_a_clear_error(db: Path, tmp_path: Path, command: str) -> None:
    bad = tmp_path / "bad.db"
    bad.write_text("not a database\n" * 100)
    result = run("--db", str(bad), *command.split())
    assert result.exit_code == 1
    assert result.output == (
        f"procedo: cannot use {bad} as a journal: it is not an SQLite database, or it is "
        "damaged; it was left untouched\n"
    )
    folder = run("--db", str(tmp_path), *command.split())
    assert folder.exit_code in (1, 2)
    assert "Traceback" not in folder.output
