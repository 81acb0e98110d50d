"""The child processes of bench/soak.py: a writer, a reader and a verify loop on one journal.

Each prints one line per thing done, flushed at once, so that what the parent has read is
exactly what was acknowledged before the child was killed:

- ``ACK run_id seq hash ms``: an operation returned (its commit is durable), and how long it took;
- ``BUSY message`` / ``ERR message``: an operation failed as busy / for another reason;
- ``READ n`` (every 50 reads), ``VERIFY ok|broken runs seconds [first breach]``.

Run as ``python bench/soak_roles.py ROLE DB [--no-checkpoint]``.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

from procedo.engine import Run, RunError
from procedo.journal import Journal, JournalError, StorageError, file_guard
from procedo.journal.verify import verify_journal
from procedo.model import load_file

REPO = Path(__file__).resolve().parent.parent
PROCESS = REPO / "processes" / "incident-response.toml"
OPS_PER_RUN = 300
"""A writer aborts its run and starts another after this many operations."""


def say(line: str) -> None:
    """One line to the parent, at once."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def ack(run: Run, started: float) -> None:
    state = run.state
    ms = (time.perf_counter() - started) * 1000
    say(f"ACK {state.run_id} {state.last_seq} {state.last_hash} {ms:.3f}")


def failed(error: Exception) -> None:
    text = str(error).replace("\n", " ")
    say(f"{'BUSY' if 'busy' in text else 'ERR'} {text}")


def open_a_run(journal: Journal, rng: random.Random) -> Run:
    """Half the time carry on an active run whose session died (a take-over), else start one."""
    loaded = load_file(PROCESS)
    if rng.random() < 0.5:
        active = journal.rows("SELECT id FROM runs WHERE status = 'active'")
        rng.shuffle(active)
        for row in active[:5]:
            started = time.perf_counter()
            try:
                opened = journal.open_run(row["id"])
            except (JournalError, RunError):
                continue
            if not opened.read_only:
                ack(opened.run, started)
                return opened.run
    while True:
        started = time.perf_counter()
        try:
            run = journal.start_run(loaded, f"w{rng.randrange(100)}", "pager")
        except StorageError as error:
            failed(error)
            continue
        ack(run, started)
        return run


def writer(db: Path, rng: random.Random) -> None:
    journal = Journal(db)
    run = open_a_run(journal, rng)
    done = 0
    while True:
        started = time.perf_counter()
        try:
            if done >= OPS_PER_RUN:
                run.abort("soak: next run")
                ack(run, started)
                run, done = open_a_run(journal, rng), 0
                continue
            mark = run.state.current.mark(0)  # type: ignore[union-attr]
            choice = rng.random()
            if choice < 0.1:
                run.note("soak " + "n" * rng.randrange(1, 400))
            elif mark.checked:
                run.uncheck(0)
            else:
                run.check(0)
            done += 1
            ack(run, started)
        except StorageError as error:
            failed(error)
        except (JournalError, RunError) as error:  # taken over by another writer: go on elsewhere
            failed(error)
            run, done = open_a_run(journal, rng), 0


def reader(db: Path, rng: random.Random) -> None:
    """Short reads back to back, as screens and `procedo runs` make them."""
    journal = Journal(db, create=False)
    reads = 0
    while True:
        try:
            with journal.snapshot():
                runs = journal.runs(limit=50)
                if runs:
                    journal.events(rng.choice(runs)["id"])
        except JournalError as error:
            failed(error)
        reads += 1
        if reads % 50 == 0:
            say(f"READ {reads}")


def verifier(db: Path, rng: random.Random) -> None:
    """`procedo verify` again and again: one long read transaction each."""
    journal = Journal(db, create=False)
    while True:
        started = time.perf_counter()
        try:
            report = verify_journal(journal)
        except JournalError as error:
            failed(error)
            continue
        seconds = time.perf_counter() - started
        verdict = "ok" if report.intact else "broken"
        first = f" {report.breaches[0]}" if report.breaches else ""
        say(f"VERIFY {verdict} {report.runs_checked} {seconds:.3f}{first}")


ROLES = {"writer": writer, "reader": reader, "verifier": verifier}


def main() -> None:
    role, db = sys.argv[1], Path(sys.argv[2])
    if "--no-checkpoint" in sys.argv:
        file_guard.WAL_CHECKPOINT_BYTES = 1 << 62  # as before: SQLite's passive checkpoints only
    ROLES[role](db, random.Random())


if __name__ == "__main__":
    main()
