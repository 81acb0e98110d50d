"""A key-path to line index for TOML text.

``tomllib`` returns plain values with no positions, so to point a problem at a line we scan the
(already valid) text once and note where every key and array element begins. The scanner only
needs to understand valid TOML: the text has been parsed by ``tomllib`` before it is indexed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence

PathPart = str | int
KeyPath = tuple[PathPart, ...]

_BARE = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")


class TomlLineIndex:
    """Maps key paths such as ``("steps", "triage", "items", 3)`` to 1-based line numbers."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._pos = 0
        self._line = 1
        self.lines: dict[KeyPath, int] = {}
        self._array_tables: dict[KeyPath, int] = {}
        # Best effort: the positions found before anything unexpected stay usable.
        with contextlib.suppress(IndexError, ValueError):
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

    def _advance(self, count: int = 1) -> None:
        for _ in range(count):
            if self._pos < len(self._text):
                if self._text[self._pos] == "\n":
                    self._line += 1
                self._pos += 1

    def _skip_blank(self, newlines: bool) -> None:
        while self._pos < len(self._text):
            char = self._peek()
            if char in " \t\r" or (newlines and char == "\n"):
                self._advance()
            elif char == "#":
                while self._pos < len(self._text) and self._peek() != "\n":
                    self._advance()
            else:
                return

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
                while self._peek() in _BARE and self._peek():
                    self._advance()
                if self._pos == start:
                    raise ValueError("expected a key")
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
            while self._peek() and self._peek() not in ",]}\n#":
                self._advance()

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
            self._value((*path, index))
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
            while self._pos < len(self._text):
                if quote == '"' and self._peek() == "\\":
                    self._advance(2)
                    continue
                if self._text.startswith(quote * 3, self._pos):
                    end = self._pos
                    self._advance(3)
                    while self._peek() == quote:  # up to two quotes may end the content
                        self._advance()
                    return self._text[start:end]
                self._advance()
            return self._text[start:]
        self._advance()
        chars: list[str] = []
        while self._pos < len(self._text) and self._peek() != quote:
            if quote == '"' and self._peek() == "\\":
                chars.append(self._decode_escape())
                continue
            chars.append(self._peek())
            self._advance()
        self._advance()
        return "".join(chars)

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
