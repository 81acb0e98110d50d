"""Leases: one session drives a run; others get a read-only view, can take over, and a dead
holder's lease is taken silently."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from procedo.engine import Refused, Run
from procedo.journal import Journal, RunLockedError, StaleRunError
from procedo.journal.lease import pid_alive, this_host
from procedo.model import LoadedProcess, load_file

REPO = Path(__file__).resolve().parent.parent
T0 = 1_795_000_000_000  # 2026-11-18 11:06:40 UTC


@pytest.fixture
def incident() -> LoadedProcess:
    return load_file(REPO / "processes" / "incident-response.toml")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "journal.db"


@pytest.fixture
def sessions(db: Path) -> Iterator[list[Journal]]:
    """Three sessions on one file, as three terminals would have (fixed clock)."""
    opened = [Journal(db) for _ in range(3)]
    for journal in opened:
        journal.clock = lambda: T0
    yield opened
    for journal in opened:
        journal.close()


def lease_row(db: Path, run_id: str) -> tuple[object, ...] | None:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT token, pid, host, operator FROM leases WHERE run_id = ?", (run_id,)
        ).fetchone()


def event_count(db: Path, run_id: str) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM events WHERE run_id = ?", (run_id,)).fetchone()[0]


def dead_pid() -> int:
    """The id of a process that has exited (and been reaped)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    assert not pid_alive(child.pid)
    return child.pid


def finish(run: Run) -> None:
    """Walk incident-response to the 'closed' end."""
    run.check(0)
    run.check(1)
    run.check(2)
    run.record(3, "09:00")
    run.record(4, "2")
    run.record(5, "eu")
    run.complete()
    run.accept_role()
    run.choose(1)


def test_a_second_session_gets_a_read_only_view_naming_the_holder(
    sessions: list[Journal], db: Path, incident: LoadedProcess
) -> None:
    ann, bob, _ = sessions
    run = ann.start_run(incident, "Ann", "pager")
    run.check(0)
    opened = bob.open_run(run.run_id)
    assert opened.read_only
    assert opened.holder is not None
    assert (opened.holder.operator, opened.holder.pid, opened.holder.token) == (
        "Ann",
        os.getpid(),
        ann.token,
    )
    expected = f"Ann (process {os.getpid()}, since 2026-11-18 11:06 UTC)"
    assert opened.holder.describe() == expected
    assert opened.run.state.last_seq == 2
    before = event_count(db, run.run_id)
    for action in (
        lambda: opened.run.check(1),
        lambda: opened.run.note("hello"),
        opened.run.pause,
        lambda: opened.run.hand_over("Bob"),
    ):
        with pytest.raises(RunLockedError) as caught:
            action()
        assert str(caught.value) == f"this run is driven by {expected}: it is read-only here"
    assert event_count(db, run.run_id) == before
    # an invalid operation is still refused for what it is
    with pytest.raises(Refused, match="already ticked"):
        opened.run.check(0)
    # the holder carries on undisturbed
    run.check(1)
    assert lease_row(db, run.run_id)[0] == ann.token  # type: ignore[index]


def test_take_over_is_journaled_and_the_first_session_is_then_refused(
    sessions: list[Journal], db: Path, incident: LoadedProcess
) -> None:
    ann, bob, _ = sessions
    run = ann.start_run(incident, "Ann", "pager")
    run.check(0)
    taken = bob.take_over(run.run_id, "  Bob ", " Ann's terminal froze ")
    event = bob.events(run.run_id)[-1]
    assert (event.kind, event.actor, event.reason, event.seq) == (
        "takeover",
        "Bob",
        "Ann's terminal froze",
        3,
    )
    assert taken.state.operator == "Bob"
    assert taken.state.operators == ["Ann", "Bob"]
    assert lease_row(db, run.run_id)[:4] == (bob.token, os.getpid(), this_host(), "Bob")  # type: ignore[index]
    taken.check(1)
    assert bob.events(run.run_id)[-1].actor == "Bob"

    before = run.state
    with pytest.raises(RunLockedError) as caught:
        run.check(2)
    assert str(caught.value) == (
        f"this run is now driven by Bob (process {os.getpid()}, since 2026-11-18 11:06 UTC); "
        "it is read-only here"
    )
    assert run.state is before
    assert event_count(db, run.run_id) == 4
    reopened = ann.open_run(run.run_id)
    assert reopened.read_only
    assert reopened.holder is not None and reopened.holder.operator == "Bob"


