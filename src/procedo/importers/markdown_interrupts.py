"""Reading a non-normal procedure's section back (docs/import.md), and an item's ``defer_to``.

A section with a ``Priority:`` field (``warning``, ``caution`` or ``advisory``: the first word)
is an ``[interrupts.ID]`` table: its ``Role:``, ``During:`` (links to the nodes it may
interrupt, separated by commas, or ``anywhere``), paragraphs (its instructions), list items (its
checklist) and ``After:``: ``back to where the run was``, a node (a link or a title), or a
question followed by its options, ``label → target``. The handbook's words after a field's
value (:data:`~procedo.markdown_text.PRIORITY_NOTE` and the others) are cut off.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from procedo.importers.markdown_blocks import ListItem
from procedo.importers.markdown_items import MarkdownImportError, parse_option
from procedo.importers.markdown_preamble import Builder, Section
from procedo.markdown_text import (
    AFTER_NODE_NOTE,
    ANYWHERE,
    ANYWHERE_NOTE,
    PRIORITY_NOTE,
    RETURN_NOTE,
    RETURN_WORDS,
    find_unescaped,
    resolve_step,
    unescape,
)
from procedo.model.definition import PRIORITIES, RETURN

INTERRUPT_FIELDS = ("priority", "during", "after")
"""The fields only a non-normal procedure's section has."""


def _without(value: str, *notes: str) -> str:
    value = value.strip(" \t")
    for note in notes:
        if value.endswith(note):
            return value[: -len(note)].rstrip(" \t")
    return value


def _target(builder: Builder, markdown: str) -> str:
    """``return`` for the words that say so, else the node a link or a title names."""
    value = _without(markdown, RETURN_NOTE, AFTER_NODE_NOTE)
    if unescape(value).strip().casefold() == RETURN_WORDS:
        return RETURN
    return builder.target(value)


def _split_nodes(value: str) -> list[str]:
    """The parts of a ``During:`` value: each link whole, else what the commas separate."""
    parts: list[str] = []
    rest = value.strip(" \t")
    while rest:
        if rest.startswith("["):
            middle = find_unescaped(rest, "](")
            close = rest.find(")", middle) if middle > 0 else -1
            if close > 0:
                parts.append(rest[: close + 1])
                rest = rest[close + 1 :].lstrip(" \t").removeprefix(",").lstrip(" \t")
                continue
        comma = find_unescaped(rest, ",")
        part, rest = (rest, "") if comma < 0 else (rest[:comma], rest[comma + 1 :])
        if part.strip(" \t"):
            parts.append(part.strip(" \t"))
        rest = rest.lstrip(" \t")
    return parts


def interrupt_data(
    builder: Builder,
    section: Section,
    items: list[ListItem],
    text: str,
    item_data: Callable[[ListItem], str | dict[str, Any]],
) -> dict[str, Any]:
    """The ``[interrupts.ID]`` table of a non-normal procedure's section."""
    where = f"{builder.source}:{section.line}"
    words = unescape(_without(section.fields["priority"], PRIORITY_NOTE)).split()
    priority = words[0].lower() if words else ""
    if priority not in PRIORITIES:
        raise MarkdownImportError(
            f"{where}: the priority of {section.title!r} must be 'warning', 'caution' or 'advisory'"
        )
    node: dict[str, Any] = {"title": section.title, "priority": priority}
    if "role" in section.fields:
        node["role"] = builder.role(unescape(section.fields["role"]))
    if text:
        node["instructions"] = text
    if items:
        node["items"] = [item_data(item) for item in items]
    after = section.fields.get("after")
    if section.options:
        options = [
            parse_option(o.text) if isinstance(o, ListItem) else None for o in section.options
        ]
        if any(o is None for o in options) or after is None:
            raise MarkdownImportError(
                f"{where}: the options after the question of {section.title!r} are written "
                "'Label → [Node](#id)' or 'Label → back to where the run was'"
            )
        node["after"] = {
            "question": unescape(after.strip(" \t")),
            "options": [
                {"label": o.label, "next": _target(builder, o.target)} for o in options if o
            ],
        }
    elif after is not None:
        target = _target(builder, after)
        if target != RETURN:
            node["after"] = target
    during = _without(section.fields.get("during", ""), ANYWHERE_NOTE)
    if unescape(during).strip().casefold() not in ("", ANYWHERE):
        node["during"] = [builder.target(part) for part in _split_nodes(during)]
    return node


def defer_target(builder: Builder, written: str) -> str:
    """The step an item's ``*(may be deferred to: …)*`` names (:func:`resolve_step`), or the
    text as written when no step fits (the loader then says so)."""
    steps = [(s.node_id, s.title) for s in builder.sections if s.kind == "step"]
    found = resolve_step(written, steps)
    if found is None:
        anchors = {s.anchor: s.node_id for s in builder.sections if s.kind == "step" and s.anchor}
        found = anchors.get(written.strip())
    return found or written
