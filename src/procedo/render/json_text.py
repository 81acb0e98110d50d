"""JSON text that holds no raw unsafe character: valid JSON, every control written as ``\\uXXXX``.

:func:`json.dumps` already escapes C0 controls, but with ``ensure_ascii=False`` it writes DEL,
C1 controls (``\\x9b``), bidi overrides (``\\u202e``) and line separators raw. Here every
character that :func:`procedo.safe_text.visible` would escape becomes a JSON ``\\u`` escape, so
the data round-trips exactly and the text is safe on a terminal.
"""

from __future__ import annotations

import json
import re
from typing import Any

from procedo.safe_text import visible

_CANDIDATE = re.compile(r"[^\x00-\x7e]|\x7f")


def _escape(match: re.Match[str]) -> str:
    char = match[0]
    if visible(char) == char:
        return char
    code = ord(char)
    if code > 0xFFFF:
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def json_text(data: Any, *, indent: int | None = 2) -> str:
    """``data`` as JSON (non-ASCII letters kept readable), unsafe characters as escapes."""
    return _CANDIDATE.sub(_escape, json.dumps(data, indent=indent, ensure_ascii=False))
