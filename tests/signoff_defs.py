"""A small definition with sign-offs and an override, shared by the sign-off tests."""

from __future__ import annotations

from procedo.model import ProcessDefinition, parse_definition

SIGNOFF_TOML = """\
[process]
id = "theatre"
title = "Theatre list"

[roles]
nurse = "Scrub nurse"
surgeon = "Surgeon"
anaesthetist = "Anaesthetist"
supervisor = "Theatre supervisor"

[steps.sign-in]
title = "Sign in"
role = "nurse"
next = "time-out"
items = [
  "Confirm the patient's identity",
  { text = "Check the anaesthesia machine", critical = true, override = { role = "supervisor" } },
  { text = "Record the weight", record = "number", unit = "kg" },
]
signoff = [
  { role = "anaesthetist", meaning = "reviewed" },
  { role = "surgeon", meaning = "approved", distinct = true },
]

[decisions.time-out]
question = "Proceed with the incision?"
role = "surgeon"
signoff = [{ role = "surgeon", meaning = "approved" }]
options = [
  { label = "Proceed", next = "operate" },
  { label = "Stop", next = "stopped" },
]

[steps.operate]
title = "Operate"
next = "done"
items = ["Close"]

[ends.done]
title = "Done"
outcome = "success"

[ends.stopped]
title = "Stopped"
outcome = "failure"
"""


BRANCHES_TOML = """
[process]
id = "p"
start = "split"
title = "P"
[roles]
boss = "Boss"
[parallel.split]
title = "Split"
branches = ["a", "b"]
join = "meet"
[steps.a]
title = "A"
next = "meet"
items = ["x"]
signoff = [{ role = "boss", meaning = "approved" }]
[steps.b]
title = "B"
next = "meet"
items = ["y"]
[steps.meet]
title = "Meet"
next = "done"
items = [{ text = "z", critical = true, override = { role = "boss" } }]
[interrupts.fire]
title = "Fire"
priority = "warning"
items = [{ text = "alarm", critical = true, override = { role = "boss" } }]
[ends.done]
title = "Done"
outcome = "success"
"""
"""Sign-offs in a parallel branch and an override inside a non-normal checklist."""


def signoff_definition(text: str = SIGNOFF_TOML) -> ProcessDefinition:
    """The definition above (or an edit of it)."""
    return parse_definition(text, source="processes/theatre.toml")
