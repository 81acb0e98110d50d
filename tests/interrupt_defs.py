"""A small process with interrupts of each priority and deferrable items, for the engine and
journal tests of issue 12."""

from __future__ import annotations

from procedo.model import ProcessDefinition, parse_definition

INTERRUPTS = """
[process]
id = "press"
title = "Press maintenance"
start = "isolate"

[roles]
fitter = "Fitter"
safety = "Safety officer"

[steps.isolate]
title = "Isolate the press"
role = "fitter"
next = "service"
items = [
  "Lock the main switch",
  "Bleed the accumulator",
  { text = "Log the reading", record = "number", id = "bar" },
]

[steps.service]
title = "Service the press"
role = "fitter"
next = "check"
items = [
  "Change the filter",
  { text = "Photograph the seals", defer_to = "close" },
  { text = "File the work order" },
  { text = "Torque the bolts", critical = true },
]

[decisions.check]
question = "Does the press run clean?"
role = "fitter"
options = [{ label = "Yes", next = "close" }, { label = "No", next = "failed" }]

[steps.close]
title = "Close out"
role = "fitter"
next = "done"
items = ["Remove the locks"]

[ends.done]
title = "Back in service"
outcome = "success"

[ends.failed]
title = "Out of service"
outcome = "failure"

[ends.abandoned]
title = "Abandoned: the lockout stays"
outcome = "failure"

[interrupts.fire]
title = "Fire alarm"
priority = "warning"
items = ["Stop work", "Leave by the nearest exit"]
after = { question = "Is the all-clear given?", options = [
  { label = "Yes: resume", next = "return" },
  { label = "No: abandon", next = "abandoned" },
] }

[interrupts.leak]
title = "Oil leak"
priority = "caution"
items = ["Contain the leak", { text = "Litres spilled", record = "number" }]

[interrupts.call]
title = "Phone call"
priority = "advisory"
items = ["Note the caller"]
during = ["service"]

[interrupts.injury]
title = "Injury"
priority = "warning"
items = ["Give first aid"]
after = "abandoned"
"""


def interrupts_definition() -> ProcessDefinition:
    """The press maintenance process, validated."""
    return parse_definition(INTERRUPTS)
