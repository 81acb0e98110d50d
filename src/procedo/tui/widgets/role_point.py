"""The hand-over point: who is next when the role changes, and the two ways to go on."""

from __future__ import annotations

from textual.content import Content

from procedo.model import ProcessDefinition
from procedo.tui.text import line


def point_content(definition: ProcessDefinition, node: str, role: str, operator: str) -> Content:
    """``Next: Quality officer decides: <question>`` and the keys that answer it."""
    name = definition.role_name(role)
    if node in definition.decisions:
        verb, what = "decides", definition.decisions[node].question
    else:
        step = definition.steps.get(node)
        verb, what = "does", step.title if step else node
    return line(
        ("Next: ", "bold"),
        (name, "bold $accent"),
        f" {verb}: ",
        (what, "bold"),
        ("\n      o  ", "bold $accent"),
        "hand the run over to the ",
        name,
        ("\n  enter  ", "bold $accent"),
        "I act as ",
        (name, "bold"),
        (f" ({operator})", "$text-muted"),
    )
