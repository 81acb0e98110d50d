"""Fill a DataTable with every column as wide as its widest cell, measured at once.

Textual's DataTable measures the cells of new rows only when it is next idle, and caches its
drawn lines by its count of updates, which that measuring does not change: a frame drawn in
between (a busy machine) showed every column at its header's width ("succe…", "Custom…")
until the next change of the table. Columns with a width given up front are never measured
late.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import DataTable


def refill(
    table: DataTable[object],
    headers: Sequence[str],
    rows: Sequence[Sequence[Text]],
    keys: Sequence[str] | None = None,
) -> None:
    """Replace the table's columns and rows (``keys``: one row key per row)."""
    widths = [len(header) for header in headers]
    for row in rows:
        for index, text in enumerate(row):
            widths[index] = max(widths[index], text.cell_len)
    table.clear(columns=True)
    for header, width in zip(headers, widths, strict=True):
        table.add_column(header, width=width)
    for index, row in enumerate(rows):
        table.add_row(*row, key=keys[index] if keys is not None else None)


__all__ = ["refill"]
