"""The hand-over point: who is next when the role changes, and the two ways to go on."""

from __future__ import annotations

from collections.abc import Mapping

from textual.content import Content

from procedo.model import ProcessDefinition
from procedo.model.placeholders import fill
from procedo.tui.text import line


def point_content(
    definition: ProcessDefinition,
    node: str,
    role: str,
    operator: str,
    *,
    read_only: bool = False,
    values: Mapping[str, str] | None = None,
) -> Content:
    """``Next: Quality officer decides: <question>`` and the keys that answer it.

    A read-only window (another window has the run) offers no keys: it says who answers.
    ``values``: the run's named values, for the placeholders of the question or title.
    """
    name = definition.role_name(role)
    if node in definition.decisions:
        verb, what = "decides", definition.decisions[node].question
    else:
        step = definition.checklists.get(node)
        verb, what = "does", step.title if step else node
    what = fill(what, values or {})
    head = [("Next: ", "bold"), (name, "bold $accent"), f" {verb}: ", (what, "bold")]
    if read_only:
        return line(
            *head,
            ("\n  Waiting for ", "$text-muted"),
            operator,
            (", who has the run, to hand it over or act as ", "$text-muted"),
            name,
        )
    return line(
        *head,
        ("\n      o  ", "bold $accent"),
        "hand the run over to the ",
        name,
        ("\n  enter  ", "bold $accent"),
        "I act as ",
        (name, "bold"),
        (f" ({operator})", "$text-muted"),
    )
