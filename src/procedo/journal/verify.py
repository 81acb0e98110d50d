"""Tamper evidence: recompute every run's hash chain and report where it breaks.

What this can detect: an event edited, deleted, inserted or reordered; the ``runs`` row's last
hash disagreeing with its events; a stored definition whose text no longer matches its hash;
a file whose pages SQLite itself finds damaged (``PRAGMA quick_check``); any column of a
``runs``, ``visits``, ``marks`` or ``run_operators`` row that disagrees with what replaying the
run's events gives (a run's ``target_ms`` with its definition's), and a definition's process
id, title, version, target, nodes, items or options that disagree with its text (history and
metrics read those rows, so an edit there would change the figures without touching a chain).
Not compared: a definition's ``source_path`` and ``first_seen`` (no text determines them).
What it cannot: someone who rewrites a whole chain consistently (and the runs row with it),
or the newest events cut off together with the runs row, unless the end of the chain was kept
elsewhere: :mod:`procedo.journal.anchor` checks a journal against that.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field

from procedo.journal.errors import JournalError, SchemaError
from procedo.journal.store import Journal
from procedo.journal.verify_derived import definition_problem
from procedo.journal.verify_parallel import check_in_parallel
from procedo.journal.verify_rows import all_runs, chosen_runs
from procedo.journal.verify_run import LOST, Breach, RunChecker
from procedo.journal.verify_signatures import SignerBreach

__all__ = ["Breach", "VerifyReport", "verify_journal"]


@dataclass(frozen=True, slots=True)
class VerifyReport:
    """The outcome of a verification."""

    runs_checked: int
    events_checked: int
    breaches: list[Breach]
    signers: list[SignerBreach] = field(default_factory=list)
    """What is wrong with the signer log or the ``signers`` rows (not of one run)."""

    @property
    def intact(self) -> bool:
        """True when nothing was found."""
        return not self.breaches and not self.signers


def verify_journal(journal: Journal, run_ids: Iterable[str] | None = None) -> VerifyReport:
    """Check the chains of the given runs (all runs when None), all read at one moment."""
    with journal.snapshot():
        return _verify(journal, run_ids)


def _verify(journal: Journal, run_ids: Iterable[str] | None) -> VerifyReport:
    wanted = list(run_ids) if run_ids is not None else None
    file_check = FileCheck(journal)  # on its own connection when it can, meanwhile
    try:
        problems = _definition_problems(journal)
        checker = RunChecker(problems, journal.definition)
        if wanted is not None:
            tally = checker.check_all(chosen_runs(journal, wanted))
        elif (parallel := check_in_parallel(journal, checker)) is not None:
            tally = parallel
        else:
            tally = checker.check_all(all_runs(journal))
    except JournalError:
        file_check.result()  # the file's damage, rather than where a read first met it
        raise
    file_check.result()
    return VerifyReport(tally.runs, tally.events, tally.breaches + tally.orphans)


class FileCheck:
    """SQLite's ``PRAGMA quick_check`` of the journal file (pages no chain read touches), run
    in a thread on a read-only connection of its own while the runs are checked (SQLite lets
    the thread run on another core), or on the journal's own connection when that cannot be
    opened. :meth:`result` raises SchemaError when the file is damaged."""

    def __init__(self, journal: Journal) -> None:
        self.journal = journal
        self.problems: list[str] | None = None
        self.thread = threading.Thread(target=self._run_apart, daemon=True)
        self.thread.start()

    def _run_apart(self) -> None:
        try:
            conn = sqlite3.connect(f"{self.journal.path.resolve().as_uri()}?mode=ro", uri=True)
        except sqlite3.Error:
            return  # checked on the journal's connection instead
        try:
            conn.execute("PRAGMA schema_version").fetchone()
        except sqlite3.Error:
            conn.close()
            return  # cannot be read apart (a -shm file it cannot make): the same
        try:
            self.problems = _quick_check(conn)
        finally:
            conn.close()

    def result(self) -> None:
        """Wait for the check; SchemaError when SQLite finds the file damaged."""
        self.thread.join()
        problems = self.problems
        if problems is None:
            problems = _quick_check(self.journal.db.conn)
        if problems != ["ok"]:
            lines = [line.strip() for problem in problems for line in problem.splitlines()]
            first = next((x for x in lines if x and not x.startswith("***")), problems[0])
            raise SchemaError(
                f"the journal file {self.journal.path} is damaged (SQLite reports: {first}); "
                "it was left untouched: restore it from a backup"
            )


def _quick_check(conn: sqlite3.Connection) -> list[str]:
    try:
        return [str(row[0]) for row in conn.execute("PRAGMA quick_check(5)")]
    except sqlite3.DatabaseError as error:
        return [str(error)]


def _definition_problems(journal: Journal) -> dict[str, str | None]:
    """Each stored definition's problem (None when intact): its text no longer matches its
    hash, or the columns and rows derived from it disagree with it."""
    result: dict[str, str | None] = {}
    for stored in journal.rows(
        "SELECT hash, process_id, title, version, target_ms, toml FROM definitions"
    ):
        digest = stored["hash"]
        if hashlib.sha256(str(stored["toml"]).encode("utf-8")).hexdigest() != digest:
            result[digest] = LOST
            continue
        try:
            result[digest] = definition_problem(journal, digest, stored)
        except SchemaError as error:
            result[digest] = str(error)
    return result
