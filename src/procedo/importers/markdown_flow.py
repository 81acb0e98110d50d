"""Reading a parallel block's section and a calling step's fields back (docs/import.md).

A block is a section with a ``Parallel:`` field, the list of its branches under it (links to
their first nodes) and a ``Join:`` field naming the join node. A calling step has a ``Calls:``
field naming the process (a link to its page with ``*(id: ID)*``, or the id alone) and may list
its outcomes under ``Outcomes:`` as ``end → node``. The handbook's words after a field's value
(:data:`~procedo.markdown_text.JOIN_NOTE`, :data:`~procedo.markdown_text.CALL_NOTE`) are cut off.
"""

from __future__ import annotations

import re
from typing import Any

from procedo.importers.markdown_blocks import ListItem
from procedo.importers.markdown_items import MarkdownImportError, parse_link, parse_option
from procedo.importers.markdown_preamble import Builder, Section
from procedo.markdown_text import CALL_NOTE, JOIN_NOTE, unescape
from procedo.model import is_valid_id

_ID_NOTE = re.compile(r"[ \t]*\*\([ \t]*id:[ \t]*(?P<id>.+?)[ \t]*\)\*[ \t]*$")


def _without(value: str, note: str) -> str:
    value = value.strip(" \t")
    return value[: -len(note)].rstrip(" \t") if value.endswith(note) else value


def takes_field(fields: dict[str, str], key: str, value: str) -> bool:
    """Whether ``Key: value`` is a field of a block or a calling step where it stands, given
    the ``fields`` the section has so far: ``Join:`` after ``Parallel:``, ``Outcomes:`` after
    ``Calls:``, ``Calls:`` naming a process id (alone or with its ``*(id: ...)*``). Elsewhere
    the words are the section's text ("Outcomes: write them in the log" on any checklist page),
    and the list under them its checklist. Other keys are always fields."""
    if key == "join":
        return "parallel" in fields
    if key == "outcomes":
        return "calls" in fields
    if key == "calls":
        named = _without(value, CALL_NOTE)
        return _ID_NOTE.search(named) is not None or is_valid_id(unescape(named).strip(" \t"))
    return True


def parallel_data(builder: Builder, section: Section, text: str) -> dict[str, Any]:
    """The ``[parallel.ID]`` table of a block's section."""
    branches = [
        builder.target(item.text) for item in section.branches if isinstance(item, ListItem)
    ]
    node: dict[str, Any] = {"title": section.title, "branches": branches}
    node["join"] = builder.target(_without(section.fields["join"], JOIN_NOTE))
    if text:
        node["details"] = text
    return node


def call_data(builder: Builder, section: Section) -> dict[str, Any]:
    """A calling step's ``call`` and ``outcomes`` (empty when it lists none)."""
    value = _without(section.fields["calls"], CALL_NOTE)
    found = _ID_NOTE.search(value)
    call = unescape(found["id"]) if found else parse_link(value)[1]
    if not call:
        raise MarkdownImportError(
            f"{builder.source}:{section.line}: 'Calls:' of {section.title!r} names no process"
        )
    outcomes: dict[str, str] = {}
    for item in section.outcomes:
        option = parse_option(item.text) if isinstance(item, ListItem) else None
        if option is None:
            raise MarkdownImportError(
                f"{builder.source}:{item.line}: an outcome of {section.title!r} is written "
                "'end → [Node](#id)'"
            )
        outcomes[option.label] = builder.target(option.target)
    data: dict[str, Any] = {"call": call}
    if outcomes:
        data["outcomes"] = outcomes
    return data
