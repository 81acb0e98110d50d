"""Text that can never act on a terminal: one place that decides what is unsafe and shows it.

Titles come from TOML files; notes, reasons, values and names from operators. A raw escape
sequence could retitle the window, clear the screen or hide text; a right-to-left override
could make one name read as another; a newline could forge a line that looks like a journal
event. Definitions and the engine refuse such characters (:func:`first_unsafe`), and every
output that reaches a person shows any already in a journal as visible escapes
(:func:`visible`): ``\\x1b``, ``\\u202e``. This module imports nothing of procedo, so every
layer (model, engine, journal, render, CLI, TUI) can use it.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from typing import Any

BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
"""Direction embeddings, overrides and isolates, which can make text read as other text."""

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\\": "\\\\"}
_ESCAPED_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp"})
_JOINERS = frozenset("\u200c\u200d")
"""Zero-width (non-)joiners: format characters that Persian, Indic scripts and emoji sequences
need, and that cannot move or hide text; they are shown as they are."""


def is_unsafe(char: str, *, multiline: bool = False) -> bool:
    """Whether ``char`` must not be stored: C0/C1 controls and bidi controls.

    Tab is always allowed; a newline only where the text may span several lines.
    """
    if char == "\t" or (multiline and char == "\n"):
        return False
    return unicodedata.category(char) == "Cc" or char in BIDI_CONTROLS


# The same rule as is_unsafe (category Cc is exactly U+0000-001F and U+007F-009F), as one
# compiled search: a definition's thousands of strings, or a 10 MB note, are checked at C speed.
_BIDI_CLASS = "".join(sorted(BIDI_CONTROLS))
_UNSAFE = re.compile(f"[\x00-\x08\x0a-\x1f\x7f-\x9f{_BIDI_CLASS}]")
_UNSAFE_MULTILINE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI_CLASS}]")
_NON_ASCII = re.compile("[^\x00-\x7f]")


def unsafe_search(*, multiline: bool = False) -> Callable[[str], re.Match[str] | None]:
    """The compiled search behind :func:`unsafe_at`, for a loop over many strings."""
    return (_UNSAFE_MULTILINE if multiline else _UNSAFE).search


def unsafe_at(text: str, *, multiline: bool = False) -> int:
    """The index of the first character of ``text`` that :func:`is_unsafe`, or -1."""
    found = (_UNSAFE_MULTILINE if multiline else _UNSAFE).search(text)
    return -1 if found is None else found.start()


def first_unsafe(text: str, *, multiline: bool = False) -> str | None:
    """The first character of ``text`` that :func:`is_unsafe`, or ``None``."""
    index = unsafe_at(text, multiline=multiline)
    return None if index < 0 else text[index]


def escape_char(char: str) -> str:
    """``\\x1b`` or ``\\u202e``: how a character is written when it is made visible."""
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def describe_unsafe(char: str) -> str:
    """A message fragment naming an unsafe character, for refusals."""
    if char == "\n":
        return "a line break"
    name = unicodedata.name(char, "")
    return f"the control character {escape_char(char)}" + (f" ({name})" if name else "")


def _needs_escape(char: str, multiline: bool) -> bool:
    if (multiline and char == "\n") or char in _JOINERS:
        return False
    return unicodedata.category(char) in _ESCAPED_CATEGORIES


def visible(text: object, *, multiline: bool = False) -> str:
    """``text`` with every control, format and line-separator character written as an escape.

    With ``multiline`` a newline stays a line break (a multi-line note shown as such); without
    it, the text is one line (``\\n``, ``\\t`` written out). A backslash is doubled only when
    the text holds something to escape, so ordinary text (paths, ``C:\\temp``) is unchanged.
    """
    value = str(text)
    # str.isprintable (C speed) is False for every category escaped here; most text passes it
    if value.isprintable() or (multiline and value.replace("\n", "").isprintable()):
        return value
    if not any(_needs_escape(char, multiline) for char in value):
        return value
    out = []
    for char in value:
        if char == "\\":
            out.append("\\\\")
        elif not _needs_escape(char, multiline):
            out.append(char)
        elif char in _NAMED:
            out.append(_NAMED[char])
        else:
            out.append(escape_char(char))
    return "".join(out)


def _json_escape(found: re.Match[str]) -> str:
    char = found.group()
    if (
        char.isprintable()
        or char in _JOINERS
        or unicodedata.category(char) not in _ESCAPED_CATEGORIES
    ):
        return char  # letters, and spaces such as U+00A0: as they are
    code = ord(char)
    if code > 0xFFFF:  # JSON writes a character beyond the BMP as a surrogate pair
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def json_text(data: object, **options: Any) -> str:
    """``json.dumps(data, ensure_ascii=False, **options)`` with every control, format and
    line-separator character written as ``\\u001b``, ``\\u202e``: the same JSON, readable
    text left as is, and nothing a terminal would act on."""
    text = json.dumps(data, ensure_ascii=False, **options)
    if text.isascii():  # json.dumps escapes every C0 control; DEL is the only one left
        return text.replace("\x7f", "\\u007f")
    return _NON_ASCII.sub(_json_escape, text.replace("\x7f", "\\u007f"))
