"""The parts of a Markdown checklist before its steps, and the bookkeeping of ids and roles.

Used by :mod:`procedo.importers.markdown`; the conventions are in docs/import.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from procedo.importers.markdown_blocks import Blank, Block, Fence, Heading, ListItem, Text
from procedo.importers.markdown_items import (
    MarkdownImportError,
    github_slug,
    parse_item,
    parse_link,
    slug,
    split_anchor,
)
from procedo.markdown_text import INPUT_ANCHOR, ROLE_ANCHOR, TRIGGER_ANCHOR, parse_field, unescape
from procedo.model import is_valid_id


@dataclass
class Section:
    """One step-level heading and the blocks under it."""

    title: str
    anchor: str | None
    line: int
    blocks: list[Block] = field(default_factory=list)
    node_id: str = ""
    kind: str = "step"
    fields: dict[str, str] = field(default_factory=dict)
    branches: list[Block] = field(default_factory=list)
    """A parallel block's list: the first node of each branch."""
    outcomes: list[Block] = field(default_factory=list)
    """A calling step's list under ``Outcomes:``: ``end → node``."""
    options: list[Block] = field(default_factory=list)
    """A non-normal procedure's list under ``After:``: the options of its question."""


def paragraph_text(blocks: list[Block | None]) -> str:
    """The text of paragraphs and code blocks: runs broken by list items and fields."""
    runs: list[str] = []
    current: list[str] = []

    def flush() -> None:
        while current and not current[-1]:
            current.pop()
        while current and not current[0]:
            current.pop(0)
        if current:
            runs.append("\n".join(current))
        current.clear()

    for block in blocks:
        if isinstance(block, Blank):
            current.append("")
        elif isinstance(block, Text):
            current.append(unescape(block.text))
        elif isinstance(block, Fence):
            current.extend(block.lines)
        elif isinstance(block, Heading):
            current.append(block.raw.strip(" \t"))
        else:
            flush()
    flush()
    return "\n\n".join(runs)


class Builder:
    """Collects ids, roles and ends while the sections are read."""

    def __init__(self, process_id: str, source: str) -> None:
        self.process_id = process_id
        self.source = source
        self.taken: set[str] = set()
        self.roles: dict[str, str] = {}
        self.extra_ends: dict[str, str] = {}
        self.sections: list[Section] = []

    def fresh(self, wanted: str | None, title: str, fallback: str) -> str:
        base = wanted if wanted and is_valid_id(wanted) else slug(title, fallback)
        node_id, number = base, 2
        while node_id in self.taken:
            node_id, number = f"{base}-{number}", number + 1
        self.taken.add(node_id)
        return node_id

    def role(self, name: str) -> str:
        """The role id for a name (a role id also works); a new role when unknown."""
        for role_id, role_name in self.roles.items():
            if role_name == name:
                return role_id
        for role_id, role_name in self.roles.items():
            if role_name.casefold() == name.casefold():
                return role_id
        if name in self.roles:
            return name
        role_id, number = slug(name, "role"), 2
        base = role_id
        while role_id in self.roles:
            role_id, number = f"{base}-{number}", number + 1
        self.roles[role_id] = name
        return role_id

    def target(self, markdown: str, *, create_end: bool = True) -> str:
        """The node a link or a title names; a new success end for an unknown title."""
        fragment, text = parse_link(markdown)
        if fragment:
            for section in self.sections:
                if fragment in (section.node_id, section.anchor):
                    return section.node_id
            for section in self.sections:
                if fragment == github_slug(section.title):
                    return section.node_id
        wanted = text.strip().casefold()
        for section in self.sections:
            if section.title.strip().casefold() == wanted:
                return section.node_id
        for end_id, title in self.extra_ends.items():
            if title.strip().casefold() == wanted:
                return end_id
        if not text.strip():
            raise MarkdownImportError(f"{self.source}: a link or an arrow leads nowhere")
        end_id = self.fresh(fragment, text, "end")
        self.extra_ends[end_id] = text.strip()
        return end_id


def toml_number(value: float) -> float | int:
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


