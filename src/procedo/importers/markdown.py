"""``procedo import``: a Markdown checklist becomes a process definition (docs/import.md).

The ``#`` heading is the title, each ``##`` heading a step (or a decision, or an end), list
items the checklist. The result is written as TOML with tomli-w and parsed back through the
project's own loader before anyone writes it, so what is written is exactly what loads.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import tomli_w

from procedo.importers import markdown_clock as clock
from procedo.importers.markdown_blocks import Block, Heading, ListItem, Text, parse_document
from procedo.importers.markdown_flow import call_data, parallel_data, takes_field
from procedo.importers.markdown_interrupts import INTERRUPT_FIELDS, defer_target, interrupt_data
from procedo.importers.markdown_items import (
    MarkdownImportError,
    ParsedOption,
    parse_item,
    parse_option,
    slug,
    split_anchor,
)
from procedo.importers.markdown_preamble import (
    Builder,
    Section,
    paragraph_text,
    read_preamble,
    toml_number,
)
from procedo.importers.markdown_signoff import override_of, signoff_of
from procedo.markdown_text import parse_field, unescape
from procedo.model import DefinitionError, ProcessDefinition, is_valid_id, parse_definition
from procedo.model.placeholders import literal_texts

__all__ = ["ImportedProcess", "MarkdownImportError", "import_markdown"]

DEFAULT_END = ("done", "Done")
SECTION_FIELDS = ("role", "next", "outcome", "automatic", "parallel", "join", "calls", "outcomes",
                  "target time", "reminder", "timeout", "hold point")  # fmt: skip
"""The fields a section's heading may carry (docs/import.md)."""


@dataclass(frozen=True)
class ImportedProcess:
    """A definition read from Markdown, and the TOML text it was written as."""

    definition: ProcessDefinition
    toml: str


def _heading_levels(blocks: list[Block]) -> tuple[Heading | None, int | None]:
    headings = [b for b in blocks if isinstance(b, Heading) and b.text]
    firsts = [h for h in headings if h.level == 1]
    title = firsts[0] if len(firsts) == 1 and headings[0] is firsts[0] else None
    others = [h for h in headings if h is not title]
    return title, min((h.level for h in others), default=None)


def _item_data(builder: Builder, item: ListItem) -> str | dict[str, Any]:
    parsed = parse_item(item.text, f"{builder.source}:{item.line}")
    data: dict[str, Any] = {"text": parsed.text}
    if parsed.id is not None:
        data["id"] = parsed.id
    if parsed.role_name is not None:
        data["role"] = builder.role(parsed.role_name)
    if parsed.critical:
        data["critical"] = True
    if parsed.record:
        data["record"] = parsed.record
    if parsed.unit is not None:
        data["unit"] = parsed.unit
    for key in ("min", "max"):
        value = getattr(parsed, key)
        if value is not None:
            data[key] = toml_number(value)
    if parsed.choices:
        data["choices"] = parsed.choices
    for key in ("expect", "when"):
        if getattr(parsed, key) is not None:
            data[key] = getattr(parsed, key)
    if parsed.defer_to is not None:
        data["defer_to"] = defer_target(builder, parsed.defer_to)
    if parsed.wait is not None:
        where = f"{builder.source}:{item.line}"
        data["wait_minutes"] = clock.minutes_of(parsed.wait, where, "the wait", "*(wait: 5 min)*")
    if parsed.override is not None:
        data["override"] = override_of(builder, parsed.override, f"{builder.source}:{item.line}")
    if item.details:
        data["details"] = "\n".join(item.details)
    return data["text"] if len(data) == 1 else data


def _step_clock(builder: Builder, section: Section) -> dict[str, Any]:
    """A step's ``target_minutes`` and ``remind`` from its fields."""
    where = f"{builder.source}:{section.line}"
    if "timeout" in section.fields:
        raise MarkdownImportError(
            f"{where}: {section.title!r} is a step: 'Timeout:' is only read under a decision "
            "heading (a heading whose list is its options)"
        )
    data: dict[str, Any] = {}
    if "target time" in section.fields:
        data["target_minutes"] = clock.minutes_of(
            section.fields["target time"], where, "target time", "**Target time:** 10 min"
        )
    if "reminder" in section.fields:
        data["remind"] = clock.reminder_of(section.fields["reminder"], where)
    return data


def _signoff(builder: Builder, section: Section, where: str) -> dict[str, Any]:
    """A step's or a decision's ``signoff`` from its ``Hold point:`` field (none: nothing)."""
    if "hold point" not in section.fields:
        return {}
    if section.kind not in ("step", "decision"):
        raise MarkdownImportError(
            f"{where}: {section.title!r} is no step or decision: it has no hold point"
        )
    return {"signoff": signoff_of(builder, section.fields["hold point"], where)}


def _option_data(builder: Builder, option: ParsedOption) -> dict[str, Any]:
    data: dict[str, Any] = {"label": option.label, "next": builder.target(option.target)}
    if option.when is not None:
        data["when"] = option.when
    if option.default:
        data["default"] = True
    return data


