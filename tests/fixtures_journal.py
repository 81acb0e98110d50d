"""A journal of known runs for the history, metrics, export and CLI tests.

The engine is driven with a fixed clock through 14 runs: two versions of the small fixture
process ``mini`` (tests/fixtures/history/v1 and v2) and the bundled ``incident-response``.
Every figure the tests assert is worked out by hand from the scripts below (minutes after the
run's start; run N starts on day N-1 after 2026-11-02 09:00 UTC).

mini v1 (target 10 min)                       mini v2 (target 8 min)
R1  Ann  call   success, 7 min               R6  Bob  call   success, 5 min
R2  Bob  visit  success, 15 min, loops twice R7  Eve  visit  paused at prep
R3  Ann→Cat call failure, 9 min, N/A         R8  Eve  visit  active at measure
R4  Dan  call   aborted, N/A                 R9  Cat  call   success, 10 min (back, pause 2)
R5  Ann  call   practice, success, 2 min     R10 Dan  visit  practice, failure, 3 min

incident-response (target 45 min), trigger pager:
I1 Ann success 31 min (mitigate loops once); I2 Bob success 8 min (no impact);
(mitigate's second item waits 5 min after the first: its wait_minutes)
I3 Cat failure 50 min (escalated); I4 Dan aborted after 5 min.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from pathlib import Path

from journal_cache import cached_journal
from procedo.engine import Run, ms_from_iso
from procedo.journal import Journal
from procedo.model import LoadedProcess, load_file

REPO = Path(__file__).resolve().parent.parent
MINI_V1 = REPO / "tests" / "fixtures" / "history" / "v1"
MINI_V2 = REPO / "tests" / "fixtures" / "history" / "v2"
INCIDENT = REPO / "processes" / "incident-response.toml"
DAY0 = ms_from_iso("2026-11-02T09:00:00.000Z")
MINUTE = 60_000
DAY = 86_400_000

# A note full of Markdown syntax, to check that the export keeps it as text.
MARKDOWN_NOTE = "# Not a heading | a pipe `tick` [link](http://x) *star* _under_ <b>x</b>"

Action = Callable[[Run], object]


class Clock:
    """A clock that stays where it is put."""

    def __init__(self, now: int = DAY0) -> None:
        self.now = now

    def __call__(self) -> int:
        return self.now


def check(i: int) -> Action:
    return lambda r: r.check(i)


def uncheck(i: int) -> Action:
    return lambda r: r.uncheck(i)


def rec(i: int, value: str) -> Action:
    return lambda r: r.record(i, value)


def na(i: int, reason: str) -> Action:
    return lambda r: r.mark_not_applicable(i, reason)


def note(text: str, on: str = "run", item: int | None = None) -> Action:
    return lambda r: r.note(text, on=on, item=item)


def _act_as_next_role(r: Run) -> None:
    """At a hand-over point the same operator acts as the next role (an accept_role event)."""
    if r.state.awaiting_role is not None:
        r.accept_role()


def choose(i: int) -> Action:
    def chose(r: Run) -> None:
        r.choose(i)
        _act_as_next_role(r)

    return chose


def handover(name: str, reason: str) -> Action:
    return lambda r: r.hand_over(name, reason)


def pause(reason: str | None = None) -> Action:
    return lambda r: r.pause(reason)


def abort(reason: str) -> Action:
    return lambda r: r.abort(reason)


def done(r: Run) -> None:
    r.complete()
    _act_as_next_role(r)


def back(r: Run) -> None:
    r.back()


def resume(r: Run) -> None:
    r.resume()


Script = list[tuple[int, list[Action]]]

MINI_TICKS = [check(0), check(1)]

RUNS: list[tuple[str, str, int, str, str | None, bool, Script]] = [
    # label, which definition, day, operator, trigger, practice, script
    ("R1", "v1", 0, "Ann", "call", False, [
        (1, [*MINI_TICKS, rec(2, "20")]), (2, [done]), (3, [note("All calm")]),
        (4, [rec(0, "5"), check(1)]), (6, [done]), (7, [choose(0)]),
    ]),
    ("R2", "v1", 1, "Bob", "visit", False, [
        (2, [*MINI_TICKS, rec(2, "22")]), (4, [done]),
        (5, [rec(0, "7"), check(1)]), (7, [done]), (8, [choose(1)]),
        (9, [rec(0, "9"), check(1)]), (11, [done]), (12, [choose(1)]),
        (13, [rec(0, "8"), check(1)]), (14, [done]), (15, [choose(0)]),
    ]),
    ("R3", "v1", 2, "Ann", "call", False, [
        (1, [check(0), na(1, "Visual check only"), rec(2, "18")]),
        (2, [handover("Cat", "Shift change")]), (5, [done]),
        (6, [rec(0, "10"), check(1)]), (8, [done]), (9, [choose(2)]),
    ]),
    ("R4", "v1", 3, "Dan", "call", False, [
        (1, [na(0, "Water off")]), (3, [abort("Power cut")]),
    ]),
    ("R5", "v1", 4, "Ann", "call", True, [
        (1, [*MINI_TICKS, rec(2, "30"), done]), (2, [rec(0, "50"), check(1), done, choose(0)]),
    ]),
    ("R6", "v2", 5, "Bob", "call", False, [
        (1, [check(0), na(1, "Not needed"), na(2, "Label missing"), rec(3, "21")]),
        (2, [uncheck(2), check(2), done]),
        (3, [rec(0, "6"), check(1), note("Probe recalibrated", on="item", item=0)]),
        (4, [done]), (5, [choose(0)]),
    ]),
    ("R7", "v2", 6, "Eve", "visit", False, [
        (1, [check(0)]), (2, [pause("Waiting for parts")]),
    ]),
    ("R8", "v2", 7, "Eve", "visit", False, [
        (1, [*MINI_TICKS, check(2), rec(3, "19")]), (3, [done]), (4, [rec(0, "3")]),
    ]),
    ("R9", "v2", 8, "Cat", "call", False, [
        (1, [check(0), na(1, "Not needed"), check(2), rec(3, "25")]), (2, [done]),
        (3, [back]), (4, [done]), (5, [rec(0, "40")]), (6, [rec(0, "4"), check(1)]),
        (7, [pause()]), (9, [resume]), (10, [done]), (11, [note(MARKDOWN_NOTE)]),
        (12, [choose(0)]),
    ]),
    ("R10", "v2", 9, "Dan", "visit", True, [
        (1, [*MINI_TICKS, check(2), rec(3, "35"), done]),
        (2, [rec(0, "70"), check(1), done]), (3, [choose(2)]),
    ]),
    ("I1", "incident", 10, "Ann", "pager", False, [
        (5, [check(0), check(1), check(2), rec(3, "09:00"), rec(4, "12.5"), rec(5, "eu")]),
        (10, [done]), (11, [choose(0)]), (15, [check(0)]), (20, [check(1), done]),
        (21, [choose(1)]), (25, [check(0)]), (30, [check(1), done]), (31, [choose(0)]),
    ]),
    ("I2", "incident", 11, "Bob", "pager", False, [
        (3, [check(0), na(1, "Single-person incident"), check(2), rec(3, "10:15"),
             rec(4, "2"), rec(5, "us")]),
        (6, [done]), (8, [choose(1)]),
    ]),
    ("I3", "incident", 12, "Cat", "pager", False, [
        (10, [check(0), na(1, "Single-person incident"), check(2), rec(3, "11:00"),
              rec(4, "40"), rec(5, "apac")]),
        (20, [done]), (21, [choose(0)]), (30, [check(0)]), (35, [check(1)]), (40, [done]),
        (50, [choose(2)]),
    ]),
    ("I4", "incident", 13, "Dan", "pager", False, [
        (2, [check(0)]), (5, [abort("False alarm")]),
    ]),
]  # fmt: skip


def definitions() -> dict[str, LoadedProcess]:
    """The three definitions the runs use."""
    return {
        "v1": load_file(MINI_V1 / "mini.toml"),
        "v2": load_file(MINI_V2 / "mini.toml"),
        "incident": load_file(INCIDENT),
    }


def build_history_journal(path: Path, only: Collection[str] | None = None) -> dict[str, str]:
    """Write the 14 runs (or ``only`` those) into a new journal; return their ids by label.

    Built once per test process and copied (tests/journal_cache.py): the runs are the same
    every time, but for their random ids, which stay the same within one process.
    """
    key = ("history", None if only is None else frozenset(only))
    return cached_journal(key, path, lambda target: _build(target, only))


def _build(path: Path, only: Collection[str] | None) -> dict[str, str]:
    loaded = definitions()
    clock = Clock()
    ids: dict[str, str] = {}
    with Journal(path) as journal:
        journal.clock = clock
        for label, which, day, operator, trigger, practice, script in RUNS:
            if only is not None and label not in only:
                continue
            start = DAY0 + day * DAY
            clock.now = start
            run = journal.start_run(loaded[which], operator, trigger, practice=practice)
            for minute, actions in script:
                clock.now = start + minute * MINUTE
                for action in actions:
                    action(run)
            ids[label] = run.run_id
            if not run.state.finished:
                journal.release(run.run_id)
    return ids


def day(n: int) -> str:
    """The date of day ``n`` (day 0 is 2026-11-02)."""
    return f"2026-11-{2 + n:02d}"
