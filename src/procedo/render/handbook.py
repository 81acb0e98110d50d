"""Handbook pages: one Markdown page per process, the printable work instructions.

A page holds the process's title, summary, owner, version, target time, start, roles, triggers,
resources, its Mermaid map, then one ``##`` section per step, decision, parallel block and end
in the order a run meets them. A block's section lists the branches that run at the same time
and the node they join at; a calling step's says which process it runs (a link to its page when
the handbook has one) and where each outcome of that run leads.

A page follows the conventions of docs/import.md exactly, so ``procedo import`` reads it back
to the same definition: ids ride along as ``<a id="…"></a>`` anchors (which are also the
targets of the page's own links), every text is escaped with :mod:`procedo.markdown_text`, and
a line of text that would read as a convention is guarded. A control or bidi character (which
definitions refuse, but an older file may hold) is written visibly as ``\\x1b`` or
``\\u202e`` (:func:`procedo.safe_text.visible`), never raw.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from procedo.engine.values import format_number
from procedo.markdown_text import (
    BLANK,
    BRANCHES_NOTE,
    CALL_NOTE,
    CRITICAL_SIGN,
    INPUT_ANCHOR,
    JOIN_NOTE,
    OUTCOMES_NOTE,
    ROLE_ANCHOR,
    TRIGGER_ANCHOR,
    guard_annotations,
    guard_arrows,
    guard_field,
)
from procedo.markdown_text import (
    escape_block as _escape_block,
)
from procedo.markdown_text import escape_line as _escape_line
from procedo.model import Decision, End, Input, Item, ProcessDefinition, Step
from procedo.model.definition import Parallel, RecordSpec
from procedo.render.mermaid import render_mermaid
from procedo.safe_text import visible


def escape_line(text: str, *, also: str = "", start: bool = True) -> str:
    """:func:`~procedo.markdown_text.escape_line` of the text made visible."""
    return _escape_line(visible(text), also=also, start=start)


def escape_block(text: str) -> list[str]:
    """:func:`~procedo.markdown_text.escape_block` of the text made visible."""
    return _escape_block(visible(text, multiline=True))


def anchor(anchor_id: str) -> str:
    """An invisible HTML anchor that carries an id (and is a link target on GitHub)."""
    return f'<a id="{html.escape(anchor_id, quote=True)}"></a>'


def text_lines(text: str) -> list[str]:
    """A multi-line text as escaped Markdown lines, none of which reads as a field."""
    return [guard_field(line) for line in escape_block(text)]


def node_order(definition: ProcessDefinition) -> list[str]:
    """Steps, decisions and blocks in the order a run meets them (depth first from each start;
    a block's branches one after the other, then its join), then anything else in file order,
    then the ends in the order they are reached."""
    starts = [definition.start, *(definition.start_for(t.id) for t in definition.triggers)]
    seen: dict[str, None] = {}
    known = set(definition.node_ids())
    for start in starts:
        stack: list[tuple[str, frozenset[str]]] = [(start, frozenset())]
        while stack:
            node_id, joins = stack.pop()
            if node_id in seen or node_id not in known or node_id in joins:
                continue
            seen[node_id] = None
            if node_id in definition.parallel:  # the branches in turn, then their join
                block = definition.parallel[node_id]
                stack.append((block.join, joins))
                stack.extend((b, joins | {block.join}) for b in reversed(block.branches))
                continue
            stack.extend((n, joins) for n in reversed(definition.successors(node_id)))
    for node_id in definition.node_ids():
        seen.setdefault(node_id, None)
    flow = [n for n in seen if n not in definition.ends]
    ends = [n for n in seen if n in definition.ends]
    return flow + ends


def _link(definition: ProcessDefinition, node_id: str) -> str:
    node = definition.node(node_id)
    title = node.question if isinstance(node, Decision) else node.title
    return f"[{escape_line(title, start=False)}](#{node_id})"


def _field(key: str, value: str) -> list[str]:
    return [f"**{key}:** {value}".rstrip(), ""]


def _bullets(key: str, lines: Iterable[str]) -> list[str]:
    rows = [f"- {line}" for line in lines]
    return [f"**{key}:**", "", *rows, ""] if rows else []


def _record_note(item: RecordSpec) -> str:
    if item.record == "number":
        bounds = ""
        if item.min is not None and item.max is not None:
            bounds = f", {format_number(item.min)}–{format_number(item.max)}"
        elif item.min is not None:
            bounds = f", ≥ {format_number(item.min)}"
        elif item.max is not None:
            bounds = f", ≤ {format_number(item.max)}"
        return f"number{bounds}"
    if item.record == "choice":
        choices = " / ".join(
            guard_annotations(escape_line(c, also="/():", start=False)) for c in item.choices
        )
        return f"one of {choices}"
    return "text"


def item_markdown(definition: ProcessDefinition, item: Item) -> str:
    """One checklist line (without its number): sign, text, blank, notes."""
    text = guard_annotations(escape_line(item.text))
    if text.startswith(CRITICAL_SIGN):
        text = f"&#{ord(CRITICAL_SIGN)};" + text[1:]
    parts = [f"{CRITICAL_SIGN} {text}" if item.critical else text]
    if item.record:
        unit = guard_annotations(escape_line(item.unit or "", start=False))
        parts[0] += f": {BLANK}" + (f" {unit}" if unit else "")
    if item.critical:
        parts.append("**(critical)**")
    if item.record:
        parts.append(f"*(record: {_record_note(item)})*")
    if item.role is not None:
        name = guard_annotations(
            escape_line(definition.role_name(item.role), also="()", start=False)
        )
        parts.append(f"*(role: {name})*")
    for key in ("id", "expect", "when"):
        value = getattr(item, key)
        if value is not None:
            parts.append(annotation(key, value))
    return guard_arrows(" ".join(parts))


def annotation(key: str, value: str) -> str:
    """``*(when: amount > 250)*``: an id or a condition, escaped so it reads back as written."""
    return f"*({key}: {guard_annotations(escape_line(value, also='()', start=False))})*"


def input_markdown(input_id: str, spec: Input) -> str:
    """A start input's line: anchor, title, blank and unit, record note, its id (shown: a
    reader's conditions name it, and it comes back when the anchors do not)."""
    text = guard_annotations(escape_line(spec.title, start=False))
    unit = guard_annotations(escape_line(spec.unit or "", start=False))
    line = f"{anchor(INPUT_ANCHOR + input_id)}{text}: {BLANK}" + (f" {unit}" if unit else "")
    return guard_arrows(f"{line} *(record: {_record_note(spec)})* *(id: {input_id})*")


@dataclass(frozen=True, slots=True)
class PageLink:
    """Another process's page in the same handbook: its title and file name."""

    title: str
    file: str


def _role_line(definition: ProcessDefinition, role: str | None) -> list[str]:
    if role is None:
        return []
    return _field("Role", escape_line(definition.role_name(role), start=False))


def _step_lines(
    definition: ProcessDefinition,
    step_id: str,
    step: Step,
    pages: Mapping[str, PageLink] | None = None,
) -> list[str]:
    out = [f"## {anchor(step_id)}{escape_line(step.title, start=False)}", ""]
    out += _role_line(definition, step.role)
    if step.instructions:
        out += [*text_lines(step.instructions), ""]
    for number, item in enumerate(step.items, start=1):
        marker = f"{number}. "
        out.append(f"{marker}[ ] {item_markdown(definition, item)}")
        if item.details:
            indent = " " * len(marker)
            out.append("")
            out += [f"{indent}{line}" if line else "" for line in escape_block(item.details)]
            out.append("")
    if step.items and out[-1] != "":
        out.append("")
    if step.call is not None:
        out += _call_lines(definition, step, pages or {})
    if step.next is not None:
        out += _field("Next", _link(definition, step.next))
    return out


def _call_lines(
    definition: ProcessDefinition, step: Step, pages: Mapping[str, PageLink]
) -> list[str]:
    """The ``Calls`` field (a link to the called page when the handbook has it) and the list
    of outcomes; a ``next`` beside outcomes is said to take any other end."""
    call = step.call or ""
    page = pages.get(call)
    if page is not None:
        named = f"[{escape_line(page.title, start=False)}]({html.escape(page.file, quote=True)})"
    else:
        named = escape_line(call, start=False)
    out = _field("Calls", f"{named} {annotation('id', call)}{CALL_NOTE}")
    if step.outcomes:
        other = " (any other end: Next)" if step.next is not None else ""
        out += [f"**Outcomes:** {OUTCOMES_NOTE}{other}", ""]
        out += [
            f"- {guard_arrows(escape_line(key))} → {_link(definition, target)}"
            for key, target in step.outcomes.items()
        ]
        out.append("")
    return out


def _parallel_lines(definition: ProcessDefinition, block_id: str, block: Parallel) -> list[str]:
    out = [f"## {anchor(block_id)}{escape_line(block.title, start=False)}", ""]
    if block.details:
        out += [*text_lines(block.details), ""]
    out += [f"**Parallel:** {BRANCHES_NOTE}", ""]
    out += [f"- {_link(definition, first)}" for first in block.branches]
    out.append("")
    out += _field("Join", f"{_link(definition, block.join)}{JOIN_NOTE}")
    return out


def _decision_lines(
    definition: ProcessDefinition, decision_id: str, decision: Decision
) -> list[str]:
    out = [f"## {anchor(decision_id)}{escape_line(decision.question, start=False)}", ""]
    out += _role_line(definition, decision.role)
    if decision.details:
        out += [*text_lines(decision.details), ""]
    if decision.auto:
        out += _field("Automatic", AUTOMATIC)
    for option in decision.options:
        label = guard_arrows(escape_line(option.label))
        line = f"- {label} → {_link(definition, option.next)}"
        if option.when is not None:
            line += " " + annotation("when", option.when)
        if option.default:
            line += " *(default)*"
        out.append(line)
    return [*out, ""]


AUTOMATIC = (
    "yes: the process takes the suggested option itself when exactly one option's condition "
    "holds, or none holds and there is a default"
)
"""What the handbook says of an ``auto`` decision (the importer reads the leading yes)."""


def _end_lines(end_id: str, end: End) -> list[str]:
    return [
        f"## {anchor(end_id)}{escape_line(end.title, start=False)}",
        "",
        *_field("Outcome", f"{end.outcome} (the process ends here)"),
    ]


def _mermaid(definition: ProcessDefinition) -> list[str]:
    return [
        "**Map:**",
        "",
        "```mermaid",
        *render_mermaid(definition).rstrip("\n").split("\n"),
        "```",
        "",
    ]


GENERATED_MARK = "Generated by `procedo docs`"
"""On every page: ``procedo docs`` replaces only files that carry it."""


def render_handbook(
    definition: ProcessDefinition, pages: Mapping[str, PageLink] | None = None
) -> str:
    """The handbook page of one process, as Markdown.

    ``pages``: the handbook's other pages by process id, so a calling step links to the page
    of the process it runs (without one, it names the process id).
    """
    info = definition.process
    out = [
        f"<!-- {GENERATED_MARK} from the process definition: edit that, not this page. -->",
        "",
        f"# {escape_line(info.title, start=False)}",
        "",
    ]
    if info.summary:
        out += [*text_lines(info.summary), ""]
    if info.owner:
        out += _field("Owner", escape_line(info.owner, start=False))
    out += _field("Version", escape_line(info.version, start=False))
    if info.target_minutes is not None:
        out += _field("Target time", f"{format_number(info.target_minutes)} min")
    if definition.start:
        out += _field("Start", _link(definition, definition.start))
    out += _bullets(
        "Roles",
        (f"{anchor(ROLE_ANCHOR + k)}{escape_line(name)}" for k, name in definition.roles.items()),
    )
    triggers = []
    for trigger in definition.triggers:
        line = f"{anchor(TRIGGER_ANCHOR + trigger.id)}{escape_line(trigger.title)}"
        if trigger.start:
            line += f" — starts at {_link(definition, trigger.start)}"
        triggers.append(line)
    out += _bullets("Triggers", triggers)
    out += _bullets("Resources", (escape_line(r) for r in info.resources))
    out += _bullets("Inputs", (input_markdown(k, spec) for k, spec in definition.inputs.items()))
    out += _mermaid(definition)
    for node_id in node_order(definition):
        kind = definition.kind_of(node_id)
        if kind == "step":
            out += _step_lines(definition, node_id, definition.steps[node_id], pages)
        elif kind == "decision":
            out += _decision_lines(definition, node_id, definition.decisions[node_id])
        elif kind == "parallel":
            out += _parallel_lines(definition, node_id, definition.parallel[node_id])
        else:
            out += _end_lines(node_id, definition.ends[node_id])
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


def render_index(pages: Iterable[tuple[ProcessDefinition, str]]) -> str:
    """The handbook's README: one row per page (definition, file name), sorted by title."""
    out = [
        "# Process handbook",
        "",
        f"{GENERATED_MARK} from the process definitions: edit the definitions, not these pages.",
        "",
        "| Process | Id | Version | Owner | Summary |",
        "| --- | --- | --- | --- | --- |",
    ]
    for definition, file_name in sorted(pages, key=lambda p: (p[0].title.casefold(), p[1])):
        info = definition.process
        cells = [
            f"[{escape_line(info.title, start=False)}]({file_name})",
            escape_line(definition.id),
            escape_line(info.version),
            escape_line(info.owner),
            escape_line(" ".join(info.summary.split())),
        ]
        out.append("| " + " | ".join(cells) + " |")
    return "\n".join(out) + "\n"
