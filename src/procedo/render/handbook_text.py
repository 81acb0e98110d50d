"""The pieces of a handbook page: escaped text, anchors, links, fields and checklist lines.

Shared by :mod:`procedo.render.handbook` (the page) and :mod:`procedo.render.handbook_interrupts`
(its non-normal procedures). Every text is escaped with :mod:`procedo.markdown_text` so that it
renders literally and ``procedo import`` reads it back; a control or bidi character is written
visibly (:func:`procedo.safe_text.visible`).
"""

from __future__ import annotations

import html
from collections.abc import Iterable

from procedo.engine.values import format_number
from procedo.markdown_text import (
    BLANK,
    CRITICAL_SIGN,
    DEFER_WORDS,
    DISTINCT_WORDS,
    INPUT_ANCHOR,
    OVERRIDE_WORDS,
    SIGNED_BY,
    SIGNOFF_ESCAPES,
    guard_annotations,
    guard_arrows,
    guard_field,
    resolve_step,
)
from procedo.markdown_text import (
    escape_block as _escape_block,
)
from procedo.markdown_text import escape_line as _escape_line
from procedo.model import Decision, Input, Item, ProcessDefinition, Remind, Timeout
from procedo.model.definition import RecordSpec
from procedo.model.signoff import SignOff
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


def link(definition: ProcessDefinition, node_id: str) -> str:
    """``[Title](#id)``: a link to a node's section (a decision by its question)."""
    node = definition.node(node_id)
    title = node.question if isinstance(node, Decision) else node.title
    return f"[{escape_line(title, start=False)}](#{node_id})"


def field_lines(key: str, value: str) -> list[str]:
    """``**Key:** value`` and the empty line after it."""
    return [f"**{key}:** {value}".rstrip(), ""]


def bullets(key: str, lines: Iterable[str]) -> list[str]:
    """``**Key:**`` and a list of the lines (nothing when there are none)."""
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
    if item.defer_to is not None:
        parts.append(annotation(DEFER_WORDS, defer_target(definition, item.defer_to)))
    if item.wait_minutes is not None:
        parts.append(f"*(wait: {format_number(item.wait_minutes)} min)*")
    if item.override is not None:
        parts.append(annotation(OVERRIDE_WORDS, definition.role_name(item.override.role)))
    return guard_arrows(" ".join(parts))


def defer_target(definition: ProcessDefinition, step_id: str) -> str:
    """How an item's ``defer_to`` is written: the step's title, or its id when the title
    would not name that step again (two steps with one title)."""
    steps = [(key, step.title) for key, step in definition.steps.items()]
    title = definition.steps[step_id].title if step_id in definition.steps else step_id
    return title if resolve_step(title, steps) == step_id else step_id


def checklist_lines(definition: ProcessDefinition, items: tuple[Item, ...]) -> list[str]:
    """A numbered checklist, each item's details indented under it, and an empty line."""
    out: list[str] = []
    for number, item in enumerate(items, start=1):
        marker = f"{number}. "
        out.append(f"{marker}[ ] {item_markdown(definition, item)}")
        if item.details:
            indent = " " * len(marker)
            out.append("")
            out += [f"{indent}{line}" if line else "" for line in escape_block(item.details)]
            out.append("")
    if items and out[-1] != "":
        out.append("")
    return out


def reminder_lines(remind: Remind | None) -> list[str]:
    """``**Reminder:** every 20 min: Post a status update`` (nothing without one)."""
    if remind is None:
        return []
    text = escape_line(remind.text, start=False)
    return field_lines("Reminder", f"every {format_number(remind.every_minutes)} min: {text}")


def timeout_lines(timeout: Timeout | None) -> list[str]:
    """``**Timeout:** after 30 min without an answer, the process suggests: Escalate``."""
    if timeout is None:
        return []
    label = escape_line(timeout.suggest, start=False)
    minutes = format_number(timeout.after_minutes)
    return field_lines(
        "Timeout", f"after {minutes} min without an answer, the process suggests: {label}"
    )


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


def role_lines(definition: ProcessDefinition, role: str | None) -> list[str]:
    """The ``Role`` field of a section (nothing without a role)."""
    if role is None:
        return []
    return field_lines("Role", escape_line(definition.role_name(role), start=False))


def hold_point_lines(definition: ProcessDefinition, signoff: tuple[SignOff, ...]) -> list[str]:
    """``**Hold point:** signed by Surgeon (approved), Nurse (reviewed, someone who took no
    part)``: a node's sign-offs in order (nothing without one). Role names and meanings
    escape ``(``, ``)`` and ``,``, so that any text reads back."""
    if not signoff:
        return []
    signers = []
    for sign in signoff:
        name = escape_line(definition.role_name(sign.role), also=SIGNOFF_ESCAPES, start=False)
        meaning = escape_line(sign.meaning, also=SIGNOFF_ESCAPES, start=False)
        note = f", {DISTINCT_WORDS}" if sign.distinct else ""
        signers.append(f"{name} ({meaning}{note})")
    return field_lines("Hold point", f"{SIGNED_BY} " + ", ".join(signers))
