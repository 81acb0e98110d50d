"""A small line-based Markdown reader: just the blocks a checklist is made of.

It splits a document into headings, paragraph lines, list items (with what is nested under
them), fenced code blocks and blank lines. YAML front matter at the top and HTML comments
(also over several lines) are dropped; a fenced ``mermaid`` block (a picture) is dropped too.
Inline Markdown is left as written: the importer decides what each piece means.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from procedo.markdown_text import find_unescaped, parse_field, unescape

_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$")
_ATX_CLOSE = re.compile(r"(?:^|[ \t]+)#+[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_BREAK = re.compile(r"^ {0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")
_FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})(.*)$")
_ITEM = re.compile(r"^([ \t]*)([-*+]|[0-9]{1,9}[.)])(?:[ \t]+(.*?)|)[ \t]*$")
_CHECKBOX = re.compile(r"^\[([ xX])\](?:[ \t]+|$)")


@dataclass
class Heading:
    """An ATX (``## Title``) or setext heading; ``text`` is still Markdown."""

    level: int
    text: str
    line: int
    raw: str


@dataclass
class Text:
    """One line of a paragraph (or a table, a quote, an HTML line), as written."""

    text: str
    line: int


@dataclass
class Blank:
    """An empty line."""

    line: int


@dataclass
class Fence:
    """A fenced code block, its lines as written (fences included)."""

    lines: list[str]
    line: int


@dataclass
class ListItem:
    """A list item at the outer level, with what is nested under it as text lines."""

    text: str
    """The item's own text (Markdown), after the marker and any ``[ ]`` / ``[x]`` box."""
    line: int
    details: list[str] = field(default_factory=list)
    """Nested list items (as ``- text``) and continuation paragraphs, decoded."""


Block = Heading | Text | Blank | Fence | ListItem


@dataclass
class Document:
    """The blocks of a Markdown file and its front matter (``key: value`` lines)."""

    blocks: list[Block]
    front_matter: dict[str, str]


def _indent(line: str) -> int:
    expanded = line.expandtabs(4)
    return len(expanded) - len(expanded.lstrip(" "))


def _front_matter(lines: list[str]) -> tuple[dict[str, str], int]:
    if not lines or lines[0].strip() != "---":
        return {}, 0
    for end in range(1, len(lines)):
        if lines[end].strip() in ("---", "..."):
            values = {}
            for line in lines[1:end]:
                key, colon, value = line.partition(":")
                if colon and key and not key[0].isspace():
                    values[key.strip().lower()] = value.strip().strip("'\"")
            return values, end + 1
    return {}, 0


def _strip_comments(line: str, in_comment: bool) -> tuple[str, bool]:
    """The line without its HTML comments, and whether a comment is still open after it."""
    out: list[str] = []
    rest = line
    while True:
        if in_comment:
            close = rest.find("-->")
            if close < 0:
                return "".join(out), True
            rest = rest[close + 3 :]
            in_comment = False
        start = find_unescaped(rest, "<!--")
        if start < 0:
            out.append(rest)
            return "".join(out), False
        out.append(rest[:start])
        rest = rest[start + 4 :]
        in_comment = True


def _item_parts(found: re.Match[str]) -> str:
    text = found.group(3) or ""
    box = _CHECKBOX.match(text)
    return text[box.end() :] if box else text


def _detail_lines(raw: list[tuple[str, int]], content: int) -> list[str]:
    """Nested lines of an item, decoded: items as ``- text``, paragraphs unescaped."""
    out: list[str] = []
    fence: str | None = None
    base: int | None = None
    for line, _ in raw:
        expanded = line.expandtabs(4)
        cut = min(content, len(expanded) - len(expanded.lstrip(" ")))
        line = expanded[cut:]
        if fence is not None:
            out.append(line)
            if line.strip().startswith(fence):
                fence = None
            continue
        opening = _FENCE.match(line)
        if opening:
            fence = opening.group(2)
            out.append(line)
            continue
        if not line.strip():
            out.append("")
            continue
        item = _ITEM.match(line)
        if item and not _BREAK.match(line):
            depth = len(item.group(1))
            base = depth if base is None else min(base, depth)
            text = unescape(_item_parts(item).strip(" \t"))
            out.append(" " * (depth - base) + "- " + text)
        else:
            out.append(unescape(line.strip(" \t")))
    while out and not out[-1]:
        out.pop()
    while out and not out[0]:
        out.pop(0)
    return out


def parse_document(text: str) -> Document:
    """Read Markdown text into blocks (see the module docstring)."""
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    front, first = _front_matter(lines)
    blocks: list[Block] = []
    in_comment = False
    index = first
    item: ListItem | None = None
    item_indent = item_content = 0
    nested: list[tuple[str, int]] = []

    def close_item() -> None:
        nonlocal item, nested
        if item is not None:
            item.details = _detail_lines(nested, item_content)
            blocks.append(item)
            item, nested = None, []

    while index < len(lines):
        number = index + 1
        raw = lines[index]
        index += 1
        if (
            not in_comment
            and (opening := _FENCE.match(raw))
            and not (opening.group(2)[0] == "`" and "`" in opening.group(3))
        ):
            marker = opening.group(2)
            fenced = [raw]
            while index < len(lines):
                fenced.append(lines[index])
                index += 1
                stripped = fenced[-1].strip()
                if stripped.startswith(marker[0] * len(marker)) and not stripped.strip(marker[0]):
                    break
            if item is not None and _indent(raw) > item_indent:
                nested.extend((line, number) for line in fenced)
                continue
            close_item()
            if opening.group(3).strip().lower().split(" ")[0] != "mermaid":
                blocks.append(Fence(fenced, number))
            continue
        had_comment = in_comment or "<!--" in raw
        line, in_comment = _strip_comments(raw, in_comment)
        if had_comment and not line.strip():
            continue
        if not line.strip():
            if item is not None:
                nested.append(("", number))
            else:
                blocks.append(Blank(number))
            continue
        if item is not None:
            heading_line = _ATX.match(line) is not None
            continues_text = not nested and not (
                heading_line or _ITEM.match(line) or _BREAK.match(line)
            )
            if continues_text and (_indent(line) > item_indent or parse_field(line) is None):
                item.text = item.text + " " + line.strip(" \t")
                continue
            if _indent(line) > item_indent and not heading_line:
                nested.append((line, number))
                continue
            close_item()
        heading = _ATX.match(line)
        if heading:
            title = _ATX_CLOSE.sub("", heading.group(2) or "")
            blocks.append(Heading(len(heading.group(1)), title.strip(), number, line))
            continue
        underline = _SETEXT.match(line)
        if (
            underline
            and blocks
            and isinstance(blocks[-1], Text)
            and (len(blocks) < 2 or not isinstance(blocks[-2], Text))
        ):
            previous = blocks.pop()
            assert isinstance(previous, Text)
            level = 1 if underline.group(1)[0] == "=" else 2
            blocks.append(Heading(level, previous.text.strip(), previous.line, previous.text))
            continue
        if _BREAK.match(line):
            blocks.append(Blank(number))
            continue
        found = _ITEM.match(line)
        if found:
            item = ListItem(_item_parts(found).strip(" \t"), number)
            item_indent = _indent(line)
            item_content = len(found.group(1).expandtabs(4)) + len(found.group(2)) + 1
            continue
        blocks.append(Text(line.strip(" \t"), number))
    close_item()
    return Document(blocks, front)
