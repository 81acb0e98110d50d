"""`{id}` placeholders in a process's text, and the rule for the ids items and inputs may take.

Pure Python: nothing here loads the condition language. ``{{`` and ``}}`` are literal braces.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

VALUE_ID_PATTERN = re.compile(r"[a-z][a-z0-9_]*")

# CEL's keywords and reserved words: an item or input id is a CEL identifier, so none of these.
_RESERVED = "true false null in as break const continue else for function if import let loop"
RESERVED_WORDS: frozenset[str] = frozenset(
    [*_RESERVED.split(), "package", "namespace", "return", "var", "void", "while"]
)

MISSING_OPEN = "\u2039"
MISSING_CLOSE = "\u203a"


def is_valid_value_id(text: str) -> bool:
    """True when ``text`` may be the id of an item or input (a CEL identifier, not reserved)."""
    return VALUE_ID_PATTERN.fullmatch(text) is not None and text not in RESERVED_WORDS


@dataclass(frozen=True, slots=True)
class _Piece:
    """One piece of a text: literal text, a placeholder, or a malformed brace (kept as written)."""

    kind: Literal["text", "placeholder", "bad_id", "lone_open", "lone_close"]
    text: str  # the literal text (braces undoubled), the id, or the malformed piece as written
    start: int  # 0-based offset of the piece in the text


def _pieces(text: str) -> Iterator[_Piece]:
    """The text cut into pieces, left to right; never raises."""
    i, n, start = 0, len(text), 0
    buffer: list[str] = []

    def flush() -> Iterator[_Piece]:
        if buffer:
            yield _Piece("text", "".join(buffer), start)
            buffer.clear()

    while i < n:
        char = text[i]
        if char in "{}" and text.startswith(char * 2, i):
            if not buffer:
                start = i
            buffer.append(char)
            i += 2
            continue
        if char == "{":
            close = _closing_brace(text, i)
            yield from flush()
            if close is None:
                yield _Piece("lone_open", "{", i)
                i += 1
            else:
                inner = text[i + 1 : close]
                kind = "placeholder" if is_valid_value_id(inner) else "bad_id"
                yield _Piece(kind, inner if kind == "placeholder" else text[i : close + 1], i)
                i = close + 1
            start = i
            continue
        if char == "}":
            yield from flush()
            yield _Piece("lone_close", "}", i)
            i += 1
            start = i
            continue
        if not buffer:
            start = i
        buffer.append(char)
        i += 1
    yield from flush()


def _closing_brace(text: str, open_at: int) -> int | None:
    """Where the ``}`` closing the ``{`` at ``open_at`` is; None when a ``{`` comes first."""
    for j in range(open_at + 1, len(text)):
        if text[j] == "}":
            return j
        if text[j] == "{":
            return None
    return None


def placeholder_ids(text: str) -> tuple[str, ...]:
    """The ids named in ``{id}`` placeholders, in order of first appearance."""
    return tuple(dict.fromkeys(p.text for p in _pieces(text) if p.kind == "placeholder"))


def placeholder_problems(text: str) -> list[str]:
    """What is wrong with the braces of ``text``, one sentence each (empty when nothing is)."""
    problems: list[str] = []
    for piece in _pieces(text):
        where = piece.start + 1
        if piece.kind == "lone_open":
            problems.append(f"a lone '{{' at character {where}: write {{{{ for a literal brace")
        elif piece.kind == "lone_close":
            problems.append(f"a lone '}}' at character {where}: write }}}} for a literal brace")
        elif piece.kind == "bad_id":
            problems.append(
                f"{piece.text!r} at character {where} is not a valid id "
                "(lower-case letters, digits and _, starting with a letter): "
                "write {{ and }} for literal braces"
            )
    return problems


def fill(text: str, values: Mapping[str, str]) -> str:
    """``text`` with each ``{id}`` replaced by its value, or ``‹id›`` when it has none.

    ``{{`` and ``}}`` become single braces; a malformed brace stays as written. Never raises.
    """
    out: list[str] = []
    for piece in _pieces(text):
        if piece.kind == "text":
            out.append(piece.text)
        elif piece.kind == "placeholder":
            value = values.get(piece.text)
            out.append(
                str(value) if value is not None else f"{MISSING_OPEN}{piece.text}{MISSING_CLOSE}"
            )
        else:
            out.append(piece.text)
    return "".join(out)


def as_literal(text: str, known: frozenset[str] = frozenset()) -> str:
    """``text`` written so that it reads as itself: every brace doubled, except the ``{id}``
    placeholders of ``known`` ids and braces already doubled (``{{``, ``}}``).

    For text from elsewhere (an imported Markdown checklist), where a brace is only a brace.
    """
    out: list[str] = []
    for piece in _pieces(text):
        if piece.kind == "placeholder" and piece.text in known:
            out.append("{" + piece.text + "}")
        elif piece.kind == "placeholder":
            out.append("{{" + piece.text + "}}")
        else:
            out.append(piece.text.replace("{", "{{").replace("}", "}}"))
    return "".join(out)


PLACED_KEYS = frozenset(
    {"title", "summary", "instructions", "text", "details", "question", "label"}
)
"""The keys of a definition's tables whose text may hold ``{id}`` placeholders."""


def literal_texts(data: Any, known: frozenset[str]) -> Any:
    """A definition's raw tables (as an importer builds them) with every placed text made
    literal by :func:`as_literal`: an imported brace is only a brace, except the ``{id}`` of
    the ``known`` values the process names. Items given as bare strings are texts too."""
    if isinstance(data, dict):
        return {
            key: as_literal(value, known) if key in PLACED_KEYS and isinstance(value, str)
            else [as_literal(i, known) if isinstance(i, str) else literal_texts(i, known)
                  for i in value]
            if key == "items" and isinstance(value, list)
            else literal_texts(value, known)
            for key, value in data.items()
        }  # fmt: skip
    if isinstance(data, list):
        return [literal_texts(value, known) for value in data]
    return data
