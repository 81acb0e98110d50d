"""Markdown cells that show text literally: :func:`md` for text, :func:`code` for an id or a
hash, :func:`table` for a table of such cells (shared by the exports)."""

from __future__ import annotations

import re

from procedo.safe_text import visible

_ESCAPE = re.compile(r"[\\`*_\[\]<>#|~]|&(?=#?[A-Za-z0-9]+;)")
_BLOCK_START = re.compile(r"[-+](?=\s|$)|\d{1,9}[.)](?=\s|$)|[-=]+\s*$")


def md(text: object) -> str:
    """Markdown that shows ``text`` literally, on one line (fit for a table cell).

    Only what Markdown would read as syntax is escaped: ``version 1.0`` and ``12.5 V`` stay
    as they are, while ``*``, ``[``, ``|``, an entity such as ``&amp;`` or a list marker at the
    start (``1. ``, ``- ``) get a backslash. Control characters show as ``\\x1b``.
    """
    value = visible(str(text).replace("\r\n", "\n").replace("\r", "\n").strip(), multiline=True)
    value = _ESCAPE.sub(lambda m: "\\" + m[0], value)
    found = _BLOCK_START.match(value)
    if found:
        marker = found[0].rstrip()
        cut = len(marker) - 1 if marker[-1] in ".)" else 0
        value = value[:cut] + "\\" + value[cut:]
    return value.replace("\n", "<br>")


def code(text: object) -> str:
    """A code span for an id or hash, its characters made visible."""
    return f"`{visible(str(text)).replace('`', chr(0x2032))}`"


def table(headers: list[str], rows: list[list[str]]) -> list[str]:
    """A Markdown table of cells already escaped, then a blank line."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cells) + " |" for cells in rows]
    return [*lines, ""]
