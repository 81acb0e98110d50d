"""A small journal of called runs and parallel runs, on a clock the test sets, for the tests
of the record (history, show, exports, metrics, verify) of issue 14."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from procedo import calls
from procedo.config import Paths
from procedo.engine import Run
from procedo.engine.events import iso_from_ms
from procedo.workspace import Workspace
from test_engine_calls import CHILD, PARENT

T0 = 1_795_000_000_000
"""2026-11-18T11:06:40Z."""

KIT = """
[process]
id = "kit"
title = "Kit out"
start = "ask"

[steps.ask]
title = "Ask"
next = "prep"
items = ["Asked"]

[parallel.prep]
title = "Prepare the kit"
branches = ["laptop", "desk"]
join = "hand"

[steps.laptop]
title = "Prepare the laptop"
next = "image"
items = ["Ordered"]

[steps.image]
title = "Image it"
next = "hand"
items = ["Imaged"]

[steps.desk]
title = "Book a desk"
next = "hand"
items = ["Booked"]

[steps.hand]
title = "Hand over"
next = "done"
items = ["Handed"]

[ends.done]
title = "Done"
outcome = "success"
"""


class Clock:
    """A clock that says what the test set (``at``), in ms."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> int:
        return self.now

    def at(self, seconds: float) -> None:
        """Set the time to ``seconds`` after T0."""
        self.now = T0 + round(seconds * 1000)


def write_paths(tmp_path: Path) -> Paths:
    """A processes folder with lockout (calls tester), tester and kit (parallel)."""
    folder = tmp_path / "processes"
    folder.mkdir()
    (folder / "lockout.toml").write_text(PARENT, "utf-8")
    (folder / "tester.toml").write_text(CHILD, "utf-8")
    (folder / "kit.toml").write_text(KIT, "utf-8")
    return Paths(processes=folder, db=tmp_path / "journal.db")


def step(run: Run, clock: Clock, seconds: float) -> None:
    """Tick the focused step's item and complete it at ``seconds``."""
    clock.at(seconds)
    run.check(0)
    run.complete()


@dataclass
class Called:
    """A parent run and its child run."""

    parent: Run
    child: Run


def called_pair(workspace: Workspace, clock: Clock, start: float, *, good: bool) -> Called:
    """A lockout run whose tester child ends good (the parent goes on to work and done) or
    broken (the parent stops), all in a few seconds from ``start``."""
    clock.at(start)
    parent = workspace.start_run("lockout", "Ann")
    step(parent, clock, start + 1)  # isolate
    step(parent, clock, start + 2)  # prove's own item: the call
    clock.at(start + 3)
    child = calls.start_child(workspace, parent, "Ann")
    step(child, clock, start + 5)  # probe
    clock.at(start + 6)
    child.choose(0 if good else 1)
    clock.at(start + 7)
    calls.settle(workspace, parent)
    if good:
        step(parent, clock, start + 8)  # work -> done
    return Called(parent, child)


def kit_run(workspace: Workspace, clock: Clock, start: float, laptop: float, desk: float) -> Run:
    """A kit run: the split at ``start + 1``; the laptop branch arrives ``laptop`` s after
    the split (two steps), the desk branch ``desk`` s after it; hand over 1 s after both."""
    clock.at(start)
    run = workspace.start_run("kit", "Ann")
    split = start + 1
    step(run, clock, split)  # ask -> the split
    events = sorted([(laptop / 2, "prep:1"), (laptop, "prep:1"), (desk, "prep:2")])
    for after, branch in events:
        run.switch(branch)
        step(run, clock, split + after)
    step(run, clock, split + max(laptop, desk) + 1)  # hand over -> done
    return run


def iso(seconds: float) -> str:
    """The journal's text for ``seconds`` after T0."""
    return iso_from_ms(T0 + round(seconds * 1000))