def _read_section(builder: Builder, section: Section) -> tuple[list[ListItem], str]:
    """Fill ``section.fields`` and ``kind``; return its items and its text."""
    items: list[ListItem] = []
    content: list[Block | None] = []
    fields = [parse_field(b.text) if isinstance(b, Text) else None for b in section.blocks]
    keys = SECTION_FIELDS
    if any(found and found[0] == "priority" for found in fields):
        keys = (*SECTION_FIELDS, *INTERRUPT_FIELDS)  # a non-normal procedure
        section.kind = "interrupt"
    for block, found in zip(section.blocks, fields, strict=True):
        if found and found[0] in keys and takes_field(section.fields, *found):
            section.fields.setdefault(found[0], found[1])
            content.append(None)
        elif isinstance(block, ListItem):
            if "after" in section.fields:  # the list under After: its question's options
                section.options.append(block)
            elif "outcomes" in section.fields:  # the list under Outcomes: the call's outcomes
                section.outcomes.append(block)
            elif "parallel" in section.fields:  # the list under Parallel: the branches
                section.branches.append(block)
            else:
                items.append(block)
            content.append(None)
        else:
            content.append(block)
    if section.kind == "interrupt":
        pass
    elif "parallel" in section.fields:
        section.kind = "parallel"
        if items or "join" not in section.fields:
            raise MarkdownImportError(
                f"{builder.source}:{section.line}: {section.title!r} is a parallel block: it "
                "lists its branches under 'Parallel:' and names its join with 'Join:'"
            )
    elif "outcome" in section.fields:
        section.kind = "end"
        if items:
            raise MarkdownImportError(
                f"{builder.source}:{items[0].line}: {section.title!r} has an outcome, so it is "
                "an end, and an end has no checklist"
            )
    elif len(items) >= 2 and all(parse_option(i.text) for i in items):
        section.kind = "decision"
    return items, paragraph_text(content)


def import_markdown(
    text: str, *, process_id: str, fallback_title: str = "", source: str = "<markdown>"
) -> ImportedProcess:
    """Turn Markdown text into a validated definition and its TOML text.

    Raises :class:`MarkdownImportError` with a clear message when there is no checklist, a
    convention is misused, or the result would not be a valid process.
    """
    if not is_valid_id(process_id):
        raise MarkdownImportError(
            f"{process_id!r} is not a valid process id: use lower-case letters, digits, "
            "'-' and '_', starting with a letter or digit"
        )
    document = parse_document(text)
    title_heading, level = _heading_levels(document.blocks)
    builder = Builder(process_id, source)
    preamble: list[Block] = []
    sections = builder.sections
    for block in document.blocks:
        if block is title_heading:
            continue
        if isinstance(block, Heading) and block.level == level and block.text:
            anchor, markdown = split_anchor(block.text)
            sections.append(Section(unescape(markdown.strip(" \t")), anchor, block.line))
        elif sections:
            sections[-1].blocks.append(block)
        else:
            preamble.append(block)
    if title_heading is not None:
        title = unescape(split_anchor(title_heading.text)[1].strip(" \t"))
    else:
        front = document.front_matter
        title = front.get("name") or front.get("title") or fallback_title or "Imported checklist"
    process: dict[str, Any] = {
        "id": process_id,
        "title": title,
        "triggers": [],
        "resources": [],
        "inputs": {},
    }
    loose = read_preamble(builder, preamble, process)
    if loose:
        sections.insert(0, Section(title, None, loose[0].line, list(loose)))
    for section in sections:
        if section.anchor and is_valid_id(section.anchor) and section.anchor not in builder.taken:
            section.node_id = section.anchor
            builder.taken.add(section.node_id)
    for section in sections:
        if not section.node_id:
            section.node_id = builder.fresh(None, section.title, "step")
    read = [_read_section(builder, section) for section in sections]
    if not any(items for (items, _), s in zip(read, sections, strict=True) if s.kind != "end"):
        raise MarkdownImportError(
            f"{source}: no checklist found: write list items ('- [ ] Do this'), under '## Step' "
            "headings for several steps"
        )
    data = _literal_braces(_definition_data(builder, process, read))
    # TOML reads a line break in a multi-line string as "\n" even when written "\r\n"
    multiline = "\\r" not in repr(data)
    toml = f"# Imported from {source} by procedo import.\n" + tomli_w.dumps(
        data, multiline_strings=multiline
    )
    try:
        definition = parse_definition(toml, source=source, default_id=process_id)
    except DefinitionError as error:
        problems = "\n".join(f"  {p.key or 'process'}: {p.message}" for p in error.problems)
        raise MarkdownImportError(
            f"{source}: the imported process would not be valid:\n{problems}"
        ) from None
    return ImportedProcess(definition, toml)


