"""One run's checks: its chain, its run record, and the rows derived from its events."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from procedo.engine import Event, chain_seed, replay
from procedo.engine.errors import ReplayError
from procedo.journal.errors import JournalError
from procedo.journal.verify_derived import derived_problem
from procedo.journal.verify_interrupts import interrupts_problem
from procedo.journal.verify_rows import RunRows
from procedo.model import ProcessDefinition

LOST = "its stored definition was altered or lost"


@dataclass(frozen=True, slots=True)
class Breach:
    """The first place a run's journal stops being what was written."""

    run_id: str
    seq: int | None
    reason: str

    def __str__(self) -> str:
        where = f"event {self.seq}" if self.seq is not None else "run record"
        return f"run {self.run_id}: {where}: {self.reason}"


@dataclass(slots=True)
class Tally:
    """What a pass over some runs found: breaches of runs, events of no run, counts."""

    breaches: list[Breach]
    orphans: list[Breach]
    runs: int = 0
    events: int = 0

    def add(self, other: Tally) -> None:
        """Append what another pass found (over the runs after these)."""
        self.breaches += other.breaches
        self.orphans += other.orphans
        self.runs += other.runs
        self.events += other.events


class RunChecker:
    """Checks runs given the problems of the stored definitions (None: intact) and a way to
    get an intact definition."""

    def __init__(
        self,
        problems: dict[str, str | None],
        definition: Callable[[str], ProcessDefinition],
    ) -> None:
        self.problems = problems
        self.definition = definition

    def check_all(self, held: Iterable[RunRows]) -> Tally:
        """Check runs in order."""
        tally = Tally([], [])
        for rows in held:
            self.check(rows, tally)
        return tally

    def check(self, rows: RunRows, tally: Tally) -> None:
        """Check one run (or count events of no run record) into ``tally``."""
        if rows.run is None:
            tally.orphans.append(Breach(rows.run_id, None, "events of a run with no run record"))
            return
        tally.runs += 1
        run = rows.run
        problem = self.problems.get(run["definition_hash"], LOST)
        if problem is not None:
            tally.breaches.append(Breach(run["id"], None, problem))
        events = [Event(*row) for row in rows.events]
        breach, count = check_chain(run["id"], run["definition_hash"], events)
        tally.events += count
        if breach is None:
            breach = _check_run_row(run, count, events)
        if breach is None and problem is None:
            breach = self._check_derived(rows, events)
        if breach is not None:
            tally.breaches.append(breach)

    def _check_derived(self, rows: RunRows, events: list[Event]) -> Breach | None:
        """A breach when the run's ``runs``, ``visits``, ``marks``, ``run_operators``,
        ``interrupts`` or ``deferrals`` rows disagree with its replayed events."""
        run = rows.run or {}
        run_id, digest = str(run["id"]), str(run["definition_hash"])
        try:
            definition = self.definition(digest)
            state = replay(definition, digest, run_id, events)
        except (JournalError, ReplayError) as error:
            return Breach(run_id, None, f"its events cannot be replayed: {error}")
        problem = derived_problem(
            run, rows.visits, rows.marks, rows.operators, state, definition
        ) or interrupts_problem(rows.interrupts, rows.deferrals, state, events, definition)
        return Breach(run_id, None, problem) if problem else None


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
