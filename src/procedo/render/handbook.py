"""Handbook pages: one Markdown page per process, the printable work instructions.

A page holds the process's title, summary, owner, version, target time, start, roles, triggers,
resources, its Mermaid map, then one ``##`` section per step, decision, parallel block and end
in the order a run meets them. A block's section lists the branches that run at the same time
and the node they join at; a calling step's says which process it runs (a link to its page when
the handbook has one) and where each outcome of that run leads. The non-normal procedures
(``[interrupts.ID]``) follow the ends, highest priority first
(:mod:`procedo.render.handbook_interrupts`); an item with ``defer_to`` says
``*(may be deferred to: Step)*``. A hold point says who signs it, ``**Hold point:** signed by
Surgeon (approved)``, and an item with ``override`` ``*(may be overridden by: Supervisor)*``.

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
    BRANCHES_NOTE,
    CALL_NOTE,
    JOIN_NOTE,
    OUTCOMES_NOTE,
    ROLE_ANCHOR,
    TRIGGER_ANCHOR,
    guard_arrows,
)
from procedo.model import Decision, End, ProcessDefinition, Step
from procedo.model.definition import Parallel
from procedo.render.handbook_interrupts import interrupt_lines
from procedo.render.handbook_text import (
    anchor,
    annotation,
    bullets,
    checklist_lines,
    escape_block,
    escape_line,
    field_lines,
    hold_point_lines,
    input_markdown,
    item_markdown,
    link,
    reminder_lines,
    role_lines,
    text_lines,
    timeout_lines,
)
from procedo.render.mermaid import render_mermaid

__all__ = [
    "GENERATED_MARK",
    "PageLink",
    "anchor",
    "escape_block",
    "escape_line",
    "item_markdown",
    "node_order",
    "render_handbook",
    "render_index",
    "text_lines",
]


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


@dataclass(frozen=True, slots=True)
class PageLink:
    """Another process's page in the same handbook: its title and file name."""

    title: str
    file: str


def _step_lines(
    definition: ProcessDefinition,
    step_id: str,
    step: Step,
    pages: Mapping[str, PageLink] | None = None,
) -> list[str]:
    out = [f"## {anchor(step_id)}{escape_line(step.title, start=False)}", ""]
    out += role_lines(definition, step.role)
    if step.instructions:
        out += [*text_lines(step.instructions), ""]
    if step.target_minutes is not None:
        out += field_lines("Target time", f"{format_number(step.target_minutes)} min")
    out += reminder_lines(step.remind)
    out += checklist_lines(definition, step.items)
    out += hold_point_lines(definition, step.signoff)
    if step.call is not None:
        out += _call_lines(definition, step, pages or {})
    if step.next is not None:
        out += field_lines("Next", link(definition, step.next))
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
    out = field_lines("Calls", f"{named} {annotation('id', call)}{CALL_NOTE}")
    if step.outcomes:
        other = " (any other end: Next)" if step.next is not None else ""
        out += [f"**Outcomes:** {OUTCOMES_NOTE}{other}", ""]
        out += [
            f"- {guard_arrows(escape_line(key))} → {link(definition, target)}"
            for key, target in step.outcomes.items()
        ]
        out.append("")
    return out


def _parallel_lines(definition: ProcessDefinition, block_id: str, block: Parallel) -> list[str]:
    out = [f"## {anchor(block_id)}{escape_line(block.title, start=False)}", ""]
    if block.details:
        out += [*text_lines(block.details), ""]
    out += [f"**Parallel:** {BRANCHES_NOTE}", ""]
    out += [f"- {link(definition, first)}" for first in block.branches]
    out.append("")
    out += field_lines("Join", f"{link(definition, block.join)}{JOIN_NOTE}")
    return out


def _decision_lines(
    definition: ProcessDefinition, decision_id: str, decision: Decision
) -> list[str]:
    out = [f"## {anchor(decision_id)}{escape_line(decision.question, start=False)}", ""]
    out += role_lines(definition, decision.role)
    if decision.details:
        out += [*text_lines(decision.details), ""]
    if decision.auto:
        out += field_lines("Automatic", AUTOMATIC)
    out += timeout_lines(decision.timeout)
    out += hold_point_lines(definition, decision.signoff)
    for option in decision.options:
        label = guard_arrows(escape_line(option.label))
        line = f"- {label} → {link(definition, option.next)}"
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
        *field_lines("Outcome", f"{end.outcome} (the process ends here)"),
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
        out += field_lines("Owner", escape_line(info.owner, start=False))
    out += field_lines("Version", escape_line(info.version, start=False))
    if info.target_minutes is not None:
        out += field_lines("Target time", f"{format_number(info.target_minutes)} min")
    out += reminder_lines(info.remind)
    if definition.start:
        out += field_lines("Start", link(definition, definition.start))
    out += bullets(
        "Roles",
        (f"{anchor(ROLE_ANCHOR + k)}{escape_line(name)}" for k, name in definition.roles.items()),
    )
    triggers = []
    for trigger in definition.triggers:
        line = f"{anchor(TRIGGER_ANCHOR + trigger.id)}{escape_line(trigger.title)}"
        if trigger.start:
            line += f" — starts at {link(definition, trigger.start)}"
        triggers.append(line)
    out += bullets("Triggers", triggers)
    out += bullets("Resources", (escape_line(r) for r in info.resources))
    out += bullets("Inputs", (input_markdown(k, spec) for k, spec in definition.inputs.items()))
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
    out += interrupt_lines(definition)
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
