"""A small process with issue 13's time keys (waits, reminders, a step target, a decision's
timeout, a parallel block and an interrupt), and a clock the tests move, for the engine tests
of the time rules."""

from __future__ import annotations

from procedo.engine import MemorySink, Run
from procedo.model import ProcessDefinition, content_hash, parse_definition

T0 = 1_795_000_000_000
MIN = 60_000
SEC = 1_000

CLOCK_TOML = """
[process]
id = "deploy"
title = "Deploy"
start = "prepare"
remind = { every_minutes = 20, text = "Post a status update" }

[steps.prepare]
title = "Prepare"
next = "watch"
target_minutes = 10
items = [
  { text = "Wait for the cache to drain", wait_minutes = 2 },
  "Open the console",
]

[steps.watch]
title = "Watch"
next = "ok"
remind = { every_minutes = 5, text = "Check the graphs" }
items = [
  "Roll out",
  { text = "Watch the error rate for 5 minutes", wait_minutes = 5 },
  { text = "Error rate", record = "number", wait_minutes = 1 },
]

[decisions.ok]
question = "Is it healthy?"
timeout = { after_minutes = 30, suggest = "No, roll back" }
options = [
  { label = "Yes", next = "both" },
  { label = "No, roll back", next = "failed" },
]

[parallel.both]
title = "Tidy up"
branches = ["notes", "tag"]
join = "close"

[steps.notes]
title = "Write the notes"
next = "close"
remind = { every_minutes = 3, text = "Save the draft" }
items = ["Write them"]

[steps.tag]
title = "Tag the release"
next = "close"
items = [{ text = "Push the tag", wait_minutes = 1 }]

[steps.close]
title = "Close"
next = "done"
items = ["Announce"]

[ends.done]
title = "Done"
outcome = "success"

[ends.failed]
title = "Rolled back"
outcome = "failure"

[interrupts.page]
title = "Paged"
priority = "caution"
items = ["Acknowledge the page", { text = "Hand it on", wait_minutes = 1 }]
"""


class Clock:
    """A clock that moves only when told to."""

    def __init__(self, start: int = T0) -> None:
        self.now = start

    def __call__(self) -> int:
        return self.now

    def advance(self, ms: int) -> None:
        """Move the clock forward by ``ms``."""
        self.now += ms


def clock_definition(text: str = CLOCK_TOML) -> ProcessDefinition:
    """The definition of :data:`CLOCK_TOML` (or of ``text``)."""
    return parse_definition(text)


def start_run(
    clock: Clock, definition: ProcessDefinition | None = None, sink: MemorySink | None = None
) -> Run:
    """A run of the clock process, started at the clock's time, in memory."""
    definition = definition or clock_definition()
    return Run.start(definition, content_hash(CLOCK_TOML), sink or MemorySink(), "Ann", clock=clock)


def to_watch(run: Run, clock: Clock) -> None:
    """Do the prepare step (waiting out its first item) and arrive at watch."""
    clock.advance(2 * MIN)
    run.check(0)
    run.check(1)
    run.complete()
