"""Definitions with conditions for the TUI tests (issue 10): written here, in a tmp folder."""

from __future__ import annotations

from pathlib import Path

from procedo.config import Paths
from procedo.journal import Journal
from tui_support import make_paths

VOLTAGE = (
    '{ id = "residual_v", text = "Voltage at the isolator", record = "number", unit = "V", '
    'min = 0, max = 1000, expect = "residual_v < 1" }'
)
"""A record item with an ``expect`` (the issue's example)."""

REFUND = (
    """
[process]
title = "Refund"

[inputs.amount]
title = "Amount asked"
record = "number"
unit = "EUR"
min = 0
max = 10000

[inputs.customer]
title = "Customer"
record = "text"

[steps.check]
title = "Check the refund of {amount} EUR for {customer}"
instructions = "Measure the isolator, then compare {residual_v} with the limit."
next = "approve"
items = [
  """
    + VOLTAGE
    + """,
  { text = "Manager signs for {amount} EUR", when = "amount > 250" },
  "Plain check",
]

[decisions.approve]
question = "Refund {amount} EUR: above the limit?"
options = [
  { label = "Yes, escalate", next = "escalate", when = "amount > 250" },
  { label = "No, pay", next = "paid", default = true },
]

[steps.escalate]
title = "Escalate {amount} EUR"
next = "paid"

[ends.paid]
title = "Paid"
outcome = "success"
"""
)
"""A start input read by an item's ``when``, an ``expect``, a decision with a default."""

AUTO = """
[process]
title = "Auto refund"

[inputs.amount]
title = "Amount asked"
record = "number"
unit = "EUR"
min = 0

[steps.check]
title = "Check"
next = "approve"
items = ["Look at the receipt"]

[decisions.approve]
question = "Above the limit?"
auto = true
options = [
  { label = "Yes, escalate", next = "escalate", when = "amount > 250" },
  { label = "No, pay", next = "paid", default = true },
]

[steps.escalate]
title = "Escalate"
next = "paid"

[ends.paid]
title = "Paid"
outcome = "success"
"""
"""An ``auto`` decision after a step."""

LOOP = """
[process]
title = "Asset tags"

[steps.tag]
title = "Tag one rack"
next = "more"
items = [
  { id = "tag", text = "Asset tag", record = "text" },
  { text = "Rack position", record = "number", min = 1, max = 42 },
  "Photo taken",
]

[decisions.more]
question = "Another rack?"
options = [
  { label = "Yes", next = "tag" },
  { label = "No", next = "done" },
]

[ends.done]
title = "Done"
outcome = "success"
"""
"""A loop: the same step visited again, with values from the last visit."""


def condition_paths(tmp_path: Path) -> Paths:
    """A processes folder with the three definitions, and a fresh journal."""
    source = tmp_path / "source"
    source.mkdir(exist_ok=True)
    for name, text in (("refund", REFUND), ("auto", AUTO), ("tags", LOOP)):
        (source / f"{name}.toml").write_text(text, encoding="utf-8")
    return make_paths(tmp_path, source)


def events(paths: Paths, kinds: tuple[str, ...] = ()) -> list[dict[str, object]]:
    """Every journaled event (of ``kinds``, when given), oldest first."""
    with Journal(paths.db) as journal:
        rows = journal.rows(
            "SELECT kind, node, item, value, reason FROM events ORDER BY run_id, seq"
        )
    return [row for row in rows if not kinds or row["kind"] in kinds]
