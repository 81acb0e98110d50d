"""A journal of known runs for the clock figures of issue 13 (usual times, time split, trends).

The engine is driven with a fixed clock through six runs of ``lab`` (tests/fixtures/clock: a
technician prepares a batch, a lead approves it, the technician ships it; a spill interrupts).
Times are minutes after each run's start; run L1 starts on day 0 (Monday 2026-11-02, ISO week
45) at 09:00 UTC. Every figure the tests assert is worked out by hand from these scripts.

L1 v1 Ann  day 0  prep 0-4 | approve 4-7: handed to Lee at 5, Lee chooses Yes at 7 |
               ship 7-10 (Lee accepts the tech role at 8): completed, success, 10 min
L2 v1 Bob  day 1  prep 0-11: spill 3-6, paused 8-10 (active 6) | approve 11-12 No |
               prep 12-15 | approve 15-17 Yes | ship 17-20: completed, success, 18 min
L3 v2 Cat  day 8  prep 0-2 | approve 2-5 Reject: completed, failure, 5 min
L4 v1 Dan  day 8  prep 0-3, aborted at 3
L5 v1 Eve  day 8  practice: prep 0-1 | approve 1-2 Yes | ship 2-3: completed, 3 min
L6 v1 Fay  day 9  prep 0-9 | still at approve (active)
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from procedo.engine import Run, ms_from_iso
from procedo.journal import Journal
from procedo.model import load_file

REPO = Path(__file__).resolve().parent.parent
LAB_V1 = REPO / "tests" / "fixtures" / "clock" / "lab.toml"
LAB_V2 = REPO / "tests" / "fixtures" / "clock-v2" / "lab.toml"
DAY0 = ms_from_iso("2026-11-02T09:00:00.000Z")
MIN = 60_000
DAY = 86_400_000

Action = Callable[[Run], object]


class Clock:
    """A clock that stays where it is put."""

    def __init__(self, now: int = DAY0) -> None:
        self.now = now

    def __call__(self) -> int:
        return self.now


def check(i: int) -> Action:
    return lambda r: r.check(i)


def choose(i: int) -> Action:
    return lambda r: r.choose(i)


def hand_over(name: str) -> Action:
    return lambda r: r.hand_over(name, "Needs a lead")


def accept(r: Run) -> None:
    r.accept_role()


def done(r: Run) -> None:
    r.complete()


SPILL: list[Action] = [lambda r: r.raise_interrupt("spill")]
RETURN: list[Action] = [lambda r: r.return_from_interrupt()]

Script = list[tuple[int, list[Action]]]

RUNS: list[tuple[str, str, int, str, bool, Script]] = [
    # label, version, day, operator, practice, script
    ("L1", "v1", 0, "Ann", False, [
        (1, [check(0)]), (3, [check(1)]), (4, [done]),
        (5, [hand_over("Lee")]), (7, [choose(0)]),
        (8, [accept]), (9, [check(0)]), (10, [done]),
    ]),
    ("L2", "v1", 1, "Bob", False, [
        (2, [check(0)]), (3, SPILL), (5, [check(0)]), (6, RETURN),
        (7, [check(1)]), (8, [lambda r: r.pause("Waiting for tubes")]),
        (10, [lambda r: r.resume()]), (11, [done, accept]), (12, [choose(1), accept]),
        (13, [check(0)]), (14, [check(1)]), (15, [done, accept]), (17, [choose(0), accept]),
        (18, [check(0)]), (20, [done]),
    ]),
    ("L3", "v2", 8, "Cat", False, [
        (1, [check(0)]), (2, [check(1), done, accept]), (5, [choose(2)]),
    ]),
    ("L4", "v1", 8, "Dan", False, [
        (1, [check(0)]), (3, [lambda r: r.abort("Tubes broken")]),
    ]),
    ("L5", "v1", 8, "Eve", True, [
        (1, [check(0), check(1), done, accept]), (2, [choose(0), accept]),
        (3, [check(0), done]),
    ]),
    ("L6", "v1", 9, "Fay", False, [
        (1, [check(0)]), (9, [check(1), done]),
    ]),
]  # fmt: skip


def build_clock_journal(path: Path) -> tuple[dict[str, str], Clock]:
    """Write the six runs into a new journal; their ids by label, and the clock (left at the
    last action: L6 at minute 9 of day 9)."""
    loaded = {"v1": load_file(LAB_V1), "v2": load_file(LAB_V2)}
    clock = Clock()
    ids: dict[str, str] = {}
    with Journal(path) as journal:
        journal.clock = clock
        for label, version, day, operator, practice, script in RUNS:
            start = DAY0 + day * DAY
            clock.now = start
            run = journal.start_run(loaded[version], operator, None, practice=practice)
            for minute, actions in script:
                clock.now = start + minute * MIN
                for action in actions:
                    action(run)
            ids[label] = run.run_id
            if not run.state.finished:
                journal.release(run.run_id)
    return ids, clock