def test_a_stale_session_is_refused_once_the_journal_moved_on(
    sessions: list[Journal], db: Path, incident: LoadedProcess
) -> None:
    ann, bob, _ = sessions
    run = ann.start_run(incident, "Ann", "pager")
    taken = bob.take_over(run.run_id, "Bob")
    taken.check(0)
    bob.release(run.run_id)
    assert lease_row(db, run.run_id) is None
    with pytest.raises(StaleRunError) as caught:
        run.check(0)
    assert str(caught.value) == (
        "this run was changed in another session since it was opened here; "
        "reopen it to see the latest state"
    )
    assert event_count(db, run.run_id) == 3
    again = ann.open_run(run.run_id)
    assert not again.read_only
    assert again.run.state.current.mark(0).by == "Bob"  # type: ignore[union-attr]
    again.run.check(1)
    assert ann.events(run.run_id)[-1].actor == "Bob"  # the run's operator is now Bob


def test_a_dead_holders_lease_is_taken_and_the_crash_journaled(
    sessions: list[Journal], db: Path, incident: LoadedProcess
) -> None:
    ann, bob, _ = sessions
    run = ann.start_run(incident, "Ann", "pager")
    pid = dead_pid()
    with sqlite3.connect(db) as conn:
        conn.execute(
            "UPDATE leases SET token = 'crashed-session', pid = ? WHERE run_id = ?",
            (pid, run.run_id),
        )
    assert bob.lease_holder(run.run_id) is None
    opened = bob.open_run(run.run_id)
    assert not opened.read_only
    assert opened.holder is None
    assert lease_row(db, run.run_id)[:2] == (bob.token, os.getpid())  # type: ignore[index]
    opened.run.check(0)
    events = bob.events(run.run_id)
    assert [e.kind for e in events] == ["start", "takeover", "check"]
    takeover = events[1]
    assert takeover.actor == "Ann"  # the same operator carries on; `o` hands over otherwise
    assert takeover.reason is not None
    assert f"process {pid}" in takeover.reason and "ended without closing the run" in (
        takeover.reason
    )


def test_reopening_a_run_this_session_left_records_nothing(
    sessions: list[Journal], incident: LoadedProcess
) -> None:
    ann, _, _ = sessions
    run = ann.start_run(incident, "Ann", "pager")
    ann.release(run.run_id)
    ann.open_run(run.run_id)
    assert [e.kind for e in ann.events(run.run_id)] == ["start"]


def test_a_lease_from_another_host_is_trusted_and_named(
    sessions: list[Journal], db: Path, incident: LoadedProcess
) -> None:
    ann, bob, _ = sessions
    run = ann.start_run(incident, "Ann", "pager")
    with sqlite3.connect(db) as conn:
        conn.execute(
            "UPDATE leases SET token = 'remote', pid = ?, host = 'far-away' WHERE run_id = ?",
            (dead_pid(), run.run_id),
        )
    opened = bob.open_run(run.run_id)
    assert opened.read_only
    assert opened.holder is not None
    assert "on far-away" in opened.holder.describe()
    taken = bob.take_over(run.run_id, "Bob", "the laptop is gone")
    assert taken.state.operator == "Bob"


def test_a_live_holder_in_another_process_blocks_until_it_dies(
    db: Path, incident: LoadedProcess
) -> None:
    script = textwrap.dedent(
        f"""
        import sys, time
        from procedo.journal import Journal
        from procedo.model import load_file
        journal = Journal({str(db)!r})
        run = journal.start_run(load_file({str(incident.path)!r}), "Ann", "pager")
        print(run.run_id, flush=True)
        time.sleep(60)
        """
    )
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        run_id = child.stdout.readline().strip()  # type: ignore[union-attr]
        with Journal(db) as bob:
            opened = bob.open_run(run_id)
            assert opened.read_only
            assert opened.holder is not None and opened.holder.pid == child.pid
            child.kill()
            child.wait()
            again = bob.open_run(run_id)
            assert not again.read_only
            again.run.check(0)
    finally:
        child.kill()
        child.wait()
        child.stdout.close()  # type: ignore[union-attr]


