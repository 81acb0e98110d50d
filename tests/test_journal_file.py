"""The journal's file: a write into a file the path no longer names is refused as not saved,
new journals are readable by their owner only (unless the folder is shared), and the WAL stays
bounded under continuous readers."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from procedo.journal import Journal, JournalGoneError, StorageError, file_guard
from procedo.journal.verify import verify_journal
from procedo.model import LoadedProcess, load_file
from procedo.tui.screens.run import RunScreen
from tui_support import app_for, make_paths

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def incident() -> LoadedProcess:
    return load_file(REPO / "processes" / "incident-response.toml")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "journals"
    path.mkdir(mode=0o755)
    path.chmod(0o755)
    return path


@pytest.fixture
def journal(folder: Path) -> Iterator[Journal]:
    with Journal(folder / "procedo.db") as opened:
        yield opened


# -- the file is gone -------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["folder removed", "file moved away", "file replaced"])
def test_a_tick_into_a_journal_whose_file_is_gone_is_not_saved(
    folder: Path, journal: Journal, incident: LoadedProcess, how: str
) -> None:
    run = journal.start_run(incident, "Ann", "pager")
    run.check(0)
    db = folder / "procedo.db"
    if how == "folder removed":
        shutil.rmtree(folder)
    elif how == "file moved away":
        db.rename(folder / "moved.db")
    else:
        db.rename(folder / "moved.db")
        Journal(db).close()  # a new, empty journal at the same path
    before = (run.state.last_seq, run.state.last_hash)
    for _ in range(6):  # the issue: the next 6 operations were all acknowledged
        with pytest.raises(JournalGoneError) as caught:
            run.check(1)
        assert isinstance(caught.value, StorageError)  # the TUI's "not saved" path
        message = str(caught.value)
        assert message.startswith("the action 'check' was not saved: the journal file ")
        assert str(db) in message
        assert ("no longer exists" if how != "file replaced" else "was replaced") in message
        assert (run.state.last_seq, run.state.last_hash) == before
        assert not run.state.current.mark(1).checked  # type: ignore[union-attr]
    if how == "file moved away":  # moved back: nothing of the refused ticks got in, and on
        (folder / "moved.db").rename(db)
        with Journal(db) as fresh:
            assert [e.kind for e in fresh.events(run.run_id)] == ["start", "check"]
        run.check(1)
        with Journal(db) as fresh:
            assert [e.kind for e in fresh.events(run.run_id)] == ["start", "check", "check"]
            assert verify_journal(fresh).intact
    if how == "file replaced":
        with Journal(db) as fresh:
            assert fresh.runs() == []


def test_a_journal_that_stays_put_is_not_refused(journal: Journal, incident: LoadedProcess) -> None:
    run = journal.start_run(incident, "Ann", "pager")
    for _ in range(20):
        run.check(0)
        run.uncheck(0)
    assert run.state.last_seq == 41
    journal.release(run.run_id)


async def test_the_tui_shows_a_tick_into_a_removed_journal_as_not_saved(tmp_path: Path) -> None:
    from procedo.tui import StartRequest

    paths = make_paths(tmp_path)
    app = app_for(paths, start=StartRequest("incident-response", "Tess", "pager"))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RunScreen)
        paths.db.rename(tmp_path / "elsewhere.db")
        await pilot.press("space")
        await pilot.pause()
        status = str(screen.query_one("#status").render())
        assert status.startswith("⚠ NOT SAVED:")
        assert "no longer exists" in status and "only what is saved" in status
        assert not screen.run.state.current.mark(0).checked  # type: ignore[union-attr]


# -- permissions ------------------------------------------------------------------------------


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_journal_and_its_wal_files_are_for_the_owner_only(
    folder: Path, incident: LoadedProcess
) -> None:
    old = os.umask(0o022)
    try:
        with Journal(folder / "procedo.db") as journal:
            journal.start_run(incident, "Ann", "pager")
            names = {"procedo.db", "procedo.db-wal", "procedo.db-shm"}
            assert names <= {p.name for p in folder.iterdir()}
            assert {_mode(folder / name) for name in names} == {0o600}
    finally:
        os.umask(old)


@pytest.mark.parametrize("umask", [0o022, 0o002, 0o077], ids=oct)
@pytest.mark.parametrize("folder_mode", [0o2775, 0o2755, 0o775], ids=oct)
def test_a_journal_in_a_shared_folder_is_for_the_group_whatever_the_umask(
    folder: Path, incident: LoadedProcess, folder_mode: int, umask: int
) -> None:
    """Group read and write, nobody else: with umask 022 it was 0644, world-readable and
    still not writable by the group."""
    folder.chmod(folder_mode)
    old = os.umask(umask)
    try:
        with Journal(folder / "procedo.db") as journal:
            journal.start_run(incident, "Ann", "pager")
            names = ("procedo.db", "procedo.db-wal", "procedo.db-shm")
            assert {name: _mode(folder / name) for name in names} == dict.fromkeys(names, 0o660)
    finally:
        os.umask(old)


@pytest.mark.parametrize("umask", [0o002, 0o077], ids=oct)
def test_a_private_journal_is_0600_whatever_the_umask(
    folder: Path, incident: LoadedProcess, umask: int
) -> None:
    old = os.umask(umask)
    try:
        with Journal(folder / "procedo.db") as journal:
            journal.start_run(incident, "Ann", "pager")
            names = ("procedo.db", "procedo.db-wal", "procedo.db-shm")
            assert {name: _mode(folder / name) for name in names} == dict.fromkeys(names, 0o600)
    finally:
        os.umask(old)


def test_a_folder_everyone_can_write_is_no_shared_folder(
    folder: Path, incident: LoadedProcess
) -> None:
    folder.chmod(0o1777)  # as /tmp
    old = os.umask(0o002)
    try:
        with Journal(folder / "procedo.db") as journal:
            journal.start_run(incident, "Ann", "pager")
            assert _mode(folder / "procedo.db") == 0o600
            assert _mode(folder / "procedo.db-wal") == 0o600
    finally:
        os.umask(old)


def test_an_existing_journal_keeps_its_mode(folder: Path) -> None:
    Journal(folder / "procedo.db").close()
    (folder / "procedo.db").chmod(0o640)
    Journal(folder / "procedo.db").close()
    assert _mode(folder / "procedo.db") == 0o640


# -- the WAL stays bounded ----------------------------------------------------------------------


def test_the_wal_is_truncated_once_the_readers_that_held_it_are_gone(
    folder: Path, journal: Journal, incident: LoadedProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(file_guard, "WAL_CHECKPOINT_BYTES", 64 * 1024)
    monkeypatch.setattr(file_guard, "CHECKPOINT_INTERVAL_S", 0.0)
    monkeypatch.setattr(file_guard, "CHECKPOINT_WAIT_MS", 1)
    db = folder / "procedo.db"
    wal = Path(f"{db}-wal")
    run = journal.start_run(incident, "Ann", "pager")
    readers = [sqlite3.connect(db) for _ in range(2)]
    try:
        for turn in range(60):  # overlapping readers: one always holds a snapshot
            reader = readers[turn % 2]
            reader.rollback()
            reader.execute("BEGIN")
            reader.execute("SELECT count(*) FROM events").fetchone()
            run.note("x" * 2000)
        held = wal.stat().st_size
        assert held > 10 * 64 * 1024  # SQLite's own checkpoint cannot keep up
        for reader in readers:
            reader.rollback()
        run.note("the readers are gone")
        assert wal.stat().st_size == 0
    finally:
        for reader in readers:
            reader.close()
    assert verify_journal(journal).intact
    assert len(journal.events(run.run_id)) == 62


def test_a_journal_opened_by_a_relative_path_survives_a_change_of_folder(
    folder: Path, incident: LoadedProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(folder)
    with Journal(Path("procedo.db")) as journal:
        run = journal.start_run(incident, "Ann", "pager")
        monkeypatch.chdir(folder.parent)
        run.check(0)
    with Journal(folder / "procedo.db") as journal:
        assert [e.kind for e in journal.events(run.run_id)] == ["start", "check"]


def test_a_long_reader_checkpoints_the_wal_it_held_up_when_it_is_done(
    folder: Path, journal: Journal, incident: LoadedProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(file_guard, "WAL_CHECKPOINT_BYTES", 64 * 1024)
    monkeypatch.setattr(file_guard, "CHECKPOINT_INTERVAL_S", 0.0)
    monkeypatch.setattr(file_guard, "CHECKPOINT_WAIT_MS", 1)
    wal = Path(f"{folder / 'procedo.db'}-wal")
    run = journal.start_run(incident, "Ann", "pager")
    with Journal(folder / "procedo.db") as reader:
        with reader.snapshot():  # as verify: one long read while the writer goes on
            reader.runs()
            for _ in range(30):
                run.note("x" * 2000)
            assert wal.stat().st_size > 64 * 1024
        assert wal.stat().st_size == 0  # no write since: the reader checkpointed
        assert reader.run_row(run.run_id)["last_seq"] == 31
