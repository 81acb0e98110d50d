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
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from procedo.engine import Event, chain_seed, replay
from procedo.engine.errors import ReplayError
from procedo.journal.errors import JournalError, SchemaError
from procedo.journal.store import Journal
from procedo.journal.verify_derived import definition_problem, derived_problem
from procedo.journal.verify_rows import RunRows, all_runs, chosen_runs


@dataclass(frozen=True, slots=True)
class Breach:
    """The first place a run's journal stops being what was written."""

    run_id: str
    seq: int | None
    reason: str

    def __str__(self) -> str:
        where = f"event {self.seq}" if self.seq is not None else "run record"
        return f"run {self.run_id}: {where}: {self.reason}"


@dataclass(frozen=True, slots=True)
class VerifyReport:
    """The outcome of a verification."""

    runs_checked: int
    events_checked: int
    breaches: list[Breach]

    @property
    def intact(self) -> bool:
        """True when nothing was found."""
        return not self.breaches


def verify_journal(journal: Journal, run_ids: Iterable[str] | None = None) -> VerifyReport:
    """Check the chains of the given runs (all runs when None), all read at one moment."""
    with journal.snapshot():
        return _verify(journal, run_ids)


def _verify(journal: Journal, run_ids: Iterable[str] | None) -> VerifyReport:
    wanted = list(run_ids) if run_ids is not None else None
    _check_file(journal)
    definition_problems = _definition_problems(journal)
    breaches: list[Breach] = []
    orphans: list[Breach] = []
    runs_checked = events_checked = 0
    held = chosen_runs(journal, wanted) if wanted is not None else all_runs(journal)
    for rows in held:
        if rows.run is None:
            orphans.append(Breach(rows.run_id, None, "events of a run with no run record"))
            continue
        runs_checked += 1
        run = rows.run
        problem = definition_problems.get(run["definition_hash"], _LOST)
        if problem is not None:
            breaches.append(Breach(run["id"], None, problem))
        breach, count = check_chain(run["id"], run["definition_hash"], rows.events)
        events_checked += count
        if breach is None:
            breach = _check_run_row(run, count, rows.events)
        if breach is None and problem is None:
            breach = _check_derived(journal, rows)
        if breach is not None:
            breaches.append(breach)
    return VerifyReport(runs_checked, events_checked, breaches + orphans)


def _check_file(journal: Journal) -> None:
    """SchemaError when SQLite finds the file itself damaged (pages no chain read touches)."""
    try:
        problems = [str(row[0]) for row in journal.db.conn.execute("PRAGMA quick_check(5)")]
    except sqlite3.DatabaseError as error:
        problems = [str(error)]
    if problems != ["ok"]:
        lines = [line.strip() for problem in problems for line in problem.splitlines()]
        first = next((x for x in lines if x and not x.startswith("***")), problems[0])
        raise SchemaError(
            f"the journal file {journal.path} is damaged (SQLite reports: {first}); "
            "it was left untouched: restore it from a backup"
        )


def check_chain(
    run_id: str, definition_hash: str, events: Iterable[Event]
) -> tuple[Breach | None, int]:
    """The first breach in a run's events (or None) and how many events were read."""
    previous = chain_seed(run_id, definition_hash)
    expected_seq = 1
    count = 0
    for event in events:
        count += 1
        if event.seq != expected_seq:
            what = "missing" if event.seq > expected_seq else "out of order or inserted"
            return Breach(run_id, expected_seq, f"event {expected_seq} is {what}"), count
        if event.compute_hash(previous) != event.hash:
            reason = "its content or hash was changed"
            if event.seq > 1:  # or the one before was edited and given a hash that fits it
                reason += f" (or event {event.seq - 1} was rewritten with a fresh hash)"
            return Breach(run_id, event.seq, reason), count
        previous = event.hash
        expected_seq += 1
    return None, count


def _check_run_row(run: dict[str, Any], count: int, events: list[Event]) -> Breach | None:
    """The run record against its events (already known to be 1..count in order)."""
    if run["last_seq"] != count:
        last_seq = run["last_seq"]
        return Breach(
            str(run["id"]),
            # events missing from count + 1, or events added after last_seq
            min(last_seq, count) + 1 if isinstance(last_seq, int) else None,
            f"the run record expects {run['last_seq']} events but the journal holds {count}",
        )
    if count and events[-1].hash != run["last_hash"]:
        return Breach(str(run["id"]), count, "the run record's last hash does not match")
    return None


def _check_derived(journal: Journal, rows: RunRows) -> Breach | None:
    """A breach when the run's ``runs``, ``visits``, ``marks`` or ``run_operators`` rows
    disagree with its replayed events."""
    run = rows.run or {}
    run_id, digest = str(run["id"]), str(run["definition_hash"])
    try:
        definition = journal.definition(digest)
        state = replay(definition, digest, run_id, rows.events)
    except (JournalError, ReplayError) as error:
        return Breach(run_id, None, f"its events cannot be replayed: {error}")
    problem = derived_problem(run, rows.visits, rows.marks, rows.operators, state, definition)
    return Breach(run_id, None, problem) if problem else None


_LOST = "its stored definition was altered or lost"


def _definition_problems(journal: Journal) -> dict[str, str | None]:
    """Each stored definition's problem (None when intact): its text no longer matches its
    hash, or the columns and rows derived from it disagree with it."""
    result: dict[str, str | None] = {}
    for stored in journal.rows(
        "SELECT hash, process_id, title, version, target_ms, toml FROM definitions"
    ):
        digest = stored["hash"]
        if hashlib.sha256(str(stored["toml"]).encode("utf-8")).hexdigest() != digest:
            result[digest] = _LOST
            continue
        try:
            result[digest] = definition_problem(journal, digest, stored)
        except SchemaError as error:
            result[digest] = str(error)
    return result