def _literal_braces(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with every brace of its placed texts a literal brace, but for the ``{id}``
    placeholders of the ids the page names (its inputs and the ids of its items)."""
    known = set(data.get("inputs", {}))
    for step in [*data.get("steps", {}).values(), *data.get("interrupts", {}).values()]:
        known.update(i["id"] for i in step.get("items", []) if isinstance(i, dict) and "id" in i)
    return literal_texts(data, frozenset(known))


def _definition_data(
    builder: Builder, process: dict[str, Any], read: list[tuple[list[ListItem], str]]
) -> dict[str, Any]:
    sections = builder.sections
    steps: dict[str, Any] = {}
    decisions: dict[str, Any] = {}
    parallel: dict[str, Any] = {}
    ends: dict[str, Any] = {}
    interrupts: dict[str, Any] = {}
    end_sections = [s.node_id for s in sections if s.kind == "end"]
    following = [s for s in sections if s.kind != "interrupt"]

    def default_end() -> str:
        if end_sections:
            return end_sections[0]
        end_id = builder.fresh(DEFAULT_END[0], DEFAULT_END[1], "end")
        builder.extra_ends[end_id] = DEFAULT_END[1]
        end_sections.append(end_id)
        return end_id

    for section, (items, text) in zip(sections, read, strict=True):
        role = section.fields.get("role")
        node: dict[str, Any] = {}
        where = f"{builder.source}:{section.line}"
        signoff = _signoff(builder, section, where)
        if section.kind == "end":
            outcome = unescape(section.fields["outcome"]).strip().split(" ")[0].lower()
            if outcome not in ("success", "failure"):
                raise MarkdownImportError(
                    f"{builder.source}:{section.line}: the outcome of {section.title!r} must be "
                    "'success' or 'failure'"
                )
            ends[section.node_id] = {"title": section.title, "outcome": outcome}
            continue
        if section.kind == "parallel":
            parallel[section.node_id] = parallel_data(builder, section, text)
            continue
        if section.kind == "interrupt":
            read_item = functools.partial(_item_data, builder)
            interrupts[section.node_id] = interrupt_data(builder, section, items, text, read_item)
            continue
        if section.kind == "decision":
            node["question"] = section.title
        else:
            node["title"] = section.title
        if role is not None:
            node["role"] = builder.role(unescape(role))
        if section.kind == "decision":
            if text:
                node["details"] = text
            if unescape(section.fields.get("automatic", "")).strip().lower().startswith("yes"):
                node["auto"] = True
            if "timeout" in section.fields:
                node["timeout"] = clock.timeout_of(section.fields["timeout"], where)
            if {"target time", "reminder"} & section.fields.keys():
                raise MarkdownImportError(
                    f"{where}: {section.title!r} is a decision: 'Target time:' and 'Reminder:' "
                    "are read under a step heading"
                )
            node["options"] = [
                _option_data(builder, option)
                for option in (parse_option(item.text) for item in items)
                if option is not None
            ]
            decisions[section.node_id] = node | signoff
            continue
        if text:
            node["instructions"] = text
        if "calls" in section.fields:
            node.update(call_data(builder, section))
        if "next" in section.fields:
            node["next"] = builder.target(section.fields["next"])
        elif node.get("outcomes"):
            pass  # a calling step goes on where its outcomes say
        elif section is not following[-1]:  # the next section of the flow
            node["next"] = following[following.index(section) + 1].node_id
        else:
            node["next"] = default_end()
        node.update(_step_clock(builder, section))
        if items:
            node["items"] = [_item_data(builder, item) for item in items]
        steps[section.node_id] = node | signoff
    triggers = process.pop("triggers")
    taken: set[str] = set()
    for trigger in triggers:
        wanted = trigger.get("id") or slug(trigger["title"], "trigger")
        trigger_id, number = wanted, 2
        while trigger_id in taken:
            trigger_id, number = f"{wanted}-{number}", number + 1
        taken.add(trigger_id)
        trigger["id"] = trigger_id
        if "start" in trigger:
            trigger["start"] = builder.target(trigger["start"])
        trigger_order = ("id", "title", "start")
        trigger.update({k: trigger.pop(k) for k in trigger_order if k in trigger})
    flow = [s.node_id for s in following if s.kind != "end"]
    start = builder.target(process.pop("start")) if "start" in process else flow[0]
    for end_id, title in builder.extra_ends.items():
        ends.setdefault(end_id, {"title": title, "outcome": "success"})
    info: dict[str, Any] = {"id": process["id"], "title": process["title"]}
    for key in ("version", "summary", "owner"):
        if process.get(key):
            info[key] = process[key]
    info["start"] = start
    if "target_minutes" in process:
        info["target_minutes"] = process["target_minutes"]
    if "remind" in process:
        info["remind"] = process["remind"]
    if process["resources"]:
        info["resources"] = process["resources"]
    data: dict[str, Any] = {"process": info}
    if builder.roles:
        data["roles"] = dict(builder.roles)
    if process["inputs"]:
        data["inputs"] = process["inputs"]
    if triggers:
        data["triggers"] = triggers
    tables = (
        ("steps", steps),
        ("decisions", decisions),
        ("parallel", parallel),
        ("ends", ends),
        ("interrupts", interrupts),
    )
    for key, table in tables:
        if table:
            data[key] = table
    return data
