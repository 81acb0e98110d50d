"""Faults: writes that fail at every point of a commit, a full disk, a read-only file; and files
that are not journals. The error reaches the caller as a clear ``StorageError`` or
``SchemaError``, the file stays sound, the run's state is unchanged and the journal holds exactly
the acknowledged operations. A file that is not ours is never modified."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from procedo.cli import cli
from procedo.engine import Run
from procedo.journal import SCHEMA_VERSION, Journal, JournalError, SchemaError, StorageError
from procedo.journal.sink import JournalSink
from procedo.journal.verify import verify_journal
from procedo.model import LoadedProcess, load_file

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def incident() -> LoadedProcess:
    return load_file(REPO / "processes" / "incident-response.toml")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "journal.db"


@pytest.fixture
def journal(db: Path) -> Iterator[Journal]:
    with Journal(db) as opened:
        yield opened


@pytest.fixture
def reader(db: Path, journal: Journal) -> Iterator[Journal]:
    with Journal(db) as opened:
        yield opened


def snapshot(run: Run) -> dict[str, Any]:
    data = dataclasses.asdict(run.state)
    return data


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def integrity(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def write_lock_is_free(db: Path) -> bool:
    conn = sqlite3.connect(db, timeout=0.05, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        conn.close()


def assert_journal_matches(db: Path, reader: Journal, run: Run) -> None:
    """The file is sound and holds exactly what the run acknowledged."""
    assert integrity(db) == "ok"
    _, rebuilt = reader.load_state(run.run_id)
    again = dataclasses.asdict(rebuilt)
    assert again == snapshot(run)
    count = reader.rows("SELECT count(*) AS n FROM events WHERE run_id = ?", (run.run_id,))
    assert count[0]["n"] == run.state.last_seq
    assert reader.run_row(run.run_id)["last_seq"] == run.state.last_seq


def triage_done(run: Run) -> None:
    run.check(0)
    run.check(1)
    run.check(2)
    run.record(3, "09:12")
    run.record(4, "12,5")
    run.record(5, "eu")


# -- failures at every point of a commit ----------------------------------------------------


def interrupt_at(conn: sqlite3.Connection, at: int) -> list[int]:
    """Make the ``at``-th SQLite opcode from now fail (once); returns the opcode counter."""
    calls = [0]

    def handler() -> int:
        calls[0] += 1
        return 1 if calls[0] == at else 0

    conn.set_progress_handler(handler, 1)
    return calls


def fail_at_each_opcode(
    journal: Journal,
    action: Callable[[], object],
    after_failure: Callable[[str], None],
    *,
    dense: int = 40,
    stride: int = 5,
) -> int:
    """Interrupt ``action`` at its 1st, 2nd, ... ``dense``-th SQLite opcode, then at every
    ``stride``-th, until it gets through; ``after_failure`` checks each failure. Returns how
    many failures there were. (The end of a commit is swept opcode by opcode in its own test.)"""
    conn = journal.db.conn
    failures, at = 0, 0
    while True:
        at += 1 if at < dense else stride
        interrupt_at(conn, at)
        try:
            action()
        except StorageError as error:
            conn.set_progress_handler(None, 1)
            failures += 1
            after_failure(str(error))
            continue
        finally:
            conn.set_progress_handler(None, 1)
        return failures


def test_a_start_that_fails_anywhere_leaves_no_run(
    db: Path, journal: Journal, reader: Journal, incident: LoadedProcess
) -> None:
    started: list[Run] = []

    def after_failure(message: str) -> None:
        assert message == "the action 'start' was not saved: the write was interrupted"
        assert not journal.db.conn.in_transaction
        assert write_lock_is_free(db)
        assert reader.runs() == []
        assert reader.rows("SELECT count(*) AS n FROM events")[0]["n"] == 0
        assert integrity(db) == "ok"

    failures = fail_at_each_opcode(
        journal, lambda: started.append(journal.start_run(incident, "Ann", "pager")), after_failure
    )
    assert failures > 40
    [run] = started
    assert_journal_matches(db, reader, run)


@pytest.mark.parametrize(
    ("name", "prepare", "action", "kind"),
    [
        ("check", lambda run: None, lambda run: run.check(0), "'check'"),
        ("record", lambda run: None, lambda run: run.record(4, "12,5"), "'record'"),
        ("complete", triage_done, lambda run: run.complete(), "'complete'"),
        (
            "choose an end",
            lambda run: (triage_done(run), run.complete(), run.accept_role()),
            lambda run: run.choose(1),
            "'choose' and what follows",
        ),
    ],
)
def test_an_operation_that_fails_anywhere_changes_nothing(
    db: Path,
    journal: Journal,
    reader: Journal,
    incident: LoadedProcess,
    name: str,
    prepare: Callable[[Run], object],
    action: Callable[[Run], object],
    kind: str,
) -> None:
    run = journal.start_run(incident, "Ann", "pager")
    prepare(run)
    before = snapshot(run)

    def after_failure(message: str) -> None:
        assert message == f"the action {kind} was not saved: the write was interrupted"
        assert not journal.db.conn.in_transaction
        assert write_lock_is_free(db)
        assert snapshot(run) == before
        assert_journal_matches(db, reader, run)

    failures = fail_at_each_opcode(journal, lambda: action(run), after_failure)
    assert failures > 40, name
    assert snapshot(run) != before
    assert_journal_matches(db, reader, run)
    if name == "choose an end":
        assert run.state.status == "completed"
        assert reader.rows("SELECT count(*) AS n FROM leases")[0]["n"] == 0


def test_the_end_of_a_commit_opcode_by_opcode(
    db: Path, journal: Journal, reader: Journal, incident: LoadedProcess
) -> None:
    """Interrupts in and just after COMMIT: either the action is refused and nothing landed,
    or it landed and is acknowledged (SQLite may report an interrupt after the commit)."""
    run = journal.start_run(incident, "Ann", "pager")
    conn = journal.db.conn
    counter = interrupt_at(conn, 0)
    run.check(0)
    conn.set_progress_handler(None, 1)
    total = counter[0]
    run.uncheck(0)
    outcomes = {"refused": 0, "acknowledged": 0}
    for at in range(total - 30, total + 2):
        before = snapshot(run)
        interrupt_at(conn, at)
        try:
            run.check(0)
        except StorageError as error:
            assert str(error) == "the action 'check' was not saved: the write was interrupted"
            assert snapshot(run) == before
            outcomes["refused"] += 1
        else:
            assert run.state.last_seq == before["last_seq"] + 1
            outcomes["acknowledged"] += 1
        finally:
            conn.set_progress_handler(None, 1)
        assert not conn.in_transaction
        assert write_lock_is_free(db)
        assert_journal_matches(db, reader, run)
        if run.state.current.mark(0).checked:  # type: ignore[union-attr]
            run.uncheck(0)
    assert outcomes["refused"] > 10
    assert outcomes["acknowledged"] > 1


def install_write_fault(conn: sqlite3.Connection, message: str) -> Callable[[int], None]:
    """TEMP triggers that RAISE on the Nth write (insert, update or delete) to any table."""
    conn.execute("CREATE TEMP TABLE fault (remaining INTEGER)")
    conn.execute("INSERT INTO temp.fault VALUES (0)")
    tables = [
        name
        for (name,) in conn.execute(
            "SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    for table in tables:
        for verb in ("INSERT", "UPDATE", "DELETE"):
            conn.execute(
                f"CREATE TEMP TRIGGER fault_{verb}_{table} BEFORE {verb} ON main.{table} BEGIN "
                "UPDATE fault SET remaining = remaining - 1; "
                f"SELECT RAISE(ABORT, '{message}') WHERE (SELECT remaining FROM fault) = 0; "
                "END"
            )
    conn.commit()

    def arm(nth: int) -> None:
        conn.execute("UPDATE temp.fault SET remaining = ?", (nth,))
        conn.commit()

    return arm


def test_an_io_error_on_the_nth_write_of_a_commit(
    db: Path, journal: Journal, reader: Journal, incident: LoadedProcess
) -> None:
    run = journal.start_run(incident, "Ann", "pager")
    triage_done(run)
    run.complete()
    run.accept_role()
    arm = install_write_fault(journal.db.conn, "disk I/O error")
    before = snapshot(run)
    nth = 0
    while True:
        nth += 1
        arm(nth)
        try:
            run.choose(1)  # choose + finish + runs row + visits + lease: many writes
        except StorageError as error:
            assert str(error) == (
                "the action 'choose' and what follows was not saved: a disk I/O error occurred"
            )
            assert not journal.db.conn.in_transaction
            assert snapshot(run) == before
            assert_journal_matches(db, reader, run)
            continue
        break
    arm(0)
    assert nth > 6
    assert run.state.status == "completed"
    assert_journal_matches(db, reader, run)
    with Journal(db) as fresh:
        assert verify_journal(fresh).intact


# -- a full disk and a read-only file -------------------------------------------------------


def test_a_full_disk_is_reported_and_the_session_recovers(
    db: Path, journal: Journal, reader: Journal, incident: LoadedProcess
) -> None:
    run = journal.start_run(incident, "Ann", "pager")
    conn = journal.db.conn
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages + 3}")
    acknowledged = 0
    with pytest.raises(StorageError) as caught:
        for _ in range(500):
            before = snapshot(run)
            run.note("n" * 900)
            acknowledged += 1
    assert str(caught.value) == "the action 'note' was not saved: the disk is full"
    assert acknowledged > 0
    assert snapshot(run) == before
    assert not conn.in_transaction
    assert_journal_matches(db, reader, run)
    conn.execute("PRAGMA max_page_count = 1073741823")
    run.note("room again")
    assert_journal_matches(db, reader, run)


def test_a_read_only_connection_refuses_writes_cleanly(
    db: Path, journal: Journal, reader: Journal, incident: LoadedProcess
) -> None:
    run = journal.start_run(incident, "Ann", "pager")
    run.check(0)
    writable = journal.db.conn
    read_only = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    sink = run.sink
    assert isinstance(sink, JournalSink)  # it writes through its own handle on the connection
    journal.db.conn = sink.conn = read_only
    try:
        before = snapshot(run)
        for action in (lambda: run.check(1), lambda: run.note("x"), run.pause):
            with pytest.raises(
                StorageError, match=r"was not saved: the journal file is read-only$"
            ):
                action()
            assert snapshot(run) == before
        with pytest.raises(StorageError, match="the journal file is read-only"):
            journal.start_run(
                load_file(REPO / "processes" / "refund-approval.toml"),
                "Ann",
                "chargeback",
                inputs={"amount": "120"},
            )
    finally:
        journal.db.conn = sink.conn = writable
        read_only.close()
    assert_journal_matches(db, reader, run)
    assert len(reader.runs()) == 1
    run.check(1)
    assert_journal_matches(db, reader, run)


def test_query_only_mode_refuses_writes_cleanly(
    db: Path, journal: Journal, reader: Journal, incident: LoadedProcess
) -> None:
    run = journal.start_run(incident, "Ann", "pager")
    journal.db.conn.execute("PRAGMA query_only = ON")
    before = snapshot(run)
    with pytest.raises(StorageError, match="the journal file is read-only"):
        run.check(0)
    assert snapshot(run) == before
    journal.db.conn.execute("PRAGMA query_only = OFF")
    assert_journal_matches(db, reader, run)


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write a 0444 file")
def test_a_read_only_file_refuses_writes_cleanly(db: Path, incident: LoadedProcess) -> None:
    with Journal(db) as first:
        run = first.start_run(incident, "Ann", "pager")
        first.release(run.run_id)
    os.chmod(db, 0o444)
    try:
        with Journal(db) as journal:
            with pytest.raises(StorageError, match="the journal file is read-only"):
                journal.start_run(incident, "Bob", "pager")
            assert len(journal.runs()) == 1
    finally:
        os.chmod(db, 0o644)
    assert integrity(db) == "ok"


# -- files that are not (usable) journals ---------------------------------------------------


def real_journal(path: Path, incident: LoadedProcess, runs: int = 30) -> None:
    with Journal(path) as journal:
        for _ in range(runs):
            run = journal.start_run(incident, "Ann", "pager")
            triage_done(run)
            run.complete()
    assert not Path(f"{path}-wal").exists()


def refuse_to_open(path: Path) -> str:
    """Opening ``path`` gives a SchemaError and leaves its bytes exactly as they were."""
    before = sha(path)
    with pytest.raises(SchemaError) as caught:
        Journal(path)
    assert sha(path) == before
    result = CliRunner().invoke(cli, ["--db", str(path), "runs"], prog_name="procedo")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.output.startswith("procedo: ")
    assert sha(path) == before
    return str(caught.value)


def test_a_file_that_is_not_sqlite(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("These are my notes, not a database.\n" * 200)
    assert refuse_to_open(path) == (
        f"cannot use {path} as a journal: it is not an SQLite database, or it is damaged; "
        "it was left untouched"
    )


def test_random_bytes(tmp_path: Path) -> None:
    path = tmp_path / "noise.db"
    path.write_bytes(bytes((i * 7919) % 251 for i in range(8192)))
    assert "it is not an SQLite database, or it is damaged" in refuse_to_open(path)


def test_a_damaged_header(tmp_path: Path, incident: LoadedProcess) -> None:
    path = tmp_path / "journal.db"
    real_journal(path, incident, runs=3)
    data = bytearray(path.read_bytes())
    data[0:16] = b"\xff" * 16
    path.write_bytes(bytes(data))
    assert "it is not an SQLite database, or it is damaged" in refuse_to_open(path)


def test_damage_in_the_middle_is_reported_by_verify_and_the_file_left_alone(
    tmp_path: Path, incident: LoadedProcess
) -> None:
    path = tmp_path / "journal.db"
    real_journal(path, incident)
    conn = sqlite3.connect(path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'events'").fetchone()[0]
    conn.close()
    assert 1 < root < pages
    data = bytearray(path.read_bytes())
    offset = (root - 1) * page_size
    data[offset : offset + 12] = b"\xff" * 12
    path.write_bytes(bytes(data))
    before = sha(path)
    # Opening only reads the header and the schema; the damage shows where it is read.
    with Journal(path, create=False) as journal:
        with pytest.raises(SchemaError) as caught:
            verify_journal(journal)
        assert str(caught.value).startswith(f"the journal file {path} is damaged (SQLite reports: ")
        assert str(caught.value).endswith("it was left untouched: restore it from a backup")
        run_id = journal.runs()[0]["id"]
        with pytest.raises(JournalError, match="the journal file is damaged"):
            journal.events(run_id)
    result = CliRunner().invoke(cli, ["--db", str(path), "verify"], prog_name="procedo")
    assert result.exit_code == 1
    assert "is damaged (SQLite reports: " in result.output
    assert "Traceback" not in result.output
    assert sha(path) == before


def test_an_sqlite_database_with_foreign_tables(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO customers (name) VALUES ('Ann')")
    conn.commit()
    conn.close()
    assert refuse_to_open(path) == (
        f"{path} is an SQLite database but not a procedo journal (it has tables customers); "
        "it was left untouched"
    )


@pytest.mark.parametrize("wal", [True, False], ids=["wal", "rollback-journal"])
def test_a_journal_from_a_newer_procedo(tmp_path: Path, incident: LoadedProcess, wal: bool) -> None:
    path = tmp_path / "journal.db"
    real_journal(path, incident, runs=2)
    conn = sqlite3.connect(path)
    if not wal:
        conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    assert refuse_to_open(path) == (
        f"{path} was written by a newer procedo (journal schema {SCHEMA_VERSION + 1}; this "
        f"procedo knows up to {SCHEMA_VERSION}); upgrade procedo to open it. "
        "The file was left untouched."
    )


def test_a_journal_with_its_tables_missing(tmp_path: Path) -> None:
    path = tmp_path / "journal.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE runs (id TEXT)")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    assert refuse_to_open(path) == f"{path} is damaged: journal tables are missing"


def test_a_folder_is_not_a_journal(tmp_path: Path) -> None:
    with pytest.raises(SchemaError, match="is a folder, not a journal file"):
        Journal(tmp_path)


def test_a_missing_journal_is_not_created_when_not_asked(tmp_path: Path) -> None:
    path = tmp_path / "none.db"
    with pytest.raises(JournalError, match=r"no journal at .*nothing has been run with it yet"):
        Journal(path, create=False)
    assert not path.exists()


def _checkpointed_journal(tmp_path: Path) -> Path:
    db = tmp_path / "archive.db"
    with Journal(db) as journal:
        loaded = load_file(REPO / "processes" / "incident-response.toml")
        run = journal.start_run(loaded, "Ann", "pager")
        run.check(0)
        journal.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    return db


def test_a_journal_in_a_folder_that_cannot_be_written_is_still_readable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As on read-only media: opening it normally fails (SQLite cannot make its -shm file)."""
    db = _checkpointed_journal(tmp_path)
    real_connect = sqlite3.connect

    def no_write_access(target: str, *args: object, **kwargs: object) -> sqlite3.Connection:
        if not kwargs.get("uri"):
            raise sqlite3.OperationalError("unable to open database file")
        return real_connect(target, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(sqlite3, "connect", no_write_access)
    with Journal(db, create=False) as journal:
        (run,) = journal.runs()
        assert [e.kind for e in journal.events(run["id"])] == ["start", "check"]
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            journal.db.conn.execute("DELETE FROM leases")
    with pytest.raises(JournalError):
        Journal(db)  # a session that wants to write is told it cannot
