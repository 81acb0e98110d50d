"""Text in Markdown, both ways: :func:`escape_line` and :func:`unescape` are a pair.

``unescape(escape_line(text)) == text`` for any text without surrogates, and the escaped form
shows the text literally when rendered (CommonMark and GitHub Flavored Markdown): no emphasis,
links, code spans, HTML, headings, list markers or tables. It uses only two Markdown devices:

- a backslash before an ASCII punctuation character (``\\*``, ``\\[``, ``\\#``…);
- a numeric character reference (``&#32;``) for what Markdown would drop or treat as
  structure: spaces at either end of a line, line breaks and other control characters.

:func:`unescape` reads what people write too: backslash escapes and character references are
decoded, code spans are kept exactly as written (backticks included), anything else is text.
"""

from __future__ import annotations

import html
import re
import unicodedata

ASCII_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_ALWAYS = frozenset("\\`*_[]<>#|~")
_ENTITY = re.compile(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_BLOCK_START = re.compile(r"[-+=>]|[0-9]{1,9}[.)]")
_INVISIBLE = frozenset(("Cc", "Zl", "Zp", "Cs"))


def _reference(char: str) -> str:
    return f"&#{ord(char)};"


def _edge(char: str) -> bool:
    """Whether Markdown would strip or mangle this character at the start or end of a line."""
    return char.isspace() or unicodedata.category(char) in _INVISIBLE or char == "\ufeff"


def escape_line(text: str, *, also: str = "", start: bool = True) -> str:
    """``text`` as one line of Markdown that renders as exactly that text.

    ``also``: more ASCII punctuation to backslash-escape wherever it appears (a caller's own
    separators, such as ``/`` between choices). ``start``: the text starts a line or a list
    item, where ``-``, ``+``, ``>`` or ``1.`` would begin a block; False inside a line.
    """
    if not text:
        return ""
    first = 0
    while first < len(text) and _edge(text[first]):
        first += 1
    end = len(text)
    while end > first and _edge(text[end - 1]):
        end -= 1
    head = "".join(_reference(c) for c in text[:first])
    tail = "".join(_reference(c) for c in text[end:])
    body = text[first:end]
    out: list[str] = []
    for index, char in enumerate(body):
        if char in _ALWAYS or char in also:
            out.append("\\" + char)
        elif char == "&" and _ENTITY.match(body, index):
            out.append("\\&")
        elif unicodedata.category(char) in _INVISIBLE or char == "\ufeff":
            out.append(_reference(char))
        else:
            out.append(char)
    escaped = "".join(out)
    if start and not head:
        found = _BLOCK_START.match(escaped)
        if found:
            marker = found.group(0)
            escaped = marker[:-1] + "\\" + marker[-1] + escaped[len(marker) :]
    return head + escaped + tail


def escape_block(text: str) -> list[str]:
    """A text of several lines as Markdown lines: each line escaped, empty lines kept.

    Line breaks at either end of the whole text become character references, so the lines
    come back exactly with ``unescape_block`` (which joins lines with ``\\n``).
    """
    lead = len(text) - len(text.lstrip("\n"))
    core = text.strip("\n")
    trail = len(text) - lead - len(core)
    if not core:
        return ["&#10;" * lead] if lead else []
    lines = [escape_line(line) for line in core.split("\n")]
    lines[0] = "&#10;" * lead + lines[0]
    lines[-1] = lines[-1] + "&#10;" * trail
    return lines


def _decode_reference(match: re.Match[str]) -> str | None:
    name = match.group(1)
    if name.startswith(("#x", "#X")):
        code = int(name[2:], 16)
    elif name.startswith("#"):
        code = int(name[1:])
    else:
        decoded = html.unescape(match.group(0))
        return None if decoded == match.group(0) else decoded
    if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return "\ufffd"
    return chr(code)


def unescape(text: str) -> str:
    """The text a line of Markdown shows: escapes and references decoded, code spans kept."""
    if "\\" not in text and "&" not in text:
        return text
    out: list[str] = []
    index = 0
    length = len(text)
    while index < length:
        char = text[index]
        if char == "\\" and index + 1 < length and text[index + 1] in ASCII_PUNCTUATION:
            out.append(text[index + 1])
            index += 2
        elif char == "`":
            run_end = index
            while run_end < length and text[run_end] == "`":
                run_end += 1
            closing = _closing_run(text, run_end, run_end - index)
            if closing is None:
                out.append(text[index:run_end])
                index = run_end
            else:
                out.append(text[index:closing])
                index = closing
        elif char == "&" and (found := _ENTITY.match(text, index)):
            decoded = _decode_reference(found)
            if decoded is None:
                out.append(char)
                index += 1
            else:
                out.append(decoded)
                index = found.end()
        else:
            out.append(char)
            index += 1
    return "".join(out)


def _closing_run(text: str, start: int, size: int) -> int | None:
    """The end of the backtick run of exactly ``size`` that closes a code span, if any."""
    index = start
    while True:
        index = text.find("`" * size, index)
        if index < 0:
            return None
        end = index + size
        while end < len(text) and text[end] == "`":
            end += 1
        if end - index == size:
            return end
        index = end


def is_escaped(text: str, index: int) -> bool:
    """Whether the character at ``index`` follows an odd number of backslashes."""
    count = 0
    while index - count - 1 >= 0 and text[index - count - 1] == "\\":
        count += 1
    return count % 2 == 1


def find_unescaped(text: str, needle: str, start: int = 0) -> int:
    """Where the first ``needle`` is that is neither escaped nor in a code span; -1 if none."""
    index = start
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text) and text[index + 1] in ASCII_PUNCTUATION:
            index += 2
            continue
        if char == "`":
            run_end = index
            while run_end < len(text) and text[run_end] == "`":
                run_end += 1
            closing = _closing_run(text, run_end, run_end - index)
            index = run_end if closing is None else closing
            continue
        if text.startswith(needle, index):
            return index
        index += 1
    return -1


