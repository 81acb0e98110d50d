"""A small tokenizer for CEL conditions: enough to find the ids a condition reads, its literals,
and to write its integer literals as decimals. Pure Python; it never raises on any input.
"""

from __future__ import annotations

import codecs
import contextlib
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from procedo.model.placeholders import RESERVED_WORDS

TokenKind = Literal["string", "int", "uint", "float", "ident", "op", "space", "comment"]

_STRING_START = re.compile(r"(?:[rR][bB]?|[bB][rR]?)?('''|\"\"\"|'|\")")
_SPACE = re.compile(r"\s+")
_COMMENT = re.compile(r"//[^\n]*")
_HEX = re.compile(r"0[xX][0-9a-fA-F]+([uU]?)")
_FLOAT = re.compile(r"\d+\.\d+(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+|\.\d+(?:[eE][+-]?\d+)?")
_DECIMAL = re.compile(r"\d+([uU]?)")
_IDENT = re.compile(r"[_a-zA-Z][_a-zA-Z0-9]*")
_OPS = ("&&", "||", "==", "!=", "<=", ">=")


@dataclass(frozen=True, slots=True)
class Token:
    """One token: its kind, its text as written, where it starts (0-based)."""

    kind: TokenKind
    text: str
    start: int


def _string_end(source: str, body_start: int, quote: str, raw: bool) -> int:
    """Where the string literal whose body starts at ``body_start`` ends (exclusive)."""
    i, n = body_start, len(source)
    while i < n:
        if not raw and source[i] == "\\":
            i += 2
            continue
        if source.startswith(quote, i):
            return i + len(quote)
        if len(quote) == 1 and source[i] == "\n":
            return i  # a one-quote string cannot span lines: the compiler will say so
        i += 1
    return n


def _next_token(source: str, i: int) -> Token:
    """The token that starts at ``i`` (at least one character long)."""
    string = _STRING_START.match(source, i)
    if string:
        raw = "r" in source[i : string.start(1)].lower()
        end = _string_end(source, string.end(), string.group(1), raw)
        return Token("string", source[i:end], i)
    simple: tuple[tuple[TokenKind, re.Pattern[str]], ...] = (
        ("space", _SPACE),
        ("comment", _COMMENT),
        ("float", _FLOAT),
    )
    for kind, pattern in simple:
        match = pattern.match(source, i)
        if match:
            return Token(kind, match.group(), i)
    for pattern in (_HEX, _DECIMAL):
        match = pattern.match(source, i)
        if match:
            return Token("uint" if match.group(1) else "int", match.group(), i)
    match = _IDENT.match(source, i)
    if match:
        return Token("ident", match.group(), i)
    two = source[i : i + 2]
    return Token("op", two if two in _OPS else source[i], i)


def tokens(source: str) -> Iterator[Token]:
    """The tokens of ``source``, spaces and comments included: their texts join back to it."""
    i = 0
    while i < len(source):
        token = _next_token(source, i)
        yield token
        i += len(token.text)


@functools.lru_cache(maxsize=8192)
def token_tuple(source: str) -> tuple[Token, ...]:
    """The tokens of ``source`` (cached: a condition is read several times while compiled)."""
    return tuple(tokens(source))


def _meaningful(source: str) -> list[Token]:
    """The tokens without spaces and comments."""
    return [t for t in token_tuple(source) if t.kind not in ("space", "comment")]


@functools.lru_cache(maxsize=8192)
def identifiers(source: str) -> tuple[str, ...]:
    """The ids ``source`` reads, in order of first appearance, without compiling it.

    Not keywords or reserved words, not a member name after ``.``, not a function name
    directly followed by ``(``.
    """
    found: dict[str, None] = {}
    meaningful = _meaningful(source)
    for index, token in enumerate(meaningful):
        if token.kind != "ident" or token.text in RESERVED_WORDS:
            continue
        before = meaningful[index - 1] if index else None
        after = meaningful[index + 1] if index + 1 < len(meaningful) else None
        if before is not None and before.text == ".":
            continue
        if after is not None and after.text == "(":
            continue
        found.setdefault(token.text, None)
    return tuple(found)


def is_decimal_int(token: Token) -> bool:
    """True for a decimal integer literal (not hex, not a ``u`` uint)."""
    return token.kind == "int" and token.text.isdigit()


def with_decimals(source: str, only: frozenset[int] | None = None) -> str:
    """``source`` with its decimal integer literals written as decimals (``1`` -> ``1.0``).

    ``only``: the start offsets of the literals to rewrite (every one when None).
    """
    return "".join(
        f"{t.text}.0" if is_decimal_int(t) and (only is None or t.start in only) else t.text
        for t in token_tuple(source)
    )


def numeric_literals(source: str) -> list[float]:
    """The numbers written in ``source``, a unary minus included (``-15`` gives -15.0)."""
    numbers: list[float] = []
    meaningful = _meaningful(source)
    for index, token in enumerate(meaningful):
        if token.kind not in ("int", "uint", "float"):
            continue
        text = token.text.rstrip("uU")
        try:
            value = float(int(text, 16)) if text[:2].lower() == "0x" else float(text)
        except ValueError:  # pragma: no cover - the patterns only match numbers
            continue
        before = meaningful[index - 1] if index else None
        numbers.append(-value if before is not None and before.text == "-" else value)
    return numbers


def string_literals(source: str) -> list[str]:
    """The text of each string literal in ``source``, escapes decoded as far as they can be."""
    found: list[str] = []
    for token in token_tuple(source):
        if token.kind != "string":
            continue
        match = _STRING_START.match(token.text)
        if match is None:  # pragma: no cover - a string token always starts so
            continue
        quote = match.group(1)
        body = token.text[match.end() :]
        body = body[: -len(quote)] if body.endswith(quote) and len(body) >= len(quote) else body
        if "r" not in token.text[: match.start(1)].lower() and "\\" in body:
            with contextlib.suppress(UnicodeDecodeError):
                body = codecs.decode(body, "unicode_escape")
        found.append(body)
    return found