def test_finishing_or_aborting_releases_the_lease(
    sessions: list[Journal], db: Path, incident: LoadedProcess
) -> None:
    ann, bob, _ = sessions
    run = ann.start_run(incident, "Ann", "pager")
    assert lease_row(db, run.run_id) is not None
    finish(run)
    assert run.state.status == "completed"
    assert lease_row(db, run.run_id) is None
    other = ann.start_run(incident, "Ann", "pager")
    other.abort("wrong alert")
    assert lease_row(db, other.run_id) is None
    for run_id in (run.run_id, other.run_id):
        opened = bob.open_run(run_id)
        assert opened.read_only
        assert opened.holder is None
        with pytest.raises(Refused, match="nothing more can be done in it"):
            opened.run.note("late")
        with pytest.raises(Refused, match="nothing more can be done in it"):
            bob.take_over(run_id, "Bob")
    assert lease_row(db, run.run_id) is None


def test_release_gives_the_run_back_and_only_the_holders_release_counts(
    sessions: list[Journal], db: Path, incident: LoadedProcess
) -> None:
    ann, bob, cy = sessions
    run = ann.start_run(incident, "Ann", "pager")
    bob.release(run.run_id)  # not Bob's lease: nothing happens
    assert lease_row(db, run.run_id)[0] == ann.token  # type: ignore[index]
    run.pause("lunch")
    ann.release(run.run_id)
    assert lease_row(db, run.run_id) is None
    opened = cy.open_run(run.run_id)
    assert not opened.read_only
    opened.run.resume()
    assert opened.run.state.status == "active"
    # Ann's old Run object no longer drives the run
    with pytest.raises(RunLockedError, match="this run is now driven by Ann"):
        run.resume()


def test_open_read_only_on_request_takes_no_lease(
    sessions: list[Journal], db: Path, incident: LoadedProcess
) -> None:
    ann, bob, _ = sessions
    run = ann.start_run(incident, "Ann", "pager")
    ann.release(run.run_id)
    opened = bob.open_run(run.run_id, read_only=True)
    assert opened.read_only and opened.holder is None
    with pytest.raises(RunLockedError, match="opened read-only"):
        opened.run.check(0)
    assert lease_row(db, run.run_id) is None


def test_the_same_session_can_reopen_its_own_run(
    sessions: list[Journal], incident: LoadedProcess
) -> None:
    ann, _, _ = sessions
    run = ann.start_run(incident, "Ann", "pager")
    opened = ann.open_run(run.run_id)
    assert not opened.read_only
    opened.run.check(0)


def test_the_default_operator_falls_back_to_the_login_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from procedo.journal.store import default_operator

    for key in ("PROCEDO_OPERATOR", "USER", "LOGNAME", "USERNAME"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setattr("getpass.getuser", lambda: "login-name")
    assert default_operator() == "login-name"
    monkeypatch.setenv("USER", "  ")
    assert default_operator() == "login-name"
    monkeypatch.setenv("PROCEDO_OPERATOR", "Ann")
    assert default_operator() == "Ann"


def test_a_hand_over_renames_the_lease_so_others_see_who_drives(
    sessions: list[Journal], db: Path, incident: LoadedProcess
) -> None:
    ann, bob, _ = sessions
    run = ann.start_run(incident, "Ann", "pager")
    run.hand_over("Bob", "shift change")
    assert lease_row(db, run.run_id) == (ann.token, os.getpid(), this_host(), "Bob")
    opened = bob.open_run(run.run_id)
    assert opened.read_only
    assert opened.holder is not None and opened.holder.operator == "Bob"
    assert opened.holder.describe().startswith("Bob (process ")
    run.hand_over("Cy")  # the session's lease follows every hand-over, in the same commit
    assert lease_row(db, run.run_id)[3] == "Cy"  # type: ignore[index]


def test_a_crash_after_a_hand_over_names_who_was_driving(
    sessions: list[Journal], db: Path, incident: LoadedProcess
) -> None:
    ann, bob, _ = sessions
    run = ann.start_run(incident, "Ann", "pager")
    run.hand_over("Bob", "shift change")
    run.check(0)
    with sqlite3.connect(db) as conn:  # the session dies without leaving the run
        conn.execute(
            "UPDATE leases SET token = 'crashed-session', pid = ? WHERE run_id = ?",
            (dead_pid(), run.run_id),
        )
    opened = bob.open_run(run.run_id)
    takeover = bob.events(run.run_id)[-1]
    assert takeover.kind == "takeover" and takeover.actor == "Bob"
    assert takeover.reason is not None
    assert takeover.reason.startswith("the previous session (Bob (process ")
    assert "Ann" not in takeover.reason
    assert lease_row(db, run.run_id)[3] == "Bob"  # type: ignore[index]
    assert not opened.read_only