# The conventions the handbook writes and the Markdown importer reads (docs/import.md).

FIELD_KEYS = (
    "owner",
    "version",
    "target time",
    "start",
    "roles",
    "triggers",
    "resources",
    "inputs",
    "map",
    "role",
    "next",
    "outcome",
    "automatic",
    "parallel",
    "join",
    "calls",
    "outcomes",
    "priority",
    "during",
    "after",
    "reminder",
    "timeout",
    "hold point",
)
"""Words that, followed by a colon at the start of a line, make the line a field."""

BRANCHES_NOTE = "these branches run at the same time:"
"""A parallel block's ``Parallel`` field, before the list of its branches (ignored on import)."""
JOIN_NOTE = (
    " — they join there: it opens once every branch has arrived; a branch that reaches an end "
    "instead ends the whole run"
)
"""What a parallel block's ``Join`` field says after the join node (cut off on import)."""
CALL_NOTE = (
    " — once this checklist is done, that process runs as a run of its own; this run goes on "
    "when it ends"
)
"""What a calling step's ``Calls`` field says after the process it names (cut off on import)."""
OUTCOMES_NOTE = "where this run goes on, by the end the called run reached:"
"""A calling step's ``Outcomes`` field, before the list of its outcomes (ignored on import)."""

PRIORITY_NOTE = (
    " — a non-normal procedure: it interrupts the run where it applies; a warning goes before "
    "a caution, a caution before an advisory"
)
"""What a non-normal procedure's ``Priority`` field says after its priority (cut on import)."""
ANYWHERE = "anywhere"
ANYWHERE_NOTE = " (at any step or decision)"
"""``**During:** anywhere (at any step or decision)``: an interrupt without ``during``."""
RETURN_WORDS = "back to where the run was"
"""``After``, or an option's target: ``after = "return"``."""
RETURN_NOTE = " (the same step and item, every mark as it was)"
AFTER_NODE_NOTE = " — the run goes on there instead of going back"
DEFER_WORDS = "may be deferred to"
"""The annotation of an item with ``defer_to``: ``*(may be deferred to: Close out)*``."""
OVERRIDE_WORDS = "may be overridden by"
"""The annotation of an item with ``override``: ``*(may be overridden by: Supervisor)*``."""
SIGNED_BY = "signed by"
"""``**Hold point:** signed by Surgeon (approved), Nurse (performed)``: a node's ``signoff``."""
DISTINCT_WORDS = "someone who took no part"
"""After a sign-off's meaning: ``Surgeon (reviewed, someone who took no part)``, ``distinct``."""
SIGNOFF_ESCAPES = "(),"
"""What a hold point's role names and meanings escape: its own separators."""


