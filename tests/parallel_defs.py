"""Definitions with parallel blocks and calling steps, shared by the renderers' tests."""

from __future__ import annotations

from procedo.model import ProcessDefinition, parse_definition

NESTED = """\
[process]
id = "kit"
title = "Ready the new hire"
start = "welcome"

[roles]
hr = "HR partner"
it = "IT support"

[steps.welcome]
title = "Welcome"
role = "hr"
next = "ready"
items = ["Say hello"]

[parallel.ready]
title = "Get everything ready"
branches = ["laptop", "contract"]
join = "first-day"

[steps.laptop]
title = "Prepare the laptop"
role = "it"
next = "software"
items = ["Image it"]

[steps.software]
title = "Install the software"
role = "it"
next = "works"
items = ["Install"]

[decisions.works]
question = "Does it boot?"
role = "it"
options = [
  { label = "Yes", next = "first-day" },
  { label = "No", next = "laptop" },
  { label = "Broken", next = "scrapped" },
]

[steps.contract]
title = "File the contract"
role = "hr"
next = "papers"
items = ["File it"]

[parallel.papers]
title = "Papers and badge"
branches = ["sign", "badge"]
join = "filed"

[steps.sign]
title = "Sign the forms"
role = "hr"
next = "filed"
items = ["Sign"]

[steps.badge]
title = "Order the badge"
role = "hr"
next = "filed"
items = ["Order"]

[steps.filed]
title = "Everything filed"
role = "hr"
next = "first-day"
items = ["Check the folder"]

[steps.first-day]
title = "First day"
role = "hr"
next = "done"
items = ["Show the desk"]

[ends.done]
title = "Started"
outcome = "success"

[ends.scrapped]
title = "Laptop scrapped"
outcome = "failure"
"""

CALLING = """\
[process]
id = "isolate"
title = "Isolate the machine"
start = "prepare"

[steps.prepare]
title = "Prepare"
next = "prove"
items = ["Gather the locks"]

[steps.prove]
title = "Prove the tester"
call = "tester-check"
outcomes = { success = "work", failure = "stop", broken = "repair" }
items = ["Fetch the tester"]

[steps.repair]
title = "Repair the tester"
call = "tester-check"
next = "work"
items = ["Send it away"]

[steps.work]
title = "Do the work"
next = "done"
items = ["Work"]

[ends.done]
title = "Done"
outcome = "success"

[ends.stop]
title = "Stopped"
outcome = "failure"
"""


def nested() -> ProcessDefinition:
    """Two branches, the second holding a parallel block of its own."""
    return parse_definition(NESTED, source="kit.toml")


def calling() -> ProcessDefinition:
    """A step that calls a process with outcomes by outcome and by end id, one with a next."""
    return parse_definition(CALLING, source="isolate.toml")
