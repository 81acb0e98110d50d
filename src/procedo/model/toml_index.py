"""A key-path to line index for TOML text.

``tomllib`` returns plain values with no positions, so to point a problem at a line we scan the
(already valid) text once and note where every key and array element begins. The scanner only
needs to understand valid TOML: the text has been parsed by ``tomllib`` before it is indexed.
"""

from __future__ import annotations

import bisect
import contextlib
import re
from collections.abc import Sequence

PathPart = str | int
KeyPath = tuple[PathPart, ...]

# The scanner moves by regular expressions, not one character at a time, and finds lines by
# bisecting the newline offsets (about 2.5 times faster on a 4 MB file than a loop over chars).
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]*")
_BLANK = re.compile(r"(?:[ \t\r]+|#[^\n]*)*")
_BLANK_OR_NEWLINE = re.compile(r"(?:[ \t\r\n]+|#[^\n]*)*")
_BARE_VALUE = re.compile(r"[^,\]}\n#]*")
_BASIC_RUN = re.compile(r'[^"\\]*')
_BASIC_TRIPLE_END = re.compile(r'\\.|"""', re.DOTALL)


class TomlLineIndex:
    """Maps key paths such as ``("steps", "triage", "items", 3)`` to 1-based line numbers."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._pos = 0
        self._newlines = [found.start() for found in re.finditer("\n", text)]
        self.lines: dict[KeyPath, int] = {}
        self._array_tables: dict[KeyPath, int] = {}
        # Best effort: the positions found before anything unexpected stay usable.
        with contextlib.suppress(IndexError, ValueError, OverflowError, RecursionError):
            self._scan()

    def line_of(self, path: Sequence[PathPart]) -> int | None:
        """The line of the longest known prefix of ``path``, or None."""
        parts = tuple(path)
        while parts:
            if parts in self.lines:
                return self.lines[parts]
            parts = parts[:-1]
        return None

    # -- scanning -------------------------------------------------------------------------

    def _peek(self, offset: int = 0) -> str:
        index = self._pos + offset
        return self._text[index] if index < len(self._text) else ""

    @property
    def _line(self) -> int:
        """The 1-based line of the current position."""
        return bisect.bisect_left(self._newlines, self._pos) + 1

    def _advance(self, count: int = 1) -> None:
        self._pos = min(self._pos + count, len(self._text))

    def _advance_to(self, end: int) -> None:
        self._pos = min(end, len(self._text))

    def _skip_blank(self, newlines: bool) -> None:
        # Both patterns match the empty string, so there is always a match.
        pattern = _BLANK_OR_NEWLINE if newlines else _BLANK
        self._pos = pattern.match(self._text, self._pos).end()  # type: ignore[union-attr]

    def _note(self, path: KeyPath, line: int) -> None:
        self.lines.setdefault(path, line)

    def _scan(self) -> None:
        table: KeyPath = ()
        while True:
            self._skip_blank(newlines=True)
            if self._pos >= len(self._text):
                return
            if self._peek() == "[":
                table = self._header()
            else:
                self._key_value(table)

    def _header(self) -> KeyPath:
        line = self._line
        is_array = self._peek(1) == "["
        self._advance(2 if is_array else 1)
        keys = self._keys()
        self._advance(2 if is_array else 1)
        path: KeyPath = keys
        if is_array:
            index = self._array_tables.get(keys, -1) + 1
            self._array_tables[keys] = index
            self._note(keys, line)
            path = (*keys, index)
        for size in range(1, len(path) + 1):
            self._note(path[:size], line)
        return path

    def _keys(self) -> tuple[str, ...]:
        keys: list[str] = []
        while True:
            self._skip_blank(newlines=False)
            char = self._peek()
            if char in "\"'":
                keys.append(self._string())
            else:
                start = self._pos
                found = _BARE_KEY.match(self._text, start)
                if found is None or found.end() == start:
                    raise ValueError("expected a key")
                self._advance_to(found.end())
                keys.append(self._text[start : self._pos])
            self._skip_blank(newlines=False)
            if self._peek() == ".":
                self._advance()
                continue
            return tuple(keys)

    def _key_value(self, table: KeyPath) -> None:
        line = self._line
        keys = self._keys()
        path = (*table, *keys)
        for size in range(len(table) + 1, len(path) + 1):
            self._note(path[:size], line)
        self._skip_blank(newlines=False)
        self._advance()  # '='
        self._skip_blank(newlines=False)
        self._value(path)

    def _value(self, path: KeyPath) -> None:
        char = self._peek()
        if char in "\"'":
            self._string()
        elif char == "[":
            self._array(path)
        elif char == "{":
            self._inline_table(path)
        else:
            found = _BARE_VALUE.match(self._text, self._pos)
            if found:
                self._advance_to(found.end())

    def _array(self, path: KeyPath) -> None:
        self._advance()
        index = 0
        while True:
            self._skip_blank(newlines=True)
            char = self._peek()
            if char == "]" or not char:
                self._advance()
                return
            if char == ",":
                self._advance()
                continue
            self._note((*path, index), self._line)
            before = self._pos
            self._value((*path, index))
            if self._pos == before:  # e.g. a stray '}': not TOML, stop rather than spin
                raise ValueError("unexpected character in an array")
            index += 1

    def _inline_table(self, path: KeyPath) -> None:
        self._advance()
        while True:
            self._skip_blank(newlines=True)
            char = self._peek()
            if char == "}" or not char:
                self._advance()
                return
            if char == ",":
                self._advance()
                continue
            line = self._line
            keys = self._keys()
            full = (*path, *keys)
            for size in range(len(path) + 1, len(full) + 1):
                self._note(full[:size], line)
            self._skip_blank(newlines=False)
            self._advance()  # '='
            self._skip_blank(newlines=False)
            self._value(full)

    def _string(self) -> str:
        quote = self._peek()
        triple = self._peek(1) == quote and self._peek(2) == quote
        if triple:
            self._advance(3)
            start = self._pos
            end = self._triple_end(quote, start)
            if end < 0:
                self._advance_to(len(self._text))
                return self._text[start:]
            self._advance_to(end + 3)
            while self._peek() == quote:  # up to two quotes may end the content
                self._advance()
            return self._text[start:end]
        self._advance()
        if quote == "'":
            end = self._text.find("'", self._pos)
            end = len(self._text) if end < 0 else end
            value = self._text[self._pos : end]
            self._advance_to(end + 1)
            return value
        chars: list[str] = []
        while self._pos < len(self._text):
            run = _BASIC_RUN.match(self._text, self._pos)
            if run and run.end() > self._pos:
                chars.append(run.group())
                self._advance_to(run.end())
            if self._peek() == "\\":
                chars.append(self._decode_escape())
                continue
            break
        self._advance()
        return "".join(chars)

    def _triple_end(self, quote: str, start: int) -> int:
        """Where the closing triple quote begins, or -1 when there is none."""
        if quote == "'":
            return self._text.find("'''", start)
        position = start
        while True:
            found = _BASIC_TRIPLE_END.search(self._text, position)
            if found is None:
                return -1
            if found.group() == '"""':
                return found.start()
            position = found.end()

    def _decode_escape(self) -> str:
        code = self._peek(1)
        simple = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}
        if code in simple:
            self._advance(2)
            return simple[code]
        if code in "uU":
            width = 4 if code == "u" else 8
            digits = self._text[self._pos + 2 : self._pos + 2 + width]
            self._advance(2 + width)
            return chr(int(digits, 16))
        self._advance(2)
        return code