def resolve_step(text: str, steps: list[tuple[str, str]]) -> str | None:
    """The step a ``defer_to`` annotation names, of ``steps`` as (id, title): the one step
    with that title (not case-sensitive), else the step with that id, else the first step
    with that title; None when none fits. The handbook writes what resolves back."""
    wanted = text.strip().casefold()
    titled = [key for key, title in steps if title.strip().casefold() == wanted]
    if len(titled) == 1:
        return titled[0]
    if any(key == text.strip() for key, _ in steps):
        return text.strip()
    return titled[0] if titled else None


_FIELD = re.compile(
    r"^(?P<open>\*\*|__|\*|_)?[ \t]*(?P<key>[A-Za-z][A-Za-z ]{0,15}?)[ \t]*:"
    r"(?P<close>\*\*|__|\*|_)?[ \t]*(?P<value>.*?)[ \t]*$"
)
_TRAILING_EMPHASIS = re.compile(r"(\*\*|__|\*|_)$")

ARROWS = ("→", "->", "=>")
"""What separates an option's label from its target."""
CRITICAL_SIGN = "⚠"
BLANK = "____"
ROLE_ANCHOR = "role-"
"""The prefix of a role's anchor id in a handbook page (``<a id="role-ID">``)."""
TRIGGER_ANCHOR = "trigger-"
"""The prefix of a trigger's anchor id in a handbook page (``<a id="trigger-ID">``)."""
INPUT_ANCHOR = "input-"
"""The prefix of a start input's anchor id in a handbook page (``<a id="input-ID">``)."""
ANNOTATION_WORDS = ("critical", "role", "record", "id", "expect", "when", "default", "wait")
_ANNOTATION_START = re.compile(
    r"\([ \t]*(?:critical|role|record|id|expect|when|default|wait"
    r"|(?:may[ \t]+be[ \t]+)?defer(?:red)?[ \t]+to"
    r"|(?:may[ \t]+be[ \t]+)?overridden[ \t]+by|override)\b",
    re.IGNORECASE,
)


def parse_field(line: str) -> tuple[str, str] | None:
    """``(key, raw value)`` when the line is a field such as ``**Role:** On-call engineer``.

    Accepts ``Key: value``, ``**Key:** value``, ``*Key: value*`` and ``_Key:_ value``. The key
    is lower-cased and must be one of :data:`FIELD_KEYS`; the value is still Markdown.
    """
    found = _FIELD.match(line.strip(" \t"))
    if not found:
        return None
    key = " ".join(found.group("key").lower().split())
    if key not in FIELD_KEYS:
        return None
    value = found.group("value")
    opener = found.group("open")
    if opener and not found.group("close"):
        trailing = _TRAILING_EMPHASIS.search(value)
        if trailing and trailing.group(1) == opener and not is_escaped(value, trailing.start()):
            value = value[: trailing.start()].rstrip(" \t")
    return key, value


def guard_field(escaped: str) -> str:
    """An escaped text line that would read as a field, with its first letter as a reference."""
    if escaped and escaped[0].isalpha() and parse_field(escaped) is not None:
        return _reference(escaped[0]) + escaped[1:]
    return escaped


def guard_annotations(escaped: str) -> str:
    """Escape each ``(`` that would open an annotation such as ``(critical)``."""
    out: list[str] = []
    last = 0
    for found in _ANNOTATION_START.finditer(escaped):
        if not is_escaped(escaped, found.start()):
            out.append(escaped[last : found.start()] + "\\")
            last = found.start()
    out.append(escaped[last:])
    return "".join(out)


def guard_arrows(escaped: str) -> str:
    """Write arrows so that none reads as an option's ``→`` separator."""
    escaped = escaped.replace("→", _reference("→"))
    for arrow in ("->", "=>"):
        index = find_unescaped(escaped, arrow)
        while index >= 0:
            escaped = escaped[:index] + "\\" + escaped[index:]
            index = find_unescaped(escaped, arrow, index + 2)
    return escaped


def find_arrow(text: str) -> tuple[int, int] | None:
    """Where the first unescaped arrow is in an option line: ``(start, end)``, or None."""
    found = [(i, len(a)) for a in ARROWS if (i := find_unescaped(text, a)) >= 0]
    if not found:
        return None
    index, size = min(found)
    return index, index + size
