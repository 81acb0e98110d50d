"""User text printed to a terminal on one line, with nothing the terminal would act on.

Notes, reasons, values and names come from operators and TOML files. Printed raw, a newline
could forge a line that looks like a real journal event, and an escape sequence could retitle
the window, move the cursor or hide text. :func:`shown` makes such characters visible instead.
"""

from __future__ import annotations

import unicodedata

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\\": "\\\\"}


def _visible(char: str) -> str:
    if char in _NAMED:
        return _NAMED[char]
    if unicodedata.category(char) in {"Cc", "Cf", "Zl", "Zp"}:
        code = ord(char)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    return char


def shown(text: object) -> str:
    """``text`` on one line: control, format and line-separator characters escaped.

    A backslash is doubled only when the text holds something to escape, so ordinary text
    (paths, ``C:\\temp``) prints unchanged.
    """
    value = str(text)
    if all(char.isprintable() or char == " " for char in value):
        return value
    return "".join(_visible(char) for char in value)
