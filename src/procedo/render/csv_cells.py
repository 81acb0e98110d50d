"""CSV cells that a spreadsheet shows as text: escaped, never run as a formula."""

from __future__ import annotations

import re

from procedo.safe_text import visible


def csv_text(cell: object) -> object:
    """A text cell with its control and bidi characters escaped (line breaks too)."""
    return visible(cell, multiline=True) if isinstance(cell, str) else cell


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def spreadsheet_safe(value: object) -> object:
    """A CSV cell that a spreadsheet shows as text, never runs as a formula.

    Text beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
    ``'`` (the usual guard against CSV formula injection); plain numbers such as ``-5`` are
    left alone.
    """
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_STARTS)
        and not _PLAIN_NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value
