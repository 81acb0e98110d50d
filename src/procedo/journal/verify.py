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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from procedo.engine import Event, chain_seed, replay
from procedo.engine.errors import ReplayError
from procedo.engine.targets import target_ms
from procedo.journal.errors import JournalError, SchemaError
from procedo.journal.rows import run_row, visit_row
from procedo.journal.store import Journal
from procedo.journal.verify_derived import definition_problem, marks_problem, operators_problem


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
    if wanted is None:
        runs = journal.rows("SELECT id, definition_hash, last_seq, last_hash FROM runs ORDER BY id")
    else:
        runs = []
        for run_id in wanted:
            runs.extend(
                journal.rows(
                    "SELECT id, definition_hash, last_seq, last_hash FROM runs WHERE id = ?",
                    (run_id,),
                )
            )
    _check_file(journal)
    breaches: list[Breach] = []
    events_checked = 0
    definition_problems = _definition_problems(journal)
    for run in runs:
        problem = definition_problems.get(run["definition_hash"], _LOST)
        if problem is not None:
            breaches.append(Breach(run["id"], None, problem))
        events = list(_events_of(journal, run["id"]))  # one run's events, read once
        breach, count = check_chain(run["id"], run["definition_hash"], events)
        events_checked += count
        if breach is None:
            breach = _check_run_row(run, count, journal)
        if breach is None and definition_problems.get(run["definition_hash"], _LOST) is None:
            breach = check_derived_rows(journal, str(run["id"]), events)
        if breach is not None:
            breaches.append(breach)
    orphans = journal.rows(
        "SELECT DISTINCT run_id FROM events WHERE run_id NOT IN (SELECT id FROM runs)"
    )
    if wanted is None:
        breaches.extend(
            Breach(o["run_id"], None, "events of a run with no run record") for o in orphans
        )
    return VerifyReport(len(runs), events_checked, breaches)


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


def _events_of(journal: Journal, run_id: str) -> Iterator[Event]:
    for row in journal.iter_rows(
        "SELECT run_id, seq, ts, actor, kind, node, item, value, reason, hash "
        "FROM events WHERE run_id = ? ORDER BY seq",
        (run_id,),
    ):
        yield Event(*row)


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


def _check_run_row(run: dict[str, object], count: int, journal: Journal) -> Breach | None:
    if run["last_seq"] != count:
        last_seq = run["last_seq"]
        return Breach(
            str(run["id"]),
            # events missing from count + 1, or events added after last_seq
            min(last_seq, count) + 1 if isinstance(last_seq, int) else None,
            f"the run record expects {run['last_seq']} events but the journal holds {count}",
        )
    last = journal.rows(
        "SELECT hash FROM events WHERE run_id = ? ORDER BY seq DESC LIMIT 1", (run["id"],)
    )
    if count and last and last[0]["hash"] != run["last_hash"]:
        return Breach(str(run["id"]), count, "the run record's last hash does not match")
    return None


RUN_KEY_COLUMNS = ("id", "definition_hash", "last_hash")
"""The ``runs`` columns the chain itself checks (the seed and the last event)."""
VISIT_KEY_COLUMNS = ("run_id",)


def _compared(row: dict[str, object], keys: tuple[str, ...]) -> list[str]:
    return [column for column in row if column not in keys]


def check_derived_rows(
    journal: Journal, run_id: str, events: list[Event] | None = None
) -> Breach | None:
    """A breach when the run's ``runs`` or ``visits`` rows disagree with its replayed events
    (``events`` when the caller has read them already)."""
    stored = journal.run_row(run_id)
    digest = stored["definition_hash"]
    try:
        definition = journal.definition(digest)
        if events is None:
            _, state = journal.load_state(run_id)
        else:
            state = replay(definition, digest, run_id, events)
    except (JournalError, ReplayError) as error:
        return Breach(run_id, None, f"its events cannot be replayed: {error}")
    expected = run_row(state)
    expected["target_ms"] = target_ms(definition)
    for column in _compared(expected, RUN_KEY_COLUMNS):
        if stored.get(column) != expected[column]:
            source = "its definition gives" if column == "target_ms" else "its events give"
            return Breach(
                run_id,
                None,
                f"the run record's {column} is {stored.get(column)!r}, "
                f"{source} {expected[column]!r}",
            )
    replayed = [visit_row(state, visit) for visit in state.visits]
    columns = _compared(replayed[0], VISIT_KEY_COLUMNS) if replayed else ["visit"]
    rows = journal.rows(
        f"SELECT {', '.join(columns)} FROM visits WHERE run_id = ? ORDER BY visit", (run_id,)
    )
    if len(rows) != len(replayed):
        return Breach(
            run_id,
            None,
            f"the journal holds {len(rows)} visit rows, its events give {len(replayed)}",
        )
    for row, visit in zip(rows, replayed, strict=True):
        for column in columns:
            if row[column] != visit[column]:
                return Breach(
                    run_id,
                    None,
                    f"visit {visit['visit']}'s {column} is {row[column]!r}, "
                    f"its events give {visit[column]!r}",
                )
    problem = marks_problem(journal, state, definition) or operators_problem(journal, state)
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