def read_preamble(builder: Builder, blocks: list[Block], process: dict[str, Any]) -> list[ListItem]:
    """Read the part before the first step into ``process``; return its unlabelled items."""
    loose: list[ListItem] = []
    label: str | None = None
    roles: list[tuple[str | None, str]] = []
    summary: list[Block | None] = []
    for block in blocks:
        found = parse_field(block.text) if isinstance(block, Text) else None
        if found:
            key, value = found
            label = (
                key if key in ("roles", "triggers", "resources", "inputs") and not value else None
            )
            _process_field(builder, block.line, key, value, process, roles)
            summary.append(None)
        elif isinstance(block, ListItem) and label:
            anchor, text = split_anchor(block.text)
            if label == "roles":
                roles.append((anchor, unescape(text.strip(" \t"))))
            elif label == "resources":
                process["resources"].append(unescape(text.strip(" \t")))
            elif label == "inputs":
                _input(builder, block.line, anchor, text, process["inputs"])
            else:
                process["triggers"].append(_trigger(anchor, text))
        elif isinstance(block, ListItem):
            loose.append(block)
            summary.append(None)
        else:
            if not isinstance(block, Blank):
                label = None
            summary.append(block)
    for anchor, name in roles:
        role_id = anchor[len(ROLE_ANCHOR) :] if anchor and anchor.startswith(ROLE_ANCHOR) else ""
        if not role_id or role_id in builder.roles:
            role_id, number = slug(name, "role"), 2
            base = role_id
            while role_id in builder.roles:
                role_id, number = f"{base}-{number}", number + 1
        builder.roles[role_id] = name
    process["summary"] = paragraph_text(summary)
    return loose


def _process_field(
    builder: Builder,
    line: int,
    key: str,
    value: str,
    process: dict[str, Any],
    roles: list[tuple[str | None, str]],
) -> None:
    if key == "owner":
        process["owner"] = unescape(value)
    elif key == "version":
        process["version"] = unescape(value)
    elif key == "target time":
        words = value.split()
        try:
            minutes = float(words[0]) if words else 0.0
        except ValueError:
            minutes = 0.0
        if not minutes > 0:
            raise MarkdownImportError(
                f"{builder.source}:{line}: target time {value!r} is not a number of minutes "
                "(write e.g. '**Target time:** 45 min')"
            )
        process["target_minutes"] = toml_number(minutes)
    elif key == "reminder":
        from procedo.importers.markdown_clock import reminder_of  # it imports this module

        process["remind"] = reminder_of(value, f"{builder.source}:{line}")
    elif key == "start":
        process["start"] = value
    elif key in ("roles", "resources") and value:
        names = [unescape(v.strip(" \t")) for v in value.split(",") if v.strip(" \t")]
        if key == "roles":
            roles.extend((None, name) for name in names)
        else:
            process["resources"].extend(names)


def _input(
    builder: Builder, line: int, anchor: str | None, markdown: str, inputs: dict[str, Any]
) -> None:
    """A start input from ``<a id="input-ID"></a>Title: ____ unit *(record: number, 0–9)*``."""
    parsed = parse_item(markdown, f"{builder.source}:{line}")
    wanted = anchor[len(INPUT_ANCHOR) :] if anchor and anchor.startswith(INPUT_ANCHOR) else ""
    input_id = parsed.id or wanted or slug(parsed.text, "input").replace("-", "_")
    data: dict[str, Any] = {"title": parsed.text, "record": parsed.record or "text"}
    if parsed.unit is not None:
        data["unit"] = parsed.unit
    for key in ("min", "max"):
        value = getattr(parsed, key)
        if value is not None:
            data[key] = toml_number(value)
    if parsed.choices:
        data["choices"] = parsed.choices
    inputs[input_id] = data


def _trigger(anchor: str | None, markdown: str) -> dict[str, Any]:
    trigger: dict[str, Any] = {}
    if anchor and anchor.startswith(TRIGGER_ANCHOR):
        trigger["id"] = anchor[len(TRIGGER_ANCHOR) :]
    marker = " — starts at "
    cut = markdown.rfind(marker)
    if cut >= 0 and parse_link(markdown[cut + len(marker) :])[0] is not None:
        trigger["start"] = markdown[cut + len(marker) :]
        markdown = markdown[:cut]
    trigger["title"] = unescape(markdown.strip(" \t"))
    return trigger
