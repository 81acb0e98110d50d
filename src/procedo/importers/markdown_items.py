"""The small conventions inside one line: checklist items, option lines, links and ids.

See docs/import.md. Each function takes a line as written (Markdown) and returns plain text.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field

from procedo.markdown_text import (
    CRITICAL_SIGN,
    find_arrow,
    find_unescaped,
    is_escaped,
    unescape,
)

_ANNOTATION = re.compile(
    r"[ \t]*(\*\*|__|\*|_)?\([ \t]*(critical|role|record|id|expect|when|default|wait"
    r"|(?:may[ \t]+be[ \t]+)?defer(?:red)?[ \t]+to"
    r"|(?:may[ \t]+be[ \t]+)?overridden[ \t]+by|override)\b[ \t]*"
    r"(?::[ \t]*((?:\\.|[^()\\])*?))?[ \t]*\)(\*\*|__|\*|_)?[ \t]*$",
    re.IGNORECASE,
)
_BLANK_RUN = re.compile(r"_{3,}")
_NUMBER = r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?"
_RANGE = re.compile(rf"^({_NUMBER})[ \t]*(?:–|—|to|\.\.)[ \t]*({_NUMBER})$", re.IGNORECASE)
_LOW = re.compile(rf"^(?:≥|>=|min\.?|from)[ \t]*({_NUMBER})$", re.IGNORECASE)
_HIGH = re.compile(rf"^(?:≤|<=|max\.?|up to)[ \t]*({_NUMBER})$", re.IGNORECASE)
_CHOICES = re.compile(r"^(?:one of|choice of|choice)[ \t]*:?[ \t]*(.*)$", re.IGNORECASE)
_ANCHOR = re.compile(r"^<a[ \t]+(?:id|name)[ \t]*=[ \t]*\"([^\"]*)\"[ \t]*>[ \t]*</a>[ \t]*")
_ATTRIBUTE = re.compile(r"[ \t]*\{#([A-Za-z0-9_-]+)\}[ \t]*$")


class MarkdownImportError(Exception):
    """The Markdown cannot become a process; the message says why and where."""


@dataclass
class ParsedItem:
    """A checklist item read from one list line."""

    text: str
    critical: bool = False
    record: str | None = None
    unit: str | None = None
    min: float | None = None
    max: float | None = None
    choices: list[str] = field(default_factory=list)
    role_name: str | None = None
    id: str | None = None
    expect: str | None = None
    when: str | None = None
    defer_to: str | None = None
    """The step named by ``*(may be deferred to: Step)*``, as written (a title or an id)."""
    wait: str | None = None
    """``*(wait: 5 min)*``, as written (read by ``markdown_clock.minutes_of``)."""
    override: str | None = None
    """The role named by ``*(may be overridden by: Supervisor)*`` (its name or id)."""


def split_anchor(markdown: str) -> tuple[str | None, str]:
    """``(id, rest)`` for text that starts with ``<a id="…"></a>`` or ends with ``{#id}``."""
    found = _ANCHOR.match(markdown)
    if found:
        return html.unescape(found.group(1)), markdown[found.end() :]
    found = _ATTRIBUTE.search(markdown)
    if found and not is_escaped(markdown, found.start() + found.group(0).index("{")):
        return found.group(1), markdown[: found.start()]
    return None, markdown


def slug(text: str, fallback: str) -> str:
    """A valid id from a title: ``Triage the alert`` -> ``triage-the-alert``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    value = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(value) > 48:
        value = value[:48].rsplit("-", 1)[0] if "-" in value[:48] else value[:48]
    return value or fallback


def github_slug(text: str) -> str:
    """The anchor GitHub gives a heading with this (plain) text."""
    value = re.sub(r"[^\w\- ]", "", text.strip().lower())
    return value.replace(" ", "-")


def parse_link(markdown: str) -> tuple[str | None, str]:
    """``(fragment, text)`` for ``[text](#fragment)``; ``(None, text)`` for anything else."""
    markdown = markdown.strip(" \t")
    if markdown.startswith("[") and markdown.endswith(")"):
        middle = find_unescaped(markdown, "](")
        if middle > 0:
            href = markdown[middle + 2 : -1].strip()
            text = unescape(markdown[1:middle]).strip(" \t")
            if href.startswith("#"):
                return href[1:], text
            return None, text
    return None, unescape(markdown)


def _number(text: str, where: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise MarkdownImportError(f"{where}: {text!r} is not a number") from None


def _record(item: ParsedItem, note: str, where: str) -> None:
    """Fill the record keys from ``record: number, 0–100`` (the part after ``record:``)."""
    head, _, rest = note.partition(",")
    kind = head.strip(" \t").lower()
    choices = _CHOICES.match(note.strip(" \t"))
    if choices:
        item.record = "choice"
        parts = []
        index = 0
        body = choices.group(1)
        while (cut := find_unescaped(body, "/", index)) >= 0:
            parts.append(body[index:cut])
            index = cut + 1
        parts.append(body[index:])
        item.choices = [unescape(p.strip(" \t")) for p in parts if p.strip(" \t")]
        return
    if kind not in ("text", "number"):
        raise MarkdownImportError(
            f"{where}: unknown record kind {head.strip()!r}: write 'record: text', "
            "'record: number' or 'record: one of A / B'"
        )
    item.record = kind
    if kind == "text":
        return
    for part in (p.strip(" \t") for p in rest.split(",")):
        if not part:
            continue
        if found := _RANGE.match(part):
            item.min, item.max = _number(found.group(1), where), _number(found.group(2), where)
        elif found := _LOW.match(part):
            item.min = _number(found.group(1), where)
        elif found := _HIGH.match(part):
            item.max = _number(found.group(1), where)
        elif item.unit is None:
            item.unit = unescape(part)
        else:
            raise MarkdownImportError(f"{where}: cannot read {part!r} in the record note")


def parse_item(markdown: str, where: str) -> ParsedItem:
    """A checklist item from its line (after the list marker and box)."""
    item = ParsedItem(text="")
    rest = markdown.strip(" \t")
    while True:
        found = _ANNOTATION.search(rest)
        if not found:
            break
        paren = found.start() + found.group(0).index("(")
        if is_escaped(rest, paren):
            break
        word = found.group(2).lower()
        value = found.group(3) or ""
        if "overrid" in word:
            item.override = unescape(value.strip(" \t"))
        elif word.startswith(("may", "defer")):
            item.defer_to = unescape(value.strip(" \t"))
        elif word == "critical":
            item.critical = True
        elif word == "role":
            item.role_name = unescape(value.strip(" \t"))
        elif word in ("id", "expect", "when"):
            setattr(item, word, unescape(value.strip(" \t")))
        elif word == "record":
            _record(item, value, where)
        elif word == "wait":
            item.wait = value.strip(" \t")
        else:
            raise MarkdownImportError(f"{where}: '(default)' is only used on a decision option")
        rest = rest[: found.start()].rstrip(" \t")
    if rest.startswith(CRITICAL_SIGN):
        item.critical = True
        rest = rest[len(CRITICAL_SIGN) :].lstrip("\ufe0f").lstrip(" \t")
    blanks = [m for m in _BLANK_RUN.finditer(rest) if not is_escaped(rest, m.start())]
    if blanks:
        blank = blanks[-1]
        unit = rest[blank.end() :].strip(" \t")
        rest = rest[: blank.start()].rstrip(" \t")
        if rest.endswith(":") and not is_escaped(rest, len(rest) - 1):
            rest = rest[:-1].rstrip(" \t")
        if unit:
            item.unit = unescape(unit)
        if item.record is None:
            item.record = "number" if unit else "text"
    item.text = unescape(rest)
    return item


@dataclass(frozen=True)
class ParsedOption:
    """A decision option read from one list line: ``Yes → [Mitigate](#mitigate) *(when: …)*``."""

    label: str
    target: str
    """The target as written (a link or a title)."""
    when: str | None = None
    default: bool = False


def parse_option(markdown: str) -> ParsedOption | None:
    """The option of ``Yes → [Mitigate](#mitigate)``, with its trailing ``*(when: …)*`` and
    ``*(default)*`` annotations; None when the line has no arrow."""
    arrow = find_arrow(markdown)
    if arrow is None:
        return None
    label = unescape(markdown[: arrow[0]].strip(" \t"))
    rest = markdown[arrow[1] :].strip(" \t")
    when: str | None = None
    default = False
    while (found := _ANNOTATION.search(rest)) is not None:
        word = found.group(2).lower()
        if word not in ("when", "default"):
            break
        paren = found.start() + found.group(0).index("(")
        if is_escaped(rest, paren):
            break
        if word == "when":
            when = unescape((found.group(3) or "").strip(" \t"))
        else:
            default = True
        rest = rest[: found.start()].rstrip(" \t")
    return ParsedOption(label, rest, when, default)


__all__ = ["MarkdownImportError", "ParsedItem", "ParsedOption", "parse_item", "parse_option"]
