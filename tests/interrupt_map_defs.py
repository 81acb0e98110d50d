"""Definitions with non-normal checklists and deferred items, shared by the renderers' tests.

``LOCKOUT``: three interrupts, one of each way on (back, to an end, a question), one limited
to two steps, and an item deferred to a later step. ``hostile_lockout()``: the same with
hostile text in every title, question, label and item.
"""

from __future__ import annotations

import json

from procedo.model import ProcessDefinition, parse_definition

LOCKOUT = """\
[process]
id = "lockout"
title = "Lock out the press"
start = "isolate"

[roles]
operator = "Operator"
lead = "Shift lead"

[steps.isolate]
title = "Isolate the press"
role = "operator"
next = "release"
items = ["Switch off at the panel", { text = "Photograph the lock", defer_to = "close-out" }]

[steps.release]
title = "Release stored energy"
role = "operator"
next = "works"
items = ["Bleed the accumulator", { text = "Note the residual pressure", defer_to = "close-out" }]

[decisions.works]
question = "Is the press dead?"
role = "lead"
options = [
  { label = "Yes", next = "close-out" },
  { label = "No", next = "release" },
]

[steps.close-out]
title = "Close out"
role = "lead"
next = "done"
items = ["Sign the permit"]

[ends.done]
title = "Locked out"
outcome = "success"

[ends.abandoned]
title = "Work abandoned"
outcome = "failure"

[interrupts.leak]
title = "Hydraulic leak"
priority = "caution"
instructions = "Keep clear of the spray."
items = ["Put down absorbent", { text = "Litres spilt", record = "number", unit = "l" }]
during = ["release", "works"]
after = { question = "Can work resume?", options = [
  { label = "Resume", next = "return" },
  { label = "Abandon", next = "abandoned" },
] }

[interrupts.fire-alarm]
title = "Fire alarm"
priority = "warning"
role = "operator"
items = ["Stop work", "Leave by the nearest exit"]
after = "abandoned"

[interrupts.paged]
title = "Paged by the control room"
priority = "advisory"
role = "lead"
items = ["Answer the page"]
"""


def lockout() -> ProcessDefinition:
    """:data:`LOCKOUT`, parsed."""
    return parse_definition(LOCKOUT, source="lockout.toml")


HOSTILE = '[bold]x[/bold] ]] `code` <script>alert(1)</script> "q" # ; | & \\ *a* _b_'
"""Text that means something in Rich markup, Markdown, HTML, Mermaid and DOT (a definition
refuses a line break in a title: the tests put one there with ``model_copy``)."""


def _toml(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a TOML basic string


def hostile_lockout() -> ProcessDefinition:
    """:data:`LOCKOUT` with :data:`HOSTILE` (and line breaks) in the interrupts' texts, the
    question, its labels and the title of the step an item is deferred to."""
    text = LOCKOUT
    for plain in ("Hydraulic leak", "Can work resume?", "Resume", "Abandon", "Fire alarm"):
        text = text.replace(f'"{plain}"', _toml(f"{plain} {HOSTILE}"))
    details = _toml("Wait\n" + HOSTILE)
    item = f"{{ text = {_toml('Put down ' + HOSTILE)}, details = {details} }}"
    text = text.replace('"Put down absorbent"', item)
    text = text.replace('"Keep clear of the spray."', _toml(f"Keep clear\n{HOSTILE}\n- [ ] no"))
    text = text.replace('"Close out"', _toml(f"Close out {HOSTILE}"))
    text = text.replace('"Paged by the control room"', _toml("[bold Paged"))
    return parse_definition(text, source="hostile.toml")
